//! Correspondence reports per unit and period on both databases (issue 17, item 5;
//! docs/correspondence.md, «Reports»): turns answered in time and late, read, pending in each
//! age bucket and colour of the semáforo, a reassignment inside the units not counted twice,
//! the units below counted when asked, outgoing documents signed, dispatched and cancelled;
//! the page, its form refused with each problem by its field, the API's JSON, CSV
//! (neutralized), XLSX and PDF; a unit refused to someone of another unit.

use crate::common::{Api, TestApp, expect_page};
use jiff::civil::{Date, date};
use serde_json::{Value, json};
use turno_domain::calendar::Regime;
use turno_domain::correspondence::{
    DocumentKind, Incoming, Instruction, Priority, Sender, SenderKind, TurnStatus,
};
use turno_store::correspondence::incoming::{CloseTurn, NewIncoming, NewTurn};
use turno_store::{Correspondence, Store, UnitInput};

fn zone() -> jiff::tz::TimeZone {
    jiff::tz::TimeZone::get("America/Mexico_City").unwrap()
}

fn today() -> Date {
    jiff::Zoned::now().with_time_zone(zone()).date()
}

/// Eleven in the morning of `day` in Mexico City: never in the future for a day before today.
fn at(day: Date) -> jiff::Timestamp {
    day.at(11, 0, 0, 0).to_zoned(zone()).unwrap().timestamp()
}

/// The day `n` días hábiles before (negative: after) today, on the application's calendar.
fn business_days_from_today(app: &TestApp, n: i32) -> Date {
    app.state
        .moment()
        .calendars
        .get(Regime::Lfpa)
        .add_business_days(today(), -n)
        .unwrap()
}

/// A document registered at `OTRA-UNIDAD` on `day`.
async fn document(
    app: &TestApp,
    day: Date,
    subject: &str,
) -> turno_domain::correspondence::IncomingFolio {
    app.store
        .register_incoming(&NewIncoming {
            incoming: Incoming {
                kind: DocumentKind::Oficio,
                sender: Sender {
                    kind: SenderKind::External,
                    name: "Dra. Ana López".into(),
                    position: "Directora".into(),
                    organization: "Servicios de Salud de Querétaro".into(),
                },
                their_number: None,
                their_date: None,
                received_at: day.at(10, 0, 0, 0),
                subject: subject.into(),
                summary: String::new(),
                priority: Priority::Ordinary,
                classification: turno_domain::correspondence::Classification::Public,
                annexes: 0,
                term_days: None,
            },
            due_date: None,
            unit: "OTRA-UNIDAD".into(),
            registered_by: "ajeno".into(),
            registered_at: at(day),
            links: Vec::new(),
            attachments: Vec::new(),
        })
        .await
        .unwrap()
}

/// A turn of `folio` to `unit` given on `day` (from `parent`'s unit, or the registering one),
/// due on `due`; its id.
async fn turned(
    app: &TestApp,
    folio: turno_domain::correspondence::IncomingFolio,
    (parent, from): (Option<i64>, &str),
    unit: &str,
    instruction: Instruction,
    day: Date,
    due: Option<Date>,
) -> i64 {
    app.store
        .add_turns(
            folio,
            &[NewTurn {
                parent,
                from_unit: from.into(),
                unit: unit.into(),
                person: None,
                instruction,
                note: String::new(),
                term_days: due.map(|_| 5),
                due_date: due,
                by: "ajeno".into(),
                at: at(day),
            }],
        )
        .await
        .unwrap()[0]
}

async fn closed(app: &TestApp, turn: i64, status: TurnStatus, day: Date) {
    app.store
        .close_turn(&CloseTurn {
            turn,
            status,
            by: "secretario".into(),
            at: at(day),
            reason: Some("Listo".into()),
        })
        .await
        .unwrap();
}

