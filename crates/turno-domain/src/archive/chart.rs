//! The classification chart and the disposition catalog, kept together: a [`Serie`] is a line
//! of the chart (its fondo, sección and, for a subserie, the serie it belongs to) and of the
//! catalog (its [`Terms`], [`Destination`] and [`Access`]).

use crate::definition::model::Retention;
use crate::library::Library;
use crate::text::{Lines, control_reason};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use thiserror::Error;

/// The longest term a catalog admits, in years (LGA art. 4 fr. LXI: vigencia documental).
pub const MAX_YEARS: u16 = 100;
/// The most series a chart holds (a file with more is refused before it is read further).
pub const MAX_SERIES: usize = 10_000;
const MAX_CODE: usize = 40;
const MAX_NAME: usize = 500;

/// The fondo: the whole of the documents of the institution.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fondo {
    pub code: String,
    pub name: String,
}

/// A sección: a function of the institution. Seeded one per procedure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Section {
    pub code: String,
    pub name: String,
}

/// The years each value of a serie lasts, and how its vigencia is split between the archivo
/// de trámite and the archivo de concentración.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Terms {
    pub administrative: u16,
    pub legal: u16,
    pub accounting: u16,
    pub tramite: u16,
    pub concentracion: u16,
}

impl Terms {
    /// The vigencia documental: the longest of the values.
    pub fn vigencia(&self) -> u16 {
        self.administrative.max(self.legal).max(self.accounting)
    }
}

/// What happens to an expediente once its vigencia ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Destination {
    /// Baja documental: eliminated, after an approved list.
    Baja,
    /// Transferred to the archivo histórico and kept for good.
    Historico,
}

/// The access classification of a serie's documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Access {
    Publica,
    Reservada,
    Confidencial,
}

macro_rules! labelled {
    ($ty:ty { $($variant:ident => $code:literal, $label:literal),+ $(,)? }) => {
        impl $ty {
            pub const ALL: &'static [$ty] = &[$(<$ty>::$variant),+];
            /// The text stored and exchanged in files.
            pub fn code(self) -> &'static str {
                match self { $(<$ty>::$variant => $code),+ }
            }
            /// The name people read.
            pub fn label(self) -> &'static str {
                match self { $(<$ty>::$variant => $label),+ }
            }
            /// Reads a code or a label, without regard to accents or case.
            pub fn parse(text: &str) -> Option<$ty> {
                let wanted = crate::text::fold(text.trim());
                Self::ALL.iter().copied().find(|v| {
                    crate::text::fold(v.code()) == wanted || crate::text::fold(v.label()) == wanted
                })
            }
        }
    };
}

labelled!(Destination {
    Baja => "baja", "Baja documental",
    Historico => "historico", "Histórico",
});
labelled!(Access {
    Publica => "publica", "Pública",
    Reservada => "reservada", "Reservada",
    Confidencial => "confidencial", "Confidencial",
});

/// A serie (or subserie) of the chart with its line of the catalog.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Serie {
    pub code: String,
    pub name: String,
    pub section: String,
    /// The serie this one is a subserie of.
    pub parent: Option<String>,
    /// Who keeps it in trámite (the Registros' «responsable de conservarlo»).
    pub keeper: String,
    /// `None` while its terms are to be valued (a record whose term «No aplica»): nothing of it
    /// reaches the archive's calendar until they are set.
    pub terms: Option<Terms>,
    pub destination: Destination,
    pub access: Access,
    /// The procedure whose Registros it was seeded from, and the record's name there.
    pub procedure: Option<String>,
}

/// The chart and catalog of the institution.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Chart {
    pub fondo: Fondo,
    pub sections: Vec<Section>,
    pub series: Vec<Serie>,
}

/// Why a chart, or one of its lines, is refused; every problem names the line and field.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ChartError {
    #[error("{place}: {field}: {reason}")]
    Field {
        place: String,
        field: &'static str,
        reason: String,
    },
    #[error("{place}: la clave «{code}» ya está en el cuadro")]
    Duplicate { place: String, code: String },
    #[error("{place}: {what} «{code}» no está en el cuadro")]
    Unknown {
        place: String,
        what: &'static str,
        code: String,
    },
    #[error(
        "{place}: la vigencia ({vigencia} años) es mayor que trámite más concentración ({kept} años)"
    )]
    ShortKeeping {
        place: String,
        vigencia: u16,
        kept: u16,
    },
    #[error("el archivo tiene más de {MAX_SERIES} series")]
    TooMany,
    #[error("{0}")]
    Csv(String),
}

