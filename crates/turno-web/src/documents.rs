//! A case's documents as the pages and the API share them: who may attach one and to which
//! activity, the file's name, the upload read as it arrives, why an upload was refused (in
//! words), and a stored file served back only if it is still the one recorded.

use crate::access::acting_for;
use crate::auth::SignedIn;
use crate::state::AppState;
use axum::body::{Body, Bytes, HttpBody};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use std::pin::Pin;
use std::task::{Context, Poll, ready};
use tokio::io::{AsyncRead, ReadBuf};
use tokio::sync::mpsc;
use turno_domain::definition::{ParticipantId, Procedure};
use turno_domain::engine::{Case, WorkItemId};
use turno_store::blobs::{BlobError, BlobStore};
use turno_store::commands::{Attached, CommandError, Upload, attach_document};
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

/// The open work items a person may attach a document to, with whom they act for on each.
pub fn actable(
    procedure: &Procedure,
    case: &Case,
    user: &SignedIn,
    visible: &[String],
) -> Vec<(WorkItemId, Option<ParticipantId>, String)> {
    case.open
        .iter()
        .filter_map(|item| {
            let participant = acting_for(procedure, case, item, user, visible)?;
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

/// The work item a document answers (none if none was chosen) and whom the person attaches it
/// for: only people who may act on one of the case's open activities (administrators too) may
/// attach, and only to an activity that is theirs.
pub fn attaching(
    procedure: &Procedure,
    case: &Case,
    user: &SignedIn,
    visible: &[String],
    item: Option<u32>,
) -> Result<(Option<WorkItemId>, Option<ParticipantId>), NotAttachable> {
    let actable = actable(procedure, case, user, visible);
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

/// The file's name as the uploader sent it, without a path (old browsers sent the whole path),
/// control characters, or more than `limits::FILE_NAME` characters. Browsers send `"` as `%22`.
pub fn file_name(sent: &str) -> String {
    let base = sent.rsplit(['/', '\\']).next().unwrap_or(sent);
    base.replace("%22", "\"")
        .chars()
        .filter(|c| !c.is_control())
        .take(crate::usecase::limits::FILE_NAME)
        .collect::<String>()
        .trim()
        .to_owned()
}

/// Where an upload's chunks come from, in order; `None` at the end.
pub trait Chunks: Unpin {
    fn poll_chunk(&mut self, cx: &mut Context<'_>) -> Poll<Option<std::io::Result<Bytes>>>;
}

/// The chunks a task passes on from a form's file part.
impl Chunks for mpsc::Receiver<std::io::Result<Bytes>> {
    fn poll_chunk(&mut self, cx: &mut Context<'_>) -> Poll<Option<std::io::Result<Bytes>>> {
        self.poll_recv(cx)
    }
}

/// A request's body as it arrives (trailers and empty frames are not part of the file).
impl Chunks for Body {
    fn poll_chunk(&mut self, cx: &mut Context<'_>) -> Poll<Option<std::io::Result<Bytes>>> {
        loop {
            match ready!(Pin::new(&mut *self).poll_frame(cx)) {
                Some(Ok(frame)) => {
                    if let Ok(data) = frame.into_data()
                        && !data.is_empty()
                    {
                        return Poll::Ready(Some(Ok(data)));
                    }
                }
                Some(Err(e)) => return Poll::Ready(Some(Err(std::io::Error::other(e)))),
                None => return Poll::Ready(None),
            }
        }
    }
}

/// The next chunk of an upload.
pub async fn next_chunk<C: Chunks>(chunks: &mut C) -> Option<std::io::Result<Bytes>> {
    std::future::poll_fn(|cx| chunks.poll_chunk(cx)).await
}

/// An upload as the store reads it: `first`, then the rest of the chunks. A failure to
/// receive is passed on as an error, so that a cut-off upload is never stored as a shorter
/// file.
pub struct Received<C> {
    chunks: C,
    current: Bytes,
}

impl<C> Received<C> {
    pub fn new(first: Bytes, chunks: C) -> Received<C> {
        Received {
            chunks,
            current: first,
        }
    }
}

impl<C: Chunks> AsyncRead for Received<C> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        if buf.remaining() == 0 {
            return Poll::Ready(Ok(()));
        }
        loop {
            if !self.current.is_empty() {
                let n = self.current.len().min(buf.remaining());
                let taken = self.current.split_to(n);
                buf.put_slice(&taken);
                return Poll::Ready(Ok(()));
            }
            match ready!(self.chunks.poll_chunk(cx)) {
                Some(Ok(chunk)) => self.current = chunk,
                Some(Err(e)) => return Poll::Ready(Err(e)),
                None => return Poll::Ready(Ok(())),
            }
        }
    }
}

/// Why `attach_document` did not attach an upload.
#[derive(Debug)]
pub enum Refused {
    /// Larger than the blob store accepts; the message names the limit.
    TooLarge(String),
    /// Its declared type is malformed, or its content is not what it was declared to be.
    WrongType(String),
    /// The file did not arrive whole.
    Cut,
    /// The engine or the store refused or failed, as with any command.
    Command(CommandError),
    /// The blob store failed.
    Failed(BlobError),
}

/// Why a file larger than `limit` bytes is not attached.
pub fn too_large(limit: u64) -> String {
    format!(
        "El archivo supera el tamaño máximo permitido de {} y no se adjuntó. Redúzcalo (por \
         ejemplo, digitalizándolo a menor resolución) o divídalo en varios archivos.",
        size_label(limit)
    )
}

/// Attaches an upload to the case `case` (folio `folio`) through the engine, which records a
/// `DocumentAttached` event; the blob store keeps the file by its SHA-256 as it arrives.
pub async fn attach_upload<R: AsyncRead + Unpin + Send>(
    state: &AppState,
    procedure: &Procedure,
    folio: &str,
    case: CaseId,
    upload: Upload<R>,
) -> Result<Attached, Refused> {
    let (name, login) = (upload.name.clone(), upload.by.user.clone());
    let moment = state.moment();
    let ctx = moment.context();
    let attached = attach_document(
        &state.store,
        state.blobs.as_ref(),
        procedure,
        case,
        None,
        upload,
        &ctx,
        None,
    )
    .await
    .map_err(|e| refused(e, folio, &name, &login))?;
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
        CommandError::Blob(other) => Refused::Failed(other),
        other => Refused::Command(other),
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
    Failed(anyhow::Error),
}

/// A document of a case with its file, read back only if it still is the file recorded.
pub async fn stored(
    state: &AppState,
    folio: &str,
    case: CaseId,
    document_id: i64,
) -> Result<(Document, Vec<u8>), NotServed> {
    let document = state
        .store
        .documents(case)
        .await
        .map_err(|e| NotServed::Failed(e.into()))?
        .into_iter()
        .find(|d| d.id == document_id)
        .ok_or(NotServed::NotFound)?;
    match state.blobs.get(&document.sha256).await {
        Ok(content) => Ok((document, content)),
        Err(BlobError::Altered(_) | BlobError::NotFound(_)) => {
            let exists = state.blobs.exists(&document.sha256).await.unwrap_or(true);
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
        Err(other) => Err(NotServed::Failed(other.into())),
    }
}

/// A document's file as a download: its type, its name, and not kept by shared caches.
pub fn download(
    document: &Document,
    content: Vec<u8>,
) -> Result<Response, header::InvalidHeaderValue> {
    file_response(&document.mime, &document.name, content)
}

/// A scanned oficio kept without its declared type (a suplencia's written delegation, a
/// petition's letter) as a download: a PDF when it starts like one, bytes otherwise.
pub fn scanned_response(name: &str, content: Vec<u8>) -> Result<Response, crate::error::AppError> {
    let mime = if content.starts_with(b"%PDF") {
        "application/pdf"
    } else {
        "application/octet-stream"
    };
    file_response(mime, name, content).map_err(|e| crate::error::AppError::Internal(e.into()))
}

/// A file as a download: its type, its name, and not kept by shared caches.
pub fn file_response(
    mime: &str,
    name: &str,
    content: Vec<u8>,
) -> Result<Response, header::InvalidHeaderValue> {
    let content_type = HeaderValue::from_str(mime)
        .unwrap_or_else(|_| HeaderValue::from_static("application/octet-stream"));
    let disposition = HeaderValue::from_str(&content_disposition(name))?;
    Ok((
        [
            (header::CONTENT_TYPE, content_type),
            (header::CONTENT_DISPOSITION, disposition),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("private, no-store"),
            ),
        ],
        content,
    )
        .into_response())
}

/// `Content-Disposition` of a download: an ASCII `filename` for old clients and the real
/// name in `filename*` (RFC 5987: UTF-8, percent-encoded but for the attribute characters).
fn content_disposition(name: &str) -> String {
    let fallback: String = name
        .chars()
        .map(|c| match c {
            'á' | 'à' | 'ä' | 'â' => 'a',
            'é' | 'è' | 'ë' | 'ê' => 'e',
            'í' | 'ì' | 'ï' | 'î' => 'i',
            'ó' | 'ò' | 'ö' | 'ô' => 'o',
            'ú' | 'ù' | 'ü' | 'û' => 'u',
            'Á' | 'À' | 'Ä' | 'Â' => 'A',
            'É' | 'È' | 'Ë' | 'Ê' => 'E',
            'Í' | 'Ì' | 'Ï' | 'Î' => 'I',
            'Ó' | 'Ò' | 'Ö' | 'Ô' => 'O',
            'Ú' | 'Ù' | 'Ü' | 'Û' => 'U',
            'ñ' => 'n',
            'Ñ' => 'N',
            c if c == ' ' || (c.is_ascii_graphic() && c != '"' && c != '\\' && c != '%') => c,
            _ => '_',
        })
        .collect();
    let encoded: String = name
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    format!("attachment; filename=\"{fallback}\"; filename*=UTF-8''{encoded}")
}

/// Sends the file part's chunks (after the first, which the store already has) to the store
/// as they arrive. A failure to read the form is passed on as an error. If the store stops
/// reading (it refused the file), the rest of the part is read and dropped.
pub async fn pump(
    field: &mut axum::extract::multipart::Field<'_>,
    chunks: tokio::sync::mpsc::Sender<std::io::Result<Bytes>>,
) -> Result<(), axum::extract::multipart::MultipartError> {
    let mut chunks = Some(chunks);
    loop {
        let chunk = match field.chunk().await {
            Ok(Some(chunk)) => chunk,
            Ok(None) => return Ok(()),
            Err(e) => {
                if let Some(sender) = &chunks {
                    let _ = sender.send(Err(std::io::Error::other(e.body_text()))).await;
                }
                return Err(e);
            }
        };
        if let Some(sender) = &chunks
            && sender.send(Ok(chunk)).await.is_err()
        {
            chunks = None;
        }
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

    #[test]
    fn spanish_names_are_encoded_for_the_download() {
        assert_eq!(
            content_disposition("Oficio núm. 7 (año 2026).pdf"),
            "attachment; filename=\"Oficio num. 7 (ano 2026).pdf\"; \
             filename*=UTF-8''Oficio%20n%C3%BAm.%207%20%28a%C3%B1o%202026%29.pdf"
        );
        assert_eq!(
            content_disposition("a\"b\\c;%.pdf"),
            "attachment; filename=\"a_b_c;_.pdf\"; filename*=UTF-8''a%22b%5Cc%3B%25.pdf"
        );
    }

    #[test]
    fn uploaded_names_lose_their_paths_and_controls() {
        assert_eq!(file_name("C:\\Documentos\\oficio.pdf"), "oficio.pdf");
        assert_eq!(file_name("/home/x/informe final.pdf"), "informe final.pdf");
        assert_eq!(file_name("a\u{7}b%22c%22.pdf"), "ab\"c\".pdf");
        assert_eq!(file_name("  "), "");
    }
}
