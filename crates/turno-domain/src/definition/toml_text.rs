//! Pieces of a definition file as the drafts write them (the manual reader's and the BPMN
//! importer's), so that both quote alike what `parse_procedure` reads back.

use std::fmt::Write as _;

/// A TOML basic string.
pub fn quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A TOML array of basic strings on one line.
pub fn list(items: &[String]) -> String {
    let inner: Vec<String> = items.iter().map(|i| quoted(i)).collect();
    format!("[{}]", inner.join(", "))
}

#[cfg(test)]
mod tests {
    use super::{list, quoted};

    #[test]
    fn quotes_escape_what_toml_must() {
        assert_eq!(quoted("a \"b\"\n"), "\"a \\\"b\\\"\\n\"");
        assert_eq!(quoted("\u{7}"), "\"\\u0007\"");
        assert_eq!(list(&["Sí".into(), "No".into()]), "[\"Sí\", \"No\"]");
    }
}
