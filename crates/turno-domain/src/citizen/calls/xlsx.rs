//! An XLSX workbook's first sheet as the header and rows `read_calls` takes. Spreadsheets keep
//! dates, times and numbers as numbers; each cell becomes the text a person would type (a date
//! `aaaa-mm-dd`, a time `hh:mm:ss`, a telephone kept as a number without its `.0`), so that the
//! reader checks XLSX and CSV alike. Rows are numbered as the spreadsheet shows them.

use super::RowProblem;
use super::csv::Row;
use calamine::{Data, Range, Reader, Xlsx};
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

/// A cell as text; a cell with no such text (`#N/A`, an impossible date) is a problem of its row.
fn text(cell: &Data, row: usize) -> Result<String, RowProblem> {
    crate::sheet::cell_text(cell).map_err(|problem| RowProblem::new(row, None, problem.to_string()))
}
