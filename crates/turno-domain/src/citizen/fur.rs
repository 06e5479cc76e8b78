//! The Formato Único de Respuesta (FUR): how the entidad's Enlace de Atención Ciudadana
//! answers a volante de trámite, and the review of that answer («¿Está completa y es favorable
//! la respuesta?», procedure 97 activity 4.1) that closes the petition or turns it again.
//!
//! Seed 001 names the FUR (policy 3.8 of procedure 96, 3.5 of 97; 7.0 calls it «Formato Único
//! de Registro») but does not list its fields: these are our design (docs/citizen-format.md).

use super::folio::PetitionFolio;
use super::petition::{MAX_NARRATIVE_CHARS, MAX_SHORT_TEXT_CHARS};
use crate::calendar::State;
use jiff::civil::Date;

/// The unit of an entidad's Enlace de Atención Ciudadana, who «se encuentran operando
/// directamente en los REPSS» (glossary 8.2 of procedures 96 and 97): its REPSS, `REPSS-JAL`
/// (org/entidades.toml and org/seseq.toml).
pub fn liaison_unit(state: State) -> String {
    format!("REPSS-{}", state.code())
}

/// One FUR: the answer to one volante of one petition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResponseForm {
    pub petition: PetitionFolio,
    /// Which volante it answers: 1 for the first, one more each time the petition is turned
    /// again for a fuller answer.
    pub slip: u16,
    /// The entidad that answers.
    pub state: State,
    /// The Enlace de Atención Ciudadana who signs it.
    pub liaison: String,
    pub answered_on: Date,
    /// When and how the Enlace reached the petitioner, if they did.
    pub contact: Option<PetitionerContact>,
    /// What was done (gestiones realizadas).
    pub actions: String,
    pub outcome: Outcome,
    /// What the petitioner was told.
    pub answer: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PetitionerContact {
    pub on: Date,
    pub means: ContactMeans,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContactMeans {
    Phone,
    Email,
    InPerson,
    Letter,
}

impl ContactMeans {
    pub fn label(self) -> &'static str {
        match self {
            ContactMeans::Phone => "Teléfono",
            ContactMeans::Email => "Correo electrónico",
            ContactMeans::InPerson => "En persona",
            ContactMeans::Letter => "Oficio o escrito",
        }
    }
}

/// How the matter ended for the petitioner, as the Enlace reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Resolved as the petitioner asked.
    Favorable,
    /// Attended, but not as the petitioner asked (with the reason in `answer`).
    Unfavorable,
    /// Not the REPSS's to resolve; `answer` says whose it is.
    NotCompetent,
}

impl Outcome {
    pub fn label(self) -> &'static str {
        match self {
            Outcome::Favorable => "Favorable",
            Outcome::Unfavorable => "No favorable",
            Outcome::NotCompetent => "No es de su competencia",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FurError {
    #[error("falta el nombre del Enlace de Atención Ciudadana")]
    NoLiaison,
    #[error("faltan las acciones realizadas")]
    NoActions,
    #[error("falta la respuesta al peticionario")]
    NoAnswer,
    /// A text longer than a FUR keeps: the Enlace's name, the actions or the answer.
    #[error("{what}: {length} caracteres; el máximo es {max}")]
    TooLong {
        field: FurField,
        what: &'static str,
        length: usize,
        max: usize,
    },
    #[error("la entidad que responde ({answering}) no es la del volante ({turned})")]
    OtherState { answering: State, turned: State },
    #[error("la fecha de respuesta ({answered}) es anterior al volante ({turned})")]
    BeforeSlip { answered: Date, turned: Date },
    /// A FUR tells what was done: it cannot be dated after the day it is recorded.
    #[error(
        "la fecha de respuesta ({}) es posterior a hoy ({}): el FUR registra lo ya respondido",
        answered.strftime("%d/%m/%Y"),
        today.strftime("%d/%m/%Y")
    )]
    AfterToday { answered: Date, today: Date },
    #[error(
        "la fecha de contacto con el peticionario ({contact}) no está entre el volante ({turned}) y la respuesta ({answered})"
    )]
    ContactOutside {
        contact: Date,
        turned: Date,
        answered: Date,
    },
}

/// The FUR's fields, to place each problem next to the one it is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FurField {
    Liaison,
    AnsweredOn,
    ContactOn,
    Actions,
    Answer,
    State,
}

impl FurError {
    /// The field the problem is about.
    pub fn field(&self) -> FurField {
        match self {
            FurError::NoLiaison => FurField::Liaison,
            FurError::NoActions => FurField::Actions,
            FurError::NoAnswer => FurField::Answer,
            FurError::TooLong { field, .. } => *field,
            FurError::OtherState { .. } => FurField::State,
            FurError::BeforeSlip { .. } | FurError::AfterToday { .. } => FurField::AnsweredOn,
            FurError::ContactOutside { .. } => FurField::ContactOn,
        }
    }
}

