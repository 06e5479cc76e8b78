//! The petitioner's personal data, each kind checked for its form: CURP, telephone, e-mail.
//! Names and addresses are free text. Who may see them unmasked is decided by the application
//! layer (`turno_app::access`); `mask.rs` hides them in lists and exports.

use crate::calendar::State;
use jiff::civil::Date;
use std::fmt;
use std::str::FromStr;

/// Contact data of the person who petitions; every part is optional, because citizens may
/// petition anonymously.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Contact {
    pub name: Option<String>,
    pub curp: Option<Curp>,
    pub phone: Option<Phone>,
    pub email: Option<Email>,
    pub address: Option<String>,
}

/// A Clave Única de Registro de Población with a valid form: 18 characters, a real birth
/// date, a RENAPO state code (or `NE`, born abroad) and the right check digit.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Curp(String);

/// Why a text is not a CURP.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CurpError {
    #[error("la CURP tiene 18 caracteres y «{0}» tiene {1}")]
    Length(String, usize),
    #[error(
        "«{0}» no tiene la forma de una CURP (4 letras, 6 dígitos, H, M o X, 2 letras de la entidad, 3 consonantes y 2 caracteres)"
    )]
    Shape(String),
    #[error("la fecha de nacimiento de la CURP «{0}» no existe")]
    BirthDate(String),
    #[error("«{1}» en la CURP «{0}» no es una entidad de nacimiento")]
    State(String, String),
    #[error("el dígito verificador de la CURP «{0}» no corresponde")]
    CheckDigit(String),
}

impl Curp {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for Curp {
    type Err = CurpError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let curp = s.trim().to_uppercase();
        let length = curp.chars().count();
        if length != 18 {
            return Err(CurpError::Length(curp, length));
        }
        let b = curp.as_bytes();
        // 18 characters in 18 bytes: ASCII, so byte positions are character positions.
        let letters = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_uppercase);
        let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
        let consonants = b[13..16]
            .iter()
            .all(|c| c.is_ascii_uppercase() && !b"AEIOU".contains(c));
        if b.len() != 18
            || !letters(0..4)
            || !digits(4..10)
            || !matches!(b[10], b'H' | b'M' | b'X')
            || !letters(11..13)
            || !consonants
            || !b[16].is_ascii_alphanumeric()
            || !b[17].is_ascii_digit()
        {
            return Err(CurpError::Shape(curp));
        }
        let number =
            |r: std::ops::Range<usize>| b[r].iter().fold(0i16, |n, d| n * 10 + i16::from(d - b'0'));
        // The 17th character is a digit for people born up to 1999 and a letter from 2000.
        let century = if b[16].is_ascii_digit() { 1900 } else { 2000 };
        let (month, day) = (number(6..8), number(8..10));
        if Date::new(century + number(4..6), month as i8, day as i8).is_err() {
            return Err(CurpError::BirthDate(curp));
        }
        let state = &curp[11..13];
        if state != "NE" && !State::all().any(|s| s.renapo_code() == state) {
            return Err(CurpError::State(curp.clone(), state.to_owned()));
        }
        if check_digit(&b[..17]) != b[17] {
            return Err(CurpError::CheckDigit(curp));
        }
        Ok(Curp(curp))
    }
}

/// RENAPO's check digit: each of the first 17 characters valued by its place in
/// "0-9 A-N Ñ O-Z" and weighted 18 down to 2. Ñ never appears (it is written X), but it keeps
/// its place, so letters after N are worth one more than their rank.
fn check_digit(first: &[u8]) -> u8 {
    let value = |c: u8| match c {
        b'0'..=b'9' => u32::from(c - b'0'),
        b'A'..=b'N' => u32::from(c - b'A') + 10,
        _ => u32::from(c - b'A') + 11,
    };
    let sum: u32 = first
        .iter()
        .zip((2..=18u32).rev())
        .map(|(&c, weight)| value(c) * weight)
        .sum();
    b'0' + ((10 - sum % 10) % 10) as u8
}

impl fmt::Display for Curp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A Registro Federal de Contribuyentes with a valid form: a person's (4 letters, Ñ and &
/// among them, 6 digits of a real date, 3 characters of homoclave) or a legal person's (3
/// letters). What an e.firma certificate carries as its holder's (`docs/efirma.md`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Rfc(String);

/// Why a text is not an RFC.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RfcError {
    #[error(
        "«{0}» no tiene la forma de un RFC (3 o 4 letras, 6 dígitos de la fecha y 3 caracteres de homoclave)"
    )]
    Shape(String),
    #[error("la fecha del RFC «{0}» no existe")]
    Date(String),
}

impl Rfc {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for Rfc {
    type Err = RfcError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let rfc = s.trim().to_uppercase();
        let chars: Vec<char> = rfc.chars().collect();
        let letters = match chars.len() {
            12 => 3,
            13 => 4,
            _ => return Err(RfcError::Shape(rfc)),
        };
        let (name, rest) = chars.split_at(letters);
        let (date, homoclave) = rest.split_at(6);
        if !name
            .iter()
            .all(|c| c.is_ascii_uppercase() || matches!(c, 'Ñ' | '&'))
            || !date.iter().all(char::is_ascii_digit)
            || !homoclave.iter().all(char::is_ascii_alphanumeric)
        {
            return Err(RfcError::Shape(rfc));
        }
        let number = |r: std::ops::Range<usize>| {
            date[r]
                .iter()
                .fold(0i8, |n, d| n * 10 + d.to_digit(10).map_or(0, |d| d as i8))
        };
        // Two digits of the year: any century has the day, but for 29 February.
        let year = 2000 + i16::from(number(0..2));
        if Date::new(year, number(2..4), number(4..6)).is_err() {
            return Err(RfcError::Date(rfc));
        }
        Ok(Rfc(rfc))
    }
}

