//! `GET /seguimiento/{key}/{item}`: an item with its activities, evidence and history, and the
//! form to record progress; `POST /seguimiento/{key}/{item}/avance`: recording it, with an
//! evidence file streamed to the blob store as a case's documents are; `GET
//! /seguimiento/{key}/{item}/evidencia/{activity}/{n}`: the evidence file.

use super::{day, load, refusal};
use crate::auth::csrf::CsrfMultipart;
use crate::documents::{Received, file_name, file_response, pump};
use crate::error::AppError;
use crate::page::{Frame, Layout, flash};
use crate::state::AppState;
use crate::views::{signed_in, when};
use askama::Template;
use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use tokio::sync::mpsc;
use turno_app::documents::too_large;
use turno_app::programs::may_edit;
use turno_domain::followup::{Change, Closure, Evidence, Progress};
use turno_store::blobs::{BlobError, BlobStore, check_mime};
use turno_store::followup::{ActivityAt, EvidenceFile, Followup, Recorded};

pub struct ActivityView {
    pub number: u32,
    pub description: String,
    pub start: String,
    pub end: String,
    pub products: String,
    pub responsible: String,
    pub percent: u8,
    pub status: &'static str,
    pub evidence: Vec<(usize, String)>,
    pub editable: bool,
}

pub struct HistoryView {
    pub activity: u32,
    pub at: String,
    pub actor: String,
    pub before: u8,
    pub percent: u8,
    pub note: String,
    pub evidence: String,
    pub closure: String,
}

#[derive(Template)]
#[template(path = "followup_item.html")]
struct ItemPage {
    layout: Layout,
    key: String,
    program: String,
    item: String,
    label: String,
    text: String,
    case_folio: Option<String>,
    percent: u8,
    status: &'static str,
    activities: Vec<ActivityView>,
    history: Vec<HistoryView>,
    editable: bool,
}

