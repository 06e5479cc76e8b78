//! `POST /api/v1/cases/{folio}/work/{item}/turns`: turning an open activity to one or several
//! units for their attention, as the case page's "Turnar" does. Each unit answers its turn
//! with `POST /api/v1/cases/{folio}/work/{item}` (observations only); the activity's
//! responsible completes it once they all have. A turn given by mistake is withdrawn before its
//! unit answers with `POST /api/v1/cases/{folio}/work/{item}/turns/{turn}/withdrawal`.

use super::answers::WorkRefusals;
use super::auth::ApiUser;
use super::cases::{IdempotencyKey, OpenItem};
use super::error::{ApiError, ErrorBody, Json, Path};
use super::params::OpenActivity;
use super::schema::CommandResult;
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use turno_app::work::{Turning, Work};
use utoipa::{IntoParams, ToSchema};

/// Turning an open activity to units.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TurnRequest {
    /// The case's version the decision was taken on; 409 if the case changed since.
    pub version: Option<i64>,
    /// The codes of the units it is turned to.
    #[schema(example = json!(["SIDSS-CAS"]), schema_with = unit_codes)]
    pub units: Vec<String>,
    /// What the units are asked to do.
    #[schema(
        example = "Revise las cifras del anexo y envíe sus comentarios",
        max_length = 4000
    )]
    pub instruction: String,
    /// Their term in días hábiles (1 to 250); without it, no due date.
    #[schema(minimum = 1, maximum = 250)]
    pub business_days: Option<u16>,
}

/// Units' codes, as the organization writes them.
fn unit_codes() -> utoipa::openapi::schema::Array {
    use utoipa::openapi::schema::{ArrayBuilder, ObjectBuilder, Type};
    ArrayBuilder::new()
        .items(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .max_length(Some(turno_app::limits::CODE))
                .pattern(Some("^[A-Z0-9]+(-[A-Z0-9]+)*$")),
        )
        .build()
}

/// Turns an open activity to one or several units, each with a work item of its own. Honors
/// an `Idempotency-Key` header.
#[utoipa::path(
    post,
    path = "/api/v1/cases/{folio}/work/{item}/turns",
    operation_id = "turn_work",
    tag = "asuntos",
    request_body = TurnRequest,
    params(
        OpenActivity,
        IdempotencyKey,
    ),
    responses(
        (status = 201, description = "Turnada", body = CommandResult),
        (status = 400, description = "Cuerpo no válido o unidad inexistente", body = ErrorBody),
        WorkRefusals,
        (status = 409, description = "El asunto cambió desde la versión enviada, o la actividad ya no está abierta (otra persona la atendió)", body = ErrorBody),
        (status = 422, description = "Rechazo del motor (`refused`): sin unidades, sin instrucción, plazo fuera de 1 a 250 días hábiles o unidad ya turnada", body = ErrorBody),
    ),
)]
pub async fn turn(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    on: OpenItem,
    Json(request): Json<TurnRequest>,
) -> Result<Response, ApiError> {
    let input = Turning {
        units: request.units,
        instruction: request.instruction,
        business_days: request.business_days,
    };
    let turn = |work: Work| work.turn(&state, input);
    let status = StatusCode::CREATED;
    on.act((&state, &user), request.version, status, turn).await
}

/// A turn given from the open activity (`{turn}`).
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct GivenTurn {
    /// El número de la actividad de la unidad turnada (`open_work[].item` cuyo `turned_from`
    /// es `{item}`)
    pub turn: u32,
}

/// Withdrawing a turn given by mistake.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WithdrawalRequest {
    /// The case's version the decision was taken on; 409 if the case changed since.
    pub version: Option<i64>,
    /// Why the turn is withdrawn.
    #[schema(example = "Se turnó por error a esta unidad", max_length = 4000)]
    pub reason: String,
}

/// Withdraws a turn of an open activity before its unit answers it: the turn's work item
/// closes (and the turns its unit gave of its part), and the activity waits only for the
/// others. Whoever may turn the activity may withdraw its turns. Honors an `Idempotency-Key`
/// header.
#[utoipa::path(
    post,
    path = "/api/v1/cases/{folio}/work/{item}/turns/{turn}/withdrawal",
    operation_id = "withdraw_turn",
    tag = "asuntos",
    request_body = WithdrawalRequest,
    params(
        OpenActivity,
        GivenTurn,
        IdempotencyKey,
    ),
    responses(
        (status = 200, description = "Turno retirado", body = CommandResult),
        WorkRefusals,
        (status = 409, description = "El asunto cambió desde la versión enviada, o la actividad ya no está abierta", body = ErrorBody),
        (status = 422, description = "Rechazo del motor (`refused`): la unidad ya respondió el turno o ya fue retirado, no es un turno de esta actividad, o falta el motivo", body = ErrorBody),
    ),
)]
pub async fn withdraw(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    on: OpenItem,
    Path(GivenTurn { turn }): Path<GivenTurn>,
    Json(request): Json<WithdrawalRequest>,
) -> Result<Response, ApiError> {
    let withdraw = |work: Work| work.withdraw(&state, turn, request.reason);
    let status = StatusCode::OK;
    on.act((&state, &user), request.version, status, withdraw)
        .await
}
