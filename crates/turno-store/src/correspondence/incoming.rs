//! Incoming documents (migration 0025): each registered with the next folio of its year
//! (`CE-AAAA-NNNNNN`, scope «CE» of `folio_counters`, without gaps: the counter's row stays
//! locked until the document is written), the earlier documents it answers, its attachments in
//! the blob store, and its turns. A turn closes once: a close applies only to an open turn
//! (`Refusal::IncomingTurnClosed` otherwise), so two people answering, returning or withdrawing
//! one turn at once record one of them. The store records; who may do what is `turno-app`'s.

use crate::error::{Refusal, StoreError};
use crate::{PgStore, SqliteStore};
use jiff::civil::{Date, DateTime};
use turno_domain::correspondence::{
    Classification, DocumentKind, Incoming, IncomingFolio, Instruction, Priority, Sender,
    SenderKind, TurnStatus,
};

/// The folio counter's scope in `folio_counters`.
pub(crate) const FOLIO_SCOPE: &str = IncomingFolio::PREFIX;

/// A file that came with a document: the scanned document itself (the first) or an annex.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IncomingAttachment {
    /// Its SHA-256 in the blob store, in hexadecimal.
    pub sha256: String,
    pub name: String,
    pub media_type: String,
    pub size: i64,
}

/// A document to register.
#[derive(Debug, Clone)]
pub struct NewIncoming {
    pub incoming: Incoming,
    /// The last día hábil to answer, when it has a term.
    pub due_date: Option<Date>,
    /// The registering unit's code.
    pub unit: String,
    pub registered_by: String,
    pub registered_at: jiff::Timestamp,
    /// Earlier incoming documents it is «en atención a»; the caller checked they exist.
    pub links: Vec<IncomingFolio>,
    pub attachments: Vec<IncomingAttachment>,
}

/// A unit's existing register, every document checked, to write at once.
#[derive(Debug, Clone)]
pub struct IncomingImport {
    /// The file's name, as the audit log keeps it.
    pub file_name: String,
    pub imported_by: String,
    /// The documents in the file's order, each with the turns it was given.
    pub documents: Vec<(NewIncoming, Vec<NewTurn>)>,
}

/// A turn given.
#[derive(Debug, Clone)]
pub struct NewTurn {
    /// The turn whose unit turns its part on (a reassignment below it); none from the
    /// registering unit.
    pub parent: Option<i64>,
    /// The unit that turns it.
    pub from_unit: String,
    pub unit: String,
    /// The person of `unit` it goes to (their login); none: the whole unit.
    pub person: Option<String>,
    pub instruction: Instruction,
    pub note: String,
    pub term_days: Option<u16>,
    pub due_date: Option<Date>,
    pub by: String,
    pub at: jiff::Timestamp,
}

/// A turn as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IncomingTurn {
    pub id: i64,
    pub parent: Option<i64>,
    pub from_unit: String,
    pub unit: String,
    /// The person of `unit` it goes to (their login); none: the whole unit.
    pub person: Option<String>,
    pub instruction: Instruction,
    pub note: String,
    pub term_days: Option<u16>,
    pub due_date: Option<Date>,
    pub turned_by: String,
    pub turned_at: jiff::Timestamp,
    pub status: TurnStatus,
    pub closed_by: Option<String>,
    pub closed_at: Option<jiff::Timestamp>,
    pub reason: Option<String>,
}

/// A document as stored, with its turns in the order given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredIncoming {
    pub folio: IncomingFolio,
    pub incoming: Incoming,
    pub due_date: Option<Date>,
    pub unit: String,
    pub registered_by: String,
    pub registered_at: jiff::Timestamp,
    /// The case started from it, if one was.
    pub case_folio: Option<String>,
    /// The internal outgoing document it is, when it arrived by that document's dispatch, and
    /// what for: `Attention` as an addressee, `Knowledge` as a copy.
    pub arrival: Option<Arrived>,
    pub turns: Vec<IncomingTurn>,
}

/// How an internal outgoing document arrived in a unit's register.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Arrived {
    /// The outgoing document's id.
    pub outgoing: i64,
    pub instruction: Instruction,
}

/// One document whole: what the list shows, the earlier documents it answers, the later ones
/// that answer it, and its files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IncomingDetail {
    pub document: StoredIncoming,
    pub links: Vec<IncomingFolio>,
    pub answered_by: Vec<IncomingFolio>,
    /// The dispatched outgoing documents that answer one of its turns, in order of dispatch.
    pub outgoing_answers: Vec<OutgoingAnswer>,
    pub attachments: Vec<IncomingAttachment>,
}

