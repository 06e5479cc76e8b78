//! The terms of the transparency law as the definitions of issue 19 count them: an
//! access-to-information request is answered in 20 días hábiles from its presentation, counted
//! anew from the answer to a prevención, and 30 once the Comité's extension is notified; a
//! prevención left unanswered for 10 días hábiles ends the request.

use jiff::civil::{Date, date};
use std::sync::Arc;
use turno_domain::definition::{Anchor, DayKind, Extension, Procedure, Term};
use turno_domain::engine::{
    self, Actor, Calendars, Case, CaseStatus, Complete, Context, Start, Value,
};

fn procedure(key: &str) -> Arc<Procedure> {
    crate::common::seed_library().latest(key).unwrap().clone()
}

struct Office {
    procedure: Arc<Procedure>,
    calendars: Calendars,
    today: Date,
}

impl Office {
    fn ctx(&self) -> Context<'_> {
        crate::common::context(&self.calendars, self.today)
    }

    /// A case of `key` started on `today` with `fields`.
    fn start(key: &str, today: Date, fields: &[(&str, Value)]) -> (Office, Case) {
        let office = Office {
            procedure: procedure(key),
            calendars: Calendars::statutory(),
            today,
        };
        let fields = fields
            .iter()
            .map(|(k, v)| ((*k).to_owned(), v.clone()))
            .collect();
        let (case, _) = engine::start(
            &office.procedure,
            Start {
                by: Actor::system(),
                fields,
            },
            &office.ctx(),
        )
        .unwrap();
        (office, case)
    }

    /// A request presented and registered on `presented`.
    fn request(presented: Date) -> (Office, Case) {
        Office::start(
            "transparencia-solicitud",
            presented,
            &[
                ("folio_pnt", Value::Text("330018026000123".into())),
                ("fecha_presentacion", Value::Date(presented)),
                (
                    "informacion_solicitada",
                    Value::Text(
                        "Informes de evaluación de los órganos desconcentrados de 2025".into(),
                    ),
                ),
            ],
        )
    }

    /// Completes every open work item of activity `number`, which must be open.
    fn complete(
        &self,
        case: &mut Case,
        number: &str,
        outcome: Option<&str>,
        fields: &[(&str, Value)],
    ) {
        let open: Vec<_> = case
            .open
            .iter()
            .filter(|w| self.procedure.activity(w.activity).number == number)
            .map(|w| w.id)
            .collect();
        assert!(!open.is_empty(), "{number} is open: {:?}", self.open(case));
        for item in open {
            engine::complete(
                &self.procedure,
                case,
                Complete {
                    item,
                    by: Actor::system(),
                    outcome: outcome.map(str::to_owned),
                    fields: fields
                        .iter()
                        .map(|(k, v)| ((*k).to_owned(), v.clone()))
                        .collect(),
                    observations: None,
                    signature: None,
                },
                &self.ctx(),
            )
            .unwrap();
        }
    }

    fn open(&self, case: &Case) -> Vec<String> {
        case.open
            .iter()
            .map(|w| self.procedure.activity(w.activity).number.clone())
            .collect()
    }

    /// Lets time pass to `today`.
    fn pass_time(&self, case: &mut Case) {
        engine::pass_time(&self.procedure, case, &self.ctx()).unwrap();
    }

    /// Completes each step's activity in turn, with the step's outcome and no fields.
    fn walk(&self, case: &mut Case, steps: &[(&str, Option<&str>)]) {
        for (number, outcome) in steps {
            self.complete(case, number, *outcome, &[]);
        }
    }

    /// Completes each step in turn, the last one ending the case.
    fn walk_to_the_end(&self, case: &mut Case, steps: &[(&str, Option<&str>)]) {
        self.walk(case, steps);
        assert!(
            matches!(case.status, CaseStatus::Ended(_)),
            "{steps:?} end it"
        );
    }

    /// The due date of the open work, which must all be of activity `number`.
    fn due(&self, case: &Case, number: &str) -> Option<Date> {
        assert_eq!(self.open(case).first().map(String::as_str), Some(number));
        case.open[0].due
    }

    /// From registration to the units' search (4.1), with the data enough to find it.
    fn to_the_search(&self, case: &mut Case) {
        self.walk(case, &[("1.1", None), ("1.2", Some("Sí")), ("2.1", None)]);
        let units = Value::Participants(vec!["UEOD".into(), "CAPSOI".into()]);
        self.complete(case, "2.2", None, &[("areas_competentes", units)]);
        self.complete(case, "2.3", None, &[]);
    }

    /// From the search (3.1, the information exists) to the Comité's decision on the units'
    /// request for more time (4.4), which is `decision` («Sí» grants it).
    fn to_the_extension(&self, case: &mut Case, decision: &str) {
        self.walk(
            case,
            &[
                ("3.1", Some("Sí")),
                ("4.1", None),
                ("4.2", Some("Sí")),
                ("4.3", None),
                ("4.4", Some(decision)),
            ],
        );
    }

    /// From the units' search (4.1), due on `due`, to the notification of public information
    /// (6.2), due on the same day.
    fn to_the_answer(&self, case: &mut Case, due: Date) {
        assert_eq!(self.due(case, "4.1"), Some(due));
        self.walk(case, &[("4.1", None), ("4.2", Some("No"))]);
        self.to_the_notification(case);
        assert_eq!(self.due(case, "6.2"), Some(due));
    }

    /// From the integrated answer (5.1, public information) to the notification (6.2).
    fn to_the_notification(&self, case: &mut Case) {
        self.complete(case, "5.1", Some("Pública"), &[]);
        let sense = Value::Text("Entrega de la información".into());
        self.complete(case, "6.1", None, &[("sentido_respuesta", sense)]);
    }
}

