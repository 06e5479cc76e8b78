//! Every route, for every kind of person: anonymous, someone of another unit, someone of the
//! case's own unit, the consulta role, and an administrator. Each cell is the status the route
//! must answer; a 403 never carries the case's data.

use crate::common::{Browser, File, PDF, TestApp, asm_tables, csrf_in, multipart_named, upload};
use turno_store::followup::Followup;
use turno_store::{Petitions, Store};

#[derive(Clone, Copy, Debug)]
enum Who {
    Anonymous,
    OtherUnit,
    OwnUnit,
    Consulta,
    Admin,
}

const EVERYONE: [Who; 5] = [
    Who::Anonymous,
    Who::OtherUnit,
    Who::OwnUnit,
    Who::Consulta,
    Who::Admin,
];

async fn browser(app: &TestApp, who: Who) -> Browser {
    match who {
        Who::Anonymous => app.browser(),
        Who::OtherUnit => app.signed_in("ajeno").await,
        Who::OwnUnit => app.signed_in("secretario").await,
        Who::Consulta => app.signed_in("consulta").await,
        Who::Admin => app.signed_in("admin").await,
    }
}

/// What a request should answer: 303 to the sign-in page for anonymous pages, else a status.
fn expected(route: &str, who: Who) -> u16 {
    use Who::*;
    match (route, who) {
        // The public mailbox answers everyone alike: the form, its errors, a lookup.
        ("GET /atencion" | "GET /atencion/consulta" | "POST /atencion/consulta", _) => 200,
        ("POST /atencion", _) => 422,
        (_, Anonymous) => 303,
        // Petitions are for the attention units, entidades and administrators; none here
        // but the administrator.
        (
            "GET /peticiones"
            | "GET /peticiones/{petition}"
            | "GET /peticiones/importar"
            | "POST /peticiones/importar"
            | "GET /peticiones/registrar",
            OtherUnit | OwnUnit | Consulta,
        ) => 403,
        (
            "GET /peticiones"
            | "GET /peticiones/{petition}"
            | "GET /peticiones/importar"
            | "POST /peticiones/importar"
            | "GET /peticiones/registrar",
            Admin,
        ) => 200,
        // A received petition's handling is for the Departamento de Vinculación Social and the
        // administrator; none here but the administrator. Without a volante yet there is none to
        // print (404), no FUR to answer, even for the administrator (403: only the Enlace whose
        // unit holds the turn answers), none to review (409); the classification form is
        // incomplete here (400).
        (
            "GET /peticiones/{petition}/clasificar"
            | "POST /peticiones/{petition}/clasificar"
            | "GET /peticiones/{petition}/volante"
            | "GET /peticiones/{petition}/fur"
            | "POST /peticiones/{petition}/fur"
            | "POST /peticiones/{petition}/revision",
            OtherUnit | OwnUnit | Consulta,
        ) => 403,
        ("GET /peticiones/{petition}/clasificar" | "GET /peticiones/{petition}/fur", Admin) => 200,
        ("POST /peticiones/{petition}/clasificar", Admin) => 400,
        ("GET /peticiones/{petition}/volante", Admin) => 404,
        ("POST /peticiones/{petition}/fur", Admin) => 403,
        ("POST /peticiones/{petition}/revision", Admin) => 409,
        // The monthly report is for those who see petitions; declaring the provider's calls for
        // the attention units and the administrator.
        (
            "GET /informes/atencion" | "POST /informes/atencion/llamadas",
            OtherUnit | OwnUnit | Consulta,
        ) => 403,
        ("GET /informes/atencion", Admin) => 200,
        ("POST /informes/atencion/llamadas", Admin) => 303,
        // Pages every signed-in person has.
        (
            "GET /bandeja"
            | "GET /buscar"
            | "GET /registrar"
            | "GET /procedimientos"
            | "GET /procedimientos/{key}"
            | "GET /organigrama"
            | "GET /seguimiento",
            _,
        ) => 200,
        // Registering needs the procedure to start in one of the person's units.
        ("GET /registrar/{key}", OtherUnit | Consulta) => 403,
        ("GET /registrar/{key}", OwnUnit | Admin) => 200,
        ("POST /registrar/{key}", OtherUnit | Consulta) => 403,
        ("POST /registrar/{key}", OwnUnit | Admin) => 303,
        // A case is seen by its units and the administrator; acted on by those who may act.
        (
            "GET /asuntos/{folio}"
            | "GET /asuntos/{folio}/acuse"
            | "GET /asuntos/{folio}/documentos/{id}",
            OtherUnit,
        ) => 403,
        (
            "GET /asuntos/{folio}"
            | "GET /asuntos/{folio}/acuse"
            | "GET /asuntos/{folio}/documentos/{id}",
            _,
        ) => 200,
        (
            "POST /asuntos/{folio}/atender"
            | "POST /asuntos/{folio}/turnar"
            | "POST /asuntos/{folio}/documentos",
            OtherUnit | Consulta,
        ) => 403,
        (
            "POST /asuntos/{folio}/atender"
            | "POST /asuntos/{folio}/turnar"
            | "POST /asuntos/{folio}/documentos",
            OwnUnit | Admin,
        ) => 303,
        // Seed 000's terms cannot be stopped: those who may act hear why; others get 403.
        ("POST /asuntos/{folio}/plazo", OtherUnit | Consulta) => 403,
        ("POST /asuntos/{folio}/plazo", OwnUnit | Admin) => 400,
        // Administration is for administrators; suplencias are everyone's page.
        (
            "GET /admin/personas"
            | "GET /admin/unidades"
            | "GET /admin/calendario"
            | "GET /admin/bitacora"
            | "GET /admin/motivos"
            | "POST /admin/personas/estado"
            | "POST /admin/motivos"
            | "POST /admin/motivos/retirar",
            OtherUnit | OwnUnit | Consulta,
        ) => 403,
        (
            "GET /admin/personas"
            | "GET /admin/unidades"
            | "GET /admin/calendario"
            | "GET /admin/bitacora"
            | "GET /admin/motivos",
            Admin,
        ) => 200,
        ("POST /admin/personas/estado" | "POST /admin/motivos", Admin) => 303,
        // A motive no catalog has: the form is refused.
        ("POST /admin/motivos/retirar", Admin) => 400,
        ("GET /suplencias", _) => 200,
        // Everyone has their own notifications and chooses what they receive.
        (
            "GET /notificaciones"
            | "GET /notificaciones/contador"
            | "GET /notificaciones/preferencias",
            _,
        ) => 200,
        ("POST /notificaciones/leidas" | "POST /notificaciones/preferencias", _) => 303,
        // Follow-up: every signed-in person reads; the final report waits for open activities.
        (
            "GET /seguimiento/{program}"
            | "GET /seguimiento/{program}/{item}"
            | "GET /seguimiento/{program}/calendario"
            | "GET /seguimiento/{program}/{item}/evidencia/{activity}/{n}",
            _,
        ) => 200,
        ("GET /seguimiento/{program}/informe", _) => 409,
        // Progress is the responsible area's (the Secretario Técnico here, not its consulta).
        ("POST /seguimiento/{program}/{item}/avance", OtherUnit | Consulta) => 403,
        ("POST /seguimiento/{program}/{item}/avance", OwnUnit | Admin) => 303,
        ("POST /seguimiento/importar", OtherUnit | OwnUnit | Consulta) => 403,
        ("POST /seguimiento/importar", Admin) => 303,
        // A supervision is for those who see its case and may act: the rounds of this one; a
        // seed 000 case is no supervision to register, and they hear why.
        (
            "POST /seguimiento/supervisiones" | "POST /seguimiento/{program}/rondas",
            OtherUnit | Consulta,
        ) => 403,
        ("POST /seguimiento/supervisiones", OwnUnit | Admin) => 400,
        ("POST /seguimiento/{program}/rondas", OwnUnit | Admin) => 303,
        // Agreements of a meeting are written by those who may act and see its case (a seed
        // 000 case of the Secretario Técnico's); items are added to programs of agreements
        // only, which the supervision is not.
        ("POST /seguimiento/acuerdos", OtherUnit | Consulta) => 403,
        ("POST /seguimiento/acuerdos", OwnUnit | Admin) => 303,
        ("POST /seguimiento/{program}/elementos", Consulta) => 403,
        ("POST /seguimiento/{program}/elementos", OtherUnit | OwnUnit | Admin) => 400,
        (route, who) => panic!("no expectation for {route} as {who:?}"),
    }
}