impl Chart {
    /// The chart seeded from the newest version of every procedure: a sección per procedure
    /// that keeps records (its key in capitals), a serie per record of its Registros. A record's own code becomes
    /// the serie's when it is a code (letters, digits, dots and hyphens, with a digit: the
    /// manuals write «No aplica» or «Fecha del evento» where they have none); otherwise the
    /// serie is numbered within its sección (`CNPSS-91.3`). A term of «N años» is the vigencia
    /// and the administrative value, all of it kept in trámite by the record's keeper (the
    /// Registros name who keeps it, not the archivo de concentración); months count as whole
    /// years begun; «No aplica» leaves the terms to be valued (a record itself named «No aplica»
    /// is a manual saying it keeps none, and seeds nothing). Every serie is seeded for baja
    /// and public; the archive's administrator then edits the catalog.
    pub fn seed(fondo: Fondo, library: &Library) -> Chart {
        let mut sections = Vec::new();
        let mut series: Vec<Serie> = Vec::new();
        let mut taken = BTreeSet::new();
        for procedure in library.newest() {
            let section = procedure.key.to_uppercase();
            let before = series.len();
            for (n, record) in procedure.records.iter().enumerate() {
                // A manual with no records writes a single «No aplica» line.
                if crate::text::same(&record.name, "No aplica") {
                    continue;
                }
                let own = record.code.as_deref().map(str::trim).filter(|c| is_code(c));
                let code = match own {
                    Some(code) if !taken.contains(code) => code.to_owned(),
                    _ => format!("{section}.{}", n + 1),
                };
                taken.insert(code.clone());
                let years = match record.retention {
                    Retention::Years(y) => Some(y),
                    Retention::Months(m) => Some(m.div_ceil(12)),
                    Retention::NotApplicable => None,
                };
                series.push(Serie {
                    code,
                    name: record.name.clone(),
                    section: section.clone(),
                    parent: None,
                    keeper: record.keeper.clone(),
                    terms: years.map(|y| {
                        let y = y.min(MAX_YEARS);
                        Terms {
                            administrative: y,
                            legal: 0,
                            accounting: 0,
                            tramite: y,
                            concentracion: 0,
                        }
                    }),
                    destination: Destination::Baja,
                    access: Access::Publica,
                    procedure: Some(procedure.key.clone()),
                });
            }
            // A procedure that keeps no record has no sección (the catalog file, a line per
            // serie, could not carry an empty one).
            if series.len() > before {
                sections.push(Section {
                    code: section,
                    name: procedure.title.clone(),
                });
            }
        }
        Chart {
            fondo,
            sections,
            series,
        }
    }

    pub fn serie(&self, code: &str) -> Option<&Serie> {
        self.series.iter().find(|s| s.code == code)
    }

    /// The serie a procedure's cases default to: the first of its Registros.
    pub fn default_serie(&self, procedure_key: &str) -> Option<&Serie> {
        self.series
            .iter()
            .find(|s| s.procedure.as_deref() == Some(procedure_key) && s.parent.is_none())
    }

