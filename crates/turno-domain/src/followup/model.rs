//! The follow-up model every program shares: a program has items (aspects, recommendations,
//! agreements, commitments), an item has activities, and an activity's status follows from its
//! progress, its closure and its dates as of a given day.

use super::asm::{Aspect, Recommendation, SignOff};
use jiff::civil::Date;
use std::collections::HashMap;
use std::fmt;
use thiserror::Error;

/// A list of items followed up together: the Programa de ASM of a year, the agreements of a
/// meeting, the commitments before an international body, the recommendations of a visit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Program {
    pub name: String,
    pub items: Vec<Item>,
    /// Elaboró / autorizó, when the program is signed.
    pub sign_off: Option<SignOff>,
}

/// One thing to attend, numbered within its kind as the source document numbers it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub number: u32,
    pub kind: ItemKind,
    pub text: String,
    /// What the item's activities are meant to achieve («Resultados esperados»).
    pub expected_results: Option<String>,
    /// The folio of the case that produced the item (a visit, a meeting), when there is one.
    pub case_folio: Option<String>,
    pub activities: Vec<Activity>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ItemKind {
    Recommendation(Recommendation),
    Aspect(Aspect),
    Agreement,
    Commitment,
    /// An audit's observation, numbered by the fiscalizing body (`reference`), followed to its
    /// solventación.
    Observation {
        reference: String,
    },
    /// A line of an annual work program (PAT) with its indicator and goals.
    Line(Goal),
    /// A risk of a risk-management work program (PTAR); its activities are the control actions.
    Risk,
    /// An action of an internal-control work program (PTCI).
    ControlAction,
}

/// What a PAT line measures and what it promises: the indicator, the annual goal, and the
/// progress (percent) it expects at the end of each quarter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Goal {
    pub indicator: String,
    pub annual: String,
    pub quarters: [Progress; 4],
}

impl ItemKind {
    /// The letters of an item's key: items are numbered within their kind.
    fn code(&self) -> &'static str {
        match self {
            ItemKind::Recommendation(_) => "R",
            ItemKind::Aspect(_) => "A",
            ItemKind::Agreement => "AC",
            ItemKind::Commitment => "C",
            ItemKind::Observation { .. } => "OB",
            ItemKind::Line(_) => "L",
            ItemKind::Risk => "RG",
            ItemKind::ControlAction => "CI",
        }
    }

    /// The kind in the users' words, for reports.
    pub fn label(&self) -> &'static str {
        match self {
            ItemKind::Recommendation(_) => "recomendación",
            ItemKind::Aspect(_) => "aspecto susceptible de mejora",
            other => super::LineKind::of(other).map_or("", super::LineKind::label),
        }
    }
}

/// An item a person writes down (an agreement of a meeting, a commitment), before the program
/// numbers it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewItem {
    pub kind: ItemKind,
    pub text: String,
    /// The case of the meeting or visit it comes from, if any.
    pub case_folio: Option<String>,
    /// Planned (`Activity::planned`), numbered from 1.
    pub activities: Vec<Activity>,
}

/// A percentage of completion, 0 to 100.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Progress(u8);

impl Progress {
    pub const DONE: Progress = Progress(100);

    pub fn new(percent: u8) -> Result<Progress, FollowupError> {
        if percent <= 100 {
            Ok(Progress(percent))
        } else {
            Err(FollowupError::ProgressOutOfRange(percent))
        }
    }

    pub fn percent(self) -> u8 {
        self.0
    }
}

/// A document attached to prove an activity (a memorándum, a minuta, a report), by name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evidence {
    pub name: String,
}

