//! `turno calendar import` as an administrator runs it, on SQLite: a file with an error imports
//! nothing and says where; a good one adds its días inhábiles, moves the due dates of the open
//! terms they fall in and prints each (folio, activity, before → now); importing it again
//! changes nothing.

use turno_domain::calendar::Regime;
use turno_domain::engine::{Calendars, Context};
use turno_store::{AnyStore, Store};

use crate::common::{assert_contains, case_at_4_1, stderr, stdout, temp_dir, turno_on, url};

/// A case of procedure 103 at 4.1 from today (7 días hábiles): its folio, due date and the
/// day it counts from.
async fn open_case(url: &str) -> (String, jiff::civil::Date, jiff::civil::Date, Regime) {
    let store = AnyStore::connect(url).await.unwrap();
    let now = jiff::Timestamp::now();
    let calendars = Calendars::statutory();
    let ctx = Context {
        now,
        today: now
            .to_zoned(jiff::tz::TimeZone::get("America/Mexico_City").unwrap())
            .date(),
        calendars: &calendars,
    };
    let (case_id, p) = case_at_4_1(&store, &ctx).await;
    let target = p.activity_by_number("4.1").unwrap();
    let current = store.load_current(case_id).await.unwrap();
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

/// How the recount prints a due date it moved.
fn moved(folio: &str, due: jiff::civil::Date, later: jiff::civil::Date) -> String {
    format!(
        "{folio} actividad 4.1: {} → {}",
        due.strftime("%d/%m/%Y"),
        later.strftime("%d/%m/%Y")
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

    let out = turno_on(&db, &["calendar", "import", good, bad]);
    assert!(!out.status.success());
    let errors = stderr(&out);
    assert_contains(
        &errors,
        &format!("{bad}:2:8: days[0].date: 2026-02-30 no es una fecha válida"),
    );
    assert_contains(&errors, "no se importó nada");
    let stored = runtime.block_on(async {
        AnyStore::connect(&db)
            .await
            .unwrap()
            .calendar()
            .await
            .unwrap()
    });
    assert!(stored.entries.is_empty(), "not even the good file");

    let out = turno_on(&db, &["calendar", "import", good]);
    assert!(out.status.success(), "{}", stderr(&out));
    let printed = stdout(&out);
    assert_contains(
        &printed,
        &format!("agregado: {day_off} Suspensión de labores"),
    );
    assert_contains(&printed, &moved(&folio, due, later));

    let out = turno_on(&db, &["calendar", "import", good]);
    assert!(out.status.success(), "{}", stderr(&out));
    let printed = stdout(&out);
    assert_contains(&printed, "días o periodos nuevos: 0; ya registrados: 1");
    assert_contains(&printed, "fechas límite recalculadas: 0");
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
    let out = turno_on(&db, &["calendar", "import", file.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("fechas límite recalculadas: 0"),
        "not the agency's"
    );

    let out = turno_on(&db, &["calendar", "scope", "--institution", "IMSS"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let printed = stdout(&out);
    assert_contains(
        &printed,
        "Calendario: ahora cuenta los días inhábiles de IMSS",
    );
    assert_contains(&printed, &moved(&folio, due, later));
    let out = turno_on(&db, &["calendar", "scope", "--state", "Atlántida"]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("Atlántida"), "{}", stderr(&out));
}
