//! A petition (queja, solicitud de información, sugerencia, reconocimiento, gestión) as it is
//! received: by whom, where, about what, through which channel. It is read from the texts of a
//! form or a file row (`Draft`), every field checked and every problem named.

use super::contact::{Contact, Curp, Email, Phone};
use super::field::{Field, FieldProblem};
use crate::calendar::State;
use crate::text::{Lines, control_reason, same};
use jiff::civil::DateTime;
use std::fmt;
use std::str::FromStr;

/// The longest description accepted, in characters: a long letter, and a bound on what one
/// anonymous submission may store.
pub const MAX_NARRATIVE_CHARS: usize = 5_000;
/// The longest name, health unit or address, in characters.
pub const MAX_SHORT_TEXT_CHARS: usize = 300;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PetitionKind {
    /// Queja: dissatisfaction with a service or a public servant.
    Complaint,
    /// Solicitud de información about the program, its procedures or services.
    InformationRequest,
    /// Sugerencia to improve the service.
    Suggestion,
    /// Reconocimiento: praise for a service or a public servant.
    Recognition,
    /// Gestión: the petitioner asks the agency to act on their behalf.
    ActionRequest,
}

impl PetitionKind {
    pub const ALL: [PetitionKind; 5] = [
        PetitionKind::Complaint,
        PetitionKind::InformationRequest,
        PetitionKind::Suggestion,
        PetitionKind::Recognition,
        PetitionKind::ActionRequest,
    ];

    /// What is stored and exported.
    pub fn code(self) -> &'static str {
        match self {
            PetitionKind::Complaint => "queja",
            PetitionKind::InformationRequest => "solicitud_informacion",
            PetitionKind::Suggestion => "sugerencia",
            PetitionKind::Recognition => "reconocimiento",
            PetitionKind::ActionRequest => "gestion",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            PetitionKind::Complaint => "Queja",
            PetitionKind::InformationRequest => "Solicitud de información",
            PetitionKind::Suggestion => "Sugerencia",
            PetitionKind::Recognition => "Reconocimiento",
            PetitionKind::ActionRequest => "Gestión",
        }
    }

    /// Other words for a kind in the manuals and in providers' files.
    fn aliases(self) -> &'static [&'static str] {
        match self {
            PetitionKind::Complaint => &["inconformidad"],
            PetitionKind::InformationRequest => &["petición de información", "información"],
            PetitionKind::Recognition => &["felicitación"],
            PetitionKind::Suggestion | PetitionKind::ActionRequest => &[],
        }
    }
}

impl fmt::Display for PetitionKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "«{0}» no es un tipo de petición (queja, solicitud de información, sugerencia, reconocimiento o gestión)"
)]
pub struct UnknownKind(pub String);

impl FromStr for PetitionKind {
    type Err = UnknownKind;

    /// By code, label or alias, without regard to accents or case.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        PetitionKind::ALL
            .into_iter()
            .find(|k| {
                same(k.code(), s) || same(k.label(), s) || k.aliases().iter().any(|a| same(a, s))
            })
            .ok_or_else(|| UnknownKind(s.trim().to_owned()))
    }
}

/// How the petition arrived; each channel has its procedure in seed 001.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Channel {
    /// Centro de Atención Telefónica (procedure 96): the provider's daily file.
    CallCenter,
    /// Buzón web (procedure 97): the public form.
    Mailbox,
    /// Escrito u oficio (procedure 98), e.g. from the Consejo Nacional de Salud.
    Letter,
    /// Otras fuentes (procedure 98): Red Federal de Servicio a la Ciudadanía and others.
    Other,
}

impl Channel {
    pub const ALL: [Channel; 4] = [
        Channel::CallCenter,
        Channel::Mailbox,
        Channel::Letter,
        Channel::Other,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Channel::CallCenter => "telefono",
            Channel::Mailbox => "buzon",
            Channel::Letter => "escrito",
            Channel::Other => "otras",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Channel::CallCenter => "Centro de Atención Telefónica",
            Channel::Mailbox => "Buzón web",
            Channel::Letter => "Escrito u oficio",
            Channel::Other => "Otras fuentes",
        }
    }

    /// The channel of a stored code.
    pub fn from_code(code: &str) -> Option<Channel> {
        Channel::ALL.into_iter().find(|c| c.code() == code)
    }

    /// The seed procedure that handles petitions of this channel.
    pub fn procedure_key(self) -> &'static str {
        match self {
            Channel::CallCenter => "cnpss-96",
            Channel::Mailbox => "cnpss-97",
            Channel::Letter | Channel::Other => "cnpss-98",
        }
    }
}

