//! `/api/v1/correspondence/outgoing`: the documents a unit issues, from the draft to the
//! dispatch and its acuses, and `/api/v1/correspondence/numbering/{code}`, how a unit numbers
//! them. Every step is `turno_app::correspondence`'s, as on the pages
//! `/correspondencia/salida`; a step names the document's `version` it was asked on, so that
//! two people acting at once do not both act (409).

use super::super::auth::{AdminUser, ApiUser};
use super::super::error::{ApiError, ErrorBody, FieldError, Json, Path, Query};
use super::super::params::CaseFolio;
use crate::state::AppState;
use axum::extract::State;
use axum::response::Response;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde::{Deserialize, Serialize};
use turno_app::correspondence::numbering::{self, InForce};
use turno_app::correspondence::outgoing::{
    self, Action, AcuseInput, DraftInput, OutgoingView, RecipientInput, Upload,
};
use turno_domain::correspondence::{Issued, Stage, Step};
use turno_store::correspondence::outgoing::{Acuse, OutgoingSummary, Recipient};
use utoipa::{IntoParams, ToSchema};

/// The body of a signature or an acuse at most: a scan of 10 MiB in base64, and its fields.
pub const SCAN_BODY_LIMIT: usize = 10 * 1024 * 1024 * 4 / 3 + 64 * 1024;

/// The kinds of document a unit issues.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum IssuedKind {
    Oficio,
    Memorandum,
    Circular,
    TarjetaInformativa,
}

impl IssuedKind {
    fn code(self) -> &'static str {
        match self {
            IssuedKind::Oficio => "oficio",
            IssuedKind::Memorandum => "memorandum",
            IssuedKind::Circular => "circular",
            IssuedKind::TarjetaInformativa => "tarjeta_informativa",
        }
    }
}

/// Where an outgoing document stands (`docs/correspondence.md`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum OutgoingStage {
    Borrador,
    EnRevision,
    VistoBueno,
    Firmado,
    Despachado,
    Cancelado,
}

impl OutgoingStage {
    fn of(stage: Stage) -> OutgoingStage {
        match stage {
            Stage::Draft => OutgoingStage::Borrador,
            Stage::InReview => OutgoingStage::EnRevision,
            Stage::Approved => OutgoingStage::VistoBueno,
            Stage::Signed => OutgoingStage::Firmado,
            Stage::Dispatched => OutgoingStage::Despachado,
            Stage::Cancelled => OutgoingStage::Cancelado,
        }
    }

    fn stage(self) -> Stage {
        *Stage::ALL
            .iter()
            .find(|s| OutgoingStage::of(**s) == self)
            .unwrap_or(&Stage::Draft)
    }
}

/// An addressee or a copy: a unit's code (`unit`), or someone outside the organization with
/// their position and institution.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct RecipientRequest {
    /// A unit of the organization, by its code; then nothing else is given.
    #[schema(example = "SIDSS-DGPLADES", max_length = 40)]
    pub unit: Option<String>,
    /// Someone outside: their name (required without `unit`).
    #[schema(example = "Lic. Rosa Pérez", max_length = 300)]
    pub name: Option<String>,
    #[schema(example = "Directora General", max_length = 300)]
    pub title: Option<String>,
    /// Their institution (required without `unit`).
    #[schema(example = "Secretaría de Salud de Jalisco", max_length = 300)]
    pub institution: Option<String>,
}

impl RecipientRequest {
    fn input(&self) -> RecipientInput {
        RecipientInput {
            unit: self.unit.clone(),
            name: self.name.clone().unwrap_or_default(),
            title: self.title.clone().unwrap_or_default(),
            institution: self.institution.clone().unwrap_or_default(),
        }
    }
}

