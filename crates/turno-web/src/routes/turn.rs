//! `POST /asuntos/{folio}/turnar`: turning an open activity to one or several units chosen on
//! the spot, with an instruction and a term in días hábiles. Each unit answers its turn; the
//! activity's responsible completes it once they all have.

use crate::access::actor;
use crate::auth::csrf::CsrfForm;
use crate::error::AppError;
use crate::forms::{Submitted, single};
use crate::page::{Frame, flash};
use crate::routes::act::{OnWork, on_work};
use crate::state::AppState;
use crate::views::{UnitNames, signed_in};
use axum::extract::{Path, State};
use axum::response::Redirect;
use turno_domain::engine::{MAX_TURN_DAYS, Turn};
use turno_store::commands::turn_work;

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
    let names = UnitNames::load(&state).await?;
    let units: Vec<String> = submitted
        .iter()
        .filter(|(name, _)| name == "unidades")
        .map(|(_, code)| code.trim().to_owned())
        .collect();
    if let Some(unknown) = units.iter().find(|code| !names.contains(code)) {
        return Err(AppError::BadRequest(format!(
            "La unidad «{unknown}» no existe."
        )));
    }
    let business_days = match single(&submitted, "plazo") {
        None => None,
        Some(term) => Some(term.parse::<u16>().map_err(|_| {
            AppError::BadRequest(format!(
                "Plazo no válido: escriba de 1 a {MAX_TURN_DAYS} días hábiles, o déjelo vacío."
            ))
        })?),
    };
    let number = procedure.activity(work.activity).number.clone();
    let committed = turn_work(
        &state.store,
        &procedure,
        id,
        Some(version),
        Turn {
            item: work.id,
            by: actor(&procedure, Some(&work), user, participant),
            units: units.clone(),
            instruction: single(&submitted, "instruccion")
                .unwrap_or_default()
                .to_owned(),
            business_days,
        },
        &state.moment().context(),
        None,
    )
    .await?;
    tracing::info!(folio = %committed.folio, activity = %number, user = %user.login, units = ?units, "activity turned");
    let to: Vec<String> = units.iter().map(|code| names.name(code)).collect();
    flash(
        &frame.session,
        &format!("Actividad {number} turnada a {}.", to.join(", ")),
    )
    .await;
    Ok(Redirect::to(&format!("/asuntos/{folio}")))
}
