//! The JSON API as other systems use it, on SQLite and PostgreSQL: API tokens, registering and
//! completing with idempotency keys and versions, searching, attaching and downloading
//! documents, the same visibility as the pages, administration (units, people, roles, suplencias,
//! the audit log) for administrators only, and an OpenAPI document that lists it all.

use crate::common::{
    BOUNDARY, File, PDF, TestApp, csrf_in, expect_page, expect_says, hidden, multipart_named, says,
    today, with_blobs,
};
use serde_json::{Value, json};
use turno_store::{Role, Store, UserStatus};

mod document_limits;

const PROCEDURE: &str = "sidss-informes-oficiales";

/// A program calling the API with a token (or without one).
struct Client {
    http: reqwest::Client,
    base: String,
    token: Option<String>,
}

/// An answer: its status, headers and JSON body.
struct Answer {
    status: u16,
    headers: reqwest::header::HeaderMap,
    body: Value,
    text: String,
    bytes: Vec<u8>,
}

impl Answer {
    /// The fields an `invalid_fields` answer names, in its order.
    fn fields(&self) -> Vec<&str> {
        crate::common::refused_fields(&self.body)
    }

    async fn of(response: reqwest::Response) -> Answer {
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let bytes = response.bytes().await.unwrap().to_vec();
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let body = serde_json::from_str(&text).unwrap_or(Value::Null);
        Answer {
            status,
            headers,
            body,
            text,
            bytes,
        }
    }
}

impl Client {
    fn new(app: &TestApp, token: Option<String>) -> Client {
        Client {
            http: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
            base: app.address.clone(),
            token,
        }
    }

    async fn of(app: &TestApp, login: &str) -> Client {
        Client::new(app, Some(app.api_token(login).await))
    }

    async fn send(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<&Value>,
        headers: &[(&str, &str)],
    ) -> Answer {
        let mut request = self.http.request(method, format!("{}{path}", self.base));
        if let Some(token) = &self.token {
            request = request.header("authorization", format!("Bearer {token}"));
        }
        if let Some(body) = body {
            request = request
                .header("content-type", "application/json")
                .body(body.to_string());
        }
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        Answer::of(request.send().await.unwrap()).await
    }

    /// Attaches `content` to a case as the API takes a file: the raw body, declared as `mime`
    /// (none if empty), with `query`'s parameters (`name`, `item`).
    async fn upload(
        &self,
        folio: &str,
        query: &[(&str, &str)],
        mime: &str,
        content: &[u8],
    ) -> Answer {
        let url = reqwest::Url::parse_with_params(
            &format!("{}/api/v1/cases/{folio}/documents", self.base),
            query,
        )
        .unwrap();
        let mut request = self.http.post(url).body(content.to_vec());
        if let Some(token) = &self.token {
            request = request.header("authorization", format!("Bearer {token}"));
        }
        if !mime.is_empty() {
            request = request.header("content-type", mime);
        }
        Answer::of(request.send().await.unwrap()).await
    }

    async fn get(&self, path: &str) -> Answer {
        self.send(reqwest::Method::GET, path, None, &[]).await
    }

    async fn post(&self, path: &str, body: &Value) -> Answer {
        self.send(reqwest::Method::POST, path, Some(body), &[])
            .await
    }

    async fn put(&self, path: &str, body: &Value) -> Answer {
        self.send(reqwest::Method::PUT, path, Some(body), &[]).await
    }

    async fn delete(&self, path: &str, body: &Value) -> Answer {
        self.send(reqwest::Method::DELETE, path, Some(body), &[])
            .await
    }

    /// Imports a file as the API takes it (`what`: `units` or `calendar`): its text as the
    /// body, its name in the query.
    async fn import(&self, what: &str, name: &str, text: &str) -> Answer {
        let mut request = self
            .http
            .post(format!("{}/api/v1/{what}/import?name={name}", self.base))
            .header("content-type", "text/plain; charset=utf-8")
            .body(text.to_owned());
        if let Some(token) = &self.token {
            request = request.header("authorization", format!("Bearer {token}"));
        }
        Answer::of(request.send().await.unwrap()).await
    }

    /// Sends a multipart/form-data body, as `common::multipart_files` builds it.
    async fn multipart(&self, method: reqwest::Method, path: &str, body: Vec<u8>) -> Answer {
        let mut request = self
            .http
            .request(method, format!("{}{path}", self.base))
            .header(
                "content-type",
                format!("multipart/form-data; boundary={BOUNDARY}"),
            )
            .body(body);
        if let Some(token) = &self.token {
            request = request.header("authorization", format!("Bearer {token}"));
        }
        Answer::of(request.send().await.unwrap()).await
    }

    /// Registers a petition as the API takes it: its fields as `multipart/form-data`, with
    /// `document` as the scanned oficio if given.
    async fn register_petition(&self, fields: &[(&str, &str)], document: Option<&[u8]>) -> Answer {
        let file = document.map(|content| File {
            name: "oficio.pdf",
            mime: "application/pdf",
            content,
        });
        let body = multipart_named(fields, "document", file.as_ref());
        self.multipart(reqwest::Method::POST, "/api/v1/petitions", body)
            .await
    }

    /// Records an activity's progress with an evidence file, as the API takes it.
    async fn evidence(
        &self,
        activity: &str,
        fields: &[(&str, &str)],
        file: Option<&File<'_>>,
    ) -> Answer {
        let body = multipart_named(fields, "evidence", file);
        self.multipart(
            reqwest::Method::POST,
            &format!("/api/v1/programs/{activity}/evidence"),
            body,
        )
        .await
    }

    /// Registers an informe; returns its folio.
    async fn register(&self) -> String {
        self.register_titled("Informe trimestral de la DGPLADES")
            .await
    }

    /// Registers an informe on `title`; returns its folio.
    async fn register_titled(&self, title: &str) -> String {
        let answer = self
            .post(
                "/api/v1/cases",
                &json!({
                    "procedure": PROCEDURE,
                    "title": title,
                    "channel": "Oficio",
                    "requester": "DGPLADES",
                    "fields": {
                        "tipo_informe": "Informe trimestral",
                        "direccion_general": "DGPLADES",
                    },
                }),
            )
            .await;
        assert_eq!(answer.status, 201, "{}", answer.text);
        answer.body["folio"].as_str().unwrap().to_owned()
    }

    /// The case and its first open work item.
    async fn case(&self, folio: &str) -> (Value, u64, i64) {
        let answer = self.get(&format!("/api/v1/cases/{folio}")).await;
        assert_eq!(answer.status, 200, "{}", answer.text);
        let item = answer.body["open_work"][0]["item"].as_u64().unwrap();
        let version = answer.body["version"].as_i64().unwrap();
        (answer.body, item, version)
    }

    /// Completes the case's first open work item, answering `outcome` if given.
    async fn complete(&self, folio: &str, outcome: Option<&str>) -> Answer {
        let (_, item, version) = self.case(folio).await;
        let mut body = json!({"version": version, "observations": "Revisado"});
        if let Some(outcome) = outcome {
            body["outcome"] = json!(outcome);
        }
        self.post(&format!("/api/v1/cases/{folio}/work/{item}"), &body)
            .await
    }
}

fn assert_error(answer: &Answer, status: u16, code: &str) {
    assert_eq!(answer.status, status, "{}", answer.text);
    assert_eq!(answer.body["code"], code, "{}", answer.text);
    assert!(
        answer.body["error"].as_str().is_some_and(|e| !e.is_empty()),
        "{}",
        answer.text
    );
    assert!(
        answer.headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/json")
    );
}

async fn requests_without_a_valid_token_are_unauthorized(app: TestApp) {
    let folio = Client::of(&app, "secretario").await.register().await;
    // Every operation, as "METHOD path" ({folio} is the case registered above).
    let endpoints = [
        "GET /api/v1/inbox",
        "GET /api/v1/cases/{folio}",
        "POST /api/v1/cases",
        "POST /api/v1/cases/{folio}/work/1",
        "POST /api/v1/cases/{folio}/work/1/turns",
        "POST /api/v1/cases/{folio}/work/1/clock",
        "GET /api/v1/procedures",
        "GET /api/v1/procedures/{PROCEDURE}",
        "GET /api/v1/procedures/{PROCEDURE}/flowchart",
        "GET /api/v1/procedures/{PROCEDURE}/manual?format=pdf",
        "GET /api/v1/procedures/{PROCEDURE}/bpmn",
        "GET /api/v1/cases?q=DGPLADES",
        "GET /api/v1/programs",
        "GET /api/v1/programs/SUP-1",
        "GET /api/v1/programs/SUP-1/quarter",
        "GET /api/v1/programs/SUP-1/rollup?unit=SIDSS-ST",
        "POST /api/v1/programs/SUP-1/items/R1/activities/1/progress",
        "POST /api/v1/programs/SUP-1/items/R1/activities/1/evidence",
        "GET /api/v1/programs/SUP-1/items/R1/activities/1/evidence/0",
        "POST /api/v1/programs",
        "POST /api/v1/programs/SUP-1/items",
        "PUT /api/v1/programs/SUP-1/items/R1",
        "PUT /api/v1/programs/SUP-1/tables",
        "POST /api/v1/programs/SUP-1/rounds",
        "POST /api/v1/supervisions",
        "GET /api/v1/cases/{folio}/documents",
        "POST /api/v1/cases/{folio}/documents?name=oficio.pdf",
        "GET /api/v1/cases/{folio}/documents/1",
        "GET /api/v1/units",
        "POST /api/v1/units/import?name=u.csv",
        "PUT /api/v1/units/SIDSS-ST",
        "PATCH /api/v1/units/SIDSS-ST",
        "POST /api/v1/calendar/entries",
        "PUT /api/v1/calendar/entries/1",
        "DELETE /api/v1/calendar/entries/1",
        "PUT /api/v1/calendar/scope",
        "GET /api/v1/motives",
        "POST /api/v1/motives",
        "POST /api/v1/motives/MED-SURT/retire",
        "GET /api/v1/people",
        "POST /api/v1/people",
        "POST /api/v1/people/asesor/roles",
        "DELETE /api/v1/people/asesor/roles",
        "PUT /api/v1/people/asesor/active",
        "PUT /api/v1/people/asesor/identity",
        "GET /api/v1/delegations",
        "POST /api/v1/delegations",
        "POST /api/v1/delegations/1/revoke",
        "GET /api/v1/audit",
        "GET /api/v1/informes/atencion?mes=2026-03",
        "POST /api/v1/informes/atencion/llamadas",
        "GET /api/v1/notifications",
        "POST /api/v1/notifications/read",
        "GET /api/v1/notifications/preferences",
        "PUT /api/v1/notifications/preferences",
    ]
    .map(|line| {
        let (method, path) = line.split_once(' ').unwrap();
        let path = path
            .replace("{folio}", &folio)
            .replace("{PROCEDURE}", PROCEDURE);
        (
            reqwest::Method::from_bytes(method.as_bytes()).unwrap(),
            path,
        )
    });
    let body = json!({"procedure": PROCEDURE, "title": "x"});
    let tokens = [
        None,
        Some("turno_0000000000000000000000000000000000000000000000000000000000000000".to_owned()),
        Some(String::new()),
    ];
    for token in tokens {
        let client = Client::new(&app, token.clone());
        for (method, path) in &endpoints {
            let answer = client.send(method.clone(), path, Some(&body), &[]).await;
            assert_error(&answer, 401, "unauthorized");
            assert!(
                answer.headers["www-authenticate"]
                    .to_str()
                    .unwrap()
                    .starts_with("Bearer"),
                "{method} {path}"
            );
            assert!(!answer.text.contains("DGPLADES"), "{method} {path}");
        }
    }
    // Another scheme, or the token outside the header, does not count either.
    let token = app.api_token("secretario").await;
    let client = Client::new(&app, None);
    let basic = client
        .send(
            reqwest::Method::GET,
            "/api/v1/inbox",
            None,
            &[("authorization", &format!("Basic {token}"))],
        )
        .await;
    assert_error(&basic, 401, "unauthorized");
    let in_query = client
        .get(&format!("/api/v1/inbox?access_token={token}"))
        .await;
    assert_error(&in_query, 401, "unauthorized");
    // A session cookie is not a token: the API never reads sessions.
    let browser = app.signed_in("secretario").await;
    assert_eq!(browser.get("/api/v1/inbox").await.status(), 401);

    // A revoked token and the token of a deactivated user stop working.
    let valid = Client::new(&app, Some(token.clone()));
    assert_eq!(valid.get("/api/v1/inbox").await.status, 200);
    let user = app
        .store
        .user_by_login("asesor")
        .await
        .unwrap()
        .unwrap()
        .user;
    let (text, digest) = turno_web::api::token::generate();
    let id = app
        .store
        .create_api_token(user.id, "revocable", &digest)
        .await
        .unwrap();
    let asesor = Client::new(&app, Some(text));
    assert_eq!(asesor.get("/api/v1/inbox").await.status, 200);
    assert!(app.store.revoke_api_token(id).await.unwrap());
    assert_error(&asesor.get("/api/v1/inbox").await, 401, "unauthorized");
    let consulta = Client::of(&app, "consulta").await;
    assert_eq!(consulta.get("/api/v1/inbox").await.status, 200);
    let consulta_id = app
        .store
        .user_by_login("consulta")
        .await
        .unwrap()
        .unwrap()
        .user
        .id;
    app.store
        .set_user_status(consulta_id, UserStatus::Inactive, "prueba")
        .await
        .unwrap();
    assert_error(&consulta.get("/api/v1/inbox").await, 401, "unauthorized");
}

async fn registering_answers_201_with_the_folio(app: TestApp) {
    let secretario = Client::of(&app, "secretario").await;
    let answer = secretario
        .post(
            "/api/v1/cases",
            &json!({
                "procedure": PROCEDURE,
                "title": "Informe trimestral de la DGPLADES",
                "fields": {"tipo_informe": "Informe trimestral", "direccion_general": "DGPLADES"},
            }),
        )
        .await;
    assert_eq!(answer.status, 201, "{}", answer.text);
    let folio = answer.body["folio"].as_str().unwrap().to_owned();
    assert_eq!(folio, format!("CAS-{}-000001", jiff::Zoned::now().year()));
    let version = answer.body["version"].as_i64().unwrap();
    assert!(version >= 2, "started and turned");
    assert_eq!(answer.headers["location"], format!("/api/v1/cases/{folio}"));

    let (case, _, case_version) = secretario.case(&folio).await;
    assert_eq!(case_version, version);
    assert_eq!(case["status"], "open");
    assert_eq!(case["procedure"]["key"], PROCEDURE);
    assert_eq!(case["title"], "Informe trimestral de la DGPLADES");
    assert_eq!(case["channel"], Value::Null);
    let fields = case["fields"].as_array().unwrap();
    assert!(
        fields
            .iter()
            .any(|f| f["name"] == "direccion_general" && f["value"] == "DGPLADES")
    );
    let open = &case["open_work"][0];
    assert_eq!(open["activity"], "1.1");
    assert_eq!(open["can_act"], true);
    assert_eq!(
        open["business_days_left"].is_i64(),
        open["due"].is_string(),
        "{open}"
    );
    assert_eq!(open["units"], json!(["SIDSS-ST"]));
    assert_eq!(open["answers"], json!([]));
    let events = case["events"].as_array().unwrap();
    assert_eq!(events.len() as i64, version);
    assert_eq!(events[0]["kind"], "case_started");
    assert_eq!(events[0]["actor"], "secretario");
    assert_eq!(events[0]["payload"]["event"], "case_started");
    assert_eq!(
        events[0]["payload"]["fields"]["tipo_informe"]["value"],
        "Informe trimestral"
    );
    assert_eq!(events[1]["kind"], "work_opened");

    // A retried registration with its idempotency key gets the first folio; nothing new.
    let body = json!({
        "procedure": PROCEDURE,
        "title": "Otro informe",
        "fields": {"tipo_informe": "Informe anual", "direccion_general": "DGIS"},
    });
    let key = [("idempotency-key", "alta-otro-informe")];
    let first = secretario
        .send(reqwest::Method::POST, "/api/v1/cases", Some(&body), &key)
        .await;
    assert_eq!(first.status, 201, "{}", first.text);
    let again = secretario
        .send(reqwest::Method::POST, "/api/v1/cases", Some(&body), &key)
        .await;
    assert_eq!(again.status, 201, "{}", again.text);
    assert_eq!(again.body, first.body);
    assert_eq!(again.headers["idempotent-replayed"], "true");
    let year = jiff::Zoned::now().year();
    assert_eq!(first.body["folio"], format!("CAS-{year}-000002"));
    assert_eq!(
        app.store
            .find_case(&format!("CAS-{year}-000003"))
            .await
            .unwrap(),
        None
    );
    assert_eq!(app.store.verify().await.unwrap().breaks, []);
}

async fn field_errors_are_422_with_each_field(app: TestApp) {
    let secretario = Client::of(&app, "secretario").await;
    let answer = secretario
        .post(
            "/api/v1/cases",
            &json!({
                "procedure": PROCEDURE,
                "title": "  ",
                "fields": {"tipo_informe": "Informe", "no_existe": "x"},
            }),
        )
        .await;
    assert_error(&answer, 422, "invalid_fields");
    let mut refused: Vec<&str> = answer.body["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            assert!(f["reason"].as_str().is_some_and(|r| !r.is_empty()));
            f["field"].as_str().unwrap()
        })
        .collect();
    refused.sort();
    assert_eq!(refused, ["direccion_general", "no_existe", "title"]);

    let unknown = secretario
        .post(
            "/api/v1/cases",
            &json!({"procedure": "no-existe", "title": "x", "fields": {}}),
        )
        .await;
    assert_error(&unknown, 422, "invalid_fields");
    assert_eq!(unknown.body["fields"][0]["field"], "procedure");

    // A body that is not JSON, or not of the expected shape, is a JSON 400 too.
    let broken = secretario
        .send(
            reqwest::Method::POST,
            "/api/v1/cases",
            None,
            &[("content-type", "application/json")],
        )
        .await;
    assert_error(&broken, 400, "bad_request");
    let typo = secretario
        .post(
            "/api/v1/cases",
            &json!({"procedure": PROCEDURE, "titulo": "x"}),
        )
        .await;
    assert_eq!(typo.body["code"], "bad_request", "{}", typo.text);

    // Only procedures that start in one of the user's units.
    let ajeno = Client::of(&app, "ajeno").await;
    let forbidden = ajeno
        .post(
            "/api/v1/cases",
            &json!({
                "procedure": PROCEDURE,
                "title": "x",
                "fields": {"tipo_informe": "x", "direccion_general": "x"},
            }),
        )
        .await;
    assert_error(&forbidden, 403, "forbidden");
    assert_eq!(
        app.store
            .find_case(&format!("CAS-{}-000001", jiff::Zoned::now().year()))
            .await
            .unwrap(),
        None,
        "nothing was registered"
    );
}

