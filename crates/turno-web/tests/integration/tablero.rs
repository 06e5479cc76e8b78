//! Tableros on both databases (issue 20, item 1; docs/tableros.md): the figures of a known
//! dataset (`fixtures::fill_tablero`, its cases computed again here from the same rules) for
//! the whole institution and for a unit with the one below it, compared with the period
//! before; every drill-down lists exactly the work its figure counts; a case worked through
//! the pages (a decision that sends it back to an earlier activity counted as a return); the
//! page, its charts and its form refused by field; XLSX parsed back, PDF; who may see which
//! tablero.

use crate::common::{SEED, TestApp, header};
use jiff::ToSpan;
use jiff::civil::{Date, date};
use serde_json::Value;
use std::collections::BTreeSet;
use turno_domain::definition::parse_procedure;
use turno_store::Role;

/// The fill's cases and units.
const CASES: u64 = 2000;
const UNITS: u64 = 20;

/// The first day of the fill (`fixtures::fill_tablero`).
fn first_day() -> Date {
    date(2021, 12, 27)
}

/// A work item of the fill, as its rules make it: its case's folio, its activity, unit, the
/// day it opened and the day it was completed (none: open).
#[derive(Debug, Clone)]
struct Work {
    folio: String,
    activity: &'static str,
    unit: String,
    opened: Date,
    done: Option<Date>,
    returned: bool,
}

fn works() -> Vec<Work> {
    let day = |n: u64| first_day().checked_add((n as i64).days()).unwrap();
    let mut works = Vec::new();
    for i in 0..CASES {
        let received = i % 1800;
        let one_done = received + i % 17;
        let two_done = one_done + i % 23;
        let open_one = received >= 1740 && i % 4 == 0;
        let open_two = received >= 1740 && i % 4 == 1;
        let returned = i % 50 == 7 && !open_one && !open_two;
        let (folio, unit) = (format!("T-{i}"), format!("T{}", i % UNITS));
        let work = |activity, opened, done: Option<u64>, returned| Work {
            folio: folio.clone(),
            activity,
            unit: unit.clone(),
            opened: day(opened),
            done: done.map(day),
            returned,
        };
        works.push(work(
            "1.1",
            received,
            (!open_one).then_some(one_done),
            false,
        ));
        if !open_one {
            works.push(work(
                "1.2",
                one_done,
                (!open_two).then_some(two_done),
                false,
            ));
        }
        if returned {
            works.push(work("1.1", two_done, Some(two_done + 3), true));
        }
    }
    works
}

async fn fill(app: &TestApp) {
    let procedure = parse_procedure(SEED.text).unwrap();
    turno_store::fixtures::fill_tablero(&app.store, &procedure, SEED.text, CASES, UNITS)
        .await
        .unwrap();
    // The director of T1 (T18 is below it), and the head of T2.
    app.add_person("director", "T1", Role::Titular, None).await;
    app.add_person("jefa", "T2", Role::Titular, None).await;
}

async fn get(app: &TestApp, login: &str, path: &str) -> reqwest::Response {
    app.api(login, reqwest::Method::GET, path, None).await
}

async fn json(app: &TestApp, login: &str, path: &str) -> Value {
    let response = get(app, login, path).await;
    assert_eq!(response.status(), 200, "{path}");
    response.json().await.unwrap()
}

fn within(day: Date, from: Date, to: Date) -> bool {
    from <= day && day <= to
}

/// The median and 90th percentile (nearest rank) of días hábiles.
fn percentiles(mut days: Vec<i32>) -> (Value, Value) {
    if days.is_empty() {
        return (Value::Null, Value::Null);
    }
    days.sort();
    let rank = |share: f64| {
        let r = ((share * days.len() as f64).ceil() as usize).clamp(1, days.len());
        Value::from(days[r - 1])
    };
    (rank(0.5), rank(0.9))
}

