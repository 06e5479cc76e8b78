//! `/api/v1/programs`: the follow-up programs (`docs/asm-format.md`) as the pages show and
//! change them, through the same use cases (`turno_app::programs`) and rules: anyone with a token
//! reads a program as of a date and downloads its evidence; an activity's progress, and its
//! evidence as a file (multipart, stored in the blob store as it arrives), are recorded by its
//! responsible areas and administrators; administrators import a program's tables; those who
//! may act register supervisions (`/api/v1/supervisions`) and programs of agreements and
//! commitments and add to them; those who follow a supervision close its rounds.

use super::answers::ActivityRefusals;
use super::auth::ApiUser;
use super::error::{ApiError, ErrorBody, FieldError, Json, Path, Query};
use super::params::{ProgramActivity, ProgramItem, ProgramKey};
use super::text_part;
use crate::auth::SignedIn;
use crate::documents::{TableFile, file_name, file_response, stream_evidence};
use crate::state::AppState;
use axum::extract::State;
use axum::extract::multipart::{Multipart, MultipartRejection};
use axum::response::{IntoResponse, Response};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use turno_app::limits;
use turno_app::programs::may_edit;
use turno_app::programs::{
    self, ActivityDraft, Closing, ItemDraft, ProgramDraft, ProgressChange, SupervisionDraft,
};
use turno_domain::followup::{
    Activity, Item, ItemKind, LineKind, Plan, ProgramKind, RoundOutcome, Tally, parse_date,
};
use turno_store::followup::{ClosedRound, EvidenceFile, Followup, ProgramImport};
use utoipa::{IntoParams, ToSchema};

/// A stored program.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProgramSummary {
    #[schema(example = "ASM-2017")]
    pub key: String,
    pub name: String,
    /// For a supervision's recommendations: the folio of its cnpss-94 case.
    pub supervision_of: Option<String>,
    /// The heading of a program written down line by line.
    pub plan: Option<PlanView>,
}

/// The heading of a program written down line by line.
#[derive(Debug, Serialize, ToSchema)]
pub struct PlanView {
    /// `agreements`, `commitments`, `audit`, `pat`, `ptar` or `ptci`.
    #[schema(example = "ptci")]
    pub kind: String,
    /// In words: «Programa de Trabajo de Control Interno (PTCI)».
    pub label: String,
    pub body: Option<String>,
    pub reference: Option<String>,
    #[schema(format = Date)]
    pub held_on: Option<String>,
    pub year: Option<i16>,
}

impl From<&Plan> for PlanView {
    fn from(plan: &Plan) -> PlanView {
        PlanView {
            kind: plan.kind.code().to_owned(),
            label: plan.kind.label().to_owned(),
            body: plan.body.clone(),
            reference: plan.reference.clone(),
            held_on: plan.held_on.map(|d| d.to_string()),
            year: plan.year,
        }
    }
}

/// A program as of a date: its items with their activities.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProgramDetail {
    pub key: String,
    pub name: String,
    pub supervision_of: Option<String>,
    pub plan: Option<PlanView>,
    /// The cut-off date the progress and statuses are as of (`AAAA-MM-DD`).
    #[schema(format = Date)]
    pub date: String,
    pub items: Vec<FollowupItem>,
    /// A supervision's, or a visit's improvement plan's, closed follow-up rounds, in order;
    /// none for other programs.
    pub rounds: Vec<RoundResult>,
}

/// A supervision's follow-up round, closed.
#[derive(Debug, Serialize, ToSchema)]
pub struct RoundResult {
    /// 1 or 2.
    pub round: u8,
    #[schema(example = "primer seguimiento")]
    pub label: String,
    /// `concluded`: every recommendation atendida; `second_round`: the pending ones pass to the
    /// second round; `escalated`: some were still pending after the second.
    #[schema(example = "second_round")]
    pub outcome: String,
    /// In words: `concluida`, `pasa al segundo seguimiento`, `escalada`.
    pub outcome_label: String,
    /// The recommendations not atendidas when it closed.
    pub pending: usize,
    #[schema(format = Date)]
    pub day: String,
}

impl RoundResult {
    fn new(round: turno_domain::followup::Round, outcome: RoundOutcome, day: Date) -> RoundResult {
        RoundResult {
            round: round.number(),
            label: round.label().to_owned(),
            outcome: match outcome {
                RoundOutcome::Concluded => "concluded",
                RoundOutcome::SecondRound { .. } => "second_round",
                RoundOutcome::Escalated { .. } => "escalated",
            }
            .to_owned(),
            outcome_label: outcome.label().to_owned(),
            pending: outcome.pending(),
            day: day.to_string(),
        }
    }
}

impl From<&ClosedRound> for RoundResult {
    fn from(r: &ClosedRound) -> RoundResult {
        RoundResult::new(r.round, r.outcome, r.day)
    }
}

