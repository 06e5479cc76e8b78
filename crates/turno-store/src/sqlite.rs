//! The embedded default: one SQLite file in WAL mode. SQLite has one writer at a time, so
//! writes go through a single connection whose transactions begin IMMEDIATE (taking the write
//! lock up front instead of failing on upgrade); reads use a pool.
//!
//! Group commit: commands wait in a queue for the writer, which commits all that are waiting
//! in one transaction, one fsync. With many concurrent users this multiplies throughput; a
//! lone command pays nothing extra. If any command of a batch fails, the batch is rolled back
//! and its commands are run again one by one, so each gets exactly its own outcome.

use crate::error::StoreError;
use crate::write::{Prepared, Written, commit_one, write};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Sqlite, SqlitePool, Transaction};
use std::str::FromStr;
use std::time::Duration;
use tokio::sync::{mpsc, oneshot};

#[derive(Debug, Clone)]
pub struct SqliteStore {
    pub(crate) writer: SqlitePool,
    pub(crate) reader: SqlitePool,
    committer: mpsc::Sender<Job>,
}

/// A command waiting for the writer.
struct Job {
    prepared: Prepared,
    reply: oneshot::Sender<Result<Written, StoreError>>,
}

impl std::fmt::Debug for Job {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Job")
    }
}

/// How many waiting commands one transaction takes at most.
const MAX_BATCH: usize = 128;

impl SqliteStore {
    pub(crate) const MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");

    /// Opens (creating if needed) the database at `url` (`sqlite://PATH` or a plain path).
    pub async fn open(url: &str) -> Result<SqliteStore, StoreError> {
        let url = if url.starts_with("sqlite:") {
            url.to_owned()
        } else {
            format!("sqlite://{url}")
        };
        let options = SqliteConnectOptions::from_str(&url)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            // FULL: a committed command survives a power cut, which the record promises.
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10));
        let writer = SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(options.clone())
            .await?;
        let reader = SqlitePoolOptions::new()
            .max_connections(8)
            .connect_with(options.read_only(false))
            .await?;
        let (committer, jobs) = mpsc::channel(1024);
        let store = SqliteStore {
            writer,
            reader,
            committer,
        };
        // The writer task ends when the last clone of the store (its sender) is dropped.
        tokio::spawn(group_commit(store.writer.clone(), jobs));
        Ok(store)
    }

    pub(crate) async fn commit_prepared(&self, prepared: Prepared) -> Result<Written, StoreError> {
        let (reply, answer) = oneshot::channel();
        self.committer
            .send(Job { prepared, reply })
            .await
            .map_err(|_| StoreError::WriterStopped)?;
        answer.await.map_err(|_| StoreError::WriterStopped)?
    }

    pub(crate) async fn begin_write(&self) -> Result<Transaction<'static, Sqlite>, StoreError> {
        begin(&self.writer).await
    }
}

/// The writer: takes every command waiting and commits them together.
async fn group_commit(writer: SqlitePool, mut jobs: mpsc::Receiver<Job>) {
    while let Some(first) = jobs.recv().await {
        let mut batch = vec![first];
        while batch.len() < MAX_BATCH {
            match jobs.try_recv() {
                Ok(job) => batch.push(job),
                Err(_) => break,
            }
        }
        if batch.len() > 1
            && let Ok(results) = commit_batch(&writer, &batch).await
        {
            for (job, result) in batch.into_iter().zip(results) {
                let _ = job.reply.send(Ok(result));
            }
            continue;
        }
        for job in batch {
            let result = match begin(&writer).await {
                Ok(tx) => commit_one(tx, &job.prepared).await,
                Err(error) => Err(error),
            };
            let _ = job.reply.send(result);
        }
    }
}

async fn begin(writer: &SqlitePool) -> Result<Transaction<'static, Sqlite>, StoreError> {
    Ok(writer.begin_with("BEGIN IMMEDIATE").await?)
}

/// All the commands in one transaction; any failure rolls back all of them.
async fn commit_batch(writer: &SqlitePool, batch: &[Job]) -> Result<Vec<Written>, StoreError> {
    let mut tx = begin(writer).await?;
    let mut results = Vec::with_capacity(batch.len());
    for job in batch {
        results.push(write(&mut tx, &job.prepared).await?);
    }
    tx.commit().await?;
    Ok(results)
}

crate::shared::shared_sql!(Sqlite, SqliteStore);
