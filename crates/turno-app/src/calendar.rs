//! What the calendar page and the API share: a change to the stored calendar (a file imported,
//! an entry removed, the agency's institution and state set), then this process's calendars rebuilt and every running due date counted
//! again on them, each one that moved recorded with why. Other processes pick the change up
//! on their scheduler's next tick.

use crate::app::App;
use crate::commands::{CommandError, Moved, recount_all};
use crate::error::Error;
use turno_domain::calendar::{NonWorkingPeriod, State};
use turno_store::Store;
use turno_store::calendar::{
    self, CalendarImport, CalendarImportError, change_reason, scope_reason,
};

/// Why a change did nothing.
#[derive(Debug, thiserror::Error)]
pub enum ChangeError {
    /// The file's problems, each as `file:line:column: field: message`; nothing imported.
    #[error("the calendar file has problems")]
    Invalid(Vec<String>),
    #[error(transparent)]
    Failed(#[from] Error),
}

impl From<turno_store::StoreError> for ChangeError {
    fn from(e: turno_store::StoreError) -> ChangeError {
        ChangeError::Failed(e.into())
    }
}

impl From<CommandError> for ChangeError {
    fn from(e: CommandError) -> ChangeError {
        ChangeError::Failed(e.into())
    }
}

/// Imports one calendar file (all or nothing) and counts the due dates again.
pub async fn import(
    app: &App,
    file: &str,
    text: &str,
    actor: &str,
) -> Result<(CalendarImport, Vec<Moved>), ChangeError> {
    let imported = match calendar::import(&app.store, &[(file, text)], actor).await {
        Ok(imported) => imported,
        Err(CalendarImportError::Invalid(problems)) => {
            return Err(ChangeError::Invalid(
                problems.iter().map(ToString::to_string).collect(),
            ));
        }
        Err(CalendarImportError::Store(e)) => return Err(e.into()),
    };
    // Also when nothing was added: it finishes a recount cut short before.
    let moved = recount(app, change_reason(&imported.added, &[])).await?;
    Ok((imported, moved))
}

/// Removes a stored entry and counts the due dates again; `None` when there is no such entry.
pub async fn remove(
    app: &App,
    id: i64,
    actor: &str,
) -> Result<Option<(NonWorkingPeriod, Vec<Moved>)>, ChangeError> {
    let Some(entry) = app.store.remove_calendar_entry(id, actor).await? else {
        return Ok(None);
    };
    let moved = recount(app, change_reason(&[], std::slice::from_ref(&entry.period))).await?;
    Ok(Some((entry.period, moved)))
}

/// Sets whose institution's and state's entries the agency counts on, and counts the due dates
/// again.
pub async fn set_scope(
    app: &App,
    institution: Option<&str>,
    agency_state: Option<State>,
    actor: &str,
) -> Result<Vec<Moved>, ChangeError> {
    app.store
        .set_calendar_scope(institution, agency_state, actor)
        .await?;
    recount(app, scope_reason(institution, agency_state)).await
}

async fn recount(app: &App, reason: String) -> Result<Vec<Moved>, ChangeError> {
    app.reload_calendars().await?;
    let moment = app.moment();
    Ok(
        recount_all(&app.store, &app.library, &moment.context(), &reason)
            .await?
            .moved,
    )
}
