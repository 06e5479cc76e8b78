//! Identity in the store: units, users, memberships, sessions, sign-in throttling, API tokens
//! and what decides which cases a unit sees. Every test runs on SQLite and on PostgreSQL.

use crate::common::{Raw, TO_4_1, advance, day, new_report, user};
use turno_domain::org::Level;
use turno_store::{
    Membership, NewUser, Refusal, Role, Store, StoreError, Unit, UnitInput, UserStatus,
};

fn unit(code: &str, name: &str, parent: Option<&str>) -> UnitInput {
    UnitInput {
        code: code.into(),
        name: name.into(),
        level: if parent.is_none() {
            Level::Subsecretaria
        } else {
            Level::Direccion
        },
        parent_code: parent.map(str::to_owned),
    }
}

fn codes(list: &[&str]) -> Vec<String> {
    list.iter().map(|c| (*c).to_owned()).collect()
}

fn new_user(login: &str) -> NewUser {
    NewUser {
        login: login.into(),
        name: format!("Persona {login}"),
        email: Some(format!("{login}@salud.gob.mx")),
        password_hash: Some("$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".into()),
    }
}

/// SIDSS above SIDSS-ST and SIDSS-CAS; SIDSS-ST-OP below SIDSS-ST.
async fn chart<S: Store>(store: &S) {
    for input in [
        unit("SIDSS", "Subsecretaría de Integración", None),
        unit("SIDSS-ST", "Secretaría Técnica", Some("SIDSS")),
        unit("SIDSS-CAS", "Coordinación de Asesores", Some("SIDSS")),
        unit("SIDSS-ST-OP", "Oficina de Partes", Some("SIDSS-ST")),
    ] {
        store.upsert_unit(&input, "prueba").await.unwrap();
    }
}

async fn units_form_a_hierarchy<S: Store>(store: S, _raw: Raw) {
    chart(&store).await;
    let log = store.audit_log(Some("SIDSS-ST"), 10).await.unwrap();
    assert_eq!(log.len(), 1, "each change to a unit is on the audit log");
    assert_eq!(
        (log[0].action.as_str(), log[0].actor.as_str()),
        ("unit_changed", "prueba")
    );
    let units = store.units().await.unwrap();
    let listed: Vec<(&str, Option<&str>)> = units
        .iter()
        .map(|u| (u.code.as_str(), u.parent_code.as_deref()))
        .collect();
    assert_eq!(
        listed,
        [
            ("SIDSS", None),
            ("SIDSS-CAS", Some("SIDSS")),
            ("SIDSS-ST", Some("SIDSS")),
            ("SIDSS-ST-OP", Some("SIDSS-ST")),
        ]
    );

    assert_eq!(
        store.units_below(&codes(&["SIDSS"])).await.unwrap(),
        codes(&["SIDSS", "SIDSS-CAS", "SIDSS-ST", "SIDSS-ST-OP"])
    );
    assert_eq!(
        store.units_below(&codes(&["SIDSS-ST"])).await.unwrap(),
        codes(&["SIDSS-ST", "SIDSS-ST-OP"])
    );
    assert_eq!(
        store
            .units_below(&codes(&["SIDSS-ST-OP", "SIDSS-CAS"]))
            .await
            .unwrap(),
        codes(&["SIDSS-CAS", "SIDSS-ST-OP"])
    );
    // Overlapping units are listed once; a code outside the chart is kept as given.
    assert_eq!(
        store
            .units_below(&codes(&["SIDSS-ST", "SIDSS-ST-OP", "DGCEF"]))
            .await
            .unwrap(),
        codes(&["DGCEF", "SIDSS-ST", "SIDSS-ST-OP"])
    );
    assert!(store.units_below(&[]).await.unwrap().is_empty());

    // Updating by code keeps the id; a unit moves with everything below it.
    let id = units.iter().find(|u| u.code == "SIDSS-ST").unwrap().id;
    let moved = store
        .upsert_unit(
            &unit("SIDSS-ST", "Secretaría Técnica (nueva)", Some("SIDSS-CAS")),
            "prueba",
        )
        .await
        .unwrap();
    assert_eq!(moved, id);
    let units = store.units().await.unwrap();
    assert_eq!(
        units.iter().find(|u| u.code == "SIDSS-ST").unwrap(),
        &Unit {
            id,
            code: "SIDSS-ST".into(),
            name: "Secretaría Técnica (nueva)".into(),
            kind: "direccion".into(),
            parent_code: Some("SIDSS-CAS".into()),
        }
    );
    assert_eq!(
        store.units_below(&codes(&["SIDSS-CAS"])).await.unwrap(),
        codes(&["SIDSS-CAS", "SIDSS-ST", "SIDSS-ST-OP"])
    );

    // A unit cannot hang from itself or from a unit below it.
    for parent in ["SIDSS", "SIDSS-ST-OP"] {
        let err = store
            .upsert_unit(&unit("SIDSS", "Subsecretaría", Some(parent)), "prueba")
            .await
            .unwrap_err();
        assert!(
            matches!(&err, StoreError::Refused(Refusal::UnitCycle { unit, parent: p }) if unit == "SIDSS" && p == parent),
            "{err}"
        );
    }
    assert_eq!(store.units().await.unwrap()[0].parent_code, None);
}

