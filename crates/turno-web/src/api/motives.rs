//! `/api/v1/motives`: the catalog of motives that classify petitions (docs/citizen-format.md),
//! for administrators, as on the motives page (`turno_app::motives`): listing it, adding a
//! motive, retiring one. Each change is on the audit log under the token user's login.

use super::auth::AdminUser;
use super::error::{ApiError, ErrorBody, Json, Path};
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use turno_app::motives;
use turno_domain::citizen::{Motive, PetitionKind};
use turno_store::Handling;
use utoipa::ToSchema;
use utoipa::openapi::schema::{ArrayBuilder, ObjectBuilder, Type};

/// A motive of the catalog.
#[derive(Debug, Serialize, ToSchema)]
pub struct MotiveDetail {
    #[schema(example = "MED-SURT")]
    pub code: String,
    #[schema(example = "Surtimiento de medicamentos")]
    pub name: String,
    /// The petition types it applies to (`queja`, `gestion`…); none: every type.
    pub kinds: Vec<String>,
    /// A retired motive classifies no more, but stays on the petitions classified with it.
    pub active: bool,
}

impl From<Motive> for MotiveDetail {
    fn from(m: Motive) -> MotiveDetail {
        MotiveDetail {
            kinds: m.kinds.iter().map(|k| k.code().to_owned()).collect(),
            code: m.code,
            name: m.name,
            active: m.active,
        }
    }
}

/// The catalog, retired motives included.
#[utoipa::path(
    get,
    path = "/api/v1/motives",
    operation_id = "list_motives",
    tag = "administración",
    responses(
        (status = 200, description = "Los motivos", body = [MotiveDetail]),
    ),
)]
pub async fn list(
    State(state): State<AppState>,
    AdminUser(_user): AdminUser,
) -> Result<Json<Vec<MotiveDetail>>, ApiError> {
    let motives = state.store.motives().await?;
    Ok(Json(motives.into_iter().map(MotiveDetail::from).collect()))
}

/// The petition types' codes, any of them once.
fn kind_codes() -> utoipa::openapi::schema::Array {
    ArrayBuilder::new()
        .items(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .enum_values(Some(PetitionKind::ALL.iter().map(|k| k.code()))),
        )
        .max_items(Some(PetitionKind::ALL.len()))
        .unique_items(true)
        .build()
}

/// A motive to add.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewMotive {
    /// Upper-case letters and digits in parts joined by hyphens, not in the catalog yet.
    #[schema(
        max_length = 40,
        pattern = "^[A-Z0-9]+(-[A-Z0-9]+)*$",
        example = "MED-SURT"
    )]
    pub code: String,
    #[schema(
        max_length = 300,
        pattern = r"\S",
        example = "Surtimiento de medicamentos"
    )]
    pub name: String,
    /// The petition types it applies to; none: every type.
    #[serde(default)]
    #[schema(schema_with = kind_codes)]
    pub kinds: Vec<String>,
}

/// Adds a motive to the catalog.
#[utoipa::path(
    post,
    path = "/api/v1/motives",
    operation_id = "add_motive",
    tag = "administración",
    request_body = NewMotive,
    responses(
        (status = 201, description = "Agregado", body = MotiveDetail),
        (status = 409, description = "Otra persona agregó esa clave al mismo tiempo", body = ErrorBody),
        (status = 422, description = "Datos no válidos (`fields`): una clave mal escrita o ya en el catálogo, un tipo que no existe", body = ErrorBody),
    ),
)]
pub async fn add(
    State(state): State<AppState>,
    AdminUser(user): AdminUser,
    Json(request): Json<NewMotive>,
) -> Result<(StatusCode, Json<MotiveDetail>), ApiError> {
    let motive = motives::add(
        &state,
        (&request.code, &request.name),
        &request.kinds,
        &user.login,
    )
    .await?;
    Ok((StatusCode::CREATED, Json(motive.into())))
}

/// Retires a motive: it classifies no more.
#[utoipa::path(
    post,
    path = "/api/v1/motives/{code}/retire",
    operation_id = "retire_motive",
    tag = "administración",
    params(("code" = String, Path, description = "La clave del motivo", max_length = 40, example = "MED-SURT")),
    responses(
        (status = 200, description = "Retirado", body = MotiveDetail),
        (status = 422, description = "El motivo no existe o ya estaba retirado", body = ErrorBody),
    ),
)]
pub async fn retire(
    State(state): State<AppState>,
    AdminUser(user): AdminUser,
    Path(code): Path<String>,
) -> Result<Json<MotiveDetail>, ApiError> {
    Ok(Json(
        motives::retire(&state, &code, &user.login).await?.into(),
    ))
}
