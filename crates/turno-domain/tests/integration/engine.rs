//! Engine semantics, each on the smallest definition that shows it, plus seed 000's review
//! loop as the users of the Subsecretaría live it.

use jiff::civil::{Date, date};
use turno_domain::definition::{ParticipantId, Procedure, parse_procedure};
use turno_domain::engine::{
    self, Actor, Calendars, Case, CaseStatus, Complete, Context, EngineError, Event, Start, Value,
    WorkItemId,
};
use turno_domain::simulate::simulated_signature;

fn parse(text: &str) -> Procedure {
    parse_procedure(text).unwrap_or_else(|d| panic!("{d:#?}"))
}

fn seed_000() -> Procedure {
    parse(include_str!(
        "../../../../procedures/sidss-informes-oficiales.toml"
    ))
}

struct World {
    calendars: Calendars,
    today: Date,
}

impl World {
    fn new(today: Date) -> World {
        World {
            calendars: Calendars::statutory(),
            today,
        }
    }

    fn ctx(&self) -> Context<'_> {
        crate::common::context(&self.calendars, self.today)
    }

    /// Lets time pass to `today`: the deadlines that passed, the activities that expired.
    fn pass_time(&self, p: &Procedure, case: &mut Case) -> Vec<Event> {
        engine::pass_time(p, case, &self.ctx()).unwrap()
    }

    fn start(&self, p: &Procedure, fields: &[(&str, Value)]) -> (Case, Vec<Event>) {
        engine::start(
            p,
            Start {
                by: user("ana", None),
                fields: fields
                    .iter()
                    .map(|(k, v)| (k.to_string(), v.clone()))
                    .collect(),
            },
            &self.ctx(),
        )
        .unwrap()
    }

    /// Completes `item` as `by`, with no outcome and no fields.
    fn act(
        &self,
        p: &Procedure,
        case: &mut Case,
        item: WorkItemId,
        by: Actor,
    ) -> Result<Vec<Event>, EngineError> {
        self.complete(p, case, item, by, None, &[])
    }

    fn complete(
        &self,
        p: &Procedure,
        case: &mut Case,
        item: WorkItemId,
        by: Actor,
        outcome: Option<&str>,
        fields: &[(&str, Value)],
    ) -> Result<Vec<Event>, EngineError> {
        let mut input = Complete {
            item,
            by,
            outcome: outcome.map(str::to_owned),
            fields: fields
                .iter()
                .map(|(k, v)| (k.to_string(), v.clone()))
                .collect(),
            observations: None,
            signature: None,
        };
        // An activity signed with e.firma (seed 000's 4.1): signed over this completion.
        let asks = case
            .work_item(item)
            .is_some_and(|w| w.turn.is_none() && p.activity(w.activity).signature);
        if asks {
            input.signature = Some(simulated_signature(p, case, &input, self.ctx().now)?);
        }
        engine::complete(p, case, input, &self.ctx())
    }
}

fn user(name: &str, participant: Option<ParticipantId>) -> Actor {
    Actor {
        user: name.into(),
        participant,
        substituting: None,
    }
}

/// The numbers of the activities open now, in order.
fn open(p: &Procedure, case: &Case) -> Vec<String> {
    case.open
        .iter()
        .map(|w| p.activity(w.activity).number.clone())
        .collect()
}

/// An informe of seed 000 just registered.
fn informe(w: &World, p: &Procedure) -> Case {
    let fields = [
        ("tipo_informe", Value::Text("x".into())),
        ("direccion_general", Value::Text("y".into())),
    ];
    w.start(p, &fields).0
}

/// A supervision visit to the DGAO on 20 April 2026, at 2.2 (its answer, due in 45 días
/// hábiles).
fn supervision_at_2_2(w: &World, p: &Procedure) -> Case {
    let fields = [
        ("direcciones", Value::Participants(vec!["DGAO".into()])),
        ("fecha_visita", Value::Date(date(2026, 4, 20))),
    ];
    let (mut case, _) = w.start(p, &fields);
    for _ in 0..3 {
        answer(w, p, &mut case, None);
    }
    assert_eq!(open(p, &case), ["2.2"]);
    case
}