async fn a_unit_needs_an_existing_parent<S: Store>(store: S, _raw: Raw) {
    let err = store
        .upsert_unit(
            &unit("SIDSS-ST", "Secretaría Técnica", Some("SIDSS")),
            "prueba",
        )
        .await
        .unwrap_err();
    assert!(matches!(&err, StoreError::Refused(Refusal::UnitNotFound(code)) if code == "SIDSS"));
    assert!(err.to_string().contains("SIDSS"), "{err}");
    assert!(store.units().await.unwrap().is_empty());
}

async fn logins_are_unique<S: Store>(store: S, _raw: Raw) {
    let id = store.create_user(&new_user("ana"), "prueba").await.unwrap();
    let err = store
        .create_user(&new_user("ana"), "prueba")
        .await
        .unwrap_err();
    assert!(
        matches!(&err, StoreError::Refused(Refusal::LoginTaken(login)) if login == "ana"),
        "{err}"
    );

    let record = store.user_by_login("ana").await.unwrap().unwrap();
    assert_eq!(record.user.id, id);
    assert_eq!(record.user.name, "Persona ana");
    assert_eq!(record.user.email.as_deref(), Some("ana@salud.gob.mx"));
    assert!(record.user.active);
    assert_eq!(record.password_hash, new_user("ana").password_hash);
    assert_eq!(store.user(id).await.unwrap(), Some(record.user));
    assert_eq!(store.user_by_login("eva").await.unwrap(), None);
    assert_eq!(store.user(id + 100).await.unwrap(), None);

    // Without a password or an email.
    let eva = store
        .create_user(&user("eva", "Eva"), "prueba")
        .await
        .unwrap();
    let record = store.user_by_login("eva").await.unwrap().unwrap();
    assert_eq!((record.user.id, record.password_hash), (eva, None));

    assert!(
        store
            .set_user_status(eva, UserStatus::Inactive, "prueba")
            .await
            .unwrap()
    );
    assert!(!store.user(eva).await.unwrap().unwrap().active);
    assert!(
        !store
            .set_user_status(eva + 100, UserStatus::Inactive, "prueba")
            .await
            .unwrap()
    );
}

async fn memberships_carry_roles<S: Store>(store: S, _raw: Raw) {
    chart(&store).await;
    let ana = store.create_user(&new_user("ana"), "prueba").await.unwrap();
    let eva = store.create_user(&new_user("eva"), "prueba").await.unwrap();
    assert!(store.memberships(ana).await.unwrap().is_empty());

    for (user, unit, role) in [
        (ana, "SIDSS-ST", Role::Operador),
        (ana, "SIDSS-CAS", Role::Consulta),
        (ana, "SIDSS-ST", Role::Titular),
        // Again: nothing changes.
        (ana, "SIDSS-ST", Role::Operador),
        (eva, "SIDSS", Role::Administrador),
    ] {
        store
            .add_membership(user, unit, role, "prueba")
            .await
            .unwrap();
    }

    let membership = |code: &str, name: &str, role| Membership {
        unit_code: code.into(),
        unit_name: name.into(),
        role,
        substituting: None,
    };
    assert_eq!(
        store.memberships(ana).await.unwrap(),
        [
            membership("SIDSS-CAS", "Coordinación de Asesores", Role::Consulta),
            membership("SIDSS-ST", "Secretaría Técnica", Role::Titular),
            membership("SIDSS-ST", "Secretaría Técnica", Role::Operador),
        ]
    );
    assert_eq!(
        store.memberships(eva).await.unwrap(),
        [membership(
            "SIDSS",
            "Subsecretaría de Integración",
            Role::Administrador
        )]
    );

    let err = store
        .add_membership(ana, "DGCEF", Role::Operador, "prueba")
        .await
        .unwrap_err();
    assert!(
        matches!(&err, StoreError::Refused(Refusal::UnitNotFound(code)) if code == "DGCEF"),
        "{err}"
    );
    let err = store
        .add_membership(eva + 100, "SIDSS", Role::Operador, "prueba")
        .await
        .unwrap_err();
    assert!(
        matches!(err, StoreError::Refused(Refusal::UserNotFound(_))),
        "{err}"
    );

    assert!(
        store
            .remove_membership(ana, "SIDSS-ST", Role::Titular, "prueba")
            .await
            .unwrap()
    );
    assert!(
        !store
            .remove_membership(ana, "SIDSS-ST", Role::Titular, "prueba")
            .await
            .unwrap()
    );
    assert_eq!(store.memberships(ana).await.unwrap().len(), 2);
}

