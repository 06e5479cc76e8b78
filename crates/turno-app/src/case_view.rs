//! A case as a person sees it, built once for the case page and the API: its record, its data,
//! each open activity with what the person may do on it, and the activities they may attach a
//! document to.

use crate::access::{acting_for, units_of, visible_now};
use crate::app::App;
use crate::correspondence::incoming::IncomingView;
use crate::deadlines::{DaysLeft, Reading, Term, regime_of};
use crate::documents::actable;
use crate::error::Error;
use crate::principal::Principal;
use crate::work::asked_fields;
use std::sync::Arc;
use turno_domain::definition::{FieldDef, Procedure, Route};
use turno_domain::engine::{Case, DueStatus, Value, WorkItem, WorkItemId};
use turno_store::correspondence::outgoing::OutgoingSummary;
use turno_store::{CaseId, Document, MovedCases, Outgoing, Store, StoredCase};

/// A visible case, read for one person.
pub struct CaseView {
    pub id: CaseId,
    /// The definition version it runs on.
    pub procedure: Arc<Procedure>,
    /// As stored, with the part of its record asked for ([`History`]) in `stored.events`:
    /// the events numbered after `told_from`, and before them only those that opened the
    /// work items the others name.
    pub stored: StoredCase,
    /// The events of `stored.events` numbered up to this one only name work items.
    pub told_from: i64,
    /// Its current state, as stored with its row (never replayed from the record).
    pub case: Case,
    pub open: Vec<OpenWork>,
    /// The open activities the person may attach a document to, with their labels ("2.1 ·
    /// Revisa el informe"); empty when they may attach none.
    pub attachable: Vec<(WorkItemId, String)>,
}

/// How much of a case's record a view reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum History {
    /// None: the case as it stands, what acting on it needs.
    None,
    /// All of it.
    All,
    /// Page `page` (from 1, the newest; past the last, the last) of `size` events, and on the
    /// first page every event after `since` too (what a refused form was shown before, so
    /// that what was recorded since can be told).
    Page {
        page: i64,
        size: i64,
        since: Option<i64>,
    },
}

impl History {
    /// The events told, as (after, up to), of a record of `version` events.
    fn window(self, version: i64) -> Option<(i64, i64)> {
        match self {
            History::None => None,
            History::All => Some((0, version)),
            History::Page { page, size, since } => {
                let size = size.max(1);
                let page = page.clamp(1, pages(version, size));
                let upto = version - size * (page - 1);
                let mut after = (upto - size).max(0);
                if page == 1
                    && let Some(since) = since
                {
                    after = after.min(since.max(0));
                }
                Some((after, upto))
            }
        }
    }
}

/// How many pages of `size` events a record of `version` events fills: at least one.
pub fn pages(version: i64, size: i64) -> i64 {
    ((version + size - 1) / size).max(1)
}

/// An open activity of the case and what the person may do on it.
pub struct OpenWork {
    pub item: WorkItem,
    /// The activity's number in the manual ("2.2") and its text.
    pub number: String,
    pub text: String,
    /// The codes of the units it is turned to.
    pub units: Vec<String>,
    /// The turns given from it that have not been answered (each turn's work item and unit
    /// code): it cannot be completed until they are. Whoever may turn it may withdraw them.
    pub waiting_for: Vec<(WorkItemId, String)>,
    /// Its semáforo today.
    pub due_status: DueStatus,
    /// Its due date and the días hábiles left until it, if it has one.
    pub left: Option<DaysLeft>,
    /// The person may complete (or answer) it.
    pub can_act: bool,
    /// The person may turn it to other units.
    pub can_turn: bool,
    /// The person may stop its term's clock while waiting for someone outside.
    pub suspendable: bool,
    /// The question of a decision ("¿Procede?"), with its answers and what follows each.
    pub question: Option<String>,
    pub answers: Vec<(String, String)>,
    /// The data completing it asks for: the activity's fields the case has no value for yet.
    /// A turn is answered in words and documents, with no data.
    pub asked: Vec<FieldDef>,
    /// Completing it asks for the person's e.firma (`signature = true`; not on a turn).
    pub signature: bool,
}

