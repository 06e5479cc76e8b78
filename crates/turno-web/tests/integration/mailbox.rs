//! The public mailbox and the staff's petitions, on SQLite and PostgreSQL: a petition filed
//! without signing in (field errors first), followed with its folio and code (a wrong one and
//! a folio that does not exist answer alike), the limit per client, personal data masked in
//! lists and whole only for those who need them (audited), an entidad's Enlace never seeing
//! another's, and the call-center file uploaded with its validation report.

use crate::common::{Browser, File, TestApp, csrf_in, expect_says, header, multipart_named, says};
use turno_domain::citizen::{AccessCode, Channel, Draft};
use turno_store::{Petitions, Role, Store};

const ORG: &str = r#"
[[unit]]
code = "CNPSS-SAC"
name = "Subdirección de Atención Ciudadana"
level = "subdireccion"

[[unit]]
code = "CNPSS-DVS"
name = "Departamento de Vinculación Social"
level = "departamento"
parent = "CNPSS-SAC"

[[unit]]
code = "EF-JAL"
name = "Jalisco"
level = "entidad_federativa"

[[unit]]
code = "EF-OAX"
name = "Oaxaca"
level = "entidad_federativa"
"#;

/// Between `start` and the next `end` in `html`.
fn between<'a>(html: &'a str, start: &str, end: &str) -> &'a str {
    let from = html
        .find(start)
        .unwrap_or_else(|| panic!("no {start} in {html}"))
        + start.len();
    &html[from..from + html[from..].find(end).unwrap()]
}

/// Files a petition through the public form, its CSRF token first.
pub(crate) async fn file(browser: &Browser, form: &[(&str, &str)]) -> reqwest::Response {
    let csrf = browser.csrf("/atencion").await;
    let mut sent = vec![("csrf", csrf.as_str())];
    sent.extend_from_slice(form);
    browser.post("/atencion", &sent).await
}

async fn look_up(browser: &Browser, folio: &str, code: &str) -> (u16, String) {
    let csrf = browser.csrf("/atencion/consulta").await;
    let response = browser
        .post(
            "/atencion/consulta",
            &[("csrf", &csrf), ("folio", folio), ("codigo", code)],
        )
        .await;
    (response.status().as_u16(), response.text().await.unwrap())
}

