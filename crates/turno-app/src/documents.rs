//! A case's documents, for the case page and the API alike: who may attach one and to which
//! activity, attaching an upload through the engine, why an upload was refused (in words), and
//! a stored file given back only if it is still the one recorded. Reading the upload from the
//! request and answering with the file are the edges'.

use crate::access::{acting_for, actor, visible_current};
use crate::app::App;
use crate::commands::{Attached, CommandError, OnCase, Upload, attach_document};
use crate::error::Error;
use crate::principal::Principal;
use std::sync::Arc;
use tokio::io::AsyncRead;
use turno_domain::definition::{ParticipantId, Procedure};
use turno_domain::engine::{Actor, Case, WorkItemId};
use turno_store::blobs::{BlobError, BlobStore};
use turno_store::{CaseId, Document, Store};

/// A size as people read it: "15 bytes", "1.5 KB", "25 MB" (multiples of 1024).
pub fn size_label(bytes: u64) -> String {
    const KB: u64 = 1024;
    const MB: u64 = 1024 * 1024;
    let decimal = |whole: u64, unit: u64, name: &str| {
        // One decimal, rounded, without a trailing ".0".
        let tenths = (whole.saturating_mul(10) + unit / 2) / unit;
        if tenths.is_multiple_of(10) {
            format!("{} {name}", tenths / 10)
        } else {
            format!("{}.{} {name}", tenths / 10, tenths % 10)
        }
    };
    if bytes < KB {
        format!("{bytes} bytes")
    } else if (bytes.saturating_mul(10) + KB / 2) / KB < 10 * 1024 {
        decimal(bytes, KB, "KB")
    } else {
        decimal(bytes, MB, "MB")
    }
}

/// The open work items a person may attach a document to, with whom they act for on each and
/// the activity's label ("2.1 · Revisa el informe").
pub fn actable(
    procedure: &Procedure,
    case: &Case,
    user: &Principal,
) -> Vec<(WorkItemId, Option<ParticipantId>, String)> {
    case.open
        .iter()
        .filter_map(|item| {
            let participant = acting_for(procedure, case, item, user)?;
            let activity = procedure.activity(item.activity);
            Some((
                item.id,
                participant,
                format!("{} · {}", activity.number, activity.text),
            ))
        })
        .collect()
}

/// Why a person may not attach a document to a case (or to the activity they chose).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotAttachable {
    /// The case has no open activity left.
    Closed,
    /// None of its open activities is the person's to act on.
    NotTheirs,
    /// The activity chosen is closed, or not theirs.
    Item,
}

impl NotAttachable {
    pub fn message(self) -> &'static str {
        match self {
            NotAttachable::Closed => {
                "El asunto ya no tiene actividades en curso: no admite más documentos."
            }
            NotAttachable::NotTheirs => {
                "Solo quien atiende una actividad en curso de este asunto puede adjuntarle \
                 documentos."
            }
            NotAttachable::Item => {
                "Esa actividad ya fue atendida o no le corresponde. Revise el estado actual del \
                 asunto."
            }
        }
    }
}

/// A case closed to documents is refused with the reason; a person who acts on none of its
/// activities is denied; an activity no longer open was answered first.
impl From<NotAttachable> for Error {
    fn from(reason: NotAttachable) -> Error {
        let message = reason.message().to_owned();
        match reason {
            NotAttachable::Closed => Error::Refused(message),
            NotAttachable::NotTheirs => Error::Denied(message),
            NotAttachable::Item => Error::Conflict(message),
        }
    }
}

