//! `POST /asuntos/{folio}/atender`: completing an activity, or deciding it ("¿Procede?"), with
//! observaciones and the data the activity asks for.

use crate::auth::csrf::CsrfForm;
use crate::error::AppError;
use crate::forms::{Submitted, given, single};
use crate::page::{Frame, flash};
use crate::state::AppState;
use crate::views::signed_in;
use axum::extract::{Path, State};
use axum::response::Redirect;
use turno_app::work::{self, Completion, OnWork, Work, WorkRequest};

/// Where a form on one open work item starts (its CSRF token checked by the extractor): the
/// application's checks ([`work::on_work`]) on the item and the case's version the form was
/// shown with. `None`: the command already applied (a form carries no retry key, so only in
/// theory).
pub async fn on_work(
    state: &AppState,
    frame: &Frame,
    folio: &str,
    submitted: &Submitted,
) -> Result<Option<Work>, AppError> {
    let user = signed_in(frame)?;
    let number = |name: &str| -> Result<i64, AppError> {
        single(submitted, name)
            .and_then(|v| v.parse().ok())
            .ok_or_else(|| AppError::BadRequest(format!("Falta «{name}» en el formulario.")))
    };
    let item = u32::try_from(number("item")?).map_err(|_| AppError::NotFound)?;
    let request = WorkRequest {
        folio,
        item,
        seen_version: Some(number("version")?),
        idempotency_key: None,
    };
    Ok(match work::on_work(state, user, request).await? {
        OnWork::Ready(work) => Some(*work),
        OnWork::Replayed(_) => None,
    })
}

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
    let number = work.number().to_owned();
    let input = Completion {
        outcome: single(&submitted, "outcome").map(str::to_owned),
        fields: given(&work.asked_fields(), &submitted),
        observations: single(&submitted, "observaciones").map(str::to_owned),
    };
    let asked: Vec<String> = work
        .asked_fields()
        .iter()
        .map(|(field, _)| field.name.clone())
        .collect();
    work.complete(&state, input).await.map_err(|e| match e {
        // The activity's data are asked again; a problem of the answer or the observations is
        // told in its own words.
        turno_app::Error::InvalidFields(problems) => {
            let told: Vec<&str> = problems
                .iter()
                .filter(|p| !asked.contains(&p.field))
                .map(|p| p.message.as_str())
                .collect();
            AppError::BadRequest(if told.is_empty() {
                format!("Complete los datos que pide la actividad {number}.")
            } else {
                told.join(" ")
            })
        }
        other => other.into(),
    })?;
    flash(&frame, &format!("Actividad {number} atendida."));
    Ok(back)
}
