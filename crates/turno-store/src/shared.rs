//! The reads and the administration both backends share, written once: every statement is
//! plain SQL with `$N` placeholders, which SQLite and PostgreSQL both accept, and the macro
//! instantiates it for each backend's types. The command transactions are the backends' own
//! (`postgres.rs` through sqlx, `sqlite_writer.rs` through a dedicated connection), over the
//! statements of `sql.rs`.

macro_rules! shared_sql {
    ($store:ty, $db:ty) => {
        impl $store {
            /// `turno verify` on one set of tables, a page of cases at a time: each case's
            /// chain, state and status against its record, and its work against what the
            /// record projects (a case disposed of keeps only its links and its record of
            /// disposal: its state, work and documents are gone with the baja).
            async fn verify_cases<K>(
                &self,
                tables: &$crate::chain::CaseTables<K>,
                procedures: &$crate::projection::Procedures,
                report: &mut $crate::VerifyReport,
            ) -> Result<(), $crate::StoreError>
            where
                K: Default + Clone + Eq + std::hash::Hash + Send + Sync + Unpin + 'static,
                K: sqlx::Type<$db> + for<'q> sqlx::Encode<'q, $db> + for<'r> sqlx::Decode<'r, $db>,
            {
                let disposed: std::collections::HashMap<K, i64> = match tables.disposed {
                    Some(sql) => sqlx::query_as::<_, (K, i64)>(sql)
                        .fetch_all(&self.reader)
                        .await?
                        .into_iter()
                        .collect(),
                    None => std::collections::HashMap::new(),
                };
                let (cases_sql, events_sql, items_sql) =
                    (tables.cases(), tables.events(), tables.items());
                let mut after = K::default();
                loop {
                    let cases: Vec<(K, String, i64, String, String, String, String, i64)> =
                        sqlx::query_as(&cases_sql)
                            .bind(&after)
                            .fetch_all(&self.reader)
                            .await?;
                    let Some(last) = cases.last() else { break };
                    after = last.0.clone();
                    for (key, folio, version, head, state, status, procedure_key, procedure_version) in cases {
                        let events: Vec<$crate::chain::EventRow> = sqlx::query_as(&events_sql)
                            .bind(&key)
                            .fetch_all(&self.reader)
                            .await?;
                        report.cases += 1;
                        report.events += events.len() as u64;
                        if let Some(&seq) = disposed.get(&key) {
                            if let Err(e) =
                                $crate::chain::verify_disposed(&folio, version, &head, &events, seq)
                            {
                                report.breaks.push($crate::RecordBreak::Chain(e));
                            }
                            continue;
                        }
                        let Some((read, case)) = $crate::chain::check_case(
                            (&folio, version, &head),
                            (&state, &status),
                            &events,
                            &mut report.breaks,
                        ) else {
                            continue;
                        };
                        let Some(procedure) = procedures.get(&procedure_key, procedure_version) else {
                            report.breaks.push($crate::chain::unpublished(
                                &folio,
                                &procedure_key,
                                procedure_version,
                            ));
                            continue;
                        };
                        let items: Vec<$crate::projection::ItemRow> = sqlx::query_as(&items_sql)
                            .bind(&key)
                            .fetch_all(&self.reader)
                            .await?;
                        let (expected_items, expected_units) =
                            $crate::projection::rows(procedure, &case, &read);
                        let (expected, units) = match tables.units {
                            Some(sql) => {
                                let units: Vec<$crate::projection::UnitRow> = sqlx::query_as(sql)
                                    .bind(&key)
                                    .fetch_all(&self.reader)
                                    .await?;
                                ((expected_items, expected_units), units)
                            }
                            None => ((expected_items, Vec::new()), Vec::new()),
                        };
                        for problem in $crate::projection::differences(&expected, &items, &units) {
                            report.breaks.push($crate::chain::case_break(&folio, problem));
                        }
                    }
                }
                Ok(())
            }

            /// Every unit with its earlier forms, read on one connection (inside an import's
            /// transaction, or on its own).
            async fn organization_on(
                conn: &mut <$db as sqlx::Database>::Connection,
            ) -> Result<Vec<turno_domain::org::UnitSpec>, $crate::StoreError> {
                let rows: Vec<$crate::organization::UnitRow> = sqlx::query_as(
                    "SELECT u.id, u.code, u.name, u.kind, p.code AS parent_code, u.siglas, \
                     u.manual_number, u.functions, u.merged_into, u.valid_from, u.valid_to \
                     FROM units u LEFT JOIN units p ON p.id = u.parent_id",
                )
                .fetch_all(&mut *conn)
                .await?;
                let forms: Vec<$crate::organization::FormRow> = sqlx::query_as(
                    "SELECT unit_id, name, parent_code, kind, valid_from, valid_to \
                     FROM unit_forms ORDER BY unit_id, seq",
                )
                .fetch_all(&mut *conn)
                .await?;
                $crate::organization::assemble(rows, forms)
            }

            /// A procedure's version published with its source text, in the transaction of
            /// whatever publishes it (the library at start-up, a draft reviewed).
            pub(crate) async fn insert_procedure_version(
                conn: &mut <$db as sqlx::Database>::Connection,
                procedure: &turno_domain::definition::Procedure,
                source: &str,
                sha256: &str,
                at: jiff::Timestamp,
            ) -> Result<(), $crate::StoreError> {
                sqlx::query(
                    "INSERT INTO procedure_versions (key, version, title, source_text, \
                     source_sha256, published_at) VALUES ($1, $2, $3, $4, $5, $6)",
                )
                .bind(&procedure.key)
                .bind(i64::from(procedure.version))
                .bind(&procedure.title)
                .bind(source)
                .bind(sha256)
                .bind(at.to_string())
                .execute(&mut *conn)
                .await?;
                Ok(())
            }

            /// One entry of the audit log, in the transaction of the change it records, chained
            /// to the entry before it.
            pub(crate) async fn audit_on(
                conn: &mut <$db as sqlx::Database>::Connection,
                actor: &str,
                action: &str,
                subject: &str,
                detail: String,
            ) -> Result<(), $crate::StoreError> {
                // Taken first, so that the last entry read below is still the last at commit.
                sqlx::query("UPDATE audit_chain_lock SET taken = taken + 1 WHERE id = 1")
                    .execute(&mut *conn)
                    .await?;
                let last: Option<(i64, Option<String>)> =
                    sqlx::query_as("SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1")
                        .fetch_optional(&mut *conn)
                        .await?;
                let (id, previous) = match last {
                    None => (1, $crate::chain::GENESIS.to_owned()),
                    Some((id, Some(hash))) => (id + 1, hash),
                    // `migrate` chains every entry: one without links was written outside Turno.
                    Some((id, None)) => {
                        return Err($crate::StoreError::corrupt(format!(
                            "the audit log's entry {id} is not chained: run turno verify"
                        )));
                    }
                };
                let entry = $crate::AuditEntry {
                    id,
                    at: jiff::Timestamp::now().to_string(),
                    actor: actor.to_owned(),
                    action: action.to_owned(),
                    subject: subject.to_owned(),
                    detail,
                };
                let hash = $crate::chain::audit_link(&previous, &entry);
                sqlx::query(
                    "INSERT INTO audit_log (id, at, actor, action, subject, detail, prev_hash, hash) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                )
                .bind(entry.id)
                .bind(entry.at)
                .bind(entry.actor)
                .bind(entry.action)
                .bind(entry.subject)
                .bind(entry.detail)
                .bind(previous)
                .bind(hash)
                .execute(&mut *conn)
                .await?;
                Ok(())
            }

            /// Chains the audit log's entries written before it was chained (migration 0027),
            /// once: as soon as one entry is chained, an entry without links is one written
            /// outside Turno, which `verify` reports and this never covers up.
            async fn chain_audit_log(&self) -> Result<(), $crate::StoreError> {
                let mut tx = self.begin_write().await?;
                sqlx::query("UPDATE audit_chain_lock SET taken = taken + 1 WHERE id = 1")
                    .execute(&mut *tx)
                    .await?;
                let chained: Option<i64> =
                    sqlx::query_scalar("SELECT id FROM audit_log WHERE hash IS NOT NULL LIMIT 1")
                        .fetch_optional(&mut *tx)
                        .await?;
                if chained.is_some() {
                    return Ok(());
                }
                let unchained: Vec<$crate::AuditEntry> = sqlx::query_as(
                    "SELECT id, at, actor, action, subject, detail FROM audit_log ORDER BY id",
                )
                .fetch_all(&mut *tx)
                .await?;
                let mut previous = $crate::chain::GENESIS.to_owned();
                for entry in &unchained {
                    let hash = $crate::chain::audit_link(&previous, entry);
                    sqlx::query("UPDATE audit_log SET prev_hash = $1, hash = $2 WHERE id = $3")
                        .bind(&previous)
                        .bind(&hash)
                        .bind(entry.id)
                        .execute(&mut *tx)
                        .await?;
                    previous = hash;
                }
                tx.commit().await?;
                Ok(())
            }
        }

        impl $store {
            /// Takes the identity revision's row, which every change to administrators takes
            /// first: such changes run one after another, each seeing the one before.
            async fn lock_identity(
                conn: &mut <$db as sqlx::Database>::Connection,
            ) -> Result<(), $crate::StoreError> {
                sqlx::query("UPDATE identity_revision SET revision = revision + 1 WHERE id = 1")
                    .execute(&mut *conn)
                    .await?;
                Ok(())
            }

            /// Refuses a change to an active administrator (in its transaction, after
            /// [`Self::lock_identity`]) that left no active person with the administrator's role.
            async fn keep_an_administrator(
                conn: &mut <$db as sqlx::Database>::Connection,
            ) -> Result<(), $crate::StoreError> {
                let left: i64 = sqlx::query_scalar(
                    "SELECT COUNT(*) FROM memberships m JOIN users u ON u.id = m.user_id \
                     WHERE m.role = $1 AND u.active",
                )
                .bind($crate::Role::Administrador.as_str())
                .fetch_one(&mut *conn)
                .await?;
                if left == 0 {
                    return Err($crate::Refusal::LastAdministrator.into());
                }
                Ok(())
            }
        }

        impl $crate::Store for $store {
            async fn organization(
                &self,
            ) -> Result<Vec<turno_domain::org::UnitSpec>, $crate::StoreError> {
                let mut conn = self.reader.acquire().await?;
                Self::organization_on(&mut conn).await
            }

            async fn import_units(
                &self,
                units: &[turno_domain::org::UnitSpec],
                actor: &str,
            ) -> Result<$crate::ImportCounts, $crate::StoreError> {
                let mut tx = self.begin_write().await?;
                let existing: std::collections::HashMap<String, turno_domain::org::UnitSpec> =
                    Self::organization_on(&mut *tx)
                        .await?
                        .into_iter()
                        .map(|u| (u.code.clone(), u))
                        .collect();
                let mut counts = $crate::ImportCounts::default();
                let changed: Vec<&turno_domain::org::UnitSpec> = units
                    .iter()
                    .filter(|u| {
                        let same = existing.get(&u.code) == Some(*u);
                        if same {
                            counts.unchanged += 1;
                        }
                        !same
                    })
                    .collect();
                let date = |d: Option<jiff::civil::Date>| d.map(|d| d.to_string());
                for unit in &changed {
                    let functions = serde_json::to_string(&unit.functions)
                        .map_err($crate::StoreError::corrupt)?;
                    sqlx::query(
                        "INSERT INTO units (code, name, kind, siglas, manual_number, functions, \
                         merged_into, valid_from, valid_to) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
                         ON CONFLICT (code) DO UPDATE SET name = excluded.name, kind = excluded.kind, \
                         siglas = excluded.siglas, manual_number = excluded.manual_number, \
                         functions = excluded.functions, merged_into = excluded.merged_into, \
                         valid_from = excluded.valid_from, valid_to = excluded.valid_to",
                    )
                    .bind(&unit.code)
                    .bind(&unit.current.name)
                    .bind(unit.current.level.as_str())
                    .bind(&unit.siglas)
                    .bind(&unit.manual_number)
                    .bind(functions)
                    .bind(&unit.merged_into)
                    .bind(date(unit.current.valid_from))
                    .bind(date(unit.current.valid_to))
                    .execute(&mut *tx)
                    .await?;
                }
                // Parents once every unit exists: a file may list a unit before its parent.
                for unit in &changed {
                    sqlx::query(
                        "UPDATE units SET parent_id = (SELECT id FROM units WHERE code = $1) \
                         WHERE code = $2",
                    )
                    .bind(&unit.current.parent)
                    .bind(&unit.code)
                    .execute(&mut *tx)
                    .await?;
                    sqlx::query(
                        "DELETE FROM unit_forms WHERE unit_id = (SELECT id FROM units WHERE code = $1)",
                    )
                    .bind(&unit.code)
                    .execute(&mut *tx)
                    .await?;
                    for (seq, form) in unit.before.iter().enumerate() {
                        sqlx::query(
                            "INSERT INTO unit_forms (unit_id, seq, name, parent_code, kind, valid_from, valid_to) \
                             SELECT id, $2, $3, $4, $5, $6, $7 FROM units WHERE code = $1",
                        )
                        .bind(&unit.code)
                        .bind(seq as i64 + 1)
                        .bind(&form.name)
                        .bind(&form.parent)
                        .bind(form.level.as_str())
                        .bind(date(form.valid_from))
                        .bind(date(form.valid_to).unwrap_or_default())
                        .execute(&mut *tx)
                        .await?;
                    }
                    let action = if existing.contains_key(&unit.code) {
                        counts.changed += 1;
                        "unit_changed"
                    } else {
                        counts.created += 1;
                        "unit_created"
                    };
                    let detail = $crate::organization::detail(unit, existing.get(&unit.code));
                    Self::audit_on(&mut tx, actor, action, &unit.code, detail)
                        .await?;
                }
                tx.commit().await?;
                Ok(counts)
            }

            async fn calendar_revision(&self) -> Result<i64, $crate::StoreError> {
                Ok(sqlx::query_scalar("SELECT revision FROM calendar_revision WHERE id = 1")
                    .fetch_one(&self.reader)
                    .await?)
            }

            async fn calendar(
                &self,
            ) -> Result<$crate::calendar::StoredCalendar, $crate::StoreError> {
                let (revision, institution, state): (i64, Option<String>, Option<String>) =
                    sqlx::query_as(
                        "SELECT revision, institution, state FROM calendar_revision WHERE id = 1",
                    )
                    .fetch_one(&self.reader)
                    .await?;
                let state = state
                    .map(|s| s.parse().map_err($crate::StoreError::corrupt))
                    .transpose()?;
                let rows: Vec<$crate::calendar::EntryRow> = sqlx::query_as(&format!(
                    "SELECT {} FROM calendar_entries ORDER BY first_day, id",
                    $crate::calendar::ENTRY_COLUMNS
                ))
                .fetch_all(&self.reader)
                .await?;
                Ok($crate::calendar::StoredCalendar {
                    revision,
                    institution,
                    state,
                    entries: rows
                        .into_iter()
                        .map($crate::calendar::EntryRow::entry)
                        .collect::<Result<_, _>>()?,
                })
            }

            async fn import_calendar(
                &self,
                files: &[(&str, turno_domain::calendar::CalendarData)],
                actor: &str,
            ) -> Result<$crate::calendar::CalendarImport, $crate::StoreError> {
                use $crate::calendar::{detail, regimes};
                let mut tx = self.begin_write().await?;
                let at = jiff::Timestamp::now().to_string();
                let mut import = $crate::calendar::CalendarImport::default();
                for (file, data) in files {
                    let mut added = Vec::new();
                    for period in data.periods() {
                        let done = sqlx::query(
                            "INSERT INTO calendar_entries (first_day, last_day, name, regimes, \
                             institution, state, source, entry_key, file, imported_by, \
                             imported_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) \
                             ON CONFLICT (entry_key) DO NOTHING",
                        )
                        .bind(period.from.to_string())
                        .bind(period.to.to_string())
                        .bind(&period.name)
                        .bind(regimes(period))
                        .bind(&period.institution)
                        .bind(period.state.map(|s| s.code()))
                        .bind(&period.source)
                        .bind(detail(period).to_string())
                        .bind(*file)
                        .bind(actor)
                        .bind(&at)
                        .execute(&mut *tx)
                        .await?;
                        if done.rows_affected() == 0 {
                            import.unchanged += 1;
                        } else {
                            added.push(period.clone());
                        }
                    }
                    if !added.is_empty() {
                        let record = serde_json::json!({
                            "added": added.iter().map(detail).collect::<Vec<_>>(),
                        });
                        Self::audit_on(&mut tx, actor, "calendar_imported", file, record.to_string())
                            .await?;
                    }
                    import.added.extend(added);
                }
                import.revision = if import.added.is_empty() {
                    sqlx::query_scalar("SELECT revision FROM calendar_revision WHERE id = 1")
                        .fetch_one(&mut *tx)
                        .await?
                } else {
                    sqlx::query_scalar(
                        "UPDATE calendar_revision SET revision = revision + 1 WHERE id = 1 \
                         RETURNING revision",
                    )
                    .fetch_one(&mut *tx)
                    .await?
                };
                tx.commit().await?;
                Ok(import)
            }

            async fn set_calendar_scope(
                &self,
                institution: Option<&str>,
                state: Option<turno_domain::calendar::State>,
                actor: &str,
            ) -> Result<i64, $crate::StoreError> {
                let institution = institution.map(str::trim).filter(|i| !i.is_empty());
                let mut tx = self.begin_write().await?;
                let (was_institution, was_state): (Option<String>, Option<String>) =
                    sqlx::query_as(
                        "SELECT institution, state FROM calendar_revision WHERE id = 1",
                    )
                    .fetch_one(&mut *tx)
                    .await?;
                let revision: i64 = sqlx::query_scalar(
                    "UPDATE calendar_revision SET revision = revision + 1, institution = $1, \
                     state = $2 WHERE id = 1 RETURNING revision",
                )
                .bind(institution)
                .bind(state.map(|s| s.code()))
                .fetch_one(&mut *tx)
                .await?;
                let detail = serde_json::json!({
                    "institution": institution,
                    "state": state.map(|s| s.code()),
                    "was": {"institution": was_institution, "state": was_state},
                })
                .to_string();
                Self::audit_on(&mut tx, actor, "calendar_scope_set", "calendario", detail).await?;
                tx.commit().await?;
                Ok(revision)
            }

            async fn remove_calendar_entry(
                &self,
                id: i64,
                actor: &str,
            ) -> Result<Option<$crate::calendar::CalendarEntry>, $crate::StoreError> {
                let mut tx = self.begin_write().await?;
                let row: Option<$crate::calendar::EntryRow> = sqlx::query_as(&format!(
                    "SELECT {} FROM calendar_entries WHERE id = $1",
                    $crate::calendar::ENTRY_COLUMNS
                ))
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?;
                let Some(row) = row else { return Ok(None) };
                let entry = row.entry()?;
                sqlx::query("DELETE FROM calendar_entries WHERE id = $1")
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                sqlx::query("UPDATE calendar_revision SET revision = revision + 1 WHERE id = 1")
                    .execute(&mut *tx)
                    .await?;
                let record = $crate::calendar::detail(&entry.period).to_string();
                Self::audit_on(&mut tx, actor, "calendar_entry_removed", &entry.file, record)
                    .await?;
                tx.commit().await?;
                Ok(Some(entry))
            }

            async fn change_calendar_entry(
                &self,
                id: i64,
                period: &turno_domain::calendar::NonWorkingPeriod,
                actor: &str,
            ) -> Result<Option<$crate::calendar::CalendarEntry>, $crate::StoreError> {
                use $crate::calendar::{detail, regimes};
                let mut tx = self.begin_write().await?;
                let row: Option<$crate::calendar::EntryRow> = sqlx::query_as(&format!(
                    "SELECT {} FROM calendar_entries WHERE id = $1",
                    $crate::calendar::ENTRY_COLUMNS
                ))
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?;
                let Some(row) = row else { return Ok(None) };
                let entry = row.entry()?;
                let key = detail(period).to_string();
                // The key is unique: another entry with this content would refuse the update.
                let taken: Option<i64> = sqlx::query_scalar(
                    "SELECT id FROM calendar_entries WHERE entry_key = $1 AND id <> $2",
                )
                .bind(&key)
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?;
                if taken.is_some() {
                    return Err($crate::Refusal::CalendarEntryTaken.into());
                }
                sqlx::query(
                    "UPDATE calendar_entries SET first_day = $1, last_day = $2, name = $3, \
                     regimes = $4, institution = $5, state = $6, source = $7, entry_key = $8 \
                     WHERE id = $9",
                )
                .bind(period.from.to_string())
                .bind(period.to.to_string())
                .bind(&period.name)
                .bind(regimes(period))
                .bind(&period.institution)
                .bind(period.state.map(|s| s.code()))
                .bind(&period.source)
                .bind(&key)
                .bind(id)
                .execute(&mut *tx)
                .await?;
                sqlx::query("UPDATE calendar_revision SET revision = revision + 1 WHERE id = 1")
                    .execute(&mut *tx)
                    .await?;
                let record = serde_json::json!({
                    "before": detail(&entry.period),
                    "after": detail(period),
                })
                .to_string();
                Self::audit_on(&mut tx, actor, "calendar_entry_changed", &entry.file, record)
                    .await?;
                tx.commit().await?;
                Ok(Some(entry))
            }

            async fn audit_log(
                &self,
                subject: Option<&str>,
                limit: i64,
            ) -> Result<Vec<$crate::AuditEntry>, $crate::StoreError> {
                Ok(sqlx::query_as(
                    "SELECT id, at, actor, action, subject, detail FROM audit_log \
                     WHERE $1 IS NULL OR subject = $1 ORDER BY id DESC LIMIT $2",
                )
                .bind(subject)
                .bind(limit)
                .fetch_all(&self.reader)
                .await?)
            }

            async fn migrate(&self) -> Result<(), $crate::StoreError> {
                Self::MIGRATOR.run(&self.writer).await?;
                self.chain_audit_log().await
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
                    Some(_) => Err($crate::Refusal::ProcedureVersionExists {
                        key: procedure.key.clone(),
                        version: procedure.version,
                    }.into()),
                    None => {
                        Self::insert_procedure_version(&mut tx, procedure, source, &sha, at).await?;
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

            async fn find_current(
                &self,
                folio: &str,
            ) -> Result<Option<$crate::FoundCase>, $crate::StoreError> {
                let row: Option<$crate::store::FoundRecord> =
                    sqlx::query_as($crate::store::FIND_CURRENT)
                    .bind(folio)
                    .fetch_optional(&self.reader)
                    .await?;
                row.map($crate::store::FoundRecord::found).transpose()
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
                    row.ok_or_else(|| $crate::Refusal::CaseNotFound(id.to_string()))?;
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
                let row = row.ok_or_else(|| $crate::Refusal::CaseNotFound(id.to_string()))?;
                let events: Vec<$crate::store::EventRow> = sqlx::query_as(
                    "SELECT id, seq, payload, schema_version, actor, recorded_at FROM events \
                     WHERE case_id = $1 ORDER BY seq",
                )
                .bind(id)
                .fetch_all(&self.reader)
                .await?;
                row.with_events(events)
            }

            async fn record_window(
                &self,
                case: (i64, &str),
                after: i64,
                upto: i64,
            ) -> Result<Vec<$crate::StoredEvent>, $crate::StoreError> {
                let (id, folio) = case;
                static SQL: std::sync::LazyLock<String> =
                    std::sync::LazyLock::new($crate::store::record_window::<$store>);
                let rows: Vec<$crate::store::EventRow> = sqlx::query_as(SQL.as_str())
                    .bind(id)
                    .bind(after)
                    .bind(upto)
                    .fetch_all(&self.reader)
                    .await?;
                $crate::store::read_events(folio, rows)
            }

            async fn inbox(
                &self,
                unit: &str,
                limit: i64,
                offset: i64,
            ) -> Result<Vec<$crate::InboxRow>, $crate::StoreError> {
                Ok(sqlx::query_as(
                    "SELECT c.id AS case_id, c.folio, c.title, c.procedure_key, w.item, w.activity, \
                     w.opened_at, w.due, w.term_from \
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
                    "SELECT c.folio, e.case_id, e.id AS event_id, e.payload, e.schema_version, \
                     d.id AS document_id, \
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

            async fn upsert_unit(
                &self,
                unit: &$crate::UnitInput,
                actor: &str,
            ) -> Result<i64, $crate::StoreError> {
                let mut tx = self.begin_write().await?;
                let parent_id = match &unit.parent_code {
                    None => None,
                    Some(parent) => {
                        let id: i64 = sqlx::query_scalar("SELECT id FROM units WHERE code = $1")
                            .bind(parent)
                            .fetch_optional(&mut *tx)
                            .await?
                            .ok_or_else(|| $crate::Refusal::UnitNotFound(parent.clone()))?;
                        let below: Option<i64> = sqlx::query_scalar(
                            "WITH RECURSIVE below (id) AS ( \
                             SELECT id FROM units WHERE code = $1 \
                             UNION SELECT u.id FROM units u JOIN below b ON u.parent_id = b.id) \
                             SELECT id FROM below WHERE id = $2",
                        )
                        .bind(&unit.code)
                        .bind(id)
                        .fetch_optional(&mut *tx)
                        .await?;
                        if below.is_some() {
                            return Err($crate::Refusal::UnitCycle {
                                unit: unit.code.clone(),
                                parent: parent.clone(),
                            }.into());
                        }
                        Some(id)
                    }
                };
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO units (code, name, kind, parent_id) VALUES ($1, $2, $3, $4) \
                     ON CONFLICT (code) DO UPDATE SET name = excluded.name, kind = excluded.kind, \
                     parent_id = excluded.parent_id RETURNING id",
                )
                .bind(&unit.code)
                .bind(&unit.name)
                .bind(unit.level.as_str())
                .bind(parent_id)
                .fetch_one(&mut *tx)
                .await?;
                let detail = serde_json::json!({
                    "name": unit.name, "level": unit.level.as_str(), "parent": unit.parent_code,
                })
                .to_string();
                Self::audit_on(&mut tx, actor, "unit_changed", &unit.code, detail).await?;
                tx.commit().await?;
                Ok(id)
            }

            async fn units(&self) -> Result<Vec<$crate::Unit>, $crate::StoreError> {
                let mut units: Vec<$crate::Unit> = sqlx::query_as(
                    "SELECT u.id, u.code, u.name, u.kind, p.code AS parent_code \
                     FROM units u LEFT JOIN units p ON p.id = u.parent_id",
                )
                .fetch_all(&self.reader)
                .await?;
                // Sorted here: the databases' collations may order text differently.
                units.sort_by(|a, b| a.code.cmp(&b.code));
                Ok(units)
            }

            async fn create_user(
                &self,
                user: &$crate::NewUser,
                actor: &str,
            ) -> Result<i64, $crate::StoreError> {
                let mut tx = self.begin_write().await?;
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO users (login, name, email, password_hash, active, created_at) \
                     VALUES ($1, $2, $3, $4, TRUE, $5) RETURNING id",
                )
                .bind(&user.login)
                .bind(&user.name)
                .bind(&user.email)
                .bind(&user.password_hash)
                .bind(jiff::Timestamp::now().to_string())
                .fetch_one(&mut *tx)
                .await
                .map_err(|e| {
                    if $crate::identity::is_unique_violation(&e) {
                        $crate::StoreError::from($crate::Refusal::LoginTaken(user.login.clone()))
                    } else {
                        e.into()
                    }
                })?;
                let detail = serde_json::json!({"name": user.name, "email": user.email}).to_string();
                Self::audit_on(&mut tx, actor, "user_created", &user.login, detail).await?;
                tx.commit().await?;
                Ok(id)
            }

            async fn user_by_login(
                &self,
                login: &str,
            ) -> Result<Option<$crate::UserRecord>, $crate::StoreError> {
                Ok(sqlx::query_as(
                    "SELECT id, login, name, email, active, password_hash FROM users WHERE login = $1",
                )
                .bind(login)
                .fetch_optional(&self.reader)
                .await?)
            }

            async fn user(&self, id: i64) -> Result<Option<$crate::User>, $crate::StoreError> {
                Ok(
                    sqlx::query_as("SELECT id, login, name, email, active FROM users WHERE id = $1")
                        .bind(id)
                        .fetch_optional(&self.reader)
                        .await?,
                )
            }

            async fn cases_past_due(
                &self,
                before: jiff::civil::Date,
                limit: i64,
            ) -> Result<Vec<$crate::CaseId>, $crate::StoreError> {
                Ok(sqlx::query_scalar(
                    "SELECT DISTINCT case_id FROM work_items WHERE state = 'open' AND NOT overdue \
                     AND due < $1 ORDER BY case_id LIMIT $2",
                )
                .bind(before.to_string())
                .bind(limit)
                .fetch_all(&self.reader)
                .await?)
            }

            async fn cases_with_due(
                &self,
                after: $crate::CaseId,
                limit: i64,
            ) -> Result<Vec<$crate::CaseId>, $crate::StoreError> {
                Ok(sqlx::query_scalar(
                    "SELECT DISTINCT case_id FROM work_items WHERE state = 'open' AND due IS NOT NULL \
                     AND case_id > $1 ORDER BY case_id LIMIT $2",
                )
                .bind(after)
                .bind(limit)
                .fetch_all(&self.reader)
                .await?)
            }

            async fn people(&self) -> Result<Vec<$crate::Person>, $crate::StoreError> {
                let users: Vec<$crate::User> =
                    sqlx::query_as("SELECT id, login, name, email, active FROM users")
                        .fetch_all(&self.reader)
                        .await?;
                let rows: Vec<$crate::identity::MembershipRow> = sqlx::query_as(
                    "SELECT m.user_id, u.code AS unit_code, u.name AS unit_name, m.role, \
                     NULL AS substituting FROM memberships m JOIN units u ON u.id = m.unit_id",
                )
                .fetch_all(&self.reader)
                .await?;
                let mut by_user: std::collections::HashMap<i64, Vec<$crate::Membership>> =
                    std::collections::HashMap::new();
                for row in rows {
                    let user = row.user_id;
                    by_user
                        .entry(user)
                        .or_default()
                        .push($crate::Membership::try_from(row)?);
                }
                let mut people: Vec<$crate::Person> = users
                    .into_iter()
                    .map(|user| {
                        let mut memberships = by_user.remove(&user.id).unwrap_or_default();
                        memberships.sort_by(|a, b| (&a.unit_code, a.role).cmp(&(&b.unit_code, b.role)));
                        $crate::Person { user, memberships }
                    })
                    .collect();
                // Sorted here: the databases' collations may order text differently.
                people.sort_by(|a, b| a.user.login.cmp(&b.user.login));
                Ok(people)
            }

            async fn set_user_status(
                &self,
                id: i64,
                status: $crate::UserStatus,
                actor: &str,
            ) -> Result<bool, $crate::StoreError> {
                let (active, action) = match status {
                    $crate::UserStatus::Active => (true, "user_activated"),
                    $crate::UserStatus::Inactive => (false, "user_deactivated"),
                };
                let mut tx = self.begin_write().await?;
                Self::lock_identity(&mut tx).await?;
                let login: Option<String> =
                    sqlx::query_scalar("UPDATE users SET active = $1 WHERE id = $2 RETURNING login")
                        .bind(active)
                        .bind(id)
                        .fetch_optional(&mut *tx)
                        .await?;
                let Some(login) = login else { return Ok(false) };
                let administrator: Option<i64> = sqlx::query_scalar(
                    "SELECT user_id FROM memberships WHERE user_id = $1 AND role = $2 LIMIT 1",
                )
                .bind(id)
                .bind($crate::Role::Administrador.as_str())
                .fetch_optional(&mut *tx)
                .await?;
                if !active && administrator.is_some() {
                    Self::keep_an_administrator(&mut tx).await?;
                }
                Self::audit_on(&mut tx, actor, action, &login, "{}".into()).await?;
                tx.commit().await?;
                Ok(true)
            }

            async fn add_membership(
                &self,
                user_id: i64,
                unit_code: &str,
                role: $crate::Role,
                actor: &str,
            ) -> Result<(), $crate::StoreError> {
                let mut tx = self.begin_write().await?;
                let unit_id: i64 = sqlx::query_scalar("SELECT id FROM units WHERE code = $1")
                    .bind(unit_code)
                    .fetch_optional(&mut *tx)
                    .await?
                    .ok_or_else(|| $crate::Refusal::UnitNotFound(unit_code.to_owned()))?;
                let login: String = sqlx::query_scalar("SELECT login FROM users WHERE id = $1")
                    .bind(user_id)
                    .fetch_optional(&mut *tx)
                    .await?
                    .ok_or($crate::Refusal::UserNotFound(user_id))?;
                let added = sqlx::query(
                    "INSERT INTO memberships (user_id, unit_id, role) VALUES ($1, $2, $3) \
                     ON CONFLICT DO NOTHING",
                )
                .bind(user_id)
                .bind(unit_id)
                .bind(role.as_str())
                .execute(&mut *tx)
                .await?;
                if added.rows_affected() > 0 {
                    let detail =
                        serde_json::json!({"unit": unit_code, "role": role.as_str()}).to_string();
                    Self::audit_on(&mut tx, actor, "role_granted", &login, detail).await?;
                }
                tx.commit().await?;
                Ok(())
            }

            async fn remove_membership(
                &self,
                user_id: i64,
                unit_code: &str,
                role: $crate::Role,
                actor: &str,
            ) -> Result<bool, $crate::StoreError> {
                let mut tx = self.begin_write().await?;
                Self::lock_identity(&mut tx).await?;
                let login: Option<String> = sqlx::query_scalar(
                    "DELETE FROM memberships WHERE user_id = $1 \
                     AND unit_id = (SELECT id FROM units WHERE code = $2) AND role = $3 \
                     RETURNING (SELECT login FROM users WHERE id = $1)",
                )
                .bind(user_id)
                .bind(unit_code)
                .bind(role.as_str())
                .fetch_optional(&mut *tx)
                .await?;
                let Some(login) = login else { return Ok(false) };
                if role == $crate::Role::Administrador {
                    let active: bool = sqlx::query_scalar("SELECT active FROM users WHERE id = $1")
                        .bind(user_id)
                        .fetch_one(&mut *tx)
                        .await?;
                    if active {
                        Self::keep_an_administrator(&mut tx).await?;
                    }
                }
                let detail = serde_json::json!({"unit": unit_code, "role": role.as_str()}).to_string();
                Self::audit_on(&mut tx, actor, "role_revoked", &login, detail).await?;
                tx.commit().await?;
                Ok(true)
            }

            async fn create_delegation(
                &self,
                d: &$crate::NewDelegation,
                actor: &str,
            ) -> Result<i64, $crate::StoreError> {
                use $crate::DelegationProblem as Problem;
                let invalid =
                    |problem| $crate::StoreError::from($crate::Refusal::InvalidDelegation(problem));
                if d.ends_on < d.starts_on {
                    return Err(invalid(Problem::Reversed));
                }
                if d.titular == d.delegate {
                    return Err(invalid(Problem::Oneself));
                }
                if d.document_name.trim().is_empty() || d.document_sha256.len() != 64 {
                    return Err(invalid(Problem::NoDocument));
                }
                let mut tx = self.begin_write().await?;
                let unit_id: i64 = sqlx::query_scalar("SELECT id FROM units WHERE code = $1")
                    .bind(&d.unit_code)
                    .fetch_optional(&mut *tx)
                    .await?
                    .ok_or_else(|| $crate::Refusal::UnitNotFound(d.unit_code.clone()))?;
                let titular: Option<String> = sqlx::query_scalar(
                    "SELECT u.login FROM memberships m JOIN users u ON u.id = m.user_id \
                     WHERE m.user_id = $1 AND m.unit_id = $2 AND m.role = 'titular'",
                )
                .bind(d.titular)
                .bind(unit_id)
                .fetch_optional(&mut *tx)
                .await?;
                let titular =
                    titular.ok_or_else(|| invalid(Problem::NotTitular(d.unit_code.clone())))?;
                let delegate: String = sqlx::query_scalar("SELECT login FROM users WHERE id = $1")
                    .bind(d.delegate)
                    .fetch_optional(&mut *tx)
                    .await?
                    .ok_or($crate::Refusal::UserNotFound(d.delegate))?;
                let (starts, ends) = (d.starts_on.to_string(), d.ends_on.to_string());
                let overlap: Option<i64> = sqlx::query_scalar(
                    "SELECT id FROM delegations WHERE titular_id = $1 AND unit_id = $2 \
                     AND revoked_at IS NULL AND starts_on <= $4 AND ends_on >= $3",
                )
                .bind(d.titular)
                .bind(unit_id)
                .bind(&starts)
                .bind(&ends)
                .fetch_optional(&mut *tx)
                .await?;
                if let Some(other) = overlap {
                    return Err(invalid(Problem::Overlaps(other)));
                }
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO delegations (titular_id, delegate_id, unit_id, starts_on, ends_on, \
                     document_sha256, document_name, reason, created_at, created_by) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
                )
                .bind(d.titular)
                .bind(d.delegate)
                .bind(unit_id)
                .bind(&starts)
                .bind(&ends)
                .bind(&d.document_sha256)
                .bind(&d.document_name)
                .bind(&d.reason)
                .bind(jiff::Timestamp::now().to_string())
                .bind(actor)
                .fetch_one(&mut *tx)
                .await?;
                let detail = serde_json::json!({
                    "delegation": id, "delegate": delegate, "unit": d.unit_code,
                    "starts_on": starts, "ends_on": ends, "document": d.document_name,
                    "sha256": d.document_sha256, "reason": d.reason,
                })
                .to_string();
                Self::audit_on(&mut tx, actor, "delegation_created", &titular, detail).await?;
                tx.commit().await?;
                Ok(id)
            }

            async fn revoke_delegation(&self, id: i64, actor: &str) -> Result<bool, $crate::StoreError> {
                let mut tx = self.begin_write().await?;
                let titular: Option<String> = sqlx::query_scalar(
                    "SELECT u.login FROM delegations d JOIN users u ON u.id = d.titular_id WHERE d.id = $1",
                )
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?;
                let titular = titular.ok_or($crate::Refusal::DelegationNotFound(id))?;
                let done = sqlx::query(
                    "UPDATE delegations SET revoked_at = $1, revoked_by = $2 \
                     WHERE id = $3 AND revoked_at IS NULL",
                )
                .bind(jiff::Timestamp::now().to_string())
                .bind(actor)
                .bind(id)
                .execute(&mut *tx)
                .await?;
                if done.rows_affected() == 0 {
                    return Ok(false);
                }
                let detail = serde_json::json!({"delegation": id}).to_string();
                Self::audit_on(&mut tx, actor, "delegation_revoked", &titular, detail).await?;
                tx.commit().await?;
                Ok(true)
            }

            async fn delegations(&self) -> Result<Vec<$crate::Delegation>, $crate::StoreError> {
                Ok(sqlx::query_as(
                    "SELECT d.id, t.login AS titular_login, t.name AS titular_name, \
                     g.login AS delegate_login, g.name AS delegate_name, u.code AS unit_code, \
                     u.name AS unit_name, d.starts_on, d.ends_on, d.document_sha256, \
                     d.document_name, d.reason, d.created_at, d.created_by, d.revoked_at, \
                     d.revoked_by FROM delegations d JOIN users t ON t.id = d.titular_id \
                     JOIN users g ON g.id = d.delegate_id JOIN units u ON u.id = d.unit_id \
                     ORDER BY d.id DESC",
                )
                .fetch_all(&self.reader)
                .await?)
            }

            async fn delegated_memberships(
                &self,
                user_id: i64,
                on: jiff::civil::Date,
            ) -> Result<Vec<$crate::Membership>, $crate::StoreError> {
                let rows: Vec<$crate::identity::MembershipRow> = sqlx::query_as(
                    "SELECT u.code AS unit_code, u.name AS unit_name, 'titular' AS role, \
                     t.login AS substituting FROM delegations d JOIN units u ON u.id = d.unit_id \
                     JOIN users t ON t.id = d.titular_id WHERE d.delegate_id = $1 \
                     AND d.revoked_at IS NULL AND d.starts_on <= $2 AND d.ends_on >= $2 \
                     ORDER BY u.code",
                )
                .bind(user_id)
                .bind(on.to_string())
                .fetch_all(&self.reader)
                .await?;
                rows.into_iter().map($crate::Membership::try_from).collect()
            }

            async fn memberships(
                &self,
                user_id: i64,
            ) -> Result<Vec<$crate::Membership>, $crate::StoreError> {
                let rows: Vec<$crate::identity::MembershipRow> = sqlx::query_as(
                    "SELECT u.code AS unit_code, u.name AS unit_name, m.role, NULL AS substituting \
                     FROM memberships m JOIN units u ON u.id = m.unit_id WHERE m.user_id = $1",
                )
                .bind(user_id)
                .fetch_all(&self.reader)
                .await?;
                let mut memberships = rows
                    .into_iter()
                    .map($crate::Membership::try_from)
                    .collect::<Result<Vec<_>, _>>()?;
                memberships.sort_by(|a, b| (&a.unit_code, a.role).cmp(&(&b.unit_code, b.role)));
                Ok(memberships)
            }

            async fn save_session(
                &self,
                id: &str,
                data: &str,
                expires_at_unix: i64,
            ) -> Result<(), $crate::StoreError> {
                sqlx::query(
                    "INSERT INTO sessions (id, data, expires_at) VALUES ($1, $2, $3) \
                     ON CONFLICT (id) DO UPDATE SET data = excluded.data, expires_at = excluded.expires_at",
                )
                .bind(id)
                .bind(data)
                .bind(expires_at_unix)
                .execute(&self.writer)
                .await?;
                Ok(())
            }

            async fn create_session(
                &self,
                id: &str,
                data: &str,
                expires_at_unix: i64,
            ) -> Result<bool, $crate::StoreError> {
                let done = sqlx::query(
                    "INSERT INTO sessions (id, data, expires_at) VALUES ($1, $2, $3) \
                     ON CONFLICT (id) DO NOTHING",
                )
                .bind(id)
                .bind(data)
                .bind(expires_at_unix)
                .execute(&self.writer)
                .await?;
                Ok(done.rows_affected() == 1)
            }

            async fn load_session(
                &self,
                id: &str,
                now_unix: i64,
            ) -> Result<Option<String>, $crate::StoreError> {
                Ok(
                    sqlx::query_scalar("SELECT data FROM sessions WHERE id = $1 AND expires_at > $2")
                        .bind(id)
                        .bind(now_unix)
                        .fetch_optional(&self.reader)
                        .await?,
                )
            }

            async fn delete_session(&self, id: &str) -> Result<(), $crate::StoreError> {
                sqlx::query("DELETE FROM sessions WHERE id = $1")
                    .bind(id)
                    .execute(&self.writer)
                    .await?;
                Ok(())
            }

            async fn delete_expired_sessions(&self, now_unix: i64) -> Result<u64, $crate::StoreError> {
                let done = sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
                    .bind(now_unix)
                    .execute(&self.writer)
                    .await?;
                Ok(done.rows_affected())
            }

async fn create_api_token(
                &self,
                user_id: i64,
                name: &str,
                token_sha256: &str,
            ) -> Result<i64, $crate::StoreError> {
                let id: Option<i64> = sqlx::query_scalar(
                    "INSERT INTO api_tokens (user_id, name, token_sha256, created_at, revoked) \
                     SELECT id, $2, $3, $4, FALSE FROM users WHERE id = $1 RETURNING id",
                )
                .bind(user_id)
                .bind(name)
                .bind(token_sha256)
                .bind(jiff::Timestamp::now().to_string())
                .fetch_optional(&self.writer)
                .await
                .map_err(|e| {
                    if $crate::identity::is_unique_violation(&e) {
                        $crate::StoreError::UniqueViolation(
                            "an API token with this hash exists".into(),
                        )
                    } else {
                        e.into()
                    }
                })?;
                id.ok_or_else(|| $crate::Refusal::UserNotFound(user_id).into())
            }

            async fn user_by_api_token(
                &self,
                token_sha256: &str,
            ) -> Result<Option<$crate::TokenUser>, $crate::StoreError> {
                type Found = (i64, String, String, Option<String>, bool, Option<String>, i64);
                let found: Option<Found> = sqlx::query_as(
                    "SELECT u.id, u.login, u.name, u.email, u.active, t.last_used_at, \
                     (SELECT revision FROM identity_revision WHERE id = 1) \
                     FROM api_tokens t JOIN users u ON u.id = t.user_id \
                     WHERE t.token_sha256 = $1 AND NOT t.revoked AND u.active",
                )
                    .bind(token_sha256)
                    .fetch_optional(&self.reader)
                    .await?;
                let Some((id, login, name, email, active, last_used, identity_revision)) = found
                else {
                    return Ok(None);
                };
                // "Last used" is for people auditing tokens, to the minute: writing it on
                // every request would add a durable commit to every read of the API.
                let now = jiff::Timestamp::now();
                let stale = last_used
                    .and_then(|at| at.parse::<jiff::Timestamp>().ok())
                    .is_none_or(|at| now.duration_since(at) >= $crate::TOKEN_USE_GRANULARITY);
                if stale {
                    sqlx::query("UPDATE api_tokens SET last_used_at = $2 WHERE token_sha256 = $1")
                        .bind(token_sha256)
                        .bind(now.to_string())
                        .execute(&self.writer)
                        .await?;
                }
                Ok(Some($crate::TokenUser {
                    user: $crate::User {
                        id,
                        login,
                        name,
                        email,
                        active,
                    },
                    identity_revision,
                }))
            }

            async fn identity_revision(&self) -> Result<i64, $crate::StoreError> {
                Ok(sqlx::query_scalar("SELECT revision FROM identity_revision WHERE id = 1")
                    .fetch_one(&self.reader)
                    .await?)
            }

            async fn revoke_api_token(&self, id: i64) -> Result<bool, $crate::StoreError> {
                let done = sqlx::query("UPDATE api_tokens SET revoked = TRUE WHERE id = $1")
                    .bind(id)
                    .execute(&self.writer)
                    .await?;
                Ok(done.rows_affected() > 0)
            }

            async fn units_below(&self, codes: &[String]) -> Result<Vec<String>, $crate::StoreError> {
                if codes.is_empty() {
                    return Ok(Vec::new());
                }
                let sql = $crate::identity::units_below_sql(codes.len());
                let mut query = sqlx::query_scalar(&sql);
                for code in codes {
                    query = query.bind(code);
                }
                let below: Vec<String> = query.fetch_all(&self.reader).await?;
                let all: std::collections::BTreeSet<String> =
                    codes.iter().cloned().chain(below).collect();
                Ok(all.into_iter().collect())
            }

            async fn inbox_for_units(
                &self,
                units: &[String],
                limit: i64,
                offset: i64,
            ) -> Result<Vec<$crate::InboxRow>, $crate::StoreError> {
                self.inbox_query(&$crate::InboxQuery::of_units(units, limit, offset))
                    .await
            }

            async fn count_inbox_for_units(
                &self,
                units: &[String],
            ) -> Result<i64, $crate::StoreError> {
                self.count_inbox_query(&$crate::InboxQuery::of_units(units, 0, 0))
                    .await
            }

            async fn search_cases(
                &self,
                search: &$crate::CaseSearch,
            ) -> Result<Vec<$crate::CaseSummary>, $crate::StoreError> {
                let Some(filter) = $crate::search::case_filter::<Self>(search) else {
                    return Ok(Vec::new());
                };
                let sql = $crate::search::search_cases_sql(&filter);
                let mut query = sqlx::query_as(&sql);
                for value in &filter.binds {
                    query = query.bind(value);
                }
                Ok(query
                    .bind(search.limit)
                    .bind(search.offset)
                    .fetch_all(&self.reader)
                    .await?)
            }

            async fn count_cases(
                &self,
                search: &$crate::CaseSearch,
            ) -> Result<i64, $crate::StoreError> {
                let Some(filter) = $crate::search::case_filter::<Self>(search) else {
                    return Ok(0);
                };
                let sql = $crate::search::count_cases_sql(&filter);
                let mut query = sqlx::query_scalar(&sql);
                for value in &filter.binds {
                    query = query.bind(value);
                }
                Ok(query.fetch_one(&self.reader).await?)
            }

            async fn inbox_query(
                &self,
                inbox: &$crate::InboxQuery,
            ) -> Result<Vec<$crate::InboxRow>, $crate::StoreError> {
                let Some((sql, binds)) = $crate::search::inbox_query_sql(inbox, $crate::search::Answer::Page) else {
                    return Ok(Vec::new());
                };
                let mut query = sqlx::query_as(&sql);
                for value in &binds {
                    query = query.bind(value);
                }
                Ok(query
                    .bind(inbox.limit)
                    .bind(inbox.offset)
                    .fetch_all(&self.reader)
                    .await?)
            }

            async fn count_inbox_query(
                &self,
                inbox: &$crate::InboxQuery,
            ) -> Result<i64, $crate::StoreError> {
                let Some((sql, binds)) = $crate::search::inbox_query_sql(inbox, $crate::search::Answer::Count) else {
                    return Ok(0);
                };
                let mut query = sqlx::query_scalar(&sql);
                for value in &binds {
                    query = query.bind(value);
                }
                Ok(query.fetch_one(&self.reader).await?)
            }

            async fn verify(&self) -> Result<$crate::VerifyReport, $crate::StoreError> {
                let read = $crate::folios::Read {
                    counters: sqlx::query_as($crate::folios::COUNTERS)
                        .fetch_all(&self.reader)
                        .await?,
                    cases: sqlx::query_as($crate::folios::CASES)
                        .fetch_all(&self.reader)
                        .await?,
                    petitions: sqlx::query_as($crate::folios::PETITIONS)
                        .bind($crate::citizen::FOLIO_SCOPE)
                        .fetch_all(&self.reader)
                        .await?,
                    incoming: sqlx::query_as($crate::folios::INCOMING)
                        .bind($crate::correspondence::incoming::FOLIO_SCOPE)
                        .fetch_all(&self.reader)
                        .await?,
                    outgoing_counters: sqlx::query_as($crate::folios::OUTGOING_COUNTERS)
                        .fetch_all(&self.reader)
                        .await?,
                    outgoing: sqlx::query_as($crate::folios::OUTGOING)
                        .fetch_all(&self.reader)
                        .await?,
                };
                let series = $crate::folios::series(read);
                let mut report = $crate::VerifyReport {
                    cases: 0,
                    events: 0,
                    breaks: Vec::new(),
                    series,
                };
                let mut procedures = $crate::projection::Procedures::default();
                for published in self.published_procedures().await? {
                    procedures.add(published);
                }
                self.verify_cases(&$crate::chain::CaseTables::WORKING, &procedures, &mut report)
                    .await?;
                self.verify_cases(&$crate::chain::CaseTables::ARCHIVED, &procedures, &mut report)
                    .await?;
                // A case's own break is a more precise place than its series'.
                let unsound = report.series.iter().filter(|s| !s.is_sound()).cloned();
                report.breaks.extend(unsound.map($crate::RecordBreak::Series));
                let audit = $crate::chain::verify_audit(&self.audit_chain().await?);
                report.breaks.extend(audit.into_iter().map($crate::RecordBreak::Audit));
                Ok(report)
            }

            async fn record_heads(
                &self,
            ) -> Result<Vec<(String, i64, String)>, $crate::StoreError> {
                Ok(
                    sqlx::query_as(
                        "SELECT folio, version, head_hash FROM cases UNION ALL \
                         SELECT folio, version, head_hash FROM archived_cases ORDER BY folio",
                    )
                        .fetch_all(&self.reader)
                        .await?,
                )
            }

            async fn folio_counters(
                &self,
            ) -> Result<Vec<(String, i64, i64)>, $crate::StoreError> {
                Ok(sqlx::query_as(
                    "SELECT scope, year, last FROM folio_counters ORDER BY scope, year",
                )
                .fetch_all(&self.reader)
                .await?)
            }

            async fn outgoing_counters(
                &self,
            ) -> Result<Vec<(String, i64, i64)>, $crate::StoreError> {
                Ok(sqlx::query_as(&format!(
                    "{} ORDER BY u.code, c.year",
                    $crate::folios::OUTGOING_COUNTERS
                ))
                .fetch_all(&self.reader)
                .await?)
            }

            async fn event_hash(
                &self,
                folio: &str,
                seq: i64,
            ) -> Result<Option<String>, $crate::StoreError> {
                Ok(sqlx::query_scalar(
                    "SELECT e.hash FROM events e JOIN cases c ON c.id = e.case_id \
                     WHERE c.folio = $1 AND e.seq = $2 UNION ALL \
                     SELECT hash FROM archived_events WHERE folio = $1 AND seq = $2",
                )
                .bind(folio)
                .bind(seq)
                .fetch_optional(&self.reader)
                .await?)
            }

            async fn audit_head(&self) -> Result<(i64, String), $crate::StoreError> {
                let last: Option<(i64, Option<String>)> =
                    sqlx::query_as("SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1")
                        .fetch_optional(&self.reader)
                        .await?;
                Ok(match last {
                    Some((id, hash)) => (id, hash.unwrap_or_default()),
                    None => (0, $crate::chain::GENESIS.to_owned()),
                })
            }

            async fn audit_chain(
                &self,
            ) -> Result<Vec<$crate::chain::AuditRow>, $crate::StoreError> {
                Ok(sqlx::query_as(
                    "SELECT id, at, actor, action, subject, detail, prev_hash, hash \
                     FROM audit_log ORDER BY id",
                )
                .fetch_all(&self.reader)
                .await?)
            }

            async fn checkpoints(
                &self,
            ) -> Result<Vec<$crate::seal::StoredCheckpoint>, $crate::StoreError> {
                Ok(sqlx::query_as(
                    "SELECT id, content, signature FROM record_checkpoints ORDER BY id",
                )
                .fetch_all(&self.reader)
                .await?)
            }

            async fn last_checkpoint(
                &self,
            ) -> Result<Option<$crate::seal::StoredCheckpoint>, $crate::StoreError> {
                Ok(sqlx::query_as(
                    "SELECT id, content, signature FROM record_checkpoints ORDER BY id DESC LIMIT 1",
                )
                .fetch_optional(&self.reader)
                .await?)
            }

            async fn add_checkpoint(
                &self,
                previous: &str,
                content: &str,
                signature: &str,
            ) -> Result<bool, $crate::StoreError> {
                let written = sqlx::query(
                    "INSERT INTO record_checkpoints (previous, content, signature) \
                     VALUES ($1, $2, $3) ON CONFLICT (previous) DO NOTHING",
                )
                .bind(previous)
                .bind(content)
                .bind(signature)
                .execute(&self.writer)
                .await?;
                Ok(written.rows_affected() == 1)
            }
        }
    };
}

pub(crate) use shared_sql;
