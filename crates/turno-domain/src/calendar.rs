//! Business-day calendar (días hábiles) of the Mexican federal public administration.
//!
//! Two regimes coexist and a deadline always names its own ([`Regime`]):
//!
//! - [`Regime::Lft`]: Ley Federal del Trabajo art. 74 (Monday rules since 2006).
//! - [`Regime::Lfpa`]: Ley Federal de Procedimiento Administrativo art. 28 (fixed dates).
//!
//! Saturdays and Sundays are never business days. On top of the statutory days, a [`Calendar`]
//! takes the extra days of [`CalendarData`] (DOF agreements: Semana Santa, vacation periods),
//! filtered by regime, institution and state ([`Scope`]).
//!
//! Pure: no IO. Callers read data files and pass their text to [`CalendarData::parse`].
//!
//! # Performance
//!
//! The procedure engine computes a due date for every activity it opens, so the common case must
//! be a few nanoseconds. [`Calendar`] precomputes, for the window 1990-01-01..=2100-12-31, a
//! prefix sum of business days and the list of business days: counting is one subtraction and
//! adding is one index. Outside the window (or when a result leaves it) the calendar walks day by
//! day with the same rules, so results are identical, only slower.

mod data;
mod state;
mod statutory;
#[cfg(test)]
mod tests;

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;
use std::sync::Arc;

use jiff::civil::{Date, Weekday};

pub use data::{CalendarData, CalendarDataError, MAX_RANGE_DAYS, NonWorkingPeriod};
pub use state::{ParseStateError, State};
pub use statutory::statutory_days;

/// The legal regime that defines which days are non-working.
#[derive(
    Debug,
    Clone,
    Copy,
    Default,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    serde::Serialize,
    serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Regime {
    /// Ley Federal del Trabajo, art. 74.
    Lft,
    /// Ley Federal de Procedimiento Administrativo, art. 28: the default for administrative
    /// procedures.
    #[default]
    Lfpa,
}

impl Regime {
    pub const ALL: [Regime; 2] = [Regime::Lft, Regime::Lfpa];

    /// The lowercase code used in files and on the command line.
    pub fn code(self) -> &'static str {
        match self {
            Regime::Lft => "lft",
            Regime::Lfpa => "lfpa",
        }
    }

    /// The article that defines the regime, in Spanish.
    pub fn law(self) -> &'static str {
        match self {
            Regime::Lft => "Ley Federal del Trabajo, artículo 74",
            Regime::Lfpa => "Ley Federal de Procedimiento Administrativo, artículo 28",
        }
    }
}

impl fmt::Display for Regime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// The text is neither `lft` nor `lfpa`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("régimen desconocido «{0}» (se esperaba `lft` o `lfpa`)")]
pub struct ParseRegimeError(pub String);

impl FromStr for Regime {
    type Err = ParseRegimeError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "lft" => Ok(Regime::Lft),
            "lfpa" => Ok(Regime::Lfpa),
            _ => Err(ParseRegimeError(s.to_owned())),
        }
    }
}

/// A named non-working day. Several rules on the same date are joined with `" / "`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct NonWorkingDay {
    pub date: Date,
    pub name: String,
}

/// Which institution's and state's extra days a calendar includes. Entries of the data without an
/// institution or state apply to every calendar; entries with one apply only when it is selected.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Scope<'a> {
    /// Institution code such as `"SSA"`, compared without regard to ASCII case.
    pub institution: Option<&'a str>,
    pub state: Option<State>,
}

/// Adding days left jiff's supported range (years -9999..=9999).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum CalendarError {
    #[error("{days} business days from {from} fall outside the supported date range")]
    BusinessDaysOutOfRange { from: Date, days: i32 },
    #[error("{days} natural days from {from} fall outside the supported date range")]
    NaturalDaysOutOfRange { from: Date, days: i32 },
}

/// The months' names as a date is written in Spanish («2 de marzo de 2026»), January first.
pub const MONTHS: [&str; 12] = [
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "octubre",
    "noviembre",
    "diciembre",
];

