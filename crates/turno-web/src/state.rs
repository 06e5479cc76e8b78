//! What every request handler can reach: the store, the procedure library and the calendars.

use std::sync::Arc;
use turno_domain::engine::{Calendars, Context};
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
}

impl AppState {
    /// The engine's view of "now": the instant and the agency's local date.
    pub fn context(&self) -> Context<'_> {
        let now = jiff::Timestamp::now();
        Context {
            now,
            today: now.to_zoned(self.time_zone.clone()).date(),
            calendars: &self.calendars,
        }
    }
}
