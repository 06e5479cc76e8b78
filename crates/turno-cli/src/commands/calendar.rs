//! `turno calendar holidays|add|count`: the business-day calendar from the command line, on
//! the files of a directory; `turno calendar import`: files into the database, whose calendar
//! `turno serve` counts on.

use crate::commands::database::{DatabaseArgs, block_on, open};
use crate::data;
use anyhow::Context as _;
use clap::{Args, Subcommand};
use jiff::civil::Date;
use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;
use turno_app::commands::recount_all;
use turno_domain::calendar::{Calendar, CalendarData, Regime, Scope, State};
use turno_domain::engine::Context;
use turno_store::Store;
use turno_store::calendar::{self, CalendarImportError, change_reason, scope_reason};

#[derive(Subcommand)]
pub enum CalendarCommand {
    /// Print the non-working days of a year, one `YYYY-MM-DD name` per line.
    Holidays {
        #[arg(long, value_parser = clap::value_parser!(i16).range(1..=9999))]
        year: i16,
        #[command(flatten)]
        options: CalendarOptions,
    },
    /// Print the date N business days after DATE (N negative: before it).
    Add {
        /// Start date, YYYY-MM-DD.
        date: Date,
        /// Number of days; negative subtracts.
        #[arg(allow_negative_numbers = true)]
        n: i32,
        /// Count natural days (días naturales) instead of business days.
        #[arg(long)]
        natural: bool,
        #[command(flatten)]
        options: CalendarOptions,
    },
    /// Print the number of business days after FROM up to and including TO (negative if TO is
    /// before FROM).
    Count {
        from: Date,
        to: Date,
        /// Count natural days (días naturales) instead of business days.
        #[arg(long)]
        natural: bool,
        #[command(flatten)]
        options: CalendarOptions,
    },
    /// Import files of non-working days (docs/calendar-data.md) into the database, all or
    /// nothing, and count the due dates of open work again on the new calendar.
    Import(ImportArgs),
    /// Set whose institution's and state's extra days the agency counts on (stored in the
    /// database for every process), and count the due dates of open work again.
    Scope(ScopeArgs),
}

#[derive(Args)]
pub struct ScopeArgs {
    /// The agency's institution code (SSA, IMSS…); none: no institution's days.
    #[arg(long)]
    institution: Option<String>,
    /// The agency's state (QRO, JAL, CDMX…); none: no state's days.
    #[arg(long)]
    state: Option<State>,
    /// Who the audit log says set it.
    #[arg(long, default_value = "administración")]
    actor: String,
    #[command(flatten)]
    recount: RecountArgs,
}

/// The database a calendar change goes to, and the zone its due dates are counted again in.
#[derive(Args)]
pub struct RecountArgs {
    /// The agency's time zone: due dates already passed there are not moved.
    #[arg(long, env = "TURNO_TIME_ZONE", default_value = "America/Mexico_City")]
    time_zone: String,
    #[command(flatten)]
    db: DatabaseArgs,
}

impl RecountArgs {
    fn time_zone(&self) -> anyhow::Result<jiff::tz::TimeZone> {
        jiff::tz::TimeZone::get(&self.time_zone)
            .with_context(|| format!("unknown time zone «{}»", self.time_zone))
    }
}

#[derive(Args)]
pub struct ImportArgs {
    /// The files (or folders of `*.toml` files) to import together [default: the yearly DOF
    /// agreements built into turno, the repository's `calendars/`].
    files: Vec<PathBuf>,
    /// Who the audit log says imported them.
    #[arg(long, default_value = "importación")]
    actor: String,
    #[command(flatten)]
    recount: RecountArgs,
}

#[derive(Args)]
pub struct CalendarOptions {
    /// Regime of non-working days: lfpa (LFPA art. 28) or lft (LFT art. 74).
    #[arg(long, default_value_t = Regime::Lfpa)]
    regime: Regime,
    /// Also the extra days of this state (QRO, JAL, CDMX…; see docs/calendar-data.md).
    #[arg(long)]
    state: Option<State>,
    /// Also the extra days of this institution (e.g. SSA).
    #[arg(long)]
    institution: Option<String>,
    /// Directory of extra-day files (*.toml) [default: the yearly DOF agreements built into
    /// turno, the repository's `calendars/`].
    #[arg(long)]
    data: Option<PathBuf>,
}

