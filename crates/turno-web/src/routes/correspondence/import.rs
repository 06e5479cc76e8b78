//! `/correspondencia/importar`: administrators import a unit's existing register of incoming
//! documents, CSV or XLSX, through the use case of `turno import correspondence` and
//! `POST /api/v1/correspondence/incoming/import` (`turno_app::correspondence::import`). First
//! the file is checked and nothing is written: every problem by row and column, or the
//! documents it would register (`preview_register`), the file held for the session
//! (`held`); then «Importar» imports the file held, all of it or nothing.

use crate::auth::csrf::CsrfMultipart;
use crate::error::AppError;
use crate::filters;
use crate::forms::single;
use crate::held;
use crate::page::{Frame, Layout, flash};
use crate::routes::admin::administrator;
use crate::routes::petition_import::Problem;
use crate::state::AppState;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use tower_sessions::Session;
use turno_app::correspondence::import::{
    ImportProblem, ImportRefused, Preview, RegisterFile, import_register, preview_register,
};
use turno_store::Store;

/// Problems listed at most; the rest are counted.
const LISTED: usize = 100;

#[derive(Template)]
#[template(path = "correspondence_import.html")]
struct ImportPage {
    layout: Layout,
    /// Every unit (code, name), for the registering unit of the rows that name none.
    units: Vec<(String, String)>,
    /// The unit chosen; empty: each row's «Unidad».
    unit: String,
    file_name: String,
    problems: Vec<Problem>,
    more: usize,
    total_problems: usize,
    /// The documents the file would register, and the digest of the file held for «Importar».
    preview: Option<(Preview, String)>,
}

impl ImportPage {
    async fn new(state: &AppState, layout: Layout, unit: &str) -> Result<ImportPage, AppError> {
        let units = state
            .store
            .units()
            .await?
            .into_iter()
            .map(|u| (u.code, u.name))
            .collect();
        Ok(ImportPage {
            layout,
            units,
            unit: unit.to_owned(),
            file_name: String::new(),
            problems: Vec::new(),
            more: 0,
            total_problems: 0,
            preview: None,
        })
    }

    /// The page with every problem (the first [`LISTED`] in the table): nothing was written.
    fn refused(mut self, problems: &[ImportProblem]) -> Result<Response, AppError> {
        self.total_problems = problems.len();
        self.more = problems.len().saturating_sub(LISTED);
        self.problems = problems
            .iter()
            .take(LISTED)
            .map(|p| Problem {
                row: p.row.map(|r| r.to_string()).unwrap_or_default(),
                field: p.field.clone().unwrap_or_default(),
                reason: p.message.clone(),
            })
            .collect();
        crate::page::html_with(StatusCode::UNPROCESSABLE_ENTITY, &self)
    }
}

pub async fn get(State(state): State<AppState>, frame: Frame) -> Result<Response, AppError> {
    administrator(&frame)?;
    let page = ImportPage::new(&state, frame.layout, "").await?;
    crate::page::html_with(StatusCode::OK, &page)
}

/// «Revisar el archivo» (`accion=revisar`, a file): checked, nothing written, held for the
/// session when it has no problem; «Importar» (`accion=importar`, the held file's digest):
/// imported, and the register shows it.
pub async fn post(
    State(state): State<AppState>,
    frame: Frame,
    session: Session,
    CsrfMultipart(mut multipart): CsrfMultipart,
) -> Result<Response, AppError> {
    let user = administrator(&frame)?.clone();
    let (form, file) = crate::forms::with_file(&mut multipart, "archivo", "").await?;
    let unit = single(&form, "unidad")
        .unwrap_or_default()
        .trim()
        .to_owned();
    if single(&form, "accion") == Some("importar") {
        let digest = single(&form, held::FIELD).unwrap_or_default();
        let Some((name, content)) = held::take(&state, &session, digest).await? else {
            let page = ImportPage::new(&state, frame.layout, &unit).await?;
            return page.refused(&[ImportProblem {
                row: None,
                field: None,
                message: "El archivo revisado ya no se conserva: elíjalo y revíselo de nuevo."
                    .into(),
            }]);
        };
        let file_name = name.clone();
        return match import_register(&state, &user, RegisterFile { name, content }, &unit).await {
            Ok(done) => {
                let documents = done.folios.len();
                let range = match (done.folios.first(), done.folios.last()) {
                    (Some(first), Some(last)) if documents > 1 => {
                        format!(", del {first} al {last}")
                    }
                    (Some(first), _) => format!(", {first}"),
                    _ => String::new(),
                };
                flash(
                    &frame,
                    &format!(
                        "{}: documentos importados: {documents}{range}; turnos: {}.",
                        done.file_name, done.turns,
                    ),
                );
                Ok(Redirect::to("/correspondencia").into_response())
            }
            Err(ImportRefused::Problems(problems)) => {
                let mut page = ImportPage::new(&state, frame.layout, &unit).await?;
                page.file_name = file_name;
                page.refused(&problems)
            }
            Err(ImportRefused::Error(e)) => Err(e.into()),
        };
    }
    let mut page = ImportPage::new(&state, frame.layout, &unit).await?;
    let (name, content) = file.unwrap_or_default();
    page.file_name = name.clone();
    let kept = content.clone();
    match preview_register(&state, &user, RegisterFile { name, content }, &unit).await {
        Ok(preview) => {
            let Some(held) = held::hold(&state, &session, &preview.file_name, &kept).await? else {
                return page.refused(&[ImportProblem {
                    row: None,
                    field: None,
                    message: "El archivo pasa del tamaño que se conserva entre la revisión y la \
                              importación: divídalo."
                        .into(),
                }]);
            };
            page.preview = Some((preview, held.sha256));
            crate::page::html_with(StatusCode::OK, &page)
        }
        Err(ImportRefused::Problems(problems)) => page.refused(&problems),
        Err(ImportRefused::Error(e)) => Err(e.into()),
    }
}
