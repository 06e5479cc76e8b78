//! The semáforo of an open activity: how much of its term is left.

use jiff::civil::Date;
use serde::Serialize;

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

    /// The status of work opened on `opened`, due on `due`, seen on `today`. Counted in
    /// natural days: the colour is a reading aid, the due date itself is in business days.
    pub fn status(self, opened: Date, due: Date, today: Date) -> DueStatus {
        if today > due {
            return DueStatus::Overdue;
        }
        let days = |a: Date, b: Date| a.until(b).map_or(0, |span| span.get_days()) as f64;
        let term = days(opened, due).max(1.0);
        let left = days(today, due);
        if left <= term * self.amber_share {
            DueStatus::DueSoon
        } else {
            DueStatus::OnTime
        }
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
}
