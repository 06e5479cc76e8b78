use super::*;
use jiff::civil::date;
use proptest::prelude::*;

/// The repository's data files, embedded at compile time (the crate itself does no IO).
const DATA_FILES: &[(&str, &str)] = &[
    (
        "calendars/2025.toml",
        include_str!("../../../../calendars/2025.toml"),
    ),
    (
        "calendars/2026.toml",
        include_str!("../../../../calendars/2026.toml"),
    ),
    (
        "calendars/2027.toml",
        include_str!("../../../../calendars/2027.toml"),
    ),
];

fn repo_data() -> CalendarData {
    DATA_FILES
        .iter()
        .map(|(name, text)| CalendarData::parse(name, text).unwrap_or_else(|e| panic!("{e}")))
        .collect()
}

fn dates(days: &[NonWorkingDay]) -> Vec<String> {
    days.iter().map(|d| d.date.to_string()).collect()
}

fn listing(days: &[NonWorkingDay]) -> Vec<String> {
    days.iter()
        .map(|d| format!("{} {}", d.date, d.name))
        .collect()
}

/// Easter Sunday (anonymous Gregorian algorithm), to check the Semana Santa data.
fn easter(year: i16) -> Date {
    let y = i32::from(year);
    let a = y % 19;
    let b = y / 100;
    let c = y % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    Date::new(year, month as i8, day as i8).unwrap()
}

// ---------------------------------------------------------------------------------------------
// Statutory days

#[test]
fn lft_2030_monday_rules_and_october_transmission() {
    assert_eq!(
        dates(&statutory_days(Regime::Lft, 2030)),
        [
            "2030-01-01",
            "2030-02-04",
            "2030-03-18",
            "2030-05-01",
            "2030-09-16",
            "2030-10-01",
            "2030-11-18",
            "2030-12-25"
        ]
    );
    let days = statutory_days(Regime::Lft, 2030);
    assert_eq!(
        days[1].name,
        "Día de la Constitución (primer lunes de febrero)"
    );
    assert_eq!(days[5].name, "Transmisión del Poder Ejecutivo Federal");
}

#[test]
fn lfpa_2030_fixed_dates() {
    assert_eq!(
        dates(&statutory_days(Regime::Lfpa, 2030)),
        [
            "2030-01-01",
            "2030-02-05",
            "2030-03-21",
            "2030-05-01",
            "2030-05-05",
            "2030-09-01",
            "2030-09-16",
            "2030-10-01",
            "2030-11-20",
            "2030-12-25"
        ]
    );
}

#[test]
fn transmission_2024_is_1_october() {
    for regime in Regime::ALL {
        let days = dates(&statutory_days(regime, 2024));
        assert!(days.contains(&"2024-10-01".to_owned()), "{regime}");
        assert!(!days.contains(&"2024-12-01".to_owned()), "{regime}");
    }
    assert_eq!(
        dates(&statutory_days(Regime::Lft, 2024)),
        [
            "2024-01-01",
            "2024-02-05",
            "2024-03-18",
            "2024-05-01",
            "2024-09-16",
            "2024-10-01",
            "2024-11-18",
            "2024-12-25"
        ]
    );
}

#[test]
fn transmission_2018_is_1_december() {
    for regime in Regime::ALL {
        let days = dates(&statutory_days(regime, 2018));
        assert!(days.contains(&"2018-12-01".to_owned()), "{regime}");
        assert!(!days.contains(&"2018-10-01".to_owned()), "{regime}");
    }
    assert_eq!(
        dates(&statutory_days(Regime::Lft, 2018)),
        [
            "2018-01-01",
            "2018-02-05",
            "2018-03-19",
            "2018-05-01",
            "2018-09-16",
            "2018-11-19",
            "2018-12-01",
            "2018-12-25"
        ]
    );
}

#[test]
fn transmission_only_every_six_years() {
    for year in [1970, 1976, 1982, 1988, 1994, 2000, 2006, 2012, 2018] {
        let day = Date::new(year, 12, 1).unwrap();
        assert!(
            statutory_days(Regime::Lft, year)
                .iter()
                .any(|d| d.date == day),
            "{year}"
        );
    }
    for year in [2024, 2030, 2036, 2042] {
        let day = Date::new(year, 10, 1).unwrap();
        assert!(
            statutory_days(Regime::Lfpa, year)
                .iter()
                .any(|d| d.date == day)
        );
    }
    for year in [2019, 2023, 2025, 2029, 2031] {
        assert!(
            statutory_days(Regime::Lfpa, year)
                .iter()
                .all(|d| d.name != "Transmisión del Poder Ejecutivo Federal"),
            "{year}"
        );
    }
}

