//! Procedure drafts in the application (issue 21, item 5), on both backends: an administrator
//! uploads a seed's manual on the page, reviews its draft beside the source text and the
//! report, fixes it (a definition with problems is shown again with each by line, the text
//! kept, nothing saved) and publishes it; through the API, a BPMN file's draft is edited into
//! the next version of seed 000 and published: a case started before stays on its version,
//! a new one starts on the new one, and a second server on the same database serves it within
//! a second. Only administrators reach any of it; a version published already is refused.

use crate::common::{
    Api, File, SEED, TestApp, expect_page, expect_says, header, multipart_named, refused_fields,
    says, with_procedure,
};
use serde_json::{Value, json};
use turno_store::{ProcedureDrafts, Store};

const MANUAL: &[u8] = include_bytes!("../../../../fixtures/manuals/seed-000-sidss.txt");
const BPMN: &[u8] = include_bytes!("../../../../fixtures/bpmn/informes-camunda.bpmn");

/// The version a case of `folio` runs on.
async fn version_of(app: &TestApp, folio: &str) -> u32 {
    let id = app.store.find_case(folio).await.unwrap().unwrap();
    app.store.load_current(id).await.unwrap().procedure_version
}

/// Sends a multipart body to the API as `api`'s person.
async fn upload(api: &Api, body: Vec<u8>) -> (u16, Value) {
    api.post_multipart("/api/v1/procedure-drafts", body).await
}

async fn a_manual_is_uploaded_reviewed_fixed_and_published_on_the_page(app: TestApp) {
    let admin = app.signed_in("admin").await;
    let list = expect_says(
        admin.get("/procedimientos/borradores").await,
        200,
        &["Borradores de procedimientos", "No hay borradores."],
    )
    .await;
    let csrf = crate::common::csrf_in(&list);

    // Nobody else sees the drafts.
    let secretario = app.signed_in("secretario").await;
    assert_eq!(
        secretario.get("/procedimientos/borradores").await.status(),
        403
    );

    // A kind that is neither: the form again with the problem by its field, nothing kept.
    let file = File {
        name: "seed-000-sidss.txt",
        mime: "text/plain",
        content: MANUAL,
    };
    let refused = admin
        .post_multipart(
            "/procedimientos/borradores",
            multipart_named(
                &[("csrf", &csrf), ("tipo", "hoja"), ("prefijo", "sidss")],
                "archivo",
                Some(&file),
            ),
        )
        .await;
    expect_says(
        refused,
        422,
        &["El tipo «hoja» no es «manual»", "value=\"sidss\""],
    )
    .await;
    assert!(app.store.procedure_drafts().await.unwrap().is_empty());

    let uploaded = admin
        .post_multipart(
            "/procedimientos/borradores",
            multipart_named(
                &[("csrf", &csrf), ("tipo", "manual"), ("prefijo", "sidss")],
                "archivo",
                Some(&file),
            ),
        )
        .await;
    assert_eq!(uploaded.status(), 303);
    let review = header(&uploaded, "location").to_owned();
    let id: i64 = review
        .strip_prefix("/procedimientos/borradores/")
        .unwrap()
        .parse()
        .unwrap();
    let draft = app.store.procedure_draft(id).await.unwrap().unwrap();
    assert_eq!(draft.head.key, "sidss-2");
    assert!(
        draft
            .report
            .starts_with("# Informe de revisión de seed-000-sidss.txt"),
        "{}",
        draft.report
    );
    let page = expect_says(
        admin.get(&review).await,
        200,
        &[
            "Borrador n.º",
            "Texto de origen",
            "PROCEDIMIENTO PARA EL MONITOREO",
            "Informe de revisión de la importación",
            "Informe de revisión de seed-000-sidss.txt",
            "Definición (TOML",
            "Guardar",
            "Publicar",
            "Descartar",
        ],
    )
    .await;

    // A definition with a problem: shown again with it by its line, the text kept, nothing
    // saved.
    let broken = format!("# revisado en la prueba\n{}", draft.definition).replacen(
        "version = 1",
        "version = \"uno\"",
        1,
    );
    let line = broken
        .lines()
        .position(|l| l.starts_with("version = \"uno\""))
        .unwrap()
        + 1;
    let csrf = crate::common::csrf_in(&page);
    let page = expect_page(
        admin
            .post(&review, &[("csrf", &csrf), ("definicion", &broken)])
            .await,
        422,
    )
    .await;
    says(
        &page,
        &[&format!("Línea {line}: columna"), "# revisado en la prueba"],
    );
    assert_eq!(
        app.store
            .procedure_draft(id)
            .await
            .unwrap()
            .unwrap()
            .definition,
        draft.definition
    );

    // Fixed, saved, and published from the page: a new key, its first version.
    let fixed = format!("# revisado en la prueba\n{}", draft.definition);
    let saved = admin
        .post(&review, &[("csrf", &csrf), ("definicion", &fixed)])
        .await;
    assert_eq!(saved.status(), 303, "{}", saved.text().await.unwrap());
    expect_says(
        admin.get(&review).await,
        200,
        &[
            "La definición pasa el validador de definiciones.",
            "Se publicaría como",
            "una clave nueva",
            "<svg",
        ],
    )
    .await;
    let published = admin
        .post(
            &format!("{review}/publicar"),
            &[("csrf", &csrf), ("definicion", &fixed)],
        )
        .await;
    assert_eq!(published.status(), 303);
    assert_eq!(header(&published, "location"), "/procedimientos/sidss-2");
    expect_says(
        admin.get("/procedimientos/sidss-2").await,
        200,
        &["Se publicó", "versión 1 de sidss-2"],
    )
    .await;
    expect_says(
        admin.get("/procedimientos").await,
        200,
        &["/procedimientos/sidss-2"],
    )
    .await;

    // Published, the draft changes no more.
    let again = admin
        .post(
            &format!("{review}/publicar"),
            &[("csrf", &csrf), ("definicion", &fixed)],
        )
        .await;
    expect_says(again, 409, &["ya está publicado"]).await;
    expect_says(
        admin.get("/admin/bitacora").await,
        200,
        &["Borrador de procedimiento publicado"],
    )
    .await;
}

