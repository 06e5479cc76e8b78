//! Importing a unit's existing register of incoming documents (issue 17, item 6), CSV or XLSX,
//! for `turno import correspondence` and `POST /api/v1/correspondence/incoming/import` alike.
//! The domain finds the columns (`correspondence::register_rows`); every row is checked by
//! the registration's own checks (`incoming::check_registration`) and its turns by the
//! turns' (`turns::check_turns`), as the person importing: a row is refused exactly when the
//! form would refuse it. A file with any problem writes nothing and is answered with every
//! problem by row and column; a file without any is written in one transaction
//! (`Correspondence::import_incoming`), each document with the next folio as registration
//! takes it, and the import on the audit log. The administrators' page checks a file first
//! (`preview_register`: the same checks, nothing written) and shows what it would register,
//! then imports it on confirmation.

use super::incoming::{Registrable, Registration, check_registration};
use super::turns::{TurnSource, TurnTo, check_turns};
use crate::app::App;
use crate::checked::Checked;
use crate::error::Error;
use crate::principal::Principal;
use std::fmt;
use turno_domain::citizen::calls::FileFormat;
use turno_domain::correspondence::{IncomingFolio, Instruction, column_of, register_rows};
use turno_domain::text::capitalized;
use turno_store::correspondence::incoming::{IncomingImport, NewIncoming, NewTurn};
use turno_store::{Correspondence, Store};

/// The largest file imported: a register of [`turno_domain::correspondence::MAX_ROWS`]
/// documents with long summaries fits well within it. Refused before it is read.
pub const MAX_FILE_BYTES: usize = 32 * 1024 * 1024;

/// A register as given: its file's name (`.csv` or `.xlsx`) and its bytes.
pub struct RegisterFile {
    pub name: String,
    pub content: Vec<u8>,
}

/// A problem of the file: its row as the spreadsheet shows it (none for the file as a whole),
/// its column as the file names it (none for the whole row), and why, in Spanish.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportProblem {
    pub row: Option<usize>,
    pub field: Option<String>,
    pub message: String,
}

impl fmt::Display for ImportProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(row) = self.row {
            write!(f, "fila {row}: ")?;
        }
        if let Some(field) = &self.field {
            write!(f, "{field}: ")?;
        }
        write!(f, "{}", self.message)
    }
}

/// Why a register was not imported.
pub type ImportRefused = crate::FileRefused<ImportProblem>;

/// A register imported: its documents' folios in the file's order and how many turns they
/// were given.
#[derive(Debug)]
pub struct Imported {
    pub file_name: String,
    pub folios: Vec<IncomingFolio>,
    pub turns: usize,
}

fn whole_file(message: impl Into<String>) -> ImportRefused {
    ImportRefused::Problems(vec![ImportProblem {
        row: None,
        field: None,
        message: message.into(),
    }])
}

/// The problems of a table (its header, its rows' reading) as the import names them.
fn table_problems(problems: Vec<turno_domain::followup::Problem>) -> ImportRefused {
    ImportRefused::Problems(
        problems
            .into_iter()
            .map(|p| ImportProblem {
                row: Some(p.row),
                field: p.field.map(str::to_owned),
                message: format!("{}.", capitalized(&p.kind.to_string())),
            })
            .collect(),
    )
}

/// The units of a cell: codes separated by commas, semicolons, line breaks or spaces.
fn unit_codes(text: &str) -> Vec<&str> {
    text.split([',', ';', '\n', ' '])
        .map(str::trim)
        .filter(|code| !code.is_empty())
        .collect()
}

/// One document of a register checked, as the preview lists it.
#[derive(Debug, Clone)]
pub struct PreviewLine {
    /// Its row as the spreadsheet shows it.
    pub row: usize,
    pub unit: String,
    pub received_at: jiff::civil::DateTime,
    pub subject: String,
    pub sender: String,
    /// The units it is turned to, in the file's order.
    pub turned_to: Vec<String>,
}

