//! Handling petitions through the pages, on both backends: classify → volante → the Enlace
//! answers the FUR → review «No» → the Enlace answers again → review «Sí» → answered; the Enlace
//! of another entidad neither sees nor acts on it; a petition that needs no action is answered
//! with its e-mail in the outbox; and the whole loop from the public mailbox to the answer the
//! citizen sees, walked by following the links the pages offer (the Enlace told of the volante
//! and answering it with «Responder turno» on its case first).

use crate::common::calls;
use crate::common::{
    Browser, QUEJA_JAL, TestApp, csrf_in, expect_page, expect_says, header, hidden, says,
};
use crate::correspondence_incoming::principal;
use turno_domain::citizen::Channel::CallCenter;
use turno_domain::citizen::PetitionKind::Complaint;
use turno_store::notifications::Notifications;
use turno_store::{Handling, Role, Store};
use turno_web::scheduler;

/// The DVS, two entidades' Enlaces, a motive, and two calls: AC-2026-000001 (Jalisco, with an
/// e-mail) and AC-2026-000002 (Colima).
async fn agency(app: &TestApp) {
    for (code, name) in [
        ("CNPSS-DVS", "Departamento de Vinculación Social"),
        (
            "REPSS-JAL",
            "Régimen Estatal de Protección Social en Salud de Jalisco",
        ),
        (
            "REPSS-COL",
            "Régimen Estatal de Protección Social en Salud de Colima",
        ),
    ] {
        app.add_unit(code, name).await;
    }
    app.add_people(&[
        ("vinculacion", "CNPSS-DVS", Role::Operador),
        ("enlace_jal", "REPSS-JAL", Role::EnlaceExterno),
        ("enlace_col", "REPSS-COL", Role::EnlaceExterno),
    ])
    .await;
    app.add_motive("MED-SURT", "Surtimiento de medicamentos")
        .await;
    let call = |n, state, email| {
        calls::call(
            n,
            Complaint,
            CallCenter,
            state,
            "2026-03-02T10:00:00",
            email,
        )
    };
    calls::import(
        app,
        vec![
            call(1, "JAL", Some("juana@ejemplo.mx")),
            call(2, "COL", Some("pedro@ejemplo.mx")),
        ],
    )
    .await;
}

const FOLIO: &str = "AC-2026-000001";

async fn post_form(
    browser: &crate::common::Browser,
    page: &str,
    path: &str,
    form: &[(&str, &str)],
) -> reqwest::Response {
    let csrf = csrf_in(&browser.text(page).await);
    let mut all = vec![("csrf", csrf.as_str())];
    all.extend_from_slice(form);
    browser.post(path, &all).await
}

async fn answer_fur(browser: &crate::common::Browser, answer: &str) -> reqwest::Response {
    let today = crate::common::today().to_string();
    post_form(
        browser,
        "/bandeja",
        &format!("/peticiones/{FOLIO}/fur"),
        &[
            ("enlace", "Lic. Ana Ruiz"),
            ("fecha", &today),
            ("contacto_medio", "telefono"),
            ("contacto_fecha", &today),
            (
                "acciones",
                "Se gestionó el surtimiento con la jurisdicción.",
            ),
            ("resultado", "favorable"),
            ("respuesta", answer),
        ],
    )
    .await
}

