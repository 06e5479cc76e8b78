//! How many times a login, and a client address, may try a password: the attempt is counted
//! in the database (`turno_store::Throttle`, one `INSERT … ON CONFLICT … RETURNING`) before
//! the password is checked, so that attempts made at once, through one process or several,
//! each see their own number and the one past the limit is refused without checking anything.
//! An attempt with the right password is taken back: the counts are of failures (and of
//! attempts still being checked). Counts live in windows the store forgets after a day.

use crate::app::App;
use crate::error::Error;
use turno_store::Throttle;

/// How many attempts one key may make in a window.
#[derive(Debug, Clone, Copy)]
pub struct Limit {
    /// Names the counter: each limit counts apart.
    pub name: &'static str,
    pub attempts: u64,
    pub window_seconds: i64,
}

/// One login, whoever tries it: three failed passwords in fifteen minutes.
pub const PER_LOGIN: Limit = Limit {
    name: "acceso-usuario",
    attempts: 3,
    window_seconds: 15 * 60,
};

/// One client address, whatever logins it tries: ten failed passwords in fifteen minutes.
pub const PER_CLIENT: Limit = Limit {
    name: "acceso-cliente",
    attempts: 10,
    window_seconds: 15 * 60,
};

/// An attempt counted against every limit, to take back if the password was right.
#[derive(Debug)]
pub struct Reserved {
    counted: Vec<(String, i64)>,
}

/// What a sign-in attempt may do.
#[derive(Debug)]
pub enum Attempt {
    /// Check the password.
    Check(Reserved),
    /// Too many attempts: try again in this many seconds; the password is not checked.
    Wait(u64),
}

/// Counts an attempt to sign in as `login` from `client` (an address) against
/// [`PER_LOGIN`] and [`PER_CLIENT`].
pub async fn attempt(app: &App, login: &str, client: &str) -> Result<Attempt, Error> {
    let now = app.clock.now().as_second();
    let mut counted = Vec::with_capacity(2);
    let mut wait = 0;
    for (limit, who) in [(PER_LOGIN, login), (PER_CLIENT, client)] {
        let window_start = now - now.rem_euclid(limit.window_seconds);
        let key = format!("{}:{who}", limit.name);
        let attempts = app.store.attempt(&key, window_start).await?;
        if attempts > limit.attempts {
            let left = window_start + limit.window_seconds - now;
            wait = wait.max(u64::try_from(left).unwrap_or(1).max(1));
            tracing::warn!(limit = limit.name, who, attempts, "sign-in limit reached");
        }
        counted.push((key, window_start));
    }
    Ok(if wait > 0 {
        Attempt::Wait(wait)
    } else {
        Attempt::Check(Reserved { counted })
    })
}

/// The password was right: the attempt no longer counts.
pub async fn succeeded(app: &App, reserved: Reserved) -> Result<(), Error> {
    for (key, window_start) in reserved.counted {
        app.store.forgive(&key, window_start).await?;
    }
    Ok(())
}
