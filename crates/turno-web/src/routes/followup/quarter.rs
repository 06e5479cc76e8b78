//! `GET /seguimiento/{key}/trimestre?anio=&trimestre=`: a program's report as of a quarter's
//! end (this quarter by default): each line's goal for the quarter, progress and status, the
//! overdue and closed lines and the weighted progress, with the changes recorded after that day
//! undone (`turno_app::programs::quarter`, as `GET /api/v1/programs/{key}/quarter`); as XLSX
//! (`&formato=xlsx`) and as a one-page PDF (`&formato=pdf`).

use crate::documents::file_response;
use crate::error::AppError;
use crate::page::{Frame, Layout};
use crate::routes::correspondence::pdf::{Sheet, response};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use serde::Deserialize;
use turno_app::programs;
use turno_app::report::XLSX;
use turno_domain::followup::{Quarter, QuarterReport};

#[derive(Deserialize)]
pub struct Asked {
    anio: Option<String>,
    trimestre: Option<String>,
    formato: Option<String>,
}

#[derive(Template)]
#[template(path = "followup_quarter.html")]
struct QuarterPage {
    layout: Layout,
    key: String,
    name: String,
    year: i16,
    quarter: u8,
    label: String,
    summary: Vec<Vec<String>>,
    lines: Vec<Vec<String>>,
}

/// The most lines the one-page PDF lists; the XLSX has them all.
const PDF_LINES: usize = 30;

/// The cut-off as one page of PDF (the page's `formato=pdf` and the API's).
pub(crate) fn pdf(name: &str, key: &str, report: &QuarterReport<'_>) -> Result<Vec<u8>, AppError> {
    let mut sheet = Sheet::new(
        "Corte trimestral",
        &format!("{name}: {}", report.quarter.label()),
        &format!(
            "{key} {}-T{}",
            report.quarter.year(),
            report.quarter.number()
        ),
    );
    sheet.heading("Resumen");
    for cells in report.summary().iter().skip(1) {
        sheet.figure(&cells[0], &cells[1]);
    }
    sheet.heading("Líneas");
    let lines = report.table();
    for cells in lines.iter().skip(1).take(PDF_LINES) {
        let goal = match cells[3].as_str() {
            "" => String::new(),
            goal => format!("meta {goal} % · "),
        };
        sheet.figure(
            &format!("{} {}", cells[0], cells[2]),
            &format!("{goal}{} % · {}", cells[4], cells[5]),
        );
    }
    let more = lines.len().saturating_sub(1 + PDF_LINES);
    if more > 0 {
        sheet.line("", &format!("Y {more} líneas más: véanse en el XLSX."));
    }
    sheet.finish()
}

/// The cut-off as a workbook: the summary, then every line (the page's `formato=xlsx` and
/// the API's).
pub(crate) fn xlsx(report: &QuarterReport<'_>) -> Result<Vec<u8>, AppError> {
    let tables = [
        (report.quarter.label(), report.summary()),
        ("Líneas".to_owned(), report.table()),
    ];
    Ok(turno_app::report::tables_xlsx(&tables).map_err(anyhow::Error::from)?)
}

/// The files' name, without extension: `corte-CLAVE-AAAA-TN`.
pub(crate) fn file_name(key: &str, quarter: Quarter) -> String {
    format!("corte-{key}-{}-T{}", quarter.year(), quarter.number())
}

/// A number of the query, or the default when it is not given.
fn number<T: std::str::FromStr>(text: Option<&str>, default: T, what: &str) -> Result<T, AppError> {
    match text.map(str::trim).filter(|t| !t.is_empty()) {
        None => Ok(default),
        Some(t) => t
            .parse()
            .map_err(|_| AppError::BadRequest(format!("«{t}» no es {what}."))),
    }
}

pub async fn get(
    State(state): State<AppState>,
    frame: Frame,
    Path(key): Path<String>,
    Query(asked): Query<Asked>,
) -> Result<Response, AppError> {
    let now = Quarter::of(state.today());
    let year = number(asked.anio.as_deref(), now.year(), "un año")?;
    let number = number(asked.trimestre.as_deref(), now.number(), "un trimestre")?;
    let (program, head, quarter) = programs::quarter(&state, &key, (year, number)).await?;
    let report = program.quarter_report(quarter);
    let file = file_name(&key, quarter);
    match asked.formato.as_deref() {
        Some("xlsx") => file_response(XLSX, &format!("{file}.xlsx"), xlsx(&report)?)
            .map_err(|e| AppError::Internal(e.into())),
        Some("pdf") => response(&format!("{file}.pdf"), pdf(&program.name, &key, &report)?),
        _ => crate::page::html(&QuarterPage {
            layout: frame.layout,
            name: program.name.clone(),
            year: quarter.year(),
            quarter: quarter.number(),
            label: quarter.label(),
            summary: report.summary().into_iter().skip(1).collect(),
            lines: report.table().into_iter().skip(1).collect(),
            key: head.key,
        }),
    }
}
