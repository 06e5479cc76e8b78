//! The use cases the pages and the API share, written once: each takes the state, the
//! signed-in person and plain values, and answers a value or a typed refusal ([`UseError`]).
//! Nothing here knows HTTP: a page answers a refusal with its Spanish page (`error.rs`), the
//! API with its JSON (`api/error.rs`). These modules are meant to move, as they are, to the
//! application layer (`turno-app`).

pub mod calendar;
pub mod followup;
pub mod motives;
pub mod report;
pub mod units;

use turno_store::StoreError;

use turno_app::limits;

/// Why a use case did nothing. Each variant is one kind of answer, whatever asked.
#[derive(Debug, thiserror::Error)]
pub enum UseError {
    /// Not this person's to see or do.
    #[error("{0}")]
    Forbidden(String),
    /// What the request names does not exist.
    #[error("{0}")]
    NotFound(String),
    /// Values of the request refused, each with why.
    #[error("{}", .0.iter().map(|w| w.reason.as_str()).collect::<Vec<_>>().join(" "))]
    Invalid(Vec<Wrong>),
    /// An uploaded file with problems, each located in it (`archivo:fila:columna: …`).
    #[error("{}", .0.join("\n"))]
    InvalidFile(Vec<String>),
    /// A file larger than the blob store accepts; the words name the limit.
    #[error("{0}")]
    TooLarge(String),
    /// A file whose content is not of the type it was sent as.
    #[error("{0}")]
    WrongType(String),
    /// A file that did not arrive whole.
    #[error("{0}")]
    Incomplete(String),
    /// A rule refused what was asked.
    #[error("{0}")]
    Refused(String),
    /// What is stored changed, or exists already: someone acted first.
    #[error("{0}")]
    Conflict(String),
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The application layer's refusals (a case looked up, an access rule).
    #[error(transparent)]
    App(#[from] turno_app::Error),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

/// A value of a request refused, by the name the API gives it, and why (in Spanish, a whole
/// sentence that names it, so that a page may show it alone).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Wrong {
    pub field: String,
    pub reason: String,
}

/// The values of a request as they are checked: every refusal is kept, so that one answer
/// names them all.
#[derive(Debug, Default)]
pub struct Checked(Vec<Wrong>);

impl Checked {
    pub fn wrong(&mut self, field: impl Into<String>, reason: impl Into<String>) {
        self.0.push(Wrong {
            field: field.into(),
            reason: reason.into(),
        });
    }

    /// `value` trimmed, refused when longer than `max` characters, or blank when `required`.
    /// `what` names it in the refusal, with its article: «el nombre del programa».
    pub fn text(
        &mut self,
        field: &str,
        what: &str,
        value: &str,
        max: usize,
        required: bool,
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
        value.to_owned()
    }

    /// The refusal of everything found wrong.
    pub fn refused(self) -> UseError {
        UseError::Invalid(self.0)
    }

    /// Fine when nothing was refused.
    pub fn done(self) -> Result<(), UseError> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(UseError::Invalid(self.0))
        }
    }
}

/// `text` with its first letter in capitals.
pub fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
