//! A set of procedure definitions, every version kept, checked together: sub-procedure calls
//! must name a procedure of the set, and a key and version appear once.

use crate::definition::{Procedure, parse_procedure};
use crate::diagnostic::{Diagnostic, Located};
use std::collections::BTreeMap;
use std::sync::Arc;

#[derive(Debug, Clone, Default)]
pub struct Library {
    procedures: BTreeMap<(String, u32), Arc<Procedure>>,
}

/// A file to load: its name (for diagnostics) and its text.
pub struct Source<'a> {
    pub name: &'a str,
    pub text: &'a str,
}

impl Library {
    /// Parses, validates and cross-checks every file; returns every problem of every file.
    pub fn load(sources: &[Source]) -> Result<Library, Vec<Located>> {
        let mut problems = Vec::new();
        let mut library = Library::default();
        let mut origin: BTreeMap<(String, u32), &str> = BTreeMap::new();
        let mut parsed = Vec::new();
        for source in sources {
            match parse_procedure(source.text) {
                Ok(p) => parsed.push((source, p)),
                Err(diags) => {
                    problems.extend(diags.iter().map(|d| d.locate(source.name, source.text)))
                }
            }
        }
        for (source, procedure) in &parsed {
            let id = (procedure.key.clone(), procedure.version);
            if let Some(first) = origin.insert(id.clone(), source.name) {
                let span = find(source.text, "key");
                problems.push(
                    Diagnostic::new(
                        span,
                        format!(
                            "procedure «{}» version {} is also defined in {first}",
                            id.0, id.1
                        ),
                    )
                    .locate(source.name, source.text),
                );
            }
        }
        for (source, procedure) in &parsed {
            for activity in &procedure.activities {
                if let Some(call) = &activity.call
                    && !parsed.iter().any(|(_, p)| &p.key == call)
                {
                    let span = find(source.text, &format!("\"{call}\""));
                    problems.push(
                        Diagnostic::new(
                            span,
                            format!(
                                "activity «{}» calls unknown procedure «{call}»",
                                activity.number
                            ),
                        )
                        .locate(source.name, source.text),
                    );
                }
            }
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        for (_, procedure) in parsed {
            library.insert(procedure);
        }
        Ok(library)
    }

    pub fn insert(&mut self, procedure: Procedure) {
        self.procedures.insert(
            (procedure.key.clone(), procedure.version),
            Arc::new(procedure),
        );
    }

    pub fn get(&self, key: &str, version: u32) -> Option<&Arc<Procedure>> {
        self.procedures.get(&(key.to_owned(), version))
    }

    /// The newest version of a procedure: the one new cases start on.
    pub fn latest(&self, key: &str) -> Option<&Arc<Procedure>> {
        self.procedures
            .range((key.to_owned(), 0)..=(key.to_owned(), u32::MAX))
            .next_back()
            .map(|(_, p)| p)
    }

    /// The newest version of every procedure, ordered by key: what new cases start on.
    pub fn newest(&self) -> impl Iterator<Item = &Arc<Procedure>> {
        self.procedures
            .iter()
            .filter(|((key, version), _)| self.latest(key).is_some_and(|l| l.version == *version))
            .map(|(_, p)| p)
    }

    /// Every procedure, every version, ordered by key then version.
    pub fn iter(&self) -> impl Iterator<Item = &Arc<Procedure>> {
        self.procedures.values()
    }

    pub fn len(&self) -> usize {
        self.procedures.len()
    }

    pub fn is_empty(&self) -> bool {
        self.procedures.is_empty()
    }
}

/// Span of the first occurrence of a needle, so cross-file problems still point somewhere useful.
fn find(text: &str, needle: &str) -> std::ops::Range<usize> {
    text.find(needle)
        .map_or(0..0, |start| start..start + needle.len())
}
