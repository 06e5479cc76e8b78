//! Administration in the browser, on SQLite and PostgreSQL: people and roles, units imported
//! from a file, días inhábiles imported and removed (moving the due dates of open work),
//! suplencias with their written delegation, the motives that classify petitions, and the audit
//! log of it all. Only
//! administrators administer; a titular names their own suplencias.

use crate::common::{
    Browser, File, PASSWORD, PDF, TestApp, csrf_in, expect_page, expect_says, multipart_named, says,
};
use turno_domain::engine::Calendars;
use turno_store::Store;
use turno_store::blobs::LocalBlobs;

async fn post(browser: &Browser, path: &str, form: &[(&str, &str)]) -> reqwest::Response {
    let csrf = browser.csrf("/bandeja").await;
    let mut all = vec![("csrf", csrf.as_str())];
    all.extend_from_slice(form);
    browser.post(path, &all).await
}

async fn people_and_roles_are_administered_on_record(app: TestApp) {
    let admin = app.signed_in("admin").await;
    let created = post(
        &admin,
        "/admin/personas",
        &[
            ("login", "rosa.enlace"),
            ("nombre", "Rosa Martínez"),
            ("correo", "rosa@example.org"),
            ("contrasena", PASSWORD),
        ],
    )
    .await;
    assert_eq!(created.status(), 303);
    let again = post(
        &admin,
        "/admin/personas",
        &[
            ("login", "rosa.enlace"),
            ("nombre", "Otra"),
            ("contrasena", PASSWORD),
        ],
    )
    .await;
    // Refused, the form again with what was typed.
    // Next to the login, not above the form.
    expect_says(again, 409, &[
            "id=\"alta-login-error\" role=\"alert\">Ya existe una persona con el usuario «rosa.enlace».</p>",
            "value=\"Otra\""]).await;
    let short = post(
        &admin,
        "/admin/personas",
        &[
            ("login", "breve"),
            ("nombre", "Breve"),
            ("contrasena", "corta"),
        ],
    )
    .await;
    assert_eq!(short.status(), 422);

    let grant = [
        ("login", "rosa.enlace"),
        ("unidad", "SIDSS-CAS"),
        ("papel", "operador"),
    ];
    assert_eq!(
        post(&admin, "/admin/personas/papeles", &grant)
            .await
            .status(),
        303
    );
    let page = admin.text("/admin/personas").await;
    assert!(
        page.contains("Rosa Martínez") && page.contains("Operador en Coordinación de Asesores")
    );
    let rosa = app.signed_in("rosa.enlace").await;
    assert_eq!(rosa.get("/bandeja").await.status(), 200);

    assert_eq!(
        post(&admin, "/admin/personas/papeles/quitar", &grant)
            .await
            .status(),
        303
    );
    let off = [("login", "rosa.enlace"), ("activa", "no")];
    assert_eq!(
        post(&admin, "/admin/personas/estado", &off).await.status(),
        303
    );
    let signing = app.browser().sign_in("rosa.enlace", PASSWORD).await;
    assert_ne!(
        signing.status(),
        303,
        "a person dada de baja cannot sign in"
    );

    let log = admin.text("/admin/bitacora?sujeto=rosa.enlace").await;
    for action in [
        "Alta de persona",
        "Papel asignado",
        "Papel retirado",
        "Persona dada de baja",
    ] {
        assert!(log.contains(action), "{action}");
    }
    // Nobody else administers, and the pages say nothing to them.
    let secretario = app.signed_in("secretario").await;
    for path in ["/admin/personas", "/admin/unidades", "/admin/bitacora"] {
        let response = secretario.get(path).await;
        assert_eq!(response.status(), 403, "{path}");
        assert!(!response.text().await.unwrap().contains("rosa.enlace"));
    }
    assert_eq!(
        post(&secretario, "/admin/personas/papeles", &grant)
            .await
            .status(),
        403
    );
}

