//! `GET /asuntos/{folio}/acuse`: the printable acknowledgment of a registered matter.

use crate::error::AppError;
use crate::page::{Frame, Layout};
use crate::state::AppState;
use crate::views::{UnitNames, signed_in, when};
use askama::Template;
use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Response};
use turno_app::access::{responsible, visible_case};
use turno_domain::engine::Event;

#[derive(Template)]
#[template(path = "receipt.html")]
struct ReceiptPage {
    layout: Layout,
    folio: String,
    title: String,
    procedure_title: String,
    created_at: String,
    channel: Option<String>,
    requester: Option<String>,
    turned_to: String,
    registered_by: String,
}

pub async fn get(
    State(state): State<AppState>,
    frame: Frame,
    Path(folio): Path<String>,
) -> Result<Response, AppError> {
    let (_, procedure, stored) = visible_case(&state, signed_in(&frame)?, &folio).await?;
    let names = UnitNames::load(&state).await?;
    // Where the first activity went, as the case stood when it was registered.
    let first = stored
        .events
        .iter()
        .take_while(|e| !matches!(e.event, Event::WorkCompleted { .. }))
        .map(|e| &e.event)
        .cloned()
        .collect::<Vec<_>>();
    let at_start = turno_domain::engine::Case::replay(&first)
        .ok_or_else(|| anyhow::anyhow!("case {folio} has no start"))?;
    let turned_to = at_start
        .open
        .iter()
        .flat_map(|item| responsible(&procedure, &at_start, item))
        .map(|p| names.name(&procedure.unit_of(p)))
        .collect::<Vec<_>>()
        .join(", ");
    let page = ReceiptPage {
        layout: frame.layout,
        title: stored.title.clone(),
        procedure_title: procedure.title.clone(),
        created_at: when(&stored.created_at, &state.time_zone),
        channel: stored.channel.clone(),
        requester: stored.requester.clone(),
        turned_to,
        registered_by: stored
            .events
            .first()
            .map(|e| e.actor.clone())
            .unwrap_or_default(),
        folio,
    };
    Ok(Html(page.render().map_err(anyhow::Error::from)?).into_response())
}
