//! Moving closed cases out of the working tables (migration 0049, `docs/archive.md`): a case's
//! row, its events, its work items and its documents' rows are copied, column for column, into
//! `archived_cases`, `archived_events`, `archived_work_items` and `archived_documents`, and
//! removed from the working tables, in one transaction per batch. The event log's guard lets an
//! event leave `events` only when the very same event is in `archived_events`, so the chain is
//! kept byte for byte and `turno verify` walks it there ([`Store::verify`](crate::Store)). What
//! only serves open work (its inbox rows, reminders, notifications, idempotency keys) is removed.
//! Which cases move is the application's to decide ([`MovedCases::closed_in`] answers the
//! candidates it asks for); the store records.

use crate::StoreError;
use crate::documents::Document;
use crate::model::{FoundCase, StoredEvent};
use turno_domain::archive::Location;

store_trait! {
    /// The cases moved out of the working tables into the archive's own.
    pub trait MovedCases {
        /// Up to `limit` folios of closed cases still in the working tables, classified into an
        /// expediente at one of `locations`, with no open work, not disposed of and not opened
        /// by a schedule; oldest first.
        async fn closed_in(
            &self,
            locations: &[Location],
            limit: i64,
        ) -> Result<Vec<String>, StoreError>;

        /// Moves the cases of `folios` to the archive's tables in one transaction, on the audit
        /// log. Refused ([`Refusal::NotMovable`](crate::Refusal::NotMovable)), moving nothing,
        /// when one of them is not a closed case in the working tables without open work.
        async fn move_cases(
            &self,
            folios: &[String],
            by: &str,
            at: &str,
        ) -> Result<MovedBatch, StoreError>;

        /// A moved case as it stands, by folio, with the units its work was turned to
        /// (`stored.archived` is true).
        async fn find_archived(&self, folio: &str) -> Result<Option<FoundCase>, StoreError>;

        /// A moved case's record numbered after `after` up to `upto`, with the events before
        /// that opened the work items those name, as [`Store::record_window`](crate::Store)
        /// answers for a case in the working tables.
        async fn archived_window(
            &self,
            folio: &str,
            after: i64,
            upto: i64,
        ) -> Result<Vec<StoredEvent>, StoreError>;

        /// A moved case's documents (their rows; `case_id` is the id it had), in the order
        /// they were attached.
        async fn archived_documents(&self, folio: &str) -> Result<Vec<Document>, StoreError>;

        /// How many cases and events are in the archive's tables.
        async fn archived_counts(&self) -> Result<MovedBatch, StoreError>;
    }
}

/// What a batch moved.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MovedBatch {
    pub cases: u64,
    pub events: u64,
}

