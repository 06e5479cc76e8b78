//! Closed cases past their term leave the working tables (migration 0049), on both backends:
//! after the transferencia primaria of their expediente they move to the archive's tables with
//! every event byte for byte; nothing is lost, `turno verify` still checks them (and finds a
//! tampered archived event), the folio still opens them, and the working queries no longer see
//! them.

use crate::archive::{seeded, texts};
use crate::common::{Raw, TO_END, advance, day, new_report, start_report};
use jiff::civil::date;
use turno_domain::archive::{List, Location, Move, Terms};
use turno_store::archive::{Archive, NewExpediente, Subject};
use turno_store::{CaseSearch, MovedBatch, MovedCases, Refusal, Store, StoreError};

/// Where a transfer puts what leaves trámite (`turno_app::archive_move::MOVED_FROM`).
const TRANSFERRED: [Location; 2] = [Location::Concentracion, Location::Historico];

async fn count(raw: &Raw, sql: &str) -> i64 {
    match raw {
        Raw::Sqlite(pool, _) => sqlx::query_scalar(sql).fetch_one(pool).await.unwrap(),
        Raw::Postgres(pool, _) => sqlx::query_scalar(sql).fetch_one(pool).await.unwrap(),
    }
}

/// An expediente of seed 000's informes, closed on 2020-12-31 with `folios` in it, whose
/// serie keeps a year in trámite and one in concentración.
async fn closed_expediente<S: Store + Archive>(store: &S, folios: &[&str]) -> i64 {
    let mut chart = seeded();
    let serie = chart.default_serie("cnpss-91").unwrap().code.clone();
    if let Some(s) = chart.series.iter_mut().find(|s| s.code == serie) {
        s.terms = Some(Terms {
            administrative: 2,
            legal: 0,
            accounting: 0,
            tramite: 1,
            concentracion: 1,
        });
    }
    store.save_chart(&chart, "archivista").await.unwrap();
    let id = store
        .open_expediente(
            &NewExpediente {
                number: "EXP-2020-7".into(),
                serie,
                title: "Informes 2020".into(),
                opened_on: date(2020, 1, 10),
            },
            "archivista",
        )
        .await
        .unwrap();
    for folio in folios {
        store
            .classify(&Subject::Case((*folio).to_owned()), id, "archivista")
            .await
            .unwrap();
    }
    store
        .close_expediente(id, date(2020, 12, 31), "archivista")
        .await
        .unwrap();
    id
}

async fn moved_cases_keep_their_record_and_leave_the_working_tables<
    S: Store + Archive + MovedCases,
