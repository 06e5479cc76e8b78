//! `/api/v1/correspondence/incoming`: the register of the token user's units, registering a
//! document (as JSON, or as `multipart/form-data` with its scanned document and annexes, as the
//! page's form sends them), one document as its page shows it (opening
//! it reads the turns «para conocimiento» of the user's units), and its acuse de recibo.

use crate::api::auth::ApiUser;
use crate::api::created;
use crate::api::error::{ApiError, ErrorBody, FieldError, Json, Path};
use crate::state::AppState;
use axum::extract::multipart::MultipartError;
use axum::extract::{FromRequest, Multipart, Request, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use turno_app::correspondence::incoming::{self, IncomingView, Registration, Upload};
use turno_domain::correspondence::{
    Classification, DocumentKind, IncomingDraft, Instruction, Priority, SenderKind, TurnStatus,
};
use utoipa::openapi::RefOr;
use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};
use utoipa::{IntoParams, ToSchema};

/// An incoming document, by its folio (`{folio}`).
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct IncomingFolio {
    /// El folio del documento
    #[param(example = "CE-2026-000001", pattern = "^CE-[0-9]{4}-[0-9]{6,}$")]
    pub folio: String,
}

/// A string schema of a closed list's codes.
fn codes(codes: impl Iterator<Item = &'static str>) -> RefOr<Schema> {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some(codes))
        .into()
}

pub(super) fn kind_codes() -> RefOr<Schema> {
    codes(DocumentKind::ALL.iter().map(|k| k.code()))
}
pub(super) fn sender_codes() -> RefOr<Schema> {
    codes(SenderKind::ALL.iter().map(|k| k.code()))
}
pub(super) fn priority_codes() -> RefOr<Schema> {
    codes(Priority::ALL.iter().map(|k| k.code()))
}
pub(super) fn classification_codes() -> RefOr<Schema> {
    codes(Classification::ALL.iter().map(|k| k.code()))
}
pub(crate) fn instruction_codes() -> RefOr<Schema> {
    codes(Instruction::ALL.iter().map(|k| k.code()))
}
/// What an arrival came for, or null for a document registered at the window.
fn arrival_codes() -> RefOr<Schema> {
    ObjectBuilder::new()
        .schema_type(utoipa::openapi::schema::SchemaType::from_iter([
            Type::String,
            Type::Null,
        ]))
        .enum_values(Some([
            serde_json::Value::from(Instruction::Attention.code()),
            serde_json::Value::from(Instruction::Knowledge.code()),
            serde_json::Value::Null,
        ]))
        .into()
}
pub(super) fn status_codes() -> RefOr<Schema> {
    codes(TurnStatus::ALL.iter().map(|k| k.code()))
}

/// A document to register, with the fields of the page's form.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IncomingRequest {
    /// The registering unit's code: one the user acts in, or below it.
    #[schema(max_length = 40, pattern = "^[A-Za-z0-9-]+$", example = "SIDSS-ST")]
    pub unit: String,
    #[schema(schema_with = kind_codes, example = "oficio")]
    pub kind: String,
    /// `unidad` (of the organization: `sender_organization` is its code), `externa` or
    /// `particular`.
    #[schema(schema_with = sender_codes, example = "externa")]
    pub sender_kind: String,
    #[schema(
        max_length = 300,
        pattern = r"^[^\x00-\x1F\x7F-\x9F]*[^\s\x00-\x1F\x7F-\x9F][^\x00-\x1F\x7F-\x9F]*$",
        example = "Dra. Ana López"
    )]
    pub sender_name: String,
    #[schema(
        max_length = 300,
        pattern = r"^[^\x00-\x1F\x7F-\x9F]*$",
        example = "Directora General"
    )]
    pub sender_position: Option<String>,
    /// Required but for a `particular`.
    #[schema(
        max_length = 300,
        pattern = r"^[^\x00-\x1F\x7F-\x9F]*$",
        example = "Servicios de Salud de Querétaro"
    )]
    pub sender_organization: Option<String>,
    #[schema(
        max_length = 60,
        pattern = r"^[^\x00-\x1F\x7F-\x9F]*$",
        example = "SESEQ/DG/0456/2026"
    )]
    pub their_number: Option<String>,
    /// Not after the reception.
    #[schema(format = Date, pattern = r"^(199[0-9]|20[0-9]{2})-[0-9]{2}-[0-9]{2}$", example = "2026-12-03")]
    pub their_date: Option<String>,
    /// Local date and time (`AAAA-MM-DDTHH:MM`), not in the future.
    #[schema(
        max_length = 16,
        pattern = r"^(199[0-9]|20[0-9]{2})-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}$",
        example = "2026-12-04T10:15"
    )]
    pub received_at: String,
    #[schema(
        max_length = 300,
        pattern = r"^[^\x00-\x1F\x7F-\x9F]*[^\s\x00-\x1F\x7F-\x9F][^\x00-\x1F\x7F-\x9F]*$",
        example = "Solicitud de opinión sobre la iniciativa de reforma"
    )]
    pub subject: String,
    #[schema(
        max_length = 4000,
        pattern = r"^[^\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F]*$"
    )]
    pub summary: Option<String>,
    /// `ordinaria` when not given.
    #[schema(schema_with = priority_codes)]
    pub priority: Option<String>,
    /// `publica` when not given.
    #[schema(schema_with = classification_codes)]
    pub classification: Option<String>,
    #[schema(minimum = 0, maximum = 999)]
    pub annexes: Option<u16>,
    /// Días hábiles to answer, from the reception.
    #[schema(minimum = 1, maximum = 250)]
    pub term_days: Option<u16>,
    /// Folios of earlier incoming documents it answers.
    #[serde(default)]
    #[schema(schema_with = folios)]
    pub in_reply_to: Vec<String>,
}

