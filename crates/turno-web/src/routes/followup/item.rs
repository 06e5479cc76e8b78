//! `GET /seguimiento/{key}/{item}`: an item with its activities, evidence and history, and the
//! form to record progress; `POST /seguimiento/{key}/{item}/avance`: recording it, with an
//! evidence file streamed to the blob store as a case's documents are; `GET
//! /seguimiento/{key}/{item}/evidencia/{activity}/{n}`: the evidence file.

use super::{day, load};
use crate::auth::csrf::CsrfMultipart;
use crate::documents::file_response;
use crate::error::AppError;
use crate::forms::{Again, Submitted, shown_again, single};
use crate::held::{self, Held};
use crate::page::{Frame, Layout, flash};
use crate::state::AppState;
use crate::views::{signed_in, when};
use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use tower_sessions::Session;
use turno_app::programs::{self, Closing, ProgressChange, may_edit};
use turno_app::{FieldProblem, limits};
use turno_domain::followup::Closure;
use turno_store::followup::{ActivityAt, Followup};

pub struct ActivityView {
    pub number: u32,
    pub description: String,
    pub start: String,
    pub end: String,
    pub products: String,
    pub responsible: String,
    pub percent: u8,
    pub status: &'static str,
    pub evidence: Vec<(usize, String)>,
    pub editable: bool,
}

pub struct HistoryView {
    pub activity: u32,
    pub at: String,
    pub actor: String,
    pub before: u8,
    pub percent: u8,
    pub note: String,
    pub evidence: String,
    pub closure: String,
}

#[derive(Template)]
#[template(path = "followup_item.html")]
struct ItemPage {
    layout: Layout,
    key: String,
    program: String,
    item: String,
    label: String,
    text: String,
    case_folio: Option<String>,
    percent: u8,
    status: &'static str,
    activities: Vec<ActivityView>,
    history: Vec<HistoryView>,
    editable: bool,
    /// Whether the person is offered the line's edit form (a line written down line by line,
    /// for those who may write lines; `programs::revise_line` decides).
    revisable: bool,
    max_text: usize,
    /// The progress form as sent, when it was refused.
    form: Again,
    /// The evidence received with the refused form, held for it (`held.rs`).
    evidence: Option<Held>,
}

