//! Every form carries a token tied to the session; a request that changes anything without
//! it is refused. The session cookie is SameSite=Strict as well: two locks.
//!
//! Someone not signed in has no session: one is stored only when a person signs in, so that
//! anonymous requests write nothing. Their forms (the sign-in, the public mailbox) carry the
//! token of a cookie of their own instead ([`Visitor`], `turno_csrf`, HttpOnly and
//! SameSite=Strict), and the form's token must equal the cookie's (a double submit: another
//! site can neither read the cookie nor set it).
//!
//! Handlers never check the token themselves: every page handler that takes a form takes it
//! through [`CsrfForm`] or [`CsrfMultipart`], which refuse a form whose token is not the
//! session's (400, the same page for both) before the handler runs. The check itself is
//! private to this module, so that no handler can call it by hand, or forget to.

use crate::error::AppError;
use crate::flash::{self, Secure};
use crate::forms::{Submitted, short_text, single};
use axum::Form;
use axum::body::{Body, Bytes};
use axum::extract::{FromRequest, FromRequestParts, Multipart, Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde::de::DeserializeOwned;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use tower_sessions::Session;

const KEY: &str = "csrf";

/// The cookie of a visitor's token.
const VISITOR_COOKIE: &str = "turno_csrf";

/// What a form whose token is not the session's answers (400).
const EXPIRED: &str = "El formulario caducó. Vuelva a cargar la página e intente de nuevo.";

/// The token is 64 hexadecimal digits; a longer field is no token.
const TOKEN_LIMIT: usize = 128;

/// The token of someone not signed in: the one their `turno_csrf` cookie brought, or a new
/// one that the response sets if a page hands it out.
#[derive(Clone)]
pub(crate) struct Visitor {
    token: String,
    arrived: bool,
    handed_out: Arc<AtomicBool>,
}

/// Gives every request its [`Visitor`] token and sets the cookie of one handed out anew.
pub(crate) async fn visitor(
    State(secure): State<Secure>,
    mut request: Request,
    next: Next,
) -> Response {
    let arrived = flash::cookie(request.headers(), VISITOR_COOKIE)
        .filter(|token| token.len() == 64 && token.bytes().all(|b| b.is_ascii_hexdigit()))
        .map(str::to_owned);
    let visitor = Visitor {
        arrived: arrived.is_some(),
        token: arrived.unwrap_or_else(random_token),
        handed_out: Arc::default(),
    };
    request.extensions_mut().insert(visitor.clone());
    let mut response = next.run(request).await;
    if !visitor.arrived && visitor.handed_out.load(Ordering::Relaxed) {
        flash::set_cookie(&mut response, secure, VISITOR_COOKIE, &visitor.token, None);
    }
    response
}

/// The token a page's forms carry: the session's (created on first use) for a person signed
/// in, the [`Visitor`]'s for anyone else, whose session stays empty and unstored.
pub(crate) async fn token(session: &Session, visitor: Option<&Visitor>) -> String {
    if let Ok(Some(token)) = session.get::<String>(KEY).await {
        return token;
    }
    if let Some(visitor) = visitor
        && session.is_empty().await
    {
        visitor.handed_out.store(true, Ordering::Relaxed);
        return visitor.token.clone();
    }
    let token = random_token();
    let _ = session.insert(KEY, &token).await;
    token
}

/// True when `submitted` is the session's token or, for someone not signed in, the token
/// their cookie brought.
async fn check(session: &Session, visitor: Option<&Visitor>, submitted: &str) -> bool {
    let expected = match session.get::<String>(KEY).await {
        Ok(Some(token)) => token,
        Ok(None) if session.is_empty().await => match visitor {
            Some(visitor) if visitor.arrived => visitor.token.clone(),
            _ => return false,
        },
        _ => return false,
    };
    constant_time_eq(expected.as_bytes(), submitted.as_bytes())
}

fn expired() -> Response {
    AppError::BadRequest(EXPIRED.into()).into_response()
}

/// The session the request came with (the session layer put it there), and its visitor.
async fn session<S: Send + Sync>(
    request: Request,
    state: &S,
) -> Result<(Session, Option<Visitor>, Request), Response> {
    let (mut parts, body) = request.into_parts();
    let session = Session::from_request_parts(&mut parts, state)
        .await
        .map_err(IntoResponse::into_response)?;
    let visitor = parts.extensions.get::<Visitor>().cloned();
    Ok((session, visitor, Request::from_parts(parts, body)))
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
        let (session, visitor, request) = session(request, state).await?;
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
        let submitted = single(&fields, KEY).unwrap_or_default();
        if !check(&session, visitor.as_ref(), submitted).await {
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
        let (session, visitor, request) = session(request, state).await?;
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
            Some(token) if check(&session, visitor.as_ref(), &token).await => {
                Ok(CsrfMultipart(multipart))
            }
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
