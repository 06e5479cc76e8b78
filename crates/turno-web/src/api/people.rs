//! `/api/v1/people`: the people who use Turno, for administrators: listing them, creating one,
//! granting and revoking their roles in units, deactivating and reactivating them, and the RFC
//! and CURP their e.firma carries (`docs/efirma.md`). Each change
//! is on the audit log under the token user's login (the store records it in the same
//! transaction).

use super::auth::AdminUser;
use super::error::{ApiError, ErrorBody, FieldError, Json, Path};
use super::params::PersonLogin;
use crate::auth::{SignedIn, hash_password};
use crate::state::AppState;
use axum::extract::{FromRequest, FromRequestParts, Request, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use turno_app::{efirma, people};
use turno_store::signatures::SignerIdentity;
use turno_store::{Membership, Refusal, Role, Signatures, Store, StoreError, User};
use utoipa::ToSchema;

/// A role of a person in a unit.
#[derive(Debug, Serialize, ToSchema)]
pub struct RoleInUnit {
    #[schema(example = "SIDSS-ST")]
    pub unit: String,
    pub unit_name: String,
    /// `titular`, `operador`, `enlace_externo`, `consulta` or `administrador`.
    #[schema(example = "operador")]
    pub role: String,
}

impl From<Membership> for RoleInUnit {
    fn from(m: Membership) -> RoleInUnit {
        RoleInUnit {
            unit: m.unit_code,
            unit_name: m.unit_name,
            role: m.role.as_str().to_owned(),
        }
    }
}

/// A person with their own roles (suplencias aside).
#[derive(Debug, Serialize, ToSchema)]
pub struct PersonDetail {
    #[schema(example = "mgarcia")]
    pub login: String,
    pub name: String,
    pub email: Option<String>,
    /// An inactive person cannot sign in and their API tokens do not work.
    pub active: bool,
    pub roles: Vec<RoleInUnit>,
    /// The RFC the person's e.firma must carry to sign, upper case.
    #[schema(example = "GOYA780416GM0")]
    pub rfc: Option<String>,
    /// The CURP the person's e.firma must carry to sign, upper case.
    #[schema(example = "GOYA780416HDFRRN09")]
    pub curp: Option<String>,
}

impl PersonDetail {
    fn new(user: User, memberships: Vec<Membership>, identity: SignerIdentity) -> PersonDetail {
        PersonDetail {
            login: user.login,
            name: user.name,
            email: user.email,
            active: user.active,
            roles: memberships.into_iter().map(RoleInUnit::from).collect(),
            rfc: identity.rfc,
            curp: identity.curp,
        }
    }
}

fn no_person(login: &str) -> ApiError {
    ApiError::not_found(format!("No existe una persona con el usuario «{login}»."))
}

/// The user of a login, 404 naming it when there is none.
async fn user_of(state: &AppState, login: &str) -> Result<User, ApiError> {
    state
        .store
        .user_by_login(login)
        .await?
        .map(|record| record.user)
        .ok_or_else(|| no_person(login))
}

/// A person as they are now, with their own roles (`memberships` leaves suplencias out).
async fn detail(state: &AppState, user: User) -> Result<PersonDetail, ApiError> {
    let memberships = state.store.memberships(user.id).await?;
    let identity = state
        .store
        .signer_identity(user.id)
        .await?
        .unwrap_or_default();
    Ok(PersonDetail::new(user, memberships, identity))
}

/// Every person with their roles, by login.
#[utoipa::path(
    get,
    path = "/api/v1/people",
    operation_id = "list_people",
    tag = "administración",
    responses(
        (status = 200, description = "Las personas", body = [PersonDetail]),
    ),
)]
pub async fn list(
    State(state): State<AppState>,
    AdminUser(_admin): AdminUser,
) -> Result<Json<Vec<PersonDetail>>, ApiError> {
    let people = state.store.people().await?;
    let mut identities: HashMap<i64, SignerIdentity> =
        state.store.signer_identities().await?.into_iter().collect();
    Ok(Json(
        people
            .into_iter()
            .map(|p| {
                let identity = identities.remove(&p.user.id).unwrap_or_default();
                PersonDetail::new(p.user, p.memberships, identity)
            })
            .collect(),
    ))
}

/// A person to create.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewPerson {
    /// Lower-case letters, digits, `.`, `_` and `-`.
    #[schema(example = "mgarcia", max_length = 64, pattern = "^[a-z0-9._-]+$")]
    pub login: String,
    #[schema(
        max_length = 300,
        pattern = r"^[^\x00-\x1F\x7F-\x9F]*[^\s\x00-\x1F\x7F-\x9F][^\x00-\x1F\x7F-\x9F]*$"
    )]
    pub name: String,
    #[schema(
        max_length = 300,
        pattern = r"^[^@\s\x00-\x1F\x7F-\x9F]+@[^\s\x00-\x1F\x7F-\x9F]*\.[^\s\x00-\x1F\x7F-\x9F]*$",
        example = "mgarcia@salud.gob.mx"
    )]
    pub email: Option<String>,
    /// At least 12 characters; stored only as its argon2 hash.
    #[schema(min_length = 12, max_length = 300)]
    pub password: String,
    /// The RFC the person's e.firma carries: 13 characters a person's, 12 a legal person's.
    #[schema(
        example = "GOYA780416GM0",
        max_length = 13,
        pattern = r"^(\s*|[A-Za-zÑñ&]{3,4}[0-9]{6}[A-Za-z0-9]{3})$"
    )]
    pub rfc: Option<String>,
    /// The CURP the person's e.firma carries, with its check digit.
    #[schema(
        example = "GOYA780416HDFRRN09",
        max_length = 18,
        pattern = r"^(\s*|[A-Za-z]{4}[0-9]{6}[HMXhmx][A-Za-z]{5}[A-Za-z0-9][0-9])$"
    )]
    pub curp: Option<String>,
}

