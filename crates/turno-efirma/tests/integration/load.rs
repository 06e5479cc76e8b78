//! What an administrator imports: authorities' certificates and their lists.

use turno_efirma::{Anchor, Crl, LoadError, Material, TrustStore};

use turno_efirma::testing::{ANA, Authority, KEYS};

#[test]
fn a_ca_certificate_is_an_anchor_in_der_and_pem() {
    let ca = Authority::root("AC DE PRUEBAS", &KEYS.ca);
    let der = ca.certificate_der();
    let pem = der::Encode::to_der(&ca.certificate).map(|d| {
        format!(
            "-----BEGIN CERTIFICATE-----\n{}\n-----END CERTIFICATE-----\n",
            base64::Engine::encode(&base64::engine::general_purpose::STANDARD, d)
        )
    });
    for file in [der.clone(), pem.unwrap().into_bytes()] {
        let Material::Anchor(anchor) = Material::parse(&file).unwrap() else {
            panic!("not an anchor");
        };
        assert_eq!(anchor.subject(), "AC DE PRUEBAS");
        assert_eq!(anchor.der(), der.as_slice());
    }
}

#[test]
fn a_signers_certificate_is_no_anchor() {
    let ca = Authority::root("AC DE PRUEBAS", &KEYS.ca);
    let signer = ca.issue(
        &ANA,
        "00001000000700000001",
        ("2025-01-01T00:00:00Z", "2029-01-01T00:00:00Z"),
    );
    let error = Material::parse(&der::Encode::to_der(&signer).unwrap()).unwrap_err();
    assert_eq!(
        error.to_string(),
        "El certificado de ANA LOPEZ NUNEZ no es de una autoridad certificadora (no declara «CA» en sus restricciones básicas)."
    );
}

fn anchor(authority: &Authority) -> Anchor {
    Anchor::from_der(&authority.certificate_der()).unwrap()
}

fn list(bytes: &[u8]) -> Crl {
    let Ok(Material::Crl(crl)) = Material::parse(bytes) else {
        panic!("not a list");
    };
    *crl
}

#[test]
fn a_list_is_admitted_only_from_a_loaded_authority_that_signed_it() {
    let ca = Authority::root("AC DE PRUEBAS", &KEYS.ca);
    let crl = list(&ca.crl(&[("1", "2026-01-01T00:00:00Z")], "2026-05-20T00:00:00Z"));
    assert_eq!(crl.issuer(), "AC DE PRUEBAS");
    assert_eq!(crl.revoked(), 1);
    assert!(
        TrustStore::new(vec![anchor(&ca)], vec![])
            .admits(&crl)
            .is_ok()
    );
    assert_eq!(
        TrustStore::default().admits(&crl).unwrap_err(),
        LoadError::CrlIssuerUnknown {
            issuer: "AC DE PRUEBAS".into()
        }
    );
    // The authority's name with another key: a list the real authority did not sign.
    let impostor = Authority {
        name: ca.name.clone(),
        ..Authority::root("AC AJENA", &KEYS.other_ca)
    };
    let forged = list(&impostor.crl(&[], "2026-05-20T00:00:00Z"));
    assert_eq!(
        TrustStore::new(vec![anchor(&ca)], vec![])
            .admits(&forged)
            .unwrap_err(),
        LoadError::CrlSignature {
            issuer: "AC DE PRUEBAS".into()
        }
    );
}

#[test]
fn anything_else_is_unreadable() {
    assert_eq!(
        Material::parse(b"no soy un certificado").unwrap_err(),
        LoadError::Unreadable
    );
}
