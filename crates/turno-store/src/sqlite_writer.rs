//! The SQLite command writer: one thread with a connection of its own that commits every
//! command waiting in its queue in one transaction (group commit: one fsync for all of them).
//!
//! Why a thread and rusqlite rather than sqlx: sqlx's SQLite driver runs each statement on a
//! worker thread and hands it over through channels, which costs more than the statement
//! itself (about 33 µs per statement on the 2-core machines, against a few µs directly; see
//! BENCHMARKS.md). A command writes six to ten statements, so the writer runs them directly.
//! Reads and administration stay on sqlx.
//!
//! Other long writes (a call-center file's import) run on the same thread as tasks of their
//! own, so that they queue with the commands instead of competing for SQLite's lock.
//!
//! If any command of a batch fails, the batch is rolled back and its commands run again one
//! by one, so that each gets exactly its own outcome.

use crate::error::StoreError;
use crate::projection::WorkChange;
use crate::sql;
use crate::store::NO_DUE;
use crate::write::{
    CaseRow, CaseUpdate, EventInsert, Prepared, WriteTx, Written, commit_one, document_size,
    unlinked_document, write,
};
use rusqlite::{Connection, OpenFlags, OptionalExtension, params, params_from_iter};
use std::path::Path;
use std::time::Duration;
use tokio::sync::{mpsc, oneshot};

/// How many waiting commands one transaction takes at most.
const MAX_BATCH: usize = 128;

/// A command waiting for the writer.
struct Command {
    prepared: Prepared,
    reply: oneshot::Sender<Result<Written, StoreError>>,
}

/// Work of its own on the writer's connection, run alone; it sends its own reply.
type Task = Box<dyn FnOnce(&mut Connection) + Send>;

// Commands are nearly every job and were this size before tasks existed: boxing them would
// add an allocation to each for the sake of the rare task.
#[allow(clippy::large_enum_variant)]
enum Job {
    Command(Command),
    Task(Task),
}

/// The handle the store keeps; the thread ends when the last clone is dropped.
#[derive(Clone)]
pub(crate) struct Writer {
    jobs: mpsc::Sender<Job>,
}

impl std::fmt::Debug for Writer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Writer")
    }
}

impl Writer {
    pub fn start(path: &Path) -> Result<Writer, StoreError> {
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(sqlite_error)?;
        conn.busy_timeout(Duration::from_secs(10))
            .map_err(sqlite_error)?;
        // The same durability as the sqlx connections: a committed command survives a power cut.
        conn.execute_batch("PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;")
            .map_err(sqlite_error)?;
        let (jobs, queue) = mpsc::channel(1024);
        std::thread::Builder::new()
            .name("turno-sqlite-writer".into())
            .spawn(move || run(conn, queue))
            .map_err(|e| StoreError::Io {
                path: path.to_owned(),
                source: e,
            })?;
        Ok(Writer { jobs })
    }

    pub async fn commit(&self, prepared: Prepared) -> Result<Written, StoreError> {
        let (reply, answer) = oneshot::channel();
        self.jobs
            .send(Job::Command(Command { prepared, reply }))
            .await
            .map_err(|_| StoreError::WriterStopped)?;
        answer.await.map_err(|_| StoreError::WriterStopped)?
    }

    /// Runs `task` on the writer's connection between two batches of commands.
    pub async fn run<T: Send + 'static>(
        &self,
        task: impl FnOnce(&mut Connection) -> Result<T, StoreError> + Send + 'static,
    ) -> Result<T, StoreError> {
        let (reply, answer) = oneshot::channel();
        let task: Task = Box::new(move |conn| {
            let _ = reply.send(task(conn));
        });
        self.jobs
            .send(Job::Task(task))
            .await
            .map_err(|_| StoreError::WriterStopped)?;
        answer.await.map_err(|_| StoreError::WriterStopped)?
    }
}

fn run(mut conn: Connection, mut queue: mpsc::Receiver<Job>) {
    // The transaction code is async (it is shared with PostgreSQL), but nothing in it waits
    // here: a current-thread runtime just drives it.
    let Ok(runtime) = tokio::runtime::Builder::new_current_thread().build() else {
        return;
    };
    let mut next = None;
    while let Some(job) = next.take().or_else(|| queue.blocking_recv()) {
        let first = match job {
            Job::Command(command) => command,
            Job::Task(task) => {
                task(&mut conn);
                continue;
            }
        };
        let mut batch = vec![first];
        while batch.len() < MAX_BATCH {
            match queue.try_recv() {
                Ok(Job::Command(command)) => batch.push(command),
                // A task waits for the commands before it.
                Ok(task) => {
                    next = Some(task);
                    break;
                }
                Err(_) => break,
            }
        }
        if batch.len() > 1
            && let Ok(results) = runtime.block_on(commit_batch(&mut conn, &batch))
        {
            for (job, result) in batch.into_iter().zip(results) {
                let _ = job.reply.send(Ok(result));
            }
            continue;
        }
        for job in batch {
            let result = runtime
                .block_on(async { commit_one(RawTx::begin(&mut conn)?, &job.prepared).await });
            let _ = job.reply.send(result);
        }
    }
}

