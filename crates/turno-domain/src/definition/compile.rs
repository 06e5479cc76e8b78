//! Validation: turns a [`Document`] into a [`Procedure`] or into every problem it has.
//!
//! The checks run in passes (names, references, graph) and collect diagnostics instead of
//! stopping at the first, so that a person fixing a file sees all of it at once.

use super::document::*;
use super::model::*;
use super::term::{AnchorText, parse_anchor, parse_retention, parse_term};
use crate::calendar::Regime;
use crate::citizen::PetitionFolio;
use crate::correspondence::IncomingFolio;
use crate::diagnostic::Diagnostic;
use crate::text::fold;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::ops::Range;
use toml::Spanned;

/// Parses and validates one procedure file.
pub fn parse_procedure(text: &str) -> Result<Procedure, Vec<Diagnostic>> {
    let doc: Document = toml::from_str(text).map_err(|e| {
        vec![Diagnostic::new(
            e.span().unwrap_or(0..0),
            e.message().trim_end().to_owned(),
        )]
    })?;
    compile(doc)
}

struct Compiler {
    diagnostics: Vec<Diagnostic>,
}

impl Compiler {
    fn error(&mut self, span: Range<usize>, message: impl Into<String>) {
        self.diagnostics.push(Diagnostic::new(span, message));
    }
}

fn is_identifier(s: &str, extra: &[char]) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || extra.contains(&c))
}

