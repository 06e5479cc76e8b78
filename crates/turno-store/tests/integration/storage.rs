//! The storage suite: every test runs on SQLite and on PostgreSQL.

use crate::common::{Raw, day, new_report, seed_000, seed_000_version_1};
use std::collections::BTreeSet;
use std::sync::Arc;
use turno_app::commands::{CommandError, OnCase, complete_work};
use turno_domain::definition::Procedure;
use turno_domain::engine::{Actor, Complete, Event, Value};
use turno_store::{
    ChainBreak, Committed, RecordBreak, RecordError, Refusal, SeriesKind, Store, StoreError,
};

fn by(user: &str) -> Actor {
    Actor {
        user: user.into(),
        participant: None,
        substituting: None,
    }
}

fn complete(item: u32, outcome: Option<&str>) -> Complete {
    Complete {
        item: turno_domain::engine::WorkItemId(item),
        by: by("ana"),
        outcome: outcome.map(str::to_owned),
        fields: Default::default(),
        observations: None,
        signature: None,
    }
}

/// The only open work item of a stored case.
async fn open_item<S: Store>(store: &S, case_id: i64) -> (u32, i64) {
    let stored = store.load_case(case_id).await.unwrap();
    let case = stored.state().unwrap();
    assert_eq!(case.open.len(), 1);
    (case.open[0].id.0, stored.version)
}

/// Walks an informe of seed 000 to 4.1, the Coordinación de Asesores' authorization.
async fn to_authorization<S: Store>(store: &S, procedure: &Procedure, case_id: i64) {
    for outcome in [None, None, Some("Sí"), None] {
        let (item, version) = open_item(store, case_id).await;
        complete_work(
            store,
            OnCase::new(procedure, case_id, &day()).seen(version),
            complete(item, outcome),
        )
        .await
        .unwrap();
    }
}

async fn a_case_is_stored_with_its_folio_record_and_inbox<S: Store>(store: S, _raw: Raw) {
    let (procedure, _) = seed_000();
    let first = new_report(&store, "Informe trimestral de la DGPLADES").await;
    assert_eq!(first.folio, "CAS-2026-000001");
    assert_eq!(first.version, 2, "case started and first work opened");
    let second = new_report(&store, "Otro informe").await;
    assert_eq!(second.folio, "CAS-2026-000002");
    assert_eq!(
        store.find_case("CAS-2026-000002").await.unwrap(),
        Some(second.case_id)
    );

    let inbox = store.inbox("SIDSS-ST", 50, 0).await.unwrap();
    assert_eq!(inbox.len(), 2);
    assert_eq!(inbox[0].folio, "CAS-2026-000001");
    assert_eq!(inbox[0].activity, "1.1");
    assert!(store.inbox("SIDSS-CAS", 50, 0).await.unwrap().is_empty());

    to_authorization(&store, &procedure, first.case_id).await;
    let inbox = store.inbox("SIDSS-CAS", 50, 0).await.unwrap();
    assert_eq!(inbox.len(), 1);
    assert_eq!(inbox[0].activity, "4.1");
    assert_eq!(store.inbox("SIDSS-ST", 50, 0).await.unwrap().len(), 1);

    let stored = store.load_case(first.case_id).await.unwrap();
    assert_eq!(stored.folio, "CAS-2026-000001");
    assert_eq!(stored.channel.as_deref(), Some("Oficio"));
    assert_eq!(stored.status, "open");
    let case = stored.state().unwrap();
    assert_eq!(
        case.fields["tipo_informe"],
        Value::Text("Informe trimestral".into())
    );
    assert_eq!(stored.events.len() as i64, stored.version);
    assert!(stored.events.iter().all(|e| e.actor == "ana"));

    let report = store.verify().await.unwrap();
    assert_eq!(report.breaks, []);
    assert_eq!(report.cases, 2);
    let series = &report.series[..];
    assert_eq!(series.len(), 1, "{series:?}");
    assert_eq!(
        (
            series[0].kind,
            series[0].name(),
            series[0].given,
            series[0].stored
        ),
        (SeriesKind::Cases, "CAS-2026".into(), 2, 2)
    );
}

