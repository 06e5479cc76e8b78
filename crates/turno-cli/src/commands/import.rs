//! `turno import org FILE...`: the organization's units from the repository's TOML files or
//! from CSV, checked together with the stored units; a file with any problem imports nothing,
//! and every problem is printed with its file, line and field.
//!
//! `turno import calls FILE`: the call-center provider's daily file (procedure 96), CSV or
//! XLSX. Every row is checked first; with any problem nothing is written and each is printed
//! as `file:row: field: reason`. Calls already imported (by content key) are counted, not
//! written again.
//!
//! `turno import asm` is in `asm.rs`.

use crate::commands::database::{DatabaseArgs, block_on, open};
use anyhow::Context as _;
use clap::{Args, Subcommand};
use sha2::{Digest, Sha256};
use std::io::{IsTerminal, Write as _};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;
use turno_domain::citizen::Field;
use turno_domain::citizen::calls::{
    Call, ColumnMapping, Row, RowProblem, check_utf8, csv_rows, read_calls, xlsx_rows,
};
use turno_store::Petitions;
use turno_store::citizen::CallImport;
use turno_store::organization::{self, ImportError};

/// Problems printed at most; the rest are counted.
const MAX_PRINTED: usize = 100;

#[derive(Subcommand)]
pub enum ImportCommand {
    /// Units of the organization and outside bodies (docs/org-format.md), TOML or CSV.
    Org(OrgArgs),
    /// A Programa de ASM's three tables (docs/asm-format.md), CSV or spreadsheets.
    Asm(crate::commands::asm::ImportArgs),
    /// The call-center provider's daily file (docs/citizen-format.md), CSV or XLSX.
    Calls(CallsArgs),
}

