//! `POST /api/v1/petitions/import`: the call-center provider's daily file (procedure 96, 1.1),
//! CSV or XLSX, imported as on `/peticiones/importar`, through the same use case
//! (`turno_app::petitions::import`): for the attention units and administrators, all or nothing,
//! every problem by row and field; under the uploads' body limit, as the page.

use super::auth::ApiUser;
use super::error::{ApiError, ErrorBody, FieldError, Json};
use crate::state::AppState;
use axum::extract::multipart::{MultipartError, MultipartRejection};
use axum::extract::{Multipart, State};
use serde::Serialize;
use turno_app::limits;
use turno_app::petitions::import::{CallFile, CallProblem, ImportRefused, import_calls, importing};
use utoipa::ToSchema;

/// The parts of an import (`multipart/form-data`).
#[derive(Debug, Default, ToSchema)]
// An unknown part is refused (`additionalProperties: false`).
#[serde(deny_unknown_fields)]
pub struct CallFileUpload {
    /// The provider's file, CSV (UTF-8) or XLSX (its first sheet), by its name's extension.
    #[schema(value_type = String, format = Binary, content_media_type = "application/octet-stream", required = true)]
    pub file: Option<(String, Vec<u8>)>,
    /// Where a column has another name than the provider's usual one: `campo=Columna`, one a
    /// line (`descripcion=Comentario`).
    #[schema(value_type = Option<String>, max_length = 4000, example = "descripcion=Comentario")]
    pub mapping: String,
}

/// What an import did.
#[derive(Debug, Serialize, ToSchema)]
pub struct CallsImport {
    /// The import's number.
    pub import_id: i64,
    #[schema(example = "llamadas-2026-03-02.csv")]
    pub file_name: String,
    /// The calls the file holds.
    pub calls: usize,
    /// The calls added as petitions.
    pub added: usize,
    /// The calls already imported before (by an earlier file), not added again.
    pub already: usize,
}

/// A multipart body that cannot be read: too large (413), or not multipart (400). Every
/// upload of a file to import answers so.
pub(crate) fn unreadable(e: MultipartError) -> ApiError {
    ApiError::unreadable(e, "El archivo pasa del tamaño máximo.")
}

/// Imports the call-center file, as the attention units do on `/peticiones/importar`: each call
/// becomes a petition with its folio; a call imported before is counted, not added again. A
/// file (or a mapping) with any problem imports nothing, and `problems` names every one, as
/// `archivo: fila N, campo: motivo`.
#[utoipa::path(
    post,
    path = "/api/v1/petitions/import",
    operation_id = "import_petition_calls",
    tag = "peticiones",
    request_body(content = CallFileUpload, content_type = "multipart/form-data"),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Importado", body = CallsImport),
        (status = 403, description = "Solo las unidades de atención ciudadana y los administradores importan el archivo", body = ErrorBody),
        (status = 413, description = "El archivo pasa del tamaño máximo del almacén de archivos", body = ErrorBody),
        (status = 422, description = "Una parte desconocida (`fields`), o los problemas del archivo (falta, no es .csv ni .xlsx, o su contenido) o de la correspondencia de columnas, cada uno con su fila y su campo (`problems`); no se importó nada", body = ErrorBody),
    ),
)]
pub async fn import(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Json<CallsImport>, ApiError> {
    // Who may import is checked before the upload is read.
    importing(&user)?;
    let mut multipart = multipart.map_err(|e| {
        ApiError::bad_request(format!(
            "El cuerpo debe ser multipart/form-data, con el archivo («file»): {}",
            e.body_text()
        ))
    })?;
    let mut upload = CallFileUpload::default();
    while let Some(mut part) = multipart.next_field().await.map_err(unreadable)? {
        match part.name().unwrap_or_default() {
            "file" => {
                let name = crate::documents::file_name(part.file_name().unwrap_or_default());
                let content = part.bytes().await.map_err(unreadable)?.to_vec();
                upload.file = Some((name, content));
            }
            "mapping" => {
                upload.mapping = crate::forms::short_text(&mut part, 4 * limits::TEXT)
                    .await
                    .map_err(unreadable)?
                    .filter(|t| t.chars().count() <= limits::TEXT)
                    .ok_or_else(|| {
                        ApiError::invalid_fields(vec![FieldError::new(
                            "mapping",
                            format!("Pasa de {} caracteres o no es texto UTF-8.", limits::TEXT),
                        )])
                    })?;
            }
            other => {
                return Err(ApiError::invalid_fields(vec![FieldError::new(
                    other,
                    "Esta parte no es de la importación: envíe «file» y, si hace falta, \
                     «mapping».",
                )]));
            }
        }
    }
    let (name, content) = upload.file.unwrap_or_default();
    let file_name = name.clone();
    let file = CallFile {
        name,
        content,
        mapping: &upload.mapping,
    };
    match import_calls(&state, &user, file).await {
        Ok(filed) => Ok(Json(CallsImport {
            import_id: filed.done.import_id,
            file_name: filed.file_name,
            calls: filed.calls,
            added: filed.done.added,
            already: filed.done.already,
        })),
        Err(ImportRefused::Problems(problems)) => {
            let located = |p: &CallProblem| match p.row {
                Some(_) => format!("{file_name}: {p}"),
                None => p.to_string(),
            };
            Err(ApiError::invalid_file(
                problems.iter().map(located).collect(),
            ))
        }
        Err(ImportRefused::Error(e)) => Err(e.into()),
    }
}