pub fn compile(doc: Document) -> Result<Procedure, Vec<Diagnostic>> {
    let mut c = Compiler {
        diagnostics: Vec::new(),
    };

    if !is_identifier(doc.key.get_ref(), &['-']) {
        c.error(
            doc.key.span(),
            format!(
                "procedure key «{}» must be lowercase letters, digits and «-»",
                doc.key.get_ref()
            ),
        );
    }
    let version = match u32::try_from(*doc.version.get_ref()) {
        Ok(v) if v > 0 => v,
        _ => {
            c.error(
                doc.version.span(),
                "version must be a positive whole number",
            );
            0
        }
    };
    if doc.title.get_ref().trim().is_empty() {
        c.error(doc.title.span(), "the title is empty");
    }
    let regime = match &doc.regime {
        None => Regime::Lfpa,
        Some(r) => parse_regime(&mut c, r),
    };

    let folio_prefix = match &doc.folio_prefix {
        // Without one, the key in capitals: cnpss-94 → CNPSS-94.
        None => doc.key.get_ref().to_ascii_uppercase(),
        Some(prefix) => {
            let text = prefix.get_ref();
            let valid = (1..=16).contains(&text.len())
                && text
                    .chars()
                    .all(|ch| ch.is_ascii_uppercase() || ch.is_ascii_digit() || ch == '-');
            if !valid {
                c.error(
                    prefix.span(),
                    format!("folio prefix «{text}» must be 1 to 16 capital letters, digits or «-»"),
                );
            }
            text.clone()
        }
    };
    let reserved = match folio_prefix.as_str() {
        PetitionFolio::PREFIX => Some("citizen-attention petitions"),
        IncomingFolio::PREFIX => Some("incoming correspondence"),
        _ => None,
    };
    if let Some(whose) = reserved {
        let span = match &doc.folio_prefix {
            Some(prefix) => prefix.span(),
            None => doc.key.span(),
        };
        c.error(
            span,
            format!("folio prefix «{folio_prefix}» is reserved for {whose}"),
        );
    }
    let participants = compile_participants(&mut c, &doc.participants);
    let participant_ids: HashMap<&str, ParticipantId> = participants
        .iter()
        .enumerate()
        .map(|(i, p)| (p.key.as_str(), ParticipantId(i as u16)))
        .collect();
    let fields = compile_fields(&mut c, &doc.fields, &participant_ids);
    let field_ids: HashMap<&str, FieldId> = fields
        .iter()
        .enumerate()
        .map(|(i, f)| (f.name.as_str(), FieldId(i as u16)))
        .collect();

    // Pass 1: number every activity, so that references may point forwards.
    let mut activity_ids: HashMap<&str, ActivityId> = HashMap::new();
    let mut stage_numbers: HashSet<&str> = HashSet::new();
    let mut flat: Vec<(&StageDoc, &Spanned<ActivityDoc>)> = Vec::new();
    for stage in doc.stages.get_ref() {
        if !stage_numbers.insert(stage.number.get_ref()) {
            c.error(
                stage.number.span(),
                format!("duplicated stage number «{}»", stage.number.get_ref()),
            );
        }
        if let Some(list) = &stage.responsible {
            check_listed_once(&mut c, "responsible", list.get_ref(), |k| k.to_owned());
        }
        if stage.activities.get_ref().is_empty() {
            c.error(
                stage.number.span(),
                format!("stage «{}» has no activities", stage.number.get_ref()),
            );
        }
        for activity in stage.activities.get_ref() {
            let number = activity.get_ref().number.get_ref().as_str();
            if number.trim().is_empty() {
                c.error(activity.get_ref().number.span(), "empty activity number");
            } else if activity_ids.contains_key(number) {
                c.error(
                    activity.get_ref().number.span(),
                    format!(
                        "duplicated activity number «{number}»: give it a distinct number and keep the printed one in manual_number"
                    ),
                );
            } else {
                activity_ids.insert(number, ActivityId(flat.len() as u16));
            }
            flat.push((stage, activity));
        }
    }
    if flat.is_empty() {
        c.error(doc.stages.span(), "the procedure has no activities");
    }
    if flat.len() > usize::from(u16::MAX) {
        c.error(doc.stages.span(), "too many activities");
        return Err(c.diagnostics);
    }

    // Pass 2: resolve every activity.
    let ctx = Names {
        activities: &activity_ids,
        participants: &participant_ids,
        fields: &field_ids,
        field_defs: &fields,
        regime,
    };
    let mut stages = Vec::new();
    let mut activities = Vec::new();
    for (stage_index, stage) in doc.stages.get_ref().iter().enumerate() {
        let start = activities.len() as u16;
        for activity in stage.activities.get_ref() {
            let index = activities.len();
            let next = (index + 1 < flat.len()).then(|| ActivityId(index as u16 + 1));
            activities.push(compile_activity(
                &mut c,
                &ctx,
                stage,
                stage_index as u16,
                activity,
                next,
            ));
        }
        stages.push(Stage {
            number: stage.number.get_ref().clone(),
            manual_number: stage.manual_number.clone(),
            name: stage.name.clone(),
            activities: start..activities.len() as u16,
        });
    }

    check_unique_numbers(&mut c, &doc);

    let records = doc
        .records
        .iter()
        .map(|r| Record {
            name: r.name.clone(),
            retention: parse_retention(r.retention.get_ref()).unwrap_or_else(|message| {
                c.error(r.retention.span(), message);
                Retention::NotApplicable
            }),
            retention_text: r.retention.get_ref().clone(),
            keeper: r.keeper.clone(),
            code: r.code.as_ref().map(|code| code.get_ref().clone()),
        })
        .collect();

    if !c.diagnostics.is_empty() {
        return Err(c.diagnostics);
    }
    check_graph(&mut c, &activities, &flat);
    if !c.diagnostics.is_empty() {
        return Err(c.diagnostics);
    }

    Ok(Procedure {
        key: doc.key.into_inner(),
        version,
        number: doc.number,
        title: doc.title.into_inner(),
        manual: doc.manual,
        issuer: doc.issuer,
        source: doc.source,
        regime,
        folio_prefix,
        purpose: doc.purpose,
        scope: doc.scope,
        policies: doc
            .policies
            .into_iter()
            .map(|p| Policy {
                number: p.number.map(Spanned::into_inner),
                manual_number: p.manual_number,
                text: p.text,
            })
            .collect(),
        participants,
        fields,
        stages,
        activities,
        references: doc
            .references
            .into_iter()
            .map(|r| Reference {
                document: r.document,
                code: r.code.map(Spanned::into_inner),
            })
            .collect(),
        records,
        glossary: doc
            .glossary
            .into_iter()
            .map(|g| GlossaryEntry {
                number: g.number.map(Spanned::into_inner),
                term: g.term,
                definition: g.definition,
            })
            .collect(),
        changes: doc
            .changes
            .into_iter()
            .map(|ch| Change {
                revision: ch.revision,
                date: ch.date,
                description: ch.description,
            })
            .collect(),
        annexes: doc
            .annexes
            .into_iter()
            .map(|a| Annex {
                number: a.number.map(Spanned::into_inner),
                name: a.name,
                code: a.code.map(Spanned::into_inner),
            })
            .collect(),
    })
}

