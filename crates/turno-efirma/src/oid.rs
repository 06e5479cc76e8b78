//! The object identifiers this crate reads, written once.

use der::asn1::ObjectIdentifier as Oid;

pub const RSA_ENCRYPTION: Oid = Oid::new_unwrap("1.2.840.113549.1.1.1");
pub const SHA256_WITH_RSA: Oid = Oid::new_unwrap("1.2.840.113549.1.1.11");
pub const SHA384_WITH_RSA: Oid = Oid::new_unwrap("1.2.840.113549.1.1.12");
pub const SHA512_WITH_RSA: Oid = Oid::new_unwrap("1.2.840.113549.1.1.13");
pub const SHA256: Oid = Oid::new_unwrap("2.16.840.1.101.3.4.2.1");

pub const DATA: Oid = Oid::new_unwrap("1.2.840.113549.1.7.1");
pub const SIGNED_DATA: Oid = Oid::new_unwrap("1.2.840.113549.1.7.2");
pub const CONTENT_TYPE: Oid = Oid::new_unwrap("1.2.840.113549.1.9.3");
pub const MESSAGE_DIGEST: Oid = Oid::new_unwrap("1.2.840.113549.1.9.4");
pub const SIGNING_TIME: Oid = Oid::new_unwrap("1.2.840.113549.1.9.5");

pub const COMMON_NAME: Oid = Oid::new_unwrap("2.5.4.3");
/// The SAT writes the CURP here ("CURP" or "CURP / CURP del representante").
pub const SERIAL_NUMBER: Oid = Oid::new_unwrap("2.5.4.5");
/// The SAT writes the RFC here ("RFC" or "RFC / RFC del representante").
pub const UNIQUE_IDENTIFIER: Oid = Oid::new_unwrap("2.5.4.45");
