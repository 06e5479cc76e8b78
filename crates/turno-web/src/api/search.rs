//! `GET /api/v1/cases`: finding cases as "Buscar" does (by folio or words, status, a unit
//! that takes part and registration dates), among the cases the token user may see (an
//! administrator sees all), newest first. Unlike the page, a criterion that cannot be read is
//! refused (400 naming it) instead of ignored, so that a program never takes a wider search
//! for the one it asked.

use super::auth::ApiUser;
use super::error::{ApiError, ErrorBody, Json, Query};
use super::schema::CaseStatus;
use crate::state::AppState;
use crate::views::procedure_title;
use axum::extract::State;
use serde::{Deserialize, Serialize};
use turno_app::search::{Criteria, STATUSES, text};
use turno_store::Store;
use utoipa::{IntoParams, ToSchema};

const DEFAULT_PER_PAGE: i64 = 25;
const MAX_PER_PAGE: i64 = 100;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchQuery {
    /// A folio, or words found in the folio, the title, the requester or the case's data: all
    /// of them, anywhere, ignoring case and accents. One line, without control characters.
    #[param(pattern = r"^[^\x00-\x1F\x7F-\x9F]*$")]
    q: Option<String>,
    #[param(schema_with = status_schema)]
    status: Option<String>,
    /// The code of a unit that takes or took part in the case. One line, without control
    /// characters.
    #[param(pattern = r"^[^\x00-\x1F\x7F-\x9F]*$")]
    unit: Option<String>,
    /// Registered on this day or after (`AAAA-MM-DD`, in the agency's time zone).
    #[param(format = Date)]
    from: Option<String>,
    /// Registered on this day or before (`AAAA-MM-DD`, in the agency's time zone).
    #[param(format = Date)]
    to: Option<String>,
    #[param(schema_with = super::paging::page_schema)]
    page: Option<i64>,
    /// Cases per page.
    #[param(schema_with = super::paging::limit_schema::<DEFAULT_PER_PAGE, MAX_PER_PAGE>)]
    per_page: Option<i64>,
}

/// The schema of `status`: one of the statuses a search takes.
fn status_schema() -> utoipa::openapi::schema::Object {
    utoipa::openapi::schema::ObjectBuilder::new()
        .schema_type(utoipa::openapi::schema::Type::String)
        .description(Some("Only the cases in this status."))
        .enum_values(Some(STATUSES))
        .build()
}

/// A page of the cases found.
#[derive(Debug, Serialize, ToSchema)]
pub struct SearchResults {
    /// Cases found in all, on every page.
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
    pub items: Vec<FoundCase>,
}

/// A case found.
#[derive(Debug, Serialize, ToSchema)]
pub struct FoundCase {
    #[schema(example = "CAS-2026-000001")]
    pub folio: String,
    pub title: String,
    /// The procedure's key.
    pub procedure: String,
    pub procedure_title: String,
    pub status: CaseStatus,
    pub requester: Option<String>,
    /// When it was registered (RFC 3339).
    pub created_at: String,
}

/// Finds cases among those the token user may see, newest first (as "Buscar").
#[utoipa::path(
    get,
    path = "/api/v1/cases",
    operation_id = "search_cases",
    tag = "asuntos",
    params(SearchQuery),
    responses(
        (status = 200, description = "Una página de los asuntos encontrados", body = SearchResults),
        (status = 400, description = "Un parámetro no válido, nombrado en el mensaje", body = ErrorBody),
        (status = 422, description = "«q» o «unit» llevan caracteres de control", body = ErrorBody),
    ),
)]
pub async fn list(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Query(query): Query<SearchQuery>,
) -> Result<Json<SearchResults>, ApiError> {
    let status = query.status.clone().unwrap_or_default();
    if query.status.is_some() && !STATUSES.contains(&status.as_str()) {
        return Err(ApiError::bad_request(format!(
            "«status» debe ser {}.",
            STATUSES.join(", ")
        )));
    }
    // A range that ends before it starts finds nothing, as the document allows it.
    let from = super::paging::date("from", query.from.as_deref())?;
    let to = super::paging::date("to", query.to.as_deref())?;
    let page = query.page.unwrap_or(1);
    if page < 1 {
        return Err(ApiError::bad_request("«page» empieza en 1."));
    }
    let per_page = query.per_page.unwrap_or(DEFAULT_PER_PAGE);
    if !(1..=MAX_PER_PAGE).contains(&per_page) {
        return Err(ApiError::bad_request(format!(
            "«per_page» debe estar entre 1 y {MAX_PER_PAGE}."
        )));
    }
    let criteria = Criteria {
        text: text(query.q.as_deref().unwrap_or_default()),
        status,
        unit: query.unit.as_deref().unwrap_or_default().trim().to_owned(),
        from,
        to,
    };
    criteria.check()?;
    let offset = (page - 1).saturating_mul(per_page);
    let search = criteria.search(&state, &user, per_page, offset);
    let total = state.store.count_cases(&search).await?;
    let items = state
        .store
        .search_cases(&search)
        .await?
        .into_iter()
        .map(|case| FoundCase {
            procedure_title: procedure_title(&state, &case.procedure_key),
            status: CaseStatus::of(&case.status),
            folio: case.folio,
            title: case.title,
            procedure: case.procedure_key,
            requester: case.requester,
            created_at: case.created_at,
        })
        .collect();
    Ok(Json(SearchResults {
        total,
        page,
        per_page,
        items,
    }))
}
