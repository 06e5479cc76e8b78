//! Organization files: what they say, and every kind of problem reported with its place and
//! nothing half-read.

use jiff::civil::date;
use std::collections::HashMap;
use turno_domain::org::{self, Level, Named, OrgFile};

fn problems(files: &[(&str, &str)]) -> Vec<String> {
    let mut out = Vec::new();
    let mut parsed: Vec<(&str, &str, OrgFile)> = Vec::new();
    for (name, text) in files {
        match org::parse(name, text) {
            Ok(file) => parsed.push((name, text, file)),
            Err(diagnostics) => {
                out.extend(diagnostics.iter().map(|d| d.locate(name, text).to_string()))
            }
        }
    }
    let named: Vec<Named> = parsed
        .iter()
        .map(|(name, text, file)| Named { name, text, file })
        .collect();
    out.extend(
        org::check(&named, &HashMap::new())
            .iter()
            .map(|p| p.to_string()),
    );
    out
}

const DOYE: &str = include_str!("../fixtures/org/imss-doye.toml");

#[test]
fn a_file_gives_its_units_with_their_history() {
    let file = org::parse("imss.toml", DOYE).unwrap();
    assert_eq!(file.title.as_deref(), Some("IMSS"));
    assert_eq!(file.units.len(), 3);
    let doye = &file.units[1].unit;
    assert_eq!(doye.current.level, Level::Direccion);
    assert_eq!(doye.current.parent.as_deref(), Some("IMSS"));
    assert_eq!(doye.functions.len(), 2);
    let capsoi = &file.units[2].unit;
    assert_eq!(
        capsoi.as_of(date(2022, 9, 1)).unwrap().name,
        "Coordinación de Seguimiento a la Operación con Entidades"
    );
    assert_eq!(
        capsoi.as_of(date(2022, 9, 1)).unwrap().parent.as_deref(),
        Some("IMSS-DOYE"),
        "an earlier form keeps the parent it does not change"
    );
    assert!(problems(&[("imss.toml", DOYE)]).is_empty());
}

#[test]
fn each_problem_names_file_line_and_field() {
    let text = r#"[[unit]]
code = "imss"
name = "Instituto"
level = "instituto"

[[unit]]
code = "IMSS-X"
name = "X"
level = "jefatura"
valid_from = "2022-13-01"

[[unit]]
code = "IMSS-Y"
name = "Y"
level = "division"
valid_from = "2022-10-01"
valid_to = "2022-01-01"

[[unit]]
code = "IMSS-Z"
name = "Z"
level = "division"

[[unit.before]]
name = "Zeta"
"#;
    let found = problems(&[("malo.toml", text)]);
    let expect = [
        "malo.toml:2:8: code «imss» is not a unit code",
        "malo.toml:9:9: level: unknown level «jefatura»",
        "malo.toml:10:14: valid_from «2022-13-01» is not a date AAAA-MM-DD",
        "malo.toml:12:1: «Y» ends (2022-01-01) before it starts (2022-10-01)",
        "malo.toml:24:1: an earlier form of «IMSS-Z» needs valid_to",
    ];
    assert_eq!(found.len(), expect.len(), "{found:#?}");
    for (got, want) in found.iter().zip(expect) {
        assert!(got.starts_with(want), "{got}\n  expected {want}");
    }
}

#[test]
fn unknown_fields_and_broken_toml_are_located() {
    let found = problems(&[(
        "x.toml",
        "[[unit]]\ncode = \"A\"\nname = \"A\"\nlevel = \"area\"\ncolor = \"rojo\"\n",
    )]);
    assert!(
        found[0].starts_with("x.toml:5:1: unknown field `color`"),
        "{found:?}"
    );
    let found = problems(&[("y.toml", "[[unit]]\ncode = \"A\n")]);
    assert!(found[0].starts_with("y.toml:2:"), "{found:?}");
}

