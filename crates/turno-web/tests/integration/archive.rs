//! The archive from its pages and its API, on SQLite and PostgreSQL: the catalog imported (a
//! file with problems refused whole), a serie edited, an expediente opened (a form with
//! problems shown again), a case classified into it and the expediente closed; the calendar; a
//! baja list drawn up, approved only by the coordinator, carried out, with its inventory as
//! XLSX and CSV; the disposed case's page and API; and the files of its documents removed
//! from the blob store unless another record still names them.

use crate::common::{
    Api, File, PDF, TestApp, csrf_in, expect_page, header, multipart_named, refused_fields, says,
    with_blobs,
};
use crate::documents::attach;
use serde_json::json;
use turno_domain::text::sha256_hex;
use turno_store::Role;
use turno_store::blobs::{BlobStore, LocalBlobs};

/// A catalog of one serie, for seed 000's informes: a year in trámite, then baja.
pub const CATALOG: &str = "Clave del fondo,Fondo,Clave de la sección,Sección,Clave de la serie,\
Serie de la que es subserie,Serie,Responsable,Valor administrativo (años),Valor legal (años),\
Valor contable (años),Trámite (años),Concentración (años),Destino final,Clasificación,Procedimiento\n\
SS,Secretaría de Salud,SIDSS,Informes oficiales,SIDSS-1,,Informes oficiales,Secretario Técnico,\
1,0,0,1,0,Baja documental,Pública,sidss-informes-oficiales\n";

/// The archive's people: the archivist and the coordinator, of a unit of their own.
pub async fn archive_people(app: &TestApp) {
    app.add_unit_with(
        ("SIDSS-ARC", "Coordinación de Archivos"),
        "archivista",
        Role::Archivista,
    )
    .await;
    app.add_person("coordinadora", "SIDSS-ARC", Role::CoordinadorArchivos, None)
        .await;
}

fn csv_file(content: &[u8]) -> File<'_> {
    File {
        name: "catalogo.csv",
        mime: "text/csv",
        content,
    }
}

