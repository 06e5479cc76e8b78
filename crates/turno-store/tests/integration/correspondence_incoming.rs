//! Incoming documents on both backends: folios counted per year without gaps, links and files
//! read back, a turn closed once, a withdrawal closing the turns below it, the `CE` series
//! counted apart by `verify`, a text the application would refuse refused by the store too, and
//! a dispatched outgoing answer closing its turn in the same transaction.

use crate::common::Raw;
use jiff::civil::date;
use turno_domain::correspondence::{
    DocumentKind, IncomingDraft, IncomingFolio, Instruction, NumberFormat, Stage, TurnStatus,
};
use turno_domain::org::Level;
use turno_store::correspondence::incoming::{
    CloseTurn, IncomingAttachment, NewIncoming, NewTurn, OutgoingAnswer,
};
use turno_store::correspondence::outgoing::{
    ClosesTurn, Dispatch, Draft, Numbering, Recipient, Signing,
};
use turno_store::{Correspondence, Outgoing, Refusal, SeriesKind, Store, StoreError, UnitInput};

pub(crate) async fn units<S: Store>(store: &S) {
    for (code, parent) in [
        ("SIDSS-ST", None),
        ("SIDSS-CAS", None),
        ("SIDSS-CAS-A", Some("SIDSS-CAS")),
    ] {
        store
            .upsert_unit(
                &UnitInput {
                    code: code.into(),
                    name: format!("Unidad {code}"),
                    level: Level::Unidad,
                    parent_code: parent.map(str::to_owned),
                },
                "prueba",
            )
            .await
            .unwrap();
    }
}

pub(crate) fn new(subject: &str, links: Vec<IncomingFolio>) -> NewIncoming {
    let incoming = IncomingDraft {
        kind: "oficio",
        sender_kind: "externa",
        sender_name: "Dra. Ana López",
        sender_organization: "Servicios de Salud de Querétaro",
        received_at: "2026-12-04T10:15",
        subject,
        term_days: "10",
        ..Default::default()
    }
    .check(date(2026, 12, 7).at(12, 0, 0, 0))
    .unwrap();
    NewIncoming {
        incoming,
        due_date: Some(date(2026, 12, 18)),
        unit: "SIDSS-ST".into(),
        registered_by: "secretario".into(),
        registered_at: "2026-12-04T16:20:00Z".parse().unwrap(),
        links,
        attachments: vec![IncomingAttachment {
            sha256: "ab".repeat(32),
            name: "oficio.pdf".into(),
            media_type: "application/pdf".into(),
            size: 1234,
        }],
    }
}

fn turn(parent: Option<i64>, from: &str, unit: &str, instruction: Instruction) -> NewTurn {
    NewTurn {
        parent,
        from_unit: from.into(),
        unit: unit.into(),
        person: None,
        instruction,
        note: String::new(),
        term_days: instruction.needs_answer().then_some(5),
        due_date: instruction.needs_answer().then(|| date(2026, 12, 11)),
        by: "secretario".into(),
        at: "2026-12-04T16:30:00Z".parse().unwrap(),
    }
}

fn close(turn: i64, status: TurnStatus) -> CloseTurn {
    CloseTurn {
        turn,
        status,
        by: "asesor".into(),
        at: "2026-12-05T10:00:00Z".parse().unwrap(),
        reason: Some("Motivo".into()),
    }
}

