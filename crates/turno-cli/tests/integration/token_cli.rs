//! `turno token create` and `turno token revoke` as an administrator runs them, on SQLite.

use turno_store::{NewUser, SqliteStore, Store};

use crate::common::{stderr, stdout, temp_dir, turno_on, url};

/// `turno token create` for a user.
pub fn create(db: &str, user: &str, name: &str) -> std::process::Output {
    turno_on(db, &["token", "create", "--user", user, "--name", name])
}

#[test]
fn a_token_is_printed_once_works_until_revoked() {
    let dir = temp_dir("token");
    let database = dir.join("turno.db");
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let store = SqliteStore::open(&url(&database)).await.unwrap();
        store.migrate().await.unwrap();
        store
            .create_user(
                &NewUser {
                    login: "enlace".into(),
                    name: "Sistema de enlace".into(),
                    email: None,
                    password_hash: None,
                },
                "prueba",
            )
            .await
            .unwrap();
    });
    let db = url(&database);

    let out = create(&db, "enlace", "integración");
    assert!(out.status.success(), "{}", stderr(&out));
    let token = stdout(&out).trim().to_owned();
    assert!(token.starts_with("turno_") && token.len() == 70, "{token}");
    assert!(stderr(&out).contains("no se vuelve a mostrar"));
    let id = stderr(&out)
        .split("n.º ")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .unwrap()
        .to_owned();

    // Only its digest is stored; the digest finds the user.
    let digest = turno_web::api::token::digest(&token);
    let found = runtime.block_on(async {
        let store = SqliteStore::open(&url(&database)).await.unwrap();
        store
            .user_by_api_token(&digest)
            .await
            .unwrap()
            .map(|found| found.user.login)
    });
    assert_eq!(found.as_deref(), Some("enlace"));
    let bytes = std::fs::read(&database).unwrap();
    assert!(
        !bytes.windows(token.len()).any(|w| w == token.as_bytes()),
        "the token itself is not in the database"
    );

    let out = turno_on(&db, &["token", "revoke", &id]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("revocado"));
    let found = runtime.block_on(async {
        let store = SqliteStore::open(&url(&database)).await.unwrap();
        store.user_by_api_token(&digest).await.unwrap()
    });
    assert!(found.is_none(), "a revoked token finds nobody");

    let out = turno_on(&db, &["token", "revoke", "9999"]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("no existe el token"));
    let out = create(&db, "nadie", "x");
    assert!(!out.status.success());
    assert!(stderr(&out).contains("no existe el usuario «nadie»"));
    assert!(stdout(&out).is_empty());
    let missing = dir.join("no-existe.db");
    let out = create(&url(&missing), "enlace", "x");
    assert!(!out.status.success());
    assert!(!missing.exists(), "a mistyped path creates nothing");
    let _ = std::fs::remove_dir_all(&dir);
}
