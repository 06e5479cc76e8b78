//! A unit's register of incoming documents imported through the API on both databases
//! (`POST /api/v1/correspondence/incoming/import`, docs/correspondence.md): a good CSV registers
//! every row with the next folios and its turns, which the register then lists; a file with
//! problems in several rows answers every one with its row and column and writes nothing; a
//! unit the person does not act in is a problem of its rows; the consulta role imports nothing.
//! The administrators' page (`/correspondencia/importar`) checks the file first, every problem
//! by row and column in Spanish and nothing written, shows what a good one would register, and
//! imports it on confirmation.

use crate::common::{Api, File, TestApp, expect_page, multipart_named, yesterday};
use serde_json::Value;
use turno_store::Correspondence;

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
    Api::of(app, login)
        .await
        .post_multipart("/api/v1/correspondence/incoming/import", body)
        .await
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

/// The page's form: the unit, the action, and the file (or the digest of the one held).
fn page_form(csrf: &str, fields: &[(&str, &str)], content: Option<&[u8]>) -> Vec<u8> {
    let mut all = vec![("csrf", csrf)];
    all.extend_from_slice(fields);
    multipart_named(
        &all,
        "archivo",
        content
            .map(|content| File {
                name: "registro.csv",
                mime: "text/csv",
                content,
            })
            .as_ref(),
    )
}

async fn the_page_checks_previews_and_imports_a_register(app: TestApp) {
    let admin = app.signed_in("admin").await;
    let form = admin.text("/correspondencia").await;
    assert!(
        form.contains("href=\"/correspondencia/importar\""),
        "linked from the register"
    );
    let csrf = admin.csrf("/correspondencia/importar").await;

    // Problems: every one by row and column, nothing written.
    let mut bad = register(yesterday());
    bad.push_str("fax,externa,,SESEQ,mañana,Otro,300,NADA,para atención\n");
    let refused = admin
        .post_multipart(
            "/correspondencia/importar",
            page_form(
                &csrf,
                &[("unidad", "SIDSS-ST"), ("accion", "revisar")],
                Some(bad.as_bytes()),
            ),
        )
        .await;
    let page = expect_page(refused, 422).await;
    assert!(
        page.contains("5 problemas en registro.csv: no se importó nada."),
        "{page}"
    );
    for field in [
        "Tipo",
        "Remitente",
        "Recibido",
        "Plazo (días hábiles)",
        "Turnado a",
    ] {
        assert!(
            page.contains(&format!(
                "<td data-label=\"Fila\">4</td><td data-label=\"Columna\">{field}</td>"
            )),
            "{field}: {page}"
        );
    }
    assert!(
        page.contains("<option value=\"SIDSS-ST\" selected>"),
        "kept"
    );
    assert_eq!(stored(&app).await, 0);

    // A good file: what it would register, still nothing written.
    let previewed = admin
        .post_multipart(
            "/correspondencia/importar",
            page_form(
                &csrf,
                &[("unidad", "SIDSS-ST"), ("accion", "revisar")],
                Some(register(yesterday()).as_bytes()),
            ),
        )
        .await;
    let page = expect_page(previewed, 200).await;
    assert!(
        page.contains("registraría 2 documentos y 1 turno"),
        "{page}"
    );
    assert!(page.contains("Solicitud de cifras"), "{page}");
    assert!(
        page.contains("<td data-label=\"Turnado a\">SIDSS-CAS</td>"),
        "{page}"
    );
    assert_eq!(stored(&app).await, 0, "a preview writes nothing");

    // Confirmed: the file held is imported.
    let digest = crate::test_app::hidden(&page, "archivo_retenido");
    let imported = admin
        .post_multipart(
            "/correspondencia/importar",
            page_form(
                &csrf,
                &[
                    ("unidad", "SIDSS-ST"),
                    ("archivo_retenido", &digest),
                    ("accion", "importar"),
                ],
                None,
            ),
        )
        .await;
    assert_eq!(imported.status(), 303);
    assert_eq!(stored(&app).await, 2);
    let year = yesterday().year();
    let page = admin.text("/correspondencia").await;
    assert!(
        page.contains(&format!(
            "registro.csv: documentos importados: 2, del CE-{year}-000001 al CE-{year}-000002; turnos: 1."
        )),
        "{page}"
    );
    // A digest not held by this session names nothing.
    let other = app.signed_in("admin").await;
    let csrf = other.csrf("/correspondencia/importar").await;
    let refused = other
        .post_multipart(
            "/correspondencia/importar",
            page_form(
                &csrf,
                &[("archivo_retenido", &digest), ("accion", "importar")],
                None,
            ),
        )
        .await;
    assert_eq!(refused.status(), 422);
    assert_eq!(stored(&app).await, 2);
    // Not an administrator: refused.
    let secretario = app.signed_in("secretario").await;
    assert_eq!(
        secretario.get("/correspondencia/importar").await.status(),
        403
    );
}

on_both_backends! {
    a_register_imports_whole_or_not_at_all,
    the_page_checks_previews_and_imports_a_register,
}