/// The work item a document answers (none if none was chosen) and whom the person attaches it
/// for: only people who may act on one of the case's open activities (administrators too) may
/// attach, and only to an activity that is theirs.
fn attaching(
    procedure: &Procedure,
    case: &Case,
    user: &Principal,
    item: Option<u32>,
) -> Result<(Option<WorkItemId>, Option<ParticipantId>), NotAttachable> {
    let actable = actable(procedure, case, user);
    let Some((_, first, _)) = actable.first() else {
        return Err(if case.open.is_empty() {
            NotAttachable::Closed
        } else {
            NotAttachable::NotTheirs
        });
    };
    match item {
        None => Ok((None, *first)),
        Some(n) => actable
            .iter()
            .find(|(item, ..)| item.0 == n)
            .map(|(item, participant, _)| (Some(*item), *participant))
            .ok_or(NotAttachable::Item),
    }
}

/// A document the person may attach to a visible case, answering `item` (an open activity of
/// theirs) or none in particular, once its checks passed.
pub struct Attachment {
    folio: String,
    case_id: CaseId,
    procedure: Arc<Procedure>,
    item: Option<WorkItemId>,
    by: Actor,
}

/// The checks of attaching a document, before the file is read: the case visible, and an open
/// activity of the person's to answer ([`NotAttachable`]).
pub async fn attachment(
    app: &App,
    user: &Principal,
    folio: &str,
    item: Option<u32>,
) -> Result<Attachment, Error> {
    let (case_id, procedure, current) = visible_current(app, user, folio).await?;
    let (item, participant) = attaching(&procedure, &current.case, user, item)?;
    let by = actor(
        &procedure,
        item.and_then(|i| current.case.work_item(i)),
        user,
        participant,
    );
    Ok(Attachment {
        folio: folio.to_owned(),
        case_id,
        procedure,
        item,
        by,
    })
}

/// An uploaded file as it arrives.
pub struct File<R> {
    /// Its name as the uploader gave it ("oficio.pdf").
    pub name: String,
    /// The type the uploader declared; may be empty.
    pub mime: String,
    pub content: R,
}

/// Why an upload was not attached.
#[derive(Debug)]
pub enum Refused {
    /// Larger than the blob store accepts; the message names the limit.
    TooLarge(String),
    /// Its declared type is malformed, or its content is not what it was declared to be.
    WrongType(String),
    /// The file did not arrive whole.
    Cut,
    /// Refused or failed as any command may be.
    Other(Error),
}

/// Why a file larger than `limit` bytes is not attached.
pub fn too_large(limit: u64) -> String {
    format!(
        "El archivo supera el tamaño máximo permitido de {} y no se adjuntó. Redúzcalo (por \
         ejemplo, digitalizándolo a menor resolución) o divídalo en varios archivos.",
        size_label(limit)
    )
}

impl Attachment {
    /// The case's id.
    pub fn case_id(&self) -> CaseId {
        self.case_id
    }

    /// The work item the document answers, if any.
    pub fn item(&self) -> Option<WorkItemId> {
        self.item
    }

    /// Attaches the file through the engine, which records a `DocumentAttached` event; the
    /// blob store keeps the file by its SHA-256 as it arrives.
    pub async fn attach<R: AsyncRead + Unpin + Send>(
        self,
        app: &App,
        file: File<R>,
    ) -> Result<Attached, Refused> {
        let (name, login) = (file.name.clone(), self.by.user.clone());
        let moment = app.moment();
        let ctx = moment.context();
        let upload = Upload {
            name: file.name,
            mime: file.mime,
            content: file.content,
            by: self.by,
            item: self.item,
        };
        let attached = attach_document(
            &app.store,
            app.blobs.as_ref(),
            OnCase::new(&self.procedure, self.case_id, &ctx),
            upload,
        )
        .await
        .map_err(|e| refused(e, &self.folio, &name, &login))?;
        tracing::info!(
            folio = %attached.committed.folio,
            document = %name,
            size = attached.blob.size,
            sha256 = %attached.blob.sha256,
            user = %login,
            "document attached"
        );
        Ok(attached)
    }
}

