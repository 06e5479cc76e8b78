//! A modeler's BPMN 2.0 file (bpmn.io, Camunda Modeler, Signavio, …) turned into a draft
//! procedure definition in the format of `procedures/*.toml`, with a review report of every
//! element the definition cannot express, located by its line in the file.
//!
//! Reading is bounded: a file over [`MAX_BYTES`] is refused before it is parsed, elements
//! nested deeper than [`MAX_DEPTH`] stop the reading, and a `DOCTYPE` is refused, so no entity
//! is ever expanded (only XML's five predefined entities and character references are).
//!
//! The mapping (`docs/bpmn.md`, «Importar»): lanes (or the pool, when a process has no lanes)
//! are the participants, matched by name to the organization's units; tasks are activities
//! numbered in flow order, their documentation the activity's text; an exclusive gateway is a
//! decision whose answers are its outgoing flows' names (or the value of a condition
//! `outcome == "Sí"`), a flow back a return; a parallel split whose branches are one task each
//! and meet again is one activity turned in parallel to their lanes, and a multi-instance task
//! a parallel one; a boundary timer is the activity's term (`turno:businessDays` in días
//! hábiles, an ISO-8601 `P…D`/`P…W` in días naturales) and the path it interrupts to its
//! `on_expiry`; a call activity is a sub-procedure; start and end events begin and end it.

use super::export::TURNO_NS;
use crate::definition::toml_text::{list, quoted};
use crate::definition::{Procedure, parse_procedure};
use crate::diagnostic::{Located, line_col};
use crate::manual::units::initials;
use crate::org::UnitSpec;
use crate::text::{fold, squash};
use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};
use quick_xml::name::PrefixDeclaration;
use std::collections::{HashMap, HashSet};
use std::fmt::{self, Write as _};
use thiserror::Error;

/// Largest file read: a modeler's diagram of a procedure is a few hundred kilobytes.
pub const MAX_BYTES: usize = 16 * 1024 * 1024;
/// Deepest nesting of elements read (BPMN files nest a dozen levels).
pub const MAX_DEPTH: usize = 128;

/// Why a file could not be read at all (nothing is drafted).
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum Refused {
    #[error("el archivo pesa {bytes} bytes y el máximo es {max}")]
    TooLarge { bytes: usize, max: usize },
    #[error("el archivo no está en UTF-8 ni declara ISO-8859-1")]
    Encoding,
    #[error("línea {line}: XML mal formado: {message}")]
    Malformed { line: usize, message: String },
    #[error("línea {line}: el archivo declara un DOCTYPE; no se leen DTD ni entidades declaradas")]
    Doctype { line: usize },
    #[error("línea {line}: los elementos se anidan a más de {depth} niveles")]
    TooDeep { line: usize, depth: usize },
    #[error("el archivo no tiene ningún proceso BPMN (elemento process)")]
    NoProcess,
}

/// One element of the file the draft does not express as the modeler drew it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// 1-based line of the element's start tag in the file.
    pub line: usize,
    /// The element's local name (`eventBasedGateway`).
    pub element: String,
    /// Its `id` attribute (empty when it has none).
    pub id: String,
    pub message: String,
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.id.is_empty() {
            write!(f, "{}: {}: {}", self.line, self.element, self.message)
        } else {
            write!(
                f,
                "{}: {} «{}»: {}",
                self.line, self.element, self.id, self.message
            )
        }
    }
}

/// The draft definition and everything a person must review before publishing it.
#[derive(Debug, Clone)]
pub struct Draft {
    /// The procedure's key, from the file's name (`a-1-1` for `A.1.1.bpmn`).
    pub key: String,
    /// The definition, in the format of `procedures/*.toml`.
    pub toml: String,
    /// What the file has that the draft does not express, in the file's order.
    pub findings: Vec<Finding>,
    /// What the definition validator says of the draft, located in `<key>.toml`.
    pub problems: Vec<Located>,
    /// The draft validated, when it has no problems.
    pub procedure: Option<Procedure>,
}

impl Draft {
    /// The review report: the findings as `FILE:LINE: element «id»: message`, then the
    /// validator's problems of the draft.
    pub fn report(&self, file: &str) -> String {
        let mut out = format!(
            "Revisión de la importación de {file} (BPMN 2.0) en {}.toml\n",
            self.key
        );
        section(
            &mut out,
            &self.findings,
            &format!("{file}:"),
            "Todos los elementos del archivo se importaron.",
            "Elementos que el borrador no expresa como en el diagrama",
        );
        section(
            &mut out,
            &self.problems,
            "",
            "El borrador pasa el validador de definiciones.",
            "Problemas del borrador según el validador",
        );
        out
    }
}

/// One part of the report: `none` when there are no `items`, else `heading (N):` and each item
/// on its line after `prefix`.
fn section<T: fmt::Display>(
    out: &mut String,
    items: &[T],
    prefix: &str,
    none: &str,
    heading: &str,
) {
    if items.is_empty() {
        let _ = writeln!(out, "\n{none}");
    } else {
        let _ = writeln!(out, "\n{heading} ({}):", items.len());
        for item in items {
            let _ = writeln!(out, "{prefix}{item}");
        }
    }
}

/// Reads `bytes` (a file named `name`) into a draft whose participants are matched by name to
/// `units`.
pub fn import(name: &str, bytes: &[u8], units: &[UnitSpec]) -> Result<Draft, Refused> {
    if bytes.len() > MAX_BYTES {
        return Err(Refused::TooLarge {
            bytes: bytes.len(),
            max: MAX_BYTES,
        });
    }
    let text = decode(bytes)?;
    let model = read(&text)?;
    Ok(Builder::new(&model, units).draft(key_of_file(name)))
}

/// UTF-8, or ISO-8859-1 when the declaration says so (as some modelers write).
fn decode(bytes: &[u8]) -> Result<String, Refused> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Ok(text.to_owned());
    }
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(200)]).to_ascii_lowercase();
    let declaration = head.split("?>").next().unwrap_or("");
    if declaration.contains("iso-8859-1") || declaration.contains("latin1") {
        Ok(bytes.iter().map(|b| char::from(*b)).collect())
    } else {
        Err(Refused::Encoding)
    }
}

/// `A.1.1.bpmn` → `a-1-1`: lowercase letters and digits joined by `-`.
pub fn key_of_file(name: &str) -> String {
    let file = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let stem = match file.rsplit_once('.') {
        Some((stem, ext))
            if ext.eq_ignore_ascii_case("bpmn") || ext.eq_ignore_ascii_case("xml") =>
        {
            stem
        }
        _ => file,
    };
    let key = keyify(stem);
    if key.is_empty() {
        "bpmn".to_owned()
    } else {
        key
    }
}

fn keyify(text: &str) -> String {
    let mut key = String::new();
    for ch in fold(text).chars() {
        let ch = match ch {
            'ñ' => 'n',
            c => c,
        };
        if ch.is_ascii_alphanumeric() {
            key.push(ch);
        } else if !key.is_empty() && !key.ends_with('-') {
            key.push('-');
        }
    }
    key.trim_end_matches('-').to_owned()
}

// ───────────────────────────── reading ─────────────────────────────

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Task,
    OtherTask,
    Call,
    SubProcess,
    Start,
    End,
    Exclusive,
    Parallel,
    Inclusive,
    EventBased,
    Complex,
    Catch,
    Throw,
    Boundary,
}

fn kind_of(local: &str) -> Option<Kind> {
    Some(match local {
        "task" | "userTask" | "manualTask" | "serviceTask" => Kind::Task,
        "sendTask" | "receiveTask" | "scriptTask" | "businessRuleTask" => Kind::OtherTask,
        "callActivity" => Kind::Call,
        "subProcess" | "transaction" | "adHocSubProcess" => Kind::SubProcess,
        "startEvent" => Kind::Start,
        "endEvent" => Kind::End,
        "exclusiveGateway" => Kind::Exclusive,
        "parallelGateway" => Kind::Parallel,
        "inclusiveGateway" => Kind::Inclusive,
        "eventBasedGateway" => Kind::EventBased,
        "complexGateway" => Kind::Complex,
        "intermediateCatchEvent" => Kind::Catch,
        "intermediateThrowEvent" => Kind::Throw,
        "boundaryEvent" => Kind::Boundary,
        _ => return None,
    })
}

#[derive(Debug, Default)]
struct Node {
    id: String,
    name: String,
    /// The activity's number in its manual, as Turno's export writes it (`turno:number`).
    number: Option<String>,
    /// The participants' keys Turno's export writes (`turno:responsible`), each with its lane
    /// `Lane_KEY`.
    responsible: Vec<String>,
    element: String,
    kind: Option<Kind>,
    line: usize,
    process: usize,
    documentation: String,
    default_flow: Option<String>,
    called: Option<String>,
    /// Multi-instance: whether sequential.
    multi: Option<bool>,
    standard_loop: bool,
    for_compensation: bool,
    /// Event definitions (`timerEventDefinition`, …).
    definitions: Vec<String>,
    attached_to: Option<String>,
    cancel: bool,
    duration: String,
    business_days: Option<String>,
    /// Flow elements inside an expanded sub-process, not imported.
    inner: usize,
    /// What Turno's export writes that BPMN has no place for (`turno:responsibleFrom`, …).
    turno: TurnoNode,
}

