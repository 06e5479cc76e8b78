//! Closed cases leaving the working tables (issue 20, item 3; BENCHMARKS.md «El archivo:
//! traslado de asuntos concluidos»): `TURNO_BENCH_OPEN` open cases (10,000) in the units' inboxes
//! (`fixtures::fill_inbox`) and `TURNO_BENCH_CASES` closed cases (100,000) of history, each with
//! six events, six work items done and the units that saw them, classified into an expediente
//! already in concentración; the inbox's first page (`Store::inbox`, 50 rows) and a search by
//! words (`Store::search_cases`) timed with the history in the working tables, then every
//! closed case moved in batches of `TURNO_BENCH_BATCH` (1,000; `MovedCases::closed_in` and
//! `move_cases`, the statements `turno_app::archive_move::move_transferred` runs) with its rate,
//! then the same queries timed again.
//!
//! Run: `cargo bench -p turno-store --bench archive_move` (release; `--profile dev` for a debug
//! build). PostgreSQL at 127.0.0.1:5432, database test, in a schema of its own dropped at the
//! end; `TURNO_BENCH_ONLY=postgres` or `sqlite` runs one backend; `TURNO_BENCH_ROUNDS` the times
//! each query is asked (30).

#![allow(
    clippy::print_stdout,
    clippy::unwrap_used,
    clippy::panic,
    reason = "a benchmark prints its measurements and stops at its first failure"
)]

mod common;

use common::{POSTGRES_URL, env_number, fresh_schema};
use std::time::{Duration, Instant};
use turno_domain::archive::Location;
use turno_domain::definition::parse_procedure;
use turno_store::{AnyStore, CaseSearch, MovedCases, PgStore, SqliteStore, Store};

const SOURCE: &str = include_str!("../../../procedures/sidss-informes-oficiales.toml");
const UNITS: u64 = 20;

fn runs(backend: &str) -> bool {
    std::env::var("TURNO_BENCH_ONLY").map_or(true, |only| only == backend)
}

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    let open = env_number("TURNO_BENCH_OPEN", 10_000);
    let closed = env_number("TURNO_BENCH_CASES", 100_000);
    if runs("sqlite") {
        let path = std::env::temp_dir().join(format!("turno-archive-move-{closed}.db"));
        let remove = || {
            for suffix in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
            }
        };
        remove();
        let store = SqliteStore::open(&path.display().to_string())
            .await
            .unwrap();
        store.migrate().await.unwrap();
        println!("== SQLite, {open} open cases, {closed} closed cases");
        measure(AnyStore::Sqlite(store), open, closed).await;
        remove();
    }
    if runs("postgres") {
        let admin = sqlx::PgPool::connect(POSTGRES_URL)
            .await
            .expect("PostgreSQL at 127.0.0.1:5432");
        let schema = format!("turno_archive_move_{}", std::process::id());
        let options = fresh_schema(&admin, &schema).await;
        let store = PgStore::connect_with(options).await.unwrap();
        store.migrate().await.unwrap();
        println!("== PostgreSQL, {open} open cases, {closed} closed cases (schema {schema})");
        measure(AnyStore::Postgres(store), open, closed).await;
        sqlx::raw_sql(&format!("DROP SCHEMA {schema} CASCADE"))
            .execute(&admin)
            .await
            .unwrap();
    }
}

async fn fill(store: &AnyStore, open: u64, closed: u64) {
    let procedure = parse_procedure(SOURCE).unwrap();
    turno_store::fixtures::fill_inbox(store, &procedure, SOURCE, open, UNITS)
        .await
        .unwrap();
    turno_store::fixtures::fill_history(store, &procedure, open, closed, UNITS)
        .await
        .unwrap();
}

/// The p50 and max of `rounds` runs of `query`, in milliseconds.
async fn timed<F, Fut>(rounds: u64, mut query: F) -> (f64, f64)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = usize>,
{
    let mut times: Vec<Duration> = Vec::new();
    for _ in 0..rounds.max(1) {
        let started = Instant::now();
        let rows = query().await;
        times.push(started.elapsed());
        assert!(rows > 0, "the query answered nothing");
    }
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    (ms(times[times.len() / 2]), ms(times[times.len() - 1]))
}

async fn queries(store: &AnyStore, rounds: u64, label: &str) {
    let (p50, max) = timed(rounds, || async {
        store.inbox("U3", 50, 0).await.unwrap().len()
    })
    .await;
    println!("{label}: inbox (first 50 of U3): p50 {p50:.2} ms, max {max:.2} ms");
    let search = CaseSearch {
        folio_or_text: Some("Asunto 7".into()),
        limit: 50,
        ..CaseSearch::default()
    };
    let (p50, max) = timed(rounds, || async {
        store.search_cases(&search).await.unwrap().len()
    })
    .await;
    println!("{label}: search «Asunto 7» (first 50): p50 {p50:.2} ms, max {max:.2} ms");
}

async fn measure(store: AnyStore, open: u64, closed: u64) {
    let rounds = env_number("TURNO_BENCH_ROUNDS", 30);
    let batch = i64::try_from(env_number("TURNO_BENCH_BATCH", 1000)).unwrap();
    let started = Instant::now();
    fill(&store, open, closed).await;
    println!("filled in {:.1} s", started.elapsed().as_secs_f64());
    queries(&store, rounds, "with the history").await;

    let started = Instant::now();
    let (mut cases, mut events, mut batches) = (0u64, 0u64, 0u64);
    loop {
        let folios = store
            .closed_in(&[Location::Concentracion, Location::Historico], batch)
            .await
            .unwrap();
        if folios.is_empty() {
            break;
        }
        let moved = store
            .move_cases(&folios, "archivista", "2026-12-07T18:00:00Z")
            .await
            .unwrap();
        cases += moved.cases;
        events += moved.events;
        batches += 1;
    }
    let seconds = started.elapsed().as_secs_f64();
    assert_eq!(cases, closed);
    println!(
        "moved {cases} cases ({events} events) in {batches} batches of {batch}: {seconds:.1} s, \
         {:.0} cases/s, {:.0} events/s",
        cases as f64 / seconds,
        events as f64 / seconds
    );
    // What autovacuum (or a periodic ANALYZE) does on a live database after a bulk change.
    turno_store::fixtures::analyze(&store).await.unwrap();
    queries(&store, rounds, "without the history").await;
}
