//! The correspondence report of a unit and a period (issue 17, item 5; docs/correspondence.md,
//! «Reports»): of the turns that reached the unit (or the units below it) in the period, how
//! many were answered in time, answered late, closed otherwise, and are still pending, by age in
//! días hábiles and by semáforo, and the average días hábiles to answer; and the outgoing
//! documents the units signed, dispatched and cancelled in the period; and, when the units
//! below count, the same figures per unit (`CorrespondenceReport::by_unit`).
//!
//! Pure: the caller passes the turns and steps the store read, the calendar, the semáforo's
//! thresholds and the day the report is made.

use super::{Instruction, TurnStatus};
use crate::calendar::Calendar;
use crate::engine::{DueStatus, Thresholds};
use jiff::civil::Date;

/// What the report needs of one turn that reached the units in the period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TurnFacts {
    /// The day it was turned, in the agency's time zone.
    pub turned_on: Date,
    /// Its last día hábil to be answered, when it has a term.
    pub due: Option<Date>,
    pub instruction: Instruction,
    pub status: TurnStatus,
    /// The day it was closed, in the agency's time zone, once closed.
    pub closed_on: Option<Date>,
}

/// A step of an outgoing document that the report counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutgoingFact {
    Signed,
    Dispatched,
    Cancelled,
}

/// The age buckets of pending turns, in días hábiles since they were turned: the upper bound of
/// each (inclusive), the last open.
pub const AGE_BUCKETS: [(u32, Option<u32>); 4] =
    [(0, Some(5)), (6, Some(10)), (11, Some(20)), (21, None)];

/// A bucket's label: «0 a 5», «más de 20».
pub fn bucket_label(bucket: (u32, Option<u32>)) -> String {
    match bucket {
        (low, Some(high)) => format!("{low} a {high}"),
        (low, None) => format!("más de {}", low.saturating_sub(1)),
    }
}

/// Pending turns by semáforo.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BySemaphore {
    pub on_time: u32,
    pub due_soon: u32,
    pub overdue: u32,
    /// Pending turns without a term (a turn «para conocimiento», or given without one).
    pub no_term: u32,
}

/// The figures of a unit's correspondence in a period.
#[derive(Debug, Clone, PartialEq)]
pub struct CorrespondenceReport {
    pub from: Date,
    pub to: Date,
    /// The day it was made: pending turns' ages and semáforo are counted up to it.
    pub today: Date,
    /// Turns that reached the units in the period.
    pub received: u32,
    /// Answered (closed as atendido) on or before their due date, or without a term.
    pub answered_in_time: u32,
    /// Answered after their due date.
    pub answered_late: u32,
    /// Closed as read (para conocimiento).
    pub read: u32,
    /// Returned to the unit that turned them.
    pub returned: u32,
    /// Withdrawn by the unit that turned them.
    pub withdrawn: u32,
    /// Still open.
    pub pending: u32,
    /// Pending by age, one count per bucket of [`AGE_BUCKETS`].
    pub pending_by_age: [u32; 4],
    pub pending_by_semaphore: BySemaphore,
    /// The mean días hábiles from turn to answer of the answered ones, in tenths (rounded half
    /// up); `None` when none was answered.
    pub average_tenths: Option<u32>,
    /// Outgoing documents of the units signed, dispatched and cancelled in the period.
    pub signed: u32,
    pub dispatched: u32,
    pub cancelled: u32,
}

/// One unit's line of a report's breakdown: its code, its name and its own figures.
#[derive(Debug, Clone, PartialEq)]
pub struct UnitLine {
    pub code: String,
    pub name: String,
    pub report: CorrespondenceReport,
}

/// The headings of the breakdown's columns, after the unit's code and name.
pub const LINE_HEADINGS: [&str; 11] = [
    "Recibidos",
    "En tiempo",
    "Fuera de plazo",
    "Leídos",
    "Devueltos",
    "Retirados",
    "Pendientes",
    "Promedio (días hábiles)",
    "Firmados",
    "Despachados",
    "Cancelados",
];

impl UnitLine {
    /// The line's figures, in the order of [`LINE_HEADINGS`].
    pub fn figures(&self) -> [String; 11] {
        let r = &self.report;
        [
            r.received.to_string(),
            r.answered_in_time.to_string(),
            r.answered_late.to_string(),
            r.read.to_string(),
            r.returned.to_string(),
            r.withdrawn.to_string(),
            r.pending.to_string(),
            r.average_label(),
            r.signed.to_string(),
            r.dispatched.to_string(),
            r.cancelled.to_string(),
        ]
    }
}