async fn documents_are_registered_turned_and_closed_once<S: Store + Correspondence>(
    store: S,
    _raw: Raw,
) {
    units(&store).await;
    let first = store
        .register_incoming(&new("Primero", vec![]))
        .await
        .unwrap();
    let second = store
        .register_incoming(&new("Segundo", vec![first]))
        .await
        .unwrap();
    assert_eq!(
        (first.to_string(), second.to_string()),
        ("CE-2026-000001".into(), "CE-2026-000002".into())
    );
    let detail = store.incoming(second).await.unwrap().unwrap();
    assert_eq!(detail.document.incoming, new("Segundo", vec![]).incoming);
    assert_eq!(detail.links, [first]);
    assert_eq!(detail.attachments[0].name, "oficio.pdf");
    assert_eq!(
        store.incoming(first).await.unwrap().unwrap().answered_by,
        [second]
    );

    let ids = store
        .add_turns(
            first,
            &[
                turn(None, "SIDSS-ST", "SIDSS-CAS", Instruction::Attention),
                turn(None, "SIDSS-ST", "SIDSS-CAS-A", Instruction::Knowledge),
            ],
        )
        .await
        .unwrap();
    let below = store
        .add_turns(
            first,
            &[turn(
                Some(ids[0]),
                "SIDSS-CAS",
                "SIDSS-CAS-A",
                Instruction::Opinion,
            )],
        )
        .await
        .unwrap()[0];
    store
        .close_turn(&close(ids[1], TurnStatus::Read))
        .await
        .unwrap();
    let again = store.close_turn(&close(ids[1], TurnStatus::Answered)).await;
    assert!(matches!(
        again,
        Err(StoreError::Refused(Refusal::IncomingTurnClosed { status, .. })) if status == "leido"
    ));
    // Withdrawn, with the turn given below it; nothing is turned on from a closed turn.
    store
        .close_turn(&close(ids[0], TurnStatus::Withdrawn))
        .await
        .unwrap();
    let turns = store.incoming(first).await.unwrap().unwrap().document.turns;
    let status: Vec<_> = turns.iter().map(|t| (t.id, t.status)).collect();
    assert_eq!(
        status,
        [
            (ids[0], TurnStatus::Withdrawn),
            (ids[1], TurnStatus::Read),
            (below, TurnStatus::Withdrawn)
        ]
    );
    assert_eq!(turns[0].reason.as_deref(), Some("Motivo"));
    let late = store
        .add_turns(
            first,
            &[turn(
                Some(ids[0]),
                "SIDSS-CAS",
                "SIDSS-CAS-A",
                Instruction::Opinion,
            )],
        )
        .await;
    assert!(matches!(
        late,
        Err(StoreError::Refused(Refusal::IncomingTurnClosed { .. }))
    ));

    // The register of a unit: its own, and those turned to it.
    let listed = store
        .incoming_of_units(&["SIDSS-CAS-A".into()], 10)
        .await
        .unwrap();
    assert_eq!(listed.iter().map(|d| d.folio).collect::<Vec<_>>(), [first]);
    assert_eq!(listed[0].turns.len(), 3);
    let all = store
        .incoming_of_units(&["SIDSS-ST".into()], 10)
        .await
        .unwrap();
    assert_eq!(
        all.iter().map(|d| d.folio).collect::<Vec<_>>(),
        [second, first]
    );
}

async fn verify_counts_incoming_documents_apart<S: Store + Correspondence>(store: S, raw: Raw) {
    units(&store).await;
    for subject in ["Uno", "Dos", "Tres"] {
        store
            .register_incoming(&new(subject, vec![]))
            .await
            .unwrap();
    }
    let report = store.verify().await.unwrap();
    assert_eq!(report.breaks, []);
    let incoming: Vec<_> = report
        .series
        .iter()
        .filter(|s| s.kind == SeriesKind::Incoming)
        .map(|s| (s.name(), s.given, s.stored, s.missing))
        .collect();
    assert_eq!(incoming, [("CE-2026".into(), 3, 3, 0)]);
    raw.exec("DELETE FROM incoming_attachments WHERE folio_number = 2; DELETE FROM incoming_documents WHERE folio_number = 2")
        .await;
    let report = store.verify().await.unwrap();
    assert_eq!(report.breaks.len(), 1, "{:?}", report.breaks);
}

async fn a_text_with_control_characters_is_refused_by_its_column<S: Store + Correspondence>(
    store: S,
    _raw: Raw,
) {
    units(&store).await;
    let mut bad = new("Bien", vec![]);
    bad.incoming.subject = "Mal\u{7}".into();
    let refused = store.register_incoming(&bad).await;
    assert!(
        matches!(
            &refused,
            Err(StoreError::Refused(Refusal::Text { column: Some(c) })) if c == "incoming_documents.subject"
        ),
        "{refused:?}"
    );
    // Nothing was taken: the next document still gets the first folio.
    let folio = store.register_incoming(&new("Bien", vec![])).await.unwrap();
    assert_eq!(folio.number, 1);
}

