//! `GET /admin/unidades`: the organization's units; `POST /admin/unidades`: one unit created
//! or changed (a rename, a move or a new level from a date keeps the old form for what
//! happened before); and `POST /admin/unidades/importar`: a file of units (the repository's
//! TOML or CSV, docs/org-format.md) imported all or nothing, with every problem listed by
//! line.

use super::administrator;
use crate::auth::csrf::{CsrfForm, CsrfMultipart};
use crate::error::AppError;
use crate::forms::{Submitted, single};
use crate::page::flash;
use crate::page::{Frame, Layout};
use crate::state::AppState;
use askama::Template;
use axum::extract::State;
use axum::response::{Html, IntoResponse, Response};
use turno_app::units::{self, UnitChange};
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
    };
    Ok(Html(page.render().map_err(anyhow::Error::from)?).into_response())
}

pub async fn get(State(state): State<AppState>, frame: Frame) -> Result<Response, AppError> {
    administrator(&frame)?;
    page(&state, frame.layout, None).await
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
    let report = match String::from_utf8(bytes) {
        Err(_) => Report {
            problems: vec![format!(
                "{name}: el archivo no está en UTF-8; guárdelo como «CSV UTF-8» e inténtelo de nuevo."
            )],
            imported: None,
            file: name,
        },
        Ok(text) => match organization::import(&state.store, &[(&name, &text)], &admin.login).await
        {
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
        },
    };
    page(&state, frame.layout, Some(report)).await
}

/// `POST /admin/unidades`: one unit, new or changed (`turno_app::units`, as the API).
pub async fn save(
    State(state): State<AppState>,
    frame: Frame,
    CsrfForm(submitted): CsrfForm<Submitted>,
) -> Result<axum::response::Redirect, AppError> {
    let admin = administrator(&frame)?;
    let field = |name: &str| single(&submitted, name).unwrap_or_default();
    let code = field("codigo");
    let change = UnitChange {
        code,
        name: field("nombre"),
        level: field("nivel"),
        parent: field("superior"),
        siglas: field("siglas"),
        from: field("desde"),
    };
    units::save(&state, change, &admin.login).await?;
    flash(&frame, &format!("Unidad «{code}» guardada."));
    Ok(axum::response::Redirect::to("/admin/unidades"))
}
