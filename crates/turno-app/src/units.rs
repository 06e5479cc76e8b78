//! One unit of the organization created or changed, as the administration page and the API
//! do it: a rename, a move or a new level from a date keeps the old form for what happened
//! before; without a date it corrects the form in force. The callers are administrators'
//! handlers (`actor`).

use crate::app::App;
use crate::checked::Checked;
use crate::error::Error;
use crate::limits;
use std::collections::HashMap;
use turno_domain::org::{Form, Level, UnitSpec, above_itself, is_code};
use turno_store::Store;

/// A unit as a person writes it down.
pub struct UnitChange<'a> {
    pub code: &'a str,
    pub name: &'a str,
    /// As the organization files write it (`direccion_general`).
    pub level: &'a str,
    /// The code of the unit above it; none when blank.
    pub parent: &'a str,
    pub siglas: &'a str,
    /// From when the new form holds (`AAAA-MM-DD`); blank: a correction of the form in force.
    pub from: &'a str,
}

/// Saves one unit, checked with the stored organization (its parent exists and is not the unit
/// or below it); answers it as stored, and whether it was new.
pub async fn save(
    app: &App,
    change: UnitChange<'_>,
    actor: &str,
) -> Result<(UnitSpec, bool), Error> {
    let mut checked = Checked::default();
    let code = change.code.trim();
    if !is_code(code) || code.chars().count() > limits::CODE {
        checked.wrong(
            "code",
            format!(
                "La clave «{code}» lleva mayúsculas sin acentos y dígitos, en partes unidas por \
                 guiones (a lo más {} caracteres).",
                limits::CODE
            ),
        );
    }
    let name = checked.text("name", "el nombre", change.name, limits::NAME, true);
    let level = change.level.trim().parse::<Level>().ok();
    if level.is_none() {
        checked.wrong("level", "Ese nivel no existe.");
    }
    let siglas = checked.text("siglas", "las siglas", change.siglas, limits::CODE, false);
    let from = match change.from.trim() {
        "" => None,
        text => {
            let date = text.parse::<jiff::civil::Date>().ok();
            if date.is_none() {
                checked.wrong("from", format!("«Desde» («{text}») no es una fecha."));
            }
            date
        }
    };
    let parent = Some(change.parent.trim())
        .filter(|p| !p.is_empty())
        .map(str::to_owned);
    let organization = app.store.organization().await?;
    if let Some(parent) = &parent {
        if !organization.iter().any(|u| &u.code == parent) {
            checked.wrong("parent", format!("La unidad «{parent}» no existe."));
        } else {
            let mut parents: HashMap<&str, Option<&str>> = organization
                .iter()
                .map(|u| (u.code.as_str(), u.current.parent.as_deref()))
                .collect();
            parents.insert(code, Some(parent));
            if above_itself(code, &parents) {
                checked.wrong(
                    "parent",
                    format!(
                        "«{parent}» es «{code}» o depende de ella: no puede ser su unidad \
                         superior."
                    ),
                );
            }
        }
    }
    let Some(level) = level else {
        return Err(checked.refused());
    };
    checked.done()?;
    let form = Form {
        name,
        parent,
        level,
        valid_from: from,
        valid_to: None,
    };
    let siglas = (!siglas.is_empty()).then_some(siglas);
    let existing = organization.into_iter().find(|u| u.code == code);
    let created = existing.is_none();
    let unit = match existing {
        None => UnitSpec {
            code: code.to_owned(),
            siglas,
            manual_number: None,
            functions: Vec::new(),
            current: form,
            before: Vec::new(),
            merged_into: None,
        },
        Some(existing) => {
            let mut unit = match from {
                Some(from) => existing.changed_from(form, from),
                // Without a date it is a correction of the form in force.
                None => UnitSpec {
                    current: Form {
                        valid_from: existing.current.valid_from,
                        ..form
                    },
                    ..existing
                },
            };
            unit.siglas = siglas;
            unit
        }
    };
    app.store
        .import_units(std::slice::from_ref(&unit), actor)
        .await?;
    Ok((unit, created))
}

/// What a person changes of an existing unit; what is not given stays as it is (a blank parent
/// or siglas takes them away).
#[derive(Default)]
pub struct UnitEdit<'a> {
    pub name: Option<&'a str>,
    pub level: Option<&'a str>,
    pub parent: Option<&'a str>,
    pub siglas: Option<&'a str>,
    /// From when the new form holds; none: a correction of the form in force.
    pub from: Option<&'a str>,
}

/// Changes an existing unit in place, checked as [`save`] checks any unit; a code that names no
/// unit is not found (it never creates one). Answers the unit as stored.
pub async fn edit(
    app: &App,
    code: &str,
    edit: UnitEdit<'_>,
    actor: &str,
) -> Result<UnitSpec, Error> {
    let code = code.trim();
    let organization = app.store.organization().await?;
    let Some(unit) = organization.iter().find(|u| u.code == code) else {
        return Err(Error::NotFound(format!("No existe la unidad «{code}».")));
    };
    let change = UnitChange {
        code,
        name: edit.name.unwrap_or(&unit.current.name),
        level: edit.level.unwrap_or(unit.current.level.as_str()),
        parent: edit
            .parent
            .unwrap_or(unit.current.parent.as_deref().unwrap_or_default()),
        siglas: edit
            .siglas
            .unwrap_or(unit.siglas.as_deref().unwrap_or_default()),
        from: edit.from.unwrap_or_default(),
    };
    Ok(save(app, change, actor).await?.0)
}
