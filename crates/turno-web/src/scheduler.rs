//! The scheduler inside `turno serve`: every so often it lets time pass on the cases with work
//! past its due date (`turno_store::commands::sweep`), recording deadlines and taking the
//! expiry paths the definitions declare. Every process runs one; the store's commands make
//! each deadline and each escalation happen once however many sweep at the same time. Before
//! sweeping it picks up a calendar changed by another process (`AppState::reload_calendars`).

use crate::state::AppState;
use std::time::Duration;
use turno_store::commands::sweep;

/// Sweeps now and then every `every`, until the process stops.
pub async fn run(state: AppState, every: Duration) {
    let mut ticks = tokio::time::interval(every);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticks.tick().await;
        tick(&state).await;
    }
}

/// One sweep, logged; a failure is logged and the next tick tries again.
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
    match sweep(&state.store, &state.library, &state.moment().context()).await {
        Ok(swept) if swept.committed > 0 || swept.conflicts > 0 => tracing::info!(
            cases = swept.cases,
            committed = swept.committed,
            conflicts = swept.conflicts,
            "deadlines swept"
        ),
        Ok(_) => {}
        Err(e) => tracing::warn!(error = %e, "the deadline sweep failed; the next one retries"),
    }
}