async fn completing_twice_with_one_idempotency_key_applies_once(app: TestApp) {
    let secretario = Client::of(&app, "secretario").await;
    let folio = secretario.register().await;
    let (_, item, version) = secretario.case(&folio).await;
    let path = format!("/api/v1/cases/{folio}/work/{item}");
    let body = json!({"version": version, "observations": "Recibido"});
    let key = [("idempotency-key", "5f1c2b1e-reintento")];
    let first = secretario
        .send(reqwest::Method::POST, &path, Some(&body), &key)
        .await;
    assert_eq!(first.status, 200, "{}", first.text);
    assert_eq!(first.body["folio"], folio.as_str());
    assert!(first.body["version"].as_i64().unwrap() > version);
    assert!(first.headers.get("idempotent-replayed").is_none());

    let again = secretario
        .send(reqwest::Method::POST, &path, Some(&body), &key)
        .await;
    assert_eq!(again.status, 200, "{}", again.text);
    assert_eq!(again.body, first.body, "the first result, again");
    assert_eq!(again.headers["idempotent-replayed"], "true");

    let (case, _, now) = secretario.case(&folio).await;
    assert_eq!(now, first.body["version"].as_i64().unwrap(), "applied once");
    let completions = case["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "work_completed")
        .count();
    assert_eq!(completions, 1);
    assert_eq!(case["open_work"][0]["activity"], "2.1");

    // Without the key the same request is a new command: the item is closed by now.
    let without = secretario.post(&path, &body).await;
    assert_eq!(without.status, 409, "{}", without.text);

    // The key belongs to that operation: another case cannot reuse it.
    let other = secretario.register().await;
    let (_, other_item, _) = secretario.case(&other).await;
    let reused = secretario
        .send(
            reqwest::Method::POST,
            &format!("/api/v1/cases/{other}/work/{other_item}"),
            Some(&json!({})),
            &key,
        )
        .await;
    assert_error(&reused, 422, "idempotency_key_reused");
    // Another person's identical key is theirs alone.
    let admin = Client::of(&app, "admin").await;
    let theirs = admin
        .send(
            reqwest::Method::POST,
            &format!("/api/v1/cases/{other}/work/{other_item}"),
            Some(&json!({})),
            &key,
        )
        .await;
    assert_eq!(theirs.status, 200, "{}", theirs.text);
    assert_eq!(theirs.body["folio"], other.as_str());
    assert_eq!(app.store.verify().await.unwrap().breaks, []);
}

async fn a_stale_version_is_a_conflict(app: TestApp) {
    let secretario = Client::of(&app, "secretario").await;
    let folio = secretario.register().await;
    let (_, item, version) = secretario.case(&folio).await;
    let done = secretario
        .post(
            &format!("/api/v1/cases/{folio}/work/{item}"),
            &json!({"version": version}),
        )
        .await;
    assert_eq!(done.status, 200, "{}", done.text);
    let (_, next_item, _) = secretario.case(&folio).await;
    let stale = secretario
        .post(
            &format!("/api/v1/cases/{folio}/work/{next_item}"),
            &json!({"version": version}),
        )
        .await;
    assert_error(&stale, 409, "conflict");
    let (case, _, now) = secretario.case(&folio).await;
    assert_eq!(
        now,
        done.body["version"].as_i64().unwrap(),
        "nothing applied"
    );
    assert_eq!(case["open_work"][0]["item"], next_item);
}

async fn engine_refusals_are_422_in_spanish(app: TestApp) {
    let secretario = Client::of(&app, "secretario").await;
    let folio = secretario.register().await;
    // 1.1 → 2.1 → 2.2, a decision.
    for _ in 0..2 {
        assert_eq!(secretario.complete(&folio, None).await.status, 200);
    }
    let (case, item, _) = secretario.case(&folio).await;
    let open = &case["open_work"][0];
    assert_eq!(open["activity"], "2.2");
    assert!(open["question"].as_str().is_some());
    let mut answers: Vec<&str> = open["answers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["answer"].as_str().unwrap())
        .collect();
    answers.sort();
    assert_eq!(answers, ["No", "Sí"]);
    let no_answer = secretario.complete(&folio, None).await;
    assert_error(&no_answer, 422, "refused");
    assert!(
        no_answer.body["error"]
            .as_str()
            .unwrap()
            .contains("es una decisión"),
        "{}",
        no_answer.text
    );
    let wrong = secretario.complete(&folio, Some("Tal vez")).await;
    assert_error(&wrong, 422, "refused");
    // An item no longer open was answered first, as on the pages.
    let closed = secretario
        .post(&format!("/api/v1/cases/{folio}/work/999"), &json!({}))
        .await;
    assert_error(&closed, 409, "conflict");
    assert!(closed.text.contains("Otra persona atendió esta actividad"));
    assert_eq!(secretario.complete(&folio, Some("sí")).await.status, 200);
    let (case, _, _) = secretario.case(&folio).await;
    assert_ne!(case["open_work"][0]["item"], item);
}

async fn cases_of_other_units_are_403_with_no_data(app: TestApp) {
    let secretario = Client::of(&app, "secretario").await;
    let folio = secretario.register().await;
    let (_, item, version) = secretario.case(&folio).await;
    let ajeno = Client::of(&app, "ajeno").await;
    let seen = ajeno.get(&format!("/api/v1/cases/{folio}")).await;
    assert_error(&seen, 403, "forbidden");
    let acted = ajeno
        .post(
            &format!("/api/v1/cases/{folio}/work/{item}"),
            &json!({"version": version}),
        )
        .await;
    assert_error(&acted, 403, "forbidden");
    for answer in [&seen, &acted] {
        assert!(
            !answer.text.contains("DGPLADES")
                && !answer.text.contains("Informe")
                && !answer.text.contains("1.1"),
            "{}",
            answer.text
        );
    }
    let inbox = ajeno.get("/api/v1/inbox").await;
    assert_eq!(inbox.status, 200);
    assert!(!inbox.text.contains(&folio));
    // A folio that does not exist is a 404, not a hint.
    assert_error(
        &ajeno.get("/api/v1/cases/CAS-1999-000001").await,
        404,
        "not_found",
    );
    // The administrator sees it; the consulta role sees it but cannot act.
    let admin = Client::of(&app, "admin").await;
    assert_eq!(
        admin.get(&format!("/api/v1/cases/{folio}")).await.status,
        200
    );
    let consulta = Client::of(&app, "consulta").await;
    let (case, _, _) = consulta.case(&folio).await;
    assert_eq!(case["open_work"][0]["can_act"], false);
    let refused = consulta
        .post(
            &format!("/api/v1/cases/{folio}/work/{item}"),
            &json!({"version": version}),
        )
        .await;
    assert_error(&refused, 403, "forbidden");
    let (_, _, now) = secretario.case(&folio).await;
    assert_eq!(now, version, "nothing applied");
}

async fn the_inbox_lists_the_open_work(app: TestApp) {
    let secretario = Client::of(&app, "secretario").await;
    let folio = secretario.register().await;
    let second = secretario.register().await;
    let answer = secretario.get("/api/v1/inbox").await;
    assert_eq!(answer.status, 200, "{}", answer.text);
    assert_eq!(answer.body["total"], 2);
    let row = answer.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["folio"] == folio.as_str())
        .expect("the case is in the inbox")
        .clone();
    assert_eq!(row["title"], "Informe trimestral de la DGPLADES");
    assert_eq!(row["procedure"], PROCEDURE);
    assert!(
        row["procedure_title"]
            .as_str()
            .unwrap()
            .starts_with("Procedimiento")
    );
    assert_eq!(row["activity"], "1.1");
    assert!(row["item"].as_i64().is_some());
    assert!(["on_time", "due_soon", "overdue"].contains(&row["due_status"].as_str().unwrap()));
    if let Some(due) = row["due"].as_str() {
        assert!(due.parse::<jiff::civil::Date>().is_ok(), "{due}");
    }
    // Días hábiles left exactly when there is a due date.
    assert_eq!(
        row["business_days_left"].is_i64(),
        row["due"].is_string(),
        "{row}"
    );

    let page = secretario.get("/api/v1/inbox?limit=1&offset=1").await;
    assert_eq!(page.body["total"], 2);
    assert_eq!(page.body["items"].as_array().unwrap().len(), 1);
    let first_page = secretario.get("/api/v1/inbox?limit=1").await;
    assert_ne!(
        first_page.body["items"][0]["folio"],
        page.body["items"][0]["folio"]
    );
    assert!(page.text.contains(&folio) || page.text.contains(&second));
    assert_error(
        &secretario.get("/api/v1/inbox?limit=0").await,
        400,
        "bad_request",
    );
    assert_error(
        &secretario.get("/api/v1/inbox?limit=x").await,
        400,
        "bad_request",
    );
    assert_error(
        &secretario.get("/api/v1/inbox?offset=-1").await,
        400,
        "bad_request",
    );

    // The Coordinación de Asesores has nothing yet.
    let asesor = Client::of(&app, "asesor").await;
    assert_eq!(asesor.get("/api/v1/inbox").await.body["total"], 0);
}

async fn the_catalog_lists_procedures_and_their_activities(app: TestApp) {
    let client = Client::of(&app, "consulta").await;
    let list = client.get("/api/v1/procedures").await;
    assert_eq!(list.status, 200, "{}", list.text);
    let entry = list
        .body
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["key"] == PROCEDURE)
        .unwrap()
        .clone();
    // Version 2: its 4.1 is signed with e.firma.
    assert_eq!(entry["version"], 2);
    assert!(entry["activity_count"].as_u64().unwrap() > 5);

    let detail = client.get(&format!("/api/v1/procedures/{PROCEDURE}")).await;
    assert_eq!(detail.status, 200, "{}", detail.text);
    assert_eq!(detail.body["folio_prefix"], "CAS");
    let stages = detail.body["stages"].as_array().unwrap();
    assert_eq!(stages[0]["number"], "1.0");
    assert_eq!(stages[0]["activities"][0]["number"], "1.1");
    assert_eq!(stages[0]["activities"][0]["responsible"], json!(["ST"]));
    let activities: usize = stages
        .iter()
        .map(|s| s["activities"].as_array().unwrap().len())
        .sum();
    assert_eq!(activities as u64, entry["activity_count"].as_u64().unwrap());
    assert!(
        detail.body["participants"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["key"] == "CAS" && p["unit"] == "SIDSS-CAS")
    );
    assert!(
        detail.body["fields"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["name"] == "medio_envio" && f["type"] == "choice")
    );
    assert_eq!(
        client
            .get(&format!("/api/v1/procedures/{PROCEDURE}?version=2"))
            .await
            .status,
        200
    );
    assert_error(
        &client.get("/api/v1/procedures/no-existe").await,
        404,
        "not_found",
    );
    assert_error(
        &client
            .get(&format!("/api/v1/procedures/{PROCEDURE}?version=9"))
            .await,
        404,
        "not_found",
    );
    assert_error(&client.get("/api/v1/no-existe").await, 404, "not_found");

    // The diagram, as the catalog page downloads it.
    let flowchart = format!("/api/v1/procedures/{PROCEDURE}/flowchart");
    let svg = client.get(&flowchart).await;
    assert_eq!(svg.status, 200, "{}", svg.text);
    assert_eq!(svg.headers["content-type"], "image/svg+xml");
    assert!(svg.text.starts_with("<svg"));
    let pdf = client
        .get(&format!("{flowchart}?format=pdf&version=2"))
        .await;
    assert_eq!(pdf.status, 200);
    assert_eq!(pdf.headers["content-type"], "application/pdf");
    assert!(pdf.bytes.starts_with(b"%PDF"));
    assert_eq!(
        client.get(&format!("{flowchart}?format=png")).await.status,
        400
    );
    assert_error(
        &client.get("/api/v1/procedures/no-existe/flowchart").await,
        404,
        "not_found",
    );

    // The official manual, as the procedure's page links it.
    let manual = format!("/api/v1/procedures/{PROCEDURE}/manual");
    let docx = client.get(&format!("{manual}?format=docx")).await;
    assert_eq!(docx.status, 200, "{}", docx.text);
    assert_eq!(
        docx.headers["content-type"],
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    );
    assert!(
        docx.headers["content-disposition"]
            .to_str()
            .unwrap()
            .contains(&format!("manual-{PROCEDURE}-v2.docx"))
    );
    assert!(docx.bytes.starts_with(b"PK"));
    let pdf = client.get(&format!("{manual}?format=pdf&version=2")).await;
    assert_eq!(pdf.status, 200, "{}", pdf.text);
    assert_eq!(pdf.headers["content-type"], "application/pdf");
    assert!(pdf.bytes.starts_with(b"%PDF"));
    // The format is required, and one of the two.
    assert_eq!(client.get(&manual).await.status, 400);
    assert_eq!(
        client.get(&format!("{manual}?format=odt")).await.status,
        400
    );
    assert_error(
        &client
            .get("/api/v1/procedures/no-existe/manual?format=pdf")
            .await,
        404,
        "not_found",
    );
    assert_error(
        &client.get(&format!("{manual}?format=pdf&version=9")).await,
        404,
        "not_found",
    );

    // The procedure as BPMN 2.0 (docs/bpmn.md), as `turno export bpmn` writes it.
    let bpmn = format!("/api/v1/procedures/{PROCEDURE}/bpmn");
    let file = client.get(&format!("{bpmn}?version=2")).await;
    assert_eq!(file.status, 200, "{}", file.text);
    assert_eq!(file.headers["content-type"], "application/xml");
    assert!(
        file.headers["content-disposition"]
            .to_str()
            .unwrap()
            .contains(&format!("{PROCEDURE}-v2.bpmn"))
    );
    let seed = app
        .state
        .library
        .current()
        .get(PROCEDURE, 2)
        .unwrap()
        .clone();
    assert_eq!(
        file.text,
        turno_domain::bpmn::export::export(&seed).unwrap()
    );
    assert!(
        file.text
            .contains("<bpmn:lane id=\"Lane_CAS\" name=\"Coordinación de Asesores\">")
    );
    assert_error(
        &client.get(&format!("{bpmn}?version=9")).await,
        404,
        "not_found",
    );
    assert_error(
        &client.get("/api/v1/procedures/no-existe/bpmn").await,
        404,
        "not_found",
    );
}

