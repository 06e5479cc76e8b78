//! `turno procedures check|list`: validate definition files and show what a library holds.

use anyhow::Context as _;
use clap::Subcommand;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use turno_domain::library::{Library, Source};

#[derive(Subcommand)]
pub enum ProceduresCommand {
    /// Validate definition files (or folders of them); print every problem as file:line:col.
    Check {
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
    /// Print key, version, title and activity count of every procedure.
    List {
        #[arg(default_value = "procedures")]
        paths: Vec<PathBuf>,
    },
}

pub fn run(cmd: ProceduresCommand) -> anyhow::Result<ExitCode> {
    match cmd {
        ProceduresCommand::Check { paths } => {
            let files = read_all(&paths)?;
            match load(&files) {
                Ok(library) => {
                    println!(
                        "{} {} válidos",
                        library.len(),
                        plural(library.len(), "procedimiento", "procedimientos")
                    );
                    Ok(ExitCode::SUCCESS)
                }
                Err(problems) => {
                    for problem in &problems {
                        println!("{problem}");
                    }
                    eprintln!(
                        "{} {}",
                        problems.len(),
                        plural(problems.len(), "problema", "problemas")
                    );
                    Ok(ExitCode::FAILURE)
                }
            }
        }
        ProceduresCommand::List { paths } => {
            let files = read_all(&paths)?;
            let library = match load(&files) {
                Ok(library) => library,
                Err(problems) => {
                    for problem in &problems {
                        eprintln!("{problem}");
                    }
                    anyhow::bail!("the procedures have problems: run `turno procedures check`");
                }
            };
            for p in library.iter() {
                println!(
                    "{}\t{}\t{}\t{}",
                    p.key,
                    p.version,
                    p.title,
                    p.activities.len()
                );
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn load(files: &[(String, String)]) -> Result<Library, Vec<turno_domain::diagnostic::Located>> {
    let sources: Vec<Source> = files
        .iter()
        .map(|(name, text)| Source { name, text })
        .collect();
    Library::load(&sources)
}

/// Reads the named files, and the `.toml` files of the named folders (sorted, not recursive).
pub fn read_all(paths: &[PathBuf]) -> anyhow::Result<Vec<(String, String)>> {
    let mut files = Vec::new();
    for path in paths {
        if path.is_dir() {
            let mut entries: Vec<PathBuf> = std::fs::read_dir(path)
                .with_context(|| format!("cannot read folder {}", path.display()))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|e| e == "toml"))
                .collect();
            entries.sort();
            for entry in entries {
                files.push(read(&entry)?);
            }
        } else {
            files.push(read(path)?);
        }
    }
    Ok(files)
}

fn read(path: &Path) -> anyhow::Result<(String, String)> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        anyhow::anyhow!(
            "{}: not UTF-8 text (byte {} is invalid); save the file as UTF-8",
            path.display(),
            e.utf8_error().valid_up_to()
        )
    })?;
    Ok((path.display().to_string(), text))
}

fn plural<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 { one } else { many }
}