/// All the commands in one transaction; any failure rolls back all of them.
async fn commit_batch(
    conn: &mut Connection,
    batch: &[Command],
) -> Result<Vec<Written>, StoreError> {
    let mut tx = RawTx::begin(conn)?;
    let mut results = Vec::with_capacity(batch.len());
    for job in batch {
        match write(&mut tx, &job.prepared).await {
            Ok(written) => results.push(written),
            Err(error) => {
                tx.rollback().await?;
                return Err(error);
            }
        }
    }
    tx.commit().await?;
    Ok(results)
}

pub(crate) fn sqlite_error(e: rusqlite::Error) -> StoreError {
    match e {
        rusqlite::Error::SqliteFailure(code, _)
            if code.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE
                || code.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_PRIMARYKEY =>
        {
            StoreError::UniqueViolation(e.to_string())
        }
        rusqlite::Error::SqliteFailure(_, Some(ref message))
            if let Some(refusal) = crate::error::column_of(message) =>
        {
            StoreError::Refused(refusal)
        }
        other => StoreError::Sqlite(other.to_string()),
    }
}

/// SQLite numbers `?N` parameters by N; `$N` would be numbered by order of appearance.
fn numbered(statement: &str) -> String {
    statement.replace('$', "?")
}

/// A transaction on the writer's connection.
struct RawTx<'c> {
    conn: &'c mut Connection,
    open: bool,
}

impl<'c> RawTx<'c> {
    fn begin(conn: &'c mut Connection) -> Result<RawTx<'c>, StoreError> {
        conn.execute_batch("BEGIN IMMEDIATE")
            .map_err(sqlite_error)?;
        Ok(RawTx { conn, open: true })
    }

    fn execute(&self, statement: &str, values: impl rusqlite::Params) -> Result<usize, StoreError> {
        self.conn
            .prepare_cached(&numbered(statement))
            .and_then(|mut s| s.execute(values))
            .map_err(sqlite_error)
    }

    fn row<T>(
        &self,
        statement: &str,
        values: impl rusqlite::Params,
        read: impl FnOnce(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
    ) -> Result<Option<T>, StoreError> {
        self.conn
            .prepare_cached(&numbered(statement))
            .and_then(|mut s| s.query_row(values, read).optional())
            .map_err(sqlite_error)
    }

    fn end(&mut self, statement: &str) -> Result<(), StoreError> {
        self.open = false;
        self.conn.execute_batch(statement).map_err(sqlite_error)
    }
}

impl Drop for RawTx<'_> {
    /// A transaction abandoned by an error or a panic must not stay open on the connection.
    fn drop(&mut self) {
        if self.open {
            let _ = self.conn.execute_batch("ROLLBACK");
        }
    }
}

impl WriteTx for RawTx<'_> {
    async fn commit(mut self) -> Result<(), StoreError> {
        self.end("COMMIT")
    }

    async fn rollback(mut self) -> Result<(), StoreError> {
        self.end("ROLLBACK")
    }

    async fn idempotent_result(&mut self, key: &str) -> Result<Option<String>, StoreError> {
        self.row(sql::IDEMPOTENT_RESULT, params![key], |r| r.get(0))
    }

    async fn save_idempotent_result(
        &mut self,
        key: &str,
        case_id: i64,
        result: &str,
        at: &str,
    ) -> Result<(), StoreError> {
        self.execute(
            sql::SAVE_IDEMPOTENT_RESULT,
            params![key, case_id, result, at],
        )
        .map(drop)
    }

    async fn procedure_published(&mut self, key: &str, version: i64) -> Result<bool, StoreError> {
        Ok(self
            .row(sql::PROCEDURE_PUBLISHED, params![key, version], |r| {
                r.get::<_, i64>(0)
            })?
            .is_some())
    }

