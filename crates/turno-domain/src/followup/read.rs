//! Reading a Programa de ASM from its three tables: every cell checked, every problem reported
//! with its file, row and column, then the tables checked against each other. A program with
//! any problem is not built at all.

use super::asm::{
    Acceptance, Aspect, DocumentType, Justification, ManagementArea, Recommendation, SignOff,
};
use super::layout::*;
use super::model::{Activity, Closure, Evidence, Item, ItemKind, Program, Progress};
use super::problem::{Problem, ProblemKind};
use super::table::{Column, Columns, Row, Table};
use crate::text::{Lines, control_reason, fold};
use jiff::civil::Date;
use std::collections::HashMap;

/// The three tables of a program (any may come from CSV or from a spreadsheet's sheet).
pub struct Tables<'a> {
    pub recommendations: &'a Table,
    pub aspects: &'a Table,
    pub activities: &'a Table,
}

pub fn read_program(name: &str, tables: Tables) -> Result<Program, Vec<Problem>> {
    let mut problems = Vec::new();
    let recommendations = read_recommendations(tables.recommendations, &mut problems);
    let mut aspects = read_aspects(tables.aspects, &recommendations, &mut problems);
    let (activities, sign_off) = split_sign_off(tables.activities, &mut problems);
    read_activities(&activities, &mut aspects, &mut problems);
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(Program {
        name: name.to_owned(),
        items: recommendations
            .into_iter()
            .chain(aspects)
            .map(|(_, item)| item)
            .collect(),
        sign_off,
    })
}

/// The signatures under the activities table, as `write_sign_off` puts them: a row with
/// «Elaboró» and «Autorizó» alone, and the names under them in the next row that is not blank.
/// Returns the table above them.
fn split_sign_off(table: &Table, problems: &mut Vec<Problem>) -> (Table, Option<SignOff>) {
    let labels = |row: &Row| {
        let filled: Vec<(usize, String)> = row
            .cells
            .iter()
            .enumerate()
            .filter(|(_, c)| !c.trim().is_empty())
            .map(|(i, c)| (i, fold(c.trim_end().trim_end_matches(':'))))
            .collect();
        match filled.as_slice() {
            [(p, prepared), (a, authorized)]
                if *prepared == fold(PREPARED) && *authorized == fold(AUTHORIZED) =>
            {
                Some((*p, *a))
            }
            _ => None,
        }
    };
    let Some((at, (prepared, authorized))) = table
        .rows
        .iter()
        .enumerate()
        .skip(1)
        .find_map(|(i, row)| labels(row).map(|l| (i, l)))
    else {
        return (table.clone(), None);
    };
    let mut problem = |row: usize, kind| {
        problems.push(Problem {
            file: table.file.clone(),
            row,
            field: None,
            kind,
        })
    };
    let mut below = table.rows[at + 1..].iter().filter(|r| !r.is_blank());
    let names = below.next();
    let name = |i: usize| {
        names
            .and_then(|r| r.cells.get(i))
            .map(|c| c.trim().to_owned())
            .filter(|c| !c.is_empty())
    };
    let sign_off = match (name(prepared), name(authorized)) {
        (Some(prepared_by), Some(authorized_by)) => Some(SignOff {
            prepared_by,
            authorized_by,
        }),
        _ => {
            let row = names.unwrap_or(&table.rows[at]).number;
            problem(row, ProblemKind::IncompleteSignOff);
            None
        }
    };
    for row in below {
        problem(row.number, ProblemKind::AfterSignOff);
    }
    let above = Table {
        file: table.file.clone(),
        rows: table.rows[..at].to_vec(),
    };
    (above, sign_off)
}

/// The cells of one row, and the problems found in them.
struct Cells<'a> {
    file: &'a str,
    row: &'a Row,
    columns: &'a Columns,
    problems: &'a mut Vec<Problem>,
}

