//! `POST /api/v1/cases/{folio}/work/{item}/clock`: stopping the clock of an open activity
//! whose term allows it (waiting for the citizen, the entidad), with the reason, or
//! restarting it with the days it had left — as the case page's form does.

use super::answers::WorkRefusals;
use super::auth::ApiUser;
use super::cases::{IdempotencyKey, OpenItem};
use super::error::{ApiError, ErrorBody, Json};
use super::params::OpenActivity;
use super::schema::CommandResult;
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use turno_app::commands::ClockChange;
use turno_app::work::Work;
use utoipa::ToSchema;

#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ClockAction {
    /// Stop the clock: the days left wait for the resumption.
    Suspend,
    /// Run it again from today with the days it had left.
    Resume,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ClockRequest {
    /// The case's version the decision was taken on; 409 if the case changed since.
    pub version: Option<i64>,
    pub action: ClockAction,
    /// Why the clock stops (required to suspend).
    #[schema(example = "Espera la identificación del ciudadano", max_length = 4000)]
    pub reason: Option<String>,
}

/// Stops or restarts the clock of an open activity. Honors an `Idempotency-Key` header.
#[utoipa::path(
    post,
    path = "/api/v1/cases/{folio}/work/{item}/clock",
    operation_id = "clock_work",
    tag = "asuntos",
    request_body = ClockRequest,
    params(
        OpenActivity,
        IdempotencyKey,
    ),
    responses(
        (status = 200, description = "Plazo suspendido o reanudado", body = CommandResult),
        WorkRefusals,
        (status = 409, description = "El asunto cambió desde la versión enviada, o la actividad ya no está abierta (otra persona la atendió)", body = ErrorBody),
        (status = 422, description = "Rechazo del motor (`refused`): el plazo no se puede suspender, ya venció, ya está suspendido, no lo está o falta el motivo", body = ErrorBody),
    ),
)]
pub async fn clock(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    on: OpenItem,
    Json(request): Json<ClockRequest>,
) -> Result<Response, ApiError> {
    let change = match request.action {
        ClockAction::Suspend => ClockChange::Stop,
        ClockAction::Resume => ClockChange::Restart,
    };
    let reason = request.reason.unwrap_or_default();
    let clock = |work: Work| work.clock(&state, change, reason);
    let status = StatusCode::OK;
    on.act((&state, &user), request.version, status, clock)
        .await
}
