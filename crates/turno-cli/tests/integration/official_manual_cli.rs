//! `turno export manual KEY --format docx|pdf [--out FILE]` as a person runs it: the built-in
//! library's procedure written to the file named, or next to them under its own name; an
//! unknown procedure or version said, with a failing exit and nothing written.

use crate::common::{assert_contains, repository_file, stderr, stdout, temp_dir, turno};

#[test]
fn a_procedures_manual_is_written_as_docx_and_pdf() {
    let dir = temp_dir("manual");
    let docx = dir.join("informes.docx");
    let out = turno(&[
        "export",
        "manual",
        "sidss-informes-oficiales",
        "--format",
        "docx",
        "--out",
        docx.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out).trim(), docx.display().to_string());
    assert!(std::fs::read(&docx).unwrap().starts_with(b"PK"));

    // From the definition files given, under its own name in the current folder.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_turno"))
        .current_dir(&dir)
        .args([
            "export",
            "manual",
            "dgri-compromisos-internacionales",
            "--format",
            "pdf",
        ])
        .arg("--procedures")
        .arg(repository_file(
            "procedures/dgri-compromisos-internacionales.toml",
        ))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let pdf = dir.join("manual-dgri-compromisos-internacionales-v2.pdf");
    assert_eq!(
        stdout(&out).trim(),
        pdf.file_name().unwrap().to_str().unwrap()
    );
    assert!(std::fs::read(&pdf).unwrap().starts_with(b"%PDF"));
}

#[test]
fn an_unknown_procedure_or_version_writes_nothing() {
    let dir = temp_dir("manual-unknown");
    let file = dir.join("m.pdf");
    let out = turno(&[
        "export",
        "manual",
        "no-existe",
        "--format",
        "pdf",
        "--out",
        file.to_str().unwrap(),
    ]);
    assert!(!out.status.success());
    assert_contains(&stderr(&out), "No existe el procedimiento «no-existe».");
    let out = turno(&[
        "export",
        "manual",
        "sidss-informes-oficiales",
        "--format",
        "pdf",
        "--version",
        "9",
        "--out",
        file.to_str().unwrap(),
    ]);
    assert!(!out.status.success());
    assert_contains(
        &stderr(&out),
        "El procedimiento «sidss-informes-oficiales» no tiene la versión 9.",
    );
    assert!(!file.exists());
    let out = turno(&[
        "export",
        "manual",
        "sidss-informes-oficiales",
        "--format",
        "odt",
    ]);
    assert!(!out.status.success());
}