async fn the_openapi_document_lists_every_path_with_the_bearer_scheme(app: TestApp) {
    let client = Client::new(&app, None);
    let answer = client.get("/api/v1/openapi.json").await;
    assert_eq!(answer.status, 200, "{}", answer.text);
    let doc = &answer.body;
    assert!(
        doc["openapi"].as_str().unwrap().starts_with("3."),
        "{}",
        doc["openapi"]
    );
    let scheme = &doc["components"]["securitySchemes"]["bearer"];
    assert_eq!(scheme["type"], "http");
    assert_eq!(scheme["scheme"], "bearer");
    for (path, method) in [
        ("/api/v1/inbox", "get"),
        ("/api/v1/cases", "post"),
        ("/api/v1/cases/{folio}", "get"),
        ("/api/v1/cases/{folio}/work/{item}", "post"),
        ("/api/v1/cases/{folio}/work/{item}/turns", "post"),
        ("/api/v1/cases/{folio}/work/{item}/clock", "post"),
        ("/api/v1/procedures", "get"),
        ("/api/v1/procedures/{key}", "get"),
        ("/api/v1/procedures/{key}/flowchart", "get"),
        ("/api/v1/procedures/{key}/manual", "get"),
        ("/api/v1/openapi.json", "get"),
        ("/api/v1/programs", "get"),
        ("/api/v1/programs/{key}", "get"),
        ("/api/v1/programs/{key}/quarter", "get"),
        ("/api/v1/programs/{key}/rollup", "get"),
        (
            "/api/v1/programs/{key}/items/{item}/activities/{number}/progress",
            "post",
        ),
        (
            "/api/v1/programs/{key}/items/{item}/activities/{number}/evidence",
            "post",
        ),
        (
            "/api/v1/programs/{key}/items/{item}/activities/{number}/evidence/{index}",
            "get",
        ),
        ("/api/v1/programs", "post"),
        ("/api/v1/programs/{key}/items", "post"),
        ("/api/v1/programs/{key}/items/{item}", "put"),
        ("/api/v1/programs/{key}/tables", "put"),
        ("/api/v1/programs/{key}/rounds", "post"),
        ("/api/v1/supervisions", "post"),
        ("/api/v1/cases", "get"),
        ("/api/v1/cases/{folio}/documents", "get"),
        ("/api/v1/cases/{folio}/documents", "post"),
        ("/api/v1/cases/{folio}/documents/{id}", "get"),
        ("/api/v1/units", "get"),
        ("/api/v1/units/import", "post"),
        ("/api/v1/calendar", "get"),
        ("/api/v1/calendar/import", "post"),
        ("/api/v1/calendar/entries", "post"),
        ("/api/v1/calendar/entries/{id}", "delete"),
        ("/api/v1/calendar/entries/{id}", "put"),
        ("/api/v1/calendar/scope", "put"),
        ("/api/v1/units/{code}", "put"),
        ("/api/v1/units/{code}", "patch"),
        ("/api/v1/motives", "get"),
        ("/api/v1/motives", "post"),
        ("/api/v1/motives/{code}/retire", "post"),
        ("/api/v1/people", "get"),
        ("/api/v1/people", "post"),
        ("/api/v1/people/{login}/roles", "post"),
        ("/api/v1/people/{login}/roles", "delete"),
        ("/api/v1/people/{login}/active", "put"),
        ("/api/v1/delegations", "get"),
        ("/api/v1/delegations", "post"),
        ("/api/v1/delegations/{id}/revoke", "post"),
        ("/api/v1/audit", "get"),
        ("/api/v1/informes/atencion", "get"),
        ("/api/v1/informes/atencion/llamadas", "post"),
        ("/api/v1/notifications", "get"),
        ("/api/v1/notifications/read", "post"),
        ("/api/v1/notifications/preferences", "get"),
        ("/api/v1/notifications/preferences", "put"),
        ("/api/v1/petitions", "get"),
        ("/api/v1/petitions", "post"),
        ("/api/v1/petitions/{folio}", "get"),
        ("/api/v1/petitions/{folio}/letter", "get"),
        ("/api/v1/petitions/{folio}/classification", "get"),
        ("/api/v1/petitions/{folio}/classification", "post"),
        ("/api/v1/petitions/{folio}/slip", "get"),
        ("/api/v1/petitions/{folio}/responses", "get"),
        ("/api/v1/petitions/{folio}/responses", "post"),
        ("/api/v1/petitions/{folio}/review", "post"),
        ("/api/v1/petitions/status", "post"),
        ("/api/v1/petitions/mailbox", "post"),
        ("/api/v1/petitions/import", "post"),
    ] {
        let operation = &doc["paths"][path][method];
        assert!(operation.is_object(), "{method} {path} is documented");
        // The document itself, and the public mailbox and the petitioner's lookup as their
        // pages, ask for no token.
        let public = [
            "/api/v1/openapi.json",
            "/api/v1/petitions/status",
            "/api/v1/petitions/mailbox",
        ];
        if public.contains(&path) {
            assert!(operation["security"].is_null(), "{method} {path} is public");
        } else {
            assert_eq!(
                operation["security"],
                json!([{"bearer": []}]),
                "{method} {path} asks for the token"
            );
            assert!(
                operation["responses"]["401"].is_object(),
                "{method} {path} documents 401"
            );
        }
    }
    let complete = &doc["paths"]["/api/v1/cases/{folio}/work/{item}"]["post"];
    for status in ["200", "403", "409", "422"] {
        assert!(complete["responses"][status].is_object(), "{status}");
    }
    assert!(
        complete["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["name"] == "Idempotency-Key" && p["in"] == "header")
    );
    let upload = &doc["paths"]["/api/v1/cases/{folio}/documents"]["post"];
    assert_eq!(upload["tags"], json!(["documentos"]));
    for status in ["201", "400", "403", "404", "413", "415"] {
        assert!(upload["responses"][status].is_object(), "{status}");
    }
    assert!(
        upload["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["name"] == "name" && p["in"] == "query")
    );
    assert_eq!(
        doc["paths"]["/api/v1/cases"]["get"]["tags"],
        json!(["asuntos"])
    );
    assert!(
        doc["tags"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t["name"] == "documentos")
    );
    for (path, method) in [
        ("/api/v1/people", "get"),
        ("/api/v1/people/{login}/active", "put"),
        ("/api/v1/audit", "get"),
        ("/api/v1/units/import", "post"),
        ("/api/v1/calendar/import", "post"),
    ] {
        let operation = &doc["paths"][path][method];
        assert_eq!(
            operation["tags"],
            json!(["administración"]),
            "{method} {path}"
        );
        assert!(operation["responses"]["403"].is_object(), "{method} {path}");
    }
    let register = &doc["paths"]["/api/v1/petitions"]["post"]["requestBody"]["content"];
    assert!(register["multipart/form-data"].is_object(), "{register}");
    for schema in [
        "PetitionDetail",
        "RegisterForm",
        "ClassifyRequest",
        "FurRequest",
        "ReviewRequest",
        "StatusDetail",
        "Document",
        "SearchResults",
        "Inbox",
        "CaseDetail",
        "RegisterRequest",
        "CompleteRequest",
        "CommandResult",
        "ErrorBody",
        "ProcedureDetail",
        "UnitDetail",
        "PersonDetail",
        "DelegationDetail",
        "AuditRecord",
    ] {
        assert!(
            doc["components"]["schemas"][schema].is_object(),
            "{schema} is described"
        );
    }
    assert_eq!(
        doc["components"]["schemas"]["DueStatus"]["enum"],
        json!(["on_time", "due_soon", "overdue"])
    );
    for schema in ["InboxItem", "OpenWork"] {
        assert!(
            doc["components"]["schemas"][schema]["properties"]["business_days_left"].is_object(),
            "{schema} has its días hábiles left"
        );
    }
}

async fn work_is_turned_to_units_and_their_answers_come_back(app: TestApp) {
    let secretario = Client::of(&app, "secretario").await;
    let folio = secretario.register().await;
    assert_eq!(secretario.complete(&folio, None).await.status, 200);
    let (_, item, version) = secretario.case(&folio).await;
    let path = format!("/api/v1/cases/{folio}/work/{item}/turns");
    let body = |units: Value, days: u64| {
        json!({
            "version": version,
            "units": units,
            "instruction": "Revise las cifras del anexo",
            "business_days": days,
        })
    };

    let unknown = secretario.post(&path, &body(json!(["NO-EXISTE"]), 5)).await;
    assert_error(&unknown, 400, "bad_request");
    assert!(unknown.text.contains("«NO-EXISTE» no existe"));
    let too_long = secretario
        .post(&path, &body(json!(["SIDSS-CAS"]), 900))
        .await;
    assert_error(&too_long, 422, "refused");
    let ajeno = Client::of(&app, "ajeno").await;
    let forbidden = ajeno.post(&path, &body(json!(["SIDSS-CAS"]), 5)).await;
    assert_eq!(forbidden.status, 403);
    assert!(!forbidden.text.contains("DGPLADES"));

    let turned = secretario.post(&path, &body(json!(["SIDSS-CAS"]), 5)).await;
    assert_eq!(turned.status, 201, "{}", turned.text);
    let (case, _, _) = secretario.case(&folio).await;
    let work = case["open_work"].as_array().unwrap();
    assert_eq!(work.len(), 2);
    assert_eq!(work[0]["waiting_for"], json!(["SIDSS-CAS"]));
    assert_eq!(work[1]["turned_from"], item);
    assert_eq!(work[1]["units"], json!(["SIDSS-CAS"]));
    assert_eq!(work[1]["instruction"], "Revise las cifras del anexo");
    assert_eq!(
        work[1]["can_act"], false,
        "the Secretario Técnico's unit is not it"
    );
    assert!(
        case["events"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["kind"] == "work_turned")
    );

    // The responsible waits for the answer; the Coordinación de Asesores gives it.
    let early = secretario.complete(&folio, None).await;
    assert_error(&early, 409, "conflict");
    assert!(early.text.contains("espera la respuesta"));
    let asesor = Client::of(&app, "asesor").await;
    let answer = asesor.get(&format!("/api/v1/cases/{folio}")).await;
    assert_eq!(answer.status, 200);
    let turn = answer.body["open_work"][1].clone();
    assert_eq!(turn["can_act"], true);
    assert_eq!(turn["question"], Value::Null);
    let answered = asesor
        .post(
            &format!("/api/v1/cases/{folio}/work/{}", turn["item"]),
            &json!({"observations": "Cifras revisadas; sin observaciones."}),
        )
        .await;
    assert_eq!(answered.status, 200, "{}", answered.text);
    assert_eq!(secretario.complete(&folio, None).await.status, 200);
    let (case, _, _) = secretario.case(&folio).await;
    assert_eq!(case["open_work"][0]["activity"], "2.2");
    assert_eq!(app.store.verify().await.unwrap().breaks, []);
}

/// A turn given by mistake is withdrawn by whoever may turn the activity, before its unit
/// answers; the activity then waits only for the other turns.
async fn a_turn_given_by_mistake_is_withdrawn(app: TestApp) {
    let secretario = Client::of(&app, "secretario").await;
    let folio = secretario.register().await;
    assert_eq!(secretario.complete(&folio, None).await.status, 200);
    let (_, item, version) = secretario.case(&folio).await;
    let turned = secretario
        .post(
            &format!("/api/v1/cases/{folio}/work/{item}/turns"),
            &json!({
                "version": version,
                "units": ["SIDSS-CAS", "OTRA-UNIDAD"],
                "instruction": "Revise las cifras del anexo",
            }),
        )
        .await;
    assert_eq!(turned.status, 201, "{}", turned.text);
    let (case, _, version) = secretario.case(&folio).await;
    let work = case["open_work"].as_array().unwrap();
    let turn_of = |unit: &str| {
        work.iter()
            .find(|w| w["units"] == json!([unit]) && w["turned_from"] == item)
            .unwrap()["item"]
            .as_u64()
            .unwrap()
    };
    let (asesores, otra) = (turn_of("SIDSS-CAS"), turn_of("OTRA-UNIDAD"));
    let path = |turn: u64| format!("/api/v1/cases/{folio}/work/{item}/turns/{turn}/withdrawal");
    let body = json!({"version": version, "reason": "Se turnó por error a esta unidad"});

    // The turned unit cannot withdraw it, nor can someone who only consults.
    let ajeno = Client::of(&app, "ajeno").await;
    assert_eq!(ajeno.post(&path(otra), &body).await.status, 403);
    let consulta = Client::of(&app, "consulta").await;
    assert_eq!(consulta.post(&path(otra), &body).await.status, 403);
    // A reason is required; a stale version is a conflict; the activity is no turn.
    let blank = secretario
        .post(&path(otra), &json!({"version": version, "reason": "  "}))
        .await;
    assert_eq!(blank.status, 422, "{}", blank.text);
    let stale = secretario
        .post(
            &path(otra),
            &json!({"version": version - 1, "reason": "Error"}),
        )
        .await;
    assert_error(&stale, 409, "conflict");
    let itself = secretario.post(&path(item), &body).await;
    assert_error(&itself, 422, "refused");
    assert!(itself.text.contains("no es un turno"), "{}", itself.text);

    let withdrawn = secretario.post(&path(otra), &body).await;
    assert_eq!(withdrawn.status, 200, "{}", withdrawn.text);
    let (case, _, _) = secretario.case(&folio).await;
    let work = case["open_work"].as_array().unwrap();
    assert_eq!(work.len(), 2);
    assert_eq!(work[0]["waiting_for"], json!(["SIDSS-CAS"]));
    let event = case["events"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["kind"] == "turn_withdrawn")
        .expect("the withdrawal is recorded");
    assert_eq!(event["payload"]["item"], otra);
    assert_eq!(
        event["payload"]["reason"],
        "Se turnó por error a esta unidad"
    );
    // Withdrawn once: again, it is refused.
    let again = secretario.post(&path(otra), &body).await;
    assert_error(&again, 409, "conflict");

    // The remaining unit answers; its answered turn can no longer be withdrawn; the activity
    // completes.
    let asesor = Client::of(&app, "asesor").await;
    let answered = asesor
        .post(
            &format!("/api/v1/cases/{folio}/work/{asesores}"),
            &json!({"observations": "Cifras revisadas."}),
        )
        .await;
    assert_eq!(answered.status, 200, "{}", answered.text);
    let late = secretario
        .post(&path(asesores), &json!({"reason": "Tarde"}))
        .await;
    assert_error(&late, 422, "refused");
    assert!(late.text.contains("ya respondió"), "{}", late.text);
    assert_eq!(secretario.complete(&folio, None).await.status, 200);
    let (case, _, _) = secretario.case(&folio).await;
    assert_eq!(case["open_work"][0]["activity"], "2.2");
    assert_eq!(app.store.verify().await.unwrap().breaks, []);
}

/// The SHA-256 of `content`, as the API writes it.
fn sha256(content: &[u8]) -> String {
    use sha2::Digest;
    format!("{:x}", sha2::Sha256::digest(content))
}

async fn documents_are_attached_listed_and_downloaded_as_they_were(app: TestApp) {
    let secretario = Client::of(&app, "secretario").await;
    let folio = secretario.register().await;
    let (_, item, version) = secretario.case(&folio).await;
    let path = format!("/api/v1/cases/{folio}/documents");
    let empty = secretario.get(&path).await;
    assert_eq!(empty.status, 200, "{}", empty.text);
    assert_eq!(empty.body, json!([]));

    let name = "Oficio de respuesta núm. 7 (año 2026).pdf";
    let attached = secretario
        .upload(
            &folio,
            &[("name", name), ("item", &item.to_string())],
            "application/pdf",
            PDF,
        )
        .await;
    assert_eq!(attached.status, 201, "{}", attached.text);
    let document = attached.body.clone();
    assert_eq!(document["name"], name);
    assert_eq!(document["mime"], "application/pdf");
    assert_eq!(document["size"], PDF.len());
    assert_eq!(document["sha256"], sha256(PDF));
    assert_eq!(document["uploaded_by"], "secretario");
    assert_eq!(document["item"], item);
    assert!(
        document["uploaded_at"]
            .as_str()
            .unwrap()
            .parse::<jiff::Timestamp>()
            .is_ok()
    );
    let id = document["id"].as_i64().unwrap();
    let download = format!("{path}/{id}");
    assert_eq!(attached.headers["location"], download.as_str());

    // The engine recorded it in the case's history.
    let (case, _, now) = secretario.case(&folio).await;
    assert_eq!(now, version + 1);
    let events = case["events"].as_array().unwrap();
    assert_eq!(events.last().unwrap()["kind"], "document_attached");
    assert_eq!(events.last().unwrap()["payload"]["sha256"], sha256(PDF));

    // Listed as it was answered, and served back byte for byte.
    let listed = secretario.get(&path).await;
    assert_eq!(listed.status, 200, "{}", listed.text);
    assert_eq!(listed.body, json!([document]));
    let file = secretario.get(&download).await;
    assert_eq!(file.status, 200);
    assert_eq!(file.bytes, PDF);
    assert_eq!(file.headers["content-type"], "application/pdf");
    let disposition = file.headers["content-disposition"].to_str().unwrap();
    assert!(
        disposition.starts_with("attachment;")
            && disposition.contains("filename*=UTF-8''Oficio%20de%20respuesta%20n%C3%BAm."),
        "{disposition}"
    );

    // Without a type, the content says what it is; without an item, it answers none.
    let note = "Nota de la reunión con la DGPLADES.\n".as_bytes();
    let plain = secretario
        .upload(&folio, &[("name", "C:\\Notas\\nota.txt")], "", note)
        .await;
    assert_eq!(plain.status, 201, "{}", plain.text);
    assert_eq!(plain.body["name"], "nota.txt", "the path is dropped");
    assert_eq!(plain.body["mime"], "text/plain");
    assert_eq!(plain.body["item"], Value::Null);
    let listed = secretario.get(&path).await;
    assert_eq!(listed.body.as_array().unwrap().len(), 2);
    let note_id = plain.body["id"].as_i64().unwrap();
    assert_eq!(
        secretario.get(&format!("{path}/{note_id}")).await.bytes,
        note
    );

    // A document is found only under its own case.
    let other = secretario.register().await;
    let elsewhere = secretario
        .get(&format!("/api/v1/cases/{other}/documents/{id}"))
        .await;
    assert_error(&elsewhere, 404, "not_found");
    assert!(!elsewhere.text.contains("Oficio"), "{}", elsewhere.text);
    assert_error(
        &secretario.get(&format!("{path}/999999")).await,
        404,
        "not_found",
    );
    assert_error(
        &secretario.get(&format!("{path}/x")).await,
        404,
        "not_found",
    );

    // A folio that does not exist is a 404 on every document endpoint.
    let unknown = "CAS-1999-000001";
    for answer in [
        secretario
            .get(&format!("/api/v1/cases/{unknown}/documents"))
            .await,
        secretario
            .upload(unknown, &[("name", "oficio.pdf")], "application/pdf", PDF)
            .await,
        secretario
            .get(&format!("/api/v1/cases/{unknown}/documents/{id}"))
            .await,
    ] {
        assert_error(&answer, 404, "not_found");
        assert_eq!(answer.body["error"], "No existe un asunto con ese folio.");
    }
    assert_eq!(app.store.verify().await.unwrap().breaks, []);
}

async fn documents_of_other_units_are_403_with_no_data(app: TestApp) {
    let secretario = Client::of(&app, "secretario").await;
    let folio = secretario.register().await;
    let name = "Oficio confidencial.pdf";
    let attached = secretario
        .upload(&folio, &[("name", name)], "application/pdf", PDF)
        .await;
    assert_eq!(attached.status, 201, "{}", attached.text);
    let id = attached.body["id"].as_i64().unwrap();
    let path = format!("/api/v1/cases/{folio}/documents");

    let ajeno = Client::of(&app, "ajeno").await;
    let listed = ajeno.get(&path).await;
    let uploaded = ajeno
        .upload(&folio, &[("name", "intruso.pdf")], "application/pdf", PDF)
        .await;
    let downloaded = ajeno.get(&format!("{path}/{id}")).await;
    let searched = ajeno.get(&format!("/api/v1/cases?q={folio}")).await;
    for answer in [&listed, &uploaded, &downloaded] {
        assert_error(answer, 403, "forbidden");
    }
    assert_eq!(searched.status, 200, "{}", searched.text);
    assert_eq!(searched.body["total"], 0);
    for answer in [&listed, &uploaded, &downloaded, &searched] {
        assert!(
            !answer.text.contains("confidencial")
                && !answer.text.contains("DGPLADES")
                && !answer.text.contains(&folio)
                && !answer.text.contains("%PDF"),
            "{}",
            answer.text
        );
    }

    // The consulta role sees the case and its documents, but attaches nothing.
    let consulta = Client::of(&app, "consulta").await;
    assert_eq!(consulta.get(&path).await.body[0]["name"], name);
    assert_eq!(consulta.get(&format!("{path}/{id}")).await.bytes, PDF);
    let refused = consulta
        .upload(&folio, &[("name", "nota.txt")], "text/plain", b"nota")
        .await;
    assert_error(&refused, 403, "forbidden");
    // The administrator may do both.
    let admin = Client::of(&app, "admin").await;
    let by_admin = admin
        .upload(&folio, &[("name", "acuse.pdf")], "application/pdf", PDF)
        .await;
    assert_eq!(by_admin.status, 201, "{}", by_admin.text);
    let names: Vec<Value> = secretario
        .get(&path)
        .await
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["name"].clone())
        .collect();
    assert_eq!(
        names,
        [json!(name), json!("acuse.pdf")],
        "nothing else attached"
    );
}

async fn bad_uploads_are_refused_naming_what_is_wrong(app: TestApp) {
    let (small, dir) = with_blobs(&app, 1024).await;
    let secretario = Client::of(&small, "secretario").await;
    let folio = secretario.register().await;
    let (_, item, _) = secretario.case(&folio).await;
    let name = [("name", "anexo.pdf")];

    let mut content = b"%PDF-1.7\n".to_vec();
    content.resize(4096, b'x');
    let large = secretario
        .upload(&folio, &name, "application/pdf", &content)
        .await;
    assert_error(&large, 413, "too_large");
    assert!(
        large.body["error"].as_str().unwrap().contains("1 KB"),
        "{}",
        large.text
    );

    let empty = secretario
        .upload(&folio, &name, "application/pdf", b"")
        .await;
    assert_error(&empty, 422, "refused");
    assert!(
        empty.body["error"].as_str().unwrap().contains("vacío"),
        "{}",
        empty.text
    );

    let unnamed = secretario.upload(&folio, &[], "application/pdf", PDF).await;
    assert_error(&unnamed, 400, "bad_request");
    assert!(
        unnamed.body["error"].as_str().unwrap().contains("«name»"),
        "{}",
        unnamed.text
    );

    let false_pdf = secretario
        .upload(&folio, &name, "application/pdf", b"MZ\x90\0\x03\0\0\0")
        .await;
    assert_error(&false_pdf, 415, "unsupported_type");
    assert!(
        false_pdf.body["error"]
            .as_str()
            .unwrap()
            .contains("Content-Type"),
        "{}",
        false_pdf.text
    );
    assert_error(
        &secretario.upload(&folio, &name, "pdf", PDF).await,
        415,
        "unsupported_type",
    );

    let closed_item = secretario
        .upload(
            &folio,
            &[("name", "anexo.pdf"), ("item", "999")],
            "application/pdf",
            PDF,
        )
        .await;
    assert_error(&closed_item, 409, "conflict");
    assert!(
        closed_item.body["error"]
            .as_str()
            .unwrap()
            .contains("«item»")
    );
    let bad_item = secretario
        .upload(
            &folio,
            &[("name", "anexo.pdf"), ("item", "uno")],
            "application/pdf",
            PDF,
        )
        .await;
    assert_error(&bad_item, 400, "bad_request");
    assert!(bad_item.body["error"].as_str().unwrap().contains("item"));
    let listed = secretario
        .get(&format!("/api/v1/cases/{folio}/documents"))
        .await;
    assert_eq!(listed.body, json!([]), "nothing was attached");

    // Exactly the limit is accepted.
    content.truncate(1024);
    let full = secretario
        .upload(
            &folio,
            &[("name", "anexo.pdf"), ("item", &item.to_string())],
            "application/pdf",
            &content,
        )
        .await;
    assert_eq!(full.status, 201, "{}", full.text);
    assert_eq!(full.body["size"], 1024);
    let _ = std::fs::remove_dir_all(dir);
}

async fn cases_are_found_among_the_visible_ones_and_paged(app: TestApp) {
    let secretario = Client::of(&app, "secretario").await;
    let first = secretario.register().await;
    let second = secretario
        .register_titled("Petición de acuerdo con la DGIS")
        .await;
    let third = secretario.register_titled("Informe anual").await;

    let all = secretario.get("/api/v1/cases").await;
    assert_eq!(all.status, 200, "{}", all.text);
    assert_eq!(all.body["total"], 3);
    assert_eq!(all.body["page"], 1);
    assert_eq!(all.body["per_page"], 25);
    let folios: Vec<&str> = all.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["folio"].as_str().unwrap())
        .collect();
    assert_eq!(folios, [&third, &second, &first], "newest first");
    let found = &all.body["items"][1];
    assert_eq!(found["title"], "Petición de acuerdo con la DGIS");
    assert_eq!(found["procedure"], PROCEDURE);
    assert!(
        found["procedure_title"]
            .as_str()
            .unwrap()
            .starts_with("Procedimiento")
    );
    assert_eq!(found["status"], "open");
    assert!(
        found["created_at"]
            .as_str()
            .unwrap()
            .parse::<jiff::Timestamp>()
            .is_ok()
    );

    // By folio, and by words without their accents.
    let by_folio = secretario.get(&format!("/api/v1/cases?q={second}")).await;
    assert_eq!(by_folio.body["total"], 1, "{}", by_folio.text);
    assert_eq!(by_folio.body["items"][0]["folio"], second.as_str());
    let by_words = secretario.get("/api/v1/cases?q=peticion%20DGIS").await;
    assert_eq!(by_words.body["total"], 1, "{}", by_words.text);
    assert_eq!(by_words.body["items"][0]["folio"], second.as_str());
    for (query, total) in [
        ("status=open", 3),
        ("status=ended", 0),
        ("unit=SIDSS-ST", 3),
        ("unit=OTRA-UNIDAD", 0),
        ("from=2000-01-01", 3),
        ("to=2000-01-01", 0),
        // A range that ends before it starts finds nothing.
        ("from=2026-03-10&to=2026-03-01", 0),
    ] {
        let answer = secretario.get(&format!("/api/v1/cases?{query}")).await;
        assert_eq!(answer.status, 200, "{query}: {}", answer.text);
        assert_eq!(answer.body["total"], total, "{query}");
    }

    // Pages.
    let page_one = secretario.get("/api/v1/cases?per_page=2").await;
    let page_two = secretario.get("/api/v1/cases?per_page=2&page=2").await;
    assert_eq!(page_one.body["total"], 3);
    assert_eq!(page_one.body["items"].as_array().unwrap().len(), 2);
    assert_eq!(page_two.body["items"].as_array().unwrap().len(), 1);
    assert_eq!(page_two.body["items"][0]["folio"], first.as_str());
    let past = secretario.get("/api/v1/cases?per_page=2&page=3").await;
    assert_eq!(past.body["items"], json!([]));

    // A criterion that cannot be read is refused, naming it.
    for (query, named) in [
        ("status=abierto", "«status»"),
        ("from=01/03/2026", "«from»"),
        ("to=ayer", "«to»"),
        ("page=0", "«page»"),
        ("per_page=101", "«per_page»"),
        ("per_page=x", "per_page"),
    ] {
        let answer = secretario.get(&format!("/api/v1/cases?{query}")).await;
        assert_error(&answer, 400, "bad_request");
        assert!(
            answer.body["error"].as_str().unwrap().contains(named),
            "{query}: {}",
            answer.text
        );
    }

    // Another unit finds none of them; the administrator, all.
    let ajeno = Client::of(&app, "ajeno").await;
    let theirs = ajeno.get("/api/v1/cases").await;
    assert_eq!(theirs.body["total"], 0, "{}", theirs.text);
    assert_eq!(theirs.body["items"], json!([]));
    let admin = Client::of(&app, "admin").await;
    assert_eq!(admin.get("/api/v1/cases").await.body["total"], 3);
}

