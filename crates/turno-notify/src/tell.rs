//! From the queued events to notifications: work turned or returned to a unit, and due dates
//! that passed, told to the people of the units the work is turned to.

use crate::templates::{self, About};
use crate::{NotifyError, Settings};
use turno_domain::engine::{Context, Event};
use turno_domain::library::Library;
use turno_store::CaseId;
use turno_store::notifications::{
    About as Subject, MailTo, NewNotification, NotificationBatch, NotificationKind, Notifications,
};

/// Events claimed per tick; a larger backlog is taken over the following ticks.
const BATCH: i64 = 200;
/// How long a claim holds: a process that dies leaves its events to others after it.
const LEASE_SECONDS: i64 = 120;

/// What one tick tells with: the procedures (for names), the time and calendars, the settings,
/// and whether e-mail is on.
pub(crate) struct Round<'a> {
    pub library: &'a Library,
    pub ctx: &'a Context<'a>,
    pub settings: &'a Settings,
    pub email: bool,
}

/// Tells the queued events. Answers how many events were handled and how many notifications
/// were new.
pub(crate) async fn queued<S: Notifications>(
    store: &S,
    round: &Round<'_>,
) -> Result<(usize, usize), NotifyError> {
    let ctx = round.ctx;
    // Leases count real seconds whatever clock the commands use (tests move theirs).
    let now = jiff::Timestamp::now().as_second();
    let events = store.claim_queued_events(now, LEASE_SECONDS, BATCH).await?;
    if events.is_empty() {
        return Ok((0, 0));
    }
    let mut batch = NotificationBatch::default();
    for queued in &events {
        batch.told.push(queued.event_id);
        let item = match &queued.event {
            Event::WorkOpened { item, .. }
            | Event::WorkTurned { item, .. }
            | Event::DeadlinePassed { item, .. } => item.0,
            _ => continue,
        };
        let Some(context) = store.item_context(queued.case_id, item).await? else {
            continue;
        };
        // Work already answered by the time it is told needs no telling; its expiry does.
        let (kind, instruction, units, dedup) = match &queued.event {
            Event::WorkOpened { .. } | Event::WorkTurned { .. } if !context.open => continue,
            Event::WorkOpened { .. } if context.returned => {
                (NotificationKind::Returned, None, context.units, None)
            }
            Event::WorkOpened { .. } => (NotificationKind::Turned, None, context.units, None),
            Event::WorkTurned {
                unit, instruction, ..
            } => (
                NotificationKind::Turned,
                Some(instruction.clone()),
                vec![unit.clone()],
                None,
            ),
            Event::DeadlinePassed { due, .. } => {
                (NotificationKind::Overdue, None, context.units, Some(*due))
            }
            _ => continue,
        };
        let dedup = match dedup {
            Some(due) => format!("{kind}:{}:{item}:{due}", queued.case_id),
            None => format!("{kind}:{}:{item}", queued.case_id),
        };
        let about = About::new(
            round.library,
            &queued.procedure_key,
            queued.procedure_version,
            &queued.folio,
            &queued.title,
            &context.activity,
            context.due,
            instruction,
        );
        let telling = Telling {
            kind,
            case_id: queued.case_id,
            item,
            dedup,
            about: &about,
            actor: Some(&queued.actor),
        };
        to_units(store, &telling, &units, round, &mut batch).await?;
    }
    let new = store.record_notifications(&batch, ctx.now).await?;
    Ok((events.len(), new))
}

/// One thing to tell about one work item.
pub(crate) struct Telling<'a> {
    pub kind: NotificationKind,
    pub case_id: CaseId,
    pub item: u32,
    /// Unique per person for this notification.
    pub dedup: String,
    pub about: &'a About,
    /// Who caused it, if someone did: they are not told.
    pub actor: Option<&'a str>,
}

/// Adds to the batch a notification for each person who works one of the units, as they chose
/// to receive it.
pub(crate) async fn to_units<S: Notifications>(
    store: &S,
    telling: &Telling<'_>,
    units: &[String],
    round: &Round<'_>,
    batch: &mut NotificationBatch,
) -> Result<(), NotifyError> {
    for unit in units {
        for recipient in store
            .recipients(unit, telling.kind, round.ctx.today)
            .await?
        {
            if Some(recipient.login.as_str()) == telling.actor {
                continue;
            }
            let address = email_of(&recipient, round.email);
            if !recipient.in_app && address.is_none() {
                continue;
            }
            let message = templates::render(
                telling.kind,
                telling.about,
                unit,
                &recipient.name,
                round.settings,
            )?;
            batch.notifications.push(NewNotification {
                user_id: recipient.user_id,
                kind: telling.kind,
                about: Subject::Case(telling.case_id),
                item: Some(telling.item),
                dedup: telling.dedup.clone(),
                subject: message.subject,
                body: message.summary,
                in_app: recipient.in_app,
                email: address.map(|address| MailTo {
                    address,
                    body: message.mail,
                }),
            });
        }
    }
    Ok(())
}

/// A recipient's e-mail address when they want this notification by e-mail and mail is on.
pub(crate) fn email_of(
    recipient: &turno_store::notifications::Recipient,
    email: bool,
) -> Option<String> {
    recipient
        .email
        .as_ref()
        .filter(|address| email && recipient.by_email && !address.trim().is_empty())
        .cloned()
}