impl Cells<'_> {
    fn report(&mut self, field: Option<&'static str>, kind: ProblemKind) {
        self.problems.push(Problem {
            file: self.file.to_owned(),
            row: self.row.number,
            field,
            kind,
        });
    }

    fn text(&self, field: &str) -> String {
        self.columns.cell(self.row, field).to_owned()
    }

    fn optional(&self, field: &str) -> Option<String> {
        Some(self.text(field)).filter(|t| !t.is_empty())
    }

    fn required(&mut self, field: &'static str) -> Option<String> {
        let text = self.optional(field);
        if text.is_none() {
            self.report(Some(field), ProblemKind::Empty);
        }
        text
    }

    /// What `parse` reads in `text`; when it reads nothing, `problem` with the text is
    /// reported against `field`.
    fn parse<T>(
        &mut self,
        field: &'static str,
        text: &str,
        parse: impl FnOnce(&str) -> Option<T>,
        problem: fn(String) -> ProblemKind,
    ) -> Option<T> {
        let value = parse(text);
        if value.is_none() {
            self.report(Some(field), problem(text.to_owned()));
        }
        value
    }

    fn number(&mut self, field: &'static str) -> Option<u32> {
        let text = self.required(field)?;
        self.parse(field, &text, parse_number, ProblemKind::NotANumber)
    }

    fn date(&mut self, field: &'static str) -> Option<Date> {
        let text = self.required(field)?;
        self.parse(field, &text, parse_date, ProblemKind::NotADate)
    }

    fn management(&mut self, field: &'static str, text: &str) -> Option<ManagementArea> {
        self.parse(
            field,
            text,
            ManagementArea::parse,
            ProblemKind::NotAManagementArea,
        )
    }

    fn document(&mut self, text: &str) -> Option<DocumentType> {
        self.parse(
            DOCUMENT,
            text,
            DocumentType::parse,
            ProblemKind::NotADocumentType,
        )
    }

    /// A cell's lines, each trimmed, empty ones dropped: several areas or documents in a cell.
    fn lines(&self, field: &str) -> Vec<String> {
        self.columns
            .cell(self.row, field)
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_owned)
            .collect()
    }
}

