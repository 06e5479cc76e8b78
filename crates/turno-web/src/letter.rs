//! An outgoing document as a PDF of letter-size pages (issue 17, item 3): the letterhead (the
//! institution down to the issuing unit), the number or «sin número» while unsigned, the date,
//! the subject and the «en atención a» reference, the addressees, the body, the signer block
//! and the copies (c.c.p.). A cancelled document says so across its pages. Drawn as SVG and
//! written by krilla (`svg::pdf_pages`), in the embedded DejaVu fonts.
//!
//! With e.firma (issue 18): the **signable** document, the exact bytes the titular signs (the
//! letter before its number, with the signer's name: the same document gives the same bytes),
//! and the **signed PDF**, the letter with its number and a page per signature: signer, position,
//! certificate, date and time, the digest of the signed bytes, the signature in base64 and a QR
//! code of the public verification page's address.

use crate::svg::{Font, escape, n, wrap};
use base64::Engine as _;
use std::fmt::Write as _;
use turno_app::correspondence::outgoing::OutgoingView;
use turno_domain::correspondence::Stage;
use turno_store::correspondence::outgoing::OutgoingSignature;

/// US Letter, in points, and its margins.
const WIDTH: f64 = 612.0;
const HEIGHT: f64 = 792.0;
const MARGIN: f64 = 72.0;
const TEXT: Font = Font::regular(10.5);
const BOLD: Font = Font::bold(10.5);
const HEAD: Font = Font::bold(11.0);
const SMALL: Font = Font::regular(8.5);
const BOLD_SMALL: Font = Font::bold(8.5);
const TINY: Font = Font::regular(7.0);

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

