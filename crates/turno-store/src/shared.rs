//! The SQL both backends share, written once. Every statement is plain SQL with `$N`
//! placeholders, which SQLite and PostgreSQL both accept; the macro instantiates it for each
//! backend's types. What differs (connecting, migrations, how a write transaction begins,
//! backups) lives in `sqlite.rs` and `postgres.rs`.

macro_rules! shared_sql {
    ($db:ty, $store:ty) => {
        impl<'c> $crate::write::WriteTx for sqlx::Transaction<'c, $db> {
            async fn commit(self) -> Result<(), $crate::StoreError> {
                Ok(sqlx::Transaction::commit(self).await?)
            }

            async fn rollback(self) -> Result<(), $crate::StoreError> {
                Ok(sqlx::Transaction::rollback(self).await?)
            }

            async fn idempotent_result(
                &mut self,
                key: &str,
            ) -> Result<Option<String>, $crate::StoreError> {
                Ok(
                    sqlx::query_scalar("SELECT result FROM idempotency_keys WHERE key = $1")
                        .bind(key)
                        .fetch_optional(&mut **self)
                        .await?,
                )
            }

            async fn save_idempotent_result(
                &mut self,
                key: &str,
                case_id: i64,
                result: &str,
                at: &str,
            ) -> Result<(), $crate::StoreError> {
                sqlx::query(
                    "INSERT INTO idempotency_keys (key, case_id, result, created_at) VALUES ($1, $2, $3, $4)",
                )
                .bind(key)
                .bind(case_id)
                .bind(result)
                .bind(at)
                .execute(&mut **self)
                .await?;
                Ok(())
            }

            async fn procedure_published(
                &mut self,
                key: &str,
                version: i64,
            ) -> Result<bool, $crate::StoreError> {
                let found: Option<i64> = sqlx::query_scalar(
                    "SELECT version FROM procedure_versions WHERE key = $1 AND version = $2",
                )
                .bind(key)
                .bind(version)
                .fetch_optional(&mut **self)
                .await?;
                Ok(found.is_some())
            }

            async fn next_folio_number(
                &mut self,
                scope: &str,
                year: i64,
            ) -> Result<i64, $crate::StoreError> {
                Ok(sqlx::query_scalar(
                    "INSERT INTO folio_counters (scope, year, last) VALUES ($1, $2, 1) \
                     ON CONFLICT (scope, year) DO UPDATE SET last = folio_counters.last + 1 \
                     RETURNING last",
                )
                .bind(scope)
                .bind(year)
                .fetch_one(&mut **self)
                .await?)
            }

            async fn insert_case(
                &mut self,
                row: &$crate::write::CaseRow<'_>,
            ) -> Result<i64, $crate::StoreError> {
                Ok(sqlx::query_scalar(
                    "INSERT INTO cases (folio, folio_scope, folio_year, folio_number, procedure_key, \
                     procedure_version, title, channel, requester, status, fields, created_at, \
                     version, head_hash, state) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'open', '{}', $10, 0, $11, '') \
                     RETURNING id",
                )
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
                .bind($crate::chain::GENESIS)
                .fetch_one(&mut **self)
                .await?)
            }

            async fn case_head(
                &mut self,
                id: i64,
            ) -> Result<Option<(String, i64, String)>, $crate::StoreError> {
                Ok(
                    sqlx::query_as("SELECT folio, version, head_hash FROM cases WHERE id = $1")
                        .bind(id)
                        .fetch_optional(&mut **self)
                        .await?,
                )
            }

            async fn insert_events(
                &mut self,
                rows: &[$crate::write::EventInsert<'_>],
            ) -> Result<(), $crate::StoreError> {
                let sql = format!(
                    "INSERT INTO events (case_id, seq, kind, payload, actor, recorded_at, prev_hash, hash) VALUES {}",
                    $crate::shared::placeholders(rows.len(), 8)
                );
                let mut query = sqlx::query(&sql);
                for row in rows {
                    query = query
                        .bind(row.case_id)
                        .bind(row.seq)
                        .bind(row.kind)
                        .bind(row.payload)
                        .bind(row.actor)
                        .bind(row.recorded_at)
                        .bind(row.prev_hash)
                        .bind(row.hash);
                }
                query.execute(&mut **self).await?;
                Ok(())
            }

            async fn advance_case(
                &mut self,
                u: &$crate::write::CaseUpdate<'_>,
            ) -> Result<bool, $crate::StoreError> {
                let done = sqlx::query(
                    "UPDATE cases SET version = $1, head_hash = $2, status = $3, fields = $4, \
                     closed_at = COALESCE(closed_at, $5), state = $8 WHERE id = $6 AND version = $7",
                )
                .bind(u.version)
                .bind(u.head_hash)
                .bind(u.status)
                .bind(u.fields)
                .bind(u.closed_at)
                .bind(u.id)
                .bind(u.expected_version)
                .bind(u.state)
                .execute(&mut **self)
                .await?;
                Ok(done.rows_affected() == 1)
            }

            async fn apply(
                &mut self,
                case_id: i64,
                change: &$crate::projection::WorkChange,
            ) -> Result<(), $crate::StoreError> {
                use $crate::projection::WorkChange;
                match change {
                    WorkChange::Open {
                        item,
                        activity,
                        participant,
                        opened_at,
                        due,
                        units,
                    } => {
                        sqlx::query(
                            "INSERT INTO work_items (case_id, item, activity, participant, opened_at, due, state) \
                             VALUES ($1, $2, $3, $4, $5, $6, 'open')",
                        )
                        .bind(case_id)
                        .bind(item)
                        .bind(activity)
                        .bind(participant)
                        .bind(opened_at)
                        .bind(due)
                        .execute(&mut **self)
                        .await?;
                        for unit in units {
                            sqlx::query(
                                "INSERT INTO work_item_units (unit_code, case_id, item, due, open) \
                                 VALUES ($1, $2, $3, $4, TRUE)",
                            )
                            .bind(unit)
                            .bind(case_id)
                            .bind(item)
                            .bind(due.as_deref().unwrap_or($crate::store::NO_DUE))
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
                        sqlx::query(
                            "UPDATE work_items SET state = 'done', completed_at = $1, completed_by = $2, \
                             outcome = $3, observations = $4 WHERE case_id = $5 AND item = $6",
                        )
                        .bind(at)
                        .bind(by)
                        .bind(outcome)
                        .bind(observations)
                        .bind(case_id)
                        .bind(item)
                        .execute(&mut **self)
                        .await?;
                    }
                    WorkChange::SetDue { item, due } => {
                        sqlx::query("UPDATE work_items SET due = $1 WHERE case_id = $2 AND item = $3")
                            .bind(due)
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
                        sqlx::query(
                            "UPDATE work_items SET state = $1, completed_at = $2 \
                             WHERE case_id = $3 AND state = 'open' AND ($4 IS NULL OR activity = $4)",
                        )
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
                        let size = i64::try_from(*size).map_err(|_| {
                            $crate::StoreError::corrupt(format!("document «{name}»: size {size}"))
                        })?;
                        // The row points to its event: the case's first DocumentAttached event
                        // without a row, which is this command's (its events are inserted and
                        // projected in order, in this transaction).
                        let linked = sqlx::query(
                            "INSERT INTO documents (case_id, event_id, sha256, name, mime, size, \
                             uploaded_at, uploaded_by) \
                             SELECT $1, e.id, $2, $3, $4, $5, $6, $7 FROM events e \
                             WHERE e.case_id = $1 AND e.kind = 'document_attached' \
                             AND NOT EXISTS (SELECT 1 FROM documents d WHERE d.event_id = e.id) \
                             ORDER BY e.seq LIMIT 1",
                        )
                        .bind(case_id)
                        .bind(sha256)
                        .bind(name)
                        .bind(mime)
                        .bind(size)
                        .bind(at)
                        .bind(by)
                        .execute(&mut **self)
                        .await?;
                        if linked.rows_affected() != 1 {
                            return Err($crate::StoreError::corrupt(format!(
                                "document «{name}» of case {case_id}: no event to link it to"
                            )));
                        }
                    }
                }
                Ok(())
            }
        }

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
                let row: Option<(String, String, i64, i64, String)> = sqlx::query_as(
                    "SELECT folio, procedure_key, procedure_version, version, state FROM cases WHERE id = $1",
                )
                .bind(id)
                .fetch_optional(&self.reader)
                .await?;
                let (folio, procedure_key, procedure_version, version, state) =
                    row.ok_or_else(|| $crate::StoreError::CaseNotFound(id.to_string()))?;
                let case = serde_json::from_str(&state).map_err(|e| {
                    $crate::StoreError::corrupt(format!("case {folio}: unreadable state: {e}"))
                })?;
                Ok($crate::CurrentCase {
                    id,
                    procedure_version: u32::try_from(procedure_version).map_err(|_| {
                        $crate::StoreError::corrupt(format!("case {folio}: bad version"))
                    })?,
                    folio,
                    procedure_key,
                    version,
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

/// `($1, $2), ($3, $4)` for a multi-row insert of `rows` rows of `columns` columns.
pub(crate) fn placeholders(rows: usize, columns: usize) -> String {
    (0..rows)
        .map(|row| {
            let values: Vec<String> = (1..=columns)
                .map(|column| format!("${}", row * columns + column))
                .collect();
            format!("({})", values.join(", "))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    #[test]
    fn placeholders_number_every_value() {
        assert_eq!(super::placeholders(2, 3), "($1, $2, $3), ($4, $5, $6)");
        assert_eq!(super::placeholders(1, 1), "($1)");
    }
}