/// An item of a program: a recommendation, an aspect susceptible de mejora, or a line written
/// down (an agreement, a commitment, an observation, a PAT line, a risk, a control action).
#[derive(Debug, Serialize, ToSchema)]
pub struct FollowupItem {
    /// The kind's letters and the number (`A1`, `R3`, `CI2`), as the paths name it.
    #[schema(example = "A1")]
    pub key: String,
    /// `recomendación`, `aspecto susceptible de mejora`, `acuerdo`, `compromiso`,
    /// `observación`, `línea de acción`, `riesgo` or `acción de control`.
    pub kind: String,
    /// An observation's number.
    pub reference: Option<String>,
    /// A PAT line's indicator, annual goal and quarterly goals.
    pub indicator: Option<String>,
    pub goal: Option<String>,
    pub quarter_goals: Option<Vec<u8>>,
    pub number: u32,
    pub text: String,
    /// The mean of its activities' progress, 0 to 100.
    pub progress: u8,
    /// `pendiente`, `en proceso`, `atendido`, `vencido`, `justificado` or `no atendido`.
    pub status: String,
    pub activities: Vec<FollowupActivity>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FollowupActivity {
    pub number: u32,
    pub description: String,
    #[schema(format = Date)]
    pub start: String,
    #[schema(format = Date)]
    pub end: String,
    /// The products or evidence the plan promises.
    pub products: String,
    pub responsible: Vec<String>,
    /// 0 to 100.
    pub progress: u8,
    /// As the item's.
    pub status: String,
    /// The names of the evidence documents attached; the file of the n-th (from 0), when one
    /// was uploaded, is at `…/activities/{number}/evidence/{n}`.
    pub evidence: Vec<String>,
    /// Whether the token user may record its progress.
    pub may_record: bool,
}

fn activity_view(user: &SignedIn, activity: &Activity, date: Date) -> FollowupActivity {
    FollowupActivity {
        number: activity.number,
        description: activity.description.clone(),
        start: activity.start().to_string(),
        end: activity.end().to_string(),
        products: activity.products.clone(),
        responsible: activity.responsible.clone(),
        progress: activity.progress().percent(),
        status: activity.status(date).as_str().to_owned(),
        evidence: activity.evidence().iter().map(|e| e.name.clone()).collect(),
        may_record: may_edit(user, activity),
    }
}

fn item_view(user: &SignedIn, item: &Item, date: Date) -> FollowupItem {
    let goal = match &item.kind {
        ItemKind::Line(goal) => Some(goal),
        _ => None,
    };
    FollowupItem {
        key: item.key(),
        kind: item.kind.label().to_owned(),
        reference: match &item.kind {
            ItemKind::Observation { reference } => Some(reference.clone()),
            _ => None,
        },
        indicator: goal.map(|g| g.indicator.clone()),
        goal: goal.map(|g| g.annual.clone()),
        quarter_goals: goal.map(|g| g.quarters.iter().map(|p| p.percent()).collect()),
        number: item.number,
        text: item.text.clone(),
        progress: item.progress().percent(),
        status: item.status(date).as_str().to_owned(),
        activities: item
            .activities
            .iter()
            .map(|a| activity_view(user, a, date))
            .collect(),
    }
}

/// The program under `key` as of `date`, as `GET /api/v1/programs/{key}` answers it.
/// 201 with a program just made, as of today, and its `Location`.
async fn created_program(
    state: &AppState,
    user: &SignedIn,
    key: &str,
) -> Result<Response, ApiError> {
    let program = detail(state, user, key, state.today()).await?;
    Ok(super::created(&format!("/api/v1/programs/{key}"), program))
}

async fn detail(
    state: &AppState,
    user: &SignedIn,
    key: &str,
    date: Date,
) -> Result<ProgramDetail, ApiError> {
    let (program, head) = programs::as_of(state, key, date).await?;
    // Only a supervision's, or a visit's improvement plan's, rounds are ever closed.
    let rounds = state.store.rounds(key).await?;
    Ok(ProgramDetail {
        key: head.key,
        name: program.name.clone(),
        supervision_of: head.supervision_of,
        plan: head.plan.as_ref().map(PlanView::from),
        date: date.to_string(),
        items: program
            .items
            .iter()
            .map(|i| item_view(user, i, date))
            .collect(),
        rounds: rounds.iter().map(RoundResult::from).collect(),
    })
}

/// The stored programs.
#[utoipa::path(
    get,
    path = "/api/v1/programs",
    operation_id = "list_programs",
    tag = "seguimiento",
    responses(
        (status = 200, description = "Los programas", body = Vec<ProgramSummary>),
    ),
)]
pub async fn list(
    State(state): State<AppState>,
    _user: ApiUser,
) -> Result<Json<Vec<ProgramSummary>>, ApiError> {
    let programs = state
        .store
        .programs()
        .await?
        .into_iter()
        .map(|p| ProgramSummary {
            plan: p.plan.as_ref().map(PlanView::from),
            key: p.key,
            name: p.name,
            supervision_of: p.supervision_of,
        })
        .collect();
    Ok(Json(programs))
}

/// The cut-off date asked for (`AAAA-MM-DD`), today if none.
fn cut_date(state: &AppState, asked: Option<&str>) -> Result<Date, ApiError> {
    match asked.filter(|d| !d.is_empty()) {
        Some(text) => parse_date(text).ok_or_else(|| {
            ApiError::bad_request(format!("«{text}» no es una fecha de corte (AAAA-MM-DD)."))
        }),
        None => Ok(state.today()),
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CutQuery {
    /// The cut-off date (`AAAA-MM-DD`; `DD-MM-AAAA` too); today if not given.
    #[param(format = Date, pattern = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")]
    date: Option<String>,
}

/// A program as of a cut-off date: the changes recorded after it are undone.
#[utoipa::path(
    get,
    path = "/api/v1/programs/{key}",
    operation_id = "get_program",
    tag = "seguimiento",
    params(ProgramKey, CutQuery),
    responses(
        (status = 200, description = "El programa a la fecha de corte", body = ProgramDetail),
        (status = 400, description = "Fecha de corte no válida", body = ErrorBody),
        (status = 404, description = "No existe el programa", body = ErrorBody),
    ),
)]
pub async fn show(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(ProgramKey { key }): Path<ProgramKey>,
    Query(cut): Query<CutQuery>,
) -> Result<Json<ProgramDetail>, ApiError> {
    let date = cut_date(&state, cut.date.as_deref())?;
    Ok(Json(detail(&state, &user, &key, date).await?))
}

/// How an activity is closed without being done.
#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ClosureKind {
    Justified,
    NotAttended,
}

/// A change to an activity without evidence, as the item page's form records it (evidence is
/// a file: `…/evidence`).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProgressInput {
    /// 0 to 100; 100 needs evidence attached before (`…/evidence` records both at once).
    #[schema(example = 60, minimum = 0, maximum = 100)]
    pub progress: u8,
    #[serde(default)]
    #[schema(max_length = 4000)]
    pub note: String,
    /// Closes the activity as justificada or no atendida; needs `reason`.
    pub closure: Option<ClosureKind>,
    #[serde(default)]
    #[schema(max_length = 4000)]
    pub reason: String,
}

/// A change as `turno_app::programs::record` takes it, from the request's values.
fn change(
    progress: u8,
    note: String,
    closure: Option<ClosureKind>,
    reason: String,
) -> ProgressChange {
    ProgressChange {
        progress,
        note,
        closing: closure.map(|kind| match kind {
            ClosureKind::Justified => Closing::Justified,
            ClosureKind::NotAttended => Closing::NotAttended,
        }),
        reason,
    }
}

