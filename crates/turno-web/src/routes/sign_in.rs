//! `GET /acceso` and `POST /acceso`: signing in, with attempts limited per login and per
//! client address (`turno_app::sign_in`).

use crate::auth::csrf::CsrfForm;
use crate::auth::{AuthError, Backend, Credentials, HASHING_WAIT};
use crate::error::AppError;
use crate::limits::Client;
use crate::page::{Frame, Layout};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum_login::AuthSession;
use serde::Deserialize;
use turno_app::sign_in::{self, Attempt};

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
        return Ok(Redirect::to(safe_next(&query.next)).into_response());
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
    crate::page::html(&page)
}

#[derive(Deserialize)]
pub struct SignInForm {
    login: String,
    password: String,
    #[serde(default)]
    next: String,
}

/// Where a sign-in goes back to: `next` when it is a path of this site, otherwise `/`. Every
/// redirect built from what a request says goes through it.
///
/// A browser resolves a `Location` after dropping tabs and line breaks anywhere, leading and
/// trailing spaces and control characters, and reads `\\` as `/`: `/\t/evil.example` is
/// `//evil.example`, another site. So a path is accepted only when it is one `/` followed by
/// visible ASCII (what a header may carry) without a backslash, and the same holds of it
/// percent-decoded (for whoever decodes it before resolving).
pub(crate) fn safe_next(next: &str) -> &str {
    fn local(path: &[u8]) -> bool {
        path.first() == Some(&b'/')
            && !matches!(path.get(1), Some(b'/' | b'\\'))
            && !path.contains(&b'\\')
            && path.iter().all(|&b| b >= 0x80 || b.is_ascii_graphic())
    }
    let raw = next.as_bytes();
    if raw.is_ascii() && local(raw) && local(&percent_decoded(raw)) {
        next
    } else {
        "/"
    }
}

/// `%XX` sequences replaced by their byte; anything else kept as it is.
fn percent_decoded(text: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len());
    let mut i = 0;
    while i < text.len() {
        let hex = |b: u8| char::from(b).to_digit(16);
        match (text[i], text.get(i + 1), text.get(i + 2)) {
            (b'%', Some(&h), Some(&l)) if hex(h).is_some() && hex(l).is_some() => {
                let (h, l) = (hex(h).unwrap_or(0), hex(l).unwrap_or(0));
                out.push(u8::try_from(h * 16 + l).unwrap_or(0));
                i += 3;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    out
}

pub async fn post(
    State(state): State<AppState>,
    frame: Frame,
    client: Client,
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
    let reserved = match sign_in::attempt(&state, &login, &client.0).await? {
        Attempt::Check(reserved) => reserved,
        Attempt::Wait(seconds) => {
            let message = format!(
                "Demasiados intentos fallidos. Espere {} antes de intentar de nuevo.",
                waiting(seconds)
            );
            return too_many(frame.layout, message, login, form.next, seconds);
        }
    };
    let checked = auth
        .authenticate(Credentials {
            login: login.clone(),
            password: form.password,
        })
        .await;
    let user = match checked {
        Ok(user) => user,
        Err(axum_login::Error::Backend(AuthError::Busy)) => {
            let message = "Muchas personas están entrando en este momento. \
                           Intente de nuevo en unos segundos."
                .to_owned();
            let seconds = HASHING_WAIT.as_secs();
            return too_many(frame.layout, message, login, form.next, seconds);
        }
        Err(e) => return Err(AppError::Internal(anyhow::anyhow!("{e}"))),
    };
    let Some(user) = user else {
        tracing::info!(login = %login, "failed sign-in");
        return render(
            frame.layout,
            Some("Usuario o contraseña incorrectos.".into()),
            login,
            form.next,
        );
    };
    sign_in::succeeded(&state, reserved).await?;
    auth.login(&user)
        .await
        .map_err(|e| AppError::Internal(anyhow::anyhow!("{e}")))?;
    tracing::info!(login = %login, "signed in");
    Ok(Redirect::to(safe_next(&form.next)).into_response())
}

/// «30 segundos», «1 minuto», «15 minutos».
fn waiting(seconds: u64) -> String {
    if seconds < 60 {
        turno_domain::text::count(seconds, "segundo", "segundos")
    } else {
        turno_domain::text::count(seconds.div_ceil(60), "minuto", "minutos")
    }
}

/// The form again, with what was typed and why it must wait: 429 with `Retry-After`.
fn too_many(
    layout: Layout,
    message: String,
    login: String,
    next: String,
    seconds: u64,
) -> Result<Response, AppError> {
    let mut response = render(layout, Some(message), login, next)?;
    *response.status_mut() = StatusCode::TOO_MANY_REQUESTS;
    response
        .headers_mut()
        .insert(header::RETRY_AFTER, seconds.max(1).into());
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::safe_next;
    use proptest::prelude::*;

    #[test]
    fn next_stays_on_this_site() {
        assert_eq!(
            safe_next("/asuntos/CAS-2026-000001?vista=1#x"),
            "/asuntos/CAS-2026-000001?vista=1#x"
        );
        for elsewhere in [
            "//evil.example",
            "https://evil.example",
            "/\\evil.example",
            "/\t/evil.example",
            "/\r/evil.example",
            "/\n/evil.example",
            " //evil.example",
            "/%2Fevil.example",
            "/%5Cevil.example",
            "/%09/evil.example",
            "/a b",
            "/á",
            "",
            "bandeja",
        ] {
            assert_eq!(safe_next(elsewhere), "/", "{elsewhere:?}");
        }
    }

    /// Where a browser at this site goes with `location`, by the URL standard's parser.
    fn resolved(location: &str) -> Option<url::Url> {
        url::Url::parse("https://turno.example/acceso")
            .ok()?
            .join(location)
            .ok()
    }

    proptest! {
        /// Whatever a request says, the sign-in's `Location` is a valid header that a browser
        /// resolves on this site.
        #[test]
        fn no_next_leaves_the_site(next in "(/|\\\\|%2[fF]|%5[cC]|[\\t\\r\\n \\x00-\\x1f]|[a-z.:@?#]|[^\\x00-\\x7f]){0,12}") {
            let location = safe_next(&next);
            prop_assert!(axum::http::HeaderValue::from_str(location).is_ok());
            let url = resolved(location);
            prop_assert_eq!(url.as_ref().and_then(url::Url::host_str), Some("turno.example"));
        }
    }
}
