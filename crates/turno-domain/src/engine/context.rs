//! What the engine needs from the outside world, passed in so that it stays pure: the time
//! and the calendars deadlines count on.

use crate::calendar::{Calendar, CalendarData, Regime, Scope};
use jiff::Timestamp;
use jiff::civil::Date;

/// One calendar per regime. Built once per calendar change (it precomputes its business days);
/// cloning shares the tables.
#[derive(Debug, Clone)]
pub struct Calendars {
    pub lft: Calendar,
    pub lfpa: Calendar,
}

impl Calendars {
    /// The statutory calendars, without yearly DOF agreements.
    pub fn statutory() -> Calendars {
        Calendars {
            lft: Calendar::new(Regime::Lft),
            lfpa: Calendar::new(Regime::Lfpa),
        }
    }

    /// The statutory calendars plus the entries of `data` that apply to `scope`.
    pub fn build(data: &CalendarData, scope: Scope<'_>) -> Calendars {
        Calendars {
            lft: Calendar::build(Regime::Lft, data, scope),
            lfpa: Calendar::build(Regime::Lfpa, data, scope),
        }
    }

    pub fn get(&self, regime: Regime) -> &Calendar {
        match regime {
            Regime::Lft => &self.lft,
            Regime::Lfpa => &self.lfpa,
        }
    }
}

/// The moment a command runs: the instant, and the agency's local date for counting days.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    pub now: Timestamp,
    pub today: Date,
    pub calendars: &'a Calendars,
}
