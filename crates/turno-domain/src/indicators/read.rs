//! An indicator table read from the file a person uploads: a CSV (UTF-8) or a workbook's first
//! sheet with a cell, read within `sheet::workbook`'s bounds through the follow-up tables'
//! reader (`followup::read_file`), its columns found by name (case, accents and spacing do not
//! matter). Every problem is reported with its row (as the spreadsheet numbers it, the header
//! being 1) and its column; a table with any problem yields no indicators.

use super::{Indicator, MAX_KEY, MAX_NAME, MAX_UNIT, Value, key_of};
use crate::followup::{Column, Columns, Row, Table};
use crate::text::{Lines, control_reason, same};
use std::collections::{HashMap, HashSet};
use std::fmt;

/// The most indicators a table may have; the row past it is refused and reading stops, which
/// bounds what a table holds (with `sheet::workbook`'s bounds on the file itself).
pub const MAX_INDICATORS: usize = 2_000;

/// The columns of an indicator table, as its header names them.
pub const COLUMNS: &[Column] = &[
    Column {
        name: "Clave",
        aliases: &["Clave del indicador", "Id"],
        required: true,
    },
    Column {
        name: "Indicador",
        aliases: &["Nombre", "Nombre del indicador"],
        required: true,
    },
    Column {
        name: "Unidad de medida",
        aliases: &["Unidad"],
        required: true,
    },
    Column {
        name: "Valor",
        aliases: &["Valor reportado"],
        required: true,
    },
    Column {
        name: "Acumulado",
        aliases: &[],
        required: false,
    },
    Column {
        name: "Componente de",
        aliases: &["Total"],
        required: false,
    },
];

/// One problem of an uploaded table: its row (1 is the header; 0 when it is the whole file's),
/// its column when it is one cell's, and why, in Spanish.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub row: usize,
    pub column: Option<String>,
    pub message: String,
}