/// The audit log's entries about `subject`, as (action, actor), newest first.
async fn audit_of(admin: &Client, subject: &str) -> Vec<(String, String)> {
    let answer = admin.get(&format!("/api/v1/audit?subject={subject}")).await;
    assert_eq!(answer.status, 200, "{}", answer.text);
    answer
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            assert_eq!(e["subject"], subject);
            (
                e["action"].as_str().unwrap().to_owned(),
                e["actor"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
        .collect()
}

async fn people_are_created_given_roles_and_deactivated(app: TestApp) {
    let admin = Client::of(&app, "admin").await;
    let person = json!({
        "login": "mgarcia",
        "name": "María García",
        "email": "maria.garcia@salud.gob.mx",
        "password": "una contraseña larga",
    });
    let created = admin.post("/api/v1/people", &person).await;
    assert_eq!(created.status, 201, "{}", created.text);
    assert_eq!(created.body["login"], "mgarcia");
    assert_eq!(created.body["active"], true);
    assert_eq!(created.body["roles"], json!([]));
    assert!(
        !created.text.contains("argon2"),
        "no password hash is shown"
    );
    assert_error(
        &admin.post("/api/v1/people", &person).await,
        409,
        "conflict",
    );

    let bad = admin
        .post(
            "/api/v1/people",
            &json!({"login": "María", "name": " ", "email": "maria", "password": "corta"}),
        )
        .await;
    assert_error(&bad, 422, "invalid_fields");
    let fields = bad.fields();
    assert_eq!(fields, ["login", "name", "email", "password"]);

    let roles = "/api/v1/people/mgarcia/roles";
    let granted = admin
        .post(roles, &json!({"unit": "SIDSS-CAS", "role": "operador"}))
        .await;
    assert_eq!(granted.status, 200, "{}", granted.text);
    assert_eq!(granted.body["roles"][0]["unit"], "SIDSS-CAS");
    assert_eq!(granted.body["roles"][0]["role"], "operador");
    let unknown_role = admin
        .post(roles, &json!({"unit": "SIDSS-CAS", "role": "jefe"}))
        .await;
    assert_error(&unknown_role, 422, "invalid_fields");
    assert_eq!(unknown_role.body["fields"][0]["field"], "role");
    assert!(unknown_role.text.contains("jefe"));
    let unknown_unit = admin
        .post(roles, &json!({"unit": "NO-EXISTE", "role": "operador"}))
        .await;
    assert_error(&unknown_unit, 422, "invalid_fields");
    assert_eq!(unknown_unit.body["fields"][0]["field"], "unit");
    assert!(unknown_unit.text.contains("NO-EXISTE"));
    let nobody = admin
        .post(
            "/api/v1/people/nadie/roles",
            &json!({"unit": "SIDSS-CAS", "role": "operador"}),
        )
        .await;
    assert_error(&nobody, 404, "not_found");
    assert!(nobody.text.contains("nadie"));

    // The new person works with the role given.
    let token = app.api_token("mgarcia").await;
    let mgarcia = Client::new(&app, Some(token));
    assert_eq!(mgarcia.get("/api/v1/inbox").await.status, 200);
    let listed = admin.get("/api/v1/people").await;
    assert_eq!(listed.status, 200, "{}", listed.text);
    let entry = listed
        .body
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["login"] == "mgarcia")
        .unwrap();
    assert_eq!(entry["email"], "maria.garcia@salud.gob.mx");
    assert_eq!(entry["roles"][0]["unit"], "SIDSS-CAS");

    let revoked = admin
        .delete(roles, &json!({"unit": "SIDSS-CAS", "role": "operador"}))
        .await;
    assert_eq!(revoked.status, 200, "{}", revoked.text);
    assert_eq!(revoked.body["roles"], json!([]));
    let again = admin
        .delete(roles, &json!({"unit": "SIDSS-CAS", "role": "operador"}))
        .await;
    assert_error(&again, 404, "not_found");

    let inactive = admin
        .put("/api/v1/people/mgarcia/active", &json!({"active": false}))
        .await;
    assert_eq!(inactive.status, 200, "{}", inactive.text);
    assert_eq!(inactive.body["active"], false);
    assert_error(&mgarcia.get("/api/v1/inbox").await, 401, "unauthorized");
    let oneself = admin
        .put("/api/v1/people/admin/active", &json!({"active": false}))
        .await;
    assert_error(&oneself, 422, "refused");

    assert_eq!(
        audit_of(&admin, "mgarcia").await,
        pairs(&[
            ("user_deactivated", "admin"),
            ("role_revoked", "admin"),
            ("role_granted", "admin"),
            ("user_created", "admin"),
        ])
    );
}

async fn suplencias_are_created_listed_and_revoked(app: TestApp) {
    use base64::Engine;
    let secretario = Client::of(&app, "secretario").await;
    let asesor = Client::of(&app, "asesor").await;
    let admin = Client::of(&app, "admin").await;
    let today = today();
    let suplencia = |titular: &str, unit: &str, from: i64, to: i64| {
        json!({
            "titular": titular,
            "delegate": "asesor",
            "unit": unit,
            "starts_on": today.checked_add(jiff::Span::new().days(from)).unwrap().to_string(),
            "ends_on": today.checked_add(jiff::Span::new().days(to)).unwrap().to_string(),
            "reason": "Vacaciones del titular",
            "document_name": "Oficio de suplencia.pdf",
            "document": base64::engine::general_purpose::STANDARD.encode(PDF),
        })
    };
    let created = secretario
        .post(
            "/api/v1/delegations",
            &suplencia("secretario", "SIDSS-ST", 0, 10),
        )
        .await;
    assert_eq!(created.status, 201, "{}", created.text);
    assert_eq!(created.body["titular"], "secretario");
    assert_eq!(created.body["delegate"], "asesor");
    assert_eq!(created.body["document_sha256"], sha256(PDF));
    assert_eq!(created.body["created_by"], "secretario");
    let id = created.body["id"].as_i64().unwrap();

    // Overlapping days, a titular role one does not hold, and a document that is not a PDF
    // are refused with the reason.
    let overlap = secretario
        .post(
            "/api/v1/delegations",
            &suplencia("secretario", "SIDSS-ST", 5, 20),
        )
        .await;
    assert_error(&overlap, 422, "refused");
    assert!(overlap.text.contains("traslapan"), "{}", overlap.text);
    let mut not_titular = suplencia("asesor", "SIDSS-CAS", 0, 3);
    not_titular["delegate"] = json!("consulta");
    let not_titular = asesor.post("/api/v1/delegations", &not_titular).await;
    assert_error(&not_titular, 422, "refused");
    assert!(
        not_titular
            .text
            .contains("Solo la persona titular de SIDSS-CAS"),
        "{}",
        not_titular.text
    );
    let for_another = asesor
        .post(
            "/api/v1/delegations",
            &suplencia("secretario", "SIDSS-ST", 20, 25),
        )
        .await;
    assert_error(&for_another, 403, "forbidden");
    let mut not_pdf = suplencia("secretario", "SIDSS-ST", 20, 25);
    not_pdf["document"] = json!("no es base64 %%%");
    let not_pdf = secretario.post("/api/v1/delegations", &not_pdf).await;
    assert_error(&not_pdf, 422, "invalid_fields");
    assert_eq!(not_pdf.body["fields"][0]["field"], "document");

    // Each sees the suplencias they take part in; an administrator sees all.
    let ids = |answer: Answer| -> Vec<i64> {
        assert_eq!(answer.status, 200, "{}", answer.text);
        answer
            .body
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["id"].as_i64().unwrap())
            .collect()
    };
    assert_eq!(ids(asesor.get("/api/v1/delegations").await), [id]);
    assert_eq!(ids(admin.get("/api/v1/delegations").await), [id]);
    let ajeno = Client::of(&app, "ajeno").await;
    assert!(ids(ajeno.get("/api/v1/delegations").await).is_empty());

    // Only the titular (or an administrator) revokes it, once.
    let path = format!("/api/v1/delegations/{id}/revoke");
    assert_error(&asesor.post(&path, &json!({})).await, 403, "forbidden");
    let revoked = secretario.post(&path, &json!({})).await;
    assert_eq!(revoked.status, 200, "{}", revoked.text);
    assert_eq!(revoked.body["revoked_by"], "secretario");
    assert_error(&secretario.post(&path, &json!({})).await, 409, "conflict");
    assert_error(
        &secretario
            .post("/api/v1/delegations/999/revoke", &json!({}))
            .await,
        404,
        "not_found",
    );

    assert_eq!(
        audit_of(&admin, "secretario").await[..2],
        pairs(&[
            ("delegation_revoked", "secretario"),
            ("delegation_created", "secretario"),
        ])
    );
}

async fn administration_is_for_administrators(app: TestApp) {
    let secretario = Client::of(&app, "secretario").await;
    let role = json!({"unit": "SIDSS-ST", "role": "administrador"});
    let endpoints = [
        (reqwest::Method::GET, "/api/v1/people", json!(null)),
        (
            reqwest::Method::POST,
            "/api/v1/people",
            json!({"login": "intruso", "name": "Intruso", "password": "una contraseña larga"}),
        ),
        (
            reqwest::Method::POST,
            "/api/v1/people/secretario/roles",
            role.clone(),
        ),
        (
            reqwest::Method::DELETE,
            "/api/v1/people/consulta/roles",
            role,
        ),
        (
            reqwest::Method::PUT,
            "/api/v1/people/consulta/active",
            json!({"active": false}),
        ),
        (reqwest::Method::GET, "/api/v1/audit", json!(null)),
    ];
    for (method, path, body) in &endpoints {
        let answer = secretario.send(method.clone(), path, Some(body), &[]).await;
        assert_error(&answer, 403, "forbidden");
        assert!(
            !answer.text.contains("Persona"),
            "{method} {path}: {}",
            answer.text
        );
    }
    let import = secretario
        .import("units", "u.csv", "code,name,level\nSIDSS-X,X,unidad\n")
        .await;
    assert_error(&import, 403, "forbidden");
    // Nothing changed.
    let admin = Client::of(&app, "admin").await;
    let people = admin.get("/api/v1/people").await;
    assert!(!people.text.contains("intruso"));
    assert_eq!(
        audit_of(&admin, "consulta").await.len(),
        2,
        "created and given a role"
    );
    assert_eq!(
        admin
            .get("/api/v1/units")
            .await
            .body
            .as_array()
            .unwrap()
            .len(),
        3
    );
    // Reading the units is for anyone with a token.
    assert_eq!(secretario.get("/api/v1/units").await.status, 200);
}

async fn units_are_imported_all_or_nothing_and_read_as_of_a_date(app: TestApp) {
    let admin = Client::of(&app, "admin").await;
    let codes = |answer: &Answer| -> Vec<String> {
        assert_eq!(answer.status, 200, "{}", answer.text);
        answer
            .body
            .as_array()
            .unwrap()
            .iter()
            .map(|u| u["code"].as_str().unwrap().to_owned())
            .collect()
    };
    let before = codes(&admin.get("/api/v1/units").await);
    assert_eq!(before, ["OTRA-UNIDAD", "SIDSS-CAS", "SIDSS-ST"]);

    let bad = "code,name,level,parent\n\
               SIDSS-DGP,Dirección General de Planeación,direccion_general,\n\
               sidss-mal,Código en minúsculas,direccion,SIDSS-DGP\n\
               SIDSS-DGP-DE,Dirección de Estudios,jefatura,NO-EXISTE\n";
    let refused = admin.import("units", "unidades.csv", bad).await;
    assert_error(&refused, 422, "invalid_file");
    let problems: Vec<&str> = refused.body["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().unwrap())
        .collect();
    assert_eq!(problems.len(), 2, "{problems:?}");
    for line in ["unidades.csv:3:", "unidades.csv:4:"] {
        assert!(
            problems.iter().any(|p| p.starts_with(line)),
            "{line} in {problems:?}"
        );
    }
    // Read, the file is checked with the stored units: a parent neither has is named.
    let orphan = admin
        .import(
            "units",
            "unidades.csv",
            "code,name,level,parent\nSIDSS-DGP,Dirección General,direccion_general,NO-EXISTE\n",
        )
        .await;
    assert_error(&orphan, 422, "invalid_file");
    let problem = orphan.body["problems"][0].as_str().unwrap();
    assert!(
        problem.starts_with("unidades.csv:2:") && problem.contains("NO-EXISTE"),
        "{}",
        orphan.text
    );
    assert_eq!(
        codes(&admin.get("/api/v1/units").await),
        before,
        "nothing imported"
    );

    let good = "code,name,level,parent,valid_from,valid_to,siglas,functions\n\
                SIDSS-DGP,Dirección General de Planeación y Desarrollo en Salud,direccion_general,,2023-01-01,,DGPLADES,Planear | Evaluar\n\
                SIDSS-DGP,Dirección General de Planeación,,,2010-01-01,2022-12-31,,\n\
                SIDSS-DGP-DE,Dirección de Estudios,direccion,SIDSS-DGP,,,,\n";
    let imported = admin.import("units", "unidades.csv", good).await;
    assert_eq!(imported.status, 200, "{}", imported.text);
    assert_eq!(
        imported.body,
        json!({"created": 2, "changed": 0, "unchanged": 0})
    );

    let units = admin.get("/api/v1/units").await;
    let dgp = units
        .body
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["code"] == "SIDSS-DGP")
        .unwrap();
    assert_eq!(
        dgp["name"],
        "Dirección General de Planeación y Desarrollo en Salud"
    );
    assert_eq!(dgp["level"], "direccion_general");
    assert_eq!(dgp["level_label"], "Dirección General");
    assert_eq!(dgp["siglas"], "DGPLADES");
    assert_eq!(dgp["functions"], json!(["Planear", "Evaluar"]));
    assert_eq!(
        dgp["earlier_forms"][0]["name"],
        "Dirección General de Planeación"
    );
    assert_eq!(dgp["earlier_forms"][0]["valid_to"], "2022-12-31");

    // As of a date before the rename: the old name; units that did not exist yet are left out.
    let old = admin.get("/api/v1/units?date=2020-06-15").await;
    let found = old
        .body
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["code"] == "SIDSS-DGP")
        .unwrap();
    assert_eq!(found["name"], "Dirección General de Planeación");
    assert_eq!(found["valid_to"], "2022-12-31");
    let none = admin.get("/api/v1/units?date=2005-01-01").await;
    assert!(!codes(&none).contains(&"SIDSS-DGP".to_owned()));
    let malformed = admin.get("/api/v1/units?date=15/06/2020").await;
    assert_error(&malformed, 400, "bad_request");
    assert!(malformed.text.contains("«date»"), "{}", malformed.text);

    assert_eq!(
        audit_of(&admin, "SIDSS-DGP").await,
        pairs(&[("unit_created", "admin")])
    );
}

async fn notifications_are_listed_marked_read_and_chosen(app: TestApp) {
    let secretario = Client::of(&app, "secretario").await;
    let folio = secretario.register().await;
    // 1.1 → 2.1 → 2.2 «Sí» → 3.1 → 4.1, the Coordinación de Asesores'.
    for outcome in [None, None, Some("Sí"), None] {
        assert_eq!(secretario.complete(&folio, outcome).await.status, 200);
    }
    turno_web::scheduler::tick(&app.state).await;
    let asesor = Client::of(&app, "asesor").await;
    let answer = asesor.get("/api/v1/notifications").await;
    assert_eq!(answer.status, 200, "{}", answer.text);
    assert_eq!(answer.body["unread"], 1);
    assert_eq!(answer.body["total"], 1);
    let item = &answer.body["items"][0];
    assert_eq!(item["kind"], "turned");
    assert_eq!(item["folio"], folio.as_str());
    assert_eq!(item["read"], false);
    assert!(
        item["subject"]
            .as_str()
            .unwrap()
            .starts_with("Turnado a SIDSS-CAS")
    );
    assert_error(
        &asesor.get("/api/v1/notifications?limit=0").await,
        400,
        "bad_request",
    );

    // Another person's id changes nothing; one's own is marked.
    let others = secretario
        .post("/api/v1/notifications/read", &json!({"ids": [item["id"]]}))
        .await;
    assert_eq!(others.body["marked"], 0);
    let mine = asesor
        .post("/api/v1/notifications/read", &json!({"ids": [item["id"]]}))
        .await;
    assert_eq!(mine.body["marked"], 1);
    assert_eq!(asesor.get("/api/v1/notifications").await.body["unread"], 0);

    let preferences = asesor.get("/api/v1/notifications/preferences").await;
    assert_eq!(preferences.status, 200);
    // Turned, returned, due soon, overdue, awaiting (an outgoing document) and the digest.
    assert_eq!(preferences.body.as_array().unwrap().len(), 6);
    assert_eq!(
        preferences.body[0],
        json!({"kind": "turned", "in_app": true, "email": true})
    );
    let changed = asesor
        .put(
            "/api/v1/notifications/preferences",
            &json!([{"kind": "overdue", "in_app": false, "email": true},
                    {"kind": "digest", "in_app": true, "email": false}]),
        )
        .await;
    assert_eq!(changed.status, 200, "{}", changed.text);
    let by_kind = |kind: &str| {
        changed
            .body
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["kind"] == kind)
            .unwrap()
            .clone()
    };
    assert_eq!(
        by_kind("overdue"),
        json!({"kind": "overdue", "in_app": false, "email": true})
    );
    assert_eq!(
        by_kind("digest"),
        json!({"kind": "digest", "in_app": false, "email": false}),
        "a digest is never shown in Turno"
    );
    assert_eq!(
        by_kind("turned"),
        json!({"kind": "turned", "in_app": true, "email": true})
    );
    let unknown = asesor
        .put(
            "/api/v1/notifications/preferences",
            &json!([{"kind": "todo", "in_app": true, "email": true}]),
        )
        .await;
    assert_eq!(unknown.status, 422, "{}", unknown.text);
    assert!(unknown.text.contains("unknown variant `todo`"));
}

async fn the_calendar_is_read_by_anyone_and_imported_by_administrators(app: TestApp) {
    let admin = Client::of(&app, "admin").await;
    let bad = "[[days]]\ndate = \"2026-02-30\"\nname = \"Día\"\n";
    let refused = admin.import("calendar", "2026.toml", bad).await;
    assert_error(&refused, 422, "invalid_file");
    assert_eq!(
        refused.body["problems"],
        json!(["2026.toml:2:8: days[0].date: 2026-02-30 no es una fecha válida"])
    );
    let good = "[[days]]\ndate = \"2026-12-07\"\nname = \"Acuerdo\"\nsource = \"DOF\"\n";
    let consulta = Client::of(&app, "consulta").await;
    assert_error(
        &consulta.import("calendar", "2026.toml", good).await,
        403,
        "forbidden",
    );
    let imported = admin.import("calendar", "2026.toml", good).await;
    assert_eq!(imported.status, 200, "{}", imported.text);
    assert_eq!(imported.body["added"][0]["from"], "2026-12-07");
    assert_eq!(imported.body["revision"], 1);
    let again = admin.import("calendar", "2026.toml", good).await;
    assert_eq!(
        (
            again.body["unchanged"].clone(),
            again.body["revision"].clone()
        ),
        (json!(1), json!(1))
    );

    let year = consulta.get("/api/v1/calendar?year=2026").await;
    assert_eq!(year.status, 200, "{}", year.text);
    assert!(
        year.body["lfpa"]
            .as_array()
            .unwrap()
            .contains(&json!({"date": "2026-12-07", "name": "Acuerdo"})),
        "{}",
        year.text
    );
    assert_eq!(year.body["entries"][0]["file"], "2026.toml");
    assert_eq!(year.body["entries"][0]["source"], "DOF");
    assert_error(
        &consulta.get("/api/v1/calendar?year=3000").await,
        400,
        "bad_request",
    );
}

