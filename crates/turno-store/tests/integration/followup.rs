//! Follow-up programs on both backends: seed 003's program (corrected) round-trips whole,
//! importing it again changes nothing, and tables with errors write nothing.

use crate::common::Raw;
use turno_domain::followup::{
    Activity, Closure, Evidence, Goal, ItemKind, NewItem, Plan, Program, ProgramKind, Progress,
    SignOff, Table, Tables,
};
use turno_store::followup::{self, Followup, ImportError, ProgramImport};
use turno_store::{Refusal, Store, StoreError};

const KEY: &str = "ASM-2017";
const NAME: &str = "Programa de ASM 2017";

fn fixture(name: &str) -> Table {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures/asm-2017")
        .join(name);
    Table::from_csv(name, &std::fs::read_to_string(path).unwrap()).unwrap()
}

/// The seed's three tables, with the activities as read or as `docs/manual-errata.md` corrects
/// them.
fn seed(activities: &str) -> [Table; 3] {
    [
        fixture("recomendaciones.csv"),
        fixture("aspectos.csv"),
        fixture(activities),
    ]
}

async fn import<S: Followup>(store: &S, tables: &[Table; 3]) -> Result<ProgramImport, ImportError> {
    let tables = Tables {
        recommendations: &tables[0],
        aspects: &tables[1],
        activities: &tables[2],
    };
    followup::import(store, KEY, NAME, tables, "importación")
        .await
        .map(|(_, done)| done)
}

fn counts(program: &Program) -> (usize, usize, usize) {
    (
        program.recommendations().count(),
        program.aspects().count(),
        program.items.iter().map(|i| i.activities.len()).sum(),
    )
}

async fn the_seeds_program_round_trips_with_its_follow_up<S: Store + Followup>(
    store: S,
    _raw: Raw,
) {
    assert_eq!(
        import(&store, &seed("actividades-corregidas.csv"))
            .await
            .unwrap(),
        ProgramImport::Created
    );
    let stored = store.program(KEY).await.unwrap().unwrap();
    assert_eq!(counts(&stored), (50, 27, 84));
    assert_eq!(stored.name, NAME);
    assert_eq!(store.program("OTRO").await.unwrap(), None);

    // Follow-up data, a signature and the other kinds' columns come back as written.
    let mut program = stored.clone();
    program.sign_off = Some(SignOff {
        prepared_by: "GERARDO PALMA ÁNGELES".into(),
        authorized_by: "JOSÉ SAMUEL GARCÍA SÁNCHEZ".into(),
    });
    let aspect = program
        .items
        .iter_mut()
        .find(|i| matches!(i.kind, ItemKind::Aspect(_)))
        .unwrap();
    aspect.case_folio = Some("SESEQ-ASM-2017-0001".into());
    if let ItemKind::Aspect(a) = &mut aspect.kind {
        a.recommendations = vec![1, 31];
    }
    let done = &mut aspect.activities[0];
    done.attach(Evidence {
        name: "memorándum de entrega.pdf".into(),
    });
    done.attach(Evidence {
        name: "acuse.pdf".into(),
    });
    done.record_progress(Progress::DONE).unwrap();
    aspect.activities[1]
        .record_progress(Progress::new(40).unwrap())
        .unwrap();
    aspect.activities[2].closure = Some(Closure::Justified {
        reason: "Se atiende con la actividad 1".into(),
    });
    assert_eq!(
        store.import_program(KEY, &program, "ana").await.unwrap(),
        ProgramImport::Replaced
    );
    assert_eq!(store.program(KEY).await.unwrap(), Some(program));
    let log = store.audit_log(Some(KEY), 10).await.unwrap();
    let actions: Vec<(&str, &str)> = log
        .iter()
        .map(|e| (e.action.as_str(), e.actor.as_str()))
        .collect();
    assert_eq!(
        actions,
        [
            ("followup_program_replaced", "ana"),
            ("followup_program_created", "importación")
        ]
    );
}

async fn importing_the_same_tables_again_changes_nothing<S: Store + Followup>(store: S, _raw: Raw) {
    let tables = seed("actividades-corregidas.csv");
    import(&store, &tables).await.unwrap();
    let first = store.program(KEY).await.unwrap();
    assert_eq!(
        import(&store, &tables).await.unwrap(),
        ProgramImport::Unchanged
    );
    assert_eq!(store.program(KEY).await.unwrap(), first);
    assert_eq!(store.audit_log(None, 10).await.unwrap().len(), 1);
}

async fn tables_with_errors_write_nothing<S: Store + Followup>(store: S, _raw: Raw) {
    let Err(ImportError::Invalid(problems)) = import(&store, &seed("actividades.csv")).await else {
        panic!("the seed's tables have errors");
    };
    assert_eq!(problems.len(), 17);
    assert_eq!(store.program(KEY).await.unwrap(), None);

    // Nor over a stored program: it stays as it was.
    import(&store, &seed("actividades-corregidas.csv"))
        .await
        .unwrap();
    let stored = store.program(KEY).await.unwrap();
    assert!(import(&store, &seed("actividades.csv")).await.is_err());
    assert_eq!(store.program(KEY).await.unwrap(), stored);
    assert_eq!(store.audit_log(None, 10).await.unwrap().len(), 1);
}

