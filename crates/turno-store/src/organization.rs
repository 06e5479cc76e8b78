//! The organization's rows as the domain's units with their history, and what an import
//! changes: the audit log records each unit created or changed.

use crate::error::StoreError;
use jiff::civil::Date;
use std::collections::HashMap;
use turno_domain::org::{Form, Level, UnitSpec};

#[derive(Debug, sqlx::FromRow)]
pub(crate) struct UnitRow {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub kind: String,
    pub parent_code: Option<String>,
    pub siglas: Option<String>,
    pub manual_number: Option<String>,
    pub functions: String,
    pub merged_into: Option<String>,
    pub valid_from: Option<String>,
    pub valid_to: Option<String>,
}

#[derive(Debug, sqlx::FromRow)]
pub(crate) struct FormRow {
    pub unit_id: i64,
    pub name: String,
    pub parent_code: Option<String>,
    pub kind: String,
    pub valid_from: Option<String>,
    pub valid_to: String,
}

/// What an import did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ImportCounts {
    pub created: usize,
    pub changed: usize,
    pub unchanged: usize,
}

/// One entry of the administration's audit log.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct AuditEntry {
    pub id: i64,
    pub at: String,
    pub actor: String,
    /// `unit_created`, `unit_changed`…
    pub action: String,
    /// What it is about: a unit's code, a login…
    pub subject: String,
    /// The new state, as JSON.
    pub detail: String,
}

fn level(kind: &str) -> Result<Level, StoreError> {
    kind.parse()
        .map_err(|e| StoreError::corrupt(format!("unit level: {e}")))
}

fn date(text: Option<&str>) -> Result<Option<Date>, StoreError> {
    text.map(|t| {
        t.parse()
            .map_err(|_| StoreError::corrupt(format!("unit date «{t}»")))
    })
    .transpose()
}

/// Units with their earlier forms (rows ordered by unit and seq), sorted by code.
pub(crate) fn assemble(
    rows: Vec<UnitRow>,
    forms: Vec<FormRow>,
) -> Result<Vec<UnitSpec>, StoreError> {
    let mut before: HashMap<i64, Vec<Form>> = HashMap::new();
    for f in forms {
        before.entry(f.unit_id).or_default().push(Form {
            name: f.name,
            parent: f.parent_code,
            level: level(&f.kind)?,
            valid_from: date(f.valid_from.as_deref())?,
            valid_to: date(Some(&f.valid_to))?,
        });
    }
    let mut units = rows
        .into_iter()
        .map(|r| {
            Ok(UnitSpec {
                functions: serde_json::from_str(&r.functions)
                    .map_err(|e| StoreError::corrupt(format!("functions of {}: {e}", r.code)))?,
                current: Form {
                    name: r.name,
                    parent: r.parent_code,
                    level: level(&r.kind)?,
                    valid_from: date(r.valid_from.as_deref())?,
                    valid_to: date(r.valid_to.as_deref())?,
                },
                before: before.remove(&r.id).unwrap_or_default(),
                code: r.code,
                siglas: r.siglas,
                manual_number: r.manual_number,
                merged_into: r.merged_into,
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    units.sort_by(|a, b| a.code.cmp(&b.code));
    Ok(units)
}

/// A unit as the audit log records it, with the unit as it was when it changed (`was`), so that
/// the log can say what changed.
pub(crate) fn detail(unit: &UnitSpec, was: Option<&UnitSpec>) -> String {
    let mut detail = image(unit);
    if let Some(was) = was {
        detail["was"] = image(was);
    }
    detail.to_string()
}

fn image(unit: &UnitSpec) -> serde_json::Value {
    let form = |f: &Form| {
        serde_json::json!({
            "name": f.name,
            "parent": f.parent,
            "level": f.level.as_str(),
            "valid_from": f.valid_from.map(|d| d.to_string()),
            "valid_to": f.valid_to.map(|d| d.to_string()),
        })
    };
    serde_json::json!({
        "current": form(&unit.current),
        "before": unit.before.iter().map(form).collect::<Vec<_>>(),
        "siglas": unit.siglas,
        "manual_number": unit.manual_number,
        "functions": unit.functions.len(),
        "merged_into": unit.merged_into,
    })
}

/// Why an organization import did nothing.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The files' problems, each with its file, line and field.
    #[error("{} problem(s) in the organization files", .0.len())]
    Invalid(Vec<turno_domain::diagnostic::Located>),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Reads organization files (TOML or CSV, by name), checks them together with the stored
/// units, and imports them in one transaction; with any problem, nothing is imported.
pub async fn import<S: crate::Store>(
    store: &S,
    files: &[(&str, &str)],
    actor: &str,
) -> Result<ImportCounts, ImportError> {
    let mut problems = Vec::new();
    let mut read = Vec::new();
    for (name, text) in files {
        match turno_domain::org::parse(name, text) {
            Ok(file) => read.push((*name, *text, file)),
            Err(diagnostics) => {
                problems.extend(diagnostics.iter().map(|d| d.locate(name, text)));
            }
        }
    }
    let stored: HashMap<String, Option<String>> = store
        .units()
        .await?
        .into_iter()
        .map(|u| (u.code, u.parent_code))
        .collect();
    let named: Vec<turno_domain::org::Named> = read
        .iter()
        .map(|(name, text, file)| turno_domain::org::Named { name, text, file })
        .collect();
    problems.extend(turno_domain::org::check(&named, &stored));
    if !problems.is_empty() {
        return Err(ImportError::Invalid(problems));
    }
    let units: Vec<UnitSpec> = read
        .into_iter()
        .flat_map(|(_, _, file)| file.units.into_iter().map(|p| p.unit))
        .collect();
    Ok(store.import_units(&units, actor).await?)
}