/// A fresh case at 1.1 with one document, registered by the Secretario Técnico.
async fn case_with_document(app: &TestApp) -> (String, i64) {
    let secretario = app.signed_in("secretario").await;
    let folio = secretario.register_report().await;
    let page = secretario.text(&format!("/asuntos/{folio}")).await;
    let pdf = File {
        name: "oficio.pdf",
        mime: "application/pdf",
        content: PDF,
    };
    let response = upload(
        &secretario,
        &folio,
        &[("csrf", &csrf_in(&page)), ("item", "")],
        Some(&pdf),
    )
    .await;
    assert_eq!(response.status(), 303);
    let id = app.store.find_case(&folio).await.unwrap().unwrap();
    let document = app.store.documents(id).await.unwrap()[0].id;
    (folio, document)
}

/// A supervision of `folio` (the link is what its rounds check) whose two recommendations are
/// the Secretario Técnico's to attend: R1 attended with its evidence, R2 open. Returns its key.
async fn supervision(app: &TestApp, folio: &str, document: i64) -> String {
    let key = format!("SUP-{document}");
    let program = turno_domain::followup::supervision_program(
        "Supervisión de prueba",
        "Secretario Técnico",
        &[
            "Primera recomendación".into(),
            "Segunda recomendación".into(),
        ],
        (
            jiff::civil::date(2026, 1, 1),
            jiff::civil::date(2030, 12, 31),
        ),
    )
    .unwrap();
    app.store
        .import_program(&key, &program, "prueba")
        .await
        .unwrap();
    app.store.link_supervision(&key, folio).await.unwrap();
    let admin = app.signed_in("admin").await;
    let path = format!("/seguimiento/{key}/R1");
    let body = multipart_named(
        &[
            ("csrf", &admin.csrf(&path).await),
            ("actividad", "1"),
            ("avance", "100"),
        ],
        "evidencia",
        Some(&File {
            name: "oficio.pdf",
            mime: "application/pdf",
            content: PDF,
        }),
    );
    let response = admin.post_multipart(&format!("{path}/avance"), body).await;
    assert_eq!(response.status(), 303);
    key
}

