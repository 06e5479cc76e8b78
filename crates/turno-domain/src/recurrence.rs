//! Recurring work (issue 19): when a schedule's occurrences fall, and seed 000's matriz de
//! entrega (annex 10.1/10.2): which report was expected from which Dirección General for which
//! period, and whether it arrived in time, late, or not at all.
//!
//! Pure: the calendar, the dates and the figures are passed in; the store keeps which
//! occurrences were opened and the application opens them.

pub mod matrix;

use crate::calendar::Calendar;
use jiff::Span;
use jiff::civil::Date;
use std::fmt;

/// The earliest and latest dates a schedule may name (the calendar's supported years).
pub const FIRST_YEAR: i16 = 2000;
pub const LAST_YEAR: i16 = 2100;
/// At most this many dates in a schedule "on given dates".
pub const MAX_DATES: usize = 366;

/// How often a schedule falls.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Frequency {
    Yearly,
    Semestral,
    Quarterly,
    Monthly,
    /// On the dates given (sorted and without repetitions once a `Recurrence` holds them).
    Dates(Vec<Date>),
}

impl Frequency {
    /// The code files and the API use.
    pub fn code(&self) -> &'static str {
        match self {
            Frequency::Yearly => "anual",
            Frequency::Semestral => "semestral",
            Frequency::Quarterly => "trimestral",
            Frequency::Monthly => "mensual",
            Frequency::Dates(_) => "fechas",
        }
    }

    /// The codes, in the order forms offer them.
    pub const CODES: [&'static str; 5] = ["anual", "semestral", "trimestral", "mensual", "fechas"];

    /// The frequency of `code` (the dates given for `fechas`).
    pub fn from_code(code: &str, dates: Vec<Date>) -> Option<Frequency> {
        Some(match code {
            "anual" => Frequency::Yearly,
            "semestral" => Frequency::Semestral,
            "trimestral" => Frequency::Quarterly,
            "mensual" => Frequency::Monthly,
            "fechas" => Frequency::Dates(dates),
            _ => return None,
        })
    }

    /// Months between two occurrences, for the periodic frequencies.
    fn months(&self) -> Option<i32> {
        match self {
            Frequency::Yearly => Some(12),
            Frequency::Semestral => Some(6),
            Frequency::Quarterly => Some(3),
            Frequency::Monthly => Some(1),
            Frequency::Dates(_) => None,
        }
    }
}

/// What happens to an occurrence that falls on a día inhábil.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Adjustment {
    /// It stays on that day.
    None,
    /// It moves to the next día hábil.
    Following,
    /// It moves to the día hábil before.
    Preceding,
}

impl Adjustment {
    pub const CODES: [&'static str; 3] = ["ninguno", "siguiente", "anterior"];

    pub fn code(self) -> &'static str {
        match self {
            Adjustment::None => "ninguno",
            Adjustment::Following => "siguiente",
            Adjustment::Preceding => "anterior",
        }
    }

    pub fn from_code(code: &str) -> Option<Adjustment> {
        Some(match code {
            "ninguno" => Adjustment::None,
            "siguiente" => Adjustment::Following,
            "anterior" => Adjustment::Preceding,
            _ => return None,
        })
    }
}

/// Why a schedule's dates cannot be a recurrence; each message names the field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RecurrenceError {
    #[error("La fecha {0} está fuera de los años que Turno cuenta ({FIRST_YEAR} a {LAST_YEAR}).")]
    OutOfRange(Date),
    #[error("La última fecha ({last}) es anterior a la primera ({first}).")]
    LastBeforeFirst { first: Date, last: Date },
    #[error("Una calendarización en fechas dadas necesita al menos una fecha.")]
    NoDates,
    #[error("Son {0} fechas; el máximo es {MAX_DATES}.")]
    TooManyDates(usize),
}

/// A schedule's dates: its frequency from a first date, up to a last one if given, each moved
/// off días inhábiles as `adjustment` says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recurrence {
    frequency: Frequency,
    first: Date,
    last: Option<Date>,
    adjustment: Adjustment,
}

