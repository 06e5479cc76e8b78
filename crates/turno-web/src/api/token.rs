//! API tokens: 256 random bits shown once to the person who asked for it; the store keeps only
//! their SHA-256, so a copy of the database gives no usable token.

use sha2::{Digest, Sha256};

/// How every token begins, so that one pasted in the wrong place is recognizable.
pub const PREFIX: &str = "turno_";

/// A new token: its text (to show once) and the SHA-256 to store (hex).
pub fn generate() -> (String, String) {
    let token = format!("{PREFIX}{}", crate::auth::csrf::random_token());
    let digest = digest(&token);
    (token, digest)
}

/// The SHA-256 of a token's text, in lowercase hex: what the store looks tokens up by.
pub fn digest(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_long_random_and_stored_as_their_digest() {
        let (a, digest_a) = generate();
        let (b, _) = generate();
        assert_ne!(a, b);
        assert!(a.starts_with(PREFIX));
        assert_eq!(a.len(), PREFIX.len() + 64, "256 bits in hex");
        assert_eq!(digest_a, digest(&a));
        assert_eq!(digest_a.len(), 64);
        assert_eq!(
            digest("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
