//! The web application as people use it, on SQLite and PostgreSQL: signing in, registering a
//! matter, acting on it, and never seeing what is not theirs.

use crate::common::{TestApp, csrf_in, expect_page, header, hidden, says};
use turno_store::Store;

async fn pages_need_a_signed_in_person(app: TestApp) {
    let browser = app.browser();
    for path in [
        "/bandeja",
        "/asuntos/CAS-2026-000001",
        "/registrar",
        "/registrar/sidss-informes-oficiales",
        "/procedimientos",
        "/procedimientos/sidss-informes-oficiales",
        "/asuntos/CAS-2026-000001/acuse",
    ] {
        let response = browser.get(path).await;
        assert_eq!(response.status(), 303, "{path}");
        let location = header(&response, "location");
        assert!(
            location.starts_with("/acceso?next=/"),
            "{path} → {location}"
        );
    }
    assert_eq!(browser.get("/healthz").await.status(), 200);
    assert_eq!(browser.get("/static/turno.css").await.status(), 200);
}

async fn every_response_carries_the_security_headers(app: TestApp) {
    let browser = app.browser();
    for path in [
        "/acceso",
        "/bandeja",
        "/healthz",
        "/static/turno.css",
        "/no-existe",
    ] {
        let response = browser.get(path).await;
        let headers = response.headers();
        let csp = headers["content-security-policy"].to_str().unwrap();
        assert!(
            csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"),
            "{path}"
        );
        assert!(csp.contains("frame-ancestors 'none'"), "{path}");
        assert_eq!(headers["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(headers["referrer-policy"], "same-origin", "{path}");
    }
    // A first visit gets its session cookie.
    let response = app.browser().get("/acceso").await;
    let cookie = header(&response, "set-cookie");
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );
}

/// Issue 16, hole 10: a page or an answer showing a case, a petition, personal data or a form
/// is kept by no browser or proxy cache; only the static files are cached. HSTS only when
/// served over https.
async fn only_static_files_are_cached(app: TestApp) {
    let secretario = app.signed_in("secretario").await;
    let folio = secretario.register_report().await;
    let token = app.api_token("secretario").await;
    let api = reqwest::Client::new();
    for path in [
        "/acceso".to_owned(),
        "/bandeja".to_owned(),
        format!("/asuntos/{folio}"),
        format!("/asuntos/{folio}/acuse"),
        "/no-existe".to_owned(),
        "/atencion".to_owned(),
    ] {
        let response = secretario.get(&path).await;
        assert_eq!(response.headers()["cache-control"], "no-store", "{path}");
        assert!(
            !response.headers().contains_key("strict-transport-security"),
            "{path}: plain HTTP"
        );
    }
    // An empty registration form is kept for Back with its one-time key, by this browser only.
    let form = secretario.get("/registrar/sidss-informes-oficiales").await;
    assert_eq!(form.headers()["cache-control"], "private, no-cache");
    for path in [format!("/api/v1/cases/{folio}"), "/api/v1/inbox".to_owned()] {
        let response = api
            .get(format!("{}{path}", app.address))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200, "{path}");
        assert_eq!(response.headers()["cache-control"], "no-store", "{path}");
    }
    let css = secretario.get("/static/turno.css").await;
    assert!(
        css.headers()["cache-control"]
            .to_str()
            .unwrap()
            .contains("max-age"),
        "static files are cached"
    );

    let https = TestApp::serve(turno_web::AppState {
        https: true,
        ..app.state.clone()
    })
    .await;
    for path in ["/acceso", "/static/turno.css"] {
        let response = https.browser().get(path).await;
        assert_eq!(
            response.headers()["strict-transport-security"],
            "max-age=31536000; includeSubDomains",
            "{path}"
        );
    }
}

async fn signing_in_and_out(app: TestApp) {
    let browser = app.browser();
    let wrong = browser.sign_in("secretario", "no es").await;
    says(
        &expect_page(wrong, 200).await,
        &["Usuario o contraseña incorrectos."],
    );
    let unknown = browser.sign_in("nadie", "x").await.text().await.unwrap();
    assert!(
        unknown.contains("Usuario o contraseña incorrectos."),
        "no hint that a login exists"
    );

    let right = browser.sign_in("secretario", crate::common::PASSWORD).await;
    assert_eq!(right.status(), 303);
    let inbox = browser.text("/bandeja").await;
    assert!(inbox.contains("Mi bandeja") && inbox.contains("Persona secretario"));

    let csrf = csrf_in(&inbox);
    assert_eq!(browser.post("/salir", &[("csrf", "x")]).await.status(), 400);
    assert_eq!(
        browser.post("/salir", &[("csrf", &csrf)]).await.status(),
        303
    );
    assert_eq!(browser.get("/bandeja").await.status(), 303, "signed out");
}

