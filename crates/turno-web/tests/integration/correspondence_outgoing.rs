//! Outgoing correspondence over HTTP (issue 17, items 3 and 8): a document from its draft to
//! its acuses through the API, the case that produced it showing it; the drafting form shown
//! again with every problem next to its field; and two servers on one PostgreSQL (one server on
//! SQLite) signing 500 documents of one unit at once, which take the numbers 1 to 500.

use crate::common::{
    Api, Backend, PDF, TestApp, drop_schema, expect_page, expect_says, spawn, state,
};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::{Value, json};
use std::sync::Arc;
use turno_domain::correspondence::DocumentKind;
use turno_store::Outgoing;
use turno_store::blobs::LocalBlobs;
use turno_store::correspondence::outgoing::{Draft, Recipient};

/// The outgoing documents' steps, on the tests' API client.
impl Api {
    /// An oficio of the Secretario Técnico to the Coordinación de Asesores, drafted with
    /// `subject`, `body` and the other members of `more` (reviewers, signers): the document.
    pub(crate) async fn draft_oficio(&self, subject: &str, body: &str, more: Value) -> Value {
        let mut draft = json!({
            "unit": "SIDSS-ST",
            "kind": "oficio",
            "subject": subject,
            "body": body,
            "recipients": [{"unit": "SIDSS-CAS"}],
        });
        for (member, value) in more.as_object().unwrap() {
            draft[member] = value.clone();
        }
        let (status, document) = self.post("/api/v1/correspondence/outgoing", draft).await;
        assert_eq!(status, 201, "{document}");
        document
    }

    /// A step on the document as it is now.
    pub(crate) async fn step(&self, id: i64, step: &str, reason: Option<&str>) -> (u16, Value) {
        let (_, document) = self
            .get(&format!("/api/v1/correspondence/outgoing/{id}"))
            .await;
        let body = json!({"step": step, "version": document["version"], "reason": reason});
        self.post(&format!("/api/v1/correspondence/outgoing/{id}/steps"), body)
            .await
    }

    pub(crate) async fn sign(&self, id: i64, version: i64) -> (u16, Value) {
        let body =
            json!({"version": version, "scan_name": "firmado.pdf", "scan": STANDARD.encode(PDF)});
        self.post(
            &format!("/api/v1/correspondence/outgoing/{id}/signature"),
            body,
        )
        .await
    }
}

