//! The pure domain of Turno: procedure definitions, their validation, the engine that runs
//! cases on them, the business-day calendar, the organization and follow-up programs.
//!
//! Architecture invariant: this crate does no IO and no async. It receives texts and the
//! current time as arguments and returns values and events; storage, HTTP and files live in
//! the crates around it.

pub mod archive;
pub mod bpmn;
pub mod calendar;
pub mod citizen;
pub mod correspondence;
pub mod definition;
pub mod diagnostic;
pub mod engine;
pub mod followup;
pub mod indicators;
pub mod library;
pub mod manual;
pub mod mining;
pub mod official_manual;
pub mod org;
pub mod recurrence;
pub mod sheet;
pub mod simulate;
pub mod text;
