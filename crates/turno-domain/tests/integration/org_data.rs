//! The organization data in `org/`: the structures of the seeds, checked together, and the
//! unit of every seed procedure's responsible among them.

use std::collections::{HashMap, HashSet};
use turno_domain::definition::{Assignment, ParticipantId, ParticipantKind, parse_procedure};
use turno_domain::org::{self, Level, Named, OrgFile};

fn repository(folder: &str, extension: &str) -> Vec<(String, String)> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(folder);
    let mut files: Vec<(String, String)> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == extension))
        .map(|p| {
            let name = format!("{folder}/{}", p.file_name().unwrap().to_string_lossy());
            (name, std::fs::read_to_string(&p).unwrap())
        })
        .collect();
    files.sort();
    files
}

pub fn organization() -> Vec<(String, String, OrgFile)> {
    repository("org", "toml")
        .into_iter()
        .map(|(name, text)| {
            let file = org::parse(&name, &text).unwrap_or_else(|problems| {
                let located: Vec<String> = problems
                    .iter()
                    .map(|d| d.locate(&name, &text).to_string())
                    .collect();
                panic!("{}", located.join("\n"))
            });
            (name, text, file)
        })
        .collect()
}

#[test]
fn the_organization_files_check_together() {
    let files = organization();
    let named: Vec<Named> = files
        .iter()
        .map(|(name, text, file)| Named { name, text, file })
        .collect();
    let problems: Vec<String> = org::check(&named, &HashMap::new())
        .iter()
        .map(ToString::to_string)
        .collect();
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_seeds_structures_are_all_there() {
    let files = organization();
    let units: Vec<&org::UnitSpec> = files
        .iter()
        .flat_map(|(_, _, f)| f.units.iter().map(|p| &p.unit))
        .collect();
    let count = |level: Level| units.iter().filter(|u| u.current.level == level).count();
    assert_eq!(
        count(Level::EntidadFederativa),
        32,
        "the 32 entidades federativas"
    );
    // Seed 004, section 7: the DOyE and every unit below it, with their functions.
    let by_code: HashMap<&str, &org::UnitSpec> =
        units.iter().map(|u| (u.code.as_str(), *u)).collect();
    let below_doye = units
        .iter()
        .filter(|u| {
            let mut at = u.current.parent.as_deref();
            while let Some(code) = at {
                if code == "IMSS-DOYE" {
                    return true;
                }
                at = by_code.get(code).and_then(|p| p.current.parent.as_deref());
            }
            false
        })
        .filter(|u| u.current.valid_to.is_none() && u.manual_number.is_some())
        .collect::<Vec<_>>();
    assert_eq!(
        below_doye.len(),
        56,
        "every unit of sections 7.1.1 to 7.1.6"
    );
    assert!(below_doye.iter().all(|u| !u.functions.is_empty()));
    let doye = by_code["IMSS-DOYE"];
    assert_eq!(doye.manual_number.as_deref(), Some("7.1"));
    // The restructure of 2022: renamed and moved units keep their history.
    let capsoi = by_code["IMSS-CAPSOI"];
    assert_eq!(
        capsoi.as_of(jiff::civil::date(2022, 6, 1)).unwrap().name,
        "Coordinación de Seguimiento a la Operación con Entidades"
    );
    let moved = by_code["IMSS-COSCOA"];
    assert_eq!(moved.current.parent.as_deref(), Some("IMSS-DJ"));
    assert_eq!(
        moved
            .as_of(jiff::civil::date(2022, 6, 1))
            .unwrap()
            .parent
            .as_deref(),
        Some("IMSS-DOYE")
    );
    // Accents written back over the OCR of seed 004.
    assert!(
        units
            .iter()
            .any(|u| u.current.name == "División de Análisis Prospectiva")
    );
}

/// The codes of every unit the organization files define.
fn unit_codes() -> HashSet<String> {
    organization()
        .into_iter()
        .flat_map(|(_, _, f)| f.units.into_iter().map(|p| p.unit.code))
        .collect()
}

#[test]
fn every_seed_procedure_responsible_is_a_unit_of_the_organization() {
    let defined = unit_codes();
    let mut missing = Vec::new();
    for (name, text) in repository("procedures", "toml") {
        let procedure = parse_procedure(&text).unwrap();
        for p in &procedure.participants {
            if let (ParticipantKind::Internal, Some(unit)) = (&p.kind, &p.unit)
                && !defined.contains(unit)
            {
                missing.push(format!("{name}: {} → {unit}", p.key));
            }
        }
    }
    assert!(missing.is_empty(), "{missing:#?}");
}

/// Every activity is turned to real units: each responsible participant, and each candidate a
/// `participants` field offers when the responsible is chosen while the case runs, resolves
/// (outside parties through the participant that records them) to a unit of the organization
/// files, never to a generic name that only an administrator could act on («cnpss-93:AC»).
#[test]
fn every_responsible_of_every_seed_activity_resolves_to_a_real_unit() {
    let defined: HashSet<String> = organization()
        .into_iter()
        .flat_map(|(_, _, f)| f.units.into_iter().map(|p| p.unit.code))
        .collect();
    let mut generic = Vec::new();
    let mut chosen = 0;
    for (name, text) in repository("procedures", "toml") {
        let procedure = parse_procedure(&text).unwrap();
        for activity in &procedure.activities {
            let responsible: Vec<ParticipantId> = match &activity.assignment {
                Assignment::Fixed(ids) => ids.clone(),
                Assignment::FromField(field) => {
                    chosen += 1;
                    procedure
                        .field(*field)
                        .options
                        .iter()
                        .map(|key| procedure.participant_by_key(key).unwrap())
                        .collect()
                }
            };
            for id in responsible {
                let unit = procedure.unit_of(id);
                if !defined.contains(&unit) {
                    generic.push(format!(
                        "{name} {}: {} → {unit}",
                        activity.number,
                        procedure.participant(id).key
                    ));
                }
            }
        }
    }
    assert!(generic.is_empty(), "{generic:#?}");
    assert!(chosen > 0, "some responsibles are chosen per case");
}

#[test]
fn every_entidad_has_the_unit_of_its_enlace_de_atencion_ciudadana() {
    let defined = unit_codes();
    let missing: Vec<String> = turno_domain::calendar::State::all()
        .map(turno_domain::citizen::liaison_unit)
        .filter(|unit| !defined.contains(unit))
        .collect();
    assert!(missing.is_empty(), "{missing:?}");
}
