//! Outgoing documents signed with e.firma (issue 18, `docs/efirma.md`): the titular, or each of
//! the signers the drafter named, in order, signs the document's exact bytes (its unsigned PDF,
//! which the web layer draws: the same document gives the same bytes; after a first signature,
//! the bytes it signed, kept) in the browser; the server verifies the detached signature against
//! the imported authorities and lists and the signer's RFC or CURP on their record before
//! anything is stored, then records it, and with the last signature takes the number, in one
//! transaction. And the public
//! verification: a signed PDF issued, the signed bytes, or a number and digest, found and its
//! stored signatures verified again.

use turno_domain::correspondence::{Stage, Step};
use turno_store::blobs::BlobStore;
use turno_store::chain::sha256_hex;
use turno_store::correspondence::outgoing::{Number, OutgoingSignature, Signing};
use turno_store::{Outgoing, Store};

use crate::app::App;
use crate::checked::Checked;
use crate::correspondence::numbering;
use crate::correspondence::outgoing::{self, Action, OutgoingView, allowed, show};
use crate::efirma;
pub use crate::efirma::EfirmaInput;
use crate::error::{Error, FieldProblem};
use crate::limits;
use crate::principal::Principal;

/// The most bytes of a file the public page takes: a signed PDF issued by Turno is far smaller.
pub const MAX_UPLOAD: usize = 2 * 1024 * 1024 - 64 * 1024;

/// The document the person is about to sign with e.firma, at version `seen` (none: as it is
/// now): refused as the signature itself would be, so that the bytes are drawn only for the
/// titular of a document ready to sign.
pub async fn signable(
    app: &App,
    user: &Principal,
    id: i64,
    seen: Option<i64>,
) -> Result<OutgoingView, Error> {
    let view = show(app, user, id).await?;
    allowed(&view, user, Action::Sign, Step::Sign)?;
    if seen.is_some_and(|seen| seen != view.document.version) {
        return Err(changed());
    }
    Ok(view)
}

fn changed() -> Error {
    Error::Conflict(
        "El documento cambió desde que lo abrió: vuelva a cargarlo y fírmelo de nuevo.".into(),
    )
}

/// The names the signer block carries while the document is signed: the person signing, or
/// every signer in order, a line each.
pub async fn signer_block(
    app: &App,
    view: &OutgoingView,
    user: &Principal,
) -> Result<String, Error> {
    if view.document.signers.is_empty() {
        outgoing::names(app, std::slice::from_ref(&user.login)).await
    } else {
        outgoing::names(app, &view.document.signers).await
    }
}

/// The bytes the document's first signer signed, kept, while it waits for the others: every
/// signer signs the same bytes. None before the first signature.
pub async fn signed_before(app: &App, view: &OutgoingView) -> Result<Option<Vec<u8>>, Error> {
    let d = &view.document;
    let Some(first) = d.signatures.first().filter(|_| d.number.is_none()) else {
        return Ok(None);
    };
    app.blobs
        .get(&first.digest)
        .await
        .map(Some)
        .map_err(|e| Error::internal(format!("the bytes signed first: {e}")))
}

/// What a signature did: numbered the document (the last one), or left it waiting for the
/// next signer.
#[derive(Debug, Clone)]
pub enum Signed {
    Numbered(Number),
    Waiting {
        /// The signatures it has, of how many.
        signed: usize,
        of: usize,
        /// The next signer's login.
        next: String,
    },
}

impl Signed {
    /// What the person hears, in Spanish.
    pub fn message(&self) -> String {
        match self {
            Signed::Numbered(number) => {
                format!("Firmado con e.firma con el número {}.", number.text)
            }
            Signed::Waiting { signed, of, next } => format!(
                "Firma {signed} de {of} guardada. Sigue la firma de «{next}»; el documento se \
                 numera con la última."
            ),
        }
    }
}

