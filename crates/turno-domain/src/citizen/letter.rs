//! A petition that arrived in writing (procedure 98): an oficio of the Consejo Nacional de Salud
//! or another agency, registered by the Dirección from the document itself.

use crate::citizen::MAX_SHORT_TEXT_CHARS;
use jiff::civil::Date;

/// Who sent it, their oficio's number and its date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Letter {
    pub sender: String,
    pub reference: String,
    pub dated: Date,
}

/// A field of the letter that is wrong, with the reason, in Spanish.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{label}: {reason}")]
pub struct LetterProblem {
    /// The form's field name.
    pub field: &'static str,
    pub label: &'static str,
    pub reason: String,
}

impl Letter {
    /// The letter from the texts a form gives; an oficio cannot be dated after `today`.
    pub fn check(
        sender: &str,
        reference: &str,
        dated: &str,
        today: Date,
    ) -> Result<Letter, Vec<LetterProblem>> {
        let mut problems = Vec::new();
        let mut text = |value: &str, field, label| {
            let value = value.trim();
            let reason = if value.is_empty() {
                "es obligatorio".to_owned()
            } else if value.chars().count() > MAX_SHORT_TEXT_CHARS {
                format!("no puede pasar de {MAX_SHORT_TEXT_CHARS} caracteres")
            } else {
                return value.to_owned();
            };
            problems.push(LetterProblem {
                field,
                label,
                reason,
            });
            String::new()
        };
        let sender = text(sender, "remitente", "Remitente");
        let reference = text(reference, "oficio", "Número de oficio");
        let dated = match dated.trim().parse::<Date>() {
            Ok(date) if date <= today => Some(date),
            Ok(_) => {
                problems.push(LetterProblem {
                    field: "fecha_oficio",
                    label: "Fecha del oficio",
                    reason: "no puede ser posterior a hoy".to_owned(),
                });
                None
            }
            Err(_) => {
                problems.push(LetterProblem {
                    field: "fecha_oficio",
                    label: "Fecha del oficio",
                    reason: "escriba una fecha válida (aaaa-mm-dd)".to_owned(),
                });
                None
            }
        };
        match dated {
            Some(dated) if problems.is_empty() => Ok(Letter {
                sender,
                reference,
                dated,
            }),
            _ => Err(problems),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn a_letter_needs_its_sender_number_and_a_past_date() {
        let today = date(2026, 3, 10);
        let letter = Letter::check(
            " Consejo Nacional de Salud ",
            "CNS/123/2026",
            "2026-03-02",
            today,
        )
        .unwrap();
        assert_eq!(letter.sender, "Consejo Nacional de Salud");
        assert_eq!(letter.dated, date(2026, 3, 2));
        let problems = Letter::check("", "x", "2026-03-11", today).unwrap_err();
        let fields: Vec<&str> = problems.iter().map(|p| p.field).collect();
        assert_eq!(fields, ["remitente", "fecha_oficio"]);
        assert_eq!(problems[0].to_string(), "Remitente: es obligatorio");
        assert!(Letter::check("a", "b", "ayer", today).is_err());
    }
}
