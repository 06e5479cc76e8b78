//! What the record teaches (`docs/process-mining.md`): a known case of the volante de trámite
//! exported to XES exactly (trace, events, attributes, times with the agency's offset) and
//! counted into its paths exactly; and, over random walks through every seed procedure, the
//! moves counted add up to the moves the cases made, turns adding none.

use crate::engine_properties::{calendars, procedures, walk_turning};
use jiff::Timestamp;
use jiff::tz::TimeZone;
use proptest::prelude::*;
use quick_xml::events::Event as Xml;
use std::collections::BTreeMap;
use turno_domain::definition::{ActivityId, ParticipantId, Procedure};
use turno_domain::engine::{
    self, Actor, Case, CaseStatus, Complete, Context, Event, Start, Turn, Value, WorkItemId,
};
use turno_domain::mining::paths::{Node, Paths, PathsBuilder, manual_moves};
use turno_domain::mining::xes::{Written, XesWriter};
use turno_domain::simulate::{Driver, Step, moves};

fn zone() -> TimeZone {
    TimeZone::get("America/Mexico_City").unwrap()
}

fn at(text: &str) -> Timestamp {
    text.parse().unwrap()
}

fn ana() -> Actor {
    Actor {
        user: "ana".into(),
        participant: Some(ParticipantId(0)),
        substituting: None,
    }
}

/// A volante de trámite (sinac-volante): 1.1 with a turn to the Enlace of Jalisco, 2.1 sends it
/// back («No»), 1.1 again, 2.1 closes it («Sí»).
fn volante() -> (std::sync::Arc<Procedure>, Vec<Event>) {
    let p = crate::common::seed_library()
        .latest("sinac-volante")
        .unwrap()
        .clone();
    let cals = calendars();
    let ctx = |now: &str| Context {
        now: at(now),
        today: at(now).to_zoned(zone()).date(),
        calendars: cals,
    };
    let (mut case, mut log) = engine::start(
        &p,
        Start {
            by: ana(),
            fields: BTreeMap::from([("folio_peticion".into(), Value::Text("P-1".into()))]),
        },
        &ctx("2026-01-05T16:00:00Z"),
    )
    .unwrap();
    let open = |case: &Case| case.open.iter().find(|w| w.turn.is_none()).unwrap().id;
    let complete = |item: WorkItemId, by: Actor, outcome: Option<&str>| Complete {
        item,
        by,
        outcome: outcome.map(str::to_owned),
        fields: BTreeMap::new(),
        observations: None,
        signature: None,
    };
    let first = open(&case);
    log.extend(
        engine::turn(
            &p,
            &mut case,
            Turn {
                item: first,
                by: ana(),
                units: vec!["REPSS-JAL".into()],
                instruction: "Para su atención".into(),
                business_days: Some(5),
            },
            &ctx("2026-01-06T17:30:00Z"),
        )
        .unwrap(),
    );
    let turn = case.open.iter().find(|w| w.turn.is_some()).unwrap().id;
    let enlace = Actor {
        user: "enlace".into(),
        participant: None,
        substituting: None,
    };
    for (item, by, outcome, now) in [
        (turn, enlace, None, "2026-01-08T15:00:00Z"),
        (first, ana(), None, "2026-01-09T16:00:00Z"),
    ] {
        log.extend(
            engine::complete(&p, &mut case, complete(item, by, outcome), &ctx(now)).unwrap(),
        );
    }
    for (outcome, now) in [
        (Some("No"), "2026-01-13T16:00:00Z"),
        (None, "2026-01-14T16:00:00Z"),
        (Some("Sí"), "2026-01-15T16:00:00Z"),
    ] {
        let item = open(&case);
        log.extend(
            engine::complete(&p, &mut case, complete(item, ana(), outcome), &ctx(now)).unwrap(),
        );
    }
    assert!(matches!(case.status, CaseStatus::Ended(_)));
    (p, log)
}

