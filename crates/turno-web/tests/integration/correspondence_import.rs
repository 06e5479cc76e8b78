//! A unit's register of incoming documents imported through the API on both databases
//! (`POST /api/v1/correspondence/incoming/import`, docs/correspondence.md): a good CSV registers
//! every row with the next folios and its turns, which the register then lists; a file with
//! problems in several rows answers every one with its row and column and writes nothing; a
//! unit the person does not act in is a problem of its rows; the consulta role imports nothing.

use crate::common::{File, TestApp, multipart_named};
use serde_json::Value;
use turno_store::Correspondence;

fn yesterday() -> jiff::civil::Date {
    jiff::Zoned::now()
        .with_time_zone(jiff::tz::TimeZone::get("America/Mexico_City").unwrap())
        .date()
        .yesterday()
        .unwrap()
}

/// A register of two documents received yesterday: an oficio turned to the Coordinación de
/// Asesores, a private person's letter.
fn register(day: jiff::civil::Date) -> String {
    let day = day.strftime("%d/%m/%Y");
    format!(
        "Tipo,Tipo de remitente,Remitente,Institución,Recibido,Asunto,Plazo (días hábiles),\
         Turnado a,Instrucción\n\
         oficio,externa,Dra. Ana López,SESEQ,{day} 09:30,Solicitud de cifras,10,SIDSS-CAS,\
         para atención\n\
         escrito,particular,Juan Pérez,,{day} 11:00,Queja por la atención,,,\n"
    )
}

async fn upload(app: &TestApp, login: &str, unit: &str, content: &[u8]) -> (u16, Value) {
    let body = multipart_named(
        &[("unit", unit)],
        "file",
        Some(&File {
            name: "registro.csv",
            mime: "text/csv",
            content,
        }),
    );
    let response = reqwest::Client::new()
        .post(format!(
            "{}/api/v1/correspondence/incoming/import",
            app.address
        ))
        .header(
            "authorization",
            format!("Bearer {}", app.api_token(login).await),
        )
        .header(
            "content-type",
            format!("multipart/form-data; boundary={}", crate::common::BOUNDARY),
        )
        .body(body)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

async fn stored(app: &TestApp) -> usize {
    app.store
        .incoming_of_units(&["SIDSS-ST".to_owned()], 100)
        .await
        .unwrap()
        .len()
}

async fn a_register_imports_whole_or_not_at_all(app: TestApp) {
    // Problems in several rows: every one, with its row and column; nothing written.
    let mut bad = register(yesterday());
    bad.push_str("fax,externa,,SESEQ,mañana,Otro,300,NADA,para atención\n");
    bad = bad.replace("Solicitud de cifras", "Solicitud\u{1}de cifras");
    let (status, body) = upload(&app, "secretario", "SIDSS-ST", bad.as_bytes()).await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["code"], "invalid_file");
    let rows: Vec<(u64, &str)> = body["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["row"].as_u64().unwrap(), p["field"].as_str().unwrap()))
        .collect();
    assert_eq!(
        rows,
        [
            (2, "Asunto"),
            (4, "Tipo"),
            (4, "Remitente"),
            (4, "Recibido"),
            (4, "Plazo (días hábiles)"),
            (4, "Turnado a"),
        ],
        "{body}"
    );
    assert!(
        body["problems"][0]
            .as_str()
            .unwrap()
            .starts_with("registro.csv: fila 2: Asunto: "),
        "{body}"
    );
    assert_eq!(stored(&app).await, 0);

    // A unit the person does not act in is a problem of each row that names it.
    let (status, body) = upload(&app, "ajeno", "SIDSS-ST", register(yesterday()).as_bytes()).await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["rows"][0]["field"], "Unidad");
    assert_eq!(body["rows"].as_array().unwrap().len(), 2);
    // The consulta role imports nothing.
    let (status, _) = upload(
        &app,
        "consulta",
        "SIDSS-ST",
        register(yesterday()).as_bytes(),
    )
    .await;
    assert_eq!(status, 403);
    assert_eq!(stored(&app).await, 0);

    let (status, body) = upload(
        &app,
        "secretario",
        "SIDSS-ST",
        register(yesterday()).as_bytes(),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let year = yesterday().year();
    assert_eq!(
        body["folios"],
        serde_json::json!([format!("CE-{year}-000001"), format!("CE-{year}-000002")])
    );
    assert_eq!(body["turns"], 1);
    let documents = app
        .store
        .incoming_of_units(&["SIDSS-CAS".to_owned()], 100)
        .await
        .unwrap();
    assert_eq!(documents.len(), 1, "the turned oficio reaches its unit");
    assert_eq!(documents[0].incoming.subject, "Solicitud de cifras");
    assert_eq!(documents[0].turns[0].unit, "SIDSS-CAS");
    assert!(documents[0].turns[0].due_date.is_some());
    assert_eq!(stored(&app).await, 2);
}

on_both_backends! {
    a_register_imports_whole_or_not_at_all,
}
