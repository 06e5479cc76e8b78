//! The static files, embedded in the binary: no CDN, nothing to install beside it.

use axum::extract::Path;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

struct Asset {
    name: &'static str,
    mime: &'static str,
    body: &'static [u8],
}

const ASSETS: &[Asset] = &[
    Asset {
        name: "turno.css",
        mime: "text/css; charset=utf-8",
        body: include_bytes!("../static/turno.css"),
    },
    Asset {
        name: "htmx.min.js",
        mime: "text/javascript; charset=utf-8",
        body: include_bytes!("../static/htmx.min.js"),
    },
    Asset {
        name: "tom-select.complete.min.js",
        mime: "text/javascript; charset=utf-8",
        body: include_bytes!("../static/tom-select.complete.min.js"),
    },
    Asset {
        name: "tom-select.min.css",
        mime: "text/css; charset=utf-8",
        body: include_bytes!("../static/tom-select.min.css"),
    },
    Asset {
        name: "forge.min.js",
        mime: "text/javascript; charset=utf-8",
        body: include_bytes!("../static/forge.min.js"),
    },
    Asset {
        name: "efirma.js",
        mime: "text/javascript; charset=utf-8",
        body: include_bytes!("../static/efirma.js"),
    },
    Asset {
        name: "chooser.js",
        mime: "text/javascript; charset=utf-8",
        body: include_bytes!("../static/chooser.js"),
    },
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
