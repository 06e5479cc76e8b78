//! `GET /api/v1/cases/{folio}`, `POST /api/v1/cases` and
//! `POST /api/v1/cases/{folio}/work/{item}`: a case with its record, registering one, and
//! completing its work. The same use cases as the pages (`turno_app::register`,
//! `turno_app::work`): a case not turned to the user's units is 403 with nothing in it, only
//! procedures that start in their units can be registered, and the engine decides every action.

use super::answers::WorkRefusals;
use super::auth::ApiUser;
use super::error::{ApiError, ErrorBody, FieldError, Json, Path, Query};
use super::events::EventPayload;
use super::params::{CaseFolio, OpenActivity};
use super::schema::{CaseStatus, CommandResult, DueStatus, FieldKind, FieldSpec, as_input};
use crate::auth::SignedIn;
use crate::state::AppState;
use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use turno_app::case_view::{CaseView, History};
use turno_app::efirma::EfirmaInput;
use turno_app::register::{self, Registration};
use turno_app::work::{self, Completion, OnWork, Work, WorkRequest};
use turno_store::Committed;
use utoipa::{IntoParams, ToSchema};

/// The header a retried request repeats so that it is applied once.
pub(crate) const IDEMPOTENCY_KEY: &str = "idempotency-key";
/// Set on an answer that repeats the first result of an idempotency key.
const REPLAYED: &str = "idempotent-replayed";

/// The longest idempotency key, in visible ASCII characters.
const MAX_KEY: usize = 255;

/// The request's idempotency key, kept per user so that one person's keys never meet
/// another's.
pub(crate) fn idempotency_key(
    value: Option<&HeaderValue>,
    user: &SignedIn,
) -> Result<Option<String>, ApiError> {
    let Some(value) = value else {
        return Ok(None);
    };
    let key = value.to_str().unwrap_or_default().trim();
    if key.is_empty() || key.len() > MAX_KEY || !key.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(ApiError::bad_request(format!(
            "La clave Idempotency-Key debe tener de 1 a {MAX_KEY} caracteres ASCII visibles."
        )));
    }
    Ok(Some(format!("api:{}:{key}", user.id)))
}

/// The `Idempotency-Key` header of the operations that honor it, with what
/// [`idempotency_key`] takes.
pub(super) struct IdempotencyKey;

impl utoipa::IntoParams for IdempotencyKey {
    fn into_params(
        _: impl Fn() -> Option<utoipa::openapi::path::ParameterIn>,
    ) -> Vec<utoipa::openapi::path::Parameter> {
        use utoipa::openapi::path::{ParameterBuilder, ParameterIn};
        use utoipa::openapi::schema::{ObjectBuilder, Type};
        vec![
            ParameterBuilder::new()
                .name("Idempotency-Key")
                .parameter_in(ParameterIn::Header)
                .description(Some(
                    "Una clave por operación: un reintento con la misma clave devuelve el primer \
                     resultado",
                ))
                .schema(Some(
                    ObjectBuilder::new()
                        .schema_type(Type::String)
                        .min_length(Some(1))
                        .max_length(Some(MAX_KEY))
                        .pattern(Some("^[!-~]+$")),
                ))
                .build(),
        ]
    }
}

/// A command's result, marked when it repeats the first one.
pub(crate) fn answer(status: StatusCode, committed: &Committed) -> Response {
    let mut response = (
        status,
        Json(CommandResult {
            folio: committed.folio.clone(),
            version: committed.version,
        }),
    )
        .into_response();
    let headers = response.headers_mut();
    if let Ok(location) = HeaderValue::from_str(&format!("/api/v1/cases/{}", committed.folio)) {
        headers.insert(header::LOCATION, location);
    }
    if committed.replayed {
        headers.insert(REPLAYED, HeaderValue::from_static("true"));
    }
    response
}

/// The procedure a case runs on.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProcedureRef {
    pub key: String,
    pub version: u32,
    pub title: String,
}

/// A field of the case with its value, written as a request would send it.
#[derive(Debug, Serialize, ToSchema)]
pub struct CaseField {
    pub name: String,
    pub label: String,
    #[serde(rename = "type")]
    pub kind: FieldKind,
    pub value: String,
}

