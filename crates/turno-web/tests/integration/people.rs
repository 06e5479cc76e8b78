//! What a `turno serve` process remembers of people (`auth::Backend`: the person, their units
//! and suplencias) never outlives a change: a change written by any process (here, straight
//! to the database) is in force on the very next request, on the pages and the API alike.

use crate::common::{TestApp, header};
use turno_store::{Role, Store, UserStatus};

async fn a_change_to_a_person_is_in_force_on_the_next_request(app: TestApp) {
    app.add_person("pasajero", "SIDSS-ST", Role::Titular, None)
        .await;
    let id = app
        .store
        .user_by_login("pasajero")
        .await
        .unwrap()
        .unwrap()
        .user
        .id;
    let (token, digest) = turno_web::api::token::generate();
    app.store
        .create_api_token(id, "pasajero", &digest)
        .await
        .unwrap();
    let folio = app.signed_in("secretario").await.register_report().await;
    let browser = app.signed_in("pasajero").await;
    let client = reqwest::Client::new();
    let api = |path: String| {
        client
            .get(format!("{}{path}", app.address))
            .header("authorization", format!("Bearer {token}"))
            .send()
    };
    let page = format!("/asuntos/{folio}");
    let case = format!("/api/v1/cases/{folio}?events=false");
    // Each request below is answered as the database says at that moment, although the
    // person was loaded (and kept) by the ones before.
    for _ in 0..2 {
        assert_eq!(browser.get(&page).await.status(), 200);
        assert_eq!(api(case.clone()).await.unwrap().status(), 200);
    }

    // Out of the unit: the case is no longer theirs.
    assert!(
        app.store
            .remove_membership(id, "SIDSS-ST", Role::Titular, "prueba")
            .await
            .unwrap()
    );
    assert_eq!(browser.get(&page).await.status(), 403);
    assert_eq!(api(case.clone()).await.unwrap().status(), 403);

    // Back in it, only to look.
    app.store
        .add_membership(id, "SIDSS-ST", Role::Consulta, "prueba")
        .await
        .unwrap();
    let seen = browser.get(&page).await;
    assert_eq!(seen.status(), 200);
    assert!(!seen.text().await.unwrap().contains("/atender"));
    let answer = api(case.clone()).await.unwrap();
    assert_eq!(answer.status(), 200);
    let body: serde_json::Value = answer.json().await.unwrap();
    assert_eq!(body["open_work"][0]["can_act"], false);
    assert_eq!(
        body["events"],
        serde_json::json!([]),
        "asked without its record"
    );

    // Deactivated: signed out on the pages, refused by the API.
    app.store
        .set_user_status(id, UserStatus::Inactive, "prueba")
        .await
        .unwrap();
    let signed_out = browser.get(&page).await;
    assert_eq!(signed_out.status(), 303);
    assert!(header(&signed_out, "location").starts_with("/acceso"));
    assert_eq!(api(case).await.unwrap().status(), 401);
}

on_both_backends! {
    a_change_to_a_person_is_in_force_on_the_next_request,
}