#[test]
fn lft_2005_uses_fixed_dates_before_the_reform() {
    assert_eq!(
        dates(&statutory_days(Regime::Lft, 2005)),
        [
            "2005-01-01",
            "2005-02-05",
            "2005-03-21",
            "2005-05-01",
            "2005-09-16",
            "2005-11-20",
            "2005-12-25"
        ]
    );
    // 2006 is the first year of the Monday rules (and a transmission year).
    assert_eq!(
        dates(&statutory_days(Regime::Lft, 2006)),
        [
            "2006-01-01",
            "2006-02-06",
            "2006-03-20",
            "2006-05-01",
            "2006-09-16",
            "2006-11-20",
            "2006-12-01",
            "2006-12-25"
        ]
    );
}

#[test]
fn statutory_rules_agree_day_by_day_and_by_year() {
    for regime in Regime::ALL {
        for year in (1890..2210).chain([-9999, -1, 0, 9999]) {
            let listed: Vec<Date> = statutory_days(regime, year)
                .iter()
                .map(|d| d.date)
                .collect();
            let first = Date::new(year, 1, 1).unwrap();
            let matched: Vec<Date> = first
                .series(jiff::Span::new().days(1))
                .take_while(|d| d.year() == year)
                .filter(|d| statutory::is_statutory(regime, *d))
                .collect();
            assert_eq!(listed, matched, "{regime} {year}");
        }
    }
}

#[test]
fn whole_year_counts_agree_with_day_by_day() {
    for cal in calendars() {
        for year in (1985..2110).chain([-9999, 0, 9999]) {
            let first = Date::new(year, 1, 1).unwrap();
            let by_day = first
                .series(jiff::Span::new().days(1))
                .take_while(|d| d.year() == year)
                .filter(|d| cal.is_business_day_slow(*d))
                .count() as i64;
            assert_eq!(
                cal.business_days_in_year(year),
                Some(by_day),
                "{cal:?} {year}"
            );
        }
    }
}

#[test]
fn statutory_names_are_spanish() {
    assert_eq!(
        listing(&statutory_days(Regime::Lfpa, 2030)),
        [
            "2030-01-01 Año Nuevo",
            "2030-02-05 Día de la Constitución",
            "2030-03-21 Natalicio de Benito Juárez",
            "2030-05-01 Día del Trabajo",
            "2030-05-05 Aniversario de la Batalla de Puebla",
            "2030-09-01 Apertura del periodo ordinario de sesiones del Congreso",
            "2030-09-16 Día de la Independencia",
            "2030-10-01 Transmisión del Poder Ejecutivo Federal",
            "2030-11-20 Día de la Revolución",
            "2030-12-25 Navidad",
        ]
    );
}

#[test]
fn statutory_days_of_unsupported_years_are_empty() {
    assert!(statutory_days(Regime::Lft, i16::MAX).is_empty());
    assert!(statutory_days(Regime::Lfpa, i16::MIN).is_empty());
    // 9999 is not a transmission year (9999 % 6 == 3).
    assert_eq!(statutory_days(Regime::Lfpa, 9999).len(), 9);
}

#[test]
fn weekends_are_never_business_days_and_not_listed() {
    let cal = Calendar::new(Regime::Lfpa);
    assert!(!cal.is_business_day(date(2030, 5, 4))); // Saturday
    assert!(!cal.is_business_day(date(2030, 5, 5))); // Sunday and holiday
    assert!(cal.is_business_day(date(2030, 5, 6)));
    assert!(
        cal.non_working_days(2030)
            .iter()
            .all(|d| d.date != date(2030, 5, 4))
    );
}

#[test]
fn coinciding_names_are_joined_once() {
    let data = CalendarData::parse(
        "t.toml",
        r#"
[[days]]
date = "2030-10-01"
name = "Día de asueto"
[[days]]
date = "2030-10-01"
name = "Día de asueto"
[[days]]
date = "2030-10-01"
name = "Transmisión del Poder Ejecutivo Federal"
"#,
    )
    .unwrap();
    let cal = Calendar::build(Regime::Lfpa, &data, Scope::default());
    let day = cal
        .non_working_days(2030)
        .into_iter()
        .find(|d| d.date == date(2030, 10, 1))
        .unwrap();
    assert_eq!(
        day.name,
        "Transmisión del Poder Ejecutivo Federal / Día de asueto"
    );
}

#[test]
fn regime_parses_and_displays() {
    assert_eq!("lft".parse::<Regime>(), Ok(Regime::Lft));
    assert_eq!(" LFPA ".parse::<Regime>(), Ok(Regime::Lfpa));
    assert!("lfp".parse::<Regime>().is_err());
    assert_eq!(Regime::Lfpa.to_string(), "lfpa");
    assert_eq!(Regime::default(), Regime::Lfpa);
    #[derive(serde::Deserialize)]
    struct W {
        r: Regime,
    }
    let w: W = toml::from_str("r = \"lft\"").unwrap();
    assert_eq!(w.r, Regime::Lft);
}

