//! From events to the rows that answer questions quickly: work items, the units that see
//! them, and attached documents. The events stay the record; these rows are derived from them
//! in the same transaction.

use turno_domain::definition::Procedure;
use turno_domain::engine::{Case, Event, turned_to};

/// Serialized (tagged by `change`) for PostgreSQL's `turno_append`, which applies a command's
/// changes in one round trip.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(tag = "change", rename_all = "snake_case")]
pub enum WorkChange {
    Open {
        item: i64,
        activity: String,
        participant: Option<String>,
        opened_at: String,
        due: Option<String>,
        units: Vec<String>,
    },
    Complete {
        item: i64,
        at: String,
        by: String,
        outcome: Option<String>,
        observations: Option<String>,
    },
    SetDue {
        item: i64,
        due: Option<String>,
    },
    /// A turn taken back: its item closes as withdrawn.
    Withdraw {
        item: i64,
        at: String,
    },
    /// Every open item of an activity closes with this state; `None` closes every open item.
    Close {
        activity: Option<String>,
        state: &'static str,
        at: String,
    },
    /// A `documents` row for a `DocumentAttached` event; the store links it to the event.
    Document {
        sha256: String,
        name: String,
        mime: String,
        size: u64,
        at: String,
        by: String,
    },
}

pub fn changes(procedure: &Procedure, case: &Case, events: &[Event]) -> Vec<WorkChange> {
    events
        .iter()
        .filter_map(|event| match event {
            Event::WorkOpened {
                item,
                activity,
                participant,
                at,
                due,
                ..
            } => {
                let activity_def = procedure.activity(*activity);
                let mut units: Vec<String> =
                    turned_to(procedure, &case.fields, *activity, *participant)
                        .into_iter()
                        .map(|p| procedure.unit_of(p))
                        .collect();
                units.sort();
                units.dedup();
                Some(WorkChange::Open {
                    item: i64::from(item.0),
                    activity: activity_def.number.clone(),
                    participant: participant.map(|p| procedure.participant(p).key.clone()),
                    opened_at: at.to_string(),
                    due: due.map(|d| d.to_string()),
                    units,
                })
            }
            Event::WorkTurned {
                item,
                activity,
                unit,
                at,
                due,
                ..
            } => Some(WorkChange::Open {
                item: i64::from(item.0),
                activity: procedure.activity(*activity).number.clone(),
                participant: None,
                opened_at: at.to_string(),
                due: due.map(|d| d.to_string()),
                units: vec![unit.clone()],
            }),
            Event::WorkCompleted {
                item,
                at,
                by,
                outcome,
                observations,
                ..
            } => Some(WorkChange::Complete {
                item: i64::from(item.0),
                at: at.to_string(),
                by: by.user.clone(),
                outcome: outcome.clone(),
                observations: observations.clone(),
            }),
            Event::SubprocedureEnded { item, at, case, .. } => Some(WorkChange::Complete {
                item: i64::from(item.0),
                at: at.to_string(),
                by: "sistema".into(),
                outcome: None,
                observations: Some(format!("Subprocedimiento {case} terminado")),
            }),
            // A stopped clock has no due date in the inbox until it runs again.
            Event::ClockSuspended { item, .. } => Some(WorkChange::SetDue {
                item: i64::from(item.0),
                due: None,
            }),
            Event::ClockResumed { item, due, .. } => Some(WorkChange::SetDue {
                item: i64::from(item.0),
                due: due.map(|d| d.to_string()),
            }),
            Event::DueChanged { item, due, .. } => Some(WorkChange::SetDue {
                item: i64::from(item.0),
                due: due.map(|d| d.to_string()),
            }),
            Event::DueRecounted { item, due, .. } => Some(WorkChange::SetDue {
                item: i64::from(item.0),
                due: Some(due.to_string()),
            }),
            Event::ActivityExpired { activity, at } => Some(WorkChange::Close {
                activity: Some(procedure.activity(*activity).number.clone()),
                state: "expired",
                at: at.to_string(),
            }),
            Event::CaseEnded { at, .. } => Some(WorkChange::Close {
                activity: None,
                state: "closed",
                at: at.to_string(),
            }),
            Event::CaseCancelled { at, .. } => Some(WorkChange::Close {
                activity: None,
                state: "cancelled",
                at: at.to_string(),
            }),
            Event::TurnWithdrawn { item, at, .. } => Some(WorkChange::Withdraw {
                item: i64::from(item.0),
                at: at.to_string(),
            }),
            Event::DocumentAttached {
                at,
                by,
                name,
                mime,
                size,
                sha256,
                ..
            } => Some(WorkChange::Document {
                sha256: sha256.clone(),
                name: name.clone(),
                mime: mime.clone(),
                size: *size,
                at: at.to_string(),
                by: by.user.clone(),
            }),
            Event::CaseStarted { .. }
            | Event::DeadlinePassed { .. }
            | Event::SubprocedureRequested { .. } => None,
        })
        .collect()
}
