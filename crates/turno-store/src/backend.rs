//! The store a database URL names, chosen once at start-up (`sqlite://PATH` or a plain path,
//! or `postgres://…`), and `store_trait!`, which declares each store trait with `AnyStore`'s
//! forwarding: a method's signature is written once, in its trait.

use crate::error::StoreError;
use crate::{PgStore, SqliteStore};

/// Either backend, as [`AnyStore::connect`] chose it; every store trait forwards to it.
#[derive(Debug, Clone)]
pub enum AnyStore {
    Sqlite(SqliteStore),
    Postgres(PgStore),
}

impl AnyStore {
    pub async fn connect(url: &str) -> Result<AnyStore, StoreError> {
        if is_postgres(url) {
            Ok(AnyStore::Postgres(PgStore::connect(url).await?))
        } else if is_sqlite(url) {
            Ok(AnyStore::Sqlite(SqliteStore::open(url).await?))
        } else {
            Err(StoreError::UnsupportedUrl(url.to_owned()))
        }
    }
}

pub(crate) fn is_postgres(url: &str) -> bool {
    url.starts_with("postgres://") || url.starts_with("postgresql://")
}

pub(crate) fn is_sqlite(url: &str) -> bool {
    !is_postgres(url) && (url.starts_with("sqlite:") || !url.contains("://"))
}

/// Declares a store trait whose methods are written as `async fn` and become
/// `fn … -> impl Future<Output = …> + Send` (so that handlers holding them stay `Send`), and
/// implements it for [`AnyStore`] by calling the same method on the backend it holds. The
/// backends implement the trait themselves (`shared_sql!`, `followup_sql!`…).
macro_rules! store_trait {
    (
        $(#[$trait_meta:meta])*
        pub trait $name:ident $(: $first:tt $(+ $more:tt)*)? {
            $(
                $(#[$meta:meta])*
                async fn $method:ident(&self $(, $arg:ident: $ty:ty)* $(,)?) -> $output:ty;
            )*
        }
    ) => {
        $(#[$trait_meta])*
        pub trait $name $(: $first $(+ $more)*)? {
            $(
                $(#[$meta])*
                fn $method(&self $(, $arg: $ty)*)
                    -> impl ::std::future::Future<Output = $output> + Send;
            )*
        }

        impl $name for $crate::AnyStore {
            $(
                async fn $method(&self $(, $arg: $ty)*) -> $output {
                    match self {
                        $crate::AnyStore::Sqlite(store) => store.$method($($arg),*).await,
                        $crate::AnyStore::Postgres(store) => store.$method($($arg),*).await,
                    }
                }
            )*
        }
    };
}

/// A file or folder named `name` beside a SQLite database's file (`sqlite://data/turno.db` →
/// `data/NAME`), or in the working directory for PostgreSQL or an in-memory database.
pub fn beside_database(database_url: &str, name: &str) -> std::path::PathBuf {
    let sqlite = database_url.starts_with("sqlite:") || !database_url.contains("://");
    let path = database_url
        .strip_prefix("sqlite://")
        .or_else(|| database_url.strip_prefix("sqlite:"))
        .unwrap_or(database_url);
    let path = path.split('?').next().unwrap_or(path);
    match std::path::Path::new(path).parent() {
        Some(dir) if sqlite && !path.is_empty() && !path.starts_with(':') => dir.join(name),
        _ => std::path::PathBuf::from(name),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Store;

    #[tokio::test]
    async fn the_url_names_the_backend_and_every_call_goes_to_it() {
        let path = std::env::temp_dir().join(format!(
            "turno-backend-{}-{}.db",
            std::process::id(),
            jiff::Timestamp::now().as_nanosecond()
        ));
        let store = AnyStore::connect(&path.display().to_string())
            .await
            .unwrap();
        assert!(matches!(store, AnyStore::Sqlite(_)));
        store.migrate().await.unwrap();
        let unit = crate::UnitInput {
            code: "SIDSS".into(),
            name: "Subsecretaría de Integración y Desarrollo del Sector Salud".into(),
            level: turno_domain::org::Level::Subsecretaria,
            parent_code: None,
        };
        let id = store.upsert_unit(&unit, "prueba").await.unwrap();
        let units = store.units().await.unwrap();
        assert_eq!(
            units
                .iter()
                .map(|u| (u.id, u.code.as_str()))
                .collect::<Vec<_>>(),
            [(id, "SIDSS")]
        );
        drop(store);
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
        }

        let postgres = AnyStore::connect("postgres://postgres@127.0.0.1:5432/test")
            .await
            .unwrap();
        assert!(matches!(postgres, AnyStore::Postgres(_)));

        let other = AnyStore::connect("mysql://localhost/turno")
            .await
            .unwrap_err();
        assert!(matches!(other, StoreError::UnsupportedUrl(_)), "{other}");
    }
}
