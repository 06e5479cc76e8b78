//! The follow-up pages (`/seguimiento`): programs, a program's dashboard as of a cut-off date,
//! an item with its activities, evidence and history, the compliance calendar, the final report,
//! the import of the three tables, a supervision's rounds, the programs written down line by
//! line (agreements, commitments, audit observations, PAT, PTAR, PTCI) with their quarterly
//! cut-offs and their roll-up from units to a direction (`docs/asm-format.md`,
//! `docs/transparency-audits-agreements.md`). What they do is `turno_app::programs`'s, shared with the
//! API, with its rules: every signed-in person reads; an activity's progress is recorded by the
//! people of its responsible areas and administrators; importing is for administrators;
//! supervisions and agreements are written by those who may act.

pub mod agreements;
pub mod calendar;
pub mod edit;
pub mod item;
pub mod lines;
pub mod list;
pub mod program;
pub mod quarter;
pub mod report;
pub mod rollup;
pub mod supervision;
pub mod tables;

use crate::error::AppError;
use crate::state::AppState;
use turno_domain::followup::Program;
pub use turno_domain::text::day;
use turno_store::followup::Followup;

/// The cut-off date a page was asked for (`?corte=aaaa-mm-dd`), today if none.
pub fn cut(state: &AppState, asked: Option<&str>) -> Result<jiff::civil::Date, AppError> {
    match asked.filter(|c| !c.is_empty()) {
        Some(text) => turno_domain::followup::parse_date(text).ok_or_else(|| {
            AppError::BadRequest(format!("«{text}» no es una fecha de corte (aaaa-mm-dd)."))
        }),
        None => Ok(state.today()),
    }
}

/// The program under `key`, or 404.
pub async fn load(state: &AppState, key: &str) -> Result<Program, AppError> {
    state.store.program(key).await?.ok_or(AppError::NotFound)
}
