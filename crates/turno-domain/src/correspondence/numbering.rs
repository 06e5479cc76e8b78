//! How a unit numbers what it issues: a format such as `{siglas}/{n:4}/{año}`, which writes
//! the 123rd oficio of 2026 of the unit whose siglas are `SIDSS/ST` as `SIDSS/ST/0123/2026`.
//! The consecutive starts again every year, so a format carries both; a number can be read
//! back into its consecutive and year (to import a unit's existing register), which needs a
//! separator between the consecutive and what follows it.

use std::fmt;

/// The format a unit uses when it has not set its own.
pub const DEFAULT_FORMAT: &str = "{siglas}/{n:4}/{año}";
/// The longest format accepted, in characters.
const MAX_FORMAT_CHARS: usize = 60;

/// A number given to an issued document: its consecutive within the unit and year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Issued {
    pub consecutive: u32,
    pub year: i16,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    Text(String),
    Siglas,
    /// The consecutive, with at least `width` digits (zeros in front).
    Consecutive {
        width: usize,
    },
    Year,
}

/// A checked numbering format.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NumberFormat {
    parts: Vec<Part>,
    source: String,
}

/// Why a format cannot number documents; `column` counts characters from 1.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FormatError {
    #[error(
        "el formato está vacío, pasa de {MAX_FORMAT_CHARS} caracteres o lleva caracteres de control"
    )]
    Shape,
    #[error("columna {column}: falta la llave que cierra «{{»")]
    Unclosed { column: usize },
    #[error("columna {column}: sobra la llave «}}», que no cierra nada")]
    Stray { column: usize },
    #[error(
        "columna {column}: «{{{name}}}» no es un dato del número (use {{siglas}}, {{n}}, {{n:4}} o {{año}})"
    )]
    Placeholder { column: usize, name: String },
    #[error("columna {column}: el consecutivo lleva de 1 a 9 cifras ({{n:1}} a {{n:9}})")]
    Width { column: usize },
    #[error("el formato lleva el consecutivo {{n}} exactamente una vez")]
    Consecutive,
    #[error(
        "el formato lleva el año {{año}} exactamente una vez: el consecutivo vuelve a empezar cada año"
    )]
    Year,
    #[error(
        "columna {column}: después del consecutivo va un separador que no sea una cifra (por ejemplo «/»), para poder leer el número"
    )]
    Separator { column: usize },
}

impl NumberFormat {
    /// Reads a format: text, and the data `{siglas}`, `{n}` or `{n:W}`, and `{año}` (also
    /// `{anio}`), each of the last two exactly once.
    pub fn parse(source: &str) -> Result<NumberFormat, FormatError> {
        // Spaces around it would be invisible on paper and make numbers unreadable.
        let source = source.trim();
        let count = source.chars().count();
        if count == 0 || count > MAX_FORMAT_CHARS || source.chars().any(char::is_control) {
            return Err(FormatError::Shape);
        }
        // Each part with the column just after it, to point past the consecutive.
        let mut parts: Vec<(Part, usize)> = Vec::new();
        let mut text = String::new();
        let mut chars = source.chars().enumerate().peekable();
        while let Some((at, c)) = chars.next() {
            match c {
                '{' => {
                    let mut name = String::new();
                    let end = loop {
                        match chars.next() {
                            Some((end, '}')) => break end,
                            Some((_, c)) => name.push(c),
                            None => return Err(FormatError::Unclosed { column: at + 1 }),
                        }
                    };
                    if !text.is_empty() {
                        parts.push((Part::Text(std::mem::take(&mut text)), at + 1));
                    }
                    parts.push((placeholder(&name, at + 1)?, end + 2));
                }
                '}' => return Err(FormatError::Stray { column: at + 1 }),
                c => text.push(c),
            }
        }
        if !text.is_empty() {
            parts.push((Part::Text(text), count + 1));
        }
        let is_consecutive = |p: &&(Part, usize)| matches!(p.0, Part::Consecutive { .. });
        if parts.iter().filter(is_consecutive).count() != 1 {
            return Err(FormatError::Consecutive);
        }
        if parts.iter().filter(|p| p.0 == Part::Year).count() != 1 {
            return Err(FormatError::Year);
        }
        // The consecutive has no fixed length: what follows it must not be a digit.
        let at = parts
            .iter()
            .position(|p| is_consecutive(&p))
            .unwrap_or_default();
        if let Some((next, _)) = parts.get(at + 1)
            && !matches!(next, Part::Text(t) if !t.starts_with(|c: char| c.is_ascii_digit()))
        {
            return Err(FormatError::Separator {
                column: parts[at].1,
            });
        }
        Ok(NumberFormat {
            parts: parts.into_iter().map(|(part, _)| part).collect(),
            source: source.to_owned(),
        })
    }

