//! The archive's chart and catalog seeded from the procedures' own Registros.

use crate::common::seed_library;
use turno_domain::archive::{Chart, Destination, Fondo, Location, Move, next, plus_years};
use turno_domain::definition::model::Retention;

fn seeded() -> Chart {
    Chart::seed(
        Fondo {
            code: "SS".into(),
            name: "Secretaría de Salud".into(),
        },
        seed_library(),
    )
}

#[test]
fn every_record_of_every_procedure_is_a_serie_with_its_years() {
    let chart = seeded();
    assert_eq!(chart.check(), Ok(()));
    let library = seed_library();
    let keeping = library
        .newest()
        .filter(|p| p.records.iter().any(|r| r.name != "No aplica"))
        .count();
    assert_eq!(chart.sections.len(), keeping);
    // Procedure sidss-informes-oficiales writes «No aplica» in its Registros: no sección.
    assert!(keeping < library.newest().count());
    assert!(chart.default_serie("sidss-informes-oficiales").is_none());
    let mut records = 0;
    for procedure in library.newest() {
        let section = procedure.key.to_uppercase();
        let kept: Vec<_> = procedure
            .records
            .iter()
            .filter(|r| r.name != "No aplica")
            .collect();
        records += kept.len();
        let series: Vec<_> = chart
            .series
            .iter()
            .filter(|s| s.section == section)
            .collect();
        assert_eq!(series.len(), kept.len(), "{section}");
        for (serie, record) in series.iter().zip(&kept) {
            assert_eq!(serie.name, record.name);
            assert_eq!(serie.keeper, record.keeper);
            assert_eq!(serie.procedure.as_deref(), Some(procedure.key.as_str()));
            let years = match record.retention {
                Retention::Years(y) => y,
                Retention::Months(m) => m.div_ceil(12),
                Retention::NotApplicable => {
                    assert_eq!(serie.terms, None);
                    continue;
                }
            };
            let terms = serie.terms.unwrap();
            assert_eq!(
                (terms.vigencia(), terms.tramite),
                (years, years),
                "{}",
                serie.code
            );
        }
    }
    assert_eq!(chart.series.len(), records);
    // The manuals write «No aplica» where a record has no code: the serie is numbered.
    let difusion = chart.serie("CNPSS-91.3").unwrap();
    assert_eq!(difusion.name, "Órdenes de inserción");
    assert_eq!(difusion.terms.unwrap().tramite, 5);
    // A procedure's cases default to its first record's serie.
    assert_eq!(chart.default_serie("cnpss-91").unwrap().code, "CNPSS-91.1");
}

#[test]
fn the_seeded_catalog_exports_and_imports_unchanged_and_drives_the_calendar() {
    let chart = seeded();
    assert_eq!(Chart::from_csv(&chart.to_csv()), Ok(chart.clone()));
    let serie = chart.serie("CNPSS-91.1").unwrap();
    let closed = jiff::civil::date(2021, 6, 30);
    let due = next(
        Location::Tramite,
        Some(closed),
        serie.terms.as_ref(),
        serie.destination,
    )
    .unwrap();
    assert_eq!(due.action, Move::Baja);
    assert_eq!(due.on, jiff::civil::date(2026, 6, 30));
    assert_eq!(due.on, plus_years(closed, 5));
    assert_eq!(serie.destination, Destination::Baja);
}
