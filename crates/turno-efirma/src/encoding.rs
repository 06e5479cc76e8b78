//! What people hand over: DER, PEM, or bare base64 (what a browser or the SAT's tools write).

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

/// The DER bytes inside `bytes`: as they are when they start like DER (a SEQUENCE), else
/// the base64 between PEM lines (any label) or the whole text as base64, blanks ignored.
/// `None` when it is none of them.
pub fn der_bytes(bytes: &[u8]) -> Option<Vec<u8>> {
    if bytes.first() == Some(&0x30) {
        return Some(bytes.to_vec());
    }
    let text = std::str::from_utf8(bytes).ok()?;
    let body: String = if text.contains("-----BEGIN") {
        text.lines()
            .skip_while(|line| !line.trim_start().starts_with("-----BEGIN"))
            .skip(1)
            .take_while(|line| !line.trim_start().starts_with("-----END"))
            .collect()
    } else {
        text.to_owned()
    };
    let clean: String = body.chars().filter(|c| !c.is_whitespace()).collect();
    let der = STANDARD.decode(clean).ok()?;
    (der.first() == Some(&0x30)).then_some(der)
}

/// Lowercase hexadecimal, as digests are written in the record.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A SHA-256 written in hexadecimal (64 digits), as its 32 bytes.
pub fn digest_from_hex(text: &str) -> Option<[u8; 32]> {
    let mut bytes = [0u8; 32];
    if text.len() != 64 {
        return None;
    }
    for (i, byte) in bytes.iter_mut().enumerate() {
        *byte = u8::from_str_radix(text.get(2 * i..2 * i + 2)?, 16).ok()?;
    }
    Some(bytes)
}
