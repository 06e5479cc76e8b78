//! `/api/v1/petitions`: citizen attention's petitions (procedures 96–98), through the same use
//! cases as the pages (`turno_app::petitions`, `turno_app::handling`): the list and one petition
//! as `/peticiones` shows them, the letter it came in, registering one (multipart, as the
//! letter's page takes it), its classification, the volante de trámite turned to the entidad's
//! Enlace, the Enlace's FUR and its review, and the petitioner's lookup by folio and access
//! code, public as `/atencion/consulta` is.
//!
//! A petition of an entidad outside the token user's scope answers 404, as one that does not
//! exist; a person who sees no petitions, or may not take a step, 403. Refusals carry
//! `turno_app::Error`'s Spanish words; a registration's problems are `invalid_fields`, each with
//! the field it concerns.

use super::answers::{ClassifierRefusals, JsonBody};
use super::auth::ApiUser;
use super::error::{ApiError, ErrorBody, FieldError, Json, Path, Query};
use super::mailbox::PetitionTexts;
use super::params::PetitionFolio;
use crate::auth::csrf::random_bytes;
use crate::limits::{self, Client};
use crate::state::AppState;
use axum::extract::multipart::{Field as Part, MultipartError};
use axum::extract::{Multipart, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::borrow::Cow;
use turno_app::handling::{self, Classify, DEFAULT_TERM, Decision, Fur, NextSteps};
use turno_app::petitions::{
    self, Document, LISTED, LetterInput, MAX_LETTER_BYTES, Registration, Rejected,
};
use turno_app::search::day;
use turno_domain::calendar::State as Entidad;
use turno_domain::citizen::{
    Channel, ContactMeans, Field, MAX_NARRATIVE_CHARS, MaskedContact, Outcome, PetitionKind,
    PetitionerContact, Review,
};
use turno_store::citizen::{PetitionFilter, StoredPetition};
use turno_store::handling::{ANSWERED, IN_HANDLING, PetitionHandling, StoredResponse};
use utoipa::openapi::RefOr;
use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};
use utoipa::{IntoParams, PartialSchema, ToSchema};

/// A registration's body at most: the largest letter and the form around it.
pub const REGISTRATION_BODY_LIMIT: usize = MAX_LETTER_BYTES + 256 * 1024;

/// A text part of a registration read at most: the longest text the form takes, four bytes a
/// character.
const TEXT_PART_LIMIT: usize = 4 * MAX_NARRATIVE_CHARS;

/// A string schema of the values `codes` gives.
fn codes_schema(description: &str, codes: impl Iterator<Item = &'static str>) -> RefOr<Schema> {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some(codes))
        .description(Some(description))
        .into()
}

/// An entidad federativa by its code (`JAL`); its name is also read.
#[derive(Debug, Clone, Copy)]
pub struct StateCode(Entidad);

impl Serialize for StateCode {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.0.code())
    }
}

impl<'de> Deserialize<'de> for StateCode {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<StateCode, D::Error> {
        let text = Cow::<str>::deserialize(deserializer)?;
        Entidad::from_name_or_code(&text)
            .map(StateCode)
            .map_err(|_| serde::de::Error::custom(format!("«{text}» no es una entidad federativa")))
    }
}

impl PartialSchema for StateCode {
    fn schema() -> RefOr<Schema> {
        codes_schema(
            "Una entidad federativa por su clave.",
            Entidad::all().map(Entidad::code),
        )
    }
}

impl ToSchema for StateCode {}

/// A kind of petition by its code (`queja`); its name is also read.
#[derive(Debug, Clone, Copy)]
pub struct KindCode(PetitionKind);

impl Serialize for KindCode {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.0.code())
    }
}

impl<'de> Deserialize<'de> for KindCode {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<KindCode, D::Error> {
        let text = Cow::<str>::deserialize(deserializer)?;
        text.parse()
            .map(KindCode)
            .map_err(|e: turno_domain::citizen::UnknownKind| serde::de::Error::custom(e))
    }
}

impl PartialSchema for KindCode {
    fn schema() -> RefOr<Schema> {
        codes_schema(
            "El tipo de petición: queja, solicitud de información, sugerencia, reconocimiento o \
             gestión.",
            PetitionKind::ALL.into_iter().map(PetitionKind::code),
        )
    }
}

impl ToSchema for KindCode {}

/// How a petition arrived, by its code.
#[derive(Debug, Clone, Copy)]
pub struct ChannelCode(Channel);

impl Serialize for ChannelCode {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.0.code())
    }
}

impl PartialSchema for ChannelCode {
    fn schema() -> RefOr<Schema> {
        codes_schema(
            "Cómo llegó: `telefono` (Centro de Atención Telefónica), `buzon` (buzón web), \
             `escrito` (escrito u oficio) u `otras` (otras fuentes).",
            Channel::ALL.into_iter().map(Channel::code),
        )
    }
}

impl ToSchema for ChannelCode {}

/// How the attention units register a petition: one call, or what came in writing.
#[derive(Debug, Clone, Copy, ToSchema)]
pub enum RegisteredChannel {
    /// Una llamada del Centro de Atención Telefónica, sin oficio.
    #[schema(rename = "telefono")]
    CallCenter,
    /// Un escrito u oficio, con sus datos y el oficio escaneado.
    #[schema(rename = "escrito")]
    Letter,
    /// Otras fuentes (la Red Federal de Servicio a la Ciudadanía…), con su oficio.
    #[schema(rename = "otras")]
    Other,
}

impl RegisteredChannel {
    fn parse(code: &str) -> Option<RegisteredChannel> {
        match code.trim() {
            "telefono" => Some(RegisteredChannel::CallCenter),
            "escrito" => Some(RegisteredChannel::Letter),
            "otras" => Some(RegisteredChannel::Other),
            _ => None,
        }
    }
}

impl From<RegisteredChannel> for Channel {
    fn from(channel: RegisteredChannel) -> Channel {
        match channel {
            RegisteredChannel::CallCenter => Channel::CallCenter,
            RegisteredChannel::Letter => Channel::Letter,
            RegisteredChannel::Other => Channel::Other,
        }
    }
}

/// Where a petition stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub enum PetitionStatus {
    /// Recibida, sin clasificar.
    #[serde(rename = "recibida")]
    Received,
    /// Turnada con volante al Enlace de Atención Ciudadana: espera su FUR o la revisión.
    #[serde(rename = "en_gestion")]
    InHandling,
    /// Respondida: directamente, o por un FUR completo y favorable.
    #[serde(rename = "respondida")]
    Answered,
}

