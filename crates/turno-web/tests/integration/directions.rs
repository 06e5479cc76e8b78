//! Procedure 94's supervisions choose their Direcciones Generales when they are registered
//! (policy 3.8, printed 6.8): on the page and through the API alike, and only the chosen ones
//! get work and are waited on.

use crate::common::{
    TestApp, csrf_in, expect_says, header, says, with_commissioner, with_procedure,
};
use reqwest::Method;
use serde_json::{Value, json};
use turno_app::commands::follow_route;
use turno_domain::engine::Actor;
use turno_domain::library::Source;
use turno_domain::simulate::route;
use turno_store::{Role, Store};

const FIELD: &str = "direcciones_supervisoras";

/// The app with procedure 94 published, the Comisionado and a person in each of the four
/// Direcciones Generales (logins `dgao`, `dgf`, `dggss`, `dgpo`).
async fn supervisions(app: &TestApp) -> TestApp {
    let app = with_commissioner(app).await;
    for (key, name) in [
        ("DGAO", "Dirección General de Afiliación y Operación"),
        ("DGF", "Dirección General de Financiamiento"),
        (
            "DGGSS",
            "Dirección General de Gestión de Servicios de Salud",
        ),
        ("DGPO", "Dirección General del Programa Oportunidades"),
    ] {
        let unit = format!("CNPSS-{key}");
        app.add_unit_with((&unit, name), &key.to_lowercase(), Role::Titular)
            .await;
    }
    app
}

/// Drives the case `folio` to activity `number` as the system would, and answers the
/// numbers of the activities open then, each with the participant it is turned to.
async fn drive_to(app: &TestApp, folio: &str, number: &str) -> Vec<(String, Option<String>)> {
    let p = app
        .state
        .library
        .current()
        .latest("cnpss-94")
        .unwrap()
        .clone();
    let case = app.store.find_case(folio).await.unwrap().unwrap();
    let target = p.activity_by_number(number).unwrap();
    let steps = route(&p, p.first_activity(), Some(target)).unwrap();
    let moment = app.state.moment();
    follow_route(
        &app.store,
        &p,
        case,
        &steps,
        &Actor::system(),
        &moment.context(),
    )
    .await
    .unwrap();
    let mut open: Vec<_> = app
        .store
        .load_current(case)
        .await
        .unwrap()
        .case
        .open
        .iter()
        .map(|w| {
            (
                p.activity(w.activity).number.clone(),
                w.participant.map(|id| p.participant(id).key.clone()),
            )
        })
        .collect();
    open.sort();
    open
}

/// The folios in `login`'s inbox, through the API.
async fn inbox(app: &TestApp, login: &str) -> Vec<String> {
    let inbox = app.api(login, Method::GET, "/api/v1/inbox", None).await;
    let body: Value = inbox.json().await.unwrap();
    body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["folio"].as_str().unwrap().to_owned())
        .collect()
}

fn dgs(open: &[(String, Option<String>)], number: &str) -> Vec<String> {
    open.iter()
        .filter(|(n, _)| n == number)
        .filter_map(|(_, p)| p.clone())
        .collect()
}