/// A draft's texts, recipients and reviewers.
#[derive(Debug, Deserialize, ToSchema)]
pub struct DraftTexts {
    pub kind: IssuedKind,
    #[schema(
        example = "Envío del informe trimestral",
        max_length = 300,
        pattern = r"\S"
    )]
    pub subject: String,
    #[schema(max_length = 20000, pattern = r"\S")]
    pub body: String,
    /// A free reference to what it answers («en atención a su oficio…»).
    #[schema(max_length = 300)]
    pub attention_to: Option<String>,
    /// The case whose activity produced it, by folio.
    #[schema(example = "CAS-2026-000001", max_length = 20)]
    pub case_folio: Option<String>,
    /// The incoming turn it answers (the `id` of an open turn to the unit, of
    /// `GET /api/v1/correspondence/incoming/{folio}`): its dispatch closes it as answered.
    pub answers_turn: Option<i64>,
    /// The addressees, at least one.
    #[schema(min_items = 1, max_items = 20)]
    pub recipients: Vec<RecipientRequest>,
    /// The copies (c.c.p.).
    #[serde(default)]
    #[schema(max_items = 20)]
    pub copies: Vec<RecipientRequest>,
    /// Who gives the visto bueno before the titular signs, by login, in order; none: the
    /// titular signs the draft.
    #[serde(default)]
    #[schema(schema_with = reviewer_logins)]
    pub reviewers: Vec<String>,
    /// Who signs it with e.firma, by login, one after another (the last signature numbers
    /// it); none: the unit's titular signs.
    #[serde(default)]
    #[schema(schema_with = signer_logins)]
    pub signers: Vec<String>,
}

/// Logins, at most `max`.
fn logins(max: usize) -> utoipa::openapi::schema::Array {
    use utoipa::openapi::schema::{ArrayBuilder, ObjectBuilder, Type};
    ArrayBuilder::new()
        .items(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .max_length(Some(turno_app::limits::LOGIN)),
        )
        .max_items(Some(max))
        .build()
}

/// Logins, at most `outgoing::MAX_REVIEWERS`.
fn reviewer_logins() -> utoipa::openapi::schema::Array {
    logins(outgoing::MAX_REVIEWERS)
}

/// Logins, at most `outgoing::MAX_SIGNERS`.
fn signer_logins() -> utoipa::openapi::schema::Array {
    logins(outgoing::MAX_SIGNERS)
}

impl DraftTexts {
    fn input(&self, unit: &str) -> DraftInput {
        DraftInput {
            unit: unit.to_owned(),
            kind: self.kind.code().to_owned(),
            subject: self.subject.clone(),
            body: self.body.clone(),
            attention_to: self.attention_to.clone().unwrap_or_default(),
            case_folio: self.case_folio.clone().unwrap_or_default(),
            answers_turn: self.answers_turn.map(|t| t.to_string()).unwrap_or_default(),
            recipients: self
                .recipients
                .iter()
                .map(RecipientRequest::input)
                .collect(),
            copies: self.copies.iter().map(RecipientRequest::input).collect(),
            reviewers: self.reviewers.clone(),
            signers: self.signers.clone(),
        }
    }
}

/// A new draft.
#[derive(Debug, Deserialize, ToSchema)]
pub struct DraftRequest {
    /// The issuing unit, one of the token user's.
    #[schema(example = "SIDSS-ST", max_length = 40)]
    pub unit: String,
    #[serde(flatten)]
    pub texts: DraftTexts,
}

/// A draft corrected, on the version read.
#[derive(Debug, Deserialize, ToSchema)]
pub struct CorrectionRequest {
    /// The document's `version` as read.
    pub version: i64,
    #[serde(flatten)]
    pub texts: DraftTexts,
}