impl CorrespondenceReport {
    /// The report of `turns` and `outgoing`, already those of the units and the period.
    pub fn build(
        from: Date,
        to: Date,
        today: Date,
        turns: &[TurnFacts],
        outgoing: &[OutgoingFact],
        calendar: &Calendar,
        thresholds: Thresholds,
    ) -> CorrespondenceReport {
        let mut report = CorrespondenceReport {
            from,
            to,
            today,
            received: 0,
            answered_in_time: 0,
            answered_late: 0,
            read: 0,
            returned: 0,
            withdrawn: 0,
            pending: 0,
            pending_by_age: [0; 4],
            pending_by_semaphore: BySemaphore::default(),
            average_tenths: None,
            signed: 0,
            dispatched: 0,
            cancelled: 0,
        };
        let mut answer_days: u64 = 0;
        let mut answered: u64 = 0;
        for turn in turns {
            report.received += 1;
            match turn.status {
                TurnStatus::Answered => {
                    let closed = turn.closed_on.unwrap_or(turn.turned_on);
                    if turn.due.is_none_or(|due| closed <= due) {
                        report.answered_in_time += 1;
                    } else {
                        report.answered_late += 1;
                    }
                    answered += 1;
                    answer_days +=
                        u64::try_from(calendar.count_business_days(turn.turned_on, closed).max(0))
                            .unwrap_or(0);
                }
                TurnStatus::Read => report.read += 1,
                TurnStatus::Returned => report.returned += 1,
                TurnStatus::Withdrawn => report.withdrawn += 1,
                TurnStatus::Open => {
                    report.pending += 1;
                    let age =
                        u32::try_from(calendar.count_business_days(turn.turned_on, today).max(0))
                            .unwrap_or(u32::MAX);
                    if let Some(slot) = AGE_BUCKETS
                        .iter()
                        .position(|(low, high)| age >= *low && high.is_none_or(|h| age <= h))
                    {
                        report.pending_by_age[slot] += 1;
                    }
                    let semaphore = &mut report.pending_by_semaphore;
                    match turn.due {
                        Some(due) if turn.instruction.needs_answer() => {
                            match thresholds.status(turn.turned_on, due, today) {
                                DueStatus::OnTime => semaphore.on_time += 1,
                                DueStatus::DueSoon => semaphore.due_soon += 1,
                                DueStatus::Overdue => semaphore.overdue += 1,
                            }
                        }
                        _ => semaphore.no_term += 1,
                    }
                }
            }
        }
        if answered > 0 {
            // Tenths, rounded half up, in integers: no float in what tests compare.
            let tenths = (answer_days * 20 + answered) / (answered * 2);
            report.average_tenths = Some(u32::try_from(tenths).unwrap_or(u32::MAX));
        }
        for fact in outgoing {
            match fact {
                OutgoingFact::Signed => report.signed += 1,
                OutgoingFact::Dispatched => report.dispatched += 1,
                OutgoingFact::Cancelled => report.cancelled += 1,
            }
        }
        report
    }

    /// The breakdown of this report per unit: for each of `units` (code and name, in their
    /// order), the report of the turns and outgoing documents that are its own (the unit each
    /// turn was given to, the unit that issued each document), over the same period and
    /// cut-off. `turns` and `outgoing` are the ones this report was built from, each with its
    /// unit, so that the lines add up to it.
    pub fn by_unit(
        &self,
        units: &[(String, String)],
        turns: &[(String, TurnFacts)],
        outgoing: &[(String, OutgoingFact)],
        calendar: &Calendar,
        thresholds: Thresholds,
    ) -> Vec<UnitLine> {
        units
            .iter()
            .map(|(code, name)| {
                let own_turns: Vec<TurnFacts> = turns
                    .iter()
                    .filter(|(unit, _)| unit == code)
                    .map(|(_, turn)| *turn)
                    .collect();
                let own_outgoing: Vec<OutgoingFact> = outgoing
                    .iter()
                    .filter(|(unit, _)| unit == code)
                    .map(|(_, fact)| *fact)
                    .collect();
                UnitLine {
                    code: code.clone(),
                    name: name.clone(),
                    report: CorrespondenceReport::build(
                        self.from,
                        self.to,
                        self.today,
                        &own_turns,
                        &own_outgoing,
                        calendar,
                        thresholds,
                    ),
                }
            })
            .collect()
    }

    /// The average días hábiles to answer as it reads: «3.5»; empty when none was answered.
    pub fn average_label(&self) -> String {
        self.average_tenths
            .map(|t| format!("{}.{}", t / 10, t % 10))
            .unwrap_or_default()
    }

