//! The router as data: every page route and API operation is declared with its method, its
//! path and who may reach it ([`Access`]), so that [`crate::route_table`] lists exactly what
//! the router serves and the authorization matrix test is generated from it: a route cannot
//! be added without saying who may use it.

use crate::auth::{Backend, SignedIn};
use crate::state::AppState;
use axum::Router;
use axum::extract::Request;
use axum::handler::Handler;
use axum::http::Method;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{MethodFilter, on};
use axum_login::AuthSession;
use utoipa::openapi::path::PathItem;
use utoipa_axum::router::{OpenApiRouter, UtoipaMethodRouter};

/// Who may reach a route. The sign-in of pages is the router's (every `Page` route is behind
/// the sign-in page); a token, a role or a case's units are checked by the handler and its
/// extractors. The authorization test sends every route as someone without access and as
/// someone with it, and checks the answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    /// Anyone, signed in or not: the public mailbox, signing in and out, the assets, the
    /// health check, the API's document.
    Public,
    /// A signed-in person of the audience. Others signed in get 403; anyone not signed in goes
    /// to the sign-in page and comes back after.
    Page(Audience),
    /// An API token (`Authorization: Bearer`) of a person of the audience. Without a valid
    /// token 401; others get 403.
    Api(Audience),
}

/// The people a route serves, by the rule that lets them in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Audience {
    /// Everyone signed in (or with a token); what the route shows is still only what the
    /// person may see.
    Anyone,
    /// Administrators (`SignedIn::is_admin`).
    Administrators,
    /// Those who see the case in the path (`access::visible_id`): the units it was turned to,
    /// the units above them, their suplentes, administrators.
    CaseViewers,
    /// Those who see the case in the path and may act on it, or on the supervision that follows
    /// it (`access::acting_for`, `followup::supervision::may_follow`): not the consulta role.
    CaseActors,
    /// Those who may start the procedure in the path (or in the body): it starts in one of
    /// their units and they may act, or they administer (`register::registrable`).
    Registrars,
    /// Those who see petitions (`access::petition_scope`): the attention units, the units above
    /// them, an entidad's people for their entidad, administrators.
    PetitionReaders,
    /// The attention units that work petitions and administrators
    /// (`access::may_work_petitions`).
    PetitionWorkers,
    /// Those who classify and review petitions: whoever may start the volante de trámite
    /// (`handling::handler`).
    PetitionHandlers,
    /// Petition handlers and the Enlace the petition's volante is turned to (`handling::seen`).
    VolanteReaders,
    /// Those who may answer the open turn of the petition's volante: the Enlace whose unit
    /// holds it, administrators (`handling::liaison_turn`).
    Liaisons,
    /// The responsible areas of the follow-up activity in the path or the form, and
    /// administrators (`followup::may_edit`).
    FollowupEditors,
    /// Those who may act (not the consulta role) and, when the program's agreements came from
    /// a case, see it (`programs::add_lines`).
    AgreementWriters,
    /// Those who may act (not the consulta role), who plan evaluation visits
    /// (`visits::plan`).
    VisitPlanners,
    /// Those who work the visit in the path (`visits::may_work`): its planner and its team, not
    /// only to consult; for a supervision of procedure 94, those who follow its case;
    /// administrators.
    VisitTeams,
    /// Those who see the incoming document in the path
    /// (`correspondence::incoming::sight`): the people of its registering unit and of the units
    /// it is turned to, of the units above them, administrators.
    CorrespondenceReaders,
    /// Those who see the incoming document in the path and may turn it, or answer, return or
    /// withdraw its turns: they work the unit concerned (`access::answers_turns_of`).
    CorrespondenceActors,
    /// Those who may act (not the consulta role), who register correspondence for the units
    /// they act in (`correspondence::incoming::registering_units`).
    CorrespondenceRegistrars,
    /// Those who see the correspondence report of the unit the query names (`unidad`): its
    /// people, the people of the units above it, administrators
    /// (`correspondence::report::may_see`). Without a unit, the page is only its form.
    CorrespondenceReportReaders,
    /// Those who see the tablero the query names (`turno_app::tablero`): a unit's (`unidad`),
    /// its people, the people of the units above it and administrators; a procedure's alone,
    /// anyone, counting the units they see; the whole institution's, administrators. Without
    /// a query, the page is the tablero of the person's first unit.
    TableroReaders,
    /// Those who see seed 000's matriz de entrega: the people of the informes oficiales'
    /// units (the Secretario Técnico, the Coordinación de Asesores) and of the units above
    /// them, administrators (`schedules::may_see_matrix`).
    DeliveryMatrixReaders,
    /// Those who see the real paths of the procedure in the path: the people of its
    /// participants' units and of the units above them, administrators
    /// (`mining::paths`).
    ProcedureUnits,
    /// Those who read the archive's expedientes, calendar and lists: its people (roles
    /// `archivista`, `coordinador_archivos`) and administrators (`archive::may_read`).
    ArchiveReaders,
    /// The archive's administrators (role `archivista`), who edit the chart and catalog, open,
    /// close and classify into expedientes, draw up and carry out lists
    /// (`archive::may_administer`).
    Archivists,
    /// The archive coordinator (role `coordinador_archivos`), who approves the lists
    /// (`archive::may_approve`).
    ArchiveCoordinators,
    /// The titular of the suplencia in the path or the form, and administrators.
    Titulars,
    /// The titular and the suplente of the suplencia in the path, and administrators
    /// (`delegations::concerns`).
    DelegationParties,
    /// Those who see the outgoing document in the path: its unit's people and those above
    /// them, its reviewers, administrators, and once dispatched its addressed units
    /// (`correspondence::outgoing::show`).
    OutgoingViewers,
    /// Those who move the outgoing document in the path: its unit's people who act, its
    /// reviewers for their visto bueno, administrators.
    OutgoingWriters,
    /// The titular of the outgoing document's unit (or whoever substitutes them), who signs it.
    OutgoingSigners,
}