#[test]
fn state_codes_and_aliases_are_unambiguous() {
    let mut seen = std::collections::HashMap::new();
    for state in State::all() {
        for code in [state.code(), state.iso_code(), state.renapo_code()] {
            if let Some(other) = seen.insert(code, state) {
                assert_eq!(other, state, "{code} names two states");
            }
            assert_eq!(code.parse::<State>(), Ok(state));
        }
    }
    assert_eq!(State::all().count(), 32);
    assert_eq!("qro".parse::<State>().unwrap().code(), "QRO");
    assert_eq!("MX-QUE".parse::<State>().unwrap().code(), "QRO");
    assert_eq!("QT".parse::<State>().unwrap().name(), "Querétaro");
    assert_eq!("JAL".parse::<State>().unwrap().name(), "Jalisco");
    assert!("XX".parse::<State>().is_err());
}

#[test]
fn states_by_name_ignore_accents_and_case() {
    for state in State::all() {
        assert_eq!(State::from_name_or_code(state.name()), Ok(state));
        assert_eq!(State::from_name_or_code(state.code()), Ok(state));
    }
    let code = |s: &str| State::from_name_or_code(s).map(State::code);
    assert_eq!(code(" queretaro "), Ok("QRO"));
    assert_eq!(code("Distrito Federal"), Ok("CDMX"));
    assert_eq!(code("MICHOACAN"), Ok("MICH"));
    assert_eq!(code("Estado de México"), Ok("MEX"));
    assert_eq!(code("DF"), Ok("CDMX"));
    assert!(code("Texas").is_err());
}

// ---------------------------------------------------------------------------------------------
// Data files

#[test]
fn repository_data_files_parse() {
    let data = repo_data();
    assert!(data.periods().len() >= 6);
    for period in data.periods() {
        let source = period.source.as_deref().unwrap_or_default();
        assert!(!source.is_empty(), "{period:?} has no source");
    }
}

#[test]
fn semana_santa_data_matches_easter() {
    assert_eq!(easter(2025), date(2025, 4, 20));
    assert_eq!(easter(2026), date(2026, 4, 5));
    assert_eq!(easter(2027), date(2027, 3, 28));
    let data = repo_data();
    let mut checked = 0;
    for period in data.periods() {
        let offset = match period.name.as_str() {
            "Jueves Santo" => -3,
            "Viernes Santo" => -2,
            _ => continue,
        };
        let expected = easter(period.from.year())
            .checked_add(jiff::Span::new().days(offset))
            .unwrap();
        assert_eq!(
            (period.from, period.to),
            (expected, expected),
            "{}",
            period.name
        );
        checked += 1;
    }
    assert_eq!(checked, 6);
}

#[test]
fn add_and_count_across_semana_santa_2026() {
    let data = repo_data();
    let lfpa = Calendar::build(Regime::Lfpa, &data, Scope::default());
    // Wednesday 1 April 2026; Thursday 2 and Friday 3 are Jueves and Viernes Santo.
    assert_eq!(
        lfpa.add_business_days(date(2026, 4, 1), 1),
        Ok(date(2026, 4, 6))
    );
    assert_eq!(
        lfpa.add_business_days(date(2026, 4, 6), -1),
        Ok(date(2026, 4, 1))
    );
    assert_eq!(
        lfpa.add_business_days(date(2026, 4, 2), 1),
        Ok(date(2026, 4, 6))
    );
    assert_eq!(
        lfpa.add_business_days(date(2026, 3, 30), 5),
        Ok(date(2026, 4, 8))
    );
    assert_eq!(
        lfpa.count_business_days(date(2026, 3, 31), date(2026, 4, 6)),
        2
    );
    assert_eq!(
        lfpa.count_business_days(date(2026, 4, 6), date(2026, 3, 31)),
        -2
    );
    assert!(!lfpa.is_business_day(date(2026, 4, 2)));
    // 45 business days from Monday 2 March 2026 (LFPA: Saturday 21 March does not matter).
    assert_eq!(
        lfpa.add_business_days(date(2026, 3, 2), 45),
        Ok(date(2026, 5, 8))
    );
    assert_eq!(
        lfpa.count_business_days(date(2026, 3, 2), date(2026, 5, 8)),
        45
    );

    // The data marks Semana Santa for the LFPA only; LFT loses Monday 16 March instead.
    let lft = Calendar::build(Regime::Lft, &data, Scope::default());
    assert_eq!(
        lft.add_business_days(date(2026, 4, 1), 1),
        Ok(date(2026, 4, 2))
    );
    assert_eq!(
        lft.add_business_days(date(2026, 3, 13), 1),
        Ok(date(2026, 3, 17))
    );

    // Without data Semana Santa is business as usual.
    let bare = Calendar::new(Regime::Lfpa);
    assert_eq!(
        bare.add_business_days(date(2026, 4, 1), 1),
        Ok(date(2026, 4, 2))
    );

    let listed = listing(&lfpa.non_working_days(2026));
    assert!(listed.contains(&"2026-04-02 Jueves Santo".to_owned()));
    assert!(listed.contains(&"2026-04-03 Viernes Santo".to_owned()));
}