/// An answer of a decision and what follows it.
#[derive(Debug, Serialize, ToSchema)]
pub struct Answer {
    /// What to send as `outcome` (`Sí`, `No`).
    pub answer: String,
    /// The manual's words for it ("Regresa a la actividad 1.2").
    pub text: String,
}

/// An activity turned and not yet answered.
#[derive(Debug, Serialize, ToSchema)]
pub struct OpenWork {
    /// The work item, as `POST /api/v1/cases/{folio}/work/{item}` names it.
    pub item: u32,
    /// The activity's number in the manual (`2.2`).
    pub activity: String,
    pub text: String,
    /// The codes of the units it is turned to.
    pub units: Vec<String>,
    /// For a turn (`POST …/work/{item}/turns`): the work item it was turned from.
    pub turned_from: Option<u32>,
    /// For a turn: what its unit is asked to do.
    pub instruction: Option<String>,
    /// The units this item is turned to that have not answered: it cannot be completed
    /// until they do.
    pub waiting_for: Vec<String>,
    /// When it was turned (RFC 3339).
    pub opened_at: String,
    /// Its due date (`AAAA-MM-DD`), if it has one.
    #[schema(format = Date)]
    pub due: Option<String>,
    /// Días hábiles left until `due` on the calendar its term runs on: 0 on the due date,
    /// negative once it has passed (−2: due two working days ago); null without a due date.
    #[schema(example = 3)]
    pub business_days_left: Option<i32>,
    pub due_status: DueStatus,
    /// Whether the token user may complete it.
    pub can_act: bool,
    /// Completing it asks for the person's e.firma (`firma`, `certificado`) over the text
    /// `POST …/work/{item}/signed-text` answers.
    pub signature: bool,
    /// The question of a decision ("¿Procede?"); then `outcome` must be one of `answers`.
    pub question: Option<String>,
    pub answers: Vec<Answer>,
    /// The fields completing it must send (those the case does not have yet).
    pub fields: Vec<FieldSpec>,
}

/// An event of the case's record.
#[derive(Debug, Serialize, ToSchema)]
pub struct CaseEvent {
    /// Its position in the case's record, from 1.
    pub seq: i64,
    /// `case_started`, `work_opened`, `work_turned`, `work_completed`, `clock_suspended`,
    /// `clock_resumed`, `due_changed`, `due_recounted`, `deadline_passed`,
    /// `activity_expired`, `subprocedure_requested`, `subprocedure_ended`,
    /// `document_attached`, `case_ended`, `case_cancelled` or `turn_withdrawn`: the payload's
    /// `event`.
    pub kind: String,
    /// The login it was recorded for (`sistema` for the scheduler).
    pub actor: String,
    /// When it was recorded (RFC 3339).
    pub recorded_at: String,
    /// What happened; activities and participants are indexes into the procedure.
    pub payload: EventPayload,
}

/// A case: its data, where it stands and its whole record.
#[derive(Debug, Serialize, ToSchema)]
pub struct CaseDetail {
    #[schema(example = "CAS-2026-000001")]
    pub folio: String,
    pub title: String,
    pub procedure: ProcedureRef,
    pub status: CaseStatus,
    /// How it arrived (Oficio, Correo electrónico…).
    pub channel: Option<String>,
    pub requester: Option<String>,
    /// RFC 3339.
    pub created_at: String,
    pub closed_at: Option<String>,
    /// Its number of events: send it back as `version` when completing work.
    pub version: i64,
    /// It was moved out of the working tables into the archive's (a closed case whose
    /// expediente a transfer took out of trámite): it is only read, and no inbox, search or
    /// tablero lists it.
    pub archived: bool,
    pub fields: Vec<CaseField>,
    pub open_work: Vec<OpenWork>,
    /// Its record, in order; empty when asked for without it (`?events=false`).
    pub events: Vec<CaseEvent>,
}

/// How much of a case to answer.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CaseQuery {
    /// `false`: the case as it stands, without its record (`events` empty), read in one row
    /// however long the record grew; what a client acting on its open work needs.
    /// By default, with it.
    pub events: Option<bool>,
}

