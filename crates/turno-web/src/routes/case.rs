//! `GET /asuntos/{folio}`: the case page — its data, current activities (with the forms to act
//! on them), its whole history, its documents and the procedure's diagram with where it stands.

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
use turno_app::access::{acting_for, units_of, visible_case};
use turno_domain::definition::Route;
use turno_domain::engine::{CaseStatus, DueStatus, MAX_TURN_DAYS};

pub struct OpenWork {
    pub item: u32,
    pub number: String,
    pub text: String,
    pub unit: String,
    pub due: Option<String>,
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
    let (id, procedure, stored) = visible_case(&state, signed_in(&frame)?, &folio).await?;
    let user = signed_in(&frame)?;
    let case = stored
        .state()
        .ok_or_else(|| anyhow::anyhow!("case {folio} has no start"))?;
    let today = state.today();
    let names = UnitNames::load(&state).await?;
    let unit_name = |code: &str| names.name(code);
    let open = case
        .open
        .iter()
        .map(|item| {
            let activity = procedure.activity(item.activity);
            let names: Vec<String> = units_of(&procedure, &case, item)
                .iter()
                .map(|code| unit_name(code))
                .collect();
            let can_act = acting_for(&procedure, &case, item, user).is_some();
            let waiting_for: Vec<String> = case
                .open_turns(item.id)
                .filter_map(|w| w.turn.as_ref().map(|t| unit_name(&t.unit)))
                .collect();
            // A turn is answered in words and documents: no decision, no data.
            let (question, answers) = match &activity.route {
                _ if item.turn.is_some() => (None, Vec::new()),
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
                .filter(|f| item.turn.is_none() && !case.fields.contains_key(&f.name))
                .map(|f| FieldInput::new(f, true))
                .collect();
            let opened = item.opened_at.to_zoned(state.time_zone.clone()).date();
            OpenWork {
                item: item.id.0,
                number: activity.number.clone(),
                text: activity.text.clone(),
                unit: names.join(", "),
                due: item.due.map(|d| d.strftime("%d/%m/%Y").to_string()),
                light: Light(item.due.map_or(DueStatus::OnTime, |d| {
                    state.thresholds.status(opened, d, today)
                })),
                can_act,
                can_turn: can_act && !item.awaiting_subprocedure,
                instruction: item.turn.as_ref().map(|t| t.instruction.clone()),
                suspendable: can_act
                    && item.turn.is_none()
                    && activity.deadline.as_ref().is_some_and(|d| d.suspendable),
                suspended: item
                    .suspended
                    .map(|s| (s.since.strftime("%d/%m/%Y").to_string(), s.days_left)),
                waiting_for,
                question,
                answers,
                inputs,
            }
        })
        .collect::<Vec<OpenWork>>();
    let turn_units = if open.iter().any(|w| w.can_turn) {
        names.by_name()
    } else {
        Vec::new()
    };
    let data = procedure
        .fields
        .iter()
        .filter_map(|f| case.fields.get(&f.name).map(|v| (f.label.clone(), show(v))))
        .collect();
    let current: Vec<_> = case.open.iter().map(|w| w.activity).collect();
    let documents = documents::listed(&state, id).await?;
    let attach = documents::choices(&procedure, &case, user);
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
        timeline: timeline(&procedure, &stored, &state.time_zone, &names),
        documents,
        attach,
        attach_limit: documents::limit_label(&state),
        turn_units,
        max_turn_days: MAX_TURN_DAYS,
        flowchart: flowchart::render(&procedure, &current),
        folio,
    };
    Ok(Html(page.render().map_err(anyhow::Error::from)?).into_response())
}
