//! Attempts counted per client and window in the database (migration 0014), so that the public
//! mailbox's limits hold across every `turno serve` process on one database.

use crate::error::StoreError;
use crate::{PgStore, SqliteStore};

/// Windows older than this are forgotten: no limit counts over a longer window.
const KEPT_SECONDS: i64 = 24 * 60 * 60;

store_trait! {
    pub trait Throttle {
        /// Counts one attempt of `key` in the window that starts at `window_start` (seconds since
        /// the epoch) and returns the attempts in it, this one included. Counting and reading are
        /// one statement, so processes counting at once each see their own number.
        async fn attempt(&self, key: &str, window_start: i64) -> Result<u64, StoreError>;

        /// Takes back one attempt of `key` counted in the window that starts at `window_start`
        /// (one that turned out well, such as a sign-in with the right password).
        async fn forgive(&self, key: &str, window_start: i64) -> Result<(), StoreError>;
    }
}

macro_rules! throttle_impl {
    ($store:ty) => {
        impl Throttle for $store {
            async fn attempt(&self, key: &str, window_start: i64) -> Result<u64, StoreError> {
                let hits: i64 = sqlx::query_scalar(
                    "INSERT INTO rate_limits (key, window_start, hits) VALUES ($1, $2, 1) \
                     ON CONFLICT (key, window_start) DO UPDATE SET hits = rate_limits.hits + 1 \
                     RETURNING hits",
                )
                .bind(key)
                .bind(window_start)
                .fetch_one(&self.writer)
                .await?;
                // The first attempt of a window is a good moment to forget old ones; losing
                // this cleanup to a failure costs only some rows.
                if hits == 1 {
                    sqlx::query("DELETE FROM rate_limits WHERE window_start < $1")
                        .bind(window_start - KEPT_SECONDS)
                        .execute(&self.writer)
                        .await?;
                }
                u64::try_from(hits).map_err(StoreError::corrupt)
            }

            async fn forgive(&self, key: &str, window_start: i64) -> Result<(), StoreError> {
                sqlx::query(
                    "UPDATE rate_limits SET hits = hits - 1 \
                     WHERE key = $1 AND window_start = $2 AND hits > 0",
                )
                .bind(key)
                .bind(window_start)
                .execute(&self.writer)
                .await?;
                Ok(())
            }
        }
    };
}

throttle_impl!(SqliteStore);
throttle_impl!(PgStore);