/// Records an activity's progress (or its closure) without evidence; answers the activity as
/// it is now. Refusals are in Spanish, as on the pages.
#[utoipa::path(
    post,
    path = "/api/v1/programs/{key}/items/{item}/activities/{number}/progress",
    operation_id = "record_progress",
    tag = "seguimiento",
    params(ProgramActivity),
    request_body = ProgressInput,
    responses(
        (status = 200, description = "El avance quedó registrado", body = FollowupActivity),
        ActivityRefusals,
        (status = 422, description = "El cambio no se admite (p. ej. 100 % sin evidencia, un cierre sin justificación, un campo de más)", body = ErrorBody),
    ),
)]
pub async fn record(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(on): Path<ProgramActivity>,
    Json(input): Json<ProgressInput>,
) -> Result<Json<FollowupActivity>, ApiError> {
    let change = change(input.progress, input.note, input.closure, input.reason);
    let activity = programs::record(&state, &user, on.at(), change, None).await?;
    Ok(Json(activity_view(&user, &activity, state.today())))
}

/// The parts of an evidence upload (`multipart/form-data`): the change's fields, then the file.
/// The fields may come in any order before the file; the file is stored as it arrives.
#[derive(Debug, Default, ToSchema)]
// An unknown part is refused (`additionalProperties: false`).
#[serde(deny_unknown_fields)]
pub struct EvidenceUpload {
    /// 0 to 100.
    #[schema(value_type = u8, required = true, minimum = 0, maximum = 100, example = 100)]
    pub progress: Option<u8>,
    #[schema(max_length = 4000, required = false)]
    pub note: String,
    /// Closes the activity as justificada or no atendida; needs `reason`.
    pub closure: Option<ClosureKind>,
    #[schema(max_length = 4000, required = false)]
    pub reason: String,
    /// The file, with its name (`filename`) and a `Content-Type` true of its content (a PDF,
    /// PNG or JPEG declared as such must be one); as large as the blob store accepts.
    #[schema(value_type = String, format = Binary, content_media_type = "application/octet-stream", required = true)]
    pub evidence: Option<(String, EvidenceFile)>,
}

/// Records an activity's progress with an evidence file (multipart): the file is stored in the
/// blob store as it arrives and becomes the activity's evidence, so that 100 % is admitted.
/// Answers the activity as it is now.
#[utoipa::path(
    post,
    path = "/api/v1/programs/{key}/items/{item}/activities/{number}/evidence",
    operation_id = "record_evidence",
    tag = "seguimiento",
    params(ProgramActivity),
    request_body(content = EvidenceUpload, content_type = "multipart/form-data"),
    responses(
        (status = 200, description = "La evidencia y el avance quedaron registrados", body = FollowupActivity),
        (status = 400, description = "El cuerpo no es multipart, falta el archivo o su nombre, o no llegó completo", body = ErrorBody),
        ActivityRefusals,
        (status = 413, description = "El archivo supera el tamaño máximo", body = ErrorBody),
        (status = 415, description = "El contenido del archivo no es del tipo con que se envió", body = ErrorBody),
        (status = 422, description = "Un campo no válido (`fields`), el archivo vacío, o el cambio no se admite", body = ErrorBody),
    ),
)]
pub async fn record_evidence(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(on): Path<ProgramActivity>,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Json<FollowupActivity>, ApiError> {
    // Before anything is stored: the activity, and whether it is this person's to record.
    programs::may_record(&state, &user, on.at()).await?;
    let mut multipart = multipart.map_err(|_| {
        ApiError::bad_request(
            "El cuerpo debe ser multipart/form-data, con el archivo en la parte «evidence».",
        )
    })?;
    let mut upload = EvidenceUpload::default();
    let mut wrong = Vec::new();
    while let Some(mut field) = multipart
        .next_field()
        .await
        .map_err(|_| ApiError::incomplete())?
    {
        match field.name().unwrap_or_default() {
            "evidence" if upload.evidence.is_some() => {
                return Err(ApiError::bad_request("Envíe un solo archivo de evidencia."));
            }
            "evidence" => {
                let name = file_name(field.file_name().unwrap_or_default());
                if name.is_empty() {
                    return Err(ApiError::bad_request(
                        "La parte «evidence» debe llevar el nombre del archivo (filename).",
                    ));
                }
                let Some(stored) = stream_evidence(&state, &mut field, &name).await? else {
                    return Err(ApiError::refused(format!(
                        "El archivo «{name}» está vacío; no se adjuntó."
                    )));
                };
                upload.evidence = Some((name, stored));
            }
            "progress" => match text_part(field).await?.trim().parse::<u8>() {
                Ok(progress) => upload.progress = Some(progress),
                Err(_) => wrong.push(FieldError::new(
                    "progress",
                    "El avance es un número de 0 a 100.",
                )),
            },
            "note" => upload.note = text_part(field).await?,
            "reason" => upload.reason = text_part(field).await?,
            "closure" => match text_part(field).await?.trim() {
                "" => upload.closure = None,
                "justified" => upload.closure = Some(ClosureKind::Justified),
                "not_attended" => upload.closure = Some(ClosureKind::NotAttended),
                _ => wrong.push(FieldError::new(
                    "closure",
                    "El cierre es «justified» o «not_attended».",
                )),
            },
            other => wrong.push(FieldError::new(
                other,
                "Esta parte no es del envío de evidencia.",
            )),
        }
    }
    let Some(evidence) = upload.evidence else {
        return Err(ApiError::bad_request(
            "Falta el archivo de evidencia (la parte «evidence»).",
        ));
    };
    if upload.progress.is_none() && wrong.iter().all(|w| w.field != "progress") {
        wrong.push(FieldError::new(
            "progress",
            "Escriba el avance, un número de 0 a 100.",
        ));
    }
    let (Some(progress), true) = (upload.progress, wrong.is_empty()) else {
        return Err(ApiError::invalid_fields(wrong));
    };
    let change = change(progress, upload.note, upload.closure, upload.reason);
    let activity = programs::record(&state, &user, on.at(), change, Some(evidence)).await?;
    tracing::info!(program = %on.key, item = %on.item, activity = on.number, user = %user.login, "evidence recorded through the API");
    Ok(Json(activity_view(&user, &activity, state.today())))
}

/// Which of an activity's evidence files (`{index}`).
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct EvidenceIndex {
    /// El lugar de la evidencia en la lista de la actividad (`evidence`), desde 0
    #[param(value_type = u32)]
    index: usize,
}

/// An evidence file of an activity, with its type and its name (`Content-Disposition`).
#[utoipa::path(
    get,
    path = "/api/v1/programs/{key}/items/{item}/activities/{number}/evidence/{index}",
    operation_id = "download_evidence",
    tag = "seguimiento",
    params(
        ProgramActivity,
        EvidenceIndex,
    ),
    responses(
        (status = 200, description = "El archivo, con su Content-Type", content(("*/*")),
         headers(("Content-Disposition" = String, description = "`attachment` con el nombre del archivo"))),
        (status = 404, description = "No existe el programa, la actividad, o un archivo en ese lugar (una evidencia importada con sus tablas solo tiene nombre)", body = ErrorBody),
        (status = 500, description = "El archivo guardado ya no coincide con el registrado", body = ErrorBody),
    ),
)]
pub async fn download_evidence(
    State(state): State<AppState>,
    ApiUser(_user): ApiUser,
    Path(on): Path<ProgramActivity>,
    Path(EvidenceIndex { index }): Path<EvidenceIndex>,
) -> Result<Response, ApiError> {
    let (name, file, content) = programs::evidence(&state, on.at(), index).await?;
    file_response(&file.mime, &name, content).map_err(ApiError::internal)
}

