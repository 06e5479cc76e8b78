//! Fresh, isolated databases for each test: a new SQLite file, or a new schema on the
//! PostgreSQL at 127.0.0.1:5432 (user postgres, database test). An unreachable PostgreSQL
//! fails the test: it is never skipped.

#![allow(dead_code)]

use jiff::civil::{Date, date};
use sqlx::postgres::PgConnectOptions;
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU32, Ordering};
use turno_app::commands::{OnCase, complete_work, start_case};
use turno_domain::definition::{Procedure, parse_procedure};
use turno_domain::engine::{Actor, Calendars, Complete, Context, Start, Value};
use turno_domain::simulate::simulated_signature;
use turno_store::{Committed, FolioRule, NewCase, NewUser, PgStore, SqliteStore, Store};

static COUNTER: AtomicU32 = AtomicU32::new(0);

pub fn unique(prefix: &str) -> String {
    format!(
        "{prefix}_{}_{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    )
}

/// A connection of the test's own to the store's database, to tamper with it as someone with
/// access to the database could.
pub enum Raw {
    Sqlite(sqlx::SqlitePool, std::path::PathBuf),
    Postgres(sqlx::PgPool, String),
}

impl Raw {
    /// Removes the test's database; a test that fails keeps it for inspection (and
    /// `scripts/postgres.sh` clears leftover schemas before the next run).
    pub async fn cleanup(self) {
        match self {
            Raw::Sqlite(pool, path) => {
                pool.close().await;
                for suffix in ["", "-wal", "-shm"] {
                    let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
                }
            }
            Raw::Postgres(pool, schema) => {
                sqlx::raw_sql(&format!("DROP SCHEMA {schema} CASCADE"))
                    .execute(&pool)
                    .await
                    .unwrap();
                pool.close().await;
            }
        }
    }

    pub async fn exec(&self, sql: &str) {
        match self {
            Raw::Sqlite(pool, _) => sqlx::raw_sql(sql).execute(pool).await.map(drop),
            Raw::Postgres(pool, _) => sqlx::raw_sql(sql).execute(pool).await.map(drop),
        }
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
    }

    pub async fn try_exec(&self, sql: &str) -> Result<(), sqlx::Error> {
        match self {
            Raw::Sqlite(pool, _) => sqlx::raw_sql(sql).execute(pool).await.map(drop),
            Raw::Postgres(pool, _) => sqlx::raw_sql(sql).execute(pool).await.map(drop),
        }
    }

    /// A second handle on the same database, kept by the test runner for the cleanup.
    pub fn handle(&self) -> Raw {
        match self {
            Raw::Sqlite(pool, path) => Raw::Sqlite(pool.clone(), path.clone()),
            Raw::Postgres(pool, schema) => Raw::Postgres(pool.clone(), schema.clone()),
        }
    }

    /// Removes the append-only guards of the event log and of the archive's copy of it
    /// (migration 0049), as an intruder with database access would.
    pub async fn drop_guards(&self) {
        match self {
            Raw::Sqlite(..) => {
                self.exec(
                    "DROP TRIGGER events_append_only_update; DROP TRIGGER events_append_only_delete; \
                     DROP TRIGGER archived_events_append_only_update; \
                     DROP TRIGGER archived_events_append_only_delete",
                )
                .await
            }
            Raw::Postgres(..) => {
                self.exec(
                    "DROP TRIGGER events_append_only ON events; \
                     DROP TRIGGER archived_events_append_only ON archived_events",
                )
                .await
            }
        }
    }
}

pub async fn sqlite() -> (SqliteStore, Raw) {
    let dir = std::env::temp_dir().join("turno-store-tests");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("{}.db", unique("t")));
    let _ = std::fs::remove_file(&path);
    let store = SqliteStore::open(path.to_str().unwrap()).await.unwrap();
    store.migrate().await.unwrap();
    let raw = sqlx::SqlitePool::connect(&format!("sqlite://{}", path.display()))
        .await
        .unwrap();
    (store, Raw::Sqlite(raw, path))
}

