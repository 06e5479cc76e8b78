//! `/api/v1/delegations`: suplencias. A titular names a delegate who holds the titular role in
//! the unit for a range of days, with the written delegation (a PDF, kept in the blob store by
//! its SHA-256); an administrator may record one for any titular. Each person sees the
//! suplencias they take part in, an administrator all of them; the titular or an administrator
//! revokes one.

use super::auth::ApiUser;
use super::error::{ApiError, ErrorBody, FieldError, Json, Path};
use super::people::unknown_unit;
use crate::auth::SignedIn;
use crate::documents::file_name;
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde::{Deserialize, Serialize};
use turno_app::documents::too_large;
use turno_app::limits;
use turno_app::messages;
use turno_app::search::day;
use turno_store::blobs::{BlobError, BlobStore, Kind, sniff};
use turno_store::{Delegation, NewDelegation, Refusal, Store, StoreError};
use utoipa::ToSchema;

/// A suplencia.
#[derive(Debug, Serialize, ToSchema)]
pub struct DelegationDetail {
    pub id: i64,
    /// The titular's login.
    pub titular: String,
    pub titular_name: String,
    /// The delegate's login.
    pub delegate: String,
    pub delegate_name: String,
    #[schema(example = "SIDSS-ST")]
    pub unit: String,
    pub unit_name: String,
    /// Its first day (`AAAA-MM-DD`).
    #[schema(format = Date)]
    pub starts_on: String,
    /// Its last day (`AAAA-MM-DD`).
    #[schema(format = Date)]
    pub ends_on: String,
    pub reason: String,
    /// The written delegation's file name.
    pub document_name: String,
    /// The written delegation's SHA-256 (hexadecimal), by which it is stored.
    pub document_sha256: String,
    /// When it was recorded (RFC 3339), and by whom.
    pub created_at: String,
    pub created_by: String,
    /// When it was revoked (RFC 3339), and by whom; none while not revoked.
    pub revoked_at: Option<String>,
    pub revoked_by: Option<String>,
}

impl From<Delegation> for DelegationDetail {
    fn from(d: Delegation) -> DelegationDetail {
        DelegationDetail {
            id: d.id,
            titular: d.titular_login,
            titular_name: d.titular_name,
            delegate: d.delegate_login,
            delegate_name: d.delegate_name,
            unit: d.unit_code,
            unit_name: d.unit_name,
            starts_on: d.starts_on,
            ends_on: d.ends_on,
            reason: d.reason,
            document_name: d.document_name,
            document_sha256: d.document_sha256,
            created_at: d.created_at,
            created_by: d.created_by,
            revoked_at: d.revoked_at,
            revoked_by: d.revoked_by,
        }
    }
}

/// Whether a person takes part in a suplencia.
fn takes_part(user: &SignedIn, d: &Delegation) -> bool {
    d.titular_login == user.login || d.delegate_login == user.login
}

/// The suplencias the token user takes part in (as titular or delegate), or every one for an
/// administrator; newest first.
#[utoipa::path(
    get,
    path = "/api/v1/delegations",
    operation_id = "list_delegations",
    tag = "administración",
    responses(
        (status = 200, description = "Las suplencias", body = [DelegationDetail]),
    ),
)]
pub async fn list(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
) -> Result<Json<Vec<DelegationDetail>>, ApiError> {
    let all = state.store.delegations().await?;
    Ok(Json(
        all.into_iter()
            .filter(|d| user.is_admin() || takes_part(&user, d))
            .map(DelegationDetail::from)
            .collect(),
    ))
}

/// A suplencia to record.
#[derive(Debug, Deserialize, ToSchema)]
pub struct NewDelegationRequest {
    /// The titular's login: the token user's own, unless they are an administrator.
    #[schema(max_length = 64)]
    pub titular: String,
    /// The delegate's login.
    #[schema(max_length = 64)]
    pub delegate: String,
    /// The unit whose titular role the delegate holds.
    #[schema(example = "SIDSS-ST", max_length = 40)]
    pub unit: String,
    /// Its first day (`AAAA-MM-DD`).
    #[schema(format = Date, example = "2026-03-02")]
    pub starts_on: String,
    /// Its last day (`AAAA-MM-DD`).
    #[schema(format = Date, example = "2026-03-13")]
    pub ends_on: String,
    #[schema(example = "Vacaciones del titular", max_length = 4000, pattern = r"\S")]
    pub reason: String,
    /// The written delegation's file name.
    #[schema(example = "Oficio de suplencia.pdf", max_length = 200, pattern = r"\S")]
    pub document_name: String,
    /// The written delegation (a PDF), in base64.
    #[schema(format = Byte)]
    pub document: String,
}

/// The id of the person a field names, or none with the field noted as wrong.
async fn user_id(
    state: &AppState,
    field: &str,
    login: &str,
    wrong: &mut Vec<FieldError>,
) -> Result<Option<i64>, ApiError> {
    let login = login.trim();
    let found = state.store.user_by_login(login).await?;
    if found.is_none() {
        wrong.push(FieldError::new(
            field,
            format!("No existe una persona con el usuario «{login}»."),
        ));
    }
    Ok(found.map(|r| r.user.id))
}

