//! `/api/v1/schedules` and `/api/v1/reports/delivery-matrix`: recurring work
//! (`turno_app::schedules`, as the pages `/admin/calendarizaciones` and
//! `/informes/matriz-entrega`): the schedules, defining one, switching one on or off, running
//! them now (administrators); and seed 000's matriz de entrega as JSON, CSV, XLSX or PDF (the
//! people of the informes oficiales' units and above them, administrators).

use super::auth::{AdminUser, ApiUser};
use super::error::{ApiError, ErrorBody, Json, Path, Query};
use crate::documents::TableFile;
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use turno_app::schedules::{self, Asked, DeliveryMatrix, Ran, ScheduleView};
use turno_domain::recurrence::matrix::Delivery;
use utoipa::{IntoParams, ToSchema};

/// A schedule, as defined, with what it did.
#[derive(Debug, Serialize, ToSchema)]
pub struct ScheduleDetail {
    pub id: i64,
    #[schema(example = "Informe semestral de la DGIS")]
    pub name: String,
    /// The procedure whose cases it opens; empty for a schedule of a program's lines.
    #[schema(example = "sidss-informes-oficiales")]
    pub procedure: String,
    /// The follow-up program whose lines it opens, if not cases.
    #[schema(example = "PTCI-2026")]
    pub program: Option<String>,
    /// The unit the cases are about (the Dirección General that reports); for a program's
    /// lines, each line's responsible unit.
    #[schema(example = "DGIS")]
    pub unit: String,
    /// The cases' title (the lines' text); each adds its period.
    pub title: String,
    #[schema(example = "semestral")]
    pub frequency: String,
    /// For `fechas`: the dates.
    #[schema(value_type = Vec<String>)]
    pub dates: Vec<String>,
    #[schema(format = Date)]
    pub first_date: String,
    #[schema(format = Date)]
    pub last_date: Option<String>,
    #[schema(example = "siguiente")]
    pub adjustment: String,
    /// Días hábiles to deliver, from each occurrence.
    pub term_days: i32,
    /// The procedure's fields each case opens with, as typed; for a program's lines, the
    /// line's values by name (`kind`, `activity`, `products`…).
    pub fields: BTreeMap<String, String>,
    pub active: bool,
    /// How many occurrences it opened.
    pub opened: usize,
    /// Its next occurrence after today, on the día hábil it falls on.
    #[schema(format = Date)]
    pub next: Option<String>,
}

impl TryFrom<ScheduleView> for ScheduleDetail {
    type Error = ApiError;

    fn try_from(v: ScheduleView) -> Result<ScheduleDetail, ApiError> {
        let s = v.schedule;
        Ok(ScheduleDetail {
            id: s.id,
            name: s.name,
            procedure: s.procedure_key,
            program: s.program_key,
            unit: s.unit_code,
            title: s.title,
            frequency: s.frequency,
            dates: serde_json::from_str(&s.dates).map_err(ApiError::internal)?,
            first_date: s.first_date.to_string(),
            last_date: s.last_date.map(|d| d.to_string()),
            adjustment: s.adjustment,
            term_days: s.term_days,
            fields: serde_json::from_str(&s.fields).map_err(ApiError::internal)?,
            active: s.active,
            opened: v.opened,
            next: v.next.map(|o| o.date.to_string()),
        })
    }
}

/// The frequencies a schedule may have.
#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum FrequencyCode {
    Anual,
    Semestral,
    Trimestral,
    Mensual,
    /// On the dates given (`dates`).
    Fechas,
}

/// What happens to an occurrence on a día inhábil.
#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum AdjustmentCode {
    /// It stays on that day.
    Ninguno,
    /// The next día hábil.
    Siguiente,
    /// The día hábil before.
    Anterior,
}

