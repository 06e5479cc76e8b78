//! A validated procedure, compiled for the engine: activities are addressed by index, every
//! reference is resolved, and nothing here can point nowhere.

use crate::calendar::Regime;
use serde::{Deserialize, Serialize};

/// Index of an activity in [`Procedure::activities`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ActivityId(pub u16);

/// Index of a participant in [`Procedure::participants`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ParticipantId(pub u16);

/// Index of a field in [`Procedure::fields`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct FieldId(pub u16);

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Procedure {
    pub key: String,
    pub version: u32,
    pub number: Option<String>,
    pub title: String,
    pub manual: Option<String>,
    pub issuer: Option<String>,
    pub source: Option<String>,
    pub regime: Regime,
    /// How the folios of its cases begin (`CAS` in `CAS-2026-000123`).
    pub folio_prefix: String,
    pub purpose: Vec<String>,
    pub scope: Vec<String>,
    pub policies: Vec<Policy>,
    pub participants: Vec<Participant>,
    pub fields: Vec<FieldDef>,
    pub stages: Vec<Stage>,
    pub activities: Vec<Activity>,
    pub references: Vec<Reference>,
    pub records: Vec<Record>,
    pub glossary: Vec<GlossaryEntry>,
    pub changes: Vec<Change>,
    pub annexes: Vec<Annex>,
}

impl Procedure {
    pub fn activity(&self, id: ActivityId) -> &Activity {
        &self.activities[usize::from(id.0)]
    }

    pub fn participant(&self, id: ParticipantId) -> &Participant {
        &self.participants[usize::from(id.0)]
    }

    pub fn field(&self, id: FieldId) -> &FieldDef {
        &self.fields[usize::from(id.0)]
    }

    pub fn activity_by_number(&self, number: &str) -> Option<ActivityId> {
        self.activities
            .iter()
            .position(|a| a.number == number)
            .map(|i| ActivityId(i as u16))
    }

    pub fn participant_by_key(&self, key: &str) -> Option<ParticipantId> {
        self.participants
            .iter()
            .position(|p| p.key == key)
            .map(|i| ParticipantId(i as u16))
    }

    pub fn field_by_name(&self, name: &str) -> Option<FieldId> {
        self.fields
            .iter()
            .position(|f| f.name == name)
            .map(|i| FieldId(i as u16))
    }

    /// The code of the unit whose people work on a participant's items: its own unit (or, when
    /// the definition names none, `key:PARTICIPANT`), and for an outside party the internal
    /// unit that records what it does. The store files work under it; the web checks it.
    pub fn unit_of(&self, id: ParticipantId) -> String {
        let participant = self.participant(id);
        match participant.kind {
            ParticipantKind::External { recorded_by } => self.unit_of(recorded_by),
            ParticipantKind::Internal => participant
                .unit
                .clone()
                .unwrap_or_else(|| format!("{}:{}", self.key, participant.key)),
        }
    }

    /// Where every case starts: the first activity of the first stage.
    pub fn first_activity(&self) -> ActivityId {
        ActivityId(0)
    }

    /// The participants an activity's work may go to, each once: its fixed responsible, or
    /// the candidates of the `participants` field that chooses them while the case runs.
    pub fn candidates(&self, activity: &Activity) -> Vec<ParticipantId> {
        let mut ids = match &activity.assignment {
            Assignment::Fixed(ids) => ids.clone(),
            Assignment::FromField(field) => self
                .field(*field)
                .options
                .iter()
                .filter_map(|key| self.participant_by_key(key))
                .collect(),
        };
        let mut seen = std::collections::BTreeSet::new();
        ids.retain(|id| seen.insert(*id));
        ids
    }

