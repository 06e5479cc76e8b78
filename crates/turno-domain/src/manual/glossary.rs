//! 8.0 Glosario («8.1 CAS: Coordinación de Asesores.», «8.2 Acuerdo.- Acuerdo por el que …»)
//! and 10.0 Anexos («10.1 Seguimiento de informes oficiales. CAS-RS-RE-170»).

use super::lines::Line;
use super::sections::paragraphs;
use super::table::short;
use super::{Annex, GlossaryEntry, Report};
use crate::text::fold;

/// The term and its definition: split at the first «.-», «:», « - » or « – ».
fn split(text: &str) -> Option<(String, String)> {
    let at = [".-", ":", " - ", " – ", "—"]
        .iter()
        .filter_map(|sep| text.find(sep).map(|i| (i, sep.len())))
        .min_by_key(|&(i, _)| i)?;
    let term = text[..at.0].trim().trim_end_matches('.').trim();
    let definition = text[at.0 + at.1..].trim();
    (!term.is_empty() && !definition.is_empty()).then(|| (term.to_owned(), definition.to_owned()))
}

fn not_applicable(text: &str) -> bool {
    let folded = fold(text);
    let folded = folded.trim_end_matches('.');
    folded == "no aplica" || folded.starts_with("no hay ") || folded == "n/a"
}

pub(crate) fn glossary(body: &[Line], report: &mut Report) -> Vec<GlossaryEntry> {
    let mut out: Vec<GlossaryEntry> = Vec::new();
    for (place, number, text) in paragraphs(body) {
        if not_applicable(&text) {
            continue;
        }
        let Some((term, definition)) = split(&text) else {
            report.add(
                place,
                format!(
                    "entrada del glosario sin «término: definición»: «{}»; no se leyó",
                    short(&text)
                ),
            );
            continue;
        };
        let number = match number {
            Some(n) if out.iter().any(|e| e.number.as_deref() == Some(n.as_str())) => {
                report.add(
                    place,
                    format!("el número {n} se repite en el glosario: se quitó del segundo"),
                );
                None
            }
            other => other,
        };
        out.push(GlossaryEntry {
            number,
            term,
            definition,
        });
    }
    out
}

/// A code at the end of an annex line: capitals, digits and «-», with a digit or a «-».
fn code(word: &str) -> bool {
    word.len() >= 4
        && word
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-')
        && word.chars().any(|c| c.is_ascii_digit() || c == '-')
        && word.chars().any(|c| c.is_ascii_uppercase())
}

pub(crate) fn annexes(body: &[Line], report: &mut Report) -> Vec<Annex> {
    let mut out: Vec<Annex> = Vec::new();
    for (place, number, text) in paragraphs(body) {
        if not_applicable(&text) {
            continue;
        }
        let words: Vec<&str> = text.split_whitespace().collect();
        let (name, code_found) = match words.split_last() {
            Some((last, rest)) if !rest.is_empty() && code(last.trim_end_matches('.')) => {
                (rest.join(" "), Some(last.trim_end_matches('.').to_owned()))
            }
            _ => (text.clone(), None),
        };
        let name = name.trim().trim_end_matches('.').trim().to_owned();
        let code_found = match code_found {
            Some(c) if out.iter().any(|a| a.code.as_deref() == Some(c.as_str())) => {
                report.add(
                    place,
                    format!("el código de anexo «{c}» se repite: se quitó del segundo"),
                );
                None
            }
            other => other,
        };
        let number = match number {
            Some(n) if out.iter().any(|a| a.number.as_deref() == Some(n.as_str())) => {
                report.add(
                    place,
                    format!("el número de anexo {n} se repite: se quitó del segundo"),
                );
                None
            }
            other => other,
        };
        out.push(Annex {
            number,
            name,
            code: code_found,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terms_split_at_the_manuals_separators() {
        assert_eq!(
            split("CAS: Coordinación de Asesores."),
            Some(("CAS".into(), "Coordinación de Asesores.".into()))
        );
        assert_eq!(
            split("Acuerdo.- Acuerdo por el que"),
            Some(("Acuerdo".into(), "Acuerdo por el que".into()))
        );
        assert!(code("CAS-RS-RE-170"));
        assert!(!code("MAS-IO)"));
    }
}
