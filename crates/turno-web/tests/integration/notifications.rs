//! Notifications through the real application on both backends: people are told when work is
//! turned or returned to their unit, is about to expire and expired, in the application (a
//! counter and a list) and by e-mail to a real SMTP server on loopback; each once, as each
//! person chose.

use crate::common::{Browser, TestApp, csrf_in, hidden, says};
use std::time::Duration;
use turno_app::{App, Clock};
use turno_notify::testing::SmtpSink;
use turno_notify::{Mailer, Notifier, Settings};
use turno_store::{Role, Store};
use turno_web::{AppState, scheduler};

/// Registers an informe and drives it to 4.1, the Coordinación de Asesores' review.
async fn at_review(secretario: &Browser) -> String {
    let folio = secretario.register_report().await;
    // 1.1 → 2.1 → 2.2 «Sí» → 3.1 → 4.1.
    for outcome in [None, None, Some("Sí"), None] {
        assert_eq!(secretario.act(&folio, outcome, &[]).await.status(), 303);
    }
    folio
}

/// The counter in the header, as the page loads it.
async fn counter(who: &Browser) -> String {
    let response = who.get("/notificaciones/contador").await;
    assert_eq!(response.status(), 200);
    response.text().await.unwrap().trim().to_owned()
}

async fn people_are_told_in_the_application(app: TestApp) {
    let secretario = app.signed_in("secretario").await;
    let asesor = app.signed_in("asesor").await;
    let folio = at_review(&secretario).await;
    assert_eq!(
        counter(&asesor).await,
        "",
        "nothing told before the scheduler runs"
    );

    scheduler::tick(&app.state).await;
    assert!(counter(&asesor).await.contains(">1<"), "one unread");
    let list = asesor.text("/notificaciones").await;
    says(&list, &[&format!("Turnado a SIDSS-CAS: {folio}")]);
    assert!(list.contains("Actividad: 4.1 Recibe y revisa el Informe Integrado"));
    // The secretario did it all himself; consulta only reads; the other unit has nothing.
    for login in ["secretario", "consulta", "ajeno"] {
        let who = app.signed_in(login).await;
        assert_eq!(counter(&who).await, "", "{login} is told nothing");
    }

    // «No»: the work comes back to the Secretario Técnico, who is told why.
    let certificate = crate::common::efirma_of(&app, "asesor").await;
    assert_eq!(
        asesor
            .act_signed(&folio, Some("No"), &certificate)
            .await
            .status(),
        303
    );
    scheduler::tick(&app.state).await;
    scheduler::tick(&app.state).await;
    let list = secretario.text("/notificaciones").await;
    says(&list, &[&format!("Devuelto para corrección: {folio}")]);
    assert!(list.contains("Regresó a SIDSS-ST para su corrección."));
    assert_eq!(
        list.matches("Devuelto para corrección:").count(),
        1,
        "told once"
    );
    assert!(counter(&secretario).await.contains(">1<"));

    // Marking read empties the counter; the list keeps them.
    let csrf = csrf_in(&asesor.text("/notificaciones").await);
    let marked = asesor
        .post("/notificaciones/leidas", &[("csrf", &csrf)])
        .await;
    assert_eq!(marked.status(), 303);
    let list = asesor.text("/notificaciones").await;
    assert!(list.contains("Se marcó 1 notificación como leída."));
    assert!(list.contains("No tiene notificaciones sin leer") && list.contains(&folio));
    assert_eq!(counter(&asesor).await, "");

    // Someone else's notification cannot be marked from another account.
    let mine = app
        .store
        .user_by_login("secretario")
        .await
        .unwrap()
        .unwrap()
        .user
        .id;
    let theirs = turno_store::notifications::Notifications::notifications(&app.store, mine, 10, 0)
        .await
        .unwrap()[0]
        .id
        .to_string();
    let csrf = csrf_in(&asesor.text("/notificaciones").await);
    asesor
        .post(
            "/notificaciones/leidas",
            &[("csrf", &csrf), ("id", &theirs)],
        )
        .await;
    assert!(counter(&secretario).await.contains(">1<"), "still unread");
    assert_eq!(app.store.verify().await.unwrap().breaks, []);
}

