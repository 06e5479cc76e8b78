//! The Programa de ASM 2017 of the SESEQ (seed 003), transcribed in `fixtures/asm-2017/`:
//! what the tables hold, the seed's data errors reported by row and column, every kind of
//! problem, and any program written to the three tables read back the same.

use jiff::civil::date;
use proptest::prelude::*;
use std::collections::BTreeSet;
use turno_domain::followup::{
    Acceptance, Activity, Aspect, Closure, DocumentType, Evidence, FollowupError, Item, ItemKind,
    Justification, ManagementArea, Problem, Program, Progress, Recommendation, Row, SignOff,
    Status, Table, Tables, read_program, to_csv, write_activities, write_aspects,
    write_recommendations, write_sign_off,
};

fn fixture(name: &str) -> Table {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures/asm-2017")
        .join(name);
    Table::from_csv(name, &std::fs::read_to_string(path).unwrap()).unwrap()
}

fn read(tables: &[Table; 3]) -> Result<Program, Vec<String>> {
    read_program(
        "Programa de ASM 2017",
        Tables {
            recommendations: &tables[0],
            aspects: &tables[1],
            activities: &tables[2],
        },
    )
    .map_err(|problems| problems.iter().map(Problem::to_string).collect())
}

fn seed() -> [Table; 3] {
    [
        fixture("recomendaciones.csv"),
        fixture("aspectos.csv"),
        fixture("actividades.csv"),
    ]
}

/// The seed with the errors the reader reports fixed as `docs/manual-errata.md` proposes.
fn corrected() -> [Table; 3] {
    let [recommendations, aspects, mut activities] = seed();
    // Columns of actividades.csv: 1 No., 3 Ámbito de gestión, 8 Fecha de término, 10 Área responsable.
    let mut set = |row: usize, column: usize, value: &str| {
        let cells = &mut activities.rows[row - 1].cells;
        cells[column] = value.to_owned();
    };
    for row in [38, 47, 50, 53, 60, 79] {
        set(row, 3, "O");
    }
    set(52, 8, "31-01-2018");
    set(60, 1, "4");
    for row in [19, 52, 60, 62, 64, 65, 67, 68, 69] {
        set(row, 10, "SIN ÁREA RESPONSABLE EN LA SEMILLA");
    }
    [recommendations, aspects, activities]
}

#[test]
fn the_corrected_fixture_is_the_seed_with_these_corrections() {
    let file = fixture("actividades-corregidas.csv");
    let cells = |t: &Table| t.rows.iter().map(|r| r.cells.clone()).collect::<Vec<_>>();
    assert_eq!(cells(&file), cells(&corrected()[2]));
}

#[test]
fn the_seeds_data_errors_are_reported_with_row_and_column_and_nothing_is_built() {
    let problems = read(&seed()).unwrap_err();
    let zero = "«Ámbito de gestión»: «0» no es un ámbito de gestión (O, PP, RC, SER)";
    let empty = "«Área responsable»: está vacío";
    let expected: Vec<String> = [
        format!("fila 19, {empty}"),
        format!("fila 38, {zero}"),
        format!("fila 47, {zero}"),
        format!("fila 50, {zero}"),
        format!("fila 52, {empty}"),
        "fila 52, «Fecha de término»: termina (2017-01-31) antes de empezar (2017-05-15)".into(),
        format!("fila 53, {zero}"),
        format!("fila 60, {zero}"),
        "fila 60, «No.»: el número 1 ya está en la fila 50".into(),
        format!("fila 60, {empty}"),
        format!("fila 62, {empty}"),
        format!("fila 64, {empty}"),
        format!("fila 65, {empty}"),
        format!("fila 67, {empty}"),
        format!("fila 68, {empty}"),
        format!("fila 69, {empty}"),
        format!("fila 79, {zero}"),
    ]
    .into_iter()
    .map(|p| format!("actividades.csv: {p}"))
    .collect();
    assert_eq!(problems, expected);
}

