//! A procedure's flowchart, drawn like the manuals' "5.0 Diagrama de flujo", as a standalone SVG.
//!
//! [`render`] is the whole API: it takes a compiled [`Procedure`] and the activities to
//! highlight (the open activities of a case, or none) and returns an SVG document as a string.
//! The same input always gives the same string, so the case pages take it from
//! [`render_shared`], which draws each procedure version and set of activities once.
//!
//! # How it is drawn
//!
//! - **Lanes.** One vertical swimlane per responsible participant, left to right in the order
//!   they first appear in the activities (an activity's own list in its order). A participant
//!   that is never responsible has no lane. The header holds the participant's name, wrapped to
//!   the lane, and its key ("· externo" for outside parties).
//! - **Rows.** One row per activity, top to bottom in the procedure's order, below an "INICIO"
//!   terminator. An activity is a box with its number in bold and its text shortened to four
//!   lines; the full text, responsible, decision, deadline and documents are in the box's
//!   `<title>` (a tooltip, and what screen readers announce).
//! - **Several responsible.** The box spans the lanes of its responsible. When those lanes are
//!   not side by side, the box spans the longest run of adjacent ones, each other lane gets a
//!   dashed marker with the activity's number in the same row, and the box says
//!   "También: KEY, …". A `parallel` activity (one work item per unit, all must answer) has a
//!   double border and says "En paralelo (cada unidad)".
//! - **Chosen while the case runs** (`responsible_from`): the candidate participants (the
//!   options of the field) are its lanes, drawn as above, and the box says
//!   "Unidad elegida en «label»".
//! - **Decisions.** The activity's box is followed by a diamond holding the question; each
//!   branch is an arrow labeled with its answer ("Sí", "No").
//! - **Arrows.** The flow to the next activity goes straight down. A return (to the same or an
//!   earlier activity) leaves the box on its left side and climbs in a channel on the left of the
//!   lanes (class `edge-return`, wine colored). A jump forward past other activities goes down a
//!   channel on the right of the lanes. An expiry path (`deadline.on_expiry`) is a dashed arrow
//!   (class `edge-expiry`) from the box's side, labeled with the deadline's words
//!   ("45 días hábiles"), left if it goes back, right otherwise. Arrows enter a box from the top
//!   (the previous activity) or at the upper part of its sides (jumps), and leave from its bottom
//!   or the lower part of its sides, so an arrow's direction is readable where it meets a box.
//! - **Ends.** Every activity that may end the procedure gets a "TERMINA PROCEDIMIENTO"
//!   terminator in a short row below it: straight below when that is its only way down,
//!   otherwise in the lane next to it, reached from the side.
//! - **Current activities** are drawn with a thicker wine stroke and a pale fill, carry the class
//!   `current`, and are marked "◀ actual" beside the box (so not by color alone; "actual ▶" on
//!   its left when the box is in the last lane, next to the channels).
//! - **Accessibility.** The root has `role="img"`, a `<title>` (the procedure's title) and a
//!   `<desc>` summarizing the lanes, the activities and the current ones. Every text is escaped.
//!
//! Classes for the page's stylesheet: `flowchart`, `lane`, `activity`, `decision`, `terminator`,
//! `edge`, `edge-return`, `edge-expiry`, `current`, `legend`. All the presentation is also in
//! attributes (no `<style>` element, no script, no external font), so the file looks right alone.

use crate::svg::{FONT_FAMILY, Font, escape, font_attrs, n, points, text_block, wrap, wrap_to};
use std::collections::{BTreeSet, HashMap};
use std::fmt::Write as _;
use std::sync::{Arc, LazyLock, Mutex};
use turno_domain::definition::{
    Activity, ActivityId, Assignment, Exit, ParticipantId, ParticipantKind, Procedure, Route,
};

// ------------------------------------------------------------------------------- geometry

const MARGIN: f64 = 16.0;
const LANE_W: f64 = 200.0;
/// Between a box and the border of its lane.
const BOX_PAD: f64 = 14.0;
/// Between rows.
const GAP: f64 = 34.0;
const BOX_MIN_H: f64 = 60.0;
const TEXT_LINES: usize = 4;
const META_LINES: usize = 2;
const DIAMOND_GAP: f64 = 16.0;
const DIAMOND_H: f64 = 84.0;
const DIAMOND_MAX_W: f64 = 240.0;
const TERM_W: f64 = 168.0;
const TERM_H: f64 = 28.0;
/// From the lanes to the first channel.
const CHANNEL_GAP: f64 = 18.0;
const CHANNEL_STEP: f64 = 12.0;
/// Arrows enter the side of a box this far below its top.
const ENTRY_DY: f64 = 12.0;
/// Arrows leave the side of a box at least this far below its top.
const PORT_MIN_DY: f64 = 42.0;
const PORT_STEP: f64 = 9.0;
/// Baseline of the "◀ actual" mark and of the lane markers, below the box's top.
const MARK_DY: f64 = 29.0;
const ARROW: f64 = 8.0;
/// Beside a current activity: the highlight is not in color alone.
const CURRENT_MARK: &str = "◀ actual";
/// The same mark left of the box, when the right of the box is crowded by channels.
const CURRENT_MARK_LEFT: &str = "actual ▶";

const TITLE: Font = Font::bold(15.0);
const SUBTITLE: Font = Font::regular(11.0);
const HEADER: Font = Font::bold(11.0);
const HEADER_KEY: Font = Font::regular(10.0);
const NUMBER: Font = Font::bold(11.5);
const BODY: Font = Font::regular(10.5);
const META: Font = Font::regular(9.5);
const QUESTION: Font = Font::bold(10.0);
const LABEL: Font = Font::bold(10.0);

const BODY_LH: f64 = 13.0;
const META_LH: f64 = 12.0;
const HEADER_LH: f64 = 13.5;
const QUESTION_LH: f64 = 12.0;
const TITLE_LH: f64 = 19.0;

// ------------------------------------------------------------------------------- colors
// Contrast against white (and against the pale fills) is at least 7:1 for text, 3:1 for lines.

const INK: &str = "#1b1b1b";
const MUTED: &str = "#3f4a46";
const LINE: &str = "#1f2a27";
const RETURN: &str = "#7a1f3d";
const EXPIRY: &str = "#8a4600";
const ACCENT: &str = "#235b4e";
const LANE_FILL: [&str; 2] = ["#ffffff", "#f4f7f6"];
const LANE_BORDER: &str = "#aab8b2";
const HEADER_FILL: &str = "#e3ece9";
const BOX_FILL: &str = "#ffffff";
const DECISION_FILL: &str = "#f2f6f5";
const TERM_FILL: &str = "#e3ece9";
const CURRENT_FILL: &str = "#fff1bd";
const CURRENT_STROKE: &str = "#7a1f3d";

/// A flowchart as a file to download: the SVG as drawn, or the same as a one-page PDF.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Svg,
    Pdf,
}

