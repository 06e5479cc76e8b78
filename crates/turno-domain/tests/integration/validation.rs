//! Every kind of problem a person can make in a definition is reported with its place.

use turno_domain::library::{Library, Source};

/// A small valid procedure; tests break one thing at a time.
const VALID: &str = r#"
key = "prueba"
version = 1
title = "Procedimiento de prueba"
purpose = ["1.1 Probar."]
scope = ["2.1 Pruebas."]

[participants.ST]
name = "Secretario Técnico"

[participants.SRE]
name = "Secretaría de Relaciones Exteriores"
kind = "external"
recorded_by = "ST"

[[fields]]
name = "fecha_visita"
label = "Fecha de la visita"
type = "date"

[[stages]]
number = "1.0"
name = "Recepción"
responsible = ["ST"]

[[stages.activities]]
number = "1.1"
text = "Recibe."

[[stages.activities]]
number = "1.2"
text = "Revisa."
decision = "¿Procede?"
branches = [
  { answer = "No", text = "Regresa a la actividad 1.1", goto = "1.1" },
  { answer = "Sí", text = "Continúa." },
]

[[stages]]
number = "2.0"
name = "Respuesta"
responsible = ["SRE"]

[[stages.activities]]
number = "2.1"
text = "Responde."
end = true
"#;

fn problems(text: &str) -> Vec<String> {
    match Library::load(&[Source {
        name: "prueba.toml",
        text,
    }]) {
        Ok(_) => Vec::new(),
        Err(problems) => problems.iter().map(ToString::to_string).collect(),
    }
}

/// The single problem of a broken definition, which must mention `needle`.
#[track_caller]
fn assert_problem(text: &str, needle: &str) -> String {
    let found = problems(text);
    assert!(
        found.iter().any(|p| p.contains(needle)),
        "expected a problem containing «{needle}», got {found:#?}"
    );
    found.into_iter().find(|p| p.contains(needle)).unwrap()
}

/// Line (1-based) of the first occurrence of `needle` in `text`.
fn line_of(text: &str, needle: &str) -> usize {
    text[..text.find(needle).expect("needle in text")]
        .matches('\n')
        .count()
        + 1
}

#[test]
fn the_base_definition_is_valid() {
    assert_eq!(problems(VALID), Vec::<String>::new());
}

#[test]
fn unknown_target_activity_is_reported_at_the_goto() {
    let text = VALID.replace("goto = \"1.1\"", "goto = \"1.9\"");
    let p = assert_problem(&text, "unknown target activity «1.9»");
    let line = line_of(&text, "goto = \"1.9\"");
    assert!(p.starts_with(&format!("prueba.toml:{line}:")), "{p}");
}

#[test]
fn unreachable_activity() {
    let text = VALID.replace(
        "text = \"Responde.\"\nend = true",
        "text = \"Responde.\"\nend = true\n\n[[stages.activities]]\nnumber = \"2.2\"\ntext = \"Archiva.\"\nend = true",
    );
    let p = assert_problem(&text, "activity «2.2» is unreachable");
    assert!(p.starts_with(&format!("prueba.toml:{}:", line_of(&text, "\"2.2\""))));
}

#[test]
fn loop_with_no_way_out() {
    // Both answers go back: the case could never end.
    let text = VALID.replace(
        "{ answer = \"Sí\", text = \"Continúa.\" }",
        "{ answer = \"Sí\", goto = \"1.1\" }",
    );
    let p = assert_problem(&text, "a loop with no way out");
    assert!(p.contains("«1.1», «1.2»"), "{p}");
}

#[test]
fn activity_with_no_responsible() {
    let text = VALID.replace("responsible = [\"SRE\"]\n", "");
    let p = assert_problem(&text, "activity «2.1» has no responsible");
    assert!(p.starts_with(&format!("prueba.toml:{}:", line_of(&text, "\"2.1\""))));
}

#[test]
fn duplicated_activity_number() {
    let text = VALID.replace("number = \"1.2\"", "number = \"1.1\"");
    let p = assert_problem(&text, "duplicated activity number «1.1»");
    let second = text.match_indices("number = \"1.1\"").nth(1).unwrap().0;
    let line = text[..second].matches('\n').count() + 1;
    assert!(p.starts_with(&format!("prueba.toml:{line}:10:")), "{p}");
}

#[test]
fn duplicated_participant_and_field_names() {
    let text = VALID.replacen(
        "[participants.SRE]",
        "[participants.ST]\nname = \"Otra vez\"\n\n[participants.SRE]",
        1,
    );
    assert_problem(&text, "duplicate key");
    let text = VALID.replace(
        "[[stages]]\nnumber = \"1.0\"",
        "[[fields]]\nname = \"fecha_visita\"\nlabel = \"Otra\"\ntype = \"date\"\n\n[[stages]]\nnumber = \"1.0\"",
    );
    assert_problem(&text, "duplicated field «fecha_visita»");
}

