//! `/api/v1/signatures/verify`: an e.firma made elsewhere checked against the certification
//! authorities and revocation lists imported (`turno firma ac importar`), as `turno firma
//! verificar` does, through `turno_app::efirma` (`docs/efirma.md`).

use super::auth::ApiUser;
use super::error::{ApiError, ErrorBody, FieldError, Json};
use crate::state::AppState;
use axum::extract::State;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde::{Deserialize, Serialize};
use turno_app::efirma;
use turno_efirma::{Expected, Verified};
use utoipa::ToSchema;

/// A document and its detached signature: nothing of it is stored, so the body's limit
/// bounds its texts.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VerifyRequest {
    /// The signed document's bytes, in base64.
    #[schema(format = Byte)]
    pub document: String,
    /// The detached CMS (PKCS#7) signature: its DER, in base64.
    #[schema(format = Byte)]
    pub signature: String,
    /// The RFC the signer's certificate must carry.
    #[schema(max_length = 13, example = "GOYA780416GM0")]
    pub rfc: Option<String>,
    /// The CURP the signer's certificate must carry.
    #[schema(max_length = 18, example = "GOYA780416HDFRRN08")]
    pub curp: Option<String>,
}

/// A valid signature: who signed, with which certificate, over which bytes.
#[derive(Debug, Serialize, ToSchema)]
pub struct VerifiedSignature {
    /// The certificate's holder (its common name).
    #[schema(example = "ANA LÓPEZ NÚÑEZ")]
    pub signer: String,
    pub rfc: Option<String>,
    pub curp: Option<String>,
    /// The certificate's number (the SAT's twenty digits), or its serial in hexadecimal.
    #[schema(example = "00001000000700000001")]
    pub serial: String,
    /// The certification authority that issued it.
    pub issuer: String,
    /// When it was checked: the certificate was valid then and not revoked by the lists.
    #[schema(format = DateTime)]
    pub checked_at: String,
    /// The signing time the signature declares, not checked.
    #[schema(format = DateTime)]
    pub declared_time: Option<String>,
    /// SHA-256 of the document, hexadecimal.
    pub digest: String,
    /// The signer's certificate (DER), in base64.
    #[schema(format = Byte)]
    pub certificate: String,
}

impl From<Verified> for VerifiedSignature {
    fn from(v: Verified) -> VerifiedSignature {
        VerifiedSignature {
            signer: v.signer,
            rfc: v.identity.rfc,
            curp: v.identity.curp,
            serial: v.serial,
            issuer: v.issuer,
            checked_at: v.at.to_string(),
            declared_time: v.claimed_time.map(|t| t.to_string()),
            digest: v.digest,
            certificate: STANDARD.encode(&v.certificate),
        }
    }
}

/// Verifies a detached e.firma over a document.
#[utoipa::path(
    post,
    path = "/api/v1/signatures/verify",
    operation_id = "verify_signature",
    tag = "firma",
    request_body = VerifyRequest,
    responses(
        (status = 200, description = "La firma es válida", body = VerifiedSignature),
        (status = 422, description = "El documento no es base64 (`fields`), o la firma no es válida: el motivo en el mensaje (el documento cambió, el certificado venció, fue revocado, no es de una autoridad de confianza, no es de ese RFC…)", body = ErrorBody),
    ),
)]
pub async fn verify(
    State(state): State<AppState>,
    ApiUser(_user): ApiUser,
    Json(request): Json<VerifyRequest>,
) -> Result<Json<VerifiedSignature>, ApiError> {
    let Ok(document) = STANDARD.decode(request.document.trim()) else {
        return Err(ApiError::invalid_fields(vec![FieldError::new(
            "document",
            "No es base64 válido: envíe el documento codificado en base64.",
        )]));
    };
    let expected = (request.rfc.is_some() || request.curp.is_some()).then_some(Expected {
        rfc: request.rfc,
        curp: request.curp,
    });
    let verified = efirma::verify(
        &state.store,
        &document,
        request.signature.as_bytes(),
        state.clock.now(),
        expected.as_ref(),
    )
    .await?;
    Ok(Json(verified.into()))
}
