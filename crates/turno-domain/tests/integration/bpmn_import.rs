//! BPMN 2.0 files drafted as definitions (`turno_domain::bpmn::import`): the BPMN Model
//! Interchange Working Group's reference files (`fixtures/bpmn/miwg/`) and a file in the style
//! Camunda Modeler and bpmn.io save, with lanes matched to the units of `org/`; and every
//! procedure of the library exported by Turno and read back.

use crate::org_data::organization;
use turno_domain::bpmn::export::export;
use turno_domain::bpmn::import::{Draft, Finding, MAX_BYTES, Refused, import};
use turno_domain::definition::{
    ActivityId, Anchor, Assignment, Exit, FieldType, Procedure, Route, parse_procedure,
};
use turno_domain::org::UnitSpec;

fn units() -> Vec<UnitSpec> {
    organization()
        .into_iter()
        .flat_map(|(_, _, file)| file.units.into_iter().map(|p| p.unit))
        .collect()
}

fn draft(path: &str) -> Draft {
    let file = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures/bpmn")
        .join(path);
    let bytes = std::fs::read(&file).unwrap();
    import(path, &bytes, &units()).unwrap()
}

fn valid(draft: &Draft) -> &Procedure {
    draft.procedure.as_ref().unwrap_or_else(|| {
        panic!(
            "the draft does not validate:\n{}\n{}",
            draft.report("x"),
            draft.toml
        )
    })
}

/// Each activity as `number text → where it goes`: `→ 2`, `→ fin`, `¿question? answer→target …`.
fn flow(procedure: &Procedure) -> Vec<String> {
    let exit = |exit: &Exit| match exit {
        Exit::Goto(id) => procedure.activity(*id).number.clone(),
        Exit::End => "fin".to_owned(),
    };
    procedure
        .activities
        .iter()
        .map(|a| {
            let route = match &a.route {
                Route::Continue(e) => format!("→ {}", exit(e)),
                Route::Decide { question, branches } => {
                    let answers: Vec<String> = branches
                        .iter()
                        .map(|b| format!("{}→{}", b.answer, exit(&b.exit)))
                        .collect();
                    format!("{question} {}", answers.join(" "))
                }
            };
            format!("{} {} {route}", a.number, a.text)
        })
        .collect()
}

/// The findings as `line element`.
fn lines(findings: &[Finding]) -> Vec<String> {
    findings
        .iter()
        .map(|f| format!("{} {}", f.line, f.element))
        .collect()
}

fn finding<'a>(draft: &'a Draft, id: &str) -> &'a Finding {
    draft
        .findings
        .iter()
        .find(|f| f.id == id)
        .unwrap_or_else(|| panic!("no finding for {id}: {:#?}", draft.findings))
}

#[test]
fn a_1_1_three_tasks_in_a_row() {
    let draft = draft("miwg/A.1.1.bpmn");
    assert_eq!(draft.key, "a-1-1");
    let procedure = valid(&draft);
    assert_eq!(procedure.title, "A.1.1 Execution Test");
    assert_eq!(
        flow(procedure),
        ["1 Task 1 → 2", "2 Task 2 → 3", "3 Task 3 → fin"]
    );
    // No lane: the process is the responsible, and no unit of the organization has its name.
    assert_eq!(procedure.participants.len(), 1);
    assert_eq!(procedure.participants[0].name, "A.1.1 Execution Test");
    assert_eq!(lines(&draft.findings), ["3 process"]);
    assert!(draft.findings[0].message.contains("ninguna unidad"));
}