impl ResponseForm {
    /// Every problem of the form, given the entidad and the date of the volante it answers, on
    /// the day it is recorded (`today`).
    pub fn check(&self, turned_to: State, turned_on: Date, today: Date) -> Vec<FurError> {
        let mut problems = Vec::new();
        let blank = |s: &str| s.trim().is_empty();
        if blank(&self.liaison) {
            problems.push(FurError::NoLiaison);
        }
        if blank(&self.actions) {
            problems.push(FurError::NoActions);
        }
        if blank(&self.answer) {
            problems.push(FurError::NoAnswer);
        }
        for (field, text, what, max) in [
            (
                FurField::Liaison,
                &self.liaison,
                "el nombre del Enlace",
                MAX_SHORT_TEXT_CHARS,
            ),
            (
                FurField::Actions,
                &self.actions,
                "las acciones realizadas",
                MAX_NARRATIVE_CHARS,
            ),
            (
                FurField::Answer,
                &self.answer,
                "la respuesta al peticionario",
                MAX_NARRATIVE_CHARS,
            ),
        ] {
            let length = text.chars().count();
            if length > max {
                problems.push(FurError::TooLong {
                    field,
                    what,
                    length,
                    max,
                });
            }
        }
        if self.state != turned_to {
            problems.push(FurError::OtherState {
                answering: self.state,
                turned: turned_to,
            });
        }
        if self.answered_on < turned_on {
            problems.push(FurError::BeforeSlip {
                answered: self.answered_on,
                turned: turned_on,
            });
        }
        if self.answered_on > today {
            problems.push(FurError::AfterToday {
                answered: self.answered_on,
                today,
            });
        }
        if let Some(contact) = self.contact
            && !(turned_on..=self.answered_on).contains(&contact.on)
        {
            problems.push(FurError::ContactOutside {
                contact: contact.on,
                turned: turned_on,
                answered: self.answered_on,
            });
        }
        problems
    }
}

/// The Departamento de Vinculación Social's review of a FUR.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Review {
    pub complete: bool,
    pub favorable: bool,
}

impl Review {
    /// A complete and favorable answer closes the petition; any other is turned again to the
    /// Enlace with a new volante «para ampliar respuesta favorable».
    pub fn closes(self) -> bool {
        self.complete && self.favorable
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn fur() -> ResponseForm {
        ResponseForm {
            petition: PetitionFolio {
                year: 2026,
                number: 42,
            },
            slip: 1,
            state: State::from_name_or_code("JAL").unwrap(),
            liaison: "Lic. Ana Ruiz".into(),
            answered_on: date(2026, 3, 10),
            contact: Some(PetitionerContact {
                on: date(2026, 3, 5),
                means: ContactMeans::Phone,
            }),
            actions: "Se gestionó el surtimiento con la jurisdicción.".into(),
            outcome: Outcome::Favorable,
            answer: "Se le surtió la receta el 5 de marzo.".into(),
        }
    }

    #[test]
    fn citizen_fur_is_checked_against_its_volante() {
        let jal = State::from_name_or_code("JAL").unwrap();
        let today = date(2026, 3, 10);
        assert_eq!(fur().check(jal, date(2026, 3, 2), today), []);
        let bad = ResponseForm {
            liaison: " ".into(),
            answer: String::new(),
            ..fur()
        };
        let col = State::from_name_or_code("COL").unwrap();
        assert_eq!(
            crate::citizen::messages(&bad.check(col, date(2026, 3, 6), today)),
            [
                "falta el nombre del Enlace de Atención Ciudadana",
                "falta la respuesta al peticionario",
                "la entidad que responde (JAL) no es la del volante (COL)",
                "la fecha de contacto con el peticionario (2026-03-05) no está entre el volante (2026-03-06) y la respuesta (2026-03-10)",
            ]
        );
        let long = ResponseForm {
            actions: "a".repeat(MAX_NARRATIVE_CHARS + 1),
            ..fur()
        };
        assert_eq!(
            crate::citizen::messages(&long.check(jal, date(2026, 3, 2), today)),
            ["las acciones realizadas: 5001 caracteres; el máximo es 5000"]
        );
        // Dated tomorrow: refused, on the answer's date.
        let early = fur().check(jal, date(2026, 3, 2), date(2026, 3, 9));
        assert_eq!(
            crate::citizen::messages(&early),
            [
                "la fecha de respuesta (10/03/2026) es posterior a hoy (09/03/2026): el FUR registra lo ya respondido"
            ]
        );
        assert_eq!(early[0].field(), FurField::AnsweredOn);
        assert_eq!(
            bad.check(col, date(2026, 3, 6), today)
                .iter()
                .map(FurError::field)
                .collect::<Vec<_>>(),
            [
                FurField::Liaison,
                FurField::Answer,
                FurField::State,
                FurField::ContactOn
            ]
        );
    }

    #[test]
    fn citizen_review_closes_only_complete_and_favorable_answers() {
        assert!(
            Review {
                complete: true,
                favorable: true
            }
            .closes()
        );
        assert!(
            !Review {
                complete: true,
                favorable: false
            }
            .closes()
        );
        assert!(
            !Review {
                complete: false,
                favorable: true
            }
            .closes()
        );
    }
}