impl fmt::Display for Channel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// A petition as received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Petition {
    pub kind: PetitionKind,
    pub channel: Channel,
    pub state: State,
    pub health_unit: Option<String>,
    pub narrative: String,
    pub contact: Contact,
    /// Whether the petitioner accepted the privacy notice. The mailbox requires it; the
    /// call-center file does not record it, and its calls carry `false`.
    pub privacy_consent: bool,
    /// Local date and time of the agency.
    pub received_at: DateTime,
}

/// The texts of a petition as a form or a file row gives them; empty means not given.
#[derive(Debug, Clone, Copy, Default)]
pub struct Draft<'a> {
    pub kind: &'a str,
    pub state: &'a str,
    pub health_unit: &'a str,
    pub narrative: &'a str,
    pub name: &'a str,
    pub curp: &'a str,
    pub phone: &'a str,
    pub email: &'a str,
    pub address: &'a str,
}

impl Draft<'_> {
    /// The petition, or every problem of its fields. Through the mailbox the privacy notice
    /// must be accepted.
    pub fn check(
        &self,
        channel: Channel,
        received_at: DateTime,
        privacy_consent: bool,
    ) -> Result<Petition, Vec<FieldProblem>> {
        let mut problems = Vec::new();
        let mut note =
            |field: Field, reason: String| problems.push(FieldProblem::new(field, reason));
        // Every text first through the one rule on control characters: a field that breaks it
        // is reported for that alone.
        let kind = typed(self.kind, Field::Kind, Lines::One, &mut note)
            .and_then(|k| required(k, Field::Kind, &mut note))
            .and_then(|k| {
                k.parse::<PetitionKind>()
                    .map_err(|e| note(Field::Kind, e.to_string()))
                    .ok()
            });
        let state = typed(self.state, Field::State, Lines::One, &mut note)
            .and_then(|s| required(s, Field::State, &mut note))
            .and_then(|s| {
                State::from_name_or_code(s)
                    .map_err(|_| note(Field::State, format!("«{s}» no es una entidad federativa")))
                    .ok()
            });
        let narrative = typed(self.narrative, Field::Narrative, Lines::Many, &mut note)
            .and_then(|n| required(n, Field::Narrative, &mut note))
            .and_then(|n| within(n, MAX_NARRATIVE_CHARS, Field::Narrative, &mut note));
        let short = |text: &str, field, note: &mut dyn FnMut(Field, String)| {
            typed(text, field, Lines::One, note)
                .and_then(optional)
                .and_then(|t| within(t, MAX_SHORT_TEXT_CHARS, field, note))
        };
        let health_unit = short(self.health_unit, Field::HealthUnit, &mut note);
        let name = short(self.name, Field::Name, &mut note);
        let address = short(self.address, Field::Address, &mut note);
        let curp = typed(self.curp, Field::Curp, Lines::One, &mut note)
            .and_then(|t| parsed::<Curp>(t, Field::Curp, &mut note));
        let phone = typed(self.phone, Field::Phone, Lines::One, &mut note)
            .and_then(|t| parsed::<Phone>(t, Field::Phone, &mut note));
        let email = typed(self.email, Field::Email, Lines::One, &mut note)
            .and_then(|t| parsed::<Email>(t, Field::Email, &mut note));
        if channel == Channel::Mailbox && !privacy_consent {
            note(
                Field::PrivacyConsent,
                "se requiere aceptar el aviso de privacidad".to_owned(),
            );
        }
        match (kind, state, narrative) {
            (Some(kind), Some(state), Some(narrative)) if problems.is_empty() => Ok(Petition {
                kind,
                channel,
                state,
                health_unit,
                narrative,
                contact: Contact {
                    name,
                    curp,
                    phone,
                    email,
                    address,
                },
                privacy_consent,
                received_at,
            }),
            _ => Err(problems),
        }
    }
}

