//! The monthly report of citizen attention (procedure 97, 4.3 «Informe mensual»; 96, 2.3 and
//! 5.2): the petitions received in a month counted per entidad, type, channel and motive,
//! their response times in días hábiles (median and 90th percentile) and those overdue; and the
//! call-center contract's supervision (96, 5.1): calls the provider declares it received
//! against calls registered from its files. Definitions in docs/citizen-format.md.

use super::petition::{Channel, PetitionKind};
use crate::calendar::{Calendar, State};
use jiff::civil::Date;
use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

/// A calendar month, written `aaaa-mm`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Month {
    first: Date,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("«{0}» no es un mes (aaaa-mm)")]
pub struct BadMonth(pub String);

impl Month {
    pub fn of(date: Date) -> Month {
        Month {
            first: date.first_of_month(),
        }
    }

    pub fn first(self) -> Date {
        self.first
    }

    pub fn last(self) -> Date {
        self.first.last_of_month()
    }

    pub fn contains(self, date: Date) -> bool {
        (self.first()..=self.last()).contains(&date)
    }

    /// «marzo de 2026».
    pub fn label(self) -> String {
        let name = crate::calendar::MONTHS[usize::from(self.first.month().unsigned_abs()) - 1];
        format!("{name} de {}", self.first.year())
    }
}

impl FromStr for Month {
    type Err = BadMonth;

    fn from_str(s: &str) -> Result<Month, BadMonth> {
        let bad = || BadMonth(s.trim().to_owned());
        let (year, month) = s.trim().split_once('-').ok_or_else(bad)?;
        if year.len() != 4 || month.len() != 2 {
            return Err(bad());
        }
        let year: i16 = year.parse().map_err(|_| bad())?;
        let month: i8 = month.parse().map_err(|_| bad())?;
        Date::new(year, month, 1)
            .map(|first| Month { first })
            .map_err(|_| bad())
    }
}

impl fmt::Display for Month {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{:02}", self.first.year(), self.first.month())
    }
}

/// What the report needs of one petition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Handled {
    pub kind: PetitionKind,
    pub channel: Channel,
    pub state: State,
    /// `None` until classified.
    pub motive: Option<String>,
    pub received_on: Date,
    /// When the petitioner was answered: directly, or when the review closed the volante.
    pub answered_on: Option<Date>,
    /// The due date of the volante in force; `None` without a volante.
    pub due_on: Option<Date>,
}

impl Handled {
    /// Answered after its due date, or still unanswered after it on `today`.
    pub fn overdue(&self, today: Date) -> bool {
        self.due_on
            .is_some_and(|due| self.answered_on.unwrap_or(today) > due)
    }
}

/// Response times of the answered petitions, in días hábiles from reception to answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ResponseTimes {
    pub answered: usize,
    pub median: i32,
    pub p90: i32,
}

/// The nearest-rank percentile (`p` in 1..=100) of sorted values: the smallest value with at
/// least `p`% of the values at or below it. Always one of the values, so días hábiles stay
/// whole days; `None` for no values.
pub fn nearest_rank(sorted: &[i32], p: u32) -> Option<i32> {
    if sorted.is_empty() {
        return None;
    }
    let n = sorted.len();
    let rank = (p.clamp(1, 100) as usize * n).div_ceil(100).max(1);
    sorted.get(rank - 1).copied()
}

impl ResponseTimes {
    /// The times of the given days; `None` when no petition was answered.
    pub fn of(mut days: Vec<i32>) -> Option<ResponseTimes> {
        days.sort_unstable();
        Some(ResponseTimes {
            answered: days.len(),
            median: nearest_rank(&days, 50)?,
            p90: nearest_rank(&days, 90)?,
        })
    }
}

/// One line of a breakdown: what (a code), how it reads, and how many.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tally {
    pub code: String,
    pub label: String,
    pub count: usize,
}

