//! The JSON API under `/api/v1`, for other systems: the same cases, rules and visibility as the
//! pages, asked for with an API token (`Authorization: Bearer <token>`) instead of a session.
//!
//! There is no session and no CSRF check here: a token travels only when a program puts it in
//! the header, never automatically as a cookie does. Field names are English, messages Spanish.
//! The OpenAPI 3 document (`/api/v1/openapi.json`) is generated from the handlers'
//! `#[utoipa::path]` attributes and the `ToSchema` types, so it cannot drift from the code.
//!
//! One module a concern: the inbox, cases (reading, registering, completing), their search,
//! their documents, the procedure catalog, the follow-up programs, citizen attention (its
//! petitions and the monthly report), and administration: units, people and their roles,
//! suplencias, the calendar's días inhábiles, the audit log. Uploads (a case's documents, an
//! activity's evidence, a petition with its scanned letter, an incoming document with its
//! files) are served by their own router
//! ([`upload_router`]), outside the application's 2 MiB body limit.

mod answers;
mod archive;
mod audit;
mod auth;
mod calendar;
mod cases;
mod clock;
mod correspondence;
mod delegations;
mod documents;
pub(crate) mod error;
mod events;
mod followup;
mod inbox;
mod indicators;
mod mailbox;
mod manual;
mod mining;
mod motives;
mod notifications;
mod paging;
mod params;
mod people;
mod petition_import;
mod petitions;
mod procedure_drafts;
mod procedures;
mod report;
mod schedules;
mod schema;
mod search;
mod signatures;
mod tablero;
pub mod token;
mod turns;
mod units;
mod verification;
mod visits;

use crate::router::{Access, Audience, Operations, Route};
use crate::state::AppState;
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::Method;
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
                       procedimientos, los programas de seguimiento, las peticiones y el informe mensual de \
                       atención ciudadana, las notificaciones, y la administración (unidades, personas, roles, \
                       suplencias, calendario, motivos y bitácora). Se autentica con un token de API \
                       (`Authorization: Bearer <token>`) que emite `turno token create`.",
    ),
    modifiers(&BearerScheme),
    // Schemas that only a query parameter names (`formato`): nothing else registers them.
    components(schemas(
        report::ReportFormat,
        procedures::FlowchartFormat,
        correspondence::report::CorrespondenceReportFormat,
        tablero::DashboardFormat,
        schedules::MatrixFormat,
        followup::QuarterFormat,
        archive::SheetFormat,
        manual::ManualFormat
    )),
    tags(
        (name = "bandeja", description = "El trabajo abierto de las unidades del usuario."),
        (name = "asuntos", description = "Buscar, consultar, registrar y atender asuntos."),
        (name = "documentos", description = "Los documentos de un asunto: listarlos, adjuntarlos y descargarlos."),
        (name = "indicadores", description = "Las tablas de indicadores de un informe oficial por periodo y lo que muestran frente a los periodos anteriores (ayuda a la revisión de la actividad 2.1)."),
        (name = "procedimientos", description = "El catálogo de procedimientos."),
        (name = "seguimiento", description = "Los programas de seguimiento (aspectos susceptibles de mejora, supervisiones, planes de mejora): su estado a una fecha de corte y el avance de sus actividades; las visitas de evaluación a cualquier unidad, presenciales o a distancia, sus hallazgos y su plan de mejora."),
        (name = "atención ciudadana", description = "El informe mensual de atención ciudadana y las llamadas que declara el proveedor del Centro de Atención Telefónica."),
        (name = "peticiones", description = "La atención ciudadana: las peticiones, su registro, clasificación, volante de trámite, FUR y revisión, y la consulta del peticionario con su folio y código de acceso."),
        (name = "correspondencia", description = "La correspondencia de entrada y de salida: registrar documentos recibidos, consultarlos, turnarlos a unidades con su instrucción y plazo, atender, devolver y retirar turnos, con el acuse de recibo y los volantes de control; los reportes de una unidad por periodo; y los oficios, memorándums, circulares y tarjetas informativas de una unidad, desde el borrador, la revisión y el visto bueno hasta la firma del titular (que le da su número consecutivo), el despacho y los acuses; y la numeración de cada unidad."),
        (name = "tableros", description = "Los tableros de una unidad (y sus unidades subordinadas), de un procedimiento o de toda la institución: el trabajo abierto por semáforo, lo vencido por unidad, lo recibido, atendido y devuelto por mes, los días hábiles por actividad y por unidad, comparados con el periodo anterior; y las tareas que cuenta cada cifra."),
        (name = "archivo", description = "El archivo (Ley General de Archivos): el cuadro de clasificación y el catálogo de disposición documental, los expedientes y su carátula, el calendario del archivo, los inventarios de transferencia y las listas de baja documental, y el registro de baja de un asunto."),
        (name = "notificaciones", description = "Lo que se avisó al usuario y qué avisos elige recibir."),
        (name = "administración", description = "Las unidades y su historia, las personas y sus roles, las suplencias, el calendario de días inhábiles, el catálogo de motivos y la bitácora de cambios; casi todo solo para administradores."),
        (name = "firma", description = "La e.firma (firma electrónica avanzada del SAT): verificar una firma separada contra las autoridades certificadoras y listas de revocación cargadas."),
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

/// Every operation but the uploads, with its route, its part of the document and its access.
/// A 201 answer with `body` and the `Location` of what it made (left out where the URL cannot
/// be a header value: what was made is made, the answer says so all the same).
fn created<T: serde::Serialize>(location: &str, body: T) -> axum::response::Response {
    let mut response = (axum::http::StatusCode::CREATED, error::Json(body)).into_response();
    if let Ok(location) = header::HeaderValue::from_str(location) {
        response.headers_mut().insert(header::LOCATION, location);
    }
    response
}

/// A file sent as the body's text to import ([`answers::FileImport`]): its name from the
/// query, which must end in one of `extensions`, and its text, which must be UTF-8.
fn imported_file<'a>(
    name: Option<&'a str>,
    extensions: &[&str],
    body: &'a [u8],
) -> Result<(&'a str, &'a str), ApiError> {
    let name = name.unwrap_or_default().trim();
    if !extensions.iter().any(|extension| name.ends_with(extension)) {
        return Err(ApiError::bad_request(format!(
            "«name»: escriba el nombre del archivo, terminado en {}.",
            extensions.join(" o ")
        )));
    }
    let text = turno_domain::citizen::calls::utf8_text(body)
        .map_err(|at| ApiError::bad_request(format!("«{name}»: {at}.")))?;
    Ok((name, text))
}

