//! Suplencias on both backends: a titular's delegate holds the titular role in the unit only
//! from the first to the last day, not before, not after, not once revoked; what cannot be a
//! suplencia is refused; and every step is on the audit log.

use crate::common::{Raw, user};
use jiff::civil::date;
use turno_domain::org::Level;
use turno_store::{NewDelegation, Refusal, Role, Store, StoreError, UnitInput};

async fn person<S: Store>(store: &S, login: &str) -> i64 {
    store
        .create_user(&user(login, &format!("Persona {login}")), "admin")
        .await
        .unwrap()
}

fn delegation(
    titular: i64,
    delegate: i64,
    from: (i16, i8, i8),
    to: (i16, i8, i8),
) -> NewDelegation {
    NewDelegation {
        titular,
        delegate,
        unit_code: "CNPSS-DGCEF".into(),
        starts_on: date(from.0, from.1, from.2),
        ends_on: date(to.0, to.1, to.2),
        document_sha256: "a".repeat(64),
        document_name: "Oficio de suplencia DGCEF-123-2026.pdf".into(),
        reason: "Vacaciones del titular".into(),
    }
}

async fn a_delegate_is_titular_only_within_the_window<S: Store>(store: S, _raw: Raw) {
    store
        .upsert_unit(
            &UnitInput {
                code: "CNPSS-DGCEF".into(),
                name: "Dirección General de Coordinación con Entidades Federativas".into(),
                level: Level::DireccionGeneral,
                parent_code: None,
            },
            "prueba",
        )
        .await
        .unwrap();
    let titular = person(&store, "titular").await;
    let suplente = person(&store, "suplente").await;
    store
        .add_membership(titular, "CNPSS-DGCEF", Role::Titular, "admin")
        .await
        .unwrap();
    let id = store
        .create_delegation(
            &delegation(titular, suplente, (2026, 4, 6), (2026, 4, 17)),
            "titular",
        )
        .await
        .unwrap();

    let on = |y, m, d| store.delegated_memberships(suplente, date(y, m, d));
    assert!(on(2026, 4, 5).await.unwrap().is_empty(), "the day before");
    for day in [6, 10, 17] {
        let held = on(2026, 4, day).await.unwrap();
        assert_eq!(held.len(), 1, "day {day}");
        assert_eq!(held[0].unit_code, "CNPSS-DGCEF");
        assert_eq!(held[0].role, Role::Titular);
        assert_eq!(held[0].substituting.as_deref(), Some("titular"));
    }
    assert!(on(2026, 4, 18).await.unwrap().is_empty(), "the day after");
    assert!(
        store.memberships(suplente).await.unwrap().is_empty(),
        "nothing of their own"
    );

    // Refused: overlapping days, reversed days, oneself, someone who is not the titular.
    let refused = |d: NewDelegation| {
        let store = &store;
        async move { store.create_delegation(&d, "titular").await }
    };
    for bad in [
        delegation(titular, suplente, (2026, 4, 15), (2026, 4, 30)),
        delegation(titular, suplente, (2026, 5, 10), (2026, 5, 1)),
        delegation(titular, titular, (2026, 6, 1), (2026, 6, 5)),
        delegation(suplente, titular, (2026, 6, 1), (2026, 6, 5)),
    ] {
        assert!(matches!(
            refused(bad).await,
            Err(StoreError::Refused(Refusal::InvalidDelegation(_)))
        ));
    }

    // Revoked, it ends at once; revoking again changes nothing.
    assert!(store.revoke_delegation(id, "titular").await.unwrap());
    assert!(on(2026, 4, 10).await.unwrap().is_empty());
    assert!(!store.revoke_delegation(id, "titular").await.unwrap());
    let listed = store.delegations().await.unwrap();
    assert_eq!(listed[0].revoked_by.as_deref(), Some("titular"));
    assert_eq!(
        listed[0].document_name,
        "Oficio de suplencia DGCEF-123-2026.pdf"
    );

    let log = store.audit_log(Some("titular"), 10).await.unwrap();
    let actions: Vec<&str> = log.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(
        actions,
        [
            "delegation_revoked",
            "delegation_created",
            "role_granted",
            "user_created"
        ]
    );
    assert!(log[1].detail.contains("\"delegate\":\"suplente\""));
}

on_both_backends! {
    a_delegate_is_titular_only_within_the_window,
}
