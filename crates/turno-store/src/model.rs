//! What goes into the store and what comes out of it.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use turno_domain::definition::Procedure;
use turno_domain::engine::{Case, Event};

pub type CaseId = i64;

/// How a new case's folio is formed: `PREFIX[-UNIT]-YEAR-NUMBER`, e.g. `CAS-2026-000123`.
/// Numbers are counted per prefix, unit and year, without gaps.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FolioRule {
    pub prefix: String,
    pub unit: Option<String>,
    pub year: i16,
    pub digits: usize,
}

impl FolioRule {
    /// The folios of a procedure's cases in a year, optionally counted per unit: the prefix
    /// comes from the definition (`folio_prefix`), numbers have six digits.
    pub fn for_procedure(procedure: &Procedure, unit: Option<&str>, year: i16) -> FolioRule {
        FolioRule {
            prefix: procedure.folio_prefix.clone(),
            unit: unit.map(str::to_owned),
            year,
            digits: 6,
        }
    }

    /// The counter this rule draws from.
    pub fn scope(&self) -> String {
        match &self.unit {
            Some(unit) => format!("{}-{unit}", self.prefix),
            None => self.prefix.clone(),
        }
    }

    pub fn format(&self, number: i64) -> String {
        format!(
            "{}-{}-{:0width$}",
            self.scope(),
            self.year,
            number,
            width = self.digits
        )
    }
}

#[derive(Debug, Clone)]
pub struct NewCase {
    pub folio: FolioRule,
    pub title: String,
    /// How the matter arrived: oficio, correo electrónico, centro de atención telefónica…
    pub channel: Option<String>,
    pub requester: Option<String>,
}

#[derive(Debug, Clone)]
pub enum Target {
    New(NewCase),
    /// A new case started from an incoming document: the document records the case's folio
    /// in the same transaction, and only if it started none yet
    /// (`Refusal::IncomingCaseStarted` otherwise).
    FromIncoming {
        case: NewCase,
        document: turno_domain::correspondence::IncomingFolio,
    },
    /// A new case opened by a schedule on one of its occurrences (`nominal`, the date that
    /// names it; `falls_on`, the día hábil it fell on): the occurrence records the case's folio
    /// in the same transaction, and only if no case opened it yet
    /// (`Refusal::OccurrenceOpened` otherwise), whatever process opened it.
    FromSchedule {
        case: NewCase,
        schedule: i64,
        nominal: jiff::civil::Date,
        falls_on: jiff::civil::Date,
    },
    /// An existing case, as the command read it.
    Existing(CaseHead),
}

impl From<NewCase> for Target {
    fn from(case: NewCase) -> Target {
        Target::New(case)
    }
}

/// One command's outcome, written in one transaction: the events, the case's new state and
/// its work items, and the idempotency key.
pub struct Commit<'a> {
    pub procedure: &'a Procedure,
    pub target: Target,
    /// The case after the command (its status and fields are stored with it).
    pub case: &'a Case,
    pub events: &'a [Event],
    /// The user the events are recorded for.
    pub actor: &'a str,
    pub at: Timestamp,
    pub idempotency_key: Option<&'a str>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Committed {
    pub case_id: CaseId,
    pub folio: String,
    /// The case's version after the command: its number of events.
    pub version: i64,
    /// True when the idempotency key had been used: this is the first result, returned again,
    /// and nothing was applied.
    #[serde(skip)]
    pub replayed: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct StoredEvent {
    pub id: i64,
    pub seq: i64,
    pub event: Event,
    pub actor: String,
    pub recorded_at: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct StoredCase {
    pub id: CaseId,
    pub folio: String,
    pub procedure_key: String,
    pub procedure_version: u32,
    pub title: String,
    pub channel: Option<String>,
    pub requester: Option<String>,
    pub status: String,
    pub created_at: String,
    pub closed_at: Option<String>,
    pub version: i64,
    /// The record; empty when the case was read without it ([`crate::Store::find_current`]).
    pub events: Vec<StoredEvent>,
    /// Moved out of the working tables into the archive's (`archive_move`): read-only.
    pub archived: bool,
}

impl StoredCase {
    /// The case's state, rebuilt from its record.
    pub fn state(&self) -> Option<Case> {
        Case::replay(self.events.iter().map(|e| &e.event))
    }
}

/// Where a case's record stands: what a command must find unchanged to append to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseHead {
    pub id: CaseId,
    pub folio: String,
    /// The number of events; a command carries the version it read (optimistic concurrency).
    pub version: i64,
    /// The hash of the last event, which the next event links to.
    pub head_hash: String,
}

/// A case's current state, as commands need it: one row, no replay.
#[derive(Debug, Clone, PartialEq)]
pub struct CurrentCase {
    pub head: CaseHead,
    pub procedure_key: String,
    pub procedure_version: u32,
    pub case: Case,
}

/// A case found by its folio as it stands, with the units that take or took part in it: what
/// showing a case, acting on it and checking who may see it need, in one read
/// ([`crate::Store::find_current`]). The store answers the units; who may see the case is the
/// application's to decide.
#[derive(Debug, Clone, PartialEq)]
pub struct FoundCase {
    /// Its row, without its record (`events` empty, `version` the row's).
    pub stored: StoredCase,
    /// Its current state, for running a command on it.
    pub current: CurrentCase,
    /// The units of its work items, open or not, by code.
    pub units: Vec<String>,
}

/// A row of a unit's inbox ("Mi bandeja").
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct InboxRow {
    pub case_id: i64,
    pub folio: String,
    pub title: String,
    pub procedure_key: String,
    pub item: i64,
    pub activity: String,
    pub opened_at: String,
    pub due: Option<String>,
    /// The day its term started, when not the opening: the semáforo counts from it.
    pub term_from: Option<String>,
}

