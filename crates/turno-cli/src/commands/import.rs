//! `turno import org FILE...`: the organization's units from the repository's TOML files or
//! from CSV, checked together with the stored units; a file with any problem imports nothing,
//! and every problem is printed with its file, line and field.
//!
//! `turno import calls FILE`: the call-center provider's daily file (procedure 96), CSV or
//! XLSX. Every row is checked first; with any problem nothing is written and each is printed
//! as `file:row: field: reason`. Calls already imported (by content key) are counted, not
//! written again.
//!
//! `turno import correspondence FILE`: a unit's existing register of incoming documents, CSV
//! or XLSX (docs/correspondence.md), checked by turno-app's registration as the person named
//! by `--as`; with any problem nothing is written and each is printed as
//! `file:row: column: reason`.
//!
//! `turno import bpmn FILE`: a modeler's BPMN 2.0 file drafted as a definition by
//! `turno_app::bpmn_import`, written with its review report (`docs/bpmn.md`); only a file that
//! cannot be read fails.
//!
//! `turno import asm` is in `asm.rs`, `turno import manual` in `manual.rs`.

use crate::commands::database::{DatabaseArgs, block_on, open};
use anyhow::Context as _;
use clap::{Args, Subcommand};
use sha2::{Digest, Sha256};
use std::io::{IsTerminal, Write as _};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;
use turno_domain::citizen::calls::{
    ColumnMapping, FileFormat, MAX_FILE_BYTES, Refused, RowProblem, read_file,
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
    /// A unit's existing register of incoming documents (docs/correspondence.md), CSV or
    /// XLSX: every row checked as the registration form checks it, all imported or none.
    Correspondence(CorrespondenceArgs),
    /// A manual of procedures (docs/manual-import.md), text or PDF: one draft definition per
    /// procedure and a review report of what it could not decide, with page and line.
    Manual(crate::commands::manual::ManualArgs),
    /// A BPMN 2.0 model (bpmn.io, Camunda Modeler…) drafted as a definition, with a review
    /// report of what it does not express (docs/bpmn.md).
    Bpmn(BpmnArgs),
}

#[derive(Args)]
pub struct BpmnArgs {
    /// The modeler's file (`.bpmn`: BPMN 2.0 XML).
    pub file: PathBuf,
    /// Folder where the draft `CLAVE.toml` and its report `CLAVE-revision.txt` are written;
    /// without it, the draft goes to standard output and the report to standard error.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Organization files (or folders) whose units the lanes are matched to by name; by
    /// default the repository's `org/`.
    #[arg(long = "org", value_name = "ARCHIVO")]
    pub org: Vec<PathBuf>,
}

#[derive(Args)]
pub struct CorrespondenceArgs {
    /// The register: `.csv` (UTF-8, separated by commas) or `.xlsx` (its first sheet), a
    /// header row (Tipo, Tipo de remitente, Remitente, Cargo, Institución, Número, Fecha del
    /// documento, Recibido, Asunto, Resumen, Prioridad, Clasificación, Anexos, Plazo (días
    /// hábiles), En atención a, Turnado a, Instrucción, Unidad) and a document a row.
    pub file: PathBuf,
    /// The registering unit of the rows that name none in a column «Unidad».
    #[arg(long, value_name = "CLAVE", default_value = "")]
    pub unit: String,
    /// The login of the person who imports it: their rights apply (registering for the unit)
    /// and the record names them.
    #[arg(long = "as", value_name = "LOGIN", default_value = "admin")]
    pub login: String,
    /// The agency's time zone: no document may be received after this moment there.
    #[arg(long, default_value = "America/Mexico_City")]
    pub time_zone: String,
    #[command(flatten)]
    pub db: DatabaseArgs,
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
    /// The files (or folders of `*.toml` files) to import together (`org/`, or a `.csv`).
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
        ImportCommand::Correspondence(args) => correspondence(args),
        ImportCommand::Manual(args) => crate::commands::manual::import(args),
        ImportCommand::Bpmn(args) => bpmn(args),
    }
}