#[test]
fn folios_are_formed_per_procedure_unit_and_year() {
    let (procedure, _) = seed_000();
    let rule = turno_store::FolioRule::for_procedure(&procedure, Some("DGCEF"), 2027);
    assert_eq!(rule.format(123), "CAS-DGCEF-2027-000123");
    assert_eq!(rule.scope(), "CAS-DGCEF");
}

async fn a_case_must_be_of_a_published_procedure<S: Store>(store: S, _raw: Raw) {
    let (procedure, _) = seed_000();
    let err = turno_app::commands::start_case(
        &store,
        &procedure,
        turno_store::NewCase {
            folio: crate::common::folio_rule(),
            title: "x".into(),
            channel: None,
            requester: None,
        },
        turno_domain::engine::Start {
            by: by("ana"),
            fields: crate::common::report_fields(),
        },
        &day(),
        None,
    )
    .await
    .unwrap_err();
    assert!(
        matches!(
            err,
            CommandError::Store(StoreError::Refused(Refusal::ProcedureNotPublished { .. }))
        ),
        "{err}"
    );
}

async fn published_versions_are_immutable<S: Store>(store: S, raw: Raw) {
    let (procedure, text) = seed_000();
    assert!(
        store
            .publish_procedure(&procedure, text, day().now)
            .await
            .unwrap()
    );
    assert!(
        !store
            .publish_procedure(&procedure, text, day().now)
            .await
            .unwrap()
    );
    let changed = format!("{text}\n# corrección\n");
    let err = store
        .publish_procedure(&procedure, &changed, day().now)
        .await
        .unwrap_err();
    assert!(matches!(
        err,
        StoreError::Refused(Refusal::ProcedureVersionExists { .. })
    ));
    assert!(
        raw.try_exec("UPDATE procedure_versions SET title = 'x'")
            .await
            .is_err()
    );
    assert!(
        raw.try_exec("DELETE FROM procedure_versions")
            .await
            .is_err()
    );
    let published = store.published_procedures().await.unwrap();
    assert_eq!(published.len(), 1);
    assert_eq!(published[0].source_text, text);
}

async fn the_event_log_is_append_only<S: Store>(store: S, raw: Raw) {
    new_report(&store, "x").await;
    assert!(
        raw.try_exec("UPDATE events SET actor = 'eva'")
            .await
            .is_err()
    );
    assert!(raw.try_exec("DELETE FROM events").await.is_err());
    assert_eq!(store.verify().await.unwrap().breaks, []);
}

/// Three stored cases with six events each; the middle one's events are tampered with.
async fn tampered<S: Store>(
    store: &S,
    raw: &Raw,
    tamper: impl Fn(i64) -> String,
) -> (ChainBreak, Committed) {
    let (broken, target) = tampered_record(store, raw, tamper).await;
    match broken {
        RecordBreak::Chain(broken) => (broken, target),
        other => panic!("a case's chain is broken, not {other:?}"),
    }
}

async fn tampered_record<S: Store>(
    store: &S,
    raw: &Raw,
    tamper: impl Fn(i64) -> String,
) -> (RecordBreak, Committed) {
    let (procedure, _) = seed_000();
    let mut cases = Vec::new();
    for i in 0..3 {
        let c = new_report(store, &format!("Informe {i}")).await;
        for _ in 0..2 {
            let (item, version) = open_item(store, c.case_id).await;
            complete_work(
                store,
                OnCase::new(&procedure, c.case_id, &day()).seen(version),
                complete(item, None),
            )
            .await
            .unwrap();
        }
        cases.push(c);
    }
    assert_eq!(store.verify().await.unwrap().breaks, []);
    raw.drop_guards().await;
    let target = cases.swap_remove(1);
    raw.exec(&tamper(target.case_id)).await;
    let broken = store
        .verify()
        .await
        .unwrap()
        .breaks
        .into_iter()
        .next()
        .expect("the tampering is found");
    (broken, target)
}

async fn event_id(raw: &Raw, case_id: i64, seq: i64) -> i64 {
    let sql = format!("SELECT id FROM events WHERE case_id = {case_id} AND seq = {seq}");
    match raw {
        Raw::Sqlite(pool, _) => sqlx::query_scalar(&sql).fetch_one(pool).await.unwrap(),
        Raw::Postgres(pool, _) => sqlx::query_scalar(&sql).fetch_one(pool).await.unwrap(),
    }
}

