//! `turno`: the one binary. Each subcommand lives in its own module under `commands/`.

#![allow(
    clippy::print_stdout,
    clippy::print_stderr,
    reason = "the binary talks to a person: results on standard output, refusals on standard error"
)]

mod commands;
mod data;
mod logging;

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
    /// Import data into the database: the organization's units, follow-up programs.
    #[command(subcommand)]
    Import(commands::import::ImportCommand),
    /// Export stored data to the files it is imported from: follow-up programs.
    #[command(subcommand)]
    Export(commands::export::ExportCommand),
    /// Create or update the database schema, and the record key when there is none.
    Migrate(commands::database::MigrateArgs),
    /// Walk the event log's hash chains, recompute every projection (work items, the units that
    /// see them, case states) and check the signed checkpoints, reporting every break; then
    /// check every attached document's file against the digest on record.
    Verify(commands::database::VerifyArgs),
    /// Write a consistent copy of the live database to a new file.
    Backup(commands::backup::BackupArgs),
    /// Put a backup in place as the database (stop turno first).
    Restore(commands::backup::RestoreArgs),
    /// Citizen petitions: how well motive suggestions guess the classified ones.
    #[command(subcommand)]
    Petitions(commands::petitions::PetitionsCommand),
    /// Serve the web application and the JSON API.
    Serve(commands::serve::ServeArgs),
    /// API tokens: create one for a user (printed once) or revoke one.
    #[command(subcommand)]
    Token(commands::token::TokenCommand),
    /// People and their roles: add one (the first administrator of a fresh database), grant
    /// or revoke a role in a unit.
    #[command(subcommand)]
    User(commands::user::UserCommand),
    /// A local demonstration: seed data and users for each role, served on 127.0.0.1:8080.
    Demo(commands::demo::DemoArgs),
    /// e.firma: import certification authorities and revocation lists, verify a signature,
    /// record a person's RFC and CURP.
    #[command(subcommand)]
    Firma(commands::firma::FirmaCommand),
    /// The archive (Ley General de Archivos): classification chart and disposition catalog,
    /// expedientes and their carátulas, the archive's calendar, transfer inventories and baja
    /// documental lists.
    #[command(subcommand, name = "archivo")]
    Archive(commands::archive::ArchiveCommand),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Procedures(cmd) => commands::procedures::run(cmd),
        Command::Calendar(cmd) => commands::calendar::run(cmd),
        Command::Import(cmd) => commands::import::run(cmd),
        Command::Export(cmd) => commands::export::run(cmd),
        Command::Migrate(db) => commands::database::migrate(db),
        Command::Verify(args) => commands::database::verify(args),
        Command::Backup(args) => commands::backup::backup(args),
        Command::Restore(args) => commands::backup::restore(args),
        Command::Petitions(cmd) => commands::petitions::run(cmd),
        Command::Serve(args) => commands::serve::run(args),
        Command::Demo(args) => commands::demo::run(args),
        Command::Token(cmd) => commands::token::run(cmd),
        Command::User(cmd) => commands::user::run(cmd),
        Command::Firma(cmd) => commands::firma::run(cmd),
        Command::Archive(cmd) => commands::archive::run(cmd),
    };
    match result {
        Ok(code) => code,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::FAILURE
        }
    }
}
