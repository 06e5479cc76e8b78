//! The pages of incoming correspondence (`/correspondencia`, docs/correspondence.md): the
//! register of the person's units, registering a document with its files, its page with its
//! turns and history, its acuse de recibo and each turn's volante de control as PDF.

pub mod incoming;
pub mod pdf;
pub mod turns;
