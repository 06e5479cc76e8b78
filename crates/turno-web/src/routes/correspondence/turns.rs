//! `POST /correspondencia/{folio}/turnar`: the document turned to one or several units with
//! one instruction, term and note (turned again for another instruction), or to one person of
//! a unit (`person`), from its registering unit or, with `parent`, a turned unit's part on to
//! units below it or to one of its own people.
//! `POST /correspondencia/{folio}/turnos/{turn}`: a turn answered (`accion=atender`), returned
//! (`devolver`) or withdrawn (`retirar`), with its text. Refused, the document's page again with
//! the form's problems and what was typed. `GET …/turnos/{turn}/volante`: its volante de control.

use super::incoming::document_page;
use crate::auth::csrf::CsrfForm;
use crate::error::AppError;
use crate::forms::{Again, Submitted, shown_again, single, values};
use crate::page::{Frame, flash};
use crate::state::AppState;
use crate::views::signed_in;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use turno_app::correspondence::turns::{self, Outcome, TurnTo};

/// The fields of the turn form, as the application names their problems.
const TURN_FIELDS: [&str; 5] = ["unit", "person", "instruction", "days", "note"];

pub async fn turn(
    State(state): State<AppState>,
    frame: Frame,
    Path(folio): Path<String>,
    CsrfForm(submitted): CsrfForm<Submitted>,
) -> Result<Response, AppError> {
    let user = signed_in(&frame)?.clone();
    let parent = match single(&submitted, "parent").map(str::trim) {
        None | Some("") => None,
        Some(id) => Some(
            id.parse::<i64>()
                .map_err(|_| AppError::BadRequest("El turno no es válido.".into()))?,
        ),
    };
    let text = |name: &str| single(&submitted, name).unwrap_or_default();
    let to: Vec<TurnTo> = values(&submitted, "unit")
        .into_iter()
        .map(|unit| TurnTo {
            unit,
            person: text("person"),
            instruction: text("instruction"),
            days: text("days"),
            note: text("note"),
        })
        .collect();
    match turns::turn(&state, &user, &folio, parent, &to).await {
        Ok(ids) => {
            let told = if ids.len() == 1 {
                "Turno registrado.".to_owned()
            } else {
                format!("{} turnos registrados.", ids.len())
            };
            flash(&frame, &told);
            Ok(Redirect::to(&format!("/correspondencia/{folio}")).into_response())
        }
        Err(e) => {
            let form = parent.map_or("turnar".to_owned(), |id| id.to_string());
            let again = Again::refused(submitted, e, &TURN_FIELDS)?;
            let status = again.status();
            shown_again(
                status,
                &document_page(&state, frame, &folio, again, &form).await?,
            )
        }
    }
}

pub async fn close(
    State(state): State<AppState>,
    frame: Frame,
    Path((folio, id)): Path<(String, i64)>,
    CsrfForm(submitted): CsrfForm<Submitted>,
) -> Result<Response, AppError> {
    let user = signed_in(&frame)?.clone();
    let text = single(&submitted, "text").unwrap_or_default();
    let done = match single(&submitted, "accion") {
        Some("atender") => turns::close(&state, &user, &folio, id, Outcome::Answered, text)
            .await
            .map(|()| "Turno atendido."),
        Some("devolver") => turns::close(&state, &user, &folio, id, Outcome::Returned, text)
            .await
            .map(|()| "Turno devuelto a la unidad que lo dio."),
        Some("retirar") => turns::withdraw(&state, &user, &folio, id, text)
            .await
            .map(|()| "Turno retirado."),
        _ => return Err(AppError::BadRequest("Elija qué hacer con el turno.".into())),
    };
    match done {
        Ok(told) => {
            flash(&frame, told);
            Ok(Redirect::to(&format!("/correspondencia/{folio}")).into_response())
        }
        Err(e) => {
            // The text is the form's one field, whichever name the application gives it.
            let again = Again::refused(submitted, e, &[])?;
            let status = again.status();
            shown_again(
                status,
                &document_page(&state, frame, &folio, again, &format!("cerrar-{id}")).await?,
            )
        }
    }
}

/// A turn's volante de control, as a PDF.
pub async fn slip(
    State(state): State<AppState>,
    frame: Frame,
    Path((folio, id)): Path<(String, i64)>,
) -> Result<Response, AppError> {
    let user = signed_in(&frame)?;
    let bytes = super::pdf::slip(&state, user, &folio, id).await?;
    super::pdf::response(&format!("volante-{folio}-{id}.pdf"), bytes)
}
