//! How a refused or failed request answers: a Spanish page with the right status and no data
//! the person may not see.

use crate::page::Layout;
use crate::usecase::UseError;
use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use turno_domain::engine::EngineError;
use turno_store::commands::CommandError;
use turno_store::{Refusal, StoreError};

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("no encontrado")]
    NotFound,
    /// Also for cases that exist but are not the person's: no hint of what is there.
    #[error("sin permiso")]
    Forbidden,
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

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> AppError {
        match e {
            StoreError::Refused(refusal) => refusal.into(),
            StoreError::Conflict { .. } => AppError::Conflict(
                "Otra persona atendió este asunto mientras usted lo veía. Revise su estado actual."
                    .into(),
            ),
            other => AppError::Internal(other.into()),
        }
    }
}

impl From<Refusal> for AppError {
    fn from(refusal: Refusal) -> AppError {
        match refusal {
            Refusal::CaseNotFound(_)
            | Refusal::UserNotFound(_)
            | Refusal::DelegationNotFound(_)
            | Refusal::PetitionNotFound(_) => AppError::NotFound,
            Refusal::LoginTaken(login) => {
                AppError::Conflict(format!("Ya existe una persona con el usuario «{login}»."))
            }
            Refusal::UnitNotFound(code) => {
                AppError::BadRequest(format!("La unidad «{code}» no existe."))
            }
            Refusal::UnitCycle { unit, parent } => AppError::BadRequest(format!(
                "La unidad «{parent}» es «{unit}» o depende de ella: no puede ser su unidad superior."
            )),
            Refusal::PetitionStatus { .. } => AppError::Conflict(
                "Otra persona atendió esta petición mientras usted la veía. Revise su estado actual."
                    .into(),
            ),
            Refusal::MotiveTaken(code) => {
                AppError::Conflict(format!("Ya existe el motivo «{code}»."))
            }
            Refusal::MotiveNotFound(code) => AppError::BadRequest(format!(
                "El motivo «{code}» no existe o ya estaba retirado."
            )),
            Refusal::ProgramExists(key) => AppError::Conflict(format!(
                "Ya existe un programa de seguimiento con la clave «{key}»: elija otra."
            )),
            Refusal::InvalidDelegation(problem) => {
                AppError::BadRequest(crate::messages::delegation(&problem))
            }
            Refusal::ProcedureVersionExists { key, version } => AppError::Conflict(format!(
                "La versión {version} del procedimiento «{key}» ya está publicada con otro texto: \
                 una versión publicada no cambia."
            )),
            Refusal::ProcedureNotPublished { key, version } => AppError::BadRequest(format!(
                "La versión {version} del procedimiento «{key}» no está publicada en esta base de \
                 datos."
            )),
        }
    }
}

impl From<CommandError> for AppError {
    fn from(e: CommandError) -> AppError {
        match e {
            CommandError::Store(store) => store.into(),
            // Waiting for the turned units is the case's state, not a fault of the form.
            CommandError::Engine(engine @ EngineError::TurnsPending { .. }) => {
                AppError::Conflict(crate::messages::engine(&engine))
            }
            CommandError::Engine(engine) => AppError::BadRequest(crate::messages::engine(&engine)),
            other => AppError::BadRequest(other.to_string()),
        }
    }
}

impl From<UseError> for AppError {
    fn from(e: UseError) -> AppError {
        match e {
            UseError::Forbidden(_) => AppError::Forbidden,
            UseError::NotFound(_) => AppError::NotFound,
            e @ UseError::Invalid(_) => AppError::BadRequest(e.to_string()),
            UseError::InvalidFile(problems) => AppError::BadRequest(problems.join("\n")),
            UseError::Refused(message)
            | UseError::TooLarge(message)
            | UseError::WrongType(message)
            | UseError::Incomplete(message) => AppError::BadRequest(message),
            UseError::Conflict(message) => AppError::Conflict(message),
            UseError::Store(e) => e.into(),
            UseError::Internal(e) => AppError::Internal(e),
        }
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
