//! The archive on both backends: the chart seeded from the real procedures stored and read back;
//! a baja refused without an approved list, and after an approved one the case's payloads gone,
//! its record of disposal in its chain, and `turno verify` passing (and still finding tampering).

use crate::common::{Raw, new_report};
use jiff::civil::date;
use turno_domain::archive::{Chart, Fondo, List, Location, Move, Terms};
use turno_domain::library::{Library, Source};
use turno_store::archive::{Archive, DISPOSAL_KIND, DISPOSED_STATUS, NewExpediente, Subject};
use turno_store::{Refusal, Store, StoreError};

pub(crate) fn seeded() -> Chart {
    // Real procedures: 91 (five records), 94 (four), and seed 000's, which keeps none.
    let sources = [
        (
            "cnpss-91",
            include_str!("../../../../procedures/cnpss-91.toml"),
        ),
        (
            "cnpss-94",
            include_str!("../../../../procedures/cnpss-94.toml"),
        ),
        (
            "sidss",
            include_str!("../../../../procedures/sidss-informes-oficiales.toml"),
        ),
    ]
    .map(|(name, text)| Source { name, text });
    let library = Library::load(&sources).unwrap();
    Chart::seed(
        Fondo {
            code: "SS".into(),
            name: "Secretaría de Salud".into(),
        },
        &library,
    )
}

pub(crate) async fn texts(raw: &Raw, sql: &str) -> Vec<String> {
    match raw {
        Raw::Sqlite(pool, _) => sqlx::query_scalar(sql).fetch_all(pool).await.unwrap(),
        Raw::Postgres(pool, _) => sqlx::query_scalar(sql).fetch_all(pool).await.unwrap(),
    }
}

async fn the_seeded_chart_is_stored_and_read_back<S: Store + Archive>(store: S, _raw: Raw) {
    assert_eq!(store.chart().await.unwrap(), None);
    let mut chart = seeded();
    assert_eq!(chart.series.len(), 9);
    store.save_chart(&chart, "archivista").await.unwrap();
    let mut stored = store.chart().await.unwrap().unwrap();
    // The store reads sections and series by code.
    let order = |c: &mut Chart| {
        c.sections.sort_by(|a, b| a.code.cmp(&b.code));
        c.series
            .sort_by(|a, b| (&a.section, &a.code).cmp(&(&b.section, &b.code)));
    };
    order(&mut chart);
    order(&mut stored);
    assert_eq!(stored, chart);
    // An edit is kept; saving again removes nothing.
    chart.series[0].terms = Some(Terms {
        administrative: 3,
        legal: 5,
        accounting: 0,
        tramite: 2,
        concentracion: 3,
    });
    chart.series[1].parent = Some(chart.series[0].code.clone());
    store.save_chart(&chart, "archivista").await.unwrap();
    let mut stored = store.chart().await.unwrap().unwrap();
    order(&mut stored);
    assert_eq!(stored, chart);
}

