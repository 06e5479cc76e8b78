//! A procedure as the official document of its manual, in the format of the federal *Guía
//! técnica para la elaboración y actualización de manuales de procedimientos*: 1.0 Propósito,
//! 2.0 Alcance, 3.0 Políticas de operación, normas y lineamientos, 4.0 Descripción del
//! procedimiento (the table Responsable / No. Act. / Descripción de la actividad / Documento o
//! anexo), 5.0 Diagrama de flujo, 6.0 Documentos de referencia, 7.0 Registros, 8.0 Glosario,
//! 9.0 Cambios de esta versión and 10.0 Anexos.
//!
//! This module's one job is the document's content and order ([`OfficialManual::of`]): what each
//! section says, the rows of each table, how decisions and returns are worded («¿Procede?
//! No: regresa a la actividad 1.2. Sí: continúa en la actividad 2.1.»). Writing it as a `.docx`
//! or a PDF, and drawing the diagram, is the web crate's (`turno_web::manual`).

use crate::definition::{Activity, ActivityId, Assignment, Exit, Procedure, Retention, Route};

/// The columns of the table «4.0 Descripción del procedimiento», as the Guía técnica heads them.
pub const ACTIVITY_COLUMNS: [&str; 4] = [
    "Responsable",
    "No. Act.",
    "Descripción de la actividad",
    "Documento o anexo",
];

/// The official document of one procedure version.
#[derive(Debug, Clone, PartialEq)]
pub struct OfficialManual {
    /// The manual the procedure belongs to (the document's header), when the definition says.
    pub manual: Option<String>,
    /// The unit that issues the manual.
    pub issuer: Option<String>,
    /// «2. Procedimiento para …»: the procedure's number and title, as the manual heads it.
    pub title: String,
    /// «Clave sidss-informes-oficiales, versión 2»: what identifies the definition it was made from.
    pub identification: String,
    pub sections: Vec<Section>,
}

/// A numbered section («1.0 Propósito») and what it holds, in order.
#[derive(Debug, Clone, PartialEq)]
pub struct Section {
    pub number: &'static str,
    pub title: &'static str,
    pub blocks: Vec<Block>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    Paragraph(String),
    Table(Table),
    /// The swimlane diagram of the procedure (one lane per responsible), drawn where it is
    /// written.
    Flowchart,
}

/// A table: its column headings, and rows of cells or headings across the whole table (the
/// stages of the activity table). A cell's lines are separated by `\n`.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub columns: Vec<String>,
    /// Each column's share of the table's width, in percent (they add up to 100).
    pub widths: Vec<u8>,
    pub rows: Vec<Row>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Row {
    /// A heading across the table: «1.0 Recepción de informes oficiales».
    Heading(String),
    Cells(Vec<String>),
}

/// «No aplica», for a section the definition leaves empty (the manuals write it so).
const NOT_APPLICABLE: &str = "No aplica";

