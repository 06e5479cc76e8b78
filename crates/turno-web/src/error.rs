//! How a refused or failed request answers: a Spanish page with the right status and no data
//! the person may not see, in the frame of every page (with the menu for a signed-in person,
//! [`with_menu`]), so that an error is never a dead end.

use crate::auth::{Backend, csrf};
use crate::page::Layout;
use askama::Template;
use axum::extract::Request;
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};
use axum_login::AuthSession;
use turno_store::StoreError;

/// What a request refused because too many of its kind are under way hears, page or API.
pub const BUSY: &str =
    "Hay muchas verificaciones en curso en este momento. Intente de nuevo en unos segundos.";

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("no encontrado")]
    NotFound,
    /// Also for cases that exist but are not the person's: no hint of what is there.
    #[error("sin permiso")]
    Forbidden,
    /// They see it but may not do this: the page says why.
    #[error("{0}")]
    Denied(String),
    #[error("{0}")]
    BadRequest(String),
    /// Someone else changed the case first.
    #[error("{0}")]
    Conflict(String),
    /// Too many attempts from one client: try again after this many seconds.
    #[error("demasiados intentos")]
    TooManyRequests(u64),
    /// Too many requests of one kind under way at once in this process (the public
    /// verification's): try again after this many seconds.
    #[error("demasiadas solicitudes en curso")]
    Busy(u64),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

/// The application's refusals as pages: a hidden case is 403 with nothing in it, a denied
/// action 403 with the reason; a refused request is 400, its reason on the page.
impl From<turno_app::Error> for AppError {
    fn from(e: turno_app::Error) -> AppError {
        use turno_app::Error;
        match e {
            Error::NotFound(_) => AppError::NotFound,
            Error::Hidden => AppError::Forbidden,
            Error::Denied(message) => AppError::Denied(message),
            Error::Invalid(message) | Error::Refused(message) => AppError::BadRequest(message),
            // The forms that ask for a procedure's fields show each problem by its field
            // (`register.rs`, `act.rs`); the use cases' problems are sentences that name it.
            Error::InvalidFields(problems) => AppError::BadRequest(
                problems
                    .iter()
                    .map(|p| p.message.as_str())
                    .collect::<Vec<_>>()
                    .join(" "),
            ),
            Error::InvalidFile(problems) => AppError::BadRequest(problems.join("\n")),
            Error::TooLarge(message) | Error::WrongType(message) | Error::Incomplete(message) => {
                AppError::BadRequest(message)
            }
            Error::Conflict(message) => AppError::Conflict(message),
            // A disposed case: its page says so (`routes::case`); anything else on it is refused.
            Error::Gone(message) => AppError::BadRequest(message),
            Error::KeyReused => AppError::BadRequest(e.to_string()),
            Error::Internal(error) => AppError::Internal(anyhow::anyhow!(error)),
        }
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> AppError {
        turno_app::Error::from(e).into()
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    layout: Layout,
    title: &'a str,
    message: &'a str,
}

/// What an error page says, kept on its response so that [`with_menu`] can frame it again
/// for the person signed in (the error itself does not know who asked).
#[derive(Clone)]
struct Said {
    title: &'static str,
    message: String,
}

fn render(status: StatusCode, layout: Layout, title: &str, message: &str) -> Response {
    let page = ErrorPage {
        layout,
        title,
        message,
    };
    match page.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(_) => (status, message.to_owned()).into_response(),
    }
}

/// An error page: `title` and `message` in the frame of a page without a person; pages
/// under [`with_menu`] show it with the person's menu.
pub fn error_page(status: StatusCode, title: &'static str, message: String) -> Response {
    let mut response = render(status, Layout::anonymous(), title, &message);
    response.extensions_mut().insert(Said { title, message });
    response
}

/// Frames the error pages of the routes it wraps for the person signed in: their menu, so
/// that a 404, 403 or 500 leads on. Only an error page is rendered again; every other
/// response passes as it is.
pub async fn with_menu(auth: AuthSession<Backend>, request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    let (Some(said), Some(user)) = (response.extensions().get::<Said>(), auth.user.as_ref()) else {
        return response;
    };
    let layout = Layout::of(Some(user), csrf::token(&auth.session, None).await, None);
    let mut framed = render(response.status(), layout, said.title, &said.message);
    let (parts, _) = response.into_parts();
    // The headers it was given (Retry-After) stay; the body's own are the new page's.
    for (name, value) in parts.headers.iter() {
        if name != axum::http::header::CONTENT_LENGTH && name != axum::http::header::CONTENT_TYPE {
            framed.headers_mut().insert(name.clone(), value.clone());
        }
    }
    framed
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let (status, title, message) = match &self {
            AppError::NotFound => (
                StatusCode::NOT_FOUND,
                "No encontrado",
                "La página o el asunto que busca no existe.".to_owned(),
            ),
            AppError::Forbidden => (
                StatusCode::FORBIDDEN,
                "Sin permiso",
                "Este asunto no está turnado a ninguna de sus unidades.".to_owned(),
            ),
            AppError::Denied(message) => (StatusCode::FORBIDDEN, "Sin permiso", message.clone()),
            AppError::BadRequest(message) => (
                StatusCode::BAD_REQUEST,
                "Solicitud no válida",
                message.clone(),
            ),
            AppError::Conflict(message) => {
                (StatusCode::CONFLICT, "Asunto modificado", message.clone())
            }
            AppError::TooManyRequests(seconds) => (
                StatusCode::TOO_MANY_REQUESTS,
                "Demasiados intentos",
                format!(
                    "Recibimos muchos envíos desde su conexión. Intente de nuevo en {} minutos.",
                    seconds.div_ceil(60).max(1)
                ),
            ),
            AppError::Busy(_) => (
                StatusCode::TOO_MANY_REQUESTS,
                "Demasiadas solicitudes",
                BUSY.to_owned(),
            ),
            AppError::Internal(error) => {
                tracing::error!(error = format!("{error:#}"), "request failed");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "Error del sistema",
                    "Ocurrió un error. Intente de nuevo; si persiste, avise al administrador."
                        .to_owned(),
                )
            }
        };
        let mut response = error_page(status, title, message);
        if let AppError::TooManyRequests(seconds) | AppError::Busy(seconds) = self {
            response
                .headers_mut()
                .insert(axum::http::header::RETRY_AFTER, seconds.into());
        }
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::Router;
    use axum::body::{Body, to_bytes};
    use axum::routing::get;
    use tower::ServiceExt;

    /// A failure of the system is a Spanish page in the frame of every page, with nothing of
    /// the failure in it (it goes to the log).
    #[tokio::test]
    async fn a_failure_is_a_spanish_page_that_tells_nothing_of_it() {
        let app = Router::new().route(
            "/falla",
            get(|| async { AppError::Internal(anyhow::anyhow!("disk on fire")) }),
        );
        let request = Request::builder()
            .uri("/falla")
            .body(Body::empty())
            .unwrap();
        let response = app.oneshot(request).await.unwrap();
        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
        assert!(response.extensions().get::<Said>().is_some());
        let body = to_bytes(response.into_body(), 1 << 20).await.unwrap();
        let html = String::from_utf8(body.to_vec()).unwrap();
        assert!(html.contains("lang=\"es-MX\""), "{html}");
        assert!(html.contains("Error del sistema") && html.contains("avise al administrador"));
        assert!(!html.contains("disk on fire"));
    }
}