async fn a_units_file_imports_whole_or_not_at_all(app: TestApp) {
    let admin = app.signed_in("admin").await;
    let csrf = csrf_in(&admin.text("/admin/unidades").await);
    let send = |text: &'static str| {
        let body = multipart_named(
            &[("csrf", csrf.as_str())],
            "archivo",
            Some(&File {
                name: "jalisco.csv",
                mime: "text/csv",
                content: text.as_bytes(),
            }),
        );
        let admin = &admin;
        async move { admin.post_multipart("/admin/unidades/importar", body).await }
    };
    let bad = send(
        "code,name,level,parent\nEF-JAL,Jalisco,entidad_federativa,\nSESA-JAL,Servicios de Salud Jalisco,servicios,EF-JAL\n",
    )
    .await;
    let page = expect_page(bad, 200).await;
    assert!(page.contains("no se importó nada"));
    assert!(page.contains("jalisco.csv:3:1: level: unknown level «servicios»"));
    assert!(
        app.store
            .units()
            .await
            .unwrap()
            .iter()
            .all(|u| u.code != "EF-JAL")
    );

    let good = send(
        "code,name,level,parent\nEF-JAL,Jalisco,entidad_federativa,\nSESA-JAL,Servicios de Salud Jalisco,servicios_estatales_de_salud,EF-JAL\n",
    )
    .await;
    assert!(
        good.text()
            .await
            .unwrap()
            .contains("2 unidades nuevas, 0 modificadas")
    );
    let log = admin.text("/admin/bitacora?sujeto=SESA-JAL").await;
    assert!(log.contains("Alta de unidad"));
}

async fn a_titular_names_a_suplencia_with_its_written_delegation(app: TestApp) {
    let secretario = app.signed_in("secretario").await;
    let folio = secretario.register_report().await;
    let page = secretario.text("/suplencias").await;
    assert!(page.contains("Nombrar una suplencia"));
    let today = crate::common::today();
    let (from, to) = (today.to_string(), today.tomorrow().unwrap().to_string());
    let form = |titularidad: &'static str, csrf: String, with_pdf: bool| {
        let pdf = File {
            name: "Oficio ST-045-2026.pdf",
            mime: "application/pdf",
            content: PDF,
        };
        multipart_named(
            &[
                ("csrf", csrf.as_str()),
                ("titularidad", titularidad),
                ("suplente", "asesor"),
                ("desde", from.as_str()),
                ("hasta", to.as_str()),
                ("motivo", "Comisión oficial del titular"),
            ],
            "oficio",
            with_pdf.then_some(&pdf),
        )
    };
    async fn send(browser: &Browser, body: Vec<u8>) -> reqwest::Response {
        browser.post_multipart("/suplencias", body).await
    }
    let without = send(
        &secretario,
        form("secretario SIDSS-ST", csrf_in(&page), false),
    )
    .await;
    assert_eq!(without.status(), 422);
    assert!(without.text().await.unwrap().contains("constancia escrita"));
    // Someone cannot name a suplencia for another titular.
    let asesor = app.signed_in("asesor").await;
    let csrf = asesor.csrf("/suplencias").await;
    assert_eq!(
        send(&asesor, form("secretario SIDSS-ST", csrf, true))
            .await
            .status(),
        403
    );

    let named = send(
        &secretario,
        form("secretario SIDSS-ST", csrf_in(&page), true),
    )
    .await;
    assert_eq!(named.status(), 303);
    let list = secretario.text("/suplencias").await;
    assert!(
        list.contains("Suplencia n.º 1 registrada.") && list.contains("Oficio ST-045-2026.pdf")
    );
    let oficio = secretario.get("/suplencias/1/oficio").await;
    assert_eq!(oficio.status(), 200);
    assert_eq!(oficio.bytes().await.unwrap().as_ref(), PDF);
    assert_eq!(
        app.signed_in("ajeno")
            .await
            .get("/suplencias/1/oficio")
            .await
            .status(),
        403
    );

    // In force today: the asesor, signing in, works the Secretario Técnico's matters.
    let suplente = app.signed_in("asesor").await;
    assert!(suplente.text("/bandeja").await.contains(&folio));
    let csrf = secretario.csrf("/suplencias").await;
    let revoked = secretario
        .post("/suplencias/1/revocar", &[("csrf", csrf.as_str())])
        .await;
    assert_eq!(revoked.status(), 303);
    assert!(
        secretario
            .text("/suplencias")
            .await
            .contains("Revocada por secretario")
    );
    let admin = app.signed_in("admin").await;
    let log = admin.text("/admin/bitacora?sujeto=secretario").await;
    assert!(log.contains("Suplencia registrada") && log.contains("Suplencia revocada"));
}