/// A case, its open work and its record.
#[utoipa::path(
    get,
    path = "/api/v1/cases/{folio}",
    operation_id = "get_case",
    tag = "asuntos",
    params(CaseFolio, CaseQuery),
    responses(
        (status = 200, description = "El asunto", body = CaseDetail),
        (status = 410, description = "El asunto se dio de baja documental (`disposed`): solo queda su registro de baja, en `/api/v1/archive/disposed/{folio}`", body = ErrorBody),
    ),
)]
pub async fn show(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(CaseFolio { folio }): Path<CaseFolio>,
    Query(query): Query<CaseQuery>,
) -> Result<Json<CaseDetail>, ApiError> {
    let history = if query.events == Some(false) {
        History::None
    } else {
        History::All
    };
    let view = CaseView::load(&state, &user, &folio, history).await?;
    let procedure = &view.procedure;
    let stored = &view.stored;
    let open_work = view
        .open
        .iter()
        .map(|work| OpenWork {
            item: work.item.id.0,
            activity: work.number.clone(),
            text: work.text.clone(),
            units: work.units.clone(),
            turned_from: work.item.turn.as_ref().map(|t| t.from.0),
            instruction: work.item.turn.as_ref().map(|t| t.instruction.clone()),
            waiting_for: work
                .waiting_for
                .iter()
                .map(|(_, unit)| unit.clone())
                .collect(),
            opened_at: work.item.opened_at.to_string(),
            due: work.item.due.map(|d| d.to_string()),
            business_days_left: work.left.map(|l| l.business_days),
            due_status: work.due_status.into(),
            can_act: work.can_act,
            signature: work.signature,
            question: work.question.clone(),
            answers: work
                .answers
                .iter()
                .map(|(answer, text)| Answer {
                    answer: answer.clone(),
                    text: text.clone(),
                })
                .collect(),
            fields: work
                .asked
                .iter()
                .map(|f| FieldSpec {
                    required: true,
                    ..FieldSpec::from(f)
                })
                .collect(),
        })
        .collect();
    let fields = view
        .data()
        .map(|(f, value)| CaseField {
            name: f.name.clone(),
            label: f.label.clone(),
            kind: f.ty.into(),
            value: as_input(value),
        })
        .collect();
    let events = stored
        .events
        .iter()
        .map(|e| {
            let payload = EventPayload::from(&e.event);
            CaseEvent {
                seq: e.seq,
                kind: payload.kind().to_owned(),
                actor: e.actor.clone(),
                recorded_at: e.recorded_at.clone(),
                payload,
            }
        })
        .collect();
    Ok(Json(CaseDetail {
        folio: stored.folio.clone(),
        title: stored.title.clone(),
        procedure: ProcedureRef {
            key: procedure.key.clone(),
            version: procedure.version,
            title: procedure.title.clone(),
        },
        status: CaseStatus::of(&stored.status),
        channel: stored.channel.clone(),
        requester: stored.requester.clone(),
        created_at: stored.created_at.clone(),
        closed_at: stored.closed_at.clone(),
        version: stored.version,
        archived: stored.archived,
        fields,
        open_work,
        events,
    }))
}

/// A matter to register.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RegisterRequest {
    /// The procedure's key (`GET /api/v1/procedures`); the case starts on its newest version.
    #[schema(example = "sidss-informes-oficiales", max_length = 40)]
    pub procedure: String,
    /// The matter, in a line ("Informe trimestral de la DGPLADES").
    #[schema(max_length = 300, pattern = r"\S")]
    pub title: String,
    /// How it arrived (Oficio, Correo electrónico, Teléfono, Ventanilla, Portal web, Otro).
    #[schema(max_length = 300)]
    pub channel: Option<String>,
    /// Who sends it.
    #[schema(max_length = 300)]
    pub requester: Option<String>,
    /// The procedure's fields by name, each written as a person would type it
    /// (`2026-03-15`, `Sí`, `1250.50`, participant keys separated by commas).
    #[serde(default)]
    #[schema(schema_with = super::schema::field_values)]
    pub fields: BTreeMap<String, String>,
}

