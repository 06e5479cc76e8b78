//! `GET /procedimientos` and `GET /procedimientos/{key}`: the procedure catalog, each with its
//! manual sections and its diagram; `GET /procedimientos/{key}/diagrama.svg` and
//! `…/diagrama.pdf`: the diagram to download (and print at any size); `…/manual.docx` and
//! `…/manual.pdf`: the official manual (`turno_app::official_manual`, as the API's
//! `GET /api/v1/procedures/{key}/manual`); `…/proceso.bpmn`: the procedure as BPMN 2.0 for
//! modelers and BPMN engines (docs/bpmn.md).

use crate::error::AppError;
use crate::flowchart;
use crate::page::{Frame, Layout};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use std::sync::Arc;
use turno_domain::definition::{Assignment, Exit, Procedure, Route};

pub struct Listed {
    pub key: String,
    pub title: String,
    pub version: u32,
    pub activities: usize,
}

#[derive(Template)]
#[template(path = "catalog.html")]
struct CatalogPage {
    layout: Layout,
    procedures: Vec<Listed>,
}

pub async fn list(State(state): State<AppState>, frame: Frame) -> Result<Response, AppError> {
    let procedures = state
        .library
        .current()
        .newest()
        .map(|p| Listed {
            key: p.key.clone(),
            title: p.title.clone(),
            version: p.version,
            activities: p.activities.len(),
        })
        .collect();
    let page = CatalogPage {
        layout: frame.layout,
        procedures,
    };
    crate::page::html(&page)
}

pub struct ActivityRow {
    pub stage: String,
    pub number: String,
    pub text: String,
    pub responsible: String,
    pub flow: Option<String>,
    pub deadline: Option<String>,
}

#[derive(Template)]
#[template(path = "procedure.html")]
struct ProcedurePage {
    layout: Layout,
    p: Arc<Procedure>,
    activities: Vec<ActivityRow>,
    flowchart: String,
}

fn exit_text(p: &Procedure, exit: Exit) -> String {
    match exit {
        Exit::End => "TERMINA PROCEDIMIENTO".into(),
        Exit::Goto(id) => format!("sigue en {}", p.activity(id).number),
    }
}

pub async fn show(
    State(state): State<AppState>,
    frame: Frame,
    Path(key): Path<String>,
) -> Result<Response, AppError> {
    let p = procedure(&state, &key)?;
    let activities = p
        .activities
        .iter()
        .enumerate()
        .map(|(index, a)| {
            let stage = &p.stages[usize::from(a.stage)];
            let responsible = match &a.assignment {
                Assignment::Fixed(ids) => ids
                    .iter()
                    .map(|id| p.participant(*id).name.clone())
                    .collect::<Vec<_>>()
                    .join("; "),
                Assignment::FromField(field) => {
                    format!("Las unidades elegidas en «{}»", p.field(*field).label)
                }
            };
            let next_in_order = (index + 1 < p.activities.len())
                .then(|| turno_domain::definition::ActivityId(index as u16 + 1));
            let flow = match &a.route {
                Route::Decide { question, branches } => Some(format!(
                    "{question} {}",
                    branches
                        .iter()
                        .map(|b| format!("{}: {}", b.answer, exit_text(&p, b.exit)))
                        .collect::<Vec<_>>()
                        .join(" / ")
                )),
                Route::Continue(Exit::Goto(id)) if Some(*id) == next_in_order => None,
                Route::Continue(exit) => Some(exit_text(&p, *exit)),
            };
            let deadline = a.deadline.as_ref().map(|d| match d.on_expiry {
                Some(target) => format!(
                    "{}; si vence, sigue en {}",
                    d.text,
                    p.activity(target).number
                ),
                None => d.text.clone(),
            });
            ActivityRow {
                stage: format!("{} {}", stage.number, stage.name),
                number: a.manual_number.clone().unwrap_or_else(|| a.number.clone()),
                text: a.text.clone(),
                responsible,
                flow,
                deadline,
            }
        })
        .collect();
    let flowchart = flowchart::render(&p, &[]);
    let page = ProcedurePage {
        layout: frame.layout,
        p,
        activities,
        flowchart,
    };
    crate::page::html(&page)
}

/// The newest version of the procedure `key`, or 404.
fn procedure(state: &AppState, key: &str) -> Result<Arc<Procedure>, AppError> {
    state
        .library
        .current()
        .latest(key)
        .cloned()
        .ok_or(AppError::NotFound)
}

/// `GET /procedimientos/{key}/diagrama.svg`.
pub async fn svg(
    State(state): State<AppState>,
    Path(key): Path<String>,
) -> Result<Response, AppError> {
    let p = procedure(&state, &key)?;
    flowchart::download(&p, flowchart::Format::Svg).map_err(AppError::Internal)
}

/// `GET /procedimientos/{key}/diagrama.pdf`.
pub async fn pdf(
    State(state): State<AppState>,
    Path(key): Path<String>,
) -> Result<Response, AppError> {
    let p = procedure(&state, &key)?;
    flowchart::download(&p, flowchart::Format::Pdf).map_err(AppError::Internal)
}

/// The procedure's official manual (`turno_app::official_manual`) as a file in `format`.
async fn manual(
    state: &AppState,
    key: &str,
    format: crate::manual::Format,
) -> Result<Response, AppError> {
    let (p, manual) =
        turno_app::official_manual::official_manual(&state.library.current(), key, None)
            .map_err(|_| AppError::NotFound)?;
    // Drawing a long manual is CPU work: off the server's threads.
    tokio::task::spawn_blocking(move || crate::manual::download(&p, &manual, format))
        .await
        .map_err(|e| AppError::Internal(e.into()))?
        .map_err(AppError::Internal)
}

/// `GET /procedimientos/{key}/manual.docx`.
pub async fn manual_docx(
    State(state): State<AppState>,
    Path(key): Path<String>,
) -> Result<Response, AppError> {
    manual(&state, &key, crate::manual::Format::Docx).await
}

/// `GET /procedimientos/{key}/manual.pdf`.
pub async fn manual_pdf(
    State(state): State<AppState>,
    Path(key): Path<String>,
) -> Result<Response, AppError> {
    manual(&state, &key, crate::manual::Format::Pdf).await
}

/// `GET /procedimientos/{key}/proceso.bpmn`: the newest version as BPMN 2.0 with its diagram
/// (`turno_app::library::bpmn`), as the API's `GET /api/v1/procedures/{key}/bpmn` gives it.
pub async fn bpmn(
    State(state): State<AppState>,
    Path(key): Path<String>,
) -> Result<Response, AppError> {
    let file = turno_app::library::bpmn(&state.library.current(), &key, None)?;
    crate::documents::file_response("application/xml", &file.name, file.xml.into_bytes())
        .map_err(|e| AppError::Internal(e.into()))
}
