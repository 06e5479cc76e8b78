//! Limits on what anonymous people may send: attempts per client and window, counted in the
//! database (`turno_store::Throttle`) so that they hold across every `turno serve` process;
//! and the public verifications under way at once, bounded in each process ([`Gate`]).
//! The sign-in's limits are `turno_app::sign_in`'s, per login and per the same [`Client`].
//! The client is the connection's address; behind a reverse proxy every request would come
//! from the proxy, so `AppState::trust_forwarded_for` (off by default: a client could write
//! the header itself) takes the last address of `X-Forwarded-For`, the one the proxy added.

use crate::error::AppError;
use crate::state::AppState;
use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use std::net::SocketAddr;
use std::time::Duration;
use tokio::sync::{Semaphore, SemaphorePermit};
use turno_store::Throttle;

/// How many attempts one client may make in a window: the sign-in's kind of limit.
pub use turno_app::sign_in::Limit;

/// Petitions filed through the public mailbox (valid or not): ten an hour.
pub const SUBMISSIONS: Limit = Limit {
    name: "atencion",
    attempts: 10,
    window_seconds: 60 * 60,
};

/// Status lookups: thirty in fifteen minutes, far too few to guess a 60-bit access code.
pub const LOOKUPS: Limit = Limit {
    name: "consulta",
    attempts: 30,
    window_seconds: 15 * 60,
};

/// Public verifications of signed documents (`/verificar` and `POST /api/v1/public/verify`,
/// valid or not, page and API together): sixty in fifteen minutes, more than anyone checking
/// the copies on a desk needs, and each one reads a file and verifies its signatures again.
pub const VERIFICATIONS: Limit = Limit {
    name: "verificacion",
    attempts: 60,
    window_seconds: 15 * 60,
};

/// At most so many requests of a kind under way at once in one process; one more waits for a
/// place at most `wait`, then is refused (429, [`AppError::Busy`]). Each `turno serve` process
/// has its own: the bound is per process, not across them.
pub struct Gate {
    places: Semaphore,
    wait: Duration,
}

impl Gate {
    pub const fn new(places: usize, wait: Duration) -> Gate {
        Gate {
            places: Semaphore::const_new(places),
            wait,
        }
    }

    /// A place, kept until the value is dropped; none within the wait: busy.
    pub async fn enter(&self) -> Result<SemaphorePermit<'_>, AppError> {
        let busy = || AppError::Busy(self.wait.as_secs().max(1));
        tokio::time::timeout(self.wait, self.places.acquire())
            .await
            .map_err(|_| busy())?
            .map_err(|_| busy())
    }
}

/// The public verifications under way at once in this process: each hashes a file of up to
/// 2 MiB and verifies RSA signatures, so a few at a time keep the other pages answering.
pub static VERIFYING: Gate = Gate::new(4, Duration::from_secs(5));

/// Who is asking, as the limits count them.
pub struct Client(pub String);

impl FromRequestParts<AppState> for Client {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Client, Self::Rejection> {
        let forwarded = state
            .trust_forwarded_for
            .then(|| {
                parts
                    .headers
                    .get_all("x-forwarded-for")
                    .iter()
                    .filter_map(|v| v.to_str().ok())
                    .flat_map(|v| v.split(','))
                    .next_back()
                    .and_then(|a| a.trim().parse::<std::net::IpAddr>().ok())
            })
            .flatten();
        let connected = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip());
        Ok(Client(forwarded.or(connected).map_or_else(
            || "desconocido".to_owned(),
            |ip| ip.to_string(),
        )))
    }
}

/// Counts one attempt of `client` against `limit`; past the limit, 429 with the seconds until
/// the window ends.
pub async fn check(state: &AppState, limit: &Limit, client: &Client) -> Result<(), AppError> {
    let now = state.clock.now().as_second();
    let window_start = now - now.rem_euclid(limit.window_seconds);
    let key = format!("{}:{}", limit.name, client.0);
    let attempts = state.store.attempt(&key, window_start).await?;
    if attempts > limit.attempts {
        let retry_after = u64::try_from(window_start + limit.window_seconds - now).unwrap_or(1);
        tracing::warn!(limit = limit.name, client = %client.0, attempts, "rate limit reached");
        return Err(AppError::TooManyRequests(retry_after.max(1)));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Past its places, a request waits, then is refused as busy; a place given back is
    /// taken again.
    #[tokio::test]
    async fn a_gate_refuses_past_its_places_after_the_wait() {
        let gate = Gate::new(2, Duration::from_millis(20));
        let first = gate.enter().await.unwrap();
        let _second = gate.enter().await.unwrap();
        assert!(matches!(gate.enter().await, Err(AppError::Busy(1))));
        drop(first);
        assert!(gate.enter().await.is_ok());
    }
}