/// One occurrence: the date the schedule names (`nominal`, which identifies it) and the día
/// hábil it falls on once adjusted (`date`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Occurrence {
    pub nominal: Date,
    pub date: Date,
}

fn in_range(date: Date) -> Result<Date, RecurrenceError> {
    if (FIRST_YEAR..=LAST_YEAR).contains(&date.year()) {
        Ok(date)
    } else {
        Err(RecurrenceError::OutOfRange(date))
    }
}

impl Recurrence {
    /// A recurrence, checked: dates within the supported years, the last not before the first,
    /// given dates at least one and at most `MAX_DATES` (sorted and each kept once). For given
    /// dates, `first` is the earliest of them and `last` the latest unless a `last` is given.
    pub fn new(
        frequency: Frequency,
        first: Date,
        last: Option<Date>,
        adjustment: Adjustment,
    ) -> Result<Recurrence, RecurrenceError> {
        in_range(first)?;
        if let Some(last) = last {
            in_range(last)?;
            if last < first {
                return Err(RecurrenceError::LastBeforeFirst { first, last });
            }
        }
        let frequency = match frequency {
            Frequency::Dates(mut dates) => {
                if dates.is_empty() {
                    return Err(RecurrenceError::NoDates);
                }
                if dates.len() > MAX_DATES {
                    return Err(RecurrenceError::TooManyDates(dates.len()));
                }
                for date in &dates {
                    in_range(*date)?;
                }
                dates.sort_unstable();
                dates.dedup();
                Frequency::Dates(dates)
            }
            other => other,
        };
        Ok(Recurrence {
            frequency,
            first,
            last,
            adjustment,
        })
    }

    pub fn frequency(&self) -> &Frequency {
        &self.frequency
    }

    pub fn first(&self) -> Date {
        self.first
    }

    pub fn last(&self) -> Option<Date> {
        self.last
    }

    pub fn adjustment(&self) -> Adjustment {
        self.adjustment
    }

    /// The nominal dates from `first`, in order, up to `last` and at most up to the supported
    /// range; a month's day past its end falls on its last day (31 → 30, 29 or 28), always
    /// counted from `first` so that it comes back to the 31st the next month that has one.
    fn nominal(&self) -> Box<dyn Iterator<Item = Date> + '_> {
        let last = self.last;
        let within = move |d: &Date| last.is_none_or(|l| *d <= l) && d.year() <= LAST_YEAR;
        match &self.frequency {
            Frequency::Dates(dates) => Box::new(
                dates
                    .iter()
                    .copied()
                    .filter(move |d| *d >= self.first)
                    .take_while(within),
            ),
            periodic => {
                let step = periodic.months().unwrap_or(12);
                let first = self.first;
                Box::new(
                    (0i32..)
                        .map_while(move |n| first.checked_add(Span::new().months(n * step)).ok())
                        .take_while(within),
                )
            }
        }
    }

    /// The día hábil `date` falls on under this recurrence's adjustment (itself if it is one).
    pub fn adjusted(&self, calendar: &Calendar, date: Date) -> Date {
        if self.adjustment == Adjustment::None || calendar.is_business_day(date) {
            return date;
        }
        let days = match self.adjustment {
            Adjustment::Preceding => -1,
            _ => 1,
        };
        calendar.add_business_days(date, days).unwrap_or(date)
    }

    /// The occurrences whose adjusted date falls in `from..=to`, in order, each once: two
    /// nominal dates moved to the same día hábil are one occurrence (the earlier names it).
    pub fn between(&self, calendar: &Calendar, from: Date, to: Date) -> Vec<Occurrence> {
        let mut found: Vec<Occurrence> = Vec::new();
        for nominal in self.nominal() {
            let date = self.adjusted(calendar, nominal);
            // An adjustment moves a date by at most a few weeks of días inhábiles.
            if nominal > to && date > to {
                let far = to.checked_add(Span::new().days(62)).unwrap_or(to);
                if nominal > far {
                    break;
                }
                continue;
            }
            if date < from || date > to {
                continue;
            }
            if found.last().is_some_and(|prev| prev.date >= date) {
                continue;
            }
            found.push(Occurrence { nominal, date });
        }
        found
    }
}

