//! Large synthetic data for the benchmarks (the store's and the web's): many open cases
//! spread over units, written in bulk; and one event of every kind for the tests of their
//! stored and API forms. Not used by the application.

use crate::backend::AnyStore;
use crate::error::StoreError;
use crate::store::Store;
use jiff::Timestamp;
use jiff::civil::date;
use std::collections::BTreeMap;
use turno_domain::calendar::Regime;
use turno_domain::definition::{ActivityId, DayKind, ParticipantId, Procedure};
use turno_domain::engine::{Actor, DueBasis, Event, Signature, Value, WorkItemId};

/// Seed 000 (its text, `seed`) under another key and folio prefix (`sidss-plazos`, `PLZ`),
/// with a term of 10 natural days on 1.1: for the tests of what is due and when.
pub fn timed_seed(seed: &str) -> String {
    seed.replacen(
        "key = \"sidss-informes-oficiales\"",
        "key = \"sidss-plazos\"",
        1,
    )
    .replacen("folio_prefix = \"CAS\"", "folio_prefix = \"PLZ\"", 1)
    .replacen(
        "[[stages.activities]]\nnumber = \"1.2\"",
        "[stages.activities.deadline]\nterm = \"10 días naturales\"\n\n\
         [[stages.activities]]\nnumber = \"1.2\"",
        1,
    )
}

/// `cases` open cases of `procedure` (published here from `source`), one open work item each
/// at its first activity, turned to units `U0` … `U{units-1}` in turn, due dates spread over a
/// year. For an empty database.
pub async fn fill_inbox(
    store: &AnyStore,
    procedure: &Procedure,
    source: &str,
    cases: u64,
    units: u64,
) -> Result<(), StoreError> {
    store
        .publish_procedure(procedure, source, jiff::Timestamp::now())
        .await?;
    fill_cases(store, (1, cases), |series| {
        fill_sql(series, units, procedure)
    })
    .await
}

/// Runs the `statements` over a series of case numbers `i` from `first` to `last` in one
/// transaction, the cases' ids going on after them, then refreshes the planner's statistics.
async fn fill_cases(
    store: &AnyStore,
    (first, last): (u64, u64),
    statements: impl Fn(&str) -> String,
) -> Result<(), StoreError> {
    match store {
        AnyStore::Sqlite(s) => {
            let series = format!(
                "WITH RECURSIVE n(i) AS (SELECT {first} UNION ALL SELECT i + 1 FROM n \
                 WHERE i < {last}) SELECT i FROM n"
            );
            let mut tx = s.writer.begin().await?;
            sqlx::raw_sql(&statements(&series))
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
        }
        AnyStore::Postgres(s) => {
            let series = format!("SELECT generate_series({first}, {last}) AS i");
            let mut tx = s.writer.begin().await?;
            sqlx::raw_sql(&statements(&series))
                .execute(&mut *tx)
                .await?;
            // The ids were given here: the sequence must go on after them, as SQLite's does.
            sqlx::raw_sql(
                "SELECT setval(pg_get_serial_sequence('cases', 'id'), (SELECT max(id) FROM cases))",
            )
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
        }
    }
    analyze(store).await
}

/// The statements, over a `series` of case numbers `i`. Only numbers and the procedure's own
/// key and first activity (checked identifiers, no quotes) are spliced in.
fn fill_sql(series: &str, units: u64, procedure: &Procedure) -> String {
    let key = &procedure.key;
    let version = procedure.version;
    let activity = &procedure.activity(procedure.first_activity()).number;
    // Months 01–12 and days 01–28, zero-padded, so that the dates are real dates.
    let due = "'2026-' || ((i % 12 + 1) / 10) || ((i % 12 + 1) % 10) || '-' \
               || ((i % 28 + 1) / 10) || ((i % 28 + 1) % 10)";
    format!(
        "INSERT INTO cases (id, folio, folio_scope, folio_year, folio_number, procedure_key, \
           procedure_version, title, status, fields, created_at, version, head_hash, state) \
           SELECT i, 'B-' || i, 'B', 2026, i, '{key}', {version}, 'Asunto ' || i, 'open', '{{}}', \
           '2026-01-01T00:00:00Z', 2, 'x', '' FROM ({series}) s; \
         INSERT INTO work_items (case_id, item, activity, opened_at, due, state) \
           SELECT i, 1, '{activity}', '2026-01-01T00:00:00Z', {due}, 'open' FROM ({series}) s; \
         INSERT INTO work_item_units (unit_code, case_id, item, due, open) \
           SELECT 'U' || (i % {units}), i, 1, {due}, TRUE FROM ({series}) s;"
    )
}

