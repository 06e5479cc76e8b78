//! Correspondence (*correspondencia*): the oficios, memorándums, circulares, tarjetas
//! informativas, escritos and e-mails that come into an office and go out of it, as seed 004
//! gives each coordination the function of receiving, registering, turning and following them
//! until they are answered, and as the region's government systems (Orfeo, Quipux) keep them.
//!
//! This module holds what needs no database: the closed vocabularies people choose from
//! (`vocabulary`), an incoming document as registered at the oficialía de partes, every field
//! checked and every problem named (`incoming`), the format in which a unit numbers what it
//! issues (`numbering`), the stages of an outgoing document (`outgoing`), a unit's report
//! for a period (`report`), and a unit's existing register read as rows of drafts
//! (`register`). The model and the
//! formats are described in docs/correspondence.md.

mod folio;
mod incoming;
mod numbering;
mod outgoing;
mod register;
mod report;
mod vocabulary;

pub use folio::{IncomingFolio, IncomingFolioError};
pub use incoming::{
    Incoming, IncomingDraft, MAX_ANNEXES, MAX_SUMMARY_CHARS, MAX_TERM_DAYS, Problem, Sender,
};
pub use numbering::DEFAULT_FORMAT;
pub use numbering::{FormatError, Issued, NumberFormat};
pub use outgoing::{Act, Stage, StageError, Step};
pub use register::{MAX_ROWS, RegisterRow, column_of, columns, register_rows};
pub use report::{
    AGE_BUCKETS, BySemaphore, CorrespondenceReport, LINE_HEADINGS, OutgoingFact, TurnFacts,
    UnitLine, bucket_label,
};
pub use vocabulary::{
    Classification, DocumentKind, Instruction, Priority, SenderKind, TurnStatus, Unknown,
};
