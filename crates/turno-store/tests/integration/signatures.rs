//! e.firma's stored material: trust files kept once each, and a person's RFC and CURP.

use crate::common::{Raw, user};
use turno_store::signatures::{SignerIdentity, TrustItem, TrustKind};
use turno_store::{Refusal, Signatures, Store, StoreError};

fn item(kind: TrustKind, fingerprint: &str, name: &str) -> TrustItem {
    TrustItem {
        kind,
        fingerprint: fingerprint.into(),
        name: name.into(),
        der: vec![0x30, 0x03, 0x02, 0x01, 0x07],
    }
}

async fn trust_files_are_kept_once_on_the_audit_log<S: Store + Signatures>(store: S, _raw: Raw) {
    let anchor = item(TrustKind::Anchor, "aa", "AC DE PRUEBAS");
    let crl = item(TrustKind::Crl, "bb", "AC DE PRUEBAS");
    assert!(store.add_trust_material(&anchor, "admin").await.unwrap());
    assert!(store.add_trust_material(&crl, "admin").await.unwrap());
    assert!(!store.add_trust_material(&anchor, "admin").await.unwrap());
    assert_eq!(store.trust_material().await.unwrap(), vec![anchor, crl]);
    let log = store.audit_log(None, 10).await.unwrap();
    let actions: Vec<&str> = log.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(
        actions
            .iter()
            .filter(|a| **a == "trust_anchor_imported")
            .count(),
        1
    );
    assert_eq!(actions.iter().filter(|a| **a == "crl_imported").count(), 1);
}

async fn a_persons_rfc_and_curp_are_recorded<S: Store + Signatures>(store: S, _raw: Raw) {
    let id = store
        .create_user(&user("ana", "Ana"), "admin")
        .await
        .unwrap();
    assert_eq!(
        store.signer_identity(id).await.unwrap(),
        Some(SignerIdentity::default())
    );
    let identity = SignerIdentity {
        rfc: Some("LONA800101AB1".into()),
        curp: Some("LONA800101MDFPXN09".into()),
    };
    store
        .set_signer_identity(id, &identity, "admin")
        .await
        .unwrap();
    assert_eq!(
        store.signer_identity(id).await.unwrap(),
        Some(identity.clone())
    );
    assert_eq!(store.signer_identity(id + 100).await.unwrap(), None);
    let error = store
        .set_signer_identity(id + 100, &identity, "admin")
        .await
        .unwrap_err();
    assert!(
        matches!(error, StoreError::Refused(Refusal::UserNotFound(_))),
        "{error}"
    );
}

on_both_backends! {
    trust_files_are_kept_once_on_the_audit_log,
    a_persons_rfc_and_curp_are_recorded,
}
