//! `/api/v1/procedure-drafts`: drafts of procedure definitions read from an uploaded manual of
//! procedures or BPMN file, reviewed and published as new versions, as on
//! `/procedimientos/borradores` (`turno_app::procedure_drafts`): for administrators, each
//! change on the audit log under the token user's login.

use super::auth::ApiUser;
use super::error::{ApiError, ErrorBody, FieldError, Json, Path};
use crate::state::AppState;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use turno_app::limits;
use turno_app::procedure_drafts::{self as drafts, Review, Upload, administering};
use turno_store::procedure_drafts::ProcedureDraftHead;
use utoipa::ToSchema;

/// A draft as listed.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProcedureDraftSummary {
    pub id: i64,
    /// The key the import gave the draft.
    #[schema(example = "manual-2")]
    pub key: String,
    /// `manual` (a manual of procedures, PDF or text) or `bpmn`.
    #[schema(example = "manual")]
    pub source: String,
    #[schema(example = "manual-sidss.txt")]
    pub file_name: String,
    /// `borrador`, `publicado` or `descartado`.
    #[schema(example = "borrador")]
    pub state: String,
    /// Login of who uploaded it, and when (RFC 3339).
    pub created_by: String,
    pub created_at: String,
    /// Login of who changed it last, and when.
    pub changed_by: String,
    pub changed_at: String,
    /// The key and version it was published as.
    pub published_key: Option<String>,
    pub published_version: Option<i64>,
}

impl From<ProcedureDraftHead> for ProcedureDraftSummary {
    fn from(h: ProcedureDraftHead) -> ProcedureDraftSummary {
        let (published_key, published_version) = h.published.unzip();
        ProcedureDraftSummary {
            id: h.id,
            key: h.key,
            source: h.source.as_str().to_owned(),
            file_name: h.file_name,
            state: h.state.as_str().to_owned(),
            created_by: h.created_by,
            created_at: h.created_at,
            changed_by: h.changed_by,
            changed_at: h.changed_at,
            published_key,
            published_version,
        }
    }
}

/// A problem of a draft's definition.
#[derive(Debug, Serialize, ToSchema)]
pub struct DefinitionProblem {
    /// The line of the definition (none: of the whole text).
    pub line: Option<usize>,
    pub message: String,
}

/// A draft with its texts and what the definition's validator says of it now.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProcedureDraftDetail {
    #[serde(flatten)]
    pub summary: ProcedureDraftSummary,
    /// The uploaded file's SHA-256 in the blob store.
    pub file_sha256: String,
    /// The manual's text or the BPMN XML the draft was read from.
    pub source_text: String,
    /// The draft definition (TOML, docs/procedure-format.md).
    pub definition: String,
    /// The import's review report: what the reader could not decide, with page and line.
    pub report: String,
    /// The definition's problems now, by line; none: it may be published.
    pub problems: Vec<DefinitionProblem>,
    /// The key and version the definition states, when it has no problems.
    pub procedure_key: Option<String>,
    pub procedure_version: Option<u32>,
    /// The newest version published of that key.
    pub newest_published_version: Option<u32>,
}

impl From<Review> for ProcedureDraftDetail {
    fn from(r: Review) -> ProcedureDraftDetail {
        let d = r.draft;
        ProcedureDraftDetail {
            summary: d.head.into(),
            file_sha256: d.file_sha256,
            source_text: d.source_text,
            definition: d.definition,
            report: d.report,
            problems: r
                .problems
                .into_iter()
                .map(|p| DefinitionProblem {
                    line: p.line,
                    message: p.message,
                })
                .collect(),
            procedure_key: r.procedure.as_ref().map(|p| p.key.clone()),
            procedure_version: r.procedure.as_ref().map(|p| p.version),
            newest_published_version: r.newest,
        }
    }
}

/// Every draft, the newest first.
#[utoipa::path(
    get,
    path = "/api/v1/procedure-drafts",
    operation_id = "list_procedure_drafts",
    tag = "procedimientos",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Los borradores", body = [ProcedureDraftSummary]),
        (status = 401, description = "Sin token válido", body = ErrorBody),
        (status = 403, description = "Solo los administradores ven los borradores", body = ErrorBody),
    ),
)]
pub async fn list(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
) -> Result<Json<Vec<ProcedureDraftSummary>>, ApiError> {
    Ok(Json(
        drafts::list(&state, &user)
            .await?
            .into_iter()
            .map(ProcedureDraftSummary::from)
            .collect(),
    ))
}

