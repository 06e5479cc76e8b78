//! What every use case works with: the store, the procedure library, the calendars, the blob
//! store and the agency's clock and time zone.

use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};
use turno_domain::engine::{Calendars, Context, Thresholds};
use turno_domain::library::Library;
use turno_domain::org::UnitSpec;
use turno_store::blobs::Blobs;
use turno_store::{AnyStore, Store, StoreError};

#[derive(Clone)]
pub struct App {
    pub store: AnyStore,
    /// The procedures new and running cases are on: [`LiveLibrary::current`] is the library
    /// in force, swapped when another process (or a draft published here) adds a version.
    pub library: LiveLibrary,
    pub calendars: LiveCalendars,
    pub blobs: Arc<Blobs>,
    /// The agency's time zone: dates (due dates, "today") are counted in it.
    pub time_zone: jiff::tz::TimeZone,
    /// Where "now" comes from; tests move it to let terms pass.
    pub clock: Clock,
    /// When the semáforo turns amber.
    pub thresholds: Thresholds,
    /// The motive suggestions' model this process learned, kept while the classified petitions
    /// it learned from stay the same.
    pub suggestions: crate::handling::Suggestions,
    /// The organization chart as read at the identity revision of the requests that asked
    /// for it last ([`App::chart_at`]).
    pub chart: LiveChart,
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

/// The calendars this process counts on and the stored revision they were built from. The
/// calendar lives in the database, shared by every process: each one swaps its calendars when
/// it sees another revision ([`App::reload_calendars`]).
#[derive(Clone)]
pub struct LiveCalendars(Arc<RwLock<(i64, Calendars)>>);

impl LiveCalendars {
    pub fn new(revision: i64, calendars: Calendars) -> LiveCalendars {
        LiveCalendars(Arc::new(RwLock::new((revision, calendars))))
    }

    /// The calendars as stored now.
    pub async fn load(store: &AnyStore) -> Result<LiveCalendars, StoreError> {
        let (revision, calendars) = stored(store).await?;
        Ok(LiveCalendars::new(revision, calendars))
    }

    /// The calendars in force: a clone shares their tables, so this is two reference counts.
    pub fn current(&self) -> Calendars {
        // A poisoned lock still holds whole calendars: they are replaced in one assignment.
        self.0.read().unwrap_or_else(|e| e.into_inner()).1.clone()
    }

    pub fn revision(&self) -> i64 {
        self.0.read().unwrap_or_else(|e| e.into_inner()).0
    }

    fn replace(&self, revision: i64, calendars: Calendars) {
        *self.0.write().unwrap_or_else(|e| e.into_inner()) = (revision, calendars);
    }
}

async fn stored(store: &AnyStore) -> Result<(i64, Calendars), StoreError> {
    let stored = store.calendar().await?;
    Ok((stored.revision, stored.calendars()))
}

/// The organization chart this process read last and the identity revision it was read at.
/// Every change to units (and to their earlier forms, written with them) moves the revision
/// ([`Store::identity_revision`]), so the chart kept at a revision is the chart as stored at it.
#[derive(Clone, Default)]
pub struct LiveChart(Arc<Mutex<Option<Chart>>>);

/// A chart and the identity revision it was read at.
type Chart = (i64, Arc<[UnitSpec]>);

impl LiveChart {
    fn kept(&self, revision: i64) -> Option<Arc<[UnitSpec]>> {
        let kept = self.0.lock().unwrap_or_else(|e| e.into_inner());
        kept.as_ref()
            .filter(|(at, _)| *at == revision)
            .map(|(_, chart)| chart.clone())
    }

    /// Keeps `chart`, read after revision `revision` was: not over one read at a later one.
    fn keep(&self, revision: i64, chart: &Arc<[UnitSpec]>) {
        let mut kept = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if kept.as_ref().is_none_or(|(at, _)| *at <= revision) {
            *kept = Some((revision, chart.clone()));
        }
    }
}

/// The procedure library this process runs on and how many published versions it was built
/// from. Versions are published into the database shared by every process and never change
/// nor go away: another count means versions this process does not know yet, which
/// [`App::reload_library`] adds. A clone shares the library.
#[derive(Clone)]
pub struct LiveLibrary(Arc<LiveInner>);

struct LiveInner {
    /// The published versions counted when the library was built (-1: not counted yet, so the
    /// first check reads the store) and the library.
    current: RwLock<(i64, Arc<Library>)>,
    /// When the store was last asked ([`App::refresh_library`]).
    checked: Mutex<Option<Instant>>,
    /// How long a check is good for.
    every: Duration,
}

impl From<Library> for LiveLibrary {
    fn from(library: Library) -> LiveLibrary {
        LiveLibrary::new(library, LiveLibrary::EVERY)
    }
}

impl LiveLibrary {
    /// How often requests ask the store whether versions were published elsewhere: at most
    /// one small count a second, whatever the traffic.
    pub const EVERY: Duration = Duration::from_secs(1);