async fn sessions_are_saved_loaded_and_expire<S: Store>(store: S, _raw: Raw) {
    let now = 1_770_000_000;
    store
        .save_session("s1", "{\"a\":1}", now + 60)
        .await
        .unwrap();
    store
        .save_session("s2", "{\"b\":2}", now + 10)
        .await
        .unwrap();
    assert_eq!(
        store.load_session("s1", now).await.unwrap().as_deref(),
        Some("{\"a\":1}")
    );
    assert_eq!(store.load_session("nope", now).await.unwrap(), None);

    // Saving again replaces the data and the expiry.
    store
        .save_session("s1", "{\"a\":3}", now + 120)
        .await
        .unwrap();
    assert_eq!(
        store
            .load_session("s1", now + 100)
            .await
            .unwrap()
            .as_deref(),
        Some("{\"a\":3}")
    );

    // Expired at its expiry time.
    assert_eq!(store.load_session("s2", now + 10).await.unwrap(), None);
    assert!(store.load_session("s2", now + 9).await.unwrap().is_some());

    // Creating never overwrites, not even an expired session.
    assert!(!store.create_session("s2", "{}", now + 500).await.unwrap());
    assert!(store.create_session("s3", "{}", now + 500).await.unwrap());
    assert_eq!(
        store.load_session("s2", now).await.unwrap().as_deref(),
        Some("{\"b\":2}")
    );

    assert_eq!(store.delete_expired_sessions(now + 10).await.unwrap(), 1);
    assert_eq!(store.load_session("s2", now).await.unwrap(), None);
    assert_eq!(store.delete_expired_sessions(now + 10).await.unwrap(), 0);

    store.delete_session("s1").await.unwrap();
    store.delete_session("s1").await.unwrap();
    assert_eq!(store.load_session("s1", now).await.unwrap(), None);
    assert!(store.load_session("s3", now).await.unwrap().is_some());
}

async fn last_used_at(raw: &Raw, token: i64) -> Option<String> {
    let sql = format!("SELECT last_used_at FROM api_tokens WHERE id = {token}");
    match raw {
        Raw::Sqlite(pool, _) => sqlx::query_scalar(&sql).fetch_one(pool).await.unwrap(),
        Raw::Postgres(pool, _) => sqlx::query_scalar(&sql).fetch_one(pool).await.unwrap(),
    }
}

