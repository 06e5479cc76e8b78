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
        .from_reader(Quotes::new(input, delimiter));
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
    let mut ended = false;
    let rows = std::iter::from_fn(move || match reader.read_record(&mut record) {
        Ok(false) if ended => None,
        Ok(false) => {
            ended = true;
            // A quote never closed took the rest of the file into one cell: a file cut short.
            reader.get_ref().open_since().map(|line| {
                Err(RowProblem::new(
                    line,
                    None,
                    "abre comillas que no se cierran antes del fin del archivo: el archivo está \
                     cortado o le falta una comilla",
                ))
            })
        }
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

/// Where the reader is in CSV's quoting, byte by byte, as the `csv` crate reads it: a quote at
/// the start of a field opens it, two quotes inside are one, one quote closes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Quoting {
    FieldStart,
    Unquoted,
    Quoted,
    /// A quote inside a quoted field: closing it, or the first of two.
    QuoteInQuoted,
}

/// The input, watched for a quoted field still open when it ends (which the `csv` crate
/// accepts, taking the rest of the file into the field).
struct Quotes<R> {
    input: R,
    delimiter: u8,
    state: Quoting,
    line: usize,
    /// The line of the quote that opened the current quoted field.
    opened: usize,
}

impl<R> Quotes<R> {
    fn new(input: R, delimiter: u8) -> Quotes<R> {
        Quotes {
            input,
            delimiter,
            state: Quoting::FieldStart,
            line: 1,
            opened: 1,
        }
    }

    /// The line of the quote still open, once the input has ended.
    fn open_since(&self) -> Option<usize> {
        (self.state == Quoting::Quoted).then_some(self.opened)
    }
}

impl<R: Read> Read for Quotes<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.input.read(buf)?;
        for &b in &buf[..n] {
            let ends_field = b == self.delimiter || b == b'\n' || b == b'\r';
            self.state = match (self.state, b) {
                (Quoting::FieldStart, b'"') => {
                    self.opened = self.line;
                    Quoting::Quoted
                }
                (Quoting::Quoted, b'"') => Quoting::QuoteInQuoted,
                (Quoting::Quoted, _) => Quoting::Quoted,
                (Quoting::QuoteInQuoted, b'"') => Quoting::Quoted,
                (_, _) if ends_field => Quoting::FieldStart,
                (_, _) => Quoting::Unquoted,
            };
            if b == b'\n' {
                self.line += 1;
            }
        }
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::csv_rows;

    fn last_problem(text: &str) -> Option<String> {
        let (_, _, rows) = csv_rows(text.as_bytes(), b',').unwrap();
        rows.filter_map(Result::err).map(|p| p.to_string()).last()
    }

    #[test]
    fn citizen_a_file_ending_inside_quotes_is_cut() {
        let cut = "id,descripcion\n1,\"completa\"\n2,\"cortada a la mit";
        let problem = last_problem(cut).expect("refused");
        assert!(
            problem.starts_with("fila 3:") && problem.contains("comillas"),
            "{problem}"
        );
        // Quotes that close, doubled quotes, quotes inside an unquoted cell, a line break
        // inside quotes and no final line break are all whole files.
        let whole = "id,descripcion\r\n1,\"dijo \"\"no\"\"\"\n2,pulgadas 3\"\n3,\"dos\nlíneas\"";
        assert_eq!(last_problem(whole), None);
        let (_, _, rows) = csv_rows(whole.as_bytes(), b',').unwrap();
        assert_eq!(rows.count(), 3);
    }
}
