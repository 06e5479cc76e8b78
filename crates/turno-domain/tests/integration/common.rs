//! Shared by the integration tests: the seed library as it is in the repository.

use jiff::civil::Date;
use std::sync::OnceLock;
use turno_domain::engine::{Calendars, Context};
use turno_domain::library::{Library, Source};

/// The `procedures/` folder of the repository, loaded and validated once per test binary.
pub fn seed_library() -> &'static Library {
    static LIBRARY: OnceLock<Library> = OnceLock::new();
    LIBRARY.get_or_init(|| {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../procedures");
        let mut files: Vec<(String, String)> = std::fs::read_dir(dir)
            .expect("procedures folder")
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "toml"))
            .map(|p| {
                (
                    p.display().to_string(),
                    std::fs::read_to_string(&p).unwrap(),
                )
            })
            .collect();
        files.sort();
        let sources: Vec<Source> = files
            .iter()
            .map(|(name, text)| Source { name, text })
            .collect();
        Library::load(&sources).unwrap_or_else(|problems| {
            panic!(
                "the seed library has problems:\n{}",
                problems
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("\n")
            )
        })
    })
}

/// The engine's context on `today`, at its first instant (UTC), on `calendars`.
pub fn context(calendars: &Calendars, today: Date) -> Context<'_> {
    Context {
        now: today.to_zoned(jiff::tz::TimeZone::UTC).unwrap().timestamp(),
        today,
        calendars,
    }
}
