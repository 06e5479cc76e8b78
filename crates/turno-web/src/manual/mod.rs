//! A procedure's official manual (`turno_domain::official_manual`, built by the use case
//! `turno_app::manual`) written as a file: a Word document ([`docx`]) or a PDF ([`pdf`]),
//! each with the procedure's swimlane diagram (`crate::flowchart`) as its «5.0 Diagrama de
//! flujo». `turno export manual` and `GET /api/v1/procedures/{key}/manual` both call
//! [`write`].

pub mod docx;
pub mod pdf;

use anyhow::Context as _;
use turno_domain::definition::Procedure;
use turno_domain::official_manual::OfficialManual;

/// The formats of the manual.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Docx,
    Pdf,
}

impl Format {
    pub fn extension(self) -> &'static str {
        match self {
            Format::Docx => "docx",
            Format::Pdf => "pdf",
        }
    }

    pub fn mime(self) -> &'static str {
        match self {
            Format::Docx => {
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            }
            Format::Pdf => "application/pdf",
        }
    }
}

/// The file's name: `manual-KEY-vN.docx`.
pub fn file_name(procedure: &Procedure, format: Format) -> String {
    format!(
        "manual-{}-v{}.{}",
        procedure.key,
        procedure.version,
        format.extension()
    )
}

/// The manual of `procedure` as a file in `format`.
pub fn write(
    procedure: &Procedure,
    manual: &OfficialManual,
    format: Format,
) -> anyhow::Result<Vec<u8>> {
    let flowchart = crate::flowchart::render(procedure, &[]);
    match format {
        Format::Pdf => pdf::render(manual, &flowchart),
        Format::Docx => {
            let (png, size) = png(&flowchart)?;
            docx::render(manual, &png, size)
        }
    }
}

/// The manual as a download (the API's answer).
pub fn download(
    procedure: &Procedure,
    manual: &OfficialManual,
    format: Format,
) -> anyhow::Result<axum::response::Response> {
    let content = write(procedure, manual, format)?;
    Ok(crate::documents::file_response(
        format.mime(),
        &file_name(procedure, format),
        content,
    )?)
}

/// Pixels a picture of the diagram may have at most (4 bytes each while it is drawn).
const MOST_PIXELS: f32 = 12_000_000.0;

/// The diagram's SVG as a PNG at twice its size (less for a diagram so big that it would pass
/// [`MOST_PIXELS`]), and its size in pixels.
fn png(svg: &str) -> anyhow::Result<(Vec<u8>, (u32, u32))> {
    let options = crate::svg::svg_options()?;
    let tree = usvg::Tree::from_str(svg, &options)?;
    let (width, height) = (tree.size().width(), tree.size().height());
    let scale = (MOST_PIXELS / (width * height).max(1.0)).sqrt().min(2.0);
    let (w, h) = (
        (width * scale).ceil().max(1.0) as u32,
        (height * scale).ceil().max(1.0) as u32,
    );
    let mut pixmap =
        resvg::tiny_skia::Pixmap::new(w, h).context("the diagram's picture has no size")?;
    pixmap.fill(resvg::tiny_skia::Color::WHITE);
    resvg::render(
        &tree,
        resvg::tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    let png = pixmap
        .encode_png()
        .context("cannot encode the diagram's picture")?;
    Ok((png, (w, h)))
}
