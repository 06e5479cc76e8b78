//! Typed values of case fields, checked against their definitions.

use crate::definition::{FieldDef, FieldType};
use crate::text::fold;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", content = "value", rename_all = "snake_case")]
pub enum Value {
    Text(String),
    Integer(i64),
    /// Kept as written ("1250.50") so that amounts are never rounded by floating point.
    Decimal(String),
    Date(Date),
    Boolean(bool),
    /// Participant keys chosen while the case runs.
    Participants(Vec<String>),
}

impl FieldDef {
    /// Checks that a value fits this field: its type, and its options for choices and
    /// participants.
    pub fn check(&self, value: &Value) -> Result<(), String> {
        let ok = match (self.ty, value) {
            (FieldType::Text | FieldType::LongText, Value::Text(_)) => true,
            (FieldType::Choice, Value::Text(t)) => {
                return if self.options.iter().any(|o| fold(o) == fold(t)) {
                    Ok(())
                } else {
                    Err(format!("«{t}» is not one of: {}", self.options.join(", ")))
                };
            }
            (FieldType::Integer, Value::Integer(_)) | (FieldType::Boolean, Value::Boolean(_)) => {
                true
            }
            (FieldType::Decimal, Value::Decimal(d)) => {
                return if is_decimal(d) {
                    Ok(())
                } else {
                    Err(format!("«{d}» is not a decimal number"))
                };
            }
            (FieldType::Date, Value::Date(_)) => true,
            (FieldType::Participants, Value::Participants(keys)) => {
                if keys.is_empty() {
                    return Err("choose at least one".into());
                }
                return match keys.iter().find(|k| !self.options.contains(k)) {
                    Some(k) => Err(format!("«{k}» is not one of: {}", self.options.join(", "))),
                    None => Ok(()),
                };
            }
            _ => false,
        };
        if ok {
            Ok(())
        } else {
            Err(format!("expected a value of type {:?}", self.ty))
        }
    }

    /// Reads a value typed by a person (a form field or a command-line argument).
    pub fn parse_input(&self, input: &str) -> Result<Value, String> {
        let input = input.trim();
        let value = match self.ty {
            FieldType::Text | FieldType::LongText | FieldType::Choice => {
                Value::Text(input.to_owned())
            }
            FieldType::Integer => Value::Integer(
                input
                    .parse()
                    .map_err(|_| format!("«{input}» is not a whole number"))?,
            ),
            FieldType::Decimal => Value::Decimal(input.to_owned()),
            FieldType::Date => Value::Date(
                input
                    .parse()
                    .map_err(|_| format!("«{input}» is not a date (AAAA-MM-DD)"))?,
            ),
            FieldType::Boolean => match fold(input).as_str() {
                "si" | "true" | "1" => Value::Boolean(true),
                "no" | "false" | "0" => Value::Boolean(false),
                _ => return Err(format!("«{input}» is not sí or no")),
            },
            FieldType::Participants => Value::Participants(
                input
                    .split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(str::to_owned)
                    .collect(),
            ),
        };
        self.check(&value)?;
        Ok(value)
    }
}

fn is_decimal(s: &str) -> bool {
    let s = s.strip_prefix('-').unwrap_or(s);
    let (int, frac) = s.split_once('.').unwrap_or((s, ""));
    !int.is_empty()
        && int.chars().all(|c| c.is_ascii_digit())
        && frac.chars().all(|c| c.is_ascii_digit())
        && !(s.contains('.') && frac.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(ty: FieldType, options: &[&str]) -> FieldDef {
        FieldDef {
            name: "f".into(),
            label: "F".into(),
            ty,
            required: false,
            options: options.iter().map(|s| s.to_string()).collect(),
        }
    }

    #[test]
    fn values_are_checked_against_their_field() {
        let choice = field(FieldType::Choice, &["Oficio", "Correo electrónico"]);
        assert!(choice.parse_input("correo electronico").is_ok());
        assert!(choice.parse_input("fax").is_err());
        let date = field(FieldType::Date, &[]);
        assert!(date.parse_input("2026-02-30").is_err());
        assert!(date.parse_input("2026-02-28").is_ok());
        let decimal = field(FieldType::Decimal, &[]);
        assert!(decimal.parse_input("1250.50").is_ok());
        assert!(decimal.parse_input("1,250").is_err());
        assert!(decimal.parse_input("1.").is_err());
        let units = field(FieldType::Participants, &["DGAO", "DGF"]);
        assert!(units.parse_input("DGAO, DGF").is_ok());
        assert!(units.parse_input("DGAO, SRE").is_err());
        assert!(units.parse_input("").is_err());
        assert!(
            field(FieldType::Integer, &[])
                .check(&Value::Text("1".into()))
                .is_err()
        );
    }
}
