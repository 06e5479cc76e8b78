//! `/api/v1/visits`: the evaluation visits (`docs/visits.md`) as the pages show and change
//! them, through the same use cases (`turno_app::visits`) and rules: anyone with a token lists
//! and reads visits and downloads a finding's evidence; those who may act plan visits; a
//! visit's planner, its team and administrators (for a supervision, those who follow its case)
//! record its findings (multipart, the evidence file stored as it arrives) and make its
//! improvement plan, whose progress and rounds are the program's operations
//! (`/api/v1/programs/{key}`).

use super::auth::ApiUser;
use super::error::{ApiError, ErrorBody, FieldError, Json, Path, Query};
use super::text_part;
use crate::documents::{file_name, file_response, stream_evidence};
use crate::state::AppState;
use axum::extract::State;
use axum::extract::multipart::{Multipart, MultipartRejection};
use axum::response::Response;
use serde::{Deserialize, Serialize};
use turno_app::limits;
use turno_app::programs::MOST;
use turno_app::visits::{self, ActionDraft, FindingDraft, TEAM, VisitDraft, VisitQuery};
use turno_store::followup::EvidenceFile;
use turno_store::visits::StoredVisit;
use utoipa::{IntoParams, ToSchema};

/// How a visit is made.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum VisitModality {
    /// Presencial.
    OnSite,
    /// A distancia (evaluación remota).
    Remote,
}

/// Where a visit stands.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum VisitStateCode {
    /// Programada, sin hallazgos.
    Planned,
    /// Con hallazgos, sin plan de mejora.
    Findings,
    /// Su plan de mejora en seguimiento.
    FollowUp,
    /// Concluida: todas las acciones atendidas al cerrar una ronda.
    Concluded,
    /// Escalada: la segunda ronda cerró con acciones pendientes.
    Escalated,
}

/// How serious a finding is.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SeverityCode {
    Low,
    Medium,
    High,
}

fn code<T: Serialize>(value: T) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

fn modality(m: turno_domain::followup::Modality) -> VisitModality {
    match m {
        turno_domain::followup::Modality::OnSite => VisitModality::OnSite,
        turno_domain::followup::Modality::Remote => VisitModality::Remote,
    }
}

fn state_code(s: turno_domain::followup::VisitState) -> VisitStateCode {
    use turno_domain::followup::VisitState::*;
    match s {
        Planned => VisitStateCode::Planned,
        Findings => VisitStateCode::Findings,
        FollowUp => VisitStateCode::FollowUp,
        Concluded => VisitStateCode::Concluded,
        Escalated => VisitStateCode::Escalated,
    }
}

fn severity(s: turno_domain::followup::Severity) -> SeverityCode {
    use turno_domain::followup::Severity::*;
    match s {
        Low => SeverityCode::Low,
        Medium => SeverityCode::Medium,
        High => SeverityCode::High,
    }
}

/// A finding of a visit.
#[derive(Debug, Serialize, ToSchema)]
pub struct VisitFinding {
    pub number: u32,
    pub aspect: String,
    pub description: String,
    pub severity: SeverityCode,
    /// The evidence file's name, if one was attached.
    pub evidence: Option<String>,
}

/// A visit with its findings.
#[derive(Debug, Serialize, ToSchema)]
pub struct Visit {
    pub id: i64,
    pub modality: VisitModality,
    /// The units visited, by code (a supervision of procedure 94: its entidad).
    pub units: Vec<String>,
    #[schema(format = Date)]
    pub from: String,
    #[schema(format = Date)]
    pub to: String,
    /// The team's people, by login.
    pub team: Vec<String>,
    pub purpose: String,
    /// The aspects to evaluate.
    pub aspects: Vec<String>,
    /// The cnpss-94 case of a supervision.
    pub case_folio: Option<String>,
    pub planned_by: String,
    pub state: VisitStateCode,
    #[schema(example = "en seguimiento del plan de mejora")]
    pub state_label: String,
    /// The key of its improvement plan (`/api/v1/programs/{key}`), once made.
    pub plan: Option<String>,
    pub findings: Vec<VisitFinding>,
}

impl From<&StoredVisit> for Visit {
    fn from(v: &StoredVisit) -> Visit {
        Visit {
            id: v.id,
            modality: modality(v.visit.modality),
            units: v.visit.units.clone(),
            from: v.visit.dates.0.to_string(),
            to: v.visit.dates.1.to_string(),
            team: v.visit.team.clone(),
            purpose: v.visit.purpose.clone(),
            aspects: v.visit.aspects.clone(),
            case_folio: v.visit.case_folio.clone(),
            planned_by: v.planned_by.clone(),
            state: state_code(v.state()),
            state_label: v.state().label().to_owned(),
            plan: v.plan.clone(),
            findings: v
                .findings
                .iter()
                .map(|f| VisitFinding {
                    number: f.finding.number,
                    aspect: f.finding.aspect.clone(),
                    description: f.finding.description.clone(),
                    severity: severity(f.finding.severity),
                    evidence: f.file.as_ref().and(f.finding.evidence.clone()),
                })
                .collect(),
        }
    }
}

