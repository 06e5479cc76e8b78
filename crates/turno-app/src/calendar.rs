//! A change to the stored calendar, as the administration page and the API make it (a file
//! imported, one día inhábil or period added, changed or removed, the agency's institution and
//! state set); then this process's calendars rebuilt and every running due date counted
//! again on them, each one that moved recorded with why. Other processes pick the change up on
//! their scheduler's next tick. The callers are administrators' handlers (`actor`).

use crate::app::App;
use crate::checked::Checked;
use crate::commands::{Moved, recount_all};
use crate::error::Error;
use crate::limits;
use jiff::civil::Date;
use turno_domain::calendar::{
    CalendarData, MAX_RANGE_DAYS, NonWorkingPeriod, Regime, State as MexicanState,
};
use turno_domain::text::capitalized;
use turno_store::Store;
use turno_store::calendar::{
    self, CalendarImport, CalendarImportError, change_reason, scope_reason,
};

/// The years the calendars precompute: days outside them would count on nothing.
pub const YEARS: std::ops::RangeInclusive<i16> = 1990..=2100;

/// What the entries added one at a time are recorded as having come from, where an import
/// names its file.
pub const ADDED: &str = "agregado en Turno";

/// Imports one calendar file (all or nothing; its problems as `file:line:column: field:
/// message`) and counts the due dates again.
pub async fn import(
    app: &App,
    file: &str,
    text: &str,
    actor: &str,
) -> Result<(CalendarImport, Vec<Moved>), Error> {
    // An empty file is a file forgotten, not an agreement without days.
    if text.trim().is_empty() {
        return Err(Error::InvalidFile(vec![format!(
            "{file}: el archivo está vacío."
        )]));
    }
    let imported = match calendar::import(&app.store, &[(file, text)], actor).await {
        Ok(imported) => imported,
        Err(CalendarImportError::Invalid(problems)) => {
            return Err(Error::InvalidFile(
                problems.iter().map(ToString::to_string).collect(),
            ));
        }
        Err(CalendarImportError::Store(e)) => return Err(e.into()),
    };
    // Also when nothing was added: it finishes a recount cut short before.
    let moved = recount(app, change_reason(&imported.added, &[])).await?;
    Ok((imported, moved))
}

/// One día inhábil or period as a person writes it down: its dates (`AAAA-MM-DD`; `to` the
/// same day when blank), its name and, if it is not for everyone, its regimes (`lfpa`,
/// `lft`), institution and state, and where it was published.
pub struct NewEntry<'a> {
    pub from: &'a str,
    pub to: &'a str,
    pub name: &'a str,
    pub regimes: &'a [String],
    pub institution: &'a str,
    pub state: &'a str,
    pub source: &'a str,
}

/// `date` when it falls in the years the calendars count on; else the field noted as wrong.
pub(crate) fn within_years(
    checked: &mut Checked,
    field: &str,
    what: &str,
    date: Date,
) -> Option<Date> {
    if YEARS.contains(&date.year()) {
        return Some(date);
    }
    checked.wrong(
        field,
        format!(
            "{} debe caer entre {} y {}.",
            capitalized(what),
            YEARS.start(),
            YEARS.end()
        ),
    );
    None
}

/// A date of the years the calendars count on, or why not.
fn day(checked: &mut Checked, field: &str, what: &str, text: &str) -> Option<Date> {
    match text.trim().parse::<Date>() {
        Ok(date) => within_years(checked, field, what, date),
        Err(_) => {
            checked.wrong(field, format!("Escriba {what} como AAAA-MM-DD."));
            None
        }
    }
}

/// An institution's code (`SSA`, `IMSS`), upper-cased, or why not.
fn institution(checked: &mut Checked, code: &str) -> Option<String> {
    let code = checked.text("institution", "la institución", code, limits::CODE, false);
    if code.is_empty() {
        return None;
    }
    if !code.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
        checked.wrong(
            "institution",
            format!(
                "«{code}» no es una clave de institución (letras, números y guiones, como SSA o \
                 IMSS)."
            ),
        );
        return None;
    }
    Some(code.to_uppercase())
}

/// A state by code or name, or why not.
fn mexican_state(checked: &mut Checked, text: &str) -> Option<MexicanState> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    text.parse::<MexicanState>()
        .map_err(|_| checked.wrong("state", format!("«{text}» no es una entidad federativa.")))
        .ok()
}

