//! `POST /api/v1/public/verify`: the public verification page's twin (`/verificar`), without a
//! token: a signed PDF issued by Turno or the signed bytes (base64), or a document's number and
//! the digest of its signed bytes; whether it is authentic, by whom, with which certificate and
//! when (`turno_app::correspondence::signed::verify_public`). The body is bounded by the API's;
//! the requests per client and at once by `crate::limits` (with the page).

use super::error::{ApiError, ErrorBody, FieldError, Json};
use crate::limits::{self, Client};
use crate::routes::verification::Shown;
use crate::state::AppState;
use axum::extract::State;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde::{Deserialize, Serialize};
use turno_app::correspondence::signed::{self, Lookup};
use utoipa::ToSchema;

/// A file, or a number and a digest.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PublicVerifyRequest {
    /// The signed PDF as issued, or the signed bytes, in base64.
    #[schema(format = Byte)]
    pub document: Option<String>,
    /// The document's number, as on its signature page.
    #[schema(example = "SIDSS/ST/0001/2026", max_length = 80)]
    pub number: Option<String>,
    /// SHA-256 of the signed bytes, hexadecimal (64 characters).
    #[schema(min_length = 64, max_length = 64)]
    pub digest: Option<String>,
}

/// One signature verified again.
#[derive(Debug, Serialize, ToSchema)]
pub struct PublicSignature {
    pub signer: String,
    /// RFC and CURP of the certificate.
    pub identity: String,
    pub serial: String,
    pub issuer: String,
    /// When Turno verified it at signing, where the office is.
    pub signed_at: String,
    /// The signing time the signature declares (not proof).
    pub declared_time: Option<String>,
    pub digest: String,
    pub valid: bool,
    /// Why it does not verify, if it does not.
    pub reason: Option<String>,
}

/// The verdict.
#[derive(Debug, Serialize, ToSchema)]
pub struct PublicVerdict {
    /// Found, and every signature verified again.
    pub authentic: bool,
    /// How it was found.
    pub found_by: String,
    pub kind: String,
    pub number: String,
    pub unit: String,
    pub cancelled: bool,
    pub signatures: Vec<PublicSignature>,
}

impl From<Shown> for PublicVerdict {
    fn from(s: Shown) -> PublicVerdict {
        PublicVerdict {
            authentic: s.authentic,
            found_by: s.found_by.to_owned(),
            kind: s.kind,
            number: s.number,
            unit: s.unit,
            cancelled: s.cancelled,
            signatures: s
                .signatures
                .into_iter()
                .map(|f| PublicSignature {
                    signer: f.signer,
                    identity: f.identity,
                    serial: f.serial,
                    issuer: f.issuer,
                    signed_at: f.signed_at,
                    declared_time: f.claimed,
                    digest: f.digest,
                    valid: f.refusal.is_none(),
                    reason: f.refusal,
                })
                .collect(),
        }
    }
}

/// Verifies a document signed with e.firma in Turno: anyone, without a token.
#[utoipa::path(
    post,
    path = "/api/v1/public/verify",
    operation_id = "public_verify",
    tag = "firma",
    request_body = PublicVerifyRequest,
    responses(
        (status = 200, description = "Encontrado: `authentic` dice si sus firmas se verifican", body = PublicVerdict),
        (status = 404, description = "Ningún documento firmado tiene ese contenido (no es de Turno, o fue alterado), o ese número y resumen", body = ErrorBody),
        (status = 413, description = "El cuerpo pasa de 2 MiB", body = ErrorBody),
        (status = 422, description = "Falta el documento o el número y el resumen, o no son válidos (`fields`)", body = ErrorBody),
        (status = 429, description = "Demasiadas verificaciones desde esta conexión (60 en 15 minutos, con la página), o demasiadas en curso en este momento: `Retry-After` dice en cuántos segundos intentar de nuevo", body = ErrorBody,
            headers(("Retry-After" = u64, description = "Segundos que esperar"))),
    ),
)]
pub async fn verify(
    State(state): State<AppState>,
    client: Client,
    Json(request): Json<PublicVerifyRequest>,
) -> Result<Json<PublicVerdict>, ApiError> {
    limits::check(&state, &limits::VERIFICATIONS, &client).await?;
    let _place = limits::VERIFYING.enter().await?;
    let file = match request.document.as_deref().map(str::trim) {
        Some(text) if !text.is_empty() => match STANDARD.decode(text) {
            Ok(bytes) => Some(bytes),
            Err(_) => {
                return Err(ApiError::invalid_fields(vec![FieldError::new(
                    "document",
                    "No es base64 válido: envíe el documento codificado en base64.",
                )]));
            }
        },
        _ => None,
    };
    let number = request.number.unwrap_or_default();
    let digest = request.digest.unwrap_or_default();
    let lookup = Lookup::asked(file.as_deref(), &number, &digest);
    let check = signed::verify_public(&state, lookup).await?;
    Ok(Json(Shown::of(check, &state.time_zone).into()))
}