#[test]
fn files_are_checked_together() {
    let other = r#"[[unit]]
code = "IMSS-DOYE"
name = "Otra"
level = "direccion"

[[unit]]
code = "IMSS-NUEVA"
name = "Nueva"
level = "division"
parent = "IMSS-NO-EXISTE"

[[unit]]
code = "IMSS-VIEJA"
name = "Vieja"
level = "division"
parent = "IMSS-DOYE"
merged_into = "IMSS-CAPSOI"
"#;
    let found = problems(&[("imss.toml", DOYE), ("otro.toml", other)]);
    assert_eq!(found.len(), 3, "{found:#?}");
    assert!(
        found[0].starts_with("otro.toml:2:8: code «IMSS-DOYE» is already defined at imss.toml:9")
    );
    assert!(
        found[1].starts_with(
            "otro.toml:10:10: «IMSS-NUEVA»: parent «IMSS-NO-EXISTE» is not a known unit"
        )
    );
    assert!(found[2].starts_with("otro.toml:17:15: «IMSS-VIEJA» has merged_into but no valid_to"));
}

#[test]
fn a_loop_of_parents_is_refused() {
    let text = r#"[[unit]]
code = "A"
name = "A"
level = "area"
parent = "B"

[[unit]]
code = "B"
name = "B"
level = "area"
parent = "A"
"#;
    let found = problems(&[("ciclo.toml", text)]);
    assert_eq!(found.len(), 2, "{found:#?}");
    assert!(found[0].contains("«A»: its chain of parents loops"));
}

#[test]
fn csv_rows_give_units_and_earlier_forms() {
    let text = "code,name,level,parent,valid_from,valid_to,functions\n\
        IMSS,Instituto Mexicano del Seguro Social,instituto,,,,\n\
        IMSS-CAPSOI,\"Coordinación de Análisis, Prospectiva y Seguimiento\",coordinacion,IMSS,2022-10-01,,Analizar | Dar seguimiento\n\
        IMSS-CAPSOI,Coordinación de Seguimiento a la Operación con Entidades,,,,2022-09-30,\n";
    let file = org::parse("org.csv", text).unwrap();
    assert_eq!(file.units.len(), 2);
    let capsoi = &file.units[1].unit;
    assert_eq!(capsoi.functions, ["Analizar", "Dar seguimiento"]);
    assert_eq!(capsoi.before.len(), 1);
    assert_eq!(capsoi.before[0].level, Level::Coordinacion);
    assert_eq!(capsoi.before[0].parent.as_deref(), Some("IMSS"));
    assert!(problems(&[("org.csv", text)]).is_empty());
}

#[test]
fn csv_problems_name_the_line_and_column() {
    let text = "code,name,level,parent,valid_from\n\
        IMSS,Instituto,instituto,,\n\
        IMSS-X,,division,IMSS,2022-02-30\n\
        imss-y,Y,division,IMSS,\n";
    let found = problems(&[("org.csv", text)]);
    assert_eq!(
        found,
        [
            "org.csv:3:1: name is empty",
            "org.csv:3:1: valid_from «2022-02-30» is not a date AAAA-MM-DD",
            "org.csv:4:1: code «imss-y» is not a unit code: upper-case letters and digits in parts joined by hyphens",
        ]
    );
    let missing = problems(&[("org.csv", "code,nombre\nA,B\n")]);
    assert_eq!(missing.len(), 3, "{missing:#?}");
    assert!(missing[0].contains("unknown column «nombre»"));
    assert!(missing.iter().any(|m| m.contains("missing column «level»")));
}

/// Control characters in any field are refused with the file, line and field; invalid UTF-8 is
/// reported with its line and byte.
#[test]
fn control_characters_and_invalid_utf8_are_located() {
    let csv = "code,name,level,siglas\nIMSS,Inst\u{0}ituto,instituto,I\u{7}\n";
    assert_eq!(
        problems(&[("org.csv", csv)]),
        [
            "org.csv:2:1: siglas: lleva un carácter de control (U+0007) en la posición 2: va en una sola línea; quítelo",
            "org.csv:2:1: name: lleva un carácter de control (U+0000) en la posición 5: va en una sola línea; quítelo",
        ]
    );
    let toml = "[[unit]]\ncode = \"IMSS\"\nname = \"Inst\\u0000ituto\"\nlevel = \"instituto\"\n";
    let found = problems(&[("org.toml", toml)]);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].starts_with("org.toml:3:8: name: lleva un carácter de control (U+0000)"),
        "{found:?}"
    );
    let latin1 = b"code,name,level\nIMSS,Direcci\xf3n,instituto\n";
    let refused = turno_domain::citizen::calls::utf8_text(latin1).unwrap_err();
    assert_eq!((refused.line, refused.byte), (2, 29));
}
