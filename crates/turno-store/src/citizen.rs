//! Citizen attention in the database (migration 0011): petitions with their folios counted per
//! year without gaps, the call-center files imported (procedure 96), and the public
//! mailbox's petitions (procedure 97), each filed with its folio in one transaction.
//!
//! A file's import is one transaction: the domain has read every row first (`CallReader`), and
//! the store writes the calls whose content key it does not have yet; the others count as
//! already imported, so importing the same file twice records each call once. SQLite imports
//! on the writer thread through rusqlite with one prepared statement (sqlx would hand every
//! row to its worker thread); PostgreSQL inserts arrays of rows with `UNNEST`.

use crate::error::StoreError;
use crate::{PgStore, SqliteStore};
use jiff::civil::DateTime;
use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use turno_domain::calendar::State;
use turno_domain::citizen::calls::{Call, ContentKey};
use turno_domain::citizen::{Channel, Contact, Petition, PetitionFolio, PetitionKind};

/// The folio counter's scope in `folio_counters`: the folios' own prefix, which no procedure
/// may take for its cases.
pub(crate) const FOLIO_SCOPE: &str = PetitionFolio::PREFIX;

/// A call-center file read without problems, to be written.
#[derive(Debug, Clone)]
pub struct CallImport {
    pub file_name: String,
    pub file_sha256: [u8; 32],
    pub imported_by: String,
    pub imported_at: jiff::Timestamp,
    /// In the file's order, which is the order of their folios.
    pub calls: Vec<Call>,
    /// The calls written or found already imported so far, for a progress bar.
    pub progress: Arc<AtomicUsize>,
}

/// What an import did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CallsImported {
    pub import_id: i64,
    pub added: usize,
    /// Calls whose content key was already stored.
    pub already: usize,
}

/// One import of a call-center file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallImportRecord {
    pub id: i64,
    pub file_name: String,
    pub file_sha256: [u8; 32],
    pub imported_by: String,
    pub imported_at: String,
    pub rows: i64,
    pub added: i64,
    pub already: i64,
}

/// A petition as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredPetition {
    pub folio: PetitionFolio,
    pub petition: Petition,
    /// `recibida` until it is classified.
    pub status: String,
    pub call_id: Option<String>,
    pub content_key: Option<ContentKey>,
    pub import_id: Option<i64>,
    /// The SHA-256 of the mailbox's access code (`AccessCode::digest`); compared by the
    /// caller in constant time.
    pub access_digest: Option<[u8; 32]>,
}

/// What the staff's list asks for; `None` is any. Dates are of reception, both included.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PetitionFilter {
    pub state: Option<State>,
    pub kind: Option<PetitionKind>,
    pub status: Option<String>,
    pub from: Option<jiff::civil::Date>,
    pub to: Option<jiff::civil::Date>,
    /// The newest this many.
    pub limit: u32,
}

store_trait! {
    /// Petitions and the call-center files they came from.
    pub trait Petitions {
        /// Writes a file's calls in one transaction; see the module's documentation.
        async fn import_calls(&self, import: CallImport) -> Result<CallsImported, StoreError>;

        async fn petition(
            &self,
            folio: PetitionFolio,
        ) -> Result<Option<StoredPetition>, StoreError>;

        /// Every import, the latest first.
        async fn call_imports(&self) -> Result<Vec<CallImportRecord>, StoreError>;

        /// Files a petition (of the public mailbox, or registered from a letter) with the digest
        /// of its access code: the next folio of its year, the petition and its letter in one
        /// transaction, so a failure leaves no gap.
        async fn file_petition(
            &self,
            petition: &Petition,
            access_digest: [u8; 32],
            letter: Option<&FiledLetter>,
        ) -> Result<PetitionFolio, StoreError>;

        /// The letter a petition came in, if it came in one.
        async fn letter(&self, folio: PetitionFolio) -> Result<Option<FiledLetter>, StoreError>;

        /// The petitions that pass the filter, the latest received first.
        async fn petitions(
            &self,
            filter: &PetitionFilter,
        ) -> Result<Vec<StoredPetition>, StoreError>;

        /// Records on the audit log that `actor` saw a petition's personal data unmasked.
        async fn record_personal_data_view(
            &self,
            folio: PetitionFolio,
            actor: &str,
        ) -> Result<(), StoreError>;
    }
}

