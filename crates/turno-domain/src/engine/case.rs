//! The state of one case: a fold over its events.

use super::event::{DueBasis, Event, WorkItemId};
use super::value::Value;
use crate::definition::{ActivityId, ParticipantId};
use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum CaseStatus {
    Open,
    /// Ended at this activity ("TERMINA PROCEDIMIENTO").
    Ended(ActivityId),
    Cancelled,
}

impl CaseStatus {
    pub fn label(&self) -> &'static str {
        match self {
            CaseStatus::Open => "open",
            CaseStatus::Ended(_) => "ended",
            CaseStatus::Cancelled => "cancelled",
        }
    }
}

/// An activity turned to a unit and not yet answered.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WorkItem {
    pub id: WorkItemId,
    pub activity: ActivityId,
    pub participant: Option<ParticipantId>,
    pub opened_at: Timestamp,
    pub due: Option<Date>,
    /// How `due` was counted; `None` without a due date, and for work opened before it was
    /// recorded (such a due date stays as it is when the calendar changes).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub basis: Option<DueBasis>,
    /// The due date passed and [`Event::DeadlinePassed`] was recorded.
    pub overdue: bool,
    /// A sub-procedure runs for it; it completes when that case ends.
    pub awaiting_subprocedure: bool,
    /// Set when the item is a turn of another one to a unit: answering it does not move the
    /// case; it tells the item it came from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub turn: Option<Turned>,
    /// While its clock is stopped: since when and how many days the term had left.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suspended: Option<Suspension>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Suspension {
    pub since: Date,
    pub days_left: i32,
}

impl WorkItem {
    /// Whether its term has run by `today` (recorded overdue, or its due date behind): an
    /// expiry answer («no hay respuesta en N días hábiles») may be given only then.
    pub fn term_has_run(&self, today: Date) -> bool {
        self.overdue || self.due.is_some_and(|due| due < today)
    }

    /// Just opened: for no participant in particular, not turned, overdue or waiting.
    fn opened(
        id: WorkItemId,
        activity: ActivityId,
        opened_at: Timestamp,
        due: Option<Date>,
        basis: Option<DueBasis>,
    ) -> WorkItem {
        WorkItem {
            id,
            activity,
            participant: None,
            opened_at,
            due,
            basis,
            overdue: false,
            awaiting_subprocedure: false,
            turn: None,
            suspended: None,
        }
    }
}

/// Where a turned work item comes from and what it asks.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Turned {
    pub from: WorkItemId,
    pub unit: String,
    pub instruction: String,
}

/// Serializable so that a store can keep the current state beside the record (a snapshot)
/// instead of replaying every event on every command.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Case {
    pub procedure: String,
    /// Running cases stay on the definition version they started with.
    pub version: u32,
    pub status: CaseStatus,
    pub started_at: Timestamp,
    pub started_on: Date,
    pub fields: BTreeMap<String, Value>,
    /// Open work items, in the order they were opened.
    pub open: Vec<WorkItem>,
    /// The last completion date of each activity, for deadlines counted from it.
    pub completed_on: BTreeMap<ActivityId, Date>,
    next_item: u32,
}