const WINDOW_START: Date = Date::constant(1990, 1, 1);
const WINDOW_END: Date = Date::constant(2100, 12, 31);
const WINDOW_START_DAY: i32 = days_from_civil(1990, 1, 1);
const WINDOW_LEN: usize = (days_from_civil(2100, 12, 31) - WINDOW_START_DAY + 1) as usize;
// The tables store day counts and offsets as u16.
const _: () = assert!(WINDOW_LEN < u16::MAX as usize);

/// A business-day calendar for one regime and scope. Cloning is cheap (shared tables).
#[derive(Clone)]
pub struct Calendar {
    inner: Arc<Inner>,
}

struct Inner {
    regime: Regime,
    institution: Option<String>,
    state: Option<State>,
    /// Extra non-working days of this calendar, with their names. Weekend days of `[[ranges]]`
    /// are left out: they are not business days anyway and would only clutter listings.
    extra: BTreeMap<Date, Vec<String>>,
    /// `prefix[i]` = number of business days among the first `i` days of the window.
    prefix: Vec<u16>,
    /// The business days of the window, in order.
    business: Vec<Date>,
}

impl fmt::Debug for Calendar {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Calendar")
            .field("regime", &self.inner.regime)
            .field("institution", &self.inner.institution)
            .field("state", &self.inner.state)
            .field("extra_days", &self.inner.extra.len())
            .finish()
    }
}

impl Calendar {
    /// Statutory days of `regime` only.
    pub fn new(regime: Regime) -> Calendar {
        Calendar::build(regime, &CalendarData::new(), Scope::default())
    }

    /// Statutory days of `regime` plus the entries of `data` that apply to it and to `scope`.
    pub fn build(regime: Regime, data: &CalendarData, scope: Scope<'_>) -> Calendar {
        let mut extra: BTreeMap<Date, Vec<String>> = BTreeMap::new();
        for period in data.periods() {
            if !period.applies_to(regime, scope.institution, scope.state) {
                continue;
            }
            let single_day = period.from == period.to;
            for date in period.dates() {
                if !single_day && is_weekend(date) {
                    continue;
                }
                let names = extra.entry(date).or_default();
                if !names.contains(&period.name) {
                    names.push(period.name.clone());
                }
            }
        }

        let mut prefix = Vec::with_capacity(WINDOW_LEN + 1);
        let mut business = Vec::with_capacity(WINDOW_LEN);
        let mut count = 0u16;
        prefix.push(count);
        for date in WINDOW_START
            .series(jiff::Span::new().days(1))
            .take(WINDOW_LEN)
        {
            if is_business_day_by_rules(regime, &extra, date) {
                business.push(date);
                count += 1;
            }
            prefix.push(count);
        }
        debug_assert_eq!(prefix.len(), WINDOW_LEN + 1);

        Calendar {
            inner: Arc::new(Inner {
                regime,
                institution: scope.institution.map(|i| i.trim().to_uppercase()),
                state: scope.state,
                extra,
                prefix,
                business,
            }),
        }
    }

    pub fn regime(&self) -> Regime {
        self.inner.regime
    }

    /// The institution whose extra days are included (upper-cased), if any.
    pub fn institution(&self) -> Option<&str> {
        self.inner.institution.as_deref()
    }

    pub fn state(&self) -> Option<State> {
        self.inner.state
    }

    /// Monday to Friday and not a statutory or extra non-working day.
    pub fn is_business_day(&self, date: Date) -> bool {
        match window_index(date) {
            Some(i) => self.inner.prefix[i + 1] != self.inner.prefix[i],
            None => self.is_business_day_slow(date),
        }
    }

    fn is_business_day_slow(&self, date: Date) -> bool {
        is_business_day_by_rules(self.inner.regime, &self.inner.extra, date)
    }

    /// Statutory and extra non-working days of `year`, sorted by date. Saturdays and Sundays are
    /// not listed as such, but a named day that falls on one is.
    pub fn non_working_days(&self, year: i16) -> Vec<NonWorkingDay> {
        statutory::list_year(self.inner.regime, year, &self.inner.extra)
    }

