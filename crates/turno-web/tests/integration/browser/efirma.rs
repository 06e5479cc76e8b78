//! e.firma in the page (issue 18): the titular of the Secretaría Técnica signs an oficio in
//! Chromium with a test `.cer` and `.key` (made by `turno_efirma::testing`, written to a
//! temporary folder, never committed); a wrong password is told next to the signature and
//! nothing is sent; then anyone uploads the signed PDF to the public page, which verifies it.

use super::session::{EFIRMA_PASSWORD, Efirma, Session};
use crate::common::{Api, Backend, spawn};
use turno_store::Outgoing;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_titular_signs_an_oficio_in_the_page_and_the_public_page_verifies_it() {
    let app = spawn(Backend::Sqlite).await;
    let efirma = Efirma::of(&app, "secretario").await;
    let (cer, key) = (&efirma.cer, &efirma.key);
    let api = Api::of(&app, "secretario").await;
    let draft = api
        .draft_oficio(
            "Envío del informe trimestral",
            "Por este medio le envío el informe trimestral.",
            serde_json::json!({}),
        )
        .await;
    let id = draft["id"].as_i64().unwrap();

    let mut s = Session::start(&app, "efirma").await;
    s.goto("/acceso").await;
    s.sign_in("secretario").await;
    s.goto(&format!("/correspondencia/salida/{id}")).await;
    s.wait_for("O firme con su e.firma").await;
    s.choose_file("#efirma-cer", cer).await;
    s.choose_file("#efirma-key", key).await;
    s.type_into("#efirma-password", "otra-clave").await;
    s.click("form.efirma-form button[type=submit]").await;
    s.wait_for("La contraseña de la llave privada no es correcta.")
        .await;
    let document = app.store.outgoing(id).await.unwrap().unwrap();
    assert!(document.number.is_none(), "nothing was sent");
    s.type_into("#efirma-password", EFIRMA_PASSWORD).await;
    s.click("form.efirma-form button[type=submit]").await;
    s.wait_for("Firmado con e.firma con el número").await;
    let document = app.store.outgoing(id).await.unwrap().unwrap();
    assert_eq!(document.signatures.len(), 1);
    assert_eq!(document.signatures[0].signer_name, "ANA LOPEZ NUNEZ");

    // The signed PDF, as the titular downloads it, uploaded to the public page.
    let (status, signed) = api
        .get_bytes(&format!("/api/v1/correspondence/outgoing/{id}/signed-pdf"))
        .await;
    assert_eq!(status, 200);
    let pdf = efirma.folder.join("oficio-firmado.pdf");
    std::fs::write(&pdf, &signed).unwrap();
    s.sign_out().await;
    s.goto("/verificar").await;
    s.wait_for("Verificar un documento firmado con e.firma")
        .await;
    s.choose_file("#v-archivo", &pdf).await;
    s.submit().await;
    let page = s.wait_for("Documento auténtico").await;
    assert!(page.contains("ANA LOPEZ NUNEZ"), "{page}");
    s.shot("verificado").await;
    s.client.quit().await;
}