/// Tampers with the second of three cases as `tamper` says, and checks that verification names
/// that case, at the event now numbered `seq`, with a problem that says `problem`.
async fn assert_found<S: Store>(
    store: &S,
    raw: &Raw,
    tamper: impl Fn(i64) -> String,
    seq: i64,
    problem: &str,
) {
    let (broken, case) = tampered(store, raw, tamper).await;
    assert_eq!(broken.folio, case.folio);
    assert_eq!(
        broken.event_id,
        Some(event_id(raw, case.case_id, seq).await)
    );
    assert!(broken.problem.contains(problem), "{broken}");
}

async fn verify_finds_an_altered_event<S: Store>(store: S, raw: Raw) {
    let alter = |id: i64| {
        format!(
            "UPDATE events SET payload = REPLACE(payload, 'ana', 'eva') WHERE case_id = {id} AND seq = 3"
        )
    };
    assert_found(&store, &raw, alter, 3, "altered").await;
}

async fn verify_finds_a_removed_event<S: Store>(store: S, raw: Raw) {
    let remove = |id: i64| format!("DELETE FROM events WHERE case_id = {id} AND seq = 2");
    assert_found(&store, &raw, remove, 3, "number 2 belongs").await;
}

async fn verify_finds_a_removed_last_event<S: Store>(store: S, raw: Raw) {
    let remove = |id: i64| format!("DELETE FROM events WHERE case_id = {id} AND seq = 6");
    assert_found(&store, &raw, remove, 5, "removed").await;
}

async fn verify_finds_reordered_events<S: Store>(store: S, raw: Raw) {
    let swap = |id: i64| {
        format!(
            "UPDATE events SET seq = -1 WHERE case_id = {id} AND seq = 2; \
             UPDATE events SET seq = 2 WHERE case_id = {id} AND seq = 3; \
             UPDATE events SET seq = 3 WHERE case_id = {id} AND seq = -1"
        )
    };
    // The event now numbered 2 was stored third: it is out of order at its place.
    assert_found(
        &store,
        &raw,
        swap,
        3,
        "found event number 3 where number 2 belongs",
    )
    .await;
}

async fn verify_finds_a_changed_state<S: Store>(store: S, raw: Raw) {
    // Commands act on the stored state: changing it behind the record's back is tampering.
    let (broken, case) = tampered(&store, &raw, |id| {
        format!("UPDATE cases SET state = REPLACE(state, 'DGPLADES', 'OTRA') WHERE id = {id}")
    })
    .await;
    assert_eq!(broken.folio, case.folio);
    assert!(broken.problem.contains("state"), "{broken}");
}

async fn verify_finds_a_removed_case<S: Store>(store: S, raw: Raw) {
    let (broken, case) = tampered_record(&store, &raw, |id| {
        format!(
            "DELETE FROM events WHERE case_id = {id}; DELETE FROM work_item_units WHERE case_id = {id}; \
             DELETE FROM work_items WHERE case_id = {id}; DELETE FROM cases WHERE id = {id}"
        )
    })
    .await;
    assert_eq!(case.folio, "CAS-2026-000002");
    let RecordBreak::Series(series) = broken else {
        panic!("the case's series is broken, not {broken:?}");
    };
    assert_eq!(
        (
            series.kind,
            series.name(),
            series.given,
            series.stored,
            series.missing
        ),
        (SeriesKind::Cases, "CAS-2026".into(), 3, 2, 1)
    );
    assert_eq!(series.procedures, ["sidss-informes-oficiales"]);
}

/// Two people complete the same activity at the same moment: exactly one wins.
async fn one_of_two_concurrent_completions_wins<S: Store>(store: S, _raw: Raw) {
    let (procedure, _) = seed_000();
    let procedure = Arc::new(procedure);
    let c = new_report(&store, "x").await;
    let (item, version) = open_item(&store, c.case_id).await;
    let mut tasks = Vec::new();
    for user in ["ana", "eva"] {
        let (store, procedure) = (store.clone(), procedure.clone());
        tasks.push(tokio::spawn(async move {
            let mut input = complete(item, None);
            input.by = by(user);
            complete_work(
                &store,
                OnCase::new(&procedure, c.case_id, &day()).seen(version),
                input,
            )
            .await
        }));
    }
    let mut results = Vec::new();
    for t in tasks {
        results.push(t.await.unwrap());
    }
    let won = results.iter().filter(|r| r.is_ok()).count();
    assert_eq!(won, 1, "{results:?}");
    let lost = results.into_iter().find_map(Result::err).unwrap();
    assert!(
        matches!(lost, CommandError::Store(StoreError::Conflict { .. })),
        "{lost}"
    );
    let stored = store.load_case(c.case_id).await.unwrap();
    let completions = stored
        .events
        .iter()
        .filter(|e| matches!(e.event, turno_domain::engine::Event::WorkCompleted { .. }))
        .count();
    assert_eq!(completions, 1);
    assert_eq!(store.verify().await.unwrap().breaks, []);
}

