//! Tableros (issue 20, item 1; docs/tableros.md): the state of the work turned to a unit (and
//! the units below it), of a procedure, or of the whole institution, built once for the page,
//! its files and the API.
//!
//! **What it counts.** Work items as the units saw them (`work_item_units`): an item seen by
//! two units counts in each. Open work by its semáforo today (`Thresholds::status`, as the
//! inbox reads it); work received, returned for correction and completed in each month of the
//! period and of the period before it (as long, just before); how many días hábiles completed
//! work took, from the day it opened to the day it was completed, on its activity's calendar
//! (`deadlines::regime_of`): the median and the 90th percentile (nearest rank) per activity and
//! per unit. The sums come from the store's tablero tables (migration 0044), kept in the
//! transaction of the events, so that a tablero reads hundreds of rows, not millions.
//!
//! **Drill-down.** Every figure names the work items behind it ([`Figure`]); [`items`] lists
//! them, the same the figure counts.
//!
//! **Who sees it.** A unit's tablero: its people, the people of the units above it, and
//! administrators (`correspondence::report::may_see`). A procedure's: administrators see all
//! of its work; anyone else, the work of the units they see. The whole institution's:
//! administrators.

use crate::app::App;
use crate::checked::Checked;
use crate::correspondence::report::may_see;
use crate::deadlines::regime_of;
use crate::error::Error;
use crate::limits;
use crate::principal::Principal;
use jiff::ToSpan;
use jiff::civil::Date;
use std::collections::{BTreeMap, HashMap};
use turno_domain::citizen::Month;
use turno_domain::engine::DueStatus;
use turno_domain::mining::paths::Waits;
use turno_store::tablero::{Drill, DrillRow, TableroScope};
use turno_store::{Store, Tableros, Unit};

/// The longest period a tablero covers, in months.
pub const MAX_MONTHS: i32 = 24;

/// The most work items a drill-down lists.
pub const MAX_ITEMS: i64 = 500;

/// The most open work items read to pick those of one colour of the semáforo.
const MAX_OPEN_SCAN: i64 = 20_000;

/// The semáforo's colours, in the order the figures keep them.
pub const COLORS: [DueStatus; 3] = [DueStatus::OnTime, DueStatus::DueSoon, DueStatus::Overdue];

/// A tablero as asked, as typed: a unit's code (its tablero counts the units below it), a
/// procedure's key, the first and last months of the period (`AAAA-MM`; by default the last
/// six months). Neither unit nor procedure: the whole institution.
#[derive(Debug, Clone, Copy, Default)]
pub struct Asked<'a> {
    pub unit: &'a str,
    pub procedure: &'a str,
    pub from: &'a str,
    pub to: &'a str,
}

/// A figure now and in the period before.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Compared {
    pub now: u64,
    pub before: u64,
}

/// How long completed work took, in días hábiles.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Durations {
    pub items: u64,
    pub median: Option<i32>,
    pub p90: Option<i32>,
}

/// The durations of one activity (`unit` empty) or one unit (`activity` empty).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DurationLine {
    pub procedure: String,
    pub activity: String,
    pub unit: String,
    /// What the line is about, in Spanish.
    pub label: String,
    pub now: Durations,
    pub before: Durations,
}

/// A unit's open work by its semáforo, in the order of [`COLORS`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitOpen {
    pub code: String,
    pub name: String,
    pub open: [u64; 3],
}

/// A month of the period: work received, returned and completed in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MonthFlow {
    pub month: Month,
    pub received: u64,
    pub returned: u64,
    pub closed: u64,
}

/// Returns for correction to an activity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReturnLine {
    pub procedure: String,
    pub activity: String,
    pub label: String,
    pub returned: Compared,
}

/// The period of a tablero: its months, first and last.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub from: Month,
    pub to: Month,
}

impl Period {
    /// `[first day, day after the last)`, the bounds the drill-down compares times with.
    fn days(self) -> Result<(Date, Date), Error> {
        let after = self
            .to
            .last()
            .tomorrow()
            .map_err(|e| Error::internal(format!("the day after {}: {e}", self.to)))?;
        Ok((self.from.first(), after))
    }

    /// «enero de 2026 a junio de 2026», or the one month.
    pub fn label(self) -> String {
        if self.from == self.to {
            self.from.label()
        } else {
            format!("{} a {}", self.from.label(), self.to.label())
        }
    }

