//! Importing the call-center provider's daily file (procedure 96, 1.1), CSV or XLSX, for the
//! attention units (`access::may_work_petitions`): the upload page and the API alike. The
//! columns are found by the domain's mapping, typed as `campo=Columna` lines; the whole file is
//! read by the domain's `read_file`, and a file with any problem (or a mapping with any) writes
//! nothing and is answered with every problem by row, field and reason. A file without
//! problems is stored in one transaction (`Petitions::import_calls`); calls already imported
//! are counted, not added again.

use crate::access::may_work_petitions;
use crate::app::App;
use crate::error::Error;
use crate::principal::Principal;
use sha2::{Digest, Sha256};
use std::fmt;
use turno_domain::citizen::calls::{ColumnMapping, FileFormat, Refused, RowProblem, read_file};
use turno_store::Petitions;
use turno_store::citizen::{CallImport, CallsImported};

/// What the mapping's problems name as their field.
pub const MAPPING: &str = "correspondencia de columnas";

/// A call-center file as uploaded: its name (as it is kept), its bytes and the column mapping
/// typed with it (`campo=Columna` a line; blank: the provider's usual names).
pub struct CallFile<'a> {
    pub name: String,
    pub content: Vec<u8>,
    pub mapping: &'a str,
}

/// A problem of the file or of its mapping: the row of the file (none for the mapping or the
/// file's encoding), the field as people name it (none when the problem is the whole row's),
/// and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallProblem {
    pub row: Option<usize>,
    pub field: Option<String>,
    pub reason: String,
}

impl From<&RowProblem> for CallProblem {
    fn from(p: &RowProblem) -> CallProblem {
        CallProblem {
            row: Some(p.row),
            field: p.field.map(|f| f.label().to_owned()),
            reason: p.reason.clone(),
        }
    }
}

impl fmt::Display for CallProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(row) = self.row {
            write!(f, "fila {row}, ")?;
        }
        match &self.field {
            Some(field) => write!(f, "{field}: {}", self.reason),
            None => write!(f, "{}", self.reason),
        }
    }
}

/// Why a file was not imported: the mapping's problems or the file's.
pub type ImportRefused = crate::FileRefused<CallProblem>;

/// A file imported: its calls, and how many were added or found already imported.
#[derive(Debug)]
pub struct CallsFiled {
    pub file_name: String,
    pub calls: usize,
    pub done: CallsImported,
}

/// Whether `user` imports the call-center file, checked before the upload is read.
pub fn importing(user: &Principal) -> Result<(), Error> {
    if may_work_petitions(user) {
        Ok(())
    } else {
        Err(Error::Denied(
            "Solo las unidades de atención ciudadana importan el archivo del Centro de Atención \
             Telefónica."
                .into(),
        ))
    }
}

/// Imports `file` for `user`: all of it, or nothing and every problem.
pub async fn import_calls(
    app: &App,
    user: &Principal,
    file: CallFile<'_>,
) -> Result<CallsFiled, ImportRefused> {
    importing(user)?;
    let mut mapping = ColumnMapping::default();
    let wrong: Vec<CallProblem> = file
        .mapping
        .lines()
        .filter(|l| !l.trim().is_empty())
        .filter_map(|line| mapping.apply(line).err())
        .map(|e| CallProblem {
            row: None,
            field: Some(MAPPING.to_owned()),
            reason: e.to_string(),
        })
        .collect();
    if !wrong.is_empty() {
        return Err(ImportRefused::Problems(wrong));
    }
    // A missing or unknown file is a problem of the file, listed like the others.
    let refused = |reason: &str| {
        ImportRefused::Problems(vec![CallProblem {
            row: None,
            field: None,
            reason: reason.to_owned(),
        }])
    };
    if file.name.is_empty() || file.content.is_empty() {
        return Err(refused("Elija el archivo que va a importar."));
    }
    let Some(format) = FileFormat::of_name(&file.name) else {
        return Err(refused("El archivo debe ser .csv o .xlsx."));
    };
    let file_sha256: [u8; 32] = Sha256::digest(&file.content).into();
    let today = app.today();
    let bytes = file.content;
    // Reading a large file is CPU work: off the async threads.
    let read =
        tokio::task::spawn_blocking(move || read_file(format, &bytes, &mapping, today, |_| {}))
            .await
            .map_err(|e| Error::internal(format!("reading the call-center file: {e}")))?;
    let calls = match read {
        Ok(calls) => calls,
        Err(Refused::NotUtf8(e)) => {
            return Err(ImportRefused::Problems(vec![CallProblem {
                row: None,
                field: None,
                reason: e.to_string(),
            }]));
        }
        Err(Refused::Problems(problems)) => {
            return Err(ImportRefused::Problems(
                problems.iter().map(CallProblem::from).collect(),
            ));
        }
    };
    let total = calls.len();
    let done = app
        .store
        .import_calls(CallImport {
            file_name: file.name.clone(),
            file_sha256,
            imported_by: user.login.clone(),
            imported_at: app.clock.now(),
            calls,
            progress: Default::default(),
        })
        .await
        .map_err(Error::from)?;
    tracing::info!(file = %file.name, total, added = done.added, by = %user.login, "call-center file imported");
    Ok(CallsFiled {
        file_name: file.name,
        calls: total,
        done,
    })
}