impl PetitionStatus {
    fn of(stored: &str) -> PetitionStatus {
        match stored {
            IN_HANDLING => PetitionStatus::InHandling,
            ANSWERED => PetitionStatus::Answered,
            _ => PetitionStatus::Received,
        }
    }

    fn code(self) -> &'static str {
        match self {
            PetitionStatus::Received => turno_store::handling::RECEIVED,
            PetitionStatus::InHandling => IN_HANDLING,
            PetitionStatus::Answered => ANSWERED,
        }
    }
}

/// The petitioner's contact, whole or masked (`****`) as the token user may see it.
#[derive(Debug, Serialize, ToSchema)]
pub struct Contact {
    pub name: Option<String>,
    pub curp: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub address: Option<String>,
}

impl From<MaskedContact> for Contact {
    fn from(c: MaskedContact) -> Contact {
        Contact {
            name: c.name,
            curp: c.curp,
            phone: c.phone,
            email: c.email,
            address: c.address,
        }
    }
}

/// A petition as the list shows it: its contact always masked.
#[derive(Debug, Serialize, ToSchema)]
pub struct PetitionSummary {
    #[schema(example = "AC-2026-000001")]
    pub folio: String,
    /// When it was received, the agency's local date and time (`AAAA-MM-DDTHH:MM:SS`).
    #[schema(example = "2026-03-02T10:00:00")]
    pub received_at: String,
    pub kind: KindCode,
    pub channel: ChannelCode,
    pub state: StateCode,
    pub health_unit: Option<String>,
    pub status: PetitionStatus,
    pub contact: Contact,
}

impl PetitionSummary {
    fn new(p: &StoredPetition, contact: Contact) -> PetitionSummary {
        PetitionSummary {
            folio: p.folio.to_string(),
            received_at: p.petition.received_at.to_string(),
            kind: KindCode(p.petition.kind),
            channel: ChannelCode(p.petition.channel),
            state: StateCode(p.petition.state),
            health_unit: p.petition.health_unit.clone(),
            status: PetitionStatus::of(&p.status),
            contact,
        }
    }
}

/// The letter a petition came in.
#[derive(Debug, Serialize, ToSchema)]
pub struct LetterDetail {
    pub sender: String,
    /// The oficio's number.
    pub reference: String,
    #[schema(format = Date)]
    pub dated: String,
    /// The scanned oficio's file name (`GET /api/v1/petitions/{folio}/letter`).
    pub document_name: String,
}

/// Where a petition's handling stands.
#[derive(Debug, Serialize, ToSchema)]
pub struct HandlingSummary {
    pub status: PetitionStatus,
    /// The motive it was classified with, by code.
    pub motive: Option<String>,
    /// «¿Amerita gestión?», once classified.
    pub needs_action: Option<bool>,
    /// The folio of the volante de trámite's case, once turned.
    pub volante: Option<String>,
    /// The volante in force: 1 for the first, one more each time the review turns it again;
    /// 0 without one.
    pub slip: u16,
    /// The Enlace's due date for the volante in force.
    #[schema(format = Date)]
    pub due_on: Option<String>,
    /// What the petitioner was told, once answered, and when.
    pub answer: Option<String>,
    #[schema(format = Date)]
    pub answered_on: Option<String>,
}

impl From<&PetitionHandling> for HandlingSummary {
    fn from(h: &PetitionHandling) -> HandlingSummary {
        HandlingSummary {
            status: PetitionStatus::of(&h.status),
            motive: h.motive.clone(),
            needs_action: h.needs_action,
            volante: h.case_folio.clone(),
            slip: h.slip,
            due_on: h.due_on.map(|d| d.to_string()),
            answer: h.answer.clone(),
            answered_on: h.answered_on.map(|d| d.to_string()),
        }
    }
}

/// A petition with its data as the token user may see them.
#[derive(Debug, Serialize, ToSchema)]
pub struct PetitionDetail {
    #[serde(flatten)]
    pub summary: PetitionSummary,
    pub narrative: String,
    /// Whether the petitioner accepted the privacy notice (the mailbox asks it).
    pub privacy_consent: bool,
    /// Whether `contact` is whole: the view is then on the audit log.
    pub unmasked: bool,
    pub letter: Option<LetterDetail>,
    pub handling: Option<HandlingSummary>,
    /// What the token user may do next with it, as the petition's page offers.
    pub next_steps: NextStepsDetail,
}

/// The steps a person may take next on a petition, each only when they may take it.
#[derive(Debug, Serialize, ToSchema)]
pub struct NextStepsDetail {
    /// Classify it: `POST /api/v1/petitions/{folio}/classification`.
    pub classify: bool,
    /// See its volante and FURs: `GET …/volante`, `GET …/responses`.
    pub follow: bool,
    /// Answer the volante in force on the FUR: `POST …/responses`.
    pub answer: bool,
    /// Review the FUR waiting for it: `POST …/review`.
    pub review: bool,
}

impl From<NextSteps> for NextStepsDetail {
    fn from(next: NextSteps) -> NextStepsDetail {
        NextStepsDetail {
            classify: next.classify,
            follow: next.follow,
            answer: next.answer,
            review: next.review,
        }
    }
}

/// A petition outside the token user's entidades answers as one that does not exist.
fn unseen(e: turno_app::Error) -> ApiError {
    match e {
        turno_app::Error::Hidden => ApiError::not_found("No existe esa petición."),
        other => other.into(),
    }
}

/// The list's filters.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// Only this entidad's; one outside the user's entidades is refused (403).
    state: Option<StateCode>,
    kind: Option<KindCode>,
    status: Option<PetitionStatus>,
    /// Received on this day or after (`AAAA-MM-DD`).
    #[param(format = Date)]
    from: Option<String>,
    /// Received on this day or before (`AAAA-MM-DD`).
    #[param(format = Date)]
    to: Option<String>,
    /// The latest received this many.
    #[param(schema_with = super::paging::limit_schema::<{ LISTED as i64 }, { LISTED as i64 }>)]
    limit: Option<u32>,
}

