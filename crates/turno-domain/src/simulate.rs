//! Drives cases along chosen paths of a procedure, the way people would: shortest routes
//! between activities, sample field values, and a clock that moves to make deadlines expire.
//! Used by the path tests of the seed library, the benchmarks and the demo data. An activity
//! that asks for an e.firma is completed with a simulated one ([`simulated_signature`]): no
//! certificate and no signature, only the digest of the signed text the engine checks; it
//! never reaches a store through the application, which verifies every e.firma.

use crate::definition::{ActivityId, Anchor, Exit, FieldDef, FieldId, FieldType, Procedure, Route};
use crate::engine::{
    self, Actor, Calendars, Case, Complete, Context, DueStatus, EngineError, Event, Signature,
    Start, Thresholds, Value, WorkItem,
};
use jiff::civil::Date;
use jiff::{Timestamp, ToSpan};
use std::collections::{BTreeMap, VecDeque};

/// One move along the procedure's graph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// Complete every open work item of the activity, answering `answer` if it is a decision.
    Complete {
        activity: ActivityId,
        answer: Option<String>,
    },
    /// Let the activity's deadline pass so that its expiry path is taken.
    Expire { activity: ActivityId },
}

impl Step {
    pub fn activity(&self) -> ActivityId {
        match self {
            Step::Complete { activity, .. } | Step::Expire { activity } => *activity,
        }
    }
}

/// Every move out of an activity, and where it leads.
pub fn moves(procedure: &Procedure, from: ActivityId) -> Vec<(Step, Exit)> {
    let activity = procedure.activity(from);
    let mut out: Vec<(Step, Exit)> = match &activity.route {
        Route::Continue(exit) => vec![(
            Step::Complete {
                activity: from,
                answer: None,
            },
            *exit,
        )],
        Route::Decide { branches, .. } => branches
            .iter()
            .map(|b| {
                (
                    Step::Complete {
                        activity: from,
                        answer: Some(b.answer.clone()),
                    },
                    b.exit,
                )
            })
            .collect(),
    };
    if let Some(target) = activity.deadline.as_ref().and_then(|d| d.on_expiry) {
        out.push((Step::Expire { activity: from }, Exit::Goto(target)));
    }
    out
}

/// The shortest sequence of moves from `from` to the opening of `to` (`Some(to)`) or to an end
/// of the procedure (`None`). Expiry moves are used only when no other way exists.
pub fn route(procedure: &Procedure, from: ActivityId, to: Option<ActivityId>) -> Option<Vec<Step>> {
    let n = procedure.activities.len();
    let mut previous: Vec<Option<(ActivityId, Step)>> = vec![None; n];
    let mut seen = vec![false; n];
    let mut queue = VecDeque::from([from]);
    seen[usize::from(from.0)] = true;
    let path_to = |previous: &Vec<Option<(ActivityId, Step)>>, mut at: ActivityId| {
        let mut steps = Vec::new();
        while at != from {
            let (before, step) = previous[usize::from(at.0)].clone()?;
            steps.push(step);
            at = before;
        }
        steps.reverse();
        Some(steps)
    };
    if to == Some(from) {
        return Some(Vec::new());
    }
    while let Some(at) = queue.pop_front() {
        let mut options = moves(procedure, at);
        options.sort_by_key(|(step, _)| matches!(step, Step::Expire { .. }));
        for (step, exit) in options {
            match exit {
                Exit::End if to.is_none() => {
                    let mut steps = path_to(&previous, at)?;
                    steps.push(step);
                    return Some(steps);
                }
                Exit::End => {}
                Exit::Goto(next) => {
                    if !seen[usize::from(next.0)] {
                        seen[usize::from(next.0)] = true;
                        previous[usize::from(next.0)] = Some((at, step));
                        if Some(next) == to {
                            return path_to(&previous, next);
                        }
                        queue.push_back(next);
                    }
                }
            }
        }
    }
    None
}

/// A plausible value for a field, for tests and demo data.
pub fn sample_value(field: &FieldDef, today: Date) -> Value {
    match field.ty {
        FieldType::Text | FieldType::LongText => Value::Text(format!("{} de prueba", field.label)),
        FieldType::Choice => Value::Text(field.options.first().cloned().unwrap_or_default()),
        FieldType::Integer => Value::Integer(1),
        FieldType::Decimal => Value::Decimal("1.00".into()),
        // In the future, so that deadlines counted back from it ("10 días antes") are too.
        FieldType::Date => Value::Date(today.checked_add(60.days()).unwrap_or(today)),
        FieldType::Boolean => Value::Boolean(true),
        FieldType::Participants => Value::Participants(field.options.clone()),
    }
}

