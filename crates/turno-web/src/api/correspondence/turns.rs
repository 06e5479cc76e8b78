//! `/api/v1/correspondence/incoming/{folio}/turns`: turning a document (or a turned unit's part
//! on, with `parent`), each turn with its instruction, term and note; a turn answered, returned
//! or withdrawn (`…/turns/{turn}/closure`); and its volante de control as PDF.

use super::incoming::{IncomingBody, IncomingFolio, instruction_codes};
use crate::api::auth::ApiUser;
use crate::api::created;
use crate::api::error::{ApiError, ErrorBody, Json, Path};
use crate::state::AppState;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use turno_app::correspondence::incoming;
use turno_app::correspondence::turns::{self, Outcome, TurnTo};
use utoipa::{IntoParams, ToSchema};

/// A turn of a document (`{folio}`, `{turn}`).
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct IncomingTurnPath {
    /// El folio del documento
    #[param(example = "CE-2026-000001", pattern = "^CE-[0-9]{4}-[0-9]{6,}$")]
    pub folio: String,
    /// El número del turno
    pub turn: i64,
}

/// One turn to give.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TurnToUnit {
    #[schema(max_length = 40, pattern = "^[A-Za-z0-9-]+$", example = "SIDSS-CAS")]
    pub unit: String,
    /// One person of `unit` (their login: titular, operador or enlace externo) who attends it;
    /// none: the whole unit. Within a turn's own unit (`parent`'s), required: the turn is
    /// reassigned to that person.
    #[schema(max_length = 40, example = "analista")]
    pub person: Option<String>,
    #[schema(schema_with = instruction_codes, example = "atencion")]
    pub instruction: String,
    /// Días hábiles to answer; none for «conocimiento», which owes no answer.
    #[schema(minimum = 1, maximum = 250)]
    pub days: Option<u16>,
    #[schema(
        max_length = 4000,
        pattern = r"^[^\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F]*$"
    )]
    pub note: Option<String>,
}

/// Turns to give at once.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TurnsRequest {
    /// The turn whose unit turns its part on to units below it; none: from the registering
    /// unit.
    pub parent: Option<i64>,
    #[schema(min_items = 1, max_items = 50)]
    pub turns: Vec<TurnToUnit>,
}

/// Turns the document to one or several units, each with its instruction, term and note.
#[utoipa::path(
    post,
    path = "/api/v1/correspondence/incoming/{folio}/turns",
    operation_id = "turn_incoming",
    tag = "correspondencia",
    params(IncomingFolio),
    request_body = TurnsRequest,
    responses(
        (status = 201, description = "Turnado: el documento con sus turnos", body = IncomingBody),
        (status = 403, description = "El documento no concierne al usuario, o no trabaja la unidad que turna", body = ErrorBody),
        (status = 404, description = "No existe ese documento o ese turno", body = ErrorBody),
        (status = 409, description = "El turno de origen ya no está abierto", body = ErrorBody),
        (status = 422, description = "Datos no válidos (`invalid_fields`): una unidad que no existe, que no depende de la unidad que turna o ya turnada, un plazo para conocimiento; o un turno para conocimiento turnado de nuevo (`refused`)", body = ErrorBody),
    ),
)]
pub async fn turn(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(IncomingFolio { folio }): Path<IncomingFolio>,
    Json(request): Json<TurnsRequest>,
) -> Result<Response, ApiError> {
    let days: Vec<String> = request
        .turns
        .iter()
        .map(|t| t.days.map(|d| d.to_string()).unwrap_or_default())
        .collect();
    let to: Vec<TurnTo> = request
        .turns
        .iter()
        .zip(&days)
        .map(|(t, days)| TurnTo {
            unit: &t.unit,
            person: t.person.as_deref().unwrap_or_default(),
            instruction: &t.instruction,
            days,
            note: t.note.as_deref().unwrap_or_default(),
        })
        .collect();
    turns::turn(&state, &user, &folio, request.parent, &to).await?;
    let view = incoming::printed(&state, &user, &folio).await?;
    Ok(created(
        &format!("/api/v1/correspondence/incoming/{folio}"),
        IncomingBody::from(view),
    ))
}

/// What is done with a turn.
#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Closure {
    /// Its unit answers it.
    Answer,
    /// Its unit returns it to the unit that turned it.
    Return,
    /// The unit that gave it withdraws it (and the turns given below it).
    Withdraw,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ClosureRequest {
    pub action: Closure,
    /// The answer, or the reason to return or withdraw it.
    #[schema(max_length = 4000, pattern = r"\S")]
    pub text: String,
}

/// Answers, returns or withdraws an open turn.
#[utoipa::path(
    post,
    path = "/api/v1/correspondence/incoming/{folio}/turns/{turn}/closure",
    operation_id = "close_incoming_turn",
    tag = "correspondencia",
    params(IncomingTurnPath),
    request_body = ClosureRequest,
    responses(
        (status = 200, description = "Hecho: el documento con sus turnos", body = IncomingBody),
        (status = 403, description = "El documento no concierne al usuario, o no trabaja la unidad del turno (o la que lo dio, para retirarlo)", body = ErrorBody),
        (status = 404, description = "No existe ese documento o ese turno", body = ErrorBody),
        (status = 409, description = "El turno ya no está abierto", body = ErrorBody),
        (status = 422, description = "El texto no es válido, o el turno espera los turnos que su unidad dio de él (`refused`)", body = ErrorBody),
    ),
)]
pub async fn close(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(IncomingTurnPath { folio, turn }): Path<IncomingTurnPath>,
    Json(request): Json<ClosureRequest>,
) -> Result<Json<IncomingBody>, ApiError> {
    match request.action {
        Closure::Answer => {
            turns::close(
                &state,
                &user,
                &folio,
                turn,
                Outcome::Answered,
                &request.text,
            )
            .await?
        }
        Closure::Return => {
            turns::close(
                &state,
                &user,
                &folio,
                turn,
                Outcome::Returned,
                &request.text,
            )
            .await?
        }
        Closure::Withdraw => turns::withdraw(&state, &user, &folio, turn, &request.text).await?,
    }
    Ok(Json(incoming::printed(&state, &user, &folio).await?.into()))
}

/// A turn's volante de control, as a PDF.
#[utoipa::path(
    get,
    path = "/api/v1/correspondence/incoming/{folio}/turns/{turn}/slip",
    operation_id = "incoming_turn_slip",
    tag = "correspondencia",
    params(IncomingTurnPath),
    responses(
        (status = 200, description = "El volante de control", content(("application/pdf"))),
        (status = 404, description = "No existe ese documento o ese turno", body = ErrorBody),
    ),
)]
pub async fn slip(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(IncomingTurnPath { folio, turn }): Path<IncomingTurnPath>,
) -> Result<Response, ApiError> {
    let bytes = crate::routes::correspondence::pdf::slip(&state, &user, &folio, turn).await?;
    Ok(
        crate::routes::correspondence::pdf::response(
            &format!("volante-{folio}-{turn}.pdf"),
            bytes,
        )?
        .into_response(),
    )
}
