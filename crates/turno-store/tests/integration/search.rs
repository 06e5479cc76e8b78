//! Finding cases (by folio, words, status, unit, dates, and only among those a person may
//! see) and the filtered, ordered "Mi bandeja". Every test runs on SQLite and on PostgreSQL.

use crate::common::{Raw, TO_4_1, advance, ana, calendars, fields, seed_000};
use jiff::civil::{Date, date};
use turno_app::commands::start_case;
use turno_domain::definition::{Procedure, parse_procedure};
use turno_domain::engine::{self, Context, Start};
use turno_store::{
    CaseSearch, CaseSummary, Commit, FolioRule, InboxOrder, InboxQuery, NewCase, Store, Target,
};

/// Noon UTC of a day (06:00 in Mexico City).
fn at_noon(day: Date) -> Context<'static> {
    Context {
        now: day
            .at(12, 0, 0, 0)
            .to_zoned(jiff::tz::TimeZone::UTC)
            .unwrap()
            .timestamp(),
        today: day,
        calendars: calendars(),
    }
}

/// Seed 000 with another key and folio prefix, and a term of 10 natural days on 1.1.
fn timed_procedure() -> (Procedure, String) {
    let text = turno_store::fixtures::timed_seed(seed_000().1);
    (parse_procedure(&text).unwrap(), text)
}

async fn start<S: Store>(
    store: &S,
    procedure: &Procedure,
    day: Date,
    title: &str,
    requester: &str,
    values: &[(&str, &str)],
) -> i64 {
    start_case(
        store,
        procedure,
        NewCase {
            folio: FolioRule::for_procedure(procedure, None, 2026),
            title: title.into(),
            channel: Some("Oficio".into()),
            requester: Some(requester.into()),
        },
        Start {
            by: ana(),
            fields: fields(values),
        },
        &at_noon(day),
        None,
    )
    .await
    .unwrap()
    .case_id
}

async fn cancel<S: Store>(store: &S, case_id: i64, day: Date) {
    let (procedure, _) = seed_000();
    let current = store.load_current(case_id).await.unwrap();
    let mut case = current.case;
    let events = engine::cancel(
        &procedure,
        &mut case,
        ana(),
        "Duplicado".into(),
        &at_noon(day),
    )
    .unwrap();
    store
        .commit(Commit {
            procedure: &procedure,
            target: Target::Existing(current.head),
            case: &case,
            events: &events,
            actor: "ana",
            at: at_noon(day).now,
            idempotency_key: None,
        })
        .await
        .unwrap();
}

/// Four informes: 1 open at the Secretaría Técnica; 2 open at the Coordinación de Asesores;
/// 3 cancelled; 4 ended, having passed by both units.
async fn four_cases<S: Store>(store: &S) -> [i64; 4] {
    let (procedure, text) = seed_000();
    store
        .publish_procedure(&procedure, text, at_noon(date(2026, 3, 1)).now)
        .await
        .unwrap();
    let first = start(
        store,
        &procedure,
        date(2026, 3, 2),
        "Informe trimestral de la DGPLADES",
        "DGPLADES",
        &[
            ("tipo_informe", "Informe trimestral"),
            ("direccion_general", "DGPLADES"),
        ],
    )
    .await;
    let second = start(
        store,
        &procedure,
        date(2026, 3, 10),
        "Petición de información sobre vacunación",
        "Dirección General de Epidemiología",
        &[
            ("tipo_informe", "Opinión técnica"),
            ("direccion_general", "DGE"),
        ],
    )
    .await;
    advance(store, second, &at_noon(date(2026, 3, 11)), &TO_4_1).await;
    let third = start(
        store,
        &procedure,
        date(2026, 3, 20),
        "Solicitud duplicada",
        "Oficialía de partes",
        &[("tipo_informe", "Otro"), ("direccion_general", "DGIS")],
    )
    .await;
    cancel(store, third, date(2026, 3, 21)).await;
    let fourth = start(
        store,
        &procedure,
        date(2026, 4, 1),
        "Informe anual de pingüinos",
        "Año Nuevo A.C.",
        &[
            ("tipo_informe", "Informe anual"),
            ("direccion_general", "DGCES"),
        ],
    )
    .await;
    let to_the_end = [
        (Some("Sí"), &[][..]),
        (None, &[("medio_envio", "Oficio")]),
        (None, &[]),
    ];
    let route = [&TO_4_1[..], &to_the_end].concat();
    advance(store, fourth, &at_noon(date(2026, 4, 2)), &route).await;
    [first, second, third, fourth]
}

