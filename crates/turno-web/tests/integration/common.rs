//! The real application on a free port with a fresh database (a new SQLite file, or a new
//! schema on the PostgreSQL at 127.0.0.1:5432), seed 000 and the volante de trámite published, two units with their
//! people, and an HTTP client that keeps cookies like a browser.

#![allow(dead_code)]

use std::path::PathBuf;
use turno_domain::library::Source;
use turno_store::blobs::LocalBlobs;
use turno_store::followup::Followup;
use turno_store::visits::Visits;
use turno_store::{Role, Store};
use turno_web::AppState;

pub use crate::test_app::{
    Backend, Browser, Database, PASSWORD, SEED, TestApp, csrf_in, header, hidden, unique,
};

/// The agency's time zone, the one `TestApp` serves in.
pub fn mexico() -> jiff::tz::TimeZone {
    jiff::tz::TimeZone::get("America/Mexico_City").unwrap()
}

/// Today where the agency is, as the application counts it.
pub fn today() -> jiff::civil::Date {
    jiff::Timestamp::now().to_zoned(mexico()).date()
}

/// Yesterday where the agency is: a document received at any hour of it is in the past at any
/// hour of today (a fixed hour of today is still to come early in the morning).
pub fn yesterday() -> jiff::civil::Date {
    today().yesterday().unwrap()
}

/// A supervision's program: two recommendations to the Secretario Técnico, open until 2030.
fn supervision_program() -> turno_domain::followup::Program {
    turno_domain::followup::supervision_program(
        "Supervisión de prueba",
        "Secretario Técnico",
        &[
            "Primera recomendación".into(),
            "Segunda recomendación".into(),
        ],
        (
            jiff::civil::date(2026, 1, 1),
            jiff::civil::date(2030, 12, 31),
        ),
    )
    .unwrap()
}

/// People of the test agency: login, unit, role.
pub const PEOPLE: &[(&str, &str, Role)] = &[
    ("secretario", "SIDSS-ST", Role::Titular),
    ("asesor", "SIDSS-CAS", Role::Operador),
    ("consulta", "SIDSS-ST", Role::Consulta),
    ("ajeno", "OTRA-UNIDAD", Role::Titular),
    ("admin", "OTRA-UNIDAD", Role::Administrador),
];

/// The classification form of a queja of Jalisco about medicines that merits action within 5
/// days.
pub const QUEJA_JAL: &[(&str, &str)] = &[
    ("tipo", "queja"),
    ("motivo", "MED-SURT"),
    ("entidad", "JAL"),
    ("amerita", "si"),
    ("plazo", "5"),
];

/// The volante de trámite, published beside seed 000.
const VOLANTE: Source<'static> = Source {
    name: "sinac-volante.toml",
    text: include_str!("../../../../procedures/sinac-volante.toml"),
};

/// Drops the schema a passed test's application was served from (a failed test's stays, for
/// looking at; `scripts/postgres.sh` clears those before the next run).
pub async fn drop_schema(schema: Option<String>) {
    Database::remove(schema, None).await;
}

/// The test agency's database: three units and [`PEOPLE`].
async fn agency(backend: Backend) -> Database {
    let database = Database::fresh(backend).await;
    for (code, name) in [
        ("SIDSS-ST", "Secretario Técnico"),
        ("SIDSS-CAS", "Coordinación de Asesores"),
        ("OTRA-UNIDAD", "Otra unidad"),
    ] {
        database.add_unit(code, name).await;
    }
    for (login, unit, role) in PEOPLE {
        database.add_person(login, None, &[(unit, *role)]).await;
    }
    database
}

pub async fn spawn(backend: Backend) -> TestApp {
    agency(backend)
        .await
        .app()
        .procedure(SEED)
        .procedure(VOLANTE)
        .serve()
        .await
}

/// What a `turno serve` process over `store` holds, with seed 000 published and `blobs`; its
/// calendars are the statutory ones until it reloads them.
pub async fn state(app: &TestApp, blobs: LocalBlobs) -> AppState {
    of(app).blobs(blobs).state().await
}

/// The test app's database, to build another application over.
fn of(app: &TestApp) -> crate::test_app::Builder {
    app.database().app().procedure(SEED).procedure(VOLANTE)
}

/// The same application and database served again with one more procedure published (the
/// shared test app publishes only seed 000's, which the other tests count on).
pub async fn with_procedure(app: &TestApp, source: Source<'static>) -> TestApp {
    app.database().app().procedure(source).serve().await
}

/// The same application and database served again with procedure 94 (supervisions)
/// published, and the Comisionado Nacional's unit `CNPSS-CN` with its titular, `comisionado`.
pub async fn with_commissioner(app: &TestApp) -> TestApp {
    let app = with_procedure(
        app,
        Source {
            name: "cnpss-94.toml",
            text: include_str!("../../../../procedures/cnpss-94.toml"),
        },
    )
    .await;
    let commissioner = (
        "CNPSS-CN",
        "Comisionado Nacional de Protección Social en Salud",
    );
    app.add_unit_with(commissioner, "comisionado", Role::Titular)
        .await;
    app
}

