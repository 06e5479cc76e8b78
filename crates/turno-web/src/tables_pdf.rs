//! Tables as a PDF: a follow-up program's tables (`turno export asm --format pdf`, a visit's
//! improvement plan on its page and through the API) or the monthly citizen-attention report
//! (`turno export atencion`), on landscape letter pages, each page with its table's header,
//! and the signatures (if any) under the last table.
//! Pages are laid out first as marks (text, cells, rules) and then drawn, so that each page's
//! footer knows how many pages there are.

use anyhow::{Context as _, anyhow};
use krilla::Document;
use krilla::color::rgb;
use krilla::geom::{PathBuilder, Point, Rect};
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::text::{Font, TextDirection};
use skrifa::MetadataProvider as _;
use skrifa::instance::{LocationRef, Size};

// DejaVu Sans Condensed (turno-cli/fonts/LICENSE-DejaVu): every Spanish letter, narrow enough
// for the activities table's twelve columns.
use crate::svg::{PDF_BOLD as BOLD, PDF_REGULAR as REGULAR};

/// Letter, landscape, in points.
const WIDTH: f32 = 792.0;
const HEIGHT: f32 = 612.0;
const MARGIN: f32 = 30.0;
const SIZE: f32 = 7.0;
const LEADING: f32 = 8.6;
const PADDING: f32 = 3.0;
const TITLE: f32 = 11.0;
/// No column is laid out wider than this before the widths are scaled to the page.
const WIDEST: f32 = 170.0;

/// An embedded font: to draw with, and to measure text for wrapping (the manual's PDF too).
pub(crate) struct Face {
    pub(crate) font: Font,
    data: &'static [u8],
}

impl Face {
    pub(crate) fn new(data: &'static [u8]) -> anyhow::Result<Face> {
        Ok(Face {
            font: Font::new(data.into(), 0).context("the embedded font is unreadable")?,
            data,
        })
    }

    /// The advance of `text` at `size`, glyph by glyph (the tables' text has no ligatures).
    pub(crate) fn width(&self, text: &str, size: f32) -> f32 {
        let Ok(font) = skrifa::FontRef::new(self.data) else {
            return 0.0;
        };
        let charmap = font.charmap();
        let metrics = font.glyph_metrics(Size::new(size), LocationRef::default());
        text.chars()
            .map(|c| {
                charmap
                    .map(c)
                    .and_then(|g| metrics.advance_width(g))
                    .unwrap_or(size / 2.0)
            })
            .sum()
    }

    /// `text` in lines no wider than `width`: the cell's own line breaks kept, words moved
    /// whole to the next line, a word wider than the line cut where it must.
    pub(crate) fn wrap(&self, text: &str, size: f32, width: f32) -> Vec<String> {
        let mut lines = Vec::new();
        for paragraph in text.lines() {
            let mut line = String::new();
            for word in paragraph.split_whitespace() {
                let candidate = if line.is_empty() {
                    word.to_owned()
                } else {
                    format!("{line} {word}")
                };
                if self.width(&candidate, size) <= width {
                    line = candidate;
                    continue;
                }
                if !line.is_empty() {
                    lines.push(std::mem::take(&mut line));
                }
                for c in word.chars() {
                    line.push(c);
                    if self.width(&line, size) > width && line.chars().count() > 1 {
                        line.pop();
                        lines.push(std::mem::replace(&mut line, c.to_string()));
                    }
                }
            }
            lines.push(line);
        }
        lines
    }
}

/// What a page is drawn from, in points from its top left corner.
pub(crate) enum Mark {
    Text {
        x: f32,
        y: f32,
        text: String,
        bold: bool,
        size: f32,
    },
    Cell {
        x: f32,
        y: f32,
        width: f32,
        height: f32,
        shaded: bool,
    },
    Rule {
        x: f32,
        y: f32,
        width: f32,
    },
}

struct Pages<'f> {
    regular: &'f Face,
    bold: &'f Face,
    pages: Vec<Vec<Mark>>,
    y: f32,
}