/// A text part of a multipart upload, read whole (they are short).
async fn text_part(field: axum::extract::multipart::Field<'_>) -> Result<String, ApiError> {
    field.text().await.map_err(|_| ApiError::incomplete())
}

fn operations() -> Operations {
    use crate::router::Access::{Api, Public};
    use crate::router::Audience::*;
    let (schemas, paths, mailbox) = routes!(mailbox::file);
    let mailbox = mailbox.layer(DefaultBodyLimit::max(crate::app::PUBLIC_BODY_LIMIT));
    Operations::new(OpenApiRouter::with_openapi(ApiDoc::openapi()))
        .routes(Api(Anyone), routes!(inbox::list))
        .routes(Api(Registrars), routes!(cases::register))
        .routes(Api(Anyone), routes!(search::list))
        .routes(Api(CaseViewers), routes!(cases::show))
        .routes(Api(CaseViewers), routes!(cases::constancia))
        .routes(Api(CaseActors), routes!(cases::complete))
        .routes(Api(CaseActors), routes!(cases::signed_text))
        .routes(Api(CaseActors), routes!(turns::turn))
        .routes(Api(CaseActors), routes!(turns::withdraw))
        .routes(Api(CaseActors), routes!(clock::clock))
        .routes(Api(CaseViewers), routes!(documents::list))
        .routes(Api(CaseViewers), routes!(documents::download))
        .routes(Api(CaseViewers), routes!(indicators::list))
        .routes(Api(Administrators), routes!(procedure_drafts::list))
        .routes(
            Api(Administrators),
            routes!(procedure_drafts::show, procedure_drafts::save),
        )
        .routes(Api(Administrators), routes!(procedure_drafts::publish))
        .routes(Api(Administrators), routes!(procedure_drafts::discard))
        .routes(Api(Anyone), routes!(procedures::list))
        .routes(Api(Anyone), routes!(procedures::show))
        .routes(Api(Anyone), routes!(procedures::flowchart))
        .routes(Api(Anyone), routes!(manual::manual))
        .routes(Api(Anyone), routes!(procedures::bpmn))
        .routes(Api(ProcedureUnits), routes!(mining::paths))
        .routes(Api(Administrators), routes!(mining::event_log))
        .routes(Api(Anyone), routes!(followup::list))
        .routes(Api(CaseActors), routes!(followup::create))
        .routes(Api(Anyone), routes!(followup::show))
        .routes(Api(Anyone), routes!(followup::quarter))
        .routes(Api(Anyone), routes!(followup::rollup))
        .routes(Api(FollowupEditors), routes!(followup::record))
        .routes(Api(AgreementWriters), routes!(followup::add_item))
        .routes(Api(AgreementWriters), routes!(followup::update_item))
        .routes(Api(Administrators), routes!(followup::import_tables))
        .routes(Api(CaseActors), routes!(followup::close_round))
        .routes(Api(Anyone), routes!(followup::download_evidence))
        .routes(Api(CaseActors), routes!(followup::create_supervision))
        .routes(Api(Anyone), routes!(visits::list))
        .routes(Api(VisitPlanners), routes!(visits::plan))
        .routes(Api(Anyone), routes!(visits::show))
        .routes(Api(Anyone), routes!(visits::pdf))
        .routes(Api(VisitTeams), routes!(visits::record_finding))
        .routes(Api(Anyone), routes!(visits::download_evidence))
        .routes(Api(VisitTeams), routes!(visits::make_plan))
        .routes(Api(Anyone), routes!(units::list))
        .routes(Api(Administrators), routes!(units::import))
        .routes(Api(Administrators), routes!(units::save, units::edit))
        .routes(Api(Anyone), routes!(calendar::show))
        .routes(Api(Administrators), routes!(calendar::import))
        .routes(Api(Administrators), routes!(calendar::add))
        .routes(
            Api(Administrators),
            routes!(calendar::remove, calendar::change),
        )
        .routes(Api(Administrators), routes!(calendar::set_scope))
        .routes(Api(Administrators), routes!(motives::list, motives::add))
        .routes(Api(Administrators), routes!(motives::retire))
        .routes(
            Api(Administrators),
            routes!(schedules::list, schedules::create),
        )
        .routes(Api(Administrators), routes!(schedules::run))
        .routes(
            Api(Administrators),
            routes!(schedules::show, schedules::change),
        )
        .routes(Api(DeliveryMatrixReaders), routes!(schedules::matrix))
        .routes(Api(Administrators), routes!(people::list, people::create))
        .routes(Api(Administrators), routes!(people::grant, people::revoke))
        .routes(Api(Administrators), routes!(people::set_active))
        .routes(Api(Administrators), routes!(people::set_identity))
        .routes(Api(Anyone), routes!(delegations::list))
        .routes(Api(Titulars), routes!(delegations::create))
        .routes(Api(Titulars), routes!(delegations::revoke))
        .routes(Api(Administrators), routes!(audit::list))
        .routes(Api(Anyone), routes!(signatures::verify))
        .routes(Public, routes!(verification::verify))
        .routes(
            Api(OutgoingSigners),
            routes!(correspondence::signing::signable),
        )
        .routes(Api(OutgoingSigners), routes!(correspondence::signing::sign))
        .routes(
            Api(OutgoingViewers),
            routes!(correspondence::signing::signed_pdf),
        )
        .routes(Api(PetitionReaders), routes!(report::show))
        .routes(Api(PetitionWorkers), routes!(report::declare))
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
        .routes(Public, (schemas, paths, mailbox))
        .routes(Api(Anyone), routes!(correspondence::incoming::list))
        .routes(Api(Anyone), routes!(correspondence::search::search))
        .routes(
            Api(CorrespondenceReportReaders),
            routes!(correspondence::report::show),
        )
        .routes(Api(Anyone), routes!(archive::chart))
        .routes(Api(Archivists), routes!(archive::seed))
        .routes(Api(Anyone), routes!(archive::export))
        .routes(Api(Archivists), routes!(archive::import))
        .routes(Api(Archivists), routes!(archive::change_serie))
        .routes(Api(ArchiveReaders), routes!(archive::expedientes))
        .routes(Api(Archivists), routes!(archive::open))
        .routes(Api(Archivists), routes!(archive::close))
        .routes(Api(Archivists), routes!(archive::classify))
        .routes(Api(ArchiveReaders), routes!(archive::cover))
        .routes(Api(ArchiveReaders), routes!(archive::calendar))
        .routes(Api(ArchiveReaders), routes!(archive::lists))
        .routes(Api(Archivists), routes!(archive::draw))
        .routes(Api(ArchiveReaders), routes!(archive::list))
        .routes(Api(ArchiveCoordinators), routes!(archive::approve))
        .routes(Api(Archivists), routes!(archive::execute))
        .routes(Api(ArchiveReaders), routes!(archive::inventory))
        .routes(Api(ArchiveReaders), routes!(archive::disposal))
        .routes(Api(TableroReaders), routes!(tablero::show))
        .routes(Api(TableroReaders), routes!(tablero::items))
        .routes(
            Api(CorrespondenceReaders),
            routes!(correspondence::incoming::show),
        )
        .routes(
            Api(CorrespondenceReaders),
            routes!(correspondence::incoming::receipt),
        )
        .routes(
            Api(CorrespondenceActors),
            routes!(correspondence::turns::turn),
        )
        .routes(
            Api(CorrespondenceActors),
            routes!(correspondence::turns::close),
        )
        .routes(
            Api(CorrespondenceReaders),
            routes!(correspondence::turns::slip),
        )
        .routes(
            Api(Anyone),
            routes!(
                correspondence::outgoing::list,
                correspondence::outgoing::draft
            ),
        )
        .routes(
            Api(OutgoingViewers),
            routes!(correspondence::outgoing::show),
        )
        .routes(
            Api(OutgoingWriters),
            routes!(correspondence::outgoing::correct),
        )
        .routes(
            Api(OutgoingWriters),
            routes!(correspondence::outgoing::step),
        )
        .routes(
            Api(OutgoingWriters),
            routes!(correspondence::outgoing::dispatch),
        )
        .routes(Api(OutgoingViewers), routes!(correspondence::outgoing::pdf))
        .routes(
            Api(OutgoingViewers),
            routes!(correspondence::outgoing::scan),
        )
        .routes(Api(CaseViewers), routes!(correspondence::outgoing::of_case))
        .routes(Api(CaseViewers), routes!(correspondence::cases::of_case))
        .routes(
            Api(CorrespondenceActors),
            routes!(correspondence::cases::start),
        )
        .routes(
            Api(Anyone),
            routes!(correspondence::outgoing::show_numbering),
        )
        .routes(
            Api(Administrators),
            routes!(correspondence::outgoing::set_numbering),
        )
        .routes(Api(Anyone), routes!(notifications::list))
        .routes(Api(Anyone), routes!(notifications::mark_read))
        .routes(
            Api(Anyone),
            routes!(notifications::preferences, notifications::set_preferences),
        )
        .routes(Public, routes!(openapi_json))
}

