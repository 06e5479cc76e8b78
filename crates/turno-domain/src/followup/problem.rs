//! Problems of the tables, each with its file, its row and (when it is one cell) its column,
//! in Spanish: they go back to whoever filled the spreadsheet.

use super::model::FollowupError;
use std::fmt;
use thiserror::Error;

/// One problem in one row of one table. Row 1 is the header, as a spreadsheet counts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub file: String,
    pub row: usize,
    /// The column's name as the layout names it; `None` when the whole row is at fault.
    pub field: Option<&'static str>,
    pub kind: ProblemKind,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: fila {}", self.file, self.row)?;
        if let Some(field) = self.field {
            write!(f, ", «{field}»")?;
        }
        write!(f, ": {}", self.kind)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ProblemKind {
    #[error("la tabla no tiene fila de encabezados")]
    NoHeader,
    #[error("falta la columna")]
    MissingColumn,
    #[error("columna «{0}» desconocida")]
    UnknownColumn(String),
    #[error("la columna se repite")]
    RepeatedColumn,
    #[error("fila ilegible: {0}")]
    Unreadable(String),
    #[error("está vacío")]
    Empty,
    /// A control character (`text::control_reason` says which and where).
    #[error("{0}")]
    Control(String),
    #[error("«{0}» no es un número entero positivo")]
    NotANumber(String),
    #[error("«{0}» no es una fecha DD-MM-AAAA")]
    NotADate(String),
    #[error("«{0}» no es un avance de 0 a 100")]
    NotAProgress(String),
    #[error("«{0}» no es un ámbito de gestión (O, PP, RC, SER)")]
    NotAManagementArea(String),
    #[error(
        "«{0}» no es un tipo de documento (específico, institucional, interinstitucional, intergubernamental)"
    )]
    NotADocumentType(String),
    #[error("«{0}» no es una atención (SÍ o NO)")]
    NotAnAcceptance(String),
    #[error(
        "«{0}» no se registra: solo «justificado» o «no atendido»; los demás estatus se calculan"
    )]
    NotAClosure(String),
    #[error("una recomendación no atendida necesita su justificación")]
    MissingJustification,
    #[error("una recomendación atendida no lleva justificación")]
    NeedlessJustification,
    #[error("el número {number} ya está en la fila {row}")]
    Repeated { number: u32, row: usize },
    #[error("la recomendación {0} no existe")]
    UnknownRecommendation(u32),
    #[error("la recomendación se justifica consigo misma")]
    JustifiedByItself,
    #[error("la recomendación {0} que la justifica tampoco se atiende")]
    JustifiedByNotAccepted(u32),
    #[error("no hay un aspecto de este texto en el {0} de la tabla de aspectos")]
    UnknownAspect(&'static str),
    #[error("el aspecto ya tiene sus actividades en la fila {0}")]
    AspectRepeated(usize),
    #[error("«{found}» no es el ámbito del aspecto en la tabla de aspectos («{expected}»)")]
    ManagementMismatch {
        found: &'static str,
        expected: &'static str,
    },
    #[error("la fila continúa un aspecto, pero ninguna fila anterior lo nombra")]
    NoAspect,
    #[error("«{found}» no es el documento del aspecto de la fila {row}")]
    DocumentMismatch { found: String, row: usize },
    #[error("difiere de la fila {0}, que abre el aspecto")]
    DifferentFromAspectRow(usize),
    #[error(
        "los encabezados no son los de una tabla de recomendaciones, de aspectos ni de actividades"
    )]
    UnknownLayout,
    #[error("ya hay una tabla «{table}» en {file}")]
    LayoutRepeated { table: &'static str, file: String },
    #[error("bajo «Elaboró» y «Autorizó» van los nombres de quien elaboró y de quien autorizó")]
    IncompleteSignOff,
    #[error("nada va después de las firmas")]
    AfterSignOff,
    #[error(transparent)]
    Followup(#[from] FollowupError),
}
