//! A case's events as the API answers them. This form is the API's own, documented in the
//! OpenAPI document: it is built from the domain's events, not from the form the store records
//! (turno-store's `record`), so that the stored form may gain a version without changing the
//! API, and the API may change without touching a hashed record. It keeps the shape the API
//! has always answered: `event` names the kind; activities and participants are indexes into
//! the procedure's definition (`GET /api/v1/procedures/{key}`).

use serde::Serialize;
use std::collections::BTreeMap;
use turno_domain::engine;
use utoipa::ToSchema;

/// What happened, by kind.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum EventPayload {
    /// The case was registered.
    CaseStarted {
        /// The procedure's key.
        procedure: String,
        /// The procedure's version the case runs on.
        version: u32,
        #[schema(format = DateTime)]
        at: String,
        /// The agency's day.
        #[schema(format = Date)]
        on: String,
        by: EventActor,
        /// The fields given at registration, by name.
        fields: BTreeMap<String, EventValue>,
    },
    /// Work on an activity was opened.
    WorkOpened {
        /// The work item's number in the case.
        item: u32,
        /// The activity's index in the procedure.
        activity: u16,
        /// The participant's index it is for; absent when any responsible may do it.
        participant: Option<u16>,
        #[schema(format = DateTime)]
        at: String,
        #[schema(format = Date)]
        due: Option<String>,
        /// How the due date was counted, when it was.
        #[serde(skip_serializing_if = "Option::is_none")]
        basis: Option<DueBasis>,
    },
    /// A work item was answered.
    WorkCompleted {
        item: u32,
        #[schema(format = DateTime)]
        at: String,
        #[schema(format = Date)]
        on: String,
        by: EventActor,
        /// The outside participant's index whose action was recorded.
        on_behalf_of: Option<u16>,
        /// The answer of a decision.
        outcome: Option<String>,
        fields: BTreeMap<String, EventValue>,
        observations: Option<String>,
        /// The e.firma it was completed with, for an activity that asks for one.
        #[serde(skip_serializing_if = "Option::is_none")]
        signature: Option<Box<EventSignature>>,
    },
    /// A work item was turned to a unit, which got a work item of its own.
    WorkTurned {
        /// The new work item.
        item: u32,
        /// The work item it was turned from.
        from: u32,
        activity: u16,
        /// The unit's code.
        unit: String,
        #[schema(format = DateTime)]
        at: String,
        by: EventActor,
        #[schema(format = Date)]
        due: Option<String>,
        instruction: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        basis: Option<DueBasis>,
    },
    /// A work item's due date was set or changed.
    DueChanged {
        item: u32,
        #[schema(format = Date)]
        due: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        basis: Option<DueBasis>,
    },
    /// The calendar changed and a due date, counted again, moved.
    DueRecounted {
        item: u32,
        #[schema(format = Date)]
        previous: String,
        #[schema(format = Date)]
        due: String,
        reason: String,
        #[schema(format = DateTime)]
        at: String,
    },
    /// A work item's clock stopped.
    ClockSuspended {
        item: u32,
        #[schema(format = DateTime)]
        at: String,
        #[schema(format = Date)]
        on: String,
        by: EventActor,
        reason: String,
        /// Days the term had left.
        days_left: i32,
    },
    /// A work item's clock runs again.
    ClockResumed {
        item: u32,
        #[schema(format = DateTime)]
        at: String,
        #[schema(format = Date)]
        on: String,
        by: EventActor,
        #[schema(format = Date)]
        due: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        basis: Option<DueBasis>,
    },
    /// A work item's due date passed with the work open.
    DeadlinePassed {
        item: u32,
        #[schema(format = DateTime)]
        at: String,
        #[schema(format = Date)]
        due: String,
    },
    /// An activity's term expired and its expiry path was taken.
    ActivityExpired {
        activity: u16,
        #[schema(format = DateTime)]
        at: String,
    },
    /// A sub-procedure was asked for.
    SubprocedureRequested {
        item: u32,
        /// The sub-procedure's key.
        procedure: String,
    },
    /// The sub-procedure's case ended.
    SubprocedureEnded {
        item: u32,
        #[schema(format = DateTime)]
        at: String,
        #[schema(format = Date)]
        on: String,
        /// The sub-case's folio.
        case: String,
    },
    /// A document was attached.
    DocumentAttached {
        #[schema(format = DateTime)]
        at: String,
        by: EventActor,
        /// The work item the document answers.
        item: Option<u32>,
        name: String,
        mime: String,
        /// Bytes.
        size: u64,
        /// The file's SHA-256, in hexadecimal.
        sha256: String,
    },
    /// The case reached an end.
    CaseEnded {
        #[schema(format = DateTime)]
        at: String,
        /// The activity it ended on.
        activity: u16,
    },
    /// The case was cancelled.
    CaseCancelled {
        #[schema(format = DateTime)]
        at: String,
        by: EventActor,
        reason: String,
    },
    /// A turn was withdrawn before its unit answered: its work item closed.
    TurnWithdrawn {
        /// The turn's work item.
        item: u32,
        #[schema(format = DateTime)]
        at: String,
        by: EventActor,
        reason: String,
    },
}

