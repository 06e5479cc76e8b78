//! What a person typed survives their mistakes and the browser's ways: an invalid
//! registration comes back with each problem in Spanish and every value kept; a second tab on
//! the same activity is told what happened; Back after registering does not register twice.

use super::session::Session;

impl Session {
    /// Puts `text` in the field named `name` as a paste does, at once (typing 4,000 keys
    /// one by one would take the suite's time); its last character is typed, so that the
    /// page hears the keyboard as well.
    async fn paste(&self, name: &str, text: &str) {
        let (most, last) = text.split_at(text.len() - 1);
        self.client
            .execute(&format!(
                "document.querySelector('[name=\"{name}\"]').value = {};",
                serde_json::Value::from(most)
            ))
            .await;
        let field = self.client.find(&format!("[name=\"{name}\"]")).await;
        self.client.send_keys(&field, last).await;
    }

    /// The value of the form control named `name`, as the page holds it.
    async fn value(&self, name: &str) -> String {
        let value = self
            .client
            .execute(&format!(
                "return document.querySelector('[name=\"{name}\"]').value;"
            ))
            .await;
        value.as_str().unwrap().to_owned()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_invalid_registration_comes_back_with_its_problems_and_values() {
    let app = super::agency::spawn().await;
    let mut s = Session::start(&app, "registro-invalido").await;
    s.informe_form().await;

    // Empty: the browser itself stops it at the first required field, and says why.
    s.submit().await;
    let asunto = s
        .client
        .execute("return document.querySelector('[name=asunto]').validationMessage;")
        .await;
    assert!(
        !asunto.as_str().unwrap().is_empty(),
        "the empty Asunto is flagged"
    );
    assert!(
        s.text().await.contains("Dirección General que informa"),
        "still the form"
    );
    s.shot("vacio").await;

    // Too long: the server says so next to each field, in Spanish, and keeps everything.
    let title = format!("Informe {}", "muy largo ".repeat(40));
    let long = "Dirección General de Información en Salud. ".repeat(100);
    s.fill("asunto", &title).await;
    s.fill("solicitante", "Dirección General de Información en Salud")
        .await;
    s.fill("tipo_informe", "Informe trimestral").await;
    s.paste("direccion_general", &long).await;
    s.submit().await;
    let page = s.wait_for("caracteres: abrévielo.").await;
    // The title's box holds no more than the application takes (maxlength); the server
    // refuses the pasted text next to its field.
    let kept: String = title.chars().take(300).collect();
    assert!(page.contains("Pasa de 4000 caracteres"), "{page}");
    let field_error = s
        .client
        .execute(
            "return document.querySelector('[name=direccion_general]')
               .closest('.field').querySelector('.field-error').textContent;",
        )
        .await;
    assert_eq!(field_error, "Pasa de 4000 caracteres: abrévielo.");
    assert_eq!(s.value("asunto").await, kept.trim_end());
    assert_eq!(s.value("direccion_general").await, long.trim_end());
    assert_eq!(s.value("tipo_informe").await, "Informe trimestral");
    assert_eq!(
        s.value("solicitante").await,
        "Dirección General de Información en Salud"
    );
    s.shot("demasiado-largo").await;

    // Corrected, it registers.
    s.fill("asunto", "Informe trimestral de la DGIS").await;
    s.fill("direccion_general", "DGIS").await;
    s.submit().await;
    s.wait_for("Acuse de registro").await;
    s.client.quit().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_tab_on_the_same_activity_is_told_what_changed_and_keeps_its_text() {
    let app = super::agency::spawn().await;
    let mut s = Session::start(&app, "dos-pestanas").await;
    s.informe_form().await;
    let folio = s.register_informe("Informe de dos pestañas").await;
    s.click_text("Ver el asunto").await;
    s.wait_for("<h3>1.1 ").await;
    let first = s.client.window().await;
    // The same case in a second tab, reached by clicking as well.
    let second = s.client.new_tab().await;
    s.client.switch_to(&second).await;
    s.goto("/bandeja").await;
    s.open_from_inbox(&folio).await;

    s.client.switch_to(&first).await;
    s.act("1.1", None).await;

    s.client.switch_to(&second).await;
    let typed = "Lo revisé desde la segunda pestaña.";
    s.fill("observaciones", typed).await;
    s.click("article.work form button[type=submit]").await;
    let page = s.wait_for("</h1>").await;
    assert!(
        page.to_lowercase().contains("atendió"),
        "it says what happened: {page}"
    );
    assert!(page.contains("Mi bandeja"), "the menu is there");
    assert!(
        page.contains(&format!("{typed}</textarea>")),
        "what was typed is kept: {page}"
    );
    s.shot("segunda-pestana").await;
    s.client.quit().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn back_after_registering_and_submitting_again_registers_nothing_twice() {
    let app = super::agency::spawn().await;
    let mut s = Session::start(&app, "atras").await;
    s.informe_form().await;
    let title = "Informe que no debe duplicarse";
    let folio = s.register_informe(title).await;
    s.shot("acuse").await;
    s.client.back().await;
    s.wait_for("Dirección General que informa").await;
    assert_eq!(
        s.value("asunto").await,
        title,
        "the browser kept what was typed"
    );
    // The person clicks into the form again, as one does before sending it.
    s.click("[name=\"asunto\"]").await;
    s.shot("atras").await;
    s.submit().await;
    s.wait_for("<h1>").await;
    s.shot("reenviado").await;
    s.click_text("Mi bandeja").await;
    let inbox = s.wait_for("<h1>Mi bandeja</h1>").await;
    assert_eq!(
        inbox
            .matches(&format!("<td data-label=\"Asunto\">{title}</td>"))
            .count(),
        1,
        "one case, {folio}"
    );
    s.client.quit().await;
}
