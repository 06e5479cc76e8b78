//! The official manual of every library procedure as a `.docx` and as a PDF
//! (`turno_web::manual`): the `.docx` is a zip of well-formed parts whose document has every
//! activity's number and text in order; the PDF's text, as Debian's `pdftotext` reads it, has
//! them in order too, and its activity table reads in rows like the seed manuals' (Responsable,
//! No. Act., Descripción de la actividad, Documento o anexo).

use crate::flowchart::{library, procedure};
use quick_xml::Reader;
use quick_xml::events::Event;
use std::io::{Cursor, Read as _};
use std::process::Command;
use std::sync::atomic::{AtomicU32, Ordering};
use turno_domain::definition::Procedure;
use turno_domain::official_manual::OfficialManual;
use turno_web::manual::{Format, write};

/// The manual of `procedure` in `format`.
fn export(procedure: &Procedure, format: Format) -> Vec<u8> {
    write(procedure, &OfficialManual::of(procedure), format)
        .unwrap_or_else(|e| panic!("{} as {format:?}: {e:#}", procedure.key))
}

/// The text of a `.docx`'s `word/document.xml`, each paragraph (a table's cell too) ended by a
/// line break, after checking that every XML part of the zip is well-formed.
fn docx_text(bytes: &[u8]) -> String {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).expect("the .docx is a zip");
    let mut document = None;
    for i in 0..zip.len() {
        let mut part = zip.by_index(i).unwrap();
        let name = part.name().unwrap().into_owned();
        if !(name.ends_with(".xml") || name.ends_with(".rels")) {
            continue;
        }
        let mut xml = String::new();
        part.read_to_string(&mut xml).unwrap();
        let text = xml_text(&xml, &name);
        if name == "word/document.xml" {
            document = Some(text);
        }
    }
    assert!(
        zip.by_name("word/media/diagrama.png").is_ok(),
        "the diagram"
    );
    document.expect("word/document.xml")
}

/// A part's text (`w:t`), a line break after each paragraph and at each `w:br`; panics on
/// XML that is not well-formed.
fn xml_text(xml: &str, name: &str) -> String {
    let mut reader = Reader::from_str(xml);
    reader.config_mut().check_end_names = true;
    let mut text = String::new();
    let mut in_text = false;
    loop {
        match reader.read_event() {
            Ok(Event::Eof) => break,
            Ok(Event::Start(e)) => in_text = e.name().as_ref() == b"w:t",
            Ok(Event::Empty(e)) if e.name().as_ref() == b"w:br" => text.push('\n'),
            Ok(Event::End(e)) => {
                in_text = false;
                if e.name().as_ref() == b"w:p" {
                    text.push('\n');
                }
            }
            Ok(Event::Text(t)) if in_text => text.push_str(&t.decode().unwrap()),
            Ok(Event::GeneralRef(r)) if in_text => {
                let entity = String::from_utf8(r.to_vec()).unwrap();
                text.push_str(match entity.as_str() {
                    "amp" => "&",
                    "lt" => "<",
                    "gt" => ">",
                    "quot" => "\"",
                    "apos" => "'",
                    other => panic!("{name}: unknown entity {other}"),
                });
            }
            Ok(_) => {}
            Err(e) => panic!("{name} is not well-formed XML: {e}"),
        }
    }
    text
}

