//! The table «Descripción del procedimiento». A word processor's text starts every cell with a
//! tab (the lines after it, up to the next tab, are the same cell); two layouts are read:
//!
//! - *Secuencia de etapas | Actividad | Responsable*: a stage cell («2.0 Revisión …»), the
//!   cell of its activities («2.1 Revisa …», documents, decisions) and the cell of its
//!   responsibles.
//! - *Responsable | No. Act. | Descripción de la actividad | Documento o anexo*: a row per
//!   activity, its responsible cell empty when the one above goes on.
//!
//! Text without cells (a PDF's layout) is read by its columns when it has the second layout's
//! header ([`super::columns`]); otherwise line by line: stage headings and numbered
//! activities, the responsible left to review.

use super::columns::Item;
use super::flow::{self, Resolve};
use super::lines::{Line, Place};
use super::sections::squash;
use super::units::Matcher;
use super::{GlossaryEntry, Participant, Report, Stage, Unit};
use crate::text::fold;

/// A table cell: its lines, the first without its tab.
#[derive(Debug, Clone)]
pub struct Cell {
    pub lines: Vec<Line>,
    pub place: Place,
}

impl Cell {
    pub fn text(&self) -> String {
        self.lines
            .iter()
            .map(|l| l.trimmed())
            .collect::<Vec<_>>()
            .join("\n")
            .trim()
            .to_owned()
    }
}

/// The cells of a table's text; lines before the first cell are dropped.
pub fn cells(body: &[Line]) -> Vec<Cell> {
    let mut out: Vec<Cell> = Vec::new();
    for line in body {
        if line.is_cell() {
            let mut first = line.clone();
            first.text = first.text.trim_start_matches('\t').to_owned();
            out.push(Cell {
                place: line.place,
                lines: vec![first],
            });
        } else if let Some(cell) = out.last_mut() {
            cell.lines.push(line.clone());
        }
    }
    out
}

const HEADERS: [&str; 10] = [
    "secuencia de etapas",
    "actividad",
    "actividades",
    "responsable",
    "area responsable",
    "no. act.",
    "no. act",
    "descripcion de la actividad",
    "descripcion de actividades",
    "documento o anexo",
];

fn is_header(text: &str) -> bool {
    let folded = fold(&squash(text));
    HEADERS.contains(&folded.as_str())
}

/// A stage cell's number and name: «2.0 Revisión …», «1. Requerimiento …».
pub fn stage_heading(text: &str) -> Option<(String, String)> {
    let first = text.lines().next()?.trim();
    let head: String = first
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '.')
        .collect();
    let major = head.trim_end_matches('.');
    let major = major.strip_suffix(".0").unwrap_or(major);
    if major.is_empty() || !major.chars().all(|c| c.is_ascii_digit()) || major.len() > 3 {
        return None;
    }
    let name = first[head.len()..].trim();
    if name.is_empty() || !name.starts_with(char::is_alphabetic) {
        return None;
    }
    Some((head, name.trim_end_matches('.').trim().to_owned()))
}

/// An activity line's number and text: «2.1 Revisa …», «6.2. Envía …».
pub fn activity_heading(text: &str) -> Option<(String, String)> {
    let (number, rest) = super::sections::numbered(text)?;
    let parts: Vec<&str> = number.split('.').collect();
    if parts.len() != 2 || parts[1] == "0" {
        return None;
    }
    Some((number, rest))
}

/// The stages, their activities and the participants of a description table.
pub(crate) fn read(
    body: &[Line],
    units: &[Unit],
    glossary: &[GlossaryEntry],
    report: &mut Report,
) -> (Vec<Stage>, Vec<Participant>) {
    let mut matcher = Matcher::new(units, glossary);
    let cells = cells(body);
    let guia = cells
        .iter()
        .take(8)
        .any(|c| matches!(fold(&squash(&c.text())).as_str(), "no. act." | "no. act"));
    let mut stages = if cells.is_empty() {
        match super::columns::rows(body) {
            Some(items) => by_columns(&items, &mut matcher, report),
            None => lines_only(body, report),
        }
    } else if guia {
        by_rows(&cells, &mut matcher, report)
    } else {
        by_stages(&cells, &mut matcher, report)
    };
    number_uniquely(&mut stages, report);
    flow::expiry_paths(&mut stages, report);
    let resolve = Resolve::new(&stages);
    for stage in &mut stages {
        for activity in &mut stage.activities {
            resolve.activity(activity, report);
        }
    }
    flow::pass_through(&mut stages, report);
    flow::ensure_end(&mut stages, report);
    let mut previous: Vec<String> = Vec::new();
    for stage in &mut stages {
        if stage.responsible.is_empty() {
            if previous.is_empty() {
                previous = vec![matcher.unassigned()];
            }
            report.add(
                stage.place,
                format!(
                    "la etapa {} no tiene responsable: se le dio el de la etapa anterior ({}); corríjalo",
                    stage.number,
                    previous.join(", ")
                ),
            );
            stage.responsible = previous.clone();
        }
        previous = stage.responsible.clone();
    }
    (stages, matcher.participants())
}

