//! `turno`: the one binary. Each subcommand lives in its own module under `commands/`.

mod commands;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "turno",
    version,
    about = "Sistema de control de gestión y seguimiento"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Validate and list procedure definitions.
    #[command(subcommand)]
    Procedures(commands::procedures::ProceduresCommand),
    /// Business-day calendar: non-working days, adding and counting días hábiles.
    #[command(subcommand)]
    Calendar(commands::calendar::CalendarCommand),
    /// Create or update the database schema.
    Migrate(commands::database::DatabaseArgs),
    /// Walk the event log's hash chain and report the first broken link, then check every
    /// attached document's file against the digest on record.
    Verify(commands::database::VerifyArgs),
    /// Write a consistent copy of the live database to a new file.
    Backup(commands::backup::BackupArgs),
    /// Put a backup in place as the database (stop turno first).
    Restore(commands::backup::RestoreArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Procedures(cmd) => commands::procedures::run(cmd),
        Command::Calendar(cmd) => commands::calendar::run(cmd),
        Command::Migrate(db) => commands::database::migrate(db),
        Command::Verify(args) => commands::database::verify(args),
        Command::Backup(args) => commands::backup::backup(args),
        Command::Restore(args) => commands::backup::restore(args),
    };
    match result {
        Ok(code) => code,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::FAILURE
        }
    }
}
