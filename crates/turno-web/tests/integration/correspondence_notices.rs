//! Correspondence turns to people, Mi bandeja and what people are told, on both databases
//! (docs/correspondence.md): a turn to one person of a unit is theirs and their titular's, not
//! the unit's other people's; it is reassigned within the unit to another person; the inbox
//! (page and API) lists the open turns each person acts on; a new turn is told once; an
//! overdue turn is told and escalated to the unit that gave it exactly once, with two
//! notifiers ticking at the same time; the reviewer awaited and the titular, or the signer in
//! turn, are told that an outgoing document waits for them.

use crate::common::Api;
use crate::common::{TestApp, csrf_in, expect_page};
use crate::correspondence_incoming::{principal, registered, turned_for_attention};
use serde_json::json;
use turno_app::correspondence::incoming;
use turno_app::correspondence::turns::{self, Outcome, TurnTo};
use turno_app::{App, Clock};
use turno_notify::{Notifier, Settings};
use turno_store::notifications::{Notification, Notifications};
use turno_store::{Role, Store};
use turno_web::{AppState, scheduler};

/// A person's notifications, oldest first.
async fn told(app: &TestApp, login: &str) -> Vec<Notification> {
    let user = app.store.user_by_login(login).await.unwrap().unwrap().user;
    let mut all = app.store.notifications(user.id, 100, 0).await.unwrap();
    all.reverse();
    all
}

fn subjects(notifications: &[Notification]) -> Vec<&str> {
    notifications.iter().map(|n| n.subject.as_str()).collect()
}

/// The Coordinación de Asesores' titular and two more of its people.
async fn people(app: &TestApp) {
    app.add_person("coordinador", "SIDSS-CAS", Role::Titular, None)
        .await;
    app.add_person("analista", "SIDSS-CAS", Role::Operador, None)
        .await;
    app.add_person("auxiliar", "SIDSS-CAS", Role::Operador, None)
        .await;
}

/// A state whose clock and notifier the test drives: reminders two business days ahead, no
/// e-mail.
fn with_clock(app: &TestApp, clock: &Clock) -> AppState {
    AppState {
        notifier: Notifier::new(
            Settings {
                reminder_days: 2,
                digest_hour: 0,
                base_url: "https://turno.salud.gob.mx/".into(),
            },
            None,
        ),
        app: App {
            clock: clock.clone(),
            ..app.state.app.clone()
        },
        ..app.state.clone()
    }
}

