//! The BPMN export (`bpmn::export`): what every procedure of the library maps to, the OMG
//! schema, bpmn-moddle (what bpmn.io reads files with) and SpiffWorkflow (an open-source BPMN
//! engine) running seed 000 along the paths Turno's engine takes. The last three need python3
//! with SpiffWorkflow and node with scripts/bpmn-moddle installed (`scripts/bpmn-tools.sh`,
//! which scripts/test.sh runs): without them they fail.

use jiff::civil::date;
use quick_xml::Reader;
use quick_xml::events::Event as Xml;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;
use turno_domain::bpmn::export::export;
use turno_domain::definition::{DayKind, Procedure, Route, parse_procedure};
use turno_domain::engine::{Calendars, CaseStatus};
use turno_domain::simulate::{Driver, Step};

const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");

/// An element of the document: its qualified name, attributes and text.
#[derive(Debug)]
struct Element {
    name: String,
    attrs: BTreeMap<String, String>,
    text: String,
}

/// Every element of `xml`, in document order (a text goes to the element it is in).
fn elements(xml: &str) -> Vec<Element> {
    let mut reader = Reader::from_str(xml);
    let mut out: Vec<Element> = Vec::new();
    let mut open: Vec<usize> = Vec::new();
    loop {
        match reader.read_event().unwrap() {
            Xml::Start(e) => {
                out.push(element(&e));
                open.push(out.len() - 1);
            }
            Xml::Empty(e) => out.push(element(&e)),
            Xml::End(_) => {
                open.pop();
            }
            Xml::Text(t) => {
                if let Some(&i) = open.last() {
                    out[i].text.push_str(&t.decode().unwrap());
                }
            }
            Xml::GeneralRef(r) => {
                if let Some(&i) = open.last() {
                    let name = r.decode().unwrap();
                    let text = match name.as_ref() {
                        "quot" => "\"",
                        "amp" => "&",
                        "lt" => "<",
                        "gt" => ">",
                        "apos" => "'",
                        other => panic!("unexpected entity {other}"),
                    };
                    out[i].text.push_str(text);
                }
            }
            Xml::Eof => break,
            _ => {}
        }
    }
    out
}

fn element(e: &quick_xml::events::BytesStart<'_>) -> Element {
    Element {
        name: String::from_utf8(e.name().as_ref().to_vec()).unwrap(),
        attrs: e
            .attributes()
            .map(|a| {
                let a = a.unwrap();
                (
                    String::from_utf8(a.key.as_ref().to_vec()).unwrap(),
                    a.unescape_value().unwrap().into_owned(),
                )
            })
            .collect(),
        text: String::new(),
    }
}

fn named<'a>(all: &'a [Element], name: &'a str) -> impl Iterator<Item = &'a Element> + 'a {
    all.iter().filter(move |e| e.name == name)
}

fn seed_000() -> &'static Procedure {
    crate::common::seed_library()
        .latest("sidss-informes-oficiales")
        .unwrap()
}

