//! An incoming document as the oficialía de partes (or a unit's own window) registers it: what
//! it is, who sent it with their number and date, when it arrived, what it is about, how
//! urgent and how classified, how many annexes came with it, and the term to answer it when
//! one applies. It is read from the texts of a form, an API request or a row of a unit's
//! register (`IncomingDraft`), every field checked and every problem named at once.

use super::vocabulary::{Classification, DocumentKind, Priority, SenderKind};
use crate::followup::parse_date;
use crate::text::capitalized;
use jiff::civil::{Date, DateTime, Time};

/// The longest subject, sender's name, position, institution: one line.
const MAX_LINE_CHARS: usize = 300;
/// The longest summary, in characters.
pub const MAX_SUMMARY_CHARS: usize = 4_000;
/// The longest number a sender gives its document.
const MAX_NUMBER_CHARS: usize = 60;
/// The most annexes counted on one document.
pub const MAX_ANNEXES: u16 = 999;
/// The longest term to answer, in días hábiles: about a year.
pub const MAX_TERM_DAYS: u16 = 250;

/// A problem of one field, named as the form and the API name it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub field: &'static str,
    /// A whole Spanish sentence.
    pub message: String,
}

/// Who sent a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sender {
    pub kind: SenderKind,
    /// The person who signs it.
    pub name: String,
    /// Their position (cargo); may be empty.
    pub position: String,
    /// The unit's code for an internal sender (the caller checks it exists), the body's name
    /// for an external one; empty for a private person.
    pub organization: String,
}

impl Sender {
    /// Who sent it, in one line: name, position and organization, the empty ones left out.
    pub fn line(&self) -> String {
        [
            self.name.as_str(),
            self.position.as_str(),
            self.organization.as_str(),
        ]
        .into_iter()
        .filter(|t| !t.is_empty())
        .collect::<Vec<_>>()
        .join(", ")
    }
}

/// An incoming document, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Incoming {
    pub kind: DocumentKind,
    pub sender: Sender,
    /// The sender's own number (`DGPLADES/0456/2026`), when the document has one.
    pub their_number: Option<String>,
    /// The date the document bears.
    pub their_date: Option<Date>,
    /// Local date and time it was received.
    pub received_at: DateTime,
    pub subject: String,
    pub summary: String,
    pub priority: Priority,
    pub classification: Classification,
    /// How many annexes came with it (besides the document itself).
    pub annexes: u16,
    /// Días hábiles to answer, counted from the day it was received.
    pub term_days: Option<u16>,
}

/// The texts of an incoming document as given; empty means not given.
#[derive(Debug, Clone, Copy, Default)]
pub struct IncomingDraft<'a> {
    pub kind: &'a str,
    pub sender_kind: &'a str,
    pub sender_name: &'a str,
    pub sender_position: &'a str,
    pub sender_organization: &'a str,
    pub their_number: &'a str,
    /// AAAA-MM-DD or DD/MM/AAAA.
    pub their_date: &'a str,
    /// AAAA-MM-DDTHH:MM (as a browser's date-and-time control sends it), AAAA-MM-DD HH:MM or
    /// DD/MM/AAAA HH:MM.
    pub received_at: &'a str,
    pub subject: &'a str,
    pub summary: &'a str,
    /// Empty: ordinaria.
    pub priority: &'a str,
    /// Empty: pública.
    pub classification: &'a str,
    /// Empty: none.
    pub annexes: &'a str,
    /// Empty: no term.
    pub term_days: &'a str,
}

/// Collects the problems of a draft's fields.
#[derive(Default)]
struct Problems(Vec<Problem>);

impl Problems {
    fn add(&mut self, field: &'static str, message: impl Into<String>) {
        self.0.push(Problem {
            field,
            message: message.into(),
        });
    }

    /// A text of one line (`multiline`: line breaks and tabs allowed), trimmed; `what` names
    /// it with its article for the messages.
    fn text(
        &mut self,
        field: &'static str,
        what: &str,
        (value, max, required): (&str, usize, bool),
        multiline: bool,
    ) -> String {
        let value = value.trim();
        let allowed = |c: char| multiline && matches!(c, '\n' | '\r' | '\t');
        let chars = value.chars().count();
        if value.is_empty() && required {
            self.add(field, format!("Escriba {what}."));
        } else if chars > max {
            self.add(
                field,
                format!(
                    "{} pasa de {max} caracteres (tiene {chars}).",
                    capitalized(what)
                ),
            );
        } else if value.chars().any(|c| c.is_control() && !allowed(c)) {
            let why = if multiline {
                "lleva caracteres de control: quítelos"
            } else {
                "va en una sola línea, sin saltos de línea ni caracteres de control"
            };
            self.add(field, format!("{} {why}.", capitalized(what)));
        }
        value.to_owned()
    }

