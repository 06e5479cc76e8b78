//! The statutory non-working days of each regime.
//!
//! One table of rules is the single source of truth: both the per-date check used while walking
//! the calendar and the per-year listing are derived from it, so they cannot disagree.

use std::collections::BTreeMap;

use jiff::civil::{Date, Weekday};

use super::{NonWorkingDay, Regime};

/// First year of the LFT Monday rules (reform published in the DOF on 17 January 2006).
const LFT_MONDAY_RULES_FROM: i16 = 2006;

/// From this year on the Federal Executive takes office on 1 October (constitutional reform of
/// 2014, first applied in 2024); before, on 1 December.
const TRANSMISSION_OCTOBER_FROM: i16 = 2024;

#[derive(Clone, Copy)]
enum When {
    /// Month and day.
    Fixed(i8, i8),
    /// Month and n-th Monday of it (1-based).
    NthMonday(i8, i8),
    /// Transmission of the Federal Executive, every six years (…, 2018, 2024, 2030, …).
    Transmission,
}

#[derive(Clone, Copy)]
enum Applies {
    Both,
    Lfpa,
    /// LFT from 2006 on (Monday rules).
    LftReformed,
    /// LFT before 2006 (fixed dates), and always LFPA: the LFPA kept the fixed dates.
    LftBeforeReformAndLfpa,
}

struct Rule {
    when: When,
    applies: Applies,
    name: &'static str,
}

/// LFT art. 74 and LFPA art. 28. Order is the calendar order within a year.
const RULES: &[Rule] = &[
    Rule {
        when: When::Fixed(1, 1),
        applies: Applies::Both,
        name: "Año Nuevo",
    },
    Rule {
        when: When::NthMonday(2, 1),
        applies: Applies::LftReformed,
        name: "Día de la Constitución (primer lunes de febrero)",
    },
    Rule {
        when: When::Fixed(2, 5),
        applies: Applies::LftBeforeReformAndLfpa,
        name: "Día de la Constitución",
    },
    Rule {
        when: When::NthMonday(3, 3),
        applies: Applies::LftReformed,
        name: "Natalicio de Benito Juárez (tercer lunes de marzo)",
    },
    Rule {
        when: When::Fixed(3, 21),
        applies: Applies::LftBeforeReformAndLfpa,
        name: "Natalicio de Benito Juárez",
    },
    Rule {
        when: When::Fixed(5, 1),
        applies: Applies::Both,
        name: "Día del Trabajo",
    },
    Rule {
        when: When::Fixed(5, 5),
        applies: Applies::Lfpa,
        name: "Aniversario de la Batalla de Puebla",
    },
    Rule {
        when: When::Fixed(9, 1),
        applies: Applies::Lfpa,
        name: "Apertura del periodo ordinario de sesiones del Congreso",
    },
    Rule {
        when: When::Fixed(9, 16),
        applies: Applies::Both,
        name: "Día de la Independencia",
    },
    Rule {
        when: When::NthMonday(11, 3),
        applies: Applies::LftReformed,
        name: "Día de la Revolución (tercer lunes de noviembre)",
    },
    Rule {
        when: When::Fixed(11, 20),
        applies: Applies::LftBeforeReformAndLfpa,
        name: "Día de la Revolución",
    },
    Rule {
        when: When::Transmission,
        applies: Applies::Both,
        name: "Transmisión del Poder Ejecutivo Federal",
    },
    Rule {
        when: When::Fixed(12, 25),
        applies: Applies::Both,
        name: "Navidad",
    },
];

impl Applies {
    fn includes(self, regime: Regime, year: i16) -> bool {
        let reformed = year >= LFT_MONDAY_RULES_FROM;
        match (self, regime) {
            (Applies::Both, _) => true,
            (Applies::Lfpa, regime) => regime == Regime::Lfpa,
            (Applies::LftReformed, regime) => regime == Regime::Lft && reformed,
            (Applies::LftBeforeReformAndLfpa, Regime::Lfpa) => true,
            (Applies::LftBeforeReformAndLfpa, Regime::Lft) => !reformed,
        }
    }
}

