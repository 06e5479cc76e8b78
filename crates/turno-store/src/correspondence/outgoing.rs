//! Outgoing documents (migration 0026): drafts with their addressees, copies and reviewers,
//! every step on record, the number taken when the document is signed and the acuses of its
//! dispatch. The application decides each step (`turno_domain::correspondence::Stage`); the
//! store records it only on the version the person saw (`StoreError::Conflict` otherwise).
//!
//! **Numbers.** `sign_outgoing` takes the next consecutive of the unit and year from its
//! counter row (`INSERT … ON CONFLICT DO UPDATE … RETURNING`, which holds the row's lock until
//! commit on PostgreSQL; SQLite's one writer does the same) in the transaction that records
//! the signature: a signature that does not commit gives its number back, so numbers have
//! neither gaps nor duplicates, whatever the number of servers.

use crate::error::StoreError;
use jiff::Timestamp;
use turno_domain::correspondence::{Act, DocumentKind, IncomingFolio, Issued, NumberFormat, Stage};

/// How a unit numbers what it issues, as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Numbering {
    pub siglas: String,
    pub format: NumberFormat,
}

/// An addressee (`copy` false) or a copy (c.c.p.): a unit of the organization or someone
/// outside it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recipient {
    pub copy: bool,
    /// The unit's code, for an internal addressee.
    pub unit_code: Option<String>,
    pub name: String,
    /// Their position (cargo).
    pub title: String,
    pub institution: String,
    pub acuse: Option<Acuse>,
}

impl Recipient {
    pub fn is_internal(&self) -> bool {
        self.unit_code.is_some()
    }
}

/// The acknowledgement that a recipient received the document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Acuse {
    /// When it was received (local date and time as written on the acuse).
    pub on: jiff::civil::DateTime,
    /// Who received it; «sistema» for the automatic acuse of a unit.
    pub received_by: String,
    /// The scanned acuse in the blob store: digest and file name.
    pub scan: Option<(String, String)>,
    /// Who recorded it.
    pub recorded_by: String,
}

/// A draft as written (also when corrected).
#[derive(Debug, Clone)]
pub struct Draft {
    pub unit: String,
    pub kind: DocumentKind,
    pub subject: String,
    pub body: String,
    pub attention_to: Option<String>,
    pub case_folio: Option<String>,
    /// The incoming turn it answers (`incoming_turns.id`): its dispatch closes it.
    pub answers_turn: Option<i64>,
    pub recipients: Vec<Recipient>,
    /// The reviewers' logins, in the order they give their visto bueno.
    pub reviewers: Vec<String>,
    /// The signers' logins, in the order they sign with e.firma (migration 0036); none: the
    /// unit's titular signs alone.
    pub signers: Vec<String>,
}

/// One entry of a document's history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryEntry {
    pub act: Act,
    /// The stage it left the document in.
    pub stage: Stage,
    pub by: String,
    pub at: Timestamp,
    pub reason: Option<String>,
}

/// A signed document's number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Number {
    pub issued: Issued,
    /// As written on the document, in the unit's format when it was signed.
    pub text: String,
}

#[derive(Debug, Clone)]
pub struct OutgoingDocument {
    pub id: i64,
    pub unit: String,
    pub kind: DocumentKind,
    pub stage: Stage,
    pub subject: String,
    pub body: String,
    pub attention_to: Option<String>,
    pub case_folio: Option<String>,
    /// The incoming turn it answers, and that document's folio.
    pub answers: Option<Answers>,
    /// Whose visto bueno is awaited while in review (an index into `reviewers`).
    pub review_at: usize,
    /// Moves with every change: a step applies only to the version the person saw.
    pub version: i64,
    pub number: Option<Number>,
    pub signed_by: Option<String>,
    pub signed_at: Option<Timestamp>,
    /// The signed scan in the blob store: digest and file name.
    pub scan: Option<(String, String)>,
    /// Its e.firma signatures, in their order.
    pub signatures: Vec<OutgoingSignature>,
    pub created_by: String,
    pub created_at: Timestamp,
    pub recipients: Vec<Recipient>,
    pub reviewers: Vec<String>,
    /// Who signs it with e.firma, in order; none: the unit's titular alone.
    pub signers: Vec<String>,
    pub history: Vec<HistoryEntry>,
}

/// The incoming turn an outgoing document answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Answers {
    pub turn: i64,
    pub folio: IncomingFolio,
}

/// A document in a list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutgoingSummary {
    pub id: i64,
    pub unit: String,
    pub kind: DocumentKind,
    pub stage: Stage,
    pub subject: String,
    pub number: Option<String>,
    pub case_folio: Option<String>,
    pub created_at: Timestamp,
}

/// A step decided by the application: what it records and the stage it leaves.
#[derive(Debug, Clone)]
pub struct Change {
    pub act: Act,
    pub stage: Stage,
    pub review_at: usize,
    pub by: String,
    pub at: Timestamp,
    pub reason: Option<String>,
}

/// A signature: who, when, the signed scan or the e.firma, and how the number is written.
#[derive(Debug, Clone)]
pub struct Signing {
    pub by: String,
    pub at: Timestamp,
    /// The year whose consecutive it takes (the signing date's, where the unit is).
    pub year: i16,
    pub numbering: Numbering,
    /// The signed scan in the blob store: digest and file name.
    pub scan: Option<(String, String)>,
    /// The e.firma, verified by the application.
    pub efirma: Option<OutgoingSignature>,
    /// The history's note on the signature.
    pub note: Option<String>,
}

/// An e.firma over a document's signed bytes, as the application verified it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutgoingSignature {
    /// The signer's place in the document's order of signers, from 1.
    pub ordinal: u32,
    pub signer_login: String,
    /// The certificate's holder (common name), RFC and CURP.
    pub signer_name: String,
    pub rfc: Option<String>,
    pub curp: Option<String>,
    pub serial: String,
    pub issuer: String,
    /// The signer's certificate, DER.
    pub certificate: Vec<u8>,
    /// The signing time the signature declares: a claim.
    pub claimed_time: Option<Timestamp>,
    /// When the server verified it (the certificate valid and not revoked then).
    pub verified_at: Timestamp,
    /// SHA-256 of the signed bytes (lowercase hexadecimal): their key in the blob store.
    pub digest: String,
    /// The detached CMS signature, DER.
    pub cms: Vec<u8>,
}

