//! `GET` and `POST /api/v1/cases/{folio}/documents`, `GET /api/v1/cases/{folio}/documents/{id}`:
//! a case's documents, attaching one, and downloading it. The same rules as the case page:
//! whoever sees the case lists and downloads its documents, only people who may act on one of
//! its open activities attach, and the store checks the file (its size, its declared type)
//! as it arrives and records a `document_attached` event.
//!
//! An upload is the request's raw body, its type in `Content-Type` and its name in the query
//! (`?name=oficio.pdf&item=3`): no multipart framing for a program to build, and the body goes
//! to the blob store as it arrives, never whole in memory. So that files as large as the blob
//! store accepts get through, its route is served outside the application's 2 MiB body limit
//! (`api::upload_router`).

use super::auth::ApiUser;
use super::error::{ApiError, ErrorBody, Json, Path, Query};
use super::params::CaseFolio;
use crate::documents::{Received, download as download_file, file_name, next_chunk};
use crate::state::AppState;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, header};
use axum::response::Response;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use turno_app::access::{visible_case, visible_id};
use turno_app::documents::{self, File, NotServed, Refused, too_large};
use turno_domain::engine::Event;
use turno_store::Store;
use turno_store::blobs::BlobStore;
use utoipa::{IntoParams, ToSchema};

/// A document attached to a case.
#[derive(Debug, Serialize, ToSchema)]
pub struct Document {
    /// Its number in the case, as `GET /api/v1/cases/{folio}/documents/{id}` names it.
    pub id: i64,
    /// The file's name as it was uploaded.
    #[schema(example = "Oficio de respuesta.pdf")]
    pub name: String,
    /// Its type: the declared one, or what its content is when none was declared.
    #[schema(example = "application/pdf")]
    pub mime: String,
    /// Its size in bytes.
    pub size: i64,
    /// The SHA-256 of its content (hexadecimal): the file is stored, and checked, by it.
    pub sha256: String,
    /// When it was attached (RFC 3339).
    pub uploaded_at: String,
    /// The login of who attached it.
    pub uploaded_by: String,
    /// The work item it answers (`open_work[].item`), if any.
    pub item: Option<u32>,
}

impl Document {
    fn new(row: turno_store::Document, item: Option<u32>) -> Document {
        Document {
            id: row.id,
            name: row.name,
            mime: row.mime,
            size: row.size,
            sha256: row.sha256,
            uploaded_at: row.uploaded_at,
            uploaded_by: row.uploaded_by,
            item,
        }
    }
}

/// The documents of a case, oldest first.
#[utoipa::path(
    get,
    path = "/api/v1/cases/{folio}/documents",
    operation_id = "list_documents",
    tag = "documentos",
    params(CaseFolio),
    responses(
        (status = 200, description = "Los documentos del asunto", body = [Document]),
    ),
)]
pub async fn list(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(CaseFolio { folio }): Path<CaseFolio>,
) -> Result<Json<Vec<Document>>, ApiError> {
    let (id, _, stored) = visible_case(&state, &user, &folio).await?;
    // The work item a document answers is recorded in the event its row was projected from.
    let items: HashMap<i64, Option<u32>> = stored
        .events
        .iter()
        .filter_map(|e| match &e.event {
            Event::DocumentAttached { item, .. } => Some((e.id, item.map(|i| i.0))),
            _ => None,
        })
        .collect();
    let documents = state.store.documents(id).await?;
    Ok(Json(
        documents
            .into_iter()
            .map(|row| {
                let item = row.event_id.and_then(|e| items.get(&e).copied().flatten());
                Document::new(row, item)
            })
            .collect(),
    ))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UploadQuery {
    /// The file's name, as it will be listed and downloaded (`oficio.pdf`); a path in it is
    /// dropped, and what is left must have a visible character.
    #[param(
        required = true,
        pattern = r"[^/\\\s\x00-\x1F\x7F-\x9F][^/\\]*$",
        example = "oficio.pdf"
    )]
    name: Option<String>,
    /// The open activity the document answers (`open_work[].item`), one the user may act on.
    /// Without it, the document answers none in particular.
    item: Option<u32>,
}

