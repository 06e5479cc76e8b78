//! The pages of correspondence (`/correspondencia`, docs/correspondence.md): the register of the
//! person's units, registering a document with its files, its page with its turns and history,
//! its acuse de recibo and each turn's volante de control as PDF; outgoing documents under
//! `/correspondencia/salida` (`outgoing`); a case started from a document (`cases`).

pub mod cases;
pub mod incoming;
pub mod outgoing;
pub mod pdf;
pub mod turns;
