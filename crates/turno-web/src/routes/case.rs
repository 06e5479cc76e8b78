//! `GET /asuntos/{folio}`: the case page — its data, current activities (with the forms to act
//! on them), its whole history, its documents and the procedure's diagram with where it stands:
//! the application's `CaseView`, rendered.

use crate::chooser::UnitGroups;
use crate::error::AppError;
use crate::filters;
use crate::flowchart;
use crate::forms::{Again, FieldInput, InputKind, show, shown_again};
use crate::held::Held;
use crate::page::{Frame, Layout};
use crate::routes::documents::{self, DocumentView};
use crate::routes::search::{PageParams, Pager, page_number};
use crate::state::AppState;
use crate::timeline::{Entry, timeline};
use crate::views::{Light, UnitNames, deadline, signed_in, when};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use turno_app::case_view::{CaseView, History};
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
    /// The turns given from it that have not been answered: each turn's work item and its
    /// unit's name.
    pub waiting_for: Vec<(u32, String)>,
    /// Its term may be stopped while waiting for someone outside.
    pub suspendable: bool,
    /// While stopped: since when, and the days it had left.
    pub suspended: Option<(String, i32)>,
    pub question: Option<String>,
    /// Answer and its text ("No", "Regresa a la actividad 1.2").
    pub answers: Vec<(String, String)>,
    pub inputs: Vec<FieldInput>,
    /// Completing it is signed with e.firma: its form carries the e.firma fieldset.
    pub signs: bool,
    /// Its forms, again when one of them was refused (empty otherwise).
    pub acting: Again,
    pub turning: Again,
    pub clocking: Again,
    pub withdrawing: Again,
}

/// The forms of an open activity on the case page.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum CaseForm {
    /// «Atender», «Decidir», «Responder turno».
    Act,
    /// «Turnar».
    Turn,
    /// Suspending or restarting the term.
    Clock,
    /// «Retirar el turno».
    Withdraw,
}

/// A form of the case page that was refused, to show the page again with it as it was sent.
pub struct Retry {
    pub item: u32,
    pub form: CaseForm,
    pub again: Again,
    /// The case's version the form was shown with: what was recorded since is told.
    pub seen: Option<i64>,
}

/// The fields every form of an open activity carries for itself, not typed by the person.
pub const HIDDEN: [&str; 5] = ["csrf", "item", "version", "clave", "accion"];

#[derive(Template)]
#[template(path = "case.html")]
struct CasePage {
    layout: Layout,
    folio: String,
    /// The procedure has activities authorized with e.firma: the case has a constancia.
    signs: bool,
    /// Moved out of the working tables into the archive's (`turno_app::archive_move`): the
    /// page only reads it.
    archived: bool,
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
    /// The page of the history shown (`HISTORY_PAGE` events each, the newest first).
    timeline: Vec<Entry>,
    pager: Pager,
    documents: Vec<DocumentView>,
    /// The outgoing documents its activities produced (`/correspondencia/salida`).
    /// The incoming documents it was started from.
    incoming: Vec<turno_app::correspondence::incoming::IncomingView>,
    outgoing: Vec<turno_store::correspondence::outgoing::OutgoingSummary>,
    /// The open activities a document may answer; empty when the person may not attach.
    attach: Vec<(u32, String)>,
    attach_limit: String,
    /// The document's form, again when it was refused.
    attaching: Again,
    /// The file received with the refused document's form, held for it (`held.rs`).
    held_document: Option<Held>,
    /// The units work may be turned to, as (code, name); empty when the person may turn none.
    turn_units: UnitGroups,
    /// An activity the person may complete is signed with e.firma: the page loads its script.
    efirma: bool,
    max_turn_days: u16,
    max_text: usize,
    flowchart: std::sync::Arc<str>,
    /// An informe oficial's indicator tables and their review (`routes::indicators`).
    indicators: Option<crate::routes::indicators::IndicatorsView>,
    /// The indicators' upload form (refused, it is shown on the indicators page).
    uploading: Again,
    held_table: Option<Held>,
    /// The petition a volante de trámite handles: its FUR answers the volante's turn.
    petition: Option<String>,
    /// What was recorded since the refused form was shown (someone acted first).
    changed: Vec<Entry>,
    /// A refused form whose activity is no longer open (its form gone with it): why, and what
    /// was typed in it, to copy.
    gone: Option<(Vec<String>, String)>,
    /// Each form's one-time key: sent twice, it is taken once.
    key: String,
}

