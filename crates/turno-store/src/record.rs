//! The stored form of events: the text written in `events.payload` and hashed into the case's
//! chain, and its kind (`events.kind`), under the version in `events.schema_version`.
//!
//! It is a contract of its own, apart from the domain's `Event` (which may change with the
//! engine) and from the API's output (`turno-web`'s `api::events`): the domain converts to the
//! current version when an event is recorded, and every stored version converts back (older
//! ones upcast) when it is read. A recorded version is never edited, since its events are
//! hashed as written; docs/event-versions.md says how to add one.

mod v1;
mod v2;
mod v3;

use thiserror::Error;
use turno_domain::engine::Event;

/// The version whose events were hashed before versions were stored: their hash leaves the
/// version out (`chain::hash`).
pub const UNHASHED_VERSION: i64 = v1::VERSION;

/// An event as stored, in the version it was recorded in.
#[derive(Debug, Clone, PartialEq)]
pub enum EventRecord {
    V1(v1::Event),
    V2(v2::Event),
    V3(v3::Event),
}

/// Why a stored event cannot be read.
#[derive(Debug, Error)]
pub enum RecordError {
    /// Written by a later version of Turno (or changed behind its back).
    #[error("its version {0} is unknown to this version of Turno")]
    UnknownVersion(i64),
    #[error("it is not an event of version {version}: {source}")]
    Unreadable {
        version: i64,
        #[source]
        source: serde_json::Error,
    },
}

impl EventRecord {
    /// The domain's event in the version new events are recorded in.
    pub fn of(event: &Event) -> EventRecord {
        EventRecord::V3(v3::Event::from(event))
    }

    /// Reads stored text of the given version.
    pub fn read(version: i64, payload: &str) -> Result<EventRecord, RecordError> {
        let unreadable = |source| RecordError::Unreadable { version, source };
        match version {
            v1::VERSION => serde_json::from_str(payload)
                .map(EventRecord::V1)
                .map_err(unreadable),
            v2::VERSION => serde_json::from_str(payload)
                .map(EventRecord::V2)
                .map_err(unreadable),
            v3::VERSION => serde_json::from_str(payload)
                .map(EventRecord::V3)
                .map_err(unreadable),
            other => Err(RecordError::UnknownVersion(other)),
        }
    }

    pub fn version(&self) -> i64 {
        match self {
            EventRecord::V1(_) => v1::VERSION,
            EventRecord::V2(_) => v2::VERSION,
            EventRecord::V3(_) => v3::VERSION,
        }
    }

    /// The `kind` column, hashed with the payload.
    pub fn kind(&self) -> &'static str {
        match self {
            EventRecord::V1(event) => event.kind(),
            EventRecord::V2(event) => event.kind(),
            EventRecord::V3(event) => event.kind(),
        }
    }

    /// The text stored and hashed.
    pub fn payload(&self) -> Result<String, serde_json::Error> {
        match self {
            EventRecord::V1(event) => serde_json::to_string(event),
            EventRecord::V2(event) => serde_json::to_string(event),
            EventRecord::V3(event) => serde_json::to_string(event),
        }
    }

    /// The domain's event, whatever the version it was recorded in.
    pub fn into_event(self) -> Event {
        match self {
            // One conversion to the domain: versions 1 and 2 read through version 3.
            EventRecord::V1(event) => v3::Event::from(v2::Event::from(event)).into(),
            EventRecord::V2(event) => v3::Event::from(event).into(),
            EventRecord::V3(event) => event.into(),
        }
    }
}

/// A stored event's text with the version it is written in, as a row holds them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Payload {
    pub version: i64,
    pub text: String,
}

impl Payload {
    /// The domain's event it records.
    pub fn event(&self) -> Result<Event, RecordError> {
        EventRecord::read(self.version, &self.text).map(EventRecord::into_event)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unknown_version_or_foreign_text_is_an_error() {
        let text = r#"{"event":"due_changed","item":1,"due":null}"#;
        assert!(matches!(
            EventRecord::read(4, text),
            Err(RecordError::UnknownVersion(4))
        ));
        assert!(matches!(
            EventRecord::read(0, text),
            Err(RecordError::UnknownVersion(0))
        ));
        assert!(matches!(
            EventRecord::read(1, r#"{"event":"due_moved","item":1}"#),
            Err(RecordError::Unreadable { version: 1, .. })
        ));
        let record = EventRecord::read(1, text).unwrap();
        assert_eq!((record.version(), record.kind()), (1, "due_changed"));
        assert_eq!(record.payload().unwrap(), text);
    }
}
