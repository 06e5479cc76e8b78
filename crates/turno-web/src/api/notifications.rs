//! `/api/v1/notifications`: what the token user was told (work turned or returned to their
//! units, due dates near or passed), marking it read, and what they choose to receive.

use super::auth::ApiUser;
use super::error::{ApiError, ErrorBody, Json, Query};
use crate::state::AppState;
use axum::extract::State;
use serde::{Deserialize, Serialize};
use turno_store::notifications::{Notification, NotificationKind, Notifications, Preference};
use utoipa::{IntoParams, ToSchema};

const DEFAULT_LIMIT: i64 = 50;
const MAX_LIMIT: i64 = 200;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct NotificationsQuery {
    #[param(schema_with = super::paging::limit_schema::<DEFAULT_LIMIT, MAX_LIMIT>)]
    limit: Option<i64>,
    #[param(schema_with = super::paging::offset_schema)]
    offset: Option<i64>,
}

/// A page of the user's notifications, newest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct NotificationList {
    pub total: i64,
    pub unread: i64,
    pub limit: i64,
    pub offset: i64,
    pub items: Vec<NotificationItem>,
}

/// What a notification is about.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// Work turned to one of the user's units.
    Turned,
    /// Work returned to one of the user's units for correction.
    Returned,
    /// A due date is near.
    DueSoon,
    /// A due date passed with the work open.
    Overdue,
    /// The daily digest (by e-mail only).
    Digest,
    /// An outgoing document awaits the user's visto bueno, or their signature as titular.
    Awaiting,
}

/// What kind of thing a notification is about.
#[derive(Debug, Clone, Copy, Serialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Regarding {
    /// A case (`/api/v1/cases/{folio}`).
    Case,
    /// A citizen petition filed through the mailbox (`/api/v1/petitions/{folio}`).
    Petition,
    /// An incoming document's turn (`/api/v1/correspondence/incoming/{folio}`).
    Incoming,
    /// An outgoing document (`/api/v1/correspondence/outgoing/{id}`, `folio` its id).
    Outgoing,
}

impl From<NotificationKind> for Kind {
    fn from(kind: NotificationKind) -> Kind {
        match kind {
            NotificationKind::Turned => Kind::Turned,
            NotificationKind::Returned => Kind::Returned,
            NotificationKind::DueSoon => Kind::DueSoon,
            NotificationKind::Overdue => Kind::Overdue,
            NotificationKind::Digest => Kind::Digest,
            NotificationKind::Awaiting => Kind::Awaiting,
        }
    }
}

