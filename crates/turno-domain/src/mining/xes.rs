//! The event log in XES (IEEE 1849-2016), written as it is read: one trace per case (its folio,
//! procedure and version), one event per step of its work ([`super::Step`]): the activity's
//! number and text as `concept:name`, the lifecycle transition, the unit as `org:group`, the
//! person as `org:resource` and the moment with the agency's offset as `time:timestamp`. The
//! writer holds one case's work items, never the log: memory does not grow with the export.
//! Writing to the caller's `Write` is the caller's IO (a file, a response body).

use super::{CaseSteps, Step, activity_name};
use crate::definition::Procedure;
use crate::engine::Event;
use jiff::Timestamp;
use jiff::tz::TimeZone;
use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, Event as Xml};
use std::io::Write;

/// The XES namespace.
pub const NAMESPACE: &str = "http://www.xes-standard.org/";

/// The standard extensions the log declares: name, prefix, URI.
pub const EXTENSIONS: [(&str, &str, &str); 4] = [
    (
        "Concept",
        "concept",
        "http://www.xes-standard.org/concept.xesext",
    ),
    (
        "Lifecycle",
        "lifecycle",
        "http://www.xes-standard.org/lifecycle.xesext",
    ),
    (
        "Organizational",
        "org",
        "http://www.xes-standard.org/org.xesext",
    ),
    ("Time", "time", "http://www.xes-standard.org/time.xesext"),
];

/// The name of the cancellation's event, which belongs to no activity.
pub const CANCELLED: &str = "Caso cancelado";

#[derive(Debug, thiserror::Error)]
pub enum XesError {
    #[error("no se pudo escribir el registro XES: {0}")]
    Write(#[from] std::io::Error),
}

/// How much was written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Written {
    pub traces: u64,
    pub events: u64,
}

/// Writes a log. Feed every event of every case in order, a case's events together
/// ([`XesWriter::event`]), then [`XesWriter::finish`].
pub struct XesWriter<W: Write> {
    xml: Writer<W>,
    zone: TimeZone,
    folio: Option<String>,
    steps: CaseSteps,
    written: Written,
}

