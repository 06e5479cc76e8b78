//! The acuse de recibo of an incoming document and the volante de control of each of its
//! turns, as one-page PDFs, and a unit's report (a page more when its breakdown per unit does not
//! fit): drawn as an SVG letter page with the diagrams' text helpers and
//! turned into a PDF with the embedded DejaVu fonts (`svg::pdf`, krilla), as the diagrams are.

use crate::error::AppError;
use crate::state::AppState;
use crate::svg::{Font, escape, font_attrs, n, pdf_pages, text_block, wrap};
use crate::views::UnitNames;
use axum::response::Response;
use std::fmt::Write as _;
use turno_app::Principal;
use turno_app::correspondence::incoming::{self, IncomingView};
use turno_app::correspondence::report::UnitReport;
use turno_app::schedules::DeliveryMatrix;
use turno_domain::text::day;

/// A US letter page, in points, and its margins.
const WIDTH: f64 = 612.0;
const HEIGHT: f64 = 792.0;
const MARGIN: f64 = 54.0;
const LABEL_WIDTH: f64 = 150.0;
const BODY: Font = Font {
    size: 10.5,
    bold: false,
};
const LABEL: Font = Font {
    size: 10.5,
    bold: true,
};
const TITLE: Font = Font {
    size: 16.0,
    bold: true,
};

/// Pages of labelled lines, drawn from the top; a line that does not fit starts a page.
pub(crate) struct Sheet {
    /// The pages filled, each a whole SVG.
    pages: Vec<String>,
    svg: String,
    y: f64,
    /// The PDF's title: the sheet's and the folio (in ASCII, so that it is stored as it reads).
    title: String,
}

/// The opening of a blank page.
fn page() -> String {
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\">\
         <rect width=\"{w}\" height=\"{h}\" fill=\"#fff\"/>",
        w = n(WIDTH),
        h = n(HEIGHT)
    )
}

impl Sheet {
    pub(crate) fn new(title: &str, subtitle: &str, folio: &str) -> Sheet {
        let mut svg = page();
        let _ = write!(
            svg,
            "<text x=\"{}\" y=\"{}\" {}>{}</text>",
            n(MARGIN),
            n(MARGIN + 16.0),
            font_attrs(TITLE, "#000"),
            escape(title)
        );
        let _ = write!(
            svg,
            "<text x=\"{}\" y=\"{}\" {}>{}</text>",
            n(MARGIN),
            n(MARGIN + 34.0),
            font_attrs(BODY, "#333"),
            escape(subtitle)
        );
        Sheet {
            pages: Vec::new(),
            svg,
            y: MARGIN + 64.0,
            title: format!("{title} {folio}"),
        }
    }

    /// Starts a page when `height` more does not fit on this one.
    fn room(&mut self, height: f64) {
        if self.y + height > HEIGHT - MARGIN {
            let full = std::mem::replace(&mut self.svg, page());
            self.pages.push(full + "</svg>");
            self.y = MARGIN + 16.0;
        }
    }

    /// A label and its value, wrapped beside it; nothing for an empty value.
    pub(crate) fn line(&mut self, label: &str, value: &str) {
        if value.trim().is_empty() {
            return;
        }
        let line_height = 14.0;
        let value_width = WIDTH - 2.0 * MARGIN - LABEL_WIDTH;
        let mut lines: Vec<String> = value
            .lines()
            .flat_map(|l| wrap(l, BODY, value_width, 12))
            .collect();
        lines.truncate(24);
        self.room(line_height * lines.len().max(1) as f64 + 6.0);
        text_block(
            &mut self.svg,
            MARGIN,
            self.y,
            line_height,
            &[label.to_owned()],
            &font_attrs(LABEL, "#000"),
        );
        text_block(
            &mut self.svg,
            MARGIN + LABEL_WIDTH,
            self.y,
            line_height,
            &lines,
            &font_attrs(BODY, "#000"),
        );
        self.y += line_height * lines.len().max(1) as f64 + 6.0;
    }

    /// A heading over the figures that follow it.
    pub(crate) fn heading(&mut self, text: &str) {
        // A heading is not left alone at the foot of a page.
        self.room(10.0 + 18.0 + 34.0);
        self.y += 10.0;
        text_block(
            &mut self.svg,
            MARGIN,
            self.y,
            14.0,
            &[text.to_owned()],
            &font_attrs(LABEL, "#000"),
        );
        self.y += 18.0;
    }

    /// A figure: its label, and its value at the right margin, over a rule.
    pub(crate) fn figure(&mut self, label: &str, value: &str) {
        self.room(17.0);
        text_block(
            &mut self.svg,
            MARGIN + 12.0,
            self.y,
            14.0,
            &wrap(label, BODY, WIDTH - 2.0 * MARGIN - 120.0, 1),
            &font_attrs(BODY, "#000"),
        );
        text_block(
            &mut self.svg,
            WIDTH - MARGIN,
            self.y,
            14.0,
            &[value.to_owned()],
            &format!("text-anchor=\"end\" {}", font_attrs(BODY, "#000")),
        );
        let _ = write!(
            self.svg,
            "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#ccc\" stroke-width=\"0.5\"/>",
            n(MARGIN + 12.0),
            n(self.y + 4.0),
            n(WIDTH - MARGIN),
            n(self.y + 4.0)
        );
        self.y += 17.0;
    }

