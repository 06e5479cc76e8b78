//! The engine's operations. Each one first plans (checks everything and may refuse, changing
//! nothing), then emits: the events are applied to the case and returned for the store to
//! persist in the same transaction.

use super::case::{Case, CaseStatus, WorkItem};
use super::context::Context;
use super::error::EngineError;
use super::event::{Actor, DueBasis, Event, Signature, WorkItemId};
use super::signed::signed_text;
use super::value::Value;
use crate::definition::{
    Activity, ActivityId, Anchor, Assignment, Branch, DayKind, Exit, ParticipantId,
    ParticipantKind, Procedure, Route,
};
use jiff::civil::Date;
use std::collections::BTreeMap;

/// Starting a case: who starts it and the fields it starts with.
#[derive(Debug, Clone)]
pub struct Start {
    pub by: Actor,
    pub fields: BTreeMap<String, Value>,
}

/// Completing a work item.
#[derive(Debug, Clone)]
pub struct Complete {
    pub item: WorkItemId,
    pub by: Actor,
    /// The answer of a decision ("Sí", "No"); accents and case are not significant.
    pub outcome: Option<String>,
    pub fields: BTreeMap<String, Value>,
    pub observations: Option<String>,
    /// The verified e.firma over [`signed_text`] of this completion, for an activity that asks
    /// for one (`signature = true`).
    pub signature: Option<Box<Signature>>,
}

/// Events are applied as they are produced, so the case always equals the fold of its events.
struct Emitter<'c> {
    case: &'c mut Case,
    events: Vec<Event>,
}