/// The uploads: a case's document and an activity's evidence, whose bodies may be as large as
/// the blob store accepts (the call-center file too, as its page, and a unit's register of
/// correspondence), a petition with its scanned letter, and an incoming document with its files.
fn upload_operations() -> Operations {
    use crate::router::Access::Api;
    use crate::router::Audience::{
        Administrators, AgreementWriters, CaseActors, CorrespondenceRegistrars, FollowupEditors,
        OutgoingSigners, OutgoingWriters, PetitionWorkers,
    };
    use correspondence::outgoing::{self as outgoing, SCAN_BODY_LIMIT};
    let (schemas, paths, register) = routes!(petitions::register);
    let register = register.layer(DefaultBodyLimit::max(petitions::REGISTRATION_BODY_LIMIT));
    let (sign_schemas, sign_paths, sign) = routes!(outgoing::sign);
    let sign = sign.layer(DefaultBodyLimit::max(SCAN_BODY_LIMIT));
    let (acuse_schemas, acuse_paths, acuse) = routes!(outgoing::record_acuse);
    let acuse = acuse.layer(DefaultBodyLimit::max(SCAN_BODY_LIMIT));
    Operations::new(OpenApiRouter::new())
        .routes(Api(CaseActors), routes!(documents::upload))
        .routes(Api(CaseActors), routes!(indicators::upload))
        .routes(Api(FollowupEditors), routes!(followup::record_evidence))
        .routes(Api(AgreementWriters), routes!(followup::import_lines))
        .routes(Api(PetitionWorkers), (schemas, paths, register))
        .routes(Api(PetitionWorkers), routes!(petition_import::import))
        .routes(Api(Administrators), routes!(procedure_drafts::upload))
        .routes(
            Api(CorrespondenceRegistrars),
            routes!(correspondence::import::import),
        )
        .routes(Api(OutgoingSigners), (sign_schemas, sign_paths, sign))
        .routes(Api(OutgoingWriters), (acuse_schemas, acuse_paths, acuse))
        // Its scanned document and annexes within the blob store's limit, as the page's form.
        .routes(
            Api(CorrespondenceRegistrars),
            routes!(correspondence::incoming::register),
        )
}