impl When {
    /// The date of the rule in `year`, if it has one (the transmission is every six years).
    fn date_in(self, year: i16) -> Option<Date> {
        match self {
            When::Fixed(month, day) => Date::new(year, month, day).ok(),
            When::NthMonday(month, nth) => Date::new(year, month, 1)
                .ok()?
                .nth_weekday_of_month(nth, Weekday::Monday)
                .ok(),
            When::Transmission => {
                let (month, day) = if year >= TRANSMISSION_OCTOBER_FROM {
                    (10, 1)
                } else {
                    (12, 1)
                };
                // 2024 % 6 == 2: the six-year cycle, extended in both directions.
                (year.rem_euclid(6) == 2)
                    .then(|| Date::new(year, month, day).ok())
                    .flatten()
            }
        }
    }

    fn matches(self, date: Date) -> bool {
        match self {
            When::Fixed(month, day) => date.month() == month && date.day() == day,
            When::NthMonday(month, nth) => {
                date.month() == month
                    && (date.day() - 1) / 7 + 1 == nth
                    && date.weekday() == Weekday::Monday
            }
            When::Transmission => {
                let year = date.year();
                let (month, day) = if year >= TRANSMISSION_OCTOBER_FROM {
                    (10, 1)
                } else {
                    (12, 1)
                };
                // 2024 % 6 == 2: the six-year cycle, extended in both directions.
                year.rem_euclid(6) == 2 && date.month() == month && date.day() == day
            }
        }
    }
}

/// Names of the statutory rules of `regime` that fall on `date` (usually none, at most a few).
pub(super) fn statutory_names(regime: Regime, date: Date) -> impl Iterator<Item = &'static str> {
    RULES
        .iter()
        .filter(move |rule| rule.when.matches(date) && rule.applies.includes(regime, date.year()))
        .map(|rule| rule.name)
}

/// The statutory days of `regime` in `year`, in rule order (not necessarily by date).
pub(super) fn dates_in_year(
    regime: Regime,
    year: i16,
) -> impl Iterator<Item = (Date, &'static str)> {
    RULES
        .iter()
        .filter(move |rule| rule.applies.includes(regime, year))
        .filter_map(move |rule| Some((rule.when.date_in(year)?, rule.name)))
}

/// Whether `date` is a statutory non-working day of `regime` (weekends aside).
pub(super) fn is_statutory(regime: Regime, date: Date) -> bool {
    statutory_names(regime, date).next().is_some()
}

/// The statutory non-working days of `regime` in `year`, sorted by date, including those that fall
/// on a Saturday or Sunday. Rules that coincide are listed once with their names joined by
/// `" / "`. Years outside jiff's range (-9999..=9999) have none.
pub fn statutory_days(regime: Regime, year: i16) -> Vec<NonWorkingDay> {
    list_year(regime, year, &BTreeMap::new())
}

/// Statutory days plus `extra` days of `year`, names on the same date joined once each.
pub(super) fn list_year<'a>(
    regime: Regime,
    year: i16,
    extra: &'a BTreeMap<Date, Vec<String>>,
) -> Vec<NonWorkingDay> {
    let (Ok(first), Ok(last)) = (Date::new(year, 1, 1), Date::new(year, 12, 31)) else {
        return Vec::new();
    };
    let mut names: BTreeMap<Date, Vec<&'a str>> = BTreeMap::new();
    let mut add = |date: Date, name: &'a str| {
        let on_date = names.entry(date).or_default();
        if !on_date.contains(&name) {
            on_date.push(name);
        }
    };
    for (date, name) in dates_in_year(regime, year) {
        add(date, name);
    }
    for (date, extra_names) in extra.range(first..=last) {
        for name in extra_names {
            add(*date, name);
        }
    }
    names
        .into_iter()
        .map(|(date, names)| NonWorkingDay {
            date,
            name: names.join(" / "),
        })
        .collect()
}