#[test]
fn the_seeds_program_once_corrected_has_every_recommendation_aspect_and_activity() {
    let program = read(&corrected()).unwrap();
    let recommendations: Vec<_> = program.recommendations().collect();
    assert_eq!(recommendations.len(), 50);
    let justified: Vec<(u32, u32)> = recommendations
        .iter()
        .filter_map(|(item, r)| match &r.acceptance {
            Acceptance::NotAccepted(Justification::ByRecommendation(by)) => {
                Some((item.number, *by))
            }
            _ => None,
        })
        .collect();
    assert_eq!(justified.len(), 17);
    assert_eq!(
        recommendations
            .iter()
            .filter(|(_, r)| r.acceptance.is_accepted())
            .count(),
        33
    );
    assert_eq!(justified.first(), Some(&(34, 1)));
    assert_eq!(justified.last(), Some(&(50, 17)));
    assert!(justified.contains(&(49, 23)));
    assert!(
        recommendations
            .iter()
            .all(|(_, r)| r.evaluation_year == 2016)
    );

    let aspects: Vec<_> = program.aspects().collect();
    let of = |document| aspects.iter().filter(move |(_, a)| a.document == document);
    assert_eq!(of(DocumentType::Specific).count(), 16);
    assert_eq!(of(DocumentType::Institutional).count(), 11);
    assert_eq!(of(DocumentType::Interinstitutional).count(), 0);
    assert_eq!(of(DocumentType::Intergovernmental).count(), 0);
    let activities =
        |document| -> usize { of(document).map(|(item, _)| item.activities.len()).sum() };
    assert_eq!(activities(DocumentType::Specific), 48);
    assert_eq!(activities(DocumentType::Institutional), 36);
    assert!(
        aspects
            .iter()
            .all(|(item, _)| (3..=4).contains(&item.activities.len()))
    );
    let management = |m| aspects.iter().filter(|(_, a)| a.management == m).count();
    assert_eq!(
        [
            ManagementArea::O,
            ManagementArea::PP,
            ManagementArea::RC,
            ManagementArea::SER
        ]
        .map(management),
        [10, 15, 1, 1]
    );
    // Aspect 22 of the institutional document: its activities are those the activities
    // table numbers 1, with the area coordinating them and no expected results.
    let (plan, aspect) = aspects.iter().find(|(item, _)| item.number == 22).unwrap();
    assert_eq!(
        aspect.coordinator.as_deref(),
        Some("SERVICIOS DE SALUD DEL ESTADO DE QUERÉTARO")
    );
    assert_eq!(plan.expected_results, None);
    assert_eq!(plan.activities[0].description, "Generar Plan de ASM 2017");
    // Several areas in one cell are several responsible areas.
    let (goals, _) = aspects.iter().find(|(item, _)| item.number == 16).unwrap();
    assert_eq!(goals.activities[1].responsible.len(), 3);

    // Nothing has progress: on 1 February 2018 every activity is past its end.
    let cutoff = program.cutoff(date(2018, 2, 1));
    assert!(
        cutoff
            .items
            .iter()
            .filter(|s| matches!(s.item.kind, ItemKind::Aspect(_)))
            .all(|s| s.status == Status::Overdue)
    );
    assert_eq!(
        program.final_report(date(2018, 2, 1)),
        Err(FollowupError::OpenActivities(84))
    );
}

#[test]
fn the_seeds_program_exports_to_its_layouts_and_reads_back_the_same() {
    let program = read(&corrected()).unwrap();
    let written = write(&program);
    assert_eq!(written[0].rows[0].cells, seed()[0].rows[0].cells);
    assert_eq!(written[1].rows[0].cells, seed()[1].rows[0].cells);
    assert_eq!(written[2].rows[0].cells, seed()[2].rows[0].cells);
    assert_eq!(written[2].rows.len(), 85);
    assert_eq!(read(&written), Ok(program));
}

fn write(program: &Program) -> [Table; 3] {
    let csv = |name: &str, rows: Vec<Vec<String>>| Table::from_csv(name, &to_csv(&rows)).unwrap();
    [
        csv("recomendaciones.csv", write_recommendations(program)),
        csv("aspectos.csv", write_aspects(program)),
        csv(
            "actividades.csv",
            [write_activities(program), write_sign_off(program)].concat(),
        ),
    ]
}

