//! Procedure drafts on both backends (migration 0050): the drafts of an upload recorded with
//! their texts, listed newest first, saved, published into `procedure_versions` (a version not
//! newer than the newest of its key refused) and discarded; a draft published or discarded
//! changes no more; each change on the audit log; the count of published versions changes
//! with each publication.

use crate::common::{Raw, seed_000};
use turno_domain::definition::parse_procedure;
use turno_store::procedure_drafts::{DraftSource, DraftState, NewProcedureDraft};
use turno_store::{ProcedureDrafts, Refusal, Store, StoreError};

fn draft(key: &str, definition: &str) -> NewProcedureDraft {
    NewProcedureDraft {
        source: DraftSource::Manual,
        file_name: "manual.txt".into(),
        file_sha256: "cd".repeat(32),
        source_text: "2. PROCEDIMIENTO PARA …\n1.0 Propósito\n".into(),
        key: key.into(),
        definition: definition.into(),
        report: "# Informe de revisión de manual.txt\n".into(),
    }
}

fn refusal(error: StoreError) -> Refusal {
    match error {
        StoreError::Refused(refusal) => refusal,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

async fn drafts_are_saved_published_and_discarded<S: Store + ProcedureDrafts>(store: S, _raw: Raw) {
    let (seed, text) = seed_000();
    let at = jiff::Timestamp::now();
    store.publish_procedure(&seed, text, at).await.unwrap();
    let published = store.published_procedure_count().await.unwrap();
    assert_eq!(published, 1);

    let ids = store
        .add_procedure_drafts(
            &[draft("sidss-2", "key = \"sidss-2\""), draft("sidss-3", "")],
            "admin",
            &at.to_string(),
        )
        .await
        .unwrap();
    assert_eq!(ids.len(), 2);
    let listed = store.procedure_drafts().await.unwrap();
    assert_eq!(
        listed.iter().map(|d| d.id).collect::<Vec<_>>(),
        vec![ids[1], ids[0]],
        "newest first"
    );
    let first = store.procedure_draft(ids[0]).await.unwrap().unwrap();
    assert_eq!(first.head.key, "sidss-2");
    assert_eq!(first.head.state, DraftState::Borrador);
    assert_eq!(first.head.source, DraftSource::Manual);
    assert_eq!(
        first.source_text,
        "2. PROCEDIMIENTO PARA …\n1.0 Propósito\n"
    );
    assert_eq!(first.head.published, None);
    assert!(store.procedure_draft(ids[1] + 100).await.unwrap().is_none());

    // Saved: the new text, who and when.
    let version_3 = text.replacen("version = 2", "version = 3", 1);
    store
        .save_procedure_draft(ids[0], &version_3, "otra", &at.to_string())
        .await
        .unwrap();
    let saved = store.procedure_draft(ids[0]).await.unwrap().unwrap();
    assert_eq!(saved.definition, version_3);
    assert_eq!(saved.head.changed_by, "otra");

    // A version that is not newer than the published one is refused, and nothing changes.
    let taken = refusal(
        store
            .publish_procedure_draft(ids[0], &seed, text, "admin", at)
            .await
            .unwrap_err(),
    );
    assert_eq!(
        taken,
        Refusal::ProcedureVersionTaken {
            key: seed.key.clone(),
            version: 2,
            newest: 2
        }
    );
    assert_eq!(store.published_procedure_count().await.unwrap(), 1);

    // Published: the version is in `procedure_versions` with its text, the draft says so.
    let third = parse_procedure(&version_3).unwrap();
    store
        .publish_procedure_draft(ids[0], &third, &version_3, "admin", at)
        .await
        .unwrap();
    assert_eq!(store.published_procedure_count().await.unwrap(), 2);
    let versions = store.published_procedures().await.unwrap();
    assert!(
        versions
            .iter()
            .any(|p| p.key == seed.key && p.version == 3 && p.source_text == version_3)
    );
    let done = store.procedure_draft(ids[0]).await.unwrap().unwrap();
    assert_eq!(done.head.state, DraftState::Publicado);
    assert_eq!(done.head.published, Some((seed.key.clone(), 3)));

    // A published draft changes no more; nor does a discarded one.
    let closed = refusal(
        store
            .save_procedure_draft(ids[0], "otro", "admin", &at.to_string())
            .await
            .unwrap_err(),
    );
    assert_eq!(
        closed,
        Refusal::DraftClosed {
            id: ids[0],
            state: "publicado".into()
        }
    );
    store
        .discard_procedure_draft(ids[1], "admin", &at.to_string())
        .await
        .unwrap();
    let discarded = store.procedure_draft(ids[1]).await.unwrap().unwrap();
    assert_eq!(discarded.head.state, DraftState::Descartado);
    let again = refusal(
        store
            .publish_procedure_draft(ids[1], &third, &version_3, "admin", at)
            .await
            .unwrap_err(),
    );
    assert!(matches!(again, Refusal::DraftClosed { .. }), "{again:?}");
    let missing = refusal(
        store
            .discard_procedure_draft(ids[1] + 100, "admin", &at.to_string())
            .await
            .unwrap_err(),
    );
    assert_eq!(missing, Refusal::DraftNotFound(ids[1] + 100));

    // Every change is on the audit log.
    let actions = crate::common::audit_actions(&store, 100).await;
    for action in [
        "procedure_draft_created",
        "procedure_draft_saved",
        "procedure_draft_published",
        "procedure_draft_discarded",
    ] {
        assert!(
            actions.iter().any(|a| a == action),
            "{action} in {actions:?}"
        );
    }
}

on_both_backends!(drafts_are_saved_published_and_discarded);
