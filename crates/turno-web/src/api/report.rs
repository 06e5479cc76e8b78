//! `GET /api/v1/informes/atencion?mes=aaaa-mm`: the monthly report of citizen attention with the
//! page's figures, as JSON or as its files (`formato=csv|xlsx`, or the `Accept` header);
//! `POST /api/v1/informes/atencion/llamadas`: the calls the call-center provider declares for a
//! day. The page's rules: those who see petitions read it (an entidad's people their entidad's
//! figures only, without the call-center supervision); those who work petitions declare calls.

use super::auth::ApiUser;
use super::error::{ApiError, ErrorBody, FieldError, Json, Query};
use crate::documents::TableFile;
use crate::state::AppState;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use turno_app::report::{self, Monthly, XLSX};
use turno_domain::citizen::Month;
use utoipa::{IntoParams, ToSchema};

/// The shapes the report comes in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum ReportFormat {
    Json,
    /// The page's tables one after the other, UTF-8 with a BOM.
    Csv,
    /// One sheet, the tables one under the other.
    Xlsx,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReportQuery {
    /// The month (`AAAA-MM`): the petitions received in it. The current one when not given.
    #[param(pattern = r"^[0-9]{4}-(0[1-9]|1[0-2])$", example = "2026-03")]
    mes: Option<String>,
    /// The shape of the answer; without it, the `Accept` header chooses (`text/csv`, the XLSX
    /// type), JSON otherwise.
    formato: Option<ReportFormat>,
}

/// The monthly report of citizen attention, as the page shows it.
#[derive(Debug, Serialize, ToSchema)]
pub struct AttentionReport {
    /// `AAAA-MM`.
    #[schema(example = "2026-03")]
    pub month: String,
    /// The month in words.
    #[schema(example = "marzo de 2026")]
    pub label: String,
    /// Petitions received in the month.
    pub received: usize,
    /// Of those, the ones answered.
    pub answered: usize,
    /// Median of the response times of those answered, in días hábiles of the LFPA calendar
    /// (an observed value, nearest rank); none when none was answered.
    pub median_days: Option<i32>,
    /// Their 90th percentile, likewise.
    pub p90_days: Option<i32>,
    /// With a volante whose term expired before they were answered.
    pub overdue: usize,
    /// By entidad (`entidad`), type (`tipo`), channel (`canal`) and motive (`motivo`), in
    /// that order.
    pub breakdowns: Vec<ReportBreakdown>,
    /// The call-center contract's supervision, by day: only for those who see every
    /// entidad (the provider declares its calls for the whole country).
    pub calls: Option<Vec<CallDayLine>>,
}

/// One breakdown of the report.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReportBreakdown {
    #[schema(example = "entidad")]
    pub id: String,
    #[schema(example = "Por entidad federativa")]
    pub title: String,
    /// Most petitions first.
    pub lines: Vec<ReportLine>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReportLine {
    /// The entidad's, type's, channel's or motive's code; empty for the unclassified.
    #[schema(example = "JAL")]
    pub code: String,
    #[schema(example = "Jalisco")]
    pub label: String,
    pub count: usize,
}

/// A day of the call-center contract's supervision.
#[derive(Debug, Serialize, ToSchema)]
pub struct CallDayLine {
    #[schema(format = Date)]
    pub day: String,
    /// The calls the provider declared; none if not recorded.
    pub declared: Option<u32>,
    /// The calls registered from its files.
    pub registered: u32,
    /// Declared minus registered.
    pub missing: Option<i64>,
}

impl From<&Monthly> for AttentionReport {
    fn from(monthly: &Monthly) -> AttentionReport {
        let report = &monthly.report;
        AttentionReport {
            month: report.month.to_string(),
            label: report.month.label(),
            received: report.received,
            answered: report.times.map_or(0, |t| t.answered),
            median_days: report.times.map(|t| t.median),
            p90_days: report.times.map(|t| t.p90),
            overdue: report.overdue,
            breakdowns: report
                .breakdowns()
                .iter()
                .map(|b| ReportBreakdown {
                    id: b.id.to_owned(),
                    title: b.title.to_owned(),
                    lines: b
                        .lines
                        .iter()
                        .map(|t| ReportLine {
                            code: t.code.clone(),
                            label: t.label.clone(),
                            count: t.count,
                        })
                        .collect(),
                })
                .collect(),
            calls: monthly.supervision.as_ref().map(|days| {
                days.iter()
                    .map(|d| CallDayLine {
                        day: d.day.to_string(),
                        declared: d.declared,
                        registered: d.registered,
                        missing: d.missing(),
                    })
                    .collect()
            }),
        }
    }
}

