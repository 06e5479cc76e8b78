//! Headers every response carries: a Content-Security-Policy without inline scripts, no MIME
//! sniffing, no framing, no referrer leaking case URLs to other sites; nothing kept in a
//! browser's or a proxy's cache unless its handler says so (pages and answers show cases,
//! petitions, personal data and forms), and, served over https, HSTS.

use axum::http::{HeaderName, HeaderValue, header};
use tower_http::set_header::SetResponseHeaderLayer;

const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; \
    style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; \
    form-action 'self'; frame-ancestors 'none'";

/// The layers, outermost first; applied to the whole router.
pub fn headers() -> [SetResponseHeaderLayer<HeaderValue>; 5] {
    let set = |name: HeaderName, value: &'static str| {
        SetResponseHeaderLayer::overriding(name, HeaderValue::from_static(value))
    };
    [
        set(header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY),
        set(header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        set(header::X_FRAME_OPTIONS, "DENY"),
        set(header::REFERRER_POLICY, "same-origin"),
        set(
            HeaderName::from_static("permissions-policy"),
            "camera=(), microphone=(), geolocation=()",
        ),
    ]
}

/// `Cache-Control: no-store` on every response whose handler set no `Cache-Control` of its own:
/// the default for pages and the API alike. Only the static files (`assets.rs`) say otherwise.
pub fn no_store() -> SetResponseHeaderLayer<HeaderValue> {
    SetResponseHeaderLayer::if_not_present(
        header::CACHE_CONTROL,
        HeaderValue::from_static("no-store"),
    )
}

/// Browsers told to come back over https only, for a year: for a site served over https (its
/// base URL says so, behind the proxy that terminates TLS), never over plain HTTP.
pub fn strict_transport() -> SetResponseHeaderLayer<HeaderValue> {
    SetResponseHeaderLayer::overriding(
        header::STRICT_TRANSPORT_SECURITY,
        HeaderValue::from_static("max-age=31536000; includeSubDomains"),
    )
}
