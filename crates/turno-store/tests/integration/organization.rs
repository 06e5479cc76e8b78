//! Importing the organization on both backends: units with their history round-trip, a second
//! import of the same data changes nothing, and each change is on the audit log.

use crate::common::Raw;
use jiff::civil::date;
use turno_domain::org::{self, Level};
use turno_store::{ImportCounts, Store};

const IMSS: &str = include_str!("../../../turno-domain/tests/fixtures/org/imss.toml");

fn units(text: &str) -> Vec<org::UnitSpec> {
    org::parse_toml(text)
        .unwrap()
        .units
        .into_iter()
        .map(|p| p.unit)
        .collect()
}

async fn the_organization_round_trips_with_its_history<S: Store>(store: S, _raw: Raw) {
    let imported = units(IMSS);
    let counts = store.import_units(&imported, "admin").await.unwrap();
    assert_eq!(
        counts,
        ImportCounts {
            created: 3,
            changed: 0,
            unchanged: 0
        }
    );
    let stored = store.organization().await.unwrap();
    let mut expected = imported.clone();
    expected.sort_by(|a, b| a.code.cmp(&b.code));
    assert_eq!(
        stored, expected,
        "a child listed before its parent is stored whole"
    );
    let capsoi = stored.iter().find(|u| u.code == "IMSS-CAPSOI").unwrap();
    assert_eq!(
        capsoi.as_of(date(2021, 5, 1)).unwrap().name,
        "Coordinación de Seguimiento a la Operación con Entidades"
    );
    let units = store.units().await.unwrap();
    let doye = units.iter().find(|u| u.code == "IMSS-DOYE").unwrap();
    assert_eq!(doye.parent_code.as_deref(), Some("IMSS"));
    assert_eq!(doye.kind, Level::Direccion.as_str());

    // The same data again changes nothing and writes nothing to the audit log.
    let again = store.import_units(&imported, "admin").await.unwrap();
    assert_eq!(again.unchanged, 3);
    assert_eq!(store.audit_log(None, 100).await.unwrap().len(), 3);

    // A rename is a change, on record with who made it.
    let mut renamed = imported.clone();
    renamed[2].current.name = "Dirección de Operación y Evaluación (nueva)".into();
    let counts = store.import_units(&renamed, "ana").await.unwrap();
    assert_eq!((counts.changed, counts.unchanged), (1, 2));
    let log = store.audit_log(Some("IMSS-DOYE"), 10).await.unwrap();
    assert_eq!(log.len(), 2);
    assert_eq!(
        (log[0].action.as_str(), log[0].actor.as_str()),
        ("unit_changed", "ana")
    );
    assert!(log[0].detail.contains("(nueva)"));
    assert_eq!(log[1].action, "unit_created");
}

async fn the_audit_log_cannot_be_rewritten<S: Store>(store: S, raw: Raw) {
    store.import_units(&units(IMSS), "admin").await.unwrap();
    assert!(
        raw.try_exec("UPDATE audit_log SET actor = 'otro'")
            .await
            .is_err()
    );
    assert!(raw.try_exec("DELETE FROM audit_log").await.is_err());
    // Nor its links: setting a missing one is the only update allowed (`migrate` chaining
    // the entries of before the chain).
    assert!(
        raw.try_exec("UPDATE audit_log SET hash = prev_hash")
            .await
            .is_err()
    );
    assert_eq!(store.audit_log(None, 10).await.unwrap()[0].actor, "admin");
}

on_both_backends! {
    the_organization_round_trips_with_its_history,
    the_audit_log_cannot_be_rewritten,
}
