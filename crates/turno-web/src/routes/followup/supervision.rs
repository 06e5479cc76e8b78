//! `POST /seguimiento/supervisiones`: a supervision's recommendations to an entidad as a
//! program tied to its cnpss-94 case; `POST /seguimiento/{key}/rondas`: closing its next
//! follow-up round (concluded, second round or escalated). Both are for those who see the
//! case and may act (not the consulta role), and administrators; the escalation itself is the
//! case's (procedure 94), linked.

use crate::auth::csrf::CsrfForm;
use crate::error::AppError;
use crate::forms::{Submitted, single};
use crate::page::{Frame, flash};
use crate::state::AppState;
use crate::views::signed_in;
use axum::extract::{Path, State};
use axum::response::Redirect;
use serde::de::IgnoredAny;
use turno_app::programs::{self, SupervisionDraft};

pub async fn create(
    State(state): State<AppState>,
    frame: Frame,
    CsrfForm(submitted): CsrfForm<Submitted>,
) -> Result<Redirect, AppError> {
    let user = signed_in(&frame)?;
    let field = |name: &str| single(&submitted, name).unwrap_or_default();
    let (key, folio) = (field("clave"), field("folio"));
    let recommendations: Vec<String> = field("recomendaciones")
        .lines()
        .map(str::to_owned)
        .collect();
    programs::create_supervision(
        &state,
        user,
        SupervisionDraft {
            key,
            folio,
            entidad: field("entidad"),
            from: field("desde"),
            deadline: field("plazo"),
            recommendations: &recommendations,
        },
    )
    .await?;
    flash(&frame, &format!("Supervisión {key} registrada."));
    Ok(Redirect::to(&format!("/seguimiento/{key}")))
}

pub async fn close_round(
    State(state): State<AppState>,
    frame: Frame,
    Path(key): Path<String>,
    _: CsrfForm<IgnoredAny>,
) -> Result<Redirect, AppError> {
    let user = signed_in(&frame)?;
    let (round, outcome) = programs::close_round(&state, user, &key).await?;
    flash(
        &frame,
        &format!("Ronda de {}: {}.", round.label(), outcome.label()),
    );
    Ok(Redirect::to(&format!("/seguimiento/{key}")))
}
