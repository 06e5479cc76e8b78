//! Writing a program back to the three tables it is read from, as rows of strings (the CLI
//! makes them CSV with `table::to_csv` or a spreadsheet's sheets). Reading them gives the same
//! program; follow-up columns nobody filled are left out, so a plan exports to the seed's own
//! columns.

use super::asm::Acceptance;
use super::layout::*;
use super::model::{Activity, Closure, Item, Program};
use super::read::parse_date;
use super::table::layout_rows;
use jiff::civil::Date;

/// The seed's DD-MM-AAAA.
/// The names of an activity's evidence, one a line, as a cell.
pub(super) fn evidence_names(activity: &Activity) -> String {
    activity
        .evidence()
        .iter()
        .map(|e| e.name.as_str())
        .collect::<Vec<_>>()
        .join("\n")
}

pub(super) fn date(date: Date) -> String {
    date.strftime("%d-%m-%Y").to_string()
}

pub fn write_recommendations(program: &Program) -> Vec<Vec<String>> {
    let data = program
        .recommendations()
        .map(|(item, r)| {
            let (acceptance, justification) = match &r.acceptance {
                Acceptance::Accepted => ("SÍ".to_owned(), String::new()),
                Acceptance::NotAccepted(j) => ("NO".to_owned(), j.to_text()),
            };
            vec![
                item.number.to_string(),
                r.evaluation_year.to_string(),
                item.text.clone(),
                r.management
                    .map(|m| m.as_str().to_owned())
                    .unwrap_or_default(),
                acceptance,
                justification,
                item.case_folio.clone().unwrap_or_default(),
            ]
        })
        .collect();
    layout_rows(RECOMMENDATIONS_LAYOUT, data)
}

pub fn write_aspects(program: &Program) -> Vec<Vec<String>> {
    let data = program
        .aspects()
        .map(|(item, a)| {
            vec![
                item.number.to_string(),
                item.text.clone(),
                a.document.as_str().to_owned(),
                a.management.as_str().to_owned(),
                date(a.start),
                date(a.end),
                a.products.clone(),
                a.recommendations
                    .iter()
                    .map(u32::to_string)
                    .collect::<Vec<_>>()
                    .join(", "),
                item.case_folio.clone().unwrap_or_default(),
            ]
        })
        .collect();
    layout_rows(ASPECTS_LAYOUT, data)
}

/// One row per activity, grouped by aspect; the aspect's own cells on its first row only, as
/// in the seed. Aspects are numbered as in the aspects table.
pub fn write_activities(program: &Program) -> Vec<Vec<String>> {
    let mut data = Vec::new();
    for (item, aspect) in program.aspects() {
        for (i, activity) in item.activities.iter().enumerate() {
            let first = |text: String| if i == 0 { text } else { String::new() };
            let mut row = vec![
                aspect.document.as_str().to_owned(),
                first(item.number.to_string()),
                first(item.text.clone()),
                first(aspect.management.as_str().to_owned()),
                first(aspect.coordinator.clone().unwrap_or_default()),
            ];
            row.extend(activity_cells(item, activity, i == 0));
            data.push(row);
        }
    }
    layout_rows(ACTIVITIES_LAYOUT, data)
}

/// The signatures that go under the activities table (`read_program` reads them back there):
/// «Elaboró» and «Autorizó» over the names; nothing when the program is not signed.
pub fn write_sign_off(program: &Program) -> Vec<Vec<String>> {
    program
        .sign_off
        .iter()
        .flat_map(|s| {
            [
                vec![PREPARED.to_owned(), AUTHORIZED.to_owned()],
                vec![s.prepared_by.clone(), s.authorized_by.clone()],
            ]
        })
        .collect()
}

fn activity_cells(item: &Item, activity: &Activity, first: bool) -> Vec<String> {
    let progress = activity.progress().percent();
    let (status, reason) = match &activity.closure {
        None => (String::new(), String::new()),
        Some(Closure::Justified { reason }) => ("justificado".to_owned(), reason.clone()),
        Some(Closure::NotAttended { reason }) => ("no atendido".to_owned(), reason.clone()),
    };
    vec![
        activity.number.to_string(),
        activity.description.clone(),
        date(activity.start()),
        date(activity.end()),
        activity.products.clone(),
        activity.responsible.join("\n"),
        if first {
            item.expected_results.clone().unwrap_or_default()
        } else {
            String::new()
        },
        if progress == 0 {
            String::new()
        } else {
            progress.to_string()
        },
        evidence_names(activity),
        status,
        reason,
    ]
}

/// The program's three tables as one workbook (the sheets named like the seed's tables,
/// headers bold, dates as dates), with the sign-off block under the activities: what
/// `turno export asm --format xlsx` writes and the follow-up pages download.
pub fn workbook(program: &Program) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    use rust_xlsxwriter::{Format, FormatAlign, Workbook};
    let tables = [
        (Layout::Recommendations, write_recommendations(program)),
        (Layout::Aspects, write_aspects(program)),
        (Layout::Activities, write_activities(program)),
    ];
    let sign_off = write_sign_off(program);
    let bold = Format::new().set_bold();
    let text = Format::new().set_text_wrap().set_align(FormatAlign::Top);
    let date = text.clone().set_num_format("dd-mm-yyyy");
    let mut workbook = Workbook::new();
    for (layout, rows) in tables {
        let sheet = workbook.add_worksheet();
        sheet.set_name(layout.title())?;
        let Some((header, data)) = rows.split_first() else {
            continue;
        };
        let mut dates = Vec::new();
        for (c, name) in header.iter().enumerate() {
            let c = c as u16;
            sheet.write_string_with_format(0, c, name, &bold)?;
            sheet.set_column_width(c, if name.len() > 12 { 30 } else { 12 })?;
            dates.push(DATE_COLUMNS.contains(&name.as_str()));
        }
        for (r, cells) in data.iter().enumerate() {
            let r = r as u32 + 1;
            for (c, cell) in cells.iter().enumerate() {
                match parse_date(cell).filter(|_| dates.get(c) == Some(&true)) {
                    Some(day) => sheet.write_datetime_with_format(r, c as u16, day, &date)?,
                    None => sheet.write_string_with_format(r, c as u16, cell, &text)?,
                };
            }
        }
        sheet.set_freeze_panes(1, 0)?;
        if layout == Layout::Activities {
            let below = rows.len() as u32 + 1;
            for (r, cells) in sign_off.iter().enumerate() {
                let format = if r == 0 { &bold } else { &text };
                for (c, cell) in cells.iter().enumerate() {
                    sheet.write_string_with_format(below + r as u32, c as u16, cell, format)?;
                }
            }
        }
    }
    workbook.save_to_buffer()
}
