//! Web sessions kept in the database, so that several `turno serve` processes behind one
//! address share them (a sign-in on one is valid on all).

use async_trait::async_trait;
use std::collections::HashMap;
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
        // The record's data without its expiry decides whether anything changed.
        let data = serde_json::to_string(&record.data).map_err(|e| Error::Encode(e.to_string()))?;
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
