//! Turno's application layer, between the edges (the web pages, the JSON API, the command
//! line) and the store and the domain.
//!
//! Architecture invariant: who may do what to a case, a petition, a program or a document is
//! decided here, once, for every edge. The edges read requests and answer them (HTTP, HTML,
//! JSON); the engine decides what a command does to a case; the store records.

pub mod access;
mod app;
pub mod archive;
pub mod archive_move;
pub mod audit;
pub mod authorizations;
pub mod bpmn_import;
pub mod calendar;
pub mod case_view;
pub mod checked;
pub mod commands;
pub mod correspondence;
pub mod deadlines;
pub mod delegations;
pub mod documents;
pub mod efirma;
mod error;
pub mod fields;
pub mod handling;
pub mod indicators;
pub mod library;
pub mod limits;
pub mod manual;
pub mod messages;
pub mod mining;
pub mod motives;
pub mod official_manual;
pub mod people;
pub mod petitions;
mod principal;
pub mod procedure_drafts;
pub mod programs;
pub mod receipt;
pub mod register;
pub mod report;
pub mod schedules;
pub mod search;
pub mod sign_in;
pub mod tablero;
pub mod units;
pub mod visits;
pub mod work;

pub use app::{App, Clock, LiveCalendars, LiveLibrary, Moment};
pub use error::{Error, FieldProblem, FileRefused};
pub use principal::Principal;
