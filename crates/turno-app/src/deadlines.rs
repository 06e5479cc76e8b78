//! How much time open work has left, read once for the inbox, the case and the API: its due
//! date, its semáforo and the días hábiles left until it (or since it passed), counted on the
//! calendar its term runs on — never in calendar days.

use crate::app::App;
use crate::error::Error;
use crate::principal::Principal;
use jiff::civil::Date;
use std::collections::HashMap;
use turno_domain::calendar::{Calendar, Regime};
use turno_domain::definition::Procedure;
use turno_domain::engine::{Calendars, DueStatus, term_start};
use turno_store::{InboxQuery, InboxRow, Store};

/// The due date of open work and the días hábiles from today to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DaysLeft {
    pub due: Date,
    /// Días hábiles left: 0 on the due date, negative once it has passed (−1 the first
    /// working day after it). A due date on a día inhábil may be 0 days away and still ahead
    /// or already passed: `today` says which.
    pub business_days: i32,
    /// Today's date, the day it was counted on.
    pub today: Date,
}

impl DaysLeft {
    /// Counted on `calendar`, seen on `today`: the working days in `(today, due]` when the due
    /// date is ahead, minus those in `[due, today)` when it has passed.
    pub fn count(calendar: &Calendar, due: Date, today: Date) -> DaysLeft {
        DaysLeft {
            due,
            business_days: calendar.count_business_days(today, due),
            today,
        }
    }
}

/// Open work as read on a day: its due date and días hábiles left (if it has a due date) and
/// its semáforo.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reading {
    pub left: Option<DaysLeft>,
    pub status: DueStatus,
}

/// When open work's term runs: the day it opened, the day its term counts from when that is
/// another (its due basis's, see [`turno_domain::engine::term_start`]) and its due date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Term {
    pub opened: Date,
    pub counted_from: Option<Date>,
    pub due: Option<Date>,
}

impl Reading {
    /// Work whose term is `term`, counted on the calendar of `regime`; seen on `today`. The
    /// semáforo reads the share of the whole term left, from the day it started.
    pub fn of(
        app: &App,
        calendars: &Calendars,
        regime: Regime,
        term: Term,
        today: Date,
    ) -> Reading {
        let start = term_start(term.opened, term.counted_from);
        Reading {
            left: term
                .due
                .map(|due| DaysLeft::count(calendars.get(regime), due, today)),
            status: term.due.map_or(DueStatus::OnTime, |due| {
                app.thresholds.status(start, due, today)
            }),
        }
    }
}

/// The calendar the activity numbered `activity` of `procedure` counts its term on: its
/// deadline's, else the procedure's.
pub fn regime_of(procedure: &Procedure, activity: &str) -> Regime {
    procedure
        .activities
        .iter()
        .find(|a| a.number == activity)
        .and_then(|a| a.deadline.as_ref())
        .map_or(procedure.regime, |d| d.regime)
}

/// An inbox row as people read it: its procedure's title and how much time it has left.
pub struct InboxReading {
    pub procedure_title: String,
    pub reading: Reading,
}

/// Reads one row of an inbox on `today` (on the procedure's newest version: the row does not
/// say which one the case runs on).
pub fn read_inbox_row(
    app: &App,
    calendars: &Calendars,
    row: &InboxRow,
    today: Date,
) -> InboxReading {
    let procedure = app.library.current().latest(&row.procedure_key).cloned();
    let opened = row
        .opened_at
        .parse::<jiff::Timestamp>()
        .map(|t| t.to_zoned(app.time_zone.clone()).date())
        .unwrap_or(today);
    let date = |text: &Option<String>| text.as_deref().and_then(|d| d.parse::<Date>().ok());
    let term = Term {
        opened,
        counted_from: date(&row.term_from),
        due: date(&row.due),
    };
    let regime = procedure
        .as_ref()
        .map_or(Regime::Lfpa, |p| regime_of(p, &row.activity));
    InboxReading {
        procedure_title: procedure
            .as_ref()
            .map_or_else(|| row.procedure_key.clone(), |p| p.title.clone()),
        reading: Reading::of(app, calendars, regime, term, today),
    }
}

