//! The store a database URL names, chosen at run time: `sqlite://PATH` (or a plain path) or
//! `postgres://…`.

use crate::documents::{Document, DocumentRecord};
use crate::error::StoreError;
use crate::model::{CaseId, Commit, Committed, CurrentCase, InboxRow, StoredCase, VerifyReport};
use crate::store::{PublishedProcedure, Store};
use crate::{PgStore, SqliteStore};
use turno_domain::definition::Procedure;

#[derive(Debug, Clone)]
pub enum AnyStore {
    Sqlite(SqliteStore),
    Postgres(PgStore),
}

impl AnyStore {
    pub async fn connect(url: &str) -> Result<AnyStore, StoreError> {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(AnyStore::Postgres(PgStore::connect(url).await?))
        } else if url.starts_with("sqlite:") || !url.contains("://") {
            Ok(AnyStore::Sqlite(SqliteStore::open(url).await?))
        } else {
            Err(StoreError::UnsupportedUrl(url.to_owned()))
        }
    }
}

/// Forwards a call to whichever backend this is.
macro_rules! forward {
    ($self:ident, $store:ident => $call:expr) => {
        match $self {
            AnyStore::Sqlite($store) => $call.await,
            AnyStore::Postgres($store) => $call.await,
        }
    };
}

impl Store for AnyStore {
    async fn migrate(&self) -> Result<(), StoreError> {
        forward!(self, s => s.migrate())
    }

    async fn publish_procedure(
        &self,
        procedure: &Procedure,
        source: &str,
        at: jiff::Timestamp,
    ) -> Result<bool, StoreError> {
        forward!(self, s => s.publish_procedure(procedure, source, at))
    }

    async fn published_procedures(&self) -> Result<Vec<PublishedProcedure>, StoreError> {
        forward!(self, s => s.published_procedures())
    }

    async fn commit(&self, commit: Commit<'_>) -> Result<Committed, StoreError> {
        forward!(self, s => s.commit(commit))
    }

    async fn replayed(&self, key: &str) -> Result<Option<Committed>, StoreError> {
        forward!(self, s => s.replayed(key))
    }

    async fn find_case(&self, folio: &str) -> Result<Option<CaseId>, StoreError> {
        forward!(self, s => s.find_case(folio))
    }

    async fn load_current(&self, id: CaseId) -> Result<CurrentCase, StoreError> {
        forward!(self, s => s.load_current(id))
    }

    async fn load_case(&self, id: CaseId) -> Result<StoredCase, StoreError> {
        forward!(self, s => s.load_case(id))
    }

    async fn inbox(
        &self,
        unit: &str,
        limit: i64,
        offset: i64,
    ) -> Result<Vec<InboxRow>, StoreError> {
        forward!(self, s => s.inbox(unit, limit, offset))
    }

    async fn verify(&self) -> Result<VerifyReport, StoreError> {
        forward!(self, s => s.verify())
    }

    async fn documents(&self, case: CaseId) -> Result<Vec<Document>, StoreError> {
        forward!(self, s => s.documents(case))
    }

    async fn document_records(&self) -> Result<Vec<DocumentRecord>, StoreError> {
        forward!(self, s => s.document_records())
    }
}
