//! `GET /api/v1/procedures/{key}/paths`: the paths real cases of a procedure took, as the
//! page `/procedimientos/{key}/recorrido` shows them; `GET /api/v1/event-log`: the event log as
//! XES (IEEE 1849-2016), streamed, for administrators (`docs/process-mining.md`).

use super::auth::{AdminUser, ApiUser};
use super::error::{ApiError, ErrorBody, Json, Path, Query};
use crate::mining::{PathsReport, period, xes_download};
use crate::state::AppState;
use axum::extract::State;
use axum::response::Response;
use serde::Deserialize;
use utoipa::IntoParams;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PeriodQuery {
    /// The cases started on or after this day (`AAAA-MM-DD`, in the agency's time zone);
    /// empty or absent, from the first.
    #[param(pattern = r"^([0-9]{4}-[0-9]{2}-[0-9]{2})?$", example = "2026-01-01")]
    from: Option<String>,
    /// The cases started on or before this day; empty or absent, up to the last.
    #[param(pattern = r"^([0-9]{4}-[0-9]{2}-[0-9]{2})?$", example = "2026-12-31")]
    to: Option<String>,
}

/// The paths the cases of a procedure took: each move and return between its activities and
/// how many times cases made it, the días hábiles each activity and each unit kept the work
/// (median and 90th percentile), what still waits. Administrators and the people of the
/// procedure's units.
#[utoipa::path(
    get,
    path = "/api/v1/procedures/{key}/paths",
    operation_id = "get_procedure_paths",
    tag = "procedimientos",
    params(
        ("key" = String, Path, description = "La clave del procedimiento", example = "sidss-informes-oficiales"),
        PeriodQuery,
    ),
    responses(
        (status = 200, description = "El recorrido real", body = PathsReport),
        (status = 400, description = "Una fecha no válida, o un periodo al revés", body = ErrorBody),
        (status = 403, description = "El usuario no administra ni es de una unidad del procedimiento", body = ErrorBody),
        (status = 404, description = "No existe ese procedimiento", body = ErrorBody),
    ),
)]
pub async fn paths(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(key): Path<String>,
    Query(query): Query<PeriodQuery>,
) -> Result<Json<PathsReport>, ApiError> {
    let period =
        period(query.from.as_deref(), query.to.as_deref()).map_err(ApiError::bad_request)?;
    let view = turno_app::mining::paths(&state, &user, &key, period).await?;
    Ok(Json(PathsReport::of(&view)))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LogQuery {
    /// Only the cases of this procedure (its key); empty or absent, every case.
    #[param(pattern = r"^[a-z0-9-]*$", example = "sidss-informes-oficiales")]
    procedure: Option<String>,
    /// The cases started on or after this day (`AAAA-MM-DD`).
    #[param(pattern = r"^([0-9]{4}-[0-9]{2}-[0-9]{2})?$", example = "2026-01-01")]
    from: Option<String>,
    /// The cases started on or before this day.
    #[param(pattern = r"^([0-9]{4}-[0-9]{2}-[0-9]{2})?$", example = "2026-12-31")]
    to: Option<String>,
}

/// The event log as XES (IEEE 1849-2016) for process-mining tools: one trace per case (its
/// folio, procedure and version), one event per step of its work (the activity's number and
/// text, the lifecycle transition, the unit, the person, the moment with its offset). Written
/// as it is read: the download starts at once, whatever the size of the record.
#[utoipa::path(
    get,
    path = "/api/v1/event-log",
    operation_id = "export_event_log",
    tag = "administración",
    params(LogQuery),
    responses(
        (status = 200, description = "El registro en XES", content(("application/xml")),
            headers(("Content-Disposition" = String, description = "`attachment` con el nombre del archivo"))),
        (status = 400, description = "Una fecha no válida, o un periodo al revés", body = ErrorBody),
        (status = 404, description = "No existe ese procedimiento", body = ErrorBody),
    ),
)]
pub async fn event_log(
    State(state): State<AppState>,
    AdminUser(user): AdminUser,
    Query(query): Query<LogQuery>,
) -> Result<Response, ApiError> {
    let period =
        period(query.from.as_deref(), query.to.as_deref()).map_err(ApiError::bad_request)?;
    let procedure = query.procedure.filter(|p| !p.trim().is_empty());
    Ok(xes_download(&state, &user, procedure, period)?)
}
