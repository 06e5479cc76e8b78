//! The official manual ([`OfficialManual`]) as a PDF: portrait letter pages with the manual's
//! header and «Hoja N de M», the sections' paragraphs and tables (a table's header again on
//! every page it continues on, a row taller than a page continued on the next), and the
//! swimlane diagram on a page of its own size.
//!
//! The text is drawn cell by cell, each cell's lines in order, so that `pdftotext -raw` gives
//! every cell's text whole and `pdftotext -layout` gives the activity table's rows as the
//! manuals print them (Responsable, No. Act., Descripción de la actividad, Documento o anexo),
//! the names of several responsibles and several documents a blank line apart.

use crate::svg::{PDF_BOLD, PDF_REGULAR};
use crate::tables_pdf::{Face, Mark, draw};
use anyhow::{Context as _, anyhow};
use krilla::Document;
use krilla::geom::Transform;
use krilla::page::PageSettings;
use turno_domain::official_manual::{ACTIVITY_COLUMNS, Block, OfficialManual, Row, Table};

/// Letter, portrait, in points.
const WIDTH: f32 = 612.0;
const HEIGHT: f32 = 792.0;
const MARGIN: f32 = 48.0;
/// Where the body starts, below the page's header.
const BODY_TOP: f32 = MARGIN + 40.0;
const TEXT: f32 = 9.5;
const TEXT_LEADING: f32 = 12.5;
const CELL: f32 = 8.0;
const CELL_LEADING: f32 = 10.0;
const PADDING: f32 = 3.5;
const HEADING: f32 = 11.0;
const TITLE: f32 = 12.0;

/// The body's pages as marks, laid out before they are drawn (the header's «Hoja N de M»
/// needs the count).
struct Pages<'f> {
    regular: &'f Face,
    bold: &'f Face,
    pages: Vec<Vec<Mark>>,
    y: f32,
}

