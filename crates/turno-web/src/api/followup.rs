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
use super::params::{ProgramActivity, ProgramKey};
use crate::auth::SignedIn;
use crate::documents::{file_name, file_response, stream_evidence};
use crate::state::AppState;
use axum::extract::State;
use axum::extract::multipart::{Multipart, MultipartRejection};
use axum::response::Response;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use turno_app::limits;
use turno_app::programs::may_edit;
use turno_app::programs::{
    self, ActivityDraft, Closing, ItemDraft, ProgressChange, SupervisionDraft,
};
use turno_domain::followup::{Activity, Item, ItemKind, RoundOutcome, parse_date};
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
}

/// A program as of a date: its items with their activities.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProgramDetail {
    pub key: String,
    pub name: String,
    pub supervision_of: Option<String>,
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

/// A recommendation or an aspect susceptible de mejora.
#[derive(Debug, Serialize, ToSchema)]
pub struct FollowupItem {
    /// The kind's letter and the number (`A1`, `R3`), as the paths name it.
    #[schema(example = "A1")]
    pub key: String,
    /// `recomendación` or `aspecto susceptible de mejora`.
    pub kind: String,
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
    FollowupItem {
        key: item.key(),
        kind: item.kind.label().to_owned(),
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
            key: p.key,
            name: p.name,
            supervision_of: p.supervision_of,
        })
        .collect();
    Ok(Json(programs))
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
    let date = match cut.date.as_deref().filter(|d| !d.is_empty()) {
        Some(text) => parse_date(text).ok_or_else(|| {
            ApiError::bad_request(format!("«{text}» no es una fecha de corte (AAAA-MM-DD)."))
        })?,
        None => state.today(),
    };
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

/// A text part of the upload, read whole (they are short).
async fn text(field: axum::extract::multipart::Field<'_>) -> Result<String, ApiError> {
    field.text().await.map_err(|_| incomplete())
}

fn incomplete() -> ApiError {
    ApiError::bad_request("No se recibió el envío completo. Intente de nuevo.")
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
    while let Some(mut field) = multipart.next_field().await.map_err(|_| incomplete())? {
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
            "progress" => match text(field).await?.trim().parse::<u8>() {
                Ok(progress) => upload.progress = Some(progress),
                Err(_) => wrong.push(FieldError::new(
                    "progress",
                    "El avance es un número de 0 a 100.",
                )),
            },
            "note" => upload.note = text(field).await?,
            "reason" => upload.reason = text(field).await?,
            "closure" => match text(field).await?.trim() {
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

/// The kinds of item a program of agreements holds.
#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AgreementKind {
    /// Acuerdo (`AC1`, `AC2`…).
    Agreement,
    /// Compromiso (`C1`, `C2`…).
    Commitment,
}

/// An activity of an agreement or commitment.
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
    /// Its last day (`AAAA-MM-DD`), not before `start`.
    #[schema(format = Date, example = "2026-03-13")]
    pub end: String,
    /// What proves it.
    #[serde(default)]
    #[schema(max_length = 4000, example = "Minuta firmada")]
    pub products: String,
}

/// An agreement or a commitment, as a meeting's minutes or a visit's report write it down.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewItem {
    pub kind: AgreementKind,
    #[schema(
        max_length = 4000,
        pattern = r"\S",
        example = "Publicar el Manual de Organización actualizado"
    )]
    pub text: String,
    /// The unit responsible for its activities, by code or name (`GET /api/v1/units`).
    #[schema(max_length = 300, pattern = r"\S", example = "SIDSS-ST")]
    pub responsible: String,
    #[schema(min_items = 1, max_items = 100)]
    pub activities: Vec<NewActivity>,
}

impl From<&NewItem> for ItemDraft {
    fn from(item: &NewItem) -> ItemDraft {
        ItemDraft {
            kind: match item.kind {
                AgreementKind::Agreement => ItemKind::Agreement,
                AgreementKind::Commitment => ItemKind::Commitment,
            },
            text: item.text.clone(),
            responsible: item.responsible.clone(),
            activities: item
                .activities
                .iter()
                .map(|a| ActivityDraft {
                    description: a.description.clone(),
                    start: a.start.clone(),
                    end: a.end.clone(),
                    products: a.products.clone(),
                })
                .collect(),
        }
    }
}

/// A program of agreements and commitments: a meeting's, a visit's.
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
    #[schema(min_items = 1, max_items = 100)]
    pub items: Vec<NewItem>,
}

/// Registers a program of agreements and commitments with its first items; answers it as of
/// today.
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
        (status = 422, description = "Datos no válidos (`fields`): una unidad que no existe, una actividad que termina antes de empezar…", body = ErrorBody),
    ),
)]
pub async fn create(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Json(request): Json<NewProgram>,
) -> Result<Response, ApiError> {
    let drafts: Vec<ItemDraft> = request.items.iter().map(ItemDraft::from).collect();
    programs::create_agreements(
        &state,
        &user,
        (&request.key, &request.name, request.case_folio.as_deref()),
        &drafts,
    )
    .await?;
    let key = request.key.trim();
    tracing::info!(program = %key, user = %user.login, "program of agreements created through the API");
    created_program(&state, &user, key).await
}

/// Adds an agreement or a commitment to a program of them, numbered after the last of its
/// kind; answers the item as of today.
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
        (status = 422, description = "Datos no válidos (`fields`), o el programa no es de acuerdos y compromisos", body = ErrorBody),
    ),
)]
pub async fn add_item(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(ProgramKey { key }): Path<ProgramKey>,
    Json(request): Json<NewItem>,
) -> Result<Response, ApiError> {
    let item = programs::add_agreement(&state, &user, &key, &ItemDraft::from(&request)).await?;
    Ok(super::created(
        &format!("/api/v1/programs/{key}"),
        item_view(&user, &item, state.today()),
    ))
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
    while let Some(field) = multipart.next_field().await.map_err(|_| incomplete())? {
        match field.name().unwrap_or_default() {
            "name" => upload.name = text(field).await?,
            "tables" => {
                let name = file_name(field.file_name().unwrap_or_default());
                let bytes = field.bytes().await.map_err(|_| incomplete())?;
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
