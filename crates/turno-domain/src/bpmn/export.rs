//! A procedure as BPMN 2.0 XML with diagram interchange (BPMNDI), for modelers (bpmn.io,
//! Camunda Modeler) and BPMN engines. `docs/bpmn.md` gives the mapping; in short:
//!
//! - one pool (`collaboration`/`participant`) for the procedure, one `lane` per responsible
//!   participant, in the order they first appear in the activities;
//! - a `userTask` per activity (a `callActivity` when it calls a sub-procedure), named by its
//!   number and the start of its text, with the number and the whole text as `documentation`;
//! - a decision is its task followed by an `exclusiveGateway` holding the question; each answer
//!   is a flow named by it, with the condition `outcome == "Sí"`; a return is a flow back;
//! - a `parallel` activity is a parallel multi-instance task (one instance per responsible);
//! - a deadline is a boundary timer (`P<N>D`) whose Turno attributes (namespace [`TURNO_NS`])
//!   keep what BPMN cannot say: `turno:businessDays` or `turno:naturalDays`, `turno:regime`,
//!   the anchor, `antes`; it interrupts the task and leads to `on_expiry` when the deadline has
//!   one, and does not interrupt it otherwise (the work is overdue and the case waits);
//! - one start event before the first activity, one end event after each way to end.
//!
//! The diagram lays the pool out in horizontal lanes, one column per flow node in the
//! procedure's order. Ids come from the activity numbers (`Activity_2.2`, `Gateway_2.2`), so
//! the same definition always gives the same bytes.

use crate::definition::{
    Activity, ActivityId, Anchor, Assignment, DayKind, Deadline, Exit, Procedure, Route,
};
use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event as Xml};
use std::collections::BTreeSet;

/// The namespace of Turno's extension attributes (`turno:number`, `turno:businessDays`…).
pub const TURNO_NS: &str = "urn:turno:bpmn";
const BPMN_NS: &str = "http://www.omg.org/spec/BPMN/20100524/MODEL";
const BPMNDI_NS: &str = "http://www.omg.org/spec/BPMN/20100524/DI";
const DC_NS: &str = "http://www.omg.org/spec/DD/20100524/DC";
const DI_NS: &str = "http://www.omg.org/spec/DD/20100524/DI";
const XSI_NS: &str = "http://www.w3.org/2001/XMLSchema-instance";

/// The process variable a decision's answer is kept in: its gateway's conditions read it.
pub const OUTCOME_VARIABLE: &str = "outcome";

/// How long a task's name may be before it is cut (the whole text is its documentation).
const NAME_CHARS: usize = 60;

// Geometry of the diagram, in BPMN's pixels; every size is even so that centers are whole.
const ORIGIN: i64 = 20;
const POOL_HEADER: i64 = 30;
const LANE_PAD: i64 = 20;
const LANE_H: i64 = 140;
const COL_W: i64 = 140;
const CHANNEL: i64 = 8;
const TASK: (i64, i64) = (100, 80);
const GATEWAY: (i64, i64) = (50, 50);
const EVENT: (i64, i64) = (36, 36);

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("no se pudo escribir el BPMN: {0}")]
    Write(#[from] std::io::Error),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Start,
    Task(usize),
    Gateway(usize),
    End,
}

#[derive(Debug)]
struct Node {
    id: String,
    kind: Kind,
    name: Option<String>,
    lane: usize,
    column: i64,
}

#[derive(Debug)]
struct Flow {
    id: String,
    /// Index of the node it leaves, or of the timer (in [`Graph::timers`]) when `from_timer`.
    source: usize,
    from_timer: bool,
    target: usize,
    name: Option<String>,
    condition: Option<String>,
    expiry: bool,
}

impl Flow {
    /// An unnamed, unconditional flow between two nodes.
    fn plain(source: usize, target: usize) -> Flow {
        Flow {
            id: String::new(),
            source,
            from_timer: false,
            target,
            name: None,
            condition: None,
            expiry: false,
        }
    }
}

