//! The application: its routes, each declared with who may reach it (`router.rs`), sign-in,
//! sessions and the headers every response carries.

use crate::auth::Backend;
use crate::auth::sessions::DbSessions;
use crate::flash;
use crate::router::{Access, Audience, Route, Routes};
use crate::routes::*;
use crate::state::AppState;
use crate::{assets, security};
use axum::http::Uri;
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Router, middleware};
use axum_login::AuthManagerLayerBuilder;
use tower_sessions::cookie::SameSite;
use tower_sessions::cookie::time::Duration;
use tower_sessions::{Expiry, SessionManagerLayer};

/// The largest body of the public mailbox's forms (and of its API operation): 5,000 characters of description and five
/// short fields of 300, at most 12 bytes each once URL-encoded (%XX per byte of UTF-8), fit.
pub(crate) const PUBLIC_BODY_LIMIT: usize = 96 * 1024;

/// The pages under the application's 2 MiB body limit, with sessions.
fn pages() -> Routes {
    use Access::{Page, Public};
    use Audience::*;
    Routes::new()
        .get("/", Public, || async { Redirect::to("/bandeja") })
        .get("/acceso", Public, sign_in::get)
        .post("/acceso", Public, sign_in::post)
        // Ending a session asks for none: without one there is nothing to end.
        .post("/salir", Public, sign_out::post)
        .get("/bandeja", Page(Anyone), inbox::get)
        .get("/peticiones", Page(PetitionReaders), petitions::get)
        .get("/peticiones/{folio}", Page(PetitionReaders), petition::get)
        .get(
            "/peticiones/importar",
            Page(PetitionWorkers),
            petition_import::get,
        )
        .get(
            "/peticiones/registrar",
            Page(PetitionWorkers),
            petition_letter::get,
        )
        .get(
            "/peticiones/{folio}/oficio",
            Page(PetitionReaders),
            petition::letter,
        )
        .get("/buscar", Page(Anyone), search::get)
        .get(
            "/correspondencia",
            Page(Anyone),
            correspondence::incoming::list,
        )
        .get(
            "/correspondencia/buscar",
            Page(Anyone),
            correspondence::search::get,
        )
        .get(
            "/correspondencia/registrar",
            Page(CorrespondenceRegistrars),
            correspondence::incoming::form,
        )
        .get(
            "/correspondencia/importar",
            Page(Administrators),
            correspondence::import::get,
        )
        .get("/archivo", Page(Anyone), archive::chart)
        .get("/archivo/catalogo.csv", Page(Anyone), archive::export)
        .post("/archivo/sembrar", Page(Archivists), archive::seed)
        .post("/archivo/importar", Page(Archivists), archive::import)
        .get("/archivo/serie", Page(Archivists), archive::serie)
        .post("/archivo/serie", Page(Archivists), archive::edit_serie)
        .get(
            "/archivo/expedientes",
            Page(ArchiveReaders),
            archive::expedientes,
        )
        .post("/archivo/expedientes", Page(Archivists), archive::open)
        .post(
            "/archivo/expedientes/{id}/cerrar",
            Page(Archivists),
            archive::close,
        )
        .post(
            "/archivo/expedientes/{id}/clasificar",
            Page(Archivists),
            archive::classify,
        )
        .get(
            "/archivo/expedientes/{id}/caratula",
            Page(ArchiveReaders),
            archive::cover,
        )
        .get(
            "/archivo/calendario",
            Page(ArchiveReaders),
            archive::calendar,
        )
        .get("/archivo/listas", Page(ArchiveReaders), archive::lists)
        .post("/archivo/listas", Page(Archivists), archive::draw)
        .get("/archivo/listas/{id}", Page(ArchiveReaders), archive::list)
        .post(
            "/archivo/listas/{id}/aprobar",
            Page(ArchiveCoordinators),
            archive::approve,
        )
        .post(
            "/archivo/listas/{id}/ejecutar",
            Page(Archivists),
            archive::execute,
        )
        .get(
            "/archivo/listas/{id}/inventario",
            Page(ArchiveReaders),
            archive::inventory,
        )
        .get("/tableros", Page(TableroReaders), tablero::get)
        .get("/tableros/asuntos", Page(TableroReaders), tablero::items)
        .get(
            "/correspondencia/informes",
            Page(CorrespondenceReportReaders),
            correspondence::report::get,
        )
        .get(
            "/correspondencia/{folio}",
            Page(CorrespondenceReaders),
            correspondence::incoming::show,
        )
        .get(
            "/correspondencia/{folio}/asunto",
            Page(CorrespondenceActors),
            correspondence::cases::form,
        )
        .post(
            "/correspondencia/{folio}/asunto",
            Page(CorrespondenceActors),
            correspondence::cases::submit,
        )
        .get(
            "/correspondencia/{folio}/acuse",
            Page(CorrespondenceReaders),
            correspondence::incoming::receipt,
        )
        .get(
            "/correspondencia/{folio}/archivos/{n}",
            Page(CorrespondenceReaders),
            correspondence::incoming::file,
        )
        .post(
            "/correspondencia/{folio}/turnar",
            Page(CorrespondenceActors),
            correspondence::turns::turn,
        )
        .post(
            "/correspondencia/{folio}/turnos/{turn}",
            Page(CorrespondenceActors),
            correspondence::turns::close,
        )
        .get(
            "/correspondencia/{folio}/turnos/{turn}/volante",
            Page(CorrespondenceReaders),
            correspondence::turns::slip,
        )
        .get("/asuntos/{folio}", Page(CaseViewers), case::get)
        .post("/asuntos/{folio}/atender", Page(CaseActors), act::post)
        .get(
            "/asuntos/{folio}/atender/firma",
            Page(CaseActors),
            act::signable,
        )
        .post("/asuntos/{folio}/turnar", Page(CaseActors), turn::post)
        .post(
            "/asuntos/{folio}/retirar-turno",
            Page(CaseActors),
            turn::withdraw,
        )
        .post("/asuntos/{folio}/plazo", Page(CaseActors), clock::post)
        .get("/asuntos/{folio}/acuse", Page(CaseViewers), receipt::get)
        .get(
            "/asuntos/{folio}/indicadores",
            Page(CaseViewers),
            indicators::get,
        )
        .get(
            "/asuntos/{folio}/constancia.pdf",
            Page(CaseViewers),
            case::constancia,
        )
        .get(
            "/asuntos/{folio}/documentos/{id}",
            Page(CaseViewers),
            documents::download,
        )
        .get("/registrar", Page(Anyone), register::choose)
        .get("/registrar/{key}", Page(Registrars), register::form)
        .post("/registrar/{key}", Page(Registrars), register::submit)
        .get(
            "/peticiones/{folio}/clasificar",
            Page(PetitionHandlers),
            handling::form,
        )
        .post(
            "/peticiones/{folio}/clasificar",
            Page(PetitionHandlers),
            handling::classify,
        )
        .get(
            "/peticiones/{folio}/volante",
            Page(VolanteReaders),
            handling::slip,
        )
        .get(
            "/peticiones/{folio}/fur",
            Page(VolanteReaders),
            handling::responses,
        )
        .post("/peticiones/{folio}/fur", Page(Liaisons), handling::answer)
        .post(
            "/peticiones/{folio}/revision",
            Page(PetitionHandlers),
            handling::review,
        )
        .get("/informes/atencion", Page(PetitionReaders), report::get)
        .post(
            "/informes/atencion/llamadas",
            Page(PetitionWorkers),
            report::declare,
        )
        .get("/procedimientos", Page(Anyone), catalog::list)
        .get(
            "/procedimientos/borradores",
            Page(Administrators),
            procedure_drafts::list,
        )
        .get(
            "/procedimientos/borradores/{id}",
            Page(Administrators),
            procedure_drafts::show,
        )
        .post(
            "/procedimientos/borradores/{id}",
            Page(Administrators),
            procedure_drafts::save,
        )
        .post(
            "/procedimientos/borradores/{id}/publicar",
            Page(Administrators),
            procedure_drafts::publish,
        )
        .post(
            "/procedimientos/borradores/{id}/descartar",
            Page(Administrators),
            procedure_drafts::discard,
        )
        .get("/procedimientos/{key}", Page(Anyone), catalog::show)
        .get(
            "/procedimientos/{key}/diagrama.svg",
            Page(Anyone),
            catalog::svg,
        )
        .get(
            "/procedimientos/{key}/diagrama.pdf",
            Page(Anyone),
            catalog::pdf,
        )
        .get(
            "/procedimientos/{key}/manual.docx",
            Page(Anyone),
            catalog::manual_docx,
        )
        .get(
            "/procedimientos/{key}/manual.pdf",
            Page(Anyone),
            catalog::manual_pdf,
        )
        .get(
            "/procedimientos/{key}/proceso.bpmn",
            Page(Anyone),
            catalog::bpmn,
        )
        .get(
            "/procedimientos/{key}/recorrido",
            Page(ProcedureUnits),
            paths::get,
        )
        .get(
            "/procedimientos/{key}/recorrido.xes",
            Page(Administrators),
            paths::xes,
        )
        .get("/organigrama", Page(Anyone), organigrama::get)
        .get(
            "/correspondencia/salida",
            Page(Anyone),
            correspondence::outgoing::list,
        )
        .get(
            "/correspondencia/salida/nuevo",
            Page(Anyone),
            correspondence::outgoing::new,
        )
        .post(
            "/correspondencia/salida/nuevo",
            Page(Anyone),
            correspondence::outgoing::create,
        )
        .get(
            "/correspondencia/salida/{id}",
            Page(OutgoingViewers),
            correspondence::outgoing::show,
        )
        .get(
            "/correspondencia/salida/{id}/corregir",
            Page(OutgoingWriters),
            correspondence::outgoing::edit,
        )
        .post(
            "/correspondencia/salida/{id}/corregir",
            Page(OutgoingWriters),
            correspondence::outgoing::correct,
        )
        .post(
            "/correspondencia/salida/{id}/paso",
            Page(OutgoingWriters),
            correspondence::outgoing::step,
        )
        .post(
            "/correspondencia/salida/{id}/despacho",
            Page(OutgoingWriters),
            correspondence::outgoing::dispatch,
        )
        .get(
            "/correspondencia/salida/{id}/pdf",
            Page(OutgoingViewers),
            correspondence::outgoing::pdf,
        )
        .get(
            "/correspondencia/salida/{id}/firmado",
            Page(OutgoingViewers),
            correspondence::outgoing::signed,
        )
        .get(
            "/correspondencia/salida/{id}/acuses/{n}",
            Page(OutgoingViewers),
            correspondence::outgoing::acuse_scan,
        )
        .get(
            "/correspondencia/salida/{id}/pdf-firmado",
            Page(OutgoingViewers),
            correspondence::outgoing::signed_pdf,
        )
        .get(
            "/correspondencia/salida/{id}/firma/contenido",
            Page(OutgoingSigners),
            correspondence::outgoing::signable,
        )
        .post(
            "/correspondencia/salida/{id}/efirma",
            Page(OutgoingSigners),
            correspondence::outgoing::efirma,
        )
        .get("/verificar", Public, verification::get)
        .post("/verificar", Public, verification::post)
        .get("/suplencias", Page(Anyone), delegations::get)
        .post(
            "/suplencias/{id}/revocar",
            Page(Titulars),
            delegations::revoke,
        )
        .get(
            "/suplencias/{id}/oficio",
            Page(DelegationParties),
            delegations::document,
        )
        .get("/admin/personas", Page(Administrators), admin::people::get)
        .post(
            "/admin/personas",
            Page(Administrators),
            admin::people::create,
        )
        .post(
            "/admin/personas/papeles",
            Page(Administrators),
            admin::people::grant,
        )
        .post(
            "/admin/personas/papeles/quitar",
            Page(Administrators),
            admin::people::revoke,
        )
        .post(
            "/admin/personas/estado",
            Page(Administrators),
            admin::people::set_active,
        )
        .post(
            "/admin/personas/identidad",
            Page(Administrators),
            admin::people::set_identity,
        )
        .get("/admin/unidades", Page(Administrators), admin::units::get)
        .post("/admin/unidades", Page(Administrators), admin::units::save)
        .post(
            "/admin/unidades/{code}",
            Page(Administrators),
            admin::units::edit,
        )
        .get(
            "/admin/unidades/{code}/numeracion",
            Page(Administrators),
            admin::numbering::get,
        )
        .post(
            "/admin/unidades/{code}/numeracion",
            Page(Administrators),
            admin::numbering::save,
        )
        .post(
            "/admin/unidades/importar",
            Page(Administrators),
            admin::units::import,
        )
        .get(
            "/admin/calendario",
            Page(Administrators),
            admin::calendar::get,
        )
        .post(
            "/admin/calendario/importar",
            Page(Administrators),
            admin::calendar::import,
        )
        .post(
            "/admin/calendario/agregar",
            Page(Administrators),
            admin::calendar::add,
        )
        .post(
            "/admin/calendario/cambiar",
            Page(Administrators),
            admin::calendar::change,
        )
        .post(
            "/admin/calendario/quitar",
            Page(Administrators),
            admin::calendar::remove,
        )
        .post(
            "/admin/calendario/alcance",
            Page(Administrators),
            admin::calendar::scope,
        )
        .get("/admin/bitacora", Page(Administrators), admin::audit::get)
        .get(
            "/admin/calendarizaciones",
            Page(Administrators),
            admin::schedules::get,
        )
        .post(
            "/admin/calendarizaciones",
            Page(Administrators),
            admin::schedules::add,
        )
        .post(
            "/admin/calendarizaciones/ejecutar",
            Page(Administrators),
            admin::schedules::run,
        )
        .post(
            "/admin/calendarizaciones/estado",
            Page(Administrators),
            admin::schedules::set_active,
        )
        .get(
            "/informes/matriz-entrega",
            Page(DeliveryMatrixReaders),
            delivery_matrix::get,
        )
        .get("/admin/motivos", Page(Administrators), admin::motives::get)
        .post("/admin/motivos", Page(Administrators), admin::motives::add)
        .post(
            "/admin/motivos/retirar",
            Page(Administrators),
            admin::motives::retire,
        )
        .get("/seguimiento", Page(Anyone), followup::list::get)
        .post(
            "/seguimiento/importar",
            Page(Administrators),
            followup::list::import,
        )
        .post(
            "/seguimiento/supervisiones",
            Page(CaseActors),
            followup::supervision::create,
        )
        .post(
            "/seguimiento/acuerdos",
            Page(CaseActors),
            followup::agreements::create,
        )
        .get("/seguimiento/{key}", Page(Anyone), followup::program::get)
        .post(
            "/seguimiento/{key}/elementos",
            Page(AgreementWriters),
            followup::agreements::add,
        )
        .get(
            "/seguimiento/{key}/calendario",
            Page(Anyone),
            followup::calendar::get,
        )
        .get(
            "/seguimiento/{key}/informe",
            Page(Anyone),
            followup::report::get,
        )
        .get(
            "/seguimiento/{key}/tablas",
            Page(Anyone),
            followup::tables::get,
        )
        .get(
            "/seguimiento/{key}/lineas",
            Page(Anyone),
            followup::lines::get,
        )
        .get(
            "/seguimiento/{key}/trimestre",
            Page(Anyone),
            followup::quarter::get,
        )
        .get(
            "/seguimiento/{key}/concentrado",
            Page(Anyone),
            followup::rollup::get,
        )
        .post(
            "/seguimiento/{key}/rondas",
            Page(CaseActors),
            followup::supervision::close_round,
        )
        .get(
            "/seguimiento/{key}/{item}",
            Page(Anyone),
            followup::item::get,
        )
        .get(
            "/seguimiento/{key}/{item}/editar",
            Page(AgreementWriters),
            followup::edit::get,
        )
        .get(
            "/seguimiento/{key}/{item}/evidencia/{activity}/{n}",
            Page(Anyone),
            followup::item::evidence,
        )
        .get("/visitas", Page(Anyone), visits::list)
        .post("/visitas", Page(VisitPlanners), visits::plan)
        .get("/visitas/{id}", Page(Anyone), visits::show)
        .get("/visitas/{id}/pdf", Page(Anyone), visits::pdf)
        .post("/visitas/{id}/plan", Page(VisitTeams), visits::make_plan)
        .get(
            "/visitas/{id}/hallazgos/{number}/evidencia",
            Page(Anyone),
            visits::evidence,
        )
        .get("/notificaciones", Page(Anyone), notifications::get)
        .get(
            "/notificaciones/contador",
            Page(Anyone),
            notifications::counter,
        )
        .post(
            "/notificaciones/leidas",
            Page(Anyone),
            notifications::mark_read,
        )
        .get(
            "/notificaciones/preferencias",
            Page(Anyone),
            notifications::preferences,
        )
        .post(
            "/notificaciones/preferencias",
            Page(Anyone),
            notifications::save_preferences,
        )
}

