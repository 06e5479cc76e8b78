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
use crate::forms::{Again, Submitted, short_text, single};
use crate::held::{self, Held};
use crate::page::{Frame, flash};
use crate::routes::case;
use crate::state::AppState;
use crate::views::{signed_in, when};
use axum::extract::multipart::{Field, MultipartError};
use axum::extract::{DefaultBodyLimit, Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use std::collections::HashMap;
use tokio::sync::mpsc;
use tower_sessions::Session;
use turno_app::FieldProblem;
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
pub async fn listed(
    state: &AppState,
    documents: Vec<turno_store::Document>,
) -> Result<Vec<DocumentView>, AppError> {
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

/// An answer other than the application's usual error pages: the document's form shown again
/// on the case page, and a download whose file changed.
#[derive(Debug)]
pub enum Refusal {
    App(AppError),
    Page {
        status: StatusCode,
        title: &'static str,
        message: String,
    },
    /// The document's form refused: shown again on the case page with `status`, the problem
    /// by its field (`item`, `document`) or above the form, and the file received held.
    Form {
        status: StatusCode,
        error: turno_app::Error,
        held: Option<Held>,
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

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        match self {
            Refusal::App(e) => e.into_response(),
            Refusal::Page {
                status,
                title,
                message,
            } => crate::error::error_page(status, title, message),
            // Shown again by `post`, which has the form.
            Refusal::Form { error, .. } => AppError::from(error).into_response(),
        }
    }
}

/// The form refused for a problem of its field `field`, with `status`.
fn wrong(status: StatusCode, field: &str, message: impl Into<String>) -> Refusal {
    Refusal::Form {
        status,
        error: turno_app::Error::InvalidFields(vec![FieldProblem::new(field, message)]),
        held: None,
    }
}

/// No file was chosen (and none is held for the form).
fn no_file() -> Refusal {
    wrong(
        StatusCode::UNPROCESSABLE_ENTITY,
        "document",
        "Elija el archivo que desea adjuntar.",
    )
}

/// `POST /asuntos/{folio}/documentos`: refused, the case page again with the form as it was
/// sent, each problem by its field, and the file held when it was not the problem.
pub async fn post(
    State(state): State<AppState>,
    frame: Frame,
    session: Session,
    Path(folio): Path<String>,
    CsrfMultipart(mut multipart): CsrfMultipart,
) -> Response {
    let mut sent = Submitted::new();
    let received = receive(
        &state,
        (&frame, &session),
        &folio,
        &mut multipart,
        &mut sent,
    )
    .await;
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
        Err(Refusal::Form {
            status,
            error,
            held,
        }) => {
            // Someone acted first on the activity chosen: told by the choice.
            let shown = Again::refused(sent, error, &["item", "document"])
                .map(|again| again.conflict_about("item"));
            match shown {
                Ok(again) => case::attach_again(&state, frame, folio, again, held, status)
                    .await
                    .unwrap_or_else(IntoResponse::into_response),
                Err(e) => e.into_response(),
            }
        }
        Err(refusal) => refusal.into_response(),
    }
}

/// Reads the form up to its file (the work item and a held file's digest come before it, as
/// the page's form orders them, and are kept in `sent`), then attaches the file, or the one
/// held for the form when none was chosen. Returns the document's name.
async fn receive(
    state: &AppState,
    (frame, session): (&Frame, &Session),
    folio: &str,
    multipart: &mut Multipart,
    sent: &mut Submitted,
) -> Result<String, Refusal> {
    loop {
        let Some(mut field) = multipart.next_field().await.map_err(unreadable)? else {
            let attachment = attachment(state, frame, folio, sent).await?;
            return attach_held(state, session, attachment, sent).await;
        };
        let name = field.name().unwrap_or_default().to_owned();
        match name.as_str() {
            "item" | held::FIELD => {
                let text = short_text(&mut field, TEXT_FIELD_LIMIT)
                    .await
                    .map_err(unreadable)?
                    .ok_or_else(|| {
                        bad_request("El formulario trae un dato demasiado largo o no válido.")
                    })?;
                sent.push((name, text));
            }
            FILE_FIELD => {
                let attachment = match attachment(state, frame, folio, sent).await {
                    Ok(attachment) => attachment,
                    // The file was not the problem: held, so as not to choose it again.
                    Err(Refusal::Form {
                        status,
                        error,
                        held: None,
                    }) => {
                        let held = hold(state, session, &mut field).await?;
                        return Err(Refusal::Form {
                            status,
                            error,
                            held,
                        });
                    }
                    Err(other) => return Err(other),
                };
                if field.file_name().unwrap_or_default().is_empty() {
                    return attach_held(state, session, attachment, sent).await;
                }
                return attach(state, attachment, field).await;
            }
            // Anything else is skipped by the next `next_field`.
            _ => {}
        }
    }
}

fn bad_request(message: impl Into<String>) -> Refusal {
    Refusal::App(AppError::BadRequest(message.into()))
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

/// The checks of attaching to the work item the form chose (its number, or blank for the
/// case): a refusal a form can show is the form's.
async fn attachment(
    state: &AppState,
    frame: &Frame,
    folio: &str,
    sent: &Submitted,
) -> Result<documents::Attachment, Refusal> {
    let user = signed_in(frame)?;
    // Not a number: no activity of the case, open or not.
    let chosen = single(sent, "item")
        .map(|number| number.parse::<u32>())
        .transpose()
        .map_err(|_| turno_app::Error::from(NotAttachable::Item));
    let checked = match chosen {
        Ok(chosen) => documents::attachment(state, user, folio, chosen).await,
        Err(e) => Err(e),
    };
    checked.map_err(|error| match error {
        turno_app::Error::Conflict(_) => Refusal::Form {
            status: StatusCode::CONFLICT,
            error,
            held: None,
        },
        turno_app::Error::Refused(_) => Refusal::Form {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            error,
            held: None,
        },
        other => other.into(),
    })
}

/// Holds the file of `field` for the form shown again (`held.rs`), streamed to the blob
/// store; `None` when none was chosen, or the store does not take it.
async fn hold(
    state: &AppState,
    session: &Session,
    field: &mut Field<'_>,
) -> Result<Option<Held>, Refusal> {
    let name = file_name(field.file_name().unwrap_or_default());
    if name.is_empty() {
        return Ok(None);
    }
    let Some(first) = field.chunk().await.map_err(unreadable)? else {
        return Ok(None);
    };
    let (chunks, received) = mpsc::channel(4);
    let (_, stored) = tokio::join!(
        pump(field, chunks),
        state.blobs.put_reader(Received::new(first, received))
    );
    let Ok(stored) = stored else {
        return Ok(None);
    };
    Ok(Some(
        held::keep(state, session, &name, &stored.sha256, "").await?,
    ))
}

/// Attaches the file held for the form (its digest in `sent`), as it was sent.
async fn attach_held(
    state: &AppState,
    session: &Session,
    attachment: documents::Attachment,
    sent: &Submitted,
) -> Result<String, Refusal> {
    let Some(sha256) = single(sent, held::FIELD) else {
        return Err(no_file());
    };
    let Some((name, bytes)) = held::take(state, session, sha256).await? else {
        return Err(no_file());
    };
    let file = File {
        name: name.clone(),
        mime: String::new(),
        content: bytes.as_slice(),
    };
    match attachment.attach(state, file).await {
        Ok(_) => Ok(name),
        Err(refused) => Err(refusal(refused, Ok(()))),
    }
}

/// Attaches the file of `field` as it arrives.
async fn attach(
    state: &AppState,
    attachment: documents::Attachment,
    mut field: Field<'_>,
) -> Result<String, Refusal> {
    let name = file_name(field.file_name().unwrap_or_default());
    let mime = field.content_type().unwrap_or_default().to_owned();
    let Some(first) = field.chunk().await.map_err(unreadable)? else {
        return Err(wrong(
            StatusCode::UNPROCESSABLE_ENTITY,
            "document",
            format!("El archivo «{name}» está vacío; no se adjuntó."),
        ));
    };

    let (chunks, received) = mpsc::channel(4);
    let file = File {
        name: name.clone(),
        mime,
        content: Received::new(first, received),
    };
    let (pumped, attached) = tokio::join!(pump(&mut field, chunks), attachment.attach(state, file));
    match attached {
        Ok(_) => Ok(name),
        Err(refused) => Err(refusal(refused, pumped)),
    }
}

/// Why the file was not attached, by the form's file input; `pumped`, how reading it ended.
fn refusal(refused: Refused, pumped: Result<(), MultipartError>) -> Refusal {
    match refused {
        Refused::TooLarge(message) => wrong(StatusCode::PAYLOAD_TOO_LARGE, "document", message),
        Refused::WrongType(message) => wrong(StatusCode::UNPROCESSABLE_ENTITY, "document", message),
        Refused::Cut => match pumped {
            Err(e) => unreadable(e),
            Ok(()) => wrong(
                StatusCode::BAD_REQUEST,
                "document",
                "No se recibió el archivo completo. Intente de nuevo.",
            ),
        },
        Refused::Other(e) => e.into(),
    }
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
