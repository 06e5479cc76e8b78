//! `POST /asuntos/{folio}/atender`: completing an activity, or deciding it ("¿Procede?"), with
//! observaciones and the data the activity asks for.

use crate::access::{acting_for, actor, visible_current, visible_units};
use crate::auth::csrf::CsrfForm;
use crate::error::AppError;
use crate::forms::{Submitted, read, single};
use crate::page::{Frame, flash};
use crate::state::AppState;
use crate::views::signed_in;
use axum::extract::{Path, State};
use axum::response::Redirect;
use std::sync::Arc;
use turno_domain::definition::{ParticipantId, Procedure};
use turno_domain::engine::{Case, Complete, WorkItem, WorkItemId};
use turno_store::CaseId;
use turno_store::commands::complete_work;

/// What a form on one open work item works with, once the checks such forms share passed.
pub struct OnWork {
    pub id: CaseId,
    pub procedure: Arc<Procedure>,
    pub case: Case,
    /// The open work item the form acts on.
    pub work: WorkItem,
    /// The case's version the person saw.
    pub version: i64,
    /// Whom the person acts for on the item.
    pub participant: Option<ParticipantId>,
}

/// The checks of a form on an open work item (its CSRF token checked already), in order: the
/// case's visibility, the item still being open, and the person's right to act on it.
pub async fn on_work(
    state: &AppState,
    frame: &Frame,
    folio: &str,
    submitted: &Submitted,
) -> Result<OnWork, AppError> {
    let user = signed_in(frame)?;
    let (id, procedure, current) = visible_current(state, user, folio).await?;
    let number = |name: &str| -> Result<i64, AppError> {
        single(submitted, name)
            .and_then(|v| v.parse().ok())
            .ok_or_else(|| AppError::BadRequest(format!("Falta «{name}» en el formulario.")))
    };
    let item = WorkItemId(u32::try_from(number("item")?).map_err(|_| AppError::NotFound)?);
    let version = number("version")?;
    let case = current.case;
    let Some(work) = case.work_item(item) else {
        return Err(AppError::Conflict(
            "Otra persona atendió esta actividad mientras usted veía el asunto. Revise su estado actual."
                .into(),
        ));
    };
    let visible = visible_units(user).to_vec();
    let participant =
        acting_for(&procedure, &case, work, user, &visible).ok_or(AppError::Forbidden)?;
    let work = work.clone();
    Ok(OnWork {
        id,
        procedure,
        case,
        work,
        version,
        participant,
    })
}

pub async fn post(
    State(state): State<AppState>,
    frame: Frame,
    Path(folio): Path<String>,
    CsrfForm(submitted): CsrfForm<Submitted>,
) -> Result<Redirect, AppError> {
    let OnWork {
        id,
        procedure,
        case,
        work,
        version,
        participant,
    } = on_work(&state, &frame, &folio, &submitted).await?;
    let user = signed_in(&frame)?;
    let activity = procedure.activity(work.activity);
    let asked: Vec<_> = activity
        .fields
        .iter()
        .map(|f| procedure.field(*f))
        .filter(|f| !case.fields.contains_key(&f.name))
        .map(|f| (f, true))
        .collect();
    let (fields, _, ok) = read(&asked, &submitted);
    if !ok {
        return Err(AppError::BadRequest(format!(
            "Complete los datos que pide la actividad {}.",
            activity.number
        )));
    }
    let committed = complete_work(
        &state.store,
        &procedure,
        id,
        Some(version),
        Complete {
            item: work.id,
            by: actor(&procedure, Some(&work), user, participant),
            outcome: single(&submitted, "outcome").map(str::to_owned),
            fields,
            observations: single(&submitted, "observaciones").map(str::to_owned),
        },
        &state.moment().context(),
        None,
    )
    .await?;
    tracing::info!(folio = %committed.folio, activity = %activity.number, user = %user.login, "activity completed");
    flash(
        &frame.session,
        &format!("Actividad {} atendida.", activity.number),
    )
    .await;
    Ok(Redirect::to(&format!("/asuntos/{folio}")))
}