impl fmt::Display for Frequency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Frequency::Yearly => "Anual",
            Frequency::Semestral => "Semestral",
            Frequency::Quarterly => "Trimestral",
            Frequency::Monthly => "Mensual",
            Frequency::Dates(_) => "En fechas dadas",
        })
    }
}

/// How an occurrence's period reads in the matriz: «1er semestre 2026», «3er trimestre 2026»,
/// «marzo 2026», «2026», or its date for given dates. Named by its nominal date.
pub fn period_label(frequency: &Frequency, nominal: Date) -> String {
    let month = usize::try_from(nominal.month() - 1).unwrap_or(0);
    let year = nominal.year();
    match frequency {
        Frequency::Yearly => year.to_string(),
        Frequency::Semestral => {
            let half = if nominal.month() <= 6 { "1er" } else { "2º" };
            format!("{half} semestre {year}")
        }
        Frequency::Quarterly => {
            let quarter = ["1er", "2º", "3er", "4º"][month / 3];
            format!("{quarter} trimestre {year}")
        }
        Frequency::Monthly => format!("{} {year}", crate::calendar::MONTHS[month]),
        Frequency::Dates(_) => crate::text::day(nominal),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::Regime;
    use jiff::civil::date;
    use proptest::prelude::*;

    /// Built once: a calendar precomputes a century of days.
    fn calendar() -> Calendar {
        static CALENDAR: std::sync::OnceLock<Calendar> = std::sync::OnceLock::new();
        CALENDAR.get_or_init(|| Calendar::new(Regime::Lfpa)).clone()
    }

    #[test]
    fn monthly_from_the_31st_keeps_to_the_months_end() {
        let r = Recurrence::new(
            Frequency::Monthly,
            date(2026, 1, 31),
            Some(date(2026, 5, 31)),
            Adjustment::None,
        )
        .unwrap();
        let nominal: Vec<Date> = r
            .between(&calendar(), date(2026, 1, 1), date(2026, 12, 31))
            .iter()
            .map(|o| o.nominal)
            .collect();
        assert_eq!(
            nominal,
            [
                date(2026, 1, 31),
                date(2026, 2, 28),
                date(2026, 3, 31),
                date(2026, 4, 30),
                date(2026, 5, 31)
            ]
        );
    }

    #[test]
    fn a_holiday_moves_to_the_next_business_day() {
        // 1 de enero de 2027 is a Friday and a día inhábil: the next business day is Monday 4.
        let r = Recurrence::new(
            Frequency::Semestral,
            date(2027, 1, 1),
            None,
            Adjustment::Following,
        )
        .unwrap();
        let found = r.between(&calendar(), date(2027, 1, 1), date(2027, 12, 31));
        assert_eq!(
            found,
            [
                Occurrence {
                    nominal: date(2027, 1, 1),
                    date: date(2027, 1, 4)
                },
                Occurrence {
                    nominal: date(2027, 7, 1),
                    date: date(2027, 7, 1)
                }
            ]
        );
        let before = Recurrence::new(
            Frequency::Yearly,
            date(2027, 1, 1),
            None,
            Adjustment::Preceding,
        )
        .unwrap();
        assert_eq!(
            before.between(&calendar(), date(2026, 12, 1), date(2027, 1, 31))[0].date,
            date(2026, 12, 31)
        );
    }

    #[test]
    fn refuses_what_is_not_a_recurrence() {
        let first = date(2026, 6, 1);
        assert_eq!(
            Recurrence::new(
                Frequency::Monthly,
                first,
                Some(date(2026, 1, 1)),
                Adjustment::None
            ),
            Err(RecurrenceError::LastBeforeFirst {
                first,
                last: date(2026, 1, 1)
            })
        );
        assert_eq!(
            Recurrence::new(Frequency::Dates(vec![]), first, None, Adjustment::None),
            Err(RecurrenceError::NoDates)
        );
        assert!(matches!(
            Recurrence::new(Frequency::Yearly, date(1999, 1, 1), None, Adjustment::None),
            Err(RecurrenceError::OutOfRange(_))
        ));
    }

    #[test]
    fn periods_read_as_people_name_them() {
        assert_eq!(
            period_label(&Frequency::Semestral, date(2026, 7, 15)),
            "2º semestre 2026"
        );
        assert_eq!(
            period_label(&Frequency::Quarterly, date(2026, 8, 1)),
            "3er trimestre 2026"
        );
        assert_eq!(
            period_label(&Frequency::Monthly, date(2026, 3, 5)),
            "marzo 2026"
        );
        assert_eq!(period_label(&Frequency::Yearly, date(2026, 3, 5)), "2026");
    }

    fn any_date() -> impl Strategy<Value = Date> {
        (2020i16..2030, 1i8..=12, 1i8..=31).prop_map(|(y, m, d)| {
            let last = date(y, m, 1).last_of_month().day();
            date(y, m, d.min(last))
        })
    }

    fn any_recurrence() -> impl Strategy<Value = Recurrence> {
        let frequency = prop_oneof![
            Just(Frequency::Yearly),
            Just(Frequency::Semestral),
            Just(Frequency::Quarterly),
            Just(Frequency::Monthly),
            proptest::collection::vec(any_date(), 1..30).prop_map(Frequency::Dates),
        ];
        let adjustment = prop_oneof![
            Just(Adjustment::None),
            Just(Adjustment::Following),
            Just(Adjustment::Preceding),
        ];
        (
            frequency,
            any_date(),
            proptest::option::of(0i32..4000),
            adjustment,
        )
            .prop_map(|(frequency, first, span, adjustment)| {
                let last = span.map(|d| first.checked_add(Span::new().days(d)).unwrap());
                Recurrence::new(frequency, first, last, adjustment).unwrap()
            })
    }

    proptest! {
        #[test]
        fn occurrences_are_ordered_unique_bounded_and_adjusted(
            r in any_recurrence(), from in any_date(), days in 0i32..3000,
        ) {
            let cal = calendar();
            let to = from.checked_add(Span::new().days(days)).unwrap();
            let found = r.between(&cal, from, to);
            for pair in found.windows(2) {
                prop_assert!(pair[0].nominal < pair[1].nominal);
                prop_assert!(pair[0].date < pair[1].date);
            }
            for o in &found {
                prop_assert!(o.date >= from && o.date <= to);
                prop_assert!(o.nominal >= r.first());
                if let Some(last) = r.last() {
                    prop_assert!(o.nominal <= last);
                }
                match r.adjustment() {
                    Adjustment::None => prop_assert_eq!(o.date, o.nominal),
                    Adjustment::Following => {
                        prop_assert!(cal.is_business_day(o.date) && o.date >= o.nominal);
                        prop_assert_eq!(cal.count_business_days(o.nominal, o.date),
                            i32::from(o.date != o.nominal));
                    }
                    Adjustment::Preceding => {
                        prop_assert!(cal.is_business_day(o.date) && o.date <= o.nominal);
                    }
                }
            }
        }

        #[test]
        fn a_window_split_in_two_finds_the_same_occurrences(
            r in any_recurrence(), from in any_date(), a in 0i32..1500, b in 1i32..1500,
        ) {
            // What a runner that was down catches up equals what one always up opened.
            let cal = calendar();
            let mid = from.checked_add(Span::new().days(a)).unwrap();
            let to = mid.checked_add(Span::new().days(b)).unwrap();
            let mut split = r.between(&cal, from, mid);
            split.extend(r.between(&cal, mid.tomorrow().unwrap(), to));
            prop_assert_eq!(split, r.between(&cal, from, to));
        }
    }
}