/// The kinds of line a program written down line by line holds (each kind of program its own:
/// `ProgramKindCode`).
#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum LineKindCode {
    /// Acuerdo (`AC1`, `AC2`…), of a meeting's program.
    Agreement,
    /// Compromiso (`C1`, `C2`…), of a meeting's or a program of commitments.
    Commitment,
    /// Observación de auditoría (`OB1`…), with the fiscalizing body's number (`reference`).
    Observation,
    /// Línea de acción de un PAT (`L1`…), with `indicator`, `goal` and `quarter_goals`.
    Line,
    /// Riesgo de un PTAR (`RG1`…); its activities are the control actions.
    Risk,
    /// Acción de control interno de un PTCI (`CI1`…).
    ControlAction,
}

impl From<LineKindCode> for LineKind {
    fn from(kind: LineKindCode) -> LineKind {
        match kind {
            LineKindCode::Agreement => LineKind::Agreement,
            LineKindCode::Commitment => LineKind::Commitment,
            LineKindCode::Observation => LineKind::Observation,
            LineKindCode::Line => LineKind::Line,
            LineKindCode::Risk => LineKind::Risk,
            LineKindCode::ControlAction => LineKind::ControlAction,
        }
    }
}

/// The kinds of program written down line by line.
#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ProgramKindCode {
    /// Acuerdos de una reunión: `body`, `reference` (la sesión) y `held_on`.
    Agreements,
    /// Compromisos ante un órgano: `body`.
    Commitments,
    /// Observaciones de una auditoría: `body` (el ente fiscalizador), `reference` (el número
    /// de auditoría) y `year` (la Cuenta Pública).
    Audit,
    /// Programa Anual de Trabajo: `year`.
    Pat,
    /// Programa de Trabajo de Administración de Riesgos: `year`.
    Ptar,
    /// Programa de Trabajo de Control Interno: `year`.
    Ptci,
}

impl From<ProgramKindCode> for ProgramKind {
    fn from(kind: ProgramKindCode) -> ProgramKind {
        match kind {
            ProgramKindCode::Agreements => ProgramKind::Agreements,
            ProgramKindCode::Commitments => ProgramKind::Commitments,
            ProgramKindCode::Audit => ProgramKind::Audit,
            ProgramKindCode::Pat => ProgramKind::Pat,
            ProgramKindCode::Ptar => ProgramKind::Ptar,
            ProgramKindCode::Ptci => ProgramKind::Ptci,
        }
    }
}

/// An activity of a line.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewActivity {
    #[schema(
        max_length = 4000,
        pattern = r"\S",
        example = "Enviar la minuta firmada"
    )]
    pub description: String,
    /// Its first day (`AAAA-MM-DD`).
    #[schema(format = Date, example = "2026-03-02")]
    pub start: String,
    /// Its last day (`AAAA-MM-DD`), not before `start`; or none, and its term in `days`.
    #[serde(default)]
    #[schema(format = Date, example = "2026-03-13")]
    pub end: Option<String>,
    /// Its term in días hábiles from `start` (the LFPA calendar), instead of `end`.
    #[schema(minimum = 1, maximum = 730, example = 30)]
    pub days: Option<u16>,
    /// What proves it.
    #[serde(default)]
    #[schema(max_length = 4000, example = "Minuta firmada")]
    pub products: String,
}

/// A line as its source writes it down: an agreement or commitment of a meeting's minutes, an
/// audit's observation, a line of a PAT, a risk of a PTAR, an action of a PTCI.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewItem {
    pub kind: LineKindCode,
    #[schema(
        max_length = 4000,
        pattern = r"\S",
        example = "Publicar el Manual de Organización actualizado"
    )]
    pub text: String,
    /// The unit responsible for its activities, by code or name (`GET /api/v1/units`).
    #[schema(max_length = 300, pattern = r"\S", example = "SIDSS-ST")]
    pub responsible: String,
    /// An observation's number, as the fiscalizing body writes it.
    #[serde(default)]
    #[schema(max_length = 300, example = "2024-0-12100-19-0045-01-001")]
    pub reference: String,
    /// A PAT line's indicator.
    #[serde(default)]
    #[schema(max_length = 300, example = "Porcentaje de entidades supervisadas")]
    pub indicator: String,
    /// A PAT line's annual goal.
    #[serde(default)]
    #[schema(max_length = 300, example = "32 entidades")]
    pub goal: String,
    /// A PAT line's progress expected at the end of each quarter (percent, cumulative).
    #[schema(min_items = 4, max_items = 4, example = json!([25, 50, 75, 100]))]
    pub quarter_goals: Option<Vec<u8>>,
    #[schema(min_items = 1, max_items = 100)]
    pub activities: Vec<NewActivity>,
}

