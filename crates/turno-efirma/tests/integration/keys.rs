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
