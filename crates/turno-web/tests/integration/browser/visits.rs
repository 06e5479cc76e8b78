//! An evaluation visit by clicking: the Secretario Técnico plans a remote visit to the
//! Unidad de Evaluación de Órganos Desconcentrados from «Visitas», records a finding with its
//! evidence file, makes the improvement plan with an action due in días hábiles, and records
//! the action done with its evidence.

use super::session::Session;
use crate::common::PDF;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_remote_visit_is_planned_found_and_its_plan_followed() {
    let app = super::agency::spawn().await;
    let mut s = Session::signed_in(&app, "visitas", "secretario").await;
    s.click_text("Visitas").await;
    s.wait_for("Programar una visita").await;
    s.wait_for("ts-control").await;
    s.shot("visitas").await;

    s.choose("modality", "a distancia").await;
    s.client
        .execute("document.querySelector('select[name=units]').tomselect.addItem('IMSS-UEOD');")
        .await;
    s.set_date("from", "2026-03-09").await;
    s.set_date("to", "2026-03-11").await;
    s.fill("team", "secretario").await;
    s.fill(
        "purpose",
        "Evaluación a distancia del programa anual de evaluación",
    )
    .await;
    s.fill("aspects", "Programa anual de trabajo\nPlanes de mejora")
        .await;
    s.shot("programar").await;
    s.click_text("Programar").await;
    s.wait_for("programada.").await;
    s.shot("visita").await;

    let evidence = s.downloads.join("cedula-de-resultados.pdf");
    std::fs::write(&evidence, PDF).unwrap();
    s.choose("aspect", "Planes de mejora").await;
    s.fill(
        "description",
        "Los planes de mejora del trimestre no tienen fechas de cumplimiento.",
    )
    .await;
    s.choose("severity", "alta").await;
    let file = s.client.find("input[name=evidence]").await;
    s.client
        .send_keys(&file, &evidence.display().to_string())
        .await;
    s.click_text("Registrar el hallazgo").await;
    let page = s.wait_for("Hallazgo 1 registrado.").await;
    assert!(
        page.contains(">cedula-de-resultados.pdf</a>"),
        "the evidence is listed"
    );
    s.shot("hallazgo").await;

    s.fill("key", "PM-UEOD-2026").await;
    s.fill(
        "actions[0].description",
        "Fijar las fechas de cada plan de mejora",
    )
    .await;
    s.fill("actions[0].responsible", "IMSS-UEOD").await;
    s.set_date("actions[0].start", "2026-05-11").await;
    s.fill("actions[0].end", "10 días hábiles").await;
    s.fill("actions[0].products", "Planes con fechas").await;
    s.shot("plan").await;
    s.click_text("Registrar el plan de mejora").await;
    s.wait_for("Plan de mejora PM-UEOD-2026 registrado.").await;
    s.shot("plan-registrado").await;

    // The action done, with its evidence, by an administrator (the Unidad has no people here).
    s.sign_out().await;
    s.goto("/acceso").await;
    s.sign_in("admin").await;
    s.goto("/seguimiento/PM-UEOD-2026/R1").await;
    s.wait_for("Registrar avance").await;
    s.fill("avance", "100").await;
    s.fill("nota", "Planes de mejora con sus fechas").await;
    let file = s.client.find("input[name=evidencia]").await;
    s.client
        .send_keys(&file, &evidence.display().to_string())
        .await;
    s.submit().await;
    let page = s.wait_for("Avance de la actividad 1 registrado.").await;
    assert!(page.contains("0 % → 100 %"), "the change is in the history");
    s.shot("avance").await;
    s.client.quit().await;
}