async fn a_petition_is_filed_and_followed_without_signing_in(app: TestApp) {
    let citizen = app.browser();
    let form = citizen.text("/atencion").await;
    assert!(form.contains("Aviso de privacidad") && form.contains("Oaxaca"));

    let wrong = file(
        &citizen,
        &[
            ("tipo", "queja"),
            ("entidad", "JAL"),
            ("descripcion", ""),
            ("nombre", "Juana Pérez Gómez"),
            ("curp", "HEGG560427MVZRRL05"),
        ],
    )
    .await;
    expect_says(
        wrong,
        422,
        &[
            "descripción: falta",
            "el dígito verificador de la CURP",
            "se requiere aceptar el aviso de privacidad",
            r#"aria-describedby="e-curp"#,
            r##"href="#f-descripcion""##,
            r#"value="Juana Pérez Gómez""#,
            "autofocus",
        ],
    )
    .await;

    let filed = file(
        &citizen,
        &[
            ("tipo", "queja"),
            ("entidad", "JAL"),
            ("unidad", "Centro de Salud Tonalá"),
            ("descripcion", "No me surtieron la receta de metformina."),
            ("nombre", "Juana Pérez Gómez"),
            ("telefono", "33 1234 5678"),
            ("aviso_privacidad", "si"),
        ],
    )
    .await;
    assert_eq!(filed.status(), 200);
    assert_eq!(filed.headers()["cache-control"], "no-store");
    let page = filed.text().await.unwrap();
    let folio = between(&page, r#"id="folio">"#, "<").to_owned();
    let code = between(&page, r#"<code id="codigo">"#, "<").to_owned();
    let stored = app.stored_petition(&folio).await;
    assert_eq!(stored.petition.channel, Channel::Mailbox);
    assert_eq!(
        stored.access_digest,
        Some(AccessCode::parse(&code).unwrap().digest()),
        "only the code's digest is kept"
    );

    let (status, page) = look_up(&citizen, &folio, &code.to_lowercase()).await;
    assert_eq!(status, 200);
    assert!(page.contains("Recibida") && page.contains("Jalisco") && page.contains(&folio));
    assert!(
        !page.contains("Juana"),
        "the status page shows no personal data"
    );

    // A wrong code and a folio that does not exist answer the same, in the same time.
    let started = std::time::Instant::now();
    let (wrong_status, wrong_code) = look_up(&citizen, &folio, "0000-0000-0000").await;
    let other = folio.replace("-000001", "-000099");
    let (missing_status, missing) = look_up(&citizen, &other, &code).await;
    assert!(started.elapsed() >= std::time::Duration::from_millis(600));
    assert_eq!((wrong_status, missing_status), (200, 200));
    assert!(wrong_code.contains("No encontramos una petición con esos datos"));
    assert_eq!(
        wrong_code.replace(&folio, "F"),
        missing.replace(&other, "F")
    );

    // Once answered, the petitioner reads the answer with the same folio and code.
    app.add_motive("MED-SURT", "Surtimiento de medicamentos")
        .await;
    let admin = app.signed_in("admin").await;
    let path = format!("/peticiones/{folio}/clasificar");
    let csrf = csrf_in(&admin.text(&path).await);
    let answer = "Puede surtir su receta en cualquier farmacia del programa.";
    let classified = admin
        .post(
            &path,
            &[
                ("csrf", csrf.as_str()),
                ("tipo", "queja"),
                ("motivo", "MED-SURT"),
                ("entidad", "JAL"),
                ("amerita", "no"),
                ("respuesta", answer),
            ],
        )
        .await;
    assert_eq!(classified.status(), 303);
    let (_, page) = look_up(&citizen, &folio, &code).await;
    assert!(page.contains(answer), "{page}");
    assert!(page.contains("Respuesta ("), "{page}");
}

async fn too_many_submissions_are_refused(app: TestApp) {
    let client = app.browser();
    for _ in 0..10 {
        assert_eq!(file(&client, &[]).await.status(), 422);
    }
    let refused = file(&client, &[]).await;
    assert_eq!(refused.status(), 429);
    let retry: u64 = header(&refused, "retry-after").parse().unwrap();
    assert!((1..=3600).contains(&retry));
    assert!(
        refused
            .text()
            .await
            .unwrap()
            .contains("Demasiados intentos")
    );
    // Lookups count apart.
    assert_eq!(look_up(&client, "AC-2026-000001", "x").await.0, 200);
}

/// Files a petition of `state` with contact data through the store, as the mailbox does.
async fn petition_of(app: &TestApp, state: &str, narrative: &str) -> String {
    let petition = Draft {
        kind: "queja",
        state,
        narrative,
        name: "Juana Pérez Gómez",
        curp: "HEGG560427MVZRRL04",
        phone: "33 1234 5678",
        email: "juana@ejemplo.mx",
        ..Draft::default()
    }
    .check(Channel::Mailbox, app.state.local_now(), true)
    .unwrap();
    app.store
        .file_petition(&petition, AccessCode::from_random([7; 8]).digest(), None)
        .await
        .unwrap()
        .to_string()
}

/// The organization of `ORG` imported, with `people` in it.
async fn organization_with(app: &TestApp, people: &[(&str, &str, Role)]) {
    turno_store::organization::import(&app.store, &[("org.toml", ORG)], "prueba")
        .await
        .unwrap();
    app.add_people(people).await;
}

async fn personal_data_are_masked_and_entidades_apart(app: TestApp) {
    organization_with(
        &app,
        &[
            ("operador.dvs", "CNPSS-DVS", Role::Operador),
            ("consulta.dvs", "CNPSS-DVS", Role::Consulta),
            ("enlace.jal", "EF-JAL", Role::EnlaceExterno),
        ],
    )
    .await;
    let jalisco = petition_of(&app, "Jalisco", "Receta sin surtir en Tonalá").await;
    let oaxaca = petition_of(&app, "Oaxaca", "Trato indigno en Juchitán").await;

    // Lists mask, for everyone.
    for login in ["operador.dvs", "consulta.dvs", "admin"] {
        let list = app.signed_in(login).await.text("/peticiones").await;
        assert!(list.contains(&jalisco) && list.contains(&oaxaca), "{login}");
        assert!(list.contains("******5678") && list.contains("j***@ejemplo.mx"));
        assert!(
            !list.contains("3312345678") && !list.contains("Juana"),
            "{login}"
        );
    }
    // The operador sees them whole, on the audit log; consulta sees them masked, unlogged.
    let operador = app.signed_in("operador.dvs").await;
    let detail = operador.text(&format!("/peticiones/{jalisco}")).await;
    assert!(detail.contains("3312345678") && detail.contains("HEGG560427MVZRRL04"));
    let consulta = app.signed_in("consulta.dvs").await;
    let detail = consulta.text(&format!("/peticiones/{oaxaca}")).await;
    assert!(detail.contains("HEGG********04") && !detail.contains("3312345678"));
    let audit = |folio: String| {
        let store = app.store.clone();
        async move { store.audit_log(Some(&folio), 10).await.unwrap() }
    };
    let logged = audit(jalisco.clone()).await;
    assert_eq!(logged.len(), 1);
    assert_eq!(
        (logged[0].actor.as_str(), logged[0].action.as_str()),
        ("operador.dvs", "petition_personal_data_viewed")
    );
    assert!(audit(oaxaca.clone()).await.is_empty());

    // The Enlace of Jalisco sees Jalisco's petition whole and never Oaxaca's.
    let enlace = app.signed_in("enlace.jal").await;
    let list = enlace.text("/peticiones").await;
    assert!(list.contains(&jalisco) && !list.contains(&oaxaca));
    assert!(!list.contains("Juchitán"));
    let other = enlace.get(&format!("/peticiones/{oaxaca}")).await;
    assert_eq!(other.status(), 403);
    assert!(!other.text().await.unwrap().contains("Juchitán"));
    assert_eq!(enlace.get("/peticiones?entidad=OAX").await.status(), 403);
    let own = enlace.text(&format!("/peticiones/{jalisco}")).await;
    assert!(own.contains("3312345678"));
    // People of other units see no petitions at all.
    let secretario = app.signed_in("secretario").await;
    assert_eq!(secretario.get("/peticiones").await.status(), 403);
    assert_eq!(
        secretario
            .get(&format!("/peticiones/{jalisco}"))
            .await
            .status(),
        403
    );
}

/// A call-center file: two calls, the description under the provider's own column name.
pub(crate) const GOOD: &str = "ID_LLAMADA,FECHA,TIPO,ENTIDAD,OBSERVACIONES,TELEFONO\n\
CAT-1,02/03/2026 09:15,Queja,Jalisco,No le surtieron la receta,33 1234 5678\n\
CAT-2,02/03/2026 10:40,Sugerencia,OAX,Ampliar el horario,\n";

/// A call-center file with a problem in each of its rows.
pub(crate) const BAD: &str = "ID_LLAMADA,FECHA,TIPO,ENTIDAD,OBSERVACIONES\n\
CAT-1,31/02/2026,Queja,Jalisco,Receta\n\
CAT-2,02/03/2026,Queja,Texas,Receta\n";

async fn upload(browser: &Browser, name: &str, content: &str, mapping: &str) -> (u16, String) {
    let csrf = csrf_in(&browser.text("/peticiones/importar").await);
    let file = File {
        name,
        mime: "text/csv",
        content: content.as_bytes(),
    };
    let body = multipart_named(
        &[("csrf", &csrf), ("correspondencia", mapping)],
        "archivo",
        Some(&file),
    );
    let response = browser.post_multipart("/peticiones/importar", body).await;
    (response.status().as_u16(), response.text().await.unwrap())
}

async fn the_call_center_file_is_uploaded_with_its_report(app: TestApp) {
    organization_with(&app, &[("operador.dvs", "CNPSS-DVS", Role::Operador)]).await;
    let operador = app.signed_in("operador.dvs").await;
    let mapping = "descripcion=OBSERVACIONES";

    let (status, page) = upload(&operador, "llamadas.csv", BAD, mapping).await;
    assert_eq!(status, 422);
    assert!(page.contains("2 problemas en llamadas.csv: no se importó nada"));
    assert!(page.contains("<td>2</td><td>fecha</td><td>«31/02/2026» no es una fecha válida"));
    assert!(
        page.contains(
            "<td>3</td><td>entidad federativa</td><td>«Texas» no es una entidad federativa"
        )
    );
    let (status, page) = upload(&operador, "llamadas.csv", GOOD, "color=X").await;
    assert_eq!(status, 422);
    assert!(page.contains("«color» no es un campo de la petición"));
    let (status, page) = upload(&operador, "llamadas.csv", GOOD, "").await;
    assert_eq!(
        status, 422,
        "without the mapping the description is missing"
    );
    assert!(page.contains("falta la columna"));

    let (status, page) = upload(&operador, "llamadas.csv", GOOD, mapping).await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("llamadas.csv: llamadas: 2; nuevas: 2; ya importadas: 0."));
    let (_, page) = upload(&operador, "llamadas.csv", GOOD, mapping).await;
    assert!(page.contains("nuevas: 0; ya importadas: 2."));
    let imports = app.store.call_imports().await.unwrap();
    assert_eq!(imports[0].imported_by, "operador.dvs");

    // The enlace and consulta roles do not import.
    app.add_person("enlace.jal", "EF-JAL", Role::EnlaceExterno, None)
        .await;
    let enlace = app.signed_in("enlace.jal").await;
    assert_eq!(enlace.get("/peticiones/importar").await.status(), 403);
}

async fn a_petition_that_came_in_a_letter_is_registered_with_it(app: TestApp) {
    organization_with(
        &app,
        &[
            ("operador.dvs", "CNPSS-DVS", Role::Operador),
            ("consulta.dvs", "CNPSS-DVS", Role::Consulta),
        ],
    )
    .await;
    let consulta = app.signed_in("consulta.dvs").await;
    assert_eq!(consulta.get("/peticiones/registrar").await.status(), 403);

    let operador = app.signed_in("operador.dvs").await;
    let page = operador.text("/peticiones/registrar").await;
    assert!(page.contains("Registrar una petición recibida por escrito"));
    assert!(
        !page.contains("aviso_privacidad"),
        "a letter asks no consent"
    );
    let csrf = csrf_in(&page);
    let fields = |sender: &'static str| {
        vec![
            ("csrf", csrf.clone()),
            ("canal", "escrito".to_owned()),
            ("remitente", sender.to_owned()),
            ("oficio", "CNS/ST/123/2026".to_owned()),
            ("fecha_oficio", "2026-03-02".to_owned()),
            ("tipo", "gestion".to_owned()),
            ("entidad", "OAX".to_owned()),
            (
                "descripcion",
                "Solicita apoyo para el traslado de un paciente.".to_owned(),
            ),
            ("nombre", "Pedro López".to_owned()),
        ]
    };
    let pairs = |v: &Vec<(&'static str, String)>| -> Vec<(&'static str, String)> { v.clone() };
    let body = |v: Vec<(&'static str, String)>, file: Option<&File>| {
        let refs: Vec<(&str, &str)> = v.iter().map(|(k, x)| (*k, x.as_str())).collect();
        multipart_named(&refs, "archivo", file)
    };
    let refused = operador
        .post_multipart("/peticiones/registrar", body(pairs(&fields("")), None))
        .await;
    expect_says(
        refused,
        422,
        &[
            "Remitente: es obligatorio",
            "Oficio escaneado: adjunte el oficio escaneado",
        ],
    )
    .await;

    let oficio = File {
        name: "oficio-cns.pdf",
        mime: "application/pdf",
        content: crate::common::PDF,
    };
    let filed = operador
        .post_multipart(
            "/peticiones/registrar",
            body(fields("Consejo Nacional de Salud"), Some(&oficio)),
        )
        .await;
    assert_eq!(filed.status(), 303);
    let location = header(&filed, "location").to_owned();
    let folio = location.strip_prefix("/peticiones/").unwrap().to_owned();
    let detail = operador.text(&location).await;
    says(&detail, &[&format!("Petición {folio} registrada")]);
    assert!(detail.contains("Código de acceso para la respuesta al remitente"));
    assert!(detail.contains("Escrito u oficio") && detail.contains("Oaxaca"));
    says(
        &detail,
        &["CNS/ST/123/2026 del 02/03/2026, de Consejo Nacional de Salud"],
    );
    let download = operador.get(&format!("/peticiones/{folio}/oficio")).await;
    assert_eq!(download.status(), 200);
    assert_eq!(download.bytes().await.unwrap().as_ref(), crate::common::PDF);
    let stored = app.stored_petition(&folio).await;
    assert_eq!(stored.petition.channel, Channel::Letter);
}

on_both_backends! {
    a_petition_that_came_in_a_letter_is_registered_with_it,
    a_petition_is_filed_and_followed_without_signing_in,
    too_many_submissions_are_refused,
    personal_data_are_masked_and_entidades_apart,
    the_call_center_file_is_uploaded_with_its_report,
}
