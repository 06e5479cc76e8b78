//! `GET /api/v1/cases/{folio}`, `POST /api/v1/cases` and
//! `POST /api/v1/cases/{folio}/work/{item}`: a case with its record, registering one, and
//! completing its work. The same rules as the pages: a case not turned to the user's units is
//! 403 with nothing in it, only procedures that start in their units can be registered, and the
//! engine decides every action.

use super::auth::ApiUser;
use super::error::{ApiError, ErrorBody, FieldError, Json, Path};
use super::schema::{
    CaseStatus, CommandResult, DueStatus, FieldKind, FieldSpec, as_input, due_status, read_fields,
};
use crate::access::{acting_for, actor, registering_actor, units_of, visible_units};
use crate::auth::SignedIn;
use crate::routes::register::registrable;
use crate::state::AppState;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::Arc;
use turno_domain::definition::{ParticipantId, Procedure, Route};
use turno_domain::engine::{Case, Complete, EngineError, Start, WorkItem, WorkItemId};
use turno_store::commands::{complete_work, start_case};
use turno_store::{CaseId, Committed, FolioRule, NewCase, Store, StoredCase};
use utoipa::ToSchema;

/// The header a retried request repeats so that it is applied once.
const IDEMPOTENCY_KEY: &str = "idempotency-key";
/// Set on an answer that repeats the first result of an idempotency key.
const REPLAYED: &str = "idempotent-replayed";

/// The case of a folio, if the user may see it: 404 when there is none, 403 (and nothing
/// more) when it is not theirs.
pub(super) async fn visible_case(
    state: &AppState,
    user: &SignedIn,
    folio: &str,
) -> Result<(CaseId, Arc<Procedure>, StoredCase), ApiError> {
    crate::access::visible_case(state, user, folio)
        .await
        .map_err(ApiError::case_lookup)
}

/// The request's idempotency key, kept per user so that one person's keys never meet
/// another's.
fn idempotency_key(headers: &HeaderMap, user: &SignedIn) -> Result<Option<String>, ApiError> {
    let Some(value) = headers.get(IDEMPOTENCY_KEY) else {
        return Ok(None);
    };
    let key = value.to_str().unwrap_or_default().trim();
    if key.is_empty() || key.len() > 255 {
        return Err(ApiError::bad_request(
            "La clave Idempotency-Key debe tener de 1 a 255 caracteres ASCII visibles.",
        ));
    }
    Ok(Some(format!("api:{}:{key}", user.id)))
}

/// A command's result, marked when it repeats the first one.
pub(super) fn answer(status: StatusCode, committed: &Committed) -> Response {
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
    pub due_status: DueStatus,
    /// Whether the token user may complete it.
    pub can_act: bool,
    /// The question of a decision ("¿Procede?"); then `outcome` must be one of `answers`.
    pub question: Option<String>,
    pub answers: Vec<Answer>,
    /// The fields completing it must send (those the case does not have yet).
    pub fields: Vec<FieldSpec>,
}

/// An event of the case's record, as stored.
#[derive(Debug, Serialize, ToSchema)]
pub struct CaseEvent {
    /// Its position in the case's record, from 1.
    pub seq: i64,
    /// `case_started`, `work_opened`, `work_turned`, `work_completed`, `clock_suspended`,
    /// `clock_resumed`, `due_changed`, `deadline_passed`,
    /// `activity_expired`, `subprocedure_requested`, `subprocedure_ended`,
    /// `document_attached`, `case_ended` or `case_cancelled`.
    pub kind: String,
    /// The login it was recorded for (`sistema` for the scheduler).
    pub actor: String,
    /// When it was recorded (RFC 3339).
    pub recorded_at: String,
    /// The event as stored; activities and participants are indexes into the procedure.
    #[schema(value_type = Object)]
    pub payload: serde_json::Value,
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
    pub fields: Vec<CaseField>,
    pub open_work: Vec<OpenWork>,
    pub events: Vec<CaseEvent>,
}

