//! `GET /api/v1/units` and `POST /api/v1/units/import`: the organization with its history,
//! for anyone with a token (it names no case), and importing organization files
//! (`docs/org-format.md`), for administrators: all or nothing, every problem located.

use super::auth::{AdminUser, ApiUser};
use super::error::{ApiError, ErrorBody, Json, Query};
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::State;
use serde::{Deserialize, Serialize};
use turno_app::search::day;
use turno_domain::org::{Form, UnitSpec};
use turno_store::Store;
use turno_store::organization::{ImportError, import as import_files};
use utoipa::{IntoParams, ToSchema};

/// A form of a unit: its name, level and parent over a range of days.
#[derive(Debug, Serialize, ToSchema)]
pub struct UnitForm {
    pub name: String,
    /// As the organization files write it (`direccion_general`).
    #[schema(example = "direccion_general")]
    pub level: String,
    /// In the users' words (`Dirección General`).
    #[schema(example = "Dirección General")]
    pub level_label: String,
    /// The code of the unit above it.
    pub parent: Option<String>,
    /// Its first day (`AAAA-MM-DD`), if known.
    #[schema(format = Date)]
    pub valid_from: Option<String>,
    /// Its last day (`AAAA-MM-DD`); none while in force.
    #[schema(format = Date)]
    pub valid_to: Option<String>,
}

impl From<&Form> for UnitForm {
    fn from(form: &Form) -> UnitForm {
        UnitForm {
            name: form.name.clone(),
            level: form.level.as_str().to_owned(),
            level_label: form.level.label().to_owned(),
            parent: form.parent.clone(),
            valid_from: form.valid_from.map(|d| d.to_string()),
            valid_to: form.valid_to.map(|d| d.to_string()),
        }
    }
}

/// A unit: its form (the current one, or the one of the date asked for) and its history.
#[derive(Debug, Serialize, ToSchema)]
pub struct UnitDetail {
    #[schema(example = "SIDSS-ST")]
    pub code: String,
    pub siglas: Option<String>,
    #[serde(flatten)]
    pub form: UnitForm,
    /// Its number in the organization manual (`1.0.1`).
    pub manual_number: Option<String>,
    pub functions: Vec<String>,
    /// Where its functions went when it ceased to exist.
    pub merged_into: Option<String>,
    /// The forms it had before its current one, newest first.
    pub earlier_forms: Vec<UnitForm>,
}

impl UnitDetail {
    fn new(unit: &UnitSpec, form: &Form) -> UnitDetail {
        UnitDetail {
            code: unit.code.clone(),
            siglas: unit.siglas.clone(),
            form: form.into(),
            manual_number: unit.manual_number.clone(),
            functions: unit.functions.clone(),
            merged_into: unit.merged_into.clone(),
            earlier_forms: unit.before.iter().map(UnitForm::from).collect(),
        }
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UnitsQuery {
    /// The units as they were on this day (`AAAA-MM-DD`): their name, level and parent then,
    /// and only those that existed.
    #[param(format = Date)]
    date: Option<String>,
}

/// Every unit, by code.
#[utoipa::path(
    get,
    path = "/api/v1/units",
    operation_id = "list_units",
    tag = "administración",
    params(UnitsQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Las unidades", body = [UnitDetail]),
        (status = 400, description = "Una fecha no válida", body = ErrorBody),
        (status = 401, description = "Sin token válido", body = ErrorBody),
    ),
)]
pub async fn list(
    State(state): State<AppState>,
    ApiUser(_user): ApiUser,
    Query(query): Query<UnitsQuery>,
) -> Result<Json<Vec<UnitDetail>>, ApiError> {
    let date = day(query.date.as_deref().unwrap_or_default().trim())
        .map_err(|e| ApiError::bad_request(format!("«date»: {e}")))?;
    let units = state.store.organization().await?;
    Ok(Json(
        units
            .iter()
            .filter_map(|unit| match date {
                Some(date) => unit.as_of(date).map(|form| UnitDetail::new(unit, form)),
                None => Some(UnitDetail::new(unit, &unit.current)),
            })
            .collect(),
    ))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ImportQuery {
    /// The file's name, which says its format (`unidades.toml` or `unidades.csv`) and names it
    /// in the problems.
    name: Option<String>,
}

/// What an import did.
#[derive(Debug, Serialize, ToSchema)]
pub struct ImportResult {
    pub created: usize,
    pub changed: usize,
    pub unchanged: usize,
}

/// Imports an organization file (TOML or CSV, `docs/org-format.md`), checked together with the
/// stored units; with any problem, nothing is imported.
#[utoipa::path(
    post,
    path = "/api/v1/units/import",
    operation_id = "import_units",
    tag = "administración",
    params(ImportQuery),
    request_body(content = String, content_type = "text/plain", description = "El texto del archivo"),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Importado: cuántas unidades se crearon, cambiaron o quedaron igual", body = ImportResult),
        (status = 400, description = "Falta el nombre o el texto no es UTF-8", body = ErrorBody),
        (status = 401, description = "Sin token válido", body = ErrorBody),
        (status = 403, description = "El usuario no es administrador", body = ErrorBody),
        (status = 422, description = "Los problemas del archivo (`problems`); no se importó nada", body = ErrorBody),
    ),
)]
pub async fn import(
    State(state): State<AppState>,
    AdminUser(user): AdminUser,
    Query(query): Query<ImportQuery>,
    body: Bytes,
) -> Result<Json<ImportResult>, ApiError> {
    let name = query.name.as_deref().unwrap_or_default().trim();
    if !(name.ends_with(".toml") || name.ends_with(".csv")) {
        return Err(ApiError::bad_request(
            "«name»: escriba el nombre del archivo, terminado en .toml o .csv.",
        ));
    }
    let text = std::str::from_utf8(&body)
        .map_err(|_| ApiError::bad_request("El archivo debe estar en UTF-8."))?;
    match import_files(&state.store, &[(name, text)], &user.login).await {
        Ok(counts) => {
            tracing::info!(file = %name, created = counts.created, changed = counts.changed, user = %user.login, "units imported");
            Ok(Json(ImportResult {
                created: counts.created,
                changed: counts.changed,
                unchanged: counts.unchanged,
            }))
        }
        Err(ImportError::Invalid(problems)) => Err(ApiError::invalid_file(
            problems.iter().map(ToString::to_string).collect(),
        )),
        Err(ImportError::Store(e)) => Err(e.into()),
    }
}
