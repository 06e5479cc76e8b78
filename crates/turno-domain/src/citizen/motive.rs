//! Classification of a petition: its kind, a motive from the catalog the administrator
//! maintains, its entidad, and whether it needs action («¿amerita gestión?»): those that do
//! are turned with a volante to the entidad's Enlace de Atención Ciudadana; the others are
//! answered directly and registered (procedures 96 and 97, activity 1.3).

use super::petition::{PetitionKind, UnknownKind};
use crate::calendar::State;
use crate::org::is_code;
use std::collections::HashSet;

/// One motive of the catalog («Negativa de atención», «Surtimiento de medicamentos»…).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Motive {
    /// Upper-case letters and digits in parts joined by hyphens, as unit codes (`MED-SURT`).
    pub code: String,
    pub name: String,
    /// The kinds it applies to; empty: every kind.
    pub kinds: Vec<PetitionKind>,
    /// A retired motive stays for the petitions classified with it, but classifies no more.
    pub active: bool,
}

/// The motives in force; each code once.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MotiveCatalog {
    motives: Vec<Motive>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CatalogError {
    #[error(
        "«{0}» no es una clave de motivo: letras mayúsculas y dígitos, en partes unidas por guiones"
    )]
    Code(String),
    #[error("el motivo «{0}» no tiene nombre")]
    Name(String),
    #[error("la clave de motivo «{0}» está repetida")]
    Repeated(String),
    #[error("el motivo «{code}»: {problem}")]
    Kind { code: String, problem: UnknownKind },
    #[error("el archivo de motivos no se puede leer: {0}")]
    File(String),
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ClassificationError {
    #[error("el motivo «{0}» no está en el catálogo")]
    Unknown(String),
    #[error("el motivo «{0}» ya no está vigente")]
    Retired(String),
    #[error("el motivo «{motive}» no corresponde a una petición de tipo {kind}")]
    NotForKind { motive: String, kind: PetitionKind },
}

impl MotiveCatalog {
    pub fn new(motives: Vec<Motive>) -> Result<MotiveCatalog, Vec<CatalogError>> {
        let mut problems = Vec::new();
        let mut seen = HashSet::new();
        for motive in &motives {
            if !is_code(&motive.code) {
                problems.push(CatalogError::Code(motive.code.clone()));
            }
            if motive.name.trim().is_empty() {
                problems.push(CatalogError::Name(motive.code.clone()));
            }
            if !seen.insert(motive.code.as_str()) {
                problems.push(CatalogError::Repeated(motive.code.clone()));
            }
        }
        if problems.is_empty() {
            Ok(MotiveCatalog { motives })
        } else {
            Err(problems)
        }
    }

    pub fn get(&self, code: &str) -> Option<&Motive> {
        self.motives.iter().find(|m| m.code == code)
    }

    /// The motive of `code` (blanks around it aside), when a petition of `kind` may be
    /// classified with it: known, in force, and for the kind.
    pub fn for_kind(&self, kind: PetitionKind, code: &str) -> Result<&Motive, ClassificationError> {
        let found = self
            .get(code.trim())
            .ok_or_else(|| ClassificationError::Unknown(code.trim().to_owned()))?;
        if !found.active {
            return Err(ClassificationError::Retired(found.code.clone()));
        }
        if !found.kinds.is_empty() && !found.kinds.contains(&kind) {
            return Err(ClassificationError::NotForKind {
                motive: found.code.clone(),
                kind,
            });
        }
        Ok(found)
    }

    /// The motives a person may choose for a kind.
    pub fn choices(&self, kind: PetitionKind) -> impl Iterator<Item = &Motive> {
        self.motives
            .iter()
            .filter(move |m| m.active && (m.kinds.is_empty() || m.kinds.contains(&kind)))
    }
}