/// A case, its open work and its record.
#[utoipa::path(
    get,
    path = "/api/v1/cases/{folio}",
    operation_id = "get_case",
    tag = "asuntos",
    params(("folio" = String, Path, description = "El folio del asunto", example = "CAS-2026-000001")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "El asunto", body = CaseDetail),
        (status = 401, description = "Sin token válido", body = ErrorBody),
        (status = 403, description = "El asunto no está turnado a las unidades del usuario", body = ErrorBody),
        (status = 404, description = "No existe ese folio", body = ErrorBody),
    ),
)]
pub async fn show(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(folio): Path<String>,
) -> Result<Json<CaseDetail>, ApiError> {
    let (_, procedure, stored) = visible_case(&state, &user, &folio).await?;
    let case = stored
        .state()
        .ok_or_else(|| ApiError::internal(format!("case {folio} has no start")))?;
    let visible = visible_units(&user).to_vec();
    let today = state.today();
    let open_work = case
        .open
        .iter()
        .map(|item| {
            let activity = procedure.activity(item.activity);
            // A turn is answered with observations only.
            let (question, answers) = match &activity.route {
                _ if item.turn.is_some() => (None, Vec::new()),
                Route::Decide { question, branches } => (
                    Some(question.clone()),
                    branches
                        .iter()
                        .map(|b| Answer {
                            answer: b.answer.clone(),
                            text: b.text.clone(),
                        })
                        .collect(),
                ),
                Route::Continue(_) => (None, Vec::new()),
            };
            let opened = item.opened_at.to_zoned(state.time_zone.clone()).date();
            OpenWork {
                item: item.id.0,
                activity: activity.number.clone(),
                text: activity.text.clone(),
                units: units_of(&procedure, &case, item),
                turned_from: item.turn.as_ref().map(|t| t.from.0),
                instruction: item.turn.as_ref().map(|t| t.instruction.clone()),
                waiting_for: case
                    .open_turns(item.id)
                    .filter_map(|w| w.turn.as_ref().map(|t| t.unit.clone()))
                    .collect(),
                opened_at: item.opened_at.to_string(),
                due: item.due.map(|d| d.to_string()),
                due_status: due_status(state.thresholds, opened, item.due, today),
                can_act: acting_for(&procedure, &case, item, &user, &visible).is_some(),
                question,
                answers,
                fields: activity
                    .fields
                    .iter()
                    .map(|f| procedure.field(*f))
                    .filter(|f| item.turn.is_none() && !case.fields.contains_key(&f.name))
                    .map(|f| FieldSpec {
                        required: true,
                        ..FieldSpec::from(f)
                    })
                    .collect(),
            }
        })
        .collect();
    let fields = procedure
        .fields
        .iter()
        .filter_map(|f| {
            case.fields.get(&f.name).map(|v| CaseField {
                name: f.name.clone(),
                label: f.label.clone(),
                kind: f.ty.into(),
                value: as_input(v),
            })
        })
        .collect();
    let events = stored
        .events
        .iter()
        .map(|e| {
            let payload = serde_json::to_value(&e.event).map_err(ApiError::internal)?;
            Ok(CaseEvent {
                seq: e.seq,
                kind: payload["event"].as_str().unwrap_or_default().to_owned(),
                actor: e.actor.clone(),
                recorded_at: e.recorded_at.clone(),
                payload,
            })
        })
        .collect::<Result<Vec<_>, ApiError>>()?;
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
    params(("Idempotency-Key" = Option<String>, Header, description = "Una clave por operación: un reintento con la misma clave devuelve el primer resultado")),
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Registrado", body = CommandResult,
         headers(("Location" = String, description = "La URL del asunto en la API"))),
        (status = 400, description = "Cuerpo no válido", body = ErrorBody),
        (status = 401, description = "Sin token válido", body = ErrorBody),
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
    let key = idempotency_key(&headers, &user)?;
    if state.library.latest(&request.procedure).is_none() {
        return Err(ApiError::invalid_fields(vec![FieldError {
            field: "procedure".into(),
            reason: "No existe ese procedimiento.".into(),
        }]));
    }
    let procedure = registrable(&state, &user)
        .await?
        .into_iter()
        .find(|p| p.key == request.procedure)
        .ok_or_else(|| {
            ApiError::forbidden(
                "Ninguna de sus unidades inicia este procedimiento: no puede registrar asuntos \
                 en él.",
            )
        })?;
    let mut errors = Vec::new();
    let title = request.title.trim().to_owned();
    if title.is_empty() {
        errors.push(FieldError {
            field: "title".into(),
            reason: "Este dato es obligatorio.".into(),
        });
    }
    let allowed: Vec<_> = procedure.fields.iter().collect();
    let required: Vec<_> = procedure.fields.iter().filter(|f| f.required).collect();
    let fields = read_fields(
        &request.fields,
        &allowed,
        &required,
        &|_| "El dato no existe en este procedimiento.".into(),
        &mut errors,
    );
    if !errors.is_empty() {
        return Err(ApiError::invalid_fields(errors));
    }
    let moment = state.moment();
    let ctx = moment.context();
    let text = |value: Option<String>| value.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty());
    let committed = start_case(
        &state.store,
        &procedure,
        NewCase {
            folio: FolioRule::for_procedure(&procedure, None, ctx.today.year()),
            title,
            channel: text(request.channel),
            requester: text(request.requester),
        },
        Start {
            by: registering_actor(&procedure, &user),
            fields,
        },
        &ctx,
        key.as_deref(),
    )
    .await?;
    if !committed.replayed {
        tracing::info!(folio = %committed.folio, procedure = %procedure.key, user = %user.login, "case registered through the API");
    }
    Ok(answer(StatusCode::CREATED, &committed))
}

/// Where a command on one open work item starts: a retry answered with its first result, or
/// everything the command needs once the checks all such commands share have passed.
pub(super) enum OnWork {
    Replayed(Response),
    Ready(Box<OnWorkReady>),
}

