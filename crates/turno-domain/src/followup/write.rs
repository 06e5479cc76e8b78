//! Writing a program back to the three tables it is read from, as rows of strings (the CLI
//! makes them CSV with `table::to_csv` or a spreadsheet's sheets). Reading them gives the same
//! program; follow-up columns nobody filled are left out, so a plan exports to the seed's own
//! columns.

use super::asm::Acceptance;
use super::layout::*;
use super::model::{Activity, Closure, Item, Program};
use super::table::layout_rows;
use jiff::civil::Date;

/// The seed's DD-MM-AAAA.
fn date(date: Date) -> String {
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
        activity
            .evidence()
            .iter()
            .map(|e| e.name.as_str())
            .collect::<Vec<_>>()
            .join("\n"),
        status,
        reason,
    ]
}
