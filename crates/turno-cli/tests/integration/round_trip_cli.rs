//! Round trips of the whole library (issue 21): every procedure's official manual written as a
//! PDF and read back through pdftotext and the manual reader, and every procedure exported as
//! BPMN and imported back; each draft compared with the definition it came from (activities,
//! responsibles, decision targets), and what differs listed. The issue asks for 100 %; the
//! floors below are what the round trips reach today (BENCHMARKS.md: BPMN reaches it), so that
//! they cannot fall back, and each failure lists every difference.

use crate::common::repository_tomls;
use turno_domain::definition::{Procedure, Route};
use turno_domain::library::{Library, Source};
use turno_domain::manual::score::{Score, compare};

fn library() -> Library {
    let procedures = repository_tomls("procedures");
    let sources: Vec<Source> = procedures
        .iter()
        .map(|(name, text)| Source { name, text })
        .collect();
    Library::load(&sources).unwrap()
}

/// What a round trip must reach at least: procedures back exactly, and the share of
/// activities, responsibles and decision targets.
struct Floor {
    exact: usize,
    activities: f64,
    responsibles: f64,
    decision_targets: f64,
}

/// Compares each draft with its definition and fails, listing every difference, when the
/// figures fall under `floor`.
fn assert_at_least(format: &str, pairs: &[(Option<Procedure>, &Procedure, String)], floor: Floor) {
    let mut total = Score::default();
    let mut exact = 0;
    let mut problems = Vec::new();
    for (draft, original, report) in pairs {
        let Some(draft) = draft else {
            problems.push(format!(
                "{}: the draft does not load:\n{report}",
                original.key
            ));
            // Nothing of it came back: every activity and answer counts as missed.
            let n = original.activities.len();
            total.activities.total += n;
            total.responsibles.total += n;
            total.decision_targets.total += original
                .activities
                .iter()
                .map(|a| {
                    let expiry = a.deadline.as_ref().is_some_and(|t| t.on_expiry.is_some());
                    usize::from(expiry)
                        + match &a.route {
                            Route::Decide { branches, .. } => branches.len(),
                            Route::Continue(_) => 0,
                        }
                })
                .sum::<usize>();
            continue;
        };
        let score = compare(draft, original);
        if score.misses.is_empty() && draft.activities.len() == original.activities.len() {
            exact += 1;
        } else if draft.activities.len() != original.activities.len() {
            problems.push(format!(
                "{}: {} activities read, {} written",
                original.key,
                draft.activities.len(),
                original.activities.len()
            ));
        }
        total.merge(score);
    }
    problems.extend(total.misses.iter().cloned());
    let reached = exact >= floor.exact
        && total.activities.share() >= floor.activities
        && total.responsibles.share() >= floor.responsibles
        && total.decision_targets.share() >= floor.decision_targets;
    assert!(
        reached,
        "{format}: {exact}/{} procedures round-tripped exactly; activities {}, responsibles {}, decision targets {}; differences:\n{}",
        pairs.len(),
        total.activities,
        total.responsibles,
        total.decision_targets,
        problems.join("\n")
    );
}

#[test]
fn every_procedures_pdf_manual_reads_back_into_the_same_definition() {
    let library = library();
    let units = turno_app::manual::units(&repository_tomls("org")).unwrap();
    let mut pairs = Vec::new();
    for original in library.newest() {
        let (procedure, manual) =
            turno_app::official_manual::official_manual(&library, &original.key, None).unwrap();
        let pdf =
            turno_web::manual::write(&procedure, &manual, turno_web::manual::Format::Pdf).unwrap();
        let text = match turno_app::manual::manual_text(&pdf) {
            Ok(text) => text,
            // CI installs poppler-utils (scripts/test.sh): there a missing pdftotext fails.
            Err(turno_app::manual::ManualError::NoPdfToText)
                if std::env::var("CI").as_deref() != Ok("true") =>
            {
                return;
            }
            Err(e) => panic!("{}: {e}", original.key),
        };
        let import = turno_app::manual::import_manual(&original.key, &text, &units, "rt").unwrap();
        // One procedure read back; else the report says why, and nothing is compared.
        let draft = match import.drafts.as_slice() {
            [draft] => draft.procedure.clone(),
            _ => None,
        };
        pairs.push((draft, original.as_ref(), import.report));
    }
    assert_eq!(pairs.len(), 20);
    assert_at_least(
        "manual (PDF)",
        &pairs,
        // The reader reads the table by its columns, a term's expiry path, candidates chosen
        // per case and a second printed number (BENCHMARKS.md): 19 of 20 come back exactly.
        Floor {
            exact: 19,
            activities: 0.99,
            responsibles: 0.99,
            decision_targets: 0.99,
        },
    );
}

#[test]
fn every_procedure_exported_as_bpmn_imports_back_into_the_same_definition() {
    let library = library();
    let org = repository_tomls("org");
    let mut pairs = Vec::new();
    for original in library.newest() {
        let file = turno_app::library::bpmn(&library, &original.key, None).unwrap();
        let draft =
            turno_app::bpmn_import::import_bpmn(&file.name, file.xml.as_bytes(), &org).unwrap();
        let report = draft.report(&file.name);
        pairs.push((draft.procedure, original.as_ref(), report));
    }
    assert_eq!(pairs.len(), 20);
    // Every activity under its number with its text, its responsible (the candidates of the
    // field that chooses them per case, `turno:field` and `turno:responsibleFrom`), every
    // decision's answers where they went.
    assert_at_least(
        "BPMN",
        &pairs,
        Floor {
            exact: 20,
            activities: 1.0,
            responsibles: 1.0,
            decision_targets: 1.0,
        },
    );
}
