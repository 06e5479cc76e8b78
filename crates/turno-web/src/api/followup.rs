//! `GET /api/v1/programs`, `GET /api/v1/programs/{key}` and
//! `POST /api/v1/programs/{key}/items/{item}/activities/{number}/progress`: the follow-up
//! programs (`docs/asm-format.md`) with the pages' rules: anyone with a token reads; progress
//! is recorded by the activity's responsible areas and administrators.

use super::auth::ApiUser;
use super::error::{ApiError, ErrorBody, Json, Path, Query};
use crate::auth::SignedIn;
use crate::routes::followup::{by_activity, refusal};
use crate::state::AppState;
use axum::extract::State;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use turno_app::programs::may_edit;
use turno_domain::followup::{Activity, Change, Closure, Evidence, Progress, parse_date};
use turno_store::followup::{ActivityAt, Followup, Recorded, UpdateError};
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
    /// The names of the evidence documents attached.
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

fn no_program() -> ApiError {
    ApiError::not_found("No existe ese programa.")
}

fn no_activity() -> ApiError {
    ApiError::not_found("No existe esa actividad en el programa.")
}

/// The stored programs.
#[utoipa::path(
    get,
    path = "/api/v1/programs",
    operation_id = "list_programs",
    tag = "seguimiento",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Los programas", body = Vec<ProgramSummary>),
        (status = 401, description = "Sin token válido", body = ErrorBody),
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
    date: Option<String>,
}

/// A program as of a cut-off date: the changes recorded after it are undone.
#[utoipa::path(
    get,
    path = "/api/v1/programs/{key}",
    operation_id = "get_program",
    tag = "seguimiento",
    security(("bearer" = [])),
    params(("key" = String, Path, description = "La clave del programa"), CutQuery),
    responses(
        (status = 200, description = "El programa a la fecha de corte", body = ProgramDetail),
        (status = 400, description = "Fecha de corte no válida", body = ErrorBody),
        (status = 401, description = "Sin token válido", body = ErrorBody),
        (status = 404, description = "No existe el programa", body = ErrorBody),
    ),
)]
pub async fn show(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(key): Path<String>,
    Query(cut): Query<CutQuery>,
) -> Result<Json<ProgramDetail>, ApiError> {
    let date = match cut.date.as_deref().filter(|d| !d.is_empty()) {
        Some(text) => parse_date(text).ok_or_else(|| {
            ApiError::bad_request(format!("«{text}» no es una fecha de corte (AAAA-MM-DD)."))
        })?,
        None => state.today(),
    };
    let current = state.store.program(&key).await?.ok_or_else(no_program)?;
    let head = state
        .store
        .programs()
        .await?
        .into_iter()
        .find(|p| p.key == key);
    let history = state.store.history(&key).await?;
    let program = current.as_of(&by_activity(&history), date);
    let items = program
        .cutoff(date)
        .items
        .iter()
        .map(|s| FollowupItem {
            key: s.item.key(),
            kind: s.item.kind.label().to_owned(),
            number: s.item.number,
            text: s.item.text.clone(),
            progress: s.progress.percent(),
            status: s.status.as_str().to_owned(),
            activities: s
                .item
                .activities
                .iter()
                .map(|a| activity_view(&user, a, date))
                .collect(),
        })
        .collect();
    Ok(Json(ProgramDetail {
        name: program.name.clone(),
        supervision_of: head.and_then(|h| h.supervision_of),
        date: date.to_string(),
        items,
        key,
    }))
}

/// How an activity is closed without being done.
#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ClosureKind {
    Justified,
    NotAttended,
}

/// A change to an activity, as the item page's form records it.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProgressInput {
    /// 0 to 100; 100 needs evidence, attached now or before.
    #[schema(example = 100)]
    pub progress: u8,
    #[serde(default)]
    pub note: String,
    /// The name of the evidence document attached with this change.
    #[schema(example = "memorandum.pdf")]
    pub evidence: Option<String>,
    /// Closes the activity as justificada or no atendida; needs `reason`.
    pub closure: Option<ClosureKind>,
    #[serde(default)]
    pub reason: String,
}

/// Records an activity's progress (and evidence, or its closure); answers the activity as it
/// is now. Refusals are 422 in Spanish, as on the pages.
#[utoipa::path(
    post,
    path = "/api/v1/programs/{key}/items/{item}/activities/{number}/progress",
    operation_id = "record_progress",
    tag = "seguimiento",
    security(("bearer" = [])),
    params(
        ("key" = String, Path, description = "La clave del programa"),
        ("item" = String, Path, description = "El elemento (`A1`, `R3`)"),
        ("number" = u32, Path, description = "El número de la actividad en el elemento"),
    ),
    request_body = ProgressInput,
    responses(
        (status = 200, description = "El avance quedó registrado", body = FollowupActivity),
        (status = 401, description = "Sin token válido", body = ErrorBody),
        (status = 403, description = "El usuario no es de un área responsable de la actividad", body = ErrorBody),
        (status = 404, description = "No existe el programa o la actividad", body = ErrorBody),
        (status = 409, description = "La actividad ya está cerrada", body = ErrorBody),
        (status = 422, description = "El cambio no se admite (p. ej. 100 % sin evidencia)", body = ErrorBody),
    ),
)]
pub async fn record(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path((key, item, number)): Path<(String, String, u32)>,
    Json(input): Json<ProgressInput>,
) -> Result<Json<FollowupActivity>, ApiError> {
    let program = state.store.program(&key).await?.ok_or_else(no_program)?;
    let activity = program
        .item(&item)
        .and_then(|i| i.activities.iter().find(|a| a.number == number))
        .ok_or_else(no_activity)?;
    if !may_edit(&user, activity) {
        return Err(ApiError::forbidden(
            "Registran el avance de una actividad las personas de sus áreas responsables y los \
             administradores.",
        ));
    }
    let progress = Progress::new(input.progress)
        .map_err(|_| ApiError::refused("El avance es un número de 0 a 100."))?;
    let reason = input.reason.trim().to_owned();
    let change = Change {
        progress,
        note: input.note.trim().to_owned(),
        evidence: input
            .evidence
            .map(|name| name.trim().to_owned())
            .filter(|name| !name.is_empty())
            .map(|name| Evidence { name }),
        closure: input.closure.map(|kind| match kind {
            ClosureKind::Justified => Closure::Justified { reason },
            ClosureKind::NotAttended => Closure::NotAttended { reason },
        }),
    };
    let moment = state.moment();
    let at = ActivityAt {
        program: &key,
        item: &item,
        activity: number,
    };
    let recorded = Recorded {
        actor: user.login.clone(),
        day: moment.today,
        at: moment.now,
    };
    state
        .store
        .record_update(at, change, None, recorded)
        .await
        .map_err(|e| match e {
            UpdateError::NotFound => no_activity(),
            other => refusal(other).into(),
        })?;
    let program = state.store.program(&key).await?.ok_or_else(no_program)?;
    let activity = program
        .item(&item)
        .and_then(|i| i.activities.iter().find(|a| a.number == number))
        .ok_or_else(no_activity)?;
    Ok(Json(activity_view(&user, activity, moment.today)))
}