async fn the_archive_from_its_catalog_to_a_baja_and_its_files(app: TestApp) {
    let (app, dir) = with_blobs(&app, 25 * 1024 * 1024).await;
    archive_people(&app).await;
    // Two informes: the first with a file of its own and one the second shares.
    let secretario = app.signed_in("secretario").await;
    let first = secretario.register_report().await;
    let second = secretario.register_report().await;
    let own = [PDF, b"solo del primero"].concat();
    let shared = [PDF, b"de los dos"].concat();
    for (folio, content) in [(&first, &own), (&first, &shared), (&second, &shared)] {
        let file = File {
            name: "oficio.pdf",
            mime: "application/pdf",
            content,
        };
        assert_eq!(attach(&secretario, folio, &file).await.status(), 303);
    }

    // The catalog, from the page: a file with problems is refused whole, by line.
    let archivist = app.signed_in("archivista").await;
    let page = archivist.text("/archivo").await;
    says(&page, &["Todavía no hay cuadro de clasificación"]);
    let csrf = csrf_in(&page);
    let broken = CATALOG.replace("Baja documental", "Quemar");
    let refused = archivist
        .post_multipart(
            "/archivo/importar",
            multipart_named(
                &[("csrf", &csrf)],
                "archivo",
                Some(&csv_file(broken.as_bytes())),
            ),
        )
        .await;
    says(&expect_page(refused, 422).await, &["No se importó nada"]);
    let imported = archivist
        .post_multipart(
            "/archivo/importar",
            multipart_named(
                &[("csrf", &csrf)],
                "archivo",
                Some(&csv_file(CATALOG.as_bytes())),
            ),
        )
        .await;
    assert_eq!(imported.status(), 303);
    says(
        &archivist.text("/archivo").await,
        &["SIDSS-1", "Baja documental"],
    );
    // Everyone reads the catalog; only the archivist edits it.
    let outsider = app.signed_in("ajeno").await;
    let catalog = outsider.get("/archivo/catalogo.csv").await;
    assert_eq!(catalog.status(), 200);
    assert!(catalog.text().await.unwrap().contains("SIDSS-1"));
    assert_eq!(
        outsider.get("/archivo/serie?codigo=SIDSS-1").await.status(),
        403
    );

    // A serie edited with problems: each next to its field, what was typed kept.
    let form = archivist.text("/archivo/serie?codigo=SIDSS-1").await;
    let edited = archivist
        .post(
            "/archivo/serie",
            &[
                ("csrf", &csrf_in(&form)),
                ("code", "SIDSS-1"),
                ("name", "Informes oficiales del Secretario"),
                ("keeper", "Secretario Técnico"),
                ("administrative", "muchos"),
                ("legal", "0"),
                ("accounting", "0"),
                ("tramite", "1"),
                ("concentracion", "0"),
                ("destination", "baja"),
                ("access", "secreta"),
            ],
        )
        .await;
    says(
        &expect_page(edited, 422).await,
        &[
            "Escriba el valor administrativo en años",
            "Elija la clasificación",
            "Informes oficiales del Secretario",
        ],
    );

    // An expediente opened from the page: a form with problems shown again.
    let page = archivist.text("/archivo/expedientes").await;
    let csrf = csrf_in(&page);
    let opening = archivist
        .post(
            "/archivo/expedientes",
            &[
                ("csrf", &csrf),
                ("number", "SIDSS-1/2000/1"),
                ("serie", "SIDSS-1"),
                ("title", ""),
                ("opened_on", "primero de enero"),
            ],
        )
        .await;
    says(
        &expect_page(opening, 422).await,
        &["AAAA-MM-DD", "value=\"SIDSS-1/2000/1\""],
    );
    let opened = archivist
        .post(
            "/archivo/expedientes",
            &[
                ("csrf", &csrf),
                ("number", "SIDSS-1/2000/1"),
                ("serie", "SIDSS-1"),
                ("title", "Informes de 2000"),
                ("opened_on", "2000-01-02"),
            ],
        )
        .await;
    assert_eq!(opened.status(), 303);

    // From the API: the coordinator does not open; the archivist classifies and closes.
    let coordinator = Api::of(&app, "coordinadora").await;
    let (status, _) = coordinator
        .post(
            "/api/v1/archive/expedientes",
            json!({"number": "X-1", "serie": "SIDSS-1", "title": "X", "opened_on": "2000-01-01"}),
        )
        .await;
    assert_eq!(status, 403);
    let archive = Api::of(&app, "archivista").await;
    let (_, all) = archive.get("/api/v1/archive/expedientes").await;
    let id = all[0]["id"].as_i64().unwrap();
    let (status, body) = archive
        .post(
            &format!("/api/v1/archive/expedientes/{id}/contents"),
            json!({"kind": "asunto", "subject": ""}),
        )
        .await;
    assert_eq!((status, refused_fields(&body)), (422, vec!["subject"]));
    let (status, body) = archive
        .post(
            &format!("/api/v1/archive/expedientes/{id}/contents"),
            json!({"kind": "asunto", "subject": first}),
        )
        .await;
    assert_eq!((status, body["cases"].as_i64()), (200, Some(1)), "{body}");
    let (status, body) = archive
        .post(
            &format!("/api/v1/archive/expedientes/{id}/closure"),
            json!({"closed_on": "2000-12-31"}),
        )
        .await;
    assert_eq!(
        (status, body["closed_on"].as_str()),
        (200, Some("2000-12-31"))
    );
    let (status, cover) = archive
        .get_bytes(&format!("/api/v1/archive/expedientes/{id}/cover"))
        .await;
    assert_eq!((status, &cover[..4]), (200, &b"%PDF"[..]));

    // The calendar: the baja was due at the end of 2001.
    let calendar = archivist.text("/archivo/calendario").await;
    says(
        &calendar,
        &["SIDSS-1/2000/1", "Baja documental", "31/12/2001"],
    );
    let wrong = archivist.get("/archivo/calendario?hasta=ayer").await;
    says(&expect_page(wrong, 422).await, &["AAAA-MM-DD"]);

    // The list: drawn up from the page (a form with problems shown again), approved only by
    // the coordinator, carried out by the archivist.
    let page = archivist.text("/archivo/listas").await;
    let csrf = csrf_in(&page);
    let drawing = archivist
        .post(
            "/archivo/listas",
            &[("csrf", &csrf), ("kind", ""), ("number", "")],
        )
        .await;
    says(&expect_page(drawing, 422).await, &["Elija la lista"]);
    let drawn = archivist
        .post(
            "/archivo/listas",
            &[("csrf", &csrf), ("kind", "baja"), ("number", "B-2026-1")],
        )
        .await;
    assert_eq!(drawn.status(), 303);
    let list = header(&drawn, "location")
        .strip_prefix("/archivo/listas/")
        .unwrap()
        .to_owned();
    let (status, _) = archive
        .post(
            &format!("/api/v1/archive/lists/{list}/execution"),
            json!({}),
        )
        .await;
    assert_eq!(status, 422, "a draft is not carried out");
    let (status, _) = archive
        .post(&format!("/api/v1/archive/lists/{list}/approval"), json!({}))
        .await;
    assert_eq!(status, 403, "the archivist does not approve");
    let coordinating = app.signed_in("coordinadora").await;
    let page = coordinating.text(&format!("/archivo/listas/{list}")).await;
    says(&page, &["SIDSS-1/2000/1", "Aprobar la lista"]);
    let approved = coordinating
        .post(
            &format!("/archivo/listas/{list}/aprobar"),
            &[("csrf", &csrf_in(&page))],
        )
        .await;
    assert_eq!(approved.status(), 303);
    let (status, xlsx) = archive
        .get_bytes(&format!(
            "/api/v1/archive/lists/{list}/inventory?format=xlsx"
        ))
        .await;
    assert_eq!((status, &xlsx[..2]), (200, &b"PK"[..]));
    let csv = archivist
        .text(&format!("/archivo/listas/{list}/inventario?formato=csv"))
        .await;
    says(&csv, &["SIDSS-1/2000/1", "Aprobada por coordinadora"]);

    // Carried out: the first case is disposed of; its own file is removed, the shared one
    // kept because the second case still names it.
    let (status, done) = archive
        .post(
            &format!("/api/v1/archive/lists/{list}/execution"),
            json!({}),
        )
        .await;
    assert_eq!(status, 200, "{done}");
    assert_eq!(done["removed"], json!([sha256_hex(&own)]));
    assert_eq!(done["kept"], json!([sha256_hex(&shared)]));
    let blobs = LocalBlobs::new(&dir);
    assert!(!blobs.exists(&sha256_hex(&own)).await.unwrap());
    assert!(blobs.exists(&sha256_hex(&shared)).await.unwrap());
    let second_page = secretario.text(&format!("/asuntos/{second}")).await;
    assert!(second_page.contains("oficio.pdf"));

    // The disposed case: its page tells of its disposal to the archive, the API answers 410
    // for its state and its record of disposal to the archive's people.
    let page = archivist.text(&format!("/asuntos/{first}")).await;
    says(
        &page,
        &["dado de baja", "B-2026-1", "coordinadora", "oficio.pdf"],
    );
    assert_eq!(
        secretario.get(&format!("/asuntos/{first}")).await.status(),
        403
    );
    let admin = Api::of(&app, "admin").await;
    let (status, body) = admin.get(&format!("/api/v1/cases/{first}")).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (410, Some("disposed")),
        "{body}"
    );
    let (status, body) = admin
        .get(&format!("/api/v1/archive/disposed/{first}"))
        .await;
    assert_eq!((status, body["list"].as_str()), (200, Some("B-2026-1")));
    assert_eq!(body["documents"].as_array().unwrap().len(), 2);
    let (status, _) = Api::of(&app, "secretario")
        .await
        .get(&format!("/api/v1/archive/disposed/{first}"))
        .await;
    assert_eq!(status, 403);
    let _ = std::fs::remove_dir_all(&dir);
}

on_both_backends! {
    the_archive_from_its_catalog_to_a_baja_and_its_files,
}