pub fn status_label(status: &str) -> &'static str {
    match status {
        "open" => "en trámite",
        "ended" => "concluido",
        "cancelled" => "cancelado",
        _ => "desconocido",
    }
}

/// How many events of the record a page of the history tells: a long record is read and
/// shown a page at a time, the newest first.
pub const HISTORY_PAGE: i64 = 50;

pub async fn get(
    State(state): State<AppState>,
    frame: Frame,
    Path(folio): Path<String>,
    Query(params): Query<PageParams>,
) -> Result<Response, AppError> {
    let shown = Shown {
        history: params.pagina.as_deref(),
        ..Shown::default()
    };
    let user = signed_in(&frame)?;
    let view = match CaseView::load(&state, user, &folio, shown.asked()).await {
        Ok(view) => view,
        // A case disposed of by a baja documental: its record of disposal, not its state
        // (gone), to those who may read it; looked for only when the state is not there.
        Err(turno_app::Error::Gone(gone)) => {
            let Some(disposal) = turno_app::archive::disposed_case(&state, user, &folio).await?
            else {
                return Err(turno_app::Error::Gone(gone).into());
            };
            return crate::page::html(&crate::routes::archive::DisposedPage {
                layout: frame.layout,
                folio,
                disposal,
            });
        }
        Err(e) => return Err(e.into()),
    };
    let page = page(&state, frame, folio, view, shown).await?;
    crate::page::html(&page)
}

/// The case page again with a refused form as it was sent (`Again::status`): when someone
/// acted first, what was recorded since is told, and what was typed kept.
pub async fn again(
    state: &AppState,
    frame: Frame,
    folio: String,
    retry: Retry,
) -> Result<Response, AppError> {
    let status = retry.again.status();
    let shown = Shown {
        retry: Some(retry),
        ..Shown::default()
    };
    let view = CaseView::load(state, signed_in(&frame)?, &folio, shown.asked()).await?;
    shown_again(status, &page(state, frame, folio, view, shown).await?)
}

/// The case page again with the document's form refused (`routes::documents`), answered with
/// `status`: what was chosen kept, each problem by its field, and the file received held.
pub async fn attach_again(
    state: &AppState,
    frame: Frame,
    folio: String,
    again: Again,
    held: Option<Held>,
    status: axum::http::StatusCode,
) -> Result<Response, AppError> {
    let shown = Shown {
        attaching: Some((again, held)),
        ..Shown::default()
    };
    let view = CaseView::load(state, signed_in(&frame)?, &folio, shown.asked()).await?;
    shown_again(status, &page(state, frame, folio, view, shown).await?)
}

/// What the case page shows besides the case: the page of its history asked for, and a
/// refused form as it was sent.
#[derive(Default)]
struct Shown<'a> {
    history: Option<&'a str>,
    retry: Option<Retry>,
    attaching: Option<(Again, Option<Held>)>,
}

impl Shown<'_> {
    /// The part of the record shown: the page of the history asked for and, on a refused
    /// form, everything recorded since the version it was shown at.
    fn asked(&self) -> History {
        History::Page {
            page: page_number(self.history),
            size: HISTORY_PAGE,
            since: self.retry.as_ref().and_then(|r| r.seen),
        }
    }
}

