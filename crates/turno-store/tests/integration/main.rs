//! turno-store's integration tests, one binary: each module is one area (a file used to be one
//! test binary; one binary links once and shares the helpers in `common`).

#![allow(
    clippy::unwrap_used,
    clippy::panic,
    reason = "a test fails by panicking, with the value or the message it did not expect"
)]

// First, so that its macros (`on_both_backends!`) are in scope for the modules below.
#[macro_use]
mod common;
mod archive;
mod archive_move;
mod attachments;
mod backup;
mod calendar;
mod citizen;
mod correspondence_incoming;
mod correspondence_links;
mod correspondence_outgoing;
mod correspondence_search;
mod delegations;
mod followup;
mod identity;
mod indicators;
mod organization;
mod procedure_drafts;
mod s3;
mod schedules;
mod seal;
mod search;
mod signatures;
mod storage;
mod sweep;
mod tablero_fill;
mod text_rules;
mod visits;
