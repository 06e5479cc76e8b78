//! PostgreSQL, for agencies that run several stateless `turno serve` processes on one
//! database. Concurrency is optimistic: commands carry the case version they read, and the
//! unique (case, event number) key lets exactly one of two racing writers win.

use crate::error::StoreError;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{PgPool, Postgres, Transaction};
use std::str::FromStr;

#[derive(Debug, Clone)]
pub struct PgStore {
    pub(crate) writer: PgPool,
    pub(crate) reader: PgPool,
}

impl PgStore {
    pub(crate) const MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

    pub async fn connect(url: &str) -> Result<PgStore, StoreError> {
        PgStore::connect_with(PgConnectOptions::from_str(url)?).await
    }

    /// Connects with explicit options (tests use them to work in a schema of their own).
    pub async fn connect_with(options: PgConnectOptions) -> Result<PgStore, StoreError> {
        let pool = PgPoolOptions::new()
            .max_connections(16)
            .connect_with(options)
            .await?;
        Ok(PgStore {
            writer: pool.clone(),
            reader: pool,
        })
    }

    /// Concurrent commands commit in transactions of their own: PostgreSQL groups their
    /// WAL flushes by itself.
    pub(crate) async fn commit_prepared(
        &self,
        prepared: crate::write::Prepared,
    ) -> Result<crate::write::Written, StoreError> {
        crate::write::commit_one(self.begin_write().await?, &prepared).await
    }

    pub(crate) async fn begin_write(&self) -> Result<Transaction<'static, Postgres>, StoreError> {
        Ok(self.writer.begin().await?)
    }
}

crate::shared::shared_sql!(Postgres, PgStore);