/// A retried request returns the first result and never applies twice, even when the
/// retries race each other.
async fn retried_commands_apply_once<S: Store>(store: S, _raw: Raw) {
    let (procedure, _) = seed_000();
    let procedure = Arc::new(procedure);
    let c = new_report(&store, "x").await;
    let (item, version) = open_item(&store, c.case_id).await;
    // The same request every time: the person's one click, sent again.
    let request = |store: S| {
        let (procedure, case_id) = (procedure.clone(), c.case_id);
        async move {
            let ctx = day();
            let on = OnCase::new(&procedure, case_id, &ctx).seen(version);
            complete_work(&store, on.once(Some("req-42")), complete(item, None)).await
        }
    };
    let mut tasks = Vec::new();
    for _ in 0..8 {
        tasks.push(tokio::spawn(request(store.clone())));
    }
    let mut results = Vec::new();
    for t in tasks {
        results.push(t.await.unwrap().unwrap());
    }
    assert_eq!(
        results.iter().filter(|r| !r.replayed).count(),
        1,
        "{results:?}"
    );
    assert!(
        results
            .iter()
            .all(|r| r.version == results[0].version && r.case_id == c.case_id)
    );
    let stored = store.load_case(c.case_id).await.unwrap();
    assert_eq!(stored.version, results[0].version);
    assert_eq!(open_item(&store, c.case_id).await.0, item + 1);

    // A retry after the fact, with the version the person saw, still gets the first result.
    let again = request(store.clone()).await.unwrap();
    assert!(again.replayed);
    assert_eq!(again.version, results[0].version);
}

/// Folios are unique and without gaps under concurrent creation.
async fn folios_have_no_gaps_under_eight_writers<S: Store>(store: S, _raw: Raw) {
    new_report(&store, "primero").await;
    let mut tasks = Vec::new();
    for writer in 0..8 {
        let store = store.clone();
        tasks.push(tokio::spawn(async move {
            let mut folios = Vec::new();
            for i in 0..10 {
                folios.push(
                    new_report(&store, &format!("escritor {writer}, informe {i}"))
                        .await
                        .folio,
                );
            }
            folios
        }));
    }
    let mut folios = BTreeSet::new();
    for t in tasks {
        for folio in t.await.unwrap() {
            assert!(folios.insert(folio), "folios are unique");
        }
    }
    folios.insert("CAS-2026-000001".into());
    let expected: BTreeSet<String> = (1..=81).map(|n| format!("CAS-2026-{n:06}")).collect();
    assert_eq!(folios, expected);
    assert_eq!(store.verify().await.unwrap().breaks, []);
}

/// A case recorded before events were versioned (seed 000, turned and answered), its rows
/// exactly as Turno stored them then: the events' text is what their hashes cover.
const CASE_BEFORE_VERSIONS: &str = r#"INSERT INTO cases (folio, folio_scope, folio_year, folio_number, procedure_key, procedure_version, title, channel, requester, status, fields, created_at, version, state, head_hash) VALUES ('CAS-2026-000001', 'CAS', 2026, 1, 'sidss-informes-oficiales', 1, 'Informe del primer trimestre', 'Oficio', 'DGPLADES', 'open', '{"direccion_general":{"type":"text","value":"DGPLADES"},"tipo_informe":{"type":"text","value":"Informe trimestral"}}', '2026-03-02T00:00:00Z', 6, '{"procedure":"sidss-informes-oficiales","version":1,"status":"Open","started_at":"2026-03-02T00:00:00Z","started_on":"2026-03-02","fields":{"direccion_general":{"type":"text","value":"DGPLADES"},"tipo_informe":{"type":"text","value":"Informe trimestral"}},"open":[{"id":3,"activity":2,"participant":null,"opened_at":"2026-03-02T00:00:00Z","due":null,"overdue":false,"awaiting_subprocedure":false}],"completed_on":{"0":"2026-03-02"},"next_item":4}', '521361f8f9f167000660ae16ddf09063f7ae77118dd267a930fb2a3e047f2663')"#;

