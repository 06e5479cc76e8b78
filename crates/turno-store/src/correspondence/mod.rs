//! Correspondence in the database (issue 17, docs/correspondence.md): the incoming documents and
//! their turns (`incoming`, migration 0025) and the documents an office issues with their numbers
//! (`outgoing`, migration 0026), and finding both (`search`, migration 0030).

pub mod incoming;
pub mod outgoing;
pub mod search;

pub use outgoing::Outgoing;
pub use search::CorrespondenceFinder;
