//! `POST /api/v1/correspondence/incoming/import`: a unit's existing register of incoming
//! documents, CSV or XLSX, imported as `turno import correspondence` does, through the same use
//! case (`turno_app::correspondence::import`): every row checked as the registration checks it,
//! all of it or nothing, every problem with its row and column.

use crate::api::auth::ApiUser;
use crate::api::error::{ApiError, ErrorBody, FieldError};
use crate::api::petition_import::unreadable;
use crate::state::AppState;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use turno_app::correspondence::import::{
    ImportProblem, ImportRefused, MAX_FILE_BYTES, RegisterFile, import_register,
};
use turno_app::limits;
use utoipa::ToSchema;

/// The parts of an import (`multipart/form-data`).
#[derive(Debug, Default, ToSchema)]
// An unknown part is refused (`additionalProperties: false`).
#[serde(deny_unknown_fields)]
pub struct RegisterUpload {
    /// The register, CSV (UTF-8, comma-separated) or XLSX (its first sheet), by its name's
    /// extension: a header row (docs/correspondence.md) and a document a row.
    #[schema(value_type = String, format = Binary, content_media_type = "application/octet-stream", required = true)]
    pub file: Option<(String, Vec<u8>)>,
    /// The registering unit of the rows that name none in a column «Unidad».
    #[schema(value_type = Option<String>, max_length = 40, example = "SIDSS-ST")]
    pub unit: String,
}

/// What an import registered.
#[derive(Debug, Serialize, ToSchema)]
pub struct RegisterImported {
    #[schema(example = "registro-2026.csv")]
    pub file_name: String,
    /// The folios given, in the file's order.
    #[schema(example = json!(["CE-2026-000101", "CE-2026-000102"]))]
    pub folios: Vec<String>,
    /// The turns given with them.
    pub turns: usize,
}

/// A problem of the file, with its row and column.
#[derive(Debug, Serialize, ToSchema)]
pub struct RowProblem {
    /// The row as the spreadsheet shows it (1 is the header); none for the file as a whole.
    #[schema(example = 3)]
    pub row: Option<usize>,
    /// The column as the file names it; none for the whole row or file.
    #[schema(example = "Asunto")]
    pub field: Option<String>,
    #[schema(example = "Escriba el asunto.")]
    pub reason: String,
}

/// A register refused: `invalid_file`, every problem as text (as other imports give them)
/// and with its row and column apart (`rows`).
#[derive(Debug, Serialize, ToSchema)]
pub struct RegisterProblems {
    #[schema(example = "El archivo tiene errores; no se importó nada.")]
    pub error: String,
    #[schema(example = "invalid_file")]
    pub code: String,
    /// Each problem as `archivo: fila N: Columna: motivo`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub problems: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub rows: Vec<RowProblem>,
}

/// Imports a unit's register of incoming documents: each row is registered with the next
/// folio, as the form registers one, and turned to the units of its «Turnado a» with its
/// «Instrucción». A file with any problem imports nothing, and `rows` names every one with its
/// row and column.
#[utoipa::path(
    post,
    path = "/api/v1/correspondence/incoming/import",
    operation_id = "import_incoming_register",
    tag = "correspondencia",
    request_body(content = RegisterUpload, content_type = "multipart/form-data"),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Importado", body = RegisterImported),
        (status = 403, description = "El papel de consulta no importa correspondencia", body = ErrorBody),
        (status = 413, description = "El archivo pasa del tamaño máximo", body = ErrorBody),
        (status = 422, description = "Una parte desconocida (`invalid_fields`, `fields`), o los problemas del archivo (`invalid_file`): falta, no es .csv ni .xlsx, sus encabezados o sus filas, cada uno con su fila y su columna (`rows`); no se importó nada", body = RegisterProblems),
    ),
)]
pub async fn import(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Response, ApiError> {
    if !user.can_act() {
        return Err(ApiError::forbidden(
            "Importan correspondencia las personas que actúan en una unidad; su papel solo \
             consulta.",
        ));
    }
    let mut multipart = multipart.map_err(|e| {
        ApiError::bad_request(format!(
            "El cuerpo debe ser multipart/form-data, con el archivo («file»): {}",
            e.body_text()
        ))
    })?;
    let mut upload = RegisterUpload::default();
    while let Some(mut part) = multipart.next_field().await.map_err(unreadable)? {
        match part.name().unwrap_or_default() {
            "file" => {
                let name = crate::documents::file_name(part.file_name().unwrap_or_default());
                let mut content = Vec::new();
                while let Some(chunk) = part.chunk().await.map_err(unreadable)? {
                    content.extend_from_slice(&chunk);
                    // Refused as it arrives: the import's memory is bounded.
                    if content.len() > MAX_FILE_BYTES {
                        return Err(ApiError::too_large(format!(
                            "El archivo pasa de {} MiB: divídalo.",
                            MAX_FILE_BYTES >> 20
                        )));
                    }
                }
                upload.file = Some((name, content));
            }
            "unit" => {
                upload.unit = crate::forms::short_text(&mut part, 4 * limits::CODE)
                    .await
                    .map_err(unreadable)?
                    .filter(|t| t.chars().count() <= limits::CODE)
                    .ok_or_else(|| {
                        ApiError::invalid_fields(vec![FieldError::new(
                            "unit",
                            format!("Pasa de {} caracteres o no es texto UTF-8.", limits::CODE),
                        )])
                    })?;
            }
            other => {
                return Err(ApiError::invalid_fields(vec![FieldError::new(
                    other,
                    "Esta parte no es de la importación: envíe «file» y, si hace falta, «unit».",
                )]));
            }
        }
    }
    let (name, content) = upload.file.unwrap_or_default();
    let file_name = name.clone();
    match import_register(&state, &user, RegisterFile { name, content }, &upload.unit).await {
        Ok(done) => Ok(axum::Json(RegisterImported {
            file_name: done.file_name,
            folios: done.folios.iter().map(ToString::to_string).collect(),
            turns: done.turns,
        })
        .into_response()),
        Err(ImportRefused::Problems(problems)) => {
            let located = |p: &ImportProblem| match p.row {
                Some(_) => format!("{file_name}: {p}"),
                None => p.to_string(),
            };
            let body = RegisterProblems {
                error: "El archivo tiene errores; no se importó nada.".into(),
                code: "invalid_file".into(),
                problems: problems.iter().map(located).collect(),
                rows: problems
                    .into_iter()
                    .map(|p| RowProblem {
                        row: p.row,
                        field: p.field,
                        reason: p.message,
                    })
                    .collect(),
            };
            Ok((StatusCode::UNPROCESSABLE_ENTITY, axum::Json(body)).into_response())
        }
        Err(ImportRefused::Error(e)) => Err(e.into()),
    }
}
