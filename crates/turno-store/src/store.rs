//! The `Store` trait: everything the rest of Turno asks of a database.

use crate::chain::AuditRow;
use crate::documents::{Document, DocumentRecord};
use crate::error::StoreError;
use crate::identity::{
    Delegation, Membership, NewDelegation, NewUser, Person, Role, TokenUser, Unit, UnitInput, User,
    UserRecord, UserStatus,
};
use crate::model::{
    CaseId, Commit, Committed, CurrentCase, FoundCase, InboxRow, StoredCase, StoredEvent,
    VerifyReport,
};
use crate::model::{CaseSearch, CaseSummary, InboxQuery};
use crate::organization::{AuditEntry, ImportCounts};
use crate::record::Payload;
use crate::seal::StoredCheckpoint;
use turno_domain::definition::Procedure;
use turno_domain::engine::Case;

/// The due date a work item without one sorts by: after every real date.
pub(crate) const NO_DUE: &str = "9999-12-31";

/// A published procedure version and the exact text it was compiled from.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct PublishedProcedure {
    pub key: String,
    pub version: i64,
    pub source_text: String,
}

store_trait! {
    /// Durable storage of Turno. Implemented by [`crate::SqliteStore`] (the embedded default) and
    /// [`crate::PgStore`] (several `turno serve` processes on one database); both pass the same
    /// test suite.
    pub trait Store: Clone + Send + Sync + 'static {
        /// Brings the schema up to date. Safe to run from several processes at once.
        async fn migrate(&self) -> Result<(), StoreError>;

        /// Publishes a procedure version with the text it was compiled from. Publishing the same
        /// text again does nothing (returns false); a different text for a published key and
        /// version is refused: published versions are immutable.
        async fn publish_procedure(
            &self,
            procedure: &Procedure,
            source: &str,
            at: jiff::Timestamp,
        ) -> Result<bool, StoreError>;

        async fn published_procedures(&self) -> Result<Vec<PublishedProcedure>, StoreError>;

        /// Writes one command's events and their consequences in one transaction. Refuses with
        /// [`StoreError::Conflict`] when the case moved since it was read; with an idempotency key
        /// that was used before, returns the first result and applies nothing.
        async fn commit(&self, commit: Commit<'_>) -> Result<Committed, StoreError>;

        /// The first result of a command already applied under this idempotency key.
        async fn replayed(&self, key: &str) -> Result<Option<Committed>, StoreError>;

        async fn find_case(&self, folio: &str) -> Result<Option<CaseId>, StoreError>;

        /// The case of a folio as it stands (row and snapshot, no record) with the units of its
        /// work items, in one statement: what a request on a case reads before it commits.
        async fn find_current(&self, folio: &str) -> Result<Option<FoundCase>, StoreError>;

        /// A case's current state (its snapshot), for running a command on it.
        async fn load_current(&self, id: CaseId) -> Result<CurrentCase, StoreError>;

        /// A case with its whole record.
        async fn load_case(&self, id: CaseId) -> Result<StoredCase, StoreError>;

        /// The events of the case (its id and folio) numbered after `after` up to `upto`,
        /// and before them the events that opened the work items those name, in order: a
        /// window of a long record that still names every activity it tells of, in one
        /// statement. `after` 0 and `upto` the case's version read the whole record.
        async fn record_window(
            &self,
            case: (CaseId, &str),
            after: i64,
            upto: i64,
        ) -> Result<Vec<StoredEvent>, StoreError>;

        /// The open work of a unit, soonest due first.
        async fn inbox(
            &self,
            unit: &str,
            limit: i64,
            offset: i64,
        ) -> Result<Vec<InboxRow>, StoreError>;

        /// Walks every case's hash chain, its state and the rows projected from its events
        /// (work items and the units that see them), and the folio counters; reports every
        /// break. The checkpoints are checked with the record key (`seal::verify`).
        async fn verify(&self) -> Result<VerifyReport, StoreError>;

        /// Every case's folio, number of events and head, by folio.
        async fn record_heads(&self) -> Result<Vec<(String, i64, String)>, StoreError>;

        /// Every folio counter: scope, year and the last number given.
        async fn folio_counters(&self) -> Result<Vec<(String, i64, i64)>, StoreError>;

        /// Every outgoing documents' counter: the issuing unit's code, the year and the last
        /// consecutive given.
        async fn outgoing_counters(&self) -> Result<Vec<(String, i64, i64)>, StoreError>;

        /// The hash of a case's event number `seq`, none when there is no such event.
        async fn event_hash(&self, folio: &str, seq: i64) -> Result<Option<String>, StoreError>;

        /// The audit log's last entry and its hash, `(0, GENESIS)` when it is empty.
        async fn audit_head(&self) -> Result<(i64, String), StoreError>;

        /// The audit log's entries with their links, oldest first.
        async fn audit_chain(&self) -> Result<Vec<AuditRow>, StoreError>;

        /// Every checkpoint of the record, oldest first.
        async fn checkpoints(&self) -> Result<Vec<StoredCheckpoint>, StoreError>;

        async fn last_checkpoint(&self) -> Result<Option<StoredCheckpoint>, StoreError>;

        /// Appends a checkpoint (its text and signature) after the one signed `previous` (''
        /// for the first); false when another was appended after that one first.
        async fn add_checkpoint(
            &self,
            previous: &str,
            content: &str,
            signature: &str,
        ) -> Result<bool, StoreError>;

        /// The documents attached to a case, in the order they were attached.
        async fn documents(&self, case: CaseId) -> Result<Vec<Document>, StoreError>;

        /// Every `DocumentAttached` event with its row, then every row no such event backs: what
        /// [`crate::verify_documents`] checks against the files.
        async fn document_records(&self) -> Result<Vec<DocumentRecord>, StoreError>;

        // Identity: units, users, memberships, sessions, sign-in throttling, API tokens.

        /// Creates the unit with this code, or updates its name, kind and parent. The parent must
        /// exist ([`Refusal::UnitNotFound`](crate::Refusal::UnitNotFound)) and must not be the unit
        /// or below it ([`Refusal::UnitCycle`](crate::Refusal::UnitCycle)). Returns the unit's id.
        /// Recorded on the audit log under `actor`, as every change to the organization.
        async fn upsert_unit(&self, unit: &UnitInput, actor: &str) -> Result<i64, StoreError>;

        /// Records a suplencia (checked: the titular holds the titular role in the unit, the
        /// delegate is someone else, the days are in order and do not overlap another of the same
        /// titular in the unit; else
        /// [`Refusal::InvalidDelegation`](crate::Refusal::InvalidDelegation)). Returns its id.
        async fn create_delegation(
            &self,
            delegation: &NewDelegation,
            actor: &str,
        ) -> Result<i64, StoreError>;

        /// Ends a suplencia before its last day; false when it was already revoked.
        async fn revoke_delegation(&self, id: i64, actor: &str) -> Result<bool, StoreError>;

        /// Every suplencia, newest first.
        async fn delegations(&self) -> Result<Vec<Delegation>, StoreError>;

        /// The memberships a person holds on `on` through suplencias in force that day: the
        /// titular role in each unit, naming the titular they substitute.
        async fn delegated_memberships(
            &self,
            user_id: i64,
            on: jiff::civil::Date,
        ) -> Result<Vec<Membership>, StoreError>;

        /// Every unit, by code.
        async fn units(&self) -> Result<Vec<Unit>, StoreError>;

        /// Every unit with its history (earlier forms), by code.
        async fn organization(&self) -> Result<Vec<turno_domain::org::UnitSpec>, StoreError>;

        /// Creates or updates these units and replaces their earlier forms, all in one
        /// transaction, recording each unit created or changed in the audit log under `actor`.
        /// The caller checked them together with the stored units (`turno_domain::org::check`).
        async fn import_units(
            &self,
            units: &[turno_domain::org::UnitSpec],
            actor: &str,
        ) -> Result<ImportCounts, StoreError>;

        // The calendar: extra non-working days, shared by every process on the database.

        /// The calendar's revision: it changes with every change to the stored entries.
        async fn calendar_revision(&self) -> Result<i64, StoreError>;

        /// Every stored calendar entry and the revision. The revision is read first: an entry
        /// changed in between shows with an older revision, so the reader loads again next time.
        async fn calendar(&self) -> Result<crate::calendar::StoredCalendar, StoreError>;

        /// Stores the entries of checked calendar files (name, entries) in one transaction; an
        /// entry stored before (same content) is left as it is. Each file that adds something is
        /// recorded on the audit log under `actor`, and the revision changes.
        async fn import_calendar(
            &self,
            files: &[(&str, turno_domain::calendar::CalendarData)],
            actor: &str,
        ) -> Result<crate::calendar::CalendarImport, StoreError>;

        /// Sets whose institution's and state's entries apply (on the audit log, changing the
        /// revision). Answers the new revision.
        async fn set_calendar_scope(
            &self,
            institution: Option<&str>,
            state: Option<turno_domain::calendar::State>,
            actor: &str,
        ) -> Result<i64, StoreError>;

        /// Removes a stored entry (on the audit log, changing the revision); `None` when there is
        /// no such entry.
        async fn remove_calendar_entry(
            &self,
            id: i64,
            actor: &str,
        ) -> Result<Option<crate::calendar::CalendarEntry>, StoreError>;

        /// Puts `period` in place of a stored entry (on the audit log with what it was and what
        /// it is, changing the revision; the entry keeps where it came from). Answers the entry
        /// as it was; `None` when there is no such entry. Refused when another entry already
        /// holds the same content.
        async fn change_calendar_entry(
            &self,
            id: i64,
            period: &turno_domain::calendar::NonWorkingPeriod,
            actor: &str,
        ) -> Result<Option<crate::calendar::CalendarEntry>, StoreError>;

        /// The administration's audit log, newest first; of one subject (a unit's code, a login)
        /// when given.
        async fn audit_log(
            &self,
            subject: Option<&str>,
            limit: i64,
        ) -> Result<Vec<AuditEntry>, StoreError>;

        // Every change to people and roles below is recorded on the audit log under `actor`, in
        // the same transaction.

        /// Creates an active user; a login in use is refused with
        /// [`Refusal::LoginTaken`](crate::Refusal::LoginTaken).
        async fn create_user(&self, user: &NewUser, actor: &str) -> Result<i64, StoreError>;

        /// A user and their password hash, for signing in (active or not: the caller checks).
        async fn user_by_login(&self, login: &str) -> Result<Option<UserRecord>, StoreError>;

        async fn user(&self, id: i64) -> Result<Option<User>, StoreError>;

        /// Every user with their own memberships, by login.
        async fn people(&self) -> Result<Vec<Person>, StoreError>;

        /// Deactivates (or reactivates) a user: an inactive user's API tokens stop working.
        /// Returns false when there is no such user; [`crate::Refusal::LastAdministrator`] for
        /// the last active administrator (checked in the change's transaction, after every
        /// other change to administrators: two at once cannot both leave one).
        async fn set_user_status(
            &self,
            id: i64,
            status: UserStatus,
            actor: &str,
        ) -> Result<bool, StoreError>;

        /// Gives a user a role in a unit; giving it again does nothing. An unknown unit is refused
        /// with [`Refusal::UnitNotFound`](crate::Refusal::UnitNotFound), an unknown user with
        /// [`Refusal::UserNotFound`](crate::Refusal::UserNotFound).
        async fn add_membership(
            &self,
            user_id: i64,
            unit_code: &str,
            role: Role,
            actor: &str,
        ) -> Result<(), StoreError>;

        /// Takes a role in a unit away from a user; returns false when they did not have it;
        /// [`crate::Refusal::LastAdministrator`] for the last active administrator's last
        /// administrator role (as [`Store::set_user_status`]).
        async fn remove_membership(
            &self,
            user_id: i64,
            unit_code: &str,
            role: Role,
            actor: &str,
        ) -> Result<bool, StoreError>;

        /// A user's roles, by unit code, then role.
        async fn memberships(&self, user_id: i64) -> Result<Vec<Membership>, StoreError>;

        /// Stores a web session (opaque data), replacing one with the same id.
        async fn save_session(
            &self,
            id: &str,
            data: &str,
            expires_at_unix: i64,
        ) -> Result<(), StoreError>;

        /// Stores a new web session unless the id is taken (by a live or an expired session):
        /// returns false then, and the caller draws another id.
        async fn create_session(
            &self,
            id: &str,
            data: &str,
            expires_at_unix: i64,
        ) -> Result<bool, StoreError>;

        /// A session's data, unless it has expired (`expires_at <= now`).
        async fn load_session(&self, id: &str, now_unix: i64) -> Result<Option<String>, StoreError>;

        async fn delete_session(&self, id: &str) -> Result<(), StoreError>;

        /// Removes the sessions that have expired; returns how many.
        async fn delete_expired_sessions(&self, now_unix: i64) -> Result<u64, StoreError>;

        /// Records an API token by the SHA-256 of its text (hex); returns its id.
        async fn create_api_token(
            &self,
            user_id: i64,
            name: &str,
            token_sha256: &str,
        ) -> Result<i64, StoreError>;

        /// The user of a token that is not revoked and whose user is active, with the identity
        /// revision ([`Store::identity_revision`]) in the same statement; notes the use, at
        /// most once per [`crate::TOKEN_USE_GRANULARITY`].
        async fn user_by_api_token(
            &self,
            token_sha256: &str,
        ) -> Result<Option<TokenUser>, StoreError>;

        /// Revokes a token for good; returns false when there is no such token.
        async fn revoke_api_token(&self, id: i64) -> Result<bool, StoreError>;

        /// A number that changes with every change to users, memberships, suplencias, units
        /// and API tokens' revocation (migration 0019's triggers): a person loaded at one
        /// revision is still who they are while it has not moved.
        async fn identity_revision(&self) -> Result<i64, StoreError>;

        // Visibility.

        /// Cases with open work whose due date is before `before` and not yet recorded as passed
        /// (oldest case first, at most `limit`): what the scheduler lets time pass on.
        async fn cases_past_due(
            &self,
            before: jiff::civil::Date,
            limit: i64,
        ) -> Result<Vec<CaseId>, StoreError>;

        /// Cases with open work that has a due date, after case `after` (by id, at most `limit`):
        /// what a calendar change counts again.
        async fn cases_with_due(
            &self,
            after: CaseId,
            limit: i64,
        ) -> Result<Vec<CaseId>, StoreError>;

        /// The given unit codes and every unit below them in the chart, by code. A given code
        /// that is not in the chart is kept (work may be turned to it all the same).
        async fn units_below(&self, codes: &[String]) -> Result<Vec<String>, StoreError>;

        /// The open work of several units, each work item once, ordered as [`Store::inbox`].
        async fn inbox_for_units(
            &self,
            units: &[String],
            limit: i64,
            offset: i64,
        ) -> Result<Vec<InboxRow>, StoreError>;

        /// How many rows [`Store::inbox_for_units`] has in all.
        async fn count_inbox_for_units(&self, units: &[String]) -> Result<i64, StoreError>;

        // Finding.

        /// A page of the cases that meet every criterion of a search, newest first.
        async fn search_cases(&self, search: &CaseSearch) -> Result<Vec<CaseSummary>, StoreError>;

        /// How many cases [`Store::search_cases`] finds in all (its limit and offset aside).
        async fn count_cases(&self, search: &CaseSearch) -> Result<i64, StoreError>;

        /// The open work of several units, each work item once, filtered and ordered as asked.
        /// Unfiltered and in [`InboxOrder::Due`] it is [`Store::inbox_for_units`].
        ///
        /// [`InboxOrder::Due`]: crate::InboxOrder::Due
        async fn inbox_query(&self, query: &InboxQuery) -> Result<Vec<InboxRow>, StoreError>;

        /// How many rows [`Store::inbox_query`] has in all (its limit and offset aside).
        async fn count_inbox_query(&self, query: &InboxQuery) -> Result<i64, StoreError>;
    }
}