fn search(text: &str) -> CaseSearch {
    CaseSearch {
        folio_or_text: Some(text.into()),
        limit: 50,
        ..CaseSearch::default()
    }
}

async fn ids<S: Store>(store: &S, search: &CaseSearch) -> Vec<i64> {
    let found = store.search_cases(search).await.unwrap();
    let count = store.count_cases(search).await.unwrap();
    assert_eq!(count, found.len() as i64, "count agrees with {search:?}");
    found.into_iter().map(|c| c.id).collect()
}

async fn cases_are_found_by_folio_and_by_words<S: Store>(store: S, _raw: Raw) {
    let [first, second, third, fourth] = four_cases(&store).await;
    let everything = vec![fourth, third, second, first];
    assert_eq!(ids(&store, &search("")).await, everything, "newest first");
    assert_eq!(ids(&store, &search("   ")).await, everything);

    // The folio, whole or in part, in any case.
    assert_eq!(ids(&store, &search("CAS-2026-000002")).await, [second]);
    assert_eq!(ids(&store, &search("cas-2026-000002")).await, [second]);
    assert_eq!(ids(&store, &search("000003")).await, [third]);
    // Title, requester and field values, without minding accents or capitals.
    assert_eq!(ids(&store, &search("vacunacion")).await, [second]);
    assert_eq!(ids(&store, &search("PETICIÓN")).await, [second]);
    assert_eq!(ids(&store, &search("epidemiologia")).await, [second]);
    assert_eq!(ids(&store, &search("opinion TECNICA")).await, [second]);
    assert_eq!(ids(&store, &search("Pinguinos")).await, [fourth]);
    assert_eq!(ids(&store, &search("PINGÜINOS")).await, [fourth]);
    // Ñ is a letter of its own, of either case.
    assert_eq!(ids(&store, &search("AÑO nuevo")).await, [fourth]);
    assert!(ids(&store, &search("ano nuevo")).await.is_empty());
    // Every word must be there, in any order.
    assert_eq!(ids(&store, &search("dgplades trimestral")).await, [first]);
    assert!(
        ids(&store, &search("trimestral vacunación"))
            .await
            .is_empty()
    );
    // Values of fields, not their names (every informe has a «tipo_informe»).
    assert_eq!(ids(&store, &search("informe")).await, [fourth, first]);
    assert_eq!(ids(&store, &search("DGIS")).await, [third]);
    assert!(ids(&store, &search("tipo_informe")).await.is_empty());
    assert!(ids(&store, &search("text")).await.is_empty());
    // LIKE's wildcards are taken as they are written.
    assert!(ids(&store, &search("%")).await.is_empty());
    assert!(ids(&store, &search("Inform_ ")).await.is_empty());
    // Quotes are text like any other (and never end the statement).
    assert!(ids(&store, &search("x' OR '1'='1")).await.is_empty());

    // Pages.
    let page = |offset| CaseSearch {
        limit: 3,
        offset,
        ..search("")
    };
    let found: Vec<CaseSummary> = store.search_cases(&page(0)).await.unwrap();
    assert_eq!(found.len(), 3);
    assert_eq!(store.count_cases(&page(0)).await.unwrap(), 4);
    let rest = store.search_cases(&page(3)).await.unwrap();
    assert_eq!(rest.iter().map(|c| c.id).collect::<Vec<_>>(), [first]);
    assert_eq!(rest[0].folio, "CAS-2026-000001");
    assert_eq!(rest[0].title, "Informe trimestral de la DGPLADES");
    assert_eq!(rest[0].procedure_key, "sidss-informes-oficiales");
    assert_eq!(rest[0].status, "open");
    assert_eq!(rest[0].requester.as_deref(), Some("DGPLADES"));
    assert!(rest[0].created_at.starts_with("2026-03-02T12:00:00"));
}