/// The procedure's flowchart (nothing highlighted) as a download in `format`, named after the
/// procedure's key and version, for the catalog page's links and the API alike.
pub fn download(procedure: &Procedure, format: Format) -> anyhow::Result<axum::response::Response> {
    let svg = render(procedure, &[]);
    let name = format!("diagrama-{}-v{}", procedure.key, procedure.version);
    let (mime, name, content) = match format {
        Format::Svg => ("image/svg+xml", format!("{name}.svg"), svg.into_bytes()),
        Format::Pdf => (
            "application/pdf",
            format!("{name}.pdf"),
            crate::svg::pdf(&svg, None)?,
        ),
    };
    Ok(crate::documents::file_response(mime, &name, content)?)
}

/// The procedure's flowchart as a standalone SVG document; the activities in `current` are
/// highlighted (ids that are not in the procedure are ignored). See the module's documentation
/// for how it is drawn.
pub fn render(procedure: &Procedure, current: &[ActivityId]) -> String {
    draw(procedure, &current_set(procedure, current))
}

/// What a drawing adds to the manual's chart to show what cases did (the procedure's paths page,
/// `turno_app::mining`): per activity (by index), a fill and a line of figures beside its box;
/// per arrow (the activity numbers it joins, `INICIO` and `TERMINA` for the ends, as its
/// `data-from` and `data-to`), a stroke width and a label. Not by colour alone: the figures are
/// written.
#[derive(Debug, Clone, Default)]
pub struct Marks {
    pub activities: HashMap<usize, ActivityMark>,
    pub arrows: HashMap<(String, String), ArrowMark>,
}

#[derive(Debug, Clone)]
pub struct ActivityMark {
    pub fill: &'static str,
    pub label: String,
}

#[derive(Debug, Clone)]
pub struct ArrowMark {
    pub width: f64,
    pub label: String,
}

/// The procedure's flowchart with `marks` drawn on it; nothing is highlighted as current.
pub fn render_marked(procedure: &Procedure, marks: &Marks) -> String {
    let none = BTreeSet::new();
    Chart::lay_out(procedure, &none).draw(procedure, &none, marks)
}

/// The activities to highlight, as the drawing takes them: each once, those of the procedure.
fn current_set(procedure: &Procedure, current: &[ActivityId]) -> BTreeSet<usize> {
    current
        .iter()
        .map(|id| usize::from(id.0))
        .filter(|&i| i < procedure.activities.len())
        .collect()
}

fn draw(procedure: &Procedure, current: &BTreeSet<usize>) -> String {
    Chart::lay_out(procedure, current).draw(procedure, current, &Marks::default())
}

/// A diagram drawn for a procedure version and a set of current activities, with the
/// definition it was drawn from.
type Drawn = HashMap<(String, u32, BTreeSet<usize>), (Arc<Procedure>, Arc<str>)>;

/// The diagrams the case pages drew lately: a case page shows its procedure's with the case's
/// open activities highlighted, which many views of many cases share.
static DRAWN: LazyLock<Mutex<Drawn>> = LazyLock::new(Mutex::default);

/// Diagrams kept at most; past it the memory starts over.
const DRAWN_KEPT: usize = 1_000;

/// [`render`], drawn once per procedure version and set of current activities in the process:
/// a definition loaded anew (another `Arc`, as from another database) is drawn again.
pub fn render_shared(procedure: &Arc<Procedure>, current: &[ActivityId]) -> Arc<str> {
    let current = current_set(procedure, current);
    let key = (procedure.key.clone(), procedure.version, current);
    let known = DRAWN.lock().ok().and_then(|drawn| {
        drawn
            .get(&key)
            .filter(|(drawn_from, _)| Arc::ptr_eq(drawn_from, procedure))
            .map(|(_, svg)| Arc::clone(svg))
    });
    if let Some(svg) = known {
        return svg;
    }
    let svg: Arc<str> = draw(procedure, &key.2).into();
    if let Ok(mut drawn) = DRAWN.lock() {
        if drawn.len() >= DRAWN_KEPT {
            drawn.clear();
        }
        drawn.insert(key, (Arc::clone(procedure), Arc::clone(&svg)));
    }
    svg
}

// ------------------------------------------------------------------------------- layout

/// Where an arrow leaves an activity from.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum From {
    Box,
    Diamond,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Side {
    Left,
    Right,
}

#[derive(Clone, Debug)]
enum Kind {
    Flow,
    Branch(String),
    Expiry(String),
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Way {
    /// Straight down to the next activity, or to the terminator below.
    Down,
    /// In a channel beside the lanes: to the left (returns) or to the right (jumps forward).
    Channel(Side),
    /// From the side of the activity to its terminator.
    ToEnd(Side),
}

#[derive(Clone, Debug)]
struct Out {
    from: From,
    kind: Kind,
    exit: Exit,
    way: Way,
    /// Index among the arrows leaving the same shape on the same side.
    port: usize,
    /// For channels: which one, 0 next to the lanes.
    channel: usize,
}

struct Diamond {
    cx: f64,
    cy: f64,
    w: f64,
    lines: Vec<String>,
}

struct Terminator {
    cx: f64,
    top: f64,
}

struct Node {
    /// Lanes the box spans (first, last), inclusive.
    span: (usize, usize),
    /// The other lanes of its responsible, marked in the same row.
    markers: Vec<usize>,
    x: f64,
    w: f64,
    top: f64,
    box_h: f64,
    lines: Vec<String>,
    meta: Vec<String>,
    diamond: Option<Diamond>,
    outs: Vec<Out>,
    terminator: Option<Terminator>,
    /// Whether the "actual" mark goes left of the box (it is in the last lane, next to the
    /// channels).
    mark_left: bool,
}

impl Node {
    fn cx(&self) -> f64 {
        self.x + self.w / 2.0
    }

    fn right(&self) -> f64 {
        self.x + self.w
    }

    fn box_bottom(&self) -> f64 {
        self.top + self.box_h
    }

    fn side_x(&self, side: Side) -> f64 {
        match side {
            Side::Left => self.x,
            Side::Right => self.right(),
        }
    }

    /// Where the `k`-th arrow leaving a shape's side starts.
    fn port(&self, from: From, side: Side, k: usize) -> (f64, f64) {
        let sign = match side {
            Side::Left => -1.0,
            Side::Right => 1.0,
        };
        match (from, &self.diamond) {
            (From::Diamond, Some(d)) => {
                let dy = 12.0 * k as f64;
                let half = d.w / 2.0 * (1.0 - 2.0 * dy / DIAMOND_H);
                (d.cx + sign * half, d.cy + dy)
            }
            _ => {
                let first = PORT_MIN_DY.max(self.box_h / 2.0 + 4.0);
                let dy = (first + PORT_STEP * k as f64).min(self.box_h - 4.0);
                (self.side_x(side), self.top + dy)
            }
        }
    }

    /// Where the arrow going down starts.
    fn bottom_port(&self, from: From) -> (f64, f64) {
        match (from, &self.diamond) {
            (From::Diamond, Some(d)) => (d.cx, d.cy + DIAMOND_H / 2.0),
            _ => (self.cx(), self.box_bottom()),
        }
    }

