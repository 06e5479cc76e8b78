//! `GET /informes/atencion?mes=aaaa-mm`: the monthly report of citizen attention
//! (docs/citizen-format.md, «The monthly report»), for those who see petitions
//! (`access::petition_scope`; an entidad's people see their entidad's figures only), with bar
//! charts, and as CSV (`formato=csv`) or XLSX (`formato=xlsx`). `POST
//! /informes/atencion/llamadas` records the calls the call-center provider declares for a day.

use crate::auth::csrf::CsrfForm;
use crate::documents::TableFile;
use crate::error::AppError;
use crate::forms::{Submitted, required, single};
use crate::page::{Frame, Layout, flash};
use crate::state::AppState;
use crate::svg;
use crate::views::signed_in;
use askama::Template;
use axum::extract::{Query, State};
use axum::response::{Redirect, Response};
use turno_app::access::may_work_petitions;
use turno_app::report;
use turno_domain::citizen::{CallDay, Month, MonthlyReport, ResponseTimes, Tally};

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
            day: turno_domain::text::day(day.day),
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
        let rect = (LABEL_W, y + 3.0, bar, ROW_H - 6.0);
        svg::bar(&mut out, rect, "#1f5f8b", t.count, y + 16.0, font);
    }
    out.push_str("</svg>");
    out
}

/// The month asked for (`None`: the current one).
fn month(query: &Submitted) -> Result<Option<Month>, AppError> {
    single(query, "mes")
        .map(|m| {
            m.parse()
                .map_err(|e: turno_domain::citizen::BadMonth| AppError::BadRequest(e.to_string()))
        })
        .transpose()
}

pub async fn get(
    State(state): State<AppState>,
    frame: Frame,
    Query(query): Query<Submitted>,
) -> Result<Response, AppError> {
    let user = signed_in(&frame)?;
    let monthly = report::monthly(&state, user, month(&query)?).await?;
    let file = match single(&query, "formato") {
        None | Some("html") => None,
        Some("csv") => Some(TableFile::Csv(monthly.csv())),
        Some("xlsx") => Some(TableFile::Xlsx(
            monthly.xlsx().map_err(anyhow::Error::from)?,
        )),
        Some(other) => {
            return Err(AppError::BadRequest(format!(
                "«{other}» no es un formato de descarga (csv o xlsx)."
            )));
        }
    };
    if let Some(file) = file {
        return file
            .download(&monthly.file_name())
            .map_err(|e| AppError::Internal(e.into()));
    }
    let report = &monthly.report;
    let page = ReportPage {
        month: report.month.to_string(),
        label: report.month.label(),
        received: report.received,
        times: report.times,
        overdue: report.overdue,
        breakdowns: breakdowns(report),
        supervision: monthly
            .supervision
            .as_ref()
            .map(|days| days.iter().map(SupervisionDay::of).collect()),
        may_declare: may_work_petitions(user),
        today: monthly.today.to_string(),
        layout: frame.layout,
    };
    crate::page::html(&page)
}

/// `POST /informes/atencion/llamadas`: the calls the provider declares it received on a day,
/// replacing an earlier figure.
pub async fn declare(
    State(state): State<AppState>,
    frame: Frame,
    CsrfForm(submitted): CsrfForm<Submitted>,
) -> Result<Redirect, AppError> {
    let user = signed_in(&frame)?;
    let day = required(&submitted, "dia", "Día")?;
    let day: jiff::civil::Date = day
        .parse()
        .map_err(|_| AppError::BadRequest(format!("«{day}» no es una fecha válida (Día).")))?;
    let calls = required(&submitted, "llamadas", "Llamadas recibidas")?;
    let calls: u32 = calls.parse().map_err(|_| {
        AppError::BadRequest(format!(
            "«{calls}» no es un número de llamadas (un entero de 0 en adelante)."
        ))
    })?;
    report::declare_calls(&state, user, day, calls).await?;
    flash(
        &frame,
        &format!(
            "Se registraron {calls} llamadas declaradas por el proveedor el {}.",
            turno_domain::text::day(day)
        ),
    );
    Ok(Redirect::to(&format!(
        "/informes/atencion?mes={}",
        Month::of(day)
    )))
}