fn folios() -> utoipa::openapi::schema::Array {
    use utoipa::openapi::schema::ArrayBuilder;
    ArrayBuilder::new()
        .items(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .max_length(Some(turno_app::limits::FOLIO))
                .pattern(Some("^CE-[0-9]{4}-[0-9]{6}$")),
        )
        .max_items(Some(20))
        .build()
}

/// A document to register with its files (`multipart/form-data`): the part `document` holds
/// the fields as the JSON request takes them (`Content-Type: application/json`), and each part
/// `files` one file, the scanned document first, then its annexes.
#[derive(ToSchema)]
// An unknown part is refused (`additionalProperties: false`).
#[serde(deny_unknown_fields)]
pub struct IncomingUpload {
    pub document: IncomingRequest,
    /// PDF, PNG, JPEG or an Office file, checked by their bytes, each with its name
    /// (`filename`); 20 at most, each and the whole request within the blob store's limit
    /// (10 MiB unless configured otherwise), as on the page.
    #[schema(schema_with = files)]
    pub files: Vec<Upload>,
}

fn files() -> utoipa::openapi::schema::Array {
    use utoipa::openapi::schema::{ArrayBuilder, KnownFormat, SchemaFormat};
    ArrayBuilder::new()
        .items(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .format(Some(SchemaFormat::KnownFormat(KnownFormat::Binary))),
        )
        .max_items(Some(turno_app::correspondence::incoming::MAX_FILES))
        .build()
}

/// The parts of an [`IncomingUpload`]: the document's fields, read as the JSON request's, and
/// its files in their order. An unknown part is a field problem.
async fn upload(state: &AppState, mut multipart: Multipart) -> Result<IncomingUpload, ApiError> {
    let unreadable = |e: MultipartError| {
        let limit = crate::routes::documents::limit_label(state);
        ApiError::unreadable(e, &format!("El envío pasa de {limit} más el formulario."))
    };
    let mut document = None;
    let mut files = Vec::new();
    let mut wrong = Vec::new();
    while let Some(part) = multipart.next_field().await.map_err(unreadable)? {
        match part.name().unwrap_or_default() {
            "document" if document.is_some() => {
                wrong.push(FieldError::new("document", "Envíe los datos una sola vez."));
            }
            "document" => {
                let bytes = part.bytes().await.map_err(unreadable)?;
                let json = axum::http::Request::builder()
                    .header(header::CONTENT_TYPE, "application/json")
                    .body(axum::body::Body::from(bytes))
                    .map_err(ApiError::internal)?;
                let Json(fields) = Json::<IncomingRequest>::from_request(json, state).await?;
                document = Some(fields);
            }
            "files" => {
                let name = crate::documents::file_name(part.file_name().unwrap_or("documento.pdf"));
                let content = part.bytes().await.map_err(unreadable)?.to_vec();
                files.push(Upload { name, content });
            }
            other => wrong.push(FieldError::new(
                other,
                "Esta parte no es del registro: envíe «document» y «files».",
            )),
        }
    }
    match document {
        Some(document) if wrong.is_empty() => Ok(IncomingUpload { document, files }),
        None => {
            wrong.push(FieldError::new(
                "document",
                "Falta la parte «document» con los datos del documento (JSON).",
            ));
            Err(ApiError::invalid_fields(wrong))
        }
        Some(_) => Err(ApiError::invalid_fields(wrong)),
    }
}