/// Where a flow goes: a node already placed (an end event), or an activity's task.
#[derive(Debug, Clone, Copy)]
enum Target {
    Node(usize),
    Activity(ActivityId),
}

#[derive(Debug)]
struct Timer {
    id: String,
    /// The task (node index) it is attached to.
    task: usize,
    activity: usize,
}

#[derive(Debug)]
struct Lane {
    id: String,
    name: String,
}

#[derive(Debug, Default)]
struct Graph {
    lanes: Vec<Lane>,
    nodes: Vec<Node>,
    flows: Vec<Flow>,
    timers: Vec<Timer>,
}

/// The procedure as a BPMN 2.0 document with its diagram (UTF-8 XML).
pub fn export(procedure: &Procedure) -> Result<String, ExportError> {
    let graph = Graph::build(procedure);
    let bytes = write(procedure, &graph)?;
    // quick-xml writes what it was given, and every piece given is a `str`.
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// The id of an activity's task: `Activity_` and its number, with whatever an XML id may not
/// hold replaced by `_` (numbers are unique in a procedure; a clash after replacing gets the
/// activity's position).
fn activity_ids(procedure: &Procedure) -> Vec<String> {
    let mut seen = BTreeSet::new();
    procedure
        .activities
        .iter()
        .enumerate()
        .map(|(i, a)| {
            let clean = ids_safe(&a.number);
            let id = if seen.contains(&clean) {
                format!("{clean}_{}", i + 1)
            } else {
                clean
            };
            seen.insert(id.clone());
            id
        })
        .collect()
}

/// A task's name: its number and its text, cut at a word before [`NAME_CHARS`].
fn task_name(activity: &Activity) -> String {
    let text = activity.text.trim();
    let short = if text.chars().count() <= NAME_CHARS {
        text.to_owned()
    } else {
        let cut: String = text.chars().take(NAME_CHARS).collect();
        let cut = match cut.rfind(' ') {
            Some(space) if space > NAME_CHARS / 2 => cut[..space].to_owned(),
            _ => cut,
        };
        format!("{}…", cut.trim_end_matches([',', ';', ':', ' ']))
    };
    format!("{} {short}", activity.number)
}

/// `outcome == "Sí"`: the answer as a string literal that Python, FEEL and JUEL read alike.
fn condition(answer: &str) -> String {
    let literal = answer.replace('\\', "\\\\").replace('"', "\\\"");
    format!("{OUTCOME_VARIABLE} == \"{literal}\"")
}

impl Graph {
    fn build(procedure: &Procedure) -> Graph {
        let mut graph = Graph::default();
        let ids = activity_ids(procedure);

        // Lanes: the responsible participants, in the order they first appear.
        let order = procedure.responsible_order();
        graph.lanes = order
            .iter()
            .map(|&id| {
                let participant = procedure.participant(id);
                Lane {
                    id: format!("Lane_{}", ids_safe(&participant.key)),
                    name: participant.name.clone(),
                }
            })
            .collect();
        if graph.lanes.is_empty() {
            graph.lanes.push(Lane {
                id: "Lane_1".into(),
                name: procedure.title.clone(),
            });
        }
        let lane_of = |activity: &Activity| {
            procedure
                .candidates(activity)
                .first()
                .and_then(|first| order.iter().position(|p| p == first))
                .unwrap_or(0)
        };

        // Nodes, one column each, in the procedure's order.
        let mut column = 0;
        let mut push = |graph: &mut Graph, id: String, kind, name, lane| {
            graph.nodes.push(Node {
                id,
                kind,
                name,
                lane,
                column,
            });
            column += 1;
            graph.nodes.len() - 1
        };
        let first_lane = procedure.activities.first().map(&lane_of).unwrap_or(0);
        let start = push(
            &mut graph,
            "StartEvent".into(),
            Kind::Start,
            Some("Inicio".into()),
            first_lane,
        );
        // The task of each activity, its gateway, and the ends that follow them; the flows
        // out of them once every task has its node, a decision's in the order of its answers:
        // (source, target, answer, expiry).
        let mut tasks = Vec::with_capacity(procedure.activities.len());
        let mut pending: Vec<(usize, Target, Option<String>, bool)> = Vec::new();
        for (i, activity) in procedure.activities.iter().enumerate() {
            let lane = lane_of(activity);
            let task = push(
                &mut graph,
                format!("Activity_{}", ids[i]),
                Kind::Task(i),
                Some(task_name(activity)),
                lane,
            );
            tasks.push(task);
            match &activity.route {
                Route::Continue(Exit::End) => {
                    let end = push(
                        &mut graph,
                        format!("EndEvent_{}", ids[i]),
                        Kind::End,
                        Some("Termina procedimiento".into()),
                        lane,
                    );
                    graph.flows.push(Flow::plain(task, end));
                }
                Route::Continue(Exit::Goto(to)) => {
                    pending.push((task, Target::Activity(*to), None, false));
                }
                Route::Decide { question, branches } => {
                    let gateway = push(
                        &mut graph,
                        format!("Gateway_{}", ids[i]),
                        Kind::Gateway(i),
                        Some(question.clone()),
                        lane,
                    );
                    graph.flows.push(Flow::plain(task, gateway));
                    for (b, branch) in branches.iter().enumerate() {
                        let to = match branch.exit {
                            Exit::End => Target::Node(push(
                                &mut graph,
                                format!("EndEvent_{}_{}", ids[i], b + 1),
                                Kind::End,
                                Some("Termina procedimiento".into()),
                                lane,
                            )),
                            Exit::Goto(to) => Target::Activity(to),
                        };
                        pending.push((gateway, to, Some(branch.answer.clone()), branch.expiry));
                    }
                }
            }
            if activity.deadline.is_some() {
                graph.timers.push(Timer {
                    id: format!("Timer_{}", ids[i]),
                    task,
                    activity: i,
                });
            }
        }
        // Flows to activities, now that every task has its node.
        if let Some(&first) = tasks.first() {
            graph.flows.push(Flow::plain(start, first));
        }
        for (source, to, answer, expiry) in pending {
            let target = match to {
                Target::Node(node) => Some(node),
                Target::Activity(to) => tasks.get(usize::from(to.0)).copied(),
            };
            if let Some(target) = target {
                graph.flows.push(Flow {
                    condition: answer.as_deref().map(condition),
                    name: answer,
                    expiry,
                    ..Flow::plain(source, target)
                });
            }
        }
        for t in 0..graph.timers.len() {
            let activity = &procedure.activities[graph.timers[t].activity];
            if let Some(to) = activity.deadline.as_ref().and_then(|d| d.on_expiry)
                && let Some(&target) = tasks.get(usize::from(to.0))
            {
                graph.flows.push(Flow {
                    from_timer: true,
                    expiry: true,
                    ..Flow::plain(t, target)
                });
            }
        }
        // Ids: the source's id and the flow's place among the source's outgoing flows.
        let mut counts: std::collections::BTreeMap<String, usize> = Default::default();
        let mut flows = std::mem::take(&mut graph.flows);
        flows.sort_by_key(|f| (f.from_timer, f.source));
        for flow in &mut flows {
            let source = if flow.from_timer {
                &graph.timers[flow.source].id
            } else {
                &graph.nodes[flow.source].id
            };
            let n = counts.entry(source.clone()).or_default();
            *n += 1;
            let bare = source
                .split_once('_')
                .map(|(_, rest)| rest)
                .unwrap_or(source);
            let prefix = if flow.from_timer {
                "Timer"
            } else {
                match graph.nodes[flow.source].kind {
                    Kind::Start => "Start",
                    Kind::Task(_) => "Activity",
                    Kind::Gateway(_) => "Gateway",
                    Kind::End => "End",
                }
            };
            flow.id = if prefix == "Start" {
                format!("Flow_Start_{n}")
            } else {
                format!("Flow_{prefix}_{bare}_{n}")
            };
        }
        graph.flows = flows;
        graph
    }

    fn outgoing(&self, node: usize) -> impl Iterator<Item = &Flow> {
        self.flows
            .iter()
            .filter(move |f| !f.from_timer && f.source == node)
    }

    fn incoming(&self, node: usize) -> impl Iterator<Item = &Flow> {
        self.flows.iter().filter(move |f| f.target == node)
    }
}

/// A participant key or an activity number as part of an XML id.
fn ids_safe(key: &str) -> String {
    key.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect()
}

// ------------------------------------------------------------------------------- layout

#[derive(Debug, Clone, Copy)]
struct Rect {
    x: i64,
    y: i64,
    w: i64,
    h: i64,
}

impl Rect {
    fn cx(self) -> i64 {
        self.x + self.w / 2
    }
    fn cy(self) -> i64 {
        self.y + self.h / 2
    }
    fn right(self) -> i64 {
        self.x + self.w
    }
    fn bottom(self) -> i64 {
        self.y + self.h
    }
}

fn lane_top(lane: usize) -> i64 {
    ORIGIN + i64::try_from(lane).unwrap_or(0) * LANE_H
}

fn bounds(node: &Node) -> Rect {
    let (w, h) = match node.kind {
        Kind::Task(_) => TASK,
        Kind::Gateway(_) => GATEWAY,
        Kind::Start | Kind::End => EVENT,
    };
    let cx = ORIGIN + POOL_HEADER + LANE_PAD + node.column * COL_W + COL_W / 2;
    let cy = lane_top(node.lane) + LANE_H / 2;
    Rect {
        x: cx - w / 2,
        y: cy - h / 2,
        w,
        h,
    }
}

fn timer_bounds(task: Rect) -> Rect {
    Rect {
        x: task.cx() + 25 - EVENT.0 / 2,
        y: task.bottom() - EVENT.1 / 2,
        w: EVENT.0,
        h: EVENT.1,
    }
}

/// The points of a flow: straight or with one step between neighbouring columns; a jump
/// forward over other columns runs along the top of the upper lane, a return (and an expiry
/// path) along the bottom of the lower one. Each column holds one node, so the vertical legs
/// cross nothing.
fn waypoints(graph: &Graph, flow: &Flow) -> Vec<(i64, i64)> {
    let target_node = &graph.nodes[flow.target];
    let t = bounds(target_node);
    if flow.from_timer {
        let timer = &graph.timers[flow.source];
        let task = &graph.nodes[timer.task];
        let s = timer_bounds(bounds(task));
        let y = lane_top(task.lane.max(target_node.lane)) + LANE_H - CHANNEL;
        return vec![
            (s.cx(), s.bottom()),
            (s.cx(), y),
            (t.cx(), y),
            (t.cx(), t.bottom()),
        ];
    }
    let source_node = &graph.nodes[flow.source];
    let s = bounds(source_node);
    if target_node.column == source_node.column + 1 {
        if s.cy() == t.cy() {
            vec![(s.right(), s.cy()), (t.x, t.cy())]
        } else {
            let mid = (s.right() + t.x) / 2;
            vec![
                (s.right(), s.cy()),
                (mid, s.cy()),
                (mid, t.cy()),
                (t.x, t.cy()),
            ]
        }
    } else if target_node.column > source_node.column {
        let y = lane_top(source_node.lane.min(target_node.lane)) + CHANNEL;
        vec![(s.cx(), s.y), (s.cx(), y), (t.cx(), y), (t.cx(), t.y)]
    } else {
        let y = lane_top(source_node.lane.max(target_node.lane)) + LANE_H - CHANNEL;
        vec![
            (s.cx(), s.bottom()),
            (s.cx(), y),
            (t.cx(), y),
            (t.cx(), t.bottom()),
        ]
    }
}

// ------------------------------------------------------------------------------- writing

struct Out {
    xml: Writer<Vec<u8>>,
}

fn start<'a>(name: &'a str, attrs: &[(&str, &str)]) -> BytesStart<'a> {
    let mut start = BytesStart::new(name);
    for attr in attrs {
        start.push_attribute(*attr);
    }
    start
}