/// A motive as a catalog file writes it (`motives/sinac.toml`): `[[motives]]` with `code`,
/// `name` and the `kinds` it applies to, by code (none: every type).
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct CatalogFile {
    motives: Vec<FileMotive>,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct FileMotive {
    code: String,
    name: String,
    #[serde(default)]
    kinds: Vec<String>,
}

impl MotiveCatalog {
    /// The catalog a file writes, every motive in force, checked as a whole: every problem.
    pub fn from_toml(text: &str) -> Result<MotiveCatalog, Vec<CatalogError>> {
        let file: CatalogFile =
            toml::from_str(text).map_err(|e| vec![CatalogError::File(e.message().to_owned())])?;
        let mut problems = Vec::new();
        let mut motives = Vec::new();
        for entry in file.motives {
            let mut kinds = Vec::new();
            for kind in &entry.kinds {
                match kind.parse::<PetitionKind>() {
                    Ok(kind) => kinds.push(kind),
                    Err(problem) => problems.push(CatalogError::Kind {
                        code: entry.code.clone(),
                        problem,
                    }),
                }
            }
            motives.push(Motive {
                code: entry.code,
                name: entry.name,
                kinds,
                active: true,
            });
        }
        match MotiveCatalog::new(motives) {
            Ok(catalog) if problems.is_empty() => Ok(catalog),
            Ok(_) => Err(problems),
            Err(more) => {
                problems.extend(more);
                Err(problems)
            }
        }
    }

    /// Its motives, in the order given.
    pub fn motives(&self) -> &[Motive] {
        &self.motives
    }
}

/// How the Departamento de Vinculación Social classified a petition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Classification {
    pub kind: PetitionKind,
    pub motive: String,
    pub state: State,
    /// «¿Amerita gestión?»: yes turns it with a volante, no answers it directly.
    pub needs_action: bool,
}

/// A motive's name as reports show it: the catalog's, or its code if the catalog has none by
/// that code (a motive removed since).
pub fn motive_name(motives: &[Motive], code: &str) -> String {
    motives
        .iter()
        .find(|m| m.code == code)
        .map_or_else(|| code.to_owned(), |m| m.name.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn motive(code: &str, kinds: &[PetitionKind], active: bool) -> Motive {
        Motive {
            code: code.to_owned(),
            name: format!("Motivo {code}"),
            kinds: kinds.to_vec(),
            active,
        }
    }

    #[test]
    fn citizen_classification_takes_a_motive_in_force_for_its_kind() {
        let catalog = MotiveCatalog::new(vec![
            motive("MED-SURT", &[PetitionKind::Complaint], true),
            motive("AFIL", &[], true),
            motive("VIEJO", &[], false),
        ])
        .unwrap();
        let c = catalog.for_kind(PetitionKind::Complaint, " MED-SURT");
        assert_eq!(c.unwrap().code, "MED-SURT");
        assert_eq!(
            catalog
                .for_kind(PetitionKind::Suggestion, "MED-SURT")
                .unwrap_err()
                .to_string(),
            "el motivo «MED-SURT» no corresponde a una petición de tipo Sugerencia"
        );
        assert!(matches!(
            catalog.for_kind(PetitionKind::Suggestion, "VIEJO"),
            Err(ClassificationError::Retired(_))
        ));
        assert!(matches!(
            catalog.for_kind(PetitionKind::Suggestion, "OTRO"),
            Err(ClassificationError::Unknown(_))
        ));
        let codes: Vec<&str> = catalog
            .choices(PetitionKind::Suggestion)
            .map(|m| m.code.as_str())
            .collect();
        assert_eq!(codes, ["AFIL"]);
    }

    #[test]
    fn citizen_catalog_file_reads_motives_and_reports_every_problem() {
        let catalog = MotiveCatalog::from_toml(
            "[[motives]]\ncode = \"AFIL\"\nname = \"Afiliación\"\n\n\
             [[motives]]\ncode = \"SUG\"\nname = \"Sugerencia\"\nkinds = [\"sugerencia\"]\n",
        )
        .unwrap();
        let codes: Vec<&str> = catalog
            .choices(PetitionKind::Complaint)
            .map(|m| m.code.as_str())
            .collect();
        assert_eq!(codes, ["AFIL"]);
        assert_eq!(catalog.motives()[1].kinds, [PetitionKind::Suggestion]);
        let problems = MotiveCatalog::from_toml(
            "[[motives]]\ncode = \"a b\"\nname = \"X\"\nkinds = [\"otra\"]\n",
        )
        .unwrap_err();
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(matches!(problems[0], CatalogError::Kind { .. }));
        assert!(matches!(problems[1], CatalogError::Code(_)));
    }

    /// The catalog Turno ships with is valid and offers a motive for every petition type.
    #[test]
    fn citizen_catalog_of_the_repository_covers_every_type() {
        let catalog =
            MotiveCatalog::from_toml(include_str!("../../../../motives/sinac.toml")).unwrap();
        for kind in PetitionKind::ALL {
            assert!(catalog.choices(kind).next().is_some(), "{kind:?}");
        }
    }

    #[test]
    fn citizen_catalog_codes_are_codes_and_unique() {
        let problems = MotiveCatalog::new(vec![
            motive("AFIL", &[], true),
            motive("AFIL", &[], true),
            motive("med surt", &[], true),
        ])
        .unwrap_err();
        assert_eq!(
            problems,
            [
                CatalogError::Repeated("AFIL".into()),
                CatalogError::Code("med surt".into())
            ]
        );
    }
}
