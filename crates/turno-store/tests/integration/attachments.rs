//! Attached documents: files kept by content beside the record, and verification that finds a
//! changed or missing file. Every test runs on SQLite and on PostgreSQL.

use crate::common::{Raw, day, new_report, seed_000};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};
use turno_app::commands::{Attached, CommandError, OnCase, Upload, attach_document};
use turno_domain::engine::{Actor, EngineError, Event, WorkItemId};
use turno_store::blobs::{BlobError, BlobStore, LocalBlobs};
use turno_store::{Committed, Store, verify_documents};

const PDF: &[u8] = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer\n%%EOF\n";

/// A fresh blob directory of the test's own.
fn blob_dir() -> LocalBlobs {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let dir = std::env::temp_dir().join("turno-store-tests").join(format!(
        "blobs_{}_{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    LocalBlobs::new(dir)
}

/// The stored files, leaving out the temporary directory.
fn blob_files(root: &Path) -> Vec<PathBuf> {
    fn walk(dir: &Path, found: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, found);
            } else {
                found.push(path);
            }
        }
    }
    let mut found = Vec::new();
    walk(root, &mut found);
    found.retain(|p| !p.starts_with(root.join("tmp")));
    found
}

fn upload<'a>(name: &str, mime: &str, content: &'a [u8]) -> Upload<&'a [u8]> {
    Upload {
        name: name.into(),
        mime: mime.into(),
        content,
        by: Actor {
            user: "ana".into(),
            participant: None,
            substituting: None,
        },
        item: None,
    }
}

fn pdf<'a>(name: &str, content: &'a [u8]) -> Upload<&'a [u8]> {
    upload(name, "application/pdf", content)
}

/// `oficio.pdf`, the document most tests attach.
fn oficio() -> Upload<&'static [u8]> {
    pdf("oficio.pdf", PDF)
}

async fn attach<S: Store>(
    store: &S,
    blobs: &LocalBlobs,
    case: &Committed,
    file: Upload<&[u8]>,
    key: Option<&str>,
) -> Result<Attached, CommandError> {
    let (procedure, _) = seed_000();
    attach_document(
        store,
        blobs,
        OnCase::new(&procedure, case.case_id, &day()).once(key),
        file,
    )
    .await
}

/// The id of a case's DocumentAttached event, as the database has it.
async fn attached_event_ids(raw: &Raw, case_id: i64) -> Vec<i64> {
    let sql = format!(
        "SELECT id FROM events WHERE case_id = {case_id} AND kind = 'document_attached' ORDER BY id"
    );
    match raw {
        Raw::Sqlite(pool, _) => sqlx::query_scalar(&sql).fetch_all(pool).await.unwrap(),
        Raw::Postgres(pool, _) => sqlx::query_scalar(&sql).fetch_all(pool).await.unwrap(),
    }
}

async fn a_pdf_is_attached_and_read_back<S: Store>(store: S, raw: Raw) {
    let blobs = blob_dir();
    let case = new_report(&store, "Informe con oficio").await;
    let attached = attach(&store, &blobs, &case, oficio(), None).await.unwrap();
    assert_eq!(attached.committed.version, case.version + 1);
    assert_eq!(attached.mime, "application/pdf");
    assert!(attached.blob.created);
    assert_eq!(attached.blob.size, PDF.len() as u64);
    assert_eq!(blobs.get(&attached.blob.sha256).await.unwrap(), PDF);

    // The record holds the digest; the row shows the document.
    let stored = store.load_case(case.case_id).await.unwrap();
    let last = stored.events.last().unwrap();
    match &last.event {
        Event::DocumentAttached {
            name, sha256, size, ..
        } => {
            assert_eq!(name, "oficio.pdf");
            assert_eq!(sha256, &attached.blob.sha256);
            assert_eq!(*size, PDF.len() as u64);
        }
        other => panic!("expected a DocumentAttached event, found {other:?}"),
    }
    let documents = store.documents(case.case_id).await.unwrap();
    assert_eq!(documents.len(), 1);
    let row = &documents[0];
    assert_eq!(row.name, "oficio.pdf");
    assert_eq!(row.mime, "application/pdf");
    assert_eq!(row.size, PDF.len() as i64);
    assert_eq!(row.sha256, attached.blob.sha256);
    assert_eq!(row.uploaded_by, "ana");
    assert_eq!(row.event_id, Some(last.id));
    assert_eq!(attached_event_ids(&raw, case.case_id).await, vec![last.id]);

    assert_eq!(store.verify().await.unwrap().breaks, []);
    let report = verify_documents(&store, &blobs).await.unwrap();
    assert_eq!(report.first_break, None);
    assert_eq!(report.documents, 1);
    assert_eq!(report.bytes, PDF.len() as u64);
    std::fs::remove_dir_all(blobs.root()).unwrap();
}