pub(super) struct OnWorkReady {
    pub key: Option<String>,
    pub id: CaseId,
    pub procedure: Arc<Procedure>,
    /// The case's version the command applies to.
    pub version: i64,
    pub case: Case,
    /// The open work item the command acts on.
    pub work: WorkItem,
    /// Whom the user acts for on the item.
    pub participant: Option<ParticipantId>,
}

/// The checks of a command on an open work item, in order: the idempotency key (a retry is
/// answered before looking at the item, which is closed by now), the case's visibility, the
/// version the caller saw, the item being open, and the user's right to act on it.
pub(super) async fn on_work(
    state: &AppState,
    user: &SignedIn,
    folio: &str,
    item: u32,
    seen_version: Option<i64>,
    headers: &HeaderMap,
) -> Result<OnWork, ApiError> {
    let key = idempotency_key(headers, user)?;
    let (id, procedure, stored) = visible_case(state, user, folio).await?;
    if let Some(key) = &key
        && let Some(first) = state.store.replayed(key).await?
    {
        return if first.case_id == id {
            Ok(OnWork::Replayed(answer(StatusCode::OK, &first)))
        } else {
            Err(ApiError::idempotency_key_reused())
        };
    }
    if let Some(version) = seen_version
        && version != stored.version
    {
        return Err(ApiError::conflict(format!(
            "El asunto cambió desde la versión {version} (ahora es la {}). Vuelva a leerlo y \
             revise su estado actual.",
            stored.version
        )));
    }
    let case = stored
        .state()
        .ok_or_else(|| ApiError::internal(format!("case {folio} has no start")))?;
    let item = WorkItemId(item);
    let Some(work) = case.work_item(item) else {
        return Err(ApiError::refused(crate::messages::engine(
            &EngineError::UnknownWorkItem(item),
        )));
    };
    let visible = visible_units(user).to_vec();
    let participant = acting_for(&procedure, &case, work, user, &visible).ok_or_else(|| {
        ApiError::forbidden(
            "No puede actuar en esta actividad: no está turnada a sus unidades o su papel solo \
             permite consultar.",
        )
    })?;
    let work = work.clone();
    Ok(OnWork::Ready(Box::new(OnWorkReady {
        key,
        id,
        procedure,
        version: stored.version,
        case,
        work,
        participant,
    })))
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
        ("folio" = String, Path, description = "El folio del asunto", example = "CAS-2026-000001"),
        ("item" = u32, Path, description = "El número de la actividad abierta (`open_work[].item`)"),
        ("Idempotency-Key" = Option<String>, Header, description = "Una clave por operación: un reintento con la misma clave devuelve el primer resultado"),
    ),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Atendida", body = CommandResult),
        (status = 400, description = "Cuerpo no válido", body = ErrorBody),
        (status = 401, description = "Sin token válido", body = ErrorBody),
        (status = 403, description = "El asunto o la actividad no son del usuario", body = ErrorBody),
        (status = 404, description = "No existe ese folio", body = ErrorBody),
        (status = 409, description = "El asunto cambió desde la versión enviada", body = ErrorBody),
        (status = 422, description = "Datos no válidos (`invalid_fields`), rechazo del motor (`refused`) o clave de idempotencia de otra operación", body = ErrorBody),
    ),
)]
pub async fn complete(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path((folio, item)): Path<(String, u32)>,
    headers: HeaderMap,
    Json(request): Json<CompleteRequest>,
) -> Result<Response, ApiError> {
    let work = match on_work(&state, &user, &folio, item, request.version, &headers).await? {
        OnWork::Replayed(first) => return Ok(first),
        OnWork::Ready(work) => *work,
    };
    let OnWorkReady {
        key,
        id,
        procedure,
        version,
        case,
        work,
        participant,
    } = work;
    let activity = procedure.activity(work.activity);
    let allowed: Vec<_> = activity
        .fields
        .iter()
        .map(|f| procedure.field(*f))
        .collect();
    let required: Vec<_> = allowed
        .iter()
        .copied()
        .filter(|f| !case.fields.contains_key(&f.name))
        .collect();
    let mut errors = Vec::new();
    let number = activity.number.clone();
    let fields = read_fields(
        &request.fields,
        &allowed,
        &required,
        &|_| format!("La actividad {number} no pide este dato."),
        &mut errors,
    );
    if !errors.is_empty() {
        return Err(ApiError::invalid_fields(errors));
    }
    let text = |value: Option<String>| value.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty());
    let committed = complete_work(
        &state.store,
        &procedure,
        id,
        Some(version),
        Complete {
            item: work.id,
            by: actor(&procedure, Some(&work), &user, participant),
            outcome: text(request.outcome),
            fields,
            observations: text(request.observations),
        },
        &state.moment().context(),
        key.as_deref(),
    )
    .await?;
    if !committed.replayed {
        tracing::info!(folio = %committed.folio, activity = %activity.number, user = %user.login, "activity completed through the API");
    }
    Ok(answer(StatusCode::OK, &committed))
}