async fn programs_are_read_as_of_a_date_and_followed_by_their_areas(app: TestApp) {
    app.supervision("SUP-1").await;
    let (secretario, consulta, ajeno) = (
        Client::of(&app, "secretario").await,
        Client::of(&app, "consulta").await,
        Client::of(&app, "ajeno").await,
    );
    let list = consulta.get("/api/v1/programs").await;
    assert_eq!(list.status, 200, "{}", list.text);
    assert_eq!(
        list.body,
        json!([{"key": "SUP-1", "name": "Supervisión de prueba", "supervision_of": null, "plan": null}])
    );
    let program = consulta.get("/api/v1/programs/SUP-1").await;
    assert_eq!(program.status, 200, "{}", program.text);
    let first = &program.body["items"][0];
    assert_eq!(first["key"], "R1");
    assert_eq!(first["status"], "en proceso");
    assert_eq!(
        first["activities"][0]["responsible"],
        json!(["Secretario Técnico"])
    );
    assert_eq!(first["activities"][0]["may_record"], false);

    let path = "/api/v1/programs/SUP-1/items/R1/activities/1/progress";
    let refused = secretario.post(path, &json!({"progress": 100})).await;
    assert_error(&refused, 422, "refused");
    assert_eq!(
        refused.body["error"],
        "Una actividad no llega al 100 % sin evidencia adjunta."
    );
    // A file's name is no evidence: the evidence is the file.
    assert_error(
        &secretario
            .post(path, &json!({"progress": 100, "evidence": "oficio.pdf"}))
            .await,
        422,
        "bad_request",
    );
    let pdf = File {
        name: "oficio.pdf",
        mime: "application/pdf",
        content: PDF,
    };
    let r1 = "SUP-1/items/R1/activities/1";
    for outsider in [&ajeno, &consulta] {
        assert_error(
            &outsider
                .evidence(r1, &[("progress", "100")], Some(&pdf))
                .await,
            403,
            "forbidden",
        );
    }
    assert_error(
        &secretario.evidence(r1, &[("progress", "100")], None).await,
        400,
        "bad_request",
    );
    let no_progress = secretario.evidence(r1, &[], Some(&pdf)).await;
    assert_error(&no_progress, 422, "invalid_fields");
    assert_eq!(no_progress.body["fields"][0]["field"], "progress");
    let png = File {
        name: "foto.png",
        mime: "image/png",
        content: PDF,
    };
    assert_error(
        &secretario
            .evidence(r1, &[("progress", "100")], Some(&png))
            .await,
        415,
        "unsupported_type",
    );
    let done = secretario
        .evidence(
            r1,
            &[("progress", "100"), ("note", "Oficio de atención")],
            Some(&pdf),
        )
        .await;
    assert_eq!(done.status, 200, "{}", done.text);
    assert_eq!(
        (
            &done.body["status"],
            &done.body["evidence"],
            &done.body["may_record"]
        ),
        (&json!("atendido"), &json!(["oficio.pdf"]), &json!(true))
    );
    let file = consulta
        .get(&format!("/api/v1/programs/{r1}/evidence/0"))
        .await;
    assert_eq!(file.status, 200, "{}", file.text);
    assert_eq!(file.bytes, PDF);
    assert_eq!(file.headers["content-type"], "application/pdf");
    assert!(
        file.headers["content-disposition"]
            .to_str()
            .unwrap()
            .contains("oficio.pdf")
    );
    assert_error(
        &consulta
            .get(&format!("/api/v1/programs/{r1}/evidence/1"))
            .await,
        404,
        "not_found",
    );
    // The evidence page shows it, and serves the same file.
    let page = app.signed_in("consulta").await;
    assert_eq!(
        page.get("/seguimiento/SUP-1/R1/evidencia/1/0")
            .await
            .bytes()
            .await
            .unwrap(),
        PDF
    );
    assert_error(
        &secretario.post(path, &json!({"progress": 50})).await,
        409,
        "conflict",
    );
    assert_error(
        &secretario
            .evidence(r1, &[("progress", "100")], Some(&pdf))
            .await,
        409,
        "conflict",
    );

    let now = consulta.get("/api/v1/programs/SUP-1").await;
    assert_eq!(now.body["items"][0]["progress"], 100);
    let before = consulta.get("/api/v1/programs/SUP-1?date=2026-01-02").await;
    assert_eq!(before.body["date"], "2026-01-02");
    assert_eq!(before.body["items"][0]["progress"], 0, "{}", before.text);
    assert_error(
        &consulta.get("/api/v1/programs/SUP-1?date=ayer").await,
        400,
        "bad_request",
    );
    assert_error(
        &consulta.get("/api/v1/programs/NO-EXISTE").await,
        404,
        "not_found",
    );
    assert_error(
        &secretario
            .post(
                "/api/v1/programs/SUP-1/items/R9/activities/1/progress",
                &json!({"progress": 10}),
            )
            .await,
        404,
        "not_found",
    );
}

/// The report's figures through the API are the page's: the same petitions and declared calls
/// (`report::agency`), the same CSV, and the same scope per person.
async fn the_attention_report_has_the_pages_figures(app: TestApp) {
    crate::report::agency(&app).await;
    let vinculacion = Client::of(&app, "vinculacion").await;
    let declare = |day: &str, calls: i64| json!({"day": day, "calls": calls});
    for (day, calls) in [("2026-03-02", 5), ("2026-03-03", 2)] {
        let declared = vinculacion
            .post("/api/v1/informes/atencion/llamadas", &declare(day, calls))
            .await;
        assert_eq!(declared.status, 204, "{}", declared.text);
    }
    let wrong_day = vinculacion
        .post("/api/v1/informes/atencion/llamadas", &declare("ayer", 1))
        .await;
    assert_error(&wrong_day, 422, "invalid_fields");
    assert_eq!(wrong_day.body["fields"][0]["field"], "day");
    assert_error(
        &vinculacion
            .post(
                "/api/v1/informes/atencion/llamadas",
                &declare("2999-01-04", 1),
            )
            .await,
        422,
        "refused",
    );
    let enlace = Client::of(&app, "enlace_jal").await;
    assert_error(
        &enlace
            .post(
                "/api/v1/informes/atencion/llamadas",
                &declare("2026-03-02", 9),
            )
            .await,
        403,
        "forbidden",
    );

    let report = vinculacion
        .get("/api/v1/informes/atencion?mes=2026-03")
        .await;
    assert_eq!(report.status, 200, "{}", report.text);
    let body = &report.body;
    assert_eq!(
        (
            &body["month"],
            &body["received"],
            &body["answered"],
            &body["median_days"],
            &body["p90_days"],
            &body["overdue"]
        ),
        (
            &json!("2026-03"),
            &json!(5),
            &json!(3),
            &json!(2),
            &json!(4),
            &json!(1)
        )
    );
    let ids: Vec<&str> = body["breakdowns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["entidad", "tipo", "canal", "motivo"]);
    assert_eq!(
        body["breakdowns"][0]["lines"],
        json!([
            {"code": "JAL", "label": "Jalisco", "count": 3},
            {"code": "COL", "label": "Colima", "count": 2},
        ])
    );
    assert_eq!(
        body["breakdowns"][3]["lines"][1],
        json!({"code": "", "label": "Sin clasificar", "count": 1})
    );
    assert_eq!(
        body["calls"],
        json!([
            {"day": "2026-03-02", "declared": 5, "registered": 2, "missing": 3},
            {"day": "2026-03-03", "declared": 2, "registered": 2, "missing": 0},
        ])
    );

    // The files are the page's, byte for byte; `formato` or `Accept` asks for them.
    let page = app.signed_in("vinculacion").await;
    let page_csv = page
        .get("/informes/atencion?mes=2026-03&formato=csv")
        .await
        .bytes()
        .await
        .unwrap();
    let csv = vinculacion
        .get("/api/v1/informes/atencion?mes=2026-03&formato=csv")
        .await;
    assert_eq!(csv.status, 200);
    assert!(
        csv.headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    assert!(
        csv.headers["content-disposition"]
            .to_str()
            .unwrap()
            .contains("informe-atencion-2026-03.csv")
    );
    assert_eq!(csv.bytes, page_csv);
    let accepted = vinculacion
        .send(
            reqwest::Method::GET,
            "/api/v1/informes/atencion?mes=2026-03",
            None,
            &[("accept", "text/csv")],
        )
        .await;
    assert_eq!(accepted.bytes, page_csv);
    let xlsx = vinculacion
        .get("/api/v1/informes/atencion?mes=2026-03&formato=xlsx")
        .await;
    assert_eq!(xlsx.status, 200);
    assert!(xlsx.bytes.starts_with(b"PK"));
    assert_eq!(
        xlsx.headers["content-type"],
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    for wrong in ["mes=marzo", "mes=2026-13", "formato=pdf"] {
        assert_error(
            &vinculacion
                .get(&format!("/api/v1/informes/atencion?{wrong}"))
                .await,
            400,
            "bad_request",
        );
    }

    // The Enlace of Jalisco: Jalisco's figures, no supervision of the national contract.
    let theirs = enlace.get("/api/v1/informes/atencion?mes=2026-03").await;
    assert_eq!(theirs.status, 200, "{}", theirs.text);
    assert_eq!(theirs.body["received"], 3);
    assert_eq!(theirs.body["calls"], Value::Null);
    assert!(!theirs.text.contains("Colima"));
    assert_error(
        &Client::of(&app, "secretario")
            .await
            .get("/api/v1/informes/atencion")
            .await,
        403,
        "forbidden",
    );
}

/// An agreement for `responsible` with one activity from `start` to `end`.
fn agreement(kind: &str, responsible: &str, (start, end): (&str, &str)) -> Value {
    json!({
        "kind": kind,
        "text": "Publicar el Manual de Organización actualizado",
        "responsible": responsible,
        "activities": [{
            "description": "Enviar el manual a revisión",
            "start": start,
            "end": end,
            "products": "Oficio de envío",
        }],
    })
}

/// A meeting's agreements written down through the API, then added to, under the page's rules.
/// Programs of every kind through the API: an audit's heading is required whole, a PAT line
/// carries its indicator and quarterly goals, a term may be días hábiles, a line of another
/// kind is refused; the quarterly cut-off and the roll-up answer as the pages do.
async fn programs_of_every_kind_are_written_down_reported_and_rolled_up(app: TestApp) {
    app.add_unit_below(
        "SIDSS-ST-SEG",
        "Departamento de Seguimiento",
        Some("SIDSS-ST"),
    )
    .await;
    let secretario = Client::of(&app, "secretario").await;
    let start = crate::common::yesterday().to_string();
    let line = |kind: &str| {
        json!({
            "kind": kind,
            "text": "Supervisar los servicios de salud de las entidades",
            "responsible": "SIDSS-ST-SEG",
            "reference": "2024-0-12100-19-0045-01-001",
            "indicator": "Entidades supervisadas",
            "goal": "32 entidades",
            "quarter_goals": [25, 50, 75, 100],
            "activities": [{"description": "Programar las visitas", "start": start, "days": 15}],
        })
    };
    let audit = json!({
        "key": "ASF-1",
        "name": "Observaciones de la auditoría 45",
        "kind": "audit",
        "body": "Auditoría Superior de la Federación",
        "items": [line("observation")],
    });
    let incomplete = secretario.post("/api/v1/programs", &audit).await;
    assert_error(&incomplete, 422, "invalid_fields");
    let fields = incomplete.fields();
    assert_eq!(fields, ["reference", "year"], "{}", incomplete.text);
    let mut whole = audit.clone();
    whole["reference"] = json!("Auditoría 45-DS");
    whole["year"] = json!(2024);
    let created = secretario.post("/api/v1/programs", &whole).await;
    assert_eq!(created.status, 201, "{}", created.text);
    assert_eq!(created.body["plan"]["kind"], "audit");
    assert_eq!(
        created.body["items"][0]["reference"],
        "2024-0-12100-19-0045-01-001"
    );
    assert_eq!(created.body["items"][0]["key"], "OB1");
    let other = secretario
        .post("/api/v1/programs/ASF-1/items", &line("risk"))
        .await;
    assert_error(&other, 422, "invalid_fields");
    assert_eq!(other.body["fields"][0]["field"], "kind", "{}", other.text);

    let year = crate::common::today().year();
    let pat = json!({
        "key": "PAT-1",
        "name": "Programa Anual de Trabajo",
        "kind": "pat",
        "year": year,
        "items": [line("line")],
    });
    let created = secretario.post("/api/v1/programs", &pat).await;
    assert_eq!(created.status, 201, "{}", created.text);
    let item = &created.body["items"][0];
    assert_eq!(item["key"], "L1");
    assert_eq!(item["quarter_goals"], json!([25, 50, 75, 100]));
    assert_eq!(item["indicator"], "Entidades supervisadas");
    let quarter = turno_domain::followup::Quarter::of(crate::common::today());
    let report = secretario
        .get(&format!(
            "/api/v1/programs/PAT-1/quarter?year={}&quarter={}",
            quarter.year(),
            quarter.number()
        ))
        .await;
    assert_eq!(report.status, 200, "{}", report.text);
    assert_eq!(report.body["date"], quarter.end().to_string());
    assert_eq!(report.body["lines"][0]["key"], "L1");
    let goals = [25, 50, 75, 100];
    assert_eq!(
        report.body["lines"][0]["goal"],
        goals[usize::from(quarter.number() - 1)]
    );
    assert_eq!(
        secretario
            .get("/api/v1/programs/PAT-1/quarter?year=2026&quarter=0")
            .await
            .status,
        422
    );
    // The page's files through the API: the workbook and the one-page PDF, named.
    let asked = format!(
        "/api/v1/programs/PAT-1/quarter?year={}&quarter={}",
        quarter.year(),
        quarter.number()
    );
    let file = format!("corte-PAT-1-{}-T{}", quarter.year(), quarter.number());
    for (format, starts, mime) in [
        ("xlsx", &b"PK"[..], turno_app::report::XLSX),
        ("pdf", &b"%PDF"[..], "application/pdf"),
    ] {
        let got = secretario.get(&format!("{asked}&formato={format}")).await;
        assert_eq!(got.status, 200, "{format}: {}", got.text);
        assert!(got.bytes.starts_with(starts), "{format}");
        assert_eq!(got.headers["content-type"], mime);
        assert!(
            got.headers["content-disposition"]
                .to_str()
                .unwrap()
                .contains(&format!("{file}.{format}")),
            "{format}"
        );
    }
    assert_eq!(
        secretario
            .get(&format!("{asked}&formato=docx"))
            .await
            .status,
        400
    );
    let rollup = secretario
        .get("/api/v1/programs/PAT-1/rollup?unit=SIDSS-ST")
        .await;
    assert_eq!(rollup.status, 200, "{}", rollup.text);
    assert_eq!(rollup.body["direction"]["tally"]["activities"], 0);
    assert_eq!(rollup.body["units"][0]["code"], "SIDSS-ST-SEG");
    assert_eq!(rollup.body["units"][0]["tally"]["activities"], 1);
    assert_eq!(rollup.body["total"]["activities"], 1);
    assert_eq!(
        secretario
            .get("/api/v1/programs/PAT-1/rollup?unit=NO-EXISTE")
            .await
            .status,
        404
    );
}

/// A line edited through the API as on its page: its text and terms change and its progress
/// stays; a term that would end before progress already recorded, another kind, or a line of a
/// program not written down line by line are refused, each by its field; the consulta role
/// may not; the audit log says who changed what.
async fn a_line_is_edited_without_breaking_its_progress(app: TestApp) {
    let secretario = Client::of(&app, "secretario").await;
    let year = crate::common::today().year();
    let start = crate::common::yesterday().to_string();
    let line = |kind: &str, text: &str, end: &str| {
        json!({
            "kind": kind,
            "text": text,
            "responsible": "SIDSS-ST",
            "activities": [{"description": "Actualizar el manual", "start": start, "end": end}],
        })
    };
    let far = format!("{}-12-31", year + 1);
    let created = secretario
        .post(
            "/api/v1/programs",
            &json!({
                "key": "PTCI-E",
                "name": "Programa de Trabajo de Control Interno",
                "kind": "ptci",
                "year": year,
                "items": [line("control_action", "Documentar los controles", &far)],
            }),
        )
        .await;
    assert_eq!(created.status, 201, "{}", created.text);
    let progress = secretario
        .post(
            "/api/v1/programs/PTCI-E/items/CI1/activities/1/progress",
            &json!({"progress": 40, "note": "Borrador"}),
        )
        .await;
    assert_eq!(progress.status, 200, "{}", progress.text);

    let path = "/api/v1/programs/PTCI-E/items/CI1";
    // Ending before the progress recorded today, and of another kind: each by its field.
    let before = start.clone();
    let refused = secretario
        .put(path, &line("risk", "Documentar los controles", &before))
        .await;
    assert_error(&refused, 422, "invalid_fields");
    assert_eq!(refused.fields(), ["kind"], "{}", refused.text);
    let refused = secretario
        .put(
            path,
            &line("control_action", "Documentar los controles", &before),
        )
        .await;
    assert_error(&refused, 422, "invalid_fields");
    assert_eq!(refused.fields(), ["activities[0].end"], "{}", refused.text);
    assert!(
        refused.text.contains("tiene avance registrado el"),
        "{}",
        refused.text
    );
    assert_error(
        &Client::of(&app, "consulta")
            .await
            .put(path, &line("control_action", "Otro texto", &far))
            .await,
        403,
        "forbidden",
    );
    let later = format!("{}-06-30", year + 2);
    let edited = secretario
        .put(
            path,
            &line(
                "control_action",
                "Documentar y probar los controles",
                &later,
            ),
        )
        .await;
    assert_eq!(edited.status, 200, "{}", edited.text);
    assert_eq!(edited.body["text"], "Documentar y probar los controles");
    assert_eq!(edited.body["activities"][0]["end"], later);
    assert_eq!(
        edited.body["activities"][0]["progress"], 40,
        "{}",
        edited.text
    );
    assert_error(
        &secretario
            .put(
                "/api/v1/programs/PTCI-E/items/CI9",
                &line("control_action", "x", &far),
            )
            .await,
        404,
        "not_found",
    );
    app.supervision("SUP-1").await;
    assert_error(
        &secretario
            .put(
                "/api/v1/programs/SUP-1/items/R1",
                &line("control_action", "x", &far),
            )
            .await,
        422,
        "refused",
    );
    let audit = Client::of(&app, "admin")
        .await
        .get("/api/v1/audit?subject=PTCI-E")
        .await;
    let changed = audit
        .body
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["action"] == "followup_item_changed")
        .unwrap_or_else(|| panic!("{}", audit.text));
    assert_eq!(changed["actor"], "secretario");
    assert_eq!(changed["detail"]["item"], "CI1");
    let fields: Vec<&str> = changed["detail"]["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["text", "activities[0].end"]);
    assert_eq!(
        changed["summary"],
        "Se editó la línea CI1 del programa «PTCI-E»."
    );
}

async fn agreements_are_written_down_and_added_to(app: TestApp) {
    app.supervision("SUP-1").await;
    let secretario = Client::of(&app, "secretario").await;
    let folio = secretario.register().await;
    let dates = ("2026-03-02", "2030-03-13");
    let program = |key: &str, item: Value| {
        json!({
            "key": key,
            "name": "Acuerdos de la reunión de marzo",
            "case_folio": folio,
            "items": [item],
        })
    };
    let wrong = secretario
        .post(
            "/api/v1/programs",
            &program(
                "REUNION-1",
                agreement("agreement", "NO-EXISTE", ("2026-03-02", "2026-03-01")),
            ),
        )
        .await;
    assert_error(&wrong, 422, "invalid_fields");
    let fields = wrong.fields();
    assert_eq!(fields, ["items[0].responsible"], "{}", wrong.text);
    let reversed = secretario
        .post(
            "/api/v1/programs",
            &program(
                "REUNION-1",
                agreement("agreement", "SIDSS-ST", ("2026-03-02", "2026-03-01")),
            ),
        )
        .await;
    assert_error(&reversed, 422, "invalid_fields");
    assert_eq!(
        reversed.body["fields"][0],
        json!({
            "field": "items[0].activities[0].end",
            "reason": "La actividad 1 del elemento 1 termina (2026-03-01) antes de empezar (2026-03-02).",
        })
    );
    let body = program("REUNION-1", agreement("agreement", "SIDSS-ST", dates));
    for (who, status, code) in [("consulta", 403, "forbidden"), ("ajeno", 403, "forbidden")] {
        assert_error(
            &Client::of(&app, who)
                .await
                .post("/api/v1/programs", &body)
                .await,
            status,
            code,
        );
    }
    let mut unknown = body.clone();
    unknown["case_folio"] = json!("CAS-1999-000001");
    assert_error(
        &secretario.post("/api/v1/programs", &unknown).await,
        404,
        "not_found",
    );
    let created = secretario.post("/api/v1/programs", &body).await;
    assert_eq!(created.status, 201, "{}", created.text);
    assert_eq!(created.headers["location"], "/api/v1/programs/REUNION-1");
    let first = &created.body["items"][0];
    assert_eq!(
        (&first["key"], &first["kind"]),
        (&json!("AC1"), &json!("acuerdo"))
    );
    assert_eq!(first["activities"][0]["responsible"], json!(["SIDSS-ST"]));
    assert_eq!(first["activities"][0]["may_record"], true);
    assert_error(
        &secretario.post("/api/v1/programs", &body).await,
        409,
        "conflict",
    );

    let items = "/api/v1/programs/REUNION-1/items";
    let added = secretario
        .post(items, &agreement("commitment", "Secretario Técnico", dates))
        .await;
    assert_eq!(added.status, 201, "{}", added.text);
    assert_eq!(added.body["key"], "C1");
    let second = secretario
        .post(items, &agreement("agreement", "SIDSS-ST", dates))
        .await;
    assert_eq!(second.body["key"], "AC2");
    assert_error(
        &Client::of(&app, "consulta")
            .await
            .post(items, &agreement("agreement", "SIDSS-ST", dates))
            .await,
        403,
        "forbidden",
    );
    assert_error(
        &secretario
            .post(
                "/api/v1/programs/SUP-1/items",
                &agreement("agreement", "SIDSS-ST", dates),
            )
            .await,
        422,
        "refused",
    );
    assert_error(
        &secretario
            .post(
                "/api/v1/programs/NO-EXISTE/items",
                &agreement("agreement", "SIDSS-ST", dates),
            )
            .await,
        404,
        "not_found",
    );
    let read = secretario.get("/api/v1/programs/REUNION-1").await;
    let keys: Vec<&str> = read.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["key"].as_str().unwrap())
        .collect();
    assert_eq!(keys, ["AC1", "C1", "AC2"]);
    // Its responsible unit's people follow it up with evidence, as any program.
    let pdf = File {
        name: "minuta.pdf",
        mime: "application/pdf",
        content: PDF,
    };
    let done = secretario
        .evidence(
            "REUNION-1/items/C1/activities/1",
            &[("progress", "100")],
            Some(&pdf),
        )
        .await;
    assert_eq!(done.status, 200, "{}", done.text);
    assert_eq!(done.body["status"], "atendido");
}

/// Lines imported into a program from a CSV file, as on its page: a file with problems adds
/// nothing and names every one by file, row and column; those who only consult may not; a
/// supervision's program takes no lines.
async fn lines_are_imported_into_a_program(app: TestApp) {
    app.supervision("SUP-1").await;
    let secretario = Client::of(&app, "secretario").await;
    let dates = ("2026-03-02", "2030-03-13");
    let created = secretario
        .post(
            "/api/v1/programs",
            &json!({
                "key": "REUNION-L",
                "name": "Acuerdos de la reunión de abril",
                "items": [agreement("agreement", "SIDSS-ST", dates)],
            }),
        )
        .await;
    assert_eq!(created.status, 201, "{}", created.text);
    let header = "Línea,Tipo,Texto,Unidad responsable,Actividad,Fecha de inicio,Fecha de término";
    let csv = |unit: &str, end: &str| {
        format!(
            "{header}\nX1,compromiso,Capacitar a las áreas,{unit},Impartir el curso,2026-04-01,2030-04-30\n\
             X1,compromiso,Capacitar a las áreas,{unit},Evaluar el curso,2026-05-01,2030-05-29\n\
             X2,acuerdo,Publicar el calendario,SIDSS-ST,Enviarlo,2026-04-01,{end}\n"
        )
    };
    let upload = |content: String| {
        let file = File {
            name: "lineas.csv",
            mime: "text/csv",
            content: content.as_bytes(),
        };
        crate::common::multipart_files(&[], "files", &[file])
    };
    let path = "/api/v1/programs/REUNION-L/lines";
    let post = reqwest::Method::POST;
    let wrong = secretario
        .multipart(post.clone(), path, upload(csv("NO-EXISTE", "2026-03-31")))
        .await;
    assert_error(&wrong, 422, "invalid_file");
    let problems = wrong.body["problems"].as_array().unwrap();
    assert!(
        problems.contains(&json!(
            "La unidad responsable «NO-EXISTE» de la fila 2 (lineas.csv) no existe."
        )),
        "{}",
        wrong.text
    );
    assert!(
        problems.iter().any(|p| p
            .as_str()
            .unwrap()
            .contains("termina (2026-03-31) antes de empezar (2026-04-01)")),
        "{}",
        wrong.text
    );
    let read = secretario.get("/api/v1/programs/REUNION-L").await;
    assert_eq!(
        read.body["items"].as_array().unwrap().len(),
        1,
        "nothing added"
    );
    assert_error(
        &Client::of(&app, "consulta")
            .await
            .multipart(post.clone(), path, upload(csv("SIDSS-ST", "2030-04-30")))
            .await,
        403,
        "forbidden",
    );
    assert_error(
        &secretario
            .multipart(
                post.clone(),
                "/api/v1/programs/SUP-1/lines",
                upload(csv("SIDSS-ST", "2030-04-30")),
            )
            .await,
        422,
        "refused",
    );
    let unknown = secretario
        .multipart(
            post.clone(),
            path,
            crate::common::multipart_files(&[("name", "x")], "files", &[]),
        )
        .await;
    assert_error(&unknown, 422, "invalid_fields");
    let added = secretario
        .multipart(post.clone(), path, upload(csv("SIDSS-ST", "2030-04-30")))
        .await;
    assert_eq!(added.status, 201, "{}", added.text);
    assert_eq!(added.headers["location"], "/api/v1/programs/REUNION-L");
    let keys: Vec<(&str, usize)> = added
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["key"].as_str().unwrap(),
                i["activities"].as_array().unwrap().len(),
            )
        })
        .collect();
    assert_eq!(keys, [("C1", 2), ("AC2", 1)]);
    let read = secretario.get("/api/v1/programs/REUNION-L").await;
    assert_eq!(read.body["items"].as_array().unwrap().len(), 3);
}

