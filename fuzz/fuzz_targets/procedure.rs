//! Fuzzes the procedure-definition parser and validator through `Library::load`.
//!
//! Arbitrary bytes are fed as one source: as UTF-8 when they are valid, and always also through
//! `String::from_utf8_lossy` (which differs from the raw text only for invalid input). Every
//! diagnostic is formatted, since `Diagnostic::locate` turns byte spans into line:column and
//! must not panic on any span a parser reports. Nothing may panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use turno_domain::library::{Library, Source};

fn check(text: &str) {
    let source = Source {
        name: "fuzz.toml",
        text,
    };
    match Library::load(&[source]) {
        Ok(library) => {
            // One source, so at most one procedure.
            assert!(library.len() <= 1);
        }
        Err(problems) => {
            for problem in &problems {
                let line = problem.to_string();
                std::hint::black_box(line);
            }
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