/// For each of `folios`, the open work of `person`'s units on that case that is due soonest,
/// read as the inbox reads it (its due date and días hábiles left); a case without such work
/// with a due date (answered, ended, not theirs, or without a term) is left out. For the
/// notifications, which name their case.
pub async fn of_cases(
    app: &App,
    person: &Principal,
    folios: &[String],
) -> Result<HashMap<String, DaysLeft>, Error> {
    let mut query = InboxQuery::of_units(&person.visible_units, i64::MAX, 0);
    query.folios = folios.to_vec();
    let mut left = HashMap::new();
    if folios.is_empty() || person.visible_units.is_empty() {
        return Ok(left);
    }
    let today = app.today();
    let calendars = app.calendars.current();
    // Soonest due first: the first row of a case is the one it shows.
    for row in app.store.inbox_query(&query).await? {
        if let Some(days) = read_inbox_row(app, &calendars, &row, today).reading.left {
            left.entry(row.folio).or_insert(days);
        }
    }
    Ok(left)
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;
    use proptest::prelude::*;

    /// The statutory calendars, built once (building one precomputes a century of days).
    fn statutory(regime: Regime) -> &'static Calendar {
        static CALENDARS: std::sync::OnceLock<Calendars> = std::sync::OnceLock::new();
        CALENDARS.get_or_init(Calendars::statutory).get(regime)
    }

    fn day(offset: i64) -> Date {
        date(2026, 1, 1)
            .checked_add(jiff::Span::new().days(offset))
            .unwrap_or(date(2026, 1, 1))
    }

    #[test]
    fn a_weekend_and_a_holiday_do_not_count() {
        let calendar = Calendar::new(Regime::Lfpa);
        // Friday 2026-12-04 → Wednesday 2026-12-09: Monday, Tuesday, Wednesday.
        let left = DaysLeft::count(&calendar, date(2026, 12, 9), date(2026, 12, 4));
        assert_eq!(left.business_days, 3);
        assert_eq!(
            (left.due, left.today),
            (date(2026, 12, 9), date(2026, 12, 4))
        );
        // Two working days after a Friday due date is the Tuesday.
        let late = DaysLeft::count(&calendar, date(2026, 12, 4), date(2026, 12, 8));
        assert_eq!(late.business_days, -2);
        // Christmas is no working day.
        let christmas = DaysLeft::count(&calendar, date(2026, 12, 28), date(2026, 12, 23));
        assert_eq!(christmas.business_days, 2);
    }

    proptest! {
        #[test]
        fn days_left_count_only_working_days(
            regime in prop_oneof![Just(Regime::Lfpa), Just(Regime::Lft)],
            due in 0i64..800,
            today in 0i64..800,
        ) {
            let calendar = statutory(regime);
            let (due, today) = (day(due), day(today));
            let left = DaysLeft::count(calendar, due, today).business_days;
            let working = |from: Date, to: Date| {
                from.series(jiff::Span::new().days(1))
                    .take_while(|d| *d <= to)
                    .filter(|d| calendar.is_business_day(*d))
                    .count() as i32
            };
            if due == today {
                prop_assert_eq!(left, 0);
            } else if due > today {
                // The working days after today, up to and including the due date.
                prop_assert_eq!(left, working(today.tomorrow().unwrap_or(today), due));
                prop_assert!(left >= 0);
            } else {
                // Overdue: minus the working days from the due date to yesterday.
                prop_assert_eq!(left, -working(due, today.yesterday().unwrap_or(today)));
                prop_assert!(left <= 0);
            }
            // Never more than the calendar days between them.
            prop_assert!(left.abs() <= (due - today).get_days().abs());
        }

        #[test]
        fn overdue_on_a_working_day_is_negative(due in 0i64..800, late in 1i64..60) {
            let calendar = statutory(Regime::Lfpa);
            let due = day(due);
            let today = day((due - date(2026, 1, 1)).get_days() as i64 + late);
            // A due date that was a working day counts once it has passed.
            if calendar.is_business_day(due) {
                prop_assert!(DaysLeft::count(calendar, due, today).business_days < 0);
            }
        }
    }
}
