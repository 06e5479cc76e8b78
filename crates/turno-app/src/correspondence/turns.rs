//! Turning an incoming document (*turnar*): to one or several units, each with an instruction
//! and a term in días hábiles; a turned unit turns its part on to units below it; it answers
//! its turn or returns it to the unit that gave it, with the reason; the unit that gave a turn
//! withdraws it while open, with the reason (and the turns given below it go with it). A turn
//! «para conocimiento» owes no answer and has no term: it closes when a person of its unit
//! opens the document. Every step stays on the turn's row: who, when and why.
//!
//! A turn may go to one person of its unit (`person`) instead of the whole unit: that person
//! acts on it, and so do the unit's titular (or whoever substitutes them), the units above it
//! and administrators, but not the unit's other people, who see it and do not act on it
//! (`access::acts_on_turn`). A unit's people reassign their turn within the unit by turning it
//! on to one of its people (a turn below it to the same unit, with the person).

use super::incoming::{REGIME, WITHHELD, due_after, member_of, sight, turned_on, visible};
use crate::access::{acts_on_turn, answers_turns_of};
use crate::app::App;
use crate::checked::Checked;
use crate::error::Error;
use crate::limits;
use crate::principal::Principal;
use turno_domain::correspondence::IncomingFolio;
use turno_domain::correspondence::{Instruction, MAX_TERM_DAYS, TurnStatus};
use turno_domain::engine::DueStatus;
use turno_store::correspondence::incoming::{CloseTurn, IncomingTurn, NewTurn, StoredIncoming};
use turno_store::{Correspondence, Person, Role, Store, Unit};

/// A turn as one person sees it, with what they may do with it.
#[derive(Debug, Clone)]
pub struct TurnView {
    pub turn: IncomingTurn,
    /// The semáforo of an open turn with a term.
    pub due_status: Option<DueStatus>,
    /// Answer it, return it, or turn its part on: the people who work its unit.
    pub may_answer: bool,
    /// Withdraw it: the people who work the unit that gave it.
    pub may_withdraw: bool,
}

impl TurnView {
    pub(crate) fn of(
        app: &App,
        user: &Principal,
        all: &[IncomingTurn],
        turn: &IncomingTurn,
        today: jiff::civil::Date,
    ) -> TurnView {
        let open = turn.status == TurnStatus::Open;
        let waits_below = all
            .iter()
            .any(|t| t.parent == Some(turn.id) && t.status == TurnStatus::Open);
        TurnView {
            due_status: turn
                .due_date
                .filter(|_| open)
                .map(|due| app.thresholds.status(turned_on(app, turn), due, today)),
            may_answer: open
                && !waits_below
                && acts_on_turn(user, &turn.unit, turn.person.as_deref()),
            may_withdraw: open && answers_turns_of(user, &turn.from_unit),
            turn: turn.clone(),
        }
    }
}

/// One turn as asked: the unit's code, one of its people (a login; empty: the whole unit), the
/// instruction (code or label), the term in días hábiles (empty: none) and a note.
#[derive(Debug, Clone, Copy, Default)]
pub struct TurnTo<'a> {
    pub unit: &'a str,
    pub person: &'a str,
    pub instruction: &'a str,
    pub days: &'a str,
    pub note: &'a str,
}

/// The document as the person sees it, refused when they may not read it.
async fn readable(app: &App, user: &Principal, folio: &str) -> Result<StoredIncoming, Error> {
    let (detail, sight) = visible(app, user, folio).await?;
    if !sight.content {
        return Err(Error::Denied(
            "Es un documento clasificado: solo lo leen y lo turnan las personas de las unidades \
             a las que concierne."
                .into(),
        ));
    }
    Ok(detail.document)
}

/// The turn `id` of a document.
fn turn_of(doc: &StoredIncoming, id: i64) -> Result<&IncomingTurn, Error> {
    doc.turns
        .iter()
        .find(|t| t.id == id)
        .ok_or_else(|| Error::NotFound("El documento no tiene ese turno.".into()))
}

/// An open turn, or the conflict of one closed meanwhile.
fn open(turn: &IncomingTurn) -> Result<(), Error> {
    if turn.status == TurnStatus::Open {
        Ok(())
    } else {
        Err(Error::Conflict(format!(
            "Ese turno ya no está abierto: está {}.",
            turn.status.label().to_lowercase()
        )))
    }
}

