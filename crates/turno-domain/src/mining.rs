//! What the record teaches (issue 20, `docs/process-mining.md`): a case's events read as a
//! process-mining log. `xes.rs` writes the log in IEEE 1849-2016 (XES) one event at a time, so
//! that an export of millions of events holds one case in memory; `paths.rs` counts, for a
//! procedure, the paths real cases took between its activities and how long each activity and
//! unit kept them waiting, in días hábiles.
//!
//! Both read the same steps of a case ([`Step`]): what a work item went through (opened,
//! turned, withdrawn, suspended, resumed, completed, expired) with its activity and unit, as
//! the engine's events say it; a case's events are fed in order with [`CaseSteps::step`].

pub mod paths;
pub mod xes;

use crate::definition::{ActivityId, Procedure};
use crate::engine::{Actor, Event, WorkItemId};
use jiff::Timestamp;
use std::collections::BTreeMap;

/// What happened to a work item, named as the XES standard's lifecycle transitions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Transition {
    /// The work reached its unit (`WorkOpened`): from here it waits.
    Start,
    /// Turned to another unit for its attention (`WorkTurned`).
    Assign,
    /// A turn taken back (`TurnWithdrawn`).
    Withdraw,
    /// The term's clock stopped (`ClockSuspended`).
    Suspend,
    /// The clock runs again (`ClockResumed`).
    Resume,
    /// Done (`WorkCompleted`, or `SubprocedureEnded` for an activity that calls one).
    Complete,
    /// Closed because its term ran out and the expiry path was taken (`ActivityExpired`).
    Expire,
    /// The case was cancelled (`CaseCancelled`).
    Cancel,
}

impl Transition {
    /// The XES lifecycle extension's name of the transition (standard model).
    pub fn lifecycle(self) -> &'static str {
        match self {
            Transition::Start => "start",
            Transition::Assign => "assign",
            Transition::Withdraw => "withdraw",
            Transition::Suspend => "suspend",
            Transition::Resume => "resume",
            Transition::Complete => "complete",
            Transition::Expire => "ate_abort",
            Transition::Cancel => "pi_abort",
        }
    }
}

/// One step of a case: an activity's work item moving through its lifecycle.
#[derive(Debug, Clone, PartialEq)]
pub struct Step<'e> {
    /// The activity; `None` for the case's cancellation.
    pub activity: Option<ActivityId>,
    pub item: Option<WorkItemId>,
    pub transition: Transition,
    /// The unit's code the work is with (the participant's unit, the unit turned to).
    pub unit: Option<String>,
    /// The person who did it; `None` when Turno did (opening work, expiring it).
    pub by: Option<&'e Actor>,
    pub at: Timestamp,
    /// Whether the item is a turn (work given to a unit for its attention), not the activity's
    /// own work.
    pub turn: bool,
    /// The answer of a decision, on its completion.
    pub outcome: Option<&'e str>,
}

/// The work items of one case as its events tell them: which activity and unit each is, so
/// that later events naming only the item can be read.
#[derive(Debug, Default)]
pub struct CaseSteps {
    items: BTreeMap<WorkItemId, Item>,
}

#[derive(Debug, Clone)]
struct Item {
    activity: ActivityId,
    unit: Option<String>,
    turn: bool,
}

impl CaseSteps {
    pub fn new() -> CaseSteps {
        CaseSteps::default()
    }