/// Creates an active person without roles.
#[utoipa::path(
    post,
    path = "/api/v1/people",
    operation_id = "create_person",
    tag = "administración",
    request_body = NewPerson,
    responses(
        (status = 201, description = "Creada", body = PersonDetail),
        (status = 409, description = "El usuario ya existe", body = ErrorBody),
        (status = 422, description = "Datos no válidos, cada uno nombrado (`fields`)", body = ErrorBody),
    ),
)]
pub async fn create(
    State(state): State<AppState>,
    AdminUser(admin): AdminUser,
    Json(person): Json<NewPerson>,
) -> Result<(StatusCode, Json<PersonDetail>), ApiError> {
    let valid = people::check(&people::NewPerson {
        login: &person.login,
        name: &person.name,
        email: person.email.as_deref(),
        password: &person.password,
        rfc: person.rfc.as_deref().unwrap_or_default(),
        curp: person.curp.as_deref().unwrap_or_default(),
    })?;
    let password = person.password;
    // Hashing is slow on purpose: off the threads that serve requests.
    let hash = tokio::task::spawn_blocking(move || hash_password(&password))
        .await
        .map_err(ApiError::internal)?
        .map_err(ApiError::internal)?;
    let login = valid.login().to_owned();
    people::create(&state.store, valid, hash, &admin.login).await?;
    tracing::info!(login = %login, by = %admin.login, "person created");
    let user = user_of(&state, &login).await?;
    Ok((StatusCode::CREATED, Json(detail(&state, user).await?)))
}

/// A role in a unit to grant or revoke.
#[derive(Debug, Deserialize, ToSchema)]
pub struct RoleRequest {
    #[schema(example = "SIDSS-ST", max_length = 40)]
    pub unit: String,
    /// `titular`, `operador`, `enlace_externo`, `consulta` or `administrador`.
    #[schema(example = "operador", schema_with = role_names)]
    pub role: String,
}

/// The roles' names.
fn role_names() -> utoipa::openapi::schema::Object {
    use utoipa::openapi::schema::{ObjectBuilder, Type};
    ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some(Role::ALL.iter().map(|r| r.as_str())))
        .build()
}

/// The role asked for, or 422 naming what it is not.
fn role_of(request: &RoleRequest) -> Result<Role, ApiError> {
    request.role.trim().parse().map_err(|_| {
        let roles: Vec<&str> = Role::ALL.iter().map(|r| r.as_str()).collect();
        ApiError::invalid_fields(vec![FieldError::new(
            "role",
            format!(
                "«{}» no es un rol: elija {}.",
                request.role,
                roles.join(", ")
            ),
        )])
    })
}

/// A role given or taken away, as both operations take it: an administrator's (anyone else is
/// refused before anything is read), for a person that exists, with a role that exists.
pub struct RoleChange {
    state: AppState,
    admin: SignedIn,
    login: String,
    user: User,
    role: Role,
    unit: String,
}

impl FromRequest<AppState> for RoleChange {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &AppState) -> Result<RoleChange, ApiError> {
        let (mut parts, body) = request.into_parts();
        let AdminUser(admin) = AdminUser::from_request_parts(&mut parts, state).await?;
        let Path(PersonLogin { login }) =
            Path::<PersonLogin>::from_request_parts(&mut parts, state).await?;
        let Json(request) =
            Json::<RoleRequest>::from_request(Request::from_parts(parts, body), state).await?;
        let user = user_of(state, &login).await?;
        Ok(RoleChange {
            state: state.clone(),
            admin,
            login,
            user,
            role: role_of(&request)?,
            unit: request.unit.trim().to_owned(),
        })
    }
}

/// An unknown unit named in the body.
pub(super) fn unknown_unit(unit: &str) -> ApiError {
    ApiError::invalid_fields(vec![FieldError::new(
        "unit",
        format!("No existe la unidad «{unit}»."),
    )])
}