pub const POSTGRES_URL: &str = "postgres://postgres@127.0.0.1:5432/test";

/// A store in a new schema of its own, so that tests run in parallel.
pub async fn postgres() -> (PgStore, Raw) {
    let schema = unique("turno_test");
    let admin = sqlx::PgPool::connect(POSTGRES_URL)
        .await
        .unwrap_or_else(|e| {
            panic!("PostgreSQL must be reachable at {POSTGRES_URL} for the storage tests: {e}")
        });
    // A schema of an earlier run whose process had the same id is stale: start afresh.
    sqlx::raw_sql(&format!(
        "DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema}"
    ))
    .execute(&admin)
    .await
    .unwrap();
    admin.close().await;
    let options: PgConnectOptions = POSTGRES_URL.parse().unwrap();
    let options = options.options([("search_path", schema.as_str())]);
    let store = PgStore::connect_with(options.clone()).await.unwrap();
    store.migrate().await.unwrap();
    let raw = sqlx::postgres::PgPoolOptions::new()
        .max_connections(2)
        .connect_with(options)
        .await
        .unwrap();
    (store, Raw::Postgres(raw, schema))
}

/// Runs a test body against a fresh store of each backend.
#[macro_export]
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        $crate::on_both_backends!(@on sqlite: $($name),*);
        $crate::on_both_backends!(@on postgres: $($name),*);
    };
    // A module named after the backend, with a test per body; `$backend` names both the
    // module and the function of this file that opens a fresh store of it.
    (@on $backend:ident: $($name:ident),*) => {
        mod $backend {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn $name() {
                    let (store, raw) = $crate::common::$backend().await;
                    let cleanup = raw.handle();
                    super::$name(store, raw).await;
                    cleanup.cleanup().await;
                }
            )*
        }
    };
}

pub fn seed_000() -> (Procedure, &'static str) {
    let text = include_str!("../../../../procedures/sidss-informes-oficiales.toml");
    (parse_procedure(text).unwrap(), text)
}

/// Seed 000 as its version 1 was published, before its 4.1 was signed with e.firma: for the
/// records kept from then.
pub fn seed_000_version_1() -> (Procedure, String) {
    let (_, text) = seed_000();
    let text = text
        .replacen("version = 2", "version = 1", 1)
        .replacen("signature = true\n", "", 1);
    (parse_procedure(&text).unwrap(), text)
}

pub fn calendars() -> &'static Calendars {
    static CALENDARS: std::sync::OnceLock<Calendars> = std::sync::OnceLock::new();
    CALENDARS.get_or_init(Calendars::statutory)
}

pub fn ctx(today: Date) -> Context<'static> {
    Context {
        now: today.to_zoned(jiff::tz::TimeZone::UTC).unwrap().timestamp(),
        today,
        calendars: calendars(),
    }
}

pub fn day() -> Context<'static> {
    ctx(date(2026, 3, 2))
}

pub fn folio_rule() -> FolioRule {
    FolioRule::for_procedure(&seed_000().0, None, 2026)
}

pub fn report_fields() -> BTreeMap<String, Value> {
    [
        ("tipo_informe", Value::Text("Informe trimestral".into())),
        ("direccion_general", Value::Text("DGPLADES".into())),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect()
}

/// Ana, who registers and works the tests' cases.
pub fn ana() -> Actor {
    Actor {
        user: "ana".into(),
        participant: None,
        substituting: None,
    }
}

/// Text fields by name.
pub fn fields(pairs: &[(&str, &str)]) -> BTreeMap<String, Value> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), Value::Text((*v).to_owned())))
        .collect()
}

/// A work item's answer and the fields filled with it.
pub type Step<'a> = (Option<&'a str>, &'a [(&'a str, &'a str)]);

