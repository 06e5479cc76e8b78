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

use std::process::Command;
use std::sync::Arc;
use std::time::Instant;
use turno_domain::engine::Calendars;
use turno_domain::library::Source;
use turno_store::blobs::LocalBlobs;
use turno_store::{AnyStore, NewUser, PgStore, Role, SqliteStore, Store, UnitInput};
use turno_web::AppState;

const POSTGRES_URL: &str = "postgres://postgres@127.0.0.1:5432/test";
const UNITS: u64 = 200;
const PASSWORD: &str = "contraseña de prueba";

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
    let dir = std::env::temp_dir().join(format!("turno-web-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();

    let sqlite = SqliteStore::open(dir.join("inbox.db").to_str().unwrap())
        .await
        .unwrap();
    measure("SQLite", AnyStore::Sqlite(sqlite), cases, seconds, &dir).await;

    let schema = format!("turno_bench_web_{}", std::process::id());
    let admin = sqlx::PgPool::connect(POSTGRES_URL)
        .await
        .expect("PostgreSQL at 127.0.0.1:5432");
    sqlx::raw_sql(&format!("CREATE SCHEMA {schema}"))
        .execute(&admin)
        .await
        .unwrap();
    let options: sqlx::postgres::PgConnectOptions = POSTGRES_URL.parse().unwrap();
    let pg = PgStore::connect_with(options.options([("search_path", schema.as_str())]))
        .await
        .unwrap();
    measure("PostgreSQL", AnyStore::Postgres(pg), cases, seconds, &dir).await;
    sqlx::raw_sql(&format!("DROP SCHEMA {schema} CASCADE"))
        .execute(&admin)
        .await
        .unwrap();
    let _ = std::fs::remove_dir_all(&dir);
}

async fn measure(name: &str, store: AnyStore, cases: u64, seconds: u64, dir: &std::path::Path) {
    store.migrate().await.unwrap();
    let started = Instant::now();
    let text = include_str!("../../../procedures/sidss-informes-oficiales.toml");
    let procedure = turno_domain::definition::parse_procedure(text).unwrap();
    turno_store::fixtures::fill_inbox(&store, &procedure, text, cases, UNITS)
        .await
        .unwrap();
    println!(
        "== {name}: {cases} cases filled in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    store
        .upsert_unit(
            &UnitInput {
                code: "U7".into(),
                name: "Unidad de prueba".into(),
                level: turno_domain::org::Level::Unidad,
                parent_code: None,
            },
            "bench",
        )
        .await
        .unwrap();
    let user = store
        .create_user(
            &NewUser {
                login: "bandeja".into(),
                name: "Persona de la unidad U7".into(),
                email: None,
                password_hash: Some(turno_web::auth::hash_password(PASSWORD).unwrap()),
            },
            "bench",
        )
        .await
        .unwrap();
    store
        .add_membership(user, "U7", Role::Operador, "bench")
        .await
        .unwrap();
    let library = turno_app::library::load(
        &store,
        &[Source {
            name: "sidss-informes-oficiales.toml",
            text,
        }],
        jiff::Timestamp::now(),
    )
    .await
    .unwrap();
    let state = AppState {
        app: turno_app::App {
            store,
            library: Arc::new(library),
            calendars: turno_app::LiveCalendars::new(0, Calendars::statutory()),
            blobs: Arc::new(LocalBlobs::new(dir.join("blobs"))),
            time_zone: jiff::tz::TimeZone::get("America/Mexico_City").unwrap(),
            clock: turno_app::Clock::System,
            thresholds: Default::default(),
        },
        secure_cookies: false,
        trust_forwarded_for: false,
        notifier: turno_notify::Notifier::new(Default::default(), None),
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let server = tokio::spawn(turno_web::serve(listener, state));

    // Sign in like a browser, then hand the session cookie to wrk.
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let page = client.get(format!("{base}/acceso")).send().await.unwrap();
    let html = page.text().await.unwrap();
    let at = html.find("name=\"csrf\" value=\"").unwrap() + "name=\"csrf\" value=\"".len();
    let csrf = html[at..at + 64].to_owned();
    let signed = client
        .post(format!("{base}/acceso"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("login", "bandeja"),
            ("password", PASSWORD),
            ("next", ""),
        ])
        .send()
        .await
        .unwrap();
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
    let inbox = client
        .get(format!("{base}/bandeja"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
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
    server.abort();
}