/// The letter's lines, top to bottom; `signing`: the lines of the bytes signed with e.firma,
/// before the number is taken.
fn lines(view: &OutgoingView, signing: bool) -> Vec<Line> {
    let d = &view.document;
    let mut out = Vec::new();
    for head in &view.letterhead {
        wrapped(&mut out, head, HEAD, Align::Center);
    }
    out.push(blank());
    let number = match &d.number {
        Some(number) if !signing => format!("{} núm. {}", d.kind.label(), number.text),
        _ if signing => format!("{} — el número se asigna al firmar", d.kind.label()),
        _ => format!("{} — sin número (no firmado)", d.kind.label()),
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
    let svgs = letter_pages(view, false);
    document(view, &svgs)
}

/// The bytes the titular signs with e.firma: the letter as it is before its number, signed by
/// `signer` (the person signing), dated today. Deterministic: the same document, signer and
/// day give the same bytes, so the server draws them again to check the signature.
pub fn signable(view: &OutgoingView, signer: &str) -> anyhow::Result<Vec<u8>> {
    let mut view = view.clone();
    view.signer = Some(signer.to_owned());
    let svgs = letter_pages(&view, true);
    document(&view, &svgs)
}

/// The signable bytes of the document at version `seen`, for the page and the API: drawn, or
/// after a first signature of several, the bytes it signed.
pub async fn signable_bytes(
    state: &turno_app::App,
    user: &turno_app::Principal,
    id: i64,
    seen: Option<i64>,
) -> Result<Vec<u8>, turno_app::Error> {
    let view = turno_app::correspondence::signed::signable(state, user, id, seen).await?;
    if let Some(kept) = turno_app::correspondence::signed::signed_before(state, &view).await? {
        return Ok(kept);
    }
    let signers = turno_app::correspondence::signed::signer_block(state, &view, user).await?;
    signable(&view, &signers)
        .map_err(|e| turno_app::Error::internal(format!("the signable PDF: {e}")))
}

/// The signed PDF: the letter with its number, then a page per e.firma signature, each with
/// a QR code of `base_url`'s public verification page for that document and digest.
pub fn signed(
    view: &OutgoingView,
    base_url: &str,
    time_zone: &jiff::tz::TimeZone,
) -> anyhow::Result<Vec<u8>> {
    let svgs = signed_pages(view, base_url, time_zone)?;
    document(view, &svgs)
}

/// The signed PDF's pages as SVG: the letter's, then one per e.firma signature.
pub fn signed_pages(
    view: &OutgoingView,
    base_url: &str,
    time_zone: &jiff::tz::TimeZone,
) -> anyhow::Result<Vec<String>> {
    let mut svgs = letter_pages(view, false);
    let total = view.document.signatures.len();
    for (i, signature) in view.document.signatures.iter().enumerate() {
        svgs.push(signature_page(
            view,
            signature,
            (i + 1, total),
            base_url,
            time_zone,
        )?);
    }
    Ok(svgs)
}

/// The address of the public verification page for a document's number and digest.
pub fn verification_url(base_url: &str, number: &str, digest: &str) -> String {
    format!(
        "{}/verificar?numero={}&resumen={digest}",
        base_url.trim_end_matches('/'),
        crate::router::urlencode(number)
    )
}

/// A QR code of `text` as SVG shapes of `size` points at (`x`, `y`): one path of its dark
/// modules, with the quiet zone of four modules around it.
fn qr(text: &str, x: f64, y: f64, size: f64) -> anyhow::Result<String> {
    let code = qrcode::QrCode::with_error_correction_level(text.as_bytes(), qrcode::EcLevel::M)?;
    let width = code.width();
    let module = size / (width + 8) as f64;
    let mut path = String::new();
    for (i, color) in code.to_colors().iter().enumerate() {
        if *color == qrcode::Color::Dark {
            let (column, row) = (i % width, i / width);
            let _ = write!(
                path,
                "M{} {}h{m}v{m}h-{m}z",
                n(x + (column + 4) as f64 * module),
                n(y + (row + 4) as f64 * module),
                m = n(module)
            );
        }
    }
    Ok(format!(
        "<rect x=\"{}\" y=\"{}\" width=\"{s}\" height=\"{s}\" fill=\"#fff\"/>\
         <path d=\"{path}\" fill=\"#000\" shape-rendering=\"crispEdges\"/>",
        n(x),
        n(y),
        s = n(size)
    ))
}

/// The page of one e.firma signature.
fn signature_page(
    view: &OutgoingView,
    signature: &OutgoingSignature,
    (ordinal, total): (usize, usize),
    base_url: &str,
    time_zone: &jiff::tz::TimeZone,
) -> anyhow::Result<String> {
    let d = &view.document;
    let number = d.number.as_ref().map_or("", |n| n.text.as_str());
    // Several signers sign in the order the drafter set, whatever their post.
    let post = if d.signers.is_empty() {
        ("Cargo", format!("Titular de {}", view.unit_name))
    } else {
        (
            "Orden de firma",
            format!("{ordinal} de {total} ({})", signature.signer_login),
        )
    };
    sheet(
        &Sheet {
            heading: [
                format!("Hoja de firma electrónica {ordinal} de {total}"),
                format!("{} núm. {number}", d.kind.label()),
                view.unit_name.clone(),
            ],
            details: Vec::new(),
            signer: &signature.signer_name,
            post,
            identity: (&signature.rfc, &signature.curp),
            certificate: (&signature.serial, &signature.issuer),
            verified_at: signature.verified_at,
            signed: "Se firmaron con la Firma Electrónica Avanzada (e.firma) los bytes exactos del \
                     documento antes de numerarlo, cuyo resumen SHA-256 es:",
            digest: &signature.digest,
            cms: &signature.cms,
            verify: "Verifique este documento en la dirección del código QR: suba este PDF o \
                     escriba su número y el resumen SHA-256.",
            url: verification_url(base_url, number, &signature.digest),
            cancelled: d.stage == Stage::Cancelled,
        },
        time_zone,
    )
}

/// A page proving one e.firma signature: what was signed, by whom, with which certificate,
/// when, the digest, the signature in base64 and the QR code of the verification page.
pub(crate) struct Sheet<'a> {
    /// The title, what was signed («Oficio núm. …») and whose it is.
    pub heading: [String; 3],
    /// Lines about what was signed, below the heading.
    pub details: Vec<String>,
    pub signer: &'a str,
    /// The signer's post, labelled.
    pub post: (&'a str, String),
    /// RFC and CURP.
    pub identity: (&'a Option<String>, &'a Option<String>),
    /// The certificate's number and issuer.
    pub certificate: (&'a str, &'a str),
    pub verified_at: jiff::Timestamp,
    /// What the digest is of, in words.
    pub signed: &'a str,
    pub digest: &'a str,
    /// The detached CMS signature, DER.
    pub cms: &'a [u8],
    /// How to verify it, in words.
    pub verify: &'a str,
    /// The verification page's address, in the QR code.
    pub url: String,
    pub cancelled: bool,
}

/// The page of `s`, as SVG.
pub(crate) fn sheet(s: &Sheet<'_>, time_zone: &jiff::tz::TimeZone) -> anyhow::Result<String> {
    let mut out = Vec::new();
    let [title, what, whose] = &s.heading;
    wrapped(&mut out, title, HEAD, Align::Left);
    wrapped(&mut out, what, BOLD, Align::Left);
    wrapped(&mut out, whose, TEXT, Align::Left);
    for line in &s.details {
        wrapped(&mut out, line, TEXT, Align::Left);
    }
    out.push(blank());
    let at = s.verified_at.to_zoned(time_zone.clone());
    let identity = [s.identity.0, s.identity.1]
        .into_iter()
        .flatten()
        .cloned()
        .collect::<Vec<_>>()
        .join(" · ");
    for (label, value) in [
        ("Firmante", s.signer.to_owned()),
        (s.post.0, s.post.1.clone()),
        ("RFC · CURP", identity),
        ("Certificado", s.certificate.0.to_owned()),
        ("Emitido por", s.certificate.1.to_owned()),
        (
            "Fecha y hora",
            format!(
                "{} ({})",
                at.strftime("%d/%m/%Y %H:%M:%S"),
                time_zone.iana_name().unwrap_or("UTC")
            ),
        ),
    ] {
        wrapped(&mut out, &format!("{label}: {value}"), TEXT, Align::Left);
    }
    out.push(blank());
    wrapped(&mut out, s.signed, SMALL, Align::Left);
    wrapped(&mut out, s.digest, BOLD_SMALL, Align::Left);
    out.push(blank());
    wrapped(
        &mut out,
        "Firma (CMS/PKCS#7 separada, DER en base64):",
        SMALL,
        Align::Left,
    );
    let encoded = base64::engine::general_purpose::STANDARD.encode(s.cms);
    wrapped(&mut out, &encoded, TINY, Align::Left);
    out.push(blank());
    wrapped(&mut out, s.verify, SMALL, Align::Left);
    wrapped(&mut out, &s.url, TINY, Align::Left);
    let mut svg = page(&out, s.cancelled, 0, 0);
    // Below the text, or at the top right when the text leaves no room.
    let size = 120.0;
    let below = MARGIN + out.iter().map(|l| l.font.size * 1.45).sum::<f64>() + 8.0;
    let (x, y) = if below + size <= HEIGHT - MARGIN / 2.0 {
        (MARGIN, below)
    } else {
        (WIDTH - MARGIN - size, MARGIN / 2.0)
    };
    let code = qr(&s.url, x, y, size)?;
    svg.truncate(svg.len() - "</svg>".len());
    svg.push_str(&code);
    svg.push_str("</svg>");
    Ok(svg)
}

/// The letter's pages as SVG.
fn letter_pages(view: &OutgoingView, signing: bool) -> Vec<String> {
    let all = lines(view, signing);
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
    // The bytes signed are of a document that cannot be cancelled yet.
    let cancelled = view.document.stage == Stage::Cancelled && !signing;
    pages
        .iter()
        .enumerate()
        .map(|(i, lines)| page(lines, cancelled, i + 1, pages.len()))
        .collect()
}

/// Pages as one PDF, titled with the document's number, or its kind and subject.
fn document(view: &OutgoingView, svgs: &[String]) -> anyhow::Result<Vec<u8>> {
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