impl<'c> Emitter<'c> {
    /// Nothing emitted yet.
    fn on(case: &'c mut Case) -> Emitter<'c> {
        Emitter {
            case,
            events: Vec::new(),
        }
    }

    fn emit(&mut self, event: Event) {
        self.case.apply(&event);
        self.events.push(event);
    }
}

/// A due date and how it was counted; `None`: no due date.
type Due = Option<(Date, DueBasis)>;

/// An activity about to open: its work items' participants and due date, computed before
/// anything is emitted.
struct Opening {
    activity: ActivityId,
    participants: Vec<Option<ParticipantId>>,
    due: Due,
}

enum Plan {
    Open(Opening),
    End(ActivityId),
}

pub fn start(
    procedure: &Procedure,
    input: Start,
    ctx: &Context,
) -> Result<(Case, Vec<Event>), EngineError> {
    for name in input.fields.keys() {
        check_field(procedure, name, &input.fields[name])?;
    }
    if let Some(missing) = procedure
        .fields
        .iter()
        .find(|f| f.required && !input.fields.contains_key(&f.name))
    {
        return Err(EngineError::MissingField(missing.name.clone()));
    }
    let started = Event::CaseStarted {
        procedure: procedure.key.clone(),
        version: procedure.version,
        at: ctx.now,
        on: ctx.today,
        by: input.by,
        fields: input.fields,
    };
    let mut case = Case::from_start(&started).expect("a CaseStarted event starts a case");
    let opening = plan_opening(
        procedure,
        &case,
        procedure.first_activity(),
        &BTreeMap::new(),
        None,
        ctx,
    )?;
    let mut out = Emitter {
        case: &mut case,
        events: vec![started],
    };
    open(procedure, &mut out, opening, ctx);
    let events = out.events;
    Ok((case, events))
}

pub fn complete(
    procedure: &Procedure,
    case: &mut Case,
    input: Complete,
    ctx: &Context,
) -> Result<Vec<Event>, EngineError> {
    let item = workable(procedure, case, input.item)?;
    let activity = procedure.activity(item.activity);
    check_turns_answered(procedure, case, &item)?;
    if item.turn.is_some() {
        return answer_turn(procedure, case, &item, input, ctx);
    }
    let on_behalf_of = check_actor(procedure, case, &item, &input.by)?;
    for (name, value) in &input.fields {
        check_field(procedure, name, value)?;
    }
    for field in &activity.fields {
        let name = &procedure.field(*field).name;
        if !input.fields.contains_key(name) && !case.fields.contains_key(name) {
            return Err(EngineError::MissingField(name.clone()));
        }
    }
    let (exit, branch) = choose_exit(activity, input.outcome.as_deref())?;
    check_signature(procedure, case, &input)?;
    if let Some(branch) = branch.filter(|b| b.expiry)
        && !item.term_has_run(ctx.today)
    {
        return Err(EngineError::TermNotRun {
            activity: activity.number.clone(),
            answer: branch.answer.clone(),
        });
    }

    // The join: a parallel activity moves on when its last work item is answered.
    let last = !case
        .open
        .iter()
        .any(|w| w.activity == item.activity && w.id != item.id && w.turn.is_none());
    let plan = match (last, exit) {
        (false, _) => None,
        (true, Exit::End) => Some(Plan::End(item.activity)),
        (true, Exit::Goto(next)) => Some(Plan::Open(plan_opening(
            procedure,
            case,
            next,
            &input.fields,
            Some(item.activity),
            ctx,
        )?)),
    };
    let due_changes = plan_due_changes(procedure, case, &input.fields, item.id, ctx)?;

    let mut out = Emitter::on(case);
    out.emit(Event::WorkCompleted {
        item: item.id,
        at: ctx.now,
        on: ctx.today,
        by: input.by,
        on_behalf_of,
        outcome: input.outcome,
        fields: input.fields,
        observations: input.observations,
        signature: input.signature,
    });
    for (item, due) in due_changes {
        out.emit(Event::DueChanged {
            item,
            due: due.map(|(date, _)| date),
            basis: due.map(|(_, basis)| basis),
        });
    }
    follow(procedure, &mut out, plan, ctx);
    Ok(out.events)
}

/// An activity marked `signature = true` completes only with an e.firma over this very
/// completion: its digest must be the SHA-256 of [`signed_text`] (the verification of the
/// signature itself is the caller's, before the engine runs). Any other activity takes none.
fn check_signature(
    procedure: &Procedure,
    case: &Case,
    input: &Complete,
) -> Result<(), EngineError> {
    let item = workable(procedure, case, input.item)?;
    let activity = procedure.activity(item.activity);
    match (&input.signature, activity.signature) {
        (None, false) => Ok(()),
        (Some(_), false) => Err(EngineError::UnexpectedSignature(activity.number.clone())),
        (None, true) => Err(EngineError::SignatureRequired(activity.number.clone())),
        (Some(signature), true) => {
            let text = signed_text(procedure, &signature.folio, case, input)?;
            if crate::text::sha256_hex(text.as_bytes()) == signature.digest {
                Ok(())
            } else {
                Err(EngineError::SignatureMismatch(activity.number.clone()))
            }
        }
    }
}

/// The longest term a turn may give, in business days (about a year).
pub const MAX_TURN_DAYS: u16 = 250;

/// Turning an open work item to other units for their attention.
#[derive(Debug, Clone)]
pub struct Turn {
    pub item: WorkItemId,
    pub by: Actor,
    /// The units' codes; the caller checks that they exist.
    pub units: Vec<String>,
    /// What the units are asked to do ("Para su atención y respuesta…").
    pub instruction: String,
    /// The units' term in business days on the procedure's calendar; `None`, no due date.
    pub business_days: Option<u16>,
}

/// Turns an open work item to one or several units ("turnar"), each with a work item of its
/// own. The item stays open with its responsible, who completes it once every unit answered.
/// A turned unit may turn its part on in the same way.
pub fn turn(
    procedure: &Procedure,
    case: &mut Case,
    input: Turn,
    ctx: &Context,
) -> Result<Vec<Event>, EngineError> {
    let (item, activity) = workable_by(procedure, case, input.item, &input.by)?;
    let instruction = input.instruction.trim();
    if instruction.is_empty() {
        return Err(EngineError::TurnWithoutInstruction);
    }
    if input.units.is_empty() {
        return Err(EngineError::TurnWithoutUnits);
    }
    let mut units: Vec<&str> = Vec::with_capacity(input.units.len());
    for unit in input.units.iter().map(|u| u.trim()) {
        let pending = case
            .open_turns(item.id)
            .any(|w| w.turn.as_ref().is_some_and(|t| t.unit == unit));
        if unit.is_empty() {
            return Err(EngineError::TurnWithoutUnits);
        }
        if pending || units.contains(&unit) {
            return Err(EngineError::TurnRepeated(unit.to_owned()));
        }
        units.push(unit);
    }
    if let Some(days) = input.business_days
        && !(1..=MAX_TURN_DAYS).contains(&days)
    {
        return Err(EngineError::TurnTerm(MAX_TURN_DAYS));
    }
    let basis = input.business_days.map(|days| DueBasis {
        from: ctx.today,
        days: i32::from(days),
        kind: DayKind::Business,
        regime: procedure.regime,
    });
    let due = basis
        .map(|basis| basis.count(ctx.calendars))
        .transpose()
        .map_err(|_| EngineError::DateOutOfRange(activity.number.clone()))?;
    let mut out = Emitter::on(case);
    for unit in units {
        let turned = out.case.next_item_id();
        out.emit(Event::WorkTurned {
            item: turned,
            from: item.id,
            activity: item.activity,
            unit: unit.to_owned(),
            at: ctx.now,
            by: input.by.clone(),
            due,
            instruction: instruction.to_owned(),
            basis,
        });
    }
    Ok(out.events)
}

/// Withdrawing a turn given by mistake.
#[derive(Debug, Clone)]
pub struct Withdraw {
    /// The work item the turn was given from: who may act on it may withdraw its turns.
    pub from: WorkItemId,
    /// The turn's work item.
    pub turn: WorkItemId,
    pub by: Actor,
    pub reason: String,
}

/// Withdraws an unanswered turn ("retirar el turno"): its work item closes, and so do the turns
/// the unit gave of its part. Refused once the unit answered. The item it came from stays open
/// and completes as before, once its remaining turns answer.
pub fn withdraw(
    procedure: &Procedure,
    case: &mut Case,
    input: Withdraw,
    ctx: &Context,
) -> Result<Vec<Event>, EngineError> {
    check_open(procedure, case)?;
    let Some(turn) = case.work_item(input.turn) else {
        return Err(if input.turn < case.next_item_id() {
            EngineError::TurnClosed(input.turn)
        } else {
            EngineError::UnknownWorkItem(input.turn)
        });
    };
    match &turn.turn {
        None => return Err(EngineError::NotATurn(input.turn)),
        Some(t) if t.from != input.from => {
            return Err(EngineError::TurnNotFrom {
                turn: input.turn,
                from: input.from,
            });
        }
        Some(_) => {}
    }
    let from = workable(procedure, case, input.from)?;
    check_turn_actor(procedure, case, &from, &input.by)?;
    let reason = input.reason.trim();
    if reason.is_empty() {
        return Err(EngineError::WithdrawalWithoutReason);
    }
    // The turn and the turns given from it, however deep; the deepest are withdrawn first so
    // that no open turn is left pointing at a closed one.
    let mut gone = vec![input.turn];
    let mut at = 0;
    while let Some(&parent) = gone.get(at) {
        gone.extend(case.open_turns(parent).map(|w| w.id));
        at += 1;
    }
    let mut out = Emitter::on(case);
    for item in gone.into_iter().rev() {
        out.emit(Event::TurnWithdrawn {
            item,
            at: ctx.now,
            by: input.by.clone(),
            reason: reason.to_owned(),
        });
    }
    Ok(out.events)
}

/// An open work item of an open case that a person can work on now (not one waiting for its
/// sub-procedure).
fn workable(procedure: &Procedure, case: &Case, id: WorkItemId) -> Result<WorkItem, EngineError> {
    check_open(procedure, case)?;
    let item = case
        .work_item(id)
        .ok_or(EngineError::UnknownWorkItem(id))?
        .clone();
    if item.awaiting_subprocedure {
        let number = &procedure.activity(item.activity).number;
        return Err(EngineError::AwaitingSubprocedure(number.clone()));
    }
    Ok(item)
}

/// A workable item (see [`workable`]) that `by` may act on ([`check_turn_actor`]), with its
/// activity: what turning it and stopping or restarting its clock start from.
fn workable_by<'p>(
    procedure: &'p Procedure,
    case: &Case,
    id: WorkItemId,
    by: &Actor,
) -> Result<(WorkItem, &'p Activity), EngineError> {
    let item = workable(procedure, case, id)?;
    check_turn_actor(procedure, case, &item, by)?;
    let activity = procedure.activity(item.activity);
    Ok((item, activity))
}

