//! `POST /salir`.

use crate::auth::{Backend, csrf};
use crate::error::AppError;
use axum::Form;
use axum::response::Redirect;
use axum_login::AuthSession;
use serde::Deserialize;

#[derive(Deserialize)]
pub struct SignOutForm {
    csrf: String,
}

pub async fn post(
    mut auth: AuthSession<Backend>,
    Form(form): Form<SignOutForm>,
) -> Result<Redirect, AppError> {
    csrf::require(&auth.session, &form.csrf).await?;
    auth.logout()
        .await
        .map_err(|e| AppError::Internal(anyhow::anyhow!("{e}")))?;
    Ok(Redirect::to("/acceso"))
}
