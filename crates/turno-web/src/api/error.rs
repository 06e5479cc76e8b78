//! How the API answers a refused or failed request: a status and
//! `{"error": "<mensaje en español>", "code": "<machine code>", "fields": [...]}`, never a page,
//! and never data the person may not see.

use crate::error::AppError;
use axum::extract::FromRequestParts;
use axum::extract::multipart::MultipartError;
use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::{FromRequest, Request};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::de::{DeserializeOwned, Visitor};
use serde::{Deserialize, Deserializer, Serialize};
use turno_store::StoreError;
use utoipa::ToSchema;

/// An error answer.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    /// What happened, in Spanish, for people.
    #[schema(example = "Falta el token de API.")]
    pub error: String,
    /// What happened, for programs: `unauthorized`, `forbidden`, `not_found`, `bad_request`,
    /// `invalid_fields`, `invalid_file`, `refused`, `conflict`, `idempotency_key_reused`,
    /// `too_large`, `unsupported_type`, `too_many_requests`, `disposed` (410: the case was
    /// disposed of by a baja documental) or `internal`.
    #[schema(example = "unauthorized")]
    pub code: String,
    /// With `invalid_fields`: each field refused and why.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldError>,
    /// With `invalid_file`: each problem of the file, as `archivo:línea:columna: mensaje`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[schema(example = json!(["unidades.csv:3:1: el código «sidss» no es válido"]))]
    pub problems: Vec<String>,
}

/// A field of the request that was refused.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FieldError {
    /// The field's name (`title`, `procedure`, or a case field such as `tipo_informe`).
    pub field: String,
    pub reason: String,
}

impl FieldError {
    pub fn new(field: &str, reason: impl Into<String>) -> FieldError {
        FieldError {
            field: field.to_owned(),
            reason: reason.into(),
        }
    }
}

#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
    pub fields: Vec<FieldError>,
    pub problems: Vec<String>,
    /// With 429: the seconds until the client may try again (`Retry-After`).
    pub retry_after: Option<u64>,
}

impl ApiError {
    fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            code,
            message: message.into(),
            fields: Vec::new(),
            problems: Vec::new(),
            retry_after: None,
        }
    }

    pub fn unauthorized(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::UNAUTHORIZED, "unauthorized", message)
    }

    pub fn forbidden(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::FORBIDDEN, "forbidden", message)
    }

    /// A case that exists but is not the person's: the same words whatever it holds.
    pub fn case_forbidden() -> ApiError {
        ApiError::forbidden("Este asunto no está turnado a ninguna de sus unidades.")
    }

    pub fn not_found(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::NOT_FOUND, "not_found", message)
    }

    pub fn bad_request(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, "bad_request", message)
    }

    /// The engine (or a rule of the request) refused: 422 with the reason.
    pub fn refused(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "refused", message)
    }

    pub fn conflict(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::CONFLICT, "conflict", message)
    }

    pub fn too_large(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, "too_large", message)
    }

    pub fn unsupported_type(message: impl Into<String>) -> ApiError {
        ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_type",
            message,
        )
    }

    /// Too many attempts from one client (the public operations' limits): 429, and when to
    /// try again.
    pub fn too_many_requests(seconds: u64) -> ApiError {
        ApiError {
            retry_after: Some(seconds),
            ..ApiError::new(
                StatusCode::TOO_MANY_REQUESTS,
                "too_many_requests",
                format!(
                    "Recibimos muchas solicitudes desde su conexión. Intente de nuevo en {} \
                     minutos.",
                    seconds.div_ceil(60).max(1)
                ),
            )
        }
    }

    pub fn idempotency_key_reused() -> ApiError {
        ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "idempotency_key_reused",
            "La clave Idempotency-Key ya se usó en otra operación: use una clave nueva para cada \
             operación.",
        )
    }

    pub fn invalid_fields(fields: Vec<FieldError>) -> ApiError {
        ApiError {
            fields,
            ..ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_fields",
                "Revise los datos marcados.",
            )
        }
    }

    /// An uploaded file with problems, each located in it.
    pub fn invalid_file(problems: Vec<String>) -> ApiError {
        ApiError {
            problems,
            ..ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_file",
                "El archivo tiene errores; no se importó nada.",
            )
        }
    }

    /// A multipart body that cannot be read: past its limit (413, with `too_large`), or not
    /// multipart (400).
    pub fn unreadable(error: MultipartError, too_large: &str) -> ApiError {
        if error.status() == StatusCode::PAYLOAD_TOO_LARGE {
            return ApiError::too_large(too_large);
        }
        ApiError::bad_request(format!(
            "No se pudo leer el envío multipart/form-data: {}",
            error.body_text()
        ))
    }

    /// A multipart body that stopped before its end.
    pub fn incomplete() -> ApiError {
        ApiError::bad_request("No se recibió el envío completo. Intente de nuevo.")
    }

    /// A failure already logged, with its own words for the caller.
    pub fn failed(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", message)
    }

    pub fn internal(error: impl std::fmt::Display) -> ApiError {
        tracing::error!(error = %error, "API request failed");
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "Ocurrió un error. Intente de nuevo; si persiste, avise al administrador.",
        )
    }
}

