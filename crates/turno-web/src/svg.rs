//! Drawing the SVG diagrams (the procedure's flowchart, the organigrama): XML escaping, an estimate of how wide a text is drawn, and word
//! wrapping to a width (with an ellipsis when it does not fit in the lines allowed).
//!
//! The estimate is deliberately a little generous (DejaVu Sans, the widest of the usual
//! fallbacks, is about 0.6 em per lowercase letter), so that text fits with any system font.

use std::fmt::Write as _;

/// The diagrams' fonts: the system's, ending with the font the width estimate assumes.
pub(crate) const FONT_FAMILY: &str = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', 'Helvetica Neue', Arial, 'DejaVu Sans', sans-serif";

/// Escapes a text for XML content or a double-quoted attribute. Characters XML 1.0 does not
/// allow (control characters other than tab and line breaks, U+FFFE, U+FFFF) are dropped.
pub(crate) fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            '\u{FFFE}' | '\u{FFFF}' => {}
            c if c < ' ' => {}
            c => out.push(c),
        }
    }
    out
}

/// Width of one character, in em.
fn char_em(c: char) -> f64 {
    match c {
        ' ' => 0.32,
        'i' | 'l' | 'j' | 'í' | 'ì' | 'ï' | '.' | ',' | ';' | ':' | '\'' | '|' | '!' | '¡' => {
            0.3
        }
        'f' | 't' | 'r' | '(' | ')' | '[' | ']' | '«' | '»' | '“' | '”' | '"' | '/' | '-' => {
            0.42
        }
        'm' | 'w' | 'M' | 'W' | '…' | '%' | '@' => 0.9,
        c if c.is_uppercase() => 0.7,
        c if c.is_ascii_digit() => 0.62,
        _ => 0.6,
    }
}

/// Estimated drawn width of a text at a font size, in user units.
pub(crate) fn width(s: &str, size: f64, bold: bool) -> f64 {
    let em: f64 = s.chars().map(char_em).sum();
    em * size * if bold { 1.12 } else { 1.0 }
}

/// A font: its size and weight, for measuring.
#[derive(Clone, Copy)]
pub(crate) struct Font {
    pub size: f64,
    pub bold: bool,
}

impl Font {
    pub const fn regular(size: f64) -> Font {
        Font { size, bold: false }
    }

    pub const fn bold(size: f64) -> Font {
        Font { size, bold: true }
    }

    pub fn width(self, s: &str) -> f64 {
        width(s, self.size, self.bold)
    }
}

/// Wraps a text into at most `max_lines` lines, line `i` being at most `widths(i)` wide. Returns
/// the lines and whether the text was shortened (then the last line ends with "…").
pub(crate) fn wrap_to(
    text: &str,
    font: Font,
    widths: &dyn Fn(usize) -> f64,
    max_lines: usize,
) -> (Vec<String>, bool) {
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut truncated = false;
    'words: for word in text.split_whitespace() {
        let mut word = word.to_owned();
        loop {
            if lines.len() >= max_lines {
                truncated = true;
                break 'words;
            }
            let limit = widths(lines.len());
            let candidate = if current.is_empty() {
                word.clone()
            } else {
                format!("{current} {word}")
            };
            if font.width(&candidate) <= limit {
                current = candidate;
                break;
            }
            if !current.is_empty() {
                lines.push(std::mem::take(&mut current));
                continue;
            }
            // A single word wider than the line: split it.
            let mut head = String::new();
            let mut rest = word.chars();
            for c in word.chars() {
                let mut next = head.clone();
                next.push(c);
                if font.width(&next) > limit && !head.is_empty() {
                    break;
                }
                head = next;
                rest.next();
            }
            let rest: String = rest.collect();
            lines.push(head);
            if rest.is_empty() {
                break;
            }
            word = rest;
        }
    }
    if !current.is_empty() {
        if lines.len() < max_lines {
            lines.push(current);
        } else {
            truncated = true;
        }
    }
    if truncated && let Some(last) = lines.last_mut() {
        let limit = widths(max_lines.saturating_sub(1));
        let mut shortened = last.trim_end().to_owned();
        while !shortened.is_empty() && font.width(&format!("{shortened}…")) > limit {
            shortened.pop();
        }
        // Cut at a word boundary when one is near, and drop dangling punctuation.
        if let Some(space) = shortened.rfind(' ')
            && shortened.len() - space < 12
            && space > 0
        {
            shortened.truncate(space);
        }
        let trimmed = shortened.trim_end_matches([' ', ',', ';', ':', '.', '(', '-', '«', '“']);
        *last = format!("{trimmed}…");
    }
    (lines, truncated)
}

/// Wraps a text to one width.
pub(crate) fn wrap(text: &str, font: Font, width: f64, max_lines: usize) -> Vec<String> {
    wrap_to(text, font, &|_| width, max_lines).0
}

