//! Attaching documents to a case from its page and downloading them, on SQLite and
//! PostgreSQL: the upload is checked (CSRF, who may attach, the declared type, the size
//! limit), recorded in the case's history, listed, and served back byte for byte.

use crate::common::{
    Backend, Browser, File, PDF, TestApp, csrf_in, drop_schema, expect_page, expect_says, header,
    hidden, says, spawn, unique, upload, with_blobs, with_s3,
};
use turno_domain::engine::Event;
use turno_store::Store;
use turno_store::blobs::LocalBlobs;

/// Attaches a file from the case page's form, answering no activity in particular.
pub async fn attach(browser: &Browser, folio: &str, file: &File<'_>) -> reqwest::Response {
    let page = browser.text(&format!("/asuntos/{folio}")).await;
    let csrf = csrf_in(&page);
    upload(browser, folio, &[("csrf", &csrf), ("item", "")], Some(file)).await
}

/// The download links of a case page, in order.
fn links(page: &str, folio: &str) -> Vec<String> {
    let prefix = format!("href=\"/asuntos/{folio}/documentos/");
    page.match_indices(&prefix)
        .map(|(at, _)| {
            let start = at + "href=\"".len();
            let end = start + page[start..].find('"').unwrap();
            page[start..end].to_owned()
        })
        .collect()
}

async fn documents_of(app: &TestApp, folio: &str) -> Vec<turno_store::Document> {
    let id = app.store.find_case(folio).await.unwrap().unwrap();
    app.store.documents(id).await.unwrap()
}

async fn a_pdf_is_attached_listed_and_downloaded_as_it_was(app: TestApp) {
    let secretario = app.signed_in("secretario").await;
    let folio = secretario.register_report().await;
    let page = secretario.text(&format!("/asuntos/{folio}")).await;
    assert!(
        page.contains("Adjuntar documento") && page.contains("enctype=\"multipart/form-data\"")
    );
    assert!(page.contains("<label for=\"doc-file\">") && page.contains("máximo 25 MB"));
    assert!(page.contains("Sin documentos."));
    // The open activity 1.1 is the Secretario Técnico's: the document may answer it.
    let item = page[page
        .find("id=\"doc-item\"")
        .expect("the document's activity choice")..]
        .split("<option value=\"")
        .skip(1)
        .map(|rest| &rest[..rest.find('"').unwrap()])
        .find(|value| !value.is_empty())
        .expect("the open activity");

    let name = "Oficio de respuesta núm. 7 (año 2026).pdf";
    let file = File {
        name,
        mime: "application/pdf",
        content: PDF,
    };
    let response = upload(
        &secretario,
        &folio,
        &[("csrf", &csrf_in(&page)), ("item", item)],
        Some(&file),
    )
    .await;
    assert_eq!(response.status(), 303);
    assert_eq!(
        response.headers()["location"],
        format!("/asuntos/{folio}").as_str()
    );

    let page = secretario.text(&format!("/asuntos/{folio}")).await;
    assert!(
        page.contains(&format!("Documento «{name}» adjuntado.")),
        "flash"
    );
    assert!(
        page.contains(&format!("Adjuntó el documento «{name}».")),
        "timeline"
    );
    let size = format!(
        "({} bytes) · adjuntado por Persona secretario el",
        PDF.len()
    );
    assert!(page.contains(&size), "size, who and when: {page}");
    let links = links(&page, &folio);
    assert_eq!(links.len(), 1);

    // Recorded once, as the answer to the activity, with the type declared.
    let documents = documents_of(&app, &folio).await;
    assert_eq!(documents.len(), 1);
    assert_eq!(
        (documents[0].name.as_str(), documents[0].mime.as_str()),
        (name, "application/pdf")
    );
    assert_eq!(documents[0].size, PDF.len() as i64);
    let id = app.store.find_case(&folio).await.unwrap().unwrap();
    let stored = app.store.load_case(id).await.unwrap();
    let attached: Vec<_> = stored
        .events
        .iter()
        .filter_map(|e| match &e.event {
            Event::DocumentAttached { item, by, .. } => Some((*item, by.user.clone())),
            _ => None,
        })
        .collect();
    assert_eq!(attached.len(), 1);
    assert_eq!(
        attached[0].0.map(|i| i.0.to_string()),
        Some(item.to_owned())
    );
    assert_eq!(attached[0].1, "secretario");

    let download = secretario.get(&links[0]).await;
    assert_eq!(download.status(), 200);
    let headers = download.headers().clone();
    assert_eq!(headers["content-type"], "application/pdf");
    let disposition = headers["content-disposition"].to_str().unwrap();
    assert!(disposition.starts_with("attachment;"), "{disposition}");
    says(
        disposition,
        &["filename*=UTF-8''Oficio%20de%20respuesta%20n%C3%BAm.%207%20%28a%C3%B1o%202026%29.pdf"],
    );
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(download.bytes().await.unwrap().as_ref(), PDF);

    // The consulta role sees and downloads, but has no form; the administrator has it.
    let consulta = app.signed_in("consulta").await;
    let page = consulta.text(&format!("/asuntos/{folio}")).await;
    assert!(!page.contains("Adjuntar documento") && !page.contains("/documentos\""));
    assert_eq!(consulta.get(&links[0]).await.status(), 200);
    let admin = app.signed_in("admin").await;
    assert!(
        admin
            .text(&format!("/asuntos/{folio}"))
            .await
            .contains("Adjuntar documento")
    );
    assert_eq!(app.store.verify().await.unwrap().breaks, []);
}

