//! `GET /api/v1/correspondence/reports?unidad=…&desde=…&hasta=…`: a unit's correspondence
//! report for a period, the figures of the page «Reportes de correspondencia»
//! (`turno_app::correspondence::report`), as JSON or as its files (`formato=csv|xlsx|pdf`).
//! Who may see a unit's report is the application's (`report::may_see`).

use crate::api::auth::ApiUser;
use crate::api::error::{ApiError, ErrorBody, Json, Query};
use crate::documents::TableFile;
use crate::state::AppState;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use turno_app::correspondence::report::{self, Asked, UnitReport};
use turno_domain::correspondence::{AGE_BUCKETS, bucket_label};
use utoipa::{IntoParams, ToSchema};

/// The shapes the correspondence report comes in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum CorrespondenceReportFormat {
    Json,
    /// Its tables one after the other, UTF-8 with a BOM, every cell neutralized.
    Csv,
    /// One sheet, the tables one under the other.
    Xlsx,
    /// One page.
    Pdf,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReportQuery {
    /// The unit's code.
    #[param(max_length = 40, pattern = "^[A-Za-z0-9-]+$", example = "SIDSS-ST")]
    unidad: String,
    /// The period's first day (`AAAA-MM-DD`), a year from 1990 to 2100.
    #[param(format = Date, pattern = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$", example = "2026-03-01")]
    desde: String,
    /// The period's last day, not before the first and at most five years after it.
    #[param(format = Date, pattern = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$", example = "2026-03-31")]
    hasta: String,
    /// Whether the units below the unit count too.
    subordinadas: Option<bool>,
    /// The shape of the answer: JSON when not given.
    formato: Option<CorrespondenceReportFormat>,
}

/// A unit's correspondence report for a period, as the page shows it.
#[derive(Debug, Serialize, ToSchema)]
pub struct CorrespondenceReportBody {
    #[schema(example = "SIDSS-ST")]
    pub unit: String,
    pub unit_name: String,
    /// The units counted: the unit, then those below it when asked.
    pub units: Vec<String>,
    #[schema(format = Date)]
    pub from: String,
    #[schema(format = Date)]
    pub to: String,
    /// The day it was made: pending turns' ages and semáforo are counted up to it.
    #[schema(format = Date)]
    pub as_of: String,
    /// Turns that reached the units in the period (a turn between them is not counted again).
    pub received: u32,
    /// Closed as atendido on or before their due date (días hábiles of the LFPA calendar), or
    /// without a term.
    pub answered_in_time: u32,
    /// Closed as atendido after their due date.
    pub answered_late: u32,
    /// Closed as read (para conocimiento).
    pub read: u32,
    pub returned: u32,
    pub withdrawn: u32,
    /// Still open.
    pub pending: u32,
    /// Pending turns by días hábiles since they were turned.
    pub pending_by_age: Vec<AgeLine>,
    pub pending_by_semaphore: SemaphoreLine,
    /// The mean días hábiles from turn to answer of those answered, to one decimal; none when
    /// none was answered.
    #[schema(example = 3.5)]
    pub average_days_to_answer: Option<f64>,
    /// Outgoing documents of the units signed, dispatched and cancelled in the period.
    pub outgoing_signed: u32,
    pub outgoing_dispatched: u32,
    pub outgoing_cancelled: u32,
    /// With `subordinadas`: the same figures per unit counted, in the order of `units`, each
    /// turn in the line of the unit it was given to, so that the lines add up to the whole;
    /// empty otherwise.
    pub by_unit: Vec<UnitFiguresBody>,
}

/// One unit's figures in the breakdown of a report.
#[derive(Debug, Serialize, ToSchema)]
pub struct UnitFiguresBody {
    #[schema(example = "SIDSS-CAS")]
    pub unit: String,
    pub unit_name: String,
    pub received: u32,
    pub answered_in_time: u32,
    pub answered_late: u32,
    pub read: u32,
    pub returned: u32,
    pub withdrawn: u32,
    pub pending: u32,
    #[schema(example = 3.5)]
    pub average_days_to_answer: Option<f64>,
    pub outgoing_signed: u32,
    pub outgoing_dispatched: u32,
    pub outgoing_cancelled: u32,
}

/// Pending turns of an age bucket.
#[derive(Debug, Serialize, ToSchema)]
pub struct AgeLine {
    /// Días hábiles since the turn, from.
    pub from_days: u32,
    /// To (inclusive); none for the last bucket.
    pub to_days: Option<u32>,
    #[schema(example = "6 a 10")]
    pub label: String,
    pub count: u32,
}