    /// Every problem of the chart: codes and names, unique codes, sections and parents known,
    /// terms within bounds and a vigencia kept whole between trámite and concentración.
    pub fn check(&self) -> Result<(), Vec<ChartError>> {
        let mut problems = Vec::new();
        if self.series.len() > MAX_SERIES {
            return Err(vec![ChartError::TooMany]);
        }
        check_code("fondo", "clave", &self.fondo.code, &mut problems);
        check_name("fondo", "nombre", &self.fondo.name, &mut problems);
        let mut sections = BTreeSet::new();
        for s in &self.sections {
            let place = format!("sección {}", s.code);
            check_code(&place, "clave", &s.code, &mut problems);
            check_name(&place, "nombre", &s.name, &mut problems);
            if !sections.insert(s.code.as_str()) {
                problems.push(ChartError::Duplicate {
                    place,
                    code: s.code.clone(),
                });
            }
        }
        let codes: BTreeSet<&str> = self.series.iter().map(|s| s.code.as_str()).collect();
        let mut seen = BTreeSet::new();
        for (i, s) in self.series.iter().enumerate() {
            let place = format!("serie {} (línea {})", s.code, i + 1);
            problems.extend(s.check(&place));
            if !seen.insert(s.code.as_str()) {
                problems.push(ChartError::Duplicate {
                    place: place.clone(),
                    code: s.code.clone(),
                });
            }
            if !sections.contains(s.section.as_str()) {
                problems.push(ChartError::Unknown {
                    place: place.clone(),
                    what: "la sección",
                    code: s.section.clone(),
                });
            }
            if let Some(parent) = &s.parent
                && (!codes.contains(parent.as_str()) || parent == &s.code)
            {
                problems.push(ChartError::Unknown {
                    place,
                    what: "la serie",
                    code: parent.clone(),
                });
            }
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(problems)
        }
    }

    /// The catalog as CSV rows (header first), one per serie, for export; cells neutralized
    /// by [`crate::followup::to_csv`].
    pub fn to_rows(&self) -> Vec<Vec<String>> {
        let mut rows = vec![HEADER.iter().map(|h| (*h).to_owned()).collect::<Vec<_>>()];
        let section = |code: &str| {
            self.sections
                .iter()
                .find(|s| s.code == code)
                .map(|s| s.name.clone())
                .unwrap_or_default()
        };
        for s in &self.series {
            let t = s.terms;
            let years =
                |f: fn(&Terms) -> u16| t.as_ref().map(|t| f(t).to_string()).unwrap_or_default();
            rows.push(vec![
                self.fondo.code.clone(),
                self.fondo.name.clone(),
                s.section.clone(),
                section(&s.section),
                s.code.clone(),
                s.parent.clone().unwrap_or_default(),
                s.name.clone(),
                s.keeper.clone(),
                years(|t| t.administrative),
                years(|t| t.legal),
                years(|t| t.accounting),
                years(|t| t.tramite),
                years(|t| t.concentracion),
                s.destination.label().to_owned(),
                s.access.label().to_owned(),
                s.procedure.clone().unwrap_or_default(),
            ]);
        }
        rows
    }

    /// The catalog as CSV text.
    pub fn to_csv(&self) -> String {
        crate::followup::to_csv(&self.to_rows())
    }