    /// A term of a list, or `default` when empty.
    fn term<T: std::str::FromStr<Err = super::Unknown>>(
        &mut self,
        field: &'static str,
        value: &str,
        default: Option<T>,
    ) -> Option<T> {
        match (value.trim(), default) {
            ("", Some(default)) => Some(default),
            (value, _) => value
                .parse()
                .map_err(|e: super::Unknown| {
                    let message = if value.is_empty() {
                        format!("Elija {}.", e.what)
                    } else {
                        format!("{e}.")
                    };
                    self.add(field, message);
                })
                .ok(),
        }
    }

    /// A whole number from 0 (or 1 when not `zero`) to `max`; `None` when empty.
    fn number(
        &mut self,
        field: &'static str,
        what: &str,
        value: &str,
        max: u16,
        zero: bool,
    ) -> Option<u16> {
        let value = value.trim();
        if value.is_empty() {
            return None;
        }
        let least = u16::from(!zero);
        match value.parse::<u16>() {
            Ok(n) if (least..=max).contains(&n) && value.bytes().all(|b| b.is_ascii_digit()) => {
                Some(n)
            }
            _ => {
                self.add(
                    field,
                    format!(
                        "{} es un número entero de {least} a {max}.",
                        capitalized(what)
                    ),
                );
                None
            }
        }
    }
}

/// A date and time as the draft may give it.
fn parse_moment(text: &str) -> Option<DateTime> {
    let text = text.trim();
    let (date, time) = text.split_once(['T', ' '])?;
    let time: Time = time.trim().parse().ok()?;
    Some(parse_date(date)?.to_datetime(time))
}

