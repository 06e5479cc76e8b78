//! Call-center files into the database on both backends: the calls of a file get folios in
//! order, importing it again adds nothing, a failure writes nothing, and a call twice in the
//! calls given is recorded once; `verify` counts the petitions' folios apart from the cases'.

use crate::common::{Raw, new_report};
use jiff::civil::date;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use turno_domain::citizen::calls::{Call, ColumnMapping, csv_rows, read_calls};
use turno_domain::citizen::{Channel, Draft, PetitionFolio};
use turno_store::citizen::{CallImport, CallsImported};
use turno_store::{FolioSeries, Petitions, RecordBreak, SeriesKind, Store};

const GOOD: &[u8] = include_bytes!("../../../turno-domain/tests/fixtures/citizen/llamadas.csv");

fn calls(bytes: &[u8]) -> Vec<Call> {
    let (header_row, header, rows) = csv_rows(bytes, b',').unwrap();
    read_calls(
        &ColumnMapping::default(),
        date(2026, 3, 10),
        header_row,
        &header,
        rows,
    )
    .unwrap()
}

fn import(name: &str, calls: Vec<Call>) -> CallImport {
    CallImport {
        file_name: name.into(),
        file_sha256: [7; 32],
        imported_by: "vinculacion".into(),
        imported_at: "2026-03-10T15:00:00Z".parse().unwrap(),
        calls,
        progress: Arc::new(AtomicUsize::new(0)),
    }
}

fn folio(number: u32) -> PetitionFolio {
    PetitionFolio { year: 2026, number }
}

async fn a_file_imports_once_with_folios_in_order<S: Petitions>(store: S, _raw: Raw) {
    let good = calls(GOOD);
    let first = import("llamadas.csv", good.clone());
    let progress = first.progress.clone();
    let done = store.import_calls(first).await.unwrap();
    assert_eq!((done.added, done.already), (5, 0));
    assert_eq!(progress.load(Ordering::Relaxed), 5);
    for (i, call) in good.iter().enumerate() {
        let stored = store.petition(folio(i as u32 + 1)).await.unwrap().unwrap();
        assert_eq!(stored.petition, call.petition);
        assert_eq!(stored.call_id, call.call_id);
        assert_eq!(stored.content_key, Some(call.key));
        assert_eq!(stored.import_id, Some(done.import_id));
        assert_eq!(stored.status, "recibida");
    }
    assert_eq!(store.petition(folio(6)).await.unwrap(), None);

    // Again: nothing added, and the next new call takes the next number, without a gap.
    let again = store
        .import_calls(import("llamadas-otra-vez.csv", good.clone()))
        .await
        .unwrap();
    assert_eq!((again.added, again.already), (0, 5));
    let one_more = calls(
        "FECHA,TIPO,ENTIDAD,DESCRIPCION\n2025-12-31 23:50,Queja,JAL,Fin de año.\n\
         2026-03-09,Sugerencia,COL,Una llamada nueva.\n"
            .as_bytes(),
    );
    let mut with_old = good[..2].to_vec();
    with_old.extend(one_more.clone());
    let third = store
        .import_calls(import("mezcla.csv", with_old))
        .await
        .unwrap();
    assert_eq!((third.added, third.already), (2, 2));
    let new = store.petition(folio(6)).await.unwrap().unwrap();
    assert_eq!(new.petition, one_more[1].petition);
    // Folios count per year of reception.
    let last_year = PetitionFolio {
        year: 2025,
        number: 1,
    };
    assert_eq!(
        store.petition(last_year).await.unwrap().unwrap().petition,
        one_more[0].petition
    );

    let imports = store.call_imports().await.unwrap();
    let summary: Vec<(&str, i64, i64, i64)> = imports
        .iter()
        .map(|i| (i.file_name.as_str(), i.rows, i.added, i.already))
        .collect();
    assert_eq!(
        summary,
        [
            ("mezcla.csv", 4, 2, 2),
            ("llamadas-otra-vez.csv", 5, 0, 5),
            ("llamadas.csv", 5, 5, 0),
        ]
    );
    assert_eq!(imports[2].file_sha256, [7; 32]);
    assert_eq!(imports[2].imported_by, "vinculacion");
}