on_both_backends!(
    documents_are_registered_turned_and_closed_once,
    verify_counts_incoming_documents_apart,
    a_text_with_control_characters_is_refused_by_its_column,
    a_dispatched_answer_closes_its_turn_unless_closed_already,
);

/// An outgoing document of `unit` answering `turn`, signed and dispatched in one go.
async fn answer<S: Store + Outgoing>(store: &S, unit: &str, turn: i64) -> i64 {
    let draft = Draft {
        unit: unit.into(),
        kind: DocumentKind::Oficio,
        subject: "Respuesta".into(),
        body: "Le informo…".into(),
        attention_to: None,
        case_folio: None,
        answers_turn: Some(turn),
        recipients: vec![Recipient {
            copy: false,
            unit_code: Some("SIDSS-ST".into()),
            name: "Unidad SIDSS-ST".into(),
            title: String::new(),
            institution: String::new(),
            acuse: None,
        }],
        reviewers: Vec::new(),
        signers: Vec::new(),
    };
    let at: jiff::Timestamp = "2026-12-06T10:00:00Z".parse().unwrap();
    let id = store.draft_outgoing(&draft, "asesor", at).await.unwrap();
    let signing = Signing {
        at,
        numbering: Numbering {
            siglas: "CAS".into(),
            format: NumberFormat::default(),
        },
        ..crate::correspondence_outgoing::signing(2026)
    };
    let number = store.sign_outgoing(id, 0, &signing).await.unwrap().text;
    let dispatch = Dispatch {
        by: "asesor".into(),
        at,
        on: date(2026, 12, 6).at(10, 0, 0, 0),
        closes: Some(ClosesTurn {
            turn,
            reason: format!("Atendido con {number}."),
            already_closed: "Ya estaba cerrado.".into(),
        }),
        arrivals: Vec::new(),
    };
    store.dispatch_outgoing(id, 1, &dispatch).await.unwrap();
    id
}

async fn a_dispatched_answer_closes_its_turn_unless_closed_already<
    S: Store + Correspondence + Outgoing,
>(
    store: S,
    _raw: Raw,
) {
    units(&store).await;
    let folio = store
        .register_incoming(&new("Solicitud", vec![]))
        .await
        .unwrap();
    let ids = store
        .add_turns(
            folio,
            &[
                turn(None, "SIDSS-ST", "SIDSS-CAS", Instruction::Attention),
                turn(None, "SIDSS-ST", "SIDSS-CAS-A", Instruction::Attention),
            ],
        )
        .await
        .unwrap();
    let id = answer(&store, "SIDSS-CAS", ids[0]).await;
    let outgoing = store.outgoing(id).await.unwrap().unwrap();
    assert_eq!(
        outgoing.answers.map(|a| (a.turn, a.folio)),
        Some((ids[0], folio))
    );
    let detail = store.incoming(folio).await.unwrap().unwrap();
    let answered = &detail.document.turns[0];
    assert_eq!(answered.status, TurnStatus::Answered);
    assert_eq!(
        answered.reason.as_deref(),
        Some("Atendido con CAS/0001/2026.")
    );
    assert_eq!(answered.closed_by.as_deref(), Some("asesor"));
    assert_eq!(
        detail.outgoing_answers,
        [OutgoingAnswer {
            id,
            number: "CAS/0001/2026".into(),
            turn: ids[0],
        }]
    );

    // Withdrawn before the answer is dispatched: it stays withdrawn, the dispatch says so.
    store
        .close_turn(&close(ids[1], TurnStatus::Withdrawn))
        .await
        .unwrap();
    let late = answer(&store, "SIDSS-CAS-A", ids[1]).await;
    let detail = store.incoming(folio).await.unwrap().unwrap();
    assert_eq!(detail.document.turns[1].status, TurnStatus::Withdrawn);
    assert_eq!(detail.document.turns[1].reason.as_deref(), Some("Motivo"));
    let late = store.outgoing(late).await.unwrap().unwrap();
    assert_eq!(late.stage, Stage::Dispatched);
    assert_eq!(
        late.history.last().unwrap().reason.as_deref(),
        Some("Ya estaba cerrado.")
    );
}