    /// Where an arrow arriving from the side ends.
    fn entry(&self, side: Side) -> (f64, f64) {
        (self.side_x(side), self.top + ENTRY_DY)
    }
}

struct Lane {
    participant: ParticipantId,
    header: Vec<String>,
    key_line: String,
}

struct Chart {
    lanes: Vec<Lane>,
    nodes: Vec<Node>,
    start: Terminator,
    width: f64,
    height: f64,
    lanes_left: f64,
    title_lines: Vec<String>,
    subtitle: String,
    header_top: f64,
    header_h: f64,
    body_bottom: f64,
    legend_top: f64,
}

/// The longest run of adjacent lanes in a sorted set (the leftmost of equally long runs).
fn longest_run(lanes: &[usize]) -> (usize, usize) {
    let mut best = (lanes[0], lanes[0]);
    let mut start = lanes[0];
    for pair in lanes.windows(2) {
        if pair[1] != pair[0] + 1 {
            start = pair[1];
        }
        if pair[1] - start > best.1 - best.0 {
            best = (start, pair[1]);
        }
    }
    best
}

fn key_of(procedure: &Procedure, lane: &Lane) -> String {
    procedure.participant(lane.participant).key.clone()
}

impl Chart {
    fn lay_out(procedure: &Procedure, current: &BTreeSet<usize>) -> Chart {
        let order = procedure.responsible_order();
        let lanes: Vec<Lane> = order
            .iter()
            .map(|&id| {
                let participant = procedure.participant(id);
                let key_line = match participant.kind {
                    ParticipantKind::Internal => participant.key.clone(),
                    ParticipantKind::External { .. } => format!("{} · externo", participant.key),
                };
                Lane {
                    participant: id,
                    header: wrap(&participant.name, HEADER, LANE_W - 16.0, 5),
                    key_line,
                }
            })
            .collect();
        let lane_count = lanes.len().max(1);
        let header_h = lanes
            .iter()
            .map(|l| l.header.len() as f64 * HEADER_LH + 16.0 + 16.0)
            .fold(40.0, f64::max);

        // Boxes: where and how tall; positions along x are relative to the lanes' left edge
        // until the channels are counted.
        let mut nodes: Vec<Node> = procedure
            .activities
            .iter()
            .map(|activity| Self::node(procedure, activity, &order))
            .collect();

        Self::plan_routes(&mut nodes, lane_count);

        // Rows, from 0 until the height of the title and headers is known; "INICIO" first.
        let mut y = TERM_H + GAP;
        for node in &mut nodes {
            node.top = y;
            if let Some(d) = &mut node.diamond {
                d.cy = node.top + node.box_h + DIAMOND_GAP + DIAMOND_H / 2.0;
            }
            let activity_h = node.box_h
                + if node.diamond.is_some() {
                    DIAMOND_GAP + DIAMOND_H
                } else {
                    0.0
                };
            y += activity_h + GAP;
            if let Some(t) = &mut node.terminator {
                t.top = y;
                y += TERM_H + GAP;
            }
        }
        let body_h = y - GAP;

        // Channels: assign the arrows that run beside the lanes to the fewest channels, the
        // shortest next to the lanes so that they nest.
        let channels = Self::assign_channels(&mut nodes);
        let left_area = if channels.0 > 0 {
            CHANNEL_GAP + (channels.0 - 1) as f64 * CHANNEL_STEP + 8.0
        } else {
            0.0
        };
        // Labels beside the boxes may reach past the lanes and their channels (x is still
        // relative to the lanes' left edge here).
        let mut reach_left: f64 = 0.0;
        let mut reach_right: f64 = lane_count as f64 * LANE_W;
        for node in &mut nodes {
            node.mark_left = node.span.1 + 1 == lane_count && channels.1 > 0 && node.span.0 > 0;
        }
        for (i, node) in nodes.iter().enumerate() {
            if current.contains(&i) && !node.mark_left {
                reach_right = reach_right.max(node.right() + 8.0 + LABEL.width(CURRENT_MARK));
            }
            for out in &node.outs {
                let Some(text) = out.label() else { continue };
                let w = LABEL.width(text);
                match out.way {
                    Way::Down => {
                        reach_right = reach_right.max(node.bottom_port(out.from).0 + 5.0 + w)
                    }
                    Way::Channel(side) | Way::ToEnd(side) => {
                        let (px, _) = node.port(out.from, side, out.port);
                        match side {
                            Side::Left => reach_left = reach_left.min(px - 5.0 - w),
                            Side::Right => reach_right = reach_right.max(px + 5.0 + w),
                        }
                    }
                }
            }
        }
        let lanes_left = MARGIN + left_area.max(-reach_left);
        for node in &mut nodes {
            node.x += lanes_left;
            if let Some(d) = &mut node.diamond {
                d.cx += lanes_left;
            }
            if let Some(t) = &mut node.terminator {
                t.cx += lanes_left;
            }
        }
        let lanes_right = lanes_left + lane_count as f64 * LANE_W;
        let right = (lanes_right
            + if channels.1 > 0 {
                CHANNEL_GAP + (channels.1 - 1) as f64 * CHANNEL_STEP + 8.0
            } else {
                0.0
            })
        .max(lanes_left + reach_right);
        let width = (right + MARGIN).max(520.0).ceil();

        let title = match &procedure.number {
            Some(n) => format!("{n}. {}", procedure.title),
            None => procedure.title.clone(),
        };
        let title_lines = wrap(&title, TITLE, width - 2.0 * MARGIN, 4);
        let subtitle = format!(
            "Diagrama de flujo · {} versión {}",
            procedure.key, procedure.version
        );
        let header_top = MARGIN + TITLE.size + (title_lines.len() as f64 - 1.0) * TITLE_LH + 34.0;
        let body_top = header_top + header_h + 18.0;
        for node in &mut nodes {
            node.top += body_top;
            if let Some(d) = &mut node.diamond {
                d.cy += body_top;
            }
            if let Some(t) = &mut node.terminator {
                t.top += body_top;
            }
        }
        let start = Terminator {
            cx: nodes.first().map_or(lanes_left + LANE_W / 2.0, Node::cx),
            top: body_top,
        };
        let body_bottom = body_top + body_h + 18.0;
        let legend_top = body_bottom + 18.0;
        let legend_rows = legend_items().len().div_ceil(legend_columns(width));
        let height = (legend_top + legend_rows as f64 * 22.0 + MARGIN).ceil();

        Chart {
            lanes,
            nodes,
            start,
            width,
            height,
            lanes_left,
            title_lines,
            subtitle,
            header_top,
            header_h,
            body_bottom,
            legend_top,
        }
    }

