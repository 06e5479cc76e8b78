//! A spreadsheet cell as the text a person would type in it, so that files read from XLSX are
//! checked exactly like CSV: a date `aaaa-mm-dd`, a time `hh:mm:ss`, a whole number (a
//! telephone, an id) without the `.0` a float would print; and a workbook read within bounds
//! (`workbook`), whatever its zip claims. Pure: the caller passes the file's bytes.

use calamine::Data;
use jiff::civil::DateTime;

/// The most one part of a workbook (a sheet, its shared strings) may unpack to: a 1 MB file
/// of repeated text unpacks to gigabytes, which no import may hold.
pub const MAX_PART_BYTES: u64 = 64 * 1024 * 1024;
/// The most all the parts of a workbook may unpack to.
pub const MAX_UNPACKED_BYTES: u64 = 256 * 1024 * 1024;
/// The most text the cells of a workbook may hold, each shared string counted every time a
/// cell shows it: one long string shown by every cell is the other bomb.
pub const MAX_CELL_TEXT_BYTES: usize = 64 * 1024 * 1024;
/// The most cells a workbook may have.
pub const MAX_CELLS: usize = 2_000_000;

/// Why a workbook is not read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Unreadable {
    #[error("no es un libro XLSX legible: {0}")]
    NotXlsx(String),
    #[error(
        "la parte «{part}» del libro se descomprime en más de {} MiB: el libro es demasiado grande \
         o está hecho para agotar la memoria",
        MAX_PART_BYTES >> 20
    )]
    PartTooLarge { part: String },
    #[error(
        "el libro se descomprime en más de {} MiB: es demasiado grande",
        MAX_UNPACKED_BYTES >> 20
    )]
    TooLarge,
    #[error("el libro tiene más de {MAX_CELLS} celdas: divídalo")]
    TooManyCells,
    #[error(
        "el texto de las celdas del libro pasa de {} MiB: divídalo",
        MAX_CELL_TEXT_BYTES >> 20
    )]
    TooMuchText,
}

/// One sheet of a workbook: its name and its rows that have a cell, each with its number as
/// the spreadsheet shows it (from 1) and its cells from the first column any row uses.
pub struct Sheet {
    pub name: String,
    pub rows: Vec<(usize, Vec<Data>)>,
}

/// The sheets of an XLSX (`first_only`: the first alone), read cell by cell within the limits
/// above: every part's declared and actual unpacked size is checked before the workbook is
/// opened, and cells are counted as they are read, so that no file, however built, takes more
/// memory than they allow.
pub fn workbook(bytes: &[u8], first_only: bool) -> Result<Vec<Sheet>, Unreadable> {
    use calamine::{Reader, Xlsx};
    check_parts(bytes)?;
    let unreadable = |e: &dyn std::fmt::Display| Unreadable::NotXlsx(e.to_string());
    let mut workbook = Xlsx::new(std::io::Cursor::new(bytes)).map_err(|e| unreadable(&e))?;
    let names = workbook.sheet_names();
    let mut sheets = Vec::new();
    let (mut cells, mut text) = (0usize, 0usize);
    for name in names
        .into_iter()
        .take(if first_only { 1 } else { usize::MAX })
    {
        let mut reader = workbook
            .worksheet_cells_reader(&name)
            .map_err(|e| unreadable(&e))?;
        let mut rows: Vec<(usize, Vec<(usize, Data)>)> = Vec::new();
        while let Some(cell) = reader.next_cell().map_err(|e| unreadable(&e))? {
            let (row, column) = cell.get_position();
            let value = Data::from(cell.get_value().clone());
            if value == Data::Empty {
                continue;
            }
            cells += 1;
            text += match &value {
                Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.len(),
                _ => 8,
            };
            if cells > MAX_CELLS {
                return Err(Unreadable::TooManyCells);
            }
            if text > MAX_CELL_TEXT_BYTES {
                return Err(Unreadable::TooMuchText);
            }
            let row = row as usize + 1;
            match rows.last_mut() {
                Some((last, cells)) if *last == row => cells.push((column as usize, value)),
                _ => rows.push((row, vec![(column as usize, value)])),
            }
        }
        let first = rows
            .iter()
            .flat_map(|(_, cells)| cells.iter().map(|(c, _)| *c))
            .min()
            .unwrap_or_default();
        let width = rows
            .iter()
            .flat_map(|(_, cells)| cells.iter().map(|(c, _)| *c + 1))
            .max()
            .unwrap_or_default()
            - first;
        let rows = rows
            .into_iter()
            .map(|(number, given)| {
                let mut row = vec![Data::Empty; width];
                for (column, value) in given {
                    row[column - first] = value;
                }
                (number, row)
            })
            .collect();
        sheets.push(Sheet { name, rows });
    }
    Ok(sheets)
}