/// `text` with every run of whitespace as one space.
fn squeeze(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Checks that `text` has, after the activity table's heading, every activity's number and
/// then its text, in the procedure's order; `number` is how a number stands alone in `text`,
/// `own` how an activity's text is written there.
fn assert_in_order(
    procedure: &Procedure,
    text: &str,
    number: impl Fn(&str) -> String,
    own: impl Fn(&str) -> String,
) {
    let mut at = text
        .find("Descripción de la actividad")
        .unwrap_or_else(|| panic!("{}: the activity table", procedure.key));
    for activity in &procedure.activities {
        let printed = activity
            .manual_number
            .as_deref()
            .unwrap_or(&activity.number);
        let wanted = number(printed);
        at += text[at..].find(&wanted).unwrap_or_else(|| {
            panic!(
                "{}: activity {printed} after byte {at} of:\n{}",
                procedure.key,
                &text[at..]
            )
        });
        let own = own(&activity.text);
        at += text[at..].find(&own).unwrap_or_else(|| {
            panic!(
                "{}: the text of {printed} («{own}») after byte {at} of:\n{}",
                procedure.key,
                &text[at..]
            )
        });
    }
}

#[test]
fn every_procedure_exports_a_docx_with_every_activity_in_order() {
    for procedure in library().newest() {
        let bytes = export(procedure, Format::Docx);
        assert!(bytes.starts_with(b"PK"), "{}", procedure.key);
        let text = docx_text(&bytes);
        // A cell is a paragraph: the number alone on its line.
        assert_in_order(procedure, &text, |n| format!("\n{n}\n"), str::to_owned);
        for heading in [
            "1.0 Propósito",
            "5.0 Diagrama de flujo",
            "7.0 Registros",
            "10.0 Anexos",
        ] {
            assert!(text.contains(heading), "{}: {heading}", procedure.key);
        }
    }
}

static NEXT: AtomicU32 = AtomicU32::new(0);

/// The text `pdftotext` (Debian's poppler-utils, which scripts/test.sh installs) reads from
/// `pdf` in `mode` (`-raw`, `-layout`); `None` where the tool is missing outside CI (under
/// `CI=true` a missing tool fails the test).
fn pdftotext(pdf: &[u8], mode: &str) -> Option<String> {
    let path = std::env::temp_dir().join(format!(
        "turno-manual-{}-{}.pdf",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    ));
    std::fs::write(&path, pdf).unwrap();
    let output = Command::new("pdftotext")
        .args([mode, "-enc", "UTF-8"])
        .arg(&path)
        .arg("-")
        .output();
    std::fs::remove_file(&path).ok();
    match output {
        Ok(output) => {
            assert!(output.status.success(), "pdftotext: {output:?}");
            Some(String::from_utf8(output.stdout).unwrap())
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            assert!(
                std::env::var("CI").as_deref() != Ok("true"),
                "pdftotext is missing: install Debian's poppler-utils (scripts/test.sh does)"
            );
            None
        }
        Err(e) => panic!("pdftotext: {e}"),
    }
}

#[test]
fn every_procedure_exports_a_pdf_whose_text_has_every_activity_in_order() {
    for procedure in library().newest() {
        let bytes = export(procedure, Format::Pdf);
        assert!(bytes.starts_with(b"%PDF"), "{}", procedure.key);
        let Some(text) = pdftotext(&bytes, "-raw") else {
            return;
        };
        // Cell by cell in order: the lines of a cell joined with spaces.
        let text = format!(" {} ", squeeze(&text));
        assert_in_order(procedure, &text, |n| format!(" {n} "), squeeze);
        assert!(text.contains("5.0 Diagrama de flujo"), "{}", procedure.key);
    }
}

#[test]
fn the_pdfs_activity_table_reads_in_rows_like_the_seed_manuals() {
    let seed = procedure("sidss-informes-oficiales");
    let Some(text) = pdftotext(&export(&seed, Format::Pdf), "-layout") else {
        return;
    };
    let lines: Vec<String> = text.lines().map(squeeze).collect();
    assert!(
        lines
            .iter()
            .any(|l| l == "Responsable No. Act. Descripción de la actividad Documento o anexo"),
        "{text}"
    );
    // A row: the responsible, the number, the description's first line and the document, side
    // by side.
    for (number, begins, document) in [
        ("1.1", "Recibe los informes oficiales", "Documento"),
        ("4.1", "Recibe y revisa el Informe Integrado", "Documentos"),
        ("5.2", "Una vez autorizado el envío", "Formato 10.1 y 10.2"),
    ] {
        assert!(
            lines.iter().any(|l| {
                l.starts_with(&format!(
                    "{} {number} {begins}",
                    if number == "4.1" {
                        "Coordinación de Asesores"
                    } else {
                        "Secretario Técnico"
                    }
                )) && l.ends_with(document)
            }),
            "the row of {number} in:\n{text}"
        );
    }
    for line in [
        "¿Procede?",
        "No: regresa a la actividad 1.2.",
        "Sí: continúa en la actividad 3.1.",
        "TERMINA PROCEDIMIENTO",
        "1.0 Recepción de informes oficiales",
    ] {
        assert!(lines.iter().any(|l| l == line), "«{line}» in:\n{text}");
    }
}
