//! `/asuntos/{folio}/indicadores`: the indicator tables of an informe oficial
//! (`docs/indicators.md`): each period's table, what it shows against the earlier periods of
//! its report (with the earlier value and the period and case it comes from), at the threshold
//! asked (`umbral`), and the upload form for those who act on the case; the same review is on
//! the case page (`IndicatorsView`). Both call `turno_app::indicators`, as
//! `/api/v1/cases/{folio}/indicators` does. A refused upload shows the page again (422) with
//! each problem next to its field, the file's by row and column, what was typed kept and the
//! file received held (`held.rs`).

use crate::auth::csrf::CsrfMultipart;
use crate::error::AppError;
use crate::forms::{Again, single};
use crate::held::{self, Held};
use crate::page::{Frame, Layout, flash};
use crate::state::AppState;
use crate::views::{signed_in, when};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use tower_sessions::Session;
use turno_app::indicators::{self, Review, Upload};
use turno_domain::indicators::{Inconsistency, Threshold};
use turno_domain::text::day;

/// An inconsistency as the review lists it.
pub struct FindingView {
    pub key: String,
    pub name: String,
    pub kind: &'static str,
    pub description: String,
    /// The earlier value, its period and the case it comes from.
    pub earlier: Option<(String, String, String)>,
}

fn kind_label(i: &Inconsistency) -> &'static str {
    match i {
        Inconsistency::CumulativeFell { .. } => "Acumulado que baja",
        Inconsistency::TotalMismatch { .. } => "Total que no suma",
        Inconsistency::BeyondThreshold { .. } => "Cambio mayor al umbral",
        Inconsistency::UnitChanged { .. } => "Otra unidad de medida",
        Inconsistency::Missing { .. } => "Falta",
        Inconsistency::New { .. } => "Nuevo",
    }
}

fn name_of(i: &Inconsistency) -> String {
    match i {
        Inconsistency::CumulativeFell { name, .. }
        | Inconsistency::TotalMismatch { name, .. }
        | Inconsistency::BeyondThreshold { name, .. }
        | Inconsistency::UnitChanged { name, .. }
        | Inconsistency::Missing { name, .. }
        | Inconsistency::New { name, .. } => name.clone(),
    }
}

/// An indicator as the table shows it.
pub struct RowView {
    pub key: String,
    pub name: String,
    pub unit: String,
    pub value: String,
    pub cumulative: bool,
    pub total_of: String,
}

/// A period's table as the pages show it.
pub struct TableView {
    pub report: String,
    pub period: String,
    pub end: String,
    pub file_name: String,
    pub uploaded_by: String,
    pub uploaded_at: String,
    pub rows: Vec<RowView>,
    /// The earlier periods compared with: «Primer trimestre 2026 (CAS-2026-000001)».
    pub compared_with: Vec<String>,
    pub findings: Vec<FindingView>,
}

/// A case's indicator tables as its page and the indicators page show them.
pub struct IndicatorsView {
    pub threshold: u32,
    pub tables: Vec<TableView>,
    pub may_upload: bool,
    /// The report a new table belongs to unless told otherwise.
    pub report: String,
}

impl IndicatorsView {
    pub fn new(review: Review, time_zone: &jiff::tz::TimeZone) -> IndicatorsView {
        IndicatorsView {
            threshold: review.threshold.get(),
            may_upload: review.may_upload,
            report: review.report,
            tables: review
                .tables
                .into_iter()
                .map(|t| {
                    let s = t.stored;
                    TableView {
                        report: s.report,
                        period: s.table.period.label,
                        end: day(s.table.period.end),
                        file_name: s.file_name,
                        uploaded_by: s.uploaded_by,
                        uploaded_at: when(&s.uploaded_at, time_zone),
                        rows: s
                            .table
                            .indicators
                            .iter()
                            .map(|i| RowView {
                                key: i.key.clone(),
                                name: i.name.clone(),
                                unit: i.unit.clone(),
                                value: i.value.shown(),
                                cumulative: i.cumulative,
                                total_of: i.total_of.clone().unwrap_or_default(),
                            })
                            .collect(),
                        compared_with: t
                            .compared_with
                            .iter()
                            .map(|(p, folio)| format!("{} ({folio})", p.label))
                            .collect(),
                        findings: t
                            .inconsistencies
                            .iter()
                            .map(|i| FindingView {
                                key: i.key().to_owned(),
                                name: name_of(i),
                                kind: kind_label(i),
                                description: i.describe(),
                                earlier: i.earlier().map(|e| {
                                    (
                                        e.value.shown(),
                                        format!(
                                            "{} (corte al {})",
                                            e.period.label,
                                            day(e.period.end)
                                        ),
                                        e.source.clone(),
                                    )
                                }),
                            })
                            .collect(),
                    }
                })
                .collect(),
        }
    }
}