/// The kinds of file a draft is read from.
fn draft_kinds() -> utoipa::openapi::schema::Object {
    utoipa::openapi::schema::ObjectBuilder::new()
        .schema_type(utoipa::openapi::schema::Type::String)
        .enum_values(Some(["manual", "bpmn"]))
        .examples(["manual"])
        .build()
}

/// The parts of an upload (`multipart/form-data`).
#[derive(Debug, Default, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProcedureDraftUpload {
    /// `manual`: a manual of procedures (PDF or UTF-8 text) in the Guía técnica's format;
    /// `bpmn`: a BPMN 2.0 file.
    #[schema(schema_with = draft_kinds)]
    pub kind: String,
    /// How the keys of a manual's drafts begin (`cnpss` → `cnpss-91`); none: `manual`.
    #[schema(value_type = Option<String>, max_length = 10, example = "sidss")]
    pub prefix: String,
    /// The file.
    #[schema(value_type = String, format = Binary, content_media_type = "application/octet-stream", required = true)]
    pub file: Option<(String, Vec<u8>)>,
}

/// Reads a manual (one draft per procedure) or a BPMN file into drafts, with their review
/// reports; answers the drafts made. A file that cannot be read makes none.
#[utoipa::path(
    post,
    path = "/api/v1/procedure-drafts",
    operation_id = "upload_procedure_drafts",
    tag = "procedimientos",
    request_body(content = ProcedureDraftUpload, content_type = "multipart/form-data"),
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Los borradores leídos del archivo", body = [ProcedureDraftSummary]),
        (status = 400, description = "El cuerpo no es multipart/form-data legible", body = ErrorBody),
        (status = 401, description = "Sin token válido", body = ErrorBody),
        (status = 403, description = "Solo los administradores cargan borradores", body = ErrorBody),
        (status = 413, description = "El archivo pasa del tamaño máximo del almacén de archivos", body = ErrorBody),
        (status = 422, description = "Una parte desconocida, un tipo que no es `manual` ni `bpmn`, un prefijo mal escrito, o un archivo que falta o no se puede leer (`fields`); no se guardó nada", body = ErrorBody),
    ),
)]
pub async fn upload(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<(StatusCode, Json<Vec<ProcedureDraftSummary>>), ApiError> {
    // Who may upload is checked before the upload is read.
    administering(&user)?;
    let mut multipart = multipart.map_err(|e| {
        ApiError::bad_request(format!(
            "El cuerpo debe ser multipart/form-data, con el tipo («kind») y el archivo \
             («file»): {}",
            e.body_text()
        ))
    })?;
    let unreadable = super::petition_import::unreadable;
    let mut upload = ProcedureDraftUpload::default();
    while let Some(mut part) = multipart.next_field().await.map_err(unreadable)? {
        let name = part.name().unwrap_or_default().to_owned();
        match name.as_str() {
            "file" => {
                let file_name = crate::documents::file_name(part.file_name().unwrap_or_default());
                let content = part.bytes().await.map_err(unreadable)?.to_vec();
                upload.file = Some((file_name, content));
            }
            "kind" | "prefix" => {
                let text = crate::forms::short_text(&mut part, 4 * limits::KEY_PREFIX)
                    .await
                    .map_err(unreadable)?
                    .ok_or_else(|| {
                        ApiError::invalid_fields(vec![FieldError::new(
                            &name,
                            "Es demasiado largo o no es texto UTF-8.",
                        )])
                    })?;
                if name == "kind" {
                    upload.kind = text;
                } else {
                    upload.prefix = text;
                }
            }
            other => {
                return Err(ApiError::invalid_fields(vec![FieldError::new(
                    other,
                    "Esta parte no es de la carga: envíe «kind», «file» y, si hace falta, \
                     «prefix».",
                )]));
            }
        }
    }
    let (file_name, content) = upload.file.unwrap_or_default();
    let sent = Upload {
        kind: &upload.kind,
        prefix: &upload.prefix,
        file_name: &file_name,
        content: &content,
    };
    let ids = drafts::upload(&state, &user, sent).await?;
    let made = drafts::list(&state, &user)
        .await?
        .into_iter()
        .filter(|d| ids.contains(&d.id))
        .rev()
        .map(ProcedureDraftSummary::from)
        .collect();
    Ok((StatusCode::CREATED, Json(made)))
}

/// A draft with its source text, its definition, its review report and its problems now.
#[utoipa::path(
    get,
    path = "/api/v1/procedure-drafts/{id}",
    operation_id = "get_procedure_draft",
    tag = "procedimientos",
    params(("id" = i64, Path, description = "El número del borrador")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "El borrador", body = ProcedureDraftDetail),
        (status = 401, description = "Sin token válido", body = ErrorBody),
        (status = 403, description = "Solo los administradores ven los borradores", body = ErrorBody),
        (status = 404, description = "No existe ese borrador", body = ErrorBody),
    ),
)]
pub async fn show(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
) -> Result<Json<ProcedureDraftDetail>, ApiError> {
    Ok(Json(drafts::review(&state, &user, id).await?.into()))
}

