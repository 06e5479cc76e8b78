//! Files must be UTF-8. Providers' exports are often Latin-1 (or Windows-1252), which would
//! turn «Querétaro» into garbage silently; the scanner finds the first byte that is not UTF-8
//! and says where, reading the file in chunks as it streams.

use std::fmt;

/// The first place where a file is not UTF-8. Byte and line count from 1.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct NotUtf8 {
    pub byte: u64,
    pub line: u64,
    /// The offending byte, or `None` when the file ends in the middle of a character.
    pub value: Option<u8>,
}

impl fmt::Display for NotUtf8 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "el archivo no está en UTF-8 (¿Latin-1?) en el byte {}, línea {}",
            self.byte, self.line
        )?;
        match self.value {
            // Latin-1 maps every byte to the code point of the same number.
            Some(b @ 0xA0..=0xFF) => write!(
                f,
                ": el byte 0x{b:02X} sería «{}» en Latin-1; guárdelo como UTF-8",
                char::from(b)
            ),
            Some(b) => write!(f, ": byte 0x{b:02X}; guárdelo como UTF-8"),
            None => write!(f, ": termina a la mitad de un carácter"),
        }
    }
}

/// Checks a file chunk by chunk; a character may be split between chunks.
#[derive(Debug, Clone, Default)]
pub struct Utf8Scanner {
    /// Bytes before `pending`.
    offset: u64,
    /// Line breaks before `pending`.
    lines: u64,
    pending: [u8; 4],
    pending_len: usize,
}

impl Utf8Scanner {
    pub fn new() -> Utf8Scanner {
        Utf8Scanner::default()
    }

    pub fn feed(&mut self, mut chunk: &[u8]) -> Result<(), NotUtf8> {
        if self.pending_len > 0 {
            // Complete the character the last chunk ended in.
            let mut buf = self.pending;
            let take = (4 - self.pending_len).min(chunk.len());
            buf[self.pending_len..self.pending_len + take].copy_from_slice(&chunk[..take]);
            let joined = &buf[..self.pending_len + take];
            let consumed = match std::str::from_utf8(joined) {
                Ok(_) => take,
                Err(e) if e.valid_up_to() > 0 => e.valid_up_to() - self.pending_len,
                Err(e) if e.error_len().is_none() => {
                    // Still incomplete: the chunk was shorter than the character.
                    self.pending = buf;
                    self.pending_len += take;
                    return Ok(());
                }
                Err(_) => return Err(self.error(0, Some(self.pending[0]))),
            };
            self.advance(self.pending_len as u64, &chunk[..consumed]);
            self.pending_len = 0;
            chunk = &chunk[consumed..];
        }
        match std::str::from_utf8(chunk) {
            Ok(_) => {
                self.advance(0, chunk);
                Ok(())
            }
            Err(e) => {
                let valid = e.valid_up_to();
                self.advance(0, &chunk[..valid]);
                if e.error_len().is_some() {
                    return Err(self.error(0, Some(chunk[valid])));
                }
                let rest = &chunk[valid..];
                self.pending[..rest.len()].copy_from_slice(rest);
                self.pending_len = rest.len();
                Ok(())
            }
        }
    }

    /// The end of the file: a character left incomplete is an error.
    pub fn finish(self) -> Result<(), NotUtf8> {
        if self.pending_len > 0 {
            Err(self.error(0, None))
        } else {
            Ok(())
        }
    }

    fn advance(&mut self, extra: u64, valid: &[u8]) {
        self.offset += extra + valid.len() as u64;
        self.lines += valid.iter().filter(|&&b| b == b'\n').count() as u64;
    }

    fn error(&self, at: u64, value: Option<u8>) -> NotUtf8 {
        NotUtf8 {
            byte: self.offset + at + 1,
            line: self.lines + 1,
            value,
        }
    }
}

/// A whole file as text, or the first place where it is not UTF-8: every file people give
/// (calls, organization, calendar, follow-up tables) is read through here.
pub fn utf8_text(bytes: &[u8]) -> Result<&str, NotUtf8> {
    std::str::from_utf8(bytes).map_err(|e| {
        let valid = e.valid_up_to();
        let lines = bytes[..valid].iter().filter(|&&b| b == b'\n').count();
        NotUtf8 {
            byte: valid as u64 + 1,
            line: lines as u64 + 1,
            value: e.error_len().and(bytes.get(valid).copied()),
        }
    })
}

/// A whole file at once.
pub fn check_utf8(bytes: &[u8]) -> Result<(), NotUtf8> {
    let mut scanner = Utf8Scanner::new();
    scanner.feed(bytes)?;
    scanner.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn citizen_latin1_is_found_with_its_byte_and_line() {
        assert_eq!(
            check_utf8("FECHA,ENTIDAD\n2026-03-02,Querétaro\n".as_bytes()),
            Ok(())
        );
        let latin1 = b"FECHA,ENTIDAD\n2026-03-02,Quer\xe9taro\n";
        let error = check_utf8(latin1).unwrap_err();
        assert_eq!((error.byte, error.line), (30, 2));
        assert_eq!(
            error.to_string(),
            "el archivo no está en UTF-8 (¿Latin-1?) en el byte 30, línea 2: el byte 0xE9 sería «é» en Latin-1; guárdelo como UTF-8"
        );
        let cut = check_utf8("Quer\u{e9}".as_bytes().split_last().unwrap().1).unwrap_err();
        assert_eq!((cut.byte, cut.line, cut.value), (5, 1, None));
    }

    proptest! {
        /// However the file is cut into chunks, the answer is the same as for the whole.
        #[test]
        fn citizen_utf8_scanner_ignores_chunk_boundaries(
            bytes in prop::collection::vec(prop_oneof![Just(b'\n'), Just(0xC3u8), Just(0xA9u8), Just(0xE9u8), Just(0xF0u8), Just(0x9Fu8), Just(0x98u8), Just(0x80u8), any::<u8>()], 0..40),
            cuts in prop::collection::vec(0usize..40, 0..5),
        ) {
            let whole = check_utf8(&bytes);
            let mut cuts: Vec<usize> = cuts.into_iter().map(|c| c.min(bytes.len())).collect();
            cuts.sort();
            let mut scanner = Utf8Scanner::new();
            let mut start = 0;
            let mut result = Ok(());
            for end in cuts.into_iter().chain([bytes.len()]) {
                if let Err(e) = scanner.feed(&bytes[start..end]) {
                    result = Err(e);
                    break;
                }
                start = end;
            }
            let result = result.and_then(|()| scanner.finish());
            prop_assert_eq!(result, whole.clone());
            if let Err(e) = whole {
                let valid = usize::try_from(e.byte - 1).unwrap();
                prop_assert!(std::str::from_utf8(&bytes[..valid]).is_ok());
                prop_assert_eq!(e.line, bytes[..valid].iter().filter(|&&b| b == b'\n').count() as u64 + 1);
            }
        }
    }
}