impl From<&NewItem> for ItemDraft {
    fn from(item: &NewItem) -> ItemDraft {
        let mut quarters: [String; 4] = Default::default();
        for (quarter, goal) in quarters.iter_mut().zip(item.quarter_goals.iter().flatten()) {
            *quarter = goal.to_string();
        }
        ItemDraft {
            reference: item.reference.clone(),
            indicator: item.indicator.clone(),
            goal: item.goal.clone(),
            quarters,
            ..ItemDraft::new(
                item.kind.into(),
                item.text.clone(),
                item.responsible.clone(),
                item.activities
                    .iter()
                    .map(|a| ActivityDraft {
                        description: a.description.clone(),
                        start: a.start.clone(),
                        end: a.end.clone().unwrap_or_default(),
                        days: a.days.map(|d| d.to_string()).unwrap_or_default(),
                        products: a.products.clone(),
                    })
                    .collect(),
            )
        }
    }
}

/// A program written down line by line: a meeting's agreements, commitments, an audit's
/// observations, a PAT, PTAR or PTCI; without `kind`, a visit's agreements and commitments.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewProgram {
    /// Its key: letters, digits, `-`, `_` and `.`.
    #[schema(
        max_length = 40,
        pattern = "^[A-Za-z0-9_-][A-Za-z0-9._-]*$",
        example = "REUNION-2026-03"
    )]
    pub key: String,
    #[schema(
        max_length = 300,
        pattern = r"\S",
        example = "Acuerdos de la reunión de seguimiento de marzo de 2026"
    )]
    pub name: String,
    /// The folio of the case of the meeting or visit, one the user sees.
    #[schema(max_length = 40, example = "CAS-2026-000001")]
    pub case_folio: Option<String>,
    pub kind: Option<ProgramKindCode>,
    /// The meeting's collegiate body, the body commitments are made before, or the fiscalizing
    /// body.
    #[serde(default)]
    #[schema(max_length = 300, example = "Consejo Nacional de Salud")]
    pub body: String,
    /// The meeting's session, or the audit's number.
    #[serde(default)]
    #[schema(max_length = 300, example = "Primera sesión ordinaria 2026")]
    pub reference: String,
    /// The meeting's day (`AAAA-MM-DD`).
    #[schema(format = Date, example = "2026-03-02")]
    pub held_on: Option<String>,
    /// The year of a PAT, PTAR or PTCI, or the Cuenta Pública an audit reviews.
    #[schema(minimum = 2000, maximum = 2099, example = 2026)]
    pub year: Option<i16>,
    #[schema(min_items = 1, max_items = 100)]
    pub items: Vec<NewItem>,
}

/// Registers a program written down line by line with its heading and first lines; answers
/// it as of today.
#[utoipa::path(
    post,
    path = "/api/v1/programs",
    operation_id = "create_program",
    tag = "seguimiento",
    request_body = NewProgram,
    responses(
        (status = 201, description = "Registrado", body = ProgramDetail,
         headers(("Location" = String, description = "La URL del programa"))),
        (status = 403, description = "El usuario solo consulta, o no ve el asunto `case_folio`", body = ErrorBody),
        (status = 404, description = "No existe el asunto `case_folio`", body = ErrorBody),
        (status = 409, description = "Ya existe un programa con esa clave", body = ErrorBody),
        (status = 422, description = "Datos no válidos (`fields`): una unidad que no existe, una actividad que termina antes de empezar, una línea de otro tipo de programa, un encabezado incompleto…", body = ErrorBody),
    ),
)]
pub async fn create(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Json(request): Json<NewProgram>,
) -> Result<Response, ApiError> {
    let drafts: Vec<ItemDraft> = request.items.iter().map(ItemDraft::from).collect();
    let year = request.year.map(|y| y.to_string()).unwrap_or_default();
    programs::create_program(
        &state,
        &user,
        ProgramDraft {
            key: &request.key,
            name: &request.name,
            kind: request.kind.map(ProgramKind::from),
            body: &request.body,
            reference: &request.reference,
            held_on: request.held_on.as_deref().unwrap_or_default(),
            year: &year,
            folio: request.case_folio.as_deref(),
        },
        &drafts,
    )
    .await?;
    let key = request.key.trim();
    tracing::info!(program = %key, user = %user.login, "program created through the API");
    created_program(&state, &user, key).await
}

/// Adds a line to a program written down line by line (of the kind its program takes), numbered
/// after the last of its kind; answers the item as of today.
#[utoipa::path(
    post,
    path = "/api/v1/programs/{key}/items",
    operation_id = "add_program_item",
    tag = "seguimiento",
    params(ProgramKey),
    request_body = NewItem,
    responses(
        (status = 201, description = "Agregado", body = FollowupItem,
         headers(("Location" = String, description = "La URL del programa"))),
        (status = 403, description = "El usuario solo consulta, o no ve el asunto del que vienen los acuerdos", body = ErrorBody),
        (status = 404, description = "No existe el programa", body = ErrorBody),
        (status = 422, description = "Datos no válidos (`fields`): una línea de otro tipo que el del programa…; o el programa no se escribe línea por línea", body = ErrorBody),
    ),
)]
pub async fn add_item(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(ProgramKey { key }): Path<ProgramKey>,
    Json(request): Json<NewItem>,
) -> Result<Response, ApiError> {
    let drafts = [(String::new(), String::new(), ItemDraft::from(&request))];
    let mut added = programs::add_lines(&state, &user, &key, &drafts).await?;
    let item = added.pop().ok_or_else(|| {
        ApiError::from(turno_app::Error::internal("a line added and not answered"))
    })?;
    Ok(super::created(
        &format!("/api/v1/programs/{key}"),
        item_view(&user, &item, state.today()),
    ))
}

/// Edits a line of a program written down line by line: its text, what its kind adds, its
/// responsible unit and its activities' descriptions, terms and products (as many activities
/// as it has, in their order; its kind as it is). Refused (422 by field) when it would
/// contradict what was recorded: a closed activity's term, a start after an activity's first
/// progress or an end before its last, the goal of a quarter already ended. Answers the line.
#[utoipa::path(
    put,
    path = "/api/v1/programs/{key}/items/{item}",
    operation_id = "update_program_item",
    tag = "seguimiento",
    params(ProgramItem),
    request_body = NewItem,
    responses(
        (status = 200, description = "La línea como quedó", body = FollowupItem),
        (status = 403, description = "El usuario solo consulta, o no ve el asunto del que vienen las líneas", body = ErrorBody),
        (status = 404, description = "No existe el programa o la línea", body = ErrorBody),
        (status = 409, description = "La línea cambió (un avance, otra edición) mientras se editaba", body = ErrorBody),
        (status = 422, description = "Datos no válidos, o contrarios a lo registrado (`fields`); o el programa no se escribe línea por línea", body = ErrorBody),
    ),
)]
pub async fn update_item(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(ProgramItem { key, item }): Path<ProgramItem>,
    Json(request): Json<NewItem>,
) -> Result<Json<FollowupItem>, ApiError> {
    let line = programs::revise_line(&state, &user, &key, &item, ItemDraft::from(&request)).await?;
    Ok(Json(item_view(&user, &line, state.today())))
}

