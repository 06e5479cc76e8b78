//! `/peticiones/registrar`: a petition that came in writing (procedure 98: an oficio of the
//! Consejo Nacional de Salud, another agency or other sources), registered by the attention
//! units (`petitions::registering`) from the document, which is kept in the blob store
//! (`turno_app::petitions::register`).
//! The form is the mailbox's with the letter's fields; the petition gets its folio and an
//! access code the reply can give the petitioner.

use crate::auth::csrf::{self, CsrfMultipart};
use crate::error::AppError;
use crate::forms::shown_again;
use crate::page::{Frame, flash};
use crate::routes::mailbox::{Entered, MailboxPage};
use crate::state::AppState;
use crate::views::signed_in;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use turno_app::petitions::{self, Document, LetterInput, Registration, Rejected};
use turno_domain::citizen::Channel;

pub async fn get(frame: Frame) -> Result<Response, AppError> {
    petitions::registering(signed_in(&frame)?)?;
    let page = MailboxPage::new(frame.layout, Entered::new(Vec::new()), true);
    crate::page::html(&page)
}

pub async fn post(
    State(state): State<AppState>,
    frame: Frame,
    CsrfMultipart(mut multipart): CsrfMultipart,
) -> Result<Response, AppError> {
    let user = signed_in(&frame)?.clone();
    petitions::registering(&user)?;
    let (submitted, file) =
        crate::forms::with_file(&mut multipart, "archivo", "oficio.pdf").await?;
    let document = file.map(|(name, content)| Document { name, content });
    let mut entered = Entered::new(submitted);
    let registration = Registration {
        channel: match entered.value("canal") {
            "otras" => Channel::Other,
            _ => Channel::Letter,
        },
        draft: entered.draft(),
        letter: LetterInput {
            sender: entered.value("remitente"),
            reference: entered.value("oficio"),
            dated: entered.value("fecha_oficio"),
            document,
        },
    };
    let filed = match petitions::register(&state, &user, registration, csrf::random_bytes()).await {
        Ok(filed) => filed,
        Err(Rejected::Fields { petition, letter }) => {
            entered.problems = petition;
            entered.letter_problems = letter;
            return shown_again(
                axum::http::StatusCode::UNPROCESSABLE_ENTITY,
                &MailboxPage::new(frame.layout, entered, true),
            );
        }
        Err(Rejected::Error(e)) => return Err(e.into()),
    };
    flash(
        &frame,
        &format!(
            "Petición {} registrada. Código de acceso para la respuesta al remitente: {}.",
            filed.folio, filed.code
        ),
    );
    Ok(Redirect::to(&format!("/peticiones/{}", filed.folio)).into_response())
}
