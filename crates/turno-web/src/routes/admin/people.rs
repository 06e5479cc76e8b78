//! `GET /admin/personas` and its forms: people, their roles in each unit, whether they may
//! sign in, and the RFC and CURP their e.firma carries. Every change goes to the audit log with
//! the administrator's login.

use super::administrator;
use crate::auth::csrf::CsrfForm;
use crate::error::AppError;
use crate::forms::{Again, Submitted, required, shown_again, single};
use crate::page::{Frame, Layout, flash};
use crate::state::AppState;
use crate::views::UnitNames;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use std::collections::HashMap;
use turno_app::efirma;
use turno_app::limits;
use turno_app::people::{self, MIN_PASSWORD, NewPerson};
use turno_store::signatures::SignerIdentity;
use turno_store::{Person, Role, Signatures, Store, User};

#[derive(Template)]
#[template(path = "admin_people.html")]
struct PeoplePage {
    layout: Layout,
    people: Vec<PersonView>,
    units: Vec<(String, String)>,
    roles: Vec<(&'static str, &'static str)>,
    min_password: usize,
    max_login: usize,
    max_name: usize,
    max_rfc: usize,
    max_curp: usize,
    /// The new person's form, again when it was refused.
    creating: Again,
    /// The role's form, again when it was refused.
    granting: Again,
    /// The RFC and CURP's form, again when it was refused.
    identifying: Again,
    /// A change to one person refused (their login, and why), shown on their row.
    refused: Option<(String, String)>,
}

struct PersonView {
    login: String,
    name: String,
    email: String,
    active: bool,
    rfc: String,
    curp: String,
    /// (unit code, unit name, role as stored, role label)
    roles: Vec<(String, String, &'static str, &'static str)>,
}

fn view(person: Person, identity: SignerIdentity) -> PersonView {
    PersonView {
        rfc: identity.rfc.unwrap_or_default(),
        curp: identity.curp.unwrap_or_default(),
        roles: person
            .memberships
            .into_iter()
            .map(|m| (m.unit_code, m.unit_name, m.role.as_str(), m.role.label()))
            .collect(),
        login: person.user.login,
        name: person.user.name,
        email: person.user.email.unwrap_or_default(),
        active: person.user.active,
    }
}

/// The forms of the page, as sent when one of them was refused.
#[derive(Default)]
struct Forms {
    creating: Again,
    granting: Again,
    identifying: Again,
}

impl Forms {
    /// The status of the page showing the form refused again.
    fn status(&self) -> StatusCode {
        [&self.creating, &self.granting, &self.identifying]
            .into_iter()
            .find(|f| f.is_refused())
            .map_or(StatusCode::UNPROCESSABLE_ENTITY, Again::status)
    }
}

/// The page again with the form refused in `forms`.
async fn shown(state: &AppState, layout: Layout, forms: Forms) -> Result<Response, AppError> {
    let status = forms.status();
    shown_again(status, &page(state, layout, forms, None).await?)
}

/// The page, with its forms as sent when one of them was refused.
async fn page(
    state: &AppState,
    layout: Layout,
    forms: Forms,
    refused: Option<(String, String)>,
) -> Result<PeoplePage, AppError> {
    let mut identities: HashMap<i64, SignerIdentity> =
        state.store.signer_identities().await?.into_iter().collect();
    let people = state
        .store
        .people()
        .await?
        .into_iter()
        .map(|p| {
            let identity = identities.remove(&p.user.id).unwrap_or_default();
            view(p, identity)
        })
        .collect();
    let Forms {
        creating,
        granting,
        identifying,
    } = forms;
    Ok(PeoplePage {
        layout,
        people,
        units: UnitNames::load(state).await?.by_name(),
        roles: Role::ALL.iter().map(|r| (r.as_str(), r.label())).collect(),
        min_password: MIN_PASSWORD,
        max_login: limits::LOGIN,
        max_name: limits::NAME,
        max_rfc: limits::RFC,
        max_curp: limits::CURP,
        creating,
        granting,
        identifying,
        refused,
    })
}