/// Attaches a file to a case: the request's body is the file, as it is. Only people who may
/// act on one of the case's open activities (administrators too) may attach. The file may be
/// as large as the blob store accepts; a PDF, PNG or JPEG `Content-Type` must be true of its
/// content.
#[utoipa::path(
    post,
    path = "/api/v1/cases/{folio}/documents",
    operation_id = "attach_document",
    tag = "documentos",
    params(
        CaseFolio,
        UploadQuery,
        ("Content-Type" = Option<String>, Header, description = "El tipo del archivo (`application/pdf`, `image/png`…); sin él, el que muestre su contenido"),
    ),
    request_body(description = "El archivo, tal cual, con su Content-Type", content(("*/*"))),
    responses(
        (status = 201, description = "Adjuntado", body = Document,
         headers(("Location" = String, description = "La URL de descarga del documento"))),
        (status = 400, description = "Falta el nombre o el archivo no llegó completo", body = ErrorBody),
        (status = 403, description = "El asunto no es del usuario, o no atiende ninguna de sus actividades en curso", body = ErrorBody),
        (status = 404, description = "No existe ese folio", body = ErrorBody),
        (status = 409, description = "La actividad `item` ya fue atendida o no le corresponde", body = ErrorBody),
        (status = 413, description = "El archivo supera el tamaño máximo", body = ErrorBody),
        (status = 415, description = "El Content-Type no es válido o el contenido no es de ese tipo", body = ErrorBody),
        (status = 422, description = "El archivo está vacío, o el asunto ya no tiene actividades en curso", body = ErrorBody),
    ),
)]
pub async fn upload(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(CaseFolio { folio }): Path<CaseFolio>,
    Query(query): Query<UploadQuery>,
    headers: HeaderMap,
    mut body: Body,
) -> Result<Response, ApiError> {
    let attachment = documents::attachment(&state, &user, &folio, query.item)
        .await
        .map_err(|e| match e {
            // The activity is the query's `item`.
            turno_app::Error::Conflict(message) => {
                ApiError::conflict(format!("Parámetro «item»: {message}"))
            }
            other => other.into(),
        })?;
    let name = file_name(query.name.as_deref().unwrap_or_default());
    if name.is_empty() {
        return Err(ApiError::bad_request(
            "Falta el nombre del archivo: envíelo en el parámetro «name» (por ejemplo, \
             ?name=oficio.pdf).",
        ));
    }
    // A declared length over the limit is refused before reading anything; the store still
    // stops at the limit whatever the body turns out to be.
    let limit = state.blobs.limit();
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|length| length > limit) {
        return Err(ApiError::too_large(too_large(limit)));
    }
    let mime = match headers.get(header::CONTENT_TYPE) {
        None => String::new(),
        Some(value) => value.to_str().map(str::to_owned).map_err(|_| {
            ApiError::unsupported_type(
                "El encabezado Content-Type no es un tipo de archivo válido.",
            )
        })?,
    };
    let empty = || ApiError::refused(format!("El archivo «{name}» está vacío; no se adjuntó."));
    let first = match next_chunk(&mut body).await {
        None => return Err(empty()),
        Some(Ok(first)) => first,
        Some(Err(_)) => return Err(cut()),
    };

    let (id, item) = (attachment.case_id(), attachment.item());
    let file = File {
        name: name.clone(),
        mime,
        content: Received::new(first, body),
    };
    let attached = attachment
        .attach(&state, file)
        .await
        .map_err(|refused| match refused {
            Refused::TooLarge(message) => ApiError::too_large(message),
            Refused::WrongType(message) => {
                ApiError::unsupported_type(format!("Encabezado Content-Type: {message}"))
            }
            Refused::Cut => cut(),
            Refused::Other(e) => e.into(),
        })?;
    // The command answers with the case's version, not the document's row: the row is the
    // newest of this case with this content, name and uploader.
    let row = state
        .store
        .documents(id)
        .await?
        .into_iter()
        .rev()
        .find(|d| d.sha256 == attached.blob.sha256 && d.name == name && d.uploaded_by == user.login)
        .ok_or_else(|| ApiError::internal(format!("document {name} of {folio} has no row")))?;
    let location = format!(
        "/api/v1/cases/{}/documents/{}",
        attached.committed.folio, row.id
    );
    Ok(super::created(
        &location,
        Document::new(row, item.map(|i| i.0)),
    ))
}

fn cut() -> ApiError {
    ApiError::bad_request("No se recibió el archivo completo. Intente de nuevo.")
}

/// Which of a case's documents (`{id}`).
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct DocumentId {
    /// El número del documento (`id` en la lista)
    id: i64,
}

/// A document's file, with its type and its name (`Content-Disposition`).
#[utoipa::path(
    get,
    path = "/api/v1/cases/{folio}/documents/{id}",
    operation_id = "download_document",
    tag = "documentos",
    params(
        CaseFolio,
        DocumentId,
    ),
    responses(
        (status = 200, description = "El archivo, con su Content-Type", content(("*/*")),
         headers(("Content-Disposition" = String, description = "`attachment` con el nombre del archivo"))),
        (status = 404, description = "No existe ese folio, o el asunto no tiene ese documento", body = ErrorBody),
        (status = 500, description = "El archivo guardado ya no coincide con el registrado", body = ErrorBody),
    ),
)]
pub async fn download(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(CaseFolio { folio }): Path<CaseFolio>,
    Path(DocumentId { id: document }): Path<DocumentId>,
) -> Result<Response, ApiError> {
    let case = visible_id(&state, &user, &folio).await?;
    let (document, content) = documents::stored(&state, &folio, case, document)
        .await
        .map_err(|e| match e {
            NotServed::NotFound => {
                ApiError::not_found("Este asunto no tiene un documento con ese número.")
            }
            NotServed::Unavailable(message) => ApiError::failed(message),
            NotServed::Failed(e) => e.into(),
        })?;
    download_file(&document, content).map_err(ApiError::internal)
}