/// A register checked without problems, not written: what importing it would register.
#[derive(Debug, Clone)]
pub struct Preview {
    pub file_name: String,
    pub documents: Vec<PreviewLine>,
    pub turns: usize,
}

/// A register checked: its file's name, and each document with its row and turns.
struct Register {
    file_name: String,
    documents: Vec<(usize, NewIncoming, Vec<NewTurn>)>,
}

/// Checks `file` as `user` would import it, writing nothing: what it would register, or every
/// problem. The same checks as [`import_register`].
pub async fn preview_register(
    app: &App,
    user: &Principal,
    file: RegisterFile,
    unit: &str,
) -> Result<Preview, ImportRefused> {
    let checked = check_register(app, user, file, unit).await?;
    let turns = checked.documents.iter().map(|(_, _, t)| t.len()).sum();
    Ok(Preview {
        file_name: checked.file_name,
        documents: checked
            .documents
            .into_iter()
            .map(|(row, document, turns)| PreviewLine {
                row,
                unit: document.unit,
                received_at: document.incoming.received_at,
                subject: document.incoming.subject,
                sender: document.incoming.sender.name,
                turned_to: turns.into_iter().map(|t| t.unit).collect(),
            })
            .collect(),
        turns,
    })
}

/// Imports `file` as `user`: all of it, or nothing and every problem. `unit` is the
/// registering unit of the rows that name none in a column «Unidad».
pub async fn import_register(
    app: &App,
    user: &Principal,
    file: RegisterFile,
    unit: &str,
) -> Result<Imported, ImportRefused> {
    let checked = check_register(app, user, file, unit).await?;
    let documents: Vec<(NewIncoming, Vec<NewTurn>)> = checked
        .documents
        .into_iter()
        .map(|(_, document, turns)| (document, turns))
        .collect();
    let turns = documents.iter().map(|(_, t)| t.len()).sum();
    let folios = app
        .store
        .import_incoming(&IncomingImport {
            file_name: checked.file_name.clone(),
            imported_by: user.login.clone(),
            documents,
        })
        .await
        .map_err(Error::from)?;
    tracing::info!(file = %checked.file_name, documents = folios.len(), turns, by = %user.login, "register of correspondence imported");
    Ok(Imported {
        file_name: checked.file_name,
        folios,
        turns,
    })
}

