//! The correspondence report of a unit and a period (issue 17, item 5; docs/correspondence.md,
//! «Reports»), built once for the page, its files and the API.
//!
//! **Which turns.** The turns given to the unit (and, when asked, to the units below it) on a
//! day of the period, in the agency's time zone; a turn given from one of those units to
//! another of them (a reassignment inside) is not counted again. Whether each was answered in
//! time, and how old the pending ones are, is the domain's (`CorrespondenceReport::build`), on
//! the LFPA calendar of the turns' terms and the semáforo's thresholds. With the units below,
//! the report is broken down per unit (`UnitReport::lines`): each counted turn in the line of
//! the unit it was given to, each outgoing document in its issuing unit's, so that the lines add
//! up to the whole.
//!
//! **Who sees it.** The people of the unit, of the units above it (the units a person sees:
//! theirs and every unit below), and administrators: decided here, for the page and the API.

use super::incoming::REGIME;
use crate::app::App;
use crate::calendar::within_years;
use crate::checked::Checked;
use crate::error::Error;
use crate::limits;
use crate::principal::Principal;
use jiff::civil::Date;
use turno_domain::correspondence::{
    Act, CorrespondenceReport, OutgoingFact, Step, TurnFacts, TurnStatus, UnitLine,
};
use turno_store::{Correspondence, Store, Unit};

/// The longest period a report covers, in days: five years.
pub const MAX_PERIOD_DAYS: i32 = 5 * 366;

/// A report as asked: the unit's code, whether the units below it count too, and the period's
/// first and last days (`AAAA-MM-DD`), as typed.
#[derive(Debug, Clone, Copy, Default)]
pub struct Asked<'a> {
    pub unit: &'a str,
    pub below: bool,
    pub from: &'a str,
    pub to: &'a str,
}

/// A unit's report as made.
#[derive(Debug, Clone)]
pub struct UnitReport {
    pub unit: Unit,
    /// Whether the units below it are counted.
    pub below: bool,
    /// The units counted: the unit first, then those below it when asked.
    pub units: Vec<String>,
    pub report: CorrespondenceReport,
    /// With the units below: one line per unit counted, in the order of `units`; else empty.
    pub lines: Vec<UnitLine>,
}

/// Whether `user` may see the reports of `unit`: its people, the people of the units above
/// it, administrators.
pub fn may_see(user: &Principal, unit: &str) -> bool {
    user.is_admin() || user.visible_units.iter().any(|u| u == unit)
}

/// The units whose reports `user` may see, for the form.
pub async fn units(app: &App, user: &Principal) -> Result<Vec<Unit>, Error> {
    Ok(app
        .store
        .units()
        .await?
        .into_iter()
        .filter(|u| may_see(user, &u.code))
        .collect())
}

/// The first moment of `day` in the agency's time zone.
fn start_of(app: &App, day: Date) -> Result<jiff::Timestamp, Error> {
    day.to_zoned(app.time_zone.clone())
        .map(|z| z.timestamp())
        .map_err(|e| Error::internal(format!("the start of {day}: {e}")))
}

/// A day of the period as read (`search::dates`), required and within the years the calendars
/// count on; or the field noted as wrong.
fn day(checked: &mut Checked, field: &str, what: &str, read: crate::search::Day) -> Option<Date> {
    match read {
        Ok(Some(day)) => within_years(checked, field, what, day),
        Ok(None) => {
            checked.wrong(field, format!("Escriba {what} como AAAA-MM-DD."));
            None
        }
        Err(why) => {
            checked.wrong(field, why);
            None
        }
    }
}

