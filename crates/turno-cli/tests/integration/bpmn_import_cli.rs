//! `turno import bpmn` as a person runs it: the draft and its review report written to a
//! folder (or to the standard outputs), the draft valid for `turno procedures check`, and only a
//! file that cannot be read failing.

use crate::common::{assert_contains, repository_file, stderr, stdout, temp_dir, turno};

#[test]
fn a_modelers_file_becomes_a_draft_that_checks_and_its_report() {
    let dir = temp_dir("import-bpmn");
    let file = repository_file("fixtures/bpmn/informes-camunda.bpmn");
    let out = turno(&["import", "bpmn", &file, "--out", &dir.display().to_string()]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_contains(
        &stdout(&out),
        "informes-camunda-revision.txt: revisión (6 elementos por revisar; 0 problemas",
    );

    let draft = std::fs::read_to_string(dir.join("informes-camunda.toml")).unwrap();
    assert_contains(
        &draft,
        "[participants.CAS]\nname = \"Coordinación de Asesores\"\nunit = \"SIDSS-CAS\"",
    );
    assert_contains(&draft, "decision = \"¿Procede?\"");
    let report = std::fs::read_to_string(dir.join("informes-camunda-revision.txt")).unwrap();
    assert_contains(
        &report,
        &format!(
            "{file}:116: dataObjectReference «DataObjectReference_oficio»: los objetos y almacenes de datos no se importan"
        ),
    );
    assert_contains(&report, "El borrador pasa el validador de definiciones.");

    // The draft is a definition like the library's, whose procedure it calls.
    let check = turno(&[
        "procedures",
        "check",
        &repository_file("procedures"),
        &dir.join("informes-camunda.toml").display().to_string(),
    ]);
    assert!(check.status.success(), "{}", stdout(&check));
    assert_eq!(stdout(&check).trim(), "21 procedimientos válidos");

    // Without a folder: the draft on standard output, the report on standard error.
    let miwg = repository_file("fixtures/bpmn/miwg/A.4.1.bpmn");
    let out = turno(&["import", "bpmn", &miwg]);
    assert!(
        out.status.success(),
        "a draft with problems is still written"
    );
    assert_contains(&stdout(&out), "key = \"a-4-1\"");
    assert_contains(
        &stderr(&out),
        &format!("{miwg}:13: messageFlow «sid-96EF2D8F-C322-42B1-8C08-0DA05524C904»"),
    );
    assert_contains(&stderr(&out), "Problemas del borrador según el validador");
}

#[test]
fn a_file_that_cannot_be_read_fails_and_writes_nothing() {
    let dir = temp_dir("import-bpmn-broken");
    let broken = dir.join("roto.bpmn");
    std::fs::write(
        &broken,
        "<definitions>\n<process id=\"p\">\n</definitions>\n",
    )
    .unwrap();
    let out_dir = dir.join("salida");
    let out = turno(&[
        "import",
        "bpmn",
        &broken.display().to_string(),
        "--out",
        &out_dir.display().to_string(),
    ]);
    assert!(!out.status.success());
    assert_contains(&stderr(&out), "línea 3: XML mal formado");
    assert_contains(&stderr(&out), "no se escribió ningún borrador");
    assert!(!out_dir.exists());
}