    /// The period before: as long, just before.
    fn before(self) -> Result<Period, Error> {
        Ok(Period {
            from: shifted(self.from, -months_between(self.from, self.to))?,
            to: shifted(self.from, -1)?,
        })
    }

    fn months(self) -> Vec<Month> {
        let mut months = Vec::new();
        let mut first = self.from.first();
        while first <= self.to.first() {
            months.push(Month::of(first));
            match first.checked_add(1.month()) {
                Ok(next) => first = next,
                Err(_) => break,
            }
        }
        months
    }
}

/// A tablero as made.
#[derive(Debug, Clone)]
pub struct Tablero {
    /// The unit asked for, when one was.
    pub unit: Option<Unit>,
    /// The procedure asked for (key and title), when one was.
    pub procedure: Option<(String, String)>,
    /// The units counted: the unit and those below it; every one for the institution; the
    /// units the person sees for a procedure's tablero when not an administrator.
    pub units: Option<Vec<String>>,
    pub period: Period,
    pub previous: Period,
    pub today: Date,
    /// Open work by its semáforo, in the order of [`COLORS`].
    pub open: [u64; 3],
    /// Open work per unit, the units with open work, those with the most overdue first.
    pub by_unit: Vec<UnitOpen>,
    pub months: Vec<MonthFlow>,
    pub received: Compared,
    pub returned: Compared,
    pub closed: Compared,
    pub durations: Durations,
    pub previous_durations: Durations,
    pub by_activity: Vec<DurationLine>,
    pub by_unit_durations: Vec<DurationLine>,
    pub returns: Vec<ReturnLine>,
}

/// What a drill-down lists: the work a figure counts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Figure {
    /// Open now, of one colour of the semáforo (or all).
    Open(Option<DueStatus>),
    /// Received in the period (or in one month of it), returns only when `returns`.
    Received {
        month: Option<Month>,
        previous: bool,
        returns: bool,
    },
    /// Completed in the period (or in one month of it).
    Closed {
        month: Option<Month>,
        previous: bool,
    },
}

/// A drill-down narrowed to one line of a table: a unit of the tablero's, a procedure, an
/// activity.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Narrowed {
    pub unit: Option<String>,
    pub procedure: Option<String>,
    pub activity: Option<String>,
}

/// How many pieces of work took how long, and their nearest-rank median and 90th percentile
/// (the domain's `Waits`, as the procedures' real paths read them).
fn durations(values: &[(i32, u64)]) -> Durations {
    let mut waits = Waits::default();
    for (days, count) in values {
        waits.add_many(*days, *count);
    }
    Durations {
        items: waits.total(),
        median: waits.percentile(50),
        p90: waits.percentile(90),
    }
}

/// The month typed in `field`, or the field noted as wrong.
fn month(checked: &mut Checked, field: &str, what: &str, typed: &str) -> Option<Month> {
    let typed = typed.trim();
    if typed.is_empty() {
        return None;
    }
    match typed.parse::<Month>() {
        Ok(month) if crate::calendar::YEARS.contains(&month.first().year()) => Some(month),
        Ok(_) => {
            checked.wrong(
                field,
                format!(
                    "{what} debe caer entre {} y {}.",
                    crate::calendar::YEARS.start(),
                    crate::calendar::YEARS.end()
                ),
            );
            None
        }
        Err(_) => {
            checked.wrong(
                field,
                format!("Escriba {} como AAAA-MM.", what.to_lowercase()),
            );
            None
        }
    }
}

/// Días hábiles taken and how many work items took them, in the period and in the one before.
type DaysNowBefore = (Vec<(i32, u64)>, Vec<(i32, u64)>);

/// The months between two, counting both.
fn months_between(from: Month, to: Month) -> i32 {
    let (a, b) = (from.first(), to.first());
    (i32::from(b.year()) - i32::from(a.year())) * 12 + i32::from(b.month()) - i32::from(a.month())
        + 1
}

fn shifted(month: Month, months: i32) -> Result<Month, Error> {
    month
        .first()
        .checked_add(months.months())
        .map(Month::of)
        .map_err(|e| Error::internal(format!("{month} moved {months} months: {e}")))
}

/// Where a tablero looks, checked: the unit, the procedure, the period, the units counted.
struct Checkedscope {
    unit: Option<Unit>,
    procedure: Option<(String, String)>,
    period: Period,
    scope: TableroScope,
}

