//! turno-domain's integration tests, one binary: each module is one area (a file used to be one
//! test binary; one binary links once and shares the helpers in `common`).

#![allow(
    clippy::unwrap_used,
    clippy::panic,
    reason = "a test fails by panicking, with the value or the message it did not expect"
)]

// First, so that its macros are in scope for the modules below.
#[macro_use]
mod common;
mod archive;
mod bpmn;
mod bpmn_import;
mod citizen;
mod engine;
mod engine_properties;
mod followup_asm;
mod indicators;
mod legal_terms;
mod manual;
mod mining;
mod official_manual;
mod org;
mod org_data;
mod seed_library;
mod signed;
mod validation;
