//! `turno export`: stored data back to the files it was imported from.

use clap::Subcommand;
use std::process::ExitCode;

#[derive(Subcommand)]
pub enum ExportCommand {
    /// A Programa de ASM to its three tables (docs/asm-format.md), as CSV or one workbook.
    Asm(crate::commands::asm::ExportArgs),
    /// The monthly report of citizen attention (docs/citizen-format.md), as CSV or PDF.
    Atencion(crate::commands::attention::ExportArgs),
    /// A procedure as BPMN 2.0 with its diagram (docs/bpmn.md), for modelers and BPMN engines.
    Bpmn(crate::commands::bpmn::BpmnArgs),
    /// The event log as XES (IEEE 1849-2016) for process-mining tools (docs/process-mining.md).
    Xes(crate::commands::xes::XesArgs),
    /// A procedure's official manual in the Guía técnica's format, as .docx or PDF
    /// (docs/manual-export.md).
    Manual(crate::commands::official_manual::ManualArgs),
}

pub fn run(cmd: ExportCommand) -> anyhow::Result<ExitCode> {
    match cmd {
        ExportCommand::Asm(args) => crate::commands::asm::export(args),
        ExportCommand::Atencion(args) => crate::commands::attention::export(args),
        ExportCommand::Bpmn(args) => crate::commands::bpmn::export(args),
        ExportCommand::Xes(args) => crate::commands::xes::export(args),
        ExportCommand::Manual(args) => crate::commands::official_manual::export(args),
    }
}