async fn a_baja_needs_an_approved_list_and_leaves_a_verifiable_record<S: Store + Archive>(
    store: S,
    raw: Raw,
) {
    let case = new_report(&store, "Informe trimestral").await;
    let folio = case.folio.clone();
    let mut chart = seeded();
    // Seed 000's procedure keeps no record (its Registros say «No aplica»): its cases are
    // classified by hand, here into a serie of procedure 91.
    let serie = chart.default_serie("cnpss-91").unwrap().code.clone();
    chart
        .series
        .iter_mut()
        .find(|s| s.code == serie)
        .unwrap()
        .terms = Some(Terms {
        administrative: 2,
        legal: 0,
        accounting: 0,
        tramite: 1,
        concentracion: 1,
    });
    store.save_chart(&chart, "archivista").await.unwrap();
    let id = store
        .open_expediente(
            &NewExpediente {
                number: "EXP-2020-1".into(),
                serie: serie.clone(),
                title: "Informes 2020".into(),
                opened_on: date(2020, 1, 10),
            },
            "archivista",
        )
        .await
        .unwrap();
    assert!(matches!(
        store
            .open_expediente(
                &NewExpediente {
                    number: "EXP-2020-1".into(),
                    serie: serie.clone(),
                    title: "Otro".into(),
                    opened_on: date(2020, 1, 10),
                },
                "archivista",
            )
            .await,
        Err(StoreError::Refused(Refusal::ArchiveTaken(_)))
    ));
    store
        .classify(&Subject::Case(folio.clone()), id, "archivista")
        .await
        .unwrap();
    assert_eq!(
        store
            .classified(&Subject::Case(folio.clone()))
            .await
            .unwrap(),
        Some(id)
    );
    assert!(
        store
            .close_expediente(id, date(2020, 12, 31), "archivista")
            .await
            .unwrap()
    );
    assert!(
        !store
            .close_expediente(id, date(2021, 1, 1), "archivista")
            .await
            .unwrap()
    );
    let expediente = &store.expedientes().await.unwrap()[0];
    assert_eq!(expediente.closed_on, Some(date(2020, 12, 31)));
    assert_eq!(
        (expediente.cases, expediente.location),
        (1, Location::Tramite)
    );

    let before = texts(&raw, "SELECT payload FROM events ORDER BY id").await;
    assert!(before.iter().all(|p| !p.is_empty()));
    let list = List::new("BAJA-2026-1".into(), Move::Baja, vec![id]).unwrap();
    let list_id = store.create_list(&list, "archivista").await.unwrap();
    // Not approved: nothing happens.
    assert!(matches!(
        store.execute_list(list_id, "archivista", "2026-01-05T10:00:00Z").await,
        Err(StoreError::Refused(Refusal::ArchiveListState(l))) if l == list_id
    ));
    assert_eq!(
        texts(&raw, "SELECT payload FROM events ORDER BY id").await,
        before
    );
    // Nor can the payloads be emptied behind a list's back.
    assert!(
        raw.try_exec("UPDATE events SET payload = ''")
            .await
            .is_err()
    );

    store
        .approve_list(list_id, "coordinadora", "2026-01-04T10:00:00Z")
        .await
        .unwrap();
    assert!(matches!(
        store
            .approve_list(list_id, "otra", "2026-01-04T11:00:00Z")
            .await,
        Err(StoreError::Refused(Refusal::ArchiveListState(_)))
    ));
    store
        .execute_list(list_id, "archivista", "2026-01-05T10:00:00Z")
        .await
        .unwrap();
    let after = texts(&raw, "SELECT payload FROM events ORDER BY id").await;
    assert_eq!(after.len(), before.len() + 1);
    assert!(
        after[..before.len()].iter().all(String::is_empty),
        "{after:?}"
    );
    let kinds = texts(&raw, "SELECT kind FROM events ORDER BY id").await;
    assert_eq!(kinds.last().map(String::as_str), Some(DISPOSAL_KIND));
    let status = texts(&raw, "SELECT status FROM cases").await;
    assert_eq!(status, [DISPOSED_STATUS]);
    assert_eq!(texts(&raw, "SELECT state FROM cases").await, [""]);
    assert!(
        texts(&raw, "SELECT activity FROM work_items")
            .await
            .is_empty()
    );

    let disposal = store.disposal(&folio).await.unwrap().unwrap();
    assert_eq!(disposal.list, "BAJA-2026-1");
    assert_eq!(disposal.approved_by, "coordinadora");
    assert_eq!(disposal.disposed_by, "archivista");
    assert_eq!(disposal.events.len(), before.len());
    let hashes = texts(&raw, "SELECT hash FROM events ORDER BY id").await;
    let listed: Vec<&str> = disposal.events.iter().map(|e| e.hash.as_str()).collect();
    assert_eq!(
        listed,
        hashes[..before.len()]
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>()
    );
    let listed = &store.lists().await.unwrap()[0];
    assert_eq!(listed.executed_by.as_deref(), Some("archivista"));
    assert_eq!(
        store.expedientes().await.unwrap()[0].location,
        Location::Baja
    );

    let report = store.verify().await.unwrap();
    assert_eq!(report.breaks, []);
    assert_eq!(report.events, after.len() as u64);

    // The hashes stay verifiable: changing a disposed event's hash, or the record, is found.
    raw.drop_guards().await;
    raw.exec("UPDATE events SET hash = 'x' || substr(hash, 2) WHERE seq = 1")
        .await;
    let report = store.verify().await.unwrap();
    assert_eq!(report.breaks.len(), 1, "{:?}", report.breaks);
}

on_both_backends!(
    the_seeded_chart_is_stored_and_read_back,
    a_baja_needs_an_approved_list_and_leaves_a_verifiable_record,
);
