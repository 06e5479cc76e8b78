//! What every request handler can reach: the application ([`App`]: the store, the procedure
//! library, the calendars, the blobs, the clock) and what only the web serving needs.

use turno_app::App;

#[derive(Clone)]
pub struct AppState {
    pub app: App,
    /// Cookies marked Secure: on unless serving plain HTTP on localhost (the demo).
    pub secure_cookies: bool,
    /// Served over https (the base URL people open Turno at says so): every answer carries
    /// `Strict-Transport-Security`.
    pub https: bool,
    /// Behind a reverse proxy: the client is the last address of `X-Forwarded-For` rather than
    /// the connection's (`limits.rs`). Off unless the proxy is known to set the header.
    pub trust_forwarded_for: bool,
    /// Tells people what happened (the scheduler calls it), in the application and by e-mail.
    pub notifier: turno_notify::Notifier,
}

/// Handlers reach the application's parts as `state.store`, `state.library`…
impl std::ops::Deref for AppState {
    type Target = App;

    fn deref(&self) -> &App {
        &self.app
    }
}
