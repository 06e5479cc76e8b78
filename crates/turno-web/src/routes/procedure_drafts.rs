//! `/procedimientos/borradores`: drafts of procedure definitions read from an uploaded manual
//! or BPMN file, reviewed beside their source and published as new versions
//! (`turno_app::procedure_drafts`, as `/api/v1/procedure-drafts`), for administrators.
//! `GET` lists them with the upload form, `POST` uploads; `…/{id}` is a draft's review: its
//! source text with line numbers, its review report, its problems by line, the definition to
//! edit and its flowchart; «Guardar» (`POST …/{id}`), «Publicar» (`…/{id}/publicar`, the text
//! as edited) and «Descartar» (`…/{id}/descartar`).

use crate::auth::csrf::{CsrfForm, CsrfMultipart};
use crate::error::AppError;
use crate::forms::{Again, Submitted, shown_again, single};
use crate::page::{Frame, Layout, flash};
use crate::state::AppState;
use crate::views::{signed_in, when};
use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use turno_app::procedure_drafts::{
    self as drafts, Problem, Review, Upload, source_label, state_label,
};
use turno_app::{Error, limits};
use turno_store::procedure_drafts::DraftState;

/// A draft in the list.
pub struct Row {
    pub id: i64,
    pub key: String,
    pub source: &'static str,
    pub file_name: String,
    pub state: &'static str,
    pub published: String,
    pub created: String,
}

#[derive(Template)]
#[template(path = "procedure_drafts.html")]
struct ListPage {
    layout: Layout,
    rows: Vec<Row>,
    /// The upload form, again when it was refused.
    upload: Again,
    max_prefix: usize,
}

pub async fn list(State(state): State<AppState>, frame: Frame) -> Result<Response, AppError> {
    let page = list_page(&state, frame, Again::default()).await?;
    let status = page.upload.page_status();
    shown_again(status, &page)
}

async fn list_page(state: &AppState, frame: Frame, upload: Again) -> Result<ListPage, AppError> {
    let user = signed_in(&frame)?;
    let rows = drafts::list(state, user)
        .await?
        .into_iter()
        .map(|d| Row {
            id: d.id,
            key: d.key,
            source: source_label(d.source),
            file_name: d.file_name,
            state: state_label(d.state),
            published: d
                .published
                .map(|(key, version)| format!("{key} versión {version}"))
                .unwrap_or_default(),
            created: format!(
                "{} ({})",
                when(&d.created_at, &state.time_zone),
                d.created_by
            ),
        })
        .collect();
    Ok(ListPage {
        layout: frame.layout,
        rows,
        upload,
        max_prefix: limits::KEY_PREFIX,
    })
}

/// `POST /procedimientos/borradores`: reads the file into drafts; one draft opens its review,
/// several go back to the list. Refused, the form again with each problem by its field.
pub async fn upload(
    State(state): State<AppState>,
    frame: Frame,
    CsrfMultipart(mut multipart): CsrfMultipart,
) -> Result<Response, AppError> {
    let user = signed_in(&frame)?.clone();
    let (form, file) = crate::forms::with_file(&mut multipart, "archivo", "").await?;
    let (file_name, content) = file.unwrap_or_default();
    let sent = Upload {
        kind: single(&form, "tipo").unwrap_or_default(),
        prefix: single(&form, "prefijo").unwrap_or_default(),
        file_name: &file_name,
        content: &content,
    };
    match drafts::upload(&state, &user, sent).await {
        Ok(ids) => {
            let told = match ids.len() {
                1 => format!("Se leyó un borrador de {file_name}."),
                n => format!("Se leyeron {n} borradores de {file_name}."),
            };
            flash(&frame, &told);
            Ok(match ids.as_slice() {
                [id] => Redirect::to(&format!("/procedimientos/borradores/{id}")),
                _ => Redirect::to("/procedimientos/borradores"),
            }
            .into_response())
        }
        Err(e) => {
            let again = Again::refused(form, e, &["kind", "prefix", "file"])?;
            let status = again.status();
            shown_again(status, &list_page(&state, frame, again).await?)
        }
    }
}

/// A numbered line of a text.
pub struct Line {
    pub number: usize,
    pub text: String,
}

#[derive(Template)]
#[template(path = "procedure_draft.html")]
struct ReviewPage {
    layout: Layout,
    id: i64,
    key: String,
    source: &'static str,
    file_name: String,
    state: &'static str,
    open: bool,
    published: Option<(String, i64)>,
    created: String,
    changed: String,
    source_lines: Vec<Line>,
    report: String,
    problems: Vec<Problem>,
    /// The definition's key and version, and the newest published version of the key.
    version: Option<(String, u32, Option<u32>)>,
    flowchart: Option<String>,
    /// The definition as typed (or as saved), and what was refused of it.
    form: Again,
    max_definition: usize,
}