async fn scope_of(app: &App, user: &Principal, asked: Asked<'_>) -> Result<Checkedscope, Error> {
    let mut checked = Checked::default();
    let code = checked.line("unidad", "la unidad", asked.unit, limits::CODE, false);
    let key = checked.line(
        "procedimiento",
        "el procedimiento",
        asked.procedure,
        limits::CODE,
        false,
    );
    let all = app.store.units().await?;
    let unit = all.iter().find(|u| u.code == code).cloned();
    if !code.is_empty() && unit.is_none() {
        checked.wrong("unidad", format!("La unidad «{code}» no existe."));
    }
    let procedure = app
        .library
        .current()
        .latest(&key)
        .map(|p| (p.key.clone(), p.title.clone()));
    if !key.is_empty() && procedure.is_none() {
        checked.wrong(
            "procedimiento",
            format!("El procedimiento «{key}» no existe."),
        );
    }
    let today = app.moment().today;
    let from = month(&mut checked, "desde", "El mes inicial", asked.from);
    let to = month(&mut checked, "hasta", "El mes final", asked.to);
    // By default the period ends this month and lasts six.
    let to = to.unwrap_or_else(|| Month::of(today));
    let from = match from {
        Some(from) => from,
        None => shifted(to, -5)?,
    };
    if to.first() < from.first() {
        checked.wrong("hasta", "El mes final no puede ser anterior al inicial.");
    } else if months_between(from, to) > MAX_MONTHS {
        checked.wrong("hasta", "El periodo abarca a lo más 24 meses: acórtelo.");
    }
    checked.done()?;
    if let Some(unit) = &unit
        && !may_see(user, &unit.code)
    {
        return Err(Error::Denied(format!(
            "El tablero de «{}» lo ven sus personas, las de las unidades superiores y los \
             administradores.",
            unit.code
        )));
    }
    let units = match &unit {
        Some(unit) => {
            let mut below = app
                .store
                .units_below(std::slice::from_ref(&unit.code))
                .await?;
            below.retain(|c| *c != unit.code);
            below.sort();
            Some(std::iter::once(unit.code.clone()).chain(below).collect())
        }
        None if user.is_admin() => None,
        None if procedure.is_some() => Some(user.visible_units.clone()),
        None => {
            return Err(Error::Denied(
                "El tablero de toda la institución lo ven los administradores; elija una \
                 unidad o un procedimiento."
                    .into(),
            ));
        }
    };
    Ok(Checkedscope {
        unit,
        procedure: procedure.clone(),
        period: Period { from, to },
        scope: TableroScope {
            units,
            procedure: procedure.map(|(k, _)| k),
        },
    })
}

