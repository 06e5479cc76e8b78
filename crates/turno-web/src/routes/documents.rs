//! `POST /asuntos/{folio}/documentos`: attaching a document (an oficio, evidence, the signed
//! results) to a case from its page; `GET /asuntos/{folio}/documentos/{id}`: downloading it.
//!
//! The upload is streamed: the file part of the form goes through a small channel into the
//! store's `attach_document`, which checks the declared type against the first bytes and
//! refuses the file as soon as it passes the blob store's limit. Nothing holds the whole file
//! in memory. This route's body limit is the blob limit plus a margin for the form's other
//! fields (`body_limit`), instead of the application's 2 MiB.

use crate::access::{acting_for, visible_current, visible_id, visible_units};
use crate::auth::{SignedIn, csrf};
use crate::error::AppError;
use crate::page::{Frame, Layout, flash};
use crate::state::AppState;
use crate::views::{signed_in, when};
use askama::Template;
use axum::body::Bytes;
use axum::extract::multipart::{Field, MultipartError, MultipartRejection};
use axum::extract::{DefaultBodyLimit, Multipart, Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use std::collections::HashMap;
use std::pin::Pin;
use std::task::{Context, Poll, ready};
use tokio::io::{AsyncRead, ReadBuf};
use tokio::sync::mpsc;
use turno_domain::definition::{ParticipantId, Procedure};
use turno_domain::engine::{Actor, Case, WorkItemId};
use turno_store::Store;
use turno_store::blobs::{BlobError, BlobStore};
use turno_store::commands::{CommandError, Upload, attach_document};

/// Room in an upload's body for the multipart framing and the form's other fields.
const FORM_MARGIN: u64 = 256 * 1024;

/// The form's text fields (the CSRF token, a work item's number) are short.
const TEXT_FIELD_LIMIT: usize = 1024;

/// The file input's name in the form.
const FILE_FIELD: &str = "documento";

/// The body limit of the upload route: the largest file the blob store accepts, plus the
/// form around it. Replaces axum's default (2 MB) for that route only.
pub fn body_limit(state: &AppState) -> DefaultBodyLimit {
    let limit = state.blobs.limit().saturating_add(FORM_MARGIN);
    DefaultBodyLimit::max(usize::try_from(limit).unwrap_or(usize::MAX))
}

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

/// The largest file accepted, as the upload form and the refusal say it.
pub fn limit_label(state: &AppState) -> String {
    size_label(state.blobs.limit())
}

/// A document as the case page lists it.
pub struct DocumentView {
    pub id: i64,
    pub name: String,
    pub mime: String,
    pub size: String,
    /// Who attached it (their name, or their login if they are no longer a user).
    pub by: String,
    pub at: String,
}

/// The documents of a case, oldest first, for its page.
pub async fn listed(state: &AppState, case: i64) -> Result<Vec<DocumentView>, AppError> {
    let documents = state.store.documents(case).await?;
    let mut names: HashMap<String, String> = HashMap::new();
    let mut listed = Vec::with_capacity(documents.len());
    for d in documents {
        if !names.contains_key(&d.uploaded_by) {
            let name = state
                .store
                .user_by_login(&d.uploaded_by)
                .await?
                .map_or_else(|| d.uploaded_by.clone(), |r| r.user.name);
            names.insert(d.uploaded_by.clone(), name);
        }
        listed.push(DocumentView {
            id: d.id,
            size: size_label(u64::try_from(d.size).unwrap_or(0)),
            by: names[&d.uploaded_by].clone(),
            at: when(&d.uploaded_at, &state.time_zone),
            name: d.name,
            mime: d.mime,
        });
    }
    Ok(listed)
}

/// The open work items a person may attach a document to, with whom they act for on each.
fn actable(
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

/// The choices of the upload form's "answers the activity" select: item number and label.
/// Empty when the person may not attach documents to the case (the form is not shown):
/// only people who may act on one of its open activities (administrators too) may.
pub fn choices(
    procedure: &Procedure,
    case: &Case,
    user: &SignedIn,
    visible: &[String],
) -> Vec<(u32, String)> {
    actable(procedure, case, user, visible)
        .into_iter()
        .map(|(item, _, label)| (item.0, label))
        .collect()
}

/// An answer other than the application's usual error pages: the upload's own refusals
/// (413 naming the limit, 403 saying who may attach) and a download whose file changed.
#[derive(Debug)]
pub enum Refusal {
    App(AppError),
    Page {
        status: StatusCode,
        title: &'static str,
        message: String,
    },
}

impl From<AppError> for Refusal {
    fn from(e: AppError) -> Refusal {
        Refusal::App(e)
    }
}

fn bad_request(message: impl Into<String>) -> Refusal {
    Refusal::App(AppError::BadRequest(message.into()))
}

fn too_large(limit: u64) -> Refusal {
    Refusal::Page {
        status: StatusCode::PAYLOAD_TOO_LARGE,
        title: "Archivo demasiado grande",
        message: format!(
            "El archivo supera el tamaño máximo permitido de {} y no se adjuntó. Redúzcalo \
             (por ejemplo, digitalizándolo a menor resolución) o divídalo en varios archivos.",
            size_label(limit)
        ),
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct RefusalPage<'a> {
    layout: Layout,
    title: &'a str,
    message: &'a str,
}

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        match self {
            Refusal::App(e) => e.into_response(),
            Refusal::Page {
                status,
                title,
                message,
            } => {
                let page = RefusalPage {
                    layout: Layout::anonymous(),
                    title,
                    message: &message,
                };
                match page.render() {
                    Ok(html) => (status, Html(html)).into_response(),
                    Err(_) => (status, message).into_response(),
                }
            }
        }
    }
}

pub async fn post(
    State(state): State<AppState>,
    frame: Frame,
    Path(folio): Path<String>,
    multipart: Result<Multipart, MultipartRejection>,
) -> Response {
    let Ok(mut multipart) = multipart else {
        return bad_request(
            "El formulario no llegó como envío de archivo. Vuelva a cargar la página.",
        )
        .into_response();
    };
    let received = receive(&state, &frame, &folio, &mut multipart).await;
    // Whatever the answer, read the rest of the form (no more than the route's body limit):
    // a browser still sending its upload may not show an answer that comes before the end.
    while let Ok(Some(mut field)) = multipart.next_field().await {
        while let Ok(Some(_)) = field.chunk().await {}
    }
    match received {
        Ok(name) => {
            flash(&frame.session, &format!("Documento «{name}» adjuntado.")).await;
            Redirect::to(&format!("/asuntos/{folio}")).into_response()
        }
        Err(refusal) => refusal.into_response(),
    }
}

/// Reads the form up to its file (the CSRF token and the work item come before it, as the
/// page's form orders them), then attaches the file. Returns the document's name.
async fn receive(
    state: &AppState,
    frame: &Frame,
    folio: &str,
    multipart: &mut Multipart,
) -> Result<String, Refusal> {
    let mut token: Option<String> = None;
    let mut item: Option<String> = None;
    loop {
        let Some(mut field) = multipart.next_field().await.map_err(unreadable)? else {
            // The end of the form without a file: nothing to attach (or no token either).
            return match token {
                Some(token) if csrf::check(&frame.session, &token).await => {
                    Err(bad_request("Elija el archivo que desea adjuntar."))
                }
                _ => Err(expired()),
            };
        };
        match field.name() {
            Some("csrf") => token = Some(small_text(&mut field).await?),
            Some("item") => item = Some(small_text(&mut field).await?),
            Some(FILE_FIELD) => {
                let form = Form {
                    token: token.unwrap_or_default(),
                    item: item.unwrap_or_default(),
                };
                return attach(state, frame, folio, form, field).await;
            }
            // Anything else is skipped by the next `next_field`.
            _ => {}
        }
    }
}

/// The form's fields before the file.
struct Form {
    token: String,
    item: String,
}

fn expired() -> Refusal {
    bad_request("El formulario caducó. Vuelva a cargar la página.")
}

fn unreadable(e: MultipartError) -> Refusal {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        return Refusal::Page {
            status: StatusCode::PAYLOAD_TOO_LARGE,
            title: "Envío demasiado grande",
            message: "El formulario enviado supera el tamaño permitido.".into(),
        };
    }
    tracing::info!(error = %e, "unreadable upload form");
    bad_request("No se recibió el formulario completo. Intente de nuevo.")
}