/// A turn of a document.
#[derive(Debug, Serialize, ToSchema)]
pub struct IncomingTurnBody {
    pub id: i64,
    /// The turn whose unit turned its part on to this one.
    pub parent: Option<i64>,
    pub from_unit: String,
    pub unit: String,
    /// The person of `unit` it was turned to (their login); none: the whole unit.
    pub person: Option<String>,
    #[schema(schema_with = instruction_codes)]
    pub instruction: String,
    pub note: String,
    pub term_days: Option<u16>,
    #[schema(format = Date)]
    pub due_date: Option<String>,
    /// The semáforo of an open turn with a term: `verde`, `amarillo` or `rojo`.
    pub due_status: Option<String>,
    pub turned_by: String,
    #[schema(format = DateTime)]
    pub turned_at: String,
    #[schema(schema_with = status_codes)]
    pub status: String,
    pub closed_by: Option<String>,
    #[schema(format = DateTime)]
    pub closed_at: Option<String>,
    /// The answer, or why it was returned or withdrawn.
    pub reason: Option<String>,
    /// Whether the user may answer, return or turn on this turn.
    pub may_answer: bool,
    /// Whether the user may withdraw it.
    pub may_withdraw: bool,
}

/// A file of a document.
#[derive(Debug, Serialize, ToSchema)]
pub struct IncomingFile {
    pub name: String,
    pub media_type: String,
    pub size: i64,
}

/// An incoming document as the user sees it: a classified one's texts are withheld
/// (`content_withheld`) from whoever is not of the units it concerns.
#[derive(Debug, Serialize, ToSchema)]
pub struct IncomingBody {
    #[schema(example = "CE-2026-000001")]
    pub folio: String,
    #[schema(schema_with = kind_codes)]
    pub kind: String,
    #[schema(schema_with = sender_codes)]
    pub sender_kind: String,
    pub sender_name: String,
    pub sender_position: String,
    pub sender_organization: String,
    pub their_number: Option<String>,
    #[schema(format = Date)]
    pub their_date: Option<String>,
    pub received_at: String,
    pub subject: String,
    pub summary: String,
    #[schema(schema_with = priority_codes)]
    pub priority: String,
    #[schema(schema_with = classification_codes)]
    pub classification: String,
    pub annexes: u16,
    pub term_days: Option<u16>,
    #[schema(format = Date)]
    pub due_date: Option<String>,
    /// The semáforo of its earliest open term: `verde`, `amarillo` or `rojo`.
    pub due_status: Option<String>,
    /// The registering unit's code.
    pub unit: String,
    pub registered_by: String,
    #[schema(format = DateTime)]
    pub registered_at: String,
    /// The case started from it (`POST /api/v1/correspondence/incoming/{folio}/case`).
    pub case_folio: Option<String>,
    /// The internal outgoing document it is (`GET /api/v1/correspondence/outgoing/{id}`), when
    /// that document's dispatch registered it here.
    pub arrived_from_outgoing: Option<i64>,
    /// What it arrived for: `atencion` (an addressee) or `conocimiento` (a copy).
    #[schema(schema_with = arrival_codes)]
    pub arrived_for: Option<String>,
    pub content_withheld: bool,
    pub in_reply_to: Vec<String>,
    pub answered_by: Vec<String>,
    /// The dispatched outgoing documents that answer its turns.
    pub answered_by_outgoing: Vec<OutgoingAnswerBody>,
    /// Its files (the first, the scanned document), for whoever sees them; download them from
    /// the document's page.
    pub files: Vec<IncomingFile>,
    pub turns: Vec<IncomingTurnBody>,
    /// Whether the user may turn it from its registering unit.
    pub may_turn: bool,
}

/// A dispatched outgoing document that answers a turn
/// (`GET /api/v1/correspondence/outgoing/{id}`).
#[derive(Debug, Serialize, ToSchema)]
pub struct OutgoingAnswerBody {
    pub id: i64,
    #[schema(example = "SIDSS/ST/0123/2026")]
    pub number: String,
    pub turn: i64,
}