async fn cases_are_found_by_status_unit_and_dates<S: Store>(store: S, _raw: Raw) {
    let [first, second, third, fourth] = four_cases(&store).await;
    let with = |f: fn(&mut CaseSearch)| {
        let mut s = search("");
        f(&mut s);
        s
    };
    assert_eq!(
        ids(&store, &with(|s| s.status = Some("open".into()))).await,
        [second, first]
    );
    assert_eq!(
        ids(&store, &with(|s| s.status = Some("ended".into()))).await,
        [fourth]
    );
    assert_eq!(
        ids(&store, &with(|s| s.status = Some("cancelled".into()))).await,
        [third]
    );
    assert_eq!(
        ids(&store, &with(|s| s.unit = Some("SIDSS-CAS".into()))).await,
        [fourth, second],
        "the cases the Coordinación de Asesores took part in"
    );
    assert_eq!(
        ids(&store, &with(|s| s.unit = Some("SIDSS-ST".into())))
            .await
            .len(),
        4
    );
    assert!(
        ids(&store, &with(|s| s.unit = Some("OTRA".into())))
            .await
            .is_empty()
    );

    // Days are whole days, both ends included.
    assert_eq!(
        ids(
            &store,
            &with(|s| {
                s.from = Some(date(2026, 3, 10));
                s.to = Some(date(2026, 3, 20));
            })
        )
        .await,
        [third, second]
    );
    assert_eq!(
        ids(&store, &with(|s| s.from = Some(date(2026, 3, 11)))).await,
        [fourth, third]
    );
    assert_eq!(
        ids(&store, &with(|s| s.to = Some(date(2026, 3, 9)))).await,
        [first]
    );
    assert!(
        ids(
            &store,
            &with(|s| {
                s.from = Some(date(2026, 3, 3));
                s.to = Some(date(2026, 3, 9));
            })
        )
        .await
        .is_empty()
    );
    // Days of the given zone. In Tokyo (UTC+9), 1 March ends at 15:00 UTC of 1 March.
    let tokyo = jiff::tz::TimeZone::get("Asia/Tokyo").unwrap();
    let mut on_the_first = with(|s| s.to = Some(date(2026, 3, 1)));
    on_the_first.time_zone = Some(tokyo.clone());
    assert!(ids(&store, &on_the_first).await.is_empty());
    let mut on_the_second = with(|s| {
        s.from = Some(date(2026, 3, 2));
        s.to = Some(date(2026, 3, 2));
    });
    on_the_second.time_zone = Some(jiff::tz::TimeZone::get("America/Mexico_City").unwrap());
    assert_eq!(ids(&store, &on_the_second).await, [first]);
    // At UTC-12, 2 March starts at noon UTC: the first case was registered at that instant.
    on_the_second.time_zone = Some(jiff::tz::TimeZone::get("Etc/GMT+12").unwrap());
    assert_eq!(ids(&store, &on_the_second).await, [first]);
    on_the_second.time_zone = Some(jiff::tz::TimeZone::get("Pacific/Kiritimati").unwrap());
    assert!(
        ids(&store, &on_the_second).await.is_empty(),
        "at UTC+14, noon UTC of 2 March is 02:00 of 3 March"
    );

    // Criteria add up.
    let mut both = search("informe");
    both.unit = Some("SIDSS-CAS".into());
    assert_eq!(ids(&store, &both).await, [fourth]);
    both.status = Some("open".into());
    assert!(ids(&store, &both).await.is_empty());
}