/// Which visits to list; every criterion optional.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct VisitListQuery {
    /// A unit visited, by code or name.
    #[param(max_length = 300)]
    unit: Option<String>,
    /// The visits that end on or after this day (`AAAA-MM-DD`); empty, no limit.
    #[param(pattern = r"^([0-9]{4}-[0-9]{2}-[0-9]{2})?$")]
    from: Option<String>,
    /// The visits that start on or before this day (`AAAA-MM-DD`); empty, no limit.
    #[param(pattern = r"^([0-9]{4}-[0-9]{2}-[0-9]{2})?$")]
    to: Option<String>,
    state: Option<VisitStateCode>,
}

/// The visits, the latest first, by unit, period and state.
#[utoipa::path(
    get,
    path = "/api/v1/visits",
    operation_id = "list_visits",
    tag = "seguimiento",
    params(VisitListQuery),
    responses(
        (status = 200, description = "Las visitas", body = Vec<Visit>),
        (status = 422, description = "Un criterio no válido (`fields`): una unidad que no existe, una fecha", body = ErrorBody),
    ),
)]
pub async fn list(
    State(state): State<AppState>,
    _user: ApiUser,
    Query(query): Query<VisitListQuery>,
) -> Result<Json<Vec<Visit>>, ApiError> {
    let asked = VisitQuery {
        unit: query.unit.unwrap_or_default(),
        from: query.from.unwrap_or_default(),
        to: query.to.unwrap_or_default(),
        state: query.state.map(code).unwrap_or_default(),
    };
    let found = visits::list(&state, &asked).await?;
    Ok(Json(found.iter().map(Visit::from).collect()))
}

/// A visit, by its number (`{id}`).
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct VisitId {
    /// El número de la visita
    #[param(minimum = 1)]
    pub id: i64,
}

/// A visit with its findings.
#[utoipa::path(
    get,
    path = "/api/v1/visits/{id}",
    operation_id = "get_visit",
    tag = "seguimiento",
    params(VisitId),
    responses(
        (status = 200, description = "La visita", body = Visit),
        (status = 404, description = "No existe la visita", body = ErrorBody),
    ),
)]
pub async fn show(
    State(state): State<AppState>,
    _user: ApiUser,
    Path(VisitId { id }): Path<VisitId>,
) -> Result<Json<Visit>, ApiError> {
    Ok(Json(Visit::from(&visits::show(&state, id).await?)))
}

/// A visit's plan and its improvement plan as a PDF to print (what the visit's page gives):
/// the visit as planned, its findings, and each action of the plan with its progress today.
#[utoipa::path(
    get,
    path = "/api/v1/visits/{id}/pdf",
    operation_id = "get_visit_pdf",
    tag = "seguimiento",
    params(VisitId),
    responses(
        (status = 200, description = "El PDF", content(("application/pdf")),
         headers(("Content-Disposition" = String, description = "`attachment` con el nombre del archivo"))),
        (status = 404, description = "No existe la visita", body = ErrorBody),
    ),
)]
pub async fn pdf(
    State(state): State<AppState>,
    _user: ApiUser,
    Path(VisitId { id }): Path<VisitId>,
) -> Result<Response, ApiError> {
    Ok(crate::routes::visits::report_pdf(&state, id).await?)
}

/// The schema of a list of texts: `min` to `max` of them, each of one line and at most
/// `length` characters.
fn texts(min: usize, max: usize, length: usize) -> utoipa::openapi::schema::Array {
    use utoipa::openapi::schema::{ArrayBuilder, ObjectBuilder, Type};
    ArrayBuilder::new()
        .items(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .max_length(Some(length))
                .pattern(Some(r"\S")),
        )
        .min_items(Some(min))
        .max_items(Some(max))
        .build()
}

fn units_schema() -> utoipa::openapi::schema::Array {
    texts(1, TEAM, limits::NAME)
}

fn aspects_schema() -> utoipa::openapi::schema::Array {
    texts(1, MOST, limits::NAME)
}

