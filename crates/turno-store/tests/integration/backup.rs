//! Backup and restore, on SQLite and on PostgreSQL: a backup taken while a writer keeps
//! writing restores to a record that verifies and equals the original as of the backup.

use crate::common::{Backend, POSTGRES_URL, Raw, TO_4_1, advance, day, new_report, unique};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;
use turno_store::{AnyStore, BackupError, RestoreMode, Store};

fn temp_path(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join("turno-store-tests");
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(unique(name))
}

/// The test's own database as a URL, as `turno --database-url` takes it.
fn url_of(raw: &Raw) -> String {
    match raw {
        Raw::Sqlite(_, path) => format!("sqlite://{}", path.display()),
        Raw::Postgres(_, schema) => format!("{POSTGRES_URL}?options[search_path]={schema}"),
    }
}

/// A new, empty place to restore into: a SQLite path that does not exist yet, or a new
/// PostgreSQL database reached with the test's schema (a schema backup restores into the
/// schema of the same name: pg_restore cannot rename it).
enum Fresh {
    Sqlite(PathBuf),
    Postgres { database: String, schema: String },
}

/// Runs a statement on the PostgreSQL server from outside any test's database, as creating
/// and dropping databases must.
async fn on_the_server(sql: &str) {
    let admin = sqlx::PgPool::connect(POSTGRES_URL).await.unwrap();
    sqlx::raw_sql(sql).execute(&admin).await.unwrap();
    admin.close().await;
}

impl Fresh {
    async fn new(raw: &Raw) -> Fresh {
        match raw {
            Raw::Sqlite(..) => Fresh::Sqlite(temp_path("restored").with_extension("db")),
            Raw::Postgres(_, schema) => {
                let database = unique("turno_restore");
                on_the_server(&format!("CREATE DATABASE {database}")).await;
                Fresh::Postgres {
                    database,
                    schema: schema.clone(),
                }
            }
        }
    }

    fn url(&self) -> String {
        match self {
            Fresh::Sqlite(path) => format!("sqlite://{}", path.display()),
            Fresh::Postgres { database, schema } => format!(
                "postgres://postgres@127.0.0.1:5432/{database}?options[search_path]={schema}"
            ),
        }
    }

    /// Puts a table in the fresh database, as an earlier use of it would have.
    async fn occupy(&self) {
        match self {
            Fresh::Sqlite(path) => {
                let pool =
                    sqlx::SqlitePool::connect(&format!("sqlite://{}?mode=rwc", path.display()))
                        .await
                        .unwrap();
                sqlx::raw_sql("CREATE TABLE intruso (x INTEGER); INSERT INTO intruso VALUES (1)")
                    .execute(&pool)
                    .await
                    .unwrap();
                pool.close().await;
            }
            Fresh::Postgres { schema, .. } => {
                let pool = sqlx::PgPool::connect(&self.url()).await.unwrap();
                sqlx::raw_sql(&format!(
                    "CREATE SCHEMA {schema}; CREATE TABLE {schema}.intruso (x INTEGER); \
                     INSERT INTO {schema}.intruso VALUES (1)"
                ))
                .execute(&pool)
                .await
                .unwrap();
                pool.close().await;
            }
        }
    }

    async fn cleanup(self) {
        match self {
            Fresh::Sqlite(path) => {
                for suffix in ["", "-wal", "-shm"] {
                    let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
                }
            }
            Fresh::Postgres { database, .. } => {
                on_the_server(&format!("DROP DATABASE {database} WITH (FORCE)")).await;
            }
        }
    }
}

fn folio(n: u64) -> String {
    format!("CAS-2026-{n:06}")
}