#[test]
fn unparseable_deadline() {
    let text = VALID.replace(
        "text = \"Recibe.\"",
        "text = \"Recibe.\"\ndeadline = { term = \"cinco días hábiles\" }",
    );
    let p = assert_problem(&text, "unparseable deadline");
    assert!(p.contains("«cinco» is not a whole number"), "{p}");
    assert!(p.starts_with(&format!("prueba.toml:{}:", line_of(&text, "deadline ="))));

    let text = VALID.replace(
        "text = \"Recibe.\"",
        "text = \"Recibe.\"\ndeadline = { term = \"10 días naturales antes\", from = \"field:no_existe\" }",
    );
    assert_problem(&text, "undefined field «no_existe»");
    let text = VALID.replace(
        "text = \"Recibe.\"",
        "text = \"Recibe.\"\ndeadline = { term = \"10 días naturales antes\" }",
    );
    assert_problem(&text, "«antes» counts back from a date");
}

#[test]
fn a_term_counted_again_or_extended_is_checked() {
    let deadline = |keys: &str| {
        VALID.replace(
            "text = \"Recibe.\"",
            &format!("text = \"Recibe.\"\ndeadline = {{ term = \"20 días hábiles\", {keys} }}"),
        )
    };
    let valid = deadline(
        "from = \"field:fecha_visita\", otherwise_from = \"case\", \
         extension = \"10 días hábiles\", extended_by = \"1.2\"",
    );
    assert_eq!(problems(&valid), Vec::<String>::new());

    assert_problem(
        &deadline("otherwise_from = \"field:fecha_visita\""),
        "otherwise_from is for a `from` date that may not be known yet",
    );
    assert_problem(
        &deadline("from = \"completed:1.2\", otherwise_from = \"field:no_existe\""),
        "undefined field «no_existe»",
    );
    let text = deadline("extension = \"10 días hábiles\"");
    let p = assert_problem(&text, "an extension needs extended_by");
    assert!(p.starts_with(&format!("prueba.toml:{}:", line_of(&text, "deadline ="))));
    assert_problem(
        &deadline("extended_by = \"1.2\""),
        "extended_by without an extension",
    );
    assert_problem(
        &deadline("extension = \"10 días hábiles\", extended_by = \"9.9\""),
        "unknown target activity «9.9»",
    );
    assert_problem(
        &deadline("extension = \"10 días naturales\", extended_by = \"1.2\""),
        "the same kind of days",
    );
    assert_problem(
        &deadline("extension = \"diez días\", extended_by = \"1.2\""),
        "unparseable extension",
    );
}

#[test]
fn undefined_unit_or_role() {
    let text = VALID.replace("responsible = [\"SRE\"]", "responsible = [\"DGAO\"]");
    let p = assert_problem(&text, "undefined participant «DGAO»");
    assert!(p.starts_with(&format!("prueba.toml:{}:", line_of(&text, "[\"DGAO\"]"))));
    let text = VALID.replace("recorded_by = \"ST\"", "recorded_by = \"DGRI\"");
    assert_problem(&text, "undefined participant «DGRI»");
    let text = VALID.replace("recorded_by = \"ST\"\n", "");
    assert_problem(&text, "external party «SRE» needs recorded_by");
}

#[test]
fn decisions_need_two_distinct_answers() {
    let text = VALID.replace("{ answer = \"Sí\", text = \"Continúa.\" },\n", "");
    assert_problem(&text, "decision «1.2» needs at least two branches");
    let text = VALID.replace("answer = \"Sí\"", "answer = \"no\"");
    assert_problem(&text, "duplicated answer «no»");
}

#[test]
fn the_last_activity_must_end_or_go_somewhere() {
    let text = VALID.replace("text = \"Responde.\"\nend = true", "text = \"Responde.\"");
    assert_problem(&text, "the last activity «2.1» neither ends the procedure");
}

#[test]
fn syntax_and_schema_errors_have_places() {
    let p = assert_problem("key = \"x\"\nversion = \n", "prueba.toml:2:");
    assert!(p.contains("prueba.toml:2:"), "{p}");
    let text = VALID.replace(
        "text = \"Recibe.\"",
        "text = \"Recibe.\"\nresponsable = [\"ST\"]",
    );
    let p = assert_problem(&text, "unknown field `responsable`");
    assert!(p.starts_with(&format!("prueba.toml:{}:", line_of(&text, "responsable ="))));
}

