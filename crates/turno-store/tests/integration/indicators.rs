//! The indicator tables of the informes oficiales on both backends (migration 0047): a report's
//! table stored per period with its case, read back exactly, replaced only by the case that
//! recorded it, the earlier periods of a report read latest first, and texts past their
//! columns' rules refused.

use crate::common::{Raw, new_report, seed_000, start_report};
use jiff::civil::date;
use turno_domain::indicators::{Indicator, Period, Value};
use turno_store::indicators::NewIndicatorTable;
use turno_store::{Indicators, Refusal, Store, StoreError};

fn indicator(key: &str, value: &str, cumulative: bool, total_of: Option<&str>) -> Indicator {
    Indicator {
        key: key.into(),
        name: format!("Indicador {key}"),
        unit: "personas".into(),
        value: Value::parse(value).unwrap(),
        cumulative,
        total_of: total_of.map(str::to_owned),
    }
}

fn table(folio: &str, end: jiff::civil::Date, indicators: Vec<Indicator>) -> NewIndicatorTable {
    NewIndicatorTable {
        case_folio: folio.into(),
        report: "Informe de afiliación".into(),
        report_key: "informe de afiliacion".into(),
        period: Period {
            label: format!("Corte al {end}"),
            end,
        },
        file_name: "indicadores.csv".into(),
        file_sha256: "ab".repeat(32),
        indicators,
    }
}

async fn tables_stored_per_period<S: Store + Indicators>(store: S, _raw: Raw) {
    let first = new_report(&store, "Informe del primer semestre").await;
    let (procedure, _) = seed_000();
    let second = start_report(&store, &procedure, "Informe del segundo semestre")
        .await
        .unwrap();
    let at = "2026-07-01T12:00:00Z";
    let h1 = table(
        &first.folio,
        date(2026, 6, 30),
        vec![
            indicator("AF", "1,200.5", true, None),
            indicator("AF-H", "-0.0001", false, Some("AF")),
        ],
    );
    let id = store.save_indicator_table(&h1, "ana", at).await.unwrap();
    let h2 = table(
        &second.folio,
        date(2026, 12, 31),
        vec![indicator("AF", "1300", true, None)],
    );
    store.save_indicator_table(&h2, "ana", at).await.unwrap();

    // Read back exactly, with its case as source.
    let of_first = store.indicator_tables_of_case(&first.folio).await.unwrap();
    assert_eq!(of_first.len(), 1);
    assert_eq!(of_first[0].id, id);
    assert_eq!(of_first[0].table.indicators, h1.indicators);
    assert_eq!(of_first[0].table.period, h1.period);
    assert_eq!(of_first[0].table.source, first.folio);
    assert_eq!(of_first[0].uploaded_by, "ana");

    // The earlier periods of the report, before a cut-off date, the latest first.
    let earlier = store
        .earlier_indicator_tables("informe de afiliacion", date(2027, 6, 30))
        .await
        .unwrap();
    let ends: Vec<_> = earlier.iter().map(|t| t.table.period.end).collect();
    assert_eq!(ends, [date(2026, 12, 31), date(2026, 6, 30)]);
    let earlier = store
        .earlier_indicator_tables("informe de afiliacion", date(2026, 12, 31))
        .await
        .unwrap();
    assert_eq!(earlier.len(), 1);
    assert!(
        store
            .earlier_indicator_tables("otro informe", date(2027, 6, 30))
            .await
            .unwrap()
            .is_empty()
    );

    // The case that recorded a period replaces it; another case is refused, nothing written.
    let corrected = table(
        &first.folio,
        date(2026, 6, 30),
        vec![indicator("AF", "1201", true, None)],
    );
    store
        .save_indicator_table(&corrected, "ana", at)
        .await
        .unwrap();
    let of_first = store.indicator_tables_of_case(&first.folio).await.unwrap();
    assert_eq!(of_first.len(), 1);
    assert_eq!(of_first[0].table.indicators, corrected.indicators);
    let taken = table(
        &second.folio,
        date(2026, 6, 30),
        vec![indicator("X", "1", false, None)],
    );
    match store.save_indicator_table(&taken, "ana", at).await {
        Err(StoreError::Refused(Refusal::IndicatorPeriodTaken { folio, period })) => {
            assert_eq!(folio, first.folio);
            assert_eq!(period, "2026-06-30");
        }
        other => panic!("expected the period taken, got {other:?}"),
    }
    assert_eq!(
        store
            .indicator_tables_of_case(&second.folio)
            .await
            .unwrap()
            .len(),
        1
    );

    // An indicator's name with a control character never reaches a row.
    let mut bad = table(
        &second.folio,
        date(2025, 12, 31),
        vec![indicator("B", "1", false, None)],
    );
    bad.indicators[0].name = "Con\u{7}campana".into();
    match store.save_indicator_table(&bad, "ana", at).await {
        Err(StoreError::Refused(Refusal::Text { .. })) => {}
        other => panic!("expected the text refused, got {other:?}"),
    }
    assert_eq!(
        store
            .indicator_tables_of_case(&second.folio)
            .await
            .unwrap()
            .len(),
        1
    );
}

on_both_backends!(tables_stored_per_period);
