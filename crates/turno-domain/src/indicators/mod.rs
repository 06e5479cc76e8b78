//! The indicator tables of an informe oficial (seed 000, activity 2.1: «se verifica que los
//! datos e indicadores sean congruentes con los anteriormente reportados»; issue 20, item 2):
//! a period's table of indicators (`IndicatorTable`), read from a CSV or a workbook with every
//! problem by row and column (`read`), and the consistency check against earlier periods of
//! the same report (`check`): cumulative values that fall, totals that do not add up to their
//! components, changes beyond a threshold, units that changed, indicators missing or new. It
//! is an aid to the review: it finds, it never refuses.

mod check;
mod read;
mod value;

pub use check::{Earlier, Inconsistency, Threshold, check};
pub use read::{COLUMNS, MAX_INDICATORS, Problem, read, read_table, to_rows};
pub use value::Value;

use crate::text::fold;

/// The longest key, name and unit of measure an indicator may have (characters).
pub const MAX_KEY: usize = 40;
pub const MAX_NAME: usize = 300;
pub const MAX_UNIT: usize = 60;

/// One indicator of a period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Indicator {
    /// «Clave»: what names it from one period to the next (compared without case or accents).
    pub key: String,
    /// «Indicador».
    pub name: String,
    /// «Unidad de medida» (personas, %, pesos…).
    pub unit: String,
    /// «Valor».
    pub value: Value,
    /// «Acumulado»: the value counts from the start of the year (or of the program) and so
    /// never falls from one period to the next.
    pub cumulative: bool,
    /// «Componente de»: the key of the total this indicator adds to.
    pub total_of: Option<String>,
}

impl Indicator {
    /// The key as indicators are matched: folded, trimmed.
    pub fn matching_key(&self) -> String {
        key_of(&self.key)
    }
}

/// A key as indicators are matched across periods and within a table.
pub fn key_of(key: &str) -> String {
    fold(key.trim())
}

/// The period a table reports: its label as the report names it («Primer trimestre 2026») and
/// its cut-off date, which orders periods.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Period {
    pub label: String,
    pub end: jiff::civil::Date,
}

/// The indicators of one report for one period, as recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndicatorTable {
    pub period: Period,
    /// Where the table was recorded (the folio of its case), told with what comes from it.
    pub source: String,
    pub indicators: Vec<Indicator>,
}
