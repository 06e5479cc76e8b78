//! Outgoing documents signed with e.firma over HTTP (issue 18, `docs/efirma.md`): the titular
//! signs the signable bytes through the API and the page; tampered bytes, another authority, a
//! revoked or expired certificate and another person's RFC are refused with their reasons and
//! nothing is stored; the signed PDF carries a page per signature; the public page and its API
//! verify the PDF issued and refuse an altered copy. And node-forge, as `static/efirma.js`
//! uses it, signs what `turno_efirma::verify` accepts.

use crate::common::{Api, File, TestApp, multipart_named};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::{Value, json};
use turno_efirma::testing::{ANA, Authority, GABRIEL, KEYS, sign};
use turno_store::{Outgoing, Store};
use x509_cert::Certificate;

/// The certificate number of the titular's valid e.firma, and of one revoked yesterday.
const VALID: &str = "00001000000700000001";
const REVOKED: &str = "00001000000700000009";

/// Drafting and signing with e.firma, on the tests' API client.
impl Api {
    /// A new oficio of the Secretario Técnico without reviewers: its id and version.
    async fn draft(&self, subject: &str) -> (i64, i64) {
        let body = "Por este medio le informo lo solicitado.\n\nSin otro particular.";
        let document = self.draft_oficio(subject, body, json!({})).await;
        (
            document["id"].as_i64().unwrap(),
            document["version"].as_i64().unwrap(),
        )
    }

    async fn signable(&self, id: i64, version: i64) -> Vec<u8> {
        let (status, bytes) = self
            .get_bytes(&format!(
                "/api/v1/correspondence/outgoing/{id}/signable?version={version}"
            ))
            .await;
        assert_eq!(status, 200, "{}", String::from_utf8_lossy(&bytes));
        assert!(bytes.starts_with(b"%PDF"));
        bytes
    }

    async fn efirma(
        &self,
        id: i64,
        version: i64,
        firma: &[u8],
        certificate: &Certificate,
    ) -> (u16, Value) {
        use der::Encode;
        self.post(
            &format!("/api/v1/correspondence/outgoing/{id}/efirma"),
            json!({
                "version": version,
                "firma": STANDARD.encode(firma),
                "certificado": STANDARD.encode(certificate.to_der().unwrap()),
            }),
        )
        .await
    }
}

/// The test authority and its list imported (the list revokes `REVOKED` yesterday), and the
/// Secretario Técnico (titular of SIDSS-ST) registered with Ana's RFC and CURP: their valid
/// certificate.
async fn trusted(app: &TestApp) -> (Authority, Certificate) {
    let ca = Authority::root("AC DE PRUEBAS", &KEYS.ca);
    let now = app.state.clock.now();
    let yesterday = (now - jiff::SignedDuration::from_hours(24)).to_string();
    let two_days_ago = (now - jiff::SignedDuration::from_hours(48)).to_string();
    for file in [
        ca.certificate_der(),
        ca.crl(&[(REVOKED, yesterday.as_str())], &two_days_ago),
    ] {
        turno_app::efirma::import(&app.store, &file, "admin")
            .await
            .unwrap();
    }
    let secretario = app
        .store
        .user_by_login("secretario")
        .await
        .unwrap()
        .unwrap();
    turno_app::efirma::set_identity(&app.store, secretario.user.id, (ANA.rfc, ""), "admin")
        .await
        .unwrap();
    let certificate = ca.issue(
        &ANA,
        VALID,
        ("2025-01-01T00:00:00Z", "2035-01-01T00:00:00Z"),
    );
    (ca, certificate)
}

