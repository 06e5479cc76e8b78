//! `GET /seguimiento/{key}/lineas?formato=csv|xlsx`: a program's lines as one table (the
//! domain's `write_lines`: CSV neutralized by `to_csv`, XLSX strings, never formulas);
//! `POST /seguimiento/{key}/lineas`: lines added from CSV files or workbooks in that layout
//! (`turno_app::programs::import_lines`), every problem by file, row and column, nothing added
//! when there is any: the page is shown again (422) with every problem above the form and the
//! files held (`held`), so that they need not be chosen again.

use super::load;
use crate::auth::csrf::CsrfMultipart;
use crate::error::AppError;
use crate::forms::{Again, shown_again, values};
use crate::held;
use crate::page::{Frame, flash};
use crate::state::AppState;
use crate::views::signed_in;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use tower_sessions::Session;
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
    session: Session,
    Path(key): Path<String>,
    CsrfMultipart(mut multipart): CsrfMultipart,
) -> Result<Response, AppError> {
    let user = signed_in(&frame)?;
    let (submitted, sent) = crate::forms::with_files(&mut multipart, "archivos", "").await?;
    let mut files: Vec<(String, Vec<u8>)> = sent
        .into_iter()
        .filter(|(name, _)| !name.is_empty())
        .collect();
    // Without new files, those held for the form shown before.
    if files.is_empty() {
        for sha256 in values(&submitted, held::FIELD) {
            if let Some(file) = held::take(&state, &session, sha256).await? {
                files.push(file);
            }
        }
    }
    match programs::import_lines(&state, user, &key, &files).await {
        Ok(added) => {
            flash(
                &frame,
                &format!("Se agregaron {}.", count(added.len(), "línea", "líneas")),
            );
            Ok(Redirect::to(&format!("/seguimiento/{key}")).into_response())
        }
        Err(e) => {
            let again = Again::refused(Vec::new(), e, &[])?;
            let status = again.status();
            let mut kept = Vec::new();
            for (name, bytes) in &files {
                kept.extend(held::hold(&state, &session, name, bytes).await?);
            }
            let forms = super::program::Forms {
                import: again.messages().into_iter().map(str::to_owned).collect(),
                held: kept,
                ..Default::default()
            };
            let page = super::program::page(&state, frame, key, None, forms).await?;
            shown_again(status, &page)
        }
    }
}