    fn node(procedure: &Procedure, activity: &Activity, order: &[ParticipantId]) -> Node {
        let mut lanes: Vec<usize> = procedure
            .candidates(activity)
            .iter()
            .filter_map(|id| order.iter().position(|o| o == id))
            .collect();
        lanes.sort_unstable();
        lanes.dedup();
        if lanes.is_empty() {
            // A valid procedure gives every activity a responsible; draw it in the first lane
            // rather than fail.
            lanes.push(0);
        }
        let span = longest_run(&lanes);
        let markers: Vec<usize> = lanes
            .iter()
            .copied()
            .filter(|l| *l < span.0 || *l > span.1)
            .collect();
        let x = span.0 as f64 * LANE_W + BOX_PAD;
        let w = (span.1 - span.0 + 1) as f64 * LANE_W - 2.0 * BOX_PAD;
        let inner = w - 16.0;
        let lines = wrap(&activity.text, BODY, inner, TEXT_LINES);

        let mut meta = Vec::new();
        match (&activity.assignment, activity.parallel) {
            (Assignment::FromField(f), true) => meta.push(format!(
                "En paralelo: unidades elegidas en «{}»",
                procedure.field(*f).label
            )),
            (Assignment::FromField(f), false) => {
                meta.push(format!("Unidad elegida en «{}»", procedure.field(*f).label))
            }
            (Assignment::Fixed(_), true) => meta.push("En paralelo (cada unidad)".to_owned()),
            (Assignment::Fixed(_), false) => {}
        }
        if !markers.is_empty() {
            let keys: Vec<String> = markers
                .iter()
                .map(|&l| procedure.participant(order[l]).key.clone())
                .collect();
            meta.push(format!("También: {}", keys.join(", ")));
        }
        if let Some(call) = &activity.call {
            meta.push(format!("Subprocedimiento: {call}"));
        }
        if let Some(deadline) = &activity.deadline
            && deadline.on_expiry.is_none()
        {
            meta.push(format!("Plazo: {}", deadline.text));
        }
        let meta = if meta.is_empty() {
            Vec::new()
        } else {
            wrap(&meta.join(" · "), META, inner, META_LINES)
        };
        let box_h = (8.0
            + NUMBER.size
            + 6.0
            + lines.len() as f64 * BODY_LH
            + meta.len() as f64 * META_LH
            + 8.0)
            .max(BOX_MIN_H);

        let diamond = match &activity.route {
            Route::Decide { question, .. } => {
                let dw = w.min(DIAMOND_MAX_W);
                Some(Diamond {
                    cx: x + w / 2.0,
                    cy: 0.0,
                    w: dw,
                    lines: diamond_lines(question, dw),
                })
            }
            Route::Continue(_) => None,
        };

        let mut outs = Vec::new();
        match &activity.route {
            Route::Continue(exit) => outs.push(Out::new(From::Box, Kind::Flow, *exit)),
            Route::Decide { branches, .. } => {
                for branch in branches {
                    outs.push(Out::new(
                        From::Diamond,
                        Kind::Branch(branch.answer.clone()),
                        branch.exit,
                    ));
                }
            }
        }
        if let Some(deadline) = &activity.deadline
            && let Some(target) = deadline.on_expiry
        {
            outs.push(Out::new(
                From::Box,
                Kind::Expiry(deadline.text.clone()),
                Exit::Goto(target),
            ));
        }

        Node {
            span,
            markers,
            x,
            w,
            top: 0.0,
            box_h,
            lines,
            meta,
            diamond,
            outs,
            terminator: None,
            mark_left: false,
        }
    }

    /// Decides how each arrow goes, where the terminators are, and which side port each arrow
    /// leaves from.
    fn plan_routes(nodes: &mut [Node], lane_count: usize) {
        for (i, node) in nodes.iter_mut().enumerate() {
            let next = Exit::Goto(ActivityId((i + 1) as u16));
            let is_expiry = |o: &Out| matches!(o.kind, Kind::Expiry(_));
            // One arrow goes down: to the next activity if one does, otherwise to the end.
            let mut down = node
                .outs
                .iter()
                .position(|o| !is_expiry(o) && o.exit == next)
                .or_else(|| node.outs.iter().position(|o| o.exit == Exit::End));
            let has_end = node.outs.iter().any(|o| o.exit == Exit::End);
            let down_is_end = down.is_some_and(|d| node.outs[d].exit == Exit::End);
            let mut end_side = None;
            if has_end && !down_is_end {
                if node.span.1 + 1 < lane_count {
                    end_side = Some((Side::Right, node.span.1 + 1));
                } else if node.span.0 > 0 {
                    end_side = Some((Side::Left, node.span.0 - 1));
                } else {
                    // No lane beside it: the end goes below, the next activity is reached
                    // from the side.
                    down = node.outs.iter().position(|o| o.exit == Exit::End);
                }
            }
            for (k, out) in node.outs.iter_mut().enumerate() {
                out.way = if Some(k) == down {
                    Way::Down
                } else {
                    match out.exit {
                        Exit::End => match end_side {
                            Some((side, _)) => Way::ToEnd(side),
                            None => Way::ToEnd(Side::Right),
                        },
                        Exit::Goto(t) if usize::from(t.0) <= i => Way::Channel(Side::Left),
                        Exit::Goto(_) => Way::Channel(Side::Right),
                    }
                };
            }
            if has_end {
                let cx = match end_side {
                    Some((_, lane)) => lane as f64 * LANE_W + LANE_W / 2.0,
                    None => node.cx(),
                };
                node.terminator = Some(Terminator { cx, top: 0.0 });
            }
            // Ports: per shape and side, channels first, then expiry, then the way to the end
            // (lowest, so the arrows to the channels pass above it).
            for from in [From::Box, From::Diamond] {
                for side in [Side::Left, Side::Right] {
                    let mut on_side: Vec<usize> = (0..node.outs.len())
                        .filter(|&k| {
                            let o = &node.outs[k];
                            o.from == from
                                && matches!(o.way, Way::Channel(s) | Way::ToEnd(s) if s == side)
                        })
                        .collect();
                    on_side.sort_by_key(|&k| {
                        let o = &node.outs[k];
                        (
                            matches!(o.way, Way::ToEnd(_)),
                            matches!(o.kind, Kind::Expiry(_)),
                            k,
                        )
                    });
                    for (port, k) in on_side.into_iter().enumerate() {
                        node.outs[k].port = port;
                    }
                }
            }
        }
    }