/// A coordinate rounded to a tenth, without a needless ".0".
pub(crate) fn n(v: f64) -> String {
    let r = (v * 10.0).round() / 10.0;
    if r == r.trunc() {
        format!("{}", r as i64)
    } else {
        format!("{r:.1}")
    }
}

pub(crate) fn points(ps: &[(f64, f64)]) -> String {
    ps.iter()
        .map(|(x, y)| format!("{},{}", n(*x), n(*y)))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Text lines, each a `<tspan>` on its own line.
pub(crate) fn text_block(
    out: &mut String,
    x: f64,
    first_baseline: f64,
    line_h: f64,
    lines: &[String],
    attrs: &str,
) {
    let _ = write!(
        out,
        "<text x=\"{}\" y=\"{}\" {attrs}>",
        n(x),
        n(first_baseline)
    );
    for (i, line) in lines.iter().enumerate() {
        let _ = write!(
            out,
            "<tspan x=\"{}\" y=\"{}\">{}</tspan>",
            n(x),
            n(first_baseline + i as f64 * line_h),
            escape(line)
        );
    }
    out.push_str("</text>");
}

/// A chart's horizontal bar: the rectangle `(x, y, length, height)` filled with `colour`, and
/// `figure` written after its end on `baseline`, in `font`.
pub(crate) fn bar(
    out: &mut String,
    (x, y, length, height): (f64, f64, f64, f64),
    colour: &str,
    figure: impl std::fmt::Display,
    baseline: f64,
    font: Font,
) {
    let _ = write!(
        out,
        "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{colour}\"/>\
         <text x=\"{}\" y=\"{}\" {}>{figure}</text>",
        n(x),
        n(y),
        n(length),
        n(height),
        n(x + length + 6.0),
        n(baseline),
        font_attrs(font, "#1a1a1a"),
    );
}

pub(crate) fn font_attrs(font: Font, fill: &str) -> String {
    format!(
        "font-size=\"{}\"{} fill=\"{fill}\"",
        n(font.size),
        if font.bold {
            " font-weight=\"bold\""
        } else {
            ""
        }
    )
}

/// DejaVu Sans Condensed, the PDF export's font (as `turno export`'s, whose files these are):
/// every Spanish letter, embedded so that the PDF reads the same anywhere.
pub(crate) const PDF_REGULAR: &[u8] =
    include_bytes!("../../turno-cli/fonts/DejaVuSansCondensed.ttf");
pub(crate) const PDF_BOLD: &[u8] =
    include_bytes!("../../turno-cli/fonts/DejaVuSansCondensed-Bold.ttf");

/// A diagram's SVG as a one-page PDF of its own size (vectors, its text selectable in DejaVu
/// Sans Condensed, whatever fonts the SVG names), to download or print at any scale; `title`
/// is the document's title in its metadata (what a reader shows, and a search finds).
pub(crate) fn pdf(svg: &str, title: Option<&str>) -> anyhow::Result<Vec<u8>> {
    pdf_pages(&[svg], title)
}

/// How the diagrams' SVG is read to be drawn outside a browser (a PDF, a PNG): with the embedded
/// DejaVu Sans Condensed in place of whatever fonts the SVG names.
pub(crate) fn svg_options() -> anyhow::Result<usvg::Options<'static>> {
    let mut options = usvg::Options::default();
    let fonts = options.fontdb_mut();
    fonts.load_font_data(PDF_REGULAR.to_vec());
    fonts.load_font_data(PDF_BOLD.to_vec());
    // The SVG names the system's fonts; the PDF has only these, under their own name.
    let family = fonts
        .faces()
        .find_map(|face| face.families.first().map(|(name, _)| name.clone()))
        .ok_or_else(|| anyhow::anyhow!("the embedded font is unreadable"))?;
    fonts.set_sans_serif_family(family.clone());
    options.font_family = family;
    Ok(options)
}

/// SVGs as the pages of one PDF, each page of its SVG's size, as [`pdf`] draws one.
pub(crate) fn pdf_pages(svgs: &[&str], title: Option<&str>) -> anyhow::Result<Vec<u8>> {
    use krilla_svg::{SurfaceExt, SvgSettings};
    let options = svg_options()?;
    let mut document = krilla::Document::new();
    if let Some(title) = title {
        document.set_metadata(krilla::metadata::Metadata::new().title(title.to_owned()));
    }
    for svg in svgs {
        let tree = usvg::Tree::from_str(svg, &options)?;
        let (width, height) = (tree.size().width(), tree.size().height());
        let size = krilla::geom::Size::from_wh(width, height)
            .ok_or_else(|| anyhow::anyhow!("the page has no size"))?;
        let settings = krilla::page::PageSettings::from_wh(width, height)
            .ok_or_else(|| anyhow::anyhow!("the page has no size"))?;
        let mut page = document.start_page_with(settings);
        let mut surface = page.surface();
        surface
            .draw_svg(&tree, size, SvgSettings::default())
            .ok_or_else(|| anyhow::anyhow!("the page cannot be drawn"))?;
        surface.finish();
        page.finish();
    }
    document
        .finish()
        .map_err(|e| anyhow::anyhow!("cannot write the PDF: {e:?}"))
}