/// The file's bytes, or `None` once the refusal is printed (ending with `nothing`) when it
/// weighs more than `max` bytes: refused before it is read, so an import's memory is bounded.
fn read_at_most(
    path: &std::path::Path,
    max: usize,
    advice: &str,
    nothing: &str,
) -> anyhow::Result<Option<Vec<u8>>> {
    let name = path.display();
    let size = std::fs::metadata(path)
        .with_context(|| format!("cannot read {name}"))?
        .len();
    if usize::try_from(size).map_or(true, |size| size > max) {
        eprintln!(
            "{name}: el archivo pesa {} MiB y el máximo es {} MiB{advice}",
            size.div_ceil(1024 * 1024),
            max >> 20
        );
        eprintln!("{nothing}");
        return Ok(None);
    }
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {name}"))?;
    Ok(Some(bytes))
}

fn bpmn(args: BpmnArgs) -> anyhow::Result<ExitCode> {
    use turno_app::bpmn_import::{BpmnImportError, import_bpmn};
    use turno_domain::bpmn::import::MAX_BYTES;
    let name = args.file.display().to_string();
    let Some(bytes) = read_at_most(&args.file, MAX_BYTES, "", "no se escribió ningún borrador")?
    else {
        return Ok(ExitCode::FAILURE);
    };
    let org = crate::data::read_or(&args.org, crate::data::ORG)?;
    let draft = match import_bpmn(&name, &bytes, &org) {
        Ok(draft) => draft,
        Err(BpmnImportError::Refused(refusal)) => {
            eprintln!("{name}: {refusal}");
            eprintln!("no se escribió ningún borrador");
            return Ok(ExitCode::FAILURE);
        }
        Err(e @ BpmnImportError::Organization(_)) => {
            eprintln!("{e}");
            eprintln!("no se escribió ningún borrador");
            return Ok(ExitCode::FAILURE);
        }
    };
    let report = draft.report(&name);
    let summary = format!(
        "{} elementos por revisar; {} problemas del borrador según el validador",
        draft.findings.len(),
        draft.problems.len()
    );
    match args.out {
        None => {
            print!("{}", draft.toml);
            eprint!("{report}");
        }
        Some(dir) => {
            std::fs::create_dir_all(&dir)
                .with_context(|| format!("cannot create {}", dir.display()))?;
            let definition = dir.join(format!("{}.toml", draft.key));
            let revision = dir.join(format!("{}-revision.txt", draft.key));
            std::fs::write(&definition, &draft.toml)
                .with_context(|| format!("cannot write {}", definition.display()))?;
            std::fs::write(&revision, &report)
                .with_context(|| format!("cannot write {}", revision.display()))?;
            println!(
                "{}: borrador; {}: revisión ({summary})",
                definition.display(),
                revision.display()
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn correspondence(args: CorrespondenceArgs) -> anyhow::Result<ExitCode> {
    use turno_app::correspondence::import::{
        ImportRefused, MAX_FILE_BYTES, RegisterFile, import_register,
    };
    let name = args.file.display().to_string();
    let time_zone = jiff::tz::TimeZone::get(&args.time_zone)
        .with_context(|| format!("unknown time zone {}", args.time_zone))?;
    let Some(content) = read_at_most(
        &args.file,
        MAX_FILE_BYTES,
        ": divídalo",
        "no se importó nada",
    )?
    else {
        return Ok(ExitCode::FAILURE);
    };
    block_on(async {
        let Some(store) = open(&args.db).await? else {
            return Ok(ExitCode::FAILURE);
        };
        // The import keeps no file; the blob store is opened, never written.
        let acting = crate::commands::database::acting_as(
            store,
            &args.db,
            Default::default(),
            time_zone,
            &args.login,
        )
        .await?;
        let Some((app, person)) = acting else {
            eprintln!("no se importó nada");
            return Ok(ExitCode::FAILURE);
        };
        let file = RegisterFile {
            name: name.clone(),
            content,
        };
        match import_register(&app, &person, file, &args.unit).await {
            Ok(done) => {
                let range = match (done.folios.first(), done.folios.last()) {
                    (Some(first), Some(last)) => format!(" ({first} a {last})"),
                    _ => String::new(),
                };
                println!(
                    "{name}: documentos registrados: {}{range}; turnos: {}",
                    done.folios.len(),
                    done.turns
                );
                Ok(ExitCode::SUCCESS)
            }
            Err(ImportRefused::Problems(problems)) => {
                for p in problems.iter().take(MAX_PRINTED) {
                    let row = p.row.map(|r| format!("{r}:")).unwrap_or_default();
                    match &p.field {
                        Some(field) => eprintln!("{name}:{row} {field}: {}", p.message),
                        None => eprintln!("{name}:{row} {}", p.message),
                    }
                }
                if problems.len() > MAX_PRINTED {
                    eprintln!("… y {} problemas más", problems.len() - MAX_PRINTED);
                }
                match problems.len() {
                    1 => eprintln!("1 problema: no se importó nada"),
                    n => eprintln!("{n} problemas: no se importó nada"),
                }
                Ok(ExitCode::FAILURE)
            }
            Err(ImportRefused::Error(turno_app::Error::Internal(e))) => {
                Err(anyhow::anyhow!(e)).context("the import failed: nothing was imported")
            }
            Err(ImportRefused::Error(refusal)) => {
                eprintln!("{name}: {refusal}");
                eprintln!("no se importó nada");
                Ok(ExitCode::FAILURE)
            }
        }
    })?
}

fn org(args: OrgArgs) -> anyhow::Result<ExitCode> {
    let texts = crate::data::read_all(&args.files)?;
    let files = crate::data::named(&texts);
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
        mapping.apply(pair).context("--map")?;
    }
    let zone = jiff::tz::TimeZone::get(&args.time_zone)
        .with_context(|| format!("unknown time zone {}", args.time_zone))?;
    let today = jiff::Timestamp::now().to_zoned(zone).date();
    let name = args.file.display().to_string();
    let Some(format) = FileFormat::of_name(&name) else {
        anyhow::bail!("{name}: the file must be .csv or .xlsx");
    };
    let size = std::fs::metadata(&args.file)
        .with_context(|| format!("cannot read {}", args.file.display()))?
        .len();
    if size > MAX_FILE_BYTES {
        eprintln!(
            "{name}: el archivo pesa {} MiB y el máximo es {} MiB: divídalo en archivos más \
             pequeños",
            size.div_ceil(1024 * 1024),
            MAX_FILE_BYTES / (1024 * 1024)
        );
        eprintln!("no se importó nada");
        return Ok(ExitCode::FAILURE);
    }
    let bytes = std::fs::read(&args.file)
        .with_context(|| format!("cannot read {}", args.file.display()))?;
    let file_sha256: [u8; 32] = Sha256::digest(&bytes).into();
    let progress = Progress::new();
    // A CSV's rows are its lines (a quoted field may hold more, so this is an estimate); a
    // workbook's are known only once read.
    let lines =
        (format == FileFormat::Csv).then(|| bytes.iter().filter(|b| **b == b'\n').count().max(1));
    let read = read_file(format, &bytes, &mapping, today, |i| {
        if i % 10_000 == 0 {
            progress.show(&match lines {
                Some(total) => format!("leyendo   {}", bar(i, total)),
                None => format!("leyendo: {i} filas"),
            });
        }
    });
    progress.clear();
    drop(bytes);
    let calls = match read {
        Ok(calls) => calls,
        Err(Refused::NotUtf8(e)) => {
            eprintln!("{name}: {e}");
            eprintln!("no se importó nada");
            return Ok(ExitCode::FAILURE);
        }
        Err(Refused::Problems(problems)) => return Ok(refuse(&name, &problems)),
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
                        "\rguardando {} llamadas",
                        bar(written.load(Ordering::Relaxed), total)
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
/// A progress bar of 30 cells, its percentage and the counts: `[█████░░…] 17 % (170000 de
/// 1000000)`.
fn bar(done: usize, total: usize) -> String {
    let total = total.max(1);
    let done = done.min(total);
    let filled = done * 30 / total;
    format!(
        "[{}{}] {:>3} % ({done} de {total})",
        "█".repeat(filled),
        "░".repeat(30 - filled),
        done * 100 / total
    )
}

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

#[cfg(test)]
mod tests {
    #[test]
    fn the_bar_fills_with_the_rows_done() {
        assert_eq!(
            super::bar(0, 10),
            format!("[{}]   0 % (0 de 10)", "░".repeat(30))
        );
        assert_eq!(
            super::bar(5, 10),
            format!("[{}{}]  50 % (5 de 10)", "█".repeat(15), "░".repeat(15))
        );
        // More rows than lines estimated: a full bar, never a panic.
        assert!(super::bar(12, 10).starts_with(&format!("[{}] 100 %", "█".repeat(30))));
        assert!(super::bar(0, 0).contains("0 %"));
    }
}
