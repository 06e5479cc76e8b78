//! The closed lists a person chooses from when registering, turning or issuing a document.
//! Each term has the code that is stored and exported and the label people read; either is
//! accepted when typed or imported, without regard to accents or case.

use crate::text::{fold, same};
use std::fmt;
use std::str::FromStr;

/// A typed word that is none of a list's terms.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("«{value}» no es {what} ({choices})")]
pub struct Unknown {
    pub value: String,
    /// The list, with its article: «un tipo de documento».
    pub what: &'static str,
    /// Its terms as people read them: «oficio, memorándum o circular».
    pub choices: String,
}

/// «a, b o c» in lower case, with «u» before a word that sounds «o» («escrito u otro»).
fn choices(labels: &[&str]) -> String {
    let labels: Vec<String> = labels.iter().map(|l| l.to_lowercase()).collect();
    match labels.as_slice() {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => {
            let or = if fold(last).starts_with('o') || fold(last).starts_with("ho") {
                "u"
            } else {
                "o"
            };
            format!("{} {or} {last}", init.join(", "))
        }
    }
}

/// A closed list of terms: its enum, `ALL`, `code`, `label`, `Display` and `FromStr` (by code
/// or label), written once for every list of this module.
macro_rules! vocabulary {
    (
        $(#[$meta:meta])*
        $name:ident, $what:literal {
            $($(#[$vmeta:meta])* $variant:ident => $code:literal, $label:literal;)+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name {
            $($(#[$vmeta])* $variant,)+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant,)+];

            /// What is stored and exported.
            pub fn code(self) -> &'static str {
                match self {
                    $($name::$variant => $code,)+
                }
            }

            /// As people read it.
            pub fn label(self) -> &'static str {
                match self {
                    $($name::$variant => $label,)+
                }
            }

            /// The term of a stored code.
            pub fn from_code(code: &str) -> Option<$name> {
                Self::ALL.iter().copied().find(|term| term.code() == code)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.label())
            }
        }

        impl FromStr for $name {
            type Err = Unknown;

            fn from_str(s: &str) -> Result<Self, Unknown> {
                Self::ALL
                    .iter()
                    .copied()
                    .find(|term| same(term.code(), s) || same(term.label(), s))
                    .ok_or_else(|| Unknown {
                        value: s.trim().to_owned(),
                        what: $what,
                        choices: choices(&[$($label,)+]),
                    })
            }
        }
    };
}

vocabulary! {
    /// What a document is.
    DocumentKind, "un tipo de documento" {
        Oficio => "oficio", "Oficio";
        /// Between units of one institution.
        Memorandum => "memorandum", "Memorándum";
        /// To many addressees at once.
        Circular => "circular", "Circular";
        /// A brief for a superior.
        InformationCard => "tarjeta_informativa", "Tarjeta informativa";
        /// A private person's letter.
        PrivateLetter => "escrito", "Escrito";
        Email => "correo", "Correo electrónico";
        Other => "otro", "Otro";
    }
}

impl DocumentKind {
    /// Whether an office issues documents of this kind (and numbers them): the templates of
    /// its outgoing correspondence.
    pub fn is_issued(self) -> bool {
        matches!(
            self,
            DocumentKind::Oficio
                | DocumentKind::Memorandum
                | DocumentKind::Circular
                | DocumentKind::InformationCard
        )
    }
}

vocabulary! {
    /// Who sent an incoming document.
    SenderKind, "un tipo de remitente" {
        /// A unit of the organization (`org/`).
        Internal => "unidad", "Unidad de la institución";
        /// An outside body: another dependency, a state's services, a legislature…
        External => "externa", "Dependencia o entidad externa";
        /// A private person.
        Private => "particular", "Particular";
    }
}

vocabulary! {
    Priority, "una prioridad" {
        Ordinary => "ordinaria", "Ordinaria";
        Urgent => "urgente", "Urgente";
    }
}

vocabulary! {
    /// How a document's information is classified (Ley General de Transparencia y Acceso a la
    /// Información Pública, arts. 113 and 116): a reserved or confidential document is seen only
    /// by the people it is turned to and its registering unit.
    Classification, "una clasificación" {
        Public => "publica", "Pública";
        Reserved => "reservada", "Reservada";
        Confidential => "confidencial", "Confidencial";
    }
}

impl Classification {
    /// Whether it limits who sees the document beyond the units involved.
    pub fn is_restricted(self) -> bool {
        self != Classification::Public
    }
}

vocabulary! {
    /// What a unit is asked to do with a document turned to it.
    Instruction, "una instrucción" {
        Attention => "atencion", "Para atención";
        /// For information: nothing is owed; the turn closes when it is read.
        Knowledge => "conocimiento", "Para conocimiento";
        Opinion => "opinion", "Para opinión";
        Signature => "firma", "Para firma";
        DraftAnswer => "preparar_respuesta", "Preparar respuesta";
    }
}

impl Instruction {
    /// Whether the unit owes an answer (and a term runs).
    pub fn needs_answer(self) -> bool {
        self != Instruction::Knowledge
    }
}

vocabulary! {
    /// Where a turn of an incoming document stands. It leaves «abierto» once.
    TurnStatus, "un estado del turno" {
        Open => "abierto", "Abierto";
        /// The unit answered it.
        Answered => "atendido", "Atendido";
        /// Turned for information only, and read by the unit.
        Read => "leido", "Leído";
        /// Sent back to the unit that turned it, with the reason.
        Returned => "devuelto", "Devuelto";
        /// Taken back by the unit that gave it, with the reason.
        Withdrawn => "retirado", "Retirado";
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terms_are_read_by_code_or_label_without_regard_to_accents() {
        assert_eq!("memorandum".parse(), Ok(DocumentKind::Memorandum));
        assert_eq!("MEMORÁNDUM".parse(), Ok(DocumentKind::Memorandum));
        assert_eq!(
            " Tarjeta informativa ".parse(),
            Ok(DocumentKind::InformationCard)
        );
        assert_eq!("pública".parse(), Ok(Classification::Public));
        assert_eq!("para conocimiento".parse(), Ok(Instruction::Knowledge));
    }

    #[test]
    fn an_unknown_term_names_the_list_in_spanish() {
        let wrong = "secreta".parse::<Classification>().unwrap_err();
        assert_eq!(
            wrong.to_string(),
            "«secreta» no es una clasificación (pública, reservada o confidencial)"
        );
    }

    #[test]
    fn codes_are_distinct_and_read_back() {
        for kind in DocumentKind::ALL {
            assert_eq!(DocumentKind::from_code(kind.code()), Some(*kind));
        }
        for instruction in Instruction::ALL {
            assert_eq!(
                Instruction::from_code(instruction.code()),
                Some(*instruction)
            );
        }
        assert_eq!(DocumentKind::from_code("Oficio"), None, "codes are exact");
    }

    #[test]
    fn only_knowledge_needs_no_answer_and_only_offices_documents_are_issued() {
        let silent: Vec<_> = Instruction::ALL
            .iter()
            .filter(|i| !i.needs_answer())
            .collect();
        assert_eq!(silent, [&Instruction::Knowledge]);
        assert!(DocumentKind::Oficio.is_issued());
        assert!(!DocumentKind::PrivateLetter.is_issued());
    }
}
