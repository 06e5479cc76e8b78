//! Drafts of procedure definitions (migration 0050, docs/manual-import.md «En la aplicación»):
//! what an administrator uploaded (a manual or a BPMN file), its source text, the draft
//! definition as last saved and the import's review report. Publishing a draft writes its
//! definition into `procedure_versions` and marks the draft published, in one transaction; a
//! draft published or discarded changes no more. The application reads, checks and decides;
//! the store keeps them, each change on the audit log.

use crate::error::{Refusal, StoreError};
use crate::{PgStore, SqliteStore};
use turno_domain::definition::Procedure;

/// What a draft was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DraftSource {
    /// A manual of procedures (PDF or text), read by `turno_app::manual`.
    Manual,
    /// A BPMN 2.0 file, read by `turno_app::bpmn_import`.
    Bpmn,
}

impl DraftSource {
    pub fn as_str(self) -> &'static str {
        match self {
            DraftSource::Manual => "manual",
            DraftSource::Bpmn => "bpmn",
        }
    }

    fn parse(text: &str) -> Result<DraftSource, StoreError> {
        match text {
            "manual" => Ok(DraftSource::Manual),
            "bpmn" => Ok(DraftSource::Bpmn),
            other => Err(StoreError::corrupt(format!("draft source «{other}»"))),
        }
    }
}

/// Where a draft stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DraftState {
    /// Being reviewed: it may be saved, published or discarded.
    Borrador,
    Publicado,
    Descartado,
}

impl DraftState {
    pub fn as_str(self) -> &'static str {
        match self {
            DraftState::Borrador => "borrador",
            DraftState::Publicado => "publicado",
            DraftState::Descartado => "descartado",
        }
    }

    fn parse(text: &str) -> Result<DraftState, StoreError> {
        match text {
            "borrador" => Ok(DraftState::Borrador),
            "publicado" => Ok(DraftState::Publicado),
            "descartado" => Ok(DraftState::Descartado),
            other => Err(StoreError::corrupt(format!("draft state «{other}»"))),
        }
    }
}

/// A draft to record, as an import made it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewProcedureDraft {
    pub source: DraftSource,
    pub file_name: String,
    /// The uploaded file's SHA-256, kept in the blob store.
    pub file_sha256: String,
    /// The manual's text, or the BPMN XML.
    pub source_text: String,
    /// The draft's key as the import named it.
    pub key: String,
    /// The draft definition (TOML).
    pub definition: String,
    /// The import's review report.
    pub report: String,
}

/// A draft as listed: everything but its texts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProcedureDraftHead {
    pub id: i64,
    pub source: DraftSource,
    pub file_name: String,
    pub key: String,
    pub state: DraftState,
    pub created_by: String,
    pub created_at: String,
    pub changed_by: String,
    pub changed_at: String,
    /// The key and version it was published as.
    pub published: Option<(String, i64)>,
}

/// A draft with its texts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProcedureDraft {
    pub head: ProcedureDraftHead,
    pub file_sha256: String,
    pub source_text: String,
    pub definition: String,
    pub report: String,
}

type HeadRow = (
    i64,
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    Option<String>,
    Option<i64>,
);

const HEAD: &str = "id, source_kind, file_name, draft_key, state, created_by, created_at, \
     changed_by, changed_at, published_key, published_version";

fn head(row: HeadRow) -> Result<ProcedureDraftHead, StoreError> {
    let (id, source, file_name, key, state, created_by, created_at, changed_by, changed_at, pk, pv) =
        row;
    Ok(ProcedureDraftHead {
        id,
        source: DraftSource::parse(&source)?,
        file_name,
        key,
        state: DraftState::parse(&state)?,
        created_by,
        created_at,
        changed_by,
        changed_at,
        published: pk.zip(pv),
    })
}

