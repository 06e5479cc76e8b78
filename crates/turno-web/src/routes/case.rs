//! `GET /asuntos/{folio}`: the case page — its data, current activities (with the forms to act
//! on them), its whole history, its documents and the procedure's diagram with where it stands:
//! the application's `CaseView`, rendered.

use crate::error::AppError;
use crate::filters;
use crate::flowchart;
use crate::forms::{FieldInput, InputKind, show};
use crate::page::{Frame, Layout};
use crate::routes::documents::{self, DocumentView};
use crate::state::AppState;
use crate::timeline::{Entry, timeline};
use crate::views::{Light, UnitNames, deadline, signed_in, when};
use askama::Template;
use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Response};
use turno_app::case_view::CaseView;
use turno_domain::engine::{CaseStatus, MAX_TURN_DAYS};

pub struct OpenWork {
    pub item: u32,
    pub number: String,
    pub text: String,
    pub unit: String,
    /// "3 días hábiles restantes · vence 09/12/2026"; `None` without a due date.
    pub deadline: Option<String>,
    pub light: Light,
    pub can_act: bool,
    /// The person may turn it to other units.
    pub can_turn: bool,
    /// For a turn: what its unit is asked to do.
    pub instruction: Option<String>,
    /// The units it is turned to that have not answered yet.
    pub waiting_for: Vec<String>,
    /// Its term may be stopped while waiting for someone outside.
    pub suspendable: bool,
    /// While stopped: since when, and the days it had left.
    pub suspended: Option<(String, i32)>,
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
    /// The units work may be turned to, as (code, name); empty when the person may turn none.
    turn_units: Vec<(String, String)>,
    max_turn_days: u16,
    flowchart: String,
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
    let view = CaseView::load(&state, signed_in(&frame)?, &folio).await?;
    let names = UnitNames::load(&state).await?;
    let procedure = &view.procedure;
    let open = view
        .open
        .iter()
        .map(|work| {
            let units: Vec<String> = work.units.iter().map(|code| names.name(code)).collect();
            OpenWork {
                item: work.item.id.0,
                number: work.number.clone(),
                text: work.text.clone(),
                unit: units.join(", "),
                deadline: work.left.as_ref().map(deadline),
                light: Light(work.due_status),
                can_act: work.can_act,
                can_turn: work.can_turn,
                instruction: work.item.turn.as_ref().map(|t| t.instruction.clone()),
                suspendable: work.suspendable,
                suspended: work
                    .item
                    .suspended
                    .map(|s| (turno_domain::text::day(s.since), s.days_left)),
                waiting_for: work
                    .waiting_for
                    .iter()
                    .map(|code| names.name(code))
                    .collect(),
                question: work.question.clone(),
                answers: work.answers.clone(),
                inputs: work
                    .asked
                    .iter()
                    .map(|f| FieldInput::new(f, true))
                    .collect(),
            }
        })
        .collect::<Vec<OpenWork>>();
    let turn_units = if open.iter().any(|w| w.can_turn) {
        names.by_name()
    } else {
        Vec::new()
    };
    let current: Vec<_> = view.case.open.iter().map(|w| w.activity).collect();
    let stored = &view.stored;
    let page = CasePage {
        layout: frame.layout,
        title: stored.title.clone(),
        procedure_key: procedure.key.clone(),
        procedure_title: procedure.title.clone(),
        procedure_version: procedure.version,
        status: status_label(match view.case.status {
            CaseStatus::Open => "open",
            CaseStatus::Ended(_) => "ended",
            CaseStatus::Cancelled => "cancelled",
        }),
        created_at: when(&stored.created_at, &state.time_zone),
        channel: stored.channel.clone(),
        requester: stored.requester.clone(),
        data: view
            .data()
            .map(|(f, value)| (f.label.clone(), show(value)))
            .collect(),
        version: stored.version,
        open,
        timeline: timeline(procedure, stored, &state.time_zone, &names),
        documents: documents::listed(&state, view.id).await?,
        attach: view
            .attachable
            .iter()
            .map(|(item, label)| (item.0, label.clone()))
            .collect(),
        attach_limit: documents::limit_label(&state),
        turn_units,
        max_turn_days: MAX_TURN_DAYS,
        flowchart: flowchart::render(procedure, &current),
        folio,
    };
    Ok(Html(page.render().map_err(anyhow::Error::from)?).into_response())
}