#[test]
fn a_request_is_answered_in_twenty_business_days_from_its_presentation() {
    // Presented on Monday 12 January 2026. Twenty días hábiles skip the weekends and 5 February
    // (LFPA, art. 28): 13 January … 4 February are 17, then 6, 9 and 10 February.
    let (office, mut case) = Office::request(date(2026, 1, 12));
    office.to_the_search(&mut case);
    office.complete(&mut case, "3.1", Some("Sí"), &[]);
    office.to_the_answer(&mut case, date(2026, 2, 10));
    office.complete(&mut case, "6.2", None, &[]);
    assert!(matches!(case.status, CaseStatus::Ended(_)));
}

#[test]
fn a_prevencion_is_due_in_five_days_and_its_answer_starts_the_term_again() {
    let (mut office, mut case) = Office::request(date(2026, 1, 12));
    office.to_the_search(&mut case);
    office.complete(&mut case, "3.1", Some("No"), &[]);
    // Five días hábiles from the presentation.
    assert_eq!(office.due(&case, "3.2"), Some(date(2026, 1, 19)));
    office.today = date(2026, 1, 13);
    office.complete(&mut case, "3.2", None, &[]);
    // The requester has ten días hábiles from the requirement.
    assert_eq!(office.due(&case, "3.3"), Some(date(2026, 1, 27)));
    office.today = date(2026, 1, 20);
    let answered = Value::Date(date(2026, 1, 20));
    office.complete(&mut case, "3.3", None, &[("fecha_desahogo", answered)]);
    // Twenty días hábiles from 20 January, skipping 5 February: 18 February.
    office.to_the_answer(&mut case, date(2026, 2, 18));
}

#[test]
fn an_unanswered_prevencion_ends_the_request_when_its_ten_days_run_out() {
    let (mut office, mut case) = Office::request(date(2026, 1, 12));
    office.to_the_search(&mut case);
    office.walk(&mut case, &[("3.1", Some("No")), ("3.2", None)]);
    // Due on 26 January (ten días hábiles from the 12th): nothing happens on that day…
    office.today = date(2026, 1, 26);
    office.pass_time(&mut case);
    assert_eq!(office.open(&case), ["3.3"]);
    // … and the day after, the request is held not presented.
    office.today = date(2026, 1, 27);
    office.pass_time(&mut case);
    assert_eq!(office.open(&case), ["3.4"]);
    office.complete(&mut case, "3.4", None, &[]);
    assert!(matches!(case.status, CaseStatus::Ended(_)));
}

