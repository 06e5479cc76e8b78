//! The folio of a petition: `AC-2026-000123`, counted per year without gaps by the store. It
//! is printed on the acuse and the volante, and with the access code opens the status page.

use std::fmt;
use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PetitionFolio {
    pub year: i16,
    pub number: u32,
}

impl PetitionFolio {
    /// How every petition's folio begins; no procedure's cases may take it (their folios
    /// would be counted with the petitions').
    pub const PREFIX: &str = "AC";
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("«{0}» no es un folio de atención ciudadana (AC-AAAA-NNNNNN)")]
pub struct FolioError(pub String);

impl fmt::Display for PetitionFolio {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{:04}-{:06}", Self::PREFIX, self.year, self.number)
    }
}

impl FromStr for PetitionFolio {
    type Err = FolioError;

    /// Only the canonical form (any case), so that one petition has one folio text.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        canonical(s, Self::PREFIX)
            .map(|(year, number)| PetitionFolio { year, number })
            .ok_or_else(|| FolioError(s.trim().to_owned()))
    }
}

/// The year and number of a folio `PREFIX-AAAA-NNNNNN` of a series counted per year, only in
/// its canonical form (any case), so that one record has one folio text: petitions' and
/// incoming documents' alike.
pub(crate) fn canonical(s: &str, prefix: &str) -> Option<(i16, u32)> {
    let text = s.trim().to_ascii_uppercase();
    let mut parts = text.split('-');
    let (Some(given), Some(year), Some(number), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return None;
    };
    let digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
    if given != prefix || year.len() != 4 || !digits(year) || number.len() < 6 || !digits(number) {
        return None;
    }
    let (year, number): (i16, u32) = (year.parse().ok()?, number.parse().ok()?);
    // Leading zeros beyond six digits would be a second spelling of the same folio.
    (format!("{prefix}-{year:04}-{number:06}") == text).then_some((year, number))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn citizen_folio_format() {
        let folio = PetitionFolio {
            year: 2026,
            number: 123,
        };
        assert_eq!(folio.to_string(), "AC-2026-000123");
        assert_eq!(" ac-2026-000123 ".parse(), Ok(folio));
        assert_eq!(
            "AC-2026-1234567".parse::<PetitionFolio>().map(|f| f.number),
            Ok(1_234_567)
        );
        for bad in [
            "AC-2026-123",
            "AC-2026-0001234",
            "CAS-2026-000123",
            "AC-26-000123",
            "AC-2026-000123-1",
            "AC-2026-+00123",
        ] {
            assert!(bad.parse::<PetitionFolio>().is_err(), "{bad}");
        }
    }

    proptest! {
        #[test]
        fn citizen_folios_round_trip(year in 2000i16..=9999, number: u32) {
            let folio = PetitionFolio { year, number };
            prop_assert_eq!(folio.to_string().parse(), Ok(folio));
        }
    }
}
