//! The scheduler's sweep on both backends, with the clock moved by hand: the escalations the
//! seed procedures declare happen when their term passes, not before, and once — even with
//! three sweepers at the same time.

use crate::common::{Raw, ctx};
use jiff::civil::Date;
use turno_app::commands::{self, start_case};
use turno_domain::engine::{Actor, Event, Start};
use turno_domain::library::{Library, Source};
use turno_domain::simulate::{route, sample_fields};
use turno_store::{CaseId, FolioRule, NewCase, Store};

const PROCEDURES: [(&str, &str); 2] = [
    (
        "cnpss-94.toml",
        include_str!("../../../../procedures/cnpss-94.toml"),
    ),
    (
        "cnpss-103.toml",
        include_str!("../../../../procedures/cnpss-103.toml"),
    ),
];

async fn library<S: Store>(store: &S) -> Library {
    let sources: Vec<Source> = PROCEDURES
        .iter()
        .map(|(name, text)| Source { name, text })
        .collect();
    turno_app::library::load(store, &sources, ctx(start()).now)
        .await
        .unwrap()
}

fn start() -> Date {
    jiff::civil::date(2026, 3, 2)
}

/// A case of `key` driven to its activity `number` on 2 March 2026; returns it, the due date
/// of that activity's work and how many units it is turned to.
async fn case_at<S: Store>(
    store: &S,
    library: &Library,
    key: &str,
    number: &str,
) -> (CaseId, Date, usize) {
    let p = library.newest().find(|p| p.key == key).unwrap().clone();
    let today = ctx(start());
    let committed = start_case(
        store,
        &p,
        NewCase {
            folio: FolioRule::for_procedure(&p, None, 2026),
            title: format!("Caso de prueba de {key}"),
            channel: None,
            requester: None,
        },
        Start {
            by: Actor::system(),
            fields: sample_fields(&p, start()),
        },
        &today,
        None,
    )
    .await
    .unwrap();
    let target = p.activity_by_number(number).unwrap();
    let steps = route(&p, p.first_activity(), Some(target)).unwrap();
    commands::follow_route(
        store,
        &p,
        committed.case_id,
        &steps,
        &Actor::system(),
        &today,
    )
    .await
    .unwrap();
    let current = store.load_current(committed.case_id).await.unwrap();
    let work: Vec<_> = current
        .case
        .open
        .iter()
        .filter(|w| w.activity == target)
        .collect();
    assert!(!work.is_empty(), "{key} reaches {number}");
    let due = work[0]
        .due
        .unwrap_or_else(|| panic!("{key} {number} has a term"));
    (committed.case_id, due, work.len())
}

async fn kinds<S: Store>(store: &S, id: CaseId) -> Vec<&'static str> {
    store
        .load_case(id)
        .await
        .unwrap()
        .events
        .iter()
        .filter_map(|e| match e.event {
            Event::DeadlinePassed { .. } => Some("deadline_passed"),
            Event::ActivityExpired { .. } => Some("activity_expired"),
            _ => None,
        })
        .collect()
}