    async fn next_folio_number(&mut self, scope: &str, year: i64) -> Result<i64, StoreError> {
        self.row(sql::NEXT_FOLIO_NUMBER, params![scope, year], |r| r.get(0))?
            .ok_or_else(|| StoreError::corrupt("the folio counter returned nothing"))
    }

    async fn insert_case(&mut self, row: &CaseRow<'_>) -> Result<i64, StoreError> {
        self.row(
            sql::INSERT_CASE,
            params![
                row.folio,
                row.folio_scope,
                row.folio_year,
                row.folio_number,
                row.procedure_key,
                row.procedure_version,
                row.title,
                row.channel,
                row.requester,
                row.created_at,
                crate::chain::GENESIS,
            ],
            |r| r.get(0),
        )?
        .ok_or_else(|| StoreError::corrupt("the new case returned no id"))
    }

    async fn link_schedule(
        &mut self,
        link: &crate::write::ScheduleLink,
        case_folio: &str,
        at: &str,
    ) -> Result<bool, StoreError> {
        Ok(self.execute(
            sql::LINK_SCHEDULE,
            params![link.schedule, link.nominal, link.falls_on, case_folio, at],
        )? == 1)
    }

    async fn link_incoming(
        &mut self,
        year: i64,
        number: i64,
        case_folio: &str,
    ) -> Result<bool, StoreError> {
        Ok(self.execute(sql::LINK_INCOMING, params![case_folio, year, number])? == 1)
    }

    async fn insert_events(&mut self, rows: &[EventInsert<'_>]) -> Result<(), StoreError> {
        let statement = format!(
            "{}{}",
            sql::INSERT_EVENTS,
            sql::placeholders(rows.len(), sql::EVENT_COLUMNS)
        );
        let values: Vec<rusqlite::types::Value> = rows
            .iter()
            .flat_map(|row| {
                [
                    row.case_id.into(),
                    row.seq.into(),
                    row.kind.to_owned().into(),
                    row.payload.to_owned().into(),
                    row.schema_version.into(),
                    row.actor.to_owned().into(),
                    row.recorded_at.to_owned().into(),
                    row.prev_hash.to_owned().into(),
                    row.hash.to_owned().into(),
                ]
            })
            .collect();
        self.execute(&statement, params_from_iter(values)).map(drop)
    }

    async fn advance_case(&mut self, u: &CaseUpdate<'_>) -> Result<bool, StoreError> {
        let changed = self.execute(
            sql::ADVANCE_CASE,
            params![
                u.version,
                u.head_hash,
                u.status,
                u.fields,
                u.closed_at,
                u.id,
                u.expected_version,
                u.state,
                u.expected_head,
            ],
        )?;
        Ok(changed == 1)
    }

    async fn apply(&mut self, case_id: i64, change: &WorkChange) -> Result<(), StoreError> {
        match change {
            WorkChange::Open {
                item,
                activity,
                participant,
                opened_at,
                due,
                term_from,
                units,
            } => {
                self.execute(
                    sql::OPEN_WORK_ITEM,
                    params![
                        case_id,
                        item,
                        activity,
                        participant,
                        opened_at,
                        due,
                        term_from
                    ],
                )?;
                for unit in units {
                    self.execute(
                        sql::ADD_WORK_ITEM_UNIT,
                        params![unit, case_id, item, due.as_deref().unwrap_or(NO_DUE)],
                    )?;
                }
            }
            WorkChange::Complete {
                item,
                at,
                by,
                outcome,
                observations,
            } => {
                self.execute(
                    sql::COMPLETE_WORK_ITEM,
                    params![at, by, outcome, observations, case_id, item],
                )?;
            }
            WorkChange::SetDue {
                item,
                due,
                term_from,
            } => {
                self.execute(sql::SET_DUE, params![due, case_id, item, term_from])?;
            }
            WorkChange::Withdraw { item, at } => {
                self.execute(sql::WITHDRAW_WORK_ITEM, params![at, case_id, item])?;
            }
            WorkChange::Close {
                activity,
                state,
                at,
            } => {
                self.execute(sql::CLOSE_WORK_ITEMS, params![state, at, case_id, activity])?;
            }
            WorkChange::Document {
                sha256,
                name,
                mime,
                size,
                at,
                by,
            } => {
                let linked = self.execute(
                    sql::ADD_DOCUMENT,
                    params![
                        case_id,
                        sha256,
                        name,
                        mime,
                        document_size(name, *size)?,
                        at,
                        by
                    ],
                )?;
                if linked != 1 {
                    return Err(unlinked_document(name, case_id));
                }
            }
        }
        Ok(())
    }
}