/// The seed's three tables imported through the API, and a supervision registered and its
/// rounds closed, under the pages' rules.
async fn tables_are_imported_and_supervisions_followed(app: TestApp) {
    let tables = |activities: &str| {
        crate::common::asm_form(&[("name", "Programa de ASM 2017")], "tables", activities)
    };
    let admin = Client::of(&app, "admin").await;
    let put = reqwest::Method::PUT;
    let path = "/api/v1/programs/ASM-2017/tables";
    let wrong = admin
        .multipart(put.clone(), path, tables("actividades.csv"))
        .await;
    assert_error(&wrong, 422, "invalid_file");
    assert_eq!(wrong.body["problems"].as_array().unwrap().len(), 17);
    assert!(
        wrong.body["problems"]
            .as_array()
            .unwrap()
            .contains(&json!(
                "actividades.csv: fila 52, «Fecha de término»: termina (2017-01-31) antes de empezar (2017-05-15)"
            )),
        "{}",
        wrong.text
    );
    assert_error(
        &Client::of(&app, "secretario")
            .await
            .multipart(put.clone(), path, tables("actividades-corregidas.csv"))
            .await,
        403,
        "forbidden",
    );
    let imported = admin
        .multipart(put.clone(), path, tables("actividades-corregidas.csv"))
        .await;
    assert_eq!(imported.status, 200, "{}", imported.text);
    assert_eq!(
        imported.body,
        json!({"key": "ASM-2017", "result": "created"})
    );
    let again = admin
        .multipart(put.clone(), path, tables("actividades-corregidas.csv"))
        .await;
    assert_eq!(again.body["result"], "unchanged");
    assert_error(
        &admin
            .multipart(
                put,
                "/api/v1/programs/.oculto/tables",
                tables("actividades-corregidas.csv"),
            )
            .await,
        422,
        "invalid_fields",
    );

    // A supervision of a cnpss-94 case, registered through the page as `SUP-QRO`; the API
    // registers a second program for its case and closes that one's rounds.
    let (app, _) = crate::followup::supervision(&app).await;
    let comisionado = Client::of(&app, "comisionado").await;
    let programs = comisionado.get("/api/v1/programs").await;
    let folio = programs
        .body
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["key"] == "SUP-QRO")
        .and_then(|p| p["supervision_of"].as_str())
        .unwrap()
        .to_owned();
    let supervision = |key: &str, folio: &str| {
        json!({
            "key": key,
            "folio": folio,
            "entidad": "Querétaro",
            "from": "2026-03-01",
            "deadline": "2030-12-31",
            "recommendations": ["Actualizar el padrón de afiliados", "Publicar las cuotas"],
        })
    };
    let body = supervision("SUP-QRO-2", &folio);
    assert_error(
        &Client::of(&app, "ajeno")
            .await
            .post("/api/v1/supervisions", &body)
            .await,
        403,
        "forbidden",
    );
    let informe = Client::of(&app, "secretario").await;
    let other = informe.register().await;
    assert_error(
        &informe
            .post("/api/v1/supervisions", &supervision("SUP-X", &other))
            .await,
        422,
        "refused",
    );
    let created = comisionado.post("/api/v1/supervisions", &body).await;
    assert_eq!(created.status, 201, "{}", created.text);
    assert_eq!(created.body["supervision_of"], json!(folio));
    assert_eq!(created.body["items"][1]["key"], "R2");
    assert_error(
        &comisionado
            .post("/api/v1/supervisions", &supervision("SUP-QRO", &folio))
            .await,
        409,
        "conflict",
    );

    let rounds = "/api/v1/programs/SUP-QRO-2/rounds";
    assert_error(
        &Client::of(&app, "ajeno")
            .await
            .post(rounds, &json!({}))
            .await,
        403,
        "forbidden",
    );
    assert_error(
        &admin
            .post("/api/v1/programs/ASM-2017/rounds", &json!({}))
            .await,
        404,
        "not_found",
    );
    let first = comisionado.post(rounds, &json!({})).await;
    assert_eq!(first.status, 200, "{}", first.text);
    assert_eq!(
        (
            &first.body["round"],
            &first.body["outcome"],
            &first.body["pending"]
        ),
        (&json!(1), &json!("second_round"), &json!(2))
    );
    let second = comisionado.post(rounds, &json!({})).await;
    assert_eq!(second.body["outcome"], "escalated");
    assert_error(&comisionado.post(rounds, &json!({})).await, 409, "conflict");
    let read = comisionado.get("/api/v1/programs/SUP-QRO-2").await;
    assert_eq!(
        read.body["rounds"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["outcome_label"].as_str().unwrap())
            .collect::<Vec<_>>(),
        ["pasa al segundo seguimiento", "escalada"]
    );
}