/// How an activity was closed without being done.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Closure {
    NotAttended { reason: String },
    Justified { reason: String },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Status {
    Pending,
    InProgress,
    Attended,
    NotAttended,
    Justified,
    Overdue,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pending => "pendiente",
            Status::InProgress => "en proceso",
            Status::Attended => "atendido",
            Status::NotAttended => "no atendido",
            Status::Justified => "justificado",
            Status::Overdue => "vencido",
        }
    }

    /// Attended, not attended or justified: nothing more is expected.
    pub fn is_closed(self) -> bool {
        matches!(
            self,
            Status::Attended | Status::NotAttended | Status::Justified
        )
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum FollowupError {
    #[error("el avance {0} % no está entre 0 y 100")]
    ProgressOutOfRange(u8),
    /// Seed 003, recommendation 3: what is reported at 100 % must carry its evidence.
    #[error("una actividad no llega al 100 % sin evidencia adjunta")]
    DoneWithoutEvidence,
    #[error("termina ({end}) antes de empezar ({start})")]
    EndsBeforeStart { start: Date, end: Date },
    #[error("el informe final necesita todas las actividades cerradas; faltan {0}")]
    OpenActivities(usize),
    #[error("la actividad ya está cerrada como {0}: no admite más avances")]
    Closed(Status),
    #[error("cerrar una actividad como justificada o no atendida requiere la justificación")]
    ClosureWithoutReason,
    #[error("la supervisión ya concluyó o se escaló: no hay más rondas de seguimiento")]
    SupervisionEnded,
}

/// What a person reports about an activity: its progress, a note, and optionally the evidence
/// attached with it and a closure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub progress: Progress,
    pub note: String,
    pub evidence: Option<Evidence>,
    pub closure: Option<Closure>,
}

/// A change as the activity's history keeps it: when, and the progress it replaced, so that
/// the program can be shown as it was on an earlier day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Update {
    pub date: Date,
    pub before: Progress,
    pub change: Change,
}

/// One action of an item, with its dates, its responsible areas and what proves it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Activity {
    pub number: u32,
    pub description: String,
    start: Date,
    end: Date,
    /// The products or evidence the plan promises («Productos y/o evidencias»).
    pub products: String,
    pub responsible: Vec<String>,
    progress: Progress,
    evidence: Vec<Evidence>,
    pub closure: Option<Closure>,
}

impl Activity {
    /// A planned activity: no progress, no evidence, open.
    pub fn planned(
        number: u32,
        description: String,
        (start, end): (Date, Date),
        products: String,
        responsible: Vec<String>,
    ) -> Result<Activity, FollowupError> {
        if end < start {
            return Err(FollowupError::EndsBeforeStart { start, end });
        }
        Ok(Activity {
            number,
            description,
            start,
            end,
            products,
            responsible,
            progress: Progress::default(),
            evidence: Vec::new(),
            closure: None,
        })
    }

    pub fn start(&self) -> Date {
        self.start
    }

    /// The activity as `plan` plans it (description, dates, products, responsible areas), with
    /// its own number, progress, evidence and closure.
    pub fn replanned(&self, plan: &Activity) -> Activity {
        Activity {
            description: plan.description.clone(),
            start: plan.start,
            end: plan.end,
            products: plan.products.clone(),
            responsible: plan.responsible.clone(),
            ..self.clone()
        }
    }

    pub fn end(&self) -> Date {
        self.end
    }

    pub fn progress(&self) -> Progress {
        self.progress
    }

    pub fn evidence(&self) -> &[Evidence] {
        &self.evidence
    }

    pub fn attach(&mut self, evidence: Evidence) {
        self.evidence.push(evidence);
    }

    /// Records the progress reported; 100 % is refused while no evidence is attached.
    pub fn record_progress(&mut self, progress: Progress) -> Result<(), FollowupError> {
        if progress == Progress::DONE && self.evidence.is_empty() {
            return Err(FollowupError::DoneWithoutEvidence);
        }
        self.progress = progress;
        Ok(())
    }

    /// Applies a person's change on `date`: a closed activity takes none, a closure needs its
    /// reason, and 100 % needs evidence (attached before, or with this change). A refused
    /// change leaves the activity as it was.
    pub fn update(&mut self, change: Change, date: Date) -> Result<Update, FollowupError> {
        let status = self.status(date);
        if self.closure.is_some() || status == Status::Attended {
            return Err(FollowupError::Closed(status));
        }
        if let Some(Closure::Justified { reason } | Closure::NotAttended { reason }) =
            &change.closure
            && reason.trim().is_empty()
        {
            return Err(FollowupError::ClosureWithoutReason);
        }
        let mut next = self.clone();
        if let Some(evidence) = &change.evidence {
            next.attach(evidence.clone());
        }
        next.record_progress(change.progress)?;
        next.closure = change.closure.clone();
        let update = Update {
            date,
            before: self.progress,
            change,
        };
        *self = next;
        Ok(update)
    }