/// Who may answer or turn on a work item: its responsible for an item of the procedure; for
/// a turn, the caller checked the unit (the engine knows participants, not people).
fn check_turn_actor(
    procedure: &Procedure,
    case: &Case,
    item: &WorkItem,
    by: &Actor,
) -> Result<(), EngineError> {
    match (&item.turn, by.participant) {
        (None, _) => check_actor(procedure, case, item, by).map(|_| ()),
        (Some(_), None) => Ok(()),
        (Some(_), Some(acting)) => Err(EngineError::NotResponsible {
            participant: procedure.participant(acting).key.clone(),
            activity: procedure.activity(item.activity).number.clone(),
        }),
    }
}

/// An item whose turns are still open waits for their answers.
fn check_turns_answered(
    procedure: &Procedure,
    case: &Case,
    item: &WorkItem,
) -> Result<(), EngineError> {
    let pending: Vec<&str> = case
        .open_turns(item.id)
        .filter_map(|w| w.turn.as_ref().map(|t| t.unit.as_str()))
        .collect();
    if pending.is_empty() {
        Ok(())
    } else {
        Err(EngineError::TurnsPending {
            activity: procedure.activity(item.activity).number.clone(),
            units: pending.join(", "),
        })
    }
}

/// A turned unit's answer: it closes the turn and moves nothing else.
fn answer_turn(
    procedure: &Procedure,
    case: &mut Case,
    item: &WorkItem,
    input: Complete,
    ctx: &Context,
) -> Result<Vec<Event>, EngineError> {
    check_turn_actor(procedure, case, item, &input.by)?;
    let number = &procedure.activity(item.activity).number;
    if input.outcome.is_some() {
        return Err(EngineError::UnexpectedOutcome {
            activity: number.clone(),
        });
    }
    if !input.fields.is_empty() {
        return Err(EngineError::TurnAnswerWithData(number.clone()));
    }
    if input.signature.is_some() {
        return Err(EngineError::UnexpectedSignature(number.clone()));
    }
    let mut out = Emitter::on(case);
    out.emit(Event::WorkCompleted {
        item: item.id,
        at: ctx.now,
        on: ctx.today,
        by: input.by,
        on_behalf_of: None,
        outcome: None,
        fields: BTreeMap::new(),
        observations: input.observations,
        signature: None,
    });
    Ok(out.events)
}

