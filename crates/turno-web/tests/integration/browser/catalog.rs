//! The catalog by clicking: an administrator registers a matter on each of the 16 definitions
//! from «Registrar asunto», typing what each form asks, and works each case a few steps from
//! its page, answering what each activity asks.

use super::session::{Session, folio_in};
use turno_domain::definition::{FieldDef, FieldType, Procedure};

/// How many activities of each case the journey works (the informe's journey works one to its
/// end; here every definition's first steps are what is checked).
const STEPS: usize = 3;

impl Session {
    /// Types or chooses a plausible value for `field` in the form `form` (a CSS selector).
    async fn answer(&self, form: &str, field: &FieldDef) {
        let css = format!("{form} [name=\"{}\"]", field.name);
        match field.ty {
            FieldType::Text => self.type_into(&css, "Dato de prueba").await,
            FieldType::LongText => {
                self.type_into(&css, "Descripción de prueba, escrita por la persona.")
                    .await;
            }
            FieldType::Integer | FieldType::Decimal => self.type_into(&css, "3").await,
            // The date picker takes the digits in the page's order: día, mes, año.
            FieldType::Date => self.type_into(&css, "01122026").await,
            FieldType::Boolean | FieldType::Choice => {
                // The first option after «— Elija —».
                self.click(&format!("{css} option:nth-child(2)")).await;
            }
            FieldType::Participants => self.click(&css).await,
        }
    }

    async fn type_into(&self, css: &str, text: &str) {
        let element = self.client.find(css).await;
        self.client.clear(&element).await;
        self.client.send_keys(&element, text).await;
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
        let receipt = self.wait_for("Acuse de registro").await;
        let folio = folio_in(&receipt);
        self.shot(&format!("{}-acuse", procedure.key)).await;
        folio
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
        self.wait_for(&format!("Actividad {number} atendida.")).await;
        true
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_definition_is_registered_and_worked_by_clicking() {
    let app = super::agency::spawn().await;
    let mut s = Session::start(&app, "catalogo").await;
    let procedures: Vec<_> = app.state.library.newest().cloned().collect();
    assert_eq!(procedures.len(), 16, "the seed library's definitions");
    s.goto("/acceso").await;
    s.sign_in("admin").await;
    for procedure in &procedures {
        let folio = s.register(procedure).await;
        s.click_text("Ver el asunto").await;
        s.wait_for(&format!("<h1>{folio} ·")).await;
        let mut worked = 0;
        while worked < STEPS && s.work(procedure).await {
            worked += 1;
        }
        assert!(worked > 0, "{}: its first activity is worked", procedure.key);
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
