//! Nothing a person typed is lost, and no answer is a dead end: error pages in Spanish with
//! the menu, invalid forms shown again with every problem next to its field and the values
//! kept.

use crate::common::*;
use turno_store::Store;

/// The main menu of a signed-in person's pages.
const MENU: &str = "<nav class=\"main\"";

async fn error_pages_are_spanish_with_the_menu(app: TestApp) {
    let consulta = app.signed_in("consulta").await;
    let response = consulta.get("/no-existe/en/turno").await;
    let page = expect_page(response, 404).await;
    assert!(page.contains("lang=\"es-MX\"") && page.contains("No encontrado"));
    assert!(
        page.contains(MENU) && page.contains("Mi bandeja</a>"),
        "{page}"
    );
    // A page the person may not see: 403, with the menu to go on.
    let response = consulta.get("/admin/personas").await;
    let page = expect_page(response, 403).await;
    assert!(
        page.contains("Sin permiso") && page.contains(MENU),
        "{page}"
    );
    // A folio that does not exist, under a route that does.
    let response = consulta.get("/asuntos/CAS-1999-000001").await;
    assert_eq!(response.status(), 404);
    assert!(response.text().await.unwrap().contains(MENU));

    // Signed out: the same Spanish page, without a menu.
    let stranger = app.browser();
    let response = stranger.get("/no-existe").await;
    let page = expect_page(response, 404).await;
    assert!(
        page.contains("No encontrado") && !page.contains(MENU),
        "{page}"
    );

    // The API keeps its JSON errors.
    let response = stranger.get("/api/v1/no-existe").await;
    assert_eq!(response.status(), 404);
    assert!(header(&response, "content-type").contains("json"));
}

/// Sends `form` (pairs of owned values) as a page's form.
async fn send(browser: &Browser, path: &str, form: &[(&str, String)]) -> reqwest::Response {
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    browser.post(path, &pairs).await
}

async fn a_refused_person_keeps_every_value_and_every_problem(app: TestApp) {
    let admin = app.signed_in("admin").await;
    let csrf = admin.csrf("/admin/personas").await;
    let refused = admin
        .post(
            "/admin/personas",
            &[
                ("csrf", &csrf),
                ("login", "María López"),
                ("nombre", "María López Ruiz"),
                ("correo", "sin-arroba"),
                ("contrasena", "corta"),
            ],
        )
        .await;
    let page = expect_says(
        refused,
        422,
        &[
            "El usuario lleva solo minúsculas sin acentos",
            "«sin-arroba» no es un correo electrónico válido.",
            "La contraseña debe tener de 12 a 300 caracteres.",
        ],
    )
    .await;
    // Each next to its field, and what was typed (but the password) in it again.
    assert!(page.contains("id=\"alta-login-error\""));
    assert!(page.contains("id=\"alta-correo-error\""));
    assert!(page.contains("id=\"alta-contrasena-error\""));
    assert!(page.contains("value=\"María López\"") && page.contains("value=\"María López Ruiz\""));
    assert!(page.contains("value=\"sin-arroba\"") && !page.contains("value=\"corta\""));
    assert!(
        page.contains("maxlength=\"64\""),
        "the login's limit is on the page"
    );
}

async fn a_refused_motive_keeps_its_values(app: TestApp) {
    let admin = app.signed_in("admin").await;
    let csrf = admin.csrf("/admin/motivos").await;
    let long = "x".repeat(301);
    let code = "MED-".repeat(11);
    let refused = admin
        .post(
            "/admin/motivos",
            &[
                ("csrf", &csrf),
                ("clave", &code),
                ("nombre", &long),
                ("tipo", "queja"),
            ],
        )
        .await;
    let page = expect_page(refused, 422).await;
    assert!(page.contains("id=\"m-clave-error\"") && page.contains("id=\"m-nombre-error\""));
    says(
        &page,
        &[
            "El nombre pasa de 300 caracteres",
            "La clave pasa de 40 caracteres",
        ],
    );
    assert!(page.contains(&format!("value=\"{code}\"")));
    assert!(
        page.contains("value=\"queja\" checked"),
        "the type chosen stays chosen"
    );
}

