//! `GET /tableros`: «Tableros», the state of a unit's work (and the units below it), of a
//! procedure's, or of the whole institution's (`turno_app::tablero`): the form (unit,
//! procedure, first and last month), the figures with their charts drawn here (SVG, no script:
//! each chart's title and description read its figures, and a table beside it holds them),
//! and the same as XLSX or PDF (`formato=xlsx|pdf`). Without a query, the tablero of the
//! person's first unit. Every figure links to `GET /tableros/asuntos`, the work items it
//! counts. A form with problems is shown again with each next to its field (422).

use crate::chooser::UnitGroups;
use crate::error::AppError;
use crate::filters;
use crate::forms::{Again, Submitted, shown_again, single};
use crate::page::{Frame, Layout};
use crate::routes::search::query_string;
use crate::state::AppState;
use crate::svg;
use crate::views::signed_in;
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use turno_app::report::XLSX;
use turno_app::tablero::{self, Asked, COLORS, Drilled, Figure, Narrowed, Tablero};
use turno_domain::citizen::Month;
use turno_store::Store;

/// The fields of the form, as the application names their problems.
const FIELDS: [&str; 4] = ["unidad", "procedimiento", "desde", "hasta"];

/// The semáforo's colours as the charts draw them (each at least 3:1 against white).
const SEMAFORO: [(&str, &str); 3] = [
    ("En tiempo", "#2e6b30"),
    ("Por vencer", "#8a5a00"),
    ("Vencidos", "#a4262c"),
];

#[derive(Template)]
#[template(path = "tablero.html")]
struct TableroPage {
    layout: Layout,
    entered: Again,
    units: UnitGroups,
    /// The procedures to choose from: key and title.
    procedures: Vec<(String, String)>,
    procedimiento: String,
    desde: String,
    hasta: String,
    made: Option<Tablero>,
    links: Links,
    /// Open work per unit, as a chart.
    units_chart: Option<String>,
    /// Received and completed per month, as a chart.
    months_chart: Option<String>,
}

/// The links of a tablero's figures to their work items.
pub(crate) struct Links {
    /// The query of the tablero (its unit, procedure and period as made).
    scope: String,
}

impl Links {
    fn of(made: &Tablero) -> Links {
        let unit = made.unit.as_ref().map_or("", |u| u.code.as_str());
        let procedure = made.procedure.as_ref().map_or("", |(k, _)| k.as_str());
        let (from, to) = (made.period.from.to_string(), made.period.to.to_string());
        Links {
            scope: query_string(&[
                ("unidad", unit),
                ("procedimiento", procedure),
                ("desde", &from),
                ("hasta", &to),
            ]),
        }
    }

    fn href(&self, figure: &Figure, narrowed: &[(&str, &str)]) -> String {
        let figure = figure.query();
        let mut pairs: Vec<(&str, &str)> = figure.iter().map(|(k, v)| (*k, v.as_str())).collect();
        pairs.extend_from_slice(narrowed);
        let query = query_string(&pairs);
        format!("/tableros/asuntos?{}&{query}", self.scope)
    }

    /// The files' query.
    pub fn file(&self, format: &str) -> String {
        format!("/tableros?{}&formato={format}", self.scope)
    }

    /// Open work of colour `color` (`""`: all), of one unit when `unit` is not empty.
    pub fn open(&self, color: &str, unit: &str) -> String {
        let color = COLORS.iter().copied().find(|c| c.color() == color);
        self.href(&Figure::Open(color), &[("en", unit)])
    }

    /// `cifra` (recibidos, devoluciones, atendidos) in the period (`previous`: the one
    /// before), or in `month` when not empty.
    pub fn flow(&self, cifra: &str, previous: bool, month: &str) -> String {
        self.line(cifra, previous, month, "", "", "")
    }

    /// [`Links::flow`] narrowed to a line of a table: a unit, or a procedure's activity.
    pub fn line(
        &self,
        cifra: &str,
        previous: bool,
        month: &str,
        unit: &str,
        procedure: &str,
        activity: &str,
    ) -> String {
        let month = month.parse::<Month>().ok();
        let figure = match cifra {
            "atendidos" => Figure::Closed { month, previous },
            other => Figure::Received {
                month,
                previous,
                returns: other == "devoluciones",
            },
        };
        self.href(
            &figure,
            &[("en", unit), ("de", procedure), ("actividad", activity)],
        )
    }
}

/// What was asked, read from the query.
fn asked(query: &Submitted) -> Asked<'_> {
    Asked {
        unit: single(query, "unidad").unwrap_or_default(),
        procedure: single(query, "procedimiento").unwrap_or_default(),
        from: single(query, "desde").unwrap_or_default(),
        to: single(query, "hasta").unwrap_or_default(),
    }
}

/// The tablero as a download in `format`; `None` for the page.
fn file(made: &Tablero, format: &str) -> Result<Option<Response>, AppError> {
    let name = made.file_name();
    let download = |mime: &str, extension: &str, bytes: Vec<u8>| {
        crate::documents::file_response(mime, &format!("{name}.{extension}"), bytes)
            .map_err(|e| AppError::Internal(e.into()))
    };
    Ok(Some(match format {
        "" | "html" => return Ok(None),
        "xlsx" => download(XLSX, "xlsx", made.xlsx().map_err(anyhow::Error::from)?)?,
        "pdf" => download("application/pdf", "pdf", pdf(made)?)?,
        other => {
            return Err(AppError::BadRequest(format!(
                "«{other}» no es un formato de descarga (xlsx o pdf)."
            )));
        }
    }))
}

