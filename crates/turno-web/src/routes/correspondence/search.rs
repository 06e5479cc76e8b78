//! `GET /correspondencia/buscar`: «Buscar en la correspondencia», incoming and outgoing
//! documents found by words (number, folio, subject, summary or body, sender: accents and case
//! do not matter, the last word may be begun) and dates, among those the person sees
//! (`turno_app::correspondence::search`), newest first, a page at a time. A query with problems
//! shows the form again with each next to its field, what was typed kept.

use crate::error::AppError;
use crate::page::{Frame, Layout};
use crate::routes::search::{Pager, query_string};
use crate::state::AppState;
use crate::views::signed_in;
use axum::extract::{Query, State};
use axum::response::Response;
use serde::Deserialize;
use turno_app::correspondence::search::{self, Direction, Hit, PAGE_SIZE, Results};

/// The query of the page, as the API names it.
#[derive(Deserialize, Default)]
pub struct SearchParams {
    q: Option<String>,
    desde: Option<String>,
    hasta: Option<String>,
    pagina: Option<String>,
}

/// A document found, as its row shows it.
pub struct Row {
    pub direction: &'static str,
    /// Its folio (incoming) or its number, else «sin número» (outgoing).
    pub key: String,
    pub link: String,
    /// Their number, for an incoming document.
    pub their_number: Option<String>,
    pub subject: String,
    pub sender: String,
    pub day: String,
    pub state: String,
}

impl Row {
    fn of(hit: Hit) -> Row {
        let (key, link, their_number) = match (hit.direction, hit.folio, hit.id) {
            (Direction::Incoming, Some(folio), _) => (
                folio.to_string(),
                format!("/correspondencia/{folio}"),
                hit.number.clone(),
            ),
            (_, _, id) => (
                hit.number.clone().unwrap_or_else(|| "Sin número".into()),
                format!("/correspondencia/salida/{}", id.unwrap_or_default()),
                None,
            ),
        };
        Row {
            direction: hit.direction.label(),
            key,
            link,
            their_number,
            subject: hit.subject,
            sender: hit.sender,
            day: hit.day.map(turno_domain::text::day).unwrap_or_default(),
            state: hit.state,
        }
    }
}

#[derive(askama::Template)]
#[template(path = "correspondence_search.html")]
struct SearchPage {
    layout: Layout,
    q: String,
    desde: String,
    hasta: String,
    /// Each problem of the query by its field (`q`, `desde`, `hasta`, `pagina`).
    problems: Vec<(String, String)>,
    results: Option<Results>,
    rows: Vec<Row>,
    pager: Pager,
}

impl SearchPage {
    /// The problem of `field`, if any.
    fn problem(&self, field: &str) -> Option<&str> {
        self.problems
            .iter()
            .find(|(f, _)| f == field)
            .map(|(_, message)| message.as_str())
    }

    /// Whether a field of the form has a problem (the page's is said apart).
    fn field_problems(&self) -> bool {
        self.problems.iter().any(|(field, _)| field != "pagina")
    }
}

pub async fn get(
    State(state): State<AppState>,
    frame: Frame,
    Query(params): Query<SearchParams>,
) -> Result<Response, AppError> {
    let user = signed_in(&frame)?;
    let typed = |v: &Option<String>| v.as_deref().unwrap_or("").to_owned();
    let (q, desde, hasta, pagina) = (
        typed(&params.q),
        typed(&params.desde),
        typed(&params.hasta),
        typed(&params.pagina),
    );
    let query = search::Query {
        q: &q,
        from: &desde,
        until: &hasta,
        page: &pagina,
    };
    let filters = query_string(&[
        ("q", q.trim()),
        ("desde", desde.trim()),
        ("hasta", hasta.trim()),
    ]);
    let size = i64::from(PAGE_SIZE);
    let (results, problems) = match search::search(&state, user, &query).await {
        Ok(results) => (Some(results), Vec::new()),
        Err(turno_app::Error::InvalidFields(problems)) => (
            None,
            problems.into_iter().map(|p| (p.field, p.message)).collect(),
        ),
        Err(other) => return Err(other.into()),
    };
    let (rows, pager) = match &results {
        Some(results) => {
            let total = i64::try_from(results.total).unwrap_or(i64::MAX);
            let page = results.page.to_string();
            (
                results.hits.iter().cloned().map(Row::of).collect(),
                Pager::new(total, size, Some(&page)).linked("/correspondencia/buscar", &filters),
            )
        }
        None => (Vec::new(), Pager::new(0, size, None)),
    };
    let status = if problems.is_empty() {
        axum::http::StatusCode::OK
    } else {
        axum::http::StatusCode::UNPROCESSABLE_ENTITY
    };
    crate::page::html_with(
        status,
        &SearchPage {
            layout: frame.layout,
            q,
            desde,
            hasta,
            problems,
            results,
            rows,
            pager,
        },
    )
}