async fn request(app: &TestApp, who: Who, route: &str) -> reqwest::Response {
    let (folio, document) = case_with_document(app).await;
    let program = supervision(app, &folio, document).await;
    let browser = browser(app, who).await;
    let petition = turno_domain::citizen::Draft {
        kind: "queja",
        state: "JAL",
        narrative: "DGPLADES no surtió la receta",
        ..Default::default()
    }
    .check(
        turno_domain::citizen::Channel::Mailbox,
        app.state.local_now(),
        true,
    )
    .unwrap();
    let petition = app
        .store
        .file_petition(&petition, [1; 32], None)
        .await
        .unwrap()
        .to_string();
    let path = route
        .split_once(' ')
        .unwrap()
        .1
        .replace("{folio}", &folio)
        .replace("{petition}", &petition)
        .replace("{key}", "sidss-informes-oficiales")
        .replace("{program}", &program)
        .replace("{item}/evidencia/{activity}/{n}", "R1/evidencia/1/0")
        .replace("{item}", "R2")
        .replace("{id}", &document.to_string());
    // Anonymous people have a session too (the mailbox's forms): its token.
    let csrf = match who {
        Who::Anonymous => browser.csrf("/atencion").await,
        _ => browser.csrf("/bandeja").await,
    };
    match route.split_once(' ').unwrap().0 {
        "GET" => browser.get(&path).await,
        _ if path == "/peticiones/importar" => {
            let csv = File {
                name: "llamadas.csv",
                mime: "text/csv",
                content: b"FECHA,TIPO,ENTIDAD,DESCRIPCION\n02/03/2026,Queja,JAL,Receta\n",
            };
            browser
                .post_multipart(
                    &path,
                    crate::common::multipart_named(&[("csrf", &csrf)], "archivo", Some(&csv)),
                )
                .await
        }
        _ if path == "/seguimiento/importar" => {
            browser
                .post_multipart(&path, asm_tables(&csrf, "actividades-corregidas.csv"))
                .await
        }
        _ if path.ends_with("/avance") => {
            let body = multipart_named(
                &[("csrf", &csrf), ("actividad", "1"), ("avance", "10")],
                "evidencia",
                None,
            );
            browser.post_multipart(&path, body).await
        }
        _ if path == "/seguimiento/supervisiones" => {
            browser
                .post(
                    &path,
                    &[
                        ("csrf", &csrf),
                        ("clave", &format!("{program}-B")),
                        ("folio", &folio),
                        ("entidad", "Querétaro"),
                        ("desde", "2026-03-01"),
                        ("plazo", "2026-06-30"),
                        ("recomendaciones", "Actualizar el padrón"),
                    ],
                )
                .await
        }
        _ if path.ends_with("/rondas") => browser.post(&path, &[("csrf", &csrf)]).await,
        _ if path == "/seguimiento/acuerdos" || path.ends_with("/elementos") => {
            browser
                .post(
                    &path,
                    &[
                        ("csrf", &csrf),
                        ("clave", &format!("{program}-AC")),
                        ("nombre", "Acuerdos de la reunión"),
                        ("folio", &folio),
                        ("tipo", "acuerdo"),
                        ("texto", "Publicar el manual"),
                        ("unidad", "SIDSS-ST"),
                        ("actividad", "Enviarlo a revisión"),
                        ("inicio", "2026-03-02"),
                        ("termino", "2026-03-13"),
                    ],
                )
                .await
        }
        _ if path.ends_with("/documentos") => {
            let pdf = File {
                name: "evidencia.pdf",
                mime: "application/pdf",
                content: PDF,
            };
            upload(
                &browser,
                &folio,
                &[("csrf", &csrf), ("item", "")],
                Some(&pdf),
            )
            .await
        }
        _ if path == "/informes/atencion/llamadas" => {
            browser
                .post(
                    &path,
                    &[("csrf", &csrf), ("dia", "2026-03-02"), ("llamadas", "5")],
                )
                .await
        }
        _ if path.starts_with("/admin/motivos") => {
            // Added under one code, retired under another that no catalog has.
            let code = if path.ends_with("/retirar") {
                "NO-EXISTE"
            } else {
                "PRUEBA"
            };
            browser
                .post(
                    &path,
                    &[("csrf", &csrf), ("clave", code), ("nombre", "Prueba")],
                )
                .await
        }
        _ if path.ends_with("/estado") => {
            browser
                .post(
                    &path,
                    &[("csrf", &csrf), ("login", "consulta"), ("activa", "si")],
                )
                .await
        }
        _ if path.ends_with("/atender")
            || path.ends_with("/turnar")
            || path.ends_with("/plazo") =>
        {
            // What the case page's form would send, whether or not this person may see it.
            let id = app.store.find_case(&folio).await.unwrap().unwrap();
            let version = app
                .store
                .load_current(id)
                .await
                .unwrap()
                .head
                .version
                .to_string();
            browser
                .post(
                    &path,
                    &[
                        ("csrf", &csrf),
                        ("item", "1"),
                        ("version", &version),
                        ("observaciones", "x"),
                        ("unidades", "SIDSS-CAS"),
                        ("instruccion", "Para su atención"),
                        ("accion", "suspender"),
                        ("motivo", "Espera respuesta"),
                    ],
                )
                .await
        }
        _ => {
            browser
                .post(
                    &path,
                    &[
                        ("csrf", &csrf),
                        ("asunto", "Informe de prueba"),
                        ("medio", "Oficio"),
                        ("tipo_informe", "Informe"),
                        ("direccion_general", "DGPLADES"),
                    ],
                )
                .await
        }
    }
}