/// The steps that take no file.
#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum StepName {
    /// To its reviewers, the first one first.
    EnviarRevision,
    /// The visto bueno of the reviewer awaited.
    VistoBueno,
    /// Back to its unit to be corrected, with the reason.
    Devolver,
    /// Cancelled, with the reason; a signed one keeps its number.
    Cancelar,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct StepRequest {
    pub step: StepName,
    /// The document's `version` as read.
    pub version: i64,
    /// Why: required to return or cancel it.
    #[schema(max_length = 4000)]
    pub reason: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct VersionRequest {
    /// The document's `version` as read.
    pub version: i64,
}

/// The titular's signature: the signed scan.
#[derive(Debug, Deserialize, ToSchema)]
pub struct SignatureRequest {
    /// The document's `version` as read.
    pub version: i64,
    #[schema(example = "oficio firmado.pdf", max_length = 200, pattern = r"\S")]
    pub scan_name: String,
    /// The signed document scanned (PDF, PNG or JPEG), in base64.
    #[schema(format = Byte)]
    pub scan: String,
}

/// The acuse of a recipient outside the organization.
#[derive(Debug, Deserialize, ToSchema)]
pub struct AcuseRequest {
    /// Which recipient, counted from 1 as listed in `recipients`.
    #[schema(minimum = 1, maximum = 100)]
    pub recipient: usize,
    /// When it was received, where the office is (`AAAA-MM-DDThh:mm`).
    #[schema(
        example = "2026-03-02T10:30",
        max_length = 19,
        pattern = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$"
    )]
    pub received_at: String,
    #[schema(
        example = "Juan López, oficialía de partes",
        max_length = 300,
        pattern = r"\S"
    )]
    pub received_by: String,
    #[schema(example = "acuse.pdf", max_length = 200)]
    pub scan_name: Option<String>,
    /// The acuse scanned (PDF, PNG or JPEG), in base64.
    #[schema(format = Byte)]
    pub scan: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AcuseDetail {
    /// When it was received (`AAAA-MM-DDThh:mm:ss`, where the office is).
    pub received_at: String,
    /// Who received it; `sistema` for a unit's automatic acuse.
    pub received_by: String,
    pub scan_name: Option<String>,
    pub recorded_by: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RecipientDetail {
    /// A copy (c.c.p.) rather than an addressee.
    pub copy: bool,
    pub unit: Option<String>,
    pub name: String,
    pub title: String,
    pub institution: String,
    pub acuse: Option<AcuseDetail>,
}

fn recipient(r: Recipient) -> RecipientDetail {
    RecipientDetail {
        copy: r.copy,
        unit: r.unit_code,
        name: r.name,
        title: r.title,
        institution: r.institution,
        acuse: r.acuse.map(|a: Acuse| AcuseDetail {
            received_at: a.on.to_string(),
            received_by: a.received_by,
            scan_name: a.scan.map(|(_, name)| name),
            recorded_by: a.recorded_by,
        }),
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct HistoryDetail {
    /// What was done: `redactar`, `corregir`, `enviar_revision`, `visto_bueno`, `devolver`,
    /// `firmar`, `despachar`, `cancelar`.
    pub act: String,
    /// In words.
    pub label: String,
    pub stage: OutgoingStage,
    pub by: String,
    /// When (RFC 3339).
    pub at: String,
    pub reason: Option<String>,
}

/// A number given to a signed document.
#[derive(Debug, Serialize, ToSchema)]
pub struct NumberDetail {
    #[schema(example = "SIDSS/ST/0123/2026")]
    pub text: String,
    pub consecutive: u32,
    pub year: i16,
}

fn number(text: String, issued: Issued) -> NumberDetail {
    NumberDetail {
        text,
        consecutive: issued.consecutive,
        year: issued.year,
    }
}

/// What the token user may do with a document now.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ActionName {
    Corregir,
    EnviarRevision,
    VistoBueno,
    Devolver,
    Firmar,
    Despachar,
    Cancelar,
    RegistrarAcuse,
}

fn action(action: Action) -> ActionName {
    match action {
        Action::Correct => ActionName::Corregir,
        Action::SendToReview => ActionName::EnviarRevision,
        Action::Approve => ActionName::VistoBueno,
        Action::Return => ActionName::Devolver,
        Action::Sign => ActionName::Firmar,
        Action::Dispatch => ActionName::Despachar,
        Action::Cancel => ActionName::Cancelar,
        Action::RecordAcuse => ActionName::RegistrarAcuse,
    }
}

/// An outgoing document.
#[derive(Debug, Serialize, ToSchema)]
pub struct OutgoingDetail {
    pub id: i64,
    #[schema(example = "SIDSS-ST")]
    pub unit: String,
    pub unit_name: String,
    /// The letterhead: the institution first, down to the unit.
    pub letterhead: Vec<String>,
    pub kind: IssuedKind,
    pub stage: OutgoingStage,
    pub subject: String,
    pub body: String,
    pub attention_to: Option<String>,
    pub case_folio: Option<String>,
    /// The incoming turn it answers.
    pub answers: Option<AnswersDetail>,
    /// Where its dispatch registered it: the incoming documents of its internal addressees.
    pub arrivals: Vec<ArrivalDetail>,
    /// Moves with every change; a step names the one it was asked on.
    pub version: i64,
    /// Once signed.
    pub number: Option<NumberDetail>,
    pub signed_by: Option<String>,
    pub signer_name: Option<String>,
    /// When it was signed (RFC 3339).
    pub signed_at: Option<String>,
    /// The date it bears (`AAAA-MM-DD`).
    #[schema(format = Date)]
    pub dated: String,
    pub scan_name: Option<String>,
    pub recipients: Vec<RecipientDetail>,
    /// The reviewers' logins, in order.
    pub reviewers: Vec<String>,
    /// The reviewer whose visto bueno is awaited.
    pub awaiting: Option<String>,
    /// Who signs it with e.firma, by login, in order; none: the unit's titular.
    pub signers: Vec<String>,
    /// The signer whose e.firma is awaited, while some have signed and others not.
    pub awaiting_signer: Option<String>,
    /// Its e.firma signatures, in order.
    pub signatures: Vec<SignatureDetail>,
    pub history: Vec<HistoryDetail>,
    pub actions: Vec<ActionName>,
    pub created_by: String,
    /// When it was drafted (RFC 3339).
    pub created_at: String,
}

/// An e.firma signature of an outgoing document, as the server verified it.
#[derive(Debug, Serialize, ToSchema)]
pub struct SignatureDetail {
    /// Its place in the order of signers, from 1.
    pub ordinal: u32,
    pub signer: String,
    /// The certificate's holder.
    pub signer_name: String,
    /// The certificate's number.
    pub serial: String,
    /// When the server verified it (RFC 3339).
    pub signed_at: String,
    /// SHA-256 of the signed bytes.
    pub digest: String,
}

/// An internal outgoing document registered in an addressee unit's incoming register.
#[derive(Debug, Serialize, ToSchema)]
pub struct ArrivalDetail {
    /// The incoming document's folio in the unit's register.
    #[schema(example = "CE-2026-000002")]
    pub folio: String,
    pub unit: String,
    /// `atencion` (an addressee) or `conocimiento` (a copy).
    pub instruction: String,
}

/// The incoming turn an outgoing document answers.
#[derive(Debug, Serialize, ToSchema)]
pub struct AnswersDetail {
    pub turn: i64,
    /// The incoming document's folio.
    #[schema(example = "CE-2026-000001")]
    pub folio: String,
}

fn kind_of(kind: turno_domain::correspondence::DocumentKind) -> IssuedKind {
    use turno_domain::correspondence::DocumentKind as K;
    match kind {
        K::Memorandum => IssuedKind::Memorandum,
        K::Circular => IssuedKind::Circular,
        K::InformationCard => IssuedKind::TarjetaInformativa,
        _ => IssuedKind::Oficio,
    }
}

pub(super) fn detail(view: OutgoingView) -> OutgoingDetail {
    let actions = view.may.iter().copied().map(action).collect();
    let d = view.document;
    let awaiting_signer = (d.number.is_none() && d.stage != Stage::Cancelled)
        .then(|| d.signers.get(d.signatures.len()).cloned())
        .flatten();
    OutgoingDetail {
        id: d.id,
        unit: d.unit,
        unit_name: view.unit_name,
        letterhead: view.letterhead,
        kind: kind_of(d.kind),
        stage: OutgoingStage::of(d.stage),
        subject: d.subject,
        body: d.body,
        attention_to: d.attention_to,
        case_folio: d.case_folio,
        answers: d.answers.map(|a| AnswersDetail {
            turn: a.turn,
            folio: a.folio.to_string(),
        }),
        arrivals: view
            .arrivals
            .into_iter()
            .map(|a| ArrivalDetail {
                folio: a.folio.to_string(),
                unit: a.unit,
                instruction: a.instruction.code().into(),
            })
            .collect(),
        version: d.version,
        number: d.number.map(|n| number(n.text, n.issued)),
        signed_by: d.signed_by,
        signer_name: view.signer,
        signed_at: d.signed_at.map(|at| at.to_string()),
        dated: view.dated.to_string(),
        scan_name: d.scan.map(|(_, name)| name),
        recipients: d.recipients.into_iter().map(recipient).collect(),
        reviewers: d.reviewers,
        awaiting: view.awaiting,
        awaiting_signer,
        signers: d.signers,
        signatures: d
            .signatures
            .into_iter()
            .map(|s| SignatureDetail {
                ordinal: s.ordinal,
                signer: s.signer_login,
                signer_name: s.signer_name,
                serial: s.serial,
                signed_at: s.verified_at.to_string(),
                digest: s.digest,
            })
            .collect(),
        history: d
            .history
            .into_iter()
            .map(|h| HistoryDetail {
                act: h.act.code().to_owned(),
                label: h.act.label().to_owned(),
                stage: OutgoingStage::of(h.stage),
                by: h.by,
                at: h.at.to_string(),
                reason: h.reason,
            })
            .collect(),
        actions,
        created_by: d.created_by,
        created_at: d.created_at.to_string(),
    }
}

/// A document in a list.
#[derive(Debug, Serialize, ToSchema)]
pub struct OutgoingItem {
    pub id: i64,
    pub unit: String,
    pub kind: IssuedKind,
    pub stage: OutgoingStage,
    pub subject: String,
    pub number: Option<String>,
    pub case_folio: Option<String>,
    /// When it was drafted (RFC 3339).
    pub created_at: String,
}

fn item(s: OutgoingSummary) -> OutgoingItem {
    OutgoingItem {
        id: s.id,
        unit: s.unit,
        kind: kind_of(s.kind),
        stage: OutgoingStage::of(s.stage),
        subject: s.subject,
        number: s.number,
        case_folio: s.case_folio,
        created_at: s.created_at.to_string(),
    }
}

/// An outgoing document, by its number (`{id}`).
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct OutgoingId {
    /// El número del documento de salida (`id`)
    pub id: i64,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StageQuery {
    /// Only the documents at this stage.
    stage: Option<OutgoingStage>,
}

/// The documents of the units the token user sees (every unit for an administrator), newest
/// first.
#[utoipa::path(
    get,
    path = "/api/v1/correspondence/outgoing",
    operation_id = "list_outgoing",
    tag = "correspondencia",
    params(StageQuery),
    responses(
        (status = 200, description = "Los documentos de salida", body = [OutgoingItem]),
    ),
)]
pub async fn list(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Query(query): Query<StageQuery>,
) -> Result<Json<Vec<OutgoingItem>>, ApiError> {
    let listed = outgoing::list(&state, &user, query.stage.map(OutgoingStage::stage)).await?;
    Ok(Json(listed.into_iter().map(item).collect()))
}

/// Drafts a document of one of the token user's units.
#[utoipa::path(
    post,
    path = "/api/v1/correspondence/outgoing",
    operation_id = "draft_outgoing",
    tag = "correspondencia",
    request_body = DraftRequest,
    responses(
        (status = 201, description = "El borrador", body = OutgoingDetail,
         headers(("Location" = String, description = "La dirección del documento"))),
        (status = 422, description = "Datos no válidos, cada uno con su campo (`fields`)", body = ErrorBody),
    ),
)]
pub async fn draft(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Json(request): Json<DraftRequest>,
) -> Result<Response, ApiError> {
    let id = outgoing::draft(&state, &user, &request.texts.input(&request.unit)).await?;
    let view = outgoing::show(&state, &user, id).await?;
    Ok(super::super::created(
        &format!("/api/v1/correspondence/outgoing/{id}"),
        detail(view),
    ))
}

