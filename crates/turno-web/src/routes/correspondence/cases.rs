//! `GET /correspondencia/{folio}/asunto`: starting a case from an incoming document — the
//! procedures the person may start, then (`?procedimiento=`) the start form filled from the
//! document; `POST /correspondencia/{folio}/asunto` starts it (`cases::start`), or shows the
//! form again with what was typed and each problem next to its field.

use crate::auth::csrf::CsrfForm;
use crate::error::AppError;
use crate::forms::{Again, Submitted, shown_again, single};
use crate::page::{Frame, Layout, flash};
use crate::routes::register::{choices, refused, registration, start_page};
use crate::state::AppState;
use crate::views::signed_in;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use turno_app::correspondence::cases;
use turno_app::register;

#[derive(Template)]
#[template(path = "correspondence_case_choose.html")]
struct ChoosePage {
    layout: Layout,
    folio: String,
    subject: String,
    /// Key and title of each procedure the person may start.
    procedures: Vec<(String, String)>,
}

#[derive(Deserialize)]
pub struct StartQuery {
    /// The procedure chosen.
    procedimiento: Option<String>,
}

fn action(folio: &str) -> String {
    format!("/correspondencia/{folio}/asunto")
}

/// The procedures to choose from, or the chosen one's start form filled from the document.
pub async fn form(
    State(state): State<AppState>,
    frame: Frame,
    Path(folio): Path<String>,
    Query(query): Query<StartQuery>,
) -> Result<Response, AppError> {
    let user = signed_in(&frame)?;
    let view = cases::startable(&state, user, &folio).await?;
    let folio = view.folio.to_string();
    let Some(key) = query.procedimiento.filter(|k| !k.is_empty()) else {
        let page = ChoosePage {
            procedures: choices(&state, user),
            layout: frame.layout,
            subject: view.incoming.subject.clone(),
            folio,
        };
        return crate::page::html(&page);
    };
    let p = register::procedure(&state, user, &key)?;
    let filled = cases::prefill(&view.incoming, &p);
    let mut typed: Submitted = vec![
        ("asunto".into(), filled.title),
        ("medio".into(), filled.channel.unwrap_or_default()),
        ("solicitante".into(), filled.requester.unwrap_or_default()),
    ];
    typed.extend(filled.fields);
    // Unlike the register's empty form, this one holds the document's data: not kept for
    // Back (the page's default). Sent twice, the document's one case refuses the second.
    crate::page::html(&start_page(
        frame.layout,
        &p,
        Again::filled(typed),
        action(&folio),
        Some(folio),
    ))
}

/// Starts the case; the form again when it is refused.
pub async fn submit(
    State(state): State<AppState>,
    frame: Frame,
    Path(folio): Path<String>,
    CsrfForm(submitted): CsrfForm<Submitted>,
) -> Result<Response, AppError> {
    let user = signed_in(&frame)?;
    let key = single(&submitted, "procedimiento").unwrap_or_default();
    let p = register::procedure(&state, user, key)?;
    let once = crate::forms::once_key(&submitted, user);
    let started = cases::start(
        &state,
        user,
        &folio,
        registration(&p, &submitted),
        once.as_deref(),
    )
    .await;
    match started {
        Ok(committed) => {
            flash(
                &frame,
                &format!(
                    "Asunto {} iniciado desde el documento {folio}.",
                    committed.folio
                ),
            );
            Ok(Redirect::to(&format!("/asuntos/{}", committed.folio)).into_response())
        }
        Err(e) => {
            let again = refused(&p, submitted, e)?;
            let status = again.status();
            let page = start_page(frame.layout, &p, again, action(&folio), Some(folio.clone()));
            shown_again(status, &page)
        }
    }
}
