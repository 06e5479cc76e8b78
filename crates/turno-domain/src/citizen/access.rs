//! What a citizen gets on submitting to the public mailbox: the petition's folio and an access
//! code; both together open the status page. The code is the secret: it is generated from
//! randomness the caller supplies (the domain has no source of it) and compared in constant
//! time.

use sha2::{Digest, Sha256};
use std::fmt;

/// Crockford's base 32: no I, L, O or U, so a code read aloud or copied by hand survives.
const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const LENGTH: usize = 12;

/// Twelve characters of base 32 (60 bits), shown as `XXXX-XXXX-XXXX`.
#[derive(Clone, PartialEq, Eq)]
pub struct AccessCode([u8; LENGTH]);

impl AccessCode {
    /// The code drawn from 8 random bytes (the caller's CSPRNG); 60 of their 64 bits are used,
    /// 5 per character, so every character is equally likely.
    pub fn from_random(random: [u8; 8]) -> AccessCode {
        let bits = u64::from_be_bytes(random);
        let mut code = [0u8; LENGTH];
        for (i, c) in code.iter_mut().enumerate() {
            *c = ALPHABET[((bits >> (5 * i)) & 31) as usize];
        }
        AccessCode(code)
    }

    /// Reads a code as a person types it: any case, with or without hyphens and spaces, and
    /// O, I and L taken for 0, 1 and 1 as Crockford's base 32 prescribes.
    pub fn parse(typed: &str) -> Option<AccessCode> {
        let mut code = [0u8; LENGTH];
        let mut n = 0;
        for c in typed.chars().filter(|c| !matches!(c, '-' | ' ')) {
            let c = match c.to_ascii_uppercase() {
                'O' => '0',
                'I' | 'L' => '1',
                other => other,
            };
            if !c.is_ascii() || !ALPHABET.contains(&(c as u8)) || n == LENGTH {
                return None;
            }
            code[n] = c as u8;
            n += 1;
        }
        (n == LENGTH).then_some(AccessCode(code))
    }

    /// Whether a typed code is this one. The comparison takes the same time whichever
    /// character differs, so timing does not tell how much of a guess was right.
    pub fn matches(&self, typed: &str) -> bool {
        AccessCode::parse(typed).is_some_and(|typed| constant_time_eq(&self.0, &typed.0))
    }

    /// What the store keeps instead of the code: its SHA-256, as for API tokens.
    pub fn digest(&self) -> [u8; 32] {
        Sha256::digest(self.0).into()
    }
}

/// Byte strings compared without stopping at the first difference (lengths are not secret).
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

impl fmt::Display for AccessCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, group) in self.0.chunks(4).enumerate() {
            if i > 0 {
                f.write_str("-")?;
            }
            // The alphabet is ASCII.
            f.write_str(std::str::from_utf8(group).map_err(|_| fmt::Error)?)?;
        }
        Ok(())
    }
}

/// Never printed in logs or panics by accident.
impl fmt::Debug for AccessCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("AccessCode(…)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn citizen_access_code_is_read_as_people_type_it() {
        let code = AccessCode::from_random([0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf0]);
        let shown = code.to_string();
        assert_eq!(shown.len(), 14);
        assert!(code.matches(&shown));
        assert!(code.matches(&shown.to_lowercase().replace('-', " ")));
        assert!(!code.matches(&shown[..13]));
        assert!(!code.matches(""));
        assert!(!code.matches("ÑÑÑÑ-ÑÑÑÑ-ÑÑÑÑ"));
        assert_eq!(
            AccessCode::parse("oooo-iiii-llll"),
            AccessCode::parse("0000-1111-1111")
        );
        assert_eq!(format!("{code:?}"), "AccessCode(…)");
        assert_ne!(code.digest(), AccessCode::from_random([0; 8]).digest());
    }

    proptest! {
        #[test]
        fn citizen_access_codes_round_trip_and_differ_with_their_randomness(a: [u8; 8], b: [u8; 8]) {
            let code = AccessCode::from_random(a);
            prop_assert_eq!(AccessCode::parse(&code.to_string()), Some(code.clone()));
            // Only the top 4 bits are unused.
            if u64::from_be_bytes(a) & (u64::MAX >> 4) != u64::from_be_bytes(b) & (u64::MAX >> 4) {
                prop_assert!(!code.matches(&AccessCode::from_random(b).to_string()));
            }
        }

        #[test]
        fn citizen_access_code_parsing_never_panics(s in "\\PC*") {
            let _ = AccessCode::parse(&s);
        }
    }
}
