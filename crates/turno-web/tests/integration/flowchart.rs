//! The flowchart SVG of every seed procedure: well-formed XML, one lane per responsible, every
//! activity, decisions as diamonds with their answers, returns, expiry paths and ends, the
//! current activities highlighted, and every text escaped.

use quick_xml::Reader;
use quick_xml::events::Event;
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::{Arc, OnceLock};
use turno_domain::definition::{ActivityId, Assignment, Exit, Procedure, Route};
use turno_domain::library::{Library, Source};
use turno_web::flowchart::{render, render_shared};

pub fn library() -> &'static Library {
    static LIBRARY: OnceLock<Library> = OnceLock::new();
    LIBRARY.get_or_init(|| {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../procedures");
        let mut files: Vec<(String, String)> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("reading {}: {e}", dir.display()))
            .map(|entry| entry.expect("directory entry").path())
            .filter(|path| path.extension().is_some_and(|e| e == "toml"))
            .map(|path| {
                let text = std::fs::read_to_string(&path)
                    .unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
                (path.display().to_string(), text)
            })
            .collect();
        files.sort();
        let sources: Vec<Source> = files
            .iter()
            .map(|(name, text)| Source { name, text })
            .collect();
        let library = Library::load(&sources).unwrap_or_else(|problems| {
            panic!(
                "the seed library loads: {}",
                problems
                    .iter()
                    .map(|p| p.to_string())
                    .collect::<Vec<_>>()
                    .join("\n")
            )
        });
        assert!(library.len() >= 15, "the seed library has its procedures");
        library
    })
}

pub fn procedure(key: &str) -> Arc<Procedure> {
    library()
        .latest(key)
        .unwrap_or_else(|| panic!("procedure {key} is in the library"))
        .clone()
}

// ------------------------------------------------------------------ a small DOM over quick-xml

#[derive(Debug)]
struct Element {
    name: String,
    attrs: BTreeMap<String, String>,
    children: Vec<usize>,
    /// Text directly inside the element (references resolved).
    text: String,
}

struct Doc {
    elements: Vec<Element>,
}

impl Doc {
    /// Parses the SVG, failing the test on anything that is not well-formed XML.
    fn parse(svg: &str) -> Doc {
        let mut reader = Reader::from_str(svg);
        reader.config_mut().check_end_names = true;
        let mut elements: Vec<Element> = Vec::new();
        let mut stack: Vec<usize> = Vec::new();
        let mut roots = 0;
        loop {
            let event = reader
                .read_event()
                .unwrap_or_else(|e| panic!("well-formed at {}: {e}", reader.buffer_position()));
            match event {
                Event::Start(ref start) | Event::Empty(ref start) => {
                    let name = String::from_utf8(start.name().as_ref().to_vec()).expect("utf-8");
                    let mut attrs = BTreeMap::new();
                    for attr in start.attributes() {
                        let attr = attr.unwrap_or_else(|e| panic!("attribute of <{name}>: {e}"));
                        let key = String::from_utf8(attr.key.as_ref().to_vec()).expect("utf-8");
                        let value = attr
                            .unescape_value()
                            .unwrap_or_else(|e| panic!("value of {key} in <{name}>: {e}"))
                            .into_owned();
                        assert!(
                            attrs.insert(key.clone(), value).is_none(),
                            "attribute {key} repeated in <{name}>"
                        );
                    }
                    let index = elements.len();
                    elements.push(Element {
                        name,
                        attrs,
                        children: Vec::new(),
                        text: String::new(),
                    });
                    match stack.last() {
                        Some(&parent) => elements[parent].children.push(index),
                        None => roots += 1,
                    }
                    if matches!(event, Event::Start(_)) {
                        stack.push(index);
                    }
                }
                Event::End(_) => {
                    stack.pop().expect("an end tag closes an open element");
                }
                Event::Text(text) => {
                    let text = text.decode().expect("utf-8 text");
                    match stack.last() {
                        Some(&open) => elements[open].text.push_str(&text),
                        None => assert!(text.trim().is_empty(), "text outside the root"),
                    }
                }
                Event::GeneralRef(reference) => {
                    let resolved = if reference.is_char_ref() {
                        reference
                            .resolve_char_ref()
                            .expect("valid character reference")
                            .expect("a character")
                            .to_string()
                    } else {
                        match reference.decode().expect("utf-8").as_ref() {
                            "amp" => "&".to_owned(),
                            "lt" => "<".to_owned(),
                            "gt" => ">".to_owned(),
                            "quot" => "\"".to_owned(),
                            "apos" => "'".to_owned(),
                            other => panic!("undefined entity &{other};"),
                        }
                    };
                    let open = *stack.last().expect("references inside an element");
                    elements[open].text.push_str(&resolved);
                }
                Event::CData(_) | Event::PI(_) | Event::DocType(_) => {
                    panic!("unexpected {event:?}")
                }
                Event::Decl(_) | Event::Comment(_) => {}
                Event::Eof => break,
            }
        }
        assert!(stack.is_empty(), "every element is closed");
        assert_eq!(roots, 1, "one root element");
        assert_eq!(elements[0].name, "svg");
        Doc { elements }
    }

