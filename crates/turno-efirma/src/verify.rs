//! Verifying a detached CMS signature: the bytes, the signer's certificate at the moment
//! checked, its chain to a trust anchor, its revocation and its holder.

use cms::cert::CertificateChoices;
use cms::content_info::ContentInfo;
use cms::signed_data::{SignedData, SignerIdentifier, SignerInfo};
use der::asn1::OctetString;
use der::{Decode, Encode};
use jiff::Timestamp;
use sha2::{Digest, Sha256};
use x509_cert::Certificate;
use x509_cert::ext::pkix::{BasicConstraints, KeyUsage, KeyUsages, SubjectKeyIdentifier};
use x509_cert::time::Time;

use crate::encoding::{der_bytes, hex};
use crate::signed::{Hash, display_name, serial_text, signed_by, timestamp};
use crate::trust::certificate_der;
use crate::{Expected, Identity, TrustStore, VerifyError, oid};

/// How many authorities may stand between a signer and a trust anchor (the SAT's: none
/// when its issuing AC is loaded, one when only its root is).
const MAX_INTERMEDIATES: usize = 4;

/// A signature that passed every check: who signed what, with which certificate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    /// The signer's name (the certificate's common name).
    pub signer: String,
    pub identity: Identity,
    /// The certificate's number (the SAT's twenty digits) or serial in hexadecimal.
    pub serial: String,
    /// The authority that issued the certificate.
    pub issuer: String,
    /// The moment the signature was checked at: the certificate was valid and not revoked.
    pub at: Timestamp,
    /// The signing time the signer's software wrote in the signature, if any: a claim,
    /// not checked.
    pub claimed_time: Option<Timestamp>,
    /// SHA-256 of the signed bytes, lowercase hexadecimal.
    pub digest: String,
    /// The signer's certificate, DER.
    pub certificate: Vec<u8>,
    /// The signature as DER, whichever encoding it came in.
    pub signature: Vec<u8>,
}

/// Checks that `signature` (a detached CMS SignedData, DER, PEM or base64, SHA-256) signs
/// `content`, by a certificate valid at `at`, issued through `trust`'s anchors, not revoked
/// by its loaded lists and, when `expected` is given, whose RFC or CURP is the person's.
pub fn verify(
    content: &[u8],
    signature: &[u8],
    trust: &TrustStore,
    at: Timestamp,
    expected: Option<&Expected>,
) -> Result<Verified, VerifyError> {
    verify_digest(
        &Sha256::digest(content).into(),
        signature,
        trust,
        at,
        expected,
    )
}

