//! The consistency check of indicator tables (`turno_domain::indicators`), by properties over
//! random series of periods: a consistent series has nothing to review, what is broken is
//! found, and the answer depends neither on the order the earlier tables come in nor on tables
//! that are not earlier.

use jiff::civil::{Date, date};
use proptest::prelude::*;
use std::collections::HashSet;
use turno_domain::indicators::{
    Indicator, IndicatorTable, Period, Threshold, Value, check, key_of, read, to_rows,
};

/// One indicator's values over the periods.
#[derive(Debug, Clone)]
struct Series {
    cumulative: bool,
    /// Ten-thousandths, one per period.
    values: Vec<i64>,
}

fn end(n: usize) -> Date {
    date(2020, 1, 31)
        .checked_add(jiff::Span::new().months(i64::try_from(n).unwrap()))
        .unwrap()
}

/// A series that never breaks the rules at 30 %: each value within ±20 % of the one before,
/// a cumulative one never lower.
fn consistent_series(periods: usize) -> impl Strategy<Value = Series> {
    (
        any::<bool>(),
        1_000i64..1_000_000_000,
        proptest::collection::vec(-20i64..=20, periods - 1),
    )
        .prop_map(|(cumulative, first, steps)| {
            let mut values = vec![first];
            for step in steps {
                let last = *values.last().unwrap();
                let step = if cumulative { step.abs() } else { step };
                values.push(last + last * step / 100);
            }
            Series { cumulative, values }
        })
}

/// Tables of `series` (each indicator its key `I{n}`), with a total `T` of the first two
/// when `with_total`, that adds them up exactly.
fn tables(series: &[Series], with_total: bool) -> Vec<IndicatorTable> {
    let periods = series[0].values.len();
    (0..periods)
        .map(|p| {
            let mut indicators: Vec<Indicator> = series
                .iter()
                .enumerate()
                .map(|(n, s)| Indicator {
                    key: format!("I{n}"),
                    name: format!("Indicador {n}"),
                    unit: "personas".into(),
                    value: Value::from_ten_thousandths(s.values[p]),
                    cumulative: s.cumulative,
                    total_of: (with_total && n < 2).then(|| "T".to_owned()),
                })
                .collect();
            if with_total {
                let sum = series[0].values[p] + series[1].values[p];
                indicators.push(Indicator {
                    key: "T".into(),
                    name: "Total".into(),
                    unit: "personas".into(),
                    value: Value::from_ten_thousandths(sum),
                    cumulative: false,
                    total_of: None,
                });
            }
            IndicatorTable {
                period: Period {
                    label: format!("Periodo {p}"),
                    end: end(p),
                },
                source: format!("CAS-2026-{p:06}"),
                indicators,
            }
        })
        .collect()
}