/// A document with its recipients, history and what the token user may do with it.
#[utoipa::path(
    get,
    path = "/api/v1/correspondence/outgoing/{id}",
    operation_id = "show_outgoing",
    tag = "correspondencia",
    params(OutgoingId),
    responses(
        (status = 200, description = "El documento", body = OutgoingDetail),
    ),
)]
pub async fn show(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(OutgoingId { id }): Path<OutgoingId>,
) -> Result<Json<OutgoingDetail>, ApiError> {
    Ok(Json(detail(outgoing::show(&state, &user, id).await?)))
}

/// Corrects a draft (its unit stays).
#[utoipa::path(
    put,
    path = "/api/v1/correspondence/outgoing/{id}",
    operation_id = "correct_outgoing",
    tag = "correspondencia",
    params(OutgoingId),
    request_body = CorrectionRequest,
    responses(
        (status = 200, description = "Corregido", body = OutgoingDetail),
        (status = 403, description = "El usuario no redacta documentos de su unidad", body = ErrorBody),
        (status = 409, description = "Cambió desde que se leyó su versión", body = ErrorBody),
        (status = 422, description = "Ya no es un borrador, o datos no válidos (`fields`)", body = ErrorBody),
    ),
)]
pub async fn correct(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(OutgoingId { id }): Path<OutgoingId>,
    Json(request): Json<CorrectionRequest>,
) -> Result<Json<OutgoingDetail>, ApiError> {
    outgoing::correct(&state, &user, id, request.version, &request.texts.input("")).await?;
    Ok(Json(detail(outgoing::show(&state, &user, id).await?)))
}

