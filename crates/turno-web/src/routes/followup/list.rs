//! `GET /seguimiento`: the follow-up programs, and the forms to import one, register a
//! supervision or a program of agreements; `POST /seguimiento/importar`: importing a program's
//! three tables (CSV files or workbooks) through the same reading as `turno import asm`, with
//! every problem by file, row and column (administrators only).

use super::agreements::{ACTIVITY_ROWS, LINE_KINDS, LineForm, PROGRAM_KINDS, line_options};
use crate::auth::csrf::CsrfMultipart;
use crate::chooser::UnitGroups;
use crate::error::AppError;
use crate::filters;
use crate::page::{Frame, Layout, flash};
use crate::state::AppState;
use crate::views::signed_in;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use turno_app::programs;
use turno_store::followup::{Followup, ProgramHead, ProgramImport};

#[derive(Template)]
#[template(path = "followup_list.html")]
pub(super) struct ListPage {
    layout: Layout,
    programs: Vec<ProgramHead>,
    admin: bool,
    /// Whether the person may register a supervision or agreements (not only consult).
    may_act: bool,
    problems: Vec<String>,
    /// The units an agreement may be for, when the person may act.
    units: UnitGroups,
    activity_rows: usize,
    program_kinds: Vec<(&'static str, &'static str)>,
    /// Every kind of line: the first one's kind goes with the program's.
    line_kinds: Vec<(&'static str, String)>,
    /// The form registering a program, empty or shown again.
    line: LineForm,
}

/// The page, with the import's `problems` and the form registering a program as `line`.
pub(super) async fn page(
    state: &AppState,
    frame: Frame,
    problems: Vec<String>,
    line: LineForm,
) -> Result<ListPage, AppError> {
    let user = signed_in(&frame)?;
    let (admin, may_act) = (user.is_admin(), user.can_act());
    Ok(ListPage {
        programs: state.store.programs().await?,
        units: if may_act {
            UnitGroups::load(state, &[line.value("unidad")]).await?
        } else {
            UnitGroups::none()
        },
        activity_rows: ACTIVITY_ROWS,
        program_kinds: PROGRAM_KINDS.iter().map(|(v, k)| (*v, k.label())).collect(),
        line_kinds: line_options(&LINE_KINDS.map(|(_, k)| k)),
        layout: frame.layout,
        admin,
        may_act,
        problems,
        line,
    })
}

pub async fn get(State(state): State<AppState>, frame: Frame) -> Result<Response, AppError> {
    let page = page(&state, frame, Vec::new(), LineForm::default()).await?;
    crate::page::html(&page)
}

pub async fn import(
    State(state): State<AppState>,
    frame: Frame,
    CsrfMultipart(mut multipart): CsrfMultipart,
) -> Result<Response, AppError> {
    let bad = |m: &str| AppError::BadRequest(m.into());
    // Only administrators import: nobody else's files are read.
    let user = signed_in(&frame)?;
    if !user.is_admin() {
        return Err(AppError::Forbidden);
    }
    let (mut key, mut name) = (String::new(), String::new());
    let mut files = Vec::new();
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|_| bad("No se recibió el formulario completo."))?
    {
        let field_name = field.name().unwrap_or_default().to_owned();
        let file = field.file_name().map(crate::documents::file_name);
        let bytes = field
            .bytes()
            .await
            .map_err(|_| bad("No se recibió el formulario completo."))?;
        let text = || String::from_utf8_lossy(&bytes).trim().to_owned();
        match (field_name.as_str(), file) {
            ("clave", _) => key = text(),
            ("nombre", _) => name = text(),
            ("tablas", Some(file)) if !file.is_empty() => files.push((file, bytes.to_vec())),
            _ => {}
        }
    }
    match programs::import_tables(&state, user, &key, &name, &files).await {
        Ok(done) => {
            let what = match done {
                ProgramImport::Created => "importado",
                ProgramImport::Replaced => "reemplazado",
                ProgramImport::Unchanged => "sin cambios",
            };
            flash(&frame, &format!("Programa {key}: {what}."));
            Ok(Redirect::to(&format!("/seguimiento/{}", key.trim())).into_response())
        }
        Err(turno_app::Error::InvalidFile(report)) => {
            let page = page(&state, frame, report, LineForm::default()).await?;
            crate::page::html_with(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
        Err(other) => Err(other.into()),
    }
}
