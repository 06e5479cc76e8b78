//! Seed 000's matriz de entrega de informes oficiales (annex 10.1/10.2): for each Dirección
//! General and period, whether the report expected was received in time, late, or is missing.
//!
//! A report is expected on an occurrence's date and due a number of días hábiles after it; it
//! is received when the case its occurrence opened has its first activity («Recibe los
//! informes oficiales…») completed.

use crate::calendar::Calendar;
use jiff::civil::Date;
use std::collections::BTreeMap;

/// One report expected: from which unit, for which period, since when and, once received, when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expected {
    /// The Dirección General that reports (its unit code).
    pub unit: String,
    /// The period as the matriz names it (`recurrence::period_label`).
    pub period: String,
    /// The occurrence's date: when the report was asked for.
    pub opened: Date,
    /// Días hábiles the unit has to deliver it.
    pub term_days: i32,
    /// When it was received, if it was.
    pub received: Option<Date>,
    /// The case that follows it.
    pub folio: String,
}

/// Where one expected report stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Delivery {
    /// Received on or before its due date.
    OnTime,
    /// Received after its due date.
    Late,
    /// Not received and its due date passed.
    Missing,
    /// Not received and still within its term.
    Pending,
}

impl Delivery {
    pub const ALL: [Delivery; 4] = [
        Delivery::OnTime,
        Delivery::Late,
        Delivery::Missing,
        Delivery::Pending,
    ];

    /// How the matriz names it.
    pub fn label(self) -> &'static str {
        match self {
            Delivery::OnTime => "Entregado a tiempo",
            Delivery::Late => "Entregado con retraso",
            Delivery::Missing => "Faltante",
            Delivery::Pending => "En plazo",
        }
    }

    /// The code the API and the pages' styles use.
    pub fn code(self) -> &'static str {
        match self {
            Delivery::OnTime => "a_tiempo",
            Delivery::Late => "tarde",
            Delivery::Missing => "faltante",
            Delivery::Pending => "en_plazo",
        }
    }
}

/// One cell of the matriz: an expected report and where it stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cell {
    pub folio: String,
    pub due: Date,
    pub received: Option<Date>,
    pub delivery: Delivery,
    /// Días hábiles past its due date (received late, or missing as of today); 0 otherwise.
    pub days_late: i32,
}

/// One Dirección General's row: its cells by period (a period may hold several reports).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub unit: String,
    pub cells: BTreeMap<usize, Vec<Cell>>,
}

/// The matriz: periods in the order their reports were asked for, one row per unit (by code),
/// and how many reports stand in each state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Matrix {
    pub periods: Vec<String>,
    pub rows: Vec<Row>,
    pub totals: BTreeMap<Delivery, usize>,
}

impl Matrix {
    /// Where each expected report stands `today`: due `term_days` días hábiles after it was
    /// asked for; each one counted in exactly one state.
    pub fn build(expected: &[Expected], calendar: &Calendar, today: Date) -> Matrix {
        let mut order: Vec<(Date, &str)> = expected
            .iter()
            .map(|e| (e.opened, e.period.as_str()))
            .collect();
        order.sort_unstable();
        let mut periods: Vec<String> = Vec::new();
        for (_, period) in order {
            if !periods.iter().any(|p| p == period) {
                periods.push(period.to_owned());
            }
        }
        let mut rows: BTreeMap<&str, BTreeMap<usize, Vec<Cell>>> = BTreeMap::new();
        let mut totals: BTreeMap<Delivery, usize> = Delivery::ALL.iter().map(|d| (*d, 0)).collect();
        for e in expected {
            let cell = cell(e, calendar, today);
            *totals.entry(cell.delivery).or_default() += 1;
            let column = periods.iter().position(|p| *p == e.period).unwrap_or(0);
            rows.entry(&e.unit)
                .or_default()
                .entry(column)
                .or_default()
                .push(cell);
        }
        Matrix {
            periods,
            rows: rows
                .into_iter()
                .map(|(unit, cells)| Row {
                    unit: unit.to_owned(),
                    cells,
                })
                .collect(),
            totals,
        }
    }

    /// How many reports were expected.
    pub fn expected(&self) -> usize {
        self.totals.values().sum()
    }
}

