//! The SAT's `.key`: decrypted with its password, refused with a wrong one.

use rsa::traits::PublicKeyParts;
use turno_efirma::{KeyError, decrypt_key};

use turno_efirma::testing::{KEYS, modern_key, sat_key};

#[test]
fn the_sats_key_opens_with_its_password() {
    let key = decrypt_key(&sat_key("12345678a"), "12345678a").unwrap();
    assert_eq!(key.n(), KEYS.signer.n());
}

#[test]
fn a_pem_key_of_current_tools_opens_too() {
    let key = decrypt_key(&modern_key("contraseña"), "contraseña").unwrap();
    assert_eq!(key.n(), KEYS.signer.n());
}

#[test]
fn a_wrong_password_is_named() {
    for file in [sat_key("12345678a"), modern_key("12345678a")] {
        let error = decrypt_key(&file, "12345678b").unwrap_err();
        assert_eq!(error, KeyError::WrongPassword);
        assert_eq!(
            error.to_string(),
            "La contraseña de la llave privada no es correcta."
        );
    }
}

#[test]
fn a_file_that_is_no_key_is_named() {
    let certificate =
        turno_efirma::testing::Authority::root("AC DE PRUEBAS", &KEYS.ca).certificate_der();
    assert_eq!(
        decrypt_key(&certificate, "x").unwrap_err(),
        KeyError::NotAKey
    );
    assert_eq!(decrypt_key(b"hola", "x").unwrap_err(), KeyError::NotAKey);
}

/// The demo's authority: a key of its own, a `.key` file as the SAT's with a random salt that
/// opens with its password, and a certificate that verifies against the authority.
#[test]
fn an_authority_of_turnos_own_issues_keys_that_sign_and_open() {
    use turno_efirma::authority::{
        Authority, Holder, certificate_der, generate_key, sat_key_file, sign_detached,
    };
    use turno_efirma::testing::{KEYS, at, now};
    let valid = (at("2026-01-01T00:00:00Z"), at("2030-01-01T00:00:00Z"));
    let ca = Authority::create_root("AC DE DEMOSTRACION", &KEYS.other_ca, valid).unwrap();
    let key = generate_key().unwrap();
    let holder = Holder {
        name: "LAURA VEGA SOLIS",
        rfc: "VESL820905CD2",
        curp: "VESL820905MDFGLR08",
    };
    let certificate = ca
        .issue_to(&holder, "30001000000000000001", valid, &key)
        .unwrap();
    let file = sat_key_file(&key, "efirma-demo").unwrap();
    assert_ne!(
        file,
        sat_key_file(&key, "efirma-demo").unwrap(),
        "a salt each"
    );
    assert_eq!(decrypt_key(&file, "efirma-demo").unwrap().n(), key.n());
    assert_eq!(
        decrypt_key(&file, "otra").unwrap_err(),
        KeyError::WrongPassword
    );
    let list = ca
        .revocation_list(&[], now(), jiff::SignedDuration::from_hours(24))
        .unwrap();
    let trust = turno_efirma::TrustStore::new(
        vec![turno_efirma::Anchor::from_der(&ca.der().unwrap()).unwrap()],
        vec![turno_efirma::Crl::from_der(&list).unwrap()],
    );
    let signature = sign_detached(b"texto", &key, &[&certificate]).unwrap();
    let verified = turno_efirma::verify(b"texto", &signature, &trust, now(), None).unwrap();
    assert_eq!(verified.identity.rfc.as_deref(), Some(holder.rfc));
    assert_eq!(verified.certificate, certificate_der(&certificate).unwrap());
}