/// Stopping or restarting the clock of an open work item.
#[derive(Debug, Clone)]
pub struct ClockCommand {
    pub item: WorkItemId,
    pub by: Actor,
    /// Why it stops (waiting for the citizen's papers, the entidad's reply…); unused to resume.
    pub reason: String,
}

/// Stops the clock of an open work item whose term allows it: the days the term had left wait
/// for [`resume`], and meanwhile its due date neither passes nor escalates.
pub fn suspend(
    procedure: &Procedure,
    case: &mut Case,
    input: ClockCommand,
    ctx: &Context,
) -> Result<Vec<Event>, EngineError> {
    let (item, activity) = workable_by(procedure, case, input.item, &input.by)?;
    let number = || activity.number.clone();
    let deadline = activity
        .deadline
        .as_ref()
        .filter(|d| d.suspendable && item.turn.is_none())
        .ok_or_else(|| EngineError::NotSuspendable(number()))?;
    if item.suspended.is_some() {
        return Err(EngineError::AlreadySuspended(number()));
    }
    let due = item
        .due
        .ok_or_else(|| EngineError::NotSuspendable(number()))?;
    if due < ctx.today {
        return Err(EngineError::TermPassed(number()));
    }
    let reason = input.reason.trim();
    if reason.is_empty() {
        return Err(EngineError::SuspensionWithoutReason);
    }
    let calendar = ctx.calendars.get(deadline.regime);
    let days_left = match deadline.term.kind {
        DayKind::Business => calendar.count_business_days(ctx.today, due),
        DayKind::Natural => calendar.count_natural_days(ctx.today, due),
    };
    let mut out = Emitter::on(case);
    out.emit(Event::ClockSuspended {
        item: item.id,
        at: ctx.now,
        on: ctx.today,
        by: input.by,
        reason: reason.to_owned(),
        days_left,
    });
    Ok(out.events)
}

