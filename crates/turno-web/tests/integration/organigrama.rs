//! The Organigrama page on both backends, over a small organization with a renamed unit, a
//! moved unit, a merged unit and an outside body: the tree as it was on each date, the unit in
//! focus with its functions, history and SVG chart, and the answers to bad requests.

use crate::common::{TestApp, expect_page, header};
use quick_xml::Reader;
use quick_xml::events::Event;
use std::collections::{BTreeSet, HashMap};

/// On 1 October 2022 the Coordinación de Seguimiento was renamed, the División de Evaluación
/// moved under it, and the Coordinación de Sociedad Civil ceased, its functions going to it.
const ORG: &str = include_str!("../../../turno-domain/tests/fixtures/org/prueba.toml");

const BEFORE: &str = "2022-01-15";
const AFTER: &str = "2023-01-15";

async fn with_organization(app: &TestApp) {
    turno_store::organization::import(&app.store, &[("org.toml", ORG)], "prueba")
        .await
        .expect("the fixture imports");
}

async fn page(app: &TestApp, path: &str) -> String {
    let browser = app.signed_in("consulta").await;
    let response = browser.get(path).await;
    assert_eq!(response.status(), 200, "{path}");
    response.text().await.unwrap()
}

/// The section of the page from the element with this id on.
fn from<'a>(html: &'a str, id: &str) -> &'a str {
    let marker = format!("id=\"{id}\"");
    &html[html.find(&marker).unwrap_or_else(|| panic!("no #{id}"))..]
}

/// Each unit of the tree (from "Estructura" on) and the unit whose list item holds it.
fn parents(html: &str) -> HashMap<String, Option<String>> {
    let mut rest = from(html, "o-estructura");
    let mut open: Vec<Option<String>> = Vec::new();
    let mut found = HashMap::new();
    while let Some((at, token)) = ["<li>", "</li>", "unidad="]
        .iter()
        .filter_map(|token| rest.find(token).map(|at| (at, *token)))
        .min()
    {
        rest = &rest[at + token.len()..];
        match token {
            "<li>" => open.push(None),
            "</li>" => {
                open.pop().expect("balanced list items");
            }
            _ => {
                let code: String = rest
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
                    .collect();
                let above = open.iter().rev().nth(1).cloned().flatten();
                if let Some(item @ None) = open.last_mut() {
                    *item = Some(code.clone());
                    assert!(found.insert(code, above).is_none(), "each unit once");
                }
            }
        }
    }
    assert!(open.is_empty(), "every list item closed");
    found
}

/// The name a tree link shows for a unit.
fn tree_name<'a>(html: &'a str, date: &str, code: &str) -> &'a str {
    let tree = from(html, "o-estructura");
    let link = format!("?fecha={date}&#38;unidad={code}\"");
    let start = tree
        .find(&link)
        .unwrap_or_else(|| panic!("{code} in the tree"))
        + link.len();
    let text = &tree[start..];
    let text = &text[text.find('>').unwrap() + 1..];
    &text[..text.find("</a>").unwrap()]
}

fn parent_of(tree: &HashMap<String, Option<String>>, code: &str) -> Option<String> {
    tree.get(code)
        .unwrap_or_else(|| panic!("{code} in the tree"))
        .clone()
}

async fn the_tree_shows_the_organization_as_it_was(app: TestApp) {
    with_organization(&app).await;

    let before = page(&app, &format!("/organigrama?fecha={BEFORE}")).await;
    let tree = parents(&before);
    assert_eq!(
        tree_name(&before, BEFORE, "PRB-CAP"),
        "Coordinación de Seguimiento a la Operación"
    );
    assert_eq!(parent_of(&tree, "PRB-DIV").as_deref(), Some("PRB-DG"));
    assert_eq!(parent_of(&tree, "PRB-CSC").as_deref(), Some("PRB-DG"));
    assert_eq!(parent_of(&tree, "PRB-DEP").as_deref(), Some("PRB-DIV"));
    assert_eq!(parent_of(&tree, "PRB"), None);
    assert!(before.contains("Estructura al 15/01/2022"));

    let after = page(&app, &format!("/organigrama?fecha={AFTER}")).await;
    let tree = parents(&after);
    assert_eq!(
        tree_name(&after, AFTER, "PRB-CAP"),
        "Coordinación de Análisis y Prospectiva"
    );
    assert_eq!(parent_of(&tree, "PRB-DIV").as_deref(), Some("PRB-CAP"));
    assert!(!tree.contains_key("PRB-CSC"), "the merged unit is gone");
    // Outside bodies come after the agency's units, under their own heading.
    let outside = from(&after, "o-externos");
    assert!(outside.contains("Secretaría de la Función Pública"));
    let structure = from(&after, "o-estructura");
    let agency = &structure[..structure.find("id=\"o-externos\"").unwrap()];
    assert!(!agency.contains("Función Pública"));
    // Without a unit in focus every subtree is folded.
    assert!(!after.contains("<details open"));

    // Today by default, in the agency's time zone.
    let today = crate::common::today();
    let default = page(&app, "/organigrama").await;
    assert!(default.contains(&format!("Estructura al {}", today.strftime("%d/%m/%Y"))));
    assert!(default.contains(&format!("value=\"{today}\"")));
    assert!(default.contains("<label for=\"o-fecha\">Fecha</label>"));
}