/// The fields of a suplencia as the store takes them, or what is wrong with each. The store
/// checks the rest (titular of the unit, not oneself, order of the days, overlaps).
async fn read(
    state: &AppState,
    request: &NewDelegationRequest,
) -> Result<(NewDelegation, Vec<u8>), ApiError> {
    let mut wrong = Vec::new();
    let titular = user_id(state, "titular", &request.titular, &mut wrong).await?;
    let delegate = user_id(state, "delegate", &request.delegate, &mut wrong).await?;
    let mut date = |field: &str, text: &str| match day(text.trim()) {
        Ok(Some(date)) => Some(date),
        Ok(None) => {
            wrong.push(FieldError::new(field, "Escriba la fecha como AAAA-MM-DD."));
            None
        }
        Err(e) => {
            wrong.push(FieldError::new(field, e));
            None
        }
    };
    let starts_on = date("starts_on", &request.starts_on);
    let ends_on = date("ends_on", &request.ends_on);
    let reason = request.reason.trim().chars().count();
    if reason == 0 || reason > limits::TEXT {
        wrong.push(FieldError::new(
            "reason",
            format!(
                "Escriba el motivo de la suplencia, de 1 a {} caracteres.",
                limits::TEXT
            ),
        ));
    }
    let document_name = file_name(&request.document_name);
    if document_name.is_empty() {
        wrong.push(FieldError::new(
            "document_name",
            "Escriba el nombre del archivo de la delegación.",
        ));
    }
    let document = match STANDARD.decode(request.document.trim()) {
        Ok(bytes) if sniff(&bytes) == Kind::Pdf => Some(bytes),
        Ok(_) => {
            wrong.push(FieldError::new(
                "document",
                "La delegación por escrito debe ser un PDF.",
            ));
            None
        }
        Err(_) => {
            wrong.push(FieldError::new(
                "document",
                "No es base64 válido: envíe el PDF codificado en base64.",
            ));
            None
        }
    };
    match (titular, delegate, starts_on, ends_on, document) {
        (Some(titular), Some(delegate), Some(starts_on), Some(ends_on), Some(document))
            if wrong.is_empty() =>
        {
            let delegation = NewDelegation {
                titular,
                delegate,
                unit_code: request.unit.trim().to_owned(),
                starts_on,
                ends_on,
                // Set once the document is stored.
                document_sha256: String::new(),
                document_name,
                reason: request.reason.trim().to_owned(),
            };
            Ok((delegation, document))
        }
        _ => Err(ApiError::invalid_fields(wrong)),
    }
}

/// Records a suplencia with its written delegation.
#[utoipa::path(
    post,
    path = "/api/v1/delegations",
    operation_id = "create_delegation",
    tag = "administración",
    request_body = NewDelegationRequest,
    responses(
        (status = 201, description = "Registrada", body = DelegationDetail),
        (status = 403, description = "Nombra como titular a otra persona sin ser administrador", body = ErrorBody),
        (status = 413, description = "El documento supera el tamaño permitido", body = ErrorBody),
        (status = 422, description = "Datos no válidos (`fields`), o la suplencia no procede (el motivo en el mensaje)", body = ErrorBody),
    ),
)]
pub async fn create(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Json(request): Json<NewDelegationRequest>,
) -> Result<(StatusCode, Json<DelegationDetail>), ApiError> {
    if !user.is_admin() && request.titular.trim() != user.login {
        return Err(ApiError::forbidden(
            "Solo el titular registra su suplencia (o un administrador).",
        ));
    }
    let (mut delegation, document) = read(&state, &request).await?;
    let stored = state.blobs.put(&document).await.map_err(|e| match e {
        BlobError::TooLarge { limit } => ApiError::too_large(too_large(limit)),
        other => ApiError::internal(other),
    })?;
    delegation.document_sha256 = stored.sha256;
    let id = match state
        .store
        .create_delegation(&delegation, &user.login)
        .await
    {
        Ok(id) => id,
        Err(StoreError::Refused(Refusal::InvalidDelegation(refusal))) => {
            return Err(ApiError::refused(messages::delegation(&refusal)));
        }
        Err(StoreError::Refused(Refusal::UnitNotFound(unit))) => return Err(unknown_unit(&unit)),
        Err(e) => return Err(e.into()),
    };
    tracing::info!(delegation = id, unit = %delegation.unit_code, by = %user.login, "delegation created");
    let created = delegation_of(&state, id).await?;
    Ok((StatusCode::CREATED, Json(created.into())))
}

/// The suplencia of an id, 404 when there is none.
async fn delegation_of(state: &AppState, id: i64) -> Result<Delegation, ApiError> {
    state
        .store
        .delegations()
        .await?
        .into_iter()
        .find(|d| d.id == id)
        .ok_or_else(|| ApiError::not_found(format!("No existe la suplencia {id}.")))
}

/// Ends a suplencia at once.
#[utoipa::path(
    post,
    path = "/api/v1/delegations/{id}/revoke",
    operation_id = "revoke_delegation",
    tag = "administración",
    params(("id" = i64, Path, description = "El número de la suplencia")),
    responses(
        (status = 200, description = "Revocada", body = DelegationDetail),
        (status = 403, description = "El usuario no es su titular ni administrador", body = ErrorBody),
        (status = 404, description = "No existe esa suplencia", body = ErrorBody),
        (status = 409, description = "Ya estaba revocada", body = ErrorBody),
    ),
)]
pub async fn revoke(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
) -> Result<Json<DelegationDetail>, ApiError> {
    let delegation = delegation_of(&state, id).await?;
    if !user.is_admin() && delegation.titular_login != user.login {
        return Err(ApiError::forbidden(
            "Solo su titular o un administrador puede revocar esta suplencia.",
        ));
    }
    if !state.store.revoke_delegation(id, &user.login).await? {
        return Err(ApiError::conflict(format!(
            "La suplencia {id} ya estaba revocada."
        )));
    }
    tracing::info!(delegation = id, by = %user.login, "delegation revoked");
    Ok(Json(delegation_of(&state, id).await?.into()))
}
