//! Version 2 of the stored events: the kinds version 1 has, in version 1's text (its frozen
//! types, reused as they are), and a turn withdrawn (`turn_withdrawn`), which version 1 cannot
//! say. Never edit it once recorded (docs/event-versions.md). Version 1 events read as
//! version 2 unchanged: every kind means what it meant.

use super::v1;
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use turno_domain::engine;

pub(super) const VERSION: i64 = 2;

/// A version 2 event: one of version 1's kinds, or one added in version 2. Untagged, so that
/// each writes its own text: version 1's kinds exactly as version 1 wrote them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Event {
    Added(Added),
    Earlier(v1::Event),
}

/// The kinds version 2 adds; the declaration order of the fields is the order of the JSON.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum Added {
    TurnWithdrawn {
        item: u32,
        at: Timestamp,
        by: v1::Actor,
        reason: String,
    },
}

impl Event {
    /// The `kind` column: the same name as the payload's `event`.
    pub(super) fn kind(&self) -> &'static str {
        match self {
            Event::Added(Added::TurnWithdrawn { .. }) => "turn_withdrawn",
            Event::Earlier(event) => event.kind(),
        }
    }
}

impl From<&engine::Event> for Event {
    fn from(event: &engine::Event) -> Event {
        match v1::Event::try_from(event) {
            Ok(earlier) => Event::Earlier(earlier),
            Err(added) => Event::Added(added),
        }
    }
}

/// What a version 1 event means in version 2: the same.
impl From<v1::Event> for Event {
    fn from(event: v1::Event) -> Event {
        Event::Earlier(event)
    }
}

impl From<Event> for engine::Event {
    fn from(event: Event) -> engine::Event {
        match event {
            Event::Earlier(event) => event.into(),
            Event::Added(Added::TurnWithdrawn {
                item,
                at,
                by,
                reason,
            }) => engine::Event::TurnWithdrawn {
                item: engine::WorkItemId(item),
                at,
                by: by.into(),
                reason,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::EventRecord;
    use crate::fixtures::{EVERY_EVENT_JSON, VERSION_2_JSON, every_event};

    /// Every event of version 2's kinds is still written in version 2's text (now under
    /// version 3), and each reads back as the domain's event it was.
    #[test]
    fn every_event_round_trips_through_version_2() {
        let texts = EVERY_EVENT_JSON.iter().chain(&VERSION_2_JSON);
        let events = every_event();
        assert_eq!(events.len(), EVERY_EVENT_JSON.len() + VERSION_2_JSON.len());
        for (event, stored) in events.into_iter().zip(texts) {
            let record = EventRecord::of(&event);
            assert_eq!(record.version(), 3);
            assert_eq!(record.payload().unwrap(), *stored);
            assert!(stored.starts_with(&format!(r#"{{"event":"{}""#, record.kind())));
            let read = EventRecord::read(2, stored).unwrap();
            assert_eq!(read.kind(), record.kind());
            assert_eq!(read.into_event(), event, "read back as the domain's");
        }
    }

    /// A kind version 1 does not have is not read as version 1.
    #[test]
    fn version_1_cannot_hold_a_withdrawn_turn() {
        assert!(EventRecord::read(1, VERSION_2_JSON[0]).is_err());
    }
}
