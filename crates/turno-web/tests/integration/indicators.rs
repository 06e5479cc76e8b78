//! The indicator tables of an informe oficial on both databases (issue 20, item 2;
//! docs/indicators.md): uploaded through the page and through the API, reviewed against the
//! earlier period of the same report (another case's) with its value, period and folio, on
//! the indicators page, the case page and `GET /api/v1/cases/{folio}/indicators`; a table
//! with problems refused (422) with each by row and column, what was typed kept and the file
//! held; who only consults or sees nothing is refused.

use crate::common::{
    Api, File, TestApp, expect_page, expect_says, multipart_named, refused_fields, says,
};
use serde_json::Value;

const FIRST: &str = "Clave,Indicador,Unidad de medida,Valor,Acumulado,Componente de\n\
    AF,Personas afiliadas,personas,\"1,200\",Sí,\n\
    AF-H,Hombres,personas,500,Sí,AF\n\
    AF-M,Mujeres,personas,700,Sí,AF\n\
    QUE,Quejas atendidas,quejas,40,No,\n";

/// Afiliación falls (cumulative), its parts no longer add up, quejas doubled, and a new one.
const SECOND: &str = "Clave,Indicador,Unidad de medida,Valor,Acumulado,Componente de\n\
    AF,Personas afiliadas,personas,1100,Sí,\n\
    AF-H,Hombres,personas,500,Sí,AF\n\
    AF-M,Mujeres,personas,700,Sí,AF\n\
    QUE,Quejas atendidas,quejas,80,No,\n\
    SAT,Satisfacción,%,91.5,No,\n";

const BROKEN: &str = "Clave,Indicador,Unidad de medida,Valor\n\
    AF,Personas afiliadas,personas,1100\n\
    AF,Otra vez,personas,mil\n";

fn table<'a>(name: &'a str, content: &'a str) -> File<'a> {
    File {
        name,
        mime: "text/csv",
        content: content.as_bytes(),
    }
}

async fn page_upload_and_review(app: TestApp) {
    let secretario = app.signed_in("secretario").await;
    let first = secretario.register_report().await;
    let second = secretario.register_report().await;
    let upload = |folio: String,
                  fields: Vec<(&'static str, String)>,
                  file: Option<File<'static>>| {
        let secretario = &secretario;
        async move {
            let path = format!("/asuntos/{folio}/indicadores");
            let csrf = secretario.csrf(&path).await;
            let mut all = vec![("csrf", csrf)];
            all.extend(fields);
            let borrowed: Vec<(&str, &str)> = all.iter().map(|(k, v)| (*k, v.as_str())).collect();
            secretario
                .post_multipart(&path, multipart_named(&borrowed, "archivo", file.as_ref()))
                .await
        }
    };
    let response = upload(
        first.clone(),
        vec![
            ("periodo", "Primer semestre 2026".into()),
            ("corte", "2026-06-30".into()),
        ],
        Some(table("primero.csv", FIRST)),
    )
    .await;
    assert_eq!(response.status(), 303);

    // A table with problems: every one by row and column, what was typed kept, the file held.
    let response = upload(
        second.clone(),
        vec![
            ("periodo", "Segundo semestre 2026".into()),
            ("corte", "31/12/2026".into()),
        ],
        Some(table("segundo.csv", BROKEN)),
    )
    .await;
    expect_says(
        response,
        422,
        &[
            "segundo.csv: fila 3, «Clave»: la clave «AF» ya está en la fila 2.",
            "segundo.csv: fila 3, «Valor»: «mil» no es un número",
            "La fecha de corte «31/12/2026» no es una fecha aaaa-mm-dd.",
            "value=\"Segundo semestre 2026\"",
            "Se conserva el archivo recibido, «segundo.csv»",
        ],
    )
    .await;
    assert!(
        app.store_indicators(&second).await.is_empty(),
        "nothing was recorded"
    );

    let response = upload(
        second.clone(),
        vec![
            ("informe", "Informe trimestral".into()),
            ("periodo", "Segundo semestre 2026".into()),
            ("corte", "2026-12-31".into()),
        ],
        Some(table("segundo.csv", SECOND)),
    )
    .await;
    assert_eq!(response.status(), 303);
    let page = expect_page(
        secretario
            .get(&format!("/asuntos/{second}/indicadores"))
            .await,
        200,
    )
    .await;
    says(
        &page,
        &[
            "Acumulado que baja",
            "Es acumulado y bajó: 1,100 ahora, 1,200 en Primer semestre 2026.",
            "Total que no suma",
            "El total (1,100) no es la suma de sus componentes AF-H, AF-M (1,200).",
            "Cambio mayor al umbral",
            "Cambió +100 % respecto de Primer semestre 2026",
            "Nuevo",
            "Primer semestre 2026 (corte al 30/06/2026)",
            &format!("href=\"/asuntos/{first}\""),
        ],
    );
    // A higher threshold leaves the quejas alone; a threshold that is none is told (422).
    let page = expect_page(
        secretario
            .get(&format!("/asuntos/{second}/indicadores?umbral=150"))
            .await,
        200,
    )
    .await;
    assert!(!page.contains("Cambio mayor al umbral"), "{page}");
    let page = expect_page(
        secretario
            .get(&format!("/asuntos/{second}/indicadores?umbral=0"))
            .await,
        422,
    )
    .await;
    says(
        &page,
        &["El umbral «0» no es un porcentaje entero de 1 a 1000."],
    );

    // The case page shows the same review, and the form.
    expect_says(
        secretario.get(&format!("/asuntos/{second}")).await,
        200,
        &[
            "Indicadores del informe",
            "Acumulado que baja",
            &format!("action=\"/asuntos/{second}/indicadores\""),
        ],
    )
    .await;

    // Who only consults reads it without the form, and may not upload; another unit sees none.
    let consulta = app.signed_in("consulta").await;
    let page = expect_page(
        consulta
            .get(&format!("/asuntos/{second}/indicadores"))
            .await,
        200,
    )
    .await;
    says(&page, &["Acumulado que baja"]);
    assert!(!page.contains("Cargar la tabla de un periodo"));
    let csrf = consulta
        .csrf(&format!("/asuntos/{second}/indicadores"))
        .await;
    let response = consulta
        .post_multipart(
            &format!("/asuntos/{second}/indicadores"),
            multipart_named(
                &[("csrf", &csrf), ("periodo", "X"), ("corte", "2027-06-30")],
                "archivo",
                Some(&table("t.csv", FIRST)),
            ),
        )
        .await;
    assert_eq!(response.status(), 403);
    let ajeno = app.signed_in("ajeno").await;
    let response = ajeno.get(&format!("/asuntos/{second}/indicadores")).await;
    assert_eq!(response.status(), 403);
}

