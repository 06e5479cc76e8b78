//! Tableros over many stored cases (issue 20, item 1; BENCHMARKS.md «Tableros»): the cases of
//! `turno_store::fixtures::fill_tablero` (1,000,000 by default; `TURNO_BENCH_CASES=10000000`
//! for the figure) are written into SQLite and PostgreSQL in bulk, in their final
//! state, their tablero sums grouped once (equal to what the triggers of migration 0044 keep:
//! the test `tablero_fill` compares); then tableros are asked through the
//! application (`turno_app::tablero::tablero`, as the page and the API ask them): the whole
//! institution's, a unit's with the units below it, a unit at the bottom, a procedure's, each
//! for a period of 6 and of 24 months, and a drill-down of each kind of figure. For each
//! tablero, each figure's statement (as the tablero sends it) and the whole use case; their p50
//! and p99 latency printed with the machine's load average.
//!
//! Run: `cargo bench -p turno-store --bench tablero` (release; PostgreSQL at 127.0.0.1:5432,
//! database test, in a schema of its own that the run drops at the end).
//! `TURNO_BENCH_CASES` changes the number of cases, `TURNO_BENCH_UNITS` the units (60),
//! `TURNO_BENCH_ROUNDS` the times each tablero is asked (20); `TURNO_BENCH_ONLY=postgres` or
//! `sqlite` runs one backend; `TURNO_BENCH_KEEP=1` keeps what was filled (the SQLite file in
//! the temporary directory, the PostgreSQL schema) and `TURNO_BENCH_SQLITE_FILE` or
//! `TURNO_BENCH_POSTGRES_SCHEMA` measures one already filled (by the bench, or by the SQL of
//! `benches/fill/tablero-*.sql` after the migrations, as BENCHMARKS.md shows).

#![allow(
    clippy::print_stdout,
    clippy::unwrap_used,
    clippy::panic,
    reason = "a benchmark prints its measurements and stops at its first failure"
)]

use sqlx::postgres::PgConnectOptions;
use std::sync::Arc;
use std::time::{Duration, Instant};
use turno_app::tablero::{Asked, Figure, Narrowed, items, tablero};
use turno_app::{App, Clock, LiveCalendars, Principal};
use turno_domain::definition::parse_procedure;
use turno_domain::library::Library;
use turno_store::blobs::{Blobs, Location};
use turno_store::tablero::TableroScope;
use turno_store::{AnyStore, NewUser, PgStore, Role, SqliteStore, Store, Tableros};

const POSTGRES_URL: &str = "postgres://postgres@127.0.0.1:5432/test";
const SOURCE: &str = include_str!("../../../procedures/sidss-informes-oficiales.toml");

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn runs(backend: &str) -> bool {
    std::env::var("TURNO_BENCH_ONLY").map_or(true, |only| only == backend)
}

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    let cases = env_number("TURNO_BENCH_CASES", 1_000_000);
    let units = env_number("TURNO_BENCH_UNITS", 60).max(10);
    let keep = std::env::var("TURNO_BENCH_KEEP").is_ok();
    if runs("sqlite") {
        let (path, filled) = match std::env::var("TURNO_BENCH_SQLITE_FILE") {
            Ok(path) => (path, true),
            Err(_) => {
                let path = std::env::temp_dir().join(format!("turno-tablero-{cases}.db"));
                for suffix in ["", "-wal", "-shm"] {
                    let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
                }
                (path.display().to_string(), false)
            }
        };
        let store = SqliteStore::open(&path).await.unwrap();
        if !filled {
            store.migrate().await.unwrap();
        }
        println!("== SQLite, {cases} cases, {units} units ({path})");
        measure(AnyStore::Sqlite(store), cases, units, filled).await;
        if !keep && !filled {
            for suffix in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{path}{suffix}"));
            }
        }
    }
    if runs("postgres") {
        let admin = sqlx::PgPool::connect(POSTGRES_URL)
            .await
            .expect("PostgreSQL at 127.0.0.1:5432");
        let (schema, filled) = match std::env::var("TURNO_BENCH_POSTGRES_SCHEMA") {
            Ok(schema) => (schema, true),
            Err(_) => {
                let schema = format!("turno_tablero_{}", std::process::id());
                sqlx::raw_sql(&format!(
                    "DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema}"
                ))
                .execute(&admin)
                .await
                .unwrap();
                (schema, false)
            }
        };
        let options: PgConnectOptions = POSTGRES_URL.parse().unwrap();
        let store = PgStore::connect_with(options.options([("search_path", schema.as_str())]))
            .await
            .unwrap();
        if !filled {
            store.migrate().await.unwrap();
        }
        println!("== PostgreSQL, {cases} cases, {units} units (schema {schema})");
        measure(AnyStore::Postgres(store), cases, units, filled).await;
        if !keep && !filled {
            sqlx::raw_sql(&format!("DROP SCHEMA {schema} CASCADE"))
                .execute(&admin)
                .await
                .unwrap();
        }
    }
}

