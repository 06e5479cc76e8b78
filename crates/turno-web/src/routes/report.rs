//! `GET /informes/atencion?mes=aaaa-mm`: the monthly report of citizen attention
//! (docs/citizen-format.md, «The monthly report»), for those who see petitions
//! (`access::petition_scope`; an entidad's people see their entidad's figures only), with bar
//! charts, and as CSV (`formato=csv`) or XLSX (`formato=xlsx`). `POST
//! /informes/atencion/llamadas` records the calls the call-center provider declares for a day.

use crate::auth::csrf::CsrfForm;
use crate::error::AppError;
use crate::forms::{Submitted, required, single};
use crate::page::{Frame, Layout, flash};
use crate::state::AppState;
use crate::svg;
use crate::views::signed_in;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{Html, IntoResponse, Redirect, Response};
use std::fmt::Write as _;
use turno_app::access::{PetitionScope, may_work_petitions, petition_scope};
use turno_domain::calendar::Regime;
use turno_domain::citizen::{
    CallDay, Month, MonthlyReport, ResponseTimes, Tally, call_supervision, motive_name,
};
use turno_domain::followup::to_csv;
use turno_store::Handling;

/// One breakdown of the report: its heading, its lines and, for the charted ones, its chart.
struct Breakdown {
    id: &'static str,
    title: &'static str,
    column: &'static str,
    lines: Vec<Tally>,
    chart: Option<String>,
}

#[derive(Template)]
#[template(path = "report.html")]
struct ReportPage {
    layout: Layout,
    month: String,
    label: String,
    received: usize,
    times: Option<ResponseTimes>,
    overdue: usize,
    breakdowns: Vec<Breakdown>,
    /// `None` for people who see some entidades only: the provider declares its calls for the
    /// whole country.
    supervision: Option<Vec<SupervisionDay>>,
    may_declare: bool,
    today: String,
}

struct SupervisionDay {
    day: String,
    declared: String,
    registered: u32,
    missing: String,
}

impl SupervisionDay {
    fn of(day: &CallDay) -> SupervisionDay {
        SupervisionDay {
            day: day.day.strftime("%d/%m/%Y").to_string(),
            declared: day.declared.map_or_else(String::new, |d| d.to_string()),
            registered: day.registered,
            missing: day.missing().map_or_else(String::new, |m| m.to_string()),
        }
    }
}

fn breakdowns(report: &MonthlyReport) -> Vec<Breakdown> {
    report
        .breakdowns()
        .into_iter()
        .map(|b| Breakdown {
            // Entidades and types are few and compared at a glance: they get a chart.
            chart: match b.id {
                "entidad" => Some(bar_chart(
                    "Peticiones por entidad federativa",
                    "grafica-entidad",
                    b.lines,
                )),
                "tipo" => Some(bar_chart("Peticiones por tipo", "grafica-tipo", b.lines)),
                _ => None,
            },
            id: b.id,
            title: b.title,
            column: b.column,
            lines: b.lines.to_vec(),
        })
        .collect()
}

/// A horizontal bar per line, its count written after it; the `<title>` reads the figures
/// for those who do not see the bars.
fn bar_chart(title: &str, id: &str, lines: &[Tally]) -> String {
    const LABEL_W: f64 = 220.0;
    const BAR_W: f64 = 320.0;
    const ROW_H: f64 = 24.0;
    let font = svg::Font {
        size: 13.0,
        bold: false,
    };
    let most = lines.iter().map(|t| t.count).max().unwrap_or(0).max(1) as f64;
    let height = ROW_H * lines.len().max(1) as f64 + 8.0;
    let described = lines
        .iter()
        .map(|t| format!("{}: {}", t.label, t.count))
        .collect::<Vec<_>>()
        .join("; ");
    let mut out = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-labelledby=\"{id}\" \
         viewBox=\"0 0 {} {}\" width=\"100%\" font-family=\"{}\">\
         <title id=\"{id}\">{}: {}</title>",
        svg::n(LABEL_W + BAR_W + 60.0),
        svg::n(height),
        svg::FONT_FAMILY,
        svg::escape(title),
        svg::escape(if described.is_empty() {
            "sin peticiones"
        } else {
            &described
        }),
    );
    for (i, t) in lines.iter().enumerate() {
        let y = 4.0 + ROW_H * i as f64;
        let bar = BAR_W * t.count as f64 / most;
        let label = svg::wrap(&t.label, font, LABEL_W - 8.0, 1);
        svg::text_block(
            &mut out,
            LABEL_W - 8.0,
            y + 16.0,
            0.0,
            &label,
            &format!("text-anchor=\"end\" {}", svg::font_attrs(font, "#1a1a1a")),
        );
        let _ = write!(
            out,
            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"#1f5f8b\"/>\
             <text x=\"{}\" y=\"{}\" {}>{}</text>",
            svg::n(LABEL_W),
            svg::n(y + 3.0),
            svg::n(bar),
            svg::n(ROW_H - 6.0),
            svg::n(LABEL_W + bar + 6.0),
            svg::n(y + 16.0),
            svg::font_attrs(font, "#1a1a1a"),
            t.count,
        );
    }
    out.push_str("</svg>");
    out
}