/// A dispatch: internal recipients get their automatic acuse at `on`.
#[derive(Debug, Clone)]
pub struct Dispatch {
    pub by: String,
    pub at: Timestamp,
    pub on: jiff::civil::DateTime,
    /// The answered turn to close with it, as the application decided.
    pub closes: Option<ClosesTurn>,
    /// The documents to register in the internal addressees' own incoming registers, one per
    /// unit, as the application wrote them.
    pub arrivals: Vec<Arrival>,
}

/// An internal outgoing document arriving in a unit's incoming register at its dispatch.
#[derive(Debug, Clone)]
pub struct Arrival {
    /// The incoming document, registered for the addressee unit (`document.unit`).
    pub document: crate::correspondence::incoming::NewIncoming,
    /// `Attention` for an addressee, `Knowledge` for a copy.
    pub instruction: turno_domain::correspondence::Instruction,
}

/// The turn a dispatch closes as answered, with the texts the application chose: the turn's
/// reason, and the dispatch's note for when the turn was closed already (it stays closed).
#[derive(Debug, Clone)]
pub struct ClosesTurn {
    pub turn: i64,
    pub reason: String,
    pub already_closed: String,
}

store_trait! {
    pub trait Outgoing {
        /// How a unit numbers, when it chose; `None` for the default.
        async fn numbering(&self, unit: &str) -> Result<Option<Numbering>, StoreError>;

        /// Sets a unit's siglas and format, on the audit log.
        async fn set_numbering(
            &self,
            unit: &str,
            numbering: &Numbering,
            actor: &str,
        ) -> Result<(), StoreError>;

        /// Records a new draft; its id.
        async fn draft_outgoing(
            &self,
            draft: &Draft,
            by: &str,
            at: Timestamp,
        ) -> Result<i64, StoreError>;

        /// Records a new draft sent with a one-time key (the drafting form's): the same key
        /// again, even at the same moment, records nothing and answers the id of the draft the
        /// first one recorded (`draft_key` is unique).
        async fn draft_outgoing_once(
            &self,
            draft: &Draft,
            key: &str,
            by: &str,
            at: Timestamp,
        ) -> Result<i64, StoreError>;

        /// Replaces a draft's texts, recipients and reviewers (a correction), if it is still a
        /// draft at the version seen.
        async fn correct_outgoing(
            &self,
            id: i64,
            seen: i64,
            draft: &Draft,
            by: &str,
            at: Timestamp,
        ) -> Result<(), StoreError>;

        async fn outgoing(&self, id: i64) -> Result<Option<OutgoingDocument>, StoreError>;

        /// The documents issued by these units, newest first, of one stage or all.
        async fn outgoing_of_units(
            &self,
            units: &[String],
            stage: Option<Stage>,
        ) -> Result<Vec<OutgoingSummary>, StoreError>;

        /// The documents a case's activities produced, oldest first.
        async fn outgoing_of_case(&self, folio: &str) -> Result<Vec<OutgoingSummary>, StoreError>;

        /// Records a step (not the signature) on the version seen.
        async fn step_outgoing(&self, id: i64, seen: i64, change: &Change) -> Result<(), StoreError>;

        /// Signs the document at the version seen and takes its number, in one transaction.
        async fn sign_outgoing(
            &self,
            id: i64,
            seen: i64,
            signing: &Signing,
        ) -> Result<Number, StoreError>;

        /// Records the e.firma of a signer before the last, on the version seen of a document
        /// not numbered yet, with `note` on its history: the version moves, the stage stays.
        async fn cosign_outgoing(
            &self,
            id: i64,
            seen: i64,
            signature: &OutgoingSignature,
            note: &str,
        ) -> Result<(), StoreError>;

        /// The documents not numbered yet, drafted or with visto bueno, whose next signer in
        /// their order (migration 0036) is `login`, by id.
        async fn outgoing_awaiting_signer(&self, login: &str) -> Result<Vec<i64>, StoreError>;

        /// The document whose e.firma signed bytes have this SHA-256, if any.
        async fn outgoing_by_signed_digest(&self, digest: &str) -> Result<Option<i64>, StoreError>;

        /// The document a signed PDF issued with this SHA-256 is of, if any.
        async fn outgoing_by_issued(&self, sha256: &str) -> Result<Option<i64>, StoreError>;

        /// The document numbered `number` (as written) whose signed bytes have `digest`.
        async fn outgoing_by_number(
            &self,
            number: &str,
            digest: &str,
        ) -> Result<Option<i64>, StoreError>;

        /// Keeps the SHA-256 of a signed PDF issued of a document (once).
        async fn record_issued(
            &self,
            id: i64,
            sha256: &str,
            at: Timestamp,
        ) -> Result<(), StoreError>;

        /// Dispatches a signed document; internal recipients get their automatic acuse.
        async fn dispatch_outgoing(
            &self,
            id: i64,
            seen: i64,
            dispatch: &Dispatch,
        ) -> Result<(), StoreError>;

        /// Records the acuse of the recipient at `ordinal` (counted from 0), once.
        async fn record_acuse(
            &self,
            id: i64,
            ordinal: usize,
            acuse: &Acuse,
        ) -> Result<(), StoreError>;
    }
}

pub(crate) fn conflict(id: i64, seen: i64) -> StoreError {
    StoreError::Conflict {
        folio: format!("documento de salida {id}"),
        expected: seen,
    }
}

fn stamp(value: &str, what: &str) -> Result<Timestamp, StoreError> {
    value
        .parse()
        .map_err(|_| StoreError::corrupt(format!("outgoing {what}: «{value}»")))
}