    /// The format as the unit wrote it.
    pub fn as_str(&self) -> &str {
        &self.source
    }

    /// Whether the number carries the unit's siglas (so the unit must have some).
    pub fn uses_siglas(&self) -> bool {
        self.parts.contains(&Part::Siglas)
    }

    /// The number as it is written on the document.
    pub fn render(&self, siglas: &str, issued: Issued) -> String {
        let mut out = String::new();
        for part in &self.parts {
            match part {
                Part::Text(text) => out.push_str(text),
                Part::Siglas => out.push_str(siglas),
                Part::Consecutive { width } => {
                    out.push_str(&format!("{:0width$}", issued.consecutive));
                }
                Part::Year => out.push_str(&format!("{:04}", issued.year)),
            }
        }
        out
    }

    /// The consecutive and year of a number written in this format for a unit with these
    /// siglas; `None` when it is not one (other siglas, text or shape).
    pub fn read(&self, siglas: &str, number: &str) -> Option<Issued> {
        let mut rest = number.trim();
        let (mut consecutive, mut year) = (None, None);
        for part in &self.parts {
            match part {
                Part::Text(text) => rest = rest.strip_prefix(text.as_str())?,
                Part::Siglas => rest = rest.strip_prefix(siglas)?,
                Part::Consecutive { .. } => {
                    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
                    if digits == 0 {
                        return None;
                    }
                    consecutive = Some(rest[..digits].parse().ok()?);
                    rest = &rest[digits..];
                }
                Part::Year => {
                    let digits = rest
                        .get(..4)
                        .filter(|d| d.bytes().all(|b| b.is_ascii_digit()))?;
                    year = Some(digits.parse().ok()?);
                    rest = &rest[4..];
                }
            }
        }
        let issued = Issued {
            consecutive: consecutive?,
            year: year?,
        };
        (rest.is_empty() && issued.consecutive > 0).then_some(issued)
    }
}

impl Default for NumberFormat {
    fn default() -> Self {
        NumberFormat::parse(DEFAULT_FORMAT).expect("the default format is valid")
    }
}

impl fmt::Display for NumberFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.source)
    }
}