/// A dispatched outgoing document that answers a turn of an incoming one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutgoingAnswer {
    pub id: i64,
    pub number: String,
    pub turn: i64,
}

/// Closing an open turn.
#[derive(Debug, Clone)]
pub struct CloseTurn {
    pub turn: i64,
    /// Not `Open`.
    pub status: TurnStatus,
    pub by: String,
    pub at: jiff::Timestamp,
    pub reason: Option<String>,
}

store_trait! {
    /// Incoming documents and their turns.
    pub trait Correspondence {
        /// Registers a document with the next folio of its reception's year, its links and
        /// attachments, in one transaction.
        async fn register_incoming(&self, new: &NewIncoming) -> Result<IncomingFolio, StoreError>;

        /// Registers a unit's existing register in one transaction: each document with the
        /// next folio, in order, and its turns; the import on the audit log
        /// (`correspondence_imported`, subject the file's name). Any failure writes nothing.
        async fn import_incoming(
            &self,
            import: &IncomingImport,
        ) -> Result<Vec<IncomingFolio>, StoreError>;

        async fn incoming(&self, folio: IncomingFolio) -> Result<Option<IncomingDetail>, StoreError>;

        /// The documents registered by one of `units` or turned to one of them, the latest
        /// received first, at most `limit`.
        async fn incoming_of_units(
            &self,
            units: &[String],
            limit: u32,
        ) -> Result<Vec<StoredIncoming>, StoreError>;

        /// The documents with an open turn to one of `units` or to `person` (a login), the
        /// latest received first, at most `limit`.
        async fn pending_incoming(
            &self,
            units: &[String],
            person: &str,
            limit: u32,
        ) -> Result<Vec<StoredIncoming>, StoreError>;

        /// Gives turns of a document in one transaction; a reassignment's parent turn must be
        /// open. Answers their ids in order.
        async fn add_turns(
            &self,
            folio: IncomingFolio,
            turns: &[NewTurn],
        ) -> Result<Vec<i64>, StoreError>;

        /// Closes an open turn; a withdrawal closes the open turns given below it too.
        async fn close_turn(&self, close: &CloseTurn) -> Result<(), StoreError>;

        /// Records the case started from a document.
        async fn set_incoming_case(
            &self,
            folio: IncomingFolio,
            case_folio: &str,
        ) -> Result<(), StoreError>;

        /// The turns to one of `units` given from `since` to `until` (a window a day wider at
        /// each end: the stored moments compare as text, so the caller keeps those of its
        /// period), each with its parent turn's unit; for the report.
        async fn turns_to_units(
            &self,
            units: &[String],
            since: jiff::Timestamp,
            until: jiff::Timestamp,
        ) -> Result<Vec<ReportedTurn>, StoreError>;

        /// The steps `signed`, `dispatched` and `cancelled` (their codes) of the outgoing
        /// documents of `units` taken from `since` to `until` (the same wider window), as
        /// (the document's unit, step, moment); for the report.
        async fn outgoing_steps_of_units(
            &self,
            units: &[String],
            steps: &[&str],
            since: jiff::Timestamp,
            until: jiff::Timestamp,
        ) -> Result<Vec<(String, String, jiff::Timestamp)>, StoreError>;

        /// The documents a case was started from (`Target::FromIncoming`), by folio.
        async fn incoming_of_case(
            &self,
            case_folio: &str,
        ) -> Result<Vec<StoredIncoming>, StoreError>;

        /// The documents an internal outgoing document's dispatch registered in its
        /// addressees' registers, by folio.
        async fn arrivals_of(&self, outgoing: i64) -> Result<Vec<StoredIncoming>, StoreError>;
    }
}

/// A turn for the report, with the unit of the turn it was given from (none when the
/// registering unit gave it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportedTurn {
    pub turn: IncomingTurn,
    pub parent_unit: Option<String>,
}

/// The texts a day wider than `since`..`until` that the stored moments are compared with.
fn wider(since: jiff::Timestamp, until: jiff::Timestamp) -> (String, String) {
    let day = jiff::SignedDuration::from_hours(24);
    (
        since.saturating_sub(day).unwrap_or(since).to_string(),
        until.saturating_add(day).unwrap_or(until).to_string(),
    )
}