/// A task's and a timer's Turno attributes and extension elements beyond the number and the
/// responsible, as `turno export bpmn` writes them (`docs/bpmn.md`).
#[derive(Debug, Default)]
struct TurnoNode {
    /// The `participants` field that chooses the responsible (`turno:responsibleFrom`).
    responsible_from: Option<String>,
    /// The case fields captured at the activity (`turno:fields`, space-separated names).
    fields: Vec<String>,
    signature: bool,
    /// `turno:document` elements.
    documents: Vec<String>,
    // A timer's: the term in días naturales and how it is counted.
    natural_days: Option<String>,
    regime: Option<String>,
    from: Option<String>,
    before: bool,
    otherwise_from: Option<String>,
    suspendable: bool,
    extension_days: Option<String>,
    extended_by: Option<String>,
}

/// A case field of the process (`turno:field` in its extension elements); in the draft, the
/// candidates of a `participants` field are the draft's participants' keys.
#[derive(Debug, Default, Clone)]
struct FieldSpec {
    name: String,
    label: String,
    ty: String,
    required: bool,
    options: Vec<String>,
    line: usize,
    process: usize,
}

#[derive(Debug, Default)]
struct Flow {
    id: String,
    source: String,
    target: String,
    name: String,
    condition: String,
    line: usize,
    process: usize,
    /// The answer stands for the term running out (`turno:expiry`).
    expiry: bool,
}

#[derive(Debug, Default)]
struct Lane {
    id: String,
    name: String,
    line: usize,
    process: usize,
    refs: Vec<String>,
}

#[derive(Debug, Default)]
struct Pool {
    name: String,
    process_ref: String,
}

#[derive(Debug, Default)]
struct Process {
    id: String,
    name: String,
    line: usize,
    documentation: String,
}

#[derive(Debug, Default)]
struct Model {
    name: String,
    processes: Vec<Process>,
    pools: Vec<Pool>,
    nodes: Vec<Node>,
    flows: Vec<Flow>,
    lanes: Vec<Lane>,
    fields: Vec<FieldSpec>,
    findings: Vec<Finding>,
}

#[derive(Debug, Clone, Copy)]
enum TextTarget {
    NodeDoc(usize),
    ProcessDoc(usize),
    Condition(usize),
    Duration(usize),
    LaneRef(usize),
    NodeDocument(usize),
    FieldOption(usize),
}

/// The 1-based line of byte offsets that only grow, counted once over the text.
struct Lines<'a> {
    text: &'a str,
    offset: usize,
    line: usize,
}

impl Lines<'_> {
    fn at(&mut self, offset: usize) -> usize {
        let offset = offset.min(self.text.len());
        if offset < self.offset {
            return line_col(self.text, offset).0;
        }
        self.line += self.text.as_bytes()[self.offset..offset]
            .iter()
            .filter(|b| **b == b'\n')
            .count();
        self.offset = offset;
        self.line
    }
}

struct Reading<'a> {
    model: Model,
    /// Local names of the open elements.
    stack: Vec<String>,
    skip: Option<usize>,
    process: Option<(usize, usize)>,
    node: Option<(usize, usize)>,
    flow: Option<(usize, usize)>,
    lanes: Vec<(usize, usize)>,
    nested: Option<(usize, usize)>,
    collaboration: Option<usize>,
    text: Option<(TextTarget, usize)>,
    lines: Lines<'a>,
    /// The prefix the file declares for Turno's namespace ([`TURNO_NS`]).
    turno_prefix: Option<String>,
    /// The process's `extensionElements` (depth), and the `turno:field` open in it.
    extension: Option<usize>,
    field: Option<(usize, usize)>,
}

fn attr(e: &BytesStart, name: &str) -> Result<Option<String>, quick_xml::Error> {
    for a in e.attributes() {
        let a = a.map_err(quick_xml::Error::from)?;
        if a.key.local_name().as_ref() == name.as_bytes() {
            return Ok(Some(a.unescape_value()?.into_owned()));
        }
    }
    Ok(None)
}

fn read(text: &str) -> Result<Model, Refused> {
    let mut reader = Reader::from_str(text);
    let mut r = Reading {
        model: Model::default(),
        stack: Vec::new(),
        skip: None,
        process: None,
        node: None,
        flow: None,
        lanes: Vec::new(),
        nested: None,
        collaboration: None,
        text: None,
        lines: Lines {
            text,
            offset: 0,
            line: 1,
        },
        turno_prefix: None,
        extension: None,
        field: None,
    };
    loop {
        let start = usize::try_from(reader.buffer_position()).unwrap_or(usize::MAX);
        let malformed = |reader: &Reader<&[u8]>, message: String| Refused::Malformed {
            line: line_col(
                text,
                usize::try_from(reader.error_position()).unwrap_or(usize::MAX),
            )
            .0,
            message,
        };
        let event = reader
            .read_event()
            .map_err(|e| malformed(&reader, e.to_string()))?;
        match event {
            Event::Start(e) | Event::Empty(e) if r.stack.len() >= MAX_DEPTH => {
                let _ = e;
                return Err(Refused::TooDeep {
                    line: r.lines.at(start),
                    depth: MAX_DEPTH,
                });
            }
            Event::Start(ref e) | Event::Empty(ref e) => {
                let empty = matches!(event, Event::Empty(_));
                let line = r.lines.at(start);
                r.open(e, line, empty).map_err(|err| Refused::Malformed {
                    line,
                    message: err.to_string(),
                })?;
                if empty {
                    r.close();
                }
            }
            Event::End(_) => r.close(),
            Event::Text(t) => {
                let t = t.decode().map_err(|e| malformed(&reader, e.to_string()))?;
                r.push_text(&t);
            }
            Event::CData(t) => {
                let t = t.decode().map_err(|e| malformed(&reader, e.to_string()))?;
                r.push_text(&t);
            }
            Event::GeneralRef(reference) => {
                let ch = match reference.resolve_char_ref() {
                    Ok(Some(ch)) => ch,
                    Ok(None) => match reference.decode().as_deref() {
                        Ok("amp") => '&',
                        Ok("lt") => '<',
                        Ok("gt") => '>',
                        Ok("quot") => '"',
                        Ok("apos") => '\'',
                        _ => {
                            return Err(malformed(
                                &reader,
                                format!(
                                    "entidad desconocida «&{};»",
                                    String::from_utf8_lossy(&reference)
                                ),
                            ));
                        }
                    },
                    Err(e) => return Err(malformed(&reader, e.to_string())),
                };
                r.push_text(ch.encode_utf8(&mut [0; 4]));
            }
            Event::DocType(_) => {
                return Err(Refused::Doctype {
                    line: r.lines.at(start),
                });
            }
            Event::Eof => match r.stack.last() {
                Some(open) => {
                    return Err(Refused::Malformed {
                        line: r.lines.at(text.len()),
                        message: format!("el archivo termina sin cerrar <{open}>"),
                    });
                }
                None => break,
            },
            _ => {}
        }
    }
    if r.model.processes.is_empty() {
        return Err(Refused::NoProcess);
    }
    Ok(r.model)
}

