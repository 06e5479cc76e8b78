//! The pages of correspondence (`/correspondencia`, docs/correspondence.md): the register of the
//! person's units, registering a document with its files, its page with its turns and history,
//! its acuse de recibo and each turn's volante de control as PDF; outgoing documents under
//! `/correspondencia/salida` (`outgoing`); «Buscar en la correspondencia» over both
//! (`search`, `/correspondencia/buscar`); a unit's report for a period at
//! `/correspondencia/informes` (`report`);
//! a case started from a document (`cases`); administrators' import of a unit's existing
//! register, checked and previewed before it is written (`import`, `/correspondencia/importar`).

pub mod cases;
pub mod import;
pub mod incoming;
pub mod outgoing;
pub mod pdf;
pub mod report;
pub mod search;
pub mod turns;
