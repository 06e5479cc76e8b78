//! The static files, embedded in the binary: no CDN, nothing to install beside it.

use axum::extract::Path;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

struct Asset {
    name: &'static str,
    mime: &'static str,
    body: &'static [u8],
}

/// An asset of `static/`, named once: the file it is built from is its name.
macro_rules! asset {
    ($name:literal, $mime:expr) => {
        Asset {
            name: $name,
            mime: $mime,
            body: include_bytes!(concat!("../static/", $name)),
        }
    };
}

const CSS: &str = "text/css; charset=utf-8";
const JS: &str = "text/javascript; charset=utf-8";

const ASSETS: &[Asset] = &[
    asset!("turno.css", CSS),
    asset!("htmx.min.js", JS),
    asset!("tom-select.complete.min.js", JS),
    asset!("tom-select.min.css", CSS),
    asset!("forge.min.js", JS),
    asset!("efirma.js", JS),
    asset!("chooser.js", JS),
];

/// `GET /static/{name}`.
pub async fn serve(Path(name): Path<String>) -> Response {
    match ASSETS.iter().find(|a| a.name == name) {
        Some(asset) => (
            [
                (header::CONTENT_TYPE, asset.mime),
                // Names do not change with content yet: cache for an hour only.
                (header::CACHE_CONTROL, "public, max-age=3600"),
            ],
            asset.body,
        )
            .into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}
