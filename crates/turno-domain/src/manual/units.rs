//! The «Responsable» column matched to the organization's units, without regard to accents or
//! capitals: by name («Secretario Técnico»), by siglas («DGAO.»), by a name with its siglas
//! («Dirección General de Financiamiento (DGF)»), through the procedure's glossary («CAS:
//! Coordinación de Asesores») or by a unit's name followed by an alternative («Secretaría de
//! Relaciones Exteriores y/u Organismo Internacional»). A cell naming several units is split
//! where a new unit's name begins («…, Dirección de Asuntos Multilaterales y la Dirección de
//! …», «DGCEF (DEEF)», «… a través de la …»). What matches no unit stays as the manual's text
//! and is reported.

use super::lines::{Line, Place};
use super::sections::squash;
use super::{GlossaryEntry, Participant, Report, Unit};
use crate::text::fold;

/// Words a unit's name begins with: where a cell naming several units is split.
const UNIT_WORDS: [&str; 18] = [
    "direccion",
    "direcciones",
    "subdireccion",
    "subdirecciones",
    "departamento",
    "coordinacion",
    "secretaria",
    "secretario",
    "subsecretaria",
    "comision",
    "comisionado",
    "oficina",
    "unidad",
    "unidades",
    "jefatura",
    "division",
    "area",
    "areas",
];

const ARTICLES: [&str; 4] = ["la ", "el ", "las ", "los "];

/// A name folded for comparison: no accents, capitals, articles, end punctuation or double
/// spaces.
pub fn key_of(name: &str) -> String {
    let mut folded = squash(&fold(name));
    folded = folded
        .trim_end_matches(['.', ',', ';', ':'])
        .trim()
        .to_owned();
    for article in ARTICLES {
        if let Some(rest) = folded.strip_prefix(article) {
            folded = rest.to_owned();
        }
    }
    folded
}

/// Splits a responsible's text where another unit's name begins.
/// A responsible cell that chooses among candidates in each case, as `turno export manual`
/// writes it: «Dirección A, Dirección B (según «Direcciones que participan»)»: the names and
/// the field's label.
fn chosen_per_case(text: &str) -> Option<(String, String)> {
    let text = text.trim_end();
    let folded = fold(text);
    let at = folded.find("(segun ")?;
    // Folding keeps one character for each: the same place in the original.
    let at = text.char_indices().nth(folded[..at].chars().count())?.0;
    let inner = text[at..].strip_suffix(')')?;
    let field = inner
        .split_once(' ')?
        .1
        .trim()
        .trim_start_matches('«')
        .trim_end_matches('»');
    let names = text[..at].trim();
    (!names.is_empty() && !field.is_empty()).then(|| (names.to_owned(), field.to_owned()))
}

pub fn split_names(text: &str) -> Vec<String> {
    let text = squash(text);
    let text = text.trim_end_matches(['.', ',', ';']).trim();
    let mut out = Vec::new();
    for part in text
        .split(" a través de ")
        .flat_map(|p| p.split(" a traves de "))
    {
        let words: Vec<&str> = part.split(' ').collect();
        let mut current: Vec<&str> = Vec::new();
        let mut i = 0;
        while i < words.len() {
            let word = words[i];
            let trailing_comma = word.ends_with(',') || word.ends_with(';');
            let conjunction = matches!(fold(word).as_str(), "y" | "o" | "e");
            if conjunction || trailing_comma {
                // The next word, after an article, must begin a unit's name.
                let mut j = i + 1;
                if conjunction {
                    while j < words.len() && ARTICLES.iter().any(|a| a.trim() == fold(words[j])) {
                        j += 1;
                    }
                } else {
                    while j < words.len()
                        && (matches!(fold(words[j]).as_str(), "y" | "o" | "e")
                            || ARTICLES.iter().any(|a| a.trim() == fold(words[j])))
                    {
                        j += 1;
                    }
                }
                let begins = words.get(j).is_some_and(|w| {
                    UNIT_WORDS.contains(&fold(w).trim_end_matches([',', '.']).to_string().as_str())
                });
                if begins {
                    if trailing_comma {
                        current.push(word.trim_end_matches([',', ';']));
                    }
                    if !current.is_empty() {
                        out.push(current.join(" "));
                    }
                    current.clear();
                    i = j;
                    continue;
                }
            }
            current.push(word);
            i += 1;
        }
        if !current.is_empty() {
            out.push(current.join(" "));
        }
    }
    out.into_iter()
        .map(|n| n.trim().trim_end_matches(['.', ',', ';']).trim().to_owned())
        .filter(|n| !n.is_empty())
        .collect()
}

