//! The manual reader on a small manual written for it: two procedures on three pages (form
//! feeds, as `pdftotext` ends pages), a return to a stage, an answer that ends, a term, a
//! responsible matched by siglas and one that is no unit, a repeated number.

use turno_domain::definition::{Exit, Route, parse_procedure};
use turno_domain::manual::{Options, Place, Unit, draft_toml, read};

const MANUAL: &str = "MANUAL DE PROCEDIMIENTOS\n\
1. PROCEDIMIENTO PARA ATENDER SOLICITUDES DE PRUEBA\n\
1.0 Propósito\n\
1.1 Atender las solicitudes.\n\
2.0 Alcance\n\
2.1 A nivel interno, la Dirección de Prueba.\n\
3.0 Políticas de operación, normas y lineamientos\n\
3.1 La Dirección de Prueba responde.\n\
3.1 La Dirección de Prueba archiva.\n\
4.0 Descripción del procedimiento\n\
\tSecuencia de etapas\n\
\tActividad\n\
\tResponsable\n\
\t1.0 Recepción\n\
\t1.1 Recibe la solicitud y la registra dentro de los 5 días hábiles siguientes.\n\
· Solicitud\n\
\tDirección de Prueba (DP)\n\
\u{c}\t2.0 Análisis\n\
\t2.1 Analiza la solicitud.\n\
¿Procede?\n\
No: Regresa a la actividad 1.0\n\
Si: Continúa procedimiento.\n\
2.2 Responde. TERMINA PROCEDIMIENTO\n\
\tDP y Oficina Inexistente\n\
8.0 Glosario\n\
8.1 DP: Dirección de Prueba.\n\
2. PROCEDIMIENTO PARA ARCHIVAR\n\
1.0 Propósito\n\
1.1 Archivar.\n\
2.0 Alcance\n\
2.1 Interno.\n\
4.0 Descripción del procedimiento\n\
\tSecuencia de etapas\n\
\tActividad\n\
\tResponsable\n\
\t1.0 Archivo\n\
\t1.1 Archiva el expediente.\n\
¿Está completo?\n\
No: Fin del procedimiento.\n\
Si: Pasa a la actividad 1.1\n\
\u{c}\tDirección de Prueba.\n";

fn units() -> Vec<Unit> {
    vec![Unit {
        code: "PR-DP".into(),
        name: "Dirección de Prueba".into(),
        siglas: Some("DP".into()),
        external: false,
    }]
}

fn options() -> Options {
    Options {
        key_prefix: "prueba".into(),
        source: None,
    }
}

#[test]
fn a_manual_gives_a_draft_per_procedure_that_the_library_loads() {
    let reading = read(MANUAL, &units(), &options());
    let keys: Vec<&str> = reading.drafts.iter().map(|d| d.key.as_str()).collect();
    assert_eq!(keys, ["prueba-1", "prueba-2"]);
    let first = &reading.drafts[0];
    assert_eq!(
        first.title,
        "Procedimiento para atender solicitudes de prueba"
    );
    assert_eq!(first.policies[1].number.as_deref(), Some("3.1b"));
    assert_eq!(first.policies[1].manual_number.as_deref(), Some("3.1"));

    let procedure = parse_procedure(&draft_toml::write(first, "prueba.txt", None)).unwrap();
    let dp = procedure.participant_by_key("DP").unwrap();
    assert_eq!(procedure.participant(dp).unit.as_deref(), Some("PR-DP"));
    let registers = &procedure.activities[0];
    assert_eq!(registers.documents, ["Solicitud"]);
    assert_eq!(registers.deadline.as_ref().unwrap().text, "5 días hábiles");
    // «Regresa a la actividad 1.0» is the stage: its first activity.
    let Route::Decide { question, branches } = &procedure.activities[1].route else {
        panic!("2.1 is a decision");
    };
    assert_eq!(question, "¿Procede?");
    assert_eq!(
        branches[0].exit,
        Exit::Goto(procedure.activity_by_number("1.1").unwrap())
    );
    assert_eq!(
        branches[1].exit,
        Exit::Goto(procedure.activity_by_number("2.2").unwrap())
    );
    assert_eq!(procedure.activities[2].route, Route::Continue(Exit::End));

    let second =
        parse_procedure(&draft_toml::write(&reading.drafts[1], "prueba.txt", None)).unwrap();
    let Route::Decide { branches, .. } = &second.activities[0].route else {
        panic!("1.1 is a decision");
    };
    assert_eq!(branches[0].exit, Exit::End);
}

#[test]
fn what_the_reader_cannot_decide_is_reported_with_its_page_and_line() {
    let reading = read(MANUAL, &units(), &options());
    let find = |part: &str| {
        reading
            .findings
            .iter()
            .find(|f| f.message.contains(part))
            .unwrap_or_else(|| panic!("no finding about «{part}» in {:#?}", reading.findings))
    };
    // The responsible of stage 2.0 is on page 2, line 24 of the text.
    let unknown = find("«Oficina Inexistente» no corresponde a ninguna unidad");
    assert_eq!(unknown.place, Place { page: 2, line: 24 });
    assert_eq!(unknown.procedure.as_deref(), Some("prueba-1"));
    let term = find("fija el plazo «5 días hábiles»");
    assert_eq!(term.place, Place { page: 1, line: 15 });
    let stage = find("va a «1.0», que es una etapa");
    assert_eq!(stage.place.page, 2);
    assert!(find("la política 3.1 está numerada dos veces").place.line == 9);
    // The second procedure's responsible is on page 3.
    let second: Vec<_> = reading
        .findings
        .iter()
        .filter(|f| f.procedure.as_deref() == Some("prueba-2"))
        .collect();
    assert!(second.iter().all(|f| f.place.page >= 2), "{second:#?}");
}