pub async fn get(
    State(state): State<AppState>,
    frame: Frame,
    Path((key, item_key)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let program = load(&state, &key).await?;
    let item = program.item(&item_key).ok_or(AppError::NotFound)?;
    let user = signed_in(&frame)?;
    let today = state.today();
    let activities: Vec<ActivityView> = item
        .activities
        .iter()
        .map(|a| ActivityView {
            number: a.number,
            description: a.description.clone(),
            start: day(a.start()),
            end: day(a.end()),
            products: a.products.clone(),
            responsible: a.responsible.join(", "),
            percent: a.progress().percent(),
            status: a.status(today).as_str(),
            evidence: a
                .evidence()
                .iter()
                .enumerate()
                .map(|(i, e)| (i, e.name.clone()))
                .collect(),
            editable: may_edit(user, a) && !a.status(today).is_closed(),
        })
        .collect();
    let history = state
        .store
        .history(&key)
        .await?
        .into_iter()
        .filter(|e| e.item == item_key)
        .map(|e| HistoryView {
            activity: e.activity,
            at: when(&e.at, &state.time_zone),
            actor: e.actor,
            before: e.update.before.percent(),
            percent: e.update.change.progress.percent(),
            note: e.update.change.note,
            evidence: e.update.change.evidence.map(|e| e.name).unwrap_or_default(),
            closure: match e.update.change.closure {
                Some(Closure::Justified { reason }) => format!("justificado: {reason}"),
                Some(Closure::NotAttended { reason }) => format!("no atendido: {reason}"),
                None => String::new(),
            },
        })
        .collect();
    let page = ItemPage {
        layout: frame.layout,
        program: program.name.clone(),
        label: format!("{} {}", item.kind.label(), item.number),
        text: item.text.clone(),
        case_folio: item.case_folio.clone(),
        percent: item.progress().percent(),
        status: item.status(today).as_str(),
        editable: activities.iter().any(|a| a.editable),
        activities,
        history,
        item: item_key,
        key,
    };
    Ok(Html(page.render().map_err(anyhow::Error::from)?).into_response())
}

/// The form's fields before the file.
#[derive(Default)]
struct Form {
    activity: String,
    progress: String,
    note: String,
    closure: String,
    reason: String,
}

impl Form {
    fn change(&self, evidence: Option<Evidence>) -> Result<(u32, Change), AppError> {
        let bad = |m: &str| AppError::BadRequest(m.into());
        let activity = self
            .activity
            .trim()
            .parse()
            .map_err(|_| bad("Elija la actividad."))?;
        let progress = self
            .progress
            .trim()
            .trim_end_matches('%')
            .trim()
            .parse::<u8>()
            .ok()
            .and_then(|p| Progress::new(p).ok())
            .ok_or_else(|| bad("El avance es un número de 0 a 100."))?;
        let reason = self.reason.trim().to_owned();
        let closure = match self.closure.as_str() {
            "" => None,
            "justificado" => Some(Closure::Justified { reason }),
            "no_atendido" => Some(Closure::NotAttended { reason }),
            _ => return Err(bad("Elija cómo se cierra la actividad.")),
        };
        Ok((
            activity,
            Change {
                progress,
                note: self.note.trim().to_owned(),
                evidence,
                closure,
            },
        ))
    }
}

/// The file input's name in the form.
const FILE_FIELD: &str = "evidencia";

pub async fn post(
    State(state): State<AppState>,
    frame: Frame,
    Path((key, item_key)): Path<(String, String)>,
    CsrfMultipart(mut multipart): CsrfMultipart,
) -> Result<Response, AppError> {
    let bad = |m: &str| AppError::BadRequest(m.into());
    let mut form = Form::default();
    let mut file: Option<(String, EvidenceFile)> = None;
    while let Some(mut field) = multipart
        .next_field()
        .await
        .map_err(|_| bad("No se recibió el formulario completo. Intente de nuevo."))?
    {
        let name = field.name().unwrap_or_default().to_owned();
        if name == FILE_FIELD {
            // The fields before the file decide whether it is stored at all.
            let program = load(&state, &key).await?;
            let activity = form.activity.trim().parse::<u32>().ok().and_then(|n| {
                program
                    .item(&item_key)?
                    .activities
                    .iter()
                    .find(|a| a.number == n)
            });
            let user = signed_in(&frame)?;
            match activity {
                Some(a) if may_edit(user, a) => {}
                Some(_) => return Err(AppError::Forbidden),
                None => return Err(AppError::NotFound),
            }
            let sent = file_name(field.file_name().unwrap_or_default());
            let mime = field.content_type().unwrap_or_default().to_owned();
            let Some(first) = field
                .chunk()
                .await
                .map_err(|_| bad("No se recibió el archivo."))?
            else {
                continue;
            };
            if sent.is_empty() {
                continue;
            }
            let mime = check_mime(&mime, &first).map_err(|_| {
                AppError::BadRequest(format!(
                    "El contenido de «{sent}» no es del tipo con que se envió; no se adjuntó."
                ))
            })?;
            let (chunks, received) = mpsc::channel(4);
            let (_, stored) = tokio::join!(
                pump(&mut field, chunks),
                state.blobs.put_reader(Received::new(first, received))
            );
            let stored = stored.map_err(|e| match e {
                BlobError::TooLarge { limit } => AppError::BadRequest(too_large(limit)),
                other => AppError::Internal(other.into()),
            })?;
            file = Some((
                sent,
                EvidenceFile {
                    sha256: stored.sha256,
                    mime,
                },
            ));
            continue;
        }
        let text = field
            .text()
            .await
            .map_err(|_| bad("El formulario trae un dato no válido."))?;
        match name.as_str() {
            "actividad" => form.activity = text,
            "avance" => form.progress = text,
            "nota" => form.note = text,
            "cierre" => form.closure = text,
            "justificacion" => form.reason = text,
            _ => {}
        }
    }
    let user = signed_in(&frame)?;
    let program = load(&state, &key).await?;
    let evidence = file
        .as_ref()
        .map(|(name, _)| Evidence { name: name.clone() });
    let (number, change) = form.change(evidence)?;
    let activity = program
        .item(&item_key)
        .and_then(|i| i.activities.iter().find(|a| a.number == number))
        .ok_or(AppError::NotFound)?;
    if !may_edit(user, activity) {
        return Err(AppError::Forbidden);
    }
    let moment = state.moment();
    let at = ActivityAt {
        program: &key,
        item: &item_key,
        activity: number,
    };
    let recorded = Recorded {
        actor: user.login.clone(),
        day: moment.today,
        at: moment.now,
    };
    state
        .store
        .record_update(at, change, file.map(|(_, f)| f), recorded)
        .await
        .map_err(refusal)?;
    flash(
        &frame,
        &format!("Avance de la actividad {number} registrado."),
    );
    Ok(Redirect::to(&format!("/seguimiento/{key}/{item_key}")).into_response())
}

pub async fn evidence(
    State(state): State<AppState>,
    Path((key, item_key, activity, index)): Path<(String, String, u32, usize)>,
) -> Result<Response, AppError> {
    let at = ActivityAt {
        program: &key,
        item: &item_key,
        activity,
    };
    let (name, file) = state
        .store
        .evidence_file(at, index)
        .await?
        .ok_or(AppError::NotFound)?;
    let content = state
        .blobs
        .get(&file.sha256)
        .await
        .map_err(|e| AppError::Internal(e.into()))?;
    file_response(&file.mime, &name, content).map_err(|e| AppError::Internal(e.into()))
}