/// Uploads, which may be as large as the blob store accepts (plus the form around the file).
fn uploads() -> Routes {
    use Access::Page;
    use Audience::*;
    Routes::new()
        .post(
            "/asuntos/{folio}/documentos",
            Page(CaseActors),
            documents::post,
        )
        .post(
            "/asuntos/{folio}/indicadores",
            Page(CaseActors),
            indicators::post,
        )
        .post("/suplencias", Page(Titulars), delegations::create)
        .post(
            "/correspondencia/registrar",
            Page(CorrespondenceRegistrars),
            correspondence::incoming::register,
        )
        .post(
            "/correspondencia/importar",
            Page(Administrators),
            correspondence::import::post,
        )
        .post(
            "/correspondencia/salida/{id}/firma",
            Page(OutgoingSigners),
            correspondence::outgoing::sign,
        )
        .post(
            "/correspondencia/salida/{id}/acuse",
            Page(OutgoingWriters),
            correspondence::outgoing::acuse,
        )
        .post(
            "/peticiones/importar",
            Page(PetitionWorkers),
            petition_import::post,
        )
        .post(
            "/procedimientos/borradores",
            Page(Administrators),
            procedure_drafts::upload,
        )
        .post(
            "/peticiones/registrar",
            Page(PetitionWorkers),
            petition_letter::post,
        )
        .post(
            "/seguimiento/{key}/{item}/editar",
            Page(AgreementWriters),
            followup::edit::post,
        )
        .post(
            "/seguimiento/{key}/{item}/avance",
            Page(FollowupEditors),
            followup::item::post,
        )
        .post("/visitas/{id}/hallazgos", Page(VisitTeams), visits::finding)
        .post(
            "/seguimiento/{key}/lineas",
            Page(AgreementWriters),
            followup::lines::post,
        )
}