async fn a_refused_suplencia_keeps_its_oficio(app: TestApp) {
    let secretario = app.signed_in("secretario").await;
    let csrf = secretario.csrf("/suplencias").await;
    let pdf = File {
        name: "Oficio ST-045-2026.pdf",
        mime: "application/pdf",
        content: PDF,
    };
    let fields = |csrf: &str, until: &str, held: Option<&str>| {
        let mut form = vec![
            ("csrf", csrf.to_owned()),
            ("titularidad", "secretario SIDSS-ST".to_owned()),
            ("suplente", "asesor".to_owned()),
            ("desde", "2099-01-10".to_owned()),
            ("hasta", until.to_owned()),
            ("motivo", "Comisión oficial del titular".to_owned()),
        ];
        if let Some(held) = held {
            form.push(("archivo_retenido", held.to_owned()));
        }
        form
    };
    let form = fields(&csrf, "no es fecha", None);
    let borrowed: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let refused = secretario
        .post_multipart(
            "/suplencias",
            multipart_named(&borrowed, "oficio", Some(&pdf)),
        )
        .await;
    let page = expect_says(refused, 422, &["id=\"sup-hasta-error\""]).await;
    assert!(page.contains("value=\"Comisión oficial del titular\""));
    assert!(page.contains("Se conserva el archivo recibido, «Oficio ST-045-2026.pdf»"));
    let held = hidden(&page, "archivo_retenido");

    // Sent again without choosing the file again: the one held is the oficio.
    let form = fields(&csrf_in(&page), "2099-01-20", Some(&held));
    let borrowed: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let named = secretario
        .post_multipart("/suplencias", multipart_named(&borrowed, "oficio", None))
        .await;
    assert_eq!(named.status(), 303);
    let oficio = secretario.get("/suplencias/1/oficio").await;
    assert_eq!(oficio.bytes().await.unwrap().as_ref(), PDF);

    // A digest held by another session names nothing there.
    let admin = app.signed_in("admin").await;
    let form = fields(&admin.csrf("/suplencias").await, "2099-01-20", Some(&held));
    let borrowed: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let refused = admin
        .post_multipart("/suplencias", multipart_named(&borrowed, "oficio", None))
        .await;
    assert_eq!(refused.status(), 422);
    assert!(refused.text().await.unwrap().contains("constancia escrita"));
}

async fn the_case_forms_keep_what_was_typed(app: TestApp) {
    let secretario = app.signed_in("secretario").await;
    let folio = secretario.register_report().await;
    let page = secretario.text(&format!("/asuntos/{folio}")).await;
    let base = vec![
        ("csrf", csrf_in(&page)),
        ("item", hidden(&page, "item")),
        ("version", hidden(&page, "version")),
        ("clave", hidden(&page, "clave")),
    ];
    // An observation too long: the page again, the problem under it, the text in it.
    let long = format!("Revisado {}", "y".repeat(4000));
    let mut form = base.clone();
    form.push(("observaciones", long.clone()));
    let refused = send(&secretario, &format!("/asuntos/{folio}/atender"), &form).await;
    let page = expect_says(refused, 422, &["La observación pasa de 4000 caracteres"]).await;
    assert!(page.contains(&format!(">{long}</textarea>")));
    assert!(page.contains("maxlength=\"4000\""));

    // A term that is no number: the turn form again, open, with its instruction.
    let mut form = base.clone();
    form.extend([
        ("unidades", "SIDSS-CAS".to_owned()),
        ("instruccion", "Revise el anexo".to_owned()),
        ("plazo", "diez".to_owned()),
    ]);
    let refused = send(&secretario, &format!("/asuntos/{folio}/turnar"), &form).await;
    let page = expect_says(refused, 422, &["Plazo no válido"]).await;
    assert!(page.contains(">Revise el anexo</textarea>"));
    assert!(page.contains("value=\"diez\""));
    assert!(page.contains("<details class=\"turn\" open>"));
}