/// The petitions the token user sees (as `/peticiones`: every entidad for the attention units
/// and administrators, their own for an entidad's people), the latest received first, their
/// contact masked.
#[utoipa::path(
    get,
    path = "/api/v1/petitions",
    operation_id = "list_petitions",
    tag = "peticiones",
    params(ListQuery),
    responses(
        (status = 200, description = "Las peticiones", body = [PetitionSummary]),
        (status = 400, description = "Un parámetro no válido, nombrado en el mensaje", body = ErrorBody),
        (status = 403, description = "El usuario no ve peticiones, o no las de esa entidad", body = ErrorBody),
    ),
)]
pub async fn list(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Query(query): Query<ListQuery>,
) -> Result<Json<Vec<PetitionSummary>>, ApiError> {
    let limit = query.limit.unwrap_or(LISTED);
    if !(1..=LISTED).contains(&limit) {
        return Err(ApiError::bad_request(format!(
            "«limit» debe estar entre 1 y {LISTED}."
        )));
    }
    let filter = PetitionFilter {
        state: query.state.map(|s| s.0),
        kind: query.kind.map(|k| k.0),
        status: query.status.map(|s| s.code().to_owned()),
        from: super::paging::date("from", query.from.as_deref())?,
        to: super::paging::date("to", query.to.as_deref())?,
        limit,
    };
    let listing = petitions::list(&state, &user, filter).await?;
    Ok(Json(
        listing
            .petitions
            .iter()
            .map(|p| PetitionSummary::new(p, p.petition.contact.masked().into()))
            .collect(),
    ))
}

/// One petition: its contact whole for those who need it (the attention units' titulares and
/// operadores, the entidad's Enlace, administrators), the view then on the audit log; masked
/// for everyone else, as on `/peticiones/{folio}`.
#[utoipa::path(
    get,
    path = "/api/v1/petitions/{folio}",
    operation_id = "show_petition",
    tag = "peticiones",
    params(PetitionFolio),
    responses(
        (status = 200, description = "La petición", body = PetitionDetail),
        (status = 403, description = "El usuario no ve peticiones", body = ErrorBody),
        (status = 404, description = "No existe esa petición, o es de una entidad que el usuario no ve", body = ErrorBody),
    ),
)]
pub async fn show(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(PetitionFolio { folio }): Path<PetitionFolio>,
) -> Result<Json<PetitionDetail>, ApiError> {
    let shown = petitions::show(&state, &user, &folio)
        .await
        .map_err(unseen)?;
    let p = &shown.petition;
    Ok(Json(PetitionDetail {
        summary: PetitionSummary::new(p, shown.contact.into()),
        narrative: p.petition.narrative.clone(),
        privacy_consent: p.petition.privacy_consent,
        unmasked: shown.unmasked,
        letter: shown.letter.map(|f| LetterDetail {
            sender: f.letter.sender,
            reference: f.letter.reference,
            dated: f.letter.dated.to_string(),
            document_name: f.document_name,
        }),
        handling: shown.handling.as_ref().map(HandlingSummary::from),
        next_steps: shown.next.into(),
    }))
}

/// The scanned oficio a petition came in.
#[utoipa::path(
    get,
    path = "/api/v1/petitions/{folio}/letter",
    operation_id = "download_petition_letter",
    tag = "peticiones",
    params(PetitionFolio),
    responses(
        (status = 200, description = "El oficio escaneado: PDF, o bytes si no lo es", content(("application/pdf"), ("application/octet-stream")),
         headers(("Content-Disposition" = String, description = "`attachment` con el nombre del archivo"))),
        (status = 403, description = "El usuario no ve peticiones", body = ErrorBody),
        (status = 404, description = "No existe esa petición, es de una entidad que el usuario no ve, o no llegó por escrito", body = ErrorBody),
    ),
)]
pub async fn letter(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(PetitionFolio { folio }): Path<PetitionFolio>,
) -> Result<Response, ApiError> {
    let (filed, content) = petitions::letter(&state, &user, &folio)
        .await
        .map_err(unseen)?;
    crate::documents::scanned_response(&filed.document_name, content).map_err(ApiError::from)
}

/// A petition to register, sent as `multipart/form-data`: its texts as fields, the scanned
/// oficio as the file `document`. A blank field is one not given.
#[derive(Default, ToSchema)]
// An unknown part is refused (`additionalProperties: false`).
#[serde(deny_unknown_fields)]
pub struct RegisterForm {
    #[schema(value_type = RegisteredChannel, required = true)]
    pub channel: Option<String>,
    #[serde(flatten)]
    pub petition: PetitionTexts,
    /// With `escrito` or `otras`: who sent it.
    #[schema(max_length = 300, example = "Consejo Nacional de Salud")]
    pub sender: Option<String>,
    /// With `escrito` or `otras`: their oficio's number.
    #[schema(max_length = 300, example = "CNS/123/2026")]
    pub reference: Option<String>,
    /// With `escrito` or `otras`: the oficio's date, not after today.
    #[schema(format = Date)]
    pub dated: Option<String>,
    /// With `escrito` or `otras`: the scanned oficio, up to 10 MiB.
    #[schema(value_type = Option<String>, format = Binary)]
    pub document: Option<Document>,
}

/// A petition registered.
#[derive(Debug, Serialize, ToSchema)]
pub struct FiledPetition {
    #[schema(example = "AC-2026-000001")]
    pub folio: String,
    /// The access code, given this once (only its digest is kept): with the folio, the
    /// petitioner follows the petition (`POST /api/v1/petitions/status`).
    #[schema(example = "7MA4-YWXK-TRZ0")]
    pub access_code: String,
}

/// The request's name of a petition's field.
pub(super) fn field_name(field: Field) -> &'static str {
    match field {
        Field::Kind => "kind",
        Field::State => "state",
        Field::HealthUnit => "health_unit",
        Field::Narrative => "narrative",
        Field::Name => "name",
        Field::Curp => "curp",
        Field::Phone => "phone",
        Field::Email => "email",
        Field::Address => "address",
        // What a call-center file or the mailbox has, and a registration does not.
        Field::CallId | Field::ReceivedOn | Field::ReceivedTime | Field::PrivacyConsent => {
            field.key()
        }
    }
}

/// The request's name of a letter's field (as the domain names the page's).
fn letter_field_name(field: &str) -> &str {
    match field {
        "remitente" => "sender",
        "oficio" => "reference",
        "fecha_oficio" => "dated",
        "archivo" => "document",
        other => other,
    }
}

