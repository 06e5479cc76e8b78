//! `GET /seguimiento/{key}/{item}`: an item with its activities, evidence and history, and the
//! form to record progress; `POST /seguimiento/{key}/{item}/avance`: recording it, with an
//! evidence file streamed to the blob store as a case's documents are; `GET
//! /seguimiento/{key}/{item}/evidencia/{activity}/{n}`: the evidence file.

use super::{day, load};
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
use turno_app::programs::{self, Closing, ProgressChange, may_edit};
use turno_domain::followup::Closure;
use turno_store::followup::{ActivityAt, EvidenceFile, Followup};

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
    /// The activity's number and the change asked for, as `turno_app::programs::record` takes
    /// them; the progress may be typed with its «%».
    fn change(self) -> Result<(u32, ProgressChange), AppError> {
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
            .map_err(|_| bad("El avance es un número de 0 a 100."))?;
        let closing = match self.closure.as_str() {
            "" => None,
            "justificado" => Some(Closing::Justified),
            "no_atendido" => Some(Closing::NotAttended),
            _ => return Err(bad("Elija cómo se cierra la actividad.")),
        };
        Ok((
            activity,
            ProgressChange {
                progress,
                note: self.note,
                closing,
                reason: self.reason,
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
    let at = |activity| ActivityAt {
        program: &key,
        item: &item_key,
        activity,
    };
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
            let user = signed_in(&frame)?;
            let number = form
                .activity
                .trim()
                .parse()
                .map_err(|_| AppError::NotFound)?;
            programs::may_record(&state, user, at(number)).await?;
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
            let head = first.clone();
            let (chunks, received) = mpsc::channel(4);
            let (_, stored) = tokio::join!(
                pump(&mut field, chunks),
                programs::store_evidence(
                    &state,
                    &sent,
                    &mime,
                    &head,
                    Received::new(first, received)
                )
            );
            file = Some((sent, stored?));
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
    let (number, change) = form.change()?;
    programs::record(&state, user, at(number), change, file).await?;
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
    let (name, file, content) = programs::evidence(&state, at, index).await?;
    file_response(&file.mime, &name, content).map_err(|e| AppError::Internal(e.into()))
}
