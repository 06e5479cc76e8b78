//! The archive (migration 0043, `docs/archive.md`): the chart and catalog, the expedientes and
//! what is classified into them, the lists a person approves, and the carrying out of an
//! approved list. A baja disposes of the cases its expedientes hold: it appends to each case's
//! chain a record of disposal (kind [`DISPOSAL_KIND`], version [`DISPOSAL_VERSION`]: the
//! domain's `archive::Disposal`, with every event's seq and hash and every document's digest),
//! then empties the payloads of the events before it and removes the case's state, fields,
//! work and documents. The hashes stay, so `turno verify` still checks every link
//! (`chain::verify_disposed`). The store records; who may approve and what is due is the
//! application's and the domain's.

use crate::error::StoreError;
use jiff::civil::Date;
use turno_domain::archive::{
    Access, Chart, Destination, Fondo, List, ListKind, ListState, Location, Section, Serie, Terms,
};

/// The `kind` of the record of disposal in a case's chain.
pub const DISPOSAL_KIND: &str = "archive_disposed";
/// Its stored form's version: apart from the engine's events (`record.rs`), whose versions count
/// from 1, since it is written by the archive and read by `turno verify`, never replayed.
pub const DISPOSAL_VERSION: i64 = 1000;
/// The status a case disposed of keeps.
pub const DISPOSED_STATUS: &str = "Dado de baja";

/// Every column that names a file of the blob store by its SHA-256, as (table, column): the
/// documents of cases, suplencias' oficios, petitions' letters, follow-up evidence, incoming
/// documents' files, outgoing documents' scans, acuses, signed and issued PDFs, visits'
/// evidence. A new one must be added here, or a baja could remove a file it still names.
pub const BLOB_USERS: [(&str, &str); 11] = [
    ("documents", "sha256"),
    ("delegations", "document_sha256"),
    ("petition_letters", "document_sha256"),
    ("followup_evidence", "sha256"),
    ("followup_updates", "evidence_sha256"),
    ("incoming_attachments", "sha256"),
    ("outgoing_documents", "scan_sha256"),
    ("outgoing_recipients", "acuse_sha256"),
    ("outgoing_signatures", "digest"),
    ("outgoing_issued", "sha256"),
    ("visit_findings", "evidence_sha256"),
];

store_trait! {
    /// The archive's chart, expedientes and lists.
    pub trait Archive {
        /// The chart and catalog; `None` before it is seeded or imported.
        async fn chart(&self) -> Result<Option<Chart>, StoreError>;

        /// Writes the chart: the fondo, and every sección and serie added or changed (by code);
        /// none is removed, since expedientes may be classified under it. One transaction, on the
        /// audit log.
        async fn save_chart(&self, chart: &Chart, actor: &str) -> Result<(), StoreError>;

        /// Opens an expediente; answers its id. Its number is unique
        /// ([`Refusal::ArchiveTaken`](crate::Refusal::ArchiveTaken)).
        async fn open_expediente(
            &self,
            expediente: &NewExpediente,
            actor: &str,
        ) -> Result<i64, StoreError>;

        /// Closes an open expediente on `on`; `false` when there is none open by that id.
        async fn close_expediente(&self, id: i64, on: Date, actor: &str) -> Result<bool, StoreError>;

        /// Classifies `subject` into expediente `id` (again, if it was elsewhere).
        async fn classify(&self, subject: &Subject, id: i64, actor: &str) -> Result<(), StoreError>;

        /// The expediente `subject` is classified in.
        async fn classified(&self, subject: &Subject) -> Result<Option<i64>, StoreError>;

        /// Every expediente, by number, with what it holds.
        async fn expedientes(&self) -> Result<Vec<StoredExpediente>, StoreError>;

        /// What expediente `id` holds: every subject, in the order classified.
        async fn contents(&self, id: i64) -> Result<Vec<Subject>, StoreError>;

        /// Records a draft list; answers its id. Its number is unique.
        async fn create_list(&self, list: &List, actor: &str) -> Result<i64, StoreError>;

        /// Every list, the latest first.
        async fn lists(&self) -> Result<Vec<StoredList>, StoreError>;

        async fn list(&self, id: i64) -> Result<Option<StoredList>, StoreError>;

        /// Records the approval of a draft list; refused when it is not a draft any more
        /// ([`Refusal::ArchiveListState`](crate::Refusal::ArchiveListState)).
        async fn approve_list(&self, id: i64, by: &str, at: &str) -> Result<(), StoreError>;

        /// Carries out an approved list in one transaction: its expedientes move to where its
        /// kind takes them and, for a baja, every case they hold is disposed of. Refused when
        /// the list is not approved. Answers the digests of the documents disposed of (their
        /// content is the blob store's, removed after by the application).
        async fn execute_list(&self, id: i64, by: &str, at: &str) -> Result<Vec<String>, StoreError>;

        /// The record of disposal of case `folio`, once disposed of.
        async fn disposal(
            &self,
            folio: &str,
        ) -> Result<Option<turno_domain::archive::Disposal>, StoreError>;

        /// Whether a record still names the stored file of digest `sha256` ([`BLOB_USERS`]):
        /// a file is removed from the blob store only when none does.
        async fn blob_in_use(&self, sha256: &str) -> Result<bool, StoreError>;

        /// Records in the audit log (`archive_blobs_removed`, subject the list's number) the
        /// files of the documents list `list` disposed of: those removed from the blob store
        /// and those kept because another record still names them.
        async fn record_blobs_removed(
            &self,
            list: &str,
            removed: &[String],
            kept: &[String],
            by: &str,
        ) -> Result<(), StoreError>;
    }
}

