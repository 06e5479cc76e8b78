//! `turno procedures check|list`: validate definition files and show what a library holds.

use crate::data;
use clap::Subcommand;
use std::path::PathBuf;
use std::process::ExitCode;
use turno_domain::library::Library;

#[derive(Subcommand)]
pub enum ProceduresCommand {
    /// Validate definition files (or folders of them); print every problem as file:line:col.
    Check {
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
    /// Print key, version, title and activity count of every procedure (of the named files
    /// or folders; without any, of the library built into turno).
    List { paths: Vec<PathBuf> },
}

pub fn run(cmd: ProceduresCommand) -> anyhow::Result<ExitCode> {
    match cmd {
        ProceduresCommand::Check { paths } => {
            let files = data::read_all(&paths)?;
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
            let files = data::read_or(&paths, data::PROCEDURES)?;
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

fn load(files: &data::Files) -> Result<Library, Vec<turno_domain::diagnostic::Located>> {
    Library::load(&data::sources(files))
}

fn plural<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 { one } else { many }
}
