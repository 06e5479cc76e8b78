//! A case as a person sees it, built once for the case page and the API: its record, its data,
//! each open activity with what the person may do on it, and the activities they may attach a
//! document to.

use crate::access::{acting_for, units_of, visible_case, visible_now};
use crate::app::App;
use crate::deadlines::{DaysLeft, Reading, regime_of};
use crate::documents::actable;
use crate::error::Error;
use crate::principal::Principal;
use crate::work::asked_fields;
use std::sync::Arc;
use turno_domain::definition::{FieldDef, Procedure, Route};
use turno_domain::engine::{Case, DueStatus, Value, WorkItem, WorkItemId};
use turno_store::{CaseId, StoredCase};

/// A visible case, read for one person.
pub struct CaseView {
    pub id: CaseId,
    /// The definition version it runs on.
    pub procedure: Arc<Procedure>,
    /// As stored, with its whole record (`stored.events`), unless read without it
    /// ([`CaseView::now`]).
    pub stored: StoredCase,
    /// Its current state, the fold of its record.
    pub case: Case,
    pub open: Vec<OpenWork>,
    /// The open activities the person may attach a document to, with their labels ("2.1 ·
    /// Revisa el informe"); empty when they may attach none.
    pub attachable: Vec<(WorkItemId, String)>,
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
}

impl CaseView {
    /// The case of `folio` with its record, if the person may see it.
    pub async fn load(app: &App, user: &Principal, folio: &str) -> Result<CaseView, Error> {
        let (id, procedure, stored) = visible_case(app, user, folio).await?;
        let case = stored
            .state()
            .ok_or_else(|| Error::internal(format!("case {folio} has no start")))?;
        Ok(CaseView::of(app, user, id, procedure, stored, case))
    }

    /// The case of `folio` as it stands, without its record (`stored.events` empty), if the
    /// person may see it: what acting on it needs, in one read of its row.
    pub async fn now(app: &App, user: &Principal, folio: &str) -> Result<CaseView, Error> {
        let (id, procedure, stored, case) = visible_now(app, user, folio).await?;
        Ok(CaseView::of(app, user, id, procedure, stored, case))
    }

    fn of(
        app: &App,
        user: &Principal,
        id: CaseId,
        procedure: Arc<Procedure>,
        stored: StoredCase,
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
                let reading = Reading::of(app, &calendars, regime, opened, item.due, today);
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
            stored,
            case,
            open,
            attachable,
        }
    }

    /// The case's data: each field of its procedure that has a value, in the procedure's order.
    pub fn data(&self) -> impl Iterator<Item = (&FieldDef, &Value)> {
        self.procedure
            .fields
            .iter()
            .filter_map(|f| self.case.fields.get(&f.name).map(|v| (f, v)))
    }
}