/// An expediente as it is opened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewExpediente {
    pub number: String,
    pub serie: String,
    pub title: String,
    pub opened_on: Date,
}

/// What is classified into an expediente.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Subject {
    /// A case, by folio.
    Case(String),
    /// A document of a case, by id.
    Document(i64),
    /// An incoming correspondence item, by folio.
    Correspondence(String),
}

impl Subject {
    pub(crate) fn columns(&self) -> (&'static str, String) {
        match self {
            Subject::Case(folio) => ("case", folio.clone()),
            Subject::Document(id) => ("document", id.to_string()),
            Subject::Correspondence(folio) => ("correspondence", folio.clone()),
        }
    }

    pub(crate) fn from_columns(kind: &str, subject: String) -> Result<Subject, StoreError> {
        match kind {
            "case" => Ok(Subject::Case(subject)),
            "document" => subject
                .parse()
                .map(Subject::Document)
                .map_err(|_| StoreError::corrupt(format!("classified document «{subject}»"))),
            "correspondence" => Ok(Subject::Correspondence(subject)),
            other => Err(StoreError::corrupt(format!("classified kind «{other}»"))),
        }
    }
}

/// A stored expediente.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredExpediente {
    pub id: i64,
    pub number: String,
    pub serie: String,
    pub title: String,
    pub opened_on: Date,
    pub closed_on: Option<Date>,
    pub location: Location,
    pub opened_by: String,
    pub cases: i64,
    pub documents: i64,
    pub correspondence: i64,
}

/// A stored list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredList {
    pub id: i64,
    pub list: List,
    pub created_by: String,
    pub created_at: String,
    pub executed_by: Option<String>,
    pub executed_at: Option<String>,
}

pub(crate) type SerieRow = (
    String,
    String,
    String,
    Option<String>,
    String,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    String,
    String,
    Option<String>,
);

pub(crate) const SERIE_COLUMNS: &str = "SELECT code, name, section, parent, keeper, \
     administrative, legal, accounting, tramite, concentracion, destination, access, procedure_key \
     FROM archive_series ORDER BY section, code";

pub(crate) fn serie(row: SerieRow) -> Result<Serie, StoreError> {
    let (code, name, section, parent, keeper, a, l, c, t, k, destination, access, procedure) = row;
    let corrupt = |what: &str| StoreError::corrupt(format!("serie {code}: {what}"));
    let years = |v: Option<i64>| v.and_then(|v| u16::try_from(v).ok());
    let terms = match (years(a), years(l), years(c), years(t), years(k)) {
        (
            Some(administrative),
            Some(legal),
            Some(accounting),
            Some(tramite),
            Some(concentracion),
        ) => Some(Terms {
            administrative,
            legal,
            accounting,
            tramite,
            concentracion,
        }),
        _ => None,
    };
    Ok(Serie {
        destination: Destination::parse(&destination).ok_or_else(|| corrupt("destination"))?,
        access: Access::parse(&access).ok_or_else(|| corrupt("access"))?,
        code,
        name,
        section,
        parent,
        keeper,
        terms,
        procedure,
    })
}

