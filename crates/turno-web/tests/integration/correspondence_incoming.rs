//! Incoming correspondence end to end on both databases (docs/correspondence.md): a document
//! registered with its scanned oficio (a folio CE-AAAA-NNNNNN and a PDF acuse with it), turned
//! to two units with different instructions (a volante de control each), read «para
//! conocimiento» by opening it, returned with a reason, a turn withdrawn; a refused form that
//! keeps every value and its file; who sees a classified document and what of it; the API; an
//! outgoing oficio answering a turn, which closes it when dispatched.

use crate::common::{
    Browser, File, PDF, TestApp, csrf_in, expect_page, multipart_files, today, yesterday,
};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::{Value, json};
use turno_app::Principal;
use turno_app::correspondence::incoming::{self, Registration, Upload};
use turno_app::correspondence::turns::{self, Outcome, TurnTo};
use turno_domain::correspondence::{IncomingDraft, TurnStatus};
use turno_store::{Role, Store, UnitInput};

pub(crate) async fn principal(app: &TestApp, login: &str) -> Principal {
    let user = app.store.user_by_login(login).await.unwrap().unwrap().user;
    Principal::load(&app.store, &user, today()).await.unwrap()
}

/// `who` turns `folio` (on from their turn `from`, if any) to `unit` for attention, with no term.
pub(crate) async fn turned_for_attention(
    app: &TestApp,
    who: &Principal,
    folio: &str,
    from: Option<i64>,
    unit: &str,
) -> Result<Vec<i64>, turno_app::Error> {
    let to = TurnTo {
        unit,
        instruction: "atencion",
        ..Default::default()
    };
    turns::turn(&app.state, who, folio, from, &[to]).await
}

/// The registration form of an oficio of the SESEQ, with its fields as the page names them.
fn oficio<'a>(csrf: &'a str, received_at: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("csrf", csrf),
        ("unit", "SIDSS-ST"),
        ("kind", "oficio"),
        ("sender_kind", "externa"),
        ("sender_name", "Dra. Ana López"),
        ("sender_position", "Directora General"),
        ("sender_organization", "Servicios de Salud de Querétaro"),
        ("their_number", "SESEQ/DG/0456/2026"),
        ("received_at", received_at),
        ("subject", "Solicitud de información sobre el padrón"),
        ("summary", "Pide las cifras del padrón de beneficiarios."),
        ("annexes", "1"),
        ("term_days", "10"),
    ]
}

fn scanned() -> File<'static> {
    File {
        name: "oficio-seseq.pdf",
        mime: "application/pdf",
        content: PDF,
    }
}

/// Registers the oficio through the page as the Secretario Técnico; its folio.
pub(crate) async fn registered(secretario: &Browser) -> String {
    let page = secretario.text("/correspondencia/registrar").await;
    let csrf = csrf_in(&page);
    let received = format!("{}T09:30", yesterday());
    let response = secretario
        .post_multipart(
            "/correspondencia/registrar",
            multipart_files(&oficio(&csrf, &received), "files", &[scanned()]),
        )
        .await;
    assert_eq!(response.status(), 303, "{}", response.text().await.unwrap());
    let location = crate::common::header(&response, "location").to_owned();
    location.trim_start_matches("/correspondencia/").to_owned()
}

