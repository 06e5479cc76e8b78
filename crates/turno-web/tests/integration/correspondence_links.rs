//! Cases and correspondence together over HTTP on both databases (issue 17, item 4): an
//! incoming oficio starts a case from its page (the start form filled from the document, a
//! refused form keeping every value) and through the API; both show the link, and a second
//! start is refused. An internal oficio, once dispatched, arrives in each addressee unit's own
//! incoming register (a copy «para conocimiento») exactly once; the external addressee gets
//! none.

use crate::common::{Api, TestApp, csrf_in, expect_page, header, with_procedure, yesterday};
use serde_json::{Value, json};
use turno_domain::library::Source;
use turno_store::Correspondence;

/// A procedure that starts from an oficio at the Secretario Técnico, with fields whose names
/// say what of the document they hold, and one the document does not fill.
const FROM_OFICIO: Source<'static> = Source {
    name: "atencion-oficios.toml",
    text: r#"
key = "atencion-oficios"
version = 1
title = "Atención de oficios recibidos"
purpose = ["p"]
scope = ["s"]

[participants.ST]
name = "Secretario Técnico"
unit = "SIDSS-ST"

[[fields]]
name = "numero_oficio"
label = "Número del oficio"
type = "text"

[[fields]]
name = "fecha_recepcion"
label = "Fecha de recepción"
type = "date"
required = true

[[fields]]
name = "remitente"
label = "Remitente"
type = "text"

[[fields]]
name = "instruccion"
label = "Instrucción del Secretario"
type = "text"
required = true

[[stages]]
number = "1.0"
name = "Atención"
responsible = ["ST"]

[[stages.activities]]
number = "1.1"
text = "Atiende el oficio."
end = true
"#,
};

/// Registers an oficio of the SESEQ at the Secretario Técnico through the API; its folio.
async fn oficio(secretario: &Api, subject: &str) -> String {
    let (status, document) = secretario
        .post(
            "/api/v1/correspondence/incoming",
            json!({
                "unit": "SIDSS-ST",
                "kind": "oficio",
                "sender_kind": "externa",
                "sender_name": "Dra. Ana López",
                "sender_position": "Directora General",
                "sender_organization": "Servicios de Salud de Querétaro",
                "their_number": "SESEQ-DG-0456-2026",
                "their_date": yesterday().to_string(),
                "received_at": format!("{}T09:30", yesterday()),
                "subject": subject,
                "summary": "Pide las cifras del padrón.",
            }),
        )
        .await;
    assert_eq!(status, 201, "{document}");
    document["folio"].as_str().unwrap().to_owned()
}

fn field<'a>(case: &'a Value, name: &str) -> &'a Value {
    &case["fields"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["name"] == name)
        .unwrap_or_else(|| panic!("no field {name} in {case}"))["value"]
}