async fn the_same_content_twice_is_stored_once<S: Store>(store: S, _raw: Raw) {
    let blobs = blob_dir();
    let first_case = new_report(&store, "Primero").await;
    let second_case = new_report(&store, "Segundo").await;
    let first = attach(&store, &blobs, &first_case, oficio(), None)
        .await
        .unwrap();
    let second = attach(
        &store,
        &blobs,
        &second_case,
        pdf("copia del oficio.pdf", PDF),
        None,
    )
    .await
    .unwrap();
    assert!(first.blob.created);
    assert!(!second.blob.created, "the second upload writes nothing");
    assert_eq!(first.blob.sha256, second.blob.sha256);
    assert_eq!(blob_files(blobs.root()).len(), 1);
    assert_eq!(store.documents(second_case.case_id).await.unwrap().len(), 1);
    let report = verify_documents(&store, &blobs).await.unwrap();
    assert_eq!((report.documents, report.first_break), (2, None));
    std::fs::remove_dir_all(blobs.root()).unwrap();
}

async fn a_file_over_the_limit_is_refused_naming_the_limit<S: Store>(store: S, _raw: Raw) {
    let blobs = blob_dir().with_limit(1024);
    let case = new_report(&store, "x").await;
    let mut big = PDF.to_vec();
    big.resize(1025, b' ');
    let err = attach(&store, &blobs, &case, pdf("anexo.pdf", &big), None)
        .await
        .unwrap_err();
    assert!(
        matches!(err, CommandError::Blob(BlobError::TooLarge { limit: 1024 })),
        "{err}"
    );
    assert_eq!(
        err.to_string(),
        "the file is larger than the limit of 1 KiB (1024 bytes)"
    );
    assert!(blob_files(blobs.root()).is_empty());
    assert!(store.documents(case.case_id).await.unwrap().is_empty());
    assert_eq!(
        store.load_case(case.case_id).await.unwrap().version,
        case.version
    );
    // Exactly the limit is accepted.
    big.truncate(1024);
    attach(&store, &blobs, &case, pdf("anexo.pdf", &big), None)
        .await
        .unwrap();
    let _ = std::fs::remove_dir_all(blobs.root());
}

async fn a_fake_pdf_is_refused<S: Store>(store: S, _raw: Raw) {
    let blobs = blob_dir();
    let case = new_report(&store, "x").await;
    let program = b"MZ\x90\0\x03\0\0\0\x04\0\0\0\xff\xff\0\0This program cannot be run in DOS mode";
    let err = attach(&store, &blobs, &case, pdf("oficio.pdf", program), None)
        .await
        .unwrap_err();
    assert!(
        matches!(err, CommandError::Blob(BlobError::MimeMismatch { .. })),
        "{err}"
    );
    assert!(err.to_string().contains("not a PDF"), "{err}");
    assert!(blob_files(blobs.root()).is_empty(), "nothing was stored");
    assert!(store.documents(case.case_id).await.unwrap().is_empty());

    // An undeclared type is recorded as what the content is.
    let attached = attach(&store, &blobs, &case, upload("oficio", "", PDF), None)
        .await
        .unwrap();
    assert_eq!(attached.mime, "application/pdf");
    let _ = std::fs::remove_dir_all(blobs.root());
}

/// Two cases with a document each; `tamper` changes the first case's file on disk.
async fn tampered_file<S: Store>(
    store: &S,
    raw: &Raw,
    tamper: impl FnOnce(&Path),
) -> (turno_store::ChainBreak, Committed, i64, LocalBlobs) {
    let blobs = blob_dir();
    let case = new_report(store, "Con oficio").await;
    let other = new_report(store, "Con evidencia").await;
    let attached = attach(store, &blobs, &case, oficio(), None).await.unwrap();
    attach(
        store,
        &blobs,
        &other,
        upload("evidencia.txt", "text/plain", b"Evidencia de entrega"),
        None,
    )
    .await
    .unwrap();
    assert_eq!(
        verify_documents(store, &blobs).await.unwrap().first_break,
        None
    );
    tamper(&blobs.path_of(&attached.blob.sha256).unwrap());
    // The record itself is intact: only the files tell.
    assert_eq!(store.verify().await.unwrap().breaks, []);
    let broken = verify_documents(store, &blobs)
        .await
        .unwrap()
        .first_break
        .expect("the tampering is found");
    let event = attached_event_ids(raw, case.case_id).await[0];
    (broken, case, event, blobs)
}

