//! Problems found in a text file, located by byte span and reported as `file:line:col: message`.

use std::fmt;
use std::ops::Range;

/// One problem in one file. The span is a byte range into the file's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub span: Range<usize>,
    pub message: String,
}

impl Diagnostic {
    pub fn new(span: Range<usize>, message: impl Into<String>) -> Self {
        Diagnostic {
            span,
            message: message.into(),
        }
    }

    /// Attaches the file name and resolves the span into a line and column.
    pub fn locate(&self, file: &str, text: &str) -> Located {
        let (line, column) = line_col(text, self.span.start);
        Located {
            file: file.to_owned(),
            line,
            column,
            message: self.message.clone(),
        }
    }
}

/// A diagnostic with its place in a named file, printed the way editors and CI understand.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl fmt::Display for Located {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.file, self.line, self.column, self.message
        )
    }
}

/// 1-based line and column (in characters) of a byte offset; offsets past the end or inside a
/// multi-byte character are clamped rather than trusted, since they come from parsers.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::line_col;

    #[test]
    fn lines_and_columns_are_one_based_and_count_characters() {
        let text = "a = 1\nño = \"x\"\n";
        assert_eq!(line_col(text, 0), (1, 1));
        assert_eq!(line_col(text, 6), (2, 1));
        // "ño = " is 6 bytes but 5 characters.
        assert_eq!(line_col(text, 12), (2, 6));
        assert_eq!(line_col(text, 999), (3, 1));
        assert_eq!(line_col(text, 7), (2, 1));
    }
}
