//! Checks across files and against the units already stored: each code once, every parent
//! and `merged_into` known, merged units ended, and no unit above itself.

use super::OrgFile;
use crate::diagnostic::{Diagnostic, Located};
use std::collections::HashMap;

/// A file to check, with the name and text its problems are located in.
pub struct Named<'a> {
    pub name: &'a str,
    pub text: &'a str,
    pub file: &'a OrgFile,
}

/// Every problem of these files taken together. `stored` maps the codes of the units already
/// stored to their parents: files may name them, and may change them.
pub fn check(files: &[Named], stored: &HashMap<String, Option<String>>) -> Vec<Located> {
    let mut problems: Vec<Located> = Vec::new();
    let mut defined: HashMap<&str, (&str, usize)> = HashMap::new();
    for named in files {
        for parsed in &named.file.units {
            let code = parsed.unit.code.as_str();
            if let Some((file, line)) = defined.get(code) {
                problems.push(
                    Diagnostic::new(
                        parsed.spans.code.clone(),
                        format!("code «{code}» is already defined at {file}:{line}"),
                    )
                    .locate(named.name, named.text),
                );
            } else {
                let line = Diagnostic::new(parsed.spans.code.clone(), "")
                    .locate(named.name, named.text)
                    .line;
                defined.insert(code, (named.name, line));
            }
        }
    }
    let known = |code: &str| defined.contains_key(code) || stored.contains_key(code);
    let mut parents: HashMap<&str, Option<&str>> = stored
        .iter()
        .map(|(code, parent)| (code.as_str(), parent.as_deref()))
        .collect();
    for named in files {
        for parsed in &named.file.units {
            parents.insert(&parsed.unit.code, parsed.unit.current.parent.as_deref());
        }
    }
    for named in files {
        let mut problem = |span: std::ops::Range<usize>, message: String| {
            problems.push(Diagnostic::new(span, message).locate(named.name, named.text));
        };
        for parsed in &named.file.units {
            let unit = &parsed.unit;
            let spans = &parsed.spans;
            for (form, span) in std::iter::once((&unit.current, spans.parent.clone())).chain(
                unit.before
                    .iter()
                    .zip(spans.before_parents.iter().cloned().map(Some)),
            ) {
                if let Some(parent) = &form.parent
                    && !known(parent)
                {
                    problem(
                        span.unwrap_or(spans.unit.clone()),
                        format!("«{}»: parent «{parent}» is not a known unit", unit.code),
                    );
                }
            }
            if let Some(target) = &unit.merged_into {
                let span = spans.merged_into.clone().unwrap_or(spans.unit.clone());
                if !known(target) {
                    problem(
                        span.clone(),
                        format!(
                            "«{}»: merged_into «{target}» is not a known unit",
                            unit.code
                        ),
                    );
                }
                if unit.current.valid_to.is_none() {
                    problem(
                        span,
                        format!(
                            "«{}» has merged_into but no valid_to: a merged unit ceased to exist",
                            unit.code
                        ),
                    );
                }
            }
            if above_itself(&unit.code, &parents) {
                problem(
                    spans.parent.clone().unwrap_or(spans.unit.clone()),
                    format!("«{}»: its chain of parents loops", unit.code),
                );
            }
        }
    }
    problems
}

/// Whether following the parents from `code` (each unit's parent by code) comes back to it, or
/// loops elsewhere.
pub fn above_itself(code: &str, parents: &HashMap<&str, Option<&str>>) -> bool {
    let mut at = parents.get(code).copied().flatten();
    // A chain longer than the number of units has looped.
    for _ in 0..=parents.len() {
        match at {
            None => return false,
            Some(p) if p == code => return true,
            Some(p) => at = parents.get(p).copied().flatten(),
        }
    }
    true
}
