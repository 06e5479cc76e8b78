//! `GET /healthz`: the process answers and its database does.

use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use turno_store::Store;

pub async fn get(State(state): State<AppState>) -> (StatusCode, &'static str) {
    match state.store.find_case("").await {
        Ok(_) => (StatusCode::OK, "ok"),
        Err(e) => {
            tracing::error!(error = %e, "health check: database unreachable");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable")
        }
    }
}