    /// Reads a catalog written by [`Chart::to_csv`] (or edited from it): every problem of
    /// every line, or the chart; a chart with any problem is not built.
    pub fn from_csv(text: &str) -> Result<Chart, Vec<ChartError>> {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(true)
            .flexible(false)
            .from_reader(text.as_bytes());
        let header = reader
            .headers()
            .map_err(|e| vec![ChartError::Csv(format!("encabezado: {e}"))])?
            .clone();
        let found: Vec<String> = header.iter().map(crate::text::fold).collect();
        let wanted: Vec<String> = HEADER.iter().map(|h| crate::text::fold(h)).collect();
        if found != wanted {
            return Err(vec![ChartError::Csv(format!(
                "el encabezado debe ser: {}",
                HEADER.join(", ")
            ))]);
        }
        let mut problems = Vec::new();
        let mut fondo: Option<Fondo> = None;
        let mut sections: Vec<Section> = Vec::new();
        let mut series = Vec::new();
        for (i, record) in reader.records().enumerate() {
            let line = i + 2;
            let place = format!("línea {line}");
            if series.len() >= MAX_SERIES {
                return Err(vec![ChartError::TooMany]);
            }
            let record = match record {
                Ok(r) => r,
                Err(e) => {
                    problems.push(ChartError::Csv(format!("{place}: {e}")));
                    continue;
                }
            };
            let cell = |n: usize| {
                crate::sheet::unneutralized(record.get(n).unwrap_or("").trim()).to_owned()
            };
            let this_fondo = Fondo {
                code: cell(0),
                name: cell(1),
            };
            match &fondo {
                None => fondo = Some(this_fondo),
                Some(f) if *f != this_fondo => problems.push(ChartError::Field {
                    place: place.clone(),
                    field: "fondo",
                    reason: format!("el cuadro tiene un solo fondo, «{}»", f.code),
                }),
                Some(_) => {}
            }
            let section = Section {
                code: cell(2),
                name: cell(3),
            };
            match sections.iter().find(|s| s.code == section.code) {
                None => sections.push(section.clone()),
                Some(s) if s.name != section.name => problems.push(ChartError::Field {
                    place: place.clone(),
                    field: "nombre de la sección",
                    reason: format!("la sección {} ya se llamó «{}»", s.code, s.name),
                }),
                Some(_) => {}
            }
            let mut years = |n: usize, field: &'static str| -> Option<u16> {
                let text = cell(n);
                if text.is_empty() {
                    return None;
                }
                match text.parse::<u16>() {
                    Ok(y) => Some(y),
                    Err(_) => {
                        problems.push(ChartError::Field {
                            place: place.clone(),
                            field,
                            reason: format!("«{text}» no es un número entero de años"),
                        });
                        Some(0)
                    }
                }
            };
            let values = [
                years(8, "valor administrativo"),
                years(9, "valor legal"),
                years(10, "valor contable"),
                years(11, "trámite"),
                years(12, "concentración"),
            ];
            let terms = if values.iter().all(Option::is_none) {
                None
            } else {
                let [a, l, c, t, k] = values.map(|v| v.unwrap_or(0));
                Some(Terms {
                    administrative: a,
                    legal: l,
                    accounting: c,
                    tramite: t,
                    concentracion: k,
                })
            };
            let destination = Destination::parse(&cell(13)).unwrap_or_else(|| {
                problems.push(ChartError::Field {
                    place: place.clone(),
                    field: "destino final",
                    reason: "debe ser «Baja documental» o «Histórico»".into(),
                });
                Destination::Baja
            });
            let access = Access::parse(&cell(14)).unwrap_or_else(|| {
                problems.push(ChartError::Field {
                    place: place.clone(),
                    field: "clasificación",
                    reason: "debe ser «Pública», «Reservada» o «Confidencial»".into(),
                });
                Access::Publica
            });
            let optional = |s: String| (!s.is_empty()).then_some(s);
            series.push(Serie {
                code: cell(4),
                parent: optional(cell(5)),
                name: cell(6),
                keeper: cell(7),
                terms,
                destination,
                access,
                section: cell(2),
                procedure: optional(cell(15)),
            });
        }
        let Some(fondo) = fondo else {
            return Err(vec![ChartError::Csv("el archivo no tiene series".into())]);
        };
        let chart = Chart {
            fondo,
            sections,
            series,
        };
        if let Err(more) = chart.check() {
            problems.extend(more);
        }
        if problems.is_empty() {
            Ok(chart)
        } else {
            Err(problems)
        }
    }
}

/// The catalog file's columns.
pub const HEADER: [&str; 16] = [
    "Clave del fondo",
    "Fondo",
    "Clave de la sección",
    "Sección",
    "Clave de la serie",
    "Serie de la que es subserie",
    "Serie",
    "Responsable",
    "Valor administrativo (años)",
    "Valor legal (años)",
    "Valor contable (años)",
    "Trámite (años)",
    "Concentración (años)",
    "Destino final",
    "Clasificación",
    "Procedimiento",
];

impl Serie {
    /// The problems of one line of the chart.
    pub fn check(&self, place: &str) -> Vec<ChartError> {
        let mut problems = Vec::new();
        check_code(place, "clave", &self.code, &mut problems);
        check_name(place, "nombre", &self.name, &mut problems);
        check_name(place, "responsable", &self.keeper, &mut problems);
        if let Some(t) = &self.terms {
            for (field, years) in [
                ("valor administrativo", t.administrative),
                ("valor legal", t.legal),
                ("valor contable", t.accounting),
                ("trámite", t.tramite),
                ("concentración", t.concentracion),
            ] {
                if years > MAX_YEARS {
                    problems.push(ChartError::Field {
                        place: place.to_owned(),
                        field,
                        reason: format!("a lo más {MAX_YEARS} años"),
                    });
                }
            }
            let kept = t.tramite.saturating_add(t.concentracion);
            if t.vigencia() > kept {
                problems.push(ChartError::ShortKeeping {
                    place: place.to_owned(),
                    vigencia: t.vigencia(),
                    kept,
                });
            }
        }
        problems
    }
}