/// A letter as stored: the oficio's data and its scanned document in the blob store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FiledLetter {
    pub letter: turno_domain::citizen::Letter,
    pub document_sha256: String,
    pub document_name: String,
}

const INSERT_IMPORT: &str = "INSERT INTO call_imports (file_name, file_sha256, imported_by, \
     imported_at, row_count, added, already) VALUES ($1, $2, $3, $4, $5, 0, 0) RETURNING id";

const FINISH_IMPORT: &str = "UPDATE call_imports SET added = $1, already = $2 WHERE id = $3";

const PETITION_COLUMNS: &str = "folio_year, folio_number, kind, channel, state, health_unit, \
     narrative, name, curp, phone, email, address, privacy_consent, received_at, call_id, \
     content_key, import_id";

/// The last number of each year's counter becomes `$3`.
const SET_FOLIO_COUNTER: &str = "INSERT INTO folio_counters (scope, year, last) VALUES ($1, $2, $3) \
     ON CONFLICT (scope, year) DO UPDATE SET last = excluded.last";

/// A petition's columns as text, in the order of `PETITION_COLUMNS` from `kind` to `call_id`.
struct Columns<'a> {
    kind: &'static str,
    channel: &'static str,
    state: &'static str,
    health_unit: Option<&'a str>,
    narrative: &'a str,
    name: Option<&'a str>,
    curp: Option<&'a str>,
    phone: Option<&'a str>,
    email: Option<&'a str>,
    address: Option<&'a str>,
    privacy_consent: bool,
    received_at: String,
    call_id: Option<&'a str>,
}

impl<'a> Columns<'a> {
    fn of(p: &'a Petition, call_id: Option<&'a str>) -> Columns<'a> {
        let c = &p.contact;
        Columns {
            kind: p.kind.code(),
            channel: p.channel.code(),
            state: p.state.code(),
            health_unit: p.health_unit.as_deref(),
            narrative: &p.narrative,
            name: c.name.as_deref(),
            curp: c.curp.as_ref().map(|v| v.as_str()),
            phone: c.phone.as_ref().map(|v| v.as_str()),
            email: c.email.as_ref().map(|v| v.as_str()),
            address: c.address.as_deref(),
            privacy_consent: p.privacy_consent,
            received_at: p.received_at.to_string(),
            call_id,
        }
    }
}

fn folio_year(call: &Call) -> i64 {
    i64::from(call.petition.received_at.year())
}