impl Pages<'_> {
    fn new_page(&mut self) {
        self.pages.push(Vec::new());
        self.y = MARGIN;
    }

    fn room(&self) -> f32 {
        HEIGHT - MARGIN - self.y
    }

    fn mark(&mut self, mark: Mark) {
        if let Some(page) = self.pages.last_mut() {
            page.push(mark);
        }
    }

    fn text(&mut self, x: f32, text: &str, bold: bool, size: f32) {
        let y = self.y + size;
        self.mark(Mark::Text {
            x,
            y,
            text: text.to_owned(),
            bold,
            size,
        });
    }

    /// Each column at least as wide as its longest word (a date, «INSTITUCIONAL») and, as
    /// far as the page allows, as its longest line (up to `WIDEST`): what is left of the page
    /// after the words is shared in proportion to what each column would still take.
    fn widths(&self, rows: &[Vec<String>]) -> Vec<f32> {
        let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
        let measure = |c: usize, split: fn(&str) -> Vec<&str>| {
            rows.iter()
                .filter_map(|row| row.get(c))
                .flat_map(|cell| split(cell))
                .map(|part| self.bold.width(part, SIZE) + 2.0 * PADDING)
                .fold(2.0 * SIZE, f32::max)
        };
        let least: Vec<f32> = (0..columns)
            .map(|c| measure(c, |cell| cell.split_whitespace().collect()).min(WIDEST / 2.0))
            .collect();
        let wanted: Vec<f32> = (0..columns)
            .map(|c| measure(c, |cell| cell.lines().collect()).clamp(least[c], WIDEST))
            .collect();
        let page = WIDTH - 2.0 * MARGIN;
        let (least_total, wanted_total) = (least.iter().sum::<f32>(), wanted.iter().sum::<f32>());
        if wanted_total <= page || least_total >= page {
            let total = if wanted_total <= page {
                wanted_total
            } else {
                least_total
            };
            let base = if wanted_total <= page {
                &wanted
            } else {
                &least
            };
            return base.iter().map(|w| w * page / total).collect();
        }
        let share = (page - least_total) / (wanted_total - least_total);
        least
            .iter()
            .zip(&wanted)
            .map(|(l, w)| l + (w - l) * share)
            .collect()
    }

    /// One row of cells: the table's header (bold, shaded) when `header` is `None`; otherwise
    /// a row of data, on a new page after the header again when it does not fit. A row
    /// taller than half a page keeps the lines that fit there.
    fn row(&mut self, cells: &[String], widths: &[f32], header: Option<&[String]>) {
        let face = if header.is_none() {
            self.bold
        } else {
            self.regular
        };
        let fit = ((HEIGHT - 2.0 * MARGIN) / 2.0 / LEADING).floor() as usize;
        let lines: Vec<Vec<String>> = widths
            .iter()
            .enumerate()
            .map(|(c, width)| {
                let text = cells.get(c).map_or("", String::as_str);
                let mut lines = face.wrap(text, SIZE, width - 2.0 * PADDING);
                if lines.len() > fit {
                    lines.truncate(fit);
                    if let Some(last) = lines.last_mut() {
                        last.push('…');
                    }
                }
                lines
            })
            .collect();
        let count = lines.iter().map(Vec::len).max().unwrap_or(1).max(1);
        let height = count as f32 * LEADING + 2.0 * PADDING;
        if let Some(header) = header
            && height > self.room()
        {
            self.new_page();
            self.row(header, widths, None);
        }
        let mut x = MARGIN;
        for (width, lines) in widths.iter().zip(lines) {
            self.mark(Mark::Cell {
                x,
                y: self.y,
                width: *width,
                height,
                shaded: header.is_none(),
            });
            for (i, line) in lines.iter().enumerate() {
                self.mark(Mark::Text {
                    x: x + PADDING,
                    y: self.y + PADDING + (i + 1) as f32 * LEADING - 1.8,
                    text: line.clone(),
                    bold: header.is_none(),
                    size: SIZE,
                });
            }
            x += width;
        }
        self.y += height;
    }

    /// A table under its title, starting a page when the title, the header and a row would
    /// not fit on this one.
    fn table(&mut self, title: &str, rows: &[Vec<String>]) {
        let Some((header, data)) = rows.split_first() else {
            return;
        };
        if self.room() < TITLE + 8.0 * LEADING {
            self.new_page();
        } else if self.y > MARGIN {
            self.y += TITLE;
        }
        self.text(MARGIN, title, true, TITLE);
        self.y += TITLE + 6.0;
        let widths = self.widths(rows);
        self.row(header, &widths, None);
        for row in data {
            self.row(row, &widths, Some(header));
        }
    }

    /// «Elaboró» and «Autorizó» side by side, each over a line to sign on and the name.
    fn sign_off(&mut self, rows: &[Vec<String>]) {
        let [titles, names] = rows else {
            return;
        };
        if self.room() < 80.0 {
            self.new_page();
        }
        self.y += 24.0;
        let top = self.y;
        let width = 220.0;
        for (i, (title, name)) in titles.iter().zip(names).enumerate() {
            let x = MARGIN + 60.0 + i as f32 * (width + 120.0);
            self.y = top;
            self.text(x, title, true, 8.0);
            self.y += 40.0;
            self.mark(Mark::Rule {
                x,
                y: self.y,
                width,
            });
            self.y += 4.0;
            self.text(x, name, false, 8.0);
        }
        self.y += 16.0;
    }
}