async fn api_tokens_find_their_user<S: Store>(store: S, raw: Raw) {
    let ana = store.create_user(&new_user("ana"), "prueba").await.unwrap();
    let eva = store.create_user(&new_user("eva"), "prueba").await.unwrap();
    let sha = |n: u8| format!("{:064x}", n);
    let first = store
        .create_api_token(ana, "Integración SIAFFASPE", &sha(1))
        .await
        .unwrap();
    let second = store
        .create_api_token(ana, "Tablero", &sha(2))
        .await
        .unwrap();
    let evas = store.create_api_token(eva, "Eva", &sha(3)).await.unwrap();
    assert_ne!(first, second);

    assert_eq!(last_used_at(&raw, first).await, None);
    let found = store.user_by_api_token(&sha(1)).await.unwrap().unwrap();
    assert_eq!((found.user.id, found.user.login.as_str()), (ana, "ana"));
    assert_eq!(
        found.identity_revision,
        store.identity_revision().await.unwrap(),
        "the token's user comes with the identity revision"
    );
    let noted = last_used_at(&raw, first).await;
    assert!(noted.is_some());
    assert_eq!(last_used_at(&raw, second).await, None);
    // Used again within the minute: nothing is written.
    store.user_by_api_token(&sha(1)).await.unwrap().unwrap();
    assert_eq!(last_used_at(&raw, first).await, noted);
    // A use noted longer ago than that is noted again.
    raw.exec(&format!(
        "UPDATE api_tokens SET last_used_at = '2026-01-01T00:00:00Z' WHERE id = {first}"
    ))
    .await;
    store.user_by_api_token(&sha(1)).await.unwrap().unwrap();
    assert_ne!(
        last_used_at(&raw, first).await.as_deref(),
        Some("2026-01-01T00:00:00Z")
    );
    assert_eq!(store.user_by_api_token(&sha(9)).await.unwrap(), None);

    // Revoked: gone for good; the user's other tokens still work.
    assert!(store.revoke_api_token(first).await.unwrap());
    assert_eq!(store.user_by_api_token(&sha(1)).await.unwrap(), None);
    assert_eq!(
        store
            .user_by_api_token(&sha(2))
            .await
            .unwrap()
            .unwrap()
            .user
            .id,
        ana
    );
    assert!(!store.revoke_api_token(evas + 100).await.unwrap());

    // An inactive user's tokens do not work while they are inactive.
    store
        .set_user_status(eva, UserStatus::Inactive, "prueba")
        .await
        .unwrap();
    assert_eq!(store.user_by_api_token(&sha(3)).await.unwrap(), None);
    store
        .set_user_status(eva, UserStatus::Active, "prueba")
        .await
        .unwrap();
    assert_eq!(
        store
            .user_by_api_token(&sha(3))
            .await
            .unwrap()
            .unwrap()
            .user
            .id,
        eva
    );

    let err = store
        .create_api_token(eva + 100, "x", &sha(4))
        .await
        .unwrap_err();
    assert!(
        matches!(err, StoreError::Refused(Refusal::UserNotFound(_))),
        "{err}"
    );
    let err = store.create_api_token(eva, "x", &sha(3)).await.unwrap_err();
    assert!(matches!(err, StoreError::UniqueViolation(_)), "{err}");
}

async fn cases_are_seen_by_the_units_that_take_part<S: Store>(store: S, raw: Raw) {
    chart(&store).await;
    let first = new_report(&store, "Primero").await;
    let second = new_report(&store, "Segundo").await;
    let third = new_report(&store, "Tercero").await;
    // The first goes on to 4.1, at the Coordinación de Asesores.
    advance(&store, first.case_id, &day(), &TO_4_1).await;

    let units = |folio: String| {
        let store = store.clone();
        async move { store.find_current(&folio).await.unwrap().map(|f| f.units) }
    };
    // Its units, open or done, each once: 1.1 to 3.2 at the Secretaría Técnica, 4.1 at the
    // Coordinación de Asesores.
    assert_eq!(
        units(first.folio.clone()).await,
        Some(codes(&["SIDSS-CAS", "SIDSS-ST"]))
    );
    assert_eq!(
        units(second.folio.clone()).await,
        Some(codes(&["SIDSS-ST"]))
    );
    assert_eq!(units("CAS-2026-999999".into()).await, None);

    let both = codes(&["SIDSS-ST", "SIDSS-CAS"]);
    let all = store.inbox_for_units(&both, 50, 0).await.unwrap();
    let folios: Vec<&str> = all.iter().map(|r| r.folio.as_str()).collect();
    assert_eq!(folios.len(), 3);
    assert_eq!(store.count_inbox_for_units(&both).await.unwrap(), 3);
    // One unit alone: what its own inbox shows, in the same order.
    for code in ["SIDSS-ST", "SIDSS-CAS"] {
        assert_eq!(
            store.inbox_for_units(&codes(&[code]), 50, 0).await.unwrap(),
            store.inbox(code, 50, 0).await.unwrap()
        );
    }
    assert_eq!(
        store
            .count_inbox_for_units(&codes(&["SIDSS-CAS"]))
            .await
            .unwrap(),
        1
    );
    // The chart above them sees the same work.
    let below = store.units_below(&codes(&["SIDSS"])).await.unwrap();
    assert_eq!(store.inbox_for_units(&below, 50, 0).await.unwrap(), all);
    assert!(store.inbox_for_units(&[], 50, 0).await.unwrap().is_empty());
    assert_eq!(store.count_inbox_for_units(&[]).await.unwrap(), 0);
    assert!(
        store
            .inbox_for_units(&codes(&["SIDSS-ST-OP"]), 50, 0)
            .await
            .unwrap()
            .is_empty()
    );

    // The second case's work is turned to both units (as when any responsible unit may
    // answer): it is listed once.
    raw.exec(&format!(
        "INSERT INTO work_item_units (unit_code, case_id, item, due, open) \
         SELECT 'SIDSS-CAS', case_id, item, due, open FROM work_item_units \
         WHERE case_id = {} AND open",
        second.case_id
    ))
    .await;
    assert_eq!(store.inbox("SIDSS-CAS", 50, 0).await.unwrap().len(), 2);
    assert_eq!(store.inbox_for_units(&both, 50, 0).await.unwrap(), all);
    assert_eq!(store.count_inbox_for_units(&both).await.unwrap(), 3);

    // Pages.
    let page: Vec<_> = [0, 1, 2]
        .into_iter()
        .map(|offset| store.inbox_for_units(&both, 1, offset))
        .collect();
    let mut paged = Vec::new();
    for p in page {
        paged.extend(p.await.unwrap());
    }
    assert_eq!(paged, all);
    assert!(store.inbox_for_units(&both, 2, 3).await.unwrap().is_empty());
    assert!(all.iter().any(|r| r.case_id == third.case_id));
}