/// A step that takes no file: to review, the visto bueno, a return, a cancellation.
#[utoipa::path(
    post,
    path = "/api/v1/correspondence/outgoing/{id}/steps",
    operation_id = "step_outgoing",
    tag = "correspondencia",
    params(OutgoingId),
    request_body = StepRequest,
    responses(
        (status = 200, description = "Hecho", body = OutgoingDetail),
        (status = 403, description = "El usuario no da ese paso en este documento", body = ErrorBody),
        (status = 409, description = "Cambió desde que se leyó su versión", body = ErrorBody),
        (status = 422, description = "Su estado no lo permite, o falta el motivo (`fields`)", body = ErrorBody),
    ),
)]
pub async fn step(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(OutgoingId { id }): Path<OutgoingId>,
    Json(request): Json<StepRequest>,
) -> Result<Json<OutgoingDetail>, ApiError> {
    let step = match request.step {
        StepName::EnviarRevision => Step::SendToReview,
        StepName::VistoBueno => Step::Approve,
        StepName::Devolver => Step::Return,
        StepName::Cancelar => Step::Cancel,
    };
    let reason = request.reason.unwrap_or_default();
    outgoing::step(&state, &user, id, request.version, step, &reason).await?;
    Ok(Json(detail(outgoing::show(&state, &user, id).await?)))
}