/// The titled tables (header row first) and the signature rows as a PDF; `name` heads each
/// table and every page's footer.
pub fn tables(
    name: &str,
    tables: &[(String, Vec<Vec<String>>)],
    sign_off: &[Vec<String>],
) -> anyhow::Result<Vec<u8>> {
    let regular = Face::new(REGULAR)?;
    let bold = Face::new(BOLD)?;
    let mut pages = Pages {
        regular: &regular,
        bold: &bold,
        pages: Vec::new(),
        y: MARGIN,
    };
    pages.new_page();
    for (title, rows) in tables {
        pages.table(&format!("{name}: {title}"), rows);
    }
    pages.sign_off(sign_off);

    let total = pages.pages.len();
    let mut document = Document::new();
    for (number, marks) in pages.pages.into_iter().enumerate() {
        let settings = PageSettings::from_wh(WIDTH, HEIGHT).context("page size")?;
        let mut page = document.start_page_with(settings);
        let mut surface = page.surface();
        let footer = format!("{name} — página {} de {total}", number + 1);
        let marks = marks.into_iter().chain([Mark::Text {
            x: MARGIN,
            y: HEIGHT - MARGIN / 2.0,
            text: footer,
            bold: false,
            size: 6.5,
        }]);
        draw(&mut surface, marks, &regular, &bold)?;
        surface.finish();
        page.finish();
    }
    document
        .finish()
        .map_err(|e| anyhow!("cannot write the PDF: {e:?}"))
}

/// Draws `marks` on a page's surface: text in `regular` or `bold` black, cells with a grey
/// border (shaded or not), black rules.
pub(crate) fn draw(
    surface: &mut krilla::surface::Surface<'_>,
    marks: impl IntoIterator<Item = Mark>,
    regular: &Face,
    bold: &Face,
) -> anyhow::Result<()> {
    let black = || Fill {
        paint: rgb::Color::black().into(),
        ..Fill::default()
    };
    for mark in marks {
        match mark {
            Mark::Text {
                x,
                y,
                text,
                bold: heavy,
                size,
            } => {
                surface.set_stroke(None);
                surface.set_fill(Some(black()));
                let face = if heavy { bold } else { regular };
                surface.draw_text(
                    Point::from_xy(x, y),
                    face.font.clone(),
                    size,
                    &text,
                    false,
                    TextDirection::Auto,
                );
            }
            Mark::Cell {
                x,
                y,
                width,
                height,
                shaded,
            } => {
                let mut path = PathBuilder::new();
                path.push_rect(Rect::from_xywh(x, y, width, height).context("cell size")?);
                let Some(path) = path.finish() else {
                    continue;
                };
                surface.set_fill(shaded.then(|| Fill {
                    paint: rgb::Color::new(225, 225, 225).into(),
                    ..Fill::default()
                }));
                surface.set_stroke(Some(Stroke {
                    paint: rgb::Color::new(120, 120, 120).into(),
                    width: 0.4,
                    ..Stroke::default()
                }));
                surface.draw_path(&path);
            }
            Mark::Rule { x, y, width } => {
                let mut path = PathBuilder::new();
                path.move_to(x, y);
                path.line_to(x + width, y);
                let Some(path) = path.finish() else {
                    continue;
                };
                surface.set_fill(None);
                surface.set_stroke(Some(Stroke {
                    paint: rgb::Color::black().into(),
                    width: 0.6,
                    ..Stroke::default()
                }));
                surface.draw_path(&path);
            }
        }
    }
    Ok(())
}
