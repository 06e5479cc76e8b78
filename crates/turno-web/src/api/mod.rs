//! The JSON API under `/api/v1`, for other systems: the same cases, rules and visibility as the
//! pages, asked for with an API token (`Authorization: Bearer <token>`) instead of a session.
//!
//! There is no session and no CSRF check here: a token travels only when a program puts it in
//! the header, never automatically as a cookie does. Field names are English, messages Spanish.
//! The OpenAPI 3 document (`/api/v1/openapi.json`) is generated from the handlers'
//! `#[utoipa::path]` attributes and the `ToSchema` types, so it cannot drift from the code.
//!
//! One module a concern: the inbox, cases (reading, registering, completing), their search,
//! their documents, the procedure catalog, the follow-up programs, the monthly report of citizen
//! attention, and administration: units, people and their roles,
//! suplencias, the calendar's días inhábiles, the audit log. Uploads (a case's documents, an
//! activity's evidence) are served by their own router ([`upload_router`]), outside the
//! application's 2 MiB body limit.

mod audit;
mod auth;
mod calendar;
mod cases;
mod clock;
mod delegations;
mod documents;
pub(crate) mod error;
mod followup;
mod inbox;
mod motives;
mod notifications;
mod paging;
mod people;
mod procedures;
mod report;
mod schema;
mod search;
pub mod token;
mod turns;
mod units;

use crate::state::AppState;
use axum::Router;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::any;
use error::ApiError;
use std::sync::LazyLock;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The name of the bearer security scheme in the document.
const BEARER: &str = "bearer";

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Turno API",
        description = "API de Turno, sistema de control de gestión: la bandeja, los asuntos, su \
                       búsqueda, registro y atención, sus documentos, el catálogo de \
                       procedimientos, los programas de seguimiento, el informe mensual de atención ciudadana, \
                       las notificaciones, y la administración (unidades, personas, roles, \
                       suplencias, calendario, motivos y bitácora). Se autentica con un token de API \
                       (`Authorization: Bearer <token>`) que emite `turno token create`.",
    ),
    modifiers(&BearerScheme),
    tags(
        (name = "bandeja", description = "El trabajo abierto de las unidades del usuario."),
        (name = "asuntos", description = "Buscar, consultar, registrar y atender asuntos."),
        (name = "documentos", description = "Los documentos de un asunto: listarlos, adjuntarlos y descargarlos."),
        (name = "procedimientos", description = "El catálogo de procedimientos."),
        (name = "seguimiento", description = "Los programas de seguimiento (aspectos susceptibles de mejora, supervisiones): su estado a una fecha de corte y el avance de sus actividades."),
        (name = "atención ciudadana", description = "El informe mensual de atención ciudadana y las llamadas que declara el proveedor del Centro de Atención Telefónica."),
        (name = "notificaciones", description = "Lo que se avisó al usuario y qué avisos elige recibir."),
        (name = "administración", description = "Las unidades y su historia, las personas y sus roles, las suplencias, el calendario de días inhábiles, el catálogo de motivos y la bitácora de cambios; casi todo solo para administradores."),
        (name = "documentación", description = "Este documento OpenAPI."),
    ),
)]
struct ApiDoc;

struct BearerScheme;

impl Modify for BearerScheme {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            BEARER,
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(
                        "Token de API de 256 bits; se muestra una sola vez al crearlo \
                         (`turno token create --user LOGIN --name NOMBRE`).",
                    ))
                    .build(),
            ),
        );
    }
}

/// Every handler but the uploads with its route and its part of the document.
fn api() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(inbox::list))
        .routes(routes!(cases::register, search::list))
        .routes(routes!(cases::show))
        .routes(routes!(cases::complete))
        .routes(routes!(turns::turn))
        .routes(routes!(clock::clock))
        .routes(routes!(documents::list))
        .routes(routes!(documents::download))
        .routes(routes!(procedures::list))
        .routes(routes!(procedures::show))
        .routes(routes!(followup::list, followup::create))
        .routes(routes!(followup::show))
        .routes(routes!(followup::record))
        .routes(routes!(followup::add_item))
        .routes(routes!(followup::import_tables))
        .routes(routes!(followup::close_round))
        .routes(routes!(followup::download_evidence))
        .routes(routes!(followup::create_supervision))
        .routes(routes!(units::list))
        .routes(routes!(units::import))
        .routes(routes!(units::save))
        .routes(routes!(calendar::show))
        .routes(routes!(calendar::import))
        .routes(routes!(calendar::add))
        .routes(routes!(calendar::remove))
        .routes(routes!(calendar::set_scope))
        .routes(routes!(motives::list, motives::add))
        .routes(routes!(motives::retire))
        .routes(routes!(people::list, people::create))
        .routes(routes!(people::grant, people::revoke))
        .routes(routes!(people::set_active))
        .routes(routes!(delegations::list, delegations::create))
        .routes(routes!(delegations::revoke))
        .routes(routes!(audit::list))
        .routes(routes!(report::show))
        .routes(routes!(report::declare))
        .routes(routes!(notifications::list))
        .routes(routes!(notifications::mark_read))
        .routes(routes!(
            notifications::preferences,
            notifications::set_preferences
        ))
        .routes(routes!(openapi_json))
}

/// The uploads, whose bodies may be as large as the blob store accepts: a case's document and
/// an activity's evidence.
fn uploads() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(documents::upload))
        .routes(routes!(followup::record_evidence))
}

/// The OpenAPI 3 document of the API.
pub fn openapi() -> utoipa::openapi::OpenApi {
    api().merge(uploads()).into_openapi()
}

static DOCUMENT: LazyLock<String> = LazyLock::new(|| {
    openapi()
        .to_pretty_json()
        .expect("the OpenAPI document serializes")
});

/// The API's routes but the uploads, to merge into the application (outside the session
/// layers, under its body limit).
pub(crate) fn router() -> Router<AppState> {
    let (router, _) = api().split_for_parts();
    // Anything else under the API answers in JSON too, not with an empty page.
    router.route(
        "/api/v1/{*rest}",
        any(|| async { ApiError::not_found("No existe esa ruta de la API.") }),
    )
}

/// The uploads' routes, to merge into the application outside its body limit: the blob store
/// enforces its own, as the file arrives (a multipart body's, the file's and its form's).
pub(crate) fn upload_router(state: &AppState) -> Router<AppState> {
    uploads()
        .split_for_parts()
        .0
        .layer(crate::routes::documents::body_limit(state))
}

/// The OpenAPI 3 document of this API.
#[utoipa::path(
    get,
    path = "/api/v1/openapi.json",
    operation_id = "get_openapi",
    tag = "documentación",
    responses((status = 200, description = "El documento OpenAPI 3", content_type = "application/json", body = Object)),
)]
async fn openapi_json() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "application/json")],
        DOCUMENT.as_str(),
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_document_names_each_operation_once() {
        let document: serde_json::Value = serde_json::from_str(&super::DOCUMENT).unwrap();
        let mut ids: Vec<&str> = document["paths"]
            .as_object()
            .unwrap()
            .values()
            .flat_map(|item| item.as_object().unwrap().values())
            .filter_map(|operation| operation["operationId"].as_str())
            .collect();
        let all = ids.len();
        assert!(ids.contains(&"turn_work") && ids.contains(&"complete_work"));
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), all, "operation ids are unique");
    }
}
