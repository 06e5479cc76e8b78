//! Types several endpoints share, and the conversions from the domain's.

use super::error::FieldError;
use serde::Serialize;
use turno_domain::definition::{FieldDef, FieldType};
use turno_domain::engine::Value;
use utoipa::ToSchema;

use turno_app::limits;

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

/// An optional value of a fixed shape (a date, a code) as the use cases take it, blank when
/// not given. The API says "not given" by leaving it out or with `null`, and the document's
/// pattern takes no blank: a blank one is noted in `wrong`, naming the field.
pub fn shaped<'a>(field: &str, value: &'a Option<String>, wrong: &mut Vec<FieldError>) -> &'a str {
    match value.as_deref() {
        Some(blank) if blank.trim().is_empty() => {
            wrong.push(FieldError::new(
                field,
                "Vacío no es un valor válido: omita el campo o envíe null.",
            ));
            ""
        }
        given => given.unwrap_or_default(),
    }
}

/// The semáforo of open work: how much of its whole term is left, counted from the day the
/// term started (not the day the activity opened).
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

/// What a command did: the case's folio and its version after it.
#[derive(Debug, Serialize, ToSchema)]
pub struct CommandResult {
    #[schema(example = "CAS-2026-000001")]
    pub folio: String,
    /// The case's version (its number of events) after the command: send it back as `version`
    /// when completing work, so that a change made meanwhile is refused (409).
    pub version: i64,
}