/// The datum named between braces at `column`.
fn placeholder(name: &str, column: usize) -> Result<Part, FormatError> {
    match name.trim() {
        "siglas" => Ok(Part::Siglas),
        "año" | "anio" => Ok(Part::Year),
        "n" => Ok(Part::Consecutive { width: 1 }),
        other => match other.strip_prefix("n:").map(str::parse::<usize>) {
            Some(Ok(width @ 1..=9)) => Ok(Part::Consecutive { width }),
            Some(_) => Err(FormatError::Width { column }),
            None => Err(FormatError::Placeholder {
                column,
                name: other.to_owned(),
            }),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn issued(consecutive: u32, year: i16) -> Issued {
        Issued { consecutive, year }
    }

    #[test]
    fn the_default_format_writes_the_manuals_numbers() {
        let format = NumberFormat::default();
        assert_eq!(
            format.render("SIDSS/ST", issued(123, 2026)),
            "SIDSS/ST/0123/2026"
        );
        assert_eq!(
            format.render("DGRI", issued(12345, 2027)),
            "DGRI/12345/2027"
        );
        assert_eq!(
            format.read("SIDSS/ST", "SIDSS/ST/0123/2026"),
            Some(issued(123, 2026))
        );
        assert!(format.uses_siglas());
    }

    #[test]
    fn a_number_of_other_siglas_or_shape_is_not_read() {
        let format = NumberFormat::default();
        for wrong in [
            "DGRI/0123/2026",
            "SIDSS/ST/0123/26",
            "SIDSS/ST//2026",
            "SIDSS/ST/0000/2026",
            "SIDSS/ST/0123/2026/",
        ] {
            assert_eq!(format.read("SIDSS/ST", wrong), None, "{wrong}");
        }
    }

    #[test]
    fn every_mistake_in_a_format_is_told_with_its_column() {
        let cases = [
            (
                "",
                "el formato está vacío, pasa de 60 caracteres o lleva caracteres de control",
            ),
            ("OF-{n}/{año", "columna 8: falta la llave que cierra «{»"),
            (
                "OF-n}/{año}",
                "columna 5: sobra la llave «}», que no cierra nada",
            ),
            (
                "{unidad}/{n}/{año}",
                "columna 1: «{unidad}» no es un dato del número (use {siglas}, {n}, {n:4} o {año})",
            ),
            (
                "{n:12}/{año}",
                "columna 1: el consecutivo lleva de 1 a 9 cifras ({n:1} a {n:9})",
            ),
            (
                "{siglas}/{año}",
                "el formato lleva el consecutivo {n} exactamente una vez",
            ),
            (
                "{n}/{n}/{año}",
                "el formato lleva el consecutivo {n} exactamente una vez",
            ),
            (
                "{siglas}/{n}",
                "el formato lleva el año {año} exactamente una vez: el consecutivo vuelve a empezar cada año",
            ),
            (
                "{n}{año}",
                "columna 4: después del consecutivo va un separador que no sea una cifra (por ejemplo «/»), para poder leer el número",
            ),
            (
                "{n:3}0-{año}",
                "columna 6: después del consecutivo va un separador que no sea una cifra (por ejemplo «/»), para poder leer el número",
            ),
        ];
        for (format, message) in cases {
            let error = NumberFormat::parse(format).expect_err(format);
            assert_eq!(error.to_string(), message, "{format}");
        }
    }

    /// Formats as units write them: the data in any order, with separators.
    fn formats() -> impl Strategy<Value = String> {
        let separator = prop::sample::select(vec!["/", "-", ".", " ", "/OF-"]);
        (
            Just(["{siglas}", "{n:4}", "{año}"]).prop_shuffle(),
            prop::collection::vec(separator, 3),
            prop::sample::select(vec!["{n}", "{n:3}", "{n:6}"]),
        )
            .prop_map(|(order, seps, consecutive)| {
                let format: String = order
                    .iter()
                    .zip(&seps)
                    .map(|(part, sep)| {
                        let part = if *part == "{n:4}" { consecutive } else { part };
                        format!("{part}{sep}")
                    })
                    .collect();
                format.trim().to_owned()
            })
    }

    proptest! {
        /// A number reads back as what it was given for, so two numbers of a unit are never
        /// the same text: no duplicate on paper.
        #[test]
        fn every_number_reads_back_as_its_consecutive_and_year(
            format in formats(),
            siglas in "[A-Z]{1,6}(/[A-Z]{1,6}){0,2}",
            consecutive in 1u32..100_000_000,
            other in 1u32..100_000_000,
            year in 1990i16..2100,
        ) {
            let format = NumberFormat::parse(&format).unwrap();
            let written = format.render(&siglas, issued(consecutive, year));
            prop_assert_eq!(format.read(&siglas, &written), Some(issued(consecutive, year)));
            if other != consecutive {
                prop_assert_ne!(written, format.render(&siglas, issued(other, year)));
            }
        }
    }
}