impl From<IncomingView> for IncomingBody {
    fn from(v: IncomingView) -> IncomingBody {
        let doc = v.incoming;
        IncomingBody {
            folio: v.folio.to_string(),
            kind: doc.kind.code().into(),
            sender_kind: doc.sender.kind.code().into(),
            sender_name: doc.sender.name,
            sender_position: doc.sender.position,
            sender_organization: doc.sender.organization,
            their_number: doc.their_number,
            their_date: doc.their_date.map(|d| d.to_string()),
            received_at: doc.received_at.to_string(),
            subject: doc.subject,
            summary: doc.summary,
            priority: doc.priority.code().into(),
            classification: doc.classification.code().into(),
            annexes: doc.annexes,
            term_days: doc.term_days,
            due_date: v.due_date.map(|d| d.to_string()),
            due_status: v.due_status.map(|s| s.color().into()),
            unit: v.unit,
            registered_by: v.registered_by,
            registered_at: v.registered_at.to_string(),
            case_folio: v.case_folio,
            arrived_from_outgoing: v.arrival.map(|a| a.outgoing),
            arrived_for: v.arrival.map(|a| a.instruction.code().into()),
            content_withheld: !v.sight.content,
            in_reply_to: v.links.iter().map(ToString::to_string).collect(),
            answered_by: v.answered_by.iter().map(ToString::to_string).collect(),
            answered_by_outgoing: v
                .outgoing_answers
                .into_iter()
                .map(|a| OutgoingAnswerBody {
                    id: a.id,
                    number: a.number,
                    turn: a.turn,
                })
                .collect(),
            files: v
                .attachments
                .into_iter()
                .map(|a| IncomingFile {
                    name: a.name,
                    media_type: a.media_type,
                    size: a.size,
                })
                .collect(),
            turns: v
                .turns
                .into_iter()
                .map(|t| IncomingTurnBody {
                    id: t.turn.id,
                    parent: t.turn.parent,
                    from_unit: t.turn.from_unit,
                    unit: t.turn.unit,
                    person: t.turn.person,
                    instruction: t.turn.instruction.code().into(),
                    note: t.turn.note,
                    term_days: t.turn.term_days,
                    due_date: t.turn.due_date.map(|d| d.to_string()),
                    due_status: t.due_status.map(|s| s.color().into()),
                    turned_by: t.turn.turned_by,
                    turned_at: t.turn.turned_at.to_string(),
                    status: t.turn.status.code().into(),
                    closed_by: t.turn.closed_by,
                    closed_at: t.turn.closed_at.map(|at| at.to_string()),
                    reason: t.turn.reason,
                    may_answer: t.may_answer,
                    may_withdraw: t.may_withdraw,
                })
                .collect(),
            may_turn: v.may_turn,
        }
    }
}

/// The register.
#[derive(Debug, Serialize, ToSchema)]
pub struct IncomingList {
    pub documents: Vec<IncomingBody>,
}

/// The documents registered by the user's units or turned to them (and to the units below),
/// the latest received first; the 200 newest.
#[utoipa::path(
    get,
    path = "/api/v1/correspondence/incoming",
    operation_id = "list_incoming",
    tag = "correspondencia",
    responses(
        (status = 200, description = "Los documentos", body = IncomingList),
    ),
)]
pub async fn list(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
) -> Result<Json<IncomingList>, ApiError> {
    let views = incoming::list(&state, &user, 200).await?;
    Ok(Json(IncomingList {
        documents: views.into_iter().map(IncomingBody::from).collect(),
    }))
}

/// A list's code, refused when it is not one of its codes (the pages also read labels).
fn code<'a>(
    value: &'a str,
    field: &str,
    known: impl Fn(&str) -> bool,
    problems: &mut Vec<FieldError>,
) -> &'a str {
    if !value.is_empty() && !known(value) {
        problems.push(FieldError::new(
            field,
            format!("«{value}» no es un código de la lista."),
        ));
    }
    value
}