async fn an_oficio_signed_with_efirma_is_verified_publicly(app: TestApp) {
    let (_, certificate) = trusted(&app).await;
    let titular = Api::of(&app, "secretario").await;
    let (id, version) = titular.draft("Envío del informe trimestral").await;
    let content = titular.signable(id, version).await;
    assert_eq!(
        content,
        titular.signable(id, version).await,
        "the same version gives the same bytes"
    );
    let (status, document) = titular
        .efirma(id, version, &sign(&content, &[&certificate]), &certificate)
        .await;
    assert_eq!(status, 200, "{document}");
    assert_eq!(document["stage"], "firmado");
    let number = document["number"]["text"].as_str().unwrap().to_owned();
    let entry = document["history"]
        .as_array()
        .unwrap()
        .last()
        .unwrap()
        .clone();
    let note = entry["reason"].as_str().unwrap();
    assert!(
        note.contains("Firmado con e.firma por ANA LOPEZ NUNEZ"),
        "{note}"
    );
    assert!(note.contains(VALID), "{note}");
    let digest = turno_store::chain::sha256_hex(&content);
    assert!(note.contains(&digest), "{note}");

    // The signed PDF: the letter, then the signature's page.
    let (status, signed) = titular
        .get_bytes(&format!("/api/v1/correspondence/outgoing/{id}/signed-pdf"))
        .await;
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&signed));
    assert!(signed.starts_with(b"%PDF"));
    assert!(signed.len() > content.len());
    // Its pages: the letter's, then the signature's, with the block and the QR code.
    let user = app
        .store
        .user_by_login("secretario")
        .await
        .unwrap()
        .unwrap();
    let principal = turno_app::Principal::load(&app.store, &user.user, app.state.today())
        .await
        .unwrap();
    let view = turno_app::correspondence::outgoing::show(&app.state, &principal, id)
        .await
        .unwrap();
    let base = &app.state.notifier.settings().base_url;
    let svgs = turno_web::letter::signed_pages(&view, base, &app.state.time_zone).unwrap();
    let letter = turno_web::letter::signed_pages(
        &turno_app::correspondence::outgoing::OutgoingView {
            document: turno_store::correspondence::outgoing::OutgoingDocument {
                signatures: Vec::new(),
                ..view.document.clone()
            },
            ..view.clone()
        },
        base,
        &app.state.time_zone,
    )
    .unwrap();
    assert_eq!(svgs.len(), letter.len() + 1);
    let page = svgs.last().unwrap();
    let cms = &app.store.outgoing(id).await.unwrap().unwrap().signatures[0].cms;
    for needed in [
        "Hoja de firma electrónica 1 de 1",
        "Firmante: ANA LOPEZ NUNEZ",
        "Certificado: 00001000000700000001",
        "RFC · CURP: LONA800101AB1 · LONA800101MDFPXN09",
        "Cargo: Titular de",
        digest.as_str(),
        &STANDARD.encode(cms)[..40],
    ] {
        assert!(
            page.contains(needed),
            "«{needed}» on the signature page: {page}"
        );
    }
    let url = turno_web::letter::verification_url(base, &number, &digest);
    let qr =
        qrcode::QrCode::with_error_correction_level(url.as_bytes(), qrcode::EcLevel::M).unwrap();
    let dark = qr
        .to_colors()
        .iter()
        .filter(|c| **c == qrcode::Color::Dark)
        .count();
    let modules = page
        .split("<path d=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap();
    assert_eq!(modules.matches('z').count(), dark, "the QR code of {url}");

    // The public API: the PDF issued, the signed bytes, the number and digest.
    let public = reqwest::Client::new();
    let verify = |body: Value| {
        let public = public.clone();
        let url = format!("{}/api/v1/public/verify", app.address);
        async move {
            let response = public.post(url).json(&body).send().await.unwrap();
            let status = response.status().as_u16();
            (status, response.json::<Value>().await.unwrap())
        }
    };
    for (body, found_by) in [
        (
            json!({"document": STANDARD.encode(&signed)}),
            "el PDF firmado que emitió Turno",
        ),
        (
            json!({"document": STANDARD.encode(&content)}),
            "los bytes exactos que se firmaron",
        ),
        (
            json!({"number": number, "digest": digest}),
            "el número del documento y el resumen de lo firmado",
        ),
    ] {
        let (status, verdict) = verify(body).await;
        assert_eq!(status, 200, "{verdict}");
        assert_eq!(verdict["authentic"], true, "{verdict}");
        assert_eq!(verdict["found_by"], found_by);
        assert_eq!(verdict["number"], json!(number));
        assert_eq!(verdict["signatures"][0]["signer"], "ANA LOPEZ NUNEZ");
        assert_eq!(verdict["signatures"][0]["serial"], VALID);
        assert_eq!(verdict["signatures"][0]["digest"], json!(digest));
    }
    let mut altered = signed.clone();
    let middle = altered.len() / 2;
    altered[middle] ^= 0x01;
    let (status, refused) = verify(json!({"document": STANDARD.encode(&altered)})).await;
    assert_eq!(status, 404, "{refused}");
    assert!(refused.to_string().contains("o fue alterado"), "{refused}");
    let (status, refused) = verify(json!({"number": number, "digest": "ab"})).await;
    assert_eq!(status, 422, "{refused}");

    // The public page, as the QR code opens it, and with the altered copy uploaded.
    let page = public
        .get(format!(
            "{}/verificar?numero={}&resumen={digest}",
            app.address,
            number.replace('/', "%2F")
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status().as_u16(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("Documento auténtico"), "{html}");
    assert!(
        html.contains("ANA LOPEZ NUNEZ") && html.contains(VALID),
        "{html}"
    );

    let browser = crate::test_app::Browser::new(&app.address);
    let csrf = browser.csrf("/verificar").await;
    let upload = |content: Vec<u8>| {
        let csrf = csrf.clone();
        let browser = &browser;
        async move {
            let file = File {
                name: "oficio.pdf",
                mime: "application/pdf",
                content: &content,
            };
            let body = multipart_named(&[("csrf", &csrf)], "archivo", Some(&file));
            browser.post_multipart("/verificar", body).await
        }
    };
    let found = upload(signed.clone()).await;
    assert_eq!(found.status().as_u16(), 200);
    assert!(found.text().await.unwrap().contains("Documento auténtico"));
    let not_found = upload(altered).await;
    assert_eq!(not_found.status().as_u16(), 404);
    let html = not_found.text().await.unwrap();
    assert!(html.contains("o fue alterado"), "{html}");
}

/// Each refusal says why next to the signature and stores nothing: the document stays
/// unsigned, without number nor signatures, and can still be signed.
async fn invalid_efirmas_are_refused_with_their_reason(app: TestApp) {
    let (ca, certificate) = trusted(&app).await;
    let titular = Api::of(&app, "secretario").await;
    let (id, version) = titular.draft("Solicitud de información").await;
    let content = titular.signable(id, version).await;
    let other = Authority::root("OTRA AC", &KEYS.other_ca);
    let foreign = other.issue(
        &ANA,
        VALID,
        ("2025-01-01T00:00:00Z", "2035-01-01T00:00:00Z"),
    );
    let revoked = ca.issue(
        &ANA,
        REVOKED,
        ("2025-01-01T00:00:00Z", "2035-01-01T00:00:00Z"),
    );
    let expired = ca.issue(
        &ANA,
        "00001000000700000005",
        ("2020-01-01T00:00:00Z", "2021-01-01T00:00:00Z"),
    );
    let mut tampered = content.clone();
    tampered.extend_from_slice(b"\n% otra cosa");
    // (the signature, the certificate sent, the field refused, the reason)
    let cases: [(Vec<u8>, &Certificate, &str, &str); 5] = [
        (
            sign(&tampered, &[&certificate]),
            &certificate,
            "firma",
            "El documento no es el que se firmó",
        ),
        (
            sign(&content, &[&foreign]),
            &foreign,
            "firma",
            "no fue emitido por una autoridad certificadora de confianza",
        ),
        (
            sign(&content, &[&revoked]),
            &revoked,
            "firma",
            "fue revocado",
        ),
        (
            sign(&content, &[&expired]),
            &expired,
            "firma",
            "ya había vencido",
        ),
        (
            sign(&content, &[&certificate]),
            &revoked,
            "certificado",
            "no es el que hizo la firma",
        ),
    ];
    for (firma, sent, field, reason) in &cases {
        let (status, refused) = titular.efirma(id, version, firma, sent).await;
        assert_eq!(status, 422, "{refused}");
        let problem = refused["fields"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["field"] == *field)
            .unwrap_or_else(|| panic!("no problem of «{field}»: {refused}"));
        assert!(
            problem["reason"].as_str().unwrap().contains(reason),
            "{refused}"
        );
    }
    // Another person's RFC on the titular's record.
    let secretario = app
        .store
        .user_by_login("secretario")
        .await
        .unwrap()
        .unwrap();
    turno_app::efirma::set_identity(
        &app.store,
        secretario.user.id,
        ("GOMR7502035K4", ""),
        "admin",
    )
    .await
    .unwrap();
    let (status, refused) = titular
        .efirma(id, version, &sign(&content, &[&certificate]), &certificate)
        .await;
    assert_eq!(status, 422, "{refused}");
    assert!(
        refused
            .to_string()
            .contains("no coincide con el registrado"),
        "{refused}"
    );
    let (_, document) = titular
        .get(&format!("/api/v1/correspondence/outgoing/{id}"))
        .await;
    assert_eq!(document["stage"], "borrador", "nothing stored: {document}");
    assert_eq!(document["number"], Value::Null);
    assert_eq!(document["version"], json!(version));
    let stored = app.store.outgoing(id).await.unwrap().unwrap();
    assert!(stored.signatures.is_empty());
    let (status, _) = titular
        .get_bytes(&format!("/api/v1/correspondence/outgoing/{id}/signed-pdf"))
        .await;
    assert_eq!(status, 404);
}

/// The signature's form on the document's page: the titular sees it with the scripts, and a
/// refused signature comes back next to its field, nothing signed.
async fn the_page_takes_an_efirma_and_shows_its_refusal(app: TestApp) {
    let (_, certificate) = trusted(&app).await;
    let titular = Api::of(&app, "secretario").await;
    let (id, version) = titular.draft("Aviso de reunión").await;
    let browser = app.signed_in("secretario").await;
    let html = browser.text(&format!("/correspondencia/salida/{id}")).await;
    assert!(html.contains(&format!(
        "data-efirma=\"/correspondencia/salida/{id}/firma/contenido\""
    )));
    assert!(html.contains("/static/forge.min.js") && html.contains("/static/efirma.js"));
    let content = browser
        .get(&format!(
            "/correspondencia/salida/{id}/firma/contenido?version={version}&csrf=x"
        ))
        .await
        .bytes()
        .await
        .unwrap()
        .to_vec();
    assert_eq!(content, titular.signable(id, version).await);
    let csrf = browser.csrf(&format!("/correspondencia/salida/{id}")).await;
    use der::Encode;
    let certificado = STANDARD.encode(certificate.to_der().unwrap());
    let firma = STANDARD.encode(sign(b"otro documento", &[&certificate]));
    let version_text = version.to_string();
    let refused = browser
        .post(
            &format!("/correspondencia/salida/{id}/efirma"),
            &[
                ("csrf", &csrf),
                ("version", &version_text),
                ("firma", &firma),
                ("certificado", &certificado),
            ],
        )
        .await;
    assert_eq!(refused.status().as_u16(), 422);
    let html = refused.text().await.unwrap();
    assert!(
        html.contains("id=\"efirma-firma-error\"") && html.contains("no es el que se firmó"),
        "{html}"
    );
    let firma = STANDARD.encode(sign(&content, &[&certificate]));
    let signed = browser
        .post(
            &format!("/correspondencia/salida/{id}/efirma"),
            &[
                ("csrf", &csrf),
                ("version", &version_text),
                ("firma", &firma),
                ("certificado", &certificado),
            ],
        )
        .await;
    assert_eq!(signed.status().as_u16(), 303);
    let html = browser.text(&format!("/correspondencia/salida/{id}")).await;
    assert!(html.contains("Firmas electrónicas (e.firma)"), "{html}");
    assert!(html.contains("PDF firmado con e.firma"));
}

/// node-forge, as `static/efirma.js` calls it, decrypts the SAT's 3DES key and signs bytes
/// with a detached CMS that `turno_efirma::verify` accepts; a wrong password is named.
async fn node_forge_signs_what_the_server_verifies(app: TestApp) {
    let (ca, certificate) = trusted(&app).await;
    let folder = std::env::temp_dir().join(format!(
        "turno-efirma-node-{}-{}",
        std::process::id(),
        crate::common::unique()
    ));
    std::fs::create_dir_all(&folder).unwrap();
    let content = "Oficio SIDSS/ST/0001/2026: contenido firmado.".as_bytes();
    use der::Encode;
    std::fs::write(folder.join("doc.bin"), content).unwrap();
    std::fs::write(folder.join("ana.cer"), certificate.to_der().unwrap()).unwrap();
    std::fs::write(
        folder.join("ana.key"),
        turno_efirma::testing::sat_key("clave-de-prueba"),
    )
    .unwrap();
    let static_dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("static");
    let script = r#"
const fs = require('fs'), vm = require('vm'), path = require('path');
const [dir, statics, password] = process.argv.slice(1);
const page = { crypto: require('crypto').webcrypto, navigator: { userAgent: 'node' },
  setTimeout, clearTimeout, setInterval };
page.window = page;
vm.createContext(page);
for (const name of ['forge.min.js', 'efirma.js']) {
  vm.runInContext(fs.readFileSync(path.join(statics, name), 'utf8'), page);
}
const read = name => fs.readFileSync(path.join(dir, name)).toString('binary');
try {
  const signed = page.efirma.sign(page.forge, read('doc.bin'), read('ana.cer'), read('ana.key'), password);
  process.stdout.write(JSON.stringify(signed));
} catch (e) {
  process.stdout.write(JSON.stringify({ error: e.message }));
}
"#;
    let run = |password: &str| {
        let output = std::process::Command::new("node")
            .arg("-e")
            .arg(script)
            .arg(&folder)
            .arg(&static_dir)
            .arg(password)
            .output()
            .expect("node is installed (scripts/test.sh installs Debian's nodejs)");
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        serde_json::from_slice::<Value>(&output.stdout).unwrap()
    };
    let signed = run("clave-de-prueba");
    let firma = STANDARD.decode(signed["firma"].as_str().unwrap()).unwrap();
    assert_eq!(
        STANDARD
            .decode(signed["certificado"].as_str().unwrap())
            .unwrap(),
        certificate.to_der().unwrap()
    );
    let trust = turno_app::efirma::trust(&app.store).await.unwrap();
    let verified = turno_efirma::verify(
        content,
        &firma,
        &trust,
        app.state.clock.now(),
        Some(&turno_efirma::Expected {
            rfc: Some(ANA.rfc.to_owned()),
            curp: None,
        }),
    )
    .unwrap();
    assert_eq!(verified.serial, VALID);
    assert!(
        verified.claimed_time.is_some(),
        "the signing time is signed"
    );
    assert_eq!(
        turno_efirma::verify(b"otro", &firma, &trust, app.state.clock.now(), None),
        Err(turno_efirma::VerifyError::ContentMismatch)
    );
    assert_eq!(
        run("otra")["error"],
        "La contraseña de la llave privada no es correcta."
    );
    drop(ca);
    let _ = std::fs::remove_dir_all(&folder);
}

/// The asesor registered with Gabriel's RFC: their valid certificate.
async fn second_signer(app: &TestApp, ca: &Authority) -> Certificate {
    let asesor = app.store.user_by_login("asesor").await.unwrap().unwrap();
    turno_app::efirma::set_identity(&app.store, asesor.user.id, (GABRIEL.rfc, ""), "admin")
        .await
        .unwrap();
    ca.issue(
        &GABRIEL,
        "00001000000700000002",
        ("2025-01-01T00:00:00Z", "2035-01-01T00:00:00Z"),
    )
}

/// Several signers in order: the drafter names them; each signs the same bytes in turn (one
/// out of turn is refused and hears whose signature is missing); Mi bandeja tells the one whose
/// turn it is; the last signature numbers the document; the public verification shows every
/// signer in order.
async fn several_signers_sign_in_order(app: TestApp) {
    let (ca, secretario_cer) = trusted(&app).await;
    let asesor_cer = second_signer(&app, &ca).await;
    let titular = Api::of(&app, "secretario").await;
    let document = titular
        .draft_oficio(
            "Informe conjunto",
            "Por este medio le informamos lo solicitado.",
            json!({"signers": ["asesor", "secretario"]}),
        )
        .await;
    assert_eq!(document["signers"], json!(["asesor", "secretario"]));
    let id = document["id"].as_i64().unwrap();
    let version = document["version"].as_i64().unwrap();

    // The titular is second: not yet.
    let (status, refused) = titular
        .get(&format!(
            "/api/v1/correspondence/outgoing/{id}/signable?version={version}"
        ))
        .await;
    assert_eq!(status, 422, "{refused}");
    assert!(
        refused["error"]
            .as_str()
            .unwrap()
            .contains("Aún no le toca firmar: falta la firma 1 de 2, de «asesor»"),
        "{refused}"
    );
    let bandeja = app.signed_in("asesor").await;
    let inbox = bandeja.text("/bandeja").await;
    assert!(inbox.contains("Espera su firma") && inbox.contains("Informe conjunto"));
    assert!(
        !app.signed_in("secretario")
            .await
            .text("/bandeja")
            .await
            .contains("Espera su firma")
    );

    let first = Api::of(&app, "asesor").await;
    let content = first.signable(id, version).await;
    let (status, document) = first
        .efirma(id, version, &sign(&content, &[&asesor_cer]), &asesor_cer)
        .await;
    assert_eq!(status, 200, "{document}");
    assert_eq!(document["stage"], "borrador");
    assert_eq!(document["number"], Value::Null);
    assert_eq!(document["awaiting_signer"], "secretario");
    assert_eq!(document["signatures"][0]["signer"], "asesor");
    let version = document["version"].as_i64().unwrap();
    // Signed once: not again.
    let (status, refused) = first
        .efirma(id, version, &sign(&content, &[&asesor_cer]), &asesor_cer)
        .await;
    assert_eq!(status, 422, "{refused}");
    assert!(refused.to_string().contains("Usted ya firmó"), "{refused}");
    // Not issued yet: the public verification does not take it for signed.
    let early = reqwest::Client::new()
        .post(format!("{}/api/v1/public/verify", app.address))
        .json(&json!({"document": STANDARD.encode(&content)}))
        .send()
        .await
        .unwrap();
    assert_eq!(early.status().as_u16(), 404);
    assert!(
        app.signed_in("secretario")
            .await
            .text("/bandeja")
            .await
            .contains("Espera su firma")
    );

    // The titular signs the very bytes the first signer signed, and numbers it.
    assert_eq!(titular.signable(id, version).await, content);
    let (status, document) = titular
        .efirma(
            id,
            version,
            &sign(&content, &[&secretario_cer]),
            &secretario_cer,
        )
        .await;
    assert_eq!(status, 200, "{document}");
    assert_eq!(document["stage"], "firmado");
    assert_eq!(document["awaiting_signer"], Value::Null);
    let number = document["number"]["text"].as_str().unwrap().to_owned();
    let stored = app.store.outgoing(id).await.unwrap().unwrap();
    let order: Vec<_> = stored
        .signatures
        .iter()
        .map(|s| (s.ordinal, s.signer_login.as_str()))
        .collect();
    assert_eq!(order, [(1, "asesor"), (2, "secretario")]);

    let (status, signed) = titular
        .get_bytes(&format!("/api/v1/correspondence/outgoing/{id}/signed-pdf"))
        .await;
    assert_eq!(status, 200);
    let digest = turno_store::chain::sha256_hex(&content);
    for body in [
        json!({"document": STANDARD.encode(&signed)}),
        json!({"number": number, "digest": digest}),
    ] {
        let verdict: Value = reqwest::Client::new()
            .post(format!("{}/api/v1/public/verify", app.address))
            .json(&body)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(verdict["authentic"], true, "{verdict}");
        let signers: Vec<_> = verdict["signatures"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["signer"].as_str().unwrap().to_owned())
            .collect();
        assert_eq!(signers, ["GABRIEL ORTIZ YANEZ", "ANA LOPEZ NUNEZ"]);
    }
    let page = reqwest::get(format!(
        "{}/verificar?numero={}&resumen={digest}",
        app.address,
        number.replace('/', "%2F")
    ))
    .await
    .unwrap()
    .text()
    .await
    .unwrap();
    assert!(
        page.contains("GABRIEL ORTIZ YANEZ") && page.contains("ANA LOPEZ NUNEZ"),
        "{page}"
    );
}

/// A correction after a first signature of several takes it back: every signer signs the
/// corrected document again.
async fn a_corrected_draft_is_signed_again_by_everyone(app: TestApp) {
    let (ca, _) = trusted(&app).await;
    let asesor_cer = second_signer(&app, &ca).await;
    let titular = Api::of(&app, "secretario").await;
    let draft = json!({
        "unit": "SIDSS-ST",
        "kind": "oficio",
        "subject": "Informe conjunto",
        "body": "Primera versión.",
        "recipients": [{"unit": "SIDSS-CAS"}],
        "signers": ["asesor", "secretario"],
    });
    let (_, document) = titular
        .post("/api/v1/correspondence/outgoing", draft.clone())
        .await;
    let id = document["id"].as_i64().unwrap();
    let version = document["version"].as_i64().unwrap();
    let first = Api::of(&app, "asesor").await;
    let content = first.signable(id, version).await;
    let (status, document) = first
        .efirma(id, version, &sign(&content, &[&asesor_cer]), &asesor_cer)
        .await;
    assert_eq!(status, 200, "{document}");
    let version = document["version"].as_i64().unwrap();
    let mut corrected = draft.clone();
    corrected["body"] = json!("Segunda versión.");
    corrected["version"] = json!(version);
    let corrected = corrected.as_object_mut().map(|o| {
        o.remove("unit");
        Value::Object(o.clone())
    });
    let response = reqwest::Client::new()
        .put(format!(
            "{}/api/v1/correspondence/outgoing/{id}",
            app.address
        ))
        .header("authorization", format!("Bearer {}", titular.token))
        .json(&corrected.unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    let document = app.store.outgoing(id).await.unwrap().unwrap();
    assert!(document.signatures.is_empty());
    assert_eq!(
        turno_app::correspondence::outgoing::next_signer(&document),
        Some((1, "asesor"))
    );
    let again = first.signable(id, document.version).await;
    assert_ne!(again, content, "the corrected document is drawn again");
}

/// The public verification is throttled per client, page and API together: past its limit,
/// 429 with a Spanish message and when to try again; a file over its size is refused.
async fn the_public_verification_is_throttled(app: TestApp) {
    let client = reqwest::Client::new();
    let verify = |body: Value| {
        let client = client.clone();
        let url = format!("{}/api/v1/public/verify", app.address);
        async move { client.post(url).json(&body).send().await.unwrap() }
    };
    let asked = json!({"number": "SIDSS/ST/0001/2026", "digest": "a".repeat(64)});
    // `limits::VERIFICATIONS`: sixty in fifteen minutes.
    let limit = 60;
    for _ in 0..limit {
        assert_eq!(verify(asked.clone()).await.status().as_u16(), 404);
    }
    let refused = verify(asked.clone()).await;
    assert_eq!(refused.status().as_u16(), 429);
    assert!(refused.headers().contains_key("retry-after"));
    let body: Value = refused.json().await.unwrap();
    assert_eq!(body["code"], "too_many_requests");
    assert!(
        body["error"].as_str().unwrap().contains("Intente de nuevo"),
        "{body}"
    );
    // The page counts with the API.
    let page = client
        .get(format!(
            "{}/verificar?numero=SIDSS%2FST%2F0001%2F2026&resumen={}",
            app.address,
            "a".repeat(64)
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status().as_u16(), 429);
    assert!(page.text().await.unwrap().contains("Demasiados intentos"));
    // The form itself is not counted.
    let form = client
        .get(format!("{}/verificar", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(form.status().as_u16(), 200);
    // A body over the API's 2 MiB is refused before it is read.
    let large = verify(json!({"document": STANDARD.encode(vec![0u8; 2 * 1024 * 1024])})).await;
    assert_eq!(large.status().as_u16(), 413);
}

/// The person `login` registered with `rfc` (e.firma's identity on their record).
async fn identify(app: &TestApp, login: &str, rfc: &str) {
    let user = app.store.user_by_login(login).await.unwrap().unwrap();
    turno_app::efirma::set_identity(&app.store, user.user.id, (rfc, ""), "admin")
        .await
        .unwrap();
}

/// An informe of seed 000 driven through the API to 4.1, the Coordinación de Asesores'
/// «Recibe y revisa el Informe Integrado y autoriza su envío», which is signed with e.firma:
/// its folio and the work item.
async fn at_authorization(app: &TestApp) -> (String, u64) {
    let secretario = Api::of(app, "secretario").await;
    let (status, created) = secretario
        .post(
            "/api/v1/cases",
            json!({
                "procedure": "sidss-informes-oficiales",
                "title": "Informe trimestral de la DGPLADES",
                "channel": "Oficio",
                "requester": "DGPLADES",
                "fields": {"tipo_informe": "Informe trimestral", "direccion_general": "DGPLADES"},
            }),
        )
        .await;
    assert_eq!(status, 201, "{created}");
    let folio = created["folio"].as_str().unwrap().to_owned();
    // 1.1 → 2.1 → 2.2 «Sí» → 3.1 → 4.1.
    for outcome in [None, None, Some("Sí"), None] {
        let (_, case) = secretario.get(&format!("/api/v1/cases/{folio}")).await;
        let item = case["open_work"][0]["item"].as_u64().unwrap();
        assert_eq!(case["open_work"][0]["signature"], false);
        let (status, done) = secretario
            .post(
                &format!("/api/v1/cases/{folio}/work/{item}"),
                json!({"version": case["version"], "outcome": outcome}),
            )
            .await;
        assert_eq!(status, 200, "{done}");
    }
    let (_, case) = secretario.get(&format!("/api/v1/cases/{folio}")).await;
    assert_eq!(case["open_work"][0]["activity"], "4.1");
    (folio, case["open_work"][0]["item"].as_u64().unwrap())
}

/// The asesor authorizes 4.1 through the API: the exact text is asked, signed and sent with the
/// same answer; a completion without a signature, with one over other text, of another person,
/// revoked or expired is refused by its field with its reason and nothing is recorded; the
/// valid one is recorded in the chained events (signer, certificate, digest), which verify.
async fn an_activity_that_asks_for_it_is_signed_with_efirma(app: TestApp) {
    let (ca, certificate) = trusted(&app).await;
    identify(&app, "asesor", ANA.rfc).await;
    let (folio, item) = at_authorization(&app).await;
    let asesor = Api::of(&app, "asesor").await;
    let (_, case) = asesor.get(&format!("/api/v1/cases/{folio}")).await;
    assert_eq!(case["open_work"][0]["signature"], true, "{case}");
    let version = case["version"].clone();
    let body =
        json!({"version": version, "outcome": "Sí", "observations": "Se autoriza su envío."});
    let text = asesor
        .post(
            &format!("/api/v1/cases/{folio}/work/{item}/signed-text"),
            body.clone(),
        )
        .await;
    assert_eq!(text.0, 200, "{}", text.1);
    let text = text.1.as_str().unwrap().to_owned();
    for needed in [
        format!("Expediente: {folio}\n"),
        "Actividad: 4.1 Recibe y revisa el Informe Integrado y autoriza su envío.\n".to_owned(),
        "Respuesta: Sí\n".to_owned(),
        "Observaciones: Se autoriza su envío.\n".to_owned(),
    ] {
        assert!(text.contains(&needed), "«{needed}» in {text}");
    }
    use der::Encode;
    let send = |firma: Vec<u8>, sent: &Certificate| {
        let mut body = body.clone();
        body["firma"] = json!(STANDARD.encode(firma));
        body["certificado"] = json!(STANDARD.encode(sent.to_der().unwrap()));
        body
    };
    let path = format!("/api/v1/cases/{folio}/work/{item}");
    let other = turno_efirma::testing::Holder {
        name: "RAMON GOMEZ MORA",
        rfc: "GOMR7502035K4",
        curp: "GOMR750203HDFMRM08",
    };
    let someone_else = ca.issue(
        &other,
        "00001000000700000003",
        ("2025-01-01T00:00:00Z", "2035-01-01T00:00:00Z"),
    );
    let revoked = ca.issue(
        &ANA,
        REVOKED,
        ("2025-01-01T00:00:00Z", "2035-01-01T00:00:00Z"),
    );
    let expired = ca.issue(
        &ANA,
        "00001000000700000005",
        ("2020-01-01T00:00:00Z", "2021-01-01T00:00:00Z"),
    );
    let cases: [(Value, &str, &str); 6] = [
        (body.clone(), "firma", "Firme con su e.firma"),
        (
            send(
                sign(format!("{text}otra cosa").as_bytes(), &[&certificate]),
                &certificate,
            ),
            "firma",
            "no es el que se firmó",
        ),
        (
            send(sign(text.as_bytes(), &[&someone_else]), &someone_else),
            "firma",
            "no coincide con el registrado",
        ),
        (
            send(sign(text.as_bytes(), &[&revoked]), &revoked),
            "firma",
            "fue revocado",
        ),
        (
            send(sign(text.as_bytes(), &[&expired]), &expired),
            "firma",
            "ya había vencido",
        ),
        // Signed for «Sí», sent with «No».
        (
            {
                let mut sent = send(sign(text.as_bytes(), &[&certificate]), &certificate);
                sent["outcome"] = json!("No");
                sent
            },
            "firma",
            "no es el que se firmó",
        ),
    ];
    for (sent, field, reason) in cases {
        let (status, refused) = asesor.post(&path, sent).await;
        assert_eq!(status, 422, "{refused}");
        let problem = refused["fields"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["field"] == field)
            .unwrap_or_else(|| panic!("no problem of «{field}»: {refused}"));
        assert!(
            problem["reason"].as_str().unwrap().contains(reason),
            "«{reason}»: {refused}"
        );
    }
    let (_, unchanged) = asesor.get(&format!("/api/v1/cases/{folio}")).await;
    assert_eq!(
        unchanged["version"], version,
        "nothing recorded: {unchanged}"
    );

    let (status, done) = asesor
        .post(
            &path,
            send(sign(text.as_bytes(), &[&certificate]), &certificate),
        )
        .await;
    assert_eq!(status, 200, "{done}");
    let (_, case) = asesor.get(&format!("/api/v1/cases/{folio}")).await;
    let signed = case["events"]
        .as_array()
        .unwrap()
        .iter()
        .rev()
        .find(|e| e["kind"] == "work_completed")
        .unwrap();
    let signature = &signed["payload"]["signature"];
    assert_eq!(signature["signer"], "ANA LOPEZ NUNEZ", "{signed}");
    assert_eq!(signature["serial"], VALID);
    assert_eq!(signature["rfc"], ANA.rfc);
    assert_eq!(
        signature["digest"],
        turno_store::chain::sha256_hex(text.as_bytes())
    );
    assert!(signature["verified_at"].is_string());
    assert_eq!(
        STANDARD
            .decode(signature["certificate"].as_str().unwrap())
            .unwrap(),
        certificate.to_der().unwrap()
    );
    // What was signed verifies again from the record alone.
    let cms = STANDARD.decode(signature["cms"].as_str().unwrap()).unwrap();
    let trust = turno_app::efirma::trust(&app.store).await.unwrap();
    let at: jiff::Timestamp = signature["verified_at"].as_str().unwrap().parse().unwrap();
    assert!(turno_efirma::verify(text.as_bytes(), &cms, &trust, at, None).is_ok());
    assert_eq!(app.store.verify().await.unwrap().breaks, []);
    // An activity that asks for none has no text to sign.
    let (_, case) = asesor.get(&format!("/api/v1/cases/{folio}")).await;
    let next = case["open_work"][0]["item"].as_u64().unwrap();
    let secretario = Api::of(&app, "secretario").await;
    let (status, refused) = secretario
        .post(
            &format!("/api/v1/cases/{folio}/work/{next}/signed-text"),
            json!({}),
        )
        .await;
    assert_eq!(status, 422, "{refused}");
    assert!(refused.to_string().contains("no pide e.firma"), "{refused}");
}

/// The case page's form of a signed activity carries the e.firma fieldset and its script; its
/// address answers the text the API does; sent unsigned or signed over other text it comes back
/// with the problem by the signature and what was typed kept; signed, the record says who
/// signed, with which certificate, when, and the digest.
async fn the_case_page_signs_an_activity_with_efirma(app: TestApp) {
    let (_, certificate) = trusted(&app).await;
    identify(&app, "asesor", ANA.rfc).await;
    let (folio, item) = at_authorization(&app).await;
    let browser = app.signed_in("asesor").await;
    let page = browser.text(&format!("/asuntos/{folio}")).await;
    assert!(
        page.contains(&format!("data-efirma=\"/asuntos/{folio}/atender/firma\"")),
        "{page}"
    );
    assert!(page.contains("<fieldset class=\"efirma\"") && page.contains("/static/efirma.js"));
    let csrf = crate::test_app::csrf_in(&page);
    let version = crate::test_app::hidden(&page, "version");
    let item = item.to_string();
    let form = [
        ("csrf", csrf.as_str()),
        ("item", item.as_str()),
        ("version", version.as_str()),
        ("outcome", "Sí"),
        ("observaciones", "Autorizado sin cambios"),
    ];
    let mut address =
        reqwest::Url::parse(&format!("{}/asuntos/{folio}/atender/firma", browser.base)).unwrap();
    address.query_pairs_mut().extend_pairs(form);
    let text = browser
        .client
        .get(address)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let asesor = Api::of(&app, "asesor").await;
    let (_, from_api) = asesor
        .post(
            &format!("/api/v1/cases/{folio}/work/{item}/signed-text"),
            json!({"version": version.parse::<i64>().unwrap(), "outcome": "si", "observations": "Autorizado sin cambios"}),
        )
        .await;
    assert_eq!(
        from_api.as_str(),
        Some(text.as_str()),
        "the page and the API sign the same text"
    );

    use der::Encode;
    let certificado = STANDARD.encode(certificate.to_der().unwrap());
    let post = |firma: String| {
        let mut sent: Vec<(&str, String)> =
            form.iter().map(|(k, v)| (*k, (*v).to_owned())).collect();
        sent.push(("firma", firma));
        sent.push(("certificado", certificado.clone()));
        let browser = &browser;
        let folio = &folio;
        async move {
            let sent: Vec<(&str, &str)> = sent.iter().map(|(k, v)| (*k, v.as_str())).collect();
            browser
                .post(&format!("/asuntos/{folio}/atender"), &sent)
                .await
        }
    };
    for (firma, reason) in [
        (String::new(), "Firme con su e.firma"),
        (
            STANDARD.encode(sign(b"otra respuesta", &[&certificate])),
            "no es el que se firmó",
        ),
    ] {
        let refused = post(firma).await;
        assert_eq!(refused.status().as_u16(), 422);
        let html = refused.text().await.unwrap();
        assert!(
            html.contains(&format!("id=\"efirma-{item}-error\"")) && html.contains(reason),
            "{html}"
        );
        assert!(
            html.contains("Autorizado sin cambios"),
            "what was typed is kept: {html}"
        );
    }
    let signed = post(STANDARD.encode(sign(text.as_bytes(), &[&certificate]))).await;
    assert_eq!(signed.status().as_u16(), 303);
    let html = browser.text(&format!("/asuntos/{folio}")).await;
    let digest = turno_store::chain::sha256_hex(text.as_bytes());
    for needed in [
        "Firmado con e.firma por ANA LOPEZ NUNEZ",
        VALID,
        digest.as_str(),
    ] {
        assert!(html.contains(needed), "«{needed}» in the record: {html}");
    }
}

/// A case whose authorization was signed gives a constancia: a page per signed activity with
/// the signer, the certificate, the digest, the signature and the verification page's address
/// with the folio and the digest; the public page (and its API) finds the authorization by them
/// and verifies it again from the record; a tampered digest or an unknown folio is not found.
async fn the_constancia_proves_an_authorization(app: TestApp) {
    let (_, certificate) = trusted(&app).await;
    identify(&app, "asesor", ANA.rfc).await;
    let (folio, _) = at_authorization(&app).await;
    let secretario = Api::of(&app, "secretario").await;
    let constancia = format!("/api/v1/cases/{folio}/constancia");
    let (status, none) = secretario.get(&constancia).await;
    assert_eq!(status, 404, "nothing signed yet: {none}");
    assert!(none.to_string().contains("Ninguna actividad"), "{none}");

    let asesor = app.signed_in("asesor").await;
    let signed = asesor.act_signed(&folio, Some("Sí"), &certificate).await;
    assert_eq!(signed.status().as_u16(), 303);
    let (_, case) = secretario.get(&format!("/api/v1/cases/{folio}")).await;
    let digest = case["events"]
        .as_array()
        .unwrap()
        .iter()
        .find_map(|e| e["payload"]["signature"]["digest"].as_str())
        .unwrap()
        .to_owned();

    let (status, pdf) = secretario.get_bytes(&constancia).await;
    assert_eq!(status, 200);
    assert!(pdf.starts_with(b"%PDF"));
    let page = asesor
        .get(&format!("/asuntos/{folio}/constancia.pdf"))
        .await;
    assert_eq!(page.status().as_u16(), 200);
    assert_eq!(page.headers()["content-type"], "application/pdf");
    assert!(
        asesor
            .text(&format!("/asuntos/{folio}"))
            .await
            .contains(&format!("href=\"/asuntos/{folio}/constancia.pdf\"")),
        "the case page links its constancia"
    );
    let user = app.store.user_by_login("asesor").await.unwrap().unwrap();
    let principal = turno_app::Principal::load(&app.store, &user.user, app.state.today())
        .await
        .unwrap();
    let record = turno_app::authorizations::constancia(&app.state, &principal, &folio)
        .await
        .unwrap();
    assert_eq!(record.authorizations.len(), 1);
    let base = &app.state.notifier.settings().base_url;
    let svgs = turno_web::constancia::pages(&record, base, &app.state.time_zone).unwrap();
    let cms = STANDARD.encode(&record.authorizations[0].signature.cms);
    for needed in [
        "Constancia de autorización con e.firma 1 de 1",
        folio.as_str(),
        "Actividad 4.1 Recibe y revisa el Informe Integrado y autoriza su envío.",
        "Firmante: ANA LOPEZ NUNEZ",
        "(usuario asesor)",
        VALID,
        "Fecha y hora:",
        digest.as_str(),
        &cms[..40],
        // The address wraps on the page; the QR code carries it whole.
        &format!("/verificar?numero={folio}&amp;resumen={}", &digest[..16]),
    ] {
        assert!(svgs[0].contains(needed), "«{needed}» in {}", svgs[0]);
    }

    let address = app.address.clone();
    let verify = |body: Value| {
        let url = format!("{address}/api/v1/public/verify");
        async move {
            let response = reqwest::Client::new()
                .post(url)
                .json(&body)
                .send()
                .await
                .unwrap();
            let status = response.status().as_u16();
            (status, response.json::<Value>().await.unwrap())
        }
    };
    let (status, verdict) = verify(json!({"number": folio, "digest": digest})).await;
    assert_eq!(status, 200, "{verdict}");
    assert_eq!(verdict["authentic"], true, "{verdict}");
    assert_eq!(verdict["number"], folio.as_str());
    assert!(
        verdict["kind"].as_str().unwrap().contains("4.1"),
        "{verdict}"
    );
    assert_eq!(verdict["signatures"][0]["signer"], "ANA LOPEZ NUNEZ");
    assert_eq!(verdict["signatures"][0]["serial"], VALID);
    assert_eq!(verdict["signatures"][0]["valid"], true);
    let page = reqwest::get(format!(
        "{}/verificar?numero={folio}&resumen={digest}",
        app.address
    ))
    .await
    .unwrap()
    .text()
    .await
    .unwrap();
    assert!(
        page.contains("Documento auténtico") && page.contains("ANA LOPEZ NUNEZ"),
        "{page}"
    );

    let mut tampered = digest.clone().into_bytes();
    tampered[0] = if tampered[0] == b'0' { b'1' } else { b'0' };
    let tampered = String::from_utf8(tampered).unwrap();
    for (number, digest) in [
        (folio.as_str(), tampered.as_str()),
        ("NOEXISTE-2026-000001", digest.as_str()),
    ] {
        let (status, refused) = verify(json!({"number": number, "digest": digest})).await;
        assert_eq!(status, 404, "{refused}");
        assert!(
            refused.to_string().contains("ni una autorización"),
            "{refused}"
        );
    }
}

on_both_backends! {
    the_constancia_proves_an_authorization,
    several_signers_sign_in_order,
    a_corrected_draft_is_signed_again_by_everyone,
    the_public_verification_is_throttled,
    an_oficio_signed_with_efirma_is_verified_publicly,
    invalid_efirmas_are_refused_with_their_reason,
    the_page_takes_an_efirma_and_shows_its_refusal,
    an_activity_that_asks_for_it_is_signed_with_efirma,
    the_case_page_signs_an_activity_with_efirma,
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn node_forge_signature_verifies() {
    node_forge_signs_what_the_server_verifies(
        crate::common::spawn(crate::common::Backend::Sqlite).await,
    )
    .await;
}
