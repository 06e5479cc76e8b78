use clap::Subcommand;
use std::process::ExitCode;

#[derive(Subcommand)]
pub enum CalendarCommand {}

pub fn run(cmd: CalendarCommand) -> anyhow::Result<ExitCode> {
    match cmd {}
}
