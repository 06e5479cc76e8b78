//! `GET /api/v1/audit`: the administration's audit log (units, people, roles, suplencias),
//! for administrators.

use super::auth::AdminUser;
use super::error::{ApiError, ErrorBody, Json, Query};
use crate::state::AppState;
use axum::extract::State;
use serde::{Deserialize, Serialize};
use turno_store::{AuditEntry, Store};
use utoipa::{IntoParams, ToSchema};

const DEFAULT_LIMIT: i64 = 100;
const MAX_LIMIT: i64 = 1000;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    /// Only the entries about this subject: a unit's code or a person's login.
    subject: Option<String>,
    /// How many entries, newest first.
    #[param(schema_with = super::paging::limit_schema::<DEFAULT_LIMIT, MAX_LIMIT>)]
    limit: Option<i64>,
}

/// A change to the administration.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuditRecord {
    pub id: i64,
    /// When (RFC 3339).
    pub at: String,
    /// The login of who made it.
    pub actor: String,
    /// `unit_created`, `unit_changed`, `user_created`, `user_activated`, `user_deactivated`,
    /// `role_granted`, `role_revoked`, `delegation_created`, `delegation_revoked`,
    /// `calendar_imported`, `calendar_entry_changed`, `calendar_entry_removed`,
    /// `calendar_scope_set`, `motive_added`, `motive_retired`…
    pub action: String,
    /// What it is about: a unit's code, a login.
    pub subject: String,
    /// What changed, as recorded.
    #[schema(value_type = Object)]
    pub detail: serde_json::Value,
    /// The change in words, as the bitácora page shows it.
    #[schema(example = "«ana» recibió el papel de Titular en la unidad SIDSS-ST.")]
    pub summary: String,
}

impl From<AuditEntry> for AuditRecord {
    fn from(entry: AuditEntry) -> AuditRecord {
        AuditRecord {
            summary: turno_app::audit::describe(&entry).summary,
            // Recorded as JSON; kept as text should an entry ever not be.
            detail: serde_json::from_str(&entry.detail)
                .unwrap_or(serde_json::Value::String(entry.detail)),
            id: entry.id,
            at: entry.at,
            actor: entry.actor,
            action: entry.action,
            subject: entry.subject,
        }
    }
}

/// The audit log, newest first.
#[utoipa::path(
    get,
    path = "/api/v1/audit",
    operation_id = "list_audit",
    tag = "administración",
    params(AuditQuery),
    responses(
        (status = 200, description = "Las entradas de la bitácora", body = [AuditRecord]),
        (status = 400, description = "Un parámetro no válido, nombrado en el mensaje", body = ErrorBody),
    ),
)]
pub async fn list(
    State(state): State<AppState>,
    AdminUser(_admin): AdminUser,
    Query(query): Query<AuditQuery>,
) -> Result<Json<Vec<AuditRecord>>, ApiError> {
    let limit = super::paging::limit(query.limit, DEFAULT_LIMIT, MAX_LIMIT)?;
    let subject = query
        .subject
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty());
    let entries = state.store.audit_log(subject, limit).await?;
    Ok(Json(entries.into_iter().map(AuditRecord::from).collect()))
}
