//! `turno archivo`: the archive (docs/archive.md) from the command line, as a person named by
//! `--as` whose roles apply (archivista, coordinador_archivos): seed the chart and catalog from
//! the procedures' Registros, import and export the catalog, open, close and classify into
//! expedientes, print a carátula, read the calendar, draw up, approve and carry out lists,
//! write their inventories and move the transferred closed cases out of the working tables.

use crate::commands::database::{DatabaseArgs, acting_as, block_on, open};
use crate::data;
use anyhow::Context as _;
use clap::{Args, Subcommand, ValueEnum};
use std::path::PathBuf;
use std::process::ExitCode;
use turno_app::archive as use_case;
use turno_domain::archive::Move;
use turno_domain::library::Library;
use turno_store::archive::Subject;

#[derive(Subcommand)]
pub enum ArchiveCommand {
    /// Seed the classification chart and disposition catalog from the procedures' Registros
    /// (a serie per record, its years from the record's term); what was edited stays.
    Seed(SeedArgs),
    /// Replace the catalog's lines from a CSV file written by `turno archivo export`.
    Import(FileArgs),
    /// Write the catalog as CSV (cells that a spreadsheet would run are neutralized).
    Export(OutArgs),
    /// Open an expediente.
    Open(OpenArgs),
    /// Close an expediente on a day (AAAA-MM-DD): its terms count from it.
    Close(CloseArgs),
    /// Classify a case (by folio; into its procedure's serie when no expediente is named it is
    /// refused), a document (by id) or a correspondence item (by folio) into an expediente.
    Classify(ClassifyArgs),
    /// An expediente's carátula (cover sheet), as CSV, XLSX or PDF.
    Cover(CoverArgs),
    /// The archive's calendar: what reaches the end of its term in trámite or concentración
    /// until a day (today by default).
    Calendar(CalendarArgs),
    /// Draw up a list (transfer inventory or baja) of what is due today.
    Draw(DrawArgs),
    /// Approve a list (the archive coordinator).
    Approve(ListArgs),
    /// Carry out an approved list.
    Execute(ListArgs),
    /// A list's inventory, as CSV, XLSX or PDF.
    Inventory(InventoryArgs),
    /// Move the closed cases whose expediente a transfer took out of trámite from the working
    /// tables to the archive's, one transaction per batch (docs/archive.md).
    Move(MoveArgs),
}

#[derive(Args)]
pub struct MoveArgs {
    /// Cases per transaction.
    #[arg(long, default_value_t = 1000)]
    pub batch: i64,
    /// Move at most this many cases in this run (all that are due by default).
    #[arg(long)]
    pub most: Option<u64>,
    #[command(flatten)]
    pub common: Common,
}

#[derive(Args)]
pub struct Common {
    /// The login of the person acting: their roles apply and the record names them.
    #[arg(long = "as", value_name = "LOGIN")]
    pub login: String,
    /// The agency's time zone, for «today».
    #[arg(long, default_value = "America/Mexico_City")]
    pub time_zone: String,
    #[command(flatten)]
    pub db: DatabaseArgs,
}

#[derive(Args)]
pub struct SeedArgs {
    /// The fondo's code.
    #[arg(long, default_value = "SS")]
    pub fondo: String,
    /// The fondo's name: the institution.
    #[arg(long, default_value = "Secretaría de Salud")]
    pub fondo_name: String,
    /// Folder of procedure definitions [default: the seed library built into turno].
    #[arg(long)]
    pub procedures: Vec<PathBuf>,
    #[command(flatten)]
    pub common: Common,
}

#[derive(Args)]
pub struct FileArgs {
    pub file: PathBuf,
    #[command(flatten)]
    pub common: Common,
}

#[derive(Args)]
pub struct OutArgs {
    #[arg(long)]
    pub out: PathBuf,
    #[command(flatten)]
    pub common: Common,
}

