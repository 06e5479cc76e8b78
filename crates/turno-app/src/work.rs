//! Acting on an open work item of a case, for the case page's forms and the API alike: the
//! checks every such command shares ([`on_work`]), then completing the item ([`Work::complete`]),
//! turning it to units ([`Work::turn`]), withdrawing one of those turns ([`Work::withdraw`]) or
//! stopping and restarting its term's clock ([`Work::clock`]).

use crate::access::{acting_for, actor, visible_current};
use crate::app::App;
use crate::checked::Checked;
use crate::commands::{
    ClockChange, CommandError, OnCase, clock_work, complete_work, turn_work, withdraw_turn,
};
use crate::efirma::{self, EfirmaInput};
use crate::error::Error;
use crate::fields::{self, Asked};
use crate::limits;
use crate::principal::Principal;
use std::collections::BTreeMap;
use std::sync::Arc;
use turno_domain::definition::Procedure;
use turno_domain::engine::{
    self, Actor, Case, ClockCommand, Complete, Turn, Withdraw, WorkItem, WorkItemId,
};
use turno_store::{Committed, CurrentCase, Store};

/// A command on one open work item, as asked.
pub struct WorkRequest<'a> {
    pub folio: &'a str,
    /// The work item's number (`WorkItemId`).
    pub item: u32,
    /// The case's version the person saw; `None` takes the case as it is now.
    pub seen_version: Option<i64>,
    /// A retried request's key: the first result is returned and nothing is applied again.
    pub idempotency_key: Option<&'a str>,
}

/// Where a command on a work item stands once its checks passed.
pub enum OnWork {
    /// A retry: the first result of its idempotency key.
    Replayed(Committed),
    /// Everything the command needs.
    Ready(Box<Work>),
}

/// An open work item the person may act on, at the version they saw.
pub struct Work {
    procedure: Arc<Procedure>,
    /// The case as read: the command applies to it, at its version.
    current: CurrentCase,
    item: WorkItem,
    /// Who acts, as the record keeps it.
    actor: Actor,
    /// The person's id: whose RFC or CURP an e.firma must carry.
    person: i64,
    idempotency_key: Option<String>,
}

/// What acting on a vanished work item says: someone answered it first.
const ANSWERED: &str =
    "Otra persona atendió esta actividad mientras usted veía el asunto. Revise su estado actual.";

/// The checks of a command on an open work item, in order: the case's visibility, a retry
/// (answered before looking at the item, which is closed by now), the version the person saw,
/// the item being open (409 when it is not: someone answered it first), and their right to act
/// on it.
pub async fn on_work(
    app: &App,
    user: &Principal,
    request: WorkRequest<'_>,
) -> Result<OnWork, Error> {
    let (case_id, procedure, current) = visible_current(app, user, request.folio).await?;
    if let Some(key) = request.idempotency_key
        && let Some(first) = app.store.replayed(key).await?
    {
        return if first.case_id == case_id {
            Ok(OnWork::Replayed(first))
        } else {
            Err(Error::KeyReused)
        };
    }
    let version = current.head.version;
    if let Some(seen) = request.seen_version
        && seen != version
    {
        return Err(Error::Conflict(format!(
            "Otra persona atendió este asunto mientras usted lo veía (lo vio en la versión \
             {seen}; ahora está en la {version}). Revise su estado actual."
        )));
    }
    let Some(item) = current.case.work_item(WorkItemId(request.item)) else {
        return Err(Error::Conflict(ANSWERED.into()));
    };
    let participant = acting_for(&procedure, &current.case, item, user).ok_or_else(|| {
        Error::Denied(
            "No puede actuar en esta actividad: no está turnada a sus unidades o su papel solo \
             permite consultar."
                .into(),
        )
    })?;
    let item = item.clone();
    let actor = actor(&procedure, Some(&item), user, participant);
    Ok(OnWork::Ready(Box::new(Work {
        procedure,
        current,
        item,
        actor,
        person: user.id,
        idempotency_key: request.idempotency_key.map(str::to_owned),
    })))
}

