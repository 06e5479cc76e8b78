//! Which column of the provider's file holds which field. The default names fit the layout of
//! docs/citizen-format.md and its usual variants; an administrator may name other columns.
//! Headers match without regard to accents, case, or spaces versus underscores.

use super::RowProblem;
use crate::citizen::Field;
use crate::text::fold;

/// The names a header may have for each field; the first is the documented one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnMapping {
    names: Vec<(Field, Vec<String>)>,
}

/// Fields a file must have; the others may be absent.
const REQUIRED: [Field; 4] = [
    Field::ReceivedOn,
    Field::Kind,
    Field::State,
    Field::Narrative,
];

impl Default for ColumnMapping {
    fn default() -> Self {
        let names = |field, names: &[&str]| (field, names.iter().map(|n| key(n)).collect());
        ColumnMapping {
            names: vec![
                names(Field::CallId, &["ID_LLAMADA", "FOLIO_LLAMADA", "ID"]),
                names(Field::ReceivedOn, &["FECHA", "FECHA_LLAMADA", "FECHA_HORA"]),
                names(Field::ReceivedTime, &["HORA", "HORA_LLAMADA"]),
                names(Field::Kind, &["TIPO", "TIPO_PETICION", "CLASIFICACION"]),
                names(Field::State, &["ENTIDAD", "ENTIDAD_FEDERATIVA", "ESTADO"]),
                names(
                    Field::HealthUnit,
                    &["UNIDAD", "UNIDAD_MEDICA", "UNIDAD_SALUD"],
                ),
                names(
                    Field::Narrative,
                    &["DESCRIPCION", "NARRATIVA", "COMENTARIOS"],
                ),
                names(Field::Name, &["NOMBRE", "NOMBRE_COMPLETO"]),
                names(Field::Curp, &["CURP"]),
                names(Field::Phone, &["TELEFONO", "TEL", "CELULAR"]),
                names(Field::Email, &["CORREO", "CORREO_ELECTRONICO", "EMAIL"]),
                names(Field::Address, &["DOMICILIO", "DIRECCION"]),
            ],
        }
    }
}

/// A mapping written wrong: `campo=Columna` is expected, with a known field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BadMapping {
    #[error("«{0}»: se escribe campo=Columna")]
    Form(String),
    #[error("«{0}»: {1}")]
    Field(String, crate::citizen::UnknownField),
}

impl ColumnMapping {
    /// Applies one `campo=Columna` as people write it (the command's `--map`, a line of the
    /// upload page): the field by its key or label.
    pub fn apply(&mut self, pair: &str) -> Result<(), BadMapping> {
        let (field, column) = pair
            .split_once('=')
            .filter(|(_, column)| !column.trim().is_empty())
            .ok_or_else(|| BadMapping::Form(pair.trim().to_owned()))?;
        let field: Field = field
            .parse()
            .map_err(|e| BadMapping::Field(pair.trim().to_owned(), e))?;
        self.set(field, column.trim());
        Ok(())
    }

    /// The field is in the column with this header (and no other name).
    pub fn set(&mut self, field: Field, header: &str) {
        let header = key(header);
        // A header names one field: taking it for this one releases it from any other.
        for (_, names) in &mut self.names {
            names.retain(|n| *n != header);
        }
        match self.names.iter_mut().find(|(f, _)| *f == field) {
            Some((_, names)) => *names = vec![header],
            None => self.names.push((field, vec![header])),
        }
    }

    /// Where each field is in a file with this header, or the problems of the header: a
    /// required field without a column, or two columns for one field.
    pub fn locate(&self, header_row: usize, header: &[String]) -> Result<Layout, Vec<RowProblem>> {
        let mut columns: Vec<(Field, usize)> = Vec::new();
        let mut problems = Vec::new();
        for (i, cell) in header.iter().enumerate() {
            let cell_key = key(cell);
            let Some(&(field, _)) = self
                .names
                .iter()
                .find(|(_, names)| names.contains(&cell_key))
            else {
                continue;
            };
            if let Some(&(_, first)) = columns.iter().find(|(f, _)| *f == field) {
                problems.push(RowProblem::new(
                    header_row,
                    Some(field),
                    format!(
                        "las columnas «{}» y «{}» son ambas {}",
                        header[first].trim(),
                        cell.trim(),
                        field.label()
                    ),
                ));
            } else {
                columns.push((field, i));
            }
        }
        for field in REQUIRED {
            if !columns.iter().any(|(f, _)| *f == field) {
                let expected = self
                    .names
                    .iter()
                    .find(|(f, _)| *f == field)
                    .map(|(_, names)| names.join(", "))
                    .unwrap_or_default();
                problems.push(RowProblem::new(
                    header_row,
                    Some(field),
                    format!("falta la columna (se busca como: {expected})"),
                ));
            }
        }
        if problems.is_empty() {
            let mut index = [None; Field::ALL.len()];
            for (field, i) in columns {
                index[field as usize] = Some(i);
            }
            Ok(Layout {
                index,
                width: header.len(),
                headers: header.iter().map(|h| h.trim().to_owned()).collect(),
            })
        } else {
            Err(problems)
        }
    }
}