/// The tablero `asked`, for `user`: every problem of what was typed named by its field
/// (`unidad`, `procedimiento`, `desde`, `hasta`); a unit they may not see refused.
pub async fn tablero(app: &App, user: &Principal, asked: Asked<'_>) -> Result<Tablero, Error> {
    let Checkedscope {
        unit,
        procedure,
        period,
        scope,
    } = scope_of(app, user, asked).await?;
    let previous = period.before()?;
    let moment = app.moment();
    let today = moment.today;
    let names: HashMap<String, String> = app
        .store
        .units()
        .await?
        .into_iter()
        .map(|u| (u.code, u.name))
        .collect();
    let store = &app.store;
    let received = store
        .tablero_received(&scope, &previous.from.to_string(), &period.to.to_string())
        .await?;
    let done = store
        .tablero_done(
            &scope,
            &previous.from.first().to_string(),
            &period.to.last().to_string(),
        )
        .await?;
    let open_rows = store.tablero_open(&scope).await?;

    // Open work by its semáforo, as the inbox reads it.
    let mut open = [0u64; 3];
    let mut per_unit: BTreeMap<String, [u64; 3]> = BTreeMap::new();
    for row in &open_rows {
        let status = status_of(app, &row.opened_on, &row.due, today);
        let i = COLORS.iter().position(|c| *c == status).unwrap_or(0);
        let n = u64::try_from(row.items).unwrap_or(0);
        open[i] += n;
        per_unit.entry(row.unit_code.clone()).or_default()[i] += n;
    }
    let mut by_unit: Vec<UnitOpen> = per_unit
        .into_iter()
        .map(|(code, open)| UnitOpen {
            name: names.get(&code).cloned().unwrap_or_default(),
            code,
            open,
        })
        .collect();
    by_unit.sort_by(|a, b| b.open[2].cmp(&a.open[2]).then(a.code.cmp(&b.code)));

    // Received and returned per month, and returns per activity.
    let mut months: Vec<MonthFlow> = period
        .months()
        .into_iter()
        .map(|month| MonthFlow {
            month,
            received: 0,
            returned: 0,
            closed: 0,
        })
        .collect();
    let in_period = |m: &str| m >= period.from.to_string().as_str();
    let mut totals = (
        Compared::default(),
        Compared::default(),
        Compared::default(),
    );
    let mut returns: BTreeMap<(String, String), Compared> = BTreeMap::new();
    for row in &received {
        let (r, t) = (
            u64::try_from(row.received).unwrap_or(0),
            u64::try_from(row.returned).unwrap_or(0),
        );
        let line = returns
            .entry((row.procedure_key.clone(), row.activity.clone()))
            .or_default();
        if in_period(&row.month) {
            totals.0.now += r;
            totals.1.now += t;
            line.now += t;
            if let Some(m) = months.iter_mut().find(|m| m.month.to_string() == row.month) {
                m.received += r;
                m.returned += t;
            }
        } else {
            totals.0.before += r;
            totals.1.before += t;
            line.before += t;
        }
    }

    // Completed work: per month, and its días hábiles per activity and per unit.
    let first_day = period.from.first().to_string();
    let mut all_now = Vec::new();
    let mut all_before = Vec::new();
    let mut per_activity: BTreeMap<(String, String), DaysNowBefore> = BTreeMap::new();
    let mut per_unit_days: BTreeMap<String, DaysNowBefore> = BTreeMap::new();
    for row in &done {
        let n = u64::try_from(row.items).unwrap_or(0);
        let (Ok(opened), Ok(completed)) = (
            row.opened_on.parse::<Date>(),
            row.completed_on.parse::<Date>(),
        ) else {
            continue;
        };
        let regime = app
            .library
            .current()
            .latest(&row.procedure_key)
            .map_or(turno_domain::calendar::Regime::Lfpa, |p| {
                regime_of(p, &row.activity)
            });
        let days = moment
            .calendars
            .get(regime)
            .count_business_days(opened, completed)
            .max(0);
        let now = row.completed_on >= first_day;
        let activity = per_activity
            .entry((row.procedure_key.clone(), row.activity.clone()))
            .or_default();
        let unit = per_unit_days.entry(row.unit_code.clone()).or_default();
        if now {
            totals.2.now += n;
            all_now.push((days, n));
            activity.0.push((days, n));
            unit.0.push((days, n));
            if let Some(m) = months
                .iter_mut()
                .find(|m| row.completed_on.starts_with(&m.month.to_string()))
            {
                m.closed += n;
            }
        } else {
            totals.2.before += n;
            all_before.push((days, n));
            activity.1.push((days, n));
            unit.1.push((days, n));
        }
    }
    let by_activity = per_activity
        .into_iter()
        .map(|((procedure, activity), (now, before))| DurationLine {
            label: activity_label(app, &procedure, &activity),
            procedure,
            activity,
            unit: String::new(),
            now: durations(&now),
            before: durations(&before),
        })
        .collect();
    let by_unit_durations = per_unit_days
        .into_iter()
        .map(|(unit, (now, before))| DurationLine {
            label: format!(
                "{unit} {}",
                names.get(&unit).map(String::as_str).unwrap_or_default()
            ),
            procedure: String::new(),
            activity: String::new(),
            unit,
            now: durations(&now),
            before: durations(&before),
        })
        .collect();
    let returns = returns
        .into_iter()
        .filter(|(_, c)| c.now > 0 || c.before > 0)
        .map(|((procedure, activity), returned)| ReturnLine {
            label: activity_label(app, &procedure, &activity),
            procedure,
            activity,
            returned,
        })
        .collect();
    Ok(Tablero {
        unit,
        procedure,
        units: scope.units,
        period,
        previous,
        today,
        open,
        by_unit,
        months,
        received: totals.0,
        returned: totals.1,
        closed: totals.2,
        durations: durations(&all_now),
        previous_durations: durations(&all_before),
        by_activity,
        by_unit_durations,
        returns,
    })
}

