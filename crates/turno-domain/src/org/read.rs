//! Reading one field of a unit, the same for every file format: the value with the span a
//! problem points at; every problem is collected, none stops the reading.

use super::Level;
use super::unit::{Form, is_code};
use crate::diagnostic::Diagnostic;
use crate::text::{Lines, control_reason};
use jiff::civil::Date;
use std::ops::Range;

/// A field's text and where it is.
pub type Field = (String, Range<usize>);

pub fn code((value, span): &Field, field: &str, problems: &mut Vec<Diagnostic>) -> Option<String> {
    let code = value.trim();
    if is_code(code) {
        Some(code.to_owned())
    } else {
        problems.push(Diagnostic::new(
            span.clone(),
            format!(
                "{field} «{code}» is not a unit code: upper-case letters and digits in parts joined by hyphens"
            ),
        ));
        None
    }
}

pub fn name(field @ (value, span): &Field, problems: &mut Vec<Diagnostic>) -> String {
    let name = value.trim();
    if name.is_empty() {
        problems.push(Diagnostic::new(span.clone(), "name is empty"));
    }
    typed(field, "name", Lines::One, problems);
    name.to_owned()
}

/// Whether a text keeps the one rule on control characters (`text::control`); a problem naming
/// `field` otherwise.
pub fn typed(
    (value, span): &Field,
    field: &str,
    lines: Lines,
    problems: &mut Vec<Diagnostic>,
) -> bool {
    let reason = control_reason(value, lines);
    if let Some(reason) = &reason {
        problems.push(Diagnostic::new(span.clone(), format!("{field}: {reason}")));
    }
    reason.is_none()
}

/// The field's column's lines: functions may take several, every other field one.
pub fn lines_of(field: &str) -> Lines {
    if field == "functions" {
        Lines::Many
    } else {
        Lines::One
    }
}

pub fn level((value, span): &Field, problems: &mut Vec<Diagnostic>) -> Option<Level> {
    match value.trim().parse::<Level>() {
        Ok(level) => Some(level),
        Err(message) => {
            problems.push(Diagnostic::new(span.clone(), format!("level: {message}")));
            None
        }
    }
}

pub fn date((value, span): &Field, field: &str, problems: &mut Vec<Diagnostic>) -> Option<Date> {
    match value.trim().parse::<Date>() {
        Ok(date) => Some(date),
        Err(_) => {
            problems.push(Diagnostic::new(
                span.clone(),
                format!("{field} «{}» is not a date AAAA-MM-DD", value.trim()),
            ));
            None
        }
    }
}

/// A form may not end before it starts.
pub fn check_range(form: &Form, span: Range<usize>, problems: &mut Vec<Diagnostic>) {
    if let (Some(from), Some(to)) = (form.valid_from, form.valid_to)
        && to < from
    {
        problems.push(Diagnostic::new(
            span,
            format!("«{}» ends ({to}) before it starts ({from})", form.name),
        ));
    }
}