/// Registers a document for one of the user's units; it gets the next folio of its year. Sent
/// as `multipart/form-data`, it carries the scanned document and its annexes, as the page.
#[utoipa::path(
    post,
    path = "/api/v1/correspondence/incoming",
    operation_id = "register_incoming",
    tag = "correspondencia",
    request_body(content(
        (IncomingRequest = "application/json"),
        (IncomingUpload = "multipart/form-data"),
    )),
    responses(
        (status = 201, description = "Registrado", body = IncomingBody,
         headers(("Location" = String, description = "La dirección del documento en la API"))),
        (status = 400, description = "El cuerpo no es JSON ni multipart/form-data legible", body = ErrorBody),
        (status = 403, description = "El usuario no registra documentos para esa unidad", body = ErrorBody),
        (status = 413, description = "El envío pasa del límite del almacén de documentos más el formulario", body = ErrorBody),
        (status = 422, description = "Datos no válidos (`invalid_fields`), cada uno con su campo: la unidad no existe, la recepción es futura, la fecha del documento es posterior, falta la dependencia del remitente, una unidad remitente o un folio anterior no existen", body = ErrorBody),
    ),
)]
pub async fn register(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    body: Request,
) -> Result<Response, ApiError> {
    let multipart = body
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|t| t.to_str().ok())
        .is_some_and(|t| t.to_ascii_lowercase().starts_with("multipart/form-data"));
    let IncomingUpload {
        document: request,
        files,
    } = if multipart {
        let parts = Multipart::from_request(body, &state).await.map_err(|e| {
            ApiError::bad_request(format!(
                "El cuerpo debe ser multipart/form-data legible: {}",
                e.body_text()
            ))
        })?;
        upload(&state, parts).await?
    } else {
        let Json(document) = Json::<IncomingRequest>::from_request(body, &state).await?;
        IncomingUpload {
            document,
            files: Vec::new(),
        }
    };
    let mut problems = Vec::new();
    let kind = code(
        &request.kind,
        "kind",
        |c| DocumentKind::from_code(c).is_some(),
        &mut problems,
    );
    let sender_kind = code(
        &request.sender_kind,
        "sender_kind",
        |c| SenderKind::from_code(c).is_some(),
        &mut problems,
    );
    let priority = code(
        request.priority.as_deref().unwrap_or_default(),
        "priority",
        |c| Priority::from_code(c).is_some(),
        &mut problems,
    );
    let classification = code(
        request.classification.as_deref().unwrap_or_default(),
        "classification",
        |c| Classification::from_code(c).is_some(),
        &mut problems,
    );
    if !problems.is_empty() {
        return Err(ApiError::invalid_fields(problems));
    }
    let annexes = request.annexes.map(|n| n.to_string()).unwrap_or_default();
    let term_days = request.term_days.map(|n| n.to_string()).unwrap_or_default();
    let in_reply_to = request.in_reply_to.join(",");
    let registration = Registration {
        unit: &request.unit,
        draft: IncomingDraft {
            kind,
            sender_kind,
            sender_name: &request.sender_name,
            sender_position: request.sender_position.as_deref().unwrap_or_default(),
            sender_organization: request.sender_organization.as_deref().unwrap_or_default(),
            their_number: request.their_number.as_deref().unwrap_or_default(),
            their_date: request.their_date.as_deref().unwrap_or_default(),
            received_at: &request.received_at,
            subject: &request.subject,
            summary: request.summary.as_deref().unwrap_or_default(),
            priority,
            classification,
            annexes: &annexes,
            term_days: &term_days,
        },
        in_reply_to: &in_reply_to,
        files,
    };
    let folio = incoming::register(&state, &user, registration).await?;
    let view = incoming::printed(&state, &user, &folio.to_string()).await?;
    Ok(created(
        &format!("/api/v1/correspondence/incoming/{folio}"),
        IncomingBody::from(view),
    ))
}

/// One document as the user sees it. Reading it closes the turns «para conocimiento» of the
/// units the user works in.
#[utoipa::path(
    get,
    path = "/api/v1/correspondence/incoming/{folio}",
    operation_id = "show_incoming",
    tag = "correspondencia",
    params(IncomingFolio),
    responses(
        (status = 200, description = "El documento", body = IncomingBody),
    ),
)]
pub async fn show(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(IncomingFolio { folio }): Path<IncomingFolio>,
) -> Result<Json<IncomingBody>, ApiError> {
    Ok(Json(incoming::show(&state, &user, &folio).await?.into()))
}

/// The acuse de recibo, as a PDF.
#[utoipa::path(
    get,
    path = "/api/v1/correspondence/incoming/{folio}/receipt",
    operation_id = "incoming_receipt",
    tag = "correspondencia",
    params(IncomingFolio),
    responses(
        (status = 200, description = "El acuse de recibo", content(("application/pdf"))),
    ),
)]
pub async fn receipt(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(IncomingFolio { folio }): Path<IncomingFolio>,
) -> Result<Response, ApiError> {
    let bytes = crate::routes::correspondence::pdf::receipt(&state, &user, &folio).await?;
    Ok(
        crate::routes::correspondence::pdf::response(&format!("acuse-{folio}.pdf"), bytes)?
            .into_response(),
    )
}