fn unreadable(e: MultipartError) -> ApiError {
    let limit = turno_app::documents::size_label(REGISTRATION_BODY_LIMIT as u64);
    ApiError::unreadable(e, &format!("El envío pasa de {limit}."))
}

impl RegisterForm {
    /// The form's parts; an unknown part, or a text part too long to be read, is a field
    /// problem.
    async fn read(multipart: &mut Multipart) -> Result<RegisterForm, ApiError> {
        let mut form = RegisterForm::default();
        let mut wrong = Vec::new();
        while let Some(mut part) = multipart.next_field().await.map_err(unreadable)? {
            let name = part.name().unwrap_or_default().to_owned();
            if name == "document" {
                let file = crate::documents::file_name(part.file_name().unwrap_or("oficio.pdf"));
                let content = part.bytes().await.map_err(unreadable)?.to_vec();
                form.document = Some(Document {
                    name: file,
                    content,
                });
                continue;
            }
            let slot = match name.as_str() {
                "channel" => &mut form.channel,
                "kind" => &mut form.petition.kind,
                "state" => &mut form.petition.state,
                "health_unit" => &mut form.petition.health_unit,
                "narrative" => &mut form.petition.narrative,
                "name" => &mut form.petition.name,
                "curp" => &mut form.petition.curp,
                "phone" => &mut form.petition.phone,
                "email" => &mut form.petition.email,
                "address" => &mut form.petition.address,
                "sender" => &mut form.sender,
                "reference" => &mut form.reference,
                "dated" => &mut form.dated,
                _ => {
                    wrong.push(FieldError::new(&name, "No es un campo de la petición."));
                    continue;
                }
            };
            match text(&mut part).await? {
                Some(text) => *slot = Some(text),
                None => wrong.push(FieldError::new(
                    &name,
                    format!("Pasa de {MAX_NARRATIVE_CHARS} caracteres o no es texto UTF-8."),
                )),
            }
        }
        if wrong.is_empty() {
            Ok(form)
        } else {
            Err(ApiError::invalid_fields(wrong))
        }
    }
}

/// A field as given; blank when not given.
pub(super) fn given(value: &Option<String>) -> &str {
    value.as_deref().unwrap_or_default()
}

async fn text(part: &mut Part<'_>) -> Result<Option<String>, ApiError> {
    crate::forms::short_text(part, TEXT_PART_LIMIT)
        .await
        .map_err(unreadable)
}

/// Registers a petition, as the attention units do on `/peticiones/registrar`: one that came
/// in writing (`escrito`, `otras`) with its oficio's data and the scanned oficio, or one call
/// (`telefono`) without them. It gets its folio and an access code for the petitioner.
#[utoipa::path(
    post,
    path = "/api/v1/petitions",
    operation_id = "register_petition",
    tag = "peticiones",
    request_body(content = RegisterForm, content_type = "multipart/form-data"),
    responses(
        (status = 201, description = "Registrada", body = FiledPetition,
         headers(("Location" = String, description = "La URL de la petición en la API"))),
        (status = 403, description = "Solo las unidades de atención ciudadana y los administradores registran peticiones", body = ErrorBody),
        (status = 413, description = "El envío pasa de 10 MiB más el formulario", body = ErrorBody),
        (status = 422, description = "Datos no válidos (`invalid_fields`, cada campo con su problema)", body = ErrorBody),
    ),
)]
pub async fn register(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Response, ApiError> {
    // Who may register is checked before the upload is read.
    petitions::registering(&user)?;
    let mut multipart = multipart.map_err(|e| {
        ApiError::bad_request(format!(
            "El cuerpo debe ser multipart/form-data: {}",
            e.body_text()
        ))
    })?;
    let form = RegisterForm::read(&mut multipart).await?;
    let channel = given(&form.channel);
    let Some(channel) = RegisteredChannel::parse(channel) else {
        let reason = if channel.trim().is_empty() {
            "Falta: telefono, escrito u otras."
        } else {
            "Debe ser telefono, escrito u otras."
        };
        return Err(ApiError::invalid_fields(vec![FieldError::new(
            "channel", reason,
        )]));
    };
    let registration = Registration {
        channel: channel.into(),
        draft: form.petition.draft(),
        letter: LetterInput {
            sender: given(&form.sender),
            reference: given(&form.reference),
            dated: given(&form.dated),
            document: form.document,
        },
    };
    let filed = match petitions::register(&state, &user, registration, random_bytes()).await {
        Ok(filed) => filed,
        Err(Rejected::Fields { petition, letter }) => {
            let fields = petition
                .iter()
                .map(|p| FieldError::new(field_name(p.field), p.reason.clone()))
                .chain(
                    letter
                        .iter()
                        .map(|p| FieldError::new(letter_field_name(p.field), p.reason.clone())),
                )
                .collect();
            return Err(ApiError::invalid_fields(fields));
        }
        Err(Rejected::Error(e)) => return Err(e.into()),
    };
    let folio = filed.folio.to_string();
    let mut response = super::created(
        &format!("/api/v1/petitions/{folio}"),
        FiledPetition {
            folio: folio.clone(),
            access_code: filed.code.to_string(),
        },
    );
    // The code is shown once: no cache may keep the answer.
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

/// A motive of the catalog.
#[derive(Debug, Serialize, ToSchema)]
pub struct MotiveChoice {
    #[schema(example = "MED-SURT")]
    pub code: String,
    pub name: String,
    /// The kinds it applies to; none: every kind.
    pub kinds: Vec<KindCode>,
}

/// A motive suggested for a petition, and the words of its description that moved it.
#[derive(Debug, Serialize, ToSchema)]
pub struct MotiveSuggestion {
    #[schema(example = "MED-SURT")]
    pub code: String,
    pub name: String,
    /// Between 0 and 1: the probabilities of every motive learned add up to 1.
    #[schema(minimum = 0, maximum = 1, example = 0.87)]
    pub probability: f64,
    /// The words (lower-cased, without accents) that weighed most for it, the most first.
    #[schema(example = json!(["farmacia", "receta"]))]
    pub words: Vec<String>,
}

/// What classifying a petition starts from, as its page shows it.
#[derive(Debug, Serialize, ToSchema)]
pub struct ClassificationForm {
    pub handling: HandlingSummary,
    /// The motives in force.
    pub motives: Vec<MotiveChoice>,
    /// Up to three motives in force suggested for the petition, the likeliest first, learned
    /// from the petitions already classified (none before any is). Only a suggestion: the
    /// classification is the person's.
    pub suggestions: Vec<MotiveSuggestion>,
    /// The Enlace's term when none is given, in días hábiles.
    pub default_days: u16,
}

/// Where a petition's classification stands, and the motives in force to classify it with:
/// for those who classify (who may start the volante de trámite) and administrators.
#[utoipa::path(
    get,
    path = "/api/v1/petitions/{folio}/classification",
    operation_id = "petition_classification",
    tag = "peticiones",
    params(PetitionFolio),
    responses(
        (status = 200, description = "La clasificación y los motivos vigentes", body = ClassificationForm),
        ClassifierRefusals,
        (status = 422, description = "El procedimiento del volante de trámite no está publicado", body = ErrorBody),
    ),
)]
pub async fn classification(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(PetitionFolio { folio }): Path<PetitionFolio>,
) -> Result<Json<ClassificationForm>, ApiError> {
    let handling::ToClassify {
        handled,
        motives,
        suggestions,
    } = handling::to_classify(&state, &user, &folio).await?;
    Ok(Json(ClassificationForm {
        handling: HandlingSummary::from(&handled.handling),
        suggestions: suggestions
            .into_iter()
            .map(|s| MotiveSuggestion {
                code: s.code,
                name: s.name,
                probability: s.probability,
                words: s.words,
            })
            .collect(),
        motives: motives
            .into_iter()
            .map(|m| MotiveChoice {
                code: m.code,
                name: m.name,
                kinds: m.kinds.into_iter().map(KindCode).collect(),
            })
            .collect(),
        default_days: DEFAULT_TERM,
    }))
}

