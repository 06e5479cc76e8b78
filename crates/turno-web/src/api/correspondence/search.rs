//! `GET /api/v1/correspondence/search`: «Buscar en la correspondencia» as the page does it
//! (`turno_app::correspondence::search`): incoming and outgoing documents by words and dates,
//! among those the token user sees, newest first, a page of 20 at a time. A query that cannot
//! be read is refused (422, each problem by its parameter), never taken for a wider search.

use crate::api::auth::ApiUser;
use crate::api::error::{ApiError, ErrorBody, Json, Query};
use crate::state::AppState;
use axum::extract::State;
use serde::{Deserialize, Serialize};
use turno_app::correspondence::search::{
    self, Direction, Hit, MAX_PAGE, MAX_QUERY, PAGE_SIZE, Results,
};
use utoipa::openapi::schema::{Object, ObjectBuilder, Type};
use utoipa::{IntoParams, ToSchema};

/// What to look for; each parameter may be left out.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchQuery {
    /// Words found in the document's folio, number (theirs for incoming, ours for outgoing),
    /// subject, summary or body, or sender (name, position, body): all of them, ignoring case
    /// and accents; the last one may be begun («ofi» finds «oficio»). One line, without
    /// control characters.
    #[param(schema_with = q_schema)]
    q: Option<String>,
    /// Received (incoming) or signed (outgoing) on this day or after, in the agency's time zone.
    #[param(schema_with = date_schema)]
    desde: Option<String>,
    /// Received or signed on this day or before; not before `desde`.
    #[param(schema_with = date_schema)]
    hasta: Option<String>,
    /// The page, from 1; the count stops at the cap, so the pages do too.
    #[param(schema_with = page_schema)]
    pagina: Option<String>,
}

fn q_schema() -> Object {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .max_length(Some(MAX_QUERY))
        .pattern(Some(r"^[^\x00-\x1F\x7F-\x9F]*$"))
        .build()
}

fn date_schema() -> Object {
    ObjectBuilder::new()
        .schema_type(Type::String)
        // Empty is no date, as the page's form sends it.
        .pattern(Some(r"^([0-9]{4}-[0-9]{2}-[0-9]{2})?$"))
        .description(Some("AAAA-MM-DD, o vacío"))
        .build()
}

fn page_schema() -> Object {
    ObjectBuilder::new()
        .schema_type(Type::Integer)
        .minimum(Some(1))
        .maximum(Some(MAX_PAGE as f64))
        .default(Some(1.into()))
        .build()
}

/// One page of what was found.
#[derive(Debug, Serialize, ToSchema)]
pub struct CorrespondenceSearchResults {
    /// Documents found, on every page, up to the cap (200)…
    pub total: u64,
    /// …and whether more than that match: narrow the search.
    pub more: bool,
    pub page: u64,
    pub pages: u64,
    pub per_page: u32,
    pub items: Vec<FoundDocument>,
}

/// A document found.
#[derive(Debug, Serialize, ToSchema)]
pub struct FoundDocument {
    /// `entrada` or `salida`.
    #[schema(example = "entrada")]
    pub direction: &'static str,
    /// An incoming document's folio.
    #[schema(example = "CE-2026-000001")]
    pub folio: Option<String>,
    /// An outgoing document's id.
    pub id: Option<i64>,
    /// Their number (incoming) or ours (outgoing, once signed).
    pub number: Option<String>,
    /// «[Información clasificada]» where the user may not read it.
    pub subject: String,
    pub sender: String,
    /// When it was received (local date and time) or signed, else drafted (RFC 3339).
    pub at: String,
    /// The day of `at` in the agency's time zone.
    pub day: Option<String>,
    #[schema(schema_with = super::incoming::classification_codes)]
    pub classification: &'static str,
    /// Where it stands: the turns of an incoming document («Sin turnar», «En trámite»,
    /// «Concluido»), the stage of an outgoing one.
    pub state: String,
    /// The document in the API.
    pub href: String,
}

impl From<Hit> for FoundDocument {
    fn from(hit: Hit) -> FoundDocument {
        let href = match (hit.direction, hit.folio, hit.id) {
            (Direction::Incoming, Some(folio), _) => {
                format!("/api/v1/correspondence/incoming/{folio}")
            }
            (_, _, id) => format!("/api/v1/correspondence/outgoing/{}", id.unwrap_or_default()),
        };
        FoundDocument {
            direction: hit.direction.code(),
            folio: hit.folio.map(|f| f.to_string()),
            id: hit.id,
            number: hit.number,
            subject: hit.subject,
            sender: hit.sender,
            at: hit.at,
            day: hit.day.map(|d| d.to_string()),
            classification: hit.classification.code(),
            state: hit.state,
            href,
        }
    }
}

/// Searches the incoming and outgoing documents the token user sees, newest first.
#[utoipa::path(
    get,
    path = "/api/v1/correspondence/search",
    operation_id = "search_correspondence",
    tag = "correspondencia",
    params(SearchQuery),
    responses(
        (status = 200, description = "Una página de los documentos encontrados", body = CorrespondenceSearchResults),
        (status = 400, description = "La consulta no se puede leer", body = ErrorBody),
        (status = 422, description = "Parámetros no válidos (`invalid_fields`), cada uno con su nombre: «q» con más de 200 caracteres o caracteres de control, «desde» o «hasta» que no son AAAA-MM-DD, «hasta» anterior a «desde», «pagina» fuera de 1 a 10", body = ErrorBody),
    ),
)]
pub async fn search(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Query(query): Query<SearchQuery>,
) -> Result<Json<CorrespondenceSearchResults>, ApiError> {
    let given = |v: &Option<String>| v.as_deref().unwrap_or_default().to_owned();
    let (q, desde, hasta, pagina) = (
        given(&query.q),
        given(&query.desde),
        given(&query.hasta),
        given(&query.pagina),
    );
    let Results {
        total,
        more,
        page,
        pages,
        hits,
        ..
    } = search::search(
        &state,
        &user,
        &search::Query {
            q: &q,
            from: &desde,
            until: &hasta,
            page: &pagina,
        },
    )
    .await?;
    Ok(Json(CorrespondenceSearchResults {
        total,
        more,
        page,
        pages,
        per_page: PAGE_SIZE,
        items: hits.into_iter().map(FoundDocument::from).collect(),
    }))
}
