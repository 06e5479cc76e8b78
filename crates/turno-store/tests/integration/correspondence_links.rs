//! Cases and correspondence together on both backends (issue 17, item 4): a case started from an
//! incoming document records the link in its own transaction, once (a second start is refused
//! and leaves no case behind); an internal outgoing document's dispatch registers it in each
//! addressee unit's incoming register, a copy «para conocimiento», once.

use crate::common::{Raw, day, folio_rule, seed_000, start_report_as};
use crate::correspondence_incoming::{new, units};
use jiff::civil::date;
use turno_app::commands::CommandError;
use turno_domain::correspondence::{IncomingFolio, Instruction, NumberFormat, SenderKind};
use turno_store::correspondence::incoming::{Arrived, NewIncoming};
use turno_store::correspondence::outgoing::{Arrival, Dispatch, Numbering, Signing};
use turno_store::{
    Committed, Correspondence, NewCase, Outgoing, Refusal, Store, StoreError, Target,
};

async fn start_from<S: Store>(
    store: &S,
    document: IncomingFolio,
    title: &str,
) -> Result<Committed, CommandError> {
    let (procedure, _) = seed_000();
    let case = NewCase {
        folio: folio_rule(),
        title: title.into(),
        channel: Some("Oficio".into()),
        requester: Some("Servicios de Salud de Querétaro".into()),
    };
    start_report_as(store, &procedure, Target::FromIncoming { case, document }).await
}

async fn a_document_starts_one_case<S: Store + Correspondence>(store: S, _raw: Raw) {
    units(&store).await;
    let (procedure, text) = seed_000();
    store
        .publish_procedure(&procedure, text, day().now)
        .await
        .unwrap();
    let folio = store
        .register_incoming(&new("Solicitud", vec![]))
        .await
        .unwrap();
    let started = start_from(&store, folio, "Solicitud").await.unwrap();
    let detail = store.incoming(folio).await.unwrap().unwrap();
    assert_eq!(
        detail.document.case_folio.as_deref(),
        Some(started.folio.as_str())
    );
    let of_case = store.incoming_of_case(&started.folio).await.unwrap();
    assert_eq!(of_case.iter().map(|d| d.folio).collect::<Vec<_>>(), [folio]);

    // A second start is refused in its transaction: no second case, the link unchanged.
    let second = start_from(&store, folio, "Otra vez").await;
    assert!(
        matches!(
            &second,
            Err(CommandError::Store(StoreError::Refused(Refusal::IncomingCaseStarted(f)))) if *f == folio.to_string()
        ),
        "{second:?}"
    );
    let detail = store.incoming(folio).await.unwrap().unwrap();
    assert_eq!(
        detail.document.case_folio.as_deref(),
        Some(started.folio.as_str())
    );
    let next = start_from(
        &store,
        store
            .register_incoming(&new("Otra solicitud", vec![]))
            .await
            .unwrap(),
        "Otra solicitud",
    )
    .await
    .unwrap();
    assert_eq!(started.folio, folio_rule().format(1));
    assert_eq!(
        next.folio,
        folio_rule().format(2),
        "the refused start took no folio"
    );
    assert!(
        store
            .incoming_of_case("CAS-2026-999999")
            .await
            .unwrap()
            .is_empty()
    );
}

fn arrival(unit: &str, instruction: Instruction) -> Arrival {
    let mut document: NewIncoming = new("Envío del informe", vec![]);
    document.unit = unit.into();
    document.due_date = None;
    document.incoming.sender.kind = SenderKind::Internal;
    document.incoming.sender.organization = "SIDSS-ST".into();
    document.incoming.their_number = Some("ST/0001/2026".into());
    document.incoming.term_days = None;
    Arrival {
        document,
        instruction,
    }
}

async fn an_internal_dispatch_arrives_once_in_each_register<
    S: Store + Correspondence + Outgoing,
>(
    store: S,
    _raw: Raw,
) {
    units(&store).await;
    let at: jiff::Timestamp = "2026-12-06T10:00:00Z".parse().unwrap();
    let draft = crate::correspondence_search::draft("Envío del informe", "Le envío el informe.");
    let id = store
        .draft_outgoing(&draft, "secretario", at)
        .await
        .unwrap();
    let signing = Signing {
        by: "secretario".into(),
        at,
        numbering: Numbering {
            siglas: "ST".into(),
            format: NumberFormat::default(),
        },
        ..crate::correspondence_outgoing::signing(2026)
    };
    store.sign_outgoing(id, 0, &signing).await.unwrap();
    let dispatch = Dispatch {
        by: "secretario".into(),
        at,
        on: date(2026, 12, 6).at(10, 0, 0, 0),
        closes: None,
        arrivals: vec![
            arrival("SIDSS-CAS", Instruction::Attention),
            arrival("SIDSS-CAS-A", Instruction::Knowledge),
        ],
    };
    store.dispatch_outgoing(id, 1, &dispatch).await.unwrap();
    let arrived = store.arrivals_of(id).await.unwrap();
    let seen: Vec<_> = arrived
        .iter()
        .map(|d| (d.unit.as_str(), d.arrival, d.folio.number))
        .collect();
    assert_eq!(
        seen,
        [
            (
                "SIDSS-CAS",
                Some(Arrived {
                    outgoing: id,
                    instruction: Instruction::Attention
                }),
                1
            ),
            (
                "SIDSS-CAS-A",
                Some(Arrived {
                    outgoing: id,
                    instruction: Instruction::Knowledge
                }),
                2
            ),
        ],
        "each with a folio of its own"
    );
    assert_eq!(
        store
            .incoming(arrived[0].folio)
            .await
            .unwrap()
            .unwrap()
            .attachments[0]
            .name,
        "oficio.pdf"
    );

    // Dispatched twice: refused, nothing registered twice.
    let again = store.dispatch_outgoing(id, 2, &dispatch).await;
    assert!(
        matches!(again, Err(StoreError::Conflict { .. })),
        "{again:?}"
    );
    assert_eq!(store.arrivals_of(id).await.unwrap().len(), 2);
    // An arrival refused by its unit's key rolls the whole dispatch back.
    let id2 = store
        .draft_outgoing(&draft, "secretario", at)
        .await
        .unwrap();
    store.sign_outgoing(id2, 0, &signing).await.unwrap();
    let twice = Dispatch {
        arrivals: vec![
            arrival("SIDSS-CAS", Instruction::Attention),
            arrival("SIDSS-CAS", Instruction::Knowledge),
        ],
        ..dispatch.clone()
    };
    assert!(store.dispatch_outgoing(id2, 1, &twice).await.is_err());
    assert!(store.arrivals_of(id2).await.unwrap().is_empty());
    let document = store.outgoing(id2).await.unwrap().unwrap();
    assert_eq!(document.stage, turno_domain::correspondence::Stage::Signed);
}

on_both_backends!(
    a_document_starts_one_case,
    an_internal_dispatch_arrives_once_in_each_register,
);