/// [`verify`] given only the SHA-256 of the signed bytes: a detached signature signs their
/// digest, so a record that keeps the digest and the signature (an activity's authorization)
/// is verified again without the bytes.
pub fn verify_digest(
    digest: &[u8; 32],
    signature: &[u8],
    trust: &TrustStore,
    at: Timestamp,
    expected: Option<&Expected>,
) -> Result<Verified, VerifyError> {
    let der = der_bytes(signature)
        .ok_or_else(|| VerifyError::Malformed("no está en DER, PEM ni base64".into()))?;
    let info = ContentInfo::from_der(&der).map_err(malformed)?;
    if info.content_type != oid::SIGNED_DATA {
        return Err(VerifyError::NotSignedData);
    }
    let data: SignedData = info.content.decode_as().map_err(malformed)?;
    if data.encap_content_info.econtent.is_some() {
        return Err(VerifyError::NotDetached);
    }
    let signer = match data.signer_infos.0.as_slice() {
        [signer] => signer,
        signers => return Err(VerifyError::Signers(signers.len())),
    };
    if signer.digest_alg.oid != oid::SHA256 {
        return Err(VerifyError::Digest(signer.digest_alg.oid.to_string()));
    }
    let certificates: Vec<&Certificate> = data
        .certificates
        .iter()
        .flat_map(|set| set.0.iter())
        .filter_map(|choice| match choice {
            CertificateChoices::Certificate(certificate) => Some(certificate),
            CertificateChoices::Other(_) => None,
        })
        .collect();
    let certificate = certificates
        .iter()
        .copied()
        .find(|certificate| identifies(&signer.sid, certificate))
        .ok_or(VerifyError::NoCertificate)?;

    let claimed_time = check_signature(signer, certificate, digest)?;
    let tbs = &certificate.tbs_certificate;
    let not_before = timestamp(tbs.validity.not_before);
    let not_after = timestamp(tbs.validity.not_after);
    if at < not_before {
        return Err(VerifyError::NotYetValid { at, not_before });
    }
    if at > not_after {
        return Err(VerifyError::Expired { at, not_after });
    }
    if let Ok(Some((_, KeyUsage(usage)))) = tbs.get::<KeyUsage>()
        && !usage.contains(KeyUsages::DigitalSignature)
        && !usage.contains(KeyUsages::NonRepudiation)
    {
        return Err(VerifyError::NotForSigning {
            serial: serial_text(&tbs.serial_number),
        });
    }
    let chain = chain(certificate, &certificates, trust, at)?;
    for (child, issuer) in &chain {
        not_revoked(child, issuer, trust, at)?;
    }
    let identity = Identity::of(&tbs.subject);
    if let Some(expected) = expected {
        identity.check(expected)?;
    }
    Ok(Verified {
        signer: display_name(&tbs.subject),
        identity,
        serial: serial_text(&tbs.serial_number),
        issuer: display_name(&tbs.issuer),
        at,
        claimed_time,
        digest: hex(digest),
        certificate: certificate_der(certificate),
        signature: der,
    })
}

fn malformed(error: der::Error) -> VerifyError {
    VerifyError::Malformed(error.to_string())
}

fn identifies(sid: &SignerIdentifier, certificate: &Certificate) -> bool {
    let tbs = &certificate.tbs_certificate;
    match sid {
        SignerIdentifier::IssuerAndSerialNumber(id) => {
            id.issuer == tbs.issuer && id.serial_number == tbs.serial_number
        }
        SignerIdentifier::SubjectKeyIdentifier(id) => {
            matches!(tbs.get::<SubjectKeyIdentifier>(), Ok(Some((_, own))) if own.0 == id.0)
        }
    }
}

/// The signer's signature over the content (or over its signed attributes, whose message
/// digest must then be the content's); answers the signing time it claims.
fn check_signature(
    signer: &SignerInfo,
    certificate: &Certificate,
    digest: &[u8],
) -> Result<Option<Timestamp>, VerifyError> {
    let algorithm = signer.signature_algorithm.oid;
    if algorithm != oid::RSA_ENCRYPTION && algorithm != oid::SHA256_WITH_RSA {
        return Err(VerifyError::Algorithm(algorithm.to_string()));
    }
    let key = &certificate.tbs_certificate.subject_public_key_info;
    let value = signer.signature.as_bytes();
    let Some(attributes) = &signer.signed_attrs else {
        // No attributes: the signature is over the content itself, whose digest it carries.
        let key = crate::signed::rsa_key(key).ok_or(VerifyError::BadSignature)?;
        return key
            .verify(rsa::Pkcs1v15Sign::new::<Sha256>(), digest, value)
            .map(|()| None)
            .map_err(|_| VerifyError::BadSignature);
    };
    let message = attributes.to_der().map_err(malformed)?;
    if !Hash::Sha256.verify(key, &message, value) {
        return Err(VerifyError::BadSignature);
    }
    let first = |wanted| {
        attributes
            .iter()
            .find(|attribute| attribute.oid == wanted)
            .and_then(|attribute| attribute.values.iter().next())
    };
    if let Some(kind) = first(oid::CONTENT_TYPE)
        && kind.decode_as::<der::asn1::ObjectIdentifier>().ok() != Some(oid::DATA)
    {
        return Err(VerifyError::Malformed(
            "el tipo de contenido firmado no es «data»".into(),
        ));
    }
    let signed_digest = first(oid::MESSAGE_DIGEST)
        .and_then(|value| value.decode_as::<OctetString>().ok())
        .ok_or_else(|| VerifyError::Malformed("falta el resumen del mensaje firmado".into()))?;
    if signed_digest.as_bytes() != digest {
        return Err(VerifyError::ContentMismatch);
    }
    Ok(first(oid::SIGNING_TIME)
        .and_then(|value| Time::from_der(&value.to_der().ok()?).ok())
        .map(timestamp))
}