/// Every part of the zip, by what it declares and then by unpacking it into nothing: no part
/// over [`MAX_PART_BYTES`], all together not over [`MAX_UNPACKED_BYTES`].
fn check_parts(bytes: &[u8]) -> Result<(), Unreadable> {
    let unreadable = |e: &dyn std::fmt::Display| Unreadable::NotXlsx(e.to_string());
    let mut archive =
        zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|e| unreadable(&e))?;
    let mut total = 0u64;
    for i in 0..archive.len() {
        let part = archive.by_index(i).map_err(|e| unreadable(&e))?;
        let name = part
            .name()
            .map_or_else(|_| format!("#{i}"), std::borrow::Cow::into_owned);
        if part.size() > MAX_PART_BYTES {
            return Err(Unreadable::PartTooLarge { part: name });
        }
        // What it declares may be a lie: unpack it, counting, at most one byte past the limit.
        let unpacked = std::io::copy(
            &mut std::io::Read::take(part, MAX_PART_BYTES + 1),
            &mut std::io::sink(),
        )
        .map_err(|e| unreadable(&e))?;
        if unpacked > MAX_PART_BYTES {
            return Err(Unreadable::PartTooLarge { part: name });
        }
        total += unpacked;
        if total > MAX_UNPACKED_BYTES {
            return Err(Unreadable::TooLarge);
        }
    }
    Ok(())
}

/// A cell that has no text a person would have typed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CellProblem {
    /// A date serial no calendar has (the serial, as text).
    #[error("una celda tiene una fecha imposible ({0})")]
    ImpossibleDate(String),
    /// The spreadsheet's own error value (`#N/A`, `#¡VALOR!`).
    #[error("una celda tiene el error {0} de la hoja de cálculo")]
    Error(String),
}

impl CellProblem {
    /// What the cell shows, for readers that report it as a bad value of its column.
    pub fn shown(&self) -> &str {
        match self {
            CellProblem::ImpossibleDate(text) | CellProblem::Error(text) => text,
        }
    }
}

/// What makes a spreadsheet take a typed cell for a formula (OWASP, CSV injection).
const FORMULA_START: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// A cell as a file to be opened in a spreadsheet writes it: one that starts as a formula would
/// (`=HYPERLINK(…)`, `+`, `-`, `@`, a tab, a carriage return) goes after an apostrophe, which
/// spreadsheets show as text, never run. Every CSV export writes its cells through here (and
/// XLSX exports write cells as strings, never formulas).
pub fn neutralized(cell: &str) -> std::borrow::Cow<'_, str> {
    if formula_like(cell) {
        format!("'{cell}").into()
    } else {
        cell.into()
    }
}

/// A cell read back from a CSV: the apostrophe [`neutralized`] put before a formula's first
/// character taken away, so that a file exported and imported again gives the same texts.
pub fn unneutralized(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if formula_like(rest) => rest,
        _ => cell,
    }
}

/// Starts as a formula would, after any apostrophes (so that a text that began with them
/// keeps them through a file).
fn formula_like(cell: &str) -> bool {
    cell.trim_start_matches('\'').starts_with(FORMULA_START)
}

pub fn cell_text(cell: &Data) -> Result<String, CellProblem> {
    Ok(match cell {
        Data::Empty => String::new(),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Int(n) => n.to_string(),
        // Integral numbers (telephones, ids) without the fraction a float would print.
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => (*f as i64).to_string(),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => if *b { "VERDADERO" } else { "FALSO" }.to_owned(),
        Data::DateTime(serial) => {
            let (y, mo, d, h, mi, s, ms) = serial.to_ymd_hms_milli();
            let impossible = || CellProblem::ImpossibleDate(serial.as_f64().to_string());
            let part = |n: u8| i8::try_from(n).map_err(|_| impossible());
            // Serial times are binary fractions of a day: 09:15 may come as 09:14:59.999.
            let at = DateTime::new(
                i16::try_from(y).map_err(|_| impossible())?,
                part(mo)?,
                part(d)?,
                part(h)?,
                part(mi)?,
                part(s)?,
                i32::from(ms) * 1_000_000,
            )
            .and_then(|at| at.round(jiff::Unit::Second))
            .map_err(|_| impossible())?;
            if serial.is_duration() || serial.as_f64().abs() < 1.0 {
                at.time().strftime("%H:%M:%S").to_string()
            } else if at.time() == jiff::civil::Time::midnight() {
                at.date().to_string()
            } else {
                at.strftime("%Y-%m-%d %H:%M:%S").to_string()
            }
        }
        Data::Error(e) => return Err(CellProblem::Error(e.to_string())),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_written_as_text_and_read_back_as_typed() {
        for formula in [
            "=HYPERLINK(\"http://x\")",
            "+1",
            "-2",
            "@SUM(A1)",
            "\tx",
            "\rx",
        ] {
            let written = neutralized(formula);
            assert_eq!(written, format!("'{formula}"));
            assert_eq!(unneutralized(&written), formula);
        }
        assert_eq!(neutralized("Informe 2026"), "Informe 2026");
        assert_eq!(unneutralized("'texto"), "'texto");
        assert_eq!(unneutralized(&neutralized("'=x")), "'=x");
    }

    #[test]
    fn cells_read_as_typed() {
        assert_eq!(cell_text(&Data::Float(5512345678.0)).unwrap(), "5512345678");
        assert_eq!(cell_text(&Data::Float(2.5)).unwrap(), "2.5");
        assert_eq!(cell_text(&Data::Bool(true)).unwrap(), "VERDADERO");
        assert_eq!(cell_text(&Data::Empty).unwrap(), "");
        let problem = cell_text(&Data::Error(calamine::CellErrorType::NA)).unwrap_err();
        assert_eq!(problem.shown(), "#N/A");
    }
}
