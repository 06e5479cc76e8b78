//! Fuzzes the calendar data-file parser `CalendarData::parse`: any text must yield data or an
//! error whose `Display` (file:line:column: field: message) does not panic. For accepted data,
//! the dates of every period are walked (bounded by `MAX_RANGE_DAYS`). Nothing may panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use turno_domain::calendar::CalendarData;

fn check(text: &str) {
    match CalendarData::parse("fuzz.toml", text) {
        Ok(data) => {
            for period in data.periods() {
                assert!(period.from <= period.to);
                std::hint::black_box(period.dates().count());
            }
        }
        Err(err) => {
            std::hint::black_box(err.to_string());
        }
    }
}

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        check(text);
    } else {
        check(&String::from_utf8_lossy(data));
    }
});