/// A schedule to define.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewSchedule {
    /// Unique among the schedules.
    #[schema(
        max_length = 300,
        pattern = r"\S",
        example = "Informe semestral de la DGIS"
    )]
    pub name: String,
    /// The procedure's key; each case starts on its newest version. Empty (or not given) for
    /// a schedule of a program's lines.
    #[serde(default)]
    #[schema(max_length = 80, example = "sidss-informes-oficiales")]
    pub procedure: String,
    /// The key of a follow-up program written down line by line (PAT, PTAR, PTCI,
    /// agreements…): each occurrence adds a line to it instead of opening a case. Its text is
    /// `title` with the period, its responsible unit `unit`, its one activity starts on the
    /// occurrence's day and lasts `term_days` (1 or more) días hábiles; `fields` gives `kind`
    /// (a kind of line the program takes: `agreement`, `commitment`, `observation`, `line`,
    /// `risk`, `control_action`), `activity`, and as the kind needs `products`, `reference`,
    /// `indicator`, `goal`, `quarter_goals[0]` to `quarter_goals[3]`.
    #[serde(default)]
    #[schema(max_length = 40, example = "PTCI-2026")]
    pub program: Option<String>,
    #[schema(max_length = 40, example = "DGIS")]
    pub unit: String,
    #[schema(
        max_length = 260,
        pattern = r"\S",
        example = "Informe semestral de la DGIS"
    )]
    pub title: String,
    pub frequency: FrequencyCode,
    /// For `fechas`: the dates, at most 366.
    #[serde(default)]
    #[schema(schema_with = date_list)]
    pub dates: Vec<String>,
    /// From 2000 to 2100.
    #[schema(format = Date, pattern = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$", example = "2026-01-02")]
    pub first_date: String,
    #[serde(default)]
    #[schema(format = Date, pattern = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")]
    pub last_date: Option<String>,
    /// The next día hábil when not given.
    #[serde(default)]
    pub adjustment: Option<AdjustmentCode>,
    #[schema(minimum = 0, maximum = 365, example = 10)]
    pub term_days: i32,
    /// The procedure's fields each case opens with, by name, as typed (for a program's lines,
    /// the line's values); `{fecha}` in a value is each occurrence's date.
    #[serde(default)]
    #[schema(schema_with = super::schema::field_values)]
    pub fields: BTreeMap<String, String>,
}

/// Dates `AAAA-MM-DD`, at most `MAX_DATES`.
fn date_list() -> utoipa::openapi::schema::Array {
    use utoipa::openapi::schema::{ArrayBuilder, KnownFormat, ObjectBuilder, SchemaFormat, Type};
    ArrayBuilder::new()
        .items(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .format(Some(SchemaFormat::KnownFormat(KnownFormat::Date)))
                .max_length(Some(10))
                .pattern(Some(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")),
        )
        .max_items(Some(turno_domain::recurrence::MAX_DATES))
        .build()
}

/// Every schedule, by name.
#[utoipa::path(
    get,
    path = "/api/v1/schedules",
    operation_id = "list_schedules",
    tag = "administración",
    responses((status = 200, description = "Las calendarizaciones", body = [ScheduleDetail])),
)]
pub async fn list(
    State(state): State<AppState>,
    AdminUser(user): AdminUser,
) -> Result<Json<Vec<ScheduleDetail>>, ApiError> {
    let views = schedules::list(&state, &user).await?;
    Ok(Json(
        views
            .into_iter()
            .map(ScheduleDetail::try_from)
            .collect::<Result<_, _>>()?,
    ))
}

/// Defines a schedule: from its first date, each occurrence opens a case (or adds a line to a
/// follow-up program) by itself, once.
#[utoipa::path(
    post,
    path = "/api/v1/schedules",
    operation_id = "create_schedule",
    tag = "administración",
    request_body = NewSchedule,
    responses(
        (status = 201, description = "Definida", body = ScheduleDetail),
        (status = 422, description = "Datos no válidos (`fields`): un nombre en uso, un procedimiento, un programa o una unidad que no existen, ambos o ninguno, fechas fuera de 2000 a 2100 o invertidas, fechas dadas sin fechas, un plazo fuera de 0 a 365, o los datos del procedimiento o de la línea", body = ErrorBody),
    ),
)]
pub async fn create(
    State(state): State<AppState>,
    AdminUser(user): AdminUser,
    Json(request): Json<NewSchedule>,
) -> Result<(StatusCode, Json<ScheduleDetail>), ApiError> {
    let frequency = match request.frequency {
        FrequencyCode::Anual => "anual",
        FrequencyCode::Semestral => "semestral",
        FrequencyCode::Trimestral => "trimestral",
        FrequencyCode::Mensual => "mensual",
        FrequencyCode::Fechas => "fechas",
    };
    let adjustment = match request.adjustment.unwrap_or(AdjustmentCode::Siguiente) {
        AdjustmentCode::Ninguno => "ninguno",
        AdjustmentCode::Siguiente => "siguiente",
        AdjustmentCode::Anterior => "anterior",
    };
    let asked = Asked {
        name: request.name,
        procedure: request.procedure,
        unit: request.unit,
        title: request.title,
        frequency: frequency.to_owned(),
        dates: request.dates,
        first_date: request.first_date,
        last_date: request.last_date.unwrap_or_default(),
        adjustment: adjustment.to_owned(),
        term_days: request.term_days.to_string(),
        program: request.program.unwrap_or_default(),
        fields: request.fields,
    };
    let id = schedules::create(&state, &user, asked).await?;
    let view = schedules::show(&state, &user, id).await?;
    Ok((StatusCode::CREATED, Json(view.try_into()?)))
}