async fn a_failed_import_writes_nothing<S: Petitions>(store: S, raw: Raw) {
    // A petition that took number 3 outside the counter: the import's third call collides.
    raw.exec(
        "INSERT INTO petitions (folio_year, folio_number, kind, channel, state, narrative, \
         privacy_consent, received_at) VALUES (2026, 3, 'queja', 'buzon', 'JAL', 'x', FALSE, \
         '2026-03-01T00:00:00')",
    )
    .await;
    assert!(
        store
            .import_calls(import("llamadas.csv", calls(GOOD)))
            .await
            .is_err()
    );
    assert_eq!(store.petition(folio(1)).await.unwrap(), None);
    assert_eq!(store.call_imports().await.unwrap(), []);
    // Nor was the counter moved: once the intruder is gone the file imports from 1.
    raw.exec("DELETE FROM petitions").await;
    let done = store
        .import_calls(import("llamadas.csv", calls(GOOD)))
        .await
        .unwrap();
    assert_eq!((done.added, done.already), (5, 0));
    assert!(store.petition(folio(5)).await.unwrap().is_some());
}

async fn a_call_given_twice_is_recorded_once<S: Petitions>(store: S, _raw: Raw) {
    let good = calls(GOOD);
    let mut twice = good.clone();
    twice.push(good[0].clone());
    let done: CallsImported = store.import_calls(import("x.csv", twice)).await.unwrap();
    assert_eq!((done.added, done.already), (5, 1));
    assert_eq!(store.petition(folio(6)).await.unwrap(), None);
}

/// A petition of the public mailbox, filed as the mailbox files it.
async fn file_from_mailbox<S: Petitions>(store: &S, narrative: &str) -> PetitionFolio {
    let petition = Draft {
        kind: "queja",
        state: "JAL",
        narrative,
        ..Draft::default()
    }
    .check(Channel::Mailbox, date(2026, 3, 10).at(9, 30, 0, 0), true)
    .unwrap();
    store.file_petition(&petition, [1; 32], None).await.unwrap()
}

fn counts(series: &FolioSeries) -> (SeriesKind, String, i64, i64, i64) {
    (
        series.kind,
        series.name(),
        series.given,
        series.stored,
        series.missing,
    )
}

async fn verify_counts_petitions_apart_from_cases<S: Store + Petitions>(store: S, raw: Raw) {
    // Petitions share the folio counters' table with cases, not their numbers.
    store
        .import_calls(import("llamadas.csv", calls(GOOD)))
        .await
        .unwrap();
    assert_eq!(file_from_mailbox(&store, "Sin medicamento").await, folio(6));
    assert_eq!(file_from_mailbox(&store, "Sin cita").await, folio(7));
    new_report(&store, "Informe").await;
    let report = store.verify().await.unwrap();
    assert_eq!(report.breaks, []);
    let series: Vec<_> = report.series.iter().map(counts).collect();
    assert_eq!(
        series,
        [
            (SeriesKind::Cases, "CAS-2026".into(), 1, 1, 0),
            (SeriesKind::Petitions, "AC-2026".into(), 7, 7, 0),
        ]
    );

    // A petition removed behind the store's back breaks its series, and only it.
    raw.exec("DELETE FROM petitions WHERE folio_year = 2026 AND folio_number = 3")
        .await;
    let report = store.verify().await.unwrap();
    let Some(RecordBreak::Series(broken)) = report.breaks.first().cloned() else {
        panic!("the petitions' series is broken: {:?}", report.breaks);
    };
    assert_eq!(
        counts(&broken),
        (SeriesKind::Petitions, "AC-2026".into(), 7, 6, 1)
    );
    assert!(report.series[0].is_sound(), "{:?}", report.series);
}

on_both_backends!(
    a_file_imports_once_with_folios_in_order,
    a_failed_import_writes_nothing,
    a_call_given_twice_is_recorded_once,
    verify_counts_petitions_apart_from_cases,
);
