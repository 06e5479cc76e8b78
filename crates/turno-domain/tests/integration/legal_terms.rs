//! The terms of the transparency law as the definitions of issue 19 count them: an
//! access-to-information request is answered in 20 días hábiles from its presentation, counted
//! anew from the answer to a prevención, and 30 once the Comité's extension is notified; a
//! prevención left unanswered for 10 días hábiles ends the request.

use jiff::civil::{Date, date};
use std::collections::BTreeMap;
use std::sync::Arc;
use turno_domain::definition::Procedure;
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

    /// A request presented and registered on `presented`.
    fn request(presented: Date) -> (Office, Case) {
        let office = Office {
            procedure: procedure("transparencia-solicitud"),
            calendars: Calendars::statutory(),
            today: presented,
        };
        let fields = BTreeMap::from([
            (
                "folio_pnt".to_owned(),
                Value::Text("330018026000123".into()),
            ),
            ("fecha_presentacion".to_owned(), Value::Date(presented)),
            (
                "informacion_solicitada".to_owned(),
                Value::Text("Informes de evaluación de los órganos desconcentrados de 2025".into()),
            ),
        ]);
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
