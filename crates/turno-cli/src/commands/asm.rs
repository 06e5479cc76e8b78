//! `turno import asm` and `turno export asm`: a Programa de ASM's three tables
//! (`docs/asm-format.md`) from CSV files or spreadsheets' sheets, and back to CSV, to one
//! workbook or to a PDF (`turno_web::tables_pdf`, as the pages print a visit's plan). The domain reads and writes the tables
//! as rows of text; here they become files.

use crate::commands::database::{DatabaseArgs, block_on, open};
use anyhow::{Context as _, bail};
use clap::{Args, ValueEnum};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use turno_domain::followup::{
    Layout, Problem, Program, Table, Tables, missing, place, read_file, to_csv, workbook,
    write_activities, write_aspects, write_recommendations, write_sign_off,
};
use turno_store::followup::{self, Followup, ImportError, ProgramImport};

#[derive(Args)]
pub struct ImportArgs {
    /// The key the program is kept under (`ASM-2017`); importing again replaces it.
    #[arg(long = "program", value_name = "KEY", value_parser = key)]
    pub key: String,
    /// The program's name («Programa de ASM 2017»).
    #[arg(long)]
    pub name: String,
    /// CSV files or workbooks (XLSX, XLS, ODS: each sheet a table); each table is known by
    /// its header row.
    pub files: Vec<PathBuf>,
    /// The recommendations table, when its header does not say so.
    #[arg(long, value_name = "FILE")]
    pub recommendations: Option<PathBuf>,
    /// The aspects table, when its header does not say so.
    #[arg(long, value_name = "FILE")]
    pub aspects: Option<PathBuf>,
    /// The activities table, when its header does not say so.
    #[arg(long, value_name = "FILE")]
    pub activities: Option<PathBuf>,
    /// Who the audit log says imported it.
    #[arg(long, default_value = "importación")]
    pub actor: String,
    #[command(flatten)]
    pub db: DatabaseArgs,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum Format {
    /// Three files: recomendaciones.csv, aspectos.csv, actividades.csv.
    Csv,
    /// One workbook, KEY.xlsx, with a sheet per table.
    Xlsx,
    /// One document, KEY.pdf, the tables on landscape letter pages.
    Pdf,
}

#[derive(Args)]
pub struct ExportArgs {
    /// The key of the stored program.
    #[arg(long = "program", value_name = "KEY", value_parser = key)]
    pub key: String,
    #[arg(long, value_enum)]
    pub format: Format,
    /// The directory to write to (created when missing).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    #[command(flatten)]
    pub db: DatabaseArgs,
}

/// A program's key names the files it exports to, so it is one plain file name.
fn key(text: &str) -> Result<String, String> {
    let plain = |c: char| c.is_alphanumeric() || matches!(c, '-' | '_' | '.');
    if !text.is_empty() && !text.starts_with('.') && text.chars().all(plain) {
        Ok(text.to_owned())
    } else {
        Err("la clave lleva solo letras, dígitos, «-», «_» y «.» (sin «.» al principio)".into())
    }
}

pub fn import(args: ImportArgs) -> anyhow::Result<ExitCode> {
    let given = [
        (&args.recommendations, Layout::Recommendations),
        (&args.aspects, Layout::Aspects),
        (&args.activities, Layout::Activities),
    ];
    let mut unreadable = Vec::new();
    let mut read = Vec::new();
    for path in &args.files {
        let tables = read_tables(path, &mut unreadable)?;
        read.extend(tables.into_iter().map(|t| (t, None)));
    }
    for (path, layout) in given {
        if let Some(path) = path {
            let tables = read_tables(path, &mut unreadable)?;
            read.extend(tables.into_iter().map(|t| (t, Some(layout))));
        }
    }
    let (slots, mut problems) = place(read);
    problems.splice(0..0, unreadable);
    let [Some(recommendations), Some(aspects), Some(activities)] = &slots else {
        report(&problems);
        let missing = missing(&slots).unwrap_or_default();
        bail!("{missing}: no se importó nada");
    };
    let tables = Tables {
        recommendations,
        aspects,
        activities,
    };
    if !problems.is_empty() {
        // The tables' own problems too, so that one run names them all.
        if let Err(more) = turno_domain::followup::read_program(&args.name, tables) {
            problems.extend(more);
        }
        report(&problems);
        return Ok(ExitCode::FAILURE);
    }
    block_on(async {
        let Some(store) = open(&args.db).await? else {
            return Ok(ExitCode::FAILURE);
        };
        match followup::import(&store, &args.key, &args.name, tables, &args.actor).await {
            Ok((program, done)) => {
                let what = match done {
                    ProgramImport::Created => "importado",
                    ProgramImport::Replaced => "reemplazado",
                    ProgramImport::Unchanged => "sin cambios",
                };
                println!("{} «{}»: {what}", args.key, program.name);
                println!("{}", summary(&program));
                Ok(ExitCode::SUCCESS)
            }
            Err(ImportError::Invalid(found)) => {
                report(&found);
                Ok(ExitCode::FAILURE)
            }
            Err(ImportError::Store(e)) => Err(e).context("the import failed: nothing was imported"),
        }
    })?
}

fn report(problems: &[Problem]) {
    for problem in problems {
        eprintln!("{problem}");
    }
    if !problems.is_empty() {
        eprintln!("{} problemas: no se importó nada", problems.len());
    }
}

fn summary(program: &Program) -> String {
    let activities: usize = program.items.iter().map(|i| i.activities.len()).sum();
    format!(
        "{} recomendaciones, {} aspectos, {activities} actividades",
        program.recommendations().count(),
        program.aspects().count(),
    )
}

/// The tables of a file, read by the domain's reader from its bytes.
fn read_tables(path: &Path, problems: &mut Vec<Problem>) -> anyhow::Result<Vec<Table>> {
    let name = path.display().to_string();
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {name}"))?;
    Ok(read_file(&name, &bytes, problems)?)
}

pub fn export(args: ExportArgs) -> anyhow::Result<ExitCode> {
    let program = block_on(async {
        let Some(store) = open(&args.db).await? else {
            return anyhow::Ok(None);
        };
        let program = store
            .program(&args.key)
            .await
            .with_context(|| format!("cannot read the program {}", args.key))?;
        if program.is_none() {
            eprintln!("no hay un programa con la clave {}", args.key);
        }
        Ok(program)
    })??;
    let Some(program) = program else {
        return Ok(ExitCode::FAILURE);
    };
    std::fs::create_dir_all(&args.out)
        .with_context(|| format!("cannot create {}", args.out.display()))?;
    let tables = [
        (Layout::Recommendations, write_recommendations(&program)),
        (Layout::Aspects, write_aspects(&program)),
        (Layout::Activities, write_activities(&program)),
    ];
    let sign_off = write_sign_off(&program);
    let written = match args.format {
        Format::Csv => {
            let mut written = Vec::new();
            for (layout, mut rows) in tables {
                if layout == Layout::Activities {
                    rows.extend(sign_off.iter().cloned());
                }
                let path = args
                    .out
                    .join(format!("{}.csv", layout.title().to_lowercase()));
                // With a BOM: Excel reads UTF-8 without one as the Windows code page, and the
                // accents come out garbled. The reader skips it.
                std::fs::write(&path, format!("\u{feff}{}", to_csv(&rows)))
                    .with_context(|| format!("cannot write {}", path.display()))?;
                written.push(path);
            }
            written
        }
        Format::Xlsx => {
            let path = args.out.join(format!("{}.xlsx", args.key));
            let bytes = workbook(&program).context("cannot build the workbook")?;
            std::fs::write(&path, bytes)
                .with_context(|| format!("cannot write {}", path.display()))?;
            vec![path]
        }
        Format::Pdf => {
            let path = args.out.join(format!("{}.pdf", args.key));
            let titled: Vec<(String, Vec<Vec<String>>)> = tables
                .into_iter()
                .map(|(layout, rows)| (layout.title().to_owned(), rows))
                .collect();
            let pdf = turno_web::tables_pdf::tables(&program.name, &titled, &sign_off)?;
            std::fs::write(&path, pdf)
                .with_context(|| format!("cannot write {}", path.display()))?;
            vec![path]
        }
    };
    for path in written {
        println!("{}", path.display());
    }
    println!("{}", summary(&program));
    Ok(ExitCode::SUCCESS)
}
