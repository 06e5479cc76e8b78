//! The real application on a free port with a fresh database (a new SQLite file, or a new
//! schema on the PostgreSQL at 127.0.0.1:5432), seed 000 and the volante de trámite published, two units with their
//! people, and an HTTP client that keeps cookies like a browser.

#![allow(dead_code)]

use sqlx::postgres::PgConnectOptions;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use turno_app::{App, Clock, LiveCalendars};
use turno_domain::engine::Calendars;
use turno_domain::library::Source;
use turno_store::blobs::LocalBlobs;
use turno_store::{AnyStore, NewUser, PgStore, Role, SqliteStore, Store, UnitInput};
use turno_web::AppState;

pub const PASSWORD: &str = "contraseña de prueba";
const POSTGRES_URL: &str = "postgres://postgres@127.0.0.1:5432/test";
static COUNTER: AtomicU32 = AtomicU32::new(0);

pub enum Backend {
    Sqlite,
    Postgres,
}

pub struct TestApp {
    pub address: String,
    pub store: AnyStore,
    /// What the application runs with, for tests that call the scheduler themselves.
    pub state: AppState,
}

/// People of the test agency: login, unit, role.
pub const PEOPLE: &[(&str, &str, Role)] = &[
    ("secretario", "SIDSS-ST", Role::Titular),
    ("asesor", "SIDSS-CAS", Role::Operador),
    ("consulta", "SIDSS-ST", Role::Consulta),
    ("ajeno", "OTRA-UNIDAD", Role::Titular),
    ("admin", "OTRA-UNIDAD", Role::Administrador),
];

async fn store(backend: Backend) -> AnyStore {
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    match backend {
        Backend::Sqlite => {
            let dir = std::env::temp_dir().join("turno-web-tests");
            std::fs::create_dir_all(&dir).unwrap();
            let path = dir.join(format!("t{}_{n}.db", std::process::id()));
            let _ = std::fs::remove_file(&path);
            AnyStore::Sqlite(SqliteStore::open(path.to_str().unwrap()).await.unwrap())
        }
        Backend::Postgres => {
            let schema = format!("turno_test_web_{}_{n}", std::process::id());
            let admin = sqlx::PgPool::connect(POSTGRES_URL)
                .await
                .expect("PostgreSQL must be reachable at 127.0.0.1:5432");
            sqlx::query(&format!("CREATE SCHEMA {schema}"))
                .execute(&admin)
                .await
                .unwrap();
            let options: PgConnectOptions = POSTGRES_URL.parse().unwrap();
            AnyStore::Postgres(
                PgStore::connect_with(options.options([("search_path", schema.as_str())]))
                    .await
                    .unwrap(),
            )
        }
    }
}

/// A unit of the organization, at the `Unidad` level and without a parent.
async fn add_unit(store: &AnyStore, code: &str, name: &str) {
    store
        .upsert_unit(
            &UnitInput {
                code: code.into(),
                name: name.into(),
                level: turno_domain::org::Level::Unidad,
                parent_code: None,
            },
            "prueba",
        )
        .await
        .unwrap();
}

pub async fn spawn(backend: Backend) -> TestApp {
    let store = store(backend).await;
    store.migrate().await.unwrap();
    for (code, name) in [
        ("SIDSS-ST", "Secretario Técnico"),
        ("SIDSS-CAS", "Coordinación de Asesores"),
        ("OTRA-UNIDAD", "Otra unidad"),
    ] {
        add_unit(&store, code, name).await;
    }
    let hash = turno_web::auth::hash_password(PASSWORD).unwrap();
    for (login, unit, role) in PEOPLE {
        let id = store
            .create_user(
                &NewUser {
                    login: (*login).into(),
                    name: format!("Persona {login}"),
                    email: None,
                    password_hash: Some(hash.clone()),
                },
                "prueba",
            )
            .await
            .unwrap();
        store
            .add_membership(id, unit, *role, "prueba")
            .await
            .unwrap();
    }
    let blobs = std::env::temp_dir().join(format!("turno-web-blobs-{}", std::process::id()));
    serve(store, LocalBlobs::new(blobs)).await
}