    /// `n > 0`: the `n`-th business day strictly after `date`; `n < 0`: the `|n|`-th business day
    /// strictly before it; `n == 0`: `date` itself, business day or not.
    pub fn add_business_days(&self, date: Date, n: i32) -> Result<Date, CalendarError> {
        if n == 0 {
            return Ok(date);
        }
        let out_of_range = |_| CalendarError::BusinessDaysOutOfRange {
            from: date,
            days: n,
        };
        let Some(i) = window_index(date) else {
            return self
                .walk(date, n > 0, n.unsigned_abs() as usize)
                .map_err(out_of_range);
        };
        let inner = &*self.inner;
        let steps = n.unsigned_abs() as usize;
        if n > 0 {
            // Business days up to and including `date`; the result is the `steps`-th after them.
            let done = usize::from(inner.prefix[i + 1]);
            match inner.business.get(done + steps - 1) {
                Some(&result) => Ok(result),
                None => {
                    let left = steps - (inner.business.len() - done);
                    self.walk(WINDOW_END, true, left).map_err(out_of_range)
                }
            }
        } else {
            // Business days strictly before `date`.
            let before = usize::from(inner.prefix[i]);
            if steps <= before {
                Ok(inner.business[before - steps])
            } else {
                self.walk(WINDOW_START, false, steps - before)
                    .map_err(out_of_range)
            }
        }
    }

    /// `add_business_days(date, -n)`; `n == i32::MIN` is taken as `-i32::MAX`.
    pub fn subtract_business_days(&self, date: Date, n: i32) -> Result<Date, CalendarError> {
        self.add_business_days(date, n.saturating_neg())
    }

    /// The business days stepped on walking from `from` to `to`, the start excluded and the end
    /// included: `(from, to]` counted positively when `to >= from`, `[to, from)` counted
    /// negatively when `to < from`. Hence `count_business_days(d, add_business_days(d, n)?) == n`.
    pub fn count_business_days(&self, from: Date, to: Date) -> i32 {
        let p = &self.inner.prefix;
        if let (Some(i), Some(j)) = (window_index(from), window_index(to)) {
            return if j >= i {
                i32::from(p[j + 1]) - i32::from(p[i + 1])
            } else {
                i32::from(p[j]) - i32::from(p[i])
            };
        }
        // jiff's whole range is about 7.3 million days, so the counts fit in an i32.
        if to >= from {
            match from.tomorrow() {
                Ok(start) if start <= to => self.count_inclusive(start, to) as i32,
                _ => 0,
            }
        } else {
            match from.yesterday() {
                Ok(end) => -(self.count_inclusive(to, end) as i32),
                Err(_) => 0,
            }
        }
    }

    /// Business days in `[a, b]`, `a <= b`: table lookups inside the window, walking outside.
    fn count_inclusive(&self, a: Date, b: Date) -> i64 {
        let mut total = 0;
        let mut a = a;
        if a < WINDOW_START {
            total += self.walk_count(a, b.min(Date::constant(1989, 12, 31)));
            if b < WINDOW_START {
                return total;
            }
            a = WINDOW_START;
        }
        if a <= WINDOW_END {
            if let (Some(i), Some(j)) = (window_index(a), window_index(b.min(WINDOW_END))) {
                let p = &self.inner.prefix;
                total += i64::from(p[j + 1]) - i64::from(p[i]);
            }
            if b <= WINDOW_END {
                return total;
            }
            a = Date::constant(2101, 1, 1);
        }
        total + self.walk_count(a, b)
    }

    /// Business days in `[a, b]`, `a <= b`, by the rules: whole years at once, the rest day by day.
    fn walk_count(&self, a: Date, b: Date) -> i64 {
        let mut total = 0;
        let mut current = a;
        while current <= b {
            let year = current.year();
            let year_end = current.last_of_year();
            match self.business_days_in_year(year) {
                Some(count) if current == current.first_of_year() && year_end <= b => {
                    total += count
                }
                _ => {
                    total += current
                        .series(jiff::Span::new().days(1))
                        .take_while(|d| *d <= b.min(year_end))
                        .filter(|d| self.is_business_day_slow(*d))
                        .count() as i64;
                }
            }
            match year_end.tomorrow() {
                Ok(next) => current = next,
                Err(_) => break,
            }
        }
        total
    }

