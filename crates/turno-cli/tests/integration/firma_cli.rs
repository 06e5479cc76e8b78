//! `turno firma`: an administrator imports a test CA and its list, then verifies signatures
//! made elsewhere, each refusal with its reason and exit status 1.

use std::path::{Path, PathBuf};

use jiff::{SignedDuration, Timestamp};
use turno_efirma::testing::{ANA, Authority, KEYS, sign};
use turno_store::{NewUser, SqliteStore, Store};

use crate::common::{assert_contains, stderr, stdout, temp_dir, turno_on, url};

const DOCUMENT: &[u8] = b"Oficio DGRI/0001/2026: se autoriza la comision.";

/// A migrated database in a new folder `name`, with one person, `login` (named `who`), who
/// has no password.
fn database_with(name: &str, login: &str, who: &str) -> (PathBuf, String) {
    let dir = temp_dir(name);
    let db = url(&dir.join("turno.db"));
    tokio::runtime::Runtime::new().unwrap().block_on(async {
        let store = SqliteStore::open(&db).await.unwrap();
        store.migrate().await.unwrap();
        let person = NewUser {
            login: login.into(),
            name: who.into(),
            email: None,
            password_hash: None,
        };
        store.create_user(&person, "prueba").await.unwrap();
    });
    (dir, db)
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> String {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path.display().to_string()
}

#[test]
fn an_administrator_loads_the_ca_and_verifies_signatures() {
    let (dir, db) = database_with("firma", "ana", "Ana");
    let ca = Authority::root("AC DE PRUEBAS", &KEYS.ca);
    let valid = ca.issue(
        &ANA,
        "00001000000700000001",
        ("2025-01-01T00:00:00Z", "2030-01-01T00:00:00Z"),
    );
    let revoked = ca.issue(
        &ANA,
        "00001000000700000004",
        ("2025-01-01T00:00:00Z", "2030-01-01T00:00:00Z"),
    );
    let yesterday = (Timestamp::now() - SignedDuration::from_hours(24)).to_string();
    let cer = write(&dir, "ac.cer", &ca.certificate_der());
    let crl = write(
        &dir,
        "ac.crl",
        &ca.crl(
            &[("00001000000700000004", "2025-06-01T00:00:00Z")],
            &yesterday,
        ),
    );
    let document = write(&dir, "oficio.txt", DOCUMENT);
    let signature = write(&dir, "oficio.p7s", &sign(DOCUMENT, &[&valid]));
    let of_revoked = write(&dir, "revocado.p7s", &sign(DOCUMENT, &[&revoked]));
    let tampered = write(
        &dir,
        "alterado.txt",
        b"Oficio DGRI/0001/2026: se niega la comision.",
    );

    // Nothing trusted yet: not even the list of an authority not imported.
    let out = turno_on(&db, &["firma", "verificar", &document, &signature]);
    assert_eq!(out.status.code(), Some(1));
    assert_contains(
        &stderr(&out),
        "Firma no válida: El certificado no fue emitido por una autoridad certificadora de confianza (emisor: AC DE PRUEBAS).",
    );
    let out = turno_on(&db, &["firma", "ac", "importar", &crl]);
    assert_eq!(out.status.code(), Some(1));
    assert_contains(
        &stderr(&out),
        "no es de ninguna autoridad certificadora cargada",
    );

    let out = turno_on(&db, &["firma", "ac", "importar", &cer]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_contains(
        &stdout(&out),
        "importado: certificado de la autoridad certificadora AC DE PRUEBAS",
    );
    let out = turno_on(&db, &["firma", "ac", "importar", &cer]);
    assert_contains(&stdout(&out), "ya estaba importado");
    // Without a list, no verdict.
    let out = turno_on(&db, &["firma", "verificar", &document, &signature]);
    assert_contains(&stderr(&out), "No hay lista de revocación (CRL) cargada");
    let out = turno_on(&db, &["firma", "ac", "importar", &crl]);
    assert!(out.status.success(), "{}", stderr(&out));

    // With the signer's RFC as a person would type it, in lower case.
    let with_rfc = |rfc| {
        turno_on(
            &db,
            &["firma", "verificar", &document, &signature, "--rfc", rfc],
        )
    };
    let out = with_rfc("lona800101ab1");
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert_contains(&text, "Firma válida.");
    assert_contains(&text, "Firmante: ANA LOPEZ NUNEZ");
    assert_contains(
        &text,
        "Certificado: 00001000000700000001, emitido por AC DE PRUEBAS",
    );

    for (document, signature, reason) in [
        (&tampered, &signature, "El documento no es el que se firmó"),
        (
            &document,
            &of_revoked,
            "El certificado 00001000000700000004 fue revocado el 01/06/2025",
        ),
    ] {
        let out = turno_on(&db, &["firma", "verificar", document, signature]);
        assert_eq!(out.status.code(), Some(1));
        assert_contains(&stderr(&out), reason);
    }
    let out = with_rfc("GOMR7502035K4");
    assert_eq!(out.status.code(), Some(1));
    assert_contains(
        &stderr(&out),
        "El RFC del certificado (LONA800101AB1) no coincide",
    );
}

#[test]
fn a_persons_rfc_and_curp_are_checked_before_they_are_recorded() {
    let (_dir, db) = database_with("firma-persona", "eva", "Eva");
    let record = |rfc, curp| {
        turno_on(
            &db,
            &["firma", "persona", "eva", "--rfc", rfc, "--curp", curp],
        )
    };
    let out = record("EVA-1", "HEGG560427MVZRRL05");
    assert_eq!(out.status.code(), Some(1));
    let text = stderr(&out);
    assert_contains(&text, "--rfc: «EVA-1» no tiene la forma de un RFC");
    assert_contains(&text, "--curp: El dígito verificador de la CURP");
    assert_contains(&text, "no se guardó nada");
    let out = record("goya780416gm0", "HEGG560427MVZRRL04");
    assert!(out.status.success(), "{}", stderr(&out));
    assert_contains(
        &stdout(&out),
        "«eva»: RFC GOYA780416GM0, CURP HEGG560427MVZRRL04",
    );
}
