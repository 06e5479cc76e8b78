//! Spanish text the way people type and read it: "Sí", "si" and "SI" are the same answer; a
//! date reads dd/mm/aaaa on every page and message; one thing is singular; and what people may
//! type at all (`control`: the one rule on control characters for every edge and every file).

/// Collapses runs of white space into one space and trims ("Gateway&#xD;&#xA;(Split Flow)"
/// → "Gateway (Split Flow)").
pub fn squash(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A date as people in Mexico read it: `06/12/2026`. Every page and message shows dates so;
/// files and the API keep `2026-12-06`.
pub fn day(date: jiff::civil::Date) -> String {
    date.strftime("%d/%m/%Y").to_string()
}

/// `count` with the noun that agrees with it: «1 pendiente», «2 pendientes».
pub fn count(count: impl std::fmt::Display, singular: &str, plural: &str) -> String {
    let count = count.to_string();
    let noun = if count == "1" { singular } else { plural };
    format!("{count} {noun}")
}

/// `text` with its first letter in capitals, to begin a sentence or a label («En trámite»).
pub fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// The SHA-256 of `bytes` in lowercase hexadecimal: how a document, a signed text or an
/// event's hash is named.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    hex(&Sha256::digest(bytes))
}

/// `bytes` in lowercase hexadecimal.
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(DIGITS[usize::from(b >> 4)] as char);
        s.push(DIGITS[usize::from(b & 0xf)] as char);
    }
    s
}

/// How many lines a typed text may have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lines {
    /// A name, a title, a code, a search: no line breaks, tabs or other control characters.
    One,
    /// A note, a narrative, a reason: line breaks and tabs, no other control character.
    Many,
}

/// The first control character `text` may not carry (NUL among them), and its position in
/// characters from 1: the one rule for every text a person types, whatever the edge (a form,
/// the API, a file's cell), so that the stores, which refuse them too, never see one.
pub fn control(text: &str, lines: Lines) -> Option<(usize, char)> {
    text.chars()
        .enumerate()
        .find(|&(_, c)| {
            c.is_control() && !(lines == Lines::Many && matches!(c, '\n' | '\r' | '\t'))
        })
        .map(|(i, c)| (i + 1, c))
}

/// Why a text with a control character is refused, in words: «lleva un carácter de control
/// (U+0000) en la posición 4: quítelo».
pub fn control_reason(text: &str, lines: Lines) -> Option<String> {
    control(text, lines).map(|(at, c)| {
        let which = match c {
            '\n' | '\r' => "un salto de línea".to_owned(),
            '\t' => "un tabulador".to_owned(),
            c => format!("un carácter de control (U+{:04X})", u32::from(c)),
        };
        let only = if lines == Lines::One {
            ": va en una sola línea"
        } else {
            ""
        };
        format!("lleva {which} en la posición {at}{only}; quítelo")
    })
}

/// Lowercases and removes the accents of Spanish vowels (ñ stays ñ), so that comparisons
/// tolerate the manuals' and the users' inconsistent accents.
pub fn fold(s: &str) -> String {
    folded(s).collect()
}

/// Whether two texts are the same once folded, without building either: for comparisons
/// repeated on every row of a large file.
pub fn same(a: &str, b: &str) -> bool {
    let (a, b) = (a.trim(), b.trim());
    // Without accents or ñ, folding is ASCII lowercasing, which needs no decoding.
    if a.is_ascii() && b.is_ascii() {
        return a.eq_ignore_ascii_case(b);
    }
    folded(a).eq(folded(b))
}

fn folded(s: &str) -> impl Iterator<Item = char> + '_ {
    s.trim()
        .chars()
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            'á' | 'à' | 'ä' => 'a',
            'é' | 'è' | 'ë' => 'e',
            'í' | 'ì' | 'ï' => 'i',
            'ó' | 'ò' | 'ö' => 'o',
            'ú' | 'ù' | 'ü' => 'u',
            other => other,
        })
}

#[cfg(test)]
mod tests {
    use super::{Lines, capitalized, control, control_reason, count, day, fold, same};

    #[test]
    fn control_characters_are_refused_but_line_breaks_in_texts_of_lines() {
        assert_eq!(control("a\0b", Lines::Many), Some((2, '\0')));
        assert_eq!(control("línea\r\nsegunda\tcol", Lines::Many), None);
        assert_eq!(control("línea\nsegunda", Lines::One), Some((6, '\n')));
        assert_eq!(control("\u{1b}[31m", Lines::Many), Some((1, '\u{1b}')));
        assert_eq!(control("\u{85}", Lines::Many), Some((1, '\u{85}')));
        let reason = control_reason("ab\0", Lines::One).unwrap();
        assert!(
            reason.contains("U+0000") && reason.contains("posición 3"),
            "{reason}"
        );
    }

    #[test]
    fn a_day_reads_day_month_year_and_one_is_singular() {
        assert_eq!(day(jiff::civil::date(2026, 12, 6)), "06/12/2026");
        assert_eq!(count(1, "pendiente", "pendientes"), "1 pendiente");
        assert_eq!(count(0, "pendiente", "pendientes"), "0 pendientes");
        assert_eq!(count(2, "día hábil", "días hábiles"), "2 días hábiles");
        assert_eq!(capitalized("en trámite"), "En trámite");
        assert_eq!(capitalized("ñandú"), "Ñandú");
        assert_eq!(capitalized(""), "");
    }

    #[test]
    fn accents_and_case_do_not_matter_but_enie_does() {
        assert_eq!(fold(" Sí "), "si");
        assert_eq!(fold("DÍAS HÁBILES"), "dias habiles");
        assert_eq!(fold("Año"), "año");
        assert!(same(" Querétaro", "QUERETARO "));
        assert!(!same("Año", "ano"));
    }
}
