//! Who is asking: sign-in with argon2 password hashes (axum-login over database sessions),
//! growing delays after failed sign-ins, and the CSRF token every form carries.

pub mod csrf;
pub mod sessions;

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use axum_login::{AuthUser, AuthnBackend, UserId};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use turno_app::Principal;
use turno_store::{AnyStore, Store, StoreError};

/// A signed-in person: who acts ([`Principal`], which the access rules read) and what only the
/// web needs (the name the pages greet, the password's hash that ends other sessions).
#[derive(Clone)]
pub struct SignedIn {
    pub principal: Principal,
    pub name: String,
    /// Changes when the password changes, which ends the person's other sessions.
    auth_hash: Vec<u8>,
}

impl std::fmt::Debug for SignedIn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SignedIn")
            .field("login", &self.principal.login)
            .finish()
    }
}

/// The access rules take the person as a [`Principal`]; `user.login` and the like read through.
impl std::ops::Deref for SignedIn {
    type Target = Principal;

    fn deref(&self) -> &Principal {
        &self.principal
    }
}

impl AuthUser for SignedIn {
    type Id = i64;

    fn id(&self) -> i64 {
        self.id
    }

    fn session_auth_hash(&self) -> &[u8] {
        &self.auth_hash
    }
}

#[derive(Clone)]
pub struct Credentials {
    pub login: String,
    pub password: String,
}

#[derive(Clone)]
pub struct Backend {
    pub store: AnyStore,
    /// Suplencias are in force by the agency's dates.
    time_zone: jiff::tz::TimeZone,
    /// Signed-in people as loaded lately. Every request needs its person, their units and
    /// the units below; reading them from the database each time would cost more than the
    /// page. A change (a membership, a deactivation) reaches every process within `FRESH`.
    recent: Arc<Mutex<HashMap<i64, (Instant, SignedIn)>>>,
}

/// How long a loaded person is used before being read again.
const FRESH: Duration = Duration::from_secs(30);

impl Backend {
    pub fn new(store: AnyStore, time_zone: jiff::tz::TimeZone) -> Backend {
        Backend {
            store,
            time_zone,
            recent: Arc::default(),
        }
    }

    fn cached(&self, id: i64) -> Option<SignedIn> {
        let recent = self.recent.lock().ok()?;
        recent
            .get(&id)
            .filter(|(at, _)| at.elapsed() < FRESH)
            .map(|(_, user)| user.clone())
    }

    fn remember(&self, user: &SignedIn) {
        if let Ok(mut recent) = self.recent.lock() {
            if recent.len() > 10_000 {
                recent.clear();
            }
            recent.insert(user.id, (Instant::now(), user.clone()));
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("password check failed to run: {0}")]
    Task(String),
}

impl Backend {
    /// The person behind a session or an API token, with their memberships.
    pub(crate) async fn signed_in(
        &self,
        user: turno_store::User,
        hash: Option<String>,
    ) -> Result<SignedIn, AuthError> {
        let today = jiff::Timestamp::now()
            .to_zoned(self.time_zone.clone())
            .date();
        Ok(SignedIn {
            principal: Principal::load(&self.store, &user, today).await?,
            name: user.name,
            auth_hash: hash.unwrap_or_default().into_bytes(),
        })
    }
}

impl AuthnBackend for Backend {
    type User = SignedIn;
    type Credentials = Credentials;
    type Error = AuthError;

    async fn authenticate(&self, creds: Credentials) -> Result<Option<SignedIn>, AuthError> {
        let Some(record) = self.store.user_by_login(&creds.login).await? else {
            // The same work as a real check, so that timing does not tell which logins exist.
            let _ = verify_password(creds.password, DUMMY_HASH.to_owned()).await;
            return Ok(None);
        };
        let Some(hash) = record.password_hash.clone() else {
            return Ok(None);
        };
        if !record.user.active || !verify_password(creds.password, hash.clone()).await? {
            return Ok(None);
        }
        let user = self.signed_in(record.user, Some(hash)).await?;
        // Signing in reads the person afresh: what changed is in force from now on here.
        self.remember(&user);
        Ok(Some(user))
    }

    async fn get_user(&self, id: &UserId<Self>) -> Result<Option<SignedIn>, AuthError> {
        if let Some(user) = self.cached(*id) {
            return Ok(Some(user));
        }
        let Some(user) = self.store.user(*id).await? else {
            return Ok(None);
        };
        if !user.active {
            return Ok(None);
        }
        let hash = self
            .store
            .user_by_login(&user.login)
            .await?
            .and_then(|r| r.password_hash);
        let user = self.signed_in(user, hash).await?;
        self.remember(&user);
        Ok(Some(user))
    }
}

/// A valid argon2 hash of a password nobody has, checked when the login does not exist.
const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$7nFdmY3ruyxSDQmsyWqO3WKQpz1Fe+h1Ki1uhV9kS9U";

/// argon2 is slow on purpose: it runs off the async threads.
async fn verify_password(password: String, hash: String) -> Result<bool, AuthError> {
    tokio::task::spawn_blocking(move || {
        PasswordHash::new(&hash)
            .map(|parsed| {
                Argon2::default()
                    .verify_password(password.as_bytes(), &parsed)
                    .is_ok()
            })
            .unwrap_or(false)
    })
    .await
    .map_err(|e| AuthError::Task(e.to_string()))
}

/// The PHC string of a new password (argon2id with a random salt).
pub fn hash_password(password: &str) -> Result<String, argon2::password_hash::Error> {
    let salt = SaltString::generate(&mut argon2::password_hash::rand_core::OsRng);
    Ok(Argon2::default()
        .hash_password(password.as_bytes(), &salt)?
        .to_string())
}

/// How long a login must wait after `failures` consecutive failed attempts: nothing for the
/// first two, then doubling from one second up to five minutes.
pub fn sign_in_delay(failures: u32) -> Duration {
    match failures {
        0..=2 => Duration::ZERO,
        n => Duration::from_secs((1u64 << (n - 3).min(9)).min(300)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_grow_with_failures_and_stop_growing() {
        assert_eq!(sign_in_delay(1), Duration::ZERO);
        assert_eq!(sign_in_delay(3), Duration::from_secs(1));
        assert_eq!(sign_in_delay(4), Duration::from_secs(2));
        assert_eq!(sign_in_delay(8), Duration::from_secs(32));
        assert_eq!(sign_in_delay(30), Duration::from_secs(300));
    }

    #[test]
    fn passwords_hash_and_verify() {
        let hash = hash_password("secreto").unwrap();
        let rt = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        assert!(
            rt.block_on(verify_password("secreto".into(), hash.clone()))
                .unwrap()
        );
        assert!(!rt.block_on(verify_password("otro".into(), hash)).unwrap());
        assert!(
            !rt.block_on(verify_password("x".into(), DUMMY_HASH.into()))
                .unwrap()
        );
    }
}
