//! A unit's existing register of incoming documents as a table (a CSV file or a workbook's
//! first sheet), as `turno import correspondence` and the API's import read it: a header row
//! in Spanish whose names are found ignoring accents, case and spacing, then one document a
//! row. This module only finds the columns and hands each row's texts over as an
//! [`IncomingDraft`]; every value is checked by the registration's own rules (turno-app), so
//! that a row is refused exactly when the form would refuse it. The columns are described in
//! docs/correspondence.md («Importing a unit's register»).

use super::incoming::IncomingDraft;
use crate::followup::{Column, Columns, Problem, ProblemKind, Table};

/// The most documents one file imports: a unit's register of several years. With the
/// workbook's own limits (`sheet::workbook`) and the file's size (the callers'), it bounds
/// what an import holds in memory and in one transaction.
pub const MAX_ROWS: usize = 20_000;

/// The columns, each with its name as the documentation writes it, other names people give
/// it and whether a file must have it (`LAYOUT`), and the field of the registration, as the
/// form and the API name it, that its cells fill (`FIELDS`, in the same order).
macro_rules! fields {
    ($( $field:literal => $name:literal [$($alias:literal),*] $required:literal ),* $(,)?) => {
        const FIELDS: &[&str] = &[$($field),*];
        const LAYOUT: &[Column] = &[$(
            Column { name: $name, aliases: &[$($alias),*], required: $required }
        ),*];
    };
}

fields! {
    "unit" => "Unidad" ["Unidad que registra", "Unidad receptora"] false,
    "kind" => "Tipo" ["Tipo de documento"] true,
    "sender_kind" => "Tipo de remitente" ["Remitente tipo"] true,
    "sender_name" => "Remitente" ["Nombre del remitente", "Firmante", "Quien firma"] true,
    "sender_position" => "Cargo" ["Cargo del remitente"] false,
    "sender_organization" => "Institución" [
        "Dependencia", "Institución del remitente", "Unidad o institución", "Procedencia"
    ] false,
    "their_number" => "Número" [
        "Número del documento", "Número de oficio", "No. de oficio", "Núm. de oficio", "No."
    ] false,
    "their_date" => "Fecha del documento" ["Fecha del oficio", "Fecha"] false,
    "received_at" => "Recibido" [
        "Recibido (fecha y hora)", "Fecha y hora de recepción", "Fecha de recepción",
        "Recepción"
    ] true,
    "subject" => "Asunto" [] true,
    "summary" => "Resumen" ["Síntesis", "Extracto"] false,
    "priority" => "Prioridad" [] false,
    "classification" => "Clasificación" [] false,
    "annexes" => "Anexos" ["Número de anexos"] false,
    "term_days" => "Plazo (días hábiles)" ["Plazo", "Plazo en días hábiles", "Días hábiles"] false,
    "in_reply_to" => "En atención a" ["En respuesta a"] false,
    "turned_to" => "Turnado a" ["Turnar a", "Turno"] false,
    "instruction" => "Instrucción" ["Instrucción del turno"] false,
}

/// The column whose cells fill `field` (as the registration's problems name it), for
/// reporting a problem where the person who filled the file will look.
pub fn column_of(field: &str) -> Option<&'static str> {
    FIELDS
        .iter()
        .zip(LAYOUT)
        .find(|(f, _)| **f == field)
        .map(|(_, column)| column.name)
}

/// The columns, in the order the documentation lists them: their names and whether a file
/// must have them.
pub fn columns() -> impl Iterator<Item = (&'static str, bool)> {
    LAYOUT.iter().map(|c| (c.name, c.required))
}

/// One document of the register, as typed in its row.
#[derive(Debug, Clone, Copy)]
pub struct RegisterRow<'a> {
    /// Its number as the spreadsheet shows it (the header is row 1).
    pub row: usize,
    /// The registering unit's code; empty: the one the import names.
    pub unit: &'a str,
    pub draft: IncomingDraft<'a>,
    /// Folios of earlier incoming documents it answers.
    pub in_reply_to: &'a str,
    /// Codes of the units it was turned to, separated by commas, semicolons or spaces.
    pub turned_to: &'a str,
    /// The instruction of those turns.
    pub instruction: &'a str,
}

