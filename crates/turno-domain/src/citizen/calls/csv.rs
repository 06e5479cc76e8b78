//! A CSV file as the header and rows `read_calls` takes, streamed from any reader. Rows are
//! numbered by the line they start on, as an editor shows them.

use super::RowProblem;
use std::io::Read;

/// A row's number and cells, or why it could not be read.
pub type Row = Result<(usize, Vec<String>), RowProblem>;

/// The header (with its line) and an iterator over the other rows. A file is assumed UTF-8
/// (check it with `check_utf8` or `Utf8Scanner` first: their message says where it is not).
pub fn csv_rows<R: Read>(
    input: R,
    delimiter: u8,
) -> Result<(usize, Vec<String>, impl Iterator<Item = Row>), RowProblem> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(input);
    let mut record = csv::StringRecord::new();
    let unreadable = |e: csv::Error, line: usize| {
        let line = e.position().map_or(line, |p| p.line() as usize);
        RowProblem::new(line, None, format!("no se puede leer: {e}"))
    };
    match reader.read_record(&mut record) {
        Ok(true) => {}
        Ok(false) => return Err(RowProblem::new(1, None, "el archivo está vacío")),
        Err(e) => return Err(unreadable(e, 1)),
    }
    let header_line = record.position().map_or(1, |p| p.line() as usize);
    let header = cells(&record);
    let mut last = header_line;
    let rows = std::iter::from_fn(move || match reader.read_record(&mut record) {
        Ok(false) => None,
        Ok(true) => {
            last = record.position().map_or(last + 1, |p| p.line() as usize);
            Some(Ok((last, cells(&record))))
        }
        Err(e) => Some(Err(unreadable(e, last + 1))),
    });
    Ok((header_line, header, rows))
}

fn cells(record: &csv::StringRecord) -> Vec<String> {
    record.iter().map(str::to_owned).collect()
}