pub(crate) fn chart(
    fondo: Option<(String, String)>,
    sections: Vec<(String, String)>,
    series: Vec<SerieRow>,
) -> Result<Option<Chart>, StoreError> {
    let Some((code, name)) = fondo else {
        return Ok(None);
    };
    Ok(Some(Chart {
        fondo: Fondo { code, name },
        sections: sections
            .into_iter()
            .map(|(code, name)| Section { code, name })
            .collect(),
        series: series.into_iter().map(serie).collect::<Result<_, _>>()?,
    }))
}

pub(crate) type ExpedienteRow = (
    i64,
    String,
    String,
    String,
    String,
    Option<String>,
    String,
    String,
    i64,
    i64,
    i64,
);

pub(crate) const EXPEDIENTE_COLUMNS: &str = "SELECT e.id, e.number, e.serie, e.title, \
     e.opened_on, e.closed_on, e.location, e.opened_by, \
     (SELECT COUNT(*) FROM archive_classified c WHERE c.expediente_id = e.id AND c.subject_kind = 'case'), \
     (SELECT COUNT(*) FROM archive_classified c WHERE c.expediente_id = e.id AND c.subject_kind = 'document') \
       + (SELECT COUNT(*) FROM documents d JOIN cases k ON k.id = d.case_id \
          JOIN archive_classified c ON c.subject_kind = 'case' AND c.subject = k.folio \
          WHERE c.expediente_id = e.id), \
     (SELECT COUNT(*) FROM archive_classified c WHERE c.expediente_id = e.id AND c.subject_kind = 'correspondence') \
     FROM archive_expedientes e";

pub(crate) fn expediente(row: ExpedienteRow) -> Result<StoredExpediente, StoreError> {
    let (id, number, serie, title, opened, closed, location, opened_by, cases, documents, corr) =
        row;
    let corrupt = |what: &str| StoreError::corrupt(format!("expediente {number}: {what}"));
    Ok(StoredExpediente {
        opened_on: opened.parse().map_err(|_| corrupt("opened_on"))?,
        closed_on: match closed {
            Some(c) => Some(c.parse().map_err(|_| corrupt("closed_on"))?),
            None => None,
        },
        location: Location::parse(&location).ok_or_else(|| corrupt("location"))?,
        id,
        number,
        serie,
        title,
        opened_by,
        cases,
        documents,
        correspondence: corr,
    })
}

pub(crate) type ListRow = (
    i64,
    String,
    String,
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
);

pub(crate) const LIST_COLUMNS: &str = "SELECT id, number, kind, state, created_by, created_at, \
     approved_by, approved_at, executed_by, executed_at FROM archive_lists";

pub(crate) fn list(row: ListRow, expedientes: Vec<i64>) -> Result<StoredList, StoreError> {
    let (id, number, kind, state, created_by, created_at, approved_by, approved_at, by, at) = row;
    let corrupt = |what: &str| StoreError::corrupt(format!("list {number}: {what}"));
    Ok(StoredList {
        id,
        list: List {
            kind: ListKind::parse(&kind).ok_or_else(|| corrupt("kind"))?,
            state: ListState::parse(&state).ok_or_else(|| corrupt("state"))?,
            number,
            expedientes,
            approved_by,
            approved_at,
        },
        created_by,
        created_at,
        executed_by: by,
        executed_at: at,
    })
}