async fn failed_sign_ins_make_the_next_ones_wait(app: TestApp) {
    let browser = app.browser();
    for _ in 0..3 {
        browser.sign_in("asesor", "mal").await;
    }
    // After three failures even the right password must wait.
    let page = browser.sign_in("asesor", crate::common::PASSWORD).await;
    assert_eq!(page.status(), 429);
    assert!(
        page.text()
            .await
            .unwrap()
            .contains("Demasiados intentos fallidos")
    );
    // Other logins are not affected.
    assert_eq!(
        browser
            .sign_in("secretario", crate::common::PASSWORD)
            .await
            .status(),
        303
    );
}

async fn forms_without_the_csrf_token_are_refused(app: TestApp) {
    let browser = app.signed_in("secretario").await;
    let response = browser
        .post(
            "/registrar/sidss-informes-oficiales",
            &[
                ("csrf", "0000"),
                ("asunto", "x"),
                ("tipo_informe", "x"),
                ("direccion_general", "x"),
            ],
        )
        .await;
    assert_eq!(response.status(), 400);
    assert!(
        app.store
            .find_case("CAS-2026-000001")
            .await
            .unwrap()
            .is_none(),
        "nothing was registered"
    );
}

async fn a_matter_is_registered_turned_and_answered(app: TestApp) {
    let secretario = app.signed_in("secretario").await;
    let folio = secretario.register_report().await;
    assert_eq!(folio, format!("CAS-{}-000001", jiff::Zoned::now().year()));

    let receipt = secretario.text(&format!("/asuntos/{folio}/acuse")).await;
    assert!(receipt.contains("Acuse de registro") && receipt.contains(&folio));
    assert!(
        receipt.contains("Secretario Técnico"),
        "turned to the Secretario Técnico"
    );

    let inbox = secretario.text("/bandeja").await;
    assert!(inbox.contains(&folio) && inbox.contains("1.1"));

    // 1.1 → 2.1 → 2.2 «No» returns to 1.2 (corrections requested).
    for outcome in [None, None, Some("No")] {
        assert_eq!(secretario.act(&folio, outcome, &[]).await.status(), 303);
    }
    let page = secretario.text(&format!("/asuntos/{folio}")).await;
    assert!(page.contains("Actividad 2.2 atendida."), "flash message");
    assert!(page.contains("Atendió la actividad 2.2: «No»"), "timeline");
    assert!(page.contains("<h3>1.2"), "back at 1.2");
    let again = secretario.text(&format!("/asuntos/{folio}")).await;
    assert!(!again.contains("Actividad 2.2 atendida."), "shown once");

    // 1.2 → 2.1 → 2.2 «Sí» → 3.1 → 4.1, the Coordinación de Asesores'.
    for outcome in [None, None, Some("Sí"), None] {
        assert_eq!(secretario.act(&folio, outcome, &[]).await.status(), 303);
    }
    assert!(!secretario.text("/bandeja").await.contains(&folio));
    let asesor = app.signed_in("asesor").await;
    assert!(asesor.text("/bandeja").await.contains(&folio));
    let certificate = crate::common::efirma_of(&app, "asesor").await;
    assert_eq!(
        asesor
            .act_signed(&folio, Some("Sí"), &certificate)
            .await
            .status(),
        303
    );

    // 5.1 asks how it was sent.
    let page = secretario.text(&format!("/asuntos/{folio}")).await;
    assert!(page.contains("name=\"medio_envio\""));
    let csrf = csrf_in(&page);
    let (item, version) = (hidden(&page, "item"), hidden(&page, "version"));
    let missing = secretario
        .post(
            &format!("/asuntos/{folio}/atender"),
            &[("csrf", &csrf), ("item", &item), ("version", &version)],
        )
        .await;
    assert_eq!(missing.status(), 422);
    let sent = secretario
        .post(
            &format!("/asuntos/{folio}/atender"),
            &[
                ("csrf", &csrf),
                ("item", &item),
                ("version", &version),
                ("medio_envio", "Oficio"),
            ],
        )
        .await;
    assert_eq!(sent.status(), 303);
    assert_eq!(secretario.act(&folio, None, &[]).await.status(), 303);
    let page = secretario.text(&format!("/asuntos/{folio}")).await;
    assert!(page.contains("concluido") && page.contains("TERMINA PROCEDIMIENTO"));
    assert_eq!(app.store.verify().await.unwrap().breaks, []);
}