#[test]
fn every_problem_is_reported_not_only_the_first() {
    let text = VALID
        .replace("goto = \"1.1\"", "goto = \"9.9\"")
        .replace("responsible = [\"SRE\"]", "responsible = [\"XYZ\"]");
    let found = problems(&text);
    assert!(found.iter().any(|p| p.contains("«9.9»")));
    assert!(found.iter().any(|p| p.contains("«XYZ»")));
}

#[test]
fn calls_must_name_a_procedure_of_the_library() {
    let text = VALID.replace(
        "text = \"Responde.\"",
        "text = \"Responde.\"\ncall = \"no-existe\"",
    );
    assert_problem(&text, "calls unknown procedure «no-existe»");
}

#[test]
fn the_same_key_and_version_twice_is_reported() {
    let found = Library::load(&[
        Source {
            name: "a.toml",
            text: VALID,
        },
        Source {
            name: "b.toml",
            text: VALID,
        },
    ])
    .unwrap_err();
    assert!(found[0].to_string().starts_with("b.toml:"));
    assert!(found[0].to_string().contains("also defined in a.toml"));
}

#[test]
fn folio_prefixes_are_capitals_and_default_to_the_key() {
    let library = Library::load(&[Source {
        name: "prueba.toml",
        text: VALID,
    }])
    .unwrap();
    assert_eq!(library.latest("prueba").unwrap().folio_prefix, "PRUEBA");
    let text = VALID.replace("version = 1\n", "version = 1\nfolio_prefix = \"cas 1\"\n");
    assert_problem(
        &text,
        "folio prefix «cas 1» must be 1 to 16 capital letters",
    );
    // A case folio AC-… would be counted with the petitions' folios.
    let text = VALID.replace("version = 1\n", "version = 1\nfolio_prefix = \"AC\"\n");
    assert_problem(
        &text,
        "folio prefix «AC» is reserved for citizen-attention petitions",
    );
    let text = VALID.replace("key = \"prueba\"", "key = \"ac\"");
    assert_problem(
        &text,
        "folio prefix «AC» is reserved for citizen-attention petitions",
    );
}

/// `VALID` with `sections` appended (top-level tables such as `[[policies]]`).
fn with_sections(sections: &str) -> String {
    format!("{VALID}\n{sections}")
}

/// The problem about `needle` is the only one and points at the second `repeated` in `text`.
#[track_caller]
fn assert_at_second(text: &str, needle: &str, repeated: &str) {
    let p = assert_problem(text, needle);
    assert_eq!(problems(text).len(), 1, "{:#?}", problems(text));
    let second = text.match_indices(repeated).nth(1).unwrap().0;
    let line = text[..second].matches('\n').count() + 1;
    assert!(p.starts_with(&format!("prueba.toml:{line}:")), "{p}");
}

#[test]
fn duplicated_stage_number() {
    let text = VALID.replace("number = \"2.0\"", "number = \"1.0\"");
    assert_at_second(&text, "duplicated stage number «1.0»", "number = \"1.0\"");
}

#[test]
fn duplicated_policy_number() {
    let text = with_sections(
        "[[policies]]\nnumber = \"3.1\"\ntext = \"Una.\"\n\n[[policies]]\nnumber = \"3.1\"\nmanual_number = \"3.1\"\ntext = \"Otra.\"\n",
    );
    assert_at_second(&text, "duplicated policy number «3.1»", "number = \"3.1\"");
    // The printed number may repeat once the identifier is distinct.
    let text = text.replacen(
        "number = \"3.1\"\nmanual_number",
        "number = \"3.1b\"\nmanual_number",
        1,
    );
    assert_eq!(problems(&text), Vec::<String>::new());
}

#[test]
fn duplicated_glossary_number() {
    let text = with_sections(
        "[[glossary]]\nnumber = \"8.1\"\nterm = \"CAS\"\ndefinition = \"Uno.\"\n\n[[glossary]]\nnumber = \"8.1\"\nterm = \"ST\"\ndefinition = \"Otro.\"\n",
    );
    assert_at_second(
        &text,
        "duplicated glossary number «8.1»",
        "number = \"8.1\"",
    );
}

#[test]
fn duplicated_annex_number_and_code() {
    let text = with_sections(
        "[[annexes]]\nnumber = \"10.1\"\nname = \"Uno\"\ncode = \"A-1\"\n\n[[annexes]]\nnumber = \"10.1\"\nname = \"Otro\"\ncode = \"A-2\"\n",
    );
    assert_at_second(&text, "duplicated annex number «10.1»", "number = \"10.1\"");
    let text = text.replacen(
        "number = \"10.1\"\nname = \"Otro\"\ncode = \"A-2\"",
        "number = \"10.2\"\nname = \"Otro\"\ncode = \"A-1\"",
        1,
    );
    assert_at_second(&text, "duplicated annex code «A-1»", "code = \"A-1\"");
}

