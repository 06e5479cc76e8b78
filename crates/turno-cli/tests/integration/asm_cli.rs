//! `turno import asm` and `turno export asm` as a planning area runs them, on SQLite: the
//! seed's tables report their data errors and import nothing; corrected, they import; what is
//! exported, as CSV or as a workbook, imports back to the same program.

use std::path::{Path, PathBuf};
use turno_domain::followup::Program;
use turno_store::{Followup, SqliteStore};

use crate::common::{assert_contains, repository_file, stderr, stdout, temp_dir, turno_on, url};

const NAME: &str = "Programa de ASM 2017";

fn fixture(name: &str) -> String {
    repository_file(&format!("fixtures/asm-2017/{name}"))
}

/// The seed's three tables, its data errors corrected.
fn corrected() -> [String; 3] {
    [
        fixture("recomendaciones.csv"),
        fixture("aspectos.csv"),
        fixture("actividades-corregidas.csv"),
    ]
}

fn program(database: &Path, key: &str) -> Option<Program> {
    tokio::runtime::Runtime::new().unwrap().block_on(async {
        let store = SqliteStore::open(&url(database)).await.unwrap();
        store.program(key).await.unwrap()
    })
}

/// A database with the migrations run.
fn database(dir: &Path) -> (PathBuf, String) {
    let database = dir.join("turno.db");
    let db = url(&database);
    assert!(turno_on(&db, &["migrate"]).status.success());
    (database, db)
}

fn import(db: &str, key: &str, files: &[&str]) -> std::process::Output {
    let mut args = vec!["import", "asm", "--program", key, "--name", NAME];
    args.extend(files);
    turno_on(db, &args)
}

fn export(db: &str, key: &str, format: &str, out: &Path) -> std::process::Output {
    turno_on(
        db,
        &[
            "export",
            "asm",
            "--program",
            key,
            "--format",
            format,
            "--out",
            out.to_str().unwrap(),
        ],
    )
}

#[test]
fn the_seeds_tables_report_each_error_where_it_is_and_import_nothing() {
    let dir = temp_dir("asm-errors");
    let (database, db) = database(&dir);
    let activities = fixture("actividades.csv");
    let out = import(
        &db,
        "ASM-2017",
        &[
            &fixture("recomendaciones.csv"),
            &fixture("aspectos.csv"),
            &activities,
        ],
    );
    assert!(!out.status.success());
    let errors = stderr(&out);
    for expected in [
        "fila 52, «Fecha de término»: termina (2017-01-31) antes de empezar (2017-05-15)",
        "fila 60, «No.»: el número 1 ya está en la fila 50",
        "fila 38, «Ámbito de gestión»: «0» no es un ámbito de gestión (O, PP, RC, SER)",
        "fila 19, «Área responsable»: está vacío",
    ] {
        assert_contains(&errors, &format!("{activities}: {expected}"));
    }
    assert!(
        errors.ends_with("17 problemas: no se importó nada\n"),
        "{errors}"
    );
    assert_eq!(program(&database, "ASM-2017"), None);

    // A table nobody can tell, and a missing one.
    let other = dir.join("otra.csv");
    std::fs::write(&other, "Clave,Nombre\nA,B\n").unwrap();
    let out = import(
        &db,
        "ASM-2017",
        &[&fixture("recomendaciones.csv"), other.to_str().unwrap()],
    );
    assert!(!out.status.success());
    let errors = stderr(&out);
    assert_contains(
        &errors,
        &format!(
            "{}: fila 1: los encabezados no son los de una tabla de recomendaciones, de aspectos ni de actividades",
            other.display()
        ),
    );
    assert_contains(
        &errors,
        "faltan las tablas «Aspectos» y «Actividades»: no se importó nada",
    );
}

