//! The organization: units with their level, parent, functions and history, as the manuals'
//! organigramas describe them, and the outside bodies the agencies deal with. Read from the
//! repository's organization files (TOML) or CSV (`docs/org-format.md`) and checked together:
//! a file with any problem is reported whole and imported by nobody.

mod check;
mod csv;
mod file;
mod institution;
mod level;
mod read;
mod unit;

pub use check::{Named, above_itself, check};
pub use csv::parse_csv;
pub use file::parse_toml;
pub use institution::institutions;
pub use level::Level;
pub use unit::{Form, UnitSpec, is_code};

use crate::diagnostic::Diagnostic;
use std::ops::Range;

/// One organization file, read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrgFile {
    pub title: Option<String>,
    pub source: Option<String>,
    pub units: Vec<Parsed>,
}

/// A unit with the places in its file that later checks point at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parsed {
    pub unit: UnitSpec,
    pub spans: Spans,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spans {
    pub unit: Range<usize>,
    pub code: Range<usize>,
    pub parent: Option<Range<usize>>,
    pub merged_into: Option<Range<usize>>,
    /// One per earlier form, in order.
    pub before_parents: Vec<Range<usize>>,
}

/// Reads a file by its name: `.csv` as CSV, anything else as the repository's TOML.
pub fn parse(name: &str, text: &str) -> Result<OrgFile, Vec<Diagnostic>> {
    if name.to_ascii_lowercase().ends_with(".csv") {
        parse_csv(text)
    } else {
        parse_toml(text)
    }
}