/// The numbers and codes the manual's sections give (policies, glossary, annexes, records,
/// reference documents) identify one entry each: a repeated one is reported at its second
/// appearance. Codes that say «No aplica» are not identifiers.
fn check_unique_numbers(c: &mut Compiler, doc: &Document) {
    const RENUMBER: &str = "give it a distinct number and keep the printed one in manual_number";
    const DISTINCT: &str = "each entry needs its own";
    let sections: [(&str, &str, Vec<&Spanned<String>>); 6] = [
        (
            "policy number",
            RENUMBER,
            doc.policies
                .iter()
                .filter_map(|p| p.number.as_ref())
                .collect(),
        ),
        (
            "glossary number",
            DISTINCT,
            doc.glossary
                .iter()
                .filter_map(|g| g.number.as_ref())
                .collect(),
        ),
        (
            "annex number",
            DISTINCT,
            doc.annexes
                .iter()
                .filter_map(|a| a.number.as_ref())
                .collect(),
        ),
        (
            "annex code",
            DISTINCT,
            doc.annexes.iter().filter_map(|a| a.code.as_ref()).collect(),
        ),
        (
            "record code",
            DISTINCT,
            doc.records.iter().filter_map(|r| r.code.as_ref()).collect(),
        ),
        (
            "reference document code",
            DISTINCT,
            doc.references
                .iter()
                .filter_map(|r| r.code.as_ref())
                .collect(),
        ),
    ];
    let not_applicable = fold(NOT_APPLICABLE);
    for (kind, hint, numbers) in sections {
        let mut seen = HashSet::new();
        for number in numbers {
            let text = number.get_ref().trim();
            if fold(text) == not_applicable {
                continue;
            }
            if !seen.insert(text) {
                c.error(number.span(), format!("duplicated {kind} «{text}»: {hint}"));
            }
        }
    }
}

/// A list that names each entry once (responsible participants, the fields an activity
/// captures, a field's options): a repeated entry is reported at its second appearance, as
/// `key` compares them (options as people type them: without accents or case).
fn check_listed_once(
    c: &mut Compiler,
    what: &str,
    entries: &[Spanned<String>],
    key: impl Fn(&str) -> String,
) {
    let mut seen = HashSet::new();
    for entry in entries {
        if !seen.insert(key(entry.get_ref())) {
            c.error(
                entry.span(),
                format!("{what} «{}» is listed twice", entry.get_ref()),
            );
        }
    }
}

/// What the manuals write in a cell that has no value.
const NOT_APPLICABLE: &str = "No aplica";

fn parse_regime(c: &mut Compiler, r: &Spanned<String>) -> Regime {
    r.get_ref().parse().unwrap_or_else(|_| {
        c.error(
            r.span(),
            format!(
                "unknown calendar regime «{}»: expected «lfpa» or «lft»",
                r.get_ref()
            ),
        );
        Regime::Lfpa
    })
}

