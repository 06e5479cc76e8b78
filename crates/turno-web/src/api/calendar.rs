//! `GET /api/v1/calendar?year=`: a year's non-working days per regime and the stored DOF
//! agreements, for anyone with a token; for administrators, as on the calendar page
//! (`turno_app::calendar`): `POST /api/v1/calendar/import`, a file of días inhábiles
//! (`docs/calendar-data.md`), all or nothing, every problem located; `POST
//! /api/v1/calendar/entries`, one day or period; `PUT /api/v1/calendar/entries/{id}`, one
//! changed; `DELETE /api/v1/calendar/entries/{id}`;
//! `PUT /api/v1/calendar/scope`, whose institution's and state's days the agency counts on.
//! Each change answers the due dates it moved.

use super::answers::FileImport;
use super::auth::{AdminUser, ApiUser};
use super::error::{ApiError, ErrorBody, Json, Path, Query};
use super::schema::shaped;
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use turno_app::calendar::{self, NewEntry, YEARS};
use turno_app::commands::Moved;
use turno_domain::calendar::{NonWorkingPeriod, Regime, State as MexicanState};
use turno_store::Store;
use turno_store::calendar::CalendarImport;
use utoipa::openapi::schema::{ArrayBuilder, ObjectBuilder, OneOfBuilder, Schema, Type};
use utoipa::{IntoParams, ToSchema};

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CalendarQuery {
    /// The year (1990 to 2100); this year when not given.
    #[param(minimum = 1990, maximum = 2100)]
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

impl From<Moved> for MovedDue {
    fn from(m: Moved) -> MovedDue {
        MovedDue {
            folio: m.folio,
            activity: m.activity,
            before: m.before.to_string(),
            after: m.after.to_string(),
        }
    }
}

impl CalendarImportResult {
    fn new(imported: CalendarImport, moved: Vec<Moved>) -> CalendarImportResult {
        CalendarImportResult {
            added: imported.added.iter().map(CalendarEntryBody::from).collect(),
            unchanged: imported.unchanged,
            revision: imported.revision,
            moved: moved.into_iter().map(MovedDue::from).collect(),
        }
    }
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
    /// The agency's institution: its entries count besides the general ones.
    pub institution: Option<String>,
    /// The agency's state (its code): its entries count besides the general ones.
    pub state: Option<String>,
}

/// A year's non-working days.
#[utoipa::path(
    get,
    path = "/api/v1/calendar",
    operation_id = "get_calendar",
    tag = "administración",
    params(CalendarQuery),
    responses(
        (status = 200, description = "Los días inhábiles del año", body = CalendarYear),
        (status = 400, description = "Un año fuera de 1990 a 2100", body = ErrorBody),
    ),
)]
pub async fn show(
    State(state): State<AppState>,
    ApiUser(_user): ApiUser,
    Query(query): Query<CalendarQuery>,
) -> Result<Json<CalendarYear>, ApiError> {
    let year = query.year.unwrap_or_else(|| state.today().year());
    if !YEARS.contains(&year) {
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
        institution: stored.institution.clone(),
        state: stored.state.map(|s| s.code().to_owned()),
    }))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CalendarImportQuery {
    /// The file's name (`2026.toml`), which names it in the problems and the audit log.
    #[param(
        required = true,
        max_length = 200,
        pattern = r"\.toml$",
        example = "2026.toml"
    )]
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
    responses(
        (status = 200, description = "Importado: lo agregado y las fechas límite que cambiaron", body = CalendarImportResult),
        FileImport,
    ),
)]
pub async fn import(
    State(state): State<AppState>,
    AdminUser(user): AdminUser,
    Query(query): Query<CalendarImportQuery>,
    body: Bytes,
) -> Result<Json<CalendarImportResult>, ApiError> {
    let (name, text) = super::imported_file(query.name.as_deref(), &[".toml"], &body)?;
    let (imported, moved) = calendar::import(&state, name, text, &user.login).await?;
    tracing::info!(file = %name, added = imported.added.len(), moved = moved.len(), user = %user.login, "calendar imported");
    Ok(Json(CalendarImportResult::new(imported, moved)))
}

/// The regimes' codes (`lfpa`, `lft`), any of them once.
fn regime_codes() -> utoipa::openapi::schema::Array {
    ArrayBuilder::new()
        .items(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .enum_values(Some(Regime::ALL.iter().map(|r| r.code()))),
        )
        .max_items(Some(Regime::ALL.len()))
        .unique_items(true)
        .build()
}

