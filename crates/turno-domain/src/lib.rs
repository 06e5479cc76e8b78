//! The pure domain of Turno: procedure definitions, their validation, the engine that runs
//! cases on them, and the business-day calendar.
//!
//! Architecture invariant: this crate does no IO and no async. It receives texts and the
//! current time as arguments and returns values and events; storage, HTTP and files live in
//! the crates around it.

pub mod calendar;
pub mod citizen;
pub mod definition;
pub mod diagnostic;
pub mod engine;
pub mod library;
pub mod org;
pub mod simulate;
pub mod text;
