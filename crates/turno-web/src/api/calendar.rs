//! `GET /api/v1/calendar?year=`: a year's non-working days per regime and the stored DOF
//! agreements, for anyone with a token; `POST /api/v1/calendar/import`: a file of días
//! inhábiles (`docs/calendar-data.md`), for administrators: all or nothing, every problem
//! located, and the due dates it moved.

use super::auth::{AdminUser, ApiUser};
use super::error::{ApiError, ErrorBody, Json, Query};
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::State;
use serde::{Deserialize, Serialize};
use turno_domain::calendar::{NonWorkingPeriod, Regime};
use turno_store::Store;
use utoipa::{IntoParams, ToSchema};

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CalendarQuery {
    /// The year (1990 to 2100); this year when not given.
    year: Option<i16>,
}

/// A named non-working day.
#[derive(Debug, Serialize, ToSchema)]
pub struct Holiday {
    #[schema(format = Date)]
    pub date: String,
    pub name: String,
}

/// A stored entry of a DOF agreement: one day (`from` = `to`) or a period.
#[derive(Debug, Serialize, ToSchema)]
pub struct CalendarEntryBody {
    /// What removing it from the administration page names.
    pub id: Option<i64>,
    #[schema(format = Date)]
    pub from: String,
    #[schema(format = Date)]
    pub to: String,
    pub name: String,
    /// `lft`, `lfpa`; none: both.
    pub regimes: Option<Vec<String>>,
    pub institution: Option<String>,
    /// The state's canonical code (`QRO`).
    pub state: Option<String>,
    pub source: Option<String>,
    /// The file it came from, who imported it and when (RFC 3339).
    pub file: Option<String>,
    pub imported_by: Option<String>,
    pub imported_at: Option<String>,
}

impl From<&NonWorkingPeriod> for CalendarEntryBody {
    fn from(p: &NonWorkingPeriod) -> CalendarEntryBody {
        CalendarEntryBody {
            id: None,
            from: p.from.to_string(),
            to: p.to.to_string(),
            name: p.name.clone(),
            regimes: p
                .regimes
                .as_ref()
                .map(|r| r.iter().map(|r| r.code().to_owned()).collect()),
            institution: p.institution.clone(),
            state: p.state.map(|s| s.code().to_owned()),
            source: p.source.clone(),
            file: None,
            imported_by: None,
            imported_at: None,
        }
    }
}

/// A year of the calendar the deadlines count on.
#[derive(Debug, Serialize, ToSchema)]
pub struct CalendarYear {
    pub year: i16,
    /// Changes with every change to the stored entries.
    pub revision: i64,
    /// The non-working days of the LFPA regime (art. 28): the law's and the general agreements'.
    pub lfpa: Vec<Holiday>,
    /// The same for the LFT regime (art. 74).
    pub lft: Vec<Holiday>,
    /// The stored agreements that touch the year, with their scope and source.
    pub entries: Vec<CalendarEntryBody>,
}

/// A year's non-working days.
#[utoipa::path(
    get,
    path = "/api/v1/calendar",
    operation_id = "get_calendar",
    tag = "administración",
    params(CalendarQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Los días inhábiles del año", body = CalendarYear),
        (status = 400, description = "Un año fuera de 1990 a 2100", body = ErrorBody),
        (status = 401, description = "Sin token válido", body = ErrorBody),
    ),
)]
pub async fn show(
    State(state): State<AppState>,
    ApiUser(_user): ApiUser,
    Query(query): Query<CalendarQuery>,
) -> Result<Json<CalendarYear>, ApiError> {
    let year = query.year.unwrap_or_else(|| state.today().year());
    if !(1990..=2100).contains(&year) {
        return Err(ApiError::bad_request(
            "«year»: escriba un año de 1990 a 2100.",
        ));
    }
    let stored = state.store.calendar().await?;
    let calendars = state.calendars.current();
    let days = |regime: Regime| {
        calendars
            .get(regime)
            .non_working_days(year)
            .into_iter()
            .map(|d| Holiday {
                date: d.date.to_string(),
                name: d.name,
            })
            .collect()
    };
    Ok(Json(CalendarYear {
        year,
        revision: stored.revision,
        lfpa: days(Regime::Lfpa),
        lft: days(Regime::Lft),
        entries: stored
            .entries
            .iter()
            .filter(|e| e.period.from.year() <= year && year <= e.period.to.year())
            .map(|e| CalendarEntryBody {
                id: Some(e.id),
                file: Some(e.file.clone()),
                imported_by: Some(e.imported_by.clone()),
                imported_at: Some(e.imported_at.clone()),
                ..CalendarEntryBody::from(&e.period)
            })
            .collect(),
    }))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CalendarImportQuery {
    /// The file's name (`2026.toml`), which names it in the problems and the audit log.
    name: Option<String>,
}

/// A due date the change moved.
#[derive(Debug, Serialize, ToSchema)]
pub struct MovedDue {
    pub folio: String,
    /// The activity's number.
    pub activity: String,
    #[schema(format = Date)]
    pub before: String,
    #[schema(format = Date)]
    pub after: String,
}

/// What an import did.
#[derive(Debug, Serialize, ToSchema)]
pub struct CalendarImportResult {
    pub added: Vec<CalendarEntryBody>,
    /// Entries already stored, left as they were.
    pub unchanged: usize,
    pub revision: i64,
    /// The due dates of open work counted again on the new calendar that moved.
    pub moved: Vec<MovedDue>,
}

/// Imports a file of días inhábiles; with any problem, nothing is imported. The due dates of
/// open work are counted again on the new calendar.
#[utoipa::path(
    post,
    path = "/api/v1/calendar/import",
    operation_id = "import_calendar",
    tag = "administración",
    params(CalendarImportQuery),
    request_body(content = String, content_type = "text/plain", description = "El texto del archivo TOML"),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Importado: lo agregado y las fechas límite que cambiaron", body = CalendarImportResult),
        (status = 400, description = "Falta el nombre o el texto no es UTF-8", body = ErrorBody),
        (status = 401, description = "Sin token válido", body = ErrorBody),
        (status = 403, description = "El usuario no es administrador", body = ErrorBody),
        (status = 422, description = "Los problemas del archivo (`problems`); no se importó nada", body = ErrorBody),
    ),
)]
pub async fn import(
    State(state): State<AppState>,
    AdminUser(user): AdminUser,
    Query(query): Query<CalendarImportQuery>,
    body: Bytes,
) -> Result<Json<CalendarImportResult>, ApiError> {
    let name = query.name.as_deref().unwrap_or_default().trim();
    if !name.ends_with(".toml") {
        return Err(ApiError::bad_request(
            "«name»: escriba el nombre del archivo, terminado en .toml.",
        ));
    }
    let text = std::str::from_utf8(&body)
        .map_err(|_| ApiError::bad_request("El archivo debe estar en UTF-8."))?;
    let (imported, moved) = turno_app::calendar::import(&state, name, text, &user.login).await?;
    tracing::info!(file = %name, added = imported.added.len(), moved = moved.len(), user = %user.login, "calendar imported");
    Ok(Json(CalendarImportResult {
        added: imported.added.iter().map(CalendarEntryBody::from).collect(),
        unchanged: imported.unchanged,
        revision: imported.revision,
        moved: moved
            .into_iter()
            .map(|m| MovedDue {
                folio: m.folio,
                activity: m.activity,
                before: m.before.to_string(),
                after: m.after.to_string(),
            })
            .collect(),
    }))
}