/// The `Archive` statements, plain SQL with `$N` placeholders for both backends.
macro_rules! archive_sql {
    ($store:ty, $db:ty) => {
        impl $store {
            /// Refuses `number` when an expediente or a list (`table`) already has it.
            async fn refuse_taken(
                conn: &mut <$db as sqlx::Database>::Connection,
                table: &str,
                number: &str,
            ) -> Result<(), $crate::StoreError> {
                let taken: Option<i64> =
                    sqlx::query_scalar(&format!("SELECT id FROM {table} WHERE number = $1"))
                        .bind(number)
                        .fetch_optional(&mut *conn)
                        .await?;
                match taken {
                    Some(_) => Err($crate::Refusal::ArchiveTaken(number.to_owned()).into()),
                    None => Ok(()),
                }
            }

            async fn list_on(
                conn: &mut <$db as sqlx::Database>::Connection,
                id: i64,
            ) -> Result<Option<$crate::archive::StoredList>, $crate::StoreError> {
                let row: Option<$crate::archive::ListRow> = sqlx::query_as(&format!(
                    "{} WHERE id = $1",
                    $crate::archive::LIST_COLUMNS
                ))
                .bind(id)
                .fetch_optional(&mut *conn)
                .await?;
                let Some(row) = row else { return Ok(None) };
                let items: Vec<i64> = sqlx::query_scalar(
                    "SELECT expediente_id FROM archive_list_items WHERE list_id = $1 \
                     ORDER BY expediente_id",
                )
                .bind(id)
                .fetch_all(&mut *conn)
                .await?;
                $crate::archive::list(row, items).map(Some)
            }

            /// Disposes of case `folio` under list `list`: appends the record of disposal to
            /// its chain, empties the payloads before it, removes its state, work and
            /// documents. Answers the digests of its documents. A case disposed of already is
            /// left as it is.
            #[allow(clippy::too_many_arguments)]
            async fn dispose_on(
                conn: &mut <$db as sqlx::Database>::Connection,
                folio: &str,
                list: &$crate::archive::StoredList,
                list_id: i64,
                expediente: &str,
                serie: &str,
                by: &str,
                at: &str,
            ) -> Result<Vec<String>, $crate::StoreError> {
                let case: Option<(i64, i64, String)> =
                    sqlx::query_as("SELECT id, version, head_hash FROM cases WHERE folio = $1")
                        .bind(folio)
                        .fetch_optional(&mut *conn)
                        .await?;
                let Some((case_id, version, head)) = case else {
                    return Ok(Vec::new());
                };
                let done: Option<i64> = sqlx::query_scalar(
                    "SELECT seq FROM archive_disposed_cases WHERE case_id = $1",
                )
                .bind(case_id)
                .fetch_optional(&mut *conn)
                .await?;
                if done.is_some() {
                    return Ok(Vec::new());
                }
                let events: Vec<(i64, String)> =
                    sqlx::query_as("SELECT seq, hash FROM events WHERE case_id = $1 ORDER BY seq")
                        .bind(case_id)
                        .fetch_all(&mut *conn)
                        .await?;
                let documents: Vec<(String, String)> = sqlx::query_as(
                    "SELECT name, sha256 FROM documents WHERE case_id = $1 ORDER BY id",
                )
                .bind(case_id)
                .fetch_all(&mut *conn)
                .await?;
                let disposal = turno_domain::archive::Disposal {
                    list: list.list.number.clone(),
                    expediente: expediente.to_owned(),
                    serie: serie.to_owned(),
                    approved_by: list.list.approved_by.clone().unwrap_or_default(),
                    approved_at: list.list.approved_at.clone().unwrap_or_default(),
                    disposed_by: by.to_owned(),
                    disposed_at: at.to_owned(),
                    events: events
                        .iter()
                        .map(|(seq, hash)| turno_domain::archive::DisposedEvent {
                            seq: *seq,
                            hash: hash.clone(),
                        })
                        .collect(),
                    documents: documents
                        .iter()
                        .map(|(name, sha256)| turno_domain::archive::DisposedDocument {
                            name: name.clone(),
                            sha256: sha256.clone(),
                        })
                        .collect(),
                };
                let payload = serde_json::to_string(&disposal)
                    .map_err(|e| $crate::StoreError::corrupt(format!("disposal: {e}")))?;
                let seq = version + 1;
                let hash = $crate::chain::hash(&$crate::chain::Link {
                    folio,
                    seq,
                    kind: $crate::archive::DISPOSAL_KIND,
                    actor: by,
                    recorded_at: at,
                    payload: &payload,
                    version: $crate::archive::DISPOSAL_VERSION,
                    prev_hash: &head,
                });
                sqlx::query(&format!(
                    "{}($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                    $crate::sql::INSERT_EVENTS
                ))
                .bind(case_id)
                .bind(seq)
                .bind($crate::archive::DISPOSAL_KIND)
                .bind(&payload)
                .bind($crate::archive::DISPOSAL_VERSION)
                .bind(by)
                .bind(at)
                .bind(&head)
                .bind(&hash)
                .execute(&mut *conn)
                .await?;
                sqlx::query(
                    "INSERT INTO archive_disposed_cases (case_id, seq, list_id) VALUES ($1, $2, $3)",
                )
                .bind(case_id)
                .bind(seq)
                .bind(list_id)
                .execute(&mut *conn)
                .await?;
                sqlx::query("UPDATE events SET payload = '' WHERE case_id = $1 AND seq < $2")
                    .bind(case_id)
                    .bind(seq)
                    .execute(&mut *conn)
                    .await?;
                let updated = sqlx::query(
                    "UPDATE cases SET version = $2, head_hash = $3, state = '', fields = '{}', \
                     title = $4, requester = NULL, status = $5 \
                     WHERE id = $1 AND version = $6",
                )
                .bind(case_id)
                .bind(seq)
                .bind(&hash)
                .bind(format!("Dado de baja ({})", list.list.number))
                .bind($crate::archive::DISPOSED_STATUS)
                .bind(version)
                .execute(&mut *conn)
                .await?;
                if updated.rows_affected() == 0 {
                    return Err($crate::StoreError::Conflict {
                        folio: folio.to_owned(),
                        expected: version,
                    });
                }
                for statement in [
                    "DELETE FROM work_item_units WHERE case_id = $1",
                    "DELETE FROM reminders WHERE case_id = $1",
                    "DELETE FROM notifications WHERE case_id = $1",
                    "DELETE FROM work_items WHERE case_id = $1",
                    "DELETE FROM idempotency_keys WHERE case_id = $1",
                    "DELETE FROM documents WHERE case_id = $1",
                ] {
                    sqlx::query(statement).bind(case_id).execute(&mut *conn).await?;
                }
                Ok(documents.into_iter().map(|(_, sha256)| sha256).collect())
            }
        }

        impl $crate::archive::Archive for $store {
            async fn chart(&self) -> Result<Option<turno_domain::archive::Chart>, $crate::StoreError> {
                let fondo: Option<(String, String)> =
                    sqlx::query_as("SELECT code, name FROM archive_fondo WHERE id = 1")
                        .fetch_optional(&self.reader)
                        .await?;
                let sections: Vec<(String, String)> =
                    sqlx::query_as("SELECT code, name FROM archive_sections ORDER BY code")
                        .fetch_all(&self.reader)
                        .await?;
                let series: Vec<$crate::archive::SerieRow> =
                    sqlx::query_as($crate::archive::SERIE_COLUMNS)
                        .fetch_all(&self.reader)
                        .await?;
                $crate::archive::chart(fondo, sections, series)
            }

            async fn save_chart(
                &self,
                chart: &turno_domain::archive::Chart,
                actor: &str,
            ) -> Result<(), $crate::StoreError> {
                let mut tx = self.begin_write().await?;
                sqlx::query(
                    "INSERT INTO archive_fondo (id, code, name) VALUES (1, $1, $2) \
                     ON CONFLICT (id) DO UPDATE SET code = excluded.code, name = excluded.name",
                )
                .bind(&chart.fondo.code)
                .bind(&chart.fondo.name)
                .execute(&mut *tx)
                .await?;
                for s in &chart.sections {
                    sqlx::query(
                        "INSERT INTO archive_sections (code, name) VALUES ($1, $2) \
                         ON CONFLICT (code) DO UPDATE SET name = excluded.name",
                    )
                    .bind(&s.code)
                    .bind(&s.name)
                    .execute(&mut *tx)
                    .await?;
                }
                // Parents after every serie is in, so that a subserie may come first.
                for s in &chart.series {
                    let t = s.terms.as_ref();
                    let years = |f: fn(&turno_domain::archive::Terms) -> u16| {
                        t.map(|t| i64::from(f(t)))
                    };
                    sqlx::query(
                        "INSERT INTO archive_series (code, name, section, parent, keeper, \
                         administrative, legal, accounting, tramite, concentracion, destination, \
                         access, procedure_key) \
                         VALUES ($1, $2, $3, NULL, $4, $5, $6, $7, $8, $9, $10, $11, $12) \
                         ON CONFLICT (code) DO UPDATE SET name = excluded.name, \
                         section = excluded.section, keeper = excluded.keeper, \
                         administrative = excluded.administrative, legal = excluded.legal, \
                         accounting = excluded.accounting, tramite = excluded.tramite, \
                         concentracion = excluded.concentracion, \
                         destination = excluded.destination, access = excluded.access, \
                         procedure_key = excluded.procedure_key",
                    )
                    .bind(&s.code)
                    .bind(&s.name)
                    .bind(&s.section)
                    .bind(&s.keeper)
                    .bind(years(|t| t.administrative))
                    .bind(years(|t| t.legal))
                    .bind(years(|t| t.accounting))
                    .bind(years(|t| t.tramite))
                    .bind(years(|t| t.concentracion))
                    .bind(s.destination.code())
                    .bind(s.access.code())
                    .bind(&s.procedure)
                    .execute(&mut *tx)
                    .await?;
                }
                for s in &chart.series {
                    sqlx::query("UPDATE archive_series SET parent = $2 WHERE code = $1")
                        .bind(&s.code)
                        .bind(&s.parent)
                        .execute(&mut *tx)
                        .await?;
                }
                Self::audit_on(
                    &mut tx,
                    actor,
                    "archive_chart_saved",
                    &chart.fondo.code,
                    serde_json::json!({
                        "sections": chart.sections.len(),
                        "series": chart.series.len(),
                    })
                    .to_string(),
                )
                .await?;
                tx.commit().await?;
                Ok(())
            }

            async fn open_expediente(
                &self,
                expediente: &$crate::archive::NewExpediente,
                actor: &str,
            ) -> Result<i64, $crate::StoreError> {
                let mut tx = self.begin_write().await?;
                Self::refuse_taken(&mut tx, "archive_expedientes", &expediente.number).await?;
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO archive_expedientes (number, serie, title, opened_on, opened_by) \
                     VALUES ($1, $2, $3, $4, $5) RETURNING id",
                )
                .bind(&expediente.number)
                .bind(&expediente.serie)
                .bind(&expediente.title)
                .bind(expediente.opened_on.to_string())
                .bind(actor)
                .fetch_one(&mut *tx)
                .await?;
                Self::audit_on(
                    &mut tx,
                    actor,
                    "archive_expediente_opened",
                    &expediente.number,
                    serde_json::json!({ "serie": expediente.serie }).to_string(),
                )
                .await?;
                tx.commit().await?;
                Ok(id)
            }

            async fn close_expediente(
                &self,
                id: i64,
                on: jiff::civil::Date,
                actor: &str,
            ) -> Result<bool, $crate::StoreError> {
                let mut tx = self.begin_write().await?;
                let done = sqlx::query(
                    "UPDATE archive_expedientes SET closed_on = $2 \
                     WHERE id = $1 AND closed_on IS NULL",
                )
                .bind(id)
                .bind(on.to_string())
                .execute(&mut *tx)
                .await?;
                if done.rows_affected() == 0 {
                    return Ok(false);
                }
                Self::audit_on(
                    &mut tx,
                    actor,
                    "archive_expediente_closed",
                    &id.to_string(),
                    serde_json::json!({ "on": on.to_string() }).to_string(),
                )
                .await?;
                tx.commit().await?;
                Ok(true)
            }

            async fn classify(
                &self,
                subject: &$crate::archive::Subject,
                id: i64,
                actor: &str,
            ) -> Result<(), $crate::StoreError> {
                let (kind, key) = subject.columns();
                let mut tx = self.begin_write().await?;
                sqlx::query(
                    "INSERT INTO archive_classified (subject_kind, subject, expediente_id, \
                     classified_by, classified_at) VALUES ($1, $2, $3, $4, $5) \
                     ON CONFLICT (subject_kind, subject) DO UPDATE SET \
                     expediente_id = excluded.expediente_id, \
                     classified_by = excluded.classified_by, classified_at = excluded.classified_at",
                )
                .bind(kind)
                .bind(&key)
                .bind(id)
                .bind(actor)
                .bind(jiff::Timestamp::now().to_string())
                .execute(&mut *tx)
                .await?;
                Self::audit_on(
                    &mut tx,
                    actor,
                    "archive_classified",
                    &format!("{kind}:{key}"),
                    serde_json::json!({ "expediente": id }).to_string(),
                )
                .await?;
                tx.commit().await?;
                Ok(())
            }

            async fn classified(
                &self,
                subject: &$crate::archive::Subject,
            ) -> Result<Option<i64>, $crate::StoreError> {
                let (kind, key) = subject.columns();
                Ok(sqlx::query_scalar(
                    "SELECT expediente_id FROM archive_classified \
                     WHERE subject_kind = $1 AND subject = $2",
                )
                .bind(kind)
                .bind(key)
                .fetch_optional(&self.reader)
                .await?)
            }

            async fn expedientes(
                &self,
            ) -> Result<Vec<$crate::archive::StoredExpediente>, $crate::StoreError> {
                let rows: Vec<$crate::archive::ExpedienteRow> = sqlx::query_as(&format!(
                    "{} ORDER BY e.number",
                    $crate::archive::EXPEDIENTE_COLUMNS
                ))
                .fetch_all(&self.reader)
                .await?;
                rows.into_iter().map($crate::archive::expediente).collect()
            }

            async fn contents(
                &self,
                id: i64,
            ) -> Result<Vec<$crate::archive::Subject>, $crate::StoreError> {
                let rows: Vec<(String, String)> = sqlx::query_as(
                    "SELECT subject_kind, subject FROM archive_classified \
                     WHERE expediente_id = $1 ORDER BY classified_at, subject",
                )
                .bind(id)
                .fetch_all(&self.reader)
                .await?;
                rows.into_iter()
                    .map(|(kind, subject)| $crate::archive::Subject::from_columns(&kind, subject))
                    .collect()
            }

            async fn create_list(
                &self,
                list: &turno_domain::archive::List,
                actor: &str,
            ) -> Result<i64, $crate::StoreError> {
                let mut tx = self.begin_write().await?;
                Self::refuse_taken(&mut tx, "archive_lists", &list.number).await?;
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO archive_lists (number, kind, state, created_by, created_at) \
                     VALUES ($1, $2, 'borrador', $3, $4) RETURNING id",
                )
                .bind(&list.number)
                .bind(list.kind.code())
                .bind(actor)
                .bind(jiff::Timestamp::now().to_string())
                .fetch_one(&mut *tx)
                .await?;
                for expediente in &list.expedientes {
                    sqlx::query(
                        "INSERT INTO archive_list_items (list_id, expediente_id) VALUES ($1, $2)",
                    )
                    .bind(id)
                    .bind(expediente)
                    .execute(&mut *tx)
                    .await?;
                }
                Self::audit_on(
                    &mut tx,
                    actor,
                    "archive_list_drawn",
                    &list.number,
                    serde_json::json!({
                        "kind": list.kind.code(),
                        "expedientes": list.expedientes,
                    })
                    .to_string(),
                )
                .await?;
                tx.commit().await?;
                Ok(id)
            }

            async fn lists(&self) -> Result<Vec<$crate::archive::StoredList>, $crate::StoreError> {
                let rows: Vec<$crate::archive::ListRow> =
                    sqlx::query_as(&format!("{} ORDER BY id DESC", $crate::archive::LIST_COLUMNS))
                        .fetch_all(&self.reader)
                        .await?;
                let items: Vec<(i64, i64)> = sqlx::query_as(
                    "SELECT list_id, expediente_id FROM archive_list_items \
                     ORDER BY list_id, expediente_id",
                )
                .fetch_all(&self.reader)
                .await?;
                rows.into_iter()
                    .map(|row| {
                        let id = row.0;
                        let mine = items.iter().filter(|(l, _)| *l == id).map(|(_, e)| *e);
                        $crate::archive::list(row, mine.collect())
                    })
                    .collect()
            }

            async fn list(
                &self,
                id: i64,
            ) -> Result<Option<$crate::archive::StoredList>, $crate::StoreError> {
                let mut conn = self.reader.acquire().await?;
                Self::list_on(&mut conn, id).await
            }

            async fn approve_list(&self, id: i64, by: &str, at: &str) -> Result<(), $crate::StoreError> {
                let mut tx = self.begin_write().await?;
                let done = sqlx::query(
                    "UPDATE archive_lists SET state = 'aprobada', approved_by = $2, \
                     approved_at = $3 WHERE id = $1 AND state = 'borrador'",
                )
                .bind(id)
                .bind(by)
                .bind(at)
                .execute(&mut *tx)
                .await?;
                if done.rows_affected() == 0 {
                    return Err($crate::Refusal::ArchiveListState(id).into());
                }
                Self::audit_on(&mut tx, by, "archive_list_approved", &id.to_string(), String::new())
                    .await?;
                tx.commit().await?;
                Ok(())
            }

            async fn execute_list(
                &self,
                id: i64,
                by: &str,
                at: &str,
            ) -> Result<Vec<String>, $crate::StoreError> {
                let mut tx = self.begin_write().await?;
                let done = sqlx::query(
                    "UPDATE archive_lists SET state = 'ejecutada', executed_by = $2, \
                     executed_at = $3 WHERE id = $1 AND state = 'aprobada'",
                )
                .bind(id)
                .bind(by)
                .bind(at)
                .execute(&mut *tx)
                .await?;
                if done.rows_affected() == 0 {
                    return Err($crate::Refusal::ArchiveListState(id).into());
                }
                let Some(list) = Self::list_on(&mut tx, id).await? else {
                    return Err($crate::Refusal::ArchiveListState(id).into());
                };
                let mut digests = Vec::new();
                for expediente in &list.list.expedientes {
                    let (number, serie): (String, String) = sqlx::query_as(
                        "SELECT number, serie FROM archive_expedientes WHERE id = $1",
                    )
                    .bind(expediente)
                    .fetch_one(&mut *tx)
                    .await?;
                    if list.list.kind == turno_domain::archive::Move::Baja {
                        // A case moved to the archive's tables (`archive_move`) is not disposed
                        // of from there yet: the baja is refused rather than leave it whole.
                        let moved: Option<String> = sqlx::query_scalar(
                            "SELECT c.folio FROM archived_cases c JOIN archive_classified k \
                             ON k.subject_kind = 'case' AND k.subject = c.folio \
                             WHERE k.expediente_id = $1 ORDER BY c.folio LIMIT 1",
                        )
                        .bind(expediente)
                        .fetch_optional(&mut *tx)
                        .await?;
                        if let Some(folio) = moved {
                            return Err($crate::Refusal::ArchiveMoved(folio).into());
                        }
                        let folios: Vec<String> = sqlx::query_scalar(
                            "SELECT subject FROM archive_classified \
                             WHERE expediente_id = $1 AND subject_kind = 'case' ORDER BY subject",
                        )
                        .bind(expediente)
                        .fetch_all(&mut *tx)
                        .await?;
                        for folio in folios {
                            digests.extend(
                                Self::dispose_on(&mut tx, &folio, &list, id, &number, &serie, by, at)
                                    .await?,
                            );
                        }
                        // Documents classified on their own, apart from their case.
                        let documents: Vec<(i64, String)> = sqlx::query_as(
                            "SELECT d.id, d.sha256 FROM documents d JOIN archive_classified c \
                             ON c.subject_kind = 'document' AND c.subject = CAST(d.id AS TEXT) \
                             WHERE c.expediente_id = $1",
                        )
                        .bind(expediente)
                        .fetch_all(&mut *tx)
                        .await?;
                        for (document, sha256) in documents {
                            sqlx::query("DELETE FROM documents WHERE id = $1")
                                .bind(document)
                                .execute(&mut *tx)
                                .await?;
                            digests.push(sha256);
                        }
                    }
                    sqlx::query("UPDATE archive_expedientes SET location = $2 WHERE id = $1")
                        .bind(expediente)
                        .bind(list.list.kind.to().code())
                        .execute(&mut *tx)
                        .await?;
                }
                Self::audit_on(
                    &mut tx,
                    by,
                    "archive_list_executed",
                    &list.list.number,
                    serde_json::json!({
                        "kind": list.list.kind.code(),
                        "expedientes": list.list.expedientes,
                        "documents": digests,
                    })
                    .to_string(),
                )
                .await?;
                tx.commit().await?;
                Ok(digests)
            }

            async fn disposal(
                &self,
                folio: &str,
            ) -> Result<Option<turno_domain::archive::Disposal>, $crate::StoreError> {
                let payload: Option<String> = sqlx::query_scalar(
                    "SELECT e.payload FROM events e JOIN cases c ON c.id = e.case_id \
                     JOIN archive_disposed_cases d ON d.case_id = c.id AND d.seq = e.seq \
                     WHERE c.folio = $1",
                )
                .bind(folio)
                .fetch_optional(&self.reader)
                .await?;
                payload
                    .map(|p| {
                        serde_json::from_str(&p).map_err(|e| {
                            $crate::StoreError::corrupt(format!("disposal of {folio}: {e}"))
                        })
                    })
                    .transpose()
            }

            async fn blob_in_use(&self, sha256: &str) -> Result<bool, $crate::StoreError> {
                for (table, column) in $crate::archive::BLOB_USERS {
                    let found: Option<i32> = sqlx::query_scalar(&format!(
                        "SELECT 1 FROM {table} WHERE {column} = $1 LIMIT 1"
                    ))
                    .bind(sha256)
                    .fetch_optional(&self.reader)
                    .await?;
                    if found.is_some() {
                        return Ok(true);
                    }
                }
                Ok(false)
            }

            async fn record_blobs_removed(
                &self,
                list: &str,
                removed: &[String],
                kept: &[String],
                by: &str,
            ) -> Result<(), $crate::StoreError> {
                let mut tx = self.begin_write().await?;
                Self::audit_on(
                    &mut tx,
                    by,
                    "archive_blobs_removed",
                    list,
                    serde_json::json!({ "removed": removed, "kept": kept }).to_string(),
                )
                .await?;
                tx.commit().await?;
                Ok(())
            }
        }
    };
}
pub(crate) use archive_sql;