#[test]
fn the_corrected_tables_import_once_and_export_to_csv_that_imports_the_same_and_to_pdf() {
    let dir = temp_dir("asm-csv");
    let (database, db) = database(&dir);
    let tables = corrected();
    let files: Vec<&str> = tables.iter().map(String::as_str).collect();
    let out = import(&db, "ASM-2017", &files);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "ASM-2017 «Programa de ASM 2017»: importado\n\
         50 recomendaciones, 27 aspectos, 84 actividades\n"
    );
    let out = import(&db, "ASM-2017", &files);
    assert!(stdout(&out).contains("sin cambios"), "{}", stdout(&out));
    let stored = program(&database, "ASM-2017").unwrap();

    let out_dir = dir.join("exportado");
    let out = export(&db, "ASM-2017", "csv", &out_dir);
    assert!(out.status.success(), "{}", stderr(&out));
    let exported: Vec<String> = ["recomendaciones", "aspectos", "actividades"]
        .map(|t| out_dir.join(format!("{t}.csv")).display().to_string())
        .to_vec();
    // The seed's own columns, in its order, after the BOM that tells Excel it is UTF-8.
    assert!(
        std::fs::read_to_string(&exported[0])
            .unwrap()
            .starts_with('\u{feff}')
    );
    for (exported, seed) in exported.iter().zip(&tables) {
        let header = |path: &str| {
            std::fs::read_to_string(path)
                .unwrap()
                .trim_start_matches('\u{feff}')
                .lines()
                .next()
                .unwrap()
                .to_owned()
        };
        assert_eq!(header(exported), header(seed));
    }
    // Given in another order: each table is known by its header.
    let files: Vec<&str> = exported.iter().rev().map(String::as_str).collect();
    let out = import(&db, "COPIA", &files);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(program(&database, "COPIA"), Some(stored));

    // Printed: landscape letter pages.
    {
        let out = export(&db, "ASM-2017", "pdf", &out_dir);
        assert!(out.status.success(), "{}", stderr(&out));
        let pdf = std::fs::read(out_dir.join("ASM-2017.pdf")).unwrap();
        assert!(pdf.starts_with(b"%PDF-"));
        let text = String::from_utf8_lossy(&pdf);
        // The page tree's count: the 161 rows of the three tables take more than ten pages.
        let pages: usize = text
            .split("/Count ")
            .nth(1)
            .and_then(|rest| rest.split(|c: char| !c.is_ascii_digit()).next())
            .and_then(|n| n.parse().ok())
            .unwrap();
        assert!((10..30).contains(&pages), "{pages} pages");
        assert!(text.contains("/MediaBox[0 0 792 612]"), "letter, landscape");
    }

    let out = export(&db, "../fuera", "csv", &out_dir);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("la clave lleva solo letras"),
        "{}",
        stderr(&out)
    );
    let out = export(&db, "NO-EXISTE", "csv", &out_dir);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("no hay un programa con la clave NO-EXISTE"));
}