/// A scan sent in base64, or the field's problem.
fn decoded(field: &str, name: &str, base64: &str) -> Result<Upload, ApiError> {
    let content = STANDARD.decode(base64.trim()).map_err(|_| {
        ApiError::invalid_fields(vec![FieldError::new(
            field,
            "No es base64 válido: envíe el documento codificado en base64.",
        )])
    })?;
    Ok(Upload {
        name: crate::documents::file_name(name),
        content,
    })
}

/// The titular signs the document with its signed scan: it takes the next number of its unit
/// and year, in the unit's format.
#[utoipa::path(
    post,
    path = "/api/v1/correspondence/outgoing/{id}/signature",
    operation_id = "sign_outgoing",
    tag = "correspondencia",
    params(OutgoingId),
    request_body = SignatureRequest,
    responses(
        (status = 200, description = "Firmado y numerado", body = OutgoingDetail),
        (status = 403, description = "El usuario no es el titular de la unidad", body = ErrorBody),
        (status = 409, description = "Cambió desde que se leyó su versión", body = ErrorBody),
        (status = 413, description = "El documento supera el tamaño permitido", body = ErrorBody),
        (status = 422, description = "Su estado no lo permite, o el escaneo no es PDF, PNG ni JPEG (`fields`)", body = ErrorBody),
    ),
)]
pub async fn sign(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(OutgoingId { id }): Path<OutgoingId>,
    Json(request): Json<SignatureRequest>,
) -> Result<Json<OutgoingDetail>, ApiError> {
    let scan = decoded("scan", &request.scan_name, &request.scan)?;
    outgoing::sign(&state, &user, id, request.version, &scan).await?;
    Ok(Json(detail(outgoing::show(&state, &user, id).await?)))
}

