//! Properties of the engine over random walks through the seed procedures: whatever people
//! answer and however late they are, the record rebuilds the case, the same inputs give the
//! same events, work is only ever open at one activity, and business-day terms never fall due
//! on a non-working day.

use proptest::prelude::*;
use std::sync::OnceLock;
use turno_domain::calendar::{CalendarData, Scope};
use turno_domain::definition::{DayKind, Procedure};
use turno_domain::engine::{self, Actor, Calendars, Case, CaseStatus, Complete, Event};
use turno_domain::simulate::{Driver, moves};

pub(crate) fn procedures() -> &'static Vec<Procedure> {
    static ALL: OnceLock<Vec<Procedure>> = OnceLock::new();
    ALL.get_or_init(|| {
        crate::common::seed_library()
            .iter()
            .map(|p| (**p).clone())
            .collect()
    })
}

pub(crate) fn calendars() -> &'static Calendars {
    static CALENDARS: OnceLock<Calendars> = OnceLock::new();
    CALENDARS.get_or_init(Calendars::statutory)
}

/// Walks a case: at each step picks one of the moves of the open activity by `choices`.
fn walk(p: &Procedure, start_offset: i32, choices: &[u8]) -> (Case, Vec<Event>) {
    walk_turning(p, start_offset, choices, &[], 0)
}

/// The same walk, but before step `i` the first open work item is turned to `turns[i]` units,
/// which all answer, except those whose bit is set in `withdrawn` (bit n for the n-th unit):
/// those turns are withdrawn instead, the first one after its unit turned its part on. The
/// item must wait for every turn until the last one is answered or withdrawn.
pub(crate) fn walk_turning(
    p: &Procedure,
    start_offset: i32,
    choices: &[u8],
    turns: &[u8],
    withdrawn: u8,
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
            let given: Vec<_> = case.open_turns(first.id).map(|w| w.id).collect();
            for (n, item) in given.into_iter().enumerate() {
                // Until its last turn closes, the item cannot be completed.
                let early = Complete {
                    item: first.id,
                    by: Actor::system(),
                    outcome: None,
                    fields: Default::default(),
                    observations: None,
                    signature: None,
                };
                assert!(matches!(
                    engine::complete(p, &mut case.clone(), early, &ctx),
                    Err(engine::EngineError::TurnsPending { .. })
                ));
                if withdrawn & (1 << n) != 0 {
                    if n == 0 {
                        let sub = engine::Turn {
                            item,
                            by: Actor::system(),
                            units: vec!["U1-A".into()],
                            instruction: "Apóyeme con esto".into(),
                            business_days: None,
                        };
                        log.extend(engine::turn(p, &mut case, sub, &ctx).unwrap());
                    }
                    let withdraw = engine::Withdraw {
                        from: first.id,
                        turn: item,
                        by: Actor::system(),
                        reason: "Turnado por error".into(),
                    };
                    log.extend(engine::withdraw(p, &mut case, withdraw, &ctx).unwrap());
                    assert!(case.open.iter().all(|w| w.id != item && w.turn.as_ref().is_none_or(|t| t.from != item)));
                } else {
                    let done = Complete {
                        item,
                        by: Actor::system(),
                        outcome: None,
                        fields: Default::default(),
                        observations: Some("Atendido".into()),
                        signature: None,
                    };
                    log.extend(engine::complete(p, &mut case, done, &ctx).unwrap());
                    // An answered turn can no longer be withdrawn, and the refusal changes
                    // nothing.
                    let before = case.clone();
                    let late = engine::Withdraw {
                        from: first.id,
                        turn: item,
                        by: Actor::system(),
                        reason: "Tarde".into(),
                    };
                    assert_eq!(
                        engine::withdraw(p, &mut case, late, &ctx),
                        Err(engine::EngineError::TurnClosed(item))
                    );
                    assert_eq!(case, before);
                }
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
        let (turned, turned_log) = walk_turning(p, start_offset, &choices, &turns, 0);
        prop_assert_eq!(opened(&turned_log), opened(&plain_log));
        prop_assert_eq!(&turned.status, &plain.status);
        prop_assert_eq!(&turned.fields, &plain.fields);
        let replayed = Case::replay(&turned_log);
        prop_assert_eq!(replayed.as_ref(), Some(&turned));
        prop_assert!(turned.open.iter().all(|w| w.turn.is_none()), "every turn was answered");
    }

    /// A withdrawn turn never changes where the case goes either: with some turns withdrawn
    /// (one after its unit turned its part on) and the rest answered, the same activities
    /// open, each item completes once its remaining turns answered, and the record rebuilds
    /// the case.
    #[test]
    fn withdrawn_turns_never_change_where_a_case_goes(
        which in 0usize..64,
        start_offset in 0i32..800,
        choices in proptest::collection::vec(any::<u8>(), 0..60),
        turns in proptest::collection::vec(0u8..4, 1..16),
        withdrawn in any::<u8>(),
    ) {
        let all = procedures();
        let p = &all[which % all.len()];
        let (plain, plain_log) = walk(p, start_offset, &choices);
        let (turned, turned_log) = walk_turning(p, start_offset, &choices, &turns, withdrawn);
        prop_assert_eq!(opened(&turned_log), opened(&plain_log));
        prop_assert_eq!(&turned.status, &plain.status);
        prop_assert_eq!(&turned.fields, &plain.fields);
        let replayed = Case::replay(&turned_log);
        prop_assert_eq!(replayed.as_ref(), Some(&turned));
        prop_assert!(turned.open.iter().all(|w| w.turn.is_none()), "no turn is left open");
    }

    /// Counting the due dates again on the calendar they were counted on moves nothing.
    #[test]
    fn recounting_on_the_same_calendar_records_nothing(
        which in 0usize..64,
        start_offset in 0i32..800,
        choices in proptest::collection::vec(any::<u8>(), 0..60),
        turns in proptest::collection::vec(0u8..4, 1..8),
    ) {
        let all = procedures();
        let p = &all[which % all.len()];
        let (mut case, _) = walk_turning(p, start_offset, &choices, &turns, 0);
        let ctx = context(calendars(), jiff::civil::date(2026, 1, 5));
        let before = case.clone();
        prop_assert_eq!(engine::recount(p, &mut case, &ctx, "sin cambios").unwrap(), vec![]);
        prop_assert_eq!(case, before);
    }

}

