//! A certification authority of Turno's own, for tests and for `turno demo` (never for
//! production, where the SAT issues the certificates): RSA 2048 keys like the SAT's,
//! certificates with the SAT's RFC and CURP attributes, revocation lists, detached CMS
//! signatures and encrypted `.key` files as the SAT hands them. Every key is generated where it
//! is used; none is committed. Verification (`crate::verify`) does not use anything here.

use std::str::FromStr;
use std::time::Duration;

use cms::builder::{SignedDataBuilder, SignerInfoBuilder, create_signing_time_attribute};
use cms::cert::{CertificateChoices, IssuerAndSerialNumber};
use cms::signed_data::{EncapsulatedContentInfo, SignerIdentifier};
use der::Encode;
use der::asn1::{BitString, UtcTime};
use jiff::{SignedDuration, Timestamp};
use rsa::RsaPrivateKey;
use rsa::pkcs1v15::{Signature, SigningKey};
use rsa::pkcs8::EncodePrivateKey;
use rsa::rand_core::{OsRng, RngCore};
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

use crate::oid;

pub use rsa::RsaPrivateKey as PrivateKey;
pub use x509_cert::Certificate as IssuedCertificate;

/// Why an authority could not make a key, a certificate, a list or a signature.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("no se pudo generar el material de la autoridad certificadora: {0}")]
pub struct AuthorityError(String);

fn failed(error: impl std::fmt::Display) -> AuthorityError {
    AuthorityError(error.to_string())
}

/// A new RSA 2048 key, as the SAT's.
pub fn generate_key() -> Result<RsaPrivateKey, AuthorityError> {
    RsaPrivateKey::new(&mut OsRng, 2048).map_err(failed)
}

/// A certification authority: its name, its signing key and its certificate.
pub struct Authority {
    pub name: Name,
    pub signing: SigningKey<Sha256>,
    pub certificate: Certificate,
}

/// Whom a certificate is issued to: the name, the RFC and the CURP, as the SAT writes them.
#[derive(Debug, Clone, Copy)]
pub struct Holder<'a> {
    pub name: &'a str,
    pub rfc: &'a str,
    pub curp: &'a str,
}

fn time(at: Timestamp) -> Result<Time, AuthorityError> {
    let seconds = u64::try_from(at.as_second()).map_err(failed)?;
    Ok(Time::UtcTime(
        UtcTime::from_unix_duration(Duration::from_secs(seconds)).map_err(failed)?,
    ))
}

fn build(
    profile: Profile,
    serial: &[u8],
    (from, to): (Timestamp, Timestamp),
    subject: Name,
    key: &RsaPrivateKey,
    issuer: &SigningKey<Sha256>,
) -> Result<Certificate, AuthorityError> {
    let validity = Validity {
        not_before: time(from)?,
        not_after: time(to)?,
    };
    let spki = SubjectPublicKeyInfoOwned::from_key(key.to_public_key()).map_err(failed)?;
    let builder = CertificateBuilder::new(
        profile,
        SerialNumber::new(serial).map_err(failed)?,
        validity,
        subject,
        spki,
        issuer,
    )
    .map_err(failed)?;
    builder.build::<Signature>().map_err(failed)
}

fn authority_name(common_name: &str) -> Result<Name, AuthorityError> {
    Name::from_str(&format!("CN={common_name},O=Pruebas,C=MX")).map_err(failed)
}

impl Authority {
    /// A root authority named `common_name`, valid over `valid`.
    pub fn create_root(
        common_name: &str,
        key: &RsaPrivateKey,
        valid: (Timestamp, Timestamp),
    ) -> Result<Authority, AuthorityError> {
        let name = authority_name(common_name)?;
        let signing = SigningKey::<Sha256>::new(key.clone());
        let certificate = build(Profile::Root, &[1], valid, name.clone(), key, &signing)?;
        Ok(Authority {
            name,
            signing,
            certificate,
        })
    }

    /// An authority under this one, as the SAT's issuing ACs are under its root.
    pub fn create_subordinate(
        &self,
        common_name: &str,
        key: &RsaPrivateKey,
        valid: (Timestamp, Timestamp),
    ) -> Result<Authority, AuthorityError> {
        let name = authority_name(common_name)?;
        let certificate = build(
            Profile::SubCA {
                issuer: self.name.clone(),
                path_len_constraint: Some(0),
            },
            &[2],
            valid,
            name.clone(),
            key,
            &self.signing,
        )?;
        Ok(Authority {
            name,
            signing: SigningKey::<Sha256>::new(key.clone()),
            certificate,
        })
    }

    /// A signer's certificate for `key` as the SAT writes it: RFC in x500UniqueIdentifier
    /// (2.5.4.45), CURP in serialNumber (2.5.4.5), the serial as the ASCII of its `number`.
    pub fn issue_to(
        &self,
        holder: &Holder<'_>,
        number: &str,
        valid: (Timestamp, Timestamp),
        key: &RsaPrivateKey,
    ) -> Result<Certificate, AuthorityError> {
        let subject = Name::from_str(&format!(
            "CN={},2.5.4.45={},2.5.4.5={},C=MX",
            holder.name, holder.rfc, holder.curp
        ))
        .map_err(failed)?;
        build(
            Profile::Leaf {
                issuer: self.name.clone(),
                enable_key_agreement: false,
                enable_key_encipherment: false,
            },
            number.as_bytes(),
            valid,
            subject,
            key,
            &self.signing,
        )
    }