/// *Secuencia de etapas | Actividad | Responsable*.
fn by_stages(cells: &[Cell], matcher: &mut Matcher, report: &mut Report) -> Vec<Stage> {
    let mut stages: Vec<Stage> = Vec::new();
    let mut after_activities = false;
    for cell in cells {
        let text = cell.text();
        if text.is_empty() || is_header(&text) {
            continue;
        }
        if activity_heading(&text).is_some() {
            if stages.is_empty() {
                report.add(
                    cell.place,
                    "actividades antes de la primera etapa: se creó la etapa 1.0",
                );
                stages.push(Stage {
                    number: "1.0".into(),
                    name: "Etapa sin nombre".into(),
                    place: cell.place,
                    ..Stage::default()
                });
            }
            if let Some(stage) = stages.last_mut() {
                stage
                    .activities
                    .extend(flow::activities(&cell.lines, report));
            }
            after_activities = true;
            continue;
        }
        if !after_activities && let Some((number, name)) = stage_heading(&text) {
            // «32.0 Distribución …» then «32.0 Envía …»: the second cell, where the stage's
            // activities go, is its one activity, printed with the stage's number.
            if let Some(stage) = stages.last_mut()
                && stage.activities.is_empty()
                && stage.manual_number.as_deref().unwrap_or(&stage.number)
                    == number.trim_end_matches('.')
            {
                let major = stage.number.trim_end_matches(".0").to_owned();
                let id = format!("{major}.1");
                let mut lines = cell.lines.clone();
                if let Some(first) = lines.first_mut() {
                    first.text = format!("{id} {name}");
                }
                let mut activities = flow::activities(&lines, report);
                if let Some(first) = activities.first_mut() {
                    first.manual_number = Some(number.trim_end_matches('.').to_owned());
                }
                report.add(
                    cell.place,
                    format!("la actividad de la etapa {number} está numerada como la etapa: se lee como {id}"),
                );
                stage.activities.extend(activities);
                after_activities = true;
                continue;
            }
            stages.push(new_stage(&number, &name, cell.place));
            continue;
        }
        if after_activities && let Some(stage) = stages.last_mut() {
            if stage.responsible.is_empty() {
                stage.responsible = matcher.responsibles(&cell.lines, report);
                after_activities = false;
            }
            continue;
        }
        if let Some((number, name)) = stage_heading(&text) {
            stages.push(new_stage(&number, &name, cell.place));
            continue;
        }
        report.add(
            cell.place,
            format!(
                "celda que no es etapa, actividad ni responsable: «{}»; no se leyó",
                short(&text)
            ),
        );
    }
    stages
}

fn new_stage(number: &str, name: &str, place: Place) -> Stage {
    let trimmed = number.trim_end_matches('.');
    let id = if trimmed.contains('.') {
        trimmed.to_owned()
    } else {
        format!("{trimmed}.0")
    };
    Stage {
        manual_number: (id != number).then(|| number.to_owned()),
        number: id,
        name: name.to_owned(),
        place,
        ..Stage::default()
    }
}

/// *Responsable | No. Act. | Descripción de la actividad | Documento o anexo*: every activity
/// is a stage of its own (the layout has no stages), named after its number.
fn by_rows(cells: &[Cell], matcher: &mut Matcher, report: &mut Report) -> Vec<Stage> {
    let mut start = 0;
    while start < cells.len() && (cells[start].text().is_empty() || is_header(&cells[start].text()))
    {
        start += 1;
    }
    let mut stages: Vec<Stage> = Vec::new();
    let mut responsible: Vec<String> = Vec::new();
    for row in cells[start..].chunks(4) {
        if row
            .iter()
            .all(|c| is_header(&c.text()) || c.text().is_empty())
        {
            continue;
        }
        let [who, number, description, document] = row else {
            report.add(
                row[0].place,
                "fila incompleta en la descripción del procedimiento: no se leyó",
            );
            continue;
        };
        let documents: Vec<String> = document.text().lines().map(str::to_owned).collect();
        let row = [who, number, description];
        if let Some(stage) = guia_row(row, &documents, &mut responsible, matcher, report) {
            stages.push(stage);
        }
    }
    stages
}

