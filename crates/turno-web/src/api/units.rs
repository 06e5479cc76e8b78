//! `GET /api/v1/units`, `POST /api/v1/units/import`, `PUT /api/v1/units/{code}` and `PATCH
//! /api/v1/units/{code}`: the organization with its history, for anyone with a token (it names
//! no case); importing organization files (`docs/org-format.md`), all or nothing, every
//! problem located, one unit created or changed as on the units page, and an existing unit
//! changed in place as from the page's list (`turno_app::units`), for administrators.

use super::answers::FileImport;
use super::auth::{AdminUser, ApiUser};
use super::error::{ApiError, ErrorBody, Json, Path, Query};
use super::params::UnitCode;
use super::schema::shaped;
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use turno_app::units::{self, UnitChange, UnitEdit};
use turno_domain::org::{Form, Level, UnitSpec};
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
    #[param(format = Date, pattern = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")]
    date: Option<String>,
}

/// Every unit, by code.
#[utoipa::path(
    get,
    path = "/api/v1/units",
    operation_id = "list_units",
    tag = "administración",
    params(UnitsQuery),
    responses(
        (status = 200, description = "Las unidades", body = [UnitDetail]),
        (status = 400, description = "Una fecha no válida", body = ErrorBody),
    ),
)]
pub async fn list(
    State(state): State<AppState>,
    ApiUser(_user): ApiUser,
    Query(query): Query<UnitsQuery>,
) -> Result<Json<Vec<UnitDetail>>, ApiError> {
    let date = super::paging::date("date", query.date.as_deref())?;
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
    #[param(
        required = true,
        max_length = 200,
        pattern = r"\.(toml|csv)$",
        example = "unidades.csv"
    )]
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
    responses(
        (status = 200, description = "Importado: cuántas unidades se crearon, cambiaron o quedaron igual", body = ImportResult),
        FileImport,
    ),
)]
pub async fn import(
    State(state): State<AppState>,
    AdminUser(user): AdminUser,
    Query(query): Query<ImportQuery>,
    body: Bytes,
) -> Result<Json<ImportResult>, ApiError> {
    let (name, text) = super::imported_file(query.name.as_deref(), &[".toml", ".csv"], &body)?;
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

/// The levels' codes, as the organization files write them.
fn level_codes() -> utoipa::openapi::schema::Object {
    utoipa::openapi::schema::ObjectBuilder::new()
        .schema_type(utoipa::openapi::schema::Type::String)
        .enum_values(Some(Level::ALL.iter().map(|l| l.as_str())))
        .build()
}

/// A unit as the units page's form writes it.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UnitInput {
    #[schema(max_length = 300, pattern = r"\S", example = "Oficina de Enlace")]
    pub name: String,
    /// As the organization files write it.
    #[schema(schema_with = level_codes, example = "departamento")]
    pub level: String,
    /// The code of the unit above it, an existing one that is not this unit or below it.
    #[schema(
        max_length = 40,
        pattern = "^[A-Z0-9]+(-[A-Z0-9]+)*$",
        example = "SIDSS-ST"
    )]
    pub parent: Option<String>,
    #[schema(max_length = 40)]
    pub siglas: Option<String>,
    /// From when this form holds (`AAAA-MM-DD`): the form it replaces is kept for what
    /// happened before. Without it, the form in force is corrected.
    #[schema(format = Date, pattern = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")]
    pub from: Option<String>,
}

