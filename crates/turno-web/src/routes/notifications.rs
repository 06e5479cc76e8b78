//! `/notificaciones`: what a person was told (work turned or returned to their units, due
//! dates near or passed), newest first, each with the días hábiles left and the due date of
//! their open work on the case (`turno_app::deadlines`, as the inbox), marked read when they
//! say so; the counter in every
//! page's header; and `/notificaciones/preferencias`, what they choose to receive and how.

use crate::auth::csrf::CsrfForm;
use crate::error::AppError;
use crate::forms::Submitted;
use crate::page::{Frame, Layout, flash};
use crate::routes::search::{PageParams, Pager};
use crate::state::AppState;
use crate::views::{deadline, signed_in, when};
use askama::Template;
use axum::extract::{Query, State};
use axum::response::{Redirect, Response};
use turno_app::deadlines;
use turno_store::Store;
use turno_store::notifications::{NotificationKind, Notifications, Preference, Regarding};

const PAGE_SIZE: i64 = 30;

struct Row {
    id: i64,
    label: &'static str,
    /// The page of the case, or of the petition, it is about.
    link: String,
    subject: String,
    body: String,
    when: String,
    read: bool,
    /// The días hábiles left and the due date of the person's open work on the case, as the
    /// inbox shows them; none once it has none.
    deadline: Option<String>,
}

#[derive(Template)]
#[template(path = "notifications.html")]
struct NotificationsPage {
    layout: Layout,
    rows: Vec<Row>,
    unread: i64,
    pager: Pager,
}

pub async fn get(
    State(state): State<AppState>,
    frame: Frame,
    Query(params): Query<PageParams>,
) -> Result<Response, AppError> {
    let user = signed_in(&frame)?;
    let total = state.store.count_notifications(user.id).await?;
    let pager =
        Pager::new(total, PAGE_SIZE, params.pagina.as_deref()).linked("/notificaciones", "");
    let listed = state
        .store
        .notifications(user.id, PAGE_SIZE, pager.offset(PAGE_SIZE))
        .await?;
    let mut folios: Vec<String> = listed
        .iter()
        .filter(|n| n.regarding == Regarding::Case)
        .map(|n| n.folio.clone())
        .collect();
    folios.sort();
    folios.dedup();
    let left = deadlines::of_cases(&state, user, &folios).await?;
    let rows = listed
        .into_iter()
        .map(|n| Row {
            deadline: left
                .get(&n.folio)
                .filter(|_| n.regarding == Regarding::Case)
                .map(deadline),
            id: n.id,
            label: match n.regarding {
                Regarding::Petition => "Nueva petición ciudadana",
                Regarding::Incoming => match n.kind {
                    NotificationKind::Turned => "Correspondencia turnada",
                    other => other.label(),
                },
                _ => n.kind.label(),
            },
            link: match n.regarding {
                Regarding::Petition => format!("/peticiones/{}", n.folio),
                Regarding::Incoming => format!("/correspondencia/{}", n.folio),
                Regarding::Outgoing => format!("/correspondencia/salida/{}", n.folio),
                Regarding::Case => format!("/asuntos/{}", n.folio),
            },
            subject: n.subject,
            body: n.body,
            when: when(&n.created_at, &state.time_zone),
            read: n.read,
        })
        .collect();
    let page = NotificationsPage {
        unread: state.store.unread_notifications(user.id).await?,
        layout: frame.layout,
        rows,
        pager,
    };
    crate::page::html(&page)
}

#[derive(Template)]
#[template(path = "notification_counter.html")]
struct Counter {
    unread: i64,
}

/// `GET /notificaciones/contador`: the header's counter, which every page loads after it shows
/// (htmx), so that counting costs no page its time.
pub async fn counter(State(state): State<AppState>, frame: Frame) -> Result<Response, AppError> {
    let user = signed_in(&frame)?;
    let unread = state.store.unread_notifications(user.id).await?;
    crate::page::html(&Counter { unread })
}

/// `POST /notificaciones/leidas`: marks one (`id`) or every notification read.
pub async fn mark_read(
    State(state): State<AppState>,
    frame: Frame,
    CsrfForm(form): CsrfForm<Submitted>,
) -> Result<Redirect, AppError> {
    let user = signed_in(&frame)?;
    let ids: Vec<i64> = form
        .iter()
        .filter(|(name, _)| name == "id")
        .map(|(_, value)| {
            value
                .parse()
                .map_err(|_| AppError::BadRequest(format!("«{value}» no es una notificación.")))
        })
        .collect::<Result<_, _>>()?;
    let ids = (!ids.is_empty()).then_some(ids.as_slice());
    let marked = state
        .store
        .mark_notifications_read(user.id, ids, state.clock.now())
        .await?;
    let message = match marked {
        1 => "Se marcó 1 notificación como leída.".to_owned(),
        n => format!("Se marcaron {n} notificaciones como leídas."),
    };
    flash(&frame, &message);
    Ok(Redirect::to("/notificaciones"))
}

struct Choice {
    kind: &'static str,
    label: &'static str,
    in_app: Option<bool>,
    email: bool,
}

#[derive(Template)]
#[template(path = "notification_preferences.html")]
struct PreferencesPage {
    layout: Layout,
    choices: Vec<Choice>,
    email: Option<String>,
    mail_on: bool,
    reminder_days: u16,
    digest_hour: i8,
}

pub async fn preferences(
    State(state): State<AppState>,
    frame: Frame,
) -> Result<Response, AppError> {
    let user = signed_in(&frame)?;
    let choices = state
        .store
        .preferences(user.id)
        .await?
        .into_iter()
        .map(|p| Choice {
            kind: p.kind.as_str(),
            label: p.kind.label(),
            in_app: p.kind.shown_in_app().then_some(p.in_app),
            email: p.email,
        })
        .collect();
    let email = state
        .store
        .user(user.id)
        .await?
        .and_then(|u| u.email)
        .filter(|e| !e.trim().is_empty());
    let settings = state.notifier.settings();
    let page = PreferencesPage {
        layout: frame.layout,
        choices,
        email,
        mail_on: state.notifier.sends_mail(),
        reminder_days: settings.reminder_days,
        digest_hour: settings.digest_hour,
    };
    crate::page::html(&page)
}

/// `POST /notificaciones/preferencias`: a checkbox per kind and channel (`turned:app`,
/// `turned:email`…); an unchecked box is a "no".
pub async fn save_preferences(
    State(state): State<AppState>,
    frame: Frame,
    CsrfForm(form): CsrfForm<Submitted>,
) -> Result<Redirect, AppError> {
    let user = signed_in(&frame)?;
    let checked = |name: String| form.iter().any(|(n, _)| *n == name);
    let preferences: Vec<Preference> = NotificationKind::ALL
        .into_iter()
        .map(|kind| Preference {
            kind,
            in_app: checked(format!("{kind}:app")),
            email: checked(format!("{kind}:email")),
        })
        .collect();
    state.store.set_preferences(user.id, &preferences).await?;
    flash(&frame, "Preferencias de avisos guardadas.");
    Ok(Redirect::to("/notificaciones/preferencias"))
}