async fn a_bpmn_draft_becomes_the_next_version_through_the_api(app: TestApp) {
    let admin = Api::of(&app, "admin").await;
    let secretario = Api::of(&app, "secretario").await;
    let browser = app.signed_in("secretario").await;
    let before = browser.register_report().await;
    assert_eq!(version_of(&app, &before).await, 2);
    // Another `turno serve` on the same database, started before the publication.
    let other = with_procedure(&app, SEED).await;
    let other_api = Api {
        base: other.address.clone(),
        ..admin.clone()
    };
    let (status, body) = other_api
        .get("/api/v1/procedures/sidss-informes-oficiales")
        .await;
    assert_eq!((status, body["version"].as_u64()), (200, Some(2)));

    // Only administrators.
    let file = File {
        name: "informes-camunda.bpmn",
        mime: "application/xml",
        content: BPMN,
    };
    let body = || multipart_named(&[("kind", "bpmn")], "file", Some(&file));
    assert_eq!(upload(&secretario, body()).await.0, 403);
    assert_eq!(secretario.get("/api/v1/procedure-drafts").await.0, 403);

    let (status, made) = upload(&admin, body()).await;
    assert_eq!(status, 201, "{made}");
    let id = made[0]["id"].as_i64().unwrap();
    assert_eq!(made[0]["source"], "bpmn");
    assert_eq!(made[0]["state"], "borrador");
    let (status, detail) = admin.get(&format!("/api/v1/procedure-drafts/{id}")).await;
    assert_eq!(status, 200);
    says(
        detail["source_text"].as_str().unwrap(),
        &["bpmn:definitions"],
    );
    says(
        detail["report"].as_str().unwrap(),
        &["Revisión de la importación de informes-camunda.bpmn"],
    );
    assert_eq!(
        secretario
            .get(&format!("/api/v1/procedure-drafts/{id}"))
            .await
            .0,
        403
    );

    // Invalid TOML: each problem with its line, nothing saved.
    let path = format!("/api/v1/procedure-drafts/{id}");
    let put = |definition: String| {
        let admin = admin.clone();
        let path = path.clone();
        async move {
            admin
                .send(
                    reqwest::Method::PUT,
                    &path,
                    Some(json!({ "definition": definition })),
                )
                .await
        }
    };
    let (status, refused) = put("key = \"x\"\nversion = \n".into()).await;
    assert_eq!(status, 422, "{refused}");
    assert_eq!(refused_fields(&refused), ["definition"]);
    says(&refused.to_string(), &["Línea 2"]);

    // The seed's text under its published version: saved, but publishing it is refused.
    let (status, saved) = put(SEED.text.to_owned()).await;
    assert_eq!(status, 200, "{saved}");
    assert_eq!(saved["newest_published_version"], 2);
    let (status, taken) = admin.post(&format!("{path}/publish"), json!(null)).await;
    assert_eq!(status, 409, "{taken}");
    says(&taken.to_string(), &["ya está publicada", "version = 3"]);

    // The next version: published; the case started before stays on its version.
    let next = SEED.text.replacen("version = 2", "version = 3", 1);
    let (status, saved) = put(next).await;
    assert_eq!(status, 200, "{saved}");
    assert_eq!(saved["procedure_version"], 3);
    assert_eq!(
        secretario
            .post(&format!("{path}/publish"), json!(null))
            .await
            .0,
        403
    );
    let (status, published) = admin.post(&format!("{path}/publish"), json!(null)).await;
    assert_eq!(status, 201, "{published}");
    assert_eq!(published["version"], 3);
    let after = browser.register_report().await;
    assert_eq!(version_of(&app, &after).await, 3);
    assert_eq!(version_of(&app, &before).await, 2);
    let (status, _) = admin.post(&format!("{path}/discard"), json!(null)).await;
    assert_eq!(status, 409);

    // The other server serves the new version within a second of its publication.
    let start = std::time::Instant::now();
    loop {
        let (_, body) = other_api
            .get("/api/v1/procedures/sidss-informes-oficiales")
            .await;
        if body["version"] == 3 {
            break;
        }
        assert!(
            start.elapsed() < std::time::Duration::from_secs(3),
            "the other server still serves {body}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }

    // A second draft discarded: it stays listed.
    let (_, made) = upload(&admin, body()).await;
    let second = made[0]["id"].as_i64().unwrap();
    let (status, discarded) = admin
        .post(
            &format!("/api/v1/procedure-drafts/{second}/discard"),
            json!(null),
        )
        .await;
    assert_eq!(
        (status, discarded["state"].as_str()),
        (200, Some("descartado"))
    );
    let (_, listed) = admin.get("/api/v1/procedure-drafts").await;
    let states: Vec<&str> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["state"].as_str().unwrap())
        .collect();
    assert_eq!(states, ["descartado", "publicado"]);
}

on_both_backends! {
    a_manual_is_uploaded_reviewed_fixed_and_published_on_the_page,
    a_bpmn_draft_becomes_the_next_version_through_the_api,
}
