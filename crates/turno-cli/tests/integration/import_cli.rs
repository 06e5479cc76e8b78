//! `turno import org` as an administrator runs it, on SQLite: the repository's organization
//! imports whole; a file with errors imports nothing and says where each error is.

use turno_store::{SqliteStore, Store};

use crate::common::{assert_contains, stderr, stdout, temp_dir, turno_on, url};

fn unit_count(database: &std::path::Path) -> usize {
    tokio::runtime::Runtime::new().unwrap().block_on(async {
        let store = SqliteStore::open(&url(database)).await.unwrap();
        store.units().await.unwrap().len()
    })
}

#[test]
fn the_repository_organization_imports_once_and_errors_import_nothing() {
    let dir = temp_dir("import-org");
    let database = dir.join("turno.db");
    let db = url(&database);
    assert!(turno_on(&db, &["migrate"]).status.success());

    // A CSV with errors: each reported by line, and nothing imported.
    let bad = dir.join("unidades.csv");
    std::fs::write(
        &bad,
        "code,name,level,parent,valid_from\n\
         EF-JAL,Jalisco,entidad_federativa,,\n\
         SESA-JAL,Servicios de Salud Jalisco,servicios_estatales,EF-JAL,\n\
         SESA-JAL-DG,Dirección General,direccion_general,SESA-JAL,2024-02-31\n\
         SESA-JAL-X,Área,area,NO-EXISTE,\n",
    )
    .unwrap();
    let out = turno_on(&db, &["import", "org", bad.to_str().unwrap()]);
    assert!(!out.status.success());
    let errors = stderr(&out);
    let file = bad.display().to_string();
    assert_contains(
        &errors,
        &format!("{file}:3:1: level: unknown level «servicios_estatales»"),
    );
    assert_contains(
        &errors,
        &format!("{file}:4:1: valid_from «2024-02-31» is not a date"),
    );
    assert_contains(&errors, "no se importó nada");
    assert_eq!(unit_count(&database), 0, "not even the good rows");

    // The repository's organization, all files of the folder together.
    let org = concat!(env!("CARGO_MANIFEST_DIR"), "/../../org");
    let args = ["import", "org", org];
    let out = turno_on(&db, &args);
    assert!(out.status.success(), "{}", stderr(&out));
    let created: usize = stdout(&out)
        .split_whitespace()
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert!(created > 200, "{}", stdout(&out));
    assert_eq!(unit_count(&database), created);
    // Again: nothing changes.
    let out = turno_on(&db, &args);
    assert!(
        stdout(&out).starts_with("0 unidades nuevas, 0 modificadas"),
        "{}",
        stdout(&out)
    );

    // A CSV that names stored units as parents imports on top of them.
    let good = dir.join("jalisco.csv");
    std::fs::write(
        &good,
        "code,name,level,parent\nSESA-JAL-DPS,Dirección de Protección Social,direccion,SESA-JAL\n",
    )
    .unwrap();
    let out = turno_on(&db, &["import", "org", good.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(unit_count(&database), created + 1);
}
