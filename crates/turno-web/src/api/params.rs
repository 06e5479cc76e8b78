//! The path parameters that several operations share: each is both the operation's documented
//! parameters (`params(CaseFolio)`) and its handler's extractor (`Path<CaseFolio>`), so a
//! parameter's name, description and example are written once.

use serde::Deserialize;
use turno_store::followup::ActivityAt;
use utoipa::IntoParams;

/// A case, by its folio (`{folio}`).
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct CaseFolio {
    /// El folio del asunto
    #[param(example = "CAS-2026-000001")]
    pub folio: String,
}

/// An open activity of a case (`{folio}`, `{item}`).
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct OpenActivity {
    /// El folio del asunto
    #[param(example = "CAS-2026-000001")]
    pub folio: String,
    /// El número de la actividad abierta (`open_work[].item`)
    pub item: u32,
}

/// A citizen's petition, by its folio (`{folio}`).
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct PetitionFolio {
    /// El folio de la petición
    #[param(example = "AC-2026-000001")]
    pub folio: String,
}

/// A person, by their login (`{login}`).
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct PersonLogin {
    /// El usuario de la persona
    pub login: String,
}

/// A follow-up program, by its key (`{key}`).
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct ProgramKey {
    /// La clave del programa
    pub key: String,
}

/// A line of a follow-up program (`{key}`, `{item}`).
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct ProgramItem {
    /// La clave del programa
    pub key: String,
    /// La línea (`AC2`, `OB1`, `L3`)
    pub item: String,
}

/// An activity of a follow-up program (`{key}`, `{item}`, `{number}`).
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct ProgramActivity {
    /// La clave del programa
    pub key: String,
    /// El elemento (`A1`, `R3`, `AC2`)
    pub item: String,
    /// El número de la actividad en el elemento
    pub number: u32,
}

impl ProgramActivity {
    /// The activity as the application names it.
    pub fn at(&self) -> ActivityAt<'_> {
        ActivityAt {
            program: &self.key,
            item: &self.item,
            activity: self.number,
        }
    }
}

/// A unit, by its code (`{code}`).
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct UnitCode {
    /// La clave de la unidad: mayúsculas sin acentos y dígitos, en partes unidas por guiones
    #[param(
        max_length = 40,
        pattern = "^[A-Z0-9]+(-[A-Z0-9]+)*$",
        example = "SIDSS-ST-OP"
    )]
    pub code: String,
}