pub async fn get(State(state): State<AppState>, frame: Frame) -> Result<Response, AppError> {
    administrator(&frame)?;
    let page = page(&state, frame.layout, Forms::default(), None).await?;
    crate::page::html(&page)
}

/// `POST /admin/personas`: a new person (`turno_app::people`, as the API); refused, the form
/// again with every problem by its field and what was typed (the password aside).
pub async fn create(
    State(state): State<AppState>,
    frame: Frame,
    CsrfForm(submitted): CsrfForm<Submitted>,
) -> Result<Response, AppError> {
    let admin = administrator(&frame)?;
    let text = |name: &str| single(&submitted, name).unwrap_or_default();
    let person = NewPerson {
        login: text("login"),
        name: text("nombre"),
        email: single(&submitted, "correo"),
        password: submitted
            .iter()
            .find(|(k, _)| k == "contrasena")
            .map_or("", |(_, v)| v.as_str()),
        rfc: text("rfc"),
        curp: text("curp"),
    };
    let created = match people::check(&person) {
        Ok(valid) => {
            let password = person.password.to_owned();
            // Hashing is slow on purpose: off the threads that serve requests.
            let hash = tokio::task::spawn_blocking(move || crate::auth::hash_password(&password))
                .await
                .map_err(anyhow::Error::from)?
                .map_err(|e| anyhow::anyhow!("cannot hash a password: {e}"))?;
            let login = valid.login().to_owned();
            people::create(&state.store, valid, hash, &admin.login)
                .await
                .map(|_| login)
        }
        Err(e) => Err(e),
    };
    match created {
        Ok(login) => Ok(done(&frame, &format!("Persona «{login}» dada de alta."))?.into_response()),
        Err(e) => {
            let fields = ["login", "name", "email", "password", "rfc", "curp"];
            // The one conflict of creating a person: the login is taken.
            let creating = Again::refused(submitted, e, &fields)?.conflict_about("login");
            let forms = Forms {
                creating,
                ..Forms::default()
            };
            shown(&state, frame.layout, forms).await
        }
    }
}

async fn person(state: &AppState, login: &str) -> Result<User, AppError> {
    Ok(state
        .store
        .user_by_login(login)
        .await?
        .ok_or(AppError::NotFound)?
        .user)
}

/// The person (login and record), unit and role a role form names.
async fn membership<'a>(
    state: &AppState,
    submitted: &'a Submitted,
) -> Result<(&'a str, &'a str, Role, User), AppError> {
    let login = required(submitted, "login", "Persona")?;
    let unit = required(submitted, "unidad", "Unidad")?;
    let role = role(submitted)?;
    Ok((login, unit, role, person(state, login).await?))
}

/// The page again with why a change to `login` was refused on their row (409), or the error
/// page for what no row can show.
async fn refused_on_row(
    state: &AppState,
    frame: Frame,
    login: &str,
    error: turno_app::Error,
) -> Result<Response, AppError> {
    let turno_app::Error::Conflict(message) = error else {
        return Err(error.into());
    };
    let page = page(
        state,
        frame.layout,
        Forms::default(),
        Some((login.to_owned(), message)),
    )
    .await?;
    shown_again(StatusCode::CONFLICT, &page)
}

/// Back to the people's page, saying what was done.
fn done(frame: &Frame, message: &str) -> Result<Redirect, AppError> {
    flash(frame, message);
    Ok(Redirect::to("/admin/personas"))
}

fn role(submitted: &Submitted) -> Result<Role, AppError> {
    required(submitted, "papel", "Papel")?
        .parse()
        .map_err(|_| AppError::BadRequest("Ese papel no existe.".into()))
}