/// The same application and database served again with a blob directory of its own and the
/// given size limit (the shared test app keeps the default 25 MiB).
pub async fn with_blobs(app: &TestApp, limit: u64) -> (TestApp, PathBuf) {
    let dir = std::env::temp_dir().join(format!(
        "turno-web-document-blobs-{}-{}",
        std::process::id(),
        unique()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    let blobs = LocalBlobs::new(&dir).with_limit(limit);
    (of(app).blobs(blobs).serve().await, dir)
}

/// The same application and database served again with its documents under `prefix` in the
/// test bucket of the S3-compatible server (`scripts/s3.sh`): another `turno serve --blobs
/// s3://…` process.
pub async fn with_s3(app: &TestApp, prefix: &str) -> TestApp {
    let blobs = turno_store::fixtures::test_bucket(prefix).unwrap();
    of(app).blobs(blobs).serve().await
}

impl TestApp {
    /// The petition of `folio` (`AC-…`) as stored.
    pub async fn stored_petition(&self, folio: &str) -> turno_store::citizen::StoredPetition {
        use turno_store::Petitions;
        self.store
            .petition(folio.parse().unwrap())
            .await
            .unwrap()
            .unwrap()
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

    /// An API request to `path` as `login` (a new token), with `body` as JSON if given.
    pub async fn api(
        &self,
        login: &str,
        method: reqwest::Method,
        path: &str,
        body: Option<&serde_json::Value>,
    ) -> reqwest::Response {
        let request = reqwest::Client::new()
            .request(method, format!("{}{path}", self.address))
            .bearer_auth(self.api_token(login).await);
        let request = match body {
            Some(body) => request.json(body),
            None => request,
        };
        request.send().await.unwrap()
    }

    /// The database under the application, to add to it.
    fn database(&self) -> Database {
        Database {
            store: self.store.clone(),
            schema: None,
            file: None,
        }
    }

    /// Another unit (level `Unidad`, no parent).
    pub async fn add_unit(&self, code: &str, name: &str) {
        self.database().add_unit(code, name).await;
    }

    /// Another unit (level `Unidad`) below `parent`, a unit's code.
    pub async fn add_unit_below(&self, code: &str, name: &str, parent: Option<&str>) {
        self.database().add_unit_below(code, name, parent).await;
    }

    /// Another unit (`code`, `name`) with one person in it, `login`, in `role`.
    pub async fn add_unit_with(&self, (code, name): (&str, &str), login: &str, role: Role) {
        self.add_unit(code, name).await;
        self.add_person(login, code, role, None).await;
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
        self.database()
            .add_person(login, email, &[(unit, role)])
            .await;
    }

    /// A supervision `key` whose two recommendations the Secretario Técnico attends.
    pub async fn supervision(&self, key: &str) {
        self.store
            .import_program(key, &supervision_program(), "prueba")
            .await
            .unwrap();
    }

    /// The supervision `key` of case `folio`: a visit to the Secretario Técnico tied to the
    /// case, with the supervision's program as its plan.
    pub async fn supervision_of_case(&self, key: &str, folio: &str) {
        let visit = turno_store::visits::NewVisit {
            modality: turno_domain::followup::Modality::OnSite,
            units: vec!["Secretario Técnico".into()],
            dates: (jiff::civil::date(2026, 1, 1), jiff::civil::date(2026, 1, 1)),
            team: Vec::new(),
            purpose: "Supervisión de prueba".into(),
            aspects: Vec::new(),
            case_folio: Some(folio.into()),
        };
        self.store
            .record_visit(&visit, &[], Some((key, &supervision_program())), "prueba")
            .await
            .unwrap();
    }

    /// More people, each with one role in one unit: login, unit, role.
    pub async fn add_people(&self, people: &[(&str, &str, Role)]) {
        for (login, unit, role) in people {
            self.add_person(login, unit, *role, None).await;
        }
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
        let location = header(&response, "location");
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

    /// Acts on the first open activity of a case page, which is signed with e.firma
    /// (`signature = true`): the text its form would sign is asked as the page's script asks
    /// it, signed with `certificate` (see [`efirma_of`]) and sent with the answer.
    pub async fn act_signed(
        &self,
        folio: &str,
        outcome: Option<&str>,
        certificate: &x509_cert::Certificate,
    ) -> reqwest::Response {
        use base64::Engine as _;
        use der::Encode as _;
        let page = self.text(&format!("/asuntos/{folio}")).await;
        let item = hidden(&page, "item");
        let mut form = vec![
            ("csrf".to_owned(), csrf_in(&page)),
            ("item".to_owned(), item),
            ("version".to_owned(), hidden(&page, "version")),
            ("observaciones".to_owned(), "Revisado".to_owned()),
        ];
        if let Some(outcome) = outcome {
            form.push(("outcome".to_owned(), outcome.to_owned()));
        }
        let mut address =
            reqwest::Url::parse(&format!("{}/asuntos/{folio}/atender/firma", self.base)).unwrap();
        address.query_pairs_mut().extend_pairs(&form);
        let text = self.client.get(address).send().await.unwrap();
        assert_eq!(text.status(), 200, "the text to sign");
        let text = text.bytes().await.unwrap();
        let engine = base64::engine::general_purpose::STANDARD;
        form.push((
            "firma".to_owned(),
            engine.encode(turno_efirma::testing::sign(&text, &[certificate])),
        ));
        form.push((
            "certificado".to_owned(),
            engine.encode(certificate.to_der().unwrap()),
        ));
        let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        self.post(&format!("/asuntos/{folio}/atender"), &form).await
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
    asm_form(
        &[
            ("csrf", csrf),
            ("clave", "ASM-2017"),
            ("nombre", "Programa de ASM 2017"),
        ],
        "tablas",
        activities,
    )
}

/// A form with `fields` and seed 003's recommendations, aspects and `activities` as files of
/// the form's field `field`.
pub fn asm_form(fields: &[(&str, &str)], field: &str, activities: &str) -> Vec<u8> {
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
    multipart_files(fields, field, &files)
}

/// Records activity 1 of the program's item at `path` (`/seguimiento/{program}/{item}`) as
/// done, with `fields` and a PDF as its evidence.
pub async fn attend(browser: &Browser, path: &str, fields: &[(&str, &str)]) -> reqwest::Response {
    let csrf = browser.csrf(path).await;
    let mut form = vec![
        ("csrf", csrf.as_str()),
        ("actividad", "1"),
        ("avance", "100"),
    ];
    form.extend_from_slice(fields);
    let pdf = File {
        name: "oficio.pdf",
        mime: "application/pdf",
        content: PDF,
    };
    browser
        .post_multipart(
            &format!("{path}/avance"),
            multipart_named(&form, "evidencia", Some(&pdf)),
        )
        .await
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
        let request = self.client.post(format!("{}{path}", self.base));
        as_multipart(request, body).send().await.unwrap()
    }
}

/// `request` with `body` as `multipart/form-data`, as `multipart` and its kin build it.
fn as_multipart(request: reqwest::RequestBuilder, body: Vec<u8>) -> reqwest::RequestBuilder {
    request
        .header(
            "content-type",
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .body(body)
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
                    let app = $crate::common::spawn($crate::common::Backend::Postgres).await;
                    let schema = app.schema.clone();
                    super::$name(app).await;
                    $crate::common::drop_schema(schema).await;
                }
            )*
        }
    };
}

/// The call-center provider's daily file, as the tests import it through the store.
pub mod calls {
    use super::TestApp;
    use std::sync::Arc;
    use std::sync::atomic::AtomicUsize;
    use turno_domain::calendar::State;
    use turno_domain::citizen::calls::{Call, ContentKey};
    use turno_domain::citizen::{Channel, Contact, Petition, PetitionKind};
    use turno_store::Petitions;
    use turno_store::citizen::CallImport;

    /// Call `n` of the file: Juana Pérez Gómez, of `state`, was not given her medicine; at
    /// `at`, with her e-mail address if given.
    pub fn call(
        n: u8,
        kind: PetitionKind,
        channel: Channel,
        state: &str,
        at: &str,
        email: Option<&str>,
    ) -> Call {
        Call {
            row: usize::from(n),
            call_id: None,
            petition: Petition {
                kind,
                channel,
                state: State::from_name_or_code(state).unwrap(),
                health_unit: None,
                narrative: "No le surtieron la receta.".into(),
                contact: Contact {
                    name: Some("Juana Pérez Gómez".into()),
                    email: email.map(|e| e.parse().unwrap()),
                    ..Contact::default()
                },
                privacy_consent: false,
                received_at: at.parse().unwrap(),
            },
            key: ContentKey([n; 32]),
        }
    }

    /// `calls`, imported by the Departamento de Vinculación Social.
    pub async fn import(app: &TestApp, calls: Vec<Call>) {
        app.store
            .import_calls(CallImport {
                file_name: "llamadas.csv".into(),
                file_sha256: [1; 32],
                imported_by: "vinculacion".into(),
                imported_at: jiff::Timestamp::now(),
                calls,
                progress: Arc::new(AtomicUsize::new(0)),
            })
            .await
            .unwrap();
    }
}

/// The status and the JSON body of the answer to `request` (a body that is no JSON as a string).
async fn answer(request: reqwest::RequestBuilder) -> (u16, serde_json::Value) {
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let text = response.text().await.unwrap();
    (
        status,
        serde_json::from_str(&text).unwrap_or(serde_json::Value::String(text)),
    )
}

/// One API client: the server and a person's token; an answer is its status and its body as
/// JSON (a body that is not JSON, as a string).
#[derive(Clone)]
pub struct Api {
    pub base: String,
    pub token: String,
    pub client: reqwest::Client,
}

impl Api {
    pub async fn of(app: &TestApp, login: &str) -> Api {
        Api {
            base: app.address.clone(),
            token: app.api_token(login).await,
            client: reqwest::Client::new(),
        }
    }

    pub async fn send(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<serde_json::Value>,
    ) -> (u16, serde_json::Value) {
        let mut request = self
            .client
            .request(method, format!("{}{path}", self.base))
            .header("authorization", format!("Bearer {}", self.token));
        if let Some(body) = body {
            request = request.json(&body);
        }
        answer(request).await
    }

    /// `POST path` with a `multipart/form-data` body, as `multipart_named` builds it.
    pub async fn post_multipart(&self, path: &str, body: Vec<u8>) -> (u16, serde_json::Value) {
        let request = self
            .client
            .post(format!("{}{path}", self.base))
            .header("authorization", format!("Bearer {}", self.token));
        answer(as_multipart(request, body)).await
    }

    /// The status and the bytes of `GET path`.
    pub async fn get_bytes(&self, path: &str) -> (u16, Vec<u8>) {
        let response = self
            .client
            .get(format!("{}{path}", self.base))
            .header("authorization", format!("Bearer {}", self.token))
            .send()
            .await
            .unwrap();
        let status = response.status().as_u16();
        (status, response.bytes().await.unwrap().to_vec())
    }

    pub async fn get(&self, path: &str) -> (u16, serde_json::Value) {
        self.send(reqwest::Method::GET, path, None).await
    }

    pub async fn post(&self, path: &str, body: serde_json::Value) -> (u16, serde_json::Value) {
        self.send(reqwest::Method::POST, path, Some(body)).await
    }
}

/// The page a response carries, once its status is `status` (the page is shown if not).
pub async fn expect_page(response: reqwest::Response, status: u16) -> String {
    let answered = response.status();
    let page = response.text().await.unwrap();
    assert_eq!(answered, status, "{page}");
    page
}

/// The page a response carries, once its status is `status` and it holds each of `wanted`
/// (the page is shown if not): a form sent back with its problems next to their fields.
pub async fn expect_says(response: reqwest::Response, status: u16, wanted: &[&str]) -> String {
    let page = expect_page(response, status).await;
    says(&page, wanted);
    page
}

/// The fields an API `invalid_fields` answer names, in its order.
pub fn refused_fields(body: &serde_json::Value) -> Vec<&str> {
    body["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect()
}

/// Fails, showing `text` (a page, a body, a header), unless it holds each of `wanted`.
#[track_caller]
pub fn says(text: &str, wanted: &[&str]) {
    for part in wanted {
        assert!(text.contains(part), "{part:?} is not in:\n{text}");
    }
}

/// e.firma for `login` in the tests: the test authority and its current list imported (once),
/// the person registered with Ana's RFC, and Ana's valid certificate.
pub async fn efirma_of(app: &TestApp, login: &str) -> x509_cert::Certificate {
    use turno_efirma::testing::{ANA, KEYS};
    efirma_for(app, login, &ANA, "00001000000700000001", &KEYS.signer).await
}

/// The test CA and its list imported (once: the same files again add nothing), the person who
/// signs in as `login` registered with `holder`'s RFC, and their certificate for `key`, valid
/// from 2025 to 2035, numbered `number`.
pub async fn efirma_for(
    app: &TestApp,
    login: &str,
    holder: &turno_efirma::testing::Holder<'_>,
    number: &str,
    key: &turno_efirma::authority::PrivateKey,
) -> x509_cert::Certificate {
    use turno_efirma::testing::{Authority, KEYS};
    let ca = Authority::root("AC DE PRUEBAS", &KEYS.ca);
    let now = app.state.clock.now();
    let two_days_ago = (now - jiff::SignedDuration::from_hours(48)).to_string();
    for file in [ca.certificate_der(), ca.crl(&[], &two_days_ago)] {
        turno_app::efirma::import(&app.store, &file, "admin")
            .await
            .unwrap();
    }
    let user = app.store.user_by_login(login).await.unwrap().unwrap();
    turno_app::efirma::set_identity(&app.store, user.user.id, (holder.rfc, ""), "admin")
        .await
        .unwrap();
    ca.issue_with(
        holder,
        number,
        ("2025-01-01T00:00:00Z", "2035-01-01T00:00:00Z"),
        key,
    )
}