/// A petition's classification.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ClassifyRequest {
    pub kind: KindCode,
    /// A motive in force for the kind, by code (`GET …/classification`).
    #[schema(
        max_length = 64,
        pattern = "^[A-Z0-9]+(-[A-Z0-9]+)*$",
        example = "MED-SURT"
    )]
    pub motive: String,
    /// The entidad that answers it.
    pub state: StateCode,
    /// «¿Amerita gestión?»: `true` turns it with a volante de trámite to the entidad's Enlace;
    /// `false` answers it now with `answer` (by e-mail when the petitioner gave one).
    pub needs_action: bool,
    /// With `needs_action`: the Enlace's term in días hábiles (10 if not given).
    #[schema(minimum = 1, maximum = 250)]
    pub days: Option<u16>,
    /// Without `needs_action`: the answer to the petitioner.
    #[schema(max_length = 5000)]
    pub answer: Option<String>,
}

/// Classifies a received petition and answers it, or turns it with a volante de trámite to the
/// entidad's Enlace, as `/peticiones/{folio}/clasificar` does.
#[utoipa::path(
    post,
    path = "/api/v1/petitions/{folio}/classification",
    operation_id = "classify_petition",
    tag = "peticiones",
    request_body = ClassifyRequest,
    params(PetitionFolio),
    responses(
        (status = 200, description = "Clasificada: respondida o turnada con volante", body = HandlingSummary),
        JsonBody,
        ClassifierRefusals,
        (status = 409, description = "Ya estaba clasificada (otra persona la clasificó)", body = ErrorBody),
        (status = 422, description = "Rechazada, con el motivo: un motivo que no está vigente o no es del tipo, un plazo fuera de 1 a 250 días hábiles, una respuesta vacía o larga, la unidad del Enlace fuera del organigrama; o un cuerpo que no tiene la forma esperada", body = ErrorBody),
    ),
)]
pub async fn classify(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(PetitionFolio { folio }): Path<PetitionFolio>,
    Json(request): Json<ClassifyRequest>,
) -> Result<Json<HandlingSummary>, ApiError> {
    let classifying = handling::classifying(&state, &user, &folio).await?;
    let decision = if request.needs_action {
        Decision::Turn {
            days: Some(request.days.unwrap_or(DEFAULT_TERM)),
        }
    } else {
        Decision::Answer(request.answer.unwrap_or_default())
    };
    let input = Classify {
        kind: Some(request.kind.0),
        motive: request.motive,
        entidad: Some(request.state.0),
        decision: Some(decision),
    };
    let handling = classifying.classify(&state, &user, input).await?;
    Ok(Json(HandlingSummary::from(&handling)))
}

/// The volante de trámite in force, as printed.
#[derive(Debug, Serialize, ToSchema)]
pub struct SlipDetail {
    /// The folio of the volante's case.
    #[schema(example = "SINAC-VOL-2026-000001")]
    pub volante: String,
    /// 1 for the first, one more each time the review turns it again.
    pub slip: u16,
    /// The motive's name and code, as classified.
    pub motive: String,
    /// The Enlace's unit.
    #[schema(example = "REPSS-JAL")]
    pub liaison_unit: String,
    /// When it was turned (RFC 3339).
    pub turned_at: String,
    pub instruction: String,
    /// The Enlace's term in días hábiles, and its due date.
    pub term_days: Option<i32>,
    #[schema(format = Date)]
    pub due_on: Option<String>,
}

/// The volante de trámite in force of a petition, turned to the entidad's Enlace: for those
/// who classify and review, and those who see the volante's case (the Enlace).
#[utoipa::path(
    get,
    path = "/api/v1/petitions/{folio}/slip",
    operation_id = "petition_slip",
    tag = "peticiones",
    params(PetitionFolio),
    responses(
        (status = 200, description = "El volante en curso", body = SlipDetail),
        (status = 403, description = "El usuario no revisa peticiones ni ve el asunto del volante", body = ErrorBody),
        (status = 404, description = "No existe esa petición, o no tiene volante de trámite", body = ErrorBody),
        (status = 422, description = "El procedimiento del volante de trámite no está publicado", body = ErrorBody),
    ),
)]
pub async fn slip(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(PetitionFolio { folio }): Path<PetitionFolio>,
) -> Result<Json<SlipDetail>, ApiError> {
    let slip = handling::slip(&state, &user, &folio).await?;
    Ok(Json(SlipDetail {
        volante: slip.case_folio,
        slip: slip.handled.handling.slip,
        motive: slip.motive,
        liaison_unit: slip.liaison_unit,
        turned_at: slip.turned_at.to_string(),
        instruction: slip.instruction,
        term_days: slip.term_days,
        due_on: slip.due.map(|d| d.to_string()),
    }))
}