impl<W: Write> XesWriter<W> {
    /// Writes the log's head: declaration, extensions, globals, classifiers and its name.
    pub fn new(out: W, zone: TimeZone, name: &str) -> Result<XesWriter<W>, XesError> {
        let mut xml = Writer::new_with_indent(out, b'\t', 1);
        xml.write_event(Xml::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
        let mut log = BytesStart::new("log");
        log.push_attribute(("xes.version", "1.0"));
        log.push_attribute(("xes.features", ""));
        log.push_attribute(("xmlns", NAMESPACE));
        xml.write_event(Xml::Start(log))?;
        for (name, prefix, uri) in EXTENSIONS {
            let mut extension = BytesStart::new("extension");
            extension.push_attribute(("name", name));
            extension.push_attribute(("prefix", prefix));
            extension.push_attribute(("uri", uri));
            xml.write_event(Xml::Empty(extension))?;
        }
        let mut writer = XesWriter {
            xml,
            zone,
            folio: None,
            steps: CaseSteps::new(),
            written: Written::default(),
        };
        writer.open_scoped("global", "trace")?;
        writer.attribute("string", "concept:name", "__INVALID__")?;
        writer.close("global")?;
        writer.open_scoped("global", "event")?;
        writer.attribute("string", "concept:name", "__INVALID__")?;
        writer.attribute("string", "lifecycle:transition", "complete")?;
        writer.attribute("date", "time:timestamp", "1970-01-01T00:00:00.000+00:00")?;
        writer.close("global")?;
        for (name, keys) in [
            ("Actividad", "concept:name"),
            ("ActividadYTransicion", "concept:name lifecycle:transition"),
        ] {
            let mut classifier = BytesStart::new("classifier");
            classifier.push_attribute(("name", name));
            classifier.push_attribute(("keys", keys));
            writer.xml.write_event(Xml::Empty(classifier))?;
        }
        writer.attribute("string", "concept:name", name)?;
        writer.attribute("string", "lifecycle:model", "standard")?;
        Ok(writer)
    }

    /// One event of the case `folio`, of the procedure version it runs on. A new folio closes
    /// the trace before and opens its own.
    pub fn event(
        &mut self,
        folio: &str,
        procedure: &Procedure,
        event: &Event,
    ) -> Result<(), XesError> {
        if self.folio.as_deref() != Some(folio) {
            self.end_trace()?;
            self.xml.write_event(Xml::Start(BytesStart::new("trace")))?;
            self.attribute("string", "concept:name", folio)?;
            self.attribute("string", "procedure", &procedure.key)?;
            self.attribute("int", "procedure_version", &procedure.version.to_string())?;
            self.attribute("string", "procedure_title", &procedure.title)?;
            self.folio = Some(folio.to_owned());
            self.steps = CaseSteps::new();
            self.written.traces += 1;
        }
        let steps = self.steps.step(procedure, event);
        for step in steps {
            self.step(procedure, &step)?;
        }
        Ok(())
    }

    fn step(&mut self, procedure: &Procedure, step: &Step<'_>) -> Result<(), XesError> {
        self.xml.write_event(Xml::Start(BytesStart::new("event")))?;
        let name = step
            .activity
            .map_or_else(|| CANCELLED.to_owned(), |a| activity_name(procedure, a));
        self.attribute("string", "concept:name", &name)?;
        self.attribute(
            "string",
            "lifecycle:transition",
            step.transition.lifecycle(),
        )?;
        self.attribute("date", "time:timestamp", &timestamp(step.at, &self.zone))?;
        if let Some(unit) = &step.unit {
            self.attribute("string", "org:group", unit)?;
        }
        if let Some(by) = step.by {
            self.attribute("string", "org:resource", &by.user)?;
            if let Some(titular) = &by.substituting {
                self.attribute("string", "substituting", titular)?;
            }
        }
        if let Some(item) = step.item {
            self.attribute("int", "item", &item.0.to_string())?;
        }
        if step.turn {
            self.attribute("boolean", "turn", "true")?;
        }
        if let Some(outcome) = step.outcome {
            self.attribute("string", "outcome", outcome)?;
        }
        self.close("event")?;
        self.written.events += 1;
        Ok(())
    }

    /// Closes the last trace and the log; gives back the output and what was written.
    pub fn finish(mut self) -> Result<(W, Written), XesError> {
        self.end_trace()?;
        self.close("log")?;
        let written = self.written;
        let mut out = self.xml.into_inner();
        out.write_all(b"\n")?;
        out.flush()?;
        Ok((out, written))
    }

    /// The output, to flush a page's worth of events to it.
    pub fn output(&mut self) -> &mut W {
        self.xml.get_mut()
    }

    pub fn written(&self) -> Written {
        self.written
    }

    fn end_trace(&mut self) -> Result<(), XesError> {
        if self.folio.take().is_some() {
            self.close("trace")?;
        }
        Ok(())
    }

    fn open_scoped(&mut self, element: &str, scope: &str) -> Result<(), XesError> {
        let mut start = BytesStart::new(element);
        start.push_attribute(("scope", scope));
        self.xml.write_event(Xml::Start(start))?;
        Ok(())
    }

    fn close(&mut self, element: &str) -> Result<(), XesError> {
        self.xml.write_event(Xml::End(BytesEnd::new(element)))?;
        Ok(())
    }

    fn attribute(&mut self, kind: &str, key: &str, value: &str) -> Result<(), XesError> {
        let mut element = BytesStart::new(kind);
        element.push_attribute(("key", key));
        element.push_attribute(("value", xml_text(value).as_str()));
        self.xml.write_event(Xml::Empty(element))?;
        Ok(())
    }
}

/// A moment as XES dates it: ISO 8601 with milliseconds and the agency's offset.
pub fn timestamp(at: Timestamp, zone: &TimeZone) -> String {
    at.to_zoned(zone.clone())
        .strftime("%Y-%m-%dT%H:%M:%S%.3f%:z")
        .to_string()
}

/// A text an XML attribute can hold and give back as it was: characters XML 1.0 cannot carry
/// (control characters, which Turno refuses on input but an old record might hold) become
/// U+FFFD, and line breaks and tabs, which a parser would fold into spaces, become spaces.
fn xml_text(value: &str) -> String {
    value
        .chars()
        .map(|c| match c {
            '\t' | '\n' | '\r' => ' ',
            c if c.is_control() => '\u{FFFD}',
            c => c,
        })
        .collect()
}