async fn wait_until(what: &str, done: impl Fn() -> bool) {
    for _ in 0..3000 {
        if done() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("timed out waiting until {what}");
}

async fn a_backup_taken_while_writing_restores_the_same_record<S: Backend>(store: S, raw: Raw) {
    for i in 0..4 {
        let case = new_report(&store, &format!("Informe {i}")).await;
        advance(&store, case.case_id, &day(), &TO_4_1[..i]).await;
    }

    // A writer keeps starting cases before, during and after the backup.
    let stop = Arc::new(AtomicBool::new(false));
    let written = Arc::new(AtomicU64::new(0));
    let writer = tokio::spawn({
        let (store, stop, written) = (store.clone(), stop.clone(), written.clone());
        async move {
            while !stop.load(Ordering::Relaxed) {
                new_report(&store, "Informe durante el respaldo").await;
                written.fetch_add(1, Ordering::Relaxed);
            }
        }
    });
    wait_until("the writer wrote", || written.load(Ordering::Relaxed) >= 3).await;
    let backup = temp_path("backup");
    store.any().backup(&backup).await.unwrap();
    let after_backup = written.load(Ordering::Relaxed);
    wait_until("the writer wrote after the backup", || {
        written.load(Ordering::Relaxed) >= after_backup + 3
    })
    .await;
    stop.store(true, Ordering::Relaxed);
    writer.await.unwrap();
    let total = 4 + written.load(Ordering::Relaxed);
    if let Raw::Sqlite(..) = raw {
        // The copy stands alone: no write-ahead log of its own to lose.
        assert!(!Path::new(&format!("{}-wal", backup.display())).exists());
    }

    let fresh = Fresh::new(&raw).await;
    AnyStore::restore(&fresh.url(), &backup, RestoreMode::IntoEmpty)
        .await
        .unwrap();
    let restored = AnyStore::connect(&fresh.url()).await.unwrap();
    restored.migrate().await.unwrap();
    let report = restored.verify().await.unwrap();
    assert_eq!(report.breaks, [], "the copy is consistent");
    // Everything up to the backup, nothing after the writes that followed it.
    assert!(
        report.cases >= 4 + 3 && report.cases < total,
        "{report:?} of {total}"
    );

    for n in 1..=report.cases {
        let id = store.find_case(&folio(n)).await.unwrap().unwrap();
        assert_eq!(restored.find_case(&folio(n)).await.unwrap(), Some(id));
        assert_eq!(
            restored.load_case(id).await.unwrap(),
            store.load_case(id).await.unwrap()
        );
    }
    let first_missing = folio(report.cases + 1);
    assert_eq!(restored.find_case(&first_missing).await.unwrap(), None);
    assert!(store.find_case(&first_missing).await.unwrap().is_some());
    assert_eq!(
        restored.published_procedures().await.unwrap(),
        store.published_procedures().await.unwrap()
    );

    // The restored database goes on where the backup ended.
    let next = new_report(&restored, "Informe tras la restauración").await;
    assert_eq!(next.folio, first_missing);
    advance(&restored, next.case_id, &day(), &TO_4_1[..2]).await;
    let report = restored.verify().await.unwrap();
    assert_eq!(report.breaks, []);

    drop(restored);
    let _ = std::fs::remove_file(&backup);
    fresh.cleanup().await;
}

async fn a_database_with_data_is_replaced_only_when_forced<S: Backend>(store: S, raw: Raw) {
    let case = new_report(&store, "Informe respaldado").await;
    advance(&store, case.case_id, &day(), &TO_4_1[..1]).await;
    let backup = temp_path("backup");
    store.any().backup(&backup).await.unwrap();
    let again = store.any().backup(&backup).await.unwrap_err();
    assert!(matches!(again, BackupError::Exists(_)), "{again}");

    // Its own database, in use and with data, is not overwritten.
    let own = AnyStore::restore(&url_of(&raw), &backup, RestoreMode::IntoEmpty)
        .await
        .unwrap_err();
    assert!(matches!(own, BackupError::TargetNotEmpty(_)), "{own}");
    assert_eq!(store.verify().await.unwrap().cases, 1);

    // Neither is a database that holds anything, until forced.
    let fresh = Fresh::new(&raw).await;
    fresh.occupy().await;
    let err = AnyStore::restore(&fresh.url(), &backup, RestoreMode::IntoEmpty)
        .await
        .unwrap_err();
    assert!(matches!(err, BackupError::TargetNotEmpty(_)), "{err}");
    if let Fresh::Sqlite(path) = &fresh {
        // Leftovers of the old file that SQLite would otherwise apply to the restored one.
        std::fs::write(format!("{}-wal", path.display()), b"stale log").unwrap();
        std::fs::write(format!("{}-shm", path.display()), b"stale index").unwrap();
    }
    AnyStore::restore(&fresh.url(), &backup, RestoreMode::Replace)
        .await
        .unwrap();
    if let Fresh::Sqlite(path) = &fresh {
        assert!(!Path::new(&format!("{}-wal", path.display())).exists());
        assert!(!Path::new(&format!("{}-shm", path.display())).exists());
    }

    let restored = AnyStore::connect(&fresh.url()).await.unwrap();
    let report = restored.verify().await.unwrap();
    assert_eq!(report.breaks, []);
    assert_eq!(report.cases, 1);
    assert_eq!(
        restored.load_case(case.case_id).await.unwrap(),
        store.load_case(case.case_id).await.unwrap()
    );
    match &fresh {
        Fresh::Sqlite(path) => {
            let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}", path.display()))
                .await
                .unwrap();
            let intruders: i64 =
                sqlx::query_scalar("SELECT count(*) FROM sqlite_master WHERE name = 'intruso'")
                    .fetch_one(&pool)
                    .await
                    .unwrap();
            assert_eq!(intruders, 0);
            pool.close().await;
        }
        Fresh::Postgres { database, .. } => {
            let pool =
                sqlx::PgPool::connect(&format!("postgres://postgres@127.0.0.1:5432/{database}"))
                    .await
                    .unwrap();
            let leftovers: i64 = sqlx::query_scalar(
                "SELECT count(*) FROM pg_tables WHERE tablename = 'intruso' \
                 OR schemaname LIKE '%before_restore%'",
            )
            .fetch_one(&pool)
            .await
            .unwrap();
            assert_eq!(leftovers, 0, "the replaced schema was dropped");
            pool.close().await;
        }
    }

    drop(restored);
    let _ = std::fs::remove_file(&backup);
    fresh.cleanup().await;
}

