//! The seed library: the 15 procedures of the manuals, Turno's volante de trámite and the four
//! definitions of issue 19 (transparency, audits, agreements) load, and for each one, cases are
//! driven through every branch, every expiry path and to every end.

use std::collections::BTreeSet;
use std::sync::Arc;
use turno_domain::definition::{ActivityId, Assignment, Exit, Procedure};
use turno_domain::engine::{self, Actor, Calendars, CaseStatus, Start, Value};
use turno_domain::library::Library;
use turno_domain::simulate::{Driver, Step, moves, route, sample_fields};

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
fn the_library_holds_the_twenty_definitions() {
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
        "transparencia-solicitud",
        "transparencia-recurso",
        "auditoria",
        "acuerdos-reunion",
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
    paths_transparencia_solicitud => "transparencia-solicitud",
    paths_transparencia_recurso => "transparencia-recurso",
    paths_auditoria => "auditoria",
    paths_acuerdos_reunion => "acuerdos-reunion",
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

/// The Direcciones Generales of cnpss-94 that policy 3.8 (printed 6.8) lets a supervision
/// choose, as a bit mask over them.
const DGS: [&str; 4] = ["DGAO", "DGF", "DGGSS", "DGPO"];

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(15))]
    /// Whichever Direcciones Generales a supervision is registered with, every activity of
    /// theirs is turned to exactly those (one work item each), the others get nothing, and
    /// the case moves on when the chosen ones have answered, to its end.
    #[test]
    fn a_supervision_waits_only_on_the_chosen_directions(mask in 1usize..16) {
        let p = procedure("cnpss-94");
        let chosen: Vec<&str> = DGS
            .iter()
            .enumerate()
            .filter(|(i, _)| mask & (1 << i) != 0)
            .map(|(_, key)| *key)
            .collect();
        let calendars = Calendars::statutory();
        let mut driver = Driver::new(&p, &calendars, jiff::civil::date(2026, 1, 12));
        let mut fields = sample_fields(&p, driver.today);
        fields.insert(
            "direcciones_supervisoras".into(),
            Value::Participants(chosen.iter().map(|k| (*k).to_owned()).collect()),
        );
        let (mut case, _) = engine::start(
            &p,
            Start { by: Actor::system(), fields },
            &driver.context(),
        )
        .unwrap();
        // Through the first and second follow-ups (stage 33.0) to an end.
        let last = p.activity_by_number("33.2").unwrap();
        let mut path = route(&p, p.first_activity(), Some(last)).unwrap();
        path.extend(route(&p, last, None).unwrap());
        let mut theirs = 0;
        for step in &path {
            let activity = p.activity(step.activity());
            if matches!(activity.assignment, Assignment::FromField(_)) {
                let mut turned: Vec<&str> = case
                    .open
                    .iter()
                    .filter(|w| w.activity == step.activity())
                    .map(|w| p.participant(w.participant.unwrap()).key.as_str())
                    .collect();
                turned.sort_unstable();
                proptest::prop_assert_eq!(&turned, &chosen, "{}", activity.number);
                theirs += 1;
            }
            driver.step(&mut case, step).unwrap();
        }
        proptest::prop_assert!(matches!(case.status, CaseStatus::Ended(_)));
        proptest::prop_assert!(theirs >= 10, "{theirs} activities of the directions walked");
    }
}

#[test]
fn every_activity_of_the_directions_is_chosen_per_supervision() {
    let p = procedure("cnpss-94");
    let field = p.field_by_name("direcciones_supervisoras").unwrap();
    assert!(p.field(field).required, "chosen when it is registered");
    assert_eq!(p.field(field).options, DGS);
    // No activity is turned to a Dirección General by name any more: the 17 of the manual's
    // columns (3.1, 4.4–4.6, 5.1, 5.2, 7.1, 7.2, 12.1, 15.1, 21.1, 25.1–25.3, 27.1, 33.1, 33.2)
    // follow the choice.
    let dgs: Vec<_> = DGS
        .iter()
        .map(|k| p.participant_by_key(k).unwrap())
        .collect();
    let mut chosen = Vec::new();
    for a in &p.activities {
        match &a.assignment {
            Assignment::Fixed(ids) => {
                assert!(!ids.iter().any(|id| dgs.contains(id)), "{}", a.number);
            }
            Assignment::FromField(f) => {
                assert_eq!(*f, field);
                assert!(a.parallel, "{}: each direction its own report", a.number);
                chosen.push(a.number.as_str());
            }
        }
    }
    assert_eq!(chosen.len(), 17, "{chosen:?}");
}

/// No field of a shipped definition takes a name the registration form gives the case's own
/// data (title, channel, requester), the name of the completion form's own inputs (the
/// decision's answer, the observations, the e.firma) or their hidden inputs: two controls of
/// one name would merge their values (cnpss-92's «asunto», renamed `asunto_reunion` in its
/// version 2; the audit's «observaciones», which the activity's observations overwrote,
/// renamed `observaciones_por_solventar` in its version 2).
#[test]
fn no_field_is_named_like_the_case_own_data() {
    const TAKEN: [&str; 12] = [
        "asunto",
        "medio",
        "solicitante",
        "procedimiento",
        "outcome",
        "observaciones",
        "firma",
        "certificado",
        "csrf",
        "clave",
        "version",
        "item",
    ];
    for p in library().newest() {
        for field in &p.fields {
            assert!(
                !TAKEN.contains(&field.name.as_str()),
                "{} names a field «{}»",
                p.key,
                field.name
            );
        }
    }
}
