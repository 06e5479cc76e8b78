//! The administration's tasks by clicking, from «Administración»: a person and a role for
//! them, a motive of the petitions' catalog, a unit, and the year's días inhábiles uploaded
//! from the repository's file.

use super::session::Session;
use std::path::PathBuf;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_administrator_adds_a_person_a_motive_a_unit_and_a_calendar() {
    let app = super::agency::spawn().await;
    let mut s = Session::signed_in(&app, "administracion", "admin").await;

    // A person, then a role for them.
    s.click_text("Administración").await;
    s.wait_for("<h1>Personas y papeles</h1>").await;
    s.shot("personas").await;
    s.type_into("#alta-login", "lucia.mendez").await;
    s.type_into("#alta-nombre", "Lucía Méndez Ortiz").await;
    s.type_into("#alta-correo", "lucia.mendez@salud.gob.mx")
        .await;
    s.type_into("#alta-contrasena", "una contraseña larga")
        .await;
    s.click("form[action='/admin/personas'] button[type=submit]")
        .await;
    s.wait_for("Persona «lucia.mendez» dada de alta.").await;
    s.choose("login", "Lucía Méndez Ortiz (lucia.mendez)").await;
    s.click("#papel-unidad option[value='SIDSS-CAS']").await;
    s.click("#papel-papel option[value='operador']").await;
    s.shot("persona-papel").await;
    s.click("form[action='/admin/personas/papeles'] button[type=submit]")
        .await;
    let page = s.wait_for("Lucía Méndez Ortiz<br>").await;
    assert!(
        page.contains("Operador en Coordinación de Asesores"),
        "the role is listed"
    );

    // A motive of the catalog.
    s.click_text("Motivos de las peticiones").await;
    s.wait_for("<h1>Motivos de las peticiones</h1>").await;
    s.type_into("#m-clave", "MED-SURT").await;
    s.type_into("#m-nombre", "Surtimiento de medicamentos")
        .await;
    s.click("input[name=tipo][value=queja]").await;
    s.shot("motivo").await;
    s.submit().await;
    let page = s
        .wait_for("Se agregó el motivo «Surtimiento de medicamentos» (MED-SURT).")
        .await;
    assert!(
        page.contains("<code>MED-SURT</code>"),
        "the motive is listed"
    );
    s.shot("motivos").await;

    // A unit under the Secretario Técnico.
    s.click_text("Unidades").await;
    s.wait_for("<h1>Unidades</h1>").await;
    s.type_into("#u-codigo", "SIDSS-UAT").await;
    s.type_into("#u-nombre", "Unidad de Apoyo Técnico").await;
    s.click("#u-superior option[value='SIDSS-ST']").await;
    s.shot("unidad").await;
    s.click("form[action='/admin/unidades'] button[type=submit]")
        .await;
    let page = s.wait_for("Unidad «SIDSS-UAT» guardada.").await;
    assert!(
        page.contains("Unidad de Apoyo Técnico"),
        "the unit is listed"
    );

    // The year's días inhábiles, from the repository's file.
    s.click_text("Calendario").await;
    s.wait_for("<h1>Calendario de días inhábiles</h1>").await;
    let file = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../calendars/2026.toml");
    let input = s.client.find("input[name=archivo]").await;
    s.client
        .send_keys(&input, &file.canonicalize().unwrap().display().to_string())
        .await;
    s.click("form[action='/admin/calendario/importar'] button[type=submit]")
        .await;
    let page = s.wait_for("Resultado de importar 2026.toml").await;
    assert!(!page.contains("flash-error"), "the file imports");
    s.shot("calendario").await;
    s.client.quit().await;
}