/// The OpenAPI 3 document of the API.
pub fn openapi() -> utoipa::openapi::OpenApi {
    let (api, mut table) = operations().into_parts();
    let (uploads, upload_table) = upload_operations().into_parts();
    table.extend(upload_table);
    let mut document = api.merge(uploads).into_openapi();
    Guarded(&table).modify(&mut document);
    CommonAnswers.modify(&mut document);
    ClosedForms.modify(&mut document);
    document
}

/// The rule of every multipart form of the API: it refuses unknown parts
/// (`#[serde(deny_unknown_fields)]`). One that shares fields with another schema
/// (`#[serde(flatten)]`, an `allOf` in the document) is written as one object with
/// `additionalProperties: false`, which an `allOf` cannot say, so that a client knows an extra
/// part is refused. The forms are found from the operations' `multipart/form-data` bodies, so
/// that a new one needs no entry here.
struct ClosedForms;

/// The component schemas the operations of `openapi` take as `multipart/form-data` bodies.
fn multipart_forms(openapi: &utoipa::openapi::OpenApi) -> Vec<String> {
    use utoipa::openapi::RefOr;
    let mut forms: Vec<String> = openapi
        .paths
        .paths
        .values()
        .flat_map(|item| {
            [&item.get, &item.put, &item.post, &item.delete, &item.patch]
                .into_iter()
                .flatten()
        })
        .filter_map(|operation| operation.request_body.as_ref())
        .filter_map(|body| body.content.get("multipart/form-data"))
        .filter_map(|content| match &content.schema {
            Some(RefOr::Ref(reference)) => {
                reference.ref_location.rsplit('/').next().map(str::to_owned)
            }
            _ => None,
        })
        .collect();
    forms.sort();
    forms.dedup();
    forms
}