/// The data completing `item` may give: its activity's fields, required when the case has no
/// value yet. A turn is answered in words and documents: no data.
pub fn asked_fields<'p>(procedure: &'p Procedure, case: &Case, item: &WorkItem) -> Vec<Asked<'p>> {
    if item.turn.is_some() {
        return Vec::new();
    }
    procedure
        .activity(item.activity)
        .fields
        .iter()
        .map(|f| procedure.field(*f))
        .map(|f| (f, !case.fields.contains_key(&f.name)))
        .collect()
}

/// Completing an item: the answer of a decision, the data the activity asks for (as typed),
/// observations.
#[derive(Debug, Default)]
pub struct Completion {
    pub outcome: Option<String>,
    pub fields: BTreeMap<String, String>,
    pub observations: Option<String>,
    /// The person's e.firma over the completion's signed text ([`Work::signed_text`]), for
    /// an activity that asks for one ([`Work::signs`]); ignored for any other.
    pub efirma: Option<EfirmaInput>,
}

/// Turning an item to units chosen on the spot.
#[derive(Debug)]
pub struct Turning {
    /// The units' codes.
    pub units: Vec<String>,
    /// What they are asked to do.
    pub instruction: String,
    /// Their term in días hábiles; none for no due date.
    pub business_days: Option<u16>,
}

/// A text as checked (trimmed); none when blank.
fn given(text: String) -> Option<String> {
    Some(text).filter(|t| !t.is_empty())
}

impl Work {
    /// The activity's number in the manual ("2.1").
    pub fn number(&self) -> &str {
        &self.procedure.activity(self.item.activity).number
    }