fn compile_participants(
    c: &mut Compiler,
    docs: &BTreeMap<String, Spanned<ParticipantDoc>>,
) -> Vec<Participant> {
    let index: HashMap<&str, (usize, bool)> = docs
        .iter()
        .enumerate()
        .map(|(i, (key, p))| {
            let external =
                p.get_ref().kind.as_ref().map(|k| k.get_ref().as_str()) == Some("external");
            (key.as_str(), (i, external))
        })
        .collect();
    docs.iter()
        .map(|(key, p)| {
            let span = p.span();
            let p = p.get_ref();
            if key.is_empty()
                || !key
                    .chars()
                    .all(|ch| ch.is_ascii_alphanumeric() || ch == '_' || ch == '-')
            {
                c.error(
                    span.clone(),
                    format!("participant key «{key}» must be letters, digits, «_» or «-»"),
                );
            }
            let kind = match p.kind.as_ref().map(|k| (k.get_ref().as_str(), k.span())) {
                None | Some(("internal", _)) => {
                    if let Some(r) = &p.recorded_by {
                        c.error(
                            r.span(),
                            format!("«{key}» is internal: only external parties have recorded_by"),
                        );
                    }
                    ParticipantKind::Internal
                }
                Some(("external", kind_span)) => match &p.recorded_by {
                    None => {
                        c.error(
                            kind_span,
                            format!(
                                "external party «{key}» needs recorded_by: the internal participant whose users record what it does"
                            ),
                        );
                        ParticipantKind::External {
                            recorded_by: ParticipantId(0),
                        }
                    }
                    Some(r) => match index.get(r.get_ref().as_str()) {
                        Some((i, false)) => ParticipantKind::External {
                            recorded_by: ParticipantId(*i as u16),
                        },
                        Some((_, true)) => {
                            c.error(
                                r.span(),
                                format!(
                                    "«{}» is external: an outside party must be recorded by an internal participant",
                                    r.get_ref()
                                ),
                            );
                            ParticipantKind::External {
                                recorded_by: ParticipantId(0),
                            }
                        }
                        None => {
                            c.error(
                                r.span(),
                                format!("undefined participant «{}»", r.get_ref()),
                            );
                            ParticipantKind::External {
                                recorded_by: ParticipantId(0),
                            }
                        }
                    },
                },
                Some((other, kind_span)) => {
                    c.error(
                        kind_span,
                        format!("unknown participant kind «{other}»: expected internal or external"),
                    );
                    ParticipantKind::Internal
                }
            };
            Participant {
                key: key.clone(),
                name: p.name.clone(),
                kind,
                unit: p.unit.clone(),
            }
        })
        .collect()
}

fn compile_fields(
    c: &mut Compiler,
    docs: &[Spanned<FieldDoc>],
    participants: &HashMap<&str, ParticipantId>,
) -> Vec<FieldDef> {
    let mut seen = HashSet::new();
    docs.iter()
        .map(|f| {
            let f = f.get_ref();
            let name = f.name.get_ref();
            if !is_identifier(name, &['_']) {
                c.error(
                    f.name.span(),
                    format!("field name «{name}» must be lowercase letters, digits and «_»"),
                );
            }
            if !seen.insert(name.as_str()) {
                c.error(f.name.span(), format!("duplicated field «{name}»"));
            }
            check_listed_once(c, "option", &f.options, fold);
            let ty = FieldType::parse(f.ty.get_ref()).unwrap_or_else(|| {
                c.error(
                    f.ty.span(),
                    format!(
                        "unknown field type «{}»: expected text, long_text, integer, decimal, date, boolean, choice or participants",
                        f.ty.get_ref()
                    ),
                );
                FieldType::Text
            });
            match ty {
                FieldType::Choice if f.options.is_empty() => {
                    c.error(f.ty.span(), format!("choice field «{name}» needs options"))
                }
                FieldType::Participants if f.options.is_empty() => c.error(
                    f.ty.span(),
                    format!("participants field «{name}» needs options: the candidate participant keys"),
                ),
                FieldType::Participants => {
                    for o in &f.options {
                        if !participants.contains_key(o.get_ref().as_str()) {
                            c.error(o.span(), format!("undefined participant «{}»", o.get_ref()));
                        }
                    }
                }
                FieldType::Choice => {}
                _ if !f.options.is_empty() => c.error(
                    f.options[0].span(),
                    format!("field «{name}» is not a choice: options are not allowed"),
                ),
                _ => {}
            }
            FieldDef {
                name: name.clone(),
                label: f.label.clone(),
                ty,
                required: f.required,
                options: f.options.iter().map(|o| o.get_ref().clone()).collect(),
            }
        })
        .collect()
}