    fn root(&self) -> &Element {
        &self.elements[0]
    }

    fn all(&self) -> impl Iterator<Item = &Element> {
        self.elements.iter()
    }

    fn with_class<'a>(&'a self, class: &'a str) -> impl Iterator<Item = &'a Element> + 'a {
        self.all().filter(move |e| has_class(e, class))
    }

    fn child<'a>(&'a self, e: &'a Element, name: &str) -> Option<&'a Element> {
        e.children
            .iter()
            .map(|&i| &self.elements[i])
            .find(|c| c.name == name)
    }

    fn descendants<'a>(&'a self, e: &'a Element) -> Vec<&'a Element> {
        let mut out = Vec::new();
        let mut todo: Vec<usize> = e.children.iter().rev().copied().collect();
        while let Some(i) = todo.pop() {
            let element = &self.elements[i];
            out.push(element);
            todo.extend(element.children.iter().rev().copied());
        }
        out
    }

    /// The text of an element and its descendants, `<tspan>` lines joined by spaces.
    fn text_of(&self, e: &Element) -> String {
        let mut parts = vec![e.text.clone()];
        for d in self.descendants(e) {
            parts.push(d.text.clone());
        }
        parts
            .iter()
            .map(|p| p.trim())
            .filter(|p| !p.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// The visible texts under an element (not its `<title>` tooltips).
    fn visible_texts(&self, e: &Element) -> Vec<String> {
        self.descendants(e)
            .into_iter()
            .filter(|d| d.name == "text")
            .map(|t| self.text_of(t))
            .collect()
    }

    fn activity(&self, number: &str) -> &Element {
        self.with_class("activity")
            .find(|e| e.attrs.get("data-activity").map(String::as_str) == Some(number))
            .unwrap_or_else(|| panic!("activity {number} is drawn"))
    }

    fn edges_from<'a>(&'a self, number: &'a str) -> impl Iterator<Item = &'a Element> + 'a {
        self.with_class("edge")
            .filter(move |e| e.attrs.get("data-from").map(String::as_str) == Some(number))
    }
}

fn has_class(e: &Element, class: &str) -> bool {
    e.attrs
        .get("class")
        .is_some_and(|c| c.split_whitespace().any(|c| c == class))
}

/// Every participant that is responsible for, or a candidate of, some activity, in order of
/// first appearance.
fn responsible_in_order(procedure: &Procedure) -> Vec<String> {
    let mut keys: Vec<String> = Vec::new();
    for activity in &procedure.activities {
        let candidates: Vec<String> = match &activity.assignment {
            Assignment::Fixed(ids) => ids
                .iter()
                .map(|id| procedure.participant(*id).key.clone())
                .collect(),
            Assignment::FromField(field) => procedure.field(*field).options.clone(),
        };
        for key in candidates {
            if !keys.contains(&key) {
                keys.push(key);
            }
        }
    }
    keys
}

fn number_attr(value: &str) -> f64 {
    value
        .parse()
        .unwrap_or_else(|_| panic!("a number: {value}"))
}

// ------------------------------------------------------------------ tests

