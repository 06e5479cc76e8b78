//! Follow-up by clicking: the Secretario Técnico opens a supervision's recommendation from
//! «Seguimiento», records an activity done with an oficio as its evidence, and sees it listed.

use super::session::Session;
use crate::common::PDF;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn progress_is_recorded_with_its_evidence() {
    let app = super::agency::spawn().await;
    app.supervision("SUP-2026-01").await;
    let mut s = Session::signed_in(&app, "seguimiento", "secretario").await;
    s.click_text("Seguimiento").await;
    s.wait_for("Supervisión de prueba").await;
    s.shot("programas").await;
    s.click_text("Supervisión de prueba").await;
    s.wait_for("<h1>Supervisión de prueba").await;
    s.shot("programa").await;
    s.click("td[data-label=Elemento] a").await;
    s.wait_for("Registrar avance").await;
    s.shot("recomendacion").await;

    let evidence = s.downloads.join("oficio-de-atencion.pdf");
    std::fs::write(&evidence, PDF).unwrap();
    s.fill("avance", "100").await;
    s.fill("nota", "Se atendió la recomendación con el oficio adjunto.")
        .await;
    let file = s.client.find("input[name=evidencia]").await;
    s.client
        .send_keys(&file, &evidence.display().to_string())
        .await;
    s.shot("avance").await;
    s.submit().await;
    let page = s.wait_for("Avance de la actividad 1 registrado.").await;
    assert!(
        page.contains(">oficio-de-atencion.pdf</a>"),
        "the evidence is listed"
    );
    assert!(page.contains("0 % → 100 %"), "the change is in the history");
    s.shot("registrado").await;
    s.client.quit().await;
}

/// A PTCI by clicking: the Secretario Técnico registers it from «Seguimiento» (refused first
/// without its year: the form again with the problem under the field and what was typed in it),
/// adds a second line on its page, records the first activity done with its evidence and opens
/// the quarterly report.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_ptci_is_written_down_followed_and_reported() {
    let app = super::agency::spawn().await;
    let mut s = Session::signed_in(&app, "ptci", "secretario").await;
    s.click_text("Seguimiento").await;
    s.wait_for("<h2>Registrar un programa</h2>").await;
    let line = async |s: &Session, text: &str, activity: &str| {
        s.choose("tipo", "Acción de control").await;
        s.type_into("#e-texto", text).await;
        s.client
            .execute("document.querySelector('#e-unidad').value = 'SIDSS-ST'; return true;")
            .await;
        s.type_into("#e-actividad-1", activity).await;
        let start = crate::common::yesterday().to_string();
        s.client
            .execute(&format!(
                "document.querySelector('#e-inicio-1').value = '{start}'; return true;"
            ))
            .await;
        s.type_into("#e-plazo-1", "10").await;
    };
    s.choose("programa", "Programa de Trabajo de Control Interno (PTCI)")
        .await;
    s.type_into("#p-clave", "PTCI-2026").await;
    s.type_into("#p-nombre", "Programa de Trabajo de Control Interno 2026")
        .await;
    line(
        &s,
        "Documentar los controles del turno",
        "Actualizar el manual",
    )
    .await;
    let create = "form[action='/seguimiento/acuerdos'] button[type=submit]";
    s.click(create).await;
    let again = s.wait_for("Escriba el ejercicio.").await;
    assert!(
        again.contains("value=\"PTCI-2026\""),
        "what was typed is kept"
    );
    s.shot("programa-rechazado").await;
    let year = crate::common::today().year().to_string();
    s.type_into("#p-ejercicio", &year).await;
    s.click(create).await;
    s.wait_for("Programa PTCI-2026 registrado.").await;
    s.shot("ptci").await;

    line(&s, "Revisar los accesos al sistema", "Depurar las cuentas").await;
    s.click("form[action$='/elementos'] button[type=submit]")
        .await;
    s.wait_for("Se agregó la línea CI2.").await;
    s.shot("linea-agregada").await;

    let program = async |s: &Session| {
        s.click_text("Seguimiento").await;
        s.click_text("Programa de Trabajo de Control Interno 2026")
            .await;
        s.wait_for("<h1>Programa de Trabajo de Control Interno 2026")
            .await;
    };
    program(&s).await;
    s.click("td[data-label=Elemento] a").await;
    s.wait_for("Registrar avance").await;
    let evidence = s.downloads.join("manual.pdf");
    std::fs::write(&evidence, PDF).unwrap();
    s.fill("avance", "100").await;
    s.fill("nota", "Manual actualizado y publicado.").await;
    s.choose_file("input[name=evidencia]", &evidence).await;
    s.submit().await;
    s.wait_for("Avance de la actividad 1 registrado.").await;
    s.shot("avance").await;

    program(&s).await;
    s.click_text("Corte trimestral").await;
    let report = s.wait_for("Documentar los controles del turno").await;
    assert!(
        report.contains("Revisar los accesos al sistema"),
        "{report}"
    );
    s.shot("corte-trimestral").await;
    s.client.quit().await;
}
