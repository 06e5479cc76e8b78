//! Editing a line already written down (issue 19): its text, what its kind adds (an
//! observation's number, a PAT line's indicator and goals), its responsible unit and its
//! activities' descriptions, terms and products, without breaking the progress already
//! recorded (`docs/programs.md`, «Editar una línea»).
//!
//! What is kept: the line's kind, number and case, and its activities (as many as it had,
//! each with its progress, evidence and closure). What is refused: a closed activity's term
//! moved; an activity with progress recorded made to start after its first record or to end
//! before its last; the goal of a quarter that has already ended (its cut-off reported it).

use super::kinds::Quarter;
use super::model::{Activity, Item, ItemKind, NewItem, Status, Update};
use crate::text::day;
use jiff::civil::Date;
use std::collections::HashMap;

/// Why a line's revision is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RevisionError {
    #[error("una línea no cambia de tipo")]
    Kind,
    #[error("la línea tiene {had} actividades: al editarla se cambian esas, sin agregar ni quitar")]
    Activities { had: usize },
    #[error("la actividad {activity} ya está cerrada ({status}): su plazo ya no cambia")]
    Closed { activity: u32, status: Status },
    #[error(
        "la actividad {activity} tiene avance registrado el {}: no puede empezar después",
        day(*.first)
    )]
    StartAfterProgress { activity: u32, first: Date },
    #[error(
        "la actividad {activity} tiene avance registrado el {}: no puede terminar antes",
        day(*.last)
    )]
    EndBeforeProgress { activity: u32, last: Date },
    #[error("el trimestre {quarter} ya terminó y su corte reportó su meta: no cambia")]
    PastQuarterGoal { quarter: u8 },
}

impl RevisionError {
    /// The field of the line's form (and of the API's body) it concerns.
    pub fn field(&self) -> String {
        match self {
            RevisionError::Kind => "kind".into(),
            RevisionError::Activities { .. } => "activities".into(),
            RevisionError::Closed { activity, .. }
            | RevisionError::StartAfterProgress { activity, .. } => {
                format!("activities[{}].start", activity.saturating_sub(1))
            }
            RevisionError::EndBeforeProgress { activity, .. } => {
                format!("activities[{}].end", activity.saturating_sub(1))
            }
            RevisionError::PastQuarterGoal { quarter } => {
                format!("quarter_goals[{}]", quarter.saturating_sub(1))
            }
        }
    }
}

