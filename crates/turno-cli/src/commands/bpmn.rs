//! `turno export bpmn KEY [--version N] [--out FILE] [--procedures PATH…]`: a procedure as
//! BPMN 2.0 with its diagram (docs/bpmn.md), for modelers and BPMN engines; on standard output
//! without `--out`.

use crate::data;
use anyhow::Context as _;
use clap::Args;
use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Args)]
pub struct BpmnArgs {
    /// The procedure's key (`turno procedures list`).
    key: String,
    /// A version of it; the newest when not given.
    #[arg(long)]
    version: Option<u32>,
    /// The file written; standard output when not given.
    #[arg(long)]
    out: Option<PathBuf>,
    /// Definition files or folders to read the procedure from; the library built into turno
    /// when none is named.
    #[arg(long = "procedures", value_name = "PATH")]
    procedures: Vec<PathBuf>,
}

pub fn export(args: BpmnArgs) -> anyhow::Result<ExitCode> {
    let files = data::read_or(&args.procedures, data::PROCEDURES)?;
    let library = match turno_domain::library::Library::load(&data::sources(&files)) {
        Ok(library) => library,
        Err(problems) => {
            for problem in &problems {
                eprintln!("{problem}");
            }
            eprintln!(
                "Los procedimientos tienen problemas: revíselos con `turno procedures check`."
            );
            return Ok(ExitCode::FAILURE);
        }
    };
    let file = match turno_app::library::bpmn(&library, &args.key, args.version) {
        Ok(file) => file,
        Err(turno_app::Error::Internal(e)) => return Err(anyhow::anyhow!(e)),
        Err(e) => {
            eprintln!("{e}");
            return Ok(ExitCode::FAILURE);
        }
    };
    match &args.out {
        Some(out) => {
            std::fs::write(out, file.xml.as_bytes())
                .with_context(|| format!("cannot write {}", out.display()))?;
            println!("{}: {}", out.display(), file.name);
        }
        None => {
            let mut stdout = std::io::stdout().lock();
            stdout
                .write_all(file.xml.as_bytes())
                .and_then(|()| stdout.flush())
                .context("cannot write to standard output")?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
