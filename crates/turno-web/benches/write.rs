//! The whole write path: "Atender" (completing an activity) through HTTP by 64 concurrent
//! clients, through the JSON API and through the page form, over 1,000,000 stored cases; beside
//! the store's own rate for the same work (32 writers calling the command service in this
//! process) in the same run, on SQLite and on PostgreSQL.
//!
//! Run: `cargo bench -p turno-web --bench write` (PostgreSQL at 127.0.0.1:5432).
//! `TURNO_BENCH_BACKEND` (`sqlite`, `postgres`; both by default), `TURNO_BENCH_CASES` (stored
//! cases, 1,000,000) and `TURNO_BENCH_SECONDS` (each measurement, 15) change the run.
//!
//! Clients, server and database share this machine: every figure is a rate of the whole
//! machine, and the ratio to the store's figure is what to compare across machines.

#![allow(
    clippy::print_stdout,
    clippy::unwrap_used,
    clippy::panic,
    reason = "a benchmark prints its measurements and stops at its first failure"
)]

#[path = "../tests/integration/test_app.rs"]
mod test_app;

use std::sync::Arc;
use std::time::{Duration, Instant};
use test_app::{Backend, Browser, Database, PASSWORD, SEED, hidden};
use tokio::sync::Mutex;
use turno_app::commands::{OnCase, complete_work, start_case};
use turno_domain::definition::{Procedure, parse_procedure};
use turno_domain::engine::{Actor, Calendars, Complete, Context, Start, Value, WorkItemId};
use turno_store::{AnyStore, CaseId, FolioRule, NewCase, Role, Store};
/// Units the stored cases are spread over (as the inbox benchmark).
const UNITS: u64 = 200;
const CLIENTS: usize = 64;
const STORE_WRITERS: usize = 32;

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

#[tokio::main]
async fn main() {
    let cases = env_number("TURNO_BENCH_CASES", 1_000_000);
    let seconds = Duration::from_secs(env_number("TURNO_BENCH_SECONDS", 15));
    let backend = std::env::var("TURNO_BENCH_BACKEND").unwrap_or_default();
    for (name, chosen, which) in [
        ("SQLite", "sqlite", Backend::Sqlite),
        ("PostgreSQL", "postgres", Backend::Postgres),
    ] {
        if backend.is_empty() || backend == chosen {
            let database = Database::fresh(which).await;
            measure(name, &database, cases, seconds).await;
            Database::remove(database.schema, database.file).await;
        }
    }
}

/// Completions counted and each one's latency.
#[derive(Default)]
struct Tally {
    latencies: Vec<Duration>,
}

impl Tally {
    fn report(&mut self, what: &str, elapsed: Duration, store_rate: Option<f64>) -> f64 {
        self.latencies.sort();
        let n = self.latencies.len();
        let at = |q: f64| self.latencies[((n as f64 * q) as usize).min(n - 1)].as_secs_f64() * 1e3;
        let rate = n as f64 / elapsed.as_secs_f64();
        let ratio = store_rate
            .map(|s| format!(" = {:.2} × the store's", rate / s))
            .unwrap_or_default();
        println!(
            "{what}: {rate:.0} completions/s{ratio}, p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
            at(0.50),
            at(0.99),
            at(1.0)
        );
        rate
    }
}

/// Sends `request`, timed into `tally`; it must answer `status`.
async fn timed(tally: &Mutex<Tally>, status: u16, request: reqwest::RequestBuilder) {
    let at = Instant::now();
    let answer = request.send().await.unwrap();
    assert_eq!(answer.status(), status, "{}", answer.text().await.unwrap());
    tally.lock().await.latencies.push(at.elapsed());
}

/// Waits for the `tasks` started at `started`, then reports what `tally` counted as `what`.
async fn finish(
    tasks: Vec<tokio::task::JoinHandle<()>>,
    tally: &Mutex<Tally>,
    started: Instant,
    what: &str,
    store_rate: Option<f64>,
) -> f64 {
    for t in tasks {
        t.await.unwrap();
    }
    let elapsed = started.elapsed();
    tally.lock().await.report(what, elapsed, store_rate)
}

