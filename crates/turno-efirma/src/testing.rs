//! A test certification authority for the tests of every crate (feature `testing`): RSA 2048
//! keys like the SAT's, made when first used; certificates with the SAT's RFC and CURP
//! attributes; revocation lists; detached CMS signatures; encrypted keys. Nothing here is
//! from elsewhere: every key is generated.

#![allow(
    clippy::unwrap_used,
    reason = "a helper of tests: building a fixture that cannot fail, or failing the test"
)]

use std::str::FromStr;
use std::sync::LazyLock;
use std::time::Duration;

use cms::builder::{SignedDataBuilder, SignerInfoBuilder, create_signing_time_attribute};
use cms::cert::{CertificateChoices, IssuerAndSerialNumber};
use cms::signed_data::{EncapsulatedContentInfo, SignerIdentifier};
use der::Encode;
use der::asn1::{BitString, ObjectIdentifier, UtcTime};
use jiff::Timestamp;
use rsa::RsaPrivateKey;
use rsa::pkcs1v15::{Signature, SigningKey};
use rsa::pkcs8::EncodePrivateKey;
use rsa::signature::{SignatureEncoding, Signer};
use sha2::{Digest, Sha256};
use spki::{AlgorithmIdentifierOwned, DynSignatureAlgorithmIdentifier, SubjectPublicKeyInfoOwned};
use x509_cert::Certificate;
use x509_cert::builder::{Builder, CertificateBuilder, Profile};
use x509_cert::certificate::Version;
use x509_cert::crl::{CertificateList, RevokedCert, TbsCertList};
use x509_cert::name::Name;
use x509_cert::serial_number::SerialNumber;
use x509_cert::time::{Time, Validity};

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
});

pub struct Keys {
    pub ca: RsaPrivateKey,
    pub other_ca: RsaPrivateKey,
    pub intermediate: RsaPrivateKey,
    pub signer: RsaPrivateKey,
}

pub struct Authority {
    pub name: Name,
    pub signing: SigningKey<Sha256>,
    pub certificate: Certificate,
}

fn time(at: Timestamp) -> Time {
    let seconds = u64::try_from(at.as_second()).unwrap();
    Time::UtcTime(UtcTime::from_unix_duration(Duration::from_secs(seconds)).unwrap())
}

fn spki(key: &RsaPrivateKey) -> SubjectPublicKeyInfoOwned {
    SubjectPublicKeyInfoOwned::from_key(key.to_public_key()).unwrap()
}

fn build(
    profile: Profile,
    serial: &[u8],
    (from, to): (Timestamp, Timestamp),
    subject: Name,
    key: &RsaPrivateKey,
    issuer: &SigningKey<Sha256>,
) -> Certificate {
    let validity = Validity {
        not_before: time(from),
        not_after: time(to),
    };
    let builder = CertificateBuilder::new(
        profile,
        SerialNumber::new(serial).unwrap(),
        validity,
        subject,
        spki(key),
        issuer,
    )
    .unwrap();
    builder.build::<Signature>().unwrap()
}

impl Authority {
    /// A root CA valid from 2020 to 2040.
    pub fn root(common_name: &str, key: &RsaPrivateKey) -> Authority {
        let name = Name::from_str(&format!("CN={common_name},O=Pruebas,C=MX")).unwrap();
        let signing = SigningKey::<Sha256>::new(key.clone());
        let certificate = build(
            Profile::Root,
            &[1],
            (at("2020-01-01T00:00:00Z"), at("2040-01-01T00:00:00Z")),
            name.clone(),
            key,
            &signing,
        );
        Authority {
            name,
            signing,
            certificate,
        }
    }

    /// An authority under this one, as the SAT's issuing ACs are under its root.
    pub fn subordinate(&self, common_name: &str, key: &RsaPrivateKey) -> Authority {
        let name = Name::from_str(&format!("CN={common_name},O=Pruebas,C=MX")).unwrap();
        let certificate = build(
            Profile::SubCA {
                issuer: self.name.clone(),
                path_len_constraint: Some(0),
            },
            &[2],
            (at("2020-01-01T00:00:00Z"), at("2040-01-01T00:00:00Z")),
            name.clone(),
            key,
            &self.signing,
        );
        Authority {
            name,
            signing: SigningKey::<Sha256>::new(key.clone()),
            certificate,
        }
    }

