//! The application as the tests and the benchmarks run it, built one way for both (the
//! benchmarks include this file): a fresh database (a new SQLite file, or a new schema on the
//! PostgreSQL at 127.0.0.1:5432), its units and people, the procedures published, served on a
//! free port; and a browser that keeps cookies and signs in through the page.

#![allow(dead_code, reason = "each benchmark uses a part of it")]

use sqlx::postgres::PgConnectOptions;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use turno_app::{App, Clock, LiveCalendars};
use turno_domain::engine::Calendars;
use turno_domain::library::Source;
use turno_store::blobs::{Blobs, LocalBlobs};
use turno_store::{AnyStore, NewUser, PgStore, Role, SqliteStore, Store, UnitInput};
use turno_web::AppState;

pub const PASSWORD: &str = "contraseña de prueba";
const POSTGRES_URL: &str = "postgres://postgres@127.0.0.1:5432/test";
static COUNTER: AtomicU32 = AtomicU32::new(0);

/// Seed 000, the procedure most tests and the benchmarks work on.
pub const SEED: Source<'static> = Source {
    name: "sidss-informes-oficiales.toml",
    text: include_str!("../../../../procedures/sidss-informes-oficiales.toml"),
};

/// A number unique in this process, for names of databases and directories.
pub fn unique() -> u32 {
    COUNTER.fetch_add(1, Ordering::Relaxed)
}

pub enum Backend {
    Sqlite,
    Postgres,
}

/// A fresh, migrated database of its own.
pub struct Database {
    pub store: AnyStore,
    /// The PostgreSQL schema it lives in.
    pub schema: Option<String>,
    /// The SQLite file it lives in.
    pub file: Option<PathBuf>,
}

impl Database {
    pub async fn fresh(backend: Backend) -> Database {
        let n = unique();
        let database = match backend {
            Backend::Sqlite => {
                let dir = std::env::temp_dir().join("turno-web-tests");
                std::fs::create_dir_all(&dir).unwrap();
                let path = dir.join(format!("t{}_{n}.db", std::process::id()));
                let _ = std::fs::remove_file(&path);
                let store = SqliteStore::open(path.to_str().unwrap()).await.unwrap();
                Database {
                    store: AnyStore::Sqlite(store),
                    schema: None,
                    file: Some(path),
                }
            }
            Backend::Postgres => {
                let schema = format!("turno_test_web_{}_{n}", std::process::id());
                // A schema of an earlier run whose process had the same id is stale: start afresh.
                Database::postgres_admin(&format!(
                    "DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema}"
                ))
                .await;
                let options: PgConnectOptions = POSTGRES_URL.parse().unwrap();
                let store =
                    PgStore::connect_with(options.options([("search_path", schema.as_str())]))
                        .await
                        .unwrap();
                Database {
                    store: AnyStore::Postgres(store),
                    schema: Some(schema),
                    file: None,
                }
            }
        };
        database.store.migrate().await.unwrap();
        database
    }

    async fn postgres_admin(sql: &str) {
        let admin = sqlx::PgPool::connect(POSTGRES_URL)
            .await
            .expect("PostgreSQL must be reachable at 127.0.0.1:5432");
        sqlx::raw_sql(sql).execute(&admin).await.unwrap();
    }

    /// Removes the database (a failed test's stays, for looking at; `scripts/postgres.sh`
    /// clears those schemas before the next run).
    pub async fn remove(schema: Option<String>, file: Option<PathBuf>) {
        if let Some(schema) = schema {
            Database::postgres_admin(&format!("DROP SCHEMA IF EXISTS {schema} CASCADE")).await;
        }
        if let Some(file) = file {
            for suffix in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{suffix}", file.display()));
            }
        }
    }

    /// A unit of the organization, at the `Unidad` level and without a parent.
    pub async fn add_unit(&self, code: &str, name: &str) {
        self.add_unit_below(code, name, None).await;
    }

    /// A unit of the organization at the `Unidad` level, below `parent` (a unit's code) if
    /// given.
    pub async fn add_unit_below(&self, code: &str, name: &str, parent: Option<&str>) {
        self.store
            .upsert_unit(
                &UnitInput {
                    code: code.into(),
                    name: name.into(),
                    level: turno_domain::org::Level::Unidad,
                    parent_code: parent.map(Into::into),
                },
                "prueba",
            )
            .await
            .unwrap();
    }

    /// A person named `Persona {login}` who signs in with [`PASSWORD`], with one role in each
    /// of `units` and an e-mail address if given.
    pub async fn add_person(
        &self,
        login: &str,
        email: Option<&str>,
        units: &[(&str, Role)],
    ) -> i64 {
        let id = self
            .store
            .create_user(
                &NewUser {
                    login: login.into(),
                    name: format!("Persona {login}"),
                    email: email.map(str::to_owned),
                    password_hash: Some(turno_web::auth::hash_password(PASSWORD).unwrap()),
                },
                "prueba",
            )
            .await
            .unwrap();
        for (unit, role) in units {
            self.store
                .add_membership(id, unit, *role, "prueba")
                .await
                .unwrap();
        }
        id
    }

    /// An application over this database: nothing published, the statutory calendars, blobs
    /// under the temporary directory; the builder's methods change that.
    pub fn app(&self) -> Builder {
        Builder {
            store: self.store.clone(),
            schema: self.schema.clone(),
            sources: Vec::new(),
            blobs: LocalBlobs::new(
                std::env::temp_dir().join(format!("turno-web-blobs-{}", std::process::id())),
            )
            .into(),
        }
    }
}

