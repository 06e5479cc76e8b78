//! Tamper evidence with a secret (issue 16, hole 9): someone who can write the database, but
//! has not the record key, rewrites the record in each way that used to pass `turno verify`;
//! the projections recomputed from the events and the signed checkpoints find every one.

use crate::common::{Raw, ana, day, new_report, seed_000, user};
use turno_app::commands::{OnCase, complete_work};
use turno_domain::engine::Complete;
use turno_store::chain::{self, EventRow};
use turno_store::seal::{self, RecordKey};
use turno_store::{Committed, RecordBreak, Store};

fn key() -> RecordKey {
    RecordKey::from_hex(&"7e".repeat(32), "test").unwrap()
}

/// Three informes, each with its first activity done, a person created (on the audit log),
/// and a checkpoint signed with the key; the record verifies intact.
async fn sealed<S: Store>(store: &S) -> Vec<Committed> {
    let (procedure, _) = seed_000();
    let mut cases = Vec::new();
    for i in 0..3 {
        let case = new_report(store, &format!("Informe {i}")).await;
        let stored = store.load_case(case.case_id).await.unwrap();
        let item = stored.state().unwrap().open[0].id;
        complete_work(
            store,
            OnCase::new(&procedure, case.case_id, &day()).seen(stored.version),
            Complete {
                item,
                by: ana(),
                outcome: None,
                fields: Default::default(),
                observations: None,
                signature: None,
            },
        )
        .await
        .unwrap();
        cases.push(case);
    }
    let user = user("eva", "Eva");
    store.create_user(&user, "admin").await.unwrap();
    assert!(seal::take(store, &key()).await.unwrap().is_some());
    assert_eq!(store.verify().await.unwrap().breaks, []);
    assert_eq!(
        seal::verify(store, &key()).await.unwrap(),
        Vec::<String>::new()
    );
    cases
}

/// Every break `store.verify` reports, in words.
async fn breaks<S: Store>(store: &S) -> Vec<String> {
    let report = store.verify().await.unwrap();
    report
        .breaks
        .iter()
        .map(|found| match found {
            RecordBreak::Chain(chain) => chain.to_string(),
            RecordBreak::Series(series) => format!("series {}", series.name()),
            RecordBreak::Audit(entry) => entry.to_string(),
        })
        .collect()
}

fn contains(found: &[String], words: &str) -> bool {
    found.iter().any(|f| f.contains(words))
}

async fn events(raw: &Raw, case_id: i64) -> Vec<EventRow> {
    let sql = format!(
        "SELECT id, seq, kind, payload, schema_version, actor, recorded_at, prev_hash, hash \
         FROM events WHERE case_id = {case_id} ORDER BY seq"
    );
    match raw {
        Raw::Sqlite(pool, _) => sqlx::query_as(&sql).fetch_all(pool).await.unwrap(),
        Raw::Postgres(pool, _) => sqlx::query_as(&sql).fetch_all(pool).await.unwrap(),
    }
}

async fn a_rewritten_chain_is_found_by_the_checkpoint<S: Store>(store: S, raw: Raw) {
    let cases = sealed(&store).await;
    let case = &cases[1];
    // The first event said another person registered the case, and every hash after it is
    // computed again: the chain holds together.
    raw.drop_guards().await;
    let mut previous = chain::GENESIS.to_owned();
    let mut sql = String::new();
    for mut row in events(&raw, case.case_id).await {
        if row.seq == 1 {
            row.actor = "intruso".into();
        }
        let hash = chain::hash(&row.link(&case.folio, &previous));
        sql.push_str(&format!(
            "UPDATE events SET actor = '{}', prev_hash = '{previous}', hash = '{hash}' WHERE id = {};",
            row.actor, row.id
        ));
        previous = hash;
    }
    sql.push_str(&format!(
        "UPDATE cases SET head_hash = '{previous}' WHERE id = {};",
        case.case_id
    ));
    raw.exec(&sql).await;
    // The chains alone cannot tell: that is what the key is for.
    assert_eq!(breaks(&store).await, Vec::<String>::new());
    let found = seal::verify(&store, &key()).await.unwrap();
    assert!(contains(&found, &case.folio), "{found:?}");
    assert!(contains(&found, "se reescribió"), "{found:?}");
    // A checkpoint the intruder signs with a key of their own does not verify.
    let theirs = RecordKey::from_hex(&"01".repeat(32), "intruso").unwrap();
    assert!(seal::take(&store, &theirs).await.unwrap().is_some());
    let found = seal::verify(&store, &key()).await.unwrap();
    assert!(contains(&found, "su firma no corresponde"), "{found:?}");
}