#[test]
fn seed_000_exports_lanes_tasks_decisions_and_returns() {
    let p = seed_000();
    let xml = export(p).unwrap();
    assert_eq!(
        export(p).unwrap(),
        xml,
        "the same definition gives the same bytes"
    );
    let all = elements(&xml);

    let lanes: Vec<_> = named(&all, "bpmn:lane")
        .map(|l| (l.attrs["id"].as_str(), l.attrs["name"].as_str()))
        .collect();
    assert_eq!(
        lanes,
        [
            ("Lane_ST", "Secretario Técnico"),
            ("Lane_CAS", "Coordinación de Asesores")
        ]
    );
    let task = named(&all, "bpmn:userTask")
        .find(|t| t.attrs["id"] == "Activity_2.2")
        .unwrap();
    assert_eq!(task.attrs["turno:number"], "2.2");
    assert_eq!(task.attrs["turno:responsible"], "ST");
    let documentation = all
        .iter()
        .skip_while(|e| e.attrs.get("id").is_none_or(|id| id != "Activity_2.2"))
        .find(|e| e.name == "bpmn:documentation")
        .unwrap();
    assert_eq!(
        documentation.text,
        format!(
            "2.2 {}",
            p.activity(p.activity_by_number("2.2").unwrap()).text
        )
    );
    let signed = named(&all, "bpmn:userTask")
        .find(|t| t.attrs["id"] == "Activity_4.1")
        .unwrap();
    assert_eq!(signed.attrs["turno:signature"], "true");

    // Flows: (source, target, answer, condition).
    let mut flows = Vec::new();
    let mut current: Option<(String, String, String)> = None;
    for e in &all {
        match e.name.as_str() {
            "bpmn:sequenceFlow" => {
                if let Some((s, t, n)) = current.take() {
                    flows.push((s, t, n, String::new()));
                }
                current = Some((
                    e.attrs["sourceRef"].clone(),
                    e.attrs["targetRef"].clone(),
                    e.attrs.get("name").cloned().unwrap_or_default(),
                ));
            }
            "bpmn:conditionExpression" => {
                let (s, t, n) = current.take().unwrap();
                flows.push((s, t, n, e.text.clone()));
            }
            _ => {}
        }
    }
    if let Some((s, t, n)) = current.take() {
        flows.push((s, t, n, String::new()));
    }
    let has = |s: &str, t: &str, n: &str, c: &str| {
        flows
            .iter()
            .any(|f| f.0 == s && f.1 == t && f.2 == n && f.3 == c)
    };
    assert!(has("StartEvent", "Activity_1.1", "", ""), "{flows:#?}");
    assert!(has("Activity_1.1", "Activity_2.1", "", ""), "goto 2.1");
    assert!(has("Activity_2.2", "Gateway_2.2", "", ""));
    // The return for correction, and on to the integration.
    assert!(has(
        "Gateway_2.2",
        "Activity_1.2",
        "No",
        "outcome == \"No\""
    ));
    assert!(has(
        "Gateway_2.2",
        "Activity_3.1",
        "Sí",
        "outcome == \"Sí\""
    ));
    assert!(has(
        "Gateway_4.1",
        "Activity_2.1",
        "No",
        "outcome == \"No\""
    ));
    assert!(has("Activity_5.2", "EndEvent_5.2", "", ""));
    assert_eq!(flows.len(), 13, "{flows:#?}");
    let gateway = named(&all, "bpmn:exclusiveGateway")
        .find(|g| g.attrs["id"] == "Gateway_2.2")
        .unwrap();
    assert_eq!(gateway.attrs["name"], "¿Procede?");

    // Every node and flow is drawn; lanes are horizontal bands of the pool.
    let drawn: BTreeSet<&str> = named(&all, "bpmndi:BPMNShape")
        .chain(named(&all, "bpmndi:BPMNEdge"))
        .map(|s| s.attrs["bpmnElement"].as_str())
        .collect();
    for e in &all {
        let drawable = matches!(
            e.name.as_str(),
            "bpmn:userTask"
                | "bpmn:exclusiveGateway"
                | "bpmn:startEvent"
                | "bpmn:endEvent"
                | "bpmn:sequenceFlow"
                | "bpmn:lane"
                | "bpmn:participant"
        );
        if drawable {
            assert!(
                drawn.contains(e.attrs["id"].as_str()),
                "{} not drawn",
                e.attrs["id"]
            );
        }
    }
    let edges = named(&all, "di:waypoint").count();
    assert!(edges >= 2 * 13, "every edge has its waypoints");
}

