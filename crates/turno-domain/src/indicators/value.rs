//! An indicator's value as an exact decimal: ten-thousandths in an integer, so that totals add
//! up exactly and comparisons never depend on a float's rounding.

use std::fmt;

/// Ten-thousandths per unit: four decimals.
const SCALE: i64 = 10_000;
/// The most digits before the point: 10^14 units of ten-thousandths fit an `i64` with room.
const MAX_WHOLE_DIGITS: usize = 14;

/// A value with four decimals; the fifth and later are rounded (half away from zero).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Value(i64);

impl Value {
    /// The value of `units` ten-thousandths (as stored).
    pub const fn from_ten_thousandths(units: i64) -> Value {
        Value(units)
    }

    /// A whole number.
    pub fn whole(n: i32) -> Value {
        Value(i64::from(n) * SCALE)
    }

    /// Its ten-thousandths (as stored).
    pub const fn ten_thousandths(self) -> i64 {
        self.0
    }

    /// A number as a person types it or a spreadsheet writes it: an optional sign, digits
    /// with an optional decimal point (`1234.5`, `-0.25`), commas only between groups of three
    /// digits before the point (`1,234.5`); `None` for anything else.
    pub fn parse(text: &str) -> Option<Value> {
        let text = text.trim();
        let (negative, digits) = match text.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, text.strip_prefix('+').unwrap_or(text)),
        };
        let (whole, fraction) = match digits.split_once('.') {
            Some((whole, fraction)) => (whole, Some(fraction)),
            None => (digits, None),
        };
        let whole = ungrouped(whole)?;
        if whole.is_empty() && fraction.is_none_or(str::is_empty) {
            return None;
        }
        let fraction = fraction.unwrap_or_default();
        if !fraction.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let whole = whole.trim_start_matches('0');
        if whole.len() > MAX_WHOLE_DIGITS {
            return None;
        }
        let mut units: i64 = whole.parse::<i64>().unwrap_or(0) * SCALE;
        let mut place = SCALE / 10;
        for b in fraction.bytes().take(4) {
            units += i64::from(b - b'0') * place;
            place /= 10;
        }
        if fraction.as_bytes().get(4).is_some_and(|&b| b >= b'5') {
            units += 1;
        }
        Some(Value(if negative { -units } else { units }))
    }
}

/// The digits of a whole part, without the commas that group its thousands; `None` when it has
/// anything but digits or its commas are not between groups of three.
fn ungrouped(whole: &str) -> Option<String> {
    if !whole.contains(',') {
        return whole
            .bytes()
            .all(|b| b.is_ascii_digit())
            .then(|| whole.to_owned());
    }
    let mut groups = whole.split(',');
    let first = groups.next()?;
    if first.is_empty() || first.len() > 3 || !first.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut digits = first.to_owned();
    for group in groups {
        if group.len() != 3 || !group.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        digits.push_str(group);
    }
    Some(digits)
}

/// As files and the API write it: `1234.5`, `-0.25`, `12` (no grouping, no trailing zeros).
impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let units = self.0.unsigned_abs();
        let (whole, fraction) = (units / SCALE as u64, units % SCALE as u64);
        if fraction == 0 {
            write!(f, "{sign}{whole}")
        } else {
            let fraction = format!("{fraction:04}");
            write!(f, "{sign}{whole}.{}", fraction.trim_end_matches('0'))
        }
    }
}

impl Value {
    /// As pages show it: the thousands grouped with commas (`1,234.5`).
    pub fn shown(self) -> String {
        let plain = self.to_string();
        let (sign, rest) = match plain.strip_prefix('-') {
            Some(rest) => ("-", rest),
            None => ("", plain.as_str()),
        };
        let (whole, fraction) = match rest.split_once('.') {
            Some((whole, fraction)) => (whole, Some(fraction)),
            None => (rest, None),
        };
        let mut grouped = String::new();
        for (i, c) in whole.chars().enumerate() {
            if i > 0 && (whole.len() - i).is_multiple_of(3) {
                grouped.push(',');
            }
            grouped.push(c);
        }
        match fraction {
            Some(fraction) => format!("{sign}{grouped}.{fraction}"),
            None => format!("{sign}{grouped}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_as_typed_and_print_back() {
        for (typed, printed) in [
            ("1234.5", "1234.5"),
            ("1,234.5", "1234.5"),
            ("-0.25", "-0.25"),
            ("+12", "12"),
            ("007", "7"),
            (".5", "0.5"),
            ("3.", "3"),
            ("0.00004", "0"),
            ("0.00005", "0.0001"),
            ("12345678901234", "12345678901234"),
        ] {
            assert_eq!(
                Value::parse(typed).map(|v| v.to_string()).as_deref(),
                Some(printed),
                "{typed}"
            );
        }
        for bad in [
            "",
            "-",
            ".",
            "1,23",
            "12,3456",
            "1.2.3",
            "uno",
            "1e5",
            "123456789012345",
            "1 000",
        ] {
            assert_eq!(Value::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn pages_group_thousands() {
        assert_eq!(Value::parse("1234567.25").unwrap().shown(), "1,234,567.25");
        assert_eq!(Value::parse("-999").unwrap().shown(), "-999");
        assert_eq!(Value::parse("-1000").unwrap().shown(), "-1,000");
    }
}