/// The Secretario Técnico's correspondence of this year (from 2026-01-01 to today): see the
/// figures each test expects.
async fn correspondence(app: &TestApp) {
    app.store
        .upsert_unit(
            &UnitInput {
                code: "SIDSS-ST-A".into(),
                name: "=HIPERVINCULO(\"x\") Área del Secretario Técnico".into(),
                level: turno_domain::org::Level::Unidad,
                parent_code: Some("SIDSS-ST".into()),
            },
            "prueba",
        )
        .await
        .unwrap();
    let attention = Instruction::Attention;
    let registering = (None, "OTRA-UNIDAD");
    // 1. Turned Monday 2 March, due Thursday 5, answered that day: in time, 3 días hábiles.
    // A reassignment of it to the area below, answered there first, is no new arrival.
    let one = document(app, date(2026, 3, 2), "Uno").await;
    let t1 = turned(
        app,
        one,
        registering,
        "SIDSS-ST",
        attention,
        date(2026, 3, 2),
        Some(date(2026, 3, 5)),
    )
    .await;
    let inside = turned(
        app,
        one,
        (Some(t1), "SIDSS-ST"),
        "SIDSS-ST-A",
        attention,
        date(2026, 3, 3),
        Some(date(2026, 3, 4)),
    )
    .await;
    closed(app, inside, TurnStatus::Answered, date(2026, 3, 4)).await;
    closed(app, t1, TurnStatus::Answered, date(2026, 3, 5)).await;
    // Each registered on its day and turned that day by the registering unit: (subject, day,
    // unit, instruction, due, closed as and when).
    let answered = |day| Some((TurnStatus::Answered, day));
    let read = |day| Some((TurnStatus::Read, day));
    let march = |day| date(2026, 3, day);
    let amber = business_days_from_today(app, 8);
    #[rustfmt::skip]
    let arrivals = [
        // 2. Due Friday 6, answered Tuesday 10: late, 6 días hábiles.
        ("Dos", march(2), "SIDSS-ST", attention, Some(march(6)), answered(march(10))),
        // 3. For knowledge, read.
        ("Tres", march(2), "SIDSS-ST", Instruction::Knowledge, None, read(march(3))),
        // 4. To the area below, answered in 2 días hábiles: only with the units below.
        ("Cuatro", march(2), "SIDSS-ST-A", attention, Some(march(9)), answered(march(4))),
        // 5. Pending since 5 January, due the 12th: more than 20 días hábiles old, red.
        ("Cinco", date(2026, 1, 5), "SIDSS-ST", attention, Some(date(2026, 1, 12)), None),
        // 6. Pending 8 días hábiles, due today: amber.
        ("Seis", amber, "SIDSS-ST", attention, Some(today()), None),
        // Not counted: one of last year.
        ("Viejo", date(2025, 12, 31), "SIDSS-ST", attention, None, None),
    ];
    for (subject, day, unit, instruction, due, closing) in arrivals {
        let folio = document(app, day, subject).await;
        let turn = turned(app, folio, registering, unit, instruction, day, due).await;
        if let Some((status, on)) = closing {
            closed(app, turn, status, on).await;
        }
    }
    // 7. Pending since yesterday with 30 días hábiles ahead: 0 to 5 días old, green.
    let yesterday = today().yesterday().unwrap();
    let seven = document(app, yesterday, "Siete").await;
    turned(
        app,
        seven,
        registering,
        "SIDSS-ST",
        attention,
        yesterday,
        Some(business_days_from_today(app, -30)),
    )
    .await;
    // Not counted: another unit's turn.
    turned(
        app,
        seven,
        registering,
        "SIDSS-CAS",
        attention,
        yesterday,
        None,
    )
    .await;

    // Outgoing documents of the Secretario Técnico: two signed, one of them dispatched, and a
    // draft cancelled.
    let ids = crate::correspondence_outgoing::drafts(app, 3).await;
    let secretario = Api::of(app, "secretario").await;
    for id in &ids[..2] {
        let (status, document) = secretario.sign(*id, 0).await;
        assert_eq!(status, 200, "{document}");
    }
    let outgoing = format!("/api/v1/correspondence/outgoing/{}", ids[0]);
    let (_, signed) = secretario.get(&outgoing).await;
    let (status, document) = secretario
        .post(
            &format!("{outgoing}/dispatch"),
            json!({"version": signed["version"]}),
        )
        .await;
    assert_eq!(status, 200, "{document}");
    let (status, document) = secretario
        .step(ids[2], "cancelar", Some("Se redactó por error"))
        .await;
    assert_eq!(status, 200, "{document}");
}