impl Pages<'_> {
    fn new_page(&mut self) {
        self.pages.push(Vec::new());
        self.y = BODY_TOP;
    }

    fn room(&self) -> f32 {
        HEIGHT - MARGIN - self.y
    }

    fn mark(&mut self, mark: Mark) {
        if let Some(page) = self.pages.last_mut() {
            page.push(mark);
        }
    }

    fn face(&self, bold: bool) -> &Face {
        if bold { self.bold } else { self.regular }
    }

    /// A paragraph wrapped to the body's width, starting a page when a line does not fit.
    fn paragraph(&mut self, text: &str, size: f32, leading: f32, bold: bool) {
        let lines = self.face(bold).wrap(text, size, WIDTH - 2.0 * MARGIN);
        for line in lines {
            if self.room() < leading {
                self.new_page();
            }
            self.mark(Mark::Text {
                x: MARGIN,
                y: self.y + size,
                text: line,
                bold,
                size,
            });
            self.y += leading;
        }
        self.y += leading * 0.4;
    }

    /// A section's heading, on a new page when it and a few lines would not fit here.
    fn heading(&mut self, text: &str) {
        if self.room() < HEADING * 2.0 + 4.0 * CELL_LEADING {
            self.new_page();
        }
        self.y += HEADING * 0.6;
        self.paragraph(text, HEADING, HEADING * 1.4, true);
    }

    fn widths(table: &Table) -> Vec<f32> {
        let page = WIDTH - 2.0 * MARGIN;
        let total: f32 = table
            .widths
            .iter()
            .map(|w| f32::from(*w))
            .sum::<f32>()
            .max(1.0);
        table
            .widths
            .iter()
            .map(|w| f32::from(*w) * page / total)
            .collect()
    }

    /// A row of cells, each wrapped to its column; `bold` and shaded for the header. A row that
    /// does not fit in what is left of the page goes on the next one after `header` again; one
    /// taller than a page is continued there, line by line.
    fn row(&mut self, cells: &[String], widths: &[f32], bold: bool, header: Option<&[String]>) {
        let face = self.face(bold);
        let mut lines: Vec<Vec<String>> = widths
            .iter()
            .enumerate()
            .map(|(c, width)| {
                let text = cells.get(c).map_or("", String::as_str);
                face.wrap(text, CELL, width - 2.0 * PADDING)
            })
            .collect();
        let count = |lines: &[Vec<String>]| lines.iter().map(Vec::len).max().unwrap_or(1).max(1);
        let height = |n: usize| n as f32 * CELL_LEADING + 2.0 * PADDING;
        let full_page = HEIGHT - MARGIN - BODY_TOP - 3.0 * CELL_LEADING;
        if let Some(header) = header
            && height(count(&lines)) > self.room()
            && (height(count(&lines)) <= full_page || self.room() < height(3))
        {
            self.new_page();
            self.row(header, widths, true, None);
        }
        loop {
            let fit = ((self.room() - 2.0 * PADDING) / CELL_LEADING)
                .floor()
                .max(1.0) as usize;
            let rest: Vec<Vec<String>> = lines
                .iter_mut()
                .map(|cell| {
                    if cell.len() > fit {
                        cell.split_off(fit)
                    } else {
                        Vec::new()
                    }
                })
                .collect();
            self.cells(&lines, widths, bold, height(count(&lines)));
            if rest.iter().all(Vec::is_empty) {
                break;
            }
            lines = rest;
            self.new_page();
            if let Some(header) = header {
                self.row(header, widths, true, None);
            }
        }
    }

    /// The cells of one row at the current height, column by column.
    fn cells(&mut self, lines: &[Vec<String>], widths: &[f32], bold: bool, height: f32) {
        let mut x = MARGIN;
        for (width, cell) in widths.iter().zip(lines) {
            self.mark(Mark::Cell {
                x,
                y: self.y,
                width: *width,
                height,
                shaded: bold,
            });
            for (i, line) in cell.iter().enumerate() {
                self.mark(Mark::Text {
                    x: x + PADDING,
                    y: self.y + PADDING + (i + 1) as f32 * CELL_LEADING - 2.0,
                    text: line.clone(),
                    bold,
                    size: CELL,
                });
            }
            x += width;
        }
        self.y += height;
    }

    fn table(&mut self, table: &Table) {
        let widths = Self::widths(table);
        if self.room() < 6.0 * CELL_LEADING {
            self.new_page();
        }
        self.row(&table.columns, &widths, true, None);
        let whole = [WIDTH - 2.0 * MARGIN];
        let activities = table.columns == ACTIVITY_COLUMNS;
        for row in &table.rows {
            match row {
                Row::Cells(cells) if activities => {
                    self.row(&spaced(cells), &widths, false, Some(&table.columns))
                }
                Row::Cells(cells) => self.row(cells, &widths, false, Some(&table.columns)),
                Row::Heading(text) => {
                    if self.room() < 4.0 * CELL_LEADING {
                        self.new_page();
                        self.row(&table.columns, &widths, true, None);
                    }
                    self.row(std::slice::from_ref(text), &whole, true, None);
                }
            }
        }
        self.y += TEXT_LEADING;
    }
}

/// An activity row with a blank line between the names of its responsibles and between its
/// documents: a name or a document wrapped onto two lines is not taken for two when the PDF's
/// text is read back.
fn spaced(cells: &[String]) -> Vec<String> {
    cells
        .iter()
        .enumerate()
        .map(|(column, text)| match column {
            0 | 3 => text.lines().collect::<Vec<_>>().join("\n\n"),
            _ => text.clone(),
        })
        .collect()
}

/// The manual's header on every page: the manual, the issuer, the procedure and the sheet.
fn header(manual: &OfficialManual, page: usize, total: usize) -> Vec<Mark> {
    let mut marks = Vec::new();
    let top = [
        manual
            .manual
            .clone()
            .unwrap_or_else(|| "Manual de procedimientos".to_owned()),
        manual.issuer.clone().unwrap_or_default(),
    ];
    for (i, line) in top.into_iter().enumerate() {
        marks.push(Mark::Text {
            x: MARGIN,
            y: MARGIN - 14.0 + i as f32 * 9.0,
            text: line,
            bold: i == 0,
            size: 7.5,
        });
    }
    marks.push(Mark::Text {
        x: WIDTH - MARGIN - 60.0,
        y: MARGIN + 4.0,
        text: format!("Hoja {page} de {total}"),
        bold: false,
        size: 7.5,
    });
    marks.push(Mark::Rule {
        x: MARGIN,
        y: MARGIN + 10.0,
        width: WIDTH - 2.0 * MARGIN,
    });
    marks
}

