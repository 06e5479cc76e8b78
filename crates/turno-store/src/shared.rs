//! The reads and the administration both backends share, written once: every statement is
//! plain SQL with `$N` placeholders, which SQLite and PostgreSQL both accept, and the macro
//! instantiates it for each backend's types. The command transactions are the backends' own
//! (`postgres.rs` through sqlx, `sqlite_writer.rs` through a dedicated connection), over the
//! statements of `sql.rs`.

macro_rules! shared_sql {
    ($store:ty) => {
        impl $crate::Store for $store {
            async fn migrate(&self) -> Result<(), $crate::StoreError> {
                Self::MIGRATOR.run(&self.writer).await?;
                Ok(())
            }

            async fn publish_procedure(
                &self,
                procedure: &turno_domain::definition::Procedure,
                source: &str,
                at: jiff::Timestamp,
            ) -> Result<bool, $crate::StoreError> {
                let sha = $crate::chain::sha256_hex(source.as_bytes());
                let mut tx = self.begin_write().await?;
                let existing: Option<String> = sqlx::query_scalar(
                    "SELECT source_sha256 FROM procedure_versions WHERE key = $1 AND version = $2",
                )
                .bind(&procedure.key)
                .bind(i64::from(procedure.version))
                .fetch_optional(&mut *tx)
                .await?;
                match existing {
                    Some(stored) if stored == sha => Ok(false),
                    Some(_) => Err($crate::StoreError::ProcedureVersionExists {
                        key: procedure.key.clone(),
                        version: procedure.version,
                    }),
                    None => {
                        sqlx::query(
                            "INSERT INTO procedure_versions (key, version, title, source_text, source_sha256, published_at) \
                             VALUES ($1, $2, $3, $4, $5, $6)",
                        )
                        .bind(&procedure.key)
                        .bind(i64::from(procedure.version))
                        .bind(&procedure.title)
                        .bind(source)
                        .bind(&sha)
                        .bind(at.to_string())
                        .execute(&mut *tx)
                        .await?;
                        tx.commit().await?;
                        Ok(true)
                    }
                }
            }

            async fn published_procedures(
                &self,
            ) -> Result<Vec<$crate::PublishedProcedure>, $crate::StoreError> {
                Ok(sqlx::query_as(
                    "SELECT key, version, source_text FROM procedure_versions ORDER BY key, version",
                )
                .fetch_all(&self.reader)
                .await?)
            }

            async fn commit(
                &self,
                commit: $crate::Commit<'_>,
            ) -> Result<$crate::Committed, $crate::StoreError> {
                use $crate::write::Written;
                let prepared = $crate::write::Prepared::new(&commit)?;
                match self.commit_prepared(prepared).await {
                    Ok(Written::Applied(done) | Written::Replayed(done)) => Ok(done),
                    Err(error) => {
                        // A concurrent retry of the same command may have won the race: then
                        // its result is this command's result.
                        if let Some(key) = commit.idempotency_key
                            && let Some(first) = self.replayed(key).await?
                        {
                            return Ok(first);
                        }
                        Err(error)
                    }
                }
            }

            async fn replayed(
                &self,
                key: &str,
            ) -> Result<Option<$crate::Committed>, $crate::StoreError> {
                let result: Option<String> =
                    sqlx::query_scalar("SELECT result FROM idempotency_keys WHERE key = $1")
                        .bind(key)
                        .fetch_optional(&self.writer)
                        .await?;
                result
                    .map(|text| {
                        let mut first: $crate::Committed =
                            serde_json::from_str(&text).map_err($crate::StoreError::corrupt)?;
                        first.replayed = true;
                        Ok(first)
                    })
                    .transpose()
            }

            async fn find_case(&self, folio: &str) -> Result<Option<i64>, $crate::StoreError> {
                Ok(sqlx::query_scalar("SELECT id FROM cases WHERE folio = $1")
                    .bind(folio)
                    .fetch_optional(&self.reader)
                    .await?)
            }

            async fn load_current(&self, id: i64) -> Result<$crate::CurrentCase, $crate::StoreError> {
                let row: Option<(String, String, i64, i64, String, String)> = sqlx::query_as(
                    "SELECT folio, procedure_key, procedure_version, version, head_hash, state \
                     FROM cases WHERE id = $1",
                )
                .bind(id)
                .fetch_optional(&self.reader)
                .await?;
                let (folio, procedure_key, procedure_version, version, head_hash, state) =
                    row.ok_or_else(|| $crate::StoreError::CaseNotFound(id.to_string()))?;
                let case = serde_json::from_str(&state).map_err(|e| {
                    $crate::StoreError::corrupt(format!("case {folio}: unreadable state: {e}"))
                })?;
                Ok($crate::CurrentCase {
                    procedure_version: u32::try_from(procedure_version).map_err(|_| {
                        $crate::StoreError::corrupt(format!("case {folio}: bad version"))
                    })?,
                    head: $crate::CaseHead {
                        id,
                        folio,
                        version,
                        head_hash,
                    },
                    procedure_key,
                    case,
                })
            }

            async fn load_case(&self, id: i64) -> Result<$crate::StoredCase, $crate::StoreError> {
                let row: Option<$crate::store::CaseRecord> = sqlx::query_as(
                    "SELECT id, folio, procedure_key, procedure_version, title, channel, requester, \
                     status, created_at, closed_at FROM cases WHERE id = $1",
                )
                .bind(id)
                .fetch_optional(&self.reader)
                .await?;
                let row = row.ok_or_else(|| $crate::StoreError::CaseNotFound(id.to_string()))?;
                let events: Vec<(i64, i64, String, String, String)> = sqlx::query_as(
                    "SELECT id, seq, payload, actor, recorded_at FROM events WHERE case_id = $1 ORDER BY seq",
                )
                .bind(id)
                .fetch_all(&self.reader)
                .await?;
                row.with_events(events)
            }

            async fn inbox(
                &self,
                unit: &str,
                limit: i64,
                offset: i64,
            ) -> Result<Vec<$crate::InboxRow>, $crate::StoreError> {
                Ok(sqlx::query_as(
                    "SELECT c.id AS case_id, c.folio, c.title, c.procedure_key, w.item, w.activity, \
                     w.opened_at, w.due \
                     FROM work_item_units u \
                     JOIN work_items w ON w.case_id = u.case_id AND w.item = u.item \
                     JOIN cases c ON c.id = u.case_id \
                     WHERE u.unit_code = $1 AND u.open \
                     ORDER BY u.due, u.case_id, u.item \
                     LIMIT $2 OFFSET $3",
                )
                .bind(unit)
                .bind(limit)
                .bind(offset)
                .fetch_all(&self.reader)
                .await?)
            }

            async fn documents(
                &self,
                case: i64,
            ) -> Result<Vec<$crate::Document>, $crate::StoreError> {
                Ok(sqlx::query_as(
                    "SELECT id, case_id, event_id, sha256, name, mime, size, uploaded_at, uploaded_by \
                     FROM documents WHERE case_id = $1 ORDER BY id",
                )
                .bind(case)
                .fetch_all(&self.reader)
                .await?)
            }

            async fn document_records(
                &self,
            ) -> Result<Vec<$crate::DocumentRecord>, $crate::StoreError> {
                let attached: Vec<$crate::documents::EventWithRow> = sqlx::query_as(
                    "SELECT c.folio, e.case_id, e.id AS event_id, e.payload, d.id AS document_id, \
                     d.case_id AS document_case_id, d.sha256, d.name, d.mime, d.size, \
                     d.uploaded_at, d.uploaded_by \
                     FROM events e JOIN cases c ON c.id = e.case_id \
                     LEFT JOIN documents d ON d.event_id = e.id \
                     WHERE e.kind = 'document_attached' ORDER BY e.case_id, e.id",
                )
                .fetch_all(&self.reader)
                .await?;
                let unbacked: Vec<$crate::documents::UnbackedRow> = sqlx::query_as(
                    "SELECT c.folio, d.id, d.case_id, d.event_id, d.sha256, d.name, d.mime, d.size, \
                     d.uploaded_at, d.uploaded_by \
                     FROM documents d JOIN cases c ON c.id = d.case_id \
                     WHERE d.event_id IS NULL OR NOT EXISTS (SELECT 1 FROM events e \
                     WHERE e.id = d.event_id AND e.kind = 'document_attached') ORDER BY d.id",
                )
                .fetch_all(&self.reader)
                .await?;
                Ok(attached
                    .into_iter()
                    .map(Into::into)
                    .chain(unbacked.into_iter().map(Into::into))
                    .collect())
            }

            async fn verify(&self) -> Result<$crate::VerifyReport, $crate::StoreError> {
                let cases: Vec<(i64, String, i64, String, String)> =
                    sqlx::query_as("SELECT id, folio, version, head_hash, state FROM cases ORDER BY id")
                        .fetch_all(&self.reader)
                        .await?;
                let mut report = $crate::VerifyReport {
                    cases: 0,
                    events: 0,
                    first_break: None,
                };
                for (id, folio, version, head, state) in cases {
                    let events: Vec<$crate::chain::EventRow> = sqlx::query_as(
                        "SELECT id, seq, kind, payload, actor, recorded_at, prev_hash, hash \
                         FROM events WHERE case_id = $1 ORDER BY id",
                    )
                    .bind(id)
                    .fetch_all(&self.reader)
                    .await?;
                    report.cases += 1;
                    report.events += events.len() as u64;
                    if let Err(broken) = $crate::chain::verify_case(&folio, version, &head, &events)
                        .and_then(|()| $crate::chain::verify_state(&folio, &state, &events))
                    {
                        report.first_break = Some(broken);
                        return Ok(report);
                    }
                }
                let gaps: Vec<(String, i64, i64, i64)> = sqlx::query_as(
                    "SELECT f.scope, f.year, f.last, COUNT(c.id) FROM folio_counters f \
                     LEFT JOIN cases c ON c.folio_scope = f.scope AND c.folio_year = f.year \
                     GROUP BY f.scope, f.year, f.last ORDER BY f.scope, f.year",
                )
                .fetch_all(&self.reader)
                .await?;
                if let Some((scope, year, last, count)) =
                    gaps.into_iter().find(|(_, _, last, count)| last != count)
                {
                    report.first_break = Some($crate::ChainBreak {
                        folio: format!("{scope}-{year}"),
                        event_id: None,
                        problem: format!(
                            "{last} folios were given but {count} cases are stored (a case was removed)"
                        ),
                    });
                }
                Ok(report)
            }
        }
    };
}

pub(crate) use shared_sql;
