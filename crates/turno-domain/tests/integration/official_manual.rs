//! The official manual of a procedure (`turno_domain::official_manual`): the Guía técnica's
//! sections in order, the activity table in its columns, decisions and returns worded as the
//! manuals do, and «No aplica» where the definition has nothing.

use crate::common::seed_library;
use turno_domain::official_manual::{ACTIVITY_COLUMNS, Block, OfficialManual, Row, Table};

fn manual(key: &str) -> OfficialManual {
    OfficialManual::of(seed_library().latest(key).unwrap())
}

fn table<'m>(manual: &'m OfficialManual, number: &str) -> &'m Table {
    let section = manual.sections.iter().find(|s| s.number == number).unwrap();
    section
        .blocks
        .iter()
        .find_map(|b| match b {
            Block::Table(t) => Some(t),
            _ => None,
        })
        .unwrap_or_else(|| panic!("section {number} has a table"))
}

/// The activity table's row of activity `number`.
fn row<'t>(table: &'t Table, number: &str) -> &'t [String] {
    table
        .rows
        .iter()
        .find_map(|r| match r {
            Row::Cells(cells) if cells[1] == number => Some(cells.as_slice()),
            _ => None,
        })
        .unwrap_or_else(|| panic!("activity {number} has a row"))
}

#[test]
fn the_sections_are_the_guias_in_order() {
    let manual = manual("sidss-informes-oficiales");
    let headings: Vec<String> = manual
        .sections
        .iter()
        .map(|s| format!("{} {}", s.number, s.title))
        .collect();
    assert_eq!(
        headings,
        [
            "1.0 Propósito",
            "2.0 Alcance",
            "3.0 Políticas de operación, normas y lineamientos",
            "4.0 Descripción del procedimiento",
            "5.0 Diagrama de flujo",
            "6.0 Documentos de referencia",
            "7.0 Registros",
            "8.0 Glosario",
            "9.0 Cambios de esta versión",
            "10.0 Anexos",
        ]
    );
    assert!(
        manual
            .title
            .starts_with("2. Procedimiento para el monitoreo")
    );
    assert_eq!(
        manual.identification,
        "Clave sidss-informes-oficiales, versión 2"
    );
    let diagram = &manual.sections[4].blocks;
    assert_eq!(diagram, &[Block::Flowchart]);
    let texts = manual.texts();
    assert!(texts.contains(&"3.2 Es responsabilidad del Secretario Técnico enviar los diferentes informes después de la revisión de la correspondencia realizada por la Coordinación de Asesores."));
    assert!(texts.contains(&"8.1 CAS: Coordinación de Asesores."));
    assert!(texts.contains(&"10.1 Seguimiento de informes oficiales. CAS-RS-RE-170"));
}

#[test]
fn decisions_returns_and_ends_are_worded_as_the_manuals_do() {
    let manual = manual("sidss-informes-oficiales");
    let table = table(&manual, "4.0");
    assert_eq!(table.columns, ACTIVITY_COLUMNS);
    assert_eq!(table.widths.iter().map(|w| u32::from(*w)).sum::<u32>(), 100);
    assert_eq!(
        table.rows[0],
        Row::Heading("1.0 Recepción de informes oficiales".into())
    );
    let first = row(table, "1.1");
    assert_eq!(first[0], "Secretario Técnico");
    assert!(
        first[2].ends_with("\nPasa a la actividad 2.1."),
        "{}",
        first[2]
    );
    assert_eq!(first[3], "Documento");
    // The next activity in order needs no words.
    assert!(!row(table, "1.2")[2].contains('\n'));
    assert_eq!(
        row(table, "2.2")[2],
        "Solicita correcciones (vía telefónica, correo electrónico o fax) o las debidas \
         justificaciones de las variaciones a los responsables designados para esta tarea y/o a \
         las Direcciones de Área en las Direcciones Generales.\n¿Procede?\n\
         No: regresa a la actividad 1.2.\nSí: continúa en la actividad 3.1."
    );
    let authorization = row(table, "4.1");
    assert_eq!(authorization[0], "Coordinación de Asesores");
    assert!(
        authorization[2]
            .ends_with("No: regresa a la actividad 2.1.\nSí: continúa en la actividad 5.1.")
    );
    assert!(row(table, "5.2")[2].ends_with("\nTERMINA PROCEDIMIENTO"));
    assert_eq!(row(table, "5.2")[3], "Formato 10.1 y 10.2");
}

#[test]
fn terms_expiries_and_units_chosen_by_the_case_are_written() {
    let library = seed_library();
    let mut terms = 0;
    let mut expiries = 0;
    let mut chosen = 0;
    for procedure in library.newest() {
        let manual = OfficialManual::of(procedure);
        let table = table(&manual, "4.0");
        let rows: Vec<&Vec<String>> = table
            .rows
            .iter()
            .filter_map(|r| match r {
                Row::Cells(cells) => Some(cells),
                Row::Heading(_) => None,
            })
            .collect();
        assert_eq!(rows.len(), procedure.activities.len(), "{}", procedure.key);
        for (activity, cells) in procedure.activities.iter().zip(rows) {
            let number = activity
                .manual_number
                .as_deref()
                .unwrap_or(&activity.number);
            assert_eq!(cells[1], number);
            assert!(
                cells[2].starts_with(&activity.text),
                "{number}: {}",
                cells[2]
            );
            if let Some(deadline) = &activity.deadline {
                terms += 1;
                assert!(
                    cells[2].contains(&format!("Plazo: {}", deadline.text)),
                    "{}: {number}: {}",
                    procedure.key,
                    cells[2]
                );
                if let Some(target) = deadline.on_expiry {
                    expiries += 1;
                    let target = procedure.activity(target);
                    let target = target.manual_number.as_deref().unwrap_or(&target.number);
                    assert!(
                        cells[2].contains("si vence, ")
                            && cells[2].contains(&format!("actividad {target}")),
                        "{}: {number}: {}",
                        procedure.key,
                        cells[2]
                    );
                }
            }
            if let turno_domain::definition::Assignment::FromField(field) = &activity.assignment {
                chosen += 1;
                assert!(cells[0].contains(&format!("(según «{}»)", procedure.field(*field).label)));
            }
        }
    }
    assert!(
        terms > 10 && expiries > 0 && chosen > 0,
        "{terms} {expiries} {chosen}"
    );
    assert!(library.newest().flat_map(|p| p.activities.iter()).any(|a| {
        a.deadline
            .as_ref()
            .is_some_and(|d| d.text.contains("días hábiles"))
    }));
}

#[test]
fn empty_sections_say_no_aplica() {
    let mut procedure = (**seed_library().latest("sidss-informes-oficiales").unwrap()).clone();
    procedure.records.clear();
    procedure.glossary.clear();
    let manual = OfficialManual::of(&procedure);
    assert_eq!(
        table(&manual, "7.0").rows,
        [Row::Cells(vec!["No aplica".to_owned(); 4])]
    );
    let glossary = manual.sections.iter().find(|s| s.number == "8.0").unwrap();
    assert_eq!(glossary.blocks, [Block::Paragraph("No aplica".into())]);
}
