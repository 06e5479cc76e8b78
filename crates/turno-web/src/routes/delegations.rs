//! `/suplencias`: a unit's titular names who acts in their place from one day to another,
//! with the written delegation (procedure 92, policy 3.5: "por escrito"); administrators may
//! do it for any titular. Everyone sees the suplencias they give or receive; administrators
//! see all. Revoking ends one early; both are on the audit log.

use crate::auth::SignedIn;
use crate::auth::csrf::{CsrfForm, CsrfMultipart};
use crate::error::AppError;
use crate::forms::{Submitted, required};
use crate::page::{Frame, Layout, flash};
use crate::state::AppState;
use crate::views::signed_in;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use jiff::civil::Date;
use serde::de::IgnoredAny;
use turno_store::blobs::BlobStore;
use turno_store::{Delegation, NewDelegation, Role, Store};

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

/// Whether a person may see (and revoke, unless only the delegate) a suplencia.
fn concerns(user: &SignedIn, d: &Delegation) -> bool {
    user.is_admin() || d.titular_login == user.login || d.delegate_login == user.login
}

pub async fn get(State(state): State<AppState>, frame: Frame) -> Result<Response, AppError> {
    let user = signed_in(&frame)?;
    let delegations = state
        .store
        .delegations()
        .await?
        .into_iter()
        .filter(|d| concerns(user, d))
        .collect();
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

/// The largest written delegation accepted (a scanned, signed oficio).
const MAX_DOCUMENT: usize = 10 * 1024 * 1024;

/// `POST /suplencias`: the form with the signed oficio.
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
            if bytes.len() > MAX_DOCUMENT {
                return Err(AppError::BadRequest(format!(
                    "El oficio pasa de {}.",
                    turno_app::documents::size_label(MAX_DOCUMENT as u64)
                )));
            }
            document = Some((file, bytes.to_vec()));
        } else {
            form.push((name, field.text().await.map_err(unreadable)?));
        }
    }
    let (titularship, delegate) = (
        required(&form, "titularidad", "Titular y unidad")?,
        required(&form, "suplente", "Suplente")?,
    );
    let (titular_login, unit) = titularship
        .split_once(' ')
        .ok_or_else(|| AppError::BadRequest("Elija la persona titular y su unidad.".into()))?;
    if !user.is_admin() && titular_login != user.login {
        return Err(AppError::Forbidden);
    }
    let (starts_on, ends_on) = (
        date(&form, "desde", "Desde")?,
        date(&form, "hasta", "Hasta")?,
    );
    let reason = required(&form, "motivo", "Motivo")?;
    let Some((document_name, bytes)) = document.filter(|(_, b)| !b.is_empty()) else {
        return Err(AppError::BadRequest(
            "Adjunte el oficio de delegación firmado: la suplencia requiere constancia escrita."
                .into(),
        ));
    };
    let id_of = |login: &str| {
        let store = state.store.clone();
        let login = login.to_owned();
        async move {
            store
                .user_by_login(&login)
                .await?
                .map(|r| r.user.id)
                .ok_or(AppError::BadRequest(format!(
                    "No existe la persona «{login}»."
                )))
        }
    };
    let stored = state
        .blobs
        .put(&bytes)
        .await
        .map_err(|e| anyhow::anyhow!("cannot keep the written delegation: {e}"))?;
    let id = state
        .store
        .create_delegation(
            &NewDelegation {
                titular: id_of(titular_login).await?,
                delegate: id_of(delegate).await?,
                unit_code: unit.to_owned(),
                starts_on,
                ends_on,
                document_sha256: stored.sha256,
                document_name,
                reason: reason.to_owned(),
            },
            &user.login,
        )
        .await?;
    tracing::info!(delegation = id, titular = titular_login, delegate, unit, by = %user.login, "suplencia recorded");
    flash(&frame, &format!("Suplencia n.º {id} registrada."));
    Ok(Redirect::to("/suplencias"))
}

fn date(form: &Submitted, name: &str, label: &str) -> Result<Date, AppError> {
    required(form, name, label)?
        .parse()
        .map_err(|_| AppError::BadRequest(format!("«{label}» no es una fecha válida.")))
}

async fn concerning(state: &AppState, user: &SignedIn, id: i64) -> Result<Delegation, AppError> {
    let delegation = state
        .store
        .delegations()
        .await?
        .into_iter()
        .find(|d| d.id == id)
        .ok_or(AppError::NotFound)?;
    if concerns(user, &delegation) {
        Ok(delegation)
    } else {
        Err(AppError::Forbidden)
    }
}

/// `POST /suplencias/{id}/revocar`: by its titular or an administrator.
pub async fn revoke(
    State(state): State<AppState>,
    frame: Frame,
    Path(id): Path<i64>,
    _: CsrfForm<IgnoredAny>,
) -> Result<Redirect, AppError> {
    let user = signed_in(&frame)?;
    let delegation = concerning(&state, user, id).await?;
    if !user.is_admin() && delegation.titular_login != user.login {
        return Err(AppError::Forbidden);
    }
    state.store.revoke_delegation(id, &user.login).await?;
    flash(&frame, &format!("Suplencia n.º {id} revocada."));
    Ok(Redirect::to("/suplencias"))
}

/// `GET /suplencias/{id}/oficio`: the written delegation, to those it concerns.
pub async fn document(
    State(state): State<AppState>,
    frame: Frame,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let delegation = concerning(&state, signed_in(&frame)?, id).await?;
    let content = state
        .blobs
        .get(&delegation.document_sha256)
        .await
        .map_err(|e| anyhow::anyhow!("the written delegation of suplencia {id}: {e}"))?;
    crate::documents::scanned_response(&delegation.document_name, content)
}
