//! `POST /seguimiento/supervisiones`: a supervision's recommendations to an entidad as a
//! program tied to its cnpss-94 case; `POST /seguimiento/{key}/rondas`: closing its next
//! follow-up round (concluded, second round or escalated). Both are for those who see the
//! case and may act (not the consulta role), and administrators; the escalation itself is the
//! case's (procedure 94), linked.

use super::{load, refusal};
use crate::auth::csrf::CsrfForm;
use crate::error::AppError;
use crate::forms::{Submitted, single};
use crate::page::{Frame, flash};
use crate::state::AppState;
use crate::views::signed_in;
use axum::extract::{Path, State};
use axum::response::Redirect;
use serde::de::IgnoredAny;
use turno_app::access::visible_current;
use turno_app::programs;
use turno_domain::followup::{parse_date, supervision_program};
use turno_store::followup::{Followup, Recorded};

/// The procedure whose cases a supervision follows.
const SUPERVISION: &str = "cnpss-94";

pub async fn create(
    State(state): State<AppState>,
    frame: Frame,
    CsrfForm(submitted): CsrfForm<Submitted>,
) -> Result<Redirect, AppError> {
    let user = signed_in(&frame)?;
    let field = |name: &str| {
        single(&submitted, name)
            .unwrap_or_default()
            .trim()
            .to_owned()
    };
    let bad = |m: &str| AppError::BadRequest(m.into());
    let (key, folio, entidad) = (field("clave"), field("folio"), field("entidad"));
    programs::may_follow(&state, user, &folio).await?;
    let (_, procedure, _) = visible_current(&state, user, &folio).await?;
    if procedure.key != SUPERVISION {
        return Err(bad("El asunto no es una supervisión (procedimiento 94)."));
    }
    let dates = (parse_date(&field("desde")), parse_date(&field("plazo")));
    let (Some(from), Some(deadline)) = dates else {
        return Err(bad(
            "Escriba las fechas de recepción de resultados y de vencimiento del plazo.",
        ));
    };
    let texts: Vec<String> = field("recomendaciones")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect();
    if key.is_empty() || entidad.is_empty() || texts.is_empty() {
        return Err(bad(
            "Escriba la clave, la entidad y una recomendación por renglón.",
        ));
    }
    let name = format!("Supervisión {folio} · {entidad}");
    let program = supervision_program(&name, &entidad, &texts, (from, deadline))
        .map_err(|e| AppError::BadRequest(super::sentence(&e)))?;
    state
        .store
        .import_program(&key, &program, &user.login)
        .await?;
    state.store.link_supervision(&key, &folio).await?;
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
    load(&state, &key).await?;
    let folio = state
        .store
        .programs()
        .await?
        .into_iter()
        .find(|p| p.key == key)
        .and_then(|p| p.supervision_of)
        .ok_or(AppError::NotFound)?;
    programs::may_follow(&state, user, &folio).await?;
    let moment = state.moment();
    let recorded = Recorded {
        actor: user.login.clone(),
        day: moment.today,
        at: moment.now,
    };
    let (round, outcome) = state
        .store
        .close_round(&key, recorded)
        .await
        .map_err(refusal)?;
    flash(
        &frame,
        &format!("Ronda de {}: {}.", round.label(), outcome.label()),
    );
    Ok(Redirect::to(&format!("/seguimiento/{key}")))
}
