//! Correspondence (issue 17, docs/correspondence.md): the documents that come in, registered with
//! their folio and acuse (`incoming`), turned to units with an instruction and a term, reassigned,
//! answered, read, returned and withdrawn (`turns`); the documents an office issues (`outgoing`)
//! and how each unit numbers them (`numbering`). Who sees a document and what of it, and who may
//! act on it, is decided here once (`incoming::sight`, `outgoing`), for the pages and the API.

pub mod incoming;
pub mod numbering;
pub mod outgoing;
pub mod signed;
pub mod turns;