store_trait! {
    pub trait ProcedureDrafts {
        /// Records the drafts of one upload in one transaction, each on the audit log;
        /// answers their ids in order.
        async fn add_procedure_drafts(
            &self,
            drafts: &[NewProcedureDraft],
            actor: &str,
            at: &str,
        ) -> Result<Vec<i64>, StoreError>;

        /// Every draft, the newest first, without its texts.
        async fn procedure_drafts(&self) -> Result<Vec<ProcedureDraftHead>, StoreError>;

        async fn procedure_draft(&self, id: i64) -> Result<Option<ProcedureDraft>, StoreError>;

        /// Replaces the definition of a draft being reviewed, on the audit log; a draft
        /// published or discarded is refused (`Refusal::DraftClosed`).
        async fn save_procedure_draft(
            &self,
            id: i64,
            definition: &str,
            actor: &str,
            at: &str,
        ) -> Result<(), StoreError>;

        /// Publishes a draft being reviewed as `procedure` (compiled from `definition`, which
        /// is saved as the draft's) in one transaction: the version written into
        /// `procedure_versions`, the draft marked published, the audit log. A version not
        /// newer than the newest published of the key is refused
        /// (`Refusal::ProcedureVersionTaken`), and so is a draft no longer being reviewed.
        async fn publish_procedure_draft(
            &self,
            id: i64,
            procedure: &Procedure,
            definition: &str,
            actor: &str,
            at: jiff::Timestamp,
        ) -> Result<(), StoreError>;

        /// Discards a draft being reviewed, on the audit log.
        async fn discard_procedure_draft(
            &self,
            id: i64,
            actor: &str,
            at: &str,
        ) -> Result<(), StoreError>;

        /// How many procedure versions are published: versions are never removed nor
        /// changed, so another count means another library (`App::reload_library`).
        async fn published_procedure_count(&self) -> Result<i64, StoreError>;
    }
}

