//! A unit's organigrama as an SVG, drawn like the manuals' charts: the unit at the top, the units
//! under it in a row, and each of those with its own units stacked below it, joined by lines.
//!
//! [`render`] takes the unit as a [`Node`] whose children and grandchildren are the two levels
//! to draw (deeper levels are not drawn). Names are wrapped into their boxes and shortened with
//! "…" past four lines; each box's `<title>` has the whole name. The root has `role="img"`, a
//! `<title>` and a `<desc>` listing the units, and all presentation is in attributes, as in the
//! flowchart, so that the file looks right alone.

use crate::svg::{FONT_FAMILY, Font, escape, font_attrs, n, text_block, wrap};
use std::fmt::Write as _;

/// A unit to draw and the units under it.
pub struct Node {
    pub code: String,
    pub name: String,
    pub children: Vec<Node>,
}

const MARGIN: f64 = 16.0;
const TOP_W: f64 = 260.0;
const CHILD_W: f64 = 180.0;
const COL_GAP: f64 = 24.0;
/// The stacked units stand this far right of their column, leaving room for the line.
const INDENT: f64 = 20.0;
/// Between the top box and the row.
const ROW_GAP: f64 = 44.0;
/// Between stacked boxes.
const STACK_GAP: f64 = 12.0;
const PAD: f64 = 8.0;
const MIN_H: f64 = 40.0;
const LINES: usize = 4;
const LINE_H: f64 = 13.5;

const TOP_FONT: Font = Font::bold(12.0);
const FONT: Font = Font::regular(11.0);

const INK: &str = "#1b1b1b";
const LINE: &str = "#1f2a27";
const ACCENT: &str = "#235b4e";
const TOP_FILL: &str = "#e3ece9";
const BOX_FILL: &str = "#ffffff";

/// A box placed on the chart.
struct Placed<'a> {
    node: &'a Node,
    x: f64,
    y: f64,
    w: f64,
    h: f64,
    lines: Vec<String>,
    font: Font,
}

impl<'a> Placed<'a> {
    fn new(node: &'a Node, x: f64, y: f64, w: f64, font: Font) -> Placed<'a> {
        let lines = wrap(&node.name, font, w - 2.0 * PAD, LINES);
        let h = (lines.len() as f64 * LINE_H + 2.0 * PAD).max(MIN_H);
        Placed {
            node,
            x,
            y,
            w,
            h,
            lines,
            font,
        }
    }

    fn center(&self) -> f64 {
        self.x + self.w / 2.0
    }

    fn bottom(&self) -> f64 {
        self.y + self.h
    }

    fn draw(&self, out: &mut String, fill: &str, stroke: &str, stroke_width: f64) {
        let _ = write!(
            out,
            "<g class=\"unit\" data-code=\"{}\"><title>{}</title><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"3\" fill=\"{fill}\" stroke=\"{stroke}\" stroke-width=\"{}\"/>",
            escape(&self.node.code),
            escape(&self.node.name),
            n(self.x),
            n(self.y),
            n(self.w),
            n(self.h),
            n(stroke_width)
        );
        // The lines centred in the box: a baseline about 0.35 em below the middle of its line.
        let first = self.y
            + (self.h - self.lines.len() as f64 * LINE_H) / 2.0
            + LINE_H / 2.0
            + 0.35 * self.font.size;
        let attrs = format!("text-anchor=\"middle\" {}", font_attrs(self.font, INK));
        text_block(out, self.center(), first, LINE_H, &self.lines, &attrs);
        out.push_str("</g>");
    }
}

/// The organigrama of `root` (two levels below it) as a standalone SVG document titled `title`.
pub fn render(title: &str, root: &Node) -> String {
    let columns = root.children.len() as f64;
    let row_w = (columns * (CHILD_W + COL_GAP) - COL_GAP).max(0.0);
    let content_w = row_w.max(TOP_W);
    let top = Placed::new(
        root,
        MARGIN + (content_w - TOP_W) / 2.0,
        MARGIN,
        TOP_W,
        TOP_FONT,
    );

    let row_y = top.bottom() + ROW_GAP;
    let row_x = MARGIN + (content_w - row_w) / 2.0;
    let mut row: Vec<Placed> = root
        .children
        .iter()
        .enumerate()
        .map(|(i, child)| {
            let x = row_x + i as f64 * (CHILD_W + COL_GAP);
            Placed::new(child, x, row_y, CHILD_W, FONT)
        })
        .collect();
    // The row's boxes share one height, as in the manuals.
    let row_h = row.iter().map(|b| b.h).fold(0.0, f64::max);
    for placed in &mut row {
        placed.h = row_h;
    }
    let stacks: Vec<Vec<Placed>> = row
        .iter()
        .map(|column| {
            let mut y = column.bottom() + STACK_GAP;
            column
                .node
                .children
                .iter()
                .map(|grandchild| {
                    let placed =
                        Placed::new(grandchild, column.x + INDENT, y, CHILD_W - INDENT, FONT);
                    y = placed.bottom() + STACK_GAP;
                    placed
                })
                .collect()
        })
        .collect();

    let bottom = stacks
        .iter()
        .flatten()
        .map(Placed::bottom)
        .chain(row.iter().map(Placed::bottom))
        .fold(top.bottom(), f64::max);
    let (width, height) = (content_w + 2.0 * MARGIN, bottom + MARGIN);

    let mut out = String::with_capacity(8 * 1024);
    let _ = write!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"orgchart-svg\" role=\"img\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" font-family=\"{font}\">",
        w = n(width),
        h = n(height),
        font = escape(FONT_FAMILY),
    );
    let _ = write!(
        out,
        "<title>{}</title><desc>{}</desc>",
        escape(title),
        escape(&description(root))
    );
    let _ = write!(
        out,
        "<rect x=\"0\" y=\"0\" width=\"{}\" height=\"{}\" fill=\"#ffffff\"/>",
        n(width),
        n(height)
    );