#[test]
fn a_2_1_gateways_become_decisions_with_their_flows_as_answers() {
    let draft = draft("miwg/A.2.1.bpmn");
    let procedure = valid(&draft);
    assert_eq!(
        flow(procedure),
        [
            "1 Task 1 Gateway (Split Flow) Default→2 Opción 2→3 Opción 3→4",
            "2 Task 2 ¿Cómo continúa «Task 2»? Condition→fin En otro caso→3",
            "3 Task 3 → fin",
            "4 Task 4 ¿Cómo continúa «Task 4»? condition→fin En otro caso→3",
        ]
    );
    // The unnamed flows out of the split, and the tasks whose conditional flows have no gateway.
    let unnamed = finding(&draft, "_To9Z-TOCEeSknpIVFCxNIQ");
    assert_eq!(unnamed.line, 156);
    assert!(unnamed.message.contains("«Opción 2»"));
    assert_eq!(finding(&draft, "_To9Z_DOCEeSknpIVFCxNIQ").line, 165);
    assert_eq!(finding(&draft, "_To9ZtjOCEeSknpIVFCxNIQ").line, 44);
    assert_eq!(finding(&draft, "_To9ZzzOCEeSknpIVFCxNIQ").line, 76);
    // The merge gateway is crossed, not reported.
    assert!(
        draft
            .findings
            .iter()
            .all(|f| f.id != "_To9Z2TOCEeSknpIVFCxNIQ")
    );
}

#[test]
fn a_4_1_takes_the_larger_pool_and_reports_the_rest_by_line() {
    let draft = draft("miwg/A.4.1.bpmn");
    assert_eq!(
        lines(&draft.findings),
        [
            "13 messageFlow",
            "14 messageFlow",
            "16 process",
            "67 lane",
            "77 lane",
            "91 task",
            "101 subProcess",
            "101 subProcess",
            "132 task",
            "154 subProcess",
        ]
    );
    assert!(
        finding(&draft, "sid-34746A54-1D7D-46CA-B219-0C4CEAE51170")
            .message
            .contains("«Pool 1» no importado")
    );
    // Task 3's two unconditional flows are parallel paths: the first is followed, and the
    // other sub-process is left without a way in, which the validator reports.
    assert!(
        finding(&draft, "sid-34E8C3A5-5C2A-4593-AC67-038B737814D7")
            .message
            .contains("en paralelo")
    );
    assert!(draft.procedure.is_none());
    assert!(
        draft
            .problems
            .iter()
            .any(|p| p.message.contains("activity «3» is unreachable")),
        "{:?}",
        draft.problems
    );
    assert!(
        draft
            .toml
            .contains("text = \"Expanded Sub-Process 2\"\nresponsible = [\"L3\"]")
    );
    assert!(draft.report("A.4.1.bpmn").contains(
        "A.4.1.bpmn:154: subProcess «sid-645780CC-D61F-4715-8B58-71679305245F»: subproceso incrustado: se importó como una sola actividad; sus 3 elementos no"
    ));
}

#[test]
fn b_1_0_reports_data_messages_and_the_other_processes() {
    let draft = draft("miwg/B.1.0.bpmn");
    let reported: Vec<String> = lines(&draft.findings);
    for expected in [
        "4 process",
        "18 process",
        "67 dataObject",
        "68 endEvent",
        "72 callActivity",
        "76 callActivity",
        "90 startEvent",
        "94 parallelGateway",
        "103 subProcess",
        "121 subProcess",
        "163 dataObjectReference",
        "164 dataStoreReference",
        "181 textAnnotation",
        "186 process",
        "208 messageFlow",
        "209 messageFlow",
        "210 group",
    ] {
        assert!(
            reported.contains(&expected.to_owned()),
            "{expected} not in {reported:#?}"
        );
    }
    // The parallel split's second branch is an exclusive gateway, which a parallel turn cannot
    // hold: the first branch is followed and User Task 5 decides between its two paths.
    let first = draft.toml.split("[[stages.activities]]").nth(1).unwrap();
    assert!(first.contains("text = \"User Task 5\""), "{first}");
    assert!(first.contains("decision = \"Exclusive Gateway Divergence 2\""));
    assert!(
        draft
            .toml
            .contains("call = \"ba16239e-181e-4b9f-bc5b-0bb2ee973450\"")
    );
    assert!(draft.toml.contains("call = \"wfp-0\""));
    assert!(
        finding(&draft, "_fa3a8e53-5be0-4f0b-8680-d2498e255209")
            .message
            .contains("sin calledElement")
    );
    // The calls and the gateway before them are off the path the draft follows.
    assert!(
        draft
            .problems
            .iter()
            .any(|p| p.message.contains("unreachable")),
        "{:?}",
        draft.problems
    );
}