#[test]
fn every_procedure_renders_well_formed_svg_with_and_without_a_highlight() {
    for procedure in library().iter() {
        let middle = ActivityId((procedure.activities.len() / 2) as u16);
        for current in [vec![], vec![procedure.first_activity()], vec![middle]] {
            let svg = render(procedure, &current);
            let doc = Doc::parse(&svg);
            let root = doc.root();
            assert_eq!(
                root.attrs.get("xmlns").map(String::as_str),
                Some("http://www.w3.org/2000/svg")
            );
            assert_eq!(root.attrs.get("role").map(String::as_str), Some("img"));
            let viewbox = root.attrs.get("viewBox").expect("a viewBox");
            assert!(viewbox.starts_with("0 0 "), "{viewbox}");
            let title = doc.child(root, "title").expect("the svg has a title");
            assert!(
                title.text.contains(&procedure.title),
                "{}: title {:?}",
                procedure.key,
                title.text
            );
            let desc = doc.child(root, "desc").expect("the svg has a description");
            assert!(desc.text.contains("carril"), "{}", desc.text);
            assert!(
                desc.text
                    .contains(&format!("{} actividades", procedure.activities.len())),
                "{}",
                desc.text
            );
            assert!(
                !doc.all()
                    .any(|e| e.name == "script" || e.name == "style" || e.name == "image"),
                "no scripts, style elements or external images"
            );
            assert!(!svg.contains("href"), "no external references");
        }
    }
}

#[test]
fn one_lane_per_responsible_participant_in_order_of_appearance() {
    for procedure in library().iter() {
        let doc = Doc::parse(&render(procedure, &[]));
        let lanes: Vec<&Element> = doc.with_class("lane").collect();
        let keys: Vec<String> = lanes
            .iter()
            .map(|lane| lane.attrs["data-participant"].clone())
            .collect();
        assert_eq!(
            keys,
            responsible_in_order(procedure),
            "{}: lanes",
            procedure.key
        );
        for lane in lanes {
            let key = &lane.attrs["data-participant"];
            let participant = procedure.participant(procedure.participant_by_key(key).unwrap());
            let texts = doc.visible_texts(lane);
            assert_eq!(
                texts.first().map(String::as_str),
                Some(participant.name.as_str()),
                "{}: the header of lane {key} has the participant's name",
                procedure.key
            );
            assert!(
                texts.iter().any(|t| t.starts_with(key.as_str())),
                "{}: the header of lane {key} has its key",
                procedure.key
            );
        }
    }
}

#[test]
fn every_activity_appears_with_its_number_and_full_text() {
    for procedure in library().iter() {
        let doc = Doc::parse(&render(procedure, &[]));
        assert_eq!(
            doc.with_class("activity").count(),
            procedure.activities.len(),
            "{}",
            procedure.key
        );
        for activity in &procedure.activities {
            let group = doc.activity(&activity.number);
            let texts = doc.visible_texts(group);
            assert_eq!(
                texts.first(),
                Some(&activity.number),
                "{}: the box of {} starts with its number",
                procedure.key,
                activity.number
            );
            let title = doc.child(group, "title").expect("a tooltip");
            assert!(
                title.text.contains(&activity.text),
                "{}: the tooltip of {} holds its whole text",
                procedure.key,
                activity.number
            );
            let rect = doc
                .descendants(group)
                .into_iter()
                .find(|e| e.name == "rect")
                .expect("a box");
            assert!(number_attr(&rect.attrs["width"]) > 100.0);
        }
    }
}