/// An XES document read back: the trace attributes, and each event's attributes in order
/// (`type key=value`).
fn read_back(xml: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut depth_trace = false;
    let mut in_event = false;
    let mut trace = Vec::new();
    let mut events = Vec::new();
    loop {
        match reader.read_event().unwrap() {
            Xml::Start(e) if e.name().as_ref() == b"trace" => depth_trace = true,
            Xml::Start(e) if e.name().as_ref() == b"event" && depth_trace => {
                in_event = true;
                events.push(Vec::new());
            }
            Xml::End(e) if e.name().as_ref() == b"event" => in_event = false,
            Xml::End(e) if e.name().as_ref() == b"trace" => depth_trace = false,
            Xml::Empty(e) if depth_trace => {
                let attr = |name: &[u8]| {
                    e.try_get_attribute(name)
                        .unwrap()
                        .unwrap()
                        .unescape_value()
                        .unwrap()
                        .into_owned()
                };
                let kind = String::from_utf8(e.name().as_ref().to_vec()).unwrap();
                let text = format!("{kind} {}={}", attr(b"key"), attr(b"value"));
                if in_event {
                    events.last_mut().unwrap().push(text);
                } else {
                    trace.push(text);
                }
            }
            Xml::Eof => break,
            _ => {}
        }
    }
    (trace, events)
}

fn export(p: &Procedure, log: &[Event]) -> (String, Written) {
    let mut xes = XesWriter::new(Vec::new(), zone(), "Turno").unwrap();
    for event in log {
        xes.event("VT-2026-000001", p, event).unwrap();
    }
    let (bytes, written) = xes.finish().unwrap();
    (String::from_utf8(bytes).unwrap(), written)
}

#[test]
fn a_known_case_exports_to_xes_exactly() {
    let (p, log) = volante();
    let (xml, written) = export(&p, &log);
    assert_eq!(
        written,
        Written {
            traces: 1,
            events: 10
        }
    );
    // The head: declaration, the four standard extensions, globals, classifiers.
    let head = concat!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n",
        "<log xes.version=\"1.0\" xes.features=\"\" xmlns=\"http://www.xes-standard.org/\">\n",
        "\t<extension name=\"Concept\" prefix=\"concept\" uri=\"http://www.xes-standard.org/concept.xesext\"/>\n",
        "\t<extension name=\"Lifecycle\" prefix=\"lifecycle\" uri=\"http://www.xes-standard.org/lifecycle.xesext\"/>\n",
        "\t<extension name=\"Organizational\" prefix=\"org\" uri=\"http://www.xes-standard.org/org.xesext\"/>\n",
        "\t<extension name=\"Time\" prefix=\"time\" uri=\"http://www.xes-standard.org/time.xesext\"/>\n",
        "\t<global scope=\"trace\">\n",
        "\t\t<string key=\"concept:name\" value=\"__INVALID__\"/>\n",
        "\t</global>\n",
        "\t<global scope=\"event\">\n",
        "\t\t<string key=\"concept:name\" value=\"__INVALID__\"/>\n",
        "\t\t<string key=\"lifecycle:transition\" value=\"complete\"/>\n",
        "\t\t<date key=\"time:timestamp\" value=\"1970-01-01T00:00:00.000+00:00\"/>\n",
        "\t</global>\n",
        "\t<classifier name=\"Actividad\" keys=\"concept:name\"/>\n",
        "\t<classifier name=\"ActividadYTransicion\" keys=\"concept:name lifecycle:transition\"/>\n",
        "\t<string key=\"concept:name\" value=\"Turno\"/>\n",
        "\t<string key=\"lifecycle:model\" value=\"standard\"/>\n",
        "\t<trace>\n",
    );
    assert!(xml.starts_with(head), "{xml}");
    assert!(xml.ends_with("\t</trace>\n</log>\n"), "{xml}");
    let (trace, events) = read_back(&xml);
    assert_eq!(
        trace,
        [
            "string concept:name=VT-2026-000001",
            "string procedure=sinac-volante",
            "int procedure_version=1",
            &format!("string procedure_title={}", p.title),
        ]
    );
    let elabora = format!("string concept:name=1.1 {}", p.activities[0].text);
    let revisa = format!("string concept:name=2.1 {}", p.activities[1].text);
    let event = |name: &str, transition: &str, time: &str, rest: &[&str]| {
        let mut all = vec![
            name.to_owned(),
            format!("string lifecycle:transition={transition}"),
            format!("date time:timestamp={time}"),
        ];
        all.extend(rest.iter().map(|s| (*s).to_owned()));
        all
    };
    let dvs = "string org:group=CNPSS-DVS";
    let by_ana = "string org:resource=ana";
    assert_eq!(
        events,
        [
            event(
                &elabora,
                "start",
                "2026-01-05T10:00:00.000-06:00",
                &[dvs, "int item=1"]
            ),
            event(
                &elabora,
                "assign",
                "2026-01-06T11:30:00.000-06:00",
                &[
                    "string org:group=REPSS-JAL",
                    by_ana,
                    "int item=2",
                    "boolean turn=true"
                ]
            ),
            event(
                &elabora,
                "complete",
                "2026-01-08T09:00:00.000-06:00",
                &[
                    "string org:group=REPSS-JAL",
                    "string org:resource=enlace",
                    "int item=2",
                    "boolean turn=true"
                ]
            ),
            event(
                &elabora,
                "complete",
                "2026-01-09T10:00:00.000-06:00",
                &[dvs, by_ana, "int item=1"]
            ),
            event(
                &revisa,
                "start",
                "2026-01-09T10:00:00.000-06:00",
                &[dvs, "int item=3"]
            ),
            event(
                &revisa,
                "complete",
                "2026-01-13T10:00:00.000-06:00",
                &[dvs, by_ana, "int item=3", "string outcome=No"]
            ),
            event(
                &elabora,
                "start",
                "2026-01-13T10:00:00.000-06:00",
                &[dvs, "int item=4"]
            ),
            event(
                &elabora,
                "complete",
                "2026-01-14T10:00:00.000-06:00",
                &[dvs, by_ana, "int item=4"]
            ),
            event(
                &revisa,
                "start",
                "2026-01-14T10:00:00.000-06:00",
                &[dvs, "int item=5"]
            ),
            event(
                &revisa,
                "complete",
                "2026-01-15T10:00:00.000-06:00",
                &[dvs, by_ana, "int item=5", "string outcome=Sí"]
            ),
        ]
    );
}

