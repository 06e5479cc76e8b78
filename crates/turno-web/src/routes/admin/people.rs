//! `GET /admin/personas` and its forms: people, their roles in each unit, and whether they
//! may sign in. Every change goes to the audit log with the administrator's login.

use super::administrator;
use crate::auth::csrf::CsrfForm;
use crate::error::AppError;
use crate::forms::{Submitted, required, single};
use crate::page::{Frame, Layout, flash};
use crate::state::AppState;
use crate::views::UnitNames;
use askama::Template;
use axum::extract::State;
use axum::response::{Html, IntoResponse, Redirect, Response};
use turno_store::{NewUser, Person, Role, Store, UserStatus};

/// Shorter passwords are refused: people choose them, argon2 only slows guessing.
pub const MIN_PASSWORD: usize = 12;

#[derive(Template)]
#[template(path = "admin_people.html")]
struct PeoplePage {
    layout: Layout,
    people: Vec<PersonView>,
    units: Vec<(String, String)>,
    roles: Vec<(&'static str, &'static str)>,
    min_password: usize,
}

struct PersonView {
    login: String,
    name: String,
    email: String,
    active: bool,
    /// (unit code, unit name, role as stored, role label)
    roles: Vec<(String, String, &'static str, &'static str)>,
}

fn view(person: Person) -> PersonView {
    PersonView {
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

pub async fn get(State(state): State<AppState>, frame: Frame) -> Result<Response, AppError> {
    administrator(&frame)?;
    let people = state.store.people().await?.into_iter().map(view).collect();
    let page = PeoplePage {
        layout: frame.layout,
        people,
        units: UnitNames::load(&state).await?.by_name(),
        roles: Role::ALL.iter().map(|r| (r.as_str(), r.label())).collect(),
        min_password: MIN_PASSWORD,
    };
    Ok(Html(page.render().map_err(anyhow::Error::from)?).into_response())
}

/// `POST /admin/personas`: a new person.
pub async fn create(
    State(state): State<AppState>,
    frame: Frame,
    CsrfForm(submitted): CsrfForm<Submitted>,
) -> Result<Redirect, AppError> {
    let admin = administrator(&frame)?;
    let login = required(&submitted, "login", "Usuario")?;
    if !login
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "._-".contains(c))
    {
        return Err(AppError::BadRequest(
            "El usuario lleva solo minúsculas sin acentos, dígitos, punto, guion o guion bajo."
                .into(),
        ));
    }
    let name = required(&submitted, "nombre", "Nombre")?;
    let password = required(&submitted, "contrasena", "Contraseña")?;
    if password.chars().count() < MIN_PASSWORD {
        return Err(AppError::BadRequest(format!(
            "La contraseña debe tener al menos {MIN_PASSWORD} caracteres."
        )));
    }
    let email = single(&submitted, "correo");
    if email.is_some_and(|e| !e.contains('@')) {
        return Err(AppError::BadRequest(
            "El correo electrónico no es válido.".into(),
        ));
    }
    let hash = crate::auth::hash_password(password)
        .map_err(|e| anyhow::anyhow!("cannot hash a password: {e}"))?;
    state
        .store
        .create_user(
            &NewUser {
                login: login.to_owned(),
                name: name.to_owned(),
                email: email.map(str::to_owned),
                password_hash: Some(hash),
            },
            &admin.login,
        )
        .await?;
    done(&frame, &format!("Persona «{login}» dada de alta."))
}

async fn person_id(state: &AppState, login: &str) -> Result<i64, AppError> {
    Ok(state
        .store
        .user_by_login(login)
        .await?
        .ok_or(AppError::NotFound)?
        .user
        .id)
}

/// The person (login and id), unit and role a role form names.
async fn membership<'a>(
    state: &AppState,
    submitted: &'a Submitted,
) -> Result<(&'a str, &'a str, Role, i64), AppError> {
    let login = required(submitted, "login", "Persona")?;
    let unit = required(submitted, "unidad", "Unidad")?;
    let role = role(submitted)?;
    Ok((login, unit, role, person_id(state, login).await?))
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

/// `POST /admin/personas/papeles`: a role in a unit, given.
pub async fn grant(
    State(state): State<AppState>,
    frame: Frame,
    CsrfForm(submitted): CsrfForm<Submitted>,
) -> Result<Redirect, AppError> {
    let admin = administrator(&frame)?;
    let (login, unit, role, id) = membership(&state, &submitted).await?;
    state
        .store
        .add_membership(id, unit, role, &admin.login)
        .await?;
    done(
        &frame,
        &format!("«{login}» es ahora {} en {unit}.", role.label()),
    )
}

/// `POST /admin/personas/papeles/quitar`: a role in a unit, taken away.
pub async fn revoke(
    State(state): State<AppState>,
    frame: Frame,
    CsrfForm(submitted): CsrfForm<Submitted>,
) -> Result<Redirect, AppError> {
    let admin = administrator(&frame)?;
    let (login, unit, role, id) = membership(&state, &submitted).await?;
    if !state
        .store
        .remove_membership(id, unit, role, &admin.login)
        .await?
    {
        return Err(AppError::NotFound);
    }
    done(
        &frame,
        &format!("«{login}» ya no es {} en {unit}.", role.label()),
    )
}

/// `POST /admin/personas/estado`: may (or may no longer) sign in.
pub async fn set_active(
    State(state): State<AppState>,
    frame: Frame,
    CsrfForm(submitted): CsrfForm<Submitted>,
) -> Result<Redirect, AppError> {
    let admin = administrator(&frame)?;
    let login = required(&submitted, "login", "Persona")?;
    let active = required(&submitted, "activa", "Estado")? == "si";
    if login == admin.login && !active {
        return Err(AppError::BadRequest(
            "No puede darse de baja a sí mismo: otra persona administradora debe hacerlo.".into(),
        ));
    }
    let id = person_id(&state, login).await?;
    let status = if active {
        UserStatus::Active
    } else {
        UserStatus::Inactive
    };
    state
        .store
        .set_user_status(id, status, &admin.login)
        .await?;
    let what = if active {
        "puede entrar de nuevo"
    } else {
        "ya no puede entrar"
    };
    done(&frame, &format!("«{login}» {what}."))
}