async fn a_stale_page_cannot_answer_twice(app: TestApp) {
    let secretario = app.signed_in("secretario").await;
    let folio = secretario.register_report().await;
    let page = secretario.text(&format!("/asuntos/{folio}")).await;
    let form = [
        ("csrf", csrf_in(&page)),
        ("item", hidden(&page, "item")),
        ("version", hidden(&page, "version")),
    ];
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(
        secretario
            .post(&format!("/asuntos/{folio}/atender"), &form)
            .await
            .status(),
        303
    );
    let again = secretario
        .post(&format!("/asuntos/{folio}/atender"), &form)
        .await;
    assert_eq!(again.status(), 409);
    assert!(again.text().await.unwrap().contains("Otra persona atendió"));
}

async fn cases_of_other_units_are_forbidden_and_show_nothing(app: TestApp) {
    let secretario = app.signed_in("secretario").await;
    let folio = secretario.register_report().await;
    let ajeno = app.signed_in("ajeno").await;
    for path in [
        format!("/asuntos/{folio}"),
        format!("/asuntos/{folio}/acuse"),
    ] {
        let response = ajeno.get(&path).await;
        assert_eq!(response.status(), 403, "{path}");
        let body = response.text().await.unwrap();
        assert!(
            !body.contains("DGPLADES") && !body.contains("Informe trimestral"),
            "{path}"
        );
    }
    let csrf = ajeno.csrf("/bandeja").await;
    let response = ajeno
        .post(
            &format!("/asuntos/{folio}/atender"),
            &[("csrf", &csrf), ("item", "1"), ("version", "2")],
        )
        .await;
    assert_eq!(response.status(), 403);
    assert!(!ajeno.text("/bandeja").await.contains(&folio));
    // A folio that does not exist is a 404, not a hint.
    assert_eq!(ajeno.get("/asuntos/CAS-1999-000001").await.status(), 404);
    // The administrator sees it; the consulta role sees it but cannot act.
    assert_eq!(
        app.signed_in("admin")
            .await
            .get(&format!("/asuntos/{folio}"))
            .await
            .status(),
        200
    );
    let consulta = app.signed_in("consulta").await;
    let page = consulta.text(&format!("/asuntos/{folio}")).await;
    assert!(page.contains(&folio) && !page.contains("/atender"));
}