async fn a_file_larger_than_the_application_body_limit_is_accepted(app: TestApp) {
    // The application refuses bodies over 2 MiB; a document may be as large as the blob
    // store accepts (25 MiB).
    let secretario = app.signed_in("secretario").await;
    let folio = secretario.register_report().await;
    let mut content = b"%PDF-1.7\n".to_vec();
    content.resize(2 * 1024 * 1024 + 512 * 1024, b'x');
    let file = File {
        name: "expediente digitalizado.pdf",
        mime: "application/pdf",
        content: &content,
    };
    assert_eq!(attach(&secretario, &folio, &file).await.status(), 303);
    let page = secretario.text(&format!("/asuntos/{folio}")).await;
    says(&page, &["(2.5 MB)"]);
    let links = links(&page, &folio);
    let download = secretario.get(&links[0]).await;
    assert_eq!(download.bytes().await.unwrap().as_ref(), content.as_slice());
}

async fn a_fake_pdf_is_refused_and_nothing_is_recorded(app: TestApp) {
    let secretario = app.signed_in("secretario").await;
    let folio = secretario.register_report().await;
    let file = File {
        name: "oficio.pdf",
        mime: "application/pdf",
        content: b"MZ\x90\0\x03\0\0\0\x04\0\0\0\xff\xff\0\0 a program",
    };
    let response = attach(&secretario, &folio, &file).await;
    // The case page again, the reason under the file input.
    expect_says(response, 422, &[
            "id=\"doc-file-error\" role=\"alert\">El archivo «oficio.pdf» se envió como PDF, pero no lo es: es un programa (ejecutable)."]).await;
    assert!(documents_of(&app, &folio).await.is_empty());
    let page = secretario.text(&format!("/asuntos/{folio}")).await;
    assert!(!page.contains("Adjuntó el documento") && page.contains("Sin documentos."));

    // An empty file, and a form without a file, are refused as well.
    let empty = File {
        name: "vacío.pdf",
        mime: "application/pdf",
        content: b"",
    };
    let response = attach(&secretario, &folio, &empty).await;
    let body = expect_page(response, 422).await;
    assert!(
        body.contains("id=\"doc-file-error\" role=\"alert\">El archivo «")
            && body.contains("está vacío"),
        "{body}"
    );
    let csrf = secretario.csrf(&format!("/asuntos/{folio}")).await;
    let response = upload(&secretario, &folio, &[("csrf", &csrf)], None).await;
    says(
        &expect_page(response, 422).await,
        &["id=\"doc-file-error\" role=\"alert\">Elija el archivo"],
    );
    assert!(documents_of(&app, &folio).await.is_empty());
}

async fn a_file_over_the_limit_is_refused_naming_it(app: TestApp) {
    let (small, dir) = with_blobs(&app, 1024).await;
    let secretario = small.signed_in("secretario").await;
    let folio = secretario.register_report().await;
    let page = secretario.text(&format!("/asuntos/{folio}")).await;
    assert!(page.contains("máximo 1 KB"), "the form tells the limit");

    let mut content = b"%PDF-1.7\n".to_vec();
    content.resize(4096, b'x');
    let file = File {
        name: "anexo grande.pdf",
        mime: "application/pdf",
        content: &content,
    };
    let response = attach(&secretario, &folio, &file).await;
    expect_says(response, 413, &[
            "id=\"doc-file-error\" role=\"alert\">El archivo supera el tamaño máximo permitido de 1 KB"]).await;
    assert!(documents_of(&app, &folio).await.is_empty());

    // Exactly the limit is accepted.
    content.truncate(1024);
    let file = File {
        name: "anexo.pdf",
        mime: "application/pdf",
        content: &content,
    };
    assert_eq!(attach(&secretario, &folio, &file).await.status(), 303);
    assert_eq!(documents_of(&app, &folio).await.len(), 1);
    let _ = std::fs::remove_dir_all(dir);
}