async fn the_volante_and_fur_loop_closes_a_petition(app: TestApp) {
    agency(&app).await;
    let dvs = app.signed_in("vinculacion").await;
    let jal = app.signed_in("enlace_jal").await;
    let col = app.signed_in("enlace_col").await;

    // The Enlace cannot classify; the DVS classifies it as meriting action.
    assert_eq!(
        jal.get(&format!("/peticiones/{FOLIO}/clasificar"))
            .await
            .status(),
        403
    );
    let page = dvs.text(&format!("/peticiones/{FOLIO}/clasificar")).await;
    assert!(page.contains("Juana Pérez Gómez") && page.contains("Surtimiento de medicamentos"));
    let response = post_form(
        &dvs,
        "/bandeja",
        &format!("/peticiones/{FOLIO}/clasificar"),
        QUEJA_JAL,
    )
    .await;
    assert_eq!(response.status(), 303);
    assert_eq!(
        response.headers()["location"],
        format!("/peticiones/{FOLIO}/volante").as_str()
    );
    let folio = FOLIO.parse().unwrap();
    let handling = app.store.handling(folio).await.unwrap().unwrap();
    assert_eq!((handling.status.as_str(), handling.slip), ("en_gestion", 1));
    let case_folio = handling.case_folio.clone().unwrap();
    assert!(case_folio.starts_with("VT-"), "{case_folio}");

    // The volante: folio, Enlace, term and due date; the Enlace sees it, Colima's does not.
    let slip = jal.text(&format!("/peticiones/{FOLIO}/volante")).await;
    assert!(
        slip.contains(&case_folio) && slip.contains("REPSS-JAL"),
        "{slip}"
    );
    assert!(slip.contains("5 días hábiles"));
    let due = handling.due_on.unwrap().strftime("%d/%m/%Y").to_string();
    assert!(slip.contains(&due));
    for path in ["volante", "fur", "clasificar"] {
        let response = col.get(&format!("/peticiones/{FOLIO}/{path}")).await;
        assert_eq!(response.status(), 403, "{path}");
        assert!(!response.text().await.unwrap().contains("Juana"));
    }
    assert_eq!(
        col.get(&format!("/asuntos/{case_folio}")).await.status(),
        403
    );
    assert_eq!(answer_fur(&col, "Nada").await.status(), 403);
    // The DVS cannot answer for the Enlace, nor review before the FUR.
    assert_eq!(answer_fur(&dvs, "Nada").await.status(), 403);
    let review = |complete: &'static str, favorable: &'static str| {
        let dvs = &dvs;
        async move {
            post_form(
                dvs,
                "/bandeja",
                &format!("/peticiones/{FOLIO}/revision"),
                &[
                    ("completa", complete),
                    ("favorable", favorable),
                    ("observaciones", "Indique la fecha de surtimiento."),
                ],
            )
            .await
        }
    };
    assert_eq!(review("si", "si").await.status(), 409);

    // The Enlace answers; the review finds it incomplete and turns it again.
    assert!(
        jal.text(&format!("/peticiones/{FOLIO}/fur"))
            .await
            .contains("Enviar el FUR")
    );
    assert_eq!(answer_fur(&jal, "Se le surtirá.").await.status(), 303);
    assert_eq!(answer_fur(&jal, "Otra vez").await.status(), 403);
    assert_eq!(review("no", "si").await.status(), 303);
    let handling = app.store.handling(folio).await.unwrap().unwrap();
    assert_eq!((handling.status.as_str(), handling.slip), ("en_gestion", 2));
    assert_eq!(handling.responses.len(), 1);
    assert!(handling.responses[0].review.is_some());
    let slip = jal.text(&format!("/peticiones/{FOLIO}/volante")).await;
    says(&slip, &["Indique la fecha de surtimiento."]);

    // The second answer is complete and favorable: the petition is answered.
    assert_eq!(
        answer_fur(&jal, "Se le surtió la receta el 5 de marzo.")
            .await
            .status(),
        303
    );
    assert_eq!(review("si", "si").await.status(), 303);
    let handling = app.store.handling(folio).await.unwrap().unwrap();
    assert_eq!(handling.status, "respondida");
    assert_eq!(
        handling.answer.as_deref(),
        Some("Se le surtió la receta el 5 de marzo.")
    );
    assert!(handling.answered_on.is_some());
    let id = app.store.find_case(&case_folio).await.unwrap().unwrap();
    let current = app.store.load_current(id).await.unwrap();
    assert!(current.case.open.is_empty(), "the volante's case ended");
    let page = dvs.text(&format!("/peticiones/{FOLIO}/fur")).await;
    assert!(page.contains("Completa y favorable") && page.contains("Volante 2"));
}

