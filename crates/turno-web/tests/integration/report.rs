//! The monthly report on both backends: five petitions of March 2026 filed, classified and
//! answered through the store, the provider's calls declared through the page; the page's and
//! the CSV's figures are checked exactly. The Enlace of an entidad sees its entidad only;
//! someone who sees no petitions gets 403.

use crate::common::{TestApp, calls, csrf_in, header};
use turno_domain::calendar::State;
use turno_domain::citizen::{Channel, Classification, PetitionFolio, PetitionKind};
use turno_store::handling::{Classified, Disposal};
use turno_store::{Handling, Role};

/// Files (in order, AC-2026-000001…5):
/// 1. JAL queja by telephone, 2 March, answered the same day (0 días hábiles);
/// 2. JAL queja by telephone, 2 March, answered on the 4th (2);
/// 3. JAL solicitud de información by telephone, 3 March, answered Monday the 9th (4);
/// 4. COL queja by telephone, 3 March, turned with a volante due on the 5th, unanswered: overdue;
/// 5. COL queja by the web mailbox, 10 March, unclassified.
///
/// And one petition of February, left out.
pub(crate) async fn agency(app: &TestApp) {
    for (code, name) in [("EF-JAL", "Jalisco"), ("CNPSS-DVS", "Vinculación Social")] {
        app.add_unit(code, name).await;
    }
    app.add_people(&[
        ("enlace_jal", "EF-JAL", Role::EnlaceExterno),
        ("vinculacion", "CNPSS-DVS", Role::Operador),
    ])
    .await;
    app.add_motive("MED-SURT", "Surtimiento de medicamentos")
        .await;
    let call = |n, kind, channel, state, at| calls::call(n, kind, channel, state, at, None);
    use Channel::{CallCenter, Mailbox};
    use PetitionKind::{Complaint, InformationRequest};
    calls::import(
        app,
        vec![
            call(1, Complaint, CallCenter, "JAL", "2026-03-02T09:00:00"),
            call(2, Complaint, CallCenter, "JAL", "2026-03-02T10:00:00"),
            call(
                3,
                InformationRequest,
                CallCenter,
                "JAL",
                "2026-03-03T09:00:00",
            ),
            call(4, Complaint, CallCenter, "COL", "2026-03-03T10:00:00"),
            call(5, Complaint, Mailbox, "COL", "2026-03-10T10:00:00"),
            call(6, Complaint, CallCenter, "COL", "2026-02-27T10:00:00"),
        ],
    )
    .await;
    let classify = |kind, state: &str, disposal| Classified {
        classification: Classification {
            kind,
            motive: "MED-SURT".into(),
            state: State::from_name_or_code(state).unwrap(),
            needs_action: matches!(disposal, Disposal::Turned { .. }),
        },
        by: "vinculacion".into(),
        at: jiff::Timestamp::now(),
        disposal,
    };
    let answered = |on: &str| Disposal::Answered {
        answer: "Se le orientó.".into(),
        on: on.parse().unwrap(),
        mail: None,
    };
    for (n, kind, state, disposal) in [
        (1, Complaint, "JAL", answered("2026-03-02")),
        (2, Complaint, "JAL", answered("2026-03-04")),
        (3, InformationRequest, "JAL", answered("2026-03-09")),
        (
            4,
            Complaint,
            "COL",
            Disposal::Turned {
                case_folio: "VT-2026-000001".into(),
                due_on: "2026-03-05".parse().unwrap(),
            },
        ),
    ] {
        let folio = PetitionFolio {
            year: 2026,
            number: n,
        };
        app.store
            .classify(folio, &classify(kind, state, disposal))
            .await
            .unwrap();
    }
}

/// The text of the cell after `label` in a table row: `<td …>label</td><td …>value</td>`.
fn cell_after(html: &str, label: &str) -> String {
    let start = html
        .find(&format!(">{label}</td>"))
        .unwrap_or_else(|| panic!("no {label} in the page"));
    let rest = &html[start + label.len() + 6..];
    let open = rest.find('>').unwrap() + 1;
    let close = rest.find("</td>").unwrap();
    rest[open..close].to_owned()
}

fn figure(html: &str, name: &str) -> String {
    let marker = format!("data-cifra=\"{name}\">");
    let start = html.find(&marker).unwrap_or_else(|| panic!("no {name}")) + marker.len();
    let end = html[start..].find('<').unwrap() + start;
    html[start..end].to_owned()
}