/// Gives a person a role in a unit; giving it again changes nothing.
#[utoipa::path(
    post,
    path = "/api/v1/people/{login}/roles",
    operation_id = "grant_role",
    tag = "administración",
    params(PersonLogin),
    request_body = RoleRequest,
    responses(
        (status = 200, description = "La persona con sus roles", body = PersonDetail),
        (status = 404, description = "No existe esa persona", body = ErrorBody),
        (status = 422, description = "No existe la unidad o el rol", body = ErrorBody),
    ),
)]
pub async fn grant(change: RoleChange) -> Result<Json<PersonDetail>, ApiError> {
    let (state, unit) = (&change.state, change.unit.as_str());
    match state
        .store
        .add_membership(change.user.id, unit, change.role, &change.admin.login)
        .await
    {
        Ok(()) => Ok(Json(detail(state, change.user).await?)),
        Err(StoreError::Refused(Refusal::UnitNotFound(_))) => Err(unknown_unit(unit)),
        Err(e) => Err(e.into()),
    }
}

/// Takes a role in a unit away from a person.
#[utoipa::path(
    delete,
    path = "/api/v1/people/{login}/roles",
    operation_id = "revoke_role",
    tag = "administración",
    params(PersonLogin),
    request_body = RoleRequest,
    responses(
        (status = 200, description = "La persona con sus roles", body = PersonDetail),
        (status = 404, description = "No existe esa persona, o no tiene ese rol en esa unidad", body = ErrorBody),
        (status = 409, description = "Es el último administrador activo: su papel de administrador se queda", body = ErrorBody),
        (status = 422, description = "No existe la unidad o el rol", body = ErrorBody),
    ),
)]
pub async fn revoke(change: RoleChange) -> Result<Json<PersonDetail>, ApiError> {
    let (state, unit) = (&change.state, change.unit.as_str());
    if !state.store.units().await?.iter().any(|u| u.code == unit) {
        return Err(unknown_unit(unit));
    }
    if !people::revoke(state, &change.user, unit, change.role, &change.admin).await? {
        return Err(ApiError::not_found(format!(
            "«{}» no tiene el rol {} en {unit}.",
            change.login,
            change.role.as_str()
        )));
    }
    Ok(Json(detail(state, change.user).await?))
}

/// Whether a person may use Turno.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ActiveRequest {
    pub active: bool,
}

/// Deactivates or reactivates a person: an inactive person cannot sign in and their API tokens
/// stop working at once.
#[utoipa::path(
    put,
    path = "/api/v1/people/{login}/active",
    operation_id = "set_person_active",
    tag = "administración",
    params(PersonLogin),
    request_body = ActiveRequest,
    responses(
        (status = 200, description = "La persona", body = PersonDetail),
        (status = 404, description = "No existe esa persona", body = ErrorBody),
        (status = 409, description = "Es el último administrador activo: no se desactiva", body = ErrorBody),
        (status = 422, description = "Un administrador no puede desactivarse a sí mismo", body = ErrorBody),
    ),
)]
pub async fn set_active(
    State(state): State<AppState>,
    AdminUser(admin): AdminUser,
    Path(PersonLogin { login }): Path<PersonLogin>,
    Json(request): Json<ActiveRequest>,
) -> Result<Json<PersonDetail>, ApiError> {
    let mut user = user_of(&state, &login).await?;
    if !people::set_active(&state, &user, request.active, &admin).await? {
        return Err(no_person(&login));
    }
    user.active = request.active;
    Ok(Json(detail(&state, user).await?))
}

/// The RFC and CURP a person's e.firma must carry; absent or blank: none.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IdentityRequest {
    #[schema(
        example = "GOYA780416GM0",
        max_length = 13,
        pattern = r"^(\s*|[A-Za-zÑñ&]{3,4}[0-9]{6}[A-Za-z0-9]{3})$"
    )]
    pub rfc: Option<String>,
    #[schema(
        example = "GOYA780416HDFRRN09",
        max_length = 18,
        pattern = r"^(\s*|[A-Za-z]{4}[0-9]{6}[HMXhmx][A-Za-z]{5}[A-Za-z0-9][0-9])$"
    )]
    pub curp: Option<String>,
}

/// Records the RFC and CURP that a person's e.firma must carry to sign (both at once: one
/// absent or blank is taken away); on the audit log.
#[utoipa::path(
    put,
    path = "/api/v1/people/{login}/identity",
    operation_id = "set_person_identity",
    tag = "administración",
    params(PersonLogin),
    request_body = IdentityRequest,
    responses(
        (status = 200, description = "La persona", body = PersonDetail),
        (status = 404, description = "No existe esa persona", body = ErrorBody),
        (status = 422, description = "El RFC o la CURP no son válidos, cada uno nombrado (`fields`: `rfc`, `curp`)", body = ErrorBody),
    ),
)]
pub async fn set_identity(
    State(state): State<AppState>,
    AdminUser(admin): AdminUser,
    Path(PersonLogin { login }): Path<PersonLogin>,
    Json(request): Json<IdentityRequest>,
) -> Result<Json<PersonDetail>, ApiError> {
    let user = user_of(&state, &login).await?;
    let typed = (
        request.rfc.as_deref().unwrap_or_default(),
        request.curp.as_deref().unwrap_or_default(),
    );
    efirma::set_identity(&state.store, user.id, typed, &admin.login).await?;
    tracing::info!(login = %login, by = %admin.login, "signer identity set");
    Ok(Json(detail(&state, user).await?))
}