    /// Gives each arrow beside the lanes a channel; returns how many channels each side needs.
    fn assign_channels(nodes: &mut [Node]) -> (usize, usize) {
        let mut counts = (0, 0);
        for side in [Side::Left, Side::Right] {
            // (length, top, bottom, node, out)
            let mut runs: Vec<(f64, f64, f64, usize, usize)> = Vec::new();
            for (i, node) in nodes.iter().enumerate() {
                for (k, out) in node.outs.iter().enumerate() {
                    if out.way != Way::Channel(side) {
                        continue;
                    }
                    let Exit::Goto(t) = out.exit else { continue };
                    let (_, y0) = node.port(out.from, side, out.port);
                    let (_, y1) = nodes[usize::from(t.0)].entry(side);
                    let (a, b) = if y0 < y1 { (y0, y1) } else { (y1, y0) };
                    runs.push((b - a, a, b, i, k));
                }
            }
            runs.sort_by(|p, q| {
                p.0.total_cmp(&q.0)
                    .then(p.1.total_cmp(&q.1))
                    .then(p.3.cmp(&q.3))
                    .then(p.4.cmp(&q.4))
            });
            let mut taken: Vec<Vec<(f64, f64)>> = Vec::new();
            for (_, a, b, i, k) in runs {
                let channel = taken
                    .iter()
                    .position(|spans| spans.iter().all(|&(c, d)| b + 8.0 < c || d + 8.0 < a))
                    .unwrap_or_else(|| {
                        taken.push(Vec::new());
                        taken.len() - 1
                    });
                taken[channel].push((a, b));
                nodes[i].outs[k].channel = channel;
            }
            match side {
                Side::Left => counts.0 = taken.len(),
                Side::Right => counts.1 = taken.len(),
            }
        }
        counts
    }

    fn channel_x(&self, side: Side, channel: usize) -> f64 {
        let offset = CHANNEL_GAP + channel as f64 * CHANNEL_STEP;
        match side {
            Side::Left => self.lanes_left - offset,
            Side::Right => self.lanes_right() + offset,
        }
    }

    fn lanes_right(&self) -> f64 {
        self.lanes_left + self.lanes.len().max(1) as f64 * LANE_W
    }
}

impl Out {
    fn label(&self) -> Option<&str> {
        match &self.kind {
            Kind::Flow => None,
            Kind::Branch(answer) => Some(answer),
            Kind::Expiry(text) => Some(text),
        }
    }

    fn new(from: From, kind: Kind, exit: Exit) -> Out {
        Out {
            from,
            kind,
            exit,
            way: Way::Down,
            port: 0,
            channel: 0,
        }
    }
}

/// The label of an arrow leaving from a side, its anchor and text-anchor: outside the shape,
/// above the line for the first arrow of a diamond's side, below it otherwise (clear of the
/// arrow above, and of the "◀ actual" mark beside a box).
fn side_label(
    text: String,
    out: &Out,
    side: Side,
    (px, py): (f64, f64),
) -> (String, (f64, f64), &'static str) {
    let y = if out.port == 0 && out.from == From::Diamond {
        py - 4.0
    } else {
        py + 11.0
    };
    match side {
        Side::Left => (text, (px - 5.0, y), "end"),
        Side::Right => (text, (px + 5.0, y), "start"),
    }
}

/// The question wrapped inside a diamond: lines nearer the middle may be longer.
fn diamond_lines(question: &str, w: f64) -> Vec<String> {
    let mut result = Vec::new();
    for n in 1..=4usize {
        let widths = |i: usize| {
            let offset = (i as f64 - (n as f64 - 1.0) / 2.0).abs() * QUESTION_LH;
            (w * (1.0 - 2.0 * (offset + QUESTION_LH / 2.0) / DIAMOND_H) - 14.0).max(20.0)
        };
        let (lines, truncated) = wrap_to(question, QUESTION, &widths, n);
        result = lines;
        if !truncated {
            break;
        }
    }
    result
}

fn legend_items() -> [&'static str; 5] {
    [
        "Flujo",
        "Regreso a una actividad anterior",
        "Al vencer el plazo",
        "En paralelo: cada unidad",
        "Actividad actual",
    ]
}

fn legend_columns(width: f64) -> usize {
    (((width - 2.0 * MARGIN) / 230.0).floor() as usize).clamp(1, 5)
}

// ------------------------------------------------------------------------------- drawing

/// A number for an attribute: at most one decimal, no trailing zero.
/// An arrow along a polyline, with its head at the last point.
struct Arrow<'a> {
    class: &'a str,
    color: &'a str,
    dashed: bool,
    /// The activity numbers it joins (`data-from`, `data-to`), if it is an edge of the chart.
    ends: Option<(String, String)>,
    points: Vec<(f64, f64)>,
    /// A label, its anchor point and text-anchor.
    label: Option<(String, (f64, f64), &'a str)>,
}

impl Arrow<'_> {
    /// Draws it with the mark its ends have in `marks`: thicker, and its figure added to its
    /// label (or beside its first stretch).
    fn draw_marked(mut self, out: &mut String, marks: &Marks) {
        let mark = self.ends.as_ref().and_then(|ends| marks.arrows.get(ends));
        let Some(mark) = mark else {
            self.draw_width(out, 1.5);
            return;
        };
        self.label = match self.label.take() {
            Some((text, at, anchor)) => Some((format!("{text} · {}", mark.label), at, anchor)),
            None => {
                let (x0, y0) = self.points[0];
                let (x1, y1) = self.points[1];
                Some((
                    mark.label.clone(),
                    ((x0 + x1) / 2.0 + 5.0, (y0 + y1) / 2.0 + 4.0),
                    "start",
                ))
            }
        };
        self.draw_width(out, mark.width);
    }

    fn draw(&self, out: &mut String) {
        self.draw_width(out, 1.5);
    }

    fn draw_width(&self, out: &mut String, width: f64) {
        let mut ps = self.points.clone();
        let len = ps.len();
        let (ex, ey) = ps[len - 1];
        let (px, py) = ps[len - 2];
        let (dx, dy) = {
            let l = ((ex - px).powi(2) + (ey - py).powi(2)).sqrt().max(0.001);
            ((ex - px) / l, (ey - py) / l)
        };
        // End the line inside the head.
        ps[len - 1] = (ex - dx * (ARROW - 2.0), ey - dy * (ARROW - 2.0));
        let mut d = String::new();
        for (i, (x, y)) in ps.iter().enumerate() {
            let _ = write!(d, "{}{} {}", if i == 0 { "M" } else { " L" }, n(*x), n(*y));
        }
        let _ = write!(out, "<g class=\"{}\"", self.class);
        if let Some((from, to)) = &self.ends {
            let _ = write!(
                out,
                " data-from=\"{}\" data-to=\"{}\"",
                escape(from),
                escape(to)
            );
        }
        out.push('>');
        let _ = write!(
            out,
            "<path d=\"{d}\" fill=\"none\" stroke=\"{}\" stroke-width=\"{}\" stroke-linejoin=\"round\"{}/>",
            self.color,
            n(width),
            if self.dashed {
                " stroke-dasharray=\"6 4\""
            } else {
                ""
            }
        );
        let head = [
            (ex, ey),
            (ex - dx * ARROW - dy * 4.0, ey - dy * ARROW + dx * 4.0),
            (ex - dx * ARROW + dy * 4.0, ey - dy * ARROW - dx * 4.0),
        ];
        let _ = write!(
            out,
            "<polygon points=\"{}\" fill=\"{}\"/>",
            points(&head),
            self.color
        );
        if let Some((text, (x, y), anchor)) = &self.label {
            let _ = write!(
                out,
                "<text x=\"{}\" y=\"{}\" text-anchor=\"{anchor}\" {} stroke=\"#ffffff\" stroke-width=\"3\" stroke-linejoin=\"round\" paint-order=\"stroke\">{}</text>",
                n(*x),
                n(*y),
                font_attrs(LABEL, self.color),
                escape(text)
            );
        }
        out.push_str("</g>");
    }
}