/// `$first, $first+1, …` for `n` values.
fn placeholders(first: usize, n: usize) -> String {
    (first..first + n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

const DOCUMENT_COLUMNS: &str = "folio_year, folio_number, kind, sender_kind, sender_name, \
     sender_position, sender_organization, their_number, their_date, received_at, subject, \
     summary, priority, classification, annexes, term_days, due_date, unit, registered_by, \
     registered_at, case_folio, from_outgoing, arrived_for";

/// At most so many documents started one case or arrived from one outgoing document: one a
/// unit of the organization.
const LINKED_AT_MOST: u32 = 1_000;

const TURN_COLUMNS: &str = "id, folio_year, folio_number, parent, from_unit, unit, person, \
     instruction, note, term_days, due_date, turned_by, turned_at, status, closed_by, \
     closed_at, reason";

#[derive(sqlx::FromRow)]
struct DocumentRow {
    folio_year: i64,
    folio_number: i64,
    kind: String,
    sender_kind: String,
    sender_name: String,
    sender_position: String,
    sender_organization: String,
    their_number: Option<String>,
    their_date: Option<String>,
    received_at: String,
    subject: String,
    summary: String,
    priority: String,
    classification: String,
    annexes: i64,
    term_days: Option<i64>,
    due_date: Option<String>,
    unit: String,
    registered_by: String,
    registered_at: String,
    case_folio: Option<String>,
    from_outgoing: Option<i64>,
    arrived_for: Option<String>,
}

#[derive(sqlx::FromRow)]
struct TurnRow {
    id: i64,
    folio_year: i64,
    folio_number: i64,
    parent: Option<i64>,
    from_unit: String,
    unit: String,
    person: Option<String>,
    instruction: String,
    note: String,
    term_days: Option<i64>,
    due_date: Option<String>,
    turned_by: String,
    turned_at: String,
    status: String,
    closed_by: Option<String>,
    closed_at: Option<String>,
    reason: Option<String>,
}

pub(crate) fn folio_of(year: i64, number: i64) -> Result<IncomingFolio, StoreError> {
    Ok(IncomingFolio {
        year: i16::try_from(year).map_err(StoreError::corrupt)?,
        number: u32::try_from(number).map_err(StoreError::corrupt)?,
    })
}

/// A stored text read back as a value of its type, or the row is corrupt.
fn read<T: std::str::FromStr>(text: &str, what: impl FnOnce() -> String) -> Result<T, StoreError> {
    text.parse()
        .map_err(|_| StoreError::corrupt(format!("{}: «{text}»", what())))
}

fn term(days: Option<i64>, what: impl FnOnce() -> String) -> Result<Option<u16>, StoreError> {
    days.map(|d| u16::try_from(d).map_err(|_| StoreError::corrupt(what())))
        .transpose()
}

impl DocumentRow {
    fn document(self, turns: Vec<IncomingTurn>) -> Result<StoredIncoming, StoreError> {
        let folio = folio_of(self.folio_year, self.folio_number)?;
        let bad = |what: &str| format!("incoming document {folio}: {what}");
        let kind =
            DocumentKind::from_code(&self.kind).ok_or_else(|| StoreError::corrupt(bad("kind")))?;
        let sender_kind = SenderKind::from_code(&self.sender_kind)
            .ok_or_else(|| StoreError::corrupt(bad("sender kind")))?;
        let priority = Priority::from_code(&self.priority)
            .ok_or_else(|| StoreError::corrupt(bad("priority")))?;
        let classification = Classification::from_code(&self.classification)
            .ok_or_else(|| StoreError::corrupt(bad("classification")))?;
        Ok(StoredIncoming {
            folio,
            incoming: Incoming {
                kind,
                sender: Sender {
                    kind: sender_kind,
                    name: self.sender_name,
                    position: self.sender_position,
                    organization: self.sender_organization,
                },
                their_number: self.their_number,
                their_date: self
                    .their_date
                    .map(|d| read::<Date>(&d, || bad("their date")))
                    .transpose()?,
                received_at: read::<DateTime>(&self.received_at, || bad("received at"))?,
                subject: self.subject,
                summary: self.summary,
                priority,
                classification,
                annexes: u16::try_from(self.annexes)
                    .map_err(|_| StoreError::corrupt(bad("annexes")))?,
                term_days: term(self.term_days, || bad("term"))?,
            },
            due_date: self
                .due_date
                .map(|d| read::<Date>(&d, || bad("due date")))
                .transpose()?,
            unit: self.unit,
            registered_by: self.registered_by,
            registered_at: read(&self.registered_at, || bad("registered at"))?,
            case_folio: self.case_folio,
            arrival: match (self.from_outgoing, self.arrived_for) {
                (Some(outgoing), Some(code)) => Some(Arrived {
                    outgoing,
                    instruction: Instruction::from_code(&code)
                        .ok_or_else(|| StoreError::corrupt(bad("arrived for")))?,
                }),
                _ => None,
            },
            turns,
        })
    }
}

impl TurnRow {
    fn turn(self) -> Result<IncomingTurn, StoreError> {
        let id = self.id;
        let bad = |what: &str| format!("incoming turn {id}: {what}");
        Ok(IncomingTurn {
            id,
            parent: self.parent,
            from_unit: self.from_unit,
            unit: self.unit,
            person: self.person,
            instruction: Instruction::from_code(&self.instruction)
                .ok_or_else(|| StoreError::corrupt(bad("instruction")))?,
            note: self.note,
            term_days: term(self.term_days, || bad("term"))?,
            due_date: self
                .due_date
                .map(|d| read::<Date>(&d, || bad("due date")))
                .transpose()?,
            turned_by: self.turned_by,
            turned_at: read(&self.turned_at, || bad("turned at"))?,
            status: TurnStatus::from_code(&self.status)
                .ok_or_else(|| StoreError::corrupt(bad("status")))?,
            closed_by: self.closed_by,
            closed_at: self
                .closed_at
                .map(|at| read(&at, || bad("closed at")))
                .transpose()?,
            reason: self.reason,
        })
    }
}

/// Documents with their turns, in the documents' order.
fn assemble(
    documents: Vec<DocumentRow>,
    turns: Vec<TurnRow>,
) -> Result<Vec<StoredIncoming>, StoreError> {
    let mut by_folio: std::collections::HashMap<(i64, i64), Vec<IncomingTurn>> =
        std::collections::HashMap::new();
    for row in turns {
        let key = (row.folio_year, row.folio_number);
        by_folio.entry(key).or_default().push(row.turn()?);
    }
    documents
        .into_iter()
        .map(|row| {
            let turns = by_folio
                .remove(&(row.folio_year, row.folio_number))
                .unwrap_or_default();
            row.document(turns)
        })
        .collect()
}

/// The same SQL on both backends.
macro_rules! correspondence_impl {
    ($store:ty, $db:ty) => {
        impl $store {
            /// Writes a document with the next folio of its reception's year, its links and
            /// attachments, on the caller's transaction; `arrival` for an internal outgoing
            /// document's arrival.
            pub(crate) async fn insert_incoming_on(
                conn: &mut <$db as sqlx::Database>::Connection,
                new: &NewIncoming,
                arrival: Option<Arrived>,
            ) -> Result<IncomingFolio, StoreError> {
                let doc = &new.incoming;
                let year = i64::from(doc.received_at.year());
                // The counter's row stays locked until commit: a document registered meanwhile
                // waits for this number instead of taking it.
                let number: i64 = sqlx::query_scalar($crate::sql::NEXT_FOLIO_NUMBER)
                    .bind(FOLIO_SCOPE)
                    .bind(year)
                    .fetch_one(&mut *conn)
                    .await?;
                sqlx::query(&format!(
                    "INSERT INTO incoming_documents ({DOCUMENT_COLUMNS}) VALUES ($1, $2, $3, \
                     $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, \
                     $20, NULL, $21, $22)"
                ))
                .bind(year)
                .bind(number)
                .bind(doc.kind.code())
                .bind(doc.sender.kind.code())
                .bind(&doc.sender.name)
                .bind(&doc.sender.position)
                .bind(&doc.sender.organization)
                .bind(doc.their_number.as_deref())
                .bind(doc.their_date.map(|d| d.to_string()))
                .bind(doc.received_at.to_string())
                .bind(&doc.subject)
                .bind(&doc.summary)
                .bind(doc.priority.code())
                .bind(doc.classification.code())
                .bind(i64::from(doc.annexes))
                .bind(doc.term_days.map(i64::from))
                .bind(new.due_date.map(|d| d.to_string()))
                .bind(&new.unit)
                .bind(&new.registered_by)
                .bind(new.registered_at.to_string())
                .bind(arrival.map(|a| a.outgoing))
                .bind(arrival.map(|a| a.instruction.code()))
                .execute(&mut *conn)
                .await?;
                for earlier in &new.links {
                    sqlx::query(
                        "INSERT INTO incoming_links (folio_year, folio_number, earlier_year, \
                         earlier_number) VALUES ($1, $2, $3, $4)",
                    )
                    .bind(year)
                    .bind(number)
                    .bind(i64::from(earlier.year))
                    .bind(i64::from(earlier.number))
                    .execute(&mut *conn)
                    .await?;
                }
                for (position, file) in (0_i64..).zip(&new.attachments) {
                    sqlx::query(
                        "INSERT INTO incoming_attachments (folio_year, folio_number, position, \
                         sha256, name, media_type, size) VALUES ($1, $2, $3, $4, $5, $6, $7)",
                    )
                    .bind(year)
                    .bind(number)
                    .bind(position)
                    .bind(&file.sha256)
                    .bind(&file.name)
                    .bind(&file.media_type)
                    .bind(file.size)
                    .execute(&mut *conn)
                    .await?;
                }
                folio_of(year, number)
            }

            /// Writes a turn of a document in the caller's transaction; its id.
            async fn insert_turn_on(
                conn: &mut <$db as sqlx::Database>::Connection,
                folio: IncomingFolio,
                turn: &NewTurn,
            ) -> Result<i64, StoreError> {
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO incoming_turns (folio_year, folio_number, parent, \
                     from_unit, unit, instruction, note, term_days, due_date, turned_by, \
                     turned_at, person) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, \
                     $12) RETURNING id",
                )
                .bind(i64::from(folio.year))
                .bind(i64::from(folio.number))
                .bind(turn.parent)
                .bind(&turn.from_unit)
                .bind(&turn.unit)
                .bind(turn.instruction.code())
                .bind(&turn.note)
                .bind(turn.term_days.map(i64::from))
                .bind(turn.due_date.map(|d| d.to_string()))
                .bind(&turn.by)
                .bind(turn.at.to_string())
                .bind(turn.person.as_deref())
                .fetch_one(&mut *conn)
                .await?;
                Ok(id)
            }
        }

        impl Correspondence for $store {
            async fn register_incoming(
                &self,
                new: &NewIncoming,
            ) -> Result<IncomingFolio, StoreError> {
                let mut tx = self.begin_write().await?;
                let folio = Self::insert_incoming_on(&mut tx, new, None).await?;
                tx.commit().await?;
                Ok(folio)
            }

            async fn import_incoming(
                &self,
                import: &IncomingImport,
            ) -> Result<Vec<IncomingFolio>, StoreError> {
                let mut tx = self.begin_write().await?;
                let mut folios = Vec::with_capacity(import.documents.len());
                for (document, turns) in &import.documents {
                    let folio = Self::insert_incoming_on(&mut tx, document, None).await?;
                    for turn in turns {
                        Self::insert_turn_on(&mut tx, folio, turn).await?;
                    }
                    folios.push(folio);
                }
                let detail = serde_json::json!({
                    "documents": folios.len(),
                    "first": folios.first().map(ToString::to_string),
                    "last": folios.last().map(ToString::to_string),
                    "turns": import.documents.iter().map(|(_, t)| t.len()).sum::<usize>(),
                })
                .to_string();
                Self::audit_on(
                    &mut tx,
                    &import.imported_by,
                    "correspondence_imported",
                    &import.file_name,
                    detail,
                )
                .await?;
                tx.commit().await?;
                Ok(folios)
            }

            async fn incoming(
                &self,
                folio: IncomingFolio,
            ) -> Result<Option<IncomingDetail>, StoreError> {
                let (year, number) = (i64::from(folio.year), i64::from(folio.number));
                let row: Option<DocumentRow> = sqlx::query_as(&format!(
                    "SELECT {DOCUMENT_COLUMNS} FROM incoming_documents \
                     WHERE folio_year = $1 AND folio_number = $2"
                ))
                .bind(year)
                .bind(number)
                .fetch_optional(&self.reader)
                .await?;
                let Some(row) = row else {
                    return Ok(None);
                };
                let turns: Vec<TurnRow> = sqlx::query_as(&format!(
                    "SELECT {TURN_COLUMNS} FROM incoming_turns \
                     WHERE folio_year = $1 AND folio_number = $2 ORDER BY id"
                ))
                .bind(year)
                .bind(number)
                .fetch_all(&self.reader)
                .await?;
                let links: Vec<(i64, i64)> = sqlx::query_as(
                    "SELECT earlier_year, earlier_number FROM incoming_links \
                     WHERE folio_year = $1 AND folio_number = $2 \
                     ORDER BY earlier_year, earlier_number",
                )
                .bind(year)
                .bind(number)
                .fetch_all(&self.reader)
                .await?;
                let answered_by: Vec<(i64, i64)> = sqlx::query_as(
                    "SELECT folio_year, folio_number FROM incoming_links \
                     WHERE earlier_year = $1 AND earlier_number = $2 \
                     ORDER BY folio_year, folio_number",
                )
                .bind(year)
                .bind(number)
                .fetch_all(&self.reader)
                .await?;
                let outgoing_answers: Vec<(i64, String, i64)> = sqlx::query_as(
                    "SELECT d.id, d.number, d.answers_turn FROM outgoing_documents d \
                     JOIN incoming_turns t ON t.id = d.answers_turn \
                     WHERE t.folio_year = $1 AND t.folio_number = $2 AND d.stage = $3 \
                     AND d.number IS NOT NULL ORDER BY d.id",
                )
                .bind(year)
                .bind(number)
                .bind(turno_domain::correspondence::Stage::Dispatched.code())
                .fetch_all(&self.reader)
                .await?;
                let attachments: Vec<(String, String, String, i64)> = sqlx::query_as(
                    "SELECT sha256, name, media_type, size FROM incoming_attachments \
                     WHERE folio_year = $1 AND folio_number = $2 ORDER BY position",
                )
                .bind(year)
                .bind(number)
                .fetch_all(&self.reader)
                .await?;
                let document = assemble(vec![row], turns)?
                    .pop()
                    .ok_or_else(|| StoreError::corrupt(format!("incoming document {folio}")))?;
                let folios = |pairs: Vec<(i64, i64)>| {
                    pairs
                        .into_iter()
                        .map(|(y, n)| folio_of(y, n))
                        .collect::<Result<Vec<_>, _>>()
                };
                Ok(Some(IncomingDetail {
                    document,
                    links: folios(links)?,
                    answered_by: folios(answered_by)?,
                    outgoing_answers: outgoing_answers
                        .into_iter()
                        .map(|(id, number, turn)| OutgoingAnswer { id, number, turn })
                        .collect(),
                    attachments: attachments
                        .into_iter()
                        .map(|(sha256, name, media_type, size)| IncomingAttachment {
                            sha256,
                            name,
                            media_type,
                            size,
                        })
                        .collect(),
                }))
            }

            async fn incoming_of_units(
                &self,
                units: &[String],
                limit: u32,
            ) -> Result<Vec<StoredIncoming>, StoreError> {
                if units.is_empty() {
                    return Ok(Vec::new());
                }
                let list = (2..units.len() + 2)
                    .map(|n| format!("${n}"))
                    .collect::<Vec<_>>()
                    .join(", ");
                let binds: Vec<&str> = units.iter().map(String::as_str).collect();
                self.documents_where(
                    &format!(
                        "d.unit IN ({list}) OR EXISTS (SELECT 1 FROM incoming_turns t \
                         WHERE t.folio_year = d.folio_year AND t.folio_number = d.folio_number \
                         AND t.unit IN ({list}))"
                    ),
                    &binds,
                    limit,
                )
                .await
            }

            async fn pending_incoming(
                &self,
                units: &[String],
                person: &str,
                limit: u32,
            ) -> Result<Vec<StoredIncoming>, StoreError> {
                let list = (3..units.len() + 3)
                    .map(|n| format!("${n}"))
                    .collect::<Vec<_>>()
                    .join(", ");
                let to_units = if units.is_empty() {
                    String::new()
                } else {
                    format!(" OR t.unit IN ({list})")
                };
                self.documents_where(
                    &format!(
                        "EXISTS (SELECT 1 FROM incoming_turns t \
                         WHERE t.folio_year = d.folio_year AND t.folio_number = d.folio_number \
                         AND t.status = 'abierto' AND (t.person = $2{to_units}))"
                    ),
                    &std::iter::once(person)
                        .chain(units.iter().map(String::as_str))
                        .collect::<Vec<_>>(),
                    limit,
                )
                .await
            }

            async fn add_turns(
                &self,
                folio: IncomingFolio,
                turns: &[NewTurn],
            ) -> Result<Vec<i64>, StoreError> {
                let mut tx = self.begin_write().await?;
                let mut ids = Vec::with_capacity(turns.len());
                for turn in turns {
                    if let Some(parent) = turn.parent {
                        let status: Option<String> =
                            sqlx::query_scalar("SELECT status FROM incoming_turns WHERE id = $1")
                                .bind(parent)
                                .fetch_optional(&mut *tx)
                                .await?;
                        match status.as_deref() {
                            Some("abierto") => {}
                            Some(other) => {
                                return Err(Refusal::IncomingTurnClosed {
                                    turn: parent,
                                    status: other.to_owned(),
                                }
                                .into());
                            }
                            None => {
                                return Err(StoreError::corrupt(format!(
                                    "incoming turn {parent} does not exist"
                                )));
                            }
                        }
                    }
                    let id = Self::insert_turn_on(&mut tx, folio, turn).await?;
                    ids.push(id);
                }
                tx.commit().await?;
                Ok(ids)
            }

            async fn close_turn(&self, close: &CloseTurn) -> Result<(), StoreError> {
                const CLOSE: &str = "UPDATE incoming_turns SET status = $1, closed_by = $2, \
                     closed_at = $3, reason = $4 WHERE id = $5 AND status = 'abierto'";
                let mut tx = self.begin_write().await?;
                let closed = sqlx::query(CLOSE)
                    .bind(close.status.code())
                    .bind(&close.by)
                    .bind(close.at.to_string())
                    .bind(close.reason.as_deref())
                    .bind(close.turn)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                if closed == 0 {
                    let status: Option<String> =
                        sqlx::query_scalar("SELECT status FROM incoming_turns WHERE id = $1")
                            .bind(close.turn)
                            .fetch_optional(&mut *tx)
                            .await?;
                    return Err(match status {
                        Some(status) => Refusal::IncomingTurnClosed {
                            turn: close.turn,
                            status,
                        }
                        .into(),
                        None => StoreError::corrupt(format!(
                            "incoming turn {} does not exist",
                            close.turn
                        )),
                    });
                }
                if close.status == TurnStatus::Withdrawn {
                    // The turns the unit gave of its part go with it, level by level.
                    let mut below = vec![close.turn];
                    while let Some(parent) = below.pop() {
                        let children: Vec<i64> = sqlx::query_scalar(
                            "SELECT id FROM incoming_turns WHERE parent = $1 AND status = 'abierto'",
                        )
                        .bind(parent)
                        .fetch_all(&mut *tx)
                        .await?;
                        for child in children {
                            sqlx::query(CLOSE)
                                .bind(close.status.code())
                                .bind(&close.by)
                                .bind(close.at.to_string())
                                .bind(close.reason.as_deref())
                                .bind(child)
                                .execute(&mut *tx)
                                .await?;
                            below.push(child);
                        }
                    }
                }
                tx.commit().await?;
                Ok(())
            }

            async fn set_incoming_case(
                &self,
                folio: IncomingFolio,
                case_folio: &str,
            ) -> Result<(), StoreError> {
                let mut tx = self.begin_write().await?;
                sqlx::query(
                    "UPDATE incoming_documents SET case_folio = $1 \
                     WHERE folio_year = $2 AND folio_number = $3",
                )
                .bind(case_folio)
                .bind(i64::from(folio.year))
                .bind(i64::from(folio.number))
                .execute(&mut *tx)
                .await?;
                tx.commit().await?;
                Ok(())
            }

            async fn turns_to_units(
                &self,
                units: &[String],
                since: jiff::Timestamp,
                until: jiff::Timestamp,
            ) -> Result<Vec<ReportedTurn>, StoreError> {
                if units.is_empty() {
                    return Ok(Vec::new());
                }
                let (low, high) = wider(since, until);
                let columns = TURN_COLUMNS
                    .split(", ")
                    .map(|c| format!("t.{c}"))
                    .collect::<Vec<_>>()
                    .join(", ");
                let sql = format!(
                    "SELECT {columns}, p.unit AS parent_unit FROM incoming_turns t \
                     LEFT JOIN incoming_turns p ON p.id = t.parent \
                     WHERE t.turned_at >= $1 AND t.turned_at <= $2 AND t.unit IN ({}) \
                     ORDER BY t.id",
                    placeholders(3, units.len())
                );
                let mut query = sqlx::query(&sql).bind(low).bind(high);
                for unit in units {
                    query = query.bind(unit);
                }
                let rows = query.fetch_all(&self.reader).await?;
                rows.iter()
                    .map(|row| {
                        use sqlx::Row as _;
                        let parent_unit: Option<String> = row.try_get("parent_unit")?;
                        Ok(ReportedTurn {
                            turn: <TurnRow as sqlx::FromRow<'_, _>>::from_row(row)?.turn()?,
                            parent_unit,
                        })
                    })
                    .collect()
            }

            async fn outgoing_steps_of_units(
                &self,
                units: &[String],
                steps: &[&str],
                since: jiff::Timestamp,
                until: jiff::Timestamp,
            ) -> Result<Vec<(String, String, jiff::Timestamp)>, StoreError> {
                if units.is_empty() || steps.is_empty() {
                    return Ok(Vec::new());
                }
                let (low, high) = wider(since, until);
                let sql = format!(
                    "SELECT u.code, s.step, s.taken_at FROM outgoing_steps s \
                     JOIN outgoing_documents d ON d.id = s.document_id \
                     JOIN units u ON u.id = d.unit_id \
                     WHERE s.taken_at >= $1 AND s.taken_at <= $2 AND u.code IN ({}) \
                     AND s.step IN ({}) ORDER BY s.document_id, s.seq",
                    placeholders(3, units.len()),
                    placeholders(3 + units.len(), steps.len())
                );
                let mut query =
                    sqlx::query_as::<_, (String, String, String)>(&sql).bind(low).bind(high);
                for unit in units {
                    query = query.bind(unit);
                }
                for step in steps {
                    query = query.bind(*step);
                }
                query
                    .fetch_all(&self.reader)
                    .await?
                    .into_iter()
                    .map(|(unit, step, at)| {
                        let at = read(&at, || format!("outgoing step {step}: taken at"))?;
                        Ok((unit, step, at))
                    })
                    .collect()
            }

            async fn incoming_of_case(
                &self,
                case_folio: &str,
            ) -> Result<Vec<StoredIncoming>, StoreError> {
                let mut documents = self
                    .documents_where("d.case_folio = $2", &[case_folio], LINKED_AT_MOST)
                    .await?;
                documents.sort_by_key(|d| d.folio);
                Ok(documents)
            }

            async fn arrivals_of(&self, outgoing: i64) -> Result<Vec<StoredIncoming>, StoreError> {
                let mut documents = self
                    .documents_where(
                        "d.from_outgoing = CAST($2 AS BIGINT)",
                        &[&outgoing.to_string()],
                        LINKED_AT_MOST,
                    )
                    .await?;
                documents.sort_by_key(|d| d.folio);
                Ok(documents)
            }
        }

        impl $store {
            /// The documents that `filter` keeps (over `d`, with `$1` the limit and `binds`
            /// from `$2` on), the latest received first, with their turns.
            async fn documents_where(
                &self,
                filter: &str,
                binds: &[&str],
                limit: u32,
            ) -> Result<Vec<StoredIncoming>, StoreError> {
                let sql = format!(
                    "SELECT {DOCUMENT_COLUMNS} FROM incoming_documents d \
                     WHERE ({filter}) \
                     ORDER BY d.received_at DESC, d.folio_year DESC, d.folio_number DESC \
                     LIMIT $1"
                );
                let mut query = sqlx::query_as::<_, DocumentRow>(&sql).bind(i64::from(limit));
                for bind in binds {
                    query = query.bind(*bind);
                }
                let documents = query.fetch_all(&self.reader).await?;
                let Some(oldest) = documents.iter().map(|d| (d.folio_year, d.folio_number)).min()
                else {
                    return Ok(Vec::new());
                };
                let newest = documents
                    .iter()
                    .map(|d| (d.folio_year, d.folio_number))
                    .max()
                    .unwrap_or(oldest);
                // The turns of the folios between the listed ones', then kept for those listed.
                let turns: Vec<TurnRow> = sqlx::query_as(&format!(
                    "SELECT {TURN_COLUMNS} FROM incoming_turns \
                     WHERE (folio_year, folio_number) >= ($1, $2) \
                     AND (folio_year, folio_number) <= ($3, $4) ORDER BY id"
                ))
                .bind(oldest.0)
                .bind(oldest.1)
                .bind(newest.0)
                .bind(newest.1)
                .fetch_all(&self.reader)
                .await?;
                assemble(documents, turns)
            }
        }
    };
}

correspondence_impl!(SqliteStore, sqlx::Sqlite);
correspondence_impl!(PgStore, sqlx::Postgres);