/// One row of *Responsable | No. Act. | Descripción de la actividad | Documento o anexo*
/// (the documents one to a line) read into a stage of its one activity; `responsible` is the
/// row above's, kept when this row's cell is empty.
fn guia_row(
    [who, number, description]: [&Cell; 3],
    documents: &[String],
    responsible: &mut Vec<String>,
    matcher: &mut Matcher,
    report: &mut Report,
) -> Option<Stage> {
    let number_text = squash(&number.text());
    // «35.1 29.1»: a second number printed under the activity's is kept as printed.
    let (id, also) = number_text
        .split_once(' ')
        .unwrap_or((number_text.as_str(), ""));
    let id = id.trim_end_matches('.');
    let numeric =
        |text: &str| !text.is_empty() && text.chars().all(|c| c.is_ascii_digit() || c == '.');
    if !numeric(id) || !also.split_whitespace().all(numeric) {
        report.add(
            number.place,
            format!(
                "se esperaba el número de la actividad y se encontró «{}»",
                short(&number_text)
            ),
        );
        return None;
    }
    if !who.text().is_empty() {
        *responsible = matcher.responsibles(&who.lines, report);
    }
    // An activity printed «37.0» (its stage's number) is the stage's first, «37.1».
    let printed = id;
    let first_of_stage = id
        .strip_suffix(".0")
        .filter(|major| !major.contains('.'))
        .map(|major| format!("{major}.1"));
    let id = first_of_stage.as_deref().unwrap_or(id);
    let mut lines = description.lines.clone();
    if let Some(first) = lines.first_mut() {
        first.text = format!("{id} {}", first.text.trim());
    }
    let mut activities = flow::activities_numbered(&lines, id, report);
    if first_of_stage.is_some()
        && let Some(first) = activities.first_mut()
    {
        report.add(
            first.place,
            format!(
                "la actividad impresa «{printed}» lleva el número de su etapa: se lee como «{id}»"
            ),
        );
        first.manual_number = Some(printed.to_owned());
    }
    if !also.is_empty()
        && let Some(first) = activities.first_mut()
    {
        report.add(
            first.place,
            format!(
                "la actividad {id} lleva impreso también «{also}»: se lee como {id}; revise el número"
            ),
        );
        first.manual_number = Some(number_text.clone());
    }
    let documents: Vec<String> = documents
        .iter()
        .map(|d| squash(d.trim_start_matches(['·', '*', '-', '•'])))
        .filter(|d| !d.is_empty())
        .collect();
    for activity in &mut activities {
        activity.documents.extend(documents.iter().cloned());
    }
    let mut stage = new_stage(printed, &short(&squash(&description.text())), number.place);
    stage.responsible = responsible.clone();
    stage.activities = activities;
    Some(stage)
}

/// The rows a PDF's layout gave ([`super::columns`]): the activities under a stage's heading
/// make that stage while their responsible stays the same (a stage has one); a row of another
/// responsible starts a stage of its own, named after the heading too. Without headings every
/// activity is a stage of its own. A document cell with blank lines holds a document between
/// them (its lines wrapped); without, one to a line.
fn by_columns(items: &[Item], matcher: &mut Matcher, report: &mut Report) -> Vec<Stage> {
    let mut stages: Vec<Stage> = Vec::new();
    let mut responsible: Vec<String> = Vec::new();
    // The heading the rows are under, and whether a stage took its number yet.
    let mut heading: Option<(String, String, Place, bool)> = None;
    for item in items {
        let [who, number, description, document] = match item {
            Item::Heading(cell) => {
                heading = stage_heading(&squash(&cell.text()))
                    .map(|(number, name)| (number, name, cell.place, false));
                continue;
            }
            Item::Row(row) => row,
        };
        let documents = paragraphs(&document.lines);
        let row = [who, number, description];
        let Some(mut stage) = guia_row(row, &documents, &mut responsible, matcher, report) else {
            continue;
        };
        if let Some((number, name, place, used)) = &mut heading {
            if *used
                && let Some(last) = stages.last_mut()
                && last.responsible == stage.responsible
            {
                last.activities.append(&mut stage.activities);
                continue;
            }
            if !*used {
                let named = new_stage(number, name, *place);
                stage.number = named.number;
                stage.manual_number = named.manual_number;
                stage.place = named.place;
                *used = true;
            }
            stage.name = name.clone();
        }
        stages.push(stage);
    }
    stages
}

