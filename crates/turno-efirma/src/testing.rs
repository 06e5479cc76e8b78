//! A test certification authority for the tests of every crate (feature `testing`): RSA 2048
//! keys like the SAT's, made when first used; certificates with the SAT's RFC and CURP
//! attributes; revocation lists; detached CMS signatures; encrypted keys. Nothing here is
//! from elsewhere: every key is generated.

#![allow(
    clippy::unwrap_used,
    reason = "a helper of tests: building a fixture that cannot fail, or failing the test"
)]

use std::sync::LazyLock;

use jiff::{SignedDuration, Timestamp};
use rsa::RsaPrivateKey;
use rsa::pkcs8::EncodePrivateKey;
use x509_cert::Certificate;

pub use crate::authority::{Authority, Holder};
use crate::authority::{encrypted_sat_key, sign_detached};

/// The moment the tests check signatures at.
pub fn now() -> Timestamp {
    "2026-06-01T12:00:00Z".parse().unwrap()
}

pub fn at(text: &str) -> Timestamp {
    text.parse().unwrap()
}

/// A key of the test CA by name: generated the first time, then kept in the system's
/// temporary folder, since each test process (nextest runs one a test) would otherwise spend
/// seconds generating the same four. Test keys of a test CA, nothing else trusts them.
fn key(name: &str) -> RsaPrivateKey {
    use rsa::pkcs8::DecodePrivateKey as _;
    let folder = std::env::temp_dir().join("turno-efirma-test-keys");
    let path = folder.join(format!("{name}.der"));
    if let Ok(der) = std::fs::read(&path)
        && let Ok(key) = RsaPrivateKey::from_pkcs8_der(&der)
    {
        return key;
    }
    let key = RsaPrivateKey::new(&mut rsa::rand_core::OsRng, 2048).unwrap();
    // Written aside and renamed: a process reading at once finds a whole key or none. Within
    // one process the keys are read once, so a key replaced meanwhile changes nothing.
    let partial = folder.join(format!("{name}.{}.partial", std::process::id()));
    let written = std::fs::create_dir_all(&folder)
        .and_then(|()| std::fs::write(&partial, key.to_pkcs8_der().unwrap().as_bytes()));
    if written.is_ok() {
        let _ = std::fs::rename(&partial, &path);
    }
    key
}

/// The keys of the test world, read or made once a process.
pub static KEYS: LazyLock<Keys> = LazyLock::new(|| Keys {
    ca: key("ca"),
    other_ca: key("other-ca"),
    intermediate: key("intermediate"),
    signer: key("signer"),
    second_signer: key("second-signer"),
});

pub struct Keys {
    pub ca: RsaPrivateKey,
    pub other_ca: RsaPrivateKey,
    pub intermediate: RsaPrivateKey,
    pub signer: RsaPrivateKey,
    /// Another person's key ([`GABRIEL`]'s in the tests of several signers).
    pub second_signer: RsaPrivateKey,
}

/// Twenty years, 2020 to 2040: the test authorities' validity.
fn twenty_years() -> (Timestamp, Timestamp) {
    (at("2020-01-01T00:00:00Z"), at("2040-01-01T00:00:00Z"))
}

/// The test world's shorthands over [`Authority`]: every fixture made or the test fails.
impl Authority {
    /// A root CA valid from 2020 to 2040.
    pub fn root(common_name: &str, key: &RsaPrivateKey) -> Authority {
        Authority::create_root(common_name, key, twenty_years()).unwrap()
    }

    /// An authority under this one, as the SAT's issuing ACs are under its root.
    pub fn subordinate(&self, common_name: &str, key: &RsaPrivateKey) -> Authority {
        self.create_subordinate(common_name, key, twenty_years())
            .unwrap()
    }

    /// A certificate for the test signer's key ([`Keys::signer`]).
    pub fn issue(&self, holder: &Holder<'_>, number: &str, valid: (&str, &str)) -> Certificate {
        self.issue_with(holder, number, valid, &KEYS.signer)
    }

    /// A certificate for `key`.
    pub fn issue_with(
        &self,
        holder: &Holder<'_>,
        number: &str,
        valid: (&str, &str),
        key: &RsaPrivateKey,
    ) -> Certificate {
        self.issue_to(holder, number, (at(valid.0), at(valid.1)), key)
            .unwrap()
    }

    /// A revocation list of `revoked` (certificate number, date), current for a month from
    /// `this_update`.
    pub fn crl(&self, revoked: &[(&str, &str)], this_update: &str) -> Vec<u8> {
        let revoked: Vec<(&str, Timestamp)> = revoked
            .iter()
            .map(|(number, date)| (*number, at(date)))
            .collect();
        self.revocation_list(
            &revoked,
            at(this_update),
            SignedDuration::from_hours(24 * 30),
        )
        .unwrap()
    }

    pub fn certificate_der(&self) -> Vec<u8> {
        self.der().unwrap()
    }
}

pub const ANA: Holder<'static> = Holder {
    name: "ANA LOPEZ NUNEZ",
    rfc: "LONA800101AB1",
    curp: "LONA800101MDFPXN09",
};

/// A second signer, with a key of their own ([`Keys::second_signer`]).
pub const GABRIEL: Holder<'static> = Holder {
    name: "GABRIEL ORTIZ YANEZ",
    rfc: "GOYA780416GM0",
    curp: "GOYA780416HDFRRN09",
};

/// A detached CMS signature of `content` by the signer's key, carrying `certificates`
/// (the signer's first), DER.
pub fn sign(content: &[u8], certificates: &[&Certificate]) -> Vec<u8> {
    sign_detached(content, &KEYS.signer, certificates).unwrap()
}

/// A detached CMS signature of `content` by `key`.
pub fn sign_with(content: &[u8], key: &RsaPrivateKey, certificates: &[&Certificate]) -> Vec<u8> {
    sign_detached(content, key, certificates).unwrap()
}

/// The signer's key as the SAT hands it: encrypted PKCS#8, PBES2 with PBKDF2 (HMAC-SHA1)
/// and 3DES.
pub fn sat_key(password: &str) -> Vec<u8> {
    sat_key_of(&KEYS.signer, password)
}

/// `key` as the SAT hands it.
pub fn sat_key_of(key: &RsaPrivateKey, password: &str) -> Vec<u8> {
    encrypted_sat_key(key, password, &[3; 8], &[5; 8]).unwrap()
}

/// The signer's key encrypted as current tools write it (PBKDF2-SHA256, AES-256-CBC), PEM.
pub fn modern_key(password: &str) -> Vec<u8> {
    use pkcs8::pkcs5::pbes2;
    let plain = KEYS.signer.to_pkcs8_der().unwrap();
    let info = pkcs8::PrivateKeyInfo::try_from(plain.as_bytes()).unwrap();
    let parameters = pbes2::Parameters::pbkdf2_sha256_aes256cbc(2048, &[7; 16], &[9; 16]).unwrap();
    let document = info.encrypt_with_params(parameters, password).unwrap();
    document
        .to_pem("ENCRYPTED PRIVATE KEY", pkcs8::LineEnding::LF)
        .unwrap()
        .as_bytes()
        .to_vec()
}
