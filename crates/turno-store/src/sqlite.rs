//! The embedded default: one SQLite file in WAL mode. SQLite has one writer at a time, so
//! writes go through a single connection whose transactions begin IMMEDIATE (taking the write
//! lock up front instead of failing on upgrade); reads use a pool.
//!
//! Commands (the engine's events) are committed by the writer thread of `sqlite_writer.rs`,
//! with group commit; the sqlx connections serve reads, migrations, publishing and backups.

use crate::error::StoreError;
use crate::sqlite_writer::Writer;
use crate::write::{Prepared, Written};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Sqlite, SqlitePool, Transaction};
use std::str::FromStr;
use std::time::Duration;

#[derive(Debug, Clone)]
pub struct SqliteStore {
    pub(crate) writer: SqlitePool,
    pub(crate) reader: SqlitePool,
    commands: Writer,
}

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
            .connect_with(options.clone())
            .await?;
        let commands = Writer::start(options.get_filename())?;
        Ok(SqliteStore {
            writer,
            reader,
            commands,
        })
    }

    pub(crate) async fn commit_prepared(&self, prepared: Prepared) -> Result<Written, StoreError> {
        self.commands.commit(prepared).await
    }

    /// Runs `task` on the command writer's connection (rusqlite), queued with the commands.
    pub(crate) async fn on_writer<T: Send + 'static>(
        &self,
        task: impl FnOnce(&mut rusqlite::Connection) -> Result<T, StoreError> + Send + 'static,
    ) -> Result<T, StoreError> {
        self.commands.run(task).await
    }

    pub(crate) async fn begin_write(&self) -> Result<Transaction<'static, Sqlite>, StoreError> {
        Ok(self.writer.begin_with("BEGIN IMMEDIATE").await?)
    }
}

crate::shared::shared_sql!(SqliteStore, sqlx::Sqlite);
crate::notifications::notification_sql!(SqliteStore, sqlx::Sqlite);
crate::followup::followup_sql!(SqliteStore, sqlx::Sqlite);
crate::visits::visits_sql!(SqliteStore, sqlx::Sqlite);
crate::archive::archive_sql!(SqliteStore, sqlx::Sqlite);
crate::archive_move::archive_move_sql!(SqliteStore, sqlx::Sqlite);
crate::handling::handling_sql!(SqliteStore, sqlx::Sqlite);
crate::tablero::tablero_sql!(SqliteStore, sqlx::Sqlite);
crate::correspondence::outgoing::outgoing_sql!(SqliteStore, sqlx::Sqlite);
