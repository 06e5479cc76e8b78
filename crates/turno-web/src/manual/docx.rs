//! The official manual ([`OfficialManual`]) as a Word document (Office Open XML,
//! ISO/IEC 29500): a zip of the WordprocessingML parts, written here with the workspace's `zip`
//! rather than through a docx crate (what the manual needs is paragraphs, bordered tables and
//! one picture). The swimlane diagram is a PNG picture fitted to the page.
//!
//! Letter pages with one-inch margins; the page's header repeats the manual, the issuer and
//! the procedure, its footer «Hoja N de M»; the activity table's header row repeats on every
//! page it continues on.

use crate::svg::escape;
use anyhow::Context as _;
use std::io::{Cursor, Write as _};
use turno_domain::official_manual::{Block, OfficialManual, Row, Table};
use zip::write::SimpleFileOptions;

/// The text's width on a letter page with one-inch margins: 6.5 inches, in twentieths of a
/// point (tables) and in EMU (pictures).
const TEXT_TWIPS: u32 = 9360;
const TEXT_EMU: u64 = 5_943_600;
/// The tallest picture that fits under the title on a page: 8.4 inches in EMU.
const PAGE_EMU: u64 = 7_680_960;

const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Default Extension="png" ContentType="image/png"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/><Override PartName="/word/header1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"/><Override PartName="/word/footer1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/><Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/></Types>"#;

const PACKAGE_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/></Relationships>"#;

const DOCUMENT_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rStyles" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/><Relationship Id="rHeader" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/header" Target="header1.xml"/><Relationship Id="rFooter" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer1.xml"/><Relationship Id="rDiagram" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="media/diagrama.png"/></Relationships>"#;

/// Arial 10 for the body, bold headings, Spanish (Mexico) for spelling.
const STYLES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Arial" w:hAnsi="Arial" w:cs="Arial" w:eastAsia="Arial"/><w:sz w:val="20"/><w:szCs w:val="20"/><w:lang w:val="es-MX"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after="120" w:line="259" w:lineRule="auto"/><w:jc w:val="both"/></w:pPr></w:pPrDefault></w:docDefaults><w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style><w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/><w:basedOn w:val="Normal"/><w:pPr><w:jc w:val="center"/><w:spacing w:after="240"/></w:pPr><w:rPr><w:b/><w:caps/><w:sz w:val="24"/></w:rPr></w:style><w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/><w:pPr><w:keepNext/><w:spacing w:before="240" w:after="120"/><w:outlineLvl w:val="0"/></w:pPr><w:rPr><w:b/><w:sz w:val="22"/></w:rPr></w:style><w:style w:type="paragraph" w:styleId="Cell"><w:name w:val="Cell"/><w:basedOn w:val="Normal"/><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/><w:jc w:val="left"/></w:pPr><w:rPr><w:sz w:val="18"/><w:szCs w:val="18"/></w:rPr></w:style><w:style w:type="table" w:styleId="Grid"><w:name w:val="Table Grid"/><w:tblPr><w:tblBorders><w:top w:val="single" w:sz="4" w:space="0" w:color="000000"/><w:left w:val="single" w:sz="4" w:space="0" w:color="000000"/><w:bottom w:val="single" w:sz="4" w:space="0" w:color="000000"/><w:right w:val="single" w:sz="4" w:space="0" w:color="000000"/><w:insideH w:val="single" w:sz="4" w:space="0" w:color="000000"/><w:insideV w:val="single" w:sz="4" w:space="0" w:color="000000"/></w:tblBorders><w:tblCellMar><w:left w:w="80" w:type="dxa"/><w:right w:w="80" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style></w:styles>"#;

const NAMESPACES: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture""#;