/// Every procedure of the library: one task per activity, a gateway per decision, a
/// multi-instance task per parallel activity, a timer per deadline with its days and regime,
/// a call activity per sub-procedure, one lane per responsible participant.
#[test]
fn every_library_procedure_maps_to_its_bpmn_elements() {
    let library = crate::common::seed_library();
    let (mut timers, mut parallel, mut calls) = (0, 0, 0);
    for p in library.newest() {
        let xml = export(p).unwrap();
        let all = elements(&xml);
        let count = |name: &str| named(&all, name).count();
        let tasks = count("bpmn:userTask") + count("bpmn:callActivity");
        assert_eq!(tasks, p.activities.len(), "{}", p.key);
        let decisions = p
            .activities
            .iter()
            .filter(|a| matches!(a.route, Route::Decide { .. }))
            .count();
        assert_eq!(count("bpmn:exclusiveGateway"), decisions, "{}", p.key);
        let parallels = p.activities.iter().filter(|a| a.parallel).count();
        assert_eq!(
            count("bpmn:multiInstanceLoopCharacteristics"),
            parallels,
            "{}",
            p.key
        );
        let called = p.activities.iter().filter(|a| a.call.is_some()).count();
        assert_eq!(count("bpmn:callActivity"), called, "{}", p.key);
        for activity in p.activities.iter().filter(|a| a.call.is_some()) {
            let call = named(&all, "bpmn:callActivity")
                .find(|c| c.attrs["turno:number"] == activity.number)
                .unwrap();
            assert_eq!(
                call.attrs["calledElement"],
                format!("Process_{}", activity.call.as_deref().unwrap())
            );
        }
        let with_deadline: Vec<_> = p
            .activities
            .iter()
            .filter_map(|a| a.deadline.as_ref().map(|d| (a, d)))
            .collect();
        let boundaries: Vec<_> = named(&all, "bpmn:boundaryEvent").collect();
        assert_eq!(boundaries.len(), with_deadline.len(), "{}", p.key);
        for ((activity, deadline), timer) in with_deadline.iter().zip(&boundaries) {
            assert_eq!(
                timer.attrs["attachedToRef"],
                format!("Activity_{}", activity.number)
            );
            let days = match deadline.term.kind {
                DayKind::Business => &timer.attrs["turno:businessDays"],
                DayKind::Natural => &timer.attrs["turno:naturalDays"],
            };
            assert_eq!(days, &deadline.term.days.to_string());
            assert_eq!(timer.attrs["turno:regime"], deadline.regime.code());
            let interrupting = deadline.on_expiry.is_some();
            assert_eq!(
                timer.attrs["cancelActivity"],
                interrupting.to_string(),
                "{} {}",
                p.key,
                activity.number
            );
        }
        let responsible: BTreeSet<_> = p.activities.iter().flat_map(|a| p.candidates(a)).collect();
        assert_eq!(count("bpmn:lane"), responsible.len(), "{}", p.key);
        timers += boundaries.len();
        parallel += parallels;
        calls += called;
    }
    // The library exercises these mappings; sub-procedures are in `CALLS` below.
    assert!(timers > 0 && parallel > 0, "{timers} {parallel} {calls}");
}

/// What the library does not have: a sub-procedure, an activity turned to units chosen in the
/// case and done by all of them, and a term whose expiry is a path of its own.
const CALLS: &str = r#"
key = "llamada"
version = 1
title = "Procedimiento que llama a otro"
purpose = ["1.1 Probar."]
scope = ["2.1 Pruebas."]

[participants.ST]
name = "Secretario Técnico"

[participants.DG]
name = "Dirección General"

[[fields]]
name = "areas"
label = "Áreas"
type = "participants"
options = ["DG", "ST"]
required = true

[[stages]]
number = "1.0"
name = "Trámite"
responsible = ["ST"]

[[stages.activities]]
number = "1.1"
text = "Turna el asunto."
responsible = ["ST", "DG"]
parallel = true

[[stages.activities]]
number = "1.2"
text = "Opinan las áreas."
responsible_from = "areas"
parallel = true

[[stages.activities]]
number = "1.3"
text = "Solicita el dictamen."
call = "otro"

[[stages.activities]]
number = "1.4"
text = "Espera la respuesta."
decision = "¿Respondió?"
branches = [
  { answer = "Sí", text = "Continúa." },
  { answer = "No", text = "Termina.", end = true },
]
[stages.activities.deadline]
term = "10 días hábiles"
on_expiry = "1.5"

[[stages.activities]]
number = "1.5"
text = "Archiva."
end = true
"#;

fn calls() -> Procedure {
    parse_procedure(CALLS).unwrap_or_else(|d| panic!("{d:#?}"))
}