async fn a_second_tab_is_told_what_changed_and_keeps_its_text(app: TestApp) {
    let secretario = app.signed_in("secretario").await;
    let folio = secretario.register_report().await;
    let path = format!("/asuntos/{folio}");
    // Two tabs on the same page.
    let first = secretario.text(&path).await;
    let second = secretario.text(&path).await;
    let form = |page: &str, text: &str| {
        vec![
            ("csrf", csrf_in(page)),
            ("item", hidden(page, "item")),
            ("version", hidden(page, "version")),
            ("clave", hidden(page, "clave")),
            ("observaciones", text.to_owned()),
        ]
    };
    let done = send(
        &secretario,
        &format!("{path}/atender"),
        &form(&first, "Primera"),
    )
    .await;
    assert_eq!(done.status(), 303);
    let late = send(
        &secretario,
        &format!("{path}/atender"),
        &form(&second, "Lo que escribí en la otra pestaña"),
    )
    .await;
    let page = expect_says(late, 409, &["El asunto cambió mientras usted escribía"]).await;
    // Who did what, and when.
    says(&page, &["Atendió la actividad 1.1", "<strong>secretario"]);
    // The text typed, to copy.
    says(&page, &["Lo que escribí en la otra pestaña</textarea>"]);

    // Back to the first tab and submit again (or a double click): nothing is done twice.
    let again = send(
        &secretario,
        &format!("{path}/atender"),
        &form(&first, "Primera"),
    )
    .await;
    assert_eq!(again.status(), 303);
    let record = secretario.text(&path).await;
    assert_eq!(
        record.matches("Atendió la actividad 1.1").count(),
        1,
        "{record}"
    );
}

async fn registering_twice_with_one_form_registers_once(app: TestApp) {
    let secretario = app.signed_in("secretario").await;
    let path = "/registrar/sidss-informes-oficiales";
    let page = secretario.text(path).await;
    let form = vec![
        ("csrf", csrf_in(&page)),
        ("clave", hidden(&page, "clave")),
        ("asunto", "Informe anual".to_owned()),
        ("medio", "Oficio".to_owned()),
        ("solicitante", "DGPLADES".to_owned()),
        ("tipo_informe", "Informe trimestral".to_owned()),
        ("direccion_general", "DGPLADES".to_owned()),
    ];
    let first = send(&secretario, path, &form).await;
    assert_eq!(first.status(), 303);
    // Back and submit again: the same acuse, no second case.
    let second = send(&secretario, path, &form).await;
    assert_eq!(second.status(), 303);
    assert_eq!(first.headers()["location"], second.headers()["location"]);
    assert!(
        app.store
            .find_case("CAS-2026-000002")
            .await
            .unwrap()
            .is_none()
    );

    // A title too long is told next to it, with everything typed kept.
    let page = secretario.text(path).await;
    let long = "t".repeat(301);
    let mut form = form.clone();
    form[0].1 = csrf_in(&page);
    form[1].1 = hidden(&page, "clave");
    form[2].1 = long.clone();
    let refused = send(&secretario, path, &form).await;
    let page = expect_says(refused, 422, &["id=\"f-asunto-error\""]).await;
    assert!(page.contains(&format!("value=\"{long}\"")));
    assert!(page.contains("value=\"DGPLADES\""));
}

on_both_backends! {
    error_pages_are_spanish_with_the_menu,
    a_refused_person_keeps_every_value_and_every_problem,
    a_refused_motive_keeps_its_values,
    a_refused_suplencia_keeps_its_oficio,
    the_case_forms_keep_what_was_typed,
    a_second_tab_is_told_what_changed_and_keeps_its_text,
    registering_twice_with_one_form_registers_once,
}