/// Registers a matter: it gets its folio and its first activity is turned. Only procedures
/// whose first activity belongs to one of the user's units (administrators: any). Honors an
/// `Idempotency-Key` header: a retry with the same key returns the first result.
#[utoipa::path(
    post,
    path = "/api/v1/cases",
    operation_id = "register_case",
    tag = "asuntos",
    request_body = RegisterRequest,
    params(IdempotencyKey),
    responses(
        (status = 201, description = "Registrado", body = CommandResult,
         headers(("Location" = String, description = "La URL del asunto en la API"))),
        (status = 403, description = "Ninguna unidad del usuario inicia este procedimiento", body = ErrorBody),
        (status = 422, description = "Datos no válidos (`invalid_fields`, con cada campo) o rechazo del motor (`refused`)", body = ErrorBody),
    ),
)]
pub async fn register(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    headers: HeaderMap,
    Json(request): Json<RegisterRequest>,
) -> Result<Response, ApiError> {
    let key = idempotency_key(headers.get(IDEMPOTENCY_KEY), &user)?;
    let registration = Registration {
        procedure: request.procedure,
        title: request.title,
        channel: request.channel,
        requester: request.requester,
        fields: request.fields,
    };
    let committed = register::register(&state, &user, registration, key.as_deref())
        .await
        .map_err(|e| match e {
            // The procedure is a field of the body.
            turno_app::Error::NotFound(message) => {
                ApiError::invalid_fields(vec![FieldError::new("procedure", message)])
            }
            other => other.into(),
        })?;
    Ok(answer(StatusCode::CREATED, &committed))
}

/// The open work item a command names in its path (`{folio}`, `{item}`), with the request's
/// `Idempotency-Key` header as it came.
pub(super) struct OpenItem {
    folio: String,
    item: u32,
    key: Option<HeaderValue>,
}

impl FromRequestParts<AppState> for OpenItem {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<OpenItem, ApiError> {
        let Path(OpenActivity { folio, item }) =
            Path::<OpenActivity>::from_request_parts(parts, state).await?;
        let key = parts.headers.get(IDEMPOTENCY_KEY).cloned();
        Ok(OpenItem { folio, item, key })
    }
}

impl OpenItem {
    /// Runs the command `act` on the item once the application's checks pass
    /// ([`work::on_work`], with the request's idempotency key) and answers its result with
    /// `status`; a retry answers the first result, 200, and runs nothing.
    pub(super) async fn act<F, Fut>(
        self,
        (state, user): (&AppState, &SignedIn),
        seen_version: Option<i64>,
        status: StatusCode,
        act: F,
    ) -> Result<Response, ApiError>
    where
        F: FnOnce(Work) -> Fut,
        Fut: Future<Output = Result<Committed, turno_app::Error>>,
    {
        let key = idempotency_key(self.key.as_ref(), user)?;
        let request = WorkRequest {
            folio: &self.folio,
            item: self.item,
            seen_version,
            idempotency_key: key.as_deref(),
        };
        match work::on_work(state, user, request).await? {
            OnWork::Ready(work) => Ok(answer(status, &act(*work).await?)),
            OnWork::Replayed(first) => Ok(answer(StatusCode::OK, &first)),
        }
    }
}

/// Completing (or deciding) an open activity.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CompleteRequest {
    /// The case's version the decision was taken on (`GET /api/v1/cases/{folio}`): if the
    /// case changed since, the request is refused with 409 instead of applied to a state the
    /// caller did not see. Without it, the version read now.
    pub version: Option<i64>,
    /// The answer of a decision, one of the open work's `answers` (`Sí`, `No`).
    #[schema(max_length = 300)]
    pub outcome: Option<String>,
    /// The fields the activity asks for, by name, written as a person would type them.
    #[serde(default)]
    #[schema(schema_with = super::schema::field_values)]
    pub fields: BTreeMap<String, String>,
    #[schema(max_length = 4000)]
    pub observations: Option<String>,
    /// For an activity that asks for an e.firma (`signature` of its open work): the detached
    /// CMS (PKCS#7) SignedData with SHA-256 over the text
    /// `POST /api/v1/cases/{folio}/work/{item}/signed-text` answers for this same request, DER
    /// in base64. Ignored for any other activity.
    #[schema(format = Byte, max_length = 65536)]
    pub firma: Option<String>,
    /// The signer's certificate (the `.cer`), DER in base64, with `firma`.
    #[schema(format = Byte, max_length = 16384)]
    pub certificado: Option<String>,
}