#[test]
fn decisions_are_diamonds_with_their_answers() {
    let mut decisions = 0;
    for procedure in library().iter() {
        let doc = Doc::parse(&render(procedure, &[]));
        for activity in &procedure.activities {
            let Route::Decide { question, branches } = &activity.route else {
                assert!(
                    !doc.descendants(doc.activity(&activity.number))
                        .iter()
                        .any(|e| has_class(e, "decision")),
                    "{}: {} is not a decision",
                    procedure.key,
                    activity.number
                );
                continue;
            };
            decisions += 1;
            let group = doc.activity(&activity.number);
            let diamond = doc
                .descendants(group)
                .into_iter()
                .find(|e| e.name == "polygon" && has_class(e, "decision"))
                .unwrap_or_else(|| panic!("{}: {} has a diamond", procedure.key, activity.number));
            assert_eq!(diamond.attrs["points"].split_whitespace().count(), 4);
            let shown = doc
                .descendants(group)
                .into_iter()
                .find(|e| e.name == "text" && has_class(e, "decision-question"))
                .map(|t| doc.text_of(t))
                .expect("the question is written in the diamond");
            let words_shown = shown.trim_end_matches('…');
            assert!(
                question.starts_with(words_shown.split(' ').next().unwrap()),
                "{}: {shown:?} is the question {question:?}",
                procedure.key
            );
            let labels: Vec<String> = doc
                .edges_from(&activity.number)
                .flat_map(|edge| doc.visible_texts(edge))
                .collect();
            for branch in branches {
                assert!(
                    labels.contains(&branch.answer),
                    "{}: the branch «{}» of {} is labeled ({labels:?})",
                    procedure.key,
                    branch.answer,
                    activity.number
                );
            }
        }
    }
    assert!(decisions > 10, "the library has decisions ({decisions})");
}

#[test]
fn every_exit_is_an_arrow_and_every_end_a_terminator() {
    for procedure in library().iter() {
        let doc = Doc::parse(&render(procedure, &[]));
        let terminators: Vec<String> = doc
            .with_class("terminator")
            .map(|t| doc.visible_texts(t).join(" "))
            .collect();
        assert_eq!(
            terminators.iter().filter(|t| *t == "INICIO").count(),
            1,
            "{}",
            procedure.key
        );
        let activities_ending = procedure
            .activities
            .iter()
            .filter(|a| a.successors().any(|e| e == Exit::End))
            .count();
        assert_eq!(
            terminators
                .iter()
                .filter(|t| *t == "TERMINA PROCEDIMIENTO")
                .count(),
            activities_ending,
            "{}: one terminator per activity that may end",
            procedure.key
        );
        for activity in &procedure.activities {
            let targets: Vec<String> = doc
                .edges_from(&activity.number)
                .map(|e| e.attrs["data-to"].clone())
                .collect();
            for exit in activity.successors() {
                let expected = match exit {
                    Exit::Goto(id) => procedure.activity(id).number.clone(),
                    Exit::End => "TERMINA".to_owned(),
                };
                assert!(
                    targets.contains(&expected),
                    "{}: an arrow from {} to {expected} ({targets:?})",
                    procedure.key,
                    activity.number
                );
            }
        }
    }
}

#[test]
fn returns_are_routed_on_the_side_and_expiry_paths_are_dashed_and_labeled() {
    let sidss = procedure("sidss-informes-oficiales");
    let doc = Doc::parse(&render(&sidss, &[]));
    let returns: Vec<(String, String)> = doc
        .with_class("edge-return")
        .map(|e| (e.attrs["data-from"].clone(), e.attrs["data-to"].clone()))
        .collect();
    assert_eq!(
        returns,
        vec![
            ("2.2".to_owned(), "1.2".to_owned()),
            ("4.1".to_owned(), "2.1".to_owned())
        ]
    );
    // A return climbs left of every lane.
    let lanes_left = doc
        .with_class("lane")
        .flat_map(|lane| doc.descendants(lane))
        .filter(|e| e.name == "rect")
        .map(|r| number_attr(&r.attrs["x"]))
        .fold(f64::INFINITY, f64::min);
    for edge in doc.with_class("edge-return") {
        let path = doc
            .descendants(edge)
            .into_iter()
            .find(|e| e.name == "path")
            .expect("a path");
        let xs: Vec<f64> = path.attrs["d"]
            .split(['M', 'L'])
            .filter_map(|p| p.split_whitespace().next())
            .map(number_attr)
            .collect();
        assert!(
            xs.iter().any(|x| *x < lanes_left),
            "the return {:?} runs beside the lanes (left of {lanes_left})",
            path.attrs["d"]
        );
    }

    let cnpss94 = procedure("cnpss-94");
    let doc = Doc::parse(&render(&cnpss94, &[]));
    let expiries: Vec<&Element> = doc.with_class("edge-expiry").collect();
    let expected = cnpss94
        .activities
        .iter()
        .filter(|a| a.deadline.as_ref().is_some_and(|d| d.on_expiry.is_some()))
        .count();
    assert_eq!(expiries.len(), expected);
    let from_13_1 = expiries
        .iter()
        .find(|e| e.attrs["data-from"] == "13.1")
        .expect("the expiry path of 13.1");
    assert_eq!(from_13_1.attrs["data-to"], "13.3");
    assert_eq!(doc.visible_texts(from_13_1), vec!["45 días hábiles"]);
    let path = doc
        .descendants(from_13_1)
        .into_iter()
        .find(|e| e.name == "path")
        .unwrap();
    assert!(path.attrs.contains_key("stroke-dasharray"), "dashed");
}

