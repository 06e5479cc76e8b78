//! Every verdict a person can get: one accepted signature and each refusal.

use std::sync::LazyLock;

use base64::Engine as _;
use proptest::prelude::*;
use turno_efirma::{Anchor, Crl, Expected, TrustStore, VerifyError, verify};
use x509_cert::Certificate;

use turno_efirma::testing::{ANA, Authority, Holder, KEYS, now, sign};

const TEXT: &[u8] = b"Folio SSA-2026-000123, actividad 4.1: Autorizado.";

struct World {
    ca: Authority,
    other: Authority,
    valid: Certificate,
    expired: Certificate,
    future: Certificate,
    revoked: Certificate,
    trust: TrustStore,
}

static WORLD: LazyLock<World> = LazyLock::new(|| {
    let ca = Authority::root("AC DE PRUEBAS", &KEYS.ca);
    let other = Authority::root("AC AJENA", &KEYS.other_ca);
    let valid = ca.issue(
        &ANA,
        "00001000000700000001",
        ("2025-01-01T00:00:00Z", "2029-01-01T00:00:00Z"),
    );
    let expired = ca.issue(
        &ANA,
        "00001000000700000002",
        ("2021-01-01T00:00:00Z", "2025-01-01T00:00:00Z"),
    );
    let future = ca.issue(
        &ANA,
        "00001000000700000003",
        ("2027-01-01T00:00:00Z", "2031-01-01T00:00:00Z"),
    );
    let revoked = ca.issue(
        &ANA,
        "00001000000700000004",
        ("2025-01-01T00:00:00Z", "2029-01-01T00:00:00Z"),
    );
    let crl = ca.crl(
        &[("00001000000700000004", "2026-03-15T10:00:00Z")],
        "2026-05-20T00:00:00Z",
    );
    let trust = TrustStore::new(
        vec![Anchor::from_der(&ca.certificate_der()).unwrap()],
        vec![Crl::from_der(&crl).unwrap()],
    );
    World {
        ca,
        other,
        valid,
        expired,
        future,
        revoked,
        trust,
    }
});

fn ana() -> Expected {
    Expected {
        rfc: Some(ANA.rfc.into()),
        curp: Some(ANA.curp.into()),
    }
}

fn check(certificate: &Certificate) -> Result<turno_efirma::Verified, VerifyError> {
    verify(
        TEXT,
        &sign(TEXT, &[certificate]),
        &WORLD.trust,
        now(),
        Some(&ana()),
    )
}

#[test]
fn a_valid_signature_names_its_signer_certificate_and_digest() {
    let verified = check(&WORLD.valid).unwrap();
    assert_eq!(verified.signer, "ANA LOPEZ NUNEZ");
    assert_eq!(verified.identity.rfc.as_deref(), Some("LONA800101AB1"));
    assert_eq!(
        verified.identity.curp.as_deref(),
        Some("LONA800101MDFPXN09")
    );
    assert_eq!(verified.serial, "00001000000700000001");
    assert_eq!(verified.issuer, "AC DE PRUEBAS");
    assert_eq!(verified.at, now());
    assert!(verified.claimed_time.is_some());
    assert_eq!(verified.digest, sha256_hex(TEXT));
    assert_eq!(
        verified.certificate,
        der::Encode::to_der(&WORLD.valid).unwrap()
    );
}

fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest as _;
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[test]
fn pem_and_bare_base64_signatures_verify_as_der_does() {
    let der = sign(TEXT, &[&WORLD.valid]);
    let base64 = base64::engine::general_purpose::STANDARD.encode(&der);
    let pem = format!("-----BEGIN PKCS7-----\n{}\n-----END PKCS7-----\n", base64);
    for given in [base64.into_bytes(), pem.into_bytes()] {
        let verified = verify(TEXT, &given, &WORLD.trust, now(), Some(&ana())).unwrap();
        assert_eq!(verified.signature, der);
    }
}

#[test]
fn an_expired_certificate_is_refused_with_its_end() {
    let error = check(&WORLD.expired).unwrap_err();
    assert!(matches!(error, VerifyError::Expired { .. }), "{error:?}");
    assert_eq!(
        error.to_string(),
        "El certificado del firmante ya había vencido el 01/06/2026 12:00 UTC: venció el 01/01/2025 00:00 UTC."
    );
}

#[test]
fn a_certificate_not_yet_valid_is_refused() {
    let error = check(&WORLD.future).unwrap_err();
    assert!(
        matches!(error, VerifyError::NotYetValid { .. }),
        "{error:?}"
    );
    assert!(error.to_string().contains("aún no era vigente"));
}

#[test]
fn a_revoked_certificate_is_refused_with_the_date() {
    let error = check(&WORLD.revoked).unwrap_err();
    assert_eq!(
        error.to_string(),
        "El certificado 00001000000700000004 fue revocado el 15/03/2026 10:00 UTC."
    );
}

