//! `POST /asuntos/{folio}/plazo`: stopping the clock of an activity whose term allows it
//! (waiting for the citizen's papers, the entidad's reply), with the reason, and restarting it
//! with the days it had left.

use crate::access::actor;
use crate::auth::csrf::CsrfForm;
use crate::error::AppError;
use crate::forms::{Submitted, single};
use crate::page::{Frame, flash};
use crate::routes::act::{OnWork, on_work};
use crate::state::AppState;
use crate::views::signed_in;
use axum::extract::{Path, State};
use axum::response::Redirect;
use turno_domain::engine::ClockCommand;
use turno_store::commands::clock_work;

pub async fn post(
    State(state): State<AppState>,
    frame: Frame,
    Path(folio): Path<String>,
    CsrfForm(submitted): CsrfForm<Submitted>,
) -> Result<Redirect, AppError> {
    let OnWork {
        id,
        procedure,
        work,
        version,
        participant,
        ..
    } = on_work(&state, &frame, &folio, &submitted).await?;
    let user = signed_in(&frame)?;
    let stop = match single(&submitted, "accion") {
        Some("suspender") => true,
        Some("reanudar") => false,
        _ => {
            return Err(AppError::BadRequest(
                "Diga si el plazo se suspende o se reanuda.".into(),
            ));
        }
    };
    let number = procedure.activity(work.activity).number.clone();
    clock_work(
        &state.store,
        &procedure,
        id,
        Some(version),
        ClockCommand {
            item: work.id,
            by: actor(&procedure, Some(&work), user, participant),
            reason: single(&submitted, "motivo").unwrap_or_default().to_owned(),
        },
        stop,
        &state.moment().context(),
        None,
    )
    .await?;
    let done = if stop { "suspendido" } else { "reanudado" };
    flash(
        &frame.session,
        &format!("Plazo de la actividad {number} {done}."),
    )
    .await;
    Ok(Redirect::to(&format!("/asuntos/{folio}")))
}
