//! Properties of the engine over random walks through the seed procedures: whatever people
//! answer and however late they are, the record rebuilds the case, the same inputs give the
//! same events, work is only ever open at one activity, and business-day terms never fall due
//! on a non-working day.

use proptest::prelude::*;
use std::sync::OnceLock;
use turno_domain::definition::{DayKind, Procedure};
use turno_domain::engine::{self, Actor, Calendars, Case, CaseStatus, Complete, Event};
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
    walk_turning(p, start_offset, choices, &[])
}

/// The same walk, but before step `i` the first open work item is turned to `turns[i]` units,
/// which all answer.
fn walk_turning(
    p: &Procedure,
    start_offset: i32,
    choices: &[u8],
    turns: &[u8],
) -> (Case, Vec<Event>) {
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
        let units = turns
            .get(log.len() % turns.len().max(1))
            .copied()
            .unwrap_or(0);
        let first = case.open[0].clone();
        if units > 0 && !first.awaiting_subprocedure {
            let ctx = driver.context();
            log.extend(
                engine::turn(
                    p,
                    &mut case,
                    engine::Turn {
                        item: first.id,
                        by: Actor::system(),
                        units: (1..=units).map(|n| format!("U{n}")).collect(),
                        instruction: "Para su atención".into(),
                        business_days: Some(u16::from(units)),
                    },
                    &ctx,
                )
                .unwrap(),
            );
            let answers: Vec<_> = case.open_turns(first.id).map(|w| w.id).collect();
            for item in answers {
                let done = Complete {
                    item,
                    by: Actor::system(),
                    outcome: None,
                    fields: Default::default(),
                    observations: Some("Atendido".into()),
                };
                log.extend(engine::complete(p, &mut case, done, &ctx).unwrap());
            }
        }
        log.extend(driver.step(&mut case, &step).unwrap());
    }
    (case, log)
}

/// The activities a record opened, in order.
fn opened(log: &[Event]) -> Vec<turno_domain::definition::ActivityId> {
    log.iter()
        .filter_map(|e| match e {
            Event::WorkOpened { activity, .. } => Some(*activity),
            _ => None,
        })
        .collect()
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

    /// Turning work to other units and hearing their answers never changes where the case
    /// goes: the same activities open, the case ends the same way, and the record still
    /// rebuilds it.
    #[test]
    fn turns_never_change_where_a_case_goes(
        which in 0usize..64,
        start_offset in 0i32..800,
        choices in proptest::collection::vec(any::<u8>(), 0..60),
        turns in proptest::collection::vec(0u8..4, 1..16),
    ) {
        let all = procedures();
        let p = &all[which % all.len()];
        let (plain, plain_log) = walk(p, start_offset, &choices);
        let (turned, turned_log) = walk_turning(p, start_offset, &choices, &turns);
        prop_assert_eq!(opened(&turned_log), opened(&plain_log));
        prop_assert_eq!(&turned.status, &plain.status);
        prop_assert_eq!(&turned.fields, &plain.fields);
        let replayed = Case::replay(&turned_log);
        prop_assert_eq!(replayed.as_ref(), Some(&turned));
        prop_assert!(turned.open.iter().all(|w| w.turn.is_none()), "every turn was answered");
    }
}
