//! `turno export manual KEY --format docx|pdf [--out FILE]`: a procedure's official manual in the
//! Guía técnica's format (docs/manual-export.md), from the library built into turno or the
//! definition files given with `--procedures`.

use crate::data;
use anyhow::Context as _;
use clap::{Args, ValueEnum};
use std::path::PathBuf;
use std::process::ExitCode;
use turno_domain::library::Library;
use turno_web::manual::Format;

#[derive(Clone, Copy, ValueEnum)]
enum ManualFormat {
    Docx,
    Pdf,
}

#[derive(Args)]
pub struct ManualArgs {
    /// The procedure's key (`turno procedures list`).
    key: String,
    #[arg(long, value_enum)]
    format: ManualFormat,
    /// A published version; the newest if not given.
    #[arg(long)]
    version: Option<u32>,
    /// The file to write; `manual-KEY-vN.docx` (or `.pdf`) in the current folder if not given.
    #[arg(long)]
    out: Option<PathBuf>,
    /// Definition files or folders to read the procedure from, instead of the built-in library.
    #[arg(long)]
    procedures: Vec<PathBuf>,
}

pub fn export(args: ManualArgs) -> anyhow::Result<ExitCode> {
    let files = data::read_or(&args.procedures, data::PROCEDURES)?;
    let library = match Library::load(&data::sources(&files)) {
        Ok(library) => library,
        Err(problems) => {
            for problem in &problems {
                eprintln!("{problem}");
            }
            anyhow::bail!("the procedures have problems: run `turno procedures check`");
        }
    };
    let (procedure, manual) =
        match turno_app::official_manual::official_manual(&library, &args.key, args.version) {
            Ok(found) => found,
            Err(error) => {
                eprintln!("{error}");
                return Ok(ExitCode::FAILURE);
            }
        };
    let format = match args.format {
        ManualFormat::Docx => Format::Docx,
        ManualFormat::Pdf => Format::Pdf,
    };
    let content = turno_web::manual::write(&procedure, &manual, format)?;
    let out = args
        .out
        .unwrap_or_else(|| PathBuf::from(turno_web::manual::file_name(&procedure, format)));
    std::fs::write(&out, content).with_context(|| format!("cannot write {}", out.display()))?;
    println!("{}", out.display());
    Ok(ExitCode::SUCCESS)
}
