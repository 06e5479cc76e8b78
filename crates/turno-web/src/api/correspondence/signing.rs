//! Outgoing documents signed with e.firma through the API (issue 18, `docs/efirma.md`): the
//! signable bytes of a version, the signature made elsewhere (or in the page's script) with its
//! certificate, and the signed PDF. The same use cases as the pages
//! (`turno_app::correspondence::signed`).

use super::super::auth::ApiUser;
use super::super::error::{ApiError, ErrorBody, Json, Path, Query};
use super::outgoing::{OutgoingDetail, OutgoingId, detail};
use crate::routes::correspondence::outgoing::{
    signable_bytes, signable_response, signed_pdf_response,
};
use crate::state::AppState;
use axum::extract::State;
use axum::response::Response;
use serde::Deserialize;
use turno_app::correspondence::outgoing;
use turno_app::correspondence::signed::{self, EfirmaInput};
use utoipa::{IntoParams, ToSchema};

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct VersionQuery {
    /// The document's `version` as read: refused (409) if it changed since.
    version: Option<i64>,
}

/// The exact bytes the titular (or the signer whose turn it is) signs with e.firma: the
/// document's PDF before its number, with the signer's name, or every signer's in order. The
/// same version, signer and day give the same bytes; after a first signature of several, the
/// bytes it signed.
#[utoipa::path(
    get,
    path = "/api/v1/correspondence/outgoing/{id}/signable",
    operation_id = "outgoing_signable",
    tag = "firma",
    params(OutgoingId, VersionQuery),
    responses(
        (status = 200, description = "Los bytes por firmar (PDF)", content(("application/pdf"))),
        (status = 403, description = "El usuario no es el titular de la unidad ni uno de los firmantes del documento", body = ErrorBody),
        (status = 409, description = "Cambió desde que se leyó su versión", body = ErrorBody),
        (status = 422, description = "Su estado no permite firmarlo, o no le toca firmar (falta la firma de quien va antes, o ya firmó)", body = ErrorBody),
    ),
)]
pub async fn signable(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(OutgoingId { id }): Path<OutgoingId>,
    Query(query): Query<VersionQuery>,
) -> Result<Response, ApiError> {
    Ok(signable_response(&state, &user, id, query.version).await?)
}

/// The titular's e.firma over the signable bytes of the version read.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EfirmaRequest {
    /// The document's `version` as read (its signable bytes are those of this version).
    pub version: i64,
    /// The detached CMS (PKCS#7) SignedData with SHA-256 over the signable bytes: DER in base64.
    #[schema(format = Byte)]
    pub firma: String,
    /// The signer's certificate (the `.cer`): DER in base64.
    #[schema(format = Byte)]
    pub certificado: String,
}

/// The titular, or the signer whose turn it is, signs the document with e.firma: verified
/// against the imported authorities and lists and the RFC or CURP of the person's record before
/// anything is stored; the last signature takes the next number of its unit and year in the
/// same transaction, an earlier one leaves it waiting for the next signer (`awaiting_signer`).
#[utoipa::path(
    post,
    path = "/api/v1/correspondence/outgoing/{id}/efirma",
    operation_id = "sign_outgoing_efirma",
    tag = "firma",
    params(OutgoingId),
    request_body = EfirmaRequest,
    responses(
        (status = 200, description = "Firmado con e.firma: numerado con la última firma; con firmantes pendientes, espera al siguiente (`awaiting_signer`)", body = OutgoingDetail),
        (status = 403, description = "El usuario no es el titular de la unidad ni uno de los firmantes del documento", body = ErrorBody),
        (status = 409, description = "Cambió desde que se leyó su versión", body = ErrorBody),
        (status = 422, description = "Su estado no lo permite, no le toca firmar (falta la firma de quien va antes, o ya firmó), o la firma no es válida (`fields`: `firma` con el motivo: el documento no es el firmado, el certificado venció, fue revocado, no es de una autoridad de confianza, no es del RFC de la persona…; `certificado`)", body = ErrorBody),
    ),
)]
pub async fn sign(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(OutgoingId { id }): Path<OutgoingId>,
    Json(request): Json<EfirmaRequest>,
) -> Result<Json<OutgoingDetail>, ApiError> {
    let content = signable_bytes(&state, &user, id, Some(request.version)).await?;
    let input = EfirmaInput {
        firma: request.firma,
        certificado: request.certificado,
    };
    signed::sign(&state, &user, id, request.version, &content, &input).await?;
    Ok(Json(detail(outgoing::show(&state, &user, id).await?)))
}

/// The signed PDF: the document with its number and a page per e.firma signature (signer,
/// certificate, date and time, digest, signature in base64 and the QR code of the public
/// verification page). Its SHA-256 is kept, so that the public page recognizes it.
#[utoipa::path(
    get,
    path = "/api/v1/correspondence/outgoing/{id}/signed-pdf",
    operation_id = "outgoing_signed_pdf",
    tag = "firma",
    params(OutgoingId),
    responses(
        (status = 200, description = "El PDF firmado", content(("application/pdf"))),
        (status = 404, description = "No existe ese documento, o no está firmado con e.firma", body = ErrorBody),
    ),
)]
pub async fn signed_pdf(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(OutgoingId { id }): Path<OutgoingId>,
) -> Result<Response, ApiError> {
    Ok(signed_pdf_response(&state, &user, id).await?)
}
