//! `GET /buscar`: finding cases by folio or words, status, unit and registration dates, among
//! the cases the person may see (an administrator sees all), newest first.

use crate::chooser::UnitGroups;
use crate::error::AppError;
use crate::page::{Frame, Layout};
use crate::routes::case::status_label;
use crate::state::AppState;
use crate::views::{procedure_title, signed_in, when};
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use serde::Deserialize;
use turno_app::search::{Criteria, STATUSES, dates, searchable_units, text};
use turno_domain::text::capitalized;
use turno_store::Store;

pub const PAGE_SIZE: i64 = 25;

/// An option of a `<select>`.
pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

impl Choice {
    pub fn new(value: &str, label: &str, current: &str) -> Choice {
        Choice {
            value: value.to_owned(),
            label: label.to_owned(),
            selected: value == current,
        }
    }
}

pub struct Found {
    pub folio: String,
    pub title: String,
    pub procedure: String,
    pub status: &'static str,
    pub created_at: String,
    pub created_iso: String,
}

#[derive(Template)]
#[template(path = "search.html")]
struct SearchPage {
    layout: Layout,
    q: String,
    desde: String,
    hasta: String,
    statuses: Vec<Choice>,
    units: UnitGroups,
    /// The unit chosen; empty for all.
    unit: String,
    /// Why the words find nothing (control characters).
    q_error: Option<String>,
    desde_error: Option<&'static str>,
    hasta_error: Option<&'static str>,
    rows: Vec<Found>,
    pager: Pager,
}

#[derive(Deserialize, Default)]
pub struct SearchParams {
    q: Option<String>,
    estado: Option<String>,
    unidad: Option<String>,
    desde: Option<String>,
    hasta: Option<String>,
    pagina: Option<String>,
}

/// `name=value&…` of the non-empty pairs, encoded for a URL's query.
pub fn query_string(pairs: &[(&str, &str)]) -> String {
    pairs
        .iter()
        .filter(|(_, value)| !value.is_empty())
        .map(|(name, value)| format!("{}={}", encode(name), encode(value)))
        .collect::<Vec<_>>()
        .join("&")
}

fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            other => format!("%{other:02X}"),
        })
        .collect()
}

/// The link to another page of a list: its path, its filters and the page number.
pub fn page_link(path: &str, filters: &str, page: i64) -> String {
    if filters.is_empty() {
        format!("{path}?pagina={page}")
    } else {
        format!("{path}?{filters}&pagina={page}")
    }
}

/// A page number as typed in a URL; anything else is the first page.
pub fn page_number(text: Option<&str>) -> i64 {
    text.and_then(|t| t.trim().parse().ok()).unwrap_or(1)
}

/// The page of a list asked for in the URL (`?pagina=2`), of a list with no other filter.
#[derive(Deserialize)]
pub struct PageParams {
    pub pagina: Option<String>,
}

/// Where a list of `total` rows, `size` to a page, is read: the page asked for, always
/// within the pages there are, and the links to the pages beside it (the `pager` macro of
/// `templates/pager.html` shows them).
pub struct Pager {
    page: i64,
    pages: i64,
    total: i64,
    previous: Option<String>,
    next: Option<String>,
}

impl Pager {
    /// The page `asked` (as typed in the URL) of a list of `total` rows, `size` to a page.
    pub fn new(total: i64, size: i64, asked: Option<&str>) -> Pager {
        let pages = ((total + size - 1) / size).max(1);
        Pager {
            page: page_number(asked).clamp(1, pages),
            pages,
            total,
            previous: None,
            next: None,
        }
    }

    /// With the links to the pages beside this one, of the list at `path` with its `filters`.
    pub fn linked(self, path: &str, filters: &str) -> Pager {
        let (page, pages) = (self.page, self.pages);
        Pager {
            previous: (page > 1).then(|| page_link(path, filters, page - 1)),
            next: (page < pages).then(|| page_link(path, filters, page + 1)),
            ..self
        }
    }

    /// How many rows come before this page's first.
    pub fn offset(&self, size: i64) -> i64 {
        (self.page - 1) * size
    }

