//! The values of a request as a use case checks them: every refusal is kept, so that one answer
//! names them all ([`Error::InvalidFields`], each a whole Spanish sentence that names its value,
//! so that a page may show it alone).

use crate::error::{Error, FieldProblem};
use turno_domain::text::{Lines, capitalized, control};

#[derive(Debug, Default)]
pub struct Checked(Vec<FieldProblem>);

impl Checked {
    /// `field` is the value's name in the request (as the API names it).
    pub fn wrong(&mut self, field: impl Into<String>, reason: impl Into<String>) {
        self.0.push(FieldProblem {
            field: field.into(),
            message: reason.into(),
        });
    }

    /// `value` trimmed, refused when longer than `max` characters, blank when `required`, or
    /// with control characters other than line breaks and tabs. `what` names it in the
    /// refusal, with its article: «el nombre del programa».
    pub fn text(
        &mut self,
        field: &str,
        what: &str,
        value: &str,
        max: usize,
        required: bool,
    ) -> String {
        let why = "lleva caracteres de control: quítelos";
        self.checked(field, what, (value, max, required), Lines::Many, why)
    }

    /// As [`Checked::text`], for a text of one line: no line breaks, tabs or other control
    /// characters.
    pub fn line(
        &mut self,
        field: &str,
        what: &str,
        value: &str,
        max: usize,
        required: bool,
    ) -> String {
        let why = "va en una sola línea, sin saltos de línea ni caracteres de control";
        self.checked(field, what, (value, max, required), Lines::One, why)
    }

    /// `value` trimmed, refused when longer than `max` characters, blank when `required`, or
    /// with a control character its `lines` do not let through (`why` says it;
    /// [`turno_domain::text::control`], the one rule).
    fn checked(
        &mut self,
        field: &str,
        what: &str,
        (value, max, required): (&str, usize, bool),
        lines: Lines,
        why: &str,
    ) -> String {
        let value = value.trim();
        if value.is_empty() && required {
            self.wrong(field, format!("Escriba {what}."));
        } else if value.chars().count() > max {
            self.wrong(
                field,
                format!("{} pasa de {max} caracteres: abrévielo.", capitalized(what)),
            );
        }
        if control(value, lines).is_some() {
            self.wrong(field, format!("{} {why}.", capitalized(what)));
        }
        value.to_owned()
    }

    /// Whether `field` was refused already.
    pub fn refuses(&self, field: &str) -> bool {
        self.0.iter().any(|p| p.field == field)
    }

    /// Nothing was refused.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Every refusal, in order.
    pub fn into_problems(self) -> Vec<FieldProblem> {
        self.0
    }

    /// The refusal of everything found wrong.
    pub fn refused(self) -> Error {
        Error::InvalidFields(self.0)
    }

    /// Fine when nothing was refused.
    pub fn done(self) -> Result<(), Error> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(Error::InvalidFields(self.0))
        }
    }
}