async fn measure(store: AnyStore, cases: u64, units: u64, filled: bool) {
    let procedure = parse_procedure(SOURCE).unwrap();
    if !filled {
        let started = Instant::now();
        turno_store::fixtures::fill_tablero(&store, &procedure, SOURCE, cases, units)
            .await
            .unwrap();
        println!("filled in {:.1} s", started.elapsed().as_secs_f64());
    }
    let mut library = Library::default();
    library.insert(procedure.clone());
    let calendars = LiveCalendars::load(&store).await.unwrap();
    let blobs = std::env::temp_dir().join("turno-tablero-blobs");
    let app = App {
        store: store.clone(),
        library: library.into(),
        calendars,
        blobs: Arc::new(
            Blobs::open(&Location::parse(&blobs.display().to_string()).unwrap()).unwrap(),
        ),
        time_zone: jiff::tz::TimeZone::get("America/Mexico_City").unwrap(),
        // The day after the last the fill received cases on.
        clock: Clock::manual("2026-12-01T18:00:00Z".parse().unwrap()),
        thresholds: Default::default(),
        suggestions: Default::default(),
        chart: Default::default(),
    };
    let director = person(&app, "director", "T1", Role::Titular).await;
    let head = person(&app, "jefe", "T15", Role::Titular).await;
    let root = person(&app, "admin", "T0", Role::Administrador).await;
    let key = procedure.key.as_str();
    let rounds = env_number("TURNO_BENCH_ROUNDS", 20);
    let asked = |unit: &'static str, procedure: &'static str, from: &'static str| Asked {
        unit,
        procedure,
        from,
        to: "2026-11",
    };
    let key: &'static str = Box::leak(key.to_owned().into_boxed_str());
    let tableros = [
        ("the institution, 6 months", &root, asked("", "", "2026-06")),
        (
            "the institution, 24 months",
            &root,
            asked("", "", "2024-12"),
        ),
        (
            "T1 and its units, 6 months",
            &director,
            asked("T1", "", "2026-06"),
        ),
        (
            "T1 and its units, 24 months",
            &director,
            asked("T1", "", "2024-12"),
        ),
        ("T15 alone, 6 months", &head, asked("T15", "", "2026-06")),
        ("the procedure, 6 months", &root, asked("", key, "2026-06")),
    ];
    println!("| tablero | figure | rows | p50 | p99 | load average (1 min) |");
    println!("| --- | --- | --- | --- | --- | --- |");
    for (name, who, asked) in tableros {
        // Each figure's statement, with the scope and period the tablero reads them with.
        let (scope, from_month, first_day, last_day) = scope_of(&app, &asked).await;
        let (mut received, mut done, mut open, mut whole) = (vec![], vec![], vec![], vec![]);
        let mut rows = (0, 0, 0);
        let mut made = None;
        for _ in 0..rounds {
            let started = Instant::now();
            rows.0 = app
                .store
                .tablero_received(&scope, &from_month, &asked_to(&asked))
                .await
                .unwrap()
                .len();
            received.push(started.elapsed());
            let started = Instant::now();
            rows.1 = app
                .store
                .tablero_done(&scope, &first_day, &last_day)
                .await
                .unwrap()
                .len();
            done.push(started.elapsed());
            let started = Instant::now();
            rows.2 = app.store.tablero_open(&scope).await.unwrap().len();
            open.push(started.elapsed());
            let started = Instant::now();
            made = Some(tablero(&app, who, asked).await.unwrap());
            whole.push(started.elapsed());
        }
        let made = made.unwrap();
        for (figure, count, times) in [
            (
                "received and returned: per month, per activity (tablero_received)",
                rows.0,
                &mut received,
            ),
            (
                "completed: per month, días hábiles per activity and unit (tablero_done)",
                rows.1,
                &mut done,
            ),
            (
                "open by semáforo, by unit (tablero_open)",
                rows.2,
                &mut open,
            ),
        ] {
            let (p50, p99) = summary(times);
            println!(
                "| {name} | {figure} | {count} | {p50:.1} ms | {p99:.1} ms | {} |",
                load()
            );
        }
        let (p50, p99) = summary(&mut whole);
        println!(
            "| {name} | **the whole tablero** ({} open, {} received) | — | {p50:.1} ms | {p99:.1} ms | {} |",
            made.open.iter().sum::<u64>(),
            made.received.now,
            load()
        );
    }
    let month = || Some("2026-09".parse().unwrap());
    let drills = [
        (
            "drill-down: received by T27 in 2026-09",
            Figure::Received {
                month: month(),
                previous: false,
                returns: false,
            },
        ),
        (
            "drill-down: returns received by T27 in 2026-09",
            Figure::Received {
                month: month(),
                previous: false,
                returns: true,
            },
        ),
        (
            "drill-down: completed by T27 in 2026-09",
            Figure::Closed {
                month: month(),
                previous: false,
            },
        ),
        (
            "drill-down: open at T27, overdue",
            Figure::Open(Some(turno_domain::engine::DueStatus::Overdue)),
        ),
    ];
    for (name, figure) in drills {
        let mut times = Vec::new();
        let mut listed = 0;
        for _ in 0..rounds {
            let started = Instant::now();
            let drilled = items(
                &app,
                &director,
                asked("T1", "", "2026-06"),
                &figure,
                &Narrowed {
                    unit: Some("T27".into()),
                    ..Narrowed::default()
                },
            )
            .await
            .unwrap();
            listed = drilled.rows.len();
            times.push(started.elapsed());
        }
        let (p50, p99) = summary(&mut times);
        println!(
            "| T1 and its units, 6 months | {name} | {listed} listed | {p50:.1} ms | {p99:.1} ms | {} |",
            load()
        );
    }
}