/// The titular, or the signer whose turn it is, signs the document seen at version `seen` with
/// e.firma over `content`, the document's signable bytes as the web layer drew them for that
/// version (after a first signature, [`signed_before`]'s). The signature is verified (the
/// bytes, the certificate at this moment, its authority, its revocation, the RFC or CURP of the
/// person's record) before anything is stored; then the signed bytes are kept and the
/// signature recorded, with the number when it is the last, in one transaction. Every refusal
/// is a problem of the field `firma` or `certificado`, in Spanish; a signer out of turn is
/// refused before (422).
pub async fn sign(
    app: &App,
    user: &Principal,
    id: i64,
    seen: i64,
    content: &[u8],
    input: &EfirmaInput,
) -> Result<Signed, Error> {
    let view = signable(app, user, id, Some(seen)).await?;
    let at = app.clock.now();
    let verified = efirma::verify_input(&app.store, user.id, content, input, at).await?;
    let stored = app
        .blobs
        .put(content)
        .await
        .map_err(|e| Error::internal(format!("cannot keep the signed bytes: {e}")))?;
    if stored.sha256 != verified.digest {
        return Err(Error::internal(
            "the blob store's digest differs from the signature's".to_owned(),
        ));
    }
    let ordinal = view.document.signatures.len() + 1;
    let of = view.document.signers.len().max(1);
    let identity = [&verified.identity.rfc, &verified.identity.curp]
        .into_iter()
        .flatten()
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    let place = if of > 1 {
        format!("Firma {ordinal} de {of}. ")
    } else {
        String::new()
    };
    let note = format!(
        "{place}Firmado con e.firma por {} ({identity}), certificado {} de {}. SHA-256 del \
         documento firmado: {}.",
        verified.signer, verified.serial, verified.issuer, verified.digest
    );
    let signature = OutgoingSignature {
        ordinal: u32::try_from(ordinal).map_err(|e| Error::internal(e.to_string()))?,
        signer_login: user.login.clone(),
        signer_name: verified.signer,
        rfc: verified.identity.rfc,
        curp: verified.identity.curp,
        serial: verified.serial,
        issuer: verified.issuer,
        certificate: verified.certificate,
        claimed_time: verified.claimed_time,
        verified_at: verified.at,
        digest: verified.digest,
        cms: verified.signature,
    };
    if ordinal < of {
        app.store
            .cosign_outgoing(id, seen, &signature, &note)
            .await?;
        let next = view
            .document
            .signers
            .get(ordinal)
            .cloned()
            .unwrap_or_default();
        tracing::info!(id, ordinal, of, by = %user.login, "outgoing document signed with e.firma, waiting for the next signer");
        return Ok(Signed::Waiting {
            signed: ordinal,
            of,
            next,
        });
    }
    let numbering = numbering::in_force(app, &view.document.unit)
        .await?
        .numbering;
    let signing = Signing {
        by: user.login.clone(),
        at,
        year: at.to_zoned(app.time_zone.clone()).year(),
        numbering,
        scan: None,
        efirma: Some(signature),
        note: Some(note),
    };
    let number = app.store.sign_outgoing(id, seen, &signing).await?;
    tracing::info!(id, number = %number.text, by = %user.login, "outgoing document signed with e.firma");
    Ok(Signed::Numbered(number))
}

/// Keeps the SHA-256 of a signed PDF issued of a document, so that a copy is recognized.
pub async fn issued(app: &App, view: &OutgoingView, pdf: &[u8]) -> Result<(), Error> {
    app.store
        .record_issued(view.document.id, &sha256_hex(pdf), app.clock.now())
        .await?;
    Ok(())
}

/// What the public page is asked to check.
#[derive(Debug, Clone, Copy)]
pub enum Lookup<'a> {
    /// A file uploaded: a signed PDF as issued, or the signed bytes themselves.
    File(&'a [u8]),
    /// A document's number and the SHA-256 of its signed bytes, as the QR code carries them;
    /// or a case's folio and the SHA-256 of an activity's signed text, as its constancia's.
    Typed { number: &'a str, digest: &'a str },
}

impl<'a> Lookup<'a> {
    /// What a person asked to verify: the file when one was sent; else the number and digest
    /// typed, or, with neither, an empty file (refused as no document).
    pub fn asked(file: Option<&'a [u8]>, number: &'a str, digest: &'a str) -> Lookup<'a> {
        match file {
            Some(bytes) => Lookup::File(bytes),
            None if number.trim().is_empty() && digest.trim().is_empty() => Lookup::File(&[]),
            None => Lookup::Typed { number, digest },
        }
    }
}

/// How the document was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FoundBy {
    IssuedPdf,
    SignedBytes,
    NumberAndDigest,
    /// A case's folio and the digest of one of its authorizations.
    FolioAndDigest,
}

/// One stored signature verified again: what it says, and whether it still holds.
#[derive(Debug, Clone)]
pub struct Rechecked {
    pub signature: OutgoingSignature,
    /// None: valid; else why not, in Spanish.
    pub refusal: Option<String>,
}

