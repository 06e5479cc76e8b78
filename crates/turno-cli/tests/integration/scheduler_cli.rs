//! Three `turno serve` processes on one PostgreSQL database, each with its scheduler sweeping
//! every second: a case whose terms passed long ago gets each deadline recorded once, not
//! three times, and each person of the units it is turned to receives each e-mail once (a real
//! SMTP server on loopback).

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use turno_domain::engine::Event;
use turno_notify::testing::SmtpSink;
use turno_store::notifications::Notifications;
use turno_store::{AnyStore, NewUser, Role, Store, UnitInput};

use crate::common::{OPINIONS, Running, case_at_4_1, free_port, stdout, temp_dir, turno};

const POSTGRES: &str = "postgres://postgres@127.0.0.1:5432";

/// A case of procedure 103 at 4.1 since 5 January 2026: its 7 días hábiles are long past.
async fn late_case(url: &str) -> (i64, usize) {
    let store = AnyStore::connect(url).await.unwrap();
    let then = jiff::civil::date(2026, 1, 5);
    let calendars = turno_domain::engine::Calendars::statutory();
    let ctx = turno_domain::engine::Context {
        now: then.to_zoned(jiff::tz::TimeZone::UTC).unwrap().timestamp(),
        today: then,
        calendars: &calendars,
    };
    let (case_id, _) = case_at_4_1(&store, &ctx).await;
    let open = store.load_current(case_id).await.unwrap().case.open;
    // One person with an address in each unit the work is turned to.
    for item in &open {
        let units = store
            .item_context(case_id, item.id.0)
            .await
            .unwrap()
            .unwrap()
            .units;
        for unit in units {
            store
                .upsert_unit(
                    &UnitInput {
                        code: unit.clone(),
                        name: format!("Dirección General {unit}"),
                        level: turno_domain::org::Level::DireccionGeneral,
                        parent_code: None,
                    },
                    "prueba",
                )
                .await
                .unwrap();
            let login = format!("enlace.{}", unit.to_lowercase());
            let id = store
                .create_user(
                    &NewUser {
                        login: login.clone(),
                        name: format!("Enlace de {unit}"),
                        email: Some(format!("{login}@salud.gob.mx")),
                        password_hash: None,
                    },
                    "prueba",
                )
                .await
                .unwrap();
            store
                .add_membership(id, &unit, Role::Operador, "prueba")
                .await
                .unwrap();
        }
    }
    (case_id, open.len())
}

async fn deadlines(url: &str, case: i64) -> usize {
    let store = AnyStore::connect(url).await.unwrap();
    store
        .load_case(case)
        .await
        .unwrap()
        .events
        .iter()
        .filter(|e| matches!(e.event, Event::DeadlinePassed { .. }))
        .count()
}

#[test]
fn three_processes_record_each_deadline_and_send_each_e_mail_once() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let database = format!("turno_scheduler_{}", std::process::id());
    let url = format!("{POSTGRES}/{database}");
    runtime.block_on(async {
        let admin = sqlx::PgPool::connect(&format!("{POSTGRES}/test"))
            .await
            .expect("PostgreSQL at 127.0.0.1:5432 (scripts/postgres.sh starts it)");
        sqlx::raw_sql(&format!("DROP DATABASE IF EXISTS {database}"))
            .execute(&admin)
            .await
            .unwrap();
        sqlx::raw_sql(&format!("CREATE DATABASE {database}"))
            .execute(&admin)
            .await
            .unwrap();
    });
    let (case, open) = runtime.block_on(late_case(&url));
    assert!(open > 1, "4.1 goes to several Direcciones Generales");

    let sink = SmtpSink::start().expect("the SMTP test server (scripts/test.sh installs aiosmtpd)");
    let dir = temp_dir("scheduler");
    let procedures = dir.join("procedures");
    std::fs::create_dir_all(&procedures).unwrap();
    std::fs::write(procedures.join("cnpss-103.toml"), OPINIONS).unwrap();
    let servers = Running(
        (0..3)
            .map(|_| {
                Command::new(env!("CARGO_BIN_EXE_turno"))
                    .args(["serve", "--sweep-seconds", "1", "--insecure-cookies"])
                    .arg("--addr")
                    .arg(format!("127.0.0.1:{}", free_port()))
                    .arg("--database-url")
                    .arg(&url)
                    .arg("--procedures")
                    .arg(&procedures)
                    .arg("--blobs")
                    .arg(dir.join("blobs"))
                    // One record key for every process of the database.
                    .arg("--record-key-file")
                    .arg(dir.join("record.key"))
                    .arg("--smtp-url")
                    .arg(sink.url())
                    .stdout(Stdio::null())
                    .stderr(Stdio::null())
                    .spawn()
                    .unwrap()
            })
            .collect(),
    );
    let started = Instant::now();
    while runtime.block_on(deadlines(&url, case)) == 0 {
        assert!(started.elapsed() < Duration::from_secs(60), "nobody swept");
        std::thread::sleep(Duration::from_millis(250));
    }
    let expired = |received: &[turno_notify::testing::Received]| {
        received
            .iter()
            .filter(|m| m.subject.starts_with("Plazo vencido"))
            .count()
    };
    while expired(&sink.received()) < open {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "nobody e-mailed"
        );
        std::thread::sleep(Duration::from_millis(250));
    }
    // Every process sweeps and tells a few more times.
    std::thread::sleep(Duration::from_secs(4));
    drop(servers);
    assert_eq!(
        runtime.block_on(deadlines(&url, case)),
        open,
        "once per open item"
    );
    let received = sink.received();
    assert_eq!(expired(&received), open, "{received:#?}");
    let turned = received
        .iter()
        .filter(|m| m.subject.starts_with("Turnado a"))
        .count();
    assert_eq!(turned, open, "{received:#?}");
    let mut sent: Vec<(&[String], &str)> = received
        .iter()
        .map(|m| (m.rcpt_tos.as_slice(), m.subject.as_str()))
        .collect();
    sent.sort();
    let all = sent.len();
    sent.dedup();
    assert_eq!(sent.len(), all, "no e-mail twice: {received:#?}");
    let key = dir.join("record.key");
    let verified = turno(&[
        "verify",
        "--database-url",
        &url,
        "--record-key-file",
        key.to_str().unwrap(),
    ]);
    assert!(verified.status.success(), "{}", stdout(&verified));
    // The servers signed checkpoints with the one key, which verify checked.
    assert!(
        !stdout(&verified).contains("no revisados"),
        "{}",
        stdout(&verified)
    );

    runtime.block_on(async {
        let admin = sqlx::PgPool::connect(&format!("{POSTGRES}/test"))
            .await
            .unwrap();
        let _ = sqlx::raw_sql(&format!("DROP DATABASE IF EXISTS {database} WITH (FORCE)"))
            .execute(&admin)
            .await;
    });
}
