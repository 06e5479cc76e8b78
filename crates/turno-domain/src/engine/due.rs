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

/// Share of the term below which an activity turns amber (20 %, as the agencies' practice).
pub const WARNING_SHARE: f64 = 0.2;

impl DueStatus {
    /// The status of work opened on `opened`, due on `due`, seen on `today`. Counted in
    /// natural days: the colour is a reading aid, the due date itself is in business days.
    pub fn of(opened: Date, due: Date, today: Date) -> DueStatus {
        if today > due {
            return DueStatus::Overdue;
        }
        let days = |a: Date, b: Date| a.until(b).map_or(0, |span| span.get_days()) as f64;
        let term = days(opened, due).max(1.0);
        let left = days(today, due);
        if left <= term * WARNING_SHARE {
            DueStatus::DueSoon
        } else {
            DueStatus::OnTime
        }
    }

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
        let opened = date(2026, 3, 1);
        let due = date(2026, 3, 11);
        assert_eq!(
            DueStatus::of(opened, due, date(2026, 3, 5)),
            DueStatus::OnTime
        );
        assert_eq!(
            DueStatus::of(opened, due, date(2026, 3, 9)),
            DueStatus::DueSoon
        );
        assert_eq!(DueStatus::of(opened, due, due), DueStatus::DueSoon);
        assert_eq!(
            DueStatus::of(opened, due, date(2026, 3, 12)),
            DueStatus::Overdue
        );
        // A due date before the opening (counted back from a visit date) still reads sensibly.
        assert_eq!(
            DueStatus::of(due, opened, date(2026, 2, 1)),
            DueStatus::OnTime
        );
        assert_eq!(
            DueStatus::of(due, opened, date(2026, 3, 1)),
            DueStatus::DueSoon
        );
    }
}
