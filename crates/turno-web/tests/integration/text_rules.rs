//! A NUL or another control character typed anywhere a person can type without signing in or
//! in a search is refused by its field, never a server error (issue 16, hole 7), on SQLite and
//! PostgreSQL (which cannot store a NUL at all).

use crate::common::{TestApp, expect_page, says};
use reqwest::Method;

async fn mailbox_sign_in_and_search_refuse_control_characters(app: TestApp) {
    let citizen = app.browser();
    let filed = crate::mailbox::file(
        &citizen,
        &[
            ("tipo", "queja"),
            ("entidad", "JAL"),
            ("descripcion", "No me surtieron\u{0} la receta."),
            ("nombre", "Juana\u{1b}"),
            ("aviso_privacidad", "si"),
        ],
    )
    .await;
    let page = expect_page(filed, 422).await;
    says(
        &page,
        &[
            "descripción: lleva un carácter de control (U+0000)",
            "nombre: lleva un carácter de control (U+001B)",
        ],
    );

    let visitor = app.browser();
    let refused = visitor.sign_in("secre\u{0}tario", "cualquiera").await;
    let page = expect_page(refused, 200).await;
    says(&page, &["El usuario va en una sola línea"]);

    let secretario = app.signed_in("secretario").await;
    let found = secretario.get("/buscar?q=informe%00").await;
    let page = expect_page(found, 200).await;
    assert!(page.contains(r#"id="b-q-error""#), "{page}");

    let path = "/api/v1/cases?q=informe%00";
    let answer = app.api("secretario", Method::GET, path, None).await;
    let body = expect_page(answer, 422).await;
    says(&body, &["\"q\""]);
}

on_both_backends! {
    mailbox_sign_in_and_search_refuse_control_characters,
}
