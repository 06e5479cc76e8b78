use thiserror::Error;

#[derive(Debug, Error)]
pub enum StoreError {
    /// Someone else changed the case since it was read: the command must be redone on the
    /// new state (which usually shows that the activity was already answered).
    #[error(
        "the case {folio} changed since it was read (expected version {expected}, found {found})"
    )]
    Conflict {
        folio: String,
        expected: i64,
        found: i64,
    },
    #[error("case {0} does not exist")]
    CaseNotFound(String),
    #[error("procedure {key} version {version} is already published with a different text")]
    ProcedureVersionExists { key: String, version: u32 },
    #[error("procedure {key} version {version} is not published in this database")]
    ProcedureNotPublished { key: String, version: u32 },
    #[error("stored data is unreadable: {0}")]
    Corrupt(String),
    #[error("unsupported database URL «{0}»: use sqlite://PATH or postgres://…")]
    UnsupportedUrl(String),
    #[error(transparent)]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

impl StoreError {
    pub(crate) fn corrupt(what: impl std::fmt::Display) -> StoreError {
        StoreError::Corrupt(what.to_string())
    }
}