/// The manual as a PDF; `flowchart` is the procedure's swimlane diagram as SVG.
pub fn render(manual: &OfficialManual, flowchart: &str) -> anyhow::Result<Vec<u8>> {
    let regular = Face::new(PDF_REGULAR)?;
    let bold = Face::new(PDF_BOLD)?;
    let mut pages = Pages {
        regular: &regular,
        bold: &bold,
        pages: Vec::new(),
        y: BODY_TOP,
    };
    pages.new_page();
    pages.paragraph(&manual.title, TITLE, TITLE * 1.35, true);
    pages.paragraph(&manual.identification, CELL, CELL_LEADING, false);
    // The diagram's page goes after the body page its heading is on.
    let mut diagram_after = None;
    for section in &manual.sections {
        pages.heading(&format!("{} {}", section.number, section.title));
        for block in &section.blocks {
            match block {
                Block::Paragraph(text) => pages.paragraph(text, TEXT, TEXT_LEADING, false),
                Block::Table(table) => pages.table(table),
                Block::Flowchart => {
                    pages.paragraph(
                        "El diagrama, con un carril por responsable, está en la hoja siguiente.",
                        TEXT,
                        TEXT_LEADING,
                        false,
                    );
                    diagram_after = Some(pages.pages.len());
                    pages.new_page();
                }
            }
        }
    }

    let options = crate::svg::svg_options()?;
    let tree = usvg::Tree::from_str(flowchart, &options)?;
    let diagram = (tree.size().width(), tree.size().height());
    let total = pages.pages.len() + usize::from(diagram_after.is_some());
    let mut document = Document::new();
    document.set_metadata(krilla::metadata::Metadata::new().title(manual.title.clone()));
    let mut number = 0;
    for (index, marks) in pages.pages.into_iter().enumerate() {
        number += 1;
        let settings = PageSettings::from_wh(WIDTH, HEIGHT).context("page size")?;
        let mut page = document.start_page_with(settings);
        let mut surface = page.surface();
        draw(
            &mut surface,
            header(manual, number, total).into_iter().chain(marks),
            &regular,
            &bold,
        )?;
        surface.finish();
        page.finish();
        if diagram_after == Some(index + 1) {
            number += 1;
            diagram_page(
                &mut document,
                manual,
                &tree,
                diagram,
                (number, total),
                (&regular, &bold),
            )?;
        }
    }
    document
        .finish()
        .map_err(|e| anyhow!("cannot write the PDF: {e:?}"))
}

/// «5.0 Diagrama de flujo»: the diagram at its own size under the page's header and title.
fn diagram_page(
    document: &mut Document,
    manual: &OfficialManual,
    tree: &usvg::Tree,
    (width, height): (f32, f32),
    (number, total): (usize, usize),
    (regular, bold): (&Face, &Face),
) -> anyhow::Result<()> {
    use krilla_svg::{SurfaceExt, SvgSettings};
    let top = BODY_TOP + 2.0 * HEADING;
    let page_width = (width + 2.0 * MARGIN).max(WIDTH);
    let settings =
        PageSettings::from_wh(page_width, height + top + MARGIN).context("diagram page size")?;
    let mut page = document.start_page_with(settings);
    let mut surface = page.surface();
    let mut marks = header(manual, number, total);
    marks.push(Mark::Text {
        x: MARGIN,
        y: BODY_TOP + HEADING,
        text: "5.0 Diagrama de flujo".to_owned(),
        bold: true,
        size: HEADING,
    });
    draw(&mut surface, marks, regular, bold)?;
    surface.push_transform(&Transform::from_translate(MARGIN, top));
    let size = krilla::geom::Size::from_wh(width, height).context("the diagram has no size")?;
    surface
        .draw_svg(tree, size, SvgSettings::default())
        .ok_or_else(|| anyhow!("the diagram cannot be drawn"))?;
    surface.pop();
    surface.finish();
    page.finish();
    Ok(())
}
