//! `turno import correspondence` as an oficialía de partes runs it, on SQLite: a unit's
//! register imports whole as CSV or XLSX (folios in order, turns given, the import on the audit
//! log), its headers found whatever their accents, case or other usual names; a file with
//! problems in several rows prints every one by file, row and column and writes nothing;
//! a control character in a cell is one of them.

use std::path::{Path, PathBuf};
use turno_store::{Correspondence, SqliteStore, Store};

use crate::common::{
    add_admin, assert_contains, repository_file, stderr, stdout, temp_dir, turno_on, url,
};

/// A migrated database with the SSA's organization, the calendars and an administrator, in a
/// folder of the test's own.
fn database(name: &str) -> (PathBuf, String) {
    let dir = temp_dir(name);
    let db = url(&dir.join("turno.db"));
    let org = repository_file("org/ssa.toml");
    for args in [
        vec!["migrate"],
        vec!["import", "org", &org],
        vec!["calendar", "import"],
    ] {
        let out = turno_on(&db, &args);
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
    }
    let admin = add_admin(&db);
    assert!(admin.status.success(), "{}", stderr(&admin));
    (dir, db)
}

const HEADER: &str = "Tipo,Tipo de remitente,Remitente,Cargo,Institución,Número,Fecha del \
                      documento,Recibido,Asunto,Resumen,Prioridad,Clasificación,Anexos,Plazo \
                      (días hábiles),Turnado a,Instrucción";

/// Three documents of the Secretaría Técnica's register: an oficio turned to two units, a
/// private person's letter, a memorándum of a unit.
fn good_rows() -> Vec<Vec<&'static str>> {
    vec![
        vec![
            "oficio",
            "externa",
            "Dra. Ana López",
            "Directora General",
            "Servicios de Salud de Querétaro",
            "SESEQ/DG/0456/2026",
            "30/10/2026",
            "03/11/2026 10:15",
            "Solicitud de información del padrón",
            "Pide las cifras del padrón, con \"comillas\" y, comas.",
            "urgente",
            "pública",
            "2",
            "10",
            "SIDSS-CAS, SIDSS-CG",
            "para atención",
        ],
        vec![
            "escrito",
            "particular",
            "Juan Pérez",
            "",
            "",
            "",
            "",
            "04/11/2026 09:00",
            "Queja por la atención recibida",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
        ],
        vec![
            "memorándum",
            "unidad",
            "Lic. Rosa Díaz",
            "Coordinadora",
            "SIDSS-CG",
            "CG/015/2026",
            "2026-11-05",
            "2026-11-05 12:30",
            "Envío del informe trimestral",
            "",
            "ordinaria",
            "reservada",
            "0",
            "",
            "SIDSS-CAS",
            "para conocimiento",
        ],
    ]
}

