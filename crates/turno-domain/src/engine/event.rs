//! What happened to a case. Every engine call returns these; the store persists them in order
//! and a case's state is the fold of its events ([`super::Case::apply`]).

use super::context::Calendars;
use super::value::Value;
use crate::calendar::{CalendarError, Regime};
use crate::definition::{ActivityId, DayKind, ParticipantId};
use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Number of a work item inside its case: one activity turned to one unit (or to any of its
/// responsible units).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct WorkItemId(pub u32);

/// Who did something: a user, acting for one of the procedure's participants. Without a
/// participant the caller has authorized the action itself (an administrator, the scheduler).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Actor {
    pub user: String,
    pub participant: Option<ParticipantId>,
    /// The titular whose place the user takes (a suplencia): the record shows both.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub substituting: Option<String>,
}

impl Actor {
    pub fn system() -> Actor {
        Actor {
            user: "sistema".into(),
            participant: None,
            substituting: None,
        }
    }
}

/// How a due date was counted: `days` from `from` on the calendar of `regime`. Kept with the
/// work item so that a calendar change can count it again ([`super::recount`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DueBasis {
    pub from: Date,
    /// Negative for terms counted back ("10 días hábiles antes").
    pub days: i32,
    pub kind: DayKind,
    pub regime: Regime,
}

impl DueBasis {
    /// The due date on these calendars.
    pub fn count(&self, calendars: &Calendars) -> Result<Date, CalendarError> {
        let calendar = calendars.get(self.regime);
        match self.kind {
            DayKind::Business => calendar.add_business_days(self.from, self.days),
            DayKind::Natural => calendar.add_natural_days(self.from, self.days),
        }
    }
}

/// A person's e.firma over a completion, verified before the engine ran (docs/efirma.md): who
/// signed, with which certificate, when the server verified it, and the SHA-256 of the bytes
/// signed, which are `signed_text` of the completion on the case `folio`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signature {
    /// The case's folio, as the signed text names it.
    pub folio: String,
    /// The certificate's common name.
    pub signer: String,
    pub rfc: Option<String>,
    pub curp: Option<String>,
    /// The certificate's serial number (the SAT's twenty digits; others in hexadecimal).
    pub serial: String,
    pub issuer: String,
    /// The signer's certificate, DER.
    pub certificate: Vec<u8>,
    /// The detached CMS signature, DER.
    pub cms: Vec<u8>,
    /// When the server verified it.
    pub verified_at: Timestamp,
    /// SHA-256 of the signed bytes, lowercase hexadecimal.
    pub digest: String,
}

// Not serializable: the store records events in a versioned form of its own
// (turno-store's `record`), the API answers them in its own (turno-web's `api::events`).
#[derive(Debug, Clone, PartialEq)]
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
        item: WorkItemId,
        activity: ActivityId,
        /// The unit it is turned to; `None` when any of the activity's responsible may do it.
        participant: Option<ParticipantId>,
        at: Timestamp,
        due: Option<Date>,
        basis: Option<DueBasis>,
    },
    WorkCompleted {
        item: WorkItemId,
        at: Timestamp,
        on: Date,
        by: Actor,
        /// The outside party whose action the user recorded.
        on_behalf_of: Option<ParticipantId>,
        /// The branch answer of a decision.
        outcome: Option<String>,
        fields: BTreeMap<String, Value>,
        observations: Option<String>,
        /// The e.firma over it, when the activity asks for one.
        signature: Option<Box<Signature>>,
    },
    /// An open work item turned to another unit for its attention ("turnar"): the unit gets a
    /// work item of its own on the same activity, and its answer comes back to `from`.
    WorkTurned {
        item: WorkItemId,
        from: WorkItemId,
        activity: ActivityId,
        /// The unit's code; the caller checked that it exists.
        unit: String,
        at: Timestamp,
        by: Actor,
        due: Option<Date>,
        instruction: String,
        basis: Option<DueBasis>,
    },
    /// A turn given by mistake taken back before the unit answered: its work item closes. The
    /// turns the unit gave of its part are withdrawn with it, each by an event of its own
    /// recorded before. Where the case goes does not change.
    TurnWithdrawn {
        /// The turn's work item.
        item: WorkItemId,
        at: Timestamp,
        by: Actor,
        reason: String,
    },
    /// A field the deadline counts from was set or changed.
    DueChanged {
        item: WorkItemId,
        due: Option<Date>,
        basis: Option<DueBasis>,
    },
    /// The calendar changed (a día inhábil added or removed) and the due date, counted again
    /// from the same basis, moved.
    DueRecounted {
        item: WorkItemId,
        previous: Date,
        due: Date,
        /// What changed in the calendar, in words.
        reason: String,
        at: Timestamp,
    },
    /// The work's clock stopped (the term allows it): the days left wait for the resumption.
    ClockSuspended {
        item: WorkItemId,
        at: Timestamp,
        on: Date,
        by: Actor,
        reason: String,
        /// Business (or natural, as the term counts) days the term had left.
        days_left: i32,
    },
    /// The clock runs again: the due date is the days left counted from today.
    ClockResumed {
        item: WorkItemId,
        at: Timestamp,
        on: Date,
        by: Actor,
        due: Option<Date>,
        basis: Option<DueBasis>,
    },
    /// The due date passed with the work still open.
    DeadlinePassed {
        item: WorkItemId,
        at: Timestamp,
        due: Date,
    },
    /// The expiry path was taken: every open work item of the activity closes as expired.
    ActivityExpired {
        activity: ActivityId,
        at: Timestamp,
    },
    SubprocedureRequested {
        item: WorkItemId,
        procedure: String,
    },
    SubprocedureEnded {
        item: WorkItemId,
        at: Timestamp,
        on: Date,
        /// The sub-case, as the caller identifies it (its folio).
        case: String,
    },
    /// A document added to the case (an oficio, evidence, the signed results). The file itself
    /// is kept by content: its SHA-256 here lets verification detect a changed file.
    DocumentAttached {
        at: Timestamp,
        by: Actor,
        /// The work item the document answers, if any.
        item: Option<WorkItemId>,
        name: String,
        mime: String,
        size: u64,
        sha256: String,
    },
    CaseEnded {
        at: Timestamp,
        activity: ActivityId,
    },
    CaseCancelled {
        at: Timestamp,
        by: Actor,
        reason: String,
    },
}

impl Event {
    /// Who did it, for the events a person does.
    pub fn actor(&self) -> Option<&Actor> {
        match self {
            Event::CaseStarted { by, .. }
            | Event::WorkTurned { by, .. }
            | Event::TurnWithdrawn { by, .. }
            | Event::WorkCompleted { by, .. }
            | Event::ClockSuspended { by, .. }
            | Event::ClockResumed { by, .. }
            | Event::DocumentAttached { by, .. }
            | Event::CaseCancelled { by, .. } => Some(by),
            Event::WorkOpened { .. }
            | Event::DueChanged { .. }
            | Event::DueRecounted { .. }
            | Event::DeadlinePassed { .. }
            | Event::ActivityExpired { .. }
            | Event::SubprocedureRequested { .. }
            | Event::SubprocedureEnded { .. }
            | Event::CaseEnded { .. } => None,
        }
    }
}