impl Modify for ClosedForms {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::RefOr;
        use utoipa::openapi::schema::{AdditionalProperties, Object, Schema, SchemaType, Type};
        let forms = multipart_forms(openapi);
        let Some(components) = openapi.components.as_mut() else {
            return;
        };
        for name in &forms {
            let Some(RefOr::T(Schema::AllOf(all_of))) = components.schemas.get(name) else {
                continue;
            };
            let mut closed = Object::new();
            closed.description = all_of.description.clone();
            for part in &all_of.items {
                let part = match part {
                    RefOr::Ref(reference) => {
                        let shared = reference
                            .ref_location
                            .rsplit('/')
                            .next()
                            .unwrap_or_default();
                        components.schemas.get(shared)
                    }
                    inline => Some(inline),
                };
                if let Some(RefOr::T(Schema::Object(object))) = part {
                    closed.properties.extend(object.properties.clone());
                    closed.required.extend(object.required.iter().cloned());
                }
            }
            closed.schema_type = SchemaType::from(Type::Object);
            closed.additional_properties = Some(Box::new(AdditionalProperties::FreeForm(false)));
            components
                .schemas
                .insert(name.clone(), RefOr::T(Schema::Object(closed)));
        }
    }
}

/// An error answer of the document: `description`, with an [`error::ErrorBody`].
fn error_answer(description: &str) -> utoipa::openapi::Response {
    use utoipa::openapi::{ContentBuilder, Ref, ResponseBuilder};
    ResponseBuilder::new()
        .description(description)
        .content(
            "application/json",
            ContentBuilder::new()
                .schema(Some(Ref::from_schema_name("ErrorBody")))
                .build(),
        )
        .build()
}