fn is_code(text: &str) -> bool {
    !text.is_empty()
        && text.len() <= MAX_CODE
        && text.chars().any(|c| c.is_ascii_digit())
        && text.chars().all(|c| {
            c.is_ascii_uppercase() || c.is_ascii_digit() || c == '.' || c == '-' || c == '/'
        })
}

fn check_code(place: &str, field: &'static str, code: &str, problems: &mut Vec<ChartError>) {
    let valid = !code.is_empty()
        && code.len() <= MAX_CODE
        && code
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '/' | '_'));
    if !valid {
        problems.push(ChartError::Field {
            place: place.to_owned(),
            field,
            reason: format!(
                "«{code}» no es una clave: de 1 a {MAX_CODE} letras sin acentos, dígitos, puntos, guiones o diagonales"
            ),
        });
    }
}

fn check_name(place: &str, field: &'static str, name: &str, problems: &mut Vec<ChartError>) {
    let reason = if name.trim().is_empty() {
        Some("no puede quedar vacío".to_owned())
    } else if name.chars().count() > MAX_NAME {
        Some(format!("a lo más {MAX_NAME} caracteres"))
    } else {
        control_reason(name, Lines::One)
    };
    if let Some(reason) = reason {
        problems.push(ChartError::Field {
            place: place.to_owned(),
            field,
            reason,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn serie(code: &str) -> Serie {
        Serie {
            code: code.into(),
            name: "Oficios".into(),
            section: "S".into(),
            parent: None,
            keeper: "Dirección".into(),
            terms: Some(Terms {
                administrative: 5,
                legal: 2,
                accounting: 0,
                tramite: 2,
                concentracion: 3,
            }),
            destination: Destination::Historico,
            access: Access::Reservada,
            procedure: None,
        }
    }

    fn chart() -> Chart {
        Chart {
            fondo: Fondo {
                code: "SS".into(),
                name: "Secretaría de Salud".into(),
            },
            sections: vec![Section {
                code: "S".into(),
                name: "Sección".into(),
            }],
            series: vec![serie("S.1"), serie("S.2")],
        }
    }

    #[test]
    fn a_catalog_written_reads_back_the_same() {
        let mut c = chart();
        c.series[1].parent = Some("S.1".into());
        c.series[1].terms = None;
        c.series[1].name = "=HYPERLINK(\"x\")".into();
        let text = c.to_csv();
        assert!(text.contains("'=HYPERLINK"), "{text}");
        assert_eq!(Chart::from_csv(&text), Ok(c));
    }

    #[test]
    fn every_problem_is_named_with_its_line() {
        let mut c = chart();
        c.series[0].terms.as_mut().unwrap().concentracion = 1;
        c.series[1].code = "S.1".into();
        c.series[1].section = "X".into();
        c.series[1].name = "a\u{0}b".into();
        let problems = c.check().unwrap_err();
        let text: Vec<String> = problems.iter().map(ToString::to_string).collect();
        assert!(
            text.iter()
                .any(|t| t.contains("línea 1") && t.contains("vigencia (5 años)")),
            "{text:?}"
        );
        assert!(
            text.iter().any(|t| t.contains("ya está en el cuadro")),
            "{text:?}"
        );
        assert!(
            text.iter().any(|t| t.contains("la sección «X»")),
            "{text:?}"
        );
        assert!(text.iter().any(|t| t.contains("nombre")), "{text:?}");
        let csv = c.to_csv();
        assert!(Chart::from_csv(&csv).is_err());
    }

    #[test]
    fn codes_of_the_manuals_are_told_from_their_placeholders() {
        assert!(is_code("CNPSS-91.1"));
        assert!(is_code("3S.2/5"));
        assert!(!is_code("No aplica"));
        assert!(!is_code("Fecha del evento"));
        assert!(!is_code("SS"));
    }

    #[test]
    fn labels_read_back() {
        assert_eq!(
            Destination::parse("historico"),
            Some(Destination::Historico)
        );
        assert_eq!(
            Destination::parse("HISTÓRICO"),
            Some(Destination::Historico)
        );
        assert_eq!(Access::parse("pública"), Some(Access::Publica));
        assert_eq!(Access::parse("secreta"), None);
    }
}
