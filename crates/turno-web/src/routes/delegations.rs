//! `/suplencias`: a unit's titular names who acts in their place from one day to another,
//! with the written delegation (procedure 92, policy 3.5: "por escrito"); administrators may
//! do it for any titular. Everyone sees the suplencias they give or receive; administrators
//! see all. Revoking ends one early; both are on the audit log. The rules are
//! `turno_app::delegations`', as for `/api/v1/delegations`.

use crate::auth::csrf::{CsrfForm, CsrfMultipart};
use crate::error::AppError;
use crate::filters;
use crate::forms::{Again, shown_again, single};
use crate::held::{self, Held};
use crate::page::{Frame, Layout, flash};
use crate::state::AppState;
use crate::views::signed_in;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::de::IgnoredAny;
use tower_sessions::Session;
use turno_app::delegations::{self, Naming};
use turno_app::limits;
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
    max_text: usize,
    /// The new suplencia's form, again when it was refused.
    naming: Again,
    /// The oficio received with the refused form, held for it (`held.rs`).
    oficio: Option<Held>,
}

pub async fn get(State(state): State<AppState>, frame: Frame) -> Result<Response, AppError> {
    let page = page(&state, frame, Again::default(), None).await?;
    crate::page::html(&page)
}

/// The page, with the new suplencia's form as sent when it was refused.
async fn page(
    state: &AppState,
    frame: Frame,
    naming: Again,
    oficio: Option<Held>,
) -> Result<DelegationsPage, AppError> {
    let user = signed_in(&frame)?;
    let delegations = delegations::list(state, user).await?;
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
    Ok(DelegationsPage {
        admin: user.is_admin(),
        layout_login: user.login.clone(),
        delegations,
        titularships,
        people: people
            .into_iter()
            .filter(|p| p.user.active)
            .map(|p| (p.user.login, p.user.name))
            .collect(),
        today: state.today().to_string(),
        max_text: limits::TEXT,
        naming,
        oficio,
        layout: frame.layout,
    })
}

/// `POST /suplencias`: the form with the signed oficio (`turno_app::delegations::name`);
/// refused, the form again with every problem by its field, what was typed, and the oficio
/// held so that it need not be chosen again.
pub async fn create(
    State(state): State<AppState>,
    frame: Frame,
    session: Session,
    CsrfMultipart(mut multipart): CsrfMultipart,
) -> Result<Response, AppError> {
    let user = signed_in(&frame)?;
    let (form, sent) = crate::forms::with_file(&mut multipart, "oficio", "oficio.pdf").await?;
    // A new file wins (a file input left empty sends no bytes); without one, the file held
    // for the form shown before.
    let sent = sent.filter(|(_, bytes)| !bytes.is_empty());
    let document = match (sent, single(&form, held::FIELD)) {
        (Some(file), _) => Some(file),
        (None, Some(sha256)) => held::take(&state, &session, sha256).await?,
        (None, None) => None,
    };
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
            document_name: document_name.clone().unwrap_or_default(),
            document: document.clone(),
        },
    )
    .await;
    match named {
        Ok(named) => {
            flash(&frame, &format!("Suplencia n.º {} registrada.", named.id));
            Ok(Redirect::to("/suplencias").into_response())
        }
        Err(e) => {
            let shown = [
                "titular",
                "unit",
                "delegate",
                "starts_on",
                "ends_on",
                "reason",
                "document_name",
                "document",
            ];
            let again = Again::refused(form, e, &shown)?;
            let oficio = match (document_name, document) {
                (Some(name), Some(bytes)) if !bytes.is_empty() => {
                    held::hold(&state, &session, &name, &bytes).await?
                }
                _ => None,
            };
            let status = again.status();
            shown_again(status, &page(&state, frame, again, oficio).await?)
        }
    }
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