impl Problem {
    fn at(row: usize, column: &str, message: impl Into<String>) -> Problem {
        Problem {
            row,
            column: Some(column.to_owned()),
            message: message.into(),
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.row > 0 {
            write!(f, "fila {}", self.row)?;
            if let Some(column) = &self.column {
                write!(f, ", «{column}»")?;
            }
            write!(f, ": ")?;
        } else if let Some(column) = &self.column {
            write!(f, "«{column}»: ")?;
        }
        write!(f, "{}", self.message)
    }
}

/// The indicators of the file `name` (its extension says CSV; anything else is read as a
/// workbook), or every problem it has.
pub fn read(name: &str, bytes: &[u8]) -> Result<Vec<Indicator>, Vec<Problem>> {
    let mut found = Vec::new();
    let tables = crate::followup::read_file(name, bytes, &mut found).map_err(|e| {
        vec![Problem {
            row: 0,
            column: None,
            message: match e {
                crate::followup::Unreadable::NotUtf8 { at, .. } => at.to_string(),
                crate::followup::Unreadable::NotWorkbook { reason, .. } => {
                    format!("no se puede leer como CSV ni como libro de cálculo (XLSX): {reason}")
                }
            },
        }]
    })?;
    if !found.is_empty() {
        return Err(found.into_iter().map(problem_of).collect());
    }
    match tables.into_iter().next() {
        Some(table) => read_table(&table),
        None => Err(vec![Problem {
            row: 0,
            column: None,
            message: "el archivo no tiene ninguna tabla".into(),
        }]),
    }
}

/// A follow-up table's problem as one of these.
fn problem_of(p: crate::followup::Problem) -> Problem {
    Problem {
        row: p.row,
        column: p.field.map(str::to_owned),
        message: p.kind.to_string(),
    }
}

/// The indicators of a table of rows (the header first), or every problem it has.
pub fn read_table(table: &Table) -> Result<Vec<Indicator>, Vec<Problem>> {
    let columns = Columns::find(table, COLUMNS)
        .map_err(|p| p.into_iter().map(problem_of).collect::<Vec<_>>())?;
    let mut problems = Vec::new();
    let mut indicators: Vec<(usize, Indicator)> = Vec::new();
    let mut rows_of: HashMap<String, usize> = HashMap::new();
    for row in table.rows.iter().skip(1).filter(|row| !row.is_blank()) {
        if indicators.len() == MAX_INDICATORS {
            problems.push(Problem {
                row: row.number,
                column: None,
                message: format!("la tabla tiene más de {MAX_INDICATORS} indicadores: divídala"),
            });
            break;
        }
        // A repeated key is told even when the row has other problems: each is one to fix.
        let typed_key = columns.cell(row, "Clave").trim();
        let key = key_of(typed_key);
        if !key.is_empty() {
            match rows_of.get(&key) {
                Some(first) => problems.push(Problem::at(
                    row.number,
                    "Clave",
                    format!("la clave «{typed_key}» ya está en la fila {first}"),
                )),
                None => {
                    rows_of.insert(key, row.number);
                }
            }
        }
        if let Some(indicator) = read_row(&columns, row, &mut problems) {
            indicators.push((row.number, indicator));
        }
    }
    if indicators.is_empty() && problems.is_empty() {
        problems.push(Problem {
            row: 0,
            column: None,
            message: "la tabla no tiene ningún indicador".into(),
        });
    }
    // A total named by a row that has a problem of its own is not told missing again.
    let typed: HashSet<String> = table
        .rows
        .iter()
        .skip(1)
        .map(|row| key_of(columns.cell(row, "Clave")))
        .filter(|key| !key.is_empty())
        .collect();
    components(&indicators, &typed, &mut problems);
    if problems.is_empty() {
        Ok(indicators.into_iter().map(|(_, i)| i).collect())
    } else {
        problems.sort_by_key(|p| p.row);
        Err(problems)
    }
}

/// A text cell: given, within `most` characters, on one line.
fn text(
    row: &Row,
    columns: &Columns,
    column: &'static str,
    most: usize,
    required: bool,
    problems: &mut Vec<Problem>,
) -> Option<String> {
    let cell = columns.cell(row, column);
    if cell.is_empty() {
        if required {
            problems.push(Problem::at(row.number, column, "está vacío"));
            return None;
        }
        return Some(String::new());
    }
    if cell.chars().count() > most {
        problems.push(Problem::at(
            row.number,
            column,
            format!("tiene más de {most} caracteres"),
        ));
        return None;
    }
    if let Some(reason) = control_reason(cell, Lines::One) {
        problems.push(Problem::at(row.number, column, reason));
        return None;
    }
    Some(cell.to_owned())
}

fn read_row(columns: &Columns, row: &Row, problems: &mut Vec<Problem>) -> Option<Indicator> {
    let before = problems.len();
    let key = text(row, columns, "Clave", MAX_KEY, true, problems);
    let name = text(row, columns, "Indicador", MAX_NAME, true, problems);
    let unit = text(row, columns, "Unidad de medida", MAX_UNIT, true, problems);
    let total_of = text(row, columns, "Componente de", MAX_KEY, false, problems);
    let typed = columns.cell(row, "Valor");
    let value = if typed.is_empty() {
        problems.push(Problem::at(row.number, "Valor", "está vacío"));
        None
    } else {
        let value = Value::parse(typed);
        if value.is_none() {
            problems.push(Problem::at(
                row.number,
                "Valor",
                format!(
                    "«{typed}» no es un número: escríbalo con punto decimal y, si quiere, comas \
                     entre miles (1,234.5)"
                ),
            ));
        }
        value
    };
    let typed = columns.cell(row, "Acumulado");
    let cumulative = if typed.is_empty() || same(typed, "no") {
        Some(false)
    } else if same(typed, "sí") || same(typed, "x") {
        Some(true)
    } else {
        problems.push(Problem::at(
            row.number,
            "Acumulado",
            format!("«{typed}» no es «Sí» ni «No»"),
        ));
        None
    };
    if problems.len() > before {
        return None;
    }
    Some(Indicator {
        key: key?,
        name: name?,
        unit: unit?,
        value: value?,
        cumulative: cumulative?,
        total_of: total_of.filter(|t| !t.is_empty()),
    })
}

/// Each «Componente de» names another indicator of the table, and totals never loop.
fn components(
    indicators: &[(usize, Indicator)],
    typed: &HashSet<String>,
    problems: &mut Vec<Problem>,
) {
    let total_of: HashMap<String, String> = indicators
        .iter()
        .filter_map(|(_, i)| Some((i.matching_key(), key_of(i.total_of.as_deref()?))))
        .collect();
    for (row, indicator) in indicators {
        let Some(total) = &indicator.total_of else {
            continue;
        };
        let own = indicator.matching_key();
        if key_of(total) == own {
            problems.push(Problem::at(
                *row,
                "Componente de",
                "un indicador no es componente de sí mismo",
            ));
        } else if !typed.contains(&key_of(total)) {
            problems.push(Problem::at(
                *row,
                "Componente de",
                format!("no hay un indicador con la clave «{total}» en la tabla"),
            ));
        } else {
            // Up the chain of totals: back to this one is a loop.
            let mut at = key_of(total);
            for _ in 0..indicators.len() {
                if at == own {
                    problems.push(Problem::at(
                        *row,
                        "Componente de",
                        "los totales forman un ciclo: un indicador termina siendo componente \
                         de sí mismo",
                    ));
                    break;
                }
                match total_of.get(&at) {
                    Some(next) => at = next.clone(),
                    None => break,
                }
            }
        }
    }
}

/// Indicators as the rows of a table (the header first), which [`read_table`] reads back.
pub fn to_rows(indicators: &[Indicator]) -> Vec<Vec<String>> {
    std::iter::once(COLUMNS.iter().map(|c| c.name.to_owned()).collect())
        .chain(indicators.iter().map(|i| {
            vec![
                i.key.clone(),
                i.name.clone(),
                i.unit.clone(),
                i.value.to_string(),
                if i.cumulative { "Sí" } else { "No" }.to_owned(),
                i.total_of.clone().unwrap_or_default(),
            ]
        }))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn csv(text: &str) -> Result<Vec<Indicator>, Vec<Problem>> {
        read("indicadores.csv", text.as_bytes())
    }

    #[test]
    fn a_table_reads_with_its_totals() {
        let read = csv(
            "Clave,Indicador,Unidad de medida,Valor,Acumulado,Componente de\n\
             AF,Personas afiliadas,personas,\"1,500\",Sí,\n\
             AF-H,Hombres afiliados,personas,700,sí,AF\n\
             AF-M,Mujeres afiliadas,personas,800,,af\n\
             \n\
             COB,Cobertura,%,87.5,No,\n",
        )
        .unwrap();
        assert_eq!(read.len(), 4);
        assert!(read[0].cumulative && read[1].cumulative && !read[2].cumulative);
        assert_eq!(read[0].value, Value::whole(1500));
        assert_eq!(read[2].total_of.as_deref(), Some("af"));
        assert_eq!(read[3].value.to_string(), "87.5");
    }

    #[test]
    fn every_problem_has_its_row_and_column() {
        let problems = csv("clave,INDICADOR,Unidad,Valor,Acumulado,Componente de\n\
             A,Uno,personas,diez,quizá,\n\
             ,Dos,personas,2,,\n\
             A,Tres,,3,,Z\n\
             B,Cuatro,personas,4,,B\n")
        .unwrap_err();
        let told: Vec<String> = problems.iter().map(ToString::to_string).collect();
        assert_eq!(
            told,
            [
                "fila 2, «Valor»: «diez» no es un número: escríbalo con punto decimal y, si \
                 quiere, comas entre miles (1,234.5)",
                "fila 2, «Acumulado»: «quizá» no es «Sí» ni «No»",
                "fila 3, «Clave»: está vacío",
                "fila 4, «Clave»: la clave «A» ya está en la fila 2",
                "fila 4, «Unidad de medida»: está vacío",
                "fila 5, «Componente de»: un indicador no es componente de sí mismo",
            ],
            "{told:#?}"
        );
    }

    #[test]
    fn repeated_keys_unknown_totals_and_loops_are_refused() {
        let problems = csv("Clave,Indicador,Unidad de medida,Valor,Componente de\n\
             A,Uno,p,1,B\n\
             B,Dos,p,1,A\n\
             C,Tres,p,1,Z\n\
             c,Cuatro,p,1,\n")
        .unwrap_err();
        let told: Vec<String> = problems.iter().map(ToString::to_string).collect();
        assert!(told.contains(&"fila 5, «Clave»: la clave «c» ya está en la fila 4".to_owned()));
        let problems = csv("Clave,Indicador,Unidad de medida,Valor,Componente de\n\
             A,Uno,p,1,B\nB,Dos,p,1,A\nC,Tres,p,1,Z\n")
        .unwrap_err();
        let told: Vec<String> = problems.iter().map(ToString::to_string).collect();
        assert!(told[0].starts_with("fila 2, «Componente de»: los totales forman un ciclo"));
        assert!(told[1].starts_with("fila 3, «Componente de»: los totales forman un ciclo"));
        assert_eq!(
            told[2],
            "fila 4, «Componente de»: no hay un indicador con la clave «Z» en la tabla"
        );
    }

    #[test]
    fn missing_columns_and_empty_tables_are_told() {
        let problems = csv("Clave,Indicador\nA,Uno\n").unwrap_err();
        let told: Vec<String> = problems.iter().map(ToString::to_string).collect();
        assert_eq!(
            told,
            [
                "fila 1, «Unidad de medida»: falta la columna",
                "fila 1, «Valor»: falta la columna"
            ]
        );
        let problems = csv("Clave,Indicador,Unidad de medida,Valor\n").unwrap_err();
        assert_eq!(
            problems[0].to_string(),
            "la tabla no tiene ningún indicador"
        );
        let problems = read("x.xlsx", b"no es un libro").unwrap_err();
        assert!(problems[0].message.starts_with("no se puede leer"));
    }

    #[test]
    fn rows_written_read_back() {
        let indicators = csv(
            "Clave,Indicador,Unidad de medida,Valor,Acumulado,Componente de\n\
             T,Total,p,10.25,Sí,\nP,Parte,p,10.25,No,T\n",
        )
        .unwrap();
        let text = crate::followup::to_csv(&to_rows(&indicators));
        assert_eq!(csv(&text).unwrap(), indicators);
    }
}