    /// A line to sign on, with who signs under it.
    fn signature(&mut self, who: &str) {
        let y = (self.y + 60.0).min(HEIGHT - MARGIN - 20.0);
        let _ = write!(
            self.svg,
            "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#000\" stroke-width=\"0.8\"/>",
            n(MARGIN),
            n(y),
            n(MARGIN + 220.0),
            n(y)
        );
        text_block(
            &mut self.svg,
            MARGIN,
            y + 14.0,
            14.0,
            &[who.to_owned()],
            &font_attrs(BODY, "#000"),
        );
        self.y = y + 30.0;
    }

    /// A paragraph the width of the page.
    pub(crate) fn paragraph(&mut self, text: &str) {
        let lines = wrap(text, BODY, WIDTH - 2.0 * MARGIN - 12.0, 12);
        let height = 14.0 * lines.len().max(1) as f64 + 6.0;
        self.room(height);
        text_block(
            &mut self.svg,
            MARGIN + 12.0,
            self.y,
            14.0,
            &lines,
            &font_attrs(BODY, "#000"),
        );
        self.y += height;
    }

    pub(crate) fn finish(mut self) -> Result<Vec<u8>, AppError> {
        self.svg.push_str("</svg>");
        self.pages.push(self.svg);
        let pages: Vec<&str> = self.pages.iter().map(String::as_str).collect();
        pdf_pages(&pages, Some(&self.title)).map_err(AppError::Internal)
    }
}

/// «dd/mm/aaaa hh:mm» of a moment, in the agency's time zone.
fn moment(state: &AppState, at: jiff::Timestamp) -> String {
    crate::views::local(at, &state.time_zone)
}

/// Who sent the document, in one line.
fn sender(view: &IncomingView) -> String {
    view.incoming.sender.line()
}

/// The acuse de recibo of document `folio`, for whoever sees it.
pub async fn receipt(state: &AppState, user: &Principal, folio: &str) -> Result<Vec<u8>, AppError> {
    let view = incoming::printed(state, user, folio).await?;
    let names = UnitNames::load(state).await?;
    let doc = &view.incoming;
    let mut sheet = Sheet::new(
        "Acuse de recibo",
        &format!("Correspondencia de entrada · folio {}", view.folio),
        &view.folio.to_string(),
    );
    sheet.line("Folio", &view.folio.to_string());
    let received = doc.received_at;
    sheet.line(
        "Recibido",
        &format!(
            "{} {:02}:{:02}",
            day(received.date()),
            received.hour(),
            received.minute()
        ),
    );
    sheet.line(
        "Unidad que recibe",
        &format!("{} ({})", names.name(&view.unit), view.unit),
    );
    sheet.line("Tipo de documento", doc.kind.label());
    sheet.line("Remitente", &sender(&view));
    let theirs = [
        doc.their_number.clone().unwrap_or_default(),
        doc.their_date.map(day).unwrap_or_default(),
    ]
    .into_iter()
    .filter(|t| !t.is_empty())
    .collect::<Vec<_>>()
    .join(" del ");
    sheet.line("Número y fecha", &theirs);
    sheet.line("Asunto", &doc.subject);
    sheet.line("Prioridad", doc.priority.label());
    sheet.line("Clasificación", doc.classification.label());
    sheet.line("Anexos", &doc.annexes.to_string());
    if let (Some(days), Some(due)) = (doc.term_days, view.due_date) {
        sheet.line(
            "Plazo de respuesta",
            &format!("{days} días hábiles: vence el {}", day(due)),
        );
    }
    let links: Vec<String> = view.links.iter().map(ToString::to_string).collect();
    sheet.line("En atención a", &links.join(", "));
    sheet.line(
        "Registró",
        &format!(
            "{} el {}",
            view.registered_by,
            moment(state, view.registered_at)
        ),
    );
    sheet.signature("Recibió (nombre y firma)");
    sheet.finish()
}