/// Classifies Colima's call as needing no action, answered with `answer`.
async fn without_action(dvs: &Browser, answer: &str) -> reqwest::Response {
    post_form(
        dvs,
        "/bandeja",
        "/peticiones/AC-2026-000002/clasificar",
        &[
            ("tipo", "queja"),
            ("motivo", "MED-SURT"),
            ("entidad", "COL"),
            ("amerita", "no"),
            ("respuesta", answer),
        ],
    )
    .await
}

async fn a_petition_without_action_is_answered_by_email(app: TestApp) {
    agency(&app).await;
    let dvs = app.signed_in("vinculacion").await;
    let response = without_action(
        &dvs,
        "Puede surtir su receta en cualquier farmacia del programa.",
    )
    .await;
    assert_eq!(response.status(), 303);
    let handling = app
        .store
        .handling("AC-2026-000002".parse().unwrap())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(handling.status, "respondida");
    assert_eq!(handling.case_folio, None);
    let mail = app
        .store
        .claim_mail(jiff::Timestamp::now().as_second(), 60, 10)
        .await
        .unwrap();
    assert_eq!(mail.len(), 1);
    assert_eq!(mail[0].recipient, "pedro@ejemplo.mx");
    assert!(mail[0].body.contains("cualquier farmacia"));
    // Classified once: a second classification is refused, saying why and keeping the answer.
    let again = without_action(&dvs, "Otra respuesta escrita").await;
    let page = expect_page(again, 409).await;
    assert!(
        page.contains("Otra persona atendió esta petición")
            && page.contains("readonly>Otra respuesta escrita</textarea>"),
        "{page}"
    );
}

/// The problem `message` shown under the input described by `id`.
fn next_to(page: &str, id: &str, message: &str) -> bool {
    page.contains(&format!("id=\"{id}\" role=\"alert\">{message}"))
}

/// A refused form (422) showing each problem under its input (the problem's `id`, its
/// message); its page.
async fn refused_with(response: reqwest::Response, problems: &[(&str, &str)]) -> String {
    let page = expect_page(response, 422).await;
    for (id, message) in problems {
        assert!(next_to(&page, id, message), "{id}: {page}");
    }
    page
}