/// Reads why an upload of `name` to `folio` by `login` was not attached, noting the refusals
/// worth knowing about in the log.
fn refused(error: CommandError, folio: &str, name: &str, login: &str) -> Refused {
    match error {
        CommandError::Blob(BlobError::TooLarge { limit }) => {
            tracing::info!(folio, document = %name, limit, "upload over the limit refused");
            Refused::TooLarge(too_large(limit))
        }
        CommandError::Blob(BlobError::MimeMismatch {
            declared, found, ..
        }) => {
            tracing::warn!(folio, document = %name, declared = %declared, found, user = %login, "upload whose content is not its declared type refused");
            Refused::WrongType(format!(
                "El archivo «{name}» se envió como {}, pero no lo es: {}. No se adjuntó.",
                declared_es(&declared),
                found_es(found)
            ))
        }
        CommandError::Blob(BlobError::InvalidMime(declared)) => Refused::WrongType(format!(
            "El tipo de archivo declarado («{declared}») no es válido; no se adjuntó."
        )),
        CommandError::Blob(BlobError::Upload(_)) => Refused::Cut,
        other => Refused::Other(other.into()),
    }
}

/// What a declared type promises, in words.
fn declared_es(essence: &str) -> String {
    match essence {
        "application/pdf" | "application/x-pdf" => "PDF".to_owned(),
        "image/png" => "imagen PNG".to_owned(),
        "image/jpeg" | "image/jpg" | "image/pjpeg" => "imagen JPEG".to_owned(),
        other => other.to_owned(),
    }
}

/// What the content turned out to be, in words (the store describes it in English).
fn found_es(found: &str) -> &'static str {
    match found {
        "a PDF" => "es un PDF",
        "a PNG image" => "es una imagen PNG",
        "a JPEG image" => "es una imagen JPEG",
        "a ZIP archive (such as an Office document)" => {
            "es un archivo ZIP (como un documento de Office)"
        }
        "a program (executable)" => "es un programa (ejecutable)",
        "plain text" => "es texto",
        "empty" => "está vacío",
        _ => "su contenido es de otro tipo",
    }
}

/// Why a document cannot be served.
#[derive(Debug)]
pub enum NotServed {
    /// The case has no document with that id.
    NotFound,
    /// Its stored file does not match its record (changed, damaged or deleted); the message
    /// says so with the document's name.
    Unavailable(String),
    Failed(Error),
}

/// A document of a visible case with its file, read back only if it still is the file
/// recorded.
pub async fn stored(
    app: &App,
    folio: &str,
    case: CaseId,
    document_id: i64,
) -> Result<(Document, Vec<u8>), NotServed> {
    let document = app
        .store
        .documents(case)
        .await
        .map_err(|e| NotServed::Failed(e.into()))?
        .into_iter()
        .find(|d| d.id == document_id)
        .ok_or(NotServed::NotFound)?;
    match app.blobs.get(&document.sha256).await {
        Ok(content) => Ok((document, content)),
        Err(BlobError::Altered(_) | BlobError::NotFound(_)) => {
            let exists = app.blobs.exists(&document.sha256).await.unwrap_or(true);
            tracing::error!(
                folio,
                document = document.id,
                sha256 = %document.sha256,
                missing = !exists,
                "a document's stored file does not match its record; not served"
            );
            Err(NotServed::Unavailable(format!(
                "El archivo guardado del documento «{}» no coincide con el que se registró (fue \
                 modificado, dañado o eliminado), por lo que no se entrega. Avise al \
                 administrador del sistema.",
                document.name
            )))
        }
        Err(other) => Err(NotServed::Failed(Error::Internal(Box::new(other)))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_in_kb_and_mb() {
        assert_eq!(size_label(15), "15 bytes");
        assert_eq!(size_label(1024), "1 KB");
        assert_eq!(size_label(1536), "1.5 KB");
        assert_eq!(size_label(25 * 1024 * 1024), "25 MB");
        assert_eq!(size_label(1024 * 1024 + 100 * 1024), "1.1 MB");
        assert_eq!(size_label(1024 * 1024 - 1), "1 MB");
    }
}
