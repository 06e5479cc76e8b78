//! Reminders: open work due within the next few business days is told to its units once per
//! due date (a due date that moves is reminded of again).

use crate::NotifyError;
use crate::tell::{Round, Telling, to_units};
use crate::templates::About;
use turno_domain::calendar::Regime;
use turno_store::notifications::{NotificationBatch, NotificationKind, Notifications};

/// Work items reminded of per tick; more wait for the following ticks.
const BATCH: i64 = 500;

/// Answers how many due dates were reminded of and how many notifications were new.
pub(crate) async fn due_soon<S: Notifications>(
    store: &S,
    round: &Round<'_>,
) -> Result<(usize, usize), NotifyError> {
    let (ctx, settings) = (round.ctx, round.settings);
    if settings.reminder_days == 0 {
        return Ok((0, 0));
    }
    // Counted on the administrative calendar: a reminder is a courtesy, a day early is harmless.
    let Ok(until) = ctx
        .calendars
        .get(Regime::Lfpa)
        .add_business_days(ctx.today, i32::from(settings.reminder_days))
    else {
        return Ok((0, 0));
    };
    let due = store.due_unreminded(ctx.today, until, BATCH).await?;
    if due.is_empty() {
        return Ok((0, 0));
    }
    let mut batch = NotificationBatch::default();
    for item in &due {
        batch.reminded.push((item.case_id, item.item, item.due));
        let about = About::new(
            round.library,
            &item.procedure_key,
            item.procedure_version,
            &item.folio,
            &item.title,
            &item.activity,
            Some(item.due),
            None,
        );
        let telling = Telling {
            kind: NotificationKind::DueSoon,
            case_id: item.case_id,
            item: item.item,
            dedup: format!("due_soon:{}:{}:{}", item.case_id, item.item, item.due),
            about: &about,
            actor: None,
        };
        to_units(store, &telling, &item.units, round, &mut batch).await?;
    }
    let new = store.record_notifications(&batch, ctx.now).await?;
    Ok((due.len(), new))
}
