//! `GET /asuntos/{folio}/acuse`: the printable acknowledgment of a registered matter, as
//! `turno_app::receipt` reads it.

use crate::error::AppError;
use crate::page::{Frame, Layout};
use crate::state::AppState;
use crate::views::{UnitNames, signed_in, when};
use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use turno_app::receipt;

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
    let receipt = receipt::receipt(&state, signed_in(&frame)?, &folio).await?;
    let names = UnitNames::load(&state).await?;
    let page = ReceiptPage {
        layout: frame.layout,
        title: receipt.title,
        procedure_title: receipt.procedure_title,
        created_at: when(&receipt.created_at, &state.time_zone),
        channel: receipt.channel,
        requester: receipt.requester,
        turned_to: receipt
            .turned_to
            .iter()
            .map(|code| names.name(code))
            .collect::<Vec<_>>()
            .join(", "),
        registered_by: receipt.registered_by,
        folio: receipt.folio,
    };
    crate::page::html(&page)
}
