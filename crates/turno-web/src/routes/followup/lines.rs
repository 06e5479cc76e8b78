//! `GET /seguimiento/{key}/lineas?formato=csv|xlsx`: a program's lines as one table (the
//! domain's `write_lines`: CSV neutralized by `to_csv`, XLSX strings, never formulas);
//! `POST /seguimiento/{key}/lineas`: lines added from CSV files or workbooks in that layout
//! (`turno_app::programs::import_lines`), every problem by file, row and column, nothing added
//! when there is any.

use super::load;
use crate::auth::csrf::CsrfMultipart;
use crate::error::AppError;
use crate::page::{Frame, flash};
use crate::state::AppState;
use crate::views::signed_in;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use turno_app::programs;
use turno_domain::followup::{to_csv, write_lines};
use turno_domain::text::count;

#[derive(Deserialize)]
pub struct Format {
    formato: Option<String>,
}

pub async fn get(
    State(state): State<AppState>,
    Path(key): Path<String>,
    Query(format): Query<Format>,
) -> Result<Response, AppError> {
    let program = load(&state, &key).await?;
    let rows = write_lines(&program, state.today());
    let (kind, extension, bytes) = match format.formato.as_deref() {
        Some("xlsx") => (
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "xlsx",
            turno_app::report::tables_xlsx(&[("Líneas".to_owned(), rows)])
                .map_err(anyhow::Error::from)?,
        ),
        _ => (
            "text/csv; charset=utf-8",
            "csv",
            format!("\u{feff}{}", to_csv(&rows)).into_bytes(),
        ),
    };
    Ok((
        [
            (header::CONTENT_TYPE, kind.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"lineas-{key}.{extension}\""),
            ),
        ],
        bytes,
    )
        .into_response())
}

pub async fn post(
    State(state): State<AppState>,
    frame: Frame,
    Path(key): Path<String>,
    CsrfMultipart(mut multipart): CsrfMultipart,
) -> Result<Response, AppError> {
    let bad = || AppError::BadRequest("No se recibió el formulario completo.".into());
    let user = signed_in(&frame)?;
    let mut files = Vec::new();
    while let Some(field) = multipart.next_field().await.map_err(|_| bad())? {
        let named = field.name() == Some("archivos");
        let file = field.file_name().map(crate::documents::file_name);
        let bytes = field.bytes().await.map_err(|_| bad())?;
        if let (true, Some(file)) = (named, file.filter(|f| !f.is_empty())) {
            files.push((file, bytes.to_vec()));
        }
    }
    let added = programs::import_lines(&state, user, &key, &files).await?;
    flash(
        &frame,
        &format!("Se agregaron {}.", count(added.len(), "línea", "líneas")),
    );
    Ok(Redirect::to(&format!("/seguimiento/{key}")).into_response())
}
