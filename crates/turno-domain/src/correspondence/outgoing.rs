//! The stages of an outgoing document (oficio, memorándum, circular, tarjeta informativa):
//! drafted, reviewed and given the visto bueno by the people its unit chooses, signed by the
//! unit's titular (when it takes its number: a number is given only to a signed document, in
//! the same transaction, so numbers have no gaps), dispatched, or cancelled. A cancelled
//! document that was signed keeps its number on record as cancelled.

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Stage {
    /// Being written.
    Draft,
    /// With the reviewers.
    InReview,
    /// Every reviewer gave the visto bueno.
    Approved,
    /// Signed by the titular, numbered.
    Signed,
    /// Sent: internal ones arrive in the addressees' correspondence; external ones wait for
    /// their acuse.
    Dispatched,
    Cancelled,
}

/// What a person does to an outgoing document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Step {
    /// To the reviewers the unit chose.
    SendToReview,
    /// The visto bueno of the last reviewer.
    Approve,
    /// A reviewer or the titular sends it back to be corrected.
    Return,
    /// The titular signs it: it takes its number.
    Sign,
    Dispatch,
    Cancel,
}

impl Stage {
    pub const ALL: [Stage; 6] = [
        Stage::Draft,
        Stage::InReview,
        Stage::Approved,
        Stage::Signed,
        Stage::Dispatched,
        Stage::Cancelled,
    ];

    /// What is stored.
    pub fn code(self) -> &'static str {
        match self {
            Stage::Draft => "borrador",
            Stage::InReview => "en_revision",
            Stage::Approved => "visto_bueno",
            Stage::Signed => "firmado",
            Stage::Dispatched => "despachado",
            Stage::Cancelled => "cancelado",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Stage::Draft => "Borrador",
            Stage::InReview => "En revisión",
            Stage::Approved => "Con visto bueno",
            Stage::Signed => "Firmado",
            Stage::Dispatched => "Despachado",
            Stage::Cancelled => "Cancelado",
        }
    }

    pub fn from_code(code: &str) -> Option<Stage> {
        Stage::ALL.into_iter().find(|s| s.code() == code)
    }

    /// The stage after `step`, or why it cannot be taken. A draft may be signed without
    /// review when its unit chose no reviewers (the caller knows).
    pub fn after(self, step: Step) -> Result<Stage, StageError> {
        use Stage::*;
        use Step::*;
        match (self, step) {
            (Draft, SendToReview) => Ok(InReview),
            (InReview, Approve) => Ok(Approved),
            (InReview | Approved, Return) => Ok(Draft),
            (Draft | Approved, Sign) => Ok(Signed),
            (Signed, Dispatch) => Ok(Dispatched),
            (Draft | InReview | Approved | Signed, Cancel) => Ok(Cancelled),
            _ => Err(StageError { stage: self, step }),
        }
    }

    /// Whether nothing more happens to it.
    pub fn is_final(self) -> bool {
        matches!(self, Stage::Dispatched | Stage::Cancelled)
    }
}

impl fmt::Display for Stage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

impl Step {
    /// The step as a sentence's verb: «enviar a revisión».
    fn verb(self) -> &'static str {
        match self {
            Step::SendToReview => "enviar a revisión",
            Step::Approve => "dar el visto bueno a",
            Step::Return => "devolver para corrección",
            Step::Sign => "firmar",
            Step::Dispatch => "despachar",
            Step::Cancel => "cancelar",
        }
    }
}

/// What a document's history records: its drafting, a correction of the draft, or a step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Act {
    Draft,
    Correct,
    Step(Step),
}

impl Act {
    const ALL: [Act; 8] = [
        Act::Draft,
        Act::Correct,
        Act::Step(Step::SendToReview),
        Act::Step(Step::Approve),
        Act::Step(Step::Return),
        Act::Step(Step::Sign),
        Act::Step(Step::Dispatch),
        Act::Step(Step::Cancel),
    ];

    /// What is stored.
    pub fn code(self) -> &'static str {
        match self {
            Act::Draft => "redactar",
            Act::Correct => "corregir",
            Act::Step(Step::SendToReview) => "enviar_revision",
            Act::Step(Step::Approve) => "visto_bueno",
            Act::Step(Step::Return) => "devolver",
            Act::Step(Step::Sign) => "firmar",
            Act::Step(Step::Dispatch) => "despachar",
            Act::Step(Step::Cancel) => "cancelar",
        }
    }

    /// As the history reads it.
    pub fn label(self) -> &'static str {
        match self {
            Act::Draft => "Redactó el borrador",
            Act::Correct => "Corrigió el borrador",
            Act::Step(Step::SendToReview) => "Lo envió a revisión",
            Act::Step(Step::Approve) => "Dio su visto bueno",
            Act::Step(Step::Return) => "Lo devolvió para corrección",
            Act::Step(Step::Sign) => "Lo firmó",
            Act::Step(Step::Dispatch) => "Lo despachó",
            Act::Step(Step::Cancel) => "Lo canceló",
        }
    }

    pub fn from_code(code: &str) -> Option<Act> {
        Act::ALL.into_iter().find(|a| a.code() == code)
    }
}

/// A step the document's stage does not allow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("No se puede {} un documento en estado «{}».", step.verb(), stage.label().to_lowercase())]
pub struct StageError {
    pub stage: Stage,
    pub step: Step,
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const STEPS: [Step; 6] = [
        Step::SendToReview,
        Step::Approve,
        Step::Return,
        Step::Sign,
        Step::Dispatch,
        Step::Cancel,
    ];

    #[test]
    fn a_document_goes_from_draft_to_dispatch_through_review() {
        let mut stage = Stage::Draft;
        for step in [
            Step::SendToReview,
            Step::Return,
            Step::SendToReview,
            Step::Approve,
            Step::Sign,
            Step::Dispatch,
        ] {
            stage = stage.after(step).unwrap();
        }
        assert_eq!(stage, Stage::Dispatched);
    }

    #[test]
    fn every_act_reads_back_from_its_code() {
        for act in Act::ALL {
            assert_eq!(Act::from_code(act.code()), Some(act));
        }
    }

    #[test]
    fn a_refused_step_says_why_in_spanish() {
        let error = Stage::Dispatched.after(Step::Cancel).unwrap_err();
        assert_eq!(
            error.to_string(),
            "No se puede cancelar un documento en estado «despachado»."
        );
        assert!(
            Stage::Signed.after(Step::Return).is_err(),
            "a signed number is not reused"
        );
    }

    proptest! {
        /// On any sequence of steps, a document is signed (takes a number) at most once, and
        /// nothing changes a dispatched or cancelled one.
        #[test]
        fn a_number_is_taken_at_most_once_and_final_stages_stay(
            steps in prop::collection::vec(prop::sample::select(STEPS.to_vec()), 0..40)
        ) {
            let mut stage = Stage::Draft;
            let mut signed = 0;
            for step in steps {
                let was_final = stage.is_final();
                if let Ok(next) = stage.after(step) {
                    prop_assert!(!was_final);
                    signed += usize::from(next == Stage::Signed);
                    stage = next;
                }
            }
            prop_assert!(signed <= 1);
        }
    }
}
