//! `/correspondencia/salida`: the outgoing documents of a person's units by stage, the
//! drafting form (also to correct a draft), and a document's page with its stages, history and
//! the forms of the steps the person may take: to review, visto bueno, return, the titular's
//! signature with the signed scan (when it takes its number), dispatch, the acuse of someone
//! outside, cancellation. Every rule is `turno_app::correspondence::outgoing`'s, as for
//! `/api/v1/correspondence/outgoing`; a refused form is shown again with every problem next to
//! its field and everything typed.

use crate::auth::csrf::{CsrfForm, CsrfMultipart};
use crate::error::AppError;
use crate::filters;
use crate::forms::{Again, Submitted, once_key, shown_again, single, values};
use crate::page::{Frame, Layout, flash};
use crate::state::AppState;
use crate::views::signed_in;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;
use turno_app::correspondence::outgoing::{
    self, Action, AcuseInput, DraftInput, OutgoingView, RecipientInput, Upload, lines,
};
use turno_app::correspondence::signed::{self, EfirmaInput};
use turno_app::limits;
use turno_domain::correspondence::{DocumentKind, Stage, Step};
use turno_store::Role;
use turno_store::correspondence::outgoing::OutgoingSummary;

/// The form's fields as the application names them, with an input on the page.
const DRAFT_FIELDS: [&str; 11] = [
    "unit",
    "kind",
    "subject",
    "body",
    "attention_to",
    "case_folio",
    "answers_turn",
    "recipients",
    "copies",
    "reviewers",
    "signers",
];

#[derive(Template)]
#[template(path = "outgoing_list.html")]
struct ListPage {
    layout: Layout,
    /// (code, label, chosen) of the stage filter; the first is «all».
    stages: Vec<(String, String, bool)>,
    rows: Vec<OutgoingSummary>,
}

#[derive(Deserialize)]
pub struct ListQuery {
    etapa: Option<String>,
}

/// `GET /correspondencia/salida`.
pub async fn list(
    State(state): State<AppState>,
    frame: Frame,
    Query(query): Query<ListQuery>,
) -> Result<Response, AppError> {
    let user = signed_in(&frame)?;
    let chosen = query.etapa.as_deref().and_then(Stage::from_code);
    let rows = outgoing::list(&state, user, chosen).await?;
    let mut stages = vec![(String::new(), "Todas".to_owned(), chosen.is_none())];
    stages.extend(
        Stage::ALL
            .into_iter()
            .map(|s| (s.code().to_owned(), s.label().to_owned(), Some(s) == chosen)),
    );
    let page = ListPage {
        layout: frame.layout,
        stages,
        rows,
    };
    Ok(Html(page.render().map_err(anyhow::Error::from)?).into_response())
}

#[derive(Template)]
#[template(path = "outgoing_form.html")]
struct FormPage {
    layout: Layout,
    /// `None` for a new draft, the document's number to correct one.
    id: Option<i64>,
    version: i64,
    /// (code, name) of the units the person drafts for.
    units: Vec<(String, String)>,
    /// (code, label) of the kinds a unit issues.
    kinds: Vec<(String, String)>,
    form: Again,
    /// The open incoming turns the draft may answer.
    answerable: Vec<outgoing::Answerable>,
    max_name: usize,
    max_letter: usize,
    max_signers: usize,
    /// The one-time key of a new draft's form (`forms::ONCE`): sent twice, it drafts once.
    key: String,
}

/// The units a person drafts for: those where they act (not only consult).
fn drafting_units(user: &turno_app::Principal) -> Vec<(String, String)> {
    let mut units: Vec<(String, String)> = user
        .memberships
        .iter()
        .filter(|m| m.role != Role::Consulta)
        .map(|m| (m.unit_code.clone(), m.unit_name.clone()))
        .collect();
    units.sort();
    units.dedup();
    units
}

async fn form_page(
    state: &AppState,
    frame: Frame,
    user: &turno_app::Principal,
    id: Option<i64>,
    version: i64,
    form: Again,
) -> Result<FormPage, AppError> {
    Ok(FormPage {
        answerable: outgoing::answerable(state, user).await?,
        layout: frame.layout,
        id,
        version,
        units: drafting_units(user),
        kinds: DocumentKind::ALL
            .iter()
            .filter(|k| k.is_issued())
            .map(|k| (k.code().to_owned(), k.label().to_owned()))
            .collect(),
        form,
        max_name: limits::NAME,
        max_letter: limits::LETTER,
        max_signers: outgoing::MAX_SIGNERS,
        key: crate::auth::csrf::random_token(),
    })
}