#[test]
fn xes_keeps_every_text_well_formed() {
    let (p, mut log) = volante();
    // An old record might hold what Turno now refuses: a control character, markup.
    log.push(Event::CaseCancelled {
        at: at("2026-01-16T16:00:00Z"),
        by: Actor {
            user: "a<b>&\"c\u{1}\nd".into(),
            participant: None,
            substituting: None,
        },
        reason: "x".into(),
    });
    let (xml, _) = export(&p, &log);
    let (_, events) = read_back(&xml);
    let last = events.last().unwrap();
    assert_eq!(last[0], "string concept:name=Caso cancelado");
    assert_eq!(last[1], "string lifecycle:transition=pi_abort");
    assert_eq!(last[3], "string org:resource=a<b>&\"c\u{FFFD} d");
}

fn paths_of(cases: &[(&Procedure, &[Event])]) -> Paths {
    let cals = calendars();
    let mut builder = PathsBuilder::new(cals, zone());
    for (p, log) in cases {
        builder.case();
        for event in *log {
            builder.event(p, event);
        }
    }
    builder.finish()
}

fn node(number: &str) -> Node {
    Node::Activity(number.into())
}

#[test]
fn the_paths_of_known_cases_are_exact() {
    let (p, log) = volante();
    // The same case twice, and a third still waiting at 2.1 after one return.
    let reopened = log
        .iter()
        .position(|e| {
            matches!(
                e,
                Event::WorkOpened {
                    item: WorkItemId(4),
                    ..
                }
            )
        })
        .unwrap();
    let waiting = log[..=reopened].to_vec();
    let paths = paths_of(&[(&p, &log), (&p, &log), (&p, &waiting)]);
    assert_eq!(paths.cases, 3);
    assert_eq!(
        paths.moves,
        BTreeMap::from([
            ((Node::Start, node("1.1")), 3),
            ((node("1.1"), node("2.1")), 5),
            ((node("2.1"), node("1.1")), 3),
            ((node("2.1"), Node::End), 2),
        ])
    );
    assert_eq!(paths.total_moves(), 13);
    // 1.1: 4 días hábiles (Monday 5 to Friday 9) and 1 (13 to 14), twice, and 4 once more.
    let times = |waits: Option<&turno_domain::mining::paths::Waits>| {
        let t = waits.unwrap().times().unwrap();
        (t.answered, t.median, t.p90)
    };
    assert_eq!(times(paths.activities.get("1.1")), (5, 4, 4));
    // 2.1: 2 (Friday 9 to Tuesday 13) and 1 (14 to 15), twice, and 2 once more.
    assert_eq!(times(paths.activities.get("2.1")), (5, 2, 2));
    assert_eq!(paths.open, BTreeMap::from([("1.1".to_owned(), 1)]));
    // The DVS's own work; the Enlace's turn: 2 días hábiles (6 to 8), three times.
    assert_eq!(times(paths.units.get("CNPSS-DVS")), (10, 2, 4));
    assert_eq!(times(paths.units.get("REPSS-JAL")), (3, 2, 2));
    assert_eq!(
        paths.open_by_unit,
        BTreeMap::from([("CNPSS-DVS".to_owned(), 1)])
    );
    // The manual draws every move the cases made.
    let manual = manual_moves(&p);
    assert!(paths.moves.keys().all(|m| manual.contains(m)));
}