async fn an_oficio_starts_a_case_by_its_page_and_by_the_api(app: TestApp) {
    let app = with_procedure(&app, FROM_OFICIO).await;
    let api = Api::of(&app, "secretario").await;
    let folio = oficio(&api, "Solicitud de información sobre el padrón").await;
    let browser = app.signed_in("secretario").await;

    let page = browser.text(&format!("/correspondencia/{folio}")).await;
    assert!(page.contains("Iniciar asunto"), "{page}");
    let chooser = browser
        .text(&format!("/correspondencia/{folio}/asunto"))
        .await;
    let form_path = format!("/correspondencia/{folio}/asunto?procedimiento=atencion-oficios");
    assert!(
        chooser.contains("procedimiento=atencion-oficios"),
        "{chooser}"
    );

    // The start form holds the document's data.
    let form = browser.text(&form_path).await;
    let sender = "Dra. Ana López, Directora General, Servicios de Salud de Querétaro";
    for value in [
        "Solicitud de información sobre el padrón",
        "SESEQ-DG-0456-2026",
        sender,
        &yesterday().to_string(),
    ] {
        assert!(
            form.contains(&format!("value=\"{value}\"")),
            "{value} in {form}"
        );
    }
    assert!(form.contains("<option selected>Oficio</option>"), "{form}");

    // Sent without the field the document does not fill: the form again, every value kept.
    let csrf = csrf_in(&form);
    let received = yesterday().to_string();
    let mut sent = vec![
        ("csrf", csrf.as_str()),
        ("procedimiento", "atencion-oficios"),
        ("asunto", "Solicitud de información sobre el padrón"),
        ("medio", "Oficio"),
        ("solicitante", sender),
        ("numero_oficio", "SESEQ-DG-0456-2026"),
        ("fecha_recepcion", received.as_str()),
        ("remitente", sender),
        ("instruccion", ""),
    ];
    let action = format!("/correspondencia/{folio}/asunto");
    let refused = browser.post(&action, &sent).await;
    let refused = expect_page(refused, 422).await;
    assert!(refused.contains("Este dato es obligatorio"), "{refused}");
    assert!(
        refused.contains("value=\"SESEQ-DG-0456-2026\""),
        "{refused}"
    );
    assert!(
        browser
            .text(&format!("/correspondencia/{folio}"))
            .await
            .contains("Iniciar asunto"),
        "nothing was started"
    );

    sent.pop();
    sent.push(("instruccion", "Preparar la respuesta con el padrón"));
    let started = browser.post(&action, &sent).await;
    assert_eq!(started.status(), 303, "{}", started.text().await.unwrap());
    let case = header(&started, "location")
        .strip_prefix("/asuntos/")
        .unwrap()
        .to_owned();

    // Both show the link.
    let (_, document) = api
        .get(&format!("/api/v1/correspondence/incoming/{folio}"))
        .await;
    assert_eq!(document["case_folio"], case.as_str());
    let (status, listed) = api.get(&format!("/api/v1/cases/{case}/incoming")).await;
    assert_eq!(status, 200);
    assert_eq!(listed["documents"][0]["folio"], folio.as_str());
    let (_, detail) = api.get(&format!("/api/v1/cases/{case}")).await;
    assert_eq!(field(&detail, "numero_oficio"), "SESEQ-DG-0456-2026");
    assert_eq!(field(&detail, "fecha_recepcion"), received.as_str());
    let case_page = browser.text(&format!("/asuntos/{case}")).await;
    assert!(
        case_page.contains(&format!("/correspondencia/{folio}")),
        "{case_page}"
    );
    assert!(case_page.contains("Redactar oficio"));
    let document_page = browser.text(&format!("/correspondencia/{folio}")).await;
    assert!(document_page.contains(&format!("/asuntos/{case}")));
    assert!(!document_page.contains("Iniciar asunto"));

    // «Redactar oficio» opens the drafting form with the case's folio and its subject.
    let drafting = browser
        .text(&format!("/correspondencia/salida/nuevo?asunto={case}"))
        .await;
    assert!(
        drafting.contains(&format!("value=\"{case}\"")),
        "{drafting}"
    );
    assert!(drafting.contains("value=\"Solicitud de información sobre el padrón\""));

    // A second case from the same document is refused, by the page and by the API.
    let again = browser.post(&action, &sent).await;
    assert_eq!(again.status(), 409);
    assert!(again.text().await.unwrap().contains("ya inició un asunto"));
    let (status, refused) = api
        .post(
            &format!("/api/v1/correspondence/incoming/{folio}/case"),
            json!({"procedure": "atencion-oficios", "fields": {"instruccion": "Otra"}}),
        )
        .await;
    assert_eq!(status, 409, "{refused}");

    // By the API: what the request omits is the document's.
    let other = oficio(&api, "Solicitud de cifras de afiliación").await;
    let (status, answer) = api
        .post(
            &format!("/api/v1/correspondence/incoming/{other}/case"),
            json!({"procedure": "atencion-oficios", "fields": {"instruccion": "Atender"}}),
        )
        .await;
    assert_eq!(status, 201, "{answer}");
    let second = answer["folio"].as_str().unwrap();
    let (_, detail) = api.get(&format!("/api/v1/cases/{second}")).await;
    assert_eq!(detail["title"], "Solicitud de cifras de afiliación");
    assert_eq!(detail["requester"], sender);
    assert_eq!(field(&detail, "numero_oficio"), "SESEQ-DG-0456-2026");
    assert_eq!(field(&detail, "remitente"), sender);
    let (_, document) = api
        .get(&format!("/api/v1/correspondence/incoming/{other}"))
        .await;
    assert_eq!(document["case_folio"], second);
    // Consulta reads the document but starts nothing from it.
    let consulta = Api::of(&app, "consulta").await;
    let third = oficio(&api, "Tercera solicitud").await;
    let (status, _) = consulta
        .post(
            &format!("/api/v1/correspondence/incoming/{third}/case"),
            json!({"procedure": "atencion-oficios", "fields": {"instruccion": "Atender"}}),
        )
        .await;
    assert_eq!(status, 403);
}