/// A draft's definition as edited.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DraftDefinition {
    /// The definition (TOML, docs/procedure-format.md).
    #[schema(max_length = 400_000, example = "key = \"manual-2\"\nversion = 1\n…")]
    pub definition: String,
}

/// Saves the draft's definition after checking it as publishing would; a definition with
/// problems is not saved, and `fields` tells each problem with its line (`definition`).
#[utoipa::path(
    put,
    path = "/api/v1/procedure-drafts/{id}",
    operation_id = "save_procedure_draft",
    tag = "procedimientos",
    params(("id" = i64, Path, description = "El número del borrador")),
    request_body = DraftDefinition,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Guardado", body = ProcedureDraftDetail),
        (status = 401, description = "Sin token válido", body = ErrorBody),
        (status = 403, description = "Solo los administradores cambian los borradores", body = ErrorBody),
        (status = 404, description = "No existe ese borrador", body = ErrorBody),
        (status = 409, description = "El borrador ya se publicó o se descartó", body = ErrorBody),
        (status = 422, description = "La definición tiene problemas (`fields`, cada uno con su línea); no se guardó", body = ErrorBody),
    ),
)]
pub async fn save(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    Json(request): Json<DraftDefinition>,
) -> Result<Json<ProcedureDraftDetail>, ApiError> {
    Ok(Json(
        drafts::save(&state, &user, id, &request.definition)
            .await?
            .into(),
    ))
}

/// What a publication gave.
#[derive(Debug, Serialize, ToSchema)]
pub struct PublishedVersion {
    #[schema(example = "manual-2")]
    pub key: String,
    pub version: u32,
    pub title: String,
}

/// Publishes the draft's saved definition as the version it states, which must be newer than
/// every version published of its key. New cases start on it; running cases stay on theirs.
/// Every server on the database serves it within a second.
#[utoipa::path(
    post,
    path = "/api/v1/procedure-drafts/{id}/publish",
    operation_id = "publish_procedure_draft",
    tag = "procedimientos",
    params(("id" = i64, Path, description = "El número del borrador")),
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Publicado", body = PublishedVersion),
        (status = 401, description = "Sin token válido", body = ErrorBody),
        (status = 403, description = "Solo los administradores publican borradores", body = ErrorBody),
        (status = 404, description = "No existe ese borrador", body = ErrorBody),
        (status = 409, description = "El borrador ya se publicó o se descartó, o esa versión (o una posterior) de la clave ya está publicada", body = ErrorBody),
        (status = 422, description = "La definición guardada tiene problemas (`fields`, cada uno con su línea)", body = ErrorBody),
    ),
)]
pub async fn publish(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
) -> Result<(StatusCode, Json<PublishedVersion>), ApiError> {
    let published = drafts::publish(&state, &user, id, None).await?;
    Ok((
        StatusCode::CREATED,
        Json(PublishedVersion {
            key: published.key,
            version: published.version,
            title: published.title,
        }),
    ))
}

/// Discards the draft: it stays listed, and changes no more.
#[utoipa::path(
    post,
    path = "/api/v1/procedure-drafts/{id}/discard",
    operation_id = "discard_procedure_draft",
    tag = "procedimientos",
    params(("id" = i64, Path, description = "El número del borrador")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Descartado", body = ProcedureDraftSummary),
        (status = 401, description = "Sin token válido", body = ErrorBody),
        (status = 403, description = "Solo los administradores descartan borradores", body = ErrorBody),
        (status = 404, description = "No existe ese borrador", body = ErrorBody),
        (status = 409, description = "El borrador ya se publicó o se descartó", body = ErrorBody),
    ),
)]
pub async fn discard(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
) -> Result<Json<ProcedureDraftSummary>, ApiError> {
    drafts::discard(&state, &user, id).await?;
    Ok(Json(
        drafts::review(&state, &user, id).await?.draft.head.into(),
    ))
}