async fn verify_finds_a_changed_file<S: Store>(store: S, raw: Raw) {
    let (broken, case, event, blobs) = tampered_file(&store, &raw, |path| {
        let mut forged = PDF.to_vec();
        forged[20] ^= 1;
        std::fs::write(path, forged).unwrap();
    })
    .await;
    assert_eq!(broken.folio, case.folio);
    assert_eq!(broken.event_id, Some(event));
    assert_eq!(
        broken.problem,
        "the file of document «oficio.pdf» was changed: its content no longer matches the SHA-256 in the record"
    );
    std::fs::remove_dir_all(blobs.root()).unwrap();
}

async fn verify_finds_a_deleted_file<S: Store>(store: S, raw: Raw) {
    let (broken, case, event, blobs) = tampered_file(&store, &raw, |path| {
        std::fs::remove_file(path).unwrap();
    })
    .await;
    assert_eq!(broken.folio, case.folio);
    assert_eq!(broken.event_id, Some(event));
    assert!(
        broken
            .problem
            .starts_with("the file of document «oficio.pdf» is missing"),
        "{broken}"
    );
    std::fs::remove_dir_all(blobs.root()).unwrap();
}

async fn verify_finds_a_row_that_disagrees_with_the_record<S: Store>(store: S, raw: Raw) {
    let blobs = blob_dir();
    let case = new_report(&store, "x").await;
    attach(&store, &blobs, &case, oficio(), None).await.unwrap();
    // Pointing the row to another file the store holds is caught: the event says otherwise.
    let other = blobs.put(b"%PDF-1.7 otro").await.unwrap();
    raw.exec(&format!(
        "UPDATE documents SET sha256 = '{}', name = 'otro.pdf'",
        other.sha256
    ))
    .await;
    let broken = verify_documents(&store, &blobs)
        .await
        .unwrap()
        .first_break
        .unwrap();
    let event = attached_event_ids(&raw, case.case_id).await[0];
    assert_eq!(broken.event_id, Some(event));
    assert!(broken.problem.contains("SHA-256, name changed"), "{broken}");

    raw.exec("DELETE FROM documents").await;
    let broken = verify_documents(&store, &blobs)
        .await
        .unwrap()
        .first_break
        .unwrap();
    assert_eq!(
        (broken.folio.as_str(), broken.event_id),
        (case.folio.as_str(), Some(event))
    );
    assert!(broken.problem.contains("row was removed"), "{broken}");
    std::fs::remove_dir_all(blobs.root()).unwrap();
}

/// A retried upload records the document once; a refused one records nothing (its file stays,
/// unreferenced, which verification accepts).
async fn a_retried_attachment_applies_once<S: Store>(store: S, _raw: Raw) {
    let blobs = blob_dir();
    let case = new_report(&store, "x").await;
    let first = attach(&store, &blobs, &case, oficio(), Some("subida-7"))
        .await
        .unwrap();
    let again = attach(&store, &blobs, &case, oficio(), Some("subida-7"))
        .await
        .unwrap();
    assert!(!first.committed.replayed);
    assert!(again.committed.replayed);
    assert_eq!(again.committed.version, first.committed.version);
    assert_eq!(store.documents(case.case_id).await.unwrap().len(), 1);

    let mut answer = upload("evidencia.txt", "text/plain", b"otra cosa");
    answer.item = Some(WorkItemId(99));
    let err = attach(&store, &blobs, &case, answer, None)
        .await
        .unwrap_err();
    assert!(
        matches!(err, CommandError::Engine(EngineError::UnknownWorkItem(_))),
        "{err}"
    );
    assert_eq!(store.documents(case.case_id).await.unwrap().len(), 1);
    let report = verify_documents(&store, &blobs).await.unwrap();
    assert_eq!((report.documents, report.first_break), (1, None));
    std::fs::remove_dir_all(blobs.root()).unwrap();
}

on_both_backends! {
    a_pdf_is_attached_and_read_back,
    the_same_content_twice_is_stored_once,
    a_file_over_the_limit_is_refused_naming_the_limit,
    a_fake_pdf_is_refused,
    verify_finds_a_changed_file,
    verify_finds_a_deleted_file,
    verify_finds_a_row_that_disagrees_with_the_record,
    a_retried_attachment_applies_once,
}
