//! `GET` and `POST /api/v1/cases/{folio}/indicators`: the indicator tables of an informe
//! oficial (`docs/indicators.md`), as `/asuntos/{folio}/indicadores` shows and takes them,
//! through the same use cases (`turno_app::indicators`): whoever sees the case reads its tables
//! and what each shows against the earlier periods of its report; whoever acts on one of its
//! open activities uploads a period's table (multipart, CSV or XLSX), every problem by row and
//! column. The review is an aid to activity 2.1: it never blocks completing it.

use super::auth::ApiUser;
use super::error::{ApiError, ErrorBody, FieldError, Json, Path, Query};
use super::params::CaseFolio;
use super::petition_import::unreadable;
use crate::state::AppState;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use turno_app::indicators::{self as use_case, TableReview, Upload};
use turno_app::limits;
use turno_domain::indicators::{Inconsistency, Indicator};
use utoipa::{IntoParams, ToSchema};

/// The review asked for.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReviewQuery {
    /// The change from the earlier period, in percent, beyond which a value is told (30 when
    /// not given).
    #[param(minimum = 1, maximum = 1000, example = 30)]
    pub threshold: Option<u32>,
}

/// An indicator of a period.
#[derive(Debug, Serialize, ToSchema)]
pub struct IndicatorRow {
    #[schema(example = "AF-01")]
    pub key: String,
    #[schema(example = "Personas afiliadas")]
    pub name: String,
    #[schema(example = "personas")]
    pub unit: String,
    /// The value as an exact decimal (up to four decimals).
    #[schema(example = "1500.25", pattern = r"^-?[0-9]+(\.[0-9]{1,4})?$")]
    pub value: String,
    /// It counts from the start of the year: it never falls.
    pub cumulative: bool,
    /// The key of the total it adds to.
    pub total_of: Option<String>,
}

impl From<&Indicator> for IndicatorRow {
    fn from(i: &Indicator) -> IndicatorRow {
        IndicatorRow {
            key: i.key.clone(),
            name: i.name.clone(),
            unit: i.unit.clone(),
            value: i.value.to_string(),
            cumulative: i.cumulative,
            total_of: i.total_of.clone(),
        }
    }
}

/// The earlier value an inconsistency compares with.
#[derive(Debug, Serialize, ToSchema)]
pub struct EarlierValue {
    /// The earlier period's label.
    pub period: String,
    /// Its cut-off date.
    #[schema(format = Date)]
    pub period_end: String,
    /// The case that recorded it.
    pub folio: String,
    #[schema(pattern = r"^-?[0-9]+(\.[0-9]{1,4})?$")]
    pub value: String,
    pub unit: String,
}

/// What the review should look at.
#[derive(Debug, Serialize, ToSchema)]
pub struct InconsistencyRow {
    pub kind: InconsistencyKind,
    /// The indicator's key.
    pub key: String,
    /// What it is, in a sentence.
    pub description: String,
    /// The earlier value it compares with (not for totals or new indicators).
    pub earlier: Option<EarlierValue>,
}

/// A kind of inconsistency: a cumulative value that fell, a total that is not the sum of its
/// components, a change beyond the threshold, a unit that changed, an indicator missing from
/// the period before, one new.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum InconsistencyKind {
    CumulativeFell,
    TotalMismatch,
    BeyondThreshold,
    UnitChanged,
    Missing,
    New,
}

impl From<&Inconsistency> for InconsistencyRow {
    fn from(i: &Inconsistency) -> InconsistencyRow {
        let kind = match i {
            Inconsistency::CumulativeFell { .. } => InconsistencyKind::CumulativeFell,
            Inconsistency::TotalMismatch { .. } => InconsistencyKind::TotalMismatch,
            Inconsistency::BeyondThreshold { .. } => InconsistencyKind::BeyondThreshold,
            Inconsistency::UnitChanged { .. } => InconsistencyKind::UnitChanged,
            Inconsistency::Missing { .. } => InconsistencyKind::Missing,
            Inconsistency::New { .. } => InconsistencyKind::New,
        };
        InconsistencyRow {
            kind,
            key: i.key().to_owned(),
            description: i.describe(),
            earlier: i.earlier().map(|e| EarlierValue {
                period: e.period.label.clone(),
                period_end: e.period.end.to_string(),
                folio: e.source.clone(),
                value: e.value.to_string(),
                unit: e.unit.clone(),
            }),
        }
    }
}