#[test]
fn semana_santa_2025_and_2027() {
    let cal = Calendar::build(Regime::Lfpa, &repo_data(), Scope::default());
    assert_eq!(
        cal.add_business_days(date(2025, 4, 16), 1),
        Ok(date(2025, 4, 21))
    );
    assert_eq!(
        cal.add_business_days(date(2027, 3, 24), 1),
        Ok(date(2027, 3, 29))
    );
    assert_eq!(
        cal.count_business_days(date(2027, 3, 19), date(2027, 3, 31)),
        6
    );
}

const SCOPED: &str = r#"
[[days]]
date = "2026-06-15"
name = "Día del servidor de Salud"
institution = "ssa"
source = "prueba"

[[days]]
date = "2026-06-16"
name = "Fiesta estatal"
state = "QRO"

[[ranges]]
from = "2026-07-20"
to = "2026-07-31"
name = "Primer periodo vacacional"
regimes = ["lfpa"]
institution = "SSA"
"#;

#[test]
fn institution_state_and_regime_filters() {
    let data = CalendarData::parse("scoped.toml", SCOPED).unwrap();
    let federal = Calendar::build(Regime::Lfpa, &data, Scope::default());
    assert!(federal.is_business_day(date(2026, 6, 15)));
    assert!(federal.is_business_day(date(2026, 6, 16)));
    assert!(federal.is_business_day(date(2026, 7, 20)));

    let ssa = Calendar::build(
        Regime::Lfpa,
        &data,
        Scope {
            institution: Some("SSA"),
            state: None,
        },
    );
    assert_eq!(ssa.institution(), Some("SSA"));
    assert!(!ssa.is_business_day(date(2026, 6, 15)));
    assert!(ssa.is_business_day(date(2026, 6, 16)));
    assert_eq!(
        ssa.add_business_days(date(2026, 7, 17), 1),
        Ok(date(2026, 8, 3))
    );
    // Weekend days of a period are not listed.
    let july: Vec<_> = ssa
        .non_working_days(2026)
        .into_iter()
        .filter(|d| d.date.month() == 7)
        .collect();
    assert_eq!(july.len(), 10);

    let ssa_lft = Calendar::build(
        Regime::Lft,
        &data,
        Scope {
            institution: Some("ssa"),
            state: None,
        },
    );
    assert!(!ssa_lft.is_business_day(date(2026, 6, 15)));
    assert!(ssa_lft.is_business_day(date(2026, 7, 20)));

    let qro = Calendar::build(
        Regime::Lfpa,
        &data,
        Scope {
            institution: None,
            state: Some("QT".parse().unwrap()),
        },
    );
    assert!(!qro.is_business_day(date(2026, 6, 16)));
    let jal = Calendar::build(
        Regime::Lfpa,
        &data,
        Scope {
            institution: None,
            state: Some("JAL".parse().unwrap()),
        },
    );
    assert!(jal.is_business_day(date(2026, 6, 16)));
}

#[test]
fn toml_native_dates_are_accepted() {
    let data = CalendarData::parse(
        "n.toml",
        "[[days]]\ndate = 2026-04-02\nname = \"Jueves Santo\"\n",
    )
    .unwrap();
    assert_eq!(data.periods()[0].from, date(2026, 4, 2));
    let err = CalendarData::parse(
        "n.toml",
        "[[days]]\ndate = 2026-04-02T10:00:00\nname = \"x\"\n",
    )
    .unwrap_err();
    assert_eq!(err.field.as_deref(), Some("days[0].date"));
}

fn parse_err(text: &str) -> CalendarDataError {
    CalendarData::parse("calendars/x.toml", text).unwrap_err()
}

