//! The type a file really is, from its first bytes. The uploader's declared type is what is
//! recorded, but a claim of PDF, PNG or JPEG must be true: a renamed executable is not stored
//! as an oficio. Only the few types the agencies attach are recognized; a library of magic
//! numbers would be more than this check needs.

use super::BlobError;

/// How many first bytes [`sniff`] looks at.
pub const SNIFF_LEN: usize = 512;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Pdf,
    Png,
    Jpeg,
    /// A ZIP archive: the Office (docx, xlsx, pptx) and OpenDocument formats are ZIPs.
    Zip,
    /// A Windows (MZ) or Linux (ELF) program.
    Executable,
    Text,
    Empty,
    Unknown,
}

impl Kind {
    /// The type to record when the uploader declared none.
    pub fn mime(self) -> Option<&'static str> {
        match self {
            Kind::Pdf => Some("application/pdf"),
            Kind::Png => Some("image/png"),
            Kind::Jpeg => Some("image/jpeg"),
            Kind::Zip => Some("application/zip"),
            Kind::Text => Some("text/plain"),
            Kind::Executable | Kind::Empty | Kind::Unknown => None,
        }
    }

    fn described(self) -> &'static str {
        match self {
            Kind::Pdf => "a PDF",
            Kind::Png => "a PNG image",
            Kind::Jpeg => "a JPEG image",
            Kind::Zip => "a ZIP archive (such as an Office document)",
            Kind::Executable => "a program (executable)",
            Kind::Text => "plain text",
            Kind::Empty => "empty",
            Kind::Unknown => "of another type",
        }
    }
}

/// What the first bytes of a file say it is.
pub fn sniff(head: &[u8]) -> Kind {
    let head = &head[..head.len().min(SNIFF_LEN)];
    if head.is_empty() {
        Kind::Empty
    } else if head.starts_with(b"%PDF-") {
        Kind::Pdf
    } else if head.starts_with(b"\x89PNG\r\n\x1a\n") {
        Kind::Png
    } else if head.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Kind::Jpeg
    } else if head.starts_with(b"PK\x03\x04") || head.starts_with(b"PK\x05\x06") {
        Kind::Zip
    } else if head.starts_with(b"MZ") || head.starts_with(b"\x7fELF") {
        Kind::Executable
    } else if looks_like_text(head) {
        Kind::Text
    } else {
        Kind::Unknown
    }
}

/// No control characters but tab, line breaks, form feed and escape. Bytes above ASCII are
/// allowed: text files written on Windows are often in Windows-1252, not UTF-8.
fn looks_like_text(head: &[u8]) -> bool {
    head.iter()
        .all(|&b| b >= 0x20 || matches!(b, b'\t' | b'\n' | b'\r' | 0x0C | 0x1B))
}

/// The kind a declared type promises, for the types whose claim is checked.
fn promised(essence: &str) -> Option<Kind> {
    match essence {
        "application/pdf" | "application/x-pdf" => Some(Kind::Pdf),
        "image/png" => Some(Kind::Png),
        "image/jpeg" | "image/jpg" | "image/pjpeg" => Some(Kind::Jpeg),
        _ => None,
    }
}

/// A media type token (RFC 6838): letters, digits and `!#$&^_.+-`.
fn is_token(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 127
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$&^_.+-".contains(&b))
}

/// The type to record for a file whose first bytes are `head`, declared as `declared`
/// (the browser's Content-Type). A declared type is kept (its `type/subtype` lowercased);
/// a missing or generic one is replaced by what the content is, when recognized. Refuses a
/// malformed type and a PDF, PNG or JPEG claim that the content does not bear out.
pub fn check_mime(declared: &str, head: &[u8]) -> Result<String, BlobError> {
    let declared = declared.trim();
    let found = sniff(head);
    let (essence, parameters) = match declared.split_once(';') {
        Some((essence, parameters)) => (essence.trim(), Some(parameters)),
        None => (declared, None),
    };
    let essence = essence.to_ascii_lowercase();
    // `*/*`, what a client sends that declares nothing (the API's document takes any type).
    if matches!(essence.as_str(), "" | "application/octet-stream" | "*/*") {
        return Ok(found
            .mime()
            .unwrap_or("application/octet-stream")
            .to_owned());
    }
    let well_formed = essence
        .split_once('/')
        .is_some_and(|(kind, subtype)| is_token(kind) && is_token(subtype))
        && parameters.is_none_or(|p| p.len() <= 200 && !p.chars().any(char::is_control));
    if !well_formed {
        return Err(BlobError::InvalidMime(declared.chars().take(80).collect()));
    }
    if let Some(expected) = promised(&essence)
        && found != expected
    {
        return Err(BlobError::MimeMismatch {
            declared: essence,
            expected: expected.described(),
            found: found.described(),
        });
    }
    Ok(match parameters {
        Some(parameters) => format!("{essence};{parameters}"),
        None => essence,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_common_types_are_recognized() {
        assert_eq!(sniff(b"%PDF-1.7\n%\xe2\xe3"), Kind::Pdf);
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"), Kind::Png);
        assert_eq!(sniff(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10]), Kind::Jpeg);
        assert_eq!(sniff(b"PK\x03\x04\x14\0\x06\0"), Kind::Zip);
        assert_eq!(sniff(b"MZ\x90\0\x03\0\0\0"), Kind::Executable);
        assert_eq!(sniff(b"\x7fELF\x02\x01\x01"), Kind::Executable);
        assert_eq!(sniff("Oficio núm. 123\r\n".as_bytes()), Kind::Text);
        assert_eq!(sniff(b"Se\xf1or director\n"), Kind::Text, "Windows-1252");
        assert_eq!(sniff(b""), Kind::Empty);
        assert_eq!(sniff(b"\0\x01\x02binary"), Kind::Unknown);
    }

    #[test]
    fn a_pdf_png_or_jpeg_claim_must_be_true() {
        assert_eq!(
            check_mime("application/pdf", b"%PDF-1.4").unwrap(),
            "application/pdf"
        );
        assert_eq!(
            check_mime(" Image/JPEG ", &[0xFF, 0xD8, 0xFF, 0xDB]).unwrap(),
            "image/jpeg"
        );
        let e = check_mime("application/pdf", b"MZ\x90\0").unwrap_err();
        assert_eq!(
            e.to_string(),
            "the file is declared as application/pdf but it is not a PDF: its content is a program (executable)"
        );
        assert!(matches!(
            check_mime("image/png", b"%PDF-1.4"),
            Err(BlobError::MimeMismatch { .. })
        ));
        assert!(matches!(
            check_mime("application/pdf", b""),
            Err(BlobError::MimeMismatch { .. })
        ));
    }

    #[test]
    fn other_declared_types_are_recorded_as_declared() {
        let docx = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
        assert_eq!(check_mime(docx, b"PK\x03\x04").unwrap(), docx);
        assert_eq!(
            check_mime("text/plain; charset=UTF-8", b"hola").unwrap(),
            "text/plain; charset=UTF-8"
        );
        assert_eq!(check_mime("", b"%PDF-1.4").unwrap(), "application/pdf");
        assert_eq!(check_mime("*/*", b"%PDF-1.4").unwrap(), "application/pdf");
        assert_eq!(
            check_mime("application/octet-stream", b"\0\0").unwrap(),
            "application/octet-stream"
        );
        for bad in ["pdf", "application/", "a b/c", "text/plain; \u{7}"] {
            assert!(
                matches!(check_mime(bad, b"x"), Err(BlobError::InvalidMime(_))),
                "{bad}"
            );
        }
    }
}