async fn the_catalog_shows_each_procedure_with_its_diagram(app: TestApp) {
    let browser = app.signed_in("consulta").await;
    let list = browser.text("/procedimientos").await;
    assert!(list.contains("sidss-informes-oficiales"));
    let page = browser
        .text("/procedimientos/sidss-informes-oficiales")
        .await;
    for section in [
        "1.0 Propósito",
        "4.0 Descripción del procedimiento",
        "7.0 Registros",
        "<svg",
    ] {
        assert!(page.contains(section), "{section}");
    }
    assert_eq!(browser.get("/procedimientos/no-existe").await.status(), 404);

    // The diagram to download, as SVG and as a PDF page of the drawing's own size.
    let base = "/procedimientos/sidss-informes-oficiales/diagrama";
    for link in [".pdf", ".svg"] {
        assert!(
            page.contains(&format!("href=\"{base}{link}\" download")),
            "{link}: {page}"
        );
    }
    let svg = browser.get(&format!("{base}.svg")).await;
    assert_eq!(svg.status(), 200);
    assert_eq!(svg.headers()["content-type"], "image/svg+xml");
    assert!(
        header(&svg, "content-disposition").contains("diagrama-sidss-informes-oficiales-v2.svg")
    );
    let svg = svg.text().await.unwrap();
    assert!(svg.starts_with("<svg") && svg.contains("Diagrama de flujo"));
    let pdf = browser.get(&format!("{base}.pdf")).await;
    assert_eq!(pdf.status(), 200);
    assert_eq!(pdf.headers()["content-type"], "application/pdf");
    let pdf = pdf.bytes().await.unwrap();
    assert!(pdf.starts_with(b"%PDF"));
    let text = String::from_utf8_lossy(&pdf);
    assert!(text.contains("/Count 1"), "the drawing on one page");
    assert!(text.contains("DejaVu"), "the text is embedded in DejaVu");
    assert_eq!(
        browser
            .get("/procedimientos/no-existe/diagrama.pdf")
            .await
            .status(),
        404
    );

    // The official manual, as Word and as PDF.
    let base = "/procedimientos/sidss-informes-oficiales/manual";
    for (link, mime, magic) in [
        (
            ".docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            &b"PK"[..],
        ),
        (".pdf", "application/pdf", &b"%PDF"[..]),
    ] {
        assert!(
            page.contains(&format!("href=\"{base}{link}\" download")),
            "{link}: {page}"
        );
        let file = browser.get(&format!("{base}{link}")).await;
        assert_eq!(file.status(), 200, "{link}");
        assert_eq!(file.headers()["content-type"], mime);
        assert!(
            header(&file, "content-disposition")
                .contains(&format!("manual-sidss-informes-oficiales-v2{link}"))
        );
        assert!(file.bytes().await.unwrap().starts_with(magic), "{link}");
    }
    assert_eq!(
        browser
            .get("/procedimientos/no-existe/manual.docx")
            .await
            .status(),
        404
    );

    // The procedure as BPMN 2.0, for modelers.
    let bpmn = "/procedimientos/sidss-informes-oficiales/proceso.bpmn";
    assert!(
        page.contains(&format!("href=\"{bpmn}\" download>BPMN 2.0</a>")),
        "{page}"
    );
    let file = browser.get(bpmn).await;
    assert_eq!(file.status(), 200);
    assert_eq!(file.headers()["content-type"], "application/xml");
    assert!(header(&file, "content-disposition").contains("sidss-informes-oficiales-v2.bpmn"));
    let xml = file.text().await.unwrap();
    assert!(xml.contains("<bpmn:userTask id=\"Activity_2.2\""), "{xml}");
    assert_eq!(
        browser
            .get("/procedimientos/no-existe/proceso.bpmn")
            .await
            .status(),
        404
    );
}