/// Every check of an import: the file, its columns, and each row as the registration and the
/// turns check it, as `user`.
async fn check_register(
    app: &App,
    user: &Principal,
    file: RegisterFile,
    unit: &str,
) -> Result<Register, ImportRefused> {
    if !user.can_act() {
        return Err(Error::Denied(
            "Importan correspondencia las personas que actúan en una unidad; su papel solo \
             consulta."
                .into(),
        )
        .into());
    }
    if file.name.trim().is_empty() || file.content.is_empty() {
        return Err(whole_file("Elija el archivo que va a importar."));
    }
    if FileFormat::of_name(&file.name).is_none() {
        return Err(whole_file("El archivo debe ser .csv o .xlsx."));
    }
    if file.content.len() > MAX_FILE_BYTES {
        return Err(whole_file(format!(
            "El archivo pasa de {} MiB: divídalo.",
            MAX_FILE_BYTES >> 20
        )));
    }
    let name = file.name.clone();
    let content = file.content;
    // Reading a workbook is CPU work: off the async threads.
    let read = tokio::task::spawn_blocking(move || {
        let mut problems = Vec::new();
        let tables = turno_domain::followup::read_file(&name, &content, &mut problems);
        (tables, problems)
    })
    .await
    .map_err(|e| Error::internal(format!("reading a register of correspondence: {e}")))?;
    let table = match read {
        (Err(unreadable), _) => return Err(whole_file(format!("{unreadable}."))),
        (Ok(_), problems) if !problems.is_empty() => return Err(table_problems(problems)),
        (Ok(tables), _) => match tables.into_iter().next() {
            Some(table) => table,
            None => return Err(whole_file("El archivo no tiene filas.")),
        },
    };
    let rows = register_rows(&table).map_err(table_problems)?;
    if rows.is_empty() {
        return Err(whole_file(
            "El archivo no tiene documentos: solo la fila de encabezados.",
        ));
    }
    let units = app.store.units().await.map_err(Error::from)?;
    let people = app.store.people().await.map_err(Error::from)?;
    let today = app.today();
    let mut problems = Vec::new();
    let mut documents = Vec::with_capacity(rows.len());
    for row in &rows {
        let registration = Registration {
            unit: if row.unit.is_empty() { unit } else { row.unit },
            draft: row.draft,
            in_reply_to: row.in_reply_to,
            files: Vec::new(),
        };
        let mut checked = Checked::default();
        let registrable =
            check_registration(app, user, &units, &registration, &mut checked, true).await?;
        let mut turns = Vec::new();
        let mut turn_checked = Checked::default();
        if !row.turned_to.is_empty() || !row.instruction.is_empty() {
            // The turns take the document's term, but «para conocimiento», which has none.
            let answered = row
                .instruction
                .parse::<Instruction>()
                .is_ok_and(Instruction::needs_answer);
            // The document's term as checked: a wrong one is named once, on the document.
            let term = registrable
                .as_ref()
                .and_then(|r| r.incoming.term_days)
                .filter(|_| answered)
                .map(|days| days.to_string())
                .unwrap_or_default();
            let to: Vec<TurnTo<'_>> = unit_codes(row.turned_to)
                .into_iter()
                .map(|code| TurnTo {
                    unit: code,
                    instruction: row.instruction,
                    days: &term,
                    note: "",
                    person: "",
                })
                .collect();
            let from_unit = registrable
                .as_ref()
                .map_or(registration.unit, |r| r.unit.as_str());
            let source = TurnSource {
                parent: None,
                from_unit,
                below: None,
                existing: &[],
                start: registrable
                    .as_ref()
                    .map_or(today, |r| r.incoming.received_at.date()),
                parent_person: None,
                people: &people,
            };
            turns = check_turns(app, user, &units, &source, &to, &mut turn_checked);
        }
        for p in checked.into_problems() {
            problems.push(located(row.row, column_of(&p.field), &p.field, p.message));
        }
        for p in turn_checked.into_problems() {
            let field = match p.field.as_str() {
                "unit" => "turned_to",
                "days" => "term_days",
                other => other,
            };
            problems.push(located(row.row, column_of(field), field, p.message));
        }
        if let Some(Registrable {
            unit,
            incoming,
            due_date,
            links,
        }) = registrable
            && problems.is_empty()
        {
            documents.push((
                row.row,
                NewIncoming {
                    incoming,
                    due_date,
                    unit,
                    registered_by: user.login.clone(),
                    registered_at: app.clock.now(),
                    links,
                    attachments: Vec::new(),
                },
                turns,
            ));
        }
    }
    if !problems.is_empty() {
        return Err(ImportRefused::Problems(problems));
    }
    Ok(Register {
        file_name: file.name,
        documents,
    })
}

/// A problem of a row's field, under its column's name (the field's own when no column fills
/// it).
fn located(row: usize, column: Option<&str>, field: &str, message: String) -> ImportProblem {
    ImportProblem {
        row: Some(row),
        field: Some(column.unwrap_or(field).to_owned()),
        message,
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn unit_codes_are_split_on_commas_semicolons_and_spaces() {
        assert_eq!(
            super::unit_codes(" SIDSS-ST, SIDSS-DOE;DGPLADES  X\n"),
            ["SIDSS-ST", "SIDSS-DOE", "DGPLADES", "X"]
        );
        assert!(super::unit_codes(" , ").is_empty());
    }
}