>(
    store: S,
    raw: Raw,
) {
    // A closed informe, an open one in the same expediente, and a closed one in none.
    let closed = new_report(&store, "Informe cerrado").await;
    advance(&store, closed.case_id, &day(), &TO_END).await;
    let (procedure, _) = crate::common::seed_000();
    let open = start_report(&store, &procedure, "Informe abierto")
        .await
        .unwrap();
    let loose = start_report(&store, &procedure, "Informe suelto")
        .await
        .unwrap();
    advance(&store, loose.case_id, &day(), &TO_END).await;
    let folio = closed.folio.clone();
    let expediente = closed_expediente(&store, &[&folio, &open.folio]).await;

    // Still in trámite: nothing is due to move.
    assert_eq!(store.closed_in(&TRANSFERRED, 10).await.unwrap(), [""; 0]);
    let list = List::new("TP-2026-1".into(), Move::Primaria, vec![expediente]).unwrap();
    let list = store.create_list(&list, "archivista").await.unwrap();
    store
        .approve_list(list, "coordinadora", "2026-01-04T10:00:00Z")
        .await
        .unwrap();
    store
        .execute_list(list, "archivista", "2026-01-05T10:00:00Z")
        .await
        .unwrap();

    let events_before = count(&raw, "SELECT COUNT(*) FROM events").await;
    let hashes_before = texts(&raw, "SELECT hash FROM events ORDER BY id").await;
    let payloads_before = texts(&raw, "SELECT payload FROM events ORDER BY id").await;
    let version = store
        .find_current(&folio)
        .await
        .unwrap()
        .unwrap()
        .stored
        .version;
    let units = store.find_current(&folio).await.unwrap().unwrap().units;
    assert!(!units.is_empty());

    // Only the closed case of the transferred expediente is due; the open one is not movable.
    let due = store.closed_in(&TRANSFERRED, 10).await.unwrap();
    assert_eq!(due, std::slice::from_ref(&folio));
    assert!(matches!(
        store
            .move_cases(
                &[folio.clone(), open.folio.clone()],
                "archivista",
                "2026-01-06T10:00:00Z"
            )
            .await,
        Err(StoreError::Refused(Refusal::NotMovable(1)))
    ));
    assert_eq!(count(&raw, "SELECT COUNT(*) FROM archived_cases").await, 0);
    // Nor can an event leave the log without its copy in the archive.
    assert!(raw.try_exec("DELETE FROM events").await.is_err());

    let moved = store
        .move_cases(&due, "archivista", "2026-01-06T10:00:00Z")
        .await
        .unwrap();
    assert_eq!(
        moved,
        MovedBatch {
            cases: 1,
            events: u64::try_from(version).unwrap()
        }
    );
    assert_eq!(store.closed_in(&TRANSFERRED, 10).await.unwrap(), [""; 0]);

    // Nothing lost: every event is in one table or the other, byte for byte.
    let working = count(&raw, "SELECT COUNT(*) FROM events").await;
    let archived = count(&raw, "SELECT COUNT(*) FROM archived_events").await;
    assert_eq!(working + archived, events_before);
    assert_eq!(archived, version);
    let union = "SELECT hash FROM events UNION ALL SELECT hash FROM archived_events ORDER BY 1";
    let mut sorted = hashes_before.clone();
    sorted.sort();
    assert_eq!(texts(&raw, union).await, sorted);
    let union = "SELECT payload FROM (SELECT id, payload FROM events UNION ALL \
                 SELECT id, payload FROM archived_events) e ORDER BY id";
    assert_eq!(texts(&raw, union).await, payloads_before);
    assert_eq!(
        store.archived_counts().await.unwrap(),
        MovedBatch {
            cases: 1,
            events: u64::try_from(version).unwrap()
        }
    );

    // The working tables no longer hold it: not the lookup, not the search, not an inbox.
    assert!(store.find_current(&folio).await.unwrap().is_none());
    let found = store.find_archived(&folio).await.unwrap().unwrap();
    assert!(found.stored.archived);
    assert_eq!(found.stored.version, version);
    assert_eq!(found.units, units);
    let record = store.archived_window(&folio, 0, version).await.unwrap();
    assert_eq!(record.len() as i64, version);
    let search = CaseSearch {
        limit: 50,
        ..CaseSearch::default()
    };
    let listed: Vec<String> = store
        .search_cases(&search)
        .await
        .unwrap()
        .into_iter()
        .map(|c| c.folio)
        .collect();
    assert!(!listed.contains(&folio), "{listed:?}");
    assert!(listed.contains(&open.folio) && listed.contains(&loose.folio));
    let mut inboxes = Vec::new();
    for unit in &units {
        inboxes.extend(store.inbox(unit, 100, 0).await.unwrap());
    }
    assert!(inboxes.iter().all(|row| row.folio != folio));
    assert!(inboxes.iter().any(|row| row.folio == open.folio));
    let left = format!(
        "SELECT COUNT(*) FROM work_items WHERE case_id = {0}",
        closed.case_id
    );
    assert_eq!(count(&raw, &left).await, 0);

    // A healthy database verifies clean, the moved case and its folio counted.
    let report = store.verify().await.unwrap();
    assert_eq!(report.breaks, [], "{:?}", report.breaks);
    assert_eq!(report.cases, 3);
    assert_eq!(report.events, events_before as u64);
    assert!(report.series.iter().all(|s| s.is_sound()));
    let heads = store.record_heads().await.unwrap();
    assert_eq!(heads.len(), 3);
    assert!(store.event_hash(&folio, 1).await.unwrap().is_some());

    // A baja does not yet reach a moved case: refused, nothing changes.
    let baja = List::new("BAJA-2026-9".into(), Move::Baja, vec![expediente]).unwrap();
    let baja = store.create_list(&baja, "archivista").await.unwrap();
    store
        .approve_list(baja, "coordinadora", "2026-01-07T10:00:00Z")
        .await
        .unwrap();
    assert!(matches!(
        store.execute_list(baja, "archivista", "2026-01-07T11:00:00Z").await,
        Err(StoreError::Refused(Refusal::ArchiveMoved(f))) if f == folio
    ));
    assert_eq!(
        count(&raw, "SELECT COUNT(*) FROM archived_events").await,
        version
    );

    // The archive's copy is append-only, and a tampered archived event is found.
    assert!(
        raw.try_exec("UPDATE archived_events SET actor = 'eva'")
            .await
            .is_err()
    );
    raw.drop_guards().await;
    raw.exec("UPDATE archived_events SET actor = 'eva' WHERE seq = 2")
        .await;
    let report = store.verify().await.unwrap();
    assert_eq!(report.breaks.len(), 1, "{:?}", report.breaks);
    assert!(format!("{:?}", report.breaks[0]).contains(&folio));
}

on_both_backends!(moved_cases_keep_their_record_and_leave_the_working_tables);