/// The body a unit's code belongs to: its first part («CNPSS-DGPO» → «CNPSS»).
fn body(code: &str) -> String {
    code.split('-').next().unwrap_or("").to_owned()
}

/// Whether the letters of `short` are in `long` in the same order.
fn subsequence(short: &str, long: &str) -> bool {
    let mut rest = long.chars();
    short.chars().all(|c| rest.any(|l| l == c))
}

/// «Nombre (SIGLAS)» → («Nombre», «SIGLAS»).
fn parenthesized(name: &str) -> Option<(String, String)> {
    let open = name.rfind('(')?;
    let close = name[open..].find(')')? + open;
    let inner = name[open + 1..close].trim();
    let outer = format!("{} {}", name[..open].trim(), name[close + 1..].trim());
    let outer = squash(&outer);
    (!inner.is_empty() && !outer.is_empty()).then(|| (outer, inner.to_owned()))
}

pub(crate) struct Matcher<'a> {
    units: &'a [Unit],
    glossary: Vec<(String, String)>,
    abbreviations: Vec<(String, String)>,
    participants: Vec<Participant>,
}

impl<'a> Matcher<'a> {
    pub fn new(units: &'a [Unit], glossary: &[GlossaryEntry]) -> Matcher<'a> {
        Matcher {
            units,
            glossary: glossary
                .iter()
                .map(|e| (key_of(&e.term), e.definition.clone()))
                .collect(),
            abbreviations: Vec::new(),
            participants: Vec::new(),
        }
    }

    pub fn participants(self) -> Vec<Participant> {
        self.participants
    }

    /// The participant of activities whose responsible the manual does not say: declared
    /// without a unit, for the reviewer to assign.
    pub fn unassigned(&mut self) -> String {
        if let Some(p) = self.participants.iter().find(|p| p.key == "POR_ASIGNAR") {
            return p.key.clone();
        }
        self.participants.push(Participant {
            key: "POR_ASIGNAR".to_owned(),
            name: "Responsable por asignar".to_owned(),
            unit: None,
            external: false,
        });
        "POR_ASIGNAR".to_owned()
    }

    /// The participant keys a responsible cell names, declaring the new ones.
    pub fn responsibles(&mut self, lines: &[Line], report: &mut Report) -> Vec<String> {
        let mut keys: Vec<String> = Vec::new();
        let mut group: Vec<&Line> = Vec::new();
        let mut groups: Vec<(Place, String)> = Vec::new();
        // Lines run together until a blank line or a line that ends a name («.»).
        for line in lines {
            let text = line.trimmed();
            if text.is_empty() {
                if !group.is_empty() {
                    groups.push((
                        group[0].place,
                        group
                            .iter()
                            .map(|l| l.trimmed())
                            .collect::<Vec<_>>()
                            .join(" "),
                    ));
                    group.clear();
                }
                continue;
            }
            group.push(line);
        }
        if !group.is_empty() {
            groups.push((
                group[0].place,
                group
                    .iter()
                    .map(|l| l.trimmed())
                    .collect::<Vec<_>>()
                    .join(" "),
            ));
        }
        for (place, text) in groups {
            let text = match chosen_per_case(&text) {
                Some((names, field)) => {
                    report.add(
                        place,
                        format!(
                            "los responsables «{names}» se eligen en cada caso según «{field}»: se leyeron como responsables; declare el campo y `responsible_from`"
                        ),
                    );
                    names
                }
                None => text,
            };
            for name in split_names(&text) {
                for key in self.names(&name, place, report) {
                    if !keys.contains(&key) {
                        keys.push(key);
                    }
                }
            }
        }
        keys
    }

    /// One name, or a name with siglas of another unit in parentheses («DGCEF (DEEF)»).
    fn names(&mut self, name: &str, place: Place, report: &mut Report) -> Vec<String> {
        if let Some((outer, inner)) = parenthesized(name) {
            let outer_unit = self.find(&outer);
            let inner_unit = self.find(&inner);
            match (outer_unit, inner_unit) {
                (Some(a), Some(b)) if a != b => {
                    return vec![
                        self.declare(&outer, Some(a), place, report),
                        self.declare(&inner, Some(b), place, report),
                    ];
                }
                _ => {
                    if !self.abbreviations.iter().any(|(s, _)| *s == key_of(&inner)) {
                        self.abbreviations.push((key_of(&inner), outer.clone()));
                    }
                    let unit = outer_unit.or(inner_unit);
                    return vec![self.declare(name, unit, place, report)];
                }
            }
        }
        let unit = self.find(name);
        vec![self.declare(name, unit, place, report)]
    }

    /// The unit a name designates: its index in `units`.
    fn find(&self, name: &str) -> Option<usize> {
        let key = key_of(name);
        let by_name = |key: &str| -> Vec<usize> {
            self.units
                .iter()
                .enumerate()
                .filter(|(_, u)| key_of(&u.name) == key)
                .map(|(i, _)| i)
                .collect()
        };
        let by_siglas = |key: &str| -> Vec<usize> {
            self.units
                .iter()
                .enumerate()
                .filter(|(_, u)| u.siglas.as_deref().is_some_and(|s| key_of(s) == key))
                .map(|(i, _)| i)
                .collect()
        };
        let mut found = by_name(&key);
        if found.is_empty() {
            found = by_siglas(&key);
        }
        if found.is_empty()
            && let Some((_, long)) = self.abbreviations.iter().find(|(s, _)| *s == key)
        {
            found = by_name(&key_of(long));
        }
        if found.is_empty()
            && let Some((_, definition)) = self.glossary.iter().find(|(t, _)| *t == key)
        {
            found = by_name(&key_of(definition));
        }
        if found.is_empty() {
            // «Secretaría de Relaciones Exteriores y/u Organismo Internacional»: a unit's name
            // of three words or more followed by an alternative.
            let mut best: Option<(usize, usize)> = None;
            for (i, unit) in self.units.iter().enumerate() {
                let unit_key = key_of(&unit.name);
                if unit_key.split(' ').count() < 3 {
                    continue;
                }
                if let Some(rest) = key.strip_prefix(&unit_key)
                    && [" y/u ", " y/o ", " o ", " u "]
                        .iter()
                        .any(|c| rest.starts_with(c))
                    && best.is_none_or(|(_, len)| unit_key.len() > len)
                {
                    best = Some((i, unit_key.len()));
                }
            }
            found = best.map(|(i, _)| vec![i]).unwrap_or_default();
        }
        if found.is_empty() && !key.is_empty() {
            // «Comisionado Nacional», «Comisionado»: the first words of one unit's name, and
            // of no other (reported for confirmation).
            let longer: Vec<usize> = self
                .units
                .iter()
                .enumerate()
                .filter(|(_, u)| {
                    key_of(&u.name)
                        .strip_prefix(&key)
                        .is_some_and(|rest| rest.starts_with(' '))
                })
                .map(|(i, _)| i)
                .collect();
            if longer.len() == 1 {
                found = longer;
            }
        }
        if found.is_empty() {
            found = self.longer_siglas(name);
        }
        match found.as_slice() {
            [] => None,
            [one] => Some(*one),
            many => {
                // The same name in two bodies («Coordinación de Asesores»): the body of the
                // units already matched in this procedure.
                let prefix = |i: usize| body(&self.units[i].code);
                let known = self.known_bodies();
                many.iter()
                    .copied()
                    .max_by_key(|&i| known.iter().filter(|k| **k == prefix(i)).count())
            }
        }
    }

    /// The bodies (the code's first part, «CNPSS») of the units matched so far.
    fn known_bodies(&self) -> Vec<String> {
        self.participants
            .iter()
            .filter_map(|p| p.unit.as_deref())
            .map(body)
            .collect()
    }

    /// «DGCSPO» where the organization has DGPO: siglas no unit has, of a name with more words
    /// than the unit's (each word gives a letter), read as the unit whose siglas are the same
    /// letters with some left out, beginning with the same two and ending with the same one.
    /// Several such units: those of the bodies of the units already matched in the procedure,
    /// when that leaves one (reported for confirmation, as every name read as another).
    fn longer_siglas(&self, name: &str) -> Vec<usize> {
        let word = name.trim();
        let count = word.chars().count();
        if !(4..=12).contains(&count) || !word.chars().all(|c| c.is_ascii_uppercase()) {
            return Vec::new();
        }
        let word = word.to_ascii_lowercase();
        let fits = |siglas: &str| {
            let siglas = siglas.to_ascii_lowercase();
            siglas.len() >= 3
                && siglas.len() < word.len()
                && siglas.is_ascii()
                && word.get(..2) == siglas.get(..2)
                && word.chars().last() == siglas.chars().last()
                && subsequence(&siglas, &word)
        };
        let candidates: Vec<usize> = self
            .units
            .iter()
            .enumerate()
            .filter(|(_, u)| u.siglas.as_deref().is_some_and(fits))
            .map(|(i, _)| i)
            .collect();
        if candidates.len() <= 1 {
            return candidates;
        }
        let known = self.known_bodies();
        let near: Vec<usize> = candidates
            .into_iter()
            .filter(|&i| known.contains(&body(&self.units[i].code)))
            .collect();
        if near.len() == 1 { near } else { Vec::new() }
    }

    /// The key of the participant for `name`, declaring it the first time.
    fn declare(
        &mut self,
        name: &str,
        unit: Option<usize>,
        place: Place,
        report: &mut Report,
    ) -> String {
        let name = squash(name)
            .trim_end_matches(['.', ',', ';'])
            .trim()
            .to_owned();
        let code = unit.map(|i| self.units[i].code.clone());
        if let Some(p) = self
            .participants
            .iter()
            .find(|p| (code.is_some() && p.unit == code) || key_of(&p.name) == key_of(&name))
        {
            return p.key.clone();
        }
        let ambiguous = unit.is_some_and(|i| {
            self.units
                .iter()
                .filter(|u| key_of(&u.name) == key_of(&self.units[i].name))
                .count()
                > 1
        });
        let wanted = unit
            .and_then(|i| self.units[i].siglas.clone())
            .or_else(|| {
                self.abbreviations
                    .iter()
                    .find(|(_, long)| key_of(long) == key_of(&name))
                    .map(|(s, _)| s.to_uppercase())
            })
            .or_else(|| {
                self.glossary
                    .iter()
                    .find(|(_, d)| key_of(d) == key_of(&name))
                    .map(|(t, _)| t.to_uppercase())
            })
            .filter(|k| {
                k.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
            })
            .unwrap_or_else(|| initials(&name));
        let mut key = wanted.clone();
        let mut n = 2;
        while self.participants.iter().any(|p| p.key == key) {
            key = format!("{wanted}{n}");
            n += 1;
        }
        // The manual's words, but a bare siglas is written as the unit's name.
        let shown = match unit {
            Some(i)
                if self.units[i]
                    .siglas
                    .as_deref()
                    .is_some_and(|s| key_of(s) == key_of(&name)) =>
            {
                self.units[i].name.clone()
            }
            _ => name.clone(),
        };
        match unit {
            None => report.add(
                place,
                format!("el responsable «{name}» no corresponde a ninguna unidad de la organización: se dejó como texto (participante {key}); asígnele su unidad"),
            ),
            Some(i) if ambiguous => report.add(
                place,
                format!("el responsable «{name}» tiene el nombre de varias unidades: se eligió {} por las demás unidades del procedimiento; confírmelo", self.units[i].code),
            ),
            Some(i) if key_of(&self.units[i].name) != key_of(&name) && self.units[i].siglas.as_deref().is_none_or(|s| key_of(s) != key_of(&name)) && !name.contains('(') => report.add(
                place,
                format!("el responsable «{name}» se leyó como la unidad {} («{}»); confírmelo", self.units[i].code, self.units[i].name),
            ),
            Some(_) => {}
        }
        self.participants.push(Participant {
            key: key.clone(),
            name: shown,
            unit: code,
            external: unit.is_some_and(|i| self.units[i].external),
        });
        key
    }
}

/// The initials of a name's significant words, a number whole: «Secretario Técnico» → «ST»,
/// «Enlace de la Unidad Responsable» → «EUR», «Lane 12» → «L12».
pub fn initials(name: &str) -> String {
    const SMALL: [&str; 12] = [
        "de", "del", "la", "las", "el", "los", "y", "e", "o", "u", "para", "con",
    ];
    let mut key = String::new();
    for word in fold(name)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty() && !SMALL.contains(w))
    {
        if word.chars().all(|c| c.is_ascii_digit()) {
            key.push_str(word);
            continue;
        }
        let first = match word.chars().next() {
            Some('ñ') => 'N',
            Some(c) => c.to_ascii_uppercase(),
            None => continue,
        };
        if first.is_ascii_alphanumeric() {
            key.push(first);
        }
    }
    if key.is_empty() { "P".to_owned() } else { key }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn candidates_chosen_per_case_are_the_names_before_the_field() {
        assert_eq!(
            chosen_per_case(
                "Dirección de Archivo, Dirección de Correspondencia (según «Áreas que revisan (regla 2.1)»)"
            ),
            Some((
                "Dirección de Archivo, Dirección de Correspondencia".to_owned(),
                "Áreas que revisan (regla 2.1)".to_owned()
            ))
        );
        assert_eq!(chosen_per_case("Dirección de Archivo (DA)"), None);
    }

