//! `GET /acceso` and `POST /acceso`: signing in, with growing delays after failures.

use crate::auth::csrf::CsrfForm;
use crate::auth::{Backend, Credentials, sign_in_delay};
use crate::error::AppError;
use crate::page::{Frame, Layout};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum_login::AuthSession;
use serde::Deserialize;
use turno_store::Store;

#[derive(Template)]
#[template(path = "sign_in.html")]
struct SignInPage {
    layout: Layout,
    error: Option<String>,
    login: String,
    next: String,
}

#[derive(Deserialize)]
pub struct Next {
    #[serde(default)]
    next: String,
}

pub async fn get(frame: Frame, Query(query): Query<Next>) -> Result<Response, AppError> {
    if frame.user.is_some() {
        return Ok(Redirect::to("/bandeja").into_response());
    }
    render(frame.layout, None, String::new(), query.next)
}

fn render(
    layout: Layout,
    error: Option<String>,
    login: String,
    next: String,
) -> Result<Response, AppError> {
    let page = SignInPage {
        layout,
        error,
        login,
        next,
    };
    Ok(Html(page.render().map_err(anyhow::Error::from)?).into_response())
}

#[derive(Deserialize)]
pub struct SignInForm {
    login: String,
    password: String,
    #[serde(default)]
    next: String,
}

/// Only paths of this site: a `next` pointing elsewhere would make the sign-in an open redirect.
fn safe_next(next: &str) -> &str {
    if next.starts_with('/') && !next.starts_with("//") && !next.contains('\\') {
        next
    } else {
        "/bandeja"
    }
}

pub async fn post(
    State(state): State<AppState>,
    frame: Frame,
    mut auth: AuthSession<Backend>,
    CsrfForm(form): CsrfForm<SignInForm>,
) -> Result<Response, AppError> {
    let login = match turno_app::people::sign_in_login(&form.login) {
        Ok(login) => login,
        Err(why) => {
            let shown = form.login.chars().filter(|c| !c.is_control()).collect();
            return render(frame.layout, Some(why), shown, form.next);
        }
    };
    if let Some((failures, last)) = state.store.sign_in_failures(&login).await? {
        let wait = sign_in_delay(failures);
        let last: jiff::Timestamp = last.parse().unwrap_or(jiff::Timestamp::UNIX_EPOCH);
        let ready = last + jiff::SignedDuration::try_from(wait).unwrap_or_default();
        let now = jiff::Timestamp::now();
        if now < ready {
            let seconds = (ready - now).get_seconds().max(1);
            return render(
                frame.layout,
                Some(format!(
                    "Demasiados intentos fallidos. Espere {seconds} segundos antes de intentar de nuevo."
                )),
                login,
                form.next,
            );
        }
    }
    let user = auth
        .authenticate(Credentials {
            login: login.clone(),
            password: form.password,
        })
        .await
        .map_err(|e| AppError::Internal(anyhow::anyhow!("{e}")))?;
    let Some(user) = user else {
        state
            .store
            .record_sign_in_failure(&login, jiff::Timestamp::now())
            .await?;
        tracing::info!(login = %login, "failed sign-in");
        return render(
            frame.layout,
            Some("Usuario o contraseña incorrectos.".into()),
            login,
            form.next,
        );
    };
    state.store.clear_sign_in_failures(&login).await?;
    auth.login(&user)
        .await
        .map_err(|e| AppError::Internal(anyhow::anyhow!("{e}")))?;
    tracing::info!(login = %login, "signed in");
    Ok(Redirect::to(safe_next(&form.next)).into_response())
}

#[cfg(test)]
mod tests {
    #[test]
    fn next_stays_on_this_site() {
        assert_eq!(
            super::safe_next("/asuntos/CAS-2026-000001"),
            "/asuntos/CAS-2026-000001"
        );
        assert_eq!(super::safe_next("//evil.example"), "/bandeja");
        assert_eq!(super::safe_next("https://evil.example"), "/bandeja");
        assert_eq!(super::safe_next("/\\evil.example"), "/bandeja");
        assert_eq!(super::safe_next(""), "/bandeja");
    }
}
