//! Correspondence (issue 17, `docs/correspondence.md`): what the store keeps of the documents
//! an office issues (`outgoing`, migration 0026), with their numbers.

pub mod outgoing;

pub use outgoing::Outgoing;
