//! The catalog by clicking: an administrator registers a matter on each of the 20 definitions
//! from «Registrar asunto», typing what each form asks, and works each case a few steps from
//! its page, answering what each activity asks.

use super::session::{Session, folio_in};
use turno_domain::definition::{FieldDef, FieldType, Procedure};

/// How many activities of each case the journey works (the informe's journey works one to its
/// end; here every definition's first steps are what is checked).
const STEPS: usize = 2;

impl Session {
    /// Types or chooses a plausible value for `field` in the form `form` (a CSS selector).
    /// The procedure's fields come after the matter's own: a field is the last control of its
    /// name (a checkbox list, the first).
    async fn answer(&self, form: &str, field: &FieldDef) {
        let controls = self
            .client
            .find_all(&format!("{form} [name=\"{}\"]", field.name))
            .await;
        let control = if field.ty == FieldType::Participants {
            controls.first()
        } else {
            controls.last()
        };
        let control = control.unwrap().clone();
        let typed = match field.ty {
            FieldType::Text => "Dato de prueba",
            FieldType::LongText => "Descripción de prueba, escrita por la persona.",
            FieldType::Integer | FieldType::Decimal => "3",
            // The date picker takes the digits in the page's order: día, mes, año.
            FieldType::Date => "01122026",
            // The first option after «— Elija —», chosen by the keyboard.
            FieldType::Boolean | FieldType::Choice => "\u{E015}",
            FieldType::Participants => return self.client.click(&control).await,
        };
        if !matches!(field.ty, FieldType::Boolean | FieldType::Choice) {
            self.client.clear(&control).await;
        }
        self.client.send_keys(&control, typed).await;
    }

    /// The fields of `form` that the page marks required, among `procedure`'s.
    async fn required<'p>(&self, form: &str, procedure: &'p Procedure) -> Vec<&'p FieldDef> {
        let names = self
            .client
            .execute(&format!(
                "return [...document.querySelectorAll('{form} [required], {form} fieldset')]
                   .map(e => e.name || (e.querySelector('input') || {{}}).name);"
            ))
            .await;
        let names: Vec<&str> = names
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|n| n.as_str())
            .collect();
        procedure
            .fields
            .iter()
            .filter(|f| names.contains(&f.name.as_str()))
            .collect()
    }

    /// Registers a matter on `procedure` from «Registrar asunto»; returns its folio.
    async fn register(&mut self, procedure: &Procedure) -> String {
        self.click_text("Registrar asunto").await;
        self.wait_for("Elija el procedimiento").await;
        self.click(&format!(
            "ul.procedures a[href='/registrar/{}']",
            procedure.key
        ))
        .await;
        self.wait_for(&procedure.title).await;
        self.fill("asunto", &format!("Asunto de prueba de {}", procedure.key))
            .await;
        self.fill("solicitante", "Dirección General solicitante")
            .await;
        for field in self.required("main form", procedure).await {
            self.answer("main form", field).await;
        }
        self.shot(&format!("{}-registro", procedure.key)).await;
        self.submit().await;
        folio_in(&self.wait_for("Acuse de registro").await)
    }

    /// Works the case page's first open activity: answers the first choice of a decision and
    /// what the activity asks. False when nothing is open to work.
    async fn work(&mut self, procedure: &Procedure) -> bool {
        let form = "article.work form[action$=\"/atender\"]";
        if self.client.find_all(form).await.is_empty() {
            return false;
        }
        let number = self
            .client
            .execute("return document.querySelector('article.work h3').textContent.split(' ')[0];")
            .await;
        let number = number.as_str().unwrap().to_owned();
        if !self
            .client
            .find_all(&format!("{form} input[name=outcome]"))
            .await
            .is_empty()
        {
            self.click(&format!("{form} input[name=outcome]")).await;
        }
        for field in self.required(form, procedure).await {
            self.answer(form, field).await;
        }
        self.click(&format!("{form} button[type=submit]")).await;
        self.wait_for(&format!("Actividad {number} atendida."))
            .await;
        true
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_definition_is_registered_and_worked_by_clicking() {
    let app = super::agency::spawn().await;
    let mut s = Session::start(&app, "catalogo").await;
    let procedures: Vec<_> = app.state.library.current().newest().cloned().collect();
    assert_eq!(procedures.len(), 20, "the seed library's definitions");
    s.goto("/acceso").await;
    s.sign_in("admin").await;
    for procedure in &procedures {
        let folio = s.register(procedure).await;
        s.open_registered(&folio).await;
        let mut worked = 0;
        while worked < STEPS && s.work(procedure).await {
            worked += 1;
        }
        assert!(
            worked > 0,
            "{}: its first activity is worked",
            procedure.key
        );
        let page = s.text().await;
        assert_eq!(
            page.matches("Atendió la actividad").count(),
            worked,
            "{}: every step on record",
            procedure.key
        );
        s.shot(&format!("{}-asunto", procedure.key)).await;
    }
    s.client.quit().await;
}