async fn a_turn_to_a_person_is_theirs_and_their_titulars(app: TestApp) {
    people(&app).await;
    let secretario = app.signed_in("secretario").await;
    let folio = registered(&secretario).await;
    let page = secretario.text(&format!("/correspondencia/{folio}")).await;
    assert!(
        page.contains("<option value=\"analista\">"),
        "the people of the units are offered"
    );
    let csrf = csrf_in(&page);
    // Someone who does not work in the unit is refused on the field, what was typed kept.
    let refused = secretario
        .post(
            &format!("/correspondencia/{folio}/turnar"),
            &[
                ("csrf", &csrf),
                ("unit", "SIDSS-CAS"),
                ("person", "ajeno"),
                ("instruction", "atencion"),
                ("days", "5"),
                ("note", "Prepare las cifras"),
            ],
        )
        .await;
    let again = expect_page(refused, 422).await;
    assert!(
        again.contains("«ajeno» no es una persona activa que trabaje en SIDSS-CAS."),
        "{again}"
    );
    assert!(again.contains("Prepare las cifras"));
    let turned = secretario
        .post(
            &format!("/correspondencia/{folio}/turnar"),
            &[
                ("csrf", &csrf),
                ("unit", "SIDSS-CAS"),
                ("person", "analista"),
                ("instruction", "atencion"),
                ("days", "5"),
                ("note", "Prepare las cifras"),
            ],
        )
        .await;
    assert_eq!(turned.status(), 303);

    // The person and the unit's titular act on it; another person of the unit sees it only.
    let may_answer = |login: &'static str| {
        let app = &app;
        let folio = folio.clone();
        async move {
            let who = principal(app, login).await;
            let view = incoming::printed(&app.state, &who, &folio).await.unwrap();
            view.turns[0].may_answer
        }
    };
    assert!(may_answer("analista").await);
    assert!(may_answer("coordinador").await);
    assert!(!may_answer("auxiliar").await);
    let auxiliar = principal(&app, "auxiliar").await;
    let id = incoming::printed(&app.state, &auxiliar, &folio)
        .await
        .unwrap()
        .turns[0]
        .turn
        .id;
    let denied = turns::close(&app.state, &auxiliar, &folio, id, Outcome::Answered, "Yo").await;
    assert!(
        matches!(denied, Err(turno_app::Error::Denied(_))),
        "{denied:?}"
    );

    // Mi bandeja lists it to the person and the titular, not to the other person.
    for (login, listed) in [
        ("analista", true),
        ("coordinador", true),
        ("auxiliar", false),
    ] {
        let inbox = app.signed_in(login).await.text("/bandeja").await;
        assert_eq!(inbox.contains(&folio), listed, "{login}: {inbox}");
        if listed {
            assert!(
                inbox.contains("Para atención: Prepare las cifras"),
                "{inbox}"
            );
            assert!(inbox.contains("SIDSS-CAS (analista)"), "{inbox}");
        }
    }
    let analista = Api::of(&app, "analista").await;
    let (status, inbox) = analista.get("/api/v1/inbox").await;
    assert_eq!(status, 200, "{inbox}");
    let listed = inbox["correspondence"].as_array().unwrap();
    assert_eq!(listed.len(), 1, "{inbox}");
    assert_eq!(listed[0]["folio"], folio.as_str());
    assert_eq!(listed[0]["person"], "analista");
    assert_eq!(listed[0]["instruction"], "atencion");
    assert_eq!(listed[0]["due_status"], "verde");
    let (_, inbox) = Api::of(&app, "auxiliar").await.get("/api/v1/inbox").await;
    assert_eq!(inbox["correspondence"], json!([]));

    // Told once: the person and the titular (the secretario turned it: not him).
    scheduler::tick(&app.state).await;
    scheduler::tick(&app.state).await;
    for login in ["analista", "coordinador"] {
        let notifications = told(&app, login).await;
        assert_eq!(
            subjects(&notifications),
            [format!(
                "Turnado a SIDSS-CAS (analista): {folio} — Solicitud de información sobre el padrón"
            )],
            "{login}"
        );
    }
    assert!(told(&app, "auxiliar").await.is_empty());
    assert!(
        told(&app, "asesor").await.is_empty(),
        "the unit is not told"
    );
    let list = app
        .signed_in("analista")
        .await
        .text("/notificaciones")
        .await;
    assert!(
        list.contains(&format!("href=\"/correspondencia/{folio}\"")),
        "{list}"
    );

    // The titular reassigns it within the unit to the other person, who then acts on it.
    let coordinador = principal(&app, "coordinador").await;
    let without = turned_for_attention(&app, &coordinador, &folio, Some(id), "SIDSS-CAS").await;
    match without {
        Err(turno_app::Error::InvalidFields(problems)) => {
            assert_eq!(problems[0].field, "person", "{problems:?}")
        }
        other => panic!("{other:?}"),
    }
    let reassigned = turns::turn(
        &app.state,
        &coordinador,
        &folio,
        Some(id),
        &[TurnTo {
            unit: "SIDSS-CAS",
            person: "auxiliar",
            instruction: "atencion",
            days: "3",
            ..Default::default()
        }],
    )
    .await
    .unwrap()[0];
    let view = incoming::printed(&app.state, &auxiliar, &folio)
        .await
        .unwrap();
    let child = view.turns.iter().find(|t| t.turn.id == reassigned).unwrap();
    assert!(child.may_answer);
    assert_eq!(child.turn.person.as_deref(), Some("auxiliar"));
    scheduler::tick(&app.state).await;
    assert_eq!(
        subjects(&told(&app, "auxiliar").await),
        [format!(
            "Turnado a SIDSS-CAS (auxiliar): {folio} — Solicitud de información sobre el padrón"
        )]
    );
    assert_eq!(
        told(&app, "coordinador").await.len(),
        1,
        "who reassigned it is not told of it"
    );
    turns::close(
        &app.state,
        &auxiliar,
        &folio,
        reassigned,
        Outcome::Answered,
        "Listo",
    )
    .await
    .unwrap();
    let (_, inbox) = Api::of(&app, "auxiliar").await.get("/api/v1/inbox").await;
    assert_eq!(
        inbox["correspondence"],
        json!([]),
        "answered: out of the inbox"
    );
}

