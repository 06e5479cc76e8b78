//! The procedures of a manual and their sections: a procedure begins at its title
//! («91.- PROCEDIMIENTO DE …»), a section at its heading («4.0 Descripción del procedimiento»,
//! or the number and the name on two lines); numbered paragraphs («3.2 Es responsabilidad …»)
//! are read from propósito, alcance and políticas.

use super::lines::{Line, Place};
use super::{Draft, Numbered, Report, Unit};
use crate::text::fold;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Purpose,
    Scope,
    Policies,
    Description,
    Diagram,
    References,
    Records,
    Glossary,
    Changes,
    Annexes,
}

const NAMES: [(&str, Section); 12] = [
    ("proposito", Section::Purpose),
    ("objetivo", Section::Purpose),
    ("alcance", Section::Scope),
    ("politicas", Section::Policies),
    ("descripcion del procedimiento", Section::Description),
    ("diagrama", Section::Diagram),
    ("documentos de referencia", Section::References),
    ("registros", Section::Records),
    ("glosario", Section::Glossary),
    ("cambios", Section::Changes),
    ("anexos", Section::Annexes),
    ("anexo", Section::Annexes),
];

/// A procedure's text, cut into sections.
#[derive(Debug, Clone)]
pub struct ProcedureText {
    pub number: Option<String>,
    pub title: String,
    pub place: Place,
    pub sections: Vec<(Section, Place, Vec<Line>)>,
}

pub use crate::text::squash;

/// The procedure number and title a title line gives: «91.- PROCEDIMIENTO DE …» →
/// (`91`, «PROCEDIMIENTO DE …»).
fn title(line: &Line) -> Option<(Option<String>, String)> {
    if line.is_cell() {
        return None;
    }
    let text = line.trimmed();
    let digits: String = text.chars().take_while(char::is_ascii_digit).collect();
    let rest = text[digits.len()..].trim_start_matches(['.', '-', ' ', '–', ')']);
    if !fold(rest).starts_with("procedimiento ") {
        return None;
    }
    if digits.is_empty() {
        // Unnumbered: only a heading in capitals («PROCEDIMIENTO PARA …»), not a sentence.
        if rest.chars().any(char::is_lowercase) || rest.len() < 25 {
            return None;
        }
        return Some((None, rest.to_owned()));
    }
    (rest != text).then(|| (Some(digits), rest.to_owned()))
}

/// A title Turno's own export writes (`turno export manual`): one to three lines right before
/// «Clave KEY, versión N», numbered («2. Procedimiento para …») or not. Its number, its text
/// and how many lines it takes with that line.
fn identified_title(lines: &[Line], at: usize) -> Option<(Option<String>, String, usize)> {
    if at > 0 && !lines[at - 1].trimmed().is_empty() {
        return None;
    }
    let size = (1..=3).find(|&k| lines.get(at + k).is_some_and(identification))?;
    let part = &lines[at..at + size];
    if part
        .iter()
        .any(|l| l.is_cell() || l.trimmed().is_empty() || identification(l))
    {
        return None;
    }
    let text = part.iter().map(Line::trimmed).collect::<Vec<_>>().join(" ");
    let digits: String = text.chars().take_while(char::is_ascii_digit).collect();
    let numbered = text[digits.len()..].strip_prefix(". ");
    Some(match numbered {
        Some(rest) if !digits.is_empty() => (Some(digits), rest.trim().to_owned(), size + 1),
        _ => (None, text, size + 1),
    })
}

/// «Clave acuerdos-reunion, versión 1»: the line that identifies the definition a manual
/// exported by Turno was made from.
fn identification(line: &Line) -> bool {
    let text = line.trimmed();
    let Some(rest) = text.strip_prefix("Clave ") else {
        return false;
    };
    let Some((key, version)) = rest.split_once(", versión ") else {
        return false;
    };
    !key.is_empty()
        && !key.contains(char::is_whitespace)
        && !version.is_empty()
        && version.chars().all(|c| c.is_ascii_digit())
}

