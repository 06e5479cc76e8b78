//! The 32 federal entities, for per-state calendars.
//!
//! The canonical code is the usual abbreviation (`QRO`, `JAL`, `CDMX`); ISO 3166-2:MX codes
//! (`QUE`) and the two-letter RENAPO codes of the CURP (`QT`) are accepted as aliases, because
//! agencies' own files use all three.

use crate::text::same;
use std::fmt;
use std::str::FromStr;

/// One row of the table: canonical code, ISO 3166-2:MX code (without `MX-`), RENAPO code, name.
struct Entity {
    code: &'static str,
    iso: &'static str,
    renapo: &'static str,
    name: &'static str,
}

const fn e(
    code: &'static str,
    iso: &'static str,
    renapo: &'static str,
    name: &'static str,
) -> Entity {
    Entity {
        code,
        iso,
        renapo,
        name,
    }
}

/// In INEGI's order (clave de entidad 01..32).
const ENTITIES: [Entity; 32] = [
    e("AGS", "AGU", "AS", "Aguascalientes"),
    e("BC", "BCN", "BC", "Baja California"),
    e("BCS", "BCS", "BS", "Baja California Sur"),
    e("CAMP", "CAM", "CC", "Campeche"),
    e("COAH", "COA", "CL", "Coahuila de Zaragoza"),
    e("COL", "COL", "CM", "Colima"),
    e("CHIS", "CHP", "CS", "Chiapas"),
    e("CHIH", "CHH", "CH", "Chihuahua"),
    e("CDMX", "CMX", "DF", "Ciudad de México"),
    e("DGO", "DUR", "DG", "Durango"),
    e("GTO", "GUA", "GT", "Guanajuato"),
    e("GRO", "GRO", "GR", "Guerrero"),
    e("HGO", "HID", "HG", "Hidalgo"),
    e("JAL", "JAL", "JC", "Jalisco"),
    e("MEX", "MEX", "MC", "México"),
    e("MICH", "MIC", "MN", "Michoacán de Ocampo"),
    e("MOR", "MOR", "MS", "Morelos"),
    e("NAY", "NAY", "NT", "Nayarit"),
    e("NL", "NLE", "NL", "Nuevo León"),
    e("OAX", "OAX", "OC", "Oaxaca"),
    e("PUE", "PUE", "PL", "Puebla"),
    e("QRO", "QUE", "QT", "Querétaro"),
    e("QROO", "ROO", "QR", "Quintana Roo"),
    e("SLP", "SLP", "SP", "San Luis Potosí"),
    e("SIN", "SIN", "SL", "Sinaloa"),
    e("SON", "SON", "SR", "Sonora"),
    e("TAB", "TAB", "TC", "Tabasco"),
    e("TAMPS", "TAM", "TS", "Tamaulipas"),
    e("TLAX", "TLA", "TL", "Tlaxcala"),
    e("VER", "VER", "VZ", "Veracruz de Ignacio de la Llave"),
    e("YUC", "YUC", "YN", "Yucatán"),
    e("ZAC", "ZAC", "ZS", "Zacatecas"),
];

/// Names people write for an entity besides its official one (call-center files, forms).
const ALIASES: [(&str, &str); 7] = [
    ("Distrito Federal", "CDMX"),
    ("Coahuila", "COAH"),
    ("Michoacán", "MICH"),
    ("Veracruz", "VER"),
    ("Estado de México", "MEX"),
    ("Edomex", "MEX"),
    ("Edo. de México", "MEX"),
];

/// A federal entity (estado or Ciudad de México).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct State(u8);

impl State {
    /// Every entity, in INEGI's order.
    pub fn all() -> impl Iterator<Item = State> {
        (0..ENTITIES.len() as u8).map(State)
    }

    fn entity(self) -> &'static Entity {
        &ENTITIES[usize::from(self.0)]
    }

    /// Canonical code, e.g. `"QRO"`.
    pub fn code(self) -> &'static str {
        self.entity().code
    }

    /// ISO 3166-2:MX code without the `MX-` prefix, e.g. `"QUE"`.
    pub fn iso_code(self) -> &'static str {
        self.entity().iso
    }

    /// Two-letter RENAPO code used in the CURP, e.g. `"QT"`.
    pub fn renapo_code(self) -> &'static str {
        self.entity().renapo
    }

    /// Official name in Spanish, e.g. `"Querétaro"`.
    pub fn name(self) -> &'static str {
        self.entity().name
    }
}

impl State {
    /// The entity a person wrote: any code [`FromStr`] accepts, its official name or a usual
    /// one («Michoacán», «Distrito Federal»), without regard to accents or case.
    pub fn from_name_or_code(s: &str) -> Result<State, ParseStateError> {
        if let Ok(state) = s.parse() {
            return Ok(state);
        }
        ENTITIES
            .iter()
            .position(|e| same(e.name, s))
            .map(|i| State(i as u8))
            .or_else(|| {
                ALIASES
                    .iter()
                    .find(|(alias, _)| same(alias, s))
                    .and_then(|(_, code)| code.parse().ok())
            })
            .ok_or_else(|| ParseStateError(s.to_owned()))
    }
}

impl fmt::Display for State {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl fmt::Debug for State {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "State({})", self.code())
    }
}

/// The text is not a known state code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("clave de entidad federativa desconocida «{0}» (se esperaba una de {codes})", codes = canonical_codes())]
pub struct ParseStateError(pub String);

fn canonical_codes() -> String {
    ENTITIES
        .iter()
        .map(|e| e.code)
        .collect::<Vec<_>>()
        .join(", ")
}

impl FromStr for State {
    type Err = ParseStateError;

    /// Accepts the canonical, ISO 3166-2:MX (optionally `MX-` prefixed) and RENAPO codes, in any
    /// case.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let upper = s.trim().to_ascii_uppercase();
        let key = upper.strip_prefix("MX-").unwrap_or(&upper);
        ENTITIES
            .iter()
            .position(|e| e.code == key || e.iso == key || e.renapo == key)
            .map(|i| State(i as u8))
            .ok_or_else(|| ParseStateError(s.to_owned()))
    }
}
