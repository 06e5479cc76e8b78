//! Stopping and restarting an activity's clock from the case page, on both backends, for a
//! procedure whose term allows it: the reason is required, the record says when and why, and
//! only those who act on the activity may do it.

use crate::common::{TestApp, csrf_in, hidden, with_blobs};
use turno_app::commands::start_case;
use turno_domain::definition::parse_procedure;
use turno_domain::engine::{Actor, Start};
use turno_store::{FolioRule, NewCase, Store};

const PETITION: &str =
    include_str!("../../../turno-domain/tests/fixtures/suspendable-petition.toml");

async fn the_clock_stops_with_a_reason_and_runs_again(app: TestApp) {
    let procedure = parse_procedure(PETITION).unwrap();
    let now = jiff::Timestamp::now();
    app.store
        .publish_procedure(&procedure, PETITION, now)
        .await
        .unwrap();
    // Served again, the application loads what the database has published.
    let (app, _) = with_blobs(&app, 1024 * 1024).await;
    let calendars = turno_domain::engine::Calendars::statutory();
    let today = now
        .to_zoned(jiff::tz::TimeZone::get("America/Mexico_City").unwrap())
        .date();
    let ctx = turno_domain::engine::Context {
        now,
        today,
        calendars: &calendars,
    };
    let case = start_case(
        &app.store,
        &procedure,
        NewCase {
            folio: FolioRule::for_procedure(&procedure, None, today.year()),
            title: "Petición de información".into(),
            channel: None,
            requester: None,
        },
        Start {
            by: Actor::system(),
            fields: Default::default(),
        },
        &ctx,
        None,
    )
    .await
    .unwrap();
    let folio = case.folio;

    let secretario = app.signed_in("secretario").await;
    let page = secretario.text(&format!("/asuntos/{folio}")).await;
    assert!(page.contains("Suspender el plazo"));
    let form = |page: &str, action: &'static str, reason: &'static str| {
        vec![
            ("csrf", csrf_in(page)),
            ("item", hidden(page, "item")),
            ("version", hidden(page, "version")),
            ("accion", action.to_owned()),
            ("motivo", reason.to_owned()),
        ]
    };
    async fn send(
        browser: &crate::common::Browser,
        folio: &str,
        form: Vec<(&str, String)>,
    ) -> reqwest::Response {
        let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
        browser
            .post(&format!("/asuntos/{folio}/plazo"), &pairs)
            .await
    }
    let no_reason = send(&secretario, &folio, form(&page, "suspender", " ")).await;
    assert_eq!(no_reason.status(), 422);
    assert!(no_reason.text().await.unwrap().contains("motivo"));
    let consulta = app.signed_in("consulta").await;
    let mut theirs = form(&page, "suspender", "No es suya");
    theirs[0].1 = consulta.csrf("/bandeja").await;
    assert_eq!(send(&consulta, &folio, theirs).await.status(), 403);

    let stopped = send(
        &secretario,
        &folio,
        form(&page, "suspender", "Espera la identificación del ciudadano"),
    )
    .await;
    assert_eq!(stopped.status(), 303);
    let page = secretario.text(&format!("/asuntos/{folio}")).await;
    assert!(page.contains("Plazo de la actividad 1.1 suspendido."));
    assert!(page.contains("le quedan 10 días por correr"));
    assert!(
        page.contains("Espera la identificación del ciudadano"),
        "timeline"
    );
    assert!(page.contains("Reanudar el plazo"));

    let resumed = send(&secretario, &folio, form(&page, "reanudar", "")).await;
    assert_eq!(resumed.status(), 303);
    let page = secretario.text(&format!("/asuntos/{folio}")).await;
    assert!(page.contains("Reanudó el plazo de la actividad 1.1"));
    let id = app.store.find_case(&folio).await.unwrap().unwrap();
    let current = app.store.load_current(id).await.unwrap();
    let expected = calendars.lfpa.add_business_days(today, 10).unwrap();
    assert_eq!(
        current.case.open[0].due,
        Some(expected),
        "the days it had left"
    );
    assert_eq!(app.store.verify().await.unwrap().breaks, []);
}

on_both_backends! {
    the_clock_stops_with_a_reason_and_runs_again,
}