#[derive(Args)]
pub struct OpenArgs {
    #[arg(long)]
    pub number: String,
    #[arg(long)]
    pub serie: String,
    #[arg(long)]
    pub title: String,
    /// AAAA-MM-DD [default: today].
    #[arg(long)]
    pub opened: Option<String>,
    #[command(flatten)]
    pub common: Common,
}

#[derive(Args)]
pub struct CloseArgs {
    pub number: String,
    /// AAAA-MM-DD.
    #[arg(long)]
    pub on: String,
    #[command(flatten)]
    pub common: Common,
}

#[derive(Args)]
pub struct ClassifyArgs {
    /// The expediente's number.
    pub number: String,
    #[arg(long, conflicts_with_all = ["document", "correspondence"])]
    pub case: Option<String>,
    #[arg(long, conflicts_with = "correspondence")]
    pub document: Option<i64>,
    #[arg(long)]
    pub correspondence: Option<String>,
    /// With --case: open the expediente under the case's procedure's serie if it does not
    /// exist.
    #[arg(long)]
    pub by_default: bool,
    #[command(flatten)]
    pub common: Common,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum Format {
    Csv,
    Xlsx,
    Pdf,
}

#[derive(Args)]
pub struct CoverArgs {
    pub number: String,
    #[arg(long, value_enum, default_value = "csv")]
    pub format: Format,
    #[arg(long)]
    pub out: PathBuf,
    #[command(flatten)]
    pub common: Common,
}

#[derive(Args)]
pub struct CalendarArgs {
    /// AAAA-MM-DD [default: today].
    #[arg(long)]
    pub until: Option<String>,
    #[command(flatten)]
    pub common: Common,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum Kind {
    Primaria,
    Secundaria,
    Baja,
}

#[derive(Args)]
pub struct DrawArgs {
    #[arg(long, value_enum)]
    pub kind: Kind,
    #[arg(long)]
    pub number: String,
    #[command(flatten)]
    pub common: Common,
}

#[derive(Args)]
pub struct ListArgs {
    /// The list's number.
    pub number: String,
    #[command(flatten)]
    pub common: Common,
}

#[derive(Args)]
pub struct InventoryArgs {
    pub number: String,
    #[arg(long, value_enum, default_value = "csv")]
    pub format: Format,
    #[arg(long)]
    pub out: PathBuf,
    #[command(flatten)]
    pub common: Common,
}

/// The application as `--as` sees it, with `library` (none but for seeding).
async fn session(
    common: &Common,
    library: Library,
) -> anyhow::Result<Option<(turno_app::App, turno_app::Principal)>> {
    let time_zone = jiff::tz::TimeZone::get(&common.time_zone)
        .with_context(|| format!("unknown time zone {}", common.time_zone))?;
    let Some(store) = open(&common.db).await? else {
        return Ok(None);
    };
    acting_as(store, &common.db, library, time_zone, &common.login).await
}

/// A use case's refusal as the person reads it.
fn refused(e: &turno_app::Error) -> ExitCode {
    match e {
        turno_app::Error::InvalidFields(problems) => {
            for p in problems {
                eprintln!("{}: {}", p.field, p.message);
            }
        }
        other => eprintln!("{other}"),
    }
    ExitCode::FAILURE
}

macro_rules! attempt {
    ($e:expr) => {
        match $e {
            Ok(v) => v,
            Err(e) => return Ok(refused(&e)),
        }
    };
}

fn write(path: &PathBuf, sheet: &use_case::Sheet, format: Format) -> anyhow::Result<()> {
    let bytes = match format {
        Format::Csv => sheet.csv(),
        Format::Xlsx => sheet.xlsx()?,
        Format::Pdf => turno_web::tables_pdf::tables(
            &sheet.title,
            &[(sheet.title.clone(), sheet.rows.clone())],
            &[],
        )?,
    };
    std::fs::write(path, bytes).with_context(|| format!("cannot write {}", path.display()))
}

async fn expediente_by_number(
    app: &turno_app::App,
    user: &turno_app::Principal,
    number: &str,
) -> Result<turno_store::archive::StoredExpediente, turno_app::Error> {
    use_case::expedientes(app, user)
        .await?
        .into_iter()
        .find(|e| e.number == number)
        .ok_or_else(|| turno_app::Error::NotFound(format!("No existe el expediente {number}.")))
}

async fn list_by_number(
    app: &turno_app::App,
    user: &turno_app::Principal,
    number: &str,
) -> Result<turno_store::archive::StoredList, turno_app::Error> {
    use_case::lists(app, user)
        .await?
        .into_iter()
        .find(|l| l.list.number == number)
        .ok_or_else(|| turno_app::Error::NotFound(format!("No existe la lista {number}.")))
}

pub fn run(cmd: ArchiveCommand) -> anyhow::Result<ExitCode> {
    block_on(async move { dispatch(cmd).await })?
}

async fn dispatch(cmd: ArchiveCommand) -> anyhow::Result<ExitCode> {
    match cmd {
        ArchiveCommand::Seed(args) => {
            let files = data::read_or(&args.procedures, data::PROCEDURES)
                .context("cannot read the procedures")?;
            let library = Library::load(&data::sources(&files)).map_err(|problems| {
                let words: Vec<String> = problems.iter().map(ToString::to_string).collect();
                anyhow::anyhow!("the procedures have problems:\n{}", words.join("\n"))
            })?;
            let Some((app, user)) = session(&args.common, library).await? else {
                return Ok(ExitCode::FAILURE);
            };
            let chart = attempt!(use_case::seed(&app, &user, &args.fondo, &args.fondo_name).await);
            println!(
                "cuadro de clasificación: {} secciones, {} series",
                chart.sections.len(),
                chart.series.len()
            );
        }
        ArchiveCommand::Import(args) => {
            let bytes = std::fs::read(&args.file)
                .with_context(|| format!("cannot read {}", args.file.display()))?;
            let Some((app, user)) = session(&args.common, Library::default()).await? else {
                return Ok(ExitCode::FAILURE);
            };
            let chart = attempt!(use_case::import(&app, &user, &bytes).await);
            println!("catálogo importado: {} series", chart.series.len());
        }
        ArchiveCommand::Export(args) => {
            let Some((app, user)) = session(&args.common, Library::default()).await? else {
                return Ok(ExitCode::FAILURE);
            };
            let csv = attempt!(use_case::export(&app, &user).await);
            std::fs::write(&args.out, csv)
                .with_context(|| format!("cannot write {}", args.out.display()))?;
            println!("{}", args.out.display());
        }
        ArchiveCommand::Open(args) => {
            let Some((app, user)) = session(&args.common, Library::default()).await? else {
                return Ok(ExitCode::FAILURE);
            };
            let draft = use_case::ExpedienteDraft {
                number: args.number.clone(),
                serie: args.serie,
                title: args.title,
                opened_on: args.opened.unwrap_or_else(|| app.today().to_string()),
            };
            attempt!(use_case::open(&app, &user, &draft).await);
            println!("expediente {} abierto", args.number);
        }
        ArchiveCommand::Close(args) => {
            let Some((app, user)) = session(&args.common, Library::default()).await? else {
                return Ok(ExitCode::FAILURE);
            };
            let found = attempt!(expediente_by_number(&app, &user, &args.number).await);
            attempt!(use_case::close(&app, &user, found.id, &args.on).await);
            println!("expediente {} cerrado el {}", args.number, args.on);
        }
        ArchiveCommand::Classify(args) => {
            let Some((app, user)) = session(&args.common, Library::default()).await? else {
                return Ok(ExitCode::FAILURE);
            };
            if let (Some(folio), true) = (&args.case, args.by_default) {
                attempt!(
                    use_case::classify_case_by_default(&app, &user, folio, &args.number).await
                );
            } else {
                let subject = match (args.case, args.document, args.correspondence) {
                    (Some(folio), _, _) => Subject::Case(folio),
                    (_, Some(id), _) => Subject::Document(id),
                    (_, _, Some(folio)) => Subject::Correspondence(folio),
                    _ => anyhow::bail!(
                        "name what to classify: --case, --document or --correspondence"
                    ),
                };
                let found = attempt!(expediente_by_number(&app, &user, &args.number).await);
                attempt!(use_case::classify(&app, &user, &subject, found.id).await);
            }
            println!("clasificado en el expediente {}", args.number);
        }
        ArchiveCommand::Cover(args) => {
            let Some((app, user)) = session(&args.common, Library::default()).await? else {
                return Ok(ExitCode::FAILURE);
            };
            let found = attempt!(expediente_by_number(&app, &user, &args.number).await);
            let sheet = attempt!(use_case::cover(&app, &user, found.id).await);
            write(&args.out, &sheet, args.format)?;
            println!("{}", args.out.display());
        }
        ArchiveCommand::Calendar(args) => {
            let Some((app, user)) = session(&args.common, Library::default()).await? else {
                return Ok(ExitCode::FAILURE);
            };
            let until = match &args.until {
                Some(text) => turno_domain::followup::parse_date(text)
                    .with_context(|| format!("«{text}» is not a date (AAAA-MM-DD)"))?,
                None => app.today(),
            };
            let lines = attempt!(use_case::calendar(&app, &user, until).await);
            for line in &lines {
                println!(
                    "{}\t{}\t{}\t{}",
                    turno_domain::text::day(line.due.on),
                    line.due.action.label(),
                    line.expediente.number,
                    line.serie.code
                );
            }
            println!("{} expedientes", lines.len());
        }
        ArchiveCommand::Draw(args) => {
            let Some((app, user)) = session(&args.common, Library::default()).await? else {
                return Ok(ExitCode::FAILURE);
            };
            let kind = match args.kind {
                Kind::Primaria => Move::Primaria,
                Kind::Secundaria => Move::Secundaria,
                Kind::Baja => Move::Baja,
            };
            attempt!(use_case::draw(&app, &user, kind, &args.number).await);
            let list = attempt!(list_by_number(&app, &user, &args.number).await);
            println!(
                "{} {}: {} expedientes, por aprobar",
                kind.label(),
                args.number,
                list.list.expedientes.len()
            );
        }
        ArchiveCommand::Approve(args) => {
            let Some((app, user)) = session(&args.common, Library::default()).await? else {
                return Ok(ExitCode::FAILURE);
            };
            let list = attempt!(list_by_number(&app, &user, &args.number).await);
            attempt!(use_case::approve(&app, &user, list.id).await);
            println!("lista {} aprobada", args.number);
        }
        ArchiveCommand::Execute(args) => {
            let Some((app, user)) = session(&args.common, Library::default()).await? else {
                return Ok(ExitCode::FAILURE);
            };
            let list = attempt!(list_by_number(&app, &user, &args.number).await);
            let executed = attempt!(use_case::execute(&app, &user, list.id).await);
            println!(
                "lista {} ejecutada: {} expedientes, {} documentos dados de baja, {} archivos \
                 borrados, {} conservados porque otro registro los nombra",
                args.number,
                list.list.expedientes.len(),
                executed.documents.len(),
                executed.removed.len(),
                executed.kept.len()
            );
        }
        ArchiveCommand::Move(args) => {
            let Some((app, user)) = session(&args.common, Library::default()).await? else {
                return Ok(ExitCode::FAILURE);
            };
            let moved = attempt!(
                turno_app::archive_move::move_transferred(&app, &user, args.batch, args.most).await
            );
            println!(
                "trasladados al archivo: {} asuntos, {} eventos, en {} lotes",
                moved.cases, moved.events, moved.batches
            );
        }
        ArchiveCommand::Inventory(args) => {
            let Some((app, user)) = session(&args.common, Library::default()).await? else {
                return Ok(ExitCode::FAILURE);
            };
            let list = attempt!(list_by_number(&app, &user, &args.number).await);
            let sheet = attempt!(use_case::inventory(&app, &user, list.id).await);
            write(&args.out, &sheet, args.format)?;
            println!("{}", args.out.display());
        }
    }
    Ok(ExitCode::SUCCESS)
}
