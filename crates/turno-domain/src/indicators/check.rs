//! The consistency check of a period's indicators against the earlier periods of the same
//! report: what activity 2.1 reviews by hand. Each finding says what the value is, what it was
//! and in which period; none of them refuses anything.

use super::{Indicator, IndicatorTable, Period, Value};
use std::collections::{HashMap, HashSet};

/// The change from one period to the next, in percent of the earlier value, beyond which a
/// value is told (exclusive): 30 unless the reviewer asks for another, from 1 to 1000.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Threshold(u32);

impl Threshold {
    pub const DEFAULT: Threshold = Threshold(30);
    pub const MIN: u32 = 1;
    pub const MAX: u32 = 1000;

    /// `None` outside `MIN..=MAX`.
    pub fn percent(percent: u32) -> Option<Threshold> {
        (Self::MIN..=Self::MAX)
            .contains(&percent)
            .then_some(Threshold(percent))
    }

    pub fn get(self) -> u32 {
        self.0
    }

    /// Whether going from `earlier` to `now` changes more than the threshold (from zero, any
    /// change does).
    fn passed(self, earlier: Value, now: Value) -> bool {
        let (e, n) = (
            i128::from(earlier.ten_thousandths()),
            i128::from(now.ten_thousandths()),
        );
        (n - e).abs() * 100 > i128::from(self.0) * e.abs()
    }
}

impl Default for Threshold {
    fn default() -> Threshold {
        Threshold::DEFAULT
    }
}

/// A value of an earlier period, and where it comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Earlier {
    pub period: Period,
    /// The table's source (the folio of its case).
    pub source: String,
    pub value: Value,
    pub unit: String,
}

/// What the review should look at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Inconsistency {
    /// A cumulative value lower than in the last period that reported it.
    CumulativeFell {
        key: String,
        name: String,
        value: Value,
        earlier: Earlier,
    },
    /// A total that is not the sum of the indicators that name it as theirs.
    TotalMismatch {
        key: String,
        name: String,
        value: Value,
        /// The sum of its components (exact: ten-thousandths).
        sum: i128,
        components: Vec<String>,
    },
    /// A change from the last period that reported it beyond the threshold; `change` in
    /// hundredths of a percent, `None` from zero.
    BeyondThreshold {
        key: String,
        name: String,
        value: Value,
        earlier: Earlier,
        change: Option<i128>,
    },
    /// Measured in another unit than in the last period that reported it.
    UnitChanged {
        key: String,
        name: String,
        unit: String,
        earlier: Earlier,
    },
    /// In the period before and not in this one.
    Missing {
        key: String,
        name: String,
        earlier: Earlier,
    },
    /// Not in the period before (which had others).
    New { key: String, name: String },
}

impl Inconsistency {
    /// The indicator it is about (its key as typed).
    pub fn key(&self) -> &str {
        match self {
            Inconsistency::CumulativeFell { key, .. }
            | Inconsistency::TotalMismatch { key, .. }
            | Inconsistency::BeyondThreshold { key, .. }
            | Inconsistency::UnitChanged { key, .. }
            | Inconsistency::Missing { key, .. }
            | Inconsistency::New { key, .. } => key,
        }
    }

    /// A code for the API and the tests.
    pub fn code(&self) -> &'static str {
        match self {
            Inconsistency::CumulativeFell { .. } => "cumulative_fell",
            Inconsistency::TotalMismatch { .. } => "total_mismatch",
            Inconsistency::BeyondThreshold { .. } => "beyond_threshold",
            Inconsistency::UnitChanged { .. } => "unit_changed",
            Inconsistency::Missing { .. } => "missing",
            Inconsistency::New { .. } => "new",
        }
    }

    /// The earlier value it compares with, if it compares with one.
    pub fn earlier(&self) -> Option<&Earlier> {
        match self {
            Inconsistency::CumulativeFell { earlier, .. }
            | Inconsistency::BeyondThreshold { earlier, .. }
            | Inconsistency::UnitChanged { earlier, .. }
            | Inconsistency::Missing { earlier, .. } => Some(earlier),
            Inconsistency::TotalMismatch { .. } | Inconsistency::New { .. } => None,
        }
    }

    /// What it is, in a sentence for the review.
    pub fn describe(&self) -> String {
        match self {
            Inconsistency::CumulativeFell { value, earlier, .. } => format!(
                "Es acumulado y bajó: {} ahora, {} en {}.",
                value.shown(),
                earlier.value.shown(),
                earlier.period.label
            ),
            Inconsistency::TotalMismatch {
                value,
                sum,
                components,
                ..
            } => format!(
                "El total ({}) no es la suma de sus componentes {} ({}).",
                value.shown(),
                components.join(", "),
                sum_shown(*sum)
            ),
            Inconsistency::BeyondThreshold {
                value,
                earlier,
                change,
                ..
            } => match change {
                Some(change) => format!(
                    "Cambió {}{} % respecto de {}: {} ahora, {} entonces.",
                    if *change > 0 { "+" } else { "" },
                    hundredths(*change),
                    earlier.period.label,
                    value.shown(),
                    earlier.value.shown()
                ),
                None => format!(
                    "Era 0 en {} y ahora es {}.",
                    earlier.period.label,
                    value.shown()
                ),
            },
            Inconsistency::UnitChanged { unit, earlier, .. } => format!(
                "Se mide en «{unit}»; en {} se medía en «{}».",
                earlier.period.label, earlier.unit
            ),
            Inconsistency::Missing { earlier, .. } => format!(
                "Se reportó en {} ({}) y falta en este periodo.",
                earlier.period.label,
                earlier.value.shown()
            ),
            Inconsistency::New { .. } => "No se reportó en el periodo anterior.".into(),
        }
    }
}