/// The format the `Accept` header asks for, JSON when it names neither file.
fn accepted(headers: &HeaderMap) -> ReportFormat {
    let accept = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    if accept.contains("text/csv") {
        ReportFormat::Csv
    } else if accept.contains(XLSX) {
        ReportFormat::Xlsx
    } else {
        ReportFormat::Json
    }
}

/// The monthly report of citizen attention: the page's figures, as JSON, CSV or XLSX.
#[utoipa::path(
    get,
    path = "/api/v1/informes/atencion",
    operation_id = "get_attention_report",
    tag = "atención ciudadana",
    params(ReportQuery),
    responses(
        (status = 200, description = "El informe del mes", content(
            (AttentionReport = "application/json"),
            (String = "text/csv"),
            ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ), headers(("Content-Disposition" = String, description = "Con CSV o XLSX: `attachment` con el nombre del archivo"))),
        (status = 400, description = "Un mes o un formato no válido", body = ErrorBody),
        (status = 403, description = "El usuario no atiende peticiones", body = ErrorBody),
    ),
)]
pub async fn show(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Query(query): Query<ReportQuery>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let month = query
        .mes
        .as_deref()
        .map(|m| m.parse::<Month>())
        .transpose()
        .map_err(|e| ApiError::bad_request(format!("«mes»: {e}.")))?;
    let monthly = report::monthly(&state, &user, month).await?;
    let name = monthly.file_name();
    let file = |file: TableFile| file.download(&name).map_err(ApiError::internal);
    match query.formato.unwrap_or_else(|| accepted(&headers)) {
        ReportFormat::Json => Ok(Json(AttentionReport::from(&monthly)).into_response()),
        ReportFormat::Csv => file(TableFile::Csv(monthly.csv())),
        ReportFormat::Xlsx => file(TableFile::Xlsx(monthly.xlsx().map_err(ApiError::internal)?)),
    }
}

/// The calls the provider declares it received on a day.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DeclaredCalls {
    /// The day (`AAAA-MM-DD`), today or earlier.
    #[schema(format = Date, example = "2026-03-02")]
    pub day: String,
    /// The calls received, as the provider's report says.
    #[schema(schema_with = call_count, example = 152)]
    pub calls: u32,
}

/// A count of calls: what a `u32` holds (the format `int32` a `u32` gets would stop at half).
fn call_count() -> utoipa::openapi::schema::Object {
    use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, SchemaFormat, Type};
    ObjectBuilder::new()
        .schema_type(Type::Integer)
        .format(Some(SchemaFormat::KnownFormat(KnownFormat::Int64)))
        .description(Some("The calls received, as the provider's report says."))
        .minimum(Some(u32::MIN))
        .maximum(Some(u32::MAX))
        .build()
}

/// Records the calls the call-center provider declares it received on a day, replacing the
/// figure recorded before for that day.
#[utoipa::path(
    post,
    path = "/api/v1/informes/atencion/llamadas",
    operation_id = "declare_calls",
    tag = "atención ciudadana",
    request_body = DeclaredCalls,
    responses(
        (status = 204, description = "Registradas"),
        (status = 403, description = "El usuario no atiende peticiones", body = ErrorBody),
        (status = 422, description = "Una fecha no válida (`fields`), o un día que no ha llegado", body = ErrorBody),
    ),
)]
pub async fn declare(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Json(request): Json<DeclaredCalls>,
) -> Result<StatusCode, ApiError> {
    let day = request
        .day
        .trim()
        .parse::<jiff::civil::Date>()
        .map_err(|_| {
            ApiError::invalid_fields(vec![FieldError::new(
                "day",
                "Escriba el día como AAAA-MM-DD.",
            )])
        })?;
    report::declare_calls(&state, &user, day, request.calls).await?;
    Ok(StatusCode::NO_CONTENT)
}