/// A document found by the public page: no more than what proves it (not its subject nor its
/// text, which the person holding the copy has).
#[derive(Debug, Clone)]
pub struct PublicCheck {
    pub found_by: FoundBy,
    /// What was signed, in words: the document's kind («Oficio»), or an activity's
    /// authorization.
    pub kind: String,
    pub number: Option<String>,
    pub unit_name: String,
    pub cancelled: bool,
    pub signatures: Vec<Rechecked>,
}

impl PublicCheck {
    /// Authentic: found, and every signature verified again.
    pub fn authentic(&self) -> bool {
        !self.signatures.is_empty() && self.signatures.iter().all(|s| s.refusal.is_none())
    }
}

fn not_found(message: &str) -> Error {
    Error::NotFound(message.to_owned())
}

/// Finds the document a file or a number and digest belong to, and verifies its stored
/// signatures again over the signed bytes kept, at the moment each was verified, against the
/// authorities and lists loaded now (a list loaded since that revokes the certificate from
/// before that moment shows). Anyone may ask: no sign-in.
pub async fn verify_public(app: &App, lookup: Lookup<'_>) -> Result<PublicCheck, Error> {
    let (id, found_by) = match lookup {
        Lookup::File(bytes) => {
            if bytes.is_empty() {
                return Err(Error::InvalidFields(vec![FieldProblem::new(
                    "archivo",
                    "Elija el PDF firmado que quiere verificar.",
                )]));
            }
            if bytes.len() > MAX_UPLOAD {
                return Err(Error::InvalidFields(vec![FieldProblem::new(
                    "archivo",
                    format!(
                        "El archivo supera {} KiB: un documento firmado emitido por Turno es más \
                         pequeño.",
                        MAX_UPLOAD / 1024
                    ),
                )]));
            }
            let sha256 = sha256_hex(bytes);
            if let Some(id) = app.store.outgoing_by_issued(&sha256).await? {
                (id, FoundBy::IssuedPdf)
            } else if let Some(id) = app.store.outgoing_by_signed_digest(&sha256).await? {
                (id, FoundBy::SignedBytes)
            } else {
                return Err(not_found(
                    "Este archivo no es un documento firmado emitido por Turno, o fue alterado: \
                     ningún documento firmado tiene exactamente este contenido.",
                ));
            }
        }
        Lookup::Typed { number, digest } => {
            let mut checked = Checked::default();
            let number = checked.line(
                "numero",
                "el número del documento",
                number,
                limits::ISSUED_NUMBER,
                true,
            );
            let digest = digest.trim().to_ascii_lowercase();
            if digest.len() != 64 || !digest.bytes().all(|b| b.is_ascii_hexdigit()) {
                checked.wrong(
                    "resumen",
                    "Escriba el resumen SHA-256 del documento: 64 caracteres hexadecimales.",
                );
            }
            checked.done()?;
            match app.store.outgoing_by_number(&number, &digest).await? {
                Some(id) => (id, FoundBy::NumberAndDigest),
                None => {
                    if let Some(check) =
                        crate::authorizations::verify_public(app, &number, &digest).await?
                    {
                        return Ok(check);
                    }
                    return Err(not_found(
                        "No hay un documento firmado ni una autorización con ese número o folio \
                         y ese resumen: revise que los escribió como aparecen en la hoja de \
                         firmas o en la constancia.",
                    ));
                }
            }
        }
    };
    let document = app
        .store
        .outgoing(id)
        .await?
        .ok_or_else(|| Error::internal(format!("outgoing document {id} vanished")))?;
    if document.number.is_none() {
        // Some of its signers in order have signed, not all: nothing was issued yet.
        return Err(not_found(
            "Este documento aún no tiene todas sus firmas: Turno no lo ha emitido.",
        ));
    }
    let unit_name = app
        .store
        .units()
        .await?
        .into_iter()
        .find(|u| u.code == document.unit)
        .map_or_else(|| document.unit.clone(), |u| u.name);
    let mut signatures = Vec::new();
    for signature in document.signatures {
        let refusal = match app.blobs.get(&signature.digest).await {
            Ok(content) => efirma::verify(
                &app.store,
                &content,
                &signature.cms,
                signature.verified_at,
                None,
            )
            .await
            .err()
            .map(|e| e.to_string()),
            Err(e) => {
                tracing::error!(id, digest = %signature.digest, "signed bytes missing: {e}");
                Some("Los bytes firmados de este documento no están en el archivo de Turno.".into())
            }
        };
        signatures.push(Rechecked { signature, refusal });
    }
    Ok(PublicCheck {
        found_by,
        kind: document.kind.label().to_owned(),
        number: document.number.map(|n| n.text),
        unit_name,
        cancelled: document.stage == Stage::Cancelled,
        signatures,
    })
}