/// Turns the document from its registering unit (`from` none) or turns on the part of turn
/// `from` to units below its unit. Answers the new turns' ids.
pub async fn turn(
    app: &App,
    user: &Principal,
    folio: &str,
    from: Option<i64>,
    to: &[TurnTo<'_>],
) -> Result<Vec<i64>, Error> {
    let doc = readable(app, user, folio).await?;
    let (from_unit, below) = match from {
        None => {
            if !answers_turns_of(user, &doc.unit) {
                return Err(Error::Denied(format!(
                    "Turna el documento la unidad que lo registró ({}).",
                    doc.unit
                )));
            }
            (doc.unit.clone(), None)
        }
        Some(id) => {
            let parent = turn_of(&doc, id)?;
            open(parent)?;
            if !acts_on_turn(user, &parent.unit, parent.person.as_deref()) {
                return Err(Error::Denied(format!(
                    "Turna esta parte la unidad a la que se turnó ({}).",
                    parent.unit
                )));
            }
            if !parent.instruction.needs_answer() {
                return Err(Error::Refused(
                    "Un turno para conocimiento no se turna: basta con leerlo.".into(),
                ));
            }
            let below = app
                .store
                .units_below(std::slice::from_ref(&parent.unit))
                .await?;
            (parent.unit.clone(), Some(below))
        }
    };
    let parent_person = from
        .and_then(|id| doc.turns.iter().find(|t| t.id == id))
        .and_then(|t| t.person.clone());
    let units = app.store.units().await?;
    let people = app.store.people().await?;
    let mut checked = Checked::default();
    let source = TurnSource {
        parent: from,
        from_unit: &from_unit,
        below: below.as_deref(),
        existing: &doc.turns,
        start: app.today(),
        parent_person,
        people: &people,
    };
    let turns = check_turns(app, user, &units, &source, to, &mut checked);
    checked.done()?;
    let ids = app.store.add_turns(doc.folio, &turns).await?;
    tracing::info!(folio = %doc.folio, by = %user.login, turns = ids.len(), regime = ?REGIME, "incoming document turned");
    Ok(ids)
}

/// Where turns are given from: the parent turn and the units below its unit when a turned
/// unit turns its part on (none from the registering unit), the unit that turns, the turns
/// the document already has, and the day their terms count from.
pub(crate) struct TurnSource<'a> {
    pub parent: Option<i64>,
    pub from_unit: &'a str,
    pub below: Option<&'a [String]>,
    pub existing: &'a [IncomingTurn],
    pub start: jiff::civil::Date,
    /// The person the parent turn went to, if any: a turn within the unit goes to another.
    pub parent_person: Option<String>,
    /// The people, to check that a turn's person works in its unit.
    pub people: &'a [Person],
}

/// The turns asked, every problem of each (its unit, instruction, term and note) in
/// `checked`: the one check of a turn, for turning a document and for importing a register.
pub(crate) fn check_turns(
    app: &App,
    user: &Principal,
    units: &[Unit],
    source: &TurnSource<'_>,
    to: &[TurnTo<'_>],
    checked: &mut Checked,
) -> Vec<NewTurn> {
    let now = app.clock.now();
    if to.is_empty() {
        checked.wrong("unit", "Elija al menos una unidad a la cual turnar.");
    }
    let mut turns = Vec::with_capacity(to.len());
    for asked in to {
        let unit = checked.line(
            "unit",
            "la clave de la unidad",
            asked.unit,
            limits::CODE,
            true,
        );
        let note = checked.text("note", "la nota del turno", asked.note, limits::TEXT, false);
        let person = checked.line("person", "la persona", asked.person, limits::CODE, false);
        let person = (!person.is_empty()).then_some(person);
        if let (Some(login), false) = (&person, unit.is_empty())
            && !source
                .people
                .iter()
                .any(|p| p.user.login == *login && p.user.active && works_in(p, &unit))
        {
            checked.wrong(
                "person",
                format!("«{login}» no es una persona activa que trabaje en {unit}."),
            );
        }
        if !unit.is_empty() {
            let within = source.below.is_some() && unit == source.from_unit;
            if !units.iter().any(|u| u.code == unit) {
                checked.wrong("unit", format!("La unidad «{unit}» no existe."));
            } else if within && person.is_none() {
                checked.wrong(
                    "person",
                    "Dentro de la propia unidad se turna a una de sus personas: elíjala.",
                );
            } else if within && person == source.parent_person {
                checked.wrong("person", "El turno ya es de esa persona.");
            } else if source
                .below
                .is_some_and(|below| !within && !below.contains(&unit))
            {
                checked.wrong(
                    "unit",
                    format!(
                        "La unidad «{unit}» no depende de {}: solo se turna hacia abajo.",
                        source.from_unit
                    ),
                );
            } else if turns
                .iter()
                .any(|t: &NewTurn| t.unit == unit && t.person == person)
                || source.existing.iter().any(|t| {
                    t.unit == unit
                        && t.person == person
                        && t.parent == source.parent
                        && t.status == TurnStatus::Open
                })
            {
                let whom = person
                    .as_ref()
                    .map_or_else(|| unit.clone(), |p| format!("{p} ({unit})"));
                checked.wrong("unit", format!("El documento ya está turnado a «{whom}»."));
            }
        }
        let instruction = match asked.instruction.trim() {
            "" => {
                checked.wrong("instruction", "Elija la instrucción del turno.");
                None
            }
            text => text
                .parse::<Instruction>()
                .map_err(|e| checked.wrong("instruction", format!("{e}.")))
                .ok(),
        };
        let term_days = match asked.days.trim() {
            "" => None,
            days => match days.parse::<u16>() {
                Ok(n)
                    if (1..=MAX_TERM_DAYS).contains(&n)
                        && days.bytes().all(|b| b.is_ascii_digit()) =>
                {
                    Some(n)
                }
                _ => {
                    checked.wrong(
                        "days",
                        format!(
                            "El plazo es un número entero de 1 a {MAX_TERM_DAYS} días hábiles."
                        ),
                    );
                    None
                }
            },
        };
        if instruction == Some(Instruction::Knowledge) && term_days.is_some() {
            checked.wrong(
                "days",
                "Un turno para conocimiento no lleva plazo: no se responde.",
            );
        }
        let Some(instruction) = instruction else {
            continue;
        };
        let due_date = match term_days.map(|days| due_after(app, source.start, days)) {
            Some(Ok(due)) => Some(due),
            Some(Err(e)) => {
                checked.wrong("days", e.to_string());
                continue;
            }
            None => None,
        };
        turns.push(NewTurn {
            parent: source.parent,
            from_unit: source.from_unit.to_owned(),
            unit,
            person,
            instruction,
            note,
            term_days,
            due_date,
            by: user.login.clone(),
            at: now,
        });
    }
    turns
}

/// What the unit of a turn does with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// It answers it (the note says how).
    Answered,
    /// It returns it to the unit that turned it: not theirs to attend (the reason says why).
    Returned,
}

