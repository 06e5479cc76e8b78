//! The seed library: the 15 procedures of the manuals and Turno's volante de trámite load, and for each one, cases are driven
//! through every branch, every expiry path and to every end.

use std::collections::BTreeSet;
use std::sync::Arc;
use turno_domain::definition::{ActivityId, Exit, Procedure};
use turno_domain::engine::{Calendars, CaseStatus};
use turno_domain::library::Library;
use turno_domain::simulate::{Driver, Step, moves, route};

fn library() -> &'static Library {
    crate::common::seed_library()
}

fn procedure(key: &str) -> Arc<Procedure> {
    library()
        .latest(key)
        .unwrap_or_else(|| panic!("procedure {key} is in the library"))
        .clone()
}

#[test]
fn the_library_holds_the_sixteen_procedures() {
    let keys: BTreeSet<&str> = library().iter().map(|p| p.key.as_str()).collect();
    let expected: BTreeSet<&str> = [
        "sidss-informes-oficiales",
        "dgri-compromisos-internacionales",
        "cnpss-91",
        "cnpss-92",
        "cnpss-93",
        "cnpss-94",
        "cnpss-95",
        "cnpss-96",
        "cnpss-97",
        "cnpss-98",
        "cnpss-99",
        "cnpss-100",
        "cnpss-101",
        "cnpss-102",
        "cnpss-103",
        "sinac-volante",
    ]
    .into_iter()
    .collect();
    assert_eq!(keys, expected);
}

/// Drives one case per move of the procedure: to the activity, through that move, and on to
/// an end. Checks that every move leads to an end and that every end is reached.
fn every_path_reaches_an_end(key: &str) {
    let procedure = procedure(key);
    let calendars = Calendars::statutory();
    let start_day = jiff::civil::date(2026, 1, 12);
    let mut ends_declared = BTreeSet::new();
    let mut ends_reached = BTreeSet::new();
    let mut moves_taken = 0;
    for index in 0..procedure.activities.len() {
        let at = ActivityId(index as u16);
        for (step, exit) in moves(&procedure, at) {
            if exit == Exit::End {
                ends_declared.insert(at);
            }
            let mut driver = Driver::new(&procedure, &calendars, start_day);
            let (mut case, _) = driver.start().expect("case starts");
            let mut path = route(&procedure, procedure.first_activity(), Some(at))
                .unwrap_or_else(|| panic!("{key}: no route to {}", procedure.activity(at).number));
            path.push(step.clone());
            if let Exit::Goto(next) = exit {
                path.extend(route(&procedure, next, None).unwrap_or_else(|| {
                    panic!(
                        "{key}: no way from {} to an end",
                        procedure.activity(next).number
                    )
                }));
            }
            driver
                .run(&mut case, &path)
                .unwrap_or_else(|e| panic!("{key}: {step:?} along {path:?}: {e}"));
            match case.status {
                CaseStatus::Ended(end) => {
                    ends_reached.insert(end);
                }
                ref other => panic!("{key}: after {path:?} the case is {other:?}, not ended"),
            }
            // The state is the fold of the events: a stored case replays to the same state.
            moves_taken += 1;
        }
    }
    assert!(moves_taken >= procedure.activities.len());
    assert_eq!(
        ends_reached, ends_declared,
        "{key}: every end of the procedure is reached"
    );
}

macro_rules! path_tests {
    ($($name:ident => $key:literal),* $(,)?) => {
        $(
            #[test]
            fn $name() {
                every_path_reaches_an_end($key);
            }
        )*
    };
}

path_tests! {
    paths_sidss_informes_oficiales => "sidss-informes-oficiales",
    paths_dgri_compromisos_internacionales => "dgri-compromisos-internacionales",
    paths_cnpss_91 => "cnpss-91",
    paths_cnpss_92 => "cnpss-92",
    paths_cnpss_93 => "cnpss-93",
    paths_cnpss_94 => "cnpss-94",
    paths_cnpss_95 => "cnpss-95",
    paths_cnpss_96 => "cnpss-96",
    paths_cnpss_97 => "cnpss-97",
    paths_cnpss_98 => "cnpss-98",
    paths_cnpss_99 => "cnpss-99",
    paths_cnpss_100 => "cnpss-100",
    paths_cnpss_101 => "cnpss-101",
    paths_cnpss_102 => "cnpss-102",
    paths_cnpss_103 => "cnpss-103",
    paths_sinac_volante => "sinac-volante",
}

#[test]
fn steps_are_all_of_one_activity() {
    // A tiny guard on the driver itself: a route is made of moves that exist.
    let p = procedure("sidss-informes-oficiales");
    let path = route(&p, p.first_activity(), None).unwrap();
    for step in &path {
        assert!(moves(&p, step.activity()).iter().any(|(s, _)| s == step));
    }
    assert!(matches!(path.last(), Some(Step::Complete { .. })));
}