/// A document sent for an activity no longer open (answered in another tab) is refused on the
/// case page, the reason under the activity's choice and the file held: sent again without
/// choosing it anew, it is attached as it was first sent.
async fn a_refused_document_keeps_its_file(app: TestApp) {
    let secretario = app.signed_in("secretario").await;
    let folio = secretario.register_report().await;
    let page = secretario.text(&format!("/asuntos/{folio}")).await;
    let file = File {
        name: "oficio firmado.pdf",
        mime: "application/pdf",
        content: PDF,
    };
    let refused = upload(
        &secretario,
        &folio,
        &[("csrf", &csrf_in(&page)), ("item", "999")],
        Some(&file),
    )
    .await;
    let page = expect_says(
        refused,
        409,
        &[
            "id=\"doc-item-error\" role=\"alert\">Esa actividad ya fue atendida",
            "Se conserva el archivo recibido, «oficio firmado.pdf»",
        ],
    )
    .await;
    assert!(documents_of(&app, &folio).await.is_empty());

    // Sent again without a file: the one held is attached.
    let held = hidden(&page, "archivo_retenido");
    let response = upload(
        &secretario,
        &folio,
        &[
            ("csrf", &csrf_in(&page)),
            ("item", ""),
            ("archivo_retenido", &held),
        ],
        None,
    )
    .await;
    assert_eq!(response.status(), 303);
    let documents = documents_of(&app, &folio).await;
    assert_eq!(documents.len(), 1);
    assert_eq!(documents[0].name, "oficio firmado.pdf");
    assert_eq!(documents[0].mime, "application/pdf");
    let link = links(&secretario.text(&format!("/asuntos/{folio}")).await, &folio).remove(0);
    let download = secretario.get(&link).await;
    assert_eq!(download.bytes().await.unwrap().as_ref(), PDF);

    // Another person's session holds nothing under that digest.
    let other = app.signed_in("secretario").await;
    let csrf = other.csrf(&format!("/asuntos/{folio}")).await;
    let response = upload(
        &other,
        &folio,
        &[("csrf", &csrf), ("archivo_retenido", &held)],
        None,
    )
    .await;
    assert_eq!(response.status(), 422);
    assert_eq!(documents_of(&app, &folio).await.len(), 1);
}

async fn people_of_other_units_can_neither_attach_nor_download(app: TestApp) {
    let secretario = app.signed_in("secretario").await;
    let folio = secretario.register_report().await;
    let other = secretario.register_report().await;
    let file = File {
        name: "oficio.pdf",
        mime: "application/pdf",
        content: PDF,
    };
    assert_eq!(attach(&secretario, &folio, &file).await.status(), 303);
    let link = links(&secretario.text(&format!("/asuntos/{folio}")).await, &folio).remove(0);

    let ajeno = app.signed_in("ajeno").await;
    let csrf = ajeno.csrf("/bandeja").await;
    let response = upload(&ajeno, &folio, &[("csrf", &csrf)], Some(&file)).await;
    assert_eq!(response.status(), 403);
    let response = ajeno.get(&link).await;
    assert_eq!(response.status(), 403);
    assert!(!response.text().await.unwrap().contains("%PDF"));
    assert_eq!(documents_of(&app, &folio).await.len(), 1);

    // A document is downloaded through its own case only.
    let id = link.rsplit('/').next().unwrap();
    let elsewhere = secretario
        .get(&format!("/asuntos/{other}/documentos/{id}"))
        .await;
    assert_eq!(elsewhere.status(), 404);
    for missing in ["999999", "abc"] {
        let path = format!("/asuntos/{folio}/documentos/{missing}");
        assert_eq!(secretario.get(&path).await.status(), 404, "{path}");
    }
}