impl From<AppError> for ApiError {
    fn from(e: AppError) -> ApiError {
        match e {
            AppError::NotFound => ApiError::not_found("No existe ese asunto."),
            AppError::Forbidden => ApiError::case_forbidden(),
            AppError::Denied(message) => ApiError::forbidden(message),
            AppError::BadRequest(message) => ApiError::refused(message),
            AppError::Conflict(message) => ApiError::conflict(message),
            AppError::TooManyRequests(seconds) => ApiError::too_many_requests(seconds),
            AppError::Busy(seconds) => ApiError {
                retry_after: Some(seconds),
                ..ApiError::new(
                    StatusCode::TOO_MANY_REQUESTS,
                    "too_many_requests",
                    crate::error::BUSY,
                )
            },
            AppError::Internal(error) => ApiError::internal(format!("{error:#}")),
        }
    }
}

/// The application's refusals in JSON: a malformed request is 400, a refusal by the rules 422
/// with its reason, someone having acted first 409.
impl From<turno_app::Error> for ApiError {
    fn from(e: turno_app::Error) -> ApiError {
        use turno_app::Error;
        match e {
            Error::NotFound(message) => ApiError::not_found(message),
            Error::Hidden => ApiError::case_forbidden(),
            Error::Denied(message) => ApiError::forbidden(message),
            Error::Invalid(message) => ApiError::bad_request(message),
            Error::Refused(message) => ApiError::refused(message),
            Error::InvalidFields(problems) => ApiError::invalid_fields(
                problems
                    .into_iter()
                    .map(|p| FieldError {
                        field: p.field,
                        reason: p.message,
                    })
                    .collect(),
            ),
            Error::InvalidFile(problems) => ApiError::invalid_file(problems),
            Error::TooLarge(message) => ApiError::too_large(message),
            Error::WrongType(message) => ApiError::unsupported_type(message),
            Error::Incomplete(message) => ApiError::bad_request(message),
            Error::Conflict(message) => ApiError::conflict(message),
            Error::Gone(message) => ApiError::new(StatusCode::GONE, "disposed", message),
            Error::KeyReused => ApiError::idempotency_key_reused(),
            Error::Internal(error) => ApiError::internal(error),
        }
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> ApiError {
        turno_app::Error::from(e).into()
    }
}

impl From<JsonRejection> for ApiError {
    fn from(rejection: JsonRejection) -> ApiError {
        let message = match &rejection {
            JsonRejection::MissingJsonContentType(_) => {
                "El cuerpo debe ser JSON (Content-Type: application/json).".to_owned()
            }
            JsonRejection::JsonSyntaxError(_) => "El cuerpo no es JSON válido.".to_owned(),
            JsonRejection::JsonDataError(e) => {
                format!("El cuerpo no tiene la forma esperada: {}", e.body_text())
            }
            other => format!("No se pudo leer el cuerpo: {}", other.body_text()),
        };
        ApiError::new(rejection.status(), "bad_request", message)
    }
}

impl From<QueryRejection> for ApiError {
    fn from(rejection: QueryRejection) -> ApiError {
        ApiError::bad_request(format!(
            "Parámetros de consulta no válidos: {}",
            rejection.body_text()
        ))
    }
}

impl From<PathRejection> for ApiError {
    fn from(rejection: PathRejection) -> ApiError {
        ApiError::not_found(format!("Ruta no válida: {}", rejection.body_text()))
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let unauthorized = self.status == StatusCode::UNAUTHORIZED;
        let retry_after = self.retry_after;
        let body = ErrorBody {
            error: self.message,
            code: self.code.to_owned(),
            fields: self.fields,
            problems: self.problems,
        };
        let mut response = (self.status, axum::Json(body)).into_response();
        if unauthorized {
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"turno\""),
            );
        }
        if let Some(seconds) = retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, seconds.into());
        }
        response
    }
}

