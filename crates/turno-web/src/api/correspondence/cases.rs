//! Cases and correspondence together (issue 17, item 4): `POST
//! /api/v1/correspondence/incoming/{folio}/case` starts a case from an incoming document, its
//! data filled from the document where the request gives none (`cases::start_filled`); `GET
//! /api/v1/cases/{folio}/incoming` lists the documents a case was started from.

use super::incoming::{IncomingBody, IncomingFolio, IncomingList};
use crate::api::auth::ApiUser;
use crate::api::cases::{IDEMPOTENCY_KEY, IdempotencyKey, answer, idempotency_key};
use crate::api::error::{ApiError, ErrorBody, FieldError, Json, Path};
use crate::api::params::CaseFolio;
use crate::api::schema::CommandResult;
use crate::state::AppState;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde::Deserialize;
use std::collections::BTreeMap;
use turno_app::correspondence::cases::{self, StartInput};
use utoipa::ToSchema;

/// A case to start from the document: the procedure, and whatever replaces the document's own
/// data (the matter is its subject, the channel its kind, the requester its sender, and each
/// field of the procedure whose name and type say so holds the document's datum).
#[derive(Debug, Deserialize, ToSchema)]
pub struct StartCaseRequest {
    /// The procedure's key (`GET /api/v1/procedures`); the case starts on its newest version.
    #[schema(example = "cnpss-103", max_length = 40)]
    pub procedure: String,
    /// The matter, in a line; by default the document's subject.
    #[schema(max_length = 300)]
    pub title: Option<String>,
    /// How it arrived; by default the document's kind (Oficio, Memorándum…).
    #[schema(max_length = 300)]
    pub channel: Option<String>,
    /// Who sends it; by default the document's sender.
    #[schema(max_length = 300)]
    pub requester: Option<String>,
    /// The procedure's fields by name, as a person would type them; each replaces the value
    /// filled from the document.
    #[serde(default)]
    #[schema(schema_with = crate::api::schema::field_values)]
    pub fields: BTreeMap<String, String>,
}

/// Starts a case from an incoming document: the case and the document's link to it in one
/// transaction. A document starts one case: a second is refused (409). Honors an
/// `Idempotency-Key` header.
#[utoipa::path(
    post,
    path = "/api/v1/correspondence/incoming/{folio}/case",
    operation_id = "start_case_from_incoming",
    tag = "correspondencia",
    request_body = StartCaseRequest,
    params(IncomingFolio, IdempotencyKey),
    responses(
        (status = 201, description = "Asunto iniciado", body = CommandResult,
         headers(("Location" = String, description = "La URL del asunto en la API"))),
        (status = 403, description = "El usuario no lee el documento, solo consulta, o ninguna de sus unidades inicia el procedimiento", body = ErrorBody),
        (status = 409, description = "El documento ya inició un asunto", body = ErrorBody),
        (status = 422, description = "Datos no válidos (`invalid_fields`, con cada campo)", body = ErrorBody),
    ),
)]
pub async fn start(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(IncomingFolio { folio }): Path<IncomingFolio>,
    headers: HeaderMap,
    Json(request): Json<StartCaseRequest>,
) -> Result<Response, ApiError> {
    let key = idempotency_key(headers.get(IDEMPOTENCY_KEY), &user)?;
    let input = StartInput {
        procedure: request.procedure,
        title: request.title,
        channel: request.channel,
        requester: request.requester,
        fields: request.fields,
    };
    let committed = cases::start_filled(&state, &user, &folio, input, key.as_deref())
        .await
        .map_err(|e| match e {
            // The procedure is a field of the body (the document was found first).
            turno_app::Error::NotFound(message) if message.contains("procedimiento") => {
                ApiError::invalid_fields(vec![FieldError::new("procedure", message)])
            }
            other => other.into(),
        })?;
    Ok(answer(StatusCode::CREATED, &committed))
}

/// The incoming documents a case was started from, as the user sees each.
#[utoipa::path(
    get,
    path = "/api/v1/cases/{folio}/incoming",
    operation_id = "case_incoming",
    tag = "correspondencia",
    params(CaseFolio),
    responses(
        (status = 200, description = "Los documentos de entrada que iniciaron el asunto", body = IncomingList),
    ),
)]
pub async fn of_case(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(CaseFolio { folio }): Path<CaseFolio>,
) -> Result<Json<IncomingList>, ApiError> {
    let documents = cases::incoming_of_case(&state, &user, &folio).await?;
    Ok(Json(IncomingList {
        documents: documents.into_iter().map(IncomingBody::from).collect(),
    }))
}
