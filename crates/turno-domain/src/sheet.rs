//! A spreadsheet cell as the text a person would type in it, so that files read from XLSX are
//! checked exactly like CSV: a date `aaaa-mm-dd`, a time `hh:mm:ss`, a whole number (a
//! telephone, an id) without the `.0` a float would print. Pure: the caller reads the workbook.

use calamine::Data;
use jiff::civil::DateTime;

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