#[test]
fn data_errors_name_file_line_column_and_field() {
    let err = parse_err("[[days]]\ndate = \"2026-02-30\"\nname = \"x\"\n");
    assert_eq!((err.line, err.column), (2, 8));
    assert_eq!(err.field.as_deref(), Some("days[0].date"));
    assert_eq!(
        err.to_string(),
        "calendars/x.toml:2:8: days[0].date: 2026-02-30 no es una fecha válida"
    );

    let err = parse_err(
        "[[days]]\ndate = \"2026-04-02\"\nname = \"x\"\n\n[[days]]\ndate = \"2026-4-3\"\nname = \"y\"\n",
    );
    assert_eq!(
        (err.line, err.column, err.field.as_deref()),
        (6, 8, Some("days[1].date"))
    );

    let err = parse_err("[[ranges]]\nfrom = \"2026-07-31\"\nto = \"2026-07-20\"\nname = \"v\"\n");
    assert_eq!(
        (err.line, err.column, err.field.as_deref()),
        (3, 6, Some("ranges[0].to"))
    );
    assert_eq!(
        err.message,
        "`to` (2026-07-20) es anterior a `from` (2026-07-31)"
    );

    let err = parse_err("[[ranges]]\nfrom = \"2026-01-01\"\nto = \"2027-01-02\"\nname = \"v\"\n");
    assert_eq!(err.field.as_deref(), Some("ranges[0].to"));
    assert_eq!(
        err.message,
        "el periodo abarca 367 días; se admiten a lo sumo 366"
    );
    // 366 days is fine (a leap year).
    assert!(
        CalendarData::parse(
            "ok",
            "[[ranges]]\nfrom = \"2028-01-01\"\nto = \"2028-12-31\"\nname = \"v\"\n"
        )
        .is_ok()
    );

    let err = parse_err("[[days]]\ndate = \"2026-04-02\"\nname = \"x\"\nregime = [\"lfpa\"]\n");
    assert_eq!(
        (err.line, err.column, err.field.as_deref()),
        (4, 1, Some("days[0].regime"))
    );
    assert!(
        err.message
            .starts_with("campo desconocido (se esperaba uno de: date, name"),
        "{err}"
    );

    let err =
        parse_err("[[days]]\ndate = \"2026-04-02\"\nname = \"x\"\nregimes = [\"lfpa\", \"ley\"]\n");
    assert_eq!(
        (err.line, err.column, err.field.as_deref()),
        (4, 20, Some("days[0].regimes[1]"))
    );

    let err = parse_err("[[days]]\ndate = \"2026-04-02\"\nname = \"x\"\nregimes = []\n");
    assert_eq!(err.field.as_deref(), Some("days[0].regimes"));

    let err = parse_err("[[days]]\ndate = \"2026-04-02\"\nname = \"x\"\nstate = \"Querétaro\"\n");
    assert_eq!(
        (err.line, err.column, err.field.as_deref()),
        (4, 9, Some("days[0].state"))
    );

    let err = parse_err("[[days]]\nname = \"x\"\n");
    assert_eq!(err.field.as_deref(), Some("days[0].date"));
    assert_eq!(err.message, "falta este campo, que es obligatorio");

    let err = parse_err("[[days]]\ndate = \"2026-04-02\"\nname = 3\n");
    assert_eq!(
        (err.line, err.column, err.field.as_deref()),
        (3, 8, Some("days[0].name"))
    );
    assert_eq!(
        err.message,
        "se esperaba un texto, se encontró un número entero"
    );

    let err = parse_err("[[days]]\ndate = \"2026-04-02\"\nname = \"  \"\n");
    assert_eq!(err.field.as_deref(), Some("days[0].name"));

    let err = parse_err("[[days]]\ndate = \"2026-04-02\"\nname = \"a\\nb\"\n");
    assert_eq!(err.field.as_deref(), Some("days[0].name"));

    let err = parse_err("days = 3\n");
    assert_eq!(
        (err.line, err.column, err.field.as_deref()),
        (1, 8, Some("days"))
    );

    let err = parse_err("year = 2026\n");
    assert_eq!(err.field.as_deref(), Some("year"));

    // TOML syntax errors have a position but no field.
    let err = parse_err("[[days]]\ndate = \"2026-04-02\nname = \"x\"\n");
    assert_eq!(err.line, 2);
    assert_eq!(err.field, None);
    assert!(err.to_string().starts_with("calendars/x.toml:2:"), "{err}");
    assert!(err.message.starts_with("error de sintaxis TOML: "), "{err}");
}