/// A place where the record does not hold together.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainBreak {
    pub folio: String,
    pub event_id: Option<i64>,
    pub problem: String,
}

impl std::fmt::Display for ChainBreak {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.event_id {
            Some(id) => write!(f, "case {}, event {id}: {}", self.folio, self.problem),
            None => write!(f, "case {}: {}", self.folio, self.problem),
        }
    }
}

/// What a folio series numbers. Cases and petitions draw from counters of their own
/// (`folio_counters`: a procedure's prefix, or the petitions' `AC`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum SeriesKind {
    Cases,
    Petitions,
    /// Incoming documents (`CE`).
    Incoming,
    /// Outgoing documents' numbers: one series per issuing unit (its code as the scope) and
    /// year (`outgoing_counters`).
    Outgoing,
}

/// One folio counter (a scope and a year) against the records that carry its numbers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FolioSeries {
    pub kind: SeriesKind,
    /// The counter's scope: a procedure's prefix (with its unit), `AC` or `CE`; the issuing
    /// unit's code for outgoing documents.
    pub scope: String,
    pub year: i64,
    /// The procedures whose stored cases are numbered in the series (for cases only).
    pub procedures: Vec<String>,
    /// The last number given, 0 when the counter is missing.
    pub given: i64,
    pub stored: i64,
    /// Numbers given (1 to `given`) that no stored record carries.
    pub missing: i64,
}

impl FolioSeries {
    /// The series as its folios begin, e.g. `AC-2026`; an issuing unit's numbers by its code
    /// and the year, e.g. `SIDSS-ST 2026`.
    pub fn name(&self) -> String {
        match self.kind {
            SeriesKind::Outgoing => format!("{} {}", self.scope, self.year),
            _ => format!("{}-{}", self.scope, self.year),
        }
    }

    /// Every number given is stored once and nothing else is: numbers are given without gaps
    /// and each record's number is unique, so a removed or added record shows here.
    pub fn is_sound(&self) -> bool {
        self.missing == 0 && self.stored == self.given
    }
}

/// A place where the record does not hold together.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RecordBreak {
    /// A case's events, its head or its stored state.
    Chain(ChainBreak),
    /// A folio series whose numbers given and records stored disagree.
    Series(FolioSeries),
    /// An entry of the audit log that does not hold in its chain.
    Audit(AuditBreak),
}

/// An entry of the audit log where its chain breaks, and how.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditBreak {
    pub entry: i64,
    pub problem: String,
}

impl std::fmt::Display for AuditBreak {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "bitácora, entrada {}: {}", self.entry, self.problem)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifyReport {
    pub cases: u64,
    pub events: u64,
    /// Every folio counter with its records, cases first, by scope and year.
    pub series: Vec<FolioSeries>,
    /// Every place where the record does not hold together: by case, then the folio series.
    pub breaks: Vec<RecordBreak>,
}

impl VerifyReport {
    /// The first break, none when the record is intact.
    pub fn first_break(&self) -> Option<&RecordBreak> {
        self.breaks.first()
    }
}

/// What to look for among the cases ("Buscar"). Every criterion given must hold.
#[derive(Debug, Clone, Default)]
pub struct CaseSearch {
    /// Words found in the folio, the title, the requester or the fields' values (their names
    /// too), each anywhere, ignoring case and the accents of Spanish (á = a, ü = u).
    pub folio_or_text: Option<String>,
    /// `open`, `ended` or `cancelled`.
    pub status: Option<String>,
    /// A unit that takes or took part in the case (its code).
    pub unit: Option<String>,
    /// Registered on this day or after (a day of `time_zone`).
    pub from: Option<jiff::civil::Date>,
    /// Registered on this day or before (a day of `time_zone`).
    pub to: Option<jiff::civil::Date>,
    /// The zone whose days `from` and `to` are; UTC when none.
    pub time_zone: Option<jiff::tz::TimeZone>,
    /// Only cases in which one of these units takes or took part; `None` for all cases (an
    /// administrator), an empty list for none.
    pub visible_units: Option<Vec<String>>,
    pub limit: i64,
    pub offset: i64,
}

/// A case as a search lists it, newest first.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct CaseSummary {
    pub id: CaseId,
    pub folio: String,
    pub title: String,
    pub procedure_key: String,
    pub status: String,
    pub created_at: String,
    pub requester: Option<String>,
}

/// How a filtered inbox is ordered.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum InboxOrder {
    /// Soonest due first (work without a due date last), as [`crate::Store::inbox`].
    #[default]
    Due,
    /// By folio: prefix, year and number.
    Folio,
    /// Most recently received (opened) first.
    Received,
}

/// The open work of several units, filtered and ordered ("Mi bandeja" with its filters).
#[derive(Debug, Clone, Default)]
pub struct InboxQuery {
    pub units: Vec<String>,
    /// Only work of cases of this procedure (its key).
    pub procedure: Option<String>,
    /// Only work of these cases (their folios); none: of every case.
    pub folios: Vec<String>,
    /// Only work due strictly before this day.
    pub due_before: Option<jiff::civil::Date>,
    /// Only work due strictly after this day; work without a due date counts as due last.
    pub due_after: Option<jiff::civil::Date>,
    pub order: InboxOrder,
    pub limit: i64,
    pub offset: i64,
}

impl InboxQuery {
    /// The units' open work, soonest due first, unfiltered.
    pub fn of_units(units: &[String], limit: i64, offset: i64) -> InboxQuery {
        InboxQuery {
            units: units.to_vec(),
            procedure: None,
            folios: Vec::new(),
            due_before: None,
            due_after: None,
            order: InboxOrder::Due,
            limit,
            offset,
        }
    }
}