/// The month asked for, or the current one.
fn month(query: &Submitted, state: &AppState) -> Result<Month, AppError> {
    single(query, "mes").map_or_else(
        || Ok(Month::of(state.moment().today)),
        |m| {
            m.parse()
                .map_err(|e: turno_domain::citizen::BadMonth| AppError::BadRequest(e.to_string()))
        },
    )
}

pub async fn get(
    State(state): State<AppState>,
    frame: Frame,
    Query(query): Query<Submitted>,
) -> Result<Response, AppError> {
    let user = signed_in(&frame)?;
    let scope = petition_scope(user).ok_or(AppError::Forbidden)?;
    let month = month(&query, &state)?;
    let moment = state.moment();
    let mut rows = state
        .store
        .handled_between(month.first(), month.last())
        .await?;
    rows.retain(|p| scope.includes(p.state));
    let motives = state.store.motives().await?;
    let report = MonthlyReport::build(
        month,
        &rows,
        moment.calendars.get(Regime::Lfpa),
        moment.today,
        |code| motive_name(&motives, code),
    );
    let supervision = match scope {
        PetitionScope::All => {
            let declared = state
                .store
                .declared_calls(month.first(), month.last())
                .await?;
            Some(call_supervision(month, &declared, &rows))
        }
        PetitionScope::States(_) => None,
    };
    let name = format!("informe-atencion-{month}");
    match single(&query, "formato") {
        None | Some("html") => {}
        Some("csv") => {
            let csv = report
                .tables(supervision.as_deref())
                .iter()
                .map(|(_, t)| to_csv(t))
                .collect::<Vec<_>>()
                .join("\n");
            // With a BOM: Excel reads UTF-8 without one as the Windows code page.
            return Ok(download(
                format!("\u{feff}{csv}").into_bytes(),
                "text/csv; charset=utf-8",
                &format!("{name}.csv"),
            ));
        }
        Some("xlsx") => {
            let tables: Vec<Vec<Vec<String>>> = report
                .tables(supervision.as_deref())
                .into_iter()
                .map(|(_, t)| t)
                .collect();
            let bytes = workbook(&tables).map_err(anyhow::Error::from)?;
            return Ok(download(
                bytes,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                &format!("{name}.xlsx"),
            ));
        }
        Some(other) => {
            return Err(AppError::BadRequest(format!(
                "«{other}» no es un formato de descarga (csv o xlsx)."
            )));
        }
    }
    let page = ReportPage {
        month: month.to_string(),
        label: month.label(),
        received: report.received,
        times: report.times,
        overdue: report.overdue,
        breakdowns: breakdowns(&report),
        supervision: supervision.map(|days| days.iter().map(SupervisionDay::of).collect()),
        may_declare: may_work_petitions(user),
        today: moment.today.to_string(),
        layout: frame.layout,
    };
    Ok(Html(page.render().map_err(anyhow::Error::from)?).into_response())
}

fn download(body: Vec<u8>, content_type: &'static str, file_name: &str) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{file_name}\""),
            ),
        ],
        body,
    )
        .into_response()
}

/// One sheet, the tables one under the other: headings bold, counts as numbers.
fn workbook(tables: &[Vec<Vec<String>>]) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    use rust_xlsxwriter::{Format, Workbook};
    let bold = Format::new().set_bold();
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name("Informe")?;
    sheet.set_column_width(0, 50)?;
    let mut r: u32 = 0;
    for table in tables {
        for (i, cells) in table.iter().enumerate() {
            for (c, cell) in cells.iter().enumerate() {
                let c = u16::try_from(c).unwrap_or(u16::MAX);
                match cell.parse::<i64>() {
                    Ok(number) if i > 0 => sheet.write_number(r, c, number as f64)?,
                    _ if i == 0 => sheet.write_string_with_format(r, c, cell, &bold)?,
                    _ => sheet.write_string(r, c, cell)?,
                };
            }
            r += 1;
        }
        r += 1;
    }
    workbook.save_to_buffer()
}

/// `POST /informes/atencion/llamadas`: the calls the provider declares it received on a day,
/// replacing an earlier figure.
pub async fn declare(
    State(state): State<AppState>,
    frame: Frame,
    CsrfForm(submitted): CsrfForm<Submitted>,
) -> Result<Redirect, AppError> {
    let user = signed_in(&frame)?;
    if !may_work_petitions(user) {
        return Err(AppError::Forbidden);
    }
    let day = required(&submitted, "dia", "Día")?;
    let day: jiff::civil::Date = day
        .parse()
        .map_err(|_| AppError::BadRequest(format!("«{day}» no es una fecha válida (Día).")))?;
    if day > state.moment().today {
        return Err(AppError::BadRequest(
            "No se pueden declarar llamadas de un día que no ha llegado.".into(),
        ));
    }
    let calls = required(&submitted, "llamadas", "Llamadas recibidas")?;
    let calls: u32 = calls.parse().map_err(|_| {
        AppError::BadRequest(format!(
            "«{calls}» no es un número de llamadas (un entero de 0 en adelante)."
        ))
    })?;
    state.store.declare_calls(day, calls, &user.login).await?;
    flash(
        &frame,
        &format!(
            "Se registraron {calls} llamadas declaradas por el proveedor el {}.",
            day.strftime("%d/%m/%Y")
        ),
    );
    Ok(Redirect::to(&format!(
        "/informes/atencion?mes={}",
        Month::of(day)
    )))
}
