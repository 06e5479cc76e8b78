//! `POST /asuntos/{folio}/documentos`: attaching a document (an oficio, evidence, the signed
//! results) to a case from its page; `GET /asuntos/{folio}/documentos/{id}`: downloading it.
//!
//! The upload is streamed: the file part of the form goes through a small channel into the
//! application's `Attachment::attach` (`turno_app::documents`) and the store, which checks the declared type against the first bytes and
//! refuses the file as soon as it passes the blob store's limit. Nothing holds the whole file
//! in memory. This route's body limit is the blob limit plus a margin for the form's other
//! fields (`body_limit`), instead of the application's 2 MiB.

use crate::auth::csrf::CsrfMultipart;
use crate::documents::{Received, download as download_file, file_name, pump};
use crate::error::AppError;
use crate::forms::short_text;
use crate::page::{Frame, flash};
use crate::state::AppState;
use crate::views::{signed_in, when};
use axum::extract::multipart::{Field, MultipartError};
use axum::extract::{DefaultBodyLimit, Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use std::collections::HashMap;
use tokio::sync::mpsc;
use turno_app::access::visible_id;
use turno_app::documents::{self, File, NotAttachable, NotServed, Refused, size_label};
use turno_store::Store;
use turno_store::blobs::BlobStore;

/// Room in an upload's body for the multipart framing and the form's other fields.
const FORM_MARGIN: u64 = 256 * 1024;

/// The form's text fields (a work item's number) are short.
const TEXT_FIELD_LIMIT: usize = 1024;

/// The file input's name in the form.
const FILE_FIELD: &str = "documento";

/// The body limit of the upload route: the largest file the blob store accepts, plus the
/// form around it. Replaces axum's default (2 MB) for that route only.
pub fn body_limit(state: &AppState) -> DefaultBodyLimit {
    let limit = state.blobs.limit().saturating_add(FORM_MARGIN);
    DefaultBodyLimit::max(usize::try_from(limit).unwrap_or(usize::MAX))
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

impl From<turno_app::Error> for Refusal {
    fn from(e: turno_app::Error) -> Refusal {
        Refusal::App(e.into())
    }
}

fn bad_request(message: impl Into<String>) -> Refusal {
    Refusal::App(AppError::BadRequest(message.into()))
}

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        match self {
            Refusal::App(e) => e.into_response(),
            Refusal::Page {
                status,
                title,
                message,
            } => crate::error::error_page(status, title, message),
        }
    }
}

pub async fn post(
    State(state): State<AppState>,
    frame: Frame,
    Path(folio): Path<String>,
    CsrfMultipart(mut multipart): CsrfMultipart,
) -> Response {
    let received = receive(&state, &frame, &folio, &mut multipart).await;
    // Whatever the answer, read the rest of the form (no more than the route's body limit):
    // a browser still sending its upload may not show an answer that comes before the end.
    while let Ok(Some(mut field)) = multipart.next_field().await {
        while let Ok(Some(_)) = field.chunk().await {}
    }
    match received {
        Ok(name) => {
            flash(&frame, &format!("Documento «{name}» adjuntado."));
            Redirect::to(&format!("/asuntos/{folio}")).into_response()
        }
        Err(refusal) => refusal.into_response(),
    }
}

/// Reads the form up to its file (the work item comes before it, as the page's form orders
/// them), then attaches the file. Returns the document's name.
async fn receive(
    state: &AppState,
    frame: &Frame,
    folio: &str,
    multipart: &mut Multipart,
) -> Result<String, Refusal> {
    let mut item: Option<String> = None;
    loop {
        let Some(mut field) = multipart.next_field().await.map_err(unreadable)? else {
            return Err(bad_request("Elija el archivo que desea adjuntar."));
        };
        match field.name() {
            Some("item") => {
                item = Some(
                    short_text(&mut field, TEXT_FIELD_LIMIT)
                        .await
                        .map_err(unreadable)?
                        .ok_or_else(|| {
                            bad_request("El formulario trae un dato demasiado largo o no válido.")
                        })?,
                );
            }
            Some(FILE_FIELD) => {
                return attach(state, frame, folio, item.unwrap_or_default(), field).await;
            }
            // Anything else is skipped by the next `next_field`.
            _ => {}
        }
    }
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

/// Attaches the file of `field` to the work item `item` (its number, or blank for the case).
async fn attach(
    state: &AppState,
    frame: &Frame,
    folio: &str,
    item: String,
    mut field: Field<'_>,
) -> Result<String, Refusal> {
    let user = signed_in(frame)?;
    let chosen = match item.trim() {
        "" => None,
        // Not a number: no activity of the case, open or not.
        number => Some(
            number
                .parse::<u32>()
                .map_err(|_| AppError::from(turno_app::Error::from(NotAttachable::Item)))?,
        ),
    };
    let attachment = documents::attachment(state, user, folio, chosen).await?;
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
    let file = File {
        name: name.clone(),
        mime,
        content: Received::new(first, received),
    };
    let (pumped, attached) = tokio::join!(pump(&mut field, chunks), attachment.attach(state, file));
    let Err(refused) = attached else {
        return Ok(name);
    };
    Err(match refused {
        Refused::TooLarge(message) => Refusal::Page {
            status: StatusCode::PAYLOAD_TOO_LARGE,
            title: "Archivo demasiado grande",
            message,
        },
        Refused::WrongType(message) => bad_request(message),
        Refused::Cut => match pumped {
            Err(e) => unreadable(e),
            Ok(()) => bad_request("No se recibió el archivo completo. Intente de nuevo."),
        },
        Refused::Other(e) => e.into(),
    })
}

pub async fn download(
    State(state): State<AppState>,
    frame: Frame,
    Path((folio, document)): Path<(String, String)>,
) -> Result<Response, Refusal> {
    let case = visible_id(&state, signed_in(&frame)?, &folio).await?;
    let document_id: i64 = document.parse().map_err(|_| AppError::NotFound)?;
    let (document, content) = documents::stored(&state, &folio, case, document_id)
        .await
        .map_err(|e| match e {
            NotServed::NotFound => Refusal::App(AppError::NotFound),
            NotServed::Unavailable(message) => Refusal::Page {
                status: StatusCode::INTERNAL_SERVER_ERROR,
                title: "Documento no disponible",
                message,
            },
            NotServed::Failed(e) => e.into(),
        })?;
    download_file(&document, content).map_err(|e| AppError::Internal(e.into()).into())
}
