//! The application: routes, sign-in, sessions and the headers every response carries.

use crate::auth::sessions::DbSessions;
use crate::auth::{Backend, SignedIn};
use crate::routes::*;
use crate::state::AppState;
use crate::{assets, security};
use axum::Router;
use axum::extract::Request;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum_login::{AuthManagerLayerBuilder, AuthSession};
use tower_sessions::cookie::SameSite;
use tower_sessions::cookie::time::Duration;
use tower_sessions::{Expiry, SessionManagerLayer};

/// Requests without a signed-in person go to the sign-in page, and come back after.
async fn require_sign_in(auth: AuthSession<Backend>, request: Request, next: Next) -> Response {
    let signed_in: Option<&SignedIn> = auth.user.as_ref();
    if signed_in.is_some() {
        return next.run(request).await;
    }
    let back = request
        .uri()
        .path_and_query()
        .map_or("/bandeja".to_owned(), |p| p.to_string());
    let query = format!("next={}", urlencode(&back));
    Redirect::to(&format!("/acceso?{query}")).into_response()
}

fn urlencode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                (b as char).to_string()
            }
            other => format!("%{other:02X}"),
        })
        .collect()
}

/// The largest body of the public mailbox's forms: 5,000 characters of description and five
/// short fields of 300, at most 12 bytes each once URL-encoded (%XX per byte of UTF-8), fit.
const PUBLIC_BODY_LIMIT: usize = 96 * 1024;