async fn the_unit_in_focus_shows_its_functions_history_and_chart(app: TestApp) {
    with_organization(&app).await;

    let html = page(&app, &format!("/organigrama?fecha={AFTER}&unidad=PRB-CAP")).await;
    let panel = &html[..html.find("id=\"o-estructura\"").unwrap()];
    assert!(panel.contains("<h2 id=\"o-unidad\">Coordinación de Análisis y Prospectiva</h2>"));
    assert!(panel.contains("<dd>CAP</dd>") && panel.contains("<dd>Coordinación</dd>"));
    assert!(panel.contains("<dd>1.1</dd>"));
    assert!(panel.contains(&format!(
        "<a href=\"/organigrama?fecha={AFTER}&#38;unidad=PRB-DG\">Dirección General de Operación</a>"
    )));
    assert!(panel.contains(
        "<ol class=\"functions\"><li>Analizar la operación de las unidades.</li><li>Dar seguimiento a los acuerdos &#38; compromisos.</li></ol>"
    ));
    assert!(panel.contains(
        "Desde el 01/10/2022</a>: Coordinación de Análisis y Prospectiva, adscrita a Dirección General de Operación"
    ));
    assert!(panel.contains(
        "Del 03/05/2021 al 30/09/2022</a>: Coordinación de Seguimiento a la Operación, adscrita a Dirección General de Operación"
    ));
    // The path to the unit is unfolded (the unit's own list too), nothing else.
    assert_eq!(
        html.matches("<details open>").count(),
        3,
        "PRB, PRB-DG, PRB-CAP"
    );
    assert!(html.contains(&format!(
        "href=\"/organigrama?fecha={AFTER}&#38;unidad=PRB-CAP\" aria-current=\"true\""
    )));

    // The merged unit on a date it existed: where its functions went, by that date's name.
    let merged = page(&app, &format!("/organigrama?fecha={BEFORE}&unidad=PRB-CSC")).await;
    assert!(merged.contains(&format!(
        "Sus funciones pasaron a <a href=\"/organigrama?fecha={BEFORE}&#38;unidad=PRB-CAP\">Coordinación de Seguimiento a la Operación</a>."
    )));

    // A unit that did not exist yet: said so, with links to the dates it existed.
    let early = page(&app, "/organigrama?fecha=2020-01-01&unidad=PRB-CAP").await;
    assert!(early.contains("Esta unidad no existía el 01/01/2020"));
    assert!(early.contains("href=\"/organigrama?fecha=2021-05-03&#38;unidad=PRB-CAP\""));
    assert!(early.contains("href=\"/organigrama?fecha=2022-10-01&#38;unidad=PRB-CAP\""));
    assert!(
        !early.contains("<svg"),
        "no chart for a unit that did not exist"
    );
}

/// The `data-code`s of the chart's boxes, checking that the SVG is well-formed and titled.
fn chart_boxes(html: &str) -> BTreeSet<String> {
    let start = html.find("<svg").expect("a chart");
    let svg = &html[start..html.find("</svg>").unwrap() + "</svg>".len()];
    let region = &html[..start];
    assert!(region.ends_with(
        "<div class=\"flowchart\" tabindex=\"0\" role=\"region\" aria-label=\"Organigrama de Dirección General de Operación\">"
    ));
    let mut reader = Reader::from_str(svg);
    let mut boxes = BTreeSet::new();
    let mut titled = false;
    loop {
        match reader.read_event().expect("well-formed SVG") {
            Event::Start(element) if element.name().as_ref() == b"g" => {
                if let Some(code) = element
                    .try_get_attribute("data-code")
                    .unwrap()
                    .map(|a| String::from_utf8(a.value.to_vec()).unwrap())
                {
                    assert!(boxes.insert(code), "one box per unit");
                }
            }
            Event::Start(element) if element.name().as_ref() == b"title" => titled = true,
            Event::Eof => break,
            _ => {}
        }
    }
    assert!(titled);
    boxes
}

async fn the_chart_has_a_box_per_unit_of_two_levels(app: TestApp) {
    with_organization(&app).await;
    let codes = |list: &[&str]| list.iter().map(|c| c.to_string()).collect::<BTreeSet<_>>();

    let before = page(&app, &format!("/organigrama?fecha={BEFORE}&unidad=PRB-DG")).await;
    assert_eq!(
        chart_boxes(&before),
        codes(&["PRB-DG", "PRB-CAP", "PRB-DIV", "PRB-CSC", "PRB-DEP"])
    );
    assert!(
        before.contains("<title>Organigrama: Dirección General de Operación al 15/01/2022</title>")
    );

    // Two levels only: the Departamento is now three below.
    let after = page(&app, &format!("/organigrama?fecha={AFTER}&unidad=PRB-DG")).await;
    assert_eq!(
        chart_boxes(&after),
        codes(&["PRB-DG", "PRB-CAP", "PRB-DIV"])
    );
}

async fn bad_requests_are_answered_in_words(app: TestApp) {
    with_organization(&app).await;
    let browser = app.signed_in("consulta").await;

    let response = browser.get("/organigrama?fecha=15/01/2022").await;
    let body = expect_page(response, 400).await;
    assert!(body.contains("El parámetro «fecha»") && body.contains("AAAA-MM-DD"));

    assert_eq!(
        browser.get("/organigrama?fecha=2022-02-30").await.status(),
        400
    );
    assert_eq!(
        browser.get("/organigrama?unidad=NO-EXISTE").await.status(),
        404
    );

    let anonymous = app.browser().get("/organigrama?unidad=PRB").await;
    assert_eq!(anonymous.status(), 303);
    let location = header(&anonymous, "location");
    assert!(
        location.starts_with("/acceso?next=/organigrama"),
        "{location}"
    );
}

on_both_backends! {
    the_tree_shows_the_organization_as_it_was,
    the_unit_in_focus_shows_its_functions_history_and_chart,
    the_chart_has_a_box_per_unit_of_two_levels,
    bad_requests_are_answered_in_words,
}
