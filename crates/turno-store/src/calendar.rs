//! The calendar's extra non-working days (the yearly DOF agreements of docs/calendar-data.md)
//! kept in the database, so that every `turno serve` process on it counts on the same days, and
//! `import`: files checked first, then written in one transaction on the audit log.

use crate::error::StoreError;
use jiff::civil::Date;
use turno_domain::calendar::{
    CalendarData, CalendarDataError, NonWorkingPeriod, Regime, Scope, State,
};
use turno_domain::engine::Calendars;

/// One stored entry, with where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalendarEntry {
    pub id: i64,
    pub period: NonWorkingPeriod,
    /// The file it was imported from, as named at the import.
    pub file: String,
    pub imported_by: String,
    pub imported_at: String,
}

/// Every stored entry, by first day, and the revision they are at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredCalendar {
    /// Changes with every import that adds something, every removal and every change of scope.
    pub revision: i64,
    pub entries: Vec<CalendarEntry>,
    /// The agency's institution and state: their entries apply, those of others do not.
    pub institution: Option<String>,
    pub state: Option<State>,
}

impl StoredCalendar {
    /// Whose entries apply besides those for everyone.
    pub fn scope(&self) -> Scope<'_> {
        Scope {
            institution: self.institution.as_deref(),
            state: self.state,
        }
    }

    /// The calendars the agency counts on.
    pub fn calendars(&self) -> Calendars {
        Calendars::build(&self.data(), self.scope())
    }

    /// The entries as the domain builds calendars from them.
    pub fn data(&self) -> CalendarData {
        CalendarData::from(
            self.entries
                .iter()
                .map(|e| e.period.clone())
                .collect::<Vec<_>>(),
        )
    }
}

/// What an import did.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CalendarImport {
    /// The entries added, in the files' order.
    pub added: Vec<NonWorkingPeriod>,
    /// Entries already stored (from this file or another), left as they were.
    pub unchanged: usize,
    pub revision: i64,
}

#[derive(Debug, sqlx::FromRow)]
pub(crate) struct EntryRow {
    id: i64,
    first_day: String,
    last_day: String,
    name: String,
    regimes: Option<String>,
    institution: Option<String>,
    state: Option<String>,
    source: Option<String>,
    file: String,
    imported_by: String,
    imported_at: String,
}

impl EntryRow {
    pub(crate) fn entry(self) -> Result<CalendarEntry, StoreError> {
        let id = self.id;
        let bad = |what: &str| StoreError::corrupt(format!("calendar entry {id}: {what}"));
        let day = |text: &str| text.parse::<Date>().map_err(|_| bad("date"));
        let regimes = self
            .regimes
            .map(|text| {
                text.split(',')
                    .map(|r| r.parse::<Regime>().map_err(|_| bad("regime")))
                    .collect::<Result<Vec<_>, _>>()
            })
            .transpose()?;
        let state = self
            .state
            .map(|s| s.parse::<State>().map_err(|_| bad("state")))
            .transpose()?;
        Ok(CalendarEntry {
            id,
            period: NonWorkingPeriod {
                from: day(&self.first_day)?,
                to: day(&self.last_day)?,
                name: self.name,
                regimes,
                institution: self.institution,
                state,
                source: self.source,
            },
            file: self.file,
            imported_by: self.imported_by,
            imported_at: self.imported_at,
        })
    }
}

pub(crate) const ENTRY_COLUMNS: &str = "id, first_day, last_day, name, regimes, institution, \
     state, source, file, imported_by, imported_at";

/// The stored form of an entry's regimes: `None` for both.
pub(crate) fn regimes(period: &NonWorkingPeriod) -> Option<String> {
    period
        .regimes
        .as_ref()
        .map(|r| r.iter().map(|r| r.code()).collect::<Vec<_>>().join(","))
}

/// An entry as the audit log records it; as text, its unique key: the same content, the same
/// text.
pub(crate) fn detail(period: &NonWorkingPeriod) -> serde_json::Value {
    serde_json::json!({
        "from": period.from.to_string(),
        "to": period.to.to_string(),
        "name": period.name,
        "regimes": regimes(period),
        "institution": period.institution,
        "state": period.state.map(|s| s.code()),
        "source": period.source,
    })
}