struct Names<'a> {
    activities: &'a HashMap<&'a str, ActivityId>,
    participants: &'a HashMap<&'a str, ParticipantId>,
    fields: &'a HashMap<&'a str, FieldId>,
    field_defs: &'a [FieldDef],
    regime: Regime,
}

impl Names<'_> {
    fn activity(&self, c: &mut Compiler, name: &Spanned<String>) -> ActivityId {
        self.activities
            .get(name.get_ref().as_str())
            .copied()
            .unwrap_or_else(|| {
                c.error(
                    name.span(),
                    format!("unknown target activity «{}»", name.get_ref()),
                );
                ActivityId(0)
            })
    }

    fn field(&self, c: &mut Compiler, name: &Spanned<String>) -> Option<FieldId> {
        let found = self.fields.get(name.get_ref().as_str()).copied();
        if found.is_none() {
            c.error(name.span(), format!("undefined field «{}»", name.get_ref()));
        }
        found
    }
}

fn compile_activity(
    c: &mut Compiler,
    names: &Names,
    stage: &StageDoc,
    stage_index: u16,
    spanned: &Spanned<ActivityDoc>,
    next: Option<ActivityId>,
) -> Activity {
    let a = spanned.get_ref();
    let number = a.number.get_ref();
    let here = a.number.span();

    let assignment = match (&a.responsible_from, &a.responsible, &stage.responsible) {
        (Some(from), Some(list), _) => {
            c.error(
                list.span(),
                format!(
                    "activity «{number}» has both responsible and responsible_from «{}»",
                    from.get_ref()
                ),
            );
            Assignment::Fixed(Vec::new())
        }
        (Some(from), None, _) => match names.field(c, from) {
            Some(id) if names.field_defs[usize::from(id.0)].ty == FieldType::Participants => {
                Assignment::FromField(id)
            }
            Some(_) => {
                c.error(
                    from.span(),
                    format!(
                        "responsible_from «{}» must be a participants field",
                        from.get_ref()
                    ),
                );
                Assignment::Fixed(Vec::new())
            }
            None => Assignment::Fixed(Vec::new()),
        },
        (None, Some(list), _) | (None, None, Some(list)) => {
            let ids: Vec<ParticipantId> = list
                .get_ref()
                .iter()
                .filter_map(|key| {
                    let id = names.participants.get(key.get_ref().as_str()).copied();
                    if id.is_none() {
                        c.error(
                            key.span(),
                            format!("undefined participant «{}»", key.get_ref()),
                        );
                    }
                    id
                })
                .collect();
            if list.get_ref().is_empty() {
                c.error(
                    list.span(),
                    format!("activity «{number}» has no responsible"),
                );
            }
            Assignment::Fixed(ids)
        }
        (None, None, None) => {
            c.error(
                here.clone(),
                format!(
                    "activity «{number}» has no responsible: set responsible on it or on its stage"
                ),
            );
            Assignment::Fixed(Vec::new())
        }
    };
    if let Some(list) = &a.responsible {
        check_listed_once(c, "responsible", list.get_ref(), |k| k.to_owned());
    }
    check_listed_once(c, "field", &a.fields, |k| k.to_owned());
    let parallel = a.parallel.as_ref().is_some_and(|p| *p.get_ref());

    let fields = a.fields.iter().filter_map(|f| names.field(c, f)).collect();

    let end = a.end.as_ref().is_some_and(|e| *e.get_ref());
    let route = match &a.decision {
        Some(question) => {
            if let Some(goto) = &a.goto {
                c.error(
                    goto.span(),
                    "a decision continues through its branches: move goto into a branch",
                );
            }
            if let Some(e) = a.end.as_ref().filter(|e| *e.get_ref()) {
                c.error(
                    e.span(),
                    "a decision ends through its branches: move end into a branch",
                );
            }
            if let Some(p) = a.parallel.as_ref().filter(|p| *p.get_ref()) {
                c.error(
                    p.span(),
                    format!(
                        "decision «{number}» cannot be parallel: each unit would answer differently"
                    ),
                );
            }
            if a.branches.len() < 2 {
                c.error(
                    question.span(),
                    format!("decision «{number}» needs at least two branches"),
                );
            }
            let mut answers = HashSet::new();
            let branches = a
                .branches
                .iter()
                .map(|b| {
                    let span = b.span();
                    let b = b.get_ref();
                    if !answers.insert(fold(b.answer.get_ref())) {
                        c.error(b.answer.span(), format!("duplicated answer «{}»", b.answer.get_ref()));
                    }
                    let exit = match (&b.goto, b.end) {
                        (Some(goto), true) => {
                            c.error(goto.span(), "a branch cannot both go to an activity and end");
                            Exit::End
                        }
                        (Some(goto), false) => Exit::Goto(names.activity(c, goto)),
                        (None, true) => Exit::End,
                        (None, false) => next.map(Exit::Goto).unwrap_or_else(|| {
                            c.error(span.clone(), "this branch continues, but there is no next activity: add goto or end = true");
                            Exit::End
                        }),
                    };
                    let expiry = b.expiry.as_ref().filter(|e| *e.get_ref());
                    if let Some(e) = expiry {
                        check_expiry_branch(c, names, a, b.answer.get_ref(), exit, e.span());
                    }
                    Branch {
                        answer: b.answer.get_ref().clone(),
                        text: b.text.clone(),
                        exit,
                        expiry: expiry.is_some(),
                    }
                })
                .collect();
            Route::Decide {
                question: question.get_ref().clone(),
                branches,
            }
        }
        None => {
            if let Some(b) = a.branches.first() {
                c.error(
                    b.span(),
                    format!("activity «{number}» has branches but no decision question"),
                );
            }
            Route::Continue(match (&a.goto, end) {
                (Some(goto), true) => {
                    c.error(goto.span(), "an activity cannot both go to another and end");
                    Exit::End
                }
                (Some(goto), false) => Exit::Goto(names.activity(c, goto)),
                (None, true) => Exit::End,
                (None, false) => next.map(Exit::Goto).unwrap_or_else(|| {
                    c.error(
                        here.clone(),
                        format!("the last activity «{number}» neither ends the procedure (end = true) nor says where to go"),
                    );
                    Exit::End
                }),
            })
        }
    };

    if let Some(call) = &a.call {
        if !is_identifier(call.get_ref(), &['-']) {
            c.error(
                call.span(),
                format!("«{}» is not a procedure key", call.get_ref()),
            );
        }
        if a.decision.is_some() || parallel {
            c.error(call.span(), format!("activity «{number}» calls a sub-procedure and cannot also be a decision or parallel"));
        }
    }
    let signature = a.signature.as_ref().filter(|s| *s.get_ref());
    if let Some(s) = signature
        && a.call.is_some()
    {
        c.error(
            s.span(),
            format!("activity «{number}» completes when its sub-procedure ends: nobody signs it"),
        );
    }

    let deadline = a
        .deadline
        .as_ref()
        .and_then(|d| compile_deadline(c, names, d));

    Activity {
        number: number.clone(),
        manual_number: a.manual_number.clone(),
        stage: stage_index,
        text: a.text.clone(),
        assignment,
        parallel,
        documents: a.documents.clone(),
        fields,
        route,
        call: a.call.as_ref().map(|c| c.get_ref().clone()),
        deadline,
        signature: signature.is_some(),
        note: a.note.clone(),
    }
}

