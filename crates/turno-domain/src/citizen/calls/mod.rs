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
pub use encoding::{NotUtf8, Utf8Scanner, check_utf8, utf8_text};
pub use mapping::{BadMapping, ColumnMapping, Layout};
pub use reader::{Call, CallReader, ContentKey};
pub use xlsx::xlsx_rows;

use crate::citizen::Field;
use jiff::civil::Date;
use std::fmt;

/// The most calls one file may hold. Every call is kept until the whole file is checked
/// (nothing is written before), so this bounds what an import holds: 400,000 calls of the
/// provider's layout peak at 347 MB in a debug `turno import calls` (BENCHMARKS.md), under the
/// 512 MB any command may take. A day of the call center is far fewer.
pub const MAX_CALLS: usize = 400_000;

/// The largest file read, in bytes: its bytes are held while it is read, and its text becomes
/// the calls' (BENCHMARKS.md).
pub const MAX_FILE_BYTES: u64 = 96 * 1024 * 1024;

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

/// The formats the provider sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileFormat {
    Csv,
    Xlsx,
}

impl FileFormat {
    /// By the file name's extension, in any case.
    pub fn of_name(name: &str) -> Option<FileFormat> {
        let (_, extension) = name.rsplit_once('.')?;
        match extension.to_ascii_lowercase().as_str() {
            "csv" => Some(FileFormat::Csv),
            "xlsx" => Some(FileFormat::Xlsx),
            _ => None,
        }
    }
}

/// Why a file yields no calls.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refused {
    /// A CSV that is not UTF-8: nothing of it is read.
    NotUtf8(NotUtf8),
    /// Every problem of its rows (at least one).
    Problems(Vec<RowProblem>),
}

/// Every call of a whole file as uploaded or read from disk, or why it yields none: a CSV is
/// checked for UTF-8 first, then read with its separator; an XLSX's first sheet is read.
/// `seen` is told the index of each row read, for a progress counter. `turno import calls`
/// and the upload page both read through here.
pub fn read_file(
    format: FileFormat,
    bytes: &[u8],
    mapping: &ColumnMapping,
    today: Date,
    mut seen: impl FnMut(usize),
) -> Result<Vec<Call>, Refused> {
    // Rows stay streamed: only the calls are kept, never a copy of the file's rows.
    let read = match format {
        FileFormat::Csv => {
            check_utf8(bytes).map_err(Refused::NotUtf8)?;
            csv_rows(bytes, separator(bytes)).map(|(row, header, rows)| {
                let rows = rows.enumerate().inspect(|(i, _)| seen(*i)).map(|(_, r)| r);
                read_calls(mapping, today, row, &header, rows)
            })
        }
        FileFormat::Xlsx => xlsx_rows(bytes).map(|(row, header, rows)| {
            let rows = rows.enumerate().inspect(|(i, _)| seen(*i)).map(|(_, r)| r);
            read_calls(mapping, today, row, &header, rows)
        }),
    };
    match read {
        Ok(Ok(calls)) => Ok(calls),
        Ok(Err(problems)) => Err(Refused::Problems(problems)),
        Err(problem) => Err(Refused::Problems(vec![problem])),
    }
}

/// Spreadsheets in Spanish write CSV with semicolons (the comma is their decimal sign): the
/// header line says which.
fn separator(bytes: &[u8]) -> u8 {
    let header = bytes.split(|&b| b == b'\n').next().unwrap_or_default();
    let count = |c: u8| header.iter().filter(|&&b| b == c).count();
    if count(b';') > count(b',') {
        b';'
    } else {
        b','
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
    read_at_most(MAX_CALLS, mapping, today, header_row, header, rows)
}

/// [`read_calls`] with the most calls a file may hold as an argument (the tests lower it).
fn read_at_most(
    max: usize,
    mapping: &ColumnMapping,
    today: Date,
    header_row: usize,
    header: &[String],
    rows: impl IntoIterator<Item = Row>,
) -> Result<Vec<Call>, Vec<RowProblem>> {
    let mut reader = CallReader::new(mapping, header_row, header, today)?;
    let mut calls = Vec::new();
    let mut problems = Vec::new();
    for (index, row) in rows.into_iter().enumerate() {
        if index == max {
            let at = row.as_ref().map_or_else(|p| p.row, |(row, _)| *row);
            problems.push(RowProblem::new(
                at,
                None,
                format!(
                    "el archivo tiene más de {max} llamadas, el máximo de un archivo: divídalo \
                     en archivos más pequeños"
                ),
            ));
            return Err(problems);
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_of_more_calls_than_the_limit_is_refused() {
        let text = include_bytes!("../../../tests/fixtures/citizen/llamadas.csv");
        let today = jiff::civil::date(2026, 3, 10);
        let read = |max| {
            let (row, header, rows) = csv_rows(&text[..], b',').unwrap();
            read_at_most(max, &ColumnMapping::default(), today, row, &header, rows)
        };
        let all = read(usize::MAX).unwrap().len();
        assert_eq!(read(all).unwrap().len(), all);
        let problems = read(all - 1).unwrap_err();
        assert_eq!(problems.len(), 1);
        assert!(
            problems[0].to_string().ends_with(&format!(
                "el archivo tiene más de {} llamadas, el máximo de un archivo: divídalo en \
                 archivos más pequeños",
                all - 1
            )),
            "{problems:?}"
        );
    }
}