/// Its work items and the units that see them, as its commands left them (and the turn's term
/// start as migration 0048 fills it from the turn's recorded basis).
const WORK_BEFORE_VERSIONS: &str = "INSERT INTO work_items (case_id, item, activity, participant, \
     opened_at, due, term_from, state, completed_at, completed_by, outcome, observations) VALUES \
     (CASE_ID, 1, '1.1', NULL, '2026-03-02T00:00:00Z', NULL, NULL, 'done', '2026-03-02T00:00:00Z', 'ana', NULL, NULL), \
     (CASE_ID, 2, '1.1', NULL, '2026-03-02T00:00:00Z', '2026-03-09', '2026-03-02', 'done', '2026-03-02T00:00:00Z', 'eva', NULL, \
      'Cifras revisadas «sin cambios»'), \
     (CASE_ID, 3, '2.1', NULL, '2026-03-02T00:00:00Z', NULL, NULL, 'open', NULL, NULL, NULL, NULL); \
     INSERT INTO work_item_units (unit_code, case_id, item, due, open) VALUES \
     ('SIDSS-ST', CASE_ID, 1, '9999-12-31', FALSE), ('SIDSS-CAS', CASE_ID, 2, '2026-03-09', FALSE), \
     ('SIDSS-ST', CASE_ID, 3, '9999-12-31', TRUE)";

/// Its events, `CASE_ID` standing for the case row's id.
const EVENTS_BEFORE_VERSIONS: [&str; 6] = [
    r#"(CASE_ID, 1, 'case_started', '{"event":"case_started","procedure":"sidss-informes-oficiales","version":1,"at":"2026-03-02T00:00:00Z","on":"2026-03-02","by":{"user":"ana","participant":null},"fields":{"direccion_general":{"type":"text","value":"DGPLADES"},"tipo_informe":{"type":"text","value":"Informe trimestral"}}}', 'ana', '2026-03-02T00:00:00Z', '0000000000000000000000000000000000000000000000000000000000000000', '94d9cd2460b2e248075eecddc5ab8a2b4a756decb99e11c4f716d2eded4ad8d7')"#,
    r#"(CASE_ID, 2, 'work_opened', '{"event":"work_opened","item":1,"activity":0,"participant":null,"at":"2026-03-02T00:00:00Z","due":null}', 'ana', '2026-03-02T00:00:00Z', '94d9cd2460b2e248075eecddc5ab8a2b4a756decb99e11c4f716d2eded4ad8d7', '340a6ab2032874efeb4d60f44ea14a0c216f87b0439dd57bbc3ff7bd17d1477d')"#,
    r#"(CASE_ID, 3, 'work_turned', '{"event":"work_turned","item":2,"from":1,"activity":0,"unit":"SIDSS-CAS","at":"2026-03-02T00:00:00Z","by":{"user":"ana","participant":null},"due":"2026-03-09","instruction":"Revise las cifras del anexo","basis":{"from":"2026-03-02","days":5,"kind":"Business","regime":"lfpa"}}', 'ana', '2026-03-02T00:00:00Z', '340a6ab2032874efeb4d60f44ea14a0c216f87b0439dd57bbc3ff7bd17d1477d', 'e6b69ccbd7abb162786fe44e389f888488f1785c82eaa54d7b1040fe814b5f01')"#,
    r#"(CASE_ID, 4, 'work_completed', '{"event":"work_completed","item":2,"at":"2026-03-02T00:00:00Z","on":"2026-03-02","by":{"user":"eva","participant":null},"on_behalf_of":null,"outcome":null,"fields":{},"observations":"Cifras revisadas «sin cambios»"}', 'eva', '2026-03-02T00:00:00Z', 'e6b69ccbd7abb162786fe44e389f888488f1785c82eaa54d7b1040fe814b5f01', '0c88f175f279cc5f9ce11400de25721ce7d7e7769609fe95e7ae89b2bdb0f087')"#,
    r#"(CASE_ID, 5, 'work_completed', '{"event":"work_completed","item":1,"at":"2026-03-02T00:00:00Z","on":"2026-03-02","by":{"user":"ana","participant":null},"on_behalf_of":null,"outcome":null,"fields":{},"observations":null}', 'ana', '2026-03-02T00:00:00Z', '0c88f175f279cc5f9ce11400de25721ce7d7e7769609fe95e7ae89b2bdb0f087', '6baef3acdfcc768cb79ac209457579fdcbe2ec4ee54fcdd4edf040a17750e614')"#,
    r#"(CASE_ID, 6, 'work_opened', '{"event":"work_opened","item":3,"activity":2,"participant":null,"at":"2026-03-02T00:00:00Z","due":null}', 'ana', '2026-03-02T00:00:00Z', '6baef3acdfcc768cb79ac209457579fdcbe2ec4ee54fcdd4edf040a17750e614', '521361f8f9f167000660ae16ddf09063f7ae77118dd267a930fb2a3e047f2663')"#,
];