/// The import on SQLite, on the writer's connection.
pub(crate) fn import_on_sqlite(
    conn: &mut rusqlite::Connection,
    import: &CallImport,
) -> Result<CallsImported, StoreError> {
    use crate::sqlite_writer::sqlite_error;
    use rusqlite::{OptionalExtension, params};
    let tx = conn
        .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
        .map_err(sqlite_error)?;
    let numbered = |statement: &str| statement.replace('$', "?");
    let import_id: i64 = tx
        .query_row(
            &numbered(INSERT_IMPORT),
            params![
                import.file_name,
                import.file_sha256,
                import.imported_by,
                import.imported_at.to_string(),
                import.calls.len() as i64,
            ],
            |r| r.get(0),
        )
        .map_err(sqlite_error)?;
    // The transaction holds SQLite's write lock: the counters cannot move under it.
    let mut last: BTreeMap<i64, i64> = BTreeMap::new();
    let (mut added, mut already) = (0, 0);
    {
        let mut counter = tx
            .prepare("SELECT last FROM folio_counters WHERE scope = ?1 AND year = ?2")
            .map_err(sqlite_error)?;
        let placeholders = (1..=17).map(|i| format!("?{i}")).collect::<Vec<_>>();
        let mut insert = tx
            .prepare(&format!(
                "INSERT INTO petitions ({PETITION_COLUMNS}) VALUES ({}) \
                 ON CONFLICT (content_key) DO NOTHING",
                placeholders.join(", ")
            ))
            .map_err(sqlite_error)?;
        for (i, call) in import.calls.iter().enumerate() {
            let year = folio_year(call);
            let number = match last.get(&year) {
                Some(n) => *n,
                None => counter
                    .query_row(params![FOLIO_SCOPE, year], |r| r.get(0))
                    .optional()
                    .map_err(sqlite_error)?
                    .unwrap_or(0),
            } + 1;
            let c = Columns::of(&call.petition, call.call_id.as_deref());
            let inserted = insert
                .execute(params![
                    year,
                    number,
                    c.kind,
                    c.channel,
                    c.state,
                    c.health_unit,
                    c.narrative,
                    c.name,
                    c.curp,
                    c.phone,
                    c.email,
                    c.address,
                    c.privacy_consent,
                    c.received_at,
                    c.call_id,
                    call.key.0,
                    import_id,
                ])
                .map_err(sqlite_error)?;
            // The number is taken only by a row written; a known call leaves no gap.
            if inserted == 1 {
                last.insert(year, number);
                added += 1;
            } else {
                last.insert(year, number - 1);
                already += 1;
            }
            if i % 4096 == 4095 {
                import.progress.store(i + 1, Ordering::Relaxed);
            }
        }
    }
    for (year, number) in &last {
        tx.execute(
            &numbered(SET_FOLIO_COUNTER),
            params![FOLIO_SCOPE, year, number],
        )
        .map_err(sqlite_error)?;
    }
    tx.execute(
        &numbered(FINISH_IMPORT),
        params![added as i64, already as i64, import_id],
    )
    .map_err(sqlite_error)?;
    tx.commit().map_err(sqlite_error)?;
    import.progress.store(import.calls.len(), Ordering::Relaxed);
    Ok(CallsImported {
        import_id,
        added,
        already,
    })
}

/// Rows per statement on PostgreSQL: large enough to amortize the round trip, small enough to
/// keep each statement's arrays a few megabytes.
const PG_CHUNK: usize = 5_000;