#[test]
fn a_certificate_revoked_after_the_moment_checked_was_good_then() {
    let before = turno_efirma::testing::at("2026-03-01T00:00:00Z");
    let crl = WORLD.ca.crl(
        &[("00001000000700000004", "2026-03-15T10:00:00Z")],
        "2026-02-20T00:00:00Z",
    );
    let trust = TrustStore::new(
        vec![Anchor::from_der(&WORLD.ca.certificate_der()).unwrap()],
        vec![Crl::from_der(&crl).unwrap()],
    );
    let signature = sign(TEXT, &[&WORLD.revoked]);
    assert!(verify(TEXT, &signature, &trust, before, Some(&ana())).is_ok());
}

#[test]
fn a_certificate_of_another_authority_is_not_trusted() {
    let stranger = WORLD.other.issue(
        &ANA,
        "00001000000900000001",
        ("2025-01-01T00:00:00Z", "2029-01-01T00:00:00Z"),
    );
    let error = check(&stranger).unwrap_err();
    assert_eq!(
        error.to_string(),
        "El certificado no fue emitido por una autoridad certificadora de confianza (emisor: AC AJENA)."
    );
}

#[test]
fn a_chain_through_an_authority_the_signature_carries_reaches_the_anchor() {
    let issuing = WORLD
        .ca
        .subordinate("AC EMISORA DE PRUEBAS", &KEYS.intermediate);
    let certificate = issuing.issue(
        &ANA,
        "00001000000800000001",
        ("2025-01-01T00:00:00Z", "2029-01-01T00:00:00Z"),
    );
    let signature = sign(TEXT, &[&certificate, &issuing.certificate]);
    let lists = vec![
        Crl::from_der(&WORLD.ca.crl(&[], "2026-05-20T00:00:00Z")).unwrap(),
        Crl::from_der(&issuing.crl(&[], "2026-05-20T00:00:00Z")).unwrap(),
    ];
    let trust = TrustStore::new(
        vec![Anchor::from_der(&WORLD.ca.certificate_der()).unwrap()],
        lists,
    );
    let verified = verify(TEXT, &signature, &trust, now(), Some(&ana())).unwrap();
    assert_eq!(verified.issuer, "AC EMISORA DE PRUEBAS");
    // Without the intermediate in the signature, nothing links the signer to the anchor.
    let alone = sign(TEXT, &[&certificate]);
    assert!(matches!(
        verify(TEXT, &alone, &trust, now(), Some(&ana())),
        Err(VerifyError::Untrusted { .. })
    ));
}

#[test]
fn tampered_bytes_are_not_the_signed_document() {
    let signature = sign(TEXT, &[&WORLD.valid]);
    let error = verify(
        b"Folio SSA-2026-000123, actividad 4.1: Rechazado.",
        &signature,
        &WORLD.trust,
        now(),
        Some(&ana()),
    )
    .unwrap_err();
    assert_eq!(error, VerifyError::ContentMismatch);
    assert!(
        error
            .to_string()
            .starts_with("El documento no es el que se firmó")
    );
}

#[test]
fn without_a_list_of_its_authority_nothing_is_verified() {
    let trust = TrustStore::new(
        vec![Anchor::from_der(&WORLD.ca.certificate_der()).unwrap()],
        vec![],
    );
    let error = verify(
        TEXT,
        &sign(TEXT, &[&WORLD.valid]),
        &trust,
        now(),
        Some(&ana()),
    )
    .unwrap_err();
    assert_eq!(
        error,
        VerifyError::NoRevocationList {
            issuer: "AC DE PRUEBAS".into()
        }
    );
}

#[test]
fn an_outdated_list_is_not_relied_on() {
    let old = WORLD.ca.crl(&[], "2026-01-01T00:00:00Z");
    let trust = TrustStore::new(
        vec![Anchor::from_der(&WORLD.ca.certificate_der()).unwrap()],
        vec![Crl::from_der(&old).unwrap()],
    );
    let error = verify(
        TEXT,
        &sign(TEXT, &[&WORLD.valid]),
        &trust,
        now(),
        Some(&ana()),
    )
    .unwrap_err();
    assert!(
        matches!(error, VerifyError::RevocationListOutdated { .. }),
        "{error:?}"
    );
}

#[test]
fn a_list_signed_by_another_authority_does_not_count() {
    // A list that names the CA but was signed by someone else is ignored.
    let forged = Authority {
        name: WORLD.ca.name.clone(),
        signing: WORLD.other.signing.clone(),
        certificate: WORLD.other.certificate.clone(),
    };
    let trust = TrustStore::new(
        vec![Anchor::from_der(&WORLD.ca.certificate_der()).unwrap()],
        vec![Crl::from_der(&forged.crl(&[], "2026-05-20T00:00:00Z")).unwrap()],
    );
    let error = verify(
        TEXT,
        &sign(TEXT, &[&WORLD.valid]),
        &trust,
        now(),
        Some(&ana()),
    )
    .unwrap_err();
    assert!(
        matches!(error, VerifyError::NoRevocationList { .. }),
        "{error:?}"
    );
}

