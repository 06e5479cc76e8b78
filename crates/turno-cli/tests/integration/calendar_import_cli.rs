//! `turno calendar import` as an administrator runs it, on SQLite: a file with an error imports
//! nothing and says where; a good one adds its días inhábiles, moves the due dates of the open
//! terms they fall in and prints each (folio, activity, before → now); importing it again
//! changes nothing.

use turno_app::commands::{follow_route, start_case};
use turno_domain::calendar::Regime;
use turno_domain::engine::{Actor, Calendars, Context, Start};
use turno_domain::library::Source;
use turno_domain::simulate::{route, sample_fields};
use turno_store::{AnyStore, FolioRule, NewCase, Store};

use crate::common::{stderr, stdout, temp_dir, turno, url};

const OPINIONS: &str = include_str!("../../../../procedures/cnpss-103.toml");

/// A case of procedure 103 at 4.1 from today (7 días hábiles): its folio, due date and the
/// day it counts from.
async fn open_case(url: &str) -> (String, jiff::civil::Date, jiff::civil::Date, Regime) {
    let store = AnyStore::connect(url).await.unwrap();
    store.migrate().await.unwrap();
    let now = jiff::Timestamp::now();
    let calendars = Calendars::statutory();
    let ctx = Context {
        now,
        today: now
            .to_zoned(jiff::tz::TimeZone::get("America/Mexico_City").unwrap())
            .date(),
        calendars: &calendars,
    };
    let sources = [Source {
        name: "cnpss-103.toml",
        text: OPINIONS,
    }];
    let library = turno_app::library::load(&store, &sources, now)
        .await
        .unwrap();
    let p = library.newest().next().unwrap().clone();
    let case = start_case(
        &store,
        &p,
        NewCase {
            folio: FolioRule::for_procedure(&p, None, ctx.today.year()),
            title: "Opinión sobre una iniciativa".into(),
            channel: None,
            requester: None,
        },
        Start {
            by: Actor::system(),
            fields: sample_fields(&p, ctx.today),
        },
        &ctx,
        None,
    )
    .await
    .unwrap();
    let target = p.activity_by_number("4.1").unwrap();
    let steps = route(&p, p.first_activity(), Some(target)).unwrap();
    follow_route(&store, &p, case.case_id, &steps, &Actor::system(), &ctx)
        .await
        .unwrap();
    let current = store.load_current(case.case_id).await.unwrap();
    let work = current
        .case
        .open
        .iter()
        .find(|w| w.activity == target)
        .unwrap();
    let basis = work.basis.unwrap();
    (
        current.head.folio,
        work.due.unwrap(),
        basis.from,
        basis.regime,
    )
}

#[test]
fn an_import_moves_the_due_dates_it_falls_in_and_a_bad_file_imports_nothing() {
    let dir = temp_dir("calendar-import");
    let database = dir.join("turno.db");
    let db = url(&database);
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let (folio, due, from, regime) = runtime.block_on(open_case(&db));
    let statutory = Calendars::statutory();
    let calendar = statutory.get(regime);
    let day_off = calendar.add_business_days(from, 2).unwrap();
    assert!(day_off < due, "inside the 7 días hábiles");
    let later = calendar.add_business_days(due, 1).unwrap();

    let good = dir.join("acuerdo.toml");
    std::fs::write(
        &good,
        format!("[[days]]\ndate = \"{day_off}\"\nname = \"Suspensión de labores\"\n"),
    )
    .unwrap();
    let bad = dir.join("malo.toml");
    std::fs::write(&bad, "[[days]]\ndate = \"2026-02-30\"\nname = \"Día\"\n").unwrap();
    let (good, bad) = (good.to_str().unwrap(), bad.to_str().unwrap());

    let out = turno(&["calendar", "import", good, bad, "--database-url", &db]);
    assert!(!out.status.success());
    let errors = stderr(&out);
    assert!(
        errors.contains(&format!(
            "{bad}:2:8: days[0].date: 2026-02-30 is not a valid date"
        )),
        "{errors}"
    );
    assert!(errors.contains("no se importó nada"), "{errors}");
    let stored = runtime.block_on(async {
        AnyStore::connect(&db)
            .await
            .unwrap()
            .calendar()
            .await
            .unwrap()
    });
    assert!(stored.entries.is_empty(), "not even the good file");

    let out = turno(&["calendar", "import", good, "--database-url", &db]);
    assert!(out.status.success(), "{}", stderr(&out));
    let printed = stdout(&out);
    assert!(
        printed.contains(&format!("agregado: {day_off} Suspensión de labores")),
        "{printed}"
    );
    assert!(
        printed.contains(&format!(
            "{folio} actividad 4.1: {} → {}",
            due.strftime("%d/%m/%Y"),
            later.strftime("%d/%m/%Y")
        )),
        "{printed}"
    );

    let out = turno(&["calendar", "import", good, "--database-url", &db]);
    assert!(out.status.success(), "{}", stderr(&out));
    let printed = stdout(&out);
    assert!(
        printed.contains("días o periodos nuevos: 0; ya registrados: 1"),
        "{printed}"
    );
    assert!(
        printed.contains("fechas límite recalculadas: 0"),
        "{printed}"
    );
}

#[test]
fn an_institutions_days_count_once_the_agency_is_that_institution() {
    let dir = temp_dir("calendar-scope");
    let db = url(&dir.join("turno.db"));
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let (folio, due, from, regime) = runtime.block_on(open_case(&db));
    let calendar = Calendars::statutory().get(regime).clone();
    let day_off = calendar.add_business_days(from, 2).unwrap();
    let later = calendar.add_business_days(due, 1).unwrap();
    let file = dir.join("imss.toml");
    std::fs::write(
        &file,
        format!(
            "[[days]]\ndate = \"{day_off}\"\nname = \"Día del IMSS\"\ninstitution = \"IMSS\"\n"
        ),
    )
    .unwrap();
    let out = turno(&[
        "calendar",
        "import",
        file.to_str().unwrap(),
        "--database-url",
        &db,
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("fechas límite recalculadas: 0"),
        "not the agency's"
    );

    let out = turno(&[
        "calendar",
        "scope",
        "--institution",
        "IMSS",
        "--database-url",
        &db,
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let printed = stdout(&out);
    assert!(
        printed.contains("Calendario: ahora cuenta los días inhábiles de IMSS"),
        "{printed}"
    );
    assert!(
        printed.contains(&format!(
            "{folio} actividad 4.1: {} → {}",
            due.strftime("%d/%m/%Y"),
            later.strftime("%d/%m/%Y")
        )),
        "{printed}"
    );
    let out = turno(&[
        "calendar",
        "scope",
        "--state",
        "Atlántida",
        "--database-url",
        &db,
    ]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("Atlántida"), "{}", stderr(&out));
}
