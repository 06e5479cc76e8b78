//! An outgoing document as a PDF of letter-size pages (issue 17, item 3): the letterhead (the
//! institution down to the issuing unit), the number or «sin número» while unsigned, the date,
//! the subject and the «en atención a» reference, the addressees, the body, the signer block
//! and the copies (c.c.p.). A cancelled document says so across its pages. Drawn as SVG and
//! written by krilla (`svg::pdf_pages`), in the embedded DejaVu fonts.

use crate::svg::{Font, escape, n, wrap};
use std::fmt::Write as _;
use turno_app::correspondence::outgoing::OutgoingView;
use turno_domain::correspondence::Stage;

/// US Letter, in points, and its margins.
const WIDTH: f64 = 612.0;
const HEIGHT: f64 = 792.0;
const MARGIN: f64 = 72.0;
const TEXT: Font = Font::regular(10.5);
const BOLD: Font = Font::bold(10.5);
const HEAD: Font = Font::bold(11.0);
const SMALL: Font = Font::regular(8.5);

#[derive(Clone, Copy, PartialEq)]
enum Align {
    Left,
    Center,
    Right,
}

/// One line of the letter, or space between paragraphs.
struct Line {
    text: String,
    font: Font,
    align: Align,
}

/// Lines of `text` wrapped to the text's width.
fn wrapped(lines: &mut Vec<Line>, text: &str, font: Font, align: Align) {
    for paragraph in text.lines() {
        if paragraph.trim().is_empty() {
            lines.push(blank());
            continue;
        }
        for part in wrap(paragraph, font, WIDTH - 2.0 * MARGIN, usize::MAX) {
            lines.push(Line {
                text: part,
                font,
                align,
            });
        }
    }
}

fn blank() -> Line {
    Line {
        text: String::new(),
        font: TEXT,
        align: Align::Left,
    }
}

/// The letter's lines, top to bottom.
fn lines(view: &OutgoingView) -> Vec<Line> {
    let d = &view.document;
    let mut out = Vec::new();
    for head in &view.letterhead {
        wrapped(&mut out, head, HEAD, Align::Center);
    }
    out.push(blank());
    let number = match &d.number {
        Some(number) => format!("{} núm. {}", d.kind.label(), number.text),
        None => format!("{} — sin número (no firmado)", d.kind.label()),
    };
    wrapped(&mut out, &number, BOLD, Align::Right);
    wrapped(
        &mut out,
        &format!("Fecha: {}", turno_domain::text::day(view.dated)),
        TEXT,
        Align::Right,
    );
    wrapped(
        &mut out,
        &format!("Asunto: {}", d.subject),
        TEXT,
        Align::Right,
    );
    if let Some(reference) = &d.attention_to {
        wrapped(
            &mut out,
            &format!("En atención a: {reference}"),
            TEXT,
            Align::Right,
        );
    }
    out.push(blank());
    for r in d.recipients.iter().filter(|r| !r.copy) {
        wrapped(&mut out, &r.name, BOLD, Align::Left);
        for part in [&r.title, &r.institution] {
            if !part.is_empty() {
                wrapped(&mut out, part, TEXT, Align::Left);
            }
        }
    }
    wrapped(&mut out, "P r e s e n t e", BOLD, Align::Left);
    out.push(blank());
    wrapped(&mut out, &d.body, TEXT, Align::Left);
    out.push(blank());
    wrapped(&mut out, "Atentamente", TEXT, Align::Center);
    out.push(blank());
    out.push(blank());
    let signer = view
        .signer
        .clone()
        .unwrap_or_else(|| "(pendiente de firma)".to_owned());
    wrapped(&mut out, &signer, BOLD, Align::Center);
    wrapped(&mut out, &view.unit_name, TEXT, Align::Center);
    let copies: Vec<_> = d.recipients.iter().filter(|r| r.copy).collect();
    if !copies.is_empty() {
        out.push(blank());
        for (i, r) in copies.iter().enumerate() {
            let who = [r.name.as_str(), r.title.as_str(), r.institution.as_str()]
                .into_iter()
                .filter(|p| !p.is_empty())
                .collect::<Vec<_>>()
                .join(", ");
            let prefix = if i == 0 { "c.c.p." } else { "      " };
            wrapped(&mut out, &format!("{prefix} {who}"), SMALL, Align::Left);
        }
    }
    out
}

/// One page of lines as SVG.
fn page(lines: &[Line], cancelled: bool, number: usize, pages: usize) -> String {
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" \
         viewBox=\"0 0 {w} {h}\"><rect width=\"{w}\" height=\"{h}\" fill=\"#fff\"/>",
        w = n(WIDTH),
        h = n(HEIGHT)
    );
    let mut y = MARGIN;
    for line in lines {
        y += line.font.size * 1.45;
        if line.text.is_empty() {
            continue;
        }
        let (x, anchor) = match line.align {
            Align::Left => (MARGIN, "start"),
            Align::Center => (WIDTH / 2.0, "middle"),
            Align::Right => (WIDTH - MARGIN, "end"),
        };
        let _ = write!(
            svg,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"{anchor}\" {}>{}</text>",
            n(x),
            n(y),
            crate::svg::font_attrs(line.font, "#111"),
            escape(&line.text)
        );
    }
    if cancelled {
        let _ = write!(
            svg,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" font-size=\"72\" font-weight=\"bold\" \
             fill=\"#b00020\" fill-opacity=\"0.25\" transform=\"rotate(-35 {} {})\">CANCELADO</text>",
            n(WIDTH / 2.0),
            n(HEIGHT / 2.0),
            n(WIDTH / 2.0),
            n(HEIGHT / 2.0)
        );
    }
    if pages > 1 {
        let _ = write!(
            svg,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\" {}>Hoja {number} de {pages}</text>",
            n(WIDTH - MARGIN),
            n(HEIGHT - MARGIN / 2.0),
            crate::svg::font_attrs(SMALL, "#444")
        );
    }
    svg.push_str("</svg>");
    svg
}

/// The document as a PDF.
pub fn pdf(view: &OutgoingView) -> anyhow::Result<Vec<u8>> {
    let all = lines(view);
    let mut pages: Vec<&[Line]> = Vec::new();
    let (mut start, mut y) = (0, MARGIN);
    for (i, line) in all.iter().enumerate() {
        y += line.font.size * 1.45;
        if y > HEIGHT - MARGIN {
            pages.push(&all[start..i]);
            start = i;
            y = MARGIN + line.font.size * 1.45;
        }
    }
    pages.push(&all[start..]);
    let cancelled = view.document.stage == Stage::Cancelled;
    let svgs: Vec<String> = pages
        .iter()
        .enumerate()
        .map(|(i, lines)| page(lines, cancelled, i + 1, pages.len()))
        .collect();
    let d = &view.document;
    let title = match &d.number {
        Some(number) => format!("{} {}", d.kind.label(), number.text),
        None => format!("{}: {}", d.kind.label(), d.subject),
    };
    crate::svg::pdf_pages(
        &svgs.iter().map(String::as_str).collect::<Vec<_>>(),
        Some(&title),
    )
}