/// Completes the only open work item.
fn answer(w: &World, p: &Procedure, case: &mut Case, outcome: Option<&str>) -> Vec<Event> {
    assert_eq!(case.open.len(), 1, "one open item: {:?}", open(p, case));
    let item = case.open[0].id;
    w.complete(p, case, item, user("ana", None), outcome, &[])
        .unwrap()
}

#[test]
fn seed_000_review_loop_returns_and_ends() {
    let p = seed_000();
    let w = World::new(date(2026, 3, 2));
    let fields = [
        ("tipo_informe", Value::Text("Informe trimestral".into())),
        ("direccion_general", Value::Text("DGPLADES".into())),
    ];
    let (mut case, mut log) = w.start(&p, &fields);
    assert_eq!(open(&p, &case), ["1.1"]);

    let mut walk = |outcome: Option<&str>, expected_next: &[&str], case: &mut Case| {
        log.extend(answer(&w, &p, case, outcome));
        assert_eq!(open(&p, case), expected_next);
    };
    walk(None, &["2.1"], &mut case);
    walk(None, &["2.2"], &mut case);
    // 2.2 ¿Procede? No: regresa a la actividad 1.2 (corrections requested).
    walk(Some("No"), &["1.2"], &mut case);
    walk(None, &["2.1"], &mut case);
    walk(None, &["2.2"], &mut case);
    walk(Some("si"), &["3.1"], &mut case);
    walk(None, &["4.1"], &mut case);
    // 4.1 the Coordinación de Asesores sends it back once.
    walk(Some("No"), &["2.1"], &mut case);
    walk(None, &["2.2"], &mut case);
    walk(Some("Sí"), &["3.1"], &mut case);
    walk(None, &["4.1"], &mut case);
    walk(Some("Sí"), &["5.1"], &mut case);

    // 5.1 records how it was sent: required before completing.
    let item = case.open[0].id;
    let before = case.clone();
    let err = w.act(&p, &mut case, item, user("ana", None)).unwrap_err();
    assert_eq!(err, EngineError::MissingField("medio_envio".into()));
    assert_eq!(case, before, "a refused command changes nothing");
    log.extend(
        w.complete(
            &p,
            &mut case,
            item,
            user("ana", None),
            None,
            &[("medio_envio", Value::Text("Oficio".into()))],
        )
        .unwrap(),
    );
    assert_eq!(open(&p, &case), ["5.2"]);
    log.extend(answer(&w, &p, &mut case, None));
    assert_eq!(
        case.status,
        CaseStatus::Ended(p.activity_by_number("5.2").unwrap())
    );
    assert_eq!(case.fields["medio_envio"], Value::Text("Oficio".into()));

    // Every step is on record, and the record rebuilds the case.
    let completed = log
        .iter()
        .filter(|e| matches!(e, Event::WorkCompleted { .. }))
        .count();
    assert_eq!(completed, 14);
    assert_eq!(Case::replay(&log).unwrap(), case);
    assert!(matches!(log.last(), Some(Event::CaseEnded { .. })));
}

#[test]
fn decisions_refuse_missing_and_unknown_answers() {
    let p = seed_000();
    let w = World::new(date(2026, 3, 2));
    let mut case = informe(&w, &p);
    answer(&w, &p, &mut case, None);
    answer(&w, &p, &mut case, None);
    let item = case.open[0].id;
    let err = w.act(&p, &mut case, item, user("ana", None)).unwrap_err();
    assert!(matches!(err, EngineError::OutcomeRequired { .. }), "{err}");
    assert!(err.to_string().contains("No / Sí"));
    let err = w
        .complete(&p, &mut case, item, user("ana", None), Some("Tal vez"), &[])
        .unwrap_err();
    assert!(matches!(err, EngineError::UnknownOutcome { .. }));
    let err = w
        .act(&p, &mut case, WorkItemId(99), user("ana", None))
        .unwrap_err();
    assert_eq!(err, EngineError::UnknownWorkItem(WorkItemId(99)));
}

