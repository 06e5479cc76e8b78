//! What the store's benchmarks share: the PostgreSQL they run on and the settings they take
//! from the environment.

use sqlx::postgres::PgConnectOptions;

/// The database of the benchmarks (and of the tests): PostgreSQL at 127.0.0.1:5432.
pub const POSTGRES_URL: &str = "postgres://postgres@127.0.0.1:5432/test";

/// The number in the environment variable `name`, or `default` when it is unset or no number.
pub fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// The options that connect to `schema` of the database at `POSTGRES_URL`.
pub fn in_schema(schema: &str) -> PgConnectOptions {
    let options: PgConnectOptions = POSTGRES_URL.parse().unwrap();
    options.options([("search_path", schema)])
}

/// `schema` made again, empty, with `admin`; the options that connect to it.
pub async fn fresh_schema(admin: &sqlx::PgPool, schema: &str) -> PgConnectOptions {
    sqlx::raw_sql(&format!(
        "DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema}"
    ))
    .execute(admin)
    .await
    .unwrap();
    in_schema(schema)
}