/// The unit of turn `id` answers it or returns it, with its note or reason.
pub async fn close(
    app: &App,
    user: &Principal,
    folio: &str,
    id: i64,
    outcome: Outcome,
    text: &str,
) -> Result<(), Error> {
    let doc = readable(app, user, folio).await?;
    let turn = turn_of(&doc, id)?;
    open(turn)?;
    if !acts_on_turn(user, &turn.unit, turn.person.as_deref()) {
        return Err(Error::Denied(match &turn.person {
            Some(person) => format!(
                "Responde o devuelve este turno la persona a la que se turnó ({person}) o el \
                 titular de {}.",
                turn.unit
            ),
            None => format!(
                "Responde o devuelve este turno la unidad a la que se turnó ({}).",
                turn.unit
            ),
        }));
    }
    if doc
        .turns
        .iter()
        .any(|t| t.parent == Some(id) && t.status == TurnStatus::Open)
    {
        return Err(Error::Refused(
            "Antes de responder o devolver este turno, espere la respuesta de los turnos que su \
             unidad dio de él, o retírelos."
                .into(),
        ));
    }
    let mut checked = Checked::default();
    let (field, what, status) = match outcome {
        Outcome::Answered => ("note", "la respuesta", TurnStatus::Answered),
        Outcome::Returned => ("reason", "el motivo de la devolución", TurnStatus::Returned),
    };
    let text = checked.text(field, what, text, limits::TEXT, true);
    checked.done()?;
    app.store
        .close_turn(&CloseTurn {
            turn: id,
            status,
            by: user.login.clone(),
            at: app.clock.now(),
            reason: Some(text),
        })
        .await?;
    tracing::info!(folio = %doc.folio, turn = id, by = %user.login, status = status.code(), "incoming turn closed");
    Ok(())
}

/// The unit that gave turn `id` withdraws it, with the reason; the turns given below it go
/// with it.
pub async fn withdraw(
    app: &App,
    user: &Principal,
    folio: &str,
    id: i64,
    reason: &str,
) -> Result<(), Error> {
    let doc = readable(app, user, folio).await?;
    let turn = turn_of(&doc, id)?;
    open(turn)?;
    if !answers_turns_of(user, &turn.from_unit) {
        return Err(Error::Denied(format!(
            "Retira un turno la unidad que lo dio ({}).",
            turn.from_unit
        )));
    }
    let mut checked = Checked::default();
    let reason = checked.text("reason", "el motivo", reason, limits::TEXT, true);
    checked.done()?;
    app.store
        .close_turn(&CloseTurn {
            turn: id,
            status: TurnStatus::Withdrawn,
            by: user.login.clone(),
            at: app.clock.now(),
            reason: Some(reason),
        })
        .await?;
    tracing::info!(folio = %doc.folio, turn = id, by = %user.login, "incoming turn withdrawn");
    Ok(())
}