#[test]
fn starting_requires_the_required_fields_with_valid_values() {
    let p = seed_000();
    let w = World::new(date(2026, 3, 2));
    let ctx = w.ctx();
    let start = |fields: &[(&str, Value)]| {
        engine::start(
            &p,
            Start {
                by: Actor::system(),
                fields: fields
                    .iter()
                    .map(|(k, v)| (k.to_string(), v.clone()))
                    .collect(),
            },
            &ctx,
        )
    };
    assert_eq!(
        start(&[("tipo_informe", Value::Text("x".into()))]).unwrap_err(),
        EngineError::MissingField("direccion_general".into())
    );
    let err = start(&[
        ("tipo_informe", Value::Text("x".into())),
        ("direccion_general", Value::Text("y".into())),
        ("medio_envio", Value::Text("Paloma mensajera".into())),
    ])
    .unwrap_err();
    assert!(matches!(err, EngineError::InvalidField { .. }), "{err}");
    assert_eq!(
        start(&[("inventado", Value::Integer(1))]).unwrap_err(),
        EngineError::UnknownField("inventado".into())
    );
}

const SUPERVISION: &str = include_str!("../fixtures/visit-order.toml");

fn id(p: &Procedure, key: &str) -> Option<ParticipantId> {
    p.participant_by_key(key)
}

#[test]
fn units_chosen_while_running_answer_in_parallel_and_join() {
    let p = parse(SUPERVISION);
    let w = World::new(date(2026, 3, 2));
    let (mut case, _) = w.start(&p, &[]);
    let first = case.open[0].id;

    // Nothing chosen yet: the activity that chooses cannot be completed without choosing.
    let err = w
        .act(&p, &mut case, first, user("eva", id(&p, "DEEF")))
        .unwrap_err();
    assert_eq!(err, EngineError::MissingField("direcciones".into()));
    // Only candidates may be chosen.
    let err = w
        .complete(
            &p,
            &mut case,
            first,
            user("eva", id(&p, "DEEF")),
            None,
            &[("direcciones", Value::Participants(vec!["SRE".into()]))],
        )
        .unwrap_err();
    assert!(matches!(err, EngineError::InvalidField { .. }));
    w.complete(
        &p,
        &mut case,
        first,
        user("eva", id(&p, "DEEF")),
        None,
        &[
            (
                "direcciones",
                Value::Participants(vec!["DGAO".into(), "DGF".into()]),
            ),
            ("fecha_visita", Value::Date(date(2026, 4, 20))),
        ],
    )
    .unwrap();
    // "cuando menos con 10 días de anticipación": due 10 natural days before the visit.
    assert_eq!(case.open[0].due, Some(date(2026, 4, 10)));
    answer(&w, &p, &mut case, None);

    assert_eq!(open(&p, &case), ["2.1", "2.1"]);
    let turned: Vec<_> = case.open.iter().map(|w| w.participant).collect();
    assert_eq!(turned, [id(&p, "DGAO"), id(&p, "DGF")]);
    // 20 días hábiles from Monday 2 March 2026 skip weekends and 16 March (third Monday, LFT)?
    // No: the procedure's regime is LFPA, whose holiday is 21 March (a Saturday in 2026).
    assert_eq!(case.open[0].due, Some(date(2026, 3, 30)));

    // DGF cannot answer DGAO's work item.
    let dgao_item = case.open[0].id;
    let err = w
        .act(&p, &mut case, dgao_item, user("fer", id(&p, "DGF")))
        .unwrap_err();
    assert!(matches!(err, EngineError::NotResponsible { .. }));
    w.act(&p, &mut case, dgao_item, user("gil", id(&p, "DGAO")))
        .unwrap();
    assert_eq!(open(&p, &case), ["2.1"], "waits for DGF: the join");
    let dgf_item = case.open[0].id;
    w.act(&p, &mut case, dgf_item, user("fer", id(&p, "DGF")))
        .unwrap();
    assert_eq!(open(&p, &case), ["2.2"]);
}

