//! `/peticiones/{folio}`: one petition. Those who see it (`access::petition_scope`) see its
//! personal data masked, unless they need them (`access::sees_personal_data`); every view
//! unmasked is written to the audit log first, and without that entry nothing is shown.

use crate::error::AppError;
use crate::page::{Frame, Layout};
use crate::state::AppState;
use crate::views::{petition_status, received, signed_in};
use askama::Template;
use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Response};
use turno_app::access::{petition_scope, sees_personal_data};
use turno_domain::citizen::{MaskedContact, PetitionFolio};
use turno_store::Petitions;
use turno_store::blobs::BlobStore;
use turno_store::citizen::StoredPetition;

#[derive(Template)]
#[template(path = "petition.html")]
struct PetitionPage {
    layout: Layout,
    folio: String,
    kind: &'static str,
    channel: &'static str,
    state: &'static str,
    health_unit: String,
    narrative: String,
    received: String,
    status: String,
    privacy_consent: bool,
    /// Whole or masked, as this person may see them.
    contact: MaskedContact,
    unmasked: bool,
    /// The letter it came in: sender, number, date (dd/mm/aaaa) and the document's name.
    letter: Option<(String, String, String, String)>,
}

/// The petition of a folio, if this person sees it.
async fn visible(
    state: &AppState,
    user: &crate::auth::SignedIn,
    folio: &str,
) -> Result<(PetitionFolio, StoredPetition), AppError> {
    let scope = petition_scope(user).ok_or(AppError::Forbidden)?;
    let folio: PetitionFolio = folio.parse().map_err(|_| AppError::NotFound)?;
    let stored = state
        .store
        .petition(folio)
        .await?
        .ok_or(AppError::NotFound)?;
    if !scope.includes(stored.petition.state) {
        return Err(AppError::Forbidden);
    }
    Ok((folio, stored))
}

/// `GET /peticiones/{folio}/oficio`: the scanned letter a petition came in.
pub async fn letter(
    State(state): State<AppState>,
    frame: Frame,
    Path(folio): Path<String>,
) -> Result<Response, AppError> {
    let user = signed_in(&frame)?;
    let (folio, _) = visible(&state, user, &folio).await?;
    let filed = state.store.letter(folio).await?.ok_or(AppError::NotFound)?;
    let content = state
        .blobs
        .get(&filed.document_sha256)
        .await
        .map_err(|e| anyhow::anyhow!("the letter of petition {folio}: {e}"))?;
    crate::documents::scanned_response(&filed.document_name, content)
}

pub async fn get(
    State(state): State<AppState>,
    frame: Frame,
    Path(folio): Path<String>,
) -> Result<Response, AppError> {
    let user = signed_in(&frame)?;
    let (folio, stored) = visible(&state, user, &folio).await?;
    let p = &stored.petition;
    let unmasked = sees_personal_data(user, p.state);
    let contact = if unmasked {
        state
            .store
            .record_personal_data_view(folio, &user.login)
            .await?;
        let c = &p.contact;
        MaskedContact {
            name: c.name.clone(),
            curp: c.curp.as_ref().map(|v| v.as_str().to_owned()),
            phone: c.phone.as_ref().map(|v| v.as_str().to_owned()),
            email: c.email.as_ref().map(|v| v.as_str().to_owned()),
            address: c.address.clone(),
        }
    } else {
        p.contact.masked()
    };
    let letter = state.store.letter(folio).await?.map(|f| {
        (
            f.letter.sender,
            f.letter.reference,
            f.letter.dated.strftime("%d/%m/%Y").to_string(),
            f.document_name,
        )
    });
    let page = PetitionPage {
        letter,
        layout: frame.layout,
        folio: folio.to_string(),
        kind: p.kind.label(),
        channel: p.channel.label(),
        state: p.state.name(),
        health_unit: p.health_unit.clone().unwrap_or_default(),
        narrative: p.narrative.clone(),
        received: received(&p.received_at),
        status: petition_status(&stored.status),
        privacy_consent: p.privacy_consent,
        contact,
        unmasked,
    };
    Ok(Html(page.render().map_err(anyhow::Error::from)?).into_response())
}
