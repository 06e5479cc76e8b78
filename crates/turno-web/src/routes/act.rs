//! `POST /asuntos/{folio}/atender`: completing an activity, or deciding it ("¿Procede?"), with
//! observaciones and the data the activity asks for, signed with e.firma when the activity asks
//! for it (`GET /asuntos/{folio}/atender/firma`: the exact text signed); and what every form of
//! an open activity shares ([`on_work`]).

use crate::auth::csrf::CsrfForm;
use crate::error::AppError;
use crate::forms::{Again, Submitted, given, once_key, single};
use crate::page::{Frame, flash};
use crate::routes::case::{self, CaseForm, Retry};
use crate::state::AppState;
use crate::views::signed_in;
use axum::extract::{FromRequest, FromRequestParts, Path, Query, Request, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use turno_app::efirma::EfirmaInput;
use turno_app::work::{self, Completion, OnWork, Work, WorkRequest};

/// The fields each form's problems are shown next to, as the application names them (a
/// completion's also the activity's own fields, by their names).
fn shown(form: CaseForm) -> &'static [&'static str] {
    match form {
        CaseForm::Act => &["outcome", "observations", "firma", "certificado"],
        CaseForm::Turn => &["units", "instruction", "business_days"],
        CaseForm::Clock | CaseForm::Withdraw => &["reason"],
    }
}

/// A form posted on one open work item of the case page, as its handlers take it: the
/// case's folio, the fields sent (its CSRF token checked) and the page's frame.
pub struct WorkForm {
    state: AppState,
    frame: Frame,
    folio: String,
    submitted: Submitted,
}

impl FromRequest<AppState> for WorkForm {
    type Rejection = Response;

    async fn from_request(request: Request, state: &AppState) -> Result<WorkForm, Response> {
        let (mut parts, body) = request.into_parts();
        let frame = Frame::from_request_parts(&mut parts, state)
            .await
            .map_err(IntoResponse::into_response)?;
        let Path(folio) = Path::<String>::from_request_parts(&mut parts, state)
            .await
            .map_err(IntoResponse::into_response)?;
        let CsrfForm(submitted) =
            CsrfForm::from_request(Request::from_parts(parts, body), state).await?;
        Ok(WorkForm {
            state: state.clone(),
            frame,
            folio,
            submitted,
        })
    }
}

/// The form `form` on its work item: the application's checks ([`work::on_work`]) on the
/// item, the case's version the form was shown with and the form's one-time key (`clave`:
/// sent again, by Back or a double click, it is taken once, and the case page shows what the
/// first one did), then `run`, whose answer is the message left for the case page. Refused,
/// the case page again with the form as it was sent: each problem next to its field, or,
/// when someone acted first, what they did and what was typed.
pub async fn on_work<F>(
    WorkForm {
        state,
        frame,
        folio,
        submitted,
    }: WorkForm,
    form: CaseForm,
    run: F,
) -> Result<Response, AppError>
where
    F: AsyncFnOnce(Work, &Submitted, &AppState) -> Result<String, turno_app::Error>,
{
    let state = &state;
    let user = signed_in(&frame)?;
    let number = |name: &str| single(&submitted, name).and_then(|v| v.parse::<i64>().ok());
    let (Some(item), Some(seen)) = (
        number("item").and_then(|n| u32::try_from(n).ok()),
        number("version"),
    ) else {
        return Err(AppError::BadRequest(
            "El formulario llegó incompleto. Vuelva a cargar la página del asunto.".into(),
        ));
    };
    let back = Redirect::to(&format!("/asuntos/{folio}"));
    let key = once_key(&submitted, user);
    let request = WorkRequest {
        folio: &folio,
        item,
        seen_version: Some(seen),
        idempotency_key: key.as_deref(),
    };
    let done = match work::on_work(state, user, request).await {
        Ok(OnWork::Replayed(_)) => return Ok(back.into_response()),
        Ok(OnWork::Ready(work)) => {
            let mut shown: Vec<String> = shown(form).iter().map(|f| (*f).to_owned()).collect();
            shown.extend(work.asked_fields().iter().map(|(f, _)| f.name.clone()));
            run(*work, &submitted, state).await.map_err(|e| (e, shown))
        }
        Err(e) => Err((e, Vec::new())),
    };
    match done {
        Ok(message) => {
            flash(&frame, &message);
            Ok(back.into_response())
        }
        Err((e, shown)) => {
            let shown: Vec<&str> = shown.iter().map(String::as_str).collect();
            let again = Again::refused(submitted, e, &shown)?;
            let retry = Retry {
                item,
                form,
                again,
                seen: Some(seen),
            };
            case::again(state, frame, folio, retry).await
        }
    }
}

/// The completion the activity form sent: the answer, the data the activity asks for, the
/// observations and, when the activity asks for it, the e.firma made in the page.
fn completion(work: &Work, submitted: &Submitted) -> Completion {
    let text = |name: &str| single(submitted, name).unwrap_or_default().to_owned();
    Completion {
        outcome: single(submitted, "outcome").map(str::to_owned),
        fields: given(&work.asked_fields(), submitted),
        observations: single(submitted, "observaciones").map(str::to_owned),
        efirma: work.signs().then(|| EfirmaInput {
            firma: text("firma"),
            certificado: text("certificado"),
        }),
    }
}

pub async fn post(posted: WorkForm) -> Result<Response, AppError> {
    on_work(
        posted,
        CaseForm::Act,
        async |work: Work, submitted: &Submitted, state: &AppState| {
            let number = work.number().to_owned();
            let signed = work.signs();
            let input = completion(&work, submitted);
            work.complete(state, input).await?;
            Ok(if signed {
                format!("Actividad {number} atendida y firmada con e.firma.")
            } else {
                format!("Actividad {number} atendida.")
            })
        },
    )
    .await
}

/// `GET /asuntos/{folio}/atender/firma?item=…&…`: the exact text (UTF-8) the person
/// signs with e.firma to complete the activity with the form's other fields as they are (the
/// `data-efirma` address of the activity's form, `static/efirma.js`). Data that would be
/// refused is refused here too (400): the script then sends the form without a signature, and
/// the case page shows it again with every problem by its field.
pub async fn signable(
    State(state): State<AppState>,
    frame: Frame,
    Path(folio): Path<String>,
    Query(submitted): Query<Submitted>,
) -> Result<Response, AppError> {
    let user = signed_in(&frame)?;
    // The case as it is now: the text does not depend on its version, and the completion sent
    // with the signature is refused if the case changed since the form was shown.
    let item = single(&submitted, "item").and_then(|v| v.parse::<u32>().ok());
    let request = WorkRequest {
        folio: &folio,
        item: item.unwrap_or_default(),
        seen_version: None,
        idempotency_key: None,
    };
    let OnWork::Ready(work) = work::on_work(&state, user, request).await? else {
        return Err(AppError::BadRequest(
            "Esta actividad ya se atendió: recargue la página del asunto.".into(),
        ));
    };
    let text = work.signed_text(&completion(&work, &submitted))?;
    Ok(([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], text).into_response())
}