impl PgStore {
    async fn import_on_postgres(&self, import: CallImport) -> Result<CallsImported, StoreError> {
        let mut tx = self.begin_write().await?;
        // Imports one at a time, so that the keys found below stay the keys stored until commit
        // (the lock conflicts with itself; readers are not blocked).
        sqlx::query("LOCK TABLE call_imports IN SHARE ROW EXCLUSIVE MODE")
            .execute(&mut *tx)
            .await?;
        let import_id: i64 = sqlx::query_scalar(INSERT_IMPORT)
            .bind(&import.file_name)
            .bind(&import.file_sha256[..])
            .bind(&import.imported_by)
            .bind(import.imported_at.to_string())
            .bind(import.calls.len() as i64)
            .fetch_one(&mut *tx)
            .await?;
        let mut known: HashSet<[u8; 32]> = HashSet::new();
        for chunk in import.calls.chunks(PG_CHUNK) {
            let keys: Vec<&[u8]> = chunk.iter().map(|c| &c.key.0[..]).collect();
            let found: Vec<Vec<u8>> =
                sqlx::query_scalar("SELECT content_key FROM petitions WHERE content_key = ANY($1)")
                    .bind(keys)
                    .fetch_all(&mut *tx)
                    .await?;
            known.extend(
                found
                    .iter()
                    .filter_map(|k| <[u8; 32]>::try_from(&k[..]).ok()),
            );
        }
        // A key twice in the calls given counts once, as on SQLite.
        let new: Vec<&Call> = import
            .calls
            .iter()
            .filter(|c| known.insert(c.key.0))
            .collect();
        let already = import.calls.len() - new.len();
        import.progress.store(already, Ordering::Relaxed);
        // Each year's numbers are taken at once; the counter's row stays locked until commit,
        // so a petition written meanwhile waits instead of leaving a gap.
        let mut per_year: BTreeMap<i64, i64> = BTreeMap::new();
        for call in &new {
            *per_year.entry(folio_year(call)).or_default() += 1;
        }
        let mut next: BTreeMap<i64, i64> = BTreeMap::new();
        for (year, count) in per_year {
            let last: i64 = sqlx::query_scalar(
                "INSERT INTO folio_counters (scope, year, last) VALUES ($1, $2, $3) \
                 ON CONFLICT (scope, year) DO UPDATE SET last = folio_counters.last + $3 \
                 RETURNING last",
            )
            .bind(FOLIO_SCOPE)
            .bind(year)
            .bind(count)
            .fetch_one(&mut *tx)
            .await?;
            next.insert(year, last - count + 1);
        }
        let statement = format!(
            "INSERT INTO petitions ({PETITION_COLUMNS}) SELECT * FROM UNNEST($1::bigint[], \
             $2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], \
             $8::text[], $9::text[], $10::text[], $11::text[], $12::text[], $13::boolean[], \
             $14::text[], $15::text[], $16::bytea[], $17::bigint[])"
        );
        for chunk in new.chunks(PG_CHUNK) {
            let numbers: Vec<(i64, i64)> = chunk
                .iter()
                .map(|call| {
                    let year = folio_year(call);
                    let number = next.get_mut(&year).map_or(0, |n| {
                        *n += 1;
                        *n - 1
                    });
                    (year, number)
                })
                .collect();
            let rows: Vec<Columns> = chunk
                .iter()
                .map(|c| Columns::of(&c.petition, c.call_id.as_deref()))
                .collect();
            fn column<'r, T>(rows: &'r [Columns], f: impl Fn(&'r Columns) -> T) -> Vec<T> {
                rows.iter().map(f).collect()
            }
            sqlx::query(&statement)
                .bind(numbers.iter().map(|n| n.0).collect::<Vec<_>>())
                .bind(numbers.iter().map(|n| n.1).collect::<Vec<_>>())
                .bind(column(&rows, |r| r.kind))
                .bind(column(&rows, |r| r.channel))
                .bind(column(&rows, |r| r.state))
                .bind(column(&rows, |r| r.health_unit))
                .bind(column(&rows, |r| r.narrative))
                .bind(column(&rows, |r| r.name))
                .bind(column(&rows, |r| r.curp))
                .bind(column(&rows, |r| r.phone))
                .bind(column(&rows, |r| r.email))
                .bind(column(&rows, |r| r.address))
                .bind(column(&rows, |r| r.privacy_consent))
                .bind(column(&rows, |r| r.received_at.as_str()))
                .bind(column(&rows, |r| r.call_id))
                .bind(chunk.iter().map(|c| &c.key.0[..]).collect::<Vec<_>>())
                .bind(vec![import_id; chunk.len()])
                .execute(&mut *tx)
                .await?;
            import.progress.fetch_add(chunk.len(), Ordering::Relaxed);
        }
        sqlx::query(FINISH_IMPORT)
            .bind(new.len() as i64)
            .bind(already as i64)
            .bind(import_id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(CallsImported {
            import_id,
            added: new.len(),
            already,
        })
    }
}

#[derive(sqlx::FromRow)]
struct PetitionRow {
    folio_year: i64,
    folio_number: i64,
    kind: String,
    channel: String,
    state: String,
    health_unit: Option<String>,
    narrative: String,
    name: Option<String>,
    curp: Option<String>,
    phone: Option<String>,
    email: Option<String>,
    address: Option<String>,
    privacy_consent: bool,
    received_at: String,
    status: String,
    call_id: Option<String>,
    content_key: Option<Vec<u8>>,
    import_id: Option<i64>,
    access_digest: Option<Vec<u8>>,
}

impl PetitionRow {
    fn petition(self) -> Result<StoredPetition, StoreError> {
        let folio = PetitionFolio {
            year: i16::try_from(self.folio_year).map_err(StoreError::corrupt)?,
            number: u32::try_from(self.folio_number).map_err(StoreError::corrupt)?,
        };
        let bad = |what: &str| StoreError::corrupt(format!("petition {folio}: {what}"));
        fn parse<T: std::str::FromStr>(
            value: Option<String>,
            bad: impl Fn() -> StoreError,
        ) -> Result<Option<T>, StoreError> {
            value.map(|v| v.parse().map_err(|_| bad())).transpose()
        }
        let contact = Contact {
            name: self.name,
            curp: parse(self.curp, || bad("CURP"))?,
            phone: parse(self.phone, || bad("telephone"))?,
            email: parse(self.email, || bad("e-mail"))?,
            address: self.address,
        };
        Ok(StoredPetition {
            folio,
            petition: Petition {
                kind: self.kind.parse::<PetitionKind>().map_err(|_| bad("kind"))?,
                channel: Channel::from_code(&self.channel).ok_or_else(|| bad("channel"))?,
                state: self.state.parse::<State>().map_err(|_| bad("entidad"))?,
                health_unit: self.health_unit,
                narrative: self.narrative,
                contact,
                privacy_consent: self.privacy_consent,
                received_at: self
                    .received_at
                    .parse::<DateTime>()
                    .map_err(|_| bad("received_at"))?,
            },
            status: self.status,
            call_id: self.call_id,
            content_key: self
                .content_key
                .map(|k| <[u8; 32]>::try_from(&k[..]).map(ContentKey))
                .transpose()
                .map_err(|_| bad("content key"))?,
            import_id: self.import_id,
            access_digest: self
                .access_digest
                .map(|d| <[u8; 32]>::try_from(&d[..]))
                .transpose()
                .map_err(|_| bad("access digest"))?,
        })
    }
}

#[derive(sqlx::FromRow)]
struct ImportRow {
    id: i64,
    file_name: String,
    file_sha256: Vec<u8>,
    imported_by: String,
    imported_at: String,
    row_count: i64,
    added: i64,
    already: i64,
}

/// The reads, the same SQL on both backends.
macro_rules! petitions_impl {
    ($store:ty, $import:ident) => {
        impl Petitions for $store {
            async fn import_calls(&self, import: CallImport) -> Result<CallsImported, StoreError> {
                self.$import(import).await
            }

            async fn petition(
                &self,
                folio: PetitionFolio,
            ) -> Result<Option<StoredPetition>, StoreError> {
                let row: Option<PetitionRow> = sqlx::query_as(&format!(
                    "SELECT {PETITION_COLUMNS}, status, access_digest FROM petitions \
                     WHERE folio_year = $1 AND folio_number = $2"
                ))
                .bind(i64::from(folio.year))
                .bind(i64::from(folio.number))
                .fetch_optional(&self.reader)
                .await?;
                row.map(PetitionRow::petition).transpose()
            }

            async fn call_imports(&self) -> Result<Vec<CallImportRecord>, StoreError> {
                let rows: Vec<ImportRow> = sqlx::query_as(
                    "SELECT id, file_name, file_sha256, imported_by, imported_at, row_count, \
                     added, already FROM call_imports ORDER BY id DESC",
                )
                .fetch_all(&self.reader)
                .await?;
                rows.into_iter()
                    .map(|r| {
                        Ok(CallImportRecord {
                            file_sha256: <[u8; 32]>::try_from(&r.file_sha256[..]).map_err(
                                |_| StoreError::corrupt(format!("call import {}: digest", r.id)),
                            )?,
                            id: r.id,
                            file_name: r.file_name,
                            imported_by: r.imported_by,
                            imported_at: r.imported_at,
                            rows: r.row_count,
                            added: r.added,
                            already: r.already,
                        })
                    })
                    .collect()
            }

            async fn file_petition(
                &self,
                petition: &Petition,
                access_digest: [u8; 32],
                letter: Option<&FiledLetter>,
            ) -> Result<PetitionFolio, StoreError> {
                let year = i64::from(petition.received_at.year());
                let mut tx = self.begin_write().await?;
                // The counter's row stays locked until commit: a petition filed or a file
                // imported meanwhile waits for this number instead of taking it.
                let number: i64 = sqlx::query_scalar($crate::sql::NEXT_FOLIO_NUMBER)
                    .bind(FOLIO_SCOPE)
                    .bind(year)
                    .fetch_one(&mut *tx)
                    .await?;
                let c = Columns::of(petition, None);
                sqlx::query(
                    "INSERT INTO petitions (folio_year, folio_number, kind, channel, state, \
                     health_unit, narrative, name, curp, phone, email, address, \
                     privacy_consent, received_at, access_digest) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)",
                )
                .bind(year)
                .bind(number)
                .bind(c.kind)
                .bind(c.channel)
                .bind(c.state)
                .bind(c.health_unit)
                .bind(c.narrative)
                .bind(c.name)
                .bind(c.curp)
                .bind(c.phone)
                .bind(c.email)
                .bind(c.address)
                .bind(c.privacy_consent)
                .bind(c.received_at)
                .bind(&access_digest[..])
                .execute(&mut *tx)
                .await?;
                if let Some(filed) = letter {
                    sqlx::query(
                        "INSERT INTO petition_letters (folio_year, folio_number, sender, \
                         reference, dated, document_sha256, document_name) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7)",
                    )
                    .bind(year)
                    .bind(number)
                    .bind(&filed.letter.sender)
                    .bind(&filed.letter.reference)
                    .bind(filed.letter.dated.to_string())
                    .bind(&filed.document_sha256)
                    .bind(&filed.document_name)
                    .execute(&mut *tx)
                    .await?;
                }
                tx.commit().await?;
                Ok(PetitionFolio {
                    year: i16::try_from(year).map_err(StoreError::corrupt)?,
                    number: u32::try_from(number).map_err(StoreError::corrupt)?,
                })
            }

            async fn letter(
                &self,
                folio: PetitionFolio,
            ) -> Result<Option<FiledLetter>, StoreError> {
                let row: Option<(String, String, String, String, String)> = sqlx::query_as(
                    "SELECT sender, reference, dated, document_sha256, document_name \
                     FROM petition_letters WHERE folio_year = $1 AND folio_number = $2",
                )
                .bind(i64::from(folio.year))
                .bind(i64::from(folio.number))
                .fetch_optional(&self.reader)
                .await?;
                row.map(|(sender, reference, dated, document_sha256, document_name)| {
                    Ok(FiledLetter {
                        letter: turno_domain::citizen::Letter {
                            sender,
                            reference,
                            dated: dated.parse().map_err(StoreError::corrupt)?,
                        },
                        document_sha256,
                        document_name,
                    })
                })
                .transpose()
            }

            async fn petitions(
                &self,
                filter: &PetitionFilter,
            ) -> Result<Vec<StoredPetition>, StoreError> {
                // Dates compare as text: received_at is aaaa-mm-ddThh:mm:ss. The last day there
                // is (9999-12-31) has no day after it, and bounds nothing.
                let after_to = filter.to.and_then(|d| d.tomorrow().ok());
                let rows: Vec<PetitionRow> = sqlx::query_as(&format!(
                    "SELECT {PETITION_COLUMNS}, status, access_digest FROM petitions \
                     WHERE ($1 IS NULL OR state = $1) AND ($2 IS NULL OR kind = $2) \
                     AND ($3 IS NULL OR status = $3) AND ($4 IS NULL OR received_at >= $4) \
                     AND ($5 IS NULL OR received_at < $5) \
                     ORDER BY received_at DESC, folio_year DESC, folio_number DESC LIMIT $6"
                ))
                .bind(filter.state.map(State::code))
                .bind(filter.kind.map(PetitionKind::code))
                .bind(filter.status.as_deref())
                .bind(filter.from.map(|d| d.to_string()))
                .bind(after_to.map(|d| d.to_string()))
                .bind(i64::from(filter.limit))
                .fetch_all(&self.reader)
                .await?;
                rows.into_iter().map(PetitionRow::petition).collect()
            }

            async fn record_personal_data_view(
                &self,
                folio: PetitionFolio,
                actor: &str,
            ) -> Result<(), StoreError> {
                let mut tx = self.begin_write().await?;
                Self::audit_on(
                    &mut tx,
                    actor,
                    "petition_personal_data_viewed",
                    &folio.to_string(),
                    "{}".into(),
                )
                .await?;
                tx.commit().await?;
                Ok(())
            }
        }
    };
}

impl SqliteStore {
    async fn import_on_writer(&self, import: CallImport) -> Result<CallsImported, StoreError> {
        self.on_writer(move |conn| import_on_sqlite(conn, &import))
            .await
    }
}

petitions_impl!(SqliteStore, import_on_writer);
petitions_impl!(PgStore, import_on_postgres);