/// Closes as read the open turns «para conocimiento» of the units the person is a member of
/// (not of the units below, nor as an administrator: the unit itself reads it), or given to
/// them by name (a turn to another person of their unit waits for that person). True when it
/// closed any.
pub(crate) async fn read_on_opening(
    app: &App,
    user: &Principal,
    doc: &StoredIncoming,
) -> Result<bool, Error> {
    let mut closed = false;
    for turn in doc.turns.iter().filter(|t| {
        t.status == TurnStatus::Open
            && t.instruction == Instruction::Knowledge
            && user.can_act()
            && match &t.person {
                Some(person) => *person == user.login,
                None => member_of(user, &t.unit),
            }
    }) {
        match app
            .store
            .close_turn(&CloseTurn {
                turn: turn.id,
                status: TurnStatus::Read,
                by: user.login.clone(),
                at: app.clock.now(),
                reason: None,
            })
            .await
        {
            Ok(()) => closed = true,
            // Someone of the unit read it at the same moment: it is read.
            Err(turno_store::StoreError::Refused(turno_store::Refusal::IncomingTurnClosed {
                ..
            })) => {}
            Err(other) => return Err(other.into()),
        }
    }
    Ok(closed)
}

/// Whether `person` works in `unit` (titular, operador or enlace externo): those a turn may go
/// to by name.
fn works_in(person: &Person, unit: &str) -> bool {
    person.memberships.iter().any(|m| {
        m.unit_code == unit
            && matches!(m.role, Role::Titular | Role::Operador | Role::EnlaceExterno)
    })
}

/// One of the people a turn may go to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitPerson {
    pub unit: String,
    pub login: String,
    pub name: String,
}

/// The active people who work each of `units` (titular, operador or enlace externo), by unit
/// in the order given and by name: the people a turn to one of them may go to.
pub async fn people_of(app: &App, units: &[String]) -> Result<Vec<UnitPerson>, Error> {
    let people = app.store.people().await?;
    let mut found = Vec::new();
    for unit in units {
        let mut of_unit: Vec<UnitPerson> = people
            .iter()
            .filter(|p| p.user.active && works_in(p, unit))
            .map(|p| UnitPerson {
                unit: unit.clone(),
                login: p.user.login.clone(),
                name: p.user.name.clone(),
            })
            .collect();
        of_unit.sort_by(|a, b| a.name.cmp(&b.name).then_with(|| a.login.cmp(&b.login)));
        found.extend(of_unit);
    }
    Ok(found)
}

/// An open turn the person acts on, as their inbox («Mi bandeja») lists it.
#[derive(Debug, Clone)]
pub struct PendingTurn {
    pub folio: IncomingFolio,
    /// The document's subject, or that it is withheld from them.
    pub subject: String,
    pub turn: IncomingTurn,
    /// The semáforo of a turn with a term.
    pub due_status: Option<DueStatus>,
}

/// The most documents the inbox reads for its turns.
pub const PENDING_LIMIT: u32 = 500;

/// The open turns the person acts on: to them, or to one of their units (or a unit below
/// them, suplencias included) that they act on by `acts_on_turn`; soonest due first, those
/// without a term last.
pub async fn pending(app: &App, user: &Principal) -> Result<Vec<PendingTurn>, Error> {
    let today = app.today();
    let documents = app
        .store
        .pending_incoming(&user.visible_units, &user.login, PENDING_LIMIT)
        .await?;
    let mut pending = Vec::new();
    for doc in documents {
        let Some(sight) = sight(user, &doc) else {
            continue;
        };
        for turn in doc.turns.iter().filter(|t| {
            t.status == TurnStatus::Open
                && (t.person.as_deref() == Some(user.login.as_str())
                    || user.visible_units.contains(&t.unit))
                && acts_on_turn(user, &t.unit, t.person.as_deref())
        }) {
            pending.push(PendingTurn {
                folio: doc.folio,
                subject: if sight.content {
                    doc.incoming.subject.clone()
                } else {
                    WITHHELD.to_owned()
                },
                due_status: turn
                    .due_date
                    .map(|due| app.thresholds.status(turned_on(app, turn), due, today)),
                turn: turn.clone(),
            });
        }
    }
    pending.sort_by(|a, b| {
        (
            a.turn.due_date.is_none(),
            a.turn.due_date,
            a.folio,
            a.turn.id,
        )
            .cmp(&(
                b.turn.due_date.is_none(),
                b.turn.due_date,
                b.folio,
                b.turn.id,
            ))
    });
    Ok(pending)
}
