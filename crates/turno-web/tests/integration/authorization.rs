//! The authorization matrix, generated from the router's own table (`turno_web::route_table`):
//! every route the application serves is sent as someone not signed in (or without a token),
//! as signed-in people without its access and as people with it, and answers as its declared
//! access says: the sign-in page (401 for the API), 403 with no data, or what the route does.
//! Every page form also refuses a CSRF token that is not the session's. A route is added only
//! with its entry in the table (the router is built from it), so no route escapes this test.

use crate::archive::{CATALOG, archive_people};
use crate::common::{
    Browser, File, PDF, QUEJA_JAL, TestApp, asm_tables, csrf_in, multipart, multipart_named, today,
    yesterday,
};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::atomic::{AtomicU32, Ordering};
use turno_domain::citizen::{Channel, Draft, Letter, Petition, PetitionFolio};
use turno_store::blobs::BlobStore;
use turno_store::citizen::FiledLetter;
use turno_store::correspondence::outgoing::{
    Acuse, Dispatch, Draft as OutgoingDraft, Numbering, Recipient, Signing,
};
use turno_store::{NewDelegation, Outgoing, Petitions, Role, Store};
use turno_web::{Access, Audience, Route, route_table};

const PROCEDURE: &str = "sidss-informes-oficiales";

/// Who sends a request. The agency of `common`, and the Enlace de Atención Ciudadana of Jalisco.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Who {
    Anonymous,
    /// `ajeno`, titular of another unit.
    OtherUnit,
    /// `secretario`, titular of the Secretario Técnico: the case's unit.
    OwnUnit,
    /// `consulta`, of the Secretario Técnico, who only looks.
    Consulta,
    /// `admin`, administrator (of another unit).
    Admin,
    /// `enlace_jal`, the Enlace of Jalisco, to whom the petition's volante is turned.
    Enlace,
    /// `archivista`, of the Coordinación de Archivos, who administers the archive.
    Archivista,
    /// `coordinadora`, of the Coordinación de Archivos, who approves its lists.
    Coordinadora,
}

const EVERYONE: [Who; 5] = [
    Who::Anonymous,
    Who::OtherUnit,
    Who::OwnUnit,
    Who::Consulta,
    Who::Admin,
];

fn login(who: Who) -> Option<&'static str> {
    match who {
        Who::Anonymous => None,
        Who::OtherUnit => Some("ajeno"),
        Who::OwnUnit => Some("secretario"),
        Who::Consulta => Some("consulta"),
        Who::Admin => Some("admin"),
        Who::Enlace => Some("enlace_jal"),
        Who::Archivista => Some("archivista"),
        Who::Coordinadora => Some("coordinadora"),
    }
}

/// Whether `who` is of `audience` on the fixtures below: the case is the Secretario Técnico's,
/// the follow-up activity is its area's, the suplencia is its titular's (to the asesor), and
/// the petition's volante is turned to the Enlace of Jalisco. Nobody here but the
/// administrator works petitions. A new audience must say who has it here.
fn holds(audience: Audience, who: Who) -> bool {
    use Audience::*;
    use Who::*;
    match audience {
        Anyone => who != Anonymous,
        Administrators | PetitionReaders | PetitionWorkers | PetitionHandlers => who == Admin,
        // The report asked is the Secretario Técnico's.
        // The matriz is the Secretario Técnico's, whose people see it.
        CaseViewers
        | CorrespondenceReaders
        | CorrespondenceReportReaders
        | TableroReaders
        | DeliveryMatrixReaders
        // The procedure is seed 000's, whose units are the Secretario Técnico's.
        | ProcedureUnits => {
            matches!(who, OwnUnit | Consulta | Admin)
        }
        CaseActors | Registrars | FollowupEditors | Titulars | DelegationParties
        | CorrespondenceActors => matches!(who, OwnUnit | Admin),
        VolanteReaders | Liaisons => matches!(who, Enlace | Admin),
        // The outgoing document is the Secretario Técnico's, whose titular signs it.
        OutgoingViewers => matches!(who, OwnUnit | Consulta | Admin),
        OutgoingWriters => matches!(who, OwnUnit | Admin),
        OutgoingSigners => who == OwnUnit,
        // Everyone who may act: the supervision the fixtures' programs are is no case's
        // agreements.
        AgreementWriters | CorrespondenceRegistrars | VisitPlanners => {
            matches!(who, OtherUnit | OwnUnit | Admin | Enlace)
        }
        // The visit's team is the Secretario Técnico's titular.
        VisitTeams => matches!(who, OwnUnit | Admin),
        ArchiveReaders => matches!(who, Archivista | Coordinadora | Admin),
        Archivists => who == Archivista,
        ArchiveCoordinators => who == Coordinadora,
    }
}

/// Everyone of the agency, and the Enlace where the route is theirs; the archive's people on
/// the archive's routes.
fn senders(route: &Route) -> Vec<Who> {
    let mut who = EVERYONE.to_vec();
    if let Access::Page(audience) | Access::Api(audience) = route.access
        && holds(audience, Who::Enlace)
    {
        who.push(Who::Enlace);
    }
    if of_the_archive(&route.path) {
        who.extend([Who::Archivista, Who::Coordinadora]);
    }
    who
}

fn of_the_archive(path: &str) -> bool {
    path.starts_with("/archivo") || path.starts_with("/api/v1/archive")
}