/// The section a line heads, and how many lines the heading takes (1, or 2 when the number
/// and the name are on separate lines).
fn heading(lines: &[Line], at: usize) -> Option<(Section, usize)> {
    let line = &lines[at];
    if line.is_cell() {
        return None;
    }
    let text = fold(line.trimmed());
    let number: String = text
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '.')
        .collect();
    let named = |name: &str| {
        let name = name.trim_end_matches([':', '.', ' ']);
        NAMES
            .iter()
            .find(|(prefix, _)| name.starts_with(prefix))
            .map(|&(_, s)| s)
    };
    if number.is_empty() {
        // «DESCRIPCIÓN DEL PROCEDIMIENTO» without its number: the whole line is the name.
        let bare = text.trim_end_matches([':', '.', ' ']);
        return NAMES
            .iter()
            .find(|(name, s)| bare == *name && *s == Section::Description)
            .map(|&(_, s)| (s, 1));
    }
    let whole = number.trim_end_matches('.');
    let major = whole.strip_suffix(".0")?;
    if major.is_empty() || major.contains('.') {
        return None;
    }
    let rest = text[number.len()..].trim();
    if !rest.is_empty() {
        return named(rest).map(|s| (s, 1));
    }
    let next = lines
        .get(at + 1..)?
        .iter()
        .take(3)
        .position(|l| !l.trimmed().is_empty())?;
    let name = &lines[at + 1 + next];
    if name.is_cell() {
        return None;
    }
    named(&fold(name.trimmed())).map(|s| (s, next + 2))
}

/// Every procedure of the manual, in order.
pub fn procedures(lines: &[Line]) -> Vec<ProcedureText> {
    let mut out: Vec<ProcedureText> = Vec::new();
    let mut at = 0;
    while at < lines.len() {
        if let Some((number, text, size)) = identified_title(lines, at) {
            out.retain(|p| !p.sections.is_empty());
            out.push(ProcedureText {
                number,
                title: squash(&text),
                place: lines[at].place,
                sections: Vec::new(),
            });
            at += size;
            continue;
        }
        if let Some((number, text)) = title(&lines[at]) {
            // A page header repeats the title of the procedure it is in: not a new one.
            if number.is_some() && out.last().is_some_and(|p| p.number == number) {
                at += 1;
                continue;
            }
            // A title with no section after it was an entry of the manual's index.
            if out.last().is_some_and(|p| p.sections.is_empty()) {
                out.pop();
            }
            out.push(ProcedureText {
                number,
                title: squash(&text),
                place: lines[at].place,
                sections: Vec::new(),
            });
            at += 1;
            continue;
        }
        let Some(current) = out.last_mut() else {
            at += 1;
            continue;
        };
        if let Some((section, size)) = heading(lines, at) {
            current
                .sections
                .push((section, lines[at].place, Vec::new()));
            at += size;
            continue;
        }
        if let Some((_, _, body)) = current.sections.last_mut() {
            body.push(lines[at].clone());
        } else if !lines[at].trimmed().is_empty()
            && current.sections.is_empty()
            && at > 0
            && lines[at - 1].place.line == current.place.line
        {
            // A title that runs onto the line right after it (a PDF's line breaks).
            let more = lines[at].trimmed();
            if more.chars().all(|c| !c.is_lowercase()) {
                current.title = squash(&format!("{} {more}", current.title));
            }
        }
        at += 1;
    }
    if out.last().is_some_and(|p| p.sections.is_empty()) {
        out.pop();
    }
    out
}

/// A numbered paragraph's number and text: «3.1. Es …», «2.1.- A nivel …», «2..2 A …».
pub fn numbered(text: &str) -> Option<(String, String)> {
    let text = text.trim();
    let head: String = text
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '.')
        .collect();
    let parts: Vec<&str> = head.split('.').filter(|p| !p.is_empty()).collect();
    if parts.len() < 2 || parts.iter().any(|p| p.len() > 3) {
        return None;
    }
    let rest = text[head.len()..].trim_start_matches(['-', ')', ' ', '\t']);
    if rest.is_empty() {
        return None;
    }
    Some((parts.join("."), rest.to_owned()))
}

/// The numbered paragraphs of a section; a line without a number continues the paragraph
/// before it.
pub fn paragraphs(lines: &[Line]) -> Vec<(Place, Option<String>, String)> {
    let mut out: Vec<(Place, Option<String>, String)> = Vec::new();
    for line in lines {
        let text = line.trimmed();
        if text.is_empty() {
            continue;
        }
        match numbered(text) {
            Some((number, rest)) => out.push((line.place, Some(number), squash(&rest))),
            None => match out.last_mut() {
                Some((_, _, paragraph)) => {
                    paragraph.push(' ');
                    paragraph.push_str(&squash(text));
                }
                None => out.push((line.place, None, squash(text))),
            },
        }
    }
    out
}