/// Every message a person reads of a data file is Spanish, and keeps its position.
#[test]
fn data_errors_are_told_in_spanish() {
    let told = |text: &str| parse_err(text).to_string();
    for (text, expected) in [
        (
            "[[days]]\ndate = \"2026-4-3\"\nname = \"y\"\n",
            "calendars/x.toml:2:8: days[0].date: se esperaba una fecha \"AAAA-MM-DD\", se encontró \"2026-4-3\"",
        ),
        (
            "[[days]]\ndate = 3\nname = \"y\"\n",
            "calendars/x.toml:2:8: days[0].date: se esperaba una fecha \"AAAA-MM-DD\", se encontró un número entero",
        ),
        (
            "[[days]]\ndate = 2026-04-02T10:00:00\nname = \"x\"\n",
            "calendars/x.toml:2:8: days[0].date: se esperaba una fecha \"AAAA-MM-DD\", se encontró la fecha y hora 2026-04-02T10:00:00",
        ),
        (
            "[[days]]\ndate = \"2026-04-02\"\nname = \"  \"\n",
            "calendars/x.toml:3:8: days[0].name: no puede estar vacío",
        ),
        (
            "[[days]]\ndate = \"2026-04-02\"\nname = \"a\\nb\"\n",
            "calendars/x.toml:3:8: days[0].name: debe ser una sola línea, sin caracteres de control",
        ),
        (
            "[[days]]\ndate = \"2026-04-02\"\nname = \"x\"\nregimes = []\n",
            "calendars/x.toml:4:11: days[0].regimes: debe nombrar al menos un régimen (omita el campo para ambos)",
        ),
        (
            "[[days]]\ndate = \"2026-04-02\"\nname = \"x\"\nregimes = \"lfpa\"\n",
            "calendars/x.toml:4:11: days[0].regimes: se esperaba una lista como [\"lfpa\"], se encontró un texto",
        ),
        (
            "[[days]]\ndate = \"2026-04-02\"\nname = \"x\"\nregimes = [\"ley\"]\n",
            "calendars/x.toml:4:12: days[0].regimes[0]: régimen desconocido «ley» (se esperaba `lft` o `lfpa`)",
        ),
        (
            "[[days]]\ndate = \"2026-04-02\"\nname = \"x\"\ninstitution = \"S S A\"\n",
            "calendars/x.toml:4:15: days[0].institution: se esperaba una clave sin espacios, por ejemplo \"SSA\"",
        ),
        (
            "days = 3\n",
            "calendars/x.toml:1:8: days: se esperaba una lista de tablas (`[[days]]`)",
        ),
        (
            "days = [3]\n",
            "calendars/x.toml:1:9: days[0]: se esperaba una tabla",
        ),
    ] {
        assert_eq!(told(text), expected);
    }
    let state = told("[[days]]\ndate = \"2026-04-02\"\nname = \"x\"\nstate = \"Querétaro\"\n");
    assert!(
        state.starts_with(
            "calendars/x.toml:4:9: days[0].state: clave de entidad federativa desconocida «Querétaro»"
        ),
        "{state}"
    );
    let syntax = told("[[days]]\ndate = \"2026-04-02\nname = \"x\"\n");
    assert!(
        syntax.starts_with("calendars/x.toml:2:")
            && syntax.contains(": error de sintaxis TOML: un texto entre comillas"),
        "{syntax}"
    );
}

#[test]
fn empty_data_file_is_fine() {
    assert!(CalendarData::parse("empty.toml", "").unwrap().is_empty());
    assert!(
        CalendarData::parse("comments.toml", "# nada este año\n")
            .unwrap()
            .is_empty()
    );
}

#[test]
fn line_column_counts_characters() {
    let text = "ñá = 1\nxyz";
    assert_eq!(data::line_column(text, 0), (1, 1));
    assert_eq!(data::line_column(text, 2), (1, 2)); // after "ñ"
    assert_eq!(data::line_column(text, 1), (1, 2)); // inside "ñ": no panic
    assert_eq!(data::line_column(text, 9), (2, 1));
    assert_eq!(data::line_column(text, 10), (2, 2));
    assert_eq!(data::line_column(text, 1000), (2, 4));
}

// ---------------------------------------------------------------------------------------------
// Arithmetic

#[test]
fn add_zero_and_natural_days() {
    let cal = Calendar::new(Regime::Lfpa);
    let saturday = date(2030, 5, 4);
    assert_eq!(cal.add_business_days(saturday, 0), Ok(saturday));
    assert_eq!(cal.add_business_days(saturday, 1), Ok(date(2030, 5, 6)));
    assert_eq!(cal.add_business_days(saturday, -1), Ok(date(2030, 5, 3)));
    assert_eq!(
        cal.subtract_business_days(date(2030, 5, 6), 1),
        Ok(date(2030, 5, 3))
    );
    assert_eq!(cal.add_natural_days(saturday, 30), Ok(date(2030, 6, 3)));
    assert_eq!(cal.add_natural_days(saturday, -4), Ok(date(2030, 4, 30)));
    assert_eq!(cal.count_natural_days(date(2030, 6, 3), saturday), -30);
    assert!(cal.add_natural_days(date(9999, 12, 1), 31).is_err());
    assert!(cal.add_natural_days(saturday, i32::MAX).is_err());
}