/// The semáforo of open work opened on `opened` and due on `due` (`9999-12-31`: no term).
fn status_of(app: &App, opened: &str, due: &str, today: Date) -> DueStatus {
    match (opened.parse::<Date>(), due.parse::<Date>()) {
        (Ok(opened), Ok(due)) if due.year() < 9999 => app.thresholds.status(opened, due, today),
        _ => DueStatus::OnTime,
    }
}

/// «SOL-01 · 3. Revisa la solicitud…»: the procedure, the activity's number and its text.
fn activity_label(app: &App, procedure: &str, activity: &str) -> String {
    let text = app
        .library
        .current()
        .latest(procedure)
        .and_then(|p| p.activities.iter().find(|a| a.number == activity))
        .map(|a| a.text.chars().take(90).collect::<String>())
        .unwrap_or_default();
    format!("{procedure} · {activity}. {text}")
        .trim_end()
        .to_owned()
}

/// The work items behind `figure` in the tablero `asked`, narrowed to one line, as `user` may
/// see them: at most [`MAX_ITEMS`], newest (or, open, soonest due) first.
pub async fn items(
    app: &App,
    user: &Principal,
    asked: Asked<'_>,
    figure: &Figure,
    narrowed: &Narrowed,
) -> Result<Drilled, Error> {
    let Checkedscope {
        period, mut scope, ..
    } = scope_of(app, user, asked).await?;
    if let Some(code) = &narrowed.unit {
        if scope.units.as_ref().is_some_and(|u| !u.contains(code)) {
            return Err(Error::Denied(format!(
                "La unidad «{code}» no cuenta en este tablero."
            )));
        }
        scope.units = Some(vec![code.clone()]);
    }
    if let Some(key) = &narrowed.procedure {
        if scope.procedure.as_ref().is_some_and(|k| k != key) {
            return Err(Error::Invalid(format!(
                "El procedimiento «{key}» no cuenta en este tablero."
            )));
        }
        scope.procedure = Some(key.clone());
    }
    let previous = period.before()?;
    let bounds = |month: Option<Month>, earlier: bool| -> Result<(String, String), Error> {
        let (from, to) = match month {
            Some(m) => Period { from: m, to: m }.days()?,
            None if earlier => previous.days()?,
            None => period.days()?,
        };
        Ok((from.to_string(), to.to_string()))
    };
    let activity = narrowed.activity.as_deref();
    let store = &app.store;
    let rows = match figure {
        Figure::Open(color) => {
            let today = app.moment().today;
            let mut rows = store
                .tablero_items(&scope, activity, &Drill::Open, MAX_OPEN_SCAN)
                .await?;
            if let Some(color) = color {
                rows.retain(|r| {
                    status_of(
                        app,
                        r.opened_at.get(..10).unwrap_or_default(),
                        &r.due,
                        today,
                    ) == *color
                });
            }
            rows.truncate(usize::try_from(MAX_ITEMS).unwrap_or(500));
            rows
        }
        Figure::Received {
            month,
            previous,
            returns,
        } => {
            let (from, to) = bounds(*month, *previous)?;
            let drill = Drill::Received {
                from,
                to,
                returns: *returns,
            };
            store
                .tablero_items(&scope, activity, &drill, MAX_ITEMS)
                .await?
        }
        Figure::Closed { month, previous } => {
            let (from, to) = bounds(*month, *previous)?;
            store
                .tablero_items(&scope, activity, &Drill::Done { from, to }, MAX_ITEMS)
                .await?
        }
    };
    Ok(Drilled {
        label: figure.label(&period, &previous),
        full: i64::try_from(rows.len()).unwrap_or(MAX_ITEMS) >= MAX_ITEMS,
        rows,
        period,
        previous,
    })
}

/// The work items behind a figure.
#[derive(Debug, Clone)]
pub struct Drilled {
    /// What they are, in Spanish.
    pub label: String,
    pub rows: Vec<DrillRow>,
    /// The list reached [`MAX_ITEMS`]: there may be more.
    pub full: bool,
    pub period: Period,
    pub previous: Period,
}

impl Tablero {
    /// «SIDSS Subsecretaría… y unidades subordinadas», the procedure, or «Toda la institución».
    pub fn title(&self) -> String {
        let mut parts = Vec::new();
        if let Some(unit) = &self.unit {
            let below = if self.units.as_ref().is_some_and(|u| u.len() > 1) {
                " y unidades subordinadas"
            } else {
                ""
            };
            parts.push(format!("{} {}{below}", unit.code, unit.name));
        }
        if let Some((key, title)) = &self.procedure {
            parts.push(format!("{key} {title}"));
        }
        if parts.is_empty() {
            "Toda la institución".into()
        } else {
            parts.join(" — ")
        }
    }

