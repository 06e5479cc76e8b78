//! Turno's web application (server-rendered Spanish pages) and JSON API.
//!
//! Architecture invariant: this is the only crate that knows HTTP and HTML. It reads requests,
//! calls the application's use cases (`turno_app`), which decide who may do what, and answers
//! with pages and JSON; it decides nothing about cases itself.

// The unit tests build the application with the integration tests' builder, which names
// this crate.
#[cfg(test)]
extern crate self as turno_web;
#[cfg(test)]
#[path = "../tests/integration/test_app.rs"]
mod test_app;

pub mod api;
mod app;
mod assets;
pub mod auth;
mod chooser;
pub mod constancia;
mod documents;
mod error;
mod filters;
mod flash;
pub mod flowchart;
mod forms;
mod held;
pub mod letter;
mod limits;
pub mod manual;
mod mining;
mod orgchart;
mod page;
mod router;
mod routes;
pub mod scheduler;
mod security;
mod state;
mod svg;
pub mod tables_pdf;
mod timeline;
mod views;

pub use app::{route_table, router};
pub use router::{Access, Audience, Route};
pub use state::AppState;

/// Serves the application on `listener` until the process is asked to stop (Ctrl-C or
/// SIGTERM), finishing the requests under way.
pub async fn serve(listener: tokio::net::TcpListener, state: AppState) -> std::io::Result<()> {
    // The connection's address identifies anonymous clients for the public mailbox's limits.
    let app = router(state).into_make_service_with_connect_info::<std::net::SocketAddr>();
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown())
        .await
}

async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        if let Ok(mut signal) =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            signal.recv().await;
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}
