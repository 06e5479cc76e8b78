//! The three table layouts of a Programa de ASM (seed 003, `docs/asm-format.md`): the columns
//! by name, shared by the readers and the writers.

use super::table::{Column, Table, header_key};

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
/// The signatures under the last table.
pub const PREPARED: &str = "Elaboró";
pub const AUTHORIZED: &str = "Autorizó";

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

/// The columns whose cells are dates (`DD-MM-AAAA`): a spreadsheet writer shows them as dates.
pub const DATE_COLUMNS: [&str; 2] = [START, END];

/// One of the three tables of a Programa de ASM.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Layout {
    Recommendations,
    Aspects,
    Activities,
}

impl Layout {
    pub const ALL: [Layout; 3] = [Layout::Recommendations, Layout::Aspects, Layout::Activities];

    /// The table's title, as sheet name and file name («Actividades», `actividades.csv`).
    pub fn title(self) -> &'static str {
        match self {
            Layout::Recommendations => "Recomendaciones",
            Layout::Aspects => "Aspectos",
            Layout::Activities => "Actividades",
        }
    }

    pub(super) fn columns(self) -> &'static [Column] {
        match self {
            Layout::Recommendations => RECOMMENDATIONS_LAYOUT,
            Layout::Aspects => ASPECTS_LAYOUT,
            Layout::Activities => ACTIVITIES_LAYOUT,
        }
    }

    /// The layout whose columns the header row names most; `None` when no column is known or
    /// two layouts tie. A header that misses a column is still recognised, so that reading it
    /// names the missing column instead of refusing the whole table.
    pub fn recognize(table: &Table) -> Option<Layout> {
        let header: Vec<String> = table
            .rows
            .first()?
            .cells
            .iter()
            .map(|c| header_key(c))
            .collect();
        let score = |layout: Layout| {
            layout
                .columns()
                .iter()
                .filter(|c| {
                    std::iter::once(c.name)
                        .chain(c.aliases.iter().copied())
                        .any(|name| header.contains(&header_key(name)))
                })
                .count()
        };
        let mut scored: Vec<(usize, Layout)> = Layout::ALL.map(|l| (score(l), l)).to_vec();
        scored.sort_by_key(|(score, _)| std::cmp::Reverse(*score));
        match scored.as_slice() {
            [(best, layout), (second, _), ..] if *best > *second => Some(*layout),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(cells: &[&str]) -> Table {
        Table::new("t.csv", vec![cells.iter().map(|c| c.to_string()).collect()])
    }

    #[test]
    fn tables_are_recognised_by_their_headers_even_with_a_column_missing() {
        assert_eq!(
            Layout::recognize(&header(&[
                "No.",
                "Año de evaluación",
                "Descripción",
                "Ámbito de",
                "Atención",
                "Justificación"
            ])),
            Some(Layout::Recommendations)
        );
        assert_eq!(
            Layout::recognize(&header(&[
                "NO.",
                "ASPECTO SUSCEPTIBLE DE MEJORA",
                "TIPO",
                "FECHA DE INICIO"
            ])),
            Some(Layout::Aspects)
        );
        assert_eq!(
            Layout::recognize(&header(&[
                "Documento",
                "No.",
                "Actividad",
                "Acciones a emprender"
            ])),
            Some(Layout::Activities)
        );
        assert_eq!(
            Layout::recognize(&header(&["No.", "Ámbito de gestión"])),
            None
        );
        assert_eq!(Layout::recognize(&header(&["Clave", "Nombre"])), None);
        assert_eq!(
            Layout::recognize(&Table::new("vacía.csv", Vec::new())),
            None
        );
    }
}