async fn a_search_shows_only_the_cases_of_the_units_one_sees<S: Store>(store: S, _raw: Raw) {
    let [first, second, _third, fourth] = four_cases(&store).await;
    let seen_by = |units: &[&str], text: &str| CaseSearch {
        visible_units: Some(units.iter().map(|u| (*u).to_owned()).collect()),
        ..search(text)
    };
    assert_eq!(
        ids(&store, &seen_by(&["SIDSS-CAS"], "")).await,
        [fourth, second]
    );
    assert_eq!(
        ids(&store, &seen_by(&["OTRA", "SIDSS-CAS"], "")).await,
        [fourth, second]
    );
    assert!(
        ids(&store, &seen_by(&["SIDSS-CAS"], "dgplades"))
            .await
            .is_empty()
    );
    assert!(
        ids(&store, &seen_by(&["SIDSS-CAS"], "CAS-2026-000001"))
            .await
            .is_empty(),
        "a folio that is not theirs is not found"
    );
    assert_eq!(
        ids(&store, &seen_by(&["SIDSS-ST"], "dgplades")).await,
        [first]
    );
    assert!(ids(&store, &seen_by(&["OTRA"], "")).await.is_empty());
    assert!(ids(&store, &seen_by(&[], "")).await.is_empty());
    assert_eq!(store.count_cases(&seen_by(&[], "")).await.unwrap(), 0);
    // A unit filter does not widen what one sees.
    let mut other = seen_by(&["SIDSS-CAS"], "");
    other.unit = Some("SIDSS-ST".into());
    assert_eq!(ids(&store, &other).await, [fourth, second]);
}

/// Three timed informes received on 1, 5 and 9 March (due 11, 15 and 19 March) and one of seed
/// 000 without a term, received on 7 March; all at the Secretaría Técnica.
async fn timed_cases<S: Store>(store: &S) -> [i64; 4] {
    let (timed, text) = timed_procedure();
    let (seed, seed_text) = seed_000();
    let at = at_noon(date(2026, 2, 1)).now;
    store.publish_procedure(&timed, &text, at).await.unwrap();
    store.publish_procedure(&seed, seed_text, at).await.unwrap();
    let mut ids = [0; 4];
    for (n, day) in [1, 5, 9].into_iter().enumerate() {
        ids[n] = start(
            store,
            &timed,
            date(2026, 3, day),
            &format!("Informe con plazo {n}"),
            "DGPLADES",
            &[
                ("tipo_informe", "Informe"),
                ("direccion_general", "DGPLADES"),
            ],
        )
        .await;
    }
    ids[3] = start(
        store,
        &seed,
        date(2026, 3, 7),
        "Informe sin plazo",
        "DGPLADES",
        &[
            ("tipo_informe", "Informe"),
            ("direccion_general", "DGPLADES"),
        ],
    )
    .await;
    ids
}

async fn inbox_cases<S: Store>(store: &S, query: &InboxQuery) -> Vec<i64> {
    let rows = store.inbox_query(query).await.unwrap();
    let count = store.count_inbox_query(query).await.unwrap();
    assert_eq!(count, rows.len() as i64, "count agrees with {query:?}");
    rows.into_iter().map(|r| r.case_id).collect()
}

