//! From the mailbox to the monthly report by clicking: a citizen files a queja; the
//! Departamento de Vinculación Social, signed in from the same browser, finds it among the
//! petitions and downloads the month's report, which counts it.

use super::session::Session;
use std::time::Duration;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_petition_is_counted_in_the_downloaded_monthly_report() {
    let app = super::agency::spawn().await;
    let mut s = Session::start(&app, "informe-mensual").await;
    s.goto("/atencion").await;
    s.choose("tipo", "Queja").await;
    s.choose("entidad", "Jalisco").await;
    s.fill(
        "descripcion",
        "No me surtieron la receta en el centro de salud.",
    )
    .await;
    s.click("input[name=aviso_privacidad]").await;
    s.submit().await;
    let page = s.wait_for("Recibimos su petición").await;
    let start = page.find("id=\"folio\">").unwrap() + "id=\"folio\">".len();
    let folio = page[start..start + page[start..].find('<').unwrap()].to_owned();

    // The brand leads a person who is not signed in to the sign-in page.
    s.click("header.site .brand a").await;
    s.sign_in("vinculacion").await;
    s.click_text("Atención ciudadana").await;
    s.wait_for(&folio).await;
    s.shot("peticiones").await;
    s.click_text("Informe mensual").await;
    s.wait_for("<h1>Informe mensual de atención ciudadana</h1>")
        .await;
    s.shot("informe").await;
    s.click_text("CSV").await;
    let csv = downloaded(&s.downloads, "csv").await;
    assert!(
        csv.lines().any(|l| l == "Peticiones recibidas,1"),
        "the queja is counted: {csv}"
    );
    s.client.quit().await;
}

/// The text of the file with extension `ext` once the browser has saved it to `dir`.
async fn downloaded(dir: &std::path::Path, ext: &str) -> String {
    for _ in 0..100 {
        let file = std::fs::read_dir(dir)
            .unwrap()
            .map(|entry| entry.unwrap().path())
            .find(|path| path.extension().is_some_and(|e| e == ext));
        if let Some(file) = file {
            return std::fs::read_to_string(file).unwrap();
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("nothing .{ext} was downloaded to {}", dir.display());
}
