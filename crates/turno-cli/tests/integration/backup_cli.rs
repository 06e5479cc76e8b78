//! `turno backup` and `turno restore` as a person runs them, on a SQLite database.

use std::path::Path;
use turno_app::commands::start_case;
use turno_domain::definition::parse_procedure;
use turno_domain::engine::{Actor, Calendars, Context, Start, Value};
use turno_store::{FolioRule, NewCase, SqliteStore, Store};

use crate::common::{assert_contains, stderr, stdout, temp_dir, turno_on, url};

/// Three informes started on seed procedure 000, as the web application would.
fn start_three_cases(database: &Path) {
    let text = include_str!("../../../../procedures/sidss-informes-oficiales.toml");
    let procedure = parse_procedure(text).unwrap();
    let calendars = Calendars::statutory();
    let today = jiff::civil::date(2026, 3, 2);
    let ctx = Context {
        now: today.to_zoned(jiff::tz::TimeZone::UTC).unwrap().timestamp(),
        today,
        calendars: &calendars,
    };
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let store = SqliteStore::open(&url(database)).await.unwrap();
        store
            .publish_procedure(&procedure, text, ctx.now)
            .await
            .unwrap();
        for i in 1..=3 {
            start_case(
                &store,
                &procedure,
                NewCase {
                    folio: FolioRule {
                        prefix: "CAS".into(),
                        unit: None,
                        year: 2026,
                        digits: 6,
                    },
                    title: format!("Informe {i}"),
                    channel: Some("Oficio".into()),
                    requester: Some("DGPLADES".into()),
                },
                Start {
                    by: Actor {
                        user: "ana".into(),
                        participant: None,
                        substituting: None,
                    },
                    fields: [
                        ("tipo_informe", Value::Text("Informe trimestral".into())),
                        ("direccion_general", Value::Text("DGPLADES".into())),
                    ]
                    .into_iter()
                    .map(|(k, v)| (k.to_owned(), v))
                    .collect(),
                },
                &ctx,
                None,
            )
            .await
            .unwrap();
        }
    });
}

#[test]
fn a_sqlite_database_round_trips_through_backup_and_restore() {
    let dir = temp_dir("backup");
    let live = dir.join("turno.db");
    let backup = dir.join("respaldo.db");
    let restored = dir.join("restaurada.db");
    let (live_url, restored_url) = (url(&live), url(&restored));
    let backup_arg = backup.to_str().unwrap();

    let out = turno_on(&live_url, &["migrate"]);
    assert!(out.status.success(), "{}", stderr(&out));
    start_three_cases(&live);

    let out = turno_on(&live_url, &["backup", backup_arg]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        stdout(&out).trim(),
        format!("respaldo escrito en {}", backup.display())
    );
    let again = turno_on(&live_url, &["backup", backup_arg]);
    assert_eq!(again.status.code(), Some(1));
    assert!(stderr(&again).contains("ya existe"), "{}", stderr(&again));

    let out = turno_on(&restored_url, &["restore", backup_arg]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert_contains(
        &text,
        &format!("base de datos restaurada desde {}", backup.display()),
    );
    assert_contains(&text, "registro íntegro: 3 asuntos, 6 eventos");

    // A database with data is replaced only when asked to.
    let refused = turno_on(&restored_url, &["restore", backup_arg]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(stderr(&refused).contains("--force"), "{}", stderr(&refused));
    let forced = turno_on(&restored_url, &["restore", backup_arg, "--force"]);
    assert!(forced.status.success(), "{}", stderr(&forced));

    let out = turno_on(&restored_url, &["verify"]);
    assert!(out.status.success(), "{}", stdout(&out));
    assert!(
        stdout(&out).contains("registro íntegro: 3 asuntos, 6 eventos"),
        "{}",
        stdout(&out)
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn bad_inputs_fail_with_a_message() {
    let dir = temp_dir("backup-bad");
    let missing = url(&dir.join("no-existe.db"));
    let out = turno_on(&missing, &["backup", "x.db"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("no existe"), "{}", stderr(&out));
    assert!(!dir.join("no-existe.db").exists(), "no database is created");

    let fake = dir.join("falso.db");
    std::fs::write(&fake, "esto no es un respaldo").unwrap();
    let target = url(&dir.join("destino.db"));
    let out = turno_on(&target, &["restore", fake.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("not a usable backup"),
        "{}",
        stderr(&out)
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Issue 16, hole 9: `turno migrate` creates the record key (owner only), `turno verify
/// --checkpoint` signs a checkpoint, and a rewrite the chains cannot show (a case removed
/// with its folio counter lowered) and another they can (a unit given a case's work) are both
/// reported, with a non-zero exit.
#[test]
fn verify_reports_every_break_against_the_signed_checkpoint() {
    let dir = temp_dir("seal");
    let live = dir.join("turno.db");
    let live_url = url(&live);
    let out = turno_on(&live_url, &["migrate"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let key = dir.join("record.key");
    assert!(
        stderr(&out).contains("clave del registro creada"),
        "{}",
        stderr(&out)
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&key).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    start_three_cases(&live);
    let out = turno_on(&live_url, &["verify", "--checkpoint"]);
    assert!(out.status.success(), "{}", stdout(&out));
    assert_contains(&stdout(&out), "punto de control firmado: 3 asuntos");

    tokio::runtime::Runtime::new().unwrap().block_on(async {
        let pool = sqlx::SqlitePool::connect(&live_url).await.unwrap();
        sqlx::raw_sql(
            "DROP TRIGGER events_append_only_delete; \
             DELETE FROM events WHERE case_id = 3; DELETE FROM work_item_units WHERE case_id = 3; \
             DELETE FROM work_items WHERE case_id = 3; DELETE FROM cases WHERE id = 3; \
             UPDATE folio_counters SET last = last - 1; \
             INSERT INTO work_item_units (unit_code, case_id, item, due, open) \
             VALUES ('DGRI', 1, 1, '9999-12-31', TRUE)",
        )
        .execute(&pool)
        .await
        .unwrap();
        pool.close().await;
    });
    let out = turno_on(&live_url, &["verify"]);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    let text = stdout(&out);
    assert_contains(&text, "la unidad DGRI ve la tarea 1");
    assert_contains(&text, "CAS-2026-000003: eliminado");
    assert_contains(&text, "el contador bajó de 3");
    assert_contains(&text, "3 alteraciones encontradas");

    // Without the key the rest is still checked, and the output says what was not.
    std::fs::remove_file(&key).unwrap();
    let out = turno_on(&live_url, &["verify"]);
    assert_eq!(out.status.code(), Some(1));
    assert_contains(&stdout(&out), "no revisados (sin la clave del registro)");
}