/// The manual as a `.docx`; `diagram` is the swimlane diagram as a PNG and its size in pixels.
pub fn render(
    manual: &OfficialManual,
    diagram: &[u8],
    size: (u32, u32),
) -> anyhow::Result<Vec<u8>> {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default();
    let (core, header, document) = (core(manual), header(manual), document(manual, size));
    let parts: [(&str, &[u8]); 9] = [
        ("[Content_Types].xml", CONTENT_TYPES.as_bytes()),
        ("_rels/.rels", PACKAGE_RELS.as_bytes()),
        ("docProps/core.xml", core.as_bytes()),
        ("word/_rels/document.xml.rels", DOCUMENT_RELS.as_bytes()),
        ("word/styles.xml", STYLES.as_bytes()),
        ("word/header1.xml", header.as_bytes()),
        ("word/footer1.xml", FOOTER.as_bytes()),
        ("word/document.xml", document.as_bytes()),
        ("word/media/diagrama.png", diagram),
    ];
    for (name, content) in parts {
        zip.start_file(name, options)
            .with_context(|| format!("cannot start {name} in the .docx"))?;
        zip.write_all(content)
            .with_context(|| format!("cannot write {name} in the .docx"))?;
    }
    Ok(zip
        .finish()
        .context("cannot finish the .docx")?
        .into_inner())
}

fn core(manual: &OfficialManual) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>{}</dc:title><dc:subject>{}</dc:subject><dc:language>es-MX</dc:language></cp:coreProperties>"#,
        escape(&manual.title),
        escape(&manual.identification)
    )
}

/// «Hoja N de M» with the page fields.
const FOOTER: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:ftr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:p><w:pPr><w:jc w:val="right"/></w:pPr><w:r><w:rPr><w:sz w:val="16"/></w:rPr><w:t xml:space="preserve">Hoja </w:t></w:r><w:r><w:rPr><w:sz w:val="16"/></w:rPr><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:rPr><w:sz w:val="16"/></w:rPr><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r><w:r><w:rPr><w:sz w:val="16"/></w:rPr><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:rPr><w:sz w:val="16"/></w:rPr><w:t>1</w:t></w:r><w:r><w:rPr><w:sz w:val="16"/></w:rPr><w:fldChar w:fldCharType="end"/></w:r><w:r><w:rPr><w:sz w:val="16"/></w:rPr><w:t xml:space="preserve"> de </w:t></w:r><w:r><w:rPr><w:sz w:val="16"/></w:rPr><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:rPr><w:sz w:val="16"/></w:rPr><w:instrText xml:space="preserve"> NUMPAGES </w:instrText></w:r><w:r><w:rPr><w:sz w:val="16"/></w:rPr><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:rPr><w:sz w:val="16"/></w:rPr><w:t>1</w:t></w:r><w:r><w:rPr><w:sz w:val="16"/></w:rPr><w:fldChar w:fldCharType="end"/></w:r></w:p></w:ftr>"#;

fn header(manual: &OfficialManual) -> String {
    let mut out = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:hdr {NAMESPACES}>"#
    );
    let lines = [
        (
            manual
                .manual
                .as_deref()
                .unwrap_or("Manual de procedimientos"),
            true,
        ),
        (manual.issuer.as_deref().unwrap_or_default(), false),
        (manual.title.as_str(), false),
    ];
    for (text, bold) in lines {
        out.push_str(&paragraph(text, None, bold, Some(16)));
    }
    out.push_str("</w:hdr>");
    out
}

