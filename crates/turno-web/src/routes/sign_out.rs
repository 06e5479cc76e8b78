//! `POST /salir`.

use crate::auth::Backend;
use crate::auth::csrf::CsrfForm;
use crate::error::AppError;
use axum::response::Redirect;
use axum_login::AuthSession;
use serde::de::IgnoredAny;

/// The form carries nothing but its token: signing out is refused only without it.
pub async fn post(
    mut auth: AuthSession<Backend>,
    _: CsrfForm<IgnoredAny>,
) -> Result<Redirect, AppError> {
    auth.logout()
        .await
        .map_err(|e| AppError::Internal(anyhow::anyhow!("{e}")))?;
    Ok(Redirect::to("/acceso"))
}