async fn a_unit_is_created_and_renamed_from_a_date(app: TestApp) {
    let admin = app.signed_in("admin").await;
    let created = post(
        &admin,
        "/admin/unidades",
        &[
            ("codigo", "SIDSS-ST-OP"),
            ("nombre", "Oficina de Enlace"),
            ("nivel", "departamento"),
            ("superior", "SIDSS-ST"),
        ],
    )
    .await;
    assert_eq!(created.status(), 303);
    // A unit cannot hang from one below it.
    let looped = post(
        &admin,
        "/admin/unidades",
        &[
            ("codigo", "SIDSS-ST"),
            ("nombre", "Secretario Técnico"),
            ("nivel", "unidad"),
            ("superior", "SIDSS-ST-OP"),
        ],
    )
    .await;
    // The form comes back with the problem next to its field and what was typed.
    expect_says(
        looped,
        422,
        &[
            "<p class=\"field-error\" id=\"u-superior-error\">«SIDSS-ST-OP» es «SIDSS-ST» o \
             depende de ella: no puede ser su unidad superior.</p>",
            "value=\"Secretario Técnico\"",
        ],
    )
    .await;
    let renamed = post(
        &admin,
        "/admin/unidades",
        &[
            ("codigo", "SIDSS-ST-OP"),
            ("nombre", "Oficina de Enlace y Seguimiento"),
            ("nivel", "departamento"),
            ("superior", "SIDSS-ST"),
            ("desde", "2026-01-01"),
        ],
    )
    .await;
    assert_eq!(renamed.status(), 303);
    let unit = app
        .store
        .organization()
        .await
        .unwrap()
        .into_iter()
        .find(|u| u.code == "SIDSS-ST-OP")
        .unwrap();
    assert_eq!(
        unit.as_of(jiff::civil::date(2025, 12, 31))
            .map(|f| f.name.as_str()),
        Some("Oficina de Enlace")
    );
    assert_eq!(unit.current.name, "Oficina de Enlace y Seguimiento");
    let log = admin.text("/admin/bitacora?sujeto=SIDSS-ST-OP").await;
    assert!(log.contains("Alta de unidad") && log.contains("Cambio de unidad"));
    let secretario = app.signed_in("secretario").await;
    assert_eq!(
        post(
            &secretario,
            "/admin/unidades",
            &[("codigo", "X"), ("nombre", "X"), ("nivel", "area")]
        )
        .await
        .status(),
        403
    );
}

/// A report turned by the Secretario Técnico to the Coordinación de Asesores with 10 días
/// hábiles from today: its folio and the turn's due date.
pub async fn turned_report(app: &TestApp) -> (String, jiff::civil::Date) {
    let secretario = app.signed_in("secretario").await;
    let folio = secretario.register_report().await;
    let csrf = csrf_in(&secretario.text(&format!("/asuntos/{folio}")).await);
    let id = app.store.find_case(&folio).await.unwrap().unwrap();
    let version = app.store.load_current(id).await.unwrap().head.version;
    let turned = post(
        &secretario,
        &format!("/asuntos/{folio}/turnar"),
        &[
            ("csrf", &csrf),
            ("item", "1"),
            ("version", &version.to_string()),
            ("unidades", "SIDSS-CAS"),
            ("instruccion", "Para su atención"),
            ("plazo", "10"),
        ],
    )
    .await;
    assert_eq!(turned.status(), 303);
    let current = app.store.load_current(id).await.unwrap();
    (folio, current.case.open.iter().find_map(|w| w.due).unwrap())
}