/// How the Enlace reached the petitioner.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
pub enum Means {
    #[serde(rename = "telefono")]
    Phone,
    #[serde(rename = "correo")]
    Email,
    #[serde(rename = "persona")]
    InPerson,
    #[serde(rename = "escrito")]
    Letter,
}

impl From<Means> for ContactMeans {
    fn from(means: Means) -> ContactMeans {
        match means {
            Means::Phone => ContactMeans::Phone,
            Means::Email => ContactMeans::Email,
            Means::InPerson => ContactMeans::InPerson,
            Means::Letter => ContactMeans::Letter,
        }
    }
}

impl From<ContactMeans> for Means {
    fn from(means: ContactMeans) -> Means {
        match means {
            ContactMeans::Phone => Means::Phone,
            ContactMeans::Email => Means::Email,
            ContactMeans::InPerson => Means::InPerson,
            ContactMeans::Letter => Means::Letter,
        }
    }
}

/// How the matter ended for the petitioner, as the Enlace reports it.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
pub enum FurOutcome {
    #[serde(rename = "favorable")]
    Favorable,
    #[serde(rename = "no_favorable")]
    Unfavorable,
    /// No es de la competencia del REPSS: `answer` dice de quién es.
    #[serde(rename = "no_competente")]
    NotCompetent,
}

impl From<FurOutcome> for Outcome {
    fn from(outcome: FurOutcome) -> Outcome {
        match outcome {
            FurOutcome::Favorable => Outcome::Favorable,
            FurOutcome::Unfavorable => Outcome::Unfavorable,
            FurOutcome::NotCompetent => Outcome::NotCompetent,
        }
    }
}

impl From<Outcome> for FurOutcome {
    fn from(outcome: Outcome) -> FurOutcome {
        match outcome {
            Outcome::Favorable => FurOutcome::Favorable,
            Outcome::Unfavorable => FurOutcome::Unfavorable,
            Outcome::NotCompetent => FurOutcome::NotCompetent,
        }
    }
}

/// When and how the Enlace reached the petitioner.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ContactMade {
    pub means: Means,
    /// Between the volante's day and the answer's.
    #[schema(format = Date, max_length = 10)]
    pub on: String,
}

/// The review of a FUR, once made.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReviewDetail {
    pub complete: bool,
    pub favorable: bool,
    pub observations: Option<String>,
    /// The login of who reviewed it.
    pub by: String,
}

/// A Formato Único de Respuesta, the Enlace's answer to one volante.
#[derive(Debug, Serialize, ToSchema)]
pub struct FurDetail {
    /// The volante it answers.
    pub slip: u16,
    /// The Enlace who signs it.
    pub liaison: String,
    #[schema(format = Date)]
    pub answered_on: String,
    pub contact: Option<ContactMade>,
    pub actions: String,
    pub outcome: FurOutcome,
    pub answer: String,
    /// The login of who recorded it.
    pub recorded_by: String,
    pub review: Option<ReviewDetail>,
}

impl From<&StoredResponse> for FurDetail {
    fn from(r: &StoredResponse) -> FurDetail {
        FurDetail {
            slip: r.form.slip,
            liaison: r.form.liaison.clone(),
            answered_on: r.form.answered_on.to_string(),
            contact: r.form.contact.map(|c| ContactMade {
                means: c.means.into(),
                on: c.on.to_string(),
            }),
            actions: r.form.actions.clone(),
            outcome: r.form.outcome.into(),
            answer: r.form.answer.clone(),
            recorded_by: r.recorded_by.clone(),
            review: r
                .review
                .as_ref()
                .map(|(review, observations, by)| ReviewDetail {
                    complete: review.complete,
                    favorable: review.favorable,
                    observations: observations.clone(),
                    by: by.clone(),
                }),
        }
    }
}

/// A petition's FURs, and what the token user may do with the volante in force's.
#[derive(Debug, Serialize, ToSchema)]
pub struct FurList {
    pub handling: HandlingSummary,
    /// The user is the Enlace holding the volante in force, and may answer it.
    pub may_answer: bool,
    /// The user reviews, and the volante in force's FUR waits for its review.
    pub may_review: bool,
    /// Every FUR, the first volante's first.
    pub responses: Vec<FurDetail>,
}

/// A petition's FURs: for those who classify and review, and those who see the volante's case
/// (the Enlace), as `/peticiones/{folio}/fur`.
#[utoipa::path(
    get,
    path = "/api/v1/petitions/{folio}/responses",
    operation_id = "list_petition_responses",
    tag = "peticiones",
    params(PetitionFolio),
    responses(
        (status = 200, description = "Los FUR de la petición", body = FurList),
        (status = 403, description = "El usuario no revisa peticiones ni ve el asunto del volante", body = ErrorBody),
        (status = 404, description = "No existe esa petición", body = ErrorBody),
        (status = 422, description = "El procedimiento del volante de trámite no está publicado", body = ErrorBody),
    ),
)]
pub async fn responses(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(PetitionFolio { folio }): Path<PetitionFolio>,
) -> Result<Json<FurList>, ApiError> {
    let seen = handling::responses(&state, &user, &folio).await?;
    let handling = &seen.handled.handling;
    Ok(Json(FurList {
        handling: HandlingSummary::from(handling),
        may_answer: seen.may_answer,
        may_review: seen.may_review,
        responses: handling.responses.iter().map(FurDetail::from).collect(),
    }))
}

/// The Enlace's answer to the volante in force.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FurRequest {
    /// The Enlace de Atención Ciudadana who signs it.
    #[schema(min_length = 1, max_length = 300, example = "Lic. Ana Ruiz")]
    pub liaison: String,
    /// Not before the volante's day, nor after today.
    #[schema(format = Date, max_length = 10)]
    pub answered_on: String,
    /// When and how they reached the petitioner, if they did.
    pub contact: Option<ContactMade>,
    /// What was done (gestiones realizadas).
    #[schema(min_length = 1, max_length = 5000)]
    pub actions: String,
    pub outcome: FurOutcome,
    /// What the petitioner is told.
    #[schema(min_length = 1, max_length = 5000)]
    pub answer: String,
}