/// Documents an error answer of `operation`, unless it documents that status itself.
fn add_answer(operation: &mut utoipa::openapi::path::Operation, status: &str, description: &str) {
    operation
        .responses
        .responses
        .entry(status.to_owned())
        .or_insert_with(|| error_answer(description).into());
}

/// What an operation's access says, stated in the document from the access the router
/// enforces ([`Access`]) rather than repeated on every operation: one reached with a token asks
/// for the bearer scheme and answers 401 without it, and what its audience refuses
/// ([`refusals`]): one for administrators answers 403 to anyone else, one on a case 403 to
/// whoever does not see it and 404 for a folio that is not there. A public operation asks for
/// nothing.
struct Guarded<'a>(&'a [Route]);

impl Modify for Guarded<'_> {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::SecurityRequirement;
        for route in self.0 {
            let Access::Api(audience) = route.access else {
                continue;
            };
            let Some(item) = openapi.paths.paths.get_mut(&route.path) else {
                continue;
            };
            let operation = [
                (Method::GET, &mut item.get),
                (Method::PUT, &mut item.put),
                (Method::POST, &mut item.post),
                (Method::DELETE, &mut item.delete),
                (Method::PATCH, &mut item.patch),
            ]
            .into_iter()
            .find(|(method, _)| *method == route.method)
            .and_then(|(_, operation)| operation.as_mut());
            let Some(operation) = operation else {
                continue;
            };
            operation.security = Some(vec![SecurityRequirement::new(BEARER, Vec::<String>::new())]);
            add_answer(operation, "401", "Sin token válido");
            for (status, description) in refusals(audience) {
                add_answer(operation, status, description);
            }
        }
    }
}

/// What the access rule of `audience` answers, in the words of the document, where they are
/// the same for all its operations: 403 to someone outside it and, for an audience of what
/// the path names (a case, a document, a visit), 404 when there is none. An operation that
/// refuses in other words documents them itself.
fn refusals(audience: Audience) -> &'static [(&'static str, &'static str)] {
    const NO_DOCUMENT: (&str, &str) = ("404", "No existe ese documento");
    match audience {
        Audience::Administrators => &[("403", "El usuario no es administrador")],
        Audience::CaseViewers => &[
            (
                "403",
                "El asunto no está turnado a las unidades del usuario",
            ),
            ("404", "No existe ese folio"),
        ],
        Audience::CorrespondenceReaders => &[
            (
                "403",
                "El documento no concierne a ninguna de las unidades del usuario",
            ),
            NO_DOCUMENT,
        ],
        Audience::OutgoingViewers => &[
            ("403", "El documento no es de las unidades del usuario"),
            NO_DOCUMENT,
        ],
        Audience::CorrespondenceActors | Audience::OutgoingWriters | Audience::OutgoingSigners => {
            &[NO_DOCUMENT]
        }
        Audience::VisitTeams => &[
            (
                "403",
                "El usuario no es de quienes programaron la visita o de su equipo",
            ),
            ("404", "No existe la visita"),
        ],
        _ => &[],
    }
}

/// The answers an operation gives besides its own, whatever it does, added to the document
/// once so that none forgets them: 500 when the server fails (the database, the blob store);
/// 400 for query parameters that are not what the document says; for a body, 413 past the
/// body limit (2 MiB; an upload's, the blob store's); for multipart, 400 for one that cannot
/// be read; and, for JSON, 415 for a body sent as something else, 400 for one that is not
/// JSON and 422 for one not of the schema's shape.
struct CommonAnswers;

