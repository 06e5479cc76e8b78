//! Nothing a person typed is lost, and no answer is a dead end: error pages in Spanish with
//! the menu, invalid forms shown again with every problem next to its field and the values
//! kept.

use crate::common::*;

/// The main menu of a signed-in person's pages.
const MENU: &str = "<nav class=\"main\"";

async fn error_pages_are_spanish_with_the_menu(app: TestApp) {
    let consulta = app.signed_in("consulta").await;
    let response = consulta.get("/no-existe/en/turno").await;
    assert_eq!(response.status(), 404);
    let page = response.text().await.unwrap();
    assert!(page.contains("lang=\"es-MX\"") && page.contains("No encontrado"));
    assert!(
        page.contains(MENU) && page.contains("Mi bandeja</a>"),
        "{page}"
    );
    // A page the person may not see: 403, with the menu to go on.
    let response = consulta.get("/admin/personas").await;
    assert_eq!(response.status(), 403);
    let page = response.text().await.unwrap();
    assert!(
        page.contains("Sin permiso") && page.contains(MENU),
        "{page}"
    );
    // A folio that does not exist, under a route that does.
    let response = consulta.get("/asuntos/CAS-1999-000001").await;
    assert_eq!(response.status(), 404);
    assert!(response.text().await.unwrap().contains(MENU));

    // Signed out: the same Spanish page, without a menu.
    let stranger = app.browser();
    let response = stranger.get("/no-existe").await;
    assert_eq!(response.status(), 404);
    let page = response.text().await.unwrap();
    assert!(
        page.contains("No encontrado") && !page.contains(MENU),
        "{page}"
    );

    // The API keeps its JSON errors.
    let response = stranger.get("/api/v1/no-existe").await;
    assert_eq!(response.status(), 404);
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .contains("json")
    );
}

on_both_backends! {
    error_pages_are_spanish_with_the_menu,
}