async fn a_calendar_file_moves_open_due_dates_and_every_process_sees_it(app: TestApp) {
    let (folio, due) = turned_report(&app).await;
    let statutory = Calendars::statutory();
    // A day off inside the term, whatever today is: the second business day before it is due.
    let day_off = statutory.lfpa.add_business_days(due, -2).unwrap();
    let later = statutory.lfpa.add_business_days(due, 1).unwrap();
    // Another process on the same database, with the calendars it started with.
    let other = crate::common::state(&app, LocalBlobs::new(std::env::temp_dir())).await;

    let admin = app.signed_in("admin").await;
    let csrf = csrf_in(&admin.text("/admin/calendario").await);
    let send = |name: &'static str, text: String| {
        let body = multipart_named(
            &[("csrf", csrf.as_str())],
            "archivo",
            Some(&File {
                name,
                mime: "application/toml",
                content: text.as_bytes(),
            }),
        );
        let admin = &admin;
        async move {
            admin
                .post_multipart("/admin/calendario/importar", body)
                .await
                .text()
                .await
                .unwrap()
        }
    };
    let page = send(
        "malo.toml",
        "[[days]]\ndate = \"2026-02-30\"\nname = \"Día\"\n".into(),
    )
    .await;
    says(
        &page,
        &[
            "no se importó nada",
            "malo.toml:2:8: days[0].date: 2026-02-30 no es una fecha válida",
        ],
    );
    assert_eq!(app.store.calendar_revision().await.unwrap(), 0);

    let text = format!(
        "[[days]]\ndate = \"{day_off}\"\nname = \"Suspensión de labores\"\nsource = \"DOF\"\n"
    );
    let page = send("acuerdo.toml", text).await;
    let (before, after) = (
        due.strftime("%d/%m/%Y").to_string(),
        later.strftime("%d/%m/%Y").to_string(),
    );
    says(
        &page,
        &[
            "Días o periodos nuevos: 1; ya registrados: 0.",
            "Fechas límite recalculadas (1)",
            &format!(
                "<a href=\"/asuntos/{folio}\">{folio}</a></td><td>1.1</td><td>{before}</td><td>{after}</td>"
            ),
        ],
    );
    let record = admin.text(&format!("/asuntos/{folio}")).await;
    assert!(
        record.contains(&format!(
            "Fecha límite recalculada de la actividad 1.1: {before} → {after} \
             (Calendario: se agregó día inhábil {} «Suspensión de labores»).",
            turno_domain::text::day(day_off)
        )),
        "{record}"
    );

    // The other process sees the new revision on its scheduler's next tick.
    assert!(other.calendars.current().lfpa.is_business_day(day_off));
    turno_web::scheduler::tick(&other).await;
    assert_eq!(other.calendars.revision(), 1);
    assert!(!other.calendars.current().lfpa.is_business_day(day_off));

    // Removing the entry gives the term its day back.
    let id = app.store.calendar().await.unwrap().entries[0]
        .id
        .to_string();
    let page = admin
        .text(&format!("/admin/calendario?anio={}", day_off.year()))
        .await;
    assert!(
        page.contains("Suspensión de labores") && page.contains("acuerdo.toml"),
        "{page}"
    );
    let removed = post(
        &admin,
        "/admin/calendario/quitar",
        &[("csrf", &csrf), ("entrada", &id)],
    )
    .await
    .text()
    .await
    .unwrap();
    says(&removed, &[&format!("<td>{after}</td><td>{before}</td>")]);
    let log = admin.text("/admin/bitacora?sujeto=acuerdo.toml").await;
    assert!(log.contains("Días inhábiles importados") && log.contains("Día inhábil quitado"));

    let secretario = app.signed_in("secretario").await;
    assert_eq!(
        post(
            &secretario,
            "/admin/calendario/quitar",
            &[("csrf", &csrf), ("entrada", &id)]
        )
        .await
        .status(),
        403
    );
}

