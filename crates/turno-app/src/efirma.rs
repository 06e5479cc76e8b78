//! e.firma (`docs/efirma.md`): the trust anchors and revocation lists an administrator
//! imports, verifying a detached signature against them, and each person's RFC and CURP,
//! which the certificate of whoever signs must carry. The command line calls these on a
//! store without an application; the API through one.

use jiff::Timestamp;
use turno_domain::citizen::{Curp, Rfc};
use turno_efirma::{Anchor, Crl, Expected, Material, TrustStore, Verified};
use turno_store::Signatures;
use turno_store::signatures::{SignerIdentity, TrustItem, TrustKind};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

use crate::checked::Checked;
use crate::error::{Error, FieldProblem};
use crate::limits;
use turno_domain::text::capitalized;

/// What an import did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Imported {
    pub kind: TrustKind,
    /// The authority's name: the certificate's subject, or the list's issuer.
    pub name: String,
    /// False when the same file was imported before (nothing written).
    pub added: bool,
}

/// Imports a certification authority's certificate (`.cer`, `.crt`, `.pem`) or a revocation
/// list (`.crl`): a list only from an authority imported before, which must have signed it.
/// Nothing is written when the file is refused.
pub async fn import(store: &impl Signatures, bytes: &[u8], actor: &str) -> Result<Imported, Error> {
    let refused = |e: turno_efirma::LoadError| Error::Invalid(e.to_string());
    let item = match Material::parse(bytes).map_err(refused)? {
        Material::Anchor(anchor) => TrustItem {
            kind: TrustKind::Anchor,
            fingerprint: anchor.fingerprint(),
            name: anchor.subject(),
            der: anchor.der().to_vec(),
        },
        Material::Crl(crl) => {
            trust(store).await?.admits(&crl).map_err(refused)?;
            TrustItem {
                kind: TrustKind::Crl,
                fingerprint: crl.fingerprint(),
                name: crl.issuer(),
                der: crl.der().to_vec(),
            }
        }
    };
    let added = store.add_trust_material(&item, actor).await?;
    Ok(Imported {
        kind: item.kind,
        name: item.name,
        added,
    })
}

/// The anchors and lists imported, as a verification trusts them.
pub async fn trust(store: &impl Signatures) -> Result<TrustStore, Error> {
    let mut anchors = Vec::new();
    let mut crls = Vec::new();
    for item in store.trust_material().await? {
        // Checked before they were stored: one that no longer reads is the store's fault.
        let corrupt = |e: turno_efirma::LoadError| {
            Error::internal(format!("trust material {}: {e}", item.fingerprint))
        };
        match item.kind {
            TrustKind::Anchor => anchors.push(Anchor::from_der(&item.der).map_err(corrupt)?),
            TrustKind::Crl => crls.push(Crl::from_der(&item.der).map_err(corrupt)?),
        }
    }
    Ok(TrustStore::new(anchors, crls))
}

/// Verifies `signature` over `content` at `at` against the imported material; with
/// `expected`, the certificate must carry that RFC or CURP. A refusal says why in Spanish.
pub async fn verify(
    store: &impl Signatures,
    content: &[u8],
    signature: &[u8],
    at: Timestamp,
    expected: Option<&Expected>,
) -> Result<Verified, Error> {
    if let Some(expected) = expected {
        let mut checked = Checked::default();
        let long =
            |text: &Option<String>, limit| text.as_ref().is_some_and(|t| t.chars().count() > limit);
        if long(&expected.rfc, limits::RFC) {
            checked.wrong(
                "rfc",
                format!("El RFC tiene a lo más {} caracteres.", limits::RFC),
            );
        }
        if long(&expected.curp, limits::CURP) {
            checked.wrong(
                "curp",
                format!("La CURP tiene {} caracteres.", limits::CURP),
            );
        }
        checked.done()?;
    }
    let trust = trust(store).await?;
    turno_efirma::verify(content, signature, &trust, at, expected)
        .map_err(|e| Error::Refused(e.to_string()))
}

/// An activity's e.firma as the record keeps it: the case's `folio` and what was verified.
pub fn signature_of(folio: &str, verified: Verified) -> turno_domain::engine::Signature {
    turno_domain::engine::Signature {
        folio: folio.to_owned(),
        signer: verified.signer,
        rfc: verified.identity.rfc,
        curp: verified.identity.curp,
        serial: verified.serial,
        issuer: verified.issuer,
        certificate: verified.certificate,
        cms: verified.signature,
        verified_at: verified.at,
        digest: verified.digest,
    }
}