/// The API's answer to `method path` with `body`, as `token`'s person.
pub(crate) async fn api(
    app: &TestApp,
    token: &str,
    method: reqwest::Method,
    path: &str,
    body: Option<Value>,
) -> (u16, Value) {
    let client = reqwest::Client::new();
    let mut request = client
        .request(method, format!("{}{path}", app.address))
        .header("authorization", format!("Bearer {token}"));
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

fn turn_status(document: &Value, unit: &str) -> String {
    document["turns"]
        .as_array()
        .unwrap()
        .iter()
        .rev()
        .find(|t| t["unit"] == unit)
        .map(|t| t["status"].as_str().unwrap().to_owned())
        .unwrap()
}

async fn an_oficio_is_registered_turned_read_returned_and_withdrawn(app: TestApp) {
    let secretario = app.signed_in("secretario").await;
    let folio = registered(&secretario).await;
    assert!(
        folio.starts_with(&format!("CE-{}-", today().year())),
        "{folio}"
    );
    let page = secretario.text(&format!("/correspondencia/{folio}")).await;
    assert!(page.contains("Solicitud de información sobre el padrón"));
    assert!(
        page.contains("oficio-seseq.pdf"),
        "the scanned oficio is listed"
    );

    // The acuse and the scanned document.
    let acuse = secretario
        .get(&format!("/correspondencia/{folio}/acuse"))
        .await;
    assert_eq!(acuse.status(), 200);
    assert_eq!(
        crate::common::header(&acuse, "content-type"),
        "application/pdf"
    );
    let bytes = acuse.bytes().await.unwrap();
    assert!(bytes.starts_with(b"%PDF"));
    assert!(
        bytes.windows(folio.len()).any(|w| w == folio.as_bytes()),
        "the acuse carries the folio"
    );
    let file = secretario
        .get(&format!("/correspondencia/{folio}/archivos/0"))
        .await;
    assert_eq!(file.bytes().await.unwrap().as_ref(), PDF);

    // Turned to two units with different instructions: the asesores for attention within five
    // días hábiles (the page), the other unit for its information (the API).
    let csrf = csrf_in(&page);
    let turned = secretario
        .post(
            &format!("/correspondencia/{folio}/turnar"),
            &[
                ("csrf", csrf.as_str()),
                ("unit", "SIDSS-CAS"),
                ("instruction", "atencion"),
                ("days", "5"),
                ("note", "Prepare las cifras"),
            ],
        )
        .await;
    assert_eq!(turned.status(), 303);
    let token = app.api_token("secretario").await;
    let (status, document) = api(
        &app,
        &token,
        reqwest::Method::POST,
        &format!("/api/v1/correspondence/incoming/{folio}/turns"),
        Some(json!({"turns": [{"unit": "OTRA-UNIDAD", "instruction": "conocimiento"}]})),
    )
    .await;
    assert_eq!(status, 201, "{document}");
    let turns = document["turns"].as_array().unwrap();
    assert_eq!(turns.len(), 2);
    assert_eq!(turns[0]["instruction"], "atencion");
    assert_eq!(turns[0]["term_days"], 5);
    assert!(turns[0]["due_date"].is_string());
    assert_eq!(turns[0]["due_status"], "verde");
    assert_eq!(turns[1]["instruction"], "conocimiento");
    assert!(turns[1]["due_date"].is_null(), "conocimiento has no term");
    let attention = turns[0]["id"].as_i64().unwrap();

    // Each turn has its volante de control.
    let slip = secretario
        .get(&format!(
            "/correspondencia/{folio}/turnos/{attention}/volante"
        ))
        .await;
    assert_eq!(slip.status(), 200);
    let bytes = slip.bytes().await.unwrap();
    assert!(
        bytes.starts_with(b"%PDF") && bytes.windows(folio.len()).any(|w| w == folio.as_bytes())
    );

    // The other unit opens the document: its turn «para conocimiento» closes as read.
    let ajeno = app.signed_in("ajeno").await;
    let seen = ajeno.get(&format!("/correspondencia/{folio}")).await;
    assert_eq!(seen.status(), 200);
    let (_, document) = api(
        &app,
        &token,
        reqwest::Method::GET,
        &format!("/api/v1/correspondence/incoming/{folio}"),
        None,
    )
    .await;
    assert_eq!(turn_status(&document, "OTRA-UNIDAD"), "leido");
    assert_eq!(
        turn_status(&document, "SIDSS-CAS"),
        "abierto",
        "attention is owed"
    );

    // The asesores return their turn with the reason.
    let asesor = app.signed_in("asesor").await;
    let page = asesor.text(&format!("/correspondencia/{folio}")).await;
    let returned = asesor
        .post(
            &format!("/correspondencia/{folio}/turnos/{attention}"),
            &[
                ("csrf", csrf_in(&page).as_str()),
                ("accion", "devolver"),
                ("text", "No es de nuestra competencia"),
            ],
        )
        .await;
    assert_eq!(returned.status(), 303);
    let (_, document) = api(
        &app,
        &token,
        reqwest::Method::GET,
        &format!("/api/v1/correspondence/incoming/{folio}"),
        None,
    )
    .await;
    let back = &document["turns"][0];
    assert_eq!(back["status"], "devuelto");
    assert_eq!(back["reason"], "No es de nuestra competencia");
    assert_eq!(back["closed_by"], "asesor");

    // Turned again by mistake, and withdrawn with the reason; a closed turn closes once.
    let (_, document) = api(
        &app,
        &token,
        reqwest::Method::POST,
        &format!("/api/v1/correspondence/incoming/{folio}/turns"),
        Some(json!({"turns": [{"unit": "SIDSS-CAS", "instruction": "opinion", "days": 3}]})),
    )
    .await;
    let again = document["turns"][2]["id"].as_i64().unwrap();
    let close = |action: &'static str| json!({"action": action, "text": "Se turnó por error"});
    let path = format!("/api/v1/correspondence/incoming/{folio}/turns/{again}/closure");
    let (status, document) = api(
        &app,
        &token,
        reqwest::Method::POST,
        &path,
        Some(close("withdraw")),
    )
    .await;
    assert_eq!(status, 200, "{document}");
    assert_eq!(document["turns"][2]["status"], "retirado");
    let (status, _) = api(
        &app,
        &token,
        reqwest::Method::POST,
        &path,
        Some(close("withdraw")),
    )
    .await;
    assert_eq!(status, 409);

    // The register lists it for both units.
    let list = asesor.text("/correspondencia").await;
    assert!(list.contains(&folio));
}

async fn a_refused_registration_keeps_every_value_and_its_file(app: TestApp) {
    let secretario = app.signed_in("secretario").await;
    let page = secretario.text("/correspondencia/registrar").await;
    let csrf = csrf_in(&page);
    let mut form = oficio(&csrf, "2999-01-01T10:00");
    form.retain(|(name, _)| *name != "subject");
    let refused = secretario
        .post_multipart(
            "/correspondencia/registrar",
            multipart_files(&form, "files", &[scanned()]),
        )
        .await;
    let page = expect_page(refused, 422).await;
    assert!(page.contains("Escriba el asunto."), "{page}");
    assert!(page.contains("La fecha de recepción no puede ser posterior a este momento."));
    assert!(
        page.contains("value=\"Dra. Ana López\""),
        "what was typed stays"
    );
    assert!(page.contains("SESEQ/DG/0456/2026"));
    assert!(page.contains("oficio-seseq.pdf"), "the file is held");
    let held = crate::common::hidden(&page, "archivo_retenido");
    assert!(!held.is_empty());

    // Sent again, corrected, without choosing the file again: it is the document's.
    let received = format!("{}T08:00", yesterday());
    let mut form = oficio(&csrf, &received);
    form.push(("archivo_retenido", &held));
    let taken = secretario
        .post_multipart(
            "/correspondencia/registrar",
            multipart_files(&form, "files", &[]),
        )
        .await;
    assert_eq!(taken.status(), 303);
    let folio = crate::common::header(&taken, "location")
        .trim_start_matches("/correspondencia/")
        .to_owned();
    let file = secretario
        .get(&format!("/correspondencia/{folio}/archivos/0"))
        .await;
    assert_eq!(file.bytes().await.unwrap().as_ref(), PDF);

    // The API names each problem by its field.
    let token = app.api_token("secretario").await;
    let (status, answer) = api(
        &app,
        &token,
        reqwest::Method::POST,
        "/api/v1/correspondence/incoming",
        Some(json!({
            "unit": "SIDSS-ST",
            "kind": "oficio",
            "sender_kind": "unidad",
            "sender_name": "Lic. Juan Pérez",
            "sender_organization": "NO-EXISTE",
            "received_at": format!("{}T08:00", yesterday()),
            "subject": "Memorándum interno",
            "in_reply_to": ["CE-1999-000001"],
        })),
    )
    .await;
    assert_eq!(status, 422, "{answer}");
    let fields = crate::common::refused_fields(&answer);
    assert_eq!(fields, ["sender_organization", "in_reply_to"]);
}

/// A reservada document registered at a unit below the Secretario Técnico, turned to the
/// asesores for their information and to the other unit for attention.
pub(crate) async fn classified(app: &TestApp) -> (String, [i64; 2]) {
    app.store
        .upsert_unit(
            &UnitInput {
                code: "SIDSS-ST-OP".into(),
                name: "Oficialía de partes del Secretario Técnico".into(),
                level: turno_domain::org::Level::Unidad,
                parent_code: Some("SIDSS-ST".into()),
            },
            "prueba",
        )
        .await
        .unwrap();
    app.add_person("oficialia", "SIDSS-ST-OP", Role::Operador, None)
        .await;
    let oficialia = principal(app, "oficialia").await;
    let received = format!("{}T11:00", yesterday());
    let folio = incoming::register(
        &app.state,
        &oficialia,
        Registration {
            unit: "SIDSS-ST-OP",
            draft: IncomingDraft {
                kind: "escrito",
                sender_kind: "particular",
                sender_name: "María Hernández",
                received_at: &received,
                subject: "Denuncia con datos personales",
                classification: "reservada",
                ..Default::default()
            },
            in_reply_to: "",
            files: vec![Upload {
                name: "denuncia.pdf".into(),
                content: PDF.to_vec(),
            }],
        },
    )
    .await
    .unwrap()
    .to_string();
    let to = [
        TurnTo {
            unit: "SIDSS-CAS",
            instruction: "conocimiento",
            ..Default::default()
        },
        TurnTo {
            unit: "OTRA-UNIDAD",
            instruction: "atencion",
            days: "10",
            ..Default::default()
        },
    ];
    let ids = turns::turn(&app.state, &oficialia, &folio, None, &to)
        .await
        .unwrap();
    (folio, [ids[0], ids[1]])
}

async fn a_classified_document_shows_its_texts_only_to_its_units(app: TestApp) {
    let (folio, [knowledge, attention]) = classified(&app).await;
    let sees = async |login: &str| {
        let user = principal(&app, login).await;
        incoming::printed(&app.state, &user, &folio)
            .await
            .map(|v| (v.sight.content, v.sight.files, v.incoming.subject))
    };
    // The registering unit and the unit turned for attention: everything.
    let whole = (true, true, "Denuncia con datos personales".to_owned());
    assert_eq!(sees("oficialia").await.unwrap(), whole);
    assert_eq!(sees("ajeno").await.unwrap(), whole);
    // Turned for information: the texts, not the files.
    let (content, files, _) = sees("asesor").await.unwrap();
    assert!(content && !files);
    // The unit above and the administrator see it is there, not what it says.
    for login in ["secretario", "admin"] {
        let (content, files, subject) = sees(login).await.unwrap();
        assert!(!content && !files, "{login}");
        assert_eq!(subject, incoming::WITHHELD);
    }
    let secretario = principal(&app, "secretario").await;
    let denied = incoming::file(&app.state, &secretario, &folio, 0).await;
    assert!(matches!(denied, Err(turno_app::Error::Denied(_))));
    // Nor do its pages or the API show it to them.
    let page = app
        .signed_in("secretario")
        .await
        .text(&format!("/correspondencia/{folio}"))
        .await;
    assert!(!page.contains("Denuncia con datos personales"));
    let token = app.api_token("admin").await;
    let (_, document) = api(
        &app,
        &token,
        reqwest::Method::GET,
        &format!("/api/v1/correspondence/incoming/{folio}"),
        None,
    )
    .await;
    assert_eq!(document["content_withheld"], true);
    assert!(document["files"].as_array().unwrap().is_empty());

    // Withdrawing the turn for attention takes the other unit out of it.
    let oficialia = principal(&app, "oficialia").await;
    turns::withdraw(
        &app.state,
        &oficialia,
        &folio,
        attention,
        "Era para otra unidad",
    )
    .await
    .unwrap();
    let ajeno = principal(&app, "ajeno").await;
    assert!(matches!(
        incoming::printed(&app.state, &ajeno, &folio).await,
        Err(turno_app::Error::Hidden)
    ));
    // A turn «para conocimiento» is not answered, nor turned on: it is read.
    let asesor = principal(&app, "asesor").await;
    let refused = turned_for_attention(&app, &asesor, &folio, Some(knowledge), "SIDSS-CAS").await;
    assert!(matches!(refused, Err(turno_app::Error::Refused(_))));
    let view = incoming::show(&app.state, &asesor, &folio).await.unwrap();
    assert_eq!(view.turns[0].turn.status, TurnStatus::Read);
    let late = turns::close(
        &app.state,
        &asesor,
        &folio,
        knowledge,
        Outcome::Answered,
        "Enterado",
    )
    .await;
    assert!(matches!(late, Err(turno_app::Error::Conflict(_))));
}

/// A turned unit turns its part on below it; it answers once those turns are answered, and
/// withdrawing its turn takes the turns below with it.
async fn a_turned_unit_turns_its_part_on_below_it(app: TestApp) {
    let (folio, [_, attention]) = classified(&app).await;
    app.store
        .upsert_unit(
            &UnitInput {
                code: "OTRA-UNIDAD-A".into(),
                name: "Área de la otra unidad".into(),
                level: turno_domain::org::Level::Unidad,
                parent_code: Some("OTRA-UNIDAD".into()),
            },
            "prueba",
        )
        .await
        .unwrap();
    let ajeno = principal(&app, "ajeno").await;
    let sideways = turned_for_attention(&app, &ajeno, &folio, Some(attention), "SIDSS-CAS").await;
    match sideways {
        Err(turno_app::Error::InvalidFields(problems)) => assert_eq!(problems[0].field, "unit"),
        other => panic!("{other:?}"),
    }
    let below = turns::turn(
        &app.state,
        &ajeno,
        &folio,
        Some(attention),
        &[TurnTo {
            unit: "OTRA-UNIDAD-A",
            instruction: "preparar_respuesta",
            days: "3",
            ..Default::default()
        }],
    )
    .await
    .unwrap()[0];
    let waits = turns::close(
        &app.state,
        &ajeno,
        &folio,
        attention,
        Outcome::Answered,
        "Listo",
    )
    .await;
    assert!(matches!(waits, Err(turno_app::Error::Refused(_))));
    let oficialia = principal(&app, "oficialia").await;
    turns::withdraw(&app.state, &oficialia, &folio, attention, "Se reasigna")
        .await
        .unwrap();
    let view = incoming::printed(&app.state, &oficialia, &folio)
        .await
        .unwrap();
    let status = |id: i64| {
        view.turns
            .iter()
            .find(|t| t.turn.id == id)
            .unwrap()
            .turn
            .status
    };
    assert_eq!(
        (status(attention), status(below)),
        (TurnStatus::Withdrawn, TurnStatus::Withdrawn)
    );
}

/// A `multipart/form-data` registration: the part `document` (JSON) and the parts `files`.
fn upload(document: &Value, parts: &[(&str, &str, &[u8])]) -> Vec<u8> {
    use crate::common::BOUNDARY;
    let mut body = format!(
        "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"document\"\r\n\
         Content-Type: application/json\r\n\r\n{document}\r\n"
    )
    .into_bytes();
    for (part, name, content) in parts {
        body.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{part}\"; \
                 filename=\"{name}\"\r\nContent-Type: application/pdf\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(content);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    body
}

/// The API registers a document with its scanned copy and annexes, as the page does: an
/// unknown part is refused by its name, and a body past the blob store's limit with 413;
/// nothing is registered then.
async fn the_api_registers_a_document_with_its_files(app: TestApp) {
    let (app, _blobs) = crate::common::with_blobs(&app, 64 * 1024).await;
    let token = app.api_token("secretario").await;
    let document = json!({
        "unit": "SIDSS-ST",
        "kind": "oficio",
        "sender_kind": "externa",
        "sender_name": "Dra. Ana López",
        "sender_organization": "Servicios de Salud de Querétaro",
        "received_at": format!("{}T09:30", yesterday()),
        "subject": "Solicitud de información sobre el padrón",
        "annexes": 1,
    });
    let send = |body: Vec<u8>| {
        reqwest::Client::new()
            .post(format!("{}/api/v1/correspondence/incoming", app.address))
            .header("authorization", format!("Bearer {token}"))
            .header(
                "content-type",
                format!("multipart/form-data; boundary={}", crate::common::BOUNDARY),
            )
            .body(body)
            .send()
    };
    let registered = |token: String| {
        let app = &app;
        async move {
            let (_, list) = api(
                app,
                &token,
                reqwest::Method::GET,
                "/api/v1/correspondence/incoming",
                None,
            )
            .await;
            list["documents"].as_array().map_or(0, Vec::len)
        }
    };
    let created = send(upload(
        &document,
        &[
            ("files", "oficio-seseq.pdf", PDF),
            ("files", "anexo-padron.pdf", PDF),
        ],
    ))
    .await
    .unwrap();
    assert_eq!(created.status(), 201);
    let body: Value = created.json().await.unwrap();
    let names: Vec<&str> = body["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["oficio-seseq.pdf", "anexo-padron.pdf"]);
    let folio = body["folio"].as_str().unwrap();
    let secretario = app.signed_in("secretario").await;
    let annex = secretario
        .get(&format!("/correspondencia/{folio}/archivos/1"))
        .await;
    assert_eq!(annex.bytes().await.unwrap().as_ref(), PDF);
    assert_eq!(registered(token.clone()).await, 1);

    let unknown = send(upload(&document, &[("anexo", "anexo.pdf", PDF)]))
        .await
        .unwrap();
    assert_eq!(unknown.status(), 422);
    let answer: Value = unknown.json().await.unwrap();
    assert_eq!(answer["fields"][0]["field"], "anexo", "{answer}");
    let large = vec![b'%'; 400 * 1024];
    let refused = send(upload(&document, &[("files", "grande.pdf", &large)]))
        .await
        .unwrap();
    assert_eq!(refused.status(), 413);
    assert_eq!(registered(token.clone()).await, 1, "nothing registered");
}

on_both_backends! {
    the_api_registers_a_document_with_its_files,
    an_oficio_is_registered_turned_read_returned_and_withdrawn,
    a_refused_registration_keeps_every_value_and_its_file,
    a_classified_document_shows_its_texts_only_to_its_units,
    a_turned_unit_turns_its_part_on_below_it,
    an_oficio_answering_a_turn_closes_it_when_dispatched,
}

/// Another unit turns an oficio to the Secretario Técnico, who answers it with an oficio naming
/// the turn: its dispatch closes the turn as answered, and each document links the other.
async fn an_oficio_answering_a_turn_closes_it_when_dispatched(app: TestApp) {
    let ajeno = app.signed_in("ajeno").await;
    let page = ajeno.text("/correspondencia/registrar").await;
    let csrf = csrf_in(&page);
    let received = format!("{}T09:30", yesterday());
    let mut form = oficio(&csrf, &received);
    form[1] = ("unit", "OTRA-UNIDAD");
    let response = ajeno
        .post_multipart(
            "/correspondencia/registrar",
            multipart_files(&form, "files", &[scanned()]),
        )
        .await;
    assert_eq!(response.status(), 303, "{}", response.text().await.unwrap());
    let location = crate::common::header(&response, "location").to_owned();
    let folio = location.trim_start_matches("/correspondencia/").to_owned();
    let (status, document) = api(
        &app,
        &app.api_token("ajeno").await,
        reqwest::Method::POST,
        &format!("/api/v1/correspondence/incoming/{folio}/turns"),
        Some(json!({"turns": [{"unit": "SIDSS-ST", "instruction": "atencion"}]})),
    )
    .await;
    assert_eq!(status, 201, "{document}");
    let turn = document["turns"][0]["id"].as_i64().unwrap();

    // The drafting form offers the open turn to the Secretario Técnico.
    let secretario = app.signed_in("secretario").await;
    let form = secretario.text("/correspondencia/salida/nuevo").await;
    assert!(
        form.contains(&format!("<option value=\"{turn}\"")),
        "{form}"
    );
    assert!(form.contains(&folio));

    let token = app.api_token("secretario").await;
    let mut draft = json!({
        "unit": "SIDSS-ST",
        "kind": "oficio",
        "subject": "Cifras del padrón",
        "body": "Le envío las cifras del padrón de beneficiarios.",
        "answers_turn": turn + 1000,
        "recipients": [{"unit": "OTRA-UNIDAD"}],
    });
    let post = |body: Value, path: String| {
        let (app, token) = (&app, token.clone());
        async move { api(app, &token, reqwest::Method::POST, &path, Some(body)).await }
    };
    let drafts = "/api/v1/correspondence/outgoing".to_owned();
    let (status, refused) = post(draft.clone(), drafts.clone()).await;
    assert_eq!(status, 422, "a turn that is not the unit's is refused");
    assert_eq!(refused["fields"][0]["field"], "answers_turn", "{refused}");
    draft["answers_turn"] = json!(turn);
    let (status, document) = post(draft, drafts).await;
    assert_eq!(status, 201, "{document}");
    assert_eq!(document["answers"]["folio"], folio.as_str());
    let id = document["id"].as_i64().unwrap();
    let signature = json!({"version": document["version"], "scan_name": "firmado.pdf", "scan": STANDARD.encode(PDF)});
    let path = format!("/api/v1/correspondence/outgoing/{id}");
    let (status, document) = post(signature, format!("{path}/signature")).await;
    assert_eq!(status, 200, "{document}");
    let number = document["number"]["text"].as_str().unwrap().to_owned();
    let (status, document) = post(
        json!({"version": document["version"]}),
        format!("{path}/dispatch"),
    )
    .await;
    assert_eq!((status, &document["stage"]), (200, &json!("despachado")));

    let (status, incoming) = api(
        &app,
        &token,
        reqwest::Method::GET,
        &format!("/api/v1/correspondence/incoming/{folio}"),
        None,
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(turn_status(&incoming, "SIDSS-ST"), "atendido");
    assert!(
        incoming["turns"][0]["reason"]
            .as_str()
            .unwrap()
            .contains(&number),
        "{incoming}"
    );
    assert_eq!(
        incoming["answered_by_outgoing"],
        json!([{"id": id, "number": number, "turn": turn}])
    );
    let page = ajeno.text(&format!("/correspondencia/{folio}")).await;
    assert!(page.contains(&format!("href=\"/correspondencia/salida/{id}\"")));
    assert!(page.contains(&number));
    let page = secretario
        .text(&format!("/correspondencia/salida/{id}"))
        .await;
    assert!(page.contains(&format!("href=\"/correspondencia/{folio}\"")));
}