/// A state's code (`QRO`), or `null`: none.
fn state_code() -> Schema {
    let code = OneOfBuilder::new()
        .item(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .enum_values(Some(MexicanState::all().map(|s| s.code()))),
        )
        .item(ObjectBuilder::new().schema_type(Type::Null))
        .build();
    Schema::OneOf(code)
}

/// A día inhábil or period, as the calendar page's form adds one.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewCalendarEntry {
    /// The day, or the period's first day (`AAAA-MM-DD`, 1990 to 2100).
    #[schema(format = Date, pattern = r"^(199[0-9]|20[0-9]{2}|2100)-[0-9]{2}-[0-9]{2}$", example = "2026-12-07")]
    pub from: String,
    /// The period's last day, not before `from` and at most 366 days on; `from` when not given.
    #[schema(format = Date, pattern = r"^(199[0-9]|20[0-9]{2}|2100)-[0-9]{2}-[0-9]{2}$")]
    pub to: Option<String>,
    /// On one line.
    #[schema(
        max_length = 300,
        pattern = r"^[^\x00-\x1F\x7F-\x9F]*[^\s\x00-\x1F\x7F-\x9F][^\x00-\x1F\x7F-\x9F]*$",
        example = "Suspensión de labores por acuerdo"
    )]
    pub name: String,
    /// The regimes whose terms it stops; none: both.
    #[serde(default)]
    #[schema(schema_with = regime_codes)]
    pub regimes: Vec<String>,
    /// Only for this institution (its code: `SSA`, `IMSS`).
    #[schema(max_length = 40, pattern = "^[A-Za-z0-9-]+$", example = "SSA")]
    pub institution: Option<String>,
    /// Only for this state (its code).
    #[schema(schema_with = state_code)]
    pub state: Option<String>,
    /// Where it was published.
    #[schema(max_length = 300, example = "DOF 2026-11-30")]
    pub source: Option<String>,
}

/// Adds one día inhábil or period (one stored already is not added again) and counts the due
/// dates of open work again.
#[utoipa::path(
    post,
    path = "/api/v1/calendar/entries",
    operation_id = "add_calendar_entry",
    tag = "administración",
    request_body = NewCalendarEntry,
    responses(
        (status = 201, description = "Agregado: lo agregado y las fechas límite que cambiaron", body = CalendarImportResult),
        (status = 200, description = "Ya estaba registrado: nada cambió", body = CalendarImportResult),
        (status = 422, description = "Datos no válidos (`fields`)", body = ErrorBody),
    ),
)]
pub async fn add(
    State(state): State<AppState>,
    AdminUser(user): AdminUser,
    Json(request): Json<NewCalendarEntry>,
) -> Result<(StatusCode, Json<CalendarImportResult>), ApiError> {
    let (imported, moved) = calendar::add(&state, request.entry()?, &user.login).await?;
    let status = if imported.added.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::CREATED
    };
    Ok((status, Json(CalendarImportResult::new(imported, moved))))
}

impl NewCalendarEntry {
    /// The entry as the application reads it; a `null` where a text belongs is refused.
    fn entry(&self) -> Result<NewEntry<'_>, ApiError> {
        let mut blank = Vec::new();
        let entry = NewEntry {
            from: &self.from,
            to: shaped("to", &self.to, &mut blank),
            name: &self.name,
            regimes: &self.regimes,
            institution: shaped("institution", &self.institution, &mut blank),
            state: shaped("state", &self.state, &mut blank),
            source: self.source.as_deref().unwrap_or_default(),
        };
        if blank.is_empty() {
            Ok(entry)
        } else {
            Err(ApiError::invalid_fields(blank))
        }
    }
}

/// What changing an entry did.
#[derive(Debug, Serialize, ToSchema)]
pub struct CalendarEntryChanged {
    pub before: CalendarEntryBody,
    pub after: CalendarEntryBody,
    /// The due dates of open work counted again that moved.
    pub moved: Vec<MovedDue>,
}

