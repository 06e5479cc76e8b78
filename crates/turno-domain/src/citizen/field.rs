//! The fields of a petition as people name them: in problems («fila 12, fecha: …») and in the
//! column mapping of call-center files.

use crate::text::same;
use std::fmt;
use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Field {
    /// The provider's identifier of the call.
    CallId,
    /// The date, possibly with the time.
    ReceivedOn,
    /// The time, when a file keeps it apart from the date.
    ReceivedTime,
    Kind,
    State,
    HealthUnit,
    Narrative,
    Name,
    Curp,
    Phone,
    Email,
    Address,
    PrivacyConsent,
}

impl Field {
    pub const ALL: [Field; 13] = [
        Field::CallId,
        Field::ReceivedOn,
        Field::ReceivedTime,
        Field::Kind,
        Field::State,
        Field::HealthUnit,
        Field::Narrative,
        Field::Name,
        Field::Curp,
        Field::Phone,
        Field::Email,
        Field::Address,
        Field::PrivacyConsent,
    ];

    /// The short name a mapping uses (`descripcion=OBSERVACIONES`).
    pub fn key(self) -> &'static str {
        match self {
            Field::CallId => "id_llamada",
            Field::ReceivedOn => "fecha",
            Field::ReceivedTime => "hora",
            Field::Kind => "tipo",
            Field::State => "entidad",
            Field::HealthUnit => "unidad",
            Field::Narrative => "descripcion",
            Field::Name => "nombre",
            Field::Curp => "curp",
            Field::Phone => "telefono",
            Field::Email => "correo",
            Field::Address => "domicilio",
            Field::PrivacyConsent => "aviso_privacidad",
        }
    }

    /// The name shown to people.
    pub fn label(self) -> &'static str {
        match self {
            Field::CallId => "identificador de la llamada",
            Field::ReceivedOn => "fecha",
            Field::ReceivedTime => "hora",
            Field::Kind => "tipo de petición",
            Field::State => "entidad federativa",
            Field::HealthUnit => "unidad de salud",
            Field::Narrative => "descripción",
            Field::Name => "nombre",
            Field::Curp => "CURP",
            Field::Phone => "teléfono",
            Field::Email => "correo electrónico",
            Field::Address => "domicilio",
            Field::PrivacyConsent => "aviso de privacidad",
        }
    }
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("«{0}» no es un campo de la petición; los campos son {keys}", keys = keys())]
pub struct UnknownField(pub String);

fn keys() -> String {
    Field::ALL.map(Field::key).join(", ")
}

impl FromStr for Field {
    type Err = UnknownField;

    /// By key or label, without regard to accents or case.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Field::ALL
            .into_iter()
            .find(|f| same(f.key(), s) || same(f.label(), s))
            .ok_or_else(|| UnknownField(s.trim().to_owned()))
    }
}

/// One problem with one field of a petition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldProblem {
    pub field: Field,
    pub reason: String,
}

impl FieldProblem {
    pub fn new(field: Field, reason: impl Into<String>) -> FieldProblem {
        FieldProblem {
            field,
            reason: reason.into(),
        }
    }
}

impl fmt::Display for FieldProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.reason)
    }
}
