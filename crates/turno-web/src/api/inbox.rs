//! `GET /api/v1/inbox`: the token user's open work, as "Mi bandeja" shows it: case work items
//! a page at a time, and the open correspondence turns they act on.

use super::auth::ApiUser;
use super::error::{ApiError, ErrorBody, Json, Query};
use super::schema::DueStatus;
use crate::state::AppState;
use axum::extract::State;
use serde::{Deserialize, Serialize};
use turno_app::deadlines::read_inbox_row;
use turno_store::Store;
use utoipa::{IntoParams, ToSchema};

const DEFAULT_LIMIT: i64 = 50;
const MAX_LIMIT: i64 = 200;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct InboxQuery {
    #[param(schema_with = super::paging::limit_schema::<DEFAULT_LIMIT, MAX_LIMIT>)]
    limit: Option<i64>,
    #[param(schema_with = super::paging::offset_schema)]
    offset: Option<i64>,
}

/// A page of the open work of the user's units (and the units below them), soonest due first.
#[derive(Debug, Serialize, ToSchema)]
pub struct Inbox {
    /// Rows in all, on every page.
    pub total: i64,
    pub limit: i64,
    pub offset: i64,
    pub items: Vec<InboxItem>,
    /// The open correspondence turns the user acts on (to them, or to their units), soonest
    /// due first; all of them, whatever the page.
    pub correspondence: Vec<InboxTurn>,
}

/// An open turn of an incoming document.
#[derive(Debug, Serialize, ToSchema)]
pub struct InboxTurn {
    /// The document's folio (`GET /api/v1/correspondence/incoming/{folio}`).
    #[schema(example = "CE-2026-000001")]
    pub folio: String,
    /// Its subject, or «[Información clasificada]» when the user may not read it.
    pub subject: String,
    /// The turn's number.
    pub turn: i64,
    pub from_unit: String,
    pub unit: String,
    /// The person it was turned to (their login); none: the whole unit.
    pub person: Option<String>,
    #[schema(schema_with = crate::api::correspondence::incoming::instruction_codes)]
    pub instruction: String,
    pub note: String,
    #[schema(format = Date)]
    pub due_date: Option<String>,
    /// `verde`, `amarillo` or `rojo`, for a turn with a term.
    pub due_status: Option<String>,
}

/// An activity turned to one of the user's units and not yet answered.
#[derive(Debug, Serialize, ToSchema)]
pub struct InboxItem {
    #[schema(example = "CAS-2026-000001")]
    pub folio: String,
    pub title: String,
    /// The procedure's key.
    pub procedure: String,
    pub procedure_title: String,
    /// The work item, as `POST /api/v1/cases/{folio}/work/{item}` names it.
    pub item: i64,
    /// The activity's number in the manual (`2.1`).
    pub activity: String,
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
}

/// The open work of the token user's units, soonest due first (as "Mi bandeja").
#[utoipa::path(
    get,
    path = "/api/v1/inbox",
    operation_id = "list_inbox",
    tag = "bandeja",
    params(InboxQuery),
    responses(
        (status = 200, description = "Una página de la bandeja", body = Inbox),
        (status = 400, description = "Parámetros no válidos", body = ErrorBody),
    ),
)]
pub async fn list(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Query(query): Query<InboxQuery>,
) -> Result<Json<Inbox>, ApiError> {
    let limit = super::paging::limit(query.limit, DEFAULT_LIMIT, MAX_LIMIT)?;
    let offset = super::paging::offset(query.offset)?;
    let units = user.visible_units.clone();
    let total = state.store.count_inbox_for_units(&units).await?;
    let rows = state.store.inbox_for_units(&units, limit, offset).await?;
    let today = state.today();
    let calendars = state.calendars.current();
    let items = rows
        .into_iter()
        .map(|row| {
            let read = read_inbox_row(&state, &calendars, &row, today);
            InboxItem {
                folio: row.folio,
                title: row.title,
                procedure: row.procedure_key,
                procedure_title: read.procedure_title,
                item: row.item,
                activity: row.activity,
                opened_at: row.opened_at,
                due: read.reading.left.map(|l| l.due.to_string()),
                business_days_left: read.reading.left.map(|l| l.business_days),
                due_status: read.reading.status.into(),
            }
        })
        .collect();
    let correspondence = turno_app::correspondence::turns::pending(&state, &user)
        .await?
        .into_iter()
        .map(|p| InboxTurn {
            folio: p.folio.to_string(),
            subject: p.subject,
            turn: p.turn.id,
            from_unit: p.turn.from_unit,
            unit: p.turn.unit,
            person: p.turn.person,
            instruction: p.turn.instruction.code().into(),
            note: p.turn.note,
            due_date: p.turn.due_date.map(|d| d.to_string()),
            due_status: p.due_status.map(|s| s.color().into()),
        })
        .collect();
    Ok(Json(Inbox {
        total,
        limit,
        offset,
        items,
        correspondence,
    }))
}