impl CaseView {
    /// The case of `folio` with as much of its record as `history` asks, if the person may
    /// see it: its row, state and units in one read, the record in a second.
    pub async fn load(
        app: &App,
        user: &Principal,
        folio: &str,
        history: History,
    ) -> Result<CaseView, Error> {
        let (id, procedure, mut stored, case) = visible_now(app, user, folio).await?;
        let told_from = match history.window(stored.version) {
            Some((after, upto)) => {
                stored.events = if stored.archived {
                    app.store
                        .archived_window(&stored.folio, after, upto)
                        .await?
                } else {
                    app.store
                        .record_window((id, &stored.folio), after, upto)
                        .await?
                };
                after
            }
            None => stored.version,
        };
        Ok(CaseView::of(
            app,
            user,
            (id, procedure),
            (stored, told_from),
            case,
        ))
    }

    fn of(
        app: &App,
        user: &Principal,
        (id, procedure): (CaseId, Arc<Procedure>),
        (stored, told_from): (StoredCase, i64),
        case: Case,
    ) -> CaseView {
        let today = app.today();
        let calendars = app.calendars.current();
        let open = case
            .open
            .iter()
            .map(|item| {
                let activity = procedure.activity(item.activity);
                let can_act = acting_for(&procedure, &case, item, user).is_some();
                let (question, answers) = match &activity.route {
                    _ if item.turn.is_some() => (None, Vec::new()),
                    Route::Decide { question, branches } => (
                        Some(question.clone()),
                        // An expiry answer is offered once the term has run, as the engine
                        // accepts it.
                        branches
                            .iter()
                            .filter(|b| !b.expiry || item.term_has_run(today))
                            .map(|b| (b.answer.clone(), b.text.clone()))
                            .collect(),
                    ),
                    Route::Continue(_) => (None, Vec::new()),
                };
                let opened = item.opened_at.to_zoned(app.time_zone.clone()).date();
                let regime = item
                    .basis
                    .map_or_else(|| regime_of(&procedure, &activity.number), |b| b.regime);
                let term = Term {
                    opened,
                    counted_from: item.basis.and_then(|basis| basis.counted_from()),
                    due: item.due,
                };
                let reading = Reading::of(app, &calendars, regime, term, today);
                OpenWork {
                    number: activity.number.clone(),
                    text: activity.text.clone(),
                    units: units_of(&procedure, &case, item),
                    waiting_for: case
                        .open_turns(item.id)
                        .filter_map(|w| w.turn.as_ref().map(|t| (w.id, t.unit.clone())))
                        .collect(),
                    due_status: reading.status,
                    left: reading.left,
                    can_act,
                    can_turn: can_act && !item.awaiting_subprocedure,
                    suspendable: can_act
                        && item.turn.is_none()
                        && activity.deadline.as_ref().is_some_and(|d| d.suspendable),
                    question,
                    answers,
                    asked: asked_fields(&procedure, &case, item)
                        .into_iter()
                        .filter(|(_, required)| *required)
                        .map(|(field, _)| field.clone())
                        .collect(),
                    signature: item.turn.is_none() && activity.signature,
                    item: item.clone(),
                }
            })
            .collect();
        let attachable = actable(&procedure, &case, user)
            .into_iter()
            .map(|(item, _, label)| (item, label))
            .collect();
        CaseView {
            id,
            procedure,
            told_from,
            stored,
            case,
            open,
            attachable,
        }
    }

    /// The case's documents (their rows), from the archive's tables for a case moved there.
    pub async fn documents(&self, app: &App) -> Result<Vec<Document>, Error> {
        Ok(if self.stored.archived {
            app.store.archived_documents(&self.stored.folio).await?
        } else {
            app.store.documents(self.id).await?
        })
    }

    /// The outgoing documents the case's activities produced. The view was read for a person
    /// who sees the case: it is not looked up again.
    pub async fn outgoing(&self, app: &App) -> Result<Vec<OutgoingSummary>, Error> {
        Ok(app.store.outgoing_of_case(&self.stored.folio).await?)
    }

    /// The incoming documents the case was started from, each as `user` (the person the view
    /// was read for) sees it.
    pub async fn incoming(&self, app: &App, user: &Principal) -> Result<Vec<IncomingView>, Error> {
        crate::correspondence::cases::incoming_listed(app, user, &self.stored.folio).await
    }

    /// The case's data: each field of its procedure that has a value, in the procedure's order.
    pub fn data(&self) -> impl Iterator<Item = (&FieldDef, &Value)> {
        self.procedure
            .fields
            .iter()
            .filter_map(|f| self.case.fields.get(&f.name).map(|v| (f, v)))
    }
}