/// A walk without turns that counts its moves: one to enter the first activity, one per step.
fn counted_walk(p: &Procedure, start_offset: i32, choices: &[u8]) -> (Vec<Event>, u64) {
    let mut driver = Driver::new(p, calendars(), jiff::civil::date(2026, 1, 5));
    driver.advance(start_offset);
    let (mut case, mut log) = driver.start().unwrap();
    let mut moved = 1;
    for choice in choices {
        if case.status != CaseStatus::Open {
            break;
        }
        let activity: ActivityId = case.open[0].activity;
        let mut options = moves(p, activity);
        if case.open.iter().all(|w| w.due.is_none()) {
            options.retain(|(s, _)| matches!(s, Step::Complete { .. }));
        }
        let (step, _) = options[usize::from(*choice) % options.len()].clone();
        log.extend(driver.step(&mut case, &step).unwrap());
        moved += 1;
    }
    (log, moved)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    /// Each case's moves, counted on its own, add up to the moves counted for all: one to
    /// enter the first activity and one per step it took (a parallel activity's several work
    /// items are one move), whatever path the cases took; every move is the manual's.
    #[test]
    fn moves_add_up_to_the_cases_moves(
        walks in proptest::collection::vec(
            (0usize..64, 0i32..400, proptest::collection::vec(any::<u8>(), 0..60)),
            1..6,
        ),
    ) {
        let all = procedures();
        let mut cases = Vec::new();
        let mut expected = 0;
        for (which, offset, choices) in &walks {
            let p = &all[which % all.len()];
            let (log, moved) = counted_walk(p, *offset, choices);
            expected += moved;
            cases.push((p, log));
        }
        let borrowed: Vec<(&Procedure, &[Event])> =
            cases.iter().map(|(p, log)| (*p, log.as_slice())).collect();
        let paths = paths_of(&borrowed);
        prop_assert_eq!(paths.total_moves(), expected);
        prop_assert_eq!(paths.cases, walks.len() as u64);
        let manual: std::collections::BTreeSet<_> =
            cases.iter().flat_map(|(p, _)| manual_moves(p)).collect();
        prop_assert!(paths.moves.keys().all(|m| manual.contains(m)));
    }

    /// Turns given, answered or withdrawn, add no move and change none.
    #[test]
    fn turns_add_no_moves(
        which in 0usize..64,
        choices in proptest::collection::vec(any::<u8>(), 0..40),
        turns in proptest::collection::vec(0u8..3, 1..4),
        withdrawn in any::<u8>(),
    ) {
        let all = procedures();
        let p = &all[which % all.len()];
        let (_, plain) = walk_turning(p, 0, &choices, &[], 0);
        let (_, turned) = walk_turning(p, 0, &choices, &turns, withdrawn);
        prop_assert_eq!(
            paths_of(&[(p, &plain)]).moves,
            paths_of(&[(p, &turned)]).moves
        );
    }
}