#[test]
fn outside_parties_are_recorded_by_their_internal_unit() {
    let p = parse(SUPERVISION);
    let w = World::new(date(2026, 3, 2));
    let mut case = supervision_at_2_2(&w, &p);
    let item = case.open[0].id;
    let err = w
        .act(&p, &mut case, item, user("gil", id(&p, "DGAO")))
        .unwrap_err();
    assert!(matches!(err, EngineError::NotResponsible { .. }));
    let events = w
        .act(&p, &mut case, item, user("eva", id(&p, "DEEF")))
        .unwrap();
    match &events[0] {
        Event::WorkCompleted {
            by, on_behalf_of, ..
        } => {
            assert_eq!(by.user, "eva");
            assert_eq!(*on_behalf_of, id(&p, "REPSS"));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn no_answer_within_45_business_days_takes_the_expiry_path_once() {
    let p = parse(SUPERVISION);
    let mut w = World::new(date(2026, 3, 2));
    let mut case = supervision_at_2_2(&w, &p);
    // 45 días hábiles from 2 March 2026 under LFPA: skips weekends, 21 March is a Saturday,
    // 1 and 5 May.
    let due = case.open[0].due.unwrap();
    assert_eq!(due, date(2026, 5, 6));

    w.today = due;
    assert!(w.pass_time(&p, &mut case).is_empty());

    w.today = date(2026, 5, 7);
    let events = w.pass_time(&p, &mut case);
    let kinds: Vec<&str> = events
        .iter()
        .map(|e| match e {
            Event::DeadlinePassed { .. } => "passed",
            Event::ActivityExpired { .. } => "expired",
            Event::WorkOpened { .. } => "opened",
            _ => "other",
        })
        .collect();
    assert_eq!(kinds, ["passed", "expired", "opened"]);
    assert_eq!(open(&p, &case), ["3.1"]);
    // "dentro de los 10 días hábiles posteriores al vencimiento".
    assert_eq!(case.open[0].due, Some(date(2026, 5, 21)));
    // Time passing again changes nothing: each expiry happens once.
    assert!(w.pass_time(&p, &mut case).is_empty());

    // The notification itself is late: marked overdue once, and the case waits.
    w.today = date(2026, 6, 1);
    let events = w.pass_time(&p, &mut case);
    assert!(matches!(events.as_slice(), [Event::DeadlinePassed { .. }]));
    assert!(case.open[0].overdue);
    assert!(w.pass_time(&p, &mut case).is_empty());
}

#[test]
fn a_late_visit_date_moves_the_due_date_of_open_work() {
    let text = SUPERVISION.replace(
        "fields = [\"direcciones\"]",
        "fields = [\"direcciones\"]\ndeadline = { term = \"5 días naturales antes\", from = \"field:fecha_visita\" }",
    );
    let p = parse(&text);
    let w = World::new(date(2026, 3, 2));
    let (mut case, _) = w.start(&p, &[]);
    assert_eq!(case.open[0].due, None, "no visit date yet, no due date");
    // Recording the visit date in another activity's completion is not possible here, so the
    // same activity sets it: the due date of the still-open parallel items would move. We
    // check the simple case: the field feeds the next activity's due date.
    answer_with(
        &w,
        &p,
        &mut case,
        &[
            ("direcciones", Value::Participants(vec!["DGAO".into()])),
            ("fecha_visita", Value::Date(date(2026, 5, 4))),
        ],
    );
    assert_eq!(case.open[0].due, Some(date(2026, 4, 24)));
}

fn answer_with(w: &World, p: &Procedure, case: &mut Case, fields: &[(&str, Value)]) {
    let item = case.open[0].id;
    w.complete(p, case, item, user("eva", None), None, fields)
        .unwrap();
}

const PARENT_AND_CHILD: [&str; 2] = [
    include_str!("../fixtures/parent.toml"),
    include_str!("../fixtures/child.toml"),
];

#[test]
fn a_sub_procedure_runs_and_its_end_continues_the_parent() {
    use turno_domain::library::{Library, Source};
    let library = Library::load(&[
        Source {
            name: "padre.toml",
            text: PARENT_AND_CHILD[0],
        },
        Source {
            name: "hijo.toml",
            text: PARENT_AND_CHILD[1],
        },
    ])
    .unwrap();
    let parent = library.latest("padre").unwrap();
    let child = library.latest("hijo").unwrap();
    let w = World::new(date(2026, 3, 2));
    let (mut case, events) = w.start(parent, &[]);
    let requested = events.iter().find_map(|e| match e {
        Event::SubprocedureRequested { item, procedure } => Some((*item, procedure.clone())),
        _ => None,
    });
    let (item, key) = requested.expect("the call is requested");
    assert_eq!(key, "hijo");
    let err = w
        .act(parent, &mut case, item, user("ana", None))
        .unwrap_err();
    assert!(matches!(err, EngineError::AwaitingSubprocedure(_)));

    let (mut sub, _) = w.start(child, &[]);
    answer(&w, child, &mut sub, None);
    assert!(matches!(sub.status, CaseStatus::Ended(_)));
    engine::subprocedure_ended(parent, &mut case, item, "HIJO-0001".into(), &w.ctx()).unwrap();
    assert_eq!(open(parent, &case), ["1.2"]);
}

#[test]
fn closed_cases_refuse_work_and_cases_stay_on_their_version() {
    let p = parse(SUPERVISION);
    let w = World::new(date(2026, 3, 2));
    let (mut case, _) = w.start(&p, &[]);
    let item = case.open[0].id;
    engine::cancel(
        &p,
        &mut case,
        user("eva", None),
        "Duplicado".into(),
        &w.ctx(),
    )
    .unwrap();
    assert_eq!(case.status, CaseStatus::Cancelled);
    assert!(case.open.is_empty());
    let err = w.act(&p, &mut case, item, user("eva", None)).unwrap_err();
    assert_eq!(err, EngineError::CaseNotOpen("cancelled"));

    let v2 = parse(&SUPERVISION.replace("version = 1", "version = 2"));
    let (mut running, _) = w.start(&p, &[]);
    let item = running.open[0].id;
    let err = w
        .act(&v2, &mut running, item, user("eva", None))
        .unwrap_err();
    assert!(matches!(err, EngineError::WrongDefinition { .. }), "{err}");
    assert_eq!(running.version, 1);
}

#[test]
fn documents_are_attached_by_their_digest_to_open_cases() {
    let p = seed_000();
    let w = World::new(date(2026, 3, 2));
    let mut case = informe(&w, &p);
    let item = case.open[0].id;
    let attach = |sha: &str, item| engine::Attach {
        by: user("ana", None),
        item,
        name: "oficio.pdf".into(),
        mime: "application/pdf".into(),
        size: 1234,
        sha256: sha.into(),
    };
    let sha = "BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD";
    let events = engine::attach_document(&p, &mut case, attach(sha, Some(item)), &w.ctx()).unwrap();
    match &events[0] {
        Event::DocumentAttached {
            sha256,
            item: Some(i),
            ..
        } => {
            assert_eq!(sha256, &sha.to_ascii_lowercase());
            assert_eq!(*i, item);
        }
        other => panic!("{other:?}"),
    }
    let err = engine::attach_document(&p, &mut case, attach("abc", None), &w.ctx()).unwrap_err();
    assert!(matches!(err, EngineError::InvalidDocument(_)));
    let err = engine::attach_document(&p, &mut case, attach(sha, Some(WorkItemId(77))), &w.ctx())
        .unwrap_err();
    assert_eq!(err, EngineError::UnknownWorkItem(WorkItemId(77)));
    engine::cancel(
        &p,
        &mut case,
        user("ana", None),
        "Duplicado".into(),
        &w.ctx(),
    )
    .unwrap();
    let err = engine::attach_document(&p, &mut case, attach(sha, None), &w.ctx()).unwrap_err();
    assert_eq!(err, EngineError::CaseNotOpen("cancelled"));
}

fn turn_to(
    w: &World,
    p: &Procedure,
    case: &mut Case,
    item: WorkItemId,
    by: Actor,
    units: &[&str],
) -> Result<Vec<Event>, EngineError> {
    engine::turn(
        p,
        case,
        engine::Turn {
            item,
            by,
            units: units.iter().map(|u| u.to_string()).collect(),
            instruction: "Para su atención y comentarios".into(),
            business_days: Some(5),
        },
        &w.ctx(),
    )
}

#[test]
fn turned_units_answer_before_the_responsible_completes() {
    let p = seed_000();
    let w = World::new(date(2026, 3, 2));
    let (mut case, mut log) = w.start(
        &p,
        &[
            ("tipo_informe", Value::Text("Informe trimestral".into())),
            ("direccion_general", Value::Text("DGPLADES".into())),
        ],
    );
    log.extend(answer(&w, &p, &mut case, None));
    assert_eq!(open(&p, &case), ["2.1"]);
    let integrating = case.open[0].id;
    let responsible = case.open[0].participant;

    // Turned to two units with five business days: 2 March 2026 + 5 = 9 March.
    let events = turn_to(
        &w,
        &p,
        &mut case,
        integrating,
        user("ana", None),
        &["DGE", "DGIS"],
    )
    .unwrap();
    log.extend(events.iter().cloned());
    assert_eq!(events.len(), 2);
    assert_eq!(open(&p, &case), ["2.1", "2.1", "2.1"]);
    let turns: Vec<_> = case.open_turns(integrating).cloned().collect();
    assert_eq!(turns.len(), 2);
    assert!(turns.iter().all(|t| t.due == Some(date(2026, 3, 9))));
    assert_eq!(turns[0].turn.as_ref().unwrap().unit, "DGE");

    // The same unit again, an empty list or no instruction: refused, nothing changes.
    let before = case.clone();
    assert_eq!(
        turn_to(&w, &p, &mut case, integrating, user("ana", None), &["DGE"]),
        Err(EngineError::TurnRepeated("DGE".into()))
    );
    assert_eq!(
        turn_to(
            &w,
            &p,
            &mut case,
            integrating,
            user("ana", None),
            &["X", "X"]
        ),
        Err(EngineError::TurnRepeated("X".into()))
    );
    assert_eq!(
        turn_to(&w, &p, &mut case, integrating, user("ana", None), &[]),
        Err(EngineError::TurnWithoutUnits)
    );
    assert_eq!(case, before);

    // The responsible cannot complete while a unit has not answered.
    let err = w
        .act(&p, &mut case, integrating, user("ana", responsible))
        .unwrap_err();
    assert_eq!(
        err,
        EngineError::TurnsPending {
            activity: "2.1".into(),
            units: "DGE, DGIS".into()
        }
    );
    assert_eq!(case, before);

    // A turn is answered with observations, not with a decision or data, and the answer
    // moves nothing else.
    let first = turns[0].id;
    assert!(matches!(
        w.complete(&p, &mut case, first, user("eva", None), Some("Sí"), &[]),
        Err(EngineError::UnexpectedOutcome { .. })
    ));
    log.extend(w.act(&p, &mut case, first, user("eva", None)).unwrap());
    assert_eq!(open(&p, &case), ["2.1", "2.1"]);
    assert!(
        !case
            .completed_on
            .contains_key(&p.activity_by_number("2.1").unwrap())
    );

    // The second unit turns its part on to one of its own, which answers first.
    let second = turns[1].id;
    log.extend(turn_to(&w, &p, &mut case, second, user("luis", None), &["DGIS-DE"]).unwrap());
    assert!(matches!(
        w.act(&p, &mut case, second, user("luis", None)),
        Err(EngineError::TurnsPending { .. })
    ));
    let onward = case.open_turns(second).next().unwrap().id;
    log.extend(w.act(&p, &mut case, onward, user("rosa", None)).unwrap());
    log.extend(w.act(&p, &mut case, second, user("luis", None)).unwrap());

    // Every unit answered: the responsible completes and the case moves on.
    log.extend(
        w.act(&p, &mut case, integrating, user("ana", responsible))
            .unwrap(),
    );
    assert_eq!(open(&p, &case), ["2.2"]);
    assert_eq!(Case::replay(&log).unwrap(), case);
}

#[test]
fn a_turn_past_its_due_date_is_marked_and_takes_no_expiry_path() {
    let p = parse(SUPERVISION);
    let mut w = World::new(date(2026, 3, 2));
    let mut case = supervision_at_2_2(&w, &p);
    let item = case.open[0].id;
    turn_to(&w, &p, &mut case, item, user("ana", None), &["DGAO-1"]).unwrap();

    // The turn's five days pass: recorded once; the activity's own 45-day term still runs.
    w.today = date(2026, 3, 10);
    let events = w.pass_time(&p, &mut case);
    assert!(matches!(events.as_slice(), [Event::DeadlinePassed { .. }]));
    assert_eq!(open(&p, &case), ["2.2", "2.2"]);
    // When that term passes, the expiry path closes the activity and its turn.
    w.today = date(2026, 5, 7);
    w.pass_time(&p, &mut case);
    assert_eq!(open(&p, &case), ["3.1"]);
}

#[test]
fn a_term_counted_from_the_activity_just_completed_starts_that_day() {
    // 103, 4.1: opinions within 7 días hábiles "contados a partir de la recepción del
    // documento", i.e. from the completion of 3.2, which is what opens 4.1.
    let p = parse(include_str!("../../../../procedures/cnpss-103.toml"));
    let w = World::new(date(2026, 3, 2));
    let calendars = Calendars::statutory();
    let mut driver = turno_domain::simulate::Driver::new(&p, &calendars, w.today);
    let (mut case, _) = driver.start().unwrap();
    let target = p.activity_by_number("4.1").unwrap();
    let steps = turno_domain::simulate::route(&p, p.first_activity(), Some(target)).unwrap();
    driver.run(&mut case, &steps).unwrap();
    let opened: Vec<_> = case.open.iter().filter(|w| w.activity == target).collect();
    assert!(!opened.is_empty());
    // 2 March 2026 (Monday) + 7 días hábiles under LFPA = 11 March.
    assert!(
        opened.iter().all(|w| w.due == Some(date(2026, 3, 11))),
        "{opened:?}"
    );
}

/// A petition whose first term may be suspended and whose second may not.
const PETITION: &str = include_str!("../fixtures/suspendable-petition.toml");

fn clock(item: WorkItemId, reason: &str) -> engine::ClockCommand {
    engine::ClockCommand {
        item,
        by: user("ana", None),
        reason: reason.into(),
    }
}

#[test]
fn a_stopped_clock_resumes_with_the_days_it_had_left() {
    let p = parse(PETITION);
    let mut w = World::new(date(2026, 3, 2));
    let (mut case, mut log) = w.start(&p, &[]);
    let item = case.open[0].id;
    // 2 March + 10 días hábiles = 16 March.
    assert_eq!(case.open[0].due, Some(date(2026, 3, 16)));

    // Stopped on 5 March with 7 business days left (6, 9, 10, 11, 12, 13, 16).
    w.today = date(2026, 3, 5);
    let before = case.clone();
    assert_eq!(
        engine::suspend(&p, &mut case, clock(item, " "), &w.ctx()),
        Err(EngineError::SuspensionWithoutReason)
    );
    assert_eq!(case, before);
    log.extend(
        engine::suspend(
            &p,
            &mut case,
            clock(item, "Espera documentos del ciudadano"),
            &w.ctx(),
        )
        .unwrap(),
    );
    assert_eq!(case.open[0].due, None);
    assert!(matches!(
        engine::suspend(&p, &mut case, clock(item, "otra vez"), &w.ctx()),
        Err(EngineError::AlreadySuspended(_))
    ));

    // A month waiting: nothing passes, nothing escalates.
    w.today = date(2026, 4, 6);
    assert!(w.pass_time(&p, &mut case).is_empty());

    // Resumed on Monday 6 April: 7 días hábiles more, skipping Semana Santa's Thursday and
    // Friday (2 and 3 April are past) — 7, 8, 9, 10, 13, 14, 15.
    log.extend(engine::resume(&p, &mut case, clock(item, ""), &w.ctx()).unwrap());
    assert_eq!(case.open[0].due, Some(date(2026, 4, 15)));
    assert!(matches!(
        engine::resume(&p, &mut case, clock(item, ""), &w.ctx()),
        Err(EngineError::NotSuspended(_))
    ));
    assert_eq!(Case::replay(&log).unwrap(), case);

    // The next activity's term does not allow it.
    log.extend(w.act(&p, &mut case, item, user("ana", None)).unwrap());
    let next = case.open[0].id;
    assert!(matches!(
        engine::suspend(&p, &mut case, clock(next, "no"), &w.ctx()),
        Err(EngineError::NotSuspendable(_))
    ));
}

#[test]
fn a_passed_term_cannot_be_stopped() {
    let p = parse(PETITION);
    let mut w = World::new(date(2026, 3, 2));
    let (mut case, _) = w.start(&p, &[]);
    let item = case.open[0].id;
    w.today = date(2026, 3, 17);
    assert!(matches!(
        engine::suspend(&p, &mut case, clock(item, "tarde"), &w.ctx()),
        Err(EngineError::TermPassed(_))
    ));
}

/// A request whose «No» is the entity not answering in time (cnpss-94 18.1, 30.2, 36.2).
const REQUEST: &str = include_str!("../fixtures/expiry-request.toml");

/// The case of `REQUEST` started on 2 March 2026: 1.1 is due on 6 May (45 días hábiles).
fn request(w: &World, text: &str) -> (Procedure, Case) {
    let p = parse(text);
    let (case, _) = w.start(&p, &[]);
    assert_eq!(case.open[0].due, Some(date(2026, 5, 6)));
    (p, case)
}

#[test]
fn the_expiry_answer_waits_for_the_term_to_run() {
    let mut w = World::new(date(2026, 3, 2));
    let (p, mut case) = request(&w, REQUEST);
    let item = case.open[0].id;
    for today in [date(2026, 3, 2), date(2026, 5, 6)] {
        w.today = today;
        let refused = w.complete(&p, &mut case, item, user("ana", None), Some("no"), &[]);
        assert_eq!(
            refused,
            Err(EngineError::TermNotRun {
                activity: "1.1".into(),
                answer: "No".into(),
            })
        );
        assert_eq!(open(&p, &case), ["1.1"]);
    }
    // The other answer is open any day.
    let (p2, mut answered) = request(&World::new(date(2026, 3, 2)), REQUEST);
    let first = answered.open[0].id;
    w.today = date(2026, 3, 2);
    w.complete(
        &p2,
        &mut answered,
        first,
        user("ana", None),
        Some("Sí"),
        &[],
    )
    .unwrap();
    assert!(matches!(answered.status, CaseStatus::Ended(_)));

    // The day after the due date, before time was let pass, the person may record it.
    w.today = date(2026, 5, 7);
    w.complete(&p, &mut case, item, user("ana", None), Some("No"), &[])
        .unwrap();
    assert_eq!(open(&p, &case), ["1.2"]);
}

#[test]
fn without_its_own_path_the_expiry_answer_is_chosen_once_overdue() {
    let text = REQUEST.replace(", on_expiry = \"1.2\"", "");
    let mut w = World::new(date(2026, 3, 2));
    let (p, mut case) = request(&w, &text);
    let item = case.open[0].id;
    w.today = date(2026, 5, 8);
    w.pass_time(&p, &mut case);
    assert!(case.open[0].overdue);
    assert_eq!(
        open(&p, &case),
        ["1.1"],
        "no path of its own: the case waits"
    );
    w.complete(&p, &mut case, item, user("ana", None), Some("No"), &[])
        .unwrap();
    assert_eq!(open(&p, &case), ["1.2"]);
}

proptest::proptest! {
    /// Whatever day it is chosen, the expiry answer is accepted exactly when the due date is
    /// behind, and then leads where the expiry path does.
    #[test]
    fn the_expiry_answer_is_accepted_only_after_the_due_date(days in 0i32..120) {
        let mut w = World::new(date(2026, 3, 2));
        let (p, mut case) = request(&w, REQUEST);
        let item = case.open[0].id;
        let due = case.open[0].due.unwrap();
        w.today = date(2026, 3, 2).checked_add(jiff::Span::new().days(days)).unwrap();
        let result = w.complete(&p, &mut case, item, user("ana", None), Some("No"), &[]);
        proptest::prop_assert_eq!(result.is_ok(), w.today > due, "{:?} on {}", result, w.today);
        let expected: &[&str] = if w.today > due { &["1.2"] } else { &["1.1"] };
        proptest::prop_assert_eq!(open(&p, &case), expected);
    }
}

/// The demo shows every colour of the semáforo on the seeds' own terms: for each, some seed
/// procedure has a start date and a route that make its open work read it today, and the
/// overdue one stays open past its term.
#[test]
fn the_seed_library_can_show_every_colour_of_the_semaforo() {
    use turno_domain::engine::{Calendars, DueStatus, Thresholds};
    use turno_domain::simulate::{Driver, showing};
    let calendars = Calendars::statutory();
    let thresholds = Thresholds::default();
    let today = date(2026, 12, 7);
    for want in [DueStatus::OnTime, DueStatus::DueSoon, DueStatus::Overdue] {
        let shown: Vec<_> = crate::common::seed_library()
            .newest()
            .filter_map(|p| Some((p, showing(p, &calendars, thresholds, today, want)?)))
            .collect();
        assert!(shown.len() >= 2, "{want:?} by {} procedures", shown.len());
        for (p, show) in shown {
            assert!(show.start <= today);
            let mut driver = Driver::new(p, &calendars, show.start);
            let (mut case, _) = driver.start().unwrap();
            driver.run(&mut case, &show.steps).unwrap();
            let item = &case.open[0];
            let due = item.due.expect("a term of the definition");
            assert_eq!(thresholds.status(show.start, due, today), want, "{}", p.key);
        }
    }
}