/// The public mailbox: no sign-in, and bodies no larger than a petition's longest texts need.
fn public_mailbox() -> Routes {
    Routes::new()
        .get("/atencion", Access::Public, mailbox::get)
        .post("/atencion", Access::Public, mailbox::post)
        .get("/atencion/consulta", Access::Public, mailbox_status::get)
        .post("/atencion/consulta", Access::Public, mailbox_status::post)
}

/// What is served without sessions: the health check and the assets.
fn bare() -> Routes {
    Routes::new()
        .get("/healthz", Access::Public, healthz::get)
        .get("/static/{name}", Access::Public, assets::serve)
}

/// Every route the router serves, with its method and access: the pages' and the API's.
pub fn route_table() -> Vec<Route> {
    [
        pages().into_parts().1,
        uploads().into_parts().1,
        public_mailbox().into_parts().1,
        bare().into_parts().1,
        crate::api::router().1,
        crate::api::upload_router().1,
    ]
    .concat()
}

/// What no route serves: the API answers in JSON, as its other errors; anything else the
/// Spanish page «No encontrado» (with the menu, for a person signed in).
async fn unrouted(uri: Uri) -> Response {
    if uri.path().starts_with("/api/v1/") {
        crate::api::no_such_route().into_response()
    } else {
        crate::error::AppError::NotFound.into_response()
    }
}

