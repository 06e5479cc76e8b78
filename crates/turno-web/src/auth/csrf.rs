//! Every form carries a token tied to the session; a request that changes anything without
//! it is refused. The session cookie is SameSite=Strict as well: two locks.
//!
//! Handlers never check the token themselves: every page handler that takes a form takes it
//! through [`CsrfForm`] or [`CsrfMultipart`], which refuse a form whose token is not the
//! session's (400, the same page for both) before the handler runs. The check itself is
//! private to this module, so that no handler can call it by hand, or forget to.

use crate::error::AppError;
use crate::forms::{Submitted, short_text, single};
use axum::Form;
use axum::body::{Body, Bytes};
use axum::extract::{FromRequest, FromRequestParts, Multipart, Request};
use axum::response::{IntoResponse, Response};
use serde::de::DeserializeOwned;
use tower_sessions::Session;

const KEY: &str = "csrf";

/// What a form whose token is not the session's answers (400).
const EXPIRED: &str = "El formulario caducó. Vuelva a cargar la página e intente de nuevo.";

/// The token is 64 hexadecimal digits; a longer field is no token.
const TOKEN_LIMIT: usize = 128;

/// The session's token, created on first use.
pub async fn token(session: &Session) -> String {
    if let Ok(Some(token)) = session.get::<String>(KEY).await {
        return token;
    }
    let token = random_token();
    let _ = session.insert(KEY, &token).await;
    token
}

/// True when `submitted` is the session's token.
async fn check(session: &Session, submitted: &str) -> bool {
    match session.get::<String>(KEY).await {
        Ok(Some(token)) => constant_time_eq(token.as_bytes(), submitted.as_bytes()),
        _ => false,
    }
}

fn expired() -> Response {
    AppError::BadRequest(EXPIRED.into()).into_response()
}

/// The session the request came with (the session layer put it there).
async fn session<S: Send + Sync>(
    request: Request,
    state: &S,
) -> Result<(Session, Request), Response> {
    let (mut parts, body) = request.into_parts();
    let session = Session::from_request_parts(&mut parts, state)
        .await
        .map_err(IntoResponse::into_response)?;
    Ok((session, Request::from_parts(parts, body)))
}

/// A URL-encoded form (`application/x-www-form-urlencoded`) whose `csrf` field is the
/// session's token, read into `T` only after the token is checked. With `T = Submitted` the
/// handler gets the form as sent, every value of every field in order, to show it again with
/// nothing typed lost.
pub struct CsrfForm<T>(pub T);

impl<T, S> FromRequest<S> for CsrfForm<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = Response;

    async fn from_request(request: Request, state: &S) -> Result<CsrfForm<T>, Response> {
        let (session, request) = session(request, state).await?;
        let (parts, body) = request.into_parts();
        // The body is read once (under the route's limit) and parsed twice: the token first,
        // then the handler's type, with axum's own rejections for a form that is not one.
        let bytes = Bytes::from_request(Request::from_parts(parts.clone(), body), state)
            .await
            .map_err(IntoResponse::into_response)?;
        let again = |bytes: Bytes| Request::from_parts(parts.clone(), Body::from(bytes));
        let Form(fields) = Form::<Submitted>::from_request(again(bytes.clone()), state)
            .await
            .map_err(IntoResponse::into_response)?;
        if !check(&session, single(&fields, KEY).unwrap_or_default()).await {
            return Err(expired());
        }
        let Form(form) = Form::<T>::from_request(again(bytes), state)
            .await
            .map_err(IntoResponse::into_response)?;
        Ok(CsrfForm(form))
    }
}

/// A `multipart/form-data` form whose first field is `csrf`, the session's token: the handler
/// gets the rest of the form, still streaming under the route's body limit, so no file is
/// read, let alone stored, before the token is checked. Every form of the pages puts its
/// token first, and browsers send fields in the form's order.
pub struct CsrfMultipart(pub Multipart);

impl<S: Send + Sync> FromRequest<S> for CsrfMultipart {
    type Rejection = Response;

    async fn from_request(request: Request, state: &S) -> Result<CsrfMultipart, Response> {
        let (session, request) = session(request, state).await?;
        let mut multipart = Multipart::from_request(request, state).await.map_err(|_| {
            AppError::BadRequest(
                "El formulario no llegó como envío de archivos. Vuelva a cargar la página.".into(),
            )
            .into_response()
        })?;
        let token = match multipart.next_field().await {
            Ok(Some(mut field)) if field.name() == Some(KEY) => {
                short_text(&mut field, TOKEN_LIMIT).await.ok().flatten()
            }
            _ => None,
        };
        match token {
            Some(token) if check(&session, &token).await => Ok(CsrfMultipart(multipart)),
            _ => {
                // Read the rest (no more than the route's limit): a browser still sending its
                // upload may not show an answer that comes before the end.
                while let Ok(Some(mut field)) = multipart.next_field().await {
                    while let Ok(Some(_)) = field.chunk().await {}
                }
                Err(expired())
            }
        }
    }
}

/// 256 random bits, hex-encoded.
pub fn random_token() -> String {
    random_bytes::<32>()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Bytes from the operating system's CSPRNG (tokens, access codes).
pub fn random_bytes<const N: usize>() -> [u8; N] {
    let mut bytes = [0u8; N];
    argon2::password_hash::rand_core::RngCore::fill_bytes(
        &mut argon2::password_hash::rand_core::OsRng,
        &mut bytes,
    );
    bytes
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}
