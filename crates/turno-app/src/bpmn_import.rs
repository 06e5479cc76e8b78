//! A modeler's BPMN 2.0 file imported as a draft definition (`turno import bpmn`, issue 21):
//! the organization's units read from its files, then the draft built, matched to them and
//! checked by the domain (`turno_domain::bpmn::import`). Nothing is stored: the draft is a
//! file a person reviews with its report and then publishes like any other definition.

use thiserror::Error;
use turno_domain::bpmn::import::{Draft, Refused, import};
use turno_domain::org;

/// Why no draft was made.
#[derive(Debug, Error)]
pub enum BpmnImportError {
    /// The BPMN file could not be read (too large, not XML, no process…).
    #[error(transparent)]
    Refused(#[from] Refused),
    /// The organization's files, which the lanes are matched to, have problems.
    #[error("los archivos de la organización tienen problemas:\n{0}")]
    Organization(String),
}

/// Drafts the definition of the file `name` (its `bytes`), matching its lanes and pools to the
/// units of `org_files` (name and text of each organization file, `docs/org-format.md`).
pub fn import_bpmn(
    name: &str,
    bytes: &[u8],
    org_files: &[(String, String)],
) -> Result<Draft, BpmnImportError> {
    let mut units = Vec::new();
    let mut problems = Vec::new();
    for (file, text) in org_files {
        match org::parse(file, text) {
            Ok(parsed) => units.extend(parsed.units.into_iter().map(|p| p.unit)),
            Err(diagnostics) => {
                problems.extend(diagnostics.iter().map(|d| d.locate(file, text).to_string()))
            }
        }
    }
    if !problems.is_empty() {
        return Err(BpmnImportError::Organization(problems.join("\n")));
    }
    Ok(import(name, bytes, &units)?)
}