#[test]
fn duplicated_record_code() {
    let text = with_sections(
        "[[records]]\nname = \"Oficios\"\nretention = \"5 años\"\nkeeper = \"Archivo\"\ncode = \"R-1\"\n\n[[records]]\nname = \"Tarjetas\"\nretention = \"1 año\"\nkeeper = \"Archivo\"\ncode = \"R-1\"\n",
    );
    assert_at_second(&text, "duplicated record code «R-1»", "code = \"R-1\"");
    // «No aplica» is the absence of a code, not a code.
    let text = text.replace("code = \"R-1\"", "code = \"No aplica\"");
    assert_eq!(problems(&text), Vec::<String>::new());
}

#[test]
fn duplicated_reference_document_code() {
    let text = with_sections(
        "[[references]]\ndocument = \"Reglamento\"\ncode = \"D-1\"\n\n[[references]]\ndocument = \"Manual\"\ncode = \"D-1\"\n",
    );
    assert_at_second(
        &text,
        "duplicated reference document code «D-1»",
        "code = \"D-1\"",
    );
}

#[test]
fn an_expiry_answer_needs_a_term_and_leads_where_it_expires() {
    let expiry = VALID.replace(
        "text = \"Regresa a la actividad 1.1\", goto = \"1.1\" }",
        "text = \"No responde en 10 días.\", goto = \"1.1\", expiry = true }",
    );
    let p = assert_problem(&expiry, "the expiry answer «No» of «1.2» needs a deadline");
    assert!(
        p.starts_with(&format!(
            "prueba.toml:{}:",
            line_of(&expiry, "expiry = true")
        )),
        "{p}"
    );

    let with_term = expiry.replace(
        "decision = \"¿Procede?\"",
        "decision = \"¿Procede?\"\ndeadline = { term = \"10 días hábiles\", on_expiry = \"2.1\" }",
    );
    assert_problem(
        &with_term,
        "must lead where the term's on_expiry does («2.1»)",
    );
    let consistent = with_term.replace("on_expiry = \"2.1\"", "on_expiry = \"1.1\"");
    assert_eq!(problems(&consistent), Vec::<String>::new());
    let no_path = with_term.replace(", on_expiry = \"2.1\"", "");
    assert_eq!(problems(&no_path), Vec::<String>::new());
}

#[test]
fn a_responsible_listed_twice() {
    // On the stage: reported once, not for each activity that inherits the list.
    let stage = VALID.replace("responsible = [\"ST\"]", "responsible = [\"ST\", \"ST\"]");
    assert_at_second(&stage, "responsible «ST» is listed twice", "\"ST\"");
    let activity = VALID.replace(
        "text = \"Recibe.\"",
        "text = \"Recibe.\"\nresponsible = [\"ST\", \"SRE\", \"ST\"]",
    );
    assert_at_line(
        &activity,
        "responsible «ST» is listed twice",
        "[\"ST\", \"SRE\"",
    );
}

#[test]
fn a_field_captured_twice_by_one_activity() {
    let text = VALID.replace(
        "text = \"Recibe.\"",
        "text = \"Recibe.\"\nfields = [\"fecha_visita\", \"fecha_visita\"]",
    );
    assert_at_line(&text, "field «fecha_visita» is listed twice", "fields = [");
}

#[test]
fn an_option_offered_twice() {
    // Options are typed by people without accents or case, so «oficio» repeats «Oficio».
    let choice = VALID.replace(
        "[[stages]]\nnumber = \"1.0\"",
        "[[fields]]\nname = \"medio\"\nlabel = \"Medio\"\ntype = \"choice\"\noptions = [\"Oficio\", \"Correo\", \"oficio\"]\n\n[[stages]]\nnumber = \"1.0\"",
    );
    assert_at_line(&choice, "option «oficio» is listed twice", "options");
    let chosen = VALID.replace(
        "[[stages]]\nnumber = \"1.0\"",
        "[[fields]]\nname = \"areas\"\nlabel = \"Áreas\"\ntype = \"participants\"\noptions = [\"ST\", \"ST\"]\n\n[[stages]]\nnumber = \"1.0\"",
    );
    assert_at_line(&chosen, "option «ST» is listed twice", "options");
}

/// The one problem of `text`, which mentions `needle`, on the line where `at` first appears.
#[track_caller]
fn assert_at_line(text: &str, needle: &str, at: &str) {
    let p = assert_problem(text, needle);
    assert_eq!(problems(text).len(), 1, "{:#?}", problems(text));
    assert!(
        p.starts_with(&format!("prueba.toml:{}:", line_of(text, at))),
        "{p}"
    );
}