/// Every change to who a person is or reaches moves the identity revision, which processes
/// check their remembered people against; a token's "last used" does not.
async fn identity_changes_move_the_revision<S: Store>(store: S, raw: Raw) {
    let last = std::cell::Cell::new(store.identity_revision().await.unwrap());
    let moved = |now: i64, what: &str| {
        assert!(now > last.get(), "{what} moves the revision");
        last.set(now);
    };
    chart(&store).await;
    moved(store.identity_revision().await.unwrap(), "the chart");
    let ana = store.create_user(&new_user("ana"), "prueba").await.unwrap();
    moved(store.identity_revision().await.unwrap(), "a new person");
    let eva = store.create_user(&new_user("eva"), "prueba").await.unwrap();
    store
        .add_membership(ana, "SIDSS-ST", Role::Titular, "prueba")
        .await
        .unwrap();
    moved(store.identity_revision().await.unwrap(), "a membership");
    store
        .remove_membership(ana, "SIDSS-ST", Role::Titular, "prueba")
        .await
        .unwrap();
    moved(
        store.identity_revision().await.unwrap(),
        "a membership taken away",
    );
    store
        .set_user_status(ana, UserStatus::Inactive, "prueba")
        .await
        .unwrap();
    moved(store.identity_revision().await.unwrap(), "a deactivation");
    store
        .upsert_unit(
            &unit("SIDSS-CAS", "Coordinación", Some("SIDSS-ST")),
            "prueba",
        )
        .await
        .unwrap();
    moved(
        store.identity_revision().await.unwrap(),
        "a unit moved in the chart",
    );
    raw.exec(&format!(
        "INSERT INTO delegations (titular_id, delegate_id, unit_id, starts_on, ends_on, \
         document_sha256, document_name, reason, created_at, created_by) \
         SELECT {ana}, {eva}, id, '2026-01-01', '2026-12-31', 'ab', 'oficio.pdf', 'vacaciones', \
         '2026-01-01T00:00:00Z', 'prueba' FROM units WHERE code = 'SIDSS-ST'"
    ))
    .await;
    moved(store.identity_revision().await.unwrap(), "a suplencia");
    let delegation = store.delegations().await.unwrap()[0].id;
    assert!(store.revoke_delegation(delegation, "prueba").await.unwrap());
    moved(
        store.identity_revision().await.unwrap(),
        "a suplencia revoked",
    );
    let sha = format!("{:064x}", 7);
    let token = store.create_api_token(eva, "Tablero", &sha).await.unwrap();
    let before = store.identity_revision().await.unwrap();
    let found = store.user_by_api_token(&sha).await.unwrap().unwrap();
    assert_eq!(found.identity_revision, before, "read with the token");
    assert!(last_used_at(&raw, token).await.is_some());
    assert_eq!(
        store.identity_revision().await.unwrap(),
        before,
        "noting a token's use is no change"
    );
    last.set(before);
    store.revoke_api_token(token).await.unwrap();
    moved(store.identity_revision().await.unwrap(), "a token revoked");
}

on_both_backends! {
    identity_changes_move_the_revision,
    units_form_a_hierarchy,
    a_unit_needs_an_existing_parent,
    logins_are_unique,
    memberships_carry_roles,
    sessions_are_saved_loaded_and_expire,
    api_tokens_find_their_user,
    cases_are_seen_by_the_units_that_take_part,
}