#[test]
fn the_signatures_under_the_activities_table_are_read_and_checked() {
    let mut program = read(&corrected()).unwrap();
    program.sign_off = Some(SignOff {
        prepared_by: "GERARDO PALMA ÁNGELES".into(),
        authorized_by: "JOSÉ SAMUEL GARCÍA SÁNCHEZ".into(),
    });
    let mut tables = write(&program);
    assert_eq!(read(&tables), Ok(program));
    // A spreadsheet leaves blank rows and a colon after the titles; the names may not
    // be missing, and nothing follows them.
    let activities = &mut tables[2].rows;
    let names = activities.pop().unwrap().cells;
    let titles = activities.pop().unwrap().cells;
    for cells in [
        vec![String::new(); 3],
        vec![format!("{}:", titles[0]), titles[1].clone()],
        vec![names[0].clone(), String::new()],
        vec!["otra cosa".into()],
    ] {
        let number = activities.len() + 1;
        activities.push(Row { number, cells });
    }
    assert_eq!(
        read(&tables).unwrap_err(),
        [
            "actividades.csv: fila 88: bajo «Elaboró» y «Autorizó» van los nombres de quien elaboró y de quien autorizó",
            "actividades.csv: fila 89: nada va después de las firmas",
        ]
    );
}

fn rows(text: &str) -> Vec<Vec<String>> {
    text.lines()
        .map(|l| l.split('|').map(str::to_owned).collect())
        .collect()
}

const RECOMMENDATIONS: &str = "No.|Año de evaluación|Descripción|Ámbito de|Atención|Justificación
1|2016|Publicar los informes|RC|SÍ|
2|2016|Publicar los informes|RC|no|Se justifica con la recomendación 9
3|2016|Otra|X|tal vez|
4|2016|Cuarta||NO|
5|2016|Quinta||NO|SE JUSTIFICA CON LA RECOMENDACIÓN 5
6|2016|Sexta||NO|SE JUSTIFICA CON LA RECOMENDACIÓN 2
1|dos mil|Repetida|O|SI|Porque sí";

const ASPECTS: &str = "No.|Aspecto Susceptible de Mejora|Tipo|Ámbito de gestión|Fecha de inicio|Fecha de término|Productos y/o evidencias|Recomendaciones
1|Publicar los informes|DOCUMENTO ESPECÍFICO|RC|04-05-2017|31-07-2017|memorándum|1
2|Otro|DOCUMENTO ESTATAL|RC|31-07-2017|04-05-2017|memorándum|
3|Tercero|DOCUMENTO ESPECÍFICO|O|04-05-2017|31-07-2017|memorándum|1; 12";

const ACTIVITIES: &str = "Documento|No.|Aspecto Susceptible de Mejora|Ámbito de gestión|Actividad|Actividades|Fecha de inicio|Fecha de término|Productos y/o evidencias|Área responsable|Avance (%)|Estatus
|||||Sin aspecto|04-05-2017|05-05-2017|memo|DP||
DOCUMENTO ESPECÍFICO|1|PUBLICAR LOS INFORMES|PP|1|Presentar|04-05-2017|32-05-2017|memo|DP|100|
DOCUMENTO ESPECÍFICO||||1|Repetida|04-05-2017|05-05-2017|memo|DP|120|vencido
DOCUMENTO INSTITUCIONAL|2|Publicar los informes|RC|1|Otra|04-05-2017|05-05-2017|memo|DP||";

