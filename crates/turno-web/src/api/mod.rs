//! The JSON API under `/api/v1`, for other systems: the same cases, rules and visibility as the
//! pages, asked for with an API token (`Authorization: Bearer <token>`) instead of a session.
//!
//! There is no session and no CSRF check here: a token travels only when a program puts it in
//! the header, never automatically as a cookie does. Field names are English, messages Spanish.
//! The OpenAPI 3 document (`/api/v1/openapi.json`) is generated from the handlers'
//! `#[utoipa::path]` attributes and the `ToSchema` types, so it cannot drift from the code.
//!
//! One module a concern: the inbox, cases (reading, registering, completing), their search,
//! their documents, the procedure catalog, the follow-up programs, citizen attention's petitions,
//! and administration: units, people and their roles,
//! suplencias, the calendar's días inhábiles, the audit log. Document uploads are served by their own router
//! ([`upload_router`]), outside the application's 2 MiB body limit.

mod audit;
mod auth;
mod calendar;
mod cases;
mod clock;
mod delegations;
mod documents;
pub(crate) mod error;
mod events;
mod followup;
mod inbox;
mod notifications;
mod paging;
mod people;
mod petitions;
mod procedures;
mod schema;
mod search;
pub mod token;
mod turns;
mod units;

use crate::router::{Operations, Route};
use crate::state::AppState;
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::header;
use axum::response::IntoResponse;
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
                       procedimientos, los programas de seguimiento, las peticiones de atención ciudadana, las notificaciones, y la administración (unidades, personas, roles, \
                       suplencias y bitácora). Se autentica con un token de API \
                       (`Authorization: Bearer <token>`) que emite `turno token create`.",
    ),
    modifiers(&BearerScheme),
    tags(
        (name = "bandeja", description = "El trabajo abierto de las unidades del usuario."),
        (name = "asuntos", description = "Buscar, consultar, registrar y atender asuntos."),
        (name = "documentos", description = "Los documentos de un asunto: listarlos, adjuntarlos y descargarlos."),
        (name = "procedimientos", description = "El catálogo de procedimientos."),
        (name = "seguimiento", description = "Los programas de seguimiento (aspectos susceptibles de mejora, supervisiones): su estado a una fecha de corte y el avance de sus actividades."),
        (name = "peticiones", description = "La atención ciudadana: las peticiones, su registro, clasificación, volante de trámite, FUR y revisión, y la consulta del peticionario con su folio y código de acceso."),
        (name = "notificaciones", description = "Lo que se avisó al usuario y qué avisos elige recibir."),
        (name = "administración", description = "Las unidades y su historia, las personas y sus roles, las suplencias y la bitácora de cambios; casi todo solo para administradores."),
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

/// Every operation but the upload, with its route, its part of the document and its access.
fn operations() -> Operations {
    use crate::router::Access::{Api, Public};
    use crate::router::Audience::*;
    Operations::new(OpenApiRouter::with_openapi(ApiDoc::openapi()))
        .routes(Api(Anyone), routes!(inbox::list))
        .routes(Api(Registrars), routes!(cases::register))
        .routes(Api(Anyone), routes!(search::list))
        .routes(Api(CaseViewers), routes!(cases::show))
        .routes(Api(CaseActors), routes!(cases::complete))
        .routes(Api(CaseActors), routes!(turns::turn))
        .routes(Api(CaseActors), routes!(clock::clock))
        .routes(Api(CaseViewers), routes!(documents::list))
        .routes(Api(CaseViewers), routes!(documents::download))
        .routes(Api(Anyone), routes!(procedures::list))
        .routes(Api(Anyone), routes!(procedures::show))
        .routes(Api(Anyone), routes!(followup::list))
        .routes(Api(Anyone), routes!(followup::show))
        .routes(Api(FollowupEditors), routes!(followup::record))
        .routes(Api(Anyone), routes!(units::list))
        .routes(Api(Administrators), routes!(units::import))
        .routes(Api(Anyone), routes!(calendar::show))
        .routes(Api(Administrators), routes!(calendar::import))
        .routes(Api(Administrators), routes!(people::list, people::create))
        .routes(Api(Administrators), routes!(people::grant, people::revoke))
        .routes(Api(Administrators), routes!(people::set_active))
        .routes(Api(Anyone), routes!(delegations::list))
        .routes(Api(Titulars), routes!(delegations::create))
        .routes(Api(Titulars), routes!(delegations::revoke))
        .routes(Api(Administrators), routes!(audit::list))
        .routes(Api(PetitionReaders), routes!(petitions::list))
        .routes(Api(PetitionReaders), routes!(petitions::show))
        .routes(Api(PetitionReaders), routes!(petitions::letter))
        .routes(
            Api(PetitionHandlers),
            routes!(petitions::classification, petitions::classify),
        )
        .routes(Api(VolanteReaders), routes!(petitions::slip))
        .routes(Api(VolanteReaders), routes!(petitions::responses))
        .routes(Api(Liaisons), routes!(petitions::answer))
        .routes(Api(PetitionHandlers), routes!(petitions::review))
        .routes(Public, routes!(petitions::status))
        .routes(Api(Anyone), routes!(notifications::list))
        .routes(Api(Anyone), routes!(notifications::mark_read))
        .routes(
            Api(Anyone),
            routes!(notifications::preferences, notifications::set_preferences),
        )
        .routes(Public, routes!(openapi_json))
}

/// The uploads: a case's document, whose body may be as large as the blob store accepts, and a
/// petition with its scanned letter.
fn upload_operations() -> Operations {
    use crate::router::Access::Api;
    use crate::router::Audience::{CaseActors, PetitionWorkers};
    let (schemas, paths, register) = routes!(petitions::register);
    let register = register.layer(DefaultBodyLimit::max(petitions::REGISTRATION_BODY_LIMIT));
    Operations::new(OpenApiRouter::new())
        .routes(Api(CaseActors), routes!(documents::upload))
        .routes(Api(PetitionWorkers), (schemas, paths, register))
}

/// The OpenAPI 3 document of the API.
pub fn openapi() -> utoipa::openapi::OpenApi {
    let (api, _) = operations().into_parts();
    let (uploads, _) = upload_operations().into_parts();
    api.merge(uploads).into_openapi()
}

static DOCUMENT: LazyLock<String> = LazyLock::new(|| {
    openapi()
        .to_pretty_json()
        .expect("the OpenAPI document serializes")
});

/// The API's routes but the upload, to merge into the application (outside the session
/// layers, under its body limit), and their table.
pub(crate) fn router() -> (Router<AppState>, Vec<Route>) {
    let (api, table) = operations().into_parts();
    (api.split_for_parts().0, table)
}

/// The upload's route, to merge into the application outside its body limit (the blob store
/// enforces its own, as the file arrives), and its table.
pub(crate) fn upload_router() -> (Router<AppState>, Vec<Route>) {
    let (uploads, table) = upload_operations().into_parts();
    (uploads.split_for_parts().0, table)
}

/// What no route of the API serves answers in JSON too, not with an empty page.
pub(crate) fn no_such_route() -> ApiError {
    ApiError::not_found("No existe esa ruta de la API.")
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