/// An expiry answer needs a term that can run; when the term also has its own path
/// (`on_expiry`), the answer must lead to the same activity.
fn check_expiry_branch(
    c: &mut Compiler,
    names: &Names,
    activity: &ActivityDoc,
    answer: &str,
    exit: Exit,
    span: Range<usize>,
) {
    let number = activity.number.get_ref();
    let Some(deadline) = &activity.deadline else {
        c.error(
            span,
            format!("the expiry answer «{answer}» of «{number}» needs a deadline on the activity"),
        );
        return;
    };
    let Some(target) = &deadline.get_ref().on_expiry else {
        return;
    };
    let leads_there = names
        .activities
        .get(target.get_ref().as_str())
        .is_some_and(|id| exit == Exit::Goto(*id));
    if !leads_there {
        c.error(
            span,
            format!(
                "the expiry answer «{answer}» of «{number}» must lead where the term's on_expiry does («{}»)",
                target.get_ref()
            ),
        );
    }
}

fn compile_deadline(c: &mut Compiler, names: &Names, d: &Spanned<DeadlineDoc>) -> Option<Deadline> {
    let d = d.get_ref();
    let term = match parse_term(d.term.get_ref()) {
        Ok(t) => Some(t),
        Err(message) => {
            c.error(d.term.span(), format!("unparseable deadline: {message}"));
            None
        }
    };
    let anchor = match &d.from {
        None => Some(Anchor::Activity),
        Some(from) => compile_anchor(c, names, from),
    };
    let otherwise = d
        .otherwise_from
        .as_ref()
        .map(|from| compile_anchor(c, names, from));
    if let Some(otherwise) = &d.otherwise_from
        && matches!(anchor, Some(Anchor::Activity | Anchor::Case))
    {
        c.error(
            otherwise.span(),
            "otherwise_from is for a `from` date that may not be known yet: a field or a completed activity",
        );
    }
    let counts_from_a_field = |a: Option<Anchor>| a.is_none_or(|a| matches!(a, Anchor::Field(_)));
    if term.is_some_and(|t| t.before)
        && anchor.is_some()
        && !(counts_from_a_field(anchor) && counts_from_a_field(otherwise.flatten()))
    {
        c.error(
            d.term.span(),
            "«antes» counts back from a date: use it with from = \"field:<date field>\"",
        );
    }
    let regime = d
        .regime
        .as_ref()
        .map_or(names.regime, |r| parse_regime(c, r));
    let on_expiry = d.on_expiry.as_ref().map(|target| names.activity(c, target));
    let extension = compile_extension(c, names, d, term);
    let mut text = d.term.get_ref().clone();
    if let Some(extension) = &d.extension {
        text = format!("{text}, ampliable por {}", extension.get_ref());
    }
    Some(Deadline {
        text,
        term: term?,
        anchor: anchor?,
        otherwise: match otherwise {
            None => None,
            Some(anchor) => Some(anchor?),
        },
        regime,
        on_expiry,
        suspendable: d.suspendable,
        extension: extension?,
    })
}