#[test]
fn window_edges_and_out_of_range() {
    let cal = Calendar::new(Regime::Lft);
    // Friday 2100-12-31 is the last day of the window: the next business day is found by the rules.
    let last = date(2100, 12, 31);
    let next = cal.add_business_days(last, 1).unwrap();
    assert_eq!(next, cal.add_business_days_slow(last, 1).unwrap());
    assert!(next > last && cal.is_business_day(next));
    assert_eq!(
        cal.add_business_days(date(1990, 1, 2), -1),
        Ok(date(1989, 12, 29))
    );
    assert_eq!(
        cal.count_business_days(date(1989, 12, 29), date(1990, 1, 2)),
        1
    );
    assert_eq!(
        cal.count_business_days(date(1990, 1, 2), date(1989, 12, 29)),
        -1
    );

    assert_eq!(
        cal.add_business_days(date(9999, 12, 30), 5),
        Err(CalendarError::BusinessDaysOutOfRange {
            from: date(9999, 12, 30),
            days: 5
        })
    );
    assert!(cal.add_business_days(date(-9999, 1, 3), -5).is_err());
    assert!(cal.add_business_days(date(2000, 1, 3), i32::MAX).is_err());
    assert!(cal.add_business_days(date(2000, 1, 3), i32::MIN).is_err());
    assert_eq!(cal.count_business_days(Date::MAX, Date::MAX), 0);
    assert_eq!(cal.count_business_days(Date::MIN, Date::MIN), 0);
    let whole = cal.count_business_days(Date::MIN, Date::MAX);
    assert!(whole > 4_000_000 && whole < 5_300_000, "{whole}");
    assert_eq!(
        cal.count_business_days(Date::MAX, Date::MIN),
        -whole - i32::from(cal.is_business_day(Date::MIN))
            + i32::from(cal.is_business_day(Date::MAX))
    );
}

#[test]
fn calendar_is_cheap_to_clone_and_debug_is_short() {
    let cal = Calendar::new(Regime::Lfpa);
    let copy = cal.clone();
    assert!(Arc::ptr_eq(&cal.inner, &copy.inner));
    assert!(format!("{cal:?}").len() < 200);
}

// ---------------------------------------------------------------------------------------------
// Reference implementations: the definition, day by day, without the tables.

impl Calendar {
    fn add_business_days_slow(&self, d: Date, n: i32) -> Result<Date, jiff::Error> {
        let mut left = n.unsigned_abs();
        let mut current = d;
        while left > 0 {
            current = if n > 0 {
                current.tomorrow()?
            } else {
                current.yesterday()?
            };
            if self.is_business_day_slow(current) {
                left -= 1;
            }
        }
        Ok(current)
    }

    fn count_business_days_slow(&self, from: Date, to: Date) -> i32 {
        let (a, b, sign) = if to >= from {
            (from, to, 1)
        } else {
            (to, from, -1)
        };
        let mut count = 0;
        let mut d = a;
        while d < b {
            d = d.tomorrow().unwrap();
            // (from, to] forwards, [to, from) backwards.
            let counted = if sign > 0 { d } else { d.yesterday().unwrap() };
            if self.is_business_day_slow(counted) {
                count += 1;
            }
        }
        sign * count
    }
}

fn day_strategy(from: Date, to: Date) -> impl Strategy<Value = Date> {
    (day_number(from)..=day_number(to)).prop_map(move |n| {
        from.checked_add(jiff::Span::new().days(n - day_number(from)))
            .unwrap()
    })
}

/// Around the whole window, including both edges.
fn near_window() -> impl Strategy<Value = Date> {
    prop_oneof![
        3 => day_strategy(date(1985, 1, 1), date(2105, 12, 31)),
        1 => day_strategy(date(1988, 6, 1), date(1991, 6, 1)),
        1 => day_strategy(date(2099, 6, 1), date(2102, 6, 1)),
    ]
}

fn calendars() -> Vec<Calendar> {
    let data = repo_data();
    let scoped = CalendarData::parse("scoped.toml", SCOPED).unwrap();
    let all: CalendarData = [data.clone(), scoped].into_iter().collect();
    vec![
        Calendar::new(Regime::Lft),
        Calendar::new(Regime::Lfpa),
        Calendar::build(Regime::Lfpa, &data, Scope::default()),
        Calendar::build(
            Regime::Lfpa,
            &all,
            Scope {
                institution: Some("SSA"),
                state: Some("QRO".parse().unwrap()),
            },
        ),
        Calendar::build(
            Regime::Lft,
            &all,
            Scope {
                institution: Some("SSA"),
                state: None,
            },
        ),
    ]
}

thread_local! {
    static CALENDARS: Vec<Calendar> = calendars();
}

fn with_calendar<R>(i: usize, f: impl FnOnce(&Calendar) -> R) -> R {
    CALENDARS.with(|c| f(&c[i % c.len()]))
}

