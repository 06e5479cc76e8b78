//! The call-center provider's daily file (procedure 96, activity 1.1): a header and rows of
//! cells, from CSV (`csv_rows`) or XLSX (`xlsx_rows`) alike. Every problem is named by row,
//! field and reason; a file with any problem imports nothing. Rows are read one at a time, so
//! a file of a million rows needs memory for its calls, not for copies of it.

mod csv;
mod encoding;
mod mapping;
mod reader;
mod xlsx;

pub use csv::{Row, csv_rows};
pub use encoding::{NotUtf8, Utf8Scanner, check_utf8};
pub use mapping::{ColumnMapping, Layout};
pub use reader::{Call, CallReader, ContentKey};
pub use xlsx::xlsx_rows;

use crate::citizen::Field;
use jiff::civil::Date;
use std::fmt;

/// One problem of one row (the header's problems name the header's row).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowProblem {
    pub row: usize,
    pub field: Option<Field>,
    pub reason: String,
}

impl RowProblem {
    pub fn new(row: usize, field: Option<Field>, reason: impl Into<String>) -> RowProblem {
        RowProblem {
            row,
            field,
            reason: reason.into(),
        }
    }
}

impl fmt::Display for RowProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.field {
            Some(field) => write!(f, "fila {}, {}: {}", self.row, field, self.reason),
            None => write!(f, "fila {}: {}", self.row, self.reason),
        }
    }
}

/// Every call of a file, or every problem of it. `rows` are numbered as the file numbers them
/// (the CSV line, the spreadsheet row).
pub fn read_calls(
    mapping: &ColumnMapping,
    today: Date,
    header_row: usize,
    header: &[String],
    rows: impl IntoIterator<Item = Row>,
) -> Result<Vec<Call>, Vec<RowProblem>> {
    let mut reader = CallReader::new(mapping, header_row, header, today)?;
    let mut calls = Vec::new();
    let mut problems = Vec::new();
    for row in rows {
        let read = row
            .map_err(|p| vec![p])
            .and_then(|(row, cells)| reader.read(row, &cells));
        match read {
            // Once the file is refused its calls are no longer kept.
            Ok(call) if problems.is_empty() => calls.push(call),
            Ok(_) => {}
            Err(found) => {
                calls = Vec::new();
                problems.extend(found);
            }
        }
    }
    if problems.is_empty() {
        Ok(calls)
    } else {
        Err(problems)
    }
}
