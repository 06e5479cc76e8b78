//! The use cases the pages and the API share, written once: each takes the state, the
//! signed-in person and plain values, and answers a value or a typed refusal ([`UseError`]).
//! Nothing here knows HTTP: a page answers a refusal with its Spanish page (`error.rs`), the
//! API with its JSON (`api/error.rs`). These modules are meant to move, as they are, to the
//! application layer (`turno-app`).

pub mod report;

use turno_store::StoreError;

/// Why a use case did nothing. Each variant is one kind of answer, whatever asked.
#[derive(Debug, thiserror::Error)]
pub enum UseError {
    /// Not this person's to see or do.
    #[error("{0}")]
    Forbidden(String),
    /// What the request names does not exist.
    #[error("{0}")]
    NotFound(String),
    /// Values of the request refused, each with why.
    #[error("{}", .0.iter().map(|w| w.reason.as_str()).collect::<Vec<_>>().join(" "))]
    Invalid(Vec<Wrong>),
    /// A rule refused what was asked.
    #[error("{0}")]
    Refused(String),
    /// What is stored changed, or exists already: someone acted first.
    #[error("{0}")]
    Conflict(String),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

/// A value of a request refused, by the name the API gives it, and why (in Spanish, a whole
/// sentence that names it, so that a page may show it alone).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Wrong {
    pub field: String,
    pub reason: String,
}