#[test]
fn text_that_is_no_manual_gives_no_draft_and_says_so() {
    let reading = read(
        "Una carta cualquiera.\nSin procedimientos.",
        &units(),
        &options(),
    );
    assert!(reading.drafts.is_empty());
    assert_eq!(reading.findings.len(), 1);
    assert!(
        reading.findings[0]
            .message
            .contains("no se encontró ningún procedimiento")
    );
}

/// A term with its expiry's path («Plazo: …; si vence, pasa a la actividad 1.3», as `turno
/// export manual` writes it) and an answer that is a term's expiry with work of its own.
const EXPIRY: &str = "MANUAL DE PROCEDIMIENTOS\n\
1. PROCEDIMIENTO PARA REQUERIR INFORMACIÓN\n\
1.0 Propósito\n\
1.1 Requerir información.\n\
2.0 Alcance\n\
2.1 A nivel interno, la Dirección de Prueba.\n\
4.0 Descripción del procedimiento\n\
\tSecuencia de etapas\n\
\tActividad\n\
\tResponsable\n\
\t1.0 Requerimiento\n\
\t1.1 Solicita la información a la entidad.\n\
Plazo: 10 días hábiles; si vence, pasa a la actividad 1.3.\n\
\t1.2 Solicita nuevamente la información.\n\
¿Procede?\n\
No: no hay respuesta de la entidad en 20 días hábiles; dentro de los 5 días hábiles posteriores al vencimiento, avisa al Órgano de Control del incumplimiento. Pasa a la actividad 2.0\n\
Si: Registra la información. Termina procedimiento.\n\
1.3 Avisa a la entidad del atraso.\n\
Plazo: 3 días hábiles. Regresa a la actividad 1.1\n\
\tDirección de Prueba\n\
\t2.0 Cierre\n\
\t2.1 Cierra el expediente. TERMINA PROCEDIMIENTO\n\
\tDirección de Prueba\n";

#[test]
fn a_terms_expiry_goes_where_the_text_says() {
    let reading = read(EXPIRY, &units(), &options());
    let [draft] = reading.drafts.as_slice() else {
        panic!("one draft: {:#?}", reading.findings);
    };
    let toml = draft_toml::write(draft, "prueba.txt", None);
    let procedure =
        parse_procedure(&toml).unwrap_or_else(|e| panic!("{e:?}\n{toml}\n{:#?}", reading.findings));
    let id = |n: &str| procedure.activity_by_number(n).unwrap();
    let numbers: Vec<&str> = procedure
        .activities
        .iter()
        .map(|a| a.number.as_str())
        .collect();
    assert_eq!(numbers, ["1.1", "1.2", "1.2b", "1.3", "2.1"]);
    // «si vence, pasa a la actividad 1.3»: the term's own path.
    let asks = procedure.activity(id("1.1")).deadline.as_ref().unwrap();
    assert_eq!(
        (asks.text.as_str(), asks.on_expiry),
        ("10 días hábiles", Some(id("1.3")))
    );
    // «No: no hay respuesta … en 20 días hábiles; … posteriores al vencimiento, avisa …»: the
    // answer is the expiry and its work an activity of its own, printed as 1.2.
    let again = procedure.activity(id("1.2"));
    let deadline = again.deadline.as_ref().unwrap();
    assert_eq!(
        (deadline.text.as_str(), deadline.on_expiry),
        ("20 días hábiles", Some(id("1.2b")))
    );
    let Route::Decide { branches, .. } = &again.route else {
        panic!("1.2 is a decision");
    };
    assert_eq!(branches[0].exit, Exit::Goto(id("1.2b")));
    assert!(branches[0].expiry && !branches[1].expiry);
    let notice = procedure.activity(id("1.2b"));
    assert_eq!(notice.manual_number.as_deref(), Some("1.2"));
    assert!(
        notice.text.starts_with("Avisa al Órgano de Control"),
        "{}",
        notice.text
    );
    assert_eq!(notice.deadline.as_ref().unwrap().text, "5 días hábiles");
    assert_eq!(notice.route, Route::Continue(Exit::Goto(id("2.1"))));
    // «Plazo: 3 días hábiles. Regresa a la actividad 1.1»: the sentence after the term is the
    // activity's.
    let warns = procedure.activity(id("1.3"));
    assert_eq!(warns.deadline.as_ref().unwrap().text, "3 días hábiles");
    assert_eq!(warns.route, Route::Continue(Exit::Goto(id("1.1"))));
    assert!(
        reading
            .findings
            .iter()
            .any(|f| f.message.contains("se leyó como la actividad 1.2b")),
        "{:#?}",
        reading.findings
    );
}
