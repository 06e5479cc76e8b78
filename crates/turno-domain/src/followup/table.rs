//! A table as rows of cells with their row numbers, whatever file they came from (CSV here; the
//! CLI turns XLSX sheets into the same rows), and its columns found by header name, ignoring
//! case, accents and spacing.

use super::problem::{Problem, ProblemKind};
use crate::text::fold;

/// One row of cells; `number` counts from 1 at the header, as spreadsheets do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub number: usize,
    pub cells: Vec<String>,
}

impl Row {
    /// No cell holds anything but spaces: a row a spreadsheet leaves between tables.
    pub fn is_blank(&self) -> bool {
        self.cells.iter().all(|c| c.trim().is_empty())
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    pub file: String,
    /// The header row first.
    pub rows: Vec<Row>,
}

impl Table {
    /// Rows numbered in order from 1.
    pub fn new(file: &str, rows: Vec<Vec<String>>) -> Table {
        Table {
            file: file.to_owned(),
            rows: rows
                .into_iter()
                .enumerate()
                .map(|(i, cells)| Row {
                    number: i + 1,
                    cells,
                })
                .collect(),
        }
    }

    /// A CSV text (UTF-8, comma-separated, optional BOM); a cell may hold line breaks. Rows
    /// are numbered as a spreadsheet would show the file, blank lines included.
    pub fn from_csv(file: &str, text: &str) -> Result<Table, Vec<Problem>> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(text.as_bytes());
        let mut rows = Vec::new();
        let mut problems = Vec::new();
        let mut number = 0;
        for record in reader.records() {
            let start = match &record {
                Ok(record) => record.position(),
                Err(e) => e.position(),
            }
            .map(|p| p.byte() as usize);
            number += 1 + blank_lines(text, start, number == 0);
            match record {
                Ok(record) => rows.push(Row {
                    number,
                    cells: record
                        .iter()
                        .map(|cell| crate::sheet::unneutralized(cell).to_owned())
                        .collect(),
                }),
                Err(e) => problems.push(Problem {
                    file: file.to_owned(),
                    row: number,
                    field: None,
                    kind: ProblemKind::Unreadable(e.to_string()),
                }),
            }
        }
        if problems.is_empty() {
            Ok(Table {
                file: file.to_owned(),
                rows,
            })
        } else {
            Err(problems)
        }
    }
}

/// The blank lines the CSV reader skipped before a record it started reading at byte
/// `start`: the line breaks there, before the record's first cell, but for the one that ended
/// the previous record (which the reader also counts into the next).
fn blank_lines(text: &str, start: Option<usize>, first: bool) -> usize {
    let breaks = start
        .and_then(|start| text.get(start..))
        .unwrap_or_default()
        .bytes()
        .take_while(|b| matches!(b, b'\n' | b'\r'))
        .filter(|&b| b == b'\n')
        .count();
    if first {
        breaks
    } else {
        breaks.saturating_sub(1)
    }
}

/// Rows as CSV, every line ended by `\n`; cells quoted when they must be, and formulas
/// written as text (`sheet::neutralized`). Every CSV export is written here.
pub fn to_csv(rows: &[Vec<String>]) -> String {
    let mut out = String::new();
    for row in rows {
        let cells: Vec<String> = row
            .iter()
            .map(|cell| {
                let cell = crate::sheet::neutralized(cell);
                if cell.contains([',', '"', '\n', '\r']) {
                    format!("\"{}\"", cell.replace('"', "\"\""))
                } else {
                    cell.into_owned()
                }
            })
            .collect();
        out.push_str(&cells.join(","));
        out.push('\n');
    }
    out
}

/// A column of a layout: its name as written, other headers people use for it, and whether
/// a file must have it.
#[derive(Debug, Clone, Copy)]
pub struct Column {
    pub name: &'static str,
    pub aliases: &'static [&'static str],
    pub required: bool,
}