async fn report_counts_times_overdue_and_calls(app: TestApp) {
    agency(&app).await;
    let dvs = app.signed_in("vinculacion").await;
    let page = dvs.text("/informes/atencion?mes=2026-03").await;
    let csrf = csrf_in(&page);
    for (day, calls) in [("2026-03-02", "5"), ("2026-03-03", "2")] {
        let response = dvs
            .post(
                "/informes/atencion/llamadas",
                &[("csrf", &csrf), ("dia", day), ("llamadas", calls)],
            )
            .await;
        assert_eq!(response.status(), 303);
        assert_eq!(
            response.headers()["location"],
            "/informes/atencion?mes=2026-03"
        );
    }
    let refused = dvs
        .post(
            "/informes/atencion/llamadas",
            &[("csrf", &csrf), ("dia", "2026-03-04"), ("llamadas", "-1")],
        )
        .await;
    assert_eq!(refused.status(), 400);

    let page = dvs.text("/informes/atencion?mes=2026-03").await;
    assert_eq!(figure(&page, "recibidas"), "5");
    assert_eq!(figure(&page, "respondidas"), "3");
    assert_eq!(figure(&page, "mediana"), "2 días hábiles");
    assert_eq!(figure(&page, "p90"), "4 días hábiles");
    assert_eq!(figure(&page, "vencidas"), "1");
    assert_eq!(cell_after(&page, "Jalisco"), "3");
    assert_eq!(cell_after(&page, "Colima"), "2");
    assert_eq!(cell_after(&page, "Queja"), "4");
    assert_eq!(cell_after(&page, "Solicitud de información"), "1");
    assert_eq!(cell_after(&page, "Centro de Atención Telefónica"), "4");
    assert_eq!(cell_after(&page, "Buzón web"), "1");
    assert_eq!(cell_after(&page, "Surtimiento de medicamentos"), "4");
    assert_eq!(cell_after(&page, "Sin clasificar"), "1");
    // Declared against registered: 5 − 2 on the 2nd, 2 − 2 on the 3rd.
    assert!(page.contains(
        "<td data-label=\"Día\">02/03/2026</td><td data-label=\"Declaradas\">5</td>\
         <td data-label=\"Registradas\">2</td><td data-label=\"Diferencia\">3</td>"
    ));
    assert!(page.contains(
        "<td data-label=\"Día\">03/03/2026</td><td data-label=\"Declaradas\">2</td>\
         <td data-label=\"Registradas\">2</td><td data-label=\"Diferencia\">0</td>"
    ));
    // The charts read their figures to those who do not see them.
    assert!(page.contains("role=\"img\""));
    assert!(page.contains("Peticiones por entidad federativa: Jalisco: 3; Colima: 2"));

    let csv = dvs.get("/informes/atencion?mes=2026-03&formato=csv").await;
    assert_eq!(csv.status(), 200);
    assert!(header(&csv, "content-type").starts_with("text/csv"));
    let csv = csv.text().await.unwrap();
    for line in [
        "Peticiones recibidas,5",
        "Respondidas,3",
        "Mediana del tiempo de respuesta (días hábiles),2",
        "Percentil 90 del tiempo de respuesta (días hábiles),4",
        "Vencidas,1",
        "Jalisco,3",
        "Colima,2",
        "Queja,4",
        "Solicitud de información,1",
        "Centro de Atención Telefónica,4",
        "Buzón web,1",
        "Surtimiento de medicamentos,4",
        "Sin clasificar,1",
        "2026-03-02,5,2,3",
        "2026-03-03,2,2,0",
    ] {
        assert!(csv.lines().any(|l| l == line), "{line} in\n{csv}");
    }
    let xlsx = dvs.get("/informes/atencion?mes=2026-03&formato=xlsx").await;
    assert_eq!(xlsx.status(), 200);
    assert!(xlsx.bytes().await.unwrap().starts_with(b"PK"));
    assert_eq!(dvs.get("/informes/atencion?mes=marzo").await.status(), 400);

    // The Enlace of Jalisco: Jalisco's figures only, and no supervision of the national
    // contract.
    let enlace = app.signed_in("enlace_jal").await;
    let page = enlace.text("/informes/atencion?mes=2026-03").await;
    assert_eq!(figure(&page, "recibidas"), "3");
    assert_eq!(figure(&page, "vencidas"), "0");
    assert!(!page.contains("Colima"));
    assert!(!page.contains("tabla-llamadas"));
    let csv = enlace
        .text("/informes/atencion?mes=2026-03&formato=csv")
        .await;
    assert!(csv.lines().any(|l| l == "Peticiones recibidas,3"));
    assert!(!csv.contains("Colima"));
    // Nor may the Enlace declare the provider's calls.
    let denied = enlace
        .post(
            "/informes/atencion/llamadas",
            &[
                ("csrf", &csrf_in(&page)),
                ("dia", "2026-03-02"),
                ("llamadas", "9"),
            ],
        )
        .await;
    assert_eq!(denied.status(), 403);

    let outsider = app.signed_in("secretario").await;
    assert_eq!(outsider.get("/informes/atencion").await.status(), 403);
    assert_eq!(
        outsider
            .get("/informes/atencion?mes=2026-03&formato=csv")
            .await
            .status(),
        403
    );
}

on_both_backends!(report_counts_times_overdue_and_calls);