/// The case page of `view` (the case as [`Shown::asked`] reads it for the person signed in).
async fn page(
    state: &AppState,
    frame: Frame,
    folio: String,
    view: CaseView,
    shown: Shown<'_>,
) -> Result<CasePage, AppError> {
    let Shown {
        history,
        mut retry,
        attaching,
    } = shown;
    let (attaching, held_document) = attaching.unwrap_or_default();
    let seen = retry.as_ref().and_then(|r| r.seen);
    // The chart as of the person's revision, read once per revision: the names of the
    // units, and those work may be turned to.
    let chart = state.chart_at(signed_in(&frame)?.revision).await?;
    let turn_units = if view.open.iter().any(|w| w.can_turn) {
        UnitGroups::new(&chart, |_| true, &[])
    } else {
        UnitGroups::none()
    };
    let names = UnitNames::new(chart.iter().cloned());
    let procedure = &view.procedure;
    let open = view
        .open
        .iter()
        .map(|work| {
            let units: Vec<String> = work.units.iter().map(|code| names.name(code)).collect();
            let mut open = OpenWork {
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
                    .map(|(turn, code)| (turn.0, names.name(code)))
                    .collect(),
                question: work.question.clone(),
                answers: work.answers.clone(),
                inputs: work
                    .asked
                    .iter()
                    .map(|f| FieldInput::new(procedure, f, true))
                    .collect(),
                signs: work.signature,
                acting: Again::default(),
                turning: Again::default(),
                clocking: Again::default(),
                withdrawing: Again::default(),
            };
            if let Some(retry) = retry.take_if(|r| r.item == work.item.id.0) {
                match retry.form {
                    CaseForm::Act => {
                        retry.again.fill(&mut open.inputs);
                        open.acting = retry.again;
                    }
                    CaseForm::Turn => open.turning = retry.again,
                    CaseForm::Clock => open.clocking = retry.again,
                    CaseForm::Withdraw => open.withdrawing = retry.again,
                }
            }
            open
        })
        .collect::<Vec<OpenWork>>();
    let current: Vec<_> = view.case.open.iter().map(|w| w.activity).collect();
    let stored = &view.stored;
    let timeline = timeline(
        procedure,
        (&stored.events, view.told_from),
        &state.time_zone,
        &names,
    );
    let pager =
        Pager::new(stored.version, HISTORY_PAGE, history).linked(&format!("/asuntos/{folio}"), "");
    let changed = match seen {
        Some(seen) if seen < stored.version => {
            timeline.iter().filter(|e| e.seq > seen).cloned().collect()
        }
        _ => Vec::new(),
    };
    // A retry left over: its activity is no longer open, and its form is gone with it.
    let gone = retry.map(|r| (r.again.general.clone(), r.again.typed(&HIDDEN)));
    let outgoing = view.outgoing(state).await?;
    let incoming = view.incoming(state, signed_in(&frame)?).await?;
    let indicators =
        crate::routes::indicators::on_case_page(state, signed_in(&frame)?, procedure, &folio)
            .await?;
    let page = CasePage {
        indicators,
        uploading: Again::default(),
        held_table: None,
        archived: stored.archived,
        signs: procedure.activities.iter().any(|a| a.signature),
        incoming,
        outgoing,
        petition: turno_app::handling::petition_of(procedure, &view.case),
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
        efirma: open.iter().any(|w| w.can_act && w.signs),
        open,
        timeline,
        pager,
        documents: documents::listed(state, view.documents(state).await?).await?,
        attach: view
            .attachable
            .iter()
            .map(|(item, label)| (item.0, label.clone()))
            .collect(),
        attach_limit: documents::limit_label(state),
        attaching,
        held_document,
        turn_units,
        max_turn_days: MAX_TURN_DAYS,
        max_text: turno_app::limits::TEXT,
        flowchart: flowchart::render_shared(procedure, &current),
        folio,
        changed,
        gone,
        key: crate::auth::csrf::random_token(),
    };
    Ok(page)
}

/// `GET /asuntos/{folio}/constancia.pdf`: the case's constancia of the activities authorized
/// with e.firma (`crate::constancia`).
pub async fn constancia(
    State(state): State<AppState>,
    frame: Frame,
    Path(folio): Path<String>,
) -> Result<Response, AppError> {
    Ok(constancia_response(&state, signed_in(&frame)?, &folio).await?)
}

/// The constancia's PDF, for the page and the API.
pub async fn constancia_response(
    state: &AppState,
    user: &turno_app::Principal,
    folio: &str,
) -> Result<Response, turno_app::Error> {
    let constancia = turno_app::authorizations::constancia(state, user, folio).await?;
    let bytes = crate::constancia::pdf(
        &constancia,
        &state.notifier.settings().base_url,
        &state.time_zone,
    )
    .map_err(|e| turno_app::Error::internal(format!("the constancia's PDF: {e}")))?;
    let name = format!("constancia-{}.pdf", folio.replace(['/', '\\'], "-"));
    Ok(crate::routes::correspondence::outgoing::pdf_file(
        &name, bytes,
    ))
}