async fn a_unit_given_access_is_found<S: Store>(store: S, raw: Raw) {
    let cases = sealed(&store).await;
    raw.exec(&format!(
        "INSERT INTO work_item_units (unit_code, case_id, item, due, open) \
         VALUES ('DGRI', {}, 2, '9999-12-31', TRUE)",
        cases[0].case_id
    ))
    .await;
    let found = breaks(&store).await;
    assert!(
        contains(&found, "la unidad DGRI ve la tarea 2"),
        "{found:?}"
    );
    assert!(contains(&found, &cases[0].folio), "{found:?}");
}

async fn a_changed_work_item_state_is_found<S: Store>(store: S, raw: Raw) {
    let cases = sealed(&store).await;
    raw.exec(&format!(
        "UPDATE work_items SET state = 'done' WHERE case_id = {} AND state = 'open'",
        cases[2].case_id
    ))
    .await;
    let found = breaks(&store).await;
    assert!(contains(&found, "guardada en estado «done»"), "{found:?}");
    // The units' rows followed the item (a trigger): they are found too.
    assert!(contains(&found, "no ve la tarea"), "{found:?}");
}

/// The sealed record and three more people created after the checkpoint: the audit log has
/// entries 1 (certified) to 4; its guards are dropped, as an intruder with the database would.
async fn audited<S: Store>(store: &S, raw: &Raw) {
    sealed(store).await;
    for login in ["luis", "rosa", "tere"] {
        let user = user(login, login);
        store.create_user(&user, "admin").await.unwrap();
    }
    assert_eq!(breaks(store).await, Vec::<String>::new());
    match raw {
        Raw::Sqlite(..) => {
            raw.exec(
                "DROP TRIGGER audit_log_append_only_update; \
                 DROP TRIGGER audit_log_append_only_delete",
            )
            .await
        }
        Raw::Postgres(..) => {
            raw.exec(
                "DROP TRIGGER audit_log_append_only ON audit_log; \
                 DROP TRIGGER audit_log_append_only_delete ON audit_log",
            )
            .await
        }
    }
}

/// The audit log's breaks `store.verify` reports.
async fn audit_breaks<S: Store>(store: &S) -> Vec<String> {
    breaks(store)
        .await
        .into_iter()
        .filter(|found| found.starts_with("bitácora"))
        .collect()
}

const INSERTED: &str = "INSERT INTO audit_log (id, at, actor, action, subject, detail) \
     VALUES (5, '2026-01-01T00:00:00Z', 'admin', 'role_granted', 'intruso', '{}')";

async fn an_edited_audit_entry_is_found<S: Store>(store: S, raw: Raw) {
    audited(&store, &raw).await;
    raw.exec("UPDATE audit_log SET actor = 'nadie' WHERE id = 2")
        .await;
    assert_eq!(
        audit_breaks(&store).await,
        ["bitácora, entrada 2: su contenido ya no es el que se registró: fue modificada"]
    );
}

async fn a_deleted_audit_entry_is_found<S: Store>(store: S, raw: Raw) {
    audited(&store, &raw).await;
    raw.exec("DELETE FROM audit_log WHERE id = 3").await;
    assert_eq!(
        audit_breaks(&store).await,
        [
            "bitácora, entrada 4: no sigue a la entrada anterior: se eliminó o se agregó una \
             entrada antes de ella"
        ]
    );
    // The certified entry removed: the checkpoint tells which.
    raw.exec("DELETE FROM audit_log WHERE id = 1").await;
    let found = seal::verify(&store, &key()).await.unwrap();
    assert!(contains(&found, "falta la entrada 1"), "{found:?}");
}

async fn an_inserted_audit_entry_is_found<S: Store>(store: S, raw: Raw) {
    audited(&store, &raw).await;
    raw.exec(INSERTED).await;
    assert_eq!(
        audit_breaks(&store).await,
        [
            "bitácora, entrada 5: no está encadenada: se agregó a la base de datos sin pasar por Turno"
        ]
    );
    // Nor can Turno write after it as if it were its own.
    let user = user("uriel", "Uriel");
    assert!(store.create_user(&user, "admin").await.is_err());
}

async fn every_audit_break_is_reported<S: Store>(store: S, raw: Raw) {
    audited(&store, &raw).await;
    raw.exec(&format!(
        "UPDATE audit_log SET detail = '{{}}' WHERE id = 2; DELETE FROM audit_log WHERE id = 3; \
         {INSERTED}"
    ))
    .await;
    let found = audit_breaks(&store).await;
    let entries: Vec<&str> = found
        .iter()
        .map(|f| f.split(':').next().unwrap_or_default())
        .collect();
    assert_eq!(
        entries,
        [
            "bitácora, entrada 2",
            "bitácora, entrada 4",
            "bitácora, entrada 5"
        ],
        "{found:?}"
    );
}

