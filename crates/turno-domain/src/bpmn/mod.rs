//! BPMN 2.0: procedures to and from the notation modelers and engines read (`docs/bpmn.md`).

pub mod export;
pub mod import;