/// Restarts a stopped clock: the due date is the days the term had left, counted from today.
pub fn resume(
    procedure: &Procedure,
    case: &mut Case,
    input: ClockCommand,
    ctx: &Context,
) -> Result<Vec<Event>, EngineError> {
    let (item, activity) = workable_by(procedure, case, input.item, &input.by)?;
    let (Some(stopped), Some(deadline)) = (item.suspended, activity.deadline.as_ref()) else {
        return Err(EngineError::NotSuspended(activity.number.clone()));
    };
    let basis = DueBasis {
        from: ctx.today,
        days: stopped.days_left,
        kind: deadline.term.kind,
        regime: deadline.regime,
    };
    let due = basis
        .count(ctx.calendars)
        .map_err(|_| EngineError::DateOutOfRange(activity.number.clone()))?;
    let mut out = Emitter::on(case);
    out.emit(Event::ClockResumed {
        item: item.id,
        at: ctx.now,
        on: ctx.today,
        by: input.by,
        due: Some(due),
        basis: Some(basis),
    });
    Ok(out.events)
}

/// A document to add to a case.
#[derive(Debug, Clone)]
pub struct Attach {
    pub by: Actor,
    pub item: Option<WorkItemId>,
    pub name: String,
    pub mime: String,
    pub size: u64,
    pub sha256: String,
}

/// Adds a document to an open case, optionally as the answer of one of its open work items.
pub fn attach_document(
    procedure: &Procedure,
    case: &mut Case,
    input: Attach,
    ctx: &Context,
) -> Result<Vec<Event>, EngineError> {
    check_open(procedure, case)?;
    if let Some(item) = input.item {
        case.work_item(item)
            .ok_or(EngineError::UnknownWorkItem(item))?;
    }
    if input.name.trim().is_empty() {
        return Err(EngineError::InvalidDocument(
            "the document has no name".into(),
        ));
    }
    if input.sha256.len() != 64 || !input.sha256.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(EngineError::InvalidDocument(format!(
            "«{}» is not a SHA-256 digest",
            input.sha256
        )));
    }
    let mut out = Emitter::on(case);
    out.emit(Event::DocumentAttached {
        at: ctx.now,
        by: input.by,
        item: input.item,
        name: input.name,
        mime: input.mime,
        size: input.size,
        sha256: input.sha256.to_ascii_lowercase(),
    });
    Ok(out.events)
}

/// Closes a case that will not be finished (withdrawn, duplicated, out of competence).
pub fn cancel(
    procedure: &Procedure,
    case: &mut Case,
    by: Actor,
    reason: String,
    ctx: &Context,
) -> Result<Vec<Event>, EngineError> {
    check_open(procedure, case)?;
    let mut out = Emitter::on(case);
    out.emit(Event::CaseCancelled {
        at: ctx.now,
        by,
        reason,
    });
    Ok(out.events)
}

/// Lets time pass up to `ctx.today`: records every due date that passed, and takes the expiry
/// paths the definition declares. Running it again at the same date emits nothing.
pub fn pass_time(
    procedure: &Procedure,
    case: &mut Case,
    ctx: &Context,
) -> Result<Vec<Event>, EngineError> {
    check_definition(procedure, case)?;
    let mut out = Emitter::on(case);
    // An expiry path may open an activity whose own term has already passed (the case was not
    // looked at for a while), so repeat until nothing more happens; every round closes at
    // least one activity, so this ends.
    for _ in 0..=procedure.activities.len() {
        if out.case.status != CaseStatus::Open {
            break;
        }
        let passed: Vec<(WorkItemId, Date)> = out
            .case
            .open
            .iter()
            .filter(|w| !w.overdue && w.suspended.is_none())
            .filter_map(|w| w.due.filter(|due| *due < ctx.today).map(|due| (w.id, due)))
            .collect();
        for (item, due) in passed {
            out.emit(Event::DeadlinePassed {
                item,
                at: ctx.now,
                due,
            });
        }
        // A turn's due date passing is recorded; only the activity's own term takes its path.
        let expiring = out
            .case
            .open
            .iter()
            .filter(|w| w.turn.is_none())
            .find_map(|w| {
                let deadline = procedure.activity(w.activity).deadline.as_ref()?;
                let target = deadline.on_expiry?;
                w.overdue.then_some((w.activity, target))
            });
        let Some((activity, target)) = expiring else {
            break;
        };
        let opening = plan_opening(procedure, out.case, target, &BTreeMap::new(), None, ctx)?;
        out.emit(Event::ActivityExpired {
            activity,
            at: ctx.now,
        });
        open(procedure, &mut out, opening, ctx);
    }
    Ok(out.events)
}

