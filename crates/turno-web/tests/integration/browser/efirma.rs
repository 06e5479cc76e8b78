//! e.firma in the page (issue 18): the titular of the Secretaría Técnica signs an oficio in
//! Chromium with a test `.cer` and `.key` (made by `turno_efirma::testing`, written to a
//! temporary folder, never committed); a wrong password is told next to the signature and
//! nothing is sent; then anyone uploads the signed PDF to the public page, which verifies it.
//! And several signers in order, each with a key of their own, in Mi bandeja and the page.

use super::session::{EFIRMA_PASSWORD, Efirma, Session};
use crate::common::{Api, Backend, spawn};
use turno_efirma::testing::{ANA, GABRIEL, KEYS};
use turno_store::Outgoing;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_titular_signs_an_oficio_in_the_page_and_the_public_page_verifies_it() {
    let app = spawn(Backend::Sqlite).await;
    let efirma = Efirma::of(&app, "secretario").await;
    let api = Api::of(&app, "secretario").await;
    let id = draft(&api, "Envío del informe trimestral", &[]).await;

    let mut s = Session::signed_in(&app, "efirma", "secretario").await;
    s.goto(&format!("/correspondencia/salida/{id}")).await;
    s.wait_for("O firme con su e.firma").await;
    s.sign_document(&efirma, "otra-clave").await;
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
    s.sign_out().await;
    let page = verified_publicly(&mut s, &api, id, &efirma).await;
    assert!(page.contains("ANA LOPEZ NUNEZ"), "{page}");
    s.client.quit().await;
}

/// A draft oficio of the Secretaría Técnica to be signed by `signers` (none: its titular),
/// by the API as `api`'s person: its id.
async fn draft(api: &Api, subject: &str, signers: &[&str]) -> i64 {
    let draft = api
        .draft_oficio(
            subject,
            "Por este medio le envío el informe trimestral.",
            serde_json::json!({ "signers": signers }),
        )
        .await;
    draft["id"].as_i64().unwrap()
}

/// The signed PDF of document `id`, downloaded as `api`'s person, uploaded to the public
/// page by someone signed out: the page once it says «Documento auténtico».
async fn verified_publicly(s: &mut Session, api: &Api, id: i64, efirma: &Efirma) -> String {
    let (status, signed) = api
        .get_bytes(&format!("/api/v1/correspondence/outgoing/{id}/signed-pdf"))
        .await;
    assert_eq!(status, 200);
    let pdf = efirma.folder.join("oficio-firmado.pdf");
    std::fs::write(&pdf, &signed).unwrap();
    s.goto("/verificar").await;
    s.wait_for("Verificar un documento firmado con e.firma")
        .await;
    s.choose_file("#v-archivo", &pdf).await;
    s.submit().await;
    let page = s.wait_for("Documento auténtico").await;
    s.shot("verificado").await;
    page
}

/// Several signers in order, in the page: the drafter names the asesor, then the titular,
/// each with a certificate and a key of their own. The titular, second, opens the document
/// first and hears that it is not their turn (no form to sign); the asesor finds it in Mi
/// bandeja («Espera su firma») and signs; then the titular finds it there and signs, which
/// numbers it; the signed PDF uploaded to the public page is authentic, with both signers in
/// order.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn several_signers_sign_in_order_in_the_page() {
    let app = spawn(Backend::Sqlite).await;
    let titular = Efirma::of(&app, "secretario").await;
    let asesor = Efirma::with(
        &app,
        "asesor",
        &GABRIEL,
        "00001000000700000002",
        &KEYS.second_signer,
    )
    .await;
    let api = Api::of(&app, "secretario").await;
    let id = draft(&api, "Informe conjunto", &["asesor", "secretario"]).await;
    let document = format!("/correspondencia/salida/{id}");

    let mut s = Session::signed_in(&app, "efirma-varios", "secretario").await;
    s.goto(&document).await;
    let page = s
        .wait_for(
            "Aún no le toca firmar: falta la firma 1 de 2, de «asesor», que va antes que la suya.",
        )
        .await;
    assert!(!page.contains("efirma-form"), "no form to sign out of turn");
    s.shot("fuera-de-turno").await;
    s.sign_out().await;

    for (login, efirma, done) in [
        (
            "asesor",
            &asesor,
            "Firma 1 de 2 guardada. Sigue la firma de «secretario»",
        ),
        ("secretario", &titular, "Firmado con e.firma con el número"),
    ] {
        s.sign_in(login).await;
        s.wait_for("Espera su firma").await;
        s.shot(&format!("bandeja-{login}")).await;
        s.click(&format!(
            "section[aria-labelledby=espera-firma] a[href='{document}']"
        ))
        .await;
        s.wait_for("Firme con su e.firma").await;
        s.shot(&format!("firma-{login}")).await;
        s.sign_document(efirma, EFIRMA_PASSWORD).await;
        s.wait_for(done).await;
        s.shot(&format!("firmado-{login}")).await;
        let stored = app.store.outgoing(id).await.unwrap().unwrap();
        let last = stored.signatures.last().unwrap();
        assert_eq!(last.signer_login, login);
        assert_eq!(stored.number.is_some(), login == "secretario");
        s.sign_out().await;
    }
    let stored = app.store.outgoing(id).await.unwrap().unwrap();
    let order: Vec<_> = stored
        .signatures
        .iter()
        .map(|s| (s.ordinal, s.signer_name.as_str()))
        .collect();
    assert_eq!(order, [(1, GABRIEL.name), (2, ANA.name)]);

    let page = verified_publicly(&mut s, &api, id, &titular).await;
    let (first, second) = (page.find(GABRIEL.name), page.find(ANA.name));
    assert!(
        first.is_some() && second.is_some() && first < second,
        "both signers, in order: {page}"
    );
    s.client.quit().await;
}