/// A grouped horizontal bar chart drawn by the server (no script): for each group (a unit, a
/// month), a bar per series with its figure after it, and a legend. Its `<title>` names it
/// and its `<desc>` reads every figure (`{id}-titulo`, `{id}-desc`), so that it reads without
/// seeing it; the page puts the same figures in a table beside it. `series`: each series'
/// label and colour (at least 3:1 against the white page); `groups`: each group's label and
/// its figures, one per series.
pub(crate) fn grouped_bars(
    id: &str,
    title: &str,
    series: &[(&str, &str)],
    groups: &[(String, Vec<u64>)],
) -> String {
    const LABEL_W: f64 = 200.0;
    const BAR_W: f64 = 340.0;
    const BAR_H: f64 = 14.0;
    const LEGEND_H: f64 = 28.0;
    let group_h = BAR_H * series.len().max(1) as f64 + 14.0;
    let font = Font::regular(13.0);
    let most = groups
        .iter()
        .flat_map(|(_, figures)| figures.iter().copied())
        .max()
        .unwrap_or(0)
        .max(1);
    let height = LEGEND_H + group_h * groups.len().max(1) as f64;
    let described = groups
        .iter()
        .map(|(label, figures)| {
            let figures: Vec<String> = series
                .iter()
                .zip(figures)
                .map(|((name, _), figure)| format!("{} {figure}", name.to_lowercase()))
                .collect();
            format!("{label}: {}", figures.join(", "))
        })
        .collect::<Vec<_>>()
        .join("; ");
    let mut out = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" \
         aria-labelledby=\"{id}-titulo {id}-desc\" \
         viewBox=\"0 0 {} {}\" width=\"100%\" font-family=\"{}\">\
         <title id=\"{id}-titulo\">{}</title><desc id=\"{id}-desc\">{}.</desc>",
        n(LABEL_W + BAR_W + 60.0),
        n(height),
        FONT_FAMILY,
        escape(title),
        escape(&described),
    );
    let mut x = LABEL_W;
    for (label, colour) in series {
        let _ = write!(
            out,
            "<rect x=\"{}\" y=\"6\" width=\"12\" height=\"12\" fill=\"{colour}\"/>\
             <text x=\"{}\" y=\"17\" {}>{}</text>",
            n(x),
            n(x + 16.0),
            font_attrs(font, "#1a1a1a"),
            escape(label),
        );
        x += 22.0 + width(label, font.size, false);
    }
    for (i, (label, figures)) in groups.iter().enumerate() {
        let top = LEGEND_H + group_h * i as f64;
        let name = wrap(label, font, LABEL_W - 10.0, 2);
        text_block(
            &mut out,
            LABEL_W - 10.0,
            top + 16.0,
            15.0,
            &name,
            &format!("text-anchor=\"end\" {}", font_attrs(font, "#1a1a1a")),
        );
        for (j, ((_, colour), count)) in series.iter().zip(figures).enumerate() {
            let y = top + BAR_H * j as f64;
            let length = BAR_W * *count as f64 / most as f64;
            bar(
                &mut out,
                (LABEL_W, y + 1.0, length, BAR_H - 2.0),
                colour,
                count,
                y + 12.0,
                Font::regular(11.0),
            );
        }
    }
    out.push_str("</svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const FONT: Font = Font {
        size: 10.0,
        bold: false,
    };

    #[test]
    fn escapes_markup_and_drops_invalid_characters() {
        assert_eq!(
            escape("«a» & <b> \"c\" 'd'\u{1}"),
            "«a» &amp; &lt;b&gt; &quot;c&quot; &apos;d&apos;"
        );
    }

    #[test]
    fn wraps_within_the_width_and_shortens_with_an_ellipsis() {
        let text =
            "Recibe los informes oficiales de las Direcciones Generales y los requerimientos";
        let lines = wrap(text, FONT, 100.0, 2);
        assert_eq!(lines.len(), 2);
        assert!(lines.iter().all(|l| FONT.width(l) <= 100.0), "{lines:?}");
        assert!(lines[1].ends_with('…'));
        let whole = wrap("Corto", FONT, 100.0, 2);
        assert_eq!(whole, vec!["Corto".to_owned()]);
    }

    #[test]
    fn splits_a_word_longer_than_the_line() {
        let lines = wrap("Supercalifragilisticoespialidoso", FONT, 60.0, 4);
        assert!(lines.len() > 1);
        assert_eq!(lines.concat(), "Supercalifragilisticoespialidoso");
    }
}