impl Modify for CommonAnswers {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::path::ParameterIn;
        for item in openapi.paths.paths.values_mut() {
            let operations = [
                &mut item.get,
                &mut item.put,
                &mut item.post,
                &mut item.delete,
                &mut item.patch,
            ];
            for operation in operations.into_iter().flatten() {
                // The OpenAPI document itself cannot fail and takes no parameters.
                if operation.operation_id.as_deref() == Some("get_openapi") {
                    continue;
                }
                add_answer(
                    operation,
                    "500",
                    "Falló el servidor (la base de datos, el almacén de archivos); el mensaje no da \
                     detalles",
                );
                let queried = operation
                    .parameters
                    .iter()
                    .flatten()
                    .any(|p| p.parameter_in == ParameterIn::Query);
                if queried {
                    add_answer(operation, "400", "Parámetros de consulta no válidos");
                }
                let Some(body) = &operation.request_body else {
                    continue;
                };
                let json = body.content.contains_key("application/json");
                let multipart = body.content.contains_key("multipart/form-data");
                add_answer(operation, "413", "El cuerpo pasa del tamaño máximo");
                if multipart {
                    add_answer(
                        operation,
                        "400",
                        "El cuerpo no es multipart/form-data legible",
                    );
                }
                if json {
                    add_answer(
                        operation,
                        "415",
                        "El cuerpo no se envió como JSON (Content-Type: application/json)",
                    );
                    // What the `Json` extractor answers for any JSON body, before the operation
                    // looks at it.
                    add_answer(operation, "400", "El cuerpo no es JSON válido");
                    add_answer(
                        operation,
                        "422",
                        "El cuerpo no tiene la forma del esquema (un campo falta, sobra o no es \
                         del tipo esperado)",
                    );
                }
            }
        }
    }
}

static DOCUMENT: LazyLock<String> = LazyLock::new(|| {
    openapi()
        .to_pretty_json()
        .expect("the OpenAPI document serializes")
});

/// The API's routes but the uploads, to merge into the application (outside the session
/// layers, under its body limit), and their table.
pub(crate) fn router() -> (Router<AppState>, Vec<Route>) {
    let (api, table) = operations().into_parts();
    (api.split_for_parts().0, table)
}

