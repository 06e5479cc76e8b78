//! Store benchmarks, each on SQLite and PostgreSQL in the same run:
//!
//! 1. Durable activity completions per second with one writer and with 32, as a ratio to the
//!    raw commit ceiling of the same database: a loop of single-row insert transactions with
//!    the same durability settings (SQLite WAL + synchronous FULL; PostgreSQL's default
//!    synchronous_commit = on).
//! 2. "Open activities of unit X ordered by due date, first page" over 1,000,000 cases: p50,
//!    p99 and max latency.
//!
//! Run: `cargo bench -p turno-store --bench store` (PostgreSQL at 127.0.0.1:5432, database
//! test). `TURNO_BENCH_CASES` changes the number of cases of the inbox benchmark and
//! `TURNO_BENCH_SECONDS` the length of each throughput measurement.

#![allow(
    clippy::print_stdout,
    clippy::unwrap_used,
    clippy::panic,
    reason = "a benchmark prints its measurements and stops at its first failure"
)]

mod common;

use common::{POSTGRES_URL, env_number, fresh_schema};
use sqlx::postgres::PgPoolOptions;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};
use turno_app::commands::{OnCase, complete_work, start_case};
use turno_domain::definition::{Procedure, parse_procedure};
use turno_domain::engine::{Actor, Calendars, Complete, Context, Start, Value, WorkItemId};
use turno_store::{AnyStore, CaseId, FolioRule, NewCase, PgStore, SqliteStore, Store};

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    let seconds = Duration::from_secs(env_number("TURNO_BENCH_SECONDS", 5));
    let cases = env_number("TURNO_BENCH_CASES", 1_000_000);
    let dir = std::env::temp_dir().join("turno-bench");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();

    println!(
        "== SQLite (WAL, synchronous FULL), {} s per measurement",
        seconds.as_secs()
    );
    let sqlite = SqliteStore::open(dir.join("bench.db").to_str().unwrap())
        .await
        .unwrap();
    sqlite.migrate().await.unwrap();
    let raw = sqlx::sqlite::SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(
            sqlx::sqlite::SqliteConnectOptions::new()
                .filename(dir.join("ceiling.db"))
                .create_if_missing(true)
                .journal_mode(sqlx::sqlite::SqliteJournalMode::Wal)
                .synchronous(sqlx::sqlite::SqliteSynchronous::Full),
        )
        .await
        .unwrap();
    let through_sqlx = commit_ceiling(&raw, seconds).await;
    let ceiling = direct_sqlite_ceiling(&dir.join("direct.db"), seconds);
    println!(
        "(sqlx's own single-insert loop reaches {:.2} of it: its SQLite driver hands every statement to a worker thread)",
        through_sqlx / ceiling
    );
    throughput(&sqlite, ceiling, seconds).await;
    let inbox_db = SqliteStore::open(dir.join("inbox.db").to_str().unwrap())
        .await
        .unwrap();
    inbox_db.migrate().await.unwrap();
    fill(AnyStore::Sqlite(inbox_db.clone()), cases).await;
    inbox_latency(&inbox_db, cases).await;

    println!(
        "== PostgreSQL (synchronous_commit on), {} s per measurement",
        seconds.as_secs()
    );
    let schema = format!("turno_bench_{}", std::process::id());
    let admin = sqlx::PgPool::connect(POSTGRES_URL)
        .await
        .expect("PostgreSQL at 127.0.0.1:5432");
    let options = fresh_schema(&admin, &schema).await;
    let pg = PgStore::connect_with(options.clone()).await.unwrap();
    pg.migrate().await.unwrap();
    let raw = PgPoolOptions::new()
        .max_connections(1)
        .connect_with(options.clone())
        .await
        .unwrap();
    let ceiling = commit_ceiling(&raw, seconds).await;
    throughput(&pg, ceiling, seconds).await;
    // The throughput cases are left out of the inbox measurement: a schema of its own.
    let inbox_schema = format!("{schema}_inbox");
    let inbox_options = fresh_schema(&admin, &inbox_schema).await;
    let inbox_pg = PgStore::connect_with(inbox_options).await.unwrap();
    inbox_pg.migrate().await.unwrap();
    fill(AnyStore::Postgres(inbox_pg.clone()), cases).await;
    inbox_latency(&inbox_pg, cases).await;
    sqlx::raw_sql(&format!("DROP SCHEMA {inbox_schema} CASCADE"))
        .execute(&admin)
        .await
        .unwrap();
    sqlx::raw_sql(&format!("DROP SCHEMA {schema} CASCADE"))
        .execute(&admin)
        .await
        .unwrap();
    let _ = std::fs::remove_dir_all(&dir);
}

