//! What the OpenAPI document allows is taken, and what it does not allow is refused naming
//! what is wrong (scripts/api-fuzz.sh checks it against every operation; these are the cases
//! it found): ranges of lists, dates, blank values of a fixed shape, objects sent as arrays,
//! empty files, idempotency keys and declared types.

use super::{Client, assert_error};
use crate::common::{PDF, TestApp};
use serde_json::{Value, json};

/// The document's schema of the `name` parameter of `method path`.
fn parameter<'a>(document: &'a Value, path: &str, method: &str, name: &str) -> &'a Value {
    document["paths"][path][method]["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == name)
        .unwrap_or_else(|| panic!("{method} {path}: no parameter {name}"))
}

async fn the_document_states_the_limits_that_are_checked(app: TestApp) {
    let admin = Client::of(&app, "admin").await;
    let document = admin.get("/api/v1/openapi.json").await.body;

    // Every reference resolves (a query parameter's enum too).
    let text = document.to_string();
    for reference in text.split("\"$ref\":\"#/components/schemas/").skip(1) {
        let name = &reference[..reference.find('"').unwrap()];
        assert!(
            document["components"]["schemas"][name].is_object(),
            "#/components/schemas/{name} is not in the document"
        );
    }

    // Ranges, as the checks count them, and past them 400 naming the parameter.
    for (path, name, minimum, maximum) in [
        ("/api/v1/inbox", "limit", 1, Some(200)),
        ("/api/v1/inbox", "offset", 0, None),
        ("/api/v1/notifications", "limit", 1, Some(200)),
        ("/api/v1/audit", "limit", 1, Some(1000)),
        ("/api/v1/cases", "page", 1, None),
        ("/api/v1/cases", "per_page", 1, Some(100)),
        ("/api/v1/petitions", "limit", 1, Some(200)),
    ] {
        let schema = &parameter(&document, path, "get", name)["schema"];
        assert_eq!(schema["minimum"], json!(minimum), "{path} {name}");
        assert_eq!(schema["maximum"], json!(maximum), "{path} {name}");
        let below = admin.get(&format!("{path}?{name}={}", minimum - 1)).await;
        assert_error(&below, 400, "bad_request");
        assert!(below.text.contains(name), "{path}: {}", below.text);
        if let Some(maximum) = maximum {
            let at = admin.get(&format!("{path}?{name}={maximum}")).await;
            assert_eq!(at.status, 200, "{path} {name}={maximum}: {}", at.text);
            let past = admin.get(&format!("{path}?{name}={}", maximum + 1)).await;
            assert_error(&past, 400, "bad_request");
        }
    }
    let status = &parameter(&document, "/api/v1/cases", "get", "status")["schema"];
    assert_eq!(status["enum"], json!(["open", "ended", "cancelled"]));

    // The Idempotency-Key header: 1 to 255 visible ASCII characters.
    let key = &parameter(&document, "/api/v1/cases", "post", "Idempotency-Key")["schema"];
    assert_eq!(
        (&key["minLength"], &key["maxLength"]),
        (&json!(1), &json!(255))
    );
    let long = "k".repeat(256);
    for wrong in ["una clave", long.as_str()] {
        let answer = admin
            .send(
                reqwest::Method::POST,
                "/api/v1/cases",
                Some(&json!({"procedure": "x", "title": "x"})),
                &[("idempotency-key", wrong)],
            )
            .await;
        assert_error(&answer, 400, "bad_request");
        assert!(answer.text.contains("Idempotency-Key"), "{}", answer.text);
    }

    // A document's name is required; what the upload parts take, nothing else.
    let name = parameter(&document, "/api/v1/cases/{folio}/documents", "post", "name");
    assert_eq!(name["required"], true);
    for schema in ["TablesUpload", "EvidenceUpload", "RegisterForm"] {
        let schema = &document["components"]["schemas"][schema];
        assert_eq!(schema["additionalProperties"], false, "{schema}");
    }
    // A count of calls is what the server keeps (a u32), not an int32.
    let calls = &document["components"]["schemas"]["DeclaredCalls"]["properties"]["calls"];
    assert_eq!(calls["maximum"], json!(u32::MAX));
}