/// The report's query for the Secretario Técnico this year.
fn period() -> String {
    format!("unidad=SIDSS-ST&desde=2026-01-01&hasta={}", today())
}

async fn api(app: &TestApp, login: &str, query: &str) -> reqwest::Response {
    let token = app.api_token(login).await;
    reqwest::Client::new()
        .get(format!(
            "{}/api/v1/correspondence/reports?{query}",
            app.address
        ))
        .header("authorization", format!("Bearer {token}"))
        .send()
        .await
        .unwrap()
}

async fn the_report_counts_each_turn_in_its_place(app: TestApp) {
    correspondence(&app).await;
    let response = api(&app, "secretario", &period()).await;
    assert_eq!(response.status(), 200);
    let report: Value = response.json().await.unwrap();
    let figures = |r: &Value| {
        [
            "received",
            "answered_in_time",
            "answered_late",
            "read",
            "returned",
            "withdrawn",
            "pending",
            "outgoing_signed",
            "outgoing_dispatched",
            "outgoing_cancelled",
        ]
        .map(|k| r[k].as_u64().unwrap())
    };
    assert_eq!(figures(&report), [6, 1, 1, 1, 0, 0, 3, 2, 1, 1], "{report}");
    let ages: Vec<u64> = report["pending_by_age"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["count"].as_u64().unwrap())
        .collect();
    assert_eq!(ages, [1, 1, 0, 1], "{report}");
    assert_eq!(
        report["pending_by_semaphore"],
        json!({"on_time": 1, "due_soon": 1, "overdue": 1, "no_term": 0})
    );
    // (3 + 6) / 2.
    assert_eq!(report["average_days_to_answer"], json!(4.5));
    assert_eq!(report["units"], json!(["SIDSS-ST"]));

    // With the area below: its own turn counts, the reassignment inside does not.
    let below: Value = api(
        &app,
        "secretario",
        &format!("{}&subordinadas=true", period()),
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(figures(&below), [7, 2, 1, 1, 0, 0, 3, 2, 1, 1], "{below}");
    // (3 + 6 + 2) / 3 = 3.67.
    assert_eq!(below["average_days_to_answer"], json!(3.7));
    assert_eq!(below["units"], json!(["SIDSS-ST", "SIDSS-ST-A"]));
    // Broken down per unit: each turn in the unit it was given to, the lines adding up.
    let lines = below["by_unit"].as_array().unwrap();
    assert_eq!(lines.len(), 2, "{below}");
    assert_eq!(lines[0]["unit"], "SIDSS-ST");
    assert_eq!(
        figures(&lines[0]),
        [6, 1, 1, 1, 0, 0, 3, 2, 1, 1],
        "{below}"
    );
    assert_eq!(lines[0]["average_days_to_answer"], json!(4.5));
    assert_eq!(lines[1]["unit"], "SIDSS-ST-A");
    assert_eq!(
        figures(&lines[1]),
        [1, 1, 0, 0, 0, 0, 0, 0, 0, 0],
        "{below}"
    );
    assert_eq!(lines[1]["average_days_to_answer"], json!(2.0));
    assert_eq!(report["by_unit"], json!([]), "no breakdown for one unit");

    // The units above see it, the consulta role too; another unit's titular does not.
    assert_eq!(api(&app, "consulta", &period()).await.status(), 200);
    assert_eq!(api(&app, "admin", &period()).await.status(), 200);
    let refused = api(&app, "ajeno", &period()).await;
    assert_eq!(refused.status(), 403);
    assert!(!refused.text().await.unwrap().contains("recibidos"));
    // The Coordinación de Asesores is no unit of the Secretario Técnico's: refused.
    let sideways = api(&app, "asesor", &period()).await;
    assert_eq!(sideways.status(), 403);
}

async fn the_report_comes_as_a_page_csv_xlsx_and_pdf(app: TestApp) {
    correspondence(&app).await;
    let secretario = app.signed_in("secretario").await;
    let menu = secretario.text("/correspondencia").await;
    assert!(
        menu.contains("/correspondencia/informes"),
        "reachable from the menu"
    );
    let form = secretario.text("/correspondencia/informes").await;
    assert!(form.contains("Reportes de correspondencia"));
    let query = format!("{}&subordinadas=si", period());
    let page = secretario
        .text(&format!("/correspondencia/informes?{query}"))
        .await;
    for (figure, value) in [
        ("recibidos", "7"),
        ("en-tiempo", "2"),
        ("fuera-de-plazo", "1"),
        ("pendientes", "3"),
        ("promedio", "3.7 días hábiles"),
        ("firmados", "2"),
        ("despachados", "1"),
        ("cancelados", "1"),
    ] {
        assert!(
            page.contains(&format!("data-cifra=\"{figure}\">{value}<")),
            "{figure} {value}: {page}"
        );
    }
    // The breakdown per unit: a table, and a chart that reads its figures.
    assert!(
        page.contains(
            "<tr data-unidad=\"SIDSS-ST-A\"><th scope=\"row\" data-label=\"Unidad\">SIDSS-ST-A "
        ),
        "{page}"
    );
    let row = |code: &str| {
        let start = page
            .find(&format!("<tr data-unidad=\"{code}\">"))
            .unwrap_or_else(|| panic!("{code}: {page}"));
        let row = &page[start..start + page[start..].find("</tr>").unwrap()];
        row.split("<td ")
            .skip(1)
            .map(|cell| {
                let value = &cell[cell.find('>').unwrap() + 1..];
                value[..value.find('<').unwrap()].to_owned()
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(
        row("SIDSS-ST"),
        ["6", "1", "1", "1", "0", "0", "3", "4.5", "2", "1", "1"]
    );
    assert_eq!(
        row("SIDSS-ST-A"),
        ["1", "1", "0", "0", "0", "0", "0", "2.0", "0", "0", "0"]
    );
    assert!(page.contains("<svg"), "{page}");
    assert!(
        page.contains(
            "SIDSS-ST Secretario Técnico: recibidos 6, atendidos en tiempo 1, atendidos fuera de plazo 1"
        ),
        "the chart's description: {page}"
    );

    // CSV: the figures, and the area's name that a spreadsheet would run, neutralized.
    let csv = secretario
        .get(&format!("/correspondencia/informes?{query}&formato=csv"))
        .await;
    assert_eq!(csv.status(), 200);
    assert!(
        crate::common::header(&csv, "content-type").starts_with("text/csv"),
        "a CSV"
    );
    let text = csv.text().await.unwrap();
    assert!(text.contains("Turnos recibidos,7"), "{text}");
    assert!(text.contains("Atendidos fuera de plazo,1"), "{text}");
    assert!(text.contains("más de 20,1"), "{text}");
    assert!(
        text.contains("SIDSS-ST,Secretario Técnico,6,1,1,1,0,0,3,4.5,2,1,1"),
        "{text}"
    );
    // Only the unit asked is named; the area's name shows up in the page's chooser.
    let api_csv = api(
        &app,
        "secretario",
        &format!(
            "unidad=SIDSS-ST-A&desde=2026-01-01&hasta={}&formato=csv",
            today()
        ),
    )
    .await;
    let text = expect_page(api_csv, 200).await;
    assert!(
        text.contains("\"'=HIPERVINCULO(\"\"x\"\") Área del Secretario Técnico\""),
        "neutralized: {text}"
    );
    assert!(!text.contains(",=HIPERVINCULO"), "{text}");

    // XLSX: it opens, with the figures.
    let xlsx = secretario
        .get(&format!("/correspondencia/informes?{query}&formato=xlsx"))
        .await;
    assert_eq!(xlsx.status(), 200);
    let bytes = xlsx.bytes().await.unwrap();
    let sheets = turno_domain::sheet::workbook(&bytes, true).unwrap();
    let cells: Vec<Vec<String>> = sheets[0]
        .rows
        .iter()
        .map(|(_, row)| {
            row.iter()
                .map(|c| turno_domain::sheet::cell_text(c).unwrap())
                .collect()
        })
        .collect();
    let value = |label: &str| {
        cells
            .iter()
            .find(|row| row.first().is_some_and(|c| c == label))
            .map(|row| row[1].clone())
            .unwrap_or_else(|| panic!("{label}: {cells:?}"))
    };
    assert_eq!(value("Turnos recibidos"), "7");
    assert_eq!(value("Atendidos en tiempo"), "2");
    assert_eq!(value("Atendidos fuera de plazo"), "1");
    assert_eq!(value("Promedio de días hábiles para atender"), "3.7");
    assert_eq!(value("Vencido"), "1");
    assert_eq!(value("Cancelados"), "1");
    let area = cells
        .iter()
        .find(|row| row.first().is_some_and(|c| c == "SIDSS-ST-A"))
        .unwrap_or_else(|| panic!("the area's line: {cells:?}"));
    assert_eq!(area[2..5], ["1", "1", "0"], "{area:?}");

    // PDF, from the page and from the API.
    let pdf = secretario
        .get(&format!("/correspondencia/informes?{query}&formato=pdf"))
        .await;
    assert_eq!(pdf.status(), 200);
    assert_eq!(
        crate::common::header(&pdf, "content-type"),
        "application/pdf"
    );
    assert!(pdf.bytes().await.unwrap().starts_with(b"%PDF"));
    let pdf = api(&app, "secretario", &format!("{}&formato=pdf", period())).await;
    assert_eq!(pdf.status(), 200);
    assert!(pdf.bytes().await.unwrap().starts_with(b"%PDF"));

    // Refused forms: every problem next to its field, what was typed kept.
    let refused = secretario
        .get("/correspondencia/informes?unidad=NO-EXISTE&desde=2026-13-01&hasta=2025-01-01")
        .await;
    let page = expect_page(refused, 422).await;
    assert!(page.contains("id=\"e-unidad\""), "{page}");
    assert!(page.contains("La unidad «NO-EXISTE» no existe."), "{page}");
    assert!(page.contains("id=\"e-desde\""), "{page}");
    assert!(page.contains("value=\"2026-13-01\""), "kept: {page}");
    let inverted = secretario
        .get("/correspondencia/informes?unidad=SIDSS-ST&desde=2026-03-01&hasta=2026-02-01")
        .await;
    let page = expect_page(inverted, 422).await;
    assert!(page.contains("id=\"e-hasta\""), "{page}");
    assert!(page.contains("Es anterior a la fecha inicial."), "{page}");
    // The API names the same fields.
    let response = api(
        &app,
        "secretario",
        "unidad=SIDSS-ST&desde=2026-03-01&hasta=2026-02-01",
    )
    .await;
    assert_eq!(response.status(), 422);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["fields"][0]["field"], "hasta", "{body}");

    // Another unit's titular: the page refuses it too.
    let ajeno = app.signed_in("ajeno").await;
    let refused = ajeno
        .get(&format!("/correspondencia/informes?{}", period()))
        .await;
    assert_eq!(refused.status(), 403);
}

on_both_backends! {
    the_report_counts_each_turn_in_its_place,
    the_report_comes_as_a_page_csv_xlsx_and_pdf,
}
