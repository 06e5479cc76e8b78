//! `/admin/motivos`: the catalog of motives that classify petitions (docs/citizen-format.md):
//! list, add (code, name, the types it applies to) and retire, each change on the audit log.
//! A retired motive stays for the petitions classified with it.

use super::administrator;
use crate::auth::csrf::CsrfForm;
use crate::error::AppError;
use crate::forms::{Submitted, required, values};
use crate::page::{Frame, Layout, flash};
use crate::state::AppState;
use askama::Template;
use axum::extract::State;
use axum::response::{Html, IntoResponse, Redirect, Response};
use turno_domain::citizen::{Motive, MotiveCatalog, PetitionKind};
use turno_store::Handling;

struct Row {
    code: String,
    name: String,
    kinds: String,
    active: bool,
}

#[derive(Template)]
#[template(path = "admin_motives.html")]
struct MotivesPage {
    layout: Layout,
    rows: Vec<Row>,
    kinds: Vec<(&'static str, &'static str)>,
}

pub async fn get(State(state): State<AppState>, frame: Frame) -> Result<Response, AppError> {
    administrator(&frame)?;
    let rows = state
        .store
        .motives()
        .await?
        .into_iter()
        .map(|m| Row {
            kinds: if m.kinds.is_empty() {
                "Todos".to_owned()
            } else {
                m.kinds
                    .iter()
                    .map(|k| k.label())
                    .collect::<Vec<_>>()
                    .join(", ")
            },
            code: m.code,
            name: m.name,
            active: m.active,
        })
        .collect();
    let page = MotivesPage {
        rows,
        kinds: PetitionKind::ALL
            .iter()
            .map(|k| (k.code(), k.label()))
            .collect(),
        layout: frame.layout,
    };
    Ok(Html(page.render().map_err(anyhow::Error::from)?).into_response())
}

/// `POST /admin/motivos`: adds a motive, checked with the catalog it joins.
pub async fn add(
    State(state): State<AppState>,
    frame: Frame,
    CsrfForm(submitted): CsrfForm<Submitted>,
) -> Result<Redirect, AppError> {
    let admin = administrator(&frame)?;
    let kinds = values(&submitted, "tipo")
        .into_iter()
        .map(|k| {
            k.parse::<PetitionKind>()
                .map_err(|e| AppError::BadRequest(e.to_string()))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let motive = Motive {
        code: required(&submitted, "clave", "Clave")?.to_owned(),
        name: required(&submitted, "nombre", "Nombre")?.to_owned(),
        kinds,
        active: true,
    };
    let mut catalog = state.store.motives().await?;
    catalog.push(motive.clone());
    MotiveCatalog::new(catalog).map_err(|problems| {
        AppError::BadRequest(
            problems
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("; "),
        )
    })?;
    state.store.add_motive(&motive, &admin.login).await?;
    flash(
        &frame,
        &format!("Se agregó el motivo «{}» ({}).", motive.name, motive.code),
    );
    Ok(Redirect::to("/admin/motivos"))
}

/// `POST /admin/motivos/retirar`: retires a motive; it classifies no more.
pub async fn retire(
    State(state): State<AppState>,
    frame: Frame,
    CsrfForm(submitted): CsrfForm<Submitted>,
) -> Result<Redirect, AppError> {
    let admin = administrator(&frame)?;
    let code = required(&submitted, "clave", "Clave")?;
    state.store.retire_motive(code, &admin.login).await?;
    flash(&frame, &format!("Se retiró el motivo {code}."));
    Ok(Redirect::to("/admin/motivos"))
}