/// The volante de control of turn `id` of document `folio`, for whoever sees the document.
pub async fn slip(
    state: &AppState,
    user: &Principal,
    folio: &str,
    id: i64,
) -> Result<Vec<u8>, AppError> {
    let view = incoming::printed(state, user, folio).await?;
    let turn = view
        .turns
        .iter()
        .map(|t| &t.turn)
        .find(|t| t.id == id)
        .ok_or_else(|| turno_app::Error::NotFound("El documento no tiene ese turno.".into()))?;
    let names = UnitNames::load(state).await?;
    let doc = &view.incoming;
    let mut sheet = Sheet::new(
        "Volante de control",
        &format!(
            "Correspondencia de entrada · folio {} · turno {id}",
            view.folio
        ),
        &format!("{} turno {id}", view.folio),
    );
    sheet.line("Folio", &view.folio.to_string());
    sheet.line(
        "Turnado por",
        &format!("{} ({})", names.name(&turn.from_unit), turn.from_unit),
    );
    sheet.line(
        "Turnado a",
        &format!("{} ({})", names.name(&turn.unit), turn.unit),
    );
    sheet.line("Instrucción", turn.instruction.label());
    match (turn.term_days, turn.due_date) {
        (Some(days), Some(due)) => sheet.line(
            "Plazo",
            &format!("{days} días hábiles: vence el {}", day(due)),
        ),
        _ => sheet.line("Plazo", "Sin plazo"),
    }
    sheet.line("Indicaciones", &turn.note);
    sheet.line("Asunto", &doc.subject);
    sheet.line("Remitente", &sender(&view));
    sheet.line("Tipo de documento", doc.kind.label());
    sheet.line("Prioridad", doc.priority.label());
    sheet.line(
        "Fecha del turno",
        &format!("{} por {}", moment(state, turn.turned_at), turn.turned_by),
    );
    sheet.line("Estado", turn.status.label());
    sheet.signature("Recibió (nombre, firma y fecha)");
    sheet.finish()
}

/// A unit's correspondence report for a period as a PDF: the same tables as its CSV and XLSX
/// (`UnitReport::tables`), each under its heading; the breakdown per unit, a heading per unit
/// and its figures in a paragraph, on the pages after the first when it does not fit.
pub fn report(made: &UnitReport) -> Result<Vec<u8>, AppError> {
    let r = &made.report;
    let mut sheet = Sheet::new(
        "Reporte de correspondencia",
        &format!("Del {} al {}", day(r.from), day(r.to)),
        &format!("{} {} a {}", made.unit.code, r.from, r.to),
    );
    sheet.line("Unidad", &made.title());
    sheet.line("Fecha de corte", &day(r.today));
    // The first table (the unit, the period, the cut-off) is written above; the breakdown's
    // lines start with the unit's code and name.
    write_tables(&mut sheet, made.tables().iter().skip(1), 2);
    sheet.finish()
}

/// Titled tables, each under its heading: a row of two cells as a figure, a longer one as a
/// paragraph, its first `names` cells (what the row is about) then each other cell with its
/// heading. The correspondence report's and the tablero's PDFs.
pub(crate) fn write_tables<'a>(
    sheet: &mut Sheet,
    tables: impl Iterator<Item = &'a (String, Vec<Vec<String>>)>,
    names: usize,
) {
    for (title, table) in tables {
        sheet.heading(title);
        let Some((headings, rows)) = table.split_first() else {
            continue;
        };
        for cells in rows {
            match cells.as_slice() {
                [label, value] => sheet.figure(label, value),
                cells if cells.len() > names => {
                    let read: Vec<String> = headings
                        .iter()
                        .skip(names)
                        .zip(&cells[names..])
                        .filter(|(_, figure)| !figure.is_empty())
                        .map(|(heading, figure)| format!("{heading}: {figure}"))
                        .collect();
                    sheet.paragraph(&format!(
                        "{} — {}",
                        cells[..names].join(" "),
                        read.join(" · ")
                    ));
                }
                _ => {}
            }
        }
    }
}

/// The matriz de entrega as a PDF: the period, then each Dirección General with its reports
/// by period and where each stands, and the totals (the tables of its CSV and XLSX).
pub fn delivery_matrix(made: &DeliveryMatrix) -> Result<Vec<u8>, AppError> {
    let mut sheet = Sheet::new(
        "Matriz de entrega de informes oficiales",
        &format!("Del {} al {}", day(made.from), day(made.to)),
        &format!("{} a {}", made.from, made.to),
    );
    sheet.line("Fecha de corte", &day(made.today));
    let m = &made.matrix;
    for row in &m.rows {
        sheet.heading(&made.unit_name(&row.unit));
        for (column, cells) in &row.cells {
            let period = m.periods.get(*column).map_or("", String::as_str);
            for cell in cells {
                let folio = if cell.folio.is_empty() {
                    "sin asunto".to_owned()
                } else {
                    cell.folio.clone()
                };
                sheet.figure(
                    &format!("{period} ({folio}, límite {})", day(cell.due)),
                    cell.delivery.label(),
                );
            }
        }
    }
    sheet.heading("Totales");
    for (delivery, count) in &m.totals {
        sheet.figure(delivery.label(), &count.to_string());
    }
    sheet.finish()
}

/// A PDF as a download named `name`.
pub fn response(name: &str, bytes: Vec<u8>) -> Result<Response, AppError> {
    crate::documents::file_response("application/pdf", name, bytes)
        .map_err(|e| AppError::Internal(e.into()))
}