fn render(page: &impl Template) -> Result<Response, AppError> {
    Ok(Html(page.render().map_err(anyhow::Error::from)?).into_response())
}

#[derive(Deserialize)]
pub struct NewQuery {
    /// The case the document is drafted for, from its page.
    asunto: Option<String>,
}

/// `GET /correspondencia/salida/nuevo`, from a case's page with its folio filled in.
pub async fn new(
    State(state): State<AppState>,
    frame: Frame,
    Query(query): Query<NewQuery>,
) -> Result<Response, AppError> {
    let user = signed_in(&frame)?.clone();
    let filled = match query.asunto {
        Some(folio) => outgoing::for_case(&state, &user, &folio)
            .await?
            .into_iter()
            .map(|(name, value)| (name.to_owned(), value))
            .collect(),
        None => Vec::new(),
    };
    let page = form_page(&state, frame, &user, None, 0, Again::filled(filled)).await?;
    let html = page.render().map_err(anyhow::Error::from)?;
    // Back must show the form with the one-time key it was sent with, so that sending it
    // again drafts nothing twice: browsers keep a `no-cache` page for Back, not a `no-store`
    // one (as the registration of a case).
    Ok(([(header::CACHE_CONTROL, "private, no-cache")], Html(html)).into_response())
}

/// A draft as the form sends it: the lists one a line, the reviewers and the signers one a line
/// or by commas.
fn draft_input(form: &Submitted) -> DraftInput {
    let text = |name: &str| single(form, name).unwrap_or_default().to_owned();
    let logins = |name: &str| -> Vec<String> {
        values(form, name)
            .into_iter()
            .flat_map(|v| v.split([',', '\n']))
            .map(|l| l.trim().to_owned())
            .filter(|l| !l.is_empty())
            .collect()
    };
    DraftInput {
        unit: text("unit"),
        kind: text("kind"),
        subject: text("subject"),
        body: text("body"),
        attention_to: text("attention_to"),
        case_folio: text("case_folio"),
        answers_turn: text("answers_turn"),
        recipients: lines(&text("recipients")),
        copies: lines(&text("copies")),
        reviewers: logins("reviewers"),
        signers: logins("signers"),
    }
}

/// `POST /correspondencia/salida/nuevo`.
pub async fn create(
    State(state): State<AppState>,
    frame: Frame,
    CsrfForm(form): CsrfForm<Submitted>,
) -> Result<Response, AppError> {
    let user = signed_in(&frame)?.clone();
    let once = once_key(&form, &user);
    match outgoing::draft_once(&state, &user, &draft_input(&form), once.as_deref()).await {
        Ok(id) => {
            flash(&frame, &format!("Borrador n.º {id} guardado."));
            Ok(Redirect::to(&format!("/correspondencia/salida/{id}")).into_response())
        }
        Err(e) => {
            let again = Again::refused(form, e, &DRAFT_FIELDS)?;
            let status = again.status();
            shown_again(
                status,
                &form_page(&state, frame, &user, None, 0, again).await?,
            )
        }
    }
}

