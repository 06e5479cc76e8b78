//! Web sessions kept in the database, so that several `turno serve` processes behind one
//! address share them (a sign-in on one is valid on all).

use async_trait::async_trait;
use std::collections::{BTreeMap, HashMap};
use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::{Arc, Mutex};
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{Error, Result, SessionStore};
use turno_store::{AnyStore, Store};

#[derive(Clone)]
pub struct DbSessions {
    pub store: AnyStore,
    /// What this process last wrote for each session. Sessions expire after inactivity, so
    /// every request would otherwise rewrite its session (a durable write per page view);
    /// an unchanged session is written again only when its expiry moved by a while.
    written: Arc<Mutex<HashMap<String, (u64, i64)>>>,
}

/// How far an unchanged session's expiry may lag before it is written again.
const EXPIRY_SLACK_SECONDS: i64 = 300;
/// Remembered sessions at most; past it the memory starts over (a few extra writes).
const REMEMBERED: usize = 100_000;

impl DbSessions {
    pub fn new(store: AnyStore) -> DbSessions {
        DbSessions {
            store,
            written: Arc::default(),
        }
    }

    fn digest(data: &str) -> u64 {
        let mut hasher = DefaultHasher::new();
        data.hash(&mut hasher);
        hasher.finish()
    }

    /// True when this exact data was written lately enough that writing it again is useless.
    fn unchanged(&self, id: &str, data: &str, expires_at: i64) -> bool {
        self.written.lock().is_ok_and(|written| {
            written.get(id).is_some_and(|(previous, previous_expiry)| {
                *previous == Self::digest(data)
                    && expires_at - previous_expiry < EXPIRY_SLACK_SECONDS
            })
        })
    }

    /// Remembers a write that succeeded.
    fn remember(&self, id: &str, data: &str, expires_at: i64) {
        if let Ok(mut written) = self.written.lock() {
            if written.len() >= REMEMBERED {
                written.clear();
            }
            written.insert(id.to_owned(), (Self::digest(data), expires_at));
        }
    }

    fn forget(&self, id: &str) {
        if let Ok(mut written) = self.written.lock() {
            written.remove(id);
        }
    }
}

impl std::fmt::Debug for DbSessions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DbSessions")
    }
}

fn backend(e: impl std::fmt::Display) -> Error {
    Error::Backend(e.to_string())
}

#[async_trait]
impl SessionStore for DbSessions {
    async fn create(&self, record: &mut Record) -> Result<()> {
        // Ids are random; a collision is astronomically rare but must not overwrite a session.
        loop {
            let data = serde_json::to_string(record).map_err(|e| Error::Encode(e.to_string()))?;
            let created = self
                .store
                .create_session(
                    &record.id.to_string(),
                    &data,
                    record.expiry_date.unix_timestamp(),
                )
                .await
                .map_err(backend)?;
            if created {
                return Ok(());
            }
            record.id = Id::default();
        }
    }

    async fn save(&self, record: &Record) -> Result<()> {
        // The record's data without its expiry decides whether anything changed; its keys
        // sorted, because a map read back from the database iterates in another order.
        let sorted: BTreeMap<_, _> = record.data.iter().collect();
        let data = serde_json::to_string(&sorted).map_err(|e| Error::Encode(e.to_string()))?;
        let id = record.id.to_string();
        let expires_at = record.expiry_date.unix_timestamp();
        if self.unchanged(&id, &data, expires_at) {
            return Ok(());
        }
        let whole = serde_json::to_string(record).map_err(|e| Error::Encode(e.to_string()))?;
        self.store
            .save_session(&id, &whole, expires_at)
            .await
            .map_err(backend)?;
        self.remember(&id, &data, expires_at);
        Ok(())
    }

    async fn load(&self, id: &Id) -> Result<Option<Record>> {
        let now = jiff::Timestamp::now().as_second();
        match self
            .store
            .load_session(&id.to_string(), now)
            .await
            .map_err(backend)?
        {
            Some(data) => serde_json::from_str(&data)
                .map(Some)
                .map_err(|e| Error::Decode(e.to_string())),
            None => Ok(None),
        }
    }

    async fn delete(&self, id: &Id) -> Result<()> {
        self.forget(&id.to_string());
        self.store
            .delete_session(&id.to_string())
            .await
            .map_err(backend)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tower_sessions::cookie::time::{self, OffsetDateTime};
    use turno_store::SqliteStore;

    /// Each request reads its session back into a fresh map, whose keys iterate in another
    /// order; that alone must not count as a change (it once made every other page view a
    /// durable write).
    #[tokio::test]
    async fn an_unchanged_session_read_back_is_not_written_again() {
        let dir = std::env::temp_dir().join(format!("turno-sessions-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("sessions.db");
        let store = AnyStore::Sqlite(SqliteStore::open(path.to_str().unwrap()).await.unwrap());
        store.migrate().await.unwrap();
        let sessions = DbSessions::new(store);

        let first_expiry = OffsetDateTime::now_utc() + time::Duration::hours(8);
        let mut record = Record {
            id: Id::default(),
            data: (0..8)
                .map(|i| (format!("clave{i}"), serde_json::json!(i)))
                .collect(),
            expiry_date: first_expiry,
        };
        sessions.create(&mut record).await.unwrap();
        sessions.save(&record).await.unwrap();
        for second in 1..30 {
            let mut loaded = sessions.load(&record.id).await.unwrap().unwrap();
            loaded.expiry_date = first_expiry + time::Duration::seconds(second);
            sessions.save(&loaded).await.unwrap();
        }
        let stored = sessions.load(&record.id).await.unwrap().unwrap();
        assert_eq!(stored.expiry_date, first_expiry, "no request rewrote it");

        // A real change is written, and so is an expiry that lags by more than the slack.
        let mut changed = stored.clone();
        changed
            .data
            .insert("aviso".into(), serde_json::json!("Guardado."));
        sessions.save(&changed).await.unwrap();
        let stored = sessions.load(&record.id).await.unwrap().unwrap();
        assert_eq!(stored.data["aviso"], "Guardado.");
        let mut later = stored.clone();
        later.expiry_date = first_expiry + time::Duration::seconds(EXPIRY_SLACK_SECONDS + 1);
        sessions.save(&later).await.unwrap();
        let stored = sessions.load(&record.id).await.unwrap().unwrap();
        assert_eq!(stored.expiry_date, later.expiry_date);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