/// `cases` cases of seed 000 (`procedure`, published here from `source`) over `units` units
/// (at least 10), for the tableros' benchmark (BENCHMARKS.md «Tableros») and tests: the text of
/// `benches/fill/tablero-postgres.sql` or `tablero-sqlite.sql` (which say what they write),
/// run with its `:cases` and `:units` replaced: the rows in the state the commands leave and
/// the tableros' sums grouped once, with the triggers and the indexes (but keys) of `cases`,
/// `work_items` and `work_item_units` out of the way (PostgreSQL's file does that itself; for
/// SQLite, which cannot turn a trigger off, they are dropped here and made again from their
/// text afterwards). For an empty database; on PostgreSQL, as a superuser.
pub async fn fill_tablero(
    store: &AnyStore,
    procedure: &Procedure,
    source: &str,
    cases: u64,
    units: u64,
) -> Result<(), StoreError> {
    store
        .publish_procedure(procedure, source, jiff::Timestamp::now())
        .await?;
    let fill = |text: &str| {
        text.replace(":cases", &cases.to_string())
            .replace(":units", &units.max(10).to_string())
    };
    match store {
        AnyStore::Sqlite(s) => {
            let mut tx = s.writer.begin().await?;
            let kept: Vec<(String, String, String)> = sqlx::query_as(
                "SELECT type, name, sql FROM sqlite_master WHERE type IN ('index', 'trigger') \
                 AND sql IS NOT NULL AND tbl_name IN ('cases', 'work_items', 'work_item_units')",
            )
            .fetch_all(&mut *tx)
            .await?;
            for (kind, name, _) in &kept {
                sqlx::raw_sql(&format!("DROP {kind} \"{name}\""))
                    .execute(&mut *tx)
                    .await?;
            }
            sqlx::raw_sql(&fill(include_str!("../benches/fill/tablero-sqlite.sql")))
                .execute(&mut *tx)
                .await?;
            for (_, _, sql) in &kept {
                sqlx::raw_sql(sql).execute(&mut *tx).await?;
            }
            tx.commit().await?;
            sqlx::raw_sql("ANALYZE").execute(&s.writer).await?;
        }
        AnyStore::Postgres(s) => {
            let mut tx = s.writer.begin().await?;
            sqlx::raw_sql(&fill(include_str!("../benches/fill/tablero-postgres.sql")))
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            sqlx::raw_sql("VACUUM ANALYZE").execute(&s.writer).await?;
        }
    }
    Ok(())
}

/// `closed` closed cases of `procedure` (published already) after the first `after` ids, for
/// the archive's benchmark (`benches/archive_move.rs`): six events each (chained by made-up
/// hashes: not for `turno verify`), six work items done and the units that saw them (`U0` …
/// `U{units-1}`), all classified into one expediente in concentración, as after a
/// transferencia primaria.
pub async fn fill_history(
    store: &AnyStore,
    procedure: &Procedure,
    after: u64,
    closed: u64,
    units: u64,
) -> Result<(), StoreError> {
    let numbers = (after + 1, after + closed);
    fill_cases(store, numbers, |series| {
        history_sql(series, procedure, units.max(1))
    })
    .await
}

/// Refreshes the planner's statistics, as autovacuum (PostgreSQL) or a periodic `ANALYZE`
/// (SQLite) would after a bulk change.
pub async fn analyze(store: &AnyStore) -> Result<(), StoreError> {
    match store {
        AnyStore::Sqlite(s) => sqlx::raw_sql("ANALYZE")
            .execute(&s.writer)
            .await
            .map(drop)?,
        AnyStore::Postgres(s) => sqlx::raw_sql("VACUUM ANALYZE")
            .execute(&s.writer)
            .await
            .map(drop)?,
    }
    Ok(())
}

