//! What the calendar page and the API share: a change to the stored calendar (a file imported,
//! an entry removed, the agency's institution and state set), then this process's calendars rebuilt and every running due date counted
//! again on them, each one that moved recorded with why. Other processes pick the change up
//! on their scheduler's next tick.

use crate::state::AppState;
use turno_domain::calendar::{NonWorkingPeriod, State};
use turno_store::calendar::{
    self, CalendarImport, CalendarImportError, change_reason, scope_reason,
};
use turno_store::commands::{CommandError, Moved, recount_all};
use turno_store::{Store, StoreError};

/// Why a change did nothing.
#[derive(Debug, thiserror::Error)]
pub enum ChangeError {
    /// The file's problems, each as `file:line:column: field: message`; nothing imported.
    #[error("the calendar file has problems")]
    Invalid(Vec<String>),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Command(#[from] CommandError),
}

impl From<ChangeError> for crate::error::AppError {
    fn from(error: ChangeError) -> Self {
        match error {
            ChangeError::Invalid(problems) => {
                crate::error::AppError::BadRequest(problems.join("\n"))
            }
            ChangeError::Store(e) => e.into(),
            ChangeError::Command(e) => e.into(),
        }
    }
}

impl From<ChangeError> for crate::api::error::ApiError {
    fn from(error: ChangeError) -> Self {
        match error {
            ChangeError::Invalid(problems) => crate::api::error::ApiError::invalid_file(problems),
            ChangeError::Store(e) => e.into(),
            ChangeError::Command(e) => e.into(),
        }
    }
}

/// Imports one calendar file (all or nothing) and counts the due dates again.
pub async fn import(
    state: &AppState,
    file: &str,
    text: &str,
    actor: &str,
) -> Result<(CalendarImport, Vec<Moved>), ChangeError> {
    let imported = match calendar::import(&state.store, &[(file, text)], actor).await {
        Ok(imported) => imported,
        Err(CalendarImportError::Invalid(problems)) => {
            return Err(ChangeError::Invalid(
                problems.iter().map(ToString::to_string).collect(),
            ));
        }
        Err(CalendarImportError::Store(e)) => return Err(e.into()),
    };
    // Also when nothing was added: it finishes a recount cut short before.
    let moved = recount(state, change_reason(&imported.added, &[])).await?;
    Ok((imported, moved))
}

/// Removes a stored entry and counts the due dates again; `None` when there is no such entry.
pub async fn remove(
    state: &AppState,
    id: i64,
    actor: &str,
) -> Result<Option<(NonWorkingPeriod, Vec<Moved>)>, ChangeError> {
    let Some(entry) = state.store.remove_calendar_entry(id, actor).await? else {
        return Ok(None);
    };
    let moved = recount(
        state,
        change_reason(&[], std::slice::from_ref(&entry.period)),
    )
    .await?;
    Ok(Some((entry.period, moved)))
}

/// Sets whose institution's and state's entries the agency counts on, and counts the due dates
/// again.
pub async fn set_scope(
    state: &AppState,
    institution: Option<&str>,
    agency_state: Option<State>,
    actor: &str,
) -> Result<Vec<Moved>, ChangeError> {
    state
        .store
        .set_calendar_scope(institution, agency_state, actor)
        .await?;
    recount(state, scope_reason(institution, agency_state)).await
}

async fn recount(state: &AppState, reason: String) -> Result<Vec<Moved>, ChangeError> {
    state.reload_calendars().await?;
    let moment = state.moment();
    Ok(
        recount_all(&state.store, &state.library, &moment.context(), &reason)
            .await?
            .moved,
    )
}
