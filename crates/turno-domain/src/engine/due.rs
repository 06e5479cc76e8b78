//! The semáforo of an open activity: how much of its term is left, counted from the day the
//! term started (its due basis's date: the presentation, the meeting, the case's start…), not
//! from the day the activity opened, which may be much later.

use jiff::civil::Date;
use serde::Serialize;

use super::DueBasis;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum DueStatus {
    /// More than the warning share of the term is left.
    OnTime,
    /// The due date is near: at most the warning share of the term is left.
    DueSoon,
    /// The due date has passed.
    Overdue,
}

/// When the semáforo turns amber: with this share of the term left or less. Agencies set it
/// (`turno serve --semaforo-amarillo 20`); 20 % is their usual practice.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Thresholds {
    amber_share: f64,
}

impl Default for Thresholds {
    fn default() -> Thresholds {
        Thresholds { amber_share: 0.2 }
    }
}

impl Thresholds {
    /// Amber with `percent` of the term left (1 to 99); `None` outside that range.
    pub fn amber_at(percent: u8) -> Option<Thresholds> {
        (1..=99).contains(&percent).then(|| Thresholds {
            amber_share: f64::from(percent) / 100.0,
        })
    }

    /// The percentage of the term left at which it turns amber.
    pub fn amber_percent(self) -> u8 {
        (self.amber_share * 100.0).round() as u8
    }

    /// The status of work whose term started on `start` (see [`term_start`]), due on `due`,
    /// seen on `today`. Counted in natural days: the colour is a reading aid, the due date
    /// itself is in business days.
    pub fn status(self, start: Date, due: Date, today: Date) -> DueStatus {
        if today > due {
            return DueStatus::Overdue;
        }
        let days = |a: Date, b: Date| a.until(b).map_or(0, |span| span.get_days()) as f64;
        let term = days(start, due).max(1.0);
        let left = days(today, due);
        if left <= term * self.amber_share {
            DueStatus::DueSoon
        } else {
            DueStatus::OnTime
        }
    }
}

/// The day the term of work opened on `opened` started: the date its due basis counts from
/// (`counted_from`, see [`DueBasis::counted_from`]), else the opening — for a term counted back
/// from a later date, and for work recorded before its basis was.
pub fn term_start(opened: Date, counted_from: Option<Date>) -> Date {
    counted_from.unwrap_or(opened)
}

impl DueBasis {
    /// The day a term counted forward starts from; `None` for one counted back ("10 días
    /// hábiles antes" of a later date), whose semáforo runs from the opening.
    pub fn counted_from(&self) -> Option<Date> {
        (self.days >= 0).then_some(self.from)
    }
}

impl DueStatus {
    /// The semáforo's colour, in Spanish (used as a CSS class and read aloud).
    pub fn color(self) -> &'static str {
        match self {
            DueStatus::OnTime => "verde",
            DueStatus::DueSoon => "amarillo",
            DueStatus::Overdue => "rojo",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            DueStatus::OnTime => "En tiempo",
            DueStatus::DueSoon => "Por vencer",
            DueStatus::Overdue => "Vencido",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn the_light_turns_amber_in_the_last_fifth_and_red_after_the_due_date() {
        let t = Thresholds::default();
        let opened = date(2026, 3, 1);
        let due = date(2026, 3, 11);
        assert_eq!(t.status(opened, due, date(2026, 3, 5)), DueStatus::OnTime);
        assert_eq!(t.status(opened, due, date(2026, 3, 9)), DueStatus::DueSoon);
        assert_eq!(t.status(opened, due, due), DueStatus::DueSoon);
        assert_eq!(t.status(opened, due, date(2026, 3, 12)), DueStatus::Overdue);
        // A due date before the opening (counted back from a visit date) still reads sensibly.
        assert_eq!(t.status(due, opened, date(2026, 2, 1)), DueStatus::OnTime);
        assert_eq!(t.status(due, opened, date(2026, 3, 1)), DueStatus::DueSoon);
    }

    #[test]
    fn agencies_choose_when_it_turns_amber() {
        let (opened, due) = (date(2026, 3, 1), date(2026, 3, 11));
        let half = Thresholds::amber_at(50).unwrap();
        assert_eq!(
            half.status(opened, due, date(2026, 3, 6)),
            DueStatus::DueSoon
        );
        assert_eq!(
            Thresholds::default().status(opened, due, date(2026, 3, 6)),
            DueStatus::OnTime
        );
        assert!(Thresholds::amber_at(0).is_none() && Thresholds::amber_at(100).is_none());
    }

    /// A 30-día term counted from the presentation, opened late: the colour is that of the
    /// share of the whole term used, not of the days since the opening.
    #[test]
    fn a_term_counted_from_an_earlier_date_reads_its_whole_length() {
        let t = Thresholds::default();
        let presented = date(2026, 3, 1);
        let opened = date(2026, 3, 25);
        let due = date(2026, 3, 31);
        let basis = |days| DueBasis {
            from: presented,
            days,
            kind: crate::definition::DayKind::Natural,
            regime: crate::calendar::Regime::Lfpa,
        };
        let start = term_start(opened, basis(30).counted_from());
        assert_eq!(start, presented);
        // (today, from the opening, from the term's start): 5 of 30 days left is amber even
        // though the work opened only yesterday.
        for (today, from_opening, from_start) in [
            (date(2026, 3, 26), DueStatus::OnTime, DueStatus::DueSoon),
            (date(2026, 3, 31), DueStatus::DueSoon, DueStatus::DueSoon),
            (date(2026, 4, 1), DueStatus::Overdue, DueStatus::Overdue),
        ] {
            assert_eq!(t.status(opened, due, today), from_opening, "{today}");
            assert_eq!(t.status(start, due, today), from_start, "{today}");
        }
        // Early in the term it is still green.
        assert_eq!(t.status(start, due, date(2026, 3, 10)), DueStatus::OnTime);
        // A term counted back from a later date runs from the opening.
        assert_eq!(term_start(opened, basis(-10).counted_from()), opened);
        // Work recorded before its basis was: from the opening.
        assert_eq!(term_start(opened, None), opened);
    }

    proptest::proptest! {
        /// Whenever the opening, the colour is green exactly while more than the amber share
        /// of the whole term (from its start to the due date) is left.
        #[test]
        fn the_colour_is_the_share_of_the_whole_term_left(
            term in 1i64..400,
            opened_after in 0i64..400,
            elapsed in 0i64..450,
            percent in 1u8..=99,
        ) {
            let t = Thresholds::amber_at(percent).unwrap_or_default();
            let start = date(2026, 1, 1);
            let day = |n: i64| start.checked_add(jiff::Span::new().days(n)).unwrap_or(start);
            let (due, today) = (day(term), day(elapsed));
            let opened = day(opened_after.min(term));
            let status = t.status(term_start(opened, Some(start)), due, today);
            let left = (term - elapsed) as f64;
            let expected = if elapsed > term {
                DueStatus::Overdue
            } else if left <= term as f64 * f64::from(percent) / 100.0 {
                DueStatus::DueSoon
            } else {
                DueStatus::OnTime
            };
            proptest::prop_assert_eq!(status, expected);
        }
    }
}
