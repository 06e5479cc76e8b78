//! Turning by clicking: the Secretario Técnico turns an informe's first activity to the
//! Coordinación de Asesores, which finds it in its inbox and answers; the activity comes back
//! to the Secretario Técnico, who completes it.

use super::session::{ENTER, Session};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_activity_is_turned_to_a_unit_and_answered() {
    let app = super::agency::spawn().await;
    let mut s = Session::start(&app, "turno").await;
    s.informe_form().await;
    let folio = s.register_informe("Informe anual de la DGIS").await;
    s.open_registered(&folio).await;

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

/// WebDriver's arrow down.
const DOWN: &str = "\u{E015}";

/// The values of the entries the chooser's open list shows, in order, and which is active.
async fn listed(s: &Session) -> (Vec<String>, Option<String>) {
    let shown = s
        .client
        .execute(
            "const d = document.querySelector('details.turn[open] .ts-dropdown');
             if (!d || getComputedStyle(d).display === 'none') return [[], null];
             const o = Array.from(d.querySelectorAll('.option[data-value]'));
             const a = d.querySelector('.option.active');
             return [o.map(e => e.dataset.value + '|' + e.textContent.trim()),
                     a ? a.dataset.value : null];",
        )
        .await;
    let entries = shown[0]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_owned())
        .collect();
    (entries, shown[1].as_str().map(str::to_owned))
}

/// The unit chooser by keyboard: part of a unit's name typed filters the list (each entry
/// with its institution and code), arrows and Enter choose one, and the activity is turned to
/// it; at a phone's width the chooser fits the screen and works the same.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_unit_is_chosen_by_typing_and_the_keyboard() {
    let app = super::agency::spawn().await;
    for (journey, phone) in [("elegir-unidad", false), ("elegir-unidad-telefono", true)] {
        let mut s = Session::start(&app, journey).await;
        if phone {
            s.client.set_window_size(390, 844).await;
        }
        s.informe_form().await;
        let folio = s.register_informe("Informe trimestral de la DGIS").await;
        s.open_registered(&folio).await;
        s.click_text("Turnar a otras unidades").await;
        s.wait_for("ts-control").await;

        // Typing part of the name (no accent, lower case) leaves only the units that match.
        let input = "details.turn[open] .ts-control input";
        s.click(input).await;
        let mut all = Vec::new();
        for _ in 0..50 {
            (all, _) = listed(&s).await;
            if !all.is_empty() {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        s.type_into(input, "asesores").await;
        let mut entries = Vec::new();
        for _ in 0..50 {
            (entries, _) = listed(&s).await;
            if !entries.is_empty() && entries.len() < all.len() {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        assert!(
            !entries.is_empty() && entries.len() < all.len(),
            "filtered: {entries:?} of {}",
            all.len()
        );
        assert!(
            entries.iter().all(|e| e.contains("Asesores")),
            "{entries:?}"
        );
        // No screenshot here: the accessibility check it makes moves the focus.
        if phone {
            s.fits("the chooser's open list").await;
            let inside = s
                .client
                .execute(
                    "const r = document.querySelector('details.turn[open] .ts-dropdown')
                       .getBoundingClientRect();
                     return r.left >= 0 && r.right <= window.innerWidth;",
                )
                .await;
            assert_eq!(
                inside.as_bool(),
                Some(true),
                "the list is inside the screen"
            );
        }

        // Down to the Coordinación de Asesores of the SIDSS, and Enter.
        let target = entries
            .iter()
            .position(|e| e.starts_with("SIDSS-CAS|"))
            .unwrap_or_else(|| panic!("SIDSS-CAS among {entries:?}"));
        let (_, active) = listed(&s).await;
        let from = active
            .and_then(|a| entries.iter().position(|e| e.starts_with(&format!("{a}|"))))
            .unwrap_or(0);
        assert!(from <= target, "active {from}, wanted {target}");
        let mut keys = vec![DOWN; target - from];
        keys.push(ENTER);
        s.client.press(&keys).await;
        let chosen = s
            .client
            .execute(
                "return Array.from(document.querySelector('details.turn[open] select[name=unidades]')
                   .selectedOptions).map(o => o.value);",
            )
            .await;
        assert_eq!(chosen, serde_json::json!(["SIDSS-CAS"]));
        s.shot("elegida").await;

        s.fill("instruccion", "Revisen el anexo del trimestre.")
            .await;
        s.click("details.turn button[type=submit]").await;
        s.wait_for("Actividad 1.1 turnada a Coordinación de Asesores.")
            .await;
        s.shot("turnada").await;
        s.client.quit().await;
    }
}