/// Creates or changes one unit, checked with the stored organization; answers it with its
/// history.
#[utoipa::path(
    put,
    path = "/api/v1/units/{code}",
    operation_id = "save_unit",
    tag = "administración",
    params(UnitCode),
    request_body = UnitInput,
    responses(
        (status = 201, description = "Creada", body = UnitDetail),
        (status = 200, description = "Cambiada", body = UnitDetail),
        (status = 422, description = "Datos no válidos (`fields`): una clave mal escrita, una unidad superior que no existe o que depende de ella…", body = ErrorBody),
    ),
)]
pub async fn save(
    State(state): State<AppState>,
    AdminUser(user): AdminUser,
    Path(UnitCode { code }): Path<UnitCode>,
    Json(request): Json<UnitInput>,
) -> Result<(StatusCode, Json<UnitDetail>), ApiError> {
    let mut blank = Vec::new();
    let change = UnitChange {
        code: &code,
        name: &request.name,
        level: &request.level,
        parent: shaped("parent", &request.parent, &mut blank),
        siglas: request.siglas.as_deref().unwrap_or_default(),
        from: shaped("from", &request.from, &mut blank),
    };
    if !blank.is_empty() {
        return Err(ApiError::invalid_fields(blank));
    }
    let (unit, created) = units::save(&state, change, &user.login).await?;
    tracing::info!(unit = %unit.code, created, user = %user.login, "unit saved through the API");
    let status = if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(UnitDetail::new(&unit, &unit.current))))
}

/// A `null` given, told apart from a field left out (`None`).
fn given<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Option<String>>, D::Error> {
    Option::<String>::deserialize(d).map(Some)
}

/// A value that may be left out but not `null` (a unit always has a name and a level):
/// `null` is refused as the schema says, rather than taken as «unchanged».
fn not_null<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    String::deserialize(d).map(Some)
}

/// What to change of an existing unit: a field left out stays as it is.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UnitPatch {
    #[serde(default, deserialize_with = "not_null")]
    #[schema(value_type = String, required = false, max_length = 300, pattern = r"\S", example = "Oficina de Enlace")]
    pub name: Option<String>,
    /// As the organization files write it.
    #[serde(default, deserialize_with = "not_null")]
    #[schema(schema_with = level_codes)]
    pub level: Option<String>,
    /// The code of the unit above it, an existing one that is not this unit or below it;
    /// `null`: none.
    #[serde(default, deserialize_with = "given")]
    #[schema(
        value_type = Option<String>,
        max_length = 40,
        pattern = "^[A-Z0-9]+(-[A-Z0-9]+)*$",
        example = "SIDSS-ST"
    )]
    pub parent: Option<Option<String>>,
    /// `null`: none.
    #[serde(default, deserialize_with = "given")]
    #[schema(value_type = Option<String>, max_length = 40)]
    pub siglas: Option<Option<String>>,
    /// From when the changed form holds (`AAAA-MM-DD`): the form it replaces is kept for what
    /// happened before. Without it, the form in force is corrected.
    #[schema(format = Date, pattern = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")]
    pub from: Option<String>,
}

/// Changes an existing unit in place (never creates one): what is left out stays as it is;
/// checked with the stored organization as a whole unit is. Answers it with its history.
#[utoipa::path(
    patch,
    path = "/api/v1/units/{code}",
    operation_id = "edit_unit",
    tag = "administración",
    params(UnitCode),
    request_body = UnitPatch,
    responses(
        (status = 200, description = "Cambiada", body = UnitDetail),
        (status = 404, description = "No existe esa unidad", body = ErrorBody),
        (status = 422, description = "Datos no válidos (`fields`)", body = ErrorBody),
    ),
)]
pub async fn edit(
    State(state): State<AppState>,
    AdminUser(user): AdminUser,
    Path(UnitCode { code }): Path<UnitCode>,
    Json(request): Json<UnitPatch>,
) -> Result<Json<UnitDetail>, ApiError> {
    let mut blank = Vec::new();
    let edit = UnitEdit {
        name: request.name.as_deref(),
        level: request.level.as_deref(),
        parent: request
            .parent
            .as_ref()
            .map(|p| shaped("parent", p, &mut blank)),
        siglas: request
            .siglas
            .as_ref()
            .map(|s| s.as_deref().unwrap_or_default()),
        from: request
            .from
            .is_some()
            .then(|| shaped("from", &request.from, &mut blank)),
    };
    if !blank.is_empty() {
        return Err(ApiError::invalid_fields(blank));
    }
    let unit = units::edit(&state, &code, edit, &user.login).await?;
    tracing::info!(unit = %unit.code, user = %user.login, "unit changed in place through the API");
    Ok(Json(UnitDetail::new(&unit, &unit.current)))
}