#[test]
fn the_comites_extension_gives_ten_more_business_days() {
    let (office, mut case) = Office::request(date(2026, 1, 12));
    office.to_the_search(&mut case);
    office.to_the_extension(&mut case, "Sí");
    // The extension is notified before the twenty days run out…
    assert_eq!(office.due(&case, "4.5"), Some(date(2026, 2, 10)));
    office.complete(&mut case, "4.5", None, &[]);
    // … and the search and the answer have ten more: 11–13, 16–20, 23 and 24 February.
    assert_eq!(office.due(&case, "4.6"), Some(date(2026, 2, 24)));
    office.complete(&mut case, "4.6", None, &[]);
    // A nonexistence the Comité does not confirm sends the units back to search, within the
    // extended term.
    office.walk(
        &mut case,
        &[
            ("5.1", Some("Inexistente")),
            ("5.4", None),
            ("5.5", Some("No")),
        ],
    );
    office.to_the_answer(&mut case, date(2026, 2, 24));
}

#[test]
fn a_denied_extension_keeps_the_twenty_days() {
    let (office, mut case) = Office::request(date(2026, 1, 12));
    office.to_the_search(&mut case);
    office.to_the_extension(&mut case, "No");
    office.to_the_notification(&mut case);
    assert_eq!(office.due(&case, "6.2"), Some(date(2026, 2, 10)));
}

/// The demo and the simulator start cases with sample values: a date that restarts a term when a
/// later event happens (the answer to a prevención) is not known at registration, so it stays
/// empty and the term counts from the presentation.
#[test]
fn sample_cases_leave_dates_of_later_events_empty() {
    let today = date(2026, 1, 12);
    let request =
        turno_domain::simulate::sample_fields(&procedure("transparencia-solicitud"), today);
    assert!(request.contains_key("fecha_presentacion"));
    assert!(!request.contains_key("fecha_desahogo"));
    let agreements = turno_domain::simulate::sample_fields(&procedure("acuerdos-reunion"), today);
    assert!(agreements.contains_key("fecha_reunion"));
}

/// The terms of the transparency law are data of the definition, each where the law puts it:
/// twenty días hábiles from the presentation (or from the prevención's answer), ten more
/// granted by the notification of the Comité's resolution, five to make the prevención and
/// ten for the requester to answer it, after which the request ends by itself.
#[test]
fn the_transparency_terms_are_data_of_the_definition() {
    let request = procedure("transparencia-solicitud");
    let deadline = |number: &str| {
        let id = request.activity_by_number(number).unwrap();
        request.activity(id).deadline.clone().unwrap()
    };
    let field = |name: &str| Anchor::Field(request.field_by_name(name).unwrap());
    let business = |days| Term {
        days,
        kind: DayKind::Business,
        before: false,
    };
    for answer in ["4.1", "6.2"] {
        let term = deadline(answer);
        assert_eq!(term.term, business(20), "{answer}");
        assert_eq!(term.anchor, field("fecha_desahogo"), "{answer}");
        assert_eq!(
            term.otherwise,
            Some(field("fecha_presentacion")),
            "{answer}"
        );
        assert_eq!(
            term.extension,
            Some(Extension {
                days: 10,
                granted_by: request.activity_by_number("4.5").unwrap(),
            }),
            "{answer}"
        );
    }
    assert_eq!(deadline("3.2").term, business(5));
    assert_eq!(deadline("3.2").anchor, field("fecha_presentacion"));
    let answered = deadline("3.3");
    assert_eq!(answered.term, business(10));
    assert_eq!(
        answered.anchor,
        Anchor::Completed(request.activity_by_number("3.2").unwrap())
    );
    assert_eq!(answered.on_expiry, request.activity_by_number("3.4"));
    assert!(
        request
            .fields
            .iter()
            .all(|f| f.name != "fecha_desahogo" || !f.required),
        "the prevención's answer is not known at registration"
    );
}

