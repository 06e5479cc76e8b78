//! The engine: runs cases on validated procedures. Deterministic and pure: every operation
//! takes the case, the definition and a [`Context`] (time and calendars) and returns the
//! events to persist, already applied to the case.

mod case;
mod commands;
mod context;
mod due;
mod error;
mod event;
mod signed;
mod value;

pub use case::{Case, CaseStatus, Suspension, Turned, WorkItem};
pub use commands::{
    Attach, ClockCommand, Complete, MAX_TURN_DAYS, Start, Turn, Withdraw, attach_document, cancel,
    complete, pass_time, recount, resume, start, subprocedure_ended, suspend, turn, turned_to,
    withdraw,
};
pub use context::{Calendars, Context};
pub use due::{DueStatus, Thresholds, term_start};
pub use error::EngineError;
pub use event::{Actor, DueBasis, Event, Signature, WorkItemId};
pub use signed::signed_text;
pub use value::Value;