    /// A signer's certificate as the SAT writes it: RFC in x500UniqueIdentifier
    /// (2.5.4.45), CURP in serialNumber (2.5.4.5), the serial as the ASCII of its number.
    pub fn issue(&self, holder: &Holder, number: &str, valid: (&str, &str)) -> Certificate {
        let subject = Name::from_str(&format!(
            "CN={},2.5.4.45={},2.5.4.5={},C=MX",
            holder.name, holder.rfc, holder.curp
        ))
        .unwrap();
        build(
            Profile::Leaf {
                issuer: self.name.clone(),
                enable_key_agreement: false,
                enable_key_encipherment: false,
            },
            number.as_bytes(),
            (at(valid.0), at(valid.1)),
            subject,
            &KEYS.signer,
            &self.signing,
        )
    }

    /// A revocation list of `revoked` (certificate number, date), current for a month from
    /// `this_update`.
    pub fn crl(&self, revoked: &[(&str, &str)], this_update: &str) -> Vec<u8> {
        let algorithm: AlgorithmIdentifierOwned =
            self.signing.signature_algorithm_identifier().unwrap();
        let this_update = at(this_update);
        let tbs = TbsCertList {
            version: Version::V2,
            signature: algorithm.clone(),
            issuer: self.name.clone(),
            this_update: time(this_update),
            next_update: Some(time(
                this_update + jiff::SignedDuration::from_hours(24 * 30),
            )),
            revoked_certificates: Some(
                revoked
                    .iter()
                    .map(|(number, date)| RevokedCert {
                        serial_number: SerialNumber::new(number.as_bytes()).unwrap(),
                        revocation_date: time(at(date)),
                        crl_entry_extensions: None,
                    })
                    .collect(),
            ),
            crl_extensions: None,
        };
        let signature: Signature = self.signing.sign(&tbs.to_der().unwrap());
        CertificateList {
            tbs_cert_list: tbs,
            signature_algorithm: algorithm,
            signature: BitString::from_bytes(&signature.to_bytes()).unwrap(),
        }
        .to_der()
        .unwrap()
    }

    pub fn certificate_der(&self) -> Vec<u8> {
        self.certificate.to_der().unwrap()
    }
}

pub struct Holder {
    pub name: &'static str,
    pub rfc: &'static str,
    pub curp: &'static str,
}

pub const ANA: Holder = Holder {
    name: "ANA LOPEZ NUNEZ",
    rfc: "LONA800101AB1",
    curp: "LONA800101MDFPXN09",
};

const SHA256_OID: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.1");
const DATA_OID: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.7.1");

/// A detached CMS signature of `content` by the signer's key, carrying `certificates`
/// (the signer's first), DER.
pub fn sign(content: &[u8], certificates: &[&Certificate]) -> Vec<u8> {
    let signer = certificates[0];
    let signing = SigningKey::<Sha256>::new(KEYS.signer.clone());
    let content_info = EncapsulatedContentInfo {
        econtent_type: DATA_OID,
        econtent: None,
    };
    let digest = Sha256::digest(content);
    let digest_algorithm = AlgorithmIdentifierOwned {
        oid: SHA256_OID,
        parameters: None,
    };
    let sid = SignerIdentifier::IssuerAndSerialNumber(IssuerAndSerialNumber {
        issuer: signer.tbs_certificate.issuer.clone(),
        serial_number: signer.tbs_certificate.serial_number.clone(),
    });
    let mut signer_info = SignerInfoBuilder::new(
        &signing,
        sid,
        digest_algorithm.clone(),
        &content_info,
        Some(&digest),
    )
    .unwrap();
    signer_info
        .add_signed_attribute(create_signing_time_attribute().unwrap())
        .unwrap();
    let mut data = SignedDataBuilder::new(&content_info);
    data.add_digest_algorithm(digest_algorithm).unwrap();
    for certificate in certificates {
        data.add_certificate(CertificateChoices::Certificate((*certificate).clone()))
            .unwrap();
    }
    data.add_signer_info::<SigningKey<Sha256>, Signature>(signer_info)
        .unwrap();
    data.build().unwrap().to_der().unwrap()
}

/// The signer's key as the SAT hands it: encrypted PKCS#8, PBES2 with PBKDF2 (HMAC-SHA1)
/// and 3DES.
pub fn sat_key(password: &str) -> Vec<u8> {
    use pkcs8::pkcs5::pbes2;
    let plain = KEYS.signer.to_pkcs8_der().unwrap();
    let info = pkcs8::PrivateKeyInfo::try_from(plain.as_bytes()).unwrap();
    let parameters = pbes2::Parameters {
        kdf: pbes2::Pbkdf2Params {
            salt: &[3; 8],
            iteration_count: 2048,
            key_length: None,
            prf: pbes2::Pbkdf2Prf::HmacWithSha1,
        }
        .into(),
        encryption: pbes2::EncryptionScheme::DesEde3Cbc { iv: &[5; 8] },
    };
    info.encrypt_with_params(parameters, password)
        .unwrap()
        .as_bytes()
        .to_vec()
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
