//! `import manual`: a manual of procedures (text, or PDF through poppler's `pdftotext
//! -layout`) read into draft definitions, one per procedure, each checked as the library
//! checks a definition file, and a review report of everything the reader could not decide
//! (docs/manual-import.md). The drafts are not published: a person reviews them first.

use std::io::{Read as _, Write as _};
use thiserror::Error;
use turno_domain::definition::{Procedure, parse_procedure};
use turno_domain::library::Library;
use turno_domain::manual::score::{Score, compare, likeness};
use turno_domain::manual::{self, Finding, Options, Unit};

/// The largest manual read, text or PDF: the reading's memory is bounded.
pub const MAX_MANUAL_BYTES: usize = 32 << 20;

#[derive(Debug, Error)]
pub enum ManualError {
    #[error("el manual pesa {0} MiB y el máximo es 32 MiB: divídalo")]
    TooLarge(usize),
    #[error("el texto del manual no es UTF-8 válido (byte {0}): guárdelo como UTF-8")]
    NotUtf8(usize),
    #[error(
        "no se encontró pdftotext (poppler-utils) para leer el PDF: instálelo (apt-get install poppler-utils) o dé el texto del manual"
    )]
    NoPdfToText,
    #[error("pdftotext no pudo leer el PDF: {0}")]
    PdfToText(String),
    #[error("los datos de organización tienen problemas:\n{0}")]
    Org(String),
    #[error("el prefijo «{0}» de las claves debe tener de 1 a 10 minúsculas, dígitos o «-»")]
    Prefix(String),
}

/// One draft definition file.
#[derive(Debug, Clone)]
pub struct DraftFile {
    pub key: String,
    /// `<key>.toml`.
    pub file_name: String,
    pub text: String,
    /// The draft as the library reads it, when it loads.
    pub procedure: Option<Procedure>,
}

/// What a manual gave.
#[derive(Debug, Clone)]
pub struct ManualImport {
    pub drafts: Vec<DraftFile>,
    pub findings: Vec<Finding>,
    /// The review report (Markdown): every finding with its page and line.
    pub report: String,
}

/// The manual's text: UTF-8 text as it is, a PDF (it begins with `%PDF`) through
/// `pdftotext -layout`.
pub fn manual_text(bytes: &[u8]) -> Result<String, ManualError> {
    if bytes.len() > MAX_MANUAL_BYTES {
        return Err(ManualError::TooLarge(bytes.len().div_ceil(1 << 20)));
    }
    if bytes.starts_with(b"%PDF") {
        return pdf_text(bytes);
    }
    String::from_utf8(bytes.to_vec())
        .map_err(|e| ManualError::NotUtf8(e.utf8_error().valid_up_to() + 1))
}

/// A PDF's text in its layout, pages apart by form feeds.
fn pdf_text(bytes: &[u8]) -> Result<String, ManualError> {
    let mut child = std::process::Command::new("pdftotext")
        .args(["-layout", "-enc", "UTF-8", "-", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => ManualError::NoPdfToText,
            _ => ManualError::PdfToText(e.to_string()),
        })?;
    let mut stdin = child
        .stdin
        .take()
        .ok_or_else(|| ManualError::PdfToText("sin entrada".into()))?;
    let input = bytes.to_vec();
    let writer = std::thread::spawn(move || stdin.write_all(&input));
    let mut text = Vec::new();
    if let Some(stdout) = child.stdout.take() {
        // Bounded: a PDF's text is smaller than the limit, or it is cut there.
        stdout
            .take(MAX_MANUAL_BYTES as u64)
            .read_to_end(&mut text)
            .map_err(|e| ManualError::PdfToText(e.to_string()))?;
    }
    let mut errors = String::new();
    if let Some(stderr) = child.stderr.take() {
        let _ = stderr.take(64 * 1024).read_to_string(&mut errors);
    }
    let status = child
        .wait()
        .map_err(|e| ManualError::PdfToText(e.to_string()))?;
    let _ = writer.join();
    if !status.success() {
        return Err(ManualError::PdfToText(errors.trim().to_owned()));
    }
    String::from_utf8(text).map_err(|e| ManualError::NotUtf8(e.utf8_error().valid_up_to() + 1))
}

