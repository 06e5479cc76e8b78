//! PostgreSQL, for agencies that run several stateless `turno serve` processes on one
//! database. Concurrency is optimistic: commands carry the case version they read, and the
//! unique (case, event number) key lets exactly one of two racing writers win.

use crate::error::StoreError;
use crate::model::{CaseHead, Committed};
use crate::projection::WorkChange;
use crate::sql;
use crate::store::NO_DUE;
use crate::write::{
    CaseRow, CaseUpdate, EventInsert, Prepared, PreparedTarget, WriteTx, Written, commit_one,
    conflict_on_duplicate, document_size, unlinked_document,
};
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
    pub(crate) async fn commit_prepared(&self, prepared: Prepared) -> Result<Written, StoreError> {
        match &prepared.target {
            PreparedTarget::Existing(head) => self.append(&prepared, head).await,
            PreparedTarget::New { .. } => commit_one(self.begin_write().await?, &prepared).await,
        }
    }

    /// A command on an existing case in one round trip: `turno_append` (migration 0018) runs
    /// the statements of `sql.rs` inside the database.
    async fn append(&self, p: &Prepared, head: &CaseHead) -> Result<Written, StoreError> {
        let links = p.link(&head.folio, head.version, &head.head_hash);
        let version = head.version + links.len() as i64;
        let new_head = links
            .last()
            .map_or_else(|| head.head_hash.clone(), |l| l.hash.clone());
        let committed = Committed {
            case_id: head.id,
            folio: head.folio.clone(),
            version,
            replayed: false,
        };
        let result = serde_json::to_string(&committed).map_err(StoreError::corrupt)?;
        let changes = serde_json::to_string(&p.changes).map_err(StoreError::corrupt)?;
        let (outcome, first): (String, Option<String>) = sqlx::query_as(
            "SELECT outcome, first_result FROM turno_append($1, $2, $3, $4, $5, $6, $7, $8, $9, \
             $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20)",
        )
        .bind(head.id)
        .bind(head.version)
        .bind(&head.head_hash)
        .bind(version)
        .bind(&new_head)
        .bind(p.status)
        .bind(&p.fields)
        .bind(&p.state)
        .bind(p.closed.then_some(p.at.as_str()))
        .bind(links.iter().map(|l| l.seq).collect::<Vec<i64>>())
        .bind(p.events.iter().map(|e| e.kind).collect::<Vec<&str>>())
        .bind(
            p.events
                .iter()
                .map(|e| e.payload.as_str())
                .collect::<Vec<&str>>(),
        )
        .bind(
            links
                .iter()
                .map(|l| l.prev_hash.as_str())
                .collect::<Vec<&str>>(),
        )
        .bind(links.iter().map(|l| l.hash.as_str()).collect::<Vec<&str>>())
        .bind(&p.actor)
        .bind(&p.at)
        .bind(&changes)
        .bind(p.idempotency_key.as_deref())
        .bind(&result)
        .bind(p.events.iter().map(|e| e.version).collect::<Vec<i64>>())
        .fetch_one(&self.writer)
        .await
        .map_err(|e| conflict_on_duplicate(e.into(), &head.folio, head.version))?;
        match (outcome.as_str(), first) {
            ("applied", _) => Ok(Written::Applied(committed)),
            ("replayed", Some(first)) => {
                let mut first: Committed =
                    serde_json::from_str(&first).map_err(StoreError::corrupt)?;
                first.replayed = true;
                Ok(Written::Replayed(first))
            }
            ("conflict", _) => Err(StoreError::Conflict {
                folio: head.folio.clone(),
                expected: head.version,
            }),
            (other, _) => Err(StoreError::corrupt(format!(
                "turno_append answered «{other}»"
            ))),
        }
    }

    pub(crate) async fn begin_write(&self) -> Result<Transaction<'static, Postgres>, StoreError> {
        Ok(self.writer.begin().await?)
    }
}

crate::shared::shared_sql!(PgStore, sqlx::Postgres);
crate::notifications::notification_sql!(PgStore, sqlx::Postgres);
crate::followup::followup_sql!(PgStore, sqlx::Postgres);
crate::visits::visits_sql!(PgStore, sqlx::Postgres);
crate::archive::archive_sql!(PgStore, sqlx::Postgres);
crate::archive_move::archive_move_sql!(PgStore, sqlx::Postgres);
crate::handling::handling_sql!(PgStore, sqlx::Postgres);
crate::tablero::tablero_sql!(PgStore, sqlx::Postgres);
crate::correspondence::outgoing::outgoing_sql!(PgStore, sqlx::Postgres);

