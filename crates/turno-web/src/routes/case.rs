//! `GET /asuntos/{folio}`: the case page — its data, current activities (with the forms to act
//! on them), its whole history, its documents and the procedure's diagram with where it stands.

use crate::access::{acting_for, check_case, responsible, visible_units};
use crate::error::AppError;
use crate::flowchart;
use crate::forms::{FieldInput, InputKind, show};
use crate::page::{Frame, Layout};
use crate::routes::documents::{self, DocumentView};
use crate::state::AppState;
use crate::timeline::{Entry, timeline};
use crate::views::{Light, UnitNames, signed_in, when};
use askama::Template;
use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Response};
use std::sync::Arc;
use turno_domain::definition::{Procedure, Route};
use turno_domain::engine::{CaseStatus, DueStatus};
use turno_store::{CaseId, CurrentCase, Store, StoredCase};

pub struct OpenWork {
    pub item: u32,
    pub number: String,
    pub text: String,
    pub unit: String,
    pub due: Option<String>,
    pub light: Light,
    pub can_act: bool,
    pub question: Option<String>,
    /// Answer and its text ("No", "Regresa a la actividad 1.2").
    pub answers: Vec<(String, String)>,
    pub inputs: Vec<FieldInput>,
}

#[derive(Template)]
#[template(path = "case.html")]
struct CasePage {
    layout: Layout,
    folio: String,
    title: String,
    procedure_key: String,
    procedure_title: String,
    procedure_version: u32,
    status: &'static str,
    created_at: String,
    channel: Option<String>,
    requester: Option<String>,
    data: Vec<(String, String)>,
    version: i64,
    open: Vec<OpenWork>,
    timeline: Vec<Entry>,
    documents: Vec<DocumentView>,
    /// The open activities a document may answer; empty when the person may not attach.
    attach: Vec<(u32, String)>,
    attach_limit: String,
    flowchart: String,
}

/// Finds a case by folio and checks the person may see it; 404 and 403 say nothing more.
pub async fn visible_id(state: &AppState, frame: &Frame, folio: &str) -> Result<CaseId, AppError> {
    let user = signed_in(frame)?;
    let id = state
        .store
        .find_case(folio)
        .await?
        .ok_or(AppError::NotFound)?;
    check_case(state, user, id).await?;
    Ok(id)
}

/// The definition version a case runs on.
fn procedure_of(state: &AppState, key: &str, version: u32) -> Result<Arc<Procedure>, AppError> {
    Ok(state
        .library
        .get(key, version)
        .cloned()
        .ok_or_else(|| anyhow::anyhow!("procedure {key} v{version} is not loaded"))?)
}

/// A visible case with its whole record, for the pages that show it.
pub async fn visible_case(
    state: &AppState,
    frame: &Frame,
    folio: &str,
) -> Result<(CaseId, Arc<Procedure>, StoredCase), AppError> {
    let id = visible_id(state, frame, folio).await?;
    let stored = state.store.load_case(id).await?;
    let procedure = procedure_of(state, &stored.procedure_key, stored.procedure_version)?;
    Ok((id, procedure, stored))
}

/// A visible case's current state only, for acting on it (no need to read its record).
pub async fn visible_current(
    state: &AppState,
    frame: &Frame,
    folio: &str,
) -> Result<(CaseId, Arc<Procedure>, CurrentCase), AppError> {
    let id = visible_id(state, frame, folio).await?;
    let current = state.store.load_current(id).await?;
    let procedure = procedure_of(state, &current.procedure_key, current.procedure_version)?;
    Ok((id, procedure, current))
}

pub fn status_label(status: &str) -> &'static str {
    match status {
        "open" => "en trámite",
        "ended" => "concluido",
        "cancelled" => "cancelado",
        _ => "desconocido",
    }
}

pub async fn get(
    State(state): State<AppState>,
    frame: Frame,
    Path(folio): Path<String>,
) -> Result<Response, AppError> {
    let (id, procedure, stored) = visible_case(&state, &frame, &folio).await?;
    let user = signed_in(&frame)?;
    let visible = visible_units(user).to_vec();
    let case = stored
        .state()
        .ok_or_else(|| anyhow::anyhow!("case {folio} has no start"))?;
    let today = state.context().today;
    let names = UnitNames::load(&state).await?;
    let unit_name = |code: &str| names.name(code);
    let open = case
        .open
        .iter()
        .map(|item| {
            let activity = procedure.activity(item.activity);
            let names: Vec<String> = responsible(&procedure, &case, item)
                .into_iter()
                .map(|p| unit_name(&procedure.unit_of(p)))
                .collect();
            let (question, answers) = match &activity.route {
                Route::Decide { question, branches } => (
                    Some(question.clone()),
                    branches
                        .iter()
                        .map(|b| (b.answer.clone(), b.text.clone()))
                        .collect(),
                ),
                Route::Continue(_) => (None, Vec::new()),
            };
            let inputs = activity
                .fields
                .iter()
                .map(|f| procedure.field(*f))
                .filter(|f| !case.fields.contains_key(&f.name))
                .map(|f| FieldInput::new(f, true))
                .collect();
            let opened = item.opened_at.to_zoned(state.time_zone.clone()).date();
            OpenWork {
                item: item.id.0,
                number: activity.number.clone(),
                text: activity.text.clone(),
                unit: names.join(", "),
                due: item.due.map(|d| d.strftime("%d/%m/%Y").to_string()),
                light: Light(
                    item.due
                        .map_or(DueStatus::OnTime, |d| DueStatus::of(opened, d, today)),
                ),
                can_act: acting_for(&procedure, &case, item, user, &visible).is_some(),
                question,
                answers,
                inputs,
            }
        })
        .collect();
    let data = procedure
        .fields
        .iter()
        .filter_map(|f| case.fields.get(&f.name).map(|v| (f.label.clone(), show(v))))
        .collect();
    let current: Vec<_> = case.open.iter().map(|w| w.activity).collect();
    let documents = documents::listed(&state, id).await?;
    let attach = documents::choices(&procedure, &case, user, &visible);
    let page = CasePage {
        layout: frame.layout,
        title: stored.title.clone(),
        procedure_key: procedure.key.clone(),
        procedure_title: procedure.title.clone(),
        procedure_version: procedure.version,
        status: status_label(match case.status {
            CaseStatus::Open => "open",
            CaseStatus::Ended(_) => "ended",
            CaseStatus::Cancelled => "cancelled",
        }),
        created_at: when(&stored.created_at, &state.time_zone),
        channel: stored.channel.clone(),
        requester: stored.requester.clone(),
        data,
        version: stored.version,
        open,
        timeline: timeline(&procedure, &stored, &state.time_zone, &unit_name),
        documents,
        attach,
        attach_limit: documents::limit_label(&state),
        flowchart: flowchart::render(&procedure, &current),
        folio,
    };
    Ok(Html(page.render().map_err(anyhow::Error::from)?).into_response())
}
