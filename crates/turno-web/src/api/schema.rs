//! Types several endpoints share, and the conversions from the domain's.

use serde::Serialize;
use std::collections::BTreeMap;
use turno_domain::definition::{FieldDef, FieldType};
use turno_domain::engine::Value;
use utoipa::ToSchema;

use super::error::FieldError;
use crate::usecase::limits;

/// The schema of a procedure's fields by name, as a request sends them: texts of at most
/// `limits::TEXT` characters each.
pub fn field_values() -> utoipa::openapi::schema::Object {
    use utoipa::openapi::schema::{AdditionalProperties, ObjectBuilder, Type};
    ObjectBuilder::new()
        .schema_type(Type::Object)
        .additional_properties(Some(AdditionalProperties::RefOr(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .max_length(Some(limits::TEXT))
                .build()
                .into(),
        )))
        .build()
}

/// The semáforo of open work: how much of its term is left.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DueStatus {
    /// Verde: more than the agency's share of the term is left, a fifth by default (or there is
    /// no due date).
    OnTime,
    /// Amarillo: at most that share of the term is left.
    DueSoon,
    /// Rojo: the due date has passed.
    Overdue,
}

impl From<turno_domain::engine::DueStatus> for DueStatus {
    fn from(status: turno_domain::engine::DueStatus) -> DueStatus {
        match status {
            turno_domain::engine::DueStatus::OnTime => DueStatus::OnTime,
            turno_domain::engine::DueStatus::DueSoon => DueStatus::DueSoon,
            turno_domain::engine::DueStatus::Overdue => DueStatus::Overdue,
        }
    }
}

/// The semáforo of work opened on `opened` and due on `due`, seen on `today` (as the pages).
pub fn due_status(
    thresholds: turno_domain::engine::Thresholds,
    opened: jiff::civil::Date,
    due: Option<jiff::civil::Date>,
    today: jiff::civil::Date,
) -> DueStatus {
    due.map_or(turno_domain::engine::DueStatus::OnTime, |d| {
        thresholds.status(opened, d, today)
    })
    .into()
}

/// Where a case stands.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CaseStatus {
    /// En trámite.
    Open,
    /// Concluido.
    Ended,
    /// Cancelado.
    Cancelled,
}

impl CaseStatus {
    /// The status the store records (`open`, `ended` or `cancelled`).
    pub fn of(stored: &str) -> CaseStatus {
        match stored {
            "ended" => CaseStatus::Ended,
            "cancelled" => CaseStatus::Cancelled,
            _ => CaseStatus::Open,
        }
    }
}

/// The type of a case field.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum FieldKind {
    Text,
    LongText,
    Integer,
    /// Written with a point: `1250.50`.
    Decimal,
    /// `AAAA-MM-DD`.
    Date,
    /// `Sí` or `No`.
    Boolean,
    /// One of `options`.
    Choice,
    /// Participant keys from `options`, separated by commas.
    Participants,
}

impl From<FieldType> for FieldKind {
    fn from(ty: FieldType) -> FieldKind {
        match ty {
            FieldType::Text => FieldKind::Text,
            FieldType::LongText => FieldKind::LongText,
            FieldType::Integer => FieldKind::Integer,
            FieldType::Decimal => FieldKind::Decimal,
            FieldType::Date => FieldKind::Date,
            FieldType::Boolean => FieldKind::Boolean,
            FieldType::Choice => FieldKind::Choice,
            FieldType::Participants => FieldKind::Participants,
        }
    }
}

/// A field a procedure defines, as a request must fill it in.
#[derive(Debug, Serialize, ToSchema)]
pub struct FieldSpec {
    pub name: String,
    pub label: String,
    #[serde(rename = "type")]
    pub kind: FieldKind,
    /// Required when the case is registered.
    pub required: bool,
    /// The choices of a `choice`, the participant keys of `participants`.
    pub options: Vec<String>,
}

impl From<&FieldDef> for FieldSpec {
    fn from(field: &FieldDef) -> FieldSpec {
        FieldSpec {
            name: field.name.clone(),
            label: field.label.clone(),
            kind: field.ty.into(),
            required: field.required,
            options: match field.ty {
                FieldType::Boolean => vec!["Sí".to_owned(), "No".to_owned()],
                _ => field.options.clone(),
            },
        }
    }
}

/// A stored value written as a request would send it (`2026-03-15`, `Sí`, `ST,CAS`).
pub fn as_input(value: &Value) -> String {
    match value {
        Value::Text(t) | Value::Decimal(t) => t.clone(),
        Value::Integer(n) => n.to_string(),
        Value::Date(d) => d.to_string(),
        Value::Boolean(true) => "Sí".into(),
        Value::Boolean(false) => "No".into(),
        Value::Participants(keys) => keys.join(","),
    }
}

/// Reads `given` fields typed as a person would type them. `allowed` are the fields the
/// request may set, `required` those it must; every problem is reported, not only the first.
pub fn read_fields<'a>(
    given: &BTreeMap<String, String>,
    allowed: &[&'a FieldDef],
    required: &[&'a FieldDef],
    not_allowed: &dyn Fn(&str) -> String,
    errors: &mut Vec<FieldError>,
) -> BTreeMap<String, Value> {
    let mut typed = BTreeMap::new();
    for field in required {
        if given.get(&field.name).is_none_or(|v| v.trim().is_empty()) {
            errors.push(FieldError {
                field: field.name.clone(),
                reason: "Este dato es obligatorio.".into(),
            });
        }
    }
    for (name, text) in given {
        let Some(field) = allowed.iter().find(|f| &f.name == name) else {
            errors.push(FieldError {
                field: name.clone(),
                reason: not_allowed(name),
            });
            continue;
        };
        if text.trim().is_empty() {
            continue;
        }
        if text.chars().count() > limits::TEXT {
            errors.push(FieldError {
                field: name.clone(),
                reason: format!("Pasa de {} caracteres: abrévielo.", limits::TEXT),
            });
            continue;
        }
        match field.parse_input(text) {
            Ok(value) => {
                typed.insert(name.clone(), value);
            }
            Err(reason) => errors.push(FieldError {
                field: name.clone(),
                reason: format!("No válido: {reason}."),
            }),
        }
    }
    typed
}

/// What a command did: the case's folio and its version after it.
#[derive(Debug, Serialize, ToSchema)]
pub struct CommandResult {
    #[schema(example = "CAS-2026-000001")]
    pub folio: String,
    /// The case's version (its number of events) after the command: send it back as `version`
    /// when completing work, so that a change made meanwhile is refused (409).
    pub version: i64,
}
