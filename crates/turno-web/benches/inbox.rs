//! "Mi bandeja" under load: 1,000,000 cases stored, one unit's inbox requested by 64
//! concurrent clients with wrk (another process), on SQLite and on PostgreSQL; and the
//! server's resident memory.
//!
//! Run: `cargo bench -p turno-web --bench inbox` (needs `wrk`: `apt-get install wrk`, and
//! PostgreSQL at 127.0.0.1:5432). `TURNO_BENCH_CASES` and `TURNO_BENCH_SECONDS` change the
//! size and the length of each measurement. The server runs in this process; wrk does not.

#![allow(
    clippy::print_stdout,
    clippy::unwrap_used,
    clippy::panic,
    reason = "a benchmark prints its measurements and stops at its first failure"
)]

#[path = "../tests/integration/test_app.rs"]
mod test_app;

use std::process::Command;
use std::time::Instant;
use test_app::{Backend, Browser, Database, PASSWORD, SEED};
use turno_store::Role;

const UNITS: u64 = 200;

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Resident memory of this process now and at its peak, in MB.
fn memory() -> (f64, f64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kb = |key: &str| {
        status
            .lines()
            .find(|l| l.starts_with(key))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    (kb("VmRSS:") / 1024.0, kb("VmHWM:") / 1024.0)
}

#[tokio::main]
async fn main() {
    let cases = env_number("TURNO_BENCH_CASES", 1_000_000);
    let seconds = env_number("TURNO_BENCH_SECONDS", 15);
    for (name, backend) in [
        ("SQLite", Backend::Sqlite),
        ("PostgreSQL", Backend::Postgres),
    ] {
        let database = Database::fresh(backend).await;
        measure(name, &database, cases, seconds).await;
        Database::remove(database.schema, database.file).await;
    }
}

async fn measure(name: &str, database: &Database, cases: u64, seconds: u64) {
    let started = Instant::now();
    let procedure = turno_domain::definition::parse_procedure(SEED.text).unwrap();
    turno_store::fixtures::fill_inbox(&database.store, &procedure, SEED.text, cases, UNITS)
        .await
        .unwrap();
    println!(
        "== {name}: {cases} cases filled in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    database.add_unit("U7", "Unidad de prueba").await;
    database
        .add_person("bandeja", None, &[("U7", Role::Operador)])
        .await;
    let app = database.app().procedure(SEED).serve().await;
    let base = app.address.clone();

    // Sign in like a browser, then hand the session cookie to wrk.
    let browser = Browser::new(&base);
    let signed = browser.sign_in("bandeja", PASSWORD).await;
    assert_eq!(signed.status(), 303, "signed in");
    // Signing in gives the session a new id: that is the cookie a signed-in browser sends.
    let cookie = signed.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    let probe = reqwest::Client::new()
        .get(format!("{base}/bandeja"))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(probe.status(), 200, "wrk's cookie is a signed-in session");
    let inbox = browser.text("/bandeja").await;
    let expected = cases / UNITS;
    assert!(
        inbox.contains(&format!("{expected} pendientes")),
        "the unit's inbox is full"
    );

    let (rss_before, _) = memory();
    let wrk = tokio::task::spawn_blocking(move || {
        Command::new("wrk")
            .args(["-t2", "-c64", &format!("-d{seconds}s"), "--latency", "-H"])
            .arg(format!("Cookie: {cookie}"))
            .arg(format!("{base}/bandeja"))
            .output()
            .expect("wrk is installed (apt-get install wrk)")
    })
    .await
    .unwrap();
    let report = String::from_utf8_lossy(&wrk.stdout);
    let (rss_after, rss_peak) = memory();
    let line = |prefix: &str| {
        report
            .lines()
            .find(|l| l.trim_start().starts_with(prefix))
            .map(|l| l.trim().to_owned())
            .unwrap_or_default()
    };
    println!(
        "wrk -t2 -c64 -d{seconds}s /bandeja ({expected} open items of one unit, 50 per page): {} | {} | {} | {}",
        line("50%"),
        line("99%"),
        line("Requests/sec"),
        line("Non-2xx")
    );
    println!(
        "server process resident memory: {rss_before:.0} MB before the load, {rss_after:.0} MB after, peak {rss_peak:.0} MB"
    );
    app.server.abort();
}
