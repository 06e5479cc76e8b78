//! `GET /registrar`, `GET|POST /registrar/{key}`: registering a matter on a procedure. It gets
//! its folio, its first activity is turned, and the person gets a printable acuse.

use crate::access::{registering_actor, visible_units};
use crate::auth::SignedIn;
use crate::auth::csrf::CsrfForm;
use crate::error::AppError;
use crate::forms::{FieldInput, InputKind, Submitted, read, single};
use crate::page::{Frame, Layout, flash};
use crate::state::AppState;
use crate::views::signed_in;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use std::sync::Arc;
use turno_domain::definition::{Assignment, Procedure};
use turno_domain::engine::Start;
use turno_store::commands::start_case;
use turno_store::{FolioRule, NewCase};

/// How matters arrive at the agencies.
const CHANNELS: [&str; 6] = [
    "Oficio",
    "Correo electrónico",
    "Teléfono",
    "Ventanilla",
    "Portal web",
    "Otro",
];

/// Procedures whose first activity belongs to one of the person's units: the case would not be
/// theirs to see otherwise.
pub(crate) async fn registrable(
    state: &AppState,
    user: &SignedIn,
) -> Result<Vec<Arc<Procedure>>, AppError> {
    let visible = visible_units(user).to_vec();
    let mut found = Vec::new();
    for p in state.library.newest() {
        let first = p.activity(p.first_activity());
        let starts_here = match &first.assignment {
            Assignment::Fixed(ids) => ids.iter().any(|id| visible.contains(&p.unit_of(*id))),
            Assignment::FromField(_) => false,
        };
        if user.is_admin() || (user.can_act() && starts_here) {
            found.push(p.clone());
        }
    }
    Ok(found)
}

#[derive(Template)]
#[template(path = "register_choose.html")]
struct ChoosePage {
    layout: Layout,
    procedures: Vec<(String, String)>,
}

pub async fn choose(State(state): State<AppState>, frame: Frame) -> Result<Response, AppError> {
    let user = signed_in(&frame)?;
    let procedures = registrable(&state, user)
        .await?
        .iter()
        .map(|p| (p.key.clone(), p.title.clone()))
        .collect();
    let page = ChoosePage {
        layout: frame.layout,
        procedures,
    };
    Ok(Html(page.render().map_err(anyhow::Error::from)?).into_response())
}

#[derive(Template)]
#[template(path = "register.html")]
struct RegisterPage {
    layout: Layout,
    procedure_key: String,
    procedure_title: String,
    error: Option<String>,
    title: String,
    channel: String,
    requester: String,
    channels: Vec<String>,
    inputs: Vec<FieldInput>,
}

async fn procedure_for(
    state: &AppState,
    frame: &Frame,
    key: &str,
) -> Result<Arc<Procedure>, AppError> {
    let user = signed_in(frame)?;
    registrable(state, user)
        .await?
        .into_iter()
        .find(|p| p.key == key)
        .ok_or(AppError::Forbidden)
}

fn page(layout: Layout, p: &Procedure, inputs: Vec<FieldInput>) -> RegisterPage {
    RegisterPage {
        layout,
        procedure_key: p.key.clone(),
        procedure_title: p.title.clone(),
        error: None,
        title: String::new(),
        channel: CHANNELS[0].to_owned(),
        requester: String::new(),
        channels: CHANNELS.iter().map(|c| c.to_string()).collect(),
        inputs,
    }
}

pub async fn form(
    State(state): State<AppState>,
    frame: Frame,
    Path(key): Path<String>,
) -> Result<Response, AppError> {
    let p = procedure_for(&state, &frame, &key).await?;
    let inputs = p
        .fields
        .iter()
        .map(|f| FieldInput::new(f, f.required))
        .collect();
    let html = page(frame.layout, &p, inputs)
        .render()
        .map_err(anyhow::Error::from)?;
    Ok(Html(html).into_response())
}

pub async fn submit(
    State(state): State<AppState>,
    frame: Frame,
    Path(key): Path<String>,
    CsrfForm(submitted): CsrfForm<Submitted>,
) -> Result<Response, AppError> {
    let p = procedure_for(&state, &frame, &key).await?;
    let user = signed_in(&frame)?;
    let asked: Vec<_> = p.fields.iter().map(|f| (f, f.required)).collect();
    let (fields, inputs, ok) = read(&asked, &submitted);
    let title = single(&submitted, "asunto").unwrap_or_default().to_owned();
    let channel = single(&submitted, "medio")
        .unwrap_or(CHANNELS[0])
        .to_owned();
    let requester = single(&submitted, "solicitante")
        .unwrap_or_default()
        .to_owned();
    if !ok || title.is_empty() {
        let mut again = page(frame.layout, &p, inputs);
        again.error = Some("Revise los datos marcados.".into());
        again.title = title;
        again.channel = channel;
        again.requester = requester;
        let html = again.render().map_err(anyhow::Error::from)?;
        return Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, Html(html)).into_response());
    }
    let moment = state.moment();
    let ctx = moment.context();
    let committed = start_case(
        &state.store,
        &p,
        NewCase {
            folio: FolioRule::for_procedure(&p, None, ctx.today.year()),
            title,
            channel: Some(channel),
            requester: (!requester.is_empty()).then_some(requester),
        },
        Start {
            by: registering_actor(&p, user),
            fields,
        },
        &ctx,
        None,
    )
    .await?;
    tracing::info!(folio = %committed.folio, procedure = %p.key, user = %user.login, "case registered");
    flash(
        &frame.session,
        &format!("Asunto registrado con el folio {}.", committed.folio),
    )
    .await;
    Ok(Redirect::to(&format!("/asuntos/{}/acuse", committed.folio)).into_response())
}
