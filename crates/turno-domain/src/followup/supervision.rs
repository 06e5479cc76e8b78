//! The follow-up of a supervision visit (procedure 94): the entidad's recommendations are a
//! program of their own, reviewed in a first and a second follow-up round. A round in which
//! every recommendation is atendida concludes the supervision; the second round with any still
//! pending escalates it (the cnpss-94 case carries the escalation itself).

use super::asm::{Acceptance, Recommendation};
use super::model::{Activity, FollowupError, Item, ItemKind, Program, Status};
use jiff::civil::Date;

/// The program of a visit's recommendations to `entidad`: one item per recommendation, each
/// with the one activity of attending it between the results' receipt and the entidad's
/// deadline.
pub fn supervision_program(
    name: &str,
    entidad: &str,
    recommendations: &[String],
    (from, deadline): (Date, Date),
) -> Result<Program, FollowupError> {
    let items = recommendations
        .iter()
        .zip(1..)
        .map(|(text, number)| {
            Ok(Item {
                number,
                kind: ItemKind::Recommendation(Recommendation {
                    evaluation_year: from.year(),
                    management: None,
                    acceptance: Acceptance::Accepted,
                }),
                text: text.clone(),
                expected_results: None,
                case_folio: None,
                activities: vec![Activity::planned(
                    1,
                    "Atender la recomendación y enviar la evidencia".into(),
                    (from, deadline),
                    "Evidencia de la atención".into(),
                    vec![entidad.to_owned()],
                )?],
            })
        })
        .collect::<Result<Vec<Item>, FollowupError>>()?;
    Ok(Program {
        name: name.to_owned(),
        items,
        sign_off: None,
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Round {
    First,
    Second,
}

impl Round {
    pub fn number(self) -> u8 {
        match self {
            Round::First => 1,
            Round::Second => 2,
        }
    }

    pub fn from_number(n: u8) -> Option<Round> {
        match n {
            1 => Some(Round::First),
            2 => Some(Round::Second),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Round::First => "primer seguimiento",
            Round::Second => "segundo seguimiento",
        }
    }
}

/// What closing a round decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RoundOutcome {
    /// Every recommendation atendida: the supervision concludes.
    Concluded,
    /// After the first round, the pending ones go to the second.
    SecondRound { pending: usize },
    /// After the second round, the pending ones are escalated.
    Escalated { pending: usize },
}

impl RoundOutcome {
    /// The recommendations not atendidas when the round closed.
    pub fn pending(self) -> usize {
        match self {
            RoundOutcome::Concluded => 0,
            RoundOutcome::SecondRound { pending } | RoundOutcome::Escalated { pending } => pending,
        }
    }

    /// Whether another round follows.
    pub fn continues(self) -> bool {
        matches!(self, RoundOutcome::SecondRound { .. })
    }

    pub fn label(self) -> &'static str {
        match self {
            RoundOutcome::Concluded => "concluida",
            RoundOutcome::SecondRound { .. } => "pasa al segundo seguimiento",
            RoundOutcome::Escalated { .. } => "escalada",
        }
    }
}

/// Closes the next round of a supervision whose earlier rounds ended in `closed` (oldest
/// first), counting the recommendations not atendidas on `date`. Refused once the supervision
/// concluded or escalated.
pub fn close_round(
    program: &Program,
    closed: &[RoundOutcome],
    date: Date,
) -> Result<(Round, RoundOutcome), FollowupError> {
    let round = match closed {
        [] => Round::First,
        [RoundOutcome::SecondRound { .. }] => Round::Second,
        _ => return Err(FollowupError::SupervisionEnded),
    };
    let pending = program
        .items
        .iter()
        .filter(|item| item.status(date) != Status::Attended)
        .count();
    let outcome = match (pending, round) {
        (0, _) => RoundOutcome::Concluded,
        (pending, Round::First) => RoundOutcome::SecondRound { pending },
        (pending, Round::Second) => RoundOutcome::Escalated { pending },
    };
    Ok((round, outcome))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::followup::{Change, Evidence, Progress};
    use jiff::civil::date;

    fn supervision(count: u32) -> Program {
        let texts: Vec<String> = (1..=count).map(|n| format!("Recomendación {n}")).collect();
        supervision_program(
            "Supervisión",
            "Querétaro",
            &texts,
            (date(2014, 3, 1), date(2014, 5, 9)),
        )
        .unwrap()
    }

    fn attend(program: &mut Program, index: usize) {
        let change = Change {
            progress: Progress::DONE,
            note: String::new(),
            evidence: Some(Evidence {
                name: "oficio.pdf".into(),
            }),
            closure: None,
        };
        program.items[index].activities[0]
            .update(change, date(2014, 4, 1))
            .unwrap();
    }

    #[test]
    fn a_supervision_concludes_when_all_are_attended_or_escalates_after_the_second_round() {
        let mut program = supervision(2);
        let day = date(2014, 5, 20);
        let (round, first) = close_round(&program, &[], day).unwrap();
        assert_eq!(
            (round, first),
            (Round::First, RoundOutcome::SecondRound { pending: 2 })
        );
        attend(&mut program, 0);
        let (round, second) = close_round(&program, &[first], day).unwrap();
        assert_eq!(
            (round, second),
            (Round::Second, RoundOutcome::Escalated { pending: 1 })
        );
        assert_eq!(
            close_round(&program, &[first, second], day),
            Err(FollowupError::SupervisionEnded)
        );
        attend(&mut program, 1);
        assert_eq!(
            close_round(&program, &[first], day),
            Ok((Round::Second, RoundOutcome::Concluded))
        );
        assert_eq!(
            close_round(&program, &[], day),
            Ok((Round::First, RoundOutcome::Concluded))
        );
    }
}
