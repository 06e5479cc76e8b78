//! `GET /api/v1/procedures/{key}/manual?format=docx|pdf`: a procedure's official manual in the
//! Guía técnica's format (the use case `turno_app::manual`), as the procedure's page links it
//! and `turno export manual` writes it.

use super::auth::ApiUser;
use super::error::{ApiError, ErrorBody, Path, Query};
use crate::state::AppState;
use axum::extract::State;
use serde::Deserialize;
use turno_app::official_manual::{ManualError, official_manual};
use utoipa::{IntoParams, ToSchema};

/// The formats of the manual.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum ManualFormat {
    /// A Word document (Office Open XML).
    Docx,
    /// A PDF, the diagram on a page of its own size.
    Pdf,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ManualQuery {
    /// A published version; the newest if not given.
    version: Option<u32>,
    format: ManualFormat,
}

/// A procedure's official manual: propósito, alcance, políticas, the activity table, the
/// swimlane diagram, referencias, registros, glosario, cambios and anexos.
#[utoipa::path(
    get,
    path = "/api/v1/procedures/{key}/manual",
    operation_id = "get_procedure_manual",
    tag = "procedimientos",
    params(
        ("key" = String, Path, description = "La clave del procedimiento", example = "sidss-informes-oficiales"),
        ManualQuery,
    ),
    responses(
        (status = 200, description = "El manual", content(
            ("application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
            ("application/pdf"),
        ), headers(("Content-Disposition" = String, description = "`attachment` con el nombre del archivo"))),
        (status = 404, description = "No existe ese procedimiento o esa versión", body = ErrorBody),
    ),
)]
pub async fn manual(
    State(state): State<AppState>,
    _user: ApiUser,
    Path(key): Path<String>,
    Query(query): Query<ManualQuery>,
) -> Result<axum::response::Response, ApiError> {
    let (procedure, manual) = official_manual(&state.library.current(), &key, query.version)
        .map_err(|e| match e {
            ManualError::UnknownProcedure { .. } | ManualError::UnknownVersion { .. } => {
                ApiError::not_found(e.to_string())
            }
        })?;
    let format = match query.format {
        ManualFormat::Docx => crate::manual::Format::Docx,
        ManualFormat::Pdf => crate::manual::Format::Pdf,
    };
    // Drawing a long manual is CPU work: off the server's threads.
    tokio::task::spawn_blocking(move || crate::manual::download(&procedure, &manual, format))
        .await
        .map_err(ApiError::internal)?
        .map_err(ApiError::internal)
}