/// Verifies a signature made by the person `user`: their certificate must carry the RFC or
/// CURP of their record.
pub async fn verify_by(
    store: &impl Signatures,
    user: i64,
    content: &[u8],
    signature: &[u8],
    at: Timestamp,
) -> Result<Verified, Error> {
    let identity = store
        .signer_identity(user)
        .await?
        .ok_or_else(|| Error::NotFound("No existe esa persona.".into()))?;
    let expected = Expected {
        rfc: identity.rfc,
        curp: identity.curp,
    };
    verify(store, content, signature, at, Some(&expected)).await
}

/// An e.firma as it arrives from a page or the API: the detached CMS signature (DER, PEM or
/// base64) and the signer's certificate (DER in base64).
#[derive(Debug, Clone, Default)]
pub struct EfirmaInput {
    pub firma: String,
    pub certificado: String,
}

/// Verifies the e.firma the person `user` sent over `content` at `at` ([`verify_by`]): both
/// parts given, the certificate sent the one that made the signature. Every refusal is a
/// problem of the field `firma` or `certificado`, in Spanish: an outgoing document's signature
/// and an activity's alike.
pub async fn verify_input(
    store: &impl Signatures,
    user: i64,
    content: &[u8],
    input: &EfirmaInput,
    at: Timestamp,
) -> Result<Verified, Error> {
    let mut checked = Checked::default();
    if input.firma.trim().is_empty() {
        checked.wrong(
            "firma",
            "Firme con su e.firma: elija su certificado y su llave y escriba su contraseña.",
        );
    }
    let certificate = match input.certificado.trim() {
        "" => {
            checked.wrong("certificado", "Falta el certificado (.cer) del firmante.");
            None
        }
        text => match STANDARD.decode(text) {
            Ok(der) => Some(der),
            Err(_) => {
                checked.wrong(
                    "certificado",
                    "El certificado no es base64 válido: envíe su DER codificado en base64.",
                );
                None
            }
        },
    };
    checked.done()?;
    let verified = verify_by(store, user, content, input.firma.as_bytes(), at)
        .await
        .map_err(|e| match e {
            Error::Refused(message) | Error::NotFound(message) => {
                Error::InvalidFields(vec![FieldProblem::new("firma", message)])
            }
            other => other,
        })?;
    if certificate.as_deref() != Some(verified.certificate.as_slice()) {
        return Err(Error::InvalidFields(vec![FieldProblem::new(
            "certificado",
            "El certificado enviado no es el que hizo la firma.",
        )]));
    }
    Ok(verified)
}

/// The RFC and CURP typed for a person, each checked (either may be blank), upper case; every
/// problem goes to `checked` under the field `rfc` or `curp`, in Spanish. The people's forms
/// check them with the rest of a person.
pub(crate) fn identity(checked: &mut Checked, rfc: &str, curp: &str) -> SignerIdentity {
    let rfc = Some(rfc.trim()).filter(|t| !t.is_empty()).and_then(|t| {
        t.parse::<Rfc>()
            .map_err(|e| checked.wrong("rfc", format!("{}.", capitalized(&e.to_string()))))
            .ok()
    });
    let curp = Some(curp.trim()).filter(|t| !t.is_empty()).and_then(|t| {
        t.parse::<Curp>()
            .map_err(|e| checked.wrong("curp", format!("{}.", capitalized(&e.to_string()))))
            .ok()
    });
    SignerIdentity {
        rfc: rfc.map(|r| r.as_str().to_owned()),
        curp: curp.map(|c| c.as_str().to_owned()),
    }
}

/// Records the RFC and CURP of the person `user`, checked, on the audit log under `actor`.
pub async fn set_identity(
    store: &impl Signatures,
    user: i64,
    (rfc, curp): (&str, &str),
    actor: &str,
) -> Result<SignerIdentity, Error> {
    let mut checked = Checked::default();
    let identity = identity(&mut checked, rfc, curp);
    checked.done()?;
    store.set_signer_identity(user, &identity, actor).await?;
    Ok(identity)
}