pub(crate) fn stage(value: &str) -> Result<Stage, StoreError> {
    Stage::from_code(value).ok_or_else(|| StoreError::corrupt(format!("outgoing stage «{value}»")))
}

fn kind(value: &str) -> Result<DocumentKind, StoreError> {
    DocumentKind::from_code(value)
        .ok_or_else(|| StoreError::corrupt(format!("outgoing kind «{value}»")))
}

pub(crate) fn numbering_of(siglas: String, format: &str) -> Result<Numbering, StoreError> {
    Ok(Numbering {
        siglas,
        format: NumberFormat::parse(format)
            .map_err(|e| StoreError::corrupt(format!("numbering format «{format}»: {e}")))?,
    })
}

#[derive(sqlx::FromRow)]
pub(crate) struct DocumentRow {
    id: i64,
    unit: String,
    kind: String,
    stage: String,
    subject: String,
    body: String,
    attention_to: Option<String>,
    case_folio: Option<String>,
    answers_turn: Option<i64>,
    answers_year: Option<i64>,
    answers_number: Option<i64>,
    review_at: i64,
    version: i64,
    number_year: Option<i64>,
    number_n: Option<i64>,
    number: Option<String>,
    signed_by: Option<String>,
    signed_at: Option<String>,
    scan_sha256: Option<String>,
    scan_name: Option<String>,
    created_by: String,
    created_at: String,
}

pub(crate) const DOCUMENT_COLUMNS: &str = "d.id, u.code AS unit, d.kind, d.stage, d.subject, \
     d.body, d.attention_to, d.case_folio, d.answers_turn, \
     (SELECT t.folio_year FROM incoming_turns t WHERE t.id = d.answers_turn) AS answers_year, \
     (SELECT t.folio_number FROM incoming_turns t WHERE t.id = d.answers_turn) AS answers_number, \
     d.review_at, d.version, d.number_year, d.number_n, \
     d.number, d.signed_by, d.signed_at, d.scan_sha256, d.scan_name, d.created_by, d.created_at";

impl DocumentRow {
    pub(crate) fn id(&self) -> i64 {
        self.id
    }