async fn a_file_that_is_not_a_backup_is_refused<S: Backend>(_store: S, raw: Raw) {
    let fake = temp_path("not_a_backup");
    std::fs::write(&fake, "esto no es un respaldo").unwrap();
    let fresh = Fresh::new(&raw).await;
    let err = AnyStore::restore(&fresh.url(), &fake, RestoreMode::IntoEmpty)
        .await
        .unwrap_err();
    assert!(matches!(err, BackupError::NotABackup { .. }), "{err}");
    let missing = AnyStore::restore(&fresh.url(), &temp_path("missing"), RestoreMode::IntoEmpty)
        .await
        .unwrap_err();
    assert!(matches!(missing, BackupError::Io { .. }), "{missing}");
    let _ = std::fs::remove_file(&fake);
    fresh.cleanup().await;
}

on_both_backends! {
    a_backup_taken_while_writing_restores_the_same_record,
    a_database_with_data_is_replaced_only_when_forced,
    a_file_that_is_not_a_backup_is_refused,
}

/// Without a schema in the URL, the whole database is backed up and restored (what
/// `turno backup` does for a PostgreSQL URL without `options[search_path]`).
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn postgres_whole_database_round_trip() {
    let (source, target) = (unique("turno_whole"), unique("turno_whole"));
    for database in [&source, &target] {
        on_the_server(&format!("CREATE DATABASE {database}")).await;
    }
    let url = |database: &str| format!("postgres://postgres@127.0.0.1:5432/{database}");

    let store = AnyStore::connect(&url(&source)).await.unwrap();
    store.migrate().await.unwrap();
    let case = new_report(&store, "Informe completo").await;
    advance(&store, case.case_id, &day(), &TO_4_1[..2]).await;
    new_report(&store, "Otro informe").await;
    let backup = temp_path("whole");
    store.backup(&backup).await.unwrap();

    AnyStore::restore(&url(&target), &backup, RestoreMode::IntoEmpty)
        .await
        .unwrap();
    let restored = AnyStore::connect(&url(&target)).await.unwrap();
    restored.migrate().await.unwrap();
    let report = restored.verify().await.unwrap();
    assert_eq!((report.cases, report.breaks), (2, vec![]));
    assert_eq!(
        restored.load_case(case.case_id).await.unwrap(),
        store.load_case(case.case_id).await.unwrap()
    );
    assert_eq!(new_report(&restored, "tercero").await.folio, folio(3));

    // Restoring again over it needs force, and then replaces it with the backup.
    let err = AnyStore::restore(&url(&target), &backup, RestoreMode::IntoEmpty)
        .await
        .unwrap_err();
    assert!(matches!(err, BackupError::TargetNotEmpty(_)), "{err}");
    AnyStore::restore(&url(&target), &backup, RestoreMode::Replace)
        .await
        .unwrap();
    assert_eq!(restored.verify().await.unwrap().cases, 2);

    drop((store, restored));
    let _ = std::fs::remove_file(&backup);
    for database in [&source, &target] {
        on_the_server(&format!("DROP DATABASE {database} WITH (FORCE)")).await;
    }
}