/// [`fill_history`]'s statements over a `series` of case numbers `i` (numbers and the
/// procedure's checked key only).
fn history_sql(series: &str, procedure: &Procedure, units: u64) -> String {
    let key = &procedure.key;
    let version = procedure.version;
    let six = "(SELECT 1 AS k UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4 \
               UNION ALL SELECT 5 UNION ALL SELECT 6) ks";
    let payload = "'{\"event\":\"work_completed\",\"item\":' || k || ',\"at\":\"2020-03-02T16:00:00Z\",\
                   \"on\":\"2020-03-02\",\"by\":{\"user\":\"ana\",\"participant\":1},\
                   \"outcome\":null,\"fields\":{},\"observations\":\"Sin observaciones\"}'";
    format!(
        "INSERT INTO cases (id, folio, folio_scope, folio_year, folio_number, procedure_key, \
           procedure_version, title, status, fields, created_at, closed_at, version, head_hash, \
           state) \
           SELECT i, 'H-' || i, 'H', 2020, i, '{key}', {version}, 'Asunto histórico ' || i, \
           'ended', '{{}}', '2020-01-01T00:00:00Z', '2020-03-02T16:00:00Z', 6, \
           'h' || i || '-6', '{{}}' FROM ({series}) s; \
         INSERT INTO events (case_id, seq, kind, payload, actor, recorded_at, prev_hash, hash, \
           schema_version) \
           SELECT i, k, 'work_completed', {payload}, 'ana', '2020-03-02T16:00:00Z', \
           'h' || i || '-' || (k - 1), 'h' || i || '-' || k, 3 \
           FROM ({series}) s CROSS JOIN {six}; \
         INSERT INTO work_items (case_id, item, activity, opened_at, due, state, completed_at, \
           completed_by) \
           SELECT i, k, '1.1', '2020-01-01T00:00:00Z', '2020-02-01', 'done', \
           '2020-03-02T16:00:00Z', 'ana' FROM ({series}) s CROSS JOIN {six}; \
         INSERT INTO work_item_units (unit_code, case_id, item, due, open) \
           SELECT 'U' || (i % {units}), i, k, '2020-02-01', FALSE \
           FROM ({series}) s CROSS JOIN {six}; \
         INSERT INTO archive_fondo (id, code, name) VALUES (1, 'F', 'Fondo'); \
         INSERT INTO archive_sections (code, name) VALUES ('S', 'Sección'); \
         INSERT INTO archive_series (code, name, section, keeper, destination, access) \
           VALUES ('S.1', 'Serie', 'S', 'ST', 'baja', 'publica'); \
         INSERT INTO archive_expedientes (id, number, serie, title, opened_on, closed_on, \
           location, opened_by) VALUES (1, 'E-2020-1', 'S.1', 'Histórico 2020', '2020-01-01', \
           '2020-12-31', 'concentracion', 'archivista'); \
         INSERT INTO archive_classified (subject_kind, subject, expediente_id, classified_by, \
           classified_at) SELECT 'case', 'H-' || i, 1, 'archivista', '2021-01-01T00:00:00Z' \
           FROM ({series}) s;"
    )
}

/// [`every_event`] as JSON, in its order: the text Turno stored (version 1 of the record) and
/// the API answered before either had a form of its own.
pub const EVERY_EVENT_JSON: [&str; 15] = [
    r#"{"event":"case_started","procedure":"sidss-informes-oficiales","version":2,"at":"2026-03-02T16:00:00Z","on":"2026-03-02","by":{"user":"ana","participant":1},"fields":{"asunto":{"type":"text","value":"Informe «trimestral»"},"cantidad":{"type":"integer","value":-3},"direcciones":{"type":"participants","value":["DGAO","DGIS"]},"fecha_visita":{"type":"date","value":"2026-04-20"},"monto":{"type":"decimal","value":"1250.50"},"procede":{"type":"boolean","value":true}}}"#,
    r#"{"event":"work_opened","item":1,"activity":0,"participant":2,"at":"2026-03-02T16:00:00Z","due":"2026-03-09","basis":{"from":"2026-03-02","days":5,"kind":"Business","regime":"lfpa"}}"#,
    r#"{"event":"work_completed","item":1,"at":"2026-03-02T16:00:00Z","on":"2026-03-02","by":{"user":"eva","participant":null,"substituting":"titular"},"on_behalf_of":3,"outcome":"Sí","fields":{"asunto":{"type":"text","value":"Informe «trimestral»"},"cantidad":{"type":"integer","value":-3},"direcciones":{"type":"participants","value":["DGAO","DGIS"]},"fecha_visita":{"type":"date","value":"2026-04-20"},"monto":{"type":"decimal","value":"1250.50"},"procede":{"type":"boolean","value":true}},"observations":"Sin observaciones"}"#,
    r#"{"event":"work_turned","item":2,"from":1,"activity":4,"unit":"SIDSS-CAS","at":"2026-03-02T16:00:00Z","by":{"user":"ana","participant":1},"due":null,"instruction":"Para su atención"}"#,
    r#"{"event":"due_changed","item":2,"due":null}"#,
    r#"{"event":"due_recounted","item":2,"previous":"2026-03-09","due":"2026-03-10","reason":"se agregó el día inhábil 2026-03-05","at":"2026-03-02T16:00:00Z"}"#,
    r#"{"event":"clock_suspended","item":2,"at":"2026-03-02T16:00:00Z","on":"2026-03-02","by":{"user":"ana","participant":1},"reason":"Falta información","days_left":3}"#,
    r#"{"event":"clock_resumed","item":2,"at":"2026-03-02T16:00:00Z","on":"2026-03-02","by":{"user":"eva","participant":null,"substituting":"titular"},"due":"2026-03-22","basis":{"from":"2026-04-01","days":-10,"kind":"Natural","regime":"lft"}}"#,
    r#"{"event":"deadline_passed","item":2,"at":"2026-03-02T16:00:00Z","due":"2026-03-22"}"#,
    r#"{"event":"activity_expired","activity":4,"at":"2026-03-02T16:00:00Z"}"#,
    r#"{"event":"subprocedure_requested","item":3,"procedure":"cnpss-94"}"#,
    r#"{"event":"subprocedure_ended","item":3,"at":"2026-03-02T16:00:00Z","on":"2026-03-02","case":"CNPSS-94-2026-000001"}"#,
    r#"{"event":"document_attached","at":"2026-03-02T16:00:00Z","by":{"user":"eva","participant":null,"substituting":"titular"},"item":3,"name":"oficio.pdf","mime":"application/pdf","size":1024,"sha256":"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"}"#,
    r#"{"event":"case_ended","at":"2026-03-02T16:00:00Z","activity":5}"#,
    r#"{"event":"case_cancelled","at":"2026-03-02T16:00:00Z","by":{"user":"ana","participant":1},"reason":"Duplicado"}"#,
];