/// `POST /admin/personas/papeles`: a role in a unit, given; refused by the rules (a unit
/// that no longer exists), the form again with the reason and the choices made.
pub async fn grant(
    State(state): State<AppState>,
    frame: Frame,
    CsrfForm(submitted): CsrfForm<Submitted>,
) -> Result<Response, AppError> {
    let admin = administrator(&frame)?;
    let (login, unit, role, person) = membership(&state, &submitted).await?;
    let granted = state
        .store
        .add_membership(person.id, unit, role, &admin.login)
        .await;
    match granted {
        Ok(_) => Ok(done(
            &frame,
            &format!("«{login}» es ahora {} en {unit}.", role.label()),
        )?
        .into_response()),
        Err(e) => {
            let granting = Again::refused(submitted, e.into(), &[])?;
            let forms = Forms {
                granting,
                ..Forms::default()
            };
            shown(&state, frame.layout, forms).await
        }
    }
}

/// `POST /admin/personas/papeles/quitar`: a role in a unit, taken away; refused (the last
/// active administrator's), the page again with the reason on the person's row.
pub async fn revoke(
    State(state): State<AppState>,
    frame: Frame,
    CsrfForm(submitted): CsrfForm<Submitted>,
) -> Result<Response, AppError> {
    let admin = administrator(&frame)?;
    let (login, unit, role, person) = membership(&state, &submitted).await?;
    match people::revoke(&state, &person, unit, role, admin).await {
        Ok(true) => Ok(done(
            &frame,
            &format!("«{login}» ya no es {} en {unit}.", role.label()),
        )?
        .into_response()),
        Ok(false) => Err(AppError::NotFound),
        Err(e) => refused_on_row(&state, frame, login, e).await,
    }
}

/// `POST /admin/personas/estado`: may (or may no longer) sign in; refused (oneself, the last
/// active administrator), the page again with the reason on the person's row.
pub async fn set_active(
    State(state): State<AppState>,
    frame: Frame,
    CsrfForm(submitted): CsrfForm<Submitted>,
) -> Result<Response, AppError> {
    let admin = administrator(&frame)?;
    let login = required(&submitted, "login", "Persona")?;
    let active = required(&submitted, "activa", "Estado")? == "si";
    let person = person(&state, login).await?;
    match people::set_active(&state, &person, active, admin).await {
        Ok(true) => {
            let what = if active {
                "puede entrar de nuevo"
            } else {
                "ya no puede entrar"
            };
            Ok(done(&frame, &format!("«{login}» {what}."))?.into_response())
        }
        Ok(false) => Err(AppError::NotFound),
        Err(e) => refused_on_row(&state, frame, login, e).await,
    }
}

/// `POST /admin/personas/identidad`: the RFC and CURP that a person's e.firma must carry
/// (`turno_app::efirma::set_identity`, as the API); refused, the form again with each problem
/// next to its field and what was typed.
pub async fn set_identity(
    State(state): State<AppState>,
    frame: Frame,
    CsrfForm(submitted): CsrfForm<Submitted>,
) -> Result<Response, AppError> {
    let admin = administrator(&frame)?;
    let login = required(&submitted, "login", "Persona")?;
    let person = person(&state, login).await?;
    let text = |name: &str| single(&submitted, name).unwrap_or_default();
    let typed = (text("rfc"), text("curp"));
    match efirma::set_identity(&state.store, person.id, typed, &admin.login).await {
        Ok(identity) => {
            let shown = |value: Option<String>| value.unwrap_or_else(|| "ninguna".into());
            let message = format!(
                "«{login}»: RFC {}, CURP {}.",
                shown(identity.rfc),
                shown(identity.curp)
            );
            Ok(done(&frame, &message)?.into_response())
        }
        Err(e) => {
            let identifying = Again::refused(submitted, e, &["rfc", "curp"])?;
            let forms = Forms {
                identifying,
                ..Forms::default()
            };
            shown(&state, frame.layout, forms).await
        }
    }
}
