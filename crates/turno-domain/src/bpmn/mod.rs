//! BPMN 2.0: process models in and out of Turno's definitions (`docs/bpmn.md`).

pub mod import;
