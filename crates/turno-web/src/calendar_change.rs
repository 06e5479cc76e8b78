//! What the calendar page and the API share: a change to the stored calendar (a file imported,
//! an entry removed), then this process's calendars rebuilt and every running due date counted
//! again on them, each one that moved recorded with why. Other processes pick the change up
//! on their scheduler's next tick.

use crate::state::AppState;
use turno_domain::calendar::NonWorkingPeriod;
use turno_store::calendar::{self, CalendarImport, CalendarImportError, change_reason};
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
    let moved = recount(state, &imported.added, &[]).await?;
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
    let moved = recount(state, &[], std::slice::from_ref(&entry.period)).await?;
    Ok(Some((entry.period, moved)))
}

async fn recount(
    state: &AppState,
    added: &[NonWorkingPeriod],
    removed: &[NonWorkingPeriod],
) -> Result<Vec<Moved>, ChangeError> {
    state.reload_calendars().await?;
    let moment = state.moment();
    let reason = change_reason(added, removed);
    Ok(
        recount_all(&state.store, &state.library, &moment.context(), &reason)
            .await?
            .moved,
    )
}