async fn a_states_days_count_once_the_agency_is_in_that_state(app: TestApp) {
    let (folio, due) = turned_report(&app).await;
    let statutory = Calendars::statutory();
    let day_off = statutory.lfpa.add_business_days(due, -2).unwrap();
    let later = statutory.lfpa.add_business_days(due, 1).unwrap();
    // A day of Querétaro only: stored, but not counted while the agency is in no state.
    let text = format!(
        "[[days]]\ndate = \"{day_off}\"\nname = \"Aniversario estatal\"\nstate = \"QRO\"\n"
    );
    turno_store::calendar::import(&app.store, &[("queretaro.toml", text.as_str())], "admin")
        .await
        .unwrap();
    turno_web::scheduler::tick(&app.state).await;
    let id = app.store.find_case(&folio).await.unwrap().unwrap();
    let due_now = || async {
        let current = app.store.load_current(id).await.unwrap();
        current.case.open.iter().find_map(|w| w.due).unwrap()
    };
    assert_eq!(due_now().await, due, "another state's day does not count");

    let admin = app.signed_in("admin").await;
    let page = admin.text("/admin/calendario").await;
    says(&page, &["<option value=\"\" selected>Ninguna"]);
    let saved = post(
        &admin,
        "/admin/calendario/alcance",
        &[
            ("csrf", &csrf_in(&page)),
            ("institucion", "SSA"),
            ("entidad", "QRO"),
        ],
    )
    .await
    .text()
    .await
    .unwrap();
    says(
        &saved,
        &["Calendario: ahora cuenta los días inhábiles de SSA y de Querétaro"],
    );
    assert!(saved.contains("<option value=\"QRO\" selected>Querétaro</option>"));
    assert!(saved.contains("value=\"SSA\""));
    assert_eq!(
        due_now().await,
        later,
        "the agency's own state's day counts"
    );
    let record = admin.text(&format!("/asuntos/{folio}")).await;
    assert!(record.contains("(Calendario: ahora cuenta los días inhábiles de SSA y de Querétaro)"));

    let refused = post(
        &admin,
        "/admin/calendario/alcance",
        &[("csrf", &csrf_in(&page)), ("entidad", "Atlántida")],
    )
    .await;
    says(
        &expect_page(refused, 400).await,
        &["«Atlántida» no es una entidad federativa."],
    );
    let log = admin.text("/admin/bitacora?sujeto=calendario").await;
    says(&log, &["Alcance del calendario cambiado"]);
}

/// A motive is added for some types, a bad code and a taken one are refused, and it is retired;
/// both on the audit log. Nobody else administers the catalog.
async fn the_motive_catalog_is_administered_on_record(app: TestApp) {
    let admin = app.signed_in("admin").await;
    let added = post(
        &admin,
        "/admin/motivos",
        &[
            ("clave", "MED-SURT"),
            ("nombre", "Surtimiento de medicamentos"),
            ("tipo", "queja"),
            ("tipo", "gestion"),
        ],
    )
    .await;
    assert_eq!(added.status(), 303);
    let page = admin.text("/admin/motivos").await;
    says(&page, &["Surtimiento de medicamentos", "Queja, Gestión"]);
    let bad = post(
        &admin,
        "/admin/motivos",
        &[("clave", "med surt"), ("nombre", "X")],
    )
    .await;
    assert_eq!(bad.status(), 422);
    let taken = post(
        &admin,
        "/admin/motivos",
        &[("clave", "MED-SURT"), ("nombre", "Otro")],
    )
    .await;
    let page = expect_page(taken, 422).await;
    // Next to the code, not above the form; what was typed kept.
    assert!(
        page.contains("id=\"m-clave-error\" role=\"alert\">") && page.contains("MED-SURT"),
        "{page}"
    );
    assert!(!page.contains("No se guardó:"), "{page}");
    says(&page, &["value=\"Otro\""]);
    let retired = post(&admin, "/admin/motivos/retirar", &[("clave", "MED-SURT")]).await;
    assert_eq!(retired.status(), 303);
    assert!(admin.text("/admin/motivos").await.contains("Retirado"));
    let again = post(&admin, "/admin/motivos/retirar", &[("clave", "MED-SURT")]).await;
    assert_eq!(again.status(), 400);
    let log = admin.text("/admin/bitacora?sujeto=MED-SURT").await;
    assert!(
        log.contains("Motivo agregado") && log.contains("Motivo retirado"),
        "{log}"
    );

    let titular = app.signed_in("secretario").await;
    assert_eq!(titular.get("/admin/motivos").await.status(), 403);
    let refused = post(
        &titular,
        "/admin/motivos",
        &[("clave", "OTRO"), ("nombre", "Otro")],
    )
    .await;
    assert_eq!(refused.status(), 403);
}