const ROUTES: [&str; 60] = [
    "GET /bandeja",
    "GET /buscar",
    "GET /registrar",
    "GET /registrar/{key}",
    "POST /registrar/{key}",
    "GET /procedimientos",
    "GET /procedimientos/{key}",
    "GET /asuntos/{folio}",
    "GET /asuntos/{folio}/acuse",
    "POST /asuntos/{folio}/atender",
    "POST /asuntos/{folio}/turnar",
    "POST /asuntos/{folio}/plazo",
    "GET /asuntos/{folio}/documentos/{id}",
    "POST /asuntos/{folio}/documentos",
    "GET /buscar?q=DGPLADES",
    "GET /admin/personas",
    "GET /admin/unidades",
    "GET /admin/calendario",
    "GET /admin/bitacora",
    "POST /admin/personas/estado",
    "GET /suplencias",
    "GET /organigrama",
    "GET /seguimiento",
    "GET /seguimiento/{program}",
    "GET /seguimiento/{program}/{item}",
    "POST /seguimiento/{program}/{item}/avance",
    "GET /seguimiento/{program}/{item}/evidencia/{activity}/{n}",
    "GET /seguimiento/{program}/calendario",
    "GET /seguimiento/{program}/informe",
    "POST /seguimiento/importar",
    "POST /seguimiento/supervisiones",
    "POST /seguimiento/{program}/rondas",
    "POST /seguimiento/acuerdos",
    "POST /seguimiento/{program}/elementos",
    "GET /notificaciones",
    "GET /notificaciones/contador",
    "POST /notificaciones/leidas",
    "GET /notificaciones/preferencias",
    "POST /notificaciones/preferencias",
    "GET /atencion",
    "POST /atencion",
    "GET /atencion/consulta",
    "POST /atencion/consulta",
    "GET /peticiones",
    "GET /peticiones/{petition}",
    "GET /peticiones/importar",
    "POST /peticiones/importar",
    "GET /peticiones/registrar",
    "GET /peticiones/{petition}/clasificar",
    "POST /peticiones/{petition}/clasificar",
    "GET /peticiones/{petition}/volante",
    "GET /peticiones/{petition}/fur",
    "POST /peticiones/{petition}/fur",
    "POST /peticiones/{petition}/revision",
    "GET /informes/atencion",
    "GET /informes/atencion?formato=csv",
    "POST /informes/atencion/llamadas",
    "GET /admin/motivos",
    "POST /admin/motivos",
    "POST /admin/motivos/retirar",
];

