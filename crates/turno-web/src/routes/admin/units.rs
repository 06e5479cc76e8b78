//! `GET /admin/unidades`: the organization's units; `POST /admin/unidades`: one unit created
//! or changed (a rename, a move or a new level from a date keeps the old form for what
//! happened before); and `POST /admin/unidades/importar`: a file of units (the repository's
//! TOML or CSV, docs/org-format.md) imported all or nothing, with every problem listed by
//! line.

use super::administrator;
use crate::auth::csrf::{CsrfForm, CsrfMultipart};
use crate::error::AppError;
use crate::forms::{Submitted, required, single};
use crate::page::flash;
use crate::page::{Frame, Layout};
use crate::state::AppState;
use askama::Template;
use axum::extract::State;
use axum::response::{Html, IntoResponse, Response};
use turno_domain::org::{Form, Level, UnitSpec, above_itself, is_code};
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
    let unreadable = |_| AppError::BadRequest("No se pudo leer el formulario enviado.".into());
    let mut file: Option<(String, Vec<u8>)> = None;
    while let Some(field) = multipart.next_field().await.map_err(unreadable)? {
        if field.name() == Some("archivo") {
            let name = crate::documents::file_name(field.file_name().unwrap_or("unidades"));
            file = Some((name, field.bytes().await.map_err(unreadable)?.to_vec()));
        }
    }
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

/// `POST /admin/unidades`: one unit, new or changed.
pub async fn save(
    State(state): State<AppState>,
    frame: Frame,
    CsrfForm(submitted): CsrfForm<Submitted>,
) -> Result<axum::response::Redirect, AppError> {
    let admin = administrator(&frame)?;
    let code = required(&submitted, "codigo", "Clave")?;
    if !is_code(code) {
        return Err(AppError::BadRequest(format!(
            "La clave «{code}» lleva mayúsculas sin acentos y dígitos, en partes unidas por guiones."
        )));
    }
    let name = required(&submitted, "nombre", "Nombre")?;
    let level: Level = required(&submitted, "nivel", "Nivel")?
        .parse()
        .map_err(|_| AppError::BadRequest("Ese nivel no existe.".into()))?;
    let parent = single(&submitted, "superior").map(str::to_owned);
    let from =
        match single(&submitted, "desde") {
            None => None,
            Some(text) => Some(text.parse::<jiff::civil::Date>().map_err(|_| {
                AppError::BadRequest(format!("«Desde» («{text}») no es una fecha."))
            })?),
        };
    let organization = state.store.organization().await?;
    if let Some(parent) = &parent {
        if !organization.iter().any(|u| &u.code == parent) {
            return Err(AppError::BadRequest(format!(
                "La unidad «{parent}» no existe."
            )));
        }
        let mut parents: std::collections::HashMap<&str, Option<&str>> = organization
            .iter()
            .map(|u| (u.code.as_str(), u.current.parent.as_deref()))
            .collect();
        parents.insert(code, Some(parent));
        if above_itself(code, &parents) {
            return Err(AppError::BadRequest(format!(
                "«{parent}» es «{code}» o depende de ella: no puede ser su unidad superior."
            )));
        }
    }
    let form = Form {
        name: name.to_owned(),
        parent,
        level,
        valid_from: from,
        valid_to: None,
    };
    let siglas = single(&submitted, "siglas").map(str::to_owned);
    let unit = match organization.into_iter().find(|u| u.code == code) {
        None => UnitSpec {
            code: code.to_owned(),
            siglas,
            manual_number: None,
            functions: Vec::new(),
            current: form,
            before: Vec::new(),
            merged_into: None,
        },
        Some(existing) => {
            let mut unit = match from {
                Some(from) => existing.changed_from(form, from),
                // Without a date it is a correction of the form in force.
                None => UnitSpec {
                    current: Form {
                        valid_from: existing.current.valid_from,
                        ..form
                    },
                    ..existing
                },
            };
            unit.siglas = siglas;
            unit
        }
    };
    state.store.import_units(&[unit], &admin.login).await?;
    flash(&frame, &format!("Unidad «{code}» guardada."));
    Ok(axum::response::Redirect::to("/admin/unidades"))
}