/// One route the router serves.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Route {
    pub method: Method,
    /// As axum reads it: `{name}` for a path parameter.
    pub path: String,
    pub access: Access,
}

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

pub(crate) fn urlencode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                (b as char).to_string()
            }
            other => format!("%{other:02X}"),
        })
        .collect()
}

/// Page routes being declared, each with its access; `Page` ones go behind the sign-in page.
pub struct Routes {
    router: Router<AppState>,
    table: Vec<Route>,
}

impl Routes {
    pub fn new() -> Routes {
        Routes {
            router: Router::new(),
            table: Vec::new(),
        }
    }

    pub fn get<H, T>(self, path: &str, access: Access, handler: H) -> Routes
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        self.route(MethodFilter::GET, Method::GET, path, access, handler)
    }

    pub fn post<H, T>(self, path: &str, access: Access, handler: H) -> Routes
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        self.route(MethodFilter::POST, Method::POST, path, access, handler)
    }

    fn route<H, T>(
        mut self,
        filter: MethodFilter,
        method: Method,
        path: &str,
        access: Access,
        handler: H,
    ) -> Routes
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        let served = on(filter, handler);
        // Only the method declared is behind the sign-in page: another one is still 405. An
        // API route has no session; its token is its handler's to check.
        let served = match access {
            Access::Page(_) => served.route_layer(middleware::from_fn(require_sign_in)),
            Access::Public | Access::Api(_) => served,
        };
        self.router = self.router.route(path, served);
        self.table.push(Route {
            method,
            path: path.to_owned(),
            access,
        });
        self
    }

    /// The routes and their table.
    pub fn into_parts(self) -> (Router<AppState>, Vec<Route>) {
        (self.router, self.table)
    }
}

/// API operations, registered through utoipa-axum (so that they are in the OpenAPI document)
/// and recorded with their access.
pub struct Operations {
    router: OpenApiRouter<AppState>,
    table: Vec<Route>,
}

impl Operations {
    pub fn new(router: OpenApiRouter<AppState>) -> Operations {
        Operations {
            router,
            table: Vec::new(),
        }
    }

    /// The operations of one `routes!` (one path), each of them reached with `access`.
    pub fn routes(
        mut self,
        access: Access,
        operations: UtoipaMethodRouter<AppState>,
    ) -> Operations {
        for (path, item) in operations.1.paths.iter() {
            for method in methods(item) {
                self.table.push(Route {
                    method,
                    path: path.clone(),
                    access,
                });
            }
        }
        self.router = self.router.routes(operations);
        self
    }

    pub fn into_parts(self) -> (OpenApiRouter<AppState>, Vec<Route>) {
        (self.router, self.table)
    }
}

/// The methods a path of the OpenAPI document has operations for.
fn methods(item: &PathItem) -> Vec<Method> {
    [
        (Method::GET, &item.get),
        (Method::PUT, &item.put),
        (Method::POST, &item.post),
        (Method::DELETE, &item.delete),
        (Method::OPTIONS, &item.options),
        (Method::HEAD, &item.head),
        (Method::PATCH, &item.patch),
        (Method::TRACE, &item.trace),
    ]
    .into_iter()
    .filter(|(_, operation)| operation.is_some())
    .map(|(method, _)| method)
    .collect()
}