    /// The data completing the item may give ([`asked_fields`]).
    pub fn asked_fields(&self) -> Vec<Asked<'_>> {
        asked_fields(&self.procedure, &self.current.case, &self.item)
    }

    fn on_case<'a>(&'a self, ctx: &'a turno_domain::engine::Context<'a>) -> OnCase<'a> {
        OnCase::new(&self.procedure, self.current.head.id, ctx)
            .seen(self.current.head.version)
            .once(self.idempotency_key.as_deref())
            .read(&self.current)
    }

    /// Whether completing the item asks for the person's e.firma: its activity says so
    /// (`signature = true`) and the item is not a turn (answered in words).
    pub fn signs(&self) -> bool {
        self.item.turn.is_none() && self.procedure.activity(self.item.activity).signature
    }

    /// The engine's command for `input`, checked: every problem by its field.
    fn command(&self, input: &Completion) -> Result<Complete, Error> {
        let mut checked = Checked::default();
        let outcome = checked.line(
            "outcome",
            "la respuesta",
            input.outcome.as_deref().unwrap_or_default(),
            limits::NAME,
            false,
        );
        let observations = checked.text(
            "observations",
            "la observación",
            input.observations.as_deref().unwrap_or_default(),
            limits::TEXT,
            false,
        );
        let number = self.number().to_owned();
        let fields = fields::read(
            &input.fields,
            &self.asked_fields(),
            &|_| format!("La actividad {number} no pide este dato."),
            &mut checked,
        );
        checked.done()?;
        Ok(Complete {
            item: self.item.id,
            by: self.actor.clone(),
            outcome: given(outcome),
            fields,
            observations: given(observations),
            signature: None,
        })
    }

    /// The exact text the person signs to complete the item with `input` (the engine's
    /// `signed_text`, UTF-8): what the page's e.firma signs, and what the signature sent with
    /// the completion is verified over.
    pub fn signed_text(&self, input: &Completion) -> Result<String, Error> {
        if !self.signs() {
            return Err(Error::Refused(format!(
                "La actividad {} no pide e.firma.",
                self.number()
            )));
        }
        let command = self.command(input)?;
        engine::signed_text(
            &self.procedure,
            &self.current.head.folio,
            &self.current.case,
            &command,
        )
        .map_err(|e| CommandError::Engine(e).into())
    }

    /// Completes (or decides) the item. When its activity asks for an e.firma, the signature
    /// is verified over the completion's signed text first (the certificate at this moment,
    /// its authority and revocation, the person's RFC or CURP), and the engine records it.
    pub async fn complete(self, app: &App, input: Completion) -> Result<Committed, Error> {
        let mut command = self.command(&input)?;
        if self.signs() {
            let text = self.signed_text(&input)?;
            let given = input.efirma.unwrap_or_default();
            let verified = efirma::verify_input(
                &app.store,
                self.person,
                text.as_bytes(),
                &given,
                app.clock.now(),
            )
            .await?;
            command.signature = Some(Box::new(efirma::signature_of(
                &self.current.head.folio,
                verified,
            )));
        }
        let number = self.number().to_owned();
        let moment = app.moment();
        let ctx = moment.context();
        let committed = complete_work(&app.store, self.on_case(&ctx), command).await?;
        if !committed.replayed {
            tracing::info!(folio = %committed.folio, activity = %number, user = %self.actor.user, "activity completed");
        }
        Ok(committed)
    }

    /// Turns the item to units, each answering with a work item of its own; the item completes
    /// once they all have.
    pub async fn turn(self, app: &App, input: Turning) -> Result<Committed, Error> {
        let mut checked = Checked::default();
        let units: Vec<String> = input
            .units
            .iter()
            .map(|u| checked.line("units", "la clave de la unidad", u, limits::CODE, true))
            .collect();
        let instruction = checked.text(
            "instruction",
            "la instrucción",
            &input.instruction,
            limits::TEXT,
            false,
        );
        checked.done()?;
        let known = app.store.units().await?;
        if let Some(unknown) = units
            .iter()
            .find(|code| !known.iter().any(|u| &u.code == *code))
        {
            return Err(Error::Invalid(format!("La unidad «{unknown}» no existe.")));
        }
        let moment = app.moment();
        let ctx = moment.context();
        let committed = turn_work(
            &app.store,
            self.on_case(&ctx),
            Turn {
                item: self.item.id,
                by: self.actor.clone(),
                units: units.clone(),
                instruction,
                business_days: input.business_days,
            },
        )
        .await?;
        if !committed.replayed {
            tracing::info!(folio = %committed.folio, activity = %self.number(), user = %self.actor.user, units = ?units, "activity turned");
        }
        Ok(committed)
    }

    /// Withdraws a turn given from the item by mistake, before its unit answers it (its work
    /// item number, `turn`), with the reason. Who may act on the item, and so turn it, may
    /// withdraw its turns.
    pub async fn withdraw(self, app: &App, turn: u32, reason: String) -> Result<Committed, Error> {
        let mut checked = Checked::default();
        let reason = checked.text("reason", "el motivo", &reason, limits::TEXT, false);
        checked.done()?;
        let moment = app.moment();
        let ctx = moment.context();
        let committed = withdraw_turn(
            &app.store,
            self.on_case(&ctx),
            Withdraw {
                from: self.item.id,
                turn: WorkItemId(turn),
                by: self.actor.clone(),
                reason,
            },
        )
        .await?;
        if !committed.replayed {
            tracing::info!(folio = %committed.folio, activity = %self.number(), user = %self.actor.user, turn, "turn withdrawn");
        }
        Ok(committed)
    }

    /// Stops the item's term's clock, with the reason, or restarts it.
    pub async fn clock(
        self,
        app: &App,
        change: ClockChange,
        reason: String,
    ) -> Result<Committed, Error> {
        let mut checked = Checked::default();
        let reason = checked.text("reason", "el motivo", &reason, limits::TEXT, false);
        checked.done()?;
        let moment = app.moment();
        let ctx = moment.context();
        Ok(clock_work(
            &app.store,
            self.on_case(&ctx),
            ClockCommand {
                item: self.item.id,
                by: self.actor.clone(),
                reason,
            },
            change,
        )
        .await?)
    }
}