async fn entries_of_before_the_chain_are_chained_by_migrate<S: Store>(store: S, raw: Raw) {
    // A database of before migration 0027: entries without links.
    raw.exec(
        "INSERT INTO audit_log (id, at, actor, action, subject, detail) VALUES \
         (1, '2025-01-01T00:00:00Z', 'admin', 'user_created', 'eva', '{}'), \
         (2, '2025-01-02T00:00:00Z', 'admin', 'role_granted', 'eva', '{}')",
    )
    .await;
    store.migrate().await.unwrap();
    assert_eq!(breaks(&store).await, Vec::<String>::new());
    let chain = store.audit_chain().await.unwrap();
    assert_eq!(chain[1].prev_hash, chain[0].hash);
    // Once chained, an entry without links is never taken in.
    raw.exec(INSERTED).await;
    store.migrate().await.unwrap();
    assert_eq!(audit_breaks(&store).await.len(), 1);
}

async fn a_rewritten_audit_log_is_found_by_the_checkpoint<S: Store>(store: S, raw: Raw) {
    audited(&store, &raw).await;
    // The certified entry says someone else created the person, and every link after it is
    // computed again: the chain holds together.
    let mut previous = chain::GENESIS.to_owned();
    let mut sql = String::new();
    for mut row in store.audit_chain().await.unwrap() {
        if row.entry.id == 1 {
            row.entry.actor = "nadie".into();
        }
        let hash = chain::audit_link(&previous, &row.entry);
        sql.push_str(&format!(
            "UPDATE audit_log SET actor = '{}', prev_hash = '{previous}', hash = '{hash}' \
             WHERE id = {};",
            row.entry.actor, row.entry.id
        ));
        previous = hash;
    }
    raw.exec(&sql).await;
    assert_eq!(audit_breaks(&store).await, Vec::<String>::new());
    let found = seal::verify(&store, &key()).await.unwrap();
    assert!(
        contains(&found, "las entradas hasta la 1 no son las que certificó"),
        "{found:?}"
    );
}

async fn a_removed_case_with_its_counter_lowered_is_found<S: Store>(store: S, raw: Raw) {
    let cases = sealed(&store).await;
    let last = &cases[2];
    raw.drop_guards().await;
    raw.exec(&format!(
        "DELETE FROM events WHERE case_id = {id}; DELETE FROM work_item_units WHERE case_id = {id}; \
         DELETE FROM work_items WHERE case_id = {id}; \
         DELETE FROM cases WHERE id = {id}; UPDATE folio_counters SET last = last - 1",
        id = last.case_id
    ))
    .await;
    // The series hold together again: only the checkpoint remembers.
    assert_eq!(breaks(&store).await, Vec::<String>::new());
    let found = seal::verify(&store, &key()).await.unwrap();
    assert!(
        contains(&found, &format!("asunto {}: eliminado", last.folio)),
        "{found:?}"
    );
    assert!(contains(&found, "el contador bajó de 3"), "{found:?}");
}

async fn every_break_is_reported<S: Store>(store: S, raw: Raw) {
    let cases = sealed(&store).await;
    raw.exec(&format!(
        "UPDATE work_items SET state = 'done' WHERE case_id = {} AND state = 'open'; \
         UPDATE cases SET status = 'ended' WHERE id = {}",
        cases[0].case_id, cases[1].case_id
    ))
    .await;
    let found = breaks(&store).await;
    assert!(contains(&found, &cases[0].folio), "{found:?}");
    assert!(contains(&found, &cases[1].folio), "{found:?}");
    assert!(
        contains(&found, "su estado guardado es «ended»"),
        "{found:?}"
    );
}

async fn a_checkpoint_is_taken_only_when_the_record_changed<S: Store>(store: S, _raw: Raw) {
    sealed(&store).await;
    assert_eq!(seal::take(&store, &key()).await.unwrap(), None);
    new_report(&store, "Otro informe").await;
    let taken = seal::take(&store, &key()).await.unwrap().unwrap();
    assert_eq!(taken.cases.len(), 4);
    assert_eq!(
        seal::verify(&store, &key()).await.unwrap(),
        Vec::<String>::new()
    );
    assert_eq!(store.checkpoints().await.unwrap().len(), 2);
}

on_both_backends!(
    a_rewritten_chain_is_found_by_the_checkpoint,
    a_unit_given_access_is_found,
    a_changed_work_item_state_is_found,
    an_edited_audit_entry_is_found,
    a_deleted_audit_entry_is_found,
    an_inserted_audit_entry_is_found,
    every_audit_break_is_reported,
    entries_of_before_the_chain_are_chained_by_migrate,
    a_rewritten_audit_log_is_found_by_the_checkpoint,
    a_removed_case_with_its_counter_lowered_is_found,
    every_break_is_reported,
    a_checkpoint_is_taken_only_when_the_record_changed,
);
