use super::event::WorkItemId;
use thiserror::Error;

/// Why a command was refused. A refused command changes nothing.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum EngineError {
    #[error("the case is {0}, not open")]
    CaseNotOpen(&'static str),
    #[error("the case has no open work item {0:?}")]
    UnknownWorkItem(WorkItemId),
    #[error("«{participant}» is not responsible for activity {activity}")]
    NotResponsible {
        participant: String,
        activity: String,
    },
    #[error("activity {activity} is a decision: answer one of {answers}")]
    OutcomeRequired { activity: String, answers: String },
    #[error("«{outcome}» is not an answer of activity {activity}: answer one of {answers}")]
    UnknownOutcome {
        activity: String,
        outcome: String,
        answers: String,
    },
    #[error("activity {activity} is not a decision: it takes no answer")]
    UnexpectedOutcome { activity: String },
    #[error("field «{0}» is required")]
    MissingField(String),
    #[error("field «{0}» is not defined in this procedure")]
    UnknownField(String),
    #[error("field «{field}»: {reason}")]
    InvalidField { field: String, reason: String },
    #[error("activity {0} waits for its sub-procedure to end")]
    AwaitingSubprocedure(String),
    #[error("work item {0:?} is not waiting for a sub-procedure")]
    NotAwaitingSubprocedure(WorkItemId),
    #[error("activity {activity} is turned to the units chosen in «{field}», and none is chosen")]
    NoParticipants { activity: String, field: String },
    #[error("date out of range computing the deadline of activity {0}")]
    DateOutOfRange(String),
    #[error("invalid document: {0}")]
    InvalidDocument(String),
    #[error("activity {activity} waits for the answer of {units}")]
    TurnsPending { activity: String, units: String },
    #[error("the term of activity {0} cannot be suspended")]
    NotSuspendable(String),
    #[error("the clock of activity {0} is already stopped")]
    AlreadySuspended(String),
    #[error("the clock of activity {0} is not stopped")]
    NotSuspended(String),
    #[error("the term of activity {0} has passed: it can no longer be suspended")]
    TermPassed(String),
    #[error(
        "«{answer}» of activity {activity} is the term running out: it may be chosen once the term has run"
    )]
    TermNotRun { activity: String, answer: String },
    #[error("say why the clock stops")]
    SuspensionWithoutReason,
    #[error("a turn needs at least one unit")]
    TurnWithoutUnits,
    #[error("a turn needs an instruction for the units")]
    TurnWithoutInstruction,
    #[error("a turn's term is from 1 to {0} business days")]
    TurnTerm(u16),
    #[error("unit «{0}» already has this work turned to it and not answered")]
    TurnRepeated(String),
    #[error("a turn of activity {0} is answered with observations and documents, not with data")]
    TurnAnswerWithData(String),
    #[error("work item {0:?} is not a turn: only a turn can be withdrawn")]
    NotATurn(WorkItemId),
    #[error("turn {turn:?} was not given from work item {from:?}")]
    TurnNotFrom { turn: WorkItemId, from: WorkItemId },
    #[error("turn {0:?} was answered or withdrawn already")]
    TurnClosed(WorkItemId),
    #[error("say why the turn is withdrawn")]
    WithdrawalWithoutReason,
    #[error("activity {0} is completed with the person's e.firma: sign it")]
    SignatureRequired(String),
    #[error("the e.firma is over another text than this completion of activity {0}")]
    SignatureMismatch(String),
    #[error("activity {0} does not ask for an e.firma")]
    UnexpectedSignature(String),
    #[error("the case was started on procedure {case}, not {definition}")]
    WrongDefinition { case: String, definition: String },
}