/// A period's table of the case and its review.
#[derive(Debug, Serialize, ToSchema)]
pub struct IndicatorTable {
    pub id: i64,
    #[schema(example = "Informe trimestral de afiliación")]
    pub report: String,
    #[schema(example = "Segundo trimestre 2026")]
    pub period: String,
    #[schema(format = Date, example = "2026-06-30")]
    pub period_end: String,
    pub file_name: String,
    /// The uploaded file's SHA-256 (hexadecimal).
    pub file_sha256: String,
    pub uploaded_by: String,
    /// When it was uploaded (RFC 3339).
    pub uploaded_at: String,
    pub indicators: Vec<IndicatorRow>,
    /// The earlier periods of the report it was compared with, the latest first.
    pub compared_with: Vec<EarlierPeriod>,
    pub inconsistencies: Vec<InconsistencyRow>,
}

/// An earlier period a table was compared with.
#[derive(Debug, Serialize, ToSchema)]
pub struct EarlierPeriod {
    pub period: String,
    #[schema(format = Date)]
    pub period_end: String,
    pub folio: String,
}

impl From<&TableReview> for IndicatorTable {
    fn from(t: &TableReview) -> IndicatorTable {
        let s = &t.stored;
        IndicatorTable {
            id: s.id,
            report: s.report.clone(),
            period: s.table.period.label.clone(),
            period_end: s.table.period.end.to_string(),
            file_name: s.file_name.clone(),
            file_sha256: s.file_sha256.clone(),
            uploaded_by: s.uploaded_by.clone(),
            uploaded_at: s.uploaded_at.clone(),
            indicators: s.table.indicators.iter().map(IndicatorRow::from).collect(),
            compared_with: t
                .compared_with
                .iter()
                .map(|(p, folio)| EarlierPeriod {
                    period: p.label.clone(),
                    period_end: p.end.to_string(),
                    folio: folio.clone(),
                })
                .collect(),
            inconsistencies: t
                .inconsistencies
                .iter()
                .map(InconsistencyRow::from)
                .collect(),
        }
    }
}

/// A case's indicator tables.
#[derive(Debug, Serialize, ToSchema)]
pub struct IndicatorReview {
    pub folio: String,
    /// The threshold of the review, in percent.
    pub threshold: u32,
    /// Whether the token's person may upload a table to the case.
    pub may_upload: bool,
    /// The latest period first.
    pub tables: Vec<IndicatorTable>,
}

/// The case's indicator tables, each with what it shows against the earlier periods of its
/// report: an aid to the review (activity 2.1), which never blocks it.
#[utoipa::path(
    get,
    path = "/api/v1/cases/{folio}/indicators",
    operation_id = "list_indicators",
    tag = "indicadores",
    params(CaseFolio, ReviewQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Las tablas del asunto y sus inconsistencias", body = IndicatorReview),
        (status = 404, description = "No existe ese folio, o el asunto no es de un informe oficial", body = ErrorBody),
        (status = 422, description = "El umbral no es un porcentaje de 1 a 1000", body = ErrorBody),
    ),
)]
pub async fn list(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(CaseFolio { folio }): Path<CaseFolio>,
    Query(query): Query<ReviewQuery>,
) -> Result<Json<IndicatorReview>, ApiError> {
    let given = query.threshold.map(|t| t.to_string());
    let threshold = use_case::threshold("threshold", given.as_deref())?;
    let review = use_case::review(&state, &user, &folio, threshold).await?;
    Ok(Json(IndicatorReview {
        folio: review.folio.clone(),
        threshold: review.threshold.get(),
        may_upload: review.may_upload,
        tables: review.tables.iter().map(IndicatorTable::from).collect(),
    }))
}