/// `GET /correspondencia/salida/{id}/corregir`: the draft's form, filled with it.
pub async fn edit(
    State(state): State<AppState>,
    frame: Frame,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let user = signed_in(&frame)?.clone();
    let view = outgoing::show(&state, &user, id).await?;
    if !view.may(Action::Correct) {
        if !outgoing::writes_for(&user, &view.document.unit) {
            return Err(AppError::Denied(
                "Solo las personas de la unidad que lo emite corrigen sus borradores.".into(),
            ));
        }
        flash(
            &frame,
            "Este documento ya no es un borrador: no se corrige.",
        );
        return Ok(Redirect::to(&format!("/correspondencia/salida/{id}")).into_response());
    }
    let d = &view.document;
    let list = |copy: bool| {
        d.recipients
            .iter()
            .filter(|r| r.copy == copy)
            .map(|r| {
                RecipientInput {
                    unit: r.unit_code.clone(),
                    name: r.name.clone(),
                    title: r.title.clone(),
                    institution: r.institution.clone(),
                }
                .line()
            })
            .collect::<Vec<_>>()
            .join("\n")
    };
    let filled: Submitted = [
        ("unit", d.unit.clone()),
        ("kind", d.kind.code().to_owned()),
        ("subject", d.subject.clone()),
        ("body", d.body.clone()),
        ("attention_to", d.attention_to.clone().unwrap_or_default()),
        ("case_folio", d.case_folio.clone().unwrap_or_default()),
        (
            "answers_turn",
            d.answers.map(|a| a.turn.to_string()).unwrap_or_default(),
        ),
        ("recipients", list(false)),
        ("copies", list(true)),
        ("reviewers", d.reviewers.join("\n")),
        ("signers", d.signers.join("\n")),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect();
    let version = d.version;
    render(
        &form_page(
            &state,
            frame,
            &user,
            Some(id),
            version,
            Again::filled(filled),
        )
        .await?,
    )
}

/// `POST /correspondencia/salida/{id}/corregir`.
pub async fn correct(
    State(state): State<AppState>,
    frame: Frame,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<Submitted>,
) -> Result<Response, AppError> {
    let user = signed_in(&frame)?.clone();
    let version = version(&form);
    match outgoing::correct(&state, &user, id, version, &draft_input(&form)).await {
        Ok(()) => {
            flash(&frame, "Borrador corregido.");
            Ok(Redirect::to(&format!("/correspondencia/salida/{id}")).into_response())
        }
        Err(e) => {
            let again = Again::refused(form, e, &DRAFT_FIELDS)?;
            let status = again.status();
            shown_again(
                status,
                &form_page(&state, frame, &user, Some(id), version, again).await?,
            )
        }
    }
}

fn version(form: &Submitted) -> i64 {
    single(form, "version")
        .and_then(|v| v.parse().ok())
        .unwrap_or(-1)
}

#[derive(Template)]
#[template(path = "outgoing.html")]
struct DocumentPage {
    layout: Layout,
    view: OutgoingView,
    /// The form refused, by its name (`paso`, `firma`, `despacho`, `acuse`), shown again.
    refused: String,
    form: Again,
    max_text: usize,
    max_name: usize,
    /// Now, where the office is, for the acuse's date (`aaaa-mm-ddThh:mm`).
    now: String,
    time_zone: jiff::tz::TimeZone,
}

impl DocumentPage {
    fn may(&self, action: Action) -> bool {
        self.view.may(action)
    }

    /// The form's value again when it is the refused one.
    fn again(&self, form: &str, name: &str) -> &str {
        if self.refused == form {
            self.form.value(name)
        } else {
            ""
        }
    }

    fn problem(&self, form: &str, field: &str) -> Option<String> {
        (self.refused == form)
            .then(|| self.form.error(field))
            .flatten()
    }

    /// A moment of the history as the page shows it, in the agency's time zone.
    fn when(&self, at: &jiff::Timestamp) -> String {
        crate::views::local(*at, &self.time_zone)
    }

    fn stage_done(&self, stage: &Stage) -> bool {
        self.view.document.history.iter().any(|h| h.stage == *stage)
    }
}

async fn document_page(
    state: &AppState,
    frame: Frame,
    id: i64,
    refused: &str,
    form: Again,
) -> Result<DocumentPage, AppError> {
    let user = signed_in(&frame)?;
    let view = outgoing::show(state, user, id).await?;
    let now = state.local_now().strftime("%Y-%m-%dT%H:%M").to_string();
    Ok(DocumentPage {
        layout: frame.layout,
        view,
        refused: refused.to_owned(),
        form,
        max_text: limits::TEXT,
        max_name: limits::NAME,
        now,
        time_zone: state.time_zone.clone(),
    })
}

/// `GET /correspondencia/salida/{id}`.
pub async fn show(
    State(state): State<AppState>,
    frame: Frame,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    render(&document_page(&state, frame, id, "", Again::default()).await?)
}

/// The document's page again with the refused form, or back to it with a message.
async fn answered(
    state: &AppState,
    frame: Frame,
    id: i64,
    (name, form): (&str, Submitted),
    done: Result<String, turno_app::Error>,
) -> Result<Response, AppError> {
    match done {
        Ok(message) => {
            flash(&frame, &message);
            Ok(Redirect::to(&format!("/correspondencia/salida/{id}")).into_response())
        }
        Err(e) => {
            let shown = [
                "reason",
                "scan",
                "recipient",
                "received_at",
                "received_by",
                "firma",
                "certificado",
            ];
            let again = Again::refused(form, e, &shown)?;
            let status = again.status();
            shown_again(status, &document_page(state, frame, id, name, again).await?)
        }
    }
}

/// `POST /correspondencia/salida/{id}/paso`: to review, visto bueno, return or cancel
/// (`paso`: `enviar_revision`, `visto_bueno`, `devolver`, `cancelar`).
pub async fn step(
    State(state): State<AppState>,
    frame: Frame,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<Submitted>,
) -> Result<Response, AppError> {
    let user = signed_in(&frame)?.clone();
    let step = match single(&form, "paso") {
        Some("enviar_revision") => Step::SendToReview,
        Some("visto_bueno") => Step::Approve,
        Some("devolver") => Step::Return,
        Some("cancelar") => Step::Cancel,
        _ => return Err(AppError::BadRequest("Elija un paso.".into())),
    };
    let reason = single(&form, "reason").unwrap_or_default().to_owned();
    let done = outgoing::step(&state, &user, id, version(&form), step, &reason)
        .await
        .map(|stage| format!("Documento en estado «{}».", stage.label().to_lowercase()));
    answered(&state, frame, id, ("paso", form), done).await
}

/// `POST /correspondencia/salida/{id}/firma`: the titular's signature with the signed scan.
pub async fn sign(
    State(state): State<AppState>,
    frame: Frame,
    Path(id): Path<i64>,
    CsrfMultipart(mut multipart): CsrfMultipart,
) -> Result<Response, AppError> {
    let user = signed_in(&frame)?.clone();
    let (form, sent) = crate::forms::with_file(&mut multipart, "scan", "firmado.pdf").await?;
    let (name, content) = sent.unwrap_or_default();
    let done = outgoing::sign(&state, &user, id, version(&form), &Upload { name, content })
        .await
        .map(|number| format!("Firmado con el número {}.", number.text));
    answered(&state, frame, id, ("firma", form), done).await
}

/// `GET /correspondencia/salida/{id}/firma/contenido?version=…`: the exact bytes the titular
/// signs with e.firma (the `data-efirma` address of the signature's form, `static/efirma.js`).
pub async fn signable(
    State(state): State<AppState>,
    frame: Frame,
    Path(id): Path<i64>,
    Query(query): Query<SignableQuery>,
) -> Result<Response, AppError> {
    let user = signed_in(&frame)?;
    Ok(signable_response(&state, user, id, query.version).await?)
}

/// Which version of the document is signed; the form's other fields are ignored.
#[derive(Deserialize)]
pub struct SignableQuery {
    pub version: Option<i64>,
}

pub use crate::letter::signable_bytes;

/// A PDF answered to be shown in the browser, as `name`.
pub fn pdf_file(name: &str, bytes: Vec<u8>) -> Response {
    (
        [
            (header::CONTENT_TYPE, "application/pdf".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("inline; filename=\"{name}\""),
            ),
        ],
        bytes,
    )
        .into_response()
}

pub async fn signable_response(
    state: &AppState,
    user: &turno_app::Principal,
    id: i64,
    seen: Option<i64>,
) -> Result<Response, turno_app::Error> {
    let bytes = signable_bytes(state, user, id, seen).await?;
    Ok(pdf_file(&format!("por-firmar-{id}.pdf"), bytes))
}

/// `POST /correspondencia/salida/{id}/efirma`: the titular's (or the signer in turn's) e.firma
/// made in the page
/// (`firma`, `certificado`) over the signable bytes of the version seen; verified before
/// anything is stored, every refusal next to the signature's fields.
pub async fn efirma(
    State(state): State<AppState>,
    frame: Frame,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<Submitted>,
) -> Result<Response, AppError> {
    let user = signed_in(&frame)?.clone();
    let seen = version(&form);
    let input = EfirmaInput {
        firma: single(&form, "firma").unwrap_or_default().to_owned(),
        certificado: single(&form, "certificado").unwrap_or_default().to_owned(),
    };
    let done = async {
        let content = signable_bytes(&state, &user, id, Some(seen)).await?;
        signed::sign(&state, &user, id, seen, &content, &input).await
    }
    .await
    .map(|signed| signed.message());
    answered(&state, frame, id, ("efirma", form), done).await
}

/// The signed PDF (the document and a page per e.firma signature), its SHA-256 kept so that
/// the public page recognizes it; for the page and the API.
pub async fn signed_pdf_response(
    state: &AppState,
    user: &turno_app::Principal,
    id: i64,
) -> Result<Response, turno_app::Error> {
    let view = outgoing::show(state, user, id).await?;
    if view.document.signatures.is_empty() {
        return Err(turno_app::Error::NotFound(
            "Este documento no está firmado con e.firma.".into(),
        ));
    }
    if view.document.number.is_none() {
        return Err(turno_app::Error::NotFound(
            "Este documento aún no tiene todas sus firmas: su PDF firmado sale con la última."
                .into(),
        ));
    }
    let bytes = crate::letter::signed(&view, &state.notifier.settings().base_url, &state.time_zone)
        .map_err(|e| turno_app::Error::internal(format!("the signed PDF: {e}")))?;
    signed::issued(state, &view, &bytes).await?;
    let number = view
        .document
        .number
        .as_ref()
        .map_or("", |n| n.text.as_str());
    let name = format!("{}-firmado.pdf", number.replace(['/', '\\'], "-"));
    Ok(pdf_file(&name, bytes))
}

/// `GET /correspondencia/salida/{id}/pdf-firmado`.
pub async fn signed_pdf(
    State(state): State<AppState>,
    frame: Frame,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    Ok(signed_pdf_response(&state, signed_in(&frame)?, id).await?)
}

/// `POST /correspondencia/salida/{id}/despacho`.
pub async fn dispatch(
    State(state): State<AppState>,
    frame: Frame,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<Submitted>,
) -> Result<Response, AppError> {
    let user = signed_in(&frame)?.clone();
    let done = outgoing::dispatch(&state, &user, id, version(&form))
        .await
        .map(|()| {
            "Despachado: las unidades destinatarias lo recibieron con acuse automático.".to_owned()
        });
    answered(&state, frame, id, ("despacho", form), done).await
}

/// `POST /correspondencia/salida/{id}/acuse`: the acuse of a recipient outside, with its scan.
pub async fn acuse(
    State(state): State<AppState>,
    frame: Frame,
    Path(id): Path<i64>,
    CsrfMultipart(mut multipart): CsrfMultipart,
) -> Result<Response, AppError> {
    let user = signed_in(&frame)?.clone();
    let (form, sent) = crate::forms::with_file(&mut multipart, "scan", "acuse.pdf").await?;
    let input = AcuseInput {
        recipient: single(&form, "recipient")
            .and_then(|r| r.parse().ok())
            .unwrap_or(0),
        received_at: single(&form, "received_at").unwrap_or_default().to_owned(),
        received_by: single(&form, "received_by").unwrap_or_default().to_owned(),
        scan: sent.map(|(name, content)| Upload { name, content }),
    };
    let done = outgoing::record_acuse(&state, &user, id, &input)
        .await
        .map(|()| "Acuse registrado.".to_owned());
    answered(&state, frame, id, ("acuse", form), done).await
}

/// The document as a PDF download, for the page and the API.
pub fn pdf_response(view: &OutgoingView) -> Result<Response, AppError> {
    let bytes = crate::letter::pdf(view)?;
    let name = match &view.document.number {
        Some(number) => format!("{}.pdf", number.text.replace(['/', '\\'], "-")),
        None => format!("borrador-{}.pdf", view.document.id),
    };
    Ok((
        [
            (header::CONTENT_TYPE, "application/pdf".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("inline; filename=\"{name}\""),
            ),
        ],
        bytes,
    )
        .into_response())
}

/// `GET /correspondencia/salida/{id}/pdf`.
pub async fn pdf(
    State(state): State<AppState>,
    frame: Frame,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let view = outgoing::show(&state, signed_in(&frame)?, id).await?;
    pdf_response(&view)
}

/// `GET /correspondencia/salida/{id}/firmado`: the signed scan.
pub async fn signed(
    State(state): State<AppState>,
    frame: Frame,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let scan = outgoing::scan(&state, signed_in(&frame)?, id, None).await?;
    crate::documents::scanned_response(&scan.name, scan.content)
}

/// `GET /correspondencia/salida/{id}/acuses/{n}`: the scanned acuse of recipient `n`.
pub async fn acuse_scan(
    State(state): State<AppState>,
    frame: Frame,
    Path((id, n)): Path<(i64, usize)>,
) -> Result<Response, AppError> {
    let scan = outgoing::scan(&state, signed_in(&frame)?, id, Some(n)).await?;
    crate::documents::scanned_response(&scan.name, scan.content)
}
