//! `turno archivo` as the archive's staff runs it, on SQLite: the chart and catalog seeded from
//! the built-in procedures' Registros and exported; an expediente opened, a real case classified
//! into it, closed, its carátula printed; the calendar's date exact in years; a baja list drawn,
//! refused before the coordinator approves it, then carried out; `turno verify` passes after.
//! Only the archive roles act: an administrator may not seed, the archivista may not approve.

use std::path::PathBuf;
use turno_store::{AnyStore, Store};

use crate::common::{
    assert_contains, case_at_4_1, repository_file, stderr, stdout, temp_dir, turno_on,
    turno_with_input, url,
};

/// A migrated database with the SSA's organization, an administrator, an archivista and an
/// archive coordinator, and a case of procedure 103.
async fn database(name: &str) -> (PathBuf, String, String) {
    let dir = temp_dir(name);
    let db = url(&dir.join("turno.db"));
    let org = repository_file("org/ssa.toml");
    for args in [vec!["migrate"], vec!["import", "org", &org]] {
        let out = turno_on(&db, &args);
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
    }
    for (login, admin) in [
        ("admin", true),
        ("archivista", false),
        ("coordinadora", false),
    ] {
        let mut args = vec!["user", "add", login, "--name", login, "--unit", "SSA"];
        if admin {
            args.push("--admin");
        }
        args.push("--password-stdin");
        let out = turno_with_input(&db, &args, "una contraseña larga\n");
        assert!(out.status.success(), "{}", stderr(&out));
    }
    for (login, role) in [
        ("archivista", "archivista"),
        ("coordinadora", "coordinador_archivos"),
    ] {
        let out = turno_on(&db, &["user", "grant", login, role, "--unit", "SSA"]);
        assert!(out.status.success(), "{}", stderr(&out));
    }
    let store = AnyStore::connect(&db).await.unwrap();
    let calendars = turno_domain::engine::Calendars::statutory();
    let then = jiff::civil::date(2019, 3, 4);
    let ctx = turno_domain::engine::Context {
        now: then.to_zoned(jiff::tz::TimeZone::UTC).unwrap().timestamp(),
        today: then,
        calendars: &calendars,
    };
    let (case_id, _) = case_at_4_1(&store, &ctx).await;
    let folio = store.load_case(case_id).await.unwrap().folio;
    (dir, db, folio)
}

fn ok(db: &str, args: &[&str]) -> String {
    let out = turno_on(db, args);
    assert!(out.status.success(), "{args:?}: {}", stderr(&out));
    stdout(&out)
}

fn refused(db: &str, args: &[&str]) -> String {
    let out = turno_on(db, args);
    assert!(
        !out.status.success(),
        "{args:?} should be refused: {}",
        stdout(&out)
    );
    stderr(&out)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_archive_runs_from_the_registros_to_an_approved_baja() {
    let (dir, db, folio) = database("archive").await;
    let seed = ["archivo", "seed", "--as"];
    assert_contains(
        &refused(&db, &[&seed[..], &["admin"]].concat()),
        "Solo el personal del archivo",
    );
    assert_contains(
        &ok(&db, &[&seed[..], &["archivista"]].concat()),
        "cuadro de clasificación:",
    );
    let catalog = dir.join("catalogo.csv");
    let path = catalog.display().to_string();
    let out = turno_on(&db, &["archivo", "export", "--out", &path, "--as", "admin"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = std::fs::read_to_string(&catalog).unwrap();
    assert_contains(
        &text,
        "CNPSS-103.1,,Oficio,Dirección de Participación Social,5,0,0,5,0",
    );

    let archivist = ["--as", "archivista"];
    ok(
        &db,
        &[
            &[
                "archivo",
                "classify",
                "CNPSS-103/2019/1",
                "--case",
                &folio,
                "--by-default",
            ][..],
            &archivist,
        ]
        .concat(),
    );
    ok(
        &db,
        &[
            &["archivo", "close", "CNPSS-103/2019/1", "--on", "2019-06-30"][..],
            &archivist,
        ]
        .concat(),
    );
    let cover = dir.join("caratula.pdf");
    let cover_path = cover.display().to_string();
    ok(
        &db,
        &[
            &[
                "archivo",
                "cover",
                "CNPSS-103/2019/1",
                "--format",
                "pdf",
                "--out",
                &cover_path,
            ][..],
            &archivist,
        ]
        .concat(),
    );
    assert!(std::fs::read(&cover).unwrap().starts_with(b"%PDF"));
    // Five years in trámite from 30/06/2019, destino baja: due on 30/06/2024.
    let calendar = ok(&db, &[&["archivo", "calendar"][..], &archivist].concat());
    assert_contains(
        &calendar,
        "30/06/2024\tBaja documental\tCNPSS-103/2019/1\tCNPSS-103.1",
    );
    let early = ok(
        &db,
        &[
            &["archivo", "calendar", "--until", "2024-06-29"][..],
            &archivist,
        ]
        .concat(),
    );
    assert_contains(&early, "0 expedientes");

    ok(
        &db,
        &[
            &["archivo", "draw", "--kind", "baja", "--number", "B-1"][..],
            &archivist,
        ]
        .concat(),
    );
    assert_contains(
        &refused(
            &db,
            &[&["archivo", "execute", "B-1"][..], &archivist].concat(),
        ),
        "no está aprobada",
    );
    assert_contains(
        &refused(
            &db,
            &[&["archivo", "approve", "B-1"][..], &archivist].concat(),
        ),
        "Solo la coordinación de archivos",
    );
    ok(&db, &["archivo", "approve", "B-1", "--as", "coordinadora"]);
    assert_contains(
        &ok(
            &db,
            &[&["archivo", "execute", "B-1"][..], &archivist].concat(),
        ),
        "lista B-1 ejecutada: 1 expedientes",
    );
    let inventory = dir.join("baja.csv");
    let inventory_path = inventory.display().to_string();
    ok(
        &db,
        &[
            &["archivo", "inventory", "B-1", "--out", &inventory_path][..],
            &archivist,
        ]
        .concat(),
    );
    assert_contains(
        &std::fs::read_to_string(&inventory).unwrap(),
        "Aprobada por coordinadora",
    );
    let workbook = dir.join("baja.xlsx");
    let workbook_path = workbook.display().to_string();
    ok(
        &db,
        &[
            &[
                "archivo",
                "inventory",
                "B-1",
                "--format",
                "xlsx",
                "--out",
                &workbook_path,
            ][..],
            &archivist,
        ]
        .concat(),
    );
    let sheets = turno_domain::sheet::workbook(&std::fs::read(&workbook).unwrap(), true).unwrap();
    assert!(
        sheets[0]
            .rows
            .iter()
            .flat_map(|(_, cells)| cells)
            .any(|cell| cell.to_string().contains("CNPSS-103/2019/1")),
        "the workbook lists the expediente"
    );
    let verified = turno_on(&db, &["verify"]);
    assert!(
        verified.status.success(),
        "{}{}",
        stdout(&verified),
        stderr(&verified)
    );
    let store = AnyStore::connect(&db).await.unwrap();
    let disposal = turno_store::archive::Archive::disposal(&store, &folio)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(disposal.approved_by, "coordinadora");
    assert!(store.verify().await.unwrap().breaks.is_empty());
}