fn review_page(state: &AppState, layout: Layout, review: Review, form: Again) -> ReviewPage {
    let tz = &state.time_zone;
    let d = review.draft;
    let h = d.head;
    ReviewPage {
        layout,
        id: h.id,
        key: h.key,
        source: source_label(h.source),
        file_name: h.file_name,
        state: state_label(h.state),
        open: h.state == DraftState::Borrador,
        published: h.published,
        created: format!("{} por {}", when(&h.created_at, tz), h.created_by),
        changed: format!("{} por {}", when(&h.changed_at, tz), h.changed_by),
        source_lines: d
            .source_text
            .lines()
            .enumerate()
            .map(|(i, text)| Line {
                number: i + 1,
                text: text.replace('\u{c}', ""),
            })
            .collect(),
        report: d.report,
        problems: review.problems,
        version: review
            .procedure
            .as_ref()
            .map(|p| (p.key.clone(), p.version, review.newest)),
        flowchart: review
            .procedure
            .as_ref()
            .map(|p| crate::flowchart::render(p, &[])),
        form: if form.is_refused() {
            form
        } else {
            Again::filled(vec![("definicion".into(), d.definition)])
        },
        max_definition: limits::DEFINITION,
    }
}

pub async fn show(
    State(state): State<AppState>,
    frame: Frame,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let user = signed_in(&frame)?;
    let review = drafts::review(&state, user, id).await?;
    crate::page::html(&review_page(&state, frame.layout, review, Again::default()))
}

/// The review again with the definition as sent and what was refused of it (422, or 409
/// when the draft was closed or the version taken); the problems by line are the text's.
async fn refused(
    state: &AppState,
    frame: Frame,
    id: i64,
    submitted: Submitted,
    error: Error,
) -> Result<Response, AppError> {
    let user = signed_in(&frame)?;
    let again = Again::refused(submitted, error, &["definition"])?;
    let mut review = drafts::review(state, user, id).await?;
    let (procedure, problems) = drafts::check(&state.library.current(), again.value("definicion"));
    review.procedure = procedure;
    review.problems = problems;
    let status = again.status();
    shown_again(status, &review_page(state, frame.layout, review, again))
}

/// `POST /procedimientos/borradores/{id}`: «Guardar».
pub async fn save(
    State(state): State<AppState>,
    frame: Frame,
    Path(id): Path<i64>,
    CsrfForm(submitted): CsrfForm<Submitted>,
) -> Result<Response, AppError> {
    let user = signed_in(&frame)?.clone();
    let text = single(&submitted, "definicion")
        .unwrap_or_default()
        .to_owned();
    match drafts::save(&state, &user, id, &text).await {
        Ok(_) => {
            flash(
                &frame,
                "Se guardó el borrador: la definición no tiene problemas.",
            );
            Ok(Redirect::to(&format!("/procedimientos/borradores/{id}")).into_response())
        }
        Err(e) => refused(&state, frame, id, submitted, e).await,
    }
}

/// `POST /procedimientos/borradores/{id}/publicar`: «Publicar», the definition as edited.
pub async fn publish(
    State(state): State<AppState>,
    frame: Frame,
    Path(id): Path<i64>,
    CsrfForm(submitted): CsrfForm<Submitted>,
) -> Result<Response, AppError> {
    let user = signed_in(&frame)?.clone();
    let text = single(&submitted, "definicion").map(str::to_owned);
    match drafts::publish(&state, &user, id, text.as_deref()).await {
        Ok(published) => {
            flash(
                &frame,
                &format!(
                    "Se publicó «{}» como la versión {} de {}: los asuntos nuevos empiezan en \
                     ella; los que están en curso siguen en la suya.",
                    published.title, published.version, published.key
                ),
            );
            Ok(Redirect::to(&format!("/procedimientos/{}", published.key)).into_response())
        }
        Err(e) => refused(&state, frame, id, submitted, e).await,
    }
}

/// `POST /procedimientos/borradores/{id}/descartar`: «Descartar».
pub async fn discard(
    State(state): State<AppState>,
    frame: Frame,
    Path(id): Path<i64>,
    CsrfForm(_): CsrfForm<Submitted>,
) -> Result<Response, AppError> {
    let user = signed_in(&frame)?;
    drafts::discard(&state, user, id).await?;
    flash(&frame, &format!("Se descartó el borrador n.º {id}."));
    Ok(Redirect::to("/procedimientos/borradores").into_response())
}