async fn every_route_answers_every_person_as_it_should(app: TestApp) {
    let mut failures = Vec::new();
    for route in ROUTES {
        let key = route.split('?').next().unwrap();
        for who in EVERYONE {
            let response = request(&app, who, route).await;
            let status = response.status().as_u16();
            let want = expected(key, who);
            let location = response
                .headers()
                .get("location")
                .map(|l| l.to_str().unwrap().to_owned());
            let body = response.text().await.unwrap();
            if status != want {
                failures.push(format!("{route} as {who:?}: {status}, expected {want}"));
            }
            if matches!(who, Who::Anonymous) && !key.contains("/atencion") {
                assert!(
                    location
                        .as_deref()
                        .is_some_and(|l| l.starts_with("/acceso?next=")),
                    "{route}: anonymous goes to sign in"
                );
            }
            if status == 403 {
                assert!(
                    !body.contains("DGPLADES") && !body.contains("oficio.pdf"),
                    "{route} as {who:?}: a 403 shows no data"
                );
            }
            // Outsiders never find other units' matters by searching either.
            if route.contains("?q=") && matches!(who, Who::OtherUnit) {
                assert!(
                    !body.contains("CAS-"),
                    "search as another unit shows no folio"
                );
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

on_both_backends! {
    every_route_answers_every_person_as_it_should,
}