/// The tablero as a PDF: its tables under their headings (`Tablero::tables`).
pub(crate) fn pdf(made: &Tablero) -> Result<Vec<u8>, AppError> {
    use crate::routes::correspondence::pdf::{Sheet, write_tables};
    let mut sheet = Sheet::new(
        "Tablero de control",
        &made.period.label(),
        &format!(
            "{} {} a {}",
            made.file_name(),
            made.period.from,
            made.period.to
        ),
    );
    sheet.line("Tablero", &made.title());
    sheet.line("Fecha de corte", &turno_domain::text::day(made.today));
    write_tables(&mut sheet, made.tables().iter().skip(1), 1);
    sheet.finish()
}

/// Open work per unit as a chart: a bar per colour of the semáforo.
pub(crate) fn units_chart(made: &Tablero) -> String {
    let groups: Vec<(String, Vec<u64>)> = made
        .by_unit
        .iter()
        .map(|u| (format!("{} {}", u.code, u.name), u.open.to_vec()))
        .collect();
    svg::grouped_bars(
        "grafica-vencidos",
        "Trabajo abierto por unidad y semáforo",
        &SEMAFORO,
        &groups,
    )
}

/// Received and completed per month as a chart.
pub(crate) fn months_chart(made: &Tablero) -> String {
    let groups: Vec<(String, Vec<u64>)> = made
        .months
        .iter()
        .map(|m| (m.month.label(), vec![m.received, m.closed]))
        .collect();
    svg::grouped_bars(
        "grafica-meses",
        "Trabajo recibido y atendido por mes",
        &[("Recibidos", "#1f5f8b"), ("Atendidos", "#2e6b30")],
        &groups,
    )
}

pub async fn get(
    State(state): State<AppState>,
    frame: Frame,
    Query(query): Query<Submitted>,
) -> Result<Response, AppError> {
    let user = signed_in(&frame)?;
    let mut asked = asked(&query);
    let sent = FIELDS.iter().any(|f| single(&query, f).is_some());
    let first_unit = user
        .memberships
        .first()
        .map(|m| m.unit_code.clone())
        .unwrap_or_default();
    if !sent {
        asked.unit = &first_unit;
    }
    let (made, entered) = if sent || !first_unit.is_empty() {
        match tablero::tablero(&state, user, asked).await {
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
    let visible = turno_app::correspondence::report::units(&state, user).await?;
    let chart = state.store.organization().await?;
    let units = UnitGroups::new(
        &chart,
        |code| visible.iter().any(|u| u.code == code),
        &[asked.unit.trim()],
    );
    let mut procedures: Vec<(String, String)> = state
        .library
        .current()
        .newest()
        .map(|p| (p.key.clone(), p.title.clone()))
        .collect();
    procedures.sort();
    let (desde, hasta) = match &made {
        Some(m) => (m.period.from.to_string(), m.period.to.to_string()),
        None => (asked.from.to_owned(), asked.to.to_owned()),
    };
    let page = TableroPage {
        layout: frame.layout,
        units,
        procedures,
        procedimiento: asked.procedure.trim().to_owned(),
        desde,
        hasta,
        links: made.as_ref().map_or(
            Links {
                scope: String::new(),
            },
            Links::of,
        ),
        units_chart: made
            .as_ref()
            .filter(|m| !m.by_unit.is_empty())
            .map(units_chart),
        months_chart: made.as_ref().map(months_chart),
        made,
        entered,
    };
    let status = if page.entered.is_refused() {
        page.entered.status()
    } else {
        axum::http::StatusCode::OK
    };
    shown_again(status, &page)
}

#[derive(Template)]
#[template(path = "tablero_items.html")]
struct ItemsPage {
    layout: Layout,
    /// The tablero's query, for the way back.
    back: String,
    drilled: Drilled,
}

/// A drill-down narrowed as the query says (`en`, `de`, `actividad`).
pub(crate) fn narrowed(
    unit: Option<&str>,
    procedure: Option<&str>,
    activity: Option<&str>,
) -> Narrowed {
    let some = |v: Option<&str>| {
        v.map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_owned)
    };
    Narrowed {
        unit: some(unit),
        procedure: some(procedure),
        activity: some(activity),
    }
}

/// `GET /tableros/asuntos`: the work items a figure of a tablero counts.
pub async fn items(
    State(state): State<AppState>,
    frame: Frame,
    Query(query): Query<Submitted>,
) -> Result<Response, AppError> {
    let user = signed_in(&frame)?;
    let asked = asked(&query);
    let field = |name| single(&query, name).unwrap_or_default();
    let figure = Figure::read(
        field("cifra"),
        field("semaforo"),
        field("mes"),
        field("periodo"),
    )
    .map_err(|e| AppError::BadRequest(problems_text(e)))?;
    let narrowed = narrowed(
        single(&query, "en"),
        single(&query, "de"),
        single(&query, "actividad"),
    );
    let drilled = tablero::items(&state, user, asked, &figure, &narrowed).await?;
    let back = query_string(&[
        ("unidad", asked.unit.trim()),
        ("procedimiento", asked.procedure.trim()),
        ("desde", asked.from.trim()),
        ("hasta", asked.to.trim()),
    ]);
    crate::page::html_with(
        axum::http::StatusCode::OK,
        &ItemsPage {
            layout: frame.layout,
            back,
            drilled,
        },
    )
}

/// The problems of a drill-down's query in one text (a page has no form to show them in).
fn problems_text(error: turno_app::Error) -> String {
    match error {
        turno_app::Error::InvalidFields(problems) => problems
            .into_iter()
            .map(|p| p.message)
            .collect::<Vec<_>>()
            .join(" "),
        other => other.to_string(),
    }
}
