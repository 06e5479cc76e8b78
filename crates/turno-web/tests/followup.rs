//! The follow-up pages with seed 003's program: imported through the page, followed (the
//! evidence rule in Spanish, the history, who may record), and reported.

mod common;

use common::{BOUNDARY, File, PDF, TestApp, csrf_in, multipart_named};
use turno_store::{Role, Store, UnitInput};

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../fixtures/asm-2017/");

async fn import(app: &TestApp) {
    let admin = app.signed_in("admin").await;
    let csrf = csrf_in(&admin.text("/seguimiento").await);
    let mut files = Vec::new();
    for name in [
        "recomendaciones.csv",
        "aspectos.csv",
        "actividades-corregidas.csv",
    ] {
        files.push((name, std::fs::read(format!("{FIXTURES}{name}")).unwrap()));
    }
    let boundary = BOUNDARY;
    let mut body = Vec::new();
    for (name, value) in [
        ("csrf", csrf.as_str()),
        ("clave", "ASM-2017"),
        ("nombre", "Programa de ASM 2017"),
    ] {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    for (name, content) in &files {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"tablas\"; filename=\"{name}\"\r\nContent-Type: text/csv\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(content);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    let response = admin.post_multipart("/seguimiento/importar", body).await;
    assert_eq!(response.status(), 303, "{}", response.text().await.unwrap());
}

async fn planning_person(app: &TestApp) {
    app.store
        .upsert_unit(
            &UnitInput {
                code: "SESEQ-DP".into(),
                name: "Dirección de Planeación".into(),
                level: turno_domain::org::Level::Unidad,
                parent_code: None,
            },
            "prueba",
        )
        .await
        .unwrap();
    app.add_person("planeacion", "SESEQ-DP", Role::Operador, None)
        .await;
}

async fn seed_003_is_imported_followed_and_reported(app: TestApp) {
    import(&app).await;
    planning_person(&app).await;
    let person = app.signed_in("planeacion").await;
    let page = person.text("/seguimiento/ASM-2017/A1").await;
    assert!(
        page.contains("Registrar avance"),
        "the responsible area may record"
    );
    let csrf = csrf_in(&page);
    let record = |percent: &'static str, file: Option<File<'static>>| {
        let csrf = csrf.clone();
        let person = &person;
        async move {
            let body = multipart_named(
                &[
                    ("csrf", &csrf),
                    ("actividad", "1"),
                    ("avance", percent),
                    ("nota", "Memorándum enviado"),
                ],
                "evidencia",
                file.as_ref(),
            );
            person
                .post_multipart("/seguimiento/ASM-2017/A1/avance", body)
                .await
        }
    };
    let refused = record("100", None).await;
    assert_eq!(refused.status(), 400);
    assert!(
        refused
            .text()
            .await
            .unwrap()
            .contains("Una actividad no llega al 100 % sin evidencia adjunta."),
        "the evidence rule, in Spanish"
    );
    let pdf = File {
        name: "memorandum.pdf",
        mime: "application/pdf",
        content: PDF,
    };
    assert_eq!(record("100", Some(pdf)).await.status(), 303);
    let page = person.text("/seguimiento/ASM-2017/A1").await;
    assert!(page.contains("0 % → 100 %"), "the history shows the change");
    assert!(page.contains("memorandum.pdf"));
    let evidence = person.get("/seguimiento/ASM-2017/A1/evidencia/1/0").await;
    assert_eq!(evidence.status(), 200);
    assert_eq!(evidence.bytes().await.unwrap().as_ref(), PDF);

    // Another area's person reads but may not record.
    let outsider = app.signed_in("ajeno").await;
    let page = outsider.text("/seguimiento/ASM-2017/A1").await;
    assert!(!page.contains("Registrar avance"));
    let body = multipart_named(
        &[
            ("csrf", &csrf_in(&page)),
            ("actividad", "2"),
            ("avance", "10"),
        ],
        "evidencia",
        None,
    );
    assert_eq!(
        outsider
            .post_multipart("/seguimiento/ASM-2017/A1/avance", body)
            .await
            .status(),
        403
    );

    // The dashboard today (2017's activities are long past) and as of before the change.
    let dashboard = person.text("/seguimiento/ASM-2017").await;
    assert!(dashboard.contains("Actividades vencidas"));
    assert!(
        dashboard.contains("<progress max=\"100\" value=\"33\">33 %</progress>"),
        "A1: one of three at 100 %"
    );
    let before = person.text("/seguimiento/ASM-2017?corte=2017-05-01").await;
    assert!(before.contains("Estado al 01/05/2017."));
    assert!(
        !before.contains("value=\"33\""),
        "as of May 1st, nothing was done"
    );

    let calendar = person.text("/seguimiento/ASM-2017/calendario").await;
    assert!(
        calendar.contains("<h2>mayo de 2017</h2>") && calendar.contains("<h2>junio de 2017</h2>")
    );
    let csv = person
        .text("/seguimiento/ASM-2017/calendario?formato=csv")
        .await;
    assert!(csv.contains("junio de 2017,aspecto susceptible de mejora 1,3,Publicar los informes"));

    let report = person.get("/seguimiento/ASM-2017/informe").await;
    assert_eq!(report.status(), 409);
    assert!(
        report
            .text()
            .await
            .unwrap()
            .contains("El informe final necesita todas las actividades cerradas")
    );
}

on_both_backends! {
    seed_003_is_imported_followed_and_reported,
}
