//! `GET /seguimiento`: the follow-up programs; `POST /seguimiento/importar`: importing a
//! program's three tables (CSV files or workbooks) through the same reading as
//! `turno import asm`, with every problem by file, row and column (administrators only).

use crate::auth::csrf::CsrfMultipart;
use crate::error::AppError;
use crate::page::{Frame, Layout, flash};
use crate::state::AppState;
use crate::views::signed_in;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use turno_domain::followup::{Tables, missing, place, read_file};
use turno_store::followup::{self, Followup, ImportError, ProgramHead, ProgramImport};

#[derive(Template)]
#[template(path = "followup_list.html")]
struct ListPage {
    layout: Layout,
    programs: Vec<ProgramHead>,
    admin: bool,
    /// Whether the person may register a supervision (not only consult).
    may_act: bool,
    problems: Vec<String>,
}

async fn page(state: &AppState, frame: Frame, problems: Vec<String>) -> Result<ListPage, AppError> {
    let user = signed_in(&frame)?;
    let (admin, may_act) = (user.is_admin(), user.can_act());
    Ok(ListPage {
        programs: state.store.programs().await?,
        layout: frame.layout,
        admin,
        may_act,
        problems,
    })
}

pub async fn get(State(state): State<AppState>, frame: Frame) -> Result<Response, AppError> {
    let page = page(&state, frame, Vec::new()).await?;
    Ok(Html(page.render().map_err(anyhow::Error::from)?).into_response())
}

/// A program's key names the files it exports to, as on the command line.
fn plain_key(text: &str) -> bool {
    let plain = |c: char| c.is_alphanumeric() || matches!(c, '-' | '_' | '.');
    !text.is_empty() && !text.starts_with('.') && text.chars().all(plain)
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
    let mut problems = Vec::new();
    let mut unreadable = Vec::new();
    let mut tables = Vec::new();
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
            ("tablas", Some(file)) if !file.is_empty() => {
                match read_file(&file, &bytes, &mut problems) {
                    Ok(read) => tables.extend(read.into_iter().map(|t| (t, None))),
                    Err(e) => unreadable.push(e.to_string()),
                }
            }
            _ => {}
        }
    }
    if !plain_key(&key) || name.is_empty() {
        return Err(bad(
            "Escriba la clave (solo letras, dígitos, «-», «_» y «.») y el nombre del programa.",
        ));
    }
    let (slots, placed) = place(tables);
    problems.extend(placed);
    let mut report: Vec<String> = unreadable;
    if let Some(missing) = missing(&slots) {
        report.push(format!("{missing}."));
    }
    let refuse = async |state: &AppState, frame: Frame, report: Vec<String>| {
        let page = page(state, frame, report).await?;
        let html = page.render().map_err(anyhow::Error::from)?;
        Ok::<_, AppError>((StatusCode::UNPROCESSABLE_ENTITY, Html(html)).into_response())
    };
    let [Some(recommendations), Some(aspects), Some(activities)] = &slots else {
        report.extend(problems.iter().map(ToString::to_string));
        return refuse(&state, frame, report).await;
    };
    let tables = Tables {
        recommendations,
        aspects,
        activities,
    };
    if !problems.is_empty() || !report.is_empty() {
        // The tables' own problems too, so that one import names them all.
        if let Err(more) = turno_domain::followup::read_program(&name, tables) {
            problems.extend(more);
        }
        report.extend(problems.iter().map(ToString::to_string));
        return refuse(&state, frame, report).await;
    }
    match followup::import(&state.store, &key, &name, tables, &user.login).await {
        Ok((_, done)) => {
            let what = match done {
                ProgramImport::Created => "importado",
                ProgramImport::Replaced => "reemplazado",
                ProgramImport::Unchanged => "sin cambios",
            };
            flash(&frame, &format!("Programa {key}: {what}."));
            Ok(Redirect::to(&format!("/seguimiento/{key}")).into_response())
        }
        Err(ImportError::Invalid(found)) => {
            refuse(
                &state,
                frame,
                found.iter().map(ToString::to_string).collect(),
            )
            .await
        }
        Err(ImportError::Store(e)) => Err(e.into()),
    }
}