/// Random extra days, to check the tables against the rules with arbitrary data.
fn random_data() -> impl Strategy<Value = CalendarData> {
    let entry = (
        day_strategy(date(1988, 1, 1), date(2103, 12, 31)),
        0u8..20,
        any::<bool>(),
    );
    proptest::collection::vec(entry, 0..40).prop_map(|entries| {
        let mut text = String::new();
        for (from, len, lft_only) in entries {
            let to = from.checked_add(jiff::Span::new().days(len)).unwrap();
            let regimes = if lft_only {
                "regimes = [\"lft\"]\n"
            } else {
                ""
            };
            text.push_str(&format!(
                "[[ranges]]\nfrom = \"{from}\"\nto = \"{to}\"\nname = \"r\"\n{regimes}"
            ));
        }
        CalendarData::parse("random.toml", &text).unwrap()
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn calendar_count_inverts_add(c in 0usize..5, d in near_window(), n in -400i32..400) {
        with_calendar(c, |cal| {
            let r = cal.add_business_days(d, n).unwrap();
            prop_assert_eq!(cal.count_business_days(d, r), n);
            Ok(())
        })?;
    }

    #[test]
    fn calendar_add_lands_on_business_days(c in 0usize..5, d in near_window(), n in -400i32..400) {
        prop_assume!(n != 0);
        with_calendar(c, |cal| {
            let r = cal.add_business_days(d, n).unwrap();
            prop_assert!(cal.is_business_day(r));
            prop_assert!(!is_weekend(r));
            prop_assert!(cal.non_working_days(r.year()).iter().all(|h| h.date != r));
            prop_assert_eq!(r > d, n > 0);
            Ok(())
        })?;
    }

    #[test]
    fn calendar_add_is_monotonic(c in 0usize..5, d1 in near_window(), gap in 0i32..60, n1 in -400i32..400, n2 in -400i32..400) {
        with_calendar(c, |cal| {
            let (lo, hi) = (n1.min(n2), n1.max(n2));
            if lo < hi {
                prop_assert!(cal.add_business_days(d1, lo).unwrap() < cal.add_business_days(d1, hi).unwrap());
            }
            let d2 = cal.add_natural_days(d1, gap).unwrap();
            prop_assert!(cal.add_business_days(d1, n1).unwrap() <= cal.add_business_days(d2, n1).unwrap());
            Ok(())
        })?;
    }

    #[test]
    fn calendar_fast_path_equals_slow_path(c in 0usize..5, d in near_window(), n in -400i32..400) {
        with_calendar(c, |cal| {
            prop_assert_eq!(cal.is_business_day(d), cal.is_business_day_slow(d));
            prop_assert_eq!(cal.add_business_days(d, n).ok(), cal.add_business_days_slow(d, n).ok());
            let near = cal.add_natural_days(d, n).unwrap();
            prop_assert_eq!(cal.count_business_days(d, near), cal.count_business_days_slow(d, near));
            prop_assert_eq!(cal.count_business_days(near, d), cal.count_business_days_slow(near, d));
            Ok(())
        })?;
    }

    #[test]
    fn calendar_never_panics_on_any_date(c in 0usize..5, y in -9999i16..=9999, doy in 0i32..366, n in any::<i32>()) {
        let d = Date::new(y, 1, 1).unwrap();
        let d = d.checked_add(jiff::Span::new().days(doy)).unwrap_or(d);
        with_calendar(c, |cal| {
            let small = n % 1000;
            let _ = cal.is_business_day(d);
            if let Ok(r) = cal.add_business_days(d, small) {
                prop_assert_eq!(cal.count_business_days(d, r), small);
            }
            let _ = cal.add_natural_days(d, n);
            let _ = cal.non_working_days(y);
            Ok(())
        })?;
    }

    #[test]
    fn calendar_data_parser_never_panics_on_toml_like_text(
        text in "((\\[\\[(days|ranges)\\]\\]|(date|from|to|name|regimes|state|institution|source|x) = (\"[0-9ñ-]{0,12}\"|[0-9-]{1,12}|\\[\"(lft|lfpa|x)\"\\]|\"QRO\"|\"\"|true|\\{\\}))\n){0,12}"
    ) {
        if let Err(err) = CalendarData::parse("fuzz.toml", &text) {
            prop_assert!(err.line >= 1 && err.column >= 1);
            prop_assert!(err.line <= text.lines().count().max(1) + 1);
        }
    }

    #[test]
    fn calendar_data_parser_never_panics(text in any::<String>()) {
        let _ = CalendarData::parse("fuzz.toml", &text);
    }
}

proptest! {
    // Fewer cases: the day-by-day references below are slow on long spans.
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn calendar_long_counts_equal_slow(c in 0usize..5, from in near_window(), to in near_window()) {
        with_calendar(c, |cal| {
            prop_assert_eq!(cal.count_business_days(from, to), cal.count_business_days_slow(from, to));
            Ok(())
        })?;
    }

    #[test]
    fn calendar_fast_equals_slow_with_random_data(data in random_data(), lft in any::<bool>(), d in near_window(), n in -300i32..300) {
        let regime = if lft { Regime::Lft } else { Regime::Lfpa };
        let cal = Calendar::build(regime, &data, Scope::default());
        prop_assert_eq!(cal.is_business_day(d), cal.is_business_day_slow(d));
        prop_assert_eq!(cal.add_business_days(d, n).ok(), cal.add_business_days_slow(d, n).ok());
        let r = cal.add_business_days(d, n).unwrap();
        prop_assert_eq!(cal.count_business_days(d, r), n);
        prop_assert_eq!(cal.count_business_days(d, r), cal.count_business_days_slow(d, r));
    }
}