async fn small_text(field: &mut Field<'_>) -> Result<String, Refusal> {
    let mut bytes = Vec::new();
    while let Some(chunk) = field.chunk().await.map_err(unreadable)? {
        bytes.extend_from_slice(&chunk);
        if bytes.len() > TEXT_FIELD_LIMIT {
            return Err(bad_request("El formulario trae un dato demasiado largo."));
        }
    }
    String::from_utf8(bytes).map_err(|_| bad_request("El formulario trae un dato no válido."))
}

/// The file's name as the browser sent it, without a path (old browsers sent the whole path),
/// control characters, or more than 200 characters. Browsers send `"` as `%22`.
fn file_name(sent: &str) -> String {
    let base = sent.rsplit(['/', '\\']).next().unwrap_or(sent);
    base.replace("%22", "\"")
        .chars()
        .filter(|c| !c.is_control())
        .take(200)
        .collect::<String>()
        .trim()
        .to_owned()
}

async fn attach(
    state: &AppState,
    frame: &Frame,
    folio: &str,
    form: Form,
    mut field: Field<'_>,
) -> Result<String, Refusal> {
    if !csrf::check(&frame.session, &form.token).await {
        return Err(expired());
    }
    let user = signed_in(frame)?;
    let (id, procedure, current) = visible_current(state, user, folio).await?;
    let visible = visible_units(user).to_vec();
    let case = current.case;
    let actable = actable(&procedure, &case, user, &visible);
    if actable.is_empty() {
        return Err(if case.open.is_empty() {
            bad_request("El asunto ya no tiene actividades en curso: no admite más documentos.")
        } else {
            Refusal::Page {
                status: StatusCode::FORBIDDEN,
                title: "Sin permiso",
                message: "Solo quien atiende una actividad en curso de este asunto puede \
                          adjuntarle documentos."
                    .into(),
            }
        });
    }
    let (item, participant) = match form.item.trim() {
        "" => (None, actable[0].1),
        number => {
            let chosen = number
                .parse::<u32>()
                .ok()
                .and_then(|n| actable.iter().find(|(item, ..)| item.0 == n));
            match chosen {
                Some((item, participant, _)) => (Some(*item), *participant),
                None => {
                    return Err(Refusal::App(AppError::Conflict(
                        "Esa actividad ya fue atendida o no le corresponde. Revise el estado \
                         actual del asunto."
                            .into(),
                    )));
                }
            }
        }
    };
    let name = file_name(field.file_name().unwrap_or_default());
    if name.is_empty() {
        return Err(bad_request("Elija el archivo que desea adjuntar."));
    }
    let mime = field.content_type().unwrap_or_default().to_owned();
    let Some(first) = field.chunk().await.map_err(unreadable)? else {
        return Err(bad_request(format!(
            "El archivo «{name}» está vacío; no se adjuntó."
        )));
    };

    let (chunks, received) = mpsc::channel(4);
    let upload = Upload {
        name: name.clone(),
        mime: mime.clone(),
        content: Received {
            chunks: received,
            current: Bytes::new(),
        },
        by: Actor {
            user: user.login.clone(),
            participant,
        },
        item,
    };
    let ctx = state.context();
    let (pumped, attached) = tokio::join!(
        pump(&mut field, first, chunks),
        attach_document(
            &state.store,
            state.blobs.as_ref(),
            &procedure,
            id,
            None,
            upload,
            &ctx,
            None,
        )
    );
    match attached {
        Ok(attached) => {
            tracing::info!(
                folio = %attached.committed.folio,
                document = %name,
                size = attached.blob.size,
                sha256 = %attached.blob.sha256,
                user = %user.login,
                "document attached"
            );
            Ok(name)
        }
        Err(CommandError::Blob(BlobError::TooLarge { limit })) => {
            tracing::info!(folio, document = %name, limit, "upload over the limit refused");
            Err(too_large(limit))
        }
        Err(CommandError::Blob(BlobError::MimeMismatch {
            declared, found, ..
        })) => {
            tracing::warn!(folio, document = %name, declared = %declared, found, user = %user.login, "upload whose content is not its declared type refused");
            Err(bad_request(format!(
                "El archivo «{name}» se envió como {}, pero no lo es: {}. No se adjuntó.",
                declared_es(&declared),
                found_es(found)
            )))
        }
        Err(CommandError::Blob(BlobError::InvalidMime(declared))) => Err(bad_request(format!(
            "El tipo de archivo declarado («{declared}») no es válido; no se adjuntó."
        ))),
        Err(CommandError::Blob(BlobError::Upload(_))) => Err(match pumped {
            Err(e) => unreadable(e),
            Ok(()) => bad_request("No se recibió el archivo completo. Intente de nuevo."),
        }),
        Err(CommandError::Blob(other)) => Err(AppError::Internal(other.into()).into()),
        Err(other) => Err(AppError::from(other).into()),
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

/// Sends the file part's chunks to the store as they arrive. A failure to read the form is
/// passed on as an error, so that a cut-off upload is never stored as a shorter file. If the
/// store stops reading (it refused the file), the rest of the part is read and dropped.
async fn pump(
    field: &mut Field<'_>,
    first: Bytes,
    chunks: mpsc::Sender<std::io::Result<Bytes>>,
) -> Result<(), MultipartError> {
    let mut chunks = Some(chunks);
    let mut next = Some(first);
    loop {
        let chunk = match next.take() {
            Some(chunk) => chunk,
            None => match field.chunk().await {
                Ok(Some(chunk)) => chunk,
                Ok(None) => return Ok(()),
                Err(e) => {
                    if let Some(sender) = &chunks {
                        let _ = sender.send(Err(std::io::Error::other(e.body_text()))).await;
                    }
                    return Err(e);
                }
            },
        };
        if let Some(sender) = &chunks
            && sender.send(Ok(chunk)).await.is_err()
        {
            chunks = None;
        }
    }
}

/// The file part as the store reads it: the chunks `pump` sends, in order; the end when it
/// is done.
struct Received {
    chunks: mpsc::Receiver<std::io::Result<Bytes>>,
    current: Bytes,
}

impl AsyncRead for Received {
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
            match ready!(self.chunks.poll_recv(cx)) {
                Some(Ok(chunk)) => self.current = chunk,
                Some(Err(e)) => return Poll::Ready(Err(e)),
                None => return Poll::Ready(Ok(())),
            }
        }
    }
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

pub async fn download(
    State(state): State<AppState>,
    frame: Frame,
    Path((folio, document)): Path<(String, String)>,
) -> Result<Response, Refusal> {
    let case = visible_id(&state, signed_in(&frame)?, &folio).await?;
    let document_id: i64 = document.parse().map_err(|_| AppError::NotFound)?;
    let document = state
        .store
        .documents(case)
        .await
        .map_err(AppError::from)?
        .into_iter()
        .find(|d| d.id == document_id)
        .ok_or(AppError::NotFound)?;
    let content = match state.blobs.get(&document.sha256).await {
        Ok(content) => content,
        Err(BlobError::Altered(_) | BlobError::NotFound(_)) => {
            let exists = state.blobs.exists(&document.sha256).await.unwrap_or(true);
            tracing::error!(
                folio,
                document = document.id,
                sha256 = %document.sha256,
                missing = !exists,
                "a document's stored file does not match its record; not served"
            );
            return Err(Refusal::Page {
                status: StatusCode::INTERNAL_SERVER_ERROR,
                title: "Documento no disponible",
                message: format!(
                    "El archivo guardado del documento «{}» no coincide con el que se \
                     registró (fue modificado, dañado o eliminado), por lo que no se entrega. \
                     Avise al administrador del sistema.",
                    document.name
                ),
            });
        }
        Err(other) => return Err(AppError::Internal(other.into()).into()),
    };
    let content_type = HeaderValue::from_str(&document.mime)
        .unwrap_or_else(|_| HeaderValue::from_static("application/octet-stream"));
    let disposition = HeaderValue::from_str(&content_disposition(&document.name))
        .map_err(|e| AppError::Internal(e.into()))?;
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
