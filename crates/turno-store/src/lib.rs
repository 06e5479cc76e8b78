//! Durable storage of Turno: SQLite (the embedded default) and PostgreSQL behind one
//! [`Store`] trait, with an append-only, hash-chained event log.
//!
//! Architecture invariant: this is the only crate that knows SQL. It stores what the domain
//! engine decided; it never decides anything about a case itself.

#[macro_use]
mod backend;
pub mod archive;
pub mod archive_move;
mod backup;
pub mod blobs;
pub mod calendar;
pub mod chain;
pub mod citizen;
pub mod correspondence;
mod documents;
mod error;
#[doc(hidden)]
pub mod fixtures;
mod folios;
pub mod followup;
pub mod handling;
mod identity;
pub mod indicators;
pub mod log;
mod model;
pub mod notifications;
pub mod organization;
mod postgres;
pub mod procedure_drafts;
mod projection;
mod record;
pub mod schedules;
pub mod seal;
mod search;
mod shared;
pub mod signatures;
mod sql;
mod sqlite;
mod sqlite_writer;
mod store;
pub mod tablero;
mod throttle;
pub mod visits;
mod write;

pub use archive::Archive;
pub use archive_move::{MovedBatch, MovedCases};
pub use backend::{AnyStore, beside_database};
pub use backup::{BackupError, RestoreMode};
pub use citizen::Petitions;
pub use correspondence::CorrespondenceFinder;
pub use correspondence::Outgoing;
pub use correspondence::incoming::Correspondence;
pub use documents::{
    Document, DocumentRecord, DocumentsReport, VerifyDocumentsError, verify_documents,
};
pub use error::{DelegationProblem, Refusal, StoreError};
pub use followup::Followup;
pub use handling::Handling;
pub use identity::{
    Delegation, Membership, NewDelegation, NewUser, Person, Role, TOKEN_USE_GRANULARITY, TokenUser,
    Unit, UnitInput, UnknownRole, User, UserRecord, UserStatus,
};
pub use indicators::Indicators;
pub use log::{EventLog, LogEvent, LogQuery};
pub use model::{
    AuditBreak, CaseHead, CaseId, ChainBreak, Commit, Committed, CurrentCase, FolioRule,
    FolioSeries, FoundCase, InboxRow, NewCase, RecordBreak, SeriesKind, StoredCase, StoredEvent,
    Target, VerifyReport,
};
pub use model::{CaseSearch, CaseSummary, InboxOrder, InboxQuery};
pub use organization::{AuditEntry, ImportCounts};
pub use postgres::PgStore;
pub use procedure_drafts::ProcedureDrafts;
pub use record::{Payload, RecordError};
pub use schedules::Schedules;
pub use signatures::Signatures;
pub use sqlite::SqliteStore;
pub use store::{PublishedProcedure, Store};
pub use tablero::Tableros;
pub use throttle::Throttle;
pub use visits::Visits;