proptest! {
    // Each case builds a calendar of its own (a few milliseconds): fewer cases.
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// A día inhábil added strictly inside a running business-day term pushes its due date to
    /// the next business day after it; the record still rebuilds the case.
    #[test]
    fn a_day_off_inside_a_term_moves_its_due_date_one_business_day(
        which in 0usize..64,
        start_offset in 0i32..800,
        choices in proptest::collection::vec(any::<u8>(), 0..8),
        term in 2u16..60,
        pick in any::<u16>(),
    ) {
        let all = procedures();
        let p = &all[which % all.len()];
        let (mut case, mut log) = walk(p, start_offset, &choices);
        prop_assume!(case.open.first().is_some_and(|w| !w.awaiting_subprocedure));
        // A turn gives every walk a business-day term besides the procedure's own.
        let today = jiff::civil::date(2026, 1, 5);
        let turn = engine::Turn {
            item: case.open[0].id,
            by: Actor::system(),
            units: vec!["U1".into()],
            instruction: "Para su atención".into(),
            business_days: Some(term),
        };
        log.extend(engine::turn(p, &mut case, turn, &context(calendars(), today)).unwrap());
        let running: Vec<_> = case
            .open
            .iter()
            .filter(|w| !w.overdue && w.suspended.is_none())
            .filter_map(|w| Some((w.id, w.due?, w.basis?)))
            .filter(|(_, due, basis)| basis.kind == DayKind::Business && *due > basis.from)
            .collect();
        let (item, due, basis) = running[usize::from(pick) % running.len()];
        let calendar = calendars().get(basis.regime);
        let inside = calendar.count_business_days(basis.from, due) - 1;
        prop_assume!(inside > 0);
        let day = calendar
            .add_business_days(basis.from, 1 + i32::from(pick) % inside)
            .unwrap();
        let text = format!("[[days]]\ndate = \"{day}\"\nname = \"Acuerdo de prueba\"\n");
        let data = CalendarData::parse("prueba.toml", &text).unwrap();
        let changed = Calendars::build(&data, Scope::default());
        let ctx = context(&changed, basis.from);
        let events = engine::recount(p, &mut case, &ctx, "se agregó un día").unwrap();
        let expected = changed.get(basis.regime).add_business_days(due, 1).unwrap();
        let moved = events.iter().find_map(|e| match e {
            Event::DueRecounted { item: i, previous, due, .. } if *i == item => Some((*previous, *due)),
            _ => None,
        });
        prop_assert_eq!(moved, Some((due, expected)));
        log.extend(events);
        let replayed = Case::replay(&log);
        prop_assert_eq!(replayed.as_ref(), Some(&case));
    }
}

fn context(calendars: &Calendars, today: jiff::civil::Date) -> engine::Context<'_> {
    engine::Context {
        now: jiff::Timestamp::UNIX_EPOCH,
        today,
        calendars,
    }
}
