//! `GET /registrar`, `GET|POST /registrar/{key}`: registering a matter on a procedure. It gets
//! its folio, its first activity is turned, and the person gets a printable acuse.

use crate::auth::csrf::CsrfForm;
use crate::error::AppError;
use crate::forms::{Again, FieldInput, InputKind, Submitted, given, once_key, shown_again, single};
use crate::page::{Frame, Layout, flash};
use crate::state::AppState;
use crate::views::signed_in;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::header;
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

/// The procedures `user` may start a case of, as a chooser lists them: key and title.
pub(crate) fn choices(state: &AppState, user: &turno_app::Principal) -> Vec<(String, String)> {
    registrable(state, user)
        .iter()
        .map(|p| (p.key.clone(), p.title.clone()))
        .collect()
}

pub async fn choose(State(state): State<AppState>, frame: Frame) -> Result<Response, AppError> {
    let user = signed_in(&frame)?;
    let page = ChoosePage {
        procedures: choices(&state, user),
        layout: frame.layout,
    };
    crate::page::html(&page)
}

#[derive(Template)]
#[template(path = "register.html")]
pub(crate) struct RegisterPage {
    layout: Layout,
    /// Where the form is sent.
    action: String,
    /// The incoming document the case starts from, when it does.
    from_document: Option<String>,
    procedure_key: String,
    procedure_title: String,
    /// The form as sent, when it was refused.
    form: Again,
    channel: String,
    channels: Vec<String>,
    inputs: Vec<FieldInput>,
    max_name: usize,
    /// The form's one-time key: sent twice (Back, a double click), one matter is registered.
    key: String,
}

fn page(layout: Layout, p: &Procedure, form: Again) -> RegisterPage {
    start_page(layout, p, form, format!("/registrar/{}", p.key), None)
}

/// The start form of `p`, sent to `action`; `from_document` when a case starts from an
/// incoming document (`/correspondencia/{folio}/asunto`).
pub(crate) fn start_page(
    layout: Layout,
    p: &Procedure,
    form: Again,
    action: String,
    from_document: Option<String>,
) -> RegisterPage {
    let mut inputs: Vec<FieldInput> = p
        .fields
        .iter()
        .map(|f| FieldInput::new(p, f, f.required))
        .collect();
    form.fill(&mut inputs);
    let channel = match form.value("medio") {
        "" => CHANNELS[0].to_owned(),
        chosen => chosen.to_owned(),
    };
    let mut channels: Vec<String> = CHANNELS.iter().map(|c| c.to_string()).collect();
    if !channels.contains(&channel) {
        channels.insert(0, channel.clone());
    }
    RegisterPage {
        layout,
        action,
        from_document,
        procedure_key: p.key.clone(),
        procedure_title: p.title.clone(),
        form,
        channel,
        channels,
        inputs,
        max_name: turno_app::limits::NAME,
        key: crate::auth::csrf::random_token(),
    }
}

pub async fn form(
    State(state): State<AppState>,
    frame: Frame,
    Path(key): Path<String>,
) -> Result<Response, AppError> {
    let p = register::procedure(&state, signed_in(&frame)?, &key)?;
    let html = page(frame.layout, &p, Again::default())
        .render()
        .map_err(anyhow::Error::from)?;
    // An empty form holds no case's data, and Back must show it with the one-time key it was
    // sent with (so that sending it again registers nothing twice): browsers keep a
    // `no-cache` page for Back, not a `no-store` one, which they fetch anew with a new key.
    Ok(([(header::CACHE_CONTROL, "private, no-cache")], Html(html)).into_response())
}

pub async fn submit(
    State(state): State<AppState>,
    frame: Frame,
    Path(key): Path<String>,
    CsrfForm(submitted): CsrfForm<Submitted>,
) -> Result<Response, AppError> {
    let user = signed_in(&frame)?;
    let p = register::procedure(&state, user, &key)?;
    let registration = registration(&p, &submitted);
    let once = once_key(&submitted, user);
    let committed = match register::register(&state, user, registration, once.as_deref()).await {
        Ok(committed) => committed,
        // The form again, with what was typed and each problem next to its field.
        Err(e) => {
            let again = refused(&p, submitted, e)?;
            return shown_again(again.status(), &page(frame.layout, &p, again));
        }
    };
    flash(
        &frame,
        &format!("Asunto registrado con el folio {}.", committed.folio),
    );
    Ok(Redirect::to(&format!("/asuntos/{}/acuse", committed.folio)).into_response())
}

/// The matter the start form of `p` sent.
pub(crate) fn registration(p: &Procedure, submitted: &Submitted) -> Registration {
    let text = |name: &str| single(submitted, name).unwrap_or_default().to_owned();
    Registration {
        procedure: p.key.clone(),
        title: text("asunto"),
        channel: Some(single(submitted, "medio").unwrap_or(CHANNELS[0]).to_owned()),
        requester: Some(text("solicitante")),
        fields: given(&asked_fields(p), submitted),
    }
}

/// The start form of `p` refused: what was typed, each problem next to its field.
pub(crate) fn refused(
    p: &Procedure,
    submitted: Submitted,
    error: turno_app::Error,
) -> Result<Again, AppError> {
    let asked = asked_fields(p);
    let mut shown = vec!["title", "channel", "requester"];
    shown.extend(asked.iter().map(|(f, _)| f.name.as_str()));
    Again::refused(submitted, error, &shown)
}
