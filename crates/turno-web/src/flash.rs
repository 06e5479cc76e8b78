//! The one-time message a page leaves for the next one ("Actividad 2.1 atendida."), carried in
//! a short-lived cookie rather than in the session: in the session it cost two durable writes
//! per form (leaving it, then showing it), the same as the form's own work.
//!
//! The cookie holds only the message's text, which the browser's own person caused; pages
//! escape it like any other text.

use axum::extract::{Request, State};
use axum::http::header::{COOKIE, SET_COOKIE};
use axum::http::{HeaderMap, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use std::sync::{Arc, Mutex};

const COOKIE_NAME: &str = "turno_aviso";
/// Longer messages are cut: a cookie is not a place for a page of text.
const MAX_BYTES: usize = 600;

/// A request's message: the one it arrived with and the one it leaves, if any.
#[derive(Clone, Default)]
pub struct Flash(Arc<Mutex<Slot>>);

#[derive(Default)]
struct Slot {
    arrived: Option<String>,
    shown: bool,
    left: Option<String>,
}

impl Flash {
    /// The message that arrived, for the page to show; shown, it will not arrive again.
    pub fn show(&self) -> Option<String> {
        let mut slot = self.0.lock().unwrap_or_else(|e| e.into_inner());
        slot.shown = slot.arrived.is_some();
        slot.arrived.clone()
    }

    /// Leaves `message` for the next page.
    pub fn leave(&self, message: &str) {
        let mut cut = message;
        if cut.len() > MAX_BYTES {
            let mut end = MAX_BYTES;
            while !cut.is_char_boundary(end) {
                end -= 1;
            }
            cut = &cut[..end];
        }
        self.0.lock().unwrap_or_else(|e| e.into_inner()).left = Some(cut.to_owned());
    }
}

/// Whether the flash cookie is marked Secure (as the session's).
#[derive(Clone, Copy)]
pub struct Secure(pub bool);

/// Reads the message a request arrives with and writes the one it leaves (or clears the one
/// it showed) on the response.
pub async fn carry(State(secure): State<Secure>, mut request: Request, next: Next) -> Response {
    let flash = Flash(Arc::new(Mutex::new(Slot {
        arrived: arrived(request.headers()),
        ..Slot::default()
    })));
    request.extensions_mut().insert(flash.clone());
    let mut response = next.run(request).await;
    let slot = flash.0.lock().unwrap_or_else(|e| e.into_inner());
    match (&slot.left, slot.shown) {
        (Some(message), _) => set_cookie(
            &mut response,
            secure,
            COOKIE_NAME,
            &URL_SAFE_NO_PAD.encode(message),
            Some(300),
        ),
        (None, true) => set_cookie(&mut response, secure, COOKIE_NAME, "", Some(0)),
        (None, false) => {}
    }
    response
}

/// Adds a cookie of this site's kind (HttpOnly, SameSite=Strict, Secure as the session's) to
/// `response`; without `max_age` it lasts while the browser is open.
pub fn set_cookie(
    response: &mut Response,
    secure: Secure,
    name: &str,
    value: &str,
    max_age: Option<u32>,
) {
    let max_age = max_age.map(|seconds| format!("; Max-Age={seconds}"));
    let secure = if secure.0 { "; Secure" } else { "" };
    let cookie = format!(
        "{name}={value}{}; Path=/; HttpOnly; SameSite=Strict{secure}",
        max_age.unwrap_or_default()
    );
    if let Ok(value) = HeaderValue::from_str(&cookie) {
        response.headers_mut().append(SET_COOKIE, value);
    }
}

/// The value of the request's first non-empty cookie called `name`.
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().strip_prefix(name)?.strip_prefix('='))
        .find(|value| !value.is_empty())
}

/// The message of the request's flash cookie, if it holds a readable one.
fn arrived(headers: &HeaderMap) -> Option<String> {
    cookie(headers, COOKIE_NAME)
        .and_then(|value| URL_SAFE_NO_PAD.decode(value).ok())
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .filter(|text| text.len() <= MAX_BYTES && !text.chars().any(char::is_control))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(cookie: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(COOKIE, HeaderValue::from_str(cookie).unwrap());
        headers
    }

    #[test]
    fn a_message_arrives_as_it_was_left() {
        let value = URL_SAFE_NO_PAD.encode("Actividad 2.1 atendida.");
        assert_eq!(
            arrived(&headers(&format!("id=abc; {COOKIE_NAME}={value}"))).as_deref(),
            Some("Actividad 2.1 atendida.")
        );
    }

    #[test]
    fn unreadable_or_control_characters_are_not_shown() {
        assert_eq!(arrived(&headers(&format!("{COOKIE_NAME}=%%%"))), None);
        let bell = URL_SAFE_NO_PAD.encode("hola\u{7}");
        assert_eq!(arrived(&headers(&format!("{COOKIE_NAME}={bell}"))), None);
        assert_eq!(arrived(&headers("otra=1")), None);
    }

    #[test]
    fn a_long_message_is_cut_at_a_character() {
        let flash = Flash::default();
        flash.leave(&"ñ".repeat(MAX_BYTES));
        let left = flash.0.lock().unwrap().left.clone().unwrap();
        assert!(left.len() <= MAX_BYTES && left.chars().all(|c| c == 'ñ'));
    }
}
