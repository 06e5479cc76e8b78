//! `POST /seguimiento/acuerdos`: a program of agreements and commitments (a meeting's, a
//! visit's) with its first item; `POST /seguimiento/{key}/elementos`: one more item. Both
//! through `turno_app::programs`, as the API: for those who may act (not the consulta role), who
//! see the case the agreements come from.

use crate::auth::csrf::CsrfForm;
use crate::error::AppError;
use crate::forms::{Submitted, single};
use crate::page::{Frame, flash};
use crate::state::AppState;
use crate::views::signed_in;
use axum::extract::{Path, State};
use axum::response::Redirect;
use turno_app::programs::{self, ActivityDraft, ItemDraft};
use turno_domain::followup::ItemKind;

/// The activity rows the forms offer; blank ones are left out.
pub const ACTIVITY_ROWS: usize = 3;

/// The item the form describes: its kind, text, responsible unit and activities (the rows of
/// `actividad`, `inicio`, `termino` and `productos`, by position).
fn draft(submitted: &Submitted) -> Result<ItemDraft, AppError> {
    let kind = match single(submitted, "tipo") {
        Some("acuerdo") => ItemKind::Agreement,
        Some("compromiso") => ItemKind::Commitment,
        _ => return Err(AppError::BadRequest("Elija acuerdo o compromiso.".into())),
    };
    let column = |name: &str| -> Vec<&str> {
        submitted
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .collect()
    };
    let columns = [
        column("actividad"),
        column("inicio"),
        column("termino"),
        column("productos"),
    ];
    let rows = columns.iter().map(Vec::len).max().unwrap_or(0);
    let cell = |c: usize, row: usize| columns[c].get(row).copied().unwrap_or_default();
    let activities = (0..rows)
        .filter(|&row| (0..columns.len()).any(|c| !cell(c, row).trim().is_empty()))
        .map(|row| ActivityDraft {
            description: cell(0, row).to_owned(),
            start: cell(1, row).to_owned(),
            end: cell(2, row).to_owned(),
            products: cell(3, row).to_owned(),
        })
        .collect();
    Ok(ItemDraft {
        kind,
        text: single(submitted, "texto").unwrap_or_default().to_owned(),
        responsible: single(submitted, "unidad").unwrap_or_default().to_owned(),
        activities,
    })
}

pub async fn create(
    State(state): State<AppState>,
    frame: Frame,
    CsrfForm(submitted): CsrfForm<Submitted>,
) -> Result<Redirect, AppError> {
    let user = signed_in(&frame)?;
    let field = |name: &str| single(&submitted, name).unwrap_or_default();
    let key = field("clave");
    programs::create_agreements(
        &state,
        user,
        (key, field("nombre"), Some(field("folio"))),
        &[draft(&submitted)?],
    )
    .await?;
    flash(&frame, &format!("Programa {key} registrado."));
    Ok(Redirect::to(&format!("/seguimiento/{key}")))
}

pub async fn add(
    State(state): State<AppState>,
    frame: Frame,
    Path(key): Path<String>,
    CsrfForm(submitted): CsrfForm<Submitted>,
) -> Result<Redirect, AppError> {
    let user = signed_in(&frame)?;
    let item = programs::add_agreement(&state, user, &key, &draft(&submitted)?).await?;
    flash(
        &frame,
        &format!("Se agregó el {} {}.", item.kind.label(), item.number),
    );
    Ok(Redirect::to(&format!("/seguimiento/{key}/{}", item.key())))
}
