//! `/api/v1/delegations`: suplencias. A titular names a delegate who holds the titular role in
//! the unit for a range of days, with the written delegation (a PDF, kept in the blob store by
//! its SHA-256); an administrator may record one for any titular. Each person sees the
//! suplencias they take part in, an administrator all of them; the titular or an administrator
//! revokes one. The rules are `turno_app::delegations`', as for the page `/suplencias`.

use super::auth::ApiUser;
use super::error::{ApiError, ErrorBody, FieldError, Json, Path};
use crate::documents::file_name;
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde::{Deserialize, Serialize};
use turno_app::delegations::{self, Naming};
use turno_store::Delegation;
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
    Ok(Json(
        delegations::list(&state, &user)
            .await?
            .into_iter()
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
    // Who may name it is checked before the document is decoded.
    delegations::naming(&user, &request.titular)?;
    let Ok(document) = STANDARD.decode(request.document.trim()) else {
        return Err(ApiError::invalid_fields(vec![FieldError::new(
            "document",
            "No es base64 válido: envíe el PDF codificado en base64.",
        )]));
    };
    let named = delegations::name(
        &state,
        &user,
        Naming {
            titular: &request.titular,
            delegate: &request.delegate,
            unit: &request.unit,
            starts_on: &request.starts_on,
            ends_on: &request.ends_on,
            reason: &request.reason,
            document_name: file_name(&request.document_name),
            document: Some(document),
        },
    )
    .await?;
    Ok((StatusCode::CREATED, Json(named.into())))
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
    Ok(Json(delegations::revoke(&state, &user, id).await?.into()))
}
