//! RSA PKCS#1 v1.5 signatures over DER (certificates, CRLs, a signer's attributes), and how
//! names, serial numbers and times read.

use der::Encode;
use jiff::Timestamp;
use rsa::{Pkcs1v15Sign, RsaPublicKey};
use sha2::{Digest, Sha256, Sha384, Sha512};
use spki::{AlgorithmIdentifierOwned, SubjectPublicKeyInfoOwned};
use x509_cert::name::Name;
use x509_cert::serial_number::SerialNumber;
use x509_cert::time::Time;

use crate::identity::first_text;
use crate::oid;

/// The digests a certificate or a CRL may be signed with (RSA, PKCS#1 v1.5).
#[derive(Debug, Clone, Copy)]
pub enum Hash {
    Sha256,
    Sha384,
    Sha512,
}

impl Hash {
    /// The digest of a `sha*WithRSAEncryption` algorithm; `None` for anything else.
    pub fn of_signature(algorithm: &AlgorithmIdentifierOwned) -> Option<Hash> {
        match algorithm.oid {
            o if o == oid::SHA256_WITH_RSA => Some(Hash::Sha256),
            o if o == oid::SHA384_WITH_RSA => Some(Hash::Sha384),
            o if o == oid::SHA512_WITH_RSA => Some(Hash::Sha512),
            _ => None,
        }
    }

    /// Whether `signature` over `message` is `key`'s.
    pub fn verify(self, key: &SubjectPublicKeyInfoOwned, message: &[u8], signature: &[u8]) -> bool {
        let Some(key) = rsa_key(key) else {
            return false;
        };
        let outcome = match self {
            Hash::Sha256 => key.verify(
                Pkcs1v15Sign::new::<Sha256>(),
                &Sha256::digest(message),
                signature,
            ),
            Hash::Sha384 => key.verify(
                Pkcs1v15Sign::new::<Sha384>(),
                &Sha384::digest(message),
                signature,
            ),
            Hash::Sha512 => key.verify(
                Pkcs1v15Sign::new::<Sha512>(),
                &Sha512::digest(message),
                signature,
            ),
        };
        outcome.is_ok()
    }
}

/// Whether `tbs` (a certificate's or a list's signed part) was signed with `key`.
pub fn signed_by(
    tbs: &impl Encode,
    algorithm: &AlgorithmIdentifierOwned,
    signature: &der::asn1::BitString,
    key: &SubjectPublicKeyInfoOwned,
) -> bool {
    let (Some(hash), Ok(message), Some(signature)) = (
        Hash::of_signature(algorithm),
        tbs.to_der(),
        signature.as_bytes(),
    ) else {
        return false;
    };
    hash.verify(key, &message, signature)
}

pub fn rsa_key(key: &SubjectPublicKeyInfoOwned) -> Option<RsaPublicKey> {
    if key.algorithm.oid != oid::RSA_ENCRYPTION {
        return None;
    }
    use rsa::pkcs1::DecodeRsaPublicKey as _;
    RsaPublicKey::from_pkcs1_der(key.subject_public_key.as_bytes()?).ok()
}

/// A name as people read it: its common name, else the whole distinguished name.
pub fn display_name(name: &Name) -> String {
    first_text(name, oid::COMMON_NAME).unwrap_or_else(|| name.to_string())
}

/// A certificate's serial number as the SAT writes it: its "número de certificado" is
/// twenty digits whose ASCII codes make the serial; any other serial in hexadecimal.
pub fn serial_text(serial: &SerialNumber) -> String {
    let bytes = serial.as_bytes();
    if !bytes.is_empty() && bytes.iter().all(u8::is_ascii_digit) {
        bytes.iter().map(|&b| char::from(b)).collect()
    } else {
        bytes.iter().map(|b| format!("{b:02X}")).collect()
    }
}

pub fn timestamp(time: Time) -> Timestamp {
    let seconds = i64::try_from(time.to_unix_duration().as_secs()).unwrap_or(i64::MAX);
    Timestamp::from_second(seconds).unwrap_or(Timestamp::MAX)
}