impl Reading<'_> {
    fn finding(&mut self, line: usize, element: &str, id: &str, message: impl Into<String>) {
        self.model.findings.push(Finding {
            line,
            element: element.to_owned(),
            id: id.to_owned(),
            message: message.into(),
        });
    }

    fn push_text(&mut self, text: &str) {
        let Some((target, _)) = self.text else {
            return;
        };
        let m = &mut self.model;
        match target {
            TextTarget::NodeDoc(i) => m.nodes[i].documentation.push_str(text),
            TextTarget::ProcessDoc(i) => m.processes[i].documentation.push_str(text),
            TextTarget::Condition(i) => m.flows[i].condition.push_str(text),
            TextTarget::Duration(i) => m.nodes[i].duration.push_str(text),
            TextTarget::LaneRef(i) => {
                if let Some(last) = m.lanes[i].refs.last_mut() {
                    last.push_str(text);
                }
            }
            TextTarget::NodeDocument(i) => {
                if let Some(last) = m.nodes[i].turno.documents.last_mut() {
                    last.push_str(text);
                }
            }
            TextTarget::FieldOption(i) => {
                if let Some(last) = m.fields[i].options.last_mut() {
                    last.push_str(text);
                }
            }
        }
    }

    fn close(&mut self) {
        let depth = self.stack.len().saturating_sub(1);
        self.stack.pop();
        if self.skip == Some(depth) {
            self.skip = None;
        }
        if self.text.is_some_and(|(_, d)| d == depth) {
            self.text = None;
        }
        if self.node.is_some_and(|(_, d)| d == depth) {
            self.node = None;
        }
        if self.flow.is_some_and(|(_, d)| d == depth) {
            self.flow = None;
        }
        if self.nested.is_some_and(|(_, d)| d == depth) {
            self.nested = None;
        }
        if self.lanes.last().is_some_and(|(_, d)| *d == depth) {
            self.lanes.pop();
        }
        if self.process.is_some_and(|(_, d)| d == depth) {
            self.process = None;
        }
        if self.collaboration == Some(depth) {
            self.collaboration = None;
        }
        if self.field.is_some_and(|(_, d)| d == depth) {
            self.field = None;
        }
        if self.extension == Some(depth) {
            self.extension = None;
        }
    }

    /// Whether the element is in Turno's namespace.
    fn is_turno(&self, e: &BytesStart) -> bool {
        let name = e.name();
        match (name.prefix(), &self.turno_prefix) {
            (Some(prefix), Some(turno)) => prefix.as_ref() == turno.as_bytes(),
            _ => false,
        }
    }

    /// A Turno attribute (`turno:responsibleFrom`) by its local name.
    fn turno_attr(&self, e: &BytesStart, name: &str) -> Result<Option<String>, quick_xml::Error> {
        let Some(turno) = &self.turno_prefix else {
            return Ok(None);
        };
        for a in e.attributes() {
            let a = a.map_err(quick_xml::Error::from)?;
            if a.key
                .prefix()
                .is_some_and(|p| p.as_ref() == turno.as_bytes())
                && a.key.local_name().as_ref() == name.as_bytes()
            {
                return Ok(Some(a.unescape_value()?.into_owned()));
            }
        }
        Ok(None)
    }

    /// Whether a Turno attribute is `true`.
    fn turno_flag(&self, e: &BytesStart, name: &str) -> Result<bool, quick_xml::Error> {
        Ok(self.turno_attr(e, name)?.as_deref().map(str::trim) == Some("true"))
    }

    /// Reads an element's Turno attributes into `node`'s.
    fn turno_node(&self, e: &BytesStart, n: &mut TurnoNode) -> Result<(), quick_xml::Error> {
        let text = |name| self.turno_attr(e, name);
        n.responsible_from = text("responsibleFrom")?
            .map(|f| f.trim().to_owned())
            .filter(|f| !f.is_empty());
        n.fields = text("fields")?
            .map(|names| names.split_whitespace().map(str::to_owned).collect())
            .unwrap_or_default();
        n.signature = self.turno_flag(e, "signature")?;
        n.natural_days = text("naturalDays")?;
        n.regime = text("regime")?;
        n.from = text("from")?;
        n.before = self.turno_flag(e, "before")?;
        n.otherwise_from = text("otherwiseFrom")?;
        n.suspendable = self.turno_flag(e, "suspendable")?;
        n.extension_days = text("extensionDays")?;
        n.extended_by = text("extendedBy")?;
        Ok(())
    }

    fn open(&mut self, e: &BytesStart, line: usize, empty: bool) -> Result<(), quick_xml::Error> {
        let local = String::from_utf8_lossy(e.local_name().as_ref()).into_owned();
        let depth = self.stack.len();
        self.stack.push(local.clone());
        if self.skip.is_some() {
            return Ok(());
        }
        for a in e.attributes() {
            let a = a.map_err(quick_xml::Error::from)?;
            if let Some(PrefixDeclaration::Named(prefix)) = a.key.as_namespace_binding()
                && a.value.as_ref() == TURNO_NS.as_bytes()
            {
                self.turno_prefix = Some(String::from_utf8_lossy(prefix).into_owned());
            }
        }
        let id = attr(e, "id")?.unwrap_or_default();
        // Inside an expanded sub-process: counted, not imported.
        if let Some((owner, owner_depth)) = self.nested {
            if depth == owner_depth + 1 && local == "documentation" {
                self.text = Some((TextTarget::NodeDoc(owner), depth));
            } else if depth == owner_depth + 1 && local == "multiInstanceLoopCharacteristics" {
                self.model.nodes[owner].multi =
                    Some(attr(e, "isSequential")?.as_deref() == Some("true"));
                self.skip = Some(depth);
            } else {
                if kind_of(&local).is_some() {
                    self.model.nodes[owner].inner += 1;
                }
                self.skip = Some(depth);
            }
            return Ok(());
        }
        let Some((process, process_depth)) = self.process else {
            match local.as_str() {
                "definitions" => self.model.name = squash(&attr(e, "name")?.unwrap_or_default()),
                "collaboration" => self.collaboration = Some(depth),
                "participant" if self.collaboration.is_some() => self.model.pools.push(Pool {
                    name: squash(&attr(e, "name")?.unwrap_or_default()),
                    process_ref: attr(e, "processRef")?.unwrap_or_default(),
                }),
                "messageFlow" => {
                    self.finding(line, &local, &id, "flujo de mensajes entre pools: no se importa; si el otro pool es una unidad que interviene, agréguela como participante y su actividad al procedimiento");
                    self.skip = Some(depth);
                }
                "process" => {
                    self.model.processes.push(Process {
                        id,
                        name: squash(&attr(e, "name")?.unwrap_or_default()),
                        line,
                        documentation: String::new(),
                    });
                    if !empty {
                        self.process = Some((self.model.processes.len() - 1, depth));
                    }
                }
                "group" | "textAnnotation" => {
                    self.finding(line, &local, &id, "las anotaciones y grupos no se importan");
                    self.skip = Some(depth);
                }
                "choreography" | "conversation" | "callConversation" | "subConversation" => {
                    self.finding(
                        line,
                        &local,
                        &id,
                        "coreografías y conversaciones no se importan",
                    );
                    self.skip = Some(depth);
                }
                _ if depth > 0 => self.skip = Some(depth),
                _ => {}
            }
            return Ok(());
        };
        if let Some((node, node_depth)) = self.node {
            let business_days = attr(e, "businessDays")?;
            let turno = self.is_turno(e);
            let in_extension = depth >= 1 && self.stack[depth - 1] == "extensionElements";
            let n = &mut self.model.nodes[node];
            if let Some(days) = business_days {
                n.business_days = Some(days);
            }
            match local.as_str() {
                "extensionElements" => {}
                "document" if turno && in_extension => {
                    n.turno.documents.push(String::new());
                    self.text = Some((TextTarget::NodeDocument(node), depth));
                }
                "documentation" if depth == node_depth + 1 => {
                    self.text = Some((TextTarget::NodeDoc(node), depth));
                }
                "multiInstanceLoopCharacteristics" => {
                    n.multi = Some(attr(e, "isSequential")?.as_deref() == Some("true"));
                    self.skip = Some(depth);
                }
                "standardLoopCharacteristics" => {
                    n.standard_loop = true;
                    self.skip = Some(depth);
                }
                "timeDuration" => {
                    self.text = Some((TextTarget::Duration(node), depth));
                }
                "timeDate" | "timeCycle" => {
                    n.definitions.push(local.clone());
                    self.skip = Some(depth);
                }
                _ if local.ends_with("EventDefinition") => n.definitions.push(local.clone()),
                _ => self.skip = Some(depth),
            }
            return Ok(());
        }
        if let Some((flow, flow_depth)) = self.flow {
            if local == "conditionExpression" && depth == flow_depth + 1 {
                self.text = Some((TextTarget::Condition(flow), depth));
            } else {
                self.skip = Some(depth);
            }
            return Ok(());
        }
        if let Some(extension) = self.extension {
            let turno = self.is_turno(e);
            match self.field {
                None if turno && local == "field" && depth == extension + 1 => {
                    self.model.fields.push(FieldSpec {
                        name: attr(e, "name")?.unwrap_or_default().trim().to_owned(),
                        label: squash(&attr(e, "label")?.unwrap_or_default()),
                        ty: attr(e, "type")?.unwrap_or_default().trim().to_owned(),
                        required: attr(e, "required")?.as_deref().map(str::trim) == Some("true"),
                        options: Vec::new(),
                        line,
                        process,
                    });
                    if !empty {
                        self.field = Some((self.model.fields.len() - 1, depth));
                    }
                }
                Some((field, field_depth))
                    if turno && local == "option" && depth == field_depth + 1 =>
                {
                    self.model.fields[field].options.push(String::new());
                    self.text = Some((TextTarget::FieldOption(field), depth));
                }
                _ => self.skip = Some(depth),
            }
            return Ok(());
        }
        match local.as_str() {
            "extensionElements" if depth == process_depth + 1 => self.extension = Some(depth),
            "laneSet" | "childLaneSet" => {}
            "lane" => {
                self.model.lanes.push(Lane {
                    id,
                    name: squash(&attr(e, "name")?.unwrap_or_default()),
                    line,
                    process,
                    refs: Vec::new(),
                });
                if !empty {
                    self.lanes.push((self.model.lanes.len() - 1, depth));
                }
            }
            "flowNodeRef" => {
                if let Some((lane, _)) = self.lanes.last() {
                    self.model.lanes[*lane].refs.push(String::new());
                    self.text = Some((TextTarget::LaneRef(*lane), depth));
                }
            }
            "documentation" if depth == process_depth + 1 => {
                self.text = Some((TextTarget::ProcessDoc(process), depth));
            }
            "sequenceFlow" => {
                self.model.flows.push(Flow {
                    id,
                    source: attr(e, "sourceRef")?.unwrap_or_default(),
                    target: attr(e, "targetRef")?.unwrap_or_default(),
                    name: squash(&attr(e, "name")?.unwrap_or_default()),
                    condition: String::new(),
                    line,
                    process,
                    expiry: self.turno_flag(e, "expiry")?,
                });
                if !empty {
                    self.flow = Some((self.model.flows.len() - 1, depth));
                }
            }
            "dataObject"
            | "dataObjectReference"
            | "dataStoreReference"
            | "dataInput"
            | "dataOutput" => {
                self.finding(line, &local, &id, "los objetos y almacenes de datos no se importan: si es un documento que la actividad produce o recibe, anótelo en su `documents`");
                self.skip = Some(depth);
            }
            "textAnnotation" | "group" => {
                self.finding(line, &local, &id, "las anotaciones y grupos no se importan");
                self.skip = Some(depth);
            }
            _ => match kind_of(&local) {
                Some(kind) => {
                    let cancel = attr(e, "cancelActivity")?.as_deref() != Some("false");
                    let mut turno = TurnoNode::default();
                    self.turno_node(e, &mut turno)?;
                    self.model.nodes.push(Node {
                        name: squash(&attr(e, "name")?.unwrap_or_default()),
                        element: local.clone(),
                        kind: Some(kind),
                        line,
                        process,
                        default_flow: attr(e, "default")?,
                        called: attr(e, "calledElement")?,
                        for_compensation: attr(e, "isForCompensation")?.as_deref() == Some("true"),
                        attached_to: attr(e, "attachedToRef")?,
                        cancel,
                        business_days: attr(e, "businessDays")?,
                        number: attr(e, "number")?.filter(|n| !n.trim().is_empty()),
                        responsible: attr(e, "responsible")?
                            .map(|keys| keys.split_whitespace().map(str::to_owned).collect())
                            .unwrap_or_default(),
                        id,
                        turno,
                        ..Node::default()
                    });
                    if !empty {
                        let index = self.model.nodes.len() - 1;
                        if kind == Kind::SubProcess {
                            self.nested = Some((index, depth));
                        } else {
                            self.node = Some((index, depth));
                        }
                    }
                }
                // ioSpecification, property, extensionElements, association…: no behavior.
                None => self.skip = Some(depth),
            },
        }
        Ok(())
    }
}