/// Where one report stands `today`.
pub fn cell(expected: &Expected, calendar: &Calendar, today: Date) -> Cell {
    let due = calendar
        .add_business_days(expected.opened, expected.term_days)
        .unwrap_or(expected.opened);
    let (delivery, days_late) = match expected.received {
        Some(received) if received <= due => (Delivery::OnTime, 0),
        Some(received) => (
            Delivery::Late,
            calendar.count_business_days(due, received).max(1),
        ),
        None if today > due => (
            Delivery::Missing,
            calendar.count_business_days(due, today).max(1),
        ),
        None => (Delivery::Pending, 0),
    };
    Cell {
        folio: expected.folio.clone(),
        due,
        received: expected.received,
        delivery,
        days_late,
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

    fn expected(unit: &str, period: &str, opened: Date, received: Option<Date>) -> Expected {
        Expected {
            unit: unit.into(),
            period: period.into(),
            opened,
            term_days: 10,
            received,
            folio: format!("CAS-{unit}-{opened}"),
        }
    }

    #[test]
    fn each_report_in_its_state() {
        let cal = calendar();
        // Asked on Thursday 2 July 2026, due ten días hábiles later: Thursday 16 July.
        let opened = date(2026, 7, 2);
        let today = date(2026, 8, 3);
        let m = Matrix::build(
            &[
                expected("DGIS", "2º semestre 2026", opened, Some(date(2026, 7, 16))),
                expected(
                    "DGPLADES",
                    "2º semestre 2026",
                    opened,
                    Some(date(2026, 7, 20)),
                ),
                expected("DGCES", "2º semestre 2026", opened, None),
                expected("DGIS", "1er semestre 2027", date(2026, 7, 31), None),
            ],
            &cal,
            today,
        );
        assert_eq!(m.periods, ["2º semestre 2026", "1er semestre 2027"]);
        let state = |unit: &str, column: usize| {
            let row = m.rows.iter().find(|r| r.unit == unit).unwrap();
            row.cells[&column][0].clone()
        };
        assert_eq!(state("DGIS", 0).delivery, Delivery::OnTime);
        assert_eq!(state("DGIS", 0).due, date(2026, 7, 16));
        assert_eq!(state("DGPLADES", 0).delivery, Delivery::Late);
        assert_eq!(state("DGPLADES", 0).days_late, 2);
        assert_eq!(state("DGCES", 0).delivery, Delivery::Missing);
        assert_eq!(state("DGIS", 1).delivery, Delivery::Pending);
        assert_eq!(m.expected(), 4);
        assert_eq!(m.totals[&Delivery::Missing], 1);
    }

    proptest! {
        #[test]
        fn every_report_is_counted_once(
            reports in proptest::collection::vec(
                (0usize..4, 0i32..400, 0i32..40, proptest::option::of(0i32..60)), 0..40),
            today in 0i32..500,
        ) {
            let cal = calendar();
            let start = date(2026, 1, 1);
            let day = |n: i32| start.checked_add(jiff::Span::new().days(n)).unwrap();
            let expected: Vec<Expected> = reports
                .iter()
                .map(|(unit, opened, term, received)| Expected {
                    unit: format!("DG{unit}"),
                    period: format!("P{}", opened / 90),
                    opened: day(*opened),
                    term_days: *term,
                    received: received.map(|r| day(opened + r)),
                    folio: String::new(),
                })
                .collect();
            let m = Matrix::build(&expected, &cal, day(today));
            prop_assert_eq!(m.expected(), expected.len());
            let cells: usize = m.rows.iter().flat_map(|r| r.cells.values()).map(Vec::len).sum();
            prop_assert_eq!(cells, expected.len());
            for cell in m.rows.iter().flat_map(|r| r.cells.values()).flatten() {
                match cell.delivery {
                    Delivery::OnTime => prop_assert!(cell.received.is_some_and(|r| r <= cell.due)),
                    Delivery::Late => prop_assert!(cell.received.is_some_and(|r| r > cell.due)),
                    Delivery::Missing => prop_assert!(cell.received.is_none() && day(today) > cell.due),
                    Delivery::Pending => prop_assert!(cell.received.is_none() && day(today) <= cell.due),
                }
            }
        }
    }
}
