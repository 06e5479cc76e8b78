//! `POST /asuntos/{folio}/plazo`: stopping the clock of an activity whose term allows it
//! (waiting for the citizen's papers, the entidad's reply), with the reason, and restarting it
//! with the days it had left.

use crate::auth::csrf::CsrfForm;
use crate::error::AppError;
use crate::forms::{Submitted, single};
use crate::page::{Frame, flash};
use crate::routes::act::on_work;
use crate::state::AppState;

use axum::extract::{Path, State};
use axum::response::Redirect;
use turno_app::commands::ClockChange;

pub async fn post(
    State(state): State<AppState>,
    frame: Frame,
    Path(folio): Path<String>,
    CsrfForm(submitted): CsrfForm<Submitted>,
) -> Result<Redirect, AppError> {
    let back = Redirect::to(&format!("/asuntos/{folio}"));
    let Some(work) = on_work(&state, &frame, &folio, &submitted).await? else {
        return Ok(back);
    };
    let (change, done) = match single(&submitted, "accion") {
        Some("suspender") => (ClockChange::Stop, "suspendido"),
        Some("reanudar") => (ClockChange::Restart, "reanudado"),
        _ => {
            return Err(AppError::BadRequest(
                "Diga si el plazo se suspende o se reanuda.".into(),
            ));
        }
    };
    let number = work.number().to_owned();
    let reason = single(&submitted, "motivo").unwrap_or_default().to_owned();
    work.clock(&state, change, reason).await?;
    flash(&frame, &format!("Plazo de la actividad {number} {done}."));
    Ok(back)
}