impl fmt::Display for Rfc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A Mexican telephone number: ten digits (the national numbering since 2019), kept without
/// separators.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Phone(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("«{0}» no es un teléfono de 10 dígitos")]
pub struct PhoneError(pub String);

impl Phone {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for Phone {
    type Err = PhoneError;

    /// Accepts the usual separators (spaces, hyphens, dots, parentheses) and the country code
    /// (`+52`).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let wrong = || PhoneError(s.trim().to_owned());
        let text = s.trim();
        let text = text.strip_prefix("+52").unwrap_or(text);
        let mut digits = String::with_capacity(10);
        for c in text.chars() {
            match c {
                '0'..='9' => digits.push(c),
                ' ' | '-' | '.' | '(' | ')' => {}
                _ => return Err(wrong()),
            }
        }
        if digits.len() == 10 {
            Ok(Phone(digits))
        } else {
            Err(wrong())
        }
    }
}

impl fmt::Display for Phone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// An e-mail address of a plausible form (one `@`, a domain with a dot, no spaces); whether it
/// exists only an e-mail can tell. The domain is kept in lower case.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Email(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("«{0}» no es un correo electrónico")]
pub struct EmailError(pub String);

impl Email {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for Email {
    type Err = EmailError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let text = s.trim();
        let wrong = || EmailError(text.to_owned());
        let (local, domain) = text.split_once('@').ok_or_else(wrong)?;
        let labels_ok = domain.split('.').all(|l| !l.is_empty()) && domain.contains('.');
        if local.is_empty()
            || local.len() > 64
            || text.len() > 254
            || domain.contains('@')
            || !labels_ok
            || text.chars().any(|c| c.is_whitespace() || c.is_control())
        {
            return Err(wrong());
        }
        Ok(Email(format!("{local}@{}", domain.to_lowercase())))
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn citizen_curp_form_date_state_and_check_digit() {
        // An example CURP of RENAPO's documentation.
        let curp: Curp = " hegg560427mvzrrl04 ".parse().unwrap();
        assert_eq!(curp.as_str(), "HEGG560427MVZRRL04");
        assert!("MAHJ280603MSPRRV09".parse::<Curp>().is_ok());
        let error = |s: &str| s.parse::<Curp>().unwrap_err();
        assert!(matches!(
            error("HEGG560427MVZRRL0"),
            CurpError::Length(_, 17)
        ));
        assert!(matches!(error("HEGG5604Z7MVZRRL04"), CurpError::Shape(_)));
        assert!(matches!(error("HEGG560427MVZARL04"), CurpError::Shape(_)));
        assert!(matches!(error("ÑEGG560427MVZRRL04"), CurpError::Shape(_)));
        assert!(matches!(
            error("HEGG560231MVZRRL04"),
            CurpError::BirthDate(_)
        ));
        assert!(matches!(error("HEGG560427MZZRRL04"), CurpError::State(..)));
        assert_eq!(
            error("HEGG560427MVZRRL05").to_string(),
            "el dígito verificador de la CURP «HEGG560427MVZRRL05» no corresponde"
        );
    }

    #[test]
    fn rfc_of_a_person_and_of_a_legal_person() {
        assert_eq!(
            " goya780416gm0 ".parse::<Rfc>().unwrap().as_str(),
            "GOYA780416GM0"
        );
        assert!("MUÑA800101AB1".parse::<Rfc>().is_ok());
        assert!("EKU9003173C9".parse::<Rfc>().is_ok());
        assert!(matches!(
            "GOYA780416GM".parse::<Rfc>(),
            Err(RfcError::Shape(_))
        ));
        assert!(matches!(
            "GOY1780416GM0".parse::<Rfc>(),
            Err(RfcError::Shape(_))
        ));
        assert!(matches!(
            "GOYA781332GM0".parse::<Rfc>(),
            Err(RfcError::Date(_))
        ));
        assert_eq!(
            "GOYA-780416".parse::<Rfc>().unwrap_err().to_string(),
            "«GOYA-780416» no tiene la forma de un RFC (3 o 4 letras, 6 dígitos de la fecha y 3 caracteres de homoclave)"
        );
    }

    #[test]
    fn citizen_phones_and_emails() {
        assert_eq!(
            "+52 (55) 1234-5678".parse::<Phone>().unwrap().as_str(),
            "5512345678"
        );
        assert!("1234-5678".parse::<Phone>().is_err());
        assert!("55 1234 567x".parse::<Phone>().is_err());
        assert_eq!(
            "Juana.Perez@Ejemplo.GOB.MX"
                .parse::<Email>()
                .unwrap()
                .as_str(),
            "Juana.Perez@ejemplo.gob.mx"
        );
        for bad in [
            "juana",
            "@ejemplo.mx",
            "juana@",
            "juana@mx",
            "ju ana@ejemplo.mx",
            "a@b@c.mx",
            "a@b..mx",
        ] {
            assert!(bad.parse::<Email>().is_err(), "{bad}");
        }
    }
}