impl From<Kind> for NotificationKind {
    fn from(kind: Kind) -> NotificationKind {
        match kind {
            Kind::Turned => NotificationKind::Turned,
            Kind::Returned => NotificationKind::Returned,
            Kind::DueSoon => NotificationKind::DueSoon,
            Kind::Overdue => NotificationKind::Overdue,
            Kind::Digest => NotificationKind::Digest,
            Kind::Awaiting => NotificationKind::Awaiting,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct NotificationItem {
    pub id: i64,
    pub kind: Kind,
    /// The folio of the case, petition or incoming document it is about, or the outgoing
    /// document's id (`regarding`).
    #[schema(example = "CAS-2026-000001")]
    pub folio: String,
    /// About a citizen petition filed through the mailbox (`/api/v1/petitions/{folio}`)
    /// rather than a case.
    pub petition: bool,
    pub regarding: Regarding,
    pub subject: String,
    pub body: String,
    /// When it was recorded (RFC 3339).
    pub created_at: String,
    pub read: bool,
}

impl From<Notification> for NotificationItem {
    fn from(n: Notification) -> NotificationItem {
        NotificationItem {
            id: n.id,
            kind: n.kind.into(),
            folio: n.folio,
            petition: n.regarding == turno_store::notifications::Regarding::Petition,
            regarding: match n.regarding {
                turno_store::notifications::Regarding::Case => Regarding::Case,
                turno_store::notifications::Regarding::Petition => Regarding::Petition,
                turno_store::notifications::Regarding::Incoming => Regarding::Incoming,
                turno_store::notifications::Regarding::Outgoing => Regarding::Outgoing,
            },
            subject: n.subject,
            body: n.body,
            created_at: n.created_at,
            read: n.read,
        }
    }
}

/// The token user's notifications, newest first, with how many are unread.
#[utoipa::path(
    get,
    path = "/api/v1/notifications",
    operation_id = "list_notifications",
    tag = "notificaciones",
    params(NotificationsQuery),
    responses(
        (status = 200, description = "Una página de notificaciones", body = NotificationList),
        (status = 400, description = "Parámetros no válidos", body = ErrorBody),
    ),
)]
pub async fn list(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Query(query): Query<NotificationsQuery>,
) -> Result<Json<NotificationList>, ApiError> {
    let limit = super::paging::limit(query.limit, DEFAULT_LIMIT, MAX_LIMIT)?;
    let offset = super::paging::offset(query.offset)?;
    let items = state
        .store
        .notifications(user.id, limit, offset)
        .await?
        .into_iter()
        .map(NotificationItem::from)
        .collect();
    Ok(Json(NotificationList {
        total: state.store.count_notifications(user.id).await?,
        unread: state.store.unread_notifications(user.id).await?,
        limit,
        offset,
        items,
    }))
}

/// Which notifications to mark read.
#[derive(Debug, Deserialize, ToSchema)]
pub struct MarkRead {
    /// Their ids; every unread one of the user's if not given.
    pub ids: Option<Vec<i64>>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Marked {
    /// How many were unread and now are read.
    pub marked: u64,
}

/// Marks some or all of the token user's notifications read (others' ids are ignored).
#[utoipa::path(
    post,
    path = "/api/v1/notifications/read",
    operation_id = "mark_notifications_read",
    tag = "notificaciones",
    request_body = MarkRead,
    responses(
        (status = 200, description = "Cuántas se marcaron", body = Marked),
    ),
)]
pub async fn mark_read(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Json(request): Json<MarkRead>,
) -> Result<Json<Marked>, ApiError> {
    let marked = state
        .store
        .mark_notifications_read(user.id, request.ids.as_deref(), state.clock.now())
        .await?;
    Ok(Json(Marked { marked }))
}

/// What a person receives of one kind, and how.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct PreferenceItem {
    pub kind: Kind,
    /// Shown in Turno (the digest never is).
    pub in_app: bool,
    /// Sent by e-mail, when the person has an address and the server sends mail.
    pub email: bool,
}

/// The token user's choices, one per kind.
#[utoipa::path(
    get,
    path = "/api/v1/notifications/preferences",
    operation_id = "get_notification_preferences",
    tag = "notificaciones",
    responses(
        (status = 200, description = "Las preferencias", body = [PreferenceItem]),
    ),
)]
pub async fn preferences(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
) -> Result<Json<Vec<PreferenceItem>>, ApiError> {
    Ok(Json(current(&state, user.id).await?))
}

async fn current(state: &AppState, user: i64) -> Result<Vec<PreferenceItem>, ApiError> {
    Ok(state
        .store
        .preferences(user)
        .await?
        .into_iter()
        .map(|p| PreferenceItem {
            kind: p.kind.into(),
            in_app: p.in_app,
            email: p.email,
        })
        .collect())
}

/// Changes the token user's choices for the kinds given (the others stay as they are).
#[utoipa::path(
    put,
    path = "/api/v1/notifications/preferences",
    operation_id = "set_notification_preferences",
    tag = "notificaciones",
    request_body = [PreferenceItem],
    responses(
        (status = 200, description = "Las preferencias tras el cambio", body = [PreferenceItem]),
    ),
)]
pub async fn set_preferences(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Json(request): Json<Vec<PreferenceItem>>,
) -> Result<Json<Vec<PreferenceItem>>, ApiError> {
    let preferences: Vec<Preference> = request
        .iter()
        .map(|p| Preference {
            kind: p.kind.into(),
            in_app: p.in_app,
            email: p.email,
        })
        .collect();
    state.store.set_preferences(user.id, &preferences).await?;
    Ok(Json(current(&state, user.id).await?))
}