/// The motive of unclassified petitions in the breakdown.
pub const UNCLASSIFIED: &str = "Sin clasificar";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MonthlyReport {
    pub month: Month,
    /// Petitions received in the month.
    pub received: usize,
    pub by_state: Vec<Tally>,
    pub by_kind: Vec<Tally>,
    pub by_channel: Vec<Tally>,
    /// By motive code; the unclassified under [`UNCLASSIFIED`] with an empty code.
    pub by_motive: Vec<Tally>,
    pub times: Option<ResponseTimes>,
    /// Received in the month and answered after their volante's due date, or unanswered past
    /// it on the report's date.
    pub overdue: usize,
}

impl MonthlyReport {
    /// The report of `month` on `today`, from the petitions given (others are left out); days
    /// counted on `calendar`. `motive_name` names a motive code.
    pub fn build(
        month: Month,
        petitions: &[Handled],
        calendar: &Calendar,
        today: Date,
        motive_name: impl Fn(&str) -> String,
    ) -> MonthlyReport {
        let mine: Vec<&Handled> = petitions
            .iter()
            .filter(|p| month.contains(p.received_on))
            .collect();
        let tally = |key: &dyn Fn(&Handled) -> (String, String)| {
            let mut counts: BTreeMap<(String, String), usize> = BTreeMap::new();
            for p in &mine {
                *counts.entry(key(p)).or_default() += 1;
            }
            let mut lines: Vec<Tally> = counts
                .into_iter()
                .map(|((code, label), count)| Tally { code, label, count })
                .collect();
            // Most first; ties by name, so that the report reads the same every time.
            lines.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.label.cmp(&b.label)));
            lines
        };
        let days = mine
            .iter()
            .filter_map(|p| {
                p.answered_on
                    .map(|a| calendar.count_business_days(p.received_on, a).max(0))
            })
            .collect();
        MonthlyReport {
            month,
            received: mine.len(),
            by_state: tally(&|p| (p.state.code().to_owned(), p.state.name().to_owned())),
            by_kind: tally(&|p| (p.kind.code().to_owned(), p.kind.label().to_owned())),
            by_channel: tally(&|p| (p.channel.code().to_owned(), p.channel.label().to_owned())),
            by_motive: tally(&|p| match &p.motive {
                Some(code) => (code.clone(), motive_name(code)),
                None => (String::new(), UNCLASSIFIED.to_owned()),
            }),
            times: ResponseTimes::of(days),
            overdue: mine.iter().filter(|p| p.overdue(today)).count(),
        }
    }
}

/// One day of the call-center contract's supervision.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CallDay {
    pub day: Date,
    /// What the provider declared it received; `None` when not recorded.
    pub declared: Option<u32>,
    /// Calls registered from its files (petitions of the call-center channel received that day).
    pub registered: u32,
}

impl CallDay {
    /// Declared minus registered: calls the provider received but did not deliver.
    pub fn missing(&self) -> Option<i64> {
        self.declared
            .map(|d| i64::from(d) - i64::from(self.registered))
    }
}

/// The month's days with a declaration or a registered call, in order.
pub fn call_supervision(
    month: Month,
    declared: &[(Date, u32)],
    petitions: &[Handled],
) -> Vec<CallDay> {
    let mut days: BTreeMap<Date, CallDay> = BTreeMap::new();
    fn on(days: &mut BTreeMap<Date, CallDay>, day: Date) -> &mut CallDay {
        days.entry(day).or_insert(CallDay {
            day,
            declared: None,
            registered: 0,
        })
    }
    for (day, count) in declared.iter().filter(|(d, _)| month.contains(*d)) {
        on(&mut days, *day).declared = Some(*count);
    }
    for p in petitions
        .iter()
        .filter(|p| p.channel == Channel::CallCenter && month.contains(p.received_on))
    {
        on(&mut days, p.received_on).registered += 1;
    }
    days.into_values().collect()
}

