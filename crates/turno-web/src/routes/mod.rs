//! One module per route (or pair of GET/POST on one path); this file only assembles them.

pub mod act;
pub mod admin;
pub mod case;
pub mod catalog;
pub mod clock;
pub mod delegations;
pub mod documents;
pub mod followup;
pub mod handling;
pub mod healthz;
pub mod inbox;
pub mod mailbox;
pub mod mailbox_status;
pub mod notifications;
pub mod organigrama;
pub mod petition;
pub mod petition_import;
pub mod petition_letter;
pub mod petitions;
pub mod receipt;
pub mod register;
pub mod report;
pub mod search;
pub mod sign_in;
pub mod sign_out;
pub mod turn;
