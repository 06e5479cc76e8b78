//! Who sees which case, role by unit by case, on SQLite and PostgreSQL: a unit's people see
//! the cases turned to it or to a unit below it; an entidad federativa's enlace sees only what
//! was turned to that entidad; a titular above sees the units below; nobody else sees anything.

use crate::common::{TestApp, csrf_in, hidden};
use turno_store::Role;

const ORG: &str = r#"
[[unit]]
code = "SIDSS"
name = "Subsecretaría de Integración y Desarrollo del Sector Salud"
level = "subsecretaria"

[[unit]]
code = "SIDSS-ST"
name = "Secretario Técnico"
level = "unidad"
parent = "SIDSS"

[[unit]]
code = "SIDSS-CAS"
name = "Coordinación de Asesores"
level = "coordinacion"
parent = "SIDSS"

[[unit]]
code = "EF-JAL"
name = "Jalisco"
level = "entidad_federativa"

[[unit]]
code = "REPSS-JAL"
name = "Régimen Estatal de Protección Social en Salud de Jalisco"
level = "regimen_estatal"
parent = "EF-JAL"

[[unit]]
code = "EF-OAX"
name = "Oaxaca"
level = "entidad_federativa"

[[unit]]
code = "REPSS-OAX"
name = "Régimen Estatal de Protección Social en Salud de Oaxaca"
level = "regimen_estatal"
parent = "EF-OAX"
"#;

/// Registers an informe at the Secretario Técnico and turns its 2.1 to `unit`.
async fn case_turned_to(app: &TestApp, unit: &str) -> String {
    let secretario = app.signed_in("secretario").await;
    let folio = secretario.register_report().await;
    assert_eq!(secretario.act(&folio, None, &[]).await.status(), 303);
    let page = secretario.text(&format!("/asuntos/{folio}")).await;
    let turned = secretario
        .post(
            &format!("/asuntos/{folio}/turnar"),
            &[
                ("csrf", &csrf_in(&page)),
                ("item", &hidden(&page, "item")),
                ("version", &hidden(&page, "version")),
                ("unidades", unit),
                ("instruccion", "Informe el avance en su entidad"),
            ],
        )
        .await;
    assert_eq!(turned.status(), 303);
    folio
}

async fn each_role_and_unit_sees_only_its_cases(app: TestApp) {
    turno_store::organization::import(&app.store, &[("org.toml", ORG)], "prueba")
        .await
        .unwrap();
    app.add_people(&[
        ("subsecretario", "SIDSS", Role::Titular),
        ("enlace.jal", "EF-JAL", Role::EnlaceExterno),
        ("enlace.oax", "EF-OAX", Role::EnlaceExterno),
        ("consulta.jal", "REPSS-JAL", Role::Consulta),
    ])
    .await;
    let jalisco = case_turned_to(&app, "REPSS-JAL").await;
    let oaxaca = case_turned_to(&app, "REPSS-OAX").await;
    let own = app.signed_in("secretario").await.register_report().await;

    // (person, [jalisco, oaxaca, only the Secretario Técnico's]): may they see it?
    let matrix: [(&str, [bool; 3]); 9] = [
        ("secretario", [true, true, true]),
        ("consulta", [true, true, true]),
        ("subsecretario", [true, true, true]),
        ("asesor", [false, false, false]),
        ("enlace.jal", [true, false, false]),
        ("enlace.oax", [false, true, false]),
        ("consulta.jal", [true, false, false]),
        ("ajeno", [false, false, false]),
        ("admin", [true, true, true]),
    ];
    let folios = [&jalisco, &oaxaca, &own];
    let mut wrong = Vec::new();
    for (login, sees) in matrix {
        let browser = app.signed_in(login).await;
        let inbox = browser.text("/bandeja").await;
        let found = browser.text(&format!("/buscar?q={}", "Informe")).await;
        for (folio, expected) in folios.iter().zip(sees) {
            let response = browser.get(&format!("/asuntos/{folio}")).await;
            let status = response.status().as_u16();
            let body = response.text().await.unwrap();
            let want = if expected { 200 } else { 403 };
            if status != want {
                wrong.push(format!("{login} on {folio}: {status}, expected {want}"));
            }
            if !expected && (body.contains("DGPLADES") || found.contains(folio.as_str())) {
                wrong.push(format!("{login} learns something of {folio}"));
            }
        }
        // The enlaces have exactly their entidad's turn waiting in their inbox.
        if login == "enlace.jal" {
            assert!(inbox.contains(&jalisco) && !inbox.contains(&oaxaca));
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");

    // An enlace answers the turn of their entidad and cannot touch another's.
    let enlace = app.signed_in("enlace.jal").await;
    assert_eq!(enlace.act(&jalisco, None, &[]).await.status(), 303);
    let csrf = enlace.csrf("/bandeja").await;
    let other = enlace
        .post(
            &format!("/asuntos/{oaxaca}/atender"),
            &[("csrf", &csrf), ("item", "3"), ("version", "4")],
        )
        .await;
    assert_eq!(other.status(), 403);
    // Consulta sees but never acts.
    let consulta = app.signed_in("consulta.jal").await;
    let page = consulta.text(&format!("/asuntos/{jalisco}")).await;
    assert!(!page.contains("/atender") && !page.contains("/turnar"));
}

on_both_backends! {
    each_role_and_unit_sees_only_its_cases,
}
