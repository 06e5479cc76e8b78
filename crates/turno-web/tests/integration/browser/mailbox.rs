//! The public mailbox on a phone (390 CSS pixels): a citizen misses the description, is taken
//! to the list of errors, files the petition and follows it with the folio and the code.

use super::session::Session;
use crate::common::Backend;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_citizen_files_a_petition_and_follows_it_on_a_phone() {
    let app = crate::common::spawn(Backend::Sqlite).await;
    let mut s = Session::start(&app, "buzon").await;
    s.client.set_window_size(390, 844).await;
    s.goto("/atencion").await;
    s.fits("/atencion").await;
    s.shot("buzon").await;
    s.choose("tipo", "Queja").await;
    s.choose("entidad", "Oaxaca").await;
    s.fill("nombre", "Juana Pérez Gómez").await;
    s.fill("telefono", "951 123 4567").await;
    s.click("input[name=aviso_privacidad]").await;
    s.submit().await;
    s.wait_for("descripción: falta").await;
    let focused = s.client.execute("return document.activeElement.id;").await;
    assert_eq!(focused, "errores", "the error summary takes the focus");
    s.fits("/atencion with errors").await;
    let page = s.text().await;
    for kept in ["Juana Pérez Gómez", "951 123 4567"] {
        assert!(page.contains(kept), "{kept} is kept");
    }
    s.shot("buzon-errores").await;

    s.fill(
        "descripcion",
        "En el hospital no me dieron cita para mi hija.",
    )
    .await;
    s.submit().await;
    let page = s.wait_for("Recibimos su petición").await;
    s.fits("the filed page").await;
    s.shot("buzon-folio").await;
    let value = |start: &str| {
        let from = page.find(start).unwrap() + start.len();
        page[from..from + page[from..].find('<').unwrap()].to_owned()
    };
    let (folio, code) = (value("id=\"folio\">"), value("<code id=\"codigo\">"));
    assert!(folio.starts_with("AC-"), "{folio}");

    s.click_text("Consultar una petición").await;
    s.wait_for("name=\"codigo\"").await;
    s.fits("/atencion/consulta").await;
    s.shot("consulta").await;
    s.fill("folio", &folio).await;
    s.fill("codigo", &code).await;
    s.submit().await;
    let status = s.wait_for("Recibida: en revisión").await;
    assert!(status.contains("Oaxaca") && !status.contains("Juana"));
    s.fits("the status page").await;
    s.shot("buzon-estado").await;
    s.client.quit().await;
}
