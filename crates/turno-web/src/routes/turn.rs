//! `POST /asuntos/{folio}/turnar`: turning an open activity to one or several units chosen on
//! the spot, with an instruction and a term in días hábiles. Each unit answers its turn; the
//! activity's responsible completes it once they all have. `POST /asuntos/{folio}/retirar-turno`:
//! withdrawing a turn given by mistake before its unit answered.

use crate::error::AppError;
use crate::forms::{Submitted, single};
use crate::routes::act::{WorkForm, on_work};
use crate::routes::case::CaseForm;
use crate::state::AppState;
use crate::views::UnitNames;
use axum::response::Response;
use turno_app::FieldProblem;
use turno_app::work::{Turning, Work};
use turno_domain::engine::MAX_TURN_DAYS;

pub async fn post(posted: WorkForm) -> Result<Response, AppError> {
    on_work(
        posted,
        CaseForm::Turn,
        async |work: Work, submitted: &Submitted, state: &AppState| {
            let units: Vec<String> = submitted
                .iter()
                .filter(|(name, _)| name == "unidades")
                .map(|(_, code)| code.trim().to_owned())
                .collect();
            let business_days = match single(submitted, "plazo") {
                None => None,
                Some(term) => Some(term.parse::<u16>().map_err(|_| {
                    turno_app::Error::InvalidFields(vec![FieldProblem::new(
                        "business_days",
                        format!(
                            "Plazo no válido: escriba de 1 a {MAX_TURN_DAYS} días hábiles, o \
                             déjelo vacío."
                        ),
                    )])
                })?),
            };
            let number = work.number().to_owned();
            let input = Turning {
                units: units.clone(),
                instruction: single(submitted, "instruccion")
                    .unwrap_or_default()
                    .to_owned(),
                business_days,
            };
            work.turn(state, input).await?;
            let names = UnitNames::load(state)
                .await
                .map_err(|e| turno_app::Error::internal(format!("{e}")))?;
            let to: Vec<String> = units.iter().map(|code| names.name(code)).collect();
            Ok(format!("Actividad {number} turnada a {}.", to.join(", ")))
        },
    )
    .await
}

/// Withdraws the turn `turno` given from the open activity `item`, with its `motivo`.
pub async fn withdraw(posted: WorkForm) -> Result<Response, AppError> {
    on_work(
        posted,
        CaseForm::Withdraw,
        async |work: Work, submitted: &Submitted, state: &AppState| {
            let turn = single(submitted, "turno")
                .and_then(|t| t.parse::<u32>().ok())
                .ok_or_else(|| {
                    turno_app::Error::InvalidFields(vec![FieldProblem::new(
                        "turn",
                        "Elija el turno que retira.",
                    )])
                })?;
            let number = work.number().to_owned();
            let reason = single(submitted, "motivo").unwrap_or_default().to_owned();
            work.withdraw(state, turn, reason).await?;
            Ok(format!("Turno de la actividad {number} retirado."))
        },
    )
    .await
}
