//! `turno calendar …` end to end, through the built binary.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::common::assert_contains;

const REPO_DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../calendars");

/// A fresh empty directory, removed on drop, so that results do not depend on where the tests
/// run.
struct Scratch(PathBuf);

impl std::ops::Deref for Scratch {
    type Target = Path;
    fn deref(&self) -> &Path {
        &self.0
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn scratch_dir(name: &str) -> Scratch {
    let dir =
        std::env::temp_dir().join(format!("turno-calendar-cli-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    Scratch(dir)
}

fn turno(cwd: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_turno"))
        .current_dir(cwd)
        .args(args)
        .output()
        .expect("run turno")
}

fn stdout_ok(cwd: &Path, args: &[&str]) -> String {
    let out = turno(cwd, args);
    assert!(
        out.status.success(),
        "turno {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn calendar_holidays_2030_default_regime_is_lfpa() {
    let dir = scratch_dir("lfpa");
    assert_eq!(
        stdout_ok(&dir, &["calendar", "holidays", "--year", "2030"]),
        "2030-01-01 Año Nuevo
2030-02-05 Día de la Constitución
2030-03-21 Natalicio de Benito Juárez
2030-05-01 Día del Trabajo
2030-05-05 Aniversario de la Batalla de Puebla
2030-09-01 Apertura del periodo ordinario de sesiones del Congreso
2030-09-16 Día de la Independencia
2030-10-01 Transmisión del Poder Ejecutivo Federal
2030-11-20 Día de la Revolución
2030-12-25 Navidad
"
    );
}

#[test]
fn calendar_holidays_2030_lft() {
    let dir = scratch_dir("lft");
    assert_eq!(
        stdout_ok(
            &dir,
            &["calendar", "holidays", "--year", "2030", "--regime", "lft"]
        ),
        "2030-01-01 Año Nuevo
2030-02-04 Día de la Constitución (primer lunes de febrero)
2030-03-18 Natalicio de Benito Juárez (tercer lunes de marzo)
2030-05-01 Día del Trabajo
2030-09-16 Día de la Independencia
2030-10-01 Transmisión del Poder Ejecutivo Federal
2030-11-18 Día de la Revolución (tercer lunes de noviembre)
2030-12-25 Navidad
"
    );
}

#[test]
fn calendar_the_dof_agreements_built_in_count_unless_a_folder_is_named() {
    let dir = scratch_dir("built-in");
    let holidays = stdout_ok(&dir, &["calendar", "holidays", "--year", "2026"]);
    assert!(holidays.contains("2026-04-02 Jueves Santo\n2026-04-03 Viernes Santo\n"));
    assert_eq!(
        stdout_ok(&dir, &["calendar", "add", "2026-04-01", "1"]),
        "2026-04-06\n"
    );
    // A folder named instead, here without files: Semana Santa is business as usual.
    std::fs::create_dir(dir.join("vacio")).unwrap();
    assert_eq!(
        stdout_ok(
            &dir,
            &["calendar", "add", "2026-04-01", "1", "--data", "vacio"]
        ),
        "2026-04-02\n"
    );
}

#[test]
fn calendar_add_and_count_across_semana_santa() {
    let dir = scratch_dir("add");
    let data = ["--data", REPO_DATA];
    let run = |args: &[&str]| stdout_ok(&dir, &[&["calendar"], args, &data].concat());
    assert_eq!(run(&["add", "2026-04-01", "1"]), "2026-04-06\n");
    assert_eq!(run(&["add", "2026-04-06", "-1"]), "2026-04-01\n");
    assert_eq!(run(&["add", "2026-03-02", "45"]), "2026-05-08\n");
    assert_eq!(run(&["count", "2026-03-02", "2026-05-08"]), "45\n");
    assert_eq!(run(&["count", "2026-03-31", "2026-04-06"]), "2\n");
    assert_eq!(
        run(&["add", "2026-04-01", "1", "--regime", "lft"]),
        "2026-04-02\n"
    );
    assert_eq!(
        run(&["add", "2026-04-01", "30", "--natural"]),
        "2026-05-01\n"
    );
    assert_eq!(
        run(&["count", "2026-05-01", "2026-04-01", "--natural"]),
        "-30\n"
    );
}

#[test]
fn calendar_state_and_institution_filters() {
    let dir = scratch_dir("scope");
    std::fs::write(
        dir.join("2026.toml"),
        r#"
[[days]]
date = "2026-06-15"
name = "Día del trabajador de la Secretaría"
institution = "SSA"

[[days]]
date = "2026-06-16"
name = "Día estatal"
state = "JAL"
"#,
    )
    .unwrap();
    let data = dir.to_str().unwrap();
    let holidays = |extra: &[&str]| {
        stdout_ok(
            &dir,
            &[
                &["calendar", "holidays", "--year", "2026", "--data", data],
                extra,
            ]
            .concat(),
        )
    };
    assert!(!holidays(&[]).contains("2026-06-1"));
    assert!(holidays(&["--institution", "SSA"]).contains("2026-06-15 Día del trabajador"));
    assert!(!holidays(&["--institution", "IMSS"]).contains("2026-06-15"));
    assert!(holidays(&["--state", "JAL"]).contains("2026-06-16 Día estatal"));
    assert!(!holidays(&["--state", "QRO"]).contains("2026-06-16"));
}

#[test]
fn calendar_errors() {
    let dir = scratch_dir("errors");
    // An explicit --data directory must exist.
    let out = turno(
        &dir,
        &[
            "calendar", "holidays", "--year", "2026", "--data", "missing",
        ],
    );
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("missing"));

    // Data errors name file, line, column and field.
    std::fs::write(
        dir.join("bad.toml"),
        "[[days]]\ndate = \"2026-02-30\"\nname = \"x\"\n",
    )
    .unwrap();
    let data = dir.to_str().unwrap();
    let out = turno(
        &dir,
        &["calendar", "holidays", "--year", "2026", "--data", data],
    );
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_contains(
        &stderr,
        "bad.toml:2:8: days[0].date: 2026-02-30 no es una fecha válida",
    );

    for args in [
        &["calendar", "holidays", "--year", "2026", "--regime", "lfp"][..],
        &["calendar", "holidays", "--year", "2026", "--state", "XX"],
        &["calendar", "holidays", "--year", "0"],
        &["calendar", "add", "2026-02-30", "1"],
        &["calendar", "add", "9999-12-30", "5"],
    ] {
        let out = turno(&dir, args);
        assert!(!out.status.success(), "{args:?} should fail");
        assert!(!out.stderr.is_empty());
    }
}