async fn a_chain_recorded_before_versions_still_verifies<S: Store>(store: S, raw: Raw) {
    let (procedure, text) = seed_000_version_1();
    store
        .publish_procedure(&procedure, &text, day().now)
        .await
        .unwrap();
    raw.exec("INSERT INTO folio_counters (scope, year, last) VALUES ('CAS', 2026, 1)")
        .await;
    raw.exec(CASE_BEFORE_VERSIONS).await;
    let id = store.find_case("CAS-2026-000001").await.unwrap().unwrap();
    // As the rows were before migration 0018: the version is the column's default.
    let events = EVENTS_BEFORE_VERSIONS.map(|row| row.replace("CASE_ID", &id.to_string()));
    raw.exec(&format!(
        "INSERT INTO events (case_id, seq, kind, payload, actor, recorded_at, prev_hash, hash) \
         VALUES {}",
        events.join(", ")
    ))
    .await;
    // And the rows its commands projected, which verify recomputes from the events.
    raw.exec(&WORK_BEFORE_VERSIONS.replace("CASE_ID", &id.to_string()))
        .await;

    let report = store.verify().await.unwrap();
    assert_eq!(report.breaks, []);
    assert_eq!((report.cases, report.events), (1, 6));
    let stored = store.load_case(id).await.unwrap();
    assert!(matches!(
        &stored.events[2].event,
        Event::WorkTurned { unit, basis: Some(_), .. } if unit == "SIDSS-CAS"
    ));
    assert_eq!(stored.state().unwrap().open.len(), 1);

    // A command continues the chain in the current version, and it still verifies.
    let (item, version) = open_item(&store, id).await;
    let ctx = day();
    complete_work(
        &store,
        OnCase::new(&procedure, id, &ctx).seen(version),
        complete(item, None),
    )
    .await
    .unwrap();
    assert_eq!(store.verify().await.unwrap().breaks, []);
}

async fn an_event_of_an_unknown_version_is_refused_with_its_place<S: Store>(store: S, raw: Raw) {
    let c = new_report(&store, "Informe").await;
    raw.drop_guards().await;
    raw.exec(&format!(
        "UPDATE events SET schema_version = 99 WHERE case_id = {} AND seq = 2",
        c.case_id
    ))
    .await;
    match store.load_case(c.case_id).await {
        Err(StoreError::Event {
            folio,
            seq,
            source: RecordError::UnknownVersion(99),
        }) => assert_eq!((folio.as_str(), seq), ("CAS-2026-000001", 2)),
        other => panic!("an unknown version is refused, not {other:?}"),
    }
    // The version is part of what the chain covers: verify names the changed event.
    let Some(RecordBreak::Chain(broken)) = store.verify().await.unwrap().breaks.first().cloned()
    else {
        panic!("the chain is broken");
    };
    assert_eq!(broken.event_id, Some(event_id(&raw, c.case_id, 2).await));
}