async fn a_supervision_waits_only_on_the_directions_it_chose(app: TestApp) {
    let app = supervisions(&app).await;
    let comisionado = app.signed_in("comisionado").await;

    // The form offers the four, and choosing none is refused next to the choice, the rest kept.
    let page = comisionado.text("/registrar/cnpss-94").await;
    for key in ["DGAO", "DGF", "DGGSS", "DGPO"] {
        assert!(
            page.contains(&format!(r#"name="{FIELD}" value="{key}""#)),
            "{key} offered"
        );
    }
    // Each choice reads as the manual names the Dirección General, its key beside it.
    says(
        &page,
        &["Dirección General de Afiliación y Operación (DGAO)"],
    );
    let csrf = csrf_in(&page);
    let mut form = vec![
        ("csrf", csrf.as_str()),
        ("asunto", "Supervisión del SPSS en Querétaro"),
        ("medio", "Oficio"),
        ("entidad_federativa", "Querétaro"),
        ("fecha_visita", "2026-02-10"),
        ("oficio_orden_visita", "CNPSS/0001/2026"),
    ];
    let refused = comisionado.post("/registrar/cnpss-94", &form).await;
    let again = expect_says(refused, 422, &["Este dato es obligatorio."]).await;
    assert!(again.contains("Supervisión del SPSS en Querétaro"));

    form.extend([(FIELD, "DGAO"), (FIELD, "DGGSS")]);
    let registered = comisionado.post("/registrar/cnpss-94", &form).await;
    assert_eq!(registered.status(), 303);
    let folio = header(&registered, "location")
        .strip_prefix("/asuntos/")
        .and_then(|rest| rest.strip_suffix("/acuse"))
        .unwrap()
        .to_owned();

    // 3.1, the planning: one work item for each chosen direction, none for the others.
    let open = drive_to(&app, &folio, "3.1").await;
    assert_eq!(dgs(&open, "3.1"), ["DGAO", "DGGSS"]);
    assert!(inbox(&app, "dgao").await.contains(&folio));
    assert!(inbox(&app, "dggss").await.contains(&folio));
    assert!(!inbox(&app, "dgf").await.contains(&folio));
    assert!(!inbox(&app, "dgpo").await.contains(&folio));
    // The two answer and the visit goes on (4.1), waiting on nobody else; the field work
    // (4.4) is again theirs only.
    let open = drive_to(&app, &folio, "4.4").await;
    assert_eq!(dgs(&open, "4.4"), ["DGAO", "DGGSS"]);

    // The API registers with the same field: a supervision of the DGF alone.
    let case = json!({
        "procedure": "cnpss-94",
        "title": "Supervisión del SPSS en Jalisco",
        "fields": {
            "entidad_federativa": "Jalisco",
            "fecha_visita": "2026-02-17",
            "oficio_orden_visita": "CNPSS/0002/2026",
            FIELD: "DGF",
        },
    });
    let answer = app
        .api("comisionado", Method::POST, "/api/v1/cases", Some(&case))
        .await;
    assert_eq!(answer.status(), 201);
    let body: Value = answer.json().await.unwrap();
    let second = body["folio"].as_str().unwrap().to_owned();
    let open = drive_to(&app, &second, "3.1").await;
    assert_eq!(dgs(&open, "3.1"), ["DGF"]);
    assert!(inbox(&app, "dgf").await.contains(&second));
    assert!(!inbox(&app, "dgao").await.contains(&second));
}

/// A request whose «No» is the entity not answering within its term, as 94's 18.1, 30.2 and
/// 36.2.
const REQUEST: Source<'static> = Source {
    name: "solicitud.toml",
    text: include_str!("../../../turno-domain/tests/fixtures/expiry-request.toml"),
};

/// The case page offers an expiry answer only once its term has run, as the engine accepts
/// it: the day the request is made, only «Sí».
async fn the_expiry_answer_is_not_offered_before_its_term(app: TestApp) {
    let app = with_procedure(&app, REQUEST).await;
    let liaison = (
        "CNPSS-DEEF",
        "Dirección de Enlace con Entidades Federativas",
    );
    app.add_unit_with(liaison, "deef", Role::Titular).await;
    let case = json!({ "procedure": "solicitud", "title": "Solicitud a Querétaro" });
    let answer = app
        .api("deef", Method::POST, "/api/v1/cases", Some(&case))
        .await;
    assert_eq!(answer.status(), 201);
    let body: Value = answer.json().await.unwrap();
    let folio = body["folio"].as_str().unwrap();
    let page = app
        .signed_in("deef")
        .await
        .text(&format!("/asuntos/{folio}"))
        .await;
    // The diagram still shows both answers; the form offers one.
    assert!(page.contains(r#"name="outcome" value="Sí""#), "{page}");
    assert!(!page.contains(r#"name="outcome" value="No""#), "{page}");
}

on_both_backends! {
    a_supervision_waits_only_on_the_directions_it_chose,
    the_expiry_answer_is_not_offered_before_its_term,
}
