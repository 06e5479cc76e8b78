//! The institution a unit belongs to, so that two units of one name in different institutions
//! (the «Coordinación de Asesores» of the CNPSS and of the SIDSS) can be told apart and units
//! chosen by institution.

use super::{Level, UnitSpec};
use std::collections::HashMap;

/// Whether a unit of this level is an institution of its own even when it hangs below another
/// (a subsecretaría or an órgano desconcentrado of the Secretaría is what people name).
fn stands_alone(level: Level) -> bool {
    matches!(
        level,
        Level::Subsecretaria | Level::Instituto | Level::OrganoDesconcentrado
    )
}

/// Each unit's institution, by code: the nearest ancestor (or the unit itself) that is a
/// subsecretaría, an instituto or an órgano desconcentrado, otherwise the top of its chart.
/// A unit whose parent is not among `units`, or whose parents loop, is its own top.
pub fn institutions(units: &[UnitSpec]) -> HashMap<String, String> {
    let by_code: HashMap<&str, &UnitSpec> = units.iter().map(|u| (u.code.as_str(), u)).collect();
    units
        .iter()
        .map(|unit| {
            let mut at = unit;
            let mut seen = 0;
            while !stands_alone(at.current.level) && seen < units.len() {
                match at.current.parent.as_deref().and_then(|p| by_code.get(p)) {
                    Some(parent) => at = parent,
                    None => break,
                }
                seen += 1;
            }
            (unit.code.clone(), at.code.clone())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::org::Form;

    fn unit(code: &str, level: Level, parent: Option<&str>) -> UnitSpec {
        UnitSpec {
            code: code.into(),
            siglas: None,
            manual_number: None,
            functions: Vec::new(),
            current: Form {
                name: code.into(),
                parent: parent.map(Into::into),
                level,
                valid_from: None,
                valid_to: None,
            },
            before: Vec::new(),
            merged_into: None,
        }
    }

    #[test]
    fn a_unit_belongs_to_its_subsecretaria_or_organo_not_to_the_secretaria() {
        let units = [
            unit("SSA", Level::Secretaria, None),
            unit("SIDSS", Level::Subsecretaria, Some("SSA")),
            unit("SIDSS-CAS", Level::Coordinacion, Some("SIDSS")),
            unit("CNPSS", Level::OrganoDesconcentrado, Some("SSA")),
            unit("CNPSS-DG", Level::DireccionGeneral, Some("CNPSS")),
            unit("CNPSS-DG-A", Level::Direccion, Some("CNPSS-DG")),
            unit("SSA-DGRI", Level::DireccionGeneral, Some("SSA")),
            unit("IMSS-X", Level::Division, Some("FALTA")),
        ];
        let found = institutions(&units);
        assert_eq!(found["SIDSS-CAS"], "SIDSS");
        assert_eq!(found["CNPSS-DG-A"], "CNPSS");
        assert_eq!(found["CNPSS"], "CNPSS");
        assert_eq!(found["SSA-DGRI"], "SSA");
        assert_eq!(found["SSA"], "SSA");
        assert_eq!(found["IMSS-X"], "IMSS-X");
    }

    #[test]
    fn parents_in_a_loop_end_the_walk() {
        let units = [
            unit("A", Level::Direccion, Some("B")),
            unit("B", Level::Direccion, Some("A")),
        ];
        let found = institutions(&units);
        assert!(found["A"] == "A" || found["A"] == "B");
    }
}
