//! Evaluation visits on the pages and the API, on SQLite and PostgreSQL: a remote visit to the
//! Secretario Técnico planned (a refused form comes back with each problem next to its field
//! and what was typed), a finding recorded with its evidence file (held when the form is
//! refused), the improvement plan made with a term in días hábiles, its action done with
//! evidence and its round closed to the visit's conclusion; and the same through the API.

use crate::common::{
    Api, File, PDF, TestApp, csrf_in, expect_page, expect_says, header, multipart_named, says,
};
use serde_json::{Value, json};

fn pdf() -> File<'static> {
    File {
        name: "cedula.pdf",
        mime: "application/pdf",
        content: PDF,
    }
}

/// The visit's number of a redirect to its page.
fn visit_of(location: &str) -> String {
    location.strip_prefix("/visitas/").unwrap().to_owned()
}

async fn a_remote_visit_is_planned_found_and_followed_to_its_conclusion(app: TestApp) {
    let person = app.signed_in("secretario").await;
    let list = person.text("/visitas").await;
    assert!(list.contains("Programar una visita"), "{list}");
    let csrf = csrf_in(&list);
    let mut form = vec![
        ("csrf", csrf.as_str()),
        ("modality", "remote"),
        ("units", "NO-EXISTE"),
        ("from", "2026-03-13"),
        ("to", "2026-03-09"),
        ("team", "nadie"),
        ("purpose", "Evaluación a distancia del control de gestión"),
        ("aspects", "Control de gestión\nAtención de turnos"),
    ];
    let refused = person.post("/visitas", &form).await;
    let page = expect_says(
        refused,
        422,
        &[
            "La unidad «NO-EXISTE» no existe.",
            "El último día de la visita va después del primero.",
            "No hay en Turno una persona «nadie».",
        ],
    )
    .await;
    assert!(
        page.contains("Evaluación a distancia del control de gestión"),
        "what was typed stays"
    );
    form[2] = ("units", "SIDSS-ST");
    form[3] = ("from", "2026-03-09");
    form[4] = ("to", "2026-03-13");
    form[5] = ("team", "secretario");
    let consulta = app.signed_in("consulta").await;
    let csrf_consulta = consulta.csrf("/visitas").await;
    let mut denied = form.clone();
    denied[0] = ("csrf", csrf_consulta.as_str());
    assert_eq!(consulta.post("/visitas", &denied).await.status(), 403);
    let planned = person.post("/visitas", &form).await;
    assert_eq!(planned.status(), 303);
    let id = visit_of(header(&planned, "location"));
    let page = person.text(&format!("/visitas/{id}")).await;
    assert!(page.contains("a distancia"));
    assert!(page.contains("Registrar un hallazgo"));
    // Not of the team: no form, and refused.
    let outsider = app.signed_in("ajeno").await;
    let seen = outsider.text(&format!("/visitas/{id}")).await;
    assert!(!seen.contains("Registrar un hallazgo"));
    let finding = |csrf: String, description: &'static str, file: Option<File<'static>>| {
        let fields = vec![
            ("csrf".to_owned(), csrf),
            ("aspect".to_owned(), "Control de gestión".to_owned()),
            ("description".to_owned(), description.to_owned()),
            ("severity".to_owned(), "high".to_owned()),
        ];
        (fields, file)
    };
    let path = format!("/visitas/{id}/hallazgos");
    let send = |(fields, file): (Vec<(String, String)>, Option<File<'static>>),
                held: Option<String>| {
        let mut fields = fields;
        if let Some(sha256) = held {
            fields.push(("archivo_retenido".into(), sha256));
        }
        let borrowed: Vec<(&str, &str)> = fields
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        multipart_named(&borrowed, "evidence", file.as_ref())
    };
    let csrf_outsider = csrf_in(&seen);
    let body = send(
        finding(csrf_outsider, "Oficios sin folio", Some(pdf())),
        None,
    );
    let response = outsider.post_multipart(&path, body).await;
    assert_eq!(response.status(), 403);
    // Without its description: the form again, the file held.
    let csrf = csrf_in(&page);
    let body = send(finding(csrf.clone(), "", Some(pdf())), None);
    let response = person.post_multipart(&path, body).await;
    let again = expect_page(response, 422).await;
    assert!(
        again.contains("Escriba la descripción del hallazgo."),
        "{again}"
    );
    assert!(again.contains("Se conserva el archivo recibido, «cedula.pdf»"));
    let held = again
        .split("name=\"archivo_retenido\" value=\"")
        .nth(1)
        .map(|rest| rest[..rest.find('"').unwrap()].to_owned());
    let body = send(finding(csrf, "Turnos sin respuesta en plazo", None), held);
    let response = person.post_multipart(&path, body).await;
    assert_eq!(response.status(), 303, "{}", response.text().await.unwrap());
    let page = person.text(&format!("/visitas/{id}")).await;
    assert!(page.contains("Turnos sin respuesta en plazo"));
    assert!(page.contains("con hallazgos"));
    let evidence = person
        .get(&format!("/visitas/{id}/hallazgos/1/evidencia"))
        .await;
    assert_eq!(evidence.status(), 200);
    assert_eq!(evidence.bytes().await.unwrap().as_ref(), PDF);

    // The plan: a term that is neither a date nor días hábiles comes back next to its field.
    let csrf = csrf_in(&page);
    let mut plan = vec![
        ("csrf", csrf.as_str()),
        ("key", "PM-ST-2026"),
        ("actions[0].finding", "1"),
        ("actions[0].description", "Responder los turnos vencidos"),
        ("actions[0].responsible", "SIDSS-ST"),
        ("actions[0].start", "2026-05-11"),
        ("actions[0].end", "pronto"),
        ("actions[0].products", "Reporte de turnos atendidos"),
    ];
    let refused = person.post(&format!("/visitas/{id}/plan"), &plan).await;
    let again = expect_page(refused, 422).await;
    assert!(again.contains("Escriba el término de la acción 1 como AAAA-MM-DD o en días hábiles"));
    assert!(
        again.contains("Responder los turnos vencidos"),
        "what was typed stays"
    );
    plan[6] = ("actions[0].end", "10 días hábiles");
    let made = person.post(&format!("/visitas/{id}/plan"), &plan).await;
    assert_eq!(made.status(), 303, "{}", made.text().await.unwrap());
    assert_eq!(header(&made, "location"), "/seguimiento/PM-ST-2026");
    let due = app
        .state
        .moment()
        .calendars
        .lfpa
        .add_business_days(jiff::civil::date(2026, 5, 11), 10)
        .unwrap();
    let item = person.text("/seguimiento/PM-ST-2026/R1").await;
    assert!(item.contains(&turno_domain::text::day(due)), "{item}");
    let program = person.text("/seguimiento/PM-ST-2026").await;
    assert!(program.contains(&format!("href=\"/visitas/{id}\"")));
    assert!(program.contains("Cerrar la siguiente ronda de seguimiento"));

    // The visit's plan and its improvement plan, to print from its page: the visit, its
    // finding, the action with its term.
    let shown = person.text(&format!("/visitas/{id}")).await;
    assert!(
        shown.contains(&format!("href=\"/visitas/{id}/pdf\"")),
        "{shown}"
    );
    let printed = person.get(&format!("/visitas/{id}/pdf")).await;
    assert_eq!(printed.status(), 200);
    assert_eq!(header(&printed, "content-type"), "application/pdf");
    assert!(header(&printed, "content-disposition").contains(&format!("visita-{id}.pdf")));
    let bytes = printed.bytes().await.unwrap();
    assert!(bytes.starts_with(b"%PDF-"));
    assert!(String::from_utf8_lossy(&bytes).contains("/MediaBox[0 0 792 612]"));
    let report = turno_app::visits::report(&app.state, id.parse().unwrap())
        .await
        .unwrap();
    let titles: Vec<&str> = report.tables.iter().map(|(t, _)| t.as_str()).collect();
    assert_eq!(
        titles,
        [
            "Plan de la visita",
            "Hallazgos",
            "Plan de mejora (PM-ST-2026)"
        ]
    );
    assert_eq!(report.tables[0].1[1], ["Modalidad", "A distancia"]);
    let action = &report.tables[2].1[1];
    assert_eq!(action[1], "Responder los turnos vencidos");
    assert_eq!(action[4], turno_domain::text::day(due));
    let now = app.state.today();
    let status = if now > due {
        "vencido"
    } else if now >= jiff::civil::date(2026, 5, 11) {
        "en proceso"
    } else {
        "pendiente"
    };
    assert_eq!(action[7], status, "its status today");
    assert_eq!(person.get("/visitas/999999/pdf").await.status(), 404);
    assert!(
        !outsider
            .text("/seguimiento/PM-ST-2026")
            .await
            .contains("Cerrar la siguiente ronda")
    );

    // The action done with its evidence; the round concludes the visit.
    let response = crate::common::attend(&person, "/seguimiento/PM-ST-2026/R1", &[]).await;
    assert_eq!(response.status(), 303, "{}", response.text().await.unwrap());
    let csrf = person.csrf("/seguimiento/PM-ST-2026").await;
    let closed = person
        .post("/seguimiento/PM-ST-2026/rondas", &[("csrf", &csrf)])
        .await;
    assert_eq!(closed.status(), 303);
    assert!(
        person
            .text(&format!("/visitas/{id}"))
            .await
            .contains("concluida")
    );
    let concluded = person
        .text("/visitas?estado=concluded&unidad=SIDSS-ST")
        .await;
    assert!(concluded.contains(&format!("href=\"/visitas/{id}\"")));
    let planned = person.text("/visitas?estado=planned").await;
    assert!(!planned.contains(&format!("href=\"/visitas/{id}\"")));
    let unknown = person.get("/visitas?unidad=NO-EXISTE").await;
    says(
        &expect_page(unknown, 422).await,
        &["La unidad «NO-EXISTE» no existe."],
    );
}

/// Sends `body` (JSON) with `token`.
async fn api(
    app: &TestApp,
    token: &str,
    method: reqwest::Method,
    path: &str,
    body: Option<&Value>,
) -> (u16, String, Value) {
    let mut request = reqwest::Client::new()
        .request(method, format!("{}{path}", app.address))
        .header("authorization", format!("Bearer {token}"));
    if let Some(body) = body {
        request = request
            .header("content-type", "application/json")
            .body(body.to_string());
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let location = response
        .headers()
        .get("location")
        .map(|l| l.to_str().unwrap().to_owned())
        .unwrap_or_default();
    let body = response.json().await.unwrap_or(Value::Null);
    (status, location, body)
}

async fn the_api_plans_a_visit_records_its_finding_and_makes_its_plan(app: TestApp) {
    use reqwest::Method;
    let token = app.api_token("secretario").await;
    let visit = json!({
        "modality": "on_site",
        "units": ["Secretario Técnico"],
        "from": "2026-03-09",
        "to": "2026-03-10",
        "team": ["secretario"],
        "purpose": "Visita de evaluación",
        "aspects": ["Archivo de trámite"],
    });
    let (status, _, body) = api(
        &app,
        &token,
        Method::POST,
        "/api/v1/visits",
        Some(&json!({
            "modality": "remote", "units": ["NO-EXISTE"], "from": "2026-03-10", "to": "2026-03-09",
            "team": ["secretario"], "purpose": "x", "aspects": ["y"],
        })),
    )
    .await;
    assert_eq!(status, 422, "{body}");
    let fields = crate::common::refused_fields(&body);
    assert_eq!(fields, ["units[0]", "to"]);
    let (status, location, body) =
        api(&app, &token, Method::POST, "/api/v1/visits", Some(&visit)).await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["units"], json!(["SIDSS-ST"]));
    assert_eq!(body["state"], "planned");
    let id = body["id"].as_i64().unwrap();
    assert_eq!(location, format!("/api/v1/visits/{id}"));

    let multipart = multipart_named(
        &[
            ("aspect", "Archivo de trámite"),
            ("description", "Expedientes sin inventario"),
            ("severity", "medium"),
        ],
        "evidence",
        Some(&pdf()),
    );
    let (status, body) = Api::of(&app, "secretario")
        .await
        .post_multipart(&format!("/api/v1/visits/{id}/findings"), multipart)
        .await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["findings"][0]["evidence"], "cedula.pdf");
    assert_eq!(body["state"], "findings");

    let plan = json!({
        "key": "PM-API",
        "actions": [{
            "finding": 1,
            "description": "Inventariar los expedientes",
            "responsible": "SIDSS-ST",
            "start": "2026-04-06",
            "end": "2026-05-29",
        }],
    });
    let path = format!("/api/v1/visits/{id}/plan");
    let (status, location, body) = api(&app, &token, Method::POST, &path, Some(&plan)).await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(location, "/api/v1/programs/PM-API");
    assert_eq!(body["plan"], "PM-API");
    let (status, _, _) = api(&app, &token, Method::POST, &path, Some(&plan)).await;
    assert_eq!(status, 409);
    let (status, _, body) = api(
        &app,
        &token,
        Method::GET,
        "/api/v1/visits?state=follow_up",
        None,
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(body.as_array().unwrap().len(), 1);
    let printed = reqwest::Client::new()
        .get(format!("{}/api/v1/visits/{id}/pdf", app.address))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(printed.status(), 200);
    assert_eq!(header(&printed, "content-type"), "application/pdf");
    assert!(printed.bytes().await.unwrap().starts_with(b"%PDF-"));
    let (status, _, _) = api(&app, &token, Method::GET, "/api/v1/visits/999999/pdf", None).await;
    assert_eq!(status, 404);
    let (_, _, program) = api(&app, &token, Method::GET, "/api/v1/programs/PM-API", None).await;
    assert_eq!(program["items"][0]["activities"][0]["end"], "2026-05-29");
    let consulta = app.api_token("consulta").await;
    let (status, _, _) = api(
        &app,
        &consulta,
        Method::POST,
        "/api/v1/visits",
        Some(&visit),
    )
    .await;
    assert_eq!(status, 403);
}

on_both_backends! {
    a_remote_visit_is_planned_found_and_followed_to_its_conclusion,
    the_api_plans_a_visit_records_its_finding_and_makes_its_plan,
}