/// Sentence case for a title printed in capitals: «PROCEDIMIENTO PARA EL …» →
/// «Procedimiento para el …».
fn sentence(title: &str) -> (String, bool) {
    let title = title.trim_end_matches(['.', ' ']);
    if title.chars().any(char::is_lowercase) {
        return (title.to_owned(), false);
    }
    let lower = title.to_lowercase();
    (crate::text::capitalized(&lower), true)
}

/// The draft of one procedure.
pub(crate) fn draft(procedure: &ProcedureText, units: &[Unit], report: &mut Report) -> Draft {
    let (title, recased) = sentence(&procedure.title);
    if recased {
        report.add(
            procedure.place,
            "el título está en mayúsculas: se escribió en minúsculas; revise las mayúsculas de \
             los nombres propios y los acentos",
        );
    }
    let mut draft = Draft {
        number: procedure.number.clone(),
        title,
        place: procedure.place,
        ..Draft::default()
    };
    let mut seen = std::collections::BTreeSet::new();
    for (section, place, body) in &procedure.sections {
        if !seen.insert(format!("{section:?}")) && *section != Section::Diagram {
            report.add(
                *place,
                "la sección aparece dos veces en el procedimiento: se leyó la primera",
            );
            continue;
        }
        match section {
            Section::Purpose => draft.purpose = plain(body),
            Section::Scope => draft.scope = plain(body),
            Section::Policies => draft.policies = policies(body, report),
            Section::Description => {}
            Section::Diagram => {}
            Section::References => draft.references = super::records::references(body, report),
            Section::Records => draft.records = super::records::records(body, report),
            Section::Glossary => draft.glossary = super::glossary::glossary(body, report),
            Section::Changes => draft.changes = super::records::changes(body, report),
            Section::Annexes => draft.annexes = super::glossary::annexes(body, report),
        }
    }
    let glossary = draft.glossary.clone();
    match procedure
        .sections
        .iter()
        .find(|(s, _, _)| *s == Section::Description)
    {
        Some((_, _, body)) => {
            let (stages, participants) = super::table::read(body, units, &glossary, report);
            draft.stages = stages;
            draft.participants = participants;
        }
        None => report.add(
            procedure.place,
            "el procedimiento no tiene la sección «Descripción del procedimiento»: no se leyó \
             ninguna actividad",
        ),
    }
    for (what, empty) in [
        ("1.0 Propósito", draft.purpose.is_empty()),
        ("2.0 Alcance", draft.scope.is_empty()),
    ] {
        if empty {
            report.add(
                procedure.place,
                format!("no se encontró la sección «{what}»"),
            );
        }
    }
    draft
}

fn plain(body: &[Line]) -> Vec<String> {
    paragraphs(body)
        .into_iter()
        .map(|(_, number, text)| match number {
            Some(n) => format!("{n} {text}"),
            None => text,
        })
        .collect()
}

fn policies(body: &[Line], report: &mut Report) -> Vec<Numbered> {
    let mut out: Vec<Numbered> = Vec::new();
    for (place, number, text) in paragraphs(body) {
        let mut entry = Numbered {
            number: number.clone(),
            manual_number: None,
            text,
        };
        if let Some(n) = &number
            && out.iter().any(|p| p.number.as_deref() == Some(n))
        {
            let mut id = format!("{n}b");
            while out.iter().any(|p| p.number.as_deref() == Some(id.as_str())) {
                id.push('b');
            }
            report.add(
                place,
                format!("la política {n} está numerada dos veces: la segunda se lee como «{id}»"),
            );
            entry.number = Some(id);
            entry.manual_number = Some(n.clone());
        }
        out.push(entry);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbered_paragraphs_tolerate_the_manuals_punctuation() {
        assert_eq!(numbered("3.1. Es"), Some(("3.1".into(), "Es".into())));
        assert_eq!(
            numbered("2.1.- A nivel"),
            Some(("2.1".into(), "A nivel".into()))
        );
        assert_eq!(
            numbered("2..2 A nivel"),
            Some(("2.2".into(), "A nivel".into()))
        );
        assert_eq!(numbered("1.0"), None);
        assert_eq!(numbered("Texto 3.1"), None);
    }
}