    /// A revocation list of `revoked` (certificate number, date), issued at `this_update` and
    /// current for `current_for`.
    pub fn revocation_list(
        &self,
        revoked: &[(&str, Timestamp)],
        this_update: Timestamp,
        current_for: SignedDuration,
    ) -> Result<Vec<u8>, AuthorityError> {
        let algorithm: AlgorithmIdentifierOwned = self
            .signing
            .signature_algorithm_identifier()
            .map_err(failed)?;
        let revoked_certificates = revoked
            .iter()
            .map(|(number, date)| {
                Ok(RevokedCert {
                    serial_number: SerialNumber::new(number.as_bytes()).map_err(failed)?,
                    revocation_date: time(*date)?,
                    crl_entry_extensions: None,
                })
            })
            .collect::<Result<Vec<_>, AuthorityError>>()?;
        let next_update = this_update.checked_add(current_for).map_err(failed)?;
        let tbs = TbsCertList {
            version: Version::V2,
            signature: algorithm.clone(),
            issuer: self.name.clone(),
            this_update: time(this_update)?,
            next_update: Some(time(next_update)?),
            revoked_certificates: Some(revoked_certificates),
            crl_extensions: None,
        };
        let signature: Signature = self.signing.sign(&tbs.to_der().map_err(failed)?);
        CertificateList {
            tbs_cert_list: tbs,
            signature_algorithm: algorithm,
            signature: BitString::from_bytes(&signature.to_bytes()).map_err(failed)?,
        }
        .to_der()
        .map_err(failed)
    }

    /// The authority's certificate, DER: what is imported as a trust anchor.
    pub fn der(&self) -> Result<Vec<u8>, AuthorityError> {
        certificate_der(&self.certificate)
    }
}

/// A certificate as DER: the `.cer` file.
pub fn certificate_der(certificate: &Certificate) -> Result<Vec<u8>, AuthorityError> {
    certificate.to_der().map_err(failed)
}

/// A detached CMS signature (SHA-256, with `signingTime`) of `content` by `key`, carrying
/// `certificates` (the signer's first), DER: what `static/efirma.js` makes in the page.
pub fn sign_detached(
    content: &[u8],
    key: &RsaPrivateKey,
    certificates: &[&Certificate],
) -> Result<Vec<u8>, AuthorityError> {
    let signer = certificates
        .first()
        .ok_or_else(|| AuthorityError("falta el certificado del firmante".into()))?;
    let signing = SigningKey::<Sha256>::new(key.clone());
    let content_info = EncapsulatedContentInfo {
        econtent_type: oid::DATA,
        econtent: None,
    };
    let digest = Sha256::digest(content);
    let digest_algorithm = AlgorithmIdentifierOwned {
        oid: oid::SHA256,
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
    .map_err(failed)?;
    signer_info
        .add_signed_attribute(create_signing_time_attribute().map_err(failed)?)
        .map_err(failed)?;
    let mut data = SignedDataBuilder::new(&content_info);
    data.add_digest_algorithm(digest_algorithm)
        .map_err(failed)?;
    for certificate in certificates {
        data.add_certificate(CertificateChoices::Certificate((*certificate).clone()))
            .map_err(failed)?;
    }
    data.add_signer_info::<SigningKey<Sha256>, Signature>(signer_info)
        .map_err(failed)?;
    data.build().map_err(failed)?.to_der().map_err(failed)
}

/// `key` encrypted as the SAT hands it (a `.key`): PKCS#8, PBES2 with PBKDF2 (HMAC-SHA1,
/// 2048 rounds) and 3DES, DER, under `password`, with a random salt and IV.
pub fn sat_key_file(key: &RsaPrivateKey, password: &str) -> Result<Vec<u8>, AuthorityError> {
    let (mut salt, mut iv) = ([0u8; 8], [0u8; 8]);
    OsRng.fill_bytes(&mut salt);
    OsRng.fill_bytes(&mut iv);
    encrypted_sat_key(key, password, &salt, &iv)
}

/// `key` encrypted as the SAT does, with the given salt and IV.
pub(crate) fn encrypted_sat_key(
    key: &RsaPrivateKey,
    password: &str,
    salt: &[u8; 8],
    iv: &[u8; 8],
) -> Result<Vec<u8>, AuthorityError> {
    use pkcs8::pkcs5::pbes2;
    let plain = key.to_pkcs8_der().map_err(failed)?;
    let info = pkcs8::PrivateKeyInfo::try_from(plain.as_bytes()).map_err(failed)?;
    let parameters = pbes2::Parameters {
        kdf: pbes2::Pbkdf2Params {
            salt,
            iteration_count: 2048,
            key_length: None,
            prf: pbes2::Pbkdf2Prf::HmacWithSha1,
        }
        .into(),
        encryption: pbes2::EncryptionScheme::DesEde3Cbc { iv },
    };
    Ok(info
        .encrypt_with_params(parameters, password)
        .map_err(failed)?
        .as_bytes()
        .to_vec())
}
