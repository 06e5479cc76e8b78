//! `/api/v1/correspondence`: the correspondence through the same use cases as the pages
//! (`turno_app::correspondence`): incoming documents registered, listed and shown
//! (`incoming`), and their turns given, answered, returned and withdrawn, with the acuse and
//! the volantes as PDF (`turns`).

pub mod incoming;
pub mod turns;
