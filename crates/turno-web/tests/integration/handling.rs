//! Handling petitions through the pages, on both backends: classify → volante → the Enlace
//! answers the FUR → review «No» → the Enlace answers again → review «Sí» → answered; the Enlace
//! of another entidad neither sees nor acts on it; a petition that needs no action is answered
//! with its e-mail in the outbox.

use crate::common::calls;
use crate::common::{Browser, QUEJA_JAL, TestApp, csrf_in};
use turno_domain::citizen::Channel::CallCenter;
use turno_domain::citizen::PetitionKind::Complaint;
use turno_store::notifications::Notifications;
use turno_store::{Handling, Role, Store};

/// The DVS, two entidades' Enlaces, a motive, and two calls: AC-2026-000001 (Jalisco, with an
/// e-mail) and AC-2026-000002 (Colima).
async fn agency(app: &TestApp) {
    for (code, name) in [
        ("CNPSS-DVS", "Departamento de Vinculación Social"),
        (
            "REPSS-JAL",
            "Régimen Estatal de Protección Social en Salud de Jalisco",
        ),
        (
            "REPSS-COL",
            "Régimen Estatal de Protección Social en Salud de Colima",
        ),
    ] {
        app.add_unit(code, name).await;
    }
    app.add_people(&[
        ("vinculacion", "CNPSS-DVS", Role::Operador),
        ("enlace_jal", "REPSS-JAL", Role::EnlaceExterno),
        ("enlace_col", "REPSS-COL", Role::EnlaceExterno),
    ])
    .await;
    app.add_motive("MED-SURT", "Surtimiento de medicamentos")
        .await;
    let call = |n, state, email| {
        calls::call(
            n,
            Complaint,
            CallCenter,
            state,
            "2026-03-02T10:00:00",
            email,
        )
    };
    calls::import(
        app,
        vec![
            call(1, "JAL", Some("juana@ejemplo.mx")),
            call(2, "COL", Some("pedro@ejemplo.mx")),
        ],
    )
    .await;
}

const FOLIO: &str = "AC-2026-000001";

async fn post_form(
    browser: &crate::common::Browser,
    page: &str,
    path: &str,
    form: &[(&str, &str)],
) -> reqwest::Response {
    let csrf = csrf_in(&browser.text(page).await);
    let mut all = vec![("csrf", csrf.as_str())];
    all.extend_from_slice(form);
    browser.post(path, &all).await
}

async fn answer_fur(browser: &crate::common::Browser, answer: &str) -> reqwest::Response {
    let today = jiff::Zoned::now()
        .with_time_zone(jiff::tz::TimeZone::get("America/Mexico_City").unwrap())
        .date()
        .to_string();
    post_form(
        browser,
        "/bandeja",
        &format!("/peticiones/{FOLIO}/fur"),
        &[
            ("enlace", "Lic. Ana Ruiz"),
            ("fecha", &today),
            ("contacto_medio", "telefono"),
            ("contacto_fecha", &today),
            (
                "acciones",
                "Se gestionó el surtimiento con la jurisdicción.",
            ),
            ("resultado", "favorable"),
            ("respuesta", answer),
        ],
    )
    .await
}