impl Out {
    fn open(&mut self, name: &str, attrs: &[(&str, &str)]) -> Result<(), ExportError> {
        self.xml.write_event(Xml::Start(start(name, attrs)))?;
        Ok(())
    }

    fn empty(&mut self, name: &str, attrs: &[(&str, &str)]) -> Result<(), ExportError> {
        self.xml.write_event(Xml::Empty(start(name, attrs)))?;
        Ok(())
    }

    fn close(&mut self, name: &str) -> Result<(), ExportError> {
        self.xml.write_event(Xml::End(BytesEnd::new(name)))?;
        Ok(())
    }

    fn text(&mut self, name: &str, attrs: &[(&str, &str)], text: &str) -> Result<(), ExportError> {
        self.open(name, attrs)?;
        self.xml.write_event(Xml::Text(BytesText::new(text)))?;
        self.close(name)
    }

    fn bounds(&mut self, r: Rect) -> Result<(), ExportError> {
        let (x, y, w, h) = (
            r.x.to_string(),
            r.y.to_string(),
            r.w.to_string(),
            r.h.to_string(),
        );
        self.empty(
            "dc:Bounds",
            &[("x", &x), ("y", &y), ("width", &w), ("height", &h)],
        )
    }
}

fn write(procedure: &Procedure, graph: &Graph) -> Result<Vec<u8>, ExportError> {
    let mut out = Out {
        xml: Writer::new_with_indent(Vec::new(), b' ', 2),
    };
    out.xml
        .write_event(Xml::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    let definitions_id = format!("Definitions_{}", procedure.key);
    let target_ns = format!(
        "urn:turno:procedure:{}:{}",
        procedure.key, procedure.version
    );
    out.open(
        "bpmn:definitions",
        &[
            ("xmlns:bpmn", BPMN_NS),
            ("xmlns:bpmndi", BPMNDI_NS),
            ("xmlns:dc", DC_NS),
            ("xmlns:di", DI_NS),
            ("xmlns:xsi", XSI_NS),
            ("xmlns:turno", TURNO_NS),
            ("id", &definitions_id),
            ("targetNamespace", &target_ns),
            ("exporter", "Turno"),
            ("exporterVersion", env!("CARGO_PKG_VERSION")),
        ],
    )?;
    let process_id = format!("Process_{}", procedure.key);
    let version = procedure.version.to_string();
    out.open("bpmn:collaboration", &[("id", "Collaboration")])?;
    out.empty(
        "bpmn:participant",
        &[
            ("id", "Participant"),
            ("name", &procedure.title),
            ("processRef", &process_id),
        ],
    )?;
    out.close("bpmn:collaboration")?;

    out.open(
        "bpmn:process",
        &[
            ("id", &process_id),
            ("name", &procedure.title),
            ("isExecutable", "true"),
            ("turno:key", &procedure.key),
            ("turno:version", &version),
        ],
    )?;
    for paragraph in &procedure.purpose {
        out.text("bpmn:documentation", &[], paragraph)?;
    }
    write_fields(&mut out, procedure)?;
    write_lanes(&mut out, graph)?;
    for (n, node) in graph.nodes.iter().enumerate() {
        write_node(&mut out, procedure, graph, n, node)?;
    }
    for timer in &graph.timers {
        write_timer(&mut out, procedure, graph, timer)?;
    }
    for flow in &graph.flows {
        write_flow(&mut out, graph, flow)?;
    }
    out.close("bpmn:process")?;

    write_diagram(&mut out, graph)?;
    out.close("bpmn:definitions")?;
    let mut bytes = out.xml.into_inner();
    bytes.push(b'\n');
    Ok(bytes)
}

/// The case's fields, in the process's extension elements: a `turno:field` each with its
/// name, label, type and whether it is required at the start, and a `turno:option` per allowed
/// value of a `choice` or candidate participant (its key, whose lane is `Lane_KEY`) of a
/// `participants` field.
fn write_fields(out: &mut Out, procedure: &Procedure) -> Result<(), ExportError> {
    if procedure.fields.is_empty() {
        return Ok(());
    }
    out.open("bpmn:extensionElements", &[])?;
    for field in &procedure.fields {
        let mut attrs = vec![
            ("name", field.name.as_str()),
            ("label", field.label.as_str()),
            ("type", field.ty.code()),
        ];
        if field.required {
            attrs.push(("required", "true"));
        }
        if field.options.is_empty() {
            out.empty("turno:field", &attrs)?;
            continue;
        }
        out.open("turno:field", &attrs)?;
        for option in &field.options {
            out.text("turno:option", &[], option)?;
        }
        out.close("turno:field")?;
    }
    out.close("bpmn:extensionElements")
}

fn write_lanes(out: &mut Out, graph: &Graph) -> Result<(), ExportError> {
    out.open("bpmn:laneSet", &[("id", "LaneSet")])?;
    for (l, lane) in graph.lanes.iter().enumerate() {
        out.open("bpmn:lane", &[("id", &lane.id), ("name", &lane.name)])?;
        for node in graph.nodes.iter().filter(|n| n.lane == l) {
            out.text("bpmn:flowNodeRef", &[], &node.id)?;
        }
        for timer in graph
            .timers
            .iter()
            .filter(|t| graph.nodes[t.task].lane == l)
        {
            out.text("bpmn:flowNodeRef", &[], &timer.id)?;
        }
        out.close("bpmn:lane")?;
    }
    out.close("bpmn:laneSet")
}

fn write_node(
    out: &mut Out,
    procedure: &Procedure,
    graph: &Graph,
    n: usize,
    node: &Node,
) -> Result<(), ExportError> {
    let name = node.name.as_deref().unwrap_or_default();
    let mut attrs: Vec<(&str, String)> = vec![("id", node.id.clone()), ("name", name.into())];
    let element = match node.kind {
        Kind::Start => "bpmn:startEvent",
        Kind::End => "bpmn:endEvent",
        Kind::Gateway(_) => "bpmn:exclusiveGateway",
        Kind::Task(i) => {
            let activity = &procedure.activities[i];
            attrs.push(("turno:number", activity.number.clone()));
            let keys: Vec<&str> = match &activity.assignment {
                Assignment::Fixed(ids) => ids
                    .iter()
                    .map(|id| procedure.participant(*id).key.as_str())
                    .collect(),
                Assignment::FromField(_) => Vec::new(),
            };
            if !keys.is_empty() {
                attrs.push(("turno:responsible", keys.join(" ")));
            }
            if let Assignment::FromField(field) = &activity.assignment {
                attrs.push((
                    "turno:responsibleFrom",
                    procedure.field(*field).name.clone(),
                ));
            }
            if !activity.fields.is_empty() {
                let names: Vec<&str> = activity
                    .fields
                    .iter()
                    .map(|f| procedure.field(*f).name.as_str())
                    .collect();
                attrs.push(("turno:fields", names.join(" ")));
            }
            if activity.signature {
                attrs.push(("turno:signature", "true".into()));
            }
            if let Some(call) = &activity.call {
                attrs.push(("calledElement", format!("Process_{call}")));
                "bpmn:callActivity"
            } else {
                "bpmn:userTask"
            }
        }
    };
    let borrowed: Vec<(&str, &str)> = attrs.iter().map(|(k, v)| (*k, v.as_str())).collect();
    out.open(element, &borrowed)?;
    if let Kind::Task(i) = node.kind {
        let activity = &procedure.activities[i];
        out.text(
            "bpmn:documentation",
            &[],
            &format!("{} {}", activity.number, activity.text.trim()),
        )?;
        if !activity.documents.is_empty() {
            out.open("bpmn:extensionElements", &[])?;
            for document in &activity.documents {
                out.text("turno:document", &[], document)?;
            }
            out.close("bpmn:extensionElements")?;
        }
    }
    for flow in graph.incoming(n) {
        out.text("bpmn:incoming", &[], &flow.id)?;
    }
    for flow in graph.outgoing(n) {
        out.text("bpmn:outgoing", &[], &flow.id)?;
    }
    if let Kind::Task(i) = node.kind {
        let activity = &procedure.activities[i];
        if activity.parallel {
            out.open(
                "bpmn:multiInstanceLoopCharacteristics",
                &[("isSequential", "false")],
            )?;
            let cardinality = match &activity.assignment {
                Assignment::Fixed(ids) => ids.len().to_string(),
                Assignment::FromField(field) => format!("len({})", procedure.field(*field).name),
            };
            out.text(
                "bpmn:loopCardinality",
                &[("xsi:type", "bpmn:tFormalExpression")],
                &cardinality,
            )?;
            out.close("bpmn:multiInstanceLoopCharacteristics")?;
        }
    }
    out.close(element)
}

fn anchor_text(procedure: &Procedure, anchor: Anchor) -> String {
    match anchor {
        Anchor::Activity => "activity".into(),
        Anchor::Case => "case".into(),
        Anchor::Completed(id) => format!("completed:{}", procedure.activity(id).number),
        Anchor::Field(field) => format!("field:{}", procedure.field(field).name),
    }
}

fn write_timer(
    out: &mut Out,
    procedure: &Procedure,
    graph: &Graph,
    timer: &Timer,
) -> Result<(), ExportError> {
    let activity = &procedure.activities[timer.activity];
    let Some(deadline) = &activity.deadline else {
        return Ok(());
    };
    let Deadline {
        text,
        term,
        anchor,
        otherwise,
        regime,
        on_expiry,
        suspendable,
        extension,
    } = deadline;
    let days = term.days.to_string();
    let mut attrs: Vec<(&str, String)> = vec![
        ("id", timer.id.clone()),
        ("name", text.clone()),
        ("attachedToRef", graph.nodes[timer.task].id.clone()),
        (
            "cancelActivity",
            if on_expiry.is_some() { "true" } else { "false" }.into(),
        ),
        (
            match term.kind {
                DayKind::Business => "turno:businessDays",
                DayKind::Natural => "turno:naturalDays",
            },
            days.clone(),
        ),
        ("turno:regime", regime.code().into()),
        ("turno:from", anchor_text(procedure, *anchor)),
    ];
    if term.before {
        attrs.push(("turno:before", "true".into()));
    }
    if let Some(otherwise) = otherwise {
        attrs.push(("turno:otherwiseFrom", anchor_text(procedure, *otherwise)));
    }
    if *suspendable {
        attrs.push(("turno:suspendable", "true".into()));
    }
    if let Some(extension) = extension {
        attrs.push(("turno:extensionDays", extension.days.to_string()));
        attrs.push((
            "turno:extendedBy",
            procedure.activity(extension.granted_by).number.clone(),
        ));
    }
    let borrowed: Vec<(&str, &str)> = attrs.iter().map(|(k, v)| (*k, v.as_str())).collect();
    out.open("bpmn:boundaryEvent", &borrowed)?;
    for flow in graph
        .flows
        .iter()
        .filter(|f| f.from_timer && graph.timers[f.source].id == timer.id)
    {
        out.text("bpmn:outgoing", &[], &flow.id)?;
    }
    let definition = format!("{}_Definition", timer.id);
    out.open("bpmn:timerEventDefinition", &[("id", &definition)])?;
    out.text(
        "bpmn:timeDuration",
        &[("xsi:type", "bpmn:tFormalExpression")],
        &format!("P{days}D"),
    )?;
    out.close("bpmn:timerEventDefinition")?;
    out.close("bpmn:boundaryEvent")
}

fn flow_source_id<'g>(graph: &'g Graph, flow: &Flow) -> &'g str {
    if flow.from_timer {
        &graph.timers[flow.source].id
    } else {
        &graph.nodes[flow.source].id
    }
}

