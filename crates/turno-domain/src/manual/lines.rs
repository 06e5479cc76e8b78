//! The manual's text as numbered lines, each with the page it is on: a form feed (`\f`, as
//! `pdftotext` ends each page) starts a new page, and a page header of the manual
//! («Hoja 3 de 8», «Página 3 de 8») names the page it heads.

use crate::text::fold;

/// Where something is in the manual: its page (from 1) and its line in the text (from 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Place {
    pub page: u32,
    pub line: u32,
}

impl std::fmt::Display for Place {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "página {}, línea {}", self.page, self.line)
    }
}

/// One line of the manual, its form feeds removed and its end trimmed.
#[derive(Debug, Clone)]
pub struct Line {
    pub text: String,
    pub place: Place,
}

impl Line {
    /// Whether the line opens a table cell (the text of a table starts each cell with a tab).
    pub fn is_cell(&self) -> bool {
        self.text.starts_with('\t')
    }

    pub fn trimmed(&self) -> &str {
        self.text.trim()
    }
}

/// Splits the text into lines and numbers their pages.
pub fn lines(text: &str) -> Vec<Line> {
    let mut page = 1;
    let mut out = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let feeds = raw.matches('\u{c}').count();
        page += u32::try_from(feeds).unwrap_or(0);
        let clean: String = raw.chars().filter(|&c| c != '\u{c}').collect();
        let clean = clean.trim_end().to_owned();
        // A header inside a table cell is the word processor's page header, printed once per
        // section rather than on its page: it names no page of this text.
        if let Some(header) = header_page(&clean).filter(|_| !clean.starts_with('\t')) {
            page = header;
        }
        out.push(Line {
            text: clean,
            place: Place {
                page,
                line: u32::try_from(i + 1).unwrap_or(u32::MAX),
            },
        });
    }
    out
}

/// The page a header line names: «Hoja 3 de 8», «Hoja: 3 de 8», «Página 3 de 8».
fn header_page(line: &str) -> Option<u32> {
    let folded = fold(line);
    let rest = folded
        .strip_prefix("hoja")
        .or_else(|| folded.strip_prefix("pagina"))?;
    let rest = rest.trim_start_matches([':', ' ', '.']);
    let (number, tail) = rest.split_once(' ')?;
    if !tail.trim_start().starts_with("de ") {
        return None;
    }
    number.parse().ok().filter(|&n| n > 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_come_from_form_feeds_and_headers() {
        let text = "uno\n\u{c}dos\nHoja: 7 de 8\ntres";
        let lines = lines(text);
        assert_eq!(lines[0].place, Place { page: 1, line: 1 });
        assert_eq!(lines[1].place, Place { page: 2, line: 2 });
        assert_eq!(lines[1].text, "dos");
        assert_eq!(lines[3].place, Place { page: 7, line: 4 });
    }
}
