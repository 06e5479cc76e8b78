//! `/peticiones/importar`: the call-center provider's daily file (procedure 96, 1.1), CSV or
//! XLSX, uploaded by the attention units (`access::may_work_petitions`). It goes the way of
//! `turno import calls`: the domain's `read_file` with the mapping typed as `campo=Columna`,
//! then the store's `import_calls`; a file with any problem writes nothing and the page lists
//! the problems by row, field and reason.

use crate::auth::csrf::CsrfMultipart;
use crate::error::AppError;
use crate::forms::single;
use crate::page::{Frame, Layout};
use crate::state::AppState;
use crate::views::signed_in;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use sha2::{Digest, Sha256};
use turno_app::access::may_work_petitions;
use turno_domain::citizen::calls::{ColumnMapping, FileFormat, Refused, RowProblem, read_file};
use turno_store::Petitions;
use turno_store::citizen::{CallImport, CallsImported};

/// Problems listed at most; the rest are counted.
const LISTED: usize = 100;

/// One line of the validation report.
pub struct Problem {
    pub row: String,
    pub field: String,
    pub reason: String,
}

impl From<&RowProblem> for Problem {
    fn from(p: &RowProblem) -> Problem {
        Problem {
            row: p.row.to_string(),
            field: p.field.map(|f| f.label().to_owned()).unwrap_or_default(),
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
    Ok((status, Html(page.render().map_err(anyhow::Error::from)?)).into_response())
}

pub async fn get(frame: Frame) -> Result<Response, AppError> {
    if !may_work_petitions(signed_in(&frame)?) {
        return Err(AppError::Forbidden);
    }
    page(ImportPage::new(frame.layout), StatusCode::OK)
}

pub async fn post(
    State(state): State<AppState>,
    frame: Frame,
    CsrfMultipart(mut multipart): CsrfMultipart,
) -> Result<Response, AppError> {
    let user = signed_in(&frame)?.clone();
    let (form, file) = crate::forms::with_file(&mut multipart, "archivo", "").await?;
    if !may_work_petitions(&user) {
        return Err(AppError::Forbidden);
    }
    let mut shown = ImportPage::new(frame.layout);
    shown.mapping = single(&form, "correspondencia")
        .unwrap_or_default()
        .to_owned();
    let mut mapping = ColumnMapping::default();
    let mut bad: Vec<Problem> = Vec::new();
    for line in shown.mapping.lines().filter(|l| !l.trim().is_empty()) {
        if let Err(e) = mapping.apply(line) {
            bad.push(Problem {
                row: String::new(),
                field: "correspondencia de columnas".into(),
                reason: e.to_string(),
            });
        }
    }
    if !bad.is_empty() {
        let total = bad.len();
        return page(shown.refused(bad, total), StatusCode::UNPROCESSABLE_ENTITY);
    }
    let Some((file_name, bytes)) = file.filter(|(name, b)| !name.is_empty() && !b.is_empty())
    else {
        return Err(AppError::BadRequest(
            "Elija el archivo que va a importar.".into(),
        ));
    };
    let Some(format) = FileFormat::of_name(&file_name) else {
        return Err(AppError::BadRequest(
            "El archivo debe ser .csv o .xlsx.".into(),
        ));
    };
    shown.file_name = crate::documents::file_name(&file_name);
    let file_sha256: [u8; 32] = Sha256::digest(&bytes).into();
    let today = state.today();
    // Reading a large file is CPU work: off the async threads.
    let read =
        tokio::task::spawn_blocking(move || read_file(format, &bytes, &mapping, today, |_| {}))
            .await
            .map_err(|e| anyhow::anyhow!("reading the call-center file: {e}"))?;
    let calls = match read {
        Ok(calls) => calls,
        Err(Refused::NotUtf8(e)) => {
            let problem = Problem {
                row: String::new(),
                field: String::new(),
                reason: e.to_string(),
            };
            return page(
                shown.refused(vec![problem], 1),
                StatusCode::UNPROCESSABLE_ENTITY,
            );
        }
        Err(Refused::Problems(problems)) => {
            let listed = problems.iter().take(LISTED).map(Problem::from).collect();
            return page(
                shown.refused(listed, problems.len()),
                StatusCode::UNPROCESSABLE_ENTITY,
            );
        }
    };
    let total = calls.len();
    let done = state
        .store
        .import_calls(CallImport {
            file_name: shown.file_name.clone(),
            file_sha256,
            imported_by: user.login.clone(),
            imported_at: state.clock.now(),
            calls,
            progress: Default::default(),
        })
        .await?;
    tracing::info!(file = %shown.file_name, total, added = done.added, by = %user.login, "call-center file imported");
    shown.imported = Some((total, done));
    page(shown, StatusCode::OK)
}