impl Chart {
    fn draw(&self, procedure: &Procedure, current: &BTreeSet<usize>, marks: &Marks) -> String {
        let mut out = String::with_capacity(64 * 1024);
        let _ = write!(
            out,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"flowchart-svg\" role=\"img\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" font-family=\"{font}\" data-procedure=\"{key}\" data-version=\"{version}\">",
            w = n(self.width),
            h = n(self.height),
            font = escape(FONT_FAMILY),
            key = escape(&procedure.key),
            version = procedure.version,
        );
        let _ = write!(
            out,
            "<title>{}</title><desc>{}</desc>",
            escape(&format!("Diagrama de flujo: {}", procedure.title)),
            escape(&self.description(procedure, current))
        );
        let _ = write!(
            out,
            "<rect x=\"0\" y=\"0\" width=\"{}\" height=\"{}\" fill=\"#ffffff\"/>",
            n(self.width),
            n(self.height)
        );
        // Title.
        text_block(
            &mut out,
            MARGIN,
            MARGIN + TITLE.size,
            TITLE_LH,
            &self.title_lines,
            &font_attrs(TITLE, INK),
        );
        text_block(
            &mut out,
            MARGIN,
            MARGIN + TITLE.size + (self.title_lines.len() as f64 - 1.0) * TITLE_LH + 18.0,
            0.0,
            std::slice::from_ref(&self.subtitle),
            &font_attrs(SUBTITLE, MUTED),
        );
        self.draw_lanes(&mut out, procedure);
        self.draw_start(&mut out, procedure, marks);
        for (i, node) in self.nodes.iter().enumerate() {
            self.draw_edges(&mut out, procedure, i, node, marks);
        }
        for (i, node) in self.nodes.iter().enumerate() {
            self.draw_node(
                &mut out,
                procedure,
                i,
                node,
                current.contains(&i),
                marks.activities.get(&i),
            );
        }
        self.draw_legend(&mut out);
        out.push_str("</svg>");
        out
    }

    fn description(&self, procedure: &Procedure, current: &BTreeSet<usize>) -> String {
        let lanes: Vec<String> = self
            .lanes
            .iter()
            .map(|l| {
                let p = procedure.participant(l.participant);
                format!("{} ({})", p.name, p.key)
            })
            .collect();
        let activities = &procedure.activities;
        let decisions = activities
            .iter()
            .filter(|a| matches!(a.route, Route::Decide { .. }))
            .count();
        let mut returns = 0;
        let mut expiries = 0;
        let mut ends = 0;
        for node in &self.nodes {
            for out in &node.outs {
                match (&out.kind, out.exit) {
                    (Kind::Expiry(_), _) => expiries += 1,
                    (_, Exit::End) => ends += 1,
                    (_, _) if out.way == Way::Channel(Side::Left) => returns += 1,
                    _ => {}
                }
            }
        }
        let mut text = format!(
            "Diagrama de flujo del procedimiento «{}», versión {}. {} carril{} de izquierda a derecha, uno por responsable: {}. ",
            procedure.title,
            procedure.version,
            lanes.len(),
            if lanes.len() == 1 { "" } else { "es" },
            lanes.join("; ")
        );
        if let (Some(first), Some(last)) = (activities.first(), activities.last()) {
            let _ = write!(
                text,
                "{} actividad{} de arriba abajo, de la {} a la {}; {} decisi{}; {} regreso{} a actividades anteriores; {} ruta{} al vencer un plazo; {} salida{} a «TERMINA PROCEDIMIENTO».",
                activities.len(),
                if activities.len() == 1 { "" } else { "es" },
                first.number,
                last.number,
                decisions,
                if decisions == 1 { "ón" } else { "ones" },
                returns,
                if returns == 1 { "" } else { "s" },
                expiries,
                if expiries == 1 { "" } else { "s" },
                ends,
                if ends == 1 { "" } else { "s" },
            );
        }
        if !current.is_empty() {
            let names: Vec<String> = current
                .iter()
                .map(|&i| {
                    let a = &activities[i];
                    let who: Vec<String> = procedure
                        .candidates(a)
                        .iter()
                        .map(|id| procedure.participant(*id).name.clone())
                        .collect();
                    format!("{} ({})", a.number, who.join(", "))
                })
                .collect();
            let _ = write!(
                text,
                " Actividad{} actual{}: {}.",
                if names.len() == 1 { "" } else { "es" },
                if names.len() == 1 { "" } else { "es" },
                names.join("; ")
            );
        }
        text
    }

    fn draw_lanes(&self, out: &mut String, procedure: &Procedure) {
        let top = self.header_top;
        let bottom = self.body_bottom;
        out.push_str("<g class=\"lanes\">");
        for (i, lane) in self.lanes.iter().enumerate() {
            let x = self.lanes_left + i as f64 * LANE_W;
            let key = key_of(procedure, lane);
            let _ = write!(
                out,
                "<g class=\"lane\" data-participant=\"{}\">",
                escape(&key)
            );
            let _ = write!(
                out,
                "<title>{}</title>",
                escape(&procedure.participant(lane.participant).name)
            );
            let _ = write!(
                out,
                "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\" stroke=\"{LANE_BORDER}\" stroke-width=\"1\"/>",
                n(x),
                n(top),
                n(LANE_W),
                n(bottom - top),
                LANE_FILL[i % 2]
            );
            let _ = write!(
                out,
                "<rect class=\"lane-header\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{HEADER_FILL}\" stroke=\"{LANE_BORDER}\" stroke-width=\"1\"/>",
                n(x),
                n(top),
                n(LANE_W),
                n(self.header_h)
            );
            let _ = write!(
                out,
                "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"3\" fill=\"{ACCENT}\"/>",
                n(x),
                n(top + self.header_h - 3.0),
                n(LANE_W)
            );
            let text_h = lane.header.len() as f64 * HEADER_LH + 14.0;
            let first = top + (self.header_h - 3.0 - text_h) / 2.0 + HEADER.size;
            text_block(
                out,
                x + LANE_W / 2.0,
                first,
                HEADER_LH,
                &lane.header,
                &format!(
                    "class=\"lane-name\" text-anchor=\"middle\" {}",
                    font_attrs(HEADER, INK)
                ),
            );
            text_block(
                out,
                x + LANE_W / 2.0,
                first + lane.header.len() as f64 * HEADER_LH + 2.0,
                0.0,
                std::slice::from_ref(&lane.key_line),
                &format!(
                    "class=\"lane-key\" text-anchor=\"middle\" {}",
                    font_attrs(HEADER_KEY, MUTED)
                ),
            );
            out.push_str("</g>");
        }
        out.push_str("</g>");
    }