/// The certificates from the signer up to a trust anchor, as (certificate, its issuer)
/// pairs: each issuer found among the anchors or else among the authorities the signature
/// carries, valid at `at`, and its signature checked.
fn chain<'a>(
    signer: &'a Certificate,
    carried: &[&'a Certificate],
    trust: &'a TrustStore,
    at: Timestamp,
) -> Result<Vec<(&'a Certificate, &'a Certificate)>, VerifyError> {
    let issued = |child: &Certificate, issuer: &Certificate| {
        issuer.tbs_certificate.subject == child.tbs_certificate.issuer
            && signed_by(
                &child.tbs_certificate,
                &child.signature_algorithm,
                &child.signature,
                &issuer.tbs_certificate.subject_public_key_info,
            )
    };
    let mut pairs = Vec::new();
    let mut current = signer;
    for _ in 0..=MAX_INTERMEDIATES {
        if let Some(anchor) = trust
            .anchors
            .iter()
            .find(|anchor| issued(current, &anchor.certificate))
        {
            pairs.push((current, &anchor.certificate));
            return Ok(pairs);
        }
        let Some(issuer) = carried.iter().copied().find(|candidate| {
            !std::ptr::eq(*candidate, current)
                && authority_at(candidate, at)
                && issued(current, candidate)
        }) else {
            break;
        };
        pairs.push((current, issuer));
        current = issuer;
    }
    Err(VerifyError::Untrusted {
        issuer: display_name(&signer.tbs_certificate.issuer),
    })
}

fn authority_at(certificate: &Certificate, at: Timestamp) -> bool {
    let tbs = &certificate.tbs_certificate;
    let is_ca = matches!(
        tbs.get::<BasicConstraints>(),
        Ok(Some((_, BasicConstraints { ca: true, .. })))
    );
    is_ca && timestamp(tbs.validity.not_before) <= at && at <= timestamp(tbs.validity.not_after)
}

/// `certificate` is not on its issuer's latest loaded list, which must exist and still be
/// current at `at`.
fn not_revoked(
    certificate: &Certificate,
    issuer: &Certificate,
    trust: &TrustStore,
    at: Timestamp,
) -> Result<(), VerifyError> {
    let issuer_name = || display_name(&issuer.tbs_certificate.subject);
    let latest = trust
        .crls
        .iter()
        .filter(|crl| crl.signed_by(issuer))
        .max_by_key(|crl| crl.this_update())
        .ok_or_else(|| VerifyError::NoRevocationList {
            issuer: issuer_name(),
        })?;
    if let Some(next_update) = latest.next_update()
        && next_update < at
    {
        return Err(VerifyError::RevocationListOutdated {
            issuer: issuer_name(),
            next_update,
        });
    }
    let serial = &certificate.tbs_certificate.serial_number;
    let revoked = latest
        .list
        .tbs_cert_list
        .revoked_certificates
        .iter()
        .flatten()
        .find(|entry| &entry.serial_number == serial);
    match revoked {
        Some(entry) if timestamp(entry.revocation_date) <= at => Err(VerifyError::Revoked {
            serial: serial_text(serial),
            revoked_at: timestamp(entry.revocation_date),
        }),
        _ => Ok(()),
    }
}