fn series_strategy() -> impl Strategy<Value = Vec<Series>> {
    (2usize..6).prop_flat_map(|periods| proptest::collection::vec(consistent_series(periods), 2..8))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn a_consistent_series_has_nothing_to_review(series in series_strategy(), with_total in any::<bool>()) {
        let tables = tables(&series, with_total);
        for (n, table) in tables.iter().enumerate() {
            let found = check(table, &tables[..n], Threshold::DEFAULT);
            // A total whose parts move within 20 % moves within 20 % too.
            prop_assert!(found.is_empty(), "{found:#?}");
        }
    }

    #[test]
    fn a_cumulative_value_that_falls_is_found(
        series in series_strategy(),
        which in any::<prop::sample::Index>(),
        drop in 1i64..1_000,
    ) {
        let mut tables = tables(&series, false);
        let last = tables.len() - 1;
        let cumulative: Vec<usize> = series
            .iter()
            .enumerate()
            .filter(|(_, s)| s.cumulative)
            .map(|(n, _)| n)
            .collect();
        prop_assume!(!cumulative.is_empty());
        let n = cumulative[which.index(cumulative.len())];
        let before = series[n].values[last - 1];
        tables[last].indicators[n].value = Value::from_ten_thousandths(before - drop);
        let found = check(&tables[last], &tables[..last], Threshold::DEFAULT);
        let key = format!("I{n}");
        let fell = found
            .iter()
            .find(|f| f.code() == "cumulative_fell" && f.key() == key)
            .expect("the fall is found");
        prop_assert_eq!(&fell.earlier().unwrap().period, &tables[last - 1].period);
        prop_assert_eq!(fell.earlier().unwrap().value.ten_thousandths(), before);
    }

    #[test]
    fn a_total_that_does_not_add_up_is_found(series in series_strategy(), off in 1i64..1_000_000) {
        let mut tables = tables(&series, true);
        let last = tables.len() - 1;
        let total = tables[last].indicators.len() - 1;
        let value = tables[last].indicators[total].value.ten_thousandths();
        tables[last].indicators[total].value = Value::from_ten_thousandths(value + off);
        let found = check(&tables[last], &[], Threshold::DEFAULT);
        prop_assert_eq!(found.len(), 1);
        prop_assert_eq!(found[0].code(), "total_mismatch");
    }

    #[test]
    fn the_order_of_earlier_tables_and_later_ones_do_not_matter(
        series in series_strategy(),
        seed in any::<u64>(),
        threshold in 1u32..=1000,
    ) {
        let tables = tables(&series, false);
        let threshold = Threshold::percent(threshold).unwrap();
        let at = tables.len() / 2;
        let plain = check(&tables[at], &tables[..at], threshold);
        // Every table in a shuffled order, the current one and later ones among them.
        let mut all = tables.clone();
        let mut state = seed;
        for i in (1..all.len()).rev() {
            state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            all.swap(i, (state >> 33) as usize % (i + 1));
        }
        prop_assert_eq!(check(&tables[at], &all, threshold), plain);
    }

    #[test]
    fn a_higher_threshold_never_tells_more_changes(
        values in proptest::collection::vec((1i64..1_000_000, 1i64..1_000_000), 1..20),
        low in 1u32..=1000,
        high in 1u32..=1000,
    ) {
        let (low, high) = (low.min(high), low.max(high));
        let table = |p: usize| IndicatorTable {
            period: Period { label: format!("P{p}"), end: end(p) },
            source: String::new(),
            indicators: values
                .iter()
                .enumerate()
                .map(|(n, v)| Indicator {
                    key: format!("I{n}"),
                    name: String::new(),
                    unit: "u".into(),
                    value: Value::from_ten_thousandths(if p == 0 { v.0 } else { v.1 }),
                    cumulative: false,
                    total_of: None,
                })
                .collect(),
        };
        let (before, now) = (table(0), table(1));
        let changes = |t: u32| {
            check(&now, std::slice::from_ref(&before), Threshold::percent(t).unwrap())
                .iter()
                .filter(|f| f.code() == "beyond_threshold")
                .map(|f| f.key().to_owned())
                .collect::<HashSet<_>>()
        };
        prop_assert!(changes(high).is_subset(&changes(low)));
    }

    #[test]
    fn missing_and_new_are_the_differences_with_the_period_before(
        before in proptest::collection::hash_set("[A-E][0-9]", 1..8),
        now in proptest::collection::hash_set("[A-E][0-9]", 1..8),
    ) {
        let table = |keys: &HashSet<String>, p: usize| IndicatorTable {
            period: Period { label: format!("P{p}"), end: end(p) },
            source: String::new(),
            indicators: keys
                .iter()
                .map(|k| Indicator {
                    key: k.clone(),
                    name: k.clone(),
                    unit: "u".into(),
                    value: Value::whole(1),
                    cumulative: false,
                    total_of: None,
                })
                .collect(),
        };
        let found = check(&table(&now, 1), &[table(&before, 0)], Threshold::DEFAULT);
        let of = |code: &str| found.iter().filter(|f| f.code() == code).map(|f| f.key().to_owned()).collect::<HashSet<_>>();
        prop_assert_eq!(of("missing"), before.difference(&now).cloned().collect::<HashSet<_>>());
        prop_assert_eq!(of("new"), now.difference(&before).cloned().collect::<HashSet<_>>());
    }

    #[test]
    fn a_table_written_reads_back(series in series_strategy(), with_total in any::<bool>()) {
        for table in tables(&series, with_total) {
            let text = turno_domain::followup::to_csv(&to_rows(&table.indicators));
            prop_assert_eq!(read("t.csv", text.as_bytes()).unwrap(), table.indicators);
        }
    }
}

#[test]
fn keys_match_without_case_or_accents() {
    assert_eq!(key_of(" Afiliación-1 "), key_of("AFILIACION-1"));
}