/// Counts every running due date again on `ctx.calendars`, after the calendar changed: each
/// open work item whose clock runs, whose due date has not passed and whose basis is known gets
/// [`Event::DueRecounted`] when its due date moves. Nothing when none moves, so recounting on
/// the same calendar records nothing.
pub fn recount(
    procedure: &Procedure,
    case: &mut Case,
    ctx: &Context,
    reason: &str,
) -> Result<Vec<Event>, EngineError> {
    check_definition(procedure, case)?;
    if case.status != CaseStatus::Open {
        return Ok(Vec::new());
    }
    let mut moved = Vec::new();
    for w in &case.open {
        // A passed due date was (or is about to be) recorded as passed: it is history.
        let (Some(due), Some(basis), false, None) = (w.due, w.basis, w.overdue, w.suspended) else {
            continue;
        };
        if due < ctx.today {
            continue;
        }
        let counted = basis.count(ctx.calendars).map_err(|_| {
            EngineError::DateOutOfRange(procedure.activity(w.activity).number.clone())
        })?;
        if counted != due {
            moved.push((w.id, due, counted));
        }
    }
    let mut out = Emitter::on(case);
    for (item, previous, due) in moved {
        out.emit(Event::DueRecounted {
            item,
            previous,
            due,
            reason: reason.to_owned(),
            at: ctx.now,
        });
    }
    Ok(out.events)
}

/// Records that the sub-procedure of a work item ended; its activity completes and the case
/// continues.
pub fn subprocedure_ended(
    procedure: &Procedure,
    case: &mut Case,
    item: WorkItemId,
    subcase: String,
    ctx: &Context,
) -> Result<Vec<Event>, EngineError> {
    check_open(procedure, case)?;
    let work = case
        .work_item(item)
        .ok_or(EngineError::UnknownWorkItem(item))?
        .clone();
    if !work.awaiting_subprocedure {
        return Err(EngineError::NotAwaitingSubprocedure(item));
    }
    let (exit, _) = choose_exit(procedure.activity(work.activity), None)?;
    let plan = match exit {
        Exit::End => Plan::End(work.activity),
        Exit::Goto(next) => Plan::Open(plan_opening(
            procedure,
            case,
            next,
            &BTreeMap::new(),
            Some(work.activity),
            ctx,
        )?),
    };
    let mut out = Emitter::on(case);
    out.emit(Event::SubprocedureEnded {
        item,
        at: ctx.now,
        on: ctx.today,
        case: subcase,
    });
    follow(procedure, &mut out, Some(plan), ctx);
    Ok(out.events)
}

fn check_definition(procedure: &Procedure, case: &Case) -> Result<(), EngineError> {
    if case.procedure != procedure.key || case.version != procedure.version {
        return Err(EngineError::WrongDefinition {
            case: format!("{} v{}", case.procedure, case.version),
            definition: format!("{} v{}", procedure.key, procedure.version),
        });
    }
    Ok(())
}

/// A case of this very definition, still open.
fn check_open(procedure: &Procedure, case: &Case) -> Result<(), EngineError> {
    check_definition(procedure, case)?;
    match case.status {
        CaseStatus::Open => Ok(()),
        ref other => Err(EngineError::CaseNotOpen(other.label())),
    }
}

fn check_field(procedure: &Procedure, name: &str, value: &Value) -> Result<(), EngineError> {
    let id = procedure
        .field_by_name(name)
        .ok_or_else(|| EngineError::UnknownField(name.to_owned()))?;
    procedure
        .field(id)
        .check(value)
        .map_err(|reason| EngineError::InvalidField {
            field: name.to_owned(),
            reason,
        })
}

