//! The follow-up pages (`/seguimiento`): programs, a program's dashboard as of a cut-off date,
//! an item with its activities, evidence and history, the compliance calendar, the final report,
//! the import of the three tables and a supervision's rounds (`docs/asm-format.md`).
//!
//! Every signed-in person reads them. Who records an activity's progress and who follows a
//! supervision is `turno_app::programs`'s to say; importing programs is for administrators.

pub mod calendar;
pub mod item;
pub mod list;
pub mod program;
pub mod report;
pub mod supervision;
pub mod tables;

use crate::error::AppError;
use crate::state::AppState;
use std::collections::HashMap;
use turno_domain::followup::{FollowupError, Program, Update};
use turno_store::followup::{Followup, HistoryEntry, UpdateError};

/// The program under `key`, or 404.
pub async fn load(state: &AppState, key: &str) -> Result<Program, AppError> {
    state.store.program(key).await?.ok_or(AppError::NotFound)
}

/// Each activity's updates, by item key and activity number.
pub fn by_activity(history: &[HistoryEntry]) -> HashMap<(String, u32), Vec<Update>> {
    let mut map: HashMap<(String, u32), Vec<Update>> = HashMap::new();
    for entry in history {
        map.entry((entry.item.clone(), entry.activity))
            .or_default()
            .push(entry.update.clone());
    }
    map
}

/// A date as the pages show it.
pub fn day(date: jiff::civil::Date) -> String {
    date.strftime("%d/%m/%Y").to_string()
}

/// A refused change or round, in Spanish.
pub fn refusal(e: UpdateError) -> AppError {
    match e {
        UpdateError::NotFound => AppError::NotFound,
        UpdateError::Refused(e @ (FollowupError::Closed(_) | FollowupError::SupervisionEnded)) => {
            AppError::Conflict(sentence(&e))
        }
        UpdateError::Refused(e) => AppError::BadRequest(sentence(&e)),
        UpdateError::Store(e) => e.into(),
    }
}

/// The domain's message as a sentence: capitalized, with its period.
pub fn sentence(e: &FollowupError) -> String {
    let text = e.to_string();
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => format!("{}{}.", first.to_uppercase(), chars.as_str()),
        None => text,
    }
}