/// One day off written on the calendar page moves the term that counted on it, as a file's
/// does; a reversed period is refused, and only administrators add.
async fn a_day_off_is_added_on_the_calendar_page(app: TestApp) {
    let (folio, due) = turned_report(&app).await;
    let day_off = Calendars::statutory()
        .lfpa
        .add_business_days(due, -2)
        .unwrap()
        .to_string();
    let admin = app.signed_in("admin").await;
    let page = admin.text("/admin/calendario").await;
    assert!(page.contains("Agregar un día o periodo inhábil"));
    let added = post(
        &admin,
        "/admin/calendario/agregar",
        &[
            ("desde", &day_off),
            ("nombre", "Suspensión de labores"),
            ("regimen", "lfpa"),
            ("fuente", "DOF"),
        ],
    )
    .await;
    let added = expect_says(
        added,
        200,
        &[
            "Días o periodos nuevos: 1",
            &format!("<a href=\"/asuntos/{folio}\">"),
        ],
    )
    .await;
    assert!(added.contains("agregado en Turno") && added.contains("LFPA"));
    let reversed = post(
        &admin,
        "/admin/calendario/agregar",
        &[
            ("desde", "2026-12-31"),
            ("hasta", "2026-12-01"),
            ("nombre", "Vacaciones"),
        ],
    )
    .await;
    expect_says(
        reversed,
        422,
        &[
            "<p class=\"field-error\" id=\"a-hasta-error\">El último día no puede ser anterior \
             al primero.</p>",
            "value=\"Vacaciones\"",
        ],
    )
    .await;
    let secretario = app.signed_in("secretario").await;
    let denied = post(
        &secretario,
        "/admin/calendario/agregar",
        &[("desde", "2026-12-07"), ("nombre", "Otro")],
    )
    .await;
    assert_eq!(denied.status(), 403);
}

/// A día inhábil written on the page is changed by its form (the term recounted on the new
/// day, the change on the bitácora in words) and a form with problems keeps what was typed,
/// each problem next to its field. The page names an imported file without the server's
/// folders.
async fn a_day_off_is_changed_by_its_form(app: TestApp) {
    let (folio, due) = turned_report(&app).await;
    let lfpa = Calendars::statutory().lfpa;
    let day_off = lfpa.add_business_days(due, -2).unwrap();
    let later = lfpa.add_business_days(due, 1).unwrap();
    let admin = app.signed_in("admin").await;
    let added = post(
        &admin,
        "/admin/calendario/agregar",
        &[("desde", &day_off.to_string()), ("nombre", "Suspensión")],
    )
    .await;
    assert_eq!(added.status(), 200);
    let id = app.store.calendar().await.unwrap().entries[0].id;

    let form = admin
        .text(&format!(
            "/admin/calendario?anio={}&editar={id}",
            day_off.year()
        ))
        .await;
    says(
        &form,
        &[
            "Cambiar un día o periodo inhábil",
            &format!("value=\"{day_off}\""),
            "action=\"/admin/calendario/cambiar\"",
        ],
    );

    // Every problem at once, next to its field, and nothing typed lost.
    let wrong = post(
        &admin,
        "/admin/calendario/cambiar",
        &[
            ("entrada", &id.to_string()),
            ("desde", "2026-13-01"),
            ("nombre", " "),
            ("institucion", "S S A"),
            ("fuente", "DOF del lunes"),
        ],
    )
    .await;
    let wrong = expect_page(wrong, 422).await;
    for (id, message) in [
        ("a-desde-error", "Escriba el primer día como AAAA-MM-DD."),
        ("a-nombre-error", "Escriba el nombre del día."),
        (
            "a-institucion-error",
            "«S S A» no es una clave de institución",
        ),
    ] {
        assert!(
            wrong.contains(&format!("<p class=\"field-error\" id=\"{id}\">{message}")),
            "{id}: {wrong}"
        );
    }
    says(
        &wrong,
        &["value=\"DOF del lunes\"", "name=\"entrada\" value=\""],
    );

    // Moved to the day after the due date: the term gets its day back.
    let changed = post(
        &admin,
        "/admin/calendario/cambiar",
        &[
            ("entrada", &id.to_string()),
            ("desde", &later.to_string()),
            ("nombre", "Suspensión de labores"),
        ],
    )
    .await;
    let changed = expect_page(changed, 200).await;
    let (shifted, back) = (
        turno_domain::text::day(lfpa.add_business_days(due, 1).unwrap()),
        turno_domain::text::day(due),
    );
    says(
        &changed,
        &[&format!(
            "<a href=\"/asuntos/{folio}\">{folio}</a></td><td>1.1</td><td>{shifted}</td><td>{back}</td>"
        )],
    );
    let stored = &app.store.calendar().await.unwrap().entries[0];
    assert_eq!(
        (stored.id, stored.period.from, stored.period.name.as_str()),
        (id, later, "Suspensión de labores")
    );
    let log = admin.text("/admin/bitacora").await;
    says(&log, &["Día inhábil cambiado"]);
    assert!(
        log.contains(&format!(
            "<del>{}</del> → <ins>{}</ins>",
            turno_domain::text::day(day_off),
            turno_domain::text::day(later)
        )),
        "{log}"
    );
    says(
        &log,
        &["<del>Suspensión</del> → <ins>Suspensión de labores</ins>"],
    );

    // A file read from a folder of the server is named without it.
    turno_store::calendar::import(
        &app.store,
        &[(
            "/srv/turno/calendarios/2026.toml",
            "[[days]]\ndate = \"2026-11-20\"\nname = \"Revolución\"\n",
        )],
        "demo",
    )
    .await
    .unwrap();
    let page = admin.text("/admin/calendario?anio=2026").await;
    says(&page, &["2026.toml, "]);
    assert!(!page.contains("/srv/turno"), "{page}");
    let log = admin.text("/admin/bitacora").await;
    assert!(!log.contains("/srv/turno"), "{log}");

    let missing = post(
        &admin,
        "/admin/calendario/cambiar",
        &[
            ("entrada", "999999"),
            ("desde", "2026-12-07"),
            ("nombre", "X"),
        ],
    )
    .await;
    assert_eq!(missing.status(), 404);
    let secretario = app.signed_in("secretario").await;
    let denied = post(
        &secretario,
        "/admin/calendario/cambiar",
        &[
            ("entrada", &id.to_string()),
            ("desde", "2026-12-07"),
            ("nombre", "X"),
        ],
    )
    .await;
    assert_eq!(denied.status(), 403);
}