#[test]
fn a_signed_program_round_trips_through_one_workbook() {
    let dir = temp_dir("asm-xlsx");
    let (database, db) = database(&dir);
    // The corrected activities with the seed's signatures under them.
    let signed = dir.join("actividades-firmadas.csv");
    let mut text = std::fs::read_to_string(fixture("actividades-corregidas.csv")).unwrap();
    text.push_str("Elaboró,Autorizó\nGERARDO PALMA ÁNGELES,JOSÉ SAMUEL GARCÍA SÁNCHEZ\n");
    std::fs::write(&signed, text).unwrap();
    let out = import(
        &db,
        "ASM-2017",
        &[
            &fixture("recomendaciones.csv"),
            &fixture("aspectos.csv"),
            signed.to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let stored = program(&database, "ASM-2017").unwrap();
    let sign_off = stored.sign_off.as_ref().unwrap();
    assert_eq!(sign_off.authorized_by, "JOSÉ SAMUEL GARCÍA SÁNCHEZ");

    let out = export(&db, "ASM-2017", "xlsx", &dir);
    assert!(out.status.success(), "{}", stderr(&out));
    let workbook = dir.join("ASM-2017.xlsx");
    {
        use calamine::{Data, Reader};
        let mut book = calamine::open_workbook_auto(&workbook).unwrap();
        assert_eq!(
            book.sheet_names(),
            ["Recomendaciones", "Aspectos", "Actividades"]
        );
        let activities = book.worksheet_range("Actividades").unwrap();
        // Row 2, «Fecha de inicio» (column H): a date, not text.
        assert!(
            matches!(activities.get_value((1, 7)), Some(Data::DateTime(_))),
            "{:?}",
            activities.get_value((1, 7))
        );
        // The signatures under the table, after a blank row.
        assert_eq!(
            activities.get_value((86, 0)),
            Some(&Data::String("Elaboró".into()))
        );
        assert_eq!(
            activities.get_value((87, 1)),
            Some(&Data::String("JOSÉ SAMUEL GARCÍA SÁNCHEZ".into()))
        );
    }

    let out = import(&db, "COPIA", &[workbook.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(program(&database, "COPIA"), Some(stored));

    // A problem in a workbook names the sheet.
    let out = export(&db, "COPIA", "xlsx", &dir.join("copia"));
    assert!(out.status.success(), "{}", stderr(&out));
    let out = import(
        &db,
        "OTRA",
        &[
            dir.join("copia/COPIA.xlsx").to_str().unwrap(),
            &fixture("aspectos.csv"),
        ],
    );
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains(&format!(
            "{}: fila 1: ya hay una tabla «Aspectos» en {}, hoja «Aspectos»",
            fixture("aspectos.csv"),
            dir.join("copia/COPIA.xlsx").display()
        )),
        "{}",
        stderr(&out)
    );
}

/// A text that a spreadsheet would run as a formula (OWASP's CSV injection) is exported as
/// text: in CSV after an apostrophe, in the workbook as a string cell with no formula; and the
/// CSV imports back to the same text.
#[test]
fn formulas_are_exported_as_text_and_import_back_the_same() {
    use calamine::{Data, Reader};
    let dir = temp_dir("asm-formulas");
    let (database, db) = database(&dir);
    let [recommendations, aspects, activities] = corrected();
    let formula = r#"=HYPERLINK("http://evil.example","Ver")"#;
    let text = std::fs::read_to_string(&recommendations).unwrap().replacen(
        "\"Solicitar al ente",
        &format!("\"{}", formula.replace('"', "\"\"")),
        1,
    );
    let edited = dir.join("recomendaciones.csv");
    std::fs::write(&edited, text).unwrap();
    let out = import(
        &db,
        "ASM-2017",
        &[edited.to_str().unwrap(), &aspects, &activities],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let stored = program(&database, "ASM-2017").unwrap();

    let out_dir = dir.join("csv");
    let out = export(&db, "ASM-2017", "csv", &out_dir);
    assert!(out.status.success(), "{}", stderr(&out));
    let exported = out_dir.join("recomendaciones.csv");
    let csv = std::fs::read_to_string(&exported).unwrap();
    assert!(
        csv.contains(r#"1,2016,"'=HYPERLINK(""http://evil.example"",""Ver"")"#),
        "{csv}"
    );
    let out = import(
        &db,
        "COPIA",
        &[
            exported.to_str().unwrap(),
            out_dir.join("aspectos.csv").to_str().unwrap(),
            out_dir.join("actividades.csv").to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(program(&database, "COPIA").unwrap().items, stored.items);

    let out = export(&db, "ASM-2017", "xlsx", &dir);
    assert!(out.status.success(), "{}", stderr(&out));
    let mut workbook = calamine::open_workbook_auto(dir.join("ASM-2017.xlsx")).unwrap();
    let sheet = workbook.sheet_names()[0].clone();
    let cells = workbook.worksheet_range(&sheet).unwrap();
    // The description that starts with the formula, as a string cell.
    let shown: Vec<&Data> = cells
        .cells()
        .map(|(_, _, cell)| cell)
        .filter(|cell| cell.to_string().contains("HYPERLINK"))
        .collect();
    assert!(
        matches!(shown.as_slice(), [Data::String(text)] if text.starts_with(formula)),
        "{shown:?}"
    );
    let formulas = workbook.worksheet_formula(&sheet).unwrap();
    assert!(formulas.used_cells().all(|(_, _, f)| f.is_empty()));
}
