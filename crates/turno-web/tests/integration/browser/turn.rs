//! Turning by clicking: the Secretario Técnico turns an informe's first activity to the
//! Coordinación de Asesores, which finds it in its inbox and answers; the activity comes back
//! to the Secretario Técnico, who completes it.

use super::session::{Session, folio_in};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_activity_is_turned_to_a_unit_and_answered() {
    let app = super::agency::spawn().await;
    let mut s = Session::start(&app, "turno").await;
    s.goto("/acceso").await;
    s.sign_in("secretario").await;
    s.click_text("Registrar asunto").await;
    s.click("ul.procedures a[href='/registrar/sidss-informes-oficiales']")
        .await;
    s.fill("asunto", "Informe anual de la DGIS").await;
    s.fill("tipo_informe", "Informe anual").await;
    s.fill("direccion_general", "DGIS").await;
    s.submit().await;
    let folio = folio_in(&s.wait_for("Acuse de registro").await);
    s.click_text("Ver el asunto").await;
    s.wait_for(&format!("<h1>{folio} ·")).await;

    s.click_text("Turnar a otras unidades").await;
    s.click("select[name=unidades] option[value='SIDSS-CAS']")
        .await;
    s.fill("instruccion", "Revisen las cifras del anexo estadístico.")
        .await;
    s.shot("turnar").await;
    s.click("details.turn button[type=submit]").await;
    let page = s
        .wait_for("Actividad 1.1 turnada a Coordinación de Asesores.")
        .await;
    assert!(
        page.contains("espera su respuesta"),
        "1.1 waits for the turn"
    );
    s.shot("turnada").await;
    s.sign_out().await;

    s.sign_in("asesor").await;
    s.shot("bandeja-asesor").await;
    s.open_from_inbox(&folio).await;
    let page = s.text().await;
    assert!(page.contains("Instrucción: Revisen las cifras del anexo estadístico."));
    s.fill(
        "observaciones",
        "Cifras revisadas: coinciden con el SINAIS.",
    )
    .await;
    s.shot("responder").await;
    s.click_text("Responder turno").await;
    s.wait_for("Actividad 1.1 atendida.").await;
    s.sign_out().await;

    s.sign_in("secretario").await;
    s.open_from_inbox(&folio).await;
    let page = s.text().await;
    assert!(
        page.contains("Cifras revisadas: coinciden con el SINAIS."),
        "the answer is on record"
    );
    s.act("1.1", None).await;
    s.wait_for("<h3>2.1 ").await;
    s.shot("de-vuelta").await;
    s.client.quit().await;
}