/// The organization's units a responsible may be matched to, from its files (`org/`).
pub fn units(org_files: &[(String, String)]) -> Result<Vec<Unit>, ManualError> {
    let mut units = Vec::new();
    let mut problems = Vec::new();
    for (name, text) in org_files {
        match turno_domain::org::parse(name, text) {
            Ok(file) => units.extend(file.units.into_iter().map(|p| unit_of(p.unit))),
            Err(diagnostics) => {
                problems.extend(diagnostics.iter().map(|d| d.locate(name, text).to_string()))
            }
        }
    }
    if problems.is_empty() {
        Ok(units)
    } else {
        Err(ManualError::Org(problems.join("\n")))
    }
}

/// A unit of the organization as the manual's reader matches responsibles to it.
pub fn unit_of(spec: turno_domain::org::UnitSpec) -> Unit {
    Unit {
        external: spec.current.level.is_external(),
        code: spec.code,
        name: spec.current.name,
        siglas: spec.siglas,
    }
}

/// Reads a manual into drafts. `origin` names it in the drafts and the report; `prefix`
/// begins the drafts' keys (`cnpss` → `cnpss-91`).
pub fn import_manual(
    origin: &str,
    text: &str,
    units: &[Unit],
    prefix: &str,
) -> Result<ManualImport, ManualError> {
    if prefix.is_empty()
        || prefix.len() > 10
        || !prefix
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    {
        return Err(ManualError::Prefix(prefix.to_owned()));
    }
    let options = Options {
        key_prefix: prefix.to_owned(),
        source: Some(format!("borrador de {origin}")),
    };
    let reading = manual::read(text, units, &options);
    let mut findings = reading.findings;
    let mut drafts = Vec::new();
    for draft in &reading.drafts {
        let toml = manual::draft_toml::write(draft, origin, None);
        let procedure = match parse_procedure(&toml) {
            Ok(p) => Some(p),
            Err(diagnostics) => {
                for d in diagnostics {
                    let located = d.locate(&format!("{}.toml", draft.key), &toml);
                    findings.push(Finding {
                        place: draft.place,
                        procedure: Some(draft.key.clone()),
                        message: format!("el borrador no es aún una definición válida: {located}"),
                    });
                }
                None
            }
        };
        drafts.push(DraftFile {
            key: draft.key.clone(),
            file_name: format!("{}.toml", draft.key),
            text: toml,
            procedure,
        });
    }
    // The report lists each procedure's findings together, in the manual's order.
    let order: Vec<Option<String>> = std::iter::once(None)
        .chain(reading.drafts.iter().map(|d| Some(d.key.clone())))
        .collect();
    findings.sort_by_key(|f| {
        (
            order
                .iter()
                .position(|k| *k == f.procedure)
                .unwrap_or(usize::MAX),
            f.place.line,
        )
    });
    let report = manual::draft_toml::report(origin, &findings);
    Ok(ManualImport {
        drafts,
        findings,
        report,
    })
}

/// The drafts measured against the hand-encoded definitions of the same procedures in
/// `library` (matched by number and title): the figures of BENCHMARKS.md.
pub fn measure(import: &ManualImport, library: &Library) -> (Score, Vec<(String, String)>) {
    let mut score = Score::default();
    let mut pairs = Vec::new();
    for draft in &import.drafts {
        let Some(ours) = &draft.procedure else {
            continue;
        };
        let best = library
            .iter()
            .filter(|p| p.number.is_some() && p.number == ours.number)
            .map(|p| (likeness(&p.title, &ours.title), p))
            .filter(|(l, _)| *l >= 0.5)
            .max_by(|a, b| a.0.total_cmp(&b.0).then(a.1.version.cmp(&b.1.version)));
        if let Some((_, hand)) = best {
            score.merge(compare(ours, hand));
            pairs.push((ours.key.clone(), hand.key.clone()));
        }
    }
    (score, pairs)
}
