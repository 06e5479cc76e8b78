//! `GET /bandeja`: "Mi bandeja", the open work of the person's units, soonest due first.

use crate::access::visible_units;
use crate::error::AppError;
use crate::page::{Frame, Layout};
use crate::state::AppState;
use crate::views::{Light, signed_in};
use askama::Template;
use axum::extract::{Query, State};
use axum::response::{Html, IntoResponse, Response};
use serde::Deserialize;
use turno_domain::engine::DueStatus;
use turno_store::Store;

pub const PAGE_SIZE: i64 = 50;

pub struct Row {
    pub folio: String,
    pub title: String,
    pub procedure: String,
    pub activity: String,
    pub due: Option<String>,
    pub light: Light,
}

#[derive(Template)]
#[template(path = "inbox.html")]
struct InboxPage {
    layout: Layout,
    units: Vec<String>,
    rows: Vec<Row>,
    total: i64,
    page: i64,
    pages: i64,
    previous_page: Option<i64>,
    next_page: Option<i64>,
}

#[derive(Deserialize)]
pub struct InboxQuery {
    pagina: Option<i64>,
}

pub async fn get(
    State(state): State<AppState>,
    frame: Frame,
    Query(query): Query<InboxQuery>,
) -> Result<Response, AppError> {
    let user = signed_in(&frame)?;
    let units = visible_units(&state, user).await?;
    let total = state.store.count_inbox_for_units(&units).await?;
    let pages = ((total + PAGE_SIZE - 1) / PAGE_SIZE).max(1);
    let page = query.pagina.unwrap_or(1).clamp(1, pages);
    let found = state
        .store
        .inbox_for_units(&units, PAGE_SIZE, (page - 1) * PAGE_SIZE)
        .await?;
    let today = state.context().today;
    let rows = found
        .into_iter()
        .map(|row| {
            let procedure = state
                .library
                .latest(&row.procedure_key)
                .map_or_else(|| row.procedure_key.clone(), |p| p.title.clone());
            let opened = row
                .opened_at
                .parse::<jiff::Timestamp>()
                .map(|t| t.to_zoned(state.time_zone.clone()).date())
                .unwrap_or(today);
            let due = row
                .due
                .as_deref()
                .and_then(|d| d.parse::<jiff::civil::Date>().ok());
            Row {
                folio: row.folio,
                title: row.title,
                procedure,
                activity: row.activity,
                due: due.map(|d| d.strftime("%d/%m/%Y").to_string()),
                light: Light(due.map_or(DueStatus::OnTime, |d| DueStatus::of(opened, d, today))),
            }
        })
        .collect();
    let mut unit_names = user.unit_codes();
    unit_names.sort();
    let html = InboxPage {
        layout: frame.layout,
        units: unit_names,
        rows,
        total,
        page,
        pages,
        previous_page: (page > 1).then(|| page - 1),
        next_page: (page < pages).then(|| page + 1),
    }
    .render()
    .map_err(anyhow::Error::from)?;
    Ok(Html(html).into_response())
}