/// Dispatches a signed document: its units receive it with an automatic acuse.
#[utoipa::path(
    post,
    path = "/api/v1/correspondence/outgoing/{id}/dispatch",
    operation_id = "dispatch_outgoing",
    tag = "correspondencia",
    params(OutgoingId),
    request_body = VersionRequest,
    responses(
        (status = 200, description = "Despachado", body = OutgoingDetail),
        (status = 403, description = "El usuario no despacha documentos de su unidad", body = ErrorBody),
        (status = 409, description = "Cambió desde que se leyó su versión", body = ErrorBody),
        (status = 422, description = "No está firmado", body = ErrorBody),
    ),
)]
pub async fn dispatch(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(OutgoingId { id }): Path<OutgoingId>,
    Json(request): Json<VersionRequest>,
) -> Result<Json<OutgoingDetail>, ApiError> {
    outgoing::dispatch(&state, &user, id, request.version).await?;
    Ok(Json(detail(outgoing::show(&state, &user, id).await?)))
}

/// Records the acuse of a dispatched document's recipient, once.
#[utoipa::path(
    post,
    path = "/api/v1/correspondence/outgoing/{id}/acuses",
    operation_id = "record_outgoing_acuse",
    tag = "correspondencia",
    params(OutgoingId),
    request_body = AcuseRequest,
    responses(
        (status = 200, description = "Registrado", body = OutgoingDetail),
        (status = 403, description = "El usuario no registra acuses de su unidad", body = ErrorBody),
        (status = 409, description = "Otra persona registró ese acuse antes", body = ErrorBody),
        (status = 413, description = "El acuse supera el tamaño permitido", body = ErrorBody),
        (status = 422, description = "No está despachado, o datos no válidos (`fields`)", body = ErrorBody),
    ),
)]
pub async fn record_acuse(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(OutgoingId { id }): Path<OutgoingId>,
    Json(request): Json<AcuseRequest>,
) -> Result<Json<OutgoingDetail>, ApiError> {
    let scan = match &request.scan {
        Some(scan) => Some(decoded(
            "scan",
            request.scan_name.as_deref().unwrap_or("acuse.pdf"),
            scan,
        )?),
        None => None,
    };
    let input = AcuseInput {
        recipient: request.recipient,
        received_at: request.received_at,
        received_by: request.received_by,
        scan,
    };
    outgoing::record_acuse(&state, &user, id, &input).await?;
    Ok(Json(detail(outgoing::show(&state, &user, id).await?)))
}

/// The document as a PDF: letterhead, number, date, addressees, body, signer and copies.
#[utoipa::path(
    get,
    path = "/api/v1/correspondence/outgoing/{id}/pdf",
    operation_id = "outgoing_pdf",
    tag = "correspondencia",
    params(OutgoingId),
    responses(
        (status = 200, description = "El documento en PDF", content(("application/pdf"))),
    ),
)]
pub async fn pdf(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(OutgoingId { id }): Path<OutgoingId>,
) -> Result<Response, ApiError> {
    let view = outgoing::show(&state, &user, id).await?;
    Ok(crate::routes::correspondence::outgoing::pdf_response(
        &view,
    )?)
}

/// The signed scan.
#[utoipa::path(
    get,
    path = "/api/v1/correspondence/outgoing/{id}/scan",
    operation_id = "outgoing_scan",
    tag = "correspondencia",
    params(OutgoingId),
    responses(
        (status = 200, description = "El documento firmado escaneado: PDF, o bytes si no lo es", content(("application/pdf"), ("application/octet-stream")),
         headers(("Content-Disposition" = String, description = "`attachment` con el nombre del archivo"))),
        (status = 404, description = "No existe ese documento, o no está firmado", body = ErrorBody),
    ),
)]
pub async fn scan(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(OutgoingId { id }): Path<OutgoingId>,
) -> Result<Response, ApiError> {
    let scan = outgoing::scan(&state, &user, id, None).await?;
    Ok(crate::documents::scanned_response(
        &scan.name,
        scan.content,
    )?)
}

