//! The catalog of motives that classify petitions (docs/citizen-format.md), as the
//! administration page and the API change it: a motive added, checked with the catalog it
//! joins, and one retired (it classifies no more, but stays on the petitions classified with
//! it). Both on the audit log; the callers are administrators' handlers (`actor`).

use crate::app::App;
use crate::checked::Checked;
use crate::error::Error;
use crate::limits;
use turno_domain::citizen::{CatalogError, Motive, MotiveCatalog, PetitionKind};
use turno_domain::text::capitalized;
use turno_store::Handling;

/// Adds a motive: its code (as unit codes: `MED-SURT`), its name, and the petition types it
/// applies to (codes such as `queja`; none: every type).
pub async fn add(
    app: &App,
    (code, name): (&str, &str),
    kinds: &[String],
    actor: &str,
) -> Result<Motive, Error> {
    let mut checked = Checked::default();
    let code = checked.text("code", "la clave", code, limits::CODE, true);
    let name = checked.text("name", "el nombre", name, limits::NAME, true);
    let kinds = kinds
        .iter()
        .filter_map(|k| {
            k.parse::<PetitionKind>()
                .map_err(|e| checked.wrong("kinds", format!("{}.", capitalized(&e.to_string()))))
                .ok()
        })
        .collect();
    checked.done()?;
    let motive = Motive {
        code,
        name,
        kinds,
        active: true,
    };
    let mut catalog = app.store.motives().await?;
    catalog.push(motive.clone());
    if let Err(problems) = MotiveCatalog::new(catalog) {
        let mut checked = Checked::default();
        for problem in problems {
            let field = match problem {
                CatalogError::Name(_) => "name",
                CatalogError::Kind { .. } => "kinds",
                // A file's problems: `add` checks no file.
                CatalogError::Code(_) | CatalogError::Repeated(_) | CatalogError::File(_) => "code",
            };
            checked.wrong(field, format!("{}.", capitalized(&problem.to_string())));
        }
        checked.done()?;
    }
    app.store.add_motive(&motive, actor).await?;
    Ok(motive)
}

/// Retires the motive `code`; answers it as it is now.
pub async fn retire(app: &App, code: &str, actor: &str) -> Result<Motive, Error> {
    let code = code.trim();
    app.store.retire_motive(code, actor).await?;
    app.store
        .motives()
        .await?
        .into_iter()
        .find(|m| m.code == code)
        .ok_or_else(|| Error::NotFound(format!("El motivo «{code}» no existe.")))
}

/// Gives a database that never had a motive the catalog Turno ships with (`motives/`), so
/// that the classification's «Motivo» list is never blank; a catalog with any motive, retired
/// ones included, is the administrators' and stays as it is. Answers how many were added.
pub async fn seed(app: &App, catalog: &MotiveCatalog, actor: &str) -> Result<usize, Error> {
    if !app.store.motives().await?.is_empty() {
        return Ok(0);
    }
    for motive in catalog.motives() {
        app.store.add_motive(motive, actor).await?;
    }
    Ok(catalog.motives().len())
}
