//! The small tables of a procedure: 6.0 Documentos de referencia (documento, código), 7.0
//! Registros (registro, tiempo de conservación, responsable de conservarlo, código) and 9.0
//! Cambios en esta versión (revisión, fecha, descripción). Header cells are dropped; the rest
//! is read in rows of the table's width.

use super::lines::Line;
use super::sections::squash;
use super::table::{Cell, cells, short};
use super::{Change, Record, Reference, Report};
use crate::text::fold;

const HEADERS: [&str; 12] = [
    "registro",
    "tiempo de",
    "responsable de conservar",
    "codigo",
    "documento",
    "numero de revision",
    "fecha de",
    "descripcion del cambio",
    "descripcion de cambio",
    "revision",
    "fecha",
    "descripcion",
];

fn is_header(cell: &Cell) -> bool {
    let text = fold(&squash(&cell.text()));
    HEADERS.iter().any(|h| text.starts_with(h)) && text.split_whitespace().count() <= 8
}

/// The rows of a table of `width` columns, header rows dropped. A row is dropped (and
/// reported) when it falls short.
fn rows(body: &[Line], width: usize, what: &str, report: &mut Report) -> Vec<Vec<String>> {
    let all = cells(body);
    let mut start = 0;
    while start < all.len() && start < width && is_header(&all[start]) {
        start += 1;
    }
    let mut out = Vec::new();
    for row in all[start..].chunks(width) {
        if row.iter().all(is_header) {
            continue;
        }
        if row.len() < width {
            report.add(
                row[0].place,
                format!(
                    "fila incompleta en {what}: «{}»; no se leyó",
                    short(&row[0].text())
                ),
            );
            continue;
        }
        out.push(row.iter().map(|c| squash(&c.text())).collect());
    }
    if all.is_empty() {
        // Without cells: a row per non-empty line, its columns apart by two spaces or more.
        for line in body {
            let columns: Vec<String> = line
                .trimmed()
                .split("  ")
                .map(str::trim)
                .filter(|c| !c.is_empty())
                .map(squash)
                .collect();
            if columns.is_empty() {
                continue;
            }
            if columns.len() == width
                && !columns
                    .iter()
                    .all(|c| HEADERS.iter().any(|h| fold(c).starts_with(h)))
            {
                out.push(columns);
            } else {
                report.add(
                    line.place,
                    format!(
                        "línea de {what} sin sus {width} columnas: «{}»; no se leyó",
                        short(line.trimmed())
                    ),
                );
            }
        }
    }
    out
}

/// «No Aplica», «no aplica», «N/A» → «No aplica»; an empty cell is no value.
fn value(text: &str) -> Option<String> {
    let folded = fold(text);
    if folded.is_empty() {
        None
    } else if matches!(folded.trim_end_matches('.'), "no aplica" | "n/a" | "na") {
        Some("No aplica".to_owned())
    } else {
        Some(text.trim().to_owned())
    }
}

pub(crate) fn references(body: &[Line], report: &mut Report) -> Vec<Reference> {
    let mut out: Vec<Reference> = Vec::new();
    let place = body.first().map(|l| l.place).unwrap_or_default();
    for row in rows(body, 2, "los documentos de referencia", report) {
        let Some(document) = value(&row[0]) else {
            report.add(
                place,
                format!(
                    "documento de referencia sin nombre (código «{}»): no se leyó",
                    row[1]
                ),
            );
            continue;
        };
        let mut code = value(&row[1]);
        if let Some(c) = &code
            && c != "No aplica"
            && out.iter().any(|r| r.code.as_deref() == Some(c.as_str()))
        {
            report.add(place, format!("el código «{c}» se repite en los documentos de referencia: se quitó del segundo"));
            code = None;
        }
        out.push(Reference { document, code });
    }
    out
}

/// «5 años», «1 Años», «6 meses», «No aplica» as the format writes them; `None` otherwise.
pub fn retention(text: &str) -> Option<String> {
    let folded = fold(text);
    let folded = folded.trim_end_matches('.');
    if matches!(folded, "no aplica" | "n/a") {
        return Some("No aplica".to_owned());
    }
    let (n, unit) = folded.split_once(' ')?;
    let n: u32 = n.parse().ok().filter(|&n| n > 0)?;
    let unit = match unit.trim() {
        "año" | "años" => {
            if n == 1 {
                "año"
            } else {
                "años"
            }
        }
        "mes" | "meses" => {
            if n == 1 {
                "mes"
            } else {
                "meses"
            }
        }
        _ => return None,
    };
    Some(format!("{n} {unit}"))
}

pub(crate) fn records(body: &[Line], report: &mut Report) -> Vec<Record> {
    let mut out: Vec<Record> = Vec::new();
    let place = body.first().map(|l| l.place).unwrap_or_default();
    for row in rows(body, 4, "los registros", report) {
        let name = value(&row[0]).unwrap_or_else(|| "No aplica".to_owned());
        let kept = match retention(&row[1]) {
            Some(r) => r,
            None => {
                report.add(place, format!("el tiempo de conservación «{}» del registro «{name}» no se entiende («N años», «N meses» o «No aplica»): se escribió «No aplica»", row[1]));
                "No aplica".to_owned()
            }
        };
        let mut code = value(&row[3]);
        if let Some(c) = &code
            && c != "No aplica"
            && out.iter().any(|r| r.code.as_deref() == Some(c.as_str()))
        {
            report.add(
                place,
                format!("el código de registro «{c}» se repite: se quitó del segundo"),
            );
            code = None;
        }
        let record = Record {
            name,
            retention: kept,
            keeper: value(&row[2]).unwrap_or_else(|| "No aplica".to_owned()),
            code,
        };
        if out.contains(&record) {
            report.add(
                place,
                format!(
                    "el registro «{}» se repite: se escribió una vez",
                    record.name
                ),
            );
            continue;
        }
        out.push(record);
    }
    out
}

pub(crate) fn changes(body: &[Line], report: &mut Report) -> Vec<Change> {
    rows(body, 3, "los cambios de versión", report)
        .into_iter()
        .map(|row| Change {
            revision: value(&row[0]).unwrap_or_default(),
            date: value(&row[1]).unwrap_or_default(),
            description: value(&row[2]).unwrap_or_default(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::retention;

    #[test]
    fn retentions_as_the_format_writes_them() {
        assert_eq!(retention("1 Años").as_deref(), Some("1 año"));
        assert_eq!(retention("5 años").as_deref(), Some("5 años"));
        assert_eq!(retention("No Aplica").as_deref(), Some("No aplica"));
        assert_eq!(retention("permanente"), None);
    }
}