/// An informe of seed 000 from registration to 4.1, at the Coordinación de Asesores.
pub const TO_4_1: [Step<'static>; 4] = [(None, &[]), (None, &[]), (Some("Sí"), &[]), (None, &[])];

/// An informe of seed 000 from registration to its end (5.2): closed.
pub const TO_END: [Step<'static>; 7] = [
    (None, &[]),
    (None, &[]),
    (Some("Sí"), &[]),
    (None, &[]),
    (Some("Sí"), &[]),
    (None, &[("medio_envio", "Oficio")]),
    (None, &[]),
];

/// Completes the first open work item of an informe of seed 000 once per step, as Ana.
pub async fn advance<S: Store>(store: &S, case_id: i64, ctx: &Context<'_>, steps: &[Step<'_>]) {
    let (procedure, _) = seed_000();
    for (outcome, values) in steps {
        let stored = store.load_case(case_id).await.unwrap();
        let case = stored.state().unwrap();
        let item = case.open[0].id;
        let mut input = Complete {
            item,
            by: ana(),
            outcome: outcome.map(str::to_owned),
            fields: fields(values),
            observations: None,
            signature: None,
        };
        // 4.1 is signed with e.firma: the store records the signature the engine took (a
        // simulated one here; the application verifies real ones before).
        if procedure.activity(case.open[0].activity).signature {
            input.signature =
                Some(simulated_signature(&procedure, &case, &input, ctx.now).unwrap());
        }
        complete_work(
            store,
            OnCase::new(&procedure, case_id, ctx).seen(stored.version),
            input,
        )
        .await
        .unwrap();
    }
}

/// The actions of the audit log's entries, at most `limit`, as `Store::audit_log` lists them.
pub async fn audit_actions<S: Store>(store: &S, limit: i64) -> Vec<String> {
    let entries = store.audit_log(None, limit).await.unwrap();
    entries.into_iter().map(|e| e.action).collect()
}

/// A person to create: `login` named `name`, without e-mail or password.
pub fn user(login: &str, name: &str) -> NewUser {
    NewUser {
        login: login.into(),
        name: name.into(),
        email: None,
        password_hash: None,
    }
}

/// Publishes seed 000 and starts one informe on it.
pub async fn new_report<S: Store>(store: &S, title: &str) -> Committed {
    let (procedure, text) = seed_000();
    store
        .publish_procedure(&procedure, text, day().now)
        .await
        .unwrap();
    start_report(store, &procedure, title).await.unwrap()
}

/// Starts an informe of seed 000, published already, as `ana` today.
pub async fn start_report<S: Store>(
    store: &S,
    procedure: &Procedure,
    title: &str,
) -> Result<Committed, turno_app::commands::CommandError> {
    let case = NewCase {
        folio: folio_rule(),
        title: title.into(),
        channel: Some("Oficio".into()),
        requester: Some("DGPLADES".into()),
    };
    start_report_as(store, procedure, case).await
}

/// Starts an informe of `procedure` as `target` says (a new case, or one from a document), as
/// `ana` today.
pub async fn start_report_as<S: Store>(
    store: &S,
    procedure: &Procedure,
    target: impl Into<turno_store::Target>,
) -> Result<Committed, turno_app::commands::CommandError> {
    let start = Start {
        by: ana(),
        fields: report_fields(),
    };
    start_case(store, procedure, target, start, &day(), None).await
}

/// A backend's store as [`turno_store::AnyStore`], for what only it offers (backups, the
/// fixtures), as the command line reaches it.
pub trait Backend: turno_store::Store {
    fn any(&self) -> turno_store::AnyStore;
}

impl Backend for turno_store::SqliteStore {
    fn any(&self) -> turno_store::AnyStore {
        turno_store::AnyStore::Sqlite(self.clone())
    }
}

impl Backend for turno_store::PgStore {
    fn any(&self) -> turno_store::AnyStore {
        turno_store::AnyStore::Postgres(self.clone())
    }
}