/// A unit of the list is changed in place: its form filled in, its code kept; problems come
/// back next to their fields; the bitácora says what it was and what it is.
async fn a_unit_is_changed_in_place(app: TestApp) {
    let admin = app.signed_in("admin").await;
    let list = admin.text("/admin/unidades").await;
    says(&list, &["href=\"/admin/unidades?editar=SIDSS-ST#una\""]);
    let form = admin.text("/admin/unidades?editar=SIDSS-ST").await;
    says(
        &form,
        &[
            "Cambiar la unidad SIDSS-ST",
            "action=\"/admin/unidades/SIDSS-ST\"",
        ],
    );
    let name = app
        .store
        .organization()
        .await
        .unwrap()
        .into_iter()
        .find(|u| u.code == "SIDSS-ST")
        .unwrap()
        .current
        .name;
    says(&form, &[&format!("value=\"{name}\"")]);

    let wrong = post(
        &admin,
        "/admin/unidades/SIDSS-ST",
        &[
            ("nombre", ""),
            ("nivel", "nivel"),
            ("siglas", "ST"),
            ("desde", "ayer"),
        ],
    )
    .await;
    let wrong = expect_page(wrong, 422).await;
    for (id, message) in [
        ("u-nombre-error", "Escriba el nombre."),
        ("u-nivel-error", "Ese nivel no existe."),
        ("u-desde-error", "«Desde» («ayer») no es una fecha."),
    ] {
        assert!(
            wrong.contains(&format!(
                "<p class=\"field-error\" id=\"{id}\">{message}</p>"
            )),
            "{id}: {wrong}"
        );
    }
    assert!(
        wrong.contains("value=\"ST\"") && wrong.contains("value=\"ayer\""),
        "{wrong}"
    );

    let changed = post(
        &admin,
        "/admin/unidades/SIDSS-ST",
        &[
            ("nombre", "Secretaría Técnica"),
            ("nivel", "direccion"),
            ("siglas", "ST"),
        ],
    )
    .await;
    assert_eq!(changed.status(), 303);
    let log = admin.text("/admin/bitacora?sujeto=SIDSS-ST").await;
    says(
        &log,
        &[
            "Se cambió la unidad «Secretaría Técnica» (SIDSS-ST).",
            &format!("<del>{name}</del> → <ins>Secretaría Técnica</ins>"),
            "<dt>Siglas</dt>",
        ],
    );
    assert!(!log.contains("{&quot;"), "the log shows no JSON: {log}");

    let missing = post(
        &admin,
        "/admin/unidades/NO-EXISTE",
        &[("nombre", "X"), ("nivel", "area")],
    )
    .await;
    assert_eq!(missing.status(), 404);
    assert!(
        !app.store
            .organization()
            .await
            .unwrap()
            .iter()
            .any(|u| u.code == "NO-EXISTE")
    );
    let secretario = app.signed_in("secretario").await;
    let denied = post(
        &secretario,
        "/admin/unidades/SIDSS-ST",
        &[("nombre", "X"), ("nivel", "area")],
    )
    .await;
    assert_eq!(denied.status(), 403);
}

