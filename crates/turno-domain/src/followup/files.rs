//! The tables of the files a person gives (CSV files or workbooks, whatever their order), as
//! the command line and the import page both read them: from bytes already read, so that the
//! domain stays without IO. Each table goes to the layout its header shows, or the one given.

use super::layout::Layout;
use super::problem::{Problem, ProblemKind};
use super::table::{Row, Table};
use thiserror::Error;

/// A file that gives no tables at all.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum Unreadable {
    #[error("{file}: {at}")]
    NotUtf8 {
        file: String,
        at: crate::citizen::calls::NotUtf8,
    },
    #[error("{file} no se puede leer como CSV ni como libro de cálculo: {reason}")]
    NotWorkbook { file: String, reason: String },
}

/// The tables of a file named `name`: a CSV (by its extension) is one; a workbook has one per
/// sheet that is not empty. A CSV whose rows cannot be read gives no table, and its problems.
pub fn read_file(
    name: &str,
    bytes: &[u8],
    problems: &mut Vec<Problem>,
) -> Result<Vec<Table>, Unreadable> {
    if name.to_lowercase().ends_with(".csv") {
        let text = crate::citizen::calls::utf8_text(bytes).map_err(|at| Unreadable::NotUtf8 {
            file: name.into(),
            at,
        })?;
        return Ok(match Table::from_csv(name, text) {
            Ok(table) => vec![table],
            Err(found) => {
                problems.extend(found);
                Vec::new()
            }
        });
    }
    // Within the bounds of `sheet::workbook`: a file built to unpack to gigabytes is refused.
    let sheets = crate::sheet::workbook(bytes, false).map_err(|e| Unreadable::NotWorkbook {
        file: name.into(),
        reason: e.to_string(),
    })?;
    let mut tables = Vec::new();
    for sheet in sheets.into_iter().filter(|s| !s.rows.is_empty()) {
        let rows = sheet
            .rows
            .into_iter()
            .map(|(number, cells)| Row {
                number,
                cells: cells.iter().map(cell_text).collect(),
            })
            .collect();
        tables.push(Table {
            file: format!("{name}, hoja «{}»", sheet.name),
            rows,
        });
    }
    Ok(tables)
}

/// A spreadsheet cell as the tables' text; a cell with none keeps what it shows, which the
/// tables' reader then reports as a bad value of its column.
fn cell_text(cell: &calamine::Data) -> String {
    crate::sheet::cell_text(cell).unwrap_or_else(|problem| problem.shown().to_owned())
}

/// Each table in its layout's place: the layout given for its file, or the one its header
/// shows. A table of no layout, or of one already placed, is a problem at its header.
pub fn place(tables: Vec<(Table, Option<Layout>)>) -> ([Option<Table>; 3], Vec<Problem>) {
    let mut slots: [Option<Table>; 3] = Default::default();
    let mut problems = Vec::new();
    for (table, given) in tables {
        let problem = |kind| Problem {
            file: table.file.clone(),
            row: 1,
            field: None,
            kind,
        };
        let Some(layout) = given.or_else(|| Layout::recognize(&table)) else {
            problems.push(problem(ProblemKind::UnknownLayout));
            continue;
        };
        match &mut slots[layout as usize] {
            Some(first) => problems.push(problem(ProblemKind::LayoutRepeated {
                table: layout.title(),
                file: first.file.clone(),
            })),
            slot => *slot = Some(table),
        }
    }
    (slots, problems)
}

/// «faltan las tablas «Recomendaciones» y «Aspectos»» for the slots left empty; `None` when all
/// three are there.
pub fn missing(slots: &[Option<Table>; 3]) -> Option<String> {
    let missing: Vec<String> = Layout::ALL
        .iter()
        .zip(slots)
        .filter(|(_, slot)| slot.is_none())
        .map(|(layout, _)| format!("«{}»", layout.title()))
        .collect();
    match missing.as_slice() {
        [] => None,
        [rest @ .., last] if !rest.is_empty() => {
            Some(format!("faltan las tablas {} y {last}", rest.join(", ")))
        }
        one => Some(format!("falta la tabla {}", one.join(""))),
    }
}