/// What a route answers those with access, where it is one answer for all of them; any other
/// route must only not refuse them (no sign-in page, 401, 403 or 404, and no failure).
fn outcome(route: &str) -> Option<u16> {
    Some(match route {
        // The public mailbox answers everyone alike: the form, its errors, a lookup.
        "GET /atencion" | "GET /atencion/consulta" | "POST /atencion/consulta" => 200,
        "POST /atencion" => 422,
        "GET /" | "POST /salir" => 303,
        // A wrong password shows the form again.
        "POST /acceso" => 200,
        "GET /peticiones"
        | "GET /peticiones/{folio}"
        | "GET /peticiones/importar"
        | "GET /peticiones/registrar"
        | "GET /peticiones/{folio}/oficio"
        | "GET /peticiones/{folio}/clasificar"
        | "GET /peticiones/{folio}/volante"
        | "GET /peticiones/{folio}/fur"
        | "POST /peticiones/importar" => 200,
        "POST /peticiones/registrar" | "POST /peticiones/{folio}/fur" => 303,
        // The classification form is incomplete here: shown again; there is no FUR to review
        // yet.
        "POST /peticiones/{folio}/clasificar" => 422,
        "POST /peticiones/{folio}/revision" => 409,
        "GET /informes/atencion" => 200,
        "GET /correspondencia/informes" | "GET /api/v1/correspondence/reports" => 200,
        // The Secretario Técnico's tablero and the work its figures count.
        "GET /tableros"
        | "GET /api/v1/dashboards"
        | "GET /tableros/asuntos"
        | "GET /api/v1/dashboards/items" => 200,
        // The import page; a register without its required columns: every problem, nothing
        // written.
        "GET /correspondencia/importar" => 200,
        "POST /correspondencia/importar" => 422,
        "GET /procedimientos/{key}/proceso.bpmn" | "GET /api/v1/procedures/{key}/bpmn" => 200,
        // The drafts: the fixture's definition is empty, so it is neither saved nor published;
        // an upload of an unknown kind reads nothing.
        "GET /procedimientos/borradores"
        | "GET /procedimientos/borradores/{id}"
        | "GET /api/v1/procedure-drafts"
        | "GET /api/v1/procedure-drafts/{id}"
        | "POST /api/v1/procedure-drafts/{id}/discard" => 200,
        "POST /procedimientos/borradores/{id}/descartar" => 303,
        "POST /procedimientos/borradores"
        | "POST /procedimientos/borradores/{id}"
        | "POST /procedimientos/borradores/{id}/publicar"
        | "POST /api/v1/procedure-drafts"
        | "PUT /api/v1/procedure-drafts/{id}"
        | "POST /api/v1/procedure-drafts/{id}/publish" => 422,
        "GET /procedimientos/{key}/recorrido"
        | "GET /procedimientos/{key}/recorrido.xes"
        | "GET /api/v1/procedures/{key}/paths"
        | "GET /api/v1/event-log" => 200,
        "GET /informes/matriz-entrega"
        | "GET /api/v1/reports/delivery-matrix"
        | "GET /admin/calendarizaciones"
        | "GET /api/v1/schedules"
        | "POST /api/v1/schedules/run" => 200,
        "POST /admin/calendarizaciones/ejecutar" => 303,
        // A schedule without its values: the form again with each problem.
        "POST /admin/calendarizaciones" | "POST /api/v1/schedules" => 422,
        // A schedule no one defined.
        "GET /api/v1/schedules/{id}"
        | "PATCH /api/v1/schedules/{id}"
        | "POST /admin/calendarizaciones/estado" => 404,
        "POST /informes/atencion/llamadas" => 303,
        "GET /bandeja"
        | "GET /buscar"
        | "GET /registrar"
        | "GET /procedimientos"
        | "GET /procedimientos/{key}"
        | "GET /organigrama"
        | "GET /seguimiento"
        | "GET /registrar/{key}"
        | "GET /asuntos/{folio}"
        | "GET /asuntos/{folio}/acuse"
        | "GET /asuntos/{folio}/documentos/{id}"
        | "GET /suplencias"
        | "GET /suplencias/{id}/oficio" => 200,
        "POST /registrar/{key}"
        | "POST /asuntos/{folio}/atender"
        | "POST /asuntos/{folio}/turnar"
        | "POST /asuntos/{folio}/documentos"
        | "POST /suplencias"
        | "POST /suplencias/{id}/revocar" => 303,
        // The informe's indicator tables: read by whoever sees it, a table uploaded by whoever
        // acts on it (the same period again replaces it).
        "GET /asuntos/{folio}/indicadores" | "GET /api/v1/cases/{folio}/indicators" => 200,
        "POST /asuntos/{folio}/indicadores" => 303,
        "POST /api/v1/cases/{folio}/indicators" => 201,
        // No activity of the case is signed with e.firma yet: it has no constancia.
        "GET /asuntos/{folio}/constancia.pdf" | "GET /api/v1/cases/{folio}/constancia" => 404,
        // Seed 000's terms cannot be stopped: those who may act hear why, on the case page.
        "POST /asuntos/{folio}/plazo" => 422,
        // The case has no turn to withdraw: those who may act hear why, on the case page.
        "POST /asuntos/{folio}/retirar-turno" => 422,
        "GET /admin/personas"
        | "GET /admin/unidades"
        | "GET /admin/calendario"
        | "GET /admin/bitacora"
        | "GET /admin/unidades/{code}/numeracion"
        | "GET /admin/motivos" => 200,
        "POST /admin/personas"
        | "POST /admin/personas/papeles"
        | "POST /admin/personas/papeles/quitar"
        | "POST /admin/personas/estado"
        | "POST /admin/personas/identidad"
        | "POST /admin/unidades"
        | "POST /admin/unidades/{code}"
        | "POST /admin/unidades/{code}/numeracion"
        | "POST /admin/motivos" => 303,
        // A motive no catalog has: the form is refused.
        "POST /admin/motivos/retirar" => 400,
        "GET /notificaciones"
        | "GET /notificaciones/contador"
        | "GET /notificaciones/preferencias" => 200,
        "POST /notificaciones/leidas" | "POST /notificaciones/preferencias" => 303,
        "GET /seguimiento/{key}"
        | "GET /seguimiento/{key}/{item}"
        | "GET /seguimiento/{key}/calendario"
        | "GET /seguimiento/{key}/tablas"
        | "GET /seguimiento/{key}/lineas"
        | "GET /seguimiento/{key}/trimestre"
        | "GET /seguimiento/{key}/concentrado"
        | "GET /api/v1/programs/{key}/quarter"
        | "GET /api/v1/programs/{key}/rollup"
        | "GET /seguimiento/{key}/{item}/evidencia/{activity}/{n}" => 200,
        // The final report waits for the open activities.
        "GET /seguimiento/{key}/informe" => 409,
        "POST /seguimiento/{key}/{item}/avance"
        | "POST /seguimiento/importar"
        | "POST /seguimiento/{key}/rondas" => 303,
        "GET /visitas"
        | "GET /visitas/{id}"
        | "GET /visitas/{id}/pdf"
        | "GET /api/v1/visits/{id}/pdf"
        | "GET /visitas/{id}/hallazgos/{number}/evidencia"
        | "GET /api/v1/visits"
        | "GET /api/v1/visits/{id}"
        | "GET /api/v1/visits/{id}/findings/{number}/evidence" => 200,
        "POST /visitas" | "POST /visitas/{id}/hallazgos" | "POST /visitas/{id}/plan" => 303,
        "POST /api/v1/visits"
        | "POST /api/v1/visits/{id}/findings"
        | "POST /api/v1/visits/{id}/plan" => 201,
        // A seed 000 case is no supervision to register, and they hear why.
        "POST /seguimiento/supervisiones" => 400,
        // The fixtures' program is a supervision's: it takes no lines, and they hear why.
        "POST /seguimiento/{key}/lineas" | "POST /api/v1/programs/{key}/lines" => 422,
        // Nor are its lines edited: those who may write lines hear why (a page's refusal is
        // 400, as a supervision's of another case).
        "GET /seguimiento/{key}/{item}/editar" | "POST /seguimiento/{key}/{item}/editar" => 400,
        "PUT /api/v1/programs/{key}/items/{item}" => 422,
        "GET /correspondencia/salida"
        | "GET /correspondencia/salida/nuevo"
        | "GET /correspondencia/salida/{id}"
        | "GET /correspondencia/salida/{id}/pdf"
        | "GET /correspondencia/salida/{id}/firmado"
        | "GET /correspondencia/salida/{id}/acuses/{n}"
        | "GET /correspondencia/salida/{id}/pdf-firmado"
        | "GET /verificar" => 200,
        // «hola» is no e.firma: the form again with the reason; nothing found without a file.
        "POST /correspondencia/salida/{id}/efirma"
        | "POST /api/v1/correspondence/outgoing/{id}/efirma"
        | "POST /verificar"
        | "POST /api/v1/public/verify" => 422,
        // The shared document is dispatched: no draft to correct, back to its page.
        "GET /correspondencia/salida/{id}/corregir"
        | "POST /correspondencia/salida/{id}/corregir"
        | "POST /correspondencia/salida/{id}/firma"
        | "POST /correspondencia/salida/{id}/despacho"
        | "POST /correspondencia/salida/{id}/acuse" => 303,
        // A cancellation without its reason: the page again with the problem.
        "POST /correspondencia/salida/{id}/paso"
        | "POST /api/v1/correspondence/outgoing/{id}/steps" => 422,
        "GET /api/v1/correspondence/outgoing"
        | "GET /api/v1/correspondence/outgoing/{id}"
        | "PUT /api/v1/correspondence/outgoing/{id}"
        | "POST /api/v1/correspondence/outgoing/{id}/signature"
        | "POST /api/v1/correspondence/outgoing/{id}/dispatch"
        | "POST /api/v1/correspondence/outgoing/{id}/acuses"
        | "GET /api/v1/correspondence/outgoing/{id}/pdf"
        | "GET /api/v1/correspondence/outgoing/{id}/scan"
        | "GET /api/v1/correspondence/outgoing/{id}/signed-pdf"
        | "GET /api/v1/correspondence/numbering/{code}"
        | "PUT /api/v1/correspondence/numbering/{code}"
        | "GET /api/v1/cases/{folio}/outgoing"
        | "GET /api/v1/cases/{folio}/incoming"
        | "GET /correspondencia/{folio}/asunto" => 200,
        "POST /correspondencia/{folio}/asunto" => 303,
        "POST /api/v1/correspondence/incoming/{folio}/case" => 201,
        "POST /api/v1/cases"
        | "POST /api/v1/cases/{folio}/documents"
        | "POST /api/v1/people"
        | "POST /api/v1/petitions"
        | "POST /api/v1/petitions/{folio}/responses" => 201,
        // The petition is classified already, and its FUR not answered yet.
        "POST /api/v1/petitions/{folio}/classification"
        | "POST /api/v1/petitions/{folio}/review" => 409,
        // Anyone may look up a petition; a wrong access code finds none.
        "POST /api/v1/petitions/status" => 404,
        // Anyone may file a petition; an empty one is refused with its fields.
        "POST /api/v1/petitions/mailbox" => 422,
        "POST /api/v1/petitions/import" => 200,
        // The register names a unit that does not exist.
        "POST /api/v1/correspondence/incoming/import" => 422,
        // Seed 000's terms cannot be stopped.
        "POST /api/v1/cases/{folio}/work/{item}/clock" => 422,
        // Its first activity asks for no e.firma: there is no text to sign.
        "POST /api/v1/cases/{folio}/work/{item}/signed-text" => 422,
        // No such turn was given.
        "POST /api/v1/cases/{folio}/work/{item}/turns/{turn}/withdrawal" => 422,
        // «hola» is no signature: anyone may ask, and hears why.
        "POST /api/v1/signatures/verify" => 422,
        "GET /archivo"
        | "GET /archivo/catalogo.csv"
        | "GET /archivo/serie"
        | "GET /archivo/expedientes"
        | "GET /archivo/expedientes/{id}/caratula"
        | "GET /archivo/calendario"
        | "GET /archivo/listas"
        | "GET /archivo/listas/{id}"
        | "GET /archivo/listas/{id}/inventario"
        | "GET /api/v1/archive/chart"
        | "GET /api/v1/archive/catalog"
        | "PUT /api/v1/archive/catalog"
        | "PUT /api/v1/archive/series"
        | "GET /api/v1/archive/expedientes"
        | "POST /api/v1/archive/expedientes/{id}/closure"
        | "GET /api/v1/archive/expedientes/{id}/cover"
        | "GET /api/v1/archive/calendar"
        | "GET /api/v1/archive/lists"
        | "GET /api/v1/archive/lists/{id}"
        | "POST /api/v1/archive/lists/{id}/approval"
        | "POST /api/v1/archive/lists/{id}/execution"
        | "GET /api/v1/archive/lists/{id}/inventory" => 200,
        "POST /archivo/importar"
        | "POST /archivo/listas/{id}/aprobar"
        | "POST /archivo/listas/{id}/ejecutar" => 303,
        "POST /api/v1/archive/expedientes" => 201,
        // Forms and requests without their values: each problem by its field.
        "POST /archivo/sembrar"
        | "POST /archivo/serie"
        | "POST /archivo/expedientes"
        | "POST /archivo/expedientes/{id}/cerrar"
        | "POST /archivo/expedientes/{id}/clasificar"
        | "POST /archivo/listas"
        | "POST /api/v1/archive/chart/seed"
        | "POST /api/v1/archive/expedientes/{id}/contents"
        | "POST /api/v1/archive/lists" => 422,
        // The fixtures' case was not disposed of.
        "GET /api/v1/archive/disposed/{folio}" => 404,
        // An entry no calendar has.
        "DELETE /api/v1/calendar/entries/{id}"
        | "PUT /api/v1/calendar/entries/{id}"
        | "POST /admin/calendario/quitar"
        | "POST /admin/calendario/cambiar" => 404,
        _ => return None,
    })
}