    /// `library`, checked against the store at most once each `every`.
    pub fn new(library: Library, every: Duration) -> LiveLibrary {
        LiveLibrary(Arc::new(LiveInner {
            current: RwLock::new((-1, Arc::new(library))),
            checked: Mutex::new(None),
            every,
        }))
    }

    /// The library in force: a reference count. A request keeps the one it read to the end.
    pub fn current(&self) -> Arc<Library> {
        // A poisoned lock still holds a whole library: it is replaced in one assignment.
        self.0.read().1.clone()
    }

    fn count(&self) -> i64 {
        self.0.read().0
    }

    fn replace(&self, count: i64, library: Arc<Library>) {
        *self.0.current.write().unwrap_or_else(|e| e.into_inner()) = (count, library);
    }

    /// Whether the store is to be asked now: once `every` has passed since the last time.
    fn due(&self) -> bool {
        let mut checked = self.0.checked.lock().unwrap_or_else(|e| e.into_inner());
        let now = Instant::now();
        if checked.is_some_and(|at| now.duration_since(at) < self.0.every) {
            return false;
        }
        *checked = Some(now);
        true
    }
}

impl LiveInner {
    fn read(&self) -> std::sync::RwLockReadGuard<'_, (i64, Arc<Library>)> {
        self.current.read().unwrap_or_else(|e| e.into_inner())
    }
}

/// "Now" for the engine: the instant, the agency's local date and the calendars in force.
pub struct Moment {
    pub now: jiff::Timestamp,
    pub today: jiff::civil::Date,
    pub calendars: Calendars,
}

impl Moment {
    pub fn context(&self) -> Context<'_> {
        Context {
            now: self.now,
            today: self.today,
            calendars: &self.calendars,
        }
    }
}

impl App {
    /// The engine's view of "now": the instant, the agency's local date and the calendars.
    pub fn moment(&self) -> Moment {
        let now = self.clock.now();
        Moment {
            now,
            today: now.to_zoned(self.time_zone.clone()).date(),
            calendars: self.calendars.current(),
        }
    }

    /// The agency's local date and time, to the second (as petitions record it).
    pub fn local_now(&self) -> jiff::civil::DateTime {
        let now = self.clock.now().to_zoned(self.time_zone.clone()).datetime();
        now.round(jiff::Unit::Second).unwrap_or(now)
    }

    /// The agency's local date.
    pub fn today(&self) -> jiff::civil::Date {
        self.clock.now().to_zoned(self.time_zone.clone()).date()
    }

    /// Builds the calendars again when the stored revision is not the one they were built
    /// from (another process, or `turno calendar import`, changed them). True when it did.
    pub async fn reload_calendars(&self) -> Result<bool, StoreError> {
        if self.store.calendar_revision().await? == self.calendars.revision() {
            return Ok(false);
        }
        let (revision, calendars) = stored(&self.store).await?;
        self.calendars.replace(revision, calendars);
        Ok(true)
    }

    /// Every unit with its earlier forms, as stored at identity revision `revision` (read by
    /// the request before it asks, as the person acting was): read once per revision.
    pub async fn chart_at(&self, revision: i64) -> Result<Arc<[UnitSpec]>, StoreError> {
        if let Some(chart) = self.chart.kept(revision) {
            return Ok(chart);
        }
        let chart: Arc<[UnitSpec]> = self.store.organization().await?.into();
        self.chart.keep(revision, &chart);
        Ok(chart)
    }

    /// Adds to the library the versions published since it was built (by another process,
    /// `turno serve` on the same database, or a draft published here), when the store counts
    /// other versions than it was built from. Running cases keep their version; new cases
    /// start on the newest. True when it changed.
    pub async fn reload_library(&self) -> Result<bool, crate::library::LibraryError> {
        use turno_store::ProcedureDrafts as _;
        let count = self.store.published_procedure_count().await?;
        if count == self.library.count() {
            return Ok(false);
        }
        let mut library = Library::clone(&self.library.current());
        let before = library.len();
        crate::library::add_published(&mut library, self.store.published_procedures().await?)?;
        let changed = library.len() != before;
        self.library.replace(count, Arc::new(library));
        Ok(changed)
    }

    /// [`App::reload_library`] at most once each [`LiveLibrary::EVERY`]: what every request
    /// does first, so that a version published by any process is served within a second.
    pub async fn refresh_library(&self) -> Result<bool, crate::library::LibraryError> {
        if !self.library.due() {
            return Ok(false);
        }
        self.reload_library().await
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
