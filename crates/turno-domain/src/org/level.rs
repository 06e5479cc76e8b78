//! The levels of the units in the manuals' organigramas, and the kinds of outside bodies.

use std::fmt;
use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    Secretaria,
    Subsecretaria,
    Instituto,
    OrganoDesconcentrado,
    DireccionGeneral,
    Unidad,
    Coordinacion,
    Direccion,
    Subdireccion,
    Division,
    Subjefatura,
    Departamento,
    Area,
    Dependencia,
    OrganismoInternacional,
    OrganoDeControl,
    PoderLegislativo,
    EntidadFederativa,
    RegimenEstatal,
    ServiciosEstatalesDeSalud,
    OtroExterno,
}

impl Level {
    pub const ALL: [Level; 21] = [
        Level::Secretaria,
        Level::Subsecretaria,
        Level::Instituto,
        Level::OrganoDesconcentrado,
        Level::DireccionGeneral,
        Level::Unidad,
        Level::Coordinacion,
        Level::Direccion,
        Level::Subdireccion,
        Level::Division,
        Level::Subjefatura,
        Level::Departamento,
        Level::Area,
        Level::Dependencia,
        Level::OrganismoInternacional,
        Level::OrganoDeControl,
        Level::PoderLegislativo,
        Level::EntidadFederativa,
        Level::RegimenEstatal,
        Level::ServiciosEstatalesDeSalud,
        Level::OtroExterno,
    ];

    /// As written in the data files and stored.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Secretaria => "secretaria",
            Level::Subsecretaria => "subsecretaria",
            Level::Instituto => "instituto",
            Level::OrganoDesconcentrado => "organo_desconcentrado",
            Level::DireccionGeneral => "direccion_general",
            Level::Unidad => "unidad",
            Level::Coordinacion => "coordinacion",
            Level::Direccion => "direccion",
            Level::Subdireccion => "subdireccion",
            Level::Division => "division",
            Level::Subjefatura => "subjefatura",
            Level::Departamento => "departamento",
            Level::Area => "area",
            Level::Dependencia => "dependencia",
            Level::OrganismoInternacional => "organismo_internacional",
            Level::OrganoDeControl => "organo_de_control",
            Level::PoderLegislativo => "poder_legislativo",
            Level::EntidadFederativa => "entidad_federativa",
            Level::RegimenEstatal => "regimen_estatal",
            Level::ServiciosEstatalesDeSalud => "servicios_estatales_de_salud",
            Level::OtroExterno => "otro_externo",
        }
    }

    /// In the users' words.
    pub fn label(self) -> &'static str {
        match self {
            Level::Secretaria => "Secretaría",
            Level::Subsecretaria => "Subsecretaría",
            Level::Instituto => "Instituto",
            Level::OrganoDesconcentrado => "Órgano desconcentrado",
            Level::DireccionGeneral => "Dirección General",
            Level::Unidad => "Unidad",
            Level::Coordinacion => "Coordinación",
            Level::Direccion => "Dirección",
            Level::Subdireccion => "Subdirección",
            Level::Division => "División",
            Level::Subjefatura => "Subjefatura",
            Level::Departamento => "Departamento",
            Level::Area => "Área",
            Level::Dependencia => "Dependencia",
            Level::OrganismoInternacional => "Organismo internacional",
            Level::OrganoDeControl => "Órgano de control y fiscalización",
            Level::PoderLegislativo => "Poder Legislativo",
            Level::EntidadFederativa => "Entidad federativa",
            Level::RegimenEstatal => "Régimen Estatal de Protección Social en Salud",
            Level::ServiciosEstatalesDeSalud => "Servicios Estatales de Salud",
            Level::OtroExterno => "Otro organismo externo",
        }
    }

    /// Outside the agencies that use Turno: bodies they write to and hear from.
    pub fn is_external(self) -> bool {
        self >= Level::Dependencia
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Level {
    type Err = String;

    fn from_str(s: &str) -> Result<Level, String> {
        Level::ALL
            .into_iter()
            .find(|l| l.as_str() == s)
            .ok_or_else(|| {
                let all: Vec<&str> = Level::ALL.iter().map(|l| l.as_str()).collect();
                format!("unknown level «{s}»: use one of {}", all.join(", "))
            })
    }
}
