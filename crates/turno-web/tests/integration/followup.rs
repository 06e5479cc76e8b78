//! The follow-up pages with seed 003's program: imported through the page, followed (the
//! evidence rule in Spanish, the history, who may record), and reported; and a supervision of
//! a cnpss-94 case followed through its rounds to conclusion or escalation.

use crate::common::{
    Browser, File, PDF, TestApp, asm_tables, csrf_in, expect_page, header, hidden, multipart_files,
    multipart_named, says, today, with_commissioner, yesterday,
};
use turno_store::Role;

/// Uploads seed 003's recommendations and aspects with `activities` through the import page,
/// as an administrator.
async fn upload(app: &TestApp, activities: &str) -> reqwest::Response {
    let admin = app.signed_in("admin").await;
    let body = asm_tables(&admin.csrf("/seguimiento").await, activities);
    admin.post_multipart("/seguimiento/importar", body).await
}

async fn import(app: &TestApp) {
    let response = upload(app, "actividades-corregidas.csv").await;
    assert_eq!(response.status(), 303, "{}", response.text().await.unwrap());
}

async fn the_seeds_data_errors_are_shown_by_row_and_column_and_nothing_is_imported(app: TestApp) {
    let response = upload(&app, "actividades.csv").await;
    let page = expect_page(response, 422).await;
    assert!(page.contains("No se importó nada: 17 problemas"), "{page}");
    let zero = "«Ámbito de gestión»: «0» no es un ámbito de gestión (O, PP, RC, SER)";
    let empty = "«Área responsable»: está vacío";
    for problem in [
        "fila 52, «Fecha de término»: termina (2017-01-31) antes de empezar (2017-05-15)".into(),
        "fila 60, «No.»: el número 1 ya está en la fila 50".into(),
        format!("fila 38, {zero}"),
        format!("fila 79, {zero}"),
        format!("fila 19, {empty}"),
        format!("fila 69, {empty}"),
    ] {
        assert!(
            page.contains(&format!("<li>actividades.csv: {problem}</li>")),
            "{problem}"
        );
    }
    let admin = app.signed_in("admin").await;
    assert_eq!(admin.get("/seguimiento/ASM-2017").await.status(), 404);
    assert!(!admin.text("/seguimiento").await.contains("ASM-2017"));
}

