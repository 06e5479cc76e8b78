//! turno-cli's integration tests, one binary: each module is one area (a file used to be one
//! test binary; one binary links once and shares the helpers in `common`).

#![allow(
    clippy::unwrap_used,
    clippy::panic,
    reason = "a test fails by panicking, with the value or the message it did not expect"
)]

// First, so that its macros are in scope for the modules below.
#[macro_use]
mod common;
mod anywhere_cli;
mod archive_cli;
mod asm_cli;
mod backup_cli;
mod bpmn_export_cli;
mod bpmn_import_cli;
mod calendar_cli;
mod calendar_import_cli;
mod calls_cli;
mod correspondence_cli;
mod firma_cli;
mod import_cli;
mod manual_cli;
mod official_manual_cli;
mod petitions_cli;
mod procedures_cli;
mod round_trip_cli;
mod scheduler_cli;
mod token_cli;
mod user_cli;
mod xes_cli;