    /// The report as titled tables (a heading row and its lines each), for the page's files:
    /// first what it is about (the unit's code and name, whether the units below it count, the
    /// period and the cut-off), then its figures, and last the breakdown per unit, when given
    /// (`by_unit`): a line of every figure per unit.
    pub fn tables(
        &self,
        code: &str,
        name: &str,
        below: bool,
        lines: &[UnitLine],
    ) -> Vec<(String, Vec<Vec<String>>)> {
        let line = |label: &str, value: String| vec![label.to_owned(), value];
        let s = self.pending_by_semaphore;
        let mut age = vec![line("Antigüedad (días hábiles)", "Pendientes".into())];
        for (bucket, count) in AGE_BUCKETS.iter().zip(self.pending_by_age) {
            age.push(line(&bucket_label(*bucket), count.to_string()));
        }
        let mut tables = vec![
            (
                "Reporte de correspondencia".to_owned(),
                vec![
                    line("Reporte de correspondencia", String::new()),
                    line("Unidad", code.to_owned()),
                    line("Nombre de la unidad", name.to_owned()),
                    line(
                        "Incluye las unidades subordinadas",
                        if below { "Sí" } else { "No" }.to_owned(),
                    ),
                    line("Desde", self.from.to_string()),
                    line("Hasta", self.to.to_string()),
                    line("Fecha de corte", self.today.to_string()),
                ],
            ),
            (
                "Resumen".to_owned(),
                vec![
                    line("Turnos", "Cantidad".into()),
                    line("Turnos recibidos", self.received.to_string()),
                    line("Atendidos en tiempo", self.answered_in_time.to_string()),
                    line("Atendidos fuera de plazo", self.answered_late.to_string()),
                    line("Leídos (para conocimiento)", self.read.to_string()),
                    line("Devueltos", self.returned.to_string()),
                    line("Retirados", self.withdrawn.to_string()),
                    line("Pendientes", self.pending.to_string()),
                    line(
                        "Promedio de días hábiles para atender",
                        self.average_label(),
                    ),
                ],
            ),
            ("Pendientes por antigüedad".to_owned(), age),
            (
                "Pendientes por semáforo".to_owned(),
                vec![
                    line("Semáforo", "Pendientes".into()),
                    line(DueStatus::OnTime.label(), s.on_time.to_string()),
                    line(DueStatus::DueSoon.label(), s.due_soon.to_string()),
                    line(DueStatus::Overdue.label(), s.overdue.to_string()),
                    line("Sin plazo", s.no_term.to_string()),
                ],
            ),
            (
                "Documentos de salida".to_owned(),
                vec![
                    line("Documentos de salida", "En el periodo".into()),
                    line("Firmados", self.signed.to_string()),
                    line("Despachados", self.dispatched.to_string()),
                    line("Cancelados", self.cancelled.to_string()),
                ],
            ),
        ];
        if !lines.is_empty() {
            let heading: Vec<String> = ["Unidad", "Nombre de la unidad"]
                .into_iter()
                .chain(LINE_HEADINGS)
                .map(str::to_owned)
                .collect();
            let rows = lines.iter().map(|l| {
                [l.code.clone(), l.name.clone()]
                    .into_iter()
                    .chain(l.figures())
                    .collect::<Vec<String>>()
            });
            tables.push((
                "Por unidad".to_owned(),
                std::iter::once(heading).chain(rows).collect(),
            ));
        }
        tables
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::Regime;
    use jiff::civil::date;

    fn turn(
        turned_on: Date,
        due: Option<Date>,
        status: TurnStatus,
        closed_on: Option<Date>,
    ) -> TurnFacts {
        TurnFacts {
            turned_on,
            due,
            instruction: Instruction::Attention,
            status,
            closed_on,
        }
    }

    #[test]
    fn correspondence_report_counts_each_turn_once_in_its_place() {
        // The statutory LFPA calendar: weekends off. 2026-03-02 is a Monday.
        let calendar = Calendar::new(Regime::Lfpa);
        let today = date(2026, 4, 6);
        let turns = [
            // Answered in 3 días hábiles, on its due date: in time.
            turn(
                date(2026, 3, 2),
                Some(date(2026, 3, 5)),
                TurnStatus::Answered,
                Some(date(2026, 3, 5)),
            ),
            // Answered in 6, a day late.
            turn(
                date(2026, 3, 2),
                Some(date(2026, 3, 6)),
                TurnStatus::Answered,
                Some(date(2026, 3, 10)),
            ),
            // Answered without a term: in time, in 2.
            turn(
                date(2026, 3, 2),
                None,
                TurnStatus::Answered,
                Some(date(2026, 3, 4)),
            ),
            // Pending 25 días hábiles, overdue.
            turn(
                date(2026, 3, 2),
                Some(date(2026, 3, 9)),
                TurnStatus::Open,
                None,
            ),
            // Pending 0 días hábiles, on time.
            turn(today, Some(date(2026, 4, 20)), TurnStatus::Open, None),
            TurnFacts {
                instruction: Instruction::Knowledge,
                ..turn(date(2026, 3, 27), None, TurnStatus::Open, None)
            },
            turn(
                date(2026, 3, 2),
                None,
                TurnStatus::Returned,
                Some(date(2026, 3, 3)),
            ),
        ];
        let outgoing = [
            OutgoingFact::Signed,
            OutgoingFact::Signed,
            OutgoingFact::Dispatched,
        ];
        let report = CorrespondenceReport::build(
            date(2026, 3, 1),
            date(2026, 4, 6),
            today,
            &turns,
            &outgoing,
            &calendar,
            Thresholds::default(),
        );
        assert_eq!(report.received, 7);
        assert_eq!((report.answered_in_time, report.answered_late), (2, 1));
        assert_eq!((report.returned, report.read, report.withdrawn), (1, 0, 0));
        assert_eq!(report.pending, 3);
        // Ages 25, 0 and 6 (from Friday 27 March to Monday 6 April).
        assert_eq!(report.pending_by_age, [1, 1, 0, 1]);
        assert_eq!(
            report.pending_by_semaphore,
            BySemaphore {
                on_time: 1,
                due_soon: 0,
                overdue: 1,
                no_term: 1
            }
        );
        // (3 + 6 + 2) / 3 = 3.67 → 3.7.
        assert_eq!(report.average_tenths, Some(37));
        assert_eq!(report.average_label(), "3.7");
        assert_eq!(
            (report.signed, report.dispatched, report.cancelled),
            (2, 1, 0)
        );
        let tables = report.tables("SIDSS-ST", "Secretario Técnico", false, &[]);
        assert_eq!(tables.len(), 5);
        assert_eq!(tables[2].1[4], vec!["más de 20".to_owned(), "1".to_owned()]);
    }

    #[test]
    fn correspondence_report_by_unit_gives_each_unit_its_own_figures() {
        let calendar = Calendar::new(Regime::Lfpa);
        let today = date(2026, 4, 6);
        let units = [
            ("A".to_owned(), "Dirección".to_owned()),
            ("B".to_owned(), "Subdirección".to_owned()),
            ("C".to_owned(), "Departamento".to_owned()),
        ];
        let turns = [
            (
                "A".to_owned(),
                turn(
                    date(2026, 3, 2),
                    Some(date(2026, 3, 5)),
                    TurnStatus::Answered,
                    Some(date(2026, 3, 4)),
                ),
            ),
            (
                "B".to_owned(),
                turn(
                    date(2026, 3, 2),
                    Some(date(2026, 3, 5)),
                    TurnStatus::Answered,
                    Some(date(2026, 3, 9)),
                ),
            ),
            (
                "B".to_owned(),
                turn(date(2026, 4, 6), None, TurnStatus::Open, None),
            ),
        ];
        let outgoing = [("B".to_owned(), OutgoingFact::Signed)];
        let facts: Vec<TurnFacts> = turns.iter().map(|(_, t)| *t).collect();
        let whole = CorrespondenceReport::build(
            date(2026, 3, 1),
            today,
            today,
            &facts,
            &[OutgoingFact::Signed],
            &calendar,
            Thresholds::default(),
        );
        let lines = whole.by_unit(&units, &turns, &outgoing, &calendar, Thresholds::default());
        let figures: Vec<(&str, u32, u32, u32, u32, u32)> = lines
            .iter()
            .map(|l| {
                let r = &l.report;
                (
                    l.code.as_str(),
                    r.received,
                    r.answered_in_time,
                    r.answered_late,
                    r.pending,
                    r.signed,
                )
            })
            .collect();
        assert_eq!(
            figures,
            [
                ("A", 1, 1, 0, 0, 0),
                ("B", 2, 0, 1, 1, 1),
                ("C", 0, 0, 0, 0, 0)
            ]
        );
        assert_eq!(lines[0].report.average_label(), "2.0");
        assert_eq!(lines[1].report.average_label(), "5.0");
        let received: u32 = lines.iter().map(|l| l.report.received).sum();
        assert_eq!(received, whole.received);
        let tables = whole.tables("A", "Dirección", true, &lines);
        let breakdown = &tables[5];
        assert_eq!(breakdown.0, "Por unidad");
        assert_eq!(breakdown.1.len(), 4);
        assert_eq!(
            breakdown.1[2],
            [
                "B",
                "Subdirección",
                "2",
                "0",
                "1",
                "0",
                "0",
                "0",
                "1",
                "5.0",
                "1",
                "0",
                "0"
            ]
        );
    }

    #[test]
    fn correspondence_report_of_nothing_has_no_average() {
        let calendar = Calendar::new(Regime::Lfpa);
        let day = date(2026, 3, 2);
        let report =
            CorrespondenceReport::build(day, day, day, &[], &[], &calendar, Thresholds::default());
        assert_eq!(report.received, 0);
        assert_eq!(report.average_tenths, None);
        assert_eq!(report.average_label(), "");
    }
}