async fn measure(name: &str, database: &Database, cases: u64, seconds: Duration) {
    let store = &database.store;
    let procedure = Arc::new(parse_procedure(SEED.text).unwrap());
    let started = Instant::now();
    turno_store::fixtures::fill_inbox(store, &procedure, SEED.text, cases, UNITS)
        .await
        .unwrap();
    println!(
        "== {name}: {cases} cases stored in {:.1} s; {} s per measurement",
        started.elapsed().as_secs_f64(),
        seconds.as_secs()
    );
    let token = bench_person(database).await;
    let app = database.app().procedure(SEED).serve().await;
    let base = app.address.clone();

    let calendars = Arc::new(Calendars::statutory());
    let own = started_cases(store, &procedure, &calendars, STORE_WRITERS, "ALM").await;
    let store_rate = through_store(store, &procedure, &calendars, own, seconds).await;

    let api = started_cases(store, &procedure, &calendars, CLIENTS, "API").await;
    through_api(&base, &token, api, seconds, store_rate).await;

    let page = started_cases(store, &procedure, &calendars, CLIENTS, "PAG").await;
    through_pages(&base, page, seconds, store_rate).await;
    app.server.abort();
}

/// The person who acts: titular of both units of seed 000, with an API token.
async fn bench_person(database: &Database) -> String {
    database.add_unit("SIDSS-ST", "Secretario Técnico").await;
    database
        .add_unit("SIDSS-CAS", "Coordinación de Asesores")
        .await;
    let user = database
        .add_person(
            "bench",
            None,
            &[("SIDSS-ST", Role::Titular), ("SIDSS-CAS", Role::Titular)],
        )
        .await;
    let (token, digest) = turno_web::api::token::generate();
    database
        .store
        .create_api_token(user, "carga", &digest)
        .await
        .unwrap();
    token
}

fn ctx(calendars: &Calendars) -> Context<'_> {
    Context {
        now: jiff::Timestamp::now(),
        today: jiff::civil::date(2026, 3, 2),
        calendars,
    }
}

fn by() -> Actor {
    Actor {
        user: "bench".into(),
        participant: None,
        substituting: None,
    }
}

/// `n` new cases of seed 000 with folios of their own `series`, each with its first activity open.
async fn started_cases(
    store: &AnyStore,
    procedure: &Procedure,
    calendars: &Calendars,
    n: usize,
    series: &str,
) -> Vec<(CaseId, String)> {
    let mut cases = Vec::new();
    for i in 0..n {
        let fields = [
            ("tipo_informe", Value::Text("Informe trimestral".into())),
            ("direccion_general", Value::Text("DGPLADES".into())),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v))
        .collect();
        let committed = start_case(
            store,
            procedure,
            NewCase {
                folio: FolioRule {
                    prefix: series.into(),
                    unit: None,
                    year: 2026,
                    digits: 6,
                },
                title: format!("Informe {i}"),
                channel: None,
                requester: None,
            },
            Start { by: by(), fields },
            &ctx(calendars),
            None,
        )
        .await
        .unwrap();
        cases.push((committed.case_id, committed.folio));
    }
    cases
}

/// The answer that keeps a case of seed 000 working for ever: the review (2.2) says «No»
/// and returns to 1.2.
fn outcome(activity: &str) -> Option<&'static str> {
    (activity == "2.2").then_some("No")
}

/// The store's own figure: 32 writers completing through the command service, no HTTP.
async fn through_store(
    store: &AnyStore,
    procedure: &Arc<Procedure>,
    calendars: &Arc<Calendars>,
    cases: Vec<(CaseId, String)>,
    seconds: Duration,
) -> f64 {
    let tally = Arc::new(Mutex::new(Tally::default()));
    let started = Instant::now();
    let mut tasks = Vec::new();
    for (case_id, _) in cases {
        let (store, procedure, calendars, tally) = (
            store.clone(),
            procedure.clone(),
            calendars.clone(),
            tally.clone(),
        );
        tasks.push(tokio::spawn(async move {
            while started.elapsed() < seconds {
                let at = Instant::now();
                let current = store.load_current(case_id).await.unwrap();
                let item = current.case.open[0].clone();
                let number = &procedure.activity(item.activity).number;
                let ctx = ctx(&calendars);
                complete_work(
                    &store,
                    OnCase::new(&procedure, case_id, &ctx).seen(current.head.version),
                    Complete {
                        item: WorkItemId(item.id.0),
                        by: by(),
                        outcome: outcome(number).map(str::to_owned),
                        fields: Default::default(),
                        observations: None,
                        signature: None,
                    },
                )
                .await
                .unwrap();
                tally.lock().await.latencies.push(at.elapsed());
            }
        }));
    }
    let what = format!("store, {STORE_WRITERS} writers (load + complete, in process)");
    finish(tasks, &tally, started, &what, None).await
}