/// Completes an open activity of a case (answering it, if it is a decision). Honors an
/// `Idempotency-Key` header: a retry with the same key returns the first result and applies
/// nothing again.
#[utoipa::path(
    post,
    path = "/api/v1/cases/{folio}/work/{item}",
    operation_id = "complete_work",
    tag = "asuntos",
    request_body = CompleteRequest,
    params(
        OpenActivity,
        IdempotencyKey,
    ),
    responses(
        (status = 200, description = "Atendida", body = CommandResult),
        WorkRefusals,
        (status = 409, description = "El asunto cambió desde la versión enviada, la actividad ya no está abierta (otra persona la atendió) o espera la respuesta de las unidades a las que se turnó; como en las páginas", body = ErrorBody),
        (status = 422, description = "Datos no válidos (`invalid_fields`; en una actividad que pide e.firma, `firma` o `certificado` cuando falta, no es válida, es sobre otro texto, venció, fue revocada, no es de una autoridad de confianza o no es del RFC o la CURP de la persona), rechazo del motor (`refused`) o clave de idempotencia de otra operación", body = ErrorBody),
    ),
)]
pub async fn complete(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    on: OpenItem,
    Json(request): Json<CompleteRequest>,
) -> Result<Response, ApiError> {
    let efirma = EfirmaInput {
        firma: request.firma.unwrap_or_default(),
        certificado: request.certificado.unwrap_or_default(),
    };
    let input = Completion {
        outcome: request.outcome,
        fields: request.fields,
        observations: request.observations,
        efirma: Some(efirma),
    };
    let complete = |work: Work| work.complete(&state, input);
    let status = StatusCode::OK;
    on.act((&state, &user), request.version, status, complete)
        .await
}

/// The exact text (UTF-8) the person signs with e.firma to complete an open activity that asks
/// for it, for the completion this body describes (`firma` and `certificado` are ignored): the
/// case's folio and procedure, the activity, the answer, the data and the observations. Sign
/// these bytes and send the signature with the same body to `POST …/work/{item}`.
#[utoipa::path(
    post,
    path = "/api/v1/cases/{folio}/work/{item}/signed-text",
    operation_id = "work_signed_text",
    tag = "firma",
    request_body = CompleteRequest,
    params(OpenActivity),
    responses(
        (status = 200, description = "El texto por firmar", content_type = "text/plain; charset=utf-8", body = String),
        WorkRefusals,
        (status = 409, description = "El asunto cambió desde la versión enviada o la actividad ya no está abierta", body = ErrorBody),
        (status = 422, description = "Datos no válidos (`invalid_fields`), o la actividad no pide e.firma (`refused`)", body = ErrorBody),
    ),
)]
pub async fn signed_text(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    on: OpenItem,
    Json(request): Json<CompleteRequest>,
) -> Result<Response, ApiError> {
    let request_work = WorkRequest {
        folio: &on.folio,
        item: on.item,
        seen_version: request.version,
        idempotency_key: None,
    };
    let OnWork::Ready(work) = work::on_work(&state, &user, request_work).await? else {
        return Err(turno_app::Error::internal("a request without a key was replayed").into());
    };
    let input = Completion {
        outcome: request.outcome,
        fields: request.fields,
        observations: request.observations,
        efirma: None,
    };
    let text = work.signed_text(&input)?;
    Ok(([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], text).into_response())
}

/// The case's constancia of authorizations: a PDF with a page per activity completed with
/// e.firma (signer, post, certificate, date and time, the digest of the signed text, the
/// signature in base64) and a QR code of the public verification page with the folio and that
/// digest.
#[utoipa::path(
    get,
    path = "/api/v1/cases/{folio}/constancia",
    operation_id = "get_case_constancia",
    tag = "firma",
    params(CaseFolio),
    responses(
        (status = 200, description = "La constancia (PDF)", content(("application/pdf"))),
        (status = 404, description = "No existe ese folio, o ninguna de sus actividades se firmó con e.firma", body = ErrorBody),
    ),
)]
pub async fn constancia(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(CaseFolio { folio }): Path<CaseFolio>,
) -> Result<Response, ApiError> {
    Ok(crate::routes::case::constancia_response(&state, &user, &folio).await?)
}