/// A visit to plan.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewVisit {
    pub modality: VisitModality,
    /// The units to visit, by code or name.
    #[schema(schema_with = units_schema)]
    pub units: Vec<String>,
    /// The first day (`AAAA-MM-DD`).
    #[schema(format = Date, example = "2026-03-09")]
    pub from: String,
    /// The last day (`AAAA-MM-DD`), not before `from`.
    #[schema(format = Date, example = "2026-03-13")]
    pub to: String,
    /// The team's people, by login or name (people of Turno).
    #[schema(schema_with = units_schema)]
    pub team: Vec<String>,
    /// Purpose and scope.
    #[schema(max_length = 4000, pattern = r"\S")]
    pub purpose: String,
    /// The checklist: the aspects to evaluate.
    #[schema(schema_with = aspects_schema)]
    pub aspects: Vec<String>,
}

/// Plans a visit, on site or at a distance, to one or more units.
#[utoipa::path(
    post,
    path = "/api/v1/visits",
    operation_id = "plan_visit",
    tag = "seguimiento",
    request_body = NewVisit,
    responses(
        (status = 201, description = "Programada", body = Visit,
         headers(("Location" = String, description = "La URL de la visita"))),
        (status = 403, description = "El usuario solo consulta", body = ErrorBody),
        (status = 422, description = "Datos no válidos (`fields`): una unidad o una persona que no existen, fechas al revés", body = ErrorBody),
    ),
)]
pub async fn plan(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Json(request): Json<NewVisit>,
) -> Result<Response, ApiError> {
    let draft = VisitDraft {
        modality: code(request.modality),
        units: request.units,
        from: request.from,
        to: request.to,
        team: request.team,
        purpose: request.purpose,
        aspects: request.aspects,
    };
    let id = visits::plan(&state, &user, &draft).await?;
    let visit = visits::show(&state, id).await?;
    Ok(super::created(
        &format!("/api/v1/visits/{id}"),
        Visit::from(&visit),
    ))
}

/// The parts of a finding (`multipart/form-data`): its fields, then, optionally, its evidence
/// file, stored as it arrives.
#[derive(Debug, Default, ToSchema)]
// An unknown part is refused (`additionalProperties: false`).
#[serde(deny_unknown_fields)]
pub struct FindingUpload {
    /// One of the visit's aspects (any text, when it has none).
    #[schema(max_length = 300, pattern = r"\S")]
    pub aspect: String,
    #[schema(max_length = 4000, pattern = r"\S")]
    pub description: String,
    #[schema(value_type = SeverityCode)]
    pub severity: String,
    /// The evidence file, with its name (`filename`) and a `Content-Type` true of its content
    /// (a PDF, PNG or JPEG declared as such must be one).
    #[schema(value_type = String, format = Binary, content_media_type = "application/octet-stream", required = false)]
    pub evidence: Option<(String, EvidenceFile)>,
}

/// Records a finding of a visit, with its evidence file if one is sent; refused once the
/// visit's improvement plan is made.
#[utoipa::path(
    post,
    path = "/api/v1/visits/{id}/findings",
    operation_id = "record_finding",
    tag = "seguimiento",
    params(VisitId),
    request_body(content = FindingUpload, content_type = "multipart/form-data"),
    responses(
        (status = 201, description = "Registrado; la visita como queda", body = Visit,
         headers(("Location" = String, description = "La URL de la visita"))),
        (status = 400, description = "El cuerpo no es multipart o no llegó completo", body = ErrorBody),
        (status = 413, description = "El archivo supera el tamaño máximo", body = ErrorBody),
        (status = 415, description = "El contenido del archivo no es del tipo con que se envió", body = ErrorBody),
        (status = 422, description = "Un campo no válido (`fields`), o la visita ya tiene su plan de mejora", body = ErrorBody),
    ),
)]
pub async fn record_finding(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(VisitId { id }): Path<VisitId>,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Response, ApiError> {
    // Before anything is stored: the visit, and whether it is this person's to record.
    visits::worked(&state, &user, id).await?;
    let mut multipart =
        multipart.map_err(|_| ApiError::bad_request("El cuerpo debe ser multipart/form-data."))?;
    let mut upload = FindingUpload::default();
    let mut wrong = Vec::new();
    while let Some(mut field) = multipart
        .next_field()
        .await
        .map_err(|_| ApiError::incomplete())?
    {
        let name = field.name().unwrap_or_default().to_owned();
        match name.as_str() {
            "evidence" if upload.evidence.is_some() => {
                return Err(ApiError::bad_request("Envíe un solo archivo de evidencia."));
            }
            "evidence" => {
                let sent = file_name(field.file_name().unwrap_or_default());
                if sent.is_empty() {
                    continue;
                }
                upload.evidence = stream_evidence(&state, &mut field, &sent)
                    .await?
                    .map(|stored| (sent, stored));
            }
            "aspect" => upload.aspect = text_part(field).await?,
            "description" => upload.description = text_part(field).await?,
            "severity" => upload.severity = text_part(field).await?,
            other => wrong.push(FieldError::new(other, "Esta parte no es del hallazgo.")),
        }
    }
    if !wrong.is_empty() {
        return Err(ApiError::invalid_fields(wrong));
    }
    let draft = FindingDraft {
        aspect: upload.aspect,
        description: upload.description,
        severity: upload.severity,
    };
    visits::record_finding(&state, &user, id, &draft, upload.evidence).await?;
    let visit = visits::show(&state, id).await?;
    Ok(super::created(
        &format!("/api/v1/visits/{id}"),
        Visit::from(&visit),
    ))
}

/// A finding of a visit (`{id}`, `{number}`).
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct VisitFindingAt {
    /// El número de la visita
    #[param(minimum = 1)]
    pub id: i64,
    /// El número del hallazgo
    #[param(minimum = 1)]
    pub number: u32,
}

/// A finding's evidence file, with its type and its name (`Content-Disposition`).
#[utoipa::path(
    get,
    path = "/api/v1/visits/{id}/findings/{number}/evidence",
    operation_id = "download_finding_evidence",
    tag = "seguimiento",
    params(VisitFindingAt),
    responses(
        (status = 200, description = "El archivo, con su Content-Type", content(("*/*")),
         headers(("Content-Disposition" = String, description = "`attachment` con el nombre del archivo"))),
        (status = 404, description = "No existe la visita, el hallazgo o su archivo", body = ErrorBody),
    ),
)]
pub async fn download_evidence(
    State(state): State<AppState>,
    _user: ApiUser,
    Path(at): Path<VisitFindingAt>,
) -> Result<Response, ApiError> {
    let (name, file, content) = visits::finding_evidence(&state, at.id, at.number).await?;
    file_response(&file.mime, &name, content).map_err(ApiError::internal)
}