#[test]
fn a_camunda_modeler_file_with_lanes_becomes_a_valid_draft() {
    let draft = draft("informes-camunda.bpmn");
    assert_eq!(draft.key, "informes-camunda");
    let procedure = valid(&draft);
    assert_eq!(procedure.title, "Monitoreo de informes oficiales");
    assert_eq!(
        procedure.purpose,
        ["Dar seguimiento a los informes oficiales que la Subsecretaría debe entregar."]
    );
    assert_eq!(
        flow(procedure),
        [
            "1 Recibe el informe oficial y lo turna a la Coordinación de Asesores. → 2",
            "2 Revisa y analiza el contenido del informe. → 3",
            "3 ¿Procede? ¿Procede? No→1 Sí→4",
            "4 Registrar en el sistema de control / Validar la información con la unidad → 5",
            "5 Integrar el expediente → 6",
            "6 Dar seguimiento a los compromisos → 7",
            "7 Archivar → fin",
            "8 Enviar recordatorio → 3",
        ]
    );
    // Lanes matched to the units of org/ by name; the one that names no unit is reported.
    // (Participants are kept by key.)
    let units: Vec<(&str, &str, Option<&str>)> = procedure
        .participants
        .iter()
        .map(|p| (p.key.as_str(), p.name.as_str(), p.unit.as_deref()))
        .collect();
    assert_eq!(
        units,
        [
            ("CAS", "Coordinación de Asesores", Some("SIDSS-CAS")),
            ("EUR", "Enlace de la Unidad Responsable", None),
            ("SIDSS-CG", "Control de Gestión", Some("SIDSS-CG")),
            ("SIDSS-ST", "Secretario Técnico", Some("SIDSS-ST")),
        ]
    );
    let a = |n: &str| procedure.activity(procedure.activity_by_number(n).unwrap());
    // The split into two single-task branches is one activity turned to both lanes at once.
    assert!(a("4").parallel);
    assert!(a("5").parallel, "multi-instance");
    assert_eq!(
        a("6").call.as_deref(),
        Some("dgri-compromisos-internacionales")
    );
    // turno:businessDays wins over the ISO duration; its path is the expiry's.
    let term = a("2").deadline.as_ref().unwrap();
    assert_eq!(term.text, "10 días hábiles");
    assert_eq!(term.on_expiry, procedure.activity_by_number("8"));
    let archive = a("7").deadline.as_ref().unwrap();
    assert_eq!(archive.text, "7 días naturales");
    assert_eq!(archive.on_expiry, None);
    assert_eq!(
        lines(&draft.findings),
        [
            "27 lane",
            "70 parallelGateway",
            "93 manualTask",
            "98 intermediateThrowEvent",
            "116 dataObjectReference",
            "117 dataObject",
        ]
    );
}

#[test]
fn files_that_cannot_be_read_are_refused_with_their_line() {
    let too_large = vec![b' '; MAX_BYTES + 1];
    assert!(matches!(
        import("x.bpmn", &too_large, &[]),
        Err(Refused::TooLarge { .. })
    ));
    let broken = "<?xml version=\"1.0\"?>\n<definitions>\n  <process id=\"p\">\n  </definitions>\n";
    assert!(matches!(
        import("x.bpmn", broken.as_bytes(), &[]),
        Err(Refused::Malformed { line: 4, .. })
    ));
    // A billion laughs never expands: the DOCTYPE is refused before any entity is read.
    let laughs = "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;\">]>\n<definitions><process id=\"p\"><task name=\"&lol2;\"/></process></definitions>";
    assert_eq!(
        import("x.bpmn", laughs.as_bytes(), &[]).unwrap_err(),
        Refused::Doctype { line: 2 }
    );
    let latin1 = b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><definitions><process id=\"p\"><startEvent id=\"s\"/><task id=\"t\" name=\"Revisi\xf3n\"/><sequenceFlow id=\"f\" sourceRef=\"s\" targetRef=\"t\"/></process></definitions>";
    let draft = import("x.bpmn", latin1, &[]).unwrap();
    assert!(draft.toml.contains("text = \"Revisión\""), "{}", draft.toml);
}