/// An e.firma verified when the activity was completed (docs/efirma.md): over the text
/// `POST /api/v1/cases/{folio}/work/{item}/signed-text` answered for that completion.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct EventSignature {
    /// The certificate's common name.
    pub signer: String,
    pub rfc: Option<String>,
    pub curp: Option<String>,
    /// The certificate's number (the SAT's twenty digits; others in hexadecimal).
    pub serial: String,
    /// The authority that issued the certificate.
    pub issuer: String,
    /// When Turno verified it (RFC 3339).
    #[schema(format = DateTime)]
    pub verified_at: String,
    /// SHA-256 of the signed text, hexadecimal.
    pub digest: String,
    /// The certificate, DER in base64.
    #[schema(format = Byte)]
    pub certificate: String,
    /// The detached CMS signature, DER in base64.
    #[schema(format = Byte)]
    pub cms: String,
}

impl From<&engine::Signature> for EventSignature {
    fn from(signature: &engine::Signature) -> EventSignature {
        use base64::Engine as _;
        use base64::engine::general_purpose::STANDARD;
        EventSignature {
            signer: signature.signer.clone(),
            rfc: signature.rfc.clone(),
            curp: signature.curp.clone(),
            serial: signature.serial.clone(),
            issuer: signature.issuer.clone(),
            verified_at: signature.verified_at.to_string(),
            digest: signature.digest.clone(),
            certificate: STANDARD.encode(&signature.certificate),
            cms: STANDARD.encode(&signature.cms),
        }
    }
}

/// Who did it.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct EventActor {
    /// The login.
    pub user: String,
    /// The participant's index the user acted as; absent for the system and administrators.
    pub participant: Option<u16>,
    /// The titular's login whose place the user took (a suplencia).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub substituting: Option<String>,
}

/// A field's value with its type.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
#[serde(tag = "type", content = "value", rename_all = "snake_case")]
pub enum EventValue {
    Text(String),
    Integer(i64),
    /// As written, with a point: `1250.50`.
    Decimal(String),
    /// `AAAA-MM-DD`.
    Date(String),
    Boolean(bool),
    /// Participant keys.
    Participants(Vec<String>),
}

/// How a due date was counted: `days` from `from` on the calendar of `regime`.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct DueBasis {
    #[schema(format = Date)]
    pub from: String,
    /// Negative when counted back.
    pub days: i32,
    pub kind: DayKind,
    pub regime: Regime,
}

/// Which days a term counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
pub enum DayKind {
    /// Días hábiles.
    Business,
    /// Días naturales.
    Natural,
}

/// The calendar a term counts on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Regime {
    /// Ley Federal del Trabajo, art. 74.
    Lft,
    /// Ley Federal de Procedimiento Administrativo, art. 28.
    Lfpa,
}