/// A paragraph of `text` (its line breaks kept as breaks) in `style`, optionally bold and of a
/// size in half points.
fn paragraph(text: &str, style: Option<&str>, bold: bool, half_points: Option<u32>) -> String {
    let mut out = String::from("<w:p>");
    if let Some(style) = style {
        out.push_str(&format!(r#"<w:pPr><w:pStyle w:val="{style}"/></w:pPr>"#));
    }
    let mut properties = String::new();
    if bold {
        properties.push_str("<w:b/>");
    }
    if let Some(size) = half_points {
        properties.push_str(&format!(r#"<w:sz w:val="{size}"/>"#));
    }
    for (i, line) in text.split('\n').enumerate() {
        out.push_str("<w:r>");
        if !properties.is_empty() {
            out.push_str(&format!("<w:rPr>{properties}</w:rPr>"));
        }
        if i > 0 {
            out.push_str("<w:br/>");
        }
        out.push_str(&format!(
            r#"<w:t xml:space="preserve">{}</w:t>"#,
            escape(line)
        ));
        out.push_str("</w:r>");
    }
    out.push_str("</w:p>");
    out
}

/// A bordered table across the text's width; its header row repeats on every page.
fn table(table: &Table) -> String {
    let total: u32 = table
        .widths
        .iter()
        .map(|w| u32::from(*w))
        .sum::<u32>()
        .max(1);
    let widths: Vec<u32> = table
        .widths
        .iter()
        .map(|w| u32::from(*w) * TEXT_TWIPS / total)
        .collect();
    let mut out = format!(
        r#"<w:tbl><w:tblPr><w:tblStyle w:val="Grid"/><w:tblW w:w="{TEXT_TWIPS}" w:type="dxa"/><w:tblLayout w:type="fixed"/></w:tblPr><w:tblGrid>"#
    );
    for width in &widths {
        out.push_str(&format!(r#"<w:gridCol w:w="{width}"/>"#));
    }
    out.push_str("</w:tblGrid>");
    out.push_str(r#"<w:tr><w:trPr><w:tblHeader/><w:cantSplit/></w:trPr>"#);
    for (column, width) in table.columns.iter().zip(&widths) {
        out.push_str(&cell(column, *width, 1, true));
    }
    out.push_str("</w:tr>");
    for row in &table.rows {
        out.push_str("<w:tr>");
        match row {
            Row::Heading(text) => {
                out.push_str(&cell(text, TEXT_TWIPS, widths.len(), true));
            }
            Row::Cells(cells) => {
                for (text, width) in cells.iter().zip(&widths) {
                    out.push_str(&cell(text, *width, 1, false));
                }
            }
        }
        out.push_str("</w:tr>");
    }
    out.push_str("</w:tbl>");
    // Word needs a paragraph between two tables and after the last one.
    out.push_str("<w:p/>");
    out
}

/// A cell `span` columns wide; shaded and bold for the table's headings.
fn cell(text: &str, width: u32, span: usize, heading: bool) -> String {
    let mut out = format!(r#"<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>"#);
    if span > 1 {
        out.push_str(&format!(r#"<w:gridSpan w:val="{span}"/>"#));
    }
    if heading {
        out.push_str(r#"<w:shd w:val="clear" w:color="auto" w:fill="D9D9D9"/>"#);
    }
    out.push_str("</w:tcPr>");
    out.push_str(&paragraph(text, Some("Cell"), heading, None));
    out.push_str("</w:tc>");
    out
}

/// The diagram as an inline picture, as wide as the text or as tall as a page allows.
fn picture((width, height): (u32, u32)) -> String {
    let (width, height) = (u64::from(width.max(1)), u64::from(height.max(1)));
    let (cx, cy) = if height * TEXT_EMU / width > PAGE_EMU {
        (width * PAGE_EMU / height, PAGE_EMU)
    } else {
        (TEXT_EMU, height * TEXT_EMU / width)
    };
    format!(
        r#"<w:p><w:pPr><w:jc w:val="center"/></w:pPr><w:r><w:drawing><wp:inline distT="0" distB="0" distL="0" distR="0"><wp:extent cx="{cx}" cy="{cy}"/><wp:docPr id="1" name="Diagrama de flujo" descr="Diagrama de flujo del procedimiento, con un carril por responsable"/><a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:pic><pic:nvPicPr><pic:cNvPr id="1" name="diagrama.png"/><pic:cNvPicPr/></pic:nvPicPr><pic:blipFill><a:blip r:embed="rDiagram"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill><pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>"#
    )
}

fn document(manual: &OfficialManual, diagram: (u32, u32)) -> String {
    let mut body = String::new();
    body.push_str(&paragraph(&manual.title, Some("Title"), false, None));
    body.push_str(&paragraph(&manual.identification, None, false, Some(16)));
    for section in &manual.sections {
        body.push_str(&paragraph(
            &format!("{} {}", section.number, section.title),
            Some("Heading1"),
            false,
            None,
        ));
        for block in &section.blocks {
            match block {
                Block::Paragraph(text) => body.push_str(&paragraph(text, None, false, None)),
                Block::Table(t) => body.push_str(&table(t)),
                Block::Flowchart => body.push_str(&picture(diagram)),
            }
        }
    }
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document {NAMESPACES}><w:body>{body}<w:sectPr><w:headerReference w:type="default" r:id="rHeader"/><w:footerReference w:type="default" r:id="rFooter"/><w:pgSz w:w="12240" w:h="15840"/><w:pgMar w:top="1440" w:right="1440" w:bottom="1440" w:left="1440" w:header="567" w:footer="567" w:gutter="0"/></w:sectPr></w:body></w:document>"#
    )
}