/// What a definition makes the engine do, with participants by name and activities by
/// number: the case's fields, and each activity's text, responsible (or the field that
/// chooses them, with its candidates), turns, documents, captured fields, signature,
/// sub-procedure, route and term. What a BPMN round trip must keep; the rest (stages,
/// participants' keys, the manual's sections, notes) stays in Turno.
fn behaviour(p: &Procedure) -> Vec<String> {
    let name = |key: &str| {
        p.participant_by_key(key)
            .map_or_else(|| format!("¿{key}?"), |id| p.participant(id).name.clone())
    };
    let number = |id: ActivityId| p.activity(id).number.clone();
    let exit = |exit: Exit| match exit {
        Exit::Goto(id) => number(id),
        Exit::End => "fin".to_owned(),
    };
    let anchor = |anchor: Anchor| match anchor {
        Anchor::Activity => "activity".to_owned(),
        Anchor::Case => "case".to_owned(),
        Anchor::Completed(id) => format!("completed:{}", number(id)),
        Anchor::Field(f) => format!("field:{}", p.field(f).name),
    };
    let mut lines: Vec<String> = p
        .fields
        .iter()
        .map(|f| {
            let options: Vec<String> = match f.ty {
                FieldType::Participants => f.options.iter().map(|k| name(k)).collect(),
                _ => f.options.clone(),
            };
            format!(
                "campo {} «{}» {} required={} {options:?}",
                f.name,
                f.label,
                f.ty.code(),
                f.required
            )
        })
        .collect();
    for a in &p.activities {
        let who = match &a.assignment {
            Assignment::Fixed(_) => String::new(),
            Assignment::FromField(f) => format!("según {} ", p.field(*f).name),
        };
        let who: Vec<String> = std::iter::once(who)
            .chain(
                p.candidates(a)
                    .into_iter()
                    .map(|id| p.participant(id).name.clone()),
            )
            .collect();
        let fields: Vec<&str> = a.fields.iter().map(|f| p.field(*f).name.as_str()).collect();
        let route = match &a.route {
            Route::Continue(e) => format!("→ {}", exit(*e)),
            Route::Decide { question, branches } => {
                let answers: Vec<String> = branches
                    .iter()
                    .map(|b| {
                        format!(
                            "{}→{}{}",
                            b.answer,
                            exit(b.exit),
                            if b.expiry { " (vence)" } else { "" }
                        )
                    })
                    .collect();
                format!("{question} {}", answers.join(" "))
            }
        };
        let term = a.deadline.as_ref().map(|d| {
            format!(
                "{} {:?} desde {} si no {:?} {} al vencer {:?} suspendible={} ampliación {:?}",
                d.text,
                d.term,
                anchor(d.anchor),
                d.otherwise.map(anchor),
                d.regime.code(),
                d.on_expiry.map(number),
                d.suspendable,
                d.extension.map(|e| (e.days, number(e.granted_by))),
            )
        });
        lines.push(format!(
            "{} {} | {who:?} paralela={} | {:?} {fields:?} firma={} | {:?} | {route} | {term:?}",
            a.number, a.text, a.parallel, a.documents, a.signature, a.call
        ));
    }
    lines
}

