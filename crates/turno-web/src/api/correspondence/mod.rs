//! `/api/v1/correspondence`: the correspondence of issue 17 (`docs/correspondence.md`) through
//! the same use cases as the pages (`turno_app::correspondence`): incoming documents registered,
//! listed and shown (`incoming`), their turns given, answered, returned and withdrawn, with the
//! acuse and the volantes as PDF (`turns`); outgoing documents and how each unit numbers them
//! (`outgoing`); searching both (`search`); a unit's report for a period (`report`); a unit's
//! existing register imported (`import`); a case started from an incoming document (`cases`);
//! outgoing documents signed with e.firma (`signing`).

pub mod cases;
pub mod import;
pub mod incoming;
pub mod outgoing;
pub mod report;
pub mod search;
pub mod signing;
pub mod turns;
