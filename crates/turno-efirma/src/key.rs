//! The SAT's `.key`: an RSA private key in encrypted PKCS#8 (PBES2; the SAT's use PBKDF2
//! with HMAC-SHA1 and 3DES), DER or PEM.

use pkcs8::der::Decode;
use pkcs8::{DecodePrivateKey, EncryptedPrivateKeyInfo, PrivateKeyInfo};
use rsa::RsaPrivateKey;

use crate::encoding::der_bytes;
use crate::{KeyError, oid};

/// Decrypts an encrypted private key with its password.
pub fn decrypt_key(bytes: &[u8], password: &str) -> Result<RsaPrivateKey, KeyError> {
    let der = der_bytes(bytes).ok_or(KeyError::NotAKey)?;
    let encrypted = EncryptedPrivateKeyInfo::from_der(&der).map_err(|_| KeyError::NotAKey)?;
    // A wrong password decrypts to bad padding or, rarely, to bytes that are no key.
    let plain = encrypted
        .decrypt(password)
        .map_err(|_| KeyError::WrongPassword)?;
    let info = PrivateKeyInfo::from_der(plain.as_bytes()).map_err(|_| KeyError::WrongPassword)?;
    if info.algorithm.oid != oid::RSA_ENCRYPTION {
        return Err(KeyError::NotRsa);
    }
    RsaPrivateKey::from_pkcs8_der(plain.as_bytes()).map_err(|_| KeyError::WrongPassword)
}