/// A notification of work turned with a term says, as the inbox, how many días hábiles are
/// left and when it is due.
async fn a_notification_shows_the_days_left_of_its_work(app: TestApp) {
    let (folio, due) = crate::admin::turned_report(&app).await;
    scheduler::tick(&app.state).await;
    let asesor = app.signed_in("asesor").await;
    let list = asesor.text("/notificaciones").await;
    says(&list, &[&folio]);
    assert!(
        list.contains(&format!(
            "días hábiles restantes · vence {}</p>",
            turno_domain::text::day(due)
        )),
        "{list}"
    );
}

async fn each_person_chooses_what_they_receive(app: TestApp) {
    let asesor = app.signed_in("asesor").await;
    let page = asesor.text("/notificaciones/preferencias").await;
    assert!(page.contains("Asunto turnado a su unidad") && page.contains("Resumen diario"));
    assert!(page.contains(
        "name=\"turned:app\" aria-label=\"Asunto turnado a su unidad en Turno\" checked"
    ));
    let csrf = csrf_in(&page);
    // Everything by e-mail, nothing turned shown in the application.
    let saved = asesor
        .post(
            "/notificaciones/preferencias",
            &[
                ("csrf", &csrf),
                ("returned:app", "on"),
                ("turned:email", "on"),
                ("overdue:app", "on"),
            ],
        )
        .await;
    assert_eq!(saved.status(), 303);
    let page = asesor.text("/notificaciones/preferencias").await;
    assert!(page.contains("Preferencias de avisos guardadas."));
    assert!(
        page.contains("name=\"turned:app\" aria-label=\"Asunto turnado a su unidad en Turno\">")
    );
    assert!(page.contains(
        "name=\"returned:app\" aria-label=\"Asunto devuelto para corrección en Turno\" checked"
    ));

    let secretario = app.signed_in("secretario").await;
    at_review(&secretario).await;
    scheduler::tick(&app.state).await;
    assert_eq!(
        counter(&asesor).await,
        "",
        "turned work is not shown to who declined it"
    );
}

