//! `GET /api/v1/procedures`, `GET /api/v1/procedures/{key}` and `GET
//! /api/v1/procedures/{key}/flowchart`: the procedure catalog, and a procedure's diagram as SVG
//! or PDF (the catalog page's downloads); `GET /api/v1/procedures/{key}/bpmn`: a procedure as
//! BPMN 2.0 (docs/bpmn.md).

use super::auth::ApiUser;
use super::error::{ApiError, ErrorBody, Json, Path, Query};
use super::schema::FieldSpec;
use crate::state::AppState;
use axum::extract::State;
use serde::{Deserialize, Serialize};
use turno_domain::definition::{Assignment, Exit, ParticipantKind, Procedure, Route};
use utoipa::{IntoParams, ToSchema};

/// A procedure of the catalog, at its newest version (the one new cases start on).
#[derive(Debug, Serialize, ToSchema)]
pub struct ProcedureSummary {
    #[schema(example = "sidss-informes-oficiales")]
    pub key: String,
    pub version: u32,
    pub title: String,
    pub activity_count: usize,
}

/// The newest version of every procedure.
#[utoipa::path(
    get,
    path = "/api/v1/procedures",
    operation_id = "list_procedures",
    tag = "procedimientos",
    responses(
        (status = 200, description = "El catálogo", body = Vec<ProcedureSummary>),
    ),
)]
pub async fn list(
    State(state): State<AppState>,
    _user: ApiUser,
) -> Result<Json<Vec<ProcedureSummary>>, ApiError> {
    let procedures = state
        .library
        .current()
        .newest()
        .map(|p| ProcedureSummary {
            key: p.key.clone(),
            version: p.version,
            title: p.title.clone(),
            activity_count: p.activities.len(),
        })
        .collect();
    Ok(Json(procedures))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct VersionQuery {
    /// A published version (cases keep the version they started on); the newest if not given.
    version: Option<u32>,
}

/// Who takes part in a procedure.
#[derive(Debug, Serialize, ToSchema)]
pub struct ParticipantView {
    pub key: String,
    pub name: String,
    /// The unit's code in the organization chart, when the definition names it.
    pub unit: Option<String>,
    /// For an outside party: the key of the participant whose people record its actions.
    pub recorded_by: Option<String>,
}

/// An answer of a decision and where it leads.
#[derive(Debug, Serialize, ToSchema)]
pub struct BranchView {
    pub answer: String,
    pub text: String,
    /// The activity it continues at; none when it ends the procedure.
    pub next: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ActivityView {
    /// The activity's number (`2.1`), as cases and the inbox name it.
    pub number: String,
    /// The number printed in the manual, when it differs.
    pub manual_number: Option<String>,
    pub text: String,
    /// The keys of the participants responsible.
    pub responsible: Vec<String>,
    /// When the responsible are chosen while the case runs: the `participants` field.
    pub responsible_field: Option<String>,
    /// The activity it continues at; none for a decision or when it ends the procedure.
    pub next: Option<String>,
    /// Whether completing it ends the procedure.
    pub ends: bool,
    /// The question of a decision.
    pub question: Option<String>,
    pub branches: Vec<BranchView>,
    /// The names of the fields completing it asks for.
    pub fields: Vec<String>,
    pub documents: Vec<String>,
    /// Its term as the manual words it ("10 días hábiles").
    pub deadline: Option<String>,
    /// Where the case continues when the term passes.
    pub on_expiry: Option<String>,
    /// A sub-procedure it starts (its key).
    pub subprocedure: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct StageView {
    pub number: String,
    pub name: String,
    pub activities: Vec<ActivityView>,
}

/// A procedure: its participants, fields and activities by stage.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProcedureDetail {
    pub key: String,
    pub version: u32,
    pub title: String,
    /// Its number in the manual.
    pub number: Option<String>,
    pub manual: Option<String>,
    pub issuer: Option<String>,
    /// How its cases' folios begin (`CAS`).
    pub folio_prefix: String,
    /// The business-day calendar its terms count on (`lfpa`, `lft`).
    pub regime: String,
    pub participants: Vec<ParticipantView>,
    pub fields: Vec<FieldSpec>,
    pub stages: Vec<StageView>,
}

fn next(p: &Procedure, exit: Exit) -> Option<String> {
    match exit {
        Exit::Goto(id) => Some(p.activity(id).number.clone()),
        Exit::End => None,
    }
}

fn detail(p: &Procedure) -> ProcedureDetail {
    let participants = p
        .participants
        .iter()
        .map(|participant| ParticipantView {
            key: participant.key.clone(),
            name: participant.name.clone(),
            unit: participant.unit.clone(),
            recorded_by: match participant.kind {
                ParticipantKind::External { recorded_by } => {
                    Some(p.participant(recorded_by).key.clone())
                }
                ParticipantKind::Internal => None,
            },
        })
        .collect();
    let stages = p
        .stages
        .iter()
        .map(|stage| StageView {
            number: stage.number.clone(),
            name: stage.name.clone(),
            activities: p.activities
                [usize::from(stage.activities.start)..usize::from(stage.activities.end)]
                .iter()
                .map(|a| {
                    let (responsible, responsible_field) = match &a.assignment {
                        Assignment::Fixed(ids) => (
                            ids.iter()
                                .map(|id| p.participant(*id).key.clone())
                                .collect(),
                            None,
                        ),
                        Assignment::FromField(field) => {
                            (Vec::new(), Some(p.field(*field).name.clone()))
                        }
                    };
                    let (next_activity, ends, question, branches) = match &a.route {
                        Route::Continue(exit) => {
                            (next(p, *exit), *exit == Exit::End, None, Vec::new())
                        }
                        Route::Decide { question, branches } => (
                            None,
                            false,
                            Some(question.clone()),
                            branches
                                .iter()
                                .map(|b| BranchView {
                                    answer: b.answer.clone(),
                                    text: b.text.clone(),
                                    next: next(p, b.exit),
                                })
                                .collect(),
                        ),
                    };
                    ActivityView {
                        number: a.number.clone(),
                        manual_number: a.manual_number.clone(),
                        text: a.text.clone(),
                        responsible,
                        responsible_field,
                        next: next_activity,
                        ends,
                        question,
                        branches,
                        fields: a.fields.iter().map(|f| p.field(*f).name.clone()).collect(),
                        documents: a.documents.clone(),
                        deadline: a.deadline.as_ref().map(|d| d.text.clone()),
                        on_expiry: a
                            .deadline
                            .as_ref()
                            .and_then(|d| d.on_expiry)
                            .map(|id| p.activity(id).number.clone()),
                        subprocedure: a.call.clone(),
                    }
                })
                .collect(),
        })
        .collect();
    ProcedureDetail {
        key: p.key.clone(),
        version: p.version,
        title: p.title.clone(),
        number: p.number.clone(),
        manual: p.manual.clone(),
        issuer: p.issuer.clone(),
        folio_prefix: p.folio_prefix.clone(),
        regime: p.regime.code().to_owned(),
        participants,
        fields: p.fields.iter().map(FieldSpec::from).collect(),
        stages,
    }
}

/// A procedure with its stages, activities, participants and fields.
#[utoipa::path(
    get,
    path = "/api/v1/procedures/{key}",
    operation_id = "get_procedure",
    tag = "procedimientos",
    params(
        ("key" = String, Path, description = "La clave del procedimiento", example = "sidss-informes-oficiales"),
        VersionQuery,
    ),
    responses(
        (status = 200, description = "El procedimiento", body = ProcedureDetail),
        (status = 404, description = "No existe ese procedimiento o esa versión", body = ErrorBody),
    ),
)]
pub async fn show(
    State(state): State<AppState>,
    _user: ApiUser,
    Path(key): Path<String>,
    Query(query): Query<VersionQuery>,
) -> Result<Json<ProcedureDetail>, ApiError> {
    let library = state.library.current();
    let procedure = match query.version {
        Some(version) => library.get(&key, version),
        None => library.latest(&key),
    }
    .ok_or_else(|| ApiError::not_found("No existe ese procedimiento o esa versión."))?;
    Ok(Json(detail(procedure)))
}