// ───────────────────────────── building ─────────────────────────────

/// Where a flow leads once pass-through elements are crossed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    Activity(usize),
    End,
}

#[derive(Debug, Clone)]
struct BranchDraft {
    answer: String,
    step: Step,
    expiry: bool,
}

#[derive(Debug, Clone)]
enum RouteDraft {
    Continue(Step),
    Decide {
        question: String,
        branches: Vec<BranchDraft>,
    },
}

#[derive(Debug, Clone)]
struct DeadlineDraft {
    term: String,
    on_expiry: Option<usize>,
    from: Option<AnchorDraft>,
    otherwise_from: Option<AnchorDraft>,
    regime: Option<String>,
    suspendable: bool,
    /// The extra days («10 días hábiles») and the activity that grants them.
    extension: Option<(String, usize)>,
}

/// Where a term counts from (`turno:from`): as written, or the completion of an activity of
/// the draft (whose number may change).
#[derive(Debug, Clone)]
enum AnchorDraft {
    Written(String),
    Completed(usize),
}

#[derive(Debug, Clone)]
struct ActivityDraft {
    node: usize,
    text: String,
    /// Participant indices.
    responsible: Vec<usize>,
    /// The `participants` field that chooses the responsible instead.
    responsible_from: Option<String>,
    parallel: bool,
    route: RouteDraft,
    call: Option<String>,
    deadline: Option<DeadlineDraft>,
    documents: Vec<String>,
    fields: Vec<String>,
    signature: bool,
    note: String,
}

struct Participant {
    key: String,
    name: String,
    unit: Option<String>,
}

struct Builder<'a> {
    m: &'a Model,
    units: &'a [UnitSpec],
    main: usize,
    ids: HashMap<&'a str, usize>,
    outs: HashMap<usize, Vec<usize>>,
    ins: HashMap<usize, Vec<usize>>,
    /// Gateways merged into the task before them: gateway → task.
    owned: HashMap<usize, usize>,
    /// Parallel splits drawn as one activity: split → (branch tasks, join).
    forks: HashMap<usize, (Vec<usize>, usize)>,
    consumed: HashSet<usize>,
    /// Boundary events by the activity they are attached to.
    attached: HashMap<usize, Vec<usize>>,
    /// The innermost lane of each node.
    lanes: HashMap<usize, usize>,
    findings: Vec<Finding>,
    participants: Vec<Participant>,
    lane_participant: HashMap<usize, usize>,
}