/// The case page's review of an informe oficial's indicators (none for other procedures).
pub async fn on_case_page(
    state: &AppState,
    user: &turno_app::Principal,
    procedure: &turno_domain::definition::Procedure,
    folio: &str,
) -> Result<Option<IndicatorsView>, AppError> {
    if !indicators::carries(procedure) {
        return Ok(None);
    }
    let review = indicators::review(state, user, folio, Threshold::DEFAULT).await?;
    Ok(Some(IndicatorsView::new(review, &state.time_zone)))
}

#[derive(Template)]
#[template(path = "indicators.html")]
struct IndicatorsPage {
    layout: Layout,
    folio: String,
    indicators: IndicatorsView,
    /// The upload form, again when it was refused.
    uploading: Again,
    held_table: Option<Held>,
    /// The threshold as typed, and its problem.
    umbral: String,
    umbral_error: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct Params {
    umbral: Option<String>,
}

async fn page(
    state: &AppState,
    frame: Frame,
    folio: String,
    umbral: Option<String>,
    uploading: Again,
    held_table: Option<Held>,
) -> Result<(IndicatorsPage, bool), AppError> {
    let user = signed_in(&frame)?;
    let (threshold, umbral_error) = match indicators::threshold("umbral", umbral.as_deref()) {
        Ok(threshold) => (threshold, None),
        Err(turno_app::Error::InvalidFields(problems)) => (
            Threshold::DEFAULT,
            problems.into_iter().next().map(|p| p.message),
        ),
        Err(e) => return Err(e.into()),
    };
    let review = indicators::review(state, user, &folio, threshold).await?;
    let refused = umbral_error.is_some();
    Ok((
        IndicatorsPage {
            layout: frame.layout,
            indicators: IndicatorsView::new(review, &state.time_zone),
            folio,
            uploading,
            held_table,
            umbral: umbral.unwrap_or_default(),
            umbral_error,
        },
        refused,
    ))
}

/// `GET /asuntos/{folio}/indicadores`: the tables and their review at the threshold asked; a
/// threshold that is not one is told next to its field (422) and the review shown at 30 %.
pub async fn get(
    State(state): State<AppState>,
    frame: Frame,
    Path(folio): Path<String>,
    Query(params): Query<Params>,
) -> Result<Response, AppError> {
    let (page, refused) = page(&state, frame, folio, params.umbral, Again::default(), None).await?;
    let status = if refused {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    crate::page::html_with(status, &page)
}

/// The form's file input.
const FILE_FIELD: &str = "archivo";

/// `POST /asuntos/{folio}/indicadores`: a period's table uploaded; recorded, back to the page
/// with what the review found; refused, the page again with every problem.
pub async fn post(
    State(state): State<AppState>,
    frame: Frame,
    session: Session,
    Path(folio): Path<String>,
    CsrfMultipart(mut multipart): CsrfMultipart,
) -> Result<Response, AppError> {
    let user = signed_in(&frame)?.clone();
    let (form, file) = crate::forms::with_file(&mut multipart, FILE_FIELD, "").await?;
    // A new file, or the one held for the form shown before.
    let file = match file.filter(|(_, content)| !content.is_empty()) {
        Some(file) => Some(file),
        None => match single(&form, held::FIELD) {
            Some(sha256) => held::take(&state, &session, sha256).await?,
            None => None,
        },
    };
    let (name, content) = file.unwrap_or_default();
    let upload = Upload {
        report: single(&form, "informe").unwrap_or_default(),
        period: single(&form, "periodo").unwrap_or_default(),
        end: single(&form, "corte").unwrap_or_default(),
        file_name: &name,
        content: &content,
    };
    match indicators::upload(&state, &user, &folio, upload).await {
        Ok(done) => {
            flash(
                &frame,
                &format!(
                    "Indicadores de «{}» registrados: {}; por revisar: {}.",
                    done.period, done.indicators, done.inconsistencies
                ),
            );
            Ok(Redirect::to(&format!("/asuntos/{folio}/indicadores")).into_response())
        }
        Err(e) => {
            let held = if content.is_empty() {
                None
            } else {
                held::hold(&state, &session, &name, &content).await?
            };
            let again = Again::refused(form, e, &["report", "period", "end", "file"])?;
            let status = again.status();
            let (page, _) = page(&state, frame, folio, None, again, held).await?;
            crate::page::html_with(status, &page)
        }
    }
}
