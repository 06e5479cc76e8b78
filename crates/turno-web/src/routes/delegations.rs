//! `/suplencias`: a unit's titular names who acts in their place from one day to another,
//! with the written delegation (procedure 92, policy 3.5: "por escrito"); administrators may
//! do it for any titular. Everyone sees the suplencias they give or receive; administrators
//! see all. Revoking ends one early; both are on the audit log. The rules are
//! `turno_app::delegations`', as for `/api/v1/delegations`.

use crate::auth::csrf::{CsrfForm, CsrfMultipart};
use crate::error::AppError;
use crate::filters;
use crate::forms::{Submitted, single};
use crate::page::{Frame, Layout, flash};
use crate::state::AppState;
use crate::views::signed_in;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::de::IgnoredAny;
use turno_app::delegations::{self, Naming};
use turno_store::{Delegation, Role, Store};

#[derive(Template)]
#[template(path = "delegations.html")]
struct DelegationsPage {
    layout: Layout,
    admin: bool,
    layout_login: String,
    delegations: Vec<Delegation>,
    /// The (titular login, unit code, "name — unit name") a suplencia may be given for.
    titularships: Vec<(String, String, String)>,
    /// Everyone who may be named suplente: (login, name).
    people: Vec<(String, String)>,
    today: String,
}

pub async fn get(State(state): State<AppState>, frame: Frame) -> Result<Response, AppError> {
    let user = signed_in(&frame)?;
    let delegations = delegations::list(&state, user).await?;
    let people = state.store.people().await?;
    let titularships = people
        .iter()
        .filter(|p| user.is_admin() || p.user.login == user.login)
        .flat_map(|p| {
            p.memberships
                .iter()
                .filter(|m| m.role == Role::Titular)
                .map(|m| {
                    (
                        p.user.login.clone(),
                        m.unit_code.clone(),
                        format!("{} — {}", p.user.name, m.unit_name),
                    )
                })
        })
        .collect();
    let page = DelegationsPage {
        admin: user.is_admin(),
        layout_login: user.login.clone(),
        layout: frame.layout,
        delegations,
        titularships,
        people: people
            .into_iter()
            .filter(|p| p.user.active)
            .map(|p| (p.user.login, p.user.name))
            .collect(),
        today: state.today().to_string(),
    };
    Ok(Html(page.render().map_err(anyhow::Error::from)?).into_response())
}

/// `POST /suplencias`: the form with the signed oficio (`turno_app::delegations::name`).
pub async fn create(
    State(state): State<AppState>,
    frame: Frame,
    CsrfMultipart(mut multipart): CsrfMultipart,
) -> Result<Redirect, AppError> {
    let user = signed_in(&frame)?;
    let unreadable = |_| AppError::BadRequest("No se pudo leer el formulario enviado.".into());
    let mut form: Submitted = Vec::new();
    let mut document: Option<(String, Vec<u8>)> = None;
    while let Some(field) = multipart.next_field().await.map_err(unreadable)? {
        let name = field.name().unwrap_or_default().to_owned();
        if name == "oficio" {
            let file = crate::documents::file_name(field.file_name().unwrap_or("oficio.pdf"));
            let bytes = field.bytes().await.map_err(unreadable)?;
            document = Some((file, bytes.to_vec()));
        } else {
            form.push((name, field.text().await.map_err(unreadable)?));
        }
    }
    let text = |name: &str| single(&form, name).unwrap_or_default();
    // The titular and the unit come as one choice: «login UNIDAD».
    let (titular, unit) = text("titularidad")
        .split_once(' ')
        .unwrap_or((text("titularidad"), ""));
    let (document_name, document) = document.unzip();
    let named = delegations::name(
        &state,
        user,
        Naming {
            titular,
            delegate: text("suplente"),
            unit,
            starts_on: text("desde"),
            ends_on: text("hasta"),
            reason: text("motivo"),
            document_name: document_name.unwrap_or_default(),
            document,
        },
    )
    .await?;
    flash(&frame, &format!("Suplencia n.º {} registrada.", named.id));
    Ok(Redirect::to("/suplencias"))
}

/// `POST /suplencias/{id}/revocar`: by its titular or an administrator.
pub async fn revoke(
    State(state): State<AppState>,
    frame: Frame,
    Path(id): Path<i64>,
    _: CsrfForm<IgnoredAny>,
) -> Result<Redirect, AppError> {
    delegations::revoke(&state, signed_in(&frame)?, id).await?;
    flash(&frame, &format!("Suplencia n.º {id} revocada."));
    Ok(Redirect::to("/suplencias"))
}

/// `GET /suplencias/{id}/oficio`: the written delegation, to those it concerns.
pub async fn document(
    State(state): State<AppState>,
    frame: Frame,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let (delegation, content) = delegations::document(&state, signed_in(&frame)?, id).await?;
    crate::documents::scanned_response(&delegation.document_name, content)
}
