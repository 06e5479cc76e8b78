//! The event log read across cases, a page at a time (issue 20, `docs/process-mining.md`):
//! the XES export and the paths of a procedure read every event of the cases a filter names,
//! in the order of case and number, without holding more than one page.

use crate::error::StoreError;
use crate::record::Payload;
use crate::{PgStore, SqliteStore};
use turno_domain::engine::Event;

/// Which cases' events, and from where: the cases of a procedure (every one when `None`)
/// started in `[from, to)` (instants as the store writes them; unbounded when `None`), the
/// events after `after` (a case's id and an event's number) in that order, `limit` of them.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LogQuery {
    pub procedure: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub after: (i64, i64),
    pub limit: i64,
}

/// One event of the log with its case.
#[derive(Debug, Clone, PartialEq)]
pub struct LogEvent {
    pub case_id: i64,
    pub folio: String,
    pub procedure_key: String,
    pub procedure_version: u32,
    pub seq: i64,
    pub event: Event,
}

type LogRow = (i64, String, String, i64, i64, String, i64);

fn log_event(row: LogRow) -> Result<LogEvent, StoreError> {
    let (case_id, folio, procedure_key, version, seq, text, schema_version) = row;
    let event = Payload {
        version: schema_version,
        text,
    }
    .event()
    .map_err(|source| StoreError::Event {
        folio: folio.clone(),
        seq,
        source,
    })?;
    Ok(LogEvent {
        case_id,
        procedure_version: u32::try_from(version)
            .map_err(|_| StoreError::corrupt(format!("case {folio}: bad version")))?,
        folio,
        procedure_key,
        seq,
        event,
    })
}

/// The page's statement: the cases by id, each one's events by number, after the last read.
/// A NULL filter lets every case through.
const PAGE: &str = "SELECT c.id, c.folio, c.procedure_key, c.procedure_version, e.seq, \
     e.payload, e.schema_version FROM cases c JOIN events e ON e.case_id = c.id \
     WHERE ($1 IS NULL OR c.procedure_key = $1) \
     AND ($2 IS NULL OR c.created_at >= $2) AND ($3 IS NULL OR c.created_at < $3) \
     AND (c.id > $4 OR (c.id = $4 AND e.seq > $5)) \
     ORDER BY c.id, e.seq LIMIT $6";

store_trait! {
    pub trait EventLog {
        /// A page of the event log ([`LogQuery`]); fewer than `limit` events when it is the
        /// last.
        async fn log_page(&self, query: &LogQuery) -> Result<Vec<LogEvent>, StoreError>;
    }
}

macro_rules! log_impl {
    ($store:ty) => {
        impl EventLog for $store {
            async fn log_page(&self, query: &LogQuery) -> Result<Vec<LogEvent>, StoreError> {
                let rows: Vec<LogRow> = sqlx::query_as(PAGE)
                    .bind(query.procedure.as_deref())
                    .bind(query.from.as_deref())
                    .bind(query.to.as_deref())
                    .bind(query.after.0)
                    .bind(query.after.1)
                    .bind(query.limit)
                    .fetch_all(&self.reader)
                    .await?;
                rows.into_iter().map(log_event).collect()
            }
        }
    };
}

log_impl!(SqliteStore);
log_impl!(PgStore);
