//! A draft written in the library's definition format (`docs/procedure-format.md`), so that
//! `turno procedures check` and the library load it as any hand-written file.

use super::{Draft, Finding, Place};
use crate::definition::toml_text::{list, quoted};
use std::fmt::Write as _;

fn paragraphs(out: &mut String, key: &str, items: &[String]) {
    if items.is_empty() {
        let _ = writeln!(out, "{key} = []");
        return;
    }
    let _ = writeln!(out, "{key} = [");
    for item in items {
        let _ = writeln!(out, "  {},", quoted(item));
    }
    let _ = writeln!(out, "]");
}

/// The draft as a definition file. `origin` names the manual it was read from.
pub fn write(draft: &Draft, origin: &str, manual: Option<&str>) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# Borrador leído de {origin} ({}) por `turno import manual`: revise el informe de\n\
         # revisión antes de publicarlo.",
        draft.place
    );
    let _ = writeln!(out, "key = {}", quoted(&draft.key));
    let _ = writeln!(out, "version = 1");
    if let Some(number) = &draft.number {
        let _ = writeln!(out, "number = {}", quoted(number));
    }
    let _ = writeln!(out, "title = {}", quoted(&draft.title));
    if let Some(manual) = manual {
        let _ = writeln!(out, "manual = {}", quoted(manual));
    }
    if let Some(source) = &draft.source {
        let _ = writeln!(out, "source = {}", quoted(source));
    }
    out.push('\n');
    paragraphs(&mut out, "purpose", &draft.purpose);
    paragraphs(&mut out, "scope", &draft.scope);
    for policy in &draft.policies {
        out.push_str("\n[[policies]]\n");
        if let Some(number) = &policy.number {
            let _ = writeln!(out, "number = {}", quoted(number));
        }
        if let Some(printed) = &policy.manual_number {
            let _ = writeln!(out, "manual_number = {}", quoted(printed));
        }
        let _ = writeln!(out, "text = {}", quoted(&policy.text));
    }
    let recorder = draft
        .participants
        .iter()
        .find(|p| !p.external)
        .map(|p| p.key.clone());
    for p in &draft.participants {
        let _ = writeln!(out, "\n[participants.{}]", p.key);
        let _ = writeln!(out, "name = {}", quoted(&p.name));
        if p.external {
            let _ = writeln!(out, "kind = \"external\"");
            if let Some(recorder) = &recorder {
                let _ = writeln!(out, "recorded_by = {}", quoted(recorder));
            }
        }
        if let Some(unit) = &p.unit {
            let _ = writeln!(out, "unit = {}", quoted(unit));
        }
    }
    for stage in &draft.stages {
        out.push_str("\n[[stages]]\n");
        let _ = writeln!(out, "number = {}", quoted(&stage.number));
        if let Some(printed) = &stage.manual_number {
            let _ = writeln!(out, "manual_number = {}", quoted(printed));
        }
        let _ = writeln!(out, "name = {}", quoted(&stage.name));
        let _ = writeln!(out, "responsible = {}", list(&stage.responsible));
        for a in &stage.activities {
            out.push_str("\n[[stages.activities]]\n");
            let _ = writeln!(out, "number = {}", quoted(&a.number));
            if let Some(printed) = &a.manual_number {
                let _ = writeln!(out, "manual_number = {}", quoted(printed));
            }
            let _ = writeln!(out, "text = {}", quoted(&a.text));
            if !a.documents.is_empty() {
                let _ = writeln!(out, "documents = {}", list(&a.documents));
            }
            if let Some(question) = &a.decision {
                let _ = writeln!(out, "decision = {}", quoted(question));
                let _ = writeln!(out, "branches = [");
                for b in &a.branches {
                    let mut entry = format!(
                        "  {{ answer = {}, text = {}",
                        quoted(&b.answer),
                        quoted(&b.text)
                    );
                    if let Some(goto) = &b.goto {
                        let _ = write!(entry, ", goto = {}", quoted(goto));
                    }
                    if b.end {
                        entry.push_str(", end = true");
                    }
                    if b.expiry {
                        entry.push_str(", expiry = true");
                    }
                    entry.push_str(" },");
                    let _ = writeln!(out, "{entry}");
                }
                let _ = writeln!(out, "]");
            }
            if let Some(goto) = &a.goto {
                let _ = writeln!(out, "goto = {}", quoted(goto));
            }
            if a.end {
                let _ = writeln!(out, "end = true");
            }
            if let Some(term) = &a.term {
                let _ = writeln!(
                    out,
                    "\n[stages.activities.deadline]\nterm = {}",
                    quoted(term)
                );
                if let Some(target) = &a.on_expiry {
                    let _ = writeln!(out, "on_expiry = {}", quoted(target));
                }
            }
        }
    }
    for r in &draft.references {
        out.push_str("\n[[references]]\n");
        let _ = writeln!(out, "document = {}", quoted(&r.document));
        if let Some(code) = &r.code {
            let _ = writeln!(out, "code = {}", quoted(code));
        }
    }
    for r in &draft.records {
        out.push_str("\n[[records]]\n");
        let _ = writeln!(out, "name = {}", quoted(&r.name));
        let _ = writeln!(out, "retention = {}", quoted(&r.retention));
        let _ = writeln!(out, "keeper = {}", quoted(&r.keeper));
        if let Some(code) = &r.code {
            let _ = writeln!(out, "code = {}", quoted(code));
        }
    }
    for g in &draft.glossary {
        out.push_str("\n[[glossary]]\n");
        if let Some(number) = &g.number {
            let _ = writeln!(out, "number = {}", quoted(number));
        }
        let _ = writeln!(out, "term = {}", quoted(&g.term));
        let _ = writeln!(out, "definition = {}", quoted(&g.definition));
    }
    for c in &draft.changes {
        out.push_str("\n[[changes]]\n");
        let _ = writeln!(out, "revision = {}", quoted(&c.revision));
        let _ = writeln!(out, "date = {}", quoted(&c.date));
        let _ = writeln!(out, "description = {}", quoted(&c.description));
    }
    for a in &draft.annexes {
        out.push_str("\n[[annexes]]\n");
        if let Some(number) = &a.number {
            let _ = writeln!(out, "number = {}", quoted(number));
        }
        let _ = writeln!(out, "name = {}", quoted(&a.name));
        if let Some(code) = &a.code {
            let _ = writeln!(out, "code = {}", quoted(code));
        }
    }
    out
}

/// The review report: every finding, by procedure, with its page and line.
pub fn report(origin: &str, findings: &[Finding]) -> String {
    let mut out = format!("# Informe de revisión de {origin}\n\n");
    if findings.is_empty() {
        out.push_str("El lector no encontró nada que no pudiera decidir.\n");
        return out;
    }
    let _ = writeln!(
        out,
        "{}\n",
        crate::text::count(findings.len(), "asunto por revisar", "asuntos por revisar")
    );
    let mut current: Option<&Option<String>> = None;
    for f in findings {
        if current != Some(&f.procedure) {
            let _ = writeln!(
                out,
                "\n## {}\n",
                f.procedure.as_deref().unwrap_or("El manual")
            );
            current = Some(&f.procedure);
        }
        let Place { page, line } = f.place;
        let _ = writeln!(out, "- {origin}:{line} (página {page}): {}", f.message);
    }
    out
}
