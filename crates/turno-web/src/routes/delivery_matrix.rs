//! `GET /informes/matriz-entrega`: seed 000's matriz de entrega de informes oficiales (annex
//! 10.1/10.2; `turno_app::schedules::matrix`): for each Dirección General and period, the
//! reports its schedules expect, received in time, late, missing or still within their term;
//! and the same as CSV, XLSX or PDF (`formato=csv|xlsx|pdf`). A period with problems is shown
//! again with each next to its field (422). Who sees it is the application's
//! (`schedules::may_see_matrix`).

use crate::documents::TableFile;
use crate::error::AppError;
use crate::filters;
use crate::forms::{Again, Submitted, shown_again, single};
use crate::page::{Frame, Layout};
use crate::state::AppState;
use crate::views::signed_in;
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use turno_app::schedules::{self, DeliveryMatrix};
use turno_domain::recurrence::matrix::Delivery;

const FIELDS: [&str; 2] = ["desde", "hasta"];

/// One row of the page: the unit, and per period its reports (state code, label, folio).
struct Line {
    unit: String,
    cells: Vec<Vec<(&'static str, &'static str, String)>>,
}

#[derive(Template)]
#[template(path = "delivery_matrix.html")]
struct MatrixPage {
    layout: Layout,
    entered: Again,
    desde: String,
    hasta: String,
    made: Option<DeliveryMatrix>,
    lines: Vec<Line>,
    totals: Vec<(&'static str, usize)>,
    query: String,
}

fn lines(made: &DeliveryMatrix) -> Vec<Line> {
    let m = &made.matrix;
    m.rows
        .iter()
        .map(|row| Line {
            unit: made.unit_name(&row.unit),
            cells: (0..m.periods.len())
                .map(|column| {
                    row.cells
                        .get(&column)
                        .map(|cells| {
                            cells
                                .iter()
                                .map(|c| (c.delivery.code(), c.delivery.label(), c.folio.clone()))
                                .collect()
                        })
                        .unwrap_or_default()
                })
                .collect(),
        })
        .collect()
}

pub async fn get(
    State(state): State<AppState>,
    frame: Frame,
    Query(query): Query<Submitted>,
) -> Result<Response, AppError> {
    let user = signed_in(&frame)?;
    let today = state.moment().today;
    let year_start = today.first_of_year();
    let year_end = today.last_of_year();
    let desde = single(&query, "desde").map_or(year_start.to_string(), str::to_owned);
    let hasta = single(&query, "hasta").map_or(year_end.to_string(), str::to_owned);
    let (made, entered) = match schedules::matrix(&state, user, &desde, &hasta).await {
        Ok(made) => (Some(made), Again::filled(query.clone())),
        Err(e @ turno_app::Error::InvalidFields(_)) => {
            (None, Again::refused(query.clone(), e, &FIELDS)?)
        }
        Err(other) => return Err(other.into()),
    };
    if let Some(made) = &made {
        let name = made.file_name();
        let download = |file: TableFile| {
            file.download(&name)
                .map_err(|e| AppError::Internal(e.into()))
        };
        match single(&query, "formato").unwrap_or_default() {
            "" | "html" => {}
            "csv" => return download(TableFile::Csv(made.csv())),
            "xlsx" => {
                return download(TableFile::Xlsx(made.xlsx().map_err(anyhow::Error::from)?));
            }
            "pdf" => {
                let bytes = crate::routes::correspondence::pdf::delivery_matrix(made)?;
                return download(TableFile::Pdf(bytes));
            }
            other => {
                return Err(AppError::BadRequest(format!(
                    "«{other}» no es un formato de descarga (csv, xlsx o pdf)."
                )));
            }
        }
    }
    let page = MatrixPage {
        layout: frame.layout,
        query: crate::routes::search::query_string(&[
            ("desde", desde.trim()),
            ("hasta", hasta.trim()),
        ]),
        lines: made.as_ref().map(lines).unwrap_or_default(),
        totals: made
            .as_ref()
            .map(|m| {
                Delivery::ALL
                    .iter()
                    .map(|d| (d.label(), m.matrix.totals.get(d).copied().unwrap_or(0)))
                    .collect()
            })
            .unwrap_or_default(),
        made,
        desde,
        hasta,
        entered,
    };
    let status = page.entered.page_status();
    shown_again(status, &page)
}