async fn an_activity_is_turned_to_units_chosen_on_the_spot(app: TestApp) {
    let secretario = app.signed_in("secretario").await;
    let folio = secretario.register_report().await;
    assert_eq!(secretario.act(&folio, None, &[]).await.status(), 303);
    let page = secretario.text(&format!("/asuntos/{folio}")).await;
    assert!(page.contains("<h3>2.1") && page.contains("Turnar a otras unidades"));
    let (csrf, item, version) = (
        csrf_in(&page),
        hidden(&page, "item"),
        hidden(&page, "version"),
    );
    let turn = |units: &'static [&'static str], instruction: &'static str| {
        let mut form = vec![
            ("csrf", csrf.clone()),
            ("item", item.clone()),
            ("version", version.clone()),
            ("instruccion", instruction.to_owned()),
            ("plazo", "5".to_owned()),
        ];
        form.extend(units.iter().map(|u| ("unidades", (*u).to_owned())));
        form
    };
    let path = format!("/asuntos/{folio}/turnar");
    async fn post(
        who: &crate::common::Browser,
        path: &str,
        form: Vec<(&str, String)>,
    ) -> reqwest::Response {
        let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
        who.post(path, &pairs).await
    }

    // A unit that does not exist, or no instruction: refused, nothing turned.
    let unknown = post(&secretario, &path, turn(&["NO-EXISTE"], "Opine")).await;
    says(&expect_page(unknown, 422).await, &["«NO-EXISTE» no existe"]);
    let empty = post(&secretario, &path, turn(&["SIDSS-CAS"], " ")).await;
    says(&expect_page(empty, 422).await, &["Escriba la instrucción"]);
    // Someone of another unit, or who only consults, may not turn it.
    let ajeno = app.signed_in("ajeno").await;
    let mut form = turn(&["SIDSS-CAS"], "Opine");
    form[0].1 = ajeno.csrf("/bandeja").await;
    assert_eq!(post(&ajeno, &path, form).await.status(), 403);
    let consulta = app.signed_in("consulta").await;
    let mut form = turn(&["SIDSS-CAS"], "Opine");
    form[0].1 = consulta.csrf("/bandeja").await;
    let denied = post(&consulta, &path, form).await;
    assert_eq!(denied.status(), 403);
    // They see the case, so the page says why, as the API does.
    assert!(
        denied
            .text()
            .await
            .unwrap()
            .contains("su papel solo permite consultar")
    );

    let turned = post(
        &secretario,
        &path,
        turn(&["SIDSS-CAS"], "Revise las cifras del anexo"),
    )
    .await;
    assert_eq!(turned.status(), 303);
    let page = secretario.text(&format!("/asuntos/{folio}")).await;
    assert!(page.contains("Actividad 2.1 turnada a Coordinación de Asesores."));
    assert!(page.contains("Turnada a Coordinación de Asesores: espera su respuesta."));
    assert!(
        page.contains("Instrucción: Revise las cifras del anexo"),
        "timeline"
    );

    // The Coordinación de Asesores now sees the matter in its inbox and answers its turn.
    let asesor = app.signed_in("asesor").await;
    assert!(asesor.text("/bandeja").await.contains(&folio));
    let page = asesor.text(&format!("/asuntos/{folio}")).await;
    assert!(page.contains("Responder turno") && !page.contains("name=\"outcome\""));
    // The Secretario Técnico cannot complete 2.1 before that answer.
    let early = secretario.act(&folio, None, &[]).await;
    says(
        &expect_page(early, 409).await,
        &["espera la respuesta de SIDSS-CAS"],
    );
    assert_eq!(asesor.act(&folio, None, &[]).await.status(), 303);
    assert!(!asesor.text("/bandeja").await.contains(&folio));
    // The unit took part: the case stays visible to it; a unit never turned to still gets 403.
    assert_eq!(asesor.get(&format!("/asuntos/{folio}")).await.status(), 200);
    assert_eq!(ajeno.get(&format!("/asuntos/{folio}")).await.status(), 403);

    let page = secretario.text(&format!("/asuntos/{folio}")).await;
    assert!(page.contains("Respondió, por Coordinación de Asesores, el turno de la actividad 2.1"));
    assert_eq!(secretario.act(&folio, None, &[]).await.status(), 303);
    assert!(
        secretario
            .text(&format!("/asuntos/{folio}"))
            .await
            .contains("<h3>2.2")
    );
    assert_eq!(app.store.verify().await.unwrap().breaks, []);
}