impl<'a> Builder<'a> {
    fn new(m: &'a Model, units: &'a [UnitSpec]) -> Builder<'a> {
        let tasks = |p: usize| {
            m.nodes
                .iter()
                .filter(|n| n.process == p && is_work(n.kind))
                .count()
        };
        // The process with the most tasks (the first of equals) is the procedure.
        let main = (0..m.processes.len())
            .rev()
            .max_by_key(|p| tasks(*p))
            .unwrap_or(0);
        let ids: HashMap<&str, usize> = m
            .nodes
            .iter()
            .enumerate()
            .filter(|(_, n)| n.process == main)
            .map(|(i, n)| (n.id.as_str(), i))
            .collect();
        let mut outs: HashMap<usize, Vec<usize>> = HashMap::new();
        let mut ins: HashMap<usize, Vec<usize>> = HashMap::new();
        let mut findings = m.findings.clone();
        for (f, flow) in m
            .flows
            .iter()
            .enumerate()
            .filter(|(_, f)| f.process == main)
        {
            match (ids.get(flow.source.as_str()), ids.get(flow.target.as_str())) {
                (Some(s), Some(t)) => {
                    outs.entry(*s).or_default().push(f);
                    ins.entry(*t).or_default().push(f);
                }
                _ => findings.push(Finding {
                    line: flow.line,
                    element: "sequenceFlow".to_owned(),
                    id: flow.id.clone(),
                    message: format!(
                        "une «{}» con «{}», y uno de los dos no es un elemento del proceso",
                        flow.source, flow.target
                    ),
                }),
            }
        }
        for (p, process) in m.processes.iter().enumerate() {
            if p != main && m.nodes.iter().any(|n| n.process == p) {
                findings.push(Finding {
                    line: process.line,
                    element: "process".to_owned(),
                    id: process.id.clone(),
                    message: format!(
                        "proceso «{}» no importado: un procedimiento es un solo proceso y se tomó «{}», el de más tareas; importe este por separado",
                        process_label(m, p),
                        process_label(m, main)
                    ),
                });
            }
        }
        let mut attached: HashMap<usize, Vec<usize>> = HashMap::new();
        for (b, node) in m
            .nodes
            .iter()
            .enumerate()
            .filter(|(_, n)| n.process == main)
        {
            if let Some(to) = node.attached_to.as_deref().and_then(|t| ids.get(t)) {
                attached.entry(*to).or_default().push(b);
            }
        }
        // The innermost lane names a node last.
        let mut lanes = HashMap::new();
        for (l, lane) in m
            .lanes
            .iter()
            .enumerate()
            .filter(|(_, l)| l.process == main)
        {
            for node in lane.refs.iter().filter_map(|r| ids.get(r.trim())) {
                lanes.insert(*node, l);
            }
        }
        Builder {
            m,
            units,
            main,
            ids,
            outs,
            ins,
            owned: HashMap::new(),
            forks: HashMap::new(),
            consumed: HashSet::new(),
            attached,
            lanes,
            findings,
            participants: Vec::new(),
            lane_participant: HashMap::new(),
        }
    }

    fn node(&self, i: usize) -> &'a Node {
        &self.m.nodes[i]
    }

    fn outs(&self, i: usize) -> &[usize] {
        self.outs.get(&i).map_or(&[], Vec::as_slice)
    }

    fn ins(&self, i: usize) -> &[usize] {
        self.ins.get(&i).map_or(&[], Vec::as_slice)
    }

    fn target(&self, flow: usize) -> usize {
        self.ids[self.m.flows[flow].target.as_str()]
    }

    fn source(&self, flow: usize) -> usize {
        self.ids[self.m.flows[flow].source.as_str()]
    }

    fn note(&mut self, node: usize, message: impl Into<String>) {
        let n = self.node(node);
        self.findings.push(Finding {
            line: n.line,
            element: n.element.clone(),
            id: n.id.clone(),
            message: message.into(),
        });
    }

    fn main_nodes(&self) -> Vec<usize> {
        (0..self.m.nodes.len())
            .filter(|i| self.m.nodes[*i].process == self.main)
            .collect()
    }

    fn is_decision_gateway(&self, i: usize) -> bool {
        matches!(
            self.node(i).kind,
            Some(Kind::Exclusive | Kind::Inclusive | Kind::Complex)
        ) && self.outs(i).len() >= 2
    }

    /// Which gateways merge into the task before them and which parallel splits are one
    /// activity.
    fn plan(&mut self) {
        for g in self.main_nodes() {
            if !self.is_decision_gateway(g) {
                continue;
            }
            if let [only] = self.ins(g) {
                let source = self.source(*only);
                let merges = matches!(
                    self.node(source).kind,
                    Some(Kind::Task | Kind::OtherTask | Kind::SubProcess)
                ) && self.outs(source).len() == 1;
                if merges {
                    self.owned.insert(g, source);
                }
            }
        }
        for f in self.main_nodes() {
            if self.node(f).kind != Some(Kind::Parallel) || self.outs(f).len() < 2 {
                continue;
            }
            let branches: Vec<usize> = self.outs(f).iter().map(|fl| self.target(*fl)).collect();
            let simple = |b: usize| {
                matches!(self.node(b).kind, Some(Kind::Task | Kind::OtherTask))
                    && self.ins(b).len() == 1
                    && self.outs(b).len() == 1
                    && self.node(b).multi.is_none()
                    && !self.attached.contains_key(&b)
                    && !self.is_decision_gateway(self.target(self.outs(b)[0]))
            };
            let joins: HashSet<usize> = branches
                .iter()
                .filter(|b| simple(**b))
                .map(|b| self.target(self.outs(*b)[0]))
                .collect();
            let join = joins.iter().next().copied();
            let expressible = branches.iter().all(|b| simple(*b))
                && joins.len() == 1
                && join.is_some_and(|j| {
                    self.node(j).kind == Some(Kind::Parallel)
                        && self.outs(j).len() == 1
                        && self.ins(j).len() == branches.len()
                });
            match join {
                Some(join) if expressible => {
                    self.consumed.extend(branches.iter().copied());
                    self.forks.insert(f, (branches, join));
                }
                _ => self.note(
                    f,
                    "compuerta paralela que la definición no puede expresar (sus ramas no son una tarea cada una que se reúnen en otra compuerta paralela): se siguió solo su primera rama; las demás quedan sin camino",
                ),
            }
        }
    }

    /// Where entering `node` leads, crossing merges, events and gateways that are no activity.
    fn step(&mut self, start: usize) -> Step {
        let mut node = start;
        let mut crossed = HashSet::new();
        loop {
            if !crossed.insert(node) {
                self.note(
                    node,
                    "el flujo da vueltas sin pasar por ninguna tarea: se terminó ahí",
                );
                return Step::End;
            }
            let n = self.node(node);
            match n.kind {
                Some(Kind::Task | Kind::OtherTask | Kind::Call | Kind::SubProcess) => {
                    return Step::Activity(node);
                }
                Some(Kind::End) => return Step::End,
                _ if self.forks.contains_key(&node) => return Step::Activity(node),
                _ if self.is_decision_gateway(node) => {
                    return Step::Activity(self.owned.get(&node).copied().unwrap_or(node));
                }
                _ => match self.outs(node).first() {
                    Some(flow) => node = self.target(*flow),
                    None => {
                        self.note(
                            node,
                            "no tiene flujo de salida: el procedimiento termina ahí",
                        );
                        return Step::End;
                    }
                },
            }
        }
    }

    fn label(&mut self, flow: usize, n: usize, default_flow: Option<&str>) -> String {
        let f = &self.m.flows[flow];
        if !f.name.is_empty() {
            return f.name.clone();
        }
        let condition = squash(&f.condition);
        if let Some(value) = compared_value(&condition) {
            return value;
        }
        if !condition.is_empty() {
            return condition.chars().take(80).collect();
        }
        if default_flow == Some(f.id.as_str()) {
            return "En otro caso".to_owned();
        }
        let answer = format!("Opción {n}");
        let (line, id) = (f.line, f.id.clone());
        self.findings.push(Finding {
            line,
            element: "sequenceFlow".to_owned(),
            id,
            message: format!("salida de una decisión sin nombre ni condición: se llamó «{answer}»"),
        });
        answer
    }

    fn branches(&mut self, flows: &[usize], default_flow: Option<&str>) -> Vec<BranchDraft> {
        let mut seen = HashSet::new();
        let mut branches = Vec::new();
        for (n, flow) in flows.iter().enumerate() {
            let mut answer = self.label(*flow, n + 1, default_flow);
            if !seen.insert(fold(&answer)) {
                let f = &self.m.flows[*flow];
                let (line, id) = (f.line, f.id.clone());
                let renamed = format!("{answer} ({})", n + 1);
                self.findings.push(Finding {
                    line,
                    element: "sequenceFlow".to_owned(),
                    id,
                    message: format!("otra salida de la misma decisión ya se llama «{answer}»: esta se llamó «{renamed}»"),
                });
                answer = renamed;
                seen.insert(fold(&answer));
            }
            let target = self.target(*flow);
            let step = self.step(target);
            let expiry = self.m.flows[*flow].expiry;
            branches.push(BranchDraft {
                answer,
                step,
                expiry,
            });
        }
        branches
    }

    fn question(&mut self, gateway: usize) -> String {
        let name = self.node(gateway).name.clone();
        if name.is_empty() {
            let question = "¿Cuál es el resultado?".to_owned();
            self.note(
                gateway,
                format!("decisión sin nombre: se le puso la pregunta «{question}»; escriba la del manual"),
            );
            question
        } else {
            name
        }
    }

    fn route(&mut self, a: usize) -> RouteDraft {
        if let Some((_, join)) = self.forks.get(&a).cloned() {
            let after = self.outs(join)[0];
            let target = self.target(after);
            return RouteDraft::Continue(self.step(target));
        }
        if self.is_decision_gateway(a) {
            let question = self.question(a);
            let flows = self.outs(a).to_vec();
            let default_flow = self.node(a).default_flow.clone();
            return RouteDraft::Decide {
                question,
                branches: self.branches(&flows, default_flow.as_deref()),
            };
        }
        let flows = self.outs(a).to_vec();
        match flows.as_slice() {
            [] => RouteDraft::Continue(Step::End),
            [only] => {
                let next = self.target(*only);
                if self.owned.get(&next) == Some(&a) {
                    let question = self.question(next);
                    let gateway_flows = self.outs(next).to_vec();
                    let default_flow = self.node(next).default_flow.clone();
                    RouteDraft::Decide {
                        question,
                        branches: self.branches(&gateway_flows, default_flow.as_deref()),
                    }
                } else {
                    RouteDraft::Continue(self.step(next))
                }
            }
            _ => {
                let default_flow = self.node(a).default_flow.clone();
                let conditional = flows.iter().any(|f| {
                    let f = &self.m.flows[*f];
                    !f.name.is_empty()
                        || !f.condition.trim().is_empty()
                        || default_flow.as_deref() == Some(f.id.as_str())
                });
                if !conditional {
                    // Unconditional flows out of a task are parallel paths in BPMN.
                    self.note(a, "tiene varias salidas sin condición, que en BPMN son caminos en paralelo sin compuerta: la definición no los expresa; se siguió solo el primero");
                    let next = self.target(flows[0]);
                    return RouteDraft::Continue(self.step(next));
                }
                self.note(a, "tiene varias salidas con condición sin compuerta: se importó como decisión cuyas respuestas son sus flujos");
                let name = self.node(a).name.clone();
                RouteDraft::Decide {
                    question: format!("¿Cómo continúa «{name}»?"),
                    branches: self.branches(&flows, default_flow.as_deref()),
                }
            }
        }
    }

    fn participant(&mut self, name: String, lane: Option<usize>) -> usize {
        if let Some(found) = self
            .participants
            .iter()
            .position(|p| fold(&p.name) == fold(&name))
        {
            return found;
        }
        let unit = self.units.iter().find(|u| {
            u.forms()
                .any(|form| fold(&squash(&form.name)) == fold(&name))
                || u.siglas.as_deref().is_some_and(|s| fold(s) == fold(&name))
                || fold(&u.code) == fold(&name)
        });
        let base = match unit {
            Some(u) => u.siglas.clone().unwrap_or_else(|| u.code.clone()),
            None => initials(&name),
        };
        let mut key = base.clone();
        let mut n = 2;
        while self.participants.iter().any(|p| p.key == key) {
            key = format!("{base}-{n}");
            n += 1;
        }
        if unit.is_none() {
            let (line, element, id) = match lane {
                Some(l) => (self.m.lanes[l].line, "lane", self.m.lanes[l].id.clone()),
                None => (
                    self.m.processes[self.main].line,
                    "process",
                    self.m.processes[self.main].id.clone(),
                ),
            };
            self.findings.push(Finding {
                line,
                element: element.to_owned(),
                id,
                message: format!("«{name}» no es el nombre ni las siglas de ninguna unidad de la organización: el participante {key} queda sin `unit`; ponga la clave de su unidad"),
            });
        }
        self.participants.push(Participant {
            key,
            name,
            unit: unit.map(|u| u.code.clone()),
        });
        self.participants.len() - 1
    }

    fn responsible(&mut self, node: usize) -> usize {
        if let Some(lane) = self.lanes.get(&node).copied() {
            return self.lane_responsible(lane);
        }
        let name = self.pool_name();
        self.participant(name, None)
    }

    /// The participant of a lane.
    fn lane_responsible(&mut self, lane: usize) -> usize {
        if let Some(p) = self.lane_participant.get(&lane) {
            return *p;
        }
        let name = self.m.lanes[lane].name.clone();
        let name = if name.is_empty() {
            self.pool_name()
        } else {
            name
        };
        let p = self.participant(name, Some(lane));
        self.lane_participant.insert(lane, p);
        p
    }

    fn pool_name(&self) -> String {
        let process = &self.m.processes[self.main];
        self.m
            .pools
            .iter()
            .find(|p| p.process_ref == process.id && !p.name.is_empty())
            .map(|p| p.name.clone())
            .or_else(|| (!process.name.is_empty()).then(|| process.name.clone()))
            .unwrap_or_else(|| "Responsable por definir".to_owned())
    }

    fn text_of(&self, node: usize) -> String {
        let n = self.node(node);
        // Turno's export writes the activity's text as it is (its lines too); a modeler's
        // documentation is read as one line.
        let doc = if n.number.is_some() {
            n.documentation.trim().to_owned()
        } else {
            squash(&n.documentation)
        };
        // Turno's export begins the documentation with the number it also writes apart.
        let doc = match n.number.as_deref().and_then(|k| doc.strip_prefix(k)) {
            Some(rest) if rest.starts_with(' ') => rest.trim_start().to_owned(),
            _ => doc,
        };
        if !doc.is_empty() {
            doc
        } else if !n.name.is_empty() {
            n.name.clone()
        } else {
            format!("({} {})", n.element, n.id)
        }
    }

    fn deadline(&mut self, a: usize) -> Option<DeadlineDraft> {
        let timers = self.attached.get(&a).cloned().unwrap_or_default();
        let mut deadline = None;
        for b in timers {
            let n = self.node(b);
            if !n.definitions.iter().any(|d| d == "timerEventDefinition") {
                self.note(
                    b,
                    format!(
                        "evento de borde ({}) no se importa",
                        n.definitions.join(", ")
                    ),
                );
                continue;
            }
            if deadline.is_some() {
                self.note(
                    b,
                    "la actividad ya tiene un plazo: este segundo temporizador no se importa",
                );
                continue;
            }
            let whole = |days: Option<&String>| {
                days.map(|d| d.trim().to_owned())
                    .filter(|d| d.parse::<u16>().is_ok_and(|d| d > 0))
            };
            let term = match (
                whole(n.business_days.as_ref()),
                whole(n.turno.natural_days.as_ref()),
            ) {
                (Some(days), _) => Some(days_text(&days, true)),
                (None, Some(days)) => Some(days_text(&days, false)),
                _ => {
                    let duration = squash(&n.duration);
                    match iso_days(&duration) {
                        Some(days) => Some(days_text(&days.to_string(), false)),
                        None => {
                            let what = if duration.is_empty() {
                                "el temporizador no tiene una duración (timeDuration)".to_owned()
                            } else {
                                format!("la duración «{duration}» no es de días ni semanas")
                            };
                            self.note(b, format!("{what}: la actividad queda sin plazo"));
                            None
                        }
                    }
                }
            };
            let Some(mut term) = term else { continue };
            if n.turno.before {
                term.push_str(" antes");
            }
            let cancel = n.cancel;
            let flows = self.outs(b).to_vec();
            let on_expiry = match flows.first() {
                Some(flow) if cancel => {
                    let target = self.target(*flow);
                    match self.step(target) {
                        Step::Activity(x) => Some(x),
                        Step::End => {
                            self.note(b, "al vencer, el diagrama termina el proceso: la definición no termina por vencimiento; se importó el plazo sin ese camino");
                            None
                        }
                    }
                }
                Some(_) => {
                    self.note(b, "temporizador que no interrumpe: se importó el plazo; el camino que abre no");
                    None
                }
                None => None,
            };
            let n = self.node(b);
            let from = n.turno.from.clone().and_then(|f| self.anchor(b, &f));
            let otherwise_from = n
                .turno
                .otherwise_from
                .clone()
                .and_then(|f| self.anchor(b, &f));
            let n = self.node(b);
            let extension = match (&n.turno.extension_days, n.turno.extended_by.clone()) {
                (Some(days), Some(by)) => {
                    let days = days_text(days.trim(), n.business_days.is_some());
                    match self.numbered(&by) {
                        Some(granted_by) => Some((days, granted_by)),
                        None => {
                            self.note(b, format!("la ampliación del plazo la concede la actividad {by}, que no está en el proceso: se importó el plazo sin ampliación"));
                            None
                        }
                    }
                }
                _ => None,
            };
            let n = self.node(b);
            deadline = Some(DeadlineDraft {
                term,
                on_expiry,
                from,
                otherwise_from,
                regime: n.turno.regime.clone().map(|r| r.trim().to_owned()),
                suspendable: n.turno.suspendable,
                extension,
            });
        }
        deadline
    }

    /// The activity whose `turno:number` is `number`.
    fn numbered(&self, number: &str) -> Option<usize> {
        self.main_nodes().into_iter().find(|i| {
            let n = self.node(*i);
            is_work(n.kind) && n.number.as_deref().map(str::trim) == Some(number.trim())
        })
    }

    /// A timer's anchor (`turno:from`, `turno:otherwiseFrom`): `completed:NUMBER` names an
    /// activity by its `turno:number`.
    fn anchor(&mut self, timer: usize, text: &str) -> Option<AnchorDraft> {
        let text = text.trim();
        match text.strip_prefix("completed:") {
            Some(number) => match self.numbered(number) {
                Some(activity) => Some(AnchorDraft::Completed(activity)),
                None => {
                    self.note(timer, format!("el plazo cuenta desde que se completa la actividad {number}, que no está en el proceso: cuenta desde que se abre la actividad"));
                    None
                }
            },
            None => Some(AnchorDraft::Written(text.to_owned())),
        }
    }

    /// The process's case fields (`turno:field`), the candidates of a `participants` field
    /// as the participants of their lanes `Lane_KEY`.
    fn fields(&mut self) -> Vec<FieldSpec> {
        let main = self.main;
        let mut fields = Vec::new();
        for spec in self.m.fields.iter().filter(|f| f.process == main) {
            let mut options = Vec::new();
            for option in &spec.options {
                let option = squash(option);
                if spec.ty != "participants" {
                    options.push(option);
                    continue;
                }
                let id = format!("Lane_{option}");
                match self
                    .m
                    .lanes
                    .iter()
                    .position(|l| l.process == main && l.id == id)
                {
                    Some(lane) => {
                        let p = self.lane_responsible(lane);
                        options.push(self.participants[p].key.clone());
                    }
                    None => self.findings.push(Finding {
                        line: spec.line,
                        element: "field".to_owned(),
                        id: spec.name.clone(),
                        message: format!(
                            "el candidato «{option}» no tiene carril {id}: no se importó"
                        ),
                    }),
                }
            }
            fields.push(FieldSpec {
                options,
                ..spec.clone()
            });
        }
        fields
    }

    /// The `participants` field the task names in `turno:responsibleFrom`, when the process
    /// declares it.
    fn responsible_field(&mut self, a: usize) -> Option<String> {
        let name = self.node(a).turno.responsible_from.clone()?;
        let main = self.main;
        let declared = self
            .m
            .fields
            .iter()
            .any(|f| f.process == main && f.name == name && f.ty == "participants");
        if !declared {
            self.note(a, format!("turno:responsibleFrom nombra «{name}», que no es un campo de participantes del proceso: el responsable es el del carril"));
        }
        declared.then_some(name)
    }

    fn report_elements(&mut self) {
        for i in self.main_nodes() {
            let n = self.node(i);
            let defs = n.definitions.join(", ");
            match n.kind {
                Some(Kind::OtherTask) => self.note(i, format!("tarea de tipo {}: se importó como una actividad de persona", n.element)),
                Some(Kind::SubProcess) => self.note(i, format!("subproceso incrustado: se importó como una sola actividad; sus {} elementos no", n.inner)),
                Some(Kind::Start) if !defs.is_empty() => self.note(i, format!("el disparador del inicio ({defs}) no se importa: el caso se registra a mano")),
                Some(Kind::End) if !defs.is_empty() && defs != "terminateEventDefinition" => {
                    self.note(i, format!("el resultado del fin ({defs}) no se importa"))
                }
                Some(Kind::Catch | Kind::Throw) => self.note(i, format!("evento intermedio ({}): no se importa; el flujo sigue a través de él", if defs.is_empty() { "sin tipo".to_owned() } else { defs })),
                Some(Kind::EventBased) => self.note(i, "compuerta basada en eventos: no se importa; se siguió su primera salida"),
                Some(Kind::Inclusive) if self.outs(i).len() >= 2 => self.note(i, "compuerta inclusiva: se importó como decisión de una sola respuesta"),
                Some(Kind::Complex) if self.outs(i).len() >= 2 => self.note(i, "compuerta compleja: se importó como decisión de una sola respuesta"),
                Some(Kind::Boundary) if n.attached_to.as_deref().is_none_or(|t| !self.ids.contains_key(t)) => {
                    self.note(i, "evento de borde sin actividad del proceso: no se importa")
                }
                _ => {}
            }
            let n = self.node(i);
            if n.for_compensation {
                self.note(i, "actividad de compensación: no se importa como tal");
            }
            if n.standard_loop {
                self.note(
                    i,
                    "bucle estándar: no se importa; dibuje el regreso con una decisión",
                );
            }
            if n.multi == Some(true) {
                self.note(
                    i,
                    "multiinstancia secuencial: no se importa; la actividad tiene un solo turno",
                );
            }
        }
    }

    fn draft(mut self, key: String) -> Draft {
        self.plan();
        self.report_elements();
        let nodes = self.main_nodes();
        let activities: Vec<usize> = nodes
            .iter()
            .copied()
            .filter(|i| {
                (is_work(self.node(*i).kind) && !self.consumed.contains(i))
                    || self.forks.contains_key(i)
                    || (self.is_decision_gateway(*i) && !self.owned.contains_key(i))
            })
            .collect();
        let mut drafts: HashMap<usize, ActivityDraft> = HashMap::new();
        for a in &activities {
            let route = self.route(*a);
            let deadline = self.deadline(*a);
            drafts.insert(*a, self.activity(*a, route, deadline));
        }
        // The first start event begins it.
        let starts: Vec<usize> = nodes
            .iter()
            .copied()
            .filter(|i| self.node(*i).kind == Some(Kind::Start))
            .collect();
        for extra in starts.iter().skip(1) {
            self.note(*extra, "otro evento de inicio: un procedimiento empieza en un solo lugar; se tomó el primero");
        }
        let first = match starts.first() {
            Some(start) => match self.step(*start) {
                Step::Activity(a) => Some(a),
                Step::End => None,
            },
            None => activities.iter().copied().find(|a| self.ins(*a).is_empty()),
        };
        // Numbered in flow order: depth first from the start, each exit in the file's order.
        let mut order = Vec::new();
        let mut seen = HashSet::new();
        let mut stack: Vec<usize> = first.into_iter().collect();
        while let Some(a) = stack.pop() {
            if !seen.insert(a) {
                continue;
            }
            order.push(a);
            let d = &drafts[&a];
            let mut next: Vec<usize> = match &d.route {
                RouteDraft::Continue(Step::Activity(x)) => vec![*x],
                RouteDraft::Continue(Step::End) => vec![],
                RouteDraft::Decide { branches, .. } => branches
                    .iter()
                    .filter_map(|b| match b.step {
                        Step::Activity(x) => Some(x),
                        Step::End => None,
                    })
                    .collect(),
            };
            next.extend(d.deadline.as_ref().and_then(|d| d.on_expiry));
            stack.extend(next.into_iter().rev().filter(|x| !seen.contains(x)));
        }
        for a in &activities {
            if !seen.contains(a) {
                self.note(*a, "ningún camino desde el inicio llega aquí");
                order.push(*a);
            }
        }
        // The manual's numbers when every task carries its own (`turno:number`, as Turno's
        // export writes them) and none repeats, in the file's order (the definition's, in
        // Turno's export) after the first; else 1, 2, 3… in flow order.
        let kept: Vec<Option<&String>> = order
            .iter()
            .map(|a| self.node(*a).number.as_ref())
            .collect();
        let distinct: std::collections::HashSet<&&String> = kept.iter().flatten().collect();
        let numbers: HashMap<usize, String> = if distinct.len() == order.len() {
            order.sort_by_key(|a| (Some(*a) != first, *a));
            let kept = order.iter().map(|a| self.node(*a).number.as_ref());
            order
                .iter()
                .zip(kept)
                .filter_map(|(a, n)| Some((*a, n?.clone())))
                .collect()
        } else {
            order
                .iter()
                .enumerate()
                .map(|(i, a)| (*a, (i + 1).to_string()))
                .collect()
        };
        let ordered: Vec<ActivityDraft> = order.iter().map(|a| drafts[a].clone()).collect();
        let fields = self.fields();
        let toml = self.write(&key, &fields, &ordered, &numbers);
        let (problems, procedure) = match parse_procedure(&toml) {
            Ok(procedure) => (Vec::new(), Some(procedure)),
            Err(diagnostics) => (
                diagnostics
                    .iter()
                    .map(|d| d.locate(&format!("{key}.toml"), &toml))
                    .collect(),
                None,
            ),
        };
        let mut findings = self.findings;
        findings.sort_by(|a, b| (a.line, &a.id).cmp(&(b.line, &b.id)));
        findings.dedup();
        Draft {
            key,
            toml,
            findings,
            problems,
            procedure,
        }
    }

    fn activity(
        &mut self,
        a: usize,
        route: RouteDraft,
        deadline: Option<DeadlineDraft>,
    ) -> ActivityDraft {
        let n = self.node(a);
        let mut responsible = Vec::new();
        let mut responsible_from = None;
        // Whether the responsible are named as Turno's export names them (not drawn).
        let mut named = false;
        let (text, mut parallel) = if let Some((branches, _)) = self.forks.get(&a).cloned() {
            for b in &branches {
                let p = self.responsible(*b);
                if !responsible.contains(&p) {
                    responsible.push(p);
                }
            }
            let texts: Vec<String> = branches.iter().map(|b| self.text_of(*b)).collect();
            self.note(a, format!("sus {} ramas paralelas son una sola actividad turnada a la vez a sus carriles: {}", branches.len(), texts.join(" / ")));
            (texts.join(" / "), responsible.len() > 1)
        } else if self.is_decision_gateway(a)
            && !matches!(
                n.kind,
                Some(Kind::Task | Kind::OtherTask | Kind::SubProcess)
            )
        {
            responsible.push(self.responsible(a));
            (self.question(a), false)
        } else if let Some(field) = self.responsible_field(a) {
            responsible_from = Some(field);
            named = true;
            (self.text_of(a), self.node(a).multi == Some(false))
        } else {
            // Several responsibles as Turno's export names them, when each has its lane;
            // else the task's own lane.
            let lanes: Vec<Option<usize>> = n
                .responsible
                .iter()
                .map(|key| {
                    let id = format!("Lane_{key}");
                    self.m.lanes.iter().position(|l| l.id == id)
                })
                .collect();
            if lanes.len() > 1 && lanes.iter().all(Option::is_some) {
                named = true;
                for lane in lanes.into_iter().flatten() {
                    let p = self.lane_responsible(lane);
                    if !responsible.contains(&p) {
                        responsible.push(p);
                    }
                }
            } else {
                responsible.push(self.responsible(a));
            }
            (self.text_of(a), self.node(a).multi == Some(false))
        };
        if parallel && matches!(route, RouteDraft::Decide { .. }) {
            self.note(a, "multiinstancia en una decisión: una decisión no puede turnarse en paralelo; se importó con un solo turno");
            parallel = false;
        }
        if self.node(a).multi == Some(false) && parallel && !named {
            self.note(a, "multiinstancia: se importó con parallel = true; ponga en responsible las unidades a las que se turna");
        }
        let n = self.node(a);
        let call = match n.kind {
            Some(Kind::Call) => {
                match n.called.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
                    Some(called) => {
                        if let Some(p) = self.m.processes.iter().find(|p| p.id == called) {
                            let label = if p.name.is_empty() {
                                p.id.clone()
                            } else {
                                p.name.clone()
                            };
                            self.note(a, format!("llama al proceso «{label}» de este mismo archivo: impórtelo por separado con la clave {}", called_key(called)));
                        }
                        Some(called_key(called))
                    }
                    None => {
                        self.note(a, "actividad de llamada sin calledElement: no se sabe qué procedimiento inicia; queda como actividad simple");
                        None
                    }
                }
            }
            _ => None,
        };
        let n = self.node(a);
        let main = self.main;
        let (fields, unknown): (Vec<String>, Vec<String>) =
            n.turno.fields.iter().cloned().partition(|name| {
                self.m
                    .fields
                    .iter()
                    .any(|f| f.process == main && &f.name == name)
            });
        if !unknown.is_empty() {
            self.note(
                a,
                format!(
                    "turno:fields nombra campos que el proceso no declara: {}; no se importaron",
                    unknown.join(", ")
                ),
            );
        }
        let n = self.node(a);
        ActivityDraft {
            node: a,
            text,
            responsible,
            responsible_from,
            parallel: parallel && call.is_none(),
            route,
            call,
            deadline,
            documents: n
                .turno
                .documents
                .iter()
                .map(|d| squash(d))
                .filter(|d| !d.is_empty())
                .collect(),
            fields,
            signature: n.turno.signature,
            note: format!("BPMN: {} «{}», línea {}", n.element, n.id, n.line),
        }
    }

    fn write(
        &self,
        key: &str,
        fields: &[FieldSpec],
        activities: &[ActivityDraft],
        numbers: &HashMap<usize, String>,
    ) -> String {
        let process = &self.m.processes[self.main];
        let title = [
            process.name.as_str(),
            self.pool_name_if_any(),
            self.m.name.as_str(),
        ]
        .into_iter()
        .find(|t| !t.is_empty())
        .map_or_else(|| key.to_owned(), str::to_owned);
        let purpose: Vec<String> = process
            .documentation
            .split("\n\n")
            .map(squash)
            .filter(|p| !p.is_empty())
            .collect();
        let mut out = String::new();
        let _ = writeln!(
            out,
            "# Borrador importado de BPMN 2.0: revíselo con su reporte de revisión antes de publicarlo."
        );
        let _ = writeln!(out, "key = {}", quoted(key));
        let _ = writeln!(out, "version = 1");
        let _ = writeln!(out, "title = {}", quoted(&title));
        let _ = writeln!(
            out,
            "source = {}",
            quoted(&format!(
                "BPMN 2.0: proceso «{}»",
                if process.id.is_empty() {
                    &title
                } else {
                    &process.id
                }
            ))
        );
        let _ = writeln!(out, "purpose = {}", list(&purpose));
        let _ = writeln!(out, "scope = []");
        for p in &self.participants {
            let _ = writeln!(out, "\n[participants.{}]", p.key);
            let _ = writeln!(out, "name = {}", quoted(&p.name));
            if let Some(unit) = &p.unit {
                let _ = writeln!(out, "unit = {}", quoted(unit));
            }
        }
        for f in fields {
            let _ = writeln!(out, "\n[[fields]]");
            let _ = writeln!(out, "name = {}", quoted(&f.name));
            let _ = writeln!(out, "label = {}", quoted(&f.label));
            let _ = writeln!(out, "type = {}", quoted(&f.ty));
            if f.required {
                let _ = writeln!(out, "required = true");
            }
            if !f.options.is_empty() {
                let _ = writeln!(out, "options = {}", list(&f.options));
            }
        }
        let _ = writeln!(
            out,
            "\n[[stages]]\nnumber = \"1\"\nname = {}",
            quoted(&title)
        );
        for (i, a) in activities.iter().enumerate() {
            let next = activities.get(i + 1).map(|n| n.node);
            let number = &numbers[&a.node];
            let _ = writeln!(out, "\n[[stages.activities]]");
            let _ = writeln!(out, "number = {}", quoted(number));
            let _ = writeln!(out, "text = {}", quoted(&a.text));
            let keys: Vec<String> = a
                .responsible
                .iter()
                .map(|p| self.participants[*p].key.clone())
                .collect();
            match &a.responsible_from {
                Some(field) => {
                    let _ = writeln!(out, "responsible_from = {}", quoted(field));
                }
                None => {
                    let _ = writeln!(out, "responsible = {}", list(&keys));
                }
            }
            if !a.documents.is_empty() {
                let _ = writeln!(out, "documents = {}", list(&a.documents));
            }
            if !a.fields.is_empty() {
                let _ = writeln!(out, "fields = {}", list(&a.fields));
            }
            if a.signature {
                let _ = writeln!(out, "signature = true");
            }
            if a.parallel {
                let _ = writeln!(out, "parallel = true");
            }
            match &a.route {
                RouteDraft::Continue(Step::End) => {
                    let _ = writeln!(out, "end = true");
                }
                RouteDraft::Continue(Step::Activity(x)) if Some(*x) != next => {
                    let _ = writeln!(out, "goto = {}", quoted(&numbers[x]));
                }
                RouteDraft::Continue(_) => {}
                RouteDraft::Decide { question, branches } => {
                    let _ = writeln!(out, "decision = {}", quoted(question));
                    let _ = writeln!(out, "branches = [");
                    for b in branches {
                        let (text, exit) = match b.step {
                            Step::End => (
                                "Termina el procedimiento.".to_owned(),
                                ", end = true".to_owned(),
                            ),
                            Step::Activity(x) if Some(x) == next => {
                                ("Continúa el procedimiento.".to_owned(), String::new())
                            }
                            Step::Activity(x) => {
                                let to = &numbers[&x];
                                let back = order_of(activities, x) <= order_of(activities, a.node);
                                let verb = if back { "Regresa" } else { "Pasa" };
                                (
                                    format!("{verb} a la actividad {to}."),
                                    format!(", goto = {}", quoted(to)),
                                )
                            }
                        };
                        let expiry = if b.expiry { ", expiry = true" } else { "" };
                        let _ = writeln!(
                            out,
                            "  {{ answer = {}, text = {}{exit}{expiry} }},",
                            quoted(&b.answer),
                            quoted(&text)
                        );
                    }
                    let _ = writeln!(out, "]");
                }
            }
            if let Some(call) = &a.call {
                let _ = writeln!(out, "call = {}", quoted(call));
            }
            let _ = writeln!(out, "note = {}", quoted(&a.note));
            if let Some(d) = &a.deadline {
                let _ = writeln!(out, "\n[stages.activities.deadline]");
                let _ = writeln!(out, "term = {}", quoted(&d.term));
                let anchor = |a: &AnchorDraft| match a {
                    AnchorDraft::Written(text) => Some(text.clone()),
                    AnchorDraft::Completed(x) => numbers.get(x).map(|n| format!("completed:{n}")),
                };
                if let Some(from) = d.from.as_ref().and_then(anchor) {
                    let _ = writeln!(out, "from = {}", quoted(&from));
                }
                if let Some(from) = d.otherwise_from.as_ref().and_then(anchor) {
                    let _ = writeln!(out, "otherwise_from = {}", quoted(&from));
                }
                if let Some(regime) = &d.regime {
                    let _ = writeln!(out, "regime = {}", quoted(regime));
                }
                if let Some(x) = d.on_expiry {
                    let _ = writeln!(out, "on_expiry = {}", quoted(&numbers[&x]));
                }
                if d.suspendable {
                    let _ = writeln!(out, "suspendable = true");
                }
                if let Some((days, by)) = &d.extension
                    && let Some(by) = numbers.get(by)
                {
                    let _ = writeln!(out, "extension = {}", quoted(days));
                    let _ = writeln!(out, "extended_by = {}", quoted(by));
                }
            }
        }
        out
    }

    fn pool_name_if_any(&self) -> &str {
        let process = &self.m.processes[self.main];
        self.m
            .pools
            .iter()
            .find(|p| p.process_ref == process.id)
            .map_or("", |p| p.name.as_str())
    }
}