/// The outgoing documents a case's activities produced, oldest first.
#[utoipa::path(
    get,
    path = "/api/v1/cases/{folio}/outgoing",
    operation_id = "case_outgoing",
    tag = "correspondencia",
    params(CaseFolio),
    responses(
        (status = 200, description = "Los documentos de salida del asunto", body = [OutgoingItem]),
    ),
)]
pub async fn of_case(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(CaseFolio { folio }): Path<CaseFolio>,
) -> Result<Json<Vec<OutgoingItem>>, ApiError> {
    let listed = outgoing::of_case(&state, &user, &folio).await?;
    Ok(Json(listed.into_iter().map(item).collect()))
}

/// How a unit numbers what it issues.
#[derive(Debug, Serialize, ToSchema)]
pub struct NumberingDetail {
    pub unit: String,
    pub unit_name: String,
    #[schema(example = "SIDSS/ST")]
    pub siglas: String,
    #[schema(example = "{siglas}/{n:4}/{año}")]
    pub format: String,
    /// Whether the unit chose them (otherwise its siglas and the default format).
    pub chosen: bool,
    /// Its first number of this year as it would be written.
    #[schema(example = "SIDSS/ST/0001/2026")]
    pub example: String,
}

fn numbering_detail(in_force: InForce, year: i16) -> NumberingDetail {
    let n = &in_force.numbering;
    NumberingDetail {
        example: in_force.example(year),
        siglas: n.siglas.clone(),
        format: n.format.as_str().to_owned(),
        unit: in_force.unit,
        unit_name: in_force.unit_name,
        chosen: in_force.chosen,
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct UnitCode {
    /// La clave de la unidad
    #[param(example = "SIDSS-ST")]
    pub code: String,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct NumberingRequest {
    /// What `{siglas}` writes; may be blank when the format does not carry them.
    #[schema(example = "SIDSS/ST", max_length = 40)]
    pub siglas: String,
    /// `{siglas}`, `{n}` or `{n:W}` (at least W digits), `{año}`, and any separators.
    #[schema(example = "{siglas}/{n:4}/{año}", max_length = 60)]
    pub format: String,
}

/// A unit's numbering.
#[utoipa::path(
    get,
    path = "/api/v1/correspondence/numbering/{code}",
    operation_id = "show_numbering",
    tag = "correspondencia",
    params(UnitCode),
    responses(
        (status = 200, description = "La numeración de la unidad", body = NumberingDetail),
        (status = 404, description = "No existe esa unidad", body = ErrorBody),
    ),
)]
pub async fn show_numbering(
    State(state): State<AppState>,
    ApiUser(_user): ApiUser,
    Path(UnitCode { code }): Path<UnitCode>,
) -> Result<Json<NumberingDetail>, ApiError> {
    let year = state.today().year();
    Ok(Json(numbering_detail(
        numbering::in_force(&state, &code).await?,
        year,
    )))
}

/// Sets a unit's siglas and format; the next signature numbers with them.
#[utoipa::path(
    put,
    path = "/api/v1/correspondence/numbering/{code}",
    operation_id = "set_numbering",
    tag = "correspondencia",
    params(UnitCode),
    request_body = NumberingRequest,
    responses(
        (status = 200, description = "La numeración nueva", body = NumberingDetail),
        (status = 404, description = "No existe esa unidad", body = ErrorBody),
        (status = 422, description = "Un formato que no numera, o faltan las siglas que lleva (`fields`)", body = ErrorBody),
    ),
)]
pub async fn set_numbering(
    State(state): State<AppState>,
    AdminUser(user): AdminUser,
    Path(UnitCode { code }): Path<UnitCode>,
    Json(request): Json<NumberingRequest>,
) -> Result<Json<NumberingDetail>, ApiError> {
    let year = state.today().year();
    let set = numbering::set(&state, &user, &code, &request.siglas, &request.format).await?;
    Ok(Json(numbering_detail(set, year)))
}