/// The folios and activities a drill-down lists.
async fn listed(app: &TestApp, login: &str, query: &str) -> BTreeSet<(String, String)> {
    let body = json(app, login, &format!("/api/v1/dashboards/items?{query}")).await;
    assert_eq!(body["complete"], true, "{body}");
    body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["folio"].as_str().unwrap().to_owned(),
                i["activity"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn expected(works: &[&Work]) -> BTreeSet<(String, String)> {
    works
        .iter()
        .map(|w| (w.folio.clone(), w.activity.to_owned()))
        .collect()
}

async fn the_figures_are_those_of_the_work_and_drill_down_to_it(app: TestApp) {
    fill(&app).await;
    let works = works();
    let calendar = app
        .state
        .moment()
        .calendars
        .get(turno_app::deadlines::regime_of(
            &parse_procedure(SEED.text).unwrap(),
            "1.1",
        ))
        .clone();
    // March and April 2022, compared with January and February.
    let (from, to) = (date(2022, 3, 1), date(2022, 4, 30));
    let (before_from, before_to) = (date(2022, 1, 1), date(2022, 2, 28));
    let scope = "desde=2022-03&hasta=2022-04";
    let body = json(&app, "admin", &format!("/api/v1/dashboards?{scope}")).await;
    assert_eq!(body["title"], "Toda la institución");
    assert_eq!(body["previous_from"], "2022-01");
    assert_eq!(body["previous_to"], "2022-02");

    let received = |a: Date, b: Date| -> Vec<&Work> {
        works.iter().filter(|w| within(w.opened, a, b)).collect()
    };
    let done = |a: Date, b: Date| -> Vec<&Work> {
        works
            .iter()
            .filter(|w| w.done.is_some_and(|d| within(d, a, b)))
            .collect()
    };
    let now = received(from, to);
    let before = received(before_from, before_to);
    assert!(now.len() > 50, "a dataset worth the name: {}", now.len());
    assert_eq!(body["received"]["period"], now.len(), "{body}");
    assert_eq!(body["received"]["previous"], before.len(), "{body}");
    let returns = |w: &Vec<&Work>| w.iter().filter(|w| w.returned).count();
    assert!(returns(&now) > 0);
    assert_eq!(body["returned"]["period"], returns(&now), "{body}");
    assert_eq!(body["returned"]["previous"], returns(&before), "{body}");
    let closed = done(from, to);
    assert_eq!(body["completed"]["period"], closed.len(), "{body}");
    assert_eq!(
        body["completed"]["previous"],
        done(before_from, before_to).len()
    );
    // Per month.
    let march = received(from, date(2022, 3, 31));
    assert_eq!(body["months"][0]["month"], "2022-03");
    assert_eq!(body["months"][0]["received"], march.len(), "{body}");
    assert_eq!(
        body["months"][1]["completed"],
        done(date(2022, 4, 1), to).len()
    );
    // Días hábiles per activity: from the day it opened to the day it was completed.
    let days = |w: &&Work| calendar.count_business_days(w.opened, w.done.unwrap());
    for (i, activity) in ["1.1", "1.2"].iter().enumerate() {
        let line = &body["by_activity"][i];
        assert_eq!(line["activity"], *activity, "{body}");
        let mine: Vec<i32> = closed
            .iter()
            .filter(|w| w.activity == *activity)
            .map(days)
            .collect();
        assert_eq!(line["period"]["completed"], mine.len(), "{line}");
        let (median, p90) = percentiles(mine);
        assert_eq!(line["period"]["median"], median, "{line}");
        assert_eq!(line["period"]["p90"], p90, "{line}");
    }
    let (median, p90) = percentiles(closed.iter().map(days).collect());
    assert_eq!(body["business_days"]["period"]["median"], median);
    assert_eq!(body["business_days"]["period"]["p90"], p90);
    // Open now: the work of the last 60 days left open, each due 15 days after it opened, read
    // today as the inbox reads it (red once past due, amber in its last fifth).
    let today = crate::common::today();
    let open: Vec<&Work> = works.iter().filter(|w| w.done.is_none()).collect();
    let color = |w: &&Work| {
        let due = w.opened.checked_add(15.days()).unwrap();
        if today > due {
            "rojo"
        } else if (due - today).get_days() as f64 <= 15.0 * 0.2 {
            "amarillo"
        } else {
            "verde"
        }
    };
    let red: Vec<&Work> = open
        .iter()
        .copied()
        .filter(|w| color(w) == "rojo")
        .collect();
    assert!(!red.is_empty());
    assert_eq!(body["open"]["overdue"], red.len(), "{body}");
    assert_eq!(
        body["open"]["due_soon"],
        open.iter().filter(|w| color(w) == "amarillo").count(),
        "{body}"
    );
    assert_eq!(
        body["open"]["on_time"],
        open.iter().filter(|w| color(w) == "verde").count(),
        "{body}"
    );

    // Every figure lists its work, exactly.
    let drill = |query: &str| format!("{scope}&{query}");
    assert_eq!(
        listed(&app, "admin", &drill("cifra=recibidos")).await,
        expected(&now)
    );
    assert_eq!(
        listed(&app, "admin", &drill("cifra=recibidos&periodo=anterior")).await,
        expected(&before)
    );
    assert_eq!(
        listed(&app, "admin", &drill("cifra=recibidos&mes=2022-03")).await,
        expected(&march)
    );
    let now_returns: Vec<&Work> = now.iter().copied().filter(|w| w.returned).collect();
    assert_eq!(
        listed(&app, "admin", &drill("cifra=devoluciones")).await,
        expected(&now_returns)
    );
    assert_eq!(
        listed(&app, "admin", &drill("cifra=atendidos")).await,
        expected(&closed)
    );
    let closed_two: Vec<&Work> = closed
        .iter()
        .copied()
        .filter(|w| w.activity == "1.2")
        .collect();
    assert_eq!(
        listed(
            &app,
            "admin",
            &drill("cifra=atendidos&de=sidss-informes-oficiales&actividad=1.2")
        )
        .await,
        expected(&closed_two)
    );
    assert_eq!(
        listed(&app, "admin", &drill("cifra=abiertos&semaforo=rojo")).await,
        expected(&red)
    );
    assert_eq!(
        listed(&app, "admin", &drill("cifra=abiertos")).await,
        expected(&open)
    );

    // A unit's tablero: T1 and T18 below it.
    let mine = |w: &&Work| w.unit == "T1" || w.unit == "T18";
    let unit = json(
        &app,
        "director",
        &format!("/api/v1/dashboards?unidad=T1&{scope}"),
    )
    .await;
    assert_eq!(unit["units"], serde_json::json!(["T1", "T18"]), "{unit}");
    let theirs: Vec<&Work> = now.iter().copied().filter(mine).collect();
    assert_eq!(unit["received"]["period"], theirs.len(), "{unit}");
    assert_eq!(
        listed(
            &app,
            "director",
            &format!("unidad=T1&{scope}&cifra=recibidos")
        )
        .await,
        expected(&theirs)
    );
    let t18: Vec<&Work> = theirs.iter().copied().filter(|w| w.unit == "T18").collect();
    assert_eq!(
        listed(
            &app,
            "director",
            &format!("unidad=T1&{scope}&cifra=recibidos&en=T18")
        )
        .await,
        expected(&t18)
    );

    // Who sees what: the head of T2 not T1's, nor the institution's; nor a unit outside T1's
    // through T1's drill-down.
    let path = format!("/api/v1/dashboards?unidad=T1&{scope}");
    assert_eq!(get(&app, "jefa", &path).await.status(), 403);
    assert_eq!(
        get(&app, "jefa", &format!("/api/v1/dashboards?{scope}"))
            .await
            .status(),
        403
    );
    assert_eq!(
        get(
            &app,
            "director",
            &format!("/api/v1/dashboards/items?unidad=T1&{scope}&cifra=recibidos&en=T2")
        )
        .await
        .status(),
        403
    );
    let page = app.signed_in("ajeno").await;
    assert_eq!(
        page.get(&format!("/tableros?unidad=T1&{scope}"))
            .await
            .status(),
        403
    );
    assert_eq!(
        page.get(&format!(
            "/tableros/asuntos?unidad=T1&{scope}&cifra=recibidos"
        ))
        .await
        .status(),
        403
    );
    // A procedure's tablero, for someone who is no administrator: their units' work only.
    let procedure = json(
        &app,
        "director",
        &format!("/api/v1/dashboards?procedimiento=sidss-informes-oficiales&{scope}"),
    )
    .await;
    assert_eq!(procedure["received"]["period"], theirs.len(), "{procedure}");

    // The files: the workbook read back, the PDF with its title.
    let xlsx = get(
        &app,
        "director",
        &format!("/api/v1/dashboards?unidad=T1&{scope}&formato=xlsx"),
    )
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
    let row = |label: &str| {
        cells
            .iter()
            .find(|row| row.first().is_some_and(|c| c == label))
            .cloned()
            .unwrap_or_else(|| panic!("{label}: {cells:?}"))
    };
    assert_eq!(row("Recibidos")[1], theirs.len().to_string());
    assert_eq!(row("Periodo")[1], "marzo de 2022 a abril de 2022");
    let pdf = get(
        &app,
        "director",
        &format!("/api/v1/dashboards?unidad=T1&{scope}&formato=pdf"),
    )
    .await;
    assert_eq!(pdf.status(), 200);
    assert_eq!(header(&pdf, "content-type"), "application/pdf");
    let bytes = pdf.bytes().await.unwrap();
    assert!(bytes.starts_with(b"%PDF") && bytes.len() > 2000);
    assert!(
        bytes.windows(7).any(|w| w == b"Tablero"),
        "the PDF carries its title"
    );
}

async fn a_case_sent_back_counts_as_a_return_on_the_page(app: TestApp) {
    let secretario = app.signed_in("secretario").await;
    let folio = secretario.register_report().await;
    // 1.1 and 2.1 done, 2.2 answers «No»: back to 1.2 (a return), then 2.1 again (no return).
    for outcome in [None, None, Some("No"), None] {
        assert_eq!(secretario.act(&folio, outcome, &[]).await.status(), 303);
    }
    let month = crate::common::today().strftime("%Y-%m").to_string();
    let body = json(
        &app,
        "secretario",
        &format!("/api/v1/dashboards?unidad=SIDSS-ST&desde={month}&hasta={month}"),
    )
    .await;
    assert_eq!(body["received"]["period"], 5, "{body}");
    assert_eq!(body["completed"]["period"], 4, "{body}");
    assert_eq!(body["returned"]["period"], 1, "{body}");
    assert_eq!(body["open"]["on_time"], 1, "{body}");
    assert_eq!(body["returns"][0]["activity"], "1.2", "{body}");
    let scope = format!("unidad=SIDSS-ST&desde={month}&hasta={month}");
    let returned = listed(&app, "secretario", &format!("{scope}&cifra=devoluciones")).await;
    assert_eq!(
        returned,
        BTreeSet::from([(folio.clone(), "1.2".to_owned())])
    );

    // The page: its figures link to their work, its charts read without seeing them.
    let page = secretario.get(&format!("/tableros?{scope}")).await;
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(
        html.contains("<title id=\"grafica-meses-titulo\">"),
        "{html}"
    );
    assert!(html.contains("role=\"img\""));
    assert!(html.contains("/tableros/asuntos?"), "{html}");
    assert!(html.contains("data-cifra=\"devoluciones\""), "{html}");
    // Without a query: the tablero of one's first unit.
    let first = secretario.get("/tableros").await;
    assert_eq!(first.status(), 200);
    assert!(first.text().await.unwrap().contains("SIDSS-ST"));
    let items = secretario
        .get(&format!("/tableros/asuntos?{scope}&cifra=devoluciones"))
        .await;
    assert_eq!(items.status(), 200);
    let html = items.text().await.unwrap();
    assert!(
        html.contains(&format!("href=\"/asuntos/{folio}\"")),
        "{html}"
    );
    assert!(html.contains("Devoluciones para corrección"), "{html}");

    // A form refused: each problem by its field, what was typed kept.
    let refused = secretario
        .get("/tableros?unidad=NO-EXISTE&desde=2026-13&hasta=2026-01")
        .await;
    assert_eq!(refused.status(), 422);
    let html = refused.text().await.unwrap();
    assert!(html.contains("id=\"e-unidad\""), "{html}");
    assert!(html.contains("La unidad «NO-EXISTE» no existe."), "{html}");
    assert!(html.contains("id=\"e-desde\""), "{html}");
    assert!(html.contains("value=\"2026-13\""), "kept: {html}");
    let response = get(
        &app,
        "secretario",
        "/api/v1/dashboards?unidad=SIDSS-ST&desde=2026-05&hasta=2024-01",
    )
    .await;
    assert_eq!(response.status(), 422);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["fields"][0]["field"], "hasta", "{body}");
}

on_both_backends! {
    the_figures_are_those_of_the_work_and_drill_down_to_it,
    a_case_sent_back_counts_as_a_return_on_the_page,
}
