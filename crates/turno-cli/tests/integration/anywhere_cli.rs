//! The one binary: `turno demo`, `turno serve` and the file commands run from an empty folder,
//! with no repository around, on the procedures, organizations and calendars built into
//! `turno`; a folder named on the command line is read instead.

use std::io::{Read as _, Write as _};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Command, Output};
use std::time::{Duration, Instant};
use turno_store::{SqliteStore, Store};

use crate::common::{OPINIONS, Running, assert_contains, free_port, stderr, stdout, temp_dir, url};

/// The seed library: the 15 procedures of the manuals, Turno's volante de trámite and the four
/// definitions of issue 19.
const SEED_PROCEDURES: usize = 20;

/// The demo's cases of each colour of the semáforo, at most.
const SEMAFORO_CASES: i64 = 3;

/// `turno` in `dir`, with nothing from the environment that names a database or a folder.
fn turno_in(dir: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_turno"));
    command
        .current_dir(dir)
        .env_remove("TURNO_DATABASE_URL")
        .env_remove("TURNO_PROCEDURES")
        .env_remove("TURNO_CONFIG");
    command
}

fn run_in(dir: &Path, args: &[&str]) -> Output {
    turno_in(dir).args(args).output().unwrap()
}

/// `turno ARGS --addr ADDR` started in `dir`, once it answers on ADDR; its log in `turno.log`.
pub(crate) fn start(dir: &Path, addr: &str, args: &[&str]) -> Running {
    let log = dir.join("turno.log");
    let child = turno_in(dir)
        .args(args)
        .args(["--addr", addr])
        .stdout(std::fs::File::create(dir.join("turno.out")).unwrap())
        .stderr(std::fs::File::create(&log).unwrap())
        .spawn()
        .unwrap();
    let mut running = Running(vec![child]);
    let started = Instant::now();
    while TcpStream::connect(addr).is_err() {
        if let Some(status) = running.0[0].try_wait().unwrap() {
            panic!(
                "turno {args:?} stopped ({status}):\n{}",
                std::fs::read_to_string(&log).unwrap()
            );
        }
        assert!(
            started.elapsed() < Duration::from_secs(300),
            "turno {args:?} never listened"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    running
}

/// The whole answer to `GET path`, status line first.
fn get(addr: &str, path: &str, token: Option<&str>) -> String {
    let mut stream = TcpStream::connect(addr).unwrap();
    let authorization = token
        .map(|t| format!("Authorization: Bearer {t}\r\n"))
        .unwrap_or_default();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\n{authorization}Connection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    response
}

/// The keys of the procedures published in a SQLite database.
fn published(database: &Path) -> Vec<String> {
    tokio::runtime::Runtime::new().unwrap().block_on(async {
        let store = SqliteStore::open(&url(database)).await.unwrap();
        let mut keys: Vec<String> = store
            .published_procedures()
            .await
            .unwrap()
            .into_iter()
            .map(|p| p.key)
            .collect();
        keys.sort();
        keys
    })
}

#[test]
fn the_demo_runs_from_an_empty_folder_on_the_data_built_in() {
    let dir = temp_dir("anywhere-demo");
    let addr = format!("127.0.0.1:{}", free_port());
    let demo = start(&dir, &addr, &["demo"]);
    let printed = std::fs::read_to_string(dir.join("turno.out")).unwrap();
    assert_contains(&printed, "secretario");
    let health = get(&addr, "/healthz", None);
    assert!(health.starts_with("HTTP/1.1 200"), "{health}");
    let page = get(&addr, "/acceso", None);
    assert!(
        page.starts_with("HTTP/1.1 200") && page.contains("Contraseña"),
        "{page}"
    );
    let css = get(&addr, "/static/turno.css", None);
    assert!(css.starts_with("HTTP/1.1 200"), "{css}");

    // The library the demo serves, through the API.
    let database = dir.join("turno-demo.db");
    let out = crate::token_cli::create(&url(&database), "admin", "prueba");
    assert!(out.status.success(), "{}", stderr(&out));
    let token = stdout(&out).trim().to_owned();
    let catalog = get(&addr, "/api/v1/procedures", Some(&token));
    assert!(catalog.starts_with("HTTP/1.1 200"), "{catalog}");
    for key in ["cnpss-94", "sidss-informes-oficiales", "sinac-volante"] {
        assert!(catalog.contains(key), "{key}: {catalog}");
    }
    drop(demo);

    // What it seeded: every procedure with three cases, the seeds' units, the DOF calendars.
    assert_eq!(published(&database).len(), SEED_PROCEDURES);
    let (units, entries) = tokio::runtime::Runtime::new().unwrap().block_on(async {
        let store = SqliteStore::open(&url(&database)).await.unwrap();
        let units = store.units().await.unwrap().len();
        let entries = store.calendar().await.unwrap().entries.len();
        (units, entries)
    });
    assert!(units > 200, "{units} units");
    assert!(entries > 0, "the DOF agreements");
    let (cases, scheduled): (i64, i64) = tokio::runtime::Runtime::new().unwrap().block_on(async {
        let pool = sqlx::SqlitePool::connect(&url(&database)).await.unwrap();
        let cases = sqlx::query_scalar(
            "SELECT COUNT(*) FROM cases WHERE folio NOT IN \
             (SELECT case_folio FROM schedule_occurrences)",
        )
        .fetch_one(&pool)
        .await
        .unwrap();
        let scheduled = sqlx::query_scalar("SELECT COUNT(*) FROM schedule_occurrences")
            .fetch_one(&pool)
            .await
            .unwrap();
        (cases, scheduled)
    });
    // The recurring work opened its past occurrences by itself (seed 000's semestral and
    // monthly informes).
    assert!(scheduled > 0, "no occurrence opened by the schedules");
    // Besides those: up to three of each colour of the semáforo, as the seeds' terms allow on
    // the day; and the one an incoming document started.
    assert!(
        (3 * SEED_PROCEDURES as i64 + 4..=3 * SEED_PROCEDURES as i64 + 3 * SEMAFORO_CASES + 1)
            .contains(&cases),
        "{cases} cases"
    );
    // Incoming correspondence at every stage: registered only, turned and open, read «para
    // conocimiento», returned, answered; one that started a case; and the internal outgoing
    // documents dispatched, arrived in their addressees' registers (three of the Secretario
    // Técnico's, one of the IMSS's); and one turned to a person, answered by an oficio.
    let (documents, statuses, linked, arrived, by_person): (i64, Vec<String>, i64, i64, i64) =
        tokio::runtime::Runtime::new().unwrap().block_on(async {
            let pool = sqlx::SqlitePool::connect(&url(&database)).await.unwrap();
            let documents = sqlx::query_scalar("SELECT COUNT(*) FROM incoming_documents")
                .fetch_one(&pool)
                .await
                .unwrap();
            let statuses =
                sqlx::query_scalar("SELECT DISTINCT status FROM incoming_turns ORDER BY status")
                    .fetch_all(&pool)
                    .await
                    .unwrap();
            let linked = sqlx::query_scalar(
                "SELECT COUNT(*) FROM incoming_documents WHERE case_folio IS NOT NULL",
            )
            .fetch_one(&pool)
            .await
            .unwrap();
            let arrived = sqlx::query_scalar(
                "SELECT COUNT(*) FROM incoming_documents WHERE from_outgoing IS NOT NULL",
            )
            .fetch_one(&pool)
            .await
            .unwrap();
            let by_person = sqlx::query_scalar(
                "SELECT COUNT(*) FROM incoming_turns t JOIN outgoing_documents o \
                 ON o.answers_turn = t.id WHERE t.person IS NOT NULL AND t.status = 'atendido'",
            )
            .fetch_one(&pool)
            .await
            .unwrap();
            (documents, statuses, linked, arrived, by_person)
        });
    assert_eq!(documents, 9 + 4);
    // The demo's certification authority: each signer's `.cer` and `.key` written, the keys'
    // password printed; the demo's cases passed their signed activities with those keys; an
    // oficio signed with e.firma by one signer and one by two, in order.
    assert_contains(&printed, "efirma-demo");
    for login in ["secretario", "asesores", "dgcef", "doye"] {
        for extension in ["cer", "key"] {
            let file = dir.join("demo-efirma").join(format!("{login}.{extension}"));
            assert!(file.is_file(), "{}", file.display());
        }
    }
    let (signed_activities, signers): (i64, Vec<(i64, i64)>) =
        tokio::runtime::Runtime::new().unwrap().block_on(async {
            let pool = sqlx::SqlitePool::connect(&url(&database)).await.unwrap();
            let signed = sqlx::query_scalar(
                "SELECT COUNT(*) FROM events WHERE kind = 'work_completed' \
                 AND payload LIKE '%\"signature\"%'",
            )
            .fetch_one(&pool)
            .await
            .unwrap();
            let signers = sqlx::query_as(
                "SELECT document_id, COUNT(*) FROM outgoing_signatures \
                 GROUP BY document_id ORDER BY document_id",
            )
            .fetch_all(&pool)
            .await
            .unwrap();
            (signed, signers)
        });
    assert!(signed_activities > 0, "no activity signed in the demo");
    let counts: Vec<i64> = signers.iter().map(|(_, n)| *n).collect();
    assert_eq!(counts, [1, 2], "{signers:?}");
    assert_eq!((linked, arrived, by_person), (1, 4, 1));
    assert_eq!(statuses, ["abierto", "atendido", "devuelto", "leido"]);
    // Open work of every colour of the semáforo, as the inbox reads it today, and the overdue
    // ones recorded as such.
    let (open, passed): (Vec<(String, String)>, i64) =
        tokio::runtime::Runtime::new().unwrap().block_on(async {
            let pool = sqlx::SqlitePool::connect(&url(&database)).await.unwrap();
            let open = sqlx::query_as(
                "SELECT opened_at, due FROM work_items WHERE state = 'open' AND due IS NOT NULL",
            )
            .fetch_all(&pool)
            .await
            .unwrap();
            let passed =
                sqlx::query_scalar("SELECT COUNT(*) FROM events WHERE kind = 'deadline_passed'")
                    .fetch_one(&pool)
                    .await
                    .unwrap();
            (open, passed)
        });
    let zone = jiff::tz::TimeZone::get("America/Mexico_City").unwrap();
    let today = jiff::Zoned::now().with_time_zone(zone.clone()).date();
    let colours: std::collections::HashSet<&str> = open
        .iter()
        .map(|(opened_at, due)| {
            let opened = opened_at.parse::<jiff::Timestamp>().unwrap();
            let opened = opened.to_zoned(zone.clone()).date();
            turno_domain::engine::Thresholds::default()
                .status(opened, due.parse().unwrap(), today)
                .color()
        })
        .collect();
    for colour in ["verde", "amarillo", "rojo"] {
        assert!(colours.contains(colour), "{colour}: {colours:?}");
    }
    assert!(passed >= 1, "{passed} deadlines passed");

    // Its record verifies whole, each unit's outgoing numbers included; a counter moved by
    // hand, or a signed document removed, is reported, and `turno verify` fails.
    let verify = || crate::common::turno_on(&url(&database), &["verify"]);
    let out = verify();
    assert!(out.status.success(), "{}", stdout(&out));
    assert_contains(&stdout(&out), "números de salida de ");
    let tamper = |sql: &str| {
        tokio::runtime::Runtime::new().unwrap().block_on(async {
            let pool = sqlx::SqlitePool::connect(&url(&database)).await.unwrap();
            sqlx::raw_sql(sql).execute(&pool).await.unwrap();
            pool.close().await;
        })
    };
    tamper("UPDATE outgoing_counters SET last = last + 1");
    let out = verify();
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    assert_contains(&stdout(&out), "registro alterado: números de salida de ");
    assert_contains(&stdout(&out), "faltantes 1");
    tamper("UPDATE outgoing_counters SET last = last - 1");
    assert!(verify().status.success());
    tamper(
        "DELETE FROM outgoing_steps WHERE document_id = (SELECT MIN(id) FROM outgoing_documents \
         WHERE number_n IS NOT NULL); \
         DELETE FROM outgoing_recipients WHERE document_id = (SELECT MIN(id) FROM \
         outgoing_documents WHERE number_n IS NOT NULL); \
         DELETE FROM outgoing_reviewers WHERE document_id = (SELECT MIN(id) FROM \
         outgoing_documents WHERE number_n IS NOT NULL); \
         DELETE FROM outgoing_documents WHERE id = (SELECT MIN(id) FROM outgoing_documents \
         WHERE number_n IS NOT NULL)",
    );
    let out = verify();
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    assert_contains(&stdout(&out), "registro alterado: números de salida de ");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn serve_runs_from_an_empty_folder_and_a_named_folder_wins() {
    let dir = temp_dir("anywhere-serve");
    let mine = dir.join("mis-procedimientos");
    std::fs::create_dir_all(&mine).unwrap();
    std::fs::write(mine.join("cnpss-103.toml"), OPINIONS).unwrap();
    let database = dir.join("turno.db");

    // The agency's own library, named.
    let addr = format!("127.0.0.1:{}", free_port());
    let served = start(
        &dir,
        &addr,
        &["serve", "--procedures", "mis-procedimientos"],
    );
    let health = get(&addr, "/healthz", None);
    assert!(health.starts_with("HTTP/1.1 200"), "{health}");
    drop(served);
    assert_eq!(published(&database), ["cnpss-103"]);

    // Nothing named: the library built in, on the same database (`sqlite://turno.db`).
    let addr = format!("127.0.0.1:{}", free_port());
    let served = start(&dir, &addr, &["serve"]);
    let health = get(&addr, "/healthz", None);
    assert!(health.starts_with("HTTP/1.1 200"), "{health}");
    drop(served);
    assert_eq!(published(&database).len(), SEED_PROCEDURES);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_file_commands_read_the_data_built_in_from_an_empty_folder() {
    let dir = temp_dir("anywhere-files");
    let out = run_in(&dir, &["procedures", "list"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out).lines().count(), SEED_PROCEDURES);

    // The DOF agreements built in (`calendar holidays|add|count`: calendar_cli).
    let db = url(&dir.join("turno.db"));
    assert!(
        run_in(&dir, &["migrate", "--database-url", &db])
            .status
            .success()
    );
    let out = run_in(&dir, &["calendar", "import", "--database-url", &db]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("agregado: 2026-04-02 Jueves Santo [lfpa]"),
        "{}",
        stdout(&out)
    );
    let _ = std::fs::remove_dir_all(&dir);
}
