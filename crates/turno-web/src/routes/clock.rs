//! `POST /asuntos/{folio}/plazo`: stopping the clock of an activity whose term allows it
//! (waiting for the citizen's papers, the entidad's reply), with the reason, and restarting it
//! with the days it had left.

use crate::error::AppError;
use crate::forms::{Submitted, single};
use crate::routes::act::{WorkForm, on_work};
use crate::routes::case::CaseForm;
use crate::state::AppState;
use axum::response::Response;
use turno_app::commands::ClockChange;
use turno_app::work::Work;

pub async fn post(posted: WorkForm) -> Result<Response, AppError> {
    on_work(
        posted,
        CaseForm::Clock,
        async |work: Work, submitted: &Submitted, state: &AppState| {
            let (change, done) = match single(submitted, "accion") {
                Some("suspender") => (ClockChange::Stop, "suspendido"),
                Some("reanudar") => (ClockChange::Restart, "reanudado"),
                _ => {
                    return Err(turno_app::Error::Invalid(
                        "Diga si el plazo se suspende o se reanuda.".into(),
                    ));
                }
            };
            let number = work.number().to_owned();
            let reason = single(submitted, "motivo").unwrap_or_default().to_owned();
            work.clock(state, change, reason).await?;
            Ok(format!("Plazo de la actividad {number} {done}."))
        },
    )
    .await
}