    fn terminator(out: &mut String, cx: f64, top: f64, label: &str, class: &str) {
        let _ = write!(
            out,
            "<g class=\"terminator {class}\"><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"{}\" fill=\"{TERM_FILL}\" stroke=\"{LINE}\" stroke-width=\"1.5\"/>",
            n(cx - TERM_W / 2.0),
            n(top),
            n(TERM_W),
            n(TERM_H),
            n(TERM_H / 2.0)
        );
        text_block(
            out,
            cx,
            top + TERM_H / 2.0 + 3.5,
            0.0,
            &[label.to_owned()],
            &format!("text-anchor=\"middle\" {}", font_attrs(LABEL, INK)),
        );
        out.push_str("</g>");
    }

    fn draw_start(&self, out: &mut String, procedure: &Procedure, marks: &Marks) {
        Self::terminator(out, self.start.cx, self.start.top, "INICIO", "start");
        if let (Some(first), Some(first_number)) = (
            self.nodes.first(),
            procedure.activities.first().map(|a| &a.number),
        ) {
            let y0 = self.start.top + TERM_H;
            Arrow {
                class: "edge",
                color: LINE,
                dashed: false,
                ends: Some(("INICIO".to_owned(), first_number.to_owned())),
                points: vec![(self.start.cx, y0), (first.cx(), first.top)],
                label: None,
            }
            .draw_marked(out, marks);
        }
    }

    fn draw_edges(
        &self,
        out: &mut String,
        procedure: &Procedure,
        i: usize,
        node: &Node,
        marks: &Marks,
    ) {
        let number = &procedure.activities[i].number;
        for out_edge in &node.outs {
            let (target_number, target) = match out_edge.exit {
                Exit::Goto(t) => (
                    procedure.activity(t).number.clone(),
                    Some(&self.nodes[usize::from(t.0)]),
                ),
                Exit::End => ("TERMINA".to_owned(), None),
            };
            let expiry = matches!(out_edge.kind, Kind::Expiry(_));
            let mut class = String::from("edge");
            let mut color = LINE;
            if out_edge.way == Way::Channel(Side::Left) {
                class.push_str(" edge-return");
                color = RETURN;
            }
            if expiry {
                class.push_str(" edge-expiry");
                color = EXPIRY;
            }
            let label_text = out_edge.label().map(str::to_owned);
            let mut pts = Vec::new();
            let label = match out_edge.way {
                Way::Down => {
                    let (sx, sy) = node.bottom_port(out_edge.from);
                    let (tx, ty) = match (target, &node.terminator) {
                        (Some(t), _) => (t.cx(), t.top),
                        (None, Some(term)) => (term.cx, term.top),
                        (None, None) => (sx, sy + GAP),
                    };
                    pts.push((sx, sy));
                    if (tx - sx).abs() > 0.5 {
                        let jog = ty - GAP / 2.0;
                        pts.push((sx, jog));
                        pts.push((tx, jog));
                    }
                    pts.push((tx, ty));
                    label_text.map(|t| (t, (sx + 5.0, sy + 12.0), "start"))
                }
                Way::Channel(side) => {
                    let Some(target) = target else { continue };
                    let (px, py) = node.port(out_edge.from, side, out_edge.port);
                    let cx = self.channel_x(side, out_edge.channel);
                    let (ex, ey) = target.entry(side);
                    pts.extend([(px, py), (cx, py), (cx, ey), (ex, ey)]);
                    label_text.map(|t| side_label(t, out_edge, side, (px, py)))
                }
                Way::ToEnd(side) => {
                    let Some(term) = &node.terminator else {
                        continue;
                    };
                    let (px, py) = node.port(out_edge.from, side, out_edge.port);
                    pts.push((px, py));
                    let beside = (term.cx - node.cx()).abs() > 0.5;
                    if beside {
                        pts.extend([(term.cx, py), (term.cx, term.top)]);
                    } else {
                        // The terminator is below the activity: go around to its side.
                        let (bx, tx) = match side {
                            Side::Left => (node.x - 12.0, term.cx - TERM_W / 2.0),
                            Side::Right => (node.right() + 12.0, term.cx + TERM_W / 2.0),
                        };
                        let mid = term.top + TERM_H / 2.0;
                        pts.extend([(bx, py), (bx, mid), (tx, mid)]);
                    }
                    label_text.map(|t| side_label(t, out_edge, side, (px, py)))
                }
            };
            Arrow {
                class: &class,
                color,
                dashed: expiry,
                ends: Some((number.clone(), target_number)),
                points: pts,
                label,
            }
            .draw_marked(out, marks);
        }
        if let Some(term) = &node.terminator {
            Self::terminator(out, term.cx, term.top, "TERMINA PROCEDIMIENTO", "end");
        }
    }