/// What a `turno serve` process over `store` holds, with seed 000 published and `blobs`; its
/// calendars are the statutory ones until it reloads them.
pub async fn state(store: AnyStore, blobs: LocalBlobs) -> AppState {
    let text = include_str!("../../../../procedures/sidss-informes-oficiales.toml");
    let library = turno_app::library::load(
        &store,
        &[
            Source {
                name: "sidss-informes-oficiales.toml",
                text,
            },
            Source {
                name: "sinac-volante.toml",
                text: include_str!("../../../../procedures/sinac-volante.toml"),
            },
        ],
        jiff::Timestamp::now(),
    )
    .await
    .unwrap();
    AppState {
        app: App {
            store,
            library: Arc::new(library),
            calendars: LiveCalendars::new(0, Calendars::statutory()),
            blobs: Arc::new(blobs),
            time_zone: jiff::tz::TimeZone::get("America/Mexico_City").unwrap(),
            clock: Clock::System,
            thresholds: Default::default(),
        },
        secure_cookies: false,
        trust_forwarded_for: false,
        notifier: turno_notify::Notifier::new(Default::default(), None),
    }
}

/// The application on a free port over `store`, with seed 000 published and `blobs`.
async fn serve(store: AnyStore, blobs: LocalBlobs) -> TestApp {
    listen(state(store, blobs).await).await
}

/// The same application and database served again with one more procedure published (the
/// shared test app publishes only seed 000's, which the other tests count on).
pub async fn with_procedure(app: &TestApp, source: Source<'_>) -> TestApp {
    let library = turno_app::library::load(&app.store, &[source], jiff::Timestamp::now())
        .await
        .unwrap();
    listen(AppState {
        app: App {
            library: Arc::new(library),
            ..app.state.app.clone()
        },
        ..app.state.clone()
    })
    .await
}

async fn listen(state: AppState) -> TestApp {
    let store = state.store.clone();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(turno_web::serve(listener, state.clone()));
    TestApp {
        address,
        store,
        state,
    }
}