/// What a request on a case reads before it commits, in one statement: the row as
/// `load_case` has it (without the record), the state as `load_current` has it, and the units;
/// a command on what was read commits without reading again.
async fn a_case_is_found_by_folio_as_it_stands_with_its_units<S: Store>(store: S, _raw: Raw) {
    let (procedure, _) = seed_000();
    let committed = new_report(&store, "Informe trimestral de la DGPLADES").await;
    assert_eq!(store.find_current("CAS-2026-000009").await.unwrap(), None);

    let found = store.find_current(&committed.folio).await.unwrap().unwrap();
    assert_eq!(
        found.current,
        store.load_current(committed.case_id).await.unwrap()
    );
    let mut stored = store.load_case(committed.case_id).await.unwrap();
    stored.events.clear();
    assert_eq!(found.stored, stored);
    assert_eq!(found.units, ["SIDSS-ST"]);

    let item = found.current.case.open[0].id.0;
    let ctx = day();
    let done = complete_work(
        &store,
        OnCase::new(&procedure, found.stored.id, &ctx).read(&found.current),
        complete(item, None),
    )
    .await
    .unwrap();
    let after = store.find_current(&committed.folio).await.unwrap().unwrap();
    assert_eq!(after.current.head.version, done.version);
    assert_eq!(
        after.current,
        store.load_current(committed.case_id).await.unwrap()
    );
    assert_ne!(
        after.current.case.open[0].id.0, item,
        "the next activity is open"
    );

    // Acting again on what was read then: the case moved, nothing is applied.
    let again = complete_work(
        &store,
        OnCase::new(&procedure, found.stored.id, &ctx).read(&found.current),
        complete(item, None),
    )
    .await
    .unwrap_err();
    assert!(
        matches!(again, CommandError::Store(StoreError::Conflict { .. })),
        "{again}"
    );
    assert_eq!(
        store
            .load_current(committed.case_id)
            .await
            .unwrap()
            .head
            .version,
        done.version
    );
}

/// A window of a case's record is its events in that window, and before them only the
/// events that opened the work items the window names; the whole window is the whole record.
async fn a_window_of_the_record_names_the_work_it_tells_of<S: Store>(store: S, _raw: Raw) {
    let (procedure, _) = seed_000();
    let case = new_report(&store, "Informe trimestral de la DGPLADES").await;
    to_authorization(&store, &procedure, case.case_id).await;
    let record = store.load_case(case.case_id).await.unwrap();
    let version = record.version;
    assert!(version >= 10, "{version} events");
    let key = (case.case_id, case.folio.as_str());
    assert_eq!(
        store.record_window(key, 0, version).await.unwrap(),
        record.events
    );
    let opened = |event: &Event| match event {
        Event::WorkOpened { item, .. } | Event::WorkTurned { item, .. } => Some(item.0),
        _ => None,
    };
    for (after, upto) in [(version - 2, version), (version - 5, version - 2), (3, 6)] {
        let window = store.record_window(key, after, upto).await.unwrap();
        let (earlier, told): (Vec<_>, Vec<_>) = window.iter().partition(|e| e.seq <= after);
        let expected: Vec<_> = record
            .events
            .iter()
            .filter(|e| e.seq > after && e.seq <= upto)
            .collect();
        assert_eq!(told, expected, "({after}, {upto}]");
        let completed: BTreeSet<u32> = told
            .iter()
            .filter_map(|e| match &e.event {
                Event::WorkCompleted { item, .. } => Some(item.0),
                _ => None,
            })
            .collect();
        let named: BTreeSet<u32> = window.iter().filter_map(|e| opened(&e.event)).collect();
        assert!(
            completed.is_subset(&named),
            "every item completed in ({after}, {upto}] is named: {completed:?} of {named:?}"
        );
        assert!(
            earlier
                .iter()
                .all(|e| opened(&e.event).is_some_and(|item| completed.contains(&item))),
            "before ({after}, {upto}], only the events that opened the items it completes"
        );
    }
}

on_both_backends! {
    a_window_of_the_record_names_the_work_it_tells_of,
    a_case_is_found_by_folio_as_it_stands_with_its_units,
    a_case_is_stored_with_its_folio_record_and_inbox,
    a_case_must_be_of_a_published_procedure,
    published_versions_are_immutable,
    the_event_log_is_append_only,
    verify_finds_an_altered_event,
    verify_finds_a_removed_event,
    verify_finds_a_removed_last_event,
    verify_finds_reordered_events,
    verify_finds_a_changed_state,
    verify_finds_a_removed_case,
    a_chain_recorded_before_versions_still_verifies,
    an_event_of_an_unknown_version_is_refused_with_its_place,
    one_of_two_concurrent_completions_wins,
    retried_commands_apply_once,
    folios_have_no_gaps_under_eight_writers,
}