/// The fixtures a route's path and form name.
#[derive(Default)]
struct Fixtures {
    /// A case at 1.1 of seed 000, registered by the Secretario Técnico, with one document.
    folio: String,
    document: i64,
    /// A supervision of the case: R1 attended with its evidence, R2 open, the Secretario
    /// Técnico's to attend.
    program: String,
    /// A remote visit to the Secretario Técnico whose team is its titular, with one finding
    /// and its evidence file, and no plan yet.
    visit: i64,
    /// A petition of Jalisco, classified with its volante turned to the Enlace.
    petition: String,
    /// A petition registered from a scanned letter.
    letter: String,
    /// A suplencia of the Secretario Técnico to the asesor, days ahead, with its oficio.
    delegation: i64,
    /// An incoming document registered at the Secretario Técnico with its scanned document,
    /// turned for attention to the Coordinación de Asesores (`incoming_turn`).
    incoming: String,
    incoming_turn: i64,
    /// An outgoing document of the Secretario Técnico: dispatched, its first addressee's acuse
    /// recorded with its scan and the second's pending; a draft or a signed one for the routes
    /// that move one.
    outgoing: i64,
    /// The archive: the catalog of `archive::CATALOG`, an expediente open in trámite, and a
    /// baja list (a draft, or approved for the routes that carry it out) of another, closed.
    expediente: i64,
    list: i64,
    /// A procedure draft being reviewed, its definition empty.
    draft: i64,
}

/// A lines' file (the layout of a program's lines export) with one commitment.
/// An informe's indicator table.
const INDICATORS_CSV: &str =
    "Clave,Indicador,Unidad de medida,Valor\nAF,Personas afiliadas,personas,1200\n";

const LINES_CSV: &str = "Línea,Tipo,Texto,Unidad responsable,Actividad,Fecha de inicio,Fecha de término\n\
                         1,compromiso,Capacitar,SIDSS-ST,Curso,2026-03-02,2026-03-13\n";

static COUNTER: AtomicU32 = AtomicU32::new(0);

fn next() -> u32 {
    COUNTER.fetch_add(1, Ordering::Relaxed)
}

/// The day `days` days from today.
fn ahead(days: u32) -> String {
    today()
        .checked_add(jiff::Span::new().days(i64::from(days)))
        .unwrap()
        .to_string()
}

/// The Enlace of Jalisco, its unit and the motive a petition is classified with.
async fn agency(app: &TestApp) {
    archive_people(app).await;
    let jalisco = (
        "REPSS-JAL",
        "Régimen Estatal de Protección Social en Salud de Jalisco",
    );
    app.add_unit_with(jalisco, "enlace_jal", Role::EnlaceExterno)
        .await;
    app.add_motive("MED-SURT", "Surtimiento de medicamentos")
        .await;
}

/// The people of the matrix: a browser each (anonymous people have a session too, for the
/// mailbox's forms) and an API token each but the anonymous.
struct People {
    browsers: HashMap<Who, Browser>,
    tokens: HashMap<Who, String>,
}

impl People {
    async fn of(app: &TestApp) -> People {
        let mut people = People {
            browsers: HashMap::new(),
            tokens: HashMap::new(),
        };
        for who in EVERYONE
            .into_iter()
            .chain([Who::Enlace, Who::Archivista, Who::Coordinadora])
        {
            people.sign_in(app, who).await;
            if let Some(login) = login(who) {
                people.tokens.insert(who, app.api_token(login).await);
            }
        }
        people
    }

    async fn sign_in(&mut self, app: &TestApp, who: Who) {
        let browser = match login(who) {
            Some(login) => app.signed_in(login).await,
            None => app.browser(),
        };
        self.browsers.insert(who, browser);
    }

    fn browser(&self, who: Who) -> &Browser {
        &self.browsers[&who]
    }

    /// The CSRF token of `who`'s session.
    async fn csrf(&self, who: Who) -> String {
        let page = match who {
            Who::Anonymous => "/atencion",
            _ => "/bandeja",
        };
        self.browser(who).csrf(page).await
    }
}

impl Fixtures {
    /// What `path` names, made afresh.
    async fn for_path(app: &TestApp, people: &People, path: &str) -> Fixtures {
        let mut fixtures = Fixtures::default();
        let under = |prefixes: &[&str]| prefixes.iter().any(|p| path.starts_with(p));
        let program = under(&["/seguimiento/", "/api/v1/programs", "/api/v1/supervisions"]);
        if program || under(&["/asuntos/", "/api/v1/cases/"]) {
            fixtures.case(app, people).await;
        }
        if of_the_archive(path) {
            let approved = path.ends_with("/ejecutar") || path.ends_with("/execution");
            fixtures.archive(app, approved).await;
        }
        if program {
            fixtures.supervision(app, people).await;
        }
        if under(&["/peticiones/", "/api/v1/petitions/"]) {
            fixtures.petitions(app, people).await;
        }
        if under(&["/visitas/", "/api/v1/visits/"]) {
            fixtures.visit(app).await;
        }
        if under(&["/procedimientos/borradores/", "/api/v1/procedure-drafts/"]) {
            fixtures.draft(app).await;
        }
        if under(&["/suplencias/", "/api/v1/delegations/"]) {
            fixtures.delegation(app).await;
        }
        // The incoming document, for the incoming routes only: not the outgoing ones, nor a
        // unit's numbering, which share the prefixes.
        let outgoing = under(&[
            "/correspondencia/salida",
            "/api/v1/correspondence/outgoing",
            "/api/v1/correspondence/numbering",
        ]);
        if under(&["/correspondencia/", "/api/v1/correspondence/"]) && !outgoing {
            fixtures.incoming(app).await;
        }
        if under(&[
            "/correspondencia/salida/",
            "/api/v1/correspondence/outgoing/",
        ]) {
            let stage = if path.ends_with("/corregir")
                || path.ends_with("/firma")
                || path.ends_with("/signature")
                || path.ends_with("/efirma")
                || path.ends_with("/outgoing/{id}")
            {
                OutgoingAt::Draft
            } else if path.ends_with("/despacho") || path.ends_with("/dispatch") {
                OutgoingAt::Signed
            } else {
                OutgoingAt::Dispatched
            };
            fixtures.outgoing = outgoing_document(app, stage).await;
        }
        fixtures
    }

    /// Everything, for the requests that change nothing.
    async fn all(app: &TestApp, people: &People) -> Fixtures {
        let mut fixtures = Fixtures::default();
        fixtures.case(app, people).await;
        fixtures.supervision(app, people).await;
        fixtures.petitions(app, people).await;
        fixtures.visit(app).await;
        fixtures.delegation(app).await;
        fixtures.incoming(app).await;
        fixtures.outgoing = outgoing_document(app, OutgoingAt::Dispatched).await;
        fixtures.archive(app, false).await;
        fixtures.draft(app).await;
        fixtures
    }

    async fn draft(&mut self, app: &TestApp) {
        use turno_store::ProcedureDrafts;
        use turno_store::procedure_drafts::{DraftSource, NewProcedureDraft};
        let draft = NewProcedureDraft {
            source: DraftSource::Bpmn,
            file_name: "proceso.bpmn".into(),
            file_sha256: "ef".repeat(32),
            source_text: "<definitions/>".into(),
            key: "proceso".into(),
            definition: String::new(),
            report: "Revisión".into(),
        };
        self.draft = app
            .store
            .add_procedure_drafts(&[draft], "admin", &jiff::Timestamp::now().to_string())
            .await
            .unwrap()[0];
    }

    async fn archive(&mut self, app: &TestApp, approved: bool) {
        use turno_app::archive::{ExpedienteDraft, close, import, open};
        use turno_store::archive::Archive;
        let user = app
            .store
            .user_by_login("archivista")
            .await
            .unwrap()
            .unwrap()
            .user;
        let archivista = turno_app::Principal::load(&app.store, &user, today())
            .await
            .unwrap();
        import(&app.state, &archivista, CATALOG.as_bytes())
            .await
            .unwrap();
        let n = next();
        let draft = |number: String| ExpedienteDraft {
            number,
            serie: "SIDSS-1".into(),
            title: "Informes de 2000".into(),
            opened_on: "2000-01-02".into(),
        };
        self.expediente = open(&app.state, &archivista, &draft(format!("SIDSS-1/A/{n}")))
            .await
            .unwrap();
        let closed = open(&app.state, &archivista, &draft(format!("SIDSS-1/C/{n}")))
            .await
            .unwrap();
        close(&app.state, &archivista, closed, "2000-12-31")
            .await
            .unwrap();
        let list = turno_domain::archive::List::new(
            format!("B-{n}"),
            turno_domain::archive::Move::Baja,
            vec![closed],
        )
        .unwrap();
        self.list = app.store.create_list(&list, "archivista").await.unwrap();
        if approved {
            app.store
                .approve_list(self.list, "coordinadora", "2026-01-01T00:00:00Z")
                .await
                .unwrap();
        }
    }

    async fn incoming(&mut self, app: &TestApp) {
        use turno_app::correspondence::incoming::{Registration, Upload, register};
        use turno_app::correspondence::turns::{TurnTo, turn};
        let user = app
            .store
            .user_by_login("secretario")
            .await
            .unwrap()
            .unwrap()
            .user;
        let secretario = turno_app::Principal::load(&app.store, &user, today())
            .await
            .unwrap();
        let folio = register(
            &app.state,
            &secretario,
            Registration {
                unit: "SIDSS-ST",
                draft: turno_domain::correspondence::IncomingDraft {
                    kind: "oficio",
                    sender_kind: "externa",
                    sender_name: "Dra. Ana López",
                    sender_organization: "Servicios de Salud de Querétaro",
                    received_at: &format!("{}T09:00", yesterday()),
                    subject: "Solicitud de información",
                    ..Default::default()
                },
                in_reply_to: "",
                files: vec![Upload {
                    name: "escaneo.pdf".into(),
                    content: PDF.to_vec(),
                }],
            },
        )
        .await
        .unwrap()
        .to_string();
        let to = TurnTo {
            unit: "SIDSS-CAS",
            person: "",
            instruction: "atencion",
            days: "5",
            note: "",
        };
        self.incoming_turn = turn(&app.state, &secretario, &folio, None, &[to])
            .await
            .unwrap()[0];
        self.incoming = folio;
    }