/// A JSON body; a malformed one answers in JSON too. An object is read from a JSON object
/// only: serde would take an array of its fields in order too (`[null, null]`), which the
/// document's `type: object` does not allow.
pub struct Json<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for Json<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Json<T>, ApiError> {
        let axum::Json(ObjectsOnly(value)) =
            axum::Json::<ObjectsOnly<T>>::from_request(request, state).await?;
        Ok(Json(value))
    }
}

/// `T` read with [`Objects`].
struct ObjectsOnly<T>(T);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for ObjectsOnly<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<ObjectsOnly<T>, D::Error> {
        T::deserialize(Objects(deserializer)).map(ObjectsOnly)
    }
}

/// A JSON deserializer that reads a struct from a map only. A body's type asks for its
/// outermost value alone, where this applies; JSON describes itself, so the rest is read as
/// it comes.
struct Objects<D>(D);

impl<'de, D: Deserializer<'de>> Deserializer<'de> for Objects<D> {
    type Error = D::Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        self.0.deserialize_any(visitor)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.0.deserialize_map(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        self.0.deserialize_option(visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.0.deserialize_newtype_struct(name, visitor)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.0.deserialize_enum(name, variants, visitor)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        unit unit_struct seq tuple tuple_struct map identifier ignored_any
    }
}

impl<T: Serialize> IntoResponse for Json<T> {
    fn into_response(self) -> Response {
        axum::Json(self.0).into_response()
    }
}

/// Query parameters; bad ones answer in JSON.
#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(ApiError))]
pub struct Query<T>(pub T);

/// Path parameters; bad ones answer in JSON.
#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(ApiError))]
pub struct Path<T>(pub T);

#[cfg(test)]
mod tests {
    use super::*;
    use turno_store::Refusal;

    #[test]
    fn refusals_answer_with_their_reason_and_failures_as_internal() {
        let cycle = ApiError::from(StoreError::from(Refusal::UnitCycle {
            unit: "DGCEF".into(),
            parent: "SIDSS".into(),
        }));
        assert_eq!(cycle.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(cycle.message.contains("«SIDSS»"), "{}", cycle.message);
        let acted = ApiError::from(StoreError::from(Refusal::PetitionStatus {
            folio: "SAC-2026-1".into(),
            status: "clasificada".into(),
        }));
        assert_eq!(acted.status, StatusCode::CONFLICT);
        let missing = ApiError::from(StoreError::from(Refusal::UserNotFound(7)));
        assert_eq!(missing.status, StatusCode::NOT_FOUND);
        let broken = ApiError::from(StoreError::Corrupt("event 3 of case X".into()));
        assert_eq!(broken.status, StatusCode::INTERNAL_SERVER_ERROR);
        assert!(matches!(
            AppError::from(StoreError::WriterStopped),
            AppError::Internal(_)
        ));
        let hidden = ApiError::from(turno_app::Error::Hidden);
        assert_eq!(hidden.status, StatusCode::FORBIDDEN);
        assert!(!hidden.message.is_empty());
    }
}