#[test]
fn every_kind_of_problem_is_reported_with_file_row_and_column() {
    let tables = [
        Table::new("recomendaciones.xlsx", rows(RECOMMENDATIONS)),
        Table::new("aspectos.xlsx", rows(ASPECTS)),
        Table::new("actividades.xlsx", rows(ACTIVITIES)),
    ];
    assert_eq!(
        read(&tables).unwrap_err(),
        [
            "recomendaciones.xlsx: fila 4, «Ámbito de gestión»: «X» no es un ámbito de gestión (O, PP, RC, SER)",
            "recomendaciones.xlsx: fila 5, «Justificación»: una recomendación no atendida necesita su justificación",
            "recomendaciones.xlsx: fila 8, «No.»: el número 1 ya está en la fila 2",
            "recomendaciones.xlsx: fila 8, «Año de evaluación»: «dos mil» no es un número entero positivo",
            "recomendaciones.xlsx: fila 8, «Justificación»: una recomendación atendida no lleva justificación",
            "recomendaciones.xlsx: fila 3, «Justificación»: la recomendación 9 no existe",
            "recomendaciones.xlsx: fila 6, «Justificación»: la recomendación se justifica consigo misma",
            "recomendaciones.xlsx: fila 7, «Justificación»: la recomendación 2 que la justifica tampoco se atiende",
            "aspectos.xlsx: fila 3, «Tipo»: «DOCUMENTO ESTATAL» no es un tipo de documento (específico, institucional, interinstitucional, intergubernamental)",
            "aspectos.xlsx: fila 3, «Fecha de término»: termina (2017-05-04) antes de empezar (2017-07-31)",
            "aspectos.xlsx: fila 4, «Recomendaciones»: la recomendación 12 no existe",
            "actividades.xlsx: fila 2: la fila continúa un aspecto, pero ninguna fila anterior lo nombra",
            "actividades.xlsx: fila 3, «Ámbito de gestión»: «PP» no es el ámbito del aspecto en la tabla de aspectos («RC»)",
            "actividades.xlsx: fila 3, «Fecha de término»: «32-05-2017» no es una fecha DD-MM-AAAA",
            "actividades.xlsx: fila 4, «Actividad»: el número 1 ya está en la fila 3",
            "actividades.xlsx: fila 4, «Avance (%)»: «120» no es un avance de 0 a 100",
            "actividades.xlsx: fila 4, «Estatus»: «vencido» no se registra: solo «justificado» o «no atendido»; los demás estatus se calculan",
            "actividades.xlsx: fila 5, «Aspecto Susceptible de Mejora»: no hay un aspecto de este texto en el documento institucional de la tabla de aspectos",
        ]
    );
}

#[test]
fn an_activity_at_100_without_evidence_is_refused_by_the_reader() {
    let [recommendations, aspects, _] = corrected();
    let mut activities = corrected()[2].clone();
    activities.rows[0].cells.push("Avance (%)".into());
    activities.rows[1].cells.push("100".into());
    assert_eq!(
        read(&[recommendations, aspects, activities]).unwrap_err(),
        [
            "actividades.csv: fila 2, «Avance (%)»: una actividad no llega al 100 % sin evidencia adjunta"
        ]
    );
}

#[test]
fn broken_tables_never_panic_and_missing_columns_are_named() {
    let empty = Table::new("vacía.csv", Vec::new());
    let problems = read(&[empty.clone(), empty.clone(), empty]).unwrap_err();
    assert_eq!(
        problems[0],
        "vacía.csv: fila 1: la tabla no tiene fila de encabezados"
    );
    let only = Table::new("r.csv", rows("No.|Descripción"));
    let problems = read(&[only, fixture("aspectos.csv"), fixture("actividades.csv")]).unwrap_err();
    assert!(problems.contains(&"r.csv: fila 1, «Atención»: falta la columna".to_owned()));
}

fn text() -> impl Strategy<Value = String> {
    "[A-Za-zÁÉÍÓÚñ][A-Za-zÁÉÍÓÚñ ,;\"]{0,20}[a-z.]".prop_map(|s| s)
}

fn activity(number: u32) -> impl Strategy<Value = Activity> {
    (
        text(),
        0i32..400,
        0i32..200,
        prop::collection::vec(text(), 1..3),
        0u8..=100,
        prop::collection::vec(text(), 0..2),
        prop::option::of((any::<bool>(), prop::option::of(text()))),
    )
        .prop_map(
            move |(description, from, length, responsible, progress, evidence, closure)| {
                let start = date(2017, 1, 1)
                    .checked_add(jiff::Span::new().days(from))
                    .unwrap();
                let end = start.checked_add(jiff::Span::new().days(length)).unwrap();
                let mut a = Activity::planned(
                    number,
                    description,
                    (start, end),
                    "Minuta".into(),
                    responsible,
                )
                .unwrap();
                for name in evidence {
                    a.attach(Evidence { name });
                }
                if progress == 100 && a.evidence().is_empty() {
                    a.attach(Evidence {
                        name: "evidencia.pdf".into(),
                    });
                }
                a.record_progress(Progress::new(progress).unwrap()).unwrap();
                a.closure = closure.map(|(justified, reason)| {
                    let reason = reason.unwrap_or_default();
                    if justified {
                        Closure::Justified { reason }
                    } else {
                        Closure::NotAttended { reason }
                    }
                });
                a
            },
        )
}