/// A cell's lines as paragraphs: the lines between blank ones run together when the cell has
/// blank lines between its texts; else each line is one.
fn paragraphs(lines: &[Line]) -> Vec<String> {
    let texts: Vec<&str> = lines.iter().map(Line::trimmed).collect();
    let spaced = texts
        .iter()
        .skip_while(|t| t.is_empty())
        .skip_while(|t| !t.is_empty())
        .any(|t| !t.is_empty());
    if !spaced {
        return texts
            .iter()
            .filter(|t| !t.is_empty())
            .map(|t| (*t).to_owned())
            .collect();
    }
    texts
        .split(|t| t.is_empty())
        .map(|group| group.join(" "))
        .filter(|p| !p.is_empty())
        .collect()
}

/// Text without table cells: a line «N.0 Nombre» opens a stage, «N.M …» an activity.
fn lines_only(body: &[Line], report: &mut Report) -> Vec<Stage> {
    let mut stages: Vec<Stage> = Vec::new();
    let mut pending: Vec<Line> = Vec::new();
    let flush = |stages: &mut Vec<Stage>, pending: &mut Vec<Line>, report: &mut Report| {
        if pending.is_empty() {
            return;
        }
        if let Some(stage) = stages.last_mut() {
            stage.activities.extend(flow::activities(pending, report));
        }
        pending.clear();
    };
    for line in body {
        let text = line.trimmed();
        if activity_heading(text).is_none()
            && let Some((number, name)) = stage_heading(text)
            && number.trim_end_matches('.').ends_with(".0")
        {
            flush(&mut stages, &mut pending, report);
            stages.push(new_stage(&number, &name, line.place));
            continue;
        }
        if !stages.is_empty() {
            pending.push(line.clone());
        }
    }
    flush(&mut stages, &mut pending, report);
    for stage in &stages {
        report.add(
            stage.place,
            format!(
                "la etapa {} se leyó sin columnas: su responsable no se pudo leer",
                stage.number
            ),
        );
    }
    stages
}

/// A repeated activity number gets a distinct id (`6.3b`) and keeps the printed one.
fn number_uniquely(stages: &mut [Stage], report: &mut Report) {
    extra_digit(stages, report);
    // A number printed twice, once outside its stage («4.1» under «3.0», then «4.1» under
    // «4.0»): the one outside is its stage's («3.1»), when that number is free.
    let mut printed: std::collections::BTreeMap<String, usize> = Default::default();
    for a in stages.iter().flat_map(|s| s.activities.iter()) {
        *printed.entry(a.number.clone()).or_default() += 1;
    }
    for stage in stages.iter_mut() {
        let major = stage.number.trim_end_matches('.');
        let major = major.strip_suffix(".0").unwrap_or(major).to_owned();
        for activity in &mut stage.activities {
            let Some((own, minor)) = activity.number.split_once('.') else {
                continue;
            };
            let id = format!("{major}.{minor}");
            if own == major
                || !major.chars().all(|c| c.is_ascii_digit())
                || printed.get(&activity.number) < Some(&2)
                || printed.contains_key(&id)
            {
                continue;
            }
            report.add(
                activity.place,
                format!(
                    "la actividad {} está numerada dos veces y esta vez fuera de su etapa {}: se lee como «{id}»",
                    activity.number, stage.number
                ),
            );
            if let Some(count) = printed.get_mut(&activity.number) {
                *count -= 1;
            }
            printed.insert(id.clone(), 1);
            activity.manual_number = Some(std::mem::replace(&mut activity.number, id));
        }
    }
    let mut seen = std::collections::BTreeSet::new();
    for stage in stages.iter_mut() {
        for activity in &mut stage.activities {
            if seen.insert(activity.number.clone()) {
                continue;
            }
            let printed = activity.number.clone();
            let mut id = format!("{printed}b");
            while !seen.insert(id.clone()) {
                id.push('b');
            }
            report.add(
                activity.place,
                format!(
                    "la actividad {printed} está numerada dos veces: la segunda se lee como «{id}»"
                ),
            );
            activity.manual_number = Some(printed);
            activity.number = id;
        }
    }
    let mut seen = std::collections::BTreeSet::new();
    for stage in stages.iter_mut() {
        if seen.insert(stage.number.clone()) {
            continue;
        }
        let printed = stage.number.clone();
        let mut id = format!("{printed}b");
        while !seen.insert(id.clone()) {
            id.push('b');
        }
        report.add(
            stage.place,
            format!("la etapa {printed} está numerada dos veces: la segunda se lee como «{id}»"),
        );
        stage.manual_number.get_or_insert(printed);
        stage.number = id;
    }
}