/// The same loop straight on the SQLite library (rusqlite), without a driver's thread hops:
/// the honest ceiling of the database file.
fn direct_sqlite_ceiling(path: &std::path::Path, seconds: Duration) -> f64 {
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.execute_batch(
        "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; \
         CREATE TABLE ceiling (id INTEGER PRIMARY KEY, payload TEXT NOT NULL)",
    )
    .unwrap();
    let payload = "x".repeat(300);
    let started = Instant::now();
    let mut n: i64 = 0;
    while started.elapsed() < seconds {
        conn.execute_batch("BEGIN").unwrap();
        conn.prepare_cached("INSERT INTO ceiling (id, payload) VALUES (?1, ?2)")
            .unwrap()
            .execute(rusqlite::params![n, payload])
            .unwrap();
        conn.execute_batch("COMMIT").unwrap();
        n += 1;
    }
    let rate = n as f64 / started.elapsed().as_secs_f64();
    println!("raw commit ceiling, 1 writer, directly on SQLite: {rate:.0} commits/s");
    rate
}

/// Single-row insert transactions, one after another: what the database can commit durably.
async fn commit_ceiling<DB: sqlx::Database>(pool: &sqlx::Pool<DB>, seconds: Duration) -> f64
where
    for<'c> &'c mut DB::Connection: sqlx::Executor<'c, Database = DB>,
    for<'c> &'c sqlx::Pool<DB>: sqlx::Executor<'c, Database = DB>,
{
    sqlx::raw_sql(
        "CREATE TABLE IF NOT EXISTS ceiling (id BIGINT PRIMARY KEY, payload TEXT NOT NULL)",
    )
    .execute(pool)
    .await
    .unwrap();
    let payload = "x".repeat(300);
    let started = Instant::now();
    let mut n: u64 = 0;
    while started.elapsed() < seconds {
        let mut tx = pool.begin().await.unwrap();
        sqlx::raw_sql(&format!(
            "INSERT INTO ceiling (id, payload) VALUES ({n}, '{payload}')"
        ))
        .execute(&mut *tx)
        .await
        .unwrap();
        tx.commit().await.unwrap();
        n += 1;
    }
    let rate = n as f64 / started.elapsed().as_secs_f64();
    println!("raw commit ceiling, 1 writer, through sqlx: {rate:.0} commits/s");
    rate
}

fn seed_000() -> (Procedure, &'static str) {
    let text = include_str!("../../../procedures/sidss-informes-oficiales.toml");
    (parse_procedure(text).unwrap(), text)
}

fn fields() -> std::collections::BTreeMap<String, Value> {
    [
        (
            "tipo_informe".to_owned(),
            Value::Text("Informe trimestral".into()),
        ),
        (
            "direccion_general".to_owned(),
            Value::Text("DGPLADES".into()),
        ),
    ]
    .into_iter()
    .collect()
}

fn ctx(calendars: &Calendars) -> Context<'_> {
    Context {
        now: jiff::Timestamp::now(),
        today: jiff::civil::date(2026, 3, 2),
        calendars,
    }
}