/// Digits only: «1», not «1.0» or «uno».
fn parse_number(text: &str) -> Option<u32> {
    let text = text.trim();
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

/// DD-MM-AAAA as the seed writes dates, DD/MM/AAAA, or AAAA-MM-DD.
pub fn parse_date(text: &str) -> Option<Date> {
    let parts: Vec<&str> = text.trim().split(['-', '/']).collect();
    let [a, b, c] = parts.as_slice() else {
        return None;
    };
    let (year, month, day) = if a.len() == 4 { (a, b, c) } else { (c, b, a) };
    if year.len() != 4 || month.len() > 2 || day.len() > 2 {
        return None;
    }
    let number = |s: &str| parse_number(s).and_then(|n| i16::try_from(n).ok());
    let month = i8::try_from(number(month)?).ok()?;
    let day = i8::try_from(number(day)?).ok()?;
    Date::new(number(year)?, month, day).ok()
}

/// Each data row of a table with its cells, the empty rows a spreadsheet leaves skipped; the
/// closure's result is kept for the rows that had no problem.
fn rows<T>(
    table: &Table,
    layout: &'static [Column],
    problems: &mut Vec<Problem>,
    mut read: impl FnMut(&mut Cells) -> Option<T>,
) -> Vec<(usize, T)> {
    let columns = match Columns::find(table, layout) {
        Ok(columns) => columns,
        Err(found) => {
            problems.extend(found);
            return Vec::new();
        }
    };
    let mut out = Vec::new();
    for row in table.rows.iter().skip(1) {
        if row.is_blank() {
            continue;
        }
        let before = problems.len();
        // The one rule on control characters (`text::control`), for every column's cell.
        for column in layout {
            if let Some(reason) = control_reason(columns.cell(row, column.name), Lines::Many) {
                problems.push(Problem {
                    file: table.file.clone(),
                    row: row.number,
                    field: Some(column.name),
                    kind: ProblemKind::Control(reason),
                });
            }
        }
        let mut cells = Cells {
            file: &table.file,
            row,
            columns: &columns,
            problems,
        };
        let value = read(&mut cells);
        if let Some(value) = value
            && problems.len() == before
        {
            out.push((row.number, value));
        }
    }
    out
}

/// Records a number's first row; a second one is a problem.
fn once(
    seen: &mut HashMap<u32, usize>,
    number: Option<u32>,
    cells: &mut Cells,
    field: &'static str,
) {
    if let Some(number) = number {
        if let Some(&row) = seen.get(&number) {
            cells.report(Some(field), ProblemKind::Repeated { number, row });
        } else {
            seen.insert(number, cells.row.number);
        }
    }
}

fn read_recommendations(table: &Table, problems: &mut Vec<Problem>) -> Vec<(usize, Item)> {
    let mut seen = HashMap::new();
    let read = rows(table, RECOMMENDATIONS_LAYOUT, problems, |cells| {
        let number = cells.number(NUMBER);
        once(&mut seen, number, cells, NUMBER);
        let year = cells.required(YEAR).and_then(|text| {
            let year = parse_number(&text).and_then(|y| i16::try_from(y).ok());
            if year.is_none() {
                cells.report(Some(YEAR), ProblemKind::NotANumber(text));
            }
            year
        });
        let description = cells.required(DESCRIPTION);
        let management = match cells.optional(MANAGEMENT) {
            Some(text) => Some(cells.management(MANAGEMENT, &text)?),
            None => None,
        };
        let justification = cells.optional(JUSTIFICATION);
        let acceptance = match cells.required(ACCEPTANCE).map(|a| (fold(&a), a)) {
            Some((folded, _)) if folded == "si" => {
                if justification.is_some() {
                    cells.report(Some(JUSTIFICATION), ProblemKind::NeedlessJustification);
                }
                Some(Acceptance::Accepted)
            }
            Some((folded, _)) if folded == "no" => match justification {
                Some(text) => Some(Acceptance::NotAccepted(Justification::parse(&text))),
                None => {
                    cells.report(Some(JUSTIFICATION), ProblemKind::MissingJustification);
                    None
                }
            },
            Some((_, text)) => {
                cells.report(Some(ACCEPTANCE), ProblemKind::NotAnAcceptance(text));
                None
            }
            None => None,
        };
        Some(Item {
            number: number?,
            kind: ItemKind::Recommendation(Recommendation {
                evaluation_year: year?,
                management,
                acceptance: acceptance?,
            }),
            text: description?,
            expected_results: None,
            case_folio: cells.optional(CASE),
            activities: Vec::new(),
        })
    });
    // A justification names a recommendation that exists, is another one, and is attended.
    let accepted: HashMap<u32, bool> = read
        .iter()
        .filter_map(|(_, item)| match &item.kind {
            ItemKind::Recommendation(r) => Some((item.number, r.acceptance.is_accepted())),
            _ => None,
        })
        .collect();
    for (row, item) in &read {
        if let ItemKind::Recommendation(Recommendation {
            acceptance: Acceptance::NotAccepted(Justification::ByRecommendation(by)),
            ..
        }) = &item.kind
        {
            let kind = match accepted.get(by) {
                _ if *by == item.number => ProblemKind::JustifiedByItself,
                None => ProblemKind::UnknownRecommendation(*by),
                Some(false) => ProblemKind::JustifiedByNotAccepted(*by),
                Some(true) => continue,
            };
            problems.push(Problem {
                file: table.file.clone(),
                row: *row,
                field: Some(JUSTIFICATION),
                kind,
            });
        }
    }
    read
}

fn read_aspects(
    table: &Table,
    recommendations: &[(usize, Item)],
    problems: &mut Vec<Problem>,
) -> Vec<(usize, Item)> {
    let mut seen = HashMap::new();
    rows(table, ASPECTS_LAYOUT, problems, |cells| {
        let number = cells.number(NUMBER);
        once(&mut seen, number, cells, NUMBER);
        let text = cells.required(ASPECT);
        let document = cells.required(TYPE).and_then(|t| {
            let document = DocumentType::parse(&t);
            if document.is_none() {
                cells.report(Some(TYPE), ProblemKind::NotADocumentType(t));
            }
            document
        });
        let management = cells
            .required(MANAGEMENT)
            .and_then(|m| cells.management(MANAGEMENT, &m));
        let (start, end) = (cells.date(START), cells.date(END));
        if let (Some(start), Some(end)) = (start, end)
            && end < start
        {
            cells.report(
                Some(END),
                super::model::FollowupError::EndsBeforeStart { start, end }.into(),
            );
        }
        let products = cells.required(PRODUCTS);
        let mut linked = Vec::new();
        let listed = cells.text(RECOMMENDATIONS);
        for part in listed.split([',', ';', ' ']).filter(|p| !p.is_empty()) {
            match parse_number(part) {
                Some(n) if recommendations.iter().any(|(_, r)| r.number == n) => linked.push(n),
                Some(n) => {
                    cells.report(Some(RECOMMENDATIONS), ProblemKind::UnknownRecommendation(n))
                }
                None => cells.report(
                    Some(RECOMMENDATIONS),
                    ProblemKind::NotANumber(part.to_owned()),
                ),
            }
        }
        Some(Item {
            number: number?,
            kind: ItemKind::Aspect(Aspect {
                document: document?,
                management: management?,
                start: start?,
                end: end?,
                products: products?,
                recommendations: linked,
                coordinator: None,
            }),
            text: text?,
            expected_results: None,
            case_folio: cells.optional(CASE),
            activities: Vec::new(),
        })
    })
}

/// Texts that are the same aspect: the two tables differ in accents and line breaks.
fn same_text(a: &str, b: &str) -> bool {
    fold(a).split_whitespace().eq(fold(b).split_whitespace())
}

/// The aspect a run of activity rows belongs to: the row that opens it, and the aspect's index
/// among the aspects read, when it was found.
struct Group {
    row: usize,
    number: Option<u32>,
    text: String,
    document: Option<DocumentType>,
    aspect: Option<usize>,
    activities: HashMap<u32, usize>,
    /// Ámbito, área coordinadora and resultados esperados as the opening row has them.
    header: [String; 3],
}

fn read_activities(table: &Table, aspects: &mut [(usize, Item)], problems: &mut Vec<Problem>) {
    const ASPECT_CELLS: [&str; 3] = [MANAGEMENT, COORDINATOR, EXPECTED];
    let mut group: Option<Group> = None;
    let mut numbers: HashMap<(DocumentType, u32), usize> = HashMap::new();
    let mut opened: HashMap<usize, usize> = HashMap::new();
    let read = rows(table, ACTIVITIES_LAYOUT, problems, |cells| {
        let number = cells.optional(NUMBER);
        let text = cells.text(ASPECT);
        let continues = group.as_ref().is_some_and(|g| {
            (number.is_none() && text.is_empty())
                || (number.as_deref().and_then(parse_number) == g.number
                    && same_text(&text, &g.text))
        });
        if continues {
            let g = group.as_ref()?;
            let document = cells.text(DOCUMENT);
            if !document.is_empty() && DocumentType::parse(&document) != g.document {
                cells.report(
                    Some(DOCUMENT),
                    ProblemKind::DocumentMismatch {
                        found: document,
                        row: g.row,
                    },
                );
            }
            for (field, first) in ASPECT_CELLS.into_iter().zip(&g.header) {
                let cell = cells.text(field);
                if !cell.is_empty() && cell != *first {
                    cells.report(Some(field), ProblemKind::DifferentFromAspectRow(g.row));
                }
            }
        } else if number.is_none() && text.is_empty() {
            cells.report(None, ProblemKind::NoAspect);
        } else {
            group = Some(open_group(cells, aspects, &mut numbers, &mut opened));
        }
        let g = group.as_mut()?;
        let activity = read_activity(cells, &mut g.activities);
        Some((g.aspect?, activity?))
    });
    for (_, (aspect, activity)) in read {
        aspects[aspect].1.activities.push(activity);
    }
}

/// The row that opens an aspect's activities: the aspect it names, found by document and text.
fn open_group(
    cells: &mut Cells,
    aspects: &mut [(usize, Item)],
    numbers: &mut HashMap<(DocumentType, u32), usize>,
    opened: &mut HashMap<usize, usize>,
) -> Group {
    let row = cells.row.number;
    let document = cells.required(DOCUMENT).and_then(|d| cells.document(&d));
    let number = cells.number(NUMBER);
    let text = cells.required(ASPECT).unwrap_or_default();
    let management = cells
        .required(MANAGEMENT)
        .and_then(|m| cells.management(MANAGEMENT, &m));
    let header = [MANAGEMENT, COORDINATOR, EXPECTED].map(|field| cells.text(field));
    let mut found = None;
    if let Some(document) = document {
        if let Some(number) = number {
            if let Some(&first) = numbers.get(&(document, number)) {
                cells.report(Some(NUMBER), ProblemKind::Repeated { number, row: first });
            } else {
                numbers.insert((document, number), row);
            }
        }
        found = aspects.iter().position(|(_, item)| {
            matches!(&item.kind, ItemKind::Aspect(a) if a.document == document)
                && same_text(&item.text, &text)
        });
        if found.is_none() && !text.is_empty() {
            cells.report(
                Some(ASPECT),
                ProblemKind::UnknownAspect(document_label(document)),
            );
        }
    }
    if let Some(index) = found {
        if let Some(&first) = opened.get(&index) {
            cells.report(Some(ASPECT), ProblemKind::AspectRepeated(first));
        } else {
            opened.insert(index, row);
        }
        let item = &mut aspects[index].1;
        if let ItemKind::Aspect(aspect) = &mut item.kind {
            if let Some(management) = management
                && management != aspect.management
            {
                cells.report(
                    Some(MANAGEMENT),
                    ProblemKind::ManagementMismatch {
                        found: management.as_str(),
                        expected: aspect.management.as_str(),
                    },
                );
            }
            aspect.coordinator = cells.optional(COORDINATOR);
        }
        item.expected_results = cells.optional(EXPECTED);
    }
    Group {
        row,
        number,
        text,
        document,
        aspect: found,
        activities: HashMap::new(),
        header,
    }
}

fn document_label(document: DocumentType) -> &'static str {
    match document {
        DocumentType::Specific => "documento específico",
        DocumentType::Institutional => "documento institucional",
        DocumentType::Interinstitutional => "documento interinstitucional",
        DocumentType::Intergovernmental => "documento intergubernamental",
    }
}

