//! The folio series `turno verify` checks: each counter of `folio_counters` against the
//! records that carry its numbers. Cases and petitions are counted apart, since each draws
//! from counters of its own; so are the outgoing documents' numbers, per issuing unit and year
//! (`outgoing_counters`, cancelled signed documents included); a series is reported whole (given, stored, missing), so that a
//! healthy database shows every series sound and a removed record names its series.

use crate::citizen::FOLIO_SCOPE;
use crate::correspondence::incoming::FOLIO_SCOPE as INCOMING_SCOPE;
use crate::model::{FolioSeries, SeriesKind};
use std::collections::BTreeMap;

/// Reads every counter, the cases grouped by series and procedure, and the petitions and the
/// incoming documents grouped by year: the same SQL on both backends.
pub(crate) const COUNTERS: &str = "SELECT scope, year, last FROM folio_counters";

/// `in_range`: records whose number is one the counter gave (1 to its last). The cases moved
/// to the archive's tables (`archive_move`) count with those in the working tables.
pub(crate) const CASES: &str = "SELECT c.folio_scope, c.folio_year, c.procedure_key, COUNT(*), \
     SUM(CASE WHEN c.folio_number BETWEEN 1 AND f.last THEN 1 ELSE 0 END) \
     FROM (SELECT folio_scope, folio_year, folio_number, procedure_key FROM cases UNION ALL \
     SELECT folio_scope, folio_year, folio_number, procedure_key FROM archived_cases) c \
     LEFT JOIN folio_counters f ON f.scope = c.folio_scope AND f.year = c.folio_year \
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

/// The outgoing documents' counters (`outgoing_counters`), one per issuing unit and year, by
/// the unit's code.
pub(crate) const OUTGOING_COUNTERS: &str = "SELECT u.code, c.year, c.last \
     FROM outgoing_counters c JOIN units u ON u.id = c.unit_id";

/// The numbered outgoing documents (signed, dispatched or cancelled after signing) by unit and
/// year. `in_range` counts distinct consecutives the counter gave, so that two documents
/// carrying one consecutive leave another one missing.
pub(crate) const OUTGOING: &str = "SELECT u.code, d.number_year, COUNT(*), \
     COUNT(DISTINCT CASE WHEN d.number_n BETWEEN 1 AND c.last THEN d.number_n END) \
     FROM outgoing_documents d JOIN units u ON u.id = d.unit_id \
     LEFT JOIN outgoing_counters c ON c.unit_id = d.unit_id AND c.year = d.number_year \
     WHERE d.number_n IS NOT NULL GROUP BY u.code, d.number_year";

/// The rows a verification reads: [`COUNTERS`], [`CASES`], [`PETITIONS`], [`INCOMING`],
/// [`OUTGOING_COUNTERS`] and [`OUTGOING`].
#[derive(Debug, Default)]
pub(crate) struct Read {
    pub counters: Vec<(String, i64, i64)>,
    pub cases: Vec<(String, i64, String, i64, i64)>,
    pub petitions: Vec<(i64, i64, i64)>,
    pub incoming: Vec<(i64, i64, i64)>,
    pub outgoing_counters: Vec<(String, i64, i64)>,
    pub outgoing: Vec<(String, i64, i64, i64)>,
}