fn sign_off() -> impl Strategy<Value = Option<SignOff>> {
    prop::option::of((text(), text())).prop_map(|names| {
        names.map(|(prepared_by, authorized_by)| SignOff {
            prepared_by,
            authorized_by,
        })
    })
}

fn program() -> impl Strategy<Value = Program> {
    let recommendations = prop::collection::vec(
        (
            1990i16..2030,
            prop::option::of(prop::sample::select(&ManagementArea::ALL[..])),
            prop::option::of(prop::option::of(text())),
            text(),
            prop::option::of(text()),
        ),
        1..6,
    );
    let aspects = prop::collection::vec(
        (
            prop::sample::select(&DocumentType::ALL[..]),
            prop::sample::select(&ManagementArea::ALL[..]),
            prop::collection::btree_set(1u32..6, 0..3),
            prop::option::of(text()),
            prop::option::of(text()),
            (1usize..4).prop_flat_map(|n| (1..=n as u32).map(activity).collect::<Vec<_>>()),
        ),
        0..5,
    );
    (recommendations, aspects, sign_off()).prop_map(|(recommendations, aspects, sign_off)| {
        let count = recommendations.len() as u32;
        let mut items: Vec<Item> = recommendations
            .into_iter()
            .enumerate()
            .map(|(i, (year, management, justification, text, folio))| {
                let number = i as u32 + 1;
                // Justified by recommendation 1, which is always accepted, or by a text.
                let acceptance = match justification {
                    Some(_) if number == 1 => Acceptance::Accepted,
                    Some(Some(reason)) => Acceptance::NotAccepted(Justification::Text(reason)),
                    Some(None) => Acceptance::NotAccepted(Justification::ByRecommendation(1)),
                    None => Acceptance::Accepted,
                };
                Item {
                    number,
                    kind: ItemKind::Recommendation(Recommendation {
                        evaluation_year: year,
                        management,
                        acceptance,
                    }),
                    text: format!("Recomendación {number}: {text}"),
                    expected_results: None,
                    case_folio: folio,
                    activities: Vec::new(),
                }
            })
            .collect();
        for (i, (document, management, linked, coordinator, expected, activities)) in
            aspects.into_iter().enumerate()
        {
            let number = i as u32 + 1;
            items.push(Item {
                number,
                kind: ItemKind::Aspect(Aspect {
                    document,
                    management,
                    start: date(2017, 5, 4),
                    end: date(2018, 1, 31),
                    products: "Plan de ASM".into(),
                    recommendations: linked
                        .into_iter()
                        .filter(|&n| n <= count)
                        .collect::<BTreeSet<_>>()
                        .into_iter()
                        .collect(),
                    coordinator,
                }),
                text: format!("Aspecto {number}"),
                expected_results: expected,
                case_folio: None,
                activities,
            });
        }
        Program {
            name: "Programa de ASM 2017".into(),
            items,
            sign_off,
        }
    })
}

proptest! {
    #[test]
    fn any_program_written_to_the_three_tables_reads_back_the_same(program in program()) {
        prop_assert_eq!(read(&write(&program)), Ok(program));
    }
}

/// A control character in any cell of a table is a problem of its file, row and column; a file
/// that is not UTF-8 says its line and byte.
#[test]
fn control_characters_and_invalid_utf8_are_located() {
    let [recommendations, aspects, mut activities] = corrected();
    activities.rows[2].cells[10] = "Área\u{0}".to_owned();
    let found = read(&[recommendations, aspects, activities]).unwrap_err();
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].starts_with("actividades.csv: fila 3, «")
            && found[0]
                .ends_with("lleva un carácter de control (U+0000) en la posición 5; quítelo"),
        "{found:?}"
    );
    let mut problems = Vec::new();
    let refused =
        turno_domain::followup::read_file("tabla.csv", b"No.,Texto\n1,Acci\xf3n\n", &mut problems)
            .unwrap_err();
    assert_eq!(
        refused.to_string(),
        "tabla.csv: el archivo no está en UTF-8 (¿Latin-1?) en el byte 17, línea 2: el byte 0xF3 \
         sería «ó» en Latin-1; guárdelo como UTF-8"
    );
}
