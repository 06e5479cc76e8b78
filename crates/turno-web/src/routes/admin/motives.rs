//! `/admin/motivos`: the catalog of motives that classify petitions (docs/citizen-format.md):
//! list, add (code, name, the types it applies to) and retire (`turno_app::motives`, as the
//! API), each change on the audit log.
//! A retired motive stays for the petitions classified with it.

use super::administrator;
use crate::auth::csrf::CsrfForm;
use crate::error::AppError;
use crate::forms::{Again, Submitted, required, shown_again, single, values};
use crate::page::{Frame, Layout, flash};
use crate::state::AppState;
use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use turno_app::{limits, motives};
use turno_domain::citizen::PetitionKind;
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
    max_code: usize,
    max_name: usize,
    /// The new motive's form, again when it was refused.
    adding: Again,
}

pub async fn get(State(state): State<AppState>, frame: Frame) -> Result<Response, AppError> {
    administrator(&frame)?;
    let page = page(&state, frame.layout, Again::default()).await?;
    crate::page::html(&page)
}

/// The page, with the new motive's form as sent when it was refused.
async fn page(state: &AppState, layout: Layout, adding: Again) -> Result<MotivesPage, AppError> {
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
    Ok(MotivesPage {
        rows,
        kinds: PetitionKind::ALL
            .iter()
            .map(|k| (k.code(), k.label()))
            .collect(),
        max_code: limits::CODE,
        max_name: limits::NAME,
        layout,
        adding,
    })
}

/// `POST /admin/motivos`: adds a motive, checked with the catalog it joins; refused, the form
/// again with every problem by its field and what was typed.
pub async fn add(
    State(state): State<AppState>,
    frame: Frame,
    CsrfForm(submitted): CsrfForm<Submitted>,
) -> Result<Response, AppError> {
    let admin = administrator(&frame)?;
    let kinds: Vec<String> = values(&submitted, "tipo")
        .into_iter()
        .map(str::to_owned)
        .collect();
    let field = |name: &str| single(&submitted, name).unwrap_or_default();
    let added = motives::add(
        &state,
        (field("clave"), field("nombre")),
        &kinds,
        &admin.login,
    )
    .await;
    match added {
        Ok(motive) => {
            flash(
                &frame,
                &format!("Se agregó el motivo «{}» ({}).", motive.name, motive.code),
            );
            Ok(Redirect::to("/admin/motivos").into_response())
        }
        Err(e) => {
            // The one conflict of adding a motive: its code is taken.
            let again =
                Again::refused(submitted, e, &["code", "name", "kinds"])?.conflict_about("code");
            let status = again.status();
            shown_again(status, &page(&state, frame.layout, again).await?)
        }
    }
}

/// `POST /admin/motivos/retirar`: retires a motive; it classifies no more.
pub async fn retire(
    State(state): State<AppState>,
    frame: Frame,
    CsrfForm(submitted): CsrfForm<Submitted>,
) -> Result<Redirect, AppError> {
    let admin = administrator(&frame)?;
    let code = required(&submitted, "clave", "Clave")?;
    motives::retire(&state, code, &admin.login).await?;
    flash(&frame, &format!("Se retiró el motivo {code}."));
    Ok(Redirect::to("/admin/motivos"))
}
