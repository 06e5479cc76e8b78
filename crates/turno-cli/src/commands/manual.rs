//! `turno import manual FILE [--out DIR]`: a manual of procedures (text, or PDF through
//! `pdftotext -layout`) read by turno-app into one draft definition per procedure and a
//! review report (docs/manual-import.md). With `--compare DIR`, the drafts are measured
//! against the hand-encoded definitions of DIR and the figures printed.

use crate::data;
use anyhow::Context as _;
use clap::Args;
use std::path::PathBuf;
use std::process::ExitCode;
use turno_app::manual::{MAX_MANUAL_BYTES, import_manual, manual_text, measure, units};
use turno_domain::library::Library;

#[derive(Args)]
pub struct ManualArgs {
    /// The manual: its text (UTF-8) or a PDF.
    pub file: PathBuf,
    /// Where the drafts (`<clave>.toml`) and the review report (`informe-revision.md`) are
    /// written; by default a folder named after the manual with `-borradores`.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// How the drafts' keys begin: `cnpss` gives `cnpss-91`.
    #[arg(long, default_value = "manual")]
    pub prefix: String,
    /// The organization files responsibles are matched to (default: the built-in `org/`).
    #[arg(long = "org", value_name = "PATH")]
    pub org: Vec<PathBuf>,
    /// Measure the drafts against the definitions of this folder (`procedures/`) and print
    /// activities, responsibles and decision targets right over total.
    #[arg(long, value_name = "DIR")]
    pub compare: Option<PathBuf>,
}

pub fn import(args: ManualArgs) -> anyhow::Result<ExitCode> {
    let name = args.file.display().to_string();
    let size = std::fs::metadata(&args.file)
        .with_context(|| format!("cannot read {name}"))?
        .len();
    // Refused before it is read: the reading's memory is bounded.
    if usize::try_from(size).map_or(true, |size| size > MAX_MANUAL_BYTES) {
        eprintln!(
            "{name}: el manual pesa {} MiB y el máximo es {} MiB: divídalo",
            size.div_ceil(1 << 20),
            MAX_MANUAL_BYTES >> 20
        );
        return Ok(ExitCode::FAILURE);
    }
    let bytes = std::fs::read(&args.file).with_context(|| format!("cannot read {name}"))?;
    let text = match manual_text(&bytes) {
        Ok(text) => text,
        Err(e) => {
            eprintln!("{name}: {e}");
            eprintln!("no se escribió nada");
            return Ok(ExitCode::FAILURE);
        }
    };
    let org = data::read_or(&args.org, data::ORG)?;
    let units = match units(&org) {
        Ok(units) => units,
        Err(e) => {
            eprintln!("{e}");
            return Ok(ExitCode::FAILURE);
        }
    };
    let origin = args
        .file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| name.clone());
    let import = match import_manual(&origin, &text, &units, &args.prefix) {
        Ok(import) => import,
        Err(e) => {
            eprintln!("{e}");
            return Ok(ExitCode::FAILURE);
        }
    };
    if import.drafts.is_empty() {
        eprint!("{}", import.report);
        eprintln!("{name}: no se encontró ningún procedimiento; no se escribió nada");
        return Ok(ExitCode::FAILURE);
    }
    let out = args.out.clone().unwrap_or_else(|| {
        let stem = args
            .file
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| "manual".to_owned());
        args.file.with_file_name(format!("{stem}-borradores"))
    });
    std::fs::create_dir_all(&out).with_context(|| format!("cannot create {}", out.display()))?;
    for draft in &import.drafts {
        let path = out.join(&draft.file_name);
        std::fs::write(&path, &draft.text)
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    let report = out.join("informe-revision.md");
    std::fs::write(&report, &import.report)
        .with_context(|| format!("cannot write {}", report.display()))?;
    let valid = import
        .drafts
        .iter()
        .filter(|d| d.procedure.is_some())
        .count();
    println!(
        "{}: {} en {} ({} válidos), {} por revisar en {}",
        name,
        turno_domain::text::count(import.drafts.len(), "borrador", "borradores"),
        out.display(),
        valid,
        turno_domain::text::count(import.findings.len(), "asunto", "asuntos"),
        report.display()
    );
    if let Some(dir) = &args.compare {
        let files = data::read_all(std::slice::from_ref(dir))?;
        let library = Library::load(&data::sources(&files)).map_err(|problems| {
            anyhow::anyhow!(
                "the definitions of {} have problems:\n{}",
                dir.display(),
                problems
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("\n")
            )
        })?;
        let (score, pairs) = measure(&import, &library);
        for (ours, theirs) in &pairs {
            println!("{ours} ↔ {theirs}");
        }
        println!("actividades: {}", score.activities);
        println!("responsables: {}", score.responsibles);
        println!("destinos de decisiones: {}", score.decision_targets);
        for miss in &score.misses {
            println!("  {miss}");
        }
    }
    Ok(if valid == import.drafts.len() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