/// The parts of a program's import (`multipart/form-data`).
#[derive(Debug, Default, ToSchema)]
// An unknown part is refused (`additionalProperties: false`).
#[serde(deny_unknown_fields)]
pub struct TablesUpload {
    /// The program's name.
    #[schema(max_length = 300, pattern = r"\S", example = "Programa de ASM 2017")]
    pub name: String,
    /// The three tables (Recomendaciones, Aspectos, Actividades): CSV files, or a workbook's
    /// sheets, each part with its file name.
    #[schema(value_type = Vec<String>, format = Binary, content_media_type = "application/octet-stream", min_items = 1)]
    pub tables: Vec<(String, Vec<u8>)>,
}

/// What an import did to the program under its key.
#[derive(Debug, Serialize, ToSchema)]
pub struct TablesImported {
    pub key: String,
    /// `created`, `replaced` or `unchanged` (the same tables again write nothing).
    #[schema(example = "created")]
    pub result: String,
}

/// Imports a program's three tables (`docs/asm-format.md`) under `key`, as `turno import asm`
/// and the import page do; with any problem in any file nothing is imported, and every
/// problem is named by file, row and column (`problems`). For administrators.
#[utoipa::path(
    put,
    path = "/api/v1/programs/{key}/tables",
    operation_id = "import_program_tables",
    tag = "seguimiento",
    params(("key" = String, Path, description = "La clave del programa: letras, dígitos, «-», «_» y «.»")),
    request_body(content = TablesUpload, content_type = "multipart/form-data"),
    responses(
        (status = 200, description = "Importado", body = TablesImported),
        (status = 400, description = "El cuerpo no es multipart o no llegó completo", body = ErrorBody),
        (status = 422, description = "Una clave o un nombre no válidos (`fields`), o los problemas de las tablas (`problems`); no se importó nada", body = ErrorBody),
    ),
)]
pub async fn import_tables(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(key): Path<String>,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Json<TablesImported>, ApiError> {
    if !user.is_admin() {
        return Err(ApiError::forbidden(
            "Solo un administrador importa programas.",
        ));
    }
    let mut multipart = multipart.map_err(|_| {
        ApiError::bad_request(
            "El cuerpo debe ser multipart/form-data, con el nombre («name») y las tablas \
             («tables»).",
        )
    })?;
    let mut upload = TablesUpload::default();
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|_| ApiError::incomplete())?
    {
        match field.name().unwrap_or_default() {
            "name" => upload.name = text_part(field).await?,
            "tables" => {
                let name = file_name(field.file_name().unwrap_or_default());
                let bytes = field.bytes().await.map_err(|_| ApiError::incomplete())?;
                upload.tables.push((name, bytes.to_vec()));
            }
            other => {
                return Err(ApiError::invalid_fields(vec![FieldError::new(
                    other,
                    "Esta parte no es de la importación: envíe «name» y «tables».",
                )]));
            }
        }
    }
    let done = programs::import_tables(&state, &user, &key, &upload.name, &upload.tables).await?;
    tracing::info!(program = %key, user = %user.login, "program tables imported through the API");
    Ok(Json(TablesImported {
        key,
        result: match done {
            ProgramImport::Created => "created",
            ProgramImport::Replaced => "replaced",
            ProgramImport::Unchanged => "unchanged",
        }
        .to_owned(),
    }))
}

/// The parts of a lines' import (`multipart/form-data`).
#[derive(Debug, Default, ToSchema)]
// An unknown part is refused (`additionalProperties: false`).
#[serde(deny_unknown_fields)]
pub struct LinesUpload {
    /// CSV files or workbooks (`.csv`, `.xlsx`) in the layout of the lines' export
    /// (`docs/asm-format.md`, «Líneas»): one row per activity, the rows of one «Línea» together;
    /// each part with its file name.
    #[schema(value_type = Vec<String>, format = Binary, content_media_type = "application/octet-stream", min_items = 1, max_items = 10)]
    pub files: Vec<(String, Vec<u8>)>,
}

/// The most files one lines' import takes.
const MOST_LINE_FILES: usize = 10;

