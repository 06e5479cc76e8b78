//! A NUL or another control character typed anywhere a person can type without signing in or
//! in a search is refused by its field, never a server error (issue 16, hole 7), on SQLite and
//! PostgreSQL (which cannot store a NUL at all).

use crate::common::{TestApp, expect_page, expect_says};
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
    expect_says(
        filed,
        422,
        &[
            "descripción: lleva un carácter de control (U+0000)",
            "nombre: lleva un carácter de control (U+001B)",
        ],
    )
    .await;

    let visitor = app.browser();
    let refused = visitor.sign_in("secre\u{0}tario", "cualquiera").await;
    expect_says(refused, 200, &["El usuario va en una sola línea"]).await;

    let secretario = app.signed_in("secretario").await;
    let found = secretario.get("/buscar?q=informe%00").await;
    let page = expect_page(found, 200).await;
    assert!(page.contains(r#"id="b-q-error""#), "{page}");

    let path = "/api/v1/cases?q=informe%00";
    let answer = app.api("secretario", Method::GET, path, None).await;
    expect_says(answer, 422, &["\"q\""]).await;
}

on_both_backends! {
    mailbox_sign_in_and_search_refuse_control_characters,
}