/// The columns of one file: each mapped field's index, by the field's place in `Field::ALL`
/// (looked up for every cell of every row).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layout {
    index: [Option<usize>; Field::ALL.len()],
    width: usize,
    headers: Vec<String>,
}

impl Layout {
    /// The cell of a field in a row, when the file has that column; a short row (trailing
    /// empty cells left out, as some spreadsheets write them) has it empty.
    pub fn cell<'a>(&self, row: &'a [String], field: Field) -> Option<&'a str> {
        let i = self.index[field as usize]?;
        Some(row.get(i).map_or("", String::as_str))
    }

    /// The number of columns of the header.
    pub fn width(&self) -> usize {
        self.width
    }

    /// The header of a field's column, as the file writes it.
    pub fn header(&self, field: Field) -> Option<&str> {
        Some(&self.headers[self.index[field as usize]?])
    }
}

/// How headers compare: folded, with runs of spaces, underscores, hyphens and dots as one
/// underscore, upper case for display.
fn key(header: &str) -> String {
    let folded = fold(header);
    let mut key = String::with_capacity(folded.len());
    for word in folded.split([' ', '_', '-', '.']).filter(|w| !w.is_empty()) {
        if !key.is_empty() {
            key.push('_');
        }
        key.push_str(word);
    }
    key.to_uppercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(cells: &[&str]) -> Vec<String> {
        cells.iter().map(|c| c.to_string()).collect()
    }

    #[test]
    fn citizen_headers_match_without_accents_case_or_separators() {
        let layout = ColumnMapping::default()
            .locate(
                1,
                &header(&[
                    "Fecha",
                    "Tipo de petición",
                    "Entidad Federativa",
                    "Descripción",
                    "Teléfono",
                ]),
            )
            .unwrap_err();
        // «Tipo de petición» is not «TIPO_PETICION»: the «de» counts.
        assert_eq!(layout.len(), 1);
        assert_eq!(
            layout[0].to_string(),
            "fila 1, tipo de petición: falta la columna (se busca como: TIPO, TIPO_PETICION, CLASIFICACION)"
        );
        let layout = ColumnMapping::default()
            .locate(
                1,
                &header(&[
                    "fecha",
                    "Tipo petición",
                    " entidad-federativa ",
                    "DESCRIPCIÓN",
                    "Teléfono",
                ]),
            )
            .unwrap();
        let row = header(&["2026-03-02", "Queja", "JAL", "x", "33"]);
        assert_eq!(layout.cell(&row, Field::Phone), Some("33"));
        assert_eq!(layout.cell(&row, Field::Curp), None);
        assert_eq!(layout.header(Field::State), Some("entidad-federativa"));
    }

    #[test]
    fn citizen_mapping_names_other_columns_and_reports_ambiguity() {
        let mut mapping = ColumnMapping::default();
        mapping.set(Field::Narrative, "Observaciones");
        mapping.set(Field::CallId, "Estado");
        let layout = mapping
            .locate(
                3,
                &header(&["FECHA", "TIPO", "ENTIDAD", "OBSERVACIONES", "ESTADO"]),
            )
            .unwrap();
        assert_eq!(
            layout.cell(&header(&["", "", "", "n", "id"]), Field::CallId),
            Some("id")
        );
        let refused = ColumnMapping::default()
            .locate(1, &header(&["FECHA", "TIPO", "ENTIDAD", "ESTADO"]))
            .unwrap_err();
        assert_eq!(
            crate::citizen::messages(&refused),
            [
                "fila 1, entidad federativa: las columnas «ENTIDAD» y «ESTADO» son ambas entidad federativa",
                "fila 1, descripción: falta la columna (se busca como: DESCRIPCION, NARRATIVA, COMENTARIOS)",
            ]
        );
    }
}