/// Header comparison: accents, case and runs of spaces do not matter.
pub(super) fn header_key(text: &str) -> String {
    fold(text).split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Where each column of a layout is in one table.
pub struct Columns {
    layout: &'static [Column],
    index: Vec<Option<usize>>,
}

impl Columns {
    /// Finds the layout's columns in the header row; an unknown, repeated or missing column is
    /// a problem, reported at row 1.
    pub fn find(table: &Table, layout: &'static [Column]) -> Result<Columns, Vec<Problem>> {
        let problem = |field: Option<&'static str>, kind| Problem {
            file: table.file.clone(),
            row: 1,
            field,
            kind,
        };
        let Some(header) = table.rows.first() else {
            return Err(vec![problem(None, ProblemKind::NoHeader)]);
        };
        let mut index = vec![None; layout.len()];
        let mut problems = Vec::new();
        for (i, cell) in header.cells.iter().enumerate() {
            let key = header_key(cell);
            if key.is_empty() {
                continue;
            }
            let found = layout.iter().position(|c| {
                std::iter::once(c.name)
                    .chain(c.aliases.iter().copied())
                    .any(|name| header_key(name) == key)
            });
            match found {
                Some(c) if index[c].is_some() => {
                    problems.push(problem(Some(layout[c].name), ProblemKind::RepeatedColumn))
                }
                Some(c) => index[c] = Some(i),
                None => problems.push(problem(
                    None,
                    ProblemKind::UnknownColumn(cell.trim().to_owned()),
                )),
            }
        }
        for (column, at) in layout.iter().zip(&index) {
            if column.required && at.is_none() {
                problems.push(problem(Some(column.name), ProblemKind::MissingColumn));
            }
        }
        if problems.is_empty() {
            Ok(Columns { layout, index })
        } else {
            Err(problems)
        }
    }

    /// The trimmed cell of a column in a row; empty when the column or the cell is absent.
    pub fn cell<'r>(&self, row: &'r Row, name: &str) -> &'r str {
        self.layout
            .iter()
            .position(|c| c.name == name)
            .and_then(|c| self.index[c])
            .and_then(|i| row.cells.get(i))
            .map_or("", |cell| cell.trim())
    }
}

/// Writes a layout's rows: the header, then the data, leaving out optional columns that no row
/// fills, so that a program with no follow-up data exports to the seed's own columns.
pub fn layout_rows(layout: &[Column], data: Vec<Vec<String>>) -> Vec<Vec<String>> {
    let keep: Vec<bool> = layout
        .iter()
        .enumerate()
        .map(|(i, c)| {
            c.required
                || data
                    .iter()
                    .any(|row| row.get(i).is_some_and(|cell| !cell.is_empty()))
        })
        .collect();
    let pick = |row: Vec<String>| -> Vec<String> {
        row.into_iter()
            .zip(&keep)
            .filter(|(_, k)| **k)
            .map(|(cell, _)| cell)
            .collect()
    };
    std::iter::once(layout.iter().map(|c| c.name.to_owned()).collect())
        .chain(data)
        .map(pick)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const LAYOUT: &[Column] = &[
        Column {
            name: "Ámbito de gestión",
            aliases: &["Ámbito de"],
            required: true,
        },
        Column {
            name: "Avance (%)",
            aliases: &[],
            required: false,
        },
    ];

    #[test]
    fn headers_match_without_accents_case_or_extra_spaces() {
        let table = Table::new(
            "t.csv",
            vec![vec!["AMBITO  DE".into()], vec![" PP ".into()]],
        );
        let columns = Columns::find(&table, LAYOUT).unwrap();
        assert_eq!(columns.cell(&table.rows[1], "Ámbito de gestión"), "PP");
        assert_eq!(columns.cell(&table.rows[1], "Avance (%)"), "");
    }

    #[test]
    fn unknown_repeated_and_missing_columns_are_reported_at_the_header() {
        let table = Table::new(
            "t.csv",
            vec![vec![
                "Avance (%)".into(),
                "avance (%)".into(),
                "Notas".into(),
            ]],
        );
        let problems = Columns::find(&table, LAYOUT).err().unwrap();
        let kinds: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
        assert_eq!(
            kinds,
            [
                "t.csv: fila 1, «Avance (%)»: la columna se repite",
                "t.csv: fila 1: columna «Notas» desconocida",
                "t.csv: fila 1, «Ámbito de gestión»: falta la columna",
            ]
        );
    }

    #[test]
    fn csv_cells_with_commas_quotes_and_line_breaks_survive_a_round_trip() {
        let rows = vec![
            vec!["a,b".to_owned(), "dijo \"sí\"".to_owned()],
            vec![
                "DIRECCIÓN DE PLANEACIÓN\nDIRECCIÓN DE FINANZAS".to_owned(),
                String::new(),
            ],
        ];
        let table = Table::from_csv("t.csv", &to_csv(&rows)).unwrap();
        assert_eq!(
            table
                .rows
                .iter()
                .map(|r| r.cells.clone())
                .collect::<Vec<_>>(),
            rows
        );
        assert_eq!(table.rows[1].number, 2);
    }

    #[test]
    fn rows_keep_the_numbers_a_spreadsheet_shows_across_blank_lines() {
        let text = "\r\na,b\r\n1,\"x\ny\"\r\n\r\n\r\n2,z\n,\n3\n";
        let table = Table::from_csv("t.csv", text).unwrap();
        let numbers: Vec<(usize, &str)> = table
            .rows
            .iter()
            .map(|r| (r.number, r.cells[0].as_str()))
            .collect();
        assert_eq!(numbers, [(2, "a"), (3, "1"), (6, "2"), (7, ""), (8, "3")]);
    }

    #[test]
    fn optional_columns_nobody_fills_are_not_written() {
        let rows = layout_rows(LAYOUT, vec![vec!["O".into(), String::new()]]);
        assert_eq!(rows, [vec!["Ámbito de gestión"], vec!["O"]]);
    }
}