/// The kinds version 2 of the record adds, as it writes them, in the order [`every_event`]
/// gives them after version 1's.
pub const VERSION_2_JSON: [&str; 1] = [
    r#"{"event":"turn_withdrawn","item":2,"at":"2026-03-02T16:00:00Z","by":{"user":"ana","participant":1},"reason":"Turnado por error"}"#,
];

/// Version 3's text for what it adds: a completion signed with e.firma.
pub const VERSION_3_JSON: [&str; 1] = [
    r#"{"event":"work_completed","item":1,"at":"2026-03-02T16:00:00Z","on":"2026-03-02","by":{"user":"ana","participant":1},"on_behalf_of":null,"outcome":"Sí","fields":{"asunto":{"type":"text","value":"Informe"}},"observations":null,"signature":{"folio":"CAS-2026-000001","signer":"ANA GÓMEZ","rfc":"GOYA780416GM0","curp":null,"serial":"00001000000500000001","issuer":"AC de pruebas","certificate":"AQID","cms":"BAU=","verified_at":"2026-03-02T16:00:00Z","digest":"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"}}"#,
];

/// A completion signed with e.firma (`VERSION_3_JSON`).
pub fn signed_completion() -> Event {
    let at = Timestamp::constant(1_772_467_200, 0);
    Event::WorkCompleted {
        item: WorkItemId(1),
        at,
        on: date(2026, 3, 2),
        by: Actor {
            user: "ana".into(),
            participant: Some(ParticipantId(1)),
            substituting: None,
        },
        on_behalf_of: None,
        outcome: Some("Sí".into()),
        fields: BTreeMap::from([("asunto".to_owned(), Value::Text("Informe".into()))]),
        observations: None,
        signature: Some(Box::new(Signature {
            folio: "CAS-2026-000001".into(),
            signer: "ANA GÓMEZ".into(),
            rfc: Some("GOYA780416GM0".into()),
            curp: None,
            serial: "00001000000500000001".into(),
            issuer: "AC de pruebas".into(),
            certificate: vec![1, 2, 3],
            cms: vec![4, 5],
            verified_at: at,
            digest: "0123456789abcdef".repeat(4),
        })),
    }
}