/// One schedule.
#[utoipa::path(
    get,
    path = "/api/v1/schedules/{id}",
    operation_id = "get_schedule",
    tag = "administración",
    params(("id" = i64, Path, description = "El número de la calendarización")),
    responses(
        (status = 200, description = "La calendarización", body = ScheduleDetail),
        (status = 404, description = "No existe esa calendarización", body = ErrorBody),
    ),
)]
pub async fn show(
    State(state): State<AppState>,
    AdminUser(user): AdminUser,
    Path(id): Path<i64>,
) -> Result<Json<ScheduleDetail>, ApiError> {
    Ok(Json(schedules::show(&state, &user, id).await?.try_into()?))
}

/// A schedule switched on or off.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ScheduleChange {
    /// Off, it opens no case until switched on again (then it catches up what it missed).
    pub active: bool,
}

/// Switches a schedule on or off.
#[utoipa::path(
    patch,
    path = "/api/v1/schedules/{id}",
    operation_id = "change_schedule",
    tag = "administración",
    params(("id" = i64, Path, description = "El número de la calendarización")),
    request_body = ScheduleChange,
    responses(
        (status = 200, description = "Cambiada", body = ScheduleDetail),
        (status = 404, description = "No existe esa calendarización", body = ErrorBody),
    ),
)]
pub async fn change(
    State(state): State<AppState>,
    AdminUser(user): AdminUser,
    Path(id): Path<i64>,
    Json(request): Json<ScheduleChange>,
) -> Result<Json<ScheduleDetail>, ApiError> {
    schedules::set_active(&state, &user, id, request.active).await?;
    Ok(Json(schedules::show(&state, &user, id).await?.try_into()?))
}

/// What running the schedules did.
#[derive(Debug, Serialize, ToSchema)]
pub struct RunBody {
    /// The folios of the cases opened, in order.
    pub opened: Vec<String>,
    /// The lines opened, each as its program's key and the line's (`PTCI-2026 CI3`).
    pub lines: Vec<String>,
    /// Occurrences another server opened first.
    pub taken: usize,
    /// Schedules that could not open their case, with the reason.
    pub failed: Vec<RunFailure>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RunFailure {
    pub schedule: String,
    pub reason: String,
}

impl From<Ran> for RunBody {
    fn from(ran: Ran) -> RunBody {
        RunBody {
            opened: ran.opened,
            lines: ran.lines,
            taken: ran.taken,
            failed: ran
                .failed
                .into_iter()
                .map(|(schedule, reason)| RunFailure { schedule, reason })
                .collect(),
        }
    }
}

/// Runs the schedules now, as every server does by itself: opens each occurrence due and not
/// opened yet, once.
#[utoipa::path(
    post,
    path = "/api/v1/schedules/run",
    operation_id = "run_schedules",
    tag = "administración",
    responses((status = 200, description = "Lo que se abrió", body = RunBody)),
)]
pub async fn run(
    State(state): State<AppState>,
    AdminUser(user): AdminUser,
) -> Result<Json<RunBody>, ApiError> {
    Ok(Json(schedules::run_now(&state, &user).await?.into()))
}

/// The shapes the matriz comes in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum MatrixFormat {
    Json,
    /// Its tables one after the other, UTF-8 with a BOM, every cell neutralized.
    Csv,
    /// One sheet, the tables one under the other.
    Xlsx,
    Pdf,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MatrixQuery {
    /// The period's first day (`AAAA-MM-DD`, 2000 to 2100): the current year's first when not
    /// given.
    #[param(format = Date, pattern = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$", example = "2026-01-01")]
    desde: Option<String>,
    /// The period's last day, not before the first: the current year's last when not given.
    #[param(format = Date, pattern = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$", example = "2026-12-31")]
    hasta: Option<String>,
    /// The shape of the answer: JSON when not given.
    formato: Option<MatrixFormat>,
}