impl EventPayload {
    /// The kind, as `event` names it.
    pub fn kind(&self) -> &'static str {
        match self {
            EventPayload::CaseStarted { .. } => "case_started",
            EventPayload::WorkOpened { .. } => "work_opened",
            EventPayload::WorkCompleted { .. } => "work_completed",
            EventPayload::WorkTurned { .. } => "work_turned",
            EventPayload::DueChanged { .. } => "due_changed",
            EventPayload::DueRecounted { .. } => "due_recounted",
            EventPayload::ClockSuspended { .. } => "clock_suspended",
            EventPayload::ClockResumed { .. } => "clock_resumed",
            EventPayload::DeadlinePassed { .. } => "deadline_passed",
            EventPayload::ActivityExpired { .. } => "activity_expired",
            EventPayload::SubprocedureRequested { .. } => "subprocedure_requested",
            EventPayload::SubprocedureEnded { .. } => "subprocedure_ended",
            EventPayload::DocumentAttached { .. } => "document_attached",
            EventPayload::CaseEnded { .. } => "case_ended",
            EventPayload::CaseCancelled { .. } => "case_cancelled",
            EventPayload::TurnWithdrawn { .. } => "turn_withdrawn",
        }
    }
}

fn fields(fields: &BTreeMap<String, engine::Value>) -> BTreeMap<String, EventValue> {
    fields
        .iter()
        .map(|(name, value)| (name.clone(), EventValue::from(value)))
        .collect()
}

fn date(day: jiff::civil::Date) -> String {
    day.to_string()
}

impl From<&engine::Event> for EventPayload {
    fn from(event: &engine::Event) -> EventPayload {
        use engine::Event as E;
        match event {
            E::CaseStarted {
                procedure,
                version,
                at,
                on,
                by,
                fields: given,
            } => EventPayload::CaseStarted {
                procedure: procedure.clone(),
                version: *version,
                at: at.to_string(),
                on: date(*on),
                by: by.into(),
                fields: fields(given),
            },
            E::WorkOpened {
                item,
                activity,
                participant,
                at,
                due,
                basis,
            } => EventPayload::WorkOpened {
                item: item.0,
                activity: activity.0,
                participant: participant.map(|p| p.0),
                at: at.to_string(),
                due: due.map(date),
                basis: basis.map(Into::into),
            },
            E::WorkCompleted {
                item,
                at,
                on,
                by,
                on_behalf_of,
                outcome,
                fields: given,
                observations,
                signature,
            } => EventPayload::WorkCompleted {
                item: item.0,
                at: at.to_string(),
                on: date(*on),
                by: by.into(),
                on_behalf_of: on_behalf_of.map(|p| p.0),
                outcome: outcome.clone(),
                fields: fields(given),
                observations: observations.clone(),
                signature: signature
                    .as_deref()
                    .map(|s| Box::new(EventSignature::from(s))),
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
            } => EventPayload::WorkTurned {
                item: item.0,
                from: from.0,
                activity: activity.0,
                unit: unit.clone(),
                at: at.to_string(),
                by: by.into(),
                due: due.map(date),
                instruction: instruction.clone(),
                basis: basis.map(Into::into),
            },
            E::DueChanged { item, due, basis } => EventPayload::DueChanged {
                item: item.0,
                due: due.map(date),
                basis: basis.map(Into::into),
            },
            E::DueRecounted {
                item,
                previous,
                due,
                reason,
                at,
            } => EventPayload::DueRecounted {
                item: item.0,
                previous: date(*previous),
                due: date(*due),
                reason: reason.clone(),
                at: at.to_string(),
            },
            E::ClockSuspended {
                item,
                at,
                on,
                by,
                reason,
                days_left,
            } => EventPayload::ClockSuspended {
                item: item.0,
                at: at.to_string(),
                on: date(*on),
                by: by.into(),
                reason: reason.clone(),
                days_left: *days_left,
            },
            E::ClockResumed {
                item,
                at,
                on,
                by,
                due,
                basis,
            } => EventPayload::ClockResumed {
                item: item.0,
                at: at.to_string(),
                on: date(*on),
                by: by.into(),
                due: due.map(date),
                basis: basis.map(Into::into),
            },
            E::DeadlinePassed { item, at, due } => EventPayload::DeadlinePassed {
                item: item.0,
                at: at.to_string(),
                due: date(*due),
            },
            E::ActivityExpired { activity, at } => EventPayload::ActivityExpired {
                activity: activity.0,
                at: at.to_string(),
            },
            E::SubprocedureRequested { item, procedure } => EventPayload::SubprocedureRequested {
                item: item.0,
                procedure: procedure.clone(),
            },
            E::SubprocedureEnded { item, at, on, case } => EventPayload::SubprocedureEnded {
                item: item.0,
                at: at.to_string(),
                on: date(*on),
                case: case.clone(),
            },
            E::DocumentAttached {
                at,
                by,
                item,
                name,
                mime,
                size,
                sha256,
            } => EventPayload::DocumentAttached {
                at: at.to_string(),
                by: by.into(),
                item: item.map(|i| i.0),
                name: name.clone(),
                mime: mime.clone(),
                size: *size,
                sha256: sha256.clone(),
            },
            E::CaseEnded { at, activity } => EventPayload::CaseEnded {
                at: at.to_string(),
                activity: activity.0,
            },
            E::CaseCancelled { at, by, reason } => EventPayload::CaseCancelled {
                at: at.to_string(),
                by: by.into(),
                reason: reason.clone(),
            },
            E::TurnWithdrawn {
                item,
                at,
                by,
                reason,
            } => EventPayload::TurnWithdrawn {
                item: item.0,
                at: at.to_string(),
                by: by.into(),
                reason: reason.clone(),
            },
        }
    }
}