/// 64 API clients: each reads its case without its record (`GET /api/v1/cases/{folio}?events=false`)
/// for the open item and version, then completes it (`POST …/work/{item}`); the POST is what
/// is timed. Each client keeps its connection (reqwest's pool), as a program would.
async fn through_api(
    base: &str,
    token: &str,
    cases: Vec<(CaseId, String)>,
    seconds: Duration,
    store_rate: f64,
) {
    let tally = Arc::new(Mutex::new(Tally::default()));
    let started = Instant::now();
    let mut tasks = Vec::new();
    for (_, folio) in cases {
        let client = reqwest::Client::new();
        let (base, token, tally) = (base.to_owned(), token.to_owned(), tally.clone());
        tasks.push(tokio::spawn(async move {
            let bearer = format!("Bearer {token}");
            while started.elapsed() < seconds {
                let case: serde_json::Value = client
                    .get(format!("{base}/api/v1/cases/{folio}?events=false"))
                    .header("authorization", &bearer)
                    .send()
                    .await
                    .unwrap()
                    .json()
                    .await
                    .unwrap();
                let work = &case["open_work"][0];
                let body = serde_json::json!({
                    "version": case["version"],
                    "outcome": outcome(work["activity"].as_str().unwrap()),
                });
                let post = client
                    .post(format!("{base}/api/v1/cases/{folio}/work/{}", work["item"]))
                    .header("authorization", &bearer)
                    .json(&body);
                timed(&tally, 200, post).await;
            }
        }));
    }
    let what = format!("API, {CLIENTS} clients (POST …/work/{{item}})");
    finish(tasks, &tally, started, &what, Some(store_rate)).await;
}

/// A signed-in browser: its client keeps the session cookie.
async fn signed_in(base: &str) -> reqwest::Client {
    let browser = Browser::new(base);
    let signed = browser.sign_in("bench", PASSWORD).await;
    assert_eq!(signed.status(), 303, "signed in");
    browser.client
}

/// 64 browsers: each opens its case's page, then sends the «Atender» form of the open
/// activity (`POST /asuntos/{folio}/atender`, answered with a redirect); the POST is timed.
async fn through_pages(
    base: &str,
    cases: Vec<(CaseId, String)>,
    seconds: Duration,
    store_rate: f64,
) {
    let mut browsers = Vec::new();
    for case in cases {
        browsers.push((signed_in(base).await, case));
    }
    let tally = Arc::new(Mutex::new(Tally::default()));
    let started = Instant::now();
    let mut tasks = Vec::new();
    for (client, (_, folio)) in browsers {
        let (base, tally) = (base.to_owned(), tally.clone());
        tasks.push(tokio::spawn(async move {
            let action = format!("action=\"/asuntos/{folio}/atender\"");
            while started.elapsed() < seconds {
                let html = client
                    .get(format!("{base}/asuntos/{folio}"))
                    .send()
                    .await
                    .unwrap()
                    .text()
                    .await
                    .unwrap();
                let form = &html[html.find(&action).expect("the «Atender» form")..];
                let mut fields = vec![
                    ("csrf", hidden(form, "csrf")),
                    ("item", hidden(form, "item")),
                    ("version", hidden(form, "version")),
                ];
                if form.contains("name=\"outcome\"") {
                    fields.push(("outcome", "No".to_owned()));
                }
                let post = client
                    .post(format!("{base}/asuntos/{folio}/atender"))
                    .form(&fields);
                timed(&tally, 303, post).await;
            }
        }));
    }
    let what = format!("pages, {CLIENTS} browsers (POST /asuntos/{{folio}}/atender)");
    finish(tasks, &tally, started, &what, Some(store_rate)).await;
}