fn asked_to(asked: &Asked<'_>) -> String {
    asked.to.to_owned()
}

/// The scope and bounds `turno_app::tablero::tablero` reads its figures with: the unit and
/// those below it (none: every unit), the procedure; the first month of the period before
/// and the first and last days of the two periods.
async fn scope_of(app: &App, asked: &Asked<'_>) -> (TableroScope, String, String, String) {
    let units = if asked.unit.is_empty() {
        None
    } else {
        let mut below = app
            .store
            .units_below(&[asked.unit.to_owned()])
            .await
            .unwrap();
        below.retain(|c| c != asked.unit);
        below.sort();
        Some(
            std::iter::once(asked.unit.to_owned())
                .chain(below)
                .collect(),
        )
    };
    let from: jiff::civil::Date = format!("{}-01", asked.from).parse().unwrap();
    let to: jiff::civil::Date = format!("{}-01", asked.to).parse().unwrap();
    let months = (i32::from(to.year()) - i32::from(from.year())) * 12 + i32::from(to.month())
        - i32::from(from.month())
        + 1;
    let before = from.checked_sub(jiff::Span::new().months(months)).unwrap();
    let last = to.last_of_month();
    (
        TableroScope {
            units,
            procedure: (!asked.procedure.is_empty()).then(|| asked.procedure.to_owned()),
        },
        before.strftime("%Y-%m").to_string(),
        before.to_string(),
        last.to_string(),
    )
}

/// The machine's load average over the last minute, as /proc/loadavg gives it.
fn load() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|l| l.split_whitespace().next().map(str::to_owned))
        .unwrap_or_else(|| "—".into())
}

async fn person(app: &App, login: &str, unit: &str, role: Role) -> Principal {
    let id = match app.store.user_by_login(login).await.unwrap() {
        Some(found) => found.user.id,
        None => {
            let id = app
                .store
                .create_user(
                    &NewUser {
                        login: login.into(),
                        name: login.into(),
                        email: None,
                        password_hash: None,
                    },
                    "bench",
                )
                .await
                .unwrap();
            app.store
                .add_membership(id, unit, role, "bench")
                .await
                .unwrap();
            id
        }
    };
    let user = app.store.user(id).await.unwrap().unwrap();
    Principal::load(&app.store, &user, app.today())
        .await
        .unwrap()
}

/// The median and the 99th percentile (nearest rank: with fewer than 100 rounds, the
/// slowest), in milliseconds.
fn summary(times: &mut [Duration]) -> (f64, f64) {
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let rank = |p: usize| (times.len() * p).div_ceil(100).max(1) - 1;
    (ms(times[rank(50)]), ms(times[rank(99)]))
}