impl OfficialManual {
    /// The document of `procedure`, with every section the definition has.
    pub fn of(procedure: &Procedure) -> OfficialManual {
        let title = match &procedure.number {
            Some(number) => format!("{number}. {}", procedure.title),
            None => procedure.title.clone(),
        };
        let sections = vec![
            Section {
                number: "1.0",
                title: "Propósito",
                blocks: paragraphs(&procedure.purpose),
            },
            Section {
                number: "2.0",
                title: "Alcance",
                blocks: paragraphs(&procedure.scope),
            },
            Section {
                number: "3.0",
                title: "Políticas de operación, normas y lineamientos",
                blocks: paragraphs(
                    &procedure
                        .policies
                        .iter()
                        .map(|p| match p.manual_number.as_ref().or(p.number.as_ref()) {
                            Some(number) => format!("{number} {}", p.text),
                            None => p.text.clone(),
                        })
                        .collect::<Vec<_>>(),
                ),
            },
            Section {
                number: "4.0",
                title: "Descripción del procedimiento",
                blocks: vec![Block::Table(activity_table(procedure))],
            },
            Section {
                number: "5.0",
                title: "Diagrama de flujo",
                blocks: vec![Block::Flowchart],
            },
            Section {
                number: "6.0",
                title: "Documentos de referencia",
                blocks: vec![Block::Table(table(
                    &["Documentos", "Código (cuando aplique)"],
                    &[70, 30],
                    procedure
                        .references
                        .iter()
                        .map(|r| vec![r.document.clone(), code(r.code.as_deref())])
                        .collect(),
                ))],
            },
            Section {
                number: "7.0",
                title: "Registros",
                blocks: vec![Block::Table(table(
                    &[
                        "Registros",
                        "Tiempo de conservación",
                        "Responsable de conservarlo",
                        "Código de registro o identificación única",
                    ],
                    &[30, 20, 30, 20],
                    procedure
                        .records
                        .iter()
                        .map(|r| {
                            vec![
                                r.name.clone(),
                                retention(r.retention, &r.retention_text),
                                r.keeper.clone(),
                                code(r.code.as_deref()),
                            ]
                        })
                        .collect(),
                ))],
            },
            Section {
                number: "8.0",
                title: "Glosario",
                blocks: paragraphs(
                    &procedure
                        .glossary
                        .iter()
                        .map(|g| match &g.number {
                            Some(number) => format!("{number} {}: {}", g.term, g.definition),
                            None => format!("{}: {}", g.term, g.definition),
                        })
                        .collect::<Vec<_>>(),
                ),
            },
            Section {
                number: "9.0",
                title: "Cambios de esta versión",
                blocks: vec![Block::Table(table(
                    &[
                        "Número de revisión",
                        "Fecha de la actualización",
                        "Descripción del cambio",
                    ],
                    &[20, 25, 55],
                    procedure
                        .changes
                        .iter()
                        .map(|c| vec![c.revision.clone(), c.date.clone(), c.description.clone()])
                        .collect(),
                ))],
            },
            Section {
                number: "10.0",
                title: "Anexos",
                blocks: paragraphs(
                    &procedure
                        .annexes
                        .iter()
                        .map(|a| {
                            let name = match &a.code {
                                Some(code) => format!("{} {code}", with_stop(&a.name)),
                                None => a.name.clone(),
                            };
                            match &a.number {
                                Some(number) => format!("{number} {name}"),
                                None => name,
                            }
                        })
                        .collect::<Vec<_>>(),
                ),
            },
        ];
        OfficialManual {
            manual: procedure.manual.clone(),
            issuer: procedure.issuer.clone(),
            title,
            identification: format!("Clave {}, versión {}", procedure.key, procedure.version),
            sections,
        }
    }

    /// Every text of the document in reading order (headings, paragraphs, cells), one per
    /// item: what a reader of the document must find in it.
    pub fn texts(&self) -> Vec<&str> {
        let mut texts: Vec<&str> = Vec::new();
        texts.extend(self.manual.as_deref());
        texts.extend(self.issuer.as_deref());
        texts.push(&self.title);
        for section in &self.sections {
            texts.push(section.title);
            for block in &section.blocks {
                match block {
                    Block::Paragraph(text) => texts.push(text),
                    Block::Flowchart => {}
                    Block::Table(table) => {
                        texts.extend(table.columns.iter().map(String::as_str));
                        for row in &table.rows {
                            match row {
                                Row::Heading(text) => texts.push(text),
                                Row::Cells(cells) => texts.extend(cells.iter().map(String::as_str)),
                            }
                        }
                    }
                }
            }
        }
        texts
    }
}

/// Paragraphs, or «No aplica» when there are none.
fn paragraphs(texts: &[String]) -> Vec<Block> {
    if texts.is_empty() {
        return vec![Block::Paragraph(NOT_APPLICABLE.to_owned())];
    }
    texts.iter().cloned().map(Block::Paragraph).collect()
}

/// A table of plain rows; without rows, one of «No aplica» in every column (as the manuals
/// fill an empty «Registros»).
fn table(columns: &[&str], widths: &[u8], rows: Vec<Vec<String>>) -> Table {
    let rows = if rows.is_empty() {
        vec![Row::Cells(vec![NOT_APPLICABLE.to_owned(); columns.len()])]
    } else {
        rows.into_iter().map(Row::Cells).collect()
    };
    Table {
        columns: columns.iter().map(|c| (*c).to_owned()).collect(),
        widths: widths.to_vec(),
        rows,
    }
}

fn code(code: Option<&str>) -> String {
    code.unwrap_or(NOT_APPLICABLE).to_owned()
}

fn retention(retention: Retention, text: &str) -> String {
    match retention {
        Retention::Years(n) => format!("{n} {}", if n == 1 { "año" } else { "años" }),
        Retention::Months(n) => format!("{n} {}", if n == 1 { "mes" } else { "meses" }),
        Retention::NotApplicable if text.trim().is_empty() => NOT_APPLICABLE.to_owned(),
        Retention::NotApplicable => text.to_owned(),
    }
}

/// `text` ending in a full stop (or another closing punctuation it already has).
fn with_stop(text: &str) -> String {
    let text = text.trim_end();
    if text.ends_with(['.', '?', '!', ':', ';']) {
        text.to_owned()
    } else {
        format!("{text}.")
    }
}