fn compile_anchor(c: &mut Compiler, names: &Names, from: &Spanned<String>) -> Option<Anchor> {
    match parse_anchor(from.get_ref()) {
        Err(message) => {
            c.error(from.span(), message);
            None
        }
        Ok(AnchorText::Activity) => Some(Anchor::Activity),
        Ok(AnchorText::Case) => Some(Anchor::Case),
        Ok(AnchorText::Completed(number)) => match names.activities.get(number) {
            Some(id) => Some(Anchor::Completed(*id)),
            None => {
                c.error(from.span(), format!("unknown target activity «{number}»"));
                None
            }
        },
        Ok(AnchorText::Field(name)) => match names.fields.get(name) {
            Some(id) if names.field_defs[usize::from(id.0)].ty == FieldType::Date => {
                Some(Anchor::Field(*id))
            }
            Some(_) => {
                c.error(
                    from.span(),
                    format!("deadline anchor field «{name}» must be a date field"),
                );
                None
            }
            None => {
                c.error(from.span(), format!("undefined field «{name}»"));
                None
            }
        },
    }
}

/// `extension` and `extended_by` go together: the days a term may grow by, of the term's own
/// kind, and the activity whose completion grants them. `None` when they are wrong (reported).
fn compile_extension(
    c: &mut Compiler,
    names: &Names,
    d: &DeadlineDoc,
    term: Option<Term>,
) -> Option<Option<Extension>> {
    let (extension, granted_by) = match (&d.extension, &d.extended_by) {
        (None, None) => return Some(None),
        (Some(extension), Some(by)) => (extension, by),
        (Some(extension), None) => {
            c.error(
                extension.span(),
                "an extension needs extended_by: the activity whose completion grants it",
            );
            return None;
        }
        (None, Some(by)) => {
            c.error(by.span(), "extended_by without an extension to grant");
            return None;
        }
    };
    let granted_by = names.activity(c, granted_by);
    let days = match parse_term(extension.get_ref()) {
        Err(message) => {
            c.error(
                extension.span(),
                format!("unparseable extension: {message}"),
            );
            None
        }
        Ok(e) if e.before || term.is_some_and(|t| t.before) => {
            c.error(
                extension.span(),
                "only a term that counts forward can be extended",
            );
            None
        }
        Ok(e) if term.is_some_and(|t| t.kind != e.kind) => {
            c.error(
                extension.span(),
                "the extension counts the same kind of days as the term it extends",
            );
            None
        }
        Ok(e) => Some(e.days),
    };
    Some(Some(Extension {
        days: days?,
        granted_by,
    }))
}