    /// Steps `steps` business days from `start`, forwards or backwards. Used outside the window,
    /// where there are no tables: whole years that cannot contain the result are skipped, so
    /// that even `i32::MAX` steps end quickly (with an out-of-range error).
    fn walk(&self, start: Date, forward: bool, steps: usize) -> Result<Date, jiff::Error> {
        let mut left = steps;
        let mut current = start;
        while left > 0 {
            let at_year_edge = if forward {
                current == current.last_of_year()
            } else {
                current == current.first_of_year()
            };
            if at_year_edge {
                let year = if forward {
                    current.year().checked_add(1)
                } else {
                    current.year().checked_sub(1)
                };
                let whole = year.and_then(|y| Some((y, self.business_days_in_year(y)?)));
                if let Some((year, count)) = whole {
                    // Strictly fewer: otherwise the result is inside that year.
                    if (count as usize) < left {
                        left -= count as usize;
                        let edge = if forward {
                            Date::new(year, 12, 31)
                        } else {
                            Date::new(year, 1, 1)
                        };
                        if let Ok(edge) = edge {
                            current = edge;
                            continue;
                        }
                    }
                }
            }
            current = if forward {
                current.tomorrow()?
            } else {
                current.yesterday()?
            };
            if self.is_business_day(current) {
                left -= 1;
            }
        }
        Ok(current)
    }

    /// Business days of a whole year by arithmetic: its weekdays minus the named days that fall
    /// on a weekday. `None` outside jiff's range.
    fn business_days_in_year(&self, year: i16) -> Option<i64> {
        let first = Date::new(year, 1, 1).ok()?;
        let last = Date::new(year, 12, 31).ok()?;
        // 52 whole weeks have 260 weekdays; the one or two days left are at the end of the year.
        let tail = if first.in_leap_year() {
            last.yesterday().ok()?
        } else {
            last
        };
        let tail_weekdays = tail
            .series(jiff::Span::new().days(1))
            .take_while(|d| *d <= last)
            .filter(|d| !is_weekend(*d))
            .count();
        let mut named: Vec<Date> = statutory::dates_in_year(self.inner.regime, year)
            .map(|(d, _)| d)
            .chain(self.inner.extra.range(first..=last).map(|(d, _)| *d))
            .filter(|d| !is_weekend(*d))
            .collect();
        named.sort_unstable();
        named.dedup();
        Some(260 + tail_weekdays as i64 - named.len() as i64)
    }

    /// `date` plus `n` calendar days (días naturales); negative `n` goes back.
    pub fn add_natural_days(&self, date: Date, n: i32) -> Result<Date, CalendarError> {
        jiff::Span::new()
            .try_days(n)
            .and_then(|span| date.checked_add(span))
            .map_err(|_| CalendarError::NaturalDaysOutOfRange {
                from: date,
                days: n,
            })
    }

    /// Calendar days from `from` to `to`: negative when `to < from`.
    pub fn count_natural_days(&self, from: Date, to: Date) -> i32 {
        day_number(to) - day_number(from)
    }
}

fn is_weekend(date: Date) -> bool {
    matches!(date.weekday(), Weekday::Saturday | Weekday::Sunday)
}

/// The definition of a business day; the tables are built from it.
fn is_business_day_by_rules(
    regime: Regime,
    extra: &BTreeMap<Date, Vec<String>>,
    date: Date,
) -> bool {
    !is_weekend(date) && !statutory::is_statutory(regime, date) && !extra.contains_key(&date)
}

/// Offset of `date` in the precomputed window.
#[inline]
fn window_index(date: Date) -> Option<usize> {
    // Negative offsets wrap to large values, so one comparison checks both ends.
    let offset = day_number(date).wrapping_sub(WINDOW_START_DAY) as u32 as usize;
    (offset < WINDOW_LEN).then_some(offset)
}

#[inline]
fn day_number(date: Date) -> i32 {
    days_from_civil(
        i32::from(date.year()),
        i32::from(date.month()),
        i32::from(date.day()),
    )
}

/// Days since 1970-01-01 in the proleptic Gregorian calendar (H. Hinnant's `days_from_civil`);
/// plain arithmetic is much cheaper than a jiff span computation on the hot path.
const fn days_from_civil(year: i32, month: i32, day: i32) -> i32 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let year_of_era = y - era * 400;
    let month_from_march = (month + 9) % 12;
    let day_of_year = (153 * month_from_march + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}
