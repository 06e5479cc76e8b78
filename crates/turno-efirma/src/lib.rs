//! e.firma, the SAT's advanced electronic signature (Ley de Firma Electrónica Avanzada):
//! verifying a detached CMS (PKCS#7) signature over given bytes against the trust anchors
//! (the certification authorities' certificates) and certificate revocation lists an
//! administrator loaded, and reading the signer's RFC and CURP from the certificate.
//!
//! Pure: no IO, no clock. The caller passes the bytes, the trust material and the moment
//! the signature is checked at (`docs/efirma.md`).

pub mod authority;
mod encoding;
mod error;
mod identity;
mod key;
mod oid;
mod signed;
#[cfg(feature = "testing")]
pub mod testing;
mod trust;
mod verify;

pub use encoding::digest_from_hex;
pub use error::{KeyError, LoadError, VerifyError};
pub use identity::{Expected, Identity};
pub use key::decrypt_key;
pub use trust::{Anchor, Crl, Material, TrustStore};
pub use verify::{Verified, verify, verify_digest};
