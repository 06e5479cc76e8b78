//! Recurring work through the pages and the API on both databases (issue 19, item 4): a
//! schedule refused with each problem next to its field and what was typed kept; defined by
//! the API, run by the API (each occurrence once), listed with what it opened; the matriz de
//! entrega as JSON, on its page and as CSV, XLSX and PDF, seen by the Secretario Técnico's
//! people and denied to another unit. A schedule that adds a line to a PTCI each quarter:
//! refused on its page by field, defined and run by the API, each quarter's line once.

use crate::common::{Api, TestApp, expect_page, expect_says, today};
use serde_json::json;

async fn schedule_opens_its_reports_once(app: TestApp) {
    app.add_unit("SSA-DGCS", "Dirección General de Comunicación Social")
        .await;
    let year = today().year();

    // The page's form, refused: every problem by its field, what was typed kept.
    let admin = app.signed_in("admin").await;
    let csrf = admin.csrf("/admin/calendarizaciones").await;
    let refused = admin
        .post(
            "/admin/calendarizaciones",
            &[
                ("csrf", &csrf),
                ("procedure", "sidss-informes-oficiales"),
                ("name", "Semestral DGCS"),
                ("unit", "SSA-DGCS"),
                ("title", ""),
                ("frequency", "semestral"),
                ("first_date", "2026-02-30"),
                ("term_days", "10"),
                ("tipo_informe", "Informe semestral"),
            ],
        )
        .await;
    let page = expect_says(
        refused,
        422,
        &[
            "Escriba el asunto de los casos.",
            "Escriba la primera fecha como AAAA-MM-DD.",
            "Este dato es obligatorio.",
        ],
    )
    .await;
    assert!(
        page.contains("value=\"Semestral DGCS\""),
        "what was typed is kept"
    );

    // The API defines it, runs it: January and July (when past) open once each.
    let admin_api = Api::of(&app, "admin").await;
    let (_, created) = admin_api
        .post(
            "/api/v1/schedules",
            json!({
                "name": "Semestral DGCS",
                "procedure": "sidss-informes-oficiales",
                "unit": "SSA-DGCS",
                "title": "Informe semestral de la DGCS",
                "frequency": "semestral",
                "first_date": format!("{year}-01-02"),
                "term_days": 10,
                "fields": {"tipo_informe": "Informe semestral", "direccion_general": "DGCS"},
            }),
        )
        .await;
    assert_eq!(created["frequency"], "semestral", "{created}");
    let id = created["id"].as_i64().unwrap();
    let expected = if today() >= jiff::civil::date(year, 7, 2) {
        2
    } else {
        1
    };
    let run = || admin_api.send(reqwest::Method::POST, "/api/v1/schedules/run", None);
    let ((_, first), (_, second)) = tokio::join!(run(), run());
    let opened =
        first["opened"].as_array().unwrap().len() + second["opened"].as_array().unwrap().len();
    assert_eq!(opened, expected, "{first} {second}");
    let (_, shown) = admin_api.get(&format!("/api/v1/schedules/{id}")).await;
    assert_eq!(shown["opened"], expected, "{shown}");

    // The matriz: the January report never arrived.
    let secretario_api = Api::of(&app, "secretario").await;
    let matrix_of =
        format!("/api/v1/reports/delivery-matrix?desde={year}-01-01&hasta={year}-12-31");
    let (_, matrix) = secretario_api.get(&matrix_of).await;
    assert_eq!(
        matrix["periods"][0],
        format!("1er semestre {year}"),
        "{matrix}"
    );
    assert_eq!(matrix["reports"][0]["unit"], "SSA-DGCS");
    assert_eq!(matrix["reports"][0]["state"], "faltante", "{matrix}");
    for (format, starts) in [("csv", "\u{feff}"), ("xlsx", "PK"), ("pdf", "%PDF")] {
        let (status, bytes) = secretario_api
            .get_bytes(&format!("{matrix_of}&formato={format}"))
            .await;
        assert_eq!(status, 200);
        assert!(bytes.starts_with(starts.as_bytes()), "{format}");
    }
    let secretario = app.signed_in("secretario").await;
    let page = secretario
        .get("/informes/matriz-entrega")
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("data-estado=\"faltante\""), "{page}");
    let bad = secretario
        .get("/informes/matriz-entrega?desde=2026-01-01&hasta=2025-01-01")
        .await;
    assert_eq!(bad.status(), 422);
    assert!(
        bad.text()
            .await
            .unwrap()
            .contains("La fecha final es anterior a la inicial.")
    );
    let other = app.signed_in("ajeno").await;
    assert_eq!(other.get("/informes/matriz-entrega").await.status(), 403);
}

