//! The archive's documents as rows of cells, for every format (CSV, XLSX, PDF): an expediente's
//! carátula (cover sheet) and a list's inventory (transferencia primaria or secundaria, baja
//! documental).

use super::calendar::{Due, Location, end_of_concentracion, end_of_tramite};
use super::chart::{Chart, Serie};
use super::list::List;
use crate::text::day;
use jiff::civil::Date;

/// An expediente as its carátula and an inventory show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expediente<'a> {
    pub number: &'a str,
    pub serie: &'a Serie,
    pub title: &'a str,
    pub opened_on: Date,
    pub closed_on: Option<Date>,
    pub location: Location,
    /// How many documents it holds (those of its cases and those classified on their own).
    pub documents: i64,
}

fn years(n: u16) -> String {
    if n == 1 {
        "1 año".into()
    } else {
        format!("{n} años")
    }
}

/// The carátula: one row per field, «Campo» and «Valor».
pub fn cover(chart: &Chart, e: &Expediente) -> Vec<Vec<String>> {
    let section = chart
        .sections
        .iter()
        .find(|s| s.code == e.serie.section)
        .map_or_else(
            || e.serie.section.clone(),
            |s| format!("{} {}", s.code, s.name),
        );
    let terms = e.serie.terms;
    let term =
        |f: fn(&super::Terms) -> u16| terms.as_ref().map_or("Por valorar".into(), |t| years(f(t)));
    let mut rows = vec![
        vec!["Campo".to_owned(), "Valor".to_owned()],
        vec![
            "Fondo".into(),
            format!("{} {}", chart.fondo.code, chart.fondo.name),
        ],
        vec!["Sección".into(), section],
        vec!["Serie".into(), format!("{} {}", e.serie.code, e.serie.name)],
    ];
    if let Some(parent) = &e.serie.parent {
        rows.push(vec!["Subserie de".into(), parent.clone()]);
    }
    rows.extend([
        vec!["Número de expediente".into(), e.number.to_owned()],
        vec!["Título".into(), e.title.to_owned()],
        vec!["Fecha de apertura".into(), day(e.opened_on)],
        vec![
            "Fecha de cierre".into(),
            e.closed_on.map_or("Abierto".into(), day),
        ],
        vec!["Valor administrativo".into(), term(|t| t.administrative)],
        vec!["Valor legal".into(), term(|t| t.legal)],
        vec!["Valor contable".into(), term(|t| t.accounting)],
        vec!["Archivo de trámite".into(), term(|t| t.tramite)],
        vec!["Archivo de concentración".into(), term(|t| t.concentracion)],
        vec!["Destino final".into(), e.serie.destination.label().into()],
        vec![
            "Clasificación de la información".into(),
            e.serie.access.label().into(),
        ],
        vec!["Ubicación".into(), e.location.label().into()],
        vec!["Número de documentos".into(), e.documents.to_string()],
    ]);
    if let (Some(closed), Some(t)) = (e.closed_on, terms.as_ref()) {
        rows.push(vec![
            "Fin del plazo en trámite".into(),
            day(end_of_tramite(closed, t)),
        ]);
        rows.push(vec![
            "Fin de la vigencia".into(),
            day(end_of_concentracion(closed, t)),
        ]);
    }
    rows
}

/// A list's inventory: its header, then one row per expediente with the day its term ended.
pub fn inventory(list: &List, lines: &[(Expediente, Option<Due>)]) -> Vec<Vec<String>> {
    let mut rows = vec![
        [
            "Núm.",
            "Expediente",
            "Serie",
            "Título",
            "Apertura",
            "Cierre",
            "Documentos",
            "Vigencia cumplida el",
            "Destino final",
        ]
        .map(String::from)
        .to_vec(),
    ];
    for (n, (e, due)) in lines.iter().enumerate() {
        rows.push(vec![
            (n + 1).to_string(),
            e.number.to_owned(),
            format!("{} {}", e.serie.code, e.serie.name),
            e.title.to_owned(),
            day(e.opened_on),
            e.closed_on.map_or(String::new(), day),
            e.documents.to_string(),
            due.map_or(String::new(), |d| day(d.on)),
            e.serie.destination.label().to_owned(),
        ]);
    }
    let approval = match (&list.approved_by, &list.approved_at) {
        (Some(by), Some(at)) => format!("Aprobada por {by} el {at}"),
        _ => "Sin aprobar".to_owned(),
    };
    rows.push(vec![
        String::new(),
        format!("{} {}", list.kind.label(), list.number),
        String::new(),
        approval,
    ]);
    rows
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::archive::{Access, Destination, Fondo, Move, Section, Terms};
    use jiff::civil::date;

    #[test]
    fn the_cover_sheet_names_every_field_with_its_dates_and_terms() {
        let serie = Serie {
            code: "S.1".into(),
            name: "Oficios".into(),
            section: "S".into(),
            parent: None,
            keeper: "Dirección".into(),
            terms: Some(Terms {
                administrative: 2,
                legal: 3,
                accounting: 0,
                tramite: 1,
                concentracion: 2,
            }),
            destination: Destination::Historico,
            access: Access::Reservada,
            procedure: None,
        };
        let chart = Chart {
            fondo: Fondo {
                code: "SS".into(),
                name: "Secretaría de Salud".into(),
            },
            sections: vec![Section {
                code: "S".into(),
                name: "Seguimiento".into(),
            }],
            series: vec![serie.clone()],
        };
        let e = Expediente {
            number: "S.1/2024/3",
            serie: &serie,
            title: "Oficios de 2024",
            opened_on: date(2024, 1, 8),
            closed_on: Some(date(2024, 2, 29)),
            location: Location::Tramite,
            documents: 12,
        };
        let rows = cover(&chart, &e);
        let value = |field: &str| rows.iter().find(|r| r[0] == field).unwrap()[1].clone();
        assert_eq!(value("Fondo"), "SS Secretaría de Salud");
        assert_eq!(value("Sección"), "S Seguimiento");
        assert_eq!(value("Fecha de cierre"), "29/02/2024");
        assert_eq!(value("Valor legal"), "3 años");
        assert_eq!(value("Archivo de trámite"), "1 año");
        assert_eq!(value("Clasificación de la información"), "Reservada");
        assert_eq!(value("Número de documentos"), "12");
        assert_eq!(value("Fin del plazo en trámite"), "28/02/2025");
        assert_eq!(value("Fin de la vigencia"), "28/02/2027");
        let list = List::new("T-1".into(), Move::Primaria, vec![1]).unwrap();
        let inventory = inventory(&list, &[(e, None)]);
        assert_eq!(inventory.len(), 3);
        assert_eq!(inventory[1][1], "S.1/2024/3");
        assert_eq!(inventory[2][3], "Sin aprobar");
    }
}