/// The participants a work item is turned to: its own participant, or every responsible of
/// its activity (those chosen in the case's fields, for an assignment made while running).
pub fn turned_to(
    procedure: &Procedure,
    fields: &BTreeMap<String, Value>,
    activity: ActivityId,
    participant: Option<ParticipantId>,
) -> Vec<ParticipantId> {
    match participant {
        Some(p) => vec![p],
        None => match &procedure.activity(activity).assignment {
            Assignment::Fixed(ids) => ids.clone(),
            Assignment::FromField(field) => chosen(procedure, fields, *field),
        },
    }
}

fn chosen(
    procedure: &Procedure,
    fields: &BTreeMap<String, Value>,
    field: crate::definition::FieldId,
) -> Vec<ParticipantId> {
    match fields.get(&procedure.field(field).name) {
        Some(Value::Participants(keys)) => keys
            .iter()
            .filter_map(|k| procedure.participant_by_key(k))
            .collect(),
        _ => Vec::new(),
    }
}

/// A user may act for a responsible participant, or record what an outside responsible did
/// when acting for the internal participant that records it. Returns the outside party.
fn check_actor(
    procedure: &Procedure,
    case: &Case,
    item: &WorkItem,
    by: &Actor,
) -> Result<Option<ParticipantId>, EngineError> {
    let Some(acting) = by.participant else {
        return Ok(None);
    };
    let responsible = turned_to(procedure, &case.fields, item.activity, item.participant);
    if responsible.contains(&acting) {
        return Ok(None);
    }
    let outside = responsible.iter().copied().find(|p| {
        procedure.participant(*p).kind
            == ParticipantKind::External {
                recorded_by: acting,
            }
    });
    match outside {
        Some(p) => Ok(Some(p)),
        None => Err(EngineError::NotResponsible {
            participant: procedure.participant(acting).key.clone(),
            activity: procedure.activity(item.activity).number.clone(),
        }),
    }
}

fn answers(activity: &Activity) -> String {
    match &activity.route {
        Route::Decide { branches, .. } => branches
            .iter()
            .map(|b| b.answer.as_str())
            .collect::<Vec<_>>()
            .join(" / "),
        Route::Continue(_) => String::new(),
    }
}

/// Where completing the activity with `outcome` leads, and the branch the outcome names
/// (`None` for an activity that is not a decision).
fn choose_exit<'a>(
    activity: &'a Activity,
    outcome: Option<&str>,
) -> Result<(Exit, Option<&'a Branch>), EngineError> {
    match (&activity.route, outcome) {
        (Route::Continue(exit), None) => Ok((*exit, None)),
        (Route::Continue(_), Some(_)) => Err(EngineError::UnexpectedOutcome {
            activity: activity.number.clone(),
        }),
        (Route::Decide { .. }, None) => Err(EngineError::OutcomeRequired {
            activity: activity.number.clone(),
            answers: answers(activity),
        }),
        (Route::Decide { .. }, Some(outcome)) => activity
            .branch(outcome)
            .map(|b| (b.exit, Some(b)))
            .ok_or_else(|| EngineError::UnknownOutcome {
                activity: activity.number.clone(),
                outcome: outcome.to_owned(),
                answers: answers(activity),
            }),
    }
}

fn plan_opening(
    procedure: &Procedure,
    case: &Case,
    activity_id: ActivityId,
    incoming: &BTreeMap<String, Value>,
    // The activity completing now: deadlines counted from its completion start today.
    completing: Option<ActivityId>,
    ctx: &Context,
) -> Result<Opening, EngineError> {
    let activity = procedure.activity(activity_id);
    let participants: Vec<Option<ParticipantId>> = match (&activity.assignment, activity.parallel) {
        (Assignment::FromField(field), parallel) => {
            let fields = merged(&case.fields, incoming);
            let chosen = chosen(procedure, &fields, *field);
            if chosen.is_empty() {
                return Err(EngineError::NoParticipants {
                    activity: activity.number.clone(),
                    field: procedure.field(*field).name.clone(),
                });
            }
            if parallel {
                chosen.into_iter().map(Some).collect()
            } else {
                vec![None]
            }
        }
        (Assignment::Fixed(ids), true) => ids.iter().copied().map(Some).collect(),
        (Assignment::Fixed(_), false) => vec![None],
    };
    let due = due_date(procedure, case, activity, incoming, completing, ctx)?;
    Ok(Opening {
        activity: activity_id,
        participants,
        due,
    })
}