    /// Every participant some activity may go to, in the order they first appear in the
    /// activities (the lanes of the flowchart and of the BPMN export).
    pub fn responsible_order(&self) -> Vec<ParticipantId> {
        let mut order = Vec::new();
        for activity in &self.activities {
            for id in self.candidates(activity) {
                if !order.contains(&id) {
                    order.push(id);
                }
            }
        }
        order
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Policy {
    pub number: Option<String>,
    /// The manual's printed number when it differs (policies numbered 6.7 inside section 3).
    pub manual_number: Option<String>,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum ParticipantKind {
    Internal,
    /// An outside party (SRE, an entidad federativa, an órgano de control): its actions are
    /// recorded by users of an internal participant.
    External {
        recorded_by: ParticipantId,
    },
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Participant {
    pub key: String,
    pub name: String,
    pub kind: ParticipantKind,
    /// Code of the unit in the organization catalog, when known.
    pub unit: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum FieldType {
    Text,
    LongText,
    Integer,
    Decimal,
    Date,
    Boolean,
    Choice,
    Participants,
}

impl FieldType {
    const ALL: [FieldType; 8] = [
        FieldType::Text,
        FieldType::LongText,
        FieldType::Integer,
        FieldType::Decimal,
        FieldType::Date,
        FieldType::Boolean,
        FieldType::Choice,
        FieldType::Participants,
    ];

    pub fn parse(s: &str) -> Option<FieldType> {
        Self::ALL.into_iter().find(|ty| ty.code() == s)
    }

    /// Its name in a definition file (`long_text`): what [`FieldType::parse`] reads.
    pub fn code(self) -> &'static str {
        match self {
            FieldType::Text => "text",
            FieldType::LongText => "long_text",
            FieldType::Integer => "integer",
            FieldType::Decimal => "decimal",
            FieldType::Date => "date",
            FieldType::Boolean => "boolean",
            FieldType::Choice => "choice",
            FieldType::Participants => "participants",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FieldDef {
    pub name: String,
    pub label: String,
    pub ty: FieldType,
    /// Required when the case starts.
    pub required: bool,
    /// Allowed values of a `choice`, or candidate participant keys of a `participants` field.
    pub options: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Stage {
    pub number: String,
    pub manual_number: Option<String>,
    pub name: String,
    /// The stage's activities, as a range of [`Procedure::activities`].
    pub activities: std::ops::Range<u16>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Assignment {
    Fixed(Vec<ParticipantId>),
    /// Chosen while the case runs, in a `participants` field.
    FromField(FieldId),
}

/// Where the flow goes once an activity (or a branch of it) is done.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Exit {
    Goto(ActivityId),
    End,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Branch {
    pub answer: String,
    pub text: String,
    pub exit: Exit,
    /// The answer stands for the term running out ("no hay respuesta en 45 días hábiles"):
    /// it may be chosen only once the activity's term has run.
    pub expiry: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Route {
    Continue(Exit),
    Decide {
        question: String,
        branches: Vec<Branch>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum DayKind {
    Business,
    Natural,
}

/// "45 días hábiles", "10 días naturales antes".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Term {
    pub days: u16,
    pub kind: DayKind,
    pub before: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Anchor {
    /// When the activity opens.
    Activity,
    /// When the case started.
    Case,
    /// When an earlier activity was last completed.
    Completed(ActivityId),
    /// A date field of the case.
    Field(FieldId),
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Deadline {
    /// The definition's words, for display.
    pub text: String,
    pub term: Term,
    pub anchor: Anchor,
    /// Where the term counts from while the anchor's date is not known: a term that starts
    /// again from a later event when it happens (a prevención answered), and otherwise from
    /// the first one (the request's presentation).
    pub otherwise: Option<Anchor>,
    pub regime: Regime,
    /// Expiry as a path of its own: the open work closes as expired and the case continues here.
    pub on_expiry: Option<ActivityId>,
    /// The clock may stop while waiting for someone outside (the citizen, the entidad) and
    /// resume with the days already used.
    pub suspendable: bool,
    /// A longer term granted during the case («ampliable hasta por diez días más»).
    pub extension: Option<Extension>,
}

/// Days added to a term once an activity of the case has granted them (the Comité de
/// Transparencia's ampliación, notified to the requester).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Extension {
    /// Of the same kind as the term it extends.
    pub days: u16,
    /// The activity whose completion grants the extension.
    pub granted_by: ActivityId,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Activity {
    pub number: String,
    pub manual_number: Option<String>,
    pub stage: u16,
    pub text: String,
    pub assignment: Assignment,
    pub parallel: bool,
    pub documents: Vec<String>,
    /// Fields captured when the activity is completed; all of them must have a value by then.
    pub fields: Vec<FieldId>,
    pub route: Route,
    /// A sub-procedure started when the activity opens; the activity completes when it ends.
    pub call: Option<String>,
    pub deadline: Option<Deadline>,
    /// Completing it needs the person's verified e.firma over the completion's signed text
    /// (`engine::signed_text`); the engine refuses it without one.
    pub signature: bool,
    pub note: Option<String>,
}

impl Activity {
    /// The exits this activity may take, including its expiry path.
    pub fn successors(&self) -> impl Iterator<Item = Exit> + '_ {
        let routes: Vec<Exit> = match &self.route {
            Route::Continue(exit) => vec![*exit],
            Route::Decide { branches, .. } => branches.iter().map(|b| b.exit).collect(),
        };
        routes.into_iter().chain(
            self.deadline
                .as_ref()
                .and_then(|d| d.on_expiry)
                .map(Exit::Goto),
        )
    }

    /// The branch of a decision that `answer` names, compared without accents or case
    /// ("si" is «Sí»); `None` for an unknown answer or an activity that is not a decision.
    pub fn branch(&self, answer: &str) -> Option<&Branch> {
        let Route::Decide { branches, .. } = &self.route else {
            return None;
        };
        let wanted = crate::text::fold(answer);
        branches
            .iter()
            .find(|b| crate::text::fold(&b.answer) == wanted)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reference {
    pub document: String,
    pub code: Option<String>,
}

/// How long a record must be kept ("5 años").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Retention {
    Years(u16),
    Months(u16),
    NotApplicable,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Record {
    pub name: String,
    pub retention: Retention,
    pub retention_text: String,
    pub keeper: String,
    pub code: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GlossaryEntry {
    pub number: Option<String>,
    pub term: String,
    pub definition: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change {
    pub revision: String,
    pub date: String,
    pub description: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Annex {
    pub number: Option<String>,
    pub name: String,
    pub code: Option<String>,
}