/// The report `asked`, for `user`: every problem of what was typed named by its field
/// (`unidad`, `desde`, `hasta`), a unit they may not see refused.
pub async fn report(app: &App, user: &Principal, asked: Asked<'_>) -> Result<UnitReport, Error> {
    let mut checked = Checked::default();
    let code = checked.line("unidad", "la unidad", asked.unit, limits::CODE, true);
    let all = app.store.units().await?;
    let unit = all.iter().find(|u| u.code == code).cloned();
    if !code.is_empty() && unit.is_none() {
        checked.wrong("unidad", format!("La unidad «{code}» no existe."));
    }
    let (from, to) = crate::search::dates(asked.from, asked.to);
    let from = day(&mut checked, "desde", "la fecha inicial del periodo", from);
    let to = day(&mut checked, "hasta", "la fecha final del periodo", to);
    if let (Some(from), Some(to)) = (from, to)
        && from
            .until(to)
            .map_or(true, |span| span.get_days() > MAX_PERIOD_DAYS)
    {
        checked.wrong("hasta", "El periodo abarca a lo más cinco años: acórtelo.");
    }
    checked.done()?;
    let (Some(unit), Some(from), Some(to)) = (unit, from, to) else {
        return Err(Error::internal("a report with problems passed the checks"));
    };
    if !may_see(user, &unit.code) {
        return Err(Error::Denied(format!(
            "El informe de correspondencia de «{}» lo ven sus personas, las de las unidades \
             superiores y los administradores.",
            unit.code
        )));
    }
    let units = if asked.below {
        let mut below = app
            .store
            .units_below(std::slice::from_ref(&unit.code))
            .await?;
        below.retain(|c| *c != unit.code);
        below.sort();
        std::iter::once(unit.code.clone()).chain(below).collect()
    } else {
        vec![unit.code.clone()]
    };
    let since = start_of(app, from)?;
    let after = to
        .tomorrow()
        .map_err(|e| Error::internal(format!("the day after {to}: {e}")))?;
    let until = start_of(app, after)?;
    let day_of = |at: jiff::Timestamp| at.to_zoned(app.time_zone.clone()).date();
    let in_period = |day: Date| from <= day && day <= to;
    let turns: Vec<(String, TurnFacts)> = app
        .store
        .turns_to_units(&units, since, until)
        .await?
        .into_iter()
        .filter(|t| in_period(day_of(t.turn.turned_at)))
        .filter(|t| {
            t.parent_unit
                .as_ref()
                .is_none_or(|parent| !units.contains(parent))
        })
        .map(|t| {
            let facts = TurnFacts {
                turned_on: day_of(t.turn.turned_at),
                due: t.turn.due_date,
                instruction: t.turn.instruction,
                status: t.turn.status,
                closed_on: t
                    .turn
                    .closed_at
                    .filter(|_| t.turn.status != TurnStatus::Open)
                    .map(day_of),
            };
            (t.turn.unit, facts)
        })
        .collect();
    let counted = [
        (Step::Sign, OutgoingFact::Signed),
        (Step::Dispatch, OutgoingFact::Dispatched),
        (Step::Cancel, OutgoingFact::Cancelled),
    ];
    let codes: Vec<&str> = counted.iter().map(|(s, _)| Act::Step(*s).code()).collect();
    let outgoing: Vec<(String, OutgoingFact)> = app
        .store
        .outgoing_steps_of_units(&units, &codes, since, until)
        .await?
        .into_iter()
        .filter(|(_, _, at)| in_period(day_of(*at)))
        .filter_map(|(unit, step, _)| {
            counted
                .iter()
                .find(|(s, _)| Act::Step(*s).code() == step)
                .map(|(_, fact)| (unit, *fact))
        })
        .collect();
    let moment = app.moment();
    let calendar = moment.calendars.get(REGIME);
    let facts: Vec<TurnFacts> = turns.iter().map(|(_, t)| *t).collect();
    let steps: Vec<OutgoingFact> = outgoing.iter().map(|(_, f)| *f).collect();
    let report = CorrespondenceReport::build(
        from,
        to,
        moment.today,
        &facts,
        &steps,
        calendar,
        app.thresholds,
    );
    let lines = if asked.below {
        let named: Vec<(String, String)> = units
            .iter()
            .map(|code| {
                let name = all
                    .iter()
                    .find(|u| u.code == *code)
                    .map(|u| u.name.clone())
                    .unwrap_or_default();
                (code.clone(), name)
            })
            .collect();
        report.by_unit(&named, &turns, &outgoing, calendar, app.thresholds)
    } else {
        Vec::new()
    };
    Ok(UnitReport {
        unit,
        below: asked.below,
        units,
        report,
        lines,
    })
}

impl UnitReport {
    /// How the report names its unit: «SIDSS-ST Secretario Técnico», and «y unidades
    /// subordinadas» when they count.
    pub fn title(&self) -> String {
        let below = if self.below {
            " y unidades subordinadas"
        } else {
            ""
        };
        format!("{} {}{below}", self.unit.code, self.unit.name)
    }

    /// The name its files are downloaded with, without the extension.
    pub fn file_name(&self) -> String {
        format!(
            "informe-correspondencia-{}-{}-{}",
            self.unit.code, self.report.from, self.report.to
        )
    }

    /// The report as titled tables: what it is about, then its figures.
    pub fn tables(&self) -> Vec<(String, Vec<Vec<String>>)> {
        self.report
            .tables(&self.unit.code, &self.unit.name, self.below, &self.lines)
    }

    /// The report as CSV (every cell neutralized, `followup::to_csv`), with a BOM.
    pub fn csv(&self) -> Vec<u8> {
        crate::report::tables_csv(&self.tables())
    }

    /// The report as a one-sheet workbook.
    pub fn xlsx(&self) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
        crate::report::tables_xlsx(&self.tables())
    }
}
