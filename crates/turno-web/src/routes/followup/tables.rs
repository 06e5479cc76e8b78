//! `GET /seguimiento/{key}/tablas`: the program's three tables in the layouts they are imported
//! from, as one workbook with the sign-off block (the domain's `followup::workbook`, as
//! `turno export asm --format xlsx` writes it); the PDF is `turno export asm --format pdf`.

use super::load;
use crate::error::AppError;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};

pub async fn get(
    State(state): State<AppState>,
    Path(key): Path<String>,
) -> Result<Response, AppError> {
    let program = load(&state, &key).await?;
    let bytes = turno_domain::followup::workbook(&program).map_err(anyhow::Error::from)?;
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_owned(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{key}.xlsx\""),
            ),
        ],
        bytes,
    )
        .into_response())
}
