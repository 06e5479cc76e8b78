use thiserror::Error;

/// Why the store did not do what was asked: either it refused (what was asked contradicts
/// what is stored: the person is told why) or it failed (the database, a file, a stored row
/// that cannot be read: an internal error).
#[derive(Debug, Error)]
pub enum StoreError {
    /// Refused: nothing was written.
    #[error(transparent)]
    Refused(#[from] Refusal),
    /// Someone else changed the case since it was read: the command must be redone on the
    /// new state (which usually shows that the activity was already answered). Apart from
    /// the refusals because the command layer retries it.
    #[error("the case {folio} changed since it was read at version {expected}")]
    Conflict { folio: String, expected: i64 },
    /// A unique key refused a row (reported by the SQLite writer; sqlx reports its own).
    #[error("duplicate key: {0}")]
    UniqueViolation(String),
    #[error("SQLite: {0}")]
    Sqlite(String),
    #[error("the database writer has stopped")]
    WriterStopped,
    #[error("stored data is unreadable: {0}")]
    Corrupt(String),
    /// A stored event this version of Turno cannot read, named by its case and number.
    #[error("event {seq} of case {folio} cannot be read: {source}")]
    Event {
        folio: String,
        seq: i64,
        #[source]
        source: crate::record::RecordError,
    },
    #[error("unsupported database URL «{0}»: use sqlite://PATH or postgres://…")]
    UnsupportedUrl(String),
    #[error("the database {} does not exist", .0.display())]
    DatabaseMissing(std::path::PathBuf),
    #[error("cannot read or write {}", path.display())]
    Io {
        path: std::path::PathBuf,
        source: std::io::Error,
    },
    #[error(transparent)]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error(transparent)]
    Database(sqlx::Error),
}

impl From<sqlx::Error> for StoreError {
    /// A text the database's own rules refuse is [`Refusal::Text`], whatever statement wrote it.
    fn from(e: sqlx::Error) -> StoreError {
        match text_refusal(&e) {
            Some(refusal) => StoreError::Refused(refusal),
            None => StoreError::Database(e),
        }
    }
}

/// The text rule (migration 0021) a database error reports: the constraint or the trigger's
/// message `text:<table>.<column>`, or PostgreSQL's refusal of a NUL in any text
/// (`22021`, before any constraint could name the column).
fn text_refusal(e: &sqlx::Error) -> Option<Refusal> {
    let sqlx::Error::Database(db) = e else {
        return None;
    };
    if db.code().as_deref() == Some("22021") {
        return Some(Refusal::Text { column: None });
    }
    // SQLite names a table's own CHECK constraint after this prefix.
    let message = db.message();
    let checked = message
        .strip_prefix("CHECK constraint failed: ")
        .unwrap_or(message);
    column_of(db.constraint().unwrap_or_default()).or_else(|| column_of(checked))
}

/// `table.column` of a text rule's name (`text:cases.title`), as SQLite's triggers and
/// PostgreSQL's constraints call it.
pub(crate) fn column_of(name: &str) -> Option<Refusal> {
    let column = name.strip_prefix("text:")?;
    column.contains('.').then(|| Refusal::Text {
        column: Some(column.to_owned()),
    })
}

/// A change the store refuses because of what it holds: the caller answers the person with
/// the reason (a 4xx on the web).
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum Refusal {
    #[error("case {0} does not exist")]
    CaseNotFound(String),
    #[error("procedure {key} version {version} is already published with a different text")]
    ProcedureVersionExists { key: String, version: u32 },
    /// A draft published as a version that is not newer than the newest of its key.
    #[error("procedure {key} version {version} is not newer than version {newest}")]
    ProcedureVersionTaken {
        key: String,
        version: u32,
        newest: i64,
    },
    #[error("procedure draft {0} does not exist")]
    DraftNotFound(i64),
    /// The draft was published or discarded already: someone acted first.
    #[error("procedure draft {id} is {state}")]
    DraftClosed { id: i64, state: String },
    #[error("procedure {key} version {version} is not published in this database")]
    ProcedureNotPublished { key: String, version: u32 },
    #[error("the login «{0}» is already taken")]
    LoginTaken(String),
    #[error("the unit «{0}» does not exist")]
    UnitNotFound(String),
    #[error("the unit «{parent}» is «{unit}» or below it: it cannot be its parent")]
    UnitCycle { unit: String, parent: String },
    #[error("user {0} does not exist")]
    UserNotFound(i64),
    #[error("invalid delegation: {0}")]
    InvalidDelegation(DelegationProblem),
    #[error("delegation {0} does not exist")]
    DelegationNotFound(i64),
    #[error("petition {0} does not exist")]
    PetitionNotFound(String),
    /// The turn of an incoming document was closed already (answered, read, returned or
    /// withdrawn): someone else acted first.
    #[error("turn {turn} is {status}")]
    IncomingTurnClosed { turn: i64, status: String },
    /// The incoming document (its folio) started a case already, or does not exist.
    #[error("incoming document {0} started a case already")]
    IncomingCaseStarted(String),
    #[error("the schedule name «{0}» is taken")]
    ScheduleNameTaken(String),
    /// A schedule's occurrence opened its case already (in this process or another).
    #[error("occurrence {occurrence} of schedule {schedule} is opened already")]
    OccurrenceOpened { schedule: i64, occurrence: String },
    /// The petition is not where the change expects it (classified, answered or reviewed
    /// already): someone else acted first.
    #[error("petition {folio} is {status}")]
    PetitionStatus { folio: String, status: String },
    /// Another calendar entry already holds the same days, name and scope.
    #[error("another calendar entry has the same content")]
    CalendarEntryTaken,
    #[error("the motive «{0}» already exists")]
    MotiveTaken(String),
    #[error("the motive «{0}» does not exist or is retired already")]
    MotiveNotFound(String),
    #[error("outgoing document {0} does not exist")]
    OutgoingNotFound(i64),
    #[error("a follow-up program «{0}» exists already")]
    ProgramExists(String),
    /// A program's line changed (progress recorded, another edit) since it was read for an
    /// edit.
    #[error("line {0} changed since it was read")]
    LineChanged(String),
    /// The report's table for that cut-off date was recorded by another case.
    #[error("the indicators of period {period} were recorded by case {folio}")]
    IndicatorPeriodTaken { folio: String, period: String },
    #[error("visit {0} has its improvement plan already")]
    VisitPlanned(i64),
    /// An expediente's or a list's number is taken.
    #[error("the archive number «{0}» is taken")]
    ArchiveTaken(String),
    /// The list is not where the change expects it (approved or carried out already, or not
    /// approved): someone else acted first, or nothing is approved.
    #[error("archive list {0} is not in the state the change needs")]
    ArchiveListState(i64),
    /// A baja reaches a case moved to the archive's tables, which it cannot dispose of yet.
    #[error("case {0} was moved to the archive's tables")]
    ArchiveMoved(String),
    /// Cases asked to move to the archive's tables that are not closed cases in the working
    /// tables without open work (this many); nothing moved.
    #[error("{0} of the cases to move are not closed cases in the working tables")]
    NotMovable(usize),
    /// The change would leave no active person with the administrator's role.
    #[error("the change would leave no active administrator")]
    LastAdministrator,
    /// A text longer than its column allows or with control characters (migration 0021):
    /// `column` is `table.column`, or `None` when the database could not say which (a NUL on
    /// PostgreSQL).
    #[error("a text breaks the stored text rules ({})", column.as_deref().unwrap_or("NUL"))]
    Text { column: Option<String> },
}

/// Why a suplencia cannot be recorded.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum DelegationProblem {
    #[error("the last day comes before the first")]
    Reversed,
    #[error("a titular cannot be their own substitute")]
    Oneself,
    #[error("the written delegation is missing")]
    NoDocument,
    #[error("the person is not the titular of {0}")]
    NotTitular(String),
    #[error("its days overlap delegation {0}")]
    Overlaps(i64),
}

impl StoreError {
    pub(crate) fn corrupt(what: impl std::fmt::Display) -> StoreError {
        StoreError::Corrupt(what.to_string())
    }
}
