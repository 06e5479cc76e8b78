//! Follow-up by clicking: the Secretario Técnico opens a supervision's recommendation from
//! «Seguimiento», records an activity done with an oficio as its evidence, and sees it listed.

use super::session::Session;
use crate::common::PDF;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn progress_is_recorded_with_its_evidence() {
    let app = super::agency::spawn().await;
    app.supervision("SUP-2026-01").await;
    let mut s = Session::start(&app, "seguimiento").await;
    s.goto("/acceso").await;
    s.sign_in("secretario").await;
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
