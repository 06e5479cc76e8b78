//! What every page's frame needs: who is signed in, the CSRF token for its forms, and a
//! one-time message carried over a redirect.

use crate::auth::{Backend, SignedIn, csrf};
use crate::flash::Flash;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum_login::AuthSession;

pub struct UserView {
    pub name: String,
    /// Administration is shown only to administrators.
    pub admin: bool,
    /// Citizen attention is shown to those who see petitions.
    pub petitions: bool,
    /// The archive's expedientes, calendar and lists, to the archive's people and
    /// administrators.
    pub archive: bool,
}

pub struct Layout {
    pub user: Option<UserView>,
    pub csrf: String,
    pub flash: Option<String>,
}

impl Layout {
    pub fn anonymous() -> Layout {
        Layout {
            user: None,
            csrf: String::new(),
            flash: None,
        }
    }

    /// The frame of a page for `user` (none: signed out), its forms with `csrf`.
    pub fn of(user: Option<&SignedIn>, csrf: String, flash: Option<String>) -> Layout {
        Layout {
            user: user.map(|u| UserView {
                name: u.name.clone(),
                admin: u.is_admin(),
                petitions: turno_app::access::petition_scope(u).is_some(),
                archive: turno_app::archive::may_read(u),
            }),
            csrf,
            flash,
        }
    }
}

/// Leaves a message for the next page the browser shows (see [`crate::flash`]).
pub fn flash(frame: &Frame, message: &str) {
    frame.flash.leave(message);
}

/// The frame of a page, taken from the request's session.
pub struct Frame {
    pub layout: Layout,
    pub user: Option<SignedIn>,
    flash: Flash,
}

impl<S: Send + Sync> FromRequestParts<S> for Frame {
    type Rejection = (axum::http::StatusCode, &'static str);

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Frame, Self::Rejection> {
        let auth = AuthSession::<Backend>::from_request_parts(parts, state).await?;
        let visitor = parts.extensions.get::<csrf::Visitor>();
        let csrf = csrf::token(&auth.session, visitor).await;
        let flash = parts.extensions.get::<Flash>().cloned().unwrap_or_default();
        Ok(Frame {
            layout: Layout::of(auth.user.as_ref(), csrf, flash.show()),
            user: auth.user,
            flash,
        })
    }
}

/// A page rendered, answered with `status`.
pub fn html_with(
    status: axum::http::StatusCode,
    page: &impl askama::Template,
) -> Result<axum::response::Response, crate::error::AppError> {
    use axum::response::IntoResponse;
    let html = page.render().map_err(anyhow::Error::from)?;
    Ok((status, axum::response::Html(html)).into_response())
}

/// A page rendered, answered 200.
pub fn html(
    page: &impl askama::Template,
) -> Result<axum::response::Response, crate::error::AppError> {
    html_with(axum::http::StatusCode::OK, page)
}
