//! `/peticiones/{folio}`: one petition, as `turno_app::petitions::show` gives it. Those who see
//! it (`access::petition_scope`) see its personal data masked, unless they need them
//! (`access::sees_personal_data`); every view unmasked is written to the audit log first, and
//! without that entry nothing is shown.

use crate::error::AppError;
use crate::page::{Frame, Layout};
use crate::state::AppState;
use crate::views::{petition_status, received, signed_in};
use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use turno_app::handling::NextSteps;
use turno_app::petitions;
use turno_domain::citizen::MaskedContact;

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
    /// What the petitioner was told, once answered, and when (dd/mm/aaaa).
    answer: Option<(String, String)>,
    /// The steps this person may take next.
    next: NextSteps,
}

/// `GET /peticiones/{folio}/oficio`: the scanned letter a petition came in.
pub async fn letter(
    State(state): State<AppState>,
    frame: Frame,
    Path(folio): Path<String>,
) -> Result<Response, AppError> {
    let (filed, content) = petitions::letter(&state, signed_in(&frame)?, &folio).await?;
    crate::documents::scanned_response(&filed.document_name, content)
}

pub async fn get(
    State(state): State<AppState>,
    frame: Frame,
    Path(folio): Path<String>,
) -> Result<Response, AppError> {
    let shown = petitions::show(&state, signed_in(&frame)?, &folio).await?;
    let p = &shown.petition.petition;
    let letter = shown.letter.map(|f| {
        (
            f.letter.sender,
            f.letter.reference,
            turno_domain::text::day(f.letter.dated),
            f.document_name,
        )
    });
    let answer = shown.handling.as_ref().and_then(|h| {
        h.answer.clone().map(|text| {
            let on = h
                .answered_on
                .map_or_else(String::new, |d| d.strftime("%d/%m/%Y").to_string());
            (text, on)
        })
    });
    let page = PetitionPage {
        letter,
        answer,
        next: shown.next,
        layout: frame.layout,
        folio: shown.petition.folio.to_string(),
        kind: p.kind.label(),
        channel: p.channel.label(),
        state: p.state.name(),
        health_unit: p.health_unit.clone().unwrap_or_default(),
        narrative: p.narrative.clone(),
        received: received(&p.received_at),
        status: petition_status(&shown.petition.status),
        privacy_consent: p.privacy_consent,
        contact: shown.contact,
        unmasked: shown.unmasked,
    };
    crate::page::html(&page)
}