    /// The name its files are downloaded with, without the extension.
    pub fn file_name(&self) -> String {
        let what = match (&self.unit, &self.procedure) {
            (Some(u), Some((k, _))) => format!("{}-{k}", u.code),
            (Some(u), None) => u.code.clone(),
            (None, Some((k, _))) => k.clone(),
            (None, None) => "institucion".into(),
        };
        format!("tablero-{what}-{}-{}", self.period.from, self.period.to)
    }

    /// The tablero as titled tables (the files' and the PDF's content).
    pub fn tables(&self) -> Vec<(String, Vec<Vec<String>>)> {
        let n = |v: u64| v.to_string();
        let days = |v: Option<i32>| v.map_or_else(|| "—".to_owned(), |d| d.to_string());
        let mut tables = vec![(
            "Tablero".to_owned(),
            vec![
                vec!["Tablero".into(), self.title()],
                vec!["Periodo".into(), self.period.label()],
                vec!["Periodo anterior".into(), self.previous.label()],
                vec!["Fecha".into(), turno_domain::text::day(self.today)],
            ],
        )];
        let mut semaforo = vec![vec!["Semáforo".to_owned(), "Asuntos abiertos".into()]];
        for (color, count) in COLORS.iter().zip(self.open) {
            semaforo.push(vec![color.label().into(), n(count)]);
        }
        tables.push(("Asuntos abiertos por semáforo".into(), semaforo));
        let mut units = vec![vec![
            "Unidad".to_owned(),
            "En tiempo".into(),
            "Por vencer".into(),
            "Vencidos".into(),
        ]];
        for u in &self.by_unit {
            units.push(vec![
                format!("{} {}", u.code, u.name),
                n(u.open[0]),
                n(u.open[1]),
                n(u.open[2]),
            ]);
        }
        tables.push(("Vencidos por unidad".into(), units));
        let mut compared = vec![vec![
            "Cifra".to_owned(),
            "Periodo".into(),
            "Periodo anterior".into(),
        ]];
        for (label, c) in [
            ("Recibidos", self.received),
            ("Atendidos", self.closed),
            ("Devoluciones para corrección", self.returned),
        ] {
            compared.push(vec![label.into(), n(c.now), n(c.before)]);
        }
        compared.push(vec![
            "Mediana de días hábiles".into(),
            days(self.durations.median),
            days(self.previous_durations.median),
        ]);
        compared.push(vec![
            "Percentil 90 de días hábiles".into(),
            days(self.durations.p90),
            days(self.previous_durations.p90),
        ]);
        tables.push(("Comparación con el periodo anterior".into(), compared));
        let mut months = vec![vec![
            "Mes".to_owned(),
            "Recibidos".into(),
            "Atendidos".into(),
            "Devoluciones".into(),
        ]];
        for m in &self.months {
            months.push(vec![
                m.month.to_string(),
                n(m.received),
                n(m.closed),
                n(m.returned),
            ]);
        }
        tables.push(("Recibidos y atendidos por mes".into(), months));
        for (title, lines) in [
            ("Días hábiles por actividad", &self.by_activity),
            ("Días hábiles por unidad", &self.by_unit_durations),
        ] {
            let mut rows = vec![vec![
                if lines == &self.by_activity {
                    "Actividad"
                } else {
                    "Unidad"
                }
                .to_owned(),
                "Atendidos".into(),
                "Mediana".into(),
                "Percentil 90".into(),
                "Atendidos (anterior)".into(),
                "Mediana (anterior)".into(),
                "Percentil 90 (anterior)".into(),
            ]];
            for l in lines.iter() {
                rows.push(vec![
                    l.label.clone(),
                    n(l.now.items),
                    days(l.now.median),
                    days(l.now.p90),
                    n(l.before.items),
                    days(l.before.median),
                    days(l.before.p90),
                ]);
            }
            tables.push((title.into(), rows));
        }
        let mut returns = vec![vec![
            "Actividad a la que regresó".to_owned(),
            "Devoluciones".into(),
            "Devoluciones (anterior)".into(),
        ]];
        for r in &self.returns {
            returns.push(vec![
                r.label.clone(),
                n(r.returned.now),
                n(r.returned.before),
            ]);
        }
        tables.push(("Devoluciones para corrección".into(), returns));
        tables
    }