pub fn run(cmd: CalendarCommand) -> anyhow::Result<ExitCode> {
    let mut out = std::io::stdout().lock();
    match cmd {
        CalendarCommand::Import(args) => return import(args),
        CalendarCommand::Scope(args) => return scope(args),
        CalendarCommand::Holidays { year, options } => {
            let calendar = load(&options)?;
            for day in calendar.non_working_days(year) {
                writeln!(out, "{} {}", day.date, day.name)?;
            }
        }
        CalendarCommand::Add {
            date,
            n,
            natural,
            options,
        } => {
            let calendar = load(&options)?;
            let result = if natural {
                calendar.add_natural_days(date, n)?
            } else {
                calendar.add_business_days(date, n)?
            };
            writeln!(out, "{result}")?;
        }
        CalendarCommand::Count {
            from,
            to,
            natural,
            options,
        } => {
            let calendar = load(&options)?;
            let count = if natural {
                calendar.count_natural_days(from, to)
            } else {
                calendar.count_business_days(from, to)
            };
            writeln!(out, "{count}")?;
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

fn load(options: &CalendarOptions) -> anyhow::Result<Calendar> {
    let mut data = CalendarData::new();
    for (name, text) in data::read_or(options.data.as_slice(), data::CALENDARS)? {
        data.merge(CalendarData::parse(&name, &text)?);
    }
    let scope = Scope {
        institution: options.institution.as_deref(),
        state: options.state,
    };
    Ok(Calendar::build(options.regime, &data, scope))
}

fn import(args: ImportArgs) -> anyhow::Result<ExitCode> {
    let texts = data::read_or(&args.files, data::CALENDARS)?;
    let files = data::named(&texts);
    let time_zone = args.recount.time_zone()?;
    block_on(async {
        let Some(store) = open(&args.recount.db).await? else {
            return Ok(ExitCode::FAILURE);
        };
        let imported = match calendar::import(&store, &files, &args.actor).await {
            Ok(imported) => imported,
            Err(CalendarImportError::Invalid(problems)) => {
                for problem in &problems {
                    eprintln!("{problem}");
                }
                eprintln!(
                    "{} archivos con problemas: no se importó nada",
                    problems.len()
                );
                return Ok(ExitCode::FAILURE);
            }
            Err(CalendarImportError::Store(e)) => {
                return Err(e).context("the import failed: nothing was imported");
            }
        };
        for period in &imported.added {
            println!("agregado: {}", describe(period));
        }
        println!(
            "días o periodos nuevos: {}; ya registrados: {}",
            imported.added.len(),
            imported.unchanged
        );
        // Also when nothing was added: a recount cut short before is finished this way.
        recount(&store, time_zone, &change_reason(&imported.added, &[]))
            .await
            .context("the calendar was imported, but counting the due dates again failed (import the same files again to finish it)")?;
        Ok(ExitCode::SUCCESS)
    })?
}

fn scope(args: ScopeArgs) -> anyhow::Result<ExitCode> {
    let time_zone = args.recount.time_zone()?;
    let institution = args
        .institution
        .as_deref()
        .map(str::trim)
        .filter(|i| !i.is_empty());
    block_on(async {
        let Some(store) = open(&args.recount.db).await? else {
            return Ok(ExitCode::FAILURE);
        };
        store
            .set_calendar_scope(institution, args.state, &args.actor)
            .await?;
        let reason = scope_reason(institution, args.state);
        println!("{reason}");
        recount(&store, time_zone, &reason)
            .await
            .context("the scope was set, but counting the due dates again failed (set it again to finish it)")?;
        Ok(ExitCode::SUCCESS)
    })?
}

/// Counts the due dates of open work again on the stored calendar, printing each that moved.
async fn recount(
    store: &turno_store::AnyStore,
    time_zone: jiff::tz::TimeZone,
    reason: &str,
) -> anyhow::Result<()> {
    // The cases may run on any published version: the library is the database's.
    let now = jiff::Timestamp::now();
    let library = turno_app::library::load(store, &[], now).await?;
    let calendars = store.calendar().await?.calendars();
    let ctx = Context {
        now,
        today: now.to_zoned(time_zone).date(),
        calendars: &calendars,
    };
    let recounted = recount_all(store, &library, &ctx, reason).await?;
    for moved in &recounted.moved {
        println!(
            "{} actividad {}: {} → {}",
            moved.folio,
            moved.activity,
            turno_domain::text::day(moved.before),
            turno_domain::text::day(moved.after)
        );
    }
    println!("fechas límite recalculadas: {}", recounted.moved.len());
    Ok(())
}

/// An entry as the import reports it: `2026-12-07 Nombre` or `2026-07-20 a 2026-07-31 Nombre`,
/// with its scope.
fn describe(period: &turno_domain::calendar::NonWorkingPeriod) -> String {
    let mut text = if period.from == period.to {
        format!("{} {}", period.from, period.name)
    } else {
        format!("{} a {} {}", period.from, period.to, period.name)
    };
    if let Some(regimes) = &period.regimes {
        let codes: Vec<&str> = regimes.iter().map(|r| r.code()).collect();
        text.push_str(&format!(" [{}]", codes.join(", ")));
    }
    if let Some(institution) = &period.institution {
        text.push_str(&format!(" institución {institution}"));
    }
    if let Some(state) = period.state {
        text.push_str(&format!(" estado {}", state.code()));
    }
    text
}
