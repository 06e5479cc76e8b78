//! `/peticiones/registrar`: a petition that came in writing (procedure 98: an oficio of the
//! Consejo Nacional de Salud, another agency or other sources), registered by the attention
//! units (`access::may_work_petitions`) from the document, which is kept in the blob store.
//! The form is the mailbox's with the letter's fields; the petition gets its folio and an
//! access code the reply can give the petitioner.

use crate::auth::csrf::{self, CsrfMultipart};
use crate::error::AppError;
use crate::forms::Submitted;
use crate::page::{Frame, flash};
use crate::routes::mailbox::{Entered, MailboxPage, refused};
use crate::state::AppState;
use crate::views::signed_in;
use askama::Template;
use axum::extract::State;
use axum::response::{Html, IntoResponse, Redirect, Response};
use turno_app::access::may_work_petitions;
use turno_domain::citizen::{AccessCode, Channel, Letter, LetterProblem};
use turno_store::Petitions;
use turno_store::blobs::BlobStore;
use turno_store::citizen::FiledLetter;

/// The largest scanned oficio accepted.
const MAX_DOCUMENT: usize = 10 * 1024 * 1024;

pub async fn get(frame: Frame) -> Result<Response, AppError> {
    if !may_work_petitions(signed_in(&frame)?) {
        return Err(AppError::Forbidden);
    }
    let page = MailboxPage::new(frame.layout, Entered::new(Vec::new()), true);
    Ok(Html(page.render().map_err(anyhow::Error::from)?).into_response())
}

pub async fn post(
    State(state): State<AppState>,
    frame: Frame,
    CsrfMultipart(mut multipart): CsrfMultipart,
) -> Result<Response, AppError> {
    let user = signed_in(&frame)?.clone();
    if !may_work_petitions(&user) {
        return Err(AppError::Forbidden);
    }
    let unreadable = |_| AppError::BadRequest("No se pudo leer el formulario enviado.".into());
    let mut submitted: Submitted = Vec::new();
    let mut document: Option<(String, Vec<u8>)> = None;
    while let Some(field) = multipart.next_field().await.map_err(unreadable)? {
        let name = field.name().unwrap_or_default().to_owned();
        if name == "archivo" {
            let file = crate::documents::file_name(field.file_name().unwrap_or("oficio.pdf"));
            let bytes = field.bytes().await.map_err(unreadable)?;
            if bytes.len() > MAX_DOCUMENT {
                return Err(AppError::BadRequest(format!(
                    "El oficio pasa de {}.",
                    turno_app::documents::size_label(MAX_DOCUMENT as u64)
                )));
            }
            document = Some((file, bytes.to_vec())).filter(|(_, b)| !b.is_empty());
        } else {
            submitted.push((name, field.text().await.map_err(unreadable)?));
        }
    }
    let mut entered = Entered::new(submitted);
    let channel = match entered.value("canal") {
        "otras" => Channel::Other,
        _ => Channel::Letter,
    };
    let now = state.local_now();
    let petition = entered.draft().check(channel, now, false);
    let letter = Letter::check(
        entered.value("remitente"),
        entered.value("oficio"),
        entered.value("fecha_oficio"),
        now.date(),
    );
    let mut letter_problems = letter.as_ref().err().cloned().unwrap_or_default();
    if document.is_none() {
        letter_problems.push(LetterProblem {
            field: "archivo",
            label: "Oficio escaneado",
            reason: "adjunte el oficio escaneado".to_owned(),
        });
    }
    let (petition, letter, (document_name, bytes)) = match (petition, letter, document) {
        (Ok(petition), Ok(letter), Some(document)) => (petition, letter, document),
        (petition, _, _) => {
            entered.problems = petition.err().unwrap_or_default();
            entered.letter_problems = letter_problems;
            return refused(MailboxPage::new(frame.layout, entered, true));
        }
    };
    let stored = state
        .blobs
        .put(&bytes)
        .await
        .map_err(|e| anyhow::anyhow!("cannot keep the oficio: {e}"))?;
    let code = AccessCode::from_random(csrf::random_bytes());
    let filed = FiledLetter {
        letter,
        document_sha256: stored.sha256,
        document_name,
    };
    let folio = state
        .store
        .file_petition(&petition, code.digest(), Some(&filed))
        .await?;
    tracing::info!(%folio, by = %user.login, "petition registered from a letter");
    flash(
        &frame,
        &format!(
            "Petición {folio} registrada. Código de acceso para la respuesta al remitente: {code}."
        ),
    );
    Ok(Redirect::to(&format!("/peticiones/{folio}")).into_response())
}