fn csv_line(cells: &[&str]) -> String {
    cells
        .iter()
        .map(|c| {
            if c.contains([',', '"', '\n']) {
                format!("\"{}\"", c.replace('"', "\"\""))
            } else {
                (*c).to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join(",")
}

fn write_csv(dir: &Path, name: &str, header: &str, rows: &[Vec<&str>]) -> String {
    let mut text = format!("{header}\n");
    for row in rows {
        text.push_str(&csv_line(row));
        text.push('\n');
    }
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

fn import(db: &str, file: &str) -> std::process::Output {
    turno_on(
        db,
        &["import", "correspondence", file, "--unit", "SIDSS-ST"],
    )
}

/// A turn as the tests compare it: unit, instruction, whether it has a due date.
type Turn = (String, String, bool);

/// The stored documents of the Secretaría Técnica's register: folio, subject, turns.
fn register(db: &str) -> Vec<(String, String, Vec<Turn>)> {
    tokio::runtime::Runtime::new().unwrap().block_on(async {
        let store = SqliteStore::open(db).await.unwrap();
        let mut documents = store
            .incoming_of_units(&["SIDSS-ST".to_owned()], 100)
            .await
            .unwrap();
        documents.sort_by_key(|d| d.folio.to_string());
        documents
            .into_iter()
            .map(|d| {
                (
                    d.folio.to_string(),
                    d.incoming.subject,
                    d.turns
                        .into_iter()
                        .map(|t| {
                            (
                                t.unit,
                                t.instruction.code().to_owned(),
                                t.due_date.is_some(),
                            )
                        })
                        .collect(),
                )
            })
            .collect()
    })
}

fn audited(db: &str) -> Vec<(String, String)> {
    tokio::runtime::Runtime::new().unwrap().block_on(async {
        let store = SqliteStore::open(db).await.unwrap();
        store
            .audit_log(None, 1000)
            .await
            .unwrap()
            .into_iter()
            .filter(|e| e.action == "correspondence_imported")
            .map(|e| (e.actor, e.detail))
            .collect()
    })
}

#[test]
fn a_register_imports_whole_from_csv_with_its_turns_and_on_the_audit_log() {
    let (dir, db) = database("correspondence-csv");
    let file = write_csv(&dir, "registro.csv", HEADER, &good_rows());
    let out = import(&db, &file);
    assert!(out.status.success(), "{}", stderr(&out));
    let year = 2026;
    assert_eq!(
        stdout(&out),
        format!(
            "{file}: documentos registrados: 3 (CE-{year}-000001 a CE-{year}-000003); turnos: 3\n"
        )
    );
    let stored = register(&db);
    let subjects: Vec<&str> = stored.iter().map(|d| d.1.as_str()).collect();
    assert_eq!(
        subjects,
        [
            "Solicitud de información del padrón",
            "Queja por la atención recibida",
            "Envío del informe trimestral",
        ]
    );
    assert_eq!(
        stored[0].2,
        [
            ("SIDSS-CAS".to_owned(), "atencion".to_owned(), true),
            ("SIDSS-CG".to_owned(), "atencion".to_owned(), true),
        ]
    );
    // «Para conocimiento» owes no answer: no term.
    assert_eq!(
        stored[2].2,
        [("SIDSS-CAS".to_owned(), "conocimiento".to_owned(), false)]
    );
    let audit = audited(&db);
    assert_eq!(audit.len(), 1);
    assert_eq!(audit[0].0, "admin");
    assert_contains(&audit[0].1, "\"documents\":3");
}

#[test]
fn a_register_imports_from_a_workbook_with_headers_of_other_names() {
    let (dir, db) = database("correspondence-xlsx");
    let header = [
        "TIPO DE DOCUMENTO",
        "tipo de remitente",
        "Nombre del remitente",
        "cargo",
        "INSTITUCION",
        "No. de oficio",
        "Fecha",
        "Recibido (fecha y hora)",
        "asunto",
        "Síntesis",
        "PRIORIDAD",
        "clasificacion",
        "Anexos",
        "Plazo",
        "Turnar a",
        "instruccion",
    ];
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    for (c, name) in (0u16..).zip(header) {
        sheet.write_string(0, c, name).unwrap();
    }
    for (r, row) in (1u32..).zip(good_rows()) {
        for (c, cell) in (0u16..).zip(row) {
            match (c, cell.parse::<f64>()) {
                // Annexes and term as numbers, as a spreadsheet keeps them.
                (12 | 13, Ok(n)) => sheet.write_number(r, c, n).unwrap(),
                _ => sheet.write_string(r, c, cell).unwrap(),
            };
        }
    }
    // The reception of the last one as a date and time cell.
    let at = jiff::civil::date(2026, 11, 5).at(12, 30, 0, 0);
    let format = rust_xlsxwriter::Format::new().set_num_format("dd/mm/yyyy hh:mm");
    sheet.write_datetime_with_format(3, 7, at, &format).unwrap();
    let path = dir.join("registro.xlsx");
    workbook.save(&path).unwrap();
    let out = import(&db, path.to_str().unwrap());
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out)
            .ends_with("documentos registrados: 3 (CE-2026-000001 a CE-2026-000003); turnos: 3\n"),
        "{}",
        stdout(&out)
    );
    assert_eq!(register(&db).len(), 3);
}

#[test]
fn every_problem_of_every_row_is_printed_and_nothing_is_imported() {
    let (dir, db) = database("correspondence-errors");
    let mut rows = good_rows();
    // Row 2: an unknown kind and a reception in the future.
    rows[0][0] = "fax";
    rows[0][7] = "01/01/2099 10:00";
    // Row 3: no subject, and turned to a unit that does not exist.
    rows[1][8] = "";
    rows[1][14] = "NADA";
    rows[1][15] = "para atención";
    // Row 4: a control character in the sender's name, and a term of 0 days.
    rows[2][2] = "Lic. Rosa\u{7}Díaz";
    rows[2][13] = "0";
    rows.push(good_rows()[1].clone());
    let file = write_csv(&dir, "errores.csv", HEADER, &rows);
    let out = import(&db, &file);
    assert!(!out.status.success());
    let err = stderr(&out);
    for line in [
        format!("{file}:2: Tipo: «fax» no es un tipo de documento"),
        format!("{file}:2: Recibido: La fecha de recepción no puede ser posterior a este momento."),
        format!("{file}:3: Asunto: Escriba el asunto."),
        format!("{file}:3: Turnado a: La unidad «NADA» no existe."),
        format!("{file}:4: Remitente: El nombre de quien lo firma va en una sola línea"),
        format!("{file}:4: Plazo (días hábiles): El plazo en días hábiles es un número entero"),
        "6 problemas: no se importó nada".to_owned(),
    ] {
        assert_contains(&err, &line);
    }
    assert!(register(&db).is_empty(), "nothing was written");
    assert!(audited(&db).is_empty());

    // A header that lacks required columns is named at row 1.
    let bad_header = write_csv(&dir, "encabezados.csv", "Tipo,Asunto,Observaciones", &[]);
    let out = import(&db, &bad_header);
    assert!(!out.status.success());
    assert_contains(
        &stderr(&out),
        &format!("{bad_header}:1: Remitente: Falta la columna."),
    );
    assert_contains(&stderr(&out), "Columna «Observaciones» desconocida.");

    // Without a registering unit, every row says so.
    let good = write_csv(&dir, "sin-unidad.csv", HEADER, &good_rows());
    let out = turno_on(&db, &["import", "correspondence", &good]);
    assert!(!out.status.success());
    assert_contains(
        &stderr(&out),
        &format!("{good}:2: Unidad: Escriba la unidad que lo registra."),
    );
    assert!(register(&db).is_empty());
}
