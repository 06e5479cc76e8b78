//! An XLSX workbook's first sheet as the header and rows `read_calls` takes. Spreadsheets keep
//! dates, times and numbers as numbers; each cell becomes the text a person would type (a date
//! `aaaa-mm-dd`, a time `hh:mm:ss`, a telephone kept as a number without its `.0`), so that the
//! reader checks XLSX and CSV alike. Rows are numbered as the spreadsheet shows them.

use super::RowProblem;
use super::csv::Row;
use calamine::Data;

/// The header (with its row) and an iterator over the other rows of the first sheet; rows with
/// every cell empty are skipped, as CSV skips empty lines. The workbook is read within the
/// bounds of `sheet::workbook`: a file built to unpack to gigabytes is refused.
pub fn xlsx_rows(
    bytes: &[u8],
) -> Result<(usize, Vec<String>, impl Iterator<Item = Row>), RowProblem> {
    let sheets =
        crate::sheet::workbook(bytes, true).map_err(|e| RowProblem::new(1, None, e.to_string()))?;
    let Some(sheet) = sheets.into_iter().next() else {
        return Err(RowProblem::new(1, None, "el libro no tiene hojas"));
    };
    let mut rows = sheet
        .rows
        .into_iter()
        .map(|(number, cells)| -> Row {
            let cells = cells
                .iter()
                .map(|cell| text(cell, number))
                .collect::<Result<Vec<String>, RowProblem>>()?;
            Ok((number, cells))
        })
        .filter(|row| !matches!(row, Ok((_, cells)) if cells.iter().all(String::is_empty)));
    let (header_row, header) = match rows.next() {
        Some(found) => found?,
        None => return Err(RowProblem::new(1, None, "el archivo está vacío")),
    };
    Ok((header_row, header, rows))
}

/// A cell as text; a cell with no such text (`#N/A`, an impossible date) is a problem of its row.
fn text(cell: &Data, row: usize) -> Result<String, RowProblem> {
    crate::sheet::cell_text(cell).map_err(|problem| RowProblem::new(row, None, problem.to_string()))
}
