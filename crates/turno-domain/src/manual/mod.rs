//! Reading a manual of procedures (the federal *Guía técnica* format: propósito, alcance,
//! políticas, the table *Descripción del procedimiento*, referencias, registros, glosario,
//! cambios, anexos) into draft definitions, one per procedure, and a review report of every
//! thing the reader could not decide, with its page and line.
//!
//! The reader takes the manual's text (a word processor's or `pdftotext -layout`'s) and the
//! organization's units; it does no IO. One file per job: [`lines`] numbers lines and pages,
//! [`sections`] finds the procedures and their sections, [`table`] reads the activity table
//! ([`columns`] a PDF layout's by its columns),
//! [`flow`] decisions, returns and ends, [`terms`] terms in days, [`records`] the tables of
//! referencias, registros and cambios, [`glossary`] glossary and annexes, [`units`] matches
//! responsibles to units, [`draft_toml`] writes a draft in the library's format and [`score`]
//! compares drafts with hand-encoded definitions.

pub mod columns;
pub mod draft_toml;
pub mod flow;
pub mod glossary;
pub mod lines;
pub mod records;
pub mod score;
pub mod sections;
pub mod table;
pub mod terms;
pub mod units;

pub use lines::Place;

/// A unit of the organization a responsible may be matched to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unit {
    pub code: String,
    pub name: String,
    pub siglas: Option<String>,
    /// An outside body (SRE, a state's health services…): its participant is external.
    pub external: bool,
}

/// How drafts are named.
#[derive(Debug, Clone)]
pub struct Options {
    /// The drafts' keys begin with it: `cnpss` → `cnpss-91`.
    pub key_prefix: String,
    /// Written as each draft's `source`.
    pub source: Option<String>,
}

/// Something the reader could not decide, for a person to review.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub place: Place,
    /// The draft's key, when the finding belongs to one procedure.
    pub procedure: Option<String>,
    pub message: String,
}

impl std::fmt::Display for Finding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.procedure {
            Some(key) => write!(f, "{} ({key}): {}", self.place, self.message),
            None => write!(f, "{}: {}", self.place, self.message),
        }
    }
}

/// A procedure as read from the manual, before a person reviews it.
#[derive(Debug, Clone, Default)]
pub struct Draft {
    pub key: String,
    pub number: Option<String>,
    pub title: String,
    pub source: Option<String>,
    pub place: Place,
    pub purpose: Vec<String>,
    pub scope: Vec<String>,
    pub policies: Vec<Numbered>,
    pub participants: Vec<Participant>,
    pub stages: Vec<Stage>,
    pub references: Vec<Reference>,
    pub records: Vec<Record>,
    pub glossary: Vec<GlossaryEntry>,
    pub changes: Vec<Change>,
    pub annexes: Vec<Annex>,
}

impl Draft {
    pub fn activities(&self) -> impl Iterator<Item = &Activity> {
        self.stages.iter().flat_map(|s| s.activities.iter())
    }
}

/// A numbered paragraph (a policy): its id, the printed number when it differs, its text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Numbered {
    pub number: Option<String>,
    pub manual_number: Option<String>,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Participant {
    pub key: String,
    /// The manual's words.
    pub name: String,
    pub unit: Option<String>,
    pub external: bool,
}

#[derive(Debug, Clone, Default)]
pub struct Stage {
    pub number: String,
    pub manual_number: Option<String>,
    pub name: String,
    /// Participant keys.
    pub responsible: Vec<String>,
    pub activities: Vec<Activity>,
    pub place: Place,
}

#[derive(Debug, Clone, Default)]
pub struct Activity {
    pub number: String,
    pub manual_number: Option<String>,
    pub text: String,
    pub documents: Vec<String>,
    pub decision: Option<String>,
    pub branches: Vec<Branch>,
    pub goto: Option<String>,
    pub end: bool,
    /// A term in days the text gives («dentro de los 20 días hábiles»), as the format writes it.
    pub term: Option<String>,
    /// Where the case goes when the term expires (an activity id), when the text says so
    /// («Plazo: 10 días hábiles; si vence, pasa a la actividad 3.4»).
    pub on_expiry: Option<String>,
    /// The words after «si vence», until they are resolved into `on_expiry`.
    pub expiry_words: Option<String>,
    /// Where the activity goes, when a sentence apart from its text says it («Plazo: 5 días
    /// hábiles. Regresa a la actividad 2.2.»), until it is resolved into `goto` or `end`.
    pub route_words: Option<String>,
    pub place: Place,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Branch {
    pub answer: String,
    pub text: String,
    pub goto: Option<String>,
    pub end: bool,
    /// The answer is the term's expiry («No: no hay respuesta en 45 días hábiles …»).
    pub expiry: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    pub document: String,
    pub code: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    pub name: String,
    pub retention: String,
    pub keeper: String,
    pub code: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GlossaryEntry {
    pub number: Option<String>,
    pub term: String,
    pub definition: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub revision: String,
    pub date: String,
    pub description: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Annex {
    pub number: Option<String>,
    pub name: String,
    pub code: Option<String>,
}

/// What a manual gave: its drafts, in the manual's order, and the review report.
#[derive(Debug, Clone, Default)]
pub struct Reading {
    pub drafts: Vec<Draft>,
    pub findings: Vec<Finding>,
}

/// Collects findings for one procedure.
pub(crate) struct Report<'a> {
    pub key: Option<String>,
    pub findings: &'a mut Vec<Finding>,
}

impl Report<'_> {
    pub fn add(&mut self, place: Place, message: impl Into<String>) {
        self.findings.push(Finding {
            place,
            procedure: self.key.clone(),
            message: message.into(),
        });
    }
}

/// Reads every procedure of the manual's text.
pub fn read(text: &str, units: &[Unit], options: &Options) -> Reading {
    let lines = lines::lines(text);
    let mut reading = Reading::default();
    let found = sections::procedures(&lines);
    if found.is_empty() {
        reading.findings.push(Finding {
            place: Place { page: 1, line: 1 },
            procedure: None,
            message: "no se encontró ningún procedimiento: se esperaba un título como \
                      «1. PROCEDIMIENTO PARA …» seguido de «1.0 Propósito»"
                .to_owned(),
        });
    }
    let mut keys = std::collections::BTreeSet::new();
    for (index, procedure) in found.iter().enumerate() {
        let mut key = match &procedure.number {
            Some(number) => format!("{}-{number}", options.key_prefix),
            None => format!("{}-{}", options.key_prefix, index + 1),
        };
        while !keys.insert(key.clone()) {
            key.push('b');
        }
        let mut report = Report {
            key: Some(key.clone()),
            findings: &mut reading.findings,
        };
        let mut draft = sections::draft(procedure, units, &mut report);
        draft.key = key;
        draft.source = options.source.clone();
        reading.drafts.push(draft);
    }
    reading
}
