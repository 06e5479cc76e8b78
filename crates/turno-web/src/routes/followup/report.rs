//! `GET /seguimiento/{key}/informe`: the final report, every item's progress and status with
//! the elaboró / autorizó block; refused (409) while any activity is open.

use super::{day, load};
use crate::error::AppError;
use crate::page::{Frame, Layout};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use turno_app::programs::sentence;
use turno_domain::followup::SignOff;

#[derive(Template)]
#[template(path = "followup_report.html")]
struct ReportPage {
    layout: Layout,
    key: String,
    name: String,
    date: String,
    items: Vec<(String, String, u8, &'static str)>,
    sign_off: Option<SignOff>,
}

pub async fn get(
    State(state): State<AppState>,
    frame: Frame,
    Path(key): Path<String>,
) -> Result<Response, AppError> {
    let program = load(&state, &key).await?;
    let today = state.today();
    let cutoff = program
        .final_report(today)
        .map_err(|e| AppError::Conflict(sentence(&e)))?;
    let items = cutoff
        .items
        .iter()
        .map(|s| {
            (
                format!("{} {}", s.item.kind.label(), s.item.number),
                s.item.text.clone(),
                s.progress.percent(),
                s.status.as_str(),
            )
        })
        .collect();
    let page = ReportPage {
        layout: frame.layout,
        name: program.name.clone(),
        date: day(today),
        items,
        sign_off: program.sign_off.clone(),
        key,
    };
    crate::page::html(&page)
}