/// The shapes of a flowchart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum FlowchartFormat {
    /// The SVG the catalog page shows.
    Svg,
    /// The same drawing on one PDF page of its size.
    Pdf,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FlowchartQuery {
    /// A published version; the newest if not given.
    version: Option<u32>,
    /// `svg` when not given.
    format: Option<FlowchartFormat>,
}

/// A procedure's flowchart («5.0 Diagrama de flujo»), to download or print.
#[utoipa::path(
    get,
    path = "/api/v1/procedures/{key}/flowchart",
    operation_id = "get_procedure_flowchart",
    tag = "procedimientos",
    params(
        ("key" = String, Path, description = "La clave del procedimiento", example = "sidss-informes-oficiales"),
        FlowchartQuery,
    ),
    responses(
        (status = 200, description = "El diagrama", content(
            (String = "image/svg+xml"),
            ("application/pdf"),
        ), headers(("Content-Disposition" = String, description = "`attachment` con el nombre del archivo"))),
        (status = 404, description = "No existe ese procedimiento o esa versión", body = ErrorBody),
    ),
)]
pub async fn flowchart(
    State(state): State<AppState>,
    _user: ApiUser,
    Path(key): Path<String>,
    Query(query): Query<FlowchartQuery>,
) -> Result<axum::response::Response, ApiError> {
    let library = state.library.current();
    let procedure = match query.version {
        Some(version) => library.get(&key, version),
        None => library.latest(&key),
    }
    .ok_or_else(|| ApiError::not_found("No existe ese procedimiento o esa versión."))?;
    let format = match query.format.unwrap_or(FlowchartFormat::Svg) {
        FlowchartFormat::Svg => crate::flowchart::Format::Svg,
        FlowchartFormat::Pdf => crate::flowchart::Format::Pdf,
    };
    crate::flowchart::download(procedure, format).map_err(ApiError::internal)
}

/// A procedure as BPMN 2.0 with its diagram (docs/bpmn.md): one lane per participant, a user
/// task per activity, exclusive gateways for decisions, boundary timers for terms; for
/// modelers (bpmn.io, Camunda Modeler) and BPMN engines.
#[utoipa::path(
    get,
    path = "/api/v1/procedures/{key}/bpmn",
    operation_id = "get_procedure_bpmn",
    tag = "procedimientos",
    params(
        ("key" = String, Path, description = "La clave del procedimiento", example = "sidss-informes-oficiales"),
        VersionQuery,
    ),
    responses(
        (status = 200, description = "El procedimiento en BPMN 2.0", content(
            (String = "application/xml"),
        ), headers(("Content-Disposition" = String, description = "`attachment` con el nombre del archivo"))),
        (status = 404, description = "No existe ese procedimiento o esa versión", body = ErrorBody),
    ),
)]
pub async fn bpmn(
    State(state): State<AppState>,
    _user: ApiUser,
    Path(key): Path<String>,
    Query(query): Query<VersionQuery>,
) -> Result<axum::response::Response, ApiError> {
    let file = turno_app::library::bpmn(&state.library.current(), &key, query.version)?;
    crate::documents::file_response("application/xml", &file.name, file.xml.into_bytes())
        .map_err(ApiError::internal)
}
