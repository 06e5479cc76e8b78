//! In-memory activity completions per second on one core, for procedure 94 (the longest, with
//! parallel turns to four Direcciones Generales) and seed 000 (the review loop).
//!
//! Also the cost of one due-date computation (45 días hábiles), which every opened activity
//! with a term pays.
//!
//! Run: `cargo bench -p turno-domain --bench engine`. Each case is driven from its start to an
//! end along the path the simulator picks; starting the case is included in the time.

#![allow(
    clippy::print_stdout,
    clippy::unwrap_used,
    clippy::panic,
    reason = "a benchmark prints its measurements and stops at its first failure"
)]

use std::hint::black_box;
use std::time::{Duration, Instant};
use turno_domain::definition::{Procedure, parse_procedure};
use turno_domain::engine::{self, Actor, Calendars, Complete, Context};
use turno_domain::simulate::{Step, route, sample_fields};

fn main() {
    let calendars = Calendars::statutory();
    for (name, text) in [
        (
            "cnpss-94",
            include_str!("../../../procedures/cnpss-94.toml"),
        ),
        (
            "sidss-informes-oficiales (seed 000)",
            include_str!("../../../procedures/sidss-informes-oficiales.toml"),
        ),
    ] {
        let procedure = parse_procedure(text).expect("valid definition");
        let (rate, per_case) = completions_per_second(&procedure, &calendars);
        println!("{name}: {rate:.0} completions/s ({per_case} completions per case, start to end)");
    }
    println!(
        "add_business_days(45), LFPA: {:.1} ns per call",
        nanoseconds_per_due_date(&calendars)
    );
}

fn nanoseconds_per_due_date(calendars: &Calendars) -> f64 {
    let calendar = calendars.get(turno_domain::calendar::Regime::Lfpa);
    let first = jiff::civil::date(2026, 1, 1);
    let starts: Vec<jiff::civil::Date> = (0..700)
        .map(|k| calendar.add_natural_days(first, k).unwrap())
        .collect();
    let rounds = 10_000_000u32;
    let started = Instant::now();
    for k in 0..rounds {
        let start = starts[k as usize % starts.len()];
        black_box(calendar.add_business_days(black_box(start), 45).unwrap());
    }
    started.elapsed().as_nanos() as f64 / f64::from(rounds)
}

fn completions_per_second(p: &Procedure, calendars: &Calendars) -> (f64, u64) {
    let today = jiff::civil::date(2026, 3, 2);
    let ctx = Context {
        now: jiff::Timestamp::from_second(1_772_445_600).unwrap(),
        today,
        calendars,
    };
    let path = route(p, p.first_activity(), None).expect("a way to an end");
    let fields = sample_fields(p, today);
    let run_case = || {
        let (mut case, _) = engine::start(
            p,
            engine::Start {
                by: Actor::system(),
                fields: fields.clone(),
            },
            &ctx,
        )
        .unwrap();
        let mut completions = 0u64;
        for step in &path {
            let Step::Complete { answer, .. } = step else {
                unreachable!("the shortest path takes no expiry")
            };
            while let Some(item) = case.open.first().map(|w| w.id) {
                let events = engine::complete(
                    p,
                    &mut case,
                    Complete {
                        item,
                        by: Actor::system(),
                        outcome: answer.clone(),
                        fields: Default::default(),
                        observations: None,
                        signature: None,
                    },
                    &ctx,
                )
                .unwrap();
                completions += 1;
                let moved_on = events
                    .iter()
                    .any(|e| !matches!(e, engine::Event::WorkCompleted { .. }));
                black_box(events);
                if moved_on {
                    break;
                }
            }
        }
        completions
    };
    // Warm up, then measure for about two seconds.
    let per_case = run_case();
    for _ in 0..1_000 {
        black_box(run_case());
    }
    let started = Instant::now();
    let mut completions = 0u64;
    while started.elapsed() < Duration::from_secs(2) {
        for _ in 0..1_000 {
            completions += run_case();
        }
    }
    (
        completions as f64 / started.elapsed().as_secs_f64(),
        per_case,
    )
}
