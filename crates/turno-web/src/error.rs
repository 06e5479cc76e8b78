//! How a refused or failed request answers: a Spanish page with the right status and no data
//! the person may not see.

use crate::page::Layout;
use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use turno_store::StoreError;

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
        let page = ErrorPage {
            layout: Layout::anonymous(),
            title,
            message: &message,
        };
        let mut response = match page.render() {
            Ok(html) => (status, Html(html)).into_response(),
            Err(_) => (status, message).into_response(),
        };
        if let AppError::TooManyRequests(seconds) = self {
            response
                .headers_mut()
                .insert(axum::http::header::RETRY_AFTER, seconds.into());
        }
        response
    }
}