macro_rules! procedure_drafts_impl {
    ($store:ty, $db:ty) => {
        impl $store {
            /// The draft's state in the transaction: refused when it is missing or no
            /// longer being reviewed.
            async fn open_draft(
                conn: &mut <$db as sqlx::Database>::Connection,
                id: i64,
            ) -> Result<String, StoreError> {
                let row: Option<(String, String)> =
                    sqlx::query_as("SELECT state, draft_key FROM procedure_drafts WHERE id = $1")
                        .bind(id)
                        .fetch_optional(&mut *conn)
                        .await?;
                match row {
                    None => Err(Refusal::DraftNotFound(id).into()),
                    Some((state, key)) if state == "borrador" => Ok(key),
                    Some((state, _)) => Err(Refusal::DraftClosed { id, state }.into()),
                }
            }
        }

        impl ProcedureDrafts for $store {
            async fn add_procedure_drafts(
                &self,
                drafts: &[NewProcedureDraft],
                actor: &str,
                at: &str,
            ) -> Result<Vec<i64>, StoreError> {
                let mut tx = self.begin_write().await?;
                let mut ids = Vec::with_capacity(drafts.len());
                for d in drafts {
                    let id: i64 = sqlx::query_scalar(
                        "INSERT INTO procedure_drafts (source_kind, file_name, file_sha256, \
                         source_text, draft_key, definition, report, state, created_by, \
                         created_at, changed_by, changed_at) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7, 'borrador', $8, $9, $8, $9) \
                         RETURNING id",
                    )
                    .bind(d.source.as_str())
                    .bind(&d.file_name)
                    .bind(&d.file_sha256)
                    .bind(&d.source_text)
                    .bind(&d.key)
                    .bind(&d.definition)
                    .bind(&d.report)
                    .bind(actor)
                    .bind(at)
                    .fetch_one(&mut *tx)
                    .await?;
                    let detail = serde_json::json!({
                        "draft": id,
                        "source": d.source.as_str(),
                        "file": d.file_name,
                        "sha256": d.file_sha256,
                    })
                    .to_string();
                    Self::audit_on(&mut tx, actor, "procedure_draft_created", &d.key, detail)
                        .await?;
                    ids.push(id);
                }
                tx.commit().await?;
                Ok(ids)
            }

            async fn procedure_drafts(&self) -> Result<Vec<ProcedureDraftHead>, StoreError> {
                let rows: Vec<HeadRow> = sqlx::query_as(&format!(
                    "SELECT {HEAD} FROM procedure_drafts ORDER BY id DESC"
                ))
                .fetch_all(&self.reader)
                .await?;
                rows.into_iter().map(head).collect()
            }

            async fn procedure_draft(&self, id: i64) -> Result<Option<ProcedureDraft>, StoreError> {
                let row: Option<HeadRow> = sqlx::query_as(&format!(
                    "SELECT {HEAD} FROM procedure_drafts WHERE id = $1"
                ))
                .bind(id)
                .fetch_optional(&self.reader)
                .await?;
                let Some(row) = row else {
                    return Ok(None);
                };
                let (file_sha256, source_text, definition, report): (
                    String,
                    String,
                    String,
                    String,
                ) = sqlx::query_as(
                    "SELECT file_sha256, source_text, definition, report \
                     FROM procedure_drafts WHERE id = $1",
                )
                .bind(id)
                .fetch_one(&self.reader)
                .await?;
                Ok(Some(ProcedureDraft {
                    head: head(row)?,
                    file_sha256,
                    source_text,
                    definition,
                    report,
                }))
            }

            async fn save_procedure_draft(
                &self,
                id: i64,
                definition: &str,
                actor: &str,
                at: &str,
            ) -> Result<(), StoreError> {
                let mut tx = self.begin_write().await?;
                let key = Self::open_draft(&mut tx, id).await?;
                sqlx::query(
                    "UPDATE procedure_drafts SET definition = $1, changed_by = $2, \
                     changed_at = $3 WHERE id = $4",
                )
                .bind(definition)
                .bind(actor)
                .bind(at)
                .bind(id)
                .execute(&mut *tx)
                .await?;
                let detail = serde_json::json!({
                    "draft": id,
                    "sha256": crate::chain::sha256_hex(definition.as_bytes()),
                })
                .to_string();
                Self::audit_on(&mut tx, actor, "procedure_draft_saved", &key, detail).await?;
                tx.commit().await?;
                Ok(())
            }

            async fn publish_procedure_draft(
                &self,
                id: i64,
                procedure: &Procedure,
                definition: &str,
                actor: &str,
                at: jiff::Timestamp,
            ) -> Result<(), StoreError> {
                let mut tx = self.begin_write().await?;
                Self::open_draft(&mut tx, id).await?;
                let version = i64::from(procedure.version);
                let newest: Option<i64> = sqlx::query_scalar(
                    "SELECT MAX(version) FROM procedure_versions WHERE key = $1",
                )
                .bind(&procedure.key)
                .fetch_one(&mut *tx)
                .await?;
                if let Some(newest) = newest
                    && newest >= version
                {
                    return Err(Refusal::ProcedureVersionTaken {
                        key: procedure.key.clone(),
                        version: procedure.version,
                        newest,
                    }
                    .into());
                }
                let sha = crate::chain::sha256_hex(definition.as_bytes());
                Self::insert_procedure_version(&mut tx, procedure, definition, &sha, at).await?;
                sqlx::query(
                    "UPDATE procedure_drafts SET definition = $1, state = 'publicado', \
                     changed_by = $2, changed_at = $3, published_key = $4, \
                     published_version = $5 WHERE id = $6",
                )
                .bind(definition)
                .bind(actor)
                .bind(at.to_string())
                .bind(&procedure.key)
                .bind(version)
                .bind(id)
                .execute(&mut *tx)
                .await?;
                let detail = serde_json::json!({
                    "draft": id,
                    "version": version,
                    "title": procedure.title,
                    "sha256": sha,
                })
                .to_string();
                Self::audit_on(&mut tx, actor, "procedure_draft_published", &procedure.key, detail)
                    .await?;
                tx.commit().await?;
                Ok(())
            }

            async fn discard_procedure_draft(
                &self,
                id: i64,
                actor: &str,
                at: &str,
            ) -> Result<(), StoreError> {
                let mut tx = self.begin_write().await?;
                let key = Self::open_draft(&mut tx, id).await?;
                sqlx::query(
                    "UPDATE procedure_drafts SET state = 'descartado', changed_by = $1, \
                     changed_at = $2 WHERE id = $3",
                )
                .bind(actor)
                .bind(at)
                .bind(id)
                .execute(&mut *tx)
                .await?;
                let detail = serde_json::json!({ "draft": id }).to_string();
                Self::audit_on(&mut tx, actor, "procedure_draft_discarded", &key, detail).await?;
                tx.commit().await?;
                Ok(())
            }

            async fn published_procedure_count(&self) -> Result<i64, StoreError> {
                Ok(sqlx::query_scalar("SELECT COUNT(*) FROM procedure_versions")
                    .fetch_one(&self.reader)
                    .await?)
            }
        }
    };
}

procedure_drafts_impl!(SqliteStore, sqlx::Sqlite);
procedure_drafts_impl!(PgStore, sqlx::Postgres);
