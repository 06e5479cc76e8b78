//! The official manual of a procedure: the document of a published version in the format of
//! the Guía técnica (`turno_domain::official_manual`), which `turno export manual` and the
//! procedure's page and API write as a `.docx` or a PDF. Like the catalog it comes from, it is
//! for anyone signed in: the manual is the organization's published text.

use std::sync::Arc;
use thiserror::Error;
use turno_domain::definition::Procedure;
use turno_domain::library::Library;
use turno_domain::official_manual::OfficialManual;

#[derive(Debug, Error, PartialEq, Eq)]
pub enum ManualError {
    #[error("No existe el procedimiento «{key}».")]
    UnknownProcedure { key: String },
    #[error("El procedimiento «{key}» no tiene la versión {version}.")]
    UnknownVersion { key: String, version: u32 },
}

/// The official manual of the procedure `key` in `version` (the newest when not given), with
/// the definition it was made from (whose diagram it carries).
pub fn official_manual(
    library: &Library,
    key: &str,
    version: Option<u32>,
) -> Result<(Arc<Procedure>, OfficialManual), ManualError> {
    let procedure = match version {
        Some(version) => library.get(key, version).ok_or_else(|| {
            if library.latest(key).is_some() {
                ManualError::UnknownVersion {
                    key: key.to_owned(),
                    version,
                }
            } else {
                ManualError::UnknownProcedure {
                    key: key.to_owned(),
                }
            }
        })?,
        None => library
            .latest(key)
            .ok_or_else(|| ManualError::UnknownProcedure {
                key: key.to_owned(),
            })?,
    };
    let manual = OfficialManual::of(procedure);
    Ok((Arc::clone(procedure), manual))
}