async fn schedule_opens_lines_of_a_program_once(app: TestApp) {
    let year = today().year();
    let secretario = Api::of(&app, "secretario").await;
    let (status, created) = secretario
        .post(
            "/api/v1/programs",
            json!({
            "key": "PTCI-R",
            "name": "Programa de Trabajo de Control Interno",
            "kind": "ptci",
            "year": year,
            "items": [{
                "kind": "control_action",
                "text": "Documentar los controles",
                "responsible": "SIDSS-ST",
                "activities": [{"description": "Actualizar el manual", "start": format!("{year}-01-05"), "end": format!("{year}-12-31")}],
            }],
            }),
        )
        .await;
    assert_eq!(status, 201, "{created}");

    // The page offers the program, and its form asks for the line.
    let admin = app.signed_in("admin").await;
    let form = admin.text("/admin/calendarizaciones?programa=PTCI-R").await;
    assert!(
        form.contains("Agrega líneas al programa: <strong>PTCI-R"),
        "{form}"
    );
    assert!(form.contains("<option value=\"control_action\""), "{form}");
    let csrf = crate::common::csrf_in(&form);
    let refused = admin
        .post(
            "/admin/calendarizaciones",
            &[
                ("csrf", &csrf),
                ("program", "PTCI-R"),
                ("name", "Reporte trimestral del PTCI"),
                ("unit", "SIDSS-ST"),
                ("title", "Reporte de avance trimestral del PTCI"),
                ("frequency", "trimestral"),
                ("first_date", &format!("{}-01-10", year - 1)),
                ("term_days", "0"),
                ("kind", "control_action"),
                ("activity", ""),
            ],
        )
        .await;
    let page = expect_page(refused, 422).await;
    for id in ["c-actividad-error", "c-plazo-error"] {
        assert!(page.contains(&format!("id=\"{id}\"")), "{id}: {page}");
    }
    assert!(
        page.contains("value=\"Reporte trimestral del PTCI\""),
        "kept"
    );

    // Defined by the API from January of last year, run twice at once: each quarter's line once.
    let api = Api::of(&app, "admin").await;
    let (_, schedule) = api
        .post(
            "/api/v1/schedules",
            json!({
            "name": "Reporte trimestral del PTCI",
            "program": "PTCI-R",
            "unit": "SIDSS-ST",
            "title": "Reporte de avance trimestral del PTCI",
            "frequency": "trimestral",
            "first_date": format!("{}-01-10", year - 1),
            "term_days": 10,
            "fields": {"kind": "control_action", "activity": "Entregar el reporte con corte al {fecha}"},
            }),
        )
        .await;
    assert_eq!(schedule["program"], "PTCI-R", "{schedule}");
    assert_eq!(schedule["procedure"], "", "{schedule}");
    let id = schedule["id"].as_i64().unwrap();
    let run = || api.send(reqwest::Method::POST, "/api/v1/schedules/run", None);
    let ((_, first), (_, second)) = tokio::join!(run(), run());
    let mut lines: Vec<String> = [&first, &second]
        .iter()
        .flat_map(|ran| ran["lines"].as_array().unwrap().iter())
        .map(|l| l.as_str().unwrap().to_owned())
        .collect();
    lines.sort();
    lines.dedup();
    let opened = lines.len();
    assert!(opened >= 4, "{first} {second}");
    assert_eq!(
        first["lines"].as_array().unwrap().len() + second["lines"].as_array().unwrap().len(),
        opened,
        "each once: {first} {second}"
    );
    let (_, shown) = api.get(&format!("/api/v1/schedules/{id}")).await;
    assert_eq!(shown["opened"], opened, "{shown}");
    let (_, program) = api.get("/api/v1/programs/PTCI-R").await;
    let items = program["items"].as_array().unwrap();
    assert_eq!(items.len(), 1 + opened);
    assert_eq!(
        items[1]["text"],
        format!(
            "Reporte de avance trimestral del PTCI — 1er trimestre {}",
            year - 1
        )
    );
    let list = admin.text("/admin/calendarizaciones").await;
    assert!(list.contains("Líneas del programa"), "{list}");
}

on_both_backends!(
    schedule_opens_its_reports_once,
    schedule_opens_lines_of_a_program_once
);