/// An action of an improvement plan.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewAction {
    /// The number of the finding it attends.
    #[schema(minimum = 1, maximum = 100000)]
    pub finding: u32,
    #[schema(
        max_length = 4000,
        pattern = r"\S",
        example = "Conciliar el inventario de medicamentos"
    )]
    pub description: String,
    /// The responsible unit, by code or name.
    #[schema(max_length = 300, pattern = r"\S")]
    pub responsible: String,
    /// Its first day (`AAAA-MM-DD`).
    #[schema(format = Date, example = "2026-04-01")]
    pub start: String,
    /// Its last day (`AAAA-MM-DD`), or a term in días hábiles from `start` on the LFPA
    /// calendar («15 días hábiles»).
    #[schema(max_length = 40, example = "15 días hábiles")]
    pub end: String,
    /// What will prove it.
    #[schema(max_length = 4000)]
    #[serde(default)]
    pub products: String,
}

/// A visit's improvement plan.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewPlan {
    /// The plan's program key: letters, digits, `-`, `_` and `.`.
    #[schema(
        max_length = 40,
        pattern = "^[A-Za-z0-9_-][A-Za-z0-9._-]*$",
        example = "PM-OOAD-JAL-2026"
    )]
    pub key: String,
    /// Every finding attended by at least one.
    #[schema(min_items = 1, max_items = 100)]
    pub actions: Vec<NewAction>,
}

/// Makes a visit's improvement plan: a follow-up program with an item per finding and its
/// actions as activities (evidence-gated progress through `/api/v1/programs/{key}/…`, rounds
/// through `/api/v1/programs/{key}/rounds`). Answers the visit, with the plan's key.
#[utoipa::path(
    post,
    path = "/api/v1/visits/{id}/plan",
    operation_id = "make_improvement_plan",
    tag = "seguimiento",
    params(VisitId),
    request_body = NewPlan,
    responses(
        (status = 201, description = "Registrado; la visita como queda", body = Visit,
         headers(("Location" = String, description = "La URL del programa del plan"))),
        (status = 409, description = "La visita ya tiene plan, o ya existe un programa con esa clave", body = ErrorBody),
        (status = 422, description = "Datos no válidos (`fields`): un hallazgo sin acción, una unidad que no existe, un término no válido; o la visita no tiene hallazgos", body = ErrorBody),
    ),
)]
pub async fn make_plan(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(VisitId { id }): Path<VisitId>,
    Json(request): Json<NewPlan>,
) -> Result<Response, ApiError> {
    let actions: Vec<ActionDraft> = request
        .actions
        .into_iter()
        .map(|a| ActionDraft {
            finding: a.finding.to_string(),
            description: a.description,
            responsible: a.responsible,
            start: a.start,
            end: a.end,
            products: a.products,
        })
        .collect();
    let key = visits::make_plan(&state, &user, id, &request.key, &actions).await?;
    let visit = visits::show(&state, id).await?;
    Ok(super::created(
        &format!("/api/v1/programs/{key}"),
        Visit::from(&visit),
    ))
}