async fn api_upload_and_review(app: TestApp) {
    let secretario = app.signed_in("secretario").await;
    let first = secretario.register_report().await;
    let second = secretario.register_report().await;
    let api = Api::of(&app, "secretario").await;
    async fn send(api: &Api, folio: &str, fields: &[(&str, &str)], file: File<'_>) -> (u16, Value) {
        let body = multipart_named(fields, "file", Some(&file));
        let path = format!("/api/v1/cases/{folio}/indicators");
        api.post_multipart(&path, body).await
    }
    let (status, body) = send(
        &api,
        &first,
        &[("period", "Primer semestre 2026"), ("end", "2026-06-30")],
        table("primero.csv", FIRST),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["indicators"], 4);
    assert_eq!(body["inconsistencies"], 0);

    let (status, body) = send(
        &api,
        &second,
        &[("period", ""), ("end", "2026-12-31")],
        table("roto.csv", BROKEN),
    )
    .await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(refused_fields(&body), ["period", "file", "file"]);

    let (status, body) = send(
        &api,
        &second,
        &[("period", "Segundo semestre 2026"), ("end", "2026-12-31")],
        table("segundo.csv", SECOND),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["inconsistencies"], 4);

    let (status, body) = api.get(&format!("/api/v1/cases/{second}/indicators")).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["threshold"], 30);
    assert_eq!(body["may_upload"], true);
    let table = &body["tables"][0];
    assert_eq!(table["period_end"], "2026-12-31");
    assert_eq!(table["indicators"][4]["value"], "91.5");
    let kinds: Vec<&str> = table["inconsistencies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        [
            "cumulative_fell",
            "total_mismatch",
            "beyond_threshold",
            "new"
        ]
    );
    let fell = &table["inconsistencies"][0]["earlier"];
    assert_eq!(fell["folio"], first.as_str());
    assert_eq!(fell["period"], "Primer semestre 2026");
    assert_eq!(fell["value"], "1200");

    let (status, body) = api
        .get(&format!("/api/v1/cases/{second}/indicators?threshold=150"))
        .await;
    assert_eq!(status, 200);
    assert_eq!(
        body["tables"][0]["inconsistencies"]
            .as_array()
            .unwrap()
            .len(),
        3
    );

    // Who only consults reads, and may not upload.
    let consulta = Api::of(&app, "consulta").await;
    let (status, body) = consulta
        .get(&format!("/api/v1/cases/{second}/indicators"))
        .await;
    assert_eq!(status, 200);
    assert_eq!(body["may_upload"], false);
    let (status, _) = send(
        &consulta,
        &second,
        &[("period", "Otro"), ("end", "2027-06-30")],
        crate::indicators::table("t.csv", FIRST),
    )
    .await;
    assert_eq!(status, 403);
    // Another case's period of the same report is refused.
    let (status, body) = send(
        &api,
        &second,
        &[("period", "Repetido"), ("end", "2026-06-30")],
        crate::indicators::table("t.csv", FIRST),
    )
    .await;
    assert_eq!(status, 409, "{body}");
}

impl TestApp {
    /// The indicator tables a case recorded.
    async fn store_indicators(
        &self,
        folio: &str,
    ) -> Vec<turno_store::indicators::StoredIndicatorTable> {
        use turno_store::Indicators;
        self.store.indicator_tables_of_case(folio).await.unwrap()
    }
}

on_both_backends! {
    page_upload_and_review,
    api_upload_and_review,
}
