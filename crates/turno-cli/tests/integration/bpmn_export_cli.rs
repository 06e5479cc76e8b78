//! `turno export bpmn KEY [--version N] [--out FILE] [--procedures PATH]` as a person runs it
//! (the document itself is tested in turno-domain's `bpmn` tests).

use crate::common::{assert_contains, repository_file, stderr, stdout, temp_dir, turno};

#[test]
fn a_procedure_exports_to_bpmn_on_stdout_or_to_a_file() {
    let dir = temp_dir("bpmn");
    let printed = turno(&["export", "bpmn", "sidss-informes-oficiales"]);
    assert!(printed.status.success(), "{}", stderr(&printed));
    let xml = stdout(&printed);
    assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"));
    assert_contains(
        &xml,
        "<bpmn:process id=\"Process_sidss-informes-oficiales\"",
    );
    assert_contains(
        &xml,
        "<bpmn:exclusiveGateway id=\"Gateway_2.2\" name=\"¿Procede?\"",
    );

    let out = dir.join("seed-000.bpmn");
    let written = turno(&[
        "export",
        "bpmn",
        "sidss-informes-oficiales",
        "--version",
        "2",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(written.status.success(), "{}", stderr(&written));
    assert_contains(&stdout(&written), "sidss-informes-oficiales-v2.bpmn");
    assert_eq!(std::fs::read_to_string(&out).unwrap(), xml);

    // From the definition files named, not the built-in library.
    let named = turno(&[
        "export",
        "bpmn",
        "cnpss-94",
        "--procedures",
        &repository_file("procedures/cnpss-94.toml"),
    ]);
    assert!(named.status.success(), "{}", stderr(&named));
    assert_contains(&stdout(&named), "Process_cnpss-94");
}

#[test]
fn an_unknown_procedure_or_version_writes_nothing() {
    let dir = temp_dir("bpmn-unknown");
    let out = dir.join("x.bpmn");
    let done = turno(&[
        "export",
        "bpmn",
        "no-existe",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(!done.status.success());
    assert_contains(&stderr(&done), "No existe el procedimiento «no-existe»");
    assert!(!out.exists());
    let done = turno(&[
        "export",
        "bpmn",
        "sidss-informes-oficiales",
        "--version",
        "9",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(!done.status.success());
    assert_contains(
        &stderr(&done),
        "No existe la versión 9 del procedimiento «sidss-informes-oficiales»",
    );
    assert!(!out.exists());
}