/// The calendar page's changes through the API: one day off added (moving the term that
/// counted on it) and removed, a period for one regime and state, and the agency's scope.
async fn calendar_entries_are_added_removed_and_scoped(app: TestApp) {
    let secretario = Client::of(&app, "secretario").await;
    let folio = secretario.register().await;
    assert_eq!(secretario.complete(&folio, None).await.status, 200);
    let (_, item, version) = secretario.case(&folio).await;
    let turned = secretario
        .post(
            &format!("/api/v1/cases/{folio}/work/{item}/turns"),
            &json!({
                "version": version,
                "units": ["SIDSS-CAS"],
                "instruction": "Revise las cifras",
                "business_days": 10,
            }),
        )
        .await;
    assert_eq!(turned.status, 201, "{}", turned.text);
    let (case, _, _) = secretario.case(&folio).await;
    let due: jiff::civil::Date = case["open_work"][1]["due"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    let day_off = turno_domain::engine::Calendars::statutory()
        .lfpa
        .add_business_days(due, -2)
        .unwrap()
        .to_string();

    let admin = Client::of(&app, "admin").await;
    let entry = json!({"from": day_off, "name": "Suspensión de labores", "source": "DOF"});
    assert_error(
        &Client::of(&app, "consulta")
            .await
            .post("/api/v1/calendar/entries", &entry)
            .await,
        403,
        "forbidden",
    );
    let added = admin.post("/api/v1/calendar/entries", &entry).await;
    assert_eq!(added.status, 201, "{}", added.text);
    assert_eq!(added.body["added"][0]["from"], json!(day_off));
    assert_eq!(added.body["added"][0]["source"], "DOF");
    assert_eq!(added.body["moved"][0]["folio"], json!(folio));
    assert_eq!(added.body["moved"][0]["before"], json!(due.to_string()));
    let again = admin.post("/api/v1/calendar/entries", &entry).await;
    assert_eq!(again.status, 200, "{}", again.text);
    assert_eq!(
        (&again.body["added"], &again.body["unchanged"]),
        (&json!([]), &json!(1))
    );

    let period = admin
        .post(
            "/api/v1/calendar/entries",
            &json!({
                "from": "2026-12-21",
                "to": "2026-12-31",
                "name": "Vacaciones de invierno",
                "regimes": ["lft"],
                "state": "QRO",
            }),
        )
        .await;
    assert_eq!(period.status, 201, "{}", period.text);
    assert_eq!(period.body["added"][0]["regimes"], json!(["lft"]));
    assert_eq!(period.body["added"][0]["state"], "QRO");
    let wrong = admin
        .post(
            "/api/v1/calendar/entries",
            &json!({"from": "2026-12-31", "to": "2026-12-01", "name": " ", "state": "ATL"}),
        )
        .await;
    assert_error(&wrong, 422, "invalid_fields");
    let fields = wrong.fields();
    assert_eq!(fields, ["to", "name", "state"], "{}", wrong.text);
    assert_error(
        &admin
            .post(
                "/api/v1/calendar/entries",
                &json!({"from": "1989-12-25", "name": "Navidad"}),
            )
            .await,
        422,
        "invalid_fields",
    );

    let year = admin
        .get(&format!("/api/v1/calendar?year={}", &day_off[..4]))
        .await;
    let stored = year.body["entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["from"] == json!(day_off))
        .unwrap()
        .clone();
    assert_eq!(stored["file"], "agregado en Turno");
    let path = format!("/api/v1/calendar/entries/{}", stored["id"]);
    // Changed to the next business day: the term counts on the first again, then the new one.
    let next = turno_domain::engine::Calendars::statutory()
        .lfpa
        .add_business_days(day_off.parse().unwrap(), 1)
        .unwrap()
        .to_string();
    let changed = admin
        .put(
            &path,
            &json!({"from": next, "name": "Suspensión de labores", "source": "DOF 2"}),
        )
        .await;
    assert_eq!(changed.status, 200, "{}", changed.text);
    assert_eq!(changed.body["before"]["from"], json!(day_off));
    assert_eq!(changed.body["after"]["from"], json!(next));
    assert_eq!(changed.body["after"]["source"], "DOF 2");
    let wrong = admin
        .put(
            &path,
            &json!({"from": "2026-12-31", "to": "2026-12-01", "name": ""}),
        )
        .await;
    assert_error(&wrong, 422, "invalid_fields");
    assert_eq!(
        wrong.body["fields"].as_array().unwrap().len(),
        2,
        "{}",
        wrong.text
    );
    // The same content as another entry is refused: entries are not duplicated.
    let same = admin
        .put(
            &path,
            &json!({
                "from": "2026-12-21",
                "to": "2026-12-31",
                "name": "Vacaciones de invierno",
                "regimes": ["lft"],
                "state": "QRO",
            }),
        )
        .await;
    assert_error(&same, 409, "conflict");
    assert_error(
        &admin
            .put(
                "/api/v1/calendar/entries/999999",
                &json!({"from": next, "name": "Otro"}),
            )
            .await,
        404,
        "not_found",
    );
    let log = admin
        .get("/api/v1/audit?subject=agregado%20en%20Turno")
        .await;
    assert!(
        log.body
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["action"] == "calendar_entry_changed"
                && e["summary"].as_str().unwrap().starts_with("Se cambió ")),
        "{}",
        log.text
    );
    let removed = admin.delete(&path, &json!({})).await;
    assert_eq!(removed.status, 200, "{}", removed.text);
    assert_eq!(removed.body["removed"]["name"], "Suspensión de labores");
    assert_eq!(removed.body["removed"]["from"], json!(next));
    assert_eq!(removed.body["moved"][0]["after"], json!(due.to_string()));
    assert_error(&admin.delete(&path, &json!({})).await, 404, "not_found");

    let scoped = admin
        .put(
            "/api/v1/calendar/scope",
            &json!({"institution": "SSA", "state": "QRO"}),
        )
        .await;
    assert_eq!(scoped.status, 200, "{}", scoped.text);
    assert_eq!(
        scoped.body["reason"],
        "Calendario: ahora cuenta los días inhábiles de SSA y de Querétaro"
    );
    let year = admin.get("/api/v1/calendar?year=2026").await;
    assert_eq!(
        (&year.body["institution"], &year.body["state"]),
        (&json!("SSA"), &json!("QRO"))
    );
    assert_error(
        &admin
            .put("/api/v1/calendar/scope", &json!({"institution": "S S A"}))
            .await,
        422,
        "invalid_fields",
    );
    let cleared = admin.put("/api/v1/calendar/scope", &json!({})).await;
    assert_eq!(cleared.status, 200, "{}", cleared.text);
    assert_eq!(cleared.body["institution"], Value::Null);
}

/// One unit created and renamed from a date, and the motive catalog, as their pages do.
async fn units_and_motives_are_administered(app: TestApp) {
    let admin = Client::of(&app, "admin").await;
    let unit = |name: &str, parent: &str, from: Option<&str>| {
        let mut body = json!({"name": name, "level": "departamento", "parent": parent});
        if let Some(from) = from {
            body["from"] = json!(from);
        }
        body
    };
    let path = "/api/v1/units/SIDSS-ST-OP";
    assert_error(
        &Client::of(&app, "secretario")
            .await
            .put(path, &unit("Oficina de Enlace", "SIDSS-ST", None))
            .await,
        403,
        "forbidden",
    );
    let created = admin
        .put(path, &unit("Oficina de Enlace", "SIDSS-ST", None))
        .await;
    assert_eq!(created.status, 201, "{}", created.text);
    assert_eq!(
        (
            &created.body["code"],
            &created.body["parent"],
            &created.body["level_label"]
        ),
        (
            &json!("SIDSS-ST-OP"),
            &json!("SIDSS-ST"),
            &json!("Departamento")
        )
    );
    let renamed = admin
        .put(
            path,
            &unit(
                "Oficina de Enlace y Seguimiento",
                "SIDSS-ST",
                Some("2026-01-01"),
            ),
        )
        .await;
    assert_eq!(renamed.status, 200, "{}", renamed.text);
    assert_eq!(renamed.body["name"], "Oficina de Enlace y Seguimiento");
    assert_eq!(
        renamed.body["earlier_forms"][0]["name"],
        "Oficina de Enlace"
    );
    let looped = admin
        .put(
            "/api/v1/units/SIDSS-ST",
            &json!({"name": "Secretario Técnico", "level": "unidad", "parent": "SIDSS-ST-OP"}),
        )
        .await;
    assert_error(&looped, 422, "invalid_fields");
    assert_eq!(looped.body["fields"][0]["field"], "parent");
    let wrong = admin
        .put(
            "/api/v1/units/sidss-x",
            &json!({"name": "", "level": "nivel"}),
        )
        .await;
    let fields = wrong.fields();
    assert_eq!(fields, ["code", "name", "level"], "{}", wrong.text);

    // Changed in place: what is left out stays, a null takes the siglas away, and a code that
    // names no unit is not created.
    let patched = admin
        .send(
            reqwest::Method::PATCH,
            path,
            Some(&json!({"name": "Oficina de Seguimiento", "siglas": "OS"})),
            &[],
        )
        .await;
    assert_eq!(patched.status, 200, "{}", patched.text);
    assert_eq!(
        (
            &patched.body["name"],
            &patched.body["parent"],
            &patched.body["siglas"],
            &patched.body["level"]
        ),
        (
            &json!("Oficina de Seguimiento"),
            &json!("SIDSS-ST"),
            &json!("OS"),
            &json!("departamento")
        )
    );
    let cleared = admin
        .send(
            reqwest::Method::PATCH,
            path,
            Some(&json!({"siglas": null})),
            &[],
        )
        .await;
    assert_eq!(cleared.body["siglas"], Value::Null, "{}", cleared.text);
    assert_eq!(cleared.body["name"], "Oficina de Seguimiento");
    // A unit always has a name and a level: `null` is refused as the schema says, not taken
    // as «unchanged».
    for null in [json!({"name": null}), json!({"level": null})] {
        let answer = admin
            .send(reqwest::Method::PATCH, path, Some(&null), &[])
            .await;
        assert!(
            [400, 422].contains(&answer.status),
            "{null}: {} {}",
            answer.status,
            answer.text
        );
    }
    let refused = admin
        .send(
            reqwest::Method::PATCH,
            path,
            Some(&json!({"name": " ", "level": "nivel", "parent": "SIDSS-ST-OP"})),
            &[],
        )
        .await;
    assert_error(&refused, 422, "invalid_fields");
    let fields = refused.fields();
    assert_eq!(fields, ["name", "level", "parent"], "{}", refused.text);
    assert_error(
        &admin
            .send(
                reqwest::Method::PATCH,
                "/api/v1/units/NO-EXISTE",
                Some(&json!({"name": "X"})),
                &[],
            )
            .await,
        404,
        "not_found",
    );
    assert_error(
        &Client::of(&app, "secretario")
            .await
            .send(
                reqwest::Method::PATCH,
                path,
                Some(&json!({"name": "X"})),
                &[],
            )
            .await,
        403,
        "forbidden",
    );
    let log = admin.get("/api/v1/audit?subject=SIDSS-ST-OP").await;
    assert_eq!(
        log.body[0]["summary"], "Se cambió la unidad «Oficina de Seguimiento» (SIDSS-ST-OP).",
        "{}",
        log.text
    );

    let motive = json!({
        "code": "MED-SURT",
        "name": "Surtimiento de medicamentos",
        "kinds": ["queja", "gestion"],
    });
    assert_error(
        &Client::of(&app, "secretario")
            .await
            .get("/api/v1/motives")
            .await,
        403,
        "forbidden",
    );
    let added = admin.post("/api/v1/motives", &motive).await;
    assert_eq!(added.status, 201, "{}", added.text);
    assert_eq!(
        added.body,
        json!({
            "code": "MED-SURT",
            "name": "Surtimiento de medicamentos",
            "kinds": ["queja", "gestion"],
            "active": true,
        })
    );
    let taken = admin.post("/api/v1/motives", &motive).await;
    assert_error(&taken, 422, "invalid_fields");
    assert_eq!(taken.body["fields"][0]["field"], "code");
    assert_error(
        &admin
            .post("/api/v1/motives", &json!({"code": "med surt", "name": "X"}))
            .await,
        422,
        "invalid_fields",
    );
    let listed = admin.get("/api/v1/motives").await;
    assert!(listed.body.as_array().unwrap().contains(&added.body));
    let retired = admin
        .post("/api/v1/motives/MED-SURT/retire", &json!({}))
        .await;
    assert_eq!(retired.status, 200, "{}", retired.text);
    assert_eq!(retired.body["active"], false);
    assert_error(
        &admin
            .post("/api/v1/motives/MED-SURT/retire", &json!({}))
            .await,
        422,
        "refused",
    );
    let log = audit_of(&admin, "MED-SURT").await;
    assert_eq!(log.len(), 2, "{log:?}");
}

/// The attention units (the Departamento de Vinculación Social and its operador), the Enlace
/// of Jalisco at its REPSS, Jalisco's and Oaxaca's own units with a titular each, and a motive.
async fn attention(app: &TestApp) {
    for (code, name) in [
        ("CNPSS-DVS", "Departamento de Vinculación Social"),
        (
            "REPSS-JAL",
            "Régimen Estatal de Protección Social en Salud de Jalisco",
        ),
        ("EF-JAL", "Jalisco"),
        ("EF-OAX", "Oaxaca"),
    ] {
        app.add_unit(code, name).await;
    }
    app.add_people(&[
        ("vinculacion", "CNPSS-DVS", Role::Operador),
        ("enlace_jal", "REPSS-JAL", Role::EnlaceExterno),
        ("jalisco", "EF-JAL", Role::Titular),
    ])
    .await;
    app.add_motive("MED-SURT", "Surtimiento de medicamentos")
        .await;
}

/// A petition that came in a letter, of `state`, with the petitioner's contact.
fn letter_fields(state: &'static str) -> Vec<(&'static str, &'static str)> {
    vec![
        ("channel", "escrito"),
        ("kind", "queja"),
        ("state", state),
        (
            "narrative",
            "No le surtieron la receta en el Centro de Salud.",
        ),
        ("name", "Juana Pérez Gómez"),
        ("curp", "HEGG560427MVZRRL04"),
        ("phone", "33 1234 5678"),
        ("sender", "Consejo Nacional de Salud"),
        ("reference", "CNS/123/2026"),
        ("dated", "2026-03-02"),
    ]
}

/// The Enlace's FUR, answering `answer`.
fn fur(answer: &str) -> Value {
    json!({
        "liaison": "Lic. Ana Ruiz",
        "answered_on": today().to_string(),
        "contact": {"means": "telefono", "on": today().to_string()},
        "actions": "Se gestionó el surtimiento con la jurisdicción.",
        "outcome": "favorable",
        "answer": answer,
    })
}

/// The whole handling through the API only: registered from a letter (larger than the
/// application's 2 MiB body limit), classified, turned with its volante, answered on the FUR,
/// turned again by the review, answered again and closed; the petitioner follows it with the
/// access code, and the pages show the same petition.
/// The petitioner's lookup tells nothing to whoever lacks the code: a wrong code and a folio
/// that does not exist answer alike, 404 with the same body.
async fn lookups_tell_nothing(anonymous: &Client, folio: &str, code: &str) {
    let wrong = anonymous
        .post(
            "/api/v1/petitions/status",
            &json!({"folio": folio, "code": "0000-0000-0000"}),
        )
        .await;
    assert_error(&wrong, 404, "not_found");
    let unknown = anonymous
        .post(
            "/api/v1/petitions/status",
            &json!({"folio": "AC-2026-999999", "code": code}),
        )
        .await;
    assert_eq!(unknown.body, wrong.body);
}

async fn a_petition_is_handled_from_registration_to_answer(app: TestApp) {
    attention(&app).await;
    let dvs = Client::of(&app, "vinculacion").await;
    let enlace = Client::of(&app, "enlace_jal").await;

    let mut letter = PDF.to_vec();
    letter.resize(3 * 1024 * 1024, b' ');
    let filed = dvs
        .register_petition(&letter_fields("JAL"), Some(&letter))
        .await;
    assert_eq!(filed.status, 201, "{}", filed.text);
    let folio = filed.body["folio"].as_str().unwrap().to_owned();
    assert!(folio.starts_with("AC-"), "{folio}");
    assert_eq!(
        filed.headers["location"],
        format!("/api/v1/petitions/{folio}").as_str()
    );
    let code = filed.body["access_code"].as_str().unwrap().to_owned();

    // The operador sees it whole (the view on the audit log), with its letter.
    let shown = dvs.get(&format!("/api/v1/petitions/{folio}")).await;
    assert_eq!(shown.status, 200, "{}", shown.text);
    let petition = &shown.body;
    assert_eq!(
        (
            &petition["status"],
            &petition["kind"],
            &petition["channel"],
            &petition["state"]
        ),
        (
            &json!("recibida"),
            &json!("queja"),
            &json!("escrito"),
            &json!("JAL")
        )
    );
    assert_eq!(petition["unmasked"], true);
    assert_eq!(petition["contact"]["phone"], "3312345678");
    assert_eq!(petition["letter"]["reference"], "CNS/123/2026");
    let logged = app.store.audit_log(Some(&folio), 10).await.unwrap();
    assert_eq!(logged[0].action, "petition_personal_data_viewed");
    let download = dvs.get(&format!("/api/v1/petitions/{folio}/letter")).await;
    assert_eq!(download.status, 200);
    assert_eq!(download.bytes, letter);
    let listed = dvs.get("/api/v1/petitions?state=JAL&status=recibida").await;
    assert_eq!(listed.body[0]["folio"], folio.as_str(), "{}", listed.text);
    assert_eq!(listed.body[0]["contact"]["phone"], "******5678");

    // Classified as meriting action: the volante is turned to the Enlace of Jalisco.
    let form = dvs
        .get(&format!("/api/v1/petitions/{folio}/classification"))
        .await;
    assert_eq!(form.status, 200, "{}", form.text);
    assert_eq!(form.body["motives"][0]["code"], "MED-SURT");
    assert_eq!(form.body["default_days"], 10);
    let classified = dvs
        .post(
            &format!("/api/v1/petitions/{folio}/classification"),
            &json!({"kind": "queja", "motive": "MED-SURT", "state": "JAL", "needs_action": true, "days": 5}),
        )
        .await;
    assert_eq!(classified.status, 200, "{}", classified.text);
    assert_eq!(classified.body["status"], "en_gestion");
    assert_eq!(classified.body["slip"], 1);
    let volante = classified.body["volante"].as_str().unwrap().to_owned();
    assert!(volante.starts_with("VT-"), "{volante}");
    let again = dvs
        .post(
            &format!("/api/v1/petitions/{folio}/classification"),
            &json!({"kind": "queja", "motive": "MED-SURT", "state": "JAL", "needs_action": false, "answer": "Ya"}),
        )
        .await;
    assert_error(&again, 409, "conflict");

    // The Enlace reads the volante and answers the FUR; the review is not theirs.
    let slip = enlace.get(&format!("/api/v1/petitions/{folio}/slip")).await;
    assert_eq!(slip.status, 200, "{}", slip.text);
    assert_eq!(
        (
            &slip.body["volante"],
            &slip.body["liaison_unit"],
            &slip.body["term_days"]
        ),
        (&json!(volante), &json!("REPSS-JAL"), &json!(5))
    );
    assert_eq!(slip.body["due_on"], classified.body["due_on"]);
    let before = enlace
        .get(&format!("/api/v1/petitions/{folio}/responses"))
        .await;
    assert_eq!(
        (&before.body["may_answer"], &before.body["may_review"]),
        (&json!(true), &json!(false)),
        "{}",
        before.text
    );
    assert_error(
        &dvs.post(
            &format!("/api/v1/petitions/{folio}/review"),
            &json!({"complete": true, "favorable": true}),
        )
        .await,
        409,
        "conflict",
    );
    let answered = enlace
        .post(
            &format!("/api/v1/petitions/{folio}/responses"),
            &fur("Se le surtirá."),
        )
        .await;
    assert_eq!(answered.status, 201, "{}", answered.text);
    assert_error(
        &enlace
            .post(
                &format!("/api/v1/petitions/{folio}/responses"),
                &fur("Otra vez"),
            )
            .await,
        403,
        "forbidden",
    );
    assert_error(
        &enlace
            .post(
                &format!("/api/v1/petitions/{folio}/review"),
                &json!({"complete": true, "favorable": true}),
            )
            .await,
        403,
        "forbidden",
    );

    // Incomplete: turned again with the observations; then answered and closed.
    let review = dvs
        .post(
            &format!("/api/v1/petitions/{folio}/review"),
            &json!({"complete": false, "favorable": true, "observations": "Indique la fecha de surtimiento.", "days": 3}),
        )
        .await;
    assert_eq!(review.status, 200, "{}", review.text);
    assert_eq!(
        (&review.body["status"], &review.body["slip"]),
        (&json!("en_gestion"), &json!(2))
    );
    let second = enlace
        .post(
            &format!("/api/v1/petitions/{folio}/responses"),
            &fur("Se le surtió la receta el 5 de marzo."),
        )
        .await;
    assert_eq!(second.status, 201, "{}", second.text);
    let closed = dvs
        .post(
            &format!("/api/v1/petitions/{folio}/review"),
            &json!({"complete": true, "favorable": true}),
        )
        .await;
    assert_eq!(closed.status, 200, "{}", closed.text);
    assert_eq!(closed.body["status"], "respondida");
    assert_eq!(
        closed.body["answer"],
        "Se le surtió la receta el 5 de marzo."
    );
    assert_eq!(closed.body["answered_on"], today().to_string().as_str());
    let furs = dvs
        .get(&format!("/api/v1/petitions/{folio}/responses"))
        .await;
    let responses = furs.body["responses"].as_array().unwrap();
    assert_eq!(responses.len(), 2);
    assert_eq!(responses[0]["review"]["complete"], false);
    assert_eq!(responses[1]["review"]["by"], "vinculacion");
    let case = dvs.get(&format!("/api/v1/cases/{volante}")).await;
    assert_eq!(case.body["status"], "ended", "{}", case.text);

    // The petitioner follows it with the folio and the code, without a token.
    let anonymous = Client::new(&app, None);
    let status = anonymous
        .post(
            "/api/v1/petitions/status",
            &json!({"folio": folio, "code": code.to_lowercase()}),
        )
        .await;
    assert_eq!(status.status, 200, "{}", status.text);
    assert_eq!(status.body["status"], "respondida");
    assert_eq!(
        status.body["answer"],
        "Se le surtió la receta el 5 de marzo."
    );
    assert!(!status.text.contains("Juana") && !status.text.contains("5678"));
    lookups_tell_nothing(&anonymous, &folio, &code).await;

    // The pages show the same petition, answered, with both FURs.
    let page = app.signed_in("vinculacion").await;
    let detail = page.text(&format!("/peticiones/{folio}")).await;
    assert!(
        detail.contains("Respondida") && detail.contains("CNS/123/2026"),
        "{detail}"
    );
    let furs = page.text(&format!("/peticiones/{folio}/fur")).await;
    assert!(
        furs.contains("Se le surtirá.") && furs.contains("Se le surtió la receta el 5 de marzo.")
    );
}

/// An entidad's people see their entidad's petitions, masked, and no other's: another
/// entidad's petition is not found, its list refused; people of other units see none.
async fn petitions_of_other_entidades_are_not_found(app: TestApp) {
    attention(&app).await;
    let dvs = Client::of(&app, "vinculacion").await;
    let mut folios = Vec::new();
    for state in ["JAL", "OAX"] {
        let filed = dvs
            .register_petition(&letter_fields(state), Some(PDF))
            .await;
        assert_eq!(filed.status, 201, "{}", filed.text);
        folios.push(filed.body["folio"].as_str().unwrap().to_owned());
    }
    let (jalisco, oaxaca) = (&folios[0], &folios[1]);

    let client = Client::of(&app, "jalisco").await;
    let listed = client.get("/api/v1/petitions").await;
    assert_eq!(listed.status, 200, "{}", listed.text);
    let seen: Vec<&str> = listed
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["folio"].as_str().unwrap())
        .collect();
    assert_eq!(seen, [jalisco.as_str()]);
    let own = client.get(&format!("/api/v1/petitions/{jalisco}")).await;
    assert_eq!(own.status, 200, "{}", own.text);
    assert_eq!(own.body["unmasked"], false);
    assert_eq!(own.body["contact"]["curp"], "HEGG********04");
    assert!(
        app.store
            .audit_log(Some(jalisco), 10)
            .await
            .unwrap()
            .is_empty()
    );
    for path in [
        format!("/api/v1/petitions/{oaxaca}"),
        format!("/api/v1/petitions/{oaxaca}/letter"),
    ] {
        let other = client.get(&path).await;
        assert_error(&other, 404, "not_found");
        assert!(!other.text.contains("Juana"), "{path}");
        let missing = client.get(&path.replace(oaxaca, "AC-2026-999999")).await;
        assert_eq!(other.body, missing.body, "{path}");
    }
    assert_error(
        &client.get("/api/v1/petitions?state=OAX").await,
        403,
        "forbidden",
    );
    // Their entidad is not theirs to handle.
    assert_error(
        &client
            .post(
                &format!("/api/v1/petitions/{jalisco}/classification"),
                &json!({"kind": "queja", "motive": "MED-SURT", "state": "JAL", "needs_action": true}),
            )
            .await,
        403,
        "forbidden",
    );
    // People of other units see no petitions at all.
    let secretario = Client::of(&app, "secretario").await;
    assert_error(&secretario.get("/api/v1/petitions").await, 403, "forbidden");
    assert_error(
        &secretario
            .get(&format!("/api/v1/petitions/{jalisco}"))
            .await,
        403,
        "forbidden",
    );
    assert_error(
        &secretario
            .register_petition(&letter_fields("JAL"), Some(PDF))
            .await,
        403,
        "forbidden",
    );
}

/// What cannot be taken is answered 422 with each field's problem (a registration), or with the
/// reason (a term, a FUR), and nothing is recorded.
async fn invalid_petition_fields_are_422_with_each_field(app: TestApp) {
    attention(&app).await;
    let dvs = Client::of(&app, "vinculacion").await;
    let problems = |answer: &Answer| -> Vec<String> {
        assert_error(answer, 422, "invalid_fields");
        answer.body["fields"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                assert!(f["reason"].as_str().is_some_and(|r| !r.is_empty()), "{f}");
                f["field"].as_str().unwrap().to_owned()
            })
            .collect()
    };
    let bad = dvs
        .register_petition(
            &[
                ("channel", "escrito"),
                ("kind", "reclamo"),
                ("state", "ZZ"),
                ("curp", "HEGG560427MVZRRL05"),
                ("email", "sin arroba"),
                ("dated", "2999-01-01"),
            ],
            None,
        )
        .await;
    assert_eq!(
        problems(&bad),
        [
            "kind",
            "state",
            "narrative",
            "curp",
            "email",
            "sender",
            "reference",
            "dated",
            "document"
        ]
    );
    let long = "á".repeat(5_001);
    let too_long = dvs
        .register_petition(
            &[
                ("channel", "telefono"),
                ("kind", "queja"),
                ("state", "JAL"),
                ("narrative", &long),
                ("sender", "CNS"),
            ],
            None,
        )
        .await;
    assert_eq!(problems(&too_long), ["narrative", "reference"]);
    assert!(too_long.text.contains("5000"), "{}", too_long.text);
    assert_eq!(
        problems(
            &dvs.register_petition(&[("kind", "queja"), ("tipo", "queja")], None)
                .await
        ),
        ["tipo"]
    );
    assert_eq!(
        problems(
            &dvs.register_petition(&[("channel", "buzon"), ("kind", "queja")], None)
                .await
        ),
        ["channel"]
    );
    let listed = dvs.get("/api/v1/petitions").await;
    assert_eq!(listed.body, json!([]), "nothing was filed");
    let not_multipart = dvs
        .post("/api/v1/petitions", &json!({"kind": "queja"}))
        .await;
    assert_error(&not_multipart, 400, "bad_request");

    // A call: no letter; the term of its volante is checked before anything is started.
    let filed = dvs
        .register_petition(
            &[
                ("channel", "telefono"),
                ("kind", "queja"),
                ("state", "JAL"),
                ("narrative", "Receta sin surtir"),
            ],
            None,
        )
        .await;
    assert_eq!(filed.status, 201, "{}", filed.text);
    let folio = filed.body["folio"].as_str().unwrap();
    for days in [0, 251] {
        let refused = dvs
            .post(
                &format!("/api/v1/petitions/{folio}/classification"),
                &json!({"kind": "queja", "motive": "MED-SURT", "state": "JAL", "needs_action": true, "days": days}),
            )
            .await;
        // Named by its field, as the page shows it under its input.
        assert_error(&refused, 422, "invalid_fields");
        assert_eq!(
            refused.body["fields"][0]["field"], "days",
            "{}",
            refused.text
        );
        assert!(
            refused.body["fields"][0]["reason"]
                .as_str()
                .unwrap()
                .contains("250 días hábiles")
        );
    }
    let unknown_motive = dvs
        .post(
            &format!("/api/v1/petitions/{folio}/classification"),
            &json!({"kind": "queja", "motive": "NO-EXISTE", "state": "JAL", "needs_action": true}),
        )
        .await;
    assert_error(&unknown_motive, 422, "invalid_fields");
    assert_eq!(unknown_motive.body["fields"][0]["field"], "motive");
    assert!(unknown_motive.text.contains("NO-EXISTE"));
    let shown = dvs.get(&format!("/api/v1/petitions/{folio}")).await;
    assert_eq!(
        shown.body["handling"]["status"], "recibida",
        "{}",
        shown.text
    );
    assert_eq!(shown.body["handling"]["volante"], Value::Null);
    assert_error(
        &dvs.post(
            &format!("/api/v1/petitions/{folio}/classification"),
            &json!({"kind": "queja", "motive": "MED-SURT", "state": "JAL", "needs_action": true, "extra": 1}),
        )
        .await,
        422,
        "bad_request",
    );

    // A FUR with dates that are not dates names them; so do one dated before its volante, one
    // dated after today and a missing answer.
    let classified = dvs
        .post(
            &format!("/api/v1/petitions/{folio}/classification"),
            &json!({"kind": "queja", "motive": "MED-SURT", "state": "JAL", "needs_action": true}),
        )
        .await;
    assert_eq!(classified.status, 200, "{}", classified.text);
    let enlace = Client::of(&app, "enlace_jal").await;
    let mut bad_dates = fur("Se surtió.");
    bad_dates["answered_on"] = json!("mañana");
    bad_dates["contact"]["on"] = json!("2026-02-30");
    assert_eq!(
        problems(
            &enlace
                .post(&format!("/api/v1/petitions/{folio}/responses"), &bad_dates)
                .await
        ),
        ["answered_on", "contact.on"]
    );
    let mut early = fur("");
    early["answered_on"] = json!("2020-01-02");
    early["contact"] = Value::Null;
    let refused = enlace
        .post(&format!("/api/v1/petitions/{folio}/responses"), &early)
        .await;
    assert_error(&refused, 422, "invalid_fields");
    assert_eq!(problems(&refused), ["answer", "answered_on"]);
    assert!(
        refused.text.contains("anterior al volante"),
        "{}",
        refused.text
    );
    let mut late = fur("Se surtió.");
    late["answered_on"] = json!(app.state.today().tomorrow().unwrap().to_string());
    late["contact"] = Value::Null;
    let refused = enlace
        .post(&format!("/api/v1/petitions/{folio}/responses"), &late)
        .await;
    assert_eq!(problems(&refused), ["answered_on"], "{}", refused.text);
    assert!(refused.text.contains("posterior a hoy"), "{}", refused.text);
    let responses = enlace
        .get(&format!("/api/v1/petitions/{folio}/responses"))
        .await;
    assert_eq!(responses.body["responses"], json!([]), "{}", responses.text);
}

/// `times` attempts of this client counted against the limit `name` (as `limits.rs` keys its
/// counter) in the current window of `seconds`.
async fn attempted(app: &TestApp, name: &str, seconds: i64, times: u32) {
    use turno_store::Throttle;
    let now = jiff::Timestamp::now().as_second();
    let window = now - now.rem_euclid(seconds);
    for _ in 0..times {
        app.store
            .attempt(&format!("{name}:127.0.0.1"), window)
            .await
            .unwrap();
    }
}

