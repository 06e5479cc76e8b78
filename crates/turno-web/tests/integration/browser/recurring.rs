//! Recurring work by clicking: the administrator defines the semestral informe oficial of a
//! Dirección General from the year's first días hábiles, runs the schedules, and sees in the
//! matriz de entrega the reports it opened, the first one missing.

use super::session::Session;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_administrator_schedules_a_report_runs_it_and_sees_the_matrix() {
    let app = super::agency::spawn().await;
    let mut s = Session::signed_in(&app, "calendarizacion", "admin").await;
    s.click_text("Administración").await;
    s.wait_for("<h1>Personas y papeles</h1>").await;
    s.click_text("Calendarizaciones").await;
    s.wait_for("<h1>Calendarizaciones</h1>").await;
    s.shot("calendarizaciones").await;

    let year = crate::common::today().year();
    s.type_into("#c-nombre", "Informe semestral de la DGCS")
        .await;
    s.click("#c-unidad option[value='SSA-DGCS']").await;
    s.type_into(
        "#c-asunto",
        "Informe semestral de la Dirección General de Comunicación Social",
    )
    .await;
    s.click("#c-periodicidad option[value='semestral']").await;
    // A date input types in the browser's locale: its value is set as the form sends it.
    s.client
        .execute(&format!(
            "document.querySelector('#c-primera').value = '{year}-01-02'; return true;"
        ))
        .await;
    s.type_into("#c-plazo", "10").await;
    s.fill("tipo_informe", "Informe semestral de avance").await;
    s.fill(
        "direccion_general",
        "Dirección General de Comunicación Social",
    )
    .await;
    s.shot("nueva").await;
    s.click("form[method=post][action='/admin/calendarizaciones'] button[type=submit]")
        .await;
    let page = s
        .wait_for("Se guardó la calendarización «Informe semestral de la DGCS».")
        .await;
    assert!(
        page.contains("<code>SSA-DGCS</code>"),
        "the schedule is listed"
    );
    s.shot("guardada").await;

    // Run now: every occurrence since January opens its case, once.
    s.click_text("Ejecutar ahora").await;
    let page = s.wait_for("Se ab").await;
    assert!(
        page.contains("Se abrió el asunto") || page.contains("Se abrieron"),
        "the run opened the year's reports"
    );
    s.shot("ejecutada").await;
    s.click_text("Ejecutar ahora").await;
    s.wait_for("No había asuntos ni líneas pendientes de abrir.")
        .await;

    // The matriz: the first semester's report, asked for in January, never arrived.
    s.click_text("matriz de entrega").await;
    let page = s
        .wait_for("<h1>Matriz de entrega de informes oficiales</h1>")
        .await;
    assert!(page.contains("SSA-DGCS — Dirección General de Comunicación Social"));
    assert!(page.contains(&format!("1er semestre {year}")));
    assert!(page.contains("data-estado=\"faltante\""), "{page}");
    s.shot("matriz").await;
    s.client.quit().await;
}