    /// The tablero as a one-sheet workbook (`report::tables_xlsx`).
    pub fn xlsx(&self) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
        crate::report::tables_xlsx(&self.tables())
    }

    /// Returns for correction per work item received, in the period and in the one before.
    pub fn returns_per_case(&self) -> (Option<f64>, Option<f64>) {
        let per = |returned: u64, received: u64| {
            (received > 0).then(|| returned as f64 / received as f64)
        };
        (
            per(self.returned.now, self.received.now),
            per(self.returned.before, self.received.before),
        )
    }
}

impl Figure {
    /// The figure a drill-down names, as typed: `cifra` (`abiertos`, `recibidos`,
    /// `devoluciones`, `atendidos`), `semaforo` (`verde`, `amarillo`, `rojo`; open work only),
    /// `mes` (`AAAA-MM`, one month of the period) and `periodo` (`anterior`: the period
    /// before). Every problem named by its field.
    pub fn read(cifra: &str, semaforo: &str, mes: &str, periodo: &str) -> Result<Figure, Error> {
        let mut checked = Checked::default();
        let month = month(&mut checked, "mes", "El mes", mes);
        let previous = match periodo.trim() {
            "" | "actual" => false,
            "anterior" => true,
            _ => {
                checked.wrong("periodo", "El periodo es «actual» o «anterior».");
                false
            }
        };
        let color = match semaforo.trim() {
            "" => None,
            typed => {
                let found = COLORS.iter().copied().find(|c| c.color() == typed);
                if found.is_none() {
                    checked.wrong("semaforo", "El semáforo es verde, amarillo o rojo.");
                }
                found
            }
        };
        let figure = match cifra.trim() {
            "abiertos" => Some(Figure::Open(color)),
            "recibidos" | "devoluciones" => Some(Figure::Received {
                month,
                previous,
                returns: cifra.trim() == "devoluciones",
            }),
            "atendidos" => Some(Figure::Closed { month, previous }),
            _ => {
                checked.wrong(
                    "cifra",
                    "La cifra es abiertos, recibidos, devoluciones o atendidos.",
                );
                None
            }
        };
        checked.done()?;
        figure.ok_or_else(|| Error::internal("a figure with problems passed the checks"))
    }

    /// The figure as the query of its drill-down (`Figure::read`'s fields).
    pub fn query(&self) -> Vec<(&'static str, String)> {
        let mut query = Vec::new();
        let when = |query: &mut Vec<(&'static str, String)>, month: &Option<Month>, previous| {
            if let Some(m) = month {
                query.push(("mes", m.to_string()));
            }
            if previous {
                query.push(("periodo", "anterior".to_owned()));
            }
        };
        match self {
            Figure::Open(color) => {
                query.push(("cifra", "abiertos".to_owned()));
                if let Some(c) = color {
                    query.push(("semaforo", c.color().to_owned()));
                }
            }
            Figure::Received {
                month,
                previous,
                returns,
            } => {
                let cifra = if *returns {
                    "devoluciones"
                } else {
                    "recibidos"
                };
                query.push(("cifra", cifra.to_owned()));
                when(&mut query, month, *previous);
            }
            Figure::Closed { month, previous } => {
                query.push(("cifra", "atendidos".to_owned()));
                when(&mut query, month, *previous);
            }
        }
        query
    }

    /// What the drill-down lists, in Spanish: «Asuntos recibidos en marzo de 2026».
    pub fn label(&self, tablero: &Period, previous: &Period) -> String {
        let when = |month: &Option<Month>, earlier: bool| match month {
            Some(m) => format!("en {}", m.label()),
            None if earlier => format!("en el periodo anterior ({})", previous.label()),
            None => format!("en el periodo ({})", tablero.label()),
        };
        match self {
            Figure::Open(None) => "Trabajo abierto".into(),
            Figure::Open(Some(c)) => format!("Trabajo abierto: {}", c.label().to_lowercase()),
            Figure::Received {
                month,
                previous,
                returns: false,
            } => format!("Trabajo recibido {}", when(month, *previous)),
            Figure::Received {
                month,
                previous,
                returns: true,
            } => format!("Devoluciones para corrección {}", when(month, *previous)),
            Figure::Closed { month, previous } => {
                format!("Trabajo atendido {}", when(month, *previous))
            }
        }
    }
}
