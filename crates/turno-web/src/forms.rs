//! Case fields as form inputs, and typed back from what the person submitted.

use axum::extract::Multipart;
use axum::extract::multipart::{Field, MultipartError};
use std::collections::BTreeMap;
use turno_app::FieldProblem;
use turno_app::fields::Asked;
use turno_domain::definition::{FieldDef, FieldType};
use turno_domain::engine::Value;

pub enum InputKind {
    Line(&'static str),
    TextArea,
    Select,
    Checkboxes,
}

pub struct FieldInput {
    pub name: String,
    pub label: String,
    pub kind: InputKind,
    pub required: bool,
    pub options: Vec<String>,
    /// What was submitted (or is stored), to show it again.
    pub value: String,
    pub error: Option<String>,
}

impl FieldInput {
    pub fn new(field: &FieldDef, required: bool) -> FieldInput {
        let kind = match field.ty {
            FieldType::Text => InputKind::Line("text"),
            FieldType::LongText => InputKind::TextArea,
            FieldType::Integer | FieldType::Decimal => InputKind::Line("text"),
            FieldType::Date => InputKind::Line("date"),
            FieldType::Boolean | FieldType::Choice => InputKind::Select,
            FieldType::Participants => InputKind::Checkboxes,
        };
        let options = match field.ty {
            FieldType::Boolean => vec!["Sí".to_owned(), "No".to_owned()],
            _ => field.options.clone(),
        };
        FieldInput {
            name: field.name.clone(),
            label: field.label.clone(),
            kind,
            required,
            options,
            value: String::new(),
            error: None,
        }
    }
}

impl FieldInput {
    /// Whether a checkbox option was chosen.
    pub fn is_chosen(&self, option: &str) -> bool {
        self.value.split(',').any(|v| v == option)
    }
}

/// A submitted form as name → values (checkboxes send a name several times).
pub type Submitted = Vec<(String, String)>;

/// Every value given for `name`, trimmed, the blank ones left out.
pub fn values<'a>(submitted: &'a Submitted, name: &str) -> Vec<&'a str> {
    submitted
        .iter()
        .filter(|(k, _)| k == name)
        .map(|(_, v)| v.trim())
        .filter(|v| !v.is_empty())
        .collect()
}

/// The first value given for `name`, trimmed; `None` when it is missing or blank.
pub fn single<'a>(submitted: &'a Submitted, name: &str) -> Option<&'a str> {
    values(submitted, name).into_iter().next()
}

/// A short text field of a multipart form, read whole: `None` when it passes `limit` bytes
/// (read no further) or is not UTF-8.
pub async fn short_text(
    field: &mut Field<'_>,
    limit: usize,
) -> Result<Option<String>, MultipartError> {
    let mut bytes = Vec::new();
    while let Some(chunk) = field.chunk().await? {
        bytes.extend_from_slice(&chunk);
        if bytes.len() > limit {
            return Ok(None);
        }
    }
    Ok(String::from_utf8(bytes).ok())
}

/// A form sent as multipart/form-data, read whole: its text fields, and the file sent in
/// field `file` as its name (made safe; `unnamed` when the browser gave none) and bytes.
pub async fn with_file(
    multipart: &mut Multipart,
    file: &str,
    unnamed: &str,
) -> Result<(Submitted, Option<(String, Vec<u8>)>), crate::error::AppError> {
    let unreadable =
        |_| crate::error::AppError::BadRequest("No se pudo leer el formulario enviado.".into());
    let mut submitted: Submitted = Vec::new();
    let mut sent = None;
    while let Some(field) = multipart.next_field().await.map_err(unreadable)? {
        let name = field.name().unwrap_or_default().to_owned();
        if name == file {
            let file_name = crate::documents::file_name(field.file_name().unwrap_or(unnamed));
            sent = Some((file_name, field.bytes().await.map_err(unreadable)?.to_vec()));
        } else {
            submitted.push((name, field.text().await.map_err(unreadable)?));
        }
    }
    Ok((submitted, sent))
}

/// A value the form must have: its text, or the page saying which field (by `label`) is missing.
pub fn required<'a>(
    submitted: &'a Submitted,
    name: &str,
    label: &str,
) -> Result<&'a str, crate::error::AppError> {
    single(submitted, name)
        .ok_or_else(|| crate::error::AppError::BadRequest(format!("Falta «{label}».")))
}

/// What was typed in the `asked` fields, by name: several choices joined by commas, blank
/// ones left out, as the application reads them (`turno_app::fields`).
pub fn given(asked: &[Asked<'_>], submitted: &Submitted) -> BTreeMap<String, String> {
    asked
        .iter()
        .filter_map(|(field, _)| {
            let values = values(submitted, &field.name);
            (!values.is_empty()).then(|| (field.name.clone(), values.join(",")))
        })
        .collect()
}

/// The `asked` fields as inputs showing again what was typed, each with its problem, to show
/// the form again.
pub fn inputs(
    asked: &[Asked<'_>],
    submitted: &Submitted,
    problems: &[FieldProblem],
) -> Vec<FieldInput> {
    asked
        .iter()
        .map(|(field, required)| {
            let mut input = FieldInput::new(field, *required);
            input.value = values(submitted, &field.name).join(",");
            input.error = problems
                .iter()
                .find(|p| p.field == field.name)
                .map(|p| p.message.clone());
            input
        })
        .collect()
}

/// A stored value as people read it.
pub fn show(value: &Value) -> String {
    match value {
        Value::Text(t) | Value::Decimal(t) => t.clone(),
        Value::Integer(n) => n.to_string(),
        Value::Date(d) => turno_domain::text::day(*d),
        Value::Boolean(true) => "Sí".into(),
        Value::Boolean(false) => "No".into(),
        Value::Participants(keys) => keys.join(", "),
    }
}