/// One breakdown of a report: its id, heading, column and lines.
pub struct Breakdown<'a> {
    pub id: &'static str,
    pub title: &'static str,
    pub column: &'static str,
    pub lines: &'a [Tally],
}

impl MonthlyReport {
    /// The counts per entidad, type, channel and motive.
    pub fn breakdowns(&self) -> [Breakdown<'_>; 4] {
        [
            Breakdown {
                id: "entidad",
                title: "Por entidad federativa",
                column: "Entidad federativa",
                lines: &self.by_state,
            },
            Breakdown {
                id: "tipo",
                title: "Por tipo",
                column: "Tipo",
                lines: &self.by_kind,
            },
            Breakdown {
                id: "canal",
                title: "Por canal",
                column: "Canal",
                lines: &self.by_channel,
            },
            Breakdown {
                id: "motivo",
                title: "Por motivo",
                column: "Motivo",
                lines: &self.by_motive,
            },
        ]
    }

    /// The report's figures as titled tables (a heading row and its lines each), for files:
    /// the summary, each breakdown and, when given, the call-center supervision.
    pub fn tables(&self, supervision: Option<&[CallDay]>) -> Vec<(String, Vec<Vec<String>>)> {
        let row = |cells: &[&str]| cells.iter().map(|c| (*c).to_owned()).collect::<Vec<_>>();
        let times = self.times;
        let figure = |value: Option<i32>| value.map_or_else(String::new, |v| v.to_string());
        let mut all = vec![(
            "Resumen".to_owned(),
            vec![
                row(&[
                    "Informe mensual de atención ciudadana",
                    &self.month.to_string(),
                ]),
                row(&["Peticiones recibidas", &self.received.to_string()]),
                row(&["Respondidas", &times.map_or(0, |t| t.answered).to_string()]),
                row(&[
                    "Mediana del tiempo de respuesta (días hábiles)",
                    &figure(times.map(|t| t.median)),
                ]),
                row(&[
                    "Percentil 90 del tiempo de respuesta (días hábiles)",
                    &figure(times.map(|t| t.p90)),
                ]),
                row(&["Vencidas", &self.overdue.to_string()]),
            ],
        )];
        for b in self.breakdowns() {
            let mut table = vec![row(&[b.column, "Peticiones"])];
            table.extend(
                b.lines
                    .iter()
                    .map(|t| vec![t.label.clone(), t.count.to_string()]),
            );
            all.push((b.title.to_owned(), table));
        }
        if let Some(days) = supervision {
            let mut table = vec![row(&[
                "Día",
                "Llamadas declaradas",
                "Llamadas registradas",
                "Diferencia",
            ])];
            table.extend(days.iter().map(|d| {
                vec![
                    d.day.to_string(),
                    d.declared.map_or_else(String::new, |v| v.to_string()),
                    d.registered.to_string(),
                    d.missing().map_or_else(String::new, |v| v.to_string()),
                ]
            }));
            all.push((
                "Supervisión del Centro de Atención Telefónica".to_owned(),
                table,
            ));
        }
        all
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::Regime;
    use jiff::civil::date;
    use proptest::prelude::*;

    fn handled(state: &str, received: Date, answered: Option<Date>, due: Option<Date>) -> Handled {
        Handled {
            kind: PetitionKind::Complaint,
            channel: Channel::CallCenter,
            state: State::from_name_or_code(state).unwrap(),
            motive: Some("MED-SURT".into()),
            received_on: received,
            answered_on: answered,
            due_on: due,
        }
    }

    #[test]
    fn citizen_month_reads_and_writes_aaaa_mm() {
        let m: Month = "2026-03".parse().unwrap();
        assert_eq!((m.first(), m.last()), (date(2026, 3, 1), date(2026, 3, 31)));
        assert_eq!(m.to_string(), "2026-03");
        assert_eq!(m.label(), "marzo de 2026");
        for bad in ["2026-13", "2026-3", "marzo", "", "20260-01"] {
            assert!(bad.parse::<Month>().is_err(), "{bad}");
        }
    }

    #[test]
    fn citizen_nearest_rank_percentiles() {
        assert_eq!(nearest_rank(&[], 50), None);
        assert_eq!(nearest_rank(&[7], 90), Some(7));
        let ten: Vec<i32> = (1..=10).collect();
        assert_eq!(nearest_rank(&ten, 50), Some(5));
        assert_eq!(nearest_rank(&ten, 90), Some(9));
        assert_eq!(nearest_rank(&[1, 2, 3, 4], 50), Some(2));
        assert_eq!(nearest_rank(&[1, 2, 3, 4], 90), Some(4));
    }

    #[test]
    fn citizen_report_counts_times_and_overdue() {
        let calendar = Calendar::new(Regime::Lfpa);
        // Monday 2 March 2026; 16 March is a día inhábil (third Monday of March, LFPA 21 Mar).
        let rows = [
            // Answered the same day: 0 días hábiles.
            handled("JAL", date(2026, 3, 2), Some(date(2026, 3, 2)), None),
            // Friday to Monday: 1 día hábil.
            handled(
                "JAL",
                date(2026, 3, 6),
                Some(date(2026, 3, 9)),
                Some(date(2026, 3, 20)),
            ),
            // Past its due date and unanswered on the 31st.
            handled("COL", date(2026, 3, 10), None, Some(date(2026, 3, 24))),
            // Another month: left out.
            handled("COL", date(2026, 2, 27), Some(date(2026, 3, 2)), None),
        ];
        let report = MonthlyReport::build(
            "2026-03".parse().unwrap(),
            &rows,
            &calendar,
            date(2026, 3, 31),
            |code| format!("Motivo {code}"),
        );
        assert_eq!(report.received, 3);
        assert_eq!(
            report
                .by_state
                .iter()
                .map(|t| (t.code.as_str(), t.count))
                .collect::<Vec<_>>(),
            [("JAL", 2), ("COL", 1)]
        );
        assert_eq!(report.by_motive[0].label, "Motivo MED-SURT");
        assert_eq!(
            report.times,
            Some(ResponseTimes {
                answered: 2,
                median: 0,
                p90: 1
            })
        );
        assert_eq!(report.overdue, 1);
    }

    #[test]
    fn citizen_supervision_sets_declared_against_registered() {
        let rows = [
            handled("JAL", date(2026, 3, 2), None, None),
            handled("JAL", date(2026, 3, 2), None, None),
            handled("JAL", date(2026, 3, 3), None, None),
        ];
        let days = call_supervision(
            "2026-03".parse().unwrap(),
            &[(date(2026, 3, 2), 5), (date(2026, 4, 1), 9)],
            &rows,
        );
        assert_eq!(days.len(), 2);
        assert_eq!((days[0].declared, days[0].registered), (Some(5), 2));
        assert_eq!(days[0].missing(), Some(3));
        assert_eq!((days[1].declared, days[1].missing()), (None, None));
    }

    proptest! {
        /// The median and p90 are values of the sample, in order, between its least and
        /// greatest, whatever the sample.
        #[test]
        fn citizen_percentiles_are_ordered_sample_values(days in prop::collection::vec(0i32..200, 1..60)) {
            let times = ResponseTimes::of(days.clone()).unwrap();
            prop_assert!(days.contains(&times.median) && days.contains(&times.p90));
            prop_assert!(times.median <= times.p90);
            prop_assert!(*days.iter().min().unwrap() <= times.median);
            prop_assert!(times.p90 <= *days.iter().max().unwrap());
            // At least 90% of the sample is at or below the p90, and fewer are below it.
            let at_or_below = days.iter().filter(|d| **d <= times.p90).count();
            let below = days.iter().filter(|d| **d < times.p90).count();
            prop_assert!(at_or_below * 10 >= days.len() * 9);
            prop_assert!(below * 10 < days.len() * 9);
        }
    }
}
