//! Evaluation visits on both backends: a visit's findings numbered in order with their
//! evidence files, its improvement plan stored once and followed in rounds, the texts people
//! type refused with control characters, and the supervisions stored before migration 0040
//! turned into visits by its statements.

use crate::common::Raw;
use jiff::civil::date;
use turno_domain::followup::{
    Finding, Modality, PlanAction, RoundOutcome, Severity, VisitState, improvement_plan,
    supervision_program,
};
use turno_store::followup::{EvidenceFile, Followup, Recorded};
use turno_store::visits::{NewFinding, NewVisit, Visits};
use turno_store::{Refusal, Store, StoreError};

fn remote() -> NewVisit {
    NewVisit {
        modality: Modality::Remote,
        units: vec!["OOAD-JAL".into(), "UMAE-CMNO".into()],
        dates: (date(2026, 3, 9), date(2026, 3, 13)),
        team: vec!["evaluadora".into(), "analista".into()],
        purpose: "Evaluación a distancia del abasto de medicamentos".into(),
        aspects: vec!["Abasto de medicamentos".into(), "Quejas".into()],
        case_folio: None,
    }
}

fn finding(aspect: &str, evidence: Option<&str>) -> NewFinding {
    NewFinding {
        aspect: aspect.into(),
        description: format!("Hallazgo sobre {aspect}"),
        severity: Severity::High,
        evidence: evidence.map(|name| {
            (
                name.to_owned(),
                EvidenceFile {
                    sha256: "ab".repeat(32),
                    mime: "application/pdf".into(),
                },
            )
        }),
    }
}

fn recorded(actor: &str) -> Recorded {
    Recorded {
        actor: actor.into(),
        day: date(2026, 6, 1),
        at: jiff::Timestamp::UNIX_EPOCH,
    }
}

async fn a_visit_goes_from_its_findings_to_its_plan_and_its_rounds<S: Store + Followup + Visits>(
    store: S,
    _raw: Raw,
) {
    let id = store
        .record_visit(&remote(), &[], None, "evaluadora")
        .await
        .unwrap();
    let planned = store.visit(id).await.unwrap().unwrap();
    assert_eq!(planned.visit, remote());
    assert_eq!(planned.state(), VisitState::Planned);
    let first = store
        .add_finding(
            id,
            finding("Abasto de medicamentos", Some("inventario.pdf")),
            "evaluadora",
        )
        .await
        .unwrap()
        .unwrap();
    let second = store
        .add_finding(id, finding("Quejas", None), "analista")
        .await
        .unwrap()
        .unwrap();
    assert_eq!((first.number, second.number), (1, 2));
    assert_eq!(first.evidence.as_deref(), Some("inventario.pdf"));
    assert_eq!(
        store
            .add_finding(id + 100, finding("Quejas", None), "x")
            .await
            .unwrap(),
        None
    );
    let stored = store.visit(id).await.unwrap().unwrap();
    assert_eq!(stored.state(), VisitState::Findings);
    assert_eq!(
        stored.findings[0].file.as_ref().unwrap().mime,
        "application/pdf"
    );
    assert_eq!(stored.findings[1].recorded_by, "analista");

    let findings: Vec<Finding> = stored.findings.iter().map(|f| f.finding.clone()).collect();
    let actions: Vec<PlanAction> = [1, 2]
        .into_iter()
        .map(|n| PlanAction {
            finding: n,
            description: format!("Acción del hallazgo {n}"),
            responsible: "OOAD-JAL".into(),
            dates: (date(2026, 4, 1), date(2026, 5, 15)),
            products: "Oficio con la evidencia".into(),
        })
        .collect();
    let plan = improvement_plan("Plan de mejora", &findings, &actions).unwrap();
    assert!(
        store
            .make_plan(id, "PM-1", &plan, "evaluadora")
            .await
            .unwrap()
    );
    assert_eq!(store.program("PM-1").await.unwrap(), Some(plan.clone()));
    assert_eq!(store.visit_of_plan("PM-1").await.unwrap(), Some(id));
    assert!(matches!(
        store.make_plan(id, "PM-2", &plan, "evaluadora").await,
        Err(StoreError::Refused(Refusal::VisitPlanned(v))) if v == id
    ));
    assert!(!store.make_plan(id + 100, "PM-3", &plan, "x").await.unwrap());
    assert_eq!(
        store.visit(id).await.unwrap().unwrap().state(),
        VisitState::FollowUp
    );

    let (_, outcome) = store
        .close_round("PM-1", recorded("evaluadora"))
        .await
        .unwrap();
    assert_eq!(outcome, RoundOutcome::SecondRound { pending: 2 });
    let (_, outcome) = store
        .close_round("PM-1", recorded("evaluadora"))
        .await
        .unwrap();
    assert_eq!(outcome, RoundOutcome::Escalated { pending: 2 });
    let visits = store.visits().await.unwrap();
    assert_eq!(visits.len(), 1);
    assert_eq!(visits[0].state(), VisitState::Escalated);
    assert_eq!(visits[0].findings.len(), 2);
    let actions = crate::common::audit_actions(&store, 20).await;
    for action in [
        "visit_planned",
        "visit_finding_recorded",
        "followup_program_created",
    ] {
        assert!(actions.iter().any(|a| a == action), "{action}: {actions:?}");
    }
}