/// The RFC and CURP that a signer's e.firma must carry, typed when a person is created or
/// afterwards on their own form: each checked by its field, in Spanish, what was typed kept;
/// shown on the person's row and on the audit log.
async fn a_signers_rfc_and_curp_are_kept_on_the_people_page(app: TestApp) {
    use turno_store::Signatures;
    let admin = app.signed_in("admin").await;
    let wrong = post(
        &admin,
        "/admin/personas",
        &[
            ("login", "firmante"),
            ("nombre", "Ana López"),
            ("contrasena", PASSWORD),
            ("rfc", "LONA80"),
            ("curp", "LONA800101MDFPXN00"),
        ],
    )
    .await;
    let page = expect_page(wrong, 422).await;
    assert!(
        page.contains("id=\"alta-rfc-error\" role=\"alert\">"),
        "{page}"
    );
    assert!(
        page.contains("id=\"alta-curp-error\" role=\"alert\">"),
        "{page}"
    );
    assert!(page.contains("value=\"LONA80\""), "{page}");
    assert!(app.store.user_by_login("firmante").await.unwrap().is_none());

    let created = post(
        &admin,
        "/admin/personas",
        &[
            ("login", "firmante"),
            ("nombre", "Ana López"),
            ("contrasena", PASSWORD),
            ("rfc", "lona800101ab1"),
        ],
    )
    .await;
    assert_eq!(created.status(), 303);
    let page = admin.text("/admin/personas").await;
    assert!(page.contains("RFC LONA800101AB1"), "{page}");

    let refused = post(
        &admin,
        "/admin/personas/identidad",
        &[
            ("login", "firmante"),
            ("rfc", "LONA800101AB1"),
            ("curp", "LONA800101MDFPXN0"),
        ],
    )
    .await;
    let page = expect_page(refused, 422).await;
    assert!(
        page.contains("id=\"identidad-curp-error\" role=\"alert\">"),
        "{page}"
    );
    assert!(page.contains("value=\"LONA800101MDFPXN0\""), "{page}");
    let set = post(
        &admin,
        "/admin/personas/identidad",
        &[
            ("login", "firmante"),
            ("rfc", "LONA800101AB1"),
            ("curp", "LONA800101MDFPXN05"),
        ],
    )
    .await;
    assert_eq!(set.status(), 303);
    let id = app
        .store
        .user_by_login("firmante")
        .await
        .unwrap()
        .unwrap()
        .user
        .id;
    let identity = app.store.signer_identity(id).await.unwrap().unwrap();
    assert_eq!(identity.rfc.as_deref(), Some("LONA800101AB1"));
    assert_eq!(identity.curp.as_deref(), Some("LONA800101MDFPXN05"));
    let page = admin.text("/admin/personas").await;
    assert!(page.contains("CURP LONA800101MDFPXN05"), "{page}");
    let log = admin.text("/admin/bitacora?sujeto=firmante").await;
    assert!(log.contains("RFC y CURP de la e.firma"), "{log}");
    // Nobody else sets them.
    let secretario = app.signed_in("secretario").await;
    let denied = post(
        &secretario,
        "/admin/personas/identidad",
        &[("login", "firmante"), ("rfc", "")],
    )
    .await;
    assert_eq!(denied.status(), 403);
}

on_both_backends! {
    a_signers_rfc_and_curp_are_kept_on_the_people_page,
    a_day_off_is_changed_by_its_form,
    a_unit_is_changed_in_place,
    a_day_off_is_added_on_the_calendar_page,
    the_motive_catalog_is_administered_on_record,
    a_states_days_count_once_the_agency_is_in_that_state,
    a_calendar_file_moves_open_due_dates_and_every_process_sees_it,
    a_unit_is_created_and_renamed_from_a_date,
    people_and_roles_are_administered_on_record,
    a_units_file_imports_whole_or_not_at_all,
    a_titular_names_a_suplencia_with_its_written_delegation,
}
