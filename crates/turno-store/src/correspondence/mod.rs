//! Correspondence in the database (issue 17, docs/correspondence.md): the incoming documents and
//! their turns (`incoming`, migration 0025) and the documents an office issues with their numbers
//! (`outgoing`, migration 0026).

pub mod incoming;
pub mod outgoing;

pub use outgoing::Outgoing;