/// The table «4.0 Descripción del procedimiento»: a heading row per stage, then a row per
/// activity with its responsible, number, description (the text, then the decision and its
/// answers, the term, where the flow goes when it is not the next activity) and documents.
pub fn activity_table(procedure: &Procedure) -> Table {
    let mut rows = Vec::new();
    for stage in &procedure.stages {
        let number = stage.manual_number.as_deref().unwrap_or(&stage.number);
        rows.push(Row::Heading(format!("{number} {}", stage.name)));
        for index in stage.activities.clone() {
            let activity = procedure.activity(ActivityId(index));
            rows.push(Row::Cells(vec![
                responsible(procedure, activity),
                number_of(activity).to_owned(),
                description(procedure, index, activity),
                if activity.documents.is_empty() {
                    String::new()
                } else {
                    activity.documents.join("\n")
                },
            ]));
        }
    }
    Table {
        columns: ACTIVITY_COLUMNS.iter().map(|c| (*c).to_owned()).collect(),
        widths: vec![24, 8, 48, 20],
        rows,
    }
}

/// The activity's number as the manual prints it.
fn number_of(activity: &Activity) -> &str {
    activity
        .manual_number
        .as_deref()
        .unwrap_or(&activity.number)
}

/// The names in the column «Responsable»: the participants, or the candidates of the field
/// that chooses them while the case runs.
fn responsible(procedure: &Procedure, activity: &Activity) -> String {
    let names: Vec<&str> = procedure
        .candidates(activity)
        .into_iter()
        .map(|id| procedure.participant(id).name.as_str())
        .collect();
    match &activity.assignment {
        Assignment::Fixed(_) => names.join("\n"),
        Assignment::FromField(field) => format!(
            "{} (según «{}»)",
            names.join(", "),
            procedure.field(*field).label
        ),
    }
}

/// Where an exit leads, worded as the manuals do, from the activity at `from`: «continúa en la
/// actividad 5.1», «regresa a la actividad 1.2», «termina el procedimiento».
pub fn exit_words(procedure: &Procedure, from: u16, exit: Exit) -> String {
    match exit {
        Exit::End => "termina el procedimiento".to_owned(),
        Exit::Goto(target) => {
            let number = number_of(procedure.activity(target));
            if target.0 <= from {
                format!("regresa a la actividad {number}")
            } else if target.0 == from + 1 {
                format!("continúa en la actividad {number}")
            } else {
                format!("pasa a la actividad {number}")
            }
        }
    }
}

fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Whether a branch's own words already say where it goes («Regresa a la actividad 1.2»,
/// «Continúa procedimiento», «REGRESA ACT. 2.6»): then the generated words replace them.
fn says_where(text: &str) -> bool {
    let folded = crate::text::fold(text);
    let folded = folded.trim();
    folded.is_empty()
        || ["regresa", "continua", "pasa a", "termina", "se regresa"]
            .iter()
            .any(|start| folded.starts_with(start))
}

/// The cell «Descripción de la actividad»: the activity's text; a decision's question and
/// answers («No: regresa a la actividad 1.2.»); its term; a jump, a sub-procedure, a turn to
/// each responsible; and «TERMINA PROCEDIMIENTO» where it ends.
fn description(procedure: &Procedure, index: u16, activity: &Activity) -> String {
    let mut lines = vec![activity.text.clone()];
    if activity.parallel {
        lines.push("Se turna a cada responsable; concluye cuando todos han respondido.".to_owned());
    }
    if let Some(call) = &activity.call {
        lines.push(format!("Inicia el procedimiento «{call}»."));
    }
    if let Some(deadline) = &activity.deadline {
        let mut line = format!("Plazo: {}", deadline.text);
        if let Some(target) = deadline.on_expiry {
            line.push_str(&format!(
                "; si vence, {}",
                exit_words(procedure, index, Exit::Goto(target))
            ));
        }
        line.push('.');
        lines.push(line);
    }
    let mut ends = false;
    match &activity.route {
        Route::Decide { question, branches } => {
            lines.push(question.clone());
            for branch in branches {
                let words = exit_words(procedure, index, branch.exit);
                ends |= branch.exit == Exit::End;
                let line = if says_where(&branch.text) {
                    format!("{}: {words}.", branch.answer)
                } else {
                    format!(
                        "{}: {} {}.",
                        branch.answer,
                        with_stop(&branch.text),
                        capitalized(&words)
                    )
                };
                lines.push(line);
            }
        }
        Route::Continue(Exit::End) => ends = true,
        Route::Continue(Exit::Goto(target)) if target.0 == index + 1 => {}
        Route::Continue(exit) => {
            lines.push(format!(
                "{}.",
                capitalized(&exit_words(procedure, index, *exit))
            ));
        }
    }
    if ends {
        lines.push("TERMINA PROCEDIMIENTO".to_owned());
    }
    lines.join("\n")
}