/// The series of the rows read: a counter without records, and records without a counter,
/// are series too.
pub(crate) fn series(read: Read) -> Vec<FolioSeries> {
    let Read {
        counters,
        cases,
        petitions,
        incoming,
        outgoing_counters,
        outgoing,
    } = read;
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
    for (unit, year, last) in outgoing_counters {
        entry(&mut all, SeriesKind::Outgoing, unit, year).0.given = last;
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
    for (unit, year, stored, in_range) in outgoing {
        let (series, given_and_stored) = entry(&mut all, SeriesKind::Outgoing, unit, year);
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
        let found = series(Read {
            counters: vec![
                ("CAS".into(), 2026, 3),
                ("VT".into(), 2026, 1),
                ("AC".into(), 2026, 5),
                ("CE".into(), 2026, 2),
            ],
            cases: vec![
                ("CAS".into(), 2026, "sidss-informes-oficiales".into(), 3, 3),
                ("VT".into(), 2026, "sinac-volante".into(), 1, 1),
            ],
            petitions: vec![(2026, 5, 5)],
            incoming: vec![(2026, 2, 2)],
            outgoing_counters: vec![("SIDSS-ST".into(), 2026, 2)],
            outgoing: vec![("SIDSS-ST".into(), 2026, 2, 2)],
        });
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
                (SeriesKind::Outgoing, "SIDSS-ST 2026".into(), true),
            ]
        );
        assert_eq!(found[1].procedures, ["sinac-volante"]);
    }

    #[test]
    fn a_removed_added_or_renumbered_record_breaks_its_series() {
        // Petition 2 removed.
        let removed = &series(Read {
            counters: vec![("AC".into(), 2026, 5)],
            petitions: vec![(2026, 4, 4)],
            ..Read::default()
        })[0];
        assert_eq!((removed.given, removed.stored, removed.missing), (5, 4, 1));
        assert!(!removed.is_sound());
        // A case numbered 4 by hand, past the counter's 3.
        let added = &series(Read {
            counters: vec![("CAS".into(), 2026, 3)],
            cases: vec![("CAS".into(), 2026, "p".into(), 4, 3)],
            ..Read::default()
        })[0];
        assert_eq!((added.given, added.stored, added.missing), (3, 4, 0));
        assert!(!added.is_sound());
        // Case 2 renumbered 7: as many records as numbers, one of them not given.
        let moved = &series(Read {
            counters: vec![("CAS".into(), 2026, 3)],
            cases: vec![("CAS".into(), 2026, "p".into(), 3, 2)],
            ..Read::default()
        })[0];
        assert_eq!((moved.stored, moved.missing), (3, 1));
        assert!(!moved.is_sound());
        // Records whose counter was removed.
        let orphan = &series(Read {
            petitions: vec![(2025, 2, 0)],
            ..Read::default()
        })[0];
        assert_eq!(
            (orphan.kind, orphan.given, orphan.stored),
            (SeriesKind::Petitions, 0, 2)
        );
        assert!(!orphan.is_sound());
    }

    #[test]
    fn an_outgoing_number_removed_repeated_or_a_counter_changed_breaks_its_unit_and_year() {
        let one = |counter: i64, stored: i64, distinct: i64| {
            series(Read {
                outgoing_counters: vec![("SIDSS-ST".into(), 2026, counter)],
                outgoing: vec![("SIDSS-ST".into(), 2026, stored, distinct)],
                ..Read::default()
            })
            .remove(0)
        };
        let sound = one(3, 3, 3);
        assert_eq!(sound.kind, SeriesKind::Outgoing);
        assert!(sound.is_sound());
        // Number 2 deleted.
        assert!(!one(3, 2, 2).is_sound());
        // Numbers 1, 1 and 3: as many documents as numbers given, 2 missing.
        let repeated = one(3, 3, 2);
        assert_eq!(repeated.missing, 1);
        assert!(!repeated.is_sound());
        // The counter set back (3 documents, counter 2) or ahead (counter 4).
        assert!(!one(2, 3, 2).is_sound());
        assert!(!one(4, 3, 3).is_sound());
        // Another unit's series is its own.
        let two = series(Read {
            outgoing_counters: vec![("A".into(), 2026, 1), ("B".into(), 2026, 1)],
            outgoing: vec![("A".into(), 2026, 1, 1)],
            ..Read::default()
        });
        let sound: Vec<_> = two.iter().map(|s| (s.name(), s.is_sound())).collect();
        assert_eq!(sound, [("A 2026".into(), true), ("B 2026".into(), false)]);
    }
}
