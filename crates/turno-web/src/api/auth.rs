//! Who is asking: the user of the API token in `Authorization: Bearer <token>`, with their
//! memberships, built exactly as a signed-in person of the pages is, so that what they may see
//! and do is the same.

use super::error::ApiError;
use super::token;
use crate::auth::{Backend, SignedIn};
use crate::state::AppState;
use axum::extract::FromRequestParts;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use turno_store::Store;

/// The person a valid token belongs to.
pub struct ApiUser(pub SignedIn);

/// The token user, when they administer: anyone else is refused with 403 before anything is
/// read, so an administration endpoint never answers them with data.
pub struct AdminUser(pub SignedIn);

/// The token of an `Authorization` header value: `Bearer <token>` (the scheme in any case).
fn bearer(value: &str) -> Option<&str> {
    let (scheme, token) = value.trim().split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then_some(token)
}

impl FromRequestParts<AppState> for ApiUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<ApiUser, ApiError> {
        let Some(value) = parts.headers.get(AUTHORIZATION) else {
            return Err(ApiError::unauthorized(
                "Falta el token de API: envíe el encabezado «Authorization: Bearer <token>».",
            ));
        };
        let token = value.to_str().ok().and_then(bearer).ok_or_else(|| {
            ApiError::unauthorized(
                "El encabezado Authorization debe ser «Bearer <token>» con un token de API.",
            )
        })?;
        let invalid = || {
            ApiError::unauthorized(
                "El token de API no es válido, fue revocado o su usuario está inactivo.",
            )
        };
        // The token, its user and the identity revision in one statement.
        let Some(found) = state.store.user_by_api_token(&token::digest(token)).await? else {
            return Err(invalid());
        };
        // The people this process loaded lately, shared with the pages' sign-in (`app.rs`).
        let backend = parts
            .extensions
            .get::<Backend>()
            .ok_or_else(|| ApiError::internal("the API is served without its people"))?;
        let signed_in = backend
            .person_at(found.user.id, found.identity_revision)
            .await
            .map_err(ApiError::internal)?
            // Deactivated between the two reads.
            .ok_or_else(invalid)?;
        Ok(ApiUser(signed_in))
    }
}

impl FromRequestParts<AppState> for AdminUser {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<AdminUser, ApiError> {
        let ApiUser(user) = ApiUser::from_request_parts(parts, state).await?;
        if !user.is_admin() {
            return Err(ApiError::forbidden(
                "Solo un administrador puede consultar o cambiar la administración.",
            ));
        }
        Ok(AdminUser(user))
    }
}

#[cfg(test)]
mod tests {
    use super::bearer;

    #[test]
    fn only_bearer_tokens_are_read() {
        assert_eq!(bearer("Bearer abc"), Some("abc"));
        assert_eq!(bearer("bearer  abc "), Some("abc"));
        assert_eq!(bearer("Basic abc"), None);
        assert_eq!(bearer("Bearer "), None);
        assert_eq!(bearer("abc"), None);
    }
}