/// The parts of an upload (`multipart/form-data`).
#[derive(Debug, Default, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IndicatorUpload {
    /// The table, CSV (UTF-8) or XLSX (its first sheet with cells), by its name's extension:
    /// columns «Clave», «Indicador», «Unidad de medida», «Valor» and, if wanted, «Acumulado»
    /// (Sí/No) and «Componente de» (the key of its total).
    #[schema(value_type = String, format = Binary, content_media_type = "application/octet-stream", required = true)]
    pub file: Option<(String, Vec<u8>)>,
    /// The report it belongs to; the case's «tipo_informe» when not given.
    #[schema(value_type = Option<String>, max_length = 300, example = "Informe trimestral de afiliación")]
    pub report: String,
    /// The period's label.
    #[schema(value_type = String, min_length = 1, max_length = 120, example = "Segundo trimestre 2026")]
    pub period: String,
    /// The period's cut-off date, which orders the periods.
    #[schema(value_type = String, format = Date, example = "2026-06-30")]
    pub end: String,
}

/// What an upload recorded.
#[derive(Debug, Serialize, ToSchema)]
pub struct IndicatorsUploaded {
    pub id: i64,
    pub period: String,
    pub indicators: usize,
    /// What the review finds in it at the usual threshold (30 %): `GET` lists them.
    pub inconsistencies: usize,
}

/// Uploads a period's table to the case, as its page does: only people who act on one of its
/// open activities (administrators too); a table of the same cut-off date this case recorded
/// is replaced. A file with any problem records nothing, and `fields` names every one as
/// `archivo: fila N, «Columna»: motivo`.
#[utoipa::path(
    post,
    path = "/api/v1/cases/{folio}/indicators",
    operation_id = "upload_indicators",
    tag = "indicadores",
    params(CaseFolio),
    request_body(content = IndicatorUpload, content_type = "multipart/form-data"),
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Registrada", body = IndicatorsUploaded),
        (status = 403, description = "El asunto no está turnado a las unidades del usuario, o no atiende ninguna de sus actividades en curso", body = ErrorBody),
        (status = 404, description = "No existe ese folio, o el asunto no es de un informe oficial", body = ErrorBody),
        (status = 409, description = "Otro asunto ya registró ese periodo del informe", body = ErrorBody),
        (status = 413, description = "El archivo pasa del tamaño máximo", body = ErrorBody),
        (status = 422, description = "Una parte desconocida, o los problemas del informe, el periodo, la fecha de corte o el archivo (cada uno con su fila y su columna); o el asunto ya concluyó", body = ErrorBody),
    ),
)]
pub async fn upload(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(CaseFolio { folio }): Path<CaseFolio>,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<(StatusCode, Json<IndicatorsUploaded>), ApiError> {
    let mut multipart = multipart.map_err(|e| {
        ApiError::bad_request(format!(
            "El cuerpo debe ser multipart/form-data, con el archivo («file»): {}",
            e.body_text()
        ))
    })?;
    let mut upload = IndicatorUpload::default();
    while let Some(mut part) = multipart.next_field().await.map_err(unreadable)? {
        let name = part.name().unwrap_or_default().to_owned();
        let most = match name.as_str() {
            "file" => {
                let file_name = crate::documents::file_name(part.file_name().unwrap_or_default());
                let content = part.bytes().await.map_err(unreadable)?.to_vec();
                upload.file = Some((file_name, content));
                continue;
            }
            "report" => limits::NAME,
            "period" => limits::PERIOD,
            "end" => 10,
            other => {
                return Err(ApiError::invalid_fields(vec![FieldError::new(
                    other,
                    "Esta parte no es de la carga: envíe «file», «period», «end» y, si hace \
                     falta, «report».",
                )]));
            }
        };
        let text = crate::forms::short_text(&mut part, 4 * most)
            .await
            .map_err(unreadable)?
            .ok_or_else(|| {
                ApiError::invalid_fields(vec![FieldError::new(
                    &name,
                    format!("Pasa de {most} caracteres o no es texto UTF-8."),
                )])
            })?;
        match name.as_str() {
            "report" => upload.report = text,
            "period" => upload.period = text,
            _ => upload.end = text,
        }
    }
    let (file_name, content) = upload.file.unwrap_or_default();
    let uploaded = use_case::upload(
        &state,
        &user,
        &folio,
        Upload {
            report: &upload.report,
            period: &upload.period,
            end: &upload.end,
            file_name: &file_name,
            content: &content,
        },
    )
    .await?;
    Ok((
        StatusCode::CREATED,
        Json(IndicatorsUploaded {
            id: uploaded.id,
            period: uploaded.period,
            indicators: uploaded.indicators,
            inconsistencies: uploaded.inconsistencies,
        }),
    ))
}