    /// The activity as it was at the end of `date`, undoing the `updates` (its history, oldest
    /// first) recorded after that day.
    pub fn as_of(&self, updates: &[Update], date: Date) -> Activity {
        let later: Vec<&Update> = updates.iter().filter(|u| u.date > date).collect();
        let Some(first) = later.first() else {
            return self.clone();
        };
        let mut earlier = self.clone();
        earlier.progress = first.before;
        // Updates are refused once an activity is closed, so before a later one it was open.
        earlier.closure = None;
        let added = later.iter().filter(|u| u.change.evidence.is_some()).count();
        earlier
            .evidence
            .truncate(earlier.evidence.len().saturating_sub(added));
        earlier
    }

    /// The status as of `today`: a closure wins, then completion, then the dates.
    pub fn status(&self, today: Date) -> Status {
        match &self.closure {
            Some(Closure::NotAttended { .. }) => Status::NotAttended,
            Some(Closure::Justified { .. }) => Status::Justified,
            None if self.progress == Progress::DONE => Status::Attended,
            None if today > self.end => Status::Overdue,
            None if today >= self.start || self.progress > Progress::default() => {
                Status::InProgress
            }
            None => Status::Pending,
        }
    }
}

impl Item {
    /// The item's key within its program, as pages name it: `R3`, `A12`.
    pub fn key(&self) -> String {
        format!("{}{}", self.kind.code(), self.number)
    }

    /// The mean progress of the activities (0 with none).
    pub fn progress(&self) -> Progress {
        let count = self.activities.len() as u32;
        let sum: u32 = self
            .activities
            .iter()
            .map(|a| u32::from(a.progress.0))
            .sum();
        // The mean of values up to 100 is at most 100.
        Progress(sum.checked_div(count).unwrap_or(0) as u8)
    }

    /// Overdue when any activity is; closed when all are (attended only if all were);
    /// otherwise in process once anything started. A recommendation not accepted is
    /// justified by its justification.
    pub fn status(&self, today: Date) -> Status {
        if let ItemKind::Recommendation(r) = &self.kind
            && !r.acceptance.is_accepted()
        {
            return Status::Justified;
        }
        let statuses: Vec<Status> = self.activities.iter().map(|a| a.status(today)).collect();
        let all = |s: Status| statuses.iter().all(|&x| x == s);
        if statuses.is_empty() {
            Status::Pending
        } else if statuses.contains(&Status::Overdue) {
            Status::Overdue
        } else if statuses.iter().all(|s| s.is_closed()) {
            if all(Status::Attended) {
                Status::Attended
            } else if statuses.contains(&Status::NotAttended) {
                Status::NotAttended
            } else {
                Status::Justified
            }
        } else if all(Status::Pending) {
            Status::Pending
        } else {
            Status::InProgress
        }
    }
}

/// The state of every item on one day: a periodic cut-off or, once everything is closed, the
/// final report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cutoff<'a> {
    pub date: Date,
    pub items: Vec<ItemState<'a>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemState<'a> {
    pub item: &'a Item,
    pub progress: Progress,
    pub status: Status,
}

