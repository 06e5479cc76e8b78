//! `GET /admin/bitacora`: the audit log of administration, newest first, of everything or of
//! one subject (a unit's code, a person's login): who, when, and what changed in words, field
//! by field before → after (`turno_app::audit`).

use super::administrator;
use crate::error::AppError;
use crate::page::{Frame, Layout};
use crate::state::AppState;
use crate::views::when;
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use serde::Deserialize;
use turno_app::audit::{Described, describe, file_name};
use turno_store::Store;

const SHOWN: i64 = 500;

#[derive(Template)]
#[template(path = "admin_audit.html")]
struct AuditPage {
    layout: Layout,
    subject: String,
    entries: Vec<Row>,
}

/// One change: when, who, and what in words (`turno_app::audit`).
struct Row {
    at: String,
    actor: String,
    subject: String,
    described: Described,
}

#[derive(Deserialize)]
pub struct AuditParams {
    sujeto: Option<String>,
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
        .map(|e| Row {
            at: when(&e.at, &state.time_zone),
            described: describe(&e),
            subject: file_name(&e.subject).to_owned(),
            actor: e.actor,
        })
        .collect();
    let page = AuditPage {
        layout: frame.layout,
        subject,
        entries,
    };
    crate::page::html(&page)
}
