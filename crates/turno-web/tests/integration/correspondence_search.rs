//! «Buscar en la correspondencia» end to end on both databases: the page and the API find an
//! oficio by its subject without accents, by a word begun, by its sender, its folio and its
//! number, and by the day it was received; a reservada document is found by its words only by
//! the people of its units, not by the unit above it nor by an administrator (who see it exists,
//! found by its dates, its texts withheld), and not at all by someone of another unit; a query
//! with problems shows each next to its field (page, 422) or by its parameter (API, 422).

use crate::common::{TestApp, expect_page, yesterday};
use crate::correspondence_incoming::{api, classified, registered};
use reqwest::Method;
use serde_json::Value;
use turno_store::Role;

/// The folios the API finds for `query` as `login`.
async fn found(app: &TestApp, login: &str, query: &str) -> Vec<String> {
    let token = app.api_token(login).await;
    let (status, body) = api(
        app,
        &token,
        Method::GET,
        &format!("/api/v1/correspondence/search?{query}"),
        None,
    )
    .await;
    assert_eq!(status, 200, "{query}: {body}");
    let items = body["items"].as_array().unwrap();
    assert_eq!(body["total"].as_u64().unwrap(), items.len() as u64);
    items
        .iter()
        .map(|item| item["folio"].as_str().unwrap_or_default().to_owned())
        .collect()
}

async fn the_page_and_the_api_find_documents_as_their_readers_may(app: TestApp) {
    let secretario = app.signed_in("secretario").await;
    let oficio = registered(&secretario).await;
    let (reserved, _) = classified(&app).await;
    app.add_unit_with(
        ("DGIS", "Dirección General de Información en Salud"),
        "lejano",
        Role::Operador,
    )
    .await;

    // The page: a box on the list leads to it; words without accents, the last one begun.
    let list = secretario.text("/correspondencia").await;
    assert!(list.contains("action=\"/correspondencia/buscar\""));
    let page = secretario
        .text("/correspondencia/buscar?q=INFORMACION+padro")
        .await;
    assert!(page.contains("Buscar en la correspondencia"));
    assert!(
        page.contains(&format!("href=\"/correspondencia/{oficio}\"")),
        "{page}"
    );
    assert!(page.contains("Solicitud de información sobre el padrón"));
    assert!(page.contains("1 documento encontrado"));
    assert!(!page.contains(&reserved));

    // The API: subject, sender, folio, their number.
    for query in [
        "q=solicitud%20informacion",
        "q=ana%20lopez",
        &format!("q={oficio}"),
        "q=SESEQ%2FDG%2F0456",
    ] {
        assert_eq!(
            found(&app, "secretario", query).await,
            std::slice::from_ref(&oficio),
            "{query}"
        );
    }
    // The reservada one: by its words only for the people of its units…
    assert_eq!(
        found(&app, "oficialia", "q=denuncia").await,
        std::slice::from_ref(&reserved)
    );
    assert_eq!(
        found(&app, "ajeno", "q=denuncia%20datos").await,
        std::slice::from_ref(&reserved)
    );
    // …not for the unit above nor an administrator, who find it by its day, withheld…
    for login in ["secretario", "admin"] {
        assert!(found(&app, login, "q=denuncia").await.is_empty(), "{login}");
    }
    let day = yesterday();
    let token = app.api_token("secretario").await;
    let (status, body) = api(
        &app,
        &token,
        Method::GET,
        &format!("/api/v1/correspondence/search?desde={day}&hasta={day}"),
        None,
    )
    .await;
    assert_eq!(status, 200);
    let items = body["items"].as_array().unwrap();
    let withheld: &Value = items
        .iter()
        .find(|item| item["folio"] == reserved.as_str())
        .unwrap();
    assert_eq!(withheld["subject"], "[Información clasificada]");
    assert_eq!(withheld["sender"], "[Información clasificada]");
    assert_eq!(withheld["direction"], "entrada");
    assert_eq!(withheld["state"], "En trámite");
    assert!(items.iter().any(|item| item["folio"] == oficio.as_str()));
    // …and not at all for someone of another unit.
    assert!(found(&app, "lejano", "q=denuncia").await.is_empty());
    assert!(
        found(&app, "lejano", &format!("desde={day}"))
            .await
            .is_empty()
    );
    // A day after: nothing received.
    let tomorrow = day.tomorrow().unwrap().tomorrow().unwrap();
    assert!(
        found(&app, "secretario", &format!("desde={tomorrow}"))
            .await
            .is_empty()
    );

    // Problems: each by its parameter in the API, next to its field on the page.
    let (status, body) = api(
        &app,
        &token,
        Method::GET,
        &format!(
            "/api/v1/correspondence/search?q={}&desde=ayer&hasta={day}&pagina=0",
            "a".repeat(201)
        ),
        None,
    )
    .await;
    assert_eq!(status, 422, "{body}");
    let fields = crate::common::refused_fields(&body);
    assert_eq!(fields, ["q", "desde", "pagina"]);
    let (status, body) = api(
        &app,
        &token,
        Method::GET,
        &format!(
            "/api/v1/correspondence/search?desde={day}&hasta={}",
            day.yesterday().unwrap()
        ),
        None,
    )
    .await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["fields"][0]["field"], "hasta");
    let response = secretario
        .get("/correspondencia/buscar?q=padr%C3%B3n&desde=ayer")
        .await;
    let page = expect_page(response, 422).await;
    assert!(page.contains("id=\"c-desde-error\""));
    assert!(page.contains("value=\"ayer\""));
    assert!(page.contains("value=\"padrón\""));
    // Without a token.
    let anonymous = reqwest::get(format!("{}/api/v1/correspondence/search?q=x", app.address))
        .await
        .unwrap();
    assert_eq!(anonymous.status(), 401);
}

on_both_backends! {
    the_page_and_the_api_find_documents_as_their_readers_may,
}
