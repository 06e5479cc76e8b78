//! What the record teaches, on both backends (`docs/process-mining.md`): two informes of seed
//! 000, one sent back for corrections (2.2 «No» → 1.2 → 2.1) and one just received; their
//! paths on the page and in the API exactly, for the people of the procedure's units and
//! administrators only; their event log as XES, for administrators only.

use crate::common::{TestApp, expect_page, today};
use serde_json::{Value, json};

const KEY: &str = "sidss-informes-oficiales";

fn find<'a>(moves: &'a [Value], from: &str, to: &str) -> Option<&'a Value> {
    moves.iter().find(|m| m["from"] == from && m["to"] == to)
}

async fn paths_and_the_event_log(app: TestApp) {
    let secretario = app.signed_in("secretario").await;
    let returned = secretario.register_report().await;
    for outcome in [None, None, Some("No"), None] {
        assert_eq!(secretario.act(&returned, outcome, &[]).await.status(), 303);
    }
    let _received = secretario.register_report().await;

    let response = app
        .api(
            "admin",
            reqwest::Method::GET,
            &format!("/api/v1/procedures/{KEY}/paths"),
            None,
        )
        .await;
    assert_eq!(response.status(), 200);
    let report: Value = response.json().await.unwrap();
    assert_eq!(report["cases"], 2);
    let moves = report["moves"].as_array().unwrap();
    let count = |from, to| find(moves, from, to).map(|m| m["count"].clone());
    assert_eq!(count("INICIO", "1.1"), Some(json!(2)));
    assert_eq!(count("1.1", "2.1"), Some(json!(1)));
    assert_eq!(count("2.1", "2.2"), Some(json!(1)));
    assert_eq!(count("2.2", "1.2"), Some(json!(1)));
    assert_eq!(count("1.2", "2.1"), Some(json!(1)));
    // The manual's moves no case made are listed too, with none.
    assert_eq!(count("2.2", "3.1"), Some(json!(0)));
    assert_eq!(count("4.1", "2.1"), Some(json!(0)));
    let back = find(moves, "2.2", "1.2").unwrap();
    assert_eq!(
        (back["returns"].clone(), back["in_manual"].clone()),
        (json!(true), json!(true))
    );
    assert_eq!(find(moves, "1.1", "2.1").unwrap()["returns"], false);
    assert_eq!(
        moves
            .iter()
            .map(|m| m["count"].as_u64().unwrap())
            .sum::<u64>(),
        6
    );
    // Done the day it arrived: 0 días hábiles; the second informe waits at 1.1, the first at 2.1.
    let activity = |number: &str| {
        report["activities"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["key"] == number)
            .unwrap()
            .clone()
    };
    let a11 = activity("1.1");
    assert_eq!(
        (
            a11["finished"].clone(),
            a11["median_days"].clone(),
            a11["p90_days"].clone(),
            a11["open"].clone()
        ),
        (json!(1), json!(0), json!(0), json!(1))
    );
    assert_eq!(activity("2.1")["finished"], 1);
    assert_eq!(activity("2.1")["open"], 1);
    assert_eq!(activity("3.1")["finished"], 0);
    assert_eq!(activity("3.1")["median_days"], Value::Null);
    let units = report["units"].as_array().unwrap();
    assert_eq!(units.len(), 1);
    assert_eq!(units[0]["key"], "SIDSS-ST");
    assert_eq!(
        (units[0]["finished"].clone(), units[0]["open"].clone()),
        (json!(4), json!(2))
    );

    // A period: the cases started in it.
    let day = today();
    let tomorrow = day.tomorrow().unwrap();
    let response = app
        .api(
            "secretario",
            reqwest::Method::GET,
            &format!("/api/v1/procedures/{KEY}/paths?from={tomorrow}&to="),
            None,
        )
        .await;
    assert_eq!(response.status(), 200);
    let later: Value = response.json().await.unwrap();
    assert_eq!(later["cases"], 0);
    let response = app
        .api(
            "secretario",
            reqwest::Method::GET,
            &format!("/api/v1/procedures/{KEY}/paths?from={tomorrow}&to={day}"),
            None,
        )
        .await;
    assert_eq!(response.status(), 400);
    // Someone of another unit sees nothing of it.
    let response = app
        .api(
            "ajeno",
            reqwest::Method::GET,
            &format!("/api/v1/procedures/{KEY}/paths"),
            None,
        )
        .await;
    assert_eq!(response.status(), 403);

    // The page: the flowchart with the figures, and the tables.
    let page = secretario
        .text(&format!(
            "/procedimientos/{KEY}/recorrido?desde={day}&hasta={day}"
        ))
        .await;
    assert!(page.contains("data-from=\"2.2\" data-to=\"1.2\""), "{page}");
    assert!(page.contains("×1"), "{page}");
    assert!(page.contains("data-cifra=\"asuntos\">2<"), "{page}");
    assert!(page.contains("Regreso"), "{page}");
    assert!(page.contains("mediana 0 · p90 0 d. háb."), "{page}");
    // Only an administrator is offered the log.
    assert!(!page.contains("recorrido.xes"));
    let ajeno = app.signed_in("ajeno").await;
    let refused = ajeno.get(&format!("/procedimientos/{KEY}/recorrido")).await;
    assert_eq!(refused.status(), 403);
    let refused = secretario
        .get(&format!("/procedimientos/{KEY}/recorrido.xes"))
        .await;
    assert_eq!(refused.status(), 403);

    // The event log, for administrators.
    let response = app
        .api(
            "admin",
            reqwest::Method::GET,
            &format!("/api/v1/event-log?procedure={KEY}"),
            None,
        )
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()["content-type"].to_str().unwrap(),
        "application/xml"
    );
    let xes = response.text().await.unwrap();
    assert_eq!(xes.matches("<trace>").count(), 2, "{xes}");
    assert!(xes.contains(&format!(
        "<string key=\"concept:name\" value=\"{returned}\"/>"
    )));
    assert!(xes.contains("<string key=\"outcome\" value=\"No\"/>"));
    assert!(xes.contains("<string key=\"org:resource\" value=\"secretario\"/>"));
    assert!(xes.trim_end().ends_with("</log>"));
    let admin = app.signed_in("admin").await;
    let download = admin
        .get(&format!(
            "/procedimientos/{KEY}/recorrido.xes?desde={tomorrow}&hasta="
        ))
        .await;
    let empty = expect_page(download, 200).await;
    assert_eq!(empty.matches("<trace>").count(), 0);
    assert!(empty.trim_end().ends_with("</log>"));
    let refused = app
        .api(
            "secretario",
            reqwest::Method::GET,
            "/api/v1/event-log",
            None,
        )
        .await;
    assert_eq!(refused.status(), 403);
    let unknown = app
        .api(
            "admin",
            reqwest::Method::GET,
            "/api/v1/event-log?procedure=no-existe",
            None,
        )
        .await;
    assert_eq!(unknown.status(), 404);
}

on_both_backends!(paths_and_the_event_log);
