//! Organization data as CSV (`docs/org-format.md`): one unit per row, its earlier forms in
//! later rows with the same code. Problems name the row's line and the column.

use super::read::{Field, check_range, code, date, level, lines_of, name, typed};
use super::unit::{Form, UnitSpec};
use super::{Level, OrgFile, Parsed, Spans};
use crate::diagnostic::Diagnostic;
use std::collections::HashMap;

const REQUIRED: [&str; 3] = ["code", "name", "level"];
const KNOWN: [&str; 10] = [
    "code",
    "name",
    "level",
    "parent",
    "siglas",
    "valid_from",
    "valid_to",
    "merged_into",
    "manual_number",
    "functions",
];

pub fn parse_csv(text: &str) -> Result<OrgFile, Vec<Diagnostic>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = csv::ReaderBuilder::new()
        .flexible(false)
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| {
            vec![Diagnostic::new(
                0..0,
                format!("cannot read the header row: {e}"),
            )]
        })?
        .clone();
    let columns: HashMap<&str, usize> = headers
        .iter()
        .enumerate()
        .map(|(i, h)| (h.trim(), i))
        .collect();
    let mut problems = Vec::new();
    for header in headers.iter().map(str::trim) {
        if !KNOWN.contains(&header) {
            problems.push(Diagnostic::new(
                0..0,
                format!(
                    "unknown column «{header}»: the columns are {}",
                    KNOWN.join(", ")
                ),
            ));
        }
    }
    for required in REQUIRED {
        if !columns.contains_key(required) {
            problems.push(Diagnostic::new(
                0..0,
                format!("missing column «{required}»"),
            ));
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let mut units: Vec<Parsed> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    for record in reader.records() {
        let record = match record {
            Ok(record) => record,
            Err(e) => {
                let at = e.position().map_or(0, |p| p.byte() as usize);
                problems.push(Diagnostic::new(at..at, format!("unreadable row: {e}")));
                continue;
            }
        };
        let at = record.position().map_or(0, |p| p.byte() as usize);
        let span = at..at;
        let cell = |column: &str| -> Option<Field> {
            let value = columns.get(column).and_then(|&i| record.get(i))?.trim();
            (!value.is_empty()).then(|| (value.to_owned(), span.clone()))
        };
        let given = |column: &str, problems: &mut Vec<Diagnostic>| -> Field {
            cell(column).unwrap_or_else(|| {
                problems.push(Diagnostic::new(span.clone(), format!("{column} is empty")));
                (String::new(), span.clone())
            })
        };
        let before_problems = problems.len();
        // The name is checked where it is read (`name`), every other cell here.
        for (column, value) in headers.iter().map(str::trim).zip(&record) {
            if column != "name" {
                let field = (value.to_owned(), span.clone());
                typed(&field, column, lines_of(column), &mut problems);
            }
        }
        let unit_code = code(&given("code", &mut problems), "code", &mut problems);
        let form_name = name(
            &cell("name").unwrap_or((String::new(), span.clone())),
            &mut problems,
        );
        let form = |problems: &mut Vec<Diagnostic>, inherit: Option<&Form>| Form {
            name: form_name.clone(),
            parent: cell("parent")
                .and_then(|p| code(&p, "parent", problems))
                .or_else(|| inherit.and_then(|f| f.parent.clone())),
            level: cell("level")
                .and_then(|l| level(&l, problems))
                .or(inherit.map(|f| f.level))
                .unwrap_or(Level::Area),
            valid_from: cell("valid_from").and_then(|d| date(&d, "valid_from", problems)),
            valid_to: cell("valid_to").and_then(|d| date(&d, "valid_to", problems)),
        };
        let Some(unit_code) = unit_code else { continue };
        match index.get(&unit_code) {
            // A later row of a code: an earlier form of that unit.
            Some(&i) => {
                let earlier = form(&mut problems, Some(&units[i].unit.current));
                if earlier.valid_to.is_none() {
                    problems.push(Diagnostic::new(
                        span.clone(),
                        format!("an earlier form of «{unit_code}» needs valid_to"),
                    ));
                }
                check_range(&earlier, span.clone(), &mut problems);
                if problems.len() == before_problems {
                    units[i].spans.before_parents.push(span.clone());
                    units[i].unit.before.push(earlier);
                }
            }
            None => {
                if cell("level").is_none() {
                    problems.push(Diagnostic::new(span.clone(), "level is empty"));
                }
                let current = form(&mut problems, None);
                check_range(&current, span.clone(), &mut problems);
                let merged_into =
                    cell("merged_into").and_then(|m| code(&m, "merged_into", &mut problems));
                if problems.len() > before_problems {
                    continue;
                }
                index.insert(unit_code.clone(), units.len());
                units.push(Parsed {
                    spans: Spans {
                        unit: span.clone(),
                        code: span.clone(),
                        parent: current.parent.as_ref().map(|_| span.clone()),
                        merged_into: merged_into.as_ref().map(|_| span.clone()),
                        before_parents: Vec::new(),
                    },
                    unit: UnitSpec {
                        code: unit_code,
                        siglas: cell("siglas").map(|(s, _)| s),
                        manual_number: cell("manual_number").map(|(s, _)| s),
                        functions: cell("functions")
                            .map(|(f, _)| {
                                f.split(" | ")
                                    .map(str::trim)
                                    .filter(|f| !f.is_empty())
                                    .map(str::to_owned)
                                    .collect()
                            })
                            .unwrap_or_default(),
                        current,
                        before: Vec::new(),
                        merged_into,
                    },
                });
            }
        }
    }
    if problems.is_empty() {
        Ok(OrgFile {
            title: None,
            source: None,
            units,
        })
    } else {
        Err(problems)
    }
}
