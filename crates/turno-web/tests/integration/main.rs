//! turno-web's integration tests, one binary: each module is one area (a file used to be one
//! test binary; one binary links once and shares the helpers in `common`).

#![allow(
    clippy::unwrap_used,
    clippy::panic,
    reason = "a test fails by panicking, with the value or the message it did not expect"
)]

// First, so that its macros (`on_both_backends!`) are in scope for the modules below.
#[macro_use]
mod common;
mod admin;
mod api;
mod archive;
mod archive_move;
mod authorization;
mod browser;
mod clock;
mod correspondence_import;
mod correspondence_incoming;
mod correspondence_links;
mod correspondence_notices;
mod correspondence_outgoing;
mod correspondence_report;
mod correspondence_search;
mod directions;
mod documents;
mod efirma;
mod flowchart;
mod followup;
mod forms;
mod handling;
mod indicators;
mod mailbox;
mod manual;
mod mining;
mod notifications;
mod organigrama;
mod pages;
mod people;
mod procedure_drafts;
mod recurring;
mod report;
mod search;
mod sign_in;
mod tablero;
mod test_app;
mod text_rules;
mod visibility;
mod visits;
mod webdriver;