/// Pending turns by semáforo.
#[derive(Debug, Serialize, ToSchema)]
pub struct SemaphoreLine {
    /// Verde.
    pub on_time: u32,
    /// Amarillo.
    pub due_soon: u32,
    /// Rojo.
    pub overdue: u32,
    /// Without a term (para conocimiento, or turned without one).
    pub no_term: u32,
}

impl From<&UnitReport> for CorrespondenceReportBody {
    fn from(made: &UnitReport) -> CorrespondenceReportBody {
        let r = &made.report;
        let s = r.pending_by_semaphore;
        CorrespondenceReportBody {
            unit: made.unit.code.clone(),
            unit_name: made.unit.name.clone(),
            units: made.units.clone(),
            from: r.from.to_string(),
            to: r.to.to_string(),
            as_of: r.today.to_string(),
            received: r.received,
            answered_in_time: r.answered_in_time,
            answered_late: r.answered_late,
            read: r.read,
            returned: r.returned,
            withdrawn: r.withdrawn,
            pending: r.pending,
            pending_by_age: AGE_BUCKETS
                .iter()
                .zip(r.pending_by_age)
                .map(|(bucket, count)| AgeLine {
                    from_days: bucket.0,
                    to_days: bucket.1,
                    label: bucket_label(*bucket),
                    count,
                })
                .collect(),
            pending_by_semaphore: SemaphoreLine {
                on_time: s.on_time,
                due_soon: s.due_soon,
                overdue: s.overdue,
                no_term: s.no_term,
            },
            average_days_to_answer: r.average_tenths.map(|t| f64::from(t) / 10.0),
            outgoing_signed: r.signed,
            outgoing_dispatched: r.dispatched,
            outgoing_cancelled: r.cancelled,
            by_unit: made
                .lines
                .iter()
                .map(|line| {
                    let r = &line.report;
                    UnitFiguresBody {
                        unit: line.code.clone(),
                        unit_name: line.name.clone(),
                        received: r.received,
                        answered_in_time: r.answered_in_time,
                        answered_late: r.answered_late,
                        read: r.read,
                        returned: r.returned,
                        withdrawn: r.withdrawn,
                        pending: r.pending,
                        average_days_to_answer: r.average_tenths.map(|t| f64::from(t) / 10.0),
                        outgoing_signed: r.signed,
                        outgoing_dispatched: r.dispatched,
                        outgoing_cancelled: r.cancelled,
                    }
                })
                .collect(),
        }
    }
}

/// A unit's correspondence report for a period: the page's figures, as JSON, CSV, XLSX or PDF.
#[utoipa::path(
    get,
    path = "/api/v1/correspondence/reports",
    operation_id = "get_correspondence_report",
    tag = "correspondencia",
    params(ReportQuery),
    responses(
        (status = 200, description = "El reporte", content(
            (CorrespondenceReportBody = "application/json"),
            (String = "text/csv"),
            ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            ("application/pdf"),
        ), headers(("Content-Disposition" = String, description = "Con CSV, XLSX o PDF: `attachment` con el nombre del archivo"))),
        (status = 403, description = "El usuario no es de la unidad ni de una superior, ni administrador", body = ErrorBody),
        (status = 422, description = "Una unidad que no existe, o fechas fuera de los años del calendario, invertidas o a más de cinco años (`fields`)", body = ErrorBody),
    ),
)]
pub async fn show(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Query(query): Query<ReportQuery>,
) -> Result<Response, ApiError> {
    let asked = Asked {
        unit: &query.unidad,
        below: query.subordinadas.unwrap_or(false),
        from: &query.desde,
        to: &query.hasta,
    };
    let made = report::report(&state, &user, asked).await?;
    let name = made.file_name();
    let file = |file: TableFile| file.download(&name).map_err(ApiError::internal);
    match query.formato.unwrap_or(CorrespondenceReportFormat::Json) {
        CorrespondenceReportFormat::Json => {
            Ok(Json(CorrespondenceReportBody::from(&made)).into_response())
        }
        CorrespondenceReportFormat::Csv => file(TableFile::Csv(made.csv())),
        CorrespondenceReportFormat::Xlsx => {
            file(TableFile::Xlsx(made.xlsx().map_err(ApiError::internal)?))
        }
        CorrespondenceReportFormat::Pdf => file(TableFile::Pdf(
            crate::routes::correspondence::pdf::report(&made)?,
        )),
    }
}