async fn the_inbox_filters_and_orders_in_the_database<S: Store>(store: S, _raw: Raw) {
    let [on_1, on_5, on_9, untimed] = timed_cases(&store).await;
    let st = vec!["SIDSS-ST".to_owned()];
    let query = |f: fn(&mut InboxQuery)| {
        let mut q = InboxQuery {
            units: vec!["SIDSS-ST".to_owned(), "SIDSS-CAS".to_owned()],
            limit: 50,
            ..InboxQuery::default()
        };
        f(&mut q);
        q
    };

    // Unfiltered, soonest due first: the plain inbox.
    assert_eq!(
        store.inbox_query(&query(|_| ())).await.unwrap(),
        store.inbox_for_units(&st, 50, 0).await.unwrap()
    );
    assert_eq!(
        inbox_cases(&store, &query(|_| ())).await,
        [on_1, on_5, on_9, untimed]
    );
    // The default view reads each unit's first `offset + limit` items only: every page is
    // still the matching slice of the whole inbox.
    let whole = store.inbox_query(&query(|_| ())).await.unwrap();
    for (limit, offset) in [(2, 0), (2, 1), (1, 3), (3, 2)] {
        let page = InboxQuery {
            limit,
            offset,
            ..query(|_| ())
        };
        let end = (offset + limit).min(whole.len() as i64) as usize;
        assert_eq!(
            store.inbox_query(&page).await.unwrap(),
            whole[offset as usize..end],
            "page {limit}+{offset}"
        );
    }
    // Of some cases only: their work, whatever the page of each unit.
    let folio = whole[1].folio.clone();
    let of_case = InboxQuery {
        folios: vec![folio.clone()],
        ..query(|_| ())
    };
    let expected: Vec<_> = whole.iter().filter(|r| r.folio == folio).cloned().collect();
    assert!(!expected.is_empty());
    assert_eq!(store.inbox_query(&of_case).await.unwrap(), expected);
    assert_eq!(
        store.count_inbox_query(&of_case).await.unwrap(),
        expected.len() as i64
    );
    let rows = store.inbox_query(&query(|_| ())).await.unwrap();
    assert_eq!(rows[0].due.as_deref(), Some("2026-03-11"));
    assert_eq!(rows[3].due, None);

    // By procedure.
    assert_eq!(
        inbox_cases(
            &store,
            &query(|q| q.procedure = Some("sidss-plazos".into()))
        )
        .await,
        [on_1, on_5, on_9]
    );
    assert_eq!(
        inbox_cases(
            &store,
            &query(|q| q.procedure = Some("sidss-informes-oficiales".into()))
        )
        .await,
        [untimed]
    );
    assert!(
        inbox_cases(&store, &query(|q| q.procedure = Some("otro".into())))
            .await
            .is_empty()
    );

    // By due date, both ends excluded; work without a due date is due after every day.
    assert_eq!(
        inbox_cases(&store, &query(|q| q.due_before = Some(date(2026, 3, 15)))).await,
        [on_1]
    );
    assert_eq!(
        inbox_cases(
            &store,
            &query(|q| {
                q.due_after = Some(date(2026, 3, 11));
                q.due_before = Some(date(2026, 3, 19));
            })
        )
        .await,
        [on_5]
    );
    assert_eq!(
        inbox_cases(&store, &query(|q| q.due_after = Some(date(2026, 3, 15)))).await,
        [on_9, untimed]
    );
    assert_eq!(
        inbox_cases(
            &store,
            &query(|q| {
                q.due_after = Some(date(2026, 3, 15));
                q.procedure = Some("sidss-plazos".into());
            })
        )
        .await,
        [on_9]
    );

    // Orders: by folio (prefix CAS before PLZ, then number); most recently received first.
    assert_eq!(
        inbox_cases(&store, &query(|q| q.order = InboxOrder::Folio)).await,
        [untimed, on_1, on_5, on_9]
    );
    assert_eq!(
        inbox_cases(&store, &query(|q| q.order = InboxOrder::Received)).await,
        [on_9, untimed, on_5, on_1]
    );

    // Pages follow the order.
    let mut paged = Vec::new();
    for offset in 0..4 {
        let mut q = query(|q| q.order = InboxOrder::Received);
        q.limit = 1;
        q.offset = offset;
        paged.extend(
            store
                .inbox_query(&q)
                .await
                .unwrap()
                .into_iter()
                .map(|r| r.case_id),
        );
        assert_eq!(store.count_inbox_query(&q).await.unwrap(), 4);
    }
    assert_eq!(paged, [on_9, untimed, on_5, on_1]);

    // Units see only their own work.
    assert!(
        inbox_cases(&store, &query(|q| q.units = vec!["SIDSS-CAS".into()]))
            .await
            .is_empty()
    );
    assert!(
        inbox_cases(&store, &query(|q| q.units.clear()))
            .await
            .is_empty()
    );
}

on_both_backends! {
    cases_are_found_by_folio_and_by_words,
    cases_are_found_by_status_unit_and_dates,
    a_search_shows_only_the_cases_of_the_units_one_sees,
    the_inbox_filters_and_orders_in_the_database,
}