pub fn router(state: AppState) -> Router {
    let sessions = SessionManagerLayer::new(DbSessions::new(state.store.clone()))
        .with_name("turno_sesion")
        .with_secure(state.secure_cookies)
        .with_http_only(true)
        .with_same_site(SameSite::Strict)
        .with_expiry(Expiry::OnInactivity(Duration::hours(8)));
    let auth = AuthManagerLayerBuilder::new(
        Backend::new(state.store.clone(), state.time_zone.clone()),
        sessions,
    )
    .build();

    let pages = Router::new()
        .route("/bandeja", get(inbox::get))
        .route("/peticiones", get(petitions::get))
        .route("/peticiones/{folio}", get(petition::get))
        .route("/peticiones/importar", get(petition_import::get))
        .route("/peticiones/registrar", get(petition_letter::get))
        .route("/peticiones/{folio}/oficio", get(petition::letter))
        .route("/buscar", get(search::get))
        .route("/asuntos/{folio}", get(case::get))
        .route("/asuntos/{folio}/atender", post(act::post))
        .route("/asuntos/{folio}/turnar", post(turn::post))
        .route("/asuntos/{folio}/plazo", post(clock::post))
        .route("/asuntos/{folio}/acuse", get(receipt::get))
        .route("/asuntos/{folio}/documentos/{id}", get(documents::download))
        .route("/registrar", get(register::choose))
        .route(
            "/registrar/{key}",
            get(register::form).post(register::submit),
        )
        .route(
            "/peticiones/{folio}/clasificar",
            get(handling::form).post(handling::classify),
        )
        .route("/peticiones/{folio}/volante", get(handling::slip))
        .route(
            "/peticiones/{folio}/fur",
            get(handling::responses).post(handling::answer),
        )
        .route("/peticiones/{folio}/revision", post(handling::review))
        .route("/informes/atencion", get(report::get))
        .route("/informes/atencion/llamadas", post(report::declare))
        .route("/procedimientos", get(catalog::list))
        .route("/procedimientos/{key}", get(catalog::show))
        .route("/organigrama", get(organigrama::get))
        .route("/suplencias", get(delegations::get))
        .route("/suplencias/{id}/revocar", post(delegations::revoke))
        .route("/suplencias/{id}/oficio", get(delegations::document))
        .route(
            "/admin/personas",
            get(admin::people::get).post(admin::people::create),
        )
        .route("/admin/personas/papeles", post(admin::people::grant))
        .route(
            "/admin/personas/papeles/quitar",
            post(admin::people::revoke),
        )
        .route("/admin/personas/estado", post(admin::people::set_active))
        .route(
            "/admin/unidades",
            get(admin::units::get).post(admin::units::save),
        )
        .route("/admin/unidades/importar", post(admin::units::import))
        .route("/admin/calendario", get(admin::calendar::get))
        .route("/admin/calendario/importar", post(admin::calendar::import))
        .route("/admin/calendario/agregar", post(admin::calendar::add))
        .route("/admin/calendario/quitar", post(admin::calendar::remove))
        .route("/admin/calendario/alcance", post(admin::calendar::scope))
        .route("/admin/bitacora", get(admin::audit::get))
        .route(
            "/admin/motivos",
            get(admin::motives::get).post(admin::motives::add),
        )
        .route("/admin/motivos/retirar", post(admin::motives::retire))
        .route("/seguimiento", get(followup::list::get))
        .route("/seguimiento/importar", post(followup::list::import))
        .route(
            "/seguimiento/supervisiones",
            post(followup::supervision::create),
        )
        .route("/seguimiento/acuerdos", post(followup::agreements::create))
        .route("/seguimiento/{key}", get(followup::program::get))
        .route(
            "/seguimiento/{key}/elementos",
            post(followup::agreements::add),
        )
        .route(
            "/seguimiento/{key}/calendario",
            get(followup::calendar::get),
        )
        .route("/seguimiento/{key}/informe", get(followup::report::get))
        .route("/seguimiento/{key}/tablas", get(followup::tables::get))
        .route(
            "/seguimiento/{key}/rondas",
            post(followup::supervision::close_round),
        )
        .route("/seguimiento/{key}/{item}", get(followup::item::get))
        .route(
            "/seguimiento/{key}/{item}/evidencia/{activity}/{n}",
            get(followup::item::evidence),
        )
        .route("/notificaciones", get(notifications::get))
        .route("/notificaciones/contador", get(notifications::counter))
        .route("/notificaciones/leidas", post(notifications::mark_read))
        .route(
            "/notificaciones/preferencias",
            get(notifications::preferences).post(notifications::save_preferences),
        )
        .route_layer(middleware::from_fn(require_sign_in));

    // Uploads may be as large as the blob store accepts (plus the form around the file), so
    // their routes are merged after the application's 2 MiB body limit below, not under it.
    // The API's uploads are merged after the page's layers: they have no session, and stream
    // their files to the blob store, which enforces the limit itself.
    let uploads = Router::new()
        .route("/asuntos/{folio}/documentos", post(documents::post))
        .route("/suplencias", post(delegations::create))
        .route("/peticiones/importar", post(petition_import::post))
        .route("/peticiones/registrar", post(petition_letter::post))
        .route(
            "/seguimiento/{key}/{item}/avance",
            post(followup::item::post),
        )
        .route_layer(middleware::from_fn(require_sign_in))
        .layer(documents::body_limit(&state))
        .layer(auth.clone())
        .merge(crate::api::upload_router(&state))
        .with_state(state.clone());

    // The public mailbox: no sign-in, the session's CSRF token, and bodies no larger than a
    // petition's longest texts need.
    let public = Router::new()
        .route("/atencion", get(mailbox::get).post(mailbox::post))
        .route(
            "/atencion/consulta",
            get(mailbox_status::get).post(mailbox_status::post),
        )
        .layer(tower_http::limit::RequestBodyLimitLayer::new(
            PUBLIC_BODY_LIMIT,
        ));

    let mut app = Router::new()
        .route("/", get(|| async { Redirect::to("/bandeja") }))
        .merge(public)
        .route("/acceso", get(sign_in::get).post(sign_in::post))
        .route("/salir", post(sign_out::post))
        .merge(pages)
        .layer(auth)
        .merge(crate::api::router())
        .route("/healthz", get(healthz::get))
        .route("/static/{name}", get(assets::serve))
        .with_state(state)
        .layer(tower_http::limit::RequestBodyLimitLayer::new(
            2 * 1024 * 1024,
        ))
        .merge(uploads)
        .layer(tower_http::trace::TraceLayer::new_for_http());
    for header in security::headers() {
        app = app.layer(header);
    }
    app
}
