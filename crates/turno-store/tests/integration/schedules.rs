//! Recurring work on both backends (issue 19, item 4): two runners (two stores on one
//! database, as two `turno serve` processes) running the schedules at once open each
//! occurrence exactly once, with folios without gaps; occurrences missed while no runner ran
//! are caught up; the matriz de entrega reads the cases' first work completed against each
//! report's term in días hábiles. A schedule that opens lines of a follow-up program does so
//! exactly once too, in the transaction that adds the line.

use crate::common::{POSTGRES_URL, Raw, advance, ctx, seed_000, user};
use jiff::civil::{Date, date};
use std::collections::BTreeSet;
use std::sync::Arc;
use turno_app::schedules::{self, Asked, Ran};
use turno_app::{App, Clock, LiveCalendars, Principal};
use turno_domain::engine::Calendars;
use turno_domain::library::Library;
use turno_domain::org::Level;
use turno_domain::recurrence::matrix::Delivery;
use turno_store::blobs::{Blobs, Location};
use turno_store::{AnyStore, PgStore, Role, SqliteStore, Store, UnitInput};

/// Another process's store on the test's database.
async fn another(raw: &Raw) -> AnyStore {
    match raw {
        Raw::Sqlite(_, path) => {
            AnyStore::Sqlite(SqliteStore::open(path.to_str().unwrap()).await.unwrap())
        }
        Raw::Postgres(_, schema) => {
            let options: sqlx::postgres::PgConnectOptions = POSTGRES_URL.parse().unwrap();
            let options = options.options([("search_path", schema.as_str())]);
            AnyStore::Postgres(PgStore::connect_with(options).await.unwrap())
        }
    }
}

fn noon(day: Date) -> jiff::Timestamp {
    day.at(12, 0, 0, 0)
        .to_zoned(jiff::tz::TimeZone::UTC)
        .unwrap()
        .timestamp()
}

/// A `turno serve` process's application over `store`, its clock at noon of `today`.
fn app(store: AnyStore, today: Date) -> App {
    let mut library = Library::default();
    library.insert(seed_000().0);
    let dir = std::env::temp_dir().join(crate::common::unique("blobs"));
    App {
        store,
        library: library.into(),
        calendars: LiveCalendars::new(0, Calendars::statutory()),
        blobs: Arc::new(Blobs::open(&Location::Dir(dir)).unwrap()),
        time_zone: jiff::tz::TimeZone::UTC,
        clock: Clock::manual(noon(today)),
        thresholds: Default::default(),
        suggestions: Default::default(),
        chart: Default::default(),
    }
}

/// The Direcciones Generales that report, and an administrator.
async fn setup<S: Store>(store: &S) -> i64 {
    let (procedure, text) = seed_000();
    store
        .publish_procedure(&procedure, text, ctx(date(2025, 1, 2)).now)
        .await
        .unwrap();
    for code in ["SIDSS-ST", "SIDSS-CAS", "DGIS", "DGPLADES", "DGCES"] {
        store
            .upsert_unit(
                &UnitInput {
                    code: code.into(),
                    name: format!("Dirección {code}"),
                    level: Level::Unidad,
                    parent_code: None,
                },
                "prueba",
            )
            .await
            .unwrap();
    }
    let id = store
        .create_user(&user("admin", "Administración"), "prueba")
        .await
        .unwrap();
    store
        .add_membership(id, "SIDSS-ST", Role::Administrador, "prueba")
        .await
        .unwrap();
    id
}

async fn admin(app: &App, id: i64) -> Principal {
    let user = app.store.user(id).await.unwrap().unwrap();
    Principal::load(&app.store, &user, app.today())
        .await
        .unwrap()
}

