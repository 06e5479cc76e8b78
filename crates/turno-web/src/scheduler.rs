//! The scheduler inside `turno serve`: every so often it lets time pass on the cases with work
//! past its due date (`turno_app::commands::sweep`), recording deadlines and taking the
//! expiry paths the definitions declare, then tells people what happened (`turno_notify`):
//! notifications, reminders, digests and the e-mails waiting to go. Every process runs one;
//! the store makes each deadline, escalation, notification and e-mail happen once however many
//! run at the same time. Before sweeping it picks up a calendar changed by another process
//! (`App::reload_calendars`) and the procedure versions another process published
//! (`App::reload_library`). Before sweeping, it opens the cases the schedules owe
//! (`turno_app::schedules::run`: each occurrence once across processes, those missed while
//! down caught up).

use crate::state::AppState;
use std::time::Duration;
use turno_app::commands::sweep;

/// Sweeps now and then every `every`, until the process stops.
pub async fn run(state: AppState, every: Duration) {
    let mut ticks = tokio::time::interval(every);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticks.tick().await;
        tick(&state).await;
    }
}

/// One sweep and one round of notifications, logged; a failure is logged and the next tick
/// tries again.
pub async fn tick(state: &AppState) {
    match state.reload_calendars().await {
        Ok(true) => tracing::info!(
            revision = state.calendars.revision(),
            "calendar changed: reloaded"
        ),
        Ok(false) => {}
        Err(e) => {
            tracing::warn!(error = %e, "the calendar could not be reloaded; the next tick retries")
        }
    }
    match state.reload_library().await {
        Ok(true) => tracing::info!("procedure versions published elsewhere: library reloaded"),
        Ok(false) => {}
        Err(e) => {
            tracing::warn!(error = %e, "the procedure library could not be reloaded; the next tick retries")
        }
    }
    match turno_app::schedules::run(state).await {
        Ok(ran) => {
            if !ran.opened.is_empty() || ran.taken > 0 {
                tracing::info!(
                    opened = ran.opened.len(),
                    taken = ran.taken,
                    "scheduled cases opened"
                );
            }
            for (schedule, why) in &ran.failed {
                tracing::warn!(schedule = %schedule, reason = %why, "a schedule could not open its case");
            }
        }
        Err(e) => tracing::warn!(error = %e, "running the schedules failed; the next tick retries"),
    }
    let moment = state.moment();
    let ctx = moment.context();
    match sweep(&state.store, &state.library.current(), &ctx).await {
        Ok(swept) if swept.committed > 0 || swept.conflicts > 0 => tracing::info!(
            cases = swept.cases,
            committed = swept.committed,
            conflicts = swept.conflicts,
            "deadlines swept"
        ),
        Ok(_) => {}
        Err(e) => tracing::warn!(error = %e, "the deadline sweep failed; the next one retries"),
    }
    let told = state
        .notifier
        .tick(
            &state.store,
            &state.library.current(),
            &ctx,
            &state.time_zone,
        )
        .await;
    match told {
        Ok(told) if !told.is_empty() => tracing::info!(
            events = told.events,
            reminders = told.reminders,
            digests = told.digests,
            correspondence = told.correspondence,
            notifications = told.notifications,
            mails_sent = told.mails_sent,
            mails_failed = told.mails_failed,
            "people told"
        ),
        Ok(_) => {}
        Err(e) => tracing::warn!(error = %e, "telling people failed; the next tick retries"),
    }
}