/// A request's date, or the field's problem.
fn required_day(text: &str, field: &str) -> Result<jiff::civil::Date, FieldError> {
    match day(text.trim()) {
        Ok(Some(date)) => Ok(date),
        Ok(None) => Err(FieldError::new(field, "Falta la fecha (AAAA-MM-DD).")),
        Err(reason) => Err(FieldError::new(field, reason)),
    }
}

/// The Enlace holding the volante in force answers it on the FUR, as on
/// `/peticiones/{folio}/fur`.
#[utoipa::path(
    post,
    path = "/api/v1/petitions/{folio}/responses",
    operation_id = "answer_petition",
    tag = "peticiones",
    request_body = FurRequest,
    params(PetitionFolio),
    responses(
        (status = 201, description = "FUR registrado; la petición espera su revisión", body = HandlingSummary),
        JsonBody,
        (status = 403, description = "Solo el Enlace de la entidad, con el volante en curso turnado a su unidad, responde el FUR", body = ErrorBody),
        (status = 404, description = "No existe esa petición", body = ErrorBody),
        (status = 409, description = "Otra persona respondió primero", body = ErrorBody),
        (status = 422, description = "El FUR con problemas, cada uno con su campo (`invalid_fields`: una fecha no válida, textos vacíos o largos, una fecha de respuesta antes del volante o posterior a hoy, el contacto fuera de plazo); o un cuerpo que no tiene la forma esperada", body = ErrorBody),
    ),
)]
pub async fn answer(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(PetitionFolio { folio }): Path<PetitionFolio>,
    Json(request): Json<FurRequest>,
) -> Result<Response, ApiError> {
    let answering = handling::answering(&state, &user, &folio).await?;
    let answered_on = required_day(&request.answered_on, "answered_on");
    let contact = request.contact.map(|c| {
        required_day(&c.on, "contact.on").map(|on| PetitionerContact {
            on,
            means: c.means.into(),
        })
    });
    let (answered_on, contact) = match (answered_on, contact.transpose()) {
        (Ok(answered_on), Ok(contact)) => (answered_on, contact),
        (answered_on, contact) => {
            let wrong = answered_on.err().into_iter().chain(contact.err()).collect();
            return Err(ApiError::invalid_fields(wrong));
        }
    };
    let fur = Fur {
        liaison: request.liaison,
        answered_on,
        contact,
        actions: request.actions,
        outcome: request.outcome.into(),
        answer: request.answer,
    };
    let handling = answering.answer(&state, &user, fur).await?;
    Ok((StatusCode::CREATED, Json(HandlingSummary::from(&handling))).into_response())
}

/// The review of the volante in force's FUR.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReviewRequest {
    /// «¿Está completa?»
    pub complete: bool,
    /// «¿Es favorable?»
    pub favorable: bool,
    /// Why not, for the Enlace: required unless complete and favorable.
    #[schema(max_length = 5000)]
    pub observations: Option<String>,
    /// Unless complete and favorable: the Enlace's term for the new volante, in días hábiles
    /// (10 if not given).
    #[schema(minimum = 1, maximum = 250)]
    pub days: Option<u16>,
}

/// Reviews the volante in force's FUR («¿Está completa y es favorable la respuesta?»): a
/// complete and favorable one answers the petition; any other turns a new volante to the
/// Enlace with the observations, as on `/peticiones/{folio}/fur`.
#[utoipa::path(
    post,
    path = "/api/v1/petitions/{folio}/review",
    operation_id = "review_petition",
    tag = "peticiones",
    request_body = ReviewRequest,
    params(PetitionFolio),
    responses(
        (status = 200, description = "Revisado: respondida, o turnada de nuevo al Enlace", body = HandlingSummary),
        JsonBody,
        (status = 403, description = "El usuario no revisa peticiones", body = ErrorBody),
        (status = 404, description = "No existe esa petición", body = ErrorBody),
        (status = 409, description = "No hay un FUR por revisar (aún no se responde, u otra persona lo revisó)", body = ErrorBody),
        (status = 422, description = "Rechazada, con el motivo: faltan las observaciones, son largas, o el plazo está fuera de 1 a 250 días hábiles; o un cuerpo que no tiene la forma esperada", body = ErrorBody),
    ),
)]
pub async fn review(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(PetitionFolio { folio }): Path<PetitionFolio>,
    Json(request): Json<ReviewRequest>,
) -> Result<Json<HandlingSummary>, ApiError> {
    let reviewing = handling::reviewing(&state, &user, &folio).await?;
    let review = Review {
        complete: request.complete,
        favorable: request.favorable,
    };
    let days = request.days.unwrap_or(DEFAULT_TERM);
    let handling = reviewing
        .review(&state, &user, review, request.observations, days)
        .await?;
    Ok(Json(HandlingSummary::from(&handling)))
}

/// A petitioner's lookup.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StatusRequest {
    #[schema(max_length = 20, example = "AC-2026-000001")]
    pub folio: String,
    /// The access code given when the petition was filed; case, hyphens and spaces do not
    /// matter.
    #[schema(max_length = 32, example = "7MA4-YWXK-TRZ0")]
    pub code: String,
}

/// What the petitioner sees of their petition: no personal data.
#[derive(Debug, Serialize, ToSchema)]
pub struct StatusDetail {
    #[schema(example = "AC-2026-000001")]
    pub folio: String,
    pub kind: KindCode,
    pub state: StateCode,
    /// When it was received, the agency's local date and time.
    pub received_at: String,
    pub status: PetitionStatus,
    /// What they were told, once answered, and when.
    pub answer: Option<String>,
    #[schema(format = Date)]
    pub answered_on: Option<String>,
}