impl From<&engine::Actor> for EventActor {
    fn from(actor: &engine::Actor) -> EventActor {
        EventActor {
            user: actor.user.clone(),
            participant: actor.participant.map(|p| p.0),
            substituting: actor.substituting.clone(),
        }
    }
}

impl From<&engine::Value> for EventValue {
    fn from(value: &engine::Value) -> EventValue {
        match value {
            engine::Value::Text(t) => EventValue::Text(t.clone()),
            engine::Value::Integer(n) => EventValue::Integer(*n),
            engine::Value::Decimal(d) => EventValue::Decimal(d.clone()),
            engine::Value::Date(d) => EventValue::Date(date(*d)),
            engine::Value::Boolean(b) => EventValue::Boolean(*b),
            engine::Value::Participants(keys) => EventValue::Participants(keys.clone()),
        }
    }
}

impl From<engine::DueBasis> for DueBasis {
    fn from(basis: engine::DueBasis) -> DueBasis {
        use turno_domain::{calendar, definition};
        DueBasis {
            from: date(basis.from),
            days: basis.days,
            kind: match basis.kind {
                definition::DayKind::Business => DayKind::Business,
                definition::DayKind::Natural => DayKind::Natural,
            },
            regime: match basis.regime {
                calendar::Regime::Lft => Regime::Lft,
                calendar::Regime::Lfpa => Regime::Lfpa,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::EventPayload;
    use turno_store::fixtures::{EVERY_EVENT_JSON, VERSION_2_JSON, every_event};

    /// The API answers every event as it did when its payload was the stored text (and a
    /// withdrawn turn as version 2 stores it).
    #[test]
    fn every_event_keeps_the_shape_the_api_answered() {
        let answered = EVERY_EVENT_JSON.iter().chain(&VERSION_2_JSON);
        assert_eq!(every_event().len(), answered.clone().count());
        for (event, answered) in every_event().iter().zip(answered) {
            let payload = EventPayload::from(event);
            assert_eq!(serde_json::to_string(&payload).unwrap(), *answered);
            assert!(answered.starts_with(&format!(r#"{{"event":"{}""#, payload.kind())));
        }
    }

    /// A signed completion shows its signer, certificate, time and digest.
    #[test]
    fn a_signed_completion_shows_its_signature() {
        let payload = serde_json::to_value(EventPayload::from(
            &turno_store::fixtures::signed_completion(),
        ))
        .unwrap();
        let signature = &payload["signature"];
        assert_eq!(signature["signer"], "ANA GÓMEZ");
        assert_eq!(signature["serial"], "00001000000500000001");
        assert_eq!(signature["verified_at"], "2026-03-02T16:00:00Z");
        assert_eq!(signature["digest"], "0123456789abcdef".repeat(4));
        assert_eq!(signature["certificate"], "AQID");
    }

    #[test]
    fn the_openapi_document_describes_every_kind() {
        let document = serde_json::to_value(crate::api::openapi()).unwrap();
        let payload = &document["components"]["schemas"]["EventPayload"];
        let kinds: Vec<&str> = payload["oneOf"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|kind| kind["properties"]["event"]["enum"][0].as_str())
            .collect();
        let expected: Vec<&str> = every_event()
            .iter()
            .map(|e| EventPayload::from(e).kind())
            .collect();
        assert_eq!(kinds, expected, "{payload:#}");
    }
}