impl IncomingDraft<'_> {
    /// The document, or every problem of its fields. `now` is the agency's local time: a
    /// document is not received in the future, nor dated after it was received.
    pub fn check(&self, now: DateTime) -> Result<Incoming, Vec<Problem>> {
        let mut problems = Problems::default();
        let kind = problems.term::<DocumentKind>("kind", self.kind, None);
        let sender_kind = problems.term::<SenderKind>("sender_kind", self.sender_kind, None);
        let name = problems.text(
            "sender_name",
            "el nombre de quien lo firma",
            (self.sender_name, MAX_LINE_CHARS, true),
            false,
        );
        let position = problems.text(
            "sender_position",
            "el cargo de quien lo firma",
            (self.sender_position, MAX_LINE_CHARS, false),
            false,
        );
        let organization = match sender_kind {
            Some(SenderKind::Private) => String::new(),
            Some(SenderKind::Internal) => problems.text(
                "sender_organization",
                "la unidad que lo envía",
                (self.sender_organization, MAX_LINE_CHARS, true),
                false,
            ),
            _ => problems.text(
                "sender_organization",
                "la dependencia o entidad que lo envía",
                (
                    self.sender_organization,
                    MAX_LINE_CHARS,
                    sender_kind.is_some(),
                ),
                false,
            ),
        };
        let their_number = problems.text(
            "their_number",
            "el número del documento",
            (self.their_number, MAX_NUMBER_CHARS, false),
            false,
        );
        let received_at = match self.received_at.trim() {
            "" => {
                problems.add("received_at", "Escriba la fecha y la hora de recepción.");
                None
            }
            text => match parse_moment(text) {
                Some(at) if at > now => {
                    problems.add(
                        "received_at",
                        "La fecha de recepción no puede ser posterior a este momento.",
                    );
                    None
                }
                Some(at) => Some(at),
                None => {
                    problems.add(
                        "received_at",
                        format!("«{text}» no es una fecha y hora (dd/mm/aaaa hh:mm)."),
                    );
                    None
                }
            },
        };
        let their_date = match self.their_date.trim() {
            "" => None,
            text => match parse_date(text) {
                Some(date) if received_at.is_some_and(|at| date > at.date()) => {
                    problems.add(
                        "their_date",
                        "El documento no puede tener fecha posterior a su recepción.",
                    );
                    None
                }
                Some(date) => Some(date),
                None => {
                    problems.add(
                        "their_date",
                        format!("«{text}» no es una fecha (dd/mm/aaaa)."),
                    );
                    None
                }
            },
        };
        let subject = problems.text(
            "subject",
            "el asunto",
            (self.subject, MAX_LINE_CHARS, true),
            false,
        );
        let summary = problems.text(
            "summary",
            "el resumen",
            (self.summary, MAX_SUMMARY_CHARS, false),
            true,
        );
        let priority = problems.term("priority", self.priority, Some(Priority::Ordinary));
        let classification = problems.term(
            "classification",
            self.classification,
            Some(Classification::Public),
        );
        let annexes = problems.number(
            "annexes",
            "el número de anexos",
            self.annexes,
            MAX_ANNEXES,
            true,
        );
        let term_days = problems.number(
            "term_days",
            "el plazo en días hábiles",
            self.term_days,
            MAX_TERM_DAYS,
            false,
        );
        let Problems(found) = problems;
        match (kind, sender_kind, received_at, priority, classification) {
            (
                Some(kind),
                Some(sender_kind),
                Some(received_at),
                Some(priority),
                Some(classification),
            ) if found.is_empty() => Ok(Incoming {
                kind,
                sender: Sender {
                    kind: sender_kind,
                    name,
                    position,
                    organization,
                },
                their_number: Some(their_number).filter(|n| !n.is_empty()),
                their_date,
                received_at,
                subject,
                summary,
                priority,
                classification,
                annexes: annexes.unwrap_or(0),
                term_days,
            }),
            _ => Err(found),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn now() -> DateTime {
        date(2026, 12, 7).at(12, 0, 0, 0)
    }

    fn oficio() -> IncomingDraft<'static> {
        IncomingDraft {
            kind: "oficio",
            sender_kind: "externa",
            sender_name: "Dra. Ana López",
            sender_position: "Directora General",
            sender_organization: "Servicios de Salud de Querétaro",
            their_number: "SESEQ/DG/0456/2026",
            their_date: "03/12/2026",
            received_at: "2026-12-04T10:15",
            subject: "Informe de avance del programa de mejora",
            summary: "Remite el informe.\nAnexa tablas.",
            annexes: "2",
            term_days: "10",
            ..IncomingDraft::default()
        }
    }

    #[test]
    fn a_complete_oficio_is_registered_with_its_defaults() {
        let doc = oficio().check(now()).unwrap();
        assert_eq!(doc.kind, DocumentKind::Oficio);
        assert_eq!(doc.sender.organization, "Servicios de Salud de Querétaro");
        assert_eq!(doc.their_date, Some(date(2026, 12, 3)));
        assert_eq!(doc.received_at, date(2026, 12, 4).at(10, 15, 0, 0));
        assert_eq!(
            (doc.priority, doc.classification),
            (Priority::Ordinary, Classification::Public)
        );
        assert_eq!((doc.annexes, doc.term_days), (2, Some(10)));
    }

    #[test]
    fn a_private_persons_letter_needs_no_institution() {
        let draft = IncomingDraft {
            kind: "escrito",
            sender_kind: "particular",
            sender_organization: "lo que sea",
            their_number: "",
            ..oficio()
        };
        let doc = draft.check(now()).unwrap();
        assert_eq!(doc.sender.organization, "");
        assert_eq!(doc.their_number, None);
    }

    #[test]
    fn every_problem_is_named_with_its_field_in_spanish() {
        let draft = IncomingDraft {
            kind: "fax",
            sender_kind: "",
            sender_name: " ",
            their_date: "05/12/2026",
            received_at: "04/12/2026 10:15",
            subject: "Asunto\ncon salto",
            summary: "Nulo\u{0}",
            priority: "altísima",
            annexes: "-1",
            term_days: "0",
            ..oficio()
        };
        let problems = draft.check(now()).unwrap_err();
        let found: Vec<(&str, &str)> = problems
            .iter()
            .map(|p| (p.field, p.message.as_str()))
            .collect();
        assert_eq!(
            found,
            [
                (
                    "kind",
                    "«fax» no es un tipo de documento (oficio, memorándum, circular, tarjeta informativa, escrito, correo electrónico u otro)."
                ),
                ("sender_kind", "Elija un tipo de remitente."),
                ("sender_name", "Escriba el nombre de quien lo firma."),
                (
                    "their_date",
                    "El documento no puede tener fecha posterior a su recepción."
                ),
                (
                    "subject",
                    "El asunto va en una sola línea, sin saltos de línea ni caracteres de control."
                ),
                (
                    "summary",
                    "El resumen lleva caracteres de control: quítelos."
                ),
                (
                    "priority",
                    "«altísima» no es una prioridad (ordinaria o urgente)."
                ),
                (
                    "annexes",
                    "El número de anexos es un número entero de 0 a 999."
                ),
                (
                    "term_days",
                    "El plazo en días hábiles es un número entero de 1 a 250."
                ),
            ]
        );
    }

    #[test]
    fn a_document_is_not_received_in_the_future_nor_at_no_time() {
        let future = IncomingDraft {
            received_at: "2026-12-07T12:01",
            ..oficio()
        };
        let problems = future.check(now()).unwrap_err();
        assert_eq!(problems[0].field, "received_at");
        let garbled = IncomingDraft {
            received_at: "ayer",
            ..oficio()
        };
        assert_eq!(
            garbled.check(now()).unwrap_err()[0].message,
            "«ayer» no es una fecha y hora (dd/mm/aaaa hh:mm)."
        );
    }
}