    /// The steps one event of the case is (none for events that move no work: the start, due
    /// dates, documents, the end). Events must come in the record's order.
    pub fn step<'e>(&mut self, procedure: &Procedure, event: &'e Event) -> Vec<Step<'e>> {
        let unit_of = |participant: crate::definition::ParticipantId| {
            (usize::from(participant.0) < procedure.participants.len())
                .then(|| procedure.unit_of(participant))
        };
        let mut out = Vec::new();
        match event {
            Event::WorkOpened {
                item,
                activity,
                participant,
                at,
                ..
            } => {
                // Open to any of its responsible: the unit is known when there is one.
                let responsible = match &procedure.activities.get(usize::from(activity.0)) {
                    Some(crate::definition::Activity {
                        assignment: crate::definition::Assignment::Fixed(ids),
                        ..
                    }) if ids.len() == 1 => ids.first().copied(),
                    _ => None,
                };
                let unit = participant.or(responsible).and_then(unit_of);
                self.items.insert(
                    *item,
                    Item {
                        activity: *activity,
                        unit: unit.clone(),
                        turn: false,
                    },
                );
                out.push(Step {
                    activity: Some(*activity),
                    item: Some(*item),
                    transition: Transition::Start,
                    unit,
                    by: None,
                    at: *at,
                    turn: false,
                    outcome: None,
                });
            }
            Event::WorkTurned {
                item,
                activity,
                unit,
                at,
                by,
                ..
            } => {
                self.items.insert(
                    *item,
                    Item {
                        activity: *activity,
                        unit: Some(unit.clone()),
                        turn: true,
                    },
                );
                out.push(Step {
                    activity: Some(*activity),
                    item: Some(*item),
                    transition: Transition::Assign,
                    unit: Some(unit.clone()),
                    by: Some(by),
                    at: *at,
                    turn: true,
                    outcome: None,
                });
            }
            Event::WorkCompleted {
                item,
                at,
                by,
                outcome,
                ..
            } => {
                if let Some(known) = self.items.get(item) {
                    // The unit the person acted for, else the one the work was given to.
                    let unit = by
                        .participant
                        .and_then(unit_of)
                        .filter(|_| !known.turn)
                        .or_else(|| known.unit.clone());
                    out.push(self.item_step(*item, Transition::Complete, *at, Some(by), unit));
                    if let Some(step) = out.last_mut() {
                        step.outcome = outcome.as_deref();
                    }
                }
            }
            Event::TurnWithdrawn { item, at, by, .. } => {
                out.extend(self.known(*item, Transition::Withdraw, *at, Some(by)));
            }
            Event::ClockSuspended { item, at, by, .. } => {
                out.extend(self.known(*item, Transition::Suspend, *at, Some(by)));
            }
            Event::ClockResumed { item, at, by, .. } => {
                out.extend(self.known(*item, Transition::Resume, *at, Some(by)));
            }
            Event::SubprocedureEnded { item, at, .. } => {
                out.extend(self.known(*item, Transition::Complete, *at, None));
            }
            Event::ActivityExpired { activity, at } => {
                // Every open work item of the activity closes as expired; the log says it once.
                out.push(Step {
                    activity: Some(*activity),
                    item: None,
                    transition: Transition::Expire,
                    unit: None,
                    by: None,
                    at: *at,
                    turn: false,
                    outcome: None,
                });
            }
            Event::CaseCancelled { at, by, .. } => out.push(Step {
                activity: None,
                item: None,
                transition: Transition::Cancel,
                unit: None,
                by: Some(by),
                at: *at,
                turn: false,
                outcome: None,
            }),
            Event::CaseStarted { .. }
            | Event::DueChanged { .. }
            | Event::DueRecounted { .. }
            | Event::DeadlinePassed { .. }
            | Event::SubprocedureRequested { .. }
            | Event::DocumentAttached { .. }
            | Event::CaseEnded { .. } => {}
        }
        out
    }

    fn known<'e>(
        &self,
        item: WorkItemId,
        transition: Transition,
        at: Timestamp,
        by: Option<&'e Actor>,
    ) -> Option<Step<'e>> {
        let unit = self.items.get(&item)?.unit.clone();
        Some(self.item_step(item, transition, at, by, unit))
    }

    fn item_step<'e>(
        &self,
        item: WorkItemId,
        transition: Transition,
        at: Timestamp,
        by: Option<&'e Actor>,
        unit: Option<String>,
    ) -> Step<'e> {
        let known = self.items.get(&item);
        Step {
            activity: known.map(|i| i.activity),
            item: Some(item),
            transition,
            unit,
            by,
            at,
            turn: known.is_some_and(|i| i.turn),
            outcome: None,
        }
    }

    /// The activity of a work item seen so far.
    pub fn activity_of(&self, item: WorkItemId) -> Option<ActivityId> {
        self.items.get(&item).map(|i| i.activity)
    }
}

/// An activity as logs and pages name it: its number and text («2.1 Revisa el informe…»).
pub fn activity_name(procedure: &Procedure, activity: ActivityId) -> String {
    match procedure.activities.get(usize::from(activity.0)) {
        Some(a) => format!("{} {}", a.number, a.text),
        None => format!("Actividad desconocida ({})", activity.0),
    }
}