pub struct Builder {
    store: AnyStore,
    schema: Option<String>,
    sources: Vec<Source<'static>>,
    blobs: Blobs,
}

impl Builder {
    /// Publishes `source`'s procedure when the application starts.
    pub fn procedure(mut self, source: Source<'static>) -> Builder {
        self.sources.push(source);
        self
    }

    pub fn blobs(mut self, blobs: impl Into<Blobs>) -> Builder {
        self.blobs = blobs.into();
        self
    }

    /// What a `turno serve` process over the database holds; its calendars are the statutory
    /// ones until it reloads them.
    pub async fn state(self) -> AppState {
        // Before any test's HTTP client is built (reqwest shares S3's TLS without a provider).
        turno_store::blobs::install_tls_provider();
        let library = turno_app::library::load(&self.store, &self.sources, jiff::Timestamp::now())
            .await
            .unwrap();
        AppState {
            app: App {
                store: self.store,
                library: library.into(),
                calendars: LiveCalendars::new(0, Calendars::statutory()),
                blobs: Arc::new(self.blobs),
                time_zone: jiff::tz::TimeZone::get("America/Mexico_City").unwrap(),
                clock: Clock::System,
                thresholds: Default::default(),
                suggestions: Default::default(),
                chart: Default::default(),
            },
            secure_cookies: false,
            https: false,
            trust_forwarded_for: false,
            notifier: turno_notify::Notifier::new(Default::default(), None),
        }
    }

    /// The application on a free port.
    pub async fn serve(self) -> TestApp {
        let schema = self.schema.clone();
        TestApp {
            schema,
            ..TestApp::serve(self.state().await).await
        }
    }
}

pub struct TestApp {
    pub address: String,
    pub store: AnyStore,
    /// What the application runs with, for tests that call the scheduler themselves.
    pub state: AppState,
    /// The PostgreSQL schema of its database, dropped when its test passes.
    pub schema: Option<String>,
    /// Stops serving.
    pub server: tokio::task::AbortHandle,
}

impl TestApp {
    /// `state` served on a free port.
    pub async fn serve(state: AppState) -> TestApp {
        let store = state.store.clone();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = format!("http://{}", listener.local_addr().unwrap());
        let server = tokio::spawn(turno_web::serve(listener, state.clone()));
        TestApp {
            address,
            store,
            state,
            schema: None,
            server: server.abort_handle(),
        }
    }

    pub fn browser(&self) -> Browser {
        Browser::new(&self.address)
    }
}

/// A browser: keeps cookies, does not follow redirects (tests look at them).
pub struct Browser {
    pub client: reqwest::Client,
    pub base: String,
}

impl Browser {
    pub fn new(base: &str) -> Browser {
        Browser {
            client: reqwest::Client::builder()
                .cookie_store(true)
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
            base: base.to_owned(),
        }
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .unwrap()
    }

    pub async fn text(&self, path: &str) -> String {
        self.get(path).await.text().await.unwrap()
    }

    /// The CSRF token of the forms on a page.
    pub async fn csrf(&self, path: &str) -> String {
        csrf_in(&self.text(path).await)
    }

    pub async fn post(&self, path: &str, form: &[(&str, &str)]) -> reqwest::Response {
        self.client
            .post(format!("{}{path}", self.base))
            .form(form)
            .send()
            .await
            .unwrap()
    }

    pub async fn sign_in(&self, login: &str, password: &str) -> reqwest::Response {
        let csrf = self.csrf("/acceso").await;
        self.post(
            "/acceso",
            &[
                ("csrf", &csrf),
                ("login", login),
                ("password", password),
                ("next", ""),
            ],
        )
        .await
    }
}

/// A header of a response, as text; the test fails if it is missing or not text.
pub fn header<'a>(response: &'a reqwest::Response, name: &str) -> &'a str {
    response.headers()[name].to_str().unwrap()
}

pub fn csrf_in(html: &str) -> String {
    hidden(html, "csrf")
}

/// The value of a hidden input of the first form that has it.
pub fn hidden(html: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html
        .find(&marker)
        .unwrap_or_else(|| panic!("no {name} in page"))
        + marker.len();
    let end = html[start..].find('"').unwrap() + start;
    html[start..end].to_owned()
}
