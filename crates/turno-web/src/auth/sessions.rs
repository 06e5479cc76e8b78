//! Web sessions kept in the database, so that several `turno serve` processes behind one
//! address share them (a sign-in on one is valid on all).

use async_trait::async_trait;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{Error, Result, SessionStore};
use turno_store::{AnyStore, Store};

#[derive(Clone)]
pub struct DbSessions {
    pub store: AnyStore,
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
        let data = serde_json::to_string(record).map_err(|e| Error::Encode(e.to_string()))?;
        self.store
            .save_session(
                &record.id.to_string(),
                &data,
                record.expiry_date.unix_timestamp(),
            )
            .await
            .map_err(backend)
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
        self.store
            .delete_session(&id.to_string())
            .await
            .map_err(backend)
    }
}