#[test]
fn sub_procedures_parallel_turns_and_expiry_paths_map_to_their_elements() {
    let p = calls();
    let xml = export(&p).unwrap();
    let all = elements(&xml);
    let call = named(&all, "bpmn:callActivity").next().unwrap();
    assert_eq!(call.attrs["id"], "Activity_1.3");
    assert_eq!(call.attrs["calledElement"], "Process_otro");
    let cardinalities: Vec<&str> = named(&all, "bpmn:loopCardinality")
        .map(|c| c.text.as_str())
        .collect();
    assert_eq!(cardinalities, ["2", "len(areas)"]);
    let chosen = named(&all, "bpmn:userTask")
        .find(|t| t.attrs["id"] == "Activity_1.2")
        .unwrap();
    assert_eq!(chosen.attrs["turno:responsibleFrom"], "areas");
    let lanes: Vec<&str> = named(&all, "bpmn:lane")
        .map(|l| l.attrs["id"].as_str())
        .collect();
    assert_eq!(lanes, ["Lane_ST", "Lane_DG"]);
    let timer = named(&all, "bpmn:boundaryEvent").next().unwrap();
    assert_eq!(timer.attrs["id"], "Timer_1.4");
    assert_eq!(timer.attrs["attachedToRef"], "Activity_1.4");
    assert_eq!(timer.attrs["cancelActivity"], "true");
    assert_eq!(timer.attrs["turno:businessDays"], "10");
    assert_eq!(timer.attrs["turno:regime"], "lfpa");
    assert_eq!(timer.attrs["turno:from"], "activity");
    let duration = named(&all, "bpmn:timeDuration").next().unwrap();
    assert_eq!(duration.text, "P10D");
    let expiry = named(&all, "bpmn:sequenceFlow")
        .find(|f| f.attrs["sourceRef"] == "Timer_1.4")
        .unwrap();
    assert_eq!(expiry.attrs["targetRef"], "Activity_1.5");
    assert_eq!(expiry.attrs["turno:expiry"], "true");
    // «No» ends at an end event of its own.
    assert!(
        named(&all, "bpmn:sequenceFlow")
            .any(|f| f.attrs["sourceRef"] == "Gateway_1.4"
                && f.attrs["targetRef"] == "EndEvent_1.4_2")
    );
}

/// A folder for this test's files, emptied first.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("turno-bpmn-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Every procedure's newest version, and `CALLS`, exported into `dir`: the files written.
fn export_library(dir: &Path) -> Vec<String> {
    let calls = calls();
    let library = crate::common::seed_library();
    library
        .newest()
        .map(|p| &**p)
        .chain([&calls])
        .map(|p| {
            let file = dir.join(format!("{}.bpmn", p.key));
            std::fs::write(&file, export(p).unwrap()).unwrap();
            file.display().to_string()
        })
        .collect()
}

/// Runs a checking tool from the repository's root: whether it passed, and its JSON report.
fn tool(program: &str, args: &[String]) -> (bool, serde_json::Value) {
    let done = Command::new(program)
        .current_dir(ROOT)
        .args(args)
        .output()
        .unwrap_or_else(|e| {
            panic!("{program} does not run ({e}): scripts/bpmn-tools.sh installs what it needs")
        });
    let stdout = String::from_utf8_lossy(&done.stdout);
    let report = serde_json::from_str(stdout.trim()).unwrap_or_else(|e| {
        panic!(
            "{program} {args:?} printed no report ({e}): {stdout}\n{}\n(scripts/bpmn-tools.sh \
             installs what it needs)",
            String::from_utf8_lossy(&done.stderr)
        )
    });
    (done.status.success(), report)
}