/// One event of every kind, with every optional part given in one and left out in another:
/// for the tests of the forms events take outside the domain (the store's record, the API's).
pub fn every_event() -> Vec<Event> {
    // 2026-03-02T16:00:00Z.
    let at = Timestamp::constant(1_772_467_200, 0);
    let on = date(2026, 3, 2);
    let ana = Actor {
        user: "ana".into(),
        participant: Some(ParticipantId(1)),
        substituting: None,
    };
    let eva = Actor {
        user: "eva".into(),
        participant: None,
        substituting: Some("titular".into()),
    };
    let business = DueBasis {
        from: on,
        days: 5,
        kind: DayKind::Business,
        regime: Regime::Lfpa,
    };
    let natural = DueBasis {
        from: date(2026, 4, 1),
        days: -10,
        kind: DayKind::Natural,
        regime: Regime::Lft,
    };
    let fields: BTreeMap<String, Value> = [
        ("asunto", Value::Text("Informe «trimestral»".into())),
        ("cantidad", Value::Integer(-3)),
        ("monto", Value::Decimal("1250.50".into())),
        ("fecha_visita", Value::Date(date(2026, 4, 20))),
        ("procede", Value::Boolean(true)),
        (
            "direcciones",
            Value::Participants(vec!["DGAO".into(), "DGIS".into()]),
        ),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect();
    vec![
        Event::CaseStarted {
            procedure: "sidss-informes-oficiales".into(),
            version: 2,
            at,
            on,
            by: ana.clone(),
            fields: fields.clone(),
        },
        Event::WorkOpened {
            item: WorkItemId(1),
            activity: ActivityId(0),
            participant: Some(ParticipantId(2)),
            at,
            due: Some(date(2026, 3, 9)),
            basis: Some(business),
        },
        Event::WorkCompleted {
            item: WorkItemId(1),
            at,
            on,
            by: eva.clone(),
            on_behalf_of: Some(ParticipantId(3)),
            outcome: Some("Sí".into()),
            fields,
            observations: Some("Sin observaciones".into()),
            signature: None,
        },
        Event::WorkTurned {
            item: WorkItemId(2),
            from: WorkItemId(1),
            activity: ActivityId(4),
            unit: "SIDSS-CAS".into(),
            at,
            by: ana.clone(),
            due: None,
            instruction: "Para su atención".into(),
            basis: None,
        },
        Event::DueChanged {
            item: WorkItemId(2),
            due: None,
            basis: None,
        },
        Event::DueRecounted {
            item: WorkItemId(2),
            previous: date(2026, 3, 9),
            due: date(2026, 3, 10),
            reason: "se agregó el día inhábil 2026-03-05".into(),
            at,
        },
        Event::ClockSuspended {
            item: WorkItemId(2),
            at,
            on,
            by: ana.clone(),
            reason: "Falta información".into(),
            days_left: 3,
        },
        Event::ClockResumed {
            item: WorkItemId(2),
            at,
            on,
            by: eva.clone(),
            due: Some(date(2026, 3, 22)),
            basis: Some(natural),
        },
        Event::DeadlinePassed {
            item: WorkItemId(2),
            at,
            due: date(2026, 3, 22),
        },
        Event::ActivityExpired {
            activity: ActivityId(4),
            at,
        },
        Event::SubprocedureRequested {
            item: WorkItemId(3),
            procedure: "cnpss-94".into(),
        },
        Event::SubprocedureEnded {
            item: WorkItemId(3),
            at,
            on,
            case: "CNPSS-94-2026-000001".into(),
        },
        Event::DocumentAttached {
            at,
            by: eva,
            item: Some(WorkItemId(3)),
            name: "oficio.pdf".into(),
            mime: "application/pdf".into(),
            size: 1024,
            sha256: "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad".into(),
        },
        Event::CaseEnded {
            at,
            activity: ActivityId(5),
        },
        Event::CaseCancelled {
            at,
            by: ana.clone(),
            reason: "Duplicado".into(),
        },
        Event::TurnWithdrawn {
            item: WorkItemId(2),
            at,
            by: ana,
            reason: "Turnado por error".into(),
        },
    ]
}

/// The bucket of the S3-compatible server the tests use (`scripts/s3.sh` starts one and sets
/// the variables, `scripts/test.sh` runs it), files under `prefix` in it. Like PostgreSQL, the
/// S3 tests never skip: without the server they fail saying so.
pub fn test_bucket(prefix: &str) -> Result<crate::blobs::S3Blobs, String> {
    let bucket = std::env::var("TURNO_TEST_S3_BUCKET").map_err(|_| {
        "the S3 tests need an S3-compatible server: run `eval \"$(scripts/s3.sh)\"` first \
         (TURNO_TEST_S3_BUCKET is not set)"
            .to_owned()
    })?;
    crate::blobs::S3Blobs::from_env(&bucket, prefix).map_err(|e| e.to_string())
}
