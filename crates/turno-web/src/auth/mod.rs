//! Who is asking: sign-in with argon2 password hashes (axum-login over database sessions),
//! a bounded number of passwords checked at once, and the CSRF token every form carries.

pub mod csrf;
pub mod sessions;

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use axum_login::{AuthUser, AuthnBackend, UserId};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use turno_app::Principal;
use turno_store::{AnyStore, Store, StoreError};

/// A signed-in person: who acts ([`Principal`], which the access rules read) and what only the
/// web needs (the name the pages greet, the password's hash that ends other sessions).
#[derive(Clone)]
pub struct SignedIn {
    pub principal: Principal,
    pub name: String,
    /// The identity revision read by the request before the person: what is kept per
    /// revision (the organization chart, [`turno_app::App::chart_at`]) is as of it.
    pub revision: i64,
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
    /// People as loaded lately, by user id. Every request needs its person, their units and
    /// the units below; reading them from the database each time would cost more than the
    /// command. One is used only on the day and at the identity revision it was loaded at
    /// ([`Store::identity_revision`]), which every change to people, memberships, suplencias,
    /// units and tokens moves through whichever process: a change is in force on the next
    /// request in every process.
    recent: Arc<Mutex<HashMap<i64, Loaded>>>,
    /// Passwords checked at once: argon2 takes 19 MiB and a core's time for each, so a flood
    /// of sign-ins must queue for these instead of taking the memory of all of them at once.
    hashing: Arc<Semaphore>,
}

/// How long a sign-in waits for a turn to check its password before it is answered 429.
pub const HASHING_WAIT: Duration = Duration::from_secs(2);

/// A person as loaded, and when.
#[derive(Clone)]
struct Loaded {
    revision: i64,
    today: jiff::civil::Date,
    user: SignedIn,
}

/// People remembered at most; past it the memory starts over.
const REMEMBERED: usize = 10_000;

impl Backend {
    pub fn new(store: AnyStore, time_zone: jiff::tz::TimeZone) -> Backend {
        Backend {
            store,
            time_zone,
            recent: Arc::default(),
            hashing: Arc::new(Semaphore::new(
                std::thread::available_parallelism().map_or(2, std::num::NonZeroUsize::get),
            )),
        }
    }

    fn today(&self) -> jiff::civil::Date {
        jiff::Timestamp::now()
            .to_zoned(self.time_zone.clone())
            .date()
    }

    fn cached(&self, id: i64, revision: i64, today: jiff::civil::Date) -> Option<SignedIn> {
        let recent = self.recent.lock().ok()?;
        recent
            .get(&id)
            .filter(|known| known.revision == revision && known.today == today)
            .map(|known| known.user.clone())
    }

    fn remember(&self, revision: i64, today: jiff::civil::Date, user: &SignedIn) {
        if let Ok(mut recent) = self.recent.lock() {
            if recent.len() >= REMEMBERED {
                recent.clear();
            }
            let user = user.clone();
            recent.insert(
                user.id,
                Loaded {
                    revision,
                    today,
                    user,
                },
            );
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("password check failed to run: {0}")]
    Task(String),
    /// Every turn to check a password was taken for [`HASHING_WAIT`].
    #[error("too many passwords being checked")]
    Busy,
}

impl Backend {
    /// The person behind a session or an API token, with their memberships as of `today`,
    /// read after identity revision `revision` was.
    async fn signed_in(
        &self,
        user: turno_store::User,
        hash: Option<String>,
        (revision, today): (i64, jiff::civil::Date),
    ) -> Result<SignedIn, AuthError> {
        Ok(SignedIn {
            principal: Principal::load(&self.store, &user, today).await?,
            name: user.name,
            revision,
            auth_hash: hash.unwrap_or_default().into_bytes(),
        })
    }

    /// The active person `id`, as remembered while the identity revision has not moved (one
    /// read of one number), otherwise read again. `None` for an unknown or inactive person.
    pub(crate) async fn person(&self, id: i64) -> Result<Option<SignedIn>, AuthError> {
        // Read before the person: a change after it moves the revision past what is kept.
        let revision = self.store.identity_revision().await?;
        self.person_at(id, revision).await
    }

    /// The active person `id` at the identity revision `revision`, read before (or with)
    /// anything of them: as remembered at that revision, otherwise read again.
    pub(crate) async fn person_at(
        &self,
        id: i64,
        revision: i64,
    ) -> Result<Option<SignedIn>, AuthError> {
        let today = self.today();
        if let Some(user) = self.cached(id, revision, today) {
            return Ok(Some(user));
        }
        let Some(user) = self.store.user(id).await? else {
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
        let user = self.signed_in(user, hash, (revision, today)).await?;
        self.remember(revision, today, &user);
        Ok(Some(user))
    }
}

impl AuthnBackend for Backend {
    type User = SignedIn;
    type Credentials = Credentials;
    type Error = AuthError;

    async fn authenticate(&self, creds: Credentials) -> Result<Option<SignedIn>, AuthError> {
        let turn = tokio::time::timeout(HASHING_WAIT, self.hashing.clone().acquire_owned())
            .await
            .map_err(|_| AuthError::Busy)?
            .map_err(|e| AuthError::Task(e.to_string()))?;
        let revision = self.store.identity_revision().await?;
        let Some(record) = self.store.user_by_login(&creds.login).await? else {
            // The same work as a real check, so that timing does not tell which logins exist.
            let _ = verify_password(creds.password, DUMMY_HASH.to_owned(), turn).await;
            return Ok(None);
        };
        let Some(hash) = record.password_hash.clone() else {
            return Ok(None);
        };
        if !record.user.active || !verify_password(creds.password, hash.clone(), turn).await? {
            return Ok(None);
        }
        let user = self
            .signed_in(record.user, Some(hash), (revision, self.today()))
            .await?;
        Ok(Some(user))
    }

    async fn get_user(&self, id: &UserId<Self>) -> Result<Option<SignedIn>, AuthError> {
        self.person(*id).await
    }
}

/// A valid argon2 hash of a password nobody has, checked when the login does not exist.
const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$7nFdmY3ruyxSDQmsyWqO3WKQpz1Fe+h1Ki1uhV9kS9U";

/// argon2 is slow on purpose: it runs off the async threads, holding its `turn` until done
/// (even when the request that asked is gone).
async fn verify_password(
    password: String,
    hash: String,
    turn: OwnedSemaphorePermit,
) -> Result<bool, AuthError> {
    tokio::task::spawn_blocking(move || {
        let _turn = turn;
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_hash_and_verify() {
        let hash = hash_password("secreto").unwrap();
        let rt = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        let turns = Arc::new(Semaphore::new(1));
        let check = |password: &str, hash: &str| {
            let turn = turns.clone().try_acquire_owned().unwrap();
            rt.block_on(verify_password(password.into(), hash.into(), turn))
                .unwrap()
        };
        assert!(check("secreto", &hash));
        assert!(!check("otro", &hash));
        assert!(!check("x", DUMMY_HASH));
    }
}
