//! `turno calendar holidays|add|count`: the business-day calendar from the command line.

use anyhow::Context as _;
use clap::{Args, Subcommand};
use jiff::civil::Date;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use turno_domain::calendar::{Calendar, CalendarData, Regime, Scope, State};

/// Used when `--data` is not given; a missing default directory means statutory days only.
const DEFAULT_DATA_DIR: &str = "calendars";

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
    /// Directory of extra-day files (*.toml) [default: calendars/ if it exists].
    #[arg(long)]
    data: Option<PathBuf>,
}

pub fn run(cmd: CalendarCommand) -> anyhow::Result<ExitCode> {
    let mut out = std::io::stdout().lock();
    match cmd {
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
    let data = match &options.data {
        Some(dir) => read_data_dir(dir)?,
        None if Path::new(DEFAULT_DATA_DIR).exists() => read_data_dir(Path::new(DEFAULT_DATA_DIR))?,
        None => CalendarData::new(),
    };
    let scope = Scope {
        institution: options.institution.as_deref(),
        state: options.state,
    };
    Ok(Calendar::build(options.regime, &data, scope))
}

/// Every `*.toml` file of `dir`, in name order so that results do not depend on the file system.
pub(crate) fn read_data_dir(dir: &Path) -> anyhow::Result<CalendarData> {
    let entries = std::fs::read_dir(dir)
        .with_context(|| format!("cannot read calendar data directory {}", dir.display()))?;
    let mut paths = Vec::new();
    for entry in entries {
        let path = entry
            .with_context(|| format!("cannot read {}", dir.display()))?
            .path();
        if path.extension().is_some_and(|ext| ext == "toml") && path.is_file() {
            paths.push(path);
        }
    }
    paths.sort();
    let mut data = CalendarData::new();
    for path in paths {
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        data.merge(CalendarData::parse(&path.display().to_string(), &text)?);
    }
    Ok(data)
}