/// Sample values for the fields of the procedure known when a case starts: a date that restarts
/// a term when a later event happens (the answer to a prevención, a deadline's `otherwise_from`)
/// is left empty, as a person registering the case would leave it.
pub fn sample_fields(procedure: &Procedure, today: Date) -> BTreeMap<String, Value> {
    let later: Vec<FieldId> = procedure
        .activities
        .iter()
        .filter_map(|a| a.deadline.as_ref())
        .filter(|d| d.otherwise.is_some())
        .filter_map(|d| match d.anchor {
            Anchor::Field(field) => Some(field),
            _ => None,
        })
        .collect();
    procedure
        .fields
        .iter()
        .enumerate()
        .filter(|(i, _)| !later.contains(&FieldId(*i as u16)))
        .map(|(_, f)| (f.name.clone(), sample_value(f, today)))
        .collect()
}

/// A case to start on `start` and take along `steps` (completions only, all on that day), so
/// that on a later day its open work reads a chosen colour of the semáforo.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Showing {
    pub start: Date,
    pub steps: Vec<Step>,
}

/// How far back a case may start to show a colour: terms of the seeds run up to a few months.
const FURTHEST_BACK: i64 = 400;

/// Where to start a case of `procedure` and how far to take it along its shortest route so
/// that on `today` its open work reads `want` on the semáforo, on the definition's own terms:
/// the demo's cases of every colour, by moving the clock back as the simulator does. The
/// first activity of the route whose term can show it is chosen, and the latest start that
/// does; an overdue one stays open when its term passes (no expiry path takes it away). `None`
/// when no activity on the route has such a term.
pub fn showing(
    procedure: &Procedure,
    calendars: &Calendars,
    thresholds: Thresholds,
    today: Date,
    want: DueStatus,
) -> Option<Showing> {
    let path = route(procedure, procedure.first_activity(), None)?;
    let completions = path
        .iter()
        .take_while(|s| matches!(s, Step::Complete { .. }))
        .count();
    let reads = |start: Date, steps: &[Step]| -> Option<DueStatus> {
        let mut driver = Driver::new(procedure, calendars, start);
        let (mut case, _) = driver.start().ok()?;
        driver.run(&mut case, steps).ok()?;
        let item = case.open.first()?;
        let due = item.due.filter(|due| *due >= start)?;
        let counted_from = item.basis.and_then(|basis| basis.counted_from());
        let status = thresholds.status(engine::term_start(start, counted_from), due, today);
        if status == DueStatus::Overdue {
            // The sweep records the deadline passed; an expiry would move the case on instead.
            let mut later = case.clone();
            let ctx = Context {
                now: driver.now,
                today,
                calendars,
            };
            let events = engine::pass_time(procedure, &mut later, &ctx).ok()?;
            if events
                .iter()
                .any(|e| matches!(e, Event::ActivityExpired { .. }))
            {
                return None;
            }
        }
        Some(status)
    };
    for taken in 0..completions {
        let steps = &path[..taken];
        // The term as it runs from today, to aim the start near where it shows `want`.
        let mut driver = Driver::new(procedure, calendars, today);
        let Some(term) = driver
            .start()
            .ok()
            .and_then(|(mut case, _)| {
                driver.run(&mut case, steps).ok()?;
                let due = case.open.first()?.due?;
                Some(i64::from(today.until(due).ok()?.get_days()))
            })
            .filter(|days| *days > 0)
        else {
            continue;
        };
        let backs: Vec<i64> = match want {
            DueStatus::OnTime => vec![0],
            DueStatus::DueSoon => (term * 7 / 10..=term + 2).rev().collect(),
            DueStatus::Overdue => (term + 3..=term + 40).collect(),
        };
        for back in backs
            .into_iter()
            .filter(|b| (0..=FURTHEST_BACK).contains(b))
        {
            let Ok(start) = today.checked_sub(back.days()) else {
                continue;
            };
            if reads(start, steps) == Some(want) {
                return Some(Showing {
                    start,
                    steps: steps.to_vec(),
                });
            }
        }
    }
    None
}

/// Runs cases of one procedure with its own clock.
pub struct Driver<'a> {
    pub procedure: &'a Procedure,
    pub calendars: &'a Calendars,
    pub today: Date,
    pub now: Timestamp,
}

impl<'a> Driver<'a> {
    pub fn new(procedure: &'a Procedure, calendars: &'a Calendars, today: Date) -> Self {
        let now = today
            .to_datetime(jiff::civil::time(10, 0, 0, 0))
            .to_zoned(jiff::tz::TimeZone::UTC)
            .map(|z| z.timestamp())
            .unwrap_or(Timestamp::UNIX_EPOCH);
        Driver {
            procedure,
            calendars,
            today,
            now,
        }
    }

