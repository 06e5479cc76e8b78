//! The whole correspondence loop by clicking (issue 17, item 8; docs/correspondence.md): the
//! Secretario Técnico registers an oficio from outside with its scan and turns it for knowledge
//! to a unit and for attention to a person of another; that person answers by drafting an
//! oficio, a reviewer gives the visto bueno, the unit's titular signs it (an ordinary signature:
//! e.firma has its own journey) and dispatches it, and records the outside addressee's acuse; the
//! turns are closed, the document reads «Concluido», the search finds it and the unit's report
//! counts it, broken down per unit with its chart. Then an administrator imports a unit's
//! register: a file with problems is refused, a good one previewed, then imported. Every page
//! of the loop is checked for accessibility (`axe.rs`).

use super::session::{ENTER, Session};
use crate::common::{Backend, PDF, spawn, unique};
use turno_store::Role;

const SUBJECT: &str = "Solicitud de información sobre el abasto de medicamentos";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_oficio_is_registered_turned_answered_signed_dispatched_and_closed() {
    let app = spawn(Backend::Sqlite).await;
    app.add_person("coordinadora", "SIDSS-CAS", Role::Titular, None)
        .await;
    app.add_person("revisora", "SIDSS-CAS", Role::Operador, None)
        .await;
    let folder = std::env::temp_dir().join(format!(
        "turno-e2e-correspondencia-{}-{}",
        std::process::id(),
        unique()
    ));
    std::fs::create_dir_all(&folder).unwrap();
    let scan = folder.join("oficio-SSQ-0456.pdf");
    std::fs::write(&scan, PDF).unwrap();
    let signed = folder.join("respuesta-firmada.pdf");
    std::fs::write(&signed, PDF).unwrap();
    let acuse = folder.join("acuse.pdf");
    std::fs::write(&acuse, PDF).unwrap();

    let mut s = Session::start(&app, "correspondencia").await;

    // The oficialía de partes of the Secretario Técnico registers the oficio with its scan.
    s.goto("/acceso").await;
    s.shot("acceso").await;
    s.sign_in("secretario").await;
    s.shot("bandeja").await;
    s.click_text("Correspondencia de entrada").await;
    s.wait_for("<h1>Correspondencia de entrada</h1>").await;
    s.shot("entrada").await;
    s.click_text("Registrar un documento").await;
    s.wait_for("<h1>Registrar un documento recibido</h1>").await;
    s.choose("kind", "Oficio").await;
    s.fill("their_number", "SSQ/DG/0456/2026").await;
    s.fill("subject", SUBJECT).await;
    s.fill(
        "summary",
        "Pide el abasto de medicamentos de los últimos tres meses por jurisdicción.",
    )
    .await;
    s.choose("sender_kind", "Dependencia o entidad externa")
        .await;
    s.fill("sender_name", "Dra. Ana López Núñez").await;
    s.fill("sender_position", "Directora General").await;
    s.fill("sender_organization", "Servicios de Salud de Querétaro")
        .await;
    s.fill("term_days", "10").await;
    s.choose_file("#f-files", &scan).await;
    s.shot("registrar").await;
    s.submit().await;
    let page = s.wait_for("Documento registrado con el folio").await;
    let folio = heading_folio(&page);
    assert!(page.contains("oficio-SSQ-0456.pdf"), "the scan is kept");
    s.shot("registrado").await;

    // Turned for knowledge to a unit, and for attention to a person of another.
    s.click("#t-turnar-unit option[value='OTRA-UNIDAD']").await;
    s.click("#t-turnar-instruction option[value='conocimiento']")
        .await;
    s.click("section[aria-labelledby=turnar] button[type=submit]")
        .await;
    s.wait_for("Turno registrado.").await;
    s.shot("turnado-a-unidad").await;
    s.click("#t-turnar-unit option[value='SIDSS-CAS']").await;
    // The person, typed into the chooser (its input shows once its control is clicked).
    s.click("section[aria-labelledby=turnar] .ts-control").await;
    let input = s
        .client
        .find("section[aria-labelledby=turnar] .ts-control input")
        .await;
    s.client.send_keys(&input, "asesor").await;
    until(
        &s,
        "const a = document.querySelector('section[aria-labelledby=turnar] .ts-dropdown .option.active');
         return !!a && a.dataset.value === 'asesor';",
    )
    .await;
    s.client.press(&[ENTER]).await;
    until(
        &s,
        "return document.getElementById('t-turnar-person').value === 'asesor';",
    )
    .await;
    s.click("#t-turnar-instruction option[value='atencion']")
        .await;
    s.type_into("#t-turnar-days", "10").await;
    s.type_into(
        "#t-turnar-note",
        "Prepare la respuesta con las cifras del SINAIS.",
    )
    .await;
    s.shot("turnar-a-persona").await;
    s.click("section[aria-labelledby=turnar] button[type=submit]")
        .await;
    s.wait_for("Turno registrado.").await;
    let page = s.text().await;
    assert!(page.contains(": asesor"), "turned to the person: {page}");
    s.sign_out().await;

    // The unit turned for knowledge reads it: its turn closes on reading.
    s.sign_in("ajeno").await;
    s.click(&format!("main a[href='/correspondencia/{folio}']"))
        .await;
    s.wait_for(&format!("<h1>Documento {folio}</h1>")).await;
    s.sign_out().await;

    // The person finds the turn in the inbox and answers with an oficio.
    s.sign_in("asesor").await;
    s.shot("bandeja-asesor").await;
    s.click(&format!("main a[href='/correspondencia/{folio}']"))
        .await;
    let page = s.wait_for(&format!("<h1>Documento {folio}</h1>")).await;
    assert!(
        page.contains("Leído"),
        "the knowledge turn was read: {page}"
    );
    s.shot("documento-asesor").await;
    s.click_text("Correspondencia de salida").await;
    s.wait_for("<h1>Correspondencia de salida</h1>").await;
    s.shot("salida").await;
    s.click_text("Redactar un documento").await;
    s.wait_for("<h1>Redactar un documento</h1>").await;
    s.fill(
        "recipients",
        "Dra. Ana López Núñez | Directora General | Servicios de Salud de Querétaro",
    )
    .await;
    s.fill("subject", "Respuesta sobre el abasto de medicamentos")
        .await;
    s.fill("attention_to", "su oficio SSQ/DG/0456/2026").await;
    s.fill(
        "body",
        "En atención a su oficio, le envío el abasto de medicamentos de los últimos tres meses.",
    )
    .await;
    s.fill("copies", "SIDSS-ST").await;
    s.fill("reviewers", "revisora").await;
    let answers = s
        .client
        .find_xpath(&format!(
            "//select[@name='answers_turn']/option[starts-with(normalize-space(), '{folio}:')]"
        ))
        .await;
    s.client.click(&answers).await;
    s.shot("redactar").await;
    s.submit().await;
    s.wait_for("Estado: <strong>Borrador</strong>").await;
    s.shot("borrador").await;
    s.click_text("Enviar a revisión").await;
    s.wait_for("espera el visto bueno de revisora").await;
    s.shot("en-revision").await;
    s.sign_out().await;

    // The reviewer gives the visto bueno.
    s.sign_in("revisora").await;
    s.click_text("Correspondencia de salida").await;
    s.click_text("Respuesta sobre el abasto de medicamentos")
        .await;
    s.wait_for("Dar mi visto bueno").await;
    s.click_text("Dar mi visto bueno").await;
    s.wait_for("Estado: <strong>Con visto bueno</strong>").await;
    s.sign_out().await;

    // The titular signs (the scan of the signed paper), dispatches and records the acuse.
    s.sign_in("coordinadora").await;
    s.click_text("Correspondencia de salida").await;
    s.click_text("Respuesta sobre el abasto de medicamentos")
        .await;
    s.wait_for("Firmar y numerar").await;
    s.shot("firmar").await;
    s.choose_file("#f-firmado", &signed).await;
    s.click_text("Firmar y numerar").await;
    let page = s.wait_for("Estado: <strong>Firmado</strong>").await;
    let year = app.state.moment().today.year();
    let number = format!("SIDSS-CAS/0001/{year}");
    assert!(page.contains(&number), "numbered: {page}");
    s.shot("firmado").await;
    s.click_text("Despachar").await;
    s.wait_for("Estado: <strong>Despachado</strong>").await;
    s.shot("despachado").await;
    s.client
        .execute("const e = document.getElementById('a-fecha'); e.value = e.max;")
        .await;
    s.fill(
        "received_by",
        "Lic. Pedro Ramírez, oficialía de partes de los SESEQ",
    )
    .await;
    s.choose_file("#a-escaneo", &acuse).await;
    s.click_text("Registrar el acuse").await;
    let page = s.wait_for("por Lic. Pedro Ramírez").await;
    assert!(!page.contains("Pendiente</span>"), "every acuse: {page}");
    s.shot("acuse").await;

    // The incoming document: its turn answered with the number, the document concluded.
    s.click(&format!("main a[href='/correspondencia/{folio}']"))
        .await;
    let page = s.wait_for(&format!("<h1>Documento {folio}</h1>")).await;
    assert!(page.contains(&number), "answered with {number}: {page}");
    assert!(!page.contains(">Abierto<"), "no turn open: {page}");
    s.shot("documento-atendido").await;
    s.click_text("Correspondencia de entrada").await;
    let page = s.wait_for("<h1>Correspondencia de entrada</h1>").await;
    let row = &page[page.find(&format!(">{folio}</a>")).unwrap()..];
    let row = &row[..row.find("</tr>").unwrap()];
    assert!(row.contains("Concluido"), "{row}");

    // The search finds both, by a word begun and without its accent.
    s.fill("q", "medicam").await;
    s.click("form[role=search] button[type=submit]").await;
    let page = s.wait_for("documentos encontrados").await;
    assert!(page.contains(&folio), "the incoming one: {page}");
    assert!(page.contains(&number), "the answer: {page}");
    s.shot("buscar").await;

    // The report of the Coordinación de Asesores counts the turn, answered in time, and the
    // oficio signed and dispatched.
    s.click_text("Correspondencia de entrada").await;
    s.click_text("Reportes de correspondencia").await;
    s.wait_for("<h1>Reportes de correspondencia</h1>").await;
    s.click("#r-subordinadas").await;
    s.click_text("Ver el reporte").await;
    let page = s.wait_for("data-cifra=\"recibidos\"").await;
    for (figure, value) in [
        ("recibidos", "1"),
        ("en-tiempo", "1"),
        ("pendientes", "0"),
        ("firmados", "1"),
        ("despachados", "1"),
    ] {
        assert!(
            page.contains(&format!("data-cifra=\"{figure}\">{value}<")),
            "{figure} {value}: {page}"
        );
    }
    assert!(
        page.contains("<tr data-unidad=\"SIDSS-CAS\">") && page.contains("<svg"),
        "the breakdown per unit, a table and a chart: {page}"
    );
    s.shot("reporte").await;
    s.sign_out().await;

    // An administrator imports a unit's register: checked first, every problem by row and
    // column and nothing written; then what it would register; then imported.
    let day = crate::common::yesterday().strftime("%d/%m/%Y");
    let good = folder.join("registro.csv");
    std::fs::write(
        &good,
        format!(
            "Tipo,Tipo de remitente,Remitente,Institución,Recibido,Asunto,Turnado a,Instrucción\n\
             oficio,externa,Dr. Luis Gómez,SESEQ,{day} 09:30,Solicitud de cifras,SIDSS-CAS,\
             para atención\n"
        ),
    )
    .unwrap();
    let bad = folder.join("registro-con-errores.csv");
    std::fs::write(&bad, "Asunto,Recibido\nSolicitud de cifras,mañana\n").unwrap();
    s.sign_in("admin").await;
    s.click_text("Correspondencia de entrada").await;
    s.click_text("Importar un registro").await;
    s.wait_for("<h1>Importar un registro de correspondencia de entrada</h1>")
        .await;
    s.shot("importar").await;
    s.choose("unidad", "Secretario Técnico (SIDSS-ST)").await;
    s.choose_file("#i-archivo", &bad).await;
    s.click_text("Revisar el archivo").await;
    s.wait_for("en registro-con-errores.csv: no se importó nada")
        .await;
    s.shot("importar-problemas").await;
    s.choose_file("#i-archivo", &good).await;
    s.click_text("Revisar el archivo").await;
    s.wait_for("Todavía no se ha registrado nada.").await;
    // The same page's kind as the empty form: checked here.
    super::axe::check(&s.client, "importar-vista-previa").await;
    s.shot("importar-vista-previa").await;
    s.click_text("Importar 1 documento").await;
    s.wait_for("registro.csv: documentos importados: 1").await;
    s.shot("importado").await;
    s.client.quit().await;
    let _ = std::fs::remove_dir_all(&folder);
}

/// Waits until `script` returns true in the page.
async fn until(s: &Session, script: &str) {
    for _ in 0..50 {
        if s.client.execute(script).await.as_bool() == Some(true) {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("never true: {script}");
}

/// The folio of the document page's heading, «Documento CE-…».
fn heading_folio(page: &str) -> String {
    let start = page.find("<h1>Documento ").expect("a document's page") + "<h1>Documento ".len();
    page[start..start + page[start..].find('<').unwrap()].to_owned()
}
