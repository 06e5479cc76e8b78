//! `/atencion/consulta`: a petitioner follows a petition with its folio and access code. A
//! wrong folio, a folio that does not exist and a wrong code all give the same page after the
//! same time, so the page never tells whether a folio exists. Each client may look up
//! `limits::LOOKUPS` times in the window.

use crate::auth::csrf::CsrfForm;
use crate::error::AppError;
use crate::forms::{Submitted, single};
use crate::limits::{self, Client};
use crate::page::{Frame, Layout};
use crate::state::AppState;
use crate::views::{petition_status, received};
use askama::Template;
use axum::extract::State;
use axum::http::header;
use axum::response::{Html, IntoResponse, Response};
use std::time::Duration;
use turno_domain::citizen::{AccessCode, PetitionFolio, constant_time_eq};
use turno_store::Handling;
use turno_store::Petitions;
use turno_store::citizen::StoredPetition;

/// Every lookup answers after at least this long, found or not, so that timing does not tell
/// a folio that exists from one that does not.
const ANSWER_AFTER: Duration = Duration::from_millis(300);

/// What the petitioner sees of their petition: no personal data, they typed none.
struct Status {
    folio: String,
    kind: &'static str,
    state: &'static str,
    received: String,
    status: String,
    /// What the petitioner was told, once answered, and when.
    answer: Option<(String, String)>,
}

#[derive(Template)]
#[template(path = "mailbox_status.html")]
struct StatusPage {
    layout: Layout,
    folio: String,
    not_found: bool,
    found: Option<Status>,
}

pub async fn get(frame: Frame) -> Result<Response, AppError> {
    let page = StatusPage {
        layout: frame.layout,
        folio: String::new(),
        not_found: false,
        found: None,
    };
    Ok(Html(page.render().map_err(anyhow::Error::from)?).into_response())
}

pub async fn post(
    State(state): State<AppState>,
    frame: Frame,
    client: Client,
    CsrfForm(submitted): CsrfForm<Submitted>,
) -> Result<Response, AppError> {
    limits::check(&state, &limits::LOOKUPS, &client).await?;
    let started = tokio::time::Instant::now();
    let folio = single(&submitted, "folio").unwrap_or_default();
    let code = single(&submitted, "codigo").unwrap_or_default();
    let found = lookup(&state, folio, code).await?;
    let answer = match &found {
        Some(p) => state.store.handling(p.folio).await?.and_then(|h| {
            h.answer
                .zip(h.answered_on)
                .map(|(text, on)| (text, on.strftime("%d/%m/%Y").to_string()))
        }),
        None => None,
    };
    tokio::time::sleep_until(started + ANSWER_AFTER).await;
    let page = StatusPage {
        layout: frame.layout,
        folio: folio.to_owned(),
        not_found: found.is_none(),
        found: found.map(|p| Status {
            folio: p.folio.to_string(),
            kind: p.petition.kind.label(),
            state: p.petition.state.name(),
            received: received(&p.petition.received_at),
            status: petition_status(&p.status),
            answer,
        }),
    };
    let html = page.render().map_err(anyhow::Error::from)?;
    Ok(([(header::CACHE_CONTROL, "no-store")], Html(html)).into_response())
}

/// The petition when both the folio and the code are right. The digests are compared even
/// when there is no such petition, against one no code has, so both cases do the same work.
async fn lookup(
    state: &AppState,
    folio: &str,
    code: &str,
) -> Result<Option<StoredPetition>, AppError> {
    let stored = match folio.parse::<PetitionFolio>() {
        Ok(folio) => state.store.petition(folio).await?,
        Err(_) => None,
    };
    let expected = stored.as_ref().and_then(|p| p.access_digest);
    let typed = AccessCode::parse(code).map(|c| c.digest());
    let matches = constant_time_eq(&typed.unwrap_or([0xff; 32]), &expected.unwrap_or([0; 32]))
        && typed.is_some()
        && expected.is_some();
    Ok(stored.filter(|_| matches))
}
