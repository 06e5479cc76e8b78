//! The lines of a program written down line by line as one table (`docs/asm-format.md`,
//! «Líneas»): one row per activity, the rows of a line together under its «Línea». Exported as
//! CSV (neutralized, `to_csv`) and XLSX; read back from CSV or a workbook's sheet to add lines,
//! every problem with its file, row and column, and nothing read when there is any.

use super::model::{Item, ItemKind, Program};
use super::problem::{Problem, ProblemKind};
use super::table::{Column, Columns, Table, layout_rows};
use super::write::{date, evidence_names};
use crate::text::{Lines, control_reason};

pub const LINE: &str = "Línea";
pub const KIND: &str = "Tipo";
pub const TEXT: &str = "Texto";
pub const REFERENCE: &str = "Número de observación";
pub const INDICATOR: &str = "Indicador";
pub const GOAL: &str = "Meta anual";
pub const QUARTERS: [&str; 4] = ["Meta T1 (%)", "Meta T2 (%)", "Meta T3 (%)", "Meta T4 (%)"];
pub const RESPONSIBLE: &str = "Unidad responsable";
pub const ACTIVITY: &str = "Actividad";
pub const START: &str = "Fecha de inicio";
pub const END: &str = "Fecha de término";
pub const DAYS: &str = "Plazo (días hábiles)";
pub const PRODUCTS: &str = "Productos y/o evidencias";
pub const PROGRESS: &str = "Avance (%)";
pub const STATUS: &str = "Estatus";
pub const EVIDENCE: &str = "Evidencia adjunta";

const fn column(name: &'static str, required: bool) -> Column {
    Column {
        name,
        aliases: &[],
        required,
    }
}

/// The columns, in the order the export writes them; the last three are what the follow-up
/// recorded, which reading leaves aside (progress is recorded with its evidence).
pub const LINES_LAYOUT: &[Column] = &[
    column(LINE, true),
    column(KIND, true),
    column(TEXT, true),
    column(REFERENCE, false),
    column(INDICATOR, false),
    column(GOAL, false),
    column(QUARTERS[0], false),
    column(QUARTERS[1], false),
    column(QUARTERS[2], false),
    column(QUARTERS[3], false),
    column(RESPONSIBLE, true),
    column(ACTIVITY, true),
    column(START, true),
    column(END, false),
    column(DAYS, false),
    column(PRODUCTS, false),
    column(PROGRESS, false),
    column(STATUS, false),
    column(EVIDENCE, false),
];

/// The program's lines as a table: the header, then one row per activity (an item with none
/// still has its row), dates as `DD-MM-AAAA`, as the ASM tables write them.
pub fn write_lines(program: &Program, today: jiff::civil::Date) -> Vec<Vec<String>> {
    let mut data = Vec::new();
    for item in &program.items {
        let head = line_cells(item);
        if item.activities.is_empty() {
            let mut row = head.clone();
            row.resize(LINES_LAYOUT.len(), String::new());
            data.push(row);
        }
        for activity in &item.activities {
            let mut row = head.clone();
            row.extend([
                activity.responsible.join(", "),
                activity.description.clone(),
                date(activity.start()),
                date(activity.end()),
                String::new(),
                activity.products.clone(),
                activity.progress().percent().to_string(),
                activity.status(today).as_str().to_owned(),
                evidence_names(activity),
            ]);
            data.push(row);
        }
    }
    layout_rows(LINES_LAYOUT, data)
}

/// The cells of a line before its activity's: key, kind, text, and what its kind adds.
fn line_cells(item: &Item) -> Vec<String> {
    let mut cells = vec![
        item.key(),
        item.kind.label().to_owned(),
        item.text.clone(),
        String::new(),
        String::new(),
        String::new(),
    ];
    cells.extend(std::iter::repeat_n(String::new(), 4));
    match &item.kind {
        ItemKind::Observation { reference } => cells[3] = reference.clone(),
        ItemKind::Line(goal) => {
            cells[4] = goal.indicator.clone();
            cells[5] = goal.annual.clone();
            for (cell, quarter) in cells[6..10].iter_mut().zip(goal.quarters) {
                *cell = quarter.percent().to_string();
            }
        }
        _ => {}
    }
    cells
}

/// A line as its rows write it, texts as typed: what the application checks, as it checks a
/// form (kinds, units, dates, terms), naming the row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineText {
    pub file: String,
    /// The row of its first activity.
    pub row: usize,
    pub kind: String,
    pub text: String,
    pub reference: String,
    pub indicator: String,
    pub goal: String,
    pub quarters: [String; 4],
    pub responsible: String,
    pub activities: Vec<ActivityText>,
}

/// An activity's row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActivityText {
    pub row: usize,
    pub description: String,
    pub start: String,
    pub end: String,
    pub days: String,
    pub products: String,
}

/// The most rows a table of lines may have.
pub const MAX_LINE_ROWS: usize = 2_000;