async fn e_mails_reach_the_smtp_server(app: TestApp) {
    let sink = SmtpSink::start().unwrap();
    app.add_person(
        "operadora",
        "SIDSS-CAS",
        Role::Operador,
        Some("operadora@salud.gob.mx"),
    )
    .await;
    app.add_person(
        "enlace",
        "OTRA-UNIDAD",
        Role::Operador,
        Some("enlace@salud.gob.mx"),
    )
    .await;
    let clock = Clock::manual(jiff::Timestamp::now());
    let state = AppState {
        notifier: Notifier::new(
            Settings {
                reminder_days: 2,
                digest_hour: 0,
                base_url: "https://turno.salud.gob.mx/".into(),
            },
            Some(Mailer::new(&sink.url(), "Turno <turno@salud.gob.mx>").unwrap()),
        ),
        app: App {
            clock: clock.clone(),
            ..app.state.app.clone()
        },
        ..app.state.clone()
    };
    let secretario = app.signed_in("secretario").await;
    let folio = at_review(&secretario).await;

    // Turned to the Coordinación de Asesores: its operator with an address gets the e-mail,
    // and, having open work, the day's digest.
    scheduler::tick(&state).await;
    let received = sink.wait_for(2, Duration::from_secs(10)).await;
    assert_eq!(received.len(), 2, "{received:#?}");
    let turned = received
        .iter()
        .find(|m| m.subject.starts_with("Turnado"))
        .expect("the turn's e-mail");
    assert_eq!(turned.rcpt_tos, ["operadora@salud.gob.mx"]);
    assert_eq!(turned.from, "Turno <turno@salud.gob.mx>");
    assert_eq!(
        turned.subject,
        format!("Turnado a SIDSS-CAS: {folio} — Informe trimestral de la DGPLADES")
    );
    for expected in [
        "Persona operadora:",
        "Procedimiento: Procedimiento para el monitoreo y análisis de los informes oficiales",
        "Se turnó a SIDSS-CAS para su atención.",
        "Actividad: 4.1 Recibe y revisa el Informe Integrado y autoriza su envío.",
        &format!("https://turno.salud.gob.mx/asuntos/{folio}"),
        "https://turno.salud.gob.mx/notificaciones/preferencias",
    ] {
        assert!(
            turned.body.contains(expected),
            "«{expected}» in\n{}",
            turned.body
        );
    }
    let digest = received
        .iter()
        .find(|m| m.subject.starts_with("Resumen diario"))
        .expect("the digest");
    assert_eq!(digest.rcpt_tos, ["operadora@salud.gob.mx"]);
    assert!(
        digest.subject.ends_with("1 asunto pendiente"),
        "{}",
        digest.subject
    );
    assert!(digest.body.contains(&folio) && digest.body.contains("Actividad 4.1"));

    // Ticking again sends nothing twice.
    scheduler::tick(&state).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(sink.received().len(), 2);

    // The asesor turns the review to the other unit for one business day: its liaison is told,
    // reminded (the due date is within two business days) and, once it passed, told it expired.
    let asesor = app.signed_in("asesor").await;
    let page = asesor.text(&format!("/asuntos/{folio}")).await;
    let turned = asesor
        .post(
            &format!("/asuntos/{folio}/turnar"),
            &[
                ("csrf", &csrf_in(&page)),
                ("item", &hidden(&page, "item")),
                ("version", &hidden(&page, "version")),
                ("instruccion", "Opine sobre las cifras del anexo 3"),
                ("plazo", "1"),
                ("unidades", "OTRA-UNIDAD"),
            ],
        )
        .await;
    assert_eq!(turned.status(), 303);
    scheduler::tick(&state).await;
    // Its liaison now has open work: today's digest too.
    let received = sink.wait_for(5, Duration::from_secs(10)).await;
    let to_enlace: Vec<_> = received
        .iter()
        .filter(|m| m.rcpt_tos == ["enlace@salud.gob.mx"])
        .collect();
    assert_eq!(to_enlace.len(), 3, "{received:#?}");
    let turn = to_enlace
        .iter()
        .find(|m| m.subject.starts_with("Turnado a OTRA-UNIDAD"))
        .unwrap();
    assert!(
        turn.body
            .contains("Instrucción: Opine sobre las cifras del anexo 3")
    );
    assert!(turn.body.contains("Fecha límite: "));
    let reminder = to_enlace
        .iter()
        .find(|m| m.subject.starts_with("Por vencer el "))
        .unwrap();
    assert!(
        reminder
            .body
            .contains("El plazo de OTRA-UNIDAD vence pronto.")
    );

    clock.set(jiff::Timestamp::now() + jiff::SignedDuration::from_hours(24 * 10));
    scheduler::tick(&state).await;
    let received = sink.wait_for(8, Duration::from_secs(10)).await;
    let expired: Vec<_> = received
        .iter()
        .filter(|m| m.subject.starts_with("Plazo vencido"))
        .collect();
    assert_eq!(expired.len(), 1, "{received:#?}");
    assert_eq!(expired[0].rcpt_tos, ["enlace@salud.gob.mx"]);
    assert!(expired[0].body.contains("Venció el plazo de OTRA-UNIDAD"));
    // A new day, a new digest for each person with open work and an address.
    assert_eq!(
        received
            .iter()
            .filter(|m| m.subject.starts_with("Resumen diario"))
            .count(),
        4,
        "{received:#?}"
    );
    scheduler::tick(&state).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(sink.received().len(), received.len(), "nothing twice");
}

on_both_backends! {
    a_notification_shows_the_days_left_of_its_work,
    people_are_told_in_the_application,
    each_person_chooses_what_they_receive,
    e_mails_reach_the_smtp_server,
}