/// The uploads' routes, to merge into the application outside its body limit (the blob store
/// enforces its own, as the file arrives), and their table.
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
    use serde_json::Value;
    use std::collections::BTreeSet;
    use turno_app::limits;

    /// Walks a request's schema, noting every text without a maximum length (an enum, a date
    /// or a file is bounded otherwise: a file by the body's or the blob store's limit) and
    /// every maximum length that is none of the use cases' limits.
    fn walk(
        schema: &Value,
        schemas: &Value,
        at: &str,
        seen: &mut BTreeSet<String>,
        wrong: &mut Vec<String>,
    ) {
        if let Some(name) = schema["$ref"].as_str() {
            let name = name.trim_start_matches("#/components/schemas/");
            if seen.insert(name.to_owned()) {
                walk(&schemas[name], schemas, name, seen, wrong);
            }
            return;
        }
        for key in ["allOf", "oneOf", "anyOf"] {
            for (i, part) in schema[key].as_array().into_iter().flatten().enumerate() {
                walk(part, schemas, &format!("{at}.{key}[{i}]"), seen, wrong);
            }
        }
        for (name, property) in schema["properties"].as_object().into_iter().flatten() {
            walk(property, schemas, &format!("{at}.{name}"), seen, wrong);
        }
        if schema["items"].is_object() {
            walk(&schema["items"], schemas, &format!("{at}[]"), seen, wrong);
        }
        if schema["additionalProperties"].is_object() {
            let values = &schema["additionalProperties"];
            walk(values, schemas, &format!("{at}{{}}"), seen, wrong);
        }
        let types = match &schema["type"] {
            Value::String(t) => vec![t.as_str()],
            Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
            _ => Vec::new(),
        };
        let bounded = schema["enum"].is_array()
            || schema["contentMediaType"].is_string()
            || matches!(
                schema["format"].as_str(),
                Some("date" | "date-time" | "binary" | "byte")
            );
        match schema["maxLength"].as_u64() {
            None if types.contains(&"string") && !bounded => {
                wrong.push(format!("{at}: a text without maxLength"));
            }
            // A value of a fixed shape (a pattern, a format: CURP, e-mail, dates) is as long
            // as its shape says.
            Some(_) if schema["pattern"].is_string() || schema["format"].is_string() => {}
            Some(max) => {
                let known = [
                    limits::CODE,
                    limits::NAME,
                    limits::TEXT,
                    limits::LOGIN,
                    limits::FILE_NAME,
                    limits::PHONE,
                    limits::FOLIO,
                    limits::ACCESS_CODE,
                    limits::LETTER,
                    limits::NUMBER_FORMAT,
                    limits::RFC,
                    limits::CURP,
                    limits::PERIOD,
                    limits::ISSUED_NUMBER,
                    limits::DEFINITION,
                    limits::KEY_PREFIX,
                    turno_domain::citizen::MAX_NARRATIVE_CHARS,
                    turno_domain::citizen::MAX_SHORT_TEXT_CHARS,
                ];
                if !known.iter().any(|&l| l as u64 == max) {
                    wrong.push(format!(
                        "{at}: maxLength {max} is none of turno_app::limits"
                    ));
                }
            }
            None => {}
        }
    }

    /// What a schema-driven client or fuzzer relies on: an operation that asks for the token
    /// documents 401; one that takes a body documents how a malformed one is answered (400
    /// or 422) and bounds every text it stores; every operation documents its failure (500).
    #[test]
    fn the_document_states_every_answer_and_every_limit() {
        let document: Value = serde_json::from_str(&super::DOCUMENT).unwrap();
        let schemas = &document["components"]["schemas"];
        let mut wrong = Vec::new();
        let mut bodies = 0;
        for (path, item) in document["paths"].as_object().unwrap() {
            for (method, operation) in item.as_object().unwrap() {
                let at = format!("{} {path}", method.to_uppercase());
                let responses = &operation["responses"];
                let documents = |status: &str| responses[status].is_object();
                if operation["security"].is_array() && !documents("401") {
                    wrong.push(format!("{at}: no 401"));
                }
                if !documents("500") && path != "/api/v1/openapi.json" {
                    wrong.push(format!("{at}: no 500"));
                }
                let queried = operation["parameters"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .any(|p| p["in"] == "query");
                if queried && !documents("400") {
                    wrong.push(format!("{at}: query parameters, and no 400"));
                }
                let Some(content) = operation["requestBody"]["content"].as_object() else {
                    continue;
                };
                if !documents("400") && !documents("422") {
                    wrong.push(format!("{at}: a body, and neither 400 nor 422"));
                }
                for (media, body) in content {
                    if media == "application/json" && !documents("415") {
                        wrong.push(format!("{at}: a JSON body, and no 415"));
                    }
                    // A file sent as it is (an import's text, a document) is the file, not
                    // a stored text: the body's limit bounds it.
                    if media == "application/json" || media == "multipart/form-data" {
                        bodies += 1;
                        walk(
                            &body["schema"],
                            schemas,
                            &at,
                            &mut BTreeSet::new(),
                            &mut wrong,
                        );
                    }
                }
            }
        }
        assert!(bodies > 20, "the bodies are walked ({bodies})");
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    }

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

    /// Every multipart form refuses an unknown part, and says so: those that share fields
    /// with another schema as well (`ClosedForms`), found without a list.
    #[test]
    fn every_multipart_form_is_closed() {
        let forms = super::multipart_forms(&super::openapi());
        assert!(forms.iter().any(|f| f == "RegisterForm"), "{forms:?}");
        let document: serde_json::Value = serde_json::from_str(&super::DOCUMENT).unwrap();
        for form in &forms {
            let schema = &document["components"]["schemas"][form];
            assert_eq!(schema["type"], "object", "{form}");
            assert_eq!(schema["additionalProperties"], false, "{form}");
        }
    }
}