fn acts(document: &Value) -> Vec<&str> {
    document["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["act"].as_str().unwrap())
        .collect()
}

async fn an_oficio_goes_from_its_draft_to_its_acuses(app: TestApp) {
    let secretario = Api::of(&app, "secretario").await;
    let asesor = Api::of(&app, "asesor").await;
    let folio = app.signed_in("secretario").await.register_report().await;
    let draft = json!({
        "unit": "SIDSS-ST",
        "kind": "oficio",
        "subject": "Envío del informe trimestral",
        "body": "Por este medio le envío el informe trimestral.\n\nSin otro particular.",
        "attention_to": "Su oficio DGPLADES/0456/2026",
        "case_folio": folio,
        "recipients": [
            {"unit": "SIDSS-CAS"},
            {"name": "Lic. Rosa Pérez", "title": "Directora General", "institution": "Secretaría de Salud de Jalisco"},
        ],
        "copies": [{"unit": "OTRA-UNIDAD"}],
        "reviewers": ["asesor"],
    });
    let (status, document) = secretario
        .post("/api/v1/correspondence/outgoing", draft.clone())
        .await;
    assert_eq!(status, 201, "{document}");
    let id = document["id"].as_i64().unwrap();
    assert_eq!(document["stage"], "borrador");
    assert_eq!(
        document["number"],
        Value::Null,
        "no number before the signature"
    );
    assert!(
        document["actions"]
            .as_array()
            .unwrap()
            .contains(&json!("enviar_revision"))
    );

    // With reviewers chosen, the titular signs only after their visto bueno.
    let (status, refused) = secretario
        .sign(id, document["version"].as_i64().unwrap())
        .await;
    assert_eq!(status, 422, "{refused}");

    let (status, document) = secretario.step(id, "enviar_revision", None).await;
    assert_eq!((status, &document["stage"]), (200, &json!("en_revision")));
    assert_eq!(document["awaiting"], "asesor");
    // A return needs its reason.
    let (status, refused) = asesor.step(id, "devolver", None).await;
    assert_eq!(status, 422);
    assert_eq!(refused["fields"][0]["field"], "reason", "{refused}");
    let (status, document) = asesor
        .step(id, "devolver", Some("Falta el periodo del informe"))
        .await;
    assert_eq!((status, &document["stage"]), (200, &json!("borrador")));

    let mut corrected = draft.clone();
    corrected["version"] = document["version"].clone();
    corrected["subject"] = json!("Envío del informe del primer trimestre");
    let (status, document) = secretario
        .send(
            reqwest::Method::PUT,
            &format!("/api/v1/correspondence/outgoing/{id}"),
            Some(corrected),
        )
        .await;
    assert_eq!(status, 200, "{document}");
    secretario.step(id, "enviar_revision", None).await;
    let (status, document) = asesor.step(id, "visto_bueno", None).await;
    assert_eq!((status, &document["stage"]), (200, &json!("visto_bueno")));

    // Only the titular signs; the signature takes the unit's first number of the year.
    let version = document["version"].as_i64().unwrap();
    let (status, _) = asesor.sign(id, version).await;
    assert_eq!(status, 403);
    let (status, document) = secretario.sign(id, version).await;
    assert_eq!(status, 200, "{document}");
    let year = crate::common::today().year();
    assert_eq!(document["number"]["text"], format!("SIDSS-ST/0001/{year}"));
    assert_eq!(document["stage"], "firmado");

    let ajeno = Api::of(&app, "ajeno").await;
    let (status, _) = ajeno
        .get(&format!("/api/v1/correspondence/outgoing/{id}"))
        .await;
    assert_eq!(status, 403, "a copy is seen once dispatched");
    let (status, document) = secretario
        .post(
            &format!("/api/v1/correspondence/outgoing/{id}/dispatch"),
            json!({"version": document["version"]}),
        )
        .await;
    assert_eq!((status, &document["stage"]), (200, &json!("despachado")));
    let recipients = document["recipients"].as_array().unwrap();
    assert_eq!(
        recipients[0]["acuse"]["received_by"], "sistema",
        "a unit's acuse is automatic"
    );
    assert_eq!(
        recipients[1]["acuse"],
        Value::Null,
        "someone outside's is recorded"
    );
    assert_eq!(recipients[2]["copy"], true);

    let acuse = json!({
        "recipient": 2,
        "received_at": "2026-01-05T10:30",
        "received_by": "Juan López, oficialía de partes",
        "scan_name": "acuse.pdf",
        "scan": STANDARD.encode(PDF),
    });
    let path = format!("/api/v1/correspondence/outgoing/{id}/acuses");
    let (status, document) = secretario.post(&path, acuse.clone()).await;
    assert_eq!(status, 200, "{document}");
    assert_eq!(
        document["recipients"][1]["acuse"]["received_by"],
        "Juan López, oficialía de partes"
    );
    let (status, _) = secretario.post(&path, acuse).await;
    assert_eq!(status, 422, "an acuse is recorded once");
    assert_eq!(
        acts(&document),
        [
            "redactar",
            "enviar_revision",
            "devolver",
            "corregir",
            "enviar_revision",
            "visto_bueno",
            "firmar",
            "despachar"
        ]
    );
    // A dispatched document is not cancelled.
    let (status, _) = secretario.step(id, "cancelar", Some("Error")).await;
    assert_eq!(status, 422);

    // The PDF, and the case that produced it shows it.
    let pdf = reqwest::Client::new()
        .get(format!(
            "{}/api/v1/correspondence/outgoing/{id}/pdf",
            app.address
        ))
        .header("authorization", format!("Bearer {}", secretario.token))
        .send()
        .await
        .unwrap();
    assert_eq!(pdf.status(), 200);
    assert!(pdf.bytes().await.unwrap().starts_with(b"%PDF"));
    let (status, listed) = secretario
        .get(&format!("/api/v1/cases/{folio}/outgoing"))
        .await;
    assert_eq!(status, 200);
    assert_eq!(listed[0]["id"], id);
    let case = app
        .signed_in("secretario")
        .await
        .text(&format!("/asuntos/{folio}"))
        .await;
    assert!(
        case.contains(&format!("SIDSS-ST/0001/{year}")),
        "the case lists it"
    );
    // The unit it was copied to sees it once dispatched, not before.
    let (status, _) = ajeno
        .get(&format!("/api/v1/correspondence/outgoing/{id}"))
        .await;
    assert_eq!(status, 200);

    // A signed document cancelled keeps its number; the next one takes the next.
    let mut second = draft;
    second["reviewers"] = json!([]);
    let (_, document) = secretario
        .post("/api/v1/correspondence/outgoing", second.clone())
        .await;
    let other = document["id"].as_i64().unwrap();
    secretario
        .sign(other, document["version"].as_i64().unwrap())
        .await;
    let (status, document) = secretario
        .step(other, "cancelar", Some("Se firmó por error"))
        .await;
    assert_eq!((status, &document["stage"]), (200, &json!("cancelado")));
    assert_eq!(document["number"]["text"], format!("SIDSS-ST/0002/{year}"));
    let (_, document) = secretario
        .post("/api/v1/correspondence/outgoing", second)
        .await;
    let (_, document) = secretario
        .sign(
            document["id"].as_i64().unwrap(),
            document["version"].as_i64().unwrap(),
        )
        .await;
    assert_eq!(document["number"]["text"], format!("SIDSS-ST/0003/{year}"));
}

async fn a_refused_draft_shows_every_problem_by_its_field_and_keeps_what_was_typed(app: TestApp) {
    let browser = app.signed_in("secretario").await;
    let csrf = browser.csrf("/correspondencia/salida/nuevo").await;
    let response = browser
        .post(
            "/correspondencia/salida/nuevo",
            &[
                ("csrf", &csrf),
                ("unit", "SIDSS-ST"),
                ("kind", "escrito"),
                ("subject", ""),
                ("body", "Texto escrito con cuidado"),
                ("recipients", "NO-EXISTE\nLic. Rosa Pérez | Directora |"),
                ("reviewers", "nadie"),
            ],
        )
        .await;
    let page = expect_says(
        response,
        422,
        &[
            "Una unidad no emite «escrito»",
            "Escriba el asunto.",
            "«NO-EXISTE» no es una unidad",
            "Escriba la institución de la línea 2.",
            "No hay una persona activa con el usuario «nadie».",
        ],
    )
    .await;
    assert!(page.contains("id=\"o-asunto-error\""), "next to its field");
    assert!(
        page.contains("Texto escrito con cuidado"),
        "the body is kept"
    );
    assert!(
        page.contains("Lic. Rosa Pérez | Directora |"),
        "the lines are kept"
    );

    let response = browser
        .post(
            "/correspondencia/salida/nuevo",
            &[
                ("csrf", &csrf),
                ("unit", "SIDSS-ST"),
                ("kind", "memorandum"),
                ("subject", "Reunión de seguimiento"),
                ("body", "Le convoco a la reunión."),
                ("recipients", "SIDSS-CAS"),
            ],
        )
        .await;
    assert_eq!(response.status(), 303);
    let document = browser
        .text(crate::common::header(&response, "location"))
        .await;
    assert!(document.contains("Memorándum sin número"));
    assert!(
        document.contains("Firmar y numerar"),
        "the titular signs a draft without reviewers"
    );
    let list = browser.text("/correspondencia/salida?etapa=borrador").await;
    assert!(list.contains("Reunión de seguimiento"));
}

/// The drafting form carries a one-time key: sent twice (Back and send, a double click), one
/// draft. Its page shows its history in the agency's time, not in UTC.
async fn the_drafting_form_sent_twice_drafts_once_and_its_history_is_in_local_time(app: TestApp) {
    let browser = app.signed_in("secretario").await;
    let shown = browser.get("/correspondencia/salida/nuevo").await;
    assert_eq!(
        crate::common::header(&shown, "cache-control"),
        "private, no-cache",
        "Back shows the form with the key it was sent with"
    );
    let page = shown.text().await.unwrap();
    let key = crate::common::hidden(&page, "clave");
    assert!(key.len() >= 16, "{key}");
    let csrf = crate::common::csrf_in(&page);
    let form = [
        ("csrf", csrf.as_str()),
        ("clave", key.as_str()),
        ("unit", "SIDSS-ST"),
        ("kind", "oficio"),
        ("subject", "Envío del padrón depurado"),
        ("body", "Le envío el padrón."),
        ("recipients", "SIDSS-CAS"),
    ];
    let first = browser.post("/correspondencia/salida/nuevo", &form).await;
    let again = browser.post("/correspondencia/salida/nuevo", &form).await;
    assert_eq!(
        (first.status().as_u16(), again.status().as_u16()),
        (303, 303)
    );
    let location = crate::common::header(&first, "location").to_owned();
    assert_eq!(crate::common::header(&again, "location"), location);
    let api = Api::of(&app, "secretario").await;
    let (_, listed) = api.get("/api/v1/correspondence/outgoing").await;
    let drafted = listed
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["subject"] == "Envío del padrón depurado")
        .count();
    assert_eq!(drafted, 1, "{listed}");
    // A new form, a new key: another draft.
    let page = browser.text("/correspondencia/salida/nuevo").await;
    let other = crate::common::hidden(&page, "clave");
    assert_ne!(other, key);
    let mut form = form;
    form[1].1 = &other;
    let second = browser.post("/correspondencia/salida/nuevo", &form).await;
    assert_ne!(crate::common::header(&second, "location"), location);

    let id = location.trim_start_matches("/correspondencia/salida/");
    let (_, document) = api
        .get(&format!("/api/v1/correspondence/outgoing/{id}"))
        .await;
    let at: jiff::Timestamp = document["history"][0]["at"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    let local = at
        .to_zoned(crate::common::mexico())
        .strftime("%d/%m/%Y %H:%M")
        .to_string();
    let page = browser.text(&location).await;
    assert!(
        page.contains(&format!("<td>{local}</td>")),
        "{local}: {page}"
    );
    assert!(!page.contains("UTC"), "no time in UTC");
}

/// An administrator changes a unit's siglas and format on its page, which shows the number
/// they write; a format that cannot number comes back with its problem next to the field.
async fn an_administrator_changes_a_units_numbering_on_its_page(app: TestApp) {
    let year = crate::common::today().year();
    let admin = app.signed_in("admin").await;
    let path = "/admin/unidades/SIDSS-ST/numeracion";
    let page = admin.text(path).await;
    assert!(page.contains(&format!("SIDSS-ST/0001/{year}")), "{page}");
    assert!(admin.text("/admin/unidades").await.contains(path));
    let csrf = crate::common::csrf_in(&page);
    let refused = admin
        .post(
            path,
            &[
                ("csrf", &csrf),
                ("siglas", "ST/DG"),
                ("format", "{siglas}-{año}"),
            ],
        )
        .await;
    let page = expect_page(refused, 422).await;
    assert!(page.contains("id=\"n-formato-error\""), "next to its field");
    assert!(page.contains("El formato no sirve"), "{page}");
    assert!(page.contains("value=\"ST/DG\""), "what was typed stays");
    assert!(page.contains("value=\"{siglas}-{año}\""));
    assert!(
        page.contains(&format!("SIDSS-ST/0001/{year}")),
        "still in force"
    );

    let saved = admin
        .post(
            path,
            &[
                ("csrf", &csrf),
                ("siglas", "ST/DG"),
                ("format", "OF-{siglas}-{n:3}/{año}"),
            ],
        )
        .await;
    assert_eq!(saved.status(), 303);
    assert_eq!(crate::common::header(&saved, "location"), path);
    let page = admin.text(path).await;
    assert!(page.contains(&format!("OF-ST/DG-001/{year}")), "{page}");
    // The same use case as the API's.
    let (status, numbering) = Api::of(&app, "admin")
        .await
        .get("/api/v1/correspondence/numbering/SIDSS-ST")
        .await;
    assert_eq!(status, 200);
    assert_eq!(numbering["example"], format!("OF-ST/DG-001/{year}"));
    // Only administrators.
    let secretario = app.signed_in("secretario").await;
    assert_eq!(secretario.get(path).await.status(), 403);
}

on_both_backends! {
    an_oficio_goes_from_its_draft_to_its_acuses,
    a_refused_draft_shows_every_problem_by_its_field_and_keeps_what_was_typed,
    the_drafting_form_sent_twice_drafts_once_and_its_history_is_in_local_time,
    an_administrator_changes_a_units_numbering_on_its_page,
}

/// `count` drafts of the Secretario Técnico, straight into the store.
pub(crate) async fn drafts(app: &TestApp, count: usize) -> Vec<i64> {
    let draft = Draft {
        unit: "SIDSS-ST".into(),
        kind: DocumentKind::Oficio,
        subject: "Oficio".into(),
        body: "Texto".into(),
        attention_to: None,
        case_folio: None,
        answers_turn: None,
        recipients: vec![Recipient {
            copy: false,
            unit_code: Some("SIDSS-CAS".into()),
            name: "Coordinación de Asesores".into(),
            title: String::new(),
            institution: String::new(),
            acuse: None,
        }],
        reviewers: Vec::new(),
        signers: Vec::new(),
    };
    let mut ids = Vec::new();
    for _ in 0..count {
        ids.push(
            app.store
                .draft_outgoing(&draft, "secretario", jiff::Timestamp::now())
                .await
                .unwrap(),
        );
    }
    ids
}

/// Signs every document through the servers' APIs in turn, at most 32 signatures in flight
/// per server; the consecutives they took, in order.
async fn sign_all(servers: &[&TestApp], ids: Vec<i64>) -> Vec<u32> {
    let mut clients = Vec::new();
    for server in servers {
        clients.push((
            Api::of(server, "secretario").await,
            Arc::new(tokio::sync::Semaphore::new(32)),
        ));
    }
    let mut tasks = tokio::task::JoinSet::new();
    for (i, id) in ids.into_iter().enumerate() {
        let (api, limit) = clients[i % clients.len()].clone();
        tasks.spawn(async move {
            let _turn = limit.acquire_owned().await.unwrap();
            let (status, document) = api.sign(id, 0).await;
            assert_eq!(status, 200, "{document}");
            u32::try_from(document["number"]["consecutive"].as_u64().unwrap()).unwrap()
        });
    }
    let mut numbers = Vec::new();
    while let Some(number) = tasks.join_next().await {
        numbers.push(number.unwrap());
    }
    numbers.sort_unstable();
    numbers
}

/// Issue 17, item 8: two servers on one PostgreSQL database sign 500 documents of one unit at
/// once; they take 500 distinct consecutive numbers, 1 to 500.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_servers_on_one_postgres_sign_500_documents_without_a_gap() {
    let app = spawn(Backend::Postgres).await;
    let blobs = LocalBlobs::new(
        std::env::temp_dir().join(format!("turno-web-blobs-{}", std::process::id())),
    );
    let other = TestApp::serve(state(&app, blobs).await).await;
    let ids = drafts(&app, 500).await;
    let numbers = sign_all(&[&app, &other], ids).await;
    assert_eq!(numbers, (1..=500).collect::<Vec<u32>>());
    drop_schema(app.schema.clone()).await;
}

/// The same on SQLite, whose one writer serializes them.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn one_server_on_sqlite_signs_500_documents_without_a_gap() {
    let app = spawn(Backend::Sqlite).await;
    let ids = drafts(&app, 500).await;
    let numbers = sign_all(&[&app], ids).await;
    assert_eq!(numbers, (1..=500).collect::<Vec<u32>>());
}
