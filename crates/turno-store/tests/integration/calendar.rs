//! The calendar kept in the database, on both backends: importing a DOF agreement's días
//! inhábiles moves the due dates of the terms they fall in, each case's record says why, a
//! second import of the same file changes nothing, and a file with a problem imports nothing.

use crate::common::{Raw, day, new_report, seed_000};
use jiff::civil::Date;
use turno_app::commands::{self, Moved, OnCase};
use turno_domain::engine::{Actor, Calendars, Context, Event, Turn};
use turno_domain::library::{Library, Source};
use turno_store::calendar::{self, CalendarImportError, change_reason};
use turno_store::{CaseId, Store};

async fn library<S: Store>(store: &S) -> Library {
    let (_, text) = seed_000();
    let sources = [Source {
        name: "sidss-informes-oficiales.toml",
        text,
    }];
    turno_app::library::load(store, &sources, day().now)
        .await
        .unwrap()
}

/// A report whose first activity is turned to a unit with 10 días hábiles from 2 March 2026;
/// returns the case and the turn's due date.
async fn turned_report<S: Store>(store: &S) -> (CaseId, String, Date) {
    let committed = new_report(store, "Informe trimestral").await;
    let current = store.load_current(committed.case_id).await.unwrap();
    let turn = Turn {
        item: current.case.open[0].id,
        by: Actor::system(),
        units: vec!["DGPLADES".into()],
        instruction: "Para su atención".into(),
        business_days: Some(10),
    };
    let (procedure, _) = seed_000();
    commands::turn_work(
        store,
        OnCase::new(&procedure, committed.case_id, &day()),
        turn,
    )
    .await
    .unwrap();
    let current = store.load_current(committed.case_id).await.unwrap();
    let due = current.case.open.iter().find_map(|w| w.due).unwrap();
    (committed.case_id, current.head.folio, due)
}

/// The calendars the store holds now.
async fn stored_calendars<S: Store>(store: &S) -> Calendars {
    store.calendar().await.unwrap().calendars()
}

fn on(calendars: &Calendars) -> Context<'_> {
    Context { calendars, ..day() }
}

const DAY_OFF: &str = "[[days]]\n\
    date = \"2026-03-06\"\n\
    name = \"Suspensión de labores\"\n\
    source = \"Acuerdo de prueba\"\n";

async fn a_day_off_inside_a_term_moves_its_due_date_and_the_record_says_why<S: Store>(
    store: S,
    _raw: Raw,
) {
    let library = library(&store).await;
    let (case, folio, due) = turned_report(&store).await;
    assert_eq!(
        due,
        jiff::civil::date(2026, 3, 16),
        "10 días hábiles from 2 March"
    );
    assert_eq!(store.calendar_revision().await.unwrap(), 0);

    let imported = calendar::import(&store, &[("2026.toml", DAY_OFF)], "admin")
        .await
        .unwrap();
    assert_eq!((imported.added.len(), imported.revision), (1, 1));
    let calendars = stored_calendars(&store).await;
    let reason = change_reason(&imported.added, &[]);
    let recounted = commands::recount_all(&store, &library, &on(&calendars), &reason)
        .await
        .unwrap();
    let later = jiff::civil::date(2026, 3, 17);
    assert_eq!(
        recounted.moved,
        vec![Moved {
            folio: folio.clone(),
            activity: "1.1".into(),
            before: due,
            after: later,
        }]
    );
    let stored = store.load_case(case).await.unwrap();
    let last = &stored.events.last().unwrap().event;
    assert!(
        matches!(last, Event::DueRecounted { previous, due, reason, .. }
            if *previous == jiff::civil::date(2026, 3, 16) && *due == later
                && reason == "Calendario: se agregó día inhábil 06/03/2026 «Suspensión de labores»"),
        "{last:?}"
    );
    assert_eq!(store.verify().await.unwrap().breaks, []);

    // The same file again: nothing added, nothing recorded, nothing moves.
    let again = calendar::import(&store, &[("2026.toml", DAY_OFF)], "admin")
        .await
        .unwrap();
    assert_eq!(
        (again.added.len(), again.unchanged, again.revision),
        (0, 1, 1)
    );
    let calendars = stored_calendars(&store).await;
    let recounted = commands::recount_all(&store, &library, &on(&calendars), "otra vez")
        .await
        .unwrap();
    assert!(recounted.moved.is_empty());
    let audit = store.audit_log(Some("2026.toml"), 10).await.unwrap();
    assert_eq!(audit.len(), 1);
    assert_eq!(audit[0].action, "calendar_imported");

    // Removing the day gives the term its day back.
    let entry = &store.calendar().await.unwrap().entries[0];
    assert_eq!(
        (entry.file.as_str(), entry.imported_by.as_str()),
        ("2026.toml", "admin")
    );
    let removed = store
        .remove_calendar_entry(entry.id, "admin")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(store.calendar_revision().await.unwrap(), 2);
    assert_eq!(
        store
            .remove_calendar_entry(entry.id, "admin")
            .await
            .unwrap(),
        None
    );
    let calendars = stored_calendars(&store).await;
    let reason = change_reason(&[], &[removed.period]);
    let recounted = commands::recount_all(&store, &library, &on(&calendars), &reason)
        .await
        .unwrap();
    assert_eq!(
        recounted
            .moved
            .iter()
            .map(|m| (m.before, m.after))
            .collect::<Vec<_>>(),
        vec![(later, due)]
    );
}

async fn a_file_with_a_problem_imports_nothing<S: Store>(store: S, _raw: Raw) {
    let bad = "[[days]]\ndate = \"2026-02-30\"\nname = \"Día\"\n";
    let Err(CalendarImportError::Invalid(problems)) = calendar::import(
        &store,
        &[("2026.toml", DAY_OFF), ("2027.toml", bad)],
        "admin",
    )
    .await
    else {
        panic!("a bad file is refused");
    };
    assert_eq!(problems.len(), 1);
    assert_eq!(
        problems[0].to_string(),
        "2027.toml:2:8: days[0].date: 2026-02-30 no es una fecha válida"
    );
    let stored = store.calendar().await.unwrap();
    assert_eq!((stored.revision, stored.entries.len()), (0, 0));
    assert!(store.audit_log(None, 10).await.unwrap().is_empty());
}

on_both_backends!(
    a_day_off_inside_a_term_moves_its_due_date_and_the_record_says_why,
    a_file_with_a_problem_imports_nothing,
);
