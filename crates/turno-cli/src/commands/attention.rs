//! `turno export atencion --mes aaaa-mm --out DIR [--format csv|pdf]`: the monthly report of
//! citizen attention as `/informes/atencion` shows it to those who see every entidad, as files:
//! CSV, or PDF (the page itself offers CSV and XLSX).

use crate::commands::database::{DatabaseArgs, block_on, open};
use anyhow::Context as _;
use clap::{Args, ValueEnum};
use std::path::PathBuf;
use std::process::ExitCode;
use turno_domain::calendar::Regime;
use turno_domain::citizen::{Month, MonthlyReport, call_supervision, motive_name};
use turno_domain::followup::to_csv;
use turno_store::{Handling, Store};

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Csv,
    Pdf,
}

#[derive(Args)]
pub struct ExportArgs {
    /// The month, aaaa-mm.
    #[arg(long)]
    mes: Month,
    /// The folder the file is written to.
    #[arg(long)]
    out: PathBuf,
    #[arg(long, value_enum, default_value = "csv")]
    format: Format,
    /// The agency's time zone: what is overdue is counted up to today there.
    #[arg(long, env = "TURNO_TIME_ZONE", default_value = "America/Mexico_City")]
    time_zone: String,
    #[command(flatten)]
    db: DatabaseArgs,
}

pub fn export(args: ExportArgs) -> anyhow::Result<ExitCode> {
    let time_zone = jiff::tz::TimeZone::get(&args.time_zone)
        .with_context(|| format!("unknown time zone «{}»", args.time_zone))?;
    let month = args.mes;
    let tables = block_on(async {
        let Some(store) = open(&args.db).await? else {
            return anyhow::Ok(None);
        };
        let rows = store.handled_between(month.first(), month.last()).await?;
        let motives = store.motives().await?;
        let calendars = store.calendar().await?.calendars();
        let today = jiff::Timestamp::now().to_zoned(time_zone).date();
        let report =
            MonthlyReport::build(month, &rows, calendars.get(Regime::Lfpa), today, |code| {
                motive_name(&motives, code)
            });
        let declared = store.declared_calls(month.first(), month.last()).await?;
        let supervision = call_supervision(month, &declared, &rows);
        Ok(Some(report.tables(Some(&supervision))))
    })??;
    let Some(tables) = tables else {
        return Ok(ExitCode::FAILURE);
    };
    std::fs::create_dir_all(&args.out)
        .with_context(|| format!("cannot create {}", args.out.display()))?;
    let name = format!("informe-atencion-{month}");
    let path = match args.format {
        Format::Csv => {
            let path = args.out.join(format!("{name}.csv"));
            let csv: Vec<String> = tables.iter().map(|(_, t)| to_csv(t)).collect();
            // With a BOM: Excel reads UTF-8 without one as the Windows code page.
            std::fs::write(&path, format!("\u{feff}{}", csv.join("\n")))
                .with_context(|| format!("cannot write {}", path.display()))?;
            path
        }
        Format::Pdf => {
            let path = args.out.join(format!("{name}.pdf"));
            let title = format!("Informe de atención ciudadana, {}", month.label());
            let pdf = turno_web::tables_pdf::tables(&title, &tables, &[])?;
            std::fs::write(&path, pdf)
                .with_context(|| format!("cannot write {}", path.display()))?;
            path
        }
    };
    println!("{}", path.display());
    Ok(ExitCode::SUCCESS)
}
