//! A NUL or another control character typed anywhere a person can type without signing in or
//! in a search is refused by its field, never a server error (issue 16, hole 7), on SQLite and
//! PostgreSQL (which cannot store a NUL at all).

use crate::common::TestApp;

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
    assert_eq!(filed.status(), 422);
    let page = filed.text().await.unwrap();
    assert!(
        page.contains("descripción: lleva un carácter de control (U+0000)"),
        "{page}"
    );
    assert!(
        page.contains("nombre: lleva un carácter de control (U+001B)"),
        "{page}"
    );

    let visitor = app.browser();
    let refused = visitor.sign_in("secre\u{0}tario", "cualquiera").await;
    assert_eq!(refused.status(), 200);
    let page = refused.text().await.unwrap();
    assert!(page.contains("El usuario va en una sola línea"), "{page}");

    let secretario = app.signed_in("secretario").await;
    let found = secretario.get("/buscar?q=informe%00").await;
    assert_eq!(found.status(), 200);
    let page = found.text().await.unwrap();
    assert!(page.contains(r#"id="b-q-error""#), "{page}");

    let token = app.api_token("secretario").await;
    let answer = reqwest::Client::new()
        .get(format!("{}/api/v1/cases?q=informe%00", app.address))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 422);
    let body = answer.text().await.unwrap();
    assert!(body.contains("\"q\""), "{body}");
}

on_both_backends! {
    mailbox_sign_in_and_search_refuse_control_characters,
}
