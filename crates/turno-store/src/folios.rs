//! The folio series `turno verify` checks: each counter of `folio_counters` against the
//! records that carry its numbers. Cases and petitions are counted apart, since each draws
//! from counters of its own; a series is reported whole (given, stored, missing), so that a
//! healthy database shows every series sound and a removed record names its series.

use crate::citizen::FOLIO_SCOPE;
use crate::correspondence::incoming::FOLIO_SCOPE as INCOMING_SCOPE;
use crate::model::{FolioSeries, SeriesKind};
use std::collections::BTreeMap;

/// Reads every counter, the cases grouped by series and procedure, and the petitions and the
/// incoming documents grouped by year: the same SQL on both backends.
pub(crate) const COUNTERS: &str = "SELECT scope, year, last FROM folio_counters";

/// `in_range`: records whose number is one the counter gave (1 to its last).
pub(crate) const CASES: &str = "SELECT c.folio_scope, c.folio_year, c.procedure_key, COUNT(*), \
     SUM(CASE WHEN c.folio_number BETWEEN 1 AND f.last THEN 1 ELSE 0 END) \
     FROM cases c LEFT JOIN folio_counters f ON f.scope = c.folio_scope AND f.year = c.folio_year \
     GROUP BY c.folio_scope, c.folio_year, c.procedure_key";

/// `$1` is the petitions' scope.
pub(crate) const PETITIONS: &str = "SELECT p.folio_year, COUNT(*), \
     SUM(CASE WHEN p.folio_number BETWEEN 1 AND f.last THEN 1 ELSE 0 END) \
     FROM petitions p LEFT JOIN folio_counters f ON f.scope = $1 AND f.year = p.folio_year \
     GROUP BY p.folio_year";

/// `$1` is the incoming documents' scope.
pub(crate) const INCOMING: &str = "SELECT d.folio_year, COUNT(*), \
     SUM(CASE WHEN d.folio_number BETWEEN 1 AND f.last THEN 1 ELSE 0 END) \
     FROM incoming_documents d LEFT JOIN folio_counters f ON f.scope = $1 \
     AND f.year = d.folio_year GROUP BY d.folio_year";

/// The series of the rows read by [`COUNTERS`], [`CASES`], [`PETITIONS`] and [`INCOMING`]: a counter
/// without records, and records without a counter, are series too.
pub(crate) fn series(
    counters: Vec<(String, i64, i64)>,
    cases: Vec<(String, i64, String, i64, i64)>,
    petitions: Vec<(i64, i64, i64)>,
    incoming: Vec<(i64, i64, i64)>,
) -> Vec<FolioSeries> {
    type Key = (SeriesKind, String, i64);
    // Each series with how many of its records carry a number given.
    fn entry(
        all: &mut BTreeMap<Key, (FolioSeries, i64)>,
        kind: SeriesKind,
        scope: String,
        year: i64,
    ) -> &mut (FolioSeries, i64) {
        all.entry((kind, scope.clone(), year)).or_insert_with(|| {
            let series = FolioSeries {
                kind,
                scope,
                year,
                procedures: Vec::new(),
                given: 0,
                stored: 0,
                missing: 0,
            };
            (series, 0)
        })
    }
    let mut all = BTreeMap::new();
    for (scope, year, last) in counters {
        let kind = match scope.as_str() {
            FOLIO_SCOPE => SeriesKind::Petitions,
            INCOMING_SCOPE => SeriesKind::Incoming,
            _ => SeriesKind::Cases,
        };
        entry(&mut all, kind, scope, year).0.given = last;
    }
    for (scope, year, procedure, stored, in_range) in cases {
        let (series, given_and_stored) = entry(&mut all, SeriesKind::Cases, scope, year);
        series.procedures.push(procedure);
        series.stored += stored;
        *given_and_stored += in_range;
    }
    let records = (petitions.into_iter())
        .map(|row| (SeriesKind::Petitions, FOLIO_SCOPE, row))
        .chain(
            incoming
                .into_iter()
                .map(|row| (SeriesKind::Incoming, INCOMING_SCOPE, row)),
        );
    for (kind, scope, (year, stored, in_range)) in records {
        let (series, given_and_stored) = entry(&mut all, kind, scope.into(), year);
        series.stored += stored;
        *given_and_stored += in_range;
    }
    all.into_values()
        .map(|(mut series, given_and_stored)| {
            series.procedures.sort();
            series.missing = series.given - given_and_stored;
            series
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cases_and_petitions_are_counted_apart() {
        let found = series(
            vec![
                ("CAS".into(), 2026, 3),
                ("VT".into(), 2026, 1),
                ("AC".into(), 2026, 5),
                ("CE".into(), 2026, 2),
            ],
            vec![
                ("CAS".into(), 2026, "sidss-informes-oficiales".into(), 3, 3),
                ("VT".into(), 2026, "sinac-volante".into(), 1, 1),
            ],
            vec![(2026, 5, 5)],
            vec![(2026, 2, 2)],
        );
        let names: Vec<(SeriesKind, String, bool)> = found
            .iter()
            .map(|s| (s.kind, s.name(), s.is_sound()))
            .collect();
        assert_eq!(
            names,
            [
                (SeriesKind::Cases, "CAS-2026".into(), true),
                (SeriesKind::Cases, "VT-2026".into(), true),
                (SeriesKind::Petitions, "AC-2026".into(), true),
                (SeriesKind::Incoming, "CE-2026".into(), true),
            ]
        );
        assert_eq!(found[1].procedures, ["sinac-volante"]);
    }

    #[test]
    fn a_removed_added_or_renumbered_record_breaks_its_series() {
        // Petition 2 removed.
        let removed = &series(
            vec![("AC".into(), 2026, 5)],
            vec![],
            vec![(2026, 4, 4)],
            vec![],
        )[0];
        assert_eq!((removed.given, removed.stored, removed.missing), (5, 4, 1));
        assert!(!removed.is_sound());
        // A case numbered 4 by hand, past the counter's 3.
        let added = &series(
            vec![("CAS".into(), 2026, 3)],
            vec![("CAS".into(), 2026, "p".into(), 4, 3)],
            vec![],
            vec![],
        )[0];
        assert_eq!((added.given, added.stored, added.missing), (3, 4, 0));
        assert!(!added.is_sound());
        // Case 2 renumbered 7: as many records as numbers, one of them not given.
        let moved = &series(
            vec![("CAS".into(), 2026, 3)],
            vec![("CAS".into(), 2026, "p".into(), 3, 2)],
            vec![],
            vec![],
        )[0];
        assert_eq!((moved.stored, moved.missing), (3, 1));
        assert!(!moved.is_sound());
        // Records whose counter was removed.
        let orphan = &series(vec![], vec![], vec![(2025, 2, 0)], vec![])[0];
        assert_eq!(
            (orphan.kind, orphan.given, orphan.stored),
            (SeriesKind::Petitions, 0, 2)
        );
        assert!(!orphan.is_sound());
    }
}