/// The petitioner's lookup counts with the status page's (30 in 15 minutes per client): past
/// the limit, 429 with when to try again.
async fn the_petitioners_lookup_counts_with_the_page(app: TestApp) {
    // 29 lookups of this client, then the page's.
    attempted(&app, "consulta", 15 * 60, 29).await;
    let page = app.browser();
    let csrf = page.csrf("/atencion/consulta").await;
    let looked = page
        .post(
            "/atencion/consulta",
            &[
                ("csrf", &csrf),
                ("folio", "AC-2026-000001"),
                ("codigo", "0000"),
            ],
        )
        .await;
    assert_eq!(looked.status(), 200);
    let refused = Client::new(&app, None)
        .post(
            "/api/v1/petitions/status",
            &json!({"folio": "AC-2026-000001", "code": "0000-0000-0000"}),
        )
        .await;
    assert_error(&refused, 429, "too_many_requests");
    let retry: u64 = refused.headers["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=15 * 60).contains(&retry), "{retry}");
}

impl Client {
    /// Imports a call-center file as the API takes it: the file and its column mapping as
    /// `multipart/form-data`.
    async fn import_calls(&self, name: &str, content: &str, mapping: &str) -> Answer {
        let file = File {
            name,
            mime: "text/csv",
            content: content.as_bytes(),
        };
        let body = multipart_named(&[("mapping", mapping)], "file", Some(&file));
        self.multipart(reqwest::Method::POST, "/api/v1/petitions/import", body)
            .await
    }
}

/// The call-center file through the API, as on its page: a file with problems imports
/// nothing and names every problem with its row and field; a good one stores its calls as
/// petitions, once; only the attention units import.
async fn the_call_center_file_is_imported_through_the_api(app: TestApp) {
    use crate::mailbox::{BAD, GOOD};
    use turno_store::Petitions;
    attention(&app).await;
    let dvs = Client::of(&app, "vinculacion").await;
    let mapping = "descripcion=OBSERVACIONES";

    let bad = dvs.import_calls("llamadas.csv", BAD, mapping).await;
    assert_error(&bad, 422, "invalid_file");
    let problems: Vec<&str> = bad.body["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().unwrap())
        .collect();
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert!(
        problems[0].starts_with("llamadas.csv: fila 2, fecha: «31/02/2026»"),
        "{problems:?}"
    );
    assert!(
        problems[1].starts_with("llamadas.csv: fila 3, entidad federativa: «Texas»"),
        "{problems:?}"
    );
    assert!(app.store.call_imports().await.unwrap().is_empty());
    let listed = dvs.get("/api/v1/petitions").await;
    assert_eq!(
        listed.body,
        json!([]),
        "nothing was written: {}",
        listed.text
    );

    let unmapped = dvs.import_calls("llamadas.csv", GOOD, "color=X").await;
    assert_error(&unmapped, 422, "invalid_file");
    assert!(
        unmapped
            .text
            .contains("«color» no es un campo de la petición")
    );
    let not_csv = dvs.import_calls("llamadas.txt", GOOD, mapping).await;
    assert_error(&not_csv, 422, "invalid_file");
    assert!(
        not_csv.text.contains("debe ser .csv o .xlsx"),
        "{}",
        not_csv.text
    );

    let done = dvs.import_calls("llamadas.csv", GOOD, mapping).await;
    assert_eq!(done.status, 200, "{}", done.text);
    assert_eq!(done.body["file_name"], "llamadas.csv");
    assert_eq!(done.body["calls"], 2);
    assert_eq!(done.body["added"], 2);
    assert_eq!(done.body["already"], 0);
    let listed = dvs.get("/api/v1/petitions").await;
    assert_eq!(listed.body.as_array().unwrap().len(), 2, "{}", listed.text);
    let again = dvs.import_calls("llamadas.csv", GOOD, mapping).await;
    assert_eq!(again.status, 200, "{}", again.text);
    assert_eq!(
        (again.body["added"].clone(), again.body["already"].clone()),
        (json!(0), json!(2))
    );
    assert_eq!(
        app.store.call_imports().await.unwrap()[0].imported_by,
        "vinculacion"
    );

    // An entidad's people read petitions but do not import the file.
    let jalisco = Client::of(&app, "jalisco").await;
    let refused = jalisco.import_calls("llamadas.csv", GOOD, mapping).await;
    assert_error(&refused, 403, "forbidden");
}

/// The public mailbox through the API, without a token: every problem by field first, then a
/// folio and an access code, with which the petitioner follows the petition; a wrong code and
/// a folio that does not exist answer alike.
async fn a_petition_is_filed_through_the_public_api_and_followed(app: TestApp) {
    let anonymous = Client::new(&app, None);
    let bad = anonymous
        .post(
            "/api/v1/petitions/mailbox",
            &json!({"kind": "reclamo", "state": "JAL", "email": "sin arroba"}),
        )
        .await;
    assert_error(&bad, 422, "invalid_fields");
    let fields = bad.fields();
    assert_eq!(fields, ["kind", "narrative", "email", "privacy_consent"]);
    let long = anonymous
        .post(
            "/api/v1/petitions/mailbox",
            &json!({
                "kind": "queja",
                "state": "JAL",
                "narrative": "á".repeat(5_001),
                "privacy_consent": true,
            }),
        )
        .await;
    assert_error(&long, 422, "invalid_fields");
    assert_eq!(long.body["fields"][0]["field"], "narrative");

    let filed = anonymous
        .post(
            "/api/v1/petitions/mailbox",
            &json!({
                "kind": "queja",
                "state": "JAL",
                "narrative": "No le surtieron la receta.",
                "name": "Juana Pérez",
                "phone": "33 1234 5678",
                "privacy_consent": true,
            }),
        )
        .await;
    assert_eq!(filed.status, 201, "{}", filed.text);
    assert_eq!(filed.headers["cache-control"], "no-store");
    let folio = filed.body["folio"].as_str().unwrap();
    let code = filed.body["access_code"].as_str().unwrap();
    assert!(folio.starts_with("AC-"), "{folio}");
    let stored = app.stored_petition(folio).await;
    assert_eq!(
        stored.petition.channel,
        turno_domain::citizen::Channel::Mailbox
    );

    let status = anonymous
        .post(
            "/api/v1/petitions/status",
            &json!({"folio": folio, "code": code}),
        )
        .await;
    assert_eq!(status.status, 200, "{}", status.text);
    assert_eq!(status.body["folio"], folio);
    assert_eq!(status.body["status"], "recibida");
    assert!(!status.text.contains("Juana") && !status.text.contains("5678"));
    lookups_tell_nothing(&anonymous, folio, code).await;
}

/// The mailbox's submissions count with the page's (10 an hour per client): past the limit,
/// 429 with when to try again.
async fn the_mailbox_api_counts_with_the_page(app: TestApp) {
    attempted(&app, "atencion", 60 * 60, 10).await;
    let refused = Client::new(&app, None)
        .post("/api/v1/petitions/mailbox", &json!({}))
        .await;
    assert_error(&refused, 429, "too_many_requests");
    assert!(refused.headers.contains_key("retry-after"));
}

/// The texts of a case's commands are held to the limits the API's schema states, and refused
/// with control characters, by the pages and the API alike, each naming the field; nothing is
/// recorded.
async fn too_long_texts_are_refused_by_the_pages_and_the_api(app: TestApp) {
    let api = Client::of(&app, "secretario").await;
    let page = app.signed_in("secretario").await;
    let long = |n: usize| "á".repeat(n);
    let registration = |title: &str| {
        json!({
            "procedure": PROCEDURE,
            "title": title,
            "channel": "Oficio",
            "fields": {"tipo_informe": "Informe", "direccion_general": "DGPLADES"},
        })
    };
    let field = |answer: &Answer| {
        assert_error(answer, 422, "invalid_fields");
        (
            answer.body["fields"][0]["field"]
                .as_str()
                .unwrap()
                .to_owned(),
            answer.body["fields"][0]["reason"]
                .as_str()
                .unwrap()
                .to_owned(),
        )
    };

    let (name, reason) = field(&api.post("/api/v1/cases", &registration(&long(301))).await);
    assert_eq!(name, "title");
    assert_eq!(reason, "El asunto pasa de 300 caracteres: abrévielo.");
    let (name, reason) = field(
        &api.post("/api/v1/cases", &registration("Informe\u{7} trimestral"))
            .await,
    );
    assert_eq!(name, "title");
    says(&reason, &["sin saltos de línea ni caracteres de control"]);
    let mut requester = registration("Informe trimestral");
    requester["requester"] = json!(long(301));
    assert_eq!(
        field(&api.post("/api/v1/cases", &requester).await).0,
        "requester"
    );
    let csrf = page.csrf(&format!("/registrar/{PROCEDURE}")).await;
    let title = long(301);
    let refused = page
        .post(
            &format!("/registrar/{PROCEDURE}"),
            &[
                ("csrf", csrf.as_str()),
                ("asunto", title.as_str()),
                ("medio", "Oficio"),
                ("tipo_informe", "Informe"),
                ("direccion_general", "DGPLADES"),
            ],
        )
        .await;
    expect_says(
        refused,
        422,
        &["El asunto pasa de 300 caracteres: abrévielo."],
    )
    .await;
    assert_eq!(
        api.get("/api/v1/cases").await.body["total"],
        0,
        "nothing was registered"
    );

    let folio = api.register().await;
    let (_, item, version) = api.case(&folio).await;
    let work = format!("/api/v1/cases/{folio}/work/{item}");
    let (name, reason) = field(
        &api.post(
            &work,
            &json!({"version": version, "observations": long(4001)}),
        )
        .await,
    );
    assert_eq!(name, "observations");
    assert_eq!(reason, "La observación pasa de 4000 caracteres: abrévielo.");
    let (name, _) = field(
        &api.post(
            &format!("{work}/turns"),
            &json!({"version": version, "units": ["SIDSS-CAS"], "instruction": long(4001)}),
        )
        .await,
    );
    assert_eq!(name, "instruction");
    let (name, reason) = field(
        &api.post(
            &format!("{work}/clock"),
            &json!({"version": version, "action": "suspend", "reason": "Espera\u{0}"}),
        )
        .await,
    );
    assert_eq!(name, "reason");
    says(&reason, &["caracteres de control"]);

    let case_page = page.text(&format!("/asuntos/{folio}")).await;
    let (csrf, item, version) = (
        csrf_in(&case_page),
        hidden(&case_page, "item"),
        hidden(&case_page, "version"),
    );
    let observations = long(4001);
    for (action, text_field, expected) in [
        (
            "atender",
            "observaciones",
            "La observación pasa de 4000 caracteres: abrévielo.",
        ),
        (
            "turnar",
            "instruccion",
            "La instrucción pasa de 4000 caracteres: abrévielo.",
        ),
        (
            "plazo",
            "motivo",
            "El motivo pasa de 4000 caracteres: abrévielo.",
        ),
    ] {
        let refused = page
            .post(
                &format!("/asuntos/{folio}/{action}"),
                &[
                    ("csrf", csrf.as_str()),
                    ("item", item.as_str()),
                    ("version", version.as_str()),
                    ("unidades", "SIDSS-CAS"),
                    ("accion", "suspender"),
                    (text_field, observations.as_str()),
                ],
            )
            .await;
        assert_eq!(refused.status(), 422, "{action}");
        let text = refused.text().await.unwrap();
        assert!(text.contains(expected), "{action}: {text}");
    }
    let (_, _, now) = api.case(&folio).await;
    assert_eq!(now.to_string(), version, "nothing was recorded");
}

/// A suplencia the rules refuse (naming oneself) is refused by the page and the API alike,
/// with the same reason, and nothing is recorded.
async fn a_suplencia_the_rules_refuse_is_refused_by_the_page_and_the_api(app: TestApp) {
    use base64::Engine;
    let today = today();
    let (from, to) = (today.to_string(), today.tomorrow().unwrap().to_string());
    let api = Client::of(&app, "secretario").await;
    let refused = api
        .post(
            "/api/v1/delegations",
            &json!({
                "titular": "secretario",
                "delegate": "secretario",
                "unit": "SIDSS-ST",
                "starts_on": from,
                "ends_on": to,
                "reason": "Vacaciones del titular",
                "document_name": "Oficio de suplencia.pdf",
                "document": base64::engine::general_purpose::STANDARD.encode(PDF),
            }),
        )
        .await;
    assert_error(&refused, 422, "refused");
    let reason = refused.body["error"].as_str().unwrap().to_owned();

    let page = app.signed_in("secretario").await;
    let csrf = page.csrf("/suplencias").await;
    let form = |delegate: &str, oficio: &File| {
        multipart_named(
            &[
                ("csrf", csrf.as_str()),
                ("titularidad", "secretario SIDSS-ST"),
                ("suplente", delegate),
                ("desde", from.as_str()),
                ("hasta", to.as_str()),
                ("motivo", "Vacaciones del titular"),
            ],
            "oficio",
            Some(oficio),
        )
    };
    let pdf = File {
        name: "Oficio de suplencia.pdf",
        mime: "application/pdf",
        content: PDF,
    };
    let answer = page
        .post_multipart("/suplencias", form("secretario", &pdf))
        .await;
    let text = expect_page(answer, 422).await;
    assert!(text.contains(&reason), "{reason} in {text}");

    // A document that is no PDF is refused by both too.
    let text_file = File {
        name: "oficio.txt",
        mime: "text/plain",
        content: b"no es un PDF",
    };
    let answer = page
        .post_multipart("/suplencias", form("asesor", &text_file))
        .await;
    says(
        &expect_page(answer, 422).await,
        &["La delegación por escrito debe ser un PDF."],
    );
    assert!(api.get("/api/v1/delegations").await.body == json!([]));
}

/// A signature made elsewhere, checked against the CA and list an administrator imported:
/// its signer when valid, the reason when not (`docs/efirma.md`).
async fn signatures_are_verified_against_the_imported_authorities(app: TestApp) {
    use base64::Engine as _;
    use base64::engine::general_purpose::STANDARD;
    use turno_efirma::testing::{ANA, Authority, KEYS, sign};
    let ca = Authority::root("AC DE PRUEBAS", &KEYS.ca);
    let certificate = ca.issue(
        &ANA,
        "00001000000700000001",
        ("2025-01-01T00:00:00Z", "2030-01-01T00:00:00Z"),
    );
    let yesterday = (app.state.clock.now() - jiff::SignedDuration::from_hours(24)).to_string();
    for file in [ca.certificate_der(), ca.crl(&[], &yesterday)] {
        turno_app::efirma::import(&app.store, &file, "admin")
            .await
            .unwrap();
    }
    let document = b"Oficio DGRI/0001/2026";
    let request = |document: &[u8], rfc: &str| {
        json!({
            "document": STANDARD.encode(document),
            "signature": STANDARD.encode(sign(b"Oficio DGRI/0001/2026", &[&certificate])),
            "rfc": rfc,
        })
    };
    let client = Client::of(&app, "secretario").await;
    let valid = client
        .post("/api/v1/signatures/verify", &request(document, ANA.rfc))
        .await;
    assert_eq!(valid.status, 200, "{}", valid.text);
    assert_eq!(valid.body["signer"], json!("ANA LOPEZ NUNEZ"));
    assert_eq!(valid.body["serial"], json!("00001000000700000001"));
    assert_eq!(valid.body["issuer"], json!("AC DE PRUEBAS"));
    let tampered = client
        .post(
            "/api/v1/signatures/verify",
            &request(b"Oficio DGRI/0002/2026", ANA.rfc),
        )
        .await;
    assert_error(&tampered, 422, "refused");
    assert!(
        tampered.text.contains("El documento no es el que se firmó"),
        "{}",
        tampered.text
    );
    let someone_else = client
        .post(
            "/api/v1/signatures/verify",
            &request(document, "GOMR7502035K4"),
        )
        .await;
    assert_error(&someone_else, 422, "refused");
    assert!(
        someone_else.text.contains("no coincide con el registrado"),
        "{}",
        someone_else.text
    );
}

/// The RFC and CURP that a person's e.firma must carry, through the API: given when the person
/// is created, changed on their own operation, each refused by its field, read with the person.
async fn a_persons_rfc_and_curp_are_set_and_read_through_the_api(app: TestApp) {
    let admin = Client::of(&app, "admin").await;
    let wrong = admin
        .post(
            "/api/v1/people",
            &json!({
                "login": "firmante",
                "name": "Ana López",
                "password": crate::common::PASSWORD,
                "rfc": "LONA801301AB1",
                "curp": "LONA800101MDFPXN00",
            }),
        )
        .await;
    assert_eq!(wrong.status, 422, "{}", wrong.text);
    let fields = wrong.fields();
    assert_eq!(fields, ["rfc", "curp"], "{}", wrong.text);
    let created = admin
        .post(
            "/api/v1/people",
            &json!({
                "login": "firmante",
                "name": "Ana López",
                "password": crate::common::PASSWORD,
                "curp": "lona800101mdfpxn05",
            }),
        )
        .await;
    assert_eq!(created.status, 201, "{}", created.text);
    assert_eq!(created.body["curp"], "LONA800101MDFPXN05");
    assert_eq!(created.body["rfc"], Value::Null);
    let set = admin
        .put(
            "/api/v1/people/firmante/identity",
            &json!({"rfc": "LONA800101AB1"}),
        )
        .await;
    assert_eq!(set.status, 200, "{}", set.text);
    assert_eq!(set.body["rfc"], "LONA800101AB1");
    // Absent: taken away.
    assert_eq!(set.body["curp"], Value::Null);
    let refused = admin
        .put(
            "/api/v1/people/firmante/identity",
            &json!({"rfc": "LONA80"}),
        )
        .await;
    assert_eq!(refused.status, 422, "{}", refused.text);
    assert_eq!(refused.body["fields"][0]["field"], "rfc");
    let people = admin.get("/api/v1/people").await;
    let firmante = people
        .body
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["login"] == "firmante")
        .unwrap();
    assert_eq!(firmante["rfc"], "LONA800101AB1");
    let missing = admin
        .put("/api/v1/people/nadie/identity", &json!({"rfc": ""}))
        .await;
    assert_eq!(missing.status, 404);
    let denied = Client::of(&app, "secretario")
        .await
        .put("/api/v1/people/firmante/identity", &json!({"rfc": ""}))
        .await;
    assert_eq!(denied.status, 403);
}

on_both_backends! {
    a_persons_rfc_and_curp_are_set_and_read_through_the_api,
    programs_of_every_kind_are_written_down_reported_and_rolled_up,
    a_line_is_edited_without_breaking_its_progress,
    signatures_are_verified_against_the_imported_authorities,
    a_petition_is_handled_from_registration_to_answer,
    too_long_texts_are_refused_by_the_pages_and_the_api,
    a_suplencia_the_rules_refuse_is_refused_by_the_page_and_the_api,
    the_call_center_file_is_imported_through_the_api,
    a_petition_is_filed_through_the_public_api_and_followed,
    the_mailbox_api_counts_with_the_page,
    the_petitioners_lookup_counts_with_the_page,
    petitions_of_other_entidades_are_not_found,
    invalid_petition_fields_are_422_with_each_field,
    calendar_entries_are_added_removed_and_scoped,
    units_and_motives_are_administered,
    agreements_are_written_down_and_added_to,
    lines_are_imported_into_a_program,
    tables_are_imported_and_supervisions_followed,
    the_attention_report_has_the_pages_figures,
    programs_are_read_as_of_a_date_and_followed_by_their_areas,
    the_calendar_is_read_by_anyone_and_imported_by_administrators,
    notifications_are_listed_marked_read_and_chosen,
    work_is_turned_to_units_and_their_answers_come_back,
    a_turn_given_by_mistake_is_withdrawn,
    requests_without_a_valid_token_are_unauthorized,
    registering_answers_201_with_the_folio,
    field_errors_are_422_with_each_field,
    completing_twice_with_one_idempotency_key_applies_once,
    a_stale_version_is_a_conflict,
    engine_refusals_are_422_in_spanish,
    cases_of_other_units_are_403_with_no_data,
    the_inbox_lists_the_open_work,
    the_catalog_lists_procedures_and_their_activities,
    the_openapi_document_lists_every_path_with_the_bearer_scheme,
    documents_are_attached_listed_and_downloaded_as_they_were,
    documents_of_other_units_are_403_with_no_data,
    bad_uploads_are_refused_naming_what_is_wrong,
    cases_are_found_among_the_visible_ones_and_paged,
    people_are_created_given_roles_and_deactivated,
    suplencias_are_created_listed_and_revoked,
    administration_is_for_administrators,
    units_are_imported_all_or_nothing_and_read_as_of_a_date,
}