/// A case row as read, before its events are attached.
#[derive(sqlx::FromRow)]
pub(crate) struct CaseRecord {
    id: i64,
    folio: String,
    procedure_key: String,
    procedure_version: i64,
    title: String,
    channel: Option<String>,
    requester: Option<String>,
    status: String,
    created_at: String,
    closed_at: Option<String>,
}

/// A case row with its version and its state's snapshot, without its events.
#[derive(sqlx::FromRow)]
pub(crate) struct CaseNowRecord {
    #[sqlx(flatten)]
    record: CaseRecord,
    version: i64,
    state: String,
}

/// A case row with its snapshot, its head and its work items' units (one line-separated text,
/// NULL without work items): [`Store::find_current`]'s row.
#[derive(sqlx::FromRow)]
pub(crate) struct FoundRecord {
    #[sqlx(flatten)]
    now: CaseNowRecord,
    head_hash: String,
    units: Option<String>,
}

/// [`Store::find_current`]: the row, its snapshot and head, and its work items' units joined by
/// [`UNIT_SEPARATOR`] (`string_agg`, which SQLite has had since 3.44).
pub(crate) const FIND_CURRENT: &str = "SELECT c.id, c.folio, c.procedure_key, \
     c.procedure_version, c.title, c.channel, c.requester, c.status, c.created_at, c.closed_at, \
     c.version, c.state, c.head_hash, \
     (SELECT string_agg(u.unit_code, '\n') FROM \
      (SELECT DISTINCT unit_code FROM work_item_units WHERE case_id = c.id) u) AS units \
     FROM cases c WHERE c.folio = $1";

