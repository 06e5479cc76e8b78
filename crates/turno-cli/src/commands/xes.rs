//! `turno export xes [--procedure KEY] [--from DATE --to DATE] --out FILE`: the event log as XES
//! (IEEE 1849-2016) for process-mining tools (`docs/process-mining.md`), written as it is read.

use crate::commands::database::{DatabaseArgs, block_on, open};
use anyhow::Context as _;
use clap::Args;
use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;
use turno_app::mining::{Period, write_xes};

#[derive(Args)]
pub struct XesArgs {
    /// Only the cases of this procedure (its key).
    #[arg(long)]
    procedure: Option<String>,
    /// Only the cases started on or after this day (aaaa-mm-dd, in the agency's time zone).
    #[arg(long)]
    from: Option<jiff::civil::Date>,
    /// Only the cases started on or before this day.
    #[arg(long)]
    to: Option<jiff::civil::Date>,
    /// The file written.
    #[arg(long)]
    out: PathBuf,
    /// The agency's time zone: the events' times carry its offset.
    #[arg(long, env = "TURNO_TIME_ZONE", default_value = "America/Mexico_City")]
    time_zone: String,
    #[command(flatten)]
    db: DatabaseArgs,
}

pub fn export(args: XesArgs) -> anyhow::Result<ExitCode> {
    let time_zone = jiff::tz::TimeZone::get(&args.time_zone)
        .with_context(|| format!("unknown time zone «{}»", args.time_zone))?;
    let out = &args.out;
    block_on(async {
        let Some(store) = open(&args.db).await? else {
            return anyhow::Ok(ExitCode::FAILURE);
        };
        let library = turno_app::library::load(&store, &[], jiff::Timestamp::now())
            .await
            .context("cannot read the published procedures")?;
        let calendars = turno_app::LiveCalendars::load(&store)
            .await
            .context("cannot read the calendar")?;
        let location = turno_store::blobs::Location::configured(None, &args.db.database_url)?;
        let app = turno_app::App {
            store,
            library: library.into(),
            calendars,
            // The export reads no document.
            blobs: std::sync::Arc::new(
                turno_store::blobs::Blobs::open(&location)
                    .with_context(|| format!("cannot use {location} for documents"))?,
            ),
            time_zone,
            clock: turno_app::Clock::System,
            thresholds: Default::default(),
            suggestions: Default::default(),
            chart: Default::default(),
        };
        let file = std::fs::File::create(out)
            .with_context(|| format!("cannot create {}", out.display()))?;
        let mut file = std::io::BufWriter::new(file);
        let period = Period {
            from: args.from,
            to: args.to,
        };
        let written = write_xes(&app, args.procedure.as_deref(), period, |bytes| {
            let done = file
                .write_all(&bytes)
                .map_err(|e| turno_app::Error::Internal(Box::new(e)));
            std::future::ready(done)
        })
        .await;
        match written {
            Ok(written) => {
                file.flush()
                    .with_context(|| format!("cannot write {}", out.display()))?;
                println!(
                    "{}: {} casos, {} eventos",
                    out.display(),
                    written.traces,
                    written.events
                );
                Ok(ExitCode::SUCCESS)
            }
            Err(turno_app::Error::Internal(e)) => {
                Err(anyhow::anyhow!(e)).with_context(|| format!("cannot write {}", out.display()))
            }
            Err(e) => {
                drop(file);
                let _ = std::fs::remove_file(out);
                eprintln!("{e}");
                Ok(ExitCode::FAILURE)
            }
        }
    })?
}