/// `text`, unless it carries a control character its `lines` do not allow (then noted).
fn typed<'a>(
    text: &'a str,
    field: Field,
    lines: Lines,
    note: &mut dyn FnMut(Field, String),
) -> Option<&'a str> {
    match control_reason(text, lines) {
        Some(reason) => {
            note(field, reason);
            None
        }
        None => Some(text),
    }
}

fn optional(text: &str) -> Option<&str> {
    let text = text.trim();
    (!text.is_empty()).then_some(text)
}

fn required<'a>(
    text: &'a str,
    field: Field,
    note: &mut dyn FnMut(Field, String),
) -> Option<&'a str> {
    let given = optional(text);
    if given.is_none() {
        note(field, "falta".to_owned());
    }
    given
}

fn parsed<T: FromStr>(text: &str, field: Field, note: &mut dyn FnMut(Field, String)) -> Option<T>
where
    T::Err: fmt::Display,
{
    optional(text)?
        .parse()
        .map_err(|e: T::Err| note(field, e.to_string()))
        .ok()
}

fn within(
    text: &str,
    max: usize,
    field: Field,
    note: &mut dyn FnMut(Field, String),
) -> Option<String> {
    let length = text.chars().count();
    if length > max {
        note(
            field,
            format!("tiene {length} caracteres; el máximo es {max}"),
        );
        None
    } else {
        Some(text.to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn draft() -> Draft<'static> {
        Draft {
            kind: "Queja",
            state: "Jalisco",
            health_unit: "Centro de Salud Tonalá",
            narrative: "No me surtieron la receta.",
            name: "Juana Pérez Gómez",
            curp: "HEGG560427MVZRRL04",
            phone: "33 1234 5678",
            email: "juana@ejemplo.mx",
            address: "",
        }
    }

    #[test]
    fn citizen_kinds_and_channels_read_as_people_write_them() {
        assert_eq!(
            "SOLICITUD DE INFORMACION".parse(),
            Ok(PetitionKind::InformationRequest)
        );
        assert_eq!("gestión".parse(), Ok(PetitionKind::ActionRequest));
        assert_eq!("Felicitación".parse(), Ok(PetitionKind::Recognition));
        assert!("reclamo".parse::<PetitionKind>().is_err());
        for kind in PetitionKind::ALL {
            assert_eq!(kind.code().parse(), Ok(kind));
        }
        assert_eq!(Channel::Mailbox.procedure_key(), "cnpss-97");
    }

    #[test]
    fn citizen_a_draft_becomes_a_petition() {
        let at = date(2026, 3, 2).at(10, 30, 0, 0);
        let petition = draft().check(Channel::Mailbox, at, true).unwrap();
        assert_eq!(petition.state.code(), "JAL");
        assert_eq!(petition.contact.phone.unwrap().as_str(), "3312345678");
        assert_eq!(petition.contact.address, None);
    }

    #[test]
    fn citizen_every_problem_of_a_draft_is_named() {
        let at = date(2026, 3, 2).at(10, 30, 0, 0);
        let long = "x".repeat(MAX_NARRATIVE_CHARS + 1);
        let bad = Draft {
            kind: "reclamo",
            state: "Texas",
            narrative: &long,
            curp: "HEGG560427MVZRRL05",
            phone: "123",
            email: "juana",
            ..draft()
        };
        assert_eq!(
            crate::citizen::messages(&bad.check(Channel::Mailbox, at, false).unwrap_err()),
            [
                "tipo de petición: «reclamo» no es un tipo de petición (queja, solicitud de información, sugerencia, reconocimiento o gestión)",
                "entidad federativa: «Texas» no es una entidad federativa",
                "descripción: tiene 5001 caracteres; el máximo es 5000",
                "CURP: el dígito verificador de la CURP «HEGG560427MVZRRL05» no corresponde",
                "teléfono: «123» no es un teléfono de 10 dígitos",
                "correo electrónico: «juana» no es un correo electrónico",
                "aviso de privacidad: se requiere aceptar el aviso de privacidad",
            ]
        );
        let empty = Draft {
            narrative: "  ",
            ..draft()
        };
        assert_eq!(
            empty.check(Channel::CallCenter, at, false).unwrap_err(),
            [FieldProblem::new(Field::Narrative, "falta")]
        );
    }
}