/// Refused classifications and reviews show their form again, each problem under its input,
/// in Spanish, with everything typed and chosen kept; nothing is recorded.
async fn refused_handling_forms_keep_what_was_typed(app: TestApp) {
    agency(&app).await;
    let dvs = app.signed_in("vinculacion").await;
    let jal = app.signed_in("enlace_jal").await;
    let classify = |form: Vec<(&'static str, &'static str)>| {
        let dvs = &dvs;
        async move {
            post_form(
                dvs,
                "/bandeja",
                &format!("/peticiones/{FOLIO}/clasificar"),
                &form,
            )
            .await
        }
    };
    let base = vec![
        ("tipo", "queja"),
        ("motivo", "MED-SURT"),
        ("entidad", "JAL"),
    ];

    // «¿Amerita gestión?» not answered: told under it, the answer typed kept.
    let mut form = base.clone();
    form.push(("respuesta", "Texto que no se pierde."));
    let page = refused_with(
        classify(form).await,
        &[("amerita-error", "«¿Amerita gestión?»: responda Sí o No.")],
    )
    .await;
    assert!(
        page.contains(">Texto que no se pierde.</textarea>"),
        "{page}"
    );
    assert!(
        page.contains(r#"<option value="MED-SURT" selected>"#),
        "{page}"
    );
    assert!(page.contains(r#"<option value="JAL" selected>"#), "{page}");
    assert!(!page.contains("No se guardó:"), "{page}");

    // No answer to a petition that needs no action; a term out of range.
    let mut form = base.clone();
    form.push(("amerita", "no"));
    let page = classify(form).await.text().await.unwrap();
    assert!(
        next_to(
            &page,
            "respuesta-error",
            "Escriba la respuesta al peticionario."
        ),
        "{page}"
    );
    assert!(page.contains(r#"value="no" checked"#), "{page}");
    // Every problem at once, the form's own readings and the application's checks alike:
    // no kind, no entidad, no motive, no answer to a petition that needs no action; then a
    // motive not in the catalog and a term out of range, with no entidad.
    refused_with(
        classify(vec![("amerita", "no"), ("respuesta", "  ")]).await,
        &[
            ("tipo-error", "Elija el tipo de petición."),
            ("motivo-error", "Elija el motivo."),
            ("entidad-error", "Elija una entidad federativa."),
            ("respuesta-error", "Escriba la respuesta al peticionario."),
        ],
    )
    .await;
    let mut form = vec![("tipo", "queja"), ("motivo", "NO-EXISTE")];
    form.extend([("amerita", "si"), ("plazo", "900")]);
    let page = refused_with(
        classify(form).await,
        &[
            (
                "motivo-error",
                "El motivo «NO-EXISTE» no está en el catálogo.",
            ),
            ("entidad-error", "Elija una entidad federativa."),
            (
                "plazo-error",
                "El plazo del Enlace es de 1 a 250 días hábiles.",
            ),
        ],
    )
    .await;
    assert!(page.contains(r#"value="900""#), "{page}");
    let folio = FOLIO.parse().unwrap();
    let handling = app.store.handling(folio).await.unwrap().unwrap();
    assert_eq!(handling.status, "recibida");

    // Turned and answered; the review that finds it incomplete must say why.
    let mut form = base.clone();
    form.extend([("amerita", "si"), ("plazo", "5")]);
    assert_eq!(classify(form).await.status(), 303);
    assert_eq!(answer_fur(&jal, "Se le surtirá.").await.status(), 303);
    let review = |form: Vec<(&'static str, &'static str)>| {
        let dvs = &dvs;
        async move {
            post_form(
                dvs,
                "/bandeja",
                &format!("/peticiones/{FOLIO}/revision"),
                &form,
            )
            .await
        }
    };
    let form = vec![("completa", "no"), ("favorable", "si"), ("plazo", "7")];
    let page = refused_with(
        review(form).await,
        &[(
            "e-observaciones",
            "Escriba las observaciones para ampliar la respuesta.",
        )],
    )
    .await;
    assert!(
        page.contains(r#"name="completa" value="no" checked"#)
            && page.contains(r#"name="favorable" value="si" required checked"#)
            && page.contains(r#"value="7""#),
        "{page}"
    );
    let form = vec![
        ("completa", "si"),
        ("observaciones", "Indique la fecha de surtimiento."),
    ];
    let page = refused_with(
        review(form).await,
        &[("e-favorable", "«¿Es favorable?»: responda Sí o No.")],
    )
    .await;
    says(&page, &[">Indique la fecha de surtimiento.</textarea>"]);
    let handling = app.store.handling(folio).await.unwrap().unwrap();
    assert!(handling.responses[0].review.is_none(), "nothing recorded");
}

/// The value of the first attribute `name` at or after byte `from` of `html`, its slashes as
/// a browser reads them.
fn attribute(html: &str, from: usize, name: &str) -> String {
    let key = format!("{name}=\"");
    let start = from
        + html[from..]
            .find(&key)
            .unwrap_or_else(|| panic!("no {name} after byte {from}"))
        + key.len();
    let end = start + html[start..].find('"').expect("the value's end");
    html[start..end]
        .replace("&#x2f;", "/")
        .replace("&#47;", "/")
}

/// The `href` of the link whose text is `text`: the address a person clicking it goes to.
fn link(html: &str, text: &str) -> String {
    let at = html
        .find(&format!(">{text}</a>"))
        .unwrap_or_else(|| panic!("no link «{text}» in {html}"));
    attribute(html, html[..at].rfind("<a ").expect("the link"), "href")
}

/// The `action` of the form whose submit button reads `button`.
fn form_action(html: &str, button: &str) -> String {
    let at = html
        .find(&format!(">{button}</button>"))
        .unwrap_or_else(|| panic!("no «{button}» button in {html}"));
    attribute(
        html,
        html[..at].rfind("<form").expect("the button's form"),
        "action",
    )
}

/// The first option of the select `name`: what a person who opens the list sees first.
fn first_option(html: &str, name: &str) -> String {
    let select = html
        .find(&format!("name=\"{name}\""))
        .unwrap_or_else(|| panic!("no select {name}"));
    let option = select + html[select..].find("<option").expect("an option");
    attribute(html, option, "value")
}

async fn submit(
    browser: &Browser,
    page: &str,
    action: &str,
    form: &[(&str, &str)],
) -> reqwest::Response {
    let csrf = csrf_in(page);
    let mut all = vec![("csrf", csrf.as_str())];
    all.extend_from_slice(form);
    browser.post(action, &all).await
}

async fn the_citizen_loop_is_walked_by_clicking(app: TestApp) {
    for (code, name) in [
        ("CNPSS-SAC", "Subdirección de Atención Ciudadana"),
        ("CNPSS-DVS", "Departamento de Vinculación Social"),
        (
            "REPSS-JAL",
            "Régimen Estatal de Protección Social en Salud de Jalisco",
        ),
    ] {
        app.add_unit(code, name).await;
    }
    app.add_people(&[
        ("vinculacion", "CNPSS-DVS", Role::Operador),
        ("enlace_jal", "REPSS-JAL", Role::EnlaceExterno),
    ])
    .await;
    app.add_person(
        "atencion",
        "CNPSS-SAC",
        Role::Titular,
        Some("atencion@ejemplo.mx"),
    )
    .await;
    app.add_motive("MED-SURT", "Surtimiento de medicamentos")
        .await;

    // The citizen files a petition in the public mailbox and keeps its folio and code.
    let citizen = app.browser();
    let form = citizen.text("/atencion").await;
    let filed = submit(
        &citizen,
        &form,
        &form_action(&form, "Enviar petición"),
        &[
            ("tipo", "queja"),
            ("entidad", "JAL"),
            ("descripcion", "No me surtieron la receta de metformina."),
            ("nombre", "Juana Pérez Gómez"),
            ("aviso_privacidad", "si"),
        ],
    )
    .await;
    let filed = expect_page(filed, 200).await;
    let folio = {
        let start = filed.find("id=\"folio\">").unwrap() + "id=\"folio\">".len();
        filed[start..start + filed[start..].find('<').unwrap()].to_owned()
    };
    let code = {
        let start = filed.find("id=\"codigo\">").unwrap() + "id=\"codigo\">".len();
        filed[start..start + filed[start..].find('<').unwrap()].to_owned()
    };
    let status = |expected: &'static str| {
        let (citizen, folio, code) = (&citizen, folio.clone(), code.clone());
        async move {
            let page = citizen.text("/atencion/consulta").await;
            let response = submit(
                citizen,
                &page,
                &form_action(&page, "Consultar"),
                &[("folio", &folio), ("codigo", &code)],
            )
            .await;
            let text = response.text().await.unwrap();
            assert!(text.contains(expected), "{expected}: {text}");
            text
        }
    };
    // The attention unit is told by e-mail, without the petitioner's data.
    let mail = app
        .store
        .claim_mail(jiff::Timestamp::now().as_second(), 60, 10)
        .await
        .unwrap();
    assert_eq!(mail.len(), 1, "{mail:?}");
    assert_eq!(mail[0].recipient, "atencion@ejemplo.mx");
    assert!(mail[0].subject.contains(&folio), "{}", mail[0].subject);
    assert!(mail[0].body.contains("Jalisco") && !mail[0].body.contains("Juana"));
    let seen = status("Recibimos su petición y la estamos revisando").await;
    assert!(seen.contains("Recibida: en revisión"));

    // The DVS is told in Turno too, and the notification leads to the petition.
    let dvs = app.signed_in("vinculacion").await;
    let told = dvs.text("/notificaciones").await;
    assert!(
        told.contains("Nueva petición ciudadana")
            && told.contains(&format!("Nueva petición {folio} en el buzón"))
            && !told.contains("Juana"),
        "{told}"
    );
    let page = dvs
        .text(&link(
            &told,
            &format!("Nueva petición {folio} en el buzón de atención ciudadana"),
        ))
        .await;
    says(&page, &["Clasificar la petición"]);

    // The DVS finds it in the list and classifies it from its page.
    let list = dvs.text("/peticiones").await;
    let page = dvs.text(&link(&list, &folio)).await;
    let classify = dvs.text(&link(&page, "Clasificar la petición")).await;
    // The «Motivo» list starts unchosen (the person picks), and offers the catalog's motive.
    assert_eq!(first_option(&classify, "motivo"), "");
    let motive = "MED-SURT".to_owned();
    assert!(
        classify.contains("<option value=\"MED-SURT\">"),
        "the «Motivo» list is not blank"
    );
    let classified = submit(
        &dvs,
        &classify,
        &form_action(&classify, "Clasificar"),
        &[
            ("tipo", "queja"),
            ("motivo", &motive),
            ("entidad", "JAL"),
            ("amerita", "si"),
            ("plazo", "5"),
        ],
    )
    .await;
    assert_eq!(classified.status(), 303);
    // Where the browser goes: the volante, which leads back to the petition.
    let volante = dvs.text(header(&classified, "location")).await;
    assert!(volante.contains("Volante de trámite") && volante.contains("REPSS-JAL"));
    let page = dvs
        .text(&link(&volante, &format!("Petición {folio}")))
        .await;
    assert!(!page.contains("Clasificar la petición"), "classified once");
    assert!(page.contains("Volante de trámite") && page.contains("En gestión"));
    status("Su petición se turnó al Enlace de Atención Ciudadana de su entidad").await;

    // The Enlace is told of the volante, opens its case and answers the turn there.
    scheduler::tick(&app.state).await;
    let jal = app.signed_in("enlace_jal").await;
    let told = jal.text("/notificaciones").await;
    says(&told, &["Turnado a REPSS-JAL: VT-"]);
    let case_path = {
        let start = told.find("href=\"/asuntos/VT-").unwrap() + "href=\"".len();
        told[start..start + told[start..].find('"').unwrap()].to_owned()
    };
    let case_page = jal.text(&case_path).await;
    let csrf = csrf_in(&case_page);
    let replied = jal
        .post(
            &form_action(&case_page, "Responder turno"),
            &[
                ("csrf", csrf.as_str()),
                ("item", hidden(&case_page, "item").as_str()),
                ("version", hidden(&case_page, "version").as_str()),
                ("observaciones", "Se gestionó el surtimiento."),
            ],
        )
        .await;
    assert_eq!(replied.status(), 303);

    // The petition is not stuck: the FUR still waits for the Enlace, reached from the case.
    let case_page = jal.text(&case_path).await;
    let fur = jal
        .text(&link(&case_page, "Formato Único de Respuesta (FUR)"))
        .await;
    says(&fur, &["Enviar el FUR"]);
    let petition = jal.text(&link(&fur, &format!("Petición {folio}"))).await;
    assert!(petition.contains("Responder el volante en el FUR"));
    assert!(!petition.contains("Revisar la respuesta del Enlace"));
    let dvs_page = dvs.text(&format!("/peticiones/{folio}")).await;
    assert!(!dvs_page.contains("Responder el volante en el FUR"));

    // A response dated tomorrow is refused next to its date, everything typed kept.
    let today = app.state.today();
    let tomorrow = today.tomorrow().unwrap().to_string();
    let today = today.to_string();
    let action = form_action(&fur, "Enviar el FUR");
    let sent = |date: String| {
        let (jal, fur, action) = (&jal, fur.clone(), action.clone());
        async move {
            submit(
                jal,
                &fur,
                &action,
                &[
                    ("enlace", "Lic. Ana Ruiz"),
                    ("fecha", &date),
                    ("contacto_medio", ""),
                    (
                        "acciones",
                        "Se gestionó el surtimiento con la jurisdicción.",
                    ),
                    ("resultado", "favorable"),
                    ("respuesta", "Se le surtió la receta el 5 de marzo."),
                ],
            )
            .await
        }
    };
    let early = sent(tomorrow.clone()).await;
    let early = expect_says(
        early,
        422,
        &[
            "es posterior a hoy",
            r#"aria-describedby="e-fecha""#,
            &format!(r#"value="{tomorrow}""#),
            "Se gestionó el surtimiento con la jurisdicción.</textarea>",
            r#"value="Lic. Ana Ruiz""#,
        ],
    )
    .await;
    let at = early.find("id=\"e-fecha\"").unwrap();
    assert!(early[at..].starts_with("id=\"e-fecha\" role=\"alert\">La fecha de respuesta"));
    assert_eq!(sent(today).await.status(), 303);

    // The DVS is offered the review on the petition's page and closes it.
    let page = dvs.text(&format!("/peticiones/{folio}")).await;
    let review = dvs
        .text(&link(&page, "Revisar la respuesta del Enlace"))
        .await;
    let reviewed = submit(
        &dvs,
        &review,
        &form_action(&review, "Registrar la revisión"),
        &[("completa", "si"), ("favorable", "si")],
    )
    .await;
    assert_eq!(reviewed.status(), 303);
    let page = dvs.text(&format!("/peticiones/{folio}")).await;
    assert!(page.contains("Respondida") && page.contains("Se le surtió la receta"));
    assert!(!page.contains("Revisar la respuesta del Enlace"));

    // The citizen sees the answer, and no longer «Cuando haya una respuesta…».
    let seen = status("Se le surtió la receta el 5 de marzo.").await;
    says(&seen, &["quedó atendida"]);
    assert!(!seen.contains("Cuando haya una respuesta"), "{seen}");
}

/// Motive suggestions on the classification page and in the API: none before any petition is
/// classified; then learned from those classified, with the words that moved them, and never
/// chosen for the person (the motive's choice stays empty).
async fn suggestions_name_their_words_and_choose_nothing(app: TestApp) {
    agency(&app).await;
    app.add_motive("SERV-NEG", "Negativa de atención").await;
    let call = |n, narrative: &str| {
        let mut call = calls::call(n, Complaint, CallCenter, "JAL", "2026-03-03T10:00:00", None);
        call.petition.narrative = narrative.into();
        call
    };
    calls::import(
        &app,
        vec![
            call(3, "Me negaron la atención en urgencias del hospital."),
            call(4, "En urgencias se negaron a atender a mi padre."),
        ],
    )
    .await;
    let dvs = app.signed_in("vinculacion").await;
    let api = |folio: String| {
        let app = &app;
        async move {
            let response = reqwest::Client::new()
                .get(format!(
                    "{}/api/v1/petitions/{folio}/classification",
                    app.address
                ))
                .bearer_auth(app.api_token("vinculacion").await)
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), 200);
            response.json::<serde_json::Value>().await.unwrap()
        }
    };

    // Nothing classified yet: nothing suggested.
    let page = dvs.text(&format!("/peticiones/{FOLIO}/clasificar")).await;
    assert!(!page.contains("Motivos sugeridos"), "{page}");
    assert_eq!(
        api(FOLIO.into()).await["suggestions"],
        serde_json::json!([])
    );

    // The receta of Jalisco as MED-SURT, the urgencias of AC-2026-000003 as SERV-NEG.
    for (folio, motive) in [(FOLIO, "MED-SURT"), ("AC-2026-000003", "SERV-NEG")] {
        let form: Vec<(&str, &str)> = QUEJA_JAL
            .iter()
            .map(|&(k, v)| (k, if k == "motivo" { motive } else { v }))
            .collect();
        let classified = post_form(
            &dvs,
            "/bandeja",
            &format!("/peticiones/{folio}/clasificar"),
            &form,
        )
        .await;
        assert_eq!(classified.status(), 303, "{folio}");
    }

    // Colima's receta: MED-SURT first, for «receta» and «surtieron»; the choice stays empty.
    let page = dvs.text("/peticiones/AC-2026-000002/clasificar").await;
    says(
        &page,
        &[
            "Motivos sugeridos",
            "Surtimiento de medicamentos (MED-SURT):",
            "por las palabras «receta», «surtieron»",
            "Negativa de atención (SERV-NEG):",
            "<option value=\"\">Elija un motivo</option>",
        ],
    );
    assert!(!page.contains(" selected>Surtimiento"), "{page}");
    let first = page.find("(MED-SURT):").unwrap();
    assert!(first < page.find("(SERV-NEG):").unwrap());
    let body = api("AC-2026-000002".into()).await;
    let suggestions = body["suggestions"].as_array().unwrap();
    assert_eq!(suggestions.len(), 2, "{body}");
    assert_eq!(suggestions[0]["code"], "MED-SURT");
    assert_eq!(
        suggestions[0]["words"],
        serde_json::json!(["receta", "surtieron"])
    );
    let p: Vec<f64> = suggestions
        .iter()
        .map(|s| s["probability"].as_f64().unwrap())
        .collect();
    assert!(
        p[0] > 0.5 && p[0] > p[1] && (p[0] + p[1] - 1.0).abs() < 1e-9,
        "{p:?}"
    );
    // The urgencias of AC-2026-000004: SERV-NEG first, for «urgencias».
    let body = api("AC-2026-000004".into()).await;
    assert_eq!(body["suggestions"][0]["code"], "SERV-NEG", "{body}");
    let words = body["suggestions"][0]["words"].as_array().unwrap();
    assert!(words.contains(&serde_json::json!("urgencias")), "{body}");
}

/// The suggestions' model is learned once per process and kept while the classified petitions
/// it learned from stay the same; a petition classified by another process sharing the database
/// (another `App`, with its own kept model) makes this one learn again at its next request.
async fn the_suggestions_model_is_kept_until_any_process_classifies(app: TestApp) {
    use std::sync::Arc;
    use turno_app::handling::{Classify, Decision, classifier, classifying};
    agency(&app).await;
    let this = &app.state.app;
    let other = turno_app::App {
        suggestions: Default::default(),
        chart: Default::default(),
        ..this.clone()
    };
    let first = classifier(this).await.unwrap();
    assert_eq!(first.documents(), 0);
    assert!(Arc::ptr_eq(&first, &classifier(this).await.unwrap()));

    let vinculacion = principal(&app, "vinculacion").await;
    classifying(&other, &vinculacion, FOLIO)
        .await
        .unwrap()
        .classify(
            &other,
            &vinculacion,
            Classify {
                kind: Some(Complaint),
                motive: "MED-SURT".into(),
                entidad: "JAL".parse().ok(),
                decision: Some(Decision::Answer("Se surtió su receta.".into())),
            },
        )
        .await
        .unwrap();
    let learned = classifier(this).await.unwrap();
    assert!(!Arc::ptr_eq(&first, &learned));
    assert_eq!(learned.documents(), 1);
    assert_eq!(learned.suggest("la receta")[0].motive, "MED-SURT");
    // Kept again until the next classification.
    assert!(Arc::ptr_eq(&learned, &classifier(this).await.unwrap()));
    assert_eq!(classifier(&other).await.unwrap().documents(), 1);
}

on_both_backends! {
    suggestions_name_their_words_and_choose_nothing,
    the_suggestions_model_is_kept_until_any_process_classifies,
    the_volante_and_fur_loop_closes_a_petition,
    a_petition_without_action_is_answered_by_email,
    refused_handling_forms_keep_what_was_typed,
    the_citizen_loop_is_walked_by_clicking,
}
