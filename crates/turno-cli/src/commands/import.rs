//! `turno import org FILE...`: the organization's units from the repository's TOML files or
//! from CSV, checked together with the stored units; a file with any problem imports nothing,
//! and every problem is printed with its file, line and field. `turno import asm` is in
//! `asm.rs`.

use crate::commands::database::{DatabaseArgs, block_on, open};
use anyhow::Context as _;
use clap::{Args, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;
use turno_store::organization::{self, ImportError};

#[derive(Subcommand)]
pub enum ImportCommand {
    /// Units of the organization and outside bodies (docs/org-format.md), TOML or CSV.
    Org(OrgArgs),
    /// A Programa de ASM's three tables (docs/asm-format.md), CSV or spreadsheets.
    Asm(crate::commands::asm::ImportArgs),
}

#[derive(Args)]
pub struct OrgArgs {
    /// The files to import together (`org/*.toml`, or a `.csv`).
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// Who the audit log says imported them.
    #[arg(long, default_value = "importación")]
    pub actor: String,
    #[command(flatten)]
    pub db: DatabaseArgs,
}

pub fn run(cmd: ImportCommand) -> anyhow::Result<ExitCode> {
    match cmd {
        ImportCommand::Org(args) => org(args),
        ImportCommand::Asm(args) => crate::commands::asm::import(args),
    }
}

fn org(args: OrgArgs) -> anyhow::Result<ExitCode> {
    let texts: Vec<(String, String)> = args
        .files
        .iter()
        .map(|path| {
            std::fs::read_to_string(path)
                .with_context(|| format!("cannot read {} (it must be UTF-8 text)", path.display()))
                .map(|text| (path.display().to_string(), text))
        })
        .collect::<anyhow::Result<_>>()?;
    let files: Vec<(&str, &str)> = texts
        .iter()
        .map(|(name, text)| (name.as_str(), text.as_str()))
        .collect();
    block_on(async {
        let Some(store) = open(&args.db).await? else {
            return Ok(ExitCode::FAILURE);
        };
        match organization::import(&store, &files, &args.actor).await {
            Ok(counts) => {
                println!(
                    "{} unidades nuevas, {} modificadas, {} sin cambios",
                    counts.created, counts.changed, counts.unchanged
                );
                Ok(ExitCode::SUCCESS)
            }
            Err(ImportError::Invalid(problems)) => {
                for problem in &problems {
                    eprintln!("{problem}");
                }
                eprintln!("{} problemas: no se importó nada", problems.len());
                Ok(ExitCode::FAILURE)
            }
            Err(ImportError::Store(e)) => Err(e).context("the import failed: nothing was imported"),
        }
    })?
}
