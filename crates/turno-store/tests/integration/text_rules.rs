//! The store's own text rules (migration 0021): whatever statement writes a text people type,
//! a control character or a text longer than `turno_app::limits` allows is refused as
//! `Refusal::Text` naming its column (PostgreSQL refuses a NUL before any rule can name it),
//! nothing is written, and the error is never a database failure. Both backends.

use crate::common::{Raw, day, seed_000, start_report, user};
use turno_app::commands::CommandError;
use turno_domain::org::Level;
use turno_store::{Refusal, Store, StoreError, UnitInput};

/// The column a refusal names, or `"?"` when the database could not say.
fn refused_column(e: &StoreError) -> String {
    match e {
        StoreError::Refused(Refusal::Text { column }) => column.clone().unwrap_or("?".into()),
        other => panic!("not a text refusal: {other:?}"),
    }
}

fn nul_column(raw: &Raw, column: &str) -> String {
    // PostgreSQL cannot store a NUL in any text: it refuses before the rule names the column.
    match raw {
        Raw::Sqlite(..) => column.to_owned(),
        Raw::Postgres(..) => "?".to_owned(),
    }
}

async fn people_and_units_with_control_characters_or_too_long_are_refused<S: Store>(
    store: S,
    raw: Raw,
) {
    let long = "a".repeat(301);
    for (name, column) in [
        ("Ana\u{0}", nul_column(&raw, "users.name")),
        ("Ana\u{1b}[31m", "users.name".to_owned()),
        ("Ana\nGómez", "users.name".to_owned()),
        (long.as_str(), "users.name".to_owned()),
    ] {
        let e = store
            .create_user(&user("ana", name), "prueba")
            .await
            .unwrap_err();
        assert_eq!(refused_column(&e), column, "{name:?}");
    }
    let e = store
        .create_user(&user("an\u{7}a", "Ana"), "prueba")
        .await
        .unwrap_err();
    assert_eq!(refused_column(&e), "users.login");
    assert!(store.user_by_login("ana").await.unwrap().is_none());
    // 300 characters, accents counting one each, are taken.
    let longest = "é".repeat(300);
    store
        .create_user(&user("ana", &longest), "prueba")
        .await
        .unwrap();

    let unit = |name: &str| UnitInput {
        code: "SIDSS".into(),
        name: name.into(),
        level: Level::Subsecretaria,
        parent_code: None,
    };
    let e = store
        .upsert_unit(&unit("Sub\u{85}secretaría"), "prueba")
        .await
        .unwrap_err();
    assert_eq!(refused_column(&e), "units.name");
    assert!(store.units().await.unwrap().is_empty());
}

async fn case_titles_with_control_characters_are_refused<S: Store>(store: S, raw: Raw) {
    let (procedure, text) = seed_000();
    store
        .publish_procedure(&procedure, text, day().now)
        .await
        .unwrap();
    let long = "i".repeat(301);
    for (title, column) in [
        ("Informe\u{0}", nul_column(&raw, "cases.title")),
        ("Informe\u{8}", "cases.title".to_owned()),
        (long.as_str(), "cases.title".to_owned()),
    ] {
        let e = start_report(&store, &procedure, title).await.unwrap_err();
        let CommandError::Store(e) = e else {
            panic!("not a store error: {e:?}")
        };
        assert_eq!(refused_column(&e), column);
    }
}

on_both_backends! {
    people_and_units_with_control_characters_or_too_long_are_refused,
    case_titles_with_control_characters_are_refused,
}