/// Adds to a program written down line by line the lines of CSV files or workbooks, as the
/// program's page does (`POST /seguimiento/{key}/lineas`), each numbered after the last of its
/// kind; answers them as of today. With any problem in any file nothing is added, and every
/// problem is named by file, row and column (`problems`).
#[utoipa::path(
    post,
    path = "/api/v1/programs/{key}/lines",
    operation_id = "import_program_lines",
    tag = "seguimiento",
    params(ProgramKey),
    request_body(content = LinesUpload, content_type = "multipart/form-data"),
    responses(
        (status = 201, description = "Agregadas", body = Vec<FollowupItem>,
         headers(("Location" = String, description = "La URL del programa"))),
        (status = 403, description = "El usuario solo consulta, o no ve el asunto del que vienen las líneas", body = ErrorBody),
        (status = 404, description = "No existe el programa", body = ErrorBody),
        (status = 413, description = "El envío pasa del tamaño máximo", body = ErrorBody),
        (status = 422, description = "Una parte desconocida o demasiados archivos (`fields`), los problemas de los archivos por archivo, fila y columna (`problems`), o el programa no se escribe línea por línea; no se agregó nada", body = ErrorBody),
    ),
)]
pub async fn import_lines(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(ProgramKey { key }): Path<ProgramKey>,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Response, ApiError> {
    let mut multipart = multipart.map_err(|_| {
        ApiError::bad_request("El cuerpo debe ser multipart/form-data, con los archivos («files»).")
    })?;
    let mut upload = LinesUpload::default();
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(super::petition_import::unreadable)?
    {
        if field.name() != Some("files") {
            let other = field.name().unwrap_or_default().to_owned();
            return Err(ApiError::invalid_fields(vec![FieldError::new(
                &other,
                "Esta parte no es de la importación: envíe los archivos en «files».",
            )]));
        }
        if upload.files.len() == MOST_LINE_FILES {
            return Err(ApiError::invalid_fields(vec![FieldError::new(
                "files",
                format!("Envíe de 1 a {MOST_LINE_FILES} archivos."),
            )]));
        }
        let name = file_name(field.file_name().unwrap_or_default());
        let bytes = field
            .bytes()
            .await
            .map_err(super::petition_import::unreadable)?;
        upload.files.push((name, bytes.to_vec()));
    }
    let added = programs::import_lines(&state, &user, &key, &upload.files).await?;
    tracing::info!(program = %key, user = %user.login, lines = added.len(), "program lines imported through the API");
    let today = state.today();
    let items: Vec<FollowupItem> = added
        .iter()
        .map(|item| item_view(&user, item, today))
        .collect();
    Ok(super::created(&format!("/api/v1/programs/{key}"), items))
}

/// A supervision's recommendations to an entidad (procedure 94).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewSupervision {
    /// The program's key: letters, digits, `-`, `_` and `.`.
    #[schema(
        max_length = 40,
        pattern = "^[A-Za-z0-9_-][A-Za-z0-9._-]*$",
        example = "SUP-QRO-2026"
    )]
    pub key: String,
    /// The folio of its cnpss-94 case, one the user sees.
    #[schema(max_length = 40, example = "CNPSS-94-2026-000001")]
    pub folio: String,
    /// The entidad: the area responsible for every recommendation.
    #[schema(max_length = 300, pattern = r"\S", example = "Querétaro")]
    pub entidad: String,
    /// When the results were received (`AAAA-MM-DD`).
    #[schema(format = Date)]
    pub from: String,
    /// When the entidad's term ends (`AAAA-MM-DD`), not before `from`.
    #[schema(format = Date)]
    pub deadline: String,
    /// One text each.
    #[schema(min_items = 1, max_items = 100, schema_with = recommendation_texts)]
    pub recommendations: Vec<String>,
}

/// The schema of a supervision's recommendations: one to a hundred texts.
fn recommendation_texts() -> utoipa::openapi::schema::Array {
    use utoipa::openapi::schema::{ArrayBuilder, ObjectBuilder, Type};
    ArrayBuilder::new()
        .items(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .max_length(Some(limits::TEXT))
                .pattern(Some(r"\S")),
        )
        .min_items(Some(1))
        .max_items(Some(programs::MOST))
        .build()
}

/// Registers a supervision's recommendations as a program tied to its cnpss-94 case: each one
/// an item (`R1`, `R2`…) with the activity of attending it by the deadline, the entidad
/// responsible.
#[utoipa::path(
    post,
    path = "/api/v1/supervisions",
    operation_id = "create_supervision",
    tag = "seguimiento",
    request_body = NewSupervision,
    responses(
        (status = 201, description = "Registrada", body = ProgramDetail,
         headers(("Location" = String, description = "La URL del programa"))),
        (status = 403, description = "El usuario solo consulta, o no ve el asunto", body = ErrorBody),
        (status = 404, description = "No existe el asunto", body = ErrorBody),
        (status = 409, description = "Ya existe un programa con esa clave", body = ErrorBody),
        (status = 422, description = "Datos no válidos (`fields`), o el asunto no es una supervisión (procedimiento 94)", body = ErrorBody),
    ),
)]
pub async fn create_supervision(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Json(request): Json<NewSupervision>,
) -> Result<Response, ApiError> {
    programs::create_supervision(
        &state,
        &user,
        SupervisionDraft {
            key: &request.key,
            folio: &request.folio,
            entidad: &request.entidad,
            from: &request.from,
            deadline: &request.deadline,
            recommendations: &request.recommendations,
        },
    )
    .await?;
    let key = request.key.trim();
    created_program(&state, &user, key).await
}

/// Closes the next follow-up round of a supervision: every recommendation atendida concludes
/// it; otherwise the first round passes to the second and the second escalates.
#[utoipa::path(
    post,
    path = "/api/v1/programs/{key}/rounds",
    operation_id = "close_round",
    tag = "seguimiento",
    params(("key" = String, Path, description = "La clave del programa de la supervisión")),
    responses(
        (status = 200, description = "La ronda cerrada", body = RoundResult),
        (status = 403, description = "El usuario no ve el asunto de la supervisión o solo lo consulta", body = ErrorBody),
        (status = 404, description = "No existe el programa, o no es de una supervisión ni el plan de mejora de una visita", body = ErrorBody),
        (status = 409, description = "La supervisión ya concluyó o se escaló", body = ErrorBody),
    ),
)]
pub async fn close_round(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(key): Path<String>,
) -> Result<Json<RoundResult>, ApiError> {
    let (round, outcome) = programs::close_round(&state, &user, &key).await?;
    Ok(Json(RoundResult::new(round, outcome, state.today())))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct QuarterQuery {
    /// The year; this year if not given.
    #[param(minimum = 2000, maximum = 2099)]
    year: Option<i16>,
    /// The quarter, 1 to 4; this one if not given.
    #[param(minimum = 1, maximum = 4)]
    quarter: Option<u8>,
    /// The shape of the answer: JSON when not given; the workbook and the one-page PDF are
    /// the page's.
    formato: Option<QuarterFormat>,
}

/// The shapes the quarterly cut-off comes in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum QuarterFormat {
    Json,
    /// The summary and every line, on one sheet.
    Xlsx,
    /// One page: the summary and the first 30 lines.
    Pdf,
}

/// A line as of a quarter's end.
#[derive(Debug, Serialize, ToSchema)]
pub struct QuarterLine {
    #[schema(example = "CI1")]
    pub key: String,
    pub kind: String,
    pub text: String,
    /// 0 to 100.
    pub progress: u8,
    /// A PAT line's goal for the quarter (percent).
    pub goal: Option<u8>,
    pub status: String,
    pub overdue: bool,
    pub closed: bool,
}

