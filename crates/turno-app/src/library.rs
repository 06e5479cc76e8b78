//! The procedure library a server runs on: the definition files given, published, and every
//! version published before, which running cases may still be on.

use thiserror::Error;
use turno_store::{Store, StoreError};

/// Why the procedure library could not be assembled.
#[derive(Debug, Error)]
pub enum LibraryError {
    #[error("the procedures have problems:\n{0}")]
    Invalid(String),
    #[error("published procedure {key} v{version} no longer parses")]
    Unreadable { key: String, version: i64 },
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The library a server runs on: the given definition files, published (a changed text under
/// a published version is refused: versions are immutable), plus every version published
/// before, which running cases may still be on.
pub async fn load<S: Store>(
    store: &S,
    sources: &[turno_domain::library::Source<'_>],
    at: jiff::Timestamp,
) -> Result<turno_domain::library::Library, LibraryError> {
    use turno_domain::definition::parse_procedure;
    let mut library = turno_domain::library::Library::load(sources).map_err(|problems| {
        LibraryError::Invalid(
            problems
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("\n"),
        )
    })?;
    for source in sources {
        if let Ok(procedure) = parse_procedure(source.text) {
            store.publish_procedure(&procedure, source.text, at).await?;
        }
    }
    add_published(&mut library, store.published_procedures().await?)?;
    Ok(library)
}

/// Adds to `library` each of the `published` versions it does not hold yet.
pub(crate) fn add_published(
    library: &mut turno_domain::library::Library,
    published: Vec<turno_store::PublishedProcedure>,
) -> Result<(), LibraryError> {
    for published in published {
        let known = u32::try_from(published.version)
            .is_ok_and(|v| library.get(&published.key, v).is_some());
        if !known {
            let procedure = turno_domain::definition::parse_procedure(&published.source_text)
                .map_err(|_| LibraryError::Unreadable {
                    key: published.key.clone(),
                    version: published.version,
                })?;
            library.insert(procedure);
        }
    }
    Ok(())
}

/// A procedure as a BPMN 2.0 file (`turno_domain::bpmn::export`, docs/bpmn.md): the file's
/// name and its XML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BpmnFile {
    /// `KEY-vN.bpmn`.
    pub name: String,
    pub xml: String,
}

/// The procedure `key` of `library` as BPMN 2.0 with its diagram: `version` when given, the
/// newest otherwise. The catalog is open to everyone who signs in, and so is this; the
/// command line reads the library it is given.
pub fn bpmn(
    library: &turno_domain::library::Library,
    key: &str,
    version: Option<u32>,
) -> Result<BpmnFile, crate::Error> {
    let procedure = match version {
        Some(version) => library.get(key, version),
        None => library.latest(key),
    }
    .ok_or_else(|| {
        crate::Error::NotFound(match version {
            Some(version) => format!("No existe la versión {version} del procedimiento «{key}»."),
            None => format!("No existe el procedimiento «{key}»."),
        })
    })?;
    let xml = turno_domain::bpmn::export::export(procedure)
        .map_err(|e| crate::Error::Internal(Box::new(e)))?;
    Ok(BpmnFile {
        name: format!("{}-v{}.bpmn", procedure.key, procedure.version),
        xml,
    })
}