/// What separates the codes in [`FIND_CURRENT`]: a unit code is one line.
const UNIT_SEPARATOR: char = '\n';

impl FoundRecord {
    pub(crate) fn found(self) -> Result<FoundCase, StoreError> {
        let (stored, case) = self.now.into_parts()?;
        let mut units: Vec<String> = self
            .units
            .as_deref()
            .map(|joined| joined.split(UNIT_SEPARATOR).map(str::to_owned).collect())
            .unwrap_or_default();
        units.sort();
        Ok(FoundCase {
            current: CurrentCase {
                head: crate::CaseHead {
                    id: stored.id,
                    folio: stored.folio.clone(),
                    version: stored.version,
                    head_hash: self.head_hash,
                },
                procedure_key: stored.procedure_key.clone(),
                procedure_version: stored.procedure_version,
                case,
            },
            stored,
            units,
        })
    }
}

impl CaseNowRecord {
    pub(crate) fn into_parts(self) -> Result<(StoredCase, Case), StoreError> {
        let case = serde_json::from_str(&self.state).map_err(|e| {
            StoreError::corrupt(format!("case {}: unreadable state: {e}", self.record.folio))
        })?;
        Ok((self.record.stored(self.version, Vec::new())?, case))
    }
}

/// An event's row: id, seq, payload, schema_version, actor, recorded_at.
pub(crate) type EventRow = (i64, i64, String, i64, String, String);