#[test]
fn several_responsible_and_chosen_units_span_their_lanes() {
    // cnpss-94 3.1: the four Direcciones Generales, in parallel.
    let cnpss94 = procedure("cnpss-94");
    let doc = Doc::parse(&render(&cnpss94, &[]));
    let lane_x = |doc: &Doc, key: &str| -> (f64, f64) {
        let lane = doc
            .with_class("lane")
            .find(|l| l.attrs["data-participant"] == key)
            .unwrap_or_else(|| panic!("lane {key}"));
        let rect = doc.child(lane, "rect").expect("the lane's rect");
        let x = number_attr(&rect.attrs["x"]);
        (x, x + number_attr(&rect.attrs["width"]))
    };
    let box_x = |doc: &Doc, number: &str| -> (f64, f64) {
        let rect = doc.child(doc.activity(number), "rect").expect("the box");
        let x = number_attr(&rect.attrs["x"]);
        (x, x + number_attr(&rect.attrs["width"]))
    };
    let (left, right) = box_x(&doc, "3.1");
    assert!(left > lane_x(&doc, "DGAO").0 && left < lane_x(&doc, "DGAO").1);
    assert!(right > lane_x(&doc, "DGPO").0 && right < lane_x(&doc, "DGPO").1);
    assert!(
        doc.visible_texts(doc.activity("3.1"))
            .iter()
            .any(|t| t.contains("En paralelo")),
        "a parallel activity says so"
    );

    // dgri: chosen in a participants field: the candidates' lanes.
    let dgri = procedure("dgri-compromisos-internacionales");
    let doc = Doc::parse(&render(&dgri, &[]));
    let chosen = dgri
        .activities
        .iter()
        .find(|a| matches!(a.assignment, Assignment::FromField(_)))
        .expect("an activity with responsible_from");
    let Assignment::FromField(field) = chosen.assignment else {
        unreachable!()
    };
    let options = &dgri.field(field).options;
    let (left, right) = box_x(&doc, &chosen.number);
    assert!(left > lane_x(&doc, &options[0]).0 && left < lane_x(&doc, &options[0]).1);
    let last = options.last().unwrap();
    assert!(right > lane_x(&doc, last).0 && right < lane_x(&doc, last).1);
    assert!(
        doc.visible_texts(doc.activity(&chosen.number))
            .iter()
            .any(|t| t.contains(&dgri.field(field).label)),
        "the box names the field the unit is chosen in"
    );

    // cnpss-100 3.1: candidates not side by side (DGCEF is the first lane): a marker in the
    // other lane and the key on the box.
    let cnpss100 = procedure("cnpss-100");
    let doc = Doc::parse(&render(&cnpss100, &[]));
    let group = doc.activity("3.1");
    assert!(
        doc.visible_texts(group)
            .iter()
            .any(|t| t.contains("También: DGCEF"))
    );
    let marker = doc
        .descendants(group)
        .into_iter()
        .find(|e| has_class(e, "lane-marker"))
        .expect("a marker in the other lane");
    let rect = doc.child(marker, "rect").unwrap();
    let x = number_attr(&rect.attrs["x"]);
    let (dgcef_left, dgcef_right) = lane_x(&doc, "DGCEF");
    assert!(x > dgcef_left && x < dgcef_right);
}

