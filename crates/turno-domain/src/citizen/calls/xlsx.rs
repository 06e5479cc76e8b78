//! An XLSX workbook's first sheet as the header and rows `read_calls` takes. Spreadsheets keep
//! dates, times and numbers as numbers; each cell becomes the text a person would type (a date
//! `aaaa-mm-dd`, a time `hh:mm:ss`, a telephone kept as a number without its `.0`), so that the
//! reader checks XLSX and CSV alike. Rows are numbered as the spreadsheet shows them.

use super::RowProblem;
use super::csv::Row;
use calamine::{Data, Range, Reader, Xlsx};
use jiff::civil::DateTime;
use std::io::Cursor;

/// The header (with its row) and an iterator over the other rows of the first sheet; rows with
/// every cell empty are skipped, as CSV skips empty lines.
pub fn xlsx_rows(
    bytes: &[u8],
) -> Result<(usize, Vec<String>, impl Iterator<Item = Row>), RowProblem> {
    let unreadable = |e: &dyn std::fmt::Display| {
        RowProblem::new(1, None, format!("no es un libro XLSX legible: {e}"))
    };
    let mut workbook = Xlsx::new(Cursor::new(bytes)).map_err(|e| unreadable(&e))?;
    let range = match workbook.worksheet_range_at(0) {
        Some(range) => range.map_err(|e| unreadable(&e))?,
        None => return Err(RowProblem::new(1, None, "el libro no tiene hojas")),
    };
    // Range positions count from 0 and from the first used cell.
    let first_row = range.start().map_or(0, |(row, _)| row as usize) + 1;
    let (height, width) = range.get_size();
    let row_at = move |range: &Range<Data>, i: usize| -> Row {
        let number = first_row + i;
        let cells = (0..width)
            .map(|j| text(range.get((i, j)).unwrap_or(&Data::Empty), number))
            .collect::<Result<Vec<String>, RowProblem>>()?;
        Ok((number, cells))
    };
    let header = (0..height)
        .map(|i| row_at(&range, i))
        .find(|row| !matches!(row, Ok((_, cells)) if cells.iter().all(String::is_empty)));
    let (header_row, header) = match header {
        Some(found) => found?,
        None => return Err(RowProblem::new(1, None, "el archivo está vacío")),
    };
    let rows = (header_row + 1 - first_row..height)
        .map(move |i| row_at(&range, i))
        .filter(|row| !matches!(row, Ok((_, cells)) if cells.iter().all(String::is_empty)));
    Ok((header_row, header, rows))
}

/// A cell as text; an error cell (`#N/A`, `#¡VALOR!`) is a problem of its row.
fn text(cell: &Data, row: usize) -> Result<String, RowProblem> {
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
            // Serial times are binary fractions of a day: 09:15 may come as 09:14:59.999.
            let at = DateTime::new(
                y as i16,
                mo as i8,
                d as i8,
                h as i8,
                mi as i8,
                s as i8,
                i32::from(ms) * 1_000_000,
            )
            .and_then(|at| at.round(jiff::Unit::Second))
            .map_err(|_| RowProblem::new(row, None, "una celda tiene una fecha imposible"))?;
            if serial.is_duration() || serial.as_f64().abs() < 1.0 {
                at.time().strftime("%H:%M:%S").to_string()
            } else if at.time() == jiff::civil::Time::midnight() {
                at.date().to_string()
            } else {
                at.strftime("%Y-%m-%d %H:%M:%S").to_string()
            }
        }
        Data::Error(e) => {
            return Err(RowProblem::new(
                row,
                None,
                format!("una celda tiene el error {e} de la hoja de cálculo"),
            ));
        }
    })
}
