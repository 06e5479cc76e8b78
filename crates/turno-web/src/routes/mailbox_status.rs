//! `/atencion/consulta`: a petitioner follows a petition with its folio and access code
//! (`turno_app::petitions::status`). A wrong folio, a folio that does not exist and a wrong
//! code all give the same page after the same time, so the page never tells whether a folio
//! exists. Each client may look up
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
use turno_app::petitions;
use turno_store::handling::{ANSWERED, IN_HANDLING};

/// What the petitioner sees of their petition: no personal data, they typed none.
struct Status {
    folio: String,
    kind: &'static str,
    state: &'static str,
    received: String,
    status: String,
    /// What the petitioner was told, once answered, and when.
    answer: Option<(String, String)>,
    /// What happens next, as the status stands.
    next: &'static str,
}

/// What the petitioner is told comes next, per status.
fn next_for(status: &str) -> &'static str {
    match status {
        IN_HANDLING => {
            "Su petición se turnó al Enlace de Atención Ciudadana de su entidad, que la atiende. \
             Cuando haya una respuesta, aparecerá en esta página y se la comunicaremos por el \
             medio de contacto que nos dio."
        }
        ANSWERED => {
            "Su petición quedó atendida con esta respuesta. Si tiene otra queja, solicitud o \
             sugerencia, puede presentar una nueva petición."
        }
        _ => {
            "Recibimos su petición y la estamos revisando. Cuando haya una respuesta, aparecerá \
             en esta página y se la comunicaremos por el medio de contacto que nos dio."
        }
    }
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
    crate::page::html(&page)
}

pub async fn post(
    State(state): State<AppState>,
    frame: Frame,
    client: Client,
    CsrfForm(submitted): CsrfForm<Submitted>,
) -> Result<Response, AppError> {
    limits::check(&state, &limits::LOOKUPS, &client).await?;
    let folio = single(&submitted, "folio").unwrap_or_default();
    let code = single(&submitted, "codigo").unwrap_or_default();
    let found = petitions::status(&state, folio, code).await?;
    let page = StatusPage {
        layout: frame.layout,
        folio: folio.to_owned(),
        not_found: found.is_none(),
        found: found.map(|p| Status {
            folio: p.folio.to_string(),
            kind: p.kind.label(),
            state: p.state.name(),
            received: received(&p.received_at),
            status: petition_status(&p.status),
            next: next_for(&p.status),
            answer: p
                .answer
                .map(|(text, on)| (text, turno_domain::text::day(on))),
        }),
    };
    let html = page.render().map_err(anyhow::Error::from)?;
    Ok(([(header::CACHE_CONTROL, "no-store")], Html(html)).into_response())
}