/// Why a calendar import did nothing.
#[derive(Debug, thiserror::Error)]
pub enum CalendarImportError {
    /// Each file's problem as `file:line:column: field: message`.
    #[error("{} file(s) with problems", .0.len())]
    Invalid(Vec<CalendarDataError>),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Reads calendar files (name, text) and imports them together in one transaction; with a
/// problem in any file, nothing is imported.
pub async fn import<S: crate::Store>(
    store: &S,
    files: &[(&str, &str)],
    actor: &str,
) -> Result<CalendarImport, CalendarImportError> {
    let mut problems = Vec::new();
    let mut read = Vec::new();
    for (name, text) in files {
        match CalendarData::parse(name, text) {
            Ok(data) => read.push((*name, data)),
            Err(problem) => problems.push(problem),
        }
    }
    if !problems.is_empty() {
        return Err(CalendarImportError::Invalid(problems));
    }
    Ok(store.import_calendar(&read, actor).await?)
}

/// What changed in the calendar, in the words the case's record shows for a due date it moved.
pub fn change_reason(added: &[NonWorkingPeriod], removed: &[NonWorkingPeriod]) -> String {
    use turno_domain::text::day;
    let describe = |verb: &str, p: &NonWorkingPeriod| {
        if p.from == p.to {
            format!("se {verb} día inhábil {} «{}»", day(p.from), p.name)
        } else {
            format!(
                "se {verb} periodo inhábil del {} al {} «{}»",
                day(p.from),
                day(p.to),
                p.name
            )
        }
    };
    let mut changes: Vec<String> = added.iter().map(|p| describe("agregó", p)).collect();
    changes.extend(removed.iter().map(|p| describe("quitó", p)));
    if changes.is_empty() {
        // Counting again after a recount was cut short: the change itself was recorded before.
        return "Calendario: recálculo con el calendario vigente".to_owned();
    }
    // A whole year's file would make an unreadable line: beyond a few, the count.
    const LISTED: usize = 3;
    if changes.len() > LISTED {
        let more = changes.len() - LISTED;
        changes.truncate(LISTED);
        changes.push(format!("y {more} cambios más"));
    }
    format!("Calendario: {}", changes.join("; "))
}

/// Why due dates moved when the agency's calendar scope changed, in Spanish.
pub fn scope_reason(institution: Option<&str>, state: Option<State>) -> String {
    let whose = match (institution, state) {
        (None, None) => "solo los días inhábiles generales".to_owned(),
        (Some(i), None) => format!("los días inhábiles de {i}"),
        (None, Some(s)) => format!("los días inhábiles de {}", s.name()),
        (Some(i), Some(s)) => format!("los días inhábiles de {i} y de {}", s.name()),
    };
    format!("Calendario: ahora cuenta {whose}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_reason_names_the_days_and_counts_the_rest() {
        let data = CalendarData::parse(
            "2026.toml",
            "[[days]]\ndate = \"2026-12-07\"\nname = \"Acuerdo\"\n\
             [[ranges]]\nfrom = \"2026-07-20\"\nto = \"2026-07-31\"\nname = \"Vacaciones\"\n",
        )
        .unwrap();
        assert_eq!(
            change_reason(data.periods(), &[]),
            "Calendario: se agregó día inhábil 07/12/2026 «Acuerdo»; \
             se agregó periodo inhábil del 20/07/2026 al 31/07/2026 «Vacaciones»"
        );
        assert_eq!(
            change_reason(&[], &data.periods()[..1]),
            "Calendario: se quitó día inhábil 07/12/2026 «Acuerdo»"
        );
        let many: Vec<_> = (0..5).map(|_| data.periods()[0].clone()).collect();
        assert!(change_reason(&many, &[]).ends_with("; y 2 cambios más"));
        assert_eq!(
            change_reason(&[], &[]),
            "Calendario: recálculo con el calendario vigente"
        );
    }
}