/// The rows of a register, blank ones skipped; the problems of its header (an unknown,
/// repeated or missing column), or a register of more than [`MAX_ROWS`] documents, refuse it
/// whole.
pub fn register_rows(table: &Table) -> Result<Vec<RegisterRow<'_>>, Vec<Problem>> {
    let columns = Columns::find(table, LAYOUT)?;
    let data: Vec<_> = table
        .rows
        .iter()
        .skip(1)
        .filter(|r| !r.is_blank())
        .collect();
    if let Some(past) = data.get(MAX_ROWS) {
        return Err(vec![Problem {
            file: table.file.clone(),
            row: past.number,
            field: None,
            kind: ProblemKind::Unreadable(format!(
                "el registro pasa de {MAX_ROWS} documentos: divídalo en varios archivos"
            )),
        }]);
    }
    Ok(data
        .into_iter()
        .map(|row| {
            let cell = |field: &str| column_of(field).map_or("", |name| columns.cell(row, name));
            RegisterRow {
                row: row.number,
                unit: cell("unit"),
                draft: IncomingDraft {
                    kind: cell("kind"),
                    sender_kind: cell("sender_kind"),
                    sender_name: cell("sender_name"),
                    sender_position: cell("sender_position"),
                    sender_organization: cell("sender_organization"),
                    their_number: cell("their_number"),
                    their_date: cell("their_date"),
                    received_at: cell("received_at"),
                    subject: cell("subject"),
                    summary: cell("summary"),
                    priority: cell("priority"),
                    classification: cell("classification"),
                    annexes: cell("annexes"),
                    term_days: cell("term_days"),
                },
                in_reply_to: cell("in_reply_to"),
                turned_to: cell("turned_to"),
                instruction: cell("instruction"),
            }
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(rows: &[&[&str]]) -> Table {
        Table::new(
            "registro.csv",
            rows.iter()
                .map(|r| r.iter().map(|c| (*c).to_owned()).collect())
                .collect(),
        )
    }

    #[test]
    fn headers_are_found_whatever_their_accents_case_and_names() {
        let t = table(&[
            &[
                "TIPO DE DOCUMENTO",
                "tipo de remitente",
                "Nombre del remitente",
                "Institucion",
                "Recibido (fecha y hora)",
                "asunto",
                "Plazo",
                "TURNADO A",
                "instruccion",
            ],
            &[
                "oficio",
                "externa",
                "Dra. Ana López",
                "SESEQ",
                "04/12/2026 10:15",
                "Informe",
                "10",
                "SIDSS-ST, SIDSS-DOE",
                "para atención",
            ],
            &["", "", "", "", "", "", "", "", ""],
        ]);
        let rows = register_rows(&t).unwrap();
        assert_eq!(rows.len(), 1, "the blank row is skipped");
        let row = rows[0];
        assert_eq!(row.row, 2);
        assert_eq!(
            (row.draft.kind, row.draft.sender_name, row.draft.received_at),
            ("oficio", "Dra. Ana López", "04/12/2026 10:15")
        );
        assert_eq!(
            (row.draft.term_days, row.turned_to, row.instruction),
            ("10", "SIDSS-ST, SIDSS-DOE", "para atención")
        );
        assert_eq!((row.unit, row.draft.summary), ("", ""));
    }

    #[test]
    fn a_header_without_required_columns_names_each_at_row_one() {
        let t = table(&[&["Tipo", "Asunto", "Observaciones"], &["oficio", "x", "y"]]);
        let problems: Vec<String> = register_rows(&t)
            .unwrap_err()
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(
            problems,
            [
                "registro.csv: fila 1: columna «Observaciones» desconocida",
                "registro.csv: fila 1, «Tipo de remitente»: falta la columna",
                "registro.csv: fila 1, «Remitente»: falta la columna",
                "registro.csv: fila 1, «Recibido»: falta la columna",
            ]
        );
    }

    #[test]
    fn a_register_past_the_limit_is_refused_at_the_first_row_past_it() {
        let header: Vec<String> = columns().map(|(name, _)| name.to_owned()).collect();
        let mut rows = vec![header];
        rows.extend((0..=MAX_ROWS).map(|_| vec!["oficio".to_owned()]));
        let problems = register_rows(&Table::new("r.csv", rows)).unwrap_err();
        assert_eq!(problems[0].row, MAX_ROWS + 2);
    }

    #[test]
    fn every_field_of_the_registration_has_its_column() {
        for field in [
            "unit",
            "kind",
            "sender_kind",
            "sender_name",
            "sender_position",
            "sender_organization",
            "their_number",
            "their_date",
            "received_at",
            "subject",
            "summary",
            "priority",
            "classification",
            "annexes",
            "term_days",
            "in_reply_to",
        ] {
            assert!(column_of(field).is_some(), "{field}");
        }
    }
}
