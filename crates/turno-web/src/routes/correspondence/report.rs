//! `GET /correspondencia/informes`: «Reportes de correspondencia», a unit's report for a period
//! (`turno_app::correspondence::report`): the form (unit, the units below it, from and to), the
//! figures, and the same as CSV, XLSX or PDF (`formato=csv|xlsx|pdf`). A form with problems is
//! shown again with each next to its field and what was typed kept (422). With the units below,
//! the breakdown per unit as a table and as a chart drawn here (SVG, no script: its title and
//! description read the figures, and the table is its fallback).

use crate::chooser::UnitGroups;
use crate::documents::TableFile;
use crate::error::AppError;
use crate::filters;
use crate::forms::{Again, Submitted, shown_again, single};
use crate::page::{Frame, Layout};
use crate::state::AppState;
use crate::svg;
use crate::views::signed_in;
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use turno_app::correspondence::report::{self, Asked, UnitReport};
use turno_domain::correspondence::{AGE_BUCKETS, LINE_HEADINGS, UnitLine, bucket_label};
use turno_store::Store;

/// The fields of the form, as the application names their problems.
const FIELDS: [&str; 3] = ["unidad", "desde", "hasta"];

#[derive(Template)]
#[template(path = "correspondence_report.html")]
struct ReportPage {
    layout: Layout,
    entered: Again,
    units: UnitGroups,
    /// The form's dates when not typed: the month so far.
    desde: String,
    hasta: String,
    below: bool,
    report: Option<UnitReport>,
    /// Pending turns by age: the bucket's label and its count.
    ages: Vec<(String, u32)>,
    /// The query of the files' links.
    query: String,
    /// The headings of the breakdown's figures.
    headings: [&'static str; 11],
    /// The breakdown per unit as a chart, when there is one.
    chart: Option<String>,
}

/// The figure of a unit's line that a series of the chart draws.
type Figure = fn(&UnitLine) -> u32;

/// The series of the breakdown's chart: the label, the colour (each at least 3:1 against the
/// white page) and the figure of a unit's line.
const SERIES: [(&str, &str, Figure); 3] = [
    ("Recibidos", "#1f5f8b", |l| l.report.received),
    ("Atendidos en tiempo", "#2e6b30", |l| {
        l.report.answered_in_time
    }),
    ("Atendidos fuera de plazo", "#a4262c", |l| {
        l.report.answered_late
    }),
];

/// The breakdown per unit as a grouped bar chart (`svg::grouped_bars`): for each unit, a bar
/// for the turns received, answered in time and answered late.
fn breakdown_chart(lines: &[UnitLine]) -> String {
    let groups: Vec<(String, Vec<u64>)> = lines
        .iter()
        .map(|l| {
            (
                format!("{} {}", l.code, l.name),
                SERIES
                    .iter()
                    .map(|(_, _, figure)| u64::from(figure(l)))
                    .collect(),
            )
        })
        .collect();
    let series: Vec<(&str, &str)> = SERIES.iter().map(|(l, c, _)| (*l, *c)).collect();
    svg::grouped_bars(
        "grafica-unidades",
        "Turnos recibidos, atendidos en tiempo y fuera de plazo por unidad",
        &series,
        &groups,
    )
}

/// What was asked, read from the query.
fn asked(query: &Submitted) -> Asked<'_> {
    Asked {
        unit: single(query, "unidad").unwrap_or_default(),
        below: single(query, "subordinadas").is_some_and(|v| v == "si"),
        from: single(query, "desde").unwrap_or_default(),
        to: single(query, "hasta").unwrap_or_default(),
    }
}

/// The query string of a report asked, for its files' links.
fn query_of(asked: &Asked<'_>) -> String {
    crate::routes::search::query_string(&[
        ("unidad", asked.unit.trim()),
        ("desde", asked.from.trim()),
        ("hasta", asked.to.trim()),
        ("subordinadas", if asked.below { "si" } else { "" }),
    ])
}

/// The report as a download in `format`; `None` for the page.
fn file(made: &UnitReport, format: &str) -> Result<Option<Response>, AppError> {
    let file = match format {
        "" | "html" => return Ok(None),
        "csv" => TableFile::Csv(made.csv()),
        "xlsx" => TableFile::Xlsx(made.xlsx().map_err(anyhow::Error::from)?),
        "pdf" => TableFile::Pdf(super::pdf::report(made)?),
        other => {
            return Err(AppError::BadRequest(format!(
                "«{other}» no es un formato de descarga (csv, xlsx o pdf)."
            )));
        }
    };
    let name = made.file_name();
    file.download(&name)
        .map(Some)
        .map_err(|e| AppError::Internal(e.into()))
}

pub async fn get(
    State(state): State<AppState>,
    frame: Frame,
    Query(query): Query<Submitted>,
) -> Result<Response, AppError> {
    let user = signed_in(&frame)?;
    let asked = asked(&query);
    let sent = FIELDS.iter().any(|f| single(&query, f).is_some());
    let (made, entered) = if sent {
        match report::report(&state, user, asked).await {
            Ok(made) => (Some(made), Again::filled(query.clone())),
            Err(error) => (None, Again::refused(query.clone(), error, &FIELDS)?),
        }
    } else {
        (None, Again::default())
    };
    if let Some(made) = &made
        && let Some(response) = file(made, single(&query, "formato").unwrap_or_default())?
    {
        return Ok(response);
    }
    let visible = report::units(&state, user).await?;
    let chart = state.store.organization().await?;
    let chosen = match asked.unit.trim() {
        "" => user
            .memberships
            .first()
            .map(|m| m.unit_code.clone())
            .unwrap_or_default(),
        typed => typed.to_owned(),
    };
    let units = UnitGroups::new(
        &chart,
        |code| visible.iter().any(|u| u.code == code),
        &[chosen.as_str()],
    );
    let today = state.moment().today;
    let first = today.first_of_month();
    let page = ReportPage {
        layout: frame.layout,
        desde: if sent {
            asked.from.to_owned()
        } else {
            first.to_string()
        },
        hasta: if sent {
            asked.to.to_owned()
        } else {
            today.to_string()
        },
        below: asked.below,
        ages: made
            .as_ref()
            .map(|m| {
                AGE_BUCKETS
                    .iter()
                    .zip(m.report.pending_by_age)
                    .map(|(b, n)| (bucket_label(*b), n))
                    .collect()
            })
            .unwrap_or_default(),
        query: query_of(&asked),
        headings: LINE_HEADINGS,
        chart: made
            .as_ref()
            .filter(|m| !m.lines.is_empty())
            .map(|m| breakdown_chart(&m.lines)),
        report: made,
        units,
        entered,
    };
    let status = if page.entered.is_refused() {
        page.entered.status()
    } else {
        axum::http::StatusCode::OK
    };
    shown_again(status, &page)
}