/// `$1, $2, … $n` from `from`.
pub(crate) fn placeholders(from: usize, n: usize) -> String {
    (from..from + n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The case ids of the folios `$1…$n`, in the working tables.
fn ids(n: usize) -> String {
    format!(
        "SELECT id FROM cases WHERE folio IN ({})",
        placeholders(1, n)
    )
}

/// The statements of one batch, in order, each with the folios bound as `$1…$n` (and, for the
/// first, `$n+1` the mover and `$n+2` the time). Children before their parents, copies before
/// removals: the event log's guard checks each event removed against its copy.
pub(crate) fn move_statements(n: usize) -> Vec<String> {
    let ids = ids(n);
    let list = placeholders(1, n);
    vec![
        format!(
            "INSERT INTO archived_cases (folio, case_id, folio_scope, folio_year, folio_number, \
             procedure_key, procedure_version, title, channel, requester, status, fields, \
             created_at, closed_at, version, state, head_hash, units, moved_at, moved_by) \
             SELECT c.folio, c.id, c.folio_scope, c.folio_year, c.folio_number, c.procedure_key, \
             c.procedure_version, c.title, c.channel, c.requester, c.status, c.fields, \
             c.created_at, c.closed_at, c.version, c.state, c.head_hash, \
             COALESCE((SELECT string_agg(u.unit_code, '\n') FROM \
               (SELECT DISTINCT unit_code FROM work_item_units WHERE case_id = c.id \
                ORDER BY unit_code) u), ''), ${}, ${} \
             FROM cases c WHERE c.folio IN ({list})",
            n + 2,
            n + 1
        ),
        format!(
            "INSERT INTO archived_events (id, folio, seq, kind, payload, actor, recorded_at, \
             prev_hash, hash, schema_version) \
             SELECT e.id, c.folio, e.seq, e.kind, e.payload, e.actor, e.recorded_at, \
             e.prev_hash, e.hash, e.schema_version \
             FROM events e JOIN cases c ON c.id = e.case_id WHERE c.folio IN ({list})"
        ),
        format!(
            "INSERT INTO archived_work_items (folio, item, activity, participant, assignee, \
             opened_at, due, state, completed_at, completed_by, outcome, observations, overdue, \
             term_from) \
             SELECT c.folio, w.item, w.activity, w.participant, w.assignee, w.opened_at, w.due, \
             w.state, w.completed_at, w.completed_by, w.outcome, w.observations, w.overdue, \
             w.term_from \
             FROM work_items w JOIN cases c ON c.id = w.case_id WHERE c.folio IN ({list})"
        ),
        format!(
            "INSERT INTO archived_documents (id, folio, event_id, sha256, name, mime, size, \
             uploaded_at, uploaded_by) \
             SELECT d.id, c.folio, d.event_id, d.sha256, d.name, d.mime, d.size, d.uploaded_at, \
             d.uploaded_by \
             FROM documents d JOIN cases c ON c.id = d.case_id WHERE c.folio IN ({list})"
        ),
        format!("DELETE FROM work_item_units WHERE case_id IN ({ids})"),
        format!("DELETE FROM reminders WHERE case_id IN ({ids})"),
        format!("DELETE FROM notifications WHERE case_id IN ({ids})"),
        format!("DELETE FROM idempotency_keys WHERE case_id IN ({ids})"),
        format!("DELETE FROM documents WHERE case_id IN ({ids})"),
        format!("DELETE FROM work_items WHERE case_id IN ({ids})"),
        format!("DELETE FROM events WHERE case_id IN ({ids})"),
        format!("DELETE FROM cases WHERE folio IN ({list})"),
    ]
}

/// The folios `$1…$n` that may move: closed, in the working tables, no open work, not
/// disposed of, not opened by a schedule.
pub(crate) fn movable(n: usize) -> String {
    format!(
        "SELECT COUNT(*) FROM cases c WHERE c.folio IN ({}) AND {MOVABLE}",
        placeholders(1, n)
    )
}

/// What makes a case in `cases c` movable, besides the application's choice.
const MOVABLE: &str = "c.closed_at IS NOT NULL \
     AND NOT EXISTS (SELECT 1 FROM work_item_units u WHERE u.case_id = c.id AND u.open) \
     AND NOT EXISTS (SELECT 1 FROM archive_disposed_cases d WHERE d.case_id = c.id) \
     AND NOT EXISTS (SELECT 1 FROM schedule_occurrences s WHERE s.case_folio = c.folio)";

/// [`MovedCases::closed_in`]'s statement: `$1…$n` the locations, `$n+1` the limit.
pub(crate) fn closed_in(n: usize) -> String {
    format!(
        "SELECT c.folio FROM cases c \
         JOIN archive_classified k ON k.subject_kind = 'case' AND k.subject = c.folio \
         JOIN archive_expedientes x ON x.id = k.expediente_id \
         WHERE x.location IN ({}) AND {MOVABLE} ORDER BY c.id LIMIT ${}",
        placeholders(1, n),
        n + 1
    )
}

/// [`MovedCases::find_archived`]'s statement: the row as [`crate::Store::find_current`] reads
/// one in the working tables.
pub(crate) const FIND_ARCHIVED: &str = "SELECT c.case_id AS id, c.folio, c.procedure_key, \
     c.procedure_version, c.title, c.channel, c.requester, c.status, c.created_at, c.closed_at, \
     c.version, c.state, c.head_hash, NULLIF(c.units, '') AS units \
     FROM archived_cases c WHERE c.folio = $1";

/// [`MovedCases::archived_window`]'s statement ($1 the folio, $2 `after`, $3 `upto`).
pub(crate) fn archived_window<D: crate::search::Dialect>() -> String {
    crate::store::window::<D>("archived_events", "folio")
}

/// The `MovedCases` statements, for both backends.
macro_rules! archive_move_sql {
    ($store:ty, $db:ty) => {
        impl $crate::archive_move::MovedCases for $store {
            async fn closed_in(
                &self,
                locations: &[turno_domain::archive::Location],
                limit: i64,
            ) -> Result<Vec<String>, $crate::StoreError> {
                if locations.is_empty() {
                    return Ok(Vec::new());
                }
                let sql = $crate::archive_move::closed_in(locations.len());
                let mut query = sqlx::query_scalar(&sql);
                for location in locations {
                    query = query.bind(location.code());
                }
                Ok(query.bind(limit).fetch_all(&self.reader).await?)
            }

            async fn move_cases(
                &self,
                folios: &[String],
                by: &str,
                at: &str,
            ) -> Result<$crate::archive_move::MovedBatch, $crate::StoreError> {
                if folios.is_empty() {
                    return Ok($crate::archive_move::MovedBatch::default());
                }
                let n = folios.len();
                let mut tx = self.begin_write().await?;
                let sql = $crate::archive_move::movable(n);
                let mut query = sqlx::query_scalar::<_, i64>(&sql);
                for folio in folios {
                    query = query.bind(folio);
                }
                let movable = query.fetch_one(&mut *tx).await?;
                if usize::try_from(movable).ok() != Some(n) {
                    return Err($crate::Refusal::NotMovable(n - movable.max(0) as usize).into());
                }
                let mut moved = $crate::archive_move::MovedBatch::default();
                for (i, sql) in $crate::archive_move::move_statements(n).iter().enumerate() {
                    let mut query = sqlx::query(sql);
                    for folio in folios {
                        query = query.bind(folio);
                    }
                    if i == 0 {
                        query = query.bind(by).bind(at);
                    }
                    let done = query.execute(&mut *tx).await?.rows_affected();
                    match i {
                        0 => moved.cases = done,
                        1 => moved.events = done,
                        _ => {}
                    }
                }
                Self::audit_on(
                    &mut tx,
                    by,
                    "archive_cases_moved",
                    &format!("{} asuntos", moved.cases),
                    serde_json::json!({
                        "cases": moved.cases,
                        "events": moved.events,
                        "first": folios.first(),
                        "last": folios.last(),
                    })
                    .to_string(),
                )
                .await?;
                tx.commit().await?;
                Ok(moved)
            }

            async fn find_archived(
                &self,
                folio: &str,
            ) -> Result<Option<$crate::FoundCase>, $crate::StoreError> {
                let row: Option<$crate::store::FoundRecord> =
                    sqlx::query_as($crate::archive_move::FIND_ARCHIVED)
                        .bind(folio)
                        .fetch_optional(&self.reader)
                        .await?;
                let Some(found) = row.map($crate::store::FoundRecord::found).transpose()? else {
                    return Ok(None);
                };
                let mut found = found;
                found.stored.archived = true;
                Ok(Some(found))
            }

            async fn archived_window(
                &self,
                folio: &str,
                after: i64,
                upto: i64,
            ) -> Result<Vec<$crate::StoredEvent>, $crate::StoreError> {
                static SQL: std::sync::LazyLock<String> =
                    std::sync::LazyLock::new($crate::archive_move::archived_window::<$store>);
                let rows: Vec<$crate::store::EventRow> = sqlx::query_as(SQL.as_str())
                    .bind(folio)
                    .bind(after)
                    .bind(upto)
                    .fetch_all(&self.reader)
                    .await?;
                $crate::store::read_events(folio, rows)
            }

            async fn archived_documents(
                &self,
                folio: &str,
            ) -> Result<Vec<$crate::Document>, $crate::StoreError> {
                Ok(sqlx::query_as(
                    "SELECT d.id, c.case_id, d.event_id, d.sha256, d.name, d.mime, d.size, \
                     d.uploaded_at, d.uploaded_by FROM archived_documents d \
                     JOIN archived_cases c ON c.folio = d.folio WHERE d.folio = $1 ORDER BY d.id",
                )
                .bind(folio)
                .fetch_all(&self.reader)
                .await?)
            }

            async fn archived_counts(
                &self,
            ) -> Result<$crate::archive_move::MovedBatch, $crate::StoreError> {
                let (cases, events): (i64, i64) = sqlx::query_as(
                    "SELECT (SELECT COUNT(*) FROM archived_cases), \
                     (SELECT COUNT(*) FROM archived_events)",
                )
                .fetch_one(&self.reader)
                .await?;
                Ok($crate::archive_move::MovedBatch {
                    cases: cases.max(0) as u64,
                    events: events.max(0) as u64,
                })
            }
        }
    };
}
pub(crate) use archive_move_sql;