async fn what_the_document_does_not_allow_is_refused_naming_it(app: TestApp) {
    let admin = Client::of(&app, "admin").await;

    // A date parameter given is a date: blank is not one.
    for path in [
        "/api/v1/cases?to=",
        "/api/v1/cases?from=2026-3-1",
        "/api/v1/petitions?to=",
        "/api/v1/units?date=",
    ] {
        let answer = admin.get(path).await;
        assert_error(&answer, 400, "bad_request");
        let name = &path[path.find('?').unwrap() + 1..path.find('=').unwrap()];
        assert!(
            answer.text.contains(&format!("«{name}»")),
            "{path}: {}",
            answer.text
        );
    }
    let blank_status = admin.get("/api/v1/cases?status=").await;
    assert_error(&blank_status, 400, "bad_request");
    // The last day there is bounds nothing.
    let last = admin.get("/api/v1/petitions?to=9999-12-31").await;
    assert_eq!(last.status, 200, "{}", last.text);

    // An object is sent as an object, not as its fields in order.
    let array = admin
        .put("/api/v1/calendar/scope", &json!([null, null]))
        .await;
    assert_error(&array, 422, "bad_request");
    let unit = json!(["Oficina de Enlace", "area"]);
    assert_error(
        &admin.put("/api/v1/units/SIDSS-ST-OE", &unit).await,
        422,
        "bad_request",
    );
    // Not given is left out or null; a blank code or date is refused, naming it.
    let none = admin
        .put(
            "/api/v1/calendar/scope",
            &json!({"institution": null, "state": null}),
        )
        .await;
    assert_eq!(none.status, 200, "{}", none.text);
    let blank = admin
        .put(
            "/api/v1/calendar/scope",
            &json!({"institution": "", "state": " "}),
        )
        .await;
    assert_error(&blank, 422, "invalid_fields");
    assert_eq!(blank.fields(), ["institution", "state"]);
    let entry = admin
        .post(
            "/api/v1/calendar/entries",
            &json!({"from": "2026-12-07", "to": "", "name": "Suspensión de labores"}),
        )
        .await;
    assert_error(&entry, 422, "invalid_fields");
    assert_eq!(entry.fields(), ["to"]);
    let unit = admin
        .put(
            "/api/v1/units/SIDSS-ST-OE",
            &json!({"name": "Oficina de Enlace", "level": "area", "parent": "", "from": ""}),
        )
        .await;
    assert_error(&unit, 422, "invalid_fields");
    assert_eq!(unit.fields(), ["parent", "from"]);

    // An empty file is not imported.
    let empty = admin.import("calendar", "2026.toml", "").await;
    assert_error(&empty, 422, "invalid_file");
    assert!(empty.text.contains("2026.toml"), "{}", empty.text);

    // As many calls as a u32 holds.
    let calls = admin
        .post(
            "/api/v1/informes/atencion/llamadas",
            &json!({"day": "2026-03-02", "calls": 3_000_000_000_u32}),
        )
        .await;
    assert_eq!(calls.status, 204, "{}", calls.text);

    // `*/*` declares no type: the content says which.
    let secretario = Client::of(&app, "secretario").await;
    let folio = secretario.register().await;
    let attached = secretario
        .upload(&folio, &[("name", "oficio.pdf")], "*/*", PDF)
        .await;
    assert_eq!(attached.status, 201, "{}", attached.text);
    assert_eq!(
        attached.body["mime"], "application/pdf",
        "{}",
        attached.text
    );
}

on_both_backends! {
    the_document_states_the_limits_that_are_checked,
    what_the_document_does_not_allow_is_refused_naming_it,
}
