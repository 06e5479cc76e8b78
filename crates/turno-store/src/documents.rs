//! Attached documents: the rows projected from `DocumentAttached` events, and the check that
//! each document's file is still what the record says. The event's SHA-256 is protected by
//! the hash chain ([`crate::Store::verify`]); this check ties the files and the rows to it.

use crate::blobs::{BlobError, BlobStore};
use crate::error::StoreError;
use crate::model::ChainBreak;
use crate::record::Payload;
use crate::store::Store;
use thiserror::Error;
use turno_domain::engine::Event;

/// A document of a case, as its row in `documents` shows it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Document {
    pub id: i64,
    pub case_id: i64,
    /// The `DocumentAttached` event this row was projected from.
    pub event_id: Option<i64>,
    pub sha256: String,
    pub name: String,
    pub mime: String,
    pub size: i64,
    pub uploaded_at: String,
    pub uploaded_by: String,
}

/// A `DocumentAttached` event of the record with the row projected from it, or a row that
/// no such event backs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentRecord {
    pub folio: String,
    pub case_id: i64,
    pub event_id: Option<i64>,
    /// The event's payload as stored: the text the hash chain covers, with its version.
    pub payload: Option<Payload>,
    pub document: Option<Document>,
}

/// An event joined with its row, as read (the row's columns are null when it has none).
#[derive(sqlx::FromRow)]
pub(crate) struct EventWithRow {
    folio: String,
    case_id: i64,
    event_id: i64,
    payload: String,
    schema_version: i64,
    document_id: Option<i64>,
    document_case_id: Option<i64>,
    sha256: Option<String>,
    name: Option<String>,
    mime: Option<String>,
    size: Option<i64>,
    uploaded_at: Option<String>,
    uploaded_by: Option<String>,
}

impl From<EventWithRow> for DocumentRecord {
    fn from(r: EventWithRow) -> DocumentRecord {
        let document = match (
            r.document_id,
            r.document_case_id,
            r.sha256,
            r.name,
            r.mime,
            r.size,
            r.uploaded_at,
            r.uploaded_by,
        ) {
            (
                Some(id),
                Some(case_id),
                Some(sha256),
                Some(name),
                Some(mime),
                Some(size),
                Some(uploaded_at),
                Some(uploaded_by),
            ) => Some(Document {
                id,
                case_id,
                event_id: Some(r.event_id),
                sha256,
                name,
                mime,
                size,
                uploaded_at,
                uploaded_by,
            }),
            _ => None,
        };
        DocumentRecord {
            folio: r.folio,
            case_id: r.case_id,
            event_id: Some(r.event_id),
            payload: Some(Payload {
                version: r.schema_version,
                text: r.payload,
            }),
            document,
        }
    }
}

/// A row that no `DocumentAttached` event backs, with its case's folio.
#[derive(sqlx::FromRow)]
pub(crate) struct UnbackedRow {
    folio: String,
    #[sqlx(flatten)]
    document: Document,
}

impl From<UnbackedRow> for DocumentRecord {
    fn from(r: UnbackedRow) -> DocumentRecord {
        DocumentRecord {
            folio: r.folio,
            case_id: r.document.case_id,
            event_id: None,
            payload: None,
            document: Some(r.document),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentsReport {
    pub documents: u64,
    pub bytes: u64,
    pub first_break: Option<ChainBreak>,
}

#[derive(Debug, Error)]
pub enum VerifyDocumentsError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Blob(#[from] BlobError),
}

/// Checks every attached document: its row agrees with its `DocumentAttached` event, and its
/// file exists and hashes to the SHA-256 the event recorded. Reports the first problem, named
/// by the case's folio and the event. Run it with [`Store::verify`], which checks that the
/// events themselves are intact.
pub async fn verify_documents<S: Store, B: BlobStore>(
    store: &S,
    blobs: &B,
) -> Result<DocumentsReport, VerifyDocumentsError> {
    let mut report = DocumentsReport {
        documents: 0,
        bytes: 0,
        first_break: None,
    };
    for record in store.document_records().await? {
        let broken = |problem: String| ChainBreak {
            folio: record.folio.clone(),
            event_id: record.event_id,
            problem,
        };
        let Some(payload) = &record.payload else {
            let (id, name) = record
                .document
                .as_ref()
                .map(|d| (d.id, d.name.as_str()))
                .unwrap_or((0, ""));
            report.first_break = Some(broken(format!(
                "document «{name}» (row {id}) is not backed by any DocumentAttached event of the record"
            )));
            return Ok(report);
        };
        let Ok(Event::DocumentAttached {
            at,
            by,
            name,
            mime,
            size,
            sha256,
            ..
        }) = payload.event()
        else {
            report.first_break = Some(broken(
                "the record of an attached document is unreadable".into(),
            ));
            return Ok(report);
        };
        let Some(row) = &record.document else {
            report.first_break = Some(broken(format!(
                "document «{name}» is on record but its row was removed from the documents table"
            )));
            return Ok(report);
        };
        let differing: Vec<&str> = [
            ("case", row.case_id == record.case_id),
            ("SHA-256", row.sha256 == sha256),
            ("name", row.name == name),
            ("type", row.mime == mime),
            ("size", u64::try_from(row.size) == Ok(size)),
            ("uploader", row.uploaded_by == by.user),
            ("time", row.uploaded_at == at.to_string()),
        ]
        .into_iter()
        .filter_map(|(field, same)| (!same).then_some(field))
        .collect();
        if !differing.is_empty() {
            report.first_break = Some(broken(format!(
                "the documents row of «{name}» does not agree with the record ({} changed)",
                differing.join(", ")
            )));
            return Ok(report);
        }
        match blobs.rehash(&sha256).await {
            Ok(Some(found)) if found.sha256 == sha256 => {}
            Ok(Some(_)) => {
                report.first_break = Some(broken(format!(
                    "the file of document «{name}» was changed: its content no longer matches the SHA-256 in the record"
                )));
                return Ok(report);
            }
            Ok(None) => {
                report.first_break = Some(broken(format!(
                    "the file of document «{name}» is missing from the blob store (SHA-256 {sha256})"
                )));
                return Ok(report);
            }
            Err(BlobError::InvalidDigest(_)) => {
                report.first_break = Some(broken(format!(
                    "document «{name}» has no valid SHA-256 on record"
                )));
                return Ok(report);
            }
            Err(e) => return Err(e.into()),
        }
        report.documents += 1;
        report.bytes += size;
    }
    Ok(report)
}