async fn the_volante_and_fur_loop_closes_a_petition(app: TestApp) {
    agency(&app).await;
    let dvs = app.signed_in("vinculacion").await;
    let jal = app.signed_in("enlace_jal").await;
    let col = app.signed_in("enlace_col").await;

    // The Enlace cannot classify; the DVS classifies it as meriting action.
    assert_eq!(
        jal.get(&format!("/peticiones/{FOLIO}/clasificar"))
            .await
            .status(),
        403
    );
    let page = dvs.text(&format!("/peticiones/{FOLIO}/clasificar")).await;
    assert!(page.contains("Juana Pérez Gómez") && page.contains("Surtimiento de medicamentos"));
    let response = post_form(
        &dvs,
        "/bandeja",
        &format!("/peticiones/{FOLIO}/clasificar"),
        QUEJA_JAL,
    )
    .await;
    assert_eq!(response.status(), 303);
    assert_eq!(
        response.headers()["location"],
        format!("/peticiones/{FOLIO}/volante").as_str()
    );
    let folio = FOLIO.parse().unwrap();
    let handling = app.store.handling(folio).await.unwrap().unwrap();
    assert_eq!((handling.status.as_str(), handling.slip), ("en_gestion", 1));
    let case_folio = handling.case_folio.clone().unwrap();
    assert!(case_folio.starts_with("VT-"), "{case_folio}");

    // The volante: folio, Enlace, term and due date; the Enlace sees it, Colima's does not.
    let slip = jal.text(&format!("/peticiones/{FOLIO}/volante")).await;
    assert!(
        slip.contains(&case_folio) && slip.contains("REPSS-JAL"),
        "{slip}"
    );
    assert!(slip.contains("5 días hábiles"));
    let due = handling.due_on.unwrap().strftime("%d/%m/%Y").to_string();
    assert!(slip.contains(&due));
    for path in ["volante", "fur", "clasificar"] {
        let response = col.get(&format!("/peticiones/{FOLIO}/{path}")).await;
        assert_eq!(response.status(), 403, "{path}");
        assert!(!response.text().await.unwrap().contains("Juana"));
    }
    assert_eq!(
        col.get(&format!("/asuntos/{case_folio}")).await.status(),
        403
    );
    assert_eq!(answer_fur(&col, "Nada").await.status(), 403);
    // The DVS cannot answer for the Enlace, nor review before the FUR.
    assert_eq!(answer_fur(&dvs, "Nada").await.status(), 403);
    let review = |complete: &'static str, favorable: &'static str| {
        let dvs = &dvs;
        async move {
            post_form(
                dvs,
                "/bandeja",
                &format!("/peticiones/{FOLIO}/revision"),
                &[
                    ("completa", complete),
                    ("favorable", favorable),
                    ("observaciones", "Indique la fecha de surtimiento."),
                ],
            )
            .await
        }
    };
    assert_eq!(review("si", "si").await.status(), 409);

    // The Enlace answers; the review finds it incomplete and turns it again.
    assert!(
        jal.text(&format!("/peticiones/{FOLIO}/fur"))
            .await
            .contains("Enviar el FUR")
    );
    assert_eq!(answer_fur(&jal, "Se le surtirá.").await.status(), 303);
    assert_eq!(answer_fur(&jal, "Otra vez").await.status(), 403);
    assert_eq!(review("no", "si").await.status(), 303);
    let handling = app.store.handling(folio).await.unwrap().unwrap();
    assert_eq!((handling.status.as_str(), handling.slip), ("en_gestion", 2));
    assert_eq!(handling.responses.len(), 1);
    assert!(handling.responses[0].review.is_some());
    let slip = jal.text(&format!("/peticiones/{FOLIO}/volante")).await;
    assert!(slip.contains("Indique la fecha de surtimiento."), "{slip}");

    // The second answer is complete and favorable: the petition is answered.
    assert_eq!(
        answer_fur(&jal, "Se le surtió la receta el 5 de marzo.")
            .await
            .status(),
        303
    );
    assert_eq!(review("si", "si").await.status(), 303);
    let handling = app.store.handling(folio).await.unwrap().unwrap();
    assert_eq!(handling.status, "respondida");
    assert_eq!(
        handling.answer.as_deref(),
        Some("Se le surtió la receta el 5 de marzo.")
    );
    assert!(handling.answered_on.is_some());
    let id = app.store.find_case(&case_folio).await.unwrap().unwrap();
    let current = app.store.load_current(id).await.unwrap();
    assert!(current.case.open.is_empty(), "the volante's case ended");
    let page = dvs.text(&format!("/peticiones/{FOLIO}/fur")).await;
    assert!(page.contains("Completa y favorable") && page.contains("Volante 2"));
}

/// Classifies Colima's call as needing no action, answered with `answer`.
async fn without_action(dvs: &Browser, answer: &str) -> reqwest::Response {
    post_form(
        dvs,
        "/bandeja",
        "/peticiones/AC-2026-000002/clasificar",
        &[
            ("tipo", "queja"),
            ("motivo", "MED-SURT"),
            ("entidad", "COL"),
            ("amerita", "no"),
            ("respuesta", answer),
        ],
    )
    .await
}

async fn a_petition_without_action_is_answered_by_email(app: TestApp) {
    agency(&app).await;
    let dvs = app.signed_in("vinculacion").await;
    let response = without_action(
        &dvs,
        "Puede surtir su receta en cualquier farmacia del programa.",
    )
    .await;
    assert_eq!(response.status(), 303);
    let handling = app
        .store
        .handling("AC-2026-000002".parse().unwrap())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(handling.status, "respondida");
    assert_eq!(handling.case_folio, None);
    let mail = app
        .store
        .claim_mail(jiff::Timestamp::now().as_second(), 60, 10)
        .await
        .unwrap();
    assert_eq!(mail.len(), 1);
    assert_eq!(mail[0].recipient, "pedro@ejemplo.mx");
    assert!(mail[0].body.contains("cualquier farmacia"));
    // Classified once: a second classification is refused.
    let again = without_action(&dvs, "Otra").await;
    assert_eq!(again.status(), 409);
}

on_both_backends! {
    the_volante_and_fur_loop_closes_a_petition,
    a_petition_without_action_is_answered_by_email,
}