impl Program {
    pub fn cutoff(&self, date: Date) -> Cutoff<'_> {
        Cutoff {
            date,
            items: self
                .items
                .iter()
                .map(|item| ItemState {
                    item,
                    progress: item.progress(),
                    status: item.status(date),
                })
                .collect(),
        }
    }

    /// The last cut-off, refused while any activity is still open on `date`.
    pub fn final_report(&self, date: Date) -> Result<Cutoff<'_>, FollowupError> {
        let open = self
            .items
            .iter()
            .flat_map(|i| &i.activities)
            .filter(|a| !a.status(date).is_closed())
            .count();
        if open > 0 {
            return Err(FollowupError::OpenActivities(open));
        }
        Ok(self.cutoff(date))
    }

    /// The program as it was at the end of `date`, given each activity's history (by item key
    /// and activity number).
    pub fn as_of(&self, history: &HashMap<(String, u32), Vec<Update>>, date: Date) -> Program {
        let mut earlier = self.clone();
        for item in &mut earlier.items {
            let key = item.key();
            for activity in &mut item.activities {
                if let Some(updates) = history.get(&(key.clone(), activity.number)) {
                    *activity = activity.as_of(updates, date);
                }
            }
        }
        earlier
    }

    pub fn item(&self, key: &str) -> Option<&Item> {
        self.items.iter().find(|i| i.key() == key)
    }

    /// Whether the program is one written down line by line (agreements, commitments, an
    /// audit's observations, the lines of a PAT, PTAR or PTCI): every item is one, and items are
    /// added to it one at a time. A program read from tables (ASM) or a supervision's
    /// recommendations is not.
    pub fn holds_agreements(&self) -> bool {
        self.items
            .iter()
            .all(|i| super::LineKind::of(&i.kind).is_some())
    }

    /// Adds `item` after the program's items, numbered after the last of its kind (a third
    /// agreement is `AC3`), and answers it.
    pub fn add_item(&mut self, item: NewItem) -> &Item {
        let code = item.kind.code();
        let number = self
            .items
            .iter()
            .filter(|i| i.kind.code() == code)
            .map(|i| i.number)
            .max()
            .unwrap_or(0)
            + 1;
        self.items.push(Item {
            number,
            kind: item.kind,
            text: item.text,
            expected_results: None,
            case_folio: item.case_folio,
            activities: item.activities,
        });
        &self.items[self.items.len() - 1]
    }

    pub fn recommendations(&self) -> impl Iterator<Item = (&Item, &Recommendation)> {
        self.items.iter().filter_map(|i| match &i.kind {
            ItemKind::Recommendation(r) => Some((i, r)),
            _ => None,
        })
    }

    pub fn aspects(&self) -> impl Iterator<Item = (&Item, &Aspect)> {
        self.items.iter().filter_map(|i| match &i.kind {
            ItemKind::Aspect(a) => Some((i, a)),
            _ => None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn activity() -> Activity {
        Activity::planned(
            1,
            "Elaborar el Plan de ASM 2017".into(),
            (date(2017, 5, 8), date(2017, 6, 30)),
            "Plan de ASM 2017".into(),
            vec!["DIRECCIÓN DE PLANEACIÓN".into()],
        )
        .unwrap()
    }

    #[test]
    fn an_activity_reaches_100_only_with_evidence() {
        let mut a = activity();
        assert_eq!(
            a.record_progress(Progress::DONE),
            Err(FollowupError::DoneWithoutEvidence)
        );
        assert_eq!(a.progress(), Progress::default());
        a.record_progress(Progress::new(60).unwrap()).unwrap();
        a.attach(Evidence {
            name: "Plan de ASM 2017 firmado.pdf".into(),
        });
        a.record_progress(Progress::DONE).unwrap();
        assert_eq!(a.status(date(2018, 1, 1)), Status::Attended);
        assert_eq!(
            Progress::new(101),
            Err(FollowupError::ProgressOutOfRange(101))
        );
    }

    #[test]
    fn updates_keep_the_evidence_rule_and_can_be_undone_to_a_date() {
        let mut a = activity();
        let change = |percent, evidence: Option<&str>| Change {
            progress: Progress::new(percent).unwrap(),
            note: String::new(),
            evidence: evidence.map(|name| Evidence { name: name.into() }),
            closure: None,
        };
        assert_eq!(
            a.update(change(100, None), date(2017, 6, 1)),
            Err(FollowupError::DoneWithoutEvidence)
        );
        assert_eq!(a, activity());
        let first = a.update(change(40, None), date(2017, 6, 1)).unwrap();
        let second = a
            .update(change(100, Some("plan.pdf")), date(2017, 6, 20))
            .unwrap();
        assert_eq!(second.before.percent(), 40);
        assert_eq!(
            a.update(change(100, None), date(2017, 6, 21)),
            Err(FollowupError::Closed(Status::Attended))
        );
        let history = [first, second];
        let june_10 = a.as_of(&history, date(2017, 6, 10));
        assert_eq!(june_10.progress().percent(), 40);
        assert!(june_10.evidence().is_empty());
        assert_eq!(a.as_of(&history, date(2017, 5, 1)).progress().percent(), 0);
        assert_eq!(a.as_of(&history, date(2017, 6, 20)), a);
        let mut b = activity();
        let mut closing = change(10, None);
        closing.closure = Some(Closure::NotAttended { reason: " ".into() });
        assert_eq!(
            b.update(closing, date(2017, 6, 1)),
            Err(FollowupError::ClosureWithoutReason)
        );
    }

    #[test]
    fn status_follows_the_dates_as_of_today() {
        let mut a = activity();
        assert_eq!(a.status(date(2017, 5, 7)), Status::Pending);
        assert_eq!(a.status(date(2017, 5, 8)), Status::InProgress);
        assert_eq!(a.status(date(2017, 6, 30)), Status::InProgress);
        assert_eq!(a.status(date(2017, 7, 1)), Status::Overdue);
        a.closure = Some(Closure::Justified {
            reason: "Se atiende con el aspecto 2".into(),
        });
        assert_eq!(a.status(date(2017, 7, 1)), Status::Justified);
    }

    #[test]
    fn agreements_and_commitments_are_numbered_within_their_kind() {
        let mut program = Program {
            name: "Acuerdos de la reunión".into(),
            items: Vec::new(),
            sign_off: None,
        };
        let new = |kind| NewItem {
            kind,
            text: "Publicar el MOP".into(),
            case_folio: None,
            activities: vec![activity()],
        };
        assert!(program.holds_agreements());
        assert_eq!(program.add_item(new(ItemKind::Agreement)).key(), "AC1");
        assert_eq!(program.add_item(new(ItemKind::Commitment)).key(), "C1");
        assert_eq!(program.add_item(new(ItemKind::Agreement)).key(), "AC2");
        assert_eq!(program.items.len(), 3);
        assert!(program.holds_agreements());
        program.items.push(Item {
            kind: ItemKind::Aspect(Aspect {
                document: crate::followup::DocumentType::Institutional,
                management: crate::followup::ManagementArea::O,
                start: date(2017, 5, 8),
                end: date(2017, 6, 30),
                products: String::new(),
                recommendations: Vec::new(),
                coordinator: None,
            }),
            ..program.items[0].clone()
        });
        assert!(!program.holds_agreements());
    }

    #[test]
    fn an_activity_cannot_end_before_it_starts() {
        let refused = Activity::planned(
            3,
            "Realizar seguimiento periodico del Plan de ASM 2017".into(),
            (date(2017, 5, 15), date(2017, 1, 31)),
            String::new(),
            Vec::new(),
        );
        assert_eq!(
            refused,
            Err(FollowupError::EndsBeforeStart {
                start: date(2017, 5, 15),
                end: date(2017, 1, 31)
            })
        );
    }

    #[test]
    fn an_item_is_overdue_when_an_activity_is_and_the_final_report_waits_for_all() {
        let mut done = activity();
        done.attach(Evidence {
            name: "minuta.pdf".into(),
        });
        done.record_progress(Progress::DONE).unwrap();
        let program = Program {
            name: "Acuerdos".into(),
            items: vec![Item {
                number: 1,
                kind: ItemKind::Agreement,
                text: "Publicar el MOP".into(),
                expected_results: None,
                case_folio: Some("CNPSS-92-2017-0001".into()),
                activities: vec![done.clone(), activity()],
            }],
            sign_off: None,
        };
        let item = &program.items[0];
        assert_eq!(item.progress().percent(), 50);
        assert_eq!(item.status(date(2017, 6, 1)), Status::InProgress);
        assert_eq!(item.status(date(2017, 7, 1)), Status::Overdue);
        assert_eq!(
            program.final_report(date(2017, 7, 1)),
            Err(FollowupError::OpenActivities(1))
        );
        let cutoff = program.cutoff(date(2017, 6, 1));
        assert_eq!(cutoff.items[0].status, Status::InProgress);
    }
}
