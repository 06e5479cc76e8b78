//! Who a certificate names: the SAT writes the holder's RFC in `x500UniqueIdentifier`
//! (2.5.4.45) and the CURP in `serialNumber` (2.5.4.5). A legal person's certificate writes
//! "RFC / RFC of the representative" and " / CURP of the representative", a natural
//! person's the RFC and the CURP alone; either may carry the slash with nothing after it.

use der::asn1::ObjectIdentifier;
use der::{Tag, Tagged};
use x509_cert::name::Name;

use crate::oid;

/// The identifiers a certificate carries, upper case.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Identity {
    /// The holder's RFC.
    pub rfc: Option<String>,
    /// The holder's CURP, or for a legal person's certificate its representative's.
    pub curp: Option<String>,
    /// A legal person's representative's RFC.
    pub representative_rfc: Option<String>,
}

/// What the person's record says: the certificate must carry the same.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Expected {
    pub rfc: Option<String>,
    pub curp: Option<String>,
}

impl Identity {
    pub(crate) fn of(subject: &Name) -> Self {
        let rfc = parts(subject, oid::UNIQUE_IDENTIFIER);
        let curp = parts(subject, oid::SERIAL_NUMBER);
        Identity {
            rfc: rfc.first().cloned().flatten(),
            curp: curp.into_iter().flatten().next(),
            representative_rfc: rfc.get(1).cloned().flatten(),
        }
    }

    /// Whether the certificate is the person's: each identifier the record has and the
    /// certificate carries agrees (a legal person's certificate agrees through its
    /// representative), and at least one was compared.
    pub(crate) fn check(&self, expected: &Expected) -> Result<(), crate::VerifyError> {
        use crate::VerifyError;
        if self.rfc.is_none() && self.curp.is_none() {
            return Err(VerifyError::NoIdentity);
        }
        let expected_rfc = expected.rfc.as_deref().map(normal);
        let expected_curp = expected.curp.as_deref().map(normal);
        if expected_rfc.is_none() && expected_curp.is_none() {
            return Err(VerifyError::NoExpectedIdentity);
        }
        let mut compared = false;
        if let (Some(want), Some(holder)) = (&expected_rfc, &self.rfc) {
            if holder != want && self.representative_rfc.as_ref() != Some(want) {
                return Err(VerifyError::IdentityMismatch {
                    what: "RFC",
                    found: holder.clone(),
                    expected: want.clone(),
                });
            }
            compared = true;
        }
        if let (Some(want), Some(found)) = (&expected_curp, &self.curp) {
            if found != want {
                return Err(VerifyError::IdentityMismatch {
                    what: "CURP",
                    found: found.clone(),
                    expected: want.clone(),
                });
            }
            compared = true;
        }
        if compared {
            return Ok(());
        }
        // The record and the certificate share no identifier: name what the record has.
        let (what, expected) = match (expected_rfc, expected_curp) {
            (Some(rfc), _) => ("RFC", rfc),
            (None, Some(curp)) => ("CURP", curp),
            (None, None) => return Err(VerifyError::NoExpectedIdentity),
        };
        let found = self
            .rfc
            .clone()
            .or_else(|| self.curp.clone())
            .unwrap_or_default();
        Err(VerifyError::IdentityMismatch {
            what,
            found,
            expected,
        })
    }
}

fn normal(text: &str) -> String {
    text.trim().to_uppercase()
}

/// The slash-separated parts of the first value of `attribute`, each `None` when empty.
fn parts(name: &Name, attribute: ObjectIdentifier) -> Vec<Option<String>> {
    first_text(name, attribute)
        .map(|text| {
            text.split('/')
                .map(|part| Some(normal(part)).filter(|p| !p.is_empty()))
                .collect()
        })
        .unwrap_or_default()
}

/// The first value of `attribute` in `name` as text, whichever string type encodes it.
pub(crate) fn first_text(name: &Name, attribute: ObjectIdentifier) -> Option<String> {
    name.0
        .iter()
        .flat_map(|rdn| rdn.0.iter())
        .filter(|atv| atv.oid == attribute)
        .find_map(|atv| match atv.value.tag() {
            Tag::Utf8String | Tag::PrintableString | Tag::Ia5String | Tag::TeletexString => {
                std::str::from_utf8(atv.value.value())
                    .ok()
                    .map(str::to_owned)
            }
            _ => None,
        })
}