/// The same application and database served again with a blob directory of its own and the
/// given size limit (the shared test app keeps the default 25 MiB).
pub async fn with_blobs(app: &TestApp, limit: u64) -> (TestApp, PathBuf) {
    let dir = std::env::temp_dir().join(format!(
        "turno-web-document-blobs-{}-{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    let blobs = LocalBlobs::new(&dir).with_limit(limit);
    (serve(app.store.clone(), blobs).await, dir)
}

/// A browser: keeps cookies, does not follow redirects (tests look at them).
pub struct Browser {
    pub client: reqwest::Client,
    pub base: String,
}

impl TestApp {
    pub fn browser(&self) -> Browser {
        Browser {
            client: reqwest::Client::builder()
                .cookie_store(true)
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
            base: self.address.clone(),
        }
    }

    /// A new API token of `login`'s, created through the store as `turno token create` does.
    pub async fn api_token(&self, login: &str) -> String {
        let user = self.store.user_by_login(login).await.unwrap().unwrap().user;
        let (token, digest) = turno_web::api::token::generate();
        self.store
            .create_api_token(user.id, "pruebas", &digest)
            .await
            .unwrap();
        token
    }

    /// Another unit (level `Unidad`, no parent).
    pub async fn add_unit(&self, code: &str, name: &str) {
        add_unit(&self.store, code, name).await;
    }

    /// A motive of the catalog that classifies petitions, for every type.
    pub async fn add_motive(&self, code: &str, name: &str) {
        turno_store::Handling::add_motive(
            &self.store,
            &turno_domain::citizen::Motive {
                code: code.into(),
                name: name.into(),
                kinds: vec![],
                active: true,
            },
            "admin",
        )
        .await
        .unwrap();
    }

    /// Another person with one role in one unit, and an e-mail address if given.
    pub async fn add_person(&self, login: &str, unit: &str, role: Role, email: Option<&str>) {
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
        self.store
            .add_membership(id, unit, role, "prueba")
            .await
            .unwrap();
    }

    /// A browser signed in as `login`.
    pub async fn signed_in(&self, login: &str) -> Browser {
        let browser = self.browser();
        let response = browser.sign_in(login, PASSWORD).await;
        assert_eq!(response.status(), 303, "{login} signs in");
        browser
    }
}

impl Browser {
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

impl Browser {
    /// Registers an informe of seed 000 through the page; returns its folio.
    pub async fn register(&self, title: &str, requester: &str, kind: &str) -> String {
        let csrf = self.csrf("/registrar/sidss-informes-oficiales").await;
        let response = self
            .post(
                "/registrar/sidss-informes-oficiales",
                &[
                    ("csrf", &csrf),
                    ("asunto", title),
                    ("medio", "Oficio"),
                    ("solicitante", requester),
                    ("tipo_informe", kind),
                    ("direccion_general", "DGPLADES"),
                ],
            )
            .await;
        assert_eq!(response.status(), 303);
        let location = response.headers()["location"].to_str().unwrap();
        location
            .strip_prefix("/asuntos/")
            .and_then(|rest| rest.strip_suffix("/acuse"))
            .expect("redirect to the acuse")
            .to_owned()
    }

    /// The informe most tests work on.
    pub async fn register_report(&self) -> String {
        self.register(
            "Informe trimestral de la DGPLADES",
            "DGPLADES",
            "Informe trimestral",
        )
        .await
    }

    /// Acts on the first open activity of a case page: answers `outcome`, fills `fields`.
    pub async fn act(
        &self,
        folio: &str,
        outcome: Option<&str>,
        fields: &[(&str, &str)],
    ) -> reqwest::Response {
        let page = self.text(&format!("/asuntos/{folio}")).await;
        let (csrf, item, version) = (
            csrf_in(&page),
            hidden(&page, "item"),
            hidden(&page, "version"),
        );
        let mut form = vec![
            ("csrf", csrf.as_str()),
            ("item", item.as_str()),
            ("version", version.as_str()),
            ("observaciones", "Revisado"),
        ];
        if let Some(outcome) = outcome {
            form.push(("outcome", outcome));
        }
        form.extend_from_slice(fields);
        self.post(&format!("/asuntos/{folio}/atender"), &form).await
    }
}

/// A small PDF, with bytes that are not UTF-8 and a line that looks like a multipart boundary.
pub const PDF: &[u8] = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\r\n--not-a-boundary\r\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n";

pub const BOUNDARY: &str = "----turno-prueba-7MA4YWxkTrZu0gW";

/// A file part of a form, as a browser sends it.
pub struct File<'a> {
    pub name: &'a str,
    pub mime: &'a str,
    pub content: &'a [u8],
}

/// A multipart/form-data body: the text fields, then the file (the order of the page's form).
pub fn multipart(fields: &[(&str, &str)], file: Option<&File>) -> Vec<u8> {
    multipart_named(fields, "documento", file)
}

/// The same, with the file under the form's own field name.
pub fn multipart_named(fields: &[(&str, &str)], field: &str, file: Option<&File>) -> Vec<u8> {
    multipart_files(
        fields,
        field,
        file.map(std::slice::from_ref).unwrap_or_default(),
    )
}

/// The same, with any number of files under one field (an `<input type="file" multiple>`).
pub fn multipart_files(fields: &[(&str, &str)], field: &str, files: &[File]) -> Vec<u8> {
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    for file in files {
        body.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{field}\"; \
                 filename=\"{}\"\r\nContent-Type: {}\r\n\r\n",
                file.name, file.mime
            )
            .as_bytes(),
        );
        body.extend_from_slice(file.content);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    body
}

/// The import page's form with seed 003's recommendations and aspects and `activities`
/// (a file of `fixtures/asm-2017/`), as program `ASM-2017`.
pub fn asm_tables(csrf: &str, activities: &str) -> Vec<u8> {
    let fixtures = concat!(env!("CARGO_MANIFEST_DIR"), "/../../fixtures/asm-2017/");
    let names = ["recomendaciones.csv", "aspectos.csv", activities];
    let contents = names.map(|name| std::fs::read(format!("{fixtures}{name}")).unwrap());
    let files: Vec<File> = names
        .iter()
        .zip(&contents)
        .map(|(name, content)| File {
            name,
            mime: "text/csv",
            content,
        })
        .collect();
    multipart_files(
        &[
            ("csrf", csrf),
            ("clave", "ASM-2017"),
            ("nombre", "Programa de ASM 2017"),
        ],
        "tablas",
        &files,
    )
}

pub async fn upload(
    browser: &Browser,
    folio: &str,
    fields: &[(&str, &str)],
    file: Option<&File<'_>>,
) -> reqwest::Response {
    browser
        .post_multipart(
            &format!("/asuntos/{folio}/documentos"),
            multipart(fields, file),
        )
        .await
}

impl Browser {
    /// Sends a multipart/form-data body as a page's form would.
    pub async fn post_multipart(&self, path: &str, body: Vec<u8>) -> reqwest::Response {
        self.client
            .post(format!("{}{path}", self.base))
            .header(
                "content-type",
                format!("multipart/form-data; boundary={BOUNDARY}"),
            )
            .body(body)
            .send()
            .await
            .unwrap()
    }
}

pub fn csrf_in(html: &str) -> String {
    let start = html
        .find("name=\"csrf\" value=\"")
        .expect("a form with a CSRF token")
        + "name=\"csrf\" value=\"".len();
    html[start..start + 64].to_owned()
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

#[macro_export]
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    super::$name($crate::common::spawn($crate::common::Backend::Sqlite).await).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    super::$name($crate::common::spawn($crate::common::Backend::Postgres).await).await;
                }
            )*
        }
    };
}