/// Before each request, the procedure versions other processes published join this one's
/// library (`App::refresh_library`: a count at most once a second). A failure to ask is
/// logged and the request served with the library as it is.
async fn refresh_library(
    axum::extract::State(app): axum::extract::State<turno_app::App>,
    request: axum::extract::Request,
    next: middleware::Next,
) -> Response {
    if let Err(e) = app.refresh_library().await {
        tracing::error!(error = %e, "the procedure library could not be reloaded");
    }
    next.run(request).await
}

/// The application: every route of [`route_table`], with the layers each part needs.
pub fn router(state: AppState) -> Router {
    let https = state.https;
    let live = state.app.clone();
    let flash_cookie = flash::Secure(state.secure_cookies);
    let sessions = SessionManagerLayer::new(DbSessions::new(state.store.clone()))
        .with_name("turno_sesion")
        .with_secure(state.secure_cookies)
        .with_http_only(true)
        .with_same_site(SameSite::Strict)
        .with_expiry(Expiry::OnInactivity(Duration::hours(8)));
    // The people loaded lately, for the pages' sessions and the API's tokens alike.
    let people = Backend::new(state.store.clone(), state.time_zone.clone());
    let auth = AuthManagerLayerBuilder::new(people.clone(), sessions).build();

    // Uploads are merged after the application's 2 MiB body limit below, not under it. The
    // API's upload is merged after the pages' layers: it has no session, and streams its body
    // to the blob store, which enforces the limit itself.
    let uploads = uploads()
        .into_parts()
        .0
        .layer(documents::body_limit(&state))
        .layer(middleware::from_fn(crate::error::with_menu))
        .layer(auth.clone())
        .merge(
            crate::api::upload_router()
                .0
                .layer(documents::body_limit(&state))
                .layer(Extension(people.clone())),
        )
        .with_state(state.clone());
    let mailbox =
        public_mailbox()
            .into_parts()
            .0
            .layer(tower_http::limit::RequestBodyLimitLayer::new(
                PUBLIC_BODY_LIMIT,
            ));

    // The fallback is the pages' (under their sessions, for the menu on its 404); the API's
    // answers reach no page, and keep their JSON errors.
    let mut app = pages()
        .into_parts()
        .0
        .merge(mailbox)
        .fallback(unrouted)
        .layer(middleware::from_fn(crate::error::with_menu))
        .layer(auth)
        .merge(crate::api::router().0.layer(Extension(people)))
        .merge(bare().into_parts().0)
        .with_state(state)
        .layer(tower_http::limit::RequestBodyLimitLayer::new(
            2 * 1024 * 1024,
        ))
        .merge(uploads)
        .layer(middleware::from_fn_with_state(flash_cookie, flash::carry))
        .layer(middleware::from_fn_with_state(
            flash_cookie,
            crate::auth::csrf::visitor,
        ))
        .layer(middleware::from_fn_with_state(live, refresh_library))
        .layer(tower_http::trace::TraceLayer::new_for_http());
    for header in security::headers() {
        app = app.layer(header);
    }
    let app = app.layer(security::no_store());
    if https {
        app.layer(security::strict_transport())
    } else {
        app
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::Body;
    use axum::extract::{MatchedPath, Request};
    use axum::http::{HeaderValue, Method, StatusCode};
    use axum::middleware::{self, Next};
    use std::collections::BTreeSet;
    use tower::ServiceExt;

    /// The paths a router serves, read from its `Debug` (axum has no other way to list them):
    /// those of its path router's node, not the fallback's.
    fn served_paths(router: &Router) -> BTreeSet<String> {
        let text = format!("{router:?}");
        let node = text
            .split("fallback_router")
            .next()
            .and_then(|routes| routes.split("node: Node { paths: {").nth(1))
            .unwrap_or_default();
        // `RouteId(0): "/bandeja", RouteId(1): …}`: the quoted texts up to the map's end.
        let mut paths = BTreeSet::new();
        let mut quoted: Option<String> = None;
        for c in node.chars() {
            match (&mut quoted, c) {
                (None, '}') => break,
                (None, '"') => quoted = Some(String::new()),
                (Some(path), '"') => {
                    paths.insert(std::mem::take(path));
                    quoted = None;
                }
                (Some(path), c) => path.push(c),
                (None, _) => {}
            }
        }
        paths
    }

    /// Tells which route answered, for a request that reached one.
    async fn matched(request: Request, next: Next) -> Response {
        let path = request.extensions().get::<MatchedPath>().cloned();
        let mut response = next.run(request).await;
        if let Some(value) = path.and_then(|p| HeaderValue::from_str(p.as_str()).ok()) {
            response.headers_mut().insert("x-ruta", value);
        }
        response
    }

    /// The application over a fresh SQLite database, nothing published.
    async fn state() -> AppState {
        use crate::test_app::{Backend, Database};
        Database::fresh(Backend::Sqlite).await.app().state().await
    }

    /// A route in the router without its entry in the table (a `.route` added by hand) fails
    /// here: the router serves exactly the table's paths, and on each path exactly the table's
    /// methods.
    #[tokio::test]
    async fn the_table_lists_every_route_the_router_serves() {
        let table = route_table();
        let paths: BTreeSet<String> = table.iter().map(|r| r.path.clone()).collect();
        let app = router(state().await);
        let served = served_paths(&app);
        assert!(
            served == paths,
            "served without an entry: {:?}; entries not served: {:?}",
            served.difference(&paths).collect::<Vec<_>>(),
            paths.difference(&served).collect::<Vec<_>>(),
        );
        let app = app.layer(middleware::from_fn(matched));
        for path in &paths {
            // Any value fits a parameter to reach its route.
            let uri: String = path
                .split('/')
                .map(|s| if s.starts_with('{') { "1" } else { s })
                .collect::<Vec<_>>()
                .join("/");
            for method in [
                Method::GET,
                Method::POST,
                Method::PUT,
                Method::PATCH,
                Method::DELETE,
            ] {
                let request = Request::builder()
                    .method(method.clone())
                    .uri(&uri)
                    .body(Body::empty())
                    .unwrap();
                let response = app.clone().oneshot(request).await.unwrap();
                let reached = response.headers().get("x-ruta").map(|v| v.as_bytes());
                let served = reached == Some(path.as_bytes())
                    && response.status() != StatusCode::METHOD_NOT_ALLOWED;
                let declared = table.iter().any(|r| r.method == method && r.path == *path);
                assert_eq!(served, declared, "{method} {path}");
            }
        }
    }
}
