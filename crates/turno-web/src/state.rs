//! What every request handler can reach: the store, the procedure library and the calendars.

use std::sync::{Arc, Mutex};
use turno_domain::engine::{Calendars, Context, Thresholds};
use turno_domain::library::Library;
use turno_store::AnyStore;
use turno_store::blobs::LocalBlobs;

#[derive(Clone)]
pub struct AppState {
    pub store: AnyStore,
    pub library: Arc<Library>,
    pub calendars: Arc<Calendars>,
    pub blobs: Arc<LocalBlobs>,
    /// The agency's time zone: dates (due dates, "today") are counted in it.
    pub time_zone: jiff::tz::TimeZone,
    /// Cookies marked Secure: on unless serving plain HTTP on localhost (the demo).
    pub secure_cookies: bool,
    /// Where "now" comes from; tests move it to let terms pass.
    pub clock: Clock,
    /// When the semáforo turns amber.
    pub thresholds: Thresholds,
    /// Tells people what happened (the scheduler calls it), in the application and by e-mail.
    pub notifier: turno_notify::Notifier,
}

/// The system's clock, or one set by hand (tests, and replaying what a date would have done).
#[derive(Clone, Default)]
pub enum Clock {
    #[default]
    System,
    Manual(Arc<Mutex<jiff::Timestamp>>),
}

impl Clock {
    pub fn manual(at: jiff::Timestamp) -> Clock {
        Clock::Manual(Arc::new(Mutex::new(at)))
    }

    pub fn now(&self) -> jiff::Timestamp {
        match self {
            Clock::System => jiff::Timestamp::now(),
            // A poisoned lock still holds the last time set.
            Clock::Manual(at) => *at.lock().unwrap_or_else(|e| e.into_inner()),
        }
    }

    /// Moves a manual clock; the system clock cannot be moved.
    pub fn set(&self, to: jiff::Timestamp) {
        if let Clock::Manual(at) = self {
            *at.lock().unwrap_or_else(|e| e.into_inner()) = to;
        }
    }
}

impl AppState {
    /// The engine's view of "now": the instant and the agency's local date.
    pub fn context(&self) -> Context<'_> {
        let now = self.clock.now();
        Context {
            now,
            today: now.to_zoned(self.time_zone.clone()).date(),
            calendars: &self.calendars,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_manual_clock_moves_only_when_set() {
        let start: jiff::Timestamp = "2026-03-02T16:00:00Z".parse().unwrap();
        let clock = Clock::manual(start);
        assert_eq!(clock.now(), start);
        let later: jiff::Timestamp = "2026-05-07T16:00:00Z".parse().unwrap();
        clock.clone().set(later);
        assert_eq!(clock.now(), later, "clones share the time");
        let system = Clock::System;
        system.set(start);
        assert!(system.now() > start, "the system clock is not moved");
    }
}
