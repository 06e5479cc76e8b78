//! Correspondence (docs/correspondence.md): the documents that come in, registered with their
//! folio and acuse (`incoming`), turned to units with an instruction and a term, reassigned,
//! answered, read, returned and withdrawn (`turns`). Who sees a document and what of it, and
//! who may act on it, is decided here once (`incoming::sight`), for the pages and the API.

pub mod incoming;
pub mod turns;