#[test]
fn a_certificate_of_someone_else_is_not_the_persons() {
    let error = verify(
        TEXT,
        &sign(TEXT, &[&WORLD.valid]),
        &WORLD.trust,
        now(),
        Some(&Expected {
            rfc: Some("GOMR7502035K4".into()),
            curp: None,
        }),
    )
    .unwrap_err();
    assert_eq!(
        error.to_string(),
        "El RFC del certificado (LONA800101AB1) no coincide con el registrado para la persona (GOMR7502035K4)."
    );
    let curp = Expected {
        rfc: None,
        curp: Some("GOMR750203HDFMRB08".into()),
    };
    let error = verify(
        TEXT,
        &sign(TEXT, &[&WORLD.valid]),
        &WORLD.trust,
        now(),
        Some(&curp),
    )
    .unwrap_err();
    assert!(
        matches!(error, VerifyError::IdentityMismatch { what: "CURP", .. }),
        "{error:?}"
    );
    let nothing = Expected::default();
    let error = verify(
        TEXT,
        &sign(TEXT, &[&WORLD.valid]),
        &WORLD.trust,
        now(),
        Some(&nothing),
    )
    .unwrap_err();
    assert_eq!(error, VerifyError::NoExpectedIdentity);
}

#[test]
fn the_record_matches_case_and_blanks_aside() {
    let lower = Expected {
        rfc: Some(" lona800101ab1 ".into()),
        curp: None,
    };
    assert!(
        verify(
            TEXT,
            &sign(TEXT, &[&WORLD.valid]),
            &WORLD.trust,
            now(),
            Some(&lower)
        )
        .is_ok()
    );
}

#[test]
fn a_legal_persons_certificate_matches_its_representative() {
    let company = Holder {
        name: "EMPRESA DE PRUEBA SA DE CV",
        rfc: "EPR9003173C9 / LONA800101AB1",
        curp: "/ LONA800101MDFPXN09",
    };
    let certificate = WORLD.ca.issue(
        &company,
        "00001000000700000009",
        ("2025-01-01T00:00:00Z", "2029-01-01T00:00:00Z"),
    );
    let verified = check(&certificate).unwrap();
    assert_eq!(verified.identity.rfc.as_deref(), Some("EPR9003173C9"));
    assert_eq!(
        verified.identity.representative_rfc.as_deref(),
        Some("LONA800101AB1")
    );
    assert_eq!(
        verified.identity.curp.as_deref(),
        Some("LONA800101MDFPXN09")
    );
}

#[test]
fn what_is_not_a_signature_is_named() {
    for junk in [&b""[..], b"hola", b"\x30\x03\x02\x01\x01"] {
        let error = verify(TEXT, junk, &WORLD.trust, now(), None).unwrap_err();
        assert!(matches!(error, VerifyError::Malformed(_)), "{error:?}");
        assert!(
            error
                .to_string()
                .starts_with("La firma no es una firma CMS")
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Any change to the signed bytes is found.
    #[test]
    fn any_changed_byte_is_found(position in 0..TEXT.len(), flip in 1u8..=255) {
        let signature = sign(TEXT, &[&WORLD.valid]);
        let mut changed = TEXT.to_vec();
        changed[position] ^= flip;
        prop_assert_eq!(
            verify(&changed, &signature, &WORLD.trust, now(), Some(&ana())).unwrap_err(),
            VerifyError::ContentMismatch
        );
    }

    /// A signature changed anywhere never panics, and what it may still accept (a byte of
    /// the unsigned envelope, like its version) is the same signer over the same bytes.
    #[test]
    fn a_changed_signature_never_passes_for_something_else(seed in any::<prop::sample::Index>(), flip in 1u8..=255) {
        let mut signature = sign(TEXT, &[&WORLD.valid]);
        let position = seed.index(signature.len());
        signature[position] ^= flip;
        if let Ok(verified) = verify(TEXT, &signature, &WORLD.trust, now(), Some(&ana())) {
            prop_assert_eq!(verified.digest, sha256_hex(TEXT));
            prop_assert_eq!(verified.serial, "00001000000700000001");
        }
    }
}

/// A record keeps the digest of what was signed, not the bytes: the signature verifies over
/// the digest alone, and another digest is refused as other content.
#[test]
fn a_signature_verifies_over_the_digest_of_what_was_signed() {
    let signature = sign(TEXT, &[&WORLD.valid]);
    let digest = turno_efirma::digest_from_hex(&sha256_hex(TEXT)).unwrap();
    let verified =
        turno_efirma::verify_digest(&digest, &signature, &WORLD.trust, now(), Some(&ana()))
            .unwrap();
    assert_eq!(verified.signer, "ANA LOPEZ NUNEZ");
    assert_eq!(verified.serial, "00001000000700000001");
    assert_eq!(verified.digest, sha256_hex(TEXT));
    let other = turno_efirma::digest_from_hex(&sha256_hex(b"otro texto")).unwrap();
    assert_eq!(
        turno_efirma::verify_digest(&other, &signature, &WORLD.trust, now(), None),
        Err(VerifyError::ContentMismatch)
    );
    assert_eq!(turno_efirma::digest_from_hex("abc"), None);
    assert_eq!(turno_efirma::digest_from_hex(&"zz".repeat(32)), None);
}