    #[test]
    fn cells_naming_several_units_are_split_where_a_unit_begins() {
        assert_eq!(
            split_names(
                "Dirección de Coordinación Institucional para la Salud del Migrante, Dirección de Asuntos Multilaterales y la Dirección de Cooperación Bilateral y Regional."
            ),
            [
                "Dirección de Coordinación Institucional para la Salud del Migrante",
                "Dirección de Asuntos Multilaterales",
                "Dirección de Cooperación Bilateral y Regional",
            ]
        );
        assert_eq!(
            split_names(
                "Subdirección de Asuntos de América del Norte, Europa, Asia y África, Subdirección de Gestión Interamericana,"
            ),
            [
                "Subdirección de Asuntos de América del Norte, Europa, Asia y África",
                "Subdirección de Gestión Interamericana"
            ]
        );
        assert_eq!(initials("Secretario Técnico"), "ST");
        assert_eq!(initials("Enlace de la Unidad Responsable"), "EUR");
        assert_eq!(initials("Lane 12"), "L12");
    }

    fn unit(code: &str, name: &str, siglas: &str) -> Unit {
        Unit {
            code: code.to_owned(),
            name: name.to_owned(),
            siglas: Some(siglas.to_owned()),
            external: false,
        }
    }

    #[test]
    fn siglas_with_more_letters_are_the_unit_whose_siglas_they_hold() {
        let units = [
            unit(
                "CNPSS-DGPO",
                "Dirección General del Programa Oportunidades",
                "DGPO",
            ),
            unit(
                "CNPSS-DGAO",
                "Dirección General de Afiliación y Operación",
                "DGAO",
            ),
            unit("CNPSS-DGF", "Dirección General de Financiamiento", "DGF"),
        ];
        let matcher = Matcher::new(&units, &[]);
        assert_eq!(matcher.find("DGCSPO"), Some(0));
        // Another first letter, another last one, or letters the siglas do not hold: none.
        assert_eq!(matcher.find("SGCSPO"), None);
        assert_eq!(matcher.find("DGCSPA"), None);
        assert_eq!(matcher.find("DGXYZ"), None);
        // Two units could be meant: none is chosen.
        let units = [
            unit(
                "A-DGPO",
                "Dirección General del Programa Oportunidades",
                "DGPO",
            ),
            unit("B-DGCO", "Dirección General de Comunicación", "DGCO"),
        ];
        assert_eq!(Matcher::new(&units, &[]).find("DGCSPO"), None);
    }
}