    pub(crate) fn document(
        self,
        recipients: Vec<RecipientRow>,
        reviewers: Vec<String>,
        history: Vec<HistoryRow>,
    ) -> Result<OutgoingDocument, StoreError> {
        let number = match (self.number_year, self.number_n, self.number) {
            (Some(year), Some(n), Some(text)) => Some(Number {
                issued: Issued {
                    consecutive: u32::try_from(n).map_err(StoreError::corrupt)?,
                    year: i16::try_from(year).map_err(StoreError::corrupt)?,
                },
                text,
            }),
            _ => None,
        };
        Ok(OutgoingDocument {
            id: self.id,
            unit: self.unit,
            kind: kind(&self.kind)?,
            stage: stage(&self.stage)?,
            subject: self.subject,
            body: self.body,
            attention_to: self.attention_to,
            case_folio: self.case_folio,
            answers: match (self.answers_turn, self.answers_year, self.answers_number) {
                (Some(turn), Some(year), Some(number)) => Some(Answers {
                    turn,
                    folio: IncomingFolio {
                        year: i16::try_from(year).map_err(StoreError::corrupt)?,
                        number: u32::try_from(number).map_err(StoreError::corrupt)?,
                    },
                }),
                _ => None,
            },
            review_at: usize::try_from(self.review_at).map_err(StoreError::corrupt)?,
            version: self.version,
            number,
            signed_by: self.signed_by,
            signed_at: self
                .signed_at
                .map(|at| stamp(&at, "signed_at"))
                .transpose()?,
            scan: self.scan_sha256.zip(self.scan_name),
            signatures: Vec::new(),
            created_by: self.created_by,
            created_at: stamp(&self.created_at, "created_at")?,
            recipients: recipients
                .into_iter()
                .map(RecipientRow::recipient)
                .collect::<Result<_, _>>()?,
            reviewers,
            signers: Vec::new(),
            history: history
                .into_iter()
                .map(HistoryRow::entry)
                .collect::<Result<_, _>>()?,
        })
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct SignatureRow {
    ordinal: i64,
    signer_login: String,
    signer_name: String,
    rfc: Option<String>,
    curp: Option<String>,
    serial: String,
    issuer: String,
    certificate: Vec<u8>,
    claimed_time: Option<String>,
    verified_at: String,
    digest: String,
    cms: Vec<u8>,
}

pub(crate) const SIGNATURE_COLUMNS: &str = "ordinal, signer_login, signer_name, rfc, curp, \
     serial, issuer, certificate, claimed_time, verified_at, digest, cms";

impl SignatureRow {
    pub(crate) fn signature(self) -> Result<OutgoingSignature, StoreError> {
        Ok(OutgoingSignature {
            ordinal: u32::try_from(self.ordinal).map_err(StoreError::corrupt)?,
            signer_login: self.signer_login,
            signer_name: self.signer_name,
            rfc: self.rfc,
            curp: self.curp,
            serial: self.serial,
            issuer: self.issuer,
            certificate: self.certificate,
            claimed_time: self
                .claimed_time
                .map(|at| stamp(&at, "claimed_time"))
                .transpose()?,
            verified_at: stamp(&self.verified_at, "verified_at")?,
            digest: self.digest,
            cms: self.cms,
        })
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct SummaryRow {
    id: i64,
    unit: String,
    kind: String,
    stage: String,
    subject: String,
    number: Option<String>,
    case_folio: Option<String>,
    created_at: String,
}

pub(crate) const SUMMARY_COLUMNS: &str =
    "d.id, u.code AS unit, d.kind, d.stage, d.subject, d.number, d.case_folio, d.created_at";

impl SummaryRow {
    pub(crate) fn summary(self) -> Result<OutgoingSummary, StoreError> {
        Ok(OutgoingSummary {
            id: self.id,
            unit: self.unit,
            kind: kind(&self.kind)?,
            stage: stage(&self.stage)?,
            subject: self.subject,
            number: self.number,
            case_folio: self.case_folio,
            created_at: stamp(&self.created_at, "created_at")?,
        })
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct RecipientRow {
    is_copy: bool,
    unit_code: Option<String>,
    name: String,
    title: String,
    institution: String,
    acuse_on: Option<String>,
    acuse_by: Option<String>,
    acuse_sha256: Option<String>,
    acuse_name: Option<String>,
    acuse_recorded: Option<String>,
}

pub(crate) const RECIPIENT_COLUMNS: &str = "is_copy, unit_code, name, title, institution, \
     acuse_on, acuse_by, acuse_sha256, acuse_name, acuse_recorded";

impl RecipientRow {
    fn recipient(self) -> Result<Recipient, StoreError> {
        let acuse = match (self.acuse_on, self.acuse_by) {
            (Some(on), Some(received_by)) => Some(Acuse {
                on: on
                    .parse()
                    .map_err(|_| StoreError::corrupt(format!("outgoing acuse «{on}»")))?,
                received_by,
                scan: self.acuse_sha256.zip(self.acuse_name),
                recorded_by: self.acuse_recorded.unwrap_or_default(),
            }),
            _ => None,
        };
        Ok(Recipient {
            copy: self.is_copy,
            unit_code: self.unit_code,
            name: self.name,
            title: self.title,
            institution: self.institution,
            acuse,
        })
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct HistoryRow {
    step: String,
    stage: String,
    by_login: String,
    taken_at: String,
    reason: Option<String>,
}

impl HistoryRow {
    fn entry(self) -> Result<HistoryEntry, StoreError> {
        Ok(HistoryEntry {
            act: Act::from_code(&self.step)
                .ok_or_else(|| StoreError::corrupt(format!("outgoing step «{}»", self.step)))?,
            stage: stage(&self.stage)?,
            by: self.by_login,
            at: stamp(&self.taken_at, "taken_at")?,
            reason: self.reason,
        })
    }
}

/// The SQL, the same on both backends; expanded where the store's private helpers
/// (`audit_on`) are visible.
macro_rules! outgoing_sql {
    ($store:ty, $db:ty) => {
        impl $store {
            /// Records a new draft, with the one-time key it was sent with if any; its id.
            async fn outgoing_draft_keyed(
                &self,
                draft: &$crate::correspondence::outgoing::Draft,
                key: Option<&str>,
                by: &str,
                at: jiff::Timestamp,
            ) -> Result<i64, $crate::StoreError> {
                use turno_domain::correspondence::{Act, Stage};
                let mut tx = self.begin_write().await?;
                let unit_id = Self::outgoing_unit_id_on(&mut tx, &draft.unit).await?;
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO outgoing_documents (unit_id, kind, stage, subject, body, \
                     attention_to, case_folio, answers_turn, created_by, created_at, draft_key) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
                )
                .bind(unit_id)
                .bind(draft.kind.code())
                .bind(Stage::Draft.code())
                .bind(&draft.subject)
                .bind(&draft.body)
                .bind(&draft.attention_to)
                .bind(&draft.case_folio)
                .bind(draft.answers_turn)
                .bind(by)
                .bind(at.to_string())
                .bind(key)
                .fetch_one(&mut *tx)
                .await?;
                Self::outgoing_parties_on(&mut tx, id, draft).await?;
                let change = $crate::correspondence::outgoing::Change {
                    act: Act::Draft,
                    stage: Stage::Draft,
                    review_at: 0,
                    by: by.to_owned(),
                    at,
                    reason: None,
                };
                Self::outgoing_history_on(&mut tx, id, &change).await?;
                tx.commit().await?;
                Ok(id)
            }

            async fn outgoing_unit_id_on(
                conn: &mut <$db as sqlx::Database>::Connection,
                code: &str,
            ) -> Result<i64, $crate::StoreError> {
                let id: Option<i64> = sqlx::query_scalar("SELECT id FROM units WHERE code = $1")
                    .bind(code)
                    .fetch_optional(&mut *conn)
                    .await?;
                id.ok_or_else(|| $crate::Refusal::UnitNotFound(code.to_owned()).into())
            }

            /// Appends an entry to a document's history.
            async fn outgoing_history_on(
                conn: &mut <$db as sqlx::Database>::Connection,
                id: i64,
                change: &$crate::correspondence::outgoing::Change,
            ) -> Result<(), $crate::StoreError> {
                sqlx::query(
                    "INSERT INTO outgoing_steps (document_id, seq, step, stage, by_login, \
                     taken_at, reason) SELECT $1, COALESCE(MAX(seq), 0) + 1, $2, $3, $4, $5, $6 \
                     FROM outgoing_steps WHERE document_id = $1",
                )
                .bind(id)
                .bind(change.act.code())
                .bind(change.stage.code())
                .bind(&change.by)
                .bind(change.at.to_string())
                .bind(&change.reason)
                .execute(&mut *conn)
                .await?;
                Ok(())
            }

            /// Records an e.firma signature of the document `id`.
            async fn outgoing_signature_on(
                conn: &mut <$db as sqlx::Database>::Connection,
                id: i64,
                e: &$crate::correspondence::outgoing::OutgoingSignature,
            ) -> Result<(), $crate::StoreError> {
                sqlx::query(
                    "INSERT INTO outgoing_signatures (document_id, ordinal, signer_login, \
                     signer_name, rfc, curp, serial, issuer, certificate, claimed_time, \
                     verified_at, digest, cms) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
                )
                .bind(id)
                .bind(i64::from(e.ordinal))
                .bind(&e.signer_login)
                .bind(&e.signer_name)
                .bind(&e.rfc)
                .bind(&e.curp)
                .bind(&e.serial)
                .bind(&e.issuer)
                .bind(&e.certificate)
                .bind(e.claimed_time.map(|at| at.to_string()))
                .bind(e.verified_at.to_string())
                .bind(&e.digest)
                .bind(&e.cms)
                .execute(&mut *conn)
                .await?;
                Ok(())
            }

            /// Forgets the signatures of a document not numbered yet, back to be corrected:
            /// they were over bytes that change, so every signer signs again.
            async fn unsigned_again_on(
                conn: &mut <$db as sqlx::Database>::Connection,
                id: i64,
            ) -> Result<(), $crate::StoreError> {
                sqlx::query(
                    "DELETE FROM outgoing_signatures WHERE document_id = $1 AND EXISTS \
                     (SELECT 1 FROM outgoing_documents d WHERE d.id = $1 AND d.number_n IS NULL)",
                )
                .bind(id)
                .execute(&mut *conn)
                .await?;
                Ok(())
            }

            /// Writes a draft's recipients, reviewers and signers, replacing any.
            async fn outgoing_parties_on(
                conn: &mut <$db as sqlx::Database>::Connection,
                id: i64,
                draft: &$crate::correspondence::outgoing::Draft,
            ) -> Result<(), $crate::StoreError> {
                sqlx::query("DELETE FROM outgoing_recipients WHERE document_id = $1")
                    .bind(id)
                    .execute(&mut *conn)
                    .await?;
                for (ordinal, r) in draft.recipients.iter().enumerate() {
                    sqlx::query(
                        "INSERT INTO outgoing_recipients (document_id, ordinal, is_copy, \
                         unit_code, name, title, institution) VALUES ($1, $2, $3, $4, $5, $6, $7)",
                    )
                    .bind(id)
                    .bind(ordinal as i64)
                    .bind(r.copy)
                    .bind(&r.unit_code)
                    .bind(&r.name)
                    .bind(&r.title)
                    .bind(&r.institution)
                    .execute(&mut *conn)
                    .await?;
                }
                // The people in order: the reviewers, the signers (tables named here only).
                for (table, logins) in [
                    ("outgoing_reviewers", &draft.reviewers),
                    ("outgoing_signers", &draft.signers),
                ] {
                    sqlx::query(&format!("DELETE FROM {table} WHERE document_id = $1"))
                        .bind(id)
                        .execute(&mut *conn)
                        .await?;
                    for (ordinal, login) in logins.iter().enumerate() {
                        sqlx::query(&format!(
                            "INSERT INTO {table} (document_id, ordinal, login) VALUES ($1, $2, $3)"
                        ))
                        .bind(id)
                        .bind(ordinal as i64)
                        .bind(login)
                        .execute(&mut *conn)
                        .await?;
                    }
                }
                Ok(())
            }
        }

        impl $crate::correspondence::Outgoing for $store {
            async fn numbering(
                &self,
                unit: &str,
            ) -> Result<Option<$crate::correspondence::outgoing::Numbering>, $crate::StoreError>
            {
                let row: Option<(String, String)> = sqlx::query_as(
                    "SELECT n.siglas, n.format FROM outgoing_numbering n \
                     JOIN units u ON u.id = n.unit_id WHERE u.code = $1",
                )
                .bind(unit)
                .fetch_optional(&self.reader)
                .await?;
                row.map(|(siglas, format)| {
                    $crate::correspondence::outgoing::numbering_of(siglas, &format)
                })
                .transpose()
            }

            async fn set_numbering(
                &self,
                unit: &str,
                numbering: &$crate::correspondence::outgoing::Numbering,
                actor: &str,
            ) -> Result<(), $crate::StoreError> {
                let mut tx = self.begin_write().await?;
                let unit_id = Self::outgoing_unit_id_on(&mut tx, unit).await?;
                let was: Option<(String, String)> = sqlx::query_as(
                    "SELECT siglas, format FROM outgoing_numbering WHERE unit_id = $1",
                )
                .bind(unit_id)
                .fetch_optional(&mut *tx)
                .await?;
                sqlx::query(
                    "INSERT INTO outgoing_numbering (unit_id, siglas, format, changed_by, \
                     changed_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (unit_id) DO UPDATE \
                     SET siglas = excluded.siglas, format = excluded.format, \
                     changed_by = excluded.changed_by, changed_at = excluded.changed_at",
                )
                .bind(unit_id)
                .bind(&numbering.siglas)
                .bind(numbering.format.as_str())
                .bind(actor)
                .bind(jiff::Timestamp::now().to_string())
                .execute(&mut *tx)
                .await?;
                let detail = serde_json::json!({
                    "siglas": numbering.siglas,
                    "format": numbering.format.as_str(),
                    "was": was.map(|(siglas, format)| serde_json::json!({
                        "siglas": siglas,
                        "format": format,
                    })),
                })
                .to_string();
                Self::audit_on(&mut tx, actor, "numbering_set", unit, detail).await?;
                tx.commit().await?;
                Ok(())
            }

            async fn draft_outgoing(
                &self,
                draft: &$crate::correspondence::outgoing::Draft,
                by: &str,
                at: jiff::Timestamp,
            ) -> Result<i64, $crate::StoreError> {
                self.outgoing_draft_keyed(draft, None, by, at).await
            }

            async fn draft_outgoing_once(
                &self,
                draft: &$crate::correspondence::outgoing::Draft,
                key: &str,
                by: &str,
                at: jiff::Timestamp,
            ) -> Result<i64, $crate::StoreError> {
                let first = || async move {
                    let id: Option<i64> = sqlx::query_scalar(
                        "SELECT id FROM outgoing_documents WHERE draft_key = $1",
                    )
                    .bind(key)
                    .fetch_optional(&self.reader)
                    .await?;
                    Ok::<_, $crate::StoreError>(id)
                };
                if let Some(id) = first().await? {
                    return Ok(id);
                }
                // Refused by the unique key: the same form sent at the same moment won.
                match self.outgoing_draft_keyed(draft, Some(key), by, at).await {
                    Err(e) => first().await?.ok_or(e),
                    done => done,
                }
            }

            async fn correct_outgoing(
                &self,
                id: i64,
                seen: i64,
                draft: &$crate::correspondence::outgoing::Draft,
                by: &str,
                at: jiff::Timestamp,
            ) -> Result<(), $crate::StoreError> {
                use turno_domain::correspondence::{Act, Stage};
                let mut tx = self.begin_write().await?;
                let done = sqlx::query(
                    "UPDATE outgoing_documents SET kind = $1, subject = $2, body = $3, \
                     attention_to = $4, case_folio = $5, answers_turn = $6, \
                     version = version + 1 WHERE id = $7 AND version = $8 AND stage = $9",
                )
                .bind(draft.kind.code())
                .bind(&draft.subject)
                .bind(&draft.body)
                .bind(&draft.attention_to)
                .bind(&draft.case_folio)
                .bind(draft.answers_turn)
                .bind(id)
                .bind(seen)
                .bind(Stage::Draft.code())
                .execute(&mut *tx)
                .await?;
                if done.rows_affected() == 0 {
                    return Err($crate::correspondence::outgoing::conflict(id, seen));
                }
                Self::outgoing_parties_on(&mut tx, id, draft).await?;
                Self::unsigned_again_on(&mut tx, id).await?;
                let change = $crate::correspondence::outgoing::Change {
                    act: Act::Correct,
                    stage: Stage::Draft,
                    review_at: 0,
                    by: by.to_owned(),
                    at,
                    reason: None,
                };
                Self::outgoing_history_on(&mut tx, id, &change).await?;
                tx.commit().await?;
                Ok(())
            }

            async fn outgoing(
                &self,
                id: i64,
            ) -> Result<
                Option<$crate::correspondence::outgoing::OutgoingDocument>,
                $crate::StoreError,
            > {
                use $crate::correspondence::outgoing::{
                    DOCUMENT_COLUMNS, DocumentRow, HistoryRow, RECIPIENT_COLUMNS, RecipientRow,
                    SIGNATURE_COLUMNS, SignatureRow,
                };
                let row: Option<DocumentRow> = sqlx::query_as(&format!(
                    "SELECT {DOCUMENT_COLUMNS} FROM outgoing_documents d \
                     JOIN units u ON u.id = d.unit_id WHERE d.id = $1"
                ))
                .bind(id)
                .fetch_optional(&self.reader)
                .await?;
                let Some(row) = row else { return Ok(None) };
                let recipients: Vec<RecipientRow> = sqlx::query_as(&format!(
                    "SELECT {RECIPIENT_COLUMNS} FROM outgoing_recipients \
                     WHERE document_id = $1 ORDER BY ordinal"
                ))
                .bind(row.id())
                .fetch_all(&self.reader)
                .await?;
                let reviewers: Vec<String> = sqlx::query_scalar(
                    "SELECT login FROM outgoing_reviewers WHERE document_id = $1 ORDER BY ordinal",
                )
                .bind(row.id())
                .fetch_all(&self.reader)
                .await?;
                let history: Vec<HistoryRow> = sqlx::query_as(
                    "SELECT step, stage, by_login, taken_at, reason FROM outgoing_steps \
                     WHERE document_id = $1 ORDER BY seq",
                )
                .bind(row.id())
                .fetch_all(&self.reader)
                .await?;
                let signers: Vec<String> = sqlx::query_scalar(
                    "SELECT login FROM outgoing_signers WHERE document_id = $1 ORDER BY ordinal",
                )
                .bind(row.id())
                .fetch_all(&self.reader)
                .await?;
                let signatures: Vec<SignatureRow> = sqlx::query_as(&format!(
                    "SELECT {SIGNATURE_COLUMNS} FROM outgoing_signatures \
                     WHERE document_id = $1 ORDER BY ordinal"
                ))
                .bind(row.id())
                .fetch_all(&self.reader)
                .await?;
                let mut document = row.document(recipients, reviewers, history)?;
                document.signers = signers;
                document.signatures = signatures
                    .into_iter()
                    .map(SignatureRow::signature)
                    .collect::<Result<_, _>>()?;
                Ok(Some(document))
            }

            async fn outgoing_of_units(
                &self,
                units: &[String],
                stage: Option<turno_domain::correspondence::Stage>,
            ) -> Result<Vec<$crate::correspondence::outgoing::OutgoingSummary>, $crate::StoreError>
            {
                use $crate::correspondence::outgoing::{SUMMARY_COLUMNS, SummaryRow};
                if units.is_empty() {
                    return Ok(Vec::new());
                }
                // One placeholder per unit: both backends bind them the same way.
                let marks: Vec<String> = (0..units.len()).map(|i| format!("${}", i + 2)).collect();
                let sql = format!(
                    "SELECT {SUMMARY_COLUMNS} FROM outgoing_documents d \
                     JOIN units u ON u.id = d.unit_id \
                     WHERE ($1 = '' OR d.stage = $1) AND u.code IN ({}) ORDER BY d.id DESC",
                    marks.join(", ")
                );
                let mut query = sqlx::query_as::<_, SummaryRow>(&sql)
                    .bind(stage.map(|s| s.code()).unwrap_or_default());
                for unit in units {
                    query = query.bind(unit);
                }
                let rows = query.fetch_all(&self.reader).await?;
                rows.into_iter().map(SummaryRow::summary).collect()
            }

            async fn outgoing_of_case(
                &self,
                folio: &str,
            ) -> Result<Vec<$crate::correspondence::outgoing::OutgoingSummary>, $crate::StoreError>
            {
                use $crate::correspondence::outgoing::{SUMMARY_COLUMNS, SummaryRow};
                let rows: Vec<SummaryRow> = sqlx::query_as(&format!(
                    "SELECT {SUMMARY_COLUMNS} FROM outgoing_documents d \
                     JOIN units u ON u.id = d.unit_id WHERE d.case_folio = $1 ORDER BY d.id"
                ))
                .bind(folio)
                .fetch_all(&self.reader)
                .await?;
                rows.into_iter().map(SummaryRow::summary).collect()
            }

            async fn step_outgoing(
                &self,
                id: i64,
                seen: i64,
                change: &$crate::correspondence::outgoing::Change,
            ) -> Result<(), $crate::StoreError> {
                let mut tx = self.begin_write().await?;
                let done = sqlx::query(
                    "UPDATE outgoing_documents SET stage = $1, review_at = $2, \
                     version = version + 1 WHERE id = $3 AND version = $4",
                )
                .bind(change.stage.code())
                .bind(change.review_at as i64)
                .bind(id)
                .bind(seen)
                .execute(&mut *tx)
                .await?;
                if done.rows_affected() == 0 {
                    return Err($crate::correspondence::outgoing::conflict(id, seen));
                }
                if change.stage == turno_domain::correspondence::Stage::Draft {
                    Self::unsigned_again_on(&mut tx, id).await?;
                }
                Self::outgoing_history_on(&mut tx, id, change).await?;
                tx.commit().await?;
                Ok(())
            }

            async fn cosign_outgoing(
                &self,
                id: i64,
                seen: i64,
                signature: &$crate::correspondence::outgoing::OutgoingSignature,
                note: &str,
            ) -> Result<(), $crate::StoreError> {
                use turno_domain::correspondence::{Act, Step};
                let mut tx = self.begin_write().await?;
                let stage: Option<String> = sqlx::query_scalar(
                    "UPDATE outgoing_documents SET version = version + 1 \
                     WHERE id = $1 AND version = $2 AND number_n IS NULL RETURNING stage",
                )
                .bind(id)
                .bind(seen)
                .fetch_optional(&mut *tx)
                .await?;
                let stage = stage.ok_or_else(|| $crate::correspondence::outgoing::conflict(id, seen))?;
                let change = $crate::correspondence::outgoing::Change {
                    act: Act::Step(Step::Sign),
                    stage: $crate::correspondence::outgoing::stage(&stage)?,
                    review_at: 0,
                    by: signature.signer_login.clone(),
                    at: signature.verified_at,
                    reason: Some(note.to_owned()),
                };
                Self::outgoing_history_on(&mut tx, id, &change).await?;
                Self::outgoing_signature_on(&mut tx, id, signature).await?;
                tx.commit().await?;
                Ok(())
            }

            async fn outgoing_awaiting_signer(
                &self,
                login: &str,
            ) -> Result<Vec<i64>, $crate::StoreError> {
                Ok(sqlx::query_scalar(
                    "SELECT d.id FROM outgoing_documents d \
                     JOIN outgoing_signers s ON s.document_id = d.id \
                     WHERE s.login = $1 AND d.number_n IS NULL AND d.stage IN ($2, $3) \
                     AND s.ordinal = (SELECT COUNT(*) FROM outgoing_signatures g \
                                      WHERE g.document_id = d.id) \
                     ORDER BY d.id",
                )
                .bind(login)
                .bind(turno_domain::correspondence::Stage::Draft.code())
                .bind(turno_domain::correspondence::Stage::Approved.code())
                .fetch_all(&self.reader)
                .await?)
            }

            async fn sign_outgoing(
                &self,
                id: i64,
                seen: i64,
                signing: &$crate::correspondence::outgoing::Signing,
            ) -> Result<$crate::correspondence::outgoing::Number, $crate::StoreError> {
                use turno_domain::correspondence::{Act, Issued, Stage, Step};
                let mut tx = self.begin_write().await?;
                let unit_id: Option<i64> =
                    sqlx::query_scalar("SELECT unit_id FROM outgoing_documents WHERE id = $1")
                        .bind(id)
                        .fetch_optional(&mut *tx)
                        .await?;
                let unit_id = unit_id.ok_or($crate::Refusal::OutgoingNotFound(id))?;
                // The counter first: its row's lock orders signers of a unit, and a signature
                // refused below rolls the consecutive back with it.
                let last: i64 = sqlx::query_scalar(
                    "INSERT INTO outgoing_counters (unit_id, year, last) VALUES ($1, $2, 1) \
                     ON CONFLICT (unit_id, year) DO UPDATE SET last = outgoing_counters.last + 1 \
                     RETURNING last",
                )
                .bind(unit_id)
                .bind(i64::from(signing.year))
                .fetch_one(&mut *tx)
                .await?;
                let issued = Issued {
                    consecutive: u32::try_from(last).map_err($crate::StoreError::corrupt)?,
                    year: signing.year,
                };
                let text = signing
                    .numbering
                    .format
                    .render(&signing.numbering.siglas, issued);
                let done = sqlx::query(
                    "UPDATE outgoing_documents SET stage = $1, number_year = $2, number_n = $3, \
                     number = $4, signed_by = $5, signed_at = $6, scan_sha256 = $7, \
                     scan_name = $8, version = version + 1 \
                     WHERE id = $9 AND version = $10 AND number_n IS NULL",
                )
                .bind(Stage::Signed.code())
                .bind(i64::from(signing.year))
                .bind(last)
                .bind(&text)
                .bind(&signing.by)
                .bind(signing.at.to_string())
                .bind(signing.scan.as_ref().map(|(sha256, _)| sha256))
                .bind(signing.scan.as_ref().map(|(_, name)| name))
                .bind(id)
                .bind(seen)
                .execute(&mut *tx)
                .await?;
                if done.rows_affected() == 0 {
                    return Err($crate::correspondence::outgoing::conflict(id, seen));
                }
                let change = $crate::correspondence::outgoing::Change {
                    act: Act::Step(Step::Sign),
                    stage: Stage::Signed,
                    review_at: 0,
                    by: signing.by.clone(),
                    at: signing.at,
                    reason: signing.note.clone(),
                };
                Self::outgoing_history_on(&mut tx, id, &change).await?;
                if let Some(e) = &signing.efirma {
                    Self::outgoing_signature_on(&mut tx, id, e).await?;
                }
                tx.commit().await?;
                Ok($crate::correspondence::outgoing::Number { issued, text })
            }

            async fn outgoing_by_signed_digest(
                &self,
                digest: &str,
            ) -> Result<Option<i64>, $crate::StoreError> {
                Ok(sqlx::query_scalar(
                    "SELECT MIN(document_id) FROM outgoing_signatures WHERE digest = $1",
                )
                .bind(digest)
                .fetch_one(&self.reader)
                .await?)
            }

            async fn outgoing_by_issued(
                &self,
                sha256: &str,
            ) -> Result<Option<i64>, $crate::StoreError> {
                Ok(
                    sqlx::query_scalar("SELECT document_id FROM outgoing_issued WHERE sha256 = $1")
                        .bind(sha256)
                        .fetch_optional(&self.reader)
                        .await?,
                )
            }

            async fn outgoing_by_number(
                &self,
                number: &str,
                digest: &str,
            ) -> Result<Option<i64>, $crate::StoreError> {
                Ok(sqlx::query_scalar(
                    "SELECT MIN(d.id) FROM outgoing_documents d \
                     JOIN outgoing_signatures s ON s.document_id = d.id \
                     WHERE d.number = $1 AND s.digest = $2",
                )
                .bind(number)
                .bind(digest)
                .fetch_one(&self.reader)
                .await?)
            }

            async fn record_issued(
                &self,
                id: i64,
                sha256: &str,
                at: jiff::Timestamp,
            ) -> Result<(), $crate::StoreError> {
                let mut tx = self.begin_write().await?;
                sqlx::query(
                    "INSERT INTO outgoing_issued (sha256, document_id, issued_at) \
                     VALUES ($1, $2, $3) ON CONFLICT (sha256) DO NOTHING",
                )
                .bind(sha256)
                .bind(id)
                .bind(at.to_string())
                .execute(&mut *tx)
                .await?;
                tx.commit().await?;
                Ok(())
            }

            async fn dispatch_outgoing(
                &self,
                id: i64,
                seen: i64,
                dispatch: &$crate::correspondence::outgoing::Dispatch,
            ) -> Result<(), $crate::StoreError> {
                use turno_domain::correspondence::{Act, Stage, Step};
                let mut tx = self.begin_write().await?;
                let done = sqlx::query(
                    "UPDATE outgoing_documents SET stage = $1, version = version + 1 \
                     WHERE id = $2 AND version = $3 AND stage = $4",
                )
                .bind(Stage::Dispatched.code())
                .bind(id)
                .bind(seen)
                .bind(Stage::Signed.code())
                .execute(&mut *tx)
                .await?;
                if done.rows_affected() == 0 {
                    return Err($crate::correspondence::outgoing::conflict(id, seen));
                }
                sqlx::query(
                    "UPDATE outgoing_recipients SET acuse_on = $1, acuse_by = $2, \
                     acuse_recorded = $2 WHERE document_id = $3 AND unit_code IS NOT NULL",
                )
                .bind(dispatch.on.to_string())
                .bind($crate::correspondence::outgoing::SYSTEM)
                .bind(id)
                .execute(&mut *tx)
                .await?;
                // Each internal addressee's register receives it, with a folio of its own; the
                // unique key (outgoing document, unit) backs that it arrives once.
                for arrival in &dispatch.arrivals {
                    Self::insert_incoming_on(
                        &mut tx,
                        &arrival.document,
                        Some($crate::correspondence::incoming::Arrived {
                            outgoing: id,
                            instruction: arrival.instruction,
                        }),
                    )
                    .await?;
                }
                // The answered turn closes only if still open; otherwise the dispatch's history
                // carries the application's note.
                let mut reason = None;
                if let Some(closes) = &dispatch.closes {
                    let closed = sqlx::query(
                        "UPDATE incoming_turns SET status = $1, closed_by = $2, closed_at = $3, \
                         reason = $4 WHERE id = $5 AND status = 'abierto'",
                    )
                    .bind(turno_domain::correspondence::TurnStatus::Answered.code())
                    .bind(&dispatch.by)
                    .bind(dispatch.at.to_string())
                    .bind(&closes.reason)
                    .bind(closes.turn)
                    .execute(&mut *tx)
                    .await?;
                    if closed.rows_affected() == 0 {
                        reason = Some(closes.already_closed.clone());
                    }
                }
                let change = $crate::correspondence::outgoing::Change {
                    act: Act::Step(Step::Dispatch),
                    stage: Stage::Dispatched,
                    review_at: 0,
                    by: dispatch.by.clone(),
                    at: dispatch.at,
                    reason,
                };
                Self::outgoing_history_on(&mut tx, id, &change).await?;
                tx.commit().await?;
                Ok(())
            }

            async fn record_acuse(
                &self,
                id: i64,
                ordinal: usize,
                acuse: &$crate::correspondence::outgoing::Acuse,
            ) -> Result<(), $crate::StoreError> {
                let mut tx = self.begin_write().await?;
                let (sha, name) = acuse.scan.clone().unzip();
                let done = sqlx::query(
                    "UPDATE outgoing_recipients SET acuse_on = $1, acuse_by = $2, \
                     acuse_sha256 = $3, acuse_name = $4, acuse_recorded = $5 \
                     WHERE document_id = $6 AND ordinal = $7 AND acuse_on IS NULL",
                )
                .bind(acuse.on.to_string())
                .bind(&acuse.received_by)
                .bind(sha)
                .bind(name)
                .bind(&acuse.recorded_by)
                .bind(id)
                .bind(ordinal as i64)
                .execute(&mut *tx)
                .await?;
                if done.rows_affected() == 0 {
                    return Err($crate::correspondence::outgoing::conflict(id, 0));
                }
                tx.commit().await?;
                Ok(())
            }
        }
    };
}

pub(crate) use outgoing_sql;

/// Who records the automatic acuse of an internal recipient.
pub const SYSTEM: &str = "sistema";
