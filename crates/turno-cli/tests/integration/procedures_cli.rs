//! `turno procedures check|list` as a person runs them.

use std::path::PathBuf;
use std::process::Command;

use crate::common::assert_contains;

fn turno() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_turno"));
    cmd.current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."));
    cmd
}

fn temp_file(name: &str, text: impl AsRef<[u8]>) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("turno-cli-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

fn check(path: &std::path::Path) -> std::process::Output {
    turno()
        .args(["procedures", "check"])
        .arg(path)
        .output()
        .unwrap()
}

#[test]
fn the_library_checks_and_lists_its_twenty_definitions() {
    let out = turno()
        .args(["procedures", "check", "procedures/"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        "20 procedimientos válidos"
    );

    let out = turno().args(["procedures", "list"]).output().unwrap();
    assert!(out.status.success());
    let stdout = String::from_utf8(out.stdout).unwrap();
    let rows: Vec<Vec<&str>> = stdout.lines().map(|l| l.split('\t').collect()).collect();
    // The 15 procedures of the seed manuals, Turno's own volante de trámite (sinac-volante) and
    // the four definitions of issue 19 (transparency, audits, agreements).
    assert_eq!(rows.len(), 20);
    assert!(rows.iter().any(|r| r[0] == "sinac-volante"));
    let p94 = rows
        .iter()
        .find(|r| r[0] == "cnpss-94")
        .expect("94 is listed");
    assert_eq!(p94[1], "2", "94 changed with policy 3.8: a new version");
    assert!(p94[2].starts_with("Procedimiento para la coordinación del Plan Estratégico"));
    assert!(p94[3].parse::<usize>().unwrap() >= 60);
}

#[test]
fn a_broken_file_fails_with_every_problem_located() {
    let seed = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../procedures/sidss-informes-oficiales.toml"
    ))
    .unwrap();
    let broken = seed
        .replace("goto = \"1.2\"", "goto = \"1.7\"")
        .replace("responsible = [\"CAS\"]", "responsible = [\"CSA\"]");
    let path = temp_file("roto.toml", &broken);
    let out = check(&path);
    assert!(!out.status.success());
    let stdout = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{stdout}");
    let line_of = |needle: &str| broken[..broken.find(needle).unwrap()].matches('\n').count() + 1;
    let file = path.display().to_string();
    assert!(lines.iter().any(
        |l| l.starts_with(&format!("{file}:{}:", line_of("goto = \"1.7\"")))
            && l.ends_with("unknown target activity «1.7»")
    ));
    assert!(lines.iter().any(
        |l| l.starts_with(&format!("{file}:{}:", line_of("[\"CSA\"]")))
            && l.ends_with("undefined participant «CSA»")
    ));
    assert!(String::from_utf8_lossy(&out.stderr).contains("2 problemas"));
}

#[test]
fn a_file_that_is_not_utf8_is_named() {
    let path = temp_file("latin1.toml", b"title = \"Direcci\xf3n\"\n");
    let out = check(&path);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_contains(&stderr, "latin1.toml: not UTF-8");
}