/// The key of the procedure a call activity starts: its `calledElement` without the
/// `Process_` that Turno's export (and bpmn.io) put before process ids, as a key.
fn called_key(called: &str) -> String {
    keyify(called.strip_prefix("Process_").unwrap_or(called))
}

/// Where the activity of `node` is in the draft's order.
fn order_of(activities: &[ActivityDraft], node: usize) -> usize {
    activities.iter().position(|a| a.node == node).unwrap_or(0)
}

fn process_label(m: &Model, p: usize) -> String {
    let process = &m.processes[p];
    m.pools
        .iter()
        .find(|pool| pool.process_ref == process.id && !pool.name.is_empty())
        .map(|pool| pool.name.clone())
        .or_else(|| (!process.name.is_empty()).then(|| process.name.clone()))
        .unwrap_or_else(|| process.id.clone())
}

fn is_work(kind: Option<Kind>) -> bool {
    matches!(
        kind,
        Some(Kind::Task | Kind::OtherTask | Kind::Call | Kind::SubProcess)
    )
}

/// The value a condition compares the outcome with: `outcome == "Sí"`, `${outcome == 'No'}`.
fn compared_value(condition: &str) -> Option<String> {
    let (_, right) = condition.split_once("==")?;
    let right = right.trim().trim_end_matches('}').trim();
    let quote = right.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let inner = &right[1..];
    let end = inner.find(quote)?;
    let value = squash(&inner[..end]);
    (!value.is_empty()).then_some(value)
}