fn merged<'a>(
    fields: &'a BTreeMap<String, Value>,
    incoming: &'a BTreeMap<String, Value>,
) -> BTreeMap<String, Value> {
    let mut all = fields.clone();
    all.extend(incoming.iter().map(|(k, v)| (k.clone(), v.clone())));
    all
}

/// The due date of an activity opened now and how it was counted, or `None` when it has no
/// term or its anchor date is not known yet.
fn due_date(
    procedure: &Procedure,
    case: &Case,
    activity: &Activity,
    incoming: &BTreeMap<String, Value>,
    completing: Option<ActivityId>,
    ctx: &Context,
) -> Result<Due, EngineError> {
    let Some(deadline) = &activity.deadline else {
        return Ok(None);
    };
    let date_of = |anchor: Anchor| match anchor {
        Anchor::Activity => Some(ctx.today),
        Anchor::Case => Some(case.started_on),
        Anchor::Completed(id) if completing == Some(id) => Some(ctx.today),
        Anchor::Completed(id) => case.completed_on.get(&id).copied(),
        Anchor::Field(id) => {
            let name = &procedure.field(id).name;
            match incoming.get(name).or_else(|| case.fields.get(name)) {
                Some(Value::Date(d)) => Some(*d),
                _ => None,
            }
        }
    };
    let base = date_of(deadline.anchor).or_else(|| deadline.otherwise.and_then(date_of));
    let Some(base) = base else { return Ok(None) };
    // Once granted, an extension stays: the term is the longer one from then on.
    let extended = deadline.extension.filter(|e| {
        completing == Some(e.granted_by) || case.completed_on.contains_key(&e.granted_by)
    });
    let days = deadline.term.days + extended.map_or(0, |e| e.days);
    let basis = DueBasis {
        from: base,
        days: i32::from(days) * if deadline.term.before { -1 } else { 1 },
        kind: deadline.term.kind,
        regime: deadline.regime,
    };
    basis
        .count(ctx.calendars)
        .map(|due| Some((due, basis)))
        .map_err(|_| EngineError::DateOutOfRange(activity.number.clone()))
}

/// Open work items whose deadline counts from a date field that this completion sets.
fn plan_due_changes(
    procedure: &Procedure,
    case: &Case,
    incoming: &BTreeMap<String, Value>,
    completing: WorkItemId,
    ctx: &Context,
) -> Result<Vec<(WorkItemId, Due)>, EngineError> {
    let mut changes = Vec::new();
    if incoming.is_empty() {
        return Ok(changes);
    }
    for w in case
        .open
        .iter()
        .filter(|w| w.id != completing && w.turn.is_none() && w.suspended.is_none())
    {
        let activity = procedure.activity(w.activity);
        let Some(deadline) = &activity.deadline else {
            continue;
        };
        let field_set = [Some(deadline.anchor), deadline.otherwise]
            .into_iter()
            .flatten()
            .any(|anchor| {
                matches!(anchor, Anchor::Field(id)
                    if incoming.contains_key(&procedure.field(id).name))
            });
        if field_set {
            let due = due_date(procedure, case, activity, incoming, None, ctx)?;
            if due.map(|(date, _)| date) != w.due || due.map(|(_, basis)| basis) != w.basis {
                changes.push((w.id, due));
            }
        }
    }
    Ok(changes)
}

fn follow(procedure: &Procedure, out: &mut Emitter, plan: Option<Plan>, ctx: &Context) {
    match plan {
        None => {}
        Some(Plan::End(activity)) => out.emit(Event::CaseEnded {
            at: ctx.now,
            activity,
        }),
        Some(Plan::Open(opening)) => open(procedure, out, opening, ctx),
    }
}

fn open(procedure: &Procedure, out: &mut Emitter, opening: Opening, ctx: &Context) {
    let call = procedure.activity(opening.activity).call.as_ref();
    for participant in opening.participants {
        let item = out.case.next_item_id();
        out.emit(Event::WorkOpened {
            item,
            activity: opening.activity,
            participant,
            at: ctx.now,
            due: opening.due.map(|(date, _)| date),
            basis: opening.due.map(|(_, basis)| basis),
        });
        if let Some(call) = call {
            out.emit(Event::SubprocedureRequested {
                item,
                procedure: call.clone(),
            });
        }
    }
}