async fn an_upload_without_the_csrf_token_is_refused(app: TestApp) {
    let secretario = app.signed_in("secretario").await;
    let folio = secretario.register_report().await;
    let file = File {
        name: "oficio.pdf",
        mime: "application/pdf",
        content: PDF,
    };
    for fields in [vec![], vec![("csrf", "0000")]] {
        let response = upload(&secretario, &folio, &fields, Some(&file)).await;
        says(&expect_page(response, 400).await, &["El formulario caducó"]);
    }
    // The token must come first: one after the work item is no longer checked before the file.
    let csrf = secretario.csrf(&format!("/asuntos/{folio}")).await;
    let late = upload(
        &secretario,
        &folio,
        &[("item", ""), ("csrf", &csrf)],
        Some(&file),
    )
    .await;
    assert_eq!(late.status(), 400);
    assert!(late.text().await.unwrap().contains("El formulario caducó"));
    // Not a multipart form at all.
    let response = secretario
        .post(&format!("/asuntos/{folio}/documentos"), &[("csrf", &csrf)])
        .await;
    assert_eq!(response.status(), 400);
    assert!(documents_of(&app, &folio).await.is_empty());
}

async fn a_changed_file_is_not_served(app: TestApp) {
    let (own, dir) = with_blobs(&app, 1024 * 1024).await;
    let secretario = own.signed_in("secretario").await;
    let folio = secretario.register_report().await;
    let file = File {
        name: "acta.pdf",
        mime: "application/pdf",
        content: PDF,
    };
    assert_eq!(attach(&secretario, &folio, &file).await.status(), 303);
    let link = links(&secretario.text(&format!("/asuntos/{folio}")).await, &folio).remove(0);
    assert_eq!(secretario.get(&link).await.status(), 200);

    let sha256 = documents_of(&app, &folio).await.remove(0).sha256;
    let path = LocalBlobs::new(&dir).path_of(&sha256).unwrap();
    std::fs::write(&path, b"%PDF-1.7\n otro contenido").unwrap();
    let response = secretario.get(&link).await;
    assert_eq!(response.status(), 500);
    assert!(header(&response, "content-type").starts_with("text/html"));
    let body = response.text().await.unwrap();
    assert!(
        body.contains("no coincide con el que se registró") && !body.contains("otro contenido"),
        "{body}"
    );
    let _ = std::fs::remove_dir_all(dir);
}

/// Documents on several servers (issue 16, hole 11): two processes on one PostgreSQL database
/// and one bucket of a real S3-compatible server, each with its own client; a document
/// attached through one is downloaded intact through the other, and one whose file left the
/// bucket is refused with words, not served.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_servers_on_one_database_and_one_bucket_serve_each_others_documents() {
    let app = spawn(Backend::Postgres).await;
    let schema = app.schema.clone();
    let prefix = format!("web-{}-{}", std::process::id(), unique());
    let (a, b) = (with_s3(&app, &prefix).await, with_s3(&app, &prefix).await);
    assert_ne!(a.address, b.address);

    let on_a = a.signed_in("secretario").await;
    let folio = on_a.register_report().await;
    let file = File {
        name: "oficio-firmado.pdf",
        mime: "application/pdf",
        content: PDF,
    };
    assert_eq!(attach(&on_a, &folio, &file).await.status(), 303);
    let recorded = documents_of(&app, &folio).await.remove(0).sha256;

    let on_b = b.signed_in("secretario").await;
    let link = links(&on_b.text(&format!("/asuntos/{folio}")).await, &folio).remove(0);
    let download = on_b.get(&link).await;
    assert_eq!(download.status(), 200);
    let bytes = download.bytes().await.unwrap();
    assert_eq!(bytes.as_ref(), PDF);
    assert_eq!(turno_store::chain::sha256_hex(&bytes), recorded);

    // The file removed from the bucket: both servers say so in words.
    let bucket = turno_store::fixtures::test_bucket(&prefix).unwrap();
    let key = bucket.key_of(&recorded).unwrap();
    object_store::ObjectStoreExt::delete(bucket.inner(), &key)
        .await
        .unwrap();
    let response = on_a.get(&link).await;
    expect_says(response, 500, &["no coincide con el que se registró"]).await;
    drop_schema(schema).await;
}

on_both_backends! {
    a_pdf_is_attached_listed_and_downloaded_as_it_was,
    a_file_larger_than_the_application_body_limit_is_accepted,
    a_fake_pdf_is_refused_and_nothing_is_recorded,
    a_file_over_the_limit_is_refused_naming_it,
    a_refused_document_keeps_its_file,
    people_of_other_units_can_neither_attach_nor_download,
    an_upload_without_the_csrf_token_is_refused,
    a_changed_file_is_not_served,
}