/// A program's report as of a quarter's end.
#[derive(Debug, Serialize, ToSchema)]
pub struct QuarterView {
    pub key: String,
    pub name: String,
    pub year: i16,
    pub quarter: u8,
    #[schema(example = "primer trimestre de 2026")]
    pub label: String,
    /// The quarter's last day: the cut-off (`AAAA-MM-DD`).
    #[schema(format = Date)]
    pub date: String,
    pub lines: Vec<QuarterLine>,
    pub overdue: usize,
    pub closed: usize,
    /// Every activity's progress averaged, each weighing the same.
    pub progress: u8,
}

/// The report of a program as of a quarter's end (Q1 to Q4 of a year): each line's progress,
/// overdue and closed, with the changes recorded after that day undone.
#[utoipa::path(
    get,
    path = "/api/v1/programs/{key}/quarter",
    operation_id = "get_program_quarter",
    tag = "seguimiento",
    params(ProgramKey, QuarterQuery),
    responses(
        (status = 200, description = "El corte trimestral", content(
            (QuarterView = "application/json"),
            ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            ("application/pdf"),
        ), headers(("Content-Disposition" = String, description = "Con XLSX o PDF: `attachment` con el nombre del archivo"))),
        (status = 400, description = "Un año o un trimestre no válidos", body = ErrorBody),
        (status = 404, description = "No existe el programa", body = ErrorBody),
        (status = 422, description = "Un trimestre fuera de 1 a 4 o un año fuera de 2000 a 2099 (`fields`)", body = ErrorBody),
    ),
)]
pub async fn quarter(
    State(state): State<AppState>,
    _user: ApiUser,
    Path(ProgramKey { key }): Path<ProgramKey>,
    Query(asked): Query<QuarterQuery>,
) -> Result<Response, ApiError> {
    let now = turno_domain::followup::Quarter::of(state.today());
    let which = (
        asked.year.unwrap_or(now.year()),
        asked.quarter.unwrap_or(now.number()),
    );
    let (program, head, quarter) = programs::quarter(&state, &key, which).await?;
    let report = program.quarter_report(quarter);
    let name = crate::routes::followup::quarter::file_name(&key, quarter);
    let file = |file: TableFile| file.download(&name).map_err(ApiError::internal);
    match asked.formato.unwrap_or(QuarterFormat::Json) {
        QuarterFormat::Json => {}
        QuarterFormat::Xlsx => {
            return file(TableFile::Xlsx(crate::routes::followup::quarter::xlsx(
                &report,
            )?));
        }
        QuarterFormat::Pdf => {
            let bytes = crate::routes::followup::quarter::pdf(&program.name, &key, &report)?;
            return file(TableFile::Pdf(bytes));
        }
    }
    let lines = report
        .cutoff
        .items
        .iter()
        .zip(&report.goals)
        .map(|(s, goal)| QuarterLine {
            key: s.item.key(),
            kind: s.item.kind.label().to_owned(),
            text: s.item.text.clone(),
            progress: s.progress.percent(),
            goal: goal.map(|g| g.percent()),
            status: s.status.as_str().to_owned(),
            overdue: s.status == turno_domain::followup::Status::Overdue,
            closed: s.status.is_closed(),
        })
        .collect();
    Ok(Json(QuarterView {
        key: head.key,
        name: program.name.clone(),
        year: quarter.year(),
        quarter: quarter.number(),
        label: quarter.label(),
        date: quarter.end().to_string(),
        lines,
        overdue: report.overdue,
        closed: report.closed,
        progress: report.progress.percent(),
    })
    .into_response())
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RollupQuery {
    /// The direction's unit code (`GET /api/v1/units`).
    #[param(max_length = 40, pattern = r"\S", example = "SIDSS-ST")]
    unit: String,
    /// The cut-off date (`AAAA-MM-DD`); today if not given.
    #[param(format = Date, pattern = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")]
    date: Option<String>,
}

/// Activities counted together.
#[derive(Debug, Serialize, ToSchema)]
pub struct TallyView {
    pub activities: u32,
    /// Their progress averaged, each weighing the same (0 to 100).
    pub progress: u8,
    pub overdue: u32,
    pub closed: u32,
}

impl From<&Tally> for TallyView {
    fn from(t: &Tally) -> TallyView {
        TallyView {
            activities: t.activities,
            progress: t.progress().percent(),
            overdue: t.overdue,
            closed: t.closed,
        }
    }
}

/// One unit's part of a roll-up.
#[derive(Debug, Serialize, ToSchema)]
pub struct UnitTallyView {
    pub code: String,
    pub name: String,
    pub tally: TallyView,
}

/// A direction's view of a program: its own activities, its units' (those with any), and all
/// of them together, each counted once.
#[derive(Debug, Serialize, ToSchema)]
pub struct RollupView {
    #[schema(format = Date)]
    pub date: String,
    pub direction: UnitTallyView,
    pub units: Vec<UnitTallyView>,
    pub total: TallyView,
}

fn unit_view(u: &turno_domain::followup::UnitTally) -> UnitTallyView {
    UnitTallyView {
        code: u.code.clone(),
        name: u.name.clone(),
        tally: TallyView::from(&u.tally),
    }
}

/// The roll-up of a program from units to a direction, as of a date: the activities the
/// direction and the units below it in the organization answer for, per unit and in all, with
/// their weighted progress.
#[utoipa::path(
    get,
    path = "/api/v1/programs/{key}/rollup",
    operation_id = "get_program_rollup",
    tag = "seguimiento",
    params(ProgramKey, RollupQuery),
    responses(
        (status = 200, description = "El concentrado de la dirección", body = RollupView),
        (status = 400, description = "Fecha de corte no válida, o falta la unidad", body = ErrorBody),
        (status = 404, description = "No existe el programa o la unidad", body = ErrorBody),
    ),
)]
pub async fn rollup(
    State(state): State<AppState>,
    _user: ApiUser,
    Path(ProgramKey { key }): Path<ProgramKey>,
    Query(asked): Query<RollupQuery>,
) -> Result<Json<RollupView>, ApiError> {
    let date = cut_date(&state, asked.date.as_deref())?;
    let rollup = programs::rollup(&state, &key, &asked.unit, date).await?;
    Ok(Json(RollupView {
        date: date.to_string(),
        direction: unit_view(&rollup.direction),
        units: rollup.units.iter().map(unit_view).collect(),
        total: TallyView::from(&rollup.total),
    }))
}