    async fn case(&mut self, app: &TestApp, people: &People) {
        let secretario = people.browser(Who::OwnUnit);
        let folio = secretario.register_report().await;
        let page = secretario.text(&format!("/asuntos/{folio}")).await;
        let pdf = File {
            name: "oficio.pdf",
            mime: "application/pdf",
            content: PDF,
        };
        let response = crate::common::upload(
            secretario,
            &folio,
            &[("csrf", &csrf_in(&page)), ("item", "")],
            Some(&pdf),
        )
        .await;
        assert_eq!(response.status(), 303);
        let id = app.store.find_case(&folio).await.unwrap().unwrap();
        self.document = app.store.documents(id).await.unwrap()[0].id;
        self.folio = folio;
    }

    async fn supervision(&mut self, app: &TestApp, people: &People) {
        let key = format!("SUP-{}", next());
        app.supervision_of_case(&key, &self.folio).await;
        let response = crate::common::attend(
            people.browser(Who::Admin),
            &format!("/seguimiento/{key}/R1"),
            &[],
        )
        .await;
        assert_eq!(response.status(), 303);
        self.program = key;
    }

    async fn visit(&mut self, app: &TestApp) {
        use turno_store::visits::{NewFinding, NewVisit, Visits};
        let stored = app.state.blobs.put(PDF).await.unwrap();
        let visit = NewVisit {
            modality: turno_domain::followup::Modality::Remote,
            units: vec!["SIDSS-ST".into()],
            dates: (yesterday(), today()),
            team: vec!["secretario".into()],
            purpose: "Evaluación a distancia".into(),
            aspects: vec!["Control de gestión".into()],
            case_folio: None,
        };
        let finding = NewFinding {
            aspect: "Control de gestión".into(),
            description: "Turnos sin respuesta".into(),
            severity: turno_domain::followup::Severity::Medium,
            evidence: Some((
                "cedula.pdf".into(),
                turno_store::followup::EvidenceFile {
                    sha256: stored.sha256,
                    mime: "application/pdf".into(),
                },
            )),
        };
        self.visit = app
            .store
            .record_visit(&visit, &[finding], None, "prueba")
            .await
            .unwrap();
    }

    async fn petitions(&mut self, app: &TestApp, people: &People) {
        let folio = mailbox_petition(app).await.to_string();
        let admin = people.browser(Who::Admin);
        let csrf = people.csrf(Who::Admin).await;
        let response = admin
            .post(
                &format!("/peticiones/{folio}/clasificar"),
                &[&[("csrf", csrf.as_str())], QUEJA_JAL].concat(),
            )
            .await;
        assert_eq!(response.status(), 303, "the petition is classified");
        self.petition = folio;
        let stored = app.state.blobs.put(PDF).await.unwrap();
        let letter = FiledLetter {
            letter: Letter::check(
                "Consejo Nacional de Salud",
                "CNS/1/2026",
                "2026-03-02",
                today(),
            )
            .unwrap(),
            document_sha256: stored.sha256,
            document_name: "oficio.pdf".into(),
        };
        self.letter = app
            .store
            .file_petition(&queja(app), [2; 32], Some(&letter))
            .await
            .unwrap()
            .to_string();
    }

    async fn delegation(&mut self, app: &TestApp) {
        let id = |login: &'static str| async move {
            app.store
                .user_by_login(login)
                .await
                .unwrap()
                .unwrap()
                .user
                .id
        };
        let stored = app.state.blobs.put(PDF).await.unwrap();
        // Days of its own, so that no two suplencias of the titular overlap.
        let day = 10 + 3 * next();
        let on = |text: String| text.parse().unwrap();
        self.delegation = app
            .store
            .create_delegation(
                &NewDelegation {
                    titular: id("secretario").await,
                    delegate: id("asesor").await,
                    unit_code: "SIDSS-ST".into(),
                    starts_on: on(ahead(day)),
                    ends_on: on(ahead(day + 1)),
                    document_sha256: stored.sha256,
                    document_name: "oficio.pdf".into(),
                    reason: "Vacaciones del titular".into(),
                },
                "prueba",
            )
            .await
            .unwrap();
    }

    /// `path` with its parameters filled, each by the segment before it.
    fn fill(&self, path: &str) -> String {
        let segments: Vec<&str> = path.split('/').collect();
        let mut filled = Vec::new();
        for (i, segment) in segments.iter().enumerate() {
            let before = if i > 0 { segments[i - 1] } else { "" };
            let value = match (before, *segment) {
                (_, s) if !s.starts_with('{') => s.to_owned(),
                ("asuntos" | "cases", "{folio}") => self.folio.clone(),
                ("correspondencia" | "incoming", "{folio}") => self.incoming.clone(),
                ("turnos", "{turn}") => self.incoming_turn.to_string(),
                ("turns", "{turn}") if path.contains("/correspondence/") => {
                    self.incoming_turn.to_string()
                }
                ("archivos", "{n}") => "0".into(),
                ("peticiones", "{folio}") if path.ends_with("/oficio") => self.letter.clone(),
                ("petitions", "{folio}") if path.ends_with("/letter") => self.letter.clone(),
                ("peticiones" | "petitions", "{folio}") => self.petition.clone(),
                ("documentos" | "documents", "{id}") => self.document.to_string(),
                ("salida" | "outgoing", "{id}") => self.outgoing.to_string(),
                ("acuses", "{n}") => "1".into(),
                ("expedientes", "{id}") => self.expediente.to_string(),
                ("listas" | "lists", "{id}") => self.list.to_string(),
                ("disposed", "{folio}") => self.folio.clone(),
                ("numbering", "{code}") => "SIDSS-ST".into(),
                ("suplencias" | "delegations", "{id}") => self.delegation.to_string(),
                ("borradores" | "procedure-drafts", "{id}") => self.draft.to_string(),
                ("registrar" | "procedimientos" | "procedures", "{key}") => PROCEDURE.into(),
                ("seguimiento" | "programs", "{key}") => self.program.clone(),
                ("visitas" | "visits", "{id}") => self.visit.to_string(),
                ("hallazgos" | "findings", "{number}") => "1".into(),
                ("{key}", "{item}") if path.contains("/evidencia/") => "R1".into(),
                ("items", "{item}") if path.contains("/evidence/") => "R1".into(),
                ("{key}" | "items", "{item}") => "R2".into(),
                ("evidence", "{index}") => "0".into(),
                ("entries" | "schedules", "{id}") => "999999".into(),
                ("units" | "unidades", "{code}") => "SIDSS-ST".into(),
                ("motives", "{code}") => "NO-EXISTE".into(),
                ("work", "{item}") | ("activities", "{number}") => "1".into(),
                ("turns", "{turn}") => "2".into(),
                ("evidencia", "{activity}") => "1".into(),
                ("{activity}", "{n}") => "0".into(),
                ("people", "{login}") => "asesor".into(),
                ("static", "{name}") => "turno.css".into(),
                (_, parameter) => panic!("no fixture for {parameter} in {path}: add one"),
            };
            filled.push(value);
        }
        filled.join("/")
    }
}

/// How far the matrix's outgoing document goes.
#[derive(Clone, Copy, PartialEq)]
enum OutgoingAt {
    Draft,
    Signed,
    Dispatched,
}

/// An oficio of the Secretario Técnico to two people outside, drafted by its titular and, as
/// far as `at` says, signed with its scan, dispatched and the first acuse recorded.
async fn outgoing_document(app: &TestApp, at: OutgoingAt) -> i64 {
    let outside = |name: &str| Recipient {
        copy: false,
        unit_code: None,
        name: name.into(),
        title: "Director General".into(),
        institution: "Secretaría de Salud de Jalisco".into(),
        acuse: None,
    };
    let draft = OutgoingDraft {
        unit: "SIDSS-ST".into(),
        kind: turno_domain::correspondence::DocumentKind::Oficio,
        subject: "Envío del informe".into(),
        body: "Le envío el informe trimestral.".into(),
        attention_to: None,
        case_folio: None,
        answers_turn: None,
        recipients: vec![outside("Lic. Rosa Pérez"), outside("Dr. Luis Mora")],
        reviewers: Vec::new(),
        signers: Vec::new(),
    };
    let now = jiff::Timestamp::now();
    let id = app
        .store
        .draft_outgoing(&draft, "secretario", now)
        .await
        .unwrap();
    if at == OutgoingAt::Draft {
        return id;
    }
    let scan = app.state.blobs.put(PDF).await.unwrap().sha256;
    let signing = Signing {
        by: "secretario".into(),
        at: now,
        year: today().year(),
        numbering: Numbering {
            siglas: "ST".into(),
            format: turno_domain::correspondence::NumberFormat::default(),
        },
        scan: Some((scan.clone(), "firmado.pdf".into())),
        // Recorded as the application stores a verified e.firma, for its signed PDF.
        efirma: Some(turno_store::correspondence::outgoing::OutgoingSignature {
            ordinal: 1,
            signer_login: "secretario".into(),
            signer_name: "SECRETARIO TECNICO".into(),
            rfc: Some("LONA800101AB1".into()),
            curp: None,
            serial: "00001000000700000001".into(),
            issuer: "AC DE PRUEBAS".into(),
            certificate: b"certificado".to_vec(),
            claimed_time: None,
            verified_at: now,
            digest: scan.clone(),
            cms: b"firma".to_vec(),
        }),
        note: None,
    };
    app.store.sign_outgoing(id, 0, &signing).await.unwrap();
    if at == OutgoingAt::Signed {
        return id;
    }
    let on = app.state.local_now();
    let dispatch = Dispatch {
        by: "secretario".into(),
        at: now,
        on,
        closes: None,
        arrivals: Vec::new(),
    };
    app.store.dispatch_outgoing(id, 1, &dispatch).await.unwrap();
    let acuse = Acuse {
        on,
        received_by: "Oficialía de partes".into(),
        scan: Some((scan, "acuse.pdf".into())),
        recorded_by: "secretario".into(),
    };
    app.store.record_acuse(id, 0, &acuse).await.unwrap();
    id
}