impl Case {
    /// Rebuilds a case from its stored events. The first must be [`Event::CaseStarted`].
    pub fn replay<'a>(events: impl IntoIterator<Item = &'a Event>) -> Option<Case> {
        let mut events = events.into_iter();
        let mut case = Case::from_start(events.next()?)?;
        for event in events {
            case.apply(event);
        }
        Some(case)
    }

    pub(super) fn from_start(event: &Event) -> Option<Case> {
        match event {
            Event::CaseStarted {
                procedure,
                version,
                at,
                on,
                fields,
                ..
            } => Some(Case {
                procedure: procedure.clone(),
                version: *version,
                status: CaseStatus::Open,
                started_at: *at,
                started_on: *on,
                fields: fields.clone(),
                open: Vec::new(),
                completed_on: BTreeMap::new(),
                next_item: 1,
            }),
            _ => None,
        }
    }

    /// The identifier the next opened work item gets.
    pub(super) fn next_item_id(&self) -> WorkItemId {
        WorkItemId(self.next_item)
    }

    pub fn work_item(&self, id: WorkItemId) -> Option<&WorkItem> {
        self.open.iter().find(|w| w.id == id)
    }

    /// The open turns of a work item: the units still to answer it.
    pub fn open_turns(&self, of: WorkItemId) -> impl Iterator<Item = &WorkItem> {
        self.open
            .iter()
            .filter(move |w| w.turn.as_ref().is_some_and(|t| t.from == of))
    }

    fn open_item(&mut self, item: WorkItem) {
        self.next_item = self.next_item.max(item.id.0 + 1);
        self.open.push(item);
    }

    fn close(&mut self, item: WorkItemId, on: Date) -> bool {
        match self.open.iter().position(|w| w.id == item) {
            Some(pos) => {
                let done = self.open.remove(pos);
                // A turn's answer is not the activity done: deadlines counted from the
                // activity's completion wait for its responsible.
                if done.turn.is_none() {
                    self.completed_on.insert(done.activity, on);
                }
                true
            }
            None => false,
        }
    }

    /// Applies one event. Events come from the engine, which checked them, so applying never
    /// fails; an event that does not fit the state (a corrupted log) is ignored here and caught
    /// by the store's verification.
    pub fn apply(&mut self, event: &Event) {
        match event {
            Event::CaseStarted { .. } => {}
            Event::WorkOpened {
                item,
                activity,
                participant,
                at,
                due,
                basis,
            } => self.open_item(WorkItem {
                participant: *participant,
                ..WorkItem::opened(*item, *activity, *at, *due, *basis)
            }),
            Event::WorkTurned {
                item,
                from,
                activity,
                unit,
                at,
                due,
                instruction,
                basis,
                ..
            } => self.open_item(WorkItem {
                turn: Some(Turned {
                    from: *from,
                    unit: unit.clone(),
                    instruction: instruction.clone(),
                }),
                ..WorkItem::opened(*item, *activity, *at, *due, *basis)
            }),
            Event::WorkCompleted {
                item, on, fields, ..
            } => {
                if self.close(*item, *on) {
                    for (name, value) in fields {
                        self.fields.insert(name.clone(), value.clone());
                    }
                }
            }
            Event::TurnWithdrawn { item, .. } => {
                self.open.retain(|w| w.id != *item);
            }
            Event::SubprocedureEnded { item, on, .. } => {
                self.close(*item, *on);
            }
            Event::DueChanged { item, due, basis } => {
                if let Some(w) = self.open.iter_mut().find(|w| w.id == *item) {
                    w.due = *due;
                    w.basis = *basis;
                    w.overdue = false;
                }
            }
            Event::DueRecounted { item, due, .. } => {
                if let Some(w) = self.open.iter_mut().find(|w| w.id == *item) {
                    w.due = Some(*due);
                }
            }
            Event::ClockSuspended {
                item,
                on,
                days_left,
                ..
            } => {
                if let Some(w) = self.open.iter_mut().find(|w| w.id == *item) {
                    w.suspended = Some(Suspension {
                        since: *on,
                        days_left: *days_left,
                    });
                    w.due = None;
                    w.basis = None;
                }
            }
            Event::ClockResumed {
                item, due, basis, ..
            } => {
                if let Some(w) = self.open.iter_mut().find(|w| w.id == *item) {
                    w.suspended = None;
                    w.due = *due;
                    w.basis = *basis;
                }
            }
            Event::DeadlinePassed { item, .. } => {
                if let Some(w) = self.open.iter_mut().find(|w| w.id == *item) {
                    w.overdue = true;
                }
            }
            Event::ActivityExpired { activity, .. } => {
                self.open.retain(|w| w.activity != *activity);
            }
            Event::SubprocedureRequested { item, .. } => {
                if let Some(w) = self.open.iter_mut().find(|w| w.id == *item) {
                    w.awaiting_subprocedure = true;
                }
            }
            Event::DocumentAttached { .. } => {}
            Event::CaseEnded { activity, .. } => {
                self.open.clear();
                self.status = CaseStatus::Ended(*activity);
            }
            Event::CaseCancelled { .. } => {
                self.open.clear();
                self.status = CaseStatus::Cancelled;
            }
        }
    }
}