fn write_flow(out: &mut Out, graph: &Graph, flow: &Flow) -> Result<(), ExportError> {
    let mut attrs = vec![
        ("id", flow.id.as_str()),
        ("sourceRef", flow_source_id(graph, flow)),
        ("targetRef", graph.nodes[flow.target].id.as_str()),
    ];
    if let Some(name) = &flow.name {
        attrs.push(("name", name));
    }
    if flow.expiry {
        attrs.push(("turno:expiry", "true"));
    }
    match &flow.condition {
        Some(condition) => {
            out.open("bpmn:sequenceFlow", &attrs)?;
            out.text(
                "bpmn:conditionExpression",
                &[("xsi:type", "bpmn:tFormalExpression")],
                condition,
            )?;
            out.close("bpmn:sequenceFlow")
        }
        None => out.empty("bpmn:sequenceFlow", &attrs),
    }
}

fn write_diagram(out: &mut Out, graph: &Graph) -> Result<(), ExportError> {
    out.open("bpmndi:BPMNDiagram", &[("id", "BPMNDiagram")])?;
    out.open(
        "bpmndi:BPMNPlane",
        &[("id", "BPMNPlane"), ("bpmnElement", "Collaboration")],
    )?;
    let columns = graph.nodes.iter().map(|n| n.column + 1).max().unwrap_or(1);
    let lanes = i64::try_from(graph.lanes.len()).unwrap_or(1);
    let pool = Rect {
        x: ORIGIN,
        y: ORIGIN,
        w: POOL_HEADER + 2 * LANE_PAD + columns * COL_W,
        h: lanes * LANE_H,
    };
    shape(out, "Participant", pool, &[("isHorizontal", "true")])?;
    for (l, lane) in graph.lanes.iter().enumerate() {
        let r = Rect {
            x: ORIGIN + POOL_HEADER,
            y: lane_top(l),
            w: pool.w - POOL_HEADER,
            h: LANE_H,
        };
        shape(out, &lane.id, r, &[("isHorizontal", "true")])?;
    }
    for node in &graph.nodes {
        let extra: &[(&str, &str)] = match node.kind {
            Kind::Gateway(_) => &[("isMarkerVisible", "true")],
            _ => &[],
        };
        shape(out, &node.id, bounds(node), extra)?;
    }
    for timer in &graph.timers {
        shape(
            out,
            &timer.id,
            timer_bounds(bounds(&graph.nodes[timer.task])),
            &[],
        )?;
    }
    for flow in &graph.flows {
        let id = format!("{}_di", flow.id);
        out.open("bpmndi:BPMNEdge", &[("id", &id), ("bpmnElement", &flow.id)])?;
        for (x, y) in waypoints(graph, flow) {
            let (x, y) = (x.to_string(), y.to_string());
            out.empty("di:waypoint", &[("x", &x), ("y", &y)])?;
        }
        out.close("bpmndi:BPMNEdge")?;
    }
    out.close("bpmndi:BPMNPlane")?;
    out.close("bpmndi:BPMNDiagram")
}

fn shape(out: &mut Out, element: &str, r: Rect, extra: &[(&str, &str)]) -> Result<(), ExportError> {
    let id = format!("{element}_di");
    let mut attrs = vec![("id", id.as_str()), ("bpmnElement", element)];
    attrs.extend_from_slice(extra);
    out.open("bpmndi:BPMNShape", &attrs)?;
    out.bounds(r)?;
    out.close("bpmndi:BPMNShape")
}