pub async fn get(
    State(state): State<AppState>,
    frame: Frame,
    Path((key, item_key)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let page = page(&state, frame, (key, item_key), Again::default(), None).await?;
    crate::page::html(&page)
}

/// The page, with the progress form as sent when it was refused.
async fn page(
    state: &AppState,
    frame: Frame,
    (key, item_key): (String, String),
    form: Again,
    evidence: Option<Held>,
) -> Result<ItemPage, AppError> {
    let program = load(state, &key).await?;
    let item = program.item(&item_key).ok_or(AppError::NotFound)?;
    let user = signed_in(&frame)?;
    let today = state.today();
    let activities: Vec<ActivityView> = item
        .activities
        .iter()
        .map(|a| ActivityView {
            number: a.number,
            description: a.description.clone(),
            start: day(a.start()),
            end: day(a.end()),
            products: a.products.clone(),
            responsible: a.responsible.join(", "),
            percent: a.progress().percent(),
            status: a.status(today).as_str(),
            evidence: a
                .evidence()
                .iter()
                .enumerate()
                .map(|(i, e)| (i, e.name.clone()))
                .collect(),
            editable: may_edit(user, a) && !a.status(today).is_closed(),
        })
        .collect();
    let history = state
        .store
        .history(&key)
        .await?
        .into_iter()
        .filter(|e| e.item == item_key)
        .map(|e| HistoryView {
            activity: e.activity,
            at: when(&e.at, &state.time_zone),
            actor: e.actor,
            before: e.update.before.percent(),
            percent: e.update.change.progress.percent(),
            note: e.update.change.note,
            evidence: e.update.change.evidence.map(|e| e.name).unwrap_or_default(),
            closure: match e.update.change.closure {
                Some(Closure::Justified { reason }) => format!("justificado: {reason}"),
                Some(Closure::NotAttended { reason }) => format!("no atendido: {reason}"),
                None => String::new(),
            },
        })
        .collect();
    let revisable = program.holds_agreements()
        && user.can_act()
        && turno_domain::followup::LineKind::of(&item.kind).is_some();
    let page = ItemPage {
        layout: frame.layout,
        program: program.name.clone(),
        label: format!("{} {}", item.kind.label(), item.number),
        text: item.text.clone(),
        case_folio: item.case_folio.clone(),
        percent: item.progress().percent(),
        status: item.status(today).as_str(),
        editable: activities.iter().any(|a| a.editable),
        revisable,
        activities,
        history,
        item: item_key,
        key,
        max_text: limits::TEXT,
        form,
        evidence,
    };
    Ok(page)
}

/// The activity's number and the change the form asks for, as `turno_app::programs::record`
/// takes them, every problem by its field; the progress may be typed with its «%».
fn change(submitted: &Submitted) -> Result<(u32, ProgressChange), turno_app::Error> {
    let text = |name: &str| single(submitted, name).unwrap_or_default();
    let mut wrong = Vec::new();
    let activity = text("actividad").parse().ok();
    if activity.is_none() {
        wrong.push(FieldProblem::new("activity", "Elija la actividad."));
    }
    let progress = text("avance")
        .trim_end_matches('%')
        .trim()
        .parse::<u8>()
        .ok();
    if progress.is_none() {
        wrong.push(FieldProblem::new(
            "progress",
            "El avance es un número de 0 a 100.",
        ));
    }
    let closing = match text("cierre") {
        "" => None,
        "justificado" => Some(Closing::Justified),
        "no_atendido" => Some(Closing::NotAttended),
        _ => {
            wrong.push(FieldProblem::new(
                "closure",
                "Elija cómo se cierra la actividad.",
            ));
            None
        }
    };
    let (Some(activity), Some(progress), true) = (activity, progress, wrong.is_empty()) else {
        return Err(turno_app::Error::InvalidFields(wrong));
    };
    Ok((
        activity,
        ProgressChange {
            progress,
            note: text("nota").to_owned(),
            closing,
            reason: text("justificacion").to_owned(),
        },
    ))
}

/// The file input's name in the form.
const FILE_FIELD: &str = "evidencia";

/// `POST /seguimiento/{key}/{item}/avance`: refused, the form again with every problem and
/// what was typed, and the evidence received held so that it need not be chosen again.
pub async fn post(
    State(state): State<AppState>,
    frame: Frame,
    session: Session,
    Path((key, item_key)): Path<(String, String)>,
    CsrfMultipart(mut multipart): CsrfMultipart,
) -> Result<Response, AppError> {
    let at = |activity| ActivityAt {
        program: &key,
        item: &item_key,
        activity,
    };
    let may_store = |submitted: &Submitted| {
        let number = single(submitted, "actividad").and_then(|n| n.parse().ok());
        let (state, frame, at) = (&state, &frame, &at);
        async move {
            let number = number.ok_or(AppError::NotFound)?;
            programs::may_record(state, signed_in(frame)?, at(number)).await?;
            Ok(())
        }
    };
    let (submitted, file, refused) =
        held::form_with_evidence(&state, &session, &mut multipart, FILE_FIELD, may_store).await?;
    let user = signed_in(&frame)?;
    let recorded = match (refused, change(&submitted)) {
        (Some(e), _) | (None, Err(e)) => Err(e),
        (None, Ok((number, change))) => {
            programs::record(&state, user, at(number), change, file.clone())
                .await
                .map(|_| number)
        }
    };
    match recorded {
        Ok(number) => {
            flash(
                &frame,
                &format!("Avance de la actividad {number} registrado."),
            );
            Ok(Redirect::to(&format!("/seguimiento/{key}/{item_key}")).into_response())
        }
        Err(e) => {
            let shown = ["activity", "progress", "note", "closure", "reason"];
            let again = Again::refused(submitted, e, &shown)?;
            let held = held::keep_evidence(&state, &session, file).await?;
            let status = again.status();
            shown_again(
                status,
                &page(&state, frame, (key, item_key), again, held).await?,
            )
        }
    }
}

pub async fn evidence(
    State(state): State<AppState>,
    Path((key, item_key, activity, index)): Path<(String, String, u32, usize)>,
) -> Result<Response, AppError> {
    let at = ActivityAt {
        program: &key,
        item: &item_key,
        activity,
    };
    let (name, file, content) = programs::evidence(&state, at, index).await?;
    file_response(&file.mime, &name, content).map_err(|e| AppError::Internal(e.into()))
}
