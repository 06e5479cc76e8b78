//! `GET /procedimientos/{key}/recorrido?desde=&hasta=`: the paths real cases of a procedure
//! took, drawn on its own flowchart (how often each move and return ran, where cases wait
//! longest, which units are the bottleneck), for administrators and the people of the
//! procedure's units (`turno_app::mining::paths`). `GET /procedimientos/{key}/recorrido.xes`:
//! the procedure's event log as XES, for administrators (`turno_app::mining::export_xes`).

use crate::error::AppError;
use crate::flowchart;
use crate::forms::{Submitted, single};
use crate::mining::{FILLS, PathsReport, period, xes_download};
use crate::page::{Frame, Layout};
use crate::state::AppState;
use crate::views::signed_in;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;

#[derive(Template)]
#[template(path = "paths.html")]
struct PathsPage {
    layout: Layout,
    key: String,
    title: String,
    from: String,
    to: String,
    report: PathsReport,
    flowchart: String,
    fills: [&'static str; 4],
    may_export: bool,
    query: String,
}

pub async fn get(
    State(state): State<AppState>,
    frame: Frame,
    Path(key): Path<String>,
    Query(query): Query<Submitted>,
) -> Result<Response, AppError> {
    let user = signed_in(&frame)?;
    let from = single(&query, "desde")
        .unwrap_or_default()
        .trim()
        .to_owned();
    let to = single(&query, "hasta")
        .unwrap_or_default()
        .trim()
        .to_owned();
    let period = period(Some(from.as_str()), Some(to.as_str())).map_err(AppError::BadRequest)?;
    let view = turno_app::mining::paths(&state, user, &key, period).await?;
    let report = PathsReport::of(&view);
    let flowchart = flowchart::render_marked(&view.procedure, &report.marks());
    let page = PathsPage {
        key: view.procedure.key.clone(),
        title: view.procedure.title.clone(),
        query: format!(
            "desde={}&hasta={}",
            crate::router::urlencode(&from),
            crate::router::urlencode(&to)
        ),
        from,
        to,
        report,
        flowchart,
        fills: FILLS,
        may_export: user.is_admin(),
        layout: frame.layout,
    };
    crate::page::html(&page)
}

pub async fn xes(
    State(state): State<AppState>,
    frame: Frame,
    Path(key): Path<String>,
    Query(query): Query<Submitted>,
) -> Result<Response, AppError> {
    let user = signed_in(&frame)?;
    let period =
        period(single(&query, "desde"), single(&query, "hasta")).map_err(AppError::BadRequest)?;
    Ok(xes_download(&state, user, Some(key), period)?)
}