fn read_activity(cells: &mut Cells, numbers: &mut HashMap<u32, usize>) -> Option<Activity> {
    let number = cells.number(ACTIVITY);
    once(numbers, number, cells, ACTIVITY);
    let description = cells.required(ACTIVITIES);
    let (start, end) = (cells.date(START), cells.date(END));
    let products = cells.required(PRODUCTS);
    let responsible = cells.lines(RESPONSIBLE);
    if responsible.is_empty() {
        cells.report(Some(RESPONSIBLE), ProblemKind::Empty);
    }
    let progress = match cells.optional(PROGRESS) {
        None => Some(Progress::default()),
        Some(text) => {
            let progress = text
                .trim_end_matches('%')
                .trim()
                .parse::<u8>()
                .ok()
                .and_then(|p| Progress::new(p).ok());
            if progress.is_none() {
                cells.report(Some(PROGRESS), ProblemKind::NotAProgress(text));
            }
            progress
        }
    };
    let reason = cells.text(JUSTIFICATION);
    let closure = match cells.optional(STATUS) {
        None => None,
        Some(status) => match fold(&status).as_str() {
            "justificado" => Some(Closure::Justified { reason }),
            "no atendido" => Some(Closure::NotAttended { reason }),
            _ => {
                cells.report(Some(STATUS), ProblemKind::NotAClosure(status));
                None
            }
        },
    };
    let mut activity = match Activity::planned(
        number?,
        description?,
        (start?, end?),
        products?,
        responsible,
    ) {
        Ok(activity) => activity,
        Err(e) => {
            cells.report(Some(END), e.into());
            return None;
        }
    };
    for name in cells.lines(EVIDENCE) {
        activity.attach(Evidence { name });
    }
    if let Err(e) = activity.record_progress(progress?) {
        cells.report(Some(PROGRESS), e.into());
    }
    activity.closure = closure;
    Some(activity)
}

#[cfg(test)]
mod tests {
    use super::parse_date;
    use jiff::civil::date;

    #[test]
    fn dates_as_the_seed_and_spreadsheets_write_them() {
        assert_eq!(parse_date("04-05-2017"), Some(date(2017, 5, 4)));
        assert_eq!(parse_date("4/5/2017"), Some(date(2017, 5, 4)));
        assert_eq!(parse_date("2017-05-04"), Some(date(2017, 5, 4)));
        assert_eq!(parse_date("31-02-2017"), None);
        assert_eq!(parse_date("04-05-17"), None);
        assert_eq!(parse_date("mayo 2017"), None);
        assert_eq!(parse_date("+4-05-2017"), None);
    }
}
