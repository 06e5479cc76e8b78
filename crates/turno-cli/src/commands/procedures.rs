use clap::Subcommand;
use std::process::ExitCode;

#[derive(Subcommand)]
pub enum ProceduresCommand {}

pub fn run(cmd: ProceduresCommand) -> anyhow::Result<ExitCode> {
    match cmd {}
}