async fn planning_person(app: &TestApp) {
    let planning = ("SESEQ-DP", "Dirección de Planeación");
    app.add_unit_with(planning, "planeacion", Role::Operador)
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
    // The evidence rule, in Spanish, on the form again with what was typed.
    let without = record("100", None).await;
    let again = expect_page(without, 422).await;
    assert!(again.contains("Una actividad no llega al 100 % sin evidencia adjunta."));
    assert!(again.contains(">Memorándum enviado</textarea>") && again.contains("value=\"100\""));
    let pdf = File {
        name: "memorandum.pdf",
        mime: "application/pdf",
        content: PDF,
    };
    // A problem of another field: the evidence received is held, and need not be sent again.
    let body = multipart_named(
        &[
            ("csrf", &csrf),
            ("actividad", "1"),
            ("avance", "cien"),
            ("nota", "Memorándum enviado"),
        ],
        "evidencia",
        Some(&pdf),
    );
    let held = person
        .post_multipart("/seguimiento/ASM-2017/A1/avance", body)
        .await;
    let again = expect_page(held, 422).await;
    assert!(again.contains("id=\"avance-error\""), "{again}");
    assert!(again.contains("Se conserva el archivo recibido, «memorandum.pdf»"));
    let body = multipart_named(
        &[
            ("csrf", &csrf),
            ("actividad", "1"),
            ("avance", "100"),
            ("nota", "Memorándum enviado"),
            ("archivo_retenido", &hidden(&again, "archivo_retenido")),
        ],
        "evidencia",
        None,
    );
    let recorded = person
        .post_multipart("/seguimiento/ASM-2017/A1/avance", body)
        .await;
    assert_eq!(recorded.status(), 303);
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

    // The three tables come back as one workbook, in the layouts they were imported from.
    let workbook = person.get("/seguimiento/ASM-2017/tablas").await;
    assert_eq!(workbook.status(), 200);
    assert_eq!(
        workbook.headers()["content-type"],
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    let bytes = workbook.bytes().await.unwrap();
    let mut problems = Vec::new();
    let tables = turno_domain::followup::read_file("ASM-2017.xlsx", &bytes, &mut problems).unwrap();
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(tables.len(), 3, "recommendations, aspects and activities");

    let report = person.get("/seguimiento/ASM-2017/informe").await;
    says(
        &expect_page(report, 409).await,
        &["El informe final necesita todas las actividades cerradas"],
    );
}

/// The app again with procedure 94 published, a unit of the Comisionado with a person in it,
/// and a supervision `SUP-QRO` of Querétaro with two recommendations registered by that person
/// on a cnpss-94 case of theirs.
pub(crate) async fn supervision(app: &TestApp) -> (TestApp, Browser) {
    let app = with_commissioner(app).await;
    let person = app.signed_in("comisionado").await;
    let csrf = person.csrf("/registrar/cnpss-94").await;
    let response = person
        .post(
            "/registrar/cnpss-94",
            &[
                ("csrf", &csrf),
                ("asunto", "Supervisión del SPSS en Querétaro"),
                ("medio", "Oficio"),
                ("solicitante", "Comisionado Nacional"),
                ("entidad_federativa", "Querétaro"),
                ("fecha_visita", "2026-02-10"),
                ("oficio_orden_visita", "CNPSS/0001/2026"),
                ("direcciones_supervisoras", "DGAO"),
            ],
        )
        .await;
    assert_eq!(response.status(), 303, "{}", response.text().await.unwrap());
    let folio = header(&response, "location")
        .strip_prefix("/asuntos/")
        .and_then(|rest| rest.strip_suffix("/acuse"))
        .expect("redirect to the acuse")
        .to_owned();
    let csrf = person.csrf("/seguimiento").await;
    let form = [
        ("csrf", csrf.as_str()),
        ("clave", "SUP-QRO"),
        ("folio", folio.as_str()),
        ("entidad", "Querétaro"),
        ("desde", "2026-03-01"),
        ("plazo", "2030-12-31"),
        (
            "recomendaciones",
            "Actualizar el padrón de afiliados\nPublicar las cuotas familiares",
        ),
    ];
    // Someone who does not see the case may not make it a supervision.
    let outsider = app.signed_in("ajeno").await;
    let refused = outsider
        .post(
            "/seguimiento/supervisiones",
            &[
                &[(
                    "csrf",
                    csrf_in(&outsider.text("/seguimiento").await).as_str(),
                )],
                &form[1..],
            ]
            .concat(),
        )
        .await;
    assert_eq!(refused.status(), 403);
    let response = person.post("/seguimiento/supervisiones", &form).await;
    assert_eq!(response.status(), 303, "{}", response.text().await.unwrap());
    assert!(person.text("/seguimiento/SUP-QRO").await.contains(&folio));
    // Procedure 94's supervision is a visit to the entidad, tied to its case.
    let visits = person.text("/visitas").await;
    assert!(
        visits.contains(&format!("href=\"/asuntos/{folio}\"")),
        "{visits}"
    );
    assert!(visits.contains("Querétaro"));
    (app, person)
}

/// A form shown again (`status`: 422, or 409 when someone acted first) with `why` under the
/// input `id` describes, and what was typed (`kept`, as the page writes it) still in it;
/// answers the page.
async fn shown_again(
    response: reqwest::Response,
    status: u16,
    (id, why): (&str, &str),
    kept: &[&str],
) -> String {
    assert_eq!(response.status(), status);
    let page = response.text().await.unwrap();
    let problem = format!("<p class=\"field-error\" id=\"{id}\" role=\"alert\">{why}</p>");
    assert!(page.contains(&problem), "{problem} in {page}");
    for value in kept {
        assert!(page.contains(value), "{value} kept in {page}");
    }
    page
}

/// The entidad's recommendation `item` attended, with its evidence, by an administrator (the
/// entidad has no people of its own in Turno).
async fn attend(app: &TestApp, item: &str) {
    let response = crate::common::attend(
        &app.signed_in("admin").await,
        &format!("/seguimiento/SUP-QRO/{item}"),
        &[("nota", "Oficio de atención de la entidad")],
    )
    .await;
    assert_eq!(response.status(), 303, "{}", response.text().await.unwrap());
}

/// Closes the next round as `person`; returns the answer's status.
async fn close_round(person: &Browser) -> u16 {
    let csrf = person.csrf("/seguimiento/SUP-QRO").await;
    person
        .post("/seguimiento/SUP-QRO/rondas", &[("csrf", &csrf)])
        .await
        .status()
        .as_u16()
}

/// The round lines of the dashboard, and whether it still offers to close one.
async fn rounds(person: &Browser) -> (Vec<String>, bool) {
    let page = person.text("/seguimiento/SUP-QRO").await;
    let lines = page
        .split("<td data-label=\"Resultado\">")
        .skip(1)
        .map(|rest| rest[..rest.find('<').unwrap()].to_owned())
        .collect();
    (
        lines,
        page.contains("Cerrar la siguiente ronda de seguimiento"),
    )
}

async fn a_supervision_concludes_when_all_are_attended_in_the_first_round(app: TestApp) {
    let (app, person) = supervision(&app).await;
    assert_eq!(rounds(&person).await, (vec![], true));
    // Who does not see the case may not close its rounds, nor is offered to.
    let outsider = app.signed_in("ajeno").await;
    assert_eq!(rounds(&outsider).await, (vec![], false));
    assert_eq!(close_round(&outsider).await, 403);
    attend(&app, "R1").await;
    attend(&app, "R2").await;
    assert_eq!(close_round(&person).await, 303);
    assert_eq!(rounds(&person).await, (vec!["concluida".to_owned()], false));
    assert_eq!(close_round(&person).await, 409, "nothing left to close");
    assert_eq!(rounds(&person).await.0.len(), 1);
}

async fn a_supervision_escalates_when_the_second_round_leaves_any_pending(app: TestApp) {
    let (app, person) = supervision(&app).await;
    assert_eq!(close_round(&person).await, 303);
    assert_eq!(
        rounds(&person).await,
        (vec!["pasa al segundo seguimiento".to_owned()], true)
    );
    attend(&app, "R1").await;
    assert_eq!(close_round(&person).await, 303);
    let page = person.text("/seguimiento/SUP-QRO").await;
    assert!(page.contains("<td data-label=\"Recomendaciones pendientes\">1</td>"));
    assert_eq!(
        rounds(&person).await,
        (
            vec![
                "pasa al segundo seguimiento".to_owned(),
                "escalada".to_owned()
            ],
            false
        )
    );
    attend(&app, "R2").await;
    assert_eq!(close_round(&person).await, 409, "an escalation is final");
    assert_eq!(rounds(&person).await.0.len(), 2);
}

/// A program of agreements of a meeting (a case of the Secretario Técnico's) written down on
/// the list page, and one more item on its own page; the consulta role only reads.
async fn agreements_are_written_down_and_added_on_the_pages(app: TestApp) {
    let person = app.signed_in("secretario").await;
    let folio = person.register_report().await;
    let list = person.text("/seguimiento").await;
    assert!(list.contains("<h2>Registrar un programa</h2>"));
    assert!(list.contains("<option value=\"SIDSS-ST\">"));
    let csrf = csrf_in(&list);
    let first = |key: &'static str, end: &'static str| {
        vec![
            ("csrf", csrf.clone()),
            ("clave", key.to_owned()),
            ("nombre", "Acuerdos de la reunión de marzo".to_owned()),
            ("folio", folio.clone()),
            ("tipo", "acuerdo".to_owned()),
            ("texto", "Publicar el Manual de Organización".to_owned()),
            ("unidad", "SIDSS-ST".to_owned()),
            ("actividad", "Enviar el manual a revisión".to_owned()),
            ("inicio", "2026-03-02".to_owned()),
            ("termino", end.to_owned()),
            ("productos", "Oficio de envío".to_owned()),
            // A blank row of the form is no activity.
            ("actividad", String::new()),
            ("inicio", String::new()),
            ("termino", String::new()),
            ("productos", String::new()),
        ]
    };
    let form =
        |fields: &[(&'static str, String)]| -> Vec<(&'static str, String)> { fields.to_vec() };
    let post = async |path: &str, fields: Vec<(&'static str, String)>| {
        let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        person.post(path, &fields).await
    };
    // Refused, the form is shown again with the problem under the activity's end and
    // everything typed in it.
    shown_again(
        post(
            "/seguimiento/acuerdos",
            form(&first("REUNION-P", "2026-03-01")),
        )
        .await,
        422,
        (
            "e-e-termino-1",
            "La actividad 1 del elemento 1 termina (2026-03-01) antes de empezar (2026-03-02).",
        ),
        &[
            "value=\"REUNION-P\"",
            "value=\"Acuerdos de la reunión de marzo\"",
            ">Publicar el Manual de Organización</textarea>",
            "<option value=\"SIDSS-ST\" selected>",
            "value=\"Enviar el manual a revisión\"",
            "value=\"2026-03-01\"",
            "value=\"Oficio de envío\"",
        ],
    )
    .await;
    let created = post(
        "/seguimiento/acuerdos",
        form(&first("REUNION-P", "2030-03-13")),
    )
    .await;
    assert_eq!(created.status(), 303);
    assert_eq!(created.headers()["location"], "/seguimiento/REUNION-P");
    let again = post(
        "/seguimiento/acuerdos",
        form(&first("REUNION-P", "2030-03-13")),
    )
    .await;
    shown_again(
        again,
        409,
        (
            "e-p-clave",
            "Ya existe un programa de seguimiento con la clave «REUNION-P»: elija otra.",
        ),
        &["value=\"REUNION-P\""],
    )
    .await;

    let page = person.text("/seguimiento/REUNION-P").await;
    assert!(page.contains("acuerdo 1"), "{page}");
    assert!(page.contains("Agregar una línea"));
    let csrf = csrf_in(&page);
    let item = [
        ("csrf", csrf.as_str()),
        ("tipo", "compromiso"),
        ("texto", "Capacitar a las áreas en el manual"),
        ("unidad", "Secretario Técnico"),
        ("actividad", "Impartir el curso"),
        ("inicio", "2026-04-01"),
        ("termino", "2030-04-30"),
    ];
    let late = [&item[..6], &[("termino", "2026-03-31"), ("plazo", "5")]].concat();
    shown_again(
        person.post("/seguimiento/REUNION-P/elementos", &late).await,
        422,
        (
            "e-e-plazo-1",
            "Escriba la fecha de término o el plazo en días hábiles de la actividad 1, no ambos.",
        ),
        &[
            ">Capacitar a las áreas en el manual</textarea>",
            "<option value=\"compromiso\" selected>",
            "value=\"Impartir el curso\"",
            "value=\"2026-03-31\"",
        ],
    )
    .await;
    assert!(
        !person
            .text("/seguimiento/REUNION-P")
            .await
            .contains("compromiso 1")
    );
    let added = person.post("/seguimiento/REUNION-P/elementos", &item).await;
    assert_eq!(added.status(), 303);
    assert_eq!(added.headers()["location"], "/seguimiento/REUNION-P/C1");
    let item_page = person.text("/seguimiento/REUNION-P/C1").await;
    assert!(item_page.contains("Capacitar a las áreas en el manual"));
    // The unit named by its name is the activity's responsible by its code: its people record.
    assert!(item_page.contains("<td data-label=\"Área responsable\">SIDSS-ST</td>"));
    assert!(item_page.contains("Registrar avance"));

    let consulta = app.signed_in("consulta").await;
    let list = consulta.text("/seguimiento").await;
    assert!(!list.contains("<h2>Registrar un programa</h2>"));
    assert!(
        !consulta
            .text("/seguimiento/REUNION-P")
            .await
            .contains("Agregar una línea")
    );
    let denied = consulta
        .post(
            "/seguimiento/REUNION-P/elementos",
            &[&[("csrf", csrf_in(&list).as_str())], &item[1..]].concat(),
        )
        .await;
    assert_eq!(denied.status(), 403);
}

/// A PTCI written down on the list page (its year required, a line of another kind refused),
/// its control action followed to 100 % with evidence (refused without it), its quarterly
/// cut-off on screen, as XLSX and as PDF, its roll-up to the Subsecretaría, and its lines
/// exported and imported back as new ones (a file with a problem adds nothing).
async fn a_ptci_is_written_down_followed_and_reported_by_quarter(app: TestApp) {
    let person = app.signed_in("secretario").await;
    let list = person.text("/seguimiento").await;
    assert!(list.contains("Programa de Trabajo de Control Interno (PTCI)"));
    let csrf = csrf_in(&list);
    let start = yesterday().to_string();
    let form = |year: &str, kind: &str| -> Vec<(String, String)> {
        [
            ("csrf", csrf.as_str()),
            ("programa", "ptci"),
            ("clave", "PTCI-1"),
            ("nombre", "Programa de Trabajo de Control Interno"),
            ("ejercicio", year),
            ("tipo", kind),
            ("texto", "Documentar los controles del turno de asuntos"),
            ("unidad", "SIDSS-ST"),
            ("actividad", "Actualizar el manual de procedimientos"),
            ("inicio", start.as_str()),
            ("plazo", "10"),
            ("productos", "Manual actualizado"),
        ]
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .to_vec()
    };
    let post = async |path: &str, fields: Vec<(String, String)>| {
        let fields: Vec<(&str, &str)> = fields
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        person.post(path, &fields).await
    };
    shown_again(
        post("/seguimiento/acuerdos", form("", "accion")).await,
        422,
        ("e-p-ejercicio", "Escriba el ejercicio."),
        &[
            "<option value=\"ptci\" selected>",
            "value=\"PTCI-1\"",
            "value=\"10\"",
        ],
    )
    .await;
    shown_again(
        post("/seguimiento/acuerdos", form("2026", "riesgo")).await,
        422,
        ("e-e-tipo", "Elija acción de control del elemento 1."),
        &["value=\"2026\"", "<option value=\"riesgo\" selected>"],
    )
    .await;
    let year = today().year().to_string();
    let created = post("/seguimiento/acuerdos", form(&year, "accion")).await;
    assert_eq!(created.status(), 303, "{}", created.text().await.unwrap());
    let page = person.text("/seguimiento/PTCI-1").await;
    assert!(
        page.contains(&format!(
            "Programa de Trabajo de Control Interno (PTCI) · {year}"
        )),
        "{page}"
    );
    assert!(page.contains("acción de control 1"), "{page}");
    // Ten días hábiles from its start, on the calendar.
    let item = person.text("/seguimiento/PTCI-1/CI1").await;
    assert!(item.contains("Actualizar el manual de procedimientos"));

    let csrf = person.csrf("/seguimiento/PTCI-1/CI1").await;
    let without = person
        .post_multipart(
            "/seguimiento/PTCI-1/CI1/avance",
            multipart_named(
                &[("csrf", &csrf), ("actividad", "1"), ("avance", "100")],
                "evidencia",
                None,
            ),
        )
        .await;
    assert_eq!(without.status(), 422, "the form again, with the reason");
    assert!(
        without
            .text()
            .await
            .unwrap()
            .contains("Una actividad no llega al 100 % sin evidencia adjunta.")
    );
    let done = crate::common::attend(&person, "/seguimiento/PTCI-1/CI1", &[]).await;
    assert_eq!(done.status(), 303, "{}", done.text().await.unwrap());

    let quarter = turno_domain::followup::Quarter::of(today());
    let asked = format!(
        "/seguimiento/PTCI-1/trimestre?anio={}&trimestre={}",
        quarter.year(),
        quarter.number()
    );
    let report = person.text(&asked).await;
    assert!(report.contains(&quarter.label()), "{report}");
    assert!(report.contains(">CI1</a>"), "{report}");
    assert!(report.contains("atendido"), "{report}");
    // The quarter before this one's end: nothing done yet then.
    let earlier = person
        .text(&format!(
            "/seguimiento/PTCI-1/trimestre?anio={}&trimestre=1",
            quarter.year() - 1
        ))
        .await;
    assert!(
        earlier.contains("<td data-label=\"Avance\">0 %</td>"),
        "{earlier}"
    );
    let xlsx = person.get(&format!("{asked}&formato=xlsx")).await;
    assert_eq!(xlsx.status(), 200);
    assert_eq!(
        header(&xlsx, "content-type"),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    assert!(xlsx.bytes().await.unwrap().starts_with(b"PK"));
    let pdf = person.get(&format!("{asked}&formato=pdf")).await;
    assert_eq!(pdf.status(), 200);
    assert!(pdf.bytes().await.unwrap().starts_with(b"%PDF"));
    assert!(
        person
            .get("/seguimiento/PTCI-1/trimestre?trimestre=5")
            .await
            .status()
            .is_client_error()
    );

    let rollup = person
        .text("/seguimiento/PTCI-1/concentrado?unidad=SIDSS-ST")
        .await;
    assert!(rollup.contains("Secretario Técnico (SIDSS-ST)"), "{rollup}");
    assert!(
        rollup
            .contains("<td data-label=\"Unidad\">Total</td><td data-label=\"Actividades\">1</td>"),
        "{rollup}"
    );
    assert_eq!(
        person
            .get("/seguimiento/PTCI-1/concentrado?unidad=NO-EXISTE")
            .await
            .status(),
        404
    );

    let exported = person.get("/seguimiento/PTCI-1/lineas?formato=csv").await;
    assert_eq!(header(&exported, "content-type"), "text/csv; charset=utf-8");
    let csv = exported.text().await.unwrap();
    assert!(csv.contains("CI1,acción de control,"), "{csv}");
    let csrf = person.csrf("/seguimiento/PTCI-1").await;
    let upload = async |content: &[u8]| {
        let file = File {
            name: "lineas.csv",
            mime: "text/csv",
            content,
        };
        person
            .post_multipart(
                "/seguimiento/PTCI-1/lineas",
                multipart_files(&[("csrf", &csrf)], "archivos", &[file]),
            )
            .await
    };
    let wrong = csv.replace(",SIDSS-ST,", ",NO-EXISTE,");
    let why = "La unidad responsable «NO-EXISTE» de la fila 2 (lineas.csv) no existe.";
    let refused = upload(wrong.as_bytes()).await;
    let page = expect_page(refused, 422).await;
    assert!(page.contains("No se agregó nada: 1 problema"), "{page}");
    assert!(page.contains(why), "{page}");
    // The file is held: sent again without choosing it, it is read again.
    assert!(page.contains("Se conservan los archivos recibidos («lineas.csv»)"));
    let again = person
        .post_multipart(
            "/seguimiento/PTCI-1/lineas",
            multipart_files(
                &[
                    ("csrf", &csrf),
                    ("archivo_retenido", &hidden(&page, "archivo_retenido")),
                ],
                "archivos",
                &[],
            ),
        )
        .await;
    assert_eq!(again.status(), 422);
    assert!(again.text().await.unwrap().contains(why));
    assert!(!person.text("/seguimiento/PTCI-1").await.contains("CI2"));
    let imported = upload(csv.as_bytes()).await;
    assert_eq!(imported.status(), 303, "{}", imported.text().await.unwrap());
    let page = person.text("/seguimiento/PTCI-1").await;
    assert!(page.contains("acción de control 2"), "{page}");
}

/// A PTCI line edited on its page: the form comes filled with the line; a term that would end
/// before the progress recorded comes back (422) with the reason next to the term and what was
/// typed kept; a good edit keeps the progress and shows the new text; the consulta role is
/// not offered the form.
async fn a_line_is_edited_on_its_page(app: TestApp) {
    let person = app.signed_in("secretario").await;
    let csrf = person.csrf("/seguimiento").await;
    let start = yesterday().to_string();
    let year = today().year();
    let far = format!("{}-12-31", year + 1);
    let created = person
        .post(
            "/seguimiento/acuerdos",
            &[
                ("csrf", &csrf),
                ("programa", "ptci"),
                ("clave", "PTCI-2"),
                ("nombre", "Programa de Trabajo de Control Interno"),
                ("ejercicio", &year.to_string()),
                ("tipo", "accion"),
                ("texto", "Documentar los controles"),
                ("unidad", "SIDSS-ST"),
                ("actividad", "Actualizar el manual"),
                ("inicio", &start),
                ("termino", &far),
            ],
        )
        .await;
    assert_eq!(created.status(), 303, "{}", created.text().await.unwrap());
    let csrf = person.csrf("/seguimiento/PTCI-2/CI1").await;
    let progress = person
        .post_multipart(
            "/seguimiento/PTCI-2/CI1/avance",
            multipart_named(
                &[("csrf", &csrf), ("actividad", "1"), ("avance", "40")],
                "evidencia",
                None,
            ),
        )
        .await;
    assert_eq!(progress.status(), 303, "{}", progress.text().await.unwrap());
    let item = person.text("/seguimiento/PTCI-2/CI1").await;
    assert!(
        item.contains("href=\"/seguimiento/PTCI-2/CI1/editar\""),
        "{item}"
    );

    let form = person.text("/seguimiento/PTCI-2/CI1/editar").await;
    assert!(
        form.contains("Documentar los controles</textarea>"),
        "{form}"
    );
    assert!(form.contains(&format!("value=\"{far}\"")), "{form}");
    let csrf = csrf_in(&form);
    let browser = &person;
    let edit = |text: &'static str, end: String| {
        let csrf = csrf.clone();
        let start = start.clone();
        async move {
            browser
                .post(
                    "/seguimiento/PTCI-2/CI1/editar",
                    &[
                        ("csrf", csrf.as_str()),
                        ("tipo", "accion"),
                        ("texto", text),
                        ("unidad", "SIDSS-ST"),
                        ("actividad", "Actualizar el manual"),
                        ("inicio", start.as_str()),
                        ("termino", end.as_str()),
                    ],
                )
                .await
        }
    };
    let why = format!(
        "La actividad 1 tiene avance registrado el {}: no puede terminar antes.",
        turno_domain::text::day(today())
    );
    shown_again(
        edit("Documentar y probar los controles", start.clone()).await,
        422,
        ("e-e-termino-1", &why),
        &["Documentar y probar los controles</textarea>"],
    )
    .await;
    let later = format!("{}-06-30", year + 2);
    let saved = edit("Documentar y probar los controles", later).await;
    assert_eq!(saved.status(), 303, "{}", saved.text().await.unwrap());
    let item = person.text("/seguimiento/PTCI-2/CI1").await;
    assert!(item.contains("Documentar y probar los controles"), "{item}");
    assert!(item.contains("40 %"), "the progress stays: {item}");
    assert!(item.contains(&format!("30/06/{}", year + 2)), "{item}");

    let consulta = app.signed_in("consulta").await;
    assert!(
        !consulta
            .text("/seguimiento/PTCI-2/CI1")
            .await
            .contains("/editar")
    );
    assert_eq!(
        consulta
            .get("/seguimiento/PTCI-2/CI1/editar")
            .await
            .status(),
        403
    );
}

on_both_backends! {
    a_line_is_edited_on_its_page,
    a_ptci_is_written_down_followed_and_reported_by_quarter,
    agreements_are_written_down_and_added_on_the_pages,
    seed_003_is_imported_followed_and_reported,
    the_seeds_data_errors_are_shown_by_row_and_column_and_nothing_is_imported,
    a_supervision_concludes_when_all_are_attended_in_the_first_round,
    a_supervision_escalates_when_the_second_round_leaves_any_pending,
}