#[test]
fn the_current_activities_are_highlighted_not_by_color_alone() {
    for procedure in library().iter() {
        let plain = Doc::parse(&render(procedure, &[]));
        assert_eq!(plain.with_class("current").count(), 0, "{}", procedure.key);
        let last = ActivityId((procedure.activities.len() - 1) as u16);
        let current = [procedure.first_activity(), last];
        let doc = Doc::parse(&render(procedure, &current));
        let highlighted: Vec<&Element> = doc.with_class("current").collect();
        assert_eq!(highlighted.len(), 2, "{}", procedure.key);
        for (element, id) in highlighted.iter().zip(current) {
            let number = &procedure.activity(id).number;
            assert!(has_class(element, "activity"));
            assert_eq!(&element.attrs["data-activity"], number);
            let rect = doc.child(element, "rect").unwrap();
            assert!(number_attr(&rect.attrs["stroke-width"]) >= 3.0, "thicker");
            assert!(
                doc.visible_texts(element)
                    .iter()
                    .any(|t| t == "◀ actual" || t == "actual ▶"),
                "{}: {number} is marked in words",
                procedure.key
            );
            let desc = doc.child(doc.root(), "desc").unwrap();
            assert!(desc.text.contains("actual"), "{}", desc.text);
            assert!(desc.text.contains(number.as_str()));
        }
    }
}

#[test]
fn ids_outside_the_procedure_are_ignored() {
    let sidss = procedure("sidss-informes-oficiales");
    let svg = render(&sidss, &[ActivityId(999)]);
    let doc = Doc::parse(&svg);
    assert_eq!(doc.with_class("current").count(), 0);
}

#[test]
fn texts_with_guillemets_ampersands_and_angle_brackets_are_escaped() {
    let mut tricky: Procedure = (*procedure("sidss-informes-oficiales")).clone();
    tricky.title = "Informes «oficiales» & <urgentes> \"SIDSS\" 'CAS'".to_owned();
    let st = tricky.participant_by_key("ST").unwrap();
    tricky.participants[usize::from(st.0)].name = "Secretario <Técnico> & «Adjunto»".to_owned();
    tricky.activities[0].text = "Recibe «informes» & oficios <sin número> \"urgentes\"".to_owned();
    if let Route::Decide { question, branches } = &mut tricky.activities[3].route {
        *question = "¿Procede <el> informe & «anexo»?".to_owned();
        branches[0].answer = "No <aún>".to_owned();
    } else {
        panic!("2.2 is a decision");
    }
    let svg = render(&tricky, &[ActivityId(0)]);
    assert!(svg.contains("&amp;") && svg.contains("&lt;") && svg.contains("&gt;"));
    assert!(!svg.contains("<Técnico>") && !svg.contains("<urgentes>") && !svg.contains("<aún>"));
    let doc = Doc::parse(&svg);
    let title = doc.child(doc.root(), "title").unwrap();
    assert!(title.text.contains(&tricky.title), "{}", title.text);
    let desc = doc.child(doc.root(), "desc").unwrap();
    assert!(desc.text.contains("Secretario <Técnico> & «Adjunto»"));
    let lane = doc.with_class("lane").next().unwrap();
    assert_eq!(
        doc.visible_texts(lane)[0],
        "Secretario <Técnico> & «Adjunto»"
    );
    let first = doc.activity("1.1");
    assert!(
        doc.child(first, "title")
            .unwrap()
            .text
            .contains(&tricky.activities[0].text)
    );
    assert!(
        doc.visible_texts(first)
            .iter()
            .any(|t| t.contains("Recibe «informes» & oficios <sin"))
    );
    let labels: Vec<String> = doc
        .edges_from("2.2")
        .flat_map(|e| doc.visible_texts(e))
        .collect();
    assert!(labels.contains(&"No <aún>".to_owned()), "{labels:?}");
}

#[test]
fn the_same_input_gives_the_same_svg() {
    for procedure in library().iter() {
        let current = [ActivityId(1)];
        assert_eq!(render(procedure, &current), render(procedure, &current));
    }
}

