//! `GET /admin/unidades`: the organization's units; `POST /admin/unidades`: one unit created
//! or changed (a rename, a move or a new level from a date keeps the old form for what
//! happened before); `GET /admin/unidades?editar=CLAVE` and `POST /admin/unidades/{code}`: a
//! unit of the list changed in place; and `POST /admin/unidades/importar`: a file of units
//! (TOML or CSV) imported all or nothing, with every problem listed by line. A form with
//! problems comes back with each next to its field and what was typed.

use super::administrator;
use crate::auth::csrf::{CsrfForm, CsrfMultipart};
use crate::error::AppError;
use crate::filters;
use crate::forms::{Submitted, single};
use crate::page::flash;
use crate::page::{Frame, Layout};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use turno_app::FieldProblem;
use turno_app::units::{self, UnitChange, UnitEdit};
use turno_domain::org::Level;
use turno_store::Store;
use turno_store::organization::{self, ImportError};

#[derive(Template)]
#[template(path = "admin_units.html")]
struct UnitsPage {
    layout: Layout,
    /// (code, name, level, parent code)
    units: Vec<(String, String, &'static str, String)>,
    levels: Vec<(&'static str, &'static str)>,
    report: Option<Report>,
    form: UnitForm,
}

/// The form of one unit: blank for a new one, a unit's values to change it in place, or what
/// was typed with each problem next to its field.
#[derive(Default)]
struct UnitForm {
    /// Changing this unit in place (its code cannot change); a new or any unit when false.
    editing: bool,
    code: String,
    name: String,
    siglas: String,
    level: String,
    parent: String,
    from: String,
    /// Each problem by the application's field name (`code`, `name`…).
    problems: Vec<FieldProblem>,
}

impl UnitForm {
    fn submitted(submitted: &Submitted) -> UnitForm {
        let field = |name: &str| single(submitted, name).unwrap_or_default().to_owned();
        UnitForm {
            editing: false,
            code: field("codigo"),
            name: field("nombre"),
            siglas: field("siglas"),
            level: field("nivel"),
            parent: field("superior"),
            from: field("desde"),
            problems: Vec::new(),
        }
    }

    /// The problem of the application's field `name`, if any (for the template).
    fn problem(&self, name: &str) -> Option<&str> {
        self.problems
            .iter()
            .find(|p| p.field == name)
            .map(|p| p.message.as_str())
    }
}

#[derive(Deserialize)]
pub struct Params {
    /// The unit whose form to show filled in, to change it.
    editar: Option<String>,
}

struct Report {
    file: String,
    imported: Option<String>,
    problems: Vec<String>,
}

async fn page(
    state: &AppState,
    layout: Layout,
    report: Option<Report>,
    form: UnitForm,
) -> Result<Response, AppError> {
    let units = state
        .store
        .organization()
        .await?
        .into_iter()
        .map(|u| {
            (
                u.code,
                u.current.name,
                u.current.level.label(),
                u.current.parent.unwrap_or_default(),
            )
        })
        .collect();
    let page = UnitsPage {
        layout,
        units,
        levels: Level::ALL.iter().map(|l| (l.as_str(), l.label())).collect(),
        report,
        form,
    };
    crate::page::html(&page)
}

pub async fn get(
    State(state): State<AppState>,
    frame: Frame,
    Query(params): Query<Params>,
) -> Result<Response, AppError> {
    administrator(&frame)?;
    let form = match params.editar.as_deref().map(str::trim) {
        None | Some("") => UnitForm::default(),
        Some(code) => {
            let organization = state.store.organization().await?;
            let unit = organization
                .into_iter()
                .find(|u| u.code == code)
                .ok_or(AppError::NotFound)?;
            UnitForm {
                editing: true,
                name: unit.current.name,
                siglas: unit.siglas.unwrap_or_default(),
                level: unit.current.level.as_str().to_owned(),
                parent: unit.current.parent.unwrap_or_default(),
                code: unit.code,
                ..UnitForm::default()
            }
        }
    };
    page(&state, frame.layout, None, form).await
}

/// The page again with the form as typed, each problem next to its field, when the application
/// refused its values; any other error as its page.
async fn refused(
    state: &AppState,
    layout: Layout,
    mut form: UnitForm,
    error: turno_app::Error,
) -> Result<Response, AppError> {
    let turno_app::Error::InvalidFields(problems) = error else {
        return Err(error.into());
    };
    form.problems = problems;
    let page = page(state, layout, None, form).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

pub async fn import(
    State(state): State<AppState>,
    frame: Frame,
    CsrfMultipart(mut multipart): CsrfMultipart,
) -> Result<Response, AppError> {
    let admin = administrator(&frame)?;
    let (_, file) = crate::forms::with_file(&mut multipart, "archivo", "unidades").await?;
    let Some((name, bytes)) = file.filter(|(_, b)| !b.is_empty()) else {
        return Err(AppError::BadRequest("Elija el archivo de unidades.".into()));
    };
    let report = match turno_domain::citizen::calls::utf8_text(&bytes) {
        Err(at) => Report {
            problems: vec![format!("{name}: {at}.")],
            imported: None,
            file: name,
        },
        Ok(text) => {
            match organization::import(&state.store, &[(&name, text)], &admin.login).await {
                Ok(counts) => Report {
                    imported: Some(format!(
                        "{} unidades nuevas, {} modificadas, {} sin cambios.",
                        counts.created, counts.changed, counts.unchanged
                    )),
                    problems: Vec::new(),
                    file: name,
                },
                Err(ImportError::Invalid(problems)) => Report {
                    problems: problems.iter().map(ToString::to_string).collect(),
                    imported: None,
                    file: name,
                },
                Err(ImportError::Store(e)) => return Err(e.into()),
            }
        }
    };
    page(&state, frame.layout, Some(report), UnitForm::default()).await
}

/// `POST /admin/unidades`: one unit, new or changed (`turno_app::units`, as the API).
pub async fn save(
    State(state): State<AppState>,
    frame: Frame,
    CsrfForm(submitted): CsrfForm<Submitted>,
) -> Result<Response, AppError> {
    let admin = administrator(&frame)?;
    let form = UnitForm::submitted(&submitted);
    let change = UnitChange {
        code: &form.code,
        name: &form.name,
        level: &form.level,
        parent: &form.parent,
        siglas: &form.siglas,
        from: &form.from,
    };
    if let Err(e) = units::save(&state, change, &admin.login).await {
        return refused(&state, frame.layout, form, e).await;
    }
    flash(&frame, &format!("Unidad «{}» guardada.", form.code));
    Ok(Redirect::to("/admin/unidades").into_response())
}

/// `POST /admin/unidades/{code}`: a unit of the list changed in place; its code stays.
pub async fn edit(
    State(state): State<AppState>,
    frame: Frame,
    Path(code): Path<String>,
    CsrfForm(submitted): CsrfForm<Submitted>,
) -> Result<Response, AppError> {
    let admin = administrator(&frame)?;
    let form = UnitForm {
        editing: true,
        code,
        ..UnitForm::submitted(&submitted)
    };
    let edit = UnitEdit {
        name: Some(&form.name),
        level: Some(&form.level),
        parent: Some(&form.parent),
        siglas: Some(&form.siglas),
        from: Some(&form.from),
    };
    let unit = match units::edit(&state, &form.code, edit, &admin.login).await {
        Ok(unit) => unit,
        Err(e) => return refused(&state, frame.layout, form, e).await,
    };
    flash(
        &frame,
        &format!("Unidad «{}» ({}) cambiada.", unit.current.name, unit.code),
    );
    Ok(Redirect::to("/admin/unidades").into_response())
}