/// An agreement of a meeting with one activity, for the Secretario Técnico.
fn agreement(kind: ItemKind, text: &str) -> NewItem {
    NewItem {
        kind,
        text: text.into(),
        case_folio: Some("CAS-2026-000001".into()),
        activities: vec![
            Activity::planned(
                1,
                "Enviar la minuta firmada".into(),
                (
                    jiff::civil::date(2026, 3, 2),
                    jiff::civil::date(2026, 3, 13),
                ),
                "Minuta".into(),
                vec!["SIDSS-ST".into()],
            )
            .unwrap(),
        ],
    }
}

async fn agreements_are_created_once_and_added_one_at_a_time<S: Store + Followup>(
    store: S,
    _raw: Raw,
) {
    let mut program = Program {
        name: "Acuerdos de la reunión de marzo".into(),
        items: Vec::new(),
        sign_off: None,
    };
    program.add_item(agreement(ItemKind::Agreement, "Publicar el MOP"));
    store
        .create_program("REUNION-1", &program, None, "ana")
        .await
        .unwrap();
    let taken = store
        .create_program("REUNION-1", &program, None, "luis")
        .await;
    assert!(
        matches!(taken, Err(StoreError::Refused(Refusal::ProgramExists(ref key))) if key == "REUNION-1"),
        "{taken:?}"
    );
    // Nor over a program imported from tables.
    import(&store, &seed("actividades-corregidas.csv"))
        .await
        .unwrap();
    assert!(
        store
            .create_program(KEY, &program, None, "ana")
            .await
            .is_err()
    );
    assert_eq!(
        counts(&store.program(KEY).await.unwrap().unwrap()),
        (50, 27, 84)
    );

    // Each numbered within its kind.
    let mut added = Vec::new();
    for (kind, text, key) in [
        (ItemKind::Commitment, "Capacitar", "C1"),
        (ItemKind::Agreement, "Informar", "AC2"),
    ] {
        let item = store
            .add_items("REUNION-1", vec![agreement(kind, text)], "ana")
            .await
            .unwrap()
            .unwrap()
            .remove(0);
        assert_eq!(item.key(), key);
        added.push(item);
    }
    let stored = store.program("REUNION-1").await.unwrap().unwrap();
    let keys: Vec<String> = stored.items.iter().map(|i| i.key()).collect();
    assert_eq!(keys, ["AC1", "C1", "AC2"]);
    assert_eq!(stored.items[1..], added);
    assert_eq!(
        stored.items[1].case_folio.as_deref(),
        Some("CAS-2026-000001")
    );
    assert_eq!(
        store
            .add_items(
                "NO-EXISTE",
                vec![agreement(ItemKind::Agreement, "x")],
                "ana"
            )
            .await
            .unwrap(),
        None
    );
    let actions = crate::common::audit_actions(&store, 10).await;
    assert_eq!(
        actions
            .iter()
            .filter(|a| *a == "followup_item_added")
            .count(),
        2,
        "{actions:?}"
    );
}

/// Programs of every kind keep their heading and their lines' own data: an observation's
/// number, a PAT line's indicator and quarterly goals, risks and control actions.
async fn every_kind_keeps_its_heading_and_its_lines<S: Store + Followup>(store: S, _raw: Raw) {
    let line = |kind: ItemKind| NewItem {
        case_folio: None,
        ..agreement(kind, "Línea")
    };
    let pat_line = ItemKind::Line(Goal {
        indicator: "Porcentaje de entidades supervisadas".into(),
        annual: "32 entidades".into(),
        quarters: [25, 50, 75, 100].map(|p| Progress::new(p).unwrap()),
    });
    let cases = [
        (
            ProgramKind::Audit,
            ItemKind::Observation {
                reference: "2024-0-12100-19-0045-01-001".into(),
            },
            "OB1",
        ),
        (ProgramKind::Pat, pat_line, "L1"),
        (ProgramKind::Ptar, ItemKind::Risk, "RG1"),
        (ProgramKind::Ptci, ItemKind::ControlAction, "CI1"),
    ];
    for (kind, item, first) in cases {
        let key = format!("{}-2026", kind.code());
        let plan = Plan {
            kind,
            body: (kind == ProgramKind::Audit)
                .then(|| "Auditoría Superior de la Federación".into()),
            reference: (kind == ProgramKind::Audit).then(|| "Auditoría 45-DS".into()),
            held_on: None,
            year: Some(2026),
        };
        let mut program = Program {
            name: kind.label().into(),
            items: Vec::new(),
            sign_off: None,
        };
        program.add_item(line(item.clone()));
        store
            .create_program(&key, &program, Some(&plan), "ana")
            .await
            .unwrap();
        let added = store
            .add_items(&key, vec![line(item.clone()), line(item)], "ana")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(added.len(), 2);
        let stored = store.program(&key).await.unwrap().unwrap();
        assert_eq!(stored.items[0].key(), first);
        assert_eq!(stored.items[0].kind, program.items[0].kind);
        assert_eq!(stored.items[1..], added);
        let head = store
            .programs()
            .await
            .unwrap()
            .into_iter()
            .find(|h| h.key == key)
            .unwrap();
        assert_eq!(head.plan, Some(plan));
    }
}

on_both_backends!(
    every_kind_keeps_its_heading_and_its_lines,
    agreements_are_created_once_and_added_one_at_a_time,
    the_seeds_program_round_trips_with_its_follow_up,
    importing_the_same_tables_again_changes_nothing,
    tables_with_errors_write_nothing,
);
