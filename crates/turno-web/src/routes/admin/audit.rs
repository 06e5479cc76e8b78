//! `GET /admin/bitacora`: the audit log of administration, newest first, of everything or of
//! one subject (a unit's code, a person's login).

use super::administrator;
use crate::error::AppError;
use crate::page::{Frame, Layout};
use crate::state::AppState;
use crate::views::when;
use askama::Template;
use axum::extract::{Query, State};
use axum::response::{Html, IntoResponse, Response};
use serde::Deserialize;
use turno_store::Store;

const SHOWN: i64 = 500;

#[derive(Template)]
#[template(path = "admin_audit.html")]
struct AuditPage {
    layout: Layout,
    subject: String,
    entries: Vec<(String, String, &'static str, String, String)>,
}

#[derive(Deserialize)]
pub struct AuditParams {
    sujeto: Option<String>,
}

/// What each action is called in the log.
pub fn action_label(action: &str) -> &'static str {
    match action {
        "unit_created" => "Alta de unidad",
        "unit_changed" => "Cambio de unidad",
        "user_created" => "Alta de persona",
        "user_activated" => "Persona habilitada",
        "user_deactivated" => "Persona dada de baja",
        "role_granted" => "Papel asignado",
        "role_revoked" => "Papel retirado",
        "delegation_created" => "Suplencia registrada",
        "delegation_revoked" => "Suplencia revocada",
        "calendar_imported" => "Días inhábiles importados",
        "calendar_entry_removed" => "Día inhábil quitado",
        "calendar_scope_set" => "Alcance del calendario cambiado",
        "motive_added" => "Motivo agregado",
        "motive_retired" => "Motivo retirado",
        "calls_declared" => "Llamadas declaradas por el proveedor",
        _ => "Otro cambio",
    }
}

pub async fn get(
    State(state): State<AppState>,
    frame: Frame,
    Query(params): Query<AuditParams>,
) -> Result<Response, AppError> {
    administrator(&frame)?;
    let subject = params.sujeto.unwrap_or_default().trim().to_owned();
    let entries = state
        .store
        .audit_log(Some(subject.as_str()).filter(|s| !s.is_empty()), SHOWN)
        .await?
        .into_iter()
        .map(|e| {
            (
                when(&e.at, &state.time_zone),
                e.actor,
                action_label(&e.action),
                e.subject,
                e.detail,
            )
        })
        .collect();
    let page = AuditPage {
        layout: frame.layout,
        subject,
        entries,
    };
    Ok(Html(page.render().map_err(anyhow::Error::from)?).into_response())
}
