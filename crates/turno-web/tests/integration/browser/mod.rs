//! End to end in headless Chromium (Debian's `chromium` and `chromedriver`): each journey a
//! person makes, by clicking from its start page, one test each; every page photographed is
//! checked for accessibility (`axe.rs`). Screenshots go to `target/e2e/{journey}/`.

mod admin;
mod agency;
mod axe;
mod catalog;
mod correspondence;
mod efirma;
mod followup;
mod forms;
mod informe;
mod mailbox;
mod matters;
mod recurring;
mod report;
mod session;
mod turn;
mod visits;
