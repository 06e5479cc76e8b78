//! What an administrator loads: the certification authorities trusted (trust anchors) and
//! their certificate revocation lists.

use der::{Decode, Encode};
use jiff::Timestamp;
use sha2::{Digest, Sha256};
use x509_cert::Certificate;
use x509_cert::crl::CertificateList;
use x509_cert::ext::pkix::BasicConstraints;

use crate::LoadError;
use crate::encoding::{der_bytes, hex};
use crate::signed::{Hash, display_name, signed_by, timestamp};

/// A certification authority's certificate, trusted as the end of every chain.
#[derive(Debug, Clone)]
pub struct Anchor {
    pub(crate) certificate: Certificate,
    der: Vec<u8>,
}

/// A certificate revocation list, as its authority published it.
#[derive(Debug, Clone)]
pub struct Crl {
    pub(crate) list: CertificateList,
    der: Vec<u8>,
}

/// A file an administrator imports: a certificate or a revocation list.
#[derive(Debug, Clone)]
pub enum Material {
    // Boxed: both are hundreds of bytes and read once a file.
    Anchor(Box<Anchor>),
    Crl(Box<Crl>),
}

impl Material {
    /// Reads a `.cer`, `.crt`, `.pem` or `.crl` file, DER or PEM.
    pub fn parse(bytes: &[u8]) -> Result<Material, LoadError> {
        let der = der_bytes(bytes).ok_or(LoadError::Unreadable)?;
        if let Ok(certificate) = Certificate::from_der(&der) {
            return Anchor::new(certificate, der).map(|anchor| Material::Anchor(Box::new(anchor)));
        }
        let list = CertificateList::from_der(&der).map_err(|_| LoadError::Unreadable)?;
        Ok(Material::Crl(Box::new(Crl { list, der })))
    }
}

impl Anchor {
    fn new(certificate: Certificate, der: Vec<u8>) -> Result<Anchor, LoadError> {
        let subject = display_name(&certificate.tbs_certificate.subject);
        let is_ca = matches!(
            certificate.tbs_certificate.get::<BasicConstraints>(),
            Ok(Some((_, BasicConstraints { ca: true, .. })))
        );
        if !is_ca {
            return Err(LoadError::NotCa { subject });
        }
        if Hash::of_signature(&certificate.signature_algorithm).is_none() {
            return Err(LoadError::Algorithm {
                subject,
                algorithm: certificate.signature_algorithm.oid.to_string(),
            });
        }
        Ok(Anchor { certificate, der })
    }

    /// An anchor stored before, read back.
    pub fn from_der(der: &[u8]) -> Result<Anchor, LoadError> {
        match Material::parse(der)? {
            Material::Anchor(anchor) => Ok(*anchor),
            Material::Crl(_) => Err(LoadError::Unreadable),
        }
    }

    pub fn der(&self) -> &[u8] {
        &self.der
    }

    /// The authority's name (its common name).
    pub fn subject(&self) -> String {
        display_name(&self.certificate.tbs_certificate.subject)
    }

    /// SHA-256 of the certificate: the key it is stored under, so that a file imported
    /// twice is one anchor.
    pub fn fingerprint(&self) -> String {
        hex(&Sha256::digest(&self.der))
    }

    pub fn not_after(&self) -> Timestamp {
        timestamp(self.certificate.tbs_certificate.validity.not_after)
    }
}

impl Crl {
    /// A list stored before, read back.
    pub fn from_der(der: &[u8]) -> Result<Crl, LoadError> {
        match Material::parse(der)? {
            Material::Crl(crl) => Ok(*crl),
            Material::Anchor(_) => Err(LoadError::Unreadable),
        }
    }

    pub fn der(&self) -> &[u8] {
        &self.der
    }

    /// The authority that issued it (its common name).
    pub fn issuer(&self) -> String {
        display_name(&self.list.tbs_cert_list.issuer)
    }

    pub fn fingerprint(&self) -> String {
        hex(&Sha256::digest(&self.der))
    }

    pub fn this_update(&self) -> Timestamp {
        timestamp(self.list.tbs_cert_list.this_update)
    }

    pub fn next_update(&self) -> Option<Timestamp> {
        self.list.tbs_cert_list.next_update.map(timestamp)
    }

    /// How many certificates it revokes.
    pub fn revoked(&self) -> usize {
        self.list
            .tbs_cert_list
            .revoked_certificates
            .as_ref()
            .map_or(0, Vec::len)
    }

    /// Whether the authority of `anchor` issued and signed it.
    pub(crate) fn signed_by(&self, issuer: &Certificate) -> bool {
        let tbs = &self.list.tbs_cert_list;
        tbs.issuer == issuer.tbs_certificate.subject
            && signed_by(
                tbs,
                &self.list.signature_algorithm,
                &self.list.signature,
                &issuer.tbs_certificate.subject_public_key_info,
            )
    }
}

/// The anchors and lists a verification trusts.
#[derive(Debug, Clone, Default)]
pub struct TrustStore {
    pub(crate) anchors: Vec<Anchor>,
    pub(crate) crls: Vec<Crl>,
}

impl TrustStore {
    pub fn new(anchors: Vec<Anchor>, crls: Vec<Crl>) -> TrustStore {
        TrustStore { anchors, crls }
    }

    /// Whether `crl` may be loaded: issued and signed by one of the anchors.
    pub fn admits(&self, crl: &Crl) -> Result<(), LoadError> {
        let issuer = &crl.list.tbs_cert_list.issuer;
        let mut named = self
            .anchors
            .iter()
            .filter(|anchor| &anchor.certificate.tbs_certificate.subject == issuer)
            .peekable();
        if named.peek().is_none() {
            return Err(LoadError::CrlIssuerUnknown {
                issuer: crl.issuer(),
            });
        }
        if named.any(|anchor| crl.signed_by(&anchor.certificate)) {
            Ok(())
        } else {
            Err(LoadError::CrlSignature {
                issuer: crl.issuer(),
            })
        }
    }
}

/// The DER of a certificate, for the record.
pub(crate) fn certificate_der(certificate: &Certificate) -> Vec<u8> {
    certificate.to_der().unwrap_or_default()
}
