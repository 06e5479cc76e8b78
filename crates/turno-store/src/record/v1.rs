//! Version 1 of the stored events: the form Turno recorded before events were versioned, the
//! text the existing hash chains cover. Never edit it: a change to the domain's event is a new
//! version (docs/event-versions.md). Its types mirror the domain's so that the domain's may
//! change without changing this text; the declaration order of the fields is the order of
//! the JSON, and optional due-date bases are left out when absent (events recorded before they
//! existed have none).

use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use turno_domain::{calendar, definition, engine};

pub(super) const VERSION: i64 = 1;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum Event {
    CaseStarted {
        procedure: String,
        version: u32,
        at: Timestamp,
        on: Date,
        by: Actor,
        fields: BTreeMap<String, Value>,
    },
    WorkOpened {
        item: u32,
        activity: u16,
        participant: Option<u16>,
        at: Timestamp,
        due: Option<Date>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        basis: Option<DueBasis>,
    },
    WorkCompleted {
        item: u32,
        at: Timestamp,
        on: Date,
        by: Actor,
        on_behalf_of: Option<u16>,
        outcome: Option<String>,
        fields: BTreeMap<String, Value>,
        observations: Option<String>,
    },
    WorkTurned {
        item: u32,
        from: u32,
        activity: u16,
        unit: String,
        at: Timestamp,
        by: Actor,
        due: Option<Date>,
        instruction: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        basis: Option<DueBasis>,
    },
    DueChanged {
        item: u32,
        due: Option<Date>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        basis: Option<DueBasis>,
    },
    DueRecounted {
        item: u32,
        previous: Date,
        due: Date,
        reason: String,
        at: Timestamp,
    },
    ClockSuspended {
        item: u32,
        at: Timestamp,
        on: Date,
        by: Actor,
        reason: String,
        days_left: i32,
    },
    ClockResumed {
        item: u32,
        at: Timestamp,
        on: Date,
        by: Actor,
        due: Option<Date>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        basis: Option<DueBasis>,
    },
    DeadlinePassed {
        item: u32,
        at: Timestamp,
        due: Date,
    },
    ActivityExpired {
        activity: u16,
        at: Timestamp,
    },
    SubprocedureRequested {
        item: u32,
        procedure: String,
    },
    SubprocedureEnded {
        item: u32,
        at: Timestamp,
        on: Date,
        case: String,
    },
    DocumentAttached {
        at: Timestamp,
        by: Actor,
        item: Option<u32>,
        name: String,
        mime: String,
        size: u64,
        sha256: String,
    },
    CaseEnded {
        at: Timestamp,
        activity: u16,
    },
    CaseCancelled {
        at: Timestamp,
        by: Actor,
        reason: String,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Actor {
    user: String,
    participant: Option<u16>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    substituting: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", content = "value", rename_all = "snake_case")]
pub enum Value {
    Text(String),
    Integer(i64),
    Decimal(String),
    Date(Date),
    Boolean(bool),
    Participants(Vec<String>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DueBasis {
    from: Date,
    days: i32,
    kind: DayKind,
    regime: Regime,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum DayKind {
    Business,
    Natural,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Regime {
    Lft,
    Lfpa,
}

impl Event {
    /// The `kind` column: the same name as the payload's `event`.
    pub(super) fn kind(&self) -> &'static str {
        match self {
            Event::CaseStarted { .. } => "case_started",
            Event::WorkOpened { .. } => "work_opened",
            Event::WorkTurned { .. } => "work_turned",
            Event::WorkCompleted { .. } => "work_completed",
            Event::DueChanged { .. } => "due_changed",
            Event::DueRecounted { .. } => "due_recounted",
            Event::ClockSuspended { .. } => "clock_suspended",
            Event::ClockResumed { .. } => "clock_resumed",
            Event::DeadlinePassed { .. } => "deadline_passed",
            Event::ActivityExpired { .. } => "activity_expired",
            Event::SubprocedureRequested { .. } => "subprocedure_requested",
            Event::SubprocedureEnded { .. } => "subprocedure_ended",
            Event::DocumentAttached { .. } => "document_attached",
            Event::CaseEnded { .. } => "case_ended",
            Event::CaseCancelled { .. } => "case_cancelled",
        }
    }
}

// The conversions are exhaustive both ways: a field the domain adds or drops does not
// compile here until a new version says how it is stored.

fn fields_of(fields: &BTreeMap<String, engine::Value>) -> BTreeMap<String, Value> {
    fields
        .iter()
        .map(|(name, value)| (name.clone(), Value::from(value)))
        .collect()
}

fn fields_into(fields: BTreeMap<String, Value>) -> BTreeMap<String, engine::Value> {
    fields
        .into_iter()
        .map(|(name, value)| (name, value.into()))
        .collect()
}

fn participant(id: Option<u16>) -> Option<definition::ParticipantId> {
    id.map(definition::ParticipantId)
}

/// The domain's event in version 1, or in what version 2 adds when version 1 cannot say it.
impl TryFrom<&engine::Event> for Event {
    type Error = super::v2::Added;

    fn try_from(event: &engine::Event) -> Result<Event, super::v2::Added> {
        use engine::Event as E;
        Ok(match event.clone() {
            E::CaseStarted {
                procedure,
                version,
                at,
                on,
                by,
                fields,
            } => Event::CaseStarted {
                procedure,
                version,
                at,
                on,
                by: by.into(),
                fields: fields_of(&fields),
            },
            E::WorkOpened {
                item,
                activity,
                participant,
                at,
                due,
                basis,
            } => Event::WorkOpened {
                item: item.0,
                activity: activity.0,
                participant: participant.map(|p| p.0),
                at,
                due,
                basis: basis.map(Into::into),
            },
            E::WorkCompleted {
                item,
                at,
                on,
                by,
                on_behalf_of,
                outcome,
                fields,
                observations,
                // Version 1 cannot say it: version 3 adds it to this text (`v3::Added`).
                signature: _,
            } => Event::WorkCompleted {
                item: item.0,
                at,
                on,
                by: by.into(),
                on_behalf_of: on_behalf_of.map(|p| p.0),
                outcome,
                fields: fields_of(&fields),
                observations,
            },
            E::WorkTurned {
                item,
                from,
                activity,
                unit,
                at,
                by,
                due,
                instruction,
                basis,
            } => Event::WorkTurned {
                item: item.0,
                from: from.0,
                activity: activity.0,
                unit,
                at,
                by: by.into(),
                due,
                instruction,
                basis: basis.map(Into::into),
            },
            E::DueChanged { item, due, basis } => Event::DueChanged {
                item: item.0,
                due,
                basis: basis.map(Into::into),
            },
            E::DueRecounted {
                item,
                previous,
                due,
                reason,
                at,
            } => Event::DueRecounted {
                item: item.0,
                previous,
                due,
                reason,
                at,
            },
            E::ClockSuspended {
                item,
                at,
                on,
                by,
                reason,
                days_left,
            } => Event::ClockSuspended {
                item: item.0,
                at,
                on,
                by: by.into(),
                reason,
                days_left,
            },
            E::ClockResumed {
                item,
                at,
                on,
                by,
                due,
                basis,
            } => Event::ClockResumed {
                item: item.0,
                at,
                on,
                by: by.into(),
                due,
                basis: basis.map(Into::into),
            },
            E::DeadlinePassed { item, at, due } => Event::DeadlinePassed {
                item: item.0,
                at,
                due,
            },
            E::ActivityExpired { activity, at } => Event::ActivityExpired {
                activity: activity.0,
                at,
            },
            E::SubprocedureRequested { item, procedure } => Event::SubprocedureRequested {
                item: item.0,
                procedure,
            },
            E::SubprocedureEnded { item, at, on, case } => Event::SubprocedureEnded {
                item: item.0,
                at,
                on,
                case,
            },
            E::DocumentAttached {
                at,
                by,
                item,
                name,
                mime,
                size,
                sha256,
            } => Event::DocumentAttached {
                at,
                by: by.into(),
                item: item.map(|i| i.0),
                name,
                mime,
                size,
                sha256,
            },
            E::CaseEnded { at, activity } => Event::CaseEnded {
                at,
                activity: activity.0,
            },
            E::CaseCancelled { at, by, reason } => Event::CaseCancelled {
                at,
                by: by.into(),
                reason,
            },
            E::TurnWithdrawn {
                item,
                at,
                by,
                reason,
            } => {
                return Err(super::v2::Added::TurnWithdrawn {
                    item: item.0,
                    at,
                    by: by.into(),
                    reason,
                });
            }
        })
    }
}

impl From<Event> for engine::Event {
    fn from(event: Event) -> engine::Event {
        use definition::ActivityId;
        use engine::{Event as E, WorkItemId};
        match event {
            Event::CaseStarted {
                procedure,
                version,
                at,
                on,
                by,
                fields,
            } => E::CaseStarted {
                procedure,
                version,
                at,
                on,
                by: by.into(),
                fields: fields_into(fields),
            },
            Event::WorkOpened {
                item,
                activity,
                participant: who,
                at,
                due,
                basis,
            } => E::WorkOpened {
                item: WorkItemId(item),
                activity: ActivityId(activity),
                participant: participant(who),
                at,
                due,
                basis: basis.map(Into::into),
            },
            Event::WorkCompleted {
                item,
                at,
                on,
                by,
                on_behalf_of,
                outcome,
                fields,
                observations,
            } => E::WorkCompleted {
                item: WorkItemId(item),
                at,
                on,
                by: by.into(),
                on_behalf_of: participant(on_behalf_of),
                outcome,
                fields: fields_into(fields),
                observations,
                signature: None,
            },
            Event::WorkTurned {
                item,
                from,
                activity,
                unit,
                at,
                by,
                due,
                instruction,
                basis,
            } => E::WorkTurned {
                item: WorkItemId(item),
                from: WorkItemId(from),
                activity: ActivityId(activity),
                unit,
                at,
                by: by.into(),
                due,
                instruction,
                basis: basis.map(Into::into),
            },
            Event::DueChanged { item, due, basis } => E::DueChanged {
                item: WorkItemId(item),
                due,
                basis: basis.map(Into::into),
            },
            Event::DueRecounted {
                item,
                previous,
                due,
                reason,
                at,
            } => E::DueRecounted {
                item: WorkItemId(item),
                previous,
                due,
                reason,
                at,
            },
            Event::ClockSuspended {
                item,
                at,
                on,
                by,
                reason,
                days_left,
            } => E::ClockSuspended {
                item: WorkItemId(item),
                at,
                on,
                by: by.into(),
                reason,
                days_left,
            },
            Event::ClockResumed {
                item,
                at,
                on,
                by,
                due,
                basis,
            } => E::ClockResumed {
                item: WorkItemId(item),
                at,
                on,
                by: by.into(),
                due,
                basis: basis.map(Into::into),
            },
            Event::DeadlinePassed { item, at, due } => E::DeadlinePassed {
                item: WorkItemId(item),
                at,
                due,
            },
            Event::ActivityExpired { activity, at } => E::ActivityExpired {
                activity: ActivityId(activity),
                at,
            },
            Event::SubprocedureRequested { item, procedure } => E::SubprocedureRequested {
                item: WorkItemId(item),
                procedure,
            },
            Event::SubprocedureEnded { item, at, on, case } => E::SubprocedureEnded {
                item: WorkItemId(item),
                at,
                on,
                case,
            },
            Event::DocumentAttached {
                at,
                by,
                item,
                name,
                mime,
                size,
                sha256,
            } => E::DocumentAttached {
                at,
                by: by.into(),
                item: item.map(WorkItemId),
                name,
                mime,
                size,
                sha256,
            },
            Event::CaseEnded { at, activity } => E::CaseEnded {
                at,
                activity: ActivityId(activity),
            },
            Event::CaseCancelled { at, by, reason } => E::CaseCancelled {
                at,
                by: by.into(),
                reason,
            },
        }
    }
}

impl From<engine::Actor> for Actor {
    fn from(actor: engine::Actor) -> Actor {
        let engine::Actor {
            user,
            participant,
            substituting,
        } = actor;
        Actor {
            user,
            participant: participant.map(|p| p.0),
            substituting,
        }
    }
}

impl From<Actor> for engine::Actor {
    fn from(actor: Actor) -> engine::Actor {
        engine::Actor {
            user: actor.user,
            participant: participant(actor.participant),
            substituting: actor.substituting,
        }
    }
}

impl From<&engine::Value> for Value {
    fn from(value: &engine::Value) -> Value {
        match value.clone() {
            engine::Value::Text(t) => Value::Text(t),
            engine::Value::Integer(n) => Value::Integer(n),
            engine::Value::Decimal(d) => Value::Decimal(d),
            engine::Value::Date(d) => Value::Date(d),
            engine::Value::Boolean(b) => Value::Boolean(b),
            engine::Value::Participants(keys) => Value::Participants(keys),
        }
    }
}

impl From<Value> for engine::Value {
    fn from(value: Value) -> engine::Value {
        match value {
            Value::Text(t) => engine::Value::Text(t),
            Value::Integer(n) => engine::Value::Integer(n),
            Value::Decimal(d) => engine::Value::Decimal(d),
            Value::Date(d) => engine::Value::Date(d),
            Value::Boolean(b) => engine::Value::Boolean(b),
            Value::Participants(keys) => engine::Value::Participants(keys),
        }
    }
}

impl From<engine::DueBasis> for DueBasis {
    fn from(basis: engine::DueBasis) -> DueBasis {
        let engine::DueBasis {
            from,
            days,
            kind,
            regime,
        } = basis;
        DueBasis {
            from,
            days,
            kind: match kind {
                definition::DayKind::Business => DayKind::Business,
                definition::DayKind::Natural => DayKind::Natural,
            },
            regime: match regime {
                calendar::Regime::Lft => Regime::Lft,
                calendar::Regime::Lfpa => Regime::Lfpa,
            },
        }
    }
}

impl From<DueBasis> for engine::DueBasis {
    fn from(basis: DueBasis) -> engine::DueBasis {
        engine::DueBasis {
            from: basis.from,
            days: basis.days,
            kind: match basis.kind {
                DayKind::Business => definition::DayKind::Business,
                DayKind::Natural => definition::DayKind::Natural,
            },
            regime: match basis.regime {
                Regime::Lft => calendar::Regime::Lft,
                Regime::Lfpa => calendar::Regime::Lfpa,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::EventRecord;
    use crate::fixtures::{EVERY_EVENT_JSON, VERSION_2_JSON, every_event};
    use turno_domain::engine::Event;

    /// Which variant an event is: the match fails to compile when the domain adds one, so that
    /// `every_event` (and a version of the record for it) follow.
    fn variant(event: &Event) -> usize {
        match event {
            Event::CaseStarted { .. } => 0,
            Event::WorkOpened { .. } => 1,
            Event::WorkCompleted { .. } => 2,
            Event::WorkTurned { .. } => 3,
            Event::DueChanged { .. } => 4,
            Event::DueRecounted { .. } => 5,
            Event::ClockSuspended { .. } => 6,
            Event::ClockResumed { .. } => 7,
            Event::DeadlinePassed { .. } => 8,
            Event::ActivityExpired { .. } => 9,
            Event::SubprocedureRequested { .. } => 10,
            Event::SubprocedureEnded { .. } => 11,
            Event::DocumentAttached { .. } => 12,
            Event::CaseEnded { .. } => 13,
            Event::CaseCancelled { .. } => 14,
            Event::TurnWithdrawn { .. } => 15,
        }
    }

    /// Version 1's text reads as the domain's events it meant, and the kinds it has are
    /// still written in that text (now under version 2).
    #[test]
    fn every_event_round_trips_through_its_stored_form() {
        let events = every_event();
        let variants: Vec<usize> = events.iter().map(variant).collect();
        let kinds = EVERY_EVENT_JSON.len() + VERSION_2_JSON.len();
        assert_eq!(variants, (0..kinds).collect::<Vec<_>>());
        for (event, stored) in events.into_iter().zip(EVERY_EVENT_JSON) {
            let record = EventRecord::of(&event);
            assert_eq!(record.payload().unwrap(), stored, "written as before");
            let read = EventRecord::read(1, stored).unwrap();
            assert_eq!(read.kind(), record.kind());
            assert!(stored.starts_with(&format!(r#"{{"event":"{}""#, read.kind())));
            assert_eq!(read.into_event(), event, "read back as the domain's");
        }
    }

    /// Events recorded before due dates kept their basis have none, and keep their text.
    #[test]
    fn events_recorded_before_the_due_basis_keep_their_text() {
        for text in [
            r#"{"event":"work_opened","item":1,"activity":0,"participant":null,"at":"2026-03-02T16:00:00Z","due":"2026-03-16"}"#,
            r#"{"event":"due_changed","item":1,"due":null}"#,
            r#"{"event":"clock_resumed","item":1,"at":"2026-03-02T16:00:00Z","on":"2026-03-02","by":{"user":"ana","participant":null},"due":"2026-03-09"}"#,
        ] {
            let event = EventRecord::read(1, text).unwrap().into_event();
            assert_eq!(EventRecord::of(&event).payload().unwrap(), text);
        }
    }
}