/// `current` as `revised` describes it (its activities numbered from 1, as a new line's), with
/// its number, case and each activity's progress, evidence and closure kept. `history` is each
/// activity's recorded changes by its number, `today` the day of the edit and `year` the
/// program's year (a PAT's), whose ended quarters keep their goals. Every problem is named.
pub fn revise(
    current: &Item,
    revised: NewItem,
    history: &HashMap<u32, Vec<Update>>,
    today: Date,
    year: Option<i16>,
) -> Result<Item, Vec<RevisionError>> {
    let mut problems = Vec::new();
    if std::mem::discriminant(&current.kind) != std::mem::discriminant(&revised.kind) {
        problems.push(RevisionError::Kind);
    }
    if let (ItemKind::Line(before), ItemKind::Line(after), Some(year)) =
        (&current.kind, &revised.kind, year)
    {
        for (number, (old, new)) in (1..).zip(before.quarters.iter().zip(&after.quarters)) {
            let ended = Quarter::new(year, number).is_some_and(|q| q.end() < today);
            if ended && old != new {
                problems.push(RevisionError::PastQuarterGoal { quarter: number });
            }
        }
    }
    if revised.activities.len() != current.activities.len() {
        problems.push(RevisionError::Activities {
            had: current.activities.len(),
        });
    }
    let mut activities = Vec::new();
    for (old, new) in current.activities.iter().zip(&revised.activities) {
        let moved = old.start() != new.start() || old.end() != new.end();
        let status = old.status(today);
        if moved && status.is_closed() {
            problems.push(RevisionError::Closed {
                activity: old.number,
                status,
            });
        }
        let recorded = history
            .get(&old.number)
            .map(Vec::as_slice)
            .unwrap_or_default();
        if let Some(first) = recorded.iter().map(|u| u.date).min()
            && new.start() > first
            && new.start() != old.start()
        {
            problems.push(RevisionError::StartAfterProgress {
                activity: old.number,
                first,
            });
        }
        if let Some(last) = recorded.iter().map(|u| u.date).max()
            && new.end() < last
            && new.end() != old.end()
        {
            problems.push(RevisionError::EndBeforeProgress {
                activity: old.number,
                last,
            });
        }
        activities.push(old.replanned(new));
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(Item {
        number: current.number,
        kind: revised.kind,
        text: revised.text,
        expected_results: current.expected_results.clone(),
        case_folio: current.case_folio.clone(),
        activities,
    })
}

/// What a revision changed, field by field (`before`, `after`), for the audit log.
pub fn changes(before: &Item, after: &Item) -> Vec<(String, String, String)> {
    let mut changed = Vec::new();
    let mut note = |field: String, old: String, new: String| {
        if old != new {
            changed.push((field, old, new));
        }
    };
    note("text".into(), before.text.clone(), after.text.clone());
    match (&before.kind, &after.kind) {
        (ItemKind::Observation { reference: old }, ItemKind::Observation { reference: new }) => {
            note("reference".into(), old.clone(), new.clone());
        }
        (ItemKind::Line(old), ItemKind::Line(new)) => {
            note(
                "indicator".into(),
                old.indicator.clone(),
                new.indicator.clone(),
            );
            note("goal".into(), old.annual.clone(), new.annual.clone());
            let percents =
                |g: &super::model::Goal| g.quarters.map(|q| q.percent().to_string()).join(", ");
            note("quarter_goals".into(), percents(old), percents(new));
        }
        _ => {}
    }
    for (old, new) in before.activities.iter().zip(&after.activities) {
        let at = |field: &str| format!("activities[{}].{field}", old.number - 1);
        let describe = |a: &Activity| {
            (
                a.description.clone(),
                a.start().to_string(),
                a.end().to_string(),
                a.products.clone(),
                a.responsible.join(", "),
            )
        };
        let (d0, s0, e0, p0, r0) = describe(old);
        let (d1, s1, e1, p1, r1) = describe(new);
        note(at("description"), d0, d1);
        note(at("start"), s0, s1);
        note(at("end"), e0, e1);
        note(at("products"), p0, p1);
        note(at("responsible"), r0, r1);
    }
    changed
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::followup::{Change, Evidence, Goal, Progress};
    use jiff::civil::date;

    fn activity(number: u32, (start, end): (Date, Date)) -> Activity {
        Activity::planned(
            number,
            "Programar las visitas".into(),
            (start, end),
            "Calendario".into(),
            vec!["CTEC".into()],
        )
        .unwrap()
    }

    fn line(quarters: [u8; 4], dates: (Date, Date)) -> NewItem {
        NewItem {
            kind: ItemKind::Line(Goal {
                indicator: "Entidades supervisadas".into(),
                annual: "32".into(),
                quarters: quarters.map(|p| Progress::new(p).unwrap()),
            }),
            text: "Supervisar las entidades".into(),
            case_folio: None,
            activities: vec![activity(1, dates)],
        }
    }

    fn current() -> Item {
        let new = line([25, 50, 75, 100], (date(2026, 2, 2), date(2026, 6, 30)));
        Item {
            number: 4,
            kind: new.kind,
            text: new.text,
            expected_results: None,
            case_folio: Some("CAS-2026-000001".into()),
            activities: new.activities,
        }
    }

    /// Progress recorded on the first activity on each of `days`.
    fn progressed(item: &mut Item, days: &[Date]) -> HashMap<u32, Vec<Update>> {
        let mut updates = Vec::new();
        for (n, on) in (1..).zip(days) {
            let change = Change {
                progress: Progress::new(20 * n).unwrap(),
                note: String::new(),
                evidence: Some(Evidence {
                    name: "avance.pdf".into(),
                }),
                closure: None,
            };
            updates.push(item.activities[0].update(change, *on).unwrap());
        }
        HashMap::from([(1, updates)])
    }

    #[test]
    fn a_revision_keeps_number_case_and_progress() {
        let mut item = current();
        let history = progressed(&mut item, &[date(2026, 3, 10)]);
        let mut revised = line([25, 50, 80, 100], (date(2026, 2, 2), date(2026, 9, 30)));
        revised.text = "Supervisar las 32 entidades".into();
        let today = date(2026, 4, 15);
        let after = revise(&item, revised, &history, today, Some(2026)).unwrap();
        assert_eq!(after.number, 4);
        assert_eq!(after.case_folio.as_deref(), Some("CAS-2026-000001"));
        assert_eq!(after.text, "Supervisar las 32 entidades");
        assert_eq!(after.activities[0].progress().percent(), 20);
        assert_eq!(after.activities[0].evidence().len(), 1);
        assert_eq!(after.activities[0].end(), date(2026, 9, 30));
        let fields: Vec<String> = changes(&item, &after).into_iter().map(|c| c.0).collect();
        assert_eq!(fields, ["text", "quarter_goals", "activities[0].end"]);
    }

    #[test]
    fn a_revision_that_breaks_recorded_progress_is_refused_naming_each_field() {
        let mut item = current();
        let history = progressed(&mut item, &[date(2026, 3, 10), date(2026, 4, 10)]);
        // The first quarter ended (its goal changed); the term starts after the first record
        // (10 March) and ends before the last (10 April).
        let revised = line([30, 50, 75, 100], (date(2026, 3, 11), date(2026, 4, 1)));
        let problems = revise(&item, revised, &history, date(2026, 4, 15), Some(2026)).unwrap_err();
        let fields: Vec<String> = problems.iter().map(RevisionError::field).collect();
        assert_eq!(
            fields,
            [
                "quarter_goals[0]",
                "activities[0].start",
                "activities[0].end"
            ]
        );
        assert!(
            problems[1].to_string().contains("10/03/2026"),
            "{}",
            problems[1]
        );
        // Without a year (no quarters to keep) and with the dates kept, it passes.
        let kept = line([30, 50, 75, 100], (date(2026, 2, 2), date(2026, 6, 30)));
        assert!(revise(&item, kept, &history, date(2026, 4, 15), None).is_ok());
    }

    #[test]
    fn a_closed_activity_keeps_its_term_and_a_line_its_kind_and_activities() {
        let mut item = current();
        item.activities[0].closure = Some(crate::followup::Closure::Justified {
            reason: "Sin presupuesto".into(),
        });
        let moved = line([25, 50, 75, 100], (date(2026, 2, 2), date(2026, 7, 31)));
        let problems = revise(&item, moved, &HashMap::new(), date(2026, 1, 5), None).unwrap_err();
        assert!(matches!(
            problems[..],
            [RevisionError::Closed { activity: 1, .. }]
        ));
        let mut other = line([25, 50, 75, 100], (date(2026, 2, 2), date(2026, 6, 30)));
        other.kind = ItemKind::Risk;
        other
            .activities
            .push(activity(2, (date(2026, 2, 2), date(2026, 6, 30))));
        let problems = revise(&item, other, &HashMap::new(), date(2026, 1, 5), None).unwrap_err();
        assert_eq!(
            problems,
            [RevisionError::Kind, RevisionError::Activities { had: 1 }]
        );
    }
}
