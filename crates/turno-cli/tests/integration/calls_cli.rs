//! `turno import calls` as the Departamento de Vinculación Social runs it, on SQLite, with the
//! domain's fixtures: a good file imports once (CSV or XLSX alike), every kind of error is
//! printed by file and row with nothing imported, and `turno verify` counts the petitions'
//! folios (imported and from the mailbox) as a series of their own.

use std::path::{Path, PathBuf};
use turno_domain::citizen::{Channel, Draft};
use turno_store::{Petitions, SqliteStore};

use crate::common::{assert_contains, repository_file, stderr, stdout, temp_dir, turno_on, url};

/// The fixtures of the domain's tests (one copy for every crate).
fn fixture(name: &str) -> String {
    repository_file(&format!(
        "crates/turno-domain/tests/fixtures/citizen/{name}"
    ))
}

/// A migrated database in a folder of the test's own.
fn database(name: &str) -> (PathBuf, String) {
    let dir = temp_dir(name);
    let db = url(&dir.join("turno.db"));
    assert!(turno_on(&db, &["migrate"]).status.success());
    (dir, db)
}

fn imports(db: &str) -> Vec<(i64, i64, i64)> {
    tokio::runtime::Runtime::new().unwrap().block_on(async {
        let store = SqliteStore::open(db).await.unwrap();
        store
            .call_imports()
            .await
            .unwrap()
            .iter()
            .map(|i| (i.rows, i.added, i.already))
            .collect()
    })
}

fn import(db: &str, file: &str, extra: &[&str]) -> std::process::Output {
    turno_on(db, &[&["import", "calls", file], extra].concat())
}

#[test]
fn a_file_imports_once_as_csv_or_xlsx() {
    let (_dir, db) = database("calls-good");
    let csv = fixture("llamadas.csv");
    let out = import(&db, &csv, &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        format!("{csv}: llamadas: 5; nuevas: 5; ya importadas: 0\n")
    );
    // Nothing on stderr: the progress counter is for terminals only.
    assert_eq!(stderr(&out), "");
    let again = import(&db, &csv, &[]);
    assert!(stdout(&again).ends_with(": llamadas: 5; nuevas: 0; ya importadas: 5\n"));
    // The same calls from a spreadsheet are the same calls.
    let xlsx = import(&db, &fixture("llamadas.xlsx"), &[]);
    assert!(
        stdout(&xlsx).ends_with(": llamadas: 5; nuevas: 0; ya importadas: 5\n"),
        "{}",
        stderr(&xlsx)
    );
    assert_eq!(imports(&db), [(5, 0, 5), (5, 0, 5), (5, 5, 0)]);
}

#[test]
fn every_error_is_reported_by_row_and_nothing_is_imported() {
    let (dir, db) = database("calls-errors");
    let errors = fixture("llamadas-errores.csv");
    let out = import(&db, &errors, &[]);
    assert!(!out.status.success());
    let expected = [
        "2: fecha: «31/02/2026» no es una fecha válida (dd/mm/aaaa o aaaa-mm-dd, con hora hh:mm opcional)",
        "3: entidad federativa: «Texas» no es una entidad federativa",
        "4: CURP: el dígito verificador de la CURP «HEGG560427MVZRRL05» no corresponde",
        "5: descripción: falta",
        "7: identificador de la llamada: la llamada «CAT-000205» ya está en la fila 6",
        "8: repite el contenido de la fila 6",
    ];
    let mut report: String = expected
        .iter()
        .map(|line| format!("{errors}:{line}\n"))
        .collect();
    report.push_str("6 problemas: no se importó nada\n");
    assert_eq!(stderr(&out), report);

    let missing = fixture("llamadas-sin-columnas.csv");
    let out = import(&db, &missing, &[]);
    assert_eq!(
        stderr(&out),
        format!(
            "{missing}:1: entidad federativa: falta la columna (se busca como: ENTIDAD, ENTIDAD_FEDERATIVA, ESTADO)\n\
             {missing}:1: descripción: falta la columna (se busca como: DESCRIPCION, NARRATIVA, COMENTARIOS)\n\
             2 problemas: no se importó nada\n"
        )
    );
    // Mapped to other columns, the header is complete and the row's entidad is the problem.
    let out = import(
        &db,
        &missing,
        &[
            "--map",
            "descripcion=NOMBRE",
            "--map",
            "entidad=UNIDAD_MEDICA",
        ],
    );
    assert_eq!(
        stderr(&out),
        format!(
            "{missing}:2: entidad federativa: «Centro de Salud» no es una entidad federativa\n\
             1 problema: no se importó nada\n"
        )
    );
    let out = import(&db, &missing, &["--map", "color=X"]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("«color» no es un campo de la petición"));

    // A hundred problems are printed; the rest are counted.
    let many = dir.join("muchos.csv");
    let mut text = String::from("FECHA,TIPO,ENTIDAD,DESCRIPCION\n");
    for i in 0..150 {
        text.push_str(&format!("2026-03-02,Queja,Texas,Llamada {i}\n"));
    }
    std::fs::write(&many, text).unwrap();
    let out = import(&db, many.to_str().unwrap(), &[]);
    let report = stderr(&out);
    assert_eq!(report.lines().count(), 102, "{report}");
    assert!(report.contains(":101: entidad federativa: «Texas»"));
    assert!(!report.contains(":102: "));
    assert!(report.ends_with("… y 50 problemas más\n150 problemas: no se importó nada\n"));
    assert_eq!(imports(&db), []);
}

