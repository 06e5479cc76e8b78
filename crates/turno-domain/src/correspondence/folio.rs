//! The folio of an incoming document: `CE-2026-000123` (*correspondencia de entrada*), counted
//! per year without gaps by the store, as petitions' folios are. It is printed on the acuse de
//! recibo and on each volante de control.

use std::fmt;
use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct IncomingFolio {
    pub year: i16,
    pub number: u32,
}

impl IncomingFolio {
    /// How every incoming document's folio begins; no procedure's cases may take it.
    pub const PREFIX: &str = "CE";
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("«{0}» no es un folio de correspondencia de entrada (CE-AAAA-NNNNNN)")]
pub struct IncomingFolioError(pub String);

impl fmt::Display for IncomingFolio {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{:04}-{:06}", Self::PREFIX, self.year, self.number)
    }
}

impl FromStr for IncomingFolio {
    type Err = IncomingFolioError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        crate::citizen::canonical(s, Self::PREFIX)
            .map(|(year, number)| IncomingFolio { year, number })
            .ok_or_else(|| IncomingFolioError(s.trim().to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn incoming_folios_read_back_and_only_in_their_own_series() {
        let folio = IncomingFolio {
            year: 2026,
            number: 42,
        };
        assert_eq!(folio.to_string(), "CE-2026-000042");
        assert_eq!(" ce-2026-000042".parse(), Ok(folio));
        for bad in ["AC-2026-000042", "CE-2026-42", "CE-2026-0000042", "CE-2026"] {
            assert!(bad.parse::<IncomingFolio>().is_err(), "{bad}");
        }
    }
}