/// The turn form and the search's filter offer units grouped by institution, each named with
/// its institution and code, so that two «Coordinación de Asesores» read apart; the page works
/// as a plain form and loads the searchable chooser from Turno itself.
async fn units_are_chosen_by_institution_with_their_code(app: TestApp) {
    use turno_domain::org::Level;
    for (code, name, level, parent) in [
        (
            "SIDSS",
            "Subsecretaría de Integración y Desarrollo del Sector Salud",
            Level::Subsecretaria,
            None,
        ),
        (
            "SIDSS-CAS",
            "Coordinación de Asesores",
            Level::Coordinacion,
            Some("SIDSS"),
        ),
        (
            "SIDSS-ST",
            "Secretario Técnico",
            Level::Unidad,
            Some("SIDSS"),
        ),
        (
            "CNPSS",
            "Comisión Nacional de Protección Social en Salud",
            Level::OrganoDesconcentrado,
            None,
        ),
        (
            "CNPSS-CA",
            "Coordinación de Asesores",
            Level::Coordinacion,
            Some("CNPSS"),
        ),
    ] {
        let unit = turno_store::UnitInput {
            code: code.into(),
            name: name.into(),
            level,
            parent_code: parent.map(Into::into),
        };
        app.store.upsert_unit(&unit, "prueba").await.unwrap();
    }
    let secretario = app.signed_in("secretario").await;
    let folio = secretario.register_report().await;
    assert_eq!(secretario.act(&folio, None, &[]).await.status(), 303);
    let page = secretario.text(&format!("/asuntos/{folio}")).await;
    let group = |label: &str| {
        let start = page
            .find(&format!("<optgroup label=\"{label}\">"))
            .unwrap_or_else(|| panic!("group {label}"));
        page[start..start + page[start..].find("</optgroup>").unwrap()].to_owned()
    };
    let cnpss = group("Comisión Nacional de Protección Social en Salud");
    assert!(
        cnpss.contains(
            r#"<option value="CNPSS-CA">Coordinación de Asesores · CNPSS · CNPSS-CA</option>"#
        ),
        "{cnpss}"
    );
    assert!(cnpss.contains(
        r#"<option value="CNPSS">Comisión Nacional de Protección Social en Salud · CNPSS</option>"#
    ));
    assert!(!cnpss.contains("SIDSS"));
    let sidss = group("Subsecretaría de Integración y Desarrollo del Sector Salud");
    assert!(
        sidss.contains(
            r#"<option value="SIDSS-CAS">Coordinación de Asesores · SIDSS · SIDSS-CAS</option>"#
        ),
        "{sidss}"
    );
    // A unit with no institution above it is its own group.
    assert!(group("Otra unidad").contains("Otra unidad · OTRA-UNIDAD"));
    // Groups in alphabetical order, accents aside.
    assert!(
        page.find("Comisión Nacional").unwrap()
            < page.find("<optgroup label=\"Otra unidad\"").unwrap()
    );
    // A plain form with the chooser on top.
    assert!(
        page.contains(r#"name="unidades" multiple required"#) && page.contains("data-chooser=")
    );
    for script in [
        "/static/tom-select.complete.min.js",
        "/static/chooser.js",
        "/static/tom-select.min.css",
    ] {
        assert!(page.contains(script), "{script}");
        let asset = secretario.get(script).await;
        assert_eq!(asset.status(), 200, "{script}");
        assert!(asset.text().await.unwrap().len() > 500, "{script}");
    }

    // The search's filter, with the unit chosen kept, among the units the person may search.
    let search = secretario.text("/buscar?unidad=SIDSS-ST").await;
    assert!(
        search.contains(
            r#"<option value="SIDSS-ST" selected>Secretario Técnico · SIDSS · SIDSS-ST</option>"#
        ),
        "{search}"
    );
    assert!(!search.contains("CNPSS-CA"));
    assert!(search.contains(r#"<option value="">Todas</option>"#));
    assert!(search.contains("/static/chooser.js"));
}

/// A turn given by mistake is withdrawn from the case page by whoever may turn the activity;
/// the unit no longer has it in its inbox and the activity waits only for the others.
async fn a_turn_given_by_mistake_is_withdrawn_from_the_case_page(app: TestApp) {
    let secretario = app.signed_in("secretario").await;
    let folio = secretario.register_report().await;
    assert_eq!(secretario.act(&folio, None, &[]).await.status(), 303);
    let page = secretario.text(&format!("/asuntos/{folio}")).await;
    let (csrf, item, version) = (
        csrf_in(&page),
        hidden(&page, "item"),
        hidden(&page, "version"),
    );
    let turned = secretario
        .post(
            &format!("/asuntos/{folio}/turnar"),
            &[
                ("csrf", csrf.as_str()),
                ("item", &item),
                ("version", &version),
                ("instruccion", "Revise las cifras"),
                ("unidades", "SIDSS-CAS"),
                ("unidades", "OTRA-UNIDAD"),
            ],
        )
        .await;
    assert_eq!(turned.status(), 303);
    let ajeno = app.signed_in("ajeno").await;
    assert!(ajeno.text("/bandeja").await.contains(&folio));

    let page = secretario.text(&format!("/asuntos/{folio}")).await;
    assert!(page.contains("Turnada a Coordinación de Asesores, Otra unidad: espera su respuesta."));
    assert!(page.contains("Retirar un turno dado por error"));
    assert!(page.contains("Retirar el turno a Otra unidad"));
    let start = page
        .find("Motivo para retirar el turno a Otra unidad")
        .unwrap();
    let turn = hidden(&page[page[..start].rfind("<form").unwrap()..], "turno");
    let version = hidden(&page, "version");
    let form = |csrf: &str, reason: &str| {
        vec![
            ("csrf", csrf.to_owned()),
            ("item", item.clone()),
            ("version", version.clone()),
            ("turno", turn.clone()),
            ("motivo", reason.to_owned()),
        ]
    };
    let path = format!("/asuntos/{folio}/retirar-turno");
    async fn post(
        who: &crate::common::Browser,
        path: &str,
        form: Vec<(&str, String)>,
    ) -> reqwest::Response {
        let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
        who.post(path, &pairs).await
    }
    // Someone who only consults, or the turned unit, may not withdraw it.
    let consulta = app.signed_in("consulta").await;
    let denied = post(
        &consulta,
        &path,
        form(&consulta.csrf("/bandeja").await, "Error"),
    )
    .await;
    assert_eq!(denied.status(), 403);
    let denied = post(&ajeno, &path, form(&ajeno.csrf("/bandeja").await, "Error")).await;
    assert_eq!(denied.status(), 403);

    let withdrawn = post(&secretario, &path, form(&csrf, "Se turnó por error")).await;
    assert_eq!(withdrawn.status(), 303);
    let page = secretario.text(&format!("/asuntos/{folio}")).await;
    assert!(page.contains("Turno de la actividad 2.1 retirado."));
    assert!(page.contains("Turnada a Coordinación de Asesores: espera su respuesta."));
    assert!(
        page.contains("Retiró el turno de la actividad 2.1 a Otra unidad: Se turnó por error.")
    );
    assert!(!ajeno.text("/bandeja").await.contains(&folio));

    // The Coordinación de Asesores answers; the activity completes.
    let asesor = app.signed_in("asesor").await;
    assert_eq!(asesor.act(&folio, None, &[]).await.status(), 303);
    assert_eq!(secretario.act(&folio, None, &[]).await.status(), 303);
    assert!(
        secretario
            .text(&format!("/asuntos/{folio}"))
            .await
            .contains("<h3>2.2")
    );
    assert_eq!(app.store.verify().await.unwrap().breaks, []);
}

async fn a_suplente_acts_in_the_titulars_name_only_within_the_window(app: TestApp) {
    let secretario = app.signed_in("secretario").await;
    let folio = secretario.register_report().await;
    let id = |login: &'static str| {
        let store = app.store.clone();
        async move { store.user_by_login(login).await.unwrap().unwrap().user.id }
    };
    let suplente = app
        .store
        .create_user(
            &turno_store::NewUser {
                login: "suplente".into(),
                name: "Persona suplente".into(),
                email: None,
                password_hash: Some(
                    turno_web::auth::hash_password(crate::common::PASSWORD).unwrap(),
                ),
            },
            "admin",
        )
        .await
        .unwrap();
    let today = crate::common::today();
    let days = |n: i64| today.checked_add(jiff::Span::new().days(n)).unwrap();
    let delegation = |from, to| turno_store::NewDelegation {
        titular: 0,
        delegate: suplente,
        unit_code: "SIDSS-ST".into(),
        starts_on: from,
        ends_on: to,
        document_sha256: "b".repeat(64),
        document_name: "Oficio de suplencia.pdf".into(),
        reason: "Comisión del titular".into(),
    };
    let titular = id("secretario").await;
    // Starting tomorrow: today the suplente sees nothing.
    let later = app
        .store
        .create_delegation(
            &turno_store::NewDelegation {
                titular,
                ..delegation(days(1), days(5))
            },
            "secretario",
        )
        .await
        .unwrap();
    let browser = app.signed_in("suplente").await;
    assert_eq!(
        browser.get(&format!("/asuntos/{folio}")).await.status(),
        403
    );
    app.store
        .revoke_delegation(later, "secretario")
        .await
        .unwrap();

    // In force today: the suplente sees the unit's work and acts in the titular's name.
    app.store
        .create_delegation(
            &turno_store::NewDelegation {
                titular,
                ..delegation(today, days(3))
            },
            "secretario",
        )
        .await
        .unwrap();
    let browser = app.signed_in("suplente").await;
    assert!(browser.text("/bandeja").await.contains(&folio));
    assert_eq!(browser.act(&folio, None, &[]).await.status(), 303);
    let page = browser.text(&format!("/asuntos/{folio}")).await;
    assert!(
        page.contains("suplente (en suplencia de secretario)"),
        "the record shows both"
    );
    // Registering in the unit's name is on record the same way.
    let registered = browser.register_report().await;
    let page = browser.text(&format!("/asuntos/{registered}")).await;
    assert!(
        page.contains(
            "<strong>suplente (en suplencia de secretario)</strong> · Registró el asunto."
        )
    );
    assert_eq!(app.store.verify().await.unwrap().breaks, []);
}

async fn a_renamed_unit_keeps_its_name_in_what_happened_before(app: TestApp) {
    let secretario = app.signed_in("secretario").await;
    let folio = secretario.register_report().await;
    let today = crate::common::today();
    let renamed = format!(
        r#"[[unit]]
code = "SIDSS-ST"
name = "Secretaría Técnica de la Subsecretaría"
level = "unidad"
valid_from = "{}"

[[unit.before]]
name = "Secretario Técnico"
valid_to = "{today}"
"#,
        today.tomorrow().unwrap()
    );
    turno_store::organization::import(&app.store, &[("org.toml", &renamed)], "prueba")
        .await
        .unwrap();
    let page = secretario.text(&format!("/asuntos/{folio}")).await;
    assert!(
        page.contains("Turnó la actividad 1.1 a Secretario Técnico"),
        "the record as it was"
    );
    assert!(
        page.contains("1.1 · Secretaría Técnica de la Subsecretaría"),
        "the unit as it is"
    );
}

/// The entries of a case page's history.
fn history(page: &str) -> Vec<&str> {
    let start = page.find("<ol class=\"timeline\">").expect("the history");
    let end = start + page[start..].find("</ol>").unwrap();
    page[start..end].split("<li>").skip(1).collect()
}

/// A long record is shown 50 events to a page, the newest first, each activity named even
/// when the event that opened it is on the page before.
async fn a_long_history_is_shown_a_page_at_a_time(app: TestApp) {
    let secretario = app.signed_in("secretario").await;
    let folio = secretario.register_report().await;
    // 1.1, then 2.1 → 2.2 «No» → 1.2 round and round: two events a step, 26 steps.
    for step in 0..26 {
        let outcome = (step % 3 == 2).then_some("No");
        assert_eq!(secretario.act(&folio, outcome, &[]).await.status(), 303);
    }
    let events = 2 + 2 * 26;
    let newest = secretario.text(&format!("/asuntos/{folio}")).await;
    let told = history(&newest);
    assert_eq!(told.len(), 50, "{told:?}");
    assert!(
        newest.contains(&format!("{events} movimientos en total"))
            && newest.contains("Página 1 de 2")
            && newest.contains(&format!("href=\"/asuntos/{folio}?pagina=2\"")),
        "{newest}"
    );
    assert!(
        !newest.contains("Registró el asunto."),
        "the oldest are on page 2"
    );
    // Its first entry completes an activity opened on page 2: still named.
    assert!(told[0].contains("Atendió la actividad 2.1."), "{}", told[0]);
    assert!(
        told.iter()
            .all(|e| !e.contains("actividad :") && !e.contains("actividad .")),
        "{told:?}"
    );
    let oldest = secretario.text(&format!("/asuntos/{folio}?pagina=2")).await;
    let told = history(&oldest);
    assert_eq!(told.len(), events - 50, "{told:?}");
    assert!(told[0].contains("Registró el asunto."), "{}", told[0]);
    assert!(oldest.contains("Página 2 de 2") && oldest.contains("rel=\"prev\""));
    // A page past the last is the last.
    let past = secretario.text(&format!("/asuntos/{folio}?pagina=9")).await;
    assert_eq!(history(&past).len(), events - 50);
}

on_both_backends! {
    a_long_history_is_shown_a_page_at_a_time,
    a_renamed_unit_keeps_its_name_in_what_happened_before,
    a_suplente_acts_in_the_titulars_name_only_within_the_window,
    an_activity_is_turned_to_units_chosen_on_the_spot,
    units_are_chosen_by_institution_with_their_code,
    a_turn_given_by_mistake_is_withdrawn_from_the_case_page,
    pages_need_a_signed_in_person,
    every_response_carries_the_security_headers,
    only_static_files_are_cached,
    signing_in_and_out,
    failed_sign_ins_make_the_next_ones_wait,
    forms_without_the_csrf_token_are_refused,
    a_matter_is_registered_turned_and_answered,
    a_stale_page_cannot_answer_twice,
    cases_of_other_units_are_forbidden_and_show_nothing,
    the_catalog_shows_each_procedure_with_its_diagram,
}