#[test]
fn every_export_is_valid_against_the_omg_bpmn_schema() {
    let dir = scratch("xsd");
    let files = export_library(&dir);
    let mut args = vec!["scripts/bpmn-check.py".to_owned(), "validate".to_owned()];
    args.extend(files.iter().cloned());
    let (ok, report) = tool("python3", &args);
    assert!(ok, "{report:#}");
    for file in &files {
        assert_eq!(report[file], serde_json::json!([]), "{file}: {report:#}");
    }
    // The check can fail: a task without its id is refused.
    let broken = dir.join("broken.bpmn");
    let xml = export(seed_000())
        .unwrap()
        .replacen("<bpmn:userTask id=\"Activity_1.1\"", "<bpmn:userTask", 1)
        .replacen("<bpmn:startEvent", "<bpmn:nonsense", 1)
        .replacen("</bpmn:startEvent>", "</bpmn:nonsense>", 1);
    std::fs::write(&broken, xml).unwrap();
    let (ok, report) = tool(
        "python3",
        &[
            "scripts/bpmn-check.py".into(),
            "validate".into(),
            broken.display().to_string(),
        ],
    );
    assert!(!ok, "{report:#}");
    let problems = report[broken.display().to_string()].to_string();
    assert!(problems.contains("nonsense"), "{report:#}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn bpmn_io_reads_every_export_without_a_warning() {
    let dir = scratch("moddle");
    let files = export_library(&dir);
    let mut args = vec!["scripts/bpmn-moddle/check.mjs".to_owned()];
    args.extend(files.iter().cloned());
    let (ok, report) = tool("node", &args);
    assert!(ok, "{report:#}");
    let calls = calls();
    let procedures = crate::common::seed_library()
        .newest()
        .map(|p| &**p)
        .chain([&calls]);
    for (file, p) in files.iter().zip(procedures) {
        let read = &report[file];
        assert_eq!(read["warnings"], serde_json::json!([]), "{file}: {read}");
        let tasks = p.activities.len() as u64;
        assert!(
            read["flowElements"].as_u64().unwrap() > tasks,
            "{file}: {read}"
        );
        assert!(read["lanes"].as_u64().unwrap() >= 1, "{file}: {read}");
        assert!(
            read["diagramElements"].as_u64().unwrap() > tasks,
            "{file}: {read}"
        );
    }
    // A reference to nothing is a warning bpmn-moddle reports.
    let broken = dir.join("broken.bpmn");
    let xml = export(seed_000()).unwrap().replacen(
        "<bpmn:flowNodeRef>Activity_1.1<",
        "<bpmn:flowNodeRef>Nowhere<",
        1,
    );
    std::fs::write(&broken, xml).unwrap();
    let (ok, report) = tool(
        "node",
        &[
            "scripts/bpmn-moddle/check.mjs".into(),
            broken.display().to_string(),
        ],
    );
    assert!(!ok, "{report:#}");
    let warnings = &report[broken.display().to_string()]["warnings"];
    assert!(warnings.to_string().contains("Nowhere"), "{report:#}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// The activities Turno's engine completes on seed 000 answering its decisions with
/// `answers` in turn, and whether the case ended.
fn turno_path(p: &Procedure, answers: &[&str]) -> (Vec<String>, bool) {
    let calendars = Calendars::statutory();
    let mut driver = Driver::new(p, &calendars, date(2026, 3, 2));
    let (mut case, _) = driver.start().unwrap();
    let mut answers = answers.iter();
    let mut completed = Vec::new();
    while case.status == CaseStatus::Open && completed.len() < 1000 {
        let activity = case.open[0].activity;
        let answer = match &p.activity(activity).route {
            Route::Decide { .. } => match answers.next() {
                Some(a) => Some((*a).to_owned()),
                None => break,
            },
            Route::Continue(_) => None,
        };
        driver
            .step(&mut case, &Step::Complete { activity, answer })
            .unwrap();
        completed.push(p.activity(activity).number.clone());
    }
    (completed, matches!(case.status, CaseStatus::Ended(_)))
}

/// SpiffWorkflow's run of the exported process with the same answers: the activities it
/// completed, and whether the process ended with every answer used.
fn spiff_path(file: &Path, process: &str, answers: &[&str]) -> (Vec<String>, bool) {
    let (ok, report) = tool(
        "python3",
        &[
            "scripts/bpmn-check.py".into(),
            "run".into(),
            file.display().to_string(),
            process.into(),
            serde_json::json!(answers).to_string(),
        ],
    );
    assert!(ok, "{report:#}");
    let completed = report["completed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n.as_str().unwrap().to_owned())
        .collect();
    let ended = report["ended"] == true && report["unused"] == serde_json::json!([]);
    (completed, ended)
}

#[test]
fn seed_000_runs_in_spiffworkflow_along_the_paths_of_turnos_engine() {
    let p = seed_000();
    let dir = scratch("spiff");
    let file = dir.join("seed-000.bpmn");
    std::fs::write(&file, export(p).unwrap()).unwrap();
    let process = format!("Process_{}", p.key);
    let sequences: [&[&str]; 4] = [
        // Straight through.
        &["Sí", "Sí"],
        // A return for correction once (2.2 → 1.2).
        &["No", "Sí", "Sí"],
        // The Coordinación de Asesores sends it back once (4.1 → 2.1).
        &["Sí", "No", "Sí", "Sí"],
        // Both, twice over.
        &["No", "No", "Sí", "No", "Sí", "No", "Sí", "Sí"],
    ];
    for answers in sequences {
        let (turno, ended) = turno_path(p, answers);
        assert!(ended, "{answers:?}: {turno:?}");
        assert_eq!(
            spiff_path(&file, &process, answers),
            (turno, true),
            "{answers:?}"
        );
    }
    // The comparison can fail: other answers take SpiffWorkflow along another path.
    let (turno, _) = turno_path(p, &["No", "Sí", "Sí"]);
    assert_ne!(spiff_path(&file, &process, &["Sí", "Sí"]).0, turno);
    let _ = std::fs::remove_dir_all(&dir);
}