    /// The page shown, from 1.
    pub fn page(&self) -> i64 {
        self.page
    }

    /// How many pages there are, at least one.
    pub fn pages(&self) -> i64 {
        self.pages
    }

    /// How many rows the list has in all.
    pub fn total(&self) -> i64 {
        self.total
    }

    /// The link to the page before, if any.
    pub fn previous(&self) -> Option<&str> {
        self.previous.as_deref()
    }

    /// The link to the page after, if any.
    pub fn next(&self) -> Option<&str> {
        self.next.as_deref()
    }
}

pub async fn get(
    State(state): State<AppState>,
    frame: Frame,
    Query(params): Query<SearchParams>,
) -> Result<Response, AppError> {
    let user = signed_in(&frame)?;
    let trimmed = |v: &Option<String>| v.as_deref().unwrap_or("").trim().to_owned();
    let q = text(params.q.as_deref().unwrap_or_default());
    let status = trimmed(&params.estado);
    let status = if STATUSES.contains(&status.as_str()) {
        status
    } else {
        String::new()
    };
    let unit = trimmed(&params.unidad);
    let (desde, hasta) = (trimmed(&params.desde), trimmed(&params.hasta));
    let (from, to) = dates(&desde, &hasta);

    let visible = searchable_units(user);
    let chart = state.store.organization().await?;
    let units = UnitGroups::new(
        &chart,
        |code| visible.as_ref().is_none_or(|v| v.iter().any(|u| u == code)),
        &[&unit],
    );
    let mut statuses = vec![Choice::new("", "Todos", &status)];
    statuses.extend(
        STATUSES
            .iter()
            .map(|s| Choice::new(s, &capitalized(status_label(s)), &status)),
    );

    let filters = query_string(&[
        ("q", &q),
        ("estado", &status),
        ("unidad", &unit),
        ("desde", &desde),
        ("hasta", &hasta),
    ]);
    let (mut rows, mut pager) = (Vec::new(), Pager::new(0, PAGE_SIZE, None));
    let criteria = match (&from, &to) {
        (Ok(from), Ok(to)) => Some(Criteria {
            text: q.clone(),
            status: status.clone(),
            unit: unit.clone(),
            from: *from,
            to: *to,
        }),
        _ => None,
    };
    // Nothing is found by a text with control characters: said next to the field.
    let q_error = criteria
        .as_ref()
        .and_then(|c| c.check().err())
        .map(turno_app::Error::sentences);
    if let (Some(criteria), None) = (&criteria, &q_error) {
        let mut search = criteria.search(&state, user, PAGE_SIZE, 0);
        let total = state.store.count_cases(&search).await?;
        pager = Pager::new(total, PAGE_SIZE, params.pagina.as_deref()).linked("/buscar", &filters);
        search.offset = pager.offset(PAGE_SIZE);
        rows = state
            .store
            .search_cases(&search)
            .await?
            .into_iter()
            .map(|case| Found {
                procedure: procedure_title(&state, &case.procedure_key),
                status: status_label(&case.status),
                created_at: when(&case.created_at, &state.time_zone),
                created_iso: case.created_at,
                folio: case.folio,
                title: case.title,
            })
            .collect();
    }
    crate::page::html(&SearchPage {
        layout: frame.layout,
        q,
        desde,
        hasta,
        statuses,
        units,
        unit: unit.clone(),
        q_error,
        desde_error: from.err(),
        hasta_error: to.err(),
        rows,
        pager,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_travel_encoded_in_the_links() {
        let filters = query_string(&[
            ("q", "petición & acuerdo"),
            ("estado", ""),
            ("desde", "2026-03-01"),
        ]);
        assert_eq!(filters, "q=petici%C3%B3n%20%26%20acuerdo&desde=2026-03-01");
        assert_eq!(
            page_link("/buscar", &filters, 2),
            format!("/buscar?{filters}&pagina=2")
        );
        assert_eq!(page_link("/bandeja", "", 3), "/bandeja?pagina=3");
        assert_eq!(page_number(Some("x")), 1);
        assert_eq!(page_number(Some(" 4 ")), 4);
    }
}