/// A command's transaction on PostgreSQL.
impl WriteTx for Transaction<'_, Postgres> {
    async fn commit(self) -> Result<(), StoreError> {
        Ok(Transaction::commit(self).await?)
    }

    async fn rollback(self) -> Result<(), StoreError> {
        Ok(Transaction::rollback(self).await?)
    }

    async fn idempotent_result(&mut self, key: &str) -> Result<Option<String>, StoreError> {
        Ok(sqlx::query_scalar(sql::IDEMPOTENT_RESULT)
            .bind(key)
            .fetch_optional(&mut **self)
            .await?)
    }

    async fn save_idempotent_result(
        &mut self,
        key: &str,
        case_id: i64,
        result: &str,
        at: &str,
    ) -> Result<(), StoreError> {
        sqlx::query(sql::SAVE_IDEMPOTENT_RESULT)
            .bind(key)
            .bind(case_id)
            .bind(result)
            .bind(at)
            .execute(&mut **self)
            .await?;
        Ok(())
    }

    async fn procedure_published(&mut self, key: &str, version: i64) -> Result<bool, StoreError> {
        let found: Option<i64> = sqlx::query_scalar(sql::PROCEDURE_PUBLISHED)
            .bind(key)
            .bind(version)
            .fetch_optional(&mut **self)
            .await?;
        Ok(found.is_some())
    }

    async fn next_folio_number(&mut self, scope: &str, year: i64) -> Result<i64, StoreError> {
        Ok(sqlx::query_scalar(sql::NEXT_FOLIO_NUMBER)
            .bind(scope)
            .bind(year)
            .fetch_one(&mut **self)
            .await?)
    }

    async fn insert_case(&mut self, row: &CaseRow<'_>) -> Result<i64, StoreError> {
        Ok(sqlx::query_scalar(sql::INSERT_CASE)
            .bind(row.folio)
            .bind(row.folio_scope)
            .bind(row.folio_year)
            .bind(row.folio_number)
            .bind(row.procedure_key)
            .bind(row.procedure_version)
            .bind(row.title)
            .bind(row.channel)
            .bind(row.requester)
            .bind(row.created_at)
            .bind(crate::chain::GENESIS)
            .fetch_one(&mut **self)
            .await?)
    }

    async fn link_schedule(
        &mut self,
        link: &crate::write::ScheduleLink,
        case_folio: &str,
        at: &str,
    ) -> Result<bool, StoreError> {
        Ok(sqlx::query(sql::LINK_SCHEDULE)
            .bind(link.schedule)
            .bind(&link.nominal)
            .bind(&link.falls_on)
            .bind(case_folio)
            .bind(at)
            .execute(&mut **self)
            .await?
            .rows_affected()
            == 1)
    }

    async fn link_incoming(
        &mut self,
        year: i64,
        number: i64,
        case_folio: &str,
    ) -> Result<bool, StoreError> {
        Ok(sqlx::query(sql::LINK_INCOMING)
            .bind(case_folio)
            .bind(year)
            .bind(number)
            .execute(&mut **self)
            .await?
            .rows_affected()
            == 1)
    }

    async fn insert_events(&mut self, rows: &[EventInsert<'_>]) -> Result<(), StoreError> {
        let statement = format!(
            "{}{}",
            sql::INSERT_EVENTS,
            sql::placeholders(rows.len(), sql::EVENT_COLUMNS)
        );
        let mut query = sqlx::query(&statement);
        for row in rows {
            query = query
                .bind(row.case_id)
                .bind(row.seq)
                .bind(row.kind)
                .bind(row.payload)
                .bind(row.schema_version)
                .bind(row.actor)
                .bind(row.recorded_at)
                .bind(row.prev_hash)
                .bind(row.hash);
        }
        query.execute(&mut **self).await?;
        Ok(())
    }

    async fn advance_case(&mut self, u: &CaseUpdate<'_>) -> Result<bool, StoreError> {
        let done = sqlx::query(sql::ADVANCE_CASE)
            .bind(u.version)
            .bind(u.head_hash)
            .bind(u.status)
            .bind(u.fields)
            .bind(u.closed_at)
            .bind(u.id)
            .bind(u.expected_version)
            .bind(u.state)
            .bind(u.expected_head)
            .execute(&mut **self)
            .await?;
        Ok(done.rows_affected() == 1)
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
                sqlx::query(sql::OPEN_WORK_ITEM)
                    .bind(case_id)
                    .bind(item)
                    .bind(activity)
                    .bind(participant)
                    .bind(opened_at)
                    .bind(due)
                    .bind(term_from)
                    .execute(&mut **self)
                    .await?;
                for unit in units {
                    sqlx::query(sql::ADD_WORK_ITEM_UNIT)
                        .bind(unit)
                        .bind(case_id)
                        .bind(item)
                        .bind(due.as_deref().unwrap_or(NO_DUE))
                        .execute(&mut **self)
                        .await?;
                }
            }
            WorkChange::Complete {
                item,
                at,
                by,
                outcome,
                observations,
            } => {
                sqlx::query(sql::COMPLETE_WORK_ITEM)
                    .bind(at)
                    .bind(by)
                    .bind(outcome)
                    .bind(observations)
                    .bind(case_id)
                    .bind(item)
                    .execute(&mut **self)
                    .await?;
            }
            WorkChange::SetDue {
                item,
                due,
                term_from,
            } => {
                sqlx::query(sql::SET_DUE)
                    .bind(due)
                    .bind(case_id)
                    .bind(item)
                    .bind(term_from)
                    .execute(&mut **self)
                    .await?;
            }
            WorkChange::Withdraw { item, at } => {
                sqlx::query(sql::WITHDRAW_WORK_ITEM)
                    .bind(at)
                    .bind(case_id)
                    .bind(item)
                    .execute(&mut **self)
                    .await?;
            }
            WorkChange::Close {
                activity,
                state,
                at,
            } => {
                sqlx::query(sql::CLOSE_WORK_ITEMS)
                    .bind(*state)
                    .bind(at)
                    .bind(case_id)
                    .bind(activity)
                    .execute(&mut **self)
                    .await?;
            }
            WorkChange::Document {
                sha256,
                name,
                mime,
                size,
                at,
                by,
            } => {
                let linked = sqlx::query(sql::ADD_DOCUMENT)
                    .bind(case_id)
                    .bind(sha256)
                    .bind(name)
                    .bind(mime)
                    .bind(document_size(name, *size)?)
                    .bind(at)
                    .bind(by)
                    .execute(&mut **self)
                    .await?;
                if linked.rows_affected() != 1 {
                    return Err(unlinked_document(name, case_id));
                }
            }
        }
        Ok(())
    }
}