/// A number printed with a digit too many after the one before it in its stage («4.32»
/// after «4.2», no «4.3» anywhere, and no «4.33» after it) is the next one («4.3»).
fn extra_digit(stages: &mut [Stage], report: &mut Report) {
    let numbers: std::collections::BTreeSet<String> = stages
        .iter()
        .flat_map(|s| s.activities.iter().map(|a| a.number.clone()))
        .collect();
    let split = |number: &str| -> Option<(String, u32, String)> {
        let (major, minor) = number.split_once('.')?;
        let value = minor.parse().ok()?;
        Some((major.to_owned(), value, minor.to_owned()))
    };
    for stage in stages.iter_mut() {
        for i in 1..stage.activities.len() {
            let (Some((major, before, _)), Some((this_major, _, minor))) = (
                split(&stage.activities[i - 1].number),
                split(&stage.activities[i].number),
            ) else {
                continue;
            };
            let next = format!("{major}.{}", before + 1);
            let after = stage
                .activities
                .get(i + 1)
                .and_then(|a| split(&a.number))
                .map(|(_, value, _)| value);
            if this_major != major
                || minor.len() < 2
                || minor[..minor.len() - 1] != (before + 1).to_string()
                || numbers.contains(&next)
                || after.is_some_and(|value| value != before + 2)
            {
                continue;
            }
            let activity = &mut stage.activities[i];
            report.add(
                activity.place,
                format!(
                    "la actividad {} sigue a la {major}.{before}: se lee como «{next}», con un dígito de más",
                    activity.number
                ),
            );
            activity.manual_number = Some(std::mem::replace(&mut activity.number, next));
        }
    }
}

/// The first words of a long text, for a message.
pub fn short(text: &str) -> String {
    let text = squash(text);
    if text.chars().count() <= 60 {
        return text;
    }
    let cut: String = text.chars().take(57).collect();
    format!("{cut}…")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::manual::{Activity, Finding};

    fn stage(number: &str, activities: &[&str]) -> Stage {
        Stage {
            activities: activities
                .iter()
                .map(|n| Activity {
                    number: (*n).to_owned(),
                    ..Activity::default()
                })
                .collect(),
            ..new_stage(number, "Etapa", Place::default())
        }
    }

    /// Numbers `stages` uniquely, checks each activity's number and the number printed for
    /// it against `expected`, and gives what it reported.
    fn numbered(mut stages: Vec<Stage>, expected: &[(&str, Option<&str>)]) -> Vec<Finding> {
        let mut findings = Vec::new();
        number_uniquely(
            &mut stages,
            &mut Report {
                key: None,
                findings: &mut findings,
            },
        );
        let ids: Vec<(&str, Option<&str>)> = stages
            .iter()
            .flat_map(|s| &s.activities)
            .map(|a| (a.number.as_str(), a.manual_number.as_deref()))
            .collect();
        assert_eq!(ids, expected);
        findings
    }

    #[test]
    fn a_number_printed_twice_outside_its_stage_is_its_stages() {
        // «4.1» under «3.0», then «4.1» under «4.0»; «2.2» twice under «2.0».
        let stages = vec![
            stage("2.0", &["2.1", "2.2", "2.2"]),
            stage("3.0", &["4.1"]),
            stage("4.0", &["4.1", "4.2"]),
        ];
        let findings = numbered(
            stages,
            &[
                ("2.1", None),
                ("2.2", None),
                ("2.2b", Some("2.2")),
                ("3.1", Some("4.1")),
                ("4.1", None),
                ("4.2", None),
            ],
        );
        assert!(
            findings
                .iter()
                .any(|f| f.message.contains("fuera de su etapa 3.0"))
        );
    }

    #[test]
    fn a_number_with_a_digit_too_many_is_the_next_of_its_stage() {
        // «7.32» after «7.2» is 7.3; «8.10» after «8.9» and «9.21» before «9.22» are as printed.
        let stages = vec![
            stage("7.0", &["7.1", "7.2", "7.32"]),
            stage("8.0", &["8.9", "8.10"]),
            stage("9.0", &["9.1", "9.21", "9.22"]),
        ];
        let findings = numbered(
            stages,
            &[
                ("7.1", None),
                ("7.2", None),
                ("7.3", Some("7.32")),
                ("8.9", None),
                ("8.10", None),
                ("9.1", None),
                ("9.21", None),
                ("9.22", None),
            ],
        );
        assert!(findings.iter().any(|f| f.message.contains("dígito de más")));
    }
}
