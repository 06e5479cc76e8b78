//! `turno export xes`: the demo's event log as XES, one trace per case and every activity the
//! record names; checked against the standard's schema and read by pm4py, a process-mining
//! library, which discovers its directly-follows graph (`scripts/xes-check.py`).

use crate::common::{assert_contains, demo, repository_file, stderr, stdout, temp_dir, turno, url};
use std::collections::BTreeSet;
use std::path::Path;
use turno_domain::engine::Event;
use turno_domain::mining::activity_name;
use turno_domain::mining::xes::CANCELLED;
use turno_store::{SqliteStore, Store};

/// What Turno's record holds: its cases, and the activities their work went through (as the
/// log names them: number and text), read case by case from the store.
async fn recorded(db: &Path) -> (usize, BTreeSet<String>) {
    let store = SqliteStore::open(&url(db)).await.unwrap();
    let library = turno_app::library::load(&store, &[], jiff::Timestamp::now())
        .await
        .unwrap();
    let heads = store.record_heads().await.unwrap();
    let mut activities = BTreeSet::new();
    for (folio, _, _) in &heads {
        let id = store.find_case(folio).await.unwrap().unwrap();
        let case = store.load_case(id).await.unwrap();
        let p = library
            .get(&case.procedure_key, case.procedure_version)
            .unwrap();
        for stored in &case.events {
            match &stored.event {
                Event::WorkOpened { activity, .. }
                | Event::WorkTurned { activity, .. }
                | Event::ActivityExpired { activity, .. } => {
                    activities.insert(activity_name(p, *activity));
                }
                Event::CaseCancelled { .. } => {
                    activities.insert(CANCELLED.to_owned());
                }
                _ => {}
            }
        }
    }
    (heads.len(), activities)
}

fn export(db: &Path, out: &Path, extra: &[&str]) -> std::process::Output {
    let db = url(db);
    let out = out.display().to_string();
    let args = [
        &["export", "xes", "--out", &out, "--database-url", &db][..],
        extra,
    ]
    .concat();
    turno(&args)
}

#[test]
fn the_demo_exports_one_trace_per_case() {
    let dir = temp_dir("xes-demo");
    let db = demo(&dir);
    let out = dir.join("demo.xes");
    let done = export(&db, &out, &[]);
    assert!(done.status.success(), "{}", stderr(&done));
    let (cases, _) = tokio::runtime::Runtime::new()
        .unwrap()
        .block_on(recorded(&db));
    assert!(cases > 0);
    let xes = std::fs::read_to_string(&out).unwrap();
    assert_eq!(xes.matches("<trace>").count(), cases);
    assert_contains(&stdout(&done), &format!("{cases} casos"));

    // One procedure's cases only; an unknown one is refused and leaves no file.
    let only = dir.join("volante.xes");
    let done = export(&db, &only, &["--procedure", "sidss-informes-oficiales"]);
    assert!(done.status.success(), "{}", stderr(&done));
    let text = std::fs::read_to_string(&only).unwrap();
    assert!(text.matches("<trace>").count() < cases);
    assert!(!text.contains("value=\"sinac-volante\""));
    let missing = dir.join("missing.xes");
    let done = export(&db, &missing, &["--procedure", "no-existe"]);
    assert!(!done.status.success());
    assert_contains(&stderr(&done), "No existe el procedimiento «no-existe»");
    assert!(!missing.exists());
    // A period the wrong way round.
    let done = export(
        &db,
        &missing,
        &["--from", "2026-02-01", "--to", "2026-01-01"],
    );
    assert!(!done.status.success());
    assert_contains(&stderr(&done), "posterior");
}

/// Needs python3 with pm4py (`python3 -m pip install pm4py`, which brings lxml): run with
/// `cargo nextest run -p turno-cli --test integration --run-ignored all xes`.
#[test]
#[ignore = "needs python3 with pm4py: python3 -m pip install pm4py"]
fn the_demo_log_is_valid_xes_that_pm4py_reads() {
    let dir = temp_dir("xes-pm4py");
    let db = demo(&dir);
    let out = dir.join("demo.xes");
    let done = export(&db, &out, &[]);
    assert!(done.status.success(), "{}", stderr(&done));
    let check = std::process::Command::new("python3")
        .arg(repository_file("scripts/xes-check.py"))
        .arg(&out)
        .output()
        .unwrap();
    let report = String::from_utf8_lossy(&check.stdout).into_owned();
    assert!(check.status.success(), "{report}\n{}", stderr(&check));
    let report: serde_json::Value = serde_json::from_str(report.trim()).unwrap();
    assert_eq!(report["valid"], true, "{report}");
    let (cases, activities) = tokio::runtime::Runtime::new()
        .unwrap()
        .block_on(recorded(&db));
    assert_eq!(report["traces"], cases, "{report}");
    let read: BTreeSet<String> = report["activities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a.as_str().unwrap().to_owned())
        .collect();
    assert_eq!(read, activities);
    assert!(report["dfg_arcs"].as_u64().unwrap() > 0, "{report}");
}
