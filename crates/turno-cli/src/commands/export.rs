//! `turno export`: stored data back to the files it was imported from.

use clap::Subcommand;
use std::process::ExitCode;

#[derive(Subcommand)]
pub enum ExportCommand {
    /// A Programa de ASM to its three tables (docs/asm-format.md), as CSV or one workbook.
    Asm(crate::commands::asm::ExportArgs),
}

pub fn run(cmd: ExportCommand) -> anyhow::Result<ExitCode> {
    match cmd {
        ExportCommand::Asm(args) => crate::commands::asm::export(args),
    }
}