/// Every procedure of the library exported as BPMN and imported back does the same: the
/// candidates of a responsible chosen per case, documents, fields, signatures and terms travel
/// in Turno's attributes and extension elements.
#[test]
fn every_library_procedure_comes_back_from_its_bpmn_doing_the_same() {
    let units = units();
    let mut differences = Vec::new();
    for original in crate::common::seed_library().newest() {
        let xml = export(original).unwrap();
        let draft = import(&format!("{}.bpmn", original.key), xml.as_bytes(), &units).unwrap();
        let back = valid(&draft);
        assert_eq!(back.key, original.key);
        let (read, written) = (behaviour(back), behaviour(original));
        if read.len() != written.len() {
            differences.push(format!(
                "{}: {} lines read, {} written",
                original.key,
                read.len(),
                written.len()
            ));
        }
        for (r, w) in read.iter().zip(&written).filter(|(r, w)| r != w) {
            differences.push(format!("{}:\n  read:    {r}\n  written: {w}", original.key));
        }
    }
    assert!(differences.is_empty(), "{}", differences.join("\n"));
}

const SUSPENDED: &str = r#"
key = "ida-vuelta"
version = 1
title = "Ida y vuelta"
purpose = ["Probar."]
scope = ["Pruebas."]

[[fields]]
name = "areas"
label = "Áreas competentes"
type = "participants"
options = ["DGCEF", "DEEF"]

[[fields]]
name = "sentido"
label = "Sentido de la respuesta"
type = "choice"
options = ["Procede", "No procede, por \"falta\" de datos"]

[participants.CAS]
name = "Coordinación de Asesores"

[participants.DGCEF]
name = "Dirección General de Coordinación con Entidades Federativas"

[participants.DEEF]
name = "Dirección de Enlace con Entidades Federativas"

[[stages]]
number = "1.0"
name = "Trámite"
responsible = ["CAS"]

[[stages.activities]]
number = "1.1"
text = "Elige las áreas."
documents = ["Oficio de solicitud", "Anexo «técnico»"]
fields = ["areas"]

[[stages.activities]]
number = "1.2"
text = "Opinan las áreas."
responsible_from = "areas"
fields = ["sentido"]
signature = true
[stages.activities.deadline]
term = "5 días naturales"
from = "completed:1.1"
suspendable = true
regime = "lft"

[[stages.activities]]
number = "1.3"
text = "Archiva."
end = true
"#;

/// What the library does not use yet comes back too: a suspendable term in días naturales,
/// a choice whose option has quotes, a field chosen at an activity.
#[test]
fn a_suspendable_term_and_a_choice_come_back_from_bpmn() {
    let original = parse_procedure(SUSPENDED).unwrap_or_else(|d| panic!("{d:#?}"));
    let xml = export(&original).unwrap();
    let draft = import("ida-vuelta.bpmn", xml.as_bytes(), &units()).unwrap();
    let back = valid(&draft);
    assert_eq!(behaviour(back), behaviour(&original));
    // Named by Turno's attributes, the turns are not reported as drawn.
    assert!(
        draft
            .findings
            .iter()
            .all(|f| !f.message.contains("multiinstancia")),
        "{:#?}",
        draft.findings
    );
}

/// Turno's elements are read in Turno's namespace only, whatever its prefix: another
/// modeler's `field` or `document` is no case field.
#[test]
fn turno_extensions_are_read_by_namespace() {
    let original = parse_procedure(SUSPENDED).unwrap();
    let xml = export(&original).unwrap();
    let renamed = xml
        .replace("<turno:", "<t:")
        .replace("</turno:", "</t:")
        .replace(" turno:", " t:")
        .replace("xmlns:turno=", "xmlns:t=");
    let draft = import("ida-vuelta.bpmn", renamed.as_bytes(), &units()).unwrap();
    assert_eq!(behaviour(valid(&draft)), behaviour(&original));
    let foreign = xml.replace("urn:turno:bpmn", "urn:otro");
    let draft = import("ida-vuelta.bpmn", foreign.as_bytes(), &units()).unwrap();
    let back = valid(&draft);
    assert!(back.fields.is_empty(), "{}", draft.toml);
    assert!(
        back.activities
            .iter()
            .all(|a| a.documents.is_empty() && !a.signature)
    );
}