    pub fn context(&self) -> Context<'a> {
        Context {
            now: self.now,
            today: self.today,
            calendars: self.calendars,
        }
    }

    /// Starts a case with sample values in every field.
    pub fn start(&self) -> Result<(Case, Vec<Event>), EngineError> {
        engine::start(
            self.procedure,
            Start {
                by: Actor::system(),
                fields: sample_fields(self.procedure, self.today),
            },
            &self.context(),
        )
    }

    /// Moves the clock forward by whole days.
    pub fn advance(&mut self, days: i32) {
        if let Ok(d) = self.today.checked_add(days.days()) {
            self.today = d;
        }
        if let Ok(t) = self
            .now
            .checked_add(jiff::SignedDuration::from_hours(24 * i64::from(days)))
        {
            self.now = t;
        }
    }

    /// Sample values for the fields the activity asks for that the case does not hold yet (the
    /// date a prevención was answered, recorded when it is).
    fn missing_fields(&self, case: &Case, activity: ActivityId) -> BTreeMap<String, Value> {
        self.procedure
            .activity(activity)
            .fields
            .iter()
            .map(|id| self.procedure.field(*id))
            .filter(|f| !case.fields.contains_key(&f.name))
            .map(|f| {
                let value = match f.ty {
                    // An event's date is recorded on the day it happens.
                    FieldType::Date => Value::Date(self.today),
                    _ => sample_value(f, self.today),
                };
                (f.name.clone(), value)
            })
            .collect()
    }

    /// Performs one step on the case and returns its events.
    pub fn step(&mut self, case: &mut Case, step: &Step) -> Result<Vec<Event>, DriveError> {
        let activity = step.activity();
        let items: Vec<_> = case
            .open
            .iter()
            .filter(|w| w.activity == activity)
            .cloned()
            .collect();
        if items.is_empty() {
            return Err(DriveError::NotOpen(
                self.procedure.activity(activity).number.clone(),
            ));
        }
        let mut events = Vec::new();
        match step {
            Step::Complete { answer, .. } => {
                // An answer that stands for the term running out waits for the term to run.
                if answer
                    .as_deref()
                    .and_then(|a| self.procedure.activity(activity).branch(a))
                    .is_some_and(|b| b.expiry)
                {
                    self.let_term_run(&items, activity)?;
                }
                for item in items {
                    let ctx = self.context();
                    let more = if item.awaiting_subprocedure {
                        engine::subprocedure_ended(
                            self.procedure,
                            case,
                            item.id,
                            "SUB-0001".into(),
                            &ctx,
                        )?
                    } else {
                        let mut input = Complete {
                            item: item.id,
                            by: Actor::system(),
                            outcome: answer.clone(),
                            fields: self.missing_fields(case, activity),
                            observations: None,
                            signature: None,
                        };
                        if item.turn.is_none() && self.procedure.activity(activity).signature {
                            input.signature =
                                Some(simulated_signature(self.procedure, case, &input, self.now)?);
                        }
                        engine::complete(self.procedure, case, input, &ctx)?
                    };
                    events.extend(more);
                }
            }
            Step::Expire { .. } => {
                self.let_term_run(&items, activity)?;
                events.extend(engine::pass_time(self.procedure, case, &self.context())?);
            }
        }
        Ok(events)
    }

    /// Moves the clock to the day after the latest due date of the activity's open work.
    fn let_term_run(&mut self, items: &[WorkItem], activity: ActivityId) -> Result<(), DriveError> {
        let due = items.iter().filter_map(|w| w.due).max().ok_or_else(|| {
            DriveError::NoDueDate(self.procedure.activity(activity).number.clone())
        })?;
        let days = due.since(self.today).map_or(0, |span| span.get_days());
        self.advance(days.max(0) + 1);
        Ok(())
    }

    /// Performs the steps in order.
    pub fn run(&mut self, case: &mut Case, steps: &[Step]) -> Result<Vec<Event>, DriveError> {
        let mut events = Vec::new();
        for step in steps {
            events.extend(self.step(case, step)?);
        }
        Ok(events)
    }
}

/// The folio the simulator's cases are signed under.
pub const SIMULATED_FOLIO: &str = "SIMULACION";

/// A simulated e.firma over `input`'s signed text: the digest the engine checks, and no
/// certificate or signature (nothing that a verification would accept).
pub fn simulated_signature(
    procedure: &Procedure,
    case: &Case,
    input: &Complete,
    at: Timestamp,
) -> Result<Box<Signature>, EngineError> {
    let text = engine::signed_text(procedure, SIMULATED_FOLIO, case, input)?;
    Ok(Box::new(Signature {
        folio: SIMULATED_FOLIO.into(),
        signer: "Simulación".into(),
        rfc: None,
        curp: None,
        serial: String::new(),
        issuer: String::new(),
        certificate: Vec::new(),
        cms: Vec::new(),
        verified_at: at,
        digest: crate::text::sha256_hex(text.as_bytes()),
    }))
}

#[derive(Debug, thiserror::Error)]
pub enum DriveError {
    #[error("activity {0} is not open")]
    NotOpen(String),
    #[error("activity {0} has no due date to let pass")]
    NoDueDate(String),
    #[error(transparent)]
    Engine(#[from] EngineError),
}