/// A recurso de revisión: the units' alegatos within seven días hábiles of the admission, the
/// organismo garante's resolution within forty, and compliance within ten of its notification,
/// again after a finding of noncompliance.
#[test]
fn a_recurso_counts_from_its_admission_and_its_resolution() {
    let (mut office, mut case) = Office::start(
        "transparencia-recurso",
        date(2026, 3, 2),
        &[
            ("expediente_recurso", Value::Text("RRA 1234/26".into())),
            ("folio_solicitud", Value::Text("330018026000123".into())),
            ("fecha_admision", Value::Date(date(2026, 3, 2))),
            (
                "agravios",
                Value::Text("La respuesta no entregó los informes de 2025.".into()),
            ),
        ],
    );
    office.complete(&mut case, "1.1", None, &[]);
    let units = Value::Participants(vec!["UEOD".into()]);
    office.complete(&mut case, "1.2", None, &[("areas_responsables", units)]);
    // 3, 4, 5, 6, 9, 10 and 11 March.
    assert_eq!(office.due(&case, "2.1"), Some(date(2026, 3, 11)));
    office.walk(&mut case, &[("2.1", None), ("2.2", None)]);
    assert_eq!(office.due(&case, "2.3"), Some(date(2026, 3, 11)));
    office.complete(&mut case, "2.3", None, &[]);
    // Forty días hábiles: eight weeks from 3 March, no día inhábil among them.
    assert_eq!(office.due(&case, "3.1"), Some(date(2026, 4, 27)));
    office.complete(&mut case, "3.1", Some("Revoca o modifica"), &[]);
    office.today = date(2026, 6, 1);
    let notified = Value::Date(date(2026, 6, 1));
    office.complete(
        &mut case,
        "4.1",
        None,
        &[("fecha_notificacion_resolucion", notified)],
    );
    assert_eq!(office.due(&case, "4.2"), Some(date(2026, 6, 15)));
    office.walk(
        &mut case,
        &[
            ("4.2", None),
            ("4.3", None),
            ("4.4", None),
            ("4.5", Some("No")),
            ("4.7", None),
        ],
    );
    // Noncompliance sends the units back, still due on the resolution's term.
    assert_eq!(office.due(&case, "4.2"), Some(date(2026, 6, 15)));
    office.walk_to_the_end(
        &mut case,
        &[
            ("4.2", None),
            ("4.3", None),
            ("4.4", None),
            ("4.5", Some("Sí")),
            ("4.6", None),
        ],
    );
}

