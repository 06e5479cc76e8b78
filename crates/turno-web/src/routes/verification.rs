//! `/verificar`, the public verification page of documents signed with e.firma (issue 18,
//! `docs/efirma.md`): no sign-in. Anyone uploads the signed PDF as issued (or the signed
//! bytes), or types the document's number and the digest (the QR code of its signature page
//! lands here with both filled), and sees whether it is authentic, by whom, with which
//! certificate and when it was signed: `turno_app::correspondence::signed::verify_public`
//! verifies the stored signatures again. The upload is bounded by the pages' body limit.

use crate::auth::csrf::CsrfMultipart;
use crate::error::AppError;
use crate::forms::{Again, Submitted, single};
use crate::limits::{self, Client};
use crate::page::{Frame, Layout};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use turno_app::correspondence::signed::{self, FoundBy, Lookup, PublicCheck};

/// A signature as the page shows it.
pub struct ShownSignature {
    pub signer: String,
    pub identity: String,
    pub serial: String,
    pub issuer: String,
    /// When the server verified it, where the office is.
    pub signed_at: String,
    pub claimed: Option<String>,
    pub digest: String,
    /// Why it no longer verifies, if it does not.
    pub refusal: Option<String>,
}

/// A document found, as the page shows it.
pub struct Shown {
    pub authentic: bool,
    pub found_by: &'static str,
    pub kind: String,
    pub number: String,
    pub unit: String,
    pub cancelled: bool,
    pub signatures: Vec<ShownSignature>,
}

impl Shown {
    pub fn of(check: PublicCheck, time_zone: &jiff::tz::TimeZone) -> Shown {
        let local = |at: jiff::Timestamp| {
            at.to_zoned(time_zone.clone())
                .strftime("%d/%m/%Y a las %H:%M:%S")
                .to_string()
        };
        Shown {
            authentic: check.authentic(),
            found_by: match check.found_by {
                FoundBy::IssuedPdf => "el PDF firmado que emitió Turno",
                FoundBy::SignedBytes => "los bytes exactos que se firmaron",
                FoundBy::NumberAndDigest => "el número del documento y el resumen de lo firmado",
                FoundBy::FolioAndDigest => "el folio del asunto y el resumen de lo firmado",
            },
            kind: check.kind,
            number: check.number.unwrap_or_default(),
            unit: check.unit_name,
            cancelled: check.cancelled,
            signatures: check
                .signatures
                .into_iter()
                .map(|r| ShownSignature {
                    signer: r.signature.signer_name,
                    identity: [r.signature.rfc, r.signature.curp]
                        .into_iter()
                        .flatten()
                        .collect::<Vec<_>>()
                        .join(" · "),
                    serial: r.signature.serial,
                    issuer: r.signature.issuer,
                    signed_at: local(r.signature.verified_at),
                    claimed: r.signature.claimed_time.map(local),
                    digest: r.signature.digest,
                    refusal: r.refusal,
                })
                .collect(),
        }
    }
}

#[derive(Template)]
#[template(path = "verification.html")]
struct VerificationPage {
    layout: Layout,
    form: Again,
    /// Why nothing was found.
    not_found: Option<String>,
    shown: Option<Shown>,
    max_kib: usize,
}

#[derive(Deserialize)]
pub struct Typed {
    numero: Option<String>,
    resumen: Option<String>,
}

fn page(
    frame: Frame,
    status: StatusCode,
    form: Again,
    found: Result<Option<Shown>, String>,
) -> Result<Response, AppError> {
    let (not_found, shown) = match found {
        Ok(shown) => (None, shown),
        Err(message) => (Some(message), None),
    };
    let page = VerificationPage {
        layout: frame.layout,
        form,
        not_found,
        shown,
        max_kib: signed::MAX_UPLOAD / 1024,
    };
    crate::page::html_with(status, &page)
}

/// What a lookup answered, as the page shows it: found, not found (404), or refused (422).
async fn looked_up(
    state: &AppState,
    frame: Frame,
    submitted: Submitted,
    lookup: Lookup<'_>,
) -> Result<Response, AppError> {
    match signed::verify_public(state, lookup).await {
        Ok(check) => page(
            frame,
            StatusCode::OK,
            Again::filled(submitted),
            Ok(Some(Shown::of(check, &state.time_zone))),
        ),
        Err(turno_app::Error::NotFound(message)) => page(
            frame,
            StatusCode::NOT_FOUND,
            Again::filled(submitted),
            Err(message),
        ),
        Err(e) => {
            let again = Again::refused(submitted, e, &["archivo", "numero", "resumen"])?;
            let status = again.status();
            page(frame, status, again, Ok(None))
        }
    }
}

/// `GET /verificar`: the form, or with `numero` and `resumen` (the QR code's address), the
/// verdict.
pub async fn get(
    State(state): State<AppState>,
    frame: Frame,
    client: Client,
    Query(typed): Query<Typed>,
) -> Result<Response, AppError> {
    match (typed.numero, typed.resumen) {
        (Some(number), Some(digest)) => {
            limits::check(&state, &limits::VERIFICATIONS, &client).await?;
            let _place = limits::VERIFYING.enter().await?;
            let submitted = vec![
                ("numero".to_owned(), number.clone()),
                ("resumen".to_owned(), digest.clone()),
            ];
            let lookup = Lookup::Typed {
                number: &number,
                digest: &digest,
            };
            looked_up(&state, frame, submitted, lookup).await
        }
        _ => page(frame, StatusCode::OK, Again::default(), Ok(None)),
    }
}

/// `POST /verificar`: a file uploaded (`archivo`), or the number and digest typed.
pub async fn post(
    State(state): State<AppState>,
    frame: Frame,
    client: Client,
    CsrfMultipart(mut multipart): CsrfMultipart,
) -> Result<Response, AppError> {
    limits::check(&state, &limits::VERIFICATIONS, &client).await?;
    let _place = limits::VERIFYING.enter().await?;
    let (submitted, sent) =
        crate::forms::with_file(&mut multipart, "archivo", "documento.pdf").await?;
    let file = sent.map(|(_, bytes)| bytes).filter(|b| !b.is_empty());
    let number = single(&submitted, "numero").unwrap_or_default().to_owned();
    let digest = single(&submitted, "resumen").unwrap_or_default().to_owned();
    let submitted: Submitted = submitted
        .into_iter()
        .filter(|(name, _)| name != "csrf")
        .collect();
    let lookup = Lookup::asked(file.as_deref(), &number, &digest);
    looked_up(&state, frame, submitted, lookup).await
}