/// The entry a person wrote down, checked: every problem named by its field.
fn period(entry: NewEntry<'_>) -> Result<NonWorkingPeriod, Error> {
    let mut checked = Checked::default();
    let from = day(&mut checked, "from", "el primer día", entry.from);
    let to = match entry.to.trim() {
        "" => from,
        text => day(&mut checked, "to", "el último día", text),
    };
    if let (Some(from), Some(to)) = (from, to) {
        let days = from.until(to).map(|s| s.get_days()).unwrap_or(i32::MAX);
        if to < from {
            checked.wrong("to", "El último día no puede ser anterior al primero.");
        } else if days >= MAX_RANGE_DAYS {
            checked.wrong(
                "to",
                format!("Un periodo inhábil dura a lo más {MAX_RANGE_DAYS} días."),
            );
        }
    }
    let name = checked.line("name", "el nombre del día", entry.name, limits::NAME, true);
    let regimes = entry
        .regimes
        .iter()
        .filter_map(|r| {
            r.trim()
                .parse::<Regime>()
                .map_err(|_| {
                    checked.wrong("regimes", format!("«{r}» no es un régimen (lfpa o lft)."))
                })
                .ok()
        })
        .collect::<Vec<_>>();
    let institution = institution(&mut checked, entry.institution);
    let agency_state = mexican_state(&mut checked, entry.state);
    let source = checked.text("source", "la fuente", entry.source, limits::NAME, false);
    let (Some(from), Some(to)) = (from, to) else {
        return Err(checked.refused());
    };
    checked.done()?;
    Ok(NonWorkingPeriod {
        from,
        to,
        name,
        regimes: (!regimes.is_empty()).then_some(regimes),
        institution,
        state: agency_state,
        source: (!source.is_empty()).then_some(source),
    })
}

/// Adds one día inhábil or period, as an imported file's entry would be (the same one stored
/// already is not added again), and counts the due dates again.
pub async fn add(
    app: &App,
    entry: NewEntry<'_>,
    actor: &str,
) -> Result<(CalendarImport, Vec<Moved>), Error> {
    let period = period(entry)?;
    let imported = app
        .store
        .import_calendar(&[(ADDED, CalendarData::from(vec![period]))], actor)
        .await?;
    let moved = recount(app, change_reason(&imported.added, &[])).await?;
    Ok((imported, moved))
}

/// A stored entry changed: what it was, what it is now, and the due dates that moved.
pub struct Changed {
    pub before: NonWorkingPeriod,
    pub after: NonWorkingPeriod,
    pub moved: Vec<Moved>,
}

/// Puts what the person wrote in place of a stored entry and counts the due dates again;
/// `None` when there is no such entry.
pub async fn change(
    app: &App,
    id: i64,
    entry: NewEntry<'_>,
    actor: &str,
) -> Result<Option<Changed>, Error> {
    let after = period(entry)?;
    let Some(before) = app.store.change_calendar_entry(id, &after, actor).await? else {
        return Ok(None);
    };
    let reason = change_reason(
        std::slice::from_ref(&after),
        std::slice::from_ref(&before.period),
    );
    let moved = recount(app, reason).await?;
    Ok(Some(Changed {
        before: before.period,
        after,
        moved,
    }))
}

/// Removes a stored entry and counts the due dates again; `None` when there is no such entry.
pub async fn remove(
    app: &App,
    id: i64,
    actor: &str,
) -> Result<Option<(NonWorkingPeriod, Vec<Moved>)>, Error> {
    let Some(entry) = app.store.remove_calendar_entry(id, actor).await? else {
        return Ok(None);
    };
    let moved = recount(app, change_reason(&[], std::slice::from_ref(&entry.period))).await?;
    Ok(Some((entry.period, moved)))
}

/// Sets whose institution's (a code; none when blank) and state's (by code or name; none when
/// blank) entries the agency counts on, and counts the due dates again. Answers the words the
/// record gives the change, and the due dates that moved.
pub async fn set_scope(
    app: &App,
    institution_code: &str,
    state_name: &str,
    actor: &str,
) -> Result<(String, Vec<Moved>), Error> {
    let mut checked = Checked::default();
    let institution = institution(&mut checked, institution_code);
    let agency_state = mexican_state(&mut checked, state_name);
    checked.done()?;
    app.store
        .set_calendar_scope(institution.as_deref(), agency_state, actor)
        .await?;
    let reason = scope_reason(institution.as_deref(), agency_state);
    let moved = recount(app, reason.clone()).await?;
    Ok((reason, moved))
}

async fn recount(app: &App, reason: String) -> Result<Vec<Moved>, Error> {
    app.reload_calendars().await?;
    let moment = app.moment();
    Ok(recount_all(
        &app.store,
        &app.library.current(),
        &moment.context(),
        &reason,
    )
    .await?
    .moved)
}