/// A petitioner follows their petition with its folio and access code, without a token, as on
/// `/atencion/consulta`. A folio that is not one, one that does not exist and a wrong code all
/// answer 404 alike, after the same time; each client may look up 30 times in 15 minutes,
/// pages and API together.
#[utoipa::path(
    post,
    path = "/api/v1/petitions/status",
    operation_id = "petition_status",
    tag = "peticiones",
    request_body = StatusRequest,
    responses(
        (status = 200, description = "La petición, sin datos personales", body = StatusDetail),
        JsonBody,
        (status = 404, description = "No hay una petición con ese folio y ese código", body = ErrorBody),
        (status = 422, description = "Un cuerpo que no tiene la forma esperada", body = ErrorBody),
        (status = 429, description = "Demasiadas consultas desde la misma conexión", body = ErrorBody,
         headers(("Retry-After" = u64, description = "Los segundos que faltan para intentar de nuevo"))),
    ),
)]
pub async fn status(
    State(state): State<AppState>,
    client: Client,
    Json(request): Json<StatusRequest>,
) -> Result<Response, ApiError> {
    limits::check(&state, &limits::LOOKUPS, &client).await?;
    let found = petitions::status(&state, &request.folio, &request.code)
        .await?
        .ok_or_else(|| ApiError::not_found("No hay una petición con ese folio y ese código."))?;
    let (answer, answered_on) = found.answer.map_or((None, None), |(text, on)| {
        (Some(text), Some(on.to_string()))
    });
    let detail = StatusDetail {
        folio: found.folio.to_string(),
        kind: KindCode(found.kind),
        state: StateCode(found.state),
        received_at: found.received_at.to_string(),
        status: PetitionStatus::of(&found.status),
        answer,
        answered_on,
    };
    Ok((
        [(header::CACHE_CONTROL, HeaderValue::from_static("no-store"))],
        Json(detail),
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use serde_json::Value;
    use turno_domain::citizen::{MAX_NARRATIVE_CHARS, MAX_SHORT_TEXT_CHARS};
    use turno_domain::engine::MAX_TURN_DAYS;

    /// The texts of a request's schema that no maximum length, enumeration or format bounds.
    fn unbounded(schema: &Value, schemas: &Value, at: &str, found: &mut Vec<String>) {
        if let Some(name) = schema["$ref"].as_str() {
            let name = name.trim_start_matches("#/components/schemas/");
            return unbounded(&schemas[name], schemas, name, found);
        }
        for key in ["allOf", "oneOf", "anyOf"] {
            for part in schema[key].as_array().into_iter().flatten() {
                unbounded(part, schemas, at, found);
            }
        }
        for (name, property) in schema["properties"].as_object().into_iter().flatten() {
            unbounded(property, schemas, &format!("{at}.{name}"), found);
        }
        let text = match &schema["type"] {
            Value::String(t) => t == "string",
            Value::Array(types) => types.iter().any(|t| t == "string"),
            _ => false,
        };
        let bounded = schema["maxLength"].is_u64()
            || schema["enum"].is_array()
            || matches!(schema["format"].as_str(), Some("date" | "binary"));
        if text && !bounded {
            found.push(at.to_owned());
        }
    }

    /// What a schema-driven client relies on: every petition operation documents its answers
    /// (401 with a token, 500, a body's 400 or 422, a JSON body's 413 and 415), bounds every
    /// text it takes, and states the limits the domain and the engine enforce.
    #[test]
    fn the_document_states_the_petitions_answers_and_limits() {
        let document = serde_json::to_value(super::super::openapi()).unwrap();
        let schemas = &document["components"]["schemas"];
        let mut wrong = Vec::new();
        let mut operations = 0;
        for (path, item) in document["paths"].as_object().unwrap() {
            if !path.starts_with("/api/v1/petitions") {
                continue;
            }
            for (method, operation) in item.as_object().unwrap() {
                operations += 1;
                let at = format!("{} {path}", method.to_uppercase());
                let documents = |status: &str| operation["responses"][status].is_object();
                if operation["tags"] != serde_json::json!(["peticiones"]) {
                    wrong.push(format!("{at}: not tagged «peticiones»"));
                }
                match operation["security"].is_array() {
                    true if !documents("401") => wrong.push(format!("{at}: no 401")),
                    false
                        if !["/api/v1/petitions/status", "/api/v1/petitions/mailbox"]
                            .contains(&path.as_str()) =>
                    {
                        wrong.push(format!("{at}: public"));
                    }
                    _ => {}
                }
                if !documents("500") {
                    wrong.push(format!("{at}: no 500"));
                }
                let Some(content) = operation["requestBody"]["content"].as_object() else {
                    continue;
                };
                if !documents("400") || !documents("422") || !documents("413") {
                    wrong.push(format!("{at}: a body, without 400, 422 and 413"));
                }
                for (media, body) in content {
                    if media == "application/json" && !documents("415") {
                        wrong.push(format!("{at}: a JSON body, and no 415"));
                    }
                    let mut found = Vec::new();
                    unbounded(&body["schema"], schemas, &at, &mut found);
                    wrong.extend(found.into_iter().map(|f| format!("{f}: no maxLength")));
                }
            }
        }
        assert_eq!(operations, 13);
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
        // A property of the schema, or of one of its parts (a flattened struct's).
        let limit = |schema: &str, property: &str, key: &str| {
            let schema = &schemas[schema];
            std::iter::once(schema)
                .chain(schema["allOf"].as_array().into_iter().flatten())
                .find_map(|part| part["properties"][property][key].as_u64())
                .unwrap()
        };
        let (short, long) = (MAX_SHORT_TEXT_CHARS as u64, MAX_NARRATIVE_CHARS as u64);
        for (schema, property, key, expected) in [
            ("PetitionTexts", "narrative", "maxLength", long),
            ("PetitionTexts", "health_unit", "maxLength", short),
            ("PetitionTexts", "name", "maxLength", short),
            ("PetitionTexts", "address", "maxLength", short),
            ("RegisterForm", "sender", "maxLength", short),
            ("RegisterForm", "reference", "maxLength", short),
            ("ClassifyRequest", "answer", "maxLength", long),
            (
                "ClassifyRequest",
                "days",
                "maximum",
                u64::from(MAX_TURN_DAYS),
            ),
            ("FurRequest", "liaison", "maxLength", short),
            ("FurRequest", "actions", "maxLength", long),
            ("FurRequest", "answer", "maxLength", long),
            ("ReviewRequest", "observations", "maxLength", long),
            ("ReviewRequest", "days", "maximum", u64::from(MAX_TURN_DAYS)),
        ] {
            assert_eq!(
                limit(schema, property, key),
                expected,
                "{schema}.{property}"
            );
        }
        assert_eq!(
            schemas["RegisteredChannel"]["enum"],
            serde_json::json!(["telefono", "escrito", "otras"])
        );
        let states = &schemas["StateCode"]["enum"];
        assert_eq!(states.as_array().unwrap().len(), 32);
        assert_eq!(
            schemas["KindCode"]["enum"],
            serde_json::json!([
                "queja",
                "solicitud_informacion",
                "sugerencia",
                "reconocimiento",
                "gestion"
            ])
        );
    }
}