/// Every activity must be reachable from the first, and every reachable one must be able to
/// reach an end: otherwise cases would get stuck in a loop with no way out.
fn check_graph(
    c: &mut Compiler,
    activities: &[Activity],
    docs: &[(&StageDoc, &Spanned<ActivityDoc>)],
) {
    let n = activities.len();
    if n == 0 {
        return;
    }
    let successors: Vec<Vec<usize>> = activities
        .iter()
        .map(|a| {
            a.successors()
                .filter_map(|e| match e {
                    Exit::Goto(id) => Some(usize::from(id.0)),
                    Exit::End => None,
                })
                .collect()
        })
        .collect();
    let ends: Vec<bool> = activities
        .iter()
        .map(|a| a.successors().any(|e| e == Exit::End))
        .collect();

    let reachable = search(n, &[0], |i| successors[i].clone());
    let mut predecessors = vec![Vec::new(); n];
    for (from, succ) in successors.iter().enumerate() {
        for &to in succ {
            predecessors[to].push(from);
        }
    }
    let enders: Vec<usize> = (0..n).filter(|&i| ends[i]).collect();
    let can_end = search(n, &enders, |i| predecessors[i].clone());

    let span = |i: usize| docs[i].1.get_ref().number.span();
    for i in 0..n {
        if !reachable[i] {
            c.error(
                span(i),
                format!(
                    "activity «{}» is unreachable: no activity, branch or expiry leads to it",
                    activities[i].number
                ),
            );
        }
    }
    let mut reported = vec![false; n];
    for i in 0..n {
        if !reachable[i] || can_end[i] || reported[i] {
            continue;
        }
        // Report each stuck loop once, by its members.
        let from_i = search(n, &[i], |k| successors[k].clone());
        let to_i = search(n, &[i], |k| predecessors[k].clone());
        let members: Vec<usize> = (0..n).filter(|&k| from_i[k] && to_i[k]).collect();
        if !members
            .iter()
            .any(|&k| successors[k].contains(&i) || k != i)
        {
            continue;
        }
        for &k in &members {
            reported[k] = true;
        }
        let names: Vec<&str> = members
            .iter()
            .map(|&k| activities[k].number.as_str())
            .collect();
        c.error(
            span(i),
            format!(
                "a loop with no way out: activities «{}» never lead to an end of the procedure",
                names.join("», «")
            ),
        );
    }
}

/// Breadth-first search over a graph given by its neighbours function.
fn search(n: usize, starts: &[usize], neighbours: impl Fn(usize) -> Vec<usize>) -> Vec<bool> {
    let mut seen = vec![false; n];
    let mut queue: Vec<usize> = starts.to_vec();
    for &s in starts {
        seen[s] = true;
    }
    while let Some(i) = queue.pop() {
        for k in neighbours(i) {
            if !seen[k] {
                seen[k] = true;
                queue.push(k);
            }
        }
    }
    seen
}