fn informe(name: &str, unit: &str, frequency: &str, first: &str) -> Asked {
    Asked {
        name: name.into(),
        procedure: schedules::INFORMES.into(),
        unit: unit.into(),
        title: format!("Informe de {unit}"),
        frequency: frequency.into(),
        dates: vec![],
        first_date: first.into(),
        last_date: String::new(),
        adjustment: "siguiente".into(),
        term_days: "10".into(),
        program: String::new(),
        fields: [
            ("tipo_informe", "Informe oficial"),
            ("direccion_general", unit),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect(),
    }
}

async fn opened_folios(app: &App) -> Vec<String> {
    let all = app
        .store
        .opened_occurrences(None, date(2000, 1, 1), date(2100, 12, 31))
        .await
        .unwrap();
    all.into_iter().map(|o| o.case_folio).collect()
}

use turno_store::Schedules;

async fn two_runners_open_each_occurrence_once<S: Store>(store: S, raw: Raw) {
    let admin_id = setup(&store).await;
    let today = date(2026, 3, 2);
    let a = app(another(&raw).await, today);
    let b = app(another(&raw).await, today);
    let who = admin(&a, admin_id).await;
    // Monthly from 15 January 2025: fourteen occurrences by 2 March 2026; semestral from
    // 2 January 2025: three (January and July 2025, January 2026).
    schedules::create(
        &a,
        &who,
        informe("Mensual DGIS", "DGIS", "mensual", "2025-01-15"),
    )
    .await
    .unwrap();
    schedules::create(
        &a,
        &who,
        informe("Semestral DGPLADES", "DGPLADES", "semestral", "2025-01-02"),
    )
    .await
    .unwrap();
    let mut runs = Vec::new();
    for i in 0..6 {
        let runner = if i % 2 == 0 { a.clone() } else { b.clone() };
        runs.push(tokio::spawn(async move { schedules::run(&runner).await }));
    }
    let mut total = Ran::default();
    for run in runs {
        let ran = run.await.unwrap().unwrap();
        assert!(ran.failed.is_empty(), "{:?}", ran.failed);
        total.opened.extend(ran.opened);
        total.taken += ran.taken;
    }
    assert_eq!(total.opened.len(), 17, "{total:?}");
    let unique: BTreeSet<&String> = total.opened.iter().collect();
    assert_eq!(unique.len(), 17);
    // Every case is one occurrence's, and the folios have no gaps.
    let mut folios = opened_folios(&a).await;
    folios.sort();
    assert_eq!(folios.len(), 17);
    let numbers: Vec<u32> = folios
        .iter()
        .map(|f| f.rsplit('-').next().unwrap().parse().unwrap())
        .collect();
    let mut numbers_sorted = numbers.clone();
    numbers_sorted.sort_unstable();
    assert_eq!(numbers_sorted, (1..=17).collect::<Vec<u32>>(), "{folios:?}");
    // Running again opens nothing.
    assert_eq!(schedules::run(&b).await.unwrap(), Ran::default());

    // Both runners down until 20 July: the next runner catches up March to July (five
    // monthly) and July's semestral, each once however many run.
    a.clock.set(noon(date(2026, 7, 20)));
    b.clock.set(noon(date(2026, 7, 20)));
    let (x, y) = tokio::join!(schedules::run(&a), schedules::run(&b));
    let (x, y) = (x.unwrap(), y.unwrap());
    assert_eq!(x.opened.len() + y.opened.len(), 6, "{x:?} {y:?}");
    assert_eq!(opened_folios(&a).await.len(), 23);

    // The schedules' list tells how many each opened and the next occurrence.
    let list = schedules::list(&a, &who).await.unwrap();
    let monthly = list
        .iter()
        .find(|v| v.schedule.name == "Mensual DGIS")
        .unwrap();
    assert_eq!(monthly.opened, 19);
    assert_eq!(monthly.next.unwrap().nominal, date(2026, 8, 15));
}

async fn the_matrix_tells_each_report_in_time_late_or_missing<S: Store>(store: S, raw: Raw) {
    let admin_id = setup(&store).await;
    // The first semester's reports, asked on Friday 2 January 2026 (a business day).
    let asked = date(2026, 1, 2);
    let a = app(another(&raw).await, asked);
    let who = admin(&a, admin_id).await;
    for unit in ["DGIS", "DGPLADES", "DGCES"] {
        schedules::create(
            &a,
            &who,
            informe(
                &format!("Semestral {unit}"),
                unit,
                "semestral",
                "2026-01-02",
            ),
        )
        .await
        .unwrap();
    }
    let ran = schedules::run(&a).await.unwrap();
    assert_eq!(ran.opened.len(), 3);
    let case_of = |unit: &str| {
        let a = a.clone();
        let unit = unit.to_owned();
        async move {
            let opened = a
                .store
                .opened_occurrences(None, asked, asked)
                .await
                .unwrap();
            let schedules = a.store.schedules().await.unwrap();
            let id = schedules.iter().find(|s| s.unit_code == unit).unwrap().id;
            let folio = &opened
                .iter()
                .find(|o| o.schedule_id == id)
                .unwrap()
                .case_folio;
            a.store.find_case(folio).await.unwrap().unwrap()
        }
    };
    // DGIS delivers on the tenth día hábil (16 January), DGPLADES on 22 January; DGCES never.
    advance(
        &a.store,
        case_of("DGIS").await,
        &ctx(date(2026, 1, 16)),
        &[(None, &[])],
    )
    .await;
    advance(
        &a.store,
        case_of("DGPLADES").await,
        &ctx(date(2026, 1, 22)),
        &[(None, &[])],
    )
    .await;
    a.clock.set(noon(date(2026, 2, 2)));
    let made = schedules::matrix(&a, &who, "2026-01-01", "2026-06-30")
        .await
        .unwrap();
    assert_eq!(made.matrix.periods, ["1er semestre 2026"]);
    let state = |unit: &str| {
        let row = made.matrix.rows.iter().find(|r| r.unit == unit).unwrap();
        row.cells[&0][0].clone()
    };
    assert_eq!(state("DGIS").delivery, Delivery::OnTime);
    assert_eq!(state("DGIS").due, date(2026, 1, 16));
    assert_eq!(state("DGPLADES").delivery, Delivery::Late);
    assert_eq!(state("DGPLADES").days_late, 4);
    assert_eq!(state("DGCES").delivery, Delivery::Missing);
    // Its files: the CSV neutralizes nothing it need not, and names every state.
    let csv = String::from_utf8(made.csv()).unwrap();
    assert!(csv.contains("Entregado a tiempo"), "{csv}");
    assert!(csv.contains("Faltante"), "{csv}");
    assert!(made.xlsx().unwrap().starts_with(b"PK"));

    // A period with problems names each field.
    let refused = schedules::matrix(&a, &who, "2026-13-01", "").await;
    match refused {
        Err(turno_app::Error::InvalidFields(problems)) => {
            let fields: Vec<&str> = problems.iter().map(|p| p.field.as_str()).collect();
            assert_eq!(fields, ["desde", "hasta"]);
        }
        other => panic!("{other:?}"),
    }
}

async fn a_schedule_with_problems_names_each_field<S: Store>(store: S, raw: Raw) {
    let admin_id = setup(&store).await;
    let a = app(another(&raw).await, date(2026, 3, 2));
    let who = admin(&a, admin_id).await;
    let mut asked = informe("Mal", "NOEXISTE", "quincenal", "2026-02-30");
    asked.term_days = "muchos".into();
    asked.fields.remove("tipo_informe");
    asked.title = "Con\u{7}control".into();
    match schedules::create(&a, &who, asked).await {
        Err(turno_app::Error::InvalidFields(problems)) => {
            let fields: BTreeSet<&str> = problems.iter().map(|p| p.field.as_str()).collect();
            assert_eq!(
                fields,
                BTreeSet::from([
                    "title",
                    "unit",
                    "first_date",
                    "frequency",
                    "term_days",
                    "tipo_informe"
                ]),
                "{problems:?}"
            );
        }
        other => panic!("{other:?}"),
    }
    assert!(a.store.schedules().await.unwrap().is_empty());
    // The same name twice is refused next to the name.
    let ok = informe("Semestral DGIS", "DGIS", "semestral", "2026-01-02");
    schedules::create(&a, &who, ok.clone()).await.unwrap();
    match schedules::create(&a, &who, ok).await {
        Err(turno_app::Error::InvalidFields(problems)) => assert_eq!(problems[0].field, "name"),
        other => panic!("{other:?}"),
    }
}

/// The PTCI of 2025, with its first line, for schedules to add to.
async fn ptci(app: &App, who: &Principal) {
    use turno_app::programs::{self, ActivityDraft, ItemDraft, ProgramDraft};
    let activity = ActivityDraft {
        description: "Integrar el programa".into(),
        start: "2025-01-06".into(),
        end: "2025-12-31".into(),
        ..Default::default()
    };
    programs::create_program(
        app,
        who,
        ProgramDraft {
            key: "PTCI-2025",
            name: "Programa de Trabajo de Control Interno 2025",
            kind: Some(turno_domain::followup::ProgramKind::Ptci),
            body: "",
            reference: "",
            held_on: "",
            year: "2025",
            folio: None,
        },
        &[ItemDraft::new(
            turno_domain::followup::LineKind::ControlAction,
            "Actualizar el manual de organización".into(),
            "DGIS".into(),
            vec![activity],
        )],
    )
    .await
    .unwrap();
}

/// The PTCI's quarterly report as a schedule of lines.
fn quarterly_report(first: &str) -> Asked {
    Asked {
        name: "Reporte trimestral del PTCI".into(),
        procedure: String::new(),
        unit: "DGIS".into(),
        title: "Reporte de avance trimestral del PTCI".into(),
        frequency: "trimestral".into(),
        dates: vec![],
        first_date: first.into(),
        last_date: String::new(),
        adjustment: "siguiente".into(),
        term_days: "10".into(),
        program: "PTCI-2025".into(),
        fields: [
            ("kind", "control_action"),
            ("activity", "Entregar el reporte con corte al {fecha}"),
            ("products", "Reporte firmado"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect(),
    }
}

async fn two_runners_open_each_line_once<S: Store>(store: S, raw: Raw) {
    use turno_store::followup::Followup;
    let admin_id = setup(&store).await;
    let today = date(2026, 3, 2);
    let a = app(another(&raw).await, today);
    let b = app(another(&raw).await, today);
    let who = admin(&a, admin_id).await;
    ptci(&a, &who).await;
    // Quarterly from 15 January 2025: five occurrences by 2 March 2026.
    let id = schedules::create(&a, &who, quarterly_report("2025-01-15"))
        .await
        .unwrap();
    let mut runs = Vec::new();
    for i in 0..6 {
        let runner = if i % 2 == 0 { a.clone() } else { b.clone() };
        runs.push(tokio::spawn(async move { schedules::run(&runner).await }));
    }
    let mut lines = Vec::new();
    let mut taken = 0;
    for run in runs {
        let ran = run.await.unwrap().unwrap();
        assert!(ran.failed.is_empty(), "{:?}", ran.failed);
        assert!(ran.opened.is_empty(), "no case: {ran:?}");
        lines.extend(ran.lines);
        taken += ran.taken;
    }
    lines.sort();
    assert_eq!(
        lines,
        [
            "PTCI-2025 CI2",
            "PTCI-2025 CI3",
            "PTCI-2025 CI4",
            "PTCI-2025 CI5",
            "PTCI-2025 CI6"
        ],
        "taken {taken}"
    );
    let program = a.store.program("PTCI-2025").await.unwrap().unwrap();
    assert_eq!(program.items.len(), 6);
    // Each line is its occurrence's: the period in its text, its activity from that day
    // (15 January 2025, a Wednesday) for ten días hábiles, its unit the schedule's.
    let first = program.item("CI2").unwrap();
    assert_eq!(
        first.text,
        "Reporte de avance trimestral del PTCI — 1er trimestre 2025"
    );
    let activity = &first.activities[0];
    assert_eq!(
        activity.description,
        "Entregar el reporte con corte al 2025-01-15"
    );
    assert_eq!(activity.start(), date(2025, 1, 15));
    assert_eq!(activity.end(), date(2025, 1, 29));
    assert_eq!(activity.responsible, ["DGIS"]);
    let recorded = a.store.lines_of(id).await.unwrap();
    assert_eq!(recorded.len(), 5);
    assert_eq!(
        recorded[0],
        (date(2025, 1, 15), "PTCI-2025".into(), "CI2".into())
    );
    // Running again opens nothing.
    assert_eq!(schedules::run(&b).await.unwrap(), Ran::default());

    // Both runners down until 20 July: the next runs catch up April and July, once.
    a.clock.set(noon(date(2026, 7, 20)));
    b.clock.set(noon(date(2026, 7, 20)));
    let (x, y) = tokio::join!(schedules::run(&a), schedules::run(&b));
    let (x, y) = (x.unwrap(), y.unwrap());
    assert_eq!(x.lines.len() + y.lines.len(), 2, "{x:?} {y:?}");
    assert_eq!(
        a.store
            .program("PTCI-2025")
            .await
            .unwrap()
            .unwrap()
            .items
            .len(),
        8
    );
    let list = schedules::list(&a, &who).await.unwrap();
    assert_eq!(list[0].opened, 7);
}

async fn a_schedule_of_lines_is_checked_as_a_line<S: Store>(store: S, raw: Raw) {
    let admin_id = setup(&store).await;
    let a = app(another(&raw).await, date(2026, 3, 2));
    let who = admin(&a, admin_id).await;
    ptci(&a, &who).await;
    // A kind the PTCI does not take, no activity, no term, and a procedure as well.
    let mut asked = quarterly_report("2026-01-15");
    asked.fields.insert("kind".into(), "risk".into());
    asked.fields.remove("activity");
    asked.term_days = "0".into();
    asked.procedure = schedules::INFORMES.into();
    match schedules::create(&a, &who, asked).await {
        Err(turno_app::Error::InvalidFields(problems)) => {
            let fields: BTreeSet<&str> = problems.iter().map(|p| p.field.as_str()).collect();
            assert_eq!(
                fields,
                BTreeSet::from(["procedure", "kind", "activity", "term_days"]),
                "{problems:?}"
            );
        }
        other => panic!("{other:?}"),
    }
    // A program that does not exist is named.
    let mut asked = quarterly_report("2026-01-15");
    asked.program = "NO-EXISTE".into();
    match schedules::create(&a, &who, asked).await {
        Err(turno_app::Error::InvalidFields(problems)) => {
            assert_eq!(problems[0].field, "program", "{problems:?}");
        }
        other => panic!("{other:?}"),
    }
    assert!(a.store.schedules().await.unwrap().is_empty());
}

on_both_backends!(
    two_runners_open_each_line_once,
    a_schedule_of_lines_is_checked_as_a_line,
    two_runners_open_each_occurrence_once,
    the_matrix_tells_each_report_in_time_late_or_missing,
    a_schedule_with_problems_names_each_field,
);
