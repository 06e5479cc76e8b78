//! Version 3 of the stored events: the kinds version 2 has, in version 2's text (its frozen
//! types, reused as they are), and a work item completed with the person's e.firma
//! (`work_completed` with its `signature`: the signer, the certificate, the CMS signature and
//! the SHA-256 of the signed text), which version 2 cannot say. Never edit it once recorded
//! (docs/event-versions.md). Version 1 and 2 events read as version 3 unchanged.

use super::{v1, v2};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use turno_domain::{definition, engine};

pub(super) const VERSION: i64 = 3;

/// A version 3 event: what version 3 adds, or one of version 2's kinds in its text. Untagged:
/// a `work_completed` with a `signature` is version 3's; without one it is version 1's text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Event {
    Added(Added),
    Earlier(v2::Event),
}

/// The kinds version 3 adds; the declaration order of the fields is the order of the JSON.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum Added {
    /// A completion signed with e.firma: version 1's `work_completed` and its signature.
    WorkCompleted {
        item: u32,
        at: Timestamp,
        on: Date,
        by: v1::Actor,
        on_behalf_of: Option<u16>,
        outcome: Option<String>,
        fields: BTreeMap<String, v1::Value>,
        observations: Option<String>,
        signature: Box<Signature>,
    },
}

/// The e.firma of a completion as stored: DER in base64.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Signature {
    pub folio: String,
    pub signer: String,
    pub rfc: Option<String>,
    pub curp: Option<String>,
    pub serial: String,
    pub issuer: String,
    /// The certificate, DER in base64.
    pub certificate: String,
    /// The detached CMS signature, DER in base64.
    pub cms: String,
    pub verified_at: Timestamp,
    /// SHA-256 of the signed text, lowercase hexadecimal.
    pub digest: String,
}

impl Event {
    /// The `kind` column: the same name as the payload's `event`.
    pub(super) fn kind(&self) -> &'static str {
        match self {
            Event::Added(Added::WorkCompleted { .. }) => "work_completed",
            Event::Earlier(event) => event.kind(),
        }
    }
}

impl From<&engine::Event> for Event {
    fn from(event: &engine::Event) -> Event {
        // Version 2 says everything but a completion's signature, which version 3 adds.
        match (event, v2::Event::from(event)) {
            (
                engine::Event::WorkCompleted {
                    signature: Some(signature),
                    ..
                },
                v2::Event::Earlier(v1::Event::WorkCompleted {
                    item,
                    at,
                    on,
                    by,
                    on_behalf_of,
                    outcome,
                    fields,
                    observations,
                }),
            ) => Event::Added(Added::WorkCompleted {
                item,
                at,
                on,
                by,
                on_behalf_of,
                outcome,
                fields,
                observations,
                signature: Box::new(Signature::from((**signature).clone())),
            }),
            (_, earlier) => Event::Earlier(earlier),
        }
    }
}

/// What a version 2 event means in version 3: the same.
impl From<v2::Event> for Event {
    fn from(event: v2::Event) -> Event {
        Event::Earlier(event)
    }
}

impl From<Event> for engine::Event {
    fn from(event: Event) -> engine::Event {
        match event {
            Event::Earlier(event) => event.into(),
            Event::Added(Added::WorkCompleted {
                item,
                at,
                on,
                by,
                on_behalf_of,
                outcome,
                fields,
                observations,
                signature,
            }) => engine::Event::WorkCompleted {
                item: engine::WorkItemId(item),
                at,
                on,
                by: by.into(),
                on_behalf_of: on_behalf_of.map(definition::ParticipantId),
                outcome,
                fields: fields
                    .into_iter()
                    .map(|(name, value)| (name, value.into()))
                    .collect(),
                observations,
                signature: Some(Box::new((*signature).into())),
            },
        }
    }
}

impl From<engine::Signature> for Signature {
    fn from(signature: engine::Signature) -> Signature {
        let engine::Signature {
            folio,
            signer,
            rfc,
            curp,
            serial,
            issuer,
            certificate,
            cms,
            verified_at,
            digest,
        } = signature;
        Signature {
            folio,
            signer,
            rfc,
            curp,
            serial,
            issuer,
            certificate: STANDARD.encode(certificate),
            cms: STANDARD.encode(cms),
            verified_at,
            digest,
        }
    }
}

impl From<Signature> for engine::Signature {
    fn from(signature: Signature) -> engine::Signature {
        // Written by `From<engine::Signature>`, hashed into the chain: text that is not
        // base64 was changed behind Turno's back, and reads as no bytes (verification of the
        // signature then fails, and the chain already does).
        let der = |text: &str| STANDARD.decode(text).unwrap_or_default();
        engine::Signature {
            certificate: der(&signature.certificate),
            cms: der(&signature.cms),
            folio: signature.folio,
            signer: signature.signer,
            rfc: signature.rfc,
            curp: signature.curp,
            serial: signature.serial,
            issuer: signature.issuer,
            verified_at: signature.verified_at,
            digest: signature.digest,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::EventRecord;
    use crate::fixtures::{
        EVERY_EVENT_JSON, VERSION_2_JSON, VERSION_3_JSON, every_event, signed_completion,
    };

    /// Every event is written in version 3; the kinds of versions 1 and 2 keep their text, a
    /// signed completion is version 3's, and each reads back as the domain's event it was.
    #[test]
    fn every_event_round_trips_through_version_3() {
        let mut events = every_event();
        events.push(signed_completion());
        let texts = EVERY_EVENT_JSON
            .iter()
            .chain(&VERSION_2_JSON)
            .chain(&VERSION_3_JSON);
        assert_eq!(events.len(), texts.clone().count());
        for (event, stored) in events.into_iter().zip(texts) {
            let record = EventRecord::of(&event);
            assert_eq!(record.version(), 3);
            assert_eq!(record.payload().unwrap(), *stored);
            assert!(stored.starts_with(&format!(r#"{{"event":"{}""#, record.kind())));
            let read = EventRecord::read(3, stored).unwrap();
            assert_eq!(read.kind(), record.kind());
            assert_eq!(read.into_event(), event, "read back as the domain's");
        }
    }

    /// A signed completion is not read as version 1 or 2 (it would lose its signature).
    #[test]
    fn earlier_versions_cannot_hold_a_signature() {
        for version in [1, 2] {
            let read = EventRecord::read(version, VERSION_3_JSON[0]).map(|r| r.into_event());
            assert!(
                !matches!(
                    read,
                    Ok(turno_domain::engine::Event::WorkCompleted {
                        signature: Some(_),
                        ..
                    })
                ),
                "version {version}"
            );
        }
    }
}