async fn a_visits_texts_refuse_control_characters<S: Store + Visits>(store: S, _raw: Raw) {
    let mut visit = remote();
    visit.purpose = "Evaluación\u{1}".into();
    assert!(matches!(
        store.record_visit(&visit, &[], None, "x").await,
        Err(StoreError::Refused(Refusal::Text { column: Some(c) })) if c == "visits.purpose"
    ));
    let id = store.record_visit(&remote(), &[], None, "x").await.unwrap();
    let mut bad = finding("Quejas", None);
    bad.description = "Sin\u{7f}cierre".into();
    assert!(matches!(
        store.add_finding(id, bad, "x").await,
        Err(StoreError::Refused(Refusal::Text { column: Some(c) })) if c == "visit_findings.description"
    ));
    assert!(store.visit(id).await.unwrap().unwrap().findings.is_empty());
}

/// Migration 0040's statements that turn the supervisions of before into visits.
fn migration(backend: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(format!("migrations/{backend}/0040_visits.sql"));
    let text = std::fs::read_to_string(path).unwrap();
    let (_, statements) = text.split_once("-- The supervisions of before").unwrap();
    let (_, statements) = statements.split_once("\nINSERT").unwrap();
    format!("INSERT{statements}")
}

async fn the_supervisions_of_before_become_visits<S: Store + Followup + Visits>(
    store: S,
    raw: Raw,
) {
    let texts = ["Primera recomendación".to_owned(), "Segunda".to_owned()];
    let program = supervision_program(
        "Supervisión CAS-1 · Querétaro",
        "Querétaro",
        &texts,
        (date(2025, 5, 2), date(2025, 7, 1)),
    )
    .unwrap();
    store
        .create_program("SUP-1", &program, None, "ana")
        .await
        .unwrap();
    store
        .create_program("OTRO", &program, None, "ana")
        .await
        .unwrap();
    raw.exec(
        "UPDATE followup_programs SET kind = 'supervision', case_folio = 'CAS-1' \
         WHERE key = 'SUP-1'",
    )
    .await;
    let backend = match raw {
        Raw::Sqlite(..) => "sqlite",
        Raw::Postgres(..) => "postgres",
    };
    raw.exec(&migration(backend)).await;
    let visits = store.visits().await.unwrap();
    assert_eq!(visits.len(), 1);
    let visit = &visits[0];
    assert_eq!(visit.visit.case_folio.as_deref(), Some("CAS-1"));
    assert_eq!(visit.visit.units, ["Querétaro"]);
    assert_eq!(visit.visit.dates, (date(2025, 5, 2), date(2025, 5, 2)));
    assert_eq!(visit.plan.as_deref(), Some("SUP-1"));
    let descriptions: Vec<&str> = visit
        .findings
        .iter()
        .map(|f| f.finding.description.as_str())
        .collect();
    assert_eq!(descriptions, texts);
    assert_eq!(visit.state(), VisitState::FollowUp);
    assert_eq!(store.visit_of_plan("SUP-1").await.unwrap(), Some(visit.id));
}

on_both_backends!(
    a_visit_goes_from_its_findings_to_its_plan_and_its_rounds,
    a_visits_texts_refuse_control_characters,
    the_supervisions_of_before_become_visits,
);
