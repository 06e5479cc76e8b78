//! `GET /registrar`, `GET|POST /registrar/{key}`: registering a matter on a procedure. It gets
//! its folio, its first activity is turned, and the person gets a printable acuse.

use crate::auth::csrf::CsrfForm;
use crate::error::AppError;
use crate::forms::{FieldInput, InputKind, Submitted, given, inputs, single};
use crate::page::{Frame, Layout, flash};
use crate::state::AppState;
use crate::views::signed_in;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use turno_app::register::{self, Registration, asked_fields, registrable};
use turno_domain::definition::Procedure;

/// How matters arrive at the agencies.
const CHANNELS: [&str; 6] = [
    "Oficio",
    "Correo electrónico",
    "Teléfono",
    "Ventanilla",
    "Portal web",
    "Otro",
];

#[derive(Template)]
#[template(path = "register_choose.html")]
struct ChoosePage {
    layout: Layout,
    procedures: Vec<(String, String)>,
}

pub async fn choose(State(state): State<AppState>, frame: Frame) -> Result<Response, AppError> {
    let user = signed_in(&frame)?;
    let procedures = registrable(&state, user)
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
    let p = register::procedure(&state, signed_in(&frame)?, &key)?;
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
    let user = signed_in(&frame)?;
    let p = register::procedure(&state, user, &key)?;
    let asked = asked_fields(&p);
    let title = single(&submitted, "asunto").unwrap_or_default().to_owned();
    let channel = single(&submitted, "medio")
        .unwrap_or(CHANNELS[0])
        .to_owned();
    let requester = single(&submitted, "solicitante")
        .unwrap_or_default()
        .to_owned();
    let registration = Registration {
        procedure: key,
        title: title.clone(),
        channel: Some(channel.clone()),
        requester: Some(requester.clone()),
        fields: given(&asked, &submitted),
    };
    let committed = match register::register(&state, user, registration, None).await {
        Ok(committed) => committed,
        // The form again, with what was typed and each problem.
        Err(turno_app::Error::InvalidFields(problems)) => {
            // The procedure's fields show their problems next to them; the matter's own (its
            // title, channel, requester) are told above the form.
            let told: Vec<&str> = problems
                .iter()
                .filter(|problem| !asked.iter().any(|(f, _)| f.name == problem.field))
                .map(|problem| problem.message.as_str())
                .collect();
            let error = if told.is_empty() {
                "Revise los datos marcados.".to_owned()
            } else {
                told.join(" ")
            };
            let mut again = page(frame.layout, &p, inputs(&asked, &submitted, &problems));
            again.error = Some(error);
            again.title = title;
            again.channel = channel;
            again.requester = requester;
            let html = again.render().map_err(anyhow::Error::from)?;
            return Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, Html(html)).into_response());
        }
        Err(other) => return Err(other.into()),
    };
    flash(
        &frame,
        &format!("Asunto registrado con el folio {}.", committed.folio),
    );
    Ok(Redirect::to(&format!("/asuntos/{}/acuse", committed.folio)).into_response())
}