async fn escalations_happen_when_their_term_passes_and_once<S: Store>(store: S, _raw: Raw) {
    let library = library(&store).await;
    // 94, 13.1: no answer from the entidad within 45 días hábiles → 13.3, notice to the
    // control bodies. 103, 4.1: opinions within 7 días hábiles (no expiry path: marked late).
    let (supervision, due_94, _) = case_at(&store, &library, "cnpss-94", "13.1").await;
    let (opinion, due_103, directions) = case_at(&store, &library, "cnpss-103", "4.1").await;
    // Each Dirección General consulted has its own late opinion on record.
    let late_opinions = vec!["deadline_passed"; directions];

    // On the due day nothing has passed yet.
    let on_due = commands::sweep(&store, &library, &ctx(due_103))
        .await
        .unwrap();
    assert_eq!(on_due.committed, 0);
    assert!(kinds(&store, opinion).await.is_empty());

    // The day after 103's term: the deadline is recorded; 94's term still runs.
    let after = due_103.tomorrow().unwrap();
    let swept = commands::sweep(&store, &library, &ctx(after))
        .await
        .unwrap();
    assert_eq!((swept.cases, swept.committed), (1, 1));
    assert_eq!(kinds(&store, opinion).await, late_opinions);
    assert!(due_94 > after, "45 días hábiles end later");
    assert!(kinds(&store, supervision).await.is_empty());
    // Sweeping again records nothing more, and does not even read the case again: its
    // deadlines are on record.
    let again = commands::sweep(&store, &library, &ctx(after))
        .await
        .unwrap();
    assert_eq!((again.cases, again.committed), (0, 0));
    assert!(store.cases_past_due(after, 10).await.unwrap().is_empty());

    // 94's term passes: three sweepers at once, as three `turno serve` processes would.
    let late = ctx(due_94.tomorrow().unwrap());
    let (a, b, c) = tokio::join!(
        commands::sweep(&store, &library, &late),
        commands::sweep(&store, &library, &late),
        commands::sweep(&store, &library, &late),
    );
    let committed: usize = [a, b, c].into_iter().map(|s| s.unwrap().committed).sum();
    assert_eq!(committed, 1, "one command, whoever ran it");
    assert_eq!(
        kinds(&store, supervision).await,
        ["deadline_passed", "activity_expired"]
    );
    let current = store.load_current(supervision).await.unwrap();
    let p = library.newest().find(|p| p.key == "cnpss-94").unwrap();
    let open: Vec<&str> = current
        .case
        .open
        .iter()
        .map(|w| p.activity(w.activity).number.as_str())
        .collect();
    assert_eq!(open, ["13.3"], "the notice to the control bodies is open");
    assert_eq!(kinds(&store, opinion).await, late_opinions, "still once");
    assert_eq!(store.verify().await.unwrap().breaks, []);
}

/// Every term of the seed procedures, through the sweep: driven to the activity, left one day
/// past its due date, the deadline is on record for each of its work items and, where the
/// definition says so, the case has taken the expiry path.
async fn every_seed_term_is_enforced_by_the_sweep<S: Store>(store: S, _raw: Raw) {
    let library = library(&store).await;
    let mut checked = Vec::new();
    for p in library.newest() {
        for (index, activity) in p.activities.iter().enumerate() {
            let Some(deadline) = &activity.deadline else {
                continue;
            };
            let (case, due, items) = case_at(&store, &library, &p.key, &activity.number).await;
            let late = ctx(due.tomorrow().unwrap());
            // Cases of earlier rounds may be swept too: what matters is this one's record.
            let swept = commands::sweep(&store, &library, &late).await.unwrap();
            assert!(swept.committed >= 1, "{} {}", p.key, activity.number);
            let recorded = kinds(&store, case).await;
            let passed = recorded.iter().filter(|k| **k == "deadline_passed").count();
            assert!(
                passed >= items,
                "{} {}: {recorded:?}",
                p.key,
                activity.number
            );
            let open: Vec<String> = store
                .load_current(case)
                .await
                .unwrap()
                .case
                .open
                .iter()
                .map(|w| p.activity(w.activity).number.clone())
                .collect();
            match deadline.on_expiry {
                Some(target) => {
                    assert!(
                        recorded.contains(&"activity_expired"),
                        "{}",
                        activity.number
                    );
                    assert!(
                        open.contains(&p.activity(target).number),
                        "{} {} → {}: {open:?}",
                        p.key,
                        activity.number,
                        p.activity(target).number
                    );
                }
                None => assert!(
                    open.contains(&activity.number),
                    "{} {}: marked late, still open",
                    p.key,
                    activity.number
                ),
            }
            checked.push(format!("{} {}", p.key, p.activities[index].number));
        }
    }
    assert!(checked.len() >= 10, "{checked:?}");
}

on_both_backends! {
    escalations_happen_when_their_term_passes_and_once,
    every_seed_term_is_enforced_by_the_sweep,
}
