//! The small languages inside a definition: deadline terms ("45 días hábiles"), anchors
//! ("field:fecha_visita") and retention periods ("5 años").

use super::model::{DayKind, Retention, Term};
use crate::text::fold;

/// Parses `<N> días hábiles|naturales [antes]`. Accents and case are not significant.
pub fn parse_term(text: &str) -> Result<Term, String> {
    let folded = fold(text);
    let words: Vec<&str> = folded.split_whitespace().collect();
    let expected =
        "expected «<N> días hábiles» or «<N> días naturales», optionally followed by «antes»";
    let (days, rest) = match words.split_first() {
        Some((n, rest)) => (n, rest),
        None => return Err(format!("empty deadline term; {expected}")),
    };
    let days: u16 = days
        .parse()
        .map_err(|_| format!("«{text}»: «{days}» is not a whole number of days; {expected}"))?;
    if days == 0 {
        return Err(format!("«{text}»: a term of 0 days is not a term"));
    }
    let (kind, before) = match rest {
        [unit, kind] if is_day(unit) => (day_kind(kind), false),
        [unit, kind, "antes"] if is_day(unit) => (day_kind(kind), true),
        _ => (None, false),
    };
    let kind = kind.ok_or_else(|| format!("«{text}»: {expected}"))?;
    Ok(Term { days, kind, before })
}

fn is_day(word: &str) -> bool {
    matches!(word, "dia" | "dias")
}

fn day_kind(word: &str) -> Option<DayKind> {
    match word {
        "habil" | "habiles" => Some(DayKind::Business),
        "natural" | "naturales" => Some(DayKind::Natural),
        _ => None,
    }
}

/// Anchors before resolution: names still to be looked up in the procedure.
#[derive(Debug, PartialEq, Eq)]
pub enum AnchorText<'a> {
    Activity,
    Case,
    Completed(&'a str),
    Field(&'a str),
}

pub fn parse_anchor(text: &str) -> Result<AnchorText<'_>, String> {
    match text.split_once(':') {
        None if text == "activity" => Ok(AnchorText::Activity),
        None if text == "case" => Ok(AnchorText::Case),
        Some(("completed", activity)) if !activity.is_empty() => {
            Ok(AnchorText::Completed(activity))
        }
        Some(("field", field)) if !field.is_empty() => Ok(AnchorText::Field(field)),
        _ => Err(format!(
            "unknown deadline anchor «{text}»: expected activity, case, completed:<activity> or field:<name>"
        )),
    }
}

/// Parses "5 años", "6 meses", "1 año" or "No aplica".
pub fn parse_retention(text: &str) -> Result<Retention, String> {
    let folded = fold(text);
    if folded.trim_end_matches('.') == "no aplica" {
        return Ok(Retention::NotApplicable);
    }
    let words: Vec<&str> = folded.split_whitespace().collect();
    match words.as_slice() {
        [n, unit] => {
            let n: u16 = n
                .parse()
                .map_err(|_| format!("retention «{text}»: «{n}» is not a whole number"))?;
            match unit.trim_end_matches('.') {
                "año" | "años" => Ok(Retention::Years(n)),
                "mes" | "meses" => Ok(Retention::Months(n)),
                _ => Err(format!(
                    "retention «{text}»: expected «N años», «N meses» or «No aplica»"
                )),
            }
        }
        _ => Err(format!(
            "retention «{text}»: expected «N años», «N meses» or «No aplica»"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terms_read_like_the_manuals() {
        assert_eq!(
            parse_term("45 días hábiles"),
            Ok(Term {
                days: 45,
                kind: DayKind::Business,
                before: false
            })
        );
        assert_eq!(
            parse_term("10 dias naturales antes"),
            Ok(Term {
                days: 10,
                kind: DayKind::Natural,
                before: true
            })
        );
        assert_eq!(
            parse_term("1 Día Hábil"),
            Ok(Term {
                days: 1,
                kind: DayKind::Business,
                before: false
            })
        );
    }

    #[test]
    fn bad_terms_say_what_is_wrong() {
        assert!(parse_term("").unwrap_err().contains("empty"));
        assert!(
            parse_term("cuarenta días hábiles")
                .unwrap_err()
                .contains("not a whole number")
        );
        assert!(parse_term("0 días hábiles").unwrap_err().contains("0 days"));
        assert!(parse_term("5 semanas").is_err());
        assert!(parse_term("5 días hábiles después").is_err());
        assert!(parse_term("99999999 días hábiles").is_err());
    }

    #[test]
    fn anchors_and_retentions() {
        assert_eq!(parse_anchor("activity"), Ok(AnchorText::Activity));
        assert_eq!(
            parse_anchor("field:fecha_visita"),
            Ok(AnchorText::Field("fecha_visita"))
        );
        assert_eq!(
            parse_anchor("completed:11.1"),
            Ok(AnchorText::Completed("11.1"))
        );
        assert!(parse_anchor("field:").is_err());
        assert!(parse_anchor("mañana").is_err());
        assert_eq!(parse_retention("5 Años"), Ok(Retention::Years(5)));
        assert_eq!(parse_retention("No Aplica"), Ok(Retention::NotApplicable));
        assert!(parse_retention("para siempre").is_err());
    }
}