/// Completes the open work item of a case of seed 000. The case loops through the review
/// (2.2 «No» returns to 1.2), so it never runs out of work.
async fn complete_next<S: Store>(
    store: &S,
    procedure: &Procedure,
    calendars: &Calendars,
    case_id: CaseId,
) {
    let current = store.load_current(case_id).await.unwrap();
    let item = current.case.open[0].clone();
    let outcome = (procedure.activity(item.activity).number == "2.2").then(|| "No".to_owned());
    complete_work(
        store,
        OnCase::new(procedure, case_id, &ctx(calendars)).seen(current.head.version),
        Complete {
            item: WorkItemId(item.id.0),
            by: Actor {
                user: "bench".into(),
                participant: None,
                substituting: None,
            },
            outcome,
            fields: Default::default(),
            observations: None,
            signature: None,
        },
    )
    .await
    .unwrap();
}

async fn throughput<S: Store>(store: &S, ceiling: f64, seconds: Duration) {
    let (procedure, text) = seed_000();
    let procedure = Arc::new(procedure);
    let calendars = Arc::new(Calendars::statutory());
    store
        .publish_procedure(&procedure, text, jiff::Timestamp::now())
        .await
        .unwrap();
    for writers in [1usize, 32] {
        let mut cases = Vec::new();
        for i in 0..writers {
            let c = start_case(
                store,
                &procedure,
                NewCase {
                    folio: FolioRule {
                        prefix: "BENCH".into(),
                        unit: None,
                        year: 2026,
                        digits: 6,
                    },
                    title: format!("Informe {i}"),
                    channel: None,
                    requester: None,
                },
                Start {
                    by: Actor {
                        user: "bench".into(),
                        participant: None,
                        substituting: None,
                    },
                    fields: fields(),
                },
                &ctx(&calendars),
                None,
            )
            .await
            .unwrap();
            cases.push(c.case_id);
        }
        let done = Arc::new(AtomicU64::new(0));
        let started = Instant::now();
        let mut tasks = Vec::new();
        for case_id in cases {
            let (store, procedure, calendars, done) = (
                store.clone(),
                procedure.clone(),
                calendars.clone(),
                done.clone(),
            );
            tasks.push(tokio::spawn(async move {
                while started.elapsed() < seconds {
                    complete_next(&store, &procedure, &calendars, case_id).await;
                    done.fetch_add(1, Ordering::Relaxed);
                }
            }));
        }
        for t in tasks {
            t.await.unwrap();
        }
        let rate = done.load(Ordering::Relaxed) as f64 / started.elapsed().as_secs_f64();
        println!(
            "durable completions, {writers} writer(s): {rate:.0}/s = {:.2} × the 1-writer commit ceiling",
            rate / ceiling
        );
    }
}

/// Units the benchmark cases are spread over; the measured unit holds 1/UNITS of them.
const UNITS: u64 = 200;

async fn fill(store: AnyStore, cases: u64) {
    let started = Instant::now();
    let (procedure, text) = seed_000();
    turno_store::fixtures::fill_inbox(&store, &procedure, text, cases, UNITS)
        .await
        .unwrap();
    println!(
        "filled {cases} cases in {:.1} s",
        started.elapsed().as_secs_f64()
    );
}

async fn inbox_latency<S: Store>(store: &S, cases: u64) {
    let mut latencies = Vec::new();
    for round in 0..2_000u64 {
        let unit = format!("U{}", round * 7919 % UNITS);
        let started = Instant::now();
        let rows = store.inbox(&unit, 50, 0).await.unwrap();
        latencies.push(started.elapsed());
        assert_eq!(rows.len() as u64, 50.min(cases / UNITS));
    }
    latencies.sort();
    let at = |q: f64| latencies[((latencies.len() as f64 * q) as usize).min(latencies.len() - 1)];
    println!(
        "inbox first page (50 rows) of one of {UNITS} units over {cases} cases: p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        at(0.50).as_secs_f64() * 1e3,
        at(0.99).as_secs_f64() * 1e3,
        latencies.last().unwrap().as_secs_f64() * 1e3
    );
}