#[derive(Args)]
pub struct CallsArgs {
    /// The file: `.csv` (UTF-8, separated by commas or semicolons) or `.xlsx` (its first sheet).
    pub file: PathBuf,
    /// A column of another name: `campo=Columna` (e.g. `descripcion=OBSERVACIONES`); the
    /// fields are id_llamada, fecha, hora, tipo, entidad, unidad, descripcion, nombre, curp,
    /// telefono, correo, domicilio.
    #[arg(long = "map", value_name = "CAMPO=COLUMNA")]
    pub map: Vec<String>,
    /// Who the import is recorded as made by.
    #[arg(long, default_value = "importación")]
    pub actor: String,
    /// The agency's time zone: no call may be dated after today there.
    #[arg(long, default_value = "America/Mexico_City")]
    pub time_zone: String,
    #[command(flatten)]
    pub db: DatabaseArgs,
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
        ImportCommand::Calls(args) => calls(args),
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

fn calls(args: CallsArgs) -> anyhow::Result<ExitCode> {
    let mut mapping = ColumnMapping::default();
    for pair in &args.map {
        let (field, column) = pair
            .split_once('=')
            .with_context(|| format!("--map «{pair}»: se escribe campo=Columna"))?;
        let field: Field = field.parse().with_context(|| format!("--map «{pair}»"))?;
        mapping.set(field, column);
    }
    let zone = jiff::tz::TimeZone::get(&args.time_zone)
        .with_context(|| format!("unknown time zone {}", args.time_zone))?;
    let today = jiff::Timestamp::now().to_zoned(zone).date();
    let name = args.file.display().to_string();
    let bytes = std::fs::read(&args.file)
        .with_context(|| format!("cannot read {}", args.file.display()))?;
    let file_sha256: [u8; 32] = Sha256::digest(&bytes).into();
    let progress = Progress::new();
    let read = match Format::of(&args.file) {
        Some(Format::Csv) => {
            if let Err(e) = check_utf8(&bytes) {
                eprintln!("{name}: {e}");
                eprintln!("no se importó nada");
                return Ok(ExitCode::FAILURE);
            }
            csv_rows(bytes.as_slice(), separator(&bytes))
                .map(|(row, header, rows)| read_all(&mapping, today, row, &header, rows, &progress))
        }
        Some(Format::Xlsx) => xlsx_rows(&bytes)
            .map(|(row, header, rows)| read_all(&mapping, today, row, &header, rows, &progress)),
        None => anyhow::bail!("{name}: the file must be .csv or .xlsx"),
    };
    progress.clear();
    drop(bytes);
    let calls = match read {
        Ok(Ok(calls)) => calls,
        Ok(Err(problems)) => return Ok(refuse(&name, &problems)),
        Err(problem) => return Ok(refuse(&name, &[problem])),
    };
    let total = calls.len();
    block_on(async {
        let Some(store) = open(&args.db).await? else {
            return Ok(ExitCode::FAILURE);
        };
        let written = Arc::new(AtomicUsize::new(0));
        let ticker = progress.tty.then(|| {
            let written = written.clone();
            tokio::spawn(async move {
                loop {
                    eprint!(
                        "\rguardando: {} de {total} llamadas",
                        written.load(Ordering::Relaxed)
                    );
                    tokio::time::sleep(Duration::from_millis(250)).await;
                }
            })
        });
        let done = store
            .import_calls(CallImport {
                file_name: name.clone(),
                file_sha256,
                imported_by: args.actor.clone(),
                imported_at: jiff::Timestamp::now(),
                calls,
                progress: written,
            })
            .await;
        if let Some(ticker) = ticker {
            ticker.abort();
            progress.clear();
        }
        let done = done.context("the import failed: nothing was imported")?;
        println!(
            "{name}: llamadas: {total}; nuevas: {}; ya importadas: {}",
            done.added, done.already
        );
        Ok(ExitCode::SUCCESS)
    })?
}

enum Format {
    Csv,
    Xlsx,
}

impl Format {
    fn of(path: &Path) -> Option<Format> {
        let extension = path.extension()?.to_str()?.to_ascii_lowercase();
        match extension.as_str() {
            "csv" => Some(Format::Csv),
            "xlsx" => Some(Format::Xlsx),
            _ => None,
        }
    }
}

/// Spreadsheets in Spanish write CSV with semicolons (the comma is their decimal sign): the
/// header line says which.
fn separator(bytes: &[u8]) -> u8 {
    let header = bytes.split(|&b| b == b'\n').next().unwrap_or_default();
    let count = |c: u8| header.iter().filter(|&&b| b == c).count();
    if count(b';') > count(b',') {
        b';'
    } else {
        b','
    }
}

/// Every row checked ([`read_calls`]), counted on the terminal as it is read.
fn read_all(
    mapping: &ColumnMapping,
    today: jiff::civil::Date,
    header_row: usize,
    header: &[String],
    rows: impl Iterator<Item = Row>,
    progress: &Progress,
) -> Result<Vec<Call>, Vec<RowProblem>> {
    let counted = rows.enumerate().map(|(i, row)| {
        if i % 10_000 == 0 {
            progress.show(&format!("leyendo: {i} filas"));
        }
        row
    });
    read_calls(mapping, today, header_row, header, counted)
}

/// Prints the problems as `file:row: field: reason` (the first hundred) and says nothing was
/// imported.
fn refuse(name: &str, problems: &[RowProblem]) -> ExitCode {
    for p in problems.iter().take(MAX_PRINTED) {
        match p.field {
            Some(field) => eprintln!("{name}:{}: {field}: {}", p.row, p.reason),
            None => eprintln!("{name}:{}: {}", p.row, p.reason),
        }
    }
    if problems.len() > MAX_PRINTED {
        eprintln!("… y {} problemas más", problems.len() - MAX_PRINTED);
    }
    match problems.len() {
        1 => eprintln!("1 problema: no se importó nada"),
        n => eprintln!("{n} problemas: no se importó nada"),
    }
    ExitCode::FAILURE
}

/// A counter rewritten in place on a terminal's stderr; nothing when stderr is a file or pipe.
struct Progress {
    tty: bool,
}

impl Progress {
    fn new() -> Progress {
        Progress {
            tty: std::io::stderr().is_terminal(),
        }
    }

    fn show(&self, text: &str) {
        if self.tty {
            eprint!("\r{text}");
            let _ = std::io::stderr().flush();
        }
    }

    fn clear(&self) {
        // Clears the line: the counter is not part of the output.
        self.show("\x1b[2K");
    }
}
