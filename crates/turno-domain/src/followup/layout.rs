//! The three table layouts of a Programa de ASM (seed 003, `docs/asm-format.md`): the columns
//! by name, shared by the readers and the writers.

use super::table::Column;

pub const NUMBER: &str = "No.";
pub const YEAR: &str = "Año de evaluación";
pub const DESCRIPTION: &str = "Descripción";
pub const MANAGEMENT: &str = "Ámbito de gestión";
pub const ACCEPTANCE: &str = "Atención";
pub const JUSTIFICATION: &str = "Justificación";
pub const CASE: &str = "Folio del asunto";
pub const ASPECT: &str = "Aspecto Susceptible de Mejora";
pub const TYPE: &str = "Tipo";
pub const START: &str = "Fecha de inicio";
pub const END: &str = "Fecha de término";
pub const PRODUCTS: &str = "Productos y/o evidencias";
pub const RECOMMENDATIONS: &str = "Recomendaciones";
pub const DOCUMENT: &str = "Documento";
pub const COORDINATOR: &str = "Área coordinadora";
pub const ACTIVITY: &str = "Actividad";
pub const ACTIVITIES: &str = "Actividades";
pub const RESPONSIBLE: &str = "Área responsable";
pub const EXPECTED: &str = "Resultados esperados";
pub const PROGRESS: &str = "Avance (%)";
pub const EVIDENCE: &str = "Evidencia adjunta";
pub const STATUS: &str = "Estatus";

const fn required(name: &'static str) -> Column {
    Column {
        name,
        aliases: &[],
        required: true,
    }
}

const fn optional(name: &'static str) -> Column {
    Column {
        name,
        aliases: &[],
        required: false,
    }
}

/// The seed prints the header «Ámbito de» (the rest of the cell is lost).
const MANAGEMENT_COLUMN: Column = Column {
    name: MANAGEMENT,
    aliases: &["Ámbito de", "Ámbito"],
    required: true,
};

pub const RECOMMENDATIONS_LAYOUT: &[Column] = &[
    required(NUMBER),
    required(YEAR),
    required(DESCRIPTION),
    MANAGEMENT_COLUMN,
    required(ACCEPTANCE),
    required(JUSTIFICATION),
    optional(CASE),
];

pub const ASPECTS_LAYOUT: &[Column] = &[
    required(NUMBER),
    required(ASPECT),
    required(TYPE),
    MANAGEMENT_COLUMN,
    required(START),
    required(END),
    required(PRODUCTS),
    optional(RECOMMENDATIONS),
    optional(CASE),
];

pub const ACTIVITIES_LAYOUT: &[Column] = &[
    required(DOCUMENT),
    required(NUMBER),
    required(ASPECT),
    MANAGEMENT_COLUMN,
    optional(COORDINATOR),
    required(ACTIVITY),
    // The institutional document's table calls them «Acciones a emprender».
    Column {
        name: ACTIVITIES,
        aliases: &["Acciones a emprender"],
        required: true,
    },
    required(START),
    required(END),
    required(PRODUCTS),
    required(RESPONSIBLE),
    optional(EXPECTED),
    optional(PROGRESS),
    optional(EVIDENCE),
    optional(STATUS),
    optional(JUSTIFICATION),
];
