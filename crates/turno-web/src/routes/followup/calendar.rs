//! `GET /seguimiento/{key}/calendario`: the compliance calendar seed 002 asks the Dirección to
//! send to the technical areas: the activities by the month they are due, with their
//! responsible areas and dates; printable, and as CSV (`?formato=csv`) through the domain's
//! `to_csv`.

use super::{day, load};
use crate::error::AppError;
use crate::page::{Frame, Layout};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use std::collections::BTreeMap;
use turno_domain::calendar::MONTHS;
use turno_domain::followup::to_csv;

#[derive(Deserialize)]
pub struct Format {
    formato: Option<String>,
}

pub struct Entry {
    pub item: String,
    pub item_label: String,
    pub number: u32,
    pub description: String,
    pub responsible: String,
    pub start: String,
    pub end: String,
    pub status: &'static str,
}

#[derive(Template)]
#[template(path = "followup_calendar.html")]
struct CalendarPage {
    layout: Layout,
    key: String,
    name: String,
    months: Vec<(String, Vec<Entry>)>,
}

pub async fn get(
    State(state): State<AppState>,
    frame: Frame,
    Path(key): Path<String>,
    Query(format): Query<Format>,
) -> Result<Response, AppError> {
    let program = load(&state, &key).await?;
    let today = state.today();
    let mut by_month: BTreeMap<(i16, i8), Vec<(jiff::civil::Date, Entry)>> = BTreeMap::new();
    for item in &program.items {
        for a in &item.activities {
            let end = a.end();
            by_month
                .entry((end.year(), end.month()))
                .or_default()
                .push((
                    end,
                    Entry {
                        item: item.key(),
                        item_label: format!("{} {}", item.kind.label(), item.number),
                        number: a.number,
                        description: a.description.clone(),
                        responsible: a.responsible.join(", "),
                        start: day(a.start()),
                        end: day(end),
                        status: a.status(today).as_str(),
                    },
                ));
        }
    }
    let months: Vec<(String, Vec<Entry>)> = by_month
        .into_iter()
        .map(|((year, month), mut entries)| {
            entries.sort_by_key(|(end, _)| *end);
            let name = MONTHS[usize::try_from(month - 1).unwrap_or(0)];
            (
                format!("{name} de {year}"),
                entries.into_iter().map(|(_, e)| e).collect(),
            )
        })
        .collect();
    if format.formato.as_deref() == Some("csv") {
        let mut rows = vec![
            [
                "Mes",
                "Elemento",
                "Actividad",
                "Descripción",
                "Área responsable",
                "Fecha de inicio",
                "Fecha de término",
                "Estatus",
            ]
            .map(String::from)
            .to_vec(),
        ];
        for (month, entries) in &months {
            for e in entries {
                rows.push(vec![
                    month.clone(),
                    e.item_label.clone(),
                    e.number.to_string(),
                    e.description.clone(),
                    e.responsible.clone(),
                    e.start.clone(),
                    e.end.clone(),
                    e.status.to_owned(),
                ]);
            }
        }
        let disposition = format!("attachment; filename=\"calendario-{key}.csv\"");
        // With a BOM, as `turno export asm` writes, so that Excel reads the accents.
        return Ok((
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
                (header::CONTENT_DISPOSITION, disposition),
            ],
            format!("\u{feff}{}", to_csv(&rows)),
        )
            .into_response());
    }
    let page = CalendarPage {
        layout: frame.layout,
        name: program.name.clone(),
        months,
        key,
    };
    crate::page::html(&page)
}