/// The lines of a table: consecutive rows with the same «Línea» are one line's activities
/// (its text, kind and unit read from its first row). Blank rows are skipped. A missing
/// column, a required cell left empty or a control character is a problem of its row and
/// column; with any, no line is read.
pub fn read_lines(table: &Table) -> Result<Vec<LineText>, Vec<Problem>> {
    let columns = Columns::find(table, LINES_LAYOUT)?;
    let mut problems = Vec::new();
    let mut lines: Vec<(String, LineText)> = Vec::new();
    let rows: Vec<_> = table
        .rows
        .iter()
        .skip(1)
        .filter(|r| !r.is_blank())
        .collect();
    if rows.len() > MAX_LINE_ROWS {
        return Err(vec![Problem {
            file: table.file.clone(),
            row: rows[MAX_LINE_ROWS].number,
            field: None,
            kind: ProblemKind::Unreadable(format!(
                "una tabla de líneas lleva a lo más {MAX_LINE_ROWS} filas"
            )),
        }]);
    }
    for row in rows {
        let mut cell = |name: &'static str, required: bool, lines: Lines| {
            let text = columns.cell(row, name);
            let problem = |kind| Problem {
                file: table.file.clone(),
                row: row.number,
                field: Some(name),
                kind,
            };
            if required && text.is_empty() {
                problems.push(problem(ProblemKind::Empty));
            }
            if let Some(reason) = control_reason(text, lines) {
                problems.push(problem(ProblemKind::Control(reason)));
            }
            text.to_owned()
        };
        let key = cell(LINE, true, Lines::One);
        let activity = ActivityText {
            row: row.number,
            description: cell(ACTIVITY, true, Lines::Many),
            start: cell(START, true, Lines::One),
            end: cell(END, false, Lines::One),
            days: cell(DAYS, false, Lines::One),
            products: cell(PRODUCTS, false, Lines::Many),
        };
        match lines.last_mut() {
            Some((last, line)) if *last == key => line.activities.push(activity),
            _ => {
                let line = LineText {
                    file: table.file.clone(),
                    row: row.number,
                    kind: cell(KIND, true, Lines::One),
                    text: cell(TEXT, true, Lines::Many),
                    reference: cell(REFERENCE, false, Lines::One),
                    indicator: cell(INDICATOR, false, Lines::One),
                    goal: cell(GOAL, false, Lines::One),
                    quarters: QUARTERS.map(|q| cell(q, false, Lines::One)),
                    responsible: cell(RESPONSIBLE, true, Lines::One),
                    activities: vec![activity],
                };
                lines.push((key, line));
            }
        }
    }
    if problems.is_empty() {
        Ok(lines.into_iter().map(|(_, line)| line).collect())
    } else {
        Err(problems)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::followup::{Activity, Goal, NewItem, Progress};
    use jiff::civil::date;

    fn program() -> Program {
        let mut program = Program {
            name: "PAT 2026".into(),
            items: Vec::new(),
            sign_off: None,
        };
        let activity = |n, text: &str| {
            Activity::planned(
                n,
                text.into(),
                (date(2026, 1, 5), date(2026, 3, 31)),
                "=HIPERVINCULO(\"x\")".into(),
                vec!["CTEC".into()],
            )
            .unwrap()
        };
        program.add_item(NewItem {
            kind: ItemKind::Line(Goal {
                indicator: "Entidades supervisadas".into(),
                annual: "32".into(),
                quarters: [8, 16, 24, 32].map(|p| Progress::new(p).unwrap()),
            }),
            text: "Supervisar los servicios de salud de las entidades".into(),
            case_folio: None,
            activities: vec![activity(1, "Programar las visitas"), activity(2, "Visitar")],
        });
        program
    }

    #[test]
    fn lines_written_read_back_as_the_same_texts_and_csv_neutralizes_formulas() {
        let rows = write_lines(&program(), date(2026, 2, 1));
        assert_eq!(rows.len(), 3);
        let csv = crate::followup::to_csv(&rows);
        assert!(csv.contains("'=HIPERVINCULO"), "{csv}");
        let table = Table::from_csv("lineas.csv", &csv).unwrap();
        let lines = read_lines(&table).unwrap();
        assert_eq!(lines.len(), 1);
        let line = &lines[0];
        assert_eq!(line.kind, "línea de acción");
        assert_eq!(line.quarters, ["8", "16", "24", "32"].map(String::from));
        assert_eq!(line.activities.len(), 2);
        assert_eq!(line.activities[1].row, 3);
        assert_eq!(line.activities[0].start, "05-01-2026");
        assert_eq!(line.activities[0].products, "=HIPERVINCULO(\"x\")");
    }

    #[test]
    fn every_problem_is_reported_with_its_row_and_column() {
        let table = Table::new(
            "lineas.csv",
            vec![
                LINES_LAYOUT[..13]
                    .iter()
                    .map(|c| c.name.to_owned())
                    .collect(),
                {
                    let mut row = vec![String::new(); 13];
                    row[0] = "1".into();
                    row[1] = "riesgo".into();
                    row[2] = "Texto\u{7}".into();
                    row
                },
            ],
        );
        let problems = read_lines(&table).unwrap_err();
        let fields: Vec<_> = problems.iter().map(|p| (p.row, p.field)).collect();
        assert_eq!(
            fields,
            [
                (2, Some(ACTIVITY)),
                (2, Some(START)),
                (2, Some(TEXT)),
                (2, Some(RESPONSIBLE)),
            ]
        );
    }
}