    // Connectors first, so that boxes cover their ends.
    let mut path = String::new();
    if let (Some(first), Some(last)) = (row.first(), row.last()) {
        let bus = top.bottom() + ROW_GAP / 2.0;
        let _ = write!(
            path,
            "M{} {}V{}M{} {}H{}",
            n(top.center()),
            n(top.bottom()),
            n(bus),
            n(first.center().min(top.center())),
            n(bus),
            n(last.center().max(top.center()))
        );
        for column in &row {
            let _ = write!(path, "M{} {}V{}", n(column.center()), n(bus), n(row_y));
        }
    }
    for (column, stack) in row.iter().zip(&stacks) {
        if let Some(last) = stack.last() {
            let spine = column.x + INDENT / 2.0;
            let _ = write!(
                path,
                "M{} {}V{}",
                n(spine),
                n(column.bottom()),
                n(last.y + last.h / 2.0)
            );
            for placed in stack {
                let _ = write!(
                    path,
                    "M{} {}H{}",
                    n(spine),
                    n(placed.y + placed.h / 2.0),
                    n(placed.x)
                );
            }
        }
    }
    if !path.is_empty() {
        let _ = write!(
            out,
            "<path class=\"connector\" d=\"{path}\" fill=\"none\" stroke=\"{LINE}\" stroke-width=\"1.5\"/>"
        );
    }

    top.draw(&mut out, TOP_FILL, ACCENT, 2.5);
    for placed in &row {
        placed.draw(&mut out, BOX_FILL, LINE, 1.5);
    }
    for placed in stacks.iter().flatten() {
        placed.draw(&mut out, BOX_FILL, LINE, 1.0);
    }
    out.push_str("</svg>");
    out
}

/// What the chart shows, in words, for screen readers.
fn description(root: &Node) -> String {
    if root.children.is_empty() {
        return format!("{}, sin unidades adscritas.", root.name);
    }
    let children: Vec<String> = root
        .children
        .iter()
        .map(|child| {
            if child.children.is_empty() {
                child.name.clone()
            } else {
                let names: Vec<&str> = child.children.iter().map(|g| g.name.as_str()).collect();
                format!("{} (con {})", child.name, names.join(", "))
            }
        })
        .collect();
    format!(
        "{}. Unidades adscritas: {}.",
        root.name,
        children.join("; ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(code: &str, children: Vec<Node>) -> Node {
        Node {
            code: code.into(),
            name: format!("Coordinación de {code} & <Operación>"),
            children,
        }
    }

    #[test]
    fn draws_a_box_per_unit_and_escapes_the_names() {
        let chart = node(
            "A",
            vec![
                node("B", vec![node("B1", vec![]), node("B2", vec![])]),
                node("C", vec![]),
            ],
        );
        let svg = render("Organigrama: A", &chart);
        assert_eq!(svg.matches("<g class=\"unit\"").count(), 5);
        assert!(svg.contains("data-code=\"B2\""));
        assert!(svg.contains("&amp; &lt;Operación&gt;") && !svg.contains("<Operación>"));
        assert!(svg.contains("<title>Organigrama: A</title>"));
    }

    #[test]
    fn a_unit_alone_has_no_connectors() {
        let svg = render("Organigrama: A", &node("A", vec![]));
        assert_eq!(svg.matches("<g class=\"unit\"").count(), 1);
        assert!(!svg.contains("connector"));
        assert!(svg.contains("sin unidades adscritas"));
    }
}