/// The events of the case `folio`'s rows, read into the domain's.
pub(crate) fn read_events(
    folio: &str,
    rows: Vec<EventRow>,
) -> Result<Vec<StoredEvent>, StoreError> {
    rows.into_iter()
        .map(|(id, seq, text, version, actor, recorded_at)| {
            let event = Payload { version, text }
                .event()
                .map_err(|source| StoreError::Event {
                    folio: folio.to_owned(),
                    seq,
                    source,
                })?;
            Ok(StoredEvent {
                id,
                seq,
                event,
                actor,
                recorded_at,
            })
        })
        .collect()
}

/// [`Store::record_window`]'s statement ($1 the case, $2 `after`, $3 `upto`): the window, and
/// the `work_opened` and `work_turned` events before it of the items the window names. Only
/// those rows are sent and read, however long the record; the database finds the earlier
/// ones among the case's own events (its `(case_id, seq)` index), reading their item from
/// the payload.
pub(crate) fn record_window<D: crate::search::Dialect>() -> String {
    window::<D>("events", "case_id")
}

/// The statement of a window of a case's record in table `events`, where `key` names the
/// case, as [`record_window`] reads it.
pub(crate) fn window<D: crate::search::Dialect>(events: &str, key: &str) -> String {
    let item = D::EVENT_ITEM;
    format!(
        "SELECT id, seq, payload, schema_version, actor, recorded_at FROM {events} \
         WHERE {key} = $1 AND seq > $2 AND seq <= $3 \
         UNION ALL \
         SELECT id, seq, payload, schema_version, actor, recorded_at FROM {events} \
         WHERE {key} = $1 AND seq <= $2 AND kind IN ('work_opened', 'work_turned') \
         AND {item} IN (SELECT {item} FROM {events} WHERE {key} = $1 AND seq > $2 \
         AND seq <= $3) \
         ORDER BY seq"
    )
}

impl CaseRecord {
    pub(crate) fn with_events(self, events: Vec<EventRow>) -> Result<StoredCase, StoreError> {
        let events = read_events(&self.folio, events)?;
        // The events were read in one statement after the row: their number is the version
        // this reader has seen, even if a writer committed in between.
        self.stored(events.len() as i64, events)
    }

    fn stored(self, version: i64, events: Vec<StoredEvent>) -> Result<StoredCase, StoreError> {
        Ok(StoredCase {
            version,
            id: self.id,
            procedure_version: u32::try_from(self.procedure_version)
                .map_err(|_| StoreError::corrupt(format!("case {}: bad version", self.folio)))?,
            folio: self.folio,
            procedure_key: self.procedure_key,
            title: self.title,
            channel: self.channel,
            requester: self.requester,
            status: self.status,
            created_at: self.created_at,
            closed_at: self.closed_at,
            events,
            archived: false,
        })
    }
}
