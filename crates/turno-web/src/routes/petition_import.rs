//! `/peticiones/importar`: the call-center provider's daily file (procedure 96, 1.1), CSV or
//! XLSX, uploaded by the attention units, imported by `turno_app::petitions::import` (as
//! `POST /api/v1/petitions/import` does) with the mapping typed as `campo=Columna`; a file
//! with any problem writes nothing and the page lists the problems by row, field and reason.

use crate::auth::csrf::CsrfMultipart;
use crate::error::AppError;
use crate::forms::single;
use crate::page::{Frame, Layout};
use crate::state::AppState;
use crate::views::signed_in;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use turno_app::petitions::import::{CallFile, CallProblem, ImportRefused, import_calls, importing};
use turno_store::citizen::CallsImported;

/// Problems listed at most; the rest are counted.
const LISTED: usize = 100;

/// One line of the validation report.
pub struct Problem {
    pub row: String,
    pub field: String,
    pub reason: String,
}

impl From<&CallProblem> for Problem {
    fn from(p: &CallProblem) -> Problem {
        Problem {
            row: p.row.map(|r| r.to_string()).unwrap_or_default(),
            field: p.field.clone().unwrap_or_default(),
            reason: p.reason.clone(),
        }
    }
}

#[derive(Template)]
#[template(path = "petition_import.html")]
struct ImportPage {
    layout: Layout,
    mapping: String,
    file_name: String,
    problems: Vec<Problem>,
    more: usize,
    total_problems: usize,
    imported: Option<(usize, CallsImported)>,
}

impl ImportPage {
    fn new(layout: Layout) -> ImportPage {
        ImportPage {
            layout,
            mapping: String::new(),
            file_name: String::new(),
            problems: Vec::new(),
            more: 0,
            total_problems: 0,
            imported: None,
        }
    }

    fn refused(mut self, problems: Vec<Problem>, total: usize) -> ImportPage {
        self.more = total.saturating_sub(problems.len());
        self.total_problems = total;
        self.problems = problems;
        self
    }
}

fn page(page: ImportPage, status: StatusCode) -> Result<Response, AppError> {
    crate::page::html_with(status, &page)
}

pub async fn get(frame: Frame) -> Result<Response, AppError> {
    importing(signed_in(&frame)?)?;
    page(ImportPage::new(frame.layout), StatusCode::OK)
}

pub async fn post(
    State(state): State<AppState>,
    frame: Frame,
    CsrfMultipart(mut multipart): CsrfMultipart,
) -> Result<Response, AppError> {
    let user = signed_in(&frame)?.clone();
    let (form, file) = crate::forms::with_file(&mut multipart, "archivo", "").await?;
    let mut shown = ImportPage::new(frame.layout);
    shown.mapping = single(&form, "correspondencia")
        .unwrap_or_default()
        .to_owned();
    let (name, content) = file.unwrap_or_default();
    shown.file_name = name.clone();
    let file = CallFile {
        name,
        content,
        mapping: &shown.mapping,
    };
    match import_calls(&state, &user, file).await {
        Ok(filed) => {
            shown.imported = Some((filed.calls, filed.done));
            page(shown, StatusCode::OK)
        }
        Err(ImportRefused::Problems(problems)) => {
            let listed = problems.iter().take(LISTED).map(Problem::from).collect();
            page(
                shown.refused(listed, problems.len()),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
        }
        Err(ImportRefused::Error(e)) => Err(e.into()),
    }
}