/// Hundredths of a percent as people read them: `12.5`, `-40`.
fn hundredths(n: i128) -> String {
    let sign = if n < 0 { "-" } else { "" };
    let n = n.unsigned_abs();
    let (whole, fraction) = (n / 100, n % 100);
    if fraction == 0 {
        format!("{sign}{whole}")
    } else {
        format!(
            "{sign}{whole}.{}",
            format!("{fraction:02}").trim_end_matches('0')
        )
    }
}

/// A sum of ten-thousandths as a value is shown (it may exceed a value's range).
fn sum_shown(sum: i128) -> String {
    match i64::try_from(sum) {
        Ok(units) => Value::from_ten_thousandths(units).shown(),
        Err(_) => format!("{}", sum / 10_000),
    }
}

/// What `current` shows against `earlier` tables of the same report (those whose period ends
/// before `current`'s count; the others are left out, whatever their order), in the order of
/// `current`'s indicators, the missing ones last.
pub fn check(
    current: &IndicatorTable,
    earlier: &[IndicatorTable],
    threshold: Threshold,
) -> Vec<Inconsistency> {
    let mut before: Vec<&IndicatorTable> = earlier
        .iter()
        .filter(|t| t.period.end < current.period.end)
        .collect();
    // The latest first; two tables of one cut-off date (never stored) by their source.
    before.sort_by(|a, b| {
        b.period
            .end
            .cmp(&a.period.end)
            .then_with(|| a.source.cmp(&b.source))
    });
    // Each key's latest earlier indicator, with its table.
    let mut latest: HashMap<String, (&IndicatorTable, &Indicator)> = HashMap::new();
    for table in &before {
        for indicator in &table.indicators {
            latest
                .entry(indicator.matching_key())
                .or_insert((table, indicator));
        }
    }
    let previous: Option<HashSet<String>> = before
        .first()
        .map(|t| t.indicators.iter().map(Indicator::matching_key).collect());
    let mut found = Vec::new();
    for indicator in &current.indicators {
        let key = indicator.matching_key();
        let (k, name) = (indicator.key.clone(), indicator.name.clone());
        if let Some((table, was)) = latest.get(&key) {
            let earlier = Earlier {
                period: table.period.clone(),
                source: table.source.clone(),
                value: was.value,
                unit: was.unit.clone(),
            };
            if indicator.cumulative && indicator.value < was.value {
                found.push(Inconsistency::CumulativeFell {
                    key: k.clone(),
                    name: name.clone(),
                    value: indicator.value,
                    earlier: earlier.clone(),
                });
            }
            if threshold.passed(was.value, indicator.value) {
                let (e, n) = (
                    i128::from(was.value.ten_thousandths()),
                    i128::from(indicator.value.ten_thousandths()),
                );
                found.push(Inconsistency::BeyondThreshold {
                    key: k.clone(),
                    name: name.clone(),
                    value: indicator.value,
                    earlier: earlier.clone(),
                    change: (e != 0).then(|| (n - e) * 10_000 / e.abs()),
                });
            }
            if !crate::text::same(&indicator.unit, &was.unit) {
                found.push(Inconsistency::UnitChanged {
                    key: k.clone(),
                    name: name.clone(),
                    unit: indicator.unit.clone(),
                    earlier,
                });
            }
        }
        if let Some(previous) = &previous
            && !previous.contains(&key)
        {
            found.push(Inconsistency::New {
                key: k.clone(),
                name: name.clone(),
            });
        }
        let components: Vec<&Indicator> = current
            .indicators
            .iter()
            .filter(|c| c.total_of.as_deref().map(super::key_of) == Some(key.clone()))
            .collect();
        if !components.is_empty() {
            let sum: i128 = components
                .iter()
                .map(|c| i128::from(c.value.ten_thousandths()))
                .sum();
            if sum != i128::from(indicator.value.ten_thousandths()) {
                found.push(Inconsistency::TotalMismatch {
                    key: k,
                    name,
                    value: indicator.value,
                    sum,
                    components: components.iter().map(|c| c.key.clone()).collect(),
                });
            }
        }
    }
    if let Some(table) = before.first() {
        let now: HashSet<String> = current
            .indicators
            .iter()
            .map(Indicator::matching_key)
            .collect();
        for was in &table.indicators {
            if !now.contains(&was.matching_key()) {
                found.push(Inconsistency::Missing {
                    key: was.key.clone(),
                    name: was.name.clone(),
                    earlier: Earlier {
                        period: table.period.clone(),
                        source: table.source.clone(),
                        value: was.value,
                        unit: was.unit.clone(),
                    },
                });
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn table(
        end: jiff::civil::Date,
        rows: &[(&str, &str, i32, bool, Option<&str>)],
    ) -> IndicatorTable {
        IndicatorTable {
            period: Period {
                label: format!("al {end}"),
                end,
            },
            source: "CAS-2026-000001".into(),
            indicators: rows
                .iter()
                .map(|(key, unit, value, cumulative, total_of)| Indicator {
                    key: (*key).into(),
                    name: format!("Indicador {key}"),
                    unit: (*unit).into(),
                    value: Value::whole(*value),
                    cumulative: *cumulative,
                    total_of: total_of.map(str::to_owned),
                })
                .collect(),
        }
    }

    #[test]
    fn every_kind_is_found_against_the_right_period() {
        let q1 = table(
            date(2026, 3, 31),
            &[
                ("AF", "personas", 100, true, None),
                ("COB", "%", 50, false, None),
                ("OLD", "p", 7, false, None),
                ("GONE", "p", 3, false, None),
            ],
        );
        let q2 = table(
            date(2026, 6, 30),
            &[
                ("AF", "personas", 120, true, None),
                ("COB", "%", 50, false, None),
                ("GONE", "p", 3, false, None),
            ],
        );
        let q3 = table(
            date(2026, 9, 30),
            &[
                ("af", "personas", 110, true, None),
                ("COB", "puntos", 80, false, None),
                ("OLD", "p", 7, false, None),
                ("T", "p", 10, false, None),
                ("T1", "p", 4, false, Some("T")),
                ("T2", "p", 5, false, Some("t")),
            ],
        );
        // A later table and q3 itself are not earlier: left out.
        let q4 = table(date(2026, 12, 31), &[("AF", "personas", 1, true, None)]);
        let found = check(&q3, &[q4, q1, q2.clone()], Threshold::DEFAULT);
        let codes: Vec<(&str, &str)> = found.iter().map(|f| (f.key(), f.code())).collect();
        assert_eq!(
            codes,
            [
                ("af", "cumulative_fell"),
                ("COB", "beyond_threshold"),
                ("COB", "unit_changed"),
                ("OLD", "new"),
                ("T", "new"),
                ("T", "total_mismatch"),
                ("T1", "new"),
                ("T2", "new"),
                ("GONE", "missing"),
            ]
        );
        assert_eq!(found[0].earlier().unwrap().period, q2.period);
        assert_eq!(
            found[1].describe(),
            "Cambió +60 % respecto de al 2026-06-30: 80 ahora, 50 entonces."
        );
        assert_eq!(
            found[5].describe(),
            "El total (10) no es la suma de sus componentes T1, T2 (9)."
        );
        // OLD is compared with Q1, the last period that had it: unchanged.
        assert!(!found.iter().any(|f| f.key() == "OLD" && f.code() != "new"));
    }

    #[test]
    fn the_first_period_has_only_its_totals_to_check() {
        let q1 = table(
            date(2026, 3, 31),
            &[("T", "p", 9, false, None), ("A", "p", 9, false, Some("T"))],
        );
        assert!(check(&q1, &[], Threshold::DEFAULT).is_empty());
    }

    #[test]
    fn from_zero_any_change_is_told() {
        let q1 = table(date(2026, 3, 31), &[("A", "p", 0, false, None)]);
        let q2 = table(date(2026, 6, 30), &[("A", "p", 1, false, None)]);
        let found = check(&q2, &[q1], Threshold::percent(1000).unwrap());
        assert_eq!(found[0].describe(), "Era 0 en al 2026-03-31 y ahora es 1.");
        assert_eq!(Threshold::percent(0), None);
        assert_eq!(Threshold::percent(1001), None);
    }
}