/// What a request sends.
enum Sent {
    Nothing,
    /// A page's form; its CSRF token goes first.
    Form(Vec<(&'static str, String)>),
    Multipart(Vec<u8>),
    Json(Value),
    /// A file as the API takes it: its type and bytes (the name in the query).
    File(&'static str, Vec<u8>),
}

fn form(csrf: &str, fields: &[(&'static str, &str)]) -> Sent {
    let mut all = vec![("csrf", csrf.to_owned())];
    all.extend(fields.iter().map(|(k, v)| (*k, (*v).to_owned())));
    Sent::Form(all)
}

/// What the route's form (or the API's body) sends, with `csrf` as its token, and the query
/// that goes with it.
async fn body(app: &TestApp, route: &str, fx: &Fixtures, csrf: &str) -> (String, Sent) {
    let pdf = |name: &'static str| File {
        name,
        mime: "application/pdf",
        content: PDF,
    };
    let version = || async {
        let id = app.store.find_case(&fx.folio).await.unwrap().unwrap();
        app.store.load_current(id).await.unwrap().head.version
    };
    let n = next();
    let sent = match route {
        // A login of its own each time: three wrong passwords for one make it wait (429).
        "POST /acceso" => {
            let login = format!("nadie{n}");
            form(csrf, &[("login", &login), ("password", "x"), ("next", "")])
        }
        "POST /asuntos/{folio}/atender"
        | "POST /asuntos/{folio}/turnar"
        | "POST /asuntos/{folio}/retirar-turno"
        | "POST /asuntos/{folio}/plazo" => {
            // What the case page's forms send, whether or not this person may see it.
            form(
                csrf,
                &[
                    ("item", "1"),
                    ("version", &version().await.to_string()),
                    ("observaciones", "x"),
                    ("unidades", "SIDSS-CAS"),
                    ("instruccion", "Para su atención"),
                    ("accion", "suspender"),
                    ("motivo", "Espera respuesta"),
                    ("turno", "2"),
                ],
            )
        }
        "POST /registrar/{key}"
        | "POST /peticiones/{folio}/clasificar"
        | "POST /peticiones/{folio}/revision" => form(
            csrf,
            &[
                ("asunto", "Informe de prueba"),
                ("medio", "Oficio"),
                ("tipo_informe", "Informe"),
                ("direccion_general", "DGPLADES"),
            ],
        ),
        "POST /peticiones/{folio}/fur" => form(
            csrf,
            &[
                ("enlace", "Lic. Ana Ruiz"),
                ("fecha", &today().to_string()),
                ("contacto_medio", "telefono"),
                ("contacto_fecha", &today().to_string()),
                ("acciones", "Se gestionó el surtimiento."),
                ("resultado", "favorable"),
                ("respuesta", "Se surtió la receta."),
            ],
        ),
        "POST /informes/atencion/llamadas" => {
            form(csrf, &[("dia", "2026-03-02"), ("llamadas", "5")])
        }
        "POST /admin/personas" => form(
            csrf,
            &[
                ("login", &format!("nueva{n}")),
                ("nombre", "Persona nueva"),
                ("contrasena", crate::common::PASSWORD),
            ],
        ),
        "POST /admin/personas/papeles" => form(
            csrf,
            &[
                ("login", "asesor"),
                ("unidad", "OTRA-UNIDAD"),
                ("papel", "consulta"),
            ],
        ),
        "POST /admin/personas/papeles/quitar" => {
            let asesor = app.store.user_by_login("asesor").await.unwrap().unwrap();
            let _ = app
                .store
                .add_membership(asesor.user.id, "OTRA-UNIDAD", Role::Operador, "prueba")
                .await;
            form(
                csrf,
                &[
                    ("login", "asesor"),
                    ("unidad", "OTRA-UNIDAD"),
                    ("papel", "operador"),
                ],
            )
        }
        "POST /admin/personas/estado" => form(csrf, &[("login", "consulta"), ("activa", "si")]),
        "POST /admin/personas/identidad" => {
            form(csrf, &[("login", "asesor"), ("rfc", "GOYA780416GM0")])
        }
        "POST /admin/unidades" => form(
            csrf,
            &[
                ("codigo", &format!("PRUEBA-{n}")),
                ("nombre", "Unidad de prueba"),
                ("nivel", "unidad"),
            ],
        ),
        "POST /admin/unidades/importar" | "POST /admin/calendario/importar" => {
            Sent::Multipart(multipart_named(
                &[("csrf", csrf)],
                "archivo",
                Some(&File {
                    name: "vacio.csv",
                    mime: "text/csv",
                    content: b"no es un archivo de unidades ni de calendario\n",
                }),
            ))
        }
        "POST /admin/calendario/agregar" => form(
            csrf,
            &[
                ("desde", "2026-12-07"),
                ("nombre", &format!("Suspensión de labores {n}")),
            ],
        ),
        "POST /admin/calendario/quitar" => form(csrf, &[("entrada", "999999")]),
        "POST /admin/calendarizaciones/estado" => form(csrf, &[("id", "999999")]),
        "POST /admin/calendario/cambiar" => form(
            csrf,
            &[
                ("entrada", "999999"),
                ("desde", "2026-12-07"),
                ("nombre", "Suspensión de labores"),
            ],
        ),
        "POST /admin/unidades/{code}/numeracion" => form(
            csrf,
            &[("siglas", "SIDSS/ST"), ("format", "{siglas}/{n:4}/{año}")],
        ),
        "POST /admin/unidades/{code}" => form(
            csrf,
            &[
                ("nombre", "Secretario Técnico"),
                ("nivel", "direccion_general"),
            ],
        ),
        "POST /admin/calendario/alcance" => form(csrf, &[]),
        "POST /admin/motivos" | "POST /admin/motivos/retirar" => {
            // Added under one code, retired under another that no catalog has.
            let code = if route.ends_with("/retirar") {
                "NO-EXISTE"
            } else {
                &format!("PRUEBA-{n}")
            };
            form(csrf, &[("clave", code), ("nombre", "Prueba")])
        }
        "POST /seguimiento/importar" => {
            Sent::Multipart(asm_tables(csrf, "actividades-corregidas.csv"))
        }
        "POST /visitas" => form(
            csrf,
            &[
                ("modality", "remote"),
                ("units", "SIDSS-ST"),
                ("from", "2026-03-09"),
                ("to", "2026-03-13"),
                ("team", "secretario"),
                ("purpose", "Evaluación a distancia"),
                ("aspects", "Control de gestión"),
            ],
        ),
        "POST /visitas/{id}/hallazgos" => Sent::Multipart(multipart_named(
            &[
                ("csrf", csrf),
                ("aspect", "Control de gestión"),
                ("description", "Oficios sin folio"),
                ("severity", "high"),
            ],
            "evidence",
            Some(&pdf("cedula.pdf")),
        )),
        "POST /visitas/{id}/plan" => form(
            csrf,
            &[
                ("key", &format!("PM-{n}")),
                ("actions[0].finding", "1"),
                ("actions[0].description", "Responder los turnos"),
                ("actions[0].responsible", "SIDSS-ST"),
                ("actions[0].start", "2026-03-16"),
                ("actions[0].end", "10 días hábiles"),
            ],
        ),
        "POST /api/v1/visits" => Sent::Json(json!({
            "modality": "remote",
            "units": ["SIDSS-ST"],
            "from": "2026-03-09",
            "to": "2026-03-13",
            "team": ["secretario"],
            "purpose": "Evaluación a distancia",
            "aspects": ["Control de gestión"],
        })),
        "POST /api/v1/visits/{id}/findings" => Sent::Multipart(multipart_named(
            &[
                ("aspect", "Control de gestión"),
                ("description", "Oficios sin folio"),
                ("severity", "high"),
            ],
            "evidence",
            Some(&pdf("cedula.pdf")),
        )),
        "POST /api/v1/visits/{id}/plan" => Sent::Json(json!({
            "key": format!("PM-API-{n}"),
            "actions": [{
                "finding": 1,
                "description": "Responder los turnos",
                "responsible": "SIDSS-ST",
                "start": "2026-03-16",
                "end": "2026-03-27",
            }],
        })),
        "POST /seguimiento/supervisiones" => form(
            csrf,
            &[
                ("clave", &format!("{}-B", fx.program)),
                ("folio", &fx.folio),
                ("entidad", "Querétaro"),
                ("desde", "2026-03-01"),
                ("plazo", "2026-06-30"),
                ("recomendaciones", "Actualizar el padrón"),
            ],
        ),
        "POST /seguimiento/acuerdos"
        | "POST /seguimiento/{key}/elementos"
        | "POST /seguimiento/{key}/{item}/editar" => form(
            csrf,
            &[
                ("clave", &format!("{}-AC", fx.program)),
                ("nombre", "Acuerdos de la reunión"),
                ("folio", &fx.folio),
                ("tipo", "acuerdo"),
                ("texto", "Publicar el manual"),
                ("unidad", "SIDSS-ST"),
                ("actividad", "Enviarlo a revisión"),
                ("inicio", "2026-03-02"),
                ("termino", "2026-03-13"),
            ],
        ),
        // The fixtures' program is a supervision's: it takes no lines (422), whoever may write.
        "POST /seguimiento/{key}/lineas" => Sent::Multipart(multipart_named(
            &[("csrf", csrf)],
            "archivos",
            Some(&File {
                name: "lineas.csv",
                mime: "text/csv",
                content: LINES_CSV.as_bytes(),
            }),
        )),
        "POST /seguimiento/{key}/{item}/avance" => Sent::Multipart(multipart_named(
            &[("csrf", csrf), ("actividad", "1"), ("avance", "10")],
            "evidencia",
            None,
        )),
        "POST /asuntos/{folio}/documentos" => Sent::Multipart(multipart(
            &[("csrf", csrf), ("item", "")],
            Some(&pdf("evidencia.pdf")),
        )),
        "POST /suplencias" => {
            let day = 10 + 3 * n;
            Sent::Multipart(multipart_named(
                &[
                    ("csrf", csrf),
                    ("titularidad", "secretario SIDSS-ST"),
                    ("suplente", "asesor"),
                    ("desde", &ahead(day)),
                    ("hasta", &ahead(day + 1)),
                    ("motivo", "Vacaciones del titular"),
                ],
                "oficio",
                Some(&pdf("suplencia.pdf")),
            ))
        }
        "POST /peticiones/importar" => Sent::Multipart(multipart_named(
            &[("csrf", csrf)],
            "archivo",
            Some(&File {
                name: "llamadas.csv",
                mime: "text/csv",
                content: b"FECHA,TIPO,ENTIDAD,DESCRIPCION\n02/03/2026,Queja,JAL,Receta\n",
            }),
        )),
        "POST /correspondencia/salida/nuevo" | "POST /correspondencia/salida/{id}/corregir" => {
            form(
                csrf,
                &[
                    ("unit", "SIDSS-ST"),
                    ("kind", "oficio"),
                    ("subject", "Envío del informe"),
                    ("body", "Le envío el informe."),
                    (
                        "recipients",
                        "Lic. Rosa Pérez | Directora | Secretaría de Salud",
                    ),
                    ("version", "0"),
                ],
            )
        }
        "POST /correspondencia/salida/{id}/paso" => {
            form(csrf, &[("paso", "cancelar"), ("version", "3")])
        }
        "POST /correspondencia/salida/{id}/despacho" => form(csrf, &[("version", "1")]),
        "POST /correspondencia/salida/{id}/efirma" => form(
            csrf,
            &[
                ("version", "0"),
                ("firma", "aG9sYQ=="),
                ("certificado", "aG9sYQ=="),
            ],
        ),
        "POST /verificar" => Sent::Multipart(multipart_named(&[("csrf", csrf)], "archivo", None)),
        "POST /correspondencia/salida/{id}/firma" => Sent::Multipart(multipart_named(
            &[("csrf", csrf), ("version", "0")],
            "scan",
            Some(&pdf("firmado.pdf")),
        )),
        "POST /correspondencia/salida/{id}/acuse" => Sent::Multipart(multipart_named(
            &[
                ("csrf", csrf),
                ("recipient", "2"),
                ("received_at", "2026-03-02T10:30"),
                ("received_by", "Oficialía de partes"),
            ],
            "scan",
            Some(&pdf("acuse.pdf")),
        )),
        "POST /peticiones/registrar" => Sent::Multipart(multipart_named(
            &[
                ("csrf", csrf),
                ("canal", "carta"),
                ("remitente", "Consejo Nacional de Salud"),
                ("oficio", &format!("CNS/{n}/2026")),
                ("fecha_oficio", "2026-03-02"),
                ("tipo", "queja"),
                ("entidad", "JAL"),
                ("descripcion", "No le surtieron la receta."),
            ],
            "archivo",
            Some(&pdf("oficio.pdf")),
        )),
        "POST /correspondencia/importar" => Sent::Multipart(multipart_named(
            &[
                ("csrf", csrf),
                ("unidad", "SIDSS-ST"),
                ("accion", "revisar"),
            ],
            "archivo",
            Some(&File {
                name: "registro.csv",
                mime: "text/csv",
                content: b"Asunto\nOficio sin remitente\n",
            }),
        )),
        // A unit nobody acts in: refused by its field to whoever registers, denied to others.
        "POST /correspondencia/registrar" => Sent::Multipart(multipart_named(
            &[("csrf", csrf), ("unit", "NO-EXISTE")],
            "files",
            None,
        )),
        "POST /correspondencia/{folio}/asunto" => form(
            csrf,
            &[
                ("procedimiento", PROCEDURE),
                ("asunto", "Informe de prueba"),
                ("medio", "Oficio"),
                ("tipo_informe", "Informe"),
                ("direccion_general", "DGPLADES"),
            ],
        ),
        "POST /correspondencia/{folio}/turnar" => form(
            csrf,
            &[("unit", "SIDSS-CAS"), ("instruction", "conocimiento")],
        ),
        "POST /correspondencia/{folio}/turnos/{turn}" => form(
            csrf,
            &[("accion", "retirar"), ("text", "Turnado por error")],
        ),
        // Each upload a report of its own: a report's period is one case's.
        "POST /asuntos/{folio}/indicadores" => Sent::Multipart(multipart_named(
            &[
                ("csrf", csrf),
                ("informe", &format!("Informe {}", next())),
                ("periodo", "Primer semestre 2026"),
                ("corte", "2026-06-30"),
            ],
            "archivo",
            Some(&File {
                name: "indicadores.csv",
                mime: "text/csv",
                content: INDICATORS_CSV.as_bytes(),
            }),
        )),
        "POST /api/v1/cases/{folio}/indicators" => Sent::Multipart(multipart_named(
            &[
                ("report", &format!("Informe {}", next())),
                ("period", "Primer semestre 2026"),
                ("end", "2026-06-30"),
            ],
            "file",
            Some(&File {
                name: "indicadores.csv",
                mime: "text/csv",
                content: INDICATORS_CSV.as_bytes(),
            }),
        )),
        "POST /archivo/importar" => Sent::Multipart(multipart_named(
            &[("csrf", csrf)],
            "archivo",
            Some(&File {
                name: "catalogo.csv",
                mime: "text/csv",
                content: CATALOG.as_bytes(),
            }),
        )),
        "POST /archivo/serie" => form(csrf, &[("code", "SIDSS-1"), ("legal", "muchos")]),
        "POST /procedimientos/borradores" => Sent::Multipart(multipart_named(
            &[("csrf", csrf), ("tipo", "hoja")],
            "archivo",
            Some(&pdf("manual.pdf")),
        )),
        "POST /procedimientos/borradores/{id}" => form(csrf, &[("definicion", "")]),
        "POST /api/v1/procedure-drafts" => Sent::Multipart(multipart_named(
            &[("kind", "hoja")],
            "file",
            Some(&pdf("manual.pdf")),
        )),
        "PUT /api/v1/procedure-drafts/{id}" => Sent::Json(json!({"definition": ""})),
        // The rest of the pages' forms are their token alone (or their fields are optional).
        _ if !route.contains(" /api/") => form(csrf, &[]),
        "POST /api/v1/archive/chart/seed" => {
            Sent::Json(json!({"fondo_code": "", "fondo_name": ""}))
        }
        "PUT /api/v1/archive/catalog" => Sent::File("text/csv", CATALOG.as_bytes().to_vec()),
        "PUT /api/v1/archive/series" => Sent::Json(json!({
            "code": "SIDSS-1", "name": "Informes oficiales", "keeper": "Secretario Técnico",
            "administrative": "1", "legal": "0", "accounting": "0", "tramite": "1",
            "concentracion": "0", "destination": "baja", "access": "publica"
        })),
        "POST /api/v1/archive/expedientes" => Sent::Json(json!({
            "number": format!("SIDSS-1/API/{}", next()), "serie": "SIDSS-1",
            "title": "Informes", "opened_on": "2000-01-02"
        })),
        "POST /api/v1/archive/expedientes/{id}/closure" => {
            Sent::Json(json!({"closed_on": "2000-12-31"}))
        }
        "POST /api/v1/archive/expedientes/{id}/contents" => {
            Sent::Json(json!({"kind": "documento", "subject": "uno"}))
        }
        "POST /api/v1/archive/lists" => Sent::Json(json!({"kind": "quema", "number": "Q-1"})),
        "POST /api/v1/cases" => Sent::Json(json!({
            "procedure": PROCEDURE,
            "title": "Informe de prueba",
            "channel": "Oficio",
            "fields": {"tipo_informe": "Informe", "direccion_general": "DGPLADES"},
        })),
        "POST /api/v1/cases/{folio}/work/{item}"
        | "POST /api/v1/cases/{folio}/work/{item}/signed-text" => {
            Sent::Json(json!({"version": version().await, "observations": "Revisado"}))
        }
        "POST /api/v1/cases/{folio}/work/{item}/turns" => Sent::Json(json!({
            "version": version().await,
            "units": ["SIDSS-CAS"],
            "instruction": "Para su atención",
        })),
        "POST /api/v1/cases/{folio}/work/{item}/clock" => Sent::Json(json!({
            "version": version().await,
            "action": "suspend",
            "reason": "Espera respuesta",
        })),
        "POST /api/v1/cases/{folio}/work/{item}/turns/{turn}/withdrawal" => Sent::Json(json!({
            "version": version().await,
            "reason": "Turnado por error",
        })),
        "POST /api/v1/cases/{folio}/documents" => {
            return (
                "?name=evidencia.pdf".into(),
                Sent::File("application/pdf", PDF.to_vec()),
            );
        }
        "POST /api/v1/programs/{key}/items/{item}/activities/{number}/progress" => {
            Sent::Json(json!({"progress": 10, "note": "Avance"}))
        }
        "POST /api/v1/programs/{key}/items/{item}/activities/{number}/evidence" => {
            Sent::Multipart(multipart_named(
                &[("progress", "10")],
                "evidence",
                Some(&pdf("evidencia.pdf")),
            ))
        }
        "POST /api/v1/programs"
        | "POST /api/v1/programs/{key}/items"
        | "PUT /api/v1/programs/{key}/items/{item}" => {
            let item = json!({
                "kind": "agreement",
                "text": "Publicar el manual",
                "responsible": "SIDSS-ST",
                "activities": [{
                    "description": "Enviarlo a revisión",
                    "start": "2026-03-02",
                    "end": "2026-03-13",
                }],
            });
            if route != "POST /api/v1/programs" {
                Sent::Json(item)
            } else {
                Sent::Json(json!({
                    "key": format!("{}-AC{n}", fx.program),
                    "name": "Acuerdos de la reunión",
                    "case_folio": fx.folio,
                    "items": [item],
                }))
            }
        }
        "POST /api/v1/supervisions" => Sent::Json(json!({
            "key": format!("{}-B{n}", fx.program),
            "folio": fx.folio,
            "entidad": "Querétaro",
            "from": "2026-03-01",
            "deadline": "2026-06-30",
            "recommendations": ["Actualizar el padrón"],
        })),
        // The fixtures' program is a supervision's: it takes no lines (422), whoever may write.
        "POST /api/v1/programs/{key}/lines" => Sent::Multipart(multipart_named(
            &[],
            "files",
            Some(&File {
                name: "lineas.csv",
                mime: "text/csv",
                content: LINES_CSV.as_bytes(),
            }),
        )),
        // A file that is no table: refused whole, the program left as it was.
        "PUT /api/v1/programs/{key}/tables" => Sent::Multipart(multipart_named(
            &[("name", "Programa de prueba")],
            "tables",
            Some(&File {
                name: "vacio.csv",
                mime: "text/csv",
                content: b"no es una tabla\n",
            }),
        )),
        "POST /api/v1/calendar/entries" => Sent::Json(json!({
            "from": "2026-12-07",
            "name": format!("Suspensión de labores {n}"),
        })),
        "PUT /api/v1/calendar/entries/{id}" => Sent::Json(json!({
            "from": "2026-12-07",
            "name": "Suspensión de labores",
        })),
        "PUT /api/v1/calendar/scope" => Sent::Json(json!({})),
        "PATCH /api/v1/schedules/{id}" => Sent::Json(json!({"active": false})),
        "POST /api/v1/schedules" => Sent::Json(json!({
            "name": "",
            "procedure": PROCEDURE,
            "unit": "SIDSS-ST",
            "title": "Informe",
            "frequency": "semestral",
            "first_date": "2026-01-02",
            "term_days": 10,
        })),
        "PATCH /api/v1/units/{code}" => Sent::Json(json!({"name": "Secretario Técnico"})),
        "PUT /api/v1/units/{code}" => Sent::Json(json!({
            "name": "Secretario Técnico",
            "level": "direccion_general",
        })),
        "POST /api/v1/signatures/verify" => Sent::Json(json!({
            "document": "aG9sYQ==",
            "signature": "aG9sYQ==",
        })),
        "POST /api/v1/motives" => Sent::Json(json!({
            "code": format!("PRUEBA-{n}"),
            "name": "Prueba",
        })),
        "POST /api/v1/informes/atencion/llamadas" => {
            Sent::Json(json!({"day": "2026-03-02", "calls": 5}))
        }
        "POST /api/v1/units/import" | "POST /api/v1/calendar/import" => {
            return (
                "?name=vacio.csv".into(),
                Sent::File("text/plain; charset=utf-8", b"no es un archivo\n".to_vec()),
            );
        }
        "POST /api/v1/people" => Sent::Json(json!({
            "login": format!("api{n}"),
            "name": "Persona nueva",
            "email": "nueva@salud.gob.mx",
            "password": crate::common::PASSWORD,
        })),
        "POST /api/v1/people/{login}/roles" => {
            Sent::Json(json!({"unit": "OTRA-UNIDAD", "role": "consulta"}))
        }
        "DELETE /api/v1/people/{login}/roles" => {
            let asesor = app.store.user_by_login("asesor").await.unwrap().unwrap();
            let _ = app
                .store
                .add_membership(asesor.user.id, "OTRA-UNIDAD", Role::Titular, "prueba")
                .await;
            Sent::Json(json!({"unit": "OTRA-UNIDAD", "role": "titular"}))
        }
        "PUT /api/v1/people/{login}/active" => Sent::Json(json!({"active": true})),
        "PUT /api/v1/people/{login}/identity" => Sent::Json(json!({"rfc": "GOYA780416GM0"})),
        "POST /api/v1/delegations" => {
            use base64::Engine;
            let day = 10 + 3 * n;
            Sent::Json(json!({
                "titular": "secretario",
                "delegate": "asesor",
                "unit": "SIDSS-ST",
                "starts_on": ahead(day),
                "ends_on": ahead(day + 1),
                "reason": "Vacaciones del titular",
                "document_name": "suplencia.pdf",
                "document": base64::engine::general_purpose::STANDARD.encode(PDF),
            }))
        }
        "PUT /api/v1/notifications/preferences" => Sent::Json(json!([])),
        "POST /api/v1/correspondence/incoming" => Sent::Json(json!({
            "unit": "NO-EXISTE",
            "kind": "oficio",
            "sender_kind": "particular",
            "sender_name": "Juan Pérez",
            "received_at": format!("{}T09:00", yesterday()),
            "subject": "Escrito de prueba",
        })),
        // A register of a unit that does not exist: every one who may import hears why.
        "POST /api/v1/correspondence/incoming/import" => Sent::Multipart(multipart_named(
            &[("unit", "NO-EXISTE")],
            "file",
            Some(&File {
                name: "registro.csv",
                mime: "text/csv",
                content: b"Tipo,Tipo de remitente,Remitente,Recibido,Asunto\n\
                           escrito,particular,Juan,01/11/2026 09:00,Escrito\n",
            }),
        )),
        "POST /api/v1/correspondence/incoming/{folio}/case" => Sent::Json(json!({
            "procedure": PROCEDURE,
            "fields": {"tipo_informe": "Informe", "direccion_general": "DGPLADES"},
        })),
        "POST /api/v1/correspondence/incoming/{folio}/turns" => Sent::Json(json!({
            "turns": [{"unit": "SIDSS-CAS", "instruction": "conocimiento"}],
        })),
        "POST /api/v1/correspondence/incoming/{folio}/turns/{turn}/closure" => {
            Sent::Json(json!({"action": "withdraw", "text": "Turnado por error"}))
        }
        "POST /api/v1/correspondence/outgoing" | "PUT /api/v1/correspondence/outgoing/{id}" => {
            Sent::Json(json!({
                "unit": "SIDSS-ST",
                "version": 0,
                "kind": "oficio",
                "subject": "Envío del informe",
                "body": "Le envío el informe.",
                "recipients": [{"unit": "SIDSS-CAS"}],
            }))
        }
        "POST /api/v1/correspondence/outgoing/{id}/steps" => {
            Sent::Json(json!({"step": "cancelar", "version": 3}))
        }
        "POST /api/v1/correspondence/outgoing/{id}/dispatch" => Sent::Json(json!({"version": 1})),
        "POST /api/v1/correspondence/outgoing/{id}/efirma" => Sent::Json(json!({
            "version": 0,
            "firma": "aG9sYQ==",
            "certificado": "aG9sYQ==",
        })),
        "POST /api/v1/correspondence/outgoing/{id}/signature" => {
            use base64::Engine;
            Sent::Json(json!({
                "version": 0,
                "scan_name": "firmado.pdf",
                "scan": base64::engine::general_purpose::STANDARD.encode(PDF),
            }))
        }
        "POST /api/v1/correspondence/outgoing/{id}/acuses" => Sent::Json(json!({
            "recipient": 2,
            "received_at": "2026-03-02T10:30",
            "received_by": "Oficialía de partes",
        })),
        "PUT /api/v1/correspondence/numbering/{code}" => {
            Sent::Json(json!({"siglas": "ST", "format": "{siglas}/{n:4}/{año}"}))
        }
        "POST /api/v1/petitions" => Sent::Multipart(multipart_named(
            &[
                ("channel", "escrito"),
                ("kind", "queja"),
                ("state", "JAL"),
                ("narrative", "No le surtieron la receta."),
                ("sender", "Consejo Nacional de Salud"),
                ("reference", &format!("CNS/{n}/2026")),
                ("dated", "2026-03-02"),
            ],
            "document",
            Some(&pdf("oficio.pdf")),
        )),
        "POST /api/v1/petitions/{folio}/classification" => Sent::Json(json!({
            "kind": "queja",
            "motive": "MED-SURT",
            "state": "JAL",
            "needs_action": true,
            "days": 5,
        })),
        "POST /api/v1/petitions/{folio}/responses" => Sent::Json(json!({
            "liaison": "Lic. Ana Ruiz",
            "answered_on": today().to_string(),
            "contact": {"means": "telefono", "on": today().to_string()},
            "actions": "Se gestionó el surtimiento.",
            "outcome": "favorable",
            "answer": "Se surtió la receta.",
        })),
        "POST /api/v1/petitions/{folio}/review" => Sent::Json(json!({
            "complete": true,
            "favorable": true,
        })),
        "POST /api/v1/petitions/import" => Sent::Multipart(multipart_named(
            &[],
            "file",
            Some(&File {
                name: "llamadas.csv",
                mime: "text/csv",
                content: b"FECHA,TIPO,ENTIDAD,DESCRIPCION\n02/03/2026,Queja,JAL,Receta\n",
            }),
        )),
        "POST /api/v1/petitions/status" => Sent::Json(json!({
            "folio": fx.petition,
            "code": "0000-0000-0000",
        })),
        _ => Sent::Json(json!({})),
    };
    (String::new(), sent)
}

/// The queries a page or a list is read with: as it opens, and as people narrow it.
fn queries(route: &str) -> &'static [&'static str] {
    match route {
        "GET /buscar" | "GET /api/v1/cases" => &["", "?q=DGPLADES"],
        // The text the activity form would sign: its first activity asks for no e.firma.
        "GET /asuntos/{folio}/atender/firma" => &["?item=1&observaciones=x"],
        "GET /informes/atencion" => &["", "?formato=csv"],
        // The Secretario Técnico's report: without a unit, the page is only its form.
        "GET /correspondencia/informes" | "GET /api/v1/correspondence/reports" => &[
            "?unidad=SIDSS-ST&desde=2026-01-01&hasta=2026-12-31",
            "?unidad=SIDSS-ST&desde=2026-01-01&hasta=2026-12-31&formato=csv",
        ],
        "GET /informes/matriz-entrega" | "GET /api/v1/reports/delivery-matrix" => {
            &["", "?desde=2026-01-01&hasta=2026-12-31&formato=csv"]
        }
        "GET /tableros" | "GET /api/v1/dashboards" => &[
            "?unidad=SIDSS-ST&desde=2026-01&hasta=2026-12",
            "?unidad=SIDSS-ST&desde=2026-01&hasta=2026-12&formato=xlsx",
        ],
        "GET /tableros/asuntos" | "GET /api/v1/dashboards/items" => &[
            "?unidad=SIDSS-ST&desde=2026-01&hasta=2026-12&cifra=abiertos",
            "?unidad=SIDSS-ST&cifra=recibidos&en=SIDSS-ST",
        ],
        "GET /seguimiento/{key}/trimestre" => &[
            "",
            "?anio=2026&trimestre=1&formato=xlsx",
            "?anio=2026&trimestre=1&formato=pdf",
        ],
        "GET /seguimiento/{key}/concentrado" => &["", "?unidad=SIDSS-ST"],
        "GET /seguimiento/{key}/lineas" => &["?formato=csv", "?formato=xlsx"],
        "GET /api/v1/programs/{key}/rollup" => &["?unit=SIDSS-ST"],
        "GET /archivo/serie" => &["?codigo=SIDSS-1"],
        "GET /archivo/calendario" | "GET /api/v1/archive/calendar" => &["", "?hasta=2100-01-01"],
        "GET /archivo/listas/{id}/inventario" | "GET /archivo/expedientes/{id}/caratula" => {
            &["", "?formato=xlsx", "?formato=csv"]
        }
        "GET /api/v1/archive/lists/{id}/inventory"
        | "GET /api/v1/archive/expedientes/{id}/cover" => &["", "?format=xlsx"],
        "GET /api/v1/procedures/{key}/manual" => &["?format=docx", "?format=pdf"],
        _ => &[""],
    }
}

/// An answer as the matrix reads it.
struct Answer {
    status: u16,
    location: Option<String>,
    text: String,
}

async fn send(people: &People, who: Who, route: &Route, path: &str, sent: Sent) -> Answer {
    let api = matches!(route.access, Access::Api(_));
    let browser = people.browser(who);
    // The API never reads sessions: its requests go without cookies, with the token if any.
    let mut request = if api {
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        let request = client.request(route.method.clone(), format!("{}{path}", browser.base));
        match people.tokens.get(&who) {
            Some(token) => request.header("authorization", format!("Bearer {token}")),
            None => request,
        }
    } else {
        browser
            .client
            .request(route.method.clone(), format!("{}{path}", browser.base))
    };
    request = match sent {
        Sent::Nothing => request,
        Sent::Form(fields) => request.form(&fields),
        Sent::Multipart(body) => request
            .header(
                "content-type",
                format!("multipart/form-data; boundary={}", crate::common::BOUNDARY),
            )
            .body(body),
        Sent::Json(value) => request
            .header("content-type", "application/json")
            .body(value.to_string()),
        Sent::File(mime, bytes) => request.header("content-type", mime).body(bytes),
    };
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let location = response
        .headers()
        .get("location")
        .map(|l| l.to_str().unwrap().to_owned());
    let text = response.text().await.unwrap_or_default();
    Answer {
        status,
        location,
        text,
    }
}

/// What is wrong with `answer` to `route` as `who`, if anything.
fn judge(route: &Route, who: Who, answer: &Answer) -> Option<String> {
    let key = format!("{} {}", route.method, route.path);
    let to_sign_in = answer.status == 303
        && answer
            .location
            .as_deref()
            .is_some_and(|l| l.starts_with("/acceso?next="));
    let granted = || match outcome(&key) {
        Some(status) => (answer.status == status)
            .then_some(())
            .ok_or(format!("{}, expected {status}", answer.status)),
        None => {
            let refused =
                to_sign_in || matches!(answer.status, 401 | 403 | 404) || answer.status >= 500;
            (!refused)
                .then_some(())
                .ok_or(format!("{}: refused to those with access", answer.status))
        }
    };
    let expect = |status: u16| {
        (answer.status == status)
            .then_some(())
            .ok_or(format!("{}, expected {status}", answer.status))
    };
    let verdict = match (route.access, who) {
        (Access::Public, _) => granted(),
        (Access::Page(_), Who::Anonymous) => to_sign_in
            .then_some(())
            .ok_or(format!("{}, expected the sign-in page", answer.status)),
        (Access::Api(_), Who::Anonymous) => expect(401),
        (Access::Page(audience) | Access::Api(audience), _) if holds(audience, who) => granted(),
        (Access::Page(_) | Access::Api(_), _) => expect(403),
    };
    let mut problems: Vec<String> = verdict.err().into_iter().collect();
    if answer.status == 403
        && (answer.text.contains("DGPLADES") || answer.text.contains("oficio.pdf"))
    {
        problems.push("a 403 shows data".into());
    }
    // Outsiders never find other units' matters by searching either.
    if key.ends_with(" /buscar") && who == Who::OtherUnit && answer.text.contains("CAS-") {
        problems.push("search shows another unit's folio".into());
    }
    (!problems.is_empty()).then(|| format!("{key} as {who:?}: {}", problems.join("; ")))
}

fn changes(route: &Route) -> bool {
    route.method != reqwest::Method::GET
}

fn has_access(route: &Route, who: Who) -> bool {
    match route.access {
        Access::Public => true,
        Access::Page(audience) | Access::Api(audience) => holds(audience, who),
    }
}

/// Sends every route of `routes` as everyone and returns what answered otherwise than its
/// access says. A request that may change something and should be let through gets fixtures of
/// its own; the others share one set, which they must leave as they found it.
async fn matrix(app: &TestApp, routes: impl Iterator<Item = Route>) -> Vec<String> {
    agency(app).await;
    let mut people = People::of(app).await;
    let shared = Fixtures::all(app, &people).await;
    let mut failures = Vec::new();
    for route in routes {
        let key = format!("{} {}", route.method, route.path);
        for who in senders(&route) {
            let own;
            let fixtures = if changes(&route) && has_access(&route, who) {
                own = Fixtures::for_path(app, &people, &route.path).await;
                &own
            } else {
                &shared
            };
            let path = fixtures.fill(&route.path);
            if !changes(&route) {
                for query in queries(&key) {
                    let answer = send(
                        &people,
                        who,
                        &route,
                        &format!("{path}{query}"),
                        Sent::Nothing,
                    )
                    .await;
                    failures.extend(judge(&route, who, &answer));
                }
                continue;
            }
            let csrf = people.csrf(who).await;
            let (query, sent) = body(app, &key, fixtures, &csrf).await;
            let answer = send(&people, who, &route, &format!("{path}{query}"), sent).await;
            failures.extend(judge(&route, who, &answer));
            // Signing out ends the session the next routes are sent with.
            if key == "POST /salir" {
                people.sign_in(app, who).await;
            }
        }
    }
    failures
}

/// Whether a route is the API's (a public one too: the petitioner's lookup, the document).
fn of_the_api(route: &Route) -> bool {
    route.path.starts_with("/api/")
}

async fn every_page_answers_as_its_access_says(app: TestApp) {
    let pages = route_table().into_iter().filter(|r| !of_the_api(r));
    let failures = matrix(&app, pages).await;
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

async fn every_api_operation_answers_as_its_access_says(app: TestApp) {
    let operations = route_table().into_iter().filter(of_the_api);
    let failures = matrix(&app, operations).await;
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Every page form, sent by someone who has access, with a token that is not the session's:
/// the same page for all, and nothing done.
async fn every_page_form_refuses_a_token_not_the_sessions(app: TestApp) {
    agency(&app).await;
    let people = People::of(&app).await;
    let people_before = app.store.people().await.unwrap().len();
    let mut failures = Vec::new();
    let forms = route_table()
        .into_iter()
        .filter(|r| changes(r) && !of_the_api(r));
    for route in forms {
        let key = format!("{} {}", route.method, route.path);
        let who = senders(&route)
            .into_iter()
            .find(|who| *who != Who::Anonymous && has_access(&route, *who))
            .unwrap_or(Who::Anonymous);
        let fixtures = Fixtures::for_path(&app, &people, &route.path).await;
        let path = fixtures.fill(&route.path);
        let (query, sent) = body(&app, &key, &fixtures, &"0".repeat(64)).await;
        let answer = send(&people, who, &route, &format!("{path}{query}"), sent).await;
        if answer.status != 400 || !answer.text.contains("El formulario caducó") {
            failures.push(format!("{key} as {who:?}: {}", answer.status));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // Nothing was done: nobody signed out, and nobody was added.
    for who in [Who::OtherUnit, Who::OwnUnit, Who::Admin] {
        let inbox = people.browser(who).get("/bandeja").await;
        assert_eq!(inbox.status(), 200, "{who:?} is still signed in");
    }
    assert_eq!(app.store.people().await.unwrap().len(), people_before);
}

/// A queja of Jalisco as the mailbox takes it.
fn queja(app: &TestApp) -> Petition {
    Draft {
        kind: "queja",
        state: "JAL",
        narrative: "DGPLADES no surtió la receta",
        ..Default::default()
    }
    .check(Channel::Mailbox, app.state.local_now(), true)
    .unwrap()
}

/// The queja filed through the mailbox; its folio.
async fn mailbox_petition(app: &TestApp) -> PetitionFolio {
    app.store
        .file_petition(&queja(app), [1; 32], None)
        .await
        .unwrap()
}

/// What the matrix cannot show with its one petition, classified: before the classification
/// there is no volante to print, even for the administrator (404), and no turn to answer the
/// FUR of (403: only the Enlace whose unit holds the turn answers).
async fn a_petition_not_yet_classified_has_no_volante_nor_fur(app: TestApp) {
    let admin = app.signed_in("admin").await;
    let folio = mailbox_petition(&app).await;
    let slip = admin.get(&format!("/peticiones/{folio}/volante")).await;
    assert_eq!(slip.status(), 404);
    let csrf = admin.csrf("/bandeja").await;
    let fur = admin
        .post(&format!("/peticiones/{folio}/fur"), &[("csrf", &csrf)])
        .await;
    assert_eq!(fur.status(), 403);
}

on_both_backends! {
    every_page_answers_as_its_access_says,
    every_api_operation_answers_as_its_access_says,
    every_page_form_refuses_a_token_not_the_sessions,
    a_petition_not_yet_classified_has_no_volante_nor_fur,
}