/// One report expected from a Dirección General for a period.
#[derive(Debug, Serialize, ToSchema)]
pub struct ExpectedReport {
    #[schema(example = "DGIS")]
    pub unit: String,
    #[schema(example = "1er semestre 2026")]
    pub period: String,
    /// The case that follows it; empty when its occurrence has not opened one yet.
    pub folio: String,
    #[schema(format = Date)]
    pub due: String,
    #[schema(format = Date)]
    pub received: Option<String>,
    /// `a_tiempo`, `tarde`, `faltante` or `en_plazo`.
    #[schema(example = "a_tiempo")]
    pub state: String,
    /// Días hábiles past its due date.
    pub days_late: i32,
}

/// The matriz de entrega of a period.
#[derive(Debug, Serialize, ToSchema)]
pub struct MatrixBody {
    #[schema(format = Date)]
    pub from: String,
    #[schema(format = Date)]
    pub to: String,
    #[schema(format = Date)]
    pub as_of: String,
    /// The periods, in the order their reports were asked for.
    pub periods: Vec<String>,
    pub reports: Vec<ExpectedReport>,
    pub on_time: usize,
    pub late: usize,
    pub missing: usize,
    pub pending: usize,
}

impl From<&DeliveryMatrix> for MatrixBody {
    fn from(made: &DeliveryMatrix) -> MatrixBody {
        let m = &made.matrix;
        let count = |d: Delivery| m.totals.get(&d).copied().unwrap_or(0);
        let mut reports = Vec::new();
        for row in &m.rows {
            for (column, cells) in &row.cells {
                for c in cells {
                    reports.push(ExpectedReport {
                        unit: row.unit.clone(),
                        period: m.periods.get(*column).cloned().unwrap_or_default(),
                        folio: c.folio.clone(),
                        due: c.due.to_string(),
                        received: c.received.map(|d| d.to_string()),
                        state: c.delivery.code().to_owned(),
                        days_late: c.days_late,
                    });
                }
            }
        }
        MatrixBody {
            from: made.from.to_string(),
            to: made.to.to_string(),
            as_of: made.today.to_string(),
            periods: m.periods.clone(),
            reports,
            on_time: count(Delivery::OnTime),
            late: count(Delivery::Late),
            missing: count(Delivery::Missing),
            pending: count(Delivery::Pending),
        }
    }
}

/// Seed 000's matriz de entrega: the reports the informes oficiales' schedules expect in the
/// period, per Dirección General, received in time, late, missing or within their term.
#[utoipa::path(
    get,
    path = "/api/v1/reports/delivery-matrix",
    operation_id = "get_delivery_matrix",
    tag = "seguimiento",
    params(MatrixQuery),
    responses(
        (status = 200, description = "La matriz", content(
            (MatrixBody = "application/json"),
            (String = "text/csv"),
            ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            ("application/pdf"),
        ), headers(("Content-Disposition" = String, description = "Con CSV, XLSX o PDF: `attachment` con el nombre del archivo"))),
        (status = 403, description = "El usuario no es del Secretario Técnico, de la Coordinación de Asesores ni de una unidad superior, ni administrador", body = ErrorBody),
        (status = 422, description = "Fechas fuera de 2000 a 2100 o invertidas (`fields`)", body = ErrorBody),
    ),
)]
pub async fn matrix(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Query(query): Query<MatrixQuery>,
) -> Result<Response, ApiError> {
    let today = state.moment().today;
    let from = query
        .desde
        .unwrap_or_else(|| today.first_of_year().to_string());
    let to = query
        .hasta
        .unwrap_or_else(|| today.last_of_year().to_string());
    let made = schedules::matrix(&state, &user, &from, &to).await?;
    let name = made.file_name();
    let file = |file: TableFile| file.download(&name).map_err(ApiError::internal);
    match query.formato.unwrap_or(MatrixFormat::Json) {
        MatrixFormat::Json => Ok(Json(MatrixBody::from(&made)).into_response()),
        MatrixFormat::Csv => file(TableFile::Csv(made.csv())),
        MatrixFormat::Xlsx => file(TableFile::Xlsx(made.xlsx().map_err(ApiError::internal)?)),
        MatrixFormat::Pdf => file(TableFile::Pdf(
            crate::routes::correspondence::pdf::delivery_matrix(&made)?,
        )),
    }
}