async fn an_overdue_turn_is_told_and_escalated_once(app: TestApp) {
    people(&app).await;
    let clock = Clock::manual(jiff::Timestamp::now());
    let state = with_clock(&app, &clock);
    // A second server's notifier on the same database.
    let other = with_clock(&app, &clock);
    let secretario = app.signed_in("secretario").await;
    let folio = registered(&secretario).await;
    let who = principal(&app, "secretario").await;
    turns::turn(
        &state,
        &who,
        &folio,
        None,
        &[TurnTo {
            unit: "SIDSS-CAS",
            instruction: "preparar_respuesta",
            days: "1",
            ..Default::default()
        }],
    )
    .await
    .unwrap();
    tokio::join!(scheduler::tick(&state), scheduler::tick(&other));
    let subject = "Solicitud de información sobre el padrón";
    // The unit's people: turned, and due within two business days.
    for login in ["asesor", "coordinador", "analista"] {
        let mut got = subjects(&told(&app, login).await)
            .into_iter()
            .map(str::to_owned)
            .collect::<Vec<_>>();
        got.sort();
        assert_eq!(got.len(), 2, "{login}: {got:?}");
        assert!(got[0].starts_with("Por vencer el "), "{got:?}");
        assert_eq!(got[1], format!("Turnado a SIDSS-CAS: {folio} — {subject}"));
    }
    assert!(told(&app, "secretario").await.is_empty(), "he turned it");

    // Ten days later it is overdue: two servers tick at once, each told once.
    clock.set(jiff::Timestamp::now() + jiff::SignedDuration::from_hours(24 * 10));
    tokio::join!(scheduler::tick(&state), scheduler::tick(&other));
    tokio::join!(scheduler::tick(&state), scheduler::tick(&other));
    for login in ["asesor", "coordinador", "analista"] {
        let overdue: Vec<_> = told(&app, login)
            .await
            .into_iter()
            .filter(|n| n.subject.starts_with("Plazo vencido"))
            .collect();
        assert_eq!(overdue.len(), 1, "{login}");
        assert_eq!(
            overdue[0].subject,
            format!("Plazo vencido: {folio} — {subject}")
        );
        assert!(overdue[0].body.contains("sin respuesta"));
    }
    // Escalated to the unit that gave it.
    let escalated = subjects(&told(&app, "secretario").await)
        .into_iter()
        .map(str::to_owned)
        .collect::<Vec<_>>();
    assert_eq!(
        escalated,
        [format!("Turno vencido en SIDSS-CAS: {folio} — {subject}")]
    );
    // Those who only look are not told; the consulta of the giving unit neither.
    assert!(told(&app, "consulta").await.is_empty());
    // Still in the inbox, red.
    let (_, inbox) = Api::of(&app, "asesor").await.get("/api/v1/inbox").await;
    assert_eq!(inbox["correspondence"][0]["folio"], folio.as_str());
}

async fn the_reviewer_awaited_and_the_titular_are_told(app: TestApp) {
    let secretario = Api::of(&app, "secretario").await;
    let asesor = Api::of(&app, "asesor").await;
    let document = secretario
        .draft_oficio(
            "Envío de las cifras del padrón",
            "Le envío las cifras solicitadas.",
            json!({"reviewers": ["asesor"]}),
        )
        .await;
    let id = document["id"].as_i64().unwrap();
    scheduler::tick(&app.state).await;
    assert!(
        told(&app, "asesor").await.is_empty(),
        "a draft awaits nobody"
    );

    let (status, _) = secretario.step(id, "enviar_revision", None).await;
    assert_eq!(status, 200);
    scheduler::tick(&app.state).await;
    scheduler::tick(&app.state).await;
    let to_reviewer = told(&app, "asesor").await;
    assert_eq!(
        subjects(&to_reviewer),
        ["Espera su visto bueno: Envío de las cifras del padrón"]
    );
    assert!(told(&app, "secretario").await.is_empty());
    let list = app.signed_in("asesor").await.text("/notificaciones").await;
    assert!(
        list.contains(&format!("href=\"/correspondencia/salida/{id}\"")),
        "{list}"
    );

    let (status, _) = asesor.step(id, "visto_bueno", None).await;
    assert_eq!(status, 200);
    scheduler::tick(&app.state).await;
    scheduler::tick(&app.state).await;
    assert_eq!(
        subjects(&told(&app, "secretario").await),
        ["Espera su firma: Envío de las cifras del padrón"],
        "the titular signs"
    );
    assert!(told(&app, "consulta").await.is_empty());
    assert_eq!(told(&app, "asesor").await.len(), 1);
    let (_, listed) = asesor.get("/api/v1/notifications").await;
    assert_eq!(listed["items"][0]["regarding"], "outgoing", "{listed}");
    assert_eq!(listed["items"][0]["folio"], id.to_string());
}

/// With signers in order, the one whose turn it is hears that the document waits for their
/// signature, not the titular; a draft without reviewers may be signed at once.
async fn the_signer_in_turn_is_told(app: TestApp) {
    let secretario = Api::of(&app, "secretario").await;
    secretario
        .draft_oficio(
            "Informe conjunto",
            "Le informamos lo solicitado.",
            json!({"signers": ["asesor", "secretario"]}),
        )
        .await;
    scheduler::tick(&app.state).await;
    scheduler::tick(&app.state).await;
    assert_eq!(
        subjects(&told(&app, "asesor").await),
        ["Espera su firma: Informe conjunto"]
    );
    assert!(told(&app, "secretario").await.is_empty(), "not yet");
}

on_both_backends! {
    the_signer_in_turn_is_told,
    a_turn_to_a_person_is_theirs_and_their_titulars,
    an_overdue_turn_is_told_and_escalated_once,
    the_reviewer_awaited_and_the_titular_are_told,
}
