//! Organization files in the repository's own format (TOML; `docs/org-format.md`), read into
//! units with the spans their later checks point at.

use super::read::{check_range, code, date, level, lines_of, name, typed};
use super::unit::{Form, UnitSpec};
use super::{Level, OrgFile, Parsed, Spans};
use crate::diagnostic::Diagnostic;
use serde::Deserialize;
use toml::Spanned;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileDoc {
    title: Option<String>,
    source: Option<String>,
    #[serde(default)]
    unit: Vec<Spanned<UnitDoc>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct UnitDoc {
    code: Spanned<String>,
    name: Spanned<String>,
    siglas: Option<String>,
    level: Spanned<String>,
    parent: Option<Spanned<String>>,
    valid_from: Option<Spanned<String>>,
    valid_to: Option<Spanned<String>>,
    merged_into: Option<Spanned<String>>,
    manual_number: Option<String>,
    #[serde(default)]
    functions: Vec<Spanned<String>>,
    #[serde(default)]
    before: Vec<Spanned<BeforeDoc>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct BeforeDoc {
    name: Spanned<String>,
    parent: Option<Spanned<String>>,
    level: Option<Spanned<String>>,
    valid_from: Option<Spanned<String>>,
    valid_to: Option<Spanned<String>>,
}

/// Reads a TOML organization file; every problem is reported, not only the first.
pub fn parse_toml(text: &str) -> Result<OrgFile, Vec<Diagnostic>> {
    let doc: FileDoc = toml::from_str(text).map_err(|e| {
        vec![Diagnostic::new(
            e.span().unwrap_or(0..0),
            e.message().trim_end().to_owned(),
        )]
    })?;
    let mut problems = Vec::new();
    let units: Vec<Parsed> = doc
        .unit
        .into_iter()
        .filter_map(|unit| read_unit(unit, &mut problems))
        .collect();
    if problems.is_empty() {
        Ok(OrgFile {
            title: doc.title,
            source: doc.source,
            units,
        })
    } else {
        Err(problems)
    }
}

fn read_unit(unit: Spanned<UnitDoc>, problems: &mut Vec<Diagnostic>) -> Option<Parsed> {
    let span = unit.span();
    let doc = unit.into_inner();
    let before_problems = problems.len();
    let unit_code = code(&spanned(&doc.code), "code", problems).unwrap_or_default();
    let current = Form {
        name: name(&spanned(&doc.name), problems),
        parent: optional(&doc.parent).and_then(|p| code(&p, "parent", problems)),
        level: level(&spanned(&doc.level), problems).unwrap_or(Level::Area),
        valid_from: optional(&doc.valid_from).and_then(|d| date(&d, "valid_from", problems)),
        valid_to: optional(&doc.valid_to).and_then(|d| date(&d, "valid_to", problems)),
    };
    check_range(&current, span.clone(), problems);
    let mut before = Vec::new();
    let mut before_parents = Vec::new();
    for entry in doc.before {
        let entry_span = entry.span();
        let b = entry.into_inner();
        let form = Form {
            name: name(&spanned(&b.name), problems),
            parent: optional(&b.parent)
                .and_then(|p| code(&p, "parent", problems))
                .or_else(|| current.parent.clone()),
            level: optional(&b.level)
                .and_then(|l| level(&l, problems))
                .unwrap_or(current.level),
            valid_from: optional(&b.valid_from).and_then(|d| date(&d, "valid_from", problems)),
            valid_to: optional(&b.valid_to).and_then(|d| date(&d, "valid_to", problems)),
        };
        if b.valid_to.is_none() {
            problems.push(Diagnostic::new(
                entry_span.clone(),
                format!("an earlier form of «{unit_code}» needs valid_to: the last day it was so"),
            ));
        }
        check_range(&form, entry_span.clone(), problems);
        before_parents.push(b.parent.as_ref().map(Spanned::span).unwrap_or(entry_span));
        before.push(form);
    }
    for (field, value) in [
        ("siglas", &doc.siglas),
        ("manual_number", &doc.manual_number),
    ] {
        if let Some(value) = value {
            typed(
                &(value.clone(), span.clone()),
                field,
                lines_of(field),
                problems,
            );
        }
    }
    let functions: Vec<String> = doc
        .functions
        .iter()
        .filter_map(|f| {
            let text = f.get_ref().trim();
            if !typed(&spanned(f), "functions", lines_of("functions"), problems) {
                None
            } else if text.is_empty() {
                problems.push(Diagnostic::new(f.span(), "an empty function"));
                None
            } else {
                Some(text.to_owned())
            }
        })
        .collect();
    let merged_into = optional(&doc.merged_into).and_then(|m| code(&m, "merged_into", problems));
    if problems.len() > before_problems {
        return None;
    }
    Some(Parsed {
        spans: Spans {
            unit: span,
            code: doc.code.span(),
            parent: doc.parent.as_ref().map(Spanned::span),
            merged_into: doc.merged_into.as_ref().map(Spanned::span),
            before_parents,
        },
        unit: UnitSpec {
            code: unit_code,
            siglas: doc
                .siglas
                .map(|s| s.trim().to_owned())
                .filter(|s| !s.is_empty()),
            manual_number: doc.manual_number,
            functions,
            current,
            before,
            merged_into,
        },
    })
}

/// A TOML value with its span, as the shared readers take it.
fn spanned(value: &Spanned<String>) -> (String, std::ops::Range<usize>) {
    (value.get_ref().clone(), value.span())
}

fn optional(value: &Option<Spanned<String>>) -> Option<(String, std::ops::Range<usize>)> {
    value.as_ref().map(spanned)
}