/// An audit: the units deliver three días hábiles before the fiscalizing body's limit and the
/// Coordinación one before it; their justifications within five of the preliminary results;
/// each follow-up that leaves an observation unsolved sets a new limit, and the terms follow it.
#[test]
fn an_audits_terms_follow_the_limits_the_fiscalizing_body_sets() {
    let (office, mut case) = Office::start(
        "auditoria",
        date(2026, 1, 12),
        &[
            (
                "organo_fiscalizador",
                Value::Text("Órgano Interno de Control en el Instituto".into()),
            ),
            ("numero_auditoria", Value::Text("12/2026".into())),
            (
                "objeto_auditoria",
                Value::Text("Evaluación de los órganos desconcentrados".into()),
            ),
        ],
    );
    office.complete(&mut case, "1.1", None, &[]);
    let units = Value::Participants(vec!["UEOD".into(), "CAPSOI".into()]);
    office.complete(&mut case, "1.2", None, &[("unidades_auditadas", units)]);
    let limit = Value::Date(date(2026, 1, 30));
    office.complete(
        &mut case,
        "2.1",
        None,
        &[("fecha_limite_requerimiento", limit)],
    );
    // Friday 30 January: three días hábiles before is Tuesday the 27th, one is Thursday.
    assert_eq!(office.due(&case, "2.2"), Some(date(2026, 1, 27)));
    office.walk(&mut case, &[("2.2", None), ("2.3", Some("Sí"))]);
    assert_eq!(office.due(&case, "2.4"), Some(date(2026, 1, 29)));
    office.walk(&mut case, &[("2.4", None), ("2.5", Some("No"))]);
    let meeting = Value::Date(date(2026, 3, 2));
    office.complete(
        &mut case,
        "3.1",
        None,
        &[("fecha_reunion_resultados", meeting)],
    );
    assert_eq!(office.due(&case, "3.2"), Some(date(2026, 3, 9)));
    office.walk(&mut case, &[("3.2", None), ("3.3", None)]);
    assert_eq!(office.due(&case, "3.4"), Some(date(2026, 3, 11)));
    office.walk(&mut case, &[("3.4", None), ("3.5", Some("Sí"))]);
    let solve_by = |d: Date| {
        [
            (
                "observaciones_por_solventar",
                Value::Text("Observación 1".into()),
            ),
            ("fecha_limite_solventacion", Value::Date(d)),
        ]
    };
    office.complete(&mut case, "4.1", None, &solve_by(date(2026, 4, 17)));
    assert_eq!(office.due(&case, "4.2"), Some(date(2026, 4, 14)));
    office.walk(&mut case, &[("4.2", None), ("4.3", Some("Sí"))]);
    assert_eq!(office.due(&case, "4.4"), Some(date(2026, 4, 16)));
    office.walk(&mut case, &[("4.4", None), ("4.5", Some("En parte"))]);
    // The observation not yet solved: a new limit, and the units' term with it.
    office.complete(&mut case, "4.1", None, &solve_by(date(2026, 5, 29)));
    assert_eq!(office.due(&case, "4.2"), Some(date(2026, 5, 26)));
    office.walk_to_the_end(
        &mut case,
        &[
            ("4.2", None),
            ("4.3", Some("Sí")),
            ("4.4", None),
            ("4.5", Some("Sí")),
            ("4.6", None),
        ],
    );
}

/// A meeting's agreements: the units program their actions in ten días hábiles; each quarter's
/// report is due ninety natural days after the meeting, then after the previous report.
#[test]
fn agreements_report_every_ninety_days_from_the_meeting_then_from_the_last_report() {
    let (mut office, mut case) = Office::start(
        "acuerdos-reunion",
        date(2026, 1, 12),
        &[
            ("tipo_reunion", Value::Text("Reunión nacional".into())),
            ("fecha_reunion", Value::Date(date(2026, 1, 12))),
            (
                "acuerdos",
                Value::Text("1. Planes de mejora con fechas.".into()),
            ),
        ],
    );
    office.complete(&mut case, "1.1", None, &[]);
    office.complete(
        &mut case,
        "1.2",
        None,
        &[
            (
                "unidades_responsables",
                Value::Participants(vec!["UEOD".into()]),
            ),
            ("fecha_compromiso", Value::Date(date(2026, 6, 30))),
        ],
    );
    assert_eq!(office.due(&case, "1.3"), Some(date(2026, 1, 26)));
    office.complete(&mut case, "1.3", None, &[]);
    // Ninety natural days from 12 January: Sunday 12 April.
    assert_eq!(office.due(&case, "2.1"), Some(date(2026, 4, 12)));
    office.today = date(2026, 4, 10);
    office.walk(&mut case, &[("2.1", None), ("2.2", Some("Sí"))]);
    office.complete(&mut case, "2.4", None, &[("avance", Value::Integer(50))]);
    office.walk(&mut case, &[("2.5", None), ("2.6", Some("No"))]);
    // The next quarter counts from the report of 10 April.
    assert_eq!(office.due(&case, "2.1"), Some(date(2026, 7, 9)));
}