/// Changes a stored entry (by its `id` in `GET /api/v1/calendar`): the whole entry as given,
/// checked as a new one is; the due dates of open work are counted again.
#[utoipa::path(
    put,
    path = "/api/v1/calendar/entries/{id}",
    operation_id = "change_calendar_entry",
    tag = "administración",
    params(("id" = i64, Path, description = "El `id` de la entrada")),
    request_body = NewCalendarEntry,
    responses(
        (status = 200, description = "Cambiada: antes, ahora y las fechas límite que cambiaron", body = CalendarEntryChanged),
        (status = 404, description = "No existe esa entrada", body = ErrorBody),
        (status = 409, description = "Otra entrada ya tiene esos mismos datos", body = ErrorBody),
        (status = 422, description = "Datos no válidos (`fields`)", body = ErrorBody),
    ),
)]
pub async fn change(
    State(state): State<AppState>,
    AdminUser(user): AdminUser,
    Path(id): Path<i64>,
    Json(request): Json<NewCalendarEntry>,
) -> Result<Json<CalendarEntryChanged>, ApiError> {
    let changed = calendar::change(&state, id, request.entry()?, &user.login)
        .await?
        .ok_or_else(|| ApiError::not_found("No existe esa entrada del calendario."))?;
    Ok(Json(CalendarEntryChanged {
        before: CalendarEntryBody::from(&changed.before),
        after: CalendarEntryBody::from(&changed.after),
        moved: changed.moved.into_iter().map(MovedDue::from).collect(),
    }))
}

/// What removing an entry did.
#[derive(Debug, Serialize, ToSchema)]
pub struct CalendarEntryRemoved {
    pub removed: CalendarEntryBody,
    /// The due dates of open work counted again that moved.
    pub moved: Vec<MovedDue>,
}

/// Removes a stored entry (by its `id` in `GET /api/v1/calendar`) and counts the due dates of
/// open work again.
#[utoipa::path(
    delete,
    path = "/api/v1/calendar/entries/{id}",
    operation_id = "remove_calendar_entry",
    tag = "administración",
    params(("id" = i64, Path, description = "El `id` de la entrada")),
    responses(
        (status = 200, description = "Quitada: la entrada y las fechas límite que cambiaron", body = CalendarEntryRemoved),
        (status = 404, description = "No existe esa entrada", body = ErrorBody),
    ),
)]
pub async fn remove(
    State(state): State<AppState>,
    AdminUser(user): AdminUser,
    Path(id): Path<i64>,
) -> Result<Json<CalendarEntryRemoved>, ApiError> {
    let (period, moved) = calendar::remove(&state, id, &user.login)
        .await?
        .ok_or_else(|| ApiError::not_found("No existe esa entrada del calendario."))?;
    Ok(Json(CalendarEntryRemoved {
        removed: CalendarEntryBody::from(&period),
        moved: moved.into_iter().map(MovedDue::from).collect(),
    }))
}

/// Whose días inhábiles the agency counts on besides the general ones.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CalendarScope {
    /// The agency's institution (its code: `SSA`, `IMSS`); none: no institution's own days.
    #[schema(max_length = 40, pattern = "^[A-Za-z0-9-]+$", example = "SSA")]
    pub institution: Option<String>,
    /// The agency's state (its code); none: no state's own days.
    #[schema(schema_with = state_code)]
    pub state: Option<String>,
}

/// What setting the scope did.
#[derive(Debug, Serialize, ToSchema)]
pub struct CalendarScopeResult {
    pub institution: Option<String>,
    pub state: Option<String>,
    /// The change in words, as the record of each due date it moved gives it.
    #[schema(example = "Calendario: ahora cuenta los días inhábiles de SSA y de Querétaro")]
    pub reason: String,
    pub moved: Vec<MovedDue>,
}

/// Sets whose institution's and state's días inhábiles the agency counts on, and counts the due
/// dates of open work again.
#[utoipa::path(
    put,
    path = "/api/v1/calendar/scope",
    operation_id = "set_calendar_scope",
    tag = "administración",
    request_body = CalendarScope,
    responses(
        (status = 200, description = "Guardado, con las fechas límite que cambiaron", body = CalendarScopeResult),
        (status = 422, description = "Una institución o una entidad no válidas (`fields`)", body = ErrorBody),
    ),
)]
pub async fn set_scope(
    State(state): State<AppState>,
    AdminUser(user): AdminUser,
    Json(request): Json<CalendarScope>,
) -> Result<Json<CalendarScopeResult>, ApiError> {
    let mut blank = Vec::new();
    let institution = shaped("institution", &request.institution, &mut blank);
    let entidad = shaped("state", &request.state, &mut blank);
    if !blank.is_empty() {
        return Err(ApiError::invalid_fields(blank));
    }
    let (reason, moved) = calendar::set_scope(&state, institution, entidad, &user.login).await?;
    let stored = state.store.calendar().await?;
    Ok(Json(CalendarScopeResult {
        institution: stored.institution,
        state: stored.state.map(|s| s.code().to_owned()),
        reason,
        moved: moved.into_iter().map(MovedDue::from).collect(),
    }))
}