#[test]
fn width_grows_with_the_lanes_and_height_with_the_activities() {
    let size = |p: &Procedure| {
        let doc = Doc::parse(&render(p, &[]));
        (
            number_attr(&doc.root().attrs["width"]),
            number_attr(&doc.root().attrs["height"]),
        )
    };
    let small = procedure("sidss-informes-oficiales");
    let large = procedure("cnpss-94");
    let (small_w, small_h) = size(&small);
    let (large_w, large_h) = size(&large);
    assert!(large_w > small_w + 5.0 * 150.0, "{small_w} → {large_w}");
    assert!(large_h > small_h * 4.0, "{small_h} → {large_h}");

    // One more activity, one more row.
    let mut longer: Procedure = (*small).clone();
    let mut extra = longer.activities.last().unwrap().clone();
    extra.number = "5.3".to_owned();
    longer.activities.push(extra);
    let (_, longer_h) = size(&longer);
    assert!(longer_h > small_h + 40.0, "{small_h} → {longer_h}");
}

#[test]
fn shapes_do_not_overlap_and_stay_on_the_canvas() {
    for procedure in library().iter() {
        let last = ActivityId((procedure.activities.len() - 1) as u16);
        let doc = Doc::parse(&render(procedure, &[last]));
        let width = number_attr(&doc.root().attrs["width"]);
        let height = number_attr(&doc.root().attrs["height"]);
        let rect_box = |e: &Element| {
            let x = number_attr(&e.attrs["x"]);
            let y = number_attr(&e.attrs["y"]);
            (
                x,
                y,
                x + number_attr(&e.attrs["width"]),
                y + number_attr(&e.attrs["height"]),
            )
        };
        let mut shapes: Vec<(String, (f64, f64, f64, f64))> = Vec::new();
        for e in doc.all() {
            if e.name == "rect" && has_class(e, "activity-box") {
                shapes.push(("box".to_owned(), rect_box(e)));
            }
            if e.name == "polygon" && has_class(e, "decision") {
                let ps: Vec<(f64, f64)> = e.attrs["points"]
                    .split_whitespace()
                    .map(|p| {
                        let (x, y) = p.split_once(',').unwrap();
                        (number_attr(x), number_attr(y))
                    })
                    .collect();
                let xs = ps.iter().map(|p| p.0);
                let ys = ps.iter().map(|p| p.1);
                shapes.push((
                    "diamond".to_owned(),
                    (
                        xs.clone().fold(f64::INFINITY, f64::min),
                        ys.clone().fold(f64::INFINITY, f64::min),
                        xs.fold(f64::NEG_INFINITY, f64::max),
                        ys.fold(f64::NEG_INFINITY, f64::max),
                    ),
                ));
            }
            if has_class(e, "terminator") || has_class(e, "lane-marker") {
                let rect = doc.child(e, "rect").unwrap();
                shapes.push((e.attrs["class"].clone(), rect_box(rect)));
            }
        }
        for (i, (a_kind, a)) in shapes.iter().enumerate() {
            assert!(
                a.0 >= 0.0 && a.1 >= 0.0 && a.2 <= width && a.3 <= height,
                "{}: {a_kind} {a:?} is on the {width}×{height} canvas",
                procedure.key
            );
            for (b_kind, b) in &shapes[i + 1..] {
                let overlap = a.0 < b.2 && b.0 < a.2 && a.1 < b.3 && b.1 < a.3;
                assert!(
                    !overlap,
                    "{}: {a_kind} {a:?} overlaps {b_kind} {b:?}",
                    procedure.key
                );
            }
        }
    }
}

#[test]
fn a_procedure_state_is_drawn_once_and_a_definition_loaded_anew_again() {
    let key = library().iter().next().expect("a procedure").key.clone();
    let procedure = procedure(&key);
    let current = [procedure.first_activity()];
    let first = render_shared(&procedure, &current);
    assert_eq!(&*first, render(&procedure, &current), "the same drawing");
    let again = render_shared(&procedure, &current);
    assert!(Arc::ptr_eq(&first, &again), "not drawn again");
    // Other current activities are another drawing.
    let none = render_shared(&procedure, &[]);
    assert_eq!(&*none, render(&procedure, &[]));
    // The same key and version loaded anew (as from another database) is drawn from itself.
    let reloaded = Arc::new(Procedure::clone(&procedure));
    let redrawn = render_shared(&reloaded, &current);
    assert!(!Arc::ptr_eq(&first, &redrawn));
    assert_eq!(&*redrawn, &*first);
}