    fn draw_node(
        &self,
        out: &mut String,
        procedure: &Procedure,
        i: usize,
        node: &Node,
        is_current: bool,
        mark: Option<&ActivityMark>,
    ) {
        let activity = &procedure.activities[i];
        let (fill, stroke, stroke_w) = if is_current {
            (CURRENT_FILL, CURRENT_STROKE, "3.5")
        } else {
            (mark.map_or(BOX_FILL, |m| m.fill), LINE, "1.5")
        };
        let _ = write!(
            out,
            "<g class=\"activity{}\" data-activity=\"{}\">",
            if is_current { " current" } else { "" },
            escape(&activity.number)
        );
        let _ = write!(
            out,
            "<title>{}</title>",
            escape(&tooltip(procedure, activity))
        );
        let _ = write!(
            out,
            "<rect class=\"activity-box\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"3\" fill=\"{fill}\" stroke=\"{stroke}\" stroke-width=\"{stroke_w}\"/>",
            n(node.x),
            n(node.top),
            n(node.w),
            n(node.box_h)
        );
        if activity.parallel {
            let _ = write!(
                out,
                "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"2\" fill=\"none\" stroke=\"{stroke}\" stroke-width=\"1\"/>",
                n(node.x + 4.0),
                n(node.top + 4.0),
                n(node.w - 8.0),
                n(node.box_h - 8.0)
            );
        }
        let left = node.x + 8.0;
        let mut y = node.top + 8.0 + NUMBER.size;
        text_block(
            out,
            left,
            y,
            0.0,
            std::slice::from_ref(&activity.number),
            &format!("class=\"activity-number\" {}", font_attrs(NUMBER, INK)),
        );
        y += 6.0 + BODY_LH - 2.0;
        text_block(out, left, y, BODY_LH, &node.lines, &font_attrs(BODY, INK));
        y += node.lines.len() as f64 * BODY_LH;
        if !node.meta.is_empty() {
            text_block(
                out,
                left,
                y,
                META_LH,
                &node.meta,
                &format!("font-style=\"italic\" {}", font_attrs(META, MUTED)),
            );
        }
        if let Some(d) = &node.diamond {
            // From the activity to its question.
            let _ = write!(
                out,
                "<path class=\"connector\" d=\"M{} {} L{} {}\" fill=\"none\" stroke=\"{LINE}\" stroke-width=\"1.5\"/>",
                n(d.cx),
                n(node.box_bottom()),
                n(d.cx),
                n(d.cy - DIAMOND_H / 2.0)
            );
            let half_w = d.w / 2.0;
            let half_h = DIAMOND_H / 2.0;
            let _ = write!(
                out,
                "<polygon class=\"decision\" points=\"{}\" fill=\"{}\" stroke=\"{stroke}\" stroke-width=\"{stroke_w}\"/>",
                points(&[
                    (d.cx, d.cy - half_h),
                    (d.cx + half_w, d.cy),
                    (d.cx, d.cy + half_h),
                    (d.cx - half_w, d.cy),
                ]),
                if is_current {
                    CURRENT_FILL
                } else {
                    DECISION_FILL
                }
            );
            let first = d.cy - (d.lines.len() as f64 - 1.0) * QUESTION_LH / 2.0 + 3.5;
            text_block(
                out,
                d.cx,
                first,
                QUESTION_LH,
                &d.lines,
                &format!(
                    "class=\"decision-question\" text-anchor=\"middle\" {}",
                    font_attrs(QUESTION, INK)
                ),
            );
        }
        for &lane in &node.markers {
            let cx = self.lanes_left + lane as f64 * LANE_W + LANE_W / 2.0;
            let w = NUMBER.width(&activity.number) + 16.0;
            let _ = write!(
                out,
                "<g class=\"lane-marker\"><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"16\" rx=\"3\" fill=\"{fill}\" stroke=\"{stroke}\" stroke-width=\"1\" stroke-dasharray=\"3 2\"/>",
                n(cx - w / 2.0),
                n(node.top + MARK_DY - 12.0),
                n(w)
            );
            text_block(
                out,
                cx,
                node.top + MARK_DY,
                0.0,
                std::slice::from_ref(&activity.number),
                &format!("text-anchor=\"middle\" {}", font_attrs(LABEL, INK)),
            );
            out.push_str("</g>");
        }
        if is_current {
            let (x, anchor, mark) = if node.mark_left {
                (node.x - 8.0, "end", CURRENT_MARK_LEFT)
            } else {
                (node.right() + 8.0, "start", CURRENT_MARK)
            };
            text_block(
                out,
                x,
                node.top + MARK_DY,
                0.0,
                &[mark.to_owned()],
                &format!(
                    "class=\"current-mark\" text-anchor=\"{anchor}\" {} stroke=\"#ffffff\" stroke-width=\"3\" stroke-linejoin=\"round\" paint-order=\"stroke\"",
                    font_attrs(LABEL, CURRENT_STROKE)
                ),
            );
        } else if let Some(mark) = mark {
            let (x, anchor) = if node.mark_left {
                (node.x - 8.0, "end")
            } else {
                (node.right() + 8.0, "start")
            };
            text_block(
                out,
                x,
                node.top + MARK_DY,
                0.0,
                std::slice::from_ref(&mark.label),
                &format!(
                    "class=\"activity-figures\" text-anchor=\"{anchor}\" {} stroke=\"#ffffff\" stroke-width=\"3\" stroke-linejoin=\"round\" paint-order=\"stroke\"",
                    font_attrs(LABEL, INK)
                ),
            );
        }
        out.push_str("</g>");
    }

    fn draw_legend(&self, out: &mut String) {
        let columns = legend_columns(self.width);
        out.push_str("<g class=\"legend\">");
        for (i, label) in legend_items().iter().enumerate() {
            let x = MARGIN + (i % columns) as f64 * 230.0;
            let y = self.legend_top + (i / columns) as f64 * 22.0;
            let mid = y + 6.0;
            match i {
                0..=2 => {
                    let (class, color, dashed) = match i {
                        0 => ("legend-edge", LINE, false),
                        1 => ("legend-edge legend-return", RETURN, false),
                        _ => ("legend-edge legend-expiry", EXPIRY, true),
                    };
                    Arrow {
                        class,
                        color,
                        dashed,
                        ends: None,
                        points: vec![(x, mid), (x + 36.0, mid)],
                        label: None,
                    }
                    .draw(out);
                }
                3 => {
                    let _ = write!(
                        out,
                        "<rect x=\"{}\" y=\"{}\" width=\"36\" height=\"14\" fill=\"{BOX_FILL}\" stroke=\"{LINE}\" stroke-width=\"1.5\"/><rect x=\"{}\" y=\"{}\" width=\"30\" height=\"8\" fill=\"none\" stroke=\"{LINE}\" stroke-width=\"1\"/>",
                        n(x),
                        n(y - 1.0),
                        n(x + 3.0),
                        n(y + 2.0)
                    );
                }
                _ => {
                    let _ = write!(
                        out,
                        "<rect x=\"{}\" y=\"{}\" width=\"36\" height=\"14\" fill=\"{CURRENT_FILL}\" stroke=\"{CURRENT_STROKE}\" stroke-width=\"3\"/>",
                        n(x),
                        n(y - 1.0)
                    );
                }
            }
            let text = if i == 4 {
                format!("{label} ({CURRENT_MARK})")
            } else {
                (*label).to_owned()
            };
            text_block(
                out,
                x + 44.0,
                mid + 3.5,
                0.0,
                &[text],
                &font_attrs(META, INK),
            );
        }
        out.push_str("</g>");
    }
}

/// The full text of an activity, for its `<title>`.
fn tooltip(procedure: &Procedure, activity: &Activity) -> String {
    let mut text = format!("{}. {}", activity.number, activity.text);
    if let Some(printed) = &activity.manual_number {
        let _ = write!(text, "\nNúmero en el manual: {printed}");
    }
    let who: Vec<String> = procedure
        .candidates(activity)
        .iter()
        .map(|id| {
            let p = procedure.participant(*id);
            format!("{} ({})", p.name, p.key)
        })
        .collect();
    let _ = match &activity.assignment {
        Assignment::Fixed(_) => write!(text, "\nResponsable: {}", who.join("; ")),
        Assignment::FromField(f) => write!(
            text,
            "\nResponsable: la unidad elegida en «{}» entre {}",
            procedure.field(*f).label,
            who.join("; ")
        ),
    };
    if activity.parallel {
        text.push_str(
            "\nEn paralelo: cada unidad responde y la actividad termina cuando todas lo hicieron.",
        );
    }
    if let Route::Decide { question, branches } = &activity.route {
        let _ = write!(text, "\nDecisión: {question}");
        for branch in branches {
            let _ = write!(text, "\n  {}: {}", branch.answer, branch.text);
        }
    }
    if let Some(deadline) = &activity.deadline {
        let _ = write!(text, "\nPlazo: {}", deadline.text);
        if let Some(target) = deadline.on_expiry {
            let _ = write!(
                text,
                "; al vencer sigue en {}",
                procedure.activity(target).number
            );
        }
    }
    if !activity.documents.is_empty() {
        let _ = write!(text, "\nDocumentos: {}", activity.documents.join("; "));
    }
    if let Some(call) = &activity.call {
        let _ = write!(text, "\nSubprocedimiento: {call}");
    }
    text
}
