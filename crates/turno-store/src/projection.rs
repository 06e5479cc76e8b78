//! From events to the rows that answer questions quickly: work items, the units that see
//! them, and attached documents. The events stay the record; these rows are derived from them
//! in the same transaction.

use turno_domain::definition::Procedure;
use turno_domain::engine::{Case, DueBasis, Event, turned_to};

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
        /// The day its term started, when that is not the opening (see `term_from` below).
        term_from: Option<String>,
        units: Vec<String>,
    },
    Complete {
        item: i64,
        at: String,
        by: String,
        outcome: Option<String>,
        observations: Option<String>,
    },
    /// A new due date; with the day its term now counts from, or `None` to keep the one
    /// recorded (a recount counts again from the same start; a stopped clock has no due date).
    SetDue {
        item: i64,
        due: Option<String>,
        term_from: Option<String>,
    },
    /// A turn taken back: its item closes as withdrawn.
    Withdraw { item: i64, at: String },
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

/// The `work_items.term_from` of a due basis: the day a term counted forward starts from, which
/// the semáforo counts from; `None` when it runs from the opening.
fn term_from(basis: &Option<DueBasis>) -> Option<String> {
    basis
        .and_then(|basis| basis.counted_from())
        .map(|from| from.to_string())
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
                basis,
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
                    term_from: term_from(basis),
                    units,
                })
            }
            Event::WorkTurned {
                item,
                activity,
                unit,
                at,
                due,
                basis,
                ..
            } => Some(WorkChange::Open {
                item: i64::from(item.0),
                activity: procedure.activity(*activity).number.clone(),
                participant: None,
                opened_at: at.to_string(),
                due: due.map(|d| d.to_string()),
                term_from: term_from(basis),
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
                term_from: None,
            }),
            Event::ClockResumed {
                item, due, basis, ..
            } => Some(WorkChange::SetDue {
                item: i64::from(item.0),
                due: due.map(|d| d.to_string()),
                term_from: term_from(basis),
            }),
            Event::DueChanged { item, due, basis } => Some(WorkChange::SetDue {
                item: i64::from(item.0),
                due: due.map(|d| d.to_string()),
                term_from: term_from(basis),
            }),
            Event::DueRecounted { item, due, .. } => Some(WorkChange::SetDue {
                item: i64::from(item.0),
                due: Some(due.to_string()),
                term_from: None,
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

/// A work item's row as its events leave it (`work_items` without who it is assigned to or
/// whether it is overdue, which no event records), with the units that see it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ItemRow {
    pub item: i64,
    pub activity: String,
    pub participant: Option<String>,
    pub opened_at: String,
    pub due: Option<String>,
    pub term_from: Option<String>,
    pub state: String,
    pub completed_at: Option<String>,
    pub completed_by: Option<String>,
    pub outcome: Option<String>,
    pub observations: Option<String>,
}

/// A `work_item_units` row: a unit that sees an item, with the item's due date and open flag.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, sqlx::FromRow)]
pub struct UnitRow {
    pub unit_code: String,
    pub item: i64,
    pub due: String,
    pub open: bool,
}

/// The rows a case's whole record projects to: the same changes the commands applied, folded
/// as the statements of `sql.rs` apply them, so that `turno verify` compares them with the
/// stored rows.
pub fn rows(procedure: &Procedure, case: &Case, events: &[Event]) -> (Vec<ItemRow>, Vec<UnitRow>) {
    let mut items: std::collections::BTreeMap<i64, (ItemRow, Vec<String>)> = Default::default();
    for change in changes(procedure, case, events) {
        match change {
            WorkChange::Open {
                item,
                activity,
                participant,
                opened_at,
                due,
                term_from,
                units,
            } => {
                let row = ItemRow {
                    item,
                    activity,
                    participant,
                    opened_at,
                    due,
                    term_from,
                    state: "open".into(),
                    completed_at: None,
                    completed_by: None,
                    outcome: None,
                    observations: None,
                };
                items.insert(item, (row, units));
            }
            WorkChange::Complete {
                item,
                at,
                by,
                outcome,
                observations,
            } => {
                if let Some((row, _)) = items.get_mut(&item) {
                    row.state = "done".into();
                    row.completed_at = Some(at);
                    row.completed_by = Some(by);
                    row.outcome = outcome;
                    row.observations = observations;
                }
            }
            WorkChange::SetDue {
                item,
                due,
                term_from,
            } => {
                if let Some((row, _)) = items.get_mut(&item) {
                    row.due = due;
                    row.term_from = term_from.or(row.term_from.take());
                }
            }
            WorkChange::Withdraw { item, at } => {
                if let Some((row, _)) = items.get_mut(&item) {
                    row.state = "withdrawn".into();
                    row.completed_at = Some(at);
                }
            }
            WorkChange::Close {
                activity,
                state,
                at,
            } => {
                for (row, _) in items.values_mut() {
                    if row.state == "open" && activity.as_ref().is_none_or(|a| *a == row.activity) {
                        row.state = state.into();
                        row.completed_at = Some(at.clone());
                    }
                }
            }
            WorkChange::Document { .. } => {}
        }
    }
    let mut units = Vec::new();
    for (row, codes) in items.values() {
        for unit_code in codes {
            units.push(UnitRow {
                unit_code: unit_code.clone(),
                item: row.item,
                due: row
                    .due
                    .clone()
                    .unwrap_or_else(|| crate::store::NO_DUE.into()),
                open: row.state == "open",
            });
        }
    }
    units.sort();
    (items.into_values().map(|(row, _)| row).collect(), units)
}

/// Every difference between the rows a case's record projects to and those stored, in words.
pub fn differences(
    expected: &(Vec<ItemRow>, Vec<UnitRow>),
    items: &[ItemRow],
    units: &[UnitRow],
) -> Vec<String> {
    let mut found = Vec::new();
    let stored: std::collections::BTreeMap<i64, &ItemRow> =
        items.iter().map(|row| (row.item, row)).collect();
    let projected: std::collections::BTreeMap<i64, &ItemRow> =
        expected.0.iter().map(|row| (row.item, row)).collect();
    for (item, row) in &projected {
        match stored.get(item) {
            None => found.push(format!(
                "falta la tarea {item} (actividad {}) que su registro abrió",
                row.activity
            )),
            Some(stored) if stored != row => found.push(format!(
                "la tarea {item} (actividad {}) no es la que su registro deja: guardada en estado \
                 «{}», vence {}; según el registro, estado «{}», vence {}",
                row.activity,
                stored.state,
                stored.due.as_deref().unwrap_or("—"),
                row.state,
                row.due.as_deref().unwrap_or("—"),
            )),
            Some(_) => {}
        }
    }
    for item in stored.keys().filter(|item| !projected.contains_key(item)) {
        found.push(format!(
            "la tarea {item} está guardada pero ningún evento la abrió"
        ));
    }
    let mut stored_units = units.to_vec();
    stored_units.sort();
    for row in &stored_units {
        if !expected.1.contains(row) {
            found.push(format!(
                "la unidad {} ve la tarea {} (vence {}, {}) sin que su registro se la turnara así",
                row.unit_code,
                row.item,
                row.due,
                if row.open { "abierta" } else { "cerrada" }
            ));
        }
    }
    for row in &expected.1 {
        if !stored_units.contains(row) {
            found.push(format!(
                "la unidad {} no ve la tarea {} (vence {}, {}) que su registro le turnó",
                row.unit_code,
                row.item,
                row.due,
                if row.open { "abierta" } else { "cerrada" }
            ));
        }
    }
    found
}

/// The published procedures' versions, each read once, for projecting their cases' records.
#[derive(Default)]
pub struct Procedures(std::collections::HashMap<(String, i64), Procedure>);

impl Procedures {
    /// Adds a published version; one whose text does not read is left out (its cases then
    /// report it).
    pub fn add(&mut self, published: crate::store::PublishedProcedure) {
        if let Ok(procedure) = turno_domain::definition::parse_procedure(&published.source_text) {
            self.0.insert((published.key, published.version), procedure);
        }
    }

    pub fn get(&self, key: &str, version: i64) -> Option<&Procedure> {
        self.0.get(&(key.to_owned(), version))
    }
}
