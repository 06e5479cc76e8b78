//! What a person signs with e.firma when they complete an activity that asks for it
//! (`signature = true`, docs/efirma.md): one canonical text of the case, the activity, the
//! answer and the data, the same bytes however the form sent them.

use super::case::Case;
use super::commands::Complete;
use super::error::EngineError;
use super::value::Value;
use crate::definition::{Procedure, Route};
use std::fmt::Write as _;

/// The text signed to complete `input` on the case `folio`: its folio and procedure (key and
/// version), the activity (number and text), the work item, the answer of a decision as the
/// definition writes it («si» is «Sí»), each field of the completion by name in order, and the
/// observations. Deterministic: the same completion gives the same text, and changing any of
/// those changes it. Lines end in `\n`; a value's own line breaks and backslashes are escaped
/// (`\n`, `\\`), so that no value can pass for another line.
pub fn signed_text(
    procedure: &Procedure,
    folio: &str,
    case: &Case,
    input: &Complete,
) -> Result<String, EngineError> {
    let item = case
        .work_item(input.item)
        .ok_or(EngineError::UnknownWorkItem(input.item))?;
    let activity = procedure.activity(item.activity);
    let mut text = String::new();
    let mut line = |label: &str, value: &str| {
        // Writing to a String cannot fail.
        let _ = writeln!(text, "{label}: {}", escaped(value));
    };
    line("Firma electrónica avanzada en Turno", "autorización");
    line("Expediente", folio);
    line(
        "Procedimiento",
        &format!("{} versión {}", procedure.key, procedure.version),
    );
    line(
        "Actividad",
        &format!("{} {}", activity.number, activity.text),
    );
    line("Tarea", &input.item.0.to_string());
    if let Route::Decide { question, .. } = &activity.route {
        let answer = input
            .outcome
            .as_deref()
            .map(|a| activity.branch(a).map_or(a, |b| b.answer.as_str()))
            .unwrap_or_default();
        line("Pregunta", question);
        line("Respuesta", answer);
    }
    for (name, value) in &input.fields {
        line(&format!("Dato {name}"), &shown(value));
    }
    line(
        "Observaciones",
        input.observations.as_deref().unwrap_or_default(),
    );
    Ok(text)
}

/// A value as the signed text writes it.
fn shown(value: &Value) -> String {
    match value {
        Value::Text(text) | Value::Decimal(text) => text.clone(),
        Value::Integer(n) => n.to_string(),
        Value::Date(date) => date.to_string(),
        Value::Boolean(true) => "sí".into(),
        Value::Boolean(false) => "no".into(),
        Value::Participants(keys) => keys.join(", "),
    }
}

fn escaped(value: &str) -> String {
    value
        .replace('\\', "\\\\")
        .replace('\r', "\\r")
        .replace('\n', "\\n")
}
