//! Properties of the engine over random walks through the seed procedures: whatever people
//! answer and however late they are, the record rebuilds the case, the same inputs give the
//! same events, work is only ever open at one activity, and business-day terms never fall due
//! on a non-working day.

use proptest::prelude::*;
use std::sync::OnceLock;
use turno_domain::definition::{DayKind, Procedure};
use turno_domain::engine::{Calendars, Case, CaseStatus, Event};
use turno_domain::simulate::{Driver, moves};

mod common;

fn procedures() -> &'static Vec<Procedure> {
    static ALL: OnceLock<Vec<Procedure>> = OnceLock::new();
    ALL.get_or_init(|| {
        common::seed_library()
            .iter()
            .map(|p| (**p).clone())
            .collect()
    })
}

fn calendars() -> &'static Calendars {
    static CALENDARS: OnceLock<Calendars> = OnceLock::new();
    CALENDARS.get_or_init(Calendars::statutory)
}

/// Walks a case: at each step picks one of the moves of the open activity by `choices`.
fn walk(p: &Procedure, start_offset: i32, choices: &[u8]) -> (Case, Vec<Event>) {
    let mut driver = Driver::new(p, calendars(), jiff::civil::date(2026, 1, 5));
    driver.advance(start_offset);
    let (mut case, mut log) = driver.start().unwrap();
    for choice in choices {
        if case.status != CaseStatus::Open {
            break;
        }
        let activity = case.open[0].activity;
        let mut options = moves(p, activity);
        // An expiry needs a due date to let pass.
        if case.open.iter().all(|w| w.due.is_none()) {
            options.retain(|(s, _)| matches!(s, turno_domain::simulate::Step::Complete { .. }));
        }
        let (step, _) = options[usize::from(*choice) % options.len()].clone();
        log.extend(driver.step(&mut case, &step).unwrap());
    }
    (case, log)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn random_walks_keep_the_engine_invariants(
        which in 0usize..64,
        start_offset in 0i32..800,
        choices in proptest::collection::vec(any::<u8>(), 0..120),
    ) {
        let all = procedures();
        let p = &all[which % all.len()];
        let (case, log) = walk(p, start_offset, &choices);

        // The record rebuilds the case exactly.
        let replayed = Case::replay(&log);
        prop_assert_eq!(replayed.as_ref(), Some(&case));
        // Deterministic: the same inputs give the same events.
        let (_, again) = walk(p, start_offset, &choices);
        prop_assert_eq!(&again, &log);
        // Work is open at one activity at a time, and only while the case is open.
        if let Some(first) = case.open.first() {
            prop_assert!(case.open.iter().all(|w| w.activity == first.activity));
            prop_assert_eq!(&case.status, &CaseStatus::Open);
        }
        // Business-day terms fall due on business days.
        for event in &log {
            if let Event::WorkOpened { activity, due: Some(due), .. } = event {
                let deadline = p.activity(*activity).deadline.as_ref().unwrap();
                if deadline.term.kind == DayKind::Business {
                    prop_assert!(calendars().get(deadline.regime).is_business_day(*due),
                        "{} {} due {due}", p.key, p.activity(*activity).number);
                }
            }
        }
        // Ended cases end at an activity that can end the procedure.
        if let CaseStatus::Ended(at) = case.status {
            prop_assert!(moves(p, at).iter().any(|(_, e)| *e == turno_domain::definition::Exit::End));
        }
    }
}
