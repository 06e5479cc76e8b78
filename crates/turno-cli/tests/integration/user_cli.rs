//! `turno user add`, `grant` and `revoke`: the first administrator of a fresh database, with
//! every problem reported and nothing written on any; the last administrator stays one.

use turno_store::{Role, SqliteStore, Store};

use crate::common::{
    add_admin, assert_contains, repository_file, stderr, temp_dir, turno_on, turno_with_input, url,
};

#[test]
fn the_first_administrator_of_a_fresh_database() {
    let dir = temp_dir("user");
    let db = url(&dir.join("turno.db"));
    assert!(turno_on(&db, &["migrate"]).status.success());
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let store = runtime.block_on(async { SqliteStore::open(&db).await.unwrap() });

    // Everything wrong at once, and nothing written.
    let refused = turno_with_input(
        &db,
        &[
            "user",
            "add",
            "María",
            "--name",
            " ",
            "--admin",
            "--password-stdin",
        ],
        "corta\n",
    );
    assert!(!refused.status.success());
    let err = stderr(&refused);
    for part in [
        "usuario:",
        "--name:",
        "contraseña:",
        "--admin:",
        "no se guardó nada",
    ] {
        assert_contains(&err, part);
    }
    let unknown_unit = add_admin(&db);
    assert!(!unknown_unit.status.success());
    assert_contains(&stderr(&unknown_unit), "no existe la unidad «SSA»");
    // Without a terminal, the password is read only when asked to.
    let no_terminal = turno_with_input(
        &db,
        &["user", "add", "admin", "--name", "Administración"],
        "una contraseña larga\n",
    );
    assert!(!no_terminal.status.success());
    assert_contains(&stderr(&no_terminal), "--password-stdin");
    assert!(runtime.block_on(store.people()).unwrap().is_empty());

    let org = turno_on(&db, &["import", "org", &repository_file("org/ssa.toml")]);
    assert!(org.status.success(), "{}", stderr(&org));
    let added = add_admin(&db);
    assert!(added.status.success(), "{}", stderr(&added));
    let record = runtime
        .block_on(store.user_by_login("admin"))
        .unwrap()
        .unwrap();
    assert!(
        record
            .password_hash
            .as_deref()
            .unwrap()
            .starts_with("$argon2id$")
    );
    let roles = |store: &SqliteStore| {
        runtime
            .block_on(store.memberships(record.user.id))
            .unwrap()
            .into_iter()
            .map(|m| (m.unit_code, m.role))
            .collect::<Vec<_>>()
    };
    assert_eq!(roles(&store), [("SSA".to_owned(), Role::Administrador)]);

    // The last administrator stays one; other roles come and go.
    let revoke = turno_on(
        &db,
        &["user", "revoke", "admin", "administrador", "--unit", "SSA"],
    );
    assert!(!revoke.status.success());
    assert_contains(&stderr(&revoke), "última persona administradora");
    let grant = turno_on(
        &db,
        &["user", "grant", "admin", "consulta", "--unit", "SIDSS"],
    );
    assert!(grant.status.success(), "{}", stderr(&grant));
    let revoke = turno_on(
        &db,
        &["user", "revoke", "admin", "consulta", "--unit", "SIDSS"],
    );
    assert!(revoke.status.success(), "{}", stderr(&revoke));
    let wrong = turno_on(&db, &["user", "grant", "nadie", "jefe", "--unit", "NO"]);
    assert!(!wrong.status.success());
    for part in [
        "rol: «jefe»",
        "usuario: no existe «nadie»",
        "--unit: no existe",
    ] {
        assert_contains(&stderr(&wrong), part);
    }
    assert_eq!(roles(&store), [("SSA".to_owned(), Role::Administrador)]);
}