async fn an_internal_oficio_arrives_once_in_each_addressee_register(app: TestApp) {
    let secretario = Api::of(&app, "secretario").await;
    let asesor = Api::of(&app, "asesor").await;
    let ajeno = Api::of(&app, "ajeno").await;
    let (status, document) = secretario
        .post(
            "/api/v1/correspondence/outgoing",
            json!({
                "unit": "SIDSS-ST",
                "kind": "memorandum",
                "subject": "Lineamientos del informe trimestral",
                "body": "Les comunico los lineamientos.",
                "recipients": [
                    {"unit": "SIDSS-CAS"},
                    {"name": "Lic. Rosa Pérez", "title": "Directora General", "institution": "Secretaría de Salud de Jalisco"},
                ],
                "copies": [{"unit": "OTRA-UNIDAD"}],
            }),
        )
        .await;
    assert_eq!(status, 201, "{document}");
    let id = document["id"].as_i64().unwrap();
    let (status, signed) = secretario
        .sign(id, document["version"].as_i64().unwrap())
        .await;
    assert_eq!(status, 200, "{signed}");
    let number = signed["number"]["text"].as_str().unwrap().to_owned();
    let dispatch = format!("/api/v1/correspondence/outgoing/{id}/dispatch");
    let (status, dispatched) = secretario
        .post(&dispatch, json!({"version": signed["version"]}))
        .await;
    assert_eq!(status, 200, "{dispatched}");
    let arrivals = dispatched["arrivals"].as_array().unwrap();
    let seen: Vec<(&str, &str)> = arrivals
        .iter()
        .map(|a| {
            (
                a["unit"].as_str().unwrap(),
                a["instruction"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        seen,
        [("SIDSS-CAS", "atencion"), ("OTRA-UNIDAD", "conocimiento")],
        "the external addressee gets no incoming document"
    );

    // In the Coordinación de Asesores' own register, from the Secretario Técnico.
    let cas = arrivals[0]["folio"].as_str().unwrap();
    let (status, register) = asesor.get("/api/v1/correspondence/incoming").await;
    assert_eq!(status, 200);
    assert!(
        register["documents"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["folio"] == cas && d["unit"] == "SIDSS-CAS"),
        "{register}"
    );
    let (status, arrived) = asesor
        .get(&format!("/api/v1/correspondence/incoming/{cas}"))
        .await;
    assert_eq!(status, 200, "{arrived}");
    assert_eq!(arrived["kind"], "memorandum");
    assert_eq!(arrived["sender_kind"], "unidad");
    assert_eq!(arrived["sender_organization"], "SIDSS-ST");
    assert_eq!(arrived["their_number"], number.as_str());
    assert_eq!(arrived["subject"], "Lineamientos del informe trimestral");
    assert_eq!(arrived["arrived_from_outgoing"], id);
    assert_eq!(arrived["arrived_for"], "atencion");
    assert_eq!(arrived["classification"], "publica");
    assert_eq!(arrived["files"][0]["name"], "firmado.pdf");
    let copy = arrivals[1]["folio"].as_str().unwrap();
    let (status, copied) = ajeno
        .get(&format!("/api/v1/correspondence/incoming/{copy}"))
        .await;
    assert_eq!(status, 200, "{copied}");
    assert_eq!(copied["arrived_for"], "conocimiento");

    // Both pages link each other.
    let page = app
        .signed_in("asesor")
        .await
        .text(&format!("/correspondencia/{cas}"))
        .await;
    assert!(
        page.contains(&format!("/correspondencia/salida/{id}")),
        "{page}"
    );
    let outgoing_page = app
        .signed_in("secretario")
        .await
        .text(&format!("/correspondencia/salida/{id}"))
        .await;
    assert!(outgoing_page.contains(&format!("/correspondencia/{cas}")));

    // Dispatched twice: refused, and nothing arrives twice.
    let (status, _) = secretario
        .post(&dispatch, json!({"version": dispatched["version"]}))
        .await;
    assert_ne!(status, 200);
    assert_eq!(app.store.arrivals_of(id).await.unwrap().len(), 2);
}

on_both_backends! {
    an_oficio_starts_a_case_by_its_page_and_by_the_api,
    an_internal_oficio_arrives_once_in_each_addressee_register,
}
