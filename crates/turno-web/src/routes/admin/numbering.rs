//! `GET /admin/unidades/{code}/numeracion`: how a unit numbers the documents it issues (its
//! siglas and format, the number they write), and `POST` to change them, for administrators.
//! The use case is `turno_app::correspondence::numbering::set`, as for
//! `PUT /api/v1/correspondence/numbering/{code}`; a refused form comes back with each problem
//! next to its field and what was typed.

use super::administrator;
use crate::auth::csrf::CsrfForm;
use crate::error::AppError;
use crate::forms::{Again, Submitted, shown_again, single};
use crate::page::{Frame, Layout, flash};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Redirect, Response};
use turno_app::correspondence::numbering::{self, InForce};
use turno_app::limits;

/// The form's fields, as the use case names them.
const FIELDS: [&str; 2] = ["siglas", "format"];

#[derive(Template)]
#[template(path = "admin_numbering.html")]
struct NumberingPage {
    layout: Layout,
    in_force: InForce,
    /// The number the numbering in force gives the first document of this year.
    example: String,
    form: Again,
    max_siglas: usize,
    max_format: usize,
}

async fn page(
    state: &AppState,
    layout: Layout,
    code: &str,
    form: Option<Again>,
) -> Result<NumberingPage, AppError> {
    let in_force = numbering::in_force(state, code).await?;
    let form = form.unwrap_or_else(|| {
        Again::filled(vec![
            ("siglas".to_owned(), in_force.numbering.siglas.clone()),
            (
                "format".to_owned(),
                in_force.numbering.format.as_str().to_owned(),
            ),
        ])
    });
    Ok(NumberingPage {
        example: in_force.example(state.today().year()),
        in_force,
        layout,
        form,
        max_siglas: limits::CODE,
        max_format: limits::NUMBER_FORMAT,
    })
}

/// `GET /admin/unidades/{code}/numeracion`.
pub async fn get(
    State(state): State<AppState>,
    frame: Frame,
    Path(code): Path<String>,
) -> Result<Response, AppError> {
    administrator(&frame)?;
    shown_again(
        StatusCode::OK,
        &page(&state, frame.layout, &code, None).await?,
    )
}

/// `POST /admin/unidades/{code}/numeracion`: `siglas` and `format`.
pub async fn save(
    State(state): State<AppState>,
    frame: Frame,
    Path(code): Path<String>,
    CsrfForm(form): CsrfForm<Submitted>,
) -> Result<Response, AppError> {
    let user = administrator(&frame)?.clone();
    let text = |name: &str| single(&form, name).unwrap_or_default().to_owned();
    match numbering::set(&state, &user, &code, &text("siglas"), &text("format")).await {
        Ok(in_force) => {
            flash(
                &frame,
                &format!(
                    "Numeración de {} guardada: el primer documento del año se numera {}.",
                    in_force.unit_name,
                    in_force.example(state.today().year())
                ),
            );
            Ok(axum::response::IntoResponse::into_response(Redirect::to(
                &format!("/admin/unidades/{code}/numeracion"),
            )))
        }
        Err(e) => {
            let again = Again::refused(form, e, &FIELDS)?;
            let status = again.status();
            shown_again(
                status,
                &page(&state, frame.layout, &code, Some(again)).await?,
            )
        }
    }
}