/// A term's words: «1 día hábil», «10 días naturales».
fn days_text(days: &str, business: bool) -> String {
    match (days == "1", business) {
        (true, true) => "1 día hábil".to_owned(),
        (true, false) => "1 día natural".to_owned(),
        (false, true) => format!("{days} días hábiles"),
        (false, false) => format!("{days} días naturales"),
    }
}

/// Days of an ISO-8601 duration of whole days or weeks (`P10D`, `P2W`).
fn iso_days(duration: &str) -> Option<u16> {
    let rest = duration.trim().strip_prefix('P')?;
    let (number, unit) = rest.split_at(rest.len().checked_sub(1)?);
    let n: u16 = number.parse().ok()?;
    let days = match unit {
        "D" => n,
        "W" => n.checked_mul(7)?,
        _ => return None,
    };
    (days > 0).then_some(days)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conditions_durations_and_keys_are_read() {
        assert_eq!(compared_value("outcome == \"Sí\""), Some("Sí".to_owned()));
        assert_eq!(compared_value("${outcome == 'No'}"), Some("No".to_owned()));
        assert_eq!(compared_value("true"), None);
        assert_eq!(iso_days("P10D"), Some(10));
        assert_eq!(iso_days("P2W"), Some(14));
        assert_eq!(iso_days("PT4H"), None);
        assert_eq!(iso_days("P"), None);
        assert_eq!(key_of_file("fixtures/bpmn/miwg/A.1.1.bpmn"), "a-1-1");
        assert_eq!(key_of_file("Trámite único.bpmn"), "tramite-unico");
    }

    #[test]
    fn a_doctype_and_deep_nesting_are_refused() {
        let doctype =
            "<?xml version=\"1.0\"?>\n<!DOCTYPE d [<!ENTITY a \"aaaa\">]>\n<definitions/>";
        assert_eq!(
            import("x.bpmn", doctype.as_bytes(), &[]).unwrap_err(),
            Refused::Doctype { line: 2 }
        );
        let deep = format!(
            "{}{}",
            "<a>".repeat(MAX_DEPTH + 1),
            "</a>".repeat(MAX_DEPTH + 1)
        );
        assert!(matches!(
            import("x.bpmn", deep.as_bytes(), &[]),
            Err(Refused::TooDeep { .. })
        ));
        assert_eq!(
            import("x.bpmn", b"<definitions/>", &[]).unwrap_err(),
            Refused::NoProcess
        );
        assert!(matches!(
            import("x.bpmn", b"<definitions><process>", &[]),
            Err(Refused::Malformed { .. }) | Err(Refused::NoProcess)
        ));
    }
}