#[test]
fn a_latin1_file_is_refused() {
    let (_dir, db) = database("calls-latin1");
    let latin1 = fixture("llamadas-latin1.csv");
    let out = import(&db, &latin1, &[]);
    assert!(!out.status.success());
    assert_eq!(
        stderr(&out),
        format!(
            "{latin1}: el archivo no está en UTF-8 (¿Latin-1?) en el byte 163, línea 2: el byte 0xE1 sería «á» en Latin-1; guárdelo como UTF-8\n\
             no se importó nada\n"
        )
    );
    assert_eq!(imports(&db), []);
}

#[test]
fn semicolons_and_unknown_formats() {
    let (dir, db) = database("calls-formats");
    let semicolons = dir.join("llamadas.csv");
    std::fs::write(
        &semicolons,
        "FECHA;TIPO;ENTIDAD;DESCRIPCION\n02/03/2026 10:00;Queja;Jalisco;Sin medicamento, otra vez.\n",
    )
    .unwrap();
    let out = import(&db, semicolons.to_str().unwrap(), &[]);
    assert!(
        stdout(&out).ends_with(": llamadas: 1; nuevas: 1; ya importadas: 0\n"),
        "{}",
        stderr(&out)
    );
    let ods = dir.join("llamadas.ods");
    std::fs::write(&ods, "x").unwrap();
    let out = import(&db, ods.to_str().unwrap(), &[]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("must be .csv or .xlsx"));
}

/// Files petitions through the public mailbox's store call, as `turno serve` does.
fn file_from_mailbox(db: &str, narratives: &[&str]) {
    tokio::runtime::Runtime::new().unwrap().block_on(async {
        let store = SqliteStore::open(db).await.unwrap();
        for narrative in narratives {
            let petition = Draft {
                kind: "queja",
                state: "JAL",
                narrative,
                ..Draft::default()
            }
            .check(
                Channel::Mailbox,
                jiff::civil::date(2026, 3, 10).at(9, 30, 0, 0),
                true,
            )
            .unwrap();
            store.file_petition(&petition, [1; 32], None).await.unwrap();
        }
    });
}

#[test]
fn verify_counts_the_petitions_folios_and_names_a_broken_series() {
    let (_dir, db) = database("calls-verify");
    assert!(import(&db, &fixture("llamadas.csv"), &[]).status.success());
    file_from_mailbox(&db, &["Sin medicamento", "Sin cita"]);
    let out = turno_on(&db, &["verify"]);
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    let text = stdout(&out);
    assert!(
        text.starts_with(
            "folios por serie:\n  peticiones AC-2026: dados 7, guardados 7, faltantes 0\n\
             registro íntegro: 0 asuntos, 0 eventos\n"
        ),
        "{text}"
    );

    // A petition removed behind Turno's back.
    tokio::runtime::Runtime::new().unwrap().block_on(async {
        let pool = sqlx::SqlitePool::connect(&db).await.unwrap();
        sqlx::query("DELETE FROM petitions WHERE folio_year = 2026 AND folio_number = 6")
            .execute(&pool)
            .await
            .unwrap();
        pool.close().await;
    });
    let out = turno_on(&db, &["verify"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let text = stdout(&out);
    assert_contains(
        &text,
        "registro alterado: peticiones AC-2026: dados 7, guardados 6, faltantes 1 (los \
             folios dados y los registros guardados no coinciden",
    );
}

/// `turno export atencion` of a month, in a format, into a folder.
fn report(db: &str, month: &str, format: &str, out: &Path) -> std::process::Output {
    turno_on(
        db,
        &[
            "export",
            "atencion",
            "--mes",
            month,
            "--format",
            format,
            "--out",
            out.to_str().unwrap(),
        ],
    )
}

#[test]
fn the_month_of_the_imported_calls_is_exported_as_the_monthly_report_in_csv_and_pdf() {
    let (dir, db) = database("calls-report");
    assert!(import(&db, &fixture("llamadas.csv"), &[]).status.success());
    let out_dir = dir.join("informes");
    let out = report(&db, "2026-03", "csv", &out_dir);
    assert!(out.status.success(), "{}", stderr(&out));
    let file = out_dir.join("informe-atencion-2026-03.csv");
    assert_eq!(stdout(&out).trim(), file.display().to_string());
    let csv = std::fs::read_to_string(&file).unwrap();
    assert!(csv.starts_with('\u{feff}'), "a BOM for Excel");
    assert_contains(&csv, "Peticiones recibidas,5");
    assert_contains(&csv, "Jalisco,");
    assert_contains(&csv, "Llamadas declaradas");
    // Printed.
    {
        let out = report(&db, "2026-03", "pdf", &out_dir);
        assert!(out.status.success(), "{}", stderr(&out));
        let pdf = std::fs::read(out_dir.join("informe-atencion-2026-03.pdf")).unwrap();
        assert!(pdf.starts_with(b"%PDF"));
    }
    let bad = report(&db, "2026-13", "csv", &out_dir);
    assert!(!bad.status.success());
}
